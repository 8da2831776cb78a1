/*
 * Tests of the NTLMSSP message codec (mech/core/ntlm_message.c): the MS-NLMP 4.2 example
 * messages, real-world message shapes (curl, legacy NEGOTIATE, Linux cifs), who owns what
 * (decoded messages own, encoders borrow), the MIC input, and a table of bad tokens. AV pairs
 * and the NTLMv2 blob are in test_ntlm_av.c, text conversions in test_ntlm_unicode.c.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_endian.h"
#include "ntlm_errors.h"
#include "ntlm_message.h"
#include "ntlm_vectors.h"
#include "test_util.h"

/* curl's NEGOTIATE: TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA= */
#define NEGOTIATE_CURL "4e544c4d53535000010000000682080000000000000000000000000000000000"
#define NEGOTIATE_LEGACY "4e544c4d535350000100000007820000"
/* Heimdal 7.8's NEGOTIATE (its GSS NTLM initiator, target HTTP@www.testdom.test): the domain
 * field says 14 bytes at offset 24, inside the header; "TESTDOM" in UTF-16 really sits at 32. */
#define NEGOTIATE_HEIMDAL                                                                          \
    "4e544c4d5353500001000000311208400e000e0018000000"                                             \
    "0000000000000000540045005300540044004f004d00"

static bool
bytes_equal_hex(const uint8_t *got, size_t got_len, const char *hex)
{
    size_t len;
    uint8_t *want = test_hex(hex, &len);
    bool equal = got_len == len && (len == 0 || (got != NULL && memcmp(got, want, len) == 0));

    free(want);
    return equal;
}

static bool
version_is(const struct ntlm_version *v, uint8_t major, uint8_t minor, uint16_t build,
           uint8_t revision)
{
    return v->major == major && v->minor == minor && v->build == build && v->revision == revision;
}

/* ---- the MS-NLMP example messages ---- */

/* The names, responses and session key of the 4.2.4 AUTHENTICATE. */
static void
assert_v2_vector_payload(const struct ntlm_authenticate *m)
{
    CU_ASSERT_STRING_EQUAL(m->domain, "Domain");
    CU_ASSERT_STRING_EQUAL(m->user, "User");
    CU_ASSERT_STRING_EQUAL(m->workstation, "COMPUTER");
    CU_ASSERT_TRUE(bytes_equal_hex(m->lm_response, m->lm_response_len,
                                   "86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa"));
    CU_ASSERT_TRUE(bytes_equal_hex(m->nt_response, m->nt_response_len, NT_RESPONSE_V2));
    CU_ASSERT_TRUE(
        bytes_equal_hex(m->session_key, m->session_key_len, "c5dad2544fc9799094ce1ce90bc9d03e"));
}

static void
test_decodes_ntlmv1_challenge_vector(void)
{
    struct ntlm_challenge m;
    size_t len;
    uint8_t *msg = test_hex(CHALLENGE_V1, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_challenge_decode(msg, len, &m), 0);
    CU_ASSERT_EQUAL(m.flags, 0xe2028233u);
    CU_ASSERT_STRING_EQUAL(m.target_name, "Server");
    CU_ASSERT_TRUE(bytes_equal_hex(m.server_challenge, 8, "0123456789abcdef"));
    CU_ASSERT_PTR_NULL(m.target_info);
    CU_ASSERT_EQUAL(m.target_info_len, 0);
    CU_ASSERT_TRUE(m.has_version);
    CU_ASSERT_TRUE(version_is(&m.version, 6, 0, 6000, 15));
    ntlm_challenge_free(&m);
    free(msg);
}

static void
test_decodes_ntlmv2_challenge_vector(void)
{
    struct ntlm_challenge m;
    size_t len;
    uint8_t *msg = test_hex(CHALLENGE_V2, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_challenge_decode(msg, len, &m), 0);
    CU_ASSERT_EQUAL(m.flags, 0xe28a8233u);
    CU_ASSERT_STRING_EQUAL(m.target_name, "Server");
    CU_ASSERT_TRUE(bytes_equal_hex(m.server_challenge, 8, "0123456789abcdef"));
    CU_ASSERT_TRUE(bytes_equal_hex(m.target_info, m.target_info_len, TARGET_INFO_V2));
    CU_ASSERT_TRUE(m.has_version);
    CU_ASSERT_TRUE(version_is(&m.version, 6, 0, 6000, 15));
    ntlm_challenge_free(&m);
    free(msg);
}

static void
test_decodes_ntlmv1_authenticate_vector(void)
{
    struct ntlm_authenticate m;
    size_t len;
    uint8_t *msg = test_hex(AUTHENTICATE_V1, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(msg, len, &m), 0);
    CU_ASSERT_EQUAL(m.flags, 0xe2808235u);
    CU_ASSERT_STRING_EQUAL(m.domain, "Domain");
    CU_ASSERT_STRING_EQUAL(m.user, "User");
    CU_ASSERT_STRING_EQUAL(m.workstation, "COMPUTER");
    CU_ASSERT_TRUE(bytes_equal_hex(m.lm_response, m.lm_response_len,
                                   "98def7b87f88aa5dafe2df779688a172def11c7d5ccdef13"));
    CU_ASSERT_TRUE(bytes_equal_hex(m.nt_response, m.nt_response_len,
                                   "67c43011f30298a2ad35ece64f16331c44bdbed927841f94"));
    CU_ASSERT_TRUE(
        bytes_equal_hex(m.session_key, m.session_key_len, "518822b1b3f350c8958682ecbb3e3cb7"));
    CU_ASSERT_TRUE(m.has_version);
    CU_ASSERT_TRUE(version_is(&m.version, 5, 1, 2600, 15));
    CU_ASSERT_FALSE(m.has_mic_space);
    CU_ASSERT_TRUE(test_all_zero(m.mic, sizeof(m.mic)));
    ntlm_authenticate_free(&m);
    free(msg);
}

static void
test_decodes_ntlmv2_authenticate_vector(void)
{
    struct ntlm_authenticate m;
    size_t len;
    uint8_t *msg = test_hex(AUTHENTICATE_V2, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(msg, len, &m), 0);
    CU_ASSERT_EQUAL(m.flags, 0xe2888235u);
    assert_v2_vector_payload(&m);
    CU_ASSERT_TRUE(m.has_version);
    CU_ASSERT_TRUE(version_is(&m.version, 5, 1, 2600, 15));
    CU_ASSERT_FALSE(m.has_mic_space);
    ntlm_authenticate_free(&m);
    free(msg);
}

