/*
 * The audit trail: one line per authentication attempt that reached the AUTHENTICATE step,
 * to syslog (authpriv) or appended to a file. Names appear as the client sent them, escaped
 * and cut to length; never a response, hash, key or password.
 */
#ifndef NTLM_AUDIT_H
#define NTLM_AUDIT_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "ntlm_binding.h"
#include "ntlm_config.h"
#include "ntlm_policy.h"

enum ntlm_audit_version {
    NTLM_AUDIT_VERSION_UNKNOWN = 0, /* the message could not be decoded */
    NTLM_AUDIT_NTLMV2,
    NTLM_AUDIT_NTLMV1,
    NTLM_AUDIT_LM,
    NTLM_AUDIT_ANONYMOUS,
};

/* Bytes of each name logged; longer ones are cut and end in "...". */
#define NTLM_AUDIT_NAME_MAX 64

/* Everything the line says; the strings are borrowed, except target. */
struct ntlm_audit_record {
    const char *workstation; /* as sent; NULL when unknown (undecodable message) */
    const char *domain;      /* likewise */
    const char *user;        /* likewise */
    enum ntlm_audit_version version;
    enum ntlm_mic_status mic;
    enum ntlm_cb_status cb;
    /* The client's MsvAvTargetName (a copy: the AV pairs it comes from are gone by the time
     * the line is written), cut one byte past what the line shows so that the cut shows. */
    char target[NTLM_AUDIT_NAME_MAX + 2];
    bool has_target;
    enum ntlm_target_status target_status;
    uint32_t result; /* 0, or the minor code the attempt failed with */
    bool by_domain;  /* the response went to a domain controller (winbind) */
    bool locked_out_now; /* this failure locked the account out (lockout_threshold) */
};

/* Room for any line ntlm_audit_format writes, newline and NUL included. */
#define NTLM_AUDIT_LINE_MAX 2048

/*
 * The line, newline-terminated, for an attempt at time now:
 *   2024-05-01T12:00:00Z sspigss-ntlm: workstation="WS1" user="CORP\alice" version=v2
 *   mic=verified cb=absent target="HTTP/www.example.com" target_check=matched result=ok
 *   reason="authenticated"
 * (one line; target=- when the client named none). In the quoted values, bytes outside printable ASCII and the characters " % \
 * are written %XX; the one bare backslash in user separates the domain from the user.
 * Returns the length (less than size), or 0 when size is under NTLM_AUDIT_LINE_MAX.
 */
size_t ntlm_audit_format(const struct ntlm_audit_record *rec, time_t now, char *out, size_t size);

/*
 * Writes the line for rec: to the system log through log (LOG_AUTHPRIV, LOG_INFO on success,
 * LOG_NOTICE on failure; through syslog() when log is NULL or /dev/log is a stream socket), or
 * appended to file (created 0600, never through a symbolic link) in one write(2), or nowhere.
 * Returns 0 or an errno value (ENOENT: no system log daemon listens); a log that cannot be
 * written does not change the outcome of the attempt.
 */
struct ntlm_syslog;
int ntlm_audit_write(enum ntlm_audit_target target, const char *file, struct ntlm_syslog *log,
                     const struct ntlm_audit_record *rec);

/* The words the line uses for a MIC and a channel-bindings outcome ("verified", "absent"...). */
const char *ntlm_audit_mic_text(enum ntlm_mic_status s);
const char *ntlm_audit_cb_text(enum ntlm_cb_status s);
const char *ntlm_audit_target_text(enum ntlm_target_status s);
/* Copies the client's target name (NULL: none) into rec, cut as the line would cut it. */
void ntlm_audit_set_target(struct ntlm_audit_record *rec, const char *target);

/*
 * The escaping of the quoted values above, shared with the debug trace: s, at most max bytes
 * of it (0: all), into out (always NUL-terminated when size > 0), ending in "..." when cut at
 * max. A value too long for out is cut at an escape boundary. Returns the length written.
 */
size_t ntlm_audit_escape(const char *s, size_t max, char *out, size_t size);

/*
 * Appends len bytes of line to file (created 0600, O_APPEND, never through a symbolic link)
 * in one write(2), so concurrent writers cannot interleave. Returns 0 or an errno value.
 */
int ntlm_audit_append_line(const char *file, const char *line, size_t len);

#endif
