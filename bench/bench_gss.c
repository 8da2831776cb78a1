/*
 * bench_gss: our NTLM module against gss-ntlmssp, through MIT's mechglue, in one run. The parent
 * writes a private world and runs every measurement as a child process per module (the mechglue
 * loads a module once per process), alternating the modules over several repetitions, and
 * prints the medians as `name value unit` lines, the ratios ours/incumbent, then the targets.
 * See bench/README.md and docs/performance.md. gss-ntlmssp 1.2.0 fails after ~340 handshakes
 * in a process on Debian 13 (bench_peers.c says why): when a gss-ntlmssp run fails and the
 * probe shows that fault, a SKIP line naming it replaces gss-ntlmssp's figures from there on.
 * The SPNEGO figures give way to a SKIP line the same way when MIT krb5's SPNEGO has the
 * mechListMIC bug (spnego_mic_bug).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench_gss_modes.h"
#include "bench_peers.h"
#include "bench_util.h"
#include "spnego_probe.h"

#define MAX_REPS 51
#define OUT_SIZE 4096

enum variant { OURS, INCUMBENT, RAWCRYPTO, VARIANTS };
static const char *const variant_names[VARIANTS] = {"ours", "gss-ntlmssp", "rawcrypto"};

static struct {
    int reps;
    double seconds;
    long callgrind_n;
    const char *callgrind_dir;
    const char *only;
    bool callgrind;
    char self[512];
} opt = {5, 0.3, 200, NULL, NULL, true, ""};

static struct bench_world world;
static int failed_runs;

static const char *const sizes[] = {"64", "1024", "65536", "1048576"};
static const char *const size_names[] = {"64B", "1KiB", "64KiB", "1MiB"};

/* A run that failed: counted, unless it is gss-ntlmssp's known fault (bench_incumbent_failed),
 * which leaves gss-ntlmssp out from here on. */
static void
run_failed(enum variant v)
{
    if (v != INCUMBENT || !bench_incumbent_failed(&world, opt.self))
        failed_runs++;
}

/* Runs `self args...` for one variant; returns the child's `value` (NAN on failure). */
static double
run_child(enum variant v, const char *const *args, double *first_ms)
{
    char mech_env[400], *argv[8], out[OUT_SIZE];
    const char *env[3] = {mech_env, NULL, NULL};
    int i, status;

    snprintf(mech_env, sizeof(mech_env), "GSS_MECH_CONFIG=%s",
             v == INCUMBENT ? world.incumbent_conf : world.ours_conf);
    /* mallinfo counts chunks parked in the thread cache as in use: no tcache for heap runs. */
    if (strcmp(args[0], "heap") == 0)
        env[1] = "GLIBC_TUNABLES=glibc.malloc.tcache_count=0";
    argv[0] = opt.self;
    for (i = 0; args[i] != NULL && i < 6; i++)
        argv[i + 1] = (char *)args[i];
    argv[i + 1] = NULL;
    status = bench_child(argv, env, out, sizeof(out));
    if (status != 0) {
        fprintf(stderr, "bench: %s", variant_names[v]);
        for (i = 0; args[i] != NULL; i++)
            fprintf(stderr, " %s", args[i]);
        fprintf(stderr, ": exit status %d\n", status);
        run_failed(v);
        return NAN;
    }
    if (first_ms != NULL)
        *first_ms = bench_field(out, "first_ms");
    return bench_field(out, "value");
}

/* Medians over the repetitions, and ratios taken per repetition between neighbouring runs. */
struct figures {
    double med[VARIANTS], first[VARIANTS];
    double vs_incumbent;     /* median of ours/gss-ntlmssp per repetition */
    double vs_raw[VARIANTS]; /* median of variant/rawcrypto per repetition */
};

/*
 * Runs each present variant `reps` times, the order rotating per repetition so that no module
 * always runs first (after the other's caches went cold). Ratios are medians of the ratios
 * within each repetition: a slow moment on a shared machine then hits both sides of a ratio.
 */