static void
assert_challenge_reencodes(const char *hex)
{
    struct ntlm_challenge m;
    struct ntlm_challenge_fields fields;
    struct ntlm_buf out = NTLM_BUF_INIT;
    size_t len;
    uint8_t *msg = test_hex(hex, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_challenge_decode(msg, len, &m), 0);
    fields = ntlm_challenge_fields_of(&m);
    CU_ASSERT_EQUAL(ntlm_challenge_encode(&fields, &out), 0);
    CU_ASSERT_TRUE(bytes_equal_hex(out.data, out.len, hex));
    ntlm_buf_free(&out);
    ntlm_challenge_free(&m);
    free(msg);
}

static void
test_challenge_vectors_reencode_byte_for_byte(void)
{
    assert_challenge_reencodes(CHALLENGE_V1);
    assert_challenge_reencodes(CHALLENGE_V2);
}

static void
assert_authenticate_reencodes(const char *hex)
{
    struct ntlm_authenticate m;
    struct ntlm_authenticate_fields fields;
    struct ntlm_buf out = NTLM_BUF_INIT;
    size_t len;
    uint8_t *msg = test_hex(hex, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(msg, len, &m), 0);
    fields = ntlm_authenticate_fields_of(&m);
    CU_ASSERT_EQUAL(ntlm_authenticate_encode(&fields, false, &out, NULL), 0);
    CU_ASSERT_TRUE(bytes_equal_hex(out.data, out.len, hex));
    ntlm_buf_free(&out);
    ntlm_authenticate_free(&m);
    free(msg);
}

static void
test_authenticate_vectors_reencode_byte_for_byte(void)
{
    assert_authenticate_reencodes(AUTHENTICATE_V1);
    assert_authenticate_reencodes(AUTHENTICATE_V2);
}

static void
test_authenticate_encoder_builds_vector_from_fields(void)
{
    struct ntlm_authenticate_fields m = {0};
    struct ntlm_buf out = NTLM_BUF_INIT;
    size_t lm_len, nt_len, key_len;
    uint8_t *lm = test_hex("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa", &lm_len);
    uint8_t *nt = test_hex(NT_RESPONSE_V2, &nt_len);
    uint8_t *key = test_hex("c5dad2544fc9799094ce1ce90bc9d03e", &key_len);

    m.flags = 0xe2888235u;
    m.domain = "Domain";
    m.user = "User";
    m.workstation = "COMPUTER";
    m.lm_response = lm;
    m.lm_response_len = lm_len;
    m.nt_response = nt;
    m.nt_response_len = nt_len;
    m.session_key = key;
    m.session_key_len = key_len;
    m.has_version = true;
    m.version = (struct ntlm_version){5, 1, 2600, 15};
    CU_ASSERT_EQUAL(ntlm_authenticate_encode(&m, false, &out, NULL), 0);
    CU_ASSERT_TRUE(bytes_equal_hex(out.data, out.len, AUTHENTICATE_V2));
    /* Borrowed: still the caller's, untouched (and string literals, which no one may free). */
    CU_ASSERT_TRUE(bytes_equal_hex(lm, lm_len, "86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa"));
    CU_ASSERT_TRUE(bytes_equal_hex(nt, nt_len, NT_RESPONSE_V2));
    CU_ASSERT_STRING_EQUAL(m.user, "User");
    ntlm_buf_free(&out);
    free(lm);
    free(nt);
    free(key);
}

/* ---- NEGOTIATE ---- */

static void
test_negotiate_round_trips_with_version_domain_and_workstation(void)
{
    struct ntlm_negotiate_fields in = {0};
    struct ntlm_negotiate m;
    struct ntlm_buf out = NTLM_BUF_INIT;

    in.flags = 0xe2088297u | NTLMSSP_NEGOTIATE_VERSION;
    in.domain = "DOM\xc3\xa9";
    in.workstation = "WS1";
    in.has_version = true;
    in.version = (struct ntlm_version){10, 0, 19041, 15};
    CU_ASSERT_EQUAL_FATAL(ntlm_negotiate_encode(&in, &out), 0);
    /* 40-byte header, then "DOM\xe9" in OEM and "WS1". */
    CU_ASSERT_TRUE(bytes_equal_hex(out.data, out.len,
                                   "4e544c4d5353500001000000 97b208e2"
                                   "04000400 28000000 03000300 2c000000"
                                   "0a00614a0000000f 444f4de9 575331"));
    CU_ASSERT_EQUAL_FATAL(ntlm_negotiate_decode(out.data, out.len, &m), 0);
    CU_ASSERT_EQUAL(m.flags, in.flags | NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED |
                                 NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED);
    CU_ASSERT_STRING_EQUAL(m.domain, "DOM\xc3\xa9");
    CU_ASSERT_STRING_EQUAL(m.workstation, "WS1");
    CU_ASSERT_TRUE(m.has_version);
    CU_ASSERT_TRUE(version_is(&m.version, 10, 0, 19041, 15));
    ntlm_negotiate_free(&m);
    ntlm_buf_free(&out);
}

static void
test_negotiate_encoder_clears_supplied_flags_without_strings(void)
{
    struct ntlm_negotiate_fields in = {0};
    struct ntlm_negotiate m;
    struct ntlm_buf out = NTLM_BUF_INIT;

    in.flags = NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED |
               NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED;
    in.domain = "";
    CU_ASSERT_EQUAL_FATAL(ntlm_negotiate_encode(&in, &out), 0);
    CU_ASSERT_TRUE(bytes_equal_hex(out.data, out.len,
                                   "4e544c4d5353500001000000 01000000"
                                   "0000000000000000 0000000000000000 0000000000000000"));
    CU_ASSERT_EQUAL_FATAL(ntlm_negotiate_decode(out.data, out.len, &m), 0);
    CU_ASSERT_EQUAL(m.flags, NTLMSSP_NEGOTIATE_UNICODE);
    CU_ASSERT_PTR_NULL(m.domain);
    CU_ASSERT_PTR_NULL(m.workstation);
    CU_ASSERT_FALSE(m.has_version);
    ntlm_negotiate_free(&m);
    ntlm_buf_free(&out);
}

