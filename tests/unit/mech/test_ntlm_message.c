/*
 * Tests of the NTLMSSP message codec (mech/core/ntlm_message.c): the MS-NLMP 4.2 example messages,
 * real-world message shapes (curl, legacy NEGOTIATE, Linux cifs) and a table of bad tokens.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_endian.h"
#include "ntlm_errors.h"
#include "ntlm_message.h"
#include "test_util.h"

/*
 * Per-row leak accounting for the bad-token table: exact under valgrind (whose headers are
 * optional at build time); elsewhere 0, and only a whole-run leak checker can see leaks.
 */
#if defined(__has_include) && __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>

static unsigned long
lost_bytes(void)
{
    unsigned long leaked = 0, dubious = 0, reachable = 0, suppressed = 0;

    VALGRIND_DO_QUICK_LEAK_CHECK;
    VALGRIND_COUNT_LEAKS(leaked, dubious, reachable, suppressed);
    (void)reachable;
    (void)suppressed;
    return leaked + dubious;
}
#else
static unsigned long
lost_bytes(void)
{
    return 0;
}
#endif

/* MS-NLMP 4.2.2 and 4.2.4 example messages (see shared/reference/ms-nlmp-vectors.md). */
#define CHALLENGE_V1                                                                               \
    "4e544c4d53535000020000000c000c0038000000338202e20123456789abcdef"                             \
    "00000000000000000000000000000000060070170000000f5300650072007600"                             \
    "65007200"
#define AUTHENTICATE_V1                                                                            \
    "4e544c4d5353500003000000180018006c00000018001800840000000c000c00"                             \
    "480000000800080054000000100010005c000000100010009c000000358280e2"                             \
    "0501280a0000000f44006f006d00610069006e00550073006500720043004f00"                             \
    "4d005000550054004500520098def7b87f88aa5dafe2df779688a172def11c7d"                             \
    "5ccdef1367c43011f30298a2ad35ece64f16331c44bdbed927841f94518822b1"                             \
    "b3f350c8958682ecbb3e3cb7"
#define CHALLENGE_V2                                                                               \
    "4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef"                             \
    "00000000000000002400240044000000060070170000000f5300650072007600"                             \
    "6500720002000c0044006f006d00610069006e0001000c005300650072007600"                             \
    "6500720000000000"
#define AUTHENTICATE_V2                                                                            \
    "4e544c4d5353500003000000180018006c00000054005400840000000c000c00"                             \
    "480000000800080054000000100010005c00000010001000d8000000358288e2"                             \
    "0501280a0000000f44006f006d00610069006e00550073006500720043004f00"                             \
    "4d005000550054004500520086c35097ac9cec102554764a57cccc19aaaaaaaa"                             \
    "aaaaaaaa68cd0ab851e51c96aabc927bebef6a1c010100000000000000000000"                             \
    "00000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e00"                             \
    "01000c005300650072007600650072000000000000000000c5dad2544fc97990"                             \
    "94ce1ce90bc9d03e"
#define TARGET_INFO_V2 "02000c0044006f006d00610069006e00 01000c00530065007200760065007200 00000000"
#define NT_RESPONSE_V2                                                                             \
    "68cd0ab851e51c96aabc927bebef6a1c 0101000000000000 0000000000000000"                           \
    "aaaaaaaaaaaaaaaa 00000000" TARGET_INFO_V2 "00000000"
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
all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    size_t i;

    for (i = 0; i < n; i++) {
        if (b[i] != 0)
            return false;
    }
    return true;
}

static bool
version_is(const struct ntlm_version *v, uint8_t major, uint8_t minor, uint16_t build,
           uint8_t revision)
{
    return v->major == major && v->minor == minor && v->build == build && v->revision == revision;
}

