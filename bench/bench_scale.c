/*
 * bench_scale: raw NTLM handshakes/s in one process with 1 and 2 threads, ours with account
 * lockout on (lockout_threshold = 10, the shared table in state_dir) and off
 * (lockout_threshold = 0), and gss-ntlmssp (which has no lockout) with 1 and 2 threads, all in
 * one run. Each figure is a child process with one module loaded (as bench_gss does); the
 * variants alternate, their order rotating per repetition, and every ratio is the median of
 * the ratios within each repetition. Rates are wall-clock handshakes/s over all threads: CPU
 * time would hide exactly the contention this looks for.
 *
 * A control tells what the machine itself gives a second thread: ours (lockout off) as two
 * processes of one thread each, run at once. Two threads of one process can at best match it;
 * on a VM whose second vCPU is shared with a neighbour, "2 threads / 1 thread" falls with the
 * machine, while "2 threads / 2 processes" still says what our own sharing costs.
 *
 * The "direct" variants (ours, lockout on) call the module's own entry points instead of the
 * mechglue's, 1 and 2 threads and two processes: what the module alone shares between threads,
 * apart from MIT's mechanism-list lock that most mechglue calls take. See docs/performance.md.
 *
 * gss-ntlmssp 1.2.0 fails after ~340 handshakes in a process on Debian 13 (bench_peers.c says
 * why): when a gss-ntlmssp child fails and the probe shows that fault, gss-ntlmssp's figures
 * give way to a SKIP line naming it instead of failing the run.
 *
 *   bench_scale [--reps N] [--seconds S]
 *   bench_scale run THREADS SECONDS [PROCESSES]  (the child: prints "value HANDSHAKES_PER_S";
 *                                                BENCH_SCALE_DIRECT=MODULE calls it directly)
 *   bench_scale nthash  (the probe of gss-ntlmssp's fault: bench_nthash_probe)
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_peers.h"
#include "bench_util.h"

#define MAX_REPS 51
#define MAX_THREADS 16

/* The child's calls: the mechglue's, or the module's own when BENCH_SCALE_DIRECT names it. */
static const struct bench_gss_calls *calls = &bench_gss_glue;
static struct bench_gss_calls module_calls;

struct worker {
    pthread_t thread;
    double seconds;
    unsigned long ops;
    int failed;
};

/* One client and one server per thread, as a threaded server has per connection. */
static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    struct bench_peers p;
    double end;

    if (bench_peers_setup_calls(&p, false, calls) != 0 || bench_handshake(&p) != 0) {
        w->failed = 1;
        return NULL;
    }
    end = bench_now_wall() + w->seconds;
    while (bench_now_wall() < end) {
        if (bench_handshake(&p) != 0) {
            w->failed = 1;
            break;
        }
        w->ops++;
    }
    bench_peers_free(&p);
    return NULL;
}

/* The handshakes/s of threads workers in this process; NAN when one failed. */
static double
measure(int threads, double seconds)
{
    struct worker w[MAX_THREADS] = {0};
    unsigned long ops = 0;
    double start, wall;
    int i, failed = 0;

    start = bench_now_wall();
    for (i = 0; i < threads; i++) {
        w[i].seconds = seconds;
        pthread_create(&w[i].thread, NULL, worker_main, &w[i]);
    }
    for (i = 0; i < threads; i++) {
        pthread_join(w[i].thread, NULL);
        ops += w[i].ops;
        failed |= w[i].failed;
    }
    wall = bench_now_wall() - start;
    return failed ? NAN : (double)ops / wall;
}

/* The other process of the two-process control: its rate, written to fd as text. */
static void
control_process(int fd, int threads, double seconds)
{
    char text[64];
    int n = snprintf(text, sizeof(text), "%.3f", measure(threads, seconds));

    _exit(write(fd, text, (size_t)n) == n ? 0 : 1);
}