static void
test_accepts_curls_32_byte_negotiate(void)
{
    struct ntlm_negotiate m;
    size_t len;
    uint8_t *msg = test_hex(NEGOTIATE_CURL, &len);

    CU_ASSERT_EQUAL(len, 32);
    CU_ASSERT_EQUAL_FATAL(ntlm_negotiate_decode(msg, len, &m), 0);
    CU_ASSERT_EQUAL(m.flags, 0x00088206u);
    CU_ASSERT_PTR_NULL(m.domain);
    CU_ASSERT_PTR_NULL(m.workstation);
    CU_ASSERT_FALSE(m.has_version);
    ntlm_negotiate_free(&m);
    free(msg);
}

static void
test_accepts_legacy_16_byte_negotiate(void)
{
    struct ntlm_negotiate m;
    size_t len;
    uint8_t *msg = test_hex(NEGOTIATE_LEGACY, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_negotiate_decode(msg, len, &m), 0);
    CU_ASSERT_EQUAL(m.flags, 0x00008207u);
    CU_ASSERT_PTR_NULL(m.domain);
    CU_ASSERT_PTR_NULL(m.workstation);
    CU_ASSERT_FALSE(m.has_version);
    ntlm_negotiate_free(&m);
    free(msg);
}

static void
test_negotiate_version_flag_without_room_means_no_version(void)
{
    struct ntlm_negotiate m;
    size_t len;
    /* VERSION flag set, but the domain starts at 32 where a version would be. */
    uint8_t *msg = test_hex("4e544c4d5353500001000000 07120002"
                            "0c000c00 20000000 00000000 00000000"
                            "4558414d504c45444f4d4149",
                            &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_negotiate_decode(msg, len, &m), 0);
    CU_ASSERT_FALSE(m.has_version);
    CU_ASSERT_STRING_EQUAL(m.domain, "EXAMPLEDOMAI");
    CU_ASSERT_PTR_NULL(m.workstation);
    ntlm_negotiate_free(&m);
    free(msg);
}

static void
test_negotiate_fields_are_taken_whatever_the_supplied_flags_say(void)
{
    struct ntlm_negotiate m;
    size_t len;
    /* Both SUPPLIED flags set with empty fields; a workstation sent without its flag. */
    uint8_t *msg = test_hex("4e544c4d5353500001000000 07320000"
                            "00000000 00000000 00000000 00000000",
                            &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_negotiate_decode(msg, len, &m), 0);
    CU_ASSERT_PTR_NULL(m.domain);
    CU_ASSERT_PTR_NULL(m.workstation);
    ntlm_negotiate_free(&m);
    free(msg);
    msg = test_hex("4e544c4d5353500001000000 07020000"
                   "00000000 00000000 02000200 20000000 5753",
                   &len);
    CU_ASSERT_EQUAL_FATAL(ntlm_negotiate_decode(msg, len, &m), 0);
    CU_ASSERT_PTR_NULL(m.domain);
    CU_ASSERT_STRING_EQUAL(m.workstation, "WS");
    ntlm_negotiate_free(&m);
    free(msg);
}

/* ---- CHALLENGE and AUTHENTICATE shapes ---- */

static void
test_challenge_target_name_is_oem_without_unicode_flag(void)
{
    struct ntlm_challenge_fields in = {0};
    struct ntlm_challenge m;
    struct ntlm_buf out = NTLM_BUF_INIT;

    in.flags = NTLMSSP_NEGOTIATE_OEM | NTLMSSP_REQUEST_TARGET;
    in.target_name = "SERVER";
    memcpy(in.server_challenge, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    CU_ASSERT_EQUAL_FATAL(ntlm_challenge_encode(&in, &out), 0);
    CU_ASSERT_TRUE(bytes_equal_hex(out.data, out.len,
                                   "4e544c4d5353500002000000 06000600 30000000 06000000"
                                   "0102030405060708 0000000000000000 0000000000000000"
                                   "534552564552"));
    CU_ASSERT_EQUAL_FATAL(ntlm_challenge_decode(out.data, out.len, &m), 0);
    CU_ASSERT_STRING_EQUAL(m.target_name, "SERVER");
    CU_ASSERT_FALSE(m.has_version);
    ntlm_challenge_free(&m);
    ntlm_buf_free(&out);
}

/* The 4.2.4 AUTHENTICATE as Linux cifs sends it: VERSION flag set, no version, payload at 64. */
static uint8_t *
cifs_shaped_authenticate(size_t *len)
{
    size_t v2_len, i;
    uint8_t *v2 = test_hex(AUTHENTICATE_V2, &v2_len);
    uint8_t *msg = malloc(v2_len - 8);

    CU_ASSERT_FATAL(msg != NULL);
    memcpy(msg, v2, 64);
    memcpy(msg + 64, v2 + 72, v2_len - 72);
    for (i = 0; i < 6; i++)
        msg[12 + 8 * i + 4] -= 8; /* every offset is below 256 and at least 72 */
    free(v2);
    *len = v2_len - 8;
    return msg;
}

static void
test_accepts_kernel_cifs_authenticate_without_version(void)
{
    struct ntlm_authenticate m;
    size_t len;
    uint8_t *msg = cifs_shaped_authenticate(&len);

    CU_ASSERT_TRUE(msg[63] & NTLMSSP_NEGOTIATE_VERSION >> 24);
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(msg, len, &m), 0);
    CU_ASSERT_FALSE(m.has_version);
    CU_ASSERT_FALSE(m.has_mic_space);
    CU_ASSERT_EQUAL(m.flags, 0xe2888235u);
    assert_v2_vector_payload(&m);
    ntlm_authenticate_free(&m);
    free(msg);
}

static void
test_authenticate_version_follows_layout_not_flag(void)
{
    struct ntlm_authenticate m;
    size_t len;
    uint8_t *msg = test_hex(AUTHENTICATE_V2, &len);

    msg[63] &= (uint8_t) ~(NTLMSSP_NEGOTIATE_VERSION >> 24);
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(msg, len, &m), 0);
    CU_ASSERT_TRUE(m.has_version);
    CU_ASSERT_TRUE(version_is(&m.version, 5, 1, 2600, 15));
    ntlm_authenticate_free(&m);
    free(msg);
}

