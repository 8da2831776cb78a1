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

static const unsigned char ntlmssp_signature[SSPIGSS_NTLMSSP_SIGNATURE_LEN] =
    SSPIGSS_NTLMSSP_SIGNATURE;

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
 * complete (unless it awaits SPNEGO's last token and final_token brings it). False with *out
 * holding a reference on the context, which the caller drops.
 */
static bool
resume_context(PCtxtHandle phContext, bool initiator, bool final_token, PSecBufferDesc pOutput,
               bool allocate, ULONG *attrs, struct sspi_ctx **out, SECURITY_STATUS *status)
{
    struct sspi_ctx *ctx = sspi_ctx_from_handle(phContext);

    if (ctx == NULL || ctx->initiator != initiator || ctx->gss == GSS_C_NO_CONTEXT)
        *status = SEC_E_INVALID_HANDLE;
    else if (ctx->pending.length > 0)
        *status = deliver_pending(ctx, pOutput, allocate, attrs);
    else if (ctx->established && !(ctx->awaiting_final && final_token))
        *status = SEC_E_OK;
    else {
        *out = ctx;
        return false;
    }
    sspi_ctx_unref(ctx);
    return true;
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
    struct sspi_ctx *ctx = NULL;
    SECURITY_STATUS status = SEC_E_OK;

    if (cred == NULL)
        return SEC_E_INVALID_HANDLE;
    if (!(cred->use & (initiator ? SECPKG_CRED_OUTBOUND : SECPKG_CRED_INBOUND)))
        status = SEC_E_NO_CREDENTIALS;
    else if ((ctx = sspi_ctx_new()) == NULL)
        status = SEC_E_INSUFFICIENT_MEMORY;
    if (status != SEC_E_OK) {
        sspi_cred_unref(cred);
        return status;
    }
    ctx->initiator = initiator;
    ctx->pkg = cred->pkg;
    ctx->cred = cred; /* the reference the lookup took */
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

/* One call of InitializeSecurityContext or AcceptSecurityContext, as context_step runs it. */
struct step {
    struct sspi_ctx *ctx;
    const char *target; /* initiator: the SPN as UTF-8, or NULL */
    ULONG req;          /* ISC_REQ_* or ASC_REQ_* */
    bool first;         /* no context handle yet */
    bool final_leg;     /* initiator: SPNEGO's last token, which brings no token back */
    gss_buffer_desc in; /* the caller's token, empty on the initiator's first call */
    gss_channel_bindings_t cb;
    gss_buffer_desc out;
    OM_uint32 major, minor, ret_flags, time_rec;
    gss_name_t peer;         /* acceptor: the client, until the context keeps it */
    gss_cred_id_t delegated; /* acceptor: the client's delegated credential, likewise */
    bool complete;           /* complete for the caller (SEC_E_OK) */
};

/*
 * What tells InitializeSecurityContext from AcceptSecurityContext. context_step is the one
 * sequence both follow; every difference between them is a field here.
 */
struct role {
    bool initiator;
    ULONG allocate_flag;  /* ISC_REQ_ALLOCATE_MEMORY, ASC_REQ_ALLOCATE_MEMORY */
    ULONG allocated_attr; /* ISC_RET_ALLOCATED_MEMORY, ASC_RET_ALLOCATED_MEMORY */
    ULONG enforced;       /* requirements a complete context must meet */
    /*
     * Windows' client wants a token buffer before it does anything: SEC_E_BUFFER_TOO_SMALL
     * without one, SEC_E_INTERNAL_ERROR for a sized one with no memory behind it (Wine's ntlm.c
     * runClient; msv1_0 main.c checks the size first, then the pointer). The acceptor needs one
     * only when a token must go out (Windows takes pOutput = NULL on the last NTLM leg).
     */
    bool output_needed_first;
    /* The acceptor cannot start without the client's token: SEC_E_INVALID_TOKEN. */
    bool input_needed;
    /*
     * The first call's token does not fit the caller's buffer (SEC_E_BUFFER_TOO_SMALL): the
     * initiator leaves nothing behind, as Windows' client does, and the caller starts again;
     * the acceptor keeps the context and the token, handed out when the caller retries with
     * the new handle, as Windows' server does. On later calls both keep the token (deliver).
     */
    bool first_short_buffer_keeps_context;
    enum sspi_call first_call, later_call; /* for sspi_status_from_gss_in */
    /* Checks the first call's inputs and fills the new context (target, package). */
    SECURITY_STATUS (*start)(struct step *s);
    /* The GSS call: gss_init_sec_context or gss_accept_sec_context, on s->ctx. */
    OM_uint32 (*gss_call)(struct step *s, gss_buffer_t in);
    /* After a GSS step that did not fail: what the context keeps; sets s->complete. */
    SECURITY_STATUS (*absorb)(struct step *s);
    /* The ISC_RET_* or ASC_RET_* flags the call reports. */
    ULONG (*attrs)(const struct step *s);
};

static SECURITY_STATUS
context_step(const struct role *role, PCredHandle phCredential, PCtxtHandle phContext,
             const char *target, ULONG fContextReq, ULONG TargetDataRep, PSecBufferDesc pInput,
             PCtxtHandle phNewContext, PSecBufferDesc pOutput, ULONG *pfContextAttr,
             PTimeStamp ptsExpiry)
{
    bool allocate = fContextReq & role->allocate_flag, adapted;
    struct step s = {.target = target, .req = fContextReq, .first = phContext == NULL};
    struct gss_channel_bindings_struct cb;
    gss_buffer_desc adapted_in = GSS_C_EMPTY_BUFFER;
    SecBuffer *token = sspi_find_buffer(pInput, SECBUFFER_TOKEN), *out_token;
    SECURITY_STATUS status;
    OM_uint32 minor;
    bool have_cb;

    if (!data_rep_valid(TargetDataRep) || phNewContext == NULL)
        return SEC_E_INVALID_PARAMETER;
    if (!s.first && resume_context(phContext, role->initiator, token != NULL && token->cbBuffer > 0,
                                   pOutput, allocate, pfContextAttr, &s.ctx, &status))
        return status;
    s.final_leg = s.ctx != NULL && s.ctx->awaiting_final;
    out_token = sspi_find_buffer(pOutput, SECBUFFER_TOKEN);
    if (role->output_needed_first && !s.final_leg && out_token == NULL)
        status = SEC_E_BUFFER_TOO_SMALL;
    else if (role->output_needed_first && out_token != NULL && !allocate &&
             out_token->pvBuffer == NULL && out_token->cbBuffer > 0)
        status = SEC_E_INTERNAL_ERROR;
    else if (role->input_needed && (token == NULL || token->pvBuffer == NULL))
        status = SEC_E_INVALID_TOKEN;
    else
        status = sspi_channel_bindings(pInput, &cb, &have_cb);
    if (status != SEC_E_OK)
        goto done;
    if (token != NULL)
        s.in = (gss_buffer_desc){token->cbBuffer, token->pvBuffer};
    s.cb = have_cb ? &cb : GSS_C_NO_CHANNEL_BINDINGS;
    if (s.first) {
        status = new_context(phCredential, role->initiator, fContextReq, &s.ctx);
        if (status != SEC_E_OK)
            goto done;
        status = role->start(&s);
        if (status != SEC_E_OK)
            goto done;
    }
    /* The peer's negTokenResp, re-tagged for a library with MIT ticket 9183's bug. */
    adapted =
        !s.first && s.ctx->pkg->id == SSPI_PKG_NEGOTIATE &&
        sspi_spnego_adapt(role->initiator ? GSS_C_NO_CREDENTIAL : sspi_cred_for_accept(s.ctx->cred),
                          &s.in, &adapted_in);
    s.major = role->gss_call(&s, adapted ? &adapted_in : &s.in);
    free(adapted_in.value);
    if (GSS_ERROR(s.major) || (s.final_leg && s.major != GSS_S_COMPLETE)) {
        /* Translated before the release, which would overwrite the minor code. */
        status = GSS_ERROR(s.major)
                     ? sspi_status_from_gss_in(s.major, s.minor,
                                               s.first ? role->first_call : role->later_call,
                                               s.ctx->pkg->mech)
                     : SEC_E_INVALID_TOKEN;
        if (s.major == GSS_S_DEFECTIVE_TOKEN && !adapted && s.ctx->pkg->id == SSPI_PKG_NEGOTIATE &&
            sspi_spnego_failure_is_9183(&s.in))
            status = SPNEGO_MIC_9183_STATUS;
        /* An acceptor's last token that does not verify leaves nothing usable behind. */
        if (s.final_leg)
            s.ctx->established = s.ctx->awaiting_final = false;
        goto done;
    }
    status = role->absorb(&s);
    if (status != SEC_E_OK)
        goto done;
    s.ctx->gss_flags = s.ret_flags;
    s.ctx->attrs = role->attrs(&s) | (allocate ? role->allocated_attr : 0);
    if (s.complete) {
        if ((fContextReq & role->enforced) & ~s.ctx->attrs) {
            status = SEC_E_UNSUPPORTED_FUNCTION;
            goto done;
        }
        finish(s.ctx, s.time_rec, ptsExpiry);
    }
    if (s.first && !role->first_short_buffer_keeps_context) {
        status = sspi_deliver_token(pOutput, allocate, &s.out);
        if (status == SEC_E_OK)
            status = s.complete ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
    } else {
        status = deliver(s.ctx, pOutput, allocate, &s.out,
                         s.complete ? SEC_E_OK : SEC_I_CONTINUE_NEEDED);
    }
    if (pfContextAttr != NULL)
        *pfContextAttr = s.ctx->attrs;
done:
    gss_release_buffer(&minor, &s.out);
    gss_release_name(&minor, &s.peer);
    gss_release_cred(&minor, &s.delegated);
    if (s.first && s.ctx != NULL) {
        bool keep = status == SEC_E_OK || status == SEC_I_CONTINUE_NEEDED ||
                    (role->first_short_buffer_keeps_context && status == SEC_E_BUFFER_TOO_SMALL);

        /* The handle takes a reference of its own; the one dropped below is this call's. */
        if (keep && sspi_handle_new(SSPI_HANDLE_CONTEXT, &s.ctx->ref, phNewContext) != SEC_E_OK) {
            status = SEC_E_INSUFFICIENT_MEMORY;
            keep = false;
        }
        if (!keep)
            phNewContext->dwLower = phNewContext->dwUpper = 0;
    } else if (!s.first && phNewContext != phContext) {
        *phNewContext = *phContext;
    }
    sspi_ctx_unref(s.ctx);
    return status;
}

/* The initiator's first call: the target (Kerberos cannot do without one). */
static SECURITY_STATUS
initiator_start(struct step *s)
{
    SECURITY_STATUS status = import_target(s->target, &s->ctx->target);

    if (status == SEC_E_OK && s->target == NULL && s->ctx->pkg->id == SSPI_PKG_KERBEROS)
        status = SEC_E_TARGET_UNKNOWN;
    return status;
}

static OM_uint32
initiator_gss_call(struct step *s, gss_buffer_t in)
{
    struct sspi_ctx *ctx = s->ctx;

    return gss_init_sec_context(&s->minor, ctx->cred->gss, &ctx->gss, ctx->target, ctx->pkg->mech,
                                sspi_isc_req_to_gss(s->req), GSS_C_INDEFINITE, s->cb, in,
                                &ctx->mech, &s->out, &s->ret_flags, &s->time_rec);
}

static SECURITY_STATUS
initiator_absorb(struct step *s)
{
    struct sspi_ctx *ctx = s->ctx;

    s->complete = s->major == GSS_S_COMPLETE;
    if (!s->complete && !s->first && s->out.length > 0 && only_spnego_final_left(ctx)) {
        s->complete = ctx->awaiting_final = true;
        ctx->mech = sspi_mech_ntlm;
    }
    if (s->major == GSS_S_COMPLETE)
        ctx->awaiting_final = false;
    return SEC_E_OK;
}

static ULONG
initiator_attrs(const struct step *s)
{
    /* Until the context is complete Windows reports what was asked for (issue 14). */
    ULONG attrs = sspi_gss_to_isc_ret(s->ret_flags) |
                  (s->complete ? 0 : sspi_isc_ret_requested(s->req)) |
                  (s->req & ISC_REQ_CONNECTION ? ISC_RET_CONNECTION : 0);

    /* Windows' NTLM reports the mutual authentication it was asked for, which NTLM cannot give
     * (Wine's msv1_0 main.c does the same in ntlm_SpInitLsaModeContext). */
    if ((s->req & ISC_REQ_MUTUAL_AUTH) && sspi_ctx_package(s->ctx)->id == SSPI_PKG_NTLM)
        attrs |= ISC_RET_MUTUAL_AUTH;
    return attrs;
}

static const struct role initiator = {
    .initiator = true,
    .allocate_flag = ISC_REQ_ALLOCATE_MEMORY,
    .allocated_attr = ISC_RET_ALLOCATED_MEMORY,
    .enforced = ISC_ENFORCED,
    .output_needed_first = true,
    .input_needed = false,
    .first_short_buffer_keeps_context = false,
    .first_call = SSPI_CALL_INITIATE,
    .later_call = SSPI_CALL_INITIATE,
    .start = initiator_start,
    .gss_call = initiator_gss_call,
    .absorb = initiator_absorb,
    .attrs = initiator_attrs,
};

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
    status = context_step(&initiator, phCredential, phContext, target, fContextReq, TargetDataRep,
                          pInput, phNewContext, pOutput, pfContextAttr, ptsExpiry);
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
    status = context_step(&initiator, phCredential, phContext, target, fContextReq, TargetDataRep,
                          pInput, phNewContext, pOutput, pfContextAttr, ptsExpiry);
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

/* The acceptor's first call: the token must be of the package's mechanism. */
static SECURITY_STATUS
acceptor_start(struct step *s)
{
    return token_fits_package(s->ctx, &s->in) ? SEC_E_OK : SEC_E_INVALID_TOKEN;
}

static OM_uint32
acceptor_gss_call(struct step *s, gss_buffer_t in)
{
    struct sspi_ctx *ctx = s->ctx;

    return gss_accept_sec_context(&s->minor, &ctx->gss, sspi_cred_for_accept(ctx->cred), in, s->cb,
                                  &s->peer, &ctx->mech, &s->out, &s->ret_flags, &s->time_rec,
                                  &s->delegated);
}

static SECURITY_STATUS
acceptor_absorb(struct step *s)
{
    struct sspi_ctx *ctx = s->ctx;
    OM_uint32 minor;

    /* The mechglue names the mechanism once the context is complete. */
    if (s->major == GSS_S_COMPLETE && !mech_fits_package(ctx))
        return SEC_E_INVALID_TOKEN;
    if (s->peer != GSS_C_NO_NAME) {
        gss_release_name(&minor, &ctx->peer);
        ctx->peer = s->peer;
        s->peer = GSS_C_NO_NAME;
    }
    if (s->delegated != GSS_C_NO_CREDENTIAL) {
        gss_release_cred(&minor, &ctx->delegated);
        ctx->delegated = s->delegated;
        s->delegated = GSS_C_NO_CREDENTIAL;
    }
    if (s->major == GSS_S_CONTINUE_NEEDED)
        s->ret_flags = intended_flags(ctx);
    /* Windows gives the expiry only with the final status (finish, on completion). */
    s->complete = s->major == GSS_S_COMPLETE;
    return SEC_E_OK;
}

static ULONG
acceptor_attrs(const struct step *s)
{
    return sspi_gss_to_asc_ret(s->ret_flags) |
           (s->req & ASC_REQ_CONNECTION ? ASC_RET_CONNECTION : 0) |
           (s->req & ASC_REQ_EXTENDED_ERROR ? ASC_RET_EXTENDED_ERROR : 0);
}

static const struct role acceptor = {
    .initiator = false,
    .allocate_flag = ASC_REQ_ALLOCATE_MEMORY,
    .allocated_attr = ASC_RET_ALLOCATED_MEMORY,
    .enforced = ASC_ENFORCED,
    .output_needed_first = false,
    .input_needed = true,
    .first_short_buffer_keeps_context = true,
    .first_call = SSPI_CALL_ACCEPT,
    .later_call = SSPI_CALL_ACCEPT_FINAL,
    .start = acceptor_start,
    .gss_call = acceptor_gss_call,
    .absorb = acceptor_absorb,
    .attrs = acceptor_attrs,
};

SECURITY_STATUS SEC_ENTRY
AcceptSecurityContext(PCredHandle phCredential, PCtxtHandle phContext, PSecBufferDesc pInput,
                      ULONG fContextReq, ULONG TargetDataRep, PCtxtHandle phNewContext,
                      PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
    return context_step(&acceptor, phCredential, phContext, NULL, fContextReq, TargetDataRep,
                        pInput, phNewContext, pOutput, pfContextAttr, ptsExpiry);
}

/* A call still using the context on another thread keeps it until that call returns. */
SECURITY_STATUS SEC_ENTRY
DeleteSecurityContext(PCtxtHandle phContext)
{
    return sspi_ctx_handle_free(phContext) ? SEC_E_OK : SEC_E_INVALID_HANDLE;
}

/*
 * None of the three packages ever returns SEC_I_COMPLETE_NEEDED (the GSS mechanisms finish
 * their tokens themselves), so there is nothing to complete; the handle is still checked.
 */
SECURITY_STATUS SEC_ENTRY
CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken)
{
    return sspi_handle_live(phContext, SSPI_HANDLE_CONTEXT) ? SEC_E_OK : SEC_E_INVALID_HANDLE;
}

/* Control tokens exist for Schannel; Windows' Negotiate, NTLM and Kerberos refuse them too. */
SECURITY_STATUS SEC_ENTRY
ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput)
{
    return sspi_handle_live(phContext, SSPI_HANDLE_CONTEXT) ? SEC_E_UNSUPPORTED_FUNCTION
                                                            : SEC_E_INVALID_HANDLE;
}
