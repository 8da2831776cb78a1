/* Tests of mech/core/ntlm_env.c: one env per file, live reload on a fake clock, failing closed
 * per file, and what an env hands the protocol code. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ntlm_env.h"
#include "ntlm_errors.h"
#include "test_util.h"

/* The fake clock the check interval is measured on. */
static time_t fake_now = 1000;

static time_t
fake_clock(void)
{
    return fake_now;
}

/* A scratch directory with two configuration files and a user file. */
struct fixture {
    char dir[64];
    char a[96], b[96], users[96];
};

static void
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT_FATAL(fputs(text, f) >= 0);
    CU_ASSERT_FATAL(fclose(f) == 0);
}

/* Rewrites path and moves its mtime on by step seconds, so that the change shows whatever
 * the file system's timestamp granularity. */
static void
rewrite(const char *path, const char *text, time_t step)
{
    static time_t mtime = 1700000000;
    struct timespec times[2];

    write_file(path, text);
    mtime += step;
    times[0] = times[1] = (struct timespec){mtime, 0};
    CU_ASSERT_EQUAL_FATAL(utimensat(AT_FDCWD, path, times, 0), 0);
}

static void
fixture_begin(struct fixture *fx)
{
    strcpy(fx->dir, "/tmp/test_ntlm_env.XXXXXX");
    CU_ASSERT_FATAL(mkdtemp(fx->dir) != NULL);
    snprintf(fx->a, sizeof(fx->a), "%s/a.conf", fx->dir);
    snprintf(fx->b, sizeof(fx->b), "%s/b.conf", fx->dir);
    snprintf(fx->users, sizeof(fx->users), "%s/users", fx->dir);
    write_file(fx->users, "CORP:alice:Passw0rd!\n");
    CU_ASSERT_EQUAL_FATAL(chmod(fx->users, 0600), 0);
    unsetenv("NTLM_USER_FILE");
    ntlm_env_set_clock(fake_clock);
}

static void
fixture_end(struct fixture *fx)
{
    ntlm_env_set_clock(NULL);
    unlink(fx->a);
    unlink(fx->b);
    unlink(fx->users);
    rmdir(fx->dir);
}

/* allow_ntlmv1 of env's current settings: 1 or 0, -1 when the file is unusable. */
static int
ntlmv1_of(struct ntlm_env *env)
{
    struct ntlm_settings *s = NULL;
    int v;

    if (ntlm_env_settings(env, &s) != 0)
        return -1;
    v = s->cfg.allow_ntlmv1 ? 1 : 0;
    ntlm_settings_release(s);
    return v;
}

static void
test_an_env_is_shared_per_file(void)
{
    struct fixture fx;
    struct ntlm_env *one = NULL, *two = NULL, *other = NULL;

    fixture_begin(&fx);
    rewrite(fx.a, "ntlmv1 = yes\n", 1);
    rewrite(fx.b, "ntlmv1 = no\n", 1);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_get(fx.a, &one), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_get(fx.a, &two), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_get(fx.b, &other), 0);
    CU_ASSERT_PTR_EQUAL(one, two);
    CU_ASSERT_PTR_NOT_EQUAL(one, other);
    CU_ASSERT_STRING_EQUAL(ntlm_env_path(one), fx.a);
    CU_ASSERT_EQUAL(ntlmv1_of(one), 1);
    CU_ASSERT_EQUAL(ntlmv1_of(other), 0);
    /* Each file has its replay cache; reflection is the process's, whatever the file. */
    CU_ASSERT_PTR_NOT_EQUAL(ntlm_env_replay_cache(one), ntlm_env_replay_cache(other));
    CU_ASSERT_PTR_EQUAL(ntlm_env_answered(one), ntlm_env_answered(other));
    CU_ASSERT_PTR_EQUAL(ntlm_env_syslog(one), ntlm_env_syslog(other));
    ntlm_env_release(one);
    ntlm_env_release(two);
    ntlm_env_release(other);
    fixture_end(&fx);
}

