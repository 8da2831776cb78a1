/*
 * The initiator state machine: NEGOTIATE, then the AUTHENTICATE answer to the server's
 * CHALLENGE with an NTLMv2 response, a key exchange, channel bindings and a MIC.
 */
#include <stdlib.h>
#include <string.h>

#include "ntlm_auth.h"
#include "ntlm_binding.h"
#include "ntlm_config.h"
#include "ntlm_debug.h"
#include "ntlm_errors.h"
#include "ntlm_gss_context.h"
#include "ntlm_gss_creds.h"
#include "ntlm_gss_mech.h"
#include "ntlm_gss_names.h"
#include "ntlm_message.h"
#include "ntlm_policy.h"

/* What we always offer; SIGN and SEAL follow the caller's flags, as Windows clients do. */
#define INIT_BASE_FLAGS                                                                            \
    (NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_OEM | NTLMSSP_REQUEST_TARGET |                  \
     NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN |                                      \
     NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_VERSION |                      \
     NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_KEY_EXCH)

static uint32_t
copy_cred(const struct ntlm_cred *cred, struct ntlm_cred **out)
{
    struct ntlm_cred *copy;
    uint32_t ret;

    if (cred->usage == GSS_C_ACCEPT || cred->user == NULL || !cred->have_nt_hash)
        return NTLM_ERR_WRONG_CRED_USAGE;
    copy = calloc(1, sizeof(*copy));
    if (copy == NULL)
        return NTLM_ERR_NOMEM;
    copy->usage = GSS_C_INITIATE;
    ret = ntlm_name_copy(cred->user, &copy->user);
    if (ret) {
        ntlm_cred_free(copy);
        return ret;
    }
    memcpy(copy->nt_hash, cred->nt_hash, 16);
    copy->have_nt_hash = true;
    copy->env = ntlm_env_ref(cred->env);
    *out = copy;
    return 0;
}

static uint32_t
init_negotiate(struct ntlm_ctx *ctx, const struct ntlm_cred *cred, const struct ntlm_name *target,
               OM_uint32 req_flags)
{
    struct ntlm_negotiate_fields neg = {0};
    struct ntlm_cred *fallback = NULL;
    OM_uint32 tmp;
    uint32_t ret;

    if (cred == NULL) {
        ntlm_debug("init: no initiator credential passed, acquiring the default one");
        if (ntlm_gss_acquire_cred_from(&tmp, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET, GSS_C_INITIATE,
                                       GSS_C_NO_CRED_STORE, (gss_cred_id_t *)&fallback, NULL,
                                       NULL) != GSS_S_COMPLETE)
            return tmp;
        cred = fallback;
    }
    ret = copy_cred(cred, &ctx->cred);
    if (ret == 0)
        ret = ntlm_name_copy(ctx->cred->user, &ctx->src_name);
    if (ret == 0 && target != NULL)
        ret = ntlm_name_copy(target, &ctx->targ_name);
    if (ret)
        goto done;
    neg.flags = INIT_BASE_FLAGS;
    if (req_flags & (GSS_C_INTEG_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG))
        neg.flags |= NTLMSSP_NEGOTIATE_SIGN;
    if (req_flags & GSS_C_CONF_FLAG)
        neg.flags |= NTLMSSP_NEGOTIATE_SEAL;
    if (req_flags & GSS_C_IDENTIFY_FLAG)
        neg.flags |= NTLMSSP_NEGOTIATE_IDENTIFY;
    neg.has_version = true;
    neg.version = ntlm_our_version;
    ret = ntlm_negotiate_encode(&neg, &ctx->negotiate_msg);
    if (ret)
        goto done;
    ctx->neg_flags = neg.flags;
    ctx->req_flags = req_flags;
    ctx->stage = NTLM_STAGE_INIT_WAIT_CHALLENGE;
    ntlm_debug("init: as \"%s\" in domain \"%s\", GSS req_flags 0x%x", ctx->cred->user->user,
               ctx->cred->user->domain != NULL ? ctx->cred->user->domain : "", req_flags);
    ntlm_debug_flags("init: NEGOTIATE sent, flags", neg.flags);
done:
    ntlm_cred_free(fallback);
    return ret;
}

/*
 * The NTLMv2 client blob and responses into nt and lm (MS-NLMP 3.3.2); yields the session base
 * key.
 */