/* ---- the MS-NLMP example messages ---- */

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
    CU_ASSERT_TRUE(all_zero(m.mic, sizeof(m.mic)));
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
    CU_ASSERT_STRING_EQUAL(m.domain, "Domain");
    CU_ASSERT_STRING_EQUAL(m.user, "User");
    CU_ASSERT_STRING_EQUAL(m.workstation, "COMPUTER");
    CU_ASSERT_TRUE(bytes_equal_hex(m.lm_response, m.lm_response_len,
                                   "86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa"));
    CU_ASSERT_TRUE(bytes_equal_hex(m.nt_response, m.nt_response_len, NT_RESPONSE_V2));
    CU_ASSERT_TRUE(
        bytes_equal_hex(m.session_key, m.session_key_len, "c5dad2544fc9799094ce1ce90bc9d03e"));
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
    struct ntlm_buf out = NTLM_BUF_INIT;
    size_t len;
    uint8_t *msg = test_hex(hex, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_challenge_decode(msg, len, &m), 0);
    CU_ASSERT_EQUAL(ntlm_challenge_encode(&m, &out), 0);
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
    struct ntlm_buf out = NTLM_BUF_INIT;
    size_t len;
    uint8_t *msg = test_hex(hex, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(msg, len, &m), 0);
    CU_ASSERT_EQUAL(ntlm_authenticate_encode(&m, false, &out), 0);
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
    struct ntlm_authenticate m = {0};
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
    CU_ASSERT_EQUAL(ntlm_authenticate_encode(&m, false, &out), 0);
    CU_ASSERT_TRUE(bytes_equal_hex(out.data, out.len, AUTHENTICATE_V2));
    ntlm_buf_free(&out);
    free(lm);
    free(nt);
    free(key);
}

/* ---- NEGOTIATE ---- */

static void
test_negotiate_round_trips_with_version_domain_and_workstation(void)
{
    struct ntlm_negotiate in = {0}, m;
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
    struct ntlm_negotiate in = {0}, m;
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
    struct ntlm_challenge in = {0}, m;
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
    CU_ASSERT_STRING_EQUAL(m.domain, "Domain");
    CU_ASSERT_STRING_EQUAL(m.user, "User");
    CU_ASSERT_STRING_EQUAL(m.workstation, "COMPUTER");
    CU_ASSERT_TRUE(bytes_equal_hex(m.lm_response, m.lm_response_len,
                                   "86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa"));
    CU_ASSERT_TRUE(bytes_equal_hex(m.nt_response, m.nt_response_len, NT_RESPONSE_V2));
    CU_ASSERT_TRUE(
        bytes_equal_hex(m.session_key, m.session_key_len, "c5dad2544fc9799094ce1ce90bc9d03e"));
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
    struct ntlm_buf out = NTLM_BUF_INIT;
    size_t len;
    uint8_t *msg = test_hex(AUTHENTICATE_V2, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(msg, len, &in), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_encode(&in, true, &out), 0);
    CU_ASSERT_EQUAL(out.len, len + 16);
    CU_ASSERT_TRUE(all_zero(out.data + NTLM_MIC_OFFSET, 16));
    /* The domain, first in the payload, now starts after the MIC. */
    CU_ASSERT_EQUAL(out.data[32], NTLM_AUTH_HEADER_WITH_MIC);
    memset(out.data + NTLM_MIC_OFFSET, 0x5c, 16);
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(out.data, out.len, &m), 0);
    CU_ASSERT_TRUE(m.has_version);
    CU_ASSERT_TRUE(m.has_mic_space);
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
    struct ntlm_authenticate in = {0}, m;
    struct ntlm_buf out = NTLM_BUF_INIT;
    uint8_t lm = 0;

    in.flags = NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_ANONYMOUS;
    in.lm_response = &lm;
    in.lm_response_len = 1;
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_encode(&in, false, &out), 0);
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
    struct ntlm_authenticate in = {0}, m;
    struct ntlm_buf out = NTLM_BUF_INIT;

    in.flags = NTLMSSP_NEGOTIATE_OEM;
    in.domain = "D";
    in.user = "J\xc3\xbcrgen";
    in.workstation = "W";
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_encode(&in, false, &out), 0);
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
    struct ntlm_negotiate neg = {0};
    struct ntlm_authenticate auth = {0};
    struct ntlm_challenge chal = {0};
    struct ntlm_buf out = NTLM_BUF_INIT;

    neg.domain = "\xe2\x82\xac"; /* the euro sign has no ISO-8859-1 form */
    CU_ASSERT_EQUAL(ntlm_negotiate_encode(&neg, &out), NTLM_ERR_NOT_OEM);
    auth.flags = NTLMSSP_NEGOTIATE_UNICODE;
    auth.user = "bad\xff";
    CU_ASSERT_EQUAL(ntlm_authenticate_encode(&auth, true, &out), NTLM_ERR_BAD_UTF8);
    chal.target_name = "\xc3";
    CU_ASSERT_EQUAL(ntlm_challenge_encode(&chal, &out), NTLM_ERR_BAD_UTF8);
    CU_ASSERT_EQUAL(out.len, 0);
    CU_ASSERT_EQUAL(ntlm_buf_status(&out), 0);
    ntlm_buf_free(&out);
}

