/*
 * Tests for mech/core/ntlm_sign.c: key derivation and the three MS-NLMP GSS_WrapEx examples
 * (4.2.2.4, 4.2.3.4, 4.2.4.4), from both roles, plus RC4 sharing and reset behaviour.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_message.h"
#include "ntlm_sign.h"
#include "test_util.h"

/* "Plaintext" in UTF-16LE, the message of every MS-NLMP GSS_WrapEx example. */
static const uint8_t plaintext[18] = {'P', 0,   'l', 0,   'a', 0,   'i', 0,   'n',
                                      0,   't', 0,   'e', 0,   'x', 0,   't', 0};

#define FLAGS_V1 (NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL)
#define FLAGS_V1_ESS (FLAGS_V1 | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)
#define FLAGS_V2 (FLAGS_V1_ESS | NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_KEY_EXCH)

/* The 4.2.3 ExportedSessionKey: KXKEY of NTLMv1 with ESS (no key exchange). */
static const char ess_v1_key_hex[] = "eb93429a8bd952f8b89c55b87f475edc";

/* As the client, seals "Plaintext" and signs it with sequence number 0 (GSS_WrapEx). */
static void
check_client_wrap(uint32_t flags, const uint8_t key[16], const char *cipher_hex,
                  const char *sig_hex)
{
    struct ntlm_sign_state st;
    const struct ntlm_iov iov = {plaintext, sizeof(plaintext)};
    uint8_t data[sizeof(plaintext)], sig[NTLM_SIGNATURE_SIZE];

    memcpy(data, plaintext, sizeof(data));
    CU_ASSERT_EQUAL_FATAL(ntlm_sign_state_init(&st, flags, key, true), 0);
    /* Data first: the checksum's RC4 continues the stream after the sealed data. */
    CU_ASSERT_EQUAL(ntlm_sign_crypt(&st.send, data, sizeof(data)), 0);
    CU_ASSERT_EQUAL(ntlm_sign_mac(&st, &st.send, 0, &iov, 1, sig), 0);
    CU_ASSERT_TRUE(test_hex_equal(data, sizeof(data), cipher_hex));
    CU_ASSERT_TRUE(test_hex_equal(sig, sizeof(sig), sig_hex));
    ntlm_sign_state_free(&st);
}

/* As the server, unseals the client's message and recomputes its signature. */
static void
check_server_unwrap(uint32_t flags, const uint8_t key[16], const char *cipher_hex,
                    const char *sig_hex)
{
    struct ntlm_sign_state st;
    const struct ntlm_iov iov = {plaintext, sizeof(plaintext)};
    uint8_t sig[NTLM_SIGNATURE_SIZE];
    size_t len;
    uint8_t *data = test_hex(cipher_hex, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_sign_state_init(&st, flags, key, false), 0);
    CU_ASSERT_EQUAL(ntlm_sign_crypt(&st.recv, data, len), 0);
    CU_ASSERT_EQUAL(ntlm_sign_mac(&st, &st.recv, 0, &iov, 1, sig), 0);
    CU_ASSERT_EQUAL(len, sizeof(plaintext));
    CU_ASSERT_EQUAL(memcmp(data, plaintext, sizeof(plaintext)), 0);
    CU_ASSERT_TRUE(test_hex_equal(sig, sizeof(sig), sig_hex));
    ntlm_sign_state_free(&st);
    free(data);
}

static void
test_sign_key_without_ess_is_all_zero(void)
{
    const uint8_t zero[16] = {0};
    uint8_t key[16], out[16];

    memset(key, 0x55, sizeof(key));
    memset(out, 0xff, sizeof(out));
    CU_ASSERT_EQUAL_FATAL(ntlm_sign_key(FLAGS_V1, key, true, out), 0);
    CU_ASSERT_EQUAL(memcmp(out, zero, 16), 0);
}

