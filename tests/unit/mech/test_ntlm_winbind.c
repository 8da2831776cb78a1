/*
 * Tests of mech/ntlm_winbind.c against a winbindd that never answers: a socket in winbindd's
 * place that accepts connections and reads nothing back. A logon must give up after its
 * timeout, and once winbind_max_inflight logons wait for that winbindd the next one must be
 * refused at once (NTLM_ERR_DOMAIN_BUSY) instead of queueing yet another thread and
 * connection; when winbindd goes away the waiting ones end and the bound is free again. A
 * child forked at the bound starts with nothing in flight.
 *
 * libwbclient connects to its compile-time directory (Samba 4.17: /run/samba/winbindd, see
 * tests/lib/samba_dc.sh) and ignores WINBINDD_SOCKET_DIR, so the suite puts its socket there in a
 * private mount namespace of its own (a tmpfs over /run/samba that nobody else sees). Root
 * only; anywhere else it prints SKIP.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ntlm_errors.h"
#include "ntlm_winbind.h"
#include "test_util.h"

#define RUN_DIR "/run/samba"
#define SOCKET_DIR RUN_DIR "/winbindd"
#define SOCKET_PATH SOCKET_DIR "/pipe"
#define MAX_HELD 64

/* The silent winbindd: its listening socket, the connections it holds, a pipe that stops it. */
static struct {
    int listener;
    int held[MAX_HELD];
    unsigned accepted;
    int stop[2];
    pthread_t thread;
    pthread_mutex_t lock;
} silent = {.listener = -1, .lock = PTHREAD_MUTEX_INITIALIZER};

static void *
silent_serve(void *arg)
{
    struct pollfd fds[2];
    int fd;

    (void)arg;
    fds[0] = (struct pollfd){.fd = silent.listener, .events = POLLIN};
    fds[1] = (struct pollfd){.fd = silent.stop[0], .events = POLLIN};
    while (poll(fds, 2, -1) >= 0 && fds[1].revents == 0) {
        if ((fds[0].revents & POLLIN) == 0)
            continue;
        fd = accept(silent.listener, NULL, NULL);
        pthread_mutex_lock(&silent.lock);
        if (fd >= 0 && silent.accepted < MAX_HELD)
            silent.held[silent.accepted++] = fd;
        else if (fd >= 0)
            close(fd);
        pthread_mutex_unlock(&silent.lock);
    }
    return NULL;
}

static int
silent_start(void)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};

    mkdir(SOCKET_DIR, 0755);
    unlink(SOCKET_PATH);
    strcpy(addr.sun_path, SOCKET_PATH);
    silent.listener = socket(AF_UNIX, SOCK_STREAM, 0);
    if (silent.listener < 0 || bind(silent.listener, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
        listen(silent.listener, 128) != 0 || pipe(silent.stop) != 0)
        return -1;
    silent.accepted = 0;
    return pthread_create(&silent.thread, NULL, silent_serve, NULL) == 0 ? 0 : -1;
}

/* winbindd goes away: no socket to connect to, every held connection closed. */
static void
silent_stop(void)
{
    unsigned i;

    if (write(silent.stop[1], "x", 1) != 1)
        return;
    pthread_join(silent.thread, NULL);
    unlink(SOCKET_PATH);
    close(silent.listener);
    silent.listener = -1;
    for (i = 0; i < silent.accepted; i++)
        close(silent.held[i]);
    close(silent.stop[0]);
    close(silent.stop[1]);
}

