/* Tests of mech/core/ntlm_policy.c: the timestamp window, the replay cache, the MIC and
 * channel-binding decisions, and the minimum session security. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "ntlm_errors.h"
#include "ntlm_message.h"
#include "ntlm_policy.h"
#include "test_util.h"

#define SECOND 10000000ULL /* FILETIME ticks */
/* 2024-01-01T00:00:00Z, in both clocks. */
#define NOW_UNIX ((time_t)1704067200)
#define NOW_FILETIME ((1704067200ULL + 11644473600ULL) * SECOND)

static void
proof_for(unsigned n, uint8_t proof[16])
{
    memset(proof, 0xa5, 16);
    memcpy(proof, &n, sizeof(n));
}

static void
test_timestamp_inside_the_window_either_way_passes(void)
{
    CU_ASSERT_EQUAL(ntlm_policy_timestamp(NOW_FILETIME, NOW_FILETIME, 300), 0);
    CU_ASSERT_EQUAL(ntlm_policy_timestamp(NOW_FILETIME - 300 * SECOND, NOW_FILETIME, 300), 0);
    CU_ASSERT_EQUAL(ntlm_policy_timestamp(NOW_FILETIME + 300 * SECOND, NOW_FILETIME, 300), 0);
}

static void
test_timestamp_outside_the_window_is_skew(void)
{
    CU_ASSERT_EQUAL(ntlm_policy_timestamp(NOW_FILETIME - 300 * SECOND - 1, NOW_FILETIME, 300),
                    NTLM_ERR_TIMESTAMP_SKEW);
    CU_ASSERT_EQUAL(ntlm_policy_timestamp(NOW_FILETIME + 301 * SECOND, NOW_FILETIME, 300),
                    NTLM_ERR_TIMESTAMP_SKEW);
    CU_ASSERT_EQUAL(ntlm_policy_timestamp(0, NOW_FILETIME, 300), NTLM_ERR_TIMESTAMP_SKEW);
    CU_ASSERT_EQUAL(ntlm_policy_timestamp(UINT64_MAX, NOW_FILETIME, 86400),
                    NTLM_ERR_TIMESTAMP_SKEW);
}

static void
test_timestamp_window_zero_accepts_any_time(void)
{
    CU_ASSERT_EQUAL(ntlm_policy_timestamp(0, NOW_FILETIME, 0), 0);
    CU_ASSERT_EQUAL(ntlm_policy_timestamp(UINT64_MAX, NOW_FILETIME, 0), 0);
}

static void
test_replay_cache_refuses_a_proof_seen_before_it_expires(void)
{
    struct ntlm_replay_cache *cache = NULL;
    uint8_t a[16], b[16];

    proof_for(1, a);
    proof_for(2, b);
    CU_ASSERT_EQUAL_FATAL(ntlm_replay_cache_new(8, &cache), 0);
    CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, a, 1000, 1300), 0);
    CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, b, 1001, 1301), 0);
    CU_ASSERT_EQUAL(ntlm_replay_cache_count(cache), 2);
    CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, a, 1200, 1500), NTLM_ERR_REPLAYED_RESPONSE);
    CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, a, 1300, 1600), NTLM_ERR_REPLAYED_RESPONSE);
    CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, b, 1301, 1601), NTLM_ERR_REPLAYED_RESPONSE);
    /* A refused replay is not recorded again. */
    CU_ASSERT_EQUAL(ntlm_replay_cache_count(cache), 2);
    ntlm_replay_cache_free(cache);
}

static void
test_replay_cache_accepts_and_rerecords_an_expired_proof(void)
{
    struct ntlm_replay_cache *cache = NULL;
    uint8_t a[16];

    proof_for(1, a);
    CU_ASSERT_EQUAL_FATAL(ntlm_replay_cache_new(8, &cache), 0);
    CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, a, 1000, 1300), 0);
    CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, a, 1301, 1600), 0);
    CU_ASSERT_EQUAL(ntlm_replay_cache_count(cache), 1);
    CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, a, 1500, 1800), NTLM_ERR_REPLAYED_RESPONSE);
    ntlm_replay_cache_free(cache);
}

