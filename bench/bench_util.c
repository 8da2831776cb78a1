/* Shared benchmark plumbing: the private world, timed loops, medians, children, report lines. */
#include "bench_util.h"

#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const unsigned bench_user_counts[BENCH_USER_FILES] = {1, 1000, 100000};

static const char *const incumbent_paths[] = {
    "/usr/lib/x86_64-linux-gnu/gssntlmssp/gssntlmssp.so",
    "/usr/lib/aarch64-linux-gnu/gssntlmssp/gssntlmssp.so",
    "/usr/lib64/gssntlmssp/gssntlmssp.so",
    "/usr/lib/gssntlmssp/gssntlmssp.so",
};

const char *
bench_build_path(const char *rel, char *buf, size_t size)
{
    char self[512], *dir;
    ssize_t n;

    n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
        return NULL;
    self[n] = '\0';
    dir = dirname(self);
    /* A libtool-linked program runs from bench/.libs/: the build tree is one more level up. */
    if (strcmp(basename(dir), ".libs") == 0)
        dir = dirname(dir);
    snprintf(buf, size, "%s/../%s", dir, rel);
    return buf;
}

const char *
bench_module_path(char *buf, size_t size)
{
    const char *env = getenv("SSPIGSS_MODULE");

    if (env != NULL && *env != '\0')
        return env;
    return bench_build_path("mech/.libs/sspigss_ntlm.so", buf, size);
}

const char *
bench_incumbent_path(void)
{
    const char *env = getenv("SSPIGSS_INCUMBENT");
    size_t i;

    if (env != NULL)
        return *env != '\0' && access(env, R_OK) == 0 ? env : NULL;
    for (i = 0; i < sizeof(incumbent_paths) / sizeof(incumbent_paths[0]); i++) {
        if (access(incumbent_paths[i], R_OK) == 0)
            return incumbent_paths[i];
    }
    return NULL;
}