static void
test_authenticate_with_mic_reserves_and_returns_mic(void)
{
    struct ntlm_authenticate in, m;
    struct ntlm_authenticate_fields fields;
    struct ntlm_buf out = NTLM_BUF_INIT;
    size_t len, mic_offset = 0;
    uint8_t *msg = test_hex(AUTHENTICATE_V2, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(msg, len, &in), 0);
    fields = ntlm_authenticate_fields_of(&in);
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_encode(&fields, true, &out, &mic_offset), 0);
    CU_ASSERT_EQUAL(out.len, len + 16);
    /* MS-NLMP 2.2.1.3: the MIC follows the 64-byte header and the 8-byte version. */
    CU_ASSERT_EQUAL(mic_offset, 72);
    CU_ASSERT_TRUE(test_all_zero(out.data + mic_offset, 16));
    /* The domain, first in the payload, now starts after the MIC. */
    CU_ASSERT_EQUAL(out.data[32], 88);
    memset(out.data + mic_offset, 0x5c, 16);
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(out.data, out.len, &m), 0);
    CU_ASSERT_TRUE(m.has_version);
    CU_ASSERT_TRUE(m.has_mic_space);
    CU_ASSERT_EQUAL(m.mic_offset, 72);
    CU_ASSERT_EQUAL(m.mic[0], 0x5c);
    CU_ASSERT_EQUAL(m.mic[15], 0x5c);
    CU_ASSERT_STRING_EQUAL(m.user, "User");
    CU_ASSERT_TRUE(bytes_equal_hex(m.nt_response, m.nt_response_len, NT_RESPONSE_V2));
    ntlm_authenticate_free(&m);
    ntlm_authenticate_free(&in);
    ntlm_buf_free(&out);
    free(msg);
}

static void
test_anonymous_authenticate_decodes_empty_names_to_empty_strings(void)
{
    struct ntlm_authenticate_fields in = {0};
    struct ntlm_authenticate m;
    struct ntlm_buf out = NTLM_BUF_INIT;
    uint8_t lm = 0;

    in.flags = NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_ANONYMOUS;
    in.lm_response = &lm;
    in.lm_response_len = 1;
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_encode(&in, false, &out, NULL), 0);
    /* Empty fields point where their payload would be: here all at 72, LM's byte at 72. */
    CU_ASSERT_TRUE(bytes_equal_hex(out.data, out.len,
                                   "4e544c4d5353500003000000 01000100 48000000"
                                   "00000000 49000000 00000000 48000000 00000000 48000000"
                                   "00000000 48000000 00000000 49000000 01080000"
                                   "0000000000000000 00"));
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(out.data, out.len, &m), 0);
    CU_ASSERT_STRING_EQUAL(m.domain, "");
    CU_ASSERT_STRING_EQUAL(m.user, "");
    CU_ASSERT_STRING_EQUAL(m.workstation, "");
    CU_ASSERT_EQUAL(m.lm_response_len, 1);
    CU_ASSERT_PTR_NULL(m.nt_response);
    CU_ASSERT_PTR_NULL(m.session_key);
    CU_ASSERT_TRUE(m.has_version);
    ntlm_authenticate_free(&m);
    ntlm_buf_free(&out);
}

static void
test_authenticate_strings_are_oem_without_unicode_flag(void)
{
    struct ntlm_authenticate_fields in = {0};
    struct ntlm_authenticate m;
    struct ntlm_buf out = NTLM_BUF_INIT;

    in.flags = NTLMSSP_NEGOTIATE_OEM;
    in.domain = "D";
    in.user = "J\xc3\xbcrgen";
    in.workstation = "W";
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_encode(&in, false, &out, NULL), 0);
    CU_ASSERT_EQUAL(out.len, 72 + 1 + 6 + 1);
    CU_ASSERT_EQUAL(out.data[74], 0xfc);
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(out.data, out.len, &m), 0);
    CU_ASSERT_STRING_EQUAL(m.user, "J\xc3\xbcrgen");
    CU_ASSERT_STRING_EQUAL(m.domain, "D");
    ntlm_authenticate_free(&m);
    ntlm_buf_free(&out);
}

static void
test_accepts_token_of_exactly_the_maximum_size(void)
{
    struct ntlm_authenticate m;
    size_t len;
    uint8_t *v2 = test_hex(AUTHENTICATE_V2, &len);
    uint8_t *msg = calloc(1, NTLM_MAX_TOKEN);

    CU_ASSERT_FATAL(msg != NULL);
    memcpy(msg, v2, len);
    CU_ASSERT_EQUAL(ntlm_authenticate_decode(msg, NTLM_MAX_TOKEN, &m), 0);
    ntlm_authenticate_free(&m);
    free(msg);
    free(v2);
}

static void
test_message_type_reports_each_type(void)
{
    const char *hex[] = {NEGOTIATE_CURL, CHALLENGE_V2, AUTHENTICATE_V2};
    uint32_t i, type;

    for (i = 0; i < 3; i++) {
        size_t len;
        uint8_t *msg = test_hex(hex[i], &len);

        type = 0;
        CU_ASSERT_EQUAL(ntlm_message_type(msg, len, &type), 0);
        CU_ASSERT_EQUAL(type, i + 1);
        free(msg);
    }
}

/* ---- encoders ---- */

static void
test_encoders_reject_unencodable_strings_and_leave_output_alone(void)
{
    struct ntlm_negotiate_fields neg = {0};
    struct ntlm_authenticate_fields auth = {0};
    struct ntlm_challenge_fields chal = {0};
    struct ntlm_buf out = NTLM_BUF_INIT;
    size_t mic_offset = 99;

    neg.domain = "\xe2\x82\xac"; /* the euro sign has no ISO-8859-1 form */
    CU_ASSERT_EQUAL(ntlm_negotiate_encode(&neg, &out), NTLM_ERR_NOT_OEM);
    auth.flags = NTLMSSP_NEGOTIATE_UNICODE;
    auth.user = "bad\xff";
    CU_ASSERT_EQUAL(ntlm_authenticate_encode(&auth, true, &out, &mic_offset), NTLM_ERR_BAD_UTF8);
    CU_ASSERT_EQUAL(mic_offset, 99);
    chal.target_name = "\xc3";
    CU_ASSERT_EQUAL(ntlm_challenge_encode(&chal, &out), NTLM_ERR_BAD_UTF8);
    CU_ASSERT_EQUAL(out.len, 0);
    CU_ASSERT_EQUAL(ntlm_buf_status(&out), 0);
    ntlm_buf_free(&out);
}

