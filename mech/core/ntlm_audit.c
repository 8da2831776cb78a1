/*
 * The audit line per authentication attempt: its format (escaped names, no secrets) and its
 * delivery to syslog or an append-only file.
 */
#include "ntlm_audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "ntlm_errors.h"
#include "ntlm_syslog.h"

#define TRUNCATION_MARK "..."

/* A small string builder over a fixed buffer; overflow cannot happen for NTLM_AUDIT_LINE_MAX,
 * and is refused all the same. */
struct line {
    char *p;
    size_t len, size;
    bool overflow;
};

static void
line_add(struct line *l, const char *s, size_t n)
{
    if (l->overflow || n >= l->size - l->len) {
        l->overflow = true;
        return;
    }
    memcpy(l->p + l->len, s, n);
    l->len += n;
    l->p[l->len] = '\0';
}

static void
line_str(struct line *l, const char *s)
{
    line_add(l, s, strlen(s));
}

/* Appends s, at most max bytes of it (0: all), with every byte a log reader could trip on
 * written %XX: controls (line breaks above all), non-ASCII, and the quote, %, \ we use. */
static void
line_escaped(struct line *l, const char *s, size_t max)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i, n = strlen(s);

    for (i = 0; i < n && (max == 0 || i < max); i++) {
        unsigned char c = (unsigned char)s[i];

        if (c >= 0x20 && c < 0x7f && c != '"' && c != '%' && c != '\\') {
            line_add(l, (const char *)&c, 1);
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 0xf]};

            line_add(l, esc, sizeof(esc));
        }
    }
    if (i < n)
        line_str(l, TRUNCATION_MARK);
}

static const char *
version_text(enum ntlm_audit_version v)
{
    switch (v) {
    case NTLM_AUDIT_NTLMV2:
        return "v2";
    case NTLM_AUDIT_NTLMV1:
        return "v1";
    case NTLM_AUDIT_LM:
        return "lm";
    case NTLM_AUDIT_ANONYMOUS:
        return "anonymous";
    default:
        return "-";
    }
}

const char *
ntlm_audit_mic_text(enum ntlm_mic_status s)
{
    switch (s) {
    case NTLM_MIC_VERIFIED:
        return "verified";
    case NTLM_MIC_ABSENT:
        return "absent";
    case NTLM_MIC_REQUIRED_MISSING:
        return "required-missing";
    case NTLM_MIC_MISMATCH:
        return "mismatch";
    default:
        return "not-checked";
    }
}

const char *
ntlm_audit_cb_text(enum ntlm_cb_status s)
{
    switch (s) {
    case NTLM_CB_MATCHED:
        return "matched";
    case NTLM_CB_ABSENT:
        return "absent";
    case NTLM_CB_MISMATCH:
        return "mismatch";
    default:
        return "not-checked";
    }
}

const char *
ntlm_audit_target_text(enum ntlm_target_status s)
{
    switch (s) {
    case NTLM_TARGET_MATCHED:
        return "matched";
    case NTLM_TARGET_ABSENT:
        return "absent";
    case NTLM_TARGET_UNTRUSTED:
        return "untrusted";
    case NTLM_TARGET_MISMATCH:
        return "mismatch";
    case NTLM_TARGET_REQUIRED_MISSING:
        return "required-missing";
    case NTLM_TARGET_REFLECTED:
        return "reflected";
    default:
        return "not-checked";
    }
}

void
ntlm_audit_set_target(struct ntlm_audit_record *rec, const char *target)
{
    size_t n;

    rec->has_target = target != NULL;
    rec->target[0] = '\0';
    if (target == NULL)
        return;
    n = strnlen(target, sizeof(rec->target) - 1);
    memcpy(rec->target, target, n);
    rec->target[n] = '\0';
}

