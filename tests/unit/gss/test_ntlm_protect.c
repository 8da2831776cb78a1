/*
 * Per-message protection (mech/gss/ntlm_protect.c) on contexts built by hand from a session
 * key and flags, as an exchange would leave them: no handshake, no mechglue. The MS-NLMP
 * GSS_WrapEx examples check the token layout; forged, replayed and malformed input check the
 * statuses and that a refused message leaves the stream where it was.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gss_test_ctx.h"
#include "ntlm_errors.h"
#include "ntlm_gss.h"
#include "ntlm_message.h"
#include "test_util.h"

#define SIG NTLM_SIGNATURE_SIZE
#define FLAGS_V1 (NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL)
#define FLAGS_V2                                                                                   \
    (FLAGS_V1 | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_128 |               \
     NTLMSSP_NEGOTIATE_KEY_EXCH)
#define FLAGS_SIGN_ONLY                                                                            \
    (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_128)

/* "Plaintext" in UTF-16LE, the message of every MS-NLMP GSS_WrapEx example. */
static const char plaintext[18] = {'P', 0,   'l', 0,   'a', 0,   'i', 0,   'n',
                                   0,   't', 0,   'e', 0,   'x', 0,   't', 0};

static gss_ctx_id_t
context(bool initiator, uint32_t flags)
{
    return (gss_ctx_id_t)gss_test_ctx(initiator, flags);
}

static void
drop(gss_ctx_id_t ctx)
{
    ntlm_ctx_free((struct ntlm_ctx *)ctx);
}

static gss_buffer_desc
text(const char *s)
{
    return (gss_buffer_desc){strlen(s), (void *)s};
}

static void
test_a_missing_unfinished_or_expired_context_protects_nothing(void)
{
    gss_buffer_desc msg = text("hello"), out = GSS_C_EMPTY_BUFFER;
    struct ntlm_ctx *ctx = (struct ntlm_ctx *)context(true, FLAGS_V2);
    OM_uint32 minor, limit;

    CU_ASSERT_EQUAL(ntlm_gss_get_mic(&minor, GSS_C_NO_CONTEXT, 0, &msg, &out), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_INVALID_ARG);
    ctx->stage = NTLM_STAGE_INIT_WAIT_CHALLENGE;
    CU_ASSERT_EQUAL(ntlm_gss_wrap(&minor, (gss_ctx_id_t)ctx, 1, 0, &msg, NULL, &out),
                    GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_NOT_ESTABLISHED);
    ctx->stage = NTLM_STAGE_ESTABLISHED;
    ctx->expiry = time(NULL) - 1;
    CU_ASSERT_EQUAL(ntlm_gss_wrap_size_limit(&minor, (gss_ctx_id_t)ctx, 1, 0, 100, &limit),
                    GSS_S_CONTEXT_EXPIRED);
    CU_ASSERT_EQUAL(out.length, 0);
    CU_ASSERT_EQUAL(ctx->sign.send.seq, 0);
    drop((gss_ctx_id_t)ctx);
}

static void
test_without_sign_or_seal_a_mic_is_the_dummy_signature_only_with_always_sign(void)
{
    gss_ctx_id_t bare = context(true, NTLMSSP_NEGOTIATE_NTLM);
    gss_ctx_id_t always = context(true, NTLMSSP_NEGOTIATE_ALWAYS_SIGN);
    gss_buffer_desc msg = text("hello"), mic = GSS_C_EMPTY_BUFFER, forged;
    uint8_t other[SIG] = {1, 0, 0, 0, 1};
    OM_uint32 minor, min;

    /* MS-NLMP 3.4.4: no key, so nothing to sign with unless ALWAYS_SIGN asks for the dummy. */
    CU_ASSERT_EQUAL(ntlm_gss_get_mic(&minor, bare, 0, &msg, &mic), GSS_S_UNAVAILABLE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_NO_SESSION_KEY);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_get_mic(&minor, always, 0, &msg, &mic), GSS_S_COMPLETE);
    CU_ASSERT_TRUE(test_hex_equal(mic.value, mic.length, "01000000000000000000000000000000"));
    CU_ASSERT_EQUAL(ntlm_gss_verify_mic(&minor, always, &msg, &mic, NULL), GSS_S_COMPLETE);
    forged = (gss_buffer_desc){SIG, other};
    CU_ASSERT_EQUAL(ntlm_gss_verify_mic(&minor, always, &msg, &forged, NULL), GSS_S_BAD_SIG);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_SIGNATURE_MISMATCH);
    CU_ASSERT_EQUAL(ntlm_gss_verify_mic(&minor, bare, &msg, &mic, NULL), GSS_S_UNAVAILABLE);
    gss_release_buffer(&min, &mic);
    drop(bare);
    drop(always);
}

