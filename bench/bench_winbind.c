/*
 * bench_winbind: domain logons through winbindd, our module against gss-ntlmssp, in one run
 * (bench/winbind.sh starts the test DC and runs this where libwbclient finds its winbindd).
 * Each figure is a child process with one module loaded, initiator and acceptor in it (as
 * bench_gss): CLIENTS threads log the domain user on over and over, the acceptor asking the DC
 * (ours: winbind = only; gss-ntlmssp: no user file, its winbind path with a context per thread,
 * GSSNTLMSSP_WB_TLS_CTX=1). Per figure: logons/s (wall), CPU time of the process per logon
 * (both sides of the exchange; winbindd's own CPU is not in it), latency p50/p99, failed
 * logons, and the process's RSS growth per 1,000 logons over the second half of the run.
 *
 *   bench_winbind [--reps N] [--logons N] USER PASSWORD   (DOMAIN\user)
 *   bench_winbind run CLIENTS LOGONS USER PASSWORD          (the child)
 *
 * Environment: SSPIGSS_MODULE, SSPIGSS_INCUMBENT as for bench_gss; BENCH_WINBIND_CONF, our
 * module's configuration (winbind = only, the NetBIOS names gss-ntlmssp gets from winbindd).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "bench_peers.h"
#include "bench_util.h"

#define MAX_CLIENTS 16
#define MAX_REPS 15
#define WARMUP 20 /* logons per client */

static const char *user, *password;

/* A password credential for the domain user, the default acceptor credential. */
static int
client_setup(struct bench_peers *p)
{
    gss_buffer_desc name_buf = {strlen(user), (void *)user};
    gss_buffer_desc pw = {strlen(password), (void *)password};
    gss_OID_set_desc mechs = {1, bench_ntlm_oid};
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 maj, min;

    memset(p, 0, sizeof(*p));
    p->calls = &bench_gss_glue;
    p->mech = bench_ntlm_oid;
    p->req_flags = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
    p->target = bench_import_target();
    maj = gss_import_name(&min, &name_buf, GSS_C_NT_USER_NAME, &name);
    if (maj == GSS_S_COMPLETE)
        maj = gss_acquire_cred_with_password(&min, name, &pw, 0, &mechs, GSS_C_INITIATE, &p->icred,
                                             NULL, NULL);
    gss_release_name(&min, &name);
    if (maj == GSS_S_COMPLETE)
        maj = gss_acquire_cred(&min, GSS_C_NO_NAME, 0, &mechs, GSS_C_ACCEPT, &p->acred, NULL, NULL);
    if (maj != GSS_S_COMPLETE) {
        bench_report_gss("credentials", maj, min);
        return -1;
    }
    return p->target != GSS_C_NO_NAME ? 0 : -1;
}

static int
logon_op(void *arg)
{
    return bench_handshake(arg);
}

static long
rss_kib(void)
{
    char line[256];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");

    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    }
    if (f != NULL)
        fclose(f);
    return kib;
}

static double
cpu_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
child_run(int clients, long logons)
{
    struct bench_peers p[MAX_CLIENTS];
    void *args[MAX_CLIENTS];
    double wall0, cpu0, wall, cpu, *latency;
    long rss_mid, rss_end, failed;
    int k;

    if (clients < 1 || clients > MAX_CLIENTS || logons < 1)
        return 2;
    for (k = 0; k < clients; k++) {
        if (client_setup(&p[k]) != 0)
            return 1;
        args[k] = &p[k];
    }
    latency = calloc((size_t)logons, sizeof(*latency));
    if (latency == NULL)
        return 1;
    /* The first logons, from as many threads, open connections, start the module's workers
     * and give each thread its malloc arena: none of that is growth. */
    if (bench_latency_run(clients, WARMUP * clients, logon_op, args, latency) != 0) {
        fprintf(stderr, "bench_winbind: a warm-up logon failed\n");
        return 1;
    }
    wall0 = bench_now_wall();
    cpu0 = cpu_seconds();
    /* Memory that stays flat grows over neither half: the RSS is read between them and after,
     * and the growth over the second half is reported. */
    failed = bench_latency_run(clients, logons / 2, logon_op, args, latency);
    rss_mid = rss_kib();
    failed += bench_latency_run(clients, logons - logons / 2, logon_op, args, latency + logons / 2);
    rss_end = rss_kib();
    wall = bench_now_wall() - wall0;
    cpu = cpu_seconds() - cpu0;
    bench_median(latency, (size_t)logons); /* sorts both halves together */
    printf("value %.3f\ncpu_us %.3f\np50_ms %.3f\np99_ms %.3f\nfailed %ld\nrss_kib_per_1000 %.1f\n",
           (double)logons / wall, cpu / (double)logons * 1e6,
           bench_quantile(latency, logons, 0.5) * 1000,
           bench_quantile(latency, logons, 0.99) * 1000, failed,
           (double)(rss_end - rss_mid) * 1000 / (double)(logons - logons / 2));
    for (k = 0; k < clients; k++)
        bench_peers_free(&p[k]);
    free(latency);
    return 0;
}

enum variant { OURS1, GSS1, OURS8, GSS8, VARIANTS };
static const char *const variant_names[VARIANTS] = {"ours_1_client", "gss-ntlmssp_1_client",
                                                    "ours_8_clients", "gss-ntlmssp_8_clients"};
static const char *const fields[] = {"value",  "cpu_us", "p50_ms",
                                     "p99_ms", "failed", "rss_kib_per_1000"};