/* processes copies of threads workers each, forked before any GSS call; prints their sum. */
static int
child_run(int threads, double seconds, int processes)
{
    char text[64] = "";
    double rate, other = 0;
    int fds[2], status;
    ssize_t n;
    pid_t pid = -1;

    const char *direct = getenv("BENCH_SCALE_DIRECT");

    if (threads < 1 || threads > MAX_THREADS || processes < 1 || processes > 2)
        return 2;
    if (direct != NULL) {
        if (bench_gss_calls_of_module(direct, &module_calls) != 0)
            return 1;
        calls = &module_calls;
    }
    if (processes == 2) {
        if (pipe(fds) != 0 || (pid = fork()) < 0)
            return 1;
        if (pid == 0) {
            close(fds[0]);
            control_process(fds[1], threads, seconds);
        }
        close(fds[1]);
    }
    rate = measure(threads, seconds);
    if (pid > 0) {
        while ((n = read(fds[0], text, sizeof(text) - 1)) < 0 && errno == EINTR)
            ;
        text[n > 0 ? n : 0] = '\0';
        close(fds[0]);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        other = n > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? strtod(text, NULL) : NAN;
    }
    if (isnan(rate) || isnan(other))
        return 1;
    printf("value %.3f\n", rate + other);
    return 0;
}

enum variant { ON1, OFF1, ON2, OFF2, OFF2P, GSS1, GSS2, DIRECT1, DIRECT2, DIRECT2P, VARIANTS };

/* What each variant's child runs: which module, through what, with which configuration. */
enum runner { OURS, INCUMBENT, OURS_DIRECT };
static const struct variant_spec {
    const char *name;
    enum runner runner;
    bool lockout; /* ours: lockout_threshold = 10 (the world's configuration), else 0 */
    const char *threads, *processes;
} variants[VARIANTS] = {
    [ON1] = {"ours_lockout_on_1_thread", OURS, true, "1", "1"},
    [OFF1] = {"ours_lockout_off_1_thread", OURS, false, "1", "1"},
    [ON2] = {"ours_lockout_on_2_threads", OURS, true, "2", "1"},
    [OFF2] = {"ours_lockout_off_2_threads", OURS, false, "2", "1"},
    [OFF2P] = {"ours_lockout_off_2_processes", OURS, false, "1", "2"},
    [GSS1] = {"gss-ntlmssp_1_thread", INCUMBENT, true, "1", "1"},
    [GSS2] = {"gss-ntlmssp_2_threads", INCUMBENT, true, "2", "1"},
    /* Ours called without the mechglue (BENCH_SCALE_DIRECT), lockout on. */
    [DIRECT1] = {"ours_direct_1_thread", OURS_DIRECT, true, "1", "1"},
    [DIRECT2] = {"ours_direct_2_threads", OURS_DIRECT, true, "2", "1"},
    [DIRECT2P] = {"ours_direct_2_processes", OURS_DIRECT, true, "1", "2"},
};

/* The ratios printed, each the median over the repetitions of "of" / "to". */
static const struct ratio {
    const char *figure, *name;
    enum variant of, to;
} ratios[] = {
    {"lockout_on_vs_off", "1_thread", ON1, OFF1},
    {"lockout_on_vs_off", "2_threads", ON2, OFF2},
    {"two_threads_vs_one", "ours_lockout_on", ON2, ON1},
    {"two_threads_vs_one", "ours_lockout_off", OFF2, OFF1},
    {"two_threads_vs_one", "gss-ntlmssp", GSS2, GSS1},
    {"two_processes_vs_one", "ours_lockout_off", OFF2P, OFF1},
    {"two_threads_vs_two_processes", "ours_lockout_off", OFF2, OFF2P},
    {"two_threads_vs_one", "ours_direct", DIRECT2, DIRECT1},
    {"two_processes_vs_one", "ours_direct", DIRECT2P, DIRECT1},
    {"two_threads_vs_two_processes", "ours_direct", DIRECT2, DIRECT2P},
};

static struct bench_world world;
static char self[512], nolockout_conf[400];
static const char *module;
static int failed_runs;

static double
run_variant(enum variant v, double seconds)
{
    const struct variant_spec *spec = &variants[v];
    char mech_env[400], conf_env[500], direct_env[600], secs[32], out[1024];
    const char *env[4] = {mech_env, conf_env, NULL, NULL};
    char *argv[6];
    int status;

    snprintf(mech_env, sizeof(mech_env), "GSS_MECH_CONFIG=%s",
             spec->runner == INCUMBENT ? world.incumbent_conf : world.ours_conf);
    snprintf(conf_env, sizeof(conf_env), "SSPIGSS_NTLM_CONFIG=%s",
             spec->lockout ? world.ntlm_conf : nolockout_conf);
    if (spec->runner == OURS_DIRECT) {
        snprintf(direct_env, sizeof(direct_env), "BENCH_SCALE_DIRECT=%s", module);
        env[2] = direct_env;
    }
    snprintf(secs, sizeof(secs), "%.3f", seconds);
    argv[0] = self;
    argv[1] = "run";
    argv[2] = (char *)spec->threads;
    argv[3] = secs;
    argv[4] = (char *)spec->processes;
    argv[5] = NULL;
    status = bench_child(argv, env, out, sizeof(out));
    if (status != 0) {
        fprintf(stderr, "bench_scale: %s: exit status %d\n", spec->name, status);
        /* gss-ntlmssp's known fault skips its figures; any other failure fails the run. */
        if (spec->runner != INCUMBENT || !bench_incumbent_failed(&world, self))
            failed_runs++;
        return NAN;
    }
    return bench_field(out, "value");
}