/* Wraps "Plaintext" as the client; the token is the signature, then the sealed data. */
static void
check_wrap_vector(uint32_t flags, const char *token_hex)
{
    gss_ctx_id_t ictx = context(true, flags), actx = context(false, flags);
    gss_buffer_desc in = {sizeof(plaintext), (void *)plaintext}, tok = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    const struct ntlm_sign_state *sign;
    OM_uint32 minor, min;
    int conf = 0;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_wrap(&minor, ictx, 1, 0, &in, &conf, &tok), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(conf, 1);
    CU_ASSERT_TRUE(test_hex_equal(tok.value, tok.length, token_hex));
    conf = 0;
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_unwrap(&minor, actx, &tok, &out, &conf, NULL), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(conf, 1);
    CU_ASSERT_EQUAL(out.length, sizeof(plaintext));
    CU_ASSERT_EQUAL(memcmp(out.value, plaintext, sizeof(plaintext)), 0);
    /* Without ESS one counter serves both directions, as one RC4 stream does. */
    sign = &((struct ntlm_ctx *)actx)->sign;
    CU_ASSERT_EQUAL(sign->recv.shared ? sign->send.seq : sign->recv.seq, 1);
    gss_release_buffer(&min, &tok);
    gss_release_buffer(&min, &out);
    drop(ictx);
    drop(actx);
}

static void
test_wrap_without_ess_gives_the_ms_nlmp_4_2_2_4_token(void)
{
    check_wrap_vector(FLAGS_V1,
                      "0100000000000000 09dcd1df2e459d36 56fe04d861f9319af0d7238a2e3b4d457fb8");
}

static void
test_wrap_with_ess_and_key_exchange_gives_the_ms_nlmp_4_2_4_4_token(void)
{
    check_wrap_vector(FLAGS_V2,
                      "010000007fb38ec5c55d497600000000 54e50165bf1936dc996020c1811b0f06fb5f");
}

static void
test_a_mic_verifies_once_and_in_order_only(void)
{
    gss_ctx_id_t ictx = context(true, FLAGS_V2), actx = context(false, FLAGS_V2);
    gss_buffer_desc msg = text("hello"), m0 = GSS_C_EMPTY_BUFFER, m1 = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc m2 = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, min, major;
    gss_qop_t qop = 7;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_get_mic(&minor, ictx, 0, &msg, &m0), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_get_mic(&minor, ictx, 0, &msg, &m1), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_get_mic(&minor, ictx, 0, &msg, &m2), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(m0.length, SIG);
    /* Skipping m1: a gap, reported as a bad signature (never as a bare supplementary bit). */
    major = ntlm_gss_verify_mic(&minor, actx, &msg, &m2, &qop);
    CU_ASSERT_EQUAL(major, GSS_S_BAD_SIG | GSS_S_GAP_TOKEN);
    CU_ASSERT_TRUE(GSS_ERROR(major));
    CU_ASSERT_EQUAL(minor, NTLM_ERR_SEQ_GAP);
    CU_ASSERT_EQUAL(qop, GSS_C_QOP_DEFAULT);
    CU_ASSERT_EQUAL(ntlm_gss_verify_mic(&minor, actx, &msg, &m0, NULL), GSS_S_COMPLETE);
    /* m0 again: a replay. */
    major = ntlm_gss_verify_mic(&minor, actx, &msg, &m0, NULL);
    CU_ASSERT_EQUAL(major, GSS_S_BAD_SIG | GSS_S_DUPLICATE_TOKEN);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_SEQ_REPLAY);
    /* m1 over other data: its number is the expected one, so only the MAC is wrong. */
    msg = text("hellO");
    CU_ASSERT_EQUAL(ntlm_gss_verify_mic(&minor, actx, &msg, &m1, NULL), GSS_S_BAD_SIG);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_SIGNATURE_MISMATCH);
    msg = text("hello");
    CU_ASSERT_EQUAL(ntlm_gss_verify_mic(&minor, actx, &msg, &m1, NULL), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(ntlm_gss_verify_mic(&minor, actx, &msg, &m2, NULL), GSS_S_COMPLETE);
    gss_release_buffer(&min, &m0);
    gss_release_buffer(&min, &m1);
    gss_release_buffer(&min, &m2);
    drop(ictx);
    drop(actx);
}