static void
measure(const char *const *args, const char *const *raw_args, int reps, struct figures *f)
{
    double vals[VARIANTS][MAX_REPS], firsts[VARIANTS][MAX_REPS];
    /* gss-ntlmssp's presence is read per run: its known fault may end it (run_failed). */
    bool present[VARIANTS] = {true, true, raw_args != NULL};
    int r, k, v;

    for (r = 0; r < reps; r++) {
        for (k = 0; k < VARIANTS; k++) {
            v = (k + r) % VARIANTS;
            vals[v][r] = firsts[v][r] = NAN;
            if (present[v] && (v != INCUMBENT || world.have_incumbent))
                vals[v][r] =
                    run_child((enum variant)v, v == RAWCRYPTO ? raw_args : args, &firsts[v][r]);
        }
    }
    for (v = 0; v < VARIANTS; v++) {
        f->med[v] = bench_median_present(vals[v], reps);
        f->first[v] = bench_median_present(firsts[v], reps);
        f->vs_raw[v] = bench_median_ratio(vals[v], vals[RAWCRYPTO], reps);
    }
    f->vs_incumbent = bench_median_ratio(vals[OURS], vals[INCUMBENT], reps);
}

/* name.ours, name.gss-ntlmssp and name.ratio (ours / incumbent). */
static void
print_pair(const char *name, const struct figures *f, const char *unit)
{
    bench_print(name, "ours", f->med[OURS], unit);
    if (!world.have_incumbent)
        return;
    bench_print(name, "gss-ntlmssp", f->med[INCUMBENT], unit);
    bench_print(name, "ratio", f->vs_incumbent, "x");
}

/*
 * After a SPNEGO run failed: true, after a SKIP line naming it, when this MIT krb5 cannot read
 * SPNEGO's mechListMIC (ticket 9183, krb5 1.21.0 to 1.22.1; Debian 13 has 1.21.3), which ends
 * every SPNEGO handshake whatever the module, as tools/sspigss-spnego-probe (exit 1) finds.
 */
static bool
spnego_mic_bug(const char *module)
{
    char probe[600], out[1024];
    char *argv[] = {probe, "--module", (char *)module, NULL};

    if (bench_build_path("tools/sspigss-spnego-probe", probe, sizeof(probe)) == NULL ||
        bench_child(argv, NULL, out, sizeof(out)) != 1)
        return false;
    printf("# SKIP spnego figures: %s\n", SPNEGO_MIC_9183_REASON);
    fflush(stdout);
    return true;
}

static void
bench_handshakes(const char *module)
{
    static const char *const files[BENCH_USER_FILES] = {"", "_1000_users", "_100000_users"};
    static char names[BENCH_USER_FILES][64];
    double rate1[VARIANTS] = {NAN, NAN, NAN};
    struct figures f;
    char secs[32];
    int i, v;

    snprintf(secs, sizeof(secs), "%g", opt.seconds);
    for (i = 0; i < BENCH_USER_FILES; i++) {
        const char *args[] = {"handshakes", "raw", world.users[i], secs, NULL};

        snprintf(names[i], sizeof(names[i]), "raw_ntlm_handshakes%s", files[i]);
        measure(args, NULL, opt.reps, &f);
        print_pair(names[i], &f, "per_s");
        if (i == 0) {
            memcpy(rate1, f.med, sizeof(rate1));
            if (world.have_incumbent)
                bench_target("raw_ntlm_handshakes.ratio", f.vs_incumbent, true, 10);
            continue;
        }
        if (i == BENCH_USER_FILES - 1) {
            for (v = OURS; v <= INCUMBENT; v++) {
                if (v == INCUMBENT && !world.have_incumbent)
                    continue;
                bench_print("startup_100000_users", variant_names[v], f.first[v], "ms");
                bench_print("user_scaling_100000_vs_1", variant_names[v], f.med[v] / rate1[v], "x");
            }
            bench_target("user_scaling_100000_vs_1.ours", f.med[OURS] / rate1[OURS], true, 0.9);
        }
    }
    {
        const char *args[] = {"handshakes", "spnego", world.users[0], secs, NULL};
        int failed_before = failed_runs;

        measure(args, NULL, opt.reps, &f);
        /* MIT's SPNEGO bug fails both modules: a SKIP line, and the run still counts as run. */
        if (failed_runs > failed_before && spnego_mic_bug(module)) {
            failed_runs = failed_before;
            return;
        }
        print_pair("spnego_handshakes", &f, "per_s");
        if (world.have_incumbent)
            bench_target("spnego_handshakes.ratio", f.vs_incumbent, true, 5);
    }
}

