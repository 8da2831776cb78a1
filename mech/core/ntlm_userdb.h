/*
 * The acceptor's user database: a file parsed once into a hash index keyed by
 * (user, domain), compared case-insensitively the Windows way, re-read only when the file
 * changes. Shared between threads: one cache entry per (path, permission policy) behind a
 * lock that is never held while a file is read or parsed.
 *
 * Accepted line formats (see sspigss-users(5)), each recognised by its shape, never one read
 * as another when it does not fit:
 *   - our own:          a first line "#sspigss-users 1", then "DOMAIN:USER:NTHASH" with the
 *                       NT hash as 32 hex digits; an empty DOMAIN matches any domain;
 *   - smbpasswd:        "USER:UID:LMHASH:NTHASH:[FLAGS]:LCT-...:" where USER may be DOMAIN\USER:
 *                       any line without our header whose second field is a decimal UID and
 *                       that has at least four colons;
 *   - gss-ntlmssp:      "DOMAIN:USER:PASSWORD" (the password is hashed at load and not kept).
 * Users and domains with a backslash or a control character are errors. Accounts that must
 * never log on (no password, disabled or locked, names ending in '$': machine and trust
 * accounts) are left out, so they are unknown users.
 * Blank lines and lines starting with '#' are ignored.
 */
#ifndef NTLM_USERDB_H
#define NTLM_USERDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ntlm_userdb;

struct ntlm_user_entry {
    char *user;   /* as written in the file (UTF-8) */
    char *domain; /* as written; "" when the entry matches any domain */
    uint8_t nt_hash[16];
};

/*
 * Returns a handle on the database at path, parsing it now if it is not cached or changed.
 * strict: user_file_permissions = strict for this handle, so a file others can read or group
 * and others can write (mode & 0026) is refused with NTLM_ERR_USERDB_PERMISSIONS, at open and
 * at every lookup. Handles are shared per (path, strict).
 * Errors: NTLM_ERR_USERDB_UNREADABLE (missing, unreadable, not a regular file),
 * NTLM_ERR_USERDB_PERMISSIONS, NTLM_ERR_USERDB_SYNTAX, NTLM_ERR_NOMEM.
 */
uint32_t ntlm_userdb_open(const char *path, bool strict, struct ntlm_userdb **db);
/* A handle on the database at path without reading it: the first lookup does. Errors:
 * NTLM_ERR_NOMEM. */
uint32_t ntlm_userdb_get(const char *path, bool strict, struct ntlm_userdb **db);
/* Another reference on db (release each with ntlm_userdb_release); NULL gives NULL. */
struct ntlm_userdb *ntlm_userdb_ref(struct ntlm_userdb *db);
const char *ntlm_userdb_path(const struct ntlm_userdb *db);
/*
 * Looks up (user, domain). The exact domain wins over an any-domain entry; an empty domain
 * from the client matches the first entry for that user. Makes one stat of the file (before
 * taking the lock) and re-parses when its identity or mtime changed; the file is read and
 * parsed without the lock, and while one thread does that the others keep answering from the
 * table they have. On success fills *entry with copies (free with ntlm_user_entry_clear).
 * Errors: NTLM_ERR_UNKNOWN_USER, the open errors.
 */
uint32_t ntlm_userdb_lookup(struct ntlm_userdb *db, const char *user, const char *domain,
                            struct ntlm_user_entry *entry);
void ntlm_userdb_release(struct ntlm_userdb *db);
/* Tests: hook is called after a file is read and before it is parsed, without any lock. */
void ntlm_userdb_set_load_hook(void (*hook)(const char *path));
/* Decodes an NT hash written as exactly 32 hex digits (len is the text's length). */
bool ntlm_nt_hash_from_hex(const char *hex, size_t len, uint8_t out[16]);
/* Wipes the hash and frees the strings. */
void ntlm_user_entry_clear(struct ntlm_user_entry *entry);

/*
 * Parses file contents (exposed for tests and fuzzing). On a syntax error *bad_line is the
 * 1-based line number and *reason (a static string) what is wrong with it; either may be NULL.
 * ntlm_userdb_open and ntlm_userdb_lookup log both, with the path, to syslog (authpriv).
 */
struct ntlm_userdb_index;
uint32_t ntlm_userdb_parse(const char *text, size_t len, struct ntlm_userdb_index **index,
                           unsigned *bad_line, const char **reason);
uint32_t ntlm_userdb_index_lookup(const struct ntlm_userdb_index *index, const char *user,
                                  const char *domain, struct ntlm_user_entry *entry);
size_t ntlm_userdb_index_count(const struct ntlm_userdb_index *index);
void ntlm_userdb_index_free(struct ntlm_userdb_index *index);

#endif