static void
test_encoders_append_to_existing_output(void)
{
    struct ntlm_negotiate neg = {0};
    struct ntlm_buf out = NTLM_BUF_INIT;

    ntlm_buf_add(&out, "x", 1);
    CU_ASSERT_EQUAL_FATAL(ntlm_negotiate_encode(&neg, &out), 0);
    CU_ASSERT_EQUAL(out.len, 41);
    CU_ASSERT_EQUAL(out.data[0], 'x');
    CU_ASSERT_EQUAL(memcmp(out.data + 1, "NTLMSSP", 8), 0);
    ntlm_buf_free(&out);
}

static void
test_authenticate_encoder_rejects_field_longer_than_16_bits(void)
{
    struct ntlm_authenticate auth = {0};
    struct ntlm_buf out = NTLM_BUF_INIT;
    uint8_t *big = calloc(1, 65536);

    CU_ASSERT_FATAL(big != NULL);
    auth.nt_response = big;
    auth.nt_response_len = 65536;
    CU_ASSERT_EQUAL(ntlm_authenticate_encode(&auth, false, &out), NTLM_ERR_INVALID_ARG);
    CU_ASSERT_EQUAL(out.len, 0);
    free(big);
}

static void
test_free_functions_accept_zeroed_structs_and_null(void)
{
    struct ntlm_negotiate neg = {0};
    struct ntlm_challenge chal = {0};
    struct ntlm_authenticate auth = {0};
    struct ntlm_av_info av = {0};

    ntlm_negotiate_free(&neg);
    ntlm_challenge_free(&chal);
    ntlm_authenticate_free(&auth);
    ntlm_av_free(&av);
    ntlm_negotiate_free(NULL);
    ntlm_challenge_free(NULL);
    ntlm_authenticate_free(NULL);
    ntlm_av_free(NULL);
    CU_ASSERT_TRUE(all_zero(&auth, sizeof(auth)));
}

/* ---- AV pairs and the NTLMv2 blob ---- */

static void
test_av_decode_reads_ntlmv2_target_info(void)
{
    struct ntlm_av_info av;
    size_t len;
    uint8_t *ti = test_hex(TARGET_INFO_V2, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_av_decode(ti, len, &av), 0);
    CU_ASSERT_STRING_EQUAL(av.nb_domain, "Domain");
    CU_ASSERT_STRING_EQUAL(av.nb_computer, "Server");
    CU_ASSERT_PTR_NULL(av.dns_domain);
    CU_ASSERT_PTR_NULL(av.dns_computer);
    CU_ASSERT_PTR_NULL(av.dns_tree);
    CU_ASSERT_PTR_NULL(av.target_name);
    CU_ASSERT_FALSE(av.has_flags);
    CU_ASSERT_FALSE(av.has_timestamp);
    CU_ASSERT_FALSE(av.has_channel_bindings);
    ntlm_av_free(&av);
    free(ti);
}

/* Every pair type the decoder keeps, an unknown id (0x00ff) and padding after EOL. */
#define AV_FULL                                                                                    \
    "02000200 4400 01000200 5300 04000200 6400 03000200 7300 05000200 7400"                        \
    "0900 0600 4800 2f00 7300 ff00 0300 010203 0600 0400 02000000"                                 \
    "0700 0800 7be73fc30bdecd01 0a00 1000 6586e99d81c2fc984e47172fd4dd0310 "                       \
    "0000 0000 0000"