static void
bench_protect(void)
{
    static const char *const kinds[] = {"get_mic", "wrap"};
    static char names[2][4][64], target_names[2][64];
    struct figures f;
    char secs[32], name[96];
    double size;
    size_t k, s;
    int v;

    snprintf(secs, sizeof(secs), "%g", opt.seconds);
    for (k = 0; k < 2; k++) {
        for (s = 0; s < 4; s++) {
            const char *args[] = {"protect", kinds[k], sizes[s], secs, NULL};
            const char *raw[] = {"rawcrypto", kinds[k], sizes[s], secs, NULL};

            snprintf(names[k][s], sizeof(names[k][s]), "%s_%s", kinds[k], size_names[s]);
            measure(args, raw, opt.reps, &f);
            print_pair(names[k][s], &f, "msg_per_s");
            bench_print(names[k][s], "rawcrypto", f.med[RAWCRYPTO], "msg_per_s");
            size = strtod(sizes[s], NULL);
            snprintf(name, sizeof(name), "%s_MBps", names[k][s]);
            for (v = 0; v < VARIANTS; v++) {
                if (v == INCUMBENT && !world.have_incumbent)
                    continue;
                bench_print(name, variant_names[v], f.med[v] * size / 1e6, "MB_per_s");
            }
            snprintf(name, sizeof(name), "%s_vs_rawcrypto", names[k][s]);
            for (v = OURS; v <= INCUMBENT; v++) {
                if (v == INCUMBENT && !world.have_incumbent)
                    continue;
                bench_print(name, variant_names[v], f.vs_raw[v], "x");
            }
            if (k == 1 && (s == 0 || s == 2)) {
                snprintf(target_names[s / 2], sizeof(target_names[0]), "%s_vs_rawcrypto.ours",
                         names[k][s]);
                bench_target(target_names[s / 2], f.vs_raw[OURS], true, s == 0 ? 0.6 : 0.95);
            }
        }
    }
}

static void
bench_heap(void)
{
    const char *held[] = {"heap", "held", "1000", NULL};
    const char *leak[] = {"heap", "leak", "1000", NULL};
    struct figures f;

    /* Allocation is deterministic for a given build: one run each is the figure. */
    measure(held, NULL, 1, &f);
    print_pair("heap_per_held_server_context", &f, "B");
    bench_target("heap_per_held_server_context.ours", f.med[OURS], false, 2048);
    measure(leak, NULL, 1, &f);
    print_pair("heap_not_returned_per_handshake", &f, "B");
    bench_target("heap_not_returned_per_handshake.ours", f.med[OURS], false, 0);
}

/* Ir of one callgrind run of `handshakes-count raw USERS n` for a variant, or NAN. */
static double
callgrind_ir(enum variant v, long n)
{
    char file[600], count[32], mech_env[400];
    const char *env[] = {mech_env, NULL};
    char *argv[] = {opt.self, "handshakes-count", "raw", world.users[0], count, NULL};
    double ir;

    snprintf(file, sizeof(file), "%s/callgrind.%s.%ld.out",
             opt.callgrind_dir != NULL ? opt.callgrind_dir : world.dir, variant_names[v], n);
    snprintf(count, sizeof(count), "%ld", n);
    snprintf(mech_env, sizeof(mech_env), "GSS_MECH_CONFIG=%s",
             v == INCUMBENT ? world.incumbent_conf : world.ours_conf);
    ir = bench_callgrind_ir(argv, env, file, opt.callgrind_dir != NULL);
    if (isnan(ir))
        run_failed(v);
    return ir;
}

static void
bench_callgrind(void)
{
    struct figures f = {{NAN, NAN, NAN}, {NAN, NAN, NAN}, NAN, {NAN, NAN, NAN}};
    int v;

    if (!opt.callgrind)
        return;
    if (!bench_have_valgrind()) {
        printf("# callgrind figures skipped: valgrind is not installed\n");
        return;
    }
    if (opt.callgrind_dir != NULL && mkdir(opt.callgrind_dir, 0700) != 0 && errno != EEXIST) {
        perror(opt.callgrind_dir);
        failed_runs++;
        return;
    }
    for (v = OURS; v <= INCUMBENT; v++) {
        if (v == INCUMBENT && !world.have_incumbent)
            continue;
        f.med[v] =
            (callgrind_ir((enum variant)v, opt.callgrind_n) - callgrind_ir((enum variant)v, 0)) /
            (double)opt.callgrind_n;
    }
    f.vs_incumbent = f.med[OURS] / f.med[INCUMBENT];
    print_pair("callgrind_Ir_per_raw_handshake", &f, "Ir");
    bench_target("callgrind_Ir_per_raw_handshake.ours", f.med[OURS], false, 150000);
}