static uint32_t
build_responses(struct ntlm_ctx *ctx, const struct ntlm_challenge *chal, const struct ntlm_buf *av,
                uint64_t timestamp, const uint8_t client_challenge[8], struct ntlm_buf *nt,
                uint8_t lm[24], uint8_t base_key[16])
{
    struct ntlm_buf blob = NTLM_BUF_INIT;
    uint8_t ntowf[16], proof[16];
    const char *domain = ctx->cred->user->domain != NULL ? ctx->cred->user->domain : "";
    uint32_t ret;

    ret = ntlm_v2_blob_encode(timestamp, client_challenge, av->data, av->len, &blob);
    if (ret == 0)
        ret = ntlm_ntowfv2(ctx->cred->nt_hash, ctx->cred->user->user, domain, ntowf);
    if (ret == 0)
        ret = ntlm_v2_proof_and_base_key(ntowf, chal->server_challenge, blob.data, blob.len, proof,
                                         base_key);
    if (ret)
        goto done;
    /* MS-NLMP 3.1.5.1.2: with a server timestamp the LM response is 24 zero bytes. */
    if (chal->av.has_timestamp)
        memset(lm, 0, 24);
    else
        ret = ntlm_v2_lm_response(ntowf, chal->server_challenge, client_challenge, lm);
    if (ret)
        goto done;
    ntlm_buf_add(nt, proof, sizeof(proof));
    ntlm_buf_add(nt, blob.data, blob.len);
    ret = ntlm_buf_status(nt);
done:
    ntlm_wipe(ntowf, sizeof(ntowf));
    ntlm_wipe(proof, sizeof(proof));
    ntlm_buf_free(&blob);
    return ret;
}

static uint32_t
bindings_hash(const gss_channel_bindings_t cb, uint8_t out[16])
{
    return ntlm_channel_bindings_hash(cb->initiator_addrtype, cb->initiator_address.value,
                                      cb->initiator_address.length, cb->acceptor_addrtype,
                                      cb->acceptor_address.value, cb->acceptor_address.length,
                                      cb->application_data.value, cb->application_data.length, out);
}

static uint32_t
init_authenticate(struct ntlm_ctx *ctx, const struct ntlm_settings *settings,
                  const gss_buffer_t input, const gss_channel_bindings_t bindings,
                  struct ntlm_buf *out)
{
    const struct ntlm_config *cfg = &settings->cfg;
    struct ntlm_challenge chal = {0};
    struct ntlm_authenticate_fields auth = {0};
    struct ntlm_buf av = NTLM_BUF_INIT, nt = NTLM_BUF_INIT, msg = NTLM_BUF_INIT;
    struct ntlm_iov msgs[3];
    /* The handshake's randomness, drawn at once: the client challenge, then the exported
     * session key (used under KEY_EXCH). */
    uint8_t random[8 + 16];
    uint8_t *client_challenge = random, *random_key = random + 8;
    uint8_t lm[24], base_key[16], exported_key[16], enc_key[16], cb[16], mic[16];
    char *spn = NULL;
    size_t mic_offset = 0;
    uint32_t flags, ret;