static void
test_client_keys_with_128_bit_ess_match_ms_nlmp_4_2_4_4(void)
{
    uint8_t key[16], out[16];
    size_t len = 0;

    memset(key, 0x55, sizeof(key));
    CU_ASSERT_EQUAL_FATAL(ntlm_sign_key(FLAGS_V2, key, true, out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "4788dc861b4782f35d43fd98fe1a2d39"));
    CU_ASSERT_EQUAL_FATAL(ntlm_seal_key(FLAGS_V2, key, true, out, &len), 0);
    CU_ASSERT_EQUAL(len, 16);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "59f600973cc4960a25480a7c196e4c58"));
}

static void
test_server_keys_use_the_server_to_client_magic(void)
{
    uint8_t key[16], out[16];
    size_t len = 0;

    /* { printf '\x55'x16; printf 'session key to server-to-client s...ing key magic
     * constant\0'; } | md5sum */
    memset(key, 0x55, sizeof(key));
    CU_ASSERT_EQUAL_FATAL(ntlm_sign_key(FLAGS_V2, key, false, out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "d04d6f10741041d1d246d64188d7a8ad"));
    CU_ASSERT_EQUAL_FATAL(ntlm_seal_key(FLAGS_V2, key, false, out, &len), 0);
    CU_ASSERT_EQUAL(len, 16);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "9355f3a957c1583d25c4c2f11e40390e"));
}

static void
test_client_keys_with_56_bit_ess_match_ms_nlmp_4_2_3_4(void)
{
    uint8_t key[16], out[16];
    size_t len = 0;

    test_hex16(ess_v1_key_hex, key);
    CU_ASSERT_EQUAL_FATAL(ntlm_sign_key(FLAGS_V1_ESS, key, true, out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "60e799be5c72fc92922ae8ebe961fb8d"));
    CU_ASSERT_EQUAL_FATAL(ntlm_seal_key(FLAGS_V1_ESS, key, true, out, &len), 0);
    CU_ASSERT_EQUAL(len, 16);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "04dd7f014d8504d265a25cc86a3a7c06"));
}

static void
test_seal_key_with_40_bit_ess_hashes_five_key_bytes(void)
{
    uint8_t key[16], out[16];
    size_t len = 0;

    /* { printf '\x55'x5; printf '...client-to-server sealing key magic constant\0'; } | md5sum */
    memset(key, 0x55, sizeof(key));
    CU_ASSERT_EQUAL_FATAL(
        ntlm_seal_key(NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, key, true, out, &len), 0);
    CU_ASSERT_EQUAL(len, 16);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "42f964a471091a02ff4a77455366e4e5"));
}

static void
test_seal_key_with_lm_key_and_56_bit_appends_a0(void)
{
    uint8_t key[16], out[16];
    size_t len = 0;

    test_hex16("0102030405060708090a0b0c0d0e0f10", key);
    CU_ASSERT_EQUAL_FATAL(
        ntlm_seal_key(NTLMSSP_NEGOTIATE_LM_KEY | NTLMSSP_NEGOTIATE_56, key, true, out, &len), 0);
    CU_ASSERT_EQUAL_FATAL(len, 8);
    CU_ASSERT_TRUE(test_hex_equal(out, 8, "01020304050607a0"));
}

static void
test_seal_key_with_lm_key_and_40_bit_appends_e538b0(void)
{
    uint8_t key[16], out[16];
    size_t len = 0;

    test_hex16("0102030405060708090a0b0c0d0e0f10", key);
    CU_ASSERT_EQUAL_FATAL(ntlm_seal_key(NTLMSSP_NEGOTIATE_LM_KEY, key, false, out, &len), 0);
    CU_ASSERT_EQUAL_FATAL(len, 8);
    CU_ASSERT_TRUE(test_hex_equal(out, 8, "0102030405e538b0"));
}