static void
test_a_forged_first_message_leaves_the_stream_unstarted(void)
{
    gss_ctx_id_t ictx = context(true, FLAGS_V2), actx = context(false, FLAGS_V2);
    gss_buffer_desc in = text("secret"), tok = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, min;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_wrap(&minor, ictx, 1, 0, &in, NULL, &tok), GSS_S_COMPLETE);
    ((uint8_t *)tok.value)[SIG] ^= 1;
    CU_ASSERT_EQUAL(ntlm_gss_unwrap(&minor, actx, &tok, &out, NULL, NULL), GSS_S_BAD_SIG);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_SIGNATURE_MISMATCH);
    CU_ASSERT_PTR_NULL(out.value);
    CU_ASSERT_PTR_NULL(((struct ntlm_ctx *)actx)->sign.recv.rc4);
    CU_ASSERT_EQUAL(((struct ntlm_ctx *)actx)->sign.recv.seq, 0);
    ((uint8_t *)tok.value)[SIG] ^= 1;
    CU_ASSERT_EQUAL(ntlm_gss_unwrap(&minor, actx, &tok, &out, NULL, NULL), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(out.length, in.length);
    gss_release_buffer(&min, &tok);
    gss_release_buffer(&min, &out);
    drop(ictx);
    drop(actx);
}

static void
test_a_forged_later_message_rewinds_the_stream_for_the_genuine_one(void)
{
    gss_ctx_id_t ictx = context(true, FLAGS_V1), actx = context(false, FLAGS_V1);
    gss_buffer_desc in = text("first"), t0 = GSS_C_EMPTY_BUFFER, t1 = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, min;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_wrap(&minor, ictx, 1, 0, &in, NULL, &t0), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_wrap(&minor, ictx, 1, 0, &in, NULL, &t1), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_unwrap(&minor, actx, &t0, &out, NULL, NULL), GSS_S_COMPLETE);
    gss_release_buffer(&min, &out);
    /* Without ESS the sequence number is sealed: any failure is a plain bad signature. */
    ((uint8_t *)t1.value)[SIG - 1] ^= 0x80;
    CU_ASSERT_EQUAL(ntlm_gss_unwrap(&minor, actx, &t1, &out, NULL, NULL), GSS_S_BAD_SIG);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_SIGNATURE_MISMATCH);
    ((uint8_t *)t1.value)[SIG - 1] ^= 0x80;
    CU_ASSERT_EQUAL(ntlm_gss_unwrap(&minor, actx, &t1, &out, NULL, NULL), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(out.length, in.length);
    CU_ASSERT_EQUAL(memcmp(out.value, "first", 5), 0);
    gss_release_buffer(&min, &t0);
    gss_release_buffer(&min, &t1);
    gss_release_buffer(&min, &out);
    drop(ictx);
    drop(actx);
}