static void
test_encoders_append_to_existing_output(void)
{
    struct ntlm_negotiate_fields neg = {0};
    struct ntlm_authenticate_fields auth = {0};
    struct ntlm_buf out = NTLM_BUF_INIT;
    size_t mic_offset = 0;

    ntlm_buf_add(&out, "x", 1);
    CU_ASSERT_EQUAL_FATAL(ntlm_negotiate_encode(&neg, &out), 0);
    CU_ASSERT_EQUAL(out.len, 41);
    CU_ASSERT_EQUAL(out.data[0], 'x');
    CU_ASSERT_EQUAL(memcmp(out.data + 1, "NTLMSSP", 8), 0);
    /* The MIC's place is given in the output as a whole. */
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_encode(&auth, true, &out, &mic_offset), 0);
    CU_ASSERT_EQUAL(mic_offset, 41 + 72);
    CU_ASSERT_EQUAL(out.len, 41 + 88);
    ntlm_buf_free(&out);
}

static void
test_authenticate_encoder_rejects_field_longer_than_16_bits(void)
{
    struct ntlm_authenticate_fields auth = {0};
    struct ntlm_buf out = NTLM_BUF_INIT;
    uint8_t *big = calloc(1, 65536);

    CU_ASSERT_FATAL(big != NULL);
    auth.nt_response = big;
    auth.nt_response_len = 65536;
    CU_ASSERT_EQUAL(ntlm_authenticate_encode(&auth, false, &out, NULL), NTLM_ERR_INVALID_ARG);
    CU_ASSERT_EQUAL(out.len, 0);
    free(big);
}

static void
test_free_functions_accept_zeroed_structs_and_null(void)
{
    struct ntlm_negotiate neg = {0};
    struct ntlm_challenge chal = {0};
    struct ntlm_authenticate auth = {0};

    ntlm_negotiate_free(&neg);
    ntlm_challenge_free(&chal);
    ntlm_authenticate_free(&auth);
    ntlm_negotiate_free(NULL);
    ntlm_challenge_free(NULL);
    ntlm_authenticate_free(NULL);
    CU_ASSERT_TRUE(test_all_zero(&auth, sizeof(auth)));
}

/* ---- ownership: decoded messages own, encoders borrow ---- */

/* Overwrites a buffer before freeing it, so that a result still pointing into it shows. */
static void
scrub_and_free(uint8_t *p, size_t len)
{
    memset(p, 0xee, len);
    free(p);
}

static void
test_decoded_authenticate_owns_every_field_once_the_input_is_gone(void)
{
    struct ntlm_authenticate m;
    size_t len;
    uint8_t *msg = test_hex(AUTHENTICATE_V2, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(msg, len, &m), 0);
    scrub_and_free(msg, len);
    assert_v2_vector_payload(&m);
    CU_ASSERT_TRUE(bytes_equal_hex(m.msg, m.msg_len, AUTHENTICATE_V2));
    CU_ASSERT_TRUE_FATAL(m.has_v2);
    CU_ASSERT_TRUE(bytes_equal_hex(m.v2.proof, 16, "68cd0ab851e51c96aabc927bebef6a1c"));
    CU_ASSERT_TRUE(bytes_equal_hex(m.v2.av_pairs, m.v2.av_pairs_len, TARGET_INFO_V2));
    CU_ASSERT_STRING_EQUAL(m.v2.av.nb_domain, "Domain");
    ntlm_authenticate_free(&m);
}

static void
test_decoded_authenticate_carries_its_ntlmv2_response_parsed(void)
{
    struct ntlm_authenticate m;
    size_t len;
    uint8_t *msg = test_hex(AUTHENTICATE_V2, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(msg, len, &m), 0);
    CU_ASSERT_TRUE_FATAL(m.has_v2);
    CU_ASSERT_TRUE(bytes_equal_hex(m.v2.proof, 16, "68cd0ab851e51c96aabc927bebef6a1c"));
    CU_ASSERT_PTR_EQUAL(m.v2.blob, m.nt_response + 16);
    CU_ASSERT_EQUAL(m.v2.blob_len, m.nt_response_len - 16);
    CU_ASSERT_EQUAL(m.v2.timestamp, 0);
    CU_ASSERT_TRUE(bytes_equal_hex(m.v2.client_challenge, 8, "aaaaaaaaaaaaaaaa"));
    CU_ASSERT_STRING_EQUAL(m.v2.av.nb_domain, "Domain");
    CU_ASSERT_STRING_EQUAL(m.v2.av.nb_computer, "Server");
    CU_ASSERT_FALSE(m.v2.av.has_flags);
    CU_ASSERT_PTR_NULL(m.v2.av.target_name);
    ntlm_authenticate_free(&m);
    free(msg);
    /* A 24-byte NT response is NTLMv1: nothing to parse. */
    msg = test_hex(AUTHENTICATE_V1, &len);
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(msg, len, &m), 0);
    CU_ASSERT_FALSE(m.has_v2);
    CU_ASSERT_TRUE(test_all_zero(&m.v2, sizeof(m.v2)));
    ntlm_authenticate_free(&m);
    free(msg);
}

static void
test_decoded_challenge_owns_its_target_info_decoded_once(void)
{
    struct ntlm_challenge m;
    size_t len;
    uint8_t *msg = test_hex(CHALLENGE_V2, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_challenge_decode(msg, len, &m), 0);
    scrub_and_free(msg, len);
    CU_ASSERT_STRING_EQUAL(m.target_name, "Server");
    CU_ASSERT_TRUE(bytes_equal_hex(m.target_info, m.target_info_len, TARGET_INFO_V2));
    CU_ASSERT_STRING_EQUAL(m.av.nb_domain, "Domain");
    CU_ASSERT_STRING_EQUAL(m.av.nb_computer, "Server");
    CU_ASSERT_FALSE(m.av.has_timestamp);
    ntlm_challenge_free(&m);
    /* Without target info there are no pairs. */
    msg = test_hex(CHALLENGE_V1, &len);
    CU_ASSERT_EQUAL_FATAL(ntlm_challenge_decode(msg, len, &m), 0);
    CU_ASSERT_TRUE(test_all_zero(&m.av, sizeof(m.av)));
    ntlm_challenge_free(&m);
    free(msg);
}

