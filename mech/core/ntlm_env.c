/*
 * Environments: one per configuration file, its current settings re-read when the file
 * changes, and the tables the protocol code shares through it.
 */
#include "ntlm_env.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>

#include "ntlm_buf.h"
#include "ntlm_debug.h"
#include "ntlm_syslog.h"
#include "ntlm_errors.h"

/* What tells one version of a file from another without reading it. */
struct file_state {
    bool present; /* false: absent (only the unnamed default file may be) */
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtim;
    struct timespec ctim; /* catches a rewrite that kept size and mtime (cp -p, rsync -t) */
};

struct ntlm_env {
    atomic_uint refs; /* moved only while not registered */
    char *path;
    bool named;      /* the file must exist */
    bool registered; /* in the registry, which keeps it for the process's life; set before
                      * any other thread sees the env, never changed after */
    struct ntlm_env *next;
    struct ntlm_replay_cache *replay;

    /* What every step writes starts on a cache line of its own, so that reading the fields
     * above (set once) does not contend with it. */
    _Alignas(NTLM_CACHE_LINE) pthread_mutex_t lock; /* guards what follows */
    struct ntlm_settings *current; /* NULL while the file is unusable */
    char *error;                   /* why current is NULL */
    bool have_state;               /* state describes the file current (or error) came from */
    struct file_state state;
    _Atomic time_t checked;  /* clock second of the last check; read without the lock */
    atomic_ulong generation; /* moves on each install, so threads' caches see the change */
};

