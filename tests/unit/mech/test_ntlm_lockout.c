/* Tests of mech/core/ntlm_lockout.c: the lockout table's rules, its file shared by processes, and
 * what it does with a file it cannot trust. Times are passed in, so nothing here sleeps. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ntlm_errors.h"
#include "ntlm_lockout.h"
#include "test_util.h"

/* 2024-01-01T00:00:00Z */
#define T0 ((time_t)1704067200)
#define TABLE_OFFSET 4096
#define FILE_SIZE (TABLE_OFFSET + NTLM_LOCKOUT_BUCKETS * NTLM_LOCKOUT_WAYS * 8)

static const struct ntlm_lockout_policy policy = {3, 60, 120};
static char dir[256];
static char table_path[1024];

static void
make_dir(void)
{
    snprintf(dir, sizeof(dir), "%s/sspigss-lockout-XXXXXX", P_tmpdir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(table_path, sizeof(table_path), "%s/lockout-%lu.db", dir, (unsigned long)geteuid());
}

static void
remove_dir(void)
{
    char path[1024];
    struct dirent *e;
    DIR *d = opendir(dir);

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    if (d != NULL)
        closedir(d);
    rmdir(dir);
}

static struct ntlm_lockout *
private_table(uint32_t buckets)
{
    struct ntlm_lockout *t = NULL;

    CU_ASSERT_EQUAL_FATAL(ntlm_lockout_new_private(buckets, &t), 0);
    return t;
}

static struct ntlm_lockout_key
key_of(struct ntlm_lockout *t, const char *domain, const char *user)
{
    struct ntlm_lockout_key key;

    CU_ASSERT_EQUAL_FATAL(ntlm_lockout_key(t, domain, user, &key), 0);
    return key;
}

/* n failures at now, none of which may find the account locked. */
static void
fail_times(struct ntlm_lockout *t, const struct ntlm_lockout_key *key, unsigned n, time_t now)
{
    bool locked_now;

    while (n--)
        CU_ASSERT_EQUAL(ntlm_lockout_failure(t, &policy, key, now, &locked_now), 0);
}

static void
test_failures_below_the_threshold_leave_the_account_open(void)
{
    struct ntlm_lockout *t = private_table(NTLM_LOCKOUT_BUCKETS);
    struct ntlm_lockout_key alice = key_of(t, "CORP", "alice");

    fail_times(t, &alice, 2, T0);
    CU_ASSERT_EQUAL(ntlm_lockout_check(t, &policy, &alice, T0), 0);
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &alice, T0), 0);
    ntlm_lockout_close(t);
}

static void
test_the_threshold_th_failure_locks_out_even_the_right_password(void)
{
    struct ntlm_lockout *t = private_table(NTLM_LOCKOUT_BUCKETS);
    struct ntlm_lockout_key alice = key_of(t, "CORP", "alice");
    bool locked_now = true;

    CU_ASSERT_EQUAL(ntlm_lockout_failure(t, &policy, &alice, T0, &locked_now), 0);
    CU_ASSERT_FALSE(locked_now);
    CU_ASSERT_EQUAL(ntlm_lockout_failure(t, &policy, &alice, T0 + 1, &locked_now), 0);
    CU_ASSERT_FALSE(locked_now);
    CU_ASSERT_EQUAL(ntlm_lockout_failure(t, &policy, &alice, T0 + 2, &locked_now), 0);
    CU_ASSERT_TRUE(locked_now);
    CU_ASSERT_EQUAL(ntlm_lockout_check(t, &policy, &alice, T0 + 2), NTLM_ERR_LOCKED_OUT);
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &alice, T0 + 3), NTLM_ERR_LOCKED_OUT);
    CU_ASSERT_EQUAL(ntlm_lockout_failure(t, &policy, &alice, T0 + 4, &locked_now),
                    NTLM_ERR_LOCKED_OUT);
    CU_ASSERT_FALSE(locked_now);
    ntlm_lockout_close(t);
}

static void
test_a_lockout_ends_after_its_duration_and_is_not_extended_by_more_guesses(void)
{
    struct ntlm_lockout *t = private_table(NTLM_LOCKOUT_BUCKETS);
    struct ntlm_lockout_key alice = key_of(t, "CORP", "alice");
    bool locked_now;

    fail_times(t, &alice, 3, T0);
    /* Guesses while locked neither count nor push the end back. */
    CU_ASSERT_EQUAL(ntlm_lockout_failure(t, &policy, &alice, T0 + 100, &locked_now),
                    NTLM_ERR_LOCKED_OUT);
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &alice, T0 + 119), NTLM_ERR_LOCKED_OUT);
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &alice, T0 + 120), 0);
    /* And the count starts again from nothing. */
    fail_times(t, &alice, 2, T0 + 121);
    CU_ASSERT_EQUAL(ntlm_lockout_check(t, &policy, &alice, T0 + 121), 0);
    ntlm_lockout_close(t);
}