static void
test_malformed_tokens_and_arguments_get_their_own_status(void)
{
    gss_ctx_id_t ctx = context(false, FLAGS_V2);
    uint8_t v2[SIG] = {2};
    gss_buffer_desc msg = text("hello"), out = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc version2 = {SIG, v2}, short_tok = {SIG - 1, v2};
    OM_uint32 minor;
    gss_qop_t qop = 7;

    CU_ASSERT_EQUAL(ntlm_gss_get_mic(&minor, ctx, 1, &msg, &out), GSS_S_BAD_QOP);
    CU_ASSERT_EQUAL(ntlm_gss_wrap(&minor, ctx, 1, 1, &msg, NULL, &out), GSS_S_BAD_QOP);
    CU_ASSERT_EQUAL(ntlm_gss_verify_mic(&minor, ctx, &msg, &short_tok, &qop),
                    GSS_S_DEFECTIVE_TOKEN);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_SIGNATURE_VERSION);
    CU_ASSERT_EQUAL(qop, GSS_C_QOP_DEFAULT);
    CU_ASSERT_EQUAL(ntlm_gss_verify_mic(&minor, ctx, &msg, &version2, NULL), GSS_S_DEFECTIVE_TOKEN);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_SIGNATURE_VERSION);
    out = (gss_buffer_desc){3, v2};
    CU_ASSERT_EQUAL(ntlm_gss_unwrap(&minor, ctx, &short_tok, &out, NULL, NULL),
                    GSS_S_DEFECTIVE_TOKEN);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_TRUNCATED);
    CU_ASSERT_EQUAL(out.length, 0);
    CU_ASSERT_PTR_NULL(out.value);
    CU_ASSERT_EQUAL(((struct ntlm_ctx *)ctx)->sign.recv.seq, 0);
    drop(ctx);
}

static void
test_iov_wrap_signs_data_and_sign_only_and_seals_data_alone(void)
{
    gss_ctx_id_t ictx = context(true, FLAGS_V2), actx = context(false, FLAGS_V2);
    char data[] = "payload", assoc[] = "header";
    gss_iov_buffer_desc iov[4] = {
        {GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE, {0, NULL}},
        {GSS_IOV_BUFFER_TYPE_SIGN_ONLY, {6, assoc}},
        {GSS_IOV_BUFFER_TYPE_DATA, {7, data}},
        {GSS_IOV_BUFFER_TYPE_PADDING, {5, NULL}},
    };
    OM_uint32 minor;
    int conf = 0;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_wrap_iov(&minor, ictx, 1, 0, &conf, iov, 4), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(conf, 1);
    CU_ASSERT_EQUAL(iov[0].buffer.length, SIG);
    CU_ASSERT_TRUE(iov[0].type & GSS_IOV_BUFFER_FLAG_ALLOCATED);
    CU_ASSERT_EQUAL(iov[3].buffer.length, 0);
    CU_ASSERT_EQUAL(memcmp(assoc, "header", 6), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(data, "payload", 7), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_unwrap_iov(&minor, actx, &conf, NULL, iov, 3), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(memcmp(data, "payload", 7), 0);
    free(iov[0].buffer.value);
    drop(ictx);
    drop(actx);
}

static void
test_iov_unwrap_splits_a_stream_into_signature_and_data(void)
{
    gss_ctx_id_t ictx = context(true, FLAGS_V2), actx = context(false, FLAGS_V2);
    gss_buffer_desc in = text("streamed"), tok = GSS_C_EMPTY_BUFFER;
    /* The SIGN_ONLY buffer is not the peer's: a stream's MAC covers its data alone. */
    gss_iov_buffer_desc iov[3] = {{GSS_IOV_BUFFER_TYPE_STREAM, {0, NULL}},
                                  {GSS_IOV_BUFFER_TYPE_DATA, {0, NULL}},
                                  {GSS_IOV_BUFFER_TYPE_SIGN_ONLY, {3, "xyz"}}};
    OM_uint32 minor, min;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_wrap(&minor, ictx, 1, 0, &in, NULL, &tok), GSS_S_COMPLETE);
    iov[0].buffer = tok;
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_unwrap_iov(&minor, actx, NULL, NULL, iov, 3), GSS_S_COMPLETE);
    CU_ASSERT_PTR_EQUAL(iov[1].buffer.value, (uint8_t *)tok.value + SIG);
    CU_ASSERT_EQUAL(iov[1].buffer.length, in.length);
    CU_ASSERT_EQUAL(memcmp(iov[1].buffer.value, "streamed", in.length), 0);
    /* A stream shorter than a signature is a truncated token, not a bad structure. */
    iov[0].buffer.length = SIG - 1;
    CU_ASSERT_EQUAL(ntlm_gss_unwrap_iov(&minor, actx, NULL, NULL, iov, 2), GSS_S_DEFECTIVE_TOKEN);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_TRUNCATED);
    gss_release_buffer(&min, &tok);
    drop(ictx);
    drop(actx);
}

