/*
 * Tests of AV_PAIR lists and the NTLMv2 client blob (mech/core/ntlm_av.c): the MS-NLMP 4.2.4
 * target info and NT response, every pair kind, the initiator's rewrite of the server's list,
 * and a table of malformed lists and responses.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_av.h"
#include "ntlm_errors.h"
#include "ntlm_vectors.h"
#include "test_util.h"

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
    CU_ASSERT_TRUE(test_hex_equal(av.channel_bindings, 16, "6586e99d81c2fc984e47172fd4dd0310"));
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
    CU_ASSERT_TRUE(test_hex_equal(out.data, out.len, TARGET_INFO_V2));
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
    struct ntlm_av_info info;
    struct ntlm_buf out = NTLM_BUF_INIT;
    size_t len, cb_len;
    /* Server list: NbDomain "D", Flags 1, TargetName "x", ChannelBindings, Timestamp, EOL. */
    uint8_t *server = test_hex("02000200 4400 0600 0400 01000000 0900 0200 7800"
                               "0a00 1000 00000000000000000000000000000000"
                               "0700 0800 7be73fc30bdecd01 0000 0000",
                               &len);
    uint8_t *cb = test_hex("6586e99d81c2fc984e47172fd4dd0310", &cb_len);

    CU_ASSERT_EQUAL_FATAL(ntlm_av_decode(server, len, &info), 0);
    CU_ASSERT_EQUAL_FATAL(
        ntlm_av_rewrite_for_client(server, len, &info, NTLM_AVF_MIC_PRESENT, cb, "cifs/S", &out),
        0);
    CU_ASSERT_TRUE(test_hex_equal(out.data, out.len,
                                  "02000200 4400 0700 0800 7be73fc30bdecd01"
                                  "0600 0400 03000000"
                                  "0a00 1000 6586e99d81c2fc984e47172fd4dd0310"
                                  "0900 0c00 63006900660073002f005300"
                                  "0000 0000"));
    ntlm_av_free(&info);
    ntlm_buf_free(&out);
    free(server);
    free(cb);
}

static void
test_av_rewrite_for_client_without_server_list_or_extras_is_just_eol(void)
{
    struct ntlm_av_info none = {0};
    struct ntlm_buf out = NTLM_BUF_INIT;

    CU_ASSERT_EQUAL_FATAL(ntlm_av_rewrite_for_client(NULL, 0, &none, 0, NULL, NULL, &out), 0);
    CU_ASSERT_TRUE(test_hex_equal(out.data, out.len, "00000000"));
    ntlm_buf_free(&out);
}