/* The thread's cached copy (ntlm_env_settings_hold) is the current settings until the next
 * check finds the file changed, then the new ones; it is kept only for registered envs. */
static void
test_held_settings_are_cached_per_thread_and_follow_an_edit(void)
{
    struct ntlm_settings *first = NULL, *again = NULL, *edited = NULL;
    struct ntlm_env *env = NULL;
    bool cached = false;
    struct fixture fx;

    fixture_begin(&fx);
    rewrite(fx.a, "ntlmv1 = no\n", 1);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_get(fx.a, &env), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings_hold(env, &first, &cached), 0);
    CU_ASSERT_TRUE(cached);
    ntlm_env_settings_unhold(first, cached);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings_hold(env, &again, &cached), 0);
    CU_ASSERT_TRUE(cached);
    CU_ASSERT_PTR_EQUAL(again, first);
    ntlm_env_settings_unhold(again, cached);
    rewrite(fx.a, "ntlmv1 = yes\n", 1);
    /* Not before the check. */
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings_hold(env, &again, &cached), 0);
    CU_ASSERT_FALSE(again->cfg.allow_ntlmv1);
    ntlm_env_settings_unhold(again, cached);
    fake_now += NTLM_ENV_CHECK_INTERVAL;
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings_hold(env, &edited, &cached), 0);
    CU_ASSERT_TRUE(edited->cfg.allow_ntlmv1);
    ntlm_env_settings_unhold(edited, cached);
    /* And from the cache after it. */
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings_hold(env, &again, &cached), 0);
    CU_ASSERT_TRUE(cached);
    CU_ASSERT_PTR_EQUAL(again, edited);
    ntlm_env_settings_unhold(again, cached);
    ntlm_env_release(env);
    fixture_end(&fx);
}

/* A call nested in a step (accept acquiring the default credential) may hold another env's
 * settings: the outer ones stay the thread's and are not given back under the outer step. */
static void
test_a_nested_hold_leaves_the_outer_settings_alone(void)
{
    struct ntlm_settings *outer = NULL, *inner = NULL, *again = NULL;
    struct ntlm_env *a = NULL, *b = NULL;
    bool outer_cached = false, inner_cached = true;
    struct fixture fx;

    fixture_begin(&fx);
    rewrite(fx.a, "ntlmv1 = no\n", 1);
    rewrite(fx.b, "ntlmv1 = yes\n", 1);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_get(fx.a, &a), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_get(fx.b, &b), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings_hold(a, &outer, &outer_cached), 0);
    CU_ASSERT_TRUE(outer_cached);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings_hold(b, &inner, &inner_cached), 0);
    CU_ASSERT_FALSE(inner_cached);
    CU_ASSERT_TRUE(inner->cfg.allow_ntlmv1);
    ntlm_env_settings_unhold(inner, inner_cached);
    CU_ASSERT_FALSE(outer->cfg.allow_ntlmv1);
    ntlm_env_settings_unhold(outer, outer_cached);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings_hold(a, &again, &outer_cached), 0);
    CU_ASSERT_PTR_EQUAL(again, outer);
    ntlm_env_settings_unhold(again, outer_cached);
    ntlm_env_release(a);
    ntlm_env_release(b);
    fixture_end(&fx);
}

/* An env of ntlm_env_new's may be freed and its address reused: never cached. */
static void
test_settings_of_an_unregistered_env_are_never_cached(void)
{
    struct ntlm_settings *s = NULL;
    struct ntlm_env *env = NULL;
    bool cached = true;
    struct fixture fx;

    fixture_begin(&fx);
    rewrite(fx.a, "ntlmv1 = no\n", 1);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_new(fx.a, &env), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings_hold(env, &s, &cached), 0);
    CU_ASSERT_FALSE(cached);
    ntlm_env_settings_unhold(s, cached);
    ntlm_env_release(env);
    fixture_end(&fx);
}

