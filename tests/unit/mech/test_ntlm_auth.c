/*
 * Tests for mech/core/ntlm_auth.c against the MS-NLMP 4.2 examples (user "User", domain "Domain",
 * password "Password") and independently computed MD5/HMAC values for the MIC and bindings.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_auth.h"
#include "ntlm_errors.h"
#include "ntlm_message.h"
#include "test_util.h"

static const uint8_t server_challenge[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
static const uint8_t client_challenge[8] = {0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa};

static void
test_nt_hash_matches_ms_nlmp_4_2_2(void)
{
    uint8_t out[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash("Password", out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "a4f49c406510bdcab6824ee7c30fd852"));
}

static void
test_nt_hash_encodes_non_bmp_password_as_surrogate_pair(void)
{
    uint8_t out[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash("Pass\xf0\x9d\x84\x9e", out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "0d72dddeddbae5ff244820e072413b90"));
}

static void
test_nt_hash_of_empty_password_is_md4_of_nothing(void)
{
    uint8_t out[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash("", out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "31d6cfe0d16ae931b73c59d7e0c089c0"));
}

static void
test_nt_hash_rejects_invalid_utf8(void)
{
    uint8_t out[16];

    CU_ASSERT_EQUAL(ntlm_nt_hash("Pass\xff", out), NTLM_ERR_BAD_UTF8);
}

static void
test_lm_hash_matches_ms_nlmp_4_2_2(void)
{
    uint8_t out[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_lm_hash("Password", out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "e52cac67419a9a224a3b108f3fa6cb6d"));
}

static void
test_lm_hash_ignores_password_case(void)
{
    uint8_t out[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_lm_hash("pASSWORD", out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "e52cac67419a9a224a3b108f3fa6cb6d"));
}

static void
test_lm_hash_of_empty_password_is_two_empty_halves(void)
{
    uint8_t out[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_lm_hash("", out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "aad3b435b51404eeaad3b435b51404ee"));
}

static void
test_lm_hash_uses_only_the_first_14_characters(void)
{
    uint8_t full[16], truncated[16], shorter[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_lm_hash("ABCDEFGHIJKLMNOPQ", full), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_lm_hash("ABCDEFGHIJKLMN", truncated), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_lm_hash("ABCDEFGHIJKLM", shorter), 0);
    CU_ASSERT_EQUAL(memcmp(full, truncated, 16), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(truncated, shorter, 16), 0);
}

static void
test_lm_hash_rejects_password_outside_oem(void)
{
    uint8_t out[16];

    CU_ASSERT_EQUAL(ntlm_lm_hash("Pass\xf0\x9d\x84\x9e", out), NTLM_ERR_NOT_OEM);
}

static void
test_ntlmv1_response_matches_ms_nlmp_4_2_2(void)
{
    uint8_t nt_hash[16], resp[24];

    test_hex16("a4f49c406510bdcab6824ee7c30fd852", nt_hash);
    CU_ASSERT_EQUAL_FATAL(ntlm_desl(nt_hash, server_challenge, resp), 0);
    CU_ASSERT_TRUE(test_hex_equal(resp, 24, "67c43011f30298a2ad35ece64f16331c44bdbed927841f94"));
}

static void
test_lmv1_response_matches_ms_nlmp_4_2_2(void)
{
    uint8_t lm_hash[16], resp[24];

    test_hex16("e52cac67419a9a224a3b108f3fa6cb6d", lm_hash);
    CU_ASSERT_EQUAL_FATAL(ntlm_desl(lm_hash, server_challenge, resp), 0);
    CU_ASSERT_TRUE(test_hex_equal(resp, 24, "98def7b87f88aa5dafe2df779688a172def11c7d5ccdef13"));
}

static void
test_v1_session_base_key_matches_ms_nlmp_4_2_2(void)
{
    uint8_t nt_hash[16], out[16];

    test_hex16("a4f49c406510bdcab6824ee7c30fd852", nt_hash);
    CU_ASSERT_EQUAL_FATAL(ntlm_v1_session_base_key(nt_hash, out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "d87262b0cde4b1cb7499becccdf10784"));
}

/* Checks the MS-NLMP 4.2.2 KXKEY for flags against kxkey_hex, and the EncryptedSessionKey
 * RC4K(KXKEY, RandomSessionKey) against encrypted_hex. */