static void
test_av_decode_reads_every_pair_and_skips_unknown_ids(void)
{
    struct ntlm_av_info av;
    size_t len;
    uint8_t *list = test_hex(AV_FULL, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_av_decode(list, len, &av), 0);
    CU_ASSERT_STRING_EQUAL(av.nb_domain, "D");
    CU_ASSERT_STRING_EQUAL(av.nb_computer, "S");
    CU_ASSERT_STRING_EQUAL(av.dns_domain, "d");
    CU_ASSERT_STRING_EQUAL(av.dns_computer, "s");
    CU_ASSERT_STRING_EQUAL(av.dns_tree, "t");
    CU_ASSERT_STRING_EQUAL(av.target_name, "H/s");
    CU_ASSERT_TRUE(av.has_flags);
    CU_ASSERT_EQUAL(av.av_flags, NTLM_AVF_MIC_PRESENT);
    CU_ASSERT_TRUE(av.has_timestamp);
    CU_ASSERT_EQUAL(av.timestamp, 0x01cdde0bc33fe77bull);
    CU_ASSERT_TRUE(av.has_channel_bindings);
    CU_ASSERT_TRUE(bytes_equal_hex(av.channel_bindings, 16, "6586e99d81c2fc984e47172fd4dd0310"));
    ntlm_av_free(&av);
    free(list);
}

static void
test_av_encode_reproduces_ntlmv2_target_info(void)
{
    struct ntlm_av_info av = {0};
    struct ntlm_buf out = NTLM_BUF_INIT;

    av.nb_domain = "Domain";
    av.nb_computer = "Server";
    CU_ASSERT_EQUAL(ntlm_av_encode(&av, &out), 0);
    CU_ASSERT_TRUE(bytes_equal_hex(out.data, out.len, TARGET_INFO_V2));
    ntlm_buf_free(&out);
}

static void
test_av_encode_round_trips_every_pair(void)
{
    struct ntlm_av_info in = {0}, av;
    struct ntlm_buf out = NTLM_BUF_INIT;

    in.nb_computer = "S";
    in.dns_tree = "t";
    in.target_name = "HTTP/h\xc3\xa9";
    in.has_flags = true;
    in.av_flags = NTLM_AVF_MIC_PRESENT;
    in.has_timestamp = true;
    in.timestamp = 0x01cdde0bc33fe77bull;
    in.has_channel_bindings = true;
    memset(in.channel_bindings, 0x65, 16);
    CU_ASSERT_EQUAL_FATAL(ntlm_av_encode(&in, &out), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_av_decode(out.data, out.len, &av), 0);
    CU_ASSERT_STRING_EQUAL(av.nb_computer, "S");
    CU_ASSERT_STRING_EQUAL(av.dns_tree, "t");
    CU_ASSERT_STRING_EQUAL(av.target_name, "HTTP/h\xc3\xa9");
    CU_ASSERT_PTR_NULL(av.nb_domain);
    CU_ASSERT_EQUAL(av.av_flags, NTLM_AVF_MIC_PRESENT);
    CU_ASSERT_EQUAL(av.timestamp, 0x01cdde0bc33fe77bull);
    CU_ASSERT_EQUAL(memcmp(av.channel_bindings, in.channel_bindings, 16), 0);
    ntlm_av_free(&av);
    ntlm_buf_free(&out);
}

static void
test_av_rewrite_for_client_replaces_server_flags_cb_and_target_name(void)
{
    struct ntlm_buf out = NTLM_BUF_INIT;
    size_t len, cb_len;
    /* Server list: NbDomain "D", Flags 1, TargetName "x", ChannelBindings, Timestamp, EOL. */
    uint8_t *server = test_hex("02000200 4400 0600 0400 01000000 0900 0200 7800"
                               "0a00 1000 00000000000000000000000000000000"
                               "0700 0800 7be73fc30bdecd01 0000 0000",
                               &len);
    uint8_t *cb = test_hex("6586e99d81c2fc984e47172fd4dd0310", &cb_len);

    CU_ASSERT_EQUAL_FATAL(
        ntlm_av_rewrite_for_client(server, len, NTLM_AVF_MIC_PRESENT, cb, "cifs/S", &out), 0);
    CU_ASSERT_TRUE(bytes_equal_hex(out.data, out.len,
                                   "02000200 4400 0700 0800 7be73fc30bdecd01"
                                   "0600 0400 03000000"
                                   "0a00 1000 6586e99d81c2fc984e47172fd4dd0310"
                                   "0900 0c00 63006900660073002f005300"
                                   "0000 0000"));
    ntlm_buf_free(&out);
    free(server);
    free(cb);
}

