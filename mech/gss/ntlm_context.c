/*
 * What the acceptor and initiator contexts share: freeing, the GSS flags granted for the
 * negotiated NTLMSSP flags, and the context queries and options (lifetime, inquire, the SSPI
 * session key, and the two hooks MIT's SPNEGO uses with NTLM).
 */
#include <stdlib.h>
#include <string.h>

#include "ntlm_debug.h"
#include "ntlm_endian.h"
#include "ntlm_errors.h"
#include "ntlm_gss_context.h"
#include "ntlm_gss_mech.h"
#include "ntlm_gss_names.h"
#include "ntlm_message.h"

/* Frees what ctx owns and wipes it, keys included. */
static void
ctx_clear(struct ntlm_ctx *ctx)
{
    ntlm_buf_free(&ctx->negotiate_msg);
    ntlm_buf_free(&ctx->challenge_msg);
    ntlm_sign_state_free(&ctx->sign);
    ntlm_name_free(ctx->src_name);
    ntlm_name_free(ctx->targ_name);
    ntlm_cred_free(ctx->cred);
    ntlm_env_release(ctx->env);
    ntlm_userdb_release(ctx->userdb);
    ntlm_wipe(ctx, sizeof(*ctx));
}

void
ntlm_ctx_free(struct ntlm_ctx *ctx)
{
    if (ctx == NULL)
        return;
    ctx_clear(ctx);
    free(ctx);
}

/*
 * The role is all a failed context keeps: a later token finds neither flags to build on nor a
 * key, a challenge or a name to reuse, and the stage refuses it.
 */
void
ntlm_ctx_fail(struct ntlm_ctx *ctx)
{
    bool initiator = ctx->initiator;

    ctx_clear(ctx);
    ctx->initiator = initiator;
    ctx->stage = NTLM_STAGE_FAILED;
}

void
ntlm_ctx_restart_acceptor(struct ntlm_ctx *ctx)
{
    ctx_clear(ctx);
    ctx->initiator = false;
    ctx->stage = NTLM_STAGE_ACCEPT_START;
}

OM_uint32
ntlm_ctx_gss_flags(uint32_t neg_flags, OM_uint32 req_flags)
{
    OM_uint32 flags = GSS_C_TRANS_FLAG;

    /* Messages carry sequence numbers checked in order, so signing brings both detections. */
    if (neg_flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL))
        flags |= GSS_C_INTEG_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG;
    if (neg_flags & NTLMSSP_NEGOTIATE_SEAL)
        flags |= GSS_C_CONF_FLAG;
    if (neg_flags & NTLMSSP_NEGOTIATE_IDENTIFY)
        flags |= GSS_C_IDENTIFY_FLAG;
    if (neg_flags & NTLMSSP_ANONYMOUS)
        flags |= GSS_C_ANON_FLAG;
    return flags;
}

uint32_t
ntlm_ctx_start_session(struct ntlm_ctx *ctx, uint32_t neg_flags, const uint8_t exported_key[16])
{
    uint32_t ret;

    /* ntlm_sign_state_init sets ctx->sign only when it succeeds. */
    ret = ntlm_sign_state_init(&ctx->sign, neg_flags, exported_key, ctx->initiator);
    if (ret)
        return ret;
    ctx->neg_flags = neg_flags;
    /* An import passes the context's own key. */
    memmove(ctx->exported_key, exported_key, sizeof(ctx->exported_key));
    ctx->have_key = true;
    return 0;
}

static OM_uint32
remaining(const struct ntlm_ctx *ctx)
{
    time_t now = time(NULL);

    return now >= ctx->expiry ? 0 : (OM_uint32)(ctx->expiry - now);
}

OM_uint32
ntlm_gss_delete_sec_context(OM_uint32 *minor, gss_ctx_id_t *context, gss_buffer_t output)
{
    struct ntlm_ctx *ctx;

    *minor = 0;
    if (output != GSS_C_NO_BUFFER) {
        output->length = 0;
        output->value = NULL;
    }
    if (context == NULL)
        return GSS_S_COMPLETE;
    ctx = (struct ntlm_ctx *)*context;
    /*
     * MIT's SPNEGO verifies the acceptor's mechListMIC, then resets our RC4 states (1). An
     * initiator that SPNEGO had send its own MIC but that goes without that second reset was
     * abandoned before the acceptor's MIC was read: what krb5 1.21.0 to 1.22.1 do, which look
     * for it under the wrong tag (MIT ticket 9183), failing with GSS_S_DEFECTIVE_TOKEN.
     */
    if (ctx != NULL && ctx->initiator && ctx->spnego_asked_mic && ctx->spnego_reset[0] &&
        !ctx->spnego_reset[1])
        ntlm_debug("init: SPNEGO released the context without verifying the acceptor's "
                   "mechListMIC; if it failed with GSS_S_DEFECTIVE_TOKEN, this MIT krb5 may have "
                   "the SPNEGO mechListMIC bug (ticket 9183, krb5 1.21.0 to 1.22.1): "
                   "sspigss-spnego-probe tells");
    ntlm_ctx_free(ctx);
    *context = GSS_C_NO_CONTEXT;
    return GSS_S_COMPLETE;
}