static void
check_v1_kxkey(uint32_t flags, const char *kxkey_hex, const char *encrypted_hex)
{
    uint8_t sbk[16], lm_hash[16], kxkey[16], random_key[16], encrypted[16];
    size_t lm_len;
    uint8_t *lm_resp = test_hex("98def7b87f88aa5dafe2df779688a172def11c7d5ccdef13", &lm_len);

    test_hex16("d87262b0cde4b1cb7499becccdf10784", sbk);
    test_hex16("e52cac67419a9a224a3b108f3fa6cb6d", lm_hash);
    memset(random_key, 0x55, sizeof(random_key));
    CU_ASSERT_EQUAL_FATAL(ntlm_v1_kxkey(flags, sbk, lm_resp, lm_hash, server_challenge, kxkey), 0);
    CU_ASSERT_TRUE(test_hex_equal(kxkey, 16, kxkey_hex));
    CU_ASSERT_EQUAL_FATAL(ntlm_rc4k(kxkey, 16, random_key, encrypted, 16), 0);
    CU_ASSERT_TRUE(test_hex_equal(encrypted, 16, encrypted_hex));
    free(lm_resp);
}

static void
test_v1_kxkey_without_key_flags_is_the_session_base_key(void)
{
    check_v1_kxkey(0xe2028233u, "d87262b0cde4b1cb7499becccdf10784",
                   "518822b1b3f350c8958682ecbb3e3cb7");
}

static void
test_v1_kxkey_with_lm_key_matches_ms_nlmp_4_2_2(void)
{
    check_v1_kxkey(0xe2028233u | NTLMSSP_NEGOTIATE_LM_KEY, "b09e379f7fbecb1eaf0afdcb0383c8a0",
                   "4cd7bb57d697ef9b549f02b8f9b37864");
}

static void
test_v1_kxkey_with_non_nt_session_key_matches_ms_nlmp_4_2_2(void)
{
    check_v1_kxkey(0xe2028233u | NTLMSSP_REQUEST_NON_NT_SESSION_KEY,
                   "e52cac67419a9a22 0000000000000000", "7452ca55c225a1ca04b48fae32cf56fc");
}

static void
test_v1_kxkey_prefers_lm_key_over_non_nt_session_key(void)
{
    check_v1_kxkey(0xe2028233u | NTLMSSP_NEGOTIATE_LM_KEY | NTLMSSP_REQUEST_NON_NT_SESSION_KEY,
                   "b09e379f7fbecb1eaf0afdcb0383c8a0", "4cd7bb57d697ef9b549f02b8f9b37864");
}

static void
test_v1_kxkey_with_ess_matches_ms_nlmp_4_2_3(void)
{
    /* With ESS the LM response field is ClientChallenge || Z(16); LM_KEY is then ignored. */
    uint8_t sbk[16], lm_hash[16] = {0}, lm_resp[24] = {0}, kxkey[16];

    test_hex16("d87262b0cde4b1cb7499becccdf10784", sbk);
    memcpy(lm_resp, client_challenge, 8);
    CU_ASSERT_EQUAL_FATAL(
        ntlm_v1_kxkey(NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_LM_KEY, sbk,
                      lm_resp, lm_hash, server_challenge, kxkey),
        0);
    CU_ASSERT_TRUE(test_hex_equal(kxkey, 16, "eb93429a8bd952f8b89c55b87f475edc"));
}

static void
test_v1_ess_challenge_is_md5_of_both_challenges_truncated(void)
{
    uint8_t out[8];

    /* printf '\x01\x23\x45\x67\x89\xab\xcd\xef\xaa...' | md5sum: 5af2559e6bcb5c25... */
    CU_ASSERT_EQUAL_FATAL(ntlm_v1_ess_challenge(server_challenge, client_challenge, out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 8, "5af2559e6bcb5c25"));
}

static void
test_ntowfv2_matches_ms_nlmp_4_2_4(void)
{
    uint8_t nt_hash[16], out[16];

    test_hex16("a4f49c406510bdcab6824ee7c30fd852", nt_hash);
    CU_ASSERT_EQUAL_FATAL(ntlm_ntowfv2(nt_hash, "User", "Domain", out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "0c868a403bfd7a93a3001ef22ef02e3f"));
}

static void
test_ntowfv2_upper_cases_the_user_but_not_the_domain(void)
{
    uint8_t nt_hash[16], out[16];

    test_hex16("a4f49c406510bdcab6824ee7c30fd852", nt_hash);
    CU_ASSERT_EQUAL_FATAL(ntlm_ntowfv2(nt_hash, "uSeR", "Domain", out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "0c868a403bfd7a93a3001ef22ef02e3f"));
    CU_ASSERT_EQUAL_FATAL(ntlm_ntowfv2(nt_hash, "User", "DOMAIN", out), 0);
    CU_ASSERT_FALSE(test_hex_equal(out, 16, "0c868a403bfd7a93a3001ef22ef02e3f"));
}

static void
test_lmv2_response_matches_ms_nlmp_4_2_4(void)
{
    uint8_t ntowfv2[16], out[24];

    test_hex16("0c868a403bfd7a93a3001ef22ef02e3f", ntowfv2);
    CU_ASSERT_EQUAL_FATAL(ntlm_v2_lm_response(ntowfv2, server_challenge, client_challenge, out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 24, "86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa"));
}

