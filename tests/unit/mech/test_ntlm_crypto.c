/*
 * Tests for mech/core/ntlm_crypto.c: each primitive against its published vectors (RFC 1320,
 * RFC 1321, RFC 2202, RFC 6229) and the RC4 state export used by context export.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ntlm_crypto.h"
#include "ntlm_errors.h"
#include "test_util.h"

#define RACE_THREADS 8

/* One thread's share of the race test: the RFC 2202 HMAC and an RC4 keystream, many times. */
static void *
race_worker(void *arg)
{
    const struct ntlm_iov iov = {"what do ya want for nothing?", 28};
    const uint8_t key[5] = {1, 2, 3, 4, 5};
    const uint8_t zero[16] = {0};
    uint8_t mac[16], stream[16];
    bool *ok = arg;
    int i;

    *ok = true;
    for (i = 0; i < 200 && *ok; i++) {
        *ok = ntlm_hmac_md5((const uint8_t *)"Jefe", 4, &iov, 1, mac) == 0 &&
              test_hex_equal(mac, 16, "750c783e6ab0b503eaa86e310a5db738") &&
              ntlm_rc4k(key, sizeof(key), zero, stream, sizeof(stream)) == 0 &&
              test_hex_equal(stream, 16, "b2396305f03dc027ccc3524a0a1118a8");
    }
    return NULL;
}

/* Runs first in the suite, so the threads also race the one-time initialisation. */
static void
test_threads_racing_first_use_all_get_correct_results(void)
{
    pthread_t threads[RACE_THREADS];
    bool ok[RACE_THREADS] = {false};
    int i, started = 0;

    for (i = 0; i < RACE_THREADS; i++) {
        if (pthread_create(&threads[i], NULL, race_worker, &ok[i]) != 0)
            break;
        started++;
    }
    for (i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    CU_ASSERT_EQUAL(started, RACE_THREADS);
    for (i = 0; i < started; i++)
        CU_ASSERT_TRUE(ok[i]);
}

static void
test_init_succeeds_and_can_be_repeated(void)
{
    CU_ASSERT_EQUAL(ntlm_crypto_init(), 0);
    CU_ASSERT_EQUAL(ntlm_crypto_init(), 0);
}

static void
test_md4_matches_rfc_1320_abc(void)
{
    uint8_t out[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_md4("abc", 3, out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "a448017aaf21d8525fc10ae87aa6729d"));
}

static void
test_md5_hashes_the_concatenation_of_its_pieces(void)
{
    const struct ntlm_iov iov[3] = {{"a", 1}, {"", 0}, {"bc", 2}};
    uint8_t out[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_md5(iov, 3, out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "900150983cd24fb0d6963f7d28e17f72"));
}

static void
test_hmac_md5_matches_rfc_2202_case_2(void)
{
    const struct ntlm_iov iov[2] = {{"what do ya want ", 16}, {"for nothing?", 12}};
    uint8_t out[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_hmac_md5((const uint8_t *)"Jefe", 4, iov, 2, out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "750c783e6ab0b503eaa86e310a5db738"));
}

static void
test_hmac_md5_depends_on_the_key(void)
{
    const struct ntlm_iov iov = {"what do ya want for nothing?", 28};
    uint8_t out[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_hmac_md5((const uint8_t *)"Jeff", 4, &iov, 1, out), 0);
    CU_ASSERT_FALSE(test_hex_equal(out, 16, "750c783e6ab0b503eaa86e310a5db738"));
}

static void
test_crc32_of_check_string_is_cbf43926(void)
{
    const struct ntlm_iov iov[2] = {{"1234", 4}, {"56789", 5}};

    CU_ASSERT_EQUAL(ntlm_crc32(iov, 2), 0xcbf43926u);
}

static void
test_des7_with_zero_key_gives_the_empty_lm_half(void)
{
    const uint8_t key[7] = {0};
    uint8_t out[8];

    CU_ASSERT_EQUAL_FATAL(ntlm_des7(key, (const uint8_t *)"KGS!@#$%", out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 8, "aad3b435b51404ee"));
}

static void
test_des7_spreads_key_bits_like_openssl_with_parity_key(void)
{
    /* 0123456789abcd expands to 0090d0ac784cae9a, 0191d0ad794cae9b with odd parity; under that
     * key `openssl enc -des-ecb -nopad` encrypts "KGS!@#$%" to 6400eb77488b1c6a. */
    const uint8_t key[7] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd};
    uint8_t out[8];

    CU_ASSERT_EQUAL_FATAL(ntlm_des7(key, (const uint8_t *)"KGS!@#$%", out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 8, "6400eb77488b1c6a"));
}

