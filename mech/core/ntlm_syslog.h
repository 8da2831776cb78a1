/*
 * The audit line's way to the system log, without glibc's syslog() lock.
 *
 * glibc's syslog() takes one process-wide lock across its send to /dev/log, and when no
 * daemon listens it makes and drops a socket under that lock on every call. One audit line
 * per logon made it the lock two threads of a server met on most (issue 18: 2 threads did
 * 1.27x one thread's logons). A datagram send is atomic in the kernel, so this sender keeps
 * one socket for every thread and takes no lock: the socket is made once and never closed
 * before the sender is freed, and connect() - which a datagram socket may repeat, to follow a
 * daemon that restarted - is the only thing it retries.
 *
 * Lines are formatted as glibc formats them for /dev/log (RFC 3164: "<PRI>Mmm dd hh:mm:ss
 * ident[pid]: message", local time, the program's short name as ident), which journald and
 * rsyslog parse alike. A host's openlog() ident and options do not apply to these lines.
 */
#ifndef NTLM_SYSLOG_H
#define NTLM_SYSLOG_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* The system log's socket. */
#define NTLM_SYSLOG_PATH "/dev/log"

/* A daemon that was not there is looked for again at most this often, in seconds. */
#define NTLM_SYSLOG_RETRY_INTERVAL 1

struct ntlm_syslog;

/* A sender to the datagram socket at path (NTLM_SYSLOG_PATH in the module). It connects at
 * its first line. NTLM_ERR_NOMEM, NTLM_ERR_INVALID_ARG (a path too long for a socket). */
uint32_t ntlm_syslog_new(const char *path, struct ntlm_syslog **out);
void ntlm_syslog_free(struct ntlm_syslog *log);

/*
 * Sends message (one line, no newline) with priority (facility | level), stamped with now.
 * Returns 0 when the daemon took it, or the errno that lost it: ENOENT or ECONNREFUSED when no
 * daemon listens (as with glibc, the line is then lost; the next try to connect is
 * NTLM_SYSLOG_RETRY_INTERVAL later), EPROTOTYPE when the socket is a stream one (the caller
 * falls back to syslog()), EMSGSIZE for a line the daemon cannot take.
 */
int ntlm_syslog_send(struct ntlm_syslog *log, int priority, time_t now, const char *message);

/*
 * now broken down as gmtime_r (utc) or localtime_r would, for the stamps of audit and syslog
 * lines. Both take glibc's process-wide tzset lock on every call, which was 0.8% of a 2-thread
 * handshake profile (bench_scale) and all of it shared, so each thread keeps the last second it
 * converted of each kind. A TZ changed with tzset() while the process runs reaches local stamps
 * at the next second. false when the conversion fails.
 */
bool ntlm_syslog_time(time_t now, bool utc, struct tm *out);

#endif