static void
test_an_edit_takes_effect_at_the_next_check_and_not_before(void)
{
    struct fixture fx;
    struct ntlm_env *env = NULL;
    struct ntlm_settings *held = NULL;

    fixture_begin(&fx);
    rewrite(fx.a, "ntlmv1 = no\n", 1);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_new(fx.a, &env), 0);
    CU_ASSERT_EQUAL(ntlmv1_of(env), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings(env, &held), 0);
    rewrite(fx.a, "ntlmv1 = yes\n", 1);
    /* Within the interval the file is not even looked at. */
    CU_ASSERT_EQUAL(ntlmv1_of(env), 0);
    fake_now += NTLM_ENV_CHECK_INTERVAL;
    CU_ASSERT_EQUAL(ntlmv1_of(env), 1);
    /* Settings in hand are a snapshot: a step that holds them keeps its policy. */
    CU_ASSERT_FALSE(held->cfg.allow_ntlmv1);
    ntlm_settings_release(held);
    ntlm_env_release(env);
    fixture_end(&fx);
}

static void
test_a_broken_file_fails_closed_naming_its_line_until_fixed(void)
{
    struct fixture fx;
    struct ntlm_env *a = NULL, *b = NULL;
    struct ntlm_settings *s = NULL;
    char error[256], want[160];

    fixture_begin(&fx);
    rewrite(fx.a, "ntlmv1 = yes\n", 1);
    rewrite(fx.b, "ntlmv1 = yes\n", 1);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_new(fx.a, &a), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_new(fx.b, &b), 0);
    ntlm_env_error(a, error, sizeof(error));
    CU_ASSERT_STRING_EQUAL(error, "");

    rewrite(fx.a, "# edited\nntlmv1 = sometimes\n", 1);
    fake_now += NTLM_ENV_CHECK_INTERVAL;
    CU_ASSERT_EQUAL(ntlm_env_settings(a, &s), NTLM_ERR_CONFIG);
    CU_ASSERT_PTR_NULL(s);
    ntlm_env_error(a, error, sizeof(error));
    snprintf(want, sizeof(want), "%s:2: ntlmv1:", fx.a);
    CU_ASSERT_PTR_NOT_NULL(strstr(error, want));
    /* The other file's credentials notice nothing. */
    CU_ASSERT_EQUAL(ntlmv1_of(b), 1);
    ntlm_env_error(b, error, sizeof(error));
    CU_ASSERT_STRING_EQUAL(error, "");
    /* Still broken at later checks, without a change. */
    fake_now += NTLM_ENV_CHECK_INTERVAL;
    CU_ASSERT_EQUAL(ntlmv1_of(a), -1);

    rewrite(fx.a, "ntlmv1 = no\n", 1);
    fake_now += NTLM_ENV_CHECK_INTERVAL;
    CU_ASSERT_EQUAL(ntlmv1_of(a), 0);
    ntlm_env_error(a, error, sizeof(error));
    CU_ASSERT_STRING_EQUAL(error, "");
    ntlm_env_release(a);
    ntlm_env_release(b);
    fixture_end(&fx);
}

static void
test_a_named_file_that_disappears_fails_closed(void)
{
    struct fixture fx;
    struct ntlm_env *env = NULL;
    char error[256];

    fixture_begin(&fx);
    rewrite(fx.a, "ntlmv1 = no\n", 1);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_new(fx.a, &env), 0);
    CU_ASSERT_EQUAL(ntlmv1_of(env), 0);
    CU_ASSERT_EQUAL_FATAL(unlink(fx.a), 0);
    fake_now += NTLM_ENV_CHECK_INTERVAL;
    CU_ASSERT_EQUAL(ntlmv1_of(env), -1);
    ntlm_env_error(env, error, sizeof(error));
    CU_ASSERT_PTR_NOT_NULL(strstr(error, "cannot read"));
    ntlm_env_release(env);
    fixture_end(&fx);
}

/* A process that drops privileges after reading its file (a worker taking the client's uid)
 * can no longer stat it: that is no news of the file, and the settings read stay. */
