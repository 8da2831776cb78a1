/*
 * InitializeSecurityContext, AcceptSecurityContext and their companions, as thin calls to
 * gss_init_sec_context / gss_accept_sec_context: SecBufferDesc in, flags translated both ways,
 * SECURITY_STATUS out. An output token that does not fit the caller's buffer is kept and
 * handed out when the caller calls again with a larger one.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gssapi/gssapi_ext.h>

#include "sspi_buffers.h"
#include "sspi_handles.h"
#include "sspi_objects.h"
#include "sspi_spnego.h"
#include "sspi_strings.h"
#include "sspi_translate.h"
#include "sspigss_ntlm.h"

/* Context requirements a peer must meet, checked once the context is complete. */
#define ISC_ENFORCED (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY)
/* Replay and sequence detection are the mechanism's to report: gss-ntlmssp signs with
 * sequence numbers but never says so, and Windows NTLM servers do not fail such clients. */
#define ASC_ENFORCED (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY)

static const unsigned char ntlmssp_signature[8] = "NTLMSSP";

/* The query MIT's SPNEGO makes of an NTLM mechanism after each step (include/sspigss_ntlm.h). */
static gss_OID_desc require_mic_oid = {SSPIGSS_NTLM_SAMBA_OID_LEN,
                                       (void *)SSPIGSS_NTLM_REQUIRE_MIC_OID_DER};

static bool
data_rep_valid(ULONG rep)
{
    return rep == SECURITY_NATIVE_DREP || rep == SECURITY_NETWORK_DREP;
}

/*
 * Windows SPNs ("HTTP/host:8080@REALM", "host") become host-based service names, which every
 * mechanism understands; "user@REALM" stays a user name. Without a target (NTLM needs none,
 * MIT's mechglue insists on one) the name is the bare service "host", which carries no host
 * for NTLM's MsvAvTargetName.
 */