OM_uint32
ntlm_gss_context_time(OM_uint32 *minor, gss_ctx_id_t context, OM_uint32 *time_rec)
{
    const struct ntlm_ctx *ctx = (const struct ntlm_ctx *)context;

    if (ctx == NULL)
        return ntlm_gss_error(minor, GSS_S_NO_CONTEXT, NTLM_ERR_INVALID_ARG);
    if (ctx->stage != NTLM_STAGE_ESTABLISHED)
        return ntlm_gss_error(minor, GSS_S_NO_CONTEXT, NTLM_ERR_NOT_ESTABLISHED);
    *time_rec = remaining(ctx);
    *minor = 0;
    return *time_rec == 0 ? GSS_S_CONTEXT_EXPIRED : GSS_S_COMPLETE;
}

static OM_uint32
copy_name(OM_uint32 *minor, const struct ntlm_name *name, gss_name_t *out)
{
    struct ntlm_name *copy = NULL;
    uint32_t ret;

    if (out == NULL)
        return GSS_S_COMPLETE;
    *out = GSS_C_NO_NAME;
    if (name == NULL)
        return GSS_S_COMPLETE;
    ret = ntlm_name_copy(name, &copy);
    if (ret)
        return ntlm_gss_error(minor, GSS_S_FAILURE, ret);
    *out = (gss_name_t)copy;
    return GSS_S_COMPLETE;
}

OM_uint32
ntlm_gss_inquire_context(OM_uint32 *minor, gss_ctx_id_t context, gss_name_t *src, gss_name_t *targ,
                         OM_uint32 *lifetime, gss_OID *mech, OM_uint32 *flags,
                         int *locally_initiated, int *open)
{
    const struct ntlm_ctx *ctx = (const struct ntlm_ctx *)context;
    OM_uint32 major, tmp;

    if (ctx == NULL)
        return ntlm_gss_error(minor, GSS_S_NO_CONTEXT, NTLM_ERR_INVALID_ARG);
    major = copy_name(minor, ctx->src_name, src);
    if (major != GSS_S_COMPLETE)
        return major;
    major = copy_name(minor, ctx->targ_name, targ);
    if (major != GSS_S_COMPLETE) {
        if (src != NULL)
            ntlm_gss_release_name(&tmp, src);
        return major;
    }
    if (lifetime != NULL)
        *lifetime = ctx->stage == NTLM_STAGE_ESTABLISHED ? remaining(ctx) : 0;
    if (mech != NULL)
        *mech = NTLM_MECH_OID;
    if (flags != NULL)
        *flags = ctx->ret_flags;
    if (locally_initiated != NULL)
        *locally_initiated = ctx->initiator;
    if (open != NULL)
        *open = ctx->stage == NTLM_STAGE_ESTABLISHED;
    *minor = 0;
    return GSS_S_COMPLETE;
}

static OM_uint32
one_buffer(OM_uint32 *minor, const void *data, size_t len, gss_buffer_set_t *data_set)
{
    gss_buffer_desc b = {len, (void *)data};
    OM_uint32 major, tmp;

    major = gss_create_empty_buffer_set(minor, data_set);
    if (major == GSS_S_COMPLETE)
        major = gss_add_buffer_set_member(minor, &b, data_set);
    if (major != GSS_S_COMPLETE)
        gss_release_buffer_set(&tmp, data_set);
    return major;
}