static void
test_av_rewrite_for_client_without_server_list_or_extras_is_just_eol(void)
{
    struct ntlm_buf out = NTLM_BUF_INIT;

    CU_ASSERT_EQUAL_FATAL(ntlm_av_rewrite_for_client(NULL, 0, 0, NULL, NULL, &out), 0);
    CU_ASSERT_TRUE(bytes_equal_hex(out.data, out.len, "00000000"));
    ntlm_buf_free(&out);
}

static void
test_av_rewrite_for_client_rejects_malformed_server_list(void)
{
    struct ntlm_buf out = NTLM_BUF_INIT;
    size_t len;
    uint8_t *server = test_hex("02000200 4400", &len);

    CU_ASSERT_EQUAL(ntlm_av_rewrite_for_client(server, len, 0, NULL, NULL, &out),
                    NTLM_ERR_AV_MALFORMED);
    CU_ASSERT_EQUAL(out.len, 0);
    free(server);
}

static void
test_v2_blob_parse_splits_ntlmv2_vector_response(void)
{
    struct ntlm_v2_blob blob;
    size_t len;
    uint8_t *nt = test_hex(NT_RESPONSE_V2, &len);

    CU_ASSERT_EQUAL_FATAL(ntlm_v2_blob_parse(nt, len, &blob), 0);
    CU_ASSERT_TRUE(bytes_equal_hex(blob.proof, 16, "68cd0ab851e51c96aabc927bebef6a1c"));
    CU_ASSERT_PTR_EQUAL(blob.blob, nt + 16);
    CU_ASSERT_EQUAL(blob.blob_len, len - 16);
    CU_ASSERT_EQUAL(blob.timestamp, 0);
    CU_ASSERT_TRUE(bytes_equal_hex(blob.client_challenge, 8, "aaaaaaaaaaaaaaaa"));
    CU_ASSERT_PTR_EQUAL(blob.av_pairs, nt + 44);
    /* Up to and including EOL; the 4 zero bytes after it are not pairs. */
    CU_ASSERT_TRUE(bytes_equal_hex(blob.av_pairs, blob.av_pairs_len, TARGET_INFO_V2));
    free(nt);
}

static void
test_v2_blob_encode_reproduces_ntlmv2_vector_blob(void)
{
    struct ntlm_buf out = NTLM_BUF_INIT;
    size_t nt_len, ti_len;
    uint8_t *nt = test_hex(NT_RESPONSE_V2, &nt_len);
    uint8_t *ti = test_hex(TARGET_INFO_V2, &ti_len);
    static const uint8_t client_challenge[8] = {0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa};

    CU_ASSERT_EQUAL_FATAL(ntlm_v2_blob_encode(0, client_challenge, ti, ti_len, &out), 0);
    CU_ASSERT_EQUAL(out.len, nt_len - 16);
    CU_ASSERT_EQUAL(memcmp(out.data, nt + 16, nt_len - 16), 0);
    ntlm_buf_free(&out);
    free(nt);
    free(ti);
}

/* ---- malformed input ---- */

enum decoder { DEC_NEGOTIATE, DEC_CHALLENGE, DEC_AUTHENTICATE, DEC_AV, DEC_V2_BLOB };

/* A bad token: a valid base, optionally cut short, zero-padded and patched. */
struct bad_token {
    const char *name;
    enum decoder decoder;
    const char *base;  /* hex */
    size_t keep;       /* when non-zero, only the first `keep` bytes */
    size_t grow;       /* when non-zero, padded with zeros to this many bytes */
    size_t patch_at;   /* where `patch` is written */
    const char *patch; /* hex, or NULL */
    uint32_t expected;
};

