/*
 * The acceptor's user database: parses a user file once into a hash index keyed by the
 * upper-cased (user, domain), and caches one database per path, re-parsed when the file changes.
 */
#include "ntlm_userdb.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>
#include <unistr.h>

#include "ntlm_auth.h"
#include "ntlm_buf.h"
#include "ntlm_errors.h"
#include "ntlm_unicode.h"

#define OWN_FORMAT_HEADER "#sspigss-users 1"
#define OWN_FORMAT_PREFIX "#sspigss-users"
#define NT_HASH_HEX_LEN 32
/* Databases nobody holds stay parsed so that the next open is free; this many at most. */
#define IDLE_CACHE_MAX 4

/* Group write, other read and write: what user_file_permissions = strict forbids. */
#define UNSAFE_MODE_BITS (S_IWGRP | S_IROTH | S_IWOTH)

#define FNV_OFFSET 0xcbf29ce484222325u
#define FNV_PRIME 0x100000001b3u

/* A user defined by one line of the file; strings are offsets into the index's pool. */
struct userdb_record {
    size_t user;       /* as written */
    size_t domain;     /* as written; "" matches any domain */
    size_t user_key;   /* upper-cased */
    size_t domain_key; /* upper-cased */
    uint8_t nt_hash[16];
};

struct ntlm_userdb_index {
    struct userdb_record *records; /* in file order */
    size_t count, records_cap;
    char *pool; /* NUL-terminated strings back to back */
    size_t pool_len, pool_cap;
    /* Open-addressing tables of record number + 1 (0: empty slot), mask + 1 slots each. */
    uint32_t *by_pair; /* (user_key, domain_key), first line wins */
    uint32_t *by_user; /* user_key alone, first line wins: for clients that send no domain */
    size_t mask;
};

/* What identifies the file contents we parsed without reading them again. */
struct file_identity {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtim;
    /* ctime too: it catches a rewrite that kept size and mtime (cp -p, rsync -t). */
    struct timespec ctim;
};

struct ntlm_userdb {
    struct ntlm_userdb *next; /* cache list, most recently opened first */
    char *path;
    bool strict; /* user_file_permissions = strict for this handle's users */
    struct ntlm_userdb_index *index; /* NULL while the file is unreadable or invalid */
    uint32_t error;                  /* why index is NULL */
    bool have_identity;              /* id describes the file index (or error) came from */
    struct file_identity id;
    /* One thread reads and parses at a time, without the lock; the others keep answering
     * from the index they have, or wait on loaded when there is none. */
    bool loading;
    /* The line a syntax error is on and why, not yet logged when report_pending. */
    unsigned bad_line;
    const char *bad_line_reason;
    bool report_pending;
    /* Raised under cache_lock when the cache hands the entry out, else by a holder without
     * it (ntlm_userdb_ref); an entry at 0 is the cache's to free, under cache_lock. Every
     * logon writes it twice, so it has a cache line to itself, apart from what a lookup reads. */
    _Alignas(NTLM_CACHE_LINE) atomic_uint refs;
};

/* A syntax error to log, taken from a database under the lock and logged after it. */
struct syntax_report {
    char *path; /* NULL: nothing to report */
    unsigned line;
    const char *reason;
};

/*
 * The one lock: it guards the cache list, every database in it and their indexes, and is
 * held only to look at them or swap an index in: never while a file is read or parsed.
 */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t loaded = PTHREAD_COND_INITIALIZER;
static struct ntlm_userdb *cache;
static void (*load_hook)(const char *path);

/* A growable copy of the current line; it can hold a password, so it is wiped, never realloc'd. */
struct line_buf {
    char *data;
    size_t cap;
};

static void
line_buf_wipe(struct line_buf *line)
{
    if (line->data != NULL) {
        explicit_bzero(line->data, line->cap);
        free(line->data);
    }
    line->data = NULL;
    line->cap = 0;
}

static uint32_t
line_buf_set(struct line_buf *line, const char *start, size_t len)
{
    if (len >= line->cap) {
        size_t cap = len + 1 > 2 * line->cap ? len + 1 : 2 * line->cap;
        char *data = malloc(cap);

        if (data == NULL)
            return NTLM_ERR_NOMEM;
        line_buf_wipe(line);
        line->data = data;
        line->cap = cap;
    }
    memcpy(line->data, start, len);
    line->data[len] = '\0';
    return 0;
}

static uint64_t
fnv1a(uint64_t h, const char *s)
{
    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= FNV_PRIME;
    }
    return h;
}

