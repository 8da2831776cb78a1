/*
 * Context export and import (mech/gss/ntlm_serialize.c) on contexts built by hand: the blob
 * layout the file draws, what an import restores, the streams continuing across the move, the
 * legacy versions 1 and 2, and every malformed blob refused with NTLM_ERR_BAD_EXPORT.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gss_test_ctx.h"
#include "ntlm_endian.h"
#include "ntlm_errors.h"
#include "ntlm_gss.h"
#include "ntlm_message.h"
#include "test_util.h"

#define SIG NTLM_SIGNATURE_SIZE
#define FLAGS_V2                                                                                   \
    (NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL |                      \
     NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_128 |                          \
     NTLMSSP_NEGOTIATE_KEY_EXCH)
#define FLAGS_NO_ESS (NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL)
#define EXPIRY_AT 17

/* The fixed fields of an initiator under FLAGS_V2 (0xe0080030) granting 0x13c, expiring at
 * 1000, key 55..55, sequence numbers 3 and 5; versions 1 and 2 follow with their own tails. */
#define FIXED(version)                                                                             \
    "53474e58" version "01 300008e0 3c010000 e803000000000000 55555555555555555555555555555555"    \
    "03000000 05000000"
/* The names: TESTDOM\alice, with or without her one SID. */
#define ALICE "00 05000000 616c696365 07000000 54455354444f4d"
#define ALICE_SID ALICE "0c000000 532d312d352d33322d353435"
#define NO_NAME "ff"
/* Version 3, neither stream started, source alice with her SID, no target. */
static const char v3_blob[] = FIXED("03000000") "00 00" ALICE_SID NO_NAME;
#define V3_SEND_STREAM 49
#define V3_USER 56
#define V3_SIDS 76
/* Version 3, an anonymous source: the one name whose user may be absent. */
static const char anon_blob[] = FIXED("03000000") "00 00 02 ffffffff ffffffff ffffffff" NO_NAME;
/* Version 2: keystream positions (send 0, receive 11), the same names. */
static const char v2_blob[] =
    FIXED("02000000") "0000000000000000 0b00000000000000" ALICE_SID NO_NAME;
#define V2_RECV_POSITION 57
/* Version 1: positions, names without a SID list. */
static const char v1_blob[] = FIXED("01000000") "0000000000000000 0000000000000000" ALICE NO_NAME;

/* Imports hex, its expiry moved to an hour from now so that the context can be used. */
static OM_uint32
import_hex(const char *hex, bool live, gss_ctx_id_t *out, OM_uint32 *minor)
{
    gss_buffer_desc blob;
    OM_uint32 major;

    blob.value = test_hex(hex, &blob.length);
    if (live) {
        uint64_t expiry = (uint64_t)time(NULL) + 3600;

        ntlm_put_le32((uint8_t *)blob.value + EXPIRY_AT, (uint32_t)expiry);
        ntlm_put_le32((uint8_t *)blob.value + EXPIRY_AT + 4, (uint32_t)(expiry >> 32));
    }
    *out = GSS_C_NO_CONTEXT;
    major = ntlm_gss_import_sec_context(minor, &blob, out);
    free(blob.value);
    return major;
}

static void
test_export_refuses_a_missing_or_unfinished_context_and_keeps_it(void)
{
    struct ntlm_ctx *ctx = gss_test_ctx(true, FLAGS_V2);
    gss_ctx_id_t handle = GSS_C_NO_CONTEXT;
    gss_buffer_desc blob = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;

    CU_ASSERT_EQUAL(ntlm_gss_export_sec_context(&minor, &handle, &blob), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_INVALID_ARG);
    ctx->stage = NTLM_STAGE_INIT_WAIT_CHALLENGE;
    handle = (gss_ctx_id_t)ctx;
    CU_ASSERT_EQUAL(ntlm_gss_export_sec_context(&minor, &handle, &blob), GSS_S_UNAVAILABLE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_NOT_ESTABLISHED);
    CU_ASSERT_PTR_EQUAL(handle, ctx);
    CU_ASSERT_EQUAL(blob.length, 0);
    ntlm_ctx_free(ctx);
}