    ret = ntlm_challenge_decode(input->value, input->length, &chal);
    if (ret) {
        ntlm_debug("init: CHALLENGE (%zu bytes) undecodable", (size_t)input->length);
        goto done;
    }
    ntlm_debug_flags("init: CHALLENGE received, flags", chal.flags);
    ntlm_debug("init: CHALLENGE target info: NbDomain=%s NbComputer=%s DnsComputer=%s "
               "Timestamp %s",
               chal.av.nb_domain != NULL ? chal.av.nb_domain : "-",
               chal.av.nb_computer != NULL ? chal.av.nb_computer : "-",
               chal.av.dns_computer != NULL ? chal.av.dns_computer : "-",
               chal.av.has_timestamp ? "present" : "absent");
    if (!(chal.flags & NTLMSSP_NEGOTIATE_NTLM) ||
        !(chal.flags & (NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_OEM))) {
        ntlm_debug("init: CHALLENGE refused: the server grants no NTLM or no character set");
        ret = NTLM_ERR_FLAGS_UNACCEPTABLE;
        goto done;
    }
    /* The context takes these flags and keys only once the AUTHENTICATE is built. */
    flags = ctx->neg_flags & chal.flags;
    /* A server that picked Unicode gets only Unicode. */
    if (flags & NTLMSSP_NEGOTIATE_UNICODE)
        flags &= ~NTLMSSP_NEGOTIATE_OEM;
    /* A server (or a man in the middle) that grants signing with weaker keys is refused. */
    ret = ntlm_policy_session_security(cfg->min_session_security, flags);
    if (ret) {
        ntlm_debug_flags("init: CHALLENGE refused by min_session_security, flags", flags);
        goto done;
    }
    if (bindings != GSS_C_NO_CHANNEL_BINDINGS) {
        ret = bindings_hash(bindings, cb);
        if (ret)
            goto done;
    }
    ret = ntlm_random(random, sizeof(random));
    if (ret == 0)
        ret = ntlm_name_spn(ctx->targ_name, &spn);
    if (ret == 0)
        ret = ntlm_av_rewrite_for_client(
            chal.target_info, chal.target_info_len, &chal.av, NTLM_AVF_MIC_PRESENT,
            bindings != GSS_C_NO_CHANNEL_BINDINGS ? cb : NULL, spn, &av);
    if (ret == 0)
        ret = build_responses(ctx, &chal, &av,
                              chal.av.has_timestamp ? chal.av.timestamp : ntlm_filetime_now(),
                              client_challenge, &nt, lm, base_key);
    if (ret)
        goto done;
    if (flags & NTLMSSP_NEGOTIATE_KEY_EXCH) {
        memcpy(exported_key, random_key, 16);
        ret = ntlm_rc4k(base_key, 16, exported_key, enc_key, 16);
        auth.session_key = enc_key;
        auth.session_key_len = 16;
    } else {
        memcpy(exported_key, base_key, 16);
    }
    if (ret)
        goto done;
    auth.flags = flags;
    auth.lm_response = lm;
    auth.lm_response_len = sizeof(lm);
    auth.nt_response = nt.data;
    auth.nt_response_len = nt.len;
    auth.domain = ctx->cred->user->domain != NULL ? ctx->cred->user->domain : "";
    auth.user = ctx->cred->user->user;
    auth.workstation = cfg->netbios_name;
    auth.has_version = true;
    auth.version = ntlm_our_version;
    /* Encoded with the MIC field zeroed: the message is the MIC's input as it stands. */
    ret = ntlm_authenticate_encode(&auth, true, &msg, &mic_offset);
    if (ret)
        goto done;
    msgs[0] = (struct ntlm_iov){ctx->negotiate_msg.data, ctx->negotiate_msg.len};
    msgs[1] = (struct ntlm_iov){input->value, input->length};
    msgs[2] = (struct ntlm_iov){msg.data, msg.len};
    ret = ntlm_mic(exported_key, msgs, mic);
    if (ret)
        goto done;
    ntlm_buf_put_at(&msg, mic_offset, mic, sizeof(mic));
    ret = ntlm_buf_status(&msg);
    if (ret == 0)
        ret = ntlm_ctx_start_session(ctx, flags, exported_key);
    if (ret)
        goto done;
    memcpy(ctx->server_challenge, chal.server_challenge, 8);
    ctx->sent_mic = true;
    /* Should this answer come back to our own acceptor, it was reflected there (unless we
     * meant that acceptor). Kept while the answer's timestamp, the server's, stays fresh. */
    ntlm_answered_note(ntlm_env_answered(settings->env), chal.server_challenge,
                       time(NULL) + (time_t)(cfg->replay_window != 0 ? cfg->replay_window
                                                                     : NTLM_MAX_REPLAY_WINDOW));
    ntlm_debug("init: AUTHENTICATE built: user \"%s\" domain \"%s\" workstation \"%s\", "
               "NTLMv2 response %zu bytes, MIC, channel bindings %s, key exchange %s",
               auth.user, auth.domain, auth.workstation, auth.nt_response_len,
               bindings != GSS_C_NO_CHANNEL_BINDINGS ? "sent" : "none",
               (flags & NTLMSSP_NEGOTIATE_KEY_EXCH) ? "yes" : "no");
    *out = msg;
    msg = (struct ntlm_buf)NTLM_BUF_INIT;
done:
    ntlm_wipe(random, sizeof(random));
    ntlm_wipe(lm, sizeof(lm));
    ntlm_wipe(base_key, sizeof(base_key));
    ntlm_wipe(exported_key, sizeof(exported_key));
    ntlm_wipe(enc_key, sizeof(enc_key));
    ntlm_wipe(mic, sizeof(mic));
    free(spn);
    ntlm_challenge_free(&chal);
    ntlm_buf_free(&av);
    ntlm_buf_free(&nt);
    ntlm_buf_free(&msg);
    return ret;
}