static const struct bad_token bad_tokens[] = {
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
    {"authenticate user ending in a high surrogate", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 90,
     "00d8", NTLM_ERR_UTF16_SURROGATE},
    {"authenticate user with unpaired low surrogate", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 86,
     "00dc", NTLM_ERR_UTF16_SURROGATE},
    {"authenticate user with embedded nul", DEC_AUTHENTICATE, AUTHENTICATE_V2, 0, 0, 86, "0000",
     NTLM_ERR_EMBEDDED_NUL},
    {"av list empty", DEC_AV, "", 0, 0, 0, NULL, NTLM_ERR_AV_MALFORMED},
    {"av pair running past end", DEC_AV, "02000800 4400 00000000", 0, 0, 0, NULL,
     NTLM_ERR_AV_MALFORMED},
    {"av pair header cut short", DEC_AV, "020002", 0, 0, 0, NULL, NTLM_ERR_AV_MALFORMED},
    {"av list without eol", DEC_AV, TARGET_INFO_V2, 32, 0, 0, NULL, NTLM_ERR_AV_MALFORMED},
    {"av timestamp of 4 bytes", DEC_AV, "0700 0400 00000000 00000000", 0, 0, 0, NULL,
     NTLM_ERR_AV_MALFORMED},
    {"av flags of 2 bytes", DEC_AV, "0600 0200 0200 00000000", 0, 0, 0, NULL,
     NTLM_ERR_AV_MALFORMED},
    {"av channel bindings of 8 bytes", DEC_AV, "0a00 0800 0000000000000000 00000000", 0, 0, 0, NULL,
     NTLM_ERR_AV_MALFORMED},
    {"av duplicate id", DEC_AV, "02000200 4100 02000200 4200 00000000", 0, 0, 0, NULL,
     NTLM_ERR_AV_MALFORMED},
    {"av eol with a value", DEC_AV, "0000 0200 0000", 0, 0, 0, NULL, NTLM_ERR_AV_MALFORMED},
    {"av string with odd length", DEC_AV, "02000300 410042 00000000", 0, 0, 0, NULL,
     NTLM_ERR_UTF16_ODD_LENGTH},
    {"av string with unpaired low surrogate", DEC_AV, "02000200 00dc 00000000", 0, 0, 0, NULL,
     NTLM_ERR_UTF16_SURROGATE},
    {"nt response one byte short of a v2 blob", DEC_V2_BLOB, NT_RESPONSE_V2, 43, 0, 0, NULL,
     NTLM_ERR_NT_RESPONSE_SHORT},
    {"nt response of ntlmv1 size", DEC_V2_BLOB, NT_RESPONSE_V2, 24, 0, 0, NULL,
     NTLM_ERR_NT_RESPONSE_SHORT},
    {"nt response with resp type 2", DEC_V2_BLOB, NT_RESPONSE_V2, 0, 0, 16, "02",
     NTLM_ERR_AV_MALFORMED},
    {"nt response with hi resp type 0", DEC_V2_BLOB, NT_RESPONSE_V2, 0, 0, 17, "00",
     NTLM_ERR_AV_MALFORMED},
    {"nt response without eol", DEC_V2_BLOB, NT_RESPONSE_V2, 76, 0, 0, NULL, NTLM_ERR_AV_MALFORMED},
    {"nt response av pair running past end", DEC_V2_BLOB, NT_RESPONSE_V2, 0, 0, 46, "ff00",
     NTLM_ERR_AV_MALFORMED},
};

/* Builds the bytes a row describes; the result is malloc'd (never NULL). */
static uint8_t *
bad_token_bytes(const struct bad_token *t, size_t *len)
{
    size_t base_len, patch_len, n;
    uint8_t *base = test_hex(t->base, &base_len);
    uint8_t *msg, *patch;

    n = t->keep != 0 ? t->keep : base_len;
    if (t->grow > n)
        n = t->grow;
    msg = calloc(1, n + 1);
    if (msg == NULL)
        abort();
    memcpy(msg, base, base_len < n ? base_len : n);
    if (t->patch != NULL) {
        patch = test_hex(t->patch, &patch_len);
        if (t->patch_at + patch_len > n)
            abort();
        memcpy(msg + t->patch_at, patch, patch_len);
        free(patch);
    }
    free(base);
    *len = n;
    return msg;
}