/* MS-NLMP 3.1.5.1.2 and 3.2.5.1.2: the MIC covers the AUTHENTICATE with its MIC field zeroed. */
static void
test_mic_input_is_the_4_2_vectors_with_their_mic_zeroed(void)
{
    static const char *const vectors[] = {AUTHENTICATE_V1, AUTHENTICATE_V2};
    static const uint8_t mic[16] = {0xf0, 0x54, 0xa5, 0x42, 0xb0, 0x90, 0xb6, 0x6c,
                                    0x1f, 0xea, 0x1a, 0x2c, 0xc8, 0x2e, 0x93, 0x0b};
    struct ntlm_authenticate m, with_mic;
    struct ntlm_authenticate_fields fields;
    struct ntlm_buf zeroed = NTLM_BUF_INIT, sent = NTLM_BUF_INIT;
    size_t i, len, mic_offset = 0;
    uint8_t *msg;

    for (i = 0; i < 2; i++) {
        /* As sent in 4.2, with no room for a MIC: the input is the message itself. */
        msg = test_hex(vectors[i], &len);
        CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(msg, len, &m), 0);
        CU_ASSERT_FALSE(m.has_mic_space);
        CU_ASSERT_TRUE(bytes_equal_hex(m.msg, m.msg_len, vectors[i]));
        /* Re-encoded with a MIC, as our initiator sends it: what the encoder gives before the
         * MIC is filled in is the input both sides compute the MIC over. */
        fields = ntlm_authenticate_fields_of(&m);
        CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_encode(&fields, true, &zeroed, &mic_offset), 0);
        ntlm_buf_add(&sent, zeroed.data, zeroed.len);
        ntlm_buf_put_at(&sent, mic_offset, mic, sizeof(mic));
        CU_ASSERT_EQUAL_FATAL(ntlm_buf_status(&sent), 0);
        CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(sent.data, sent.len, &with_mic), 0);
        CU_ASSERT_TRUE_FATAL(with_mic.has_mic_space);
        CU_ASSERT_EQUAL(with_mic.mic_offset, mic_offset);
        CU_ASSERT_EQUAL(memcmp(with_mic.mic, mic, 16), 0);
        CU_ASSERT_EQUAL(with_mic.msg_len, zeroed.len);
        CU_ASSERT_EQUAL(memcmp(with_mic.msg, zeroed.data, zeroed.len), 0);
        /* The received message itself is left as it came. */
        CU_ASSERT_EQUAL(memcmp(sent.data + mic_offset, mic, 16), 0);
        ntlm_authenticate_free(&with_mic);
        ntlm_authenticate_free(&m);
        ntlm_buf_free(&zeroed);
        ntlm_buf_free(&sent);
        free(msg);
    }
}

/* ---- malformed input ---- */

enum decoder { DEC_NEGOTIATE, DEC_CHALLENGE, DEC_AUTHENTICATE };