static void
test_export_writes_the_drawn_layout_and_consumes_the_context(void)
{
    struct ntlm_ctx *ctx = gss_test_ctx(true, FLAGS_V2);
    gss_ctx_id_t handle = (gss_ctx_id_t)ctx;
    gss_buffer_desc blob = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, min;
    size_t len;
    uint8_t *want = test_hex(v3_blob, &len);

    ctx->expiry = 1000;
    ctx->sign.send.seq = 3;
    ctx->sign.recv.seq = 5;
    CU_ASSERT_EQUAL_FATAL(ntlm_name_new(NTLM_NAME_USER, "alice", "TESTDOM", &ctx->src_name), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_name_set_sids(ctx->src_name, "S-1-5-32-545"), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_export_sec_context(&minor, &handle, &blob), GSS_S_COMPLETE);
    CU_ASSERT_PTR_NULL(handle);
    CU_ASSERT_EQUAL(blob.length, len);
    CU_ASSERT_TRUE(blob.length == len && memcmp(blob.value, want, len) == 0);
    gss_release_buffer(&min, &blob);
    free(want);
}

static void
test_import_restores_role_flags_lifetime_key_sequence_and_names(void)
{
    gss_ctx_id_t handle;
    const struct ntlm_ctx *ctx;
    uint8_t key[16];
    OM_uint32 minor;

    CU_ASSERT_EQUAL_FATAL(import_hex(v3_blob, false, &handle, &minor), GSS_S_COMPLETE);
    ctx = (const struct ntlm_ctx *)handle;
    memset(key, 0x55, sizeof(key));
    CU_ASSERT_TRUE(ctx->initiator);
    CU_ASSERT_EQUAL(ctx->stage, NTLM_STAGE_ESTABLISHED);
    CU_ASSERT_EQUAL(ctx->neg_flags, FLAGS_V2);
    CU_ASSERT_EQUAL(ctx->ret_flags, 0x13c);
    CU_ASSERT_EQUAL(ctx->expiry, 1000);
    CU_ASSERT_EQUAL(memcmp(ctx->exported_key, key, 16), 0);
    CU_ASSERT_EQUAL(ctx->sign.send.seq, 3);
    CU_ASSERT_EQUAL(ctx->sign.recv.seq, 5);
    CU_ASSERT_PTR_NULL(ctx->sign.send.rc4);
    CU_ASSERT_PTR_NULL(ctx->sign.recv.rc4);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx->src_name);
    CU_ASSERT_EQUAL(ctx->src_name->kind, NTLM_NAME_USER);
    CU_ASSERT_STRING_EQUAL(ctx->src_name->user, "alice");
    CU_ASSERT_STRING_EQUAL(ctx->src_name->domain, "TESTDOM");
    CU_ASSERT_STRING_EQUAL(ctx->src_name->sids, "S-1-5-32-545");
    CU_ASSERT_PTR_NULL(ctx->targ_name);
    ntlm_gss_delete_sec_context(&minor, &handle, GSS_C_NO_BUFFER);
}

