/*
 * A lock-free sender of lines to the system log's datagram socket (see ntlm_syslog.h for why
 * glibc's syslog() is not used on the logon path).
 */
#include "ntlm_syslog.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ntlm_errors.h"

/* The header and an audit line (NTLM_AUDIT_LINE_MAX) with room to spare; longer messages are
 * cut, as glibc cuts nothing but the daemon would refuse them whole. */
#define LINE_MAX_BYTES 4096

struct ntlm_syslog {
    struct sockaddr_un addr;
    socklen_t addr_len;
    /* -1 until the first line; then the one socket every thread sends on, until the sender
     * is freed. Never closed while in use, so no thread can send on a reused descriptor. */
    atomic_int fd;
    atomic_bool connected;
    /* While not connected: the clock second from which a connect may be tried again. */
    _Atomic time_t next_try;
    /* Why the last connect failed, returned for the lines lost until the next try. */
    atomic_int last_error;
};

uint32_t
ntlm_syslog_new(const char *path, struct ntlm_syslog **out)
{
    struct ntlm_syslog *log;
    size_t len;

    if (path == NULL || out == NULL)
        return NTLM_ERR_INVALID_ARG;
    len = strlen(path);
    if (len == 0 || len >= sizeof(log->addr.sun_path))
        return NTLM_ERR_INVALID_ARG;
    log = calloc(1, sizeof(*log));
    if (log == NULL)
        return NTLM_ERR_NOMEM;
    log->addr.sun_family = AF_UNIX;
    memcpy(log->addr.sun_path, path, len + 1);
    log->addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
    atomic_init(&log->fd, -1);
    atomic_init(&log->connected, false);
    atomic_init(&log->next_try, 0);
    atomic_init(&log->last_error, 0);
    *out = log;
    return 0;
}

void
ntlm_syslog_free(struct ntlm_syslog *log)
{
    int fd;

    if (log == NULL)
        return;
    fd = atomic_load(&log->fd);
    if (fd >= 0)
        close(fd);
    free(log);
}

/* The shared socket, made by the first thread that needs it; a thread that loses the race to
 * publish its own closes it, which no other thread has seen. */
static int
socket_of(struct ntlm_syslog *log)
{
    int fd = atomic_load(&log->fd), mine, expected = -1;

    if (fd >= 0)
        return fd;
    mine = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (mine < 0)
        return -1;
    if (atomic_compare_exchange_strong(&log->fd, &expected, mine))
        return mine;
    close(mine);
    return expected;
}

/*
 * Connects fd to the daemon when it is time to try: a datagram socket may be connected again,
 * so a daemon that restarted (journald, rsyslog) is found at its new socket without a new
 * descriptor. Several threads may try at once; connect() on one socket is serialised by the
 * kernel, and the last to succeed leaves it connected to the same path.
 */
static int
try_connect(struct ntlm_syslog *log, int fd, time_t now, bool now_or_never)
{
    time_t next = atomic_load(&log->next_try);
    int err;

    /* A clock set back more than the interval counts as due. */
    if (!now_or_never && now < next && next - now <= NTLM_SYSLOG_RETRY_INTERVAL)
        return atomic_load(&log->last_error);
    if (connect(fd, (const struct sockaddr *)&log->addr, log->addr_len) == 0) {
        atomic_store(&log->connected, true);
        return 0;
    }
    err = errno;
    atomic_store(&log->last_error, err);
    atomic_store(&log->next_try, now + NTLM_SYSLOG_RETRY_INTERVAL);
    return err;
}

/* This thread's last conversion of each kind: [0] local time, [1] UTC. */
struct time_cache {
    bool valid;
    time_t second;
    struct tm tm;
};
static __thread struct time_cache time_cache[2];

bool
ntlm_syslog_time(time_t now, bool utc, struct tm *out)
{
    struct time_cache *c = &time_cache[utc ? 1 : 0];

    if (!c->valid || c->second != now) {
        c->valid = (utc ? gmtime_r(&now, &c->tm) : localtime_r(&now, &c->tm)) != NULL;
        c->second = now;
        if (!c->valid)
            return false;
    }
    *out = c->tm;
    return true;
}

/* "<PRI>Mmm dd hh:mm:ss ident[pid]: message", as glibc writes it to /dev/log; the month in
 * English whatever the locale, as RFC 3164 has it. */
static size_t
format_line(char *out, size_t size, int priority, time_t now, const char *message)
{
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    int n;

    if (!ntlm_syslog_time(now, false, &tm))
        memset(&tm, 0, sizeof(tm));
    n = snprintf(out, size, "<%d>%s %2d %02d:%02d:%02d %s[%ld]: %s", priority,
                 months[tm.tm_mon >= 0 && tm.tm_mon < 12 ? tm.tm_mon : 0], tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec, program_invocation_short_name, (long)getpid(), message);
    if (n < 0)
        return 0;
    return (size_t)n < size ? (size_t)n : size - 1;
}

static int
send_line(int fd, const char *line, size_t len)
{
    ssize_t n;

    do {
        n = send(fd, line, len, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? errno : 0;
}

/* The errors of a send that mean the daemon's socket is gone or not yet known. */
static bool
daemon_gone(int err)
{
    return err == ECONNREFUSED || err == ENOTCONN || err == EDESTADDRREQ || err == ECONNRESET ||
           err == ENOENT;
}

int
ntlm_syslog_send(struct ntlm_syslog *log, int priority, time_t now, const char *message)
{
    char line[LINE_MAX_BYTES];
    size_t len;
    int fd, err;

    if (log == NULL || message == NULL)
        return EINVAL;
    fd = socket_of(log);
    if (fd < 0)
        return errno;
    /* Before the line is formatted: with no daemon, a lost line costs no more than this. */
    if (!atomic_load(&log->connected)) {
        err = try_connect(log, fd, now, false);
        if (err)
            return err;
    }
    len = format_line(line, sizeof(line), priority, now, message);
    if (len == 0)
        return EINVAL;
    err = send_line(fd, line, len);
    if (!daemon_gone(err))
        return err;
    /* Connected before, refused now: the daemon went away, and may be back at once (a
     * restart). One connect now, one more send; if that fails too, the next try waits. */
    atomic_store(&log->connected, false);
    err = try_connect(log, fd, now, true);
    return err != 0 ? err : send_line(fd, line, len);
}