static void
test_failures_older_than_the_window_are_forgotten(void)
{
    struct ntlm_lockout *t = private_table(NTLM_LOCKOUT_BUCKETS);
    struct ntlm_lockout_key alice = key_of(t, "CORP", "alice");
    bool locked_now = true;

    fail_times(t, &alice, 2, T0);
    /* The window runs from the last failure: a minute after it, the count restarts. */
    CU_ASSERT_EQUAL(ntlm_lockout_failure(t, &policy, &alice, T0 + 60, &locked_now), 0);
    CU_ASSERT_FALSE(locked_now);
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &alice, T0 + 61), 0);
    /* Inside the window they add up. */
    fail_times(t, &alice, 2, T0 + 100);
    CU_ASSERT_EQUAL(ntlm_lockout_failure(t, &policy, &alice, T0 + 159, &locked_now), 0);
    CU_ASSERT_TRUE(locked_now);
    ntlm_lockout_close(t);
}

static void
test_a_success_resets_the_count(void)
{
    struct ntlm_lockout *t = private_table(NTLM_LOCKOUT_BUCKETS);
    struct ntlm_lockout_key alice = key_of(t, "CORP", "alice");

    fail_times(t, &alice, 2, T0);
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &alice, T0 + 1), 0);
    fail_times(t, &alice, 2, T0 + 2);
    CU_ASSERT_EQUAL(ntlm_lockout_check(t, &policy, &alice, T0 + 2), 0);
    ntlm_lockout_close(t);
}

static void
test_accounts_are_counted_apart_by_domain_and_user(void)
{
    struct ntlm_lockout *t = private_table(NTLM_LOCKOUT_BUCKETS);
    struct ntlm_lockout_key alice = key_of(t, "CORP", "alice");
    struct ntlm_lockout_key bob = key_of(t, "CORP", "bob");
    struct ntlm_lockout_key other_alice = key_of(t, "PARTNER", "alice");
    struct ntlm_lockout_key ab_c = key_of(t, "AB", "C"), a_bc = key_of(t, "A", "BC");
    struct ntlm_lockout_key again = key_of(t, "CORP", "alice");

    CU_ASSERT(again.bucket == alice.bucket && again.tag == alice.tag);
    CU_ASSERT(ab_c.bucket != a_bc.bucket || ab_c.tag != a_bc.tag);
    fail_times(t, &alice, 3, T0);
    CU_ASSERT_EQUAL(ntlm_lockout_check(t, &policy, &alice, T0), NTLM_ERR_LOCKED_OUT);
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &bob, T0), 0);
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &other_alice, T0), 0);
    ntlm_lockout_close(t);
}

static void
test_threshold_zero_counts_nothing(void)
{
    static const struct ntlm_lockout_policy off = {0, 60, 120};
    struct ntlm_lockout *t = private_table(NTLM_LOCKOUT_BUCKETS);
    struct ntlm_lockout_key alice = key_of(t, "CORP", "alice");
    bool locked_now;
    unsigned i;

    for (i = 0; i < 100; i++)
        CU_ASSERT_EQUAL(ntlm_lockout_failure(t, &off, &alice, T0, &locked_now), 0);
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &off, &alice, T0), 0);
    CU_ASSERT_EQUAL(ntlm_lockout_check(t, &policy, &alice, T0), 0);
    ntlm_lockout_close(t);
}

/* One bucket of eight: every account shares it, as a flood of names would make them. */
static void
test_flooding_other_accounts_does_not_evict_one_close_to_the_threshold(void)
{
    struct ntlm_lockout *t = private_table(1);
    struct ntlm_lockout_key victim = key_of(t, "CORP", "alice"), other;
    bool locked_now = false;
    char name[32];
    unsigned i;

    fail_times(t, &victim, 2, T0);
    for (i = 0; i < 200; i++) {
        snprintf(name, sizeof(name), "user%u", i);
        other = key_of(t, "CORP", name);
        fail_times(t, &other, 1, T0 + 1);
    }
    CU_ASSERT_EQUAL(ntlm_lockout_failure(t, &policy, &victim, T0 + 2, &locked_now), 0);
    CU_ASSERT_TRUE(locked_now);
    ntlm_lockout_close(t);
}