static void
test_a_file_hidden_by_dropped_privileges_keeps_its_settings(void)
{
    struct fixture fx;
    struct ntlm_env *env = NULL;
    int status = -1;
    pid_t pid;

    if (geteuid() != 0) {
        printf("SKIP: dropping privileges needs root\n");
        return;
    }
    fixture_begin(&fx);
    rewrite(fx.a, "ntlmv1 = yes\n", 1);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_new(fx.a, &env), 0);
    CU_ASSERT_EQUAL(ntlmv1_of(env), 1);
    pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        struct stat st;

        /* mkdtemp's directory is 0700 and root's: nobody cannot look into it. */
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(10);
        if (stat(fx.a, &st) == 0)
            _exit(11);
        fake_now += NTLM_ENV_CHECK_INTERVAL;
        _exit(ntlmv1_of(env) == 1 ? 0 : 12);
    }
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ntlm_env_release(env);
    fixture_end(&fx);
}

static void
test_the_user_file_follows_the_configuration_with_its_permission_policy(void)
{
    struct fixture fx;
    struct ntlm_env *env = NULL;
    struct ntlm_settings *s = NULL;
    struct ntlm_user_entry entry = {0};
    char text[256];

    fixture_begin(&fx);
    CU_ASSERT_EQUAL_FATAL(chmod(fx.users, 0644), 0);
    snprintf(text, sizeof(text), "user_file = %s\n", fx.users);
    rewrite(fx.a, text, 1);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_new(fx.a, &env), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings(env, &s), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->userdb);
    CU_ASSERT_EQUAL(ntlm_userdb_lookup(s->userdb, "alice", "CORP", &entry),
                    NTLM_ERR_USERDB_PERMISSIONS);
    ntlm_settings_release(s);

    snprintf(text, sizeof(text), "user_file = %s\nuser_file_permissions = relaxed\n", fx.users);
    rewrite(fx.a, text, 1);
    fake_now += NTLM_ENV_CHECK_INTERVAL;
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings(env, &s), 0);
    CU_ASSERT_EQUAL(ntlm_userdb_lookup(s->userdb, "alice", "CORP", &entry), 0);
    ntlm_user_entry_clear(&entry);
    ntlm_settings_release(s);

    /* winbind = only reads no user file. */
    snprintf(text, sizeof(text), "user_file = %s\nwinbind = only\n", fx.users);
    rewrite(fx.a, text, 1);
    fake_now += NTLM_ENV_CHECK_INTERVAL;
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings(env, &s), 0);
    CU_ASSERT_PTR_NULL(s->userdb);
    ntlm_settings_release(s);
    ntlm_env_release(env);
    fixture_end(&fx);
}

#define RACERS 8

struct lockout_racer {
    pthread_t thread;
    const struct ntlm_config *cfg;
    struct ntlm_lockout *table;
};

static void *
lockout_racer_main(void *arg)
{
    struct lockout_racer *r = arg;

    r->table = ntlm_env_lockout(NULL, r->cfg);
    return NULL;
}

/* The first lookups of a new state_dir race (a found table is read without the lock): every
 * thread gets the one table made, and another directory gets another. */