static SECURITY_STATUS
import_target(const char *spn, gss_name_t *out)
{
    gss_buffer_desc buf;
    gss_OID type = GSS_C_NT_HOSTBASED_SERVICE;
    char *text;
    const char *slash;
    OM_uint32 major, minor;

    if (spn == NULL || *spn == '\0') {
        text = strdup("host");
    } else if ((slash = strchr(spn, '/')) != NULL) {
        size_t service_len = (size_t)(slash - spn), host_len = strcspn(slash + 1, ":/@");

        text = malloc(service_len + 1 + host_len + 1);
        if (text != NULL) {
            memcpy(text, spn, service_len);
            text[service_len] = '@';
            memcpy(text + service_len + 1, slash + 1, host_len);
            text[service_len + 1 + host_len] = '\0';
        }
    } else if (strchr(spn, '@') != NULL) {
        text = strdup(spn);
        type = GSS_C_NT_USER_NAME;
    } else {
        text = malloc(strlen(spn) + 6);
        if (text != NULL)
            strcat(strcpy(text, "host@"), spn);
    }
    if (text == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    buf = (gss_buffer_desc){strlen(text), text};
    major = gss_import_name(&minor, &buf, type, out);
    free(text);
    return major == GSS_S_COMPLETE ? SEC_E_OK : SEC_E_TARGET_UNKNOWN;
}

/* Hands out the token a previous call could not deliver, with that call's status. */
static SECURITY_STATUS
deliver_pending(struct sspi_ctx *ctx, PSecBufferDesc output, bool allocate, ULONG *attrs)
{
    SECURITY_STATUS status = sspi_deliver_token(output, allocate, &ctx->pending);
    OM_uint32 minor;

    if (status != SEC_E_OK)
        return status;
    gss_release_buffer(&minor, &ctx->pending);
    if (attrs != NULL)
        *attrs = ctx->attrs;
    return ctx->pending_status;
}

/* Delivers a fresh token; one that does not fit stays pending with final_status. */
static SECURITY_STATUS
deliver(struct sspi_ctx *ctx, PSecBufferDesc output, bool allocate, gss_buffer_t token,
        SECURITY_STATUS final_status)
{
    SECURITY_STATUS status = sspi_deliver_token(output, allocate, token);
    OM_uint32 minor;

    if (status == SEC_E_BUFFER_TOO_SMALL) {
        ctx->pending = *token;
        *token = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
        ctx->pending_status = final_status;
        return status;
    }
    gss_release_buffer(&minor, token);
    return status != SEC_E_OK ? status : final_status;
}

/*
 * A later call: finds the context in its role. True when the call ends here with *status: a bad
 * handle (or a context exported away), a token held back for this retry, or a context already
 * complete (unless it awaits SPNEGO's last token and final_token brings it).
 */
static bool
resume_context(PCtxtHandle phContext, bool initiator, bool final_token, PSecBufferDesc pOutput,
               bool allocate, ULONG *attrs, struct sspi_ctx **out, SECURITY_STATUS *status)
{
    struct sspi_ctx *ctx = sspi_ctx_from_handle(phContext);

    if (ctx == NULL || ctx->initiator != initiator || ctx->gss == GSS_C_NO_CONTEXT) {
        *status = SEC_E_INVALID_HANDLE;
        return true;
    }
    if (ctx->pending.length > 0) {
        *status = deliver_pending(ctx, pOutput, allocate, attrs);
        return true;
    }
    if (ctx->established && !(ctx->awaiting_final && final_token)) {
        *status = SEC_E_OK;
        return true;
    }
    *out = ctx;
    return false;
}

/* Whether the context's mechanism answers oid with a non-empty first buffer (wiped after). */
static bool
answers(const struct sspi_ctx *ctx, gss_OID oid)
{
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    OM_uint32 major, minor;
    bool yes;
    size_t i;

    major = gss_inquire_sec_context_by_oid(&minor, ctx->gss, oid, &set);
    yes = major == GSS_S_COMPLETE && set != GSS_C_NO_BUFFER_SET && set->count > 0 &&
          set->elements[0].length > 0;
    for (i = 0; set != GSS_C_NO_BUFFER_SET && i < set->count; i++)
        explicit_bzero(set->elements[i].value, set->elements[i].length);
    gss_release_buffer_set(&minor, &set);
    return yes;
}

/*
 * Windows' Negotiate client over NTLM returns SEC_E_OK with its AUTHENTICATE, on its second call
 * (Wine's negotiate.c test_authentication stops once the server is done and expects the client
 * to be); MIT's SPNEGO still waits for the acceptor's accept-completed negTokenResp and its
 * mechListMIC (MS-SPNG 3.1.5.1, RFC 4178 5). That token is all that is left when the inner
 * mechanism is an NTLM one (it answers the require-MIC query MIT's SPNEGO makes of NTLM
 * mechanisms) and is complete (it has its session key).
 */
static bool
only_spnego_final_left(const struct sspi_ctx *ctx)
{
    return ctx->pkg->id == SSPI_PKG_NEGOTIATE && answers(ctx, &require_mic_oid) &&
           answers(ctx, GSS_C_INQ_SSPI_SESSION_KEY);
}

/* A context for the first call, holding a reference on a credential usable in its role. */
static SECURITY_STATUS
new_context(PCredHandle phCredential, bool initiator, ULONG req_flags, struct sspi_ctx **out)
{
    struct sspi_cred *cred = sspi_cred_from_handle(phCredential);
    struct sspi_ctx *ctx;

    if (cred == NULL)
        return SEC_E_INVALID_HANDLE;
    if (!(cred->use & (initiator ? SECPKG_CRED_OUTBOUND : SECPKG_CRED_INBOUND)))
        return SEC_E_NO_CREDENTIALS;
    ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    ctx->initiator = initiator;
    ctx->pkg = cred->pkg;
    ctx->cred = sspi_cred_ref(cred);
    ctx->req_flags = req_flags;
    *out = ctx;
    return SEC_E_OK;
}

static void
finish(struct sspi_ctx *ctx, OM_uint32 time_rec, PTimeStamp ptsExpiry)
{
    ctx->established = true;
    ctx->lifetime = time_rec;
    ctx->established_at = time(NULL);
    if (ptsExpiry != NULL)
        sspi_timestamp_in(time_rec, ptsExpiry);
}

static SECURITY_STATUS
initialize(PCredHandle phCredential, PCtxtHandle phContext, const char *target, ULONG fContextReq,
           ULONG TargetDataRep, PSecBufferDesc pInput, PCtxtHandle phNewContext,
           PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
    bool allocate = fContextReq & ISC_REQ_ALLOCATE_MEMORY, first = phContext == NULL;
    struct gss_channel_bindings_struct cb;
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    struct sspi_ctx *ctx = NULL;
    SecBuffer *token = sspi_find_buffer(pInput, SECBUFFER_TOKEN), *out_token;
    SECURITY_STATUS status;
    OM_uint32 major, minor, ret_flags = 0, time_rec = 0;
    gss_buffer_desc adapted_in = GSS_C_EMPTY_BUFFER;
    bool have_cb, final_leg = false, complete, adapted;

    if (!data_rep_valid(TargetDataRep) || phNewContext == NULL)
        return SEC_E_INVALID_PARAMETER;
    if (!first && resume_context(phContext, true, token != NULL && token->cbBuffer > 0, pOutput,
                                 allocate, pfContextAttr, &ctx, &status))
        return status;
    /* SPNEGO's last token brings no token back, so it needs no output buffer. */
    final_leg = ctx != NULL && ctx->awaiting_final;
    out_token = sspi_find_buffer(pOutput, SECBUFFER_TOKEN);
    if (out_token == NULL && !final_leg)
        return SEC_E_BUFFER_TOO_SMALL;
    /* A sized token buffer with no memory behind it is SEC_E_INTERNAL_ERROR on Windows (Wine's
     * ntlm.c runClient; msv1_0 main.c checks the size first, then the pointer). */
    if (out_token != NULL && !allocate && out_token->pvBuffer == NULL && out_token->cbBuffer > 0)
        return SEC_E_INTERNAL_ERROR;
    status = sspi_channel_bindings(pInput, &cb, &have_cb);
    if (status != SEC_E_OK)
        return status;
    if (first) {
        status = new_context(phCredential, true, fContextReq, &ctx);
        if (status != SEC_E_OK)
            return status;
        status = import_target(target, &ctx->target);
        if (status == SEC_E_OK && target == NULL && ctx->pkg->id == SSPI_PKG_KERBEROS)
            status = SEC_E_TARGET_UNKNOWN;
        if (status != SEC_E_OK)
            goto done;
    }
    if (token != NULL)
        in = (gss_buffer_desc){token->cbBuffer, token->pvBuffer};
    /* The acceptor's negTokenResp, re-tagged for a library with MIT ticket 9183's bug. */
    adapted = !first && ctx->pkg->id == SSPI_PKG_NEGOTIATE &&
              sspi_spnego_adapt(GSS_C_NO_CREDENTIAL, &in, &adapted_in);
    major =
        gss_init_sec_context(&minor, ctx->cred->gss, &ctx->gss, ctx->target, ctx->pkg->mech,
                             sspi_isc_req_to_gss(fContextReq), GSS_C_INDEFINITE,
                             have_cb ? &cb : GSS_C_NO_CHANNEL_BINDINGS, adapted ? &adapted_in : &in,
                             &ctx->mech, &out, &ret_flags, &time_rec);
    free(adapted_in.value);
    if (GSS_ERROR(major) || (final_leg && major != GSS_S_COMPLETE)) {
        /* Translated before the release, which would overwrite the minor code. */
        status = GSS_ERROR(major)
                     ? sspi_status_from_gss_in(major, minor, SSPI_CALL_INITIATE, ctx->pkg->mech)
                     : SEC_E_INVALID_TOKEN;
        if (major == GSS_S_DEFECTIVE_TOKEN && !adapted && ctx->pkg->id == SSPI_PKG_NEGOTIATE &&
            sspi_spnego_failure_is_9183(&in))
            status = SPNEGO_MIC_9183_STATUS;
        gss_release_buffer(&minor, &out);
        /* An acceptor's last token that does not verify leaves nothing usable behind. */
        if (final_leg)
            ctx->established = ctx->awaiting_final = false;
        goto done;
    }
    complete = major == GSS_S_COMPLETE;
    if (!complete && !first && out.length > 0 && only_spnego_final_left(ctx)) {
        complete = ctx->awaiting_final = true;
        ctx->mech = sspi_mech_ntlm;
    }
    if (major == GSS_S_COMPLETE)
        ctx->awaiting_final = false;
    ctx->gss_flags = ret_flags;
    /* Until the context is complete Windows reports what was asked for (issue 14). */
    ctx->attrs = sspi_gss_to_isc_ret(ret_flags) |
                 (complete ? 0 : sspi_isc_ret_requested(fContextReq)) |
                 (allocate ? ISC_RET_ALLOCATED_MEMORY : 0) |
                 (fContextReq & ISC_REQ_CONNECTION ? ISC_RET_CONNECTION : 0);
    /* Windows' NTLM reports the mutual authentication it was asked for, which NTLM cannot give
     * (Wine's msv1_0 main.c does the same in ntlm_SpInitLsaModeContext). */
    if ((fContextReq & ISC_REQ_MUTUAL_AUTH) && sspi_ctx_package(ctx)->id == SSPI_PKG_NTLM)
        ctx->attrs |= ISC_RET_MUTUAL_AUTH;
    if (complete) {
        if ((fContextReq & ISC_ENFORCED) & ~ctx->attrs) {
            gss_release_buffer(&minor, &out);
            status = SEC_E_UNSUPPORTED_FUNCTION;
            goto done;
        }
        finish(ctx, time_rec, ptsExpiry);
    }
    /* A first call that cannot hand out its token leaves nothing behind, as on Windows. */
    status =
        first ? sspi_deliver_token(pOutput, allocate, &out)
              : deliver(ctx, pOutput, allocate, &out, complete ? SEC_E_OK : SEC_I_CONTINUE_NEEDED);
    if (first) {
        gss_release_buffer(&minor, &out);
        if (status == SEC_E_OK)
            status = complete ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
    }
    if (pfContextAttr != NULL)
        *pfContextAttr = ctx->attrs;
done:
    if (first) {
        if (status == SEC_E_OK || status == SEC_I_CONTINUE_NEEDED)
            status = sspi_handle_new(SSPI_HANDLE_CONTEXT, ctx, phNewContext) == SEC_E_OK
                         ? status
                         : SEC_E_INSUFFICIENT_MEMORY;
        if (status != SEC_E_OK && status != SEC_I_CONTINUE_NEEDED) {
            sspi_ctx_free(ctx);
            phNewContext->dwLower = phNewContext->dwUpper = 0;
        }
    } else if (phNewContext != phContext) {
        *phNewContext = *phContext;
    }
    return status;
}

SECURITY_STATUS SEC_ENTRY
InitializeSecurityContextA(PCredHandle phCredential, PCtxtHandle phContext, SEC_CHAR *pszTargetName,
                           ULONG fContextReq, ULONG Reserved1, ULONG TargetDataRep,
                           PSecBufferDesc pInput, ULONG Reserved2, PCtxtHandle phNewContext,
                           PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
    char *target = NULL;
    SECURITY_STATUS status;

    if (pszTargetName != NULL &&
        (target = sspi_utf8_from_ansi(pszTargetName, strlen(pszTargetName))) == NULL)
        return SEC_E_TARGET_UNKNOWN;
    status = initialize(phCredential, phContext, target, fContextReq, TargetDataRep, pInput,
                        phNewContext, pOutput, pfContextAttr, ptsExpiry);
    free(target);
    return status;
}

SECURITY_STATUS SEC_ENTRY
InitializeSecurityContextW(PCredHandle phCredential, PCtxtHandle phContext,
                           SEC_WCHAR *pszTargetName, ULONG fContextReq, ULONG Reserved1,
                           ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2,
                           PCtxtHandle phNewContext, PSecBufferDesc pOutput, ULONG *pfContextAttr,
                           PTimeStamp ptsExpiry)
{
    char *target = NULL;
    SECURITY_STATUS status;

    if (pszTargetName != NULL && (target = sspi_utf8_from_wide(pszTargetName, (size_t)-1)) == NULL)
        return SEC_E_TARGET_UNKNOWN;
    status = initialize(phCredential, phContext, target, fContextReq, TargetDataRep, pInput,
                        phNewContext, pOutput, pfContextAttr, ptsExpiry);
    free(target);
    return status;
}

/*
 * Windows' acceptor reports at its first leg what the client asked for and it grants
 * (issue 14). MIT's mechglue drops an acceptor's ret_flags with GSS_S_CONTINUE_NEEDED, so they
 * are asked of the partial context (RFC 2743 1.2.7: they say what it is to offer); a mechanism
 * that tells nothing yet (gss-ntlmssp gives only CONF and INTEG) leaves the rest unreported.
 */
static OM_uint32
intended_flags(const struct sspi_ctx *ctx)
{
    OM_uint32 minor, flags = 0;

    if (gss_inquire_context(&minor, ctx->gss, NULL, NULL, NULL, NULL, &flags, NULL, NULL) !=
        GSS_S_COMPLETE)
        return 0;
    return flags & ~GSS_C_PROT_READY_FLAG;
}

/* The package's own mechanism must be the one the client used (Negotiate takes any). */
static bool
token_fits_package(const struct sspi_ctx *ctx, const gss_buffer_t in)
{
    if (ctx->pkg->id == SSPI_PKG_NTLM)
        return in->length >= sizeof(ntlmssp_signature) &&
               memcmp(in->value, ntlmssp_signature, sizeof(ntlmssp_signature)) == 0;
    return true;
}

static bool
mech_fits_package(const struct sspi_ctx *ctx)
{
    const struct sspi_package *actual = sspi_package_for_mech(ctx->mech);

    return ctx->pkg->id == SSPI_PKG_NEGOTIATE || (actual != NULL && actual->id == ctx->pkg->id);
}

SECURITY_STATUS SEC_ENTRY
AcceptSecurityContext(PCredHandle phCredential, PCtxtHandle phContext, PSecBufferDesc pInput,
                      ULONG fContextReq, ULONG TargetDataRep, PCtxtHandle phNewContext,
                      PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
    bool allocate = fContextReq & ASC_REQ_ALLOCATE_MEMORY, first = phContext == NULL;
    struct gss_channel_bindings_struct cb;
    gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
    gss_name_t peer = GSS_C_NO_NAME;
    gss_cred_id_t delegated = GSS_C_NO_CREDENTIAL;
    struct sspi_ctx *ctx = NULL;
    SecBuffer *token;
    SECURITY_STATUS status;
    OM_uint32 major, minor, ret_flags = 0, time_rec = 0;
    gss_buffer_desc adapted_in = GSS_C_EMPTY_BUFFER;
    bool have_cb, adapted;

    if (!data_rep_valid(TargetDataRep) || phNewContext == NULL)
        return SEC_E_INVALID_PARAMETER;
    if (!first &&
        resume_context(phContext, false, false, pOutput, allocate, pfContextAttr, &ctx, &status))
        return status;
    /* No output buffer is needed until a token must go out (deliver() says so then): Windows
     * takes pOutput = NULL on the last NTLM leg and reports SEC_E_OK with the ASC_RET flags. */
    token = sspi_find_buffer(pInput, SECBUFFER_TOKEN);
    if (token == NULL || token->pvBuffer == NULL)
        return SEC_E_INVALID_TOKEN;
    in = (gss_buffer_desc){token->cbBuffer, token->pvBuffer};
    status = sspi_channel_bindings(pInput, &cb, &have_cb);
    if (status != SEC_E_OK)
        return status;
    if (first) {
        status = new_context(phCredential, false, fContextReq, &ctx);
        if (status != SEC_E_OK)
            return status;
        if (!token_fits_package(ctx, &in)) {
            status = SEC_E_INVALID_TOKEN;
            goto done;
        }
    }
    /* The initiator's negTokenResp, re-tagged for a library with MIT ticket 9183's bug. */
    adapted = !first && ctx->pkg->id == SSPI_PKG_NEGOTIATE &&
              sspi_spnego_adapt(sspi_cred_for_accept(ctx->cred), &in, &adapted_in);
    major = gss_accept_sec_context(&minor, &ctx->gss, sspi_cred_for_accept(ctx->cred),
                                   adapted ? &adapted_in : &in,
                                   have_cb ? &cb : GSS_C_NO_CHANNEL_BINDINGS, &peer, &ctx->mech,
                                   &out, &ret_flags, &time_rec, &delegated);
    free(adapted_in.value);
    if (GSS_ERROR(major)) {
        /* Translated before the release, which would overwrite the minor code. */
        status = sspi_status_from_gss_in(
            major, minor, first ? SSPI_CALL_ACCEPT : SSPI_CALL_ACCEPT_FINAL, ctx->pkg->mech);
        if (major == GSS_S_DEFECTIVE_TOKEN && !adapted && ctx->pkg->id == SSPI_PKG_NEGOTIATE &&
            sspi_spnego_failure_is_9183(&in))
            status = SPNEGO_MIC_9183_STATUS;
        gss_release_buffer(&minor, &out);
        goto done;
    }
    /* The mechglue names the mechanism once the context is complete. */
    if (major == GSS_S_COMPLETE && !mech_fits_package(ctx)) {
        gss_release_buffer(&minor, &out);
        status = SEC_E_INVALID_TOKEN;
        goto done;
    }
    if (peer != GSS_C_NO_NAME) {
        gss_release_name(&minor, &ctx->peer);
        ctx->peer = peer;
        peer = GSS_C_NO_NAME;
    }
    if (delegated != GSS_C_NO_CREDENTIAL) {
        gss_release_cred(&minor, &ctx->delegated);
        ctx->delegated = delegated;
        delegated = GSS_C_NO_CREDENTIAL;
    }
    if (major == GSS_S_CONTINUE_NEEDED)
        ret_flags = intended_flags(ctx);
    ctx->gss_flags = ret_flags;
    ctx->attrs = sspi_gss_to_asc_ret(ret_flags) | (allocate ? ASC_RET_ALLOCATED_MEMORY : 0) |
                 (fContextReq & ASC_REQ_CONNECTION ? ASC_RET_CONNECTION : 0) |
                 (fContextReq & ASC_REQ_EXTENDED_ERROR ? ASC_RET_EXTENDED_ERROR : 0);
    if (major == GSS_S_COMPLETE) {
        if ((fContextReq & ASC_ENFORCED) & ~ctx->attrs) {
            gss_release_buffer(&minor, &out);
            status = SEC_E_UNSUPPORTED_FUNCTION;
            goto done;
        }
        /* Windows gives the expiry only with the final status. */
        finish(ctx, time_rec, ptsExpiry);
    }
    status = deliver(ctx, pOutput, allocate, &out,
                     major == GSS_S_COMPLETE ? SEC_E_OK : SEC_I_CONTINUE_NEEDED);
    if (pfContextAttr != NULL)
        *pfContextAttr = ctx->attrs;
done:
    gss_release_name(&minor, &peer);
    gss_release_cred(&minor, &delegated);
    if (first) {
        bool keep = status == SEC_E_OK || status == SEC_I_CONTINUE_NEEDED ||
                    status == SEC_E_BUFFER_TOO_SMALL;

        /* A short output buffer keeps the context: the caller retries with its handle. */
        if (keep && sspi_handle_new(SSPI_HANDLE_CONTEXT, ctx, phNewContext) != SEC_E_OK) {
            status = SEC_E_INSUFFICIENT_MEMORY;
            keep = false;
        }
        if (!keep)
            sspi_ctx_free(ctx);
    } else if (phNewContext != phContext) {
        *phNewContext = *phContext;
    }
    return status;
}

SECURITY_STATUS SEC_ENTRY
DeleteSecurityContext(PCtxtHandle phContext)
{
    struct sspi_ctx *ctx = sspi_handle_remove(phContext, SSPI_HANDLE_CONTEXT);

    if (ctx == NULL)
        return SEC_E_INVALID_HANDLE;
    sspi_ctx_free(ctx);
    return SEC_E_OK;
}

/*
 * None of the three packages ever returns SEC_I_COMPLETE_NEEDED (the GSS mechanisms finish
 * their tokens themselves), so there is nothing to complete; the handle is still checked.
 */
SECURITY_STATUS SEC_ENTRY
CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken)
{
    return sspi_ctx_from_handle(phContext) != NULL ? SEC_E_OK : SEC_E_INVALID_HANDLE;
}

/* Control tokens exist for Schannel; Windows' Negotiate, NTLM and Kerberos refuse them too. */
SECURITY_STATUS SEC_ENTRY
ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput)
{
    return sspi_ctx_from_handle(phContext) != NULL ? SEC_E_UNSUPPORTED_FUNCTION
                                                   : SEC_E_INVALID_HANDLE;
}