static void
test_a_bucket_full_of_locked_accounts_refuses_the_others_until_they_expire(void)
{
    struct ntlm_lockout *t = private_table(1);
    struct ntlm_lockout_key key, newcomer = key_of(t, "CORP", "newcomer");
    bool locked_now;
    char name[32];
    unsigned i;

    for (i = 0; i < NTLM_LOCKOUT_WAYS; i++) {
        snprintf(name, sizeof(name), "user%u", i);
        key = key_of(t, "CORP", name);
        fail_times(t, &key, 3, T0);
    }
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &newcomer, T0 + 1), NTLM_ERR_LOCKED_OUT);
    CU_ASSERT_EQUAL(ntlm_lockout_failure(t, &policy, &newcomer, T0 + 1, &locked_now),
                    NTLM_ERR_LOCKED_OUT);
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &newcomer, T0 + 120), 0);
    ntlm_lockout_close(t);
}

static struct ntlm_lockout *
open_table(void)
{
    struct ntlm_lockout *t = NULL;

    CU_ASSERT_EQUAL_FATAL(ntlm_lockout_open(dir, NTLM_LOCKOUT_BUCKETS, &t), 0);
    CU_ASSERT_TRUE(ntlm_lockout_is_shared(t));
    return t;
}

static void
test_the_table_file_is_created_private_to_its_user(void)
{
    struct ntlm_lockout *t;
    struct stat st;

    make_dir();
    t = open_table();
    CU_ASSERT_EQUAL_FATAL(stat(table_path, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
    CU_ASSERT_EQUAL((size_t)st.st_size, (size_t)FILE_SIZE);
    ntlm_lockout_close(t);
    remove_dir();
}

/* Each child counts n failures of alice in its own table on the shared file. */
static void
children_fail(unsigned children, unsigned n, time_t now, const struct ntlm_lockout_policy *p)
{
    unsigned c;
    int status;

    for (c = 0; c < children; c++) {
        pid_t pid = fork();

        CU_ASSERT_FATAL(pid >= 0);
        if (pid == 0) {
            struct ntlm_lockout *t = NULL;
            struct ntlm_lockout_key alice;
            bool locked_now;
            unsigned i;
            int bad = 0;

            if (ntlm_lockout_open(dir, NTLM_LOCKOUT_BUCKETS, &t) != 0 ||
                ntlm_lockout_key(t, "CORP", "alice", &alice) != 0)
                _exit(2);
            for (i = 0; i < n; i++)
                bad |= ntlm_lockout_failure(t, p, &alice, now, &locked_now) != 0;
            ntlm_lockout_close(t);
            _exit(bad);
        }
    }
    for (c = 0; c < children; c++) {
        CU_ASSERT_FATAL(wait(&status) > 0);
        CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
}

static void
test_processes_share_one_count(void)
{
    struct ntlm_lockout *t;
    struct ntlm_lockout_key alice;

    make_dir();
    t = open_table();
    alice = key_of(t, "CORP", "alice");
    children_fail(1, 2, T0, &policy);
    CU_ASSERT_EQUAL(ntlm_lockout_check(t, &policy, &alice, T0), 0);
    children_fail(1, 1, T0, &policy);
    CU_ASSERT_EQUAL(ntlm_lockout_check(t, &policy, &alice, T0), NTLM_ERR_LOCKED_OUT);
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &alice, T0 + 1), NTLM_ERR_LOCKED_OUT);
    ntlm_lockout_close(t);
    remove_dir();
}

/* Concurrent writers of one account lose no failure: 4 x 200 reach a threshold of 800. */
static void
test_concurrent_processes_lose_no_failure(void)
{
    static const struct ntlm_lockout_policy p800 = {800, 60, 120};
    struct ntlm_lockout *t;
    struct ntlm_lockout_key alice;
    bool locked_now = false;

    make_dir();
    t = open_table();
    alice = key_of(t, "CORP", "alice");
    children_fail(4, 199, T0, &p800);
    CU_ASSERT_EQUAL(ntlm_lockout_check(t, &p800, &alice, T0), 0);
    children_fail(4, 1, T0, &p800);
    CU_ASSERT_EQUAL(ntlm_lockout_check(t, &p800, &alice, T0), NTLM_ERR_LOCKED_OUT);
    CU_ASSERT_EQUAL(ntlm_lockout_failure(t, &p800, &alice, T0, &locked_now), NTLM_ERR_LOCKED_OUT);
    ntlm_lockout_close(t);
    remove_dir();
}

static void
write_table_file(const void *bytes, size_t len, mode_t mode)
{
    int fd = open(table_path, O_WRONLY | O_CREAT | O_TRUNC, mode);

    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL_FATAL(write(fd, bytes, len), (ssize_t)len);
    CU_ASSERT_EQUAL(fchmod(fd, mode), 0);
    close(fd);
}

/* Truncated, garbage, another version: replaced by an empty table of the right size. */
static void
test_an_unusable_table_file_is_replaced_by_an_empty_one(void)
{
    static const char *const cases[] = {"SGLOCKT1", "garbage", ""};
    struct ntlm_lockout *t;
    struct ntlm_lockout_key alice;
    uint8_t *junk = malloc(FILE_SIZE);
    struct stat st;
    size_t i;

    CU_ASSERT_PTR_NOT_NULL_FATAL(junk);
    make_dir();
    for (i = 0; i < 4; i++) {
        memset(junk, 0xff, FILE_SIZE);
        if (i < 3)
            memcpy(junk, cases[i], strlen(cases[i]));
        /* 0: a truncated file with our magic; 1: the right size, no magic; 2: one byte;
         * 3: the right size of 0xff (a version this one does not know). */
        write_table_file(junk, i == 0 ? 100 : i == 2 ? 1 : FILE_SIZE, 0600);
        t = open_table();
        alice = key_of(t, "CORP", "alice");
        CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &alice, T0), 0);
        fail_times(t, &alice, 2, T0);
        CU_ASSERT_EQUAL(ntlm_lockout_check(t, &policy, &alice, T0), 0);
        ntlm_lockout_close(t);
        CU_ASSERT_EQUAL(stat(table_path, &st), 0);
        CU_ASSERT_EQUAL((size_t)st.st_size, (size_t)FILE_SIZE);
        CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
    }
    free(junk);
    remove_dir();
}

