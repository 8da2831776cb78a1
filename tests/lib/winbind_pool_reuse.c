/*
 * Domain logons reuse their winbindd connections: run against the DC's winbindd by
 * tests/e2e/e2e_winbind.sh, this counts every connect() libwbclient makes (the program's own
 * connect() stands in for libc's) over 20 logons in a row, then 40 from 4 threads at once.
 * A fresh connection costs two connects (winbindd's pipe, then its privileged pipe); reused,
 * the 20 in a row need one connection and the 40 at most one per thread at once more.
 *
 *   winbind_pool_reuse DOMAIN USER
 *
 * The responses are made up: winbindd answers them "wrong password", an answer that leaves the
 * connection usable. Exit status 0 when every logon got that answer and the connects stayed
 * within the bounds; it prints the counts.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ntlm_errors.h"
#include "ntlm_winbind.h"

#define IN_A_ROW 20
#define THREADS 4
#define PER_THREAD 10
/* winbindd's pipe, then the privileged one */
#define CONNECTS_PER_CONNECTION 2

static atomic_uint unix_connects;
static atomic_uint wrong_answers;
static const char *domain, *user;

int
connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    static int (*real)(int, const struct sockaddr *, socklen_t);

    if (real == NULL)
        real = (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "connect");
    if (addr != NULL && addr->sa_family == AF_UNIX)
        atomic_fetch_add(&unix_connects, 1);
    return real(fd, addr, len);
}

static void
logon(void)
{
    static const uint8_t nt_response[24] = {1, 2, 3, 4, 5, 6, 7, 8};
    struct ntlm_domain_logon in = {0};
    struct ntlm_domain_user out = {0};
    uint32_t ret;

    in.user = user;
    in.domain = domain;
    in.workstation = "REUSE";
    memcpy(in.challenge, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
    in.nt_response = nt_response;
    in.nt_response_len = sizeof(nt_response);
    in.timeout = 30;
    ret = ntlm_domain_logon(&in, &out);
    ntlm_domain_user_clear(&out);
    if (ret == NTLM_ERR_WRONG_PASSWORD)
        atomic_fetch_add(&wrong_answers, 1);
    else
        fprintf(stderr, "unexpected answer: %s\n", ntlm_error_message(ret));
}

static void *
logons(void *arg)
{
    int i;

    (void)arg;
    for (i = 0; i < PER_THREAD; i++)
        logon();
    return NULL;
}

int
main(int argc, char **argv)
{
    pthread_t threads[THREADS];
    unsigned in_a_row, at_once;
    int i, failed = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: winbind_pool_reuse DOMAIN USER\n");
        return 2;
    }
    domain = argv[1];
    user = argv[2];
    for (i = 0; i < IN_A_ROW; i++)
        logon();
    in_a_row = atomic_load(&unix_connects);
    for (i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, logons, NULL);
    for (i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    at_once = atomic_load(&unix_connects) - in_a_row;
    failed |= atomic_load(&wrong_answers) != IN_A_ROW + THREADS * PER_THREAD;
    failed |= in_a_row > CONNECTS_PER_CONNECTION;
    failed |= at_once > THREADS * CONNECTS_PER_CONNECTION;
    printf("%s: %u answers; %u connects for %d logons in a row, %u for %d from %d threads\n",
           failed ? "FAILED" : "ok", atomic_load(&wrong_answers), in_a_row, IN_A_ROW, at_once,
           THREADS * PER_THREAD, THREADS);
    return failed;
}
