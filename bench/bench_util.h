/* What the benchmark programs share: a private world on disk (mech.conf files, user files,
 * an isolated krb5), timed loops, medians, child processes and the `name value unit` lines. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_DOMAIN "TESTDOM"
#define BENCH_USER "alice"
#define BENCH_PASSWORD "Passw0rd!"
#define BENCH_TARGET "HTTP@testhost.example"

/* The user databases measured: 1, 1,000 and 100,000 users, alice always among them. */
#define BENCH_USER_FILES 3
extern const unsigned bench_user_counts[BENCH_USER_FILES];

struct bench_world {
    char dir[256];
    char ours_conf[320], incumbent_conf[320], ntlm_conf[320], krb5_conf[320];
    char users[BENCH_USER_FILES][320];
    char state_dir[320], state_file[360]; /* the lockout table (state_dir) */
    bool have_incumbent;
    bool incumbent_probed; /* bench_incumbent_failed asked the probe (once a run) */
};

/* A file of the build tree, rel from its top, seen from the program (bench/, libtool's .libs/
 * directory skipped): the path in buf, or NULL. */
const char *bench_build_path(const char *rel, char *buf, size_t size);
/* The module under test: $SSPIGSS_MODULE, else mech/.libs/sspigss_ntlm.so of the build tree. */
const char *bench_module_path(char *buf, size_t size);
/* gss-ntlmssp's module: $SSPIGSS_INCUMBENT, else the Debian path; NULL when absent. */
const char *bench_incumbent_path(void);

/* Writes the world and exports the environment every child inherits (NTLMUSER, the module
 * configuration, KRB5_CONFIG, ...). GSS_MECH_CONFIG and NTLM_USER_FILE are left for the
 * caller. Returns 0, or -1 after printing why. */
int bench_world_create(struct bench_world *w, const char *module, const char *incumbent,
                       bool all_user_files);
void bench_world_remove(struct bench_world *w);
/* Removes the world also when SIGINT, SIGTERM, SIGHUP or SIGPIPE ends the program. */
void bench_world_remove_on_signal(struct bench_world *w);

/* Runs op in batches until `seconds` of wall time have passed. */
struct bench_timing {
    uint64_t ops;
    double wall, cpu;
};
typedef int (*bench_op)(void *arg); /* 0 on success */
int bench_time(double seconds, bench_op op, void *arg, struct bench_timing *out);
/* ops per second by the clock chosen with BENCH_CLOCK (cpu, the default, or wall). */
double bench_rate(const struct bench_timing *t);
double bench_now_wall(void);

double bench_median(double *v, size_t n);
/* The median of the values that are not NAN (failed runs), or NAN when there is none. */
double bench_median_present(const double *v, int n);
/* The median of the ratios a[i] / b[i]: ratios taken within each repetition. */
double bench_median_ratio(const double *a, const double *b, int n);
/* The q-quantile (nearest rank) of n sorted values. */
double bench_quantile(const double *sorted, long n, double q);

/*
 * Runs op(args[t]) from `threads` threads until `total` operations ran in all, the wall time of
 * operation k in latency[k] (sorted on return). Returns how many failed.
 */
long bench_latency_run(int threads, long total, bench_op op, void *const *args, double *latency);

/* Runs argv (argv[0] the program) with extra environment NAME=VALUE strings, returns its
 * exit status (-1 when it could not run) and its standard output in out. */
int bench_child(char *const argv[], const char *const env[], char *out, size_t out_size);
/* The number after "key " in a child's output, or NAN. */
double bench_field(const char *out, const char *key);

/* Whether valgrind runs here. */
bool bench_have_valgrind(void);
/* Instructions (Ir) of `valgrind --tool=callgrind argv...` with extra environment; the profile
 * goes to out_file (removed unless keep). NAN after printing why, when the run failed. */
double bench_callgrind_ir(char *const argv[], const char *const env[], const char *out_file,
                          bool keep);

/* One report line, the value printed with a precision fitting its size. */
void bench_print(const char *name, const char *suffix, double value, const char *unit);

/* Targets are collected during the run and printed last: `target NAME VALUE BOUND PASS|MISS`. */
void bench_target(const char *name, double value, bool at_least, double bound);
void bench_print_targets(void);

#endif
