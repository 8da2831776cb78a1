/*
 * Account lockout against online password guessing: consecutive failed logons per account of
 * the user file, counted in a table that every process of one server shares through a small
 * file it maps (state_dir/lockout-UID.db), so that spreading guesses over worker processes
 * gains nothing. No names are stored: an account is a keyed hash of its domain and user.
 */
#ifndef NTLM_LOCKOUT_H
#define NTLM_LOCKOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "ntlm_config.h"

/* The table of a server: 16384 buckets of NTLM_LOCKOUT_WAYS accounts (1 MiB of file). */
#define NTLM_LOCKOUT_BUCKETS 16384u
#define NTLM_LOCKOUT_WAYS 8u
/* Counts saturate here (lockout_threshold is at most 999, as on Windows). */
#define NTLM_LOCKOUT_COUNT_MAX 1023u

/* lockout_threshold, lockout_window, lockout_duration: see sspigss-ntlm.conf(5). */
struct ntlm_lockout_policy {
    unsigned threshold; /* failures that lock the account; 0: lockout off */
    unsigned window;    /* seconds after the last failure at which the count restarts */
    unsigned duration;  /* seconds a lockout lasts, from the failure that started it */
};

/* An account as the table knows it: derived from its names with the table's secret key. */
struct ntlm_lockout_key {
    uint32_t bucket;
    uint32_t tag;
};

struct ntlm_lockout;

/*
 * Opens the table file of this effective user in dir (created 0700 when missing), creating
 * the file (0600) when missing and replacing it when its header or size is not what this
 * version writes. buckets: NTLM_LOCKOUT_BUCKETS (tests pass fewer). Refuses (NTLM_ERR_LOCKOUT_STATE)
 * a file that is not a regular file owned by this user, private to it, with one link.
 */
uint32_t ntlm_lockout_open(const char *dir, uint32_t buckets, struct ntlm_lockout **out);
/* A table in this process's memory only (the fallback, and tests). */
uint32_t ntlm_lockout_new_private(uint32_t buckets, struct ntlm_lockout **out);
void ntlm_lockout_close(struct ntlm_lockout *table);
/* Whether the table is a shared file (false: this process only). */
bool ntlm_lockout_is_shared(const struct ntlm_lockout *table);

/*
 * The shared table in dir (a configuration's state_dir). When the directory or the file is
 * unusable, it warns (syslog, LOG_WARNING, and the debug trace) and gives a table private to
 * this process: lockout still applies, per process. NULL only when memory ran out.
 * ntlm_env.c opens one per directory and keeps it for the process's life.
 */
struct ntlm_lockout *ntlm_lockout_open_or_private(const char *dir);

/* The account domain\user (the user file's spelling; domain may be empty). */
uint32_t ntlm_lockout_key(const struct ntlm_lockout *table, const char *domain, const char *user,
                          struct ntlm_lockout_key *key);

/* NTLM_ERR_LOCKED_OUT while the account is locked at now; reads only. */
uint32_t ntlm_lockout_check(struct ntlm_lockout *table, const struct ntlm_lockout_policy *policy,
                            const struct ntlm_lockout_key *key, time_t now);
/*
 * A wrong password for the account at now. While it is locked: NTLM_ERR_LOCKED_OUT, and the
 * lockout is not extended. Otherwise counts it (after window seconds without a failure the
 * count restarts) and returns 0; *locked_now says that this failure reached the threshold.
 * A bucket whose every entry is a locked account has no room: NTLM_ERR_LOCKED_OUT.
 */
uint32_t ntlm_lockout_failure(struct ntlm_lockout *table, const struct ntlm_lockout_policy *policy,
                              const struct ntlm_lockout_key *key, time_t now, bool *locked_now);
/*
 * The right password for the account at now: NTLM_ERR_LOCKED_OUT while it is locked (or its
 * bucket is full of locked accounts), else 0 with the count reset. Writes only when there is
 * a count to reset.
 */
uint32_t ntlm_lockout_success(struct ntlm_lockout *table, const struct ntlm_lockout_policy *policy,
                              const struct ntlm_lockout_key *key, time_t now);

#endif