static int
write_text(const char *dir, const char *name, const char *text, char *path, size_t size)
{
    FILE *f;

    snprintf(path, size, "%s/%s", dir, name);
    f = fopen(path, "w");
    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

/* DOMAIN:USER:PASSWORD lines, alice in the middle: a linear scan meets her after half the file. */
static int
write_users(const char *path, unsigned count)
{
    FILE *f = fopen(path, "w");
    unsigned i;

    if (f == NULL) {
        perror(path);
        return -1;
    }
    for (i = 0; i < count; i++) {
        if (i == count / 2)
            fprintf(f, "%s:%s:%s\n", BENCH_DOMAIN, BENCH_USER, BENCH_PASSWORD);
        else
            fprintf(f, "%s:user%06u:Secret-%06u\n", BENCH_DOMAIN, i, i);
    }
    if (fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

int
bench_world_create(struct bench_world *w, const char *module, const char *incumbent,
                   bool all_user_files)
{
    char line[600], path[320];
    size_t i;

    memset(w, 0, sizeof(*w));
    /* User files hold passwords: private, as the module's strict permission check demands. */
    umask(077);
    snprintf(w->dir, sizeof(w->dir), "%s/sspigss-bench-XXXXXX", P_tmpdir);
    if (mkdtemp(w->dir) == NULL) {
        perror("mkdtemp");
        w->dir[0] = '\0';
        return -1;
    }
    snprintf(line, sizeof(line), "sspigss_ntlm 1.3.6.1.4.1.311.2.2.10 %s\n", module);
    if (write_text(w->dir, "ours.conf", line, w->ours_conf, sizeof(w->ours_conf)) != 0)
        return -1;
    if (incumbent != NULL) {
        snprintf(line, sizeof(line), "gssntlmssp_v1 1.3.6.1.4.1.311.2.2.10 %s\n", incumbent);
        if (write_text(w->dir, "incumbent.conf", line, w->incumbent_conf,
                       sizeof(w->incumbent_conf)) != 0)
            return -1;
        w->have_incumbent = true;
    }
    for (i = 0; i < (all_user_files ? BENCH_USER_FILES : 1); i++) {
        snprintf(w->users[i], sizeof(w->users[i]), "%s/users-%u", w->dir, bench_user_counts[i]);
        if (write_users(w->users[i], bench_user_counts[i]) != 0)
            return -1;
    }
    /* The lockout table in the world, as a server has it in its state_dir (the module
     * creates the directory and the file at the first logon). */
    snprintf(w->state_dir, sizeof(w->state_dir), "%s/state", w->dir);
    snprintf(w->state_file, sizeof(w->state_file), "%s/lockout-%lu.db", w->state_dir,
             (unsigned long)geteuid());
    snprintf(line, sizeof(line),
             "netbios_name = TESTHOST\nnetbios_domain = TESTDOM\ndns_name = testhost.example\n"
             "state_dir = %s\n",
             w->state_dir);
    if (write_text(w->dir, "ntlm.conf", line, w->ntlm_conf, sizeof(w->ntlm_conf)) != 0)
        return -1;
    setenv("SSPIGSS_NTLM_CONFIG", w->ntlm_conf, 1);
    /* krb5 must find nothing: no config, no ticket, no keytab, no DNS. */
    if (write_text(w->dir, "krb5.conf", "[libdefaults]\n dns_lookup_kdc = false\n", w->krb5_conf,
                   sizeof(w->krb5_conf)) != 0)
        return -1;
    setenv("KRB5_CONFIG", w->krb5_conf, 1);
    snprintf(path, sizeof(path), "FILE:%s/no-ccache", w->dir);
    setenv("KRB5CCNAME", path, 1);
    snprintf(path, sizeof(path), "FILE:%s/no-keytab", w->dir);
    setenv("KRB5_KTNAME", path, 1);
    setenv("NTLMUSER", BENCH_DOMAIN "\\" BENCH_USER, 1);
    setenv("NTLM_USER_FILE", w->users[0], 1);
    setenv("GSS_MECH_CONFIG", w->ours_conf, 1);
    return 0;
}

/* Only unlink and rmdir on paths stored at creation: safe in a signal handler. */
static int
world_unlink(struct bench_world *w)
{
    char *files[4 + BENCH_USER_FILES] = {w->ours_conf, w->incumbent_conf, w->ntlm_conf,
                                         w->krb5_conf};
    size_t i;

    if (w->dir[0] == '\0')
        return 0;
    for (i = 0; i < BENCH_USER_FILES; i++)
        files[4 + i] = w->users[i];
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        if (files[i][0] != '\0')
            unlink(files[i]);
    }
    if (w->state_file[0] != '\0')
        unlink(w->state_file);
    if (w->state_dir[0] != '\0')
        rmdir(w->state_dir);
    return rmdir(w->dir);
}

void
bench_world_remove(struct bench_world *w)
{
    if (world_unlink(w) != 0)
        fprintf(stderr, "bench: %s left behind: %s\n", w->dir, strerror(errno));
    w->dir[0] = '\0';
}

static struct bench_world *signal_world;

static void
remove_and_die(int sig)
{
    world_unlink(signal_world);
    signal(sig, SIG_DFL);
    raise(sig);
}

void
bench_world_remove_on_signal(struct bench_world *w)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    struct sigaction sa;
    size_t i;

    signal_world = w;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = remove_and_die;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaction(sigs[i], &sa, NULL);
}

static double
clock_seconds(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
bench_now_wall(void)
{
    return clock_seconds(CLOCK_MONOTONIC);
}

/*
 * Batches double until one takes a few milliseconds, so that reading the clocks (the process
 * CPU clock is a system call) costs nothing measurable even for sub-microsecond operations.
 */
int
bench_time(double seconds, bench_op op, void *arg, struct bench_timing *out)
{
    double wall0 = clock_seconds(CLOCK_MONOTONIC), cpu0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
    double last = wall0, now;
    uint64_t batch = 1, ops = 0, i;

    do {
        for (i = 0; i < batch; i++) {
            if (op(arg) != 0)
                return -1;
        }
        ops += batch;
        now = clock_seconds(CLOCK_MONOTONIC);
        if (now - last < 0.002 && batch < (1u << 20))
            batch *= 2;
        last = now;
    } while (now - wall0 < seconds);
    out->ops = ops;
    out->wall = now - wall0;
    out->cpu = clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    return 0;
}

double
bench_rate(const struct bench_timing *t)
{
    const char *clock = getenv("BENCH_CLOCK");
    double secs = clock != NULL && strcmp(clock, "wall") == 0 ? t->wall : t->cpu;

    return secs > 0 ? (double)t->ops / secs : NAN;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

double
bench_median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double
bench_median_present(const double *v, int n)
{
    double keep[256];
    int i, k = 0;

    for (i = 0; i < n && k < (int)(sizeof(keep) / sizeof(keep[0])); i++) {
        if (!isnan(v[i]))
            keep[k++] = v[i];
    }
    return k > 0 ? bench_median(keep, (size_t)k) : NAN;
}

double
bench_median_ratio(const double *a, const double *b, int n)
{
    double r[256];
    int i;

    for (i = 0; i < n && i < (int)(sizeof(r) / sizeof(r[0])); i++)
        r[i] = a[i] / b[i];
    return bench_median_present(r, i);
}

double
bench_quantile(const double *sorted, long n, double q)
{
    long k = (long)ceil(q * (double)n) - 1;

    return sorted[k < 0 ? 0 : k];
}

struct latency_run {
    bench_op op;
    void *arg;
    long total;
    atomic_long *next, *failed;
    double *latency;
};

static void *
latency_thread(void *arg)
{
    struct latency_run *r = arg;
    double start;
    long k;

    while ((k = atomic_fetch_add(r->next, 1)) < r->total) {
        start = bench_now_wall();
        if (r->op(r->arg) != 0)
            atomic_fetch_add(r->failed, 1);
        r->latency[k] = bench_now_wall() - start;
    }
    return NULL;
}

long
bench_latency_run(int threads, long total, bench_op op, void *const *args, double *latency)
{
    struct latency_run runs[64];
    pthread_t ids[64];
    atomic_long next = 0, failed = 0;
    int t;

    if (threads > 64)
        threads = 64;
    for (t = 0; t < threads; t++) {
        runs[t] = (struct latency_run){op, args[t], total, &next, &failed, latency};
        pthread_create(&ids[t], NULL, latency_thread, &runs[t]);
    }
    for (t = 0; t < threads; t++)
        pthread_join(ids[t], NULL);
    bench_median(latency, (size_t)total); /* sorts */
    return atomic_load(&failed);
}

int
bench_child(char *const argv[], const char *const env[], char *out, size_t out_size)
{
    int fds[2], status;
    size_t used = 0;
    ssize_t n;
    pid_t pid;

    if (pipe(fds) != 0)
        return -1;
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        if (dup2(fds[1], STDOUT_FILENO) < 0)
            _exit(127);
        close(fds[1]);
        for (; env != NULL && *env != NULL; env++)
            putenv((char *)*env);
        execvp(argv[0], argv);
        perror(argv[0]);
        _exit(127);
    }
    close(fds[1]);
    while ((n = read(fds[0], out + used, out_size - 1 - used)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        used += (size_t)n;
        if (used == out_size - 1) {
            char sink[256];

            while (read(fds[0], sink, sizeof(sink)) > 0)
                ;
            break;
        }
    }
    out[used] = '\0';
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

double
bench_field(const char *out, const char *key)
{
    size_t len = strlen(key);
    const char *p = out;

    while (p != NULL && *p != '\0') {
        if (strncmp(p, key, len) == 0 && p[len] == ' ')
            return strtod(p + len + 1, NULL);
        p = strchr(p, '\n');
        if (p != NULL)
            p++;
    }
    return NAN;
}

bool
bench_have_valgrind(void)
{
    return system("valgrind --version >/dev/null 2>&1") == 0;
}

double
bench_callgrind_ir(char *const argv[], const char *const env[], const char *out_file, bool keep)
{
    char outarg[600], out[256], line[256], *vg[16];
    double ir = NAN;
    FILE *f;
    int i, status;

    snprintf(outarg, sizeof(outarg), "--callgrind-out-file=%s", out_file);
    vg[0] = "valgrind";
    vg[1] = "--tool=callgrind";
    vg[2] = "-q";
    vg[3] = outarg;
    for (i = 0; argv[i] != NULL && i < 11; i++)
        vg[i + 4] = argv[i];
    vg[i + 4] = NULL;
    status = bench_child(vg, env, out, sizeof(out));
    f = fopen(out_file, "r");
    if (status == 0 && f != NULL) {
        while (fgets(line, sizeof(line), f) != NULL) {
            if (strncmp(line, "totals:", 7) == 0 || strncmp(line, "summary:", 8) == 0)
                ir = strtod(strchr(line, ':') + 1, NULL);
        }
    }
    if (f != NULL)
        fclose(f);
    if (!keep)
        unlink(out_file);
    if (isnan(ir)) {
        fprintf(stderr, "bench: callgrind run failed (status %d):", status);
        for (i = 0; argv[i] != NULL; i++)
            fprintf(stderr, " %s", argv[i]);
        fprintf(stderr, "\n");
    }
    return ir;
}

static void
print_value(double value)
{
    double a = fabs(value);

    if (isnan(value))
        printf("nan");
    else if (a >= 1000 || value == 0)
        printf("%.0f", value);
    else if (a >= 10)
        printf("%.1f", value);
    else if (a >= 0.1)
        printf("%.3f", value);
    else
        printf("%.3g", value);
}

void
bench_print(const char *name, const char *suffix, double value, const char *unit)
{
    printf("%s%s%s ", name, suffix != NULL ? "." : "", suffix != NULL ? suffix : "");
    print_value(value);
    printf(" %s\n", unit);
    fflush(stdout);
}

#define MAX_TARGETS 32

static struct {
    const char *name;
    double value, bound;
    bool at_least;
} targets[MAX_TARGETS];
static size_t n_targets;

void
bench_target(const char *name, double value, bool at_least, double bound)
{
    if (n_targets == MAX_TARGETS)
        return;
    targets[n_targets].name = name;
    targets[n_targets].value = value;
    targets[n_targets].bound = bound;
    targets[n_targets].at_least = at_least;
    n_targets++;
}

void
bench_print_targets(void)
{
    size_t i;

    for (i = 0; i < n_targets; i++) {
        bool pass = !isnan(targets[i].value) &&
                    (targets[i].at_least ? targets[i].value >= targets[i].bound
                                         : targets[i].value <= targets[i].bound);

        printf("target %s ", targets[i].name);
        print_value(targets[i].value);
        printf(" %s", targets[i].at_least ? ">=" : "<=");
        print_value(targets[i].bound);
        printf(" %s\n", pass ? "PASS" : "MISS");
    }
    fflush(stdout);
}