/* Wraps one message on ictx, moves ictx through a blob, wraps another: actx reads both. */
static void
check_streams_continue(uint32_t flags)
{
    gss_ctx_id_t ictx = (gss_ctx_id_t)gss_test_ctx(true, flags);
    gss_ctx_id_t actx = (gss_ctx_id_t)gss_test_ctx(false, flags);
    gss_buffer_desc in = {5, "hello"}, t0 = GSS_C_EMPTY_BUFFER, t1 = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc blob = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, min;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_wrap(&minor, ictx, 1, 0, &in, NULL, &t0), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_export_sec_context(&minor, &ictx, &blob), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_import_sec_context(&minor, &blob, &ictx), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_wrap(&minor, ictx, 1, 0, &in, NULL, &t1), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(ntlm_gss_unwrap(&minor, actx, &t0, &out, NULL, NULL), GSS_S_COMPLETE);
    gss_release_buffer(&min, &out);
    CU_ASSERT_EQUAL(ntlm_gss_unwrap(&minor, actx, &t1, &out, NULL, NULL), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(out.length, 5);
    gss_release_buffer(&min, &out);
    gss_release_buffer(&min, &t0);
    /* And the other way: the imported initiator reads what the acceptor sends next. */
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_wrap(&minor, actx, 1, 0, &in, NULL, &t0), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(ntlm_gss_unwrap(&minor, ictx, &t0, &out, NULL, NULL), GSS_S_COMPLETE);
    gss_release_buffer(&min, &out);
    gss_release_buffer(&min, &t0);
    gss_release_buffer(&min, &t1);
    gss_release_buffer(&min, &blob);
    ntlm_gss_delete_sec_context(&min, &ictx, GSS_C_NO_BUFFER);
    ntlm_gss_delete_sec_context(&min, &actx, GSS_C_NO_BUFFER);
}

static void
test_an_imported_context_continues_each_stream_where_it_stopped(void)
{
    check_streams_continue(FLAGS_V2);
}

static void
test_without_ess_the_shared_stream_travels_once_and_continues(void)
{
    check_streams_continue(FLAGS_NO_ESS);
}

static void
test_export_keeps_a_context_whose_names_import_would_refuse(void)
{
    struct ntlm_ctx *ctx = gss_test_ctx(false, FLAGS_V2);
    gss_ctx_id_t handle = (gss_ctx_id_t)ctx;
    gss_buffer_desc blob = GSS_C_EMPTY_BUFFER;
    size_t long_len = 3 * NTLM_MAX_TOKEN + 1;
    char *user = malloc(long_len + 1);
    OM_uint32 minor;

    CU_ASSERT_PTR_NOT_NULL_FATAL(user);
    memset(user, 'u', long_len);
    user[long_len] = '\0';
    CU_ASSERT_EQUAL_FATAL(ntlm_name_new(NTLM_NAME_USER, user, NULL, &ctx->targ_name), 0);
    CU_ASSERT_EQUAL(ntlm_gss_export_sec_context(&minor, &handle, &blob), GSS_S_UNAVAILABLE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_INVALID_ARG);
    CU_ASSERT_PTR_EQUAL(handle, ctx);
    CU_ASSERT_EQUAL(blob.length, 0);
    /* One byte shorter is the longest name import takes. */
    user[long_len - 1] = '\0';
    ntlm_name_free(ctx->targ_name);
    CU_ASSERT_EQUAL_FATAL(ntlm_name_new(NTLM_NAME_USER, user, NULL, &ctx->targ_name), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_export_sec_context(&minor, &handle, &blob), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(ntlm_gss_import_sec_context(&minor, &blob, &handle), GSS_S_COMPLETE);
    ntlm_gss_delete_sec_context(&minor, &handle, GSS_C_NO_BUFFER);
    gss_release_buffer(&minor, &blob);
    free(user);
}

static uint32_t
run_import(int decoder, const uint8_t *in, size_t len, bool *zeroed)
{
    gss_buffer_desc blob = {len, (void *)in};
    gss_ctx_id_t handle = GSS_C_NO_CONTEXT;
    OM_uint32 minor = 0, major;

    major = ntlm_gss_import_sec_context(&minor, &blob, &handle);
    CU_ASSERT_EQUAL(major, GSS_S_DEFECTIVE_TOKEN);
    *zeroed = handle == GSS_C_NO_CONTEXT;
    ntlm_gss_delete_sec_context(&major, &handle, GSS_C_NO_BUFFER);
    return minor;
}

static void
test_every_malformed_blob_is_a_defective_token_and_makes_no_context(void)
{
    const uint32_t bad = NTLM_ERR_BAD_EXPORT;
    const struct test_bad_input rows[] = {
        {"not our magic", 0, v3_blob, 0, 0, 0, "58", bad},
        {"version 0", 0, v3_blob, 0, 0, 4, "00", bad},
        {"version 4", 0, v3_blob, 0, 0, 4, "04", bad},
        {"role byte 2", 0, v3_blob, 0, 0, 8, "02", bad},
        {"a reserved NTLMSSP flag", 0, v3_blob, 0, 0, 9, "30010800", bad},
        {"a GSS flag these NTLMSSP flags cannot grant", 0, v3_blob, 0, 0, 13, "3d", bad},
        {"an expiry past a lifetime from now", 0, v3_blob, 0, 0, EXPIRY_AT, "ffffffffffffff7f",
         bad},
        {"stream state cut short", 0, v3_blob, 0, 0, V3_SEND_STREAM, "01", bad},
        {"no ESS and the shared stream absent", 0, v3_blob, 0, 0, 9, "300000a0", bad},
        {"name kind 3", 0, v3_blob, 0, 0, 51, "03", bad},
        {"a user name without a user", 0, anon_blob, 0, 0, 51, "00", bad},
        {"a string past the end", 0, v3_blob, 0, 0, 52, "ff000000", bad},
        {"a NUL in a string", 0, v3_blob, 0, 0, V3_USER + 2, "00", bad},
        {"a SID list with other characters", 0, v3_blob, 0, 0, V3_SIDS + 3, "3b", bad},
        {"the target name missing", 0, v3_blob, 88, 0, 0, NULL, bad},
        {"a trailing byte", 0, v3_blob, 0, 90, 0, NULL, bad},
        {"version 2 cut in its positions", 0, v2_blob, 60, 0, 0, NULL, bad},
        {"version 2 past the replay bound", 0, v2_blob, 0, 0, V2_RECV_POSITION, "01000001", bad},
        {"version 1 with a SID list", 0, v2_blob, 0, 0, 4, "01", bad},
    };

    bool zeroed = false;

    /* A row cannot keep zero bytes (keep 0 means all of them). */
    CU_ASSERT_EQUAL(run_import(0, (const uint8_t *)"", 0, &zeroed), bad);
    CU_ASSERT_TRUE(zeroed);
    test_bad_inputs(rows, sizeof(rows) / sizeof(rows[0]), run_import);
}

/* v3_blob with a user of len bytes in alice's place: the longest import takes, then one more. */
static void
test_import_refuses_a_string_past_its_bound_though_its_bytes_are_there(void)
{
    const size_t max = 3 * NTLM_MAX_TOKEN;
    gss_ctx_id_t handle = GSS_C_NO_CONTEXT;
    gss_buffer_desc blob;
    size_t base_len, len;
    uint8_t *base = test_hex(v3_blob, &base_len), *p;
    OM_uint32 minor;

    blob.value = malloc(base_len + max + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(blob.value);
    for (len = max; len <= max + 1; len++) {
        p = blob.value;
        memcpy(p, base, V3_USER - 4);
        ntlm_put_le32(p + V3_USER - 4, (uint32_t)len);
        memset(p + V3_USER, 'u', len);
        memcpy(p + V3_USER + len, base + V3_USER + 5, base_len - V3_USER - 5);
        blob.length = base_len - 5 + len;
        handle = GSS_C_NO_CONTEXT;
        minor = 0;
        CU_ASSERT_EQUAL(ntlm_gss_import_sec_context(&minor, &blob, &handle),
                        len <= max ? GSS_S_COMPLETE : GSS_S_DEFECTIVE_TOKEN);
        CU_ASSERT_EQUAL(minor, len <= max ? 0 : NTLM_ERR_BAD_EXPORT);
        ntlm_gss_delete_sec_context(&minor, &handle, GSS_C_NO_BUFFER);
    }
    free(blob.value);
    free(base);
}

static void
test_a_stream_field_is_a_tag_0_or_1_and_a_permutation(void)
{
    gss_ctx_id_t ictx = (gss_ctx_id_t)gss_test_ctx(true, FLAGS_V2), handle = GSS_C_NO_CONTEXT;
    gss_buffer_desc in = {1, "x"}, tok = GSS_C_EMPTY_BUFFER, blob = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, min;
    uint8_t *state;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_wrap(&minor, ictx, 1, 0, &in, NULL, &tok), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_export_sec_context(&minor, &ictx, &blob), GSS_S_COMPLETE);
    state = (uint8_t *)blob.value + V3_SEND_STREAM;
    CU_ASSERT_EQUAL_FATAL(state[0], 1);
    /* A good state behind tag 2. */
    state[0] = 2;
    CU_ASSERT_EQUAL(ntlm_gss_import_sec_context(&minor, &blob, &handle), GSS_S_DEFECTIVE_TOKEN);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_BAD_EXPORT);
    CU_ASSERT_PTR_NULL(handle);
    /* Tag 1, then i, j and S: two equal entries make S no permutation. */
    state[0] = 1;
    state[4] = state[3];
    CU_ASSERT_EQUAL(ntlm_gss_import_sec_context(&minor, &blob, &handle), GSS_S_DEFECTIVE_TOKEN);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_BAD_EXPORT);
    CU_ASSERT_PTR_NULL(handle);
    gss_release_buffer(&min, &tok);
    gss_release_buffer(&min, &blob);
}