/* domain_key NULL hashes the user alone (the by-user table). */
static uint64_t
key_hash(const char *user_key, const char *domain_key)
{
    uint64_t h = fnv1a(FNV_OFFSET, user_key);

    if (domain_key == NULL)
        return h;
    /* 0xff never occurs in UTF-8, so ("AB", "C") and ("A", "BC") hash apart. */
    h ^= 0xff;
    h *= FNV_PRIME;
    return fnv1a(h, domain_key);
}

/*
 * The slot of the by-pair table holding (user_key, domain_key), or of the by-user table
 * holding user_key when domain_key is NULL; else the empty slot where it belongs.
 */
static uint32_t *
index_slot(const struct ntlm_userdb_index *idx, const char *user_key, const char *domain_key)
{
    uint32_t *table = domain_key != NULL ? idx->by_pair : idx->by_user;
    size_t i = (size_t)key_hash(user_key, domain_key) & idx->mask;

    /* The tables are at most half full, so the probe always meets an empty slot. */
    for (;; i = (i + 1) & idx->mask) {
        const struct userdb_record *rec;

        if (table[i] == 0)
            return &table[i];
        rec = &idx->records[table[i] - 1];
        if (strcmp(idx->pool + rec->user_key, user_key) == 0 &&
            (domain_key == NULL || strcmp(idx->pool + rec->domain_key, domain_key) == 0))
            return &table[i];
    }
}

static uint32_t
pool_add(struct ntlm_userdb_index *idx, const char *s, size_t *offset)
{
    size_t len = strlen(s) + 1;

    if (len > idx->pool_cap - idx->pool_len) {
        size_t cap = idx->pool_cap == 0 ? 4096 : idx->pool_cap;
        char *pool;

        while (cap - idx->pool_len < len) {
            if (cap > SIZE_MAX / 2)
                return NTLM_ERR_NOMEM;
            cap *= 2;
        }
        /* By hand, as every part of an index: on cache lines of its own (ntlm_calloc_lines). */
        pool = ntlm_calloc_lines(cap);
        if (pool == NULL)
            return NTLM_ERR_NOMEM;
        if (idx->pool != NULL)
            memcpy(pool, idx->pool, idx->pool_len);
        free(idx->pool);
        idx->pool = pool;
        idx->pool_cap = cap;
    }
    memcpy(idx->pool + idx->pool_len, s, len);
    *offset = idx->pool_len;
    idx->pool_len += len;
    return 0;
}

/* Grows the record array by hand so that no copy of a hash is left behind by realloc. */
static uint32_t
records_reserve(struct ntlm_userdb_index *idx)
{
    struct userdb_record *records;
    size_t cap;

    if (idx->count < idx->records_cap)
        return 0;
    cap = idx->records_cap == 0 ? 64 : idx->records_cap * 2;
    /* Record numbers + 1 must fit the uint32_t slots. */
    if (cap > UINT32_MAX - 1 || cap > SIZE_MAX / sizeof(*records))
        return NTLM_ERR_NOMEM;
    records = ntlm_calloc_lines(cap * sizeof(*records));
    if (records == NULL)
        return NTLM_ERR_NOMEM;
    if (idx->records != NULL) {
        memcpy(records, idx->records, idx->count * sizeof(*records));
        explicit_bzero(idx->records, idx->records_cap * sizeof(*records));
        free(idx->records);
    }
    idx->records = records;
    idx->records_cap = cap;
    return 0;
}

static uint32_t
index_add(struct ntlm_userdb_index *idx, const char *user, const char *domain,
          const uint8_t nt_hash[16])
{
    struct userdb_record rec;
    char *user_key = NULL, *domain_key = NULL;
    uint32_t ret;

    ret = ntlm_utf8_upper(user, &user_key);
    if (ret)
        goto done;
    ret = ntlm_utf8_upper(domain, &domain_key);
    if (ret)
        goto done;
    ret = records_reserve(idx);
    if (ret)
        goto done;
    ret = pool_add(idx, user, &rec.user);
    if (ret)
        goto done;
    ret = pool_add(idx, domain, &rec.domain);
    if (ret)
        goto done;
    ret = pool_add(idx, user_key, &rec.user_key);
    if (ret)
        goto done;
    ret = pool_add(idx, domain_key, &rec.domain_key);
    if (ret)
        goto done;
    memcpy(rec.nt_hash, nt_hash, sizeof(rec.nt_hash));
    idx->records[idx->count++] = rec;
    explicit_bzero(&rec, sizeof(rec));
done:
    free(domain_key);
    free(user_key);
    /* The line was checked as UTF-8 already; this keeps a stricter decoder a syntax error. */
    return ret == NTLM_ERR_BAD_UTF8 ? NTLM_ERR_USERDB_SYNTAX : ret;
}

