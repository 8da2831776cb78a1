/*
 * mech/core/ntlm_syslog.c: lines reach a datagram socket standing in for /dev/log, formatted
 * as glibc formats them; a daemon that is missing, comes later or restarts; many threads at
 * once; a stream socket is left to syslog(); the per-thread cache of broken-down stamps.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "ntlm_errors.h"
#include "ntlm_syslog.h"
#include "test_util.h"

#define THREADS 4
#define LINES_PER_THREAD 50

static char dir[64], sock_path[96];

/* A daemon: a datagram (or stream) socket bound at sock_path, reads time out after 5 s so a
 * line that never comes fails the test instead of hanging it. */
static int
daemon_start(int type)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    struct timeval tv = {5, 0};
    int fd;

    unlink(sock_path);
    fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock_path);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
        (type == SOCK_STREAM && listen(fd, 1) != 0)) {
        close(fd);
        return -1;
    }
    return fd;
}

static void
daemon_stop(int fd)
{
    if (fd >= 0)
        close(fd);
    unlink(sock_path);
}

/* The next line the daemon got, NUL-terminated; false when none came. */
static bool
daemon_read(int fd, char *buf, size_t size)
{
    ssize_t n = recv(fd, buf, size - 1, 0);

    if (n < 0)
        return false;
    buf[n] = '\0';
    return true;
}

static void
test_a_line_reaches_the_daemon_as_glibc_formats_it(void)
{
    struct ntlm_syslog *log = NULL;
    char got[512], want[512];
    time_t now = 1700000000;
    struct tm tm;
    int fd;

    fd = daemon_start(SOCK_DGRAM);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_syslog_new(sock_path, &log), 0);
    CU_ASSERT_EQUAL(ntlm_syslog_send(log, LOG_AUTHPRIV | LOG_INFO, now, "hello there"), 0);
    CU_ASSERT_FATAL(daemon_read(fd, got, sizeof(got)));
    localtime_r(&now, &tm);
    snprintf(want, sizeof(want), "<86>%.3s %2d %02d:%02d:%02d %s[%ld]: hello there",
             "JanFebMarAprMayJunJulAugSepOctNovDec" + 3 * tm.tm_mon, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, program_invocation_short_name, (long)getpid());
    CU_ASSERT_STRING_EQUAL(got, want);
    /* LOG_NOTICE: a failed logon's priority. */
    CU_ASSERT_EQUAL(ntlm_syslog_send(log, LOG_AUTHPRIV | LOG_NOTICE, now, "second"), 0);
    CU_ASSERT_FATAL(daemon_read(fd, got, sizeof(got)));
    CU_ASSERT_EQUAL(strncmp(got, "<85>", 4), 0);
    ntlm_syslog_free(log);
    daemon_stop(fd);
}

static void
test_without_a_daemon_lines_are_lost_and_the_next_try_waits_a_second(void)
{
    struct ntlm_syslog *log = NULL;
    time_t now = 1700000000;
    char got[512];
    int fd;

    unlink(sock_path);
    CU_ASSERT_EQUAL_FATAL(ntlm_syslog_new(sock_path, &log), 0);
    CU_ASSERT_EQUAL(ntlm_syslog_send(log, LOG_AUTHPRIV | LOG_INFO, now, "lost"), ENOENT);
    fd = daemon_start(SOCK_DGRAM);
    CU_ASSERT_FATAL(fd >= 0);
    /* Within the same second the daemon is not looked for again: lost too. */
    CU_ASSERT_EQUAL(ntlm_syslog_send(log, LOG_AUTHPRIV | LOG_INFO, now, "lost too"), ENOENT);
    CU_ASSERT_EQUAL(
        ntlm_syslog_send(log, LOG_AUTHPRIV | LOG_INFO, now + NTLM_SYSLOG_RETRY_INTERVAL, "found"),
        0);
    CU_ASSERT_FATAL(daemon_read(fd, got, sizeof(got)));
    CU_ASSERT_PTR_NOT_NULL(strstr(got, "]: found"));
    ntlm_syslog_free(log);
    daemon_stop(fd);
}

