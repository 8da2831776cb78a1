/*
 * What both roles' contexts share (mech/gss/ntlm_context.c): failing and restarting a context,
 * the GSS flags granted, the session start, deletion, lifetime, inquiry, the OID queries and
 * SPNEGO's reset option, on contexts built here field by field.
 */
#include <stdlib.h>
#include <string.h>

#include "ntlm_errors.h"
#include "ntlm_gss.h"
#include "ntlm_message.h"
#include "test_util.h"

/* Signing with key exchange and ESS: signatures go through the RC4 stream. */
#define SIGN_FLAGS                                                                                 \
    (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |                         \
     NTLMSSP_NEGOTIATE_KEY_EXCH | NTLMSSP_NEGOTIATE_128)

static const uint8_t key[16] = {0x55, 0x72, 0x3c, 0x8c, 0x01, 0x02, 0x03, 0x04,
                                0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c};

/* A context in the middle of its life: names, handshake messages, and a session if flags. */
static struct ntlm_ctx *
context_new(bool initiator, uint32_t flags)
{
    struct ntlm_ctx *ctx = calloc(1, sizeof(*ctx));

    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
    ctx->initiator = initiator;
    ctx->stage = initiator ? NTLM_STAGE_INIT_WAIT_CHALLENGE : NTLM_STAGE_ACCEPT_WAIT_AUTHENTICATE;
    CU_ASSERT_EQUAL_FATAL(ntlm_name_new(NTLM_NAME_USER, "alice", "TESTDOM", &ctx->src_name), 0);
    CU_ASSERT_EQUAL_FATAL(
        ntlm_name_new(NTLM_NAME_SERVICE, "HTTP", "server.example", &ctx->targ_name), 0);
    ntlm_buf_add(&ctx->negotiate_msg, "NTLMSSP", 8);
    ntlm_buf_add(&ctx->challenge_msg, "NTLMSSP", 8);
    memset(ctx->server_challenge, 0xcc, 8);
    if (flags != 0)
        CU_ASSERT_EQUAL_FATAL(ntlm_ctx_start_session(ctx, flags, key), 0);
    return ctx;
}

/* An established context, as the last step of either role leaves it. */
static struct ntlm_ctx *
established_new(bool initiator, uint32_t flags)
{
    struct ntlm_ctx *ctx = context_new(initiator, flags);

    ctx->ret_flags = ntlm_ctx_gss_flags(flags, 0);
    ntlm_ctx_established(ctx);
    return ctx;
}

static void
test_a_failed_context_keeps_only_its_role(void)
{
    bool roles[] = {true, false};
    size_t i;

    for (i = 0; i < 2; i++) {
        struct ntlm_ctx *ctx = context_new(roles[i], SIGN_FLAGS);

        ntlm_ctx_fail(ctx);
        CU_ASSERT_EQUAL(ctx->initiator, roles[i]);
        CU_ASSERT_EQUAL(ctx->stage, NTLM_STAGE_FAILED);
        CU_ASSERT_FALSE(ctx->have_key);
        CU_ASSERT(test_all_zero(ctx->exported_key, sizeof(ctx->exported_key)));
        CU_ASSERT(test_all_zero(ctx->server_challenge, sizeof(ctx->server_challenge)));
        CU_ASSERT_EQUAL(ctx->neg_flags, 0);
        CU_ASSERT_PTR_NULL(ctx->src_name);
        CU_ASSERT_PTR_NULL(ctx->targ_name);
        CU_ASSERT_EQUAL(ctx->negotiate_msg.len, 0);
        CU_ASSERT_EQUAL(ctx->challenge_msg.len, 0);
        ntlm_ctx_free(ctx);
    }
}

static void
test_a_restarted_acceptor_is_as_before_any_token(void)
{
    struct ntlm_ctx *ctx = context_new(false, SIGN_FLAGS);

    ntlm_ctx_restart_acceptor(ctx);
    CU_ASSERT_FALSE(ctx->initiator);
    CU_ASSERT_EQUAL(ctx->stage, NTLM_STAGE_ACCEPT_START);
    CU_ASSERT_FALSE(ctx->have_key);
    CU_ASSERT(test_all_zero(ctx->exported_key, sizeof(ctx->exported_key)));
    CU_ASSERT_PTR_NULL(ctx->src_name);
    CU_ASSERT_EQUAL(ctx->challenge_msg.len, 0);
    ntlm_ctx_free(ctx);
}