/* The 4.2.4 NTLMv2 client blob: header, zero time, client challenge, target info. */
static const char v2_blob_hex[] = "0101000000000000"
                                  "0000000000000000"
                                  "aaaaaaaaaaaaaaaa"
                                  "00000000"
                                  "02000c0044006f006d00610069006e00"
                                  "01000c00530065007200760065007200"
                                  "00000000"
                                  "00000000";

static void
test_nt_proof_str_matches_ms_nlmp_4_2_4(void)
{
    uint8_t ntowfv2[16], proof[16];
    size_t blob_len;
    uint8_t *blob = test_hex(v2_blob_hex, &blob_len);

    CU_ASSERT_EQUAL(blob_len, 84 - 16);
    test_hex16("0c868a403bfd7a93a3001ef22ef02e3f", ntowfv2);
    CU_ASSERT_EQUAL_FATAL(ntlm_v2_nt_proof(ntowfv2, server_challenge, blob, blob_len, proof), 0);
    CU_ASSERT_TRUE(test_hex_equal(proof, 16, "68cd0ab851e51c96aabc927bebef6a1c"));
    free(blob);
}

static void
test_v2_session_base_key_and_encrypted_key_match_ms_nlmp_4_2_4(void)
{
    uint8_t ntowfv2[16], proof[16], sbk[16], random_key[16], encrypted[16];

    test_hex16("0c868a403bfd7a93a3001ef22ef02e3f", ntowfv2);
    test_hex16("68cd0ab851e51c96aabc927bebef6a1c", proof);
    memset(random_key, 0x55, sizeof(random_key));
    CU_ASSERT_EQUAL_FATAL(ntlm_v2_session_base_key(ntowfv2, proof, sbk), 0);
    CU_ASSERT_TRUE(test_hex_equal(sbk, 16, "8de40ccadbc14a82f15cb0ad0de95ca3"));
    CU_ASSERT_EQUAL_FATAL(ntlm_rc4k(sbk, 16, random_key, encrypted, 16), 0);
    CU_ASSERT_TRUE(test_hex_equal(encrypted, 16, "c5dad2544fc9799094ce1ce90bc9d03e"));
}

static void
test_proof_and_base_key_in_one_step_match_ms_nlmp_4_2_4(void)
{
    uint8_t ntowfv2[16], proof[16], sbk[16];
    size_t blob_len;
    uint8_t *blob = test_hex(v2_blob_hex, &blob_len);

    test_hex16("0c868a403bfd7a93a3001ef22ef02e3f", ntowfv2);
    CU_ASSERT_EQUAL_FATAL(
        ntlm_v2_proof_and_base_key(ntowfv2, server_challenge, blob, blob_len, proof, sbk), 0);
    CU_ASSERT_TRUE(test_hex_equal(proof, 16, "68cd0ab851e51c96aabc927bebef6a1c"));
    CU_ASSERT_TRUE(test_hex_equal(sbk, 16, "8de40ccadbc14a82f15cb0ad0de95ca3"));
    free(blob);
}

static void
test_mic_is_hmac_md5_over_the_three_messages(void)
{
    const struct ntlm_iov msgs[3] = {{"NEGOTIATE", 9}, {"CHALLENGE", 9}, {"AUTHENTICATE", 12}};
    uint8_t key[16], mic[16];

    /* printf NEGOTIATECHALLENGEAUTHENTICATE | openssl dgst -md5 -mac HMAC -macopt hexkey:55.. */
    memset(key, 0x55, sizeof(key));
    CU_ASSERT_EQUAL_FATAL(ntlm_mic(key, msgs, mic), 0);
    CU_ASSERT_TRUE(test_hex_equal(mic, 16, "f7e6e974cbd2fb3bdf4af77133901de0"));
}

static void
test_channel_bindings_hash_of_empty_bindings_is_md5_of_20_zero_bytes(void)
{
    const uint8_t zero[16] = {0};
    uint8_t out[16];

    /* head -c 20 /dev/zero | md5sum */
    CU_ASSERT_EQUAL_FATAL(ntlm_channel_bindings_hash(0, NULL, 0, 0, NULL, 0, NULL, 0, out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "441018525208457705bf09a8ee3c1093"));
    CU_ASSERT_NOT_EQUAL(memcmp(out, zero, 16), 0);
}