static void
test_a_restarted_daemon_gets_the_next_line_at_once(void)
{
    struct ntlm_syslog *log = NULL;
    time_t now = 1700000000;
    char got[512];
    int fd;

    fd = daemon_start(SOCK_DGRAM);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_syslog_new(sock_path, &log), 0);
    CU_ASSERT_EQUAL(ntlm_syslog_send(log, LOG_AUTHPRIV | LOG_INFO, now, "before"), 0);
    CU_ASSERT(daemon_read(fd, got, sizeof(got)));
    daemon_stop(fd);
    fd = daemon_start(SOCK_DGRAM);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL(ntlm_syslog_send(log, LOG_AUTHPRIV | LOG_INFO, now, "after"), 0);
    CU_ASSERT_FATAL(daemon_read(fd, got, sizeof(got)));
    CU_ASSERT_PTR_NOT_NULL(strstr(got, "]: after"));
    ntlm_syslog_free(log);
    daemon_stop(fd);
}

struct sender {
    pthread_t thread;
    struct ntlm_syslog *log;
    unsigned id, failed;
};

static void *
sender_main(void *arg)
{
    struct sender *s = arg;
    char message[64];

    for (unsigned i = 0; i < LINES_PER_THREAD; i++) {
        snprintf(message, sizeof(message), "thread %u line %u end", s->id, i);
        if (ntlm_syslog_send(s->log, LOG_AUTHPRIV | LOG_INFO, time(NULL), message) != 0)
            s->failed++;
    }
    return NULL;
}

static void
test_lines_of_many_threads_arrive_whole_and_once_each(void)
{
    bool seen[THREADS][LINES_PER_THREAD] = {{false}};
    struct sender senders[THREADS];
    struct ntlm_syslog *log = NULL;
    unsigned got_lines = 0, t, i, dup = 0, bad = 0;
    char got[512];
    int fd;

    fd = daemon_start(SOCK_DGRAM);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_syslog_new(sock_path, &log), 0);
    for (t = 0; t < THREADS; t++) {
        senders[t] = (struct sender){.log = log, .id = t};
        CU_ASSERT_EQUAL_FATAL(pthread_create(&senders[t].thread, NULL, sender_main, &senders[t]),
                              0);
    }
    /* Read while they send: a full queue makes senders wait, as with any daemon. */
    while (got_lines < THREADS * LINES_PER_THREAD && daemon_read(fd, got, sizeof(got))) {
        char *at = strstr(got, "]: thread ");
        if (at == NULL || sscanf(at, "]: thread %u line %u end", &t, &i) != 2 || t >= THREADS ||
            i >= LINES_PER_THREAD || strcmp(at + strlen(at) - 4, " end") != 0) {
            bad++;
            continue;
        }
        dup += seen[t][i];
        seen[t][i] = true;
        got_lines++;
    }
    for (t = 0; t < THREADS; t++) {
        pthread_join(senders[t].thread, NULL);
        CU_ASSERT_EQUAL(senders[t].failed, 0);
    }
    CU_ASSERT_EQUAL(got_lines, THREADS * LINES_PER_THREAD);
    CU_ASSERT_EQUAL(dup, 0);
    CU_ASSERT_EQUAL(bad, 0);
    ntlm_syslog_free(log);
    daemon_stop(fd);
}

static void
test_a_stream_socket_is_refused_for_syslog_to_handle(void)
{
    struct ntlm_syslog *log = NULL;
    int fd;

    fd = daemon_start(SOCK_STREAM);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_syslog_new(sock_path, &log), 0);
    CU_ASSERT_EQUAL(ntlm_syslog_send(log, LOG_AUTHPRIV | LOG_INFO, time(NULL), "x"), EPROTOTYPE);
    ntlm_syslog_free(log);
    daemon_stop(fd);
}

static void
test_new_refuses_a_path_no_socket_can_have(void)
{
    struct ntlm_syslog *log = NULL;
    char long_path[200];

    memset(long_path, 'a', sizeof(long_path) - 1);
    long_path[sizeof(long_path) - 1] = '\0';
    CU_ASSERT_EQUAL(ntlm_syslog_new(long_path, &log), NTLM_ERR_INVALID_ARG);
    CU_ASSERT_EQUAL(ntlm_syslog_new("", &log), NTLM_ERR_INVALID_ARG);
    CU_ASSERT_EQUAL(ntlm_syslog_new(NULL, &log), NTLM_ERR_INVALID_ARG);
    CU_ASSERT_PTR_NULL(log);
    CU_ASSERT_EQUAL(ntlm_syslog_send(NULL, LOG_INFO, 0, "x"), EINVAL);
}