static const struct test_bad_input bad_tokens[] = {
    {"empty negotiate", DEC_NEGOTIATE, "", 0, 0, 0, NULL, NTLM_ERR_TOKEN_EMPTY},
    {"empty challenge", DEC_CHALLENGE, "", 0, 0, 0, NULL, NTLM_ERR_TOKEN_EMPTY},
    {"empty authenticate", DEC_AUTHENTICATE, "", 0, 0, 0, NULL, NTLM_ERR_TOKEN_EMPTY},
    {"authenticate one byte too large", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, NTLM_MAX_TOKEN + 1, 0,
     NULL, NTLM_ERR_TOKEN_TOO_LARGE},
    {"challenge too large", DEC_CHALLENGE, CHALLENGE_V2, 0, 100000, 0, NULL,
     NTLM_ERR_TOKEN_TOO_LARGE},
    {"bad signature", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 7, "01", NTLM_ERR_BAD_SIGNATURE},
    {"bad signature in a token too short for a type", DEC_NEGOTIATE, NEGOTIATE_CURL, 10, 0, 7, "01",
     NTLM_ERR_BAD_SIGNATURE},
    {"garbage shorter than a signature", DEC_NEGOTIATE, "4e544c", 0, 0, 0, NULL,
     NTLM_ERR_TRUNCATED},
    {"challenge given to the negotiate decoder", DEC_NEGOTIATE, CHALLENGE_V2, 0, 0, 0, NULL,
     NTLM_ERR_BAD_MESSAGE_TYPE},
    {"authenticate given to the challenge decoder", DEC_CHALLENGE, AUTHENTICATE_V2, 0, 0, 0, NULL,
     NTLM_ERR_BAD_MESSAGE_TYPE},
    {"negotiate given to the authenticate decoder", DEC_AUTHENTICATE, NEGOTIATE_CURL, 0, 0, 0, NULL,
     NTLM_ERR_BAD_MESSAGE_TYPE},
    {"message type 4", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 8, "04", NTLM_ERR_BAD_MESSAGE_TYPE},
    {"prefix cut before the type ends", DEC_NEGOTIATE, NEGOTIATE_CURL, 11, 0, 0, NULL,
     NTLM_ERR_TRUNCATED},
    {"negotiate cut inside the flags", DEC_NEGOTIATE, NEGOTIATE_CURL, 15, 0, 0, NULL,
     NTLM_ERR_TRUNCATED},
    {"challenge cut inside the header", DEC_CHALLENGE, CHALLENGE_V2, 47, 0, 0, NULL,
     NTLM_ERR_TRUNCATED},
    {"authenticate cut inside the header", DEC_AUTHENTICATE, AUTHENTICATE_V2, 63, 0, 0, NULL,
     NTLM_ERR_TRUNCATED},
    {"challenge target name outside message", DEC_CHALLENGE, CHALLENGE_V2, 0, 0, 12, "ff00ff00",
     NTLM_ERR_TARGET_NAME_FIELD},
    {"challenge target info outside message", DEC_CHALLENGE, CHALLENGE_V2, 0, 0, 44, "45000000",
     NTLM_ERR_TARGET_INFO_FIELD},
    {"challenge target name inside the header", DEC_CHALLENGE, CHALLENGE_V2, 0, 0, 16, "2c000000",
     NTLM_ERR_HEADER_OVERLAP},
    {"challenge target name with unpaired high surrogate", DEC_CHALLENGE, CHALLENGE_V2, 0, 0, 66,
     "00d8", NTLM_ERR_UTF16_SURROGATE},
    {"challenge av pair running past end", DEC_CHALLENGE, CHALLENGE_V2, 0, 0, 70, "4000",
     NTLM_ERR_AV_MALFORMED},
    {"challenge target info without eol", DEC_CHALLENGE, CHALLENGE_V2, 0, 0, 100, "ff00",
     NTLM_ERR_AV_MALFORMED},
    /* Each AUTHENTICATE field (header at 12 + 8i) outside the 232-byte message: offset past
     * the end, length past the end, offset + length wrapping 32-bit arithmetic. */
    {"authenticate lm offset past end", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 16, "e9000000",
     NTLM_ERR_LM_FIELD},
    {"authenticate lm length past end", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 12, "ff00ff00",
     NTLM_ERR_LM_FIELD},
    {"authenticate lm offset plus length wraps", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 12,
     "20002000f0ffffff", NTLM_ERR_LM_FIELD},
    {"authenticate nt offset past end", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 24, "e9000000",
     NTLM_ERR_NT_FIELD},
    {"authenticate nt length past end", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 20, "ff00ff00",
     NTLM_ERR_NT_FIELD},
    {"authenticate nt offset plus length wraps", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 20,
     "20002000f0ffffff", NTLM_ERR_NT_FIELD},
    {"authenticate domain offset past end", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 32, "e9000000",
     NTLM_ERR_DOMAIN_FIELD},
    {"authenticate domain length past end", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 28, "ff00ff00",
     NTLM_ERR_DOMAIN_FIELD},
    {"authenticate domain offset plus length wraps", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 28,
     "20002000f0ffffff", NTLM_ERR_DOMAIN_FIELD},
    {"authenticate user offset past end", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 40, "e9000000",
     NTLM_ERR_USER_FIELD},
    {"authenticate user length past end", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 36, "ff00ff00",
     NTLM_ERR_USER_FIELD},
    {"authenticate user offset plus length wraps", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 36,
     "20002000f0ffffff", NTLM_ERR_USER_FIELD},
    {"authenticate workstation offset past end", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 48,
     "e9000000", NTLM_ERR_WORKSTATION_FIELD},
    {"authenticate workstation length past end", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 44,
     "ff00ff00", NTLM_ERR_WORKSTATION_FIELD},
    {"authenticate workstation offset plus length wraps", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0,
     44, "20002000f0ffffff", NTLM_ERR_WORKSTATION_FIELD},
    {"authenticate session key offset past end", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 56,
     "e9000000", NTLM_ERR_SESSION_KEY_FIELD},
    {"authenticate session key length past end", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 52,
     "ff00ff00", NTLM_ERR_SESSION_KEY_FIELD},
    {"authenticate session key offset plus length wraps", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0,
     52, "20002000f0ffffff", NTLM_ERR_SESSION_KEY_FIELD},
    {"authenticate user inside the header", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 40, "28000000",
     NTLM_ERR_HEADER_OVERLAP},
    {"authenticate user with odd utf-16 length", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 36,
     "07000700", NTLM_ERR_UTF16_ODD_LENGTH},
    {"authenticate user with unpaired high surrogate", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 84,
     "00d8", NTLM_ERR_UTF16_SURROGATE},
    {"authenticate user with embedded nul", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 86, "0000",
     NTLM_ERR_EMBEDDED_NUL},
    /* The NTLMv2 response is parsed with the message (ntlm_av.c has the full table). */
    {"authenticate nt response too short for ntlmv2", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 20,
     "1e001e00", NTLM_ERR_NT_RESPONSE_SHORT},
    {"authenticate ntlmv2 response with resp type 2", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 148,
     "02", NTLM_ERR_AV_MALFORMED},
    {"authenticate ntlmv2 client av pair running past end", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0,
     178, "ff00", NTLM_ERR_AV_MALFORMED},
};

/* Runs one decoder; reports whether its output was left all zeros. */
static uint32_t
run_decoder(int d, const uint8_t *msg, size_t len, bool *zeroed)
{
    union {
        struct ntlm_negotiate neg;
        struct ntlm_challenge chal;
        struct ntlm_authenticate auth;
    } out;
    uint32_t ret = 0;

    /* Garbage first, so a decoder that forgets to clear its output is caught. */
    memset(&out, 0xa5, sizeof(out));
    switch (d) {
    case DEC_NEGOTIATE:
        ret = ntlm_negotiate_decode(msg, len, &out.neg);
        *zeroed = test_all_zero(&out.neg, sizeof(out.neg));
        if (ret == 0)
            ntlm_negotiate_free(&out.neg);
        break;
    case DEC_CHALLENGE:
        ret = ntlm_challenge_decode(msg, len, &out.chal);
        *zeroed = test_all_zero(&out.chal, sizeof(out.chal));
        if (ret == 0)
            ntlm_challenge_free(&out.chal);
        break;
    case DEC_AUTHENTICATE:
        ret = ntlm_authenticate_decode(msg, len, &out.auth);
        *zeroed = test_all_zero(&out.auth, sizeof(out.auth));
        if (ret == 0)
            ntlm_authenticate_free(&out.auth);
        break;
    }
    return ret;
}

static void
test_decoders_reject_malformed_tokens_with_precise_errors(void)
{
    test_bad_inputs(bad_tokens, sizeof(bad_tokens) / sizeof(bad_tokens[0]), run_decoder);
}

/*
 * NEGOTIATEs whose informational part (domain, workstation, version) is malformed: accepted on
 * their flags, that part dropped whole, `expected` the reason kept for the trace.
 */