/* The list is still walked through the reader, whatever the caller says it decoded to. */
static void
test_av_rewrite_for_client_rejects_malformed_server_list(void)
{
    struct ntlm_av_info none = {0};
    struct ntlm_buf out = NTLM_BUF_INIT;
    size_t len;
    uint8_t *server = test_hex("02000200 4400", &len);

    CU_ASSERT_EQUAL(ntlm_av_rewrite_for_client(server, len, &none, 0, NULL, NULL, &out),
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
    CU_ASSERT_TRUE(test_hex_equal(blob.proof, 16, "68cd0ab851e51c96aabc927bebef6a1c"));
    CU_ASSERT_PTR_EQUAL(blob.blob, nt + 16);
    CU_ASSERT_EQUAL(blob.blob_len, len - 16);
    CU_ASSERT_EQUAL(blob.timestamp, 0);
    CU_ASSERT_TRUE(test_hex_equal(blob.client_challenge, 8, "aaaaaaaaaaaaaaaa"));
    CU_ASSERT_PTR_EQUAL(blob.av_pairs, nt + 44);
    /* Up to and including EOL; the 4 zero bytes after it are not pairs. */
    CU_ASSERT_TRUE(test_hex_equal(blob.av_pairs, blob.av_pairs_len, TARGET_INFO_V2));
    /* Decoded in the same pass. */
    CU_ASSERT_STRING_EQUAL(blob.av.nb_domain, "Domain");
    CU_ASSERT_STRING_EQUAL(blob.av.nb_computer, "Server");
    CU_ASSERT_FALSE(blob.av.has_timestamp);
    ntlm_v2_blob_free(&blob);
    CU_ASSERT_TRUE(test_all_zero(&blob, sizeof(blob)));
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

enum decoder { AV_LIST, V2_BLOB };

static const struct test_bad_input bad_lists[] = {
    {"av list empty", AV_LIST, "", 0, 0, 0, NULL, NTLM_ERR_AV_MALFORMED},
    {"av pair running past end", AV_LIST, "02000800 4400 00000000", 0, 0, 0, NULL,
     NTLM_ERR_AV_MALFORMED},
    {"av pair header cut short", AV_LIST, "020002", 0, 0, 0, NULL, NTLM_ERR_AV_MALFORMED},
    {"av list without eol", AV_LIST, TARGET_INFO_V2, 32, 0, 0, NULL, NTLM_ERR_AV_MALFORMED},
    {"av timestamp of 4 bytes", AV_LIST, "0700 0400 00000000 00000000", 0, 0, 0, NULL,
     NTLM_ERR_AV_MALFORMED},
    {"av flags of 2 bytes", AV_LIST, "0600 0200 0200 00000000", 0, 0, 0, NULL,
     NTLM_ERR_AV_MALFORMED},
    {"av channel bindings of 8 bytes", AV_LIST, "0a00 0800 0000000000000000 00000000", 0, 0, 0,
     NULL, NTLM_ERR_AV_MALFORMED},
    {"av duplicate id", AV_LIST, "02000200 4100 02000200 4200 00000000", 0, 0, 0, NULL,
     NTLM_ERR_AV_MALFORMED},
    {"av eol with a value", AV_LIST, "0000 0200 0000", 0, 0, 0, NULL, NTLM_ERR_AV_MALFORMED},
    {"av string with odd length", AV_LIST, "02000300 410042 00000000", 0, 0, 0, NULL,
     NTLM_ERR_UTF16_ODD_LENGTH},
    {"av string with unpaired low surrogate", AV_LIST, "02000200 00dc 00000000", 0, 0, 0, NULL,
     NTLM_ERR_UTF16_SURROGATE},
    {"nt response one byte short of a v2 blob", V2_BLOB, NT_RESPONSE_V2, 43, 0, 0, NULL,
     NTLM_ERR_NT_RESPONSE_SHORT},
    {"nt response of ntlmv1 size", V2_BLOB, NT_RESPONSE_V2, 24, 0, 0, NULL,
     NTLM_ERR_NT_RESPONSE_SHORT},
    {"nt response with resp type 2", V2_BLOB, NT_RESPONSE_V2, 0, 0, 16, "02",
     NTLM_ERR_AV_MALFORMED},
    {"nt response with hi resp type 0", V2_BLOB, NT_RESPONSE_V2, 0, 0, 17, "00",
     NTLM_ERR_AV_MALFORMED},
    {"nt response without eol", V2_BLOB, NT_RESPONSE_V2, 76, 0, 0, NULL, NTLM_ERR_AV_MALFORMED},
    {"nt response av pair running past end", V2_BLOB, NT_RESPONSE_V2, 0, 0, 46, "ff00",
     NTLM_ERR_AV_MALFORMED},
    {"nt response with a client av string of odd length", V2_BLOB, NT_RESPONSE_V2, 0, 0, 46, "0b00",
     NTLM_ERR_UTF16_ODD_LENGTH},
};

static uint32_t
run_decoder(int d, const uint8_t *in, size_t len, bool *zeroed)
{
    union {
        struct ntlm_av_info av;
        struct ntlm_v2_blob blob;
    } out;
    uint32_t ret;

    /* Garbage first, so a decoder that forgets to clear its output is caught. */
    memset(&out, 0xa5, sizeof(out));
    if (d == AV_LIST) {
        ret = ntlm_av_decode(in, len, &out.av);
        *zeroed = test_all_zero(&out.av, sizeof(out.av));
        if (ret == 0)
            ntlm_av_free(&out.av);
    } else {
        ret = ntlm_v2_blob_parse(in, len, &out.blob);
        *zeroed = test_all_zero(&out.blob, sizeof(out.blob));
        if (ret == 0)
            ntlm_v2_blob_free(&out.blob);
    }
    return ret;
}

static void
test_decoders_reject_malformed_lists_and_responses_with_precise_errors(void)
{
    test_bad_inputs(bad_lists, sizeof(bad_lists) / sizeof(bad_lists[0]), run_decoder);
}

static void
test_free_functions_accept_zeroed_structs_and_null(void)
{
    struct ntlm_av_info av = {0};
    struct ntlm_v2_blob blob = {0};

    ntlm_av_free(&av);
    ntlm_v2_blob_free(&blob);
    ntlm_av_free(NULL);
    ntlm_v2_blob_free(NULL);
    CU_ASSERT_TRUE(test_all_zero(&blob, sizeof(blob)));
}

static CU_TestInfo tests[] = {
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
    {"v2 blob parse splits ntlmv2 vector response and decodes its pairs",
     test_v2_blob_parse_splits_ntlmv2_vector_response},
    {"v2 blob encode reproduces ntlmv2 vector blob",
     test_v2_blob_encode_reproduces_ntlmv2_vector_blob},
    {"decoders reject malformed lists and responses with precise errors",
     test_decoders_reject_malformed_lists_and_responses_with_precise_errors},
    {"free functions accept zeroed structs and null",
     test_free_functions_accept_zeroed_structs_and_null},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("ntlm_av", tests);
}