static void
test_rc4_40_bit_key_matches_rfc_6229(void)
{
    const uint8_t key[5] = {1, 2, 3, 4, 5};
    uint8_t buf[32] = {0};
    struct ntlm_rc4 *rc4 = NULL;

    CU_ASSERT_EQUAL_FATAL(ntlm_rc4_new(key, sizeof(key), &rc4), 0);
    /* Two updates: the second must continue the keystream, not restart it. */
    CU_ASSERT_EQUAL(ntlm_rc4_update(rc4, buf, buf, 7), 0);
    CU_ASSERT_EQUAL(ntlm_rc4_update(rc4, buf + 7, buf + 7, 25), 0);
    CU_ASSERT_TRUE(test_hex_equal(buf, 32,
                                  "b2396305f03dc027ccc3524a0a1118a8"
                                  "6982944f18fc82d589c403a47a0d0919"));
    ntlm_rc4_free(rc4);
}

static void
test_rc4_128_bit_key_matches_rfc_6229(void)
{
    const uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    const uint8_t zero[16] = {0};
    uint8_t out[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_rc4k(key, sizeof(key), zero, out, sizeof(out)), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "9ac7cc9a609d1ef7b2932899cde41b97"));
}

static void
test_rc4_skip_matches_rfc_6229_at_offset_4096(void)
{
    const uint8_t key[5] = {1, 2, 3, 4, 5};
    uint8_t buf[16] = {0};
    struct ntlm_rc4 *rc4 = NULL;

    CU_ASSERT_EQUAL_FATAL(ntlm_rc4_new(key, sizeof(key), &rc4), 0);
    ntlm_rc4_skip(rc4, 4096);
    CU_ASSERT_EQUAL(ntlm_rc4_update(rc4, buf, buf, sizeof(buf)), 0);
    CU_ASSERT_TRUE(test_hex_equal(buf, 16, "ff25b58995996707e51fbdf08b34d875"));
    ntlm_rc4_free(rc4);
}

static void
test_rc4_imported_state_continues_the_original_stream(void)
{
    uint8_t key[16], data[5000] = {0}, a[64] = {0}, b[64] = {0};
    uint8_t state[NTLM_RC4_STATE_SIZE];
    struct ntlm_rc4 *orig = NULL, *copy = NULL;

    memset(key, 0x55, sizeof(key));
    CU_ASSERT_EQUAL_FATAL(ntlm_rc4_new(key, sizeof(key), &orig), 0);
    /* Uneven pieces, so that the indices are somewhere in the middle of S. */
    CU_ASSERT_EQUAL(ntlm_rc4_update(orig, data, data, 1), 0);
    CU_ASSERT_EQUAL(ntlm_rc4_update(orig, data, data, 3333), 0);
    CU_ASSERT_EQUAL(ntlm_rc4_update(orig, data, data, 1666), 0);
    ntlm_rc4_export(orig, state);
    CU_ASSERT_EQUAL_FATAL(ntlm_rc4_import(state, &copy), 0);
    CU_ASSERT_EQUAL(ntlm_rc4_update(orig, a, a, sizeof(a)), 0);
    CU_ASSERT_EQUAL(ntlm_rc4_update(copy, b, b, sizeof(b)), 0);
    CU_ASSERT_EQUAL(memcmp(a, b, sizeof(a)), 0);
    /* Keystream at offset 5000 under 55..55, as `openssl enc -rc4` produces it. */
    CU_ASSERT_TRUE(test_hex_equal(a, 16, "bdd086ed347d36944bde2e5a99efc2df"));
    ntlm_rc4_free(copy);
    ntlm_rc4_free(orig);
}

static void
test_rc4_import_refuses_a_state_that_is_not_a_permutation(void)
{
    const uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    uint8_t state[NTLM_RC4_STATE_SIZE];
    struct ntlm_rc4 *rc4 = NULL;

    CU_ASSERT_EQUAL_FATAL(ntlm_rc4_new(key, sizeof(key), &rc4), 0);
    ntlm_rc4_export(rc4, state);
    ntlm_rc4_free(rc4);
    rc4 = NULL;
    /* One value twice, another missing: indices are free, but S must stay a permutation. */
    state[2 + 7] = state[2 + 8];
    CU_ASSERT_EQUAL(ntlm_rc4_import(state, &rc4), NTLM_ERR_INVALID_ARG);
    CU_ASSERT_PTR_NULL(rc4);
}