static void
test_seal_key_with_datagram_is_weakened_like_lm_key(void)
{
    uint8_t key[16], out[16];
    size_t len = 0;

    test_hex16("0102030405060708090a0b0c0d0e0f10", key);
    CU_ASSERT_EQUAL_FATAL(
        ntlm_seal_key(NTLMSSP_NEGOTIATE_DATAGRAM | NTLMSSP_NEGOTIATE_128, key, true, out, &len), 0);
    CU_ASSERT_EQUAL_FATAL(len, 8);
    CU_ASSERT_TRUE(test_hex_equal(out, 8, "0102030405e538b0"));
}

static void
test_seal_key_without_ess_or_lm_key_is_the_exported_key(void)
{
    uint8_t key[16], out[16];
    size_t len = 0;

    test_hex16("0102030405060708090a0b0c0d0e0f10", key);
    CU_ASSERT_EQUAL_FATAL(ntlm_seal_key(FLAGS_V1, key, true, out, &len), 0);
    CU_ASSERT_EQUAL_FATAL(len, 16);
    CU_ASSERT_EQUAL(memcmp(out, key, 16), 0);
}

static void
test_client_wrap_without_ess_matches_ms_nlmp_4_2_2_4(void)
{
    uint8_t key[16];

    memset(key, 0x55, sizeof(key));
    check_client_wrap(FLAGS_V1, key, "56fe04d861f9319af0d7238a2e3b4d457fb8",
                      "0100000000000000 09dcd1df2e459d36");
}

static void
test_client_wrap_with_ess_matches_ms_nlmp_4_2_3_4(void)
{
    uint8_t key[16];

    test_hex16(ess_v1_key_hex, key);
    check_client_wrap(FLAGS_V1_ESS, key, "a02372f6530273f3aa1eb90190ce5200c99d",
                      "01000000ff2aeb52f681793a00000000");
}

static void
test_client_wrap_with_ess_and_key_exch_matches_ms_nlmp_4_2_4_4(void)
{
    uint8_t key[16];

    memset(key, 0x55, sizeof(key));
    check_client_wrap(FLAGS_V2, key, "54e50165bf1936dc996020c1811b0f06fb5f",
                      "010000007fb38ec5c55d497600000000");
}

/* A handshake derives the keys; the HMAC is keyed by the first signature, and the same. */
static void
test_signing_hmac_is_keyed_on_first_use_and_signs_as_the_vector(void)
{
    struct ntlm_sign_state st;
    const struct ntlm_iov iov = {plaintext, sizeof(plaintext)};
    uint8_t key[16], sig[NTLM_SIGNATURE_SIZE];

    test_hex16(ess_v1_key_hex, key);
    CU_ASSERT_EQUAL_FATAL(ntlm_sign_state_init(&st, FLAGS_V1_ESS, key, true), 0);
    CU_ASSERT_FALSE(st.send.mac_keyed);
    CU_ASSERT_FALSE(st.recv.mac_keyed);
    CU_ASSERT_EQUAL(ntlm_sign_mac(&st, &st.send, 0, &iov, 1, sig), 0);
    CU_ASSERT_TRUE(st.send.mac_keyed);
    CU_ASSERT_FALSE(st.recv.mac_keyed);
    /* MS-NLMP 4.2.3.4 signs the plaintext; a second signature uses the same keyed state. */
    CU_ASSERT_TRUE(test_hex_equal(sig, sizeof(sig), "01000000ff2aeb52f681793a00000000"));
    CU_ASSERT_EQUAL(ntlm_sign_mac(&st, &st.send, 0, &iov, 1, sig), 0);
    CU_ASSERT_TRUE(test_hex_equal(sig, sizeof(sig), "01000000ff2aeb52f681793a00000000"));
    ntlm_sign_state_free(&st);
}

static void
test_server_unwraps_ms_nlmp_4_2_2_4(void)
{
    uint8_t key[16];

    memset(key, 0x55, sizeof(key));
    check_server_unwrap(FLAGS_V1, key, "56fe04d861f9319af0d7238a2e3b4d457fb8",
                        "0100000000000000 09dcd1df2e459d36");
}