static void
test_signing_grants_integrity_replay_and_sequence_and_sealing_confidentiality(void)
{
    static const struct {
        uint32_t neg;
        OM_uint32 gss;
    } rows[] = {
        {0, GSS_C_TRANS_FLAG},
        {NTLMSSP_NEGOTIATE_SIGN,
         GSS_C_TRANS_FLAG | GSS_C_INTEG_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG},
        {NTLMSSP_NEGOTIATE_SEAL, GSS_C_TRANS_FLAG | GSS_C_INTEG_FLAG | GSS_C_REPLAY_FLAG |
                                     GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG},
        {NTLMSSP_NEGOTIATE_IDENTIFY, GSS_C_TRANS_FLAG | GSS_C_IDENTIFY_FLAG},
        {NTLMSSP_ANONYMOUS, GSS_C_TRANS_FLAG | GSS_C_ANON_FLAG},
        /* What the caller asked for grants nothing by itself. */
        {NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_KEY_EXCH, GSS_C_TRANS_FLAG},
    };
    size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        CU_ASSERT_EQUAL(ntlm_ctx_gss_flags(rows[i].neg, GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG),
                        rows[i].gss);
}

static void
test_a_session_takes_the_flags_and_a_key_that_may_be_its_own(void)
{
    struct ntlm_ctx *ctx = context_new(true, 0);

    CU_ASSERT_EQUAL_FATAL(ntlm_ctx_start_session(ctx, SIGN_FLAGS, key), 0);
    CU_ASSERT(ctx->have_key);
    CU_ASSERT_EQUAL(ctx->neg_flags, SIGN_FLAGS);
    CU_ASSERT_EQUAL(ctx->sign.flags, SIGN_FLAGS);
    CU_ASSERT_EQUAL(memcmp(ctx->exported_key, key, 16), 0);
    /* An import passes the context's own key back in. */
    ntlm_sign_state_free(&ctx->sign);
    CU_ASSERT_EQUAL_FATAL(ntlm_ctx_start_session(ctx, SIGN_FLAGS, ctx->exported_key), 0);
    CU_ASSERT_EQUAL(memcmp(ctx->exported_key, key, 16), 0);
    ntlm_ctx_free(ctx);
}

static void
test_deleting_a_context_clears_the_handle_and_the_output_token(void)
{
    gss_ctx_id_t handle = (gss_ctx_id_t)context_new(true, SIGN_FLAGS);
    gss_buffer_desc out = {5, (void *)"stale"};
    OM_uint32 minor = 1;

    CU_ASSERT_EQUAL(ntlm_gss_delete_sec_context(&minor, &handle, &out), GSS_S_COMPLETE);
    CU_ASSERT_PTR_NULL(handle);
    CU_ASSERT_EQUAL(out.length, 0);
    CU_ASSERT_PTR_NULL(out.value);
    CU_ASSERT_EQUAL(minor, 0);
    /* No context, or no handle at all, is nothing to do. */
    CU_ASSERT_EQUAL(ntlm_gss_delete_sec_context(&minor, &handle, GSS_C_NO_BUFFER), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(ntlm_gss_delete_sec_context(&minor, NULL, GSS_C_NO_BUFFER), GSS_S_COMPLETE);
}

static void
test_context_time_counts_down_to_expiry(void)
{
    struct ntlm_ctx *ctx = context_new(true, SIGN_FLAGS);
    OM_uint32 minor, left = 0;

    CU_ASSERT_EQUAL(ntlm_gss_context_time(&minor, GSS_C_NO_CONTEXT, &left), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_INVALID_ARG);
    CU_ASSERT_EQUAL(ntlm_gss_context_time(&minor, (gss_ctx_id_t)ctx, &left), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_NOT_ESTABLISHED);
    ntlm_ctx_established(ctx);
    ctx->expiry = time(NULL) + 100;
    CU_ASSERT_EQUAL(ntlm_gss_context_time(&minor, (gss_ctx_id_t)ctx, &left), GSS_S_COMPLETE);
    CU_ASSERT(left > 0 && left <= 100);
    ctx->expiry = time(NULL) - 1;
    CU_ASSERT_EQUAL(ntlm_gss_context_time(&minor, (gss_ctx_id_t)ctx, &left), GSS_S_CONTEXT_EXPIRED);
    CU_ASSERT_EQUAL(left, 0);
    ntlm_ctx_free(ctx);
}

static void
test_inquiry_gives_copies_of_the_names_and_the_state(void)
{
    struct ntlm_ctx *ctx = context_new(false, SIGN_FLAGS);
    gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 minor, min, lifetime = 1, flags = 0;
    int local = -1, open = -1;

    CU_ASSERT_EQUAL(ntlm_gss_inquire_context(&minor, GSS_C_NO_CONTEXT, NULL, NULL, NULL, NULL, NULL,
                                             NULL, NULL),
                    GSS_S_NO_CONTEXT);
    ctx->ret_flags = GSS_C_INTEG_FLAG;
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_inquire_context(&minor, (gss_ctx_id_t)ctx, &src, &targ,
                                                   &lifetime, &mech, &flags, &local, &open),
                          GSS_S_COMPLETE);
    CU_ASSERT_PTR_NOT_EQUAL(src, ctx->src_name);
    CU_ASSERT_STRING_EQUAL(((struct ntlm_name *)src)->user, "alice");
    CU_ASSERT_STRING_EQUAL(((struct ntlm_name *)targ)->domain, "server.example");
    CU_ASSERT_EQUAL(lifetime, 0);
    CU_ASSERT_PTR_EQUAL(mech, NTLM_MECH_OID);
    CU_ASSERT_EQUAL(flags, GSS_C_INTEG_FLAG);
    CU_ASSERT_EQUAL(local, 0);
    CU_ASSERT_EQUAL(open, 0);
    ntlm_gss_release_name(&min, &src);
    ntlm_gss_release_name(&min, &targ);
    /* Once established: open, with its lifetime; a name the context lacks is no name. */
    ntlm_ctx_established(ctx);
    ntlm_name_free(ctx->targ_name);
    ctx->targ_name = NULL;
    targ = (gss_name_t)ctx; /* anything but GSS_C_NO_NAME */
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_inquire_context(&minor, (gss_ctx_id_t)ctx, NULL, &targ,
                                                   &lifetime, NULL, NULL, NULL, &open),
                          GSS_S_COMPLETE);
    CU_ASSERT_PTR_NULL(targ);
    CU_ASSERT(lifetime > 0 && lifetime <= NTLM_CONTEXT_LIFETIME);
    CU_ASSERT_EQUAL(open, 1);
    ntlm_ctx_free(ctx);
}