static void
test_rc4_rejects_an_empty_key(void)
{
    const uint8_t key[1] = {0};
    struct ntlm_rc4 *rc4 = NULL;

    CU_ASSERT_EQUAL(ntlm_rc4_new(key, 0, &rc4), NTLM_ERR_INVALID_ARG);
    CU_ASSERT_PTR_NULL(rc4);
}

static void
test_rc4k_round_trips_in_place(void)
{
    const uint8_t key[8] = {'k', 'e', 'y', 'k', 'e', 'y', 'k', 'e'};
    uint8_t buf[9];

    memcpy(buf, "Plaintext", 9);
    CU_ASSERT_EQUAL_FATAL(ntlm_rc4k(key, sizeof(key), buf, buf, sizeof(buf)), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(buf, "Plaintext", 9), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_rc4k(key, sizeof(key), buf, buf, sizeof(buf)), 0);
    CU_ASSERT_EQUAL(memcmp(buf, "Plaintext", 9), 0);
}

static void
test_ct_equal_tells_equal_from_different_buffers(void)
{
    const uint8_t a[4] = {1, 2, 3, 4}, b[4] = {1, 2, 3, 5};

    CU_ASSERT_TRUE(ntlm_ct_equal(a, a, sizeof(a)));
    CU_ASSERT_FALSE(ntlm_ct_equal(a, b, sizeof(a)));
    CU_ASSERT_TRUE(ntlm_ct_equal(a, b, 3));
}

static void
test_wipe_zeroes_the_buffer(void)
{
    uint8_t buf[16];
    const uint8_t zero[16] = {0};

    memset(buf, 0xA5, sizeof(buf));
    ntlm_wipe(buf, sizeof(buf));
    CU_ASSERT_EQUAL(memcmp(buf, zero, sizeof(buf)), 0);
}

static void
test_random_fills_buffers_with_different_bytes(void)
{
    uint8_t a[16] = {0}, b[16] = {0};
    const uint8_t zero[16] = {0};

    CU_ASSERT_EQUAL_FATAL(ntlm_random(a, sizeof(a)), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_random(b, sizeof(b)), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(a, zero, sizeof(a)), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(a, b, sizeof(a)), 0);
}

/* Small draws come from a per-thread pool: over several refills, no 8 bytes come out twice. */
static void
test_random_small_draws_never_repeat_across_pool_refills(void)
{
    enum { DRAWS = 300 };
    static uint8_t drawn[DRAWS][8];
    int i, j, repeats = 0;

    for (i = 0; i < DRAWS; i++)
        CU_ASSERT_EQUAL_FATAL(ntlm_random(drawn[i], sizeof(drawn[i])), 0);
    for (i = 0; i < DRAWS; i++)
        for (j = i + 1; j < DRAWS; j++)
            repeats += memcmp(drawn[i], drawn[j], sizeof(drawn[i])) == 0;
    CU_ASSERT_EQUAL(repeats, 0);
}

/*
 * A forked child must not hand out what its parent's pool still holds: the parent draws once
 * (its pool is now full), forks, and parent and child each draw 32 bytes. The same bytes on
 * both sides would be the same challenge or session key from two processes.
 */
static void
test_random_in_a_forked_child_differs_from_its_parent(void)
{
    uint8_t first[8], parent[32], child[32] = {0};
    int fds[2], status = -1;
    ssize_t got;
    pid_t pid;

    CU_ASSERT_EQUAL_FATAL(ntlm_random(first, sizeof(first)), 0);
    CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
    pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        uint8_t mine[32];

        close(fds[0]);
        if (ntlm_random(mine, sizeof(mine)) != 0 || write(fds[1], mine, sizeof(mine)) != 32)
            _exit(1);
        _exit(0);
    }
    close(fds[1]);
    CU_ASSERT_EQUAL(ntlm_random(parent, sizeof(parent)), 0);
    got = read(fds[0], child, sizeof(child));
    close(fds[0]);
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CU_ASSERT_EQUAL_FATAL(got, (ssize_t)sizeof(child));
    CU_ASSERT_NOT_EQUAL(memcmp(parent, child, sizeof(parent)), 0);
}