static void
test_server_unwraps_ms_nlmp_4_2_3_4(void)
{
    uint8_t key[16];

    test_hex16(ess_v1_key_hex, key);
    check_server_unwrap(FLAGS_V1_ESS, key, "a02372f6530273f3aa1eb90190ce5200c99d",
                        "01000000ff2aeb52f681793a00000000");
}

static void
test_server_unwraps_ms_nlmp_4_2_4_4(void)
{
    uint8_t key[16];

    memset(key, 0x55, sizeof(key));
    check_server_unwrap(FLAGS_V2, key, "54e50165bf1936dc996020c1811b0f06fb5f",
                        "010000007fb38ec5c55d497600000000");
}

static void
test_state_without_ess_shares_one_rc4_between_directions(void)
{
    struct ntlm_sign_state st;
    uint8_t key[16], buf[4] = {0};

    memset(key, 0x55, sizeof(key));
    CU_ASSERT_EQUAL_FATAL(ntlm_sign_state_init(&st, FLAGS_V1, key, true), 0);
    CU_ASSERT_TRUE(st.recv.shared);
    CU_ASSERT_FALSE(st.send.shared);
    CU_ASSERT_PTR_EQUAL(st.send.rc4, st.recv.rc4);
    CU_ASSERT_EQUAL(st.recv.seal_key_len, 16);
    CU_ASSERT_EQUAL(memcmp(st.send.seal_key, st.recv.seal_key, 16), 0);
    CU_ASSERT_EQUAL(ntlm_sign_crypt(&st.send, buf, sizeof(buf)), 0);
    /* RC4's index i counts the keystream bytes used (mod 256). */
    CU_ASSERT_EQUAL(st.recv.rc4->i, 4);
    ntlm_sign_state_free(&st);
}

static void
test_state_with_ess_keys_each_direction_separately(void)
{
    struct ntlm_sign_state st;
    uint8_t key[16];

    memset(key, 0x55, sizeof(key));
    CU_ASSERT_EQUAL_FATAL(ntlm_sign_state_init(&st, FLAGS_V2, key, false), 0);
    CU_ASSERT_FALSE(st.recv.shared);
    /* Each direction gets its own stream, keyed on first use. */
    CU_ASSERT_PTR_NULL(st.send.rc4);
    CU_ASSERT_PTR_NULL(st.recv.rc4);
    CU_ASSERT_EQUAL(ntlm_sign_crypt(&st.send, key, 1), 0);
    CU_ASSERT_EQUAL(ntlm_sign_crypt(&st.recv, key, 1), 0);
    CU_ASSERT_PTR_NOT_NULL(st.send.rc4);
    CU_ASSERT_PTR_NOT_NULL(st.recv.rc4);
    CU_ASSERT_PTR_NOT_EQUAL(st.send.rc4, st.recv.rc4);
    /* The server receives with the client-to-server keys. */
    CU_ASSERT_TRUE(test_hex_equal(st.recv.seal_key, 16, "59f600973cc4960a25480a7c196e4c58"));
    CU_ASSERT_TRUE(test_hex_equal(st.recv.sign_key, 16, "4788dc861b4782f35d43fd98fe1a2d39"));
    CU_ASSERT_TRUE(test_hex_equal(st.send.seal_key, 16, "9355f3a957c1583d25c4c2f11e40390e"));
    CU_ASSERT_EQUAL(st.send.seq, 0);
    CU_ASSERT_EQUAL(st.recv.seq, 0);
    ntlm_sign_state_free(&st);
}