static void
test_replay_cache_evicts_the_oldest_entry_when_full(void)
{
    struct ntlm_replay_cache *cache = NULL;
    uint8_t p[16];
    unsigned i;

    CU_ASSERT_EQUAL_FATAL(ntlm_replay_cache_new(4, &cache), 0);
    for (i = 0; i < 4; i++) {
        proof_for(i, p);
        CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, p, 1000 + i, 5000), 0);
    }
    CU_ASSERT_EQUAL(ntlm_replay_cache_count(cache), 4);
    proof_for(4, p);
    CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, p, 1004, 5000), 0);
    CU_ASSERT_EQUAL(ntlm_replay_cache_count(cache), 4);
    /* Proof 0 made room; 1 to 4 are still known. */
    for (i = 1; i <= 4; i++) {
        proof_for(i, p);
        CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, p, 1010, 5000), NTLM_ERR_REPLAYED_RESPONSE);
    }
    proof_for(0, p);
    CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, p, 1010, 5000), 0);
    ntlm_replay_cache_free(cache);
}

/* Proofs that share their first bytes, so that the cache's index puts them in one bucket. */
static void
proof_in_one_bucket(unsigned n, uint8_t proof[16])
{
    memset(proof, 0x5a, 16);
    memcpy(proof + 12, &n, sizeof(n));
}

static void
test_replay_cache_tells_apart_proofs_of_one_bucket_as_they_come_and_go(void)
{
    struct ntlm_replay_cache *cache = NULL;
    uint8_t p[16];
    unsigned i;

    CU_ASSERT_EQUAL_FATAL(ntlm_replay_cache_new(3, &cache), 0);
    for (i = 0; i < 3; i++) {
        proof_in_one_bucket(i, p);
        CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, p, 1000, 1000 + i), 0);
    }
    /* Proof 1 (mid-chain) expired: recorded afresh, evicting proof 0 (the chain's tail). */
    proof_in_one_bucket(1, p);
    CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, p, 1001 + 1, 5000), 0);
    CU_ASSERT_EQUAL(ntlm_replay_cache_count(cache), 2);
    CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, p, 1003, 5000), NTLM_ERR_REPLAYED_RESPONSE);
    proof_in_one_bucket(2, p);
    CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, p, 1002, 5000), NTLM_ERR_REPLAYED_RESPONSE);
    /* Fill up again: each insertion evicts the oldest, wherever it sits in the chain. */
    for (i = 3; i < 9; i++) {
        proof_in_one_bucket(i, p);
        CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, p, 1002, 5000), 0);
        CU_ASSERT(ntlm_replay_cache_count(cache) <= 3);
    }
    for (i = 6; i < 9; i++) {
        proof_in_one_bucket(i, p);
        CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, p, 1003, 5000), NTLM_ERR_REPLAYED_RESPONSE);
    }
    for (i = 0; i < 6; i++) {
        proof_in_one_bucket(i, p);
        CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, p, 1003, 5000), 0);
    }
    ntlm_replay_cache_free(cache);
}

static void
test_replay_cache_refuses_a_zero_capacity(void)
{
    struct ntlm_replay_cache *cache = NULL;

    CU_ASSERT_EQUAL(ntlm_replay_cache_new(0, &cache), NTLM_ERR_INVALID_ARG);
    CU_ASSERT_PTR_NULL(cache);
}

struct racer {
    struct ntlm_replay_cache *cache;
    unsigned accepted;
};

static void *
race(void *arg)
{
    struct racer *r = arg;
    uint8_t p[16];
    unsigned i;

    for (i = 0; i < 500; i++) {
        proof_for(i, p);
        if (ntlm_replay_cache_check(r->cache, p, 1000, 2000) == 0)
            r->accepted++;
    }
    return NULL;
}