static void
test_iov_layouts_it_cannot_read_are_bad_structures(void)
{
    gss_ctx_id_t ctx = context(true, FLAGS_V2);
    uint8_t hdr[SIG], small[SIG - 1];
    gss_iov_buffer_desc two_headers[2] = {{GSS_IOV_BUFFER_TYPE_HEADER, {SIG, hdr}},
                                          {GSS_IOV_BUFFER_TYPE_HEADER, {SIG, hdr}}};
    gss_iov_buffer_desc no_header[1] = {{GSS_IOV_BUFFER_TYPE_DATA, {SIG, hdr}}};
    gss_iov_buffer_desc unknown[2] = {{GSS_IOV_BUFFER_TYPE_HEADER, {SIG, hdr}}, {99, {SIG, hdr}}};
    gss_iov_buffer_desc short_header[1] = {{GSS_IOV_BUFFER_TYPE_HEADER, {sizeof(small), small}}};
    gss_iov_buffer_desc stream[1] = {{GSS_IOV_BUFFER_TYPE_STREAM, {SIG, hdr}}};
    gss_iov_buffer_desc many[65];
    OM_uint32 minor;
    size_t i;
    struct {
        gss_iov_buffer_desc *iov;
        int count;
    } rows[] = {{two_headers, 2},  {no_header, 1}, {unknown, 2},
                {short_header, 1}, {stream, 1},    {many, 65}};

    for (i = 0; i < 65; i++)
        many[i] = (gss_iov_buffer_desc){GSS_IOV_BUFFER_TYPE_EMPTY, {0, NULL}};
    many[0] = two_headers[0];
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        minor = 0;
        CU_ASSERT_EQUAL(ntlm_gss_wrap_iov(&minor, ctx, 1, 0, NULL, rows[i].iov, rows[i].count),
                        GSS_S_CALL_BAD_STRUCTURE);
        CU_ASSERT_EQUAL(minor, NTLM_ERR_BAD_IOV);
    }
    /* Nothing was signed: the next message still carries sequence number 0. */
    CU_ASSERT_EQUAL(((struct ntlm_ctx *)ctx)->sign.send.seq, 0);
    CU_ASSERT_EQUAL(ntlm_gss_wrap_iov(&minor, ctx, 1, 0, NULL, many, 64), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(((struct ntlm_ctx *)ctx)->sign.send.seq, 1);
    drop(ctx);
}