static uint32_t
logon(unsigned timeout, unsigned max_inflight)
{
    static const uint8_t nt_response[24] = {1, 2, 3, 4, 5, 6, 7, 8};
    struct ntlm_domain_logon in = {0};
    struct ntlm_domain_user out = {0};
    uint32_t ret;

    in.user = "someone";
    in.domain = "SILENT";
    in.workstation = "TEST";
    memcpy(in.challenge, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
    in.nt_response = nt_response;
    in.nt_response_len = sizeof(nt_response);
    in.timeout = timeout;
    in.max_inflight = max_inflight;
    ret = ntlm_domain_logon(&in, &out);
    ntlm_domain_user_clear(&out);
    return ret;
}

/* logon() in a child process; its result, or 0 when the child did not exit normally. */
static uint32_t
forked_logon(unsigned timeout, unsigned max_inflight)
{
    int fds[2], status;
    uint32_t ret = 0;
    pid_t pid;

    if (pipe(fds) != 0)
        return 0;
    pid = fork();
    if (pid == 0) {
        ret = logon(timeout, max_inflight);
        _exit(write(fds[1], &ret, sizeof(ret)) == sizeof(ret) ? 0 : 1);
    }
    close(fds[1]);
    if (pid < 0 || read(fds[0], &ret, sizeof(ret)) != sizeof(ret))
        ret = 0;
    close(fds[0]);
    if (pid > 0)
        waitpid(pid, &status, 0);
    return ret;
}

static unsigned
accepted(void)
{
    unsigned n;

    pthread_mutex_lock(&silent.lock);
    n = silent.accepted;
    pthread_mutex_unlock(&silent.lock);
    return n;
}

/*
 * Two logons wait (and time out) on the silent winbindd; with a bound of two, the third is
 * refused without a connection more. Once winbindd is gone the two end (libwbclient finds
 * nobody to reconnect to) and logons are tried again: the last one fails for want of a
 * winbindd, not for the bound.
 */
static void
test_logons_beyond_the_inflight_bound_are_refused_until_winbindd_lets_go(void)
{
    unsigned connections, tries;
    uint32_t ret;

    CU_ASSERT_EQUAL_FATAL(silent_start(), 0);
    CU_ASSERT_EQUAL(logon(1, 2), NTLM_ERR_DOMAIN_TIMEOUT);
    CU_ASSERT_EQUAL(logon(1, 2), NTLM_ERR_DOMAIN_TIMEOUT);
    connections = accepted();
    CU_ASSERT_EQUAL(connections, 2);
    CU_ASSERT_EQUAL(logon(1, 2), NTLM_ERR_DOMAIN_BUSY);
    CU_ASSERT_EQUAL(logon(1, 2), NTLM_ERR_DOMAIN_BUSY);
    CU_ASSERT_EQUAL(accepted(), connections);
    /* A larger bound lets one more through, to wait like the others. */
    CU_ASSERT_EQUAL(logon(1, 3), NTLM_ERR_DOMAIN_TIMEOUT);
    CU_ASSERT_EQUAL(logon(1, 3), NTLM_ERR_DOMAIN_BUSY);
    /* A child of a process at its bound (a server forking workers) has none of its parent's
     * logons in flight, nor their worker threads: it asks winbindd, and waits like them. */
    CU_ASSERT_EQUAL(forked_logon(1, 3), NTLM_ERR_DOMAIN_TIMEOUT);
    silent_stop();
    /* The abandoned workers end as soon as libwbclient sees the socket gone. */
    for (tries = 0; tries < 100; tries++) {
        ret = logon(5, 3);
        if (ret != NTLM_ERR_DOMAIN_BUSY)
            break;
        usleep(100 * 1000);
    }
    CU_ASSERT_EQUAL(ret, NTLM_ERR_DOMAIN_UNAVAILABLE);
}

/* A private mount namespace with an empty tmpfs over RUN_DIR; 0 when it is in place. */
static int
private_run_dir(const char **why)
{
    struct stat st;

    if (geteuid() != 0) {
        *why = "needs root (a mount namespace with a socket in winbindd's directory)";
        return -1;
    }
    if (stat(RUN_DIR, &st) != 0 || !S_ISDIR(st.st_mode)) {
        *why = RUN_DIR " does not exist (no Samba client directory on this host)";
        return -1;
    }
    if (unshare(CLONE_NEWNS) != 0) {
        *why = "cannot create a mount namespace (unshare)";
        return -1;
    }
    /* Without a private /, the tmpfs would show through to the host's namespace. */
    if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0) {
        *why = "cannot make / private in the mount namespace (a chroot without a mount point?)";
        return -1;
    }
    if (mount("tmpfs", RUN_DIR, "tmpfs", 0, "mode=0755") != 0) {
        *why = "cannot mount a tmpfs over " RUN_DIR;
        return -1;
    }
    return 0;
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"logons beyond the inflight bound are refused until winbindd lets go",
         test_logons_beyond_the_inflight_bound_are_refused_until_winbindd_lets_go},
        CU_TEST_INFO_NULL,
    };
    const char *why = NULL;

    if (private_run_dir(&why) != 0) {
        printf("SKIP: %s\n", why);
        return 77;
    }
    /* libwbclient answers "not found" without asking when this is set. */
    unsetenv("_NO_WINBINDD");
    return test_run_suite("ntlm_winbind", tests);
}