static void
test_signature_depends_on_the_sequence_number(void)
{
    struct ntlm_sign_state st;
    const struct ntlm_iov iov = {plaintext, sizeof(plaintext)};
    uint8_t key[16], sig[NTLM_SIGNATURE_SIZE];

    test_hex16(ess_v1_key_hex, key);
    CU_ASSERT_EQUAL_FATAL(ntlm_sign_state_init(&st, FLAGS_V1_ESS, key, true), 0);
    CU_ASSERT_EQUAL(ntlm_sign_mac(&st, &st.send, 1, &iov, 1, sig), 0);
    CU_ASSERT_TRUE(test_hex_equal(sig, 4, "01000000"));
    CU_ASSERT_TRUE(test_hex_equal(sig + 12, 4, "01000000"));
    CU_ASSERT_FALSE(test_hex_equal(sig + 4, 8, "ff2aeb52f681793a"));
    CU_ASSERT_EQUAL(st.send.seq, 0);
    ntlm_sign_state_free(&st);
}

static void
test_reset_rc4_restarts_the_receive_stream_and_keeps_sequence(void)
{
    struct ntlm_sign_state st;
    uint8_t key[16], first[18] = {0}, again[18] = {0};
    struct ntlm_rc4 *send_before;

    memset(key, 0x55, sizeof(key));
    CU_ASSERT_EQUAL_FATAL(ntlm_sign_state_init(&st, FLAGS_V2, key, false), 0);
    st.recv.seq = 7;
    send_before = st.send.rc4;
    CU_ASSERT_EQUAL(ntlm_sign_crypt(&st.recv, first, sizeof(first)), 0);
    CU_ASSERT_EQUAL(ntlm_sign_state_reset_rc4(&st, true), 0);
    CU_ASSERT_EQUAL(st.recv.rc4->i, 0);
    CU_ASSERT_EQUAL(st.recv.rc4->j, 0);
    CU_ASSERT_EQUAL(ntlm_sign_crypt(&st.recv, again, sizeof(again)), 0);
    CU_ASSERT_EQUAL(memcmp(first, again, sizeof(first)), 0);
    CU_ASSERT_EQUAL(st.recv.seq, 7);
    CU_ASSERT_PTR_EQUAL(st.send.rc4, send_before);
    ntlm_sign_state_free(&st);
}

static void
test_reset_rc4_of_send_leaves_the_receive_stream_alone(void)
{
    struct ntlm_sign_state st;
    uint8_t key[16], buf[5] = {0};

    memset(key, 0x55, sizeof(key));
    CU_ASSERT_EQUAL_FATAL(ntlm_sign_state_init(&st, FLAGS_V2, key, true), 0);
    CU_ASSERT_EQUAL(ntlm_sign_crypt(&st.send, buf, sizeof(buf)), 0);
    CU_ASSERT_EQUAL(ntlm_sign_crypt(&st.recv, buf, 3), 0);
    CU_ASSERT_EQUAL(ntlm_sign_state_reset_rc4(&st, false), 0);
    /* RC4's index i counts the keystream bytes used (mod 256). */
    CU_ASSERT_EQUAL(st.send.rc4->i, 0);
    CU_ASSERT_EQUAL(st.send.rc4->j, 0);
    CU_ASSERT_EQUAL(st.recv.rc4->i, 3);
    ntlm_sign_state_free(&st);
}

static void
test_reset_rc4_without_ess_restarts_the_shared_stream(void)
{
    struct ntlm_sign_state st;
    uint8_t key[16], data[sizeof(plaintext)];

    memset(key, 0x55, sizeof(key));
    CU_ASSERT_EQUAL_FATAL(ntlm_sign_state_init(&st, FLAGS_V1, key, true), 0);
    memcpy(data, plaintext, sizeof(data));
    CU_ASSERT_EQUAL(ntlm_sign_crypt(&st.send, data, sizeof(data)), 0);
    CU_ASSERT_EQUAL(ntlm_sign_state_reset_rc4(&st, true), 0);
    CU_ASSERT_PTR_EQUAL(st.send.rc4, st.recv.rc4);
    memcpy(data, plaintext, sizeof(data));
    CU_ASSERT_EQUAL(ntlm_sign_crypt(&st.send, data, sizeof(data)), 0);
    CU_ASSERT_TRUE(test_hex_equal(data, sizeof(data), "56fe04d861f9319af0d7238a2e3b4d457fb8"));
    ntlm_sign_state_free(&st);
}