/* Every field gmtime_r or localtime_r fills, compared; tm_zone by its text. */
static int
tm_equal(const struct tm *a, const struct tm *b)
{
    return a->tm_sec == b->tm_sec && a->tm_min == b->tm_min && a->tm_hour == b->tm_hour &&
           a->tm_mday == b->tm_mday && a->tm_mon == b->tm_mon && a->tm_year == b->tm_year &&
           a->tm_wday == b->tm_wday && a->tm_yday == b->tm_yday && a->tm_isdst == b->tm_isdst &&
           a->tm_gmtoff == b->tm_gmtoff && strcmp(a->tm_zone, b->tm_zone) == 0;
}

/* One conversion of each kind against glibc's own; 0 on agreement. */
static int
time_mismatches(time_t t)
{
    struct tm mine, libc;
    int bad = 0;

    bad += !ntlm_syslog_time(t, true, &mine) || gmtime_r(&t, &libc) == NULL ||
           !tm_equal(&mine, &libc);
    bad += !ntlm_syslog_time(t, false, &mine) || localtime_r(&t, &libc) == NULL ||
           !tm_equal(&mine, &libc);
    return bad;
}

/* The seconds around Central Europe's spring change (2026-03-29 01:00:00 UTC, when 02:00 CET
 * becomes 03:00 CEST), repeated, out of order and far apart. */
static const time_t seconds[] = {
    1774745999, 1774745999, 1774746000, 1774746000, 1774746001, 1774745998, 0, 86399,
    2147483647, 1774746000, 4102444800, 1774745999,
};

static void
test_stamps_match_gmtime_and_localtime_across_seconds_and_dst(void)
{
    size_t i;
    int bad = 0;

    for (i = 0; i < sizeof(seconds) / sizeof(seconds[0]); i++)
        bad += time_mismatches(seconds[i]);
    CU_ASSERT_EQUAL(bad, 0);
}

static void *
time_worker(void *arg)
{
    time_t base = *(const time_t *)arg;
    intptr_t bad = 0;
    int i;

    for (i = 0; i < 20000; i++)
        bad += time_mismatches(base + i / 3);
    return (void *)bad;
}

/* Threads converting different seconds at once each get their own. */
static void
test_threads_converting_different_seconds_each_get_their_own(void)
{
    static const time_t bases[THREADS] = {1774740000, 1774745000, 1800000000, 0};
    pthread_t t[THREADS];
    intptr_t bad = 0;
    void *ret;
    int i, started = 0;

    for (i = 0; i < THREADS; i++)
        started += pthread_create(&t[i], NULL, time_worker, (void *)&bases[i]) == 0;
    CU_ASSERT_EQUAL_FATAL(started, THREADS);
    for (i = 0; i < THREADS; i++) {
        pthread_join(t[i], &ret);
        bad += (intptr_t)ret;
    }
    CU_ASSERT_EQUAL(bad, 0);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"new refuses a path no socket can have", test_new_refuses_a_path_no_socket_can_have},
        {"a line reaches the daemon as glibc formats it",
         test_a_line_reaches_the_daemon_as_glibc_formats_it},
        {"without a daemon lines are lost and the next try waits a second",
         test_without_a_daemon_lines_are_lost_and_the_next_try_waits_a_second},
        {"a restarted daemon gets the next line at once",
         test_a_restarted_daemon_gets_the_next_line_at_once},
        {"lines of many threads arrive whole and once each",
         test_lines_of_many_threads_arrive_whole_and_once_each},
        {"a stream socket is refused for syslog to handle",
         test_a_stream_socket_is_refused_for_syslog_to_handle},
        {"stamps match gmtime and localtime across seconds and DST",
         test_stamps_match_gmtime_and_localtime_across_seconds_and_dst},
        {"threads converting different seconds each get their own",
         test_threads_converting_different_seconds_each_get_their_own},
        CU_TEST_INFO_NULL,
    };
    int ret;

    /* A zone with summer time, as a POSIX rule: no tzdata needed. */
    setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
    tzset();
    snprintf(dir, sizeof(dir), "/tmp/ntlm-syslog-XXXXXX");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 99;
    }
    snprintf(sock_path, sizeof(sock_path), "%s/log", dir);
    ret = test_run_suite("ntlm_syslog", tests);
    unlink(sock_path);
    rmdir(dir);
    return ret;
}