static OM_uint32
init_step(OM_uint32 *minor, const struct ntlm_settings *settings, gss_cred_id_t cred,
          gss_ctx_id_t *context, gss_name_t target, OM_uint32 req_flags,
          gss_channel_bindings_t bindings, gss_buffer_t input, gss_OID *actual_mech,
          gss_buffer_t output, OM_uint32 *ret_flags, OM_uint32 *time_rec)
{
    struct ntlm_ctx *ctx = (struct ntlm_ctx *)*context;
    struct ntlm_buf msg = NTLM_BUF_INIT;
    OM_uint32 major;
    uint32_t ret;

    output->length = 0;
    output->value = NULL;
    if (actual_mech != NULL)
        *actual_mech = NTLM_MECH_OID;
    if (ret_flags != NULL)
        *ret_flags = 0;
    if (time_rec != NULL)
        *time_rec = 0;
    if (ctx == NULL) {
        if (input != GSS_C_NO_BUFFER && input->length != 0)
            return ntlm_gss_error(minor, GSS_S_DEFECTIVE_TOKEN, NTLM_ERR_OUT_OF_ORDER);
        ctx = calloc(1, sizeof(*ctx));
        if (ctx == NULL)
            return ntlm_gss_error(minor, GSS_S_FAILURE, NTLM_ERR_NOMEM);
        ctx->initiator = true;
        ctx->stage = NTLM_STAGE_INIT_START;
        ret = init_negotiate(ctx, (const struct ntlm_cred *)cred, (const struct ntlm_name *)target,
                             req_flags);
        if (ret) {
            ntlm_debug("init: NEGOTIATE step failed: %s", ntlm_error_message(ret));
            ntlm_ctx_free(ctx);
            return ntlm_gss_step_error(minor, ret, true);
        }
        major = ntlm_gss_buffer_set(minor, output, ctx->negotiate_msg.data, ctx->negotiate_msg.len);
        if (major != GSS_S_COMPLETE) {
            ntlm_ctx_free(ctx);
            return major;
        }
        *context = (gss_ctx_id_t)ctx;
        return GSS_S_CONTINUE_NEEDED;
    }
    if (ctx->stage == NTLM_STAGE_FAILED) {
        ntlm_debug("init: token for a context whose exchange failed");
        return ntlm_gss_step_error(minor, NTLM_ERR_EXCHANGE_FAILED, true);
    }
    if (ctx->stage != NTLM_STAGE_INIT_WAIT_CHALLENGE)
        return ntlm_gss_error(minor, GSS_S_FAILURE, NTLM_ERR_OUT_OF_ORDER);
    ret = input == GSS_C_NO_BUFFER || input->length == 0
              ? NTLM_ERR_TOKEN_EMPTY
              : init_authenticate(ctx, settings, input, bindings, &msg);
    if (ret) {
        /* A failed step ends the exchange: no second CHALLENGE gets an answer. */
        ntlm_debug("init: AUTHENTICATE step failed: %s", ntlm_error_message(ret));
        ntlm_ctx_fail(ctx);
        return ntlm_gss_step_error(minor, ret, true);
    }
    ctx->ret_flags = ntlm_ctx_gss_flags(ctx->neg_flags, ctx->req_flags);
    ntlm_ctx_established(ctx);
    ntlm_debug("init: session established, GSS flags 0x%x", ctx->ret_flags);
    ntlm_debug_flags("init: negotiated flags", ctx->neg_flags);
    ntlm_ctx_output(minor, &msg, output);
    if (ret_flags != NULL)
        *ret_flags = ctx->ret_flags;
    if (time_rec != NULL)
        *time_rec = NTLM_CONTEXT_LIFETIME;
    return GSS_S_COMPLETE;
}

/* The context's configuration (its credential's, else the default one) for the whole step. */
OM_uint32
ntlm_gss_init_sec_context(OM_uint32 *minor, gss_cred_id_t cred, gss_ctx_id_t *context,
                          gss_name_t target, gss_OID mech, OM_uint32 req_flags, OM_uint32 time_req,
                          gss_channel_bindings_t bindings, gss_buffer_t input, gss_OID *actual_mech,
                          gss_buffer_t output, OM_uint32 *ret_flags, OM_uint32 *time_rec)
{
    const struct ntlm_ctx *ctx = (const struct ntlm_ctx *)*context;
    const struct ntlm_cred *given = (const struct ntlm_cred *)cred;
    struct ntlm_env *env = NULL;
    struct ntlm_step step;
    OM_uint32 major;
    uint32_t ret;

    if (ctx != NULL && ctx->cred != NULL)
        env = ctx->cred->env;
    else if (given != NULL)
        env = given->env;
    ret = ntlm_step_begin(&step, env);
    if (ret) {
        output->length = 0;
        output->value = NULL;
        if (ctx != NULL)
            ntlm_ctx_fail((struct ntlm_ctx *)ctx);
        return ntlm_gss_step_error(minor, ret, true);
    }
    major = init_step(minor, step.settings, cred, context, target, req_flags, bindings, input,
                      actual_mech, output, ret_flags, time_rec);
    ntlm_step_end(&step);
    return major;
}