static void
test_replay_cache_lets_each_proof_through_once_across_threads(void)
{
    struct ntlm_replay_cache *cache = NULL;
    struct racer racers[4];
    pthread_t threads[4];
    unsigned i, total = 0;

    CU_ASSERT_EQUAL_FATAL(ntlm_replay_cache_new(1024, &cache), 0);
    for (i = 0; i < 4; i++) {
        racers[i] = (struct racer){cache, 0};
        CU_ASSERT_EQUAL_FATAL(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        total += racers[i].accepted;
    }
    CU_ASSERT_EQUAL(total, 500);
    ntlm_replay_cache_free(cache);
}

/* The full-size cache is in parts, each with room for twice its share (ntlm_keyring.h): after
 * 4096 + 10 proofs it still knows every one of the last 4096. */
static void
test_a_full_size_cache_knows_each_of_the_last_4096_proofs(void)
{
    struct ntlm_replay_cache *cache = NULL;
    uint8_t p[16];
    unsigned i, known = 0;

    CU_ASSERT_EQUAL_FATAL(ntlm_replay_cache_new(NTLM_REPLAY_CACHE_SIZE, &cache), 0);
    for (i = 0; i < NTLM_REPLAY_CACHE_SIZE + 10; i++) {
        proof_for(100000 + i, p);
        CU_ASSERT_EQUAL(ntlm_replay_cache_check(cache, p, 1000, 2000), 0);
    }
    CU_ASSERT(ntlm_replay_cache_count(cache) >= NTLM_REPLAY_CACHE_SIZE);
    for (i = 10; i < NTLM_REPLAY_CACHE_SIZE + 10; i++) {
        proof_for(100000 + i, p);
        known += ntlm_replay_cache_check(cache, p, 1001, 2000) == NTLM_ERR_REPLAYED_RESPONSE;
    }
    CU_ASSERT_EQUAL(known, NTLM_REPLAY_CACHE_SIZE);
    ntlm_replay_cache_free(cache);
}

static void
test_fresh_response_checks_skew_then_replay(void)
{
    struct ntlm_replay_cache *cache = NULL;
    uint8_t a[16], b[16];

    proof_for(1, a);
    proof_for(2, b);
    CU_ASSERT_EQUAL_FATAL(ntlm_replay_cache_new(8, &cache), 0);
    CU_ASSERT_EQUAL(ntlm_policy_fresh_response(cache, a, NOW_FILETIME, NOW_UNIX, 300), 0);
    CU_ASSERT_EQUAL(ntlm_policy_fresh_response(cache, a, NOW_FILETIME, NOW_UNIX + 10, 300),
                    NTLM_ERR_REPLAYED_RESPONSE);
    /* A stale response is refused as such and not recorded. */
    CU_ASSERT_EQUAL(
        ntlm_policy_fresh_response(cache, b, NOW_FILETIME - 3600 * SECOND, NOW_UNIX, 300),
        NTLM_ERR_TIMESTAMP_SKEW);
    CU_ASSERT_EQUAL(ntlm_replay_cache_count(cache), 1);
    ntlm_replay_cache_free(cache);
}

static void
test_fresh_response_remembers_a_proof_while_its_timestamp_is_acceptable(void)
{
    struct ntlm_replay_cache *cache = NULL;
    uint64_t ahead = NOW_FILETIME + 300 * SECOND;
    uint8_t a[16];

    proof_for(1, a);
    CU_ASSERT_EQUAL_FATAL(ntlm_replay_cache_new(8, &cache), 0);
    /* A timestamp 300 s ahead stays acceptable until now + 600 s: so does the entry. */
    CU_ASSERT_EQUAL(ntlm_policy_fresh_response(cache, a, ahead, NOW_UNIX, 300), 0);
    CU_ASSERT_EQUAL(ntlm_policy_fresh_response(cache, a, ahead, NOW_UNIX + 600, 300),
                    NTLM_ERR_REPLAYED_RESPONSE);
    CU_ASSERT_EQUAL(ntlm_policy_fresh_response(cache, a, ahead, NOW_UNIX + 601, 300),
                    NTLM_ERR_TIMESTAMP_SKEW);
    ntlm_replay_cache_free(cache);
}

static void
test_fresh_response_with_window_zero_checks_nothing(void)
{
    struct ntlm_replay_cache *cache = NULL;
    uint8_t a[16];

    proof_for(1, a);
    CU_ASSERT_EQUAL_FATAL(ntlm_replay_cache_new(8, &cache), 0);
    CU_ASSERT_EQUAL(ntlm_policy_fresh_response(cache, a, 0, NOW_UNIX, 0), 0);
    CU_ASSERT_EQUAL(ntlm_policy_fresh_response(cache, a, 0, NOW_UNIX, 0), 0);
    CU_ASSERT_EQUAL(ntlm_replay_cache_count(cache), 0);
    ntlm_replay_cache_free(cache);
}

static void
test_mic_when_present_verifies_an_announced_mic_and_allows_none(void)
{
    enum ntlm_mic_status status;
    bool verify;

    CU_ASSERT_EQUAL(ntlm_policy_mic(NTLM_MIC_WHEN_PRESENT, true, &verify, &status), 0);
    CU_ASSERT_TRUE(verify);
    CU_ASSERT_EQUAL(ntlm_policy_mic(NTLM_MIC_WHEN_PRESENT, false, &verify, &status), 0);
    CU_ASSERT_FALSE(verify);
    CU_ASSERT_EQUAL(status, NTLM_MIC_ABSENT);
}

static void
test_mic_always_verifies_an_announced_mic_and_refuses_none(void)
{
    enum ntlm_mic_status status;
    bool verify;

    CU_ASSERT_EQUAL(ntlm_policy_mic(NTLM_MIC_ALWAYS, true, &verify, &status), 0);
    CU_ASSERT_TRUE(verify);
    CU_ASSERT_EQUAL(ntlm_policy_mic(NTLM_MIC_ALWAYS, false, &verify, &status),
                    NTLM_ERR_MIC_MISSING);
    CU_ASSERT_FALSE(verify);
    CU_ASSERT_EQUAL(status, NTLM_MIC_REQUIRED_MISSING);
}

/* One row per (policy, acceptor bindings, client bindings): the outcome and status. */
static void
test_bindings_decisions_for_each_policy(void)
{
    static const uint8_t one[16] = {1}, other[16] = {2};
    static const struct {
        enum ntlm_cb_policy policy;
        const uint8_t *expected, *client;
        uint32_t ret;
        enum ntlm_cb_status status;
    } rows[] = {
        {NTLM_CB_NEVER, one, other, 0, NTLM_CB_NOT_CHECKED},
        {NTLM_CB_NEVER, one, one, 0, NTLM_CB_NOT_CHECKED},
        {NTLM_CB_NEVER, NULL, NULL, 0, NTLM_CB_NOT_CHECKED},
        {NTLM_CB_WHEN_SUPPORTED, one, one, 0, NTLM_CB_MATCHED},
        {NTLM_CB_WHEN_SUPPORTED, one, other, NTLM_ERR_CB_MISMATCH, NTLM_CB_MISMATCH},
        {NTLM_CB_WHEN_SUPPORTED, one, NULL, 0, NTLM_CB_ABSENT},
        {NTLM_CB_WHEN_SUPPORTED, NULL, one, 0, NTLM_CB_NOT_CHECKED},
        {NTLM_CB_WHEN_SUPPORTED, NULL, NULL, 0, NTLM_CB_ABSENT},
        {NTLM_CB_ALWAYS, one, one, 0, NTLM_CB_MATCHED},
        {NTLM_CB_ALWAYS, one, other, NTLM_ERR_CB_MISMATCH, NTLM_CB_MISMATCH},
        {NTLM_CB_ALWAYS, one, NULL, NTLM_ERR_CB_MISSING, NTLM_CB_ABSENT},
        {NTLM_CB_ALWAYS, NULL, one, NTLM_ERR_CB_MISSING, NTLM_CB_NOT_CHECKED},
        {NTLM_CB_ALWAYS, NULL, NULL, NTLM_ERR_CB_MISSING, NTLM_CB_ABSENT},
    };
    size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        enum ntlm_cb_status status = NTLM_CB_MATCHED;
        uint32_t ret =
            ntlm_policy_bindings(rows[i].policy, rows[i].expected, rows[i].client, &status);

        if (ret != rows[i].ret || status != rows[i].status) {
            fprintf(stderr, "\n  row %zu: ret %u status %d\n", i, ret, (int)status);
            CU_FAIL("unexpected channel-binding decision");
        }
    }
}