static void
test_threads_racing_to_a_new_state_dir_get_one_table(void)
{
    struct lockout_racer r[RACERS];
    struct ntlm_config cfg_a, cfg_b;
    char dir_a[96], dir_b[96], path[160];
    struct fixture fx;
    int i, started = 0, same = 0;

    fixture_begin(&fx);
    snprintf(dir_a, sizeof(dir_a), "%s/race-a", fx.dir);
    snprintf(dir_b, sizeof(dir_b), "%s/race-b", fx.dir);
    CU_ASSERT_EQUAL_FATAL(mkdir(dir_a, 0700), 0);
    CU_ASSERT_EQUAL_FATAL(mkdir(dir_b, 0700), 0);
    memset(&cfg_a, 0, sizeof(cfg_a));
    memset(&cfg_b, 0, sizeof(cfg_b));
    cfg_a.state_dir = dir_a;
    cfg_b.state_dir = dir_b;
    for (i = 0; i < RACERS; i++) {
        r[i].cfg = &cfg_a;
        r[i].table = NULL;
        started += pthread_create(&r[i].thread, NULL, lockout_racer_main, &r[i]) == 0;
    }
    CU_ASSERT_EQUAL_FATAL(started, RACERS);
    for (i = 0; i < RACERS; i++)
        pthread_join(r[i].thread, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r[0].table);
    for (i = 0; i < RACERS; i++)
        same += r[i].table == r[0].table;
    CU_ASSERT_EQUAL(same, RACERS);
    CU_ASSERT_PTR_EQUAL(ntlm_env_lockout(NULL, &cfg_a), r[0].table);
    CU_ASSERT_PTR_NOT_NULL(ntlm_env_lockout(NULL, &cfg_b));
    CU_ASSERT_PTR_NOT_EQUAL(ntlm_env_lockout(NULL, &cfg_b), r[0].table);
    snprintf(path, sizeof(path), "%s/lockout-%lu.db", dir_a, (unsigned long)geteuid());
    unlink(path);
    snprintf(path, sizeof(path), "%s/lockout-%lu.db", dir_b, (unsigned long)geteuid());
    unlink(path);
    rmdir(dir_a);
    rmdir(dir_b);
    fixture_end(&fx);
}

static void
test_envs_on_one_state_dir_share_its_lockout_table(void)
{
    struct fixture fx;
    struct ntlm_env *a = NULL, *b = NULL;
    struct ntlm_settings *sa = NULL, *sb = NULL;
    char text[160];

    fixture_begin(&fx);
    snprintf(text, sizeof(text), "state_dir = %s\n", fx.dir);
    rewrite(fx.a, text, 1);
    rewrite(fx.b, text, 1);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_new(fx.a, &a), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_new(fx.b, &b), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings(a, &sa), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings(b, &sb), 0);
    CU_ASSERT_PTR_NOT_NULL(ntlm_env_lockout(a, &sa->cfg));
    CU_ASSERT_PTR_EQUAL(ntlm_env_lockout(a, &sa->cfg), ntlm_env_lockout(b, &sb->cfg));
    ntlm_settings_release(sa);
    ntlm_settings_release(sb);
    ntlm_env_release(a);
    ntlm_env_release(b);
    snprintf(text, sizeof(text), "%s/lockout-%lu.db", fx.dir, (unsigned long)geteuid());
    unlink(text);
    fixture_end(&fx);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"an env is shared per file", test_an_env_is_shared_per_file},
        {"held settings are cached per thread and follow an edit",
         test_held_settings_are_cached_per_thread_and_follow_an_edit},
        {"a nested hold leaves the outer settings alone",
         test_a_nested_hold_leaves_the_outer_settings_alone},
        {"settings of an unregistered env are never cached",
         test_settings_of_an_unregistered_env_are_never_cached},
        {"an edit takes effect at the next check and not before",
         test_an_edit_takes_effect_at_the_next_check_and_not_before},
        {"a broken file fails closed naming its line until fixed",
         test_a_broken_file_fails_closed_naming_its_line_until_fixed},
        {"a file hidden by dropped privileges keeps its settings",
         test_a_file_hidden_by_dropped_privileges_keeps_its_settings},
        {"a named file that disappears fails closed",
         test_a_named_file_that_disappears_fails_closed},
        {"the user file follows the configuration with its permission policy",
         test_the_user_file_follows_the_configuration_with_its_permission_policy},
        {"envs on one state dir share its lockout table",
         test_envs_on_one_state_dir_share_its_lockout_table},
        {"threads racing to a new state_dir get one table",
         test_threads_racing_to_a_new_state_dir_get_one_table},
        CU_TEST_INFO_NULL,
    };

    return test_run_suite("ntlm_env", tests);
}