static void
test_a_mic_over_pieces_equals_the_mic_over_their_concatenation(void)
{
    gss_ctx_id_t a = context(true, FLAGS_V2), b = context(true, FLAGS_V2);
    gss_ctx_id_t actx = context(false, FLAGS_V2);
    gss_buffer_desc whole = text("abcdef"), mic = GSS_C_EMPTY_BUFFER;
    uint8_t sig[SIG];
    gss_iov_buffer_desc iov[3] = {{GSS_IOV_BUFFER_TYPE_DATA, {3, "abc"}},
                                  {GSS_IOV_BUFFER_TYPE_MIC_TOKEN, {SIG, sig}},
                                  {GSS_IOV_BUFFER_TYPE_SIGN_ONLY, {3, "def"}}};
    OM_uint32 minor, min;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_get_mic(&minor, a, 0, &whole, &mic), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_get_mic_iov(&minor, b, 0, iov, 3), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(memcmp(sig, mic.value, SIG), 0);
    CU_ASSERT_EQUAL(ntlm_gss_verify_mic_iov(&minor, actx, NULL, iov, 3), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(ntlm_gss_get_mic_iov(&minor, b, 1, iov, 3), GSS_S_BAD_QOP);
    gss_release_buffer(&min, &mic);
    drop(a);
    drop(b);
    drop(actx);
}

static void
test_lengths_reserve_one_signature_and_nothing_else(void)
{
    gss_ctx_id_t ctx = context(true, FLAGS_SIGN_ONLY);
    gss_iov_buffer_desc iov[3] = {{GSS_IOV_BUFFER_TYPE_HEADER, {0, NULL}},
                                  {GSS_IOV_BUFFER_TYPE_DATA, {1000, NULL}},
                                  {GSS_IOV_BUFFER_TYPE_TRAILER, {9, NULL}}};
    gss_iov_buffer_desc mic_only[1] = {{GSS_IOV_BUFFER_TYPE_DATA, {4, NULL}}};
    OM_uint32 minor, max = 1;
    int conf = 1;

    CU_ASSERT_EQUAL(ntlm_gss_wrap_iov_length(&minor, ctx, 1, 0, &conf, iov, 3), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(iov[0].buffer.length, SIG);
    CU_ASSERT_EQUAL(iov[2].buffer.length, 0);
    /* Signing without sealing: the caller learns its data will travel in the clear. */
    CU_ASSERT_EQUAL(conf, 0);
    CU_ASSERT_EQUAL(ntlm_gss_get_mic_iov_length(&minor, ctx, 0, mic_only, 1),
                    GSS_S_CALL_BAD_STRUCTURE);
    CU_ASSERT_EQUAL(ntlm_gss_wrap_size_limit(&minor, ctx, 1, 0, 100, &max), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(max, 100 - SIG);
    CU_ASSERT_EQUAL(ntlm_gss_wrap_size_limit(&minor, ctx, 1, 0, SIG, &max), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(max, 0);
    drop(ctx);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"a missing, unfinished or expired context protects nothing",
         test_a_missing_unfinished_or_expired_context_protects_nothing},
        {"without sign or seal a MIC is the dummy signature, only with ALWAYS_SIGN",
         test_without_sign_or_seal_a_mic_is_the_dummy_signature_only_with_always_sign},
        {"wrap without ESS gives the MS-NLMP 4.2.2.4 token",
         test_wrap_without_ess_gives_the_ms_nlmp_4_2_2_4_token},
        {"wrap with ESS and key exchange gives the MS-NLMP 4.2.4.4 token",
         test_wrap_with_ess_and_key_exchange_gives_the_ms_nlmp_4_2_4_4_token},
        {"a MIC verifies once and in order only", test_a_mic_verifies_once_and_in_order_only},
        {"a forged first message leaves the stream unstarted",
         test_a_forged_first_message_leaves_the_stream_unstarted},
        {"a forged later message rewinds the stream for the genuine one",
         test_a_forged_later_message_rewinds_the_stream_for_the_genuine_one},
        {"malformed tokens and arguments get their own status",
         test_malformed_tokens_and_arguments_get_their_own_status},
        {"IOV wrap signs DATA and SIGN_ONLY and seals DATA alone",
         test_iov_wrap_signs_data_and_sign_only_and_seals_data_alone},
        {"IOV unwrap splits a stream into signature and data",
         test_iov_unwrap_splits_a_stream_into_signature_and_data},
        {"IOV layouts it cannot read are bad structures",
         test_iov_layouts_it_cannot_read_are_bad_structures},
        {"a MIC over pieces equals the MIC over their concatenation",
         test_a_mic_over_pieces_equals_the_mic_over_their_concatenation},
        {"lengths reserve one signature and nothing else",
         test_lengths_reserve_one_signature_and_nothing_else},
        CU_TEST_INFO_NULL,
    };

    return test_run_suite("ntlm_protect", tests);
}