/* Builds the two hash tables once all records are known. */
static uint32_t
index_build(struct ntlm_userdb_index *idx)
{
    size_t slots = 16, i;

    while (slots < 2 * idx->count)
        slots *= 2;
    if (slots > SIZE_MAX / sizeof(*idx->by_pair))
        return NTLM_ERR_NOMEM;
    idx->by_pair = ntlm_calloc_lines(slots * sizeof(*idx->by_pair));
    idx->by_user = ntlm_calloc_lines(slots * sizeof(*idx->by_user));
    if (idx->by_pair == NULL || idx->by_user == NULL)
        return NTLM_ERR_NOMEM;
    idx->mask = slots - 1;
    for (i = 0; i < idx->count; i++) {
        const char *user_key = idx->pool + idx->records[i].user_key;
        uint32_t *slot;

        /* Insert only into empty slots: the first line for a key wins, as in a linear scan. */
        slot = index_slot(idx, user_key, idx->pool + idx->records[i].domain_key);
        if (*slot == 0)
            *slot = (uint32_t)i + 1;
        slot = index_slot(idx, user_key, NULL);
        if (*slot == 0)
            *slot = (uint32_t)i + 1;
    }
    return 0;
}

static int
hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool
ntlm_nt_hash_from_hex(const char *hex, size_t len, uint8_t out[16])
{
    size_t i;

    if (len != NT_HASH_HEX_LEN)
        return false;
    for (i = 0; i < 16; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

/* Machine and trust accounts are named after the computer or domain with a '$' appended. */
static bool
is_machine_account(const char *user)
{
    size_t len = strlen(user);

    return len > 0 && user[len - 1] == '$';
}

/*
 * Adds the user one line defines, every format alike: the names must be ones an account can
 * have (else the line is an error), and a line for an account that must never log on (no
 * password, disabled, locked, a machine or trust account) defines nobody, which makes that
 * user unknown. Machine and trust accounts authenticate a computer or a domain to a domain
 * controller, never a person to this server.
 */
static uint32_t
add_entry(struct ntlm_userdb_index *idx, const char *user, const char *domain,
          const uint8_t nt_hash[16], bool may_log_on, const char **why)
{
    if (*user == '\0' || !ntlm_account_name_valid(user) || !ntlm_account_name_valid(domain)) {
        *why = "an empty user, or a user or domain with a backslash or a control character";
        return NTLM_ERR_USERDB_SYNTAX;
    }
    if (!may_log_on || is_machine_account(user))
        return 0;
    return index_add(idx, user, domain, nt_hash);
}

/* Splits line in place at its first two colons. Returns false when it has fewer. */
static bool
split_three(char *line, char **first, char **second, char **rest)
{
    char *c1 = strchr(line, ':'), *c2;

    if (c1 == NULL)
        return false;
    c2 = strchr(c1 + 1, ':');
    if (c2 == NULL)
        return false;
    *c1 = '\0';
    *c2 = '\0';
    *first = line;
    *second = c1 + 1;
    *rest = c2 + 1;
    return true;
}

/* Our own format: DOMAIN:USER:NTHASH. */
static uint32_t
parse_own_line(struct ntlm_userdb_index *idx, char *line, const char **why)
{
    char *domain, *user, *hex;
    uint8_t nt_hash[16];
    uint32_t ret;

    if (!split_three(line, &domain, &user, &hex) ||
        !ntlm_nt_hash_from_hex(hex, strlen(hex), nt_hash)) {
        *why = "not DOMAIN:USER:NTHASH with 32 hexadecimal digits";
        return NTLM_ERR_USERDB_SYNTAX;
    }
    ret = add_entry(idx, user, domain, nt_hash, true, why);
    explicit_bzero(nt_hash, sizeof(nt_hash));
    return ret;
}

/*
 * smbpasswd(5): NAME:UID:LMHASH:NTHASH:[FLAGS]:LCT-XXXXXXXX:, or in files older than account
 * flags NAME:UID:LMHASH:NTHASH:GECOS:HOME:SHELL. A line has this shape when its second field
 * is a decimal UID and it has at least four colons; it is then read as smbpasswd or refused,
 * never read again as DOMAIN:USER:PASSWORD (that once turned "nopw:1000:NO PASSWORD..." into
 * user "1000" of domain "nopw" with the rest of the line as its password).
 */
static bool
has_smbpasswd_shape(const char *line)
{
    const char *uid = strchr(line, ':'), *uid_end, *p;
    unsigned colons = 0;

    if (uid == NULL)
        return false;
    uid++;
    uid_end = strchr(uid, ':');
    if (uid_end == NULL || uid_end == uid || strspn(uid, "0123456789") != (size_t)(uid_end - uid))
        return false;
    for (p = line; *p != '\0'; p++)
        colons += *p == ':';
    return colons >= 4;
}

enum smbpasswd_hash { HASH_BAD, HASH_SET, HASH_NONE };

/*
 * An LMHASH or NTHASH field: 32 hexadecimal digits; or what Samba writes for an account
 * without that password: 32 'X' (or '*' in old files), or "NO PASSWORD" then 21 'X' for an
 * account that needs none (flag N).
 */
static enum smbpasswd_hash
smbpasswd_hash(const char *field, uint8_t out[16])
{
    static const char no_password[] = "NO PASSWORD";
    size_t len = strlen(field), skip = 0;

    if (len != NT_HASH_HEX_LEN)
        return HASH_BAD;
    if (ntlm_nt_hash_from_hex(field, len, out))
        return HASH_SET;
    if (strncmp(field, no_password, sizeof(no_password) - 1) == 0)
        skip = sizeof(no_password) - 1;
    if (strspn(field + skip, "X") == len - skip || (skip == 0 && strspn(field, "*") == len))
        return HASH_NONE;
    return HASH_BAD;
}

/*
 * Whether the account flags let the account log on: not disabled (D) or auto-locked (L), and
 * not a workstation (W), server (S) or interdomain (I) trust account. Flags look like
 * "[UX         ]"; *ok is false when the field starts like flags but is not.
 */
static bool
smbpasswd_flags_allow(const char *field, bool *ok)
{
    const char *close;
    size_t len;

    *ok = true;
    if (*field != '[')
        return true; /* a file older than account flags: GECOS */
    close = strchr(field, ']');
    len = close != NULL ? (size_t)(close - field - 1) : 0;
    if (close == NULL || strspn(field + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ ") != len) {
        *ok = false;
        return false;
    }
    return strcspn(field + 1, "DLWSI") >= len;
}

/* An smbpasswd line (has_smbpasswd_shape). NAME may be DOMAIN\USER; without a domain the
 * entry matches any domain. */
static uint32_t
parse_smbpasswd_line(struct ntlm_userdb_index *idx, char *line, const char **why)
{
    char *fields[5], *sep, *p = line;
    const char *user, *domain = "";
    uint8_t lm_hash[16], nt_hash[16];
    enum smbpasswd_hash lm, nt;
    bool allowed, flags_ok;
    size_t i;
    uint32_t ret;

    for (i = 0; i < 5; i++) {
        fields[i] = p;
        p += strcspn(p, ":");
        if (*p != '\0')
            *p++ = '\0';
    }
    lm = smbpasswd_hash(fields[2], lm_hash);
    nt = smbpasswd_hash(fields[3], nt_hash);
    explicit_bzero(lm_hash, sizeof(lm_hash));
    allowed = smbpasswd_flags_allow(fields[4], &flags_ok);
    if (lm == HASH_BAD || nt == HASH_BAD || !flags_ok) {
        *why = "an smbpasswd line (NAME:UID:...) whose hash or flags field is not as "
               "smbpasswd(5) writes it";
        ret = NTLM_ERR_USERDB_SYNTAX;
        goto done;
    }
    user = fields[0];
    sep = strchr(fields[0], '\\');
    if (sep != NULL) {
        *sep = '\0';
        domain = fields[0];
        user = sep + 1;
        if (*domain == '\0') {
            *why = "an smbpasswd NAME of the form \\USER";
            ret = NTLM_ERR_USERDB_SYNTAX;
            goto done;
        }
    }
    ret = add_entry(idx, user, domain, nt_hash, nt == HASH_SET && allowed, why);
done:
    explicit_bzero(nt_hash, sizeof(nt_hash));
    return ret;
}

/* gss-ntlmssp's DOMAIN:USER:PASSWORD, the password being everything after the second colon. */
static uint32_t
parse_password_line(struct ntlm_userdb_index *idx, char *line, const char **why)
{
    char *domain, *user, *password;
    uint8_t nt_hash[16];
    uint32_t ret;

    if (!split_three(line, &domain, &user, &password)) {
        *why = "fits no format: not DOMAIN:USER:PASSWORD nor an smbpasswd line";
        return NTLM_ERR_USERDB_SYNTAX;
    }
    ret = ntlm_nt_hash(password, nt_hash);
    /* The password is not needed past this point; the caller wipes the rest of the line. */
    explicit_bzero(password, strlen(password));
    if (ret == NTLM_ERR_BAD_UTF8) {
        *why = "a password that is not UTF-8";
        ret = NTLM_ERR_USERDB_SYNTAX;
    }
    if (ret == 0)
        ret = add_entry(idx, user, domain, nt_hash, true, why);
    explicit_bzero(nt_hash, sizeof(nt_hash));
    return ret;
}

/* A line of a file without our header, in the format its shape says. */
static uint32_t
parse_foreign_line(struct ntlm_userdb_index *idx, char *line, const char **why)
{
    if (has_smbpasswd_shape(line))
        return parse_smbpasswd_line(idx, line, why);
    return parse_password_line(idx, line, why);
}

static bool
is_blank_or_comment(const char *line)
{
    line += strspn(line, " \t");
    return *line == '\0' || *line == '#';
}

uint32_t
ntlm_userdb_parse(const char *text, size_t len, struct ntlm_userdb_index **index,
                  unsigned *bad_line, const char **reason)
{
    struct ntlm_userdb_index *idx = NULL;
    struct line_buf line = {NULL, 0};
    bool own_format = false;
    unsigned line_no = 0;
    size_t pos = 0;
    const char *why = "not UTF-8 text";
    uint32_t ret = 0;

    idx = ntlm_calloc_lines(sizeof(*idx));
    if (idx == NULL) {
        ret = NTLM_ERR_NOMEM;
        goto done;
    }
    while (pos < len) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl != NULL ? (size_t)(nl - start) : len - pos;

        pos += n + (nl != NULL);
        line_no++;
        if (n > 0 && start[n - 1] == '\r')
            n--;
        if (memchr(start, '\0', n) != NULL) {
            why = "a NUL byte";
            ret = NTLM_ERR_USERDB_SYNTAX;
            goto done;
        }
        ret = line_buf_set(&line, start, n);
        if (ret)
            goto done;
        if (line_no == 1 && strcmp(line.data, OWN_FORMAT_HEADER) == 0) {
            own_format = true;
            continue;
        }
        /* A header of a version we do not know must not be taken for a comment. */
        if (line_no == 1 && strncmp(line.data, OWN_FORMAT_PREFIX, strlen(OWN_FORMAT_PREFIX)) == 0) {
            why = "a header of an unknown version";
            ret = NTLM_ERR_USERDB_SYNTAX;
            goto done;
        }
        if (is_blank_or_comment(line.data))
            continue;
        if (u8_check((const uint8_t *)line.data, n) != NULL) {
            ret = NTLM_ERR_USERDB_SYNTAX;
            goto done;
        }
        ret = own_format ? parse_own_line(idx, line.data, &why)
                         : parse_foreign_line(idx, line.data, &why);
        if (ret)
            goto done;
    }
    ret = index_build(idx);
done:
    line_buf_wipe(&line);
    if (ret) {
        ntlm_userdb_index_free(idx);
        if (ret == NTLM_ERR_USERDB_SYNTAX && bad_line != NULL)
            *bad_line = line_no;
        if (ret == NTLM_ERR_USERDB_SYNTAX && reason != NULL)
            *reason = why;
    } else {
        *index = idx;
    }
    return ret;
}

uint32_t
ntlm_userdb_index_lookup(const struct ntlm_userdb_index *index, const char *user,
                         const char *domain, struct ntlm_user_entry *entry)
{
    char *user_key = NULL, *domain_key = NULL, *user_copy = NULL, *domain_copy = NULL;
    const struct userdb_record *rec;
    const uint32_t *slot;
    uint32_t ret;

    if (index == NULL || user == NULL || entry == NULL)
        return NTLM_ERR_INVALID_ARG;
    ret = ntlm_utf8_upper(user, &user_key);
    if (ret)
        goto done;
    if (domain == NULL || *domain == '\0') {
        slot = index_slot(index, user_key, NULL);
    } else {
        ret = ntlm_utf8_upper(domain, &domain_key);
        if (ret)
            goto done;
        slot = index_slot(index, user_key, domain_key);
        if (*slot == 0)
            slot = index_slot(index, user_key, "");
    }
    if (*slot == 0) {
        ret = NTLM_ERR_UNKNOWN_USER;
        goto done;
    }
    rec = &index->records[*slot - 1];
    user_copy = strdup(index->pool + rec->user);
    domain_copy = strdup(index->pool + rec->domain);
    if (user_copy == NULL || domain_copy == NULL) {
        ret = NTLM_ERR_NOMEM;
        goto done;
    }
    entry->user = user_copy;
    entry->domain = domain_copy;
    memcpy(entry->nt_hash, rec->nt_hash, sizeof(entry->nt_hash));
    user_copy = NULL;
    domain_copy = NULL;
done:
    free(domain_copy);
    free(user_copy);
    free(domain_key);
    free(user_key);
    /* No name that is not UTF-8 can be in the index. */
    return ret == NTLM_ERR_BAD_UTF8 ? NTLM_ERR_UNKNOWN_USER : ret;
}

size_t
ntlm_userdb_index_count(const struct ntlm_userdb_index *index)
{
    return index != NULL ? index->count : 0;
}

void
ntlm_userdb_index_free(struct ntlm_userdb_index *index)
{
    if (index == NULL)
        return;
    if (index->records != NULL)
        explicit_bzero(index->records, index->records_cap * sizeof(*index->records));
    free(index->records);
    free(index->pool);
    free(index->by_pair);
    free(index->by_user);
    free(index);
}

void
ntlm_user_entry_clear(struct ntlm_user_entry *entry)
{
    if (entry == NULL)
        return;
    explicit_bzero(entry->nt_hash, sizeof(entry->nt_hash));
    free(entry->user);
    free(entry->domain);
    entry->user = NULL;
    entry->domain = NULL;
}

static void
identity_from_stat(struct file_identity *id, const struct stat *st)
{
    id->dev = st->st_dev;
    id->ino = st->st_ino;
    id->size = st->st_size;
    id->mtim = st->st_mtim;
    id->ctim = st->st_ctim;
}

/* Whether the policy lets us use a file of this mode. */
static bool
mode_allowed(bool strict, mode_t mode)
{
    return !strict || (mode & UNSAFE_MODE_BITS) == 0;
}

static bool
identity_equal(const struct file_identity *a, const struct file_identity *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtim.tv_sec == b->mtim.tv_sec && a->mtim.tv_nsec == b->mtim.tv_nsec &&
           a->ctim.tv_sec == b->ctim.tv_sec && a->ctim.tv_nsec == b->ctim.tv_nsec;
}

/*
 * Reads the whole regular file at path. *id is the identity before reading: a change made
 * while we read shows as a different identity at the next lookup, which then re-reads.
 */
static uint32_t
read_user_file(const char *path, bool strict, char **text, size_t *text_len,
               struct file_identity *id)
{
    struct stat st;
    char *buf = NULL;
    size_t cap = 0, len = 0;
    int fd;
    uint32_t ret;

    /* O_NONBLOCK: a FIFO at path must not hang us before the regular-file check. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        ret = errno == ENOMEM ? NTLM_ERR_NOMEM : NTLM_ERR_USERDB_UNREADABLE;
        goto done;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uintmax_t)st.st_size >= SIZE_MAX) {
        ret = NTLM_ERR_USERDB_UNREADABLE;
        goto done;
    }
    /* On the descriptor we read: a file swapped in after a stat cannot slip through. */
    if (!mode_allowed(strict, st.st_mode)) {
        ret = NTLM_ERR_USERDB_PERMISSIONS;
        goto done;
    }
    identity_from_stat(id, &st);
    /* The size is a hint: a file that grows while we read is read to its end. */
    cap = (size_t)st.st_size + 1;
    buf = malloc(cap);
    if (buf == NULL) {
        ret = NTLM_ERR_NOMEM;
        goto done;
    }
    for (;;) {
        ssize_t n;

        if (len == cap) {
            char *bigger = cap <= SIZE_MAX / 2 ? malloc(cap * 2) : NULL;

            if (bigger == NULL) {
                ret = NTLM_ERR_NOMEM;
                goto done;
            }
            memcpy(bigger, buf, len);
            explicit_bzero(buf, cap);
            free(buf);
            buf = bigger;
            cap *= 2;
        }
        n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ret = NTLM_ERR_USERDB_UNREADABLE;
            goto done;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    *text = buf;
    *text_len = len;
    buf = NULL;
    ret = 0;
done:
    if (buf != NULL) {
        explicit_bzero(buf, cap);
        free(buf);
    }
    if (fd >= 0)
        close(fd);
    return ret;
}

/* Drops the index: from now on lookups fail with error (fail closed). */
static void
userdb_fail(struct ntlm_userdb *db, uint32_t error)
{
    ntlm_userdb_index_free(db->index);
    db->index = NULL;
    db->error = error;
}

/* What one read and parse of a file gave, made without the lock and installed under it. */
struct userdb_load {
    struct ntlm_userdb_index *index;
    struct file_identity id;
    uint32_t ret;
    unsigned bad_line;
    const char *why;
};

/* Reads and parses the file. Called WITHOUT cache_lock: path and strict never change. */
static void
userdb_read(const struct ntlm_userdb *db, struct userdb_load *out)
{
    char *text = NULL;
    size_t len = 0;

    out->index = NULL;
    out->bad_line = 0;
    out->why = "";
    out->ret = read_user_file(db->path, db->strict, &text, &len, &out->id);
    if (load_hook != NULL)
        load_hook(db->path);
    if (out->ret == 0)
        out->ret = ntlm_userdb_parse(text, len, &out->index, &out->bad_line, &out->why);
    if (text != NULL) {
        explicit_bzero(text, len);
        free(text);
    }
}

/* Puts what userdb_read gave in place. Called with cache_lock held. */
static uint32_t
userdb_install(struct ntlm_userdb *db, struct userdb_load *load)
{
    db->have_identity = false;
    /* Reported once per change of the file (the error stays until it changes again), by
     * log_report once the lock is released. */
    if (load->ret == NTLM_ERR_USERDB_SYNTAX) {
        db->bad_line = load->bad_line;
        db->bad_line_reason = load->why;
        db->report_pending = true;
    }
    /* A syntax error stays until the file changes; other failures are retried next time. */
    if (load->ret == 0 || load->ret == NTLM_ERR_USERDB_SYNTAX) {
        db->id = load->id;
        db->have_identity = true;
    }
    if (load->ret) {
        userdb_fail(db, load->ret);
        return load->ret;
    }
    ntlm_userdb_index_free(db->index);
    db->index = load->index;
    load->index = NULL;
    return 0;
}

/* What a stat made outside the lock says about the file: ok is false when it failed. */
struct userdb_stat {
    bool ok;
    struct stat st;
};

static void
userdb_stat(const struct ntlm_userdb *db, struct userdb_stat *out)
{
    out->ok = stat(db->path, &out->st) == 0 && S_ISREG(out->st.st_mode);
}

/*
 * Brings db up to date with the file as *now found it, taking and giving back cache_lock
 * (held on entry and on return) around the read. While another thread reads, the index in
 * hand answers (the file changed a moment ago: a logon a moment earlier got the same
 * answer); with none in hand, this waits for that read.
 */
static uint32_t
userdb_refresh(struct ntlm_userdb *db, const struct userdb_stat *now)
{
    struct userdb_load load;
    struct file_identity id;
    uint32_t ret;

    if (!now->ok) {
        db->have_identity = false;
        userdb_fail(db, NTLM_ERR_USERDB_UNREADABLE);
        return NTLM_ERR_USERDB_UNREADABLE;
    }
    if (!mode_allowed(db->strict, now->st.st_mode)) {
        db->have_identity = false;
        userdb_fail(db, NTLM_ERR_USERDB_PERMISSIONS);
        return NTLM_ERR_USERDB_PERMISSIONS;
    }
    identity_from_stat(&id, &now->st);
    for (;;) {
        if (db->have_identity && identity_equal(&id, &db->id))
            return db->index != NULL ? 0 : db->error;
        if (!db->loading)
            break;
        if (db->index != NULL)
            return 0;
        pthread_cond_wait(&loaded, &cache_lock);
    }
    db->loading = true;
    atomic_fetch_add(&db->refs, 1); /* kept in the cache while the lock is dropped */
    pthread_mutex_unlock(&cache_lock);
    userdb_read(db, &load);
    pthread_mutex_lock(&cache_lock);
    ret = userdb_install(db, &load);
    db->loading = false;
    atomic_fetch_sub(&db->refs, 1);
    pthread_cond_broadcast(&loaded);
    ntlm_userdb_index_free(load.index);
    return ret;
}

static void
userdb_free(struct ntlm_userdb *db)
{
    ntlm_userdb_index_free(db->index);
    free(db->path);
    free(db);
}

/* Frees the databases nobody holds beyond the IDLE_CACHE_MAX most recently opened ones. */
static void
cache_trim(void)
{
    struct ntlm_userdb **link = &cache;
    unsigned idle = 0;

    while (*link != NULL) {
        struct ntlm_userdb *db = *link;

        if (atomic_load(&db->refs) == 0 && (db->index == NULL || ++idle > IDLE_CACHE_MAX)) {
            *link = db->next;
            userdb_free(db);
        } else {
            link = &db->next;
        }
    }
}

/* Finds (path, strict) in the cache and moves it to the front, or adds a new unparsed entry
 * there. The entry comes back held (refs + 1). */
static uint32_t
cache_get(const char *path, bool strict, struct ntlm_userdb **out)
{
    struct ntlm_userdb **link, *db;

    for (link = &cache; *link != NULL; link = &(*link)->next) {
        if ((*link)->strict == strict && strcmp((*link)->path, path) == 0)
            break;
    }
    db = *link;
    if (db != NULL) {
        *link = db->next;
    } else {
        db = ntlm_calloc_lines(sizeof(*db));
        if (db == NULL)
            return NTLM_ERR_NOMEM;
        db->path = strdup(path);
        if (db->path == NULL) {
            free(db);
            return NTLM_ERR_NOMEM;
        }
        db->strict = strict;
    }
    db->next = cache;
    cache = db;
    atomic_fetch_add(&db->refs, 1);
    *out = db;
    return 0;
}

/* Takes the pending syntax error of db, if any. Called with cache_lock held. */
static void
take_report(struct ntlm_userdb *db, struct syntax_report *report)
{
    if (!db->report_pending)
        return;
    report->path = strdup(db->path);
    report->line = db->bad_line;
    report->reason = db->bad_line_reason;
    db->report_pending = false;
}

/*
 * Logs a syntax error with the file and line to syslog (authpriv), where an administrator
 * learns which line to fix. Called without cache_lock.
 */
static void
log_report(struct syntax_report *report)
{
    if (report->path == NULL)
        return;
    syslog(LOG_AUTHPRIV | LOG_ERR,
           "sspigss-ntlm: user file %s, line %u: %s; no logon uses the file until it is fixed",
           report->path, report->line, report->reason);
    free(report->path);
    report->path = NULL;
}

uint32_t
ntlm_userdb_open(const char *path, bool strict, struct ntlm_userdb **db)
{
    struct syntax_report report = {NULL, 0, NULL};
    struct ntlm_userdb *found = NULL;
    struct userdb_stat now;
    uint32_t ret;

    if (path == NULL || db == NULL)
        return NTLM_ERR_INVALID_ARG;
    pthread_mutex_lock(&cache_lock);
    ret = cache_get(path, strict, &found);
    pthread_mutex_unlock(&cache_lock);
    if (ret)
        return ret;
    userdb_stat(found, &now);
    pthread_mutex_lock(&cache_lock);
    ret = userdb_refresh(found, &now);
    take_report(found, &report);
    if (ret)
        atomic_fetch_sub(&found->refs, 1);
    else
        *db = found;
    /* Drops, among others, the entry just made for a file that failed to load. */
    cache_trim();
    pthread_mutex_unlock(&cache_lock);
    log_report(&report);
    return ret;
}

uint32_t
ntlm_userdb_get(const char *path, bool strict, struct ntlm_userdb **db)
{
    uint32_t ret;

    if (path == NULL || db == NULL)
        return NTLM_ERR_INVALID_ARG;
    pthread_mutex_lock(&cache_lock);
    ret = cache_get(path, strict, db);
    pthread_mutex_unlock(&cache_lock);
    return ret;
}

struct ntlm_userdb *
ntlm_userdb_ref(struct ntlm_userdb *db)
{
    /* The caller holds db, so its count is not 0 and the cache cannot free it meanwhile:
     * no lock, one atomic (a context takes one per logon). */
    if (db != NULL)
        atomic_fetch_add(&db->refs, 1);
    return db;
}

const char *
ntlm_userdb_path(const struct ntlm_userdb *db)
{
    return db->path;
}

uint32_t
ntlm_userdb_lookup(struct ntlm_userdb *db, const char *user, const char *domain,
                   struct ntlm_user_entry *entry)
{
    struct syntax_report report = {NULL, 0, NULL};
    struct userdb_stat now;
    uint32_t ret;

    if (db == NULL)
        return NTLM_ERR_INVALID_ARG;
    /* The logon's one stat, made before the lock is taken. */
    userdb_stat(db, &now);
    pthread_mutex_lock(&cache_lock);
    ret = userdb_refresh(db, &now);
    take_report(db, &report);
    if (ret == 0)
        ret = ntlm_userdb_index_lookup(db->index, user, domain, entry);
    pthread_mutex_unlock(&cache_lock);
    log_report(&report);
    return ret;
}

void
ntlm_userdb_set_load_hook(void (*hook)(const char *path))
{
    pthread_mutex_lock(&cache_lock);
    load_hook = hook;
    pthread_mutex_unlock(&cache_lock);
}

void
ntlm_userdb_release(struct ntlm_userdb *db)
{
    /* Only the last holder's release has the cache to trim. */
    if (db == NULL || atomic_fetch_sub(&db->refs, 1) != 1)
        return;
    pthread_mutex_lock(&cache_lock);
    cache_trim();
    pthread_mutex_unlock(&cache_lock);
}
