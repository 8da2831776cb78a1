/*
 * The environment a credential and its contexts run in: one configuration file, kept current,
 * and what the protocol code needs besides the wire: the user database the file names, the
 * replay cache, the lockout table, the table of challenges this process answered
 * (reflection) and the trace destination. Protocol code gets all of these from here, never
 * from a process-wide getter.
 *
 * Ownership (docs/architecture.md draws it):
 *   - struct ntlm_env: refcounted. The registry (ntlm_env_get) builds one per configuration
 *     file and keeps it for the life of the process, so its replay cache and its clock of
 *     checks survive credentials that servers acquire and release per request. A credential
 *     holds a reference, and so does each context and each name an acceptor authenticated.
 *   - struct ntlm_settings: one reading of the file, immutable and refcounted. The env holds
 *     the current one; a step of a context takes a reference for its duration, so a reload
 *     never changes the policy under a step.
 *   - the lockout tables (one per state_dir) and the answered-challenges table are the
 *     registry's, shared by every env and never freed.
 *
 * Reload: a file is checked (one stat) at most once per second per env, when a step asks for
 * the settings, and re-read when its identity (device, inode, size, mtime, ctime) changed. A
 * file that became invalid leaves the env without settings: every credential using it fails
 * (NTLM_ERR_CONFIG, with "path:line: reason") until the file is fixed; no other env notices.
 */
#ifndef NTLM_ENV_H
#define NTLM_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "ntlm_binding.h"
#include "ntlm_config.h"
#include "ntlm_lockout.h"
#include "ntlm_policy.h"
#include "ntlm_userdb.h"

/* A file is stat'ed at most once per this many seconds per env. */
#define NTLM_ENV_CHECK_INTERVAL 1

struct ntlm_env;
struct ntlm_syslog;

/* One reading of a configuration file. Read-only once built. */
struct ntlm_settings {
    struct ntlm_config cfg; /* every field set: the file, NTLM_USER_FILE and the defaults */
    /* cfg.user_file's database (a handle: it is read at the first lookup), NULL when the
     * configuration names none or winbind = only. Permission policy: the file's. */
    struct ntlm_userdb *userdb;
    atomic_uint refs; /* taken under the env's lock while current, dropped without it */
    struct ntlm_env *env;
};

/*
 * The shared env of the configuration file at path, built (and the file read) at the first
 * call; NULL for the default file (SSPIGSS_NTLM_CONFIG, else the sysconfdir file, which may
 * be absent). A file named by path must exist. Succeeds even when the file is invalid (the
 * settings then fail). Errors: NTLM_ERR_NOMEM. Release with ntlm_env_release.
 */
uint32_t ntlm_env_get(const char *path, struct ntlm_env **out);
/* An env of its own for path (tests), in no registry: freed at its last release. */
uint32_t ntlm_env_new(const char *path, struct ntlm_env **out);
struct ntlm_env *ntlm_env_ref(struct ntlm_env *env);
void ntlm_env_release(struct ntlm_env *env);
/* The configuration file's path ("(none)" never: the default file's path when unnamed). */
const char *ntlm_env_path(const struct ntlm_env *env);

/*
 * The current settings, after checking the file when NTLM_ENV_CHECK_INTERVAL has passed since
 * the last check. Errors: NTLM_ERR_CONFIG (the file is invalid or unreadable: ntlm_env_error
 * says where), NTLM_ERR_NOMEM. Release with ntlm_settings_release.
 */
uint32_t ntlm_env_settings(struct ntlm_env *env, struct ntlm_settings **out);
void ntlm_settings_release(struct ntlm_settings *settings);
/*
 * The same for the length of one call of this thread (a step): the settings may be the
 * thread's own cached copy (*cached), which takes neither the env's lock nor a shared count
 * while the file is unchanged. Give them back with ntlm_env_settings_unhold on the same thread.
 */
uint32_t ntlm_env_settings_hold(struct ntlm_env *env, struct ntlm_settings **out, bool *cached);
void ntlm_env_settings_unhold(struct ntlm_settings *settings, bool cached);
/* Copies why the file is unusable ("path:line: reason") into buf; "" when it is usable. */
void ntlm_env_error(struct ntlm_env *env, char *buf, size_t size);

/* The env's replay cache (NTLM_REPLAY_CACHE_SIZE entries). */
struct ntlm_replay_cache *ntlm_env_replay_cache(struct ntlm_env *env);
/* The process's table of challenges its initiators answered, shared by every env. */
struct ntlm_answered_table *ntlm_env_answered(struct ntlm_env *env);

/* The process's sender of audit lines to the system log, shared by every env. */
struct ntlm_syslog *ntlm_env_syslog(struct ntlm_env *env);
/* The lockout table of cfg's state_dir (a shared file, or per process when unusable; one per
 * directory, which every env naming it shares); NULL only when memory ran out. */
struct ntlm_lockout *ntlm_env_lockout(struct ntlm_env *env, const struct ntlm_config *cfg);

/* Tests: the clock the check interval is measured on (NULL: CLOCK_MONOTONIC seconds). */
void ntlm_env_set_clock(time_t (*now)(void));

#endif