/* Runs one decoder; reports whether its output was left all zeros. */
static uint32_t
run_decoder(enum decoder d, const uint8_t *msg, size_t len, bool *zeroed)
{
    union {
        struct ntlm_negotiate neg;
        struct ntlm_challenge chal;
        struct ntlm_authenticate auth;
        struct ntlm_av_info av;
        struct ntlm_v2_blob blob;
    } out;
    uint32_t ret = 0;

    /* Garbage first, so a decoder that forgets to clear its output is caught. */
    memset(&out, 0xa5, sizeof(out));
    switch (d) {
    case DEC_NEGOTIATE:
        ret = ntlm_negotiate_decode(msg, len, &out.neg);
        *zeroed = all_zero(&out.neg, sizeof(out.neg));
        if (ret == 0)
            ntlm_negotiate_free(&out.neg);
        break;
    case DEC_CHALLENGE:
        ret = ntlm_challenge_decode(msg, len, &out.chal);
        *zeroed = all_zero(&out.chal, sizeof(out.chal));
        if (ret == 0)
            ntlm_challenge_free(&out.chal);
        break;
    case DEC_AUTHENTICATE:
        ret = ntlm_authenticate_decode(msg, len, &out.auth);
        *zeroed = all_zero(&out.auth, sizeof(out.auth));
        if (ret == 0)
            ntlm_authenticate_free(&out.auth);
        break;
    case DEC_AV:
        ret = ntlm_av_decode(msg, len, &out.av);
        *zeroed = all_zero(&out.av, sizeof(out.av));
        if (ret == 0)
            ntlm_av_free(&out.av);
        break;
    case DEC_V2_BLOB:
        ret = ntlm_v2_blob_parse(msg, len, &out.blob);
        *zeroed = all_zero(&out.blob, sizeof(out.blob));
        break;
    }
    return ret;
}

static void
test_decoders_reject_malformed_tokens_with_precise_errors(void)
{
    size_t i;

    for (i = 0; i < sizeof(bad_tokens) / sizeof(bad_tokens[0]); i++) {
        const struct bad_token *t = &bad_tokens[i];
        size_t len;
        unsigned long lost_before, lost;
        uint8_t *msg = bad_token_bytes(t, &len);
        bool zeroed = false;
        uint32_t ret;

        lost_before = lost_bytes();
        ret = run_decoder(t->decoder, msg, len, &zeroed);
        lost = lost_bytes() - lost_before;
        if (lost != 0)
            fprintf(stderr, "\n  %s: leaked %lu bytes\n", t->name, lost);
        CU_ASSERT_EQUAL(lost, 0);
        if (ret != t->expected)
            fprintf(stderr, "\n  %s: got %#x, want %#x\n", t->name, ret, t->expected);
        CU_ASSERT_EQUAL(ret, t->expected);
        if (!zeroed)
            fprintf(stderr, "\n  %s: output not cleared\n", t->name);
        CU_ASSERT_TRUE(zeroed);
        free(msg);
    }
}

/*
 * NEGOTIATEs whose informational part (domain, workstation, version) is malformed: accepted on
 * their flags, that part dropped whole, `expected` the reason kept for the trace.
 */
static const struct bad_token lenient_negotiates[] = {
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
        const struct bad_token *t = &lenient_negotiates[i];
        struct ntlm_negotiate m;
        unsigned long lost_before;
        size_t len;
        uint8_t *msg = bad_token_bytes(t, &len);
        uint32_t ret;

        lost_before = lost_bytes();
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
        CU_ASSERT_EQUAL(lost_bytes() - lost_before, 0);
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
    {"av decode reads ntlmv2 target info", test_av_decode_reads_ntlmv2_target_info},
    {"av decode reads every pair and skips unknown ids",
     test_av_decode_reads_every_pair_and_skips_unknown_ids},
    {"av encode reproduces ntlmv2 target info", test_av_encode_reproduces_ntlmv2_target_info},
    {"av encode round trips every pair", test_av_encode_round_trips_every_pair},
    {"av rewrite for client replaces server flags cb and target name",
     test_av_rewrite_for_client_replaces_server_flags_cb_and_target_name},
    {"av rewrite for client without server list or extras is just eol",
     test_av_rewrite_for_client_without_server_list_or_extras_is_just_eol},
    {"av rewrite for client rejects malformed server list",
     test_av_rewrite_for_client_rejects_malformed_server_list},
    {"v2 blob parse splits ntlmv2 vector response",
     test_v2_blob_parse_splits_ntlmv2_vector_response},
    {"v2 blob encode reproduces ntlmv2 vector blob",
     test_v2_blob_encode_reproduces_ntlmv2_vector_blob},
    {"decoders reject malformed tokens with precise errors",
     test_decoders_reject_malformed_tokens_with_precise_errors},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("ntlm_message", tests);
}