static void
print_load(const char *when)
{
    double load[3];

    if (getloadavg(load, 3) == 3)
        printf("# load average %s: %.2f %.2f %.2f (nproc %ld)\n", when, load[0], load[1], load[2],
               sysconf(_SC_NPROCESSORS_ONLN));
}

int
main(int argc, char **argv)
{
    double vals[VARIANTS][MAX_REPS], seconds = 1.0;
    char module_buf[512], line[700];
    const char *incumbent;
    int reps = 5, r, k, v, i;
    FILE *f;

    if ((argc == 4 || argc == 5) && strcmp(argv[1], "run") == 0)
        return child_run(atoi(argv[2]), strtod(argv[3], NULL), argc == 5 ? atoi(argv[4]) : 1);
    if (argc == 2 && strcmp(argv[1], BENCH_NTHASH_MODE) == 0)
        return bench_nthash_probe();
    for (i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--reps") == 0)
            reps = atoi(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--seconds") == 0)
            seconds = strtod(argv[++i], NULL);
        else {
            fprintf(stderr, "usage: bench_scale [--reps N] [--seconds S]\n");
            return 2;
        }
    }
    if (reps < 1 || reps > MAX_REPS || !(seconds > 0))
        return 2;
    if (readlink("/proc/self/exe", self, sizeof(self) - 1) <= 0)
        return 1;
    module = bench_module_path(module_buf, sizeof(module_buf));
    incumbent = bench_incumbent_path();
    if (module == NULL || bench_world_create(&world, module, incumbent, false) != 0)
        return 1;
    bench_world_remove_on_signal(&world);
    /* The same configuration with lockout off; lockout_threshold = 10 is the default on. */
    snprintf(nolockout_conf, sizeof(nolockout_conf), "%s/ntlm-nolockout.conf", world.dir);
    snprintf(line, sizeof(line),
             "netbios_name = TESTHOST\ndns_name = testhost.example\nnetbios_domain = TESTDOM\n"
             "state_dir = %s\nlockout_threshold = 0\n",
             world.state_dir);
    f = fopen(nolockout_conf, "w");
    if (f == NULL || fputs(line, f) < 0 || fclose(f) != 0) {
        perror(nolockout_conf);
        bench_world_remove(&world);
        return 1;
    }
    printf("# bench_scale: %d x %.2f s per figure; ours %s; gss-ntlmssp %s\n", reps, seconds,
           module, incumbent != NULL ? incumbent : "(not installed)");
    print_load("before");
    for (r = 0; r < reps; r++) {
        for (k = 0; k < VARIANTS; k++) {
            v = (k + r) % VARIANTS;
            vals[v][r] = NAN;
            if (variants[v].runner != INCUMBENT || world.have_incumbent)
                vals[v][r] = run_variant((enum variant)v, seconds);
        }
    }
    print_load("after");
    for (v = 0; v < VARIANTS; v++) {
        if (variants[v].runner == INCUMBENT && !world.have_incumbent)
            continue;
        bench_print("raw_handshakes", variants[v].name, bench_median_present(vals[v], reps), "/s");
    }
    for (k = 0; k < (int)(sizeof(ratios) / sizeof(ratios[0])); k++) {
        const struct ratio *q = &ratios[k];

        if (variants[q->of].runner != INCUMBENT || world.have_incumbent)
            bench_print(q->figure, q->name, bench_median_ratio(vals[q->of], vals[q->to], reps),
                        "x");
    }
    bench_target("lockout_on_vs_off_1_thread", bench_median_ratio(vals[ON1], vals[OFF1], reps),
                 true, 0.9);
    bench_target("two_threads_vs_one_ours_lockout_on",
                 bench_median_ratio(vals[ON2], vals[ON1], reps), true, 1.8);
    bench_print_targets();
    unlink(nolockout_conf);
    bench_world_remove(&world);
    return failed_runs > 0 ? 1 : 0;
}