/* Draws larger than the pool's share go to the DRBG directly, and still differ. */
static void
test_random_large_draws_differ(void)
{
    static uint8_t a[4096], b[4096];

    CU_ASSERT_EQUAL_FATAL(ntlm_random(a, sizeof(a)), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_random(b, sizeof(b)), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(a, b, sizeof(a)), 0);
}

static void
test_prekeyed_hmac_md5_matches_rfc_2202_including_long_keys(void)
{
    /* RFC 2202 case 6: an 80-byte key (longer than a block) over a 54-byte message. */
    static const char msg[] = "Test Using Larger Than Block-Size Key - Hash Key First";
    uint8_t key[80], out[16], again[16];
    struct ntlm_hmac_md5_key k;
    struct ntlm_iov iov = {msg, sizeof(msg) - 1};

    memset(key, 0xaa, sizeof(key));
    CU_ASSERT_EQUAL_FATAL(ntlm_hmac_md5_key(key, sizeof(key), &k), 0);
    CU_ASSERT_EQUAL(ntlm_hmac_md5_keyed(&k, &iov, 1, out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd"));
    /* The keyed state is reusable: the same message gives the same MAC again. */
    CU_ASSERT_EQUAL(ntlm_hmac_md5_keyed(&k, &iov, 1, again), 0);
    CU_ASSERT_EQUAL(memcmp(out, again, 16), 0);
    CU_ASSERT_EQUAL(ntlm_hmac_md5(key, sizeof(key), &iov, 1, again), 0);
    CU_ASSERT_EQUAL(memcmp(out, again, 16), 0);
    ntlm_wipe(&k, sizeof(k));
}

static CU_TestInfo tests[] = {
    {"pre-keyed HMAC-MD5 matches RFC 2202, including long keys",
     test_prekeyed_hmac_md5_matches_rfc_2202_including_long_keys},
    {"threads racing first use all get correct results",
     test_threads_racing_first_use_all_get_correct_results},
    {"init succeeds and can be repeated", test_init_succeeds_and_can_be_repeated},
    {"MD4 matches RFC 1320 abc", test_md4_matches_rfc_1320_abc},
    {"MD5 hashes the concatenation of its pieces", test_md5_hashes_the_concatenation_of_its_pieces},
    {"HMAC-MD5 matches RFC 2202 case 2", test_hmac_md5_matches_rfc_2202_case_2},
    {"HMAC-MD5 depends on the key", test_hmac_md5_depends_on_the_key},
    {"CRC-32 of the check string is cbf43926", test_crc32_of_check_string_is_cbf43926},
    {"DES7 with zero key gives the empty LM half", test_des7_with_zero_key_gives_the_empty_lm_half},
    {"DES7 spreads key bits like OpenSSL with a parity key",
     test_des7_spreads_key_bits_like_openssl_with_parity_key},
    {"RC4 40-bit key matches RFC 6229", test_rc4_40_bit_key_matches_rfc_6229},
    {"RC4 128-bit key matches RFC 6229", test_rc4_128_bit_key_matches_rfc_6229},
    {"RC4 skip matches RFC 6229 at offset 4096", test_rc4_skip_matches_rfc_6229_at_offset_4096},
    {"RC4 imported state continues the original stream",
     test_rc4_imported_state_continues_the_original_stream},
    {"RC4 import refuses a state that is not a permutation",
     test_rc4_import_refuses_a_state_that_is_not_a_permutation},
    {"RC4 rejects an empty key", test_rc4_rejects_an_empty_key},
    {"RC4K round-trips in place", test_rc4k_round_trips_in_place},
    {"ct_equal tells equal from different buffers",
     test_ct_equal_tells_equal_from_different_buffers},
    {"wipe zeroes the buffer", test_wipe_zeroes_the_buffer},
    {"random fills buffers with different bytes", test_random_fills_buffers_with_different_bytes},
    {"random small draws never repeat across pool refills",
     test_random_small_draws_never_repeat_across_pool_refills},
    {"random in a forked child differs from its parent",
     test_random_in_a_forked_child_differs_from_its_parent},
    {"random large draws differ", test_random_large_draws_differ},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("ntlm_crypto", tests);
}