static const struct test_bad_input lenient_negotiates[] = {
    {"negotiate cut inside the fields", DEC_NEGOTIATE, NEGOTIATE_CURL, 24, 0, 0, NULL,
     NTLM_ERR_TRUNCATED},
    {"negotiate domain outside message", DEC_NEGOTIATE, NEGOTIATE_CURL, 0, 0, 16,
     "01000100 20000000", NTLM_ERR_DOMAIN_FIELD},
    {"negotiate workstation outside message", DEC_NEGOTIATE, NEGOTIATE_CURL, 0, 0, 24,
     "01000100 20000000", NTLM_ERR_WORKSTATION_FIELD},
    {"negotiate domain offset plus length wraps", DEC_NEGOTIATE, NEGOTIATE_CURL, 0, 0, 16,
     "20002000f0ffffff", NTLM_ERR_DOMAIN_FIELD},
    {"negotiate domain inside the header", DEC_NEGOTIATE, NEGOTIATE_CURL, 0, 0, 16,
     "02000200 08000000", NTLM_ERR_HEADER_OVERLAP},
    {"negotiate domain with embedded nul", DEC_NEGOTIATE, NEGOTIATE_CURL, 0, 34, 16,
     "02000200 20000000", NTLM_ERR_EMBEDDED_NUL},
    {"negotiate workstation with embedded nul after a good domain", DEC_NEGOTIATE, NEGOTIATE_CURL,
     0, 36, 16, "02000200 20000000 02000200 22000000 4142 0000", NTLM_ERR_EMBEDDED_NUL},
    {"negotiate with a version and a domain outside message", DEC_NEGOTIATE, NEGOTIATE_CURL, 0, 40,
     12, "06820802 01000100 30000000 00000000 00000000 0a00614a0000000f", NTLM_ERR_DOMAIN_FIELD},
    {"heimdal 7.8 negotiate", DEC_NEGOTIATE, NEGOTIATE_HEIMDAL, 0, 0, 0, NULL,
     NTLM_ERR_HEADER_OVERLAP},
};

static void
test_negotiate_with_malformed_informational_fields_stands_on_its_flags(void)
{
    size_t i;

    for (i = 0; i < sizeof(lenient_negotiates) / sizeof(lenient_negotiates[0]); i++) {
        const struct test_bad_input *t = &lenient_negotiates[i];
        struct ntlm_negotiate m;
        unsigned long lost_before;
        size_t len;
        uint8_t *msg = test_bad_input_bytes(t, &len);
        uint32_t ret;

        lost_before = test_lost_bytes();
        memset(&m, 0xa5, sizeof(m));
        ret = ntlm_negotiate_decode(msg, len, &m);
        if (ret != 0 || m.ignored != t->expected)
            fprintf(stderr, "\n  %s: got %#x, ignored %#x, want 0, ignored %#x\n", t->name, ret,
                    ret == 0 ? m.ignored : 0, t->expected);
        CU_ASSERT_EQUAL_FATAL(ret, 0);
        CU_ASSERT_EQUAL(m.ignored, t->expected);
        CU_ASSERT_EQUAL(m.flags, ntlm_get_le32(msg + 12));
        CU_ASSERT_PTR_NULL(m.domain);
        CU_ASSERT_PTR_NULL(m.workstation);
        CU_ASSERT_FALSE(m.has_version);
        ntlm_negotiate_free(&m);
        CU_ASSERT_EQUAL(test_lost_bytes() - lost_before, 0);
        free(msg);
    }
}

static CU_TestInfo tests[] = {
    {"decodes ntlmv1 challenge vector", test_decodes_ntlmv1_challenge_vector},
    {"decodes ntlmv2 challenge vector", test_decodes_ntlmv2_challenge_vector},
    {"decodes ntlmv1 authenticate vector", test_decodes_ntlmv1_authenticate_vector},
    {"decodes ntlmv2 authenticate vector", test_decodes_ntlmv2_authenticate_vector},
    {"challenge vectors reencode byte for byte", test_challenge_vectors_reencode_byte_for_byte},
    {"authenticate vectors reencode byte for byte",
     test_authenticate_vectors_reencode_byte_for_byte},
    {"authenticate encoder builds vector from fields",
     test_authenticate_encoder_builds_vector_from_fields},
    {"a NEGOTIATE with malformed informational fields stands on its flags",
     test_negotiate_with_malformed_informational_fields_stands_on_its_flags},
    {"negotiate round trips with version domain and workstation",
     test_negotiate_round_trips_with_version_domain_and_workstation},
    {"negotiate encoder clears supplied flags without strings",
     test_negotiate_encoder_clears_supplied_flags_without_strings},
    {"accepts curl's 32 byte negotiate", test_accepts_curls_32_byte_negotiate},
    {"accepts legacy 16 byte negotiate", test_accepts_legacy_16_byte_negotiate},
    {"negotiate version flag without room means no version",
     test_negotiate_version_flag_without_room_means_no_version},
    {"negotiate fields are taken whatever the supplied flags say",
     test_negotiate_fields_are_taken_whatever_the_supplied_flags_say},
    {"challenge target name is oem without unicode flag",
     test_challenge_target_name_is_oem_without_unicode_flag},
    {"accepts kernel cifs authenticate without version",
     test_accepts_kernel_cifs_authenticate_without_version},
    {"authenticate version follows layout not flag",
     test_authenticate_version_follows_layout_not_flag},
    {"authenticate with mic reserves and returns mic",
     test_authenticate_with_mic_reserves_and_returns_mic},
    {"anonymous authenticate decodes empty names to empty strings",
     test_anonymous_authenticate_decodes_empty_names_to_empty_strings},
    {"authenticate strings are oem without unicode flag",
     test_authenticate_strings_are_oem_without_unicode_flag},
    {"accepts token of exactly the maximum size", test_accepts_token_of_exactly_the_maximum_size},
    {"message type reports each type", test_message_type_reports_each_type},
    {"encoders reject unencodable strings and leave output alone",
     test_encoders_reject_unencodable_strings_and_leave_output_alone},
    {"encoders append to existing output", test_encoders_append_to_existing_output},
    {"authenticate encoder rejects field longer than 16 bits",
     test_authenticate_encoder_rejects_field_longer_than_16_bits},
    {"free functions accept zeroed structs and null",
     test_free_functions_accept_zeroed_structs_and_null},
    {"a decoded AUTHENTICATE owns every field once the input is gone",
     test_decoded_authenticate_owns_every_field_once_the_input_is_gone},
    {"a decoded AUTHENTICATE carries its NTLMv2 response parsed",
     test_decoded_authenticate_carries_its_ntlmv2_response_parsed},
    {"a decoded CHALLENGE owns its target info, decoded once",
     test_decoded_challenge_owns_its_target_info_decoded_once},
    {"the MIC input is the 4.2 vectors with their MIC zeroed",
     test_mic_input_is_the_4_2_vectors_with_their_mic_zeroed},
    {"decoders reject malformed tokens with precise errors",
     test_decoders_reject_malformed_tokens_with_precise_errors},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("ntlm_message", tests);
}