static const char *const field_names[] = {"logons_per_s",  "cpu_us_per_logon",   "p50_ms", "p99_ms",
                                          "failed_logons", "rss_growth_per_1000"};
static const char *const field_units[] = {"/s", "us", "ms", "ms", "count", "KiB"};
#define FIELDS (sizeof(fields) / sizeof(fields[0]))

int
main(int argc, char **argv)
{
    double vals[VARIANTS][FIELDS][MAX_REPS], ratio[MAX_REPS];
    char self[512], module_buf[512], ours_conf[600], theirs_conf[600], line[700];
    char mech_env[700], conf_env[700], logons_arg[32], out[2048];
    const char *module, *incumbent, *ntlm_conf = getenv("BENCH_WINBIND_CONF");
    const char *env[4];
    char *cargv[7];
    long logons = 1000;
    int reps = 3, r, k, v, i, failed = 0;
    size_t f;
    FILE *fp;

    if (argc == 6 && strcmp(argv[1], "run") == 0) {
        user = argv[4];
        password = argv[5];
        return child_run(atoi(argv[2]), atol(argv[3]));
    }
    for (i = 1; i + 2 < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0)
            reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--logons") == 0)
            logons = atol(argv[++i]);
        else
            break;
    }
    if (argc - i != 2 || reps < 1 || reps > MAX_REPS || logons < 1 || ntlm_conf == NULL) {
        fprintf(stderr, "usage: BENCH_WINBIND_CONF=FILE bench_winbind [--reps N] [--logons N] "
                        "DOMAIN\\\\USER PASSWORD\n");
        return 2;
    }
    if (readlink("/proc/self/exe", self, sizeof(self) - 1) <= 0)
        return 1;
    module = bench_module_path(module_buf, sizeof(module_buf));
    incumbent = bench_incumbent_path();
    snprintf(ours_conf, sizeof(ours_conf), "%s.ours-mech", ntlm_conf);
    snprintf(theirs_conf, sizeof(theirs_conf), "%s.theirs-mech", ntlm_conf);
    snprintf(line, sizeof(line), "sspigss_ntlm 1.3.6.1.4.1.311.2.2.10 %s\n", module);
    fp = fopen(ours_conf, "w");
    if (fp == NULL || fputs(line, fp) < 0 || fclose(fp) != 0)
        return 1;
    if (incumbent != NULL) {
        snprintf(line, sizeof(line), "gssntlmssp_v1 1.3.6.1.4.1.311.2.2.10 %s\n", incumbent);
        fp = fopen(theirs_conf, "w");
        if (fp == NULL || fputs(line, fp) < 0 || fclose(fp) != 0)
            return 1;
    }
    printf("# bench_winbind: %d x %ld logons per figure; ours %s; gss-ntlmssp %s\n", reps, logons,
           module, incumbent != NULL ? incumbent : "(not installed)");
    for (r = 0; r < reps; r++) {
        for (k = 0; k < VARIANTS; k++) {
            v = (k + r) % VARIANTS;
            for (f = 0; f < FIELDS; f++)
                vals[v][f][r] = NAN;
            if ((v == GSS1 || v == GSS8) && incumbent == NULL)
                continue;
            snprintf(mech_env, sizeof(mech_env), "GSS_MECH_CONFIG=%s",
                     v == OURS1 || v == OURS8 ? ours_conf : theirs_conf);
            snprintf(conf_env, sizeof(conf_env), "SSPIGSS_NTLM_CONFIG=%s", ntlm_conf);
            env[0] = mech_env;
            env[1] = conf_env;
            /* gss-ntlmssp's winbind path with a libwbclient context per thread, not one
             * context behind a lock for the whole process. */
            env[2] = "GSSNTLMSSP_WB_TLS_CTX=1";
            env[3] = NULL;
            snprintf(logons_arg, sizeof(logons_arg), "%ld", logons);
            cargv[0] = self;
            cargv[1] = "run";
            cargv[2] = v == OURS1 || v == GSS1 ? "1" : "8";
            cargv[3] = logons_arg;
            cargv[4] = argv[i];
            cargv[5] = argv[i + 1];
            cargv[6] = NULL;
            if (bench_child(cargv, env, out, sizeof(out)) != 0) {
                fprintf(stderr, "bench_winbind: %s failed\n", variant_names[v]);
                failed = 1;
                continue;
            }
            for (f = 0; f < FIELDS; f++)
                vals[v][f][r] = bench_field(out, fields[f]);
        }
    }
    for (v = 0; v < VARIANTS; v++) {
        for (f = 0; f < FIELDS; f++) {
            if ((v != GSS1 && v != GSS8) || incumbent != NULL)
                bench_print(field_names[f], variant_names[v],
                            bench_median_present(vals[v][f], reps), field_units[f]);
        }
    }
    /* Ratios ours / gss-ntlmssp within each repetition, then their median. */
    for (k = 0; k < 2 && incumbent != NULL; k++) {
        static const enum variant pairs[2][2] = {{OURS1, GSS1}, {OURS8, GSS8}};
        static const char *const suffix[2] = {"1_client", "8_clients"};
        char name[64];

        for (f = 0; f < 4; f++) {
            for (r = 0; r < reps; r++)
                ratio[r] = vals[pairs[k][0]][f][r] / vals[pairs[k][1]][f][r];
            snprintf(name, sizeof(name), "%s_ours_vs_gss-ntlmssp", field_names[f]);
            bench_print(name, suffix[k], bench_median_present(ratio, reps), "x");
        }
    }
    unlink(ours_conf);
    unlink(theirs_conf);
    return failed;
}