/* Not ours to fix: others can read it, it is a link, or it is not a regular file. */
static void
test_a_table_file_others_could_touch_is_refused(void)
{
    struct ntlm_lockout *t = NULL;
    char other[600];

    make_dir();
    write_table_file("x", 1, 0644);
    CU_ASSERT_EQUAL(ntlm_lockout_open(dir, NTLM_LOCKOUT_BUCKETS, &t), NTLM_ERR_LOCKOUT_STATE);
    unlink(table_path);
    snprintf(other, sizeof(other), "%s/elsewhere", dir);
    write_table_file("x", 1, 0600);
    CU_ASSERT_EQUAL(rename(table_path, other), 0);
    CU_ASSERT_EQUAL(symlink(other, table_path), 0);
    CU_ASSERT_EQUAL(ntlm_lockout_open(dir, NTLM_LOCKOUT_BUCKETS, &t), NTLM_ERR_LOCKOUT_STATE);
    unlink(table_path);
    CU_ASSERT_EQUAL(link(other, table_path), 0);
    CU_ASSERT_EQUAL(ntlm_lockout_open(dir, NTLM_LOCKOUT_BUCKETS, &t), NTLM_ERR_LOCKOUT_STATE);
    unlink(table_path);
    unlink(other);
    CU_ASSERT_EQUAL(mkdir(table_path, 0700), 0);
    CU_ASSERT_EQUAL(ntlm_lockout_open(dir, NTLM_LOCKOUT_BUCKETS, &t), NTLM_ERR_LOCKOUT_STATE);
    rmdir(table_path);
    CU_ASSERT_EQUAL(ntlm_lockout_open("relative", NTLM_LOCKOUT_BUCKETS, &t), NTLM_ERR_INVALID_ARG);
    CU_ASSERT_PTR_NULL(t);
    remove_dir();
}

/* Every slot forged by someone who can write the file: a locked-looking slot locks for at
 * most the duration from now, and one dated in the future counts for nothing. */
