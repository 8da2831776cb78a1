/*
 * mech/core/ntlm_keyring.c: keys added and taken, expiry, the oldest going first when full,
 * unique and repeated keys, keys that share their first bytes, large rings in parts, and
 * threads at once.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "ntlm_errors.h"
#include "ntlm_keyring.h"
#include "test_util.h"

#define NOW 1700000000

/* A 16-byte key made of n: distinct keys for distinct n. */
static void
key_of(unsigned n, uint8_t key[16])
{
    memset(key, 0, 16);
    memcpy(key, &n, sizeof(n));
    key[15] = 0x5a;
}

static void
test_new_refuses_what_it_cannot_hold(void)
{
    struct ntlm_keyring *ring = NULL;

    CU_ASSERT_EQUAL(ntlm_keyring_new(0, 8, &ring), NTLM_ERR_INVALID_ARG);
    CU_ASSERT_EQUAL(ntlm_keyring_new(4, 7, &ring), NTLM_ERR_INVALID_ARG);
    CU_ASSERT_EQUAL(ntlm_keyring_new(4, 17, &ring), NTLM_ERR_INVALID_ARG);
    CU_ASSERT_EQUAL(ntlm_keyring_new(4, 8, NULL), NTLM_ERR_INVALID_ARG);
    CU_ASSERT_PTR_NULL(ring);
}

static void
test_a_unique_key_is_held_until_it_expires(void)
{
    struct ntlm_keyring *ring = NULL;
    uint8_t key[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_keyring_new(8, 16, &ring), 0);
    key_of(1, key);
    CU_ASSERT_FALSE(ntlm_keyring_add(ring, key, NOW, NOW + 10, true));
    CU_ASSERT_TRUE(ntlm_keyring_add(ring, key, NOW + 10, NOW + 20, true));
    CU_ASSERT_EQUAL(ntlm_keyring_count(ring), 1);
    /* Expired: replaced, and held again from then on. */
    CU_ASSERT_FALSE(ntlm_keyring_add(ring, key, NOW + 11, NOW + 30, true));
    CU_ASSERT_EQUAL(ntlm_keyring_count(ring), 1);
    CU_ASSERT_TRUE(ntlm_keyring_add(ring, key, NOW + 30, NOW + 40, true));
    ntlm_keyring_free(ring);
}

static void
test_a_taken_key_is_gone_and_says_whether_it_was_fresh(void)
{
    struct ntlm_keyring *ring = NULL;
    uint8_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8] = {8, 7, 6, 5, 4, 3, 2, 1};

    CU_ASSERT_EQUAL_FATAL(ntlm_keyring_new(8, 8, &ring), 0);
    CU_ASSERT_FALSE(ntlm_keyring_take(ring, a, NOW));
    ntlm_keyring_add(ring, a, NOW, NOW + 5, false);
    ntlm_keyring_add(ring, b, NOW, NOW + 5, false);
    CU_ASSERT_TRUE(ntlm_keyring_take(ring, a, NOW + 5));
    CU_ASSERT_FALSE(ntlm_keyring_take(ring, a, NOW + 5));
    /* An expired key is taken all the same, and is not fresh. */
    CU_ASSERT_FALSE(ntlm_keyring_take(ring, b, NOW + 6));
    CU_ASSERT_EQUAL(ntlm_keyring_count(ring), 0);
    ntlm_keyring_free(ring);
}

static void
test_a_repeated_key_counts_once_per_add(void)
{
    struct ntlm_keyring *ring = NULL;
    uint8_t c[8] = {9, 9, 9, 9, 9, 9, 9, 9};

    CU_ASSERT_EQUAL_FATAL(ntlm_keyring_new(8, 8, &ring), 0);
    CU_ASSERT_FALSE(ntlm_keyring_add(ring, c, NOW, NOW + 5, false));
    CU_ASSERT_FALSE(ntlm_keyring_add(ring, c, NOW, NOW + 5, false));
    CU_ASSERT_EQUAL(ntlm_keyring_count(ring), 2);
    CU_ASSERT_TRUE(ntlm_keyring_take(ring, c, NOW));
    CU_ASSERT_TRUE(ntlm_keyring_take(ring, c, NOW));
    CU_ASSERT_FALSE(ntlm_keyring_take(ring, c, NOW));
    ntlm_keyring_free(ring);
}