static void
test_a_version_2_blob_replays_its_stream_to_the_position(void)
{
    struct ntlm_ctx *acceptor = gss_test_ctx(false, FLAGS_V2);
    gss_ctx_id_t actx = (gss_ctx_id_t)acceptor, ictx;
    gss_buffer_desc one = {3, "one"}, two = {3, "two"}, t4 = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc t5 = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, min;

    /* v2_blob is an initiator that has read the acceptor's messages up to number 4, one of
     * 3 bytes: data and checksum, 11 bytes of the acceptor's stream. */
    acceptor->sign.send.seq = 4;
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_wrap(&minor, actx, 1, 0, &one, NULL, &t4), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_wrap(&minor, actx, 1, 0, &two, NULL, &t5), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(import_hex(v2_blob, true, &ictx, &minor), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(ntlm_gss_unwrap(&minor, ictx, &t5, &out, NULL, NULL), GSS_S_COMPLETE);
    CU_ASSERT_TRUE(out.length == 3 && memcmp(out.value, "two", 3) == 0);
    CU_ASSERT_STRING_EQUAL(((struct ntlm_ctx *)ictx)->src_name->sids, "S-1-5-32-545");
    gss_release_buffer(&min, &out);
    gss_release_buffer(&min, &t4);
    gss_release_buffer(&min, &t5);
    ntlm_gss_delete_sec_context(&min, &ictx, GSS_C_NO_BUFFER);
    ntlm_gss_delete_sec_context(&min, &actx, GSS_C_NO_BUFFER);
}

static void
test_a_version_1_blob_has_names_without_sids(void)
{
    gss_ctx_id_t handle;
    const struct ntlm_ctx *ctx;
    OM_uint32 minor;

    CU_ASSERT_EQUAL_FATAL(import_hex(v1_blob, false, &handle, &minor), GSS_S_COMPLETE);
    ctx = (const struct ntlm_ctx *)handle;
    CU_ASSERT_STRING_EQUAL(ctx->src_name->user, "alice");
    CU_ASSERT_PTR_NULL(ctx->src_name->sids);
    CU_ASSERT_PTR_NULL(ctx->sign.send.rc4);
    ntlm_gss_delete_sec_context(&minor, &handle, GSS_C_NO_BUFFER);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"export refuses a missing or unfinished context and keeps it",
         test_export_refuses_a_missing_or_unfinished_context_and_keeps_it},
        {"export writes the drawn layout and consumes the context",
         test_export_writes_the_drawn_layout_and_consumes_the_context},
        {"import restores role, flags, lifetime, key, sequence and names",
         test_import_restores_role_flags_lifetime_key_sequence_and_names},
        {"an imported context continues each stream where it stopped",
         test_an_imported_context_continues_each_stream_where_it_stopped},
        {"without ESS the shared stream travels once and continues",
         test_without_ess_the_shared_stream_travels_once_and_continues},
        {"export keeps a context whose names import would refuse",
         test_export_keeps_a_context_whose_names_import_would_refuse},
        {"every malformed blob is a defective token and makes no context",
         test_every_malformed_blob_is_a_defective_token_and_makes_no_context},
        {"import refuses a string past its bound though its bytes are there",
         test_import_refuses_a_string_past_its_bound_though_its_bytes_are_there},
        {"a stream field is a tag 0 or 1 and a permutation",
         test_a_stream_field_is_a_tag_0_or_1_and_a_permutation},
        {"a version 2 blob replays its stream to the position",
         test_a_version_2_blob_replays_its_stream_to_the_position},
        {"a version 1 blob has names without SIDs", test_a_version_1_blob_has_names_without_sids},
        CU_TEST_INFO_NULL,
    };

    return test_run_suite("ntlm_serialize", tests);
}