/* The one buffer an OID query gives, in out (len bytes at most); its major status. */
static OM_uint32
query(struct ntlm_ctx *ctx, const char *der, size_t der_len, uint8_t *out, size_t *len,
      OM_uint32 *minor)
{
    gss_OID_desc oid = {(OM_uint32)der_len, (void *)der};
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    OM_uint32 major, min;

    major = ntlm_gss_inquire_sec_context_by_oid(minor, (gss_ctx_id_t)ctx, &oid, &set);
    if (major != GSS_S_COMPLETE)
        return major;
    CU_ASSERT_EQUAL_FATAL(set->count, 1);
    CU_ASSERT_FATAL(set->elements[0].length <= *len);
    *len = set->elements[0].length;
    memcpy(out, set->elements[0].value, *len);
    gss_release_buffer_set(&min, &set);
    return major;
}

static void
test_spnego_s_queries_learn_the_mic_and_the_flags(void)
{
    struct ntlm_ctx *ctx = context_new(true, SIGN_FLAGS);
    uint8_t value[16];
    size_t len = sizeof(value);
    OM_uint32 minor;

    CU_ASSERT_EQUAL(query(ctx, SSPIGSS_NTLM_REQUIRE_MIC_OID_DER, SSPIGSS_NTLM_SAMBA_OID_LEN, value,
                          &len, &minor),
                    GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(len, 1);
    CU_ASSERT_EQUAL(value[0], 0);
    CU_ASSERT(ctx->spnego_asked_mic);
    ctx->sent_mic = true;
    len = sizeof(value);
    query(ctx, SSPIGSS_NTLM_REQUIRE_MIC_OID_DER, SSPIGSS_NTLM_SAMBA_OID_LEN, value, &len, &minor);
    CU_ASSERT_EQUAL(value[0], 1);
    /* The negotiated flags, little-endian as on the wire. */
    len = sizeof(value);
    CU_ASSERT_EQUAL(
        query(ctx, SSPIGSS_NTLM_NEG_FLAGS_OID_DER, SSPIGSS_NTLM_SAMBA_OID_LEN, value, &len, &minor),
        GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(len, 4);
    CU_ASSERT_EQUAL(value[0] | value[1] << 8 | value[2] << 16 | (uint32_t)value[3] << 24,
                    SIGN_FLAGS);
    ntlm_ctx_free(ctx);
}

static void
test_the_session_key_is_given_only_once_there_is_one(void)
{
    struct ntlm_ctx *ctx = context_new(true, 0);
    gss_OID oid = GSS_C_INQ_SSPI_SESSION_KEY;
    uint8_t value[16];
    size_t len = sizeof(value);
    OM_uint32 minor;

    CU_ASSERT_EQUAL(query(ctx, oid->elements, oid->length, value, &len, &minor), GSS_S_UNAVAILABLE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_NOT_ESTABLISHED);
    CU_ASSERT_EQUAL_FATAL(ntlm_ctx_start_session(ctx, SIGN_FLAGS, key), 0);
    CU_ASSERT_EQUAL(query(ctx, oid->elements, oid->length, value, &len, &minor), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(len, 16);
    CU_ASSERT_EQUAL(memcmp(value, key, 16), 0);
    ntlm_ctx_free(ctx);
}

static void
test_the_sasl_strength_follows_the_sealing_key_size(void)
{
    static const struct {
        uint32_t flags;
        uint8_t ssf;
    } rows[] = {
        {NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56, 128},
        {NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_56, 56},
        {NTLMSSP_NEGOTIATE_SEAL, 40},
        {NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_128, 1},
        {NTLMSSP_NEGOTIATE_128, 0},
    };
    gss_OID oid = GSS_C_SEC_CONTEXT_SASL_SSF;
    struct ntlm_ctx *ctx = context_new(true, 0);
    uint8_t value[4];
    OM_uint32 minor;
    size_t i, len;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        ctx->neg_flags = rows[i].flags;
        len = sizeof(value);
        CU_ASSERT_EQUAL(query(ctx, oid->elements, oid->length, value, &len, &minor),
                        GSS_S_COMPLETE);
        /* Big-endian (RFC 4752's convention for the SSF). */
        CU_ASSERT_EQUAL(len, 4);
        CU_ASSERT(value[0] == 0 && value[1] == 0 && value[2] == 0 && value[3] == rows[i].ssf);
    }
    CU_ASSERT_EQUAL(query(ctx, SSPIGSS_NTLM_MECH_OID_DER, 10, value, &len, &minor),
                    GSS_S_UNAVAILABLE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_UNSUPPORTED_OPTION);
    ntlm_ctx_free(ctx);
}

/* One signature of a fixed message at sequence 0, advancing the send stream. */
static void
sign_once(struct ntlm_ctx *ctx, bool recv, uint8_t sig[NTLM_SIGNATURE_SIZE])
{
    struct ntlm_iov msg = {"message", 7};

    CU_ASSERT_EQUAL_FATAL(
        ntlm_sign_mac(&ctx->sign, recv ? &ctx->sign.recv : &ctx->sign.send, 0, &msg, 1, sig), 0);
}

static OM_uint32
reset_option(gss_ctx_id_t *handle, const char *der, OM_uint32 which, size_t len, OM_uint32 *minor)
{
    gss_OID_desc oid = {SSPIGSS_NTLM_SAMBA_OID_LEN, (void *)der};
    gss_buffer_desc value = {len, &which};

    return ntlm_gss_set_sec_context_option(minor, handle, &oid, &value);
}

static void
test_spnego_s_reset_restarts_one_stream_from_its_key(void)
{
    struct ntlm_ctx *ctx = established_new(true, SIGN_FLAGS);
    gss_ctx_id_t handle = (gss_ctx_id_t)ctx;
    uint8_t first[NTLM_SIGNATURE_SIZE], again[NTLM_SIGNATURE_SIZE];
    OM_uint32 which, minor;

    for (which = 0; which < 2; which++) {
        sign_once(ctx, which == 1, first);
        sign_once(ctx, which == 1, again);
        CU_ASSERT_NOT_EQUAL(memcmp(first, again, sizeof(first)), 0);
        CU_ASSERT_EQUAL(reset_option(&handle, SSPIGSS_NTLM_RESET_CRYPTO_OID_DER, which, 4, &minor),
                        GSS_S_COMPLETE);
        CU_ASSERT(ctx->spnego_reset[which]);
        sign_once(ctx, which == 1, again);
        CU_ASSERT_EQUAL(memcmp(first, again, sizeof(first)), 0);
    }
    ntlm_ctx_free(ctx);
}

static void
test_the_reset_option_refuses_what_it_cannot_read(void)
{
    gss_ctx_id_t handle = (gss_ctx_id_t)context_new(true, 0);
    OM_uint32 minor;

    CU_ASSERT_EQUAL(reset_option(NULL, SSPIGSS_NTLM_RESET_CRYPTO_OID_DER, 0, 4, &minor),
                    GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(reset_option(&handle, SSPIGSS_NTLM_NEG_FLAGS_OID_DER, 0, 4, &minor),
                    GSS_S_UNAVAILABLE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_UNSUPPORTED_OPTION);
    CU_ASSERT_EQUAL(reset_option(&handle, SSPIGSS_NTLM_RESET_CRYPTO_OID_DER, 0, 2, &minor),
                    GSS_S_FAILURE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_INVALID_ARG);
    CU_ASSERT_FALSE(((struct ntlm_ctx *)handle)->spnego_reset[0]);
    /* Without a key there is no stream to restart: noted, and done. */
    CU_ASSERT_EQUAL(reset_option(&handle, SSPIGSS_NTLM_RESET_CRYPTO_OID_DER, 1, 4, &minor),
                    GSS_S_COMPLETE);
    CU_ASSERT(((struct ntlm_ctx *)handle)->spnego_reset[1]);
    ntlm_ctx_free((struct ntlm_ctx *)handle);
}

static void
test_an_established_context_drops_the_handshake_and_starts_its_lifetime(void)
{
    struct ntlm_ctx *ctx = context_new(false, SIGN_FLAGS);
    time_t before = time(NULL);

    ntlm_ctx_established(ctx);
    CU_ASSERT_EQUAL(ctx->stage, NTLM_STAGE_ESTABLISHED);
    CU_ASSERT_EQUAL(ctx->negotiate_msg.len, 0);
    CU_ASSERT_EQUAL(ctx->challenge_msg.len, 0);
    CU_ASSERT(ctx->expiry >= before + NTLM_CONTEXT_LIFETIME);
    CU_ASSERT(ctx->expiry <= time(NULL) + NTLM_CONTEXT_LIFETIME);
    CU_ASSERT(ctx->have_key);
    ntlm_ctx_free(ctx);
}

static void
test_filetime_counts_100ns_ticks_since_1601(void)
{
    time_t before = time(NULL), after;
    uint64_t now = ntlm_filetime_now();

    after = time(NULL);
    CU_ASSERT_EQUAL(now % 10000000ULL, 0);
    CU_ASSERT(now / 10000000ULL >= (uint64_t)before + 11644473600ULL);
    CU_ASSERT(now / 10000000ULL <= (uint64_t)after + 11644473600ULL);
}

static void
test_an_output_token_takes_the_message_s_bytes(void)
{
    struct ntlm_buf msg = NTLM_BUF_INIT;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor = 1, min;

    ntlm_buf_add(&msg, "NTLMSSP", 8);
    CU_ASSERT_EQUAL(ntlm_ctx_output(&minor, &msg, &out), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(minor, 0);
    CU_ASSERT_EQUAL(out.length, 8);
    CU_ASSERT_STRING_EQUAL(out.value, "NTLMSSP");
    CU_ASSERT_EQUAL(msg.len, 0);
    ntlm_buf_free(&msg);
    gss_release_buffer(&min, &out);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"a failed context keeps only its role", test_a_failed_context_keeps_only_its_role},
        {"a restarted acceptor is as before any token",
         test_a_restarted_acceptor_is_as_before_any_token},
        {"signing grants integrity, replay and sequence, and sealing confidentiality",
         test_signing_grants_integrity_replay_and_sequence_and_sealing_confidentiality},
        {"a session takes the flags and a key that may be its own",
         test_a_session_takes_the_flags_and_a_key_that_may_be_its_own},
        {"deleting a context clears the handle and the output token",
         test_deleting_a_context_clears_the_handle_and_the_output_token},
        {"context time counts down to expiry", test_context_time_counts_down_to_expiry},
        {"inquiry gives copies of the names and the state",
         test_inquiry_gives_copies_of_the_names_and_the_state},
        {"spnego's queries learn the mic and the flags",
         test_spnego_s_queries_learn_the_mic_and_the_flags},
        {"the session key is given only once there is one",
         test_the_session_key_is_given_only_once_there_is_one},
        {"the sasl strength follows the sealing key size",
         test_the_sasl_strength_follows_the_sealing_key_size},
        {"spnego's reset restarts one stream from its key",
         test_spnego_s_reset_restarts_one_stream_from_its_key},
        {"the reset option refuses what it cannot read",
         test_the_reset_option_refuses_what_it_cannot_read},
        {"an established context drops the handshake and starts its lifetime",
         test_an_established_context_drops_the_handshake_and_starts_its_lifetime},
        {"filetime counts 100 ns ticks since 1601", test_filetime_counts_100ns_ticks_since_1601},
        {"an output token takes the message's bytes",
         test_an_output_token_takes_the_message_s_bytes},
        CU_TEST_INFO_NULL,
    };

    unsetenv("SSPIGSS_NTLM_DEBUG");
    return test_run_suite("ntlm_context", tests);
}