OM_uint32
ntlm_gss_inquire_sec_context_by_oid(OM_uint32 *minor, const gss_ctx_id_t context,
                                    const gss_OID desired_object, gss_buffer_set_t *data_set)
{
    struct ntlm_ctx *ctx = (struct ntlm_ctx *)context;
    uint8_t value[4];

    if (ctx == NULL)
        return ntlm_gss_error(minor, GSS_S_NO_CONTEXT, NTLM_ERR_INVALID_ARG);
    if (ntlm_oid_equal(desired_object, SSPIGSS_NTLM_REQUIRE_MIC_OID_DER,
                       SSPIGSS_NTLM_SAMBA_OID_LEN)) {
        /* SPNEGO asks after every step; the answer turns on its mechListMIC exchange. */
        ctx->spnego_asked_mic = true;
        value[0] = ctx->sent_mic ? 1 : 0;
        return one_buffer(minor, value, 1, data_set);
    }
    if (ntlm_oid_equal(desired_object, SSPIGSS_NTLM_NEG_FLAGS_OID_DER,
                       SSPIGSS_NTLM_SAMBA_OID_LEN)) {
        ntlm_put_le32(value, ctx->neg_flags);
        return one_buffer(minor, value, 4, data_set);
    }
    if (ntlm_oid_equal(desired_object, GSS_C_INQ_SSPI_SESSION_KEY->elements,
                       GSS_C_INQ_SSPI_SESSION_KEY->length)) {
        if (!ctx->have_key)
            return ntlm_gss_error(minor, GSS_S_UNAVAILABLE, NTLM_ERR_NOT_ESTABLISHED);
        return one_buffer(minor, ctx->exported_key, sizeof(ctx->exported_key), data_set);
    }
    if (ntlm_oid_equal(desired_object, GSS_C_SEC_CONTEXT_SASL_SSF->elements,
                       GSS_C_SEC_CONTEXT_SASL_SSF->length)) {
        /* Big-endian security strength: key bits when sealing, 1 for integrity only. */
        uint32_t ssf = 0;

        if (ctx->neg_flags & NTLMSSP_NEGOTIATE_SEAL)
            ssf = ctx->neg_flags & NTLMSSP_NEGOTIATE_128  ? 128
                  : ctx->neg_flags & NTLMSSP_NEGOTIATE_56 ? 56
                                                          : 40;
        else if (ctx->neg_flags & NTLMSSP_NEGOTIATE_SIGN)
            ssf = 1;
        value[0] = 0;
        value[1] = 0;
        value[2] = 0;
        value[3] = (uint8_t)ssf;
        return one_buffer(minor, value, 4, data_set);
    }
    return ntlm_gss_error(minor, GSS_S_UNAVAILABLE, NTLM_ERR_UNSUPPORTED_OPTION);
}

OM_uint32
ntlm_gss_set_sec_context_option(OM_uint32 *minor, gss_ctx_id_t *context,
                                const gss_OID desired_object, const gss_buffer_t value)
{
    struct ntlm_ctx *ctx = context != NULL ? (struct ntlm_ctx *)*context : NULL;
    OM_uint32 which;
    uint32_t ret;

    if (ctx == NULL)
        return ntlm_gss_error(minor, GSS_S_NO_CONTEXT, NTLM_ERR_INVALID_ARG);
    if (!ntlm_oid_equal(desired_object, SSPIGSS_NTLM_RESET_CRYPTO_OID_DER,
                        SSPIGSS_NTLM_SAMBA_OID_LEN))
        return ntlm_gss_error(minor, GSS_S_UNAVAILABLE, NTLM_ERR_UNSUPPORTED_OPTION);
    if (value == GSS_C_NO_BUFFER || value->length != sizeof(which))
        return ntlm_gss_error(minor, GSS_S_FAILURE, NTLM_ERR_INVALID_ARG);
    memcpy(&which, value->value, sizeof(which));
    ctx->spnego_reset[which == 1] = true;
    /* MS-SPNG 3.3.5.1: after the mechListMIC both RC4 handles restart from their keys. */
    if (!ctx->have_key || !(ctx->neg_flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL))) {
        *minor = 0;
        return GSS_S_COMPLETE;
    }
    ret = ntlm_sign_state_reset_rc4(&ctx->sign, which == 1);
    if (ret)
        return ntlm_gss_error(minor, GSS_S_FAILURE, ret);
    *minor = 0;
    return GSS_S_COMPLETE;
}

void
ntlm_ctx_established(struct ntlm_ctx *ctx)
{
    ctx->stage = NTLM_STAGE_ESTABLISHED;
    ctx->expiry = time(NULL) + NTLM_CONTEXT_LIFETIME;
    /* The message copies served only the MIC; held contexts should not carry them. */
    ntlm_buf_free(&ctx->negotiate_msg);
    ntlm_buf_free(&ctx->challenge_msg);
}

uint64_t
ntlm_filetime_now(void)
{
    /* FILETIME counts 100 ns ticks since 1601-01-01; the Unix epoch is 11644473600 s later. */
    return ((uint64_t)time(NULL) + 11644473600ULL) * 10000000ULL;
}

OM_uint32
ntlm_ctx_output(OM_uint32 *minor, struct ntlm_buf *msg, gss_buffer_t output)
{
    size_t len;
    uint8_t *data = ntlm_buf_take(msg, &len);

    output->value = data;
    output->length = len;
    *minor = 0;
    return GSS_S_COMPLETE;
}