size_t
ntlm_audit_format(const struct ntlm_audit_record *rec, time_t now, char *out, size_t size)
{
    struct line l = {out, 0, size, false};
    const char *reason;
    char stamp[32];
    struct tm tm;

    if (size < NTLM_AUDIT_LINE_MAX)
        return 0;
    out[0] = '\0';
    if (!ntlm_syslog_time(now, true, &tm) ||
        strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(stamp, sizeof(stamp), "@%lld", (long long)now);
    line_str(&l, stamp);
    line_str(&l, " sspigss-ntlm: workstation=");
    if (rec->workstation != NULL) {
        line_str(&l, "\"");
        line_escaped(&l, rec->workstation, NTLM_AUDIT_NAME_MAX);
        line_str(&l, "\"");
    } else {
        line_str(&l, "-");
    }
    line_str(&l, " user=");
    if (rec->user != NULL) {
        line_str(&l, "\"");
        line_escaped(&l, rec->domain != NULL ? rec->domain : "", NTLM_AUDIT_NAME_MAX);
        line_str(&l, "\\");
        line_escaped(&l, rec->user, NTLM_AUDIT_NAME_MAX);
        line_str(&l, "\"");
    } else {
        line_str(&l, "-");
    }
    line_str(&l, " version=");
    line_str(&l, version_text(rec->version));
    line_str(&l, " mic=");
    line_str(&l, ntlm_audit_mic_text(rec->mic));
    line_str(&l, " cb=");
    line_str(&l, ntlm_audit_cb_text(rec->cb));
    line_str(&l, " target=");
    if (rec->has_target) {
        line_str(&l, "\"");
        line_escaped(&l, rec->target, NTLM_AUDIT_NAME_MAX);
        line_str(&l, "\"");
    } else {
        line_str(&l, "-");
    }
    line_str(&l, " target_check=");
    line_str(&l, ntlm_audit_target_text(rec->target_status));
    line_str(&l, rec->result == 0 ? " result=ok reason=\"" : " result=fail reason=\"");
    reason = rec->result != 0 ? ntlm_error_message(rec->result)
             : rec->by_domain ? "authenticated by a domain controller"
                              : "authenticated";
    line_escaped(&l, reason != NULL ? reason : "unknown error", 256);
    line_str(&l, rec->locked_out_now ? "\" lockout=started\n" : "\"\n");
    if (l.overflow) {
        out[0] = '\0';
        return 0;
    }
    return l.len;
}

size_t
ntlm_audit_escape(const char *s, size_t max, char *out, size_t size)
{
    struct line l = {out, 0, size, false};

    if (size == 0)
        return 0;
    out[0] = '\0';
    line_escaped(&l, s, max);
    /* A cut piece keeps what fitted: line_add refuses whole pieces only. */
    return l.len;
}

/* One write(2) of the whole line on an O_APPEND descriptor: concurrent writers (threads,
 * prefork servers) cannot interleave within a line. */
int
ntlm_audit_append_line(const char *file, const char *line, size_t len)
{
    ssize_t n;
    int fd, err = 0;

    fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0600);
    if (fd < 0)
        return errno;
    do {
        n = write(fd, line, len);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        err = errno;
    else if ((size_t)n != len)
        err = EIO;
    if (close(fd) != 0 && err == 0)
        err = errno;
    return err;
}

int
ntlm_audit_write(enum ntlm_audit_target target, const char *file, struct ntlm_syslog *log,
                 const struct ntlm_audit_record *rec)
{
    int priority = LOG_AUTHPRIV | (rec->result == 0 ? LOG_INFO : LOG_NOTICE);
    char line[NTLM_AUDIT_LINE_MAX];
    time_t now = time(NULL);
    size_t len;
    int err;

    if (target == NTLM_AUDIT_NONE)
        return 0;
    len = ntlm_audit_format(rec, now, line, sizeof(line));
    if (len == 0)
        return EOVERFLOW;
    if (target == NTLM_AUDIT_FILE)
        return file != NULL ? ntlm_audit_append_line(file, line, len) : EINVAL;
    /* The system log's lines have no newline. */
    line[len - 1] = '\0';
    err = log != NULL ? ntlm_syslog_send(log, priority, now, line) : EPROTOTYPE;
    /* A stream socket at /dev/log (some syslog-ng setups) is glibc's to speak to. */
    if (err == EPROTOTYPE) {
        syslog(priority, "%s", line);
        err = 0;
    }
    return err;
}