static void
test_state_free_wipes_keys_and_is_safe_on_a_zeroed_state(void)
{
    struct ntlm_sign_state st, zero;
    uint8_t key[16];

    memset(&zero, 0, sizeof(zero));
    memset(&st, 0, sizeof(st));
    ntlm_sign_state_free(&st);
    memset(key, 0x55, sizeof(key));
    CU_ASSERT_EQUAL_FATAL(ntlm_sign_state_init(&st, FLAGS_V2, key, true), 0);
    ntlm_sign_state_free(&st);
    CU_ASSERT_EQUAL(memcmp(&st, &zero, sizeof(st)), 0);
}

static CU_TestInfo tests[] = {
    {"sign key without ESS is all zero", test_sign_key_without_ess_is_all_zero},
    {"client keys with 128-bit ESS match MS-NLMP 4.2.4.4",
     test_client_keys_with_128_bit_ess_match_ms_nlmp_4_2_4_4},
    {"server keys use the server-to-client magic", test_server_keys_use_the_server_to_client_magic},
    {"client keys with 56-bit ESS match MS-NLMP 4.2.3.4",
     test_client_keys_with_56_bit_ess_match_ms_nlmp_4_2_3_4},
    {"seal key with 40-bit ESS hashes five key bytes",
     test_seal_key_with_40_bit_ess_hashes_five_key_bytes},
    {"seal key with LM_KEY and 56-bit appends a0", test_seal_key_with_lm_key_and_56_bit_appends_a0},
    {"seal key with LM_KEY and 40-bit appends e538b0",
     test_seal_key_with_lm_key_and_40_bit_appends_e538b0},
    {"seal key with DATAGRAM is weakened like LM_KEY",
     test_seal_key_with_datagram_is_weakened_like_lm_key},
    {"seal key without ESS or LM_KEY is the exported key",
     test_seal_key_without_ess_or_lm_key_is_the_exported_key},
    {"client wrap without ESS matches MS-NLMP 4.2.2.4",
     test_client_wrap_without_ess_matches_ms_nlmp_4_2_2_4},
    {"client wrap with ESS matches MS-NLMP 4.2.3.4",
     test_client_wrap_with_ess_matches_ms_nlmp_4_2_3_4},
    {"client wrap with ESS and KEY_EXCH matches MS-NLMP 4.2.4.4",
     test_client_wrap_with_ess_and_key_exch_matches_ms_nlmp_4_2_4_4},
    {"server unwraps MS-NLMP 4.2.2.4", test_server_unwraps_ms_nlmp_4_2_2_4},
    {"server unwraps MS-NLMP 4.2.3.4", test_server_unwraps_ms_nlmp_4_2_3_4},
    {"server unwraps MS-NLMP 4.2.4.4", test_server_unwraps_ms_nlmp_4_2_4_4},
    {"state without ESS shares one RC4 between directions",
     test_state_without_ess_shares_one_rc4_between_directions},
    {"state with ESS keys each direction separately",
     test_state_with_ess_keys_each_direction_separately},
    {"signature depends on the sequence number", test_signature_depends_on_the_sequence_number},
    {"reset_rc4 restarts the receive stream and keeps the sequence",
     test_reset_rc4_restarts_the_receive_stream_and_keeps_sequence},
    {"reset_rc4 of send leaves the receive stream alone",
     test_reset_rc4_of_send_leaves_the_receive_stream_alone},
    {"reset_rc4 without ESS restarts the shared stream",
     test_reset_rc4_without_ess_restarts_the_shared_stream},
    {"state free wipes keys and is safe on a zeroed state",
     test_state_free_wipes_keys_and_is_safe_on_a_zeroed_state},
    {"the signing HMAC is keyed on first use and signs as the vector",
     test_signing_hmac_is_keyed_on_first_use_and_signs_as_the_vector},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("ntlm_sign", tests);
}