/* Directories' lockout tables: opened once each, kept for the process's life. */
struct lockout_dir {
    struct lockout_dir *next;
    char *dir;
    struct ntlm_lockout *table;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ntlm_env *registry;
/* Made once per state_dir and never freed; each is published at the head with a release store,
 * so a logon finds its table without registry_lock (ntlm_env_lockout). */
static struct lockout_dir *_Atomic lockout_dirs;
static struct ntlm_answered_table *answered;
/* The audit lines' way to the system log, one socket for the process (ntlm_syslog.h). */
static struct ntlm_syslog *audit_log;
/* Set by tests only; read on every check, so without a lock. */
static time_t (*_Atomic clock_hook)(void);

static time_t
clock_now(void)
{
    struct timespec ts;
    time_t (*hook)(void) = atomic_load(&clock_hook);

    if (hook != NULL)
        return hook();
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return ts.tv_sec;
}

void
ntlm_env_set_clock(time_t (*now)(void))
{
    atomic_store(&clock_hook, now);
}

/* The file's identity and times, or not present; returns stat's errno (0 when it worked). */
static int
file_state_of(const char *path, struct file_state *out)
{
    struct stat st;

    memset(out, 0, sizeof(*out));
    if (stat(path, &st) != 0)
        return errno;
    out->present = true;
    out->dev = st.st_dev;
    out->ino = st.st_ino;
    out->size = st.st_size;
    out->mtim = st.st_mtim;
    out->ctim = st.st_ctim;
    return 0;
}

static bool
file_state_equal(const struct file_state *a, const struct file_state *b)
{
    if (!a->present || !b->present)
        return a->present == b->present;
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtim.tv_sec == b->mtim.tv_sec && a->mtim.tv_nsec == b->mtim.tv_nsec &&
           a->ctim.tv_sec == b->ctim.tv_sec && a->ctim.tv_nsec == b->ctim.tv_nsec;
}

static void
settings_free(struct ntlm_settings *s)
{
    if (s == NULL)
        return;
    ntlm_userdb_release(s->userdb);
    ntlm_config_clear(&s->cfg);
    free(s);
}

/*
 * Reads the file into new settings (refs 1), or *error ("path:line: reason") when it is
 * unusable. Called without env->lock: files are read and parsed outside it.
 */
static uint32_t
settings_read(struct ntlm_env *env, struct ntlm_settings **out, char **error)
{
    struct ntlm_settings *s;
    uint32_t ret;

    *out = NULL;
    *error = NULL;
    /* Read by every thread on every logon (ntlm_calloc_lines). */
    s = ntlm_calloc_lines(sizeof(*s));
    if (s == NULL)
        return NTLM_ERR_NOMEM;
    atomic_init(&s->refs, 1);
    s->env = env;
    ret = ntlm_config_load(env->path, env->named, &s->cfg);
    if (ret == NTLM_ERR_CONFIG) {
        *error = s->cfg.error;
        s->cfg.error = NULL;
        goto done;
    }
    if (ret == 0 && s->cfg.user_file != NULL && s->cfg.winbind != NTLM_WINBIND_ONLY)
        ret = ntlm_userdb_get(s->cfg.user_file,
                              s->cfg.user_file_permissions == NTLM_PERMISSIONS_STRICT, &s->userdb);
    if (ret == 0) {
        *out = s;
        s = NULL;
    }
done:
    settings_free(s);
    return ret;
}

/* Says once per change of the file, where administrators look, that it is unusable. */
static void
report_invalid(const char *error)
{
    syslog(LOG_AUTHPRIV | LOG_ERR,
           "sspigss-ntlm: configuration %s; every credential using the file fails until it is "
           "fixed",
           error);
    ntlm_debug("env: configuration unusable: %s", error);
}

/* Says, once per read of the file and to the file's own trace, which keys it still sets that
 * no longer do anything; the settings work without them. */
static void
trace_obsolete_keys(const struct ntlm_settings *s)
{
    struct ntlm_debug_scope scope;

    if (s == NULL || s->cfg.obsolete_lm_line == 0)
        return;
    ntlm_debug_enter(s->cfg.debug_file, &scope);
    ntlm_debug("configuration line %u: lm is obsolete and ignored (LM responses are always "
               "refused)",
               s->cfg.obsolete_lm_line);
    ntlm_debug_leave(&scope);
}

/* Installs what settings_read gave for the file in state. Called with env->lock held; what
 * it replaces goes to *old, freed by the caller after the lock. */
static void
env_install(struct ntlm_env *env, const struct file_state *state, struct ntlm_settings *fresh,
            char *error, struct ntlm_settings **old)
{
    *old = NULL;
    if (env->current != NULL && atomic_fetch_sub(&env->current->refs, 1) == 1)
        *old = env->current;
    env->current = fresh;
    atomic_fetch_add(&env->generation, 1);
    free(env->error);
    env->error = error;
    env->state = *state;
    env->have_state = true;
}

/*
 * Re-reads the file when it is not the one read last. Called without env->lock; the
 * interval check made sure one thread per env and second gets here.
 */
static uint32_t
env_reload(struct ntlm_env *env)
{
    struct ntlm_settings *fresh = NULL, *old = NULL;
    struct file_state state;
    char *error = NULL;
    bool same;
    uint32_t ret;
    int err;

    err = file_state_of(env->path, &state);
    pthread_mutex_lock(&env->lock);
    /* Only a file that is gone (ENOENT, ENOTDIR) or changed is news. A stat refused for
     * permission says nothing about the file: it is what a server sees once it has dropped
     * privileges after its first logon (a forked worker taking the client's uid, the SSPI
     * impersonation test), and it must keep the settings it read rather than fail closed. */
    same = env->have_state &&
           (file_state_equal(&state, &env->state) || (err != 0 && err != ENOENT && err != ENOTDIR));
    pthread_mutex_unlock(&env->lock);
    if (same)
        return 0;
    /* A change made while we read shows as another state at the next check, which reads
     * again: the state is taken before the read. */
    ret = settings_read(env, &fresh, &error);
    if (ret == NTLM_ERR_NOMEM)
        return ret; /* tried again at the next check; the settings in hand stay */
    if (error != NULL)
        report_invalid(error);
    else
        ntlm_debug("env: configuration %s (re)read", env->path);
    trace_obsolete_keys(fresh);
    pthread_mutex_lock(&env->lock);
    env_install(env, &state, fresh, error, &old);
    pthread_mutex_unlock(&env->lock);
    settings_free(old);
    return 0;
}

static void
env_free(struct ntlm_env *env)
{
    if (env == NULL)
        return;
    if (env->current != NULL && atomic_fetch_sub(&env->current->refs, 1) == 1)
        settings_free(env->current);
    free(env->error);
    ntlm_replay_cache_free(env->replay);
    pthread_mutex_destroy(&env->lock);
    free(env->path);
    free(env);
}

/* The answered table, made at the first env. Called with registry_lock held. */
static uint32_t
answered_table(void)
{
    return answered != NULL ? 0 : ntlm_answered_new(&answered);
}

/* The system log sender, made at the first env. Called with registry_lock held. */
static uint32_t
audit_syslog(void)
{
    return audit_log != NULL ? 0 : ntlm_syslog_new(NTLM_SYSLOG_PATH, &audit_log);
}

/* A new env (refs 1) for path, its file read once. Takes registry_lock for the shared tables. */
static uint32_t
env_build(const char *path, bool named, struct ntlm_env **out)
{
    struct ntlm_env *env;
    uint32_t ret;

    /* The struct's alignment (its cache-line member) is more than malloc promises. */
    env = ntlm_calloc_lines(sizeof(*env));
    if (env == NULL)
        return NTLM_ERR_NOMEM;
    atomic_init(&env->refs, 1);
    env->named = named;
    if (pthread_mutex_init(&env->lock, NULL) != 0) {
        free(env);
        return NTLM_ERR_NOMEM;
    }
    env->path = strdup(path);
    ret = env->path == NULL ? NTLM_ERR_NOMEM : 0;
    if (ret == 0)
        ret = ntlm_replay_cache_new(NTLM_REPLAY_CACHE_SIZE, &env->replay);
    if (ret == 0) {
        pthread_mutex_lock(&registry_lock);
        ret = answered_table();
        if (ret == 0)
            ret = audit_syslog();
        pthread_mutex_unlock(&registry_lock);
    }
    if (ret == 0)
        ret = env_reload(env);
    if (ret == 0)
        atomic_store(&env->checked, clock_now());
    if (ret) {
        env_free(env);
        return ret;
    }
    *out = env;
    return 0;
}

uint32_t
ntlm_env_get(const char *path, struct ntlm_env **out)
{
    struct ntlm_env *env, *built = NULL;
    bool named = true;
    uint32_t ret;

    if (out == NULL)
        return NTLM_ERR_INVALID_ARG;
    if (path == NULL)
        path = ntlm_config_default_path(&named);
    for (;;) {
        pthread_mutex_lock(&registry_lock);
        for (env = registry; env != NULL; env = env->next) {
            if (env->named == named && strcmp(env->path, path) == 0)
                break;
        }
        if (env == NULL && built != NULL) {
            /* Ours is the first: the registry keeps the reference it was built with. */
            built->registered = true;
            built->next = registry;
            registry = built;
            env = built;
            built = NULL;
        }
        if (env != NULL)
            atomic_fetch_add(&env->refs, 1);
        pthread_mutex_unlock(&registry_lock);
        /* Another thread registered the same file while we read it: theirs wins. */
        env_free(built);
        if (env != NULL) {
            *out = env;
            return 0;
        }
        /* Built outside registry_lock: reading a file must not hold up other credentials. */
        ret = env_build(path, named, &built);
        if (ret)
            return ret;
    }
}

uint32_t
ntlm_env_new(const char *path, struct ntlm_env **out)
{
    if (path == NULL || out == NULL)
        return NTLM_ERR_INVALID_ARG;
    return env_build(path, true, out);
}

struct ntlm_env *
ntlm_env_ref(struct ntlm_env *env)
{
    /* A registered env is never freed, so its count means nothing: not moving it spares every
     * step of every thread two atomic writes to a line they all share. */
    if (env != NULL && !env->registered)
        atomic_fetch_add(&env->refs, 1);
    return env;
}

void
ntlm_env_release(struct ntlm_env *env)
{
    /* A registered env is never freed (ntlm_env_ref). */
    if (env != NULL && !env->registered && atomic_fetch_sub(&env->refs, 1) == 1)
        env_free(env);
}

const char *
ntlm_env_path(const struct ntlm_env *env)
{
    return env->path;
}

/* The settings in force, with a reference for the caller; NULL while the file is unusable.
 * Called with env->lock held. */
static struct ntlm_settings *
current_ref(struct ntlm_env *env)
{
    if (env->current != NULL)
        atomic_fetch_add(&env->current->refs, 1);
    return env->current;
}

/* Whether the file is due for a check at now (a clock set back counts as due). */
static bool
check_due(struct ntlm_env *env, time_t now)
{
    time_t checked = atomic_load(&env->checked);

    return now - checked >= NTLM_ENV_CHECK_INTERVAL || now < checked;
}

/* The settings in force (a reference) and their generation, checking the file when due. */
static uint32_t
env_settings(struct ntlm_env *env, struct ntlm_settings **out, unsigned long *generation)
{
    time_t now = clock_now();
    bool check;
    uint32_t ret = 0;

    /* Between checks, one lock: the reference is taken with the decision. */
    pthread_mutex_lock(&env->lock);
    check = check_due(env, now);
    if (check) {
        atomic_store(&env->checked, now);
    } else {
        *out = current_ref(env);
        *generation = atomic_load(&env->generation);
    }
    pthread_mutex_unlock(&env->lock);
    if (check) {
        ret = env_reload(env);
        pthread_mutex_lock(&env->lock);
        *out = current_ref(env);
        *generation = atomic_load(&env->generation);
        pthread_mutex_unlock(&env->lock);
    }
    if (*out != NULL)
        return 0;
    return ret != 0 ? ret : NTLM_ERR_CONFIG;
}

uint32_t
ntlm_env_settings(struct ntlm_env *env, struct ntlm_settings **out)
{
    unsigned long generation;

    return env_settings(env, out, &generation);
}

/*
 * This thread's settings of the registered env it used last, with a reference of its own, so
 * that a step finds them without the env's lock or a count every thread shares while the file
 * is unchanged (bench_scale, 2 threads: the lock and the count were the module's most
 * contended lines). Only registered envs: they are never freed, so an address cannot come back
 * as another env. A thread that ends gives its reference back (thread_cache_end).
 */
struct thread_cache {
    struct ntlm_env *env;
    struct ntlm_settings *settings;
    unsigned long generation;
    unsigned in_use; /* steps of this thread holding settings now (calls nest) */
};

static __thread struct thread_cache thread_cache;
static pthread_key_t thread_cache_key;
static pthread_once_t thread_cache_once = PTHREAD_ONCE_INIT;
static bool thread_cache_key_made;

static void
thread_cache_end(void *arg)
{
    struct thread_cache *cache = arg;

    ntlm_settings_release(cache->settings);
    cache->settings = NULL;
    cache->env = NULL;
}

static void
thread_cache_key_init(void)
{
    thread_cache_key_made = pthread_key_create(&thread_cache_key, thread_cache_end) == 0;
}

/* Makes (settings, generation) of env the thread's, taking the caller's reference; false when
 * the thread cannot keep one (no key for its end), the reference then still the caller's. */
static bool
thread_cache_keep(struct ntlm_env *env, struct ntlm_settings *settings, unsigned long generation)
{
    pthread_once(&thread_cache_once, thread_cache_key_init);
    if (!thread_cache_key_made || pthread_setspecific(thread_cache_key, &thread_cache) != 0)
        return false;
    ntlm_settings_release(thread_cache.settings);
    thread_cache = (struct thread_cache){env, settings, generation, 0};
    return true;
}

uint32_t
ntlm_env_settings_hold(struct ntlm_env *env, struct ntlm_settings **out, bool *cached)
{
    struct thread_cache *c = &thread_cache;
    unsigned long generation;
    uint32_t ret;

    *cached = false;
    if (c->env == env && c->settings != NULL && !check_due(env, clock_now()) &&
        c->generation == atomic_load(&env->generation)) {
        c->in_use++;
        *out = c->settings;
        *cached = true;
        return 0;
    }
    ret = env_settings(env, out, &generation);
    /* Another entry stays while a step of this thread holds it. */
    if (ret == 0 && env->registered && c->in_use == 0 && thread_cache_keep(env, *out, generation)) {
        c->in_use = 1;
        *cached = true;
    }
    return ret;
}

void
ntlm_env_settings_unhold(struct ntlm_settings *settings, bool cached)
{
    if (cached)
        thread_cache.in_use--;
    else
        ntlm_settings_release(settings);
}

void
ntlm_settings_release(struct ntlm_settings *settings)
{
    /* The env's own reference is dropped under its lock when other settings replace these;
     * whoever drops the last one frees them. */
    if (settings != NULL && atomic_fetch_sub(&settings->refs, 1) == 1)
        settings_free(settings);
}

void
ntlm_env_error(struct ntlm_env *env, char *buf, size_t size)
{
    if (size == 0)
        return;
    pthread_mutex_lock(&env->lock);
    snprintf(buf, size, "%s", env->error != NULL ? env->error : "");
    pthread_mutex_unlock(&env->lock);
}

struct ntlm_replay_cache *
ntlm_env_replay_cache(struct ntlm_env *env)
{
    return env->replay;
}

struct ntlm_answered_table *
ntlm_env_answered(struct ntlm_env *env)
{
    (void)env;
    /* Set before the first env was returned, never changed after. */
    return answered;
}

struct ntlm_syslog *
ntlm_env_syslog(struct ntlm_env *env)
{
    (void)env;
    /* Set before the first env was returned, never changed after. */
    return audit_log;
}

static struct lockout_dir *
lockout_dir_find(const char *dir)
{
    struct lockout_dir *d;

    for (d = atomic_load_explicit(&lockout_dirs, memory_order_acquire); d != NULL; d = d->next) {
        if (strcmp(d->dir, dir) == 0)
            return d;
    }
    return NULL;
}

/* Once the table of a state_dir exists, a logon finds it without a lock: every thread's logon
 * took registry_lock here before (issue 18, perf of bench_scale with 2 threads). */
struct ntlm_lockout *
ntlm_env_lockout(struct ntlm_env *env, const struct ntlm_config *cfg)
{
    const char *dir = cfg->state_dir != NULL ? cfg->state_dir : "(none)";
    struct lockout_dir *d;
    struct ntlm_lockout *table = NULL;

    (void)env;
    d = lockout_dir_find(dir);
    if (d != NULL)
        return d->table;
    pthread_mutex_lock(&registry_lock);
    d = lockout_dir_find(dir);
    if (d == NULL) {
        /* A table that could not even be allocated is tried again at the next logon. */
        d = calloc(1, sizeof(*d));
        if (d != NULL && (d->dir = strdup(dir)) != NULL &&
            (d->table = ntlm_lockout_open_or_private(dir)) != NULL) {
            d->next = atomic_load_explicit(&lockout_dirs, memory_order_relaxed);
            atomic_store_explicit(&lockout_dirs, d, memory_order_release);
        } else if (d != NULL) {
            free(d->dir);
            free(d);
            d = NULL;
        }
    }
    if (d != NULL)
        table = d->table;
    pthread_mutex_unlock(&registry_lock);
    return table;
}
