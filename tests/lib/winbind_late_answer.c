/*
 * The domain logon's deadline, on its own: with the DC's winbindd stopped (SIGSTOP) a logon
 * must give up after its timeout; when winbindd is let go again, the abandoned worker gets
 * its late answer and frees the job on its own; the next logon is answered at once. Run by
 * tests/e2e/e2e_winbind.sh under valgrind, which sees the abandoned job's memory and threads.
 *
 *   winbind_late_answer WINBINDD_PID DOMAIN USER
 *
 * The responses are made up: winbindd answers them "wrong password", which is all this needs.
 * Exit status 0 when every step behaved; each step prints one line.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "ntlm_errors.h"
#include "ntlm_winbind.h"

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t
logon(const char *domain, const char *user, unsigned timeout, double *seconds)
{
    static const uint8_t nt_response[24] = {1, 2, 3, 4, 5, 6, 7, 8};
    struct ntlm_domain_logon in = {0};
    struct ntlm_domain_user out = {0};
    double start = now();
    uint32_t ret;

    in.user = user;
    in.domain = domain;
    in.workstation = "LATE";
    memcpy(in.challenge, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
    in.nt_response = nt_response;
    in.nt_response_len = sizeof(nt_response);
    in.timeout = timeout;
    ret = ntlm_domain_logon(&in, &out);
    *seconds = now() - start;
    ntlm_domain_user_clear(&out);
    return ret;
}

static int
expect(const char *step, uint32_t got, uint32_t want, double seconds, double min, double max)
{
    const char *text = ntlm_error_message(got);
    int ok = got == want && seconds >= min && seconds <= max;

    printf("%s: %s: %s after %.2f s\n", ok ? "ok" : "FAILED", step,
           text != NULL ? text : "success", seconds);
    return ok ? 0 : 1;
}

int
main(int argc, char **argv)
{
    pid_t winbindd;
    double seconds;
    uint32_t ret;
    int failed = 0;

    if (argc != 4) {
        fprintf(stderr, "usage: winbind_late_answer WINBINDD_PID DOMAIN USER\n");
        return 2;
    }
    winbindd = (pid_t)atol(argv[1]);
    if (kill(winbindd, SIGSTOP) != 0) {
        perror("SIGSTOP winbindd");
        return 2;
    }
    ret = logon(argv[2], argv[3], 1, &seconds);
    failed |= expect("winbindd stopped, 1 s deadline", ret, NTLM_ERR_DOMAIN_TIMEOUT, seconds, 0.9,
                     3.0);
    if (kill(winbindd, SIGCONT) != 0) {
        perror("SIGCONT winbindd");
        return 2;
    }
    /* The abandoned worker's answer arrives now; give it time to free its job. */
    sleep(2);
    ret = logon(argv[2], argv[3], 10, &seconds);
    failed |= expect("winbindd running again", ret, NTLM_ERR_WRONG_PASSWORD, seconds, 0.0, 5.0);
    return failed;
}