static void
test_when_full_the_oldest_goes_first(void)
{
    struct ntlm_keyring *ring = NULL;
    uint8_t key[16];
    unsigned n;

    CU_ASSERT_EQUAL_FATAL(ntlm_keyring_new(4, 16, &ring), 0);
    for (n = 0; n < 6; n++) {
        key_of(n, key);
        CU_ASSERT_FALSE(ntlm_keyring_add(ring, key, NOW, NOW + 100, true));
    }
    CU_ASSERT_EQUAL(ntlm_keyring_count(ring), 4);
    for (n = 0; n < 6; n++) {
        key_of(n, key);
        /* 0 and 1 were pushed out by 4 and 5. */
        CU_ASSERT_EQUAL(ntlm_keyring_take(ring, key, NOW), n >= 2);
    }
    ntlm_keyring_free(ring);
}

/* Keys equal in their first 8 bytes share a chain whatever the seed: found apart all the same,
 * and taking one from the middle of a chain keeps the others. */
static void
test_keys_that_share_a_chain_are_found_apart(void)
{
    struct ntlm_keyring *ring = NULL;
    uint8_t key[16];
    unsigned n;

    CU_ASSERT_EQUAL_FATAL(ntlm_keyring_new(64, 16, &ring), 0);
    for (n = 0; n < 32; n++) {
        memset(key, 0x11, 16);
        key[15] = (uint8_t)n;
        CU_ASSERT_FALSE(ntlm_keyring_add(ring, key, NOW, NOW + 100, true));
    }
    memset(key, 0x11, 16);
    key[15] = 16;
    CU_ASSERT_TRUE(ntlm_keyring_take(ring, key, NOW));
    for (n = 0; n < 32; n++) {
        memset(key, 0x11, 16);
        key[15] = (uint8_t)n;
        CU_ASSERT_EQUAL(ntlm_keyring_add(ring, key, NOW, NOW + 100, true), n != 16);
    }
    ntlm_keyring_free(ring);
}

static void
test_a_ring_of_fewer_keys_than_the_parted_minimum_is_one_part(void)
{
    struct ntlm_keyring *ring = NULL;
    uint8_t key[16];
    unsigned n;

    CU_ASSERT_EQUAL_FATAL(ntlm_keyring_new(NTLM_KEYRING_PARTED_MIN - 1, 16, &ring), 0);
    CU_ASSERT_EQUAL(ntlm_keyring_parts(ring), 1);
    for (n = 0; n < 64; n++) {
        key_of(n, key);
        CU_ASSERT_EQUAL(ntlm_keyring_part_of(ring, key), 0);
    }
    ntlm_keyring_free(ring);
}

/* The first key from n up that falls in part want, and the n after it (fatal when a million
 * keys in a row miss it). */
static unsigned
key_in_part(struct ntlm_keyring *ring, size_t want, unsigned n, uint8_t key[16])
{
    unsigned end = n + 1000000;

    for (; n < end; n++) {
        key_of(n, key);
        if (ntlm_keyring_part_of(ring, key) == want)
            return n + 1;
    }
    CU_FAIL_FATAL("no key falls in the part");
    return n;
}

/* A large ring is in parts, each with room for twice its share: a part full of its own keys
 * pushes out its own oldest, and no other part's. */
static void
test_a_large_ring_is_in_parts_that_push_out_only_their_own_oldest(void)
{
    const size_t room = 2 * NTLM_KEYRING_PARTED_MIN / NTLM_KEYRING_PARTS;
    struct ntlm_keyring *ring = NULL;
    uint8_t other[16], first[16], key[16];
    unsigned n = 0, i;

    CU_ASSERT_EQUAL_FATAL(ntlm_keyring_new(NTLM_KEYRING_PARTED_MIN, 16, &ring), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_keyring_parts(ring), NTLM_KEYRING_PARTS);
    n = key_in_part(ring, 1, n, other);
    CU_ASSERT_FALSE(ntlm_keyring_add(ring, other, NOW, NOW + 100, true));
    n = key_in_part(ring, 0, n, first);
    CU_ASSERT_FALSE(ntlm_keyring_add(ring, first, NOW, NOW + 100, true));
    /* room more keys of part 0: the last pushes first out. */
    for (i = 0; i < room; i++) {
        n = key_in_part(ring, 0, n, key);
        CU_ASSERT_FALSE(ntlm_keyring_add(ring, key, NOW, NOW + 100, true));
    }
    CU_ASSERT_EQUAL(ntlm_keyring_count(ring), room + 1);
    CU_ASSERT_FALSE(ntlm_keyring_take(ring, first, NOW));
    CU_ASSERT_TRUE(ntlm_keyring_take(ring, key, NOW));
    CU_ASSERT_TRUE(ntlm_keyring_take(ring, other, NOW));
    ntlm_keyring_free(ring);
}