static void
test_forged_slots_lock_no_longer_than_the_duration(void)
{
    struct ntlm_lockout *t;
    struct ntlm_lockout_key alice;
    uint64_t *slots = malloc(FILE_SIZE - TABLE_OFFSET);
    size_t i, n = (FILE_SIZE - TABLE_OFFSET) / 8;
    int fd;

    CU_ASSERT_PTR_NOT_NULL_FATAL(slots);
    make_dir();
    t = open_table();
    alice = key_of(t, "CORP", "alice");
    fd = open(table_path, O_WRONLY);
    CU_ASSERT_FATAL(fd >= 0);
    /* Count 1023, distinct tags, last failure one second ago. */
    for (i = 0; i < n; i++)
        slots[i] = (uint64_t)(i & 0x3fffff) << 42 | (uint64_t)1023 << 32 | (uint32_t)(T0 - 1);
    CU_ASSERT_EQUAL(pwrite(fd, slots, n * 8, TABLE_OFFSET), (ssize_t)(n * 8));
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &alice, T0), NTLM_ERR_LOCKED_OUT);
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &alice, T0 - 1 + 120), 0);
    /* Dated a day ahead: free slots. */
    for (i = 0; i < n; i++)
        slots[i] = (uint64_t)(i & 0x3fffff) << 42 | (uint64_t)1023 << 32 | (uint32_t)(T0 + 86400);
    CU_ASSERT_EQUAL(pwrite(fd, slots, n * 8, TABLE_OFFSET), (ssize_t)(n * 8));
    CU_ASSERT_EQUAL(ntlm_lockout_success(t, &policy, &alice, T0), 0);
    fail_times(t, &alice, 2, T0);
    CU_ASSERT_EQUAL(ntlm_lockout_check(t, &policy, &alice, T0), 0);
    close(fd);
    free(slots);
    ntlm_lockout_close(t);
    remove_dir();
}

static void
test_a_missing_state_directory_is_created_but_not_its_parents(void)
{
    struct ntlm_lockout *t = NULL;
    char sub[600];
    struct stat st;

    make_dir();
    snprintf(sub, sizeof(sub), "%s/state", dir);
    CU_ASSERT_EQUAL(ntlm_lockout_open(sub, NTLM_LOCKOUT_BUCKETS, &t), 0);
    CU_ASSERT_EQUAL(stat(sub, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0700);
    ntlm_lockout_close(t);
    snprintf(table_path, sizeof(table_path), "%s/lockout-%lu.db", sub, (unsigned long)geteuid());
    unlink(table_path);
    rmdir(sub);
    snprintf(sub, sizeof(sub), "%s/no/state", dir);
    t = NULL;
    CU_ASSERT_EQUAL(ntlm_lockout_open(sub, NTLM_LOCKOUT_BUCKETS, &t), NTLM_ERR_LOCKOUT_STATE);
    CU_ASSERT_PTR_NULL(t);
    remove_dir();
}

int
main(void)
{
    static CU_TestInfo tests[] = {
        {"failures below the threshold leave the account open",
         test_failures_below_the_threshold_leave_the_account_open},
        {"the threshold-th failure locks out even the right password",
         test_the_threshold_th_failure_locks_out_even_the_right_password},
        {"a lockout ends after its duration and is not extended by more guesses",
         test_a_lockout_ends_after_its_duration_and_is_not_extended_by_more_guesses},
        {"failures older than the window are forgotten",
         test_failures_older_than_the_window_are_forgotten},
        {"a success resets the count", test_a_success_resets_the_count},
        {"accounts are counted apart by domain and user",
         test_accounts_are_counted_apart_by_domain_and_user},
        {"threshold zero counts nothing", test_threshold_zero_counts_nothing},
        {"flooding other accounts does not evict one close to the threshold",
         test_flooding_other_accounts_does_not_evict_one_close_to_the_threshold},
        {"a bucket full of locked accounts refuses the others until they expire",
         test_a_bucket_full_of_locked_accounts_refuses_the_others_until_they_expire},
        {"the table file is created private to its user",
         test_the_table_file_is_created_private_to_its_user},
        {"processes share one count", test_processes_share_one_count},
        {"concurrent processes lose no failure", test_concurrent_processes_lose_no_failure},
        {"an unusable table file is replaced by an empty one",
         test_an_unusable_table_file_is_replaced_by_an_empty_one},
        {"a table file others could touch is refused",
         test_a_table_file_others_could_touch_is_refused},
        {"forged slots lock no longer than the duration",
         test_forged_slots_lock_no_longer_than_the_duration},
        {"a missing state directory is created but not its parents",
         test_a_missing_state_directory_is_created_but_not_its_parents},
        CU_TEST_INFO_NULL,
    };

    umask(077);
    return test_run_suite("ntlm_lockout", tests);
}