static void
test_session_security_requires_its_bits_only_when_signing_or_sealing(void)
{
    static const struct {
        uint32_t required, flags, want;
    } cases[] = {
        /* The default: 128-bit keys and ESS. */
        {NTLM_MINSEC_128 | NTLM_MINSEC_ESS,
         NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_128 |
             NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY,
         0},
        {NTLM_MINSEC_128 | NTLM_MINSEC_ESS,
         NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_56,
         NTLM_ERR_SESSION_SECURITY_WEAK},
        {NTLM_MINSEC_128 | NTLM_MINSEC_ESS, NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_128,
         NTLM_ERR_SESSION_SECURITY_WEAK},
        /* Without signing or sealing there is no key to weaken. */
        {NTLM_MINSEC_128 | NTLM_MINSEC_ESS, NTLMSSP_NEGOTIATE_ALWAYS_SIGN, 0},
        /* Each bit alone. */
        {NTLM_MINSEC_ESS, NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, 0},
        {NTLM_MINSEC_128, NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY,
         NTLM_ERR_SESSION_SECURITY_WEAK},
        /* none: the old behaviour, any key strength. */
        {0, NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_SIGN, 0},
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (ntlm_policy_session_security(cases[i].required, cases[i].flags) != cases[i].want)
            fprintf(stderr, "\n  case %zu\n", i);
        CU_ASSERT_EQUAL(ntlm_policy_session_security(cases[i].required, cases[i].flags),
                        cases[i].want);
    }
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"timestamp inside the window either way passes",
         test_timestamp_inside_the_window_either_way_passes},
        {"timestamp outside the window is skew", test_timestamp_outside_the_window_is_skew},
        {"timestamp window zero accepts any time", test_timestamp_window_zero_accepts_any_time},
        {"replay cache refuses a proof seen before it expires",
         test_replay_cache_refuses_a_proof_seen_before_it_expires},
        {"replay cache accepts and rerecords an expired proof",
         test_replay_cache_accepts_and_rerecords_an_expired_proof},
        {"replay cache evicts the oldest entry when full",
         test_replay_cache_evicts_the_oldest_entry_when_full},
        {"replay cache refuses a zero capacity", test_replay_cache_refuses_a_zero_capacity},
        {"replay cache tells apart proofs of one bucket as they come and go",
         test_replay_cache_tells_apart_proofs_of_one_bucket_as_they_come_and_go},
        {"replay cache lets each proof through once across threads",
         test_replay_cache_lets_each_proof_through_once_across_threads},
        {"a full size cache knows each of the last 4096 proofs",
         test_a_full_size_cache_knows_each_of_the_last_4096_proofs},
        {"fresh response checks skew then replay", test_fresh_response_checks_skew_then_replay},
        {"fresh response remembers a proof while its timestamp is acceptable",
         test_fresh_response_remembers_a_proof_while_its_timestamp_is_acceptable},
        {"fresh response with window zero checks nothing",
         test_fresh_response_with_window_zero_checks_nothing},
        {"mic when_present verifies an announced mic and allows none",
         test_mic_when_present_verifies_an_announced_mic_and_allows_none},
        {"mic always verifies an announced mic and refuses none",
         test_mic_always_verifies_an_announced_mic_and_refuses_none},
        {"bindings decisions for each policy", test_bindings_decisions_for_each_policy},
        {"session security requires its bits only when signing or sealing",
         test_session_security_requires_its_bits_only_when_signing_or_sealing},
        CU_TEST_INFO_NULL,
    };

    return test_run_suite("ntlm_policy", tests);
}