/* Whether --only (a comma-separated list) names this group; all groups run without it. */
static bool
selected(const char *group)
{
    size_t len = strlen(group);
    const char *p = opt.only;

    if (p == NULL)
        return true;
    while ((p = strstr(p, group)) != NULL) {
        if ((p == opt.only || p[-1] == ',') && (p[len] == '\0' || p[len] == ','))
            return true;
        p += len;
    }
    return false;
}

static int
usage(void)
{
    fprintf(stderr,
            "usage: bench_gss [--reps N] [--seconds S] [--no-callgrind] [--callgrind-n N]\n"
            "                 [--callgrind-dir DIR] [--only handshakes,protect,heap,callgrind]\n"
            "       bench_gss MODE ARGS...   (one measurement; see bench/bench_gss_modes.h)\n"
            "       bench_gss nthash         (the probe of gss-ntlmssp's fault; bench_peers.h)\n"
            "environment: SSPIGSS_MODULE, SSPIGSS_INCUMBENT (empty: none), BENCH_CLOCK=cpu|wall\n");
    return 2;
}

static int
parse_options(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-callgrind") == 0)
            opt.callgrind = false;
        else if (i + 1 < argc && strcmp(argv[i], "--reps") == 0)
            opt.reps = atoi(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--seconds") == 0)
            opt.seconds = strtod(argv[++i], NULL);
        else if (i + 1 < argc && strcmp(argv[i], "--callgrind-n") == 0)
            opt.callgrind_n = atol(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--callgrind-dir") == 0)
            opt.callgrind_dir = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--only") == 0)
            opt.only = argv[++i];
        else
            return -1;
    }
    if (opt.reps < 1 || opt.reps > MAX_REPS || !(opt.seconds > 0) || opt.callgrind_n < 1)
        return -1;
    return 0;
}

int
main(int argc, char **argv)
{
    char module_buf[600];
    const char *module, *incumbent, *clock = getenv("BENCH_CLOCK");
    ssize_t n;

    if (argc == 2 && strcmp(argv[1], BENCH_NTHASH_MODE) == 0)
        return bench_nthash_probe();
    if (argc > 1 && strncmp(argv[1], "--", 2) != 0)
        return bench_gss_mode(argc, argv);
    if (parse_options(argc, argv) != 0)
        return usage();
    n = readlink("/proc/self/exe", opt.self, sizeof(opt.self) - 1);
    if (n <= 0) {
        perror("/proc/self/exe");
        return 1;
    }
    opt.self[n] = '\0';
    module = bench_module_path(module_buf, sizeof(module_buf));
    if (module == NULL || access(module, R_OK) != 0) {
        fprintf(stderr, "bench: module %s not found: build it or set SSPIGSS_MODULE\n",
                module != NULL ? module : "(unknown)");
        return 1;
    }
    incumbent = bench_incumbent_path();
    bench_world_remove_on_signal(&world);
    if (bench_world_create(&world, module, incumbent, true) != 0) {
        bench_world_remove(&world);
        return 1;
    }
    printf("# bench_gss: ours %s\n# incumbent %s\n", module,
           incumbent != NULL ? incumbent : "(not installed: ours only, no ratios)");
    printf("# median of %d runs of %g s per figure, modules alternating; %s time\n", opt.reps,
           opt.seconds, clock != NULL && strcmp(clock, "wall") == 0 ? "wall" : "CPU");
    fflush(stdout);
    if (selected("handshakes"))
        bench_handshakes(module);
    if (selected("protect"))
        bench_protect();
    if (selected("heap"))
        bench_heap();
    if (selected("callgrind"))
        bench_callgrind();
    bench_print_targets();
    bench_world_remove(&world);
    if (failed_runs > 0) {
        fprintf(stderr, "bench: %d measurement run(s) failed\n", failed_runs);
        return 1;
    }
    return 0;
}