static void
test_channel_bindings_hash_covers_addresses_and_application_data(void)
{
    const uint8_t init_addr[4] = {127, 0, 0, 1}, acc_addr[4] = {127, 0, 0, 2};
    const char app[] = "tls-server-end-point:abc";
    uint8_t out[16];

    /* printf '\x02\0\0\0\x04\0\0\0\x7f\0\0\x01\x02\0\0\0\x04\0\0\0\x7f\0\0\x02\x18\0\0\0'
     * 'tls-server-end-point:abc' | md5sum */
    CU_ASSERT_EQUAL_FATAL(
        ntlm_channel_bindings_hash(2, init_addr, 4, 2, acc_addr, 4, app, strlen(app), out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "3f8cd68338463935fb9197362eaa3616"));
}

static void
test_channel_bindings_hash_of_application_data_only(void)
{
    const char app[] = "tls-server-end-point:abc";
    uint8_t out[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_channel_bindings_hash(0, NULL, 0, 0, NULL, 0, app, strlen(app), out),
                          0);
    CU_ASSERT_TRUE(test_hex_equal(out, 16, "feb0fffbc725957540b287e8c838dfd9"));
}

static CU_TestInfo tests[] = {
    {"NT hash matches MS-NLMP 4.2.2", test_nt_hash_matches_ms_nlmp_4_2_2},
    {"NT hash encodes a non-BMP password as a surrogate pair",
     test_nt_hash_encodes_non_bmp_password_as_surrogate_pair},
    {"NT hash of the empty password is MD4 of nothing",
     test_nt_hash_of_empty_password_is_md4_of_nothing},
    {"NT hash rejects invalid UTF-8", test_nt_hash_rejects_invalid_utf8},
    {"LM hash matches MS-NLMP 4.2.2", test_lm_hash_matches_ms_nlmp_4_2_2},
    {"LM hash ignores password case", test_lm_hash_ignores_password_case},
    {"LM hash of the empty password is two empty halves",
     test_lm_hash_of_empty_password_is_two_empty_halves},
    {"LM hash uses only the first 14 characters", test_lm_hash_uses_only_the_first_14_characters},
    {"LM hash rejects a password outside OEM", test_lm_hash_rejects_password_outside_oem},
    {"NTLMv1 response matches MS-NLMP 4.2.2", test_ntlmv1_response_matches_ms_nlmp_4_2_2},
    {"LMv1 response matches MS-NLMP 4.2.2", test_lmv1_response_matches_ms_nlmp_4_2_2},
    {"v1 session base key matches MS-NLMP 4.2.2", test_v1_session_base_key_matches_ms_nlmp_4_2_2},
    {"v1 KXKEY without key flags is the session base key",
     test_v1_kxkey_without_key_flags_is_the_session_base_key},
    {"v1 KXKEY with LM_KEY matches MS-NLMP 4.2.2", test_v1_kxkey_with_lm_key_matches_ms_nlmp_4_2_2},
    {"v1 KXKEY with NON_NT_SESSION_KEY matches MS-NLMP 4.2.2",
     test_v1_kxkey_with_non_nt_session_key_matches_ms_nlmp_4_2_2},
    {"v1 KXKEY prefers LM_KEY over NON_NT_SESSION_KEY",
     test_v1_kxkey_prefers_lm_key_over_non_nt_session_key},
    {"v1 KXKEY with ESS matches MS-NLMP 4.2.3", test_v1_kxkey_with_ess_matches_ms_nlmp_4_2_3},
    {"v1 ESS challenge is MD5 of both challenges truncated",
     test_v1_ess_challenge_is_md5_of_both_challenges_truncated},
    {"NTOWFv2 matches MS-NLMP 4.2.4", test_ntowfv2_matches_ms_nlmp_4_2_4},
    {"NTOWFv2 upper-cases the user but not the domain",
     test_ntowfv2_upper_cases_the_user_but_not_the_domain},
    {"LMv2 response matches MS-NLMP 4.2.4", test_lmv2_response_matches_ms_nlmp_4_2_4},
    {"NTProofStr matches MS-NLMP 4.2.4", test_nt_proof_str_matches_ms_nlmp_4_2_4},
    {"v2 session base key and encrypted key match MS-NLMP 4.2.4",
     test_v2_session_base_key_and_encrypted_key_match_ms_nlmp_4_2_4},
    {"proof and base key in one step match MS-NLMP 4.2.4",
     test_proof_and_base_key_in_one_step_match_ms_nlmp_4_2_4},
    {"MIC is HMAC-MD5 over the three messages", test_mic_is_hmac_md5_over_the_three_messages},
    {"channel-bindings hash of empty bindings is MD5 of 20 zero bytes",
     test_channel_bindings_hash_of_empty_bindings_is_md5_of_20_zero_bytes},
    {"channel-bindings hash covers addresses and application data",
     test_channel_bindings_hash_covers_addresses_and_application_data},
    {"channel-bindings hash of application data only",
     test_channel_bindings_hash_of_application_data_only},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("ntlm_auth", tests);
}