/* The keyed hash spreads keys that differ in a few bits over every part, none near twice its
 * share: what the odds in ntlm_keyring.h assume. */
static void
test_a_large_ring_spreads_keys_over_every_part(void)
{
    size_t in_part[NTLM_KEYRING_PARTS] = {0}, i;
    struct ntlm_keyring *ring = NULL;
    uint8_t key[16];
    unsigned n;

    CU_ASSERT_EQUAL_FATAL(ntlm_keyring_new(NTLM_KEYRING_PARTED_MIN, 16, &ring), 0);
    for (n = 0; n < NTLM_KEYRING_PARTED_MIN; n++) {
        key_of(n, key);
        i = ntlm_keyring_part_of(ring, key);
        CU_ASSERT_FATAL(i < NTLM_KEYRING_PARTS);
        in_part[i]++;
    }
    for (i = 0; i < NTLM_KEYRING_PARTS; i++) {
        CU_ASSERT(in_part[i] > 0);
        CU_ASSERT(in_part[i] < 2 * NTLM_KEYRING_PARTED_MIN / NTLM_KEYRING_PARTS);
    }
    ntlm_keyring_free(ring);
}

#define THREADS 4
#define KEYS_PER_THREAD 2000

struct adder {
    pthread_t thread;
    struct ntlm_keyring *ring;
    unsigned id, seen;
};

static void *
adder_main(void *arg)
{
    struct adder *a = arg;
    uint8_t key[16];

    for (unsigned i = 0; i < KEYS_PER_THREAD; i++) {
        key_of(a->id * KEYS_PER_THREAD + i, key);
        a->seen += ntlm_keyring_add(a->ring, key, NOW, NOW + 100, true);
        a->seen += !ntlm_keyring_add(a->ring, key, NOW, NOW + 100, true);
    }
    return NULL;
}

/* Each thread adds its own keys twice: the first add is never a replay, the second always,
 * whatever the others do to the shared chains. */
static void
test_threads_adding_at_once_see_only_their_own_repeats(void)
{
    struct adder adders[THREADS];
    struct ntlm_keyring *ring = NULL;
    unsigned t;

    CU_ASSERT_EQUAL_FATAL(ntlm_keyring_new(THREADS * KEYS_PER_THREAD, 16, &ring), 0);
    for (t = 0; t < THREADS; t++) {
        adders[t] = (struct adder){.ring = ring, .id = t};
        CU_ASSERT_EQUAL_FATAL(pthread_create(&adders[t].thread, NULL, adder_main, &adders[t]), 0);
    }
    for (t = 0; t < THREADS; t++) {
        pthread_join(adders[t].thread, NULL);
        CU_ASSERT_EQUAL(adders[t].seen, 0);
    }
    CU_ASSERT_EQUAL(ntlm_keyring_count(ring), THREADS * KEYS_PER_THREAD);
    ntlm_keyring_free(ring);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"new refuses what it cannot hold", test_new_refuses_what_it_cannot_hold},
        {"a unique key is held until it expires", test_a_unique_key_is_held_until_it_expires},
        {"a taken key is gone and says whether it was fresh",
         test_a_taken_key_is_gone_and_says_whether_it_was_fresh},
        {"a repeated key counts once per add", test_a_repeated_key_counts_once_per_add},
        {"when full the oldest goes first", test_when_full_the_oldest_goes_first},
        {"keys that share a chain are found apart", test_keys_that_share_a_chain_are_found_apart},
        {"a ring of fewer keys than the parted minimum is one part",
         test_a_ring_of_fewer_keys_than_the_parted_minimum_is_one_part},
        {"a large ring is in parts that push out only their own oldest",
         test_a_large_ring_is_in_parts_that_push_out_only_their_own_oldest},
        {"a large ring spreads keys over every part",
         test_a_large_ring_spreads_keys_over_every_part},
        {"threads adding at once see only their own repeats",
         test_threads_adding_at_once_see_only_their_own_repeats},
        CU_TEST_INFO_NULL,
    };

    return test_run_suite("ntlm_keyring", tests);
}
