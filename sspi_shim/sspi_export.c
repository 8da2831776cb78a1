/*
 * ExportSecurityContext and ImportSecurityContext: an established context travels between
 * processes of one machine as gss_export_sec_context's token behind a small header that keeps
 * what SSPI knows about the context and GSS does not (package, flags, establishment time).
 *
 *  offset  size  field (little-endian)
 *  0       4     "SSPX"
 *  4       2     format version (1)
 *  6       2     package, as its wRPCID (9 Negotiate, 10 NTLM, 16 Kerberos)
 *  8       4     context bits: 0x1 initiator (the others are zero)
 *  12      4     ISC_REQ / ASC_REQ flags the caller asked for
 *  16      4     ISC_RET / ASC_RET flags last reported
 *  20      4     GSS flags granted
 *  24      4     lifetime in seconds at establishment
 *  28      8     establishment time, Unix seconds (signed)
 *  36      4     length n of the GSS token
 *  40      n     the GSS token
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sspi_buffers.h"
#include "sspi_handles.h"
#include "sspi_objects.h"
#include "sspi_strings.h"
#include "sspi_translate.h"

#define PACKED_MAGIC "SSPX"
#define PACKED_VERSION 1
#define PACKED_HEADER_SIZE 40
#define PACKED_INITIATOR 0x1u

/* The SSPI side of a packed context, as read from or written to its header. */
struct packed_header {
    uint16_t rpcid;
    uint32_t bits;
    uint32_t req_flags;
    uint32_t attrs;
    uint32_t gss_flags;
    uint32_t lifetime;
    int64_t established_at;
    uint32_t token_len;
};

static uint8_t *
put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    return p + 2;
}

static uint8_t *
put_le32(uint8_t *p, uint32_t v)
{
    p = put_le16(p, (uint16_t)v);
    return put_le16(p, (uint16_t)(v >> 16));
}

static uint8_t *
put_le64(uint8_t *p, uint64_t v)
{
    p = put_le32(p, (uint32_t)v);
    return put_le32(p, (uint32_t)(v >> 32));
}

static void
header_write(uint8_t *p, const struct packed_header *h)
{
    memcpy(p, PACKED_MAGIC, 4);
    p = put_le16(p + 4, PACKED_VERSION);
    p = put_le16(p, h->rpcid);
    p = put_le32(p, h->bits);
    p = put_le32(p, h->req_flags);
    p = put_le32(p, h->attrs);
    p = put_le32(p, h->gss_flags);
    p = put_le32(p, h->lifetime);
    p = put_le64(p, (uint64_t)h->established_at);
    put_le32(p, h->token_len);
}

/* A bounds-checked reader: reads past the end give zero and set the sticky error flag. */
struct reader {
    const uint8_t *p;
    size_t left;
    bool bad;
};

static const uint8_t *
read_bytes(struct reader *r, size_t n)
{
    const uint8_t *p = r->p;

    if (r->bad || n > r->left) {
        r->bad = true;
        return NULL;
    }
    r->p += n;
    r->left -= n;
    return p;
}

static uint16_t
read_le16(struct reader *r)
{
    const uint8_t *p = read_bytes(r, 2);

    return p != NULL ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

static uint32_t
read_le32(struct reader *r)
{
    uint32_t lo = read_le16(r);

    return lo | (uint32_t)read_le16(r) << 16;
}

static uint64_t
read_le64(struct reader *r)
{
    uint64_t lo = read_le32(r);

    return lo | (uint64_t)read_le32(r) << 32;
}

/* Reads and checks the header; *token points at the GSS token, which fills the rest exactly. */
static bool
header_read(const uint8_t *data, size_t len, struct packed_header *h, const uint8_t **token)
{
    struct reader r = {data, len, false};
    const uint8_t *magic = read_bytes(&r, 4);
    uint16_t version = read_le16(&r);

    h->rpcid = read_le16(&r);
    h->bits = read_le32(&r);
    h->req_flags = read_le32(&r);
    h->attrs = read_le32(&r);
    h->gss_flags = read_le32(&r);
    h->lifetime = read_le32(&r);
    h->established_at = (int64_t)read_le64(&r);
    h->token_len = read_le32(&r);
    if (r.bad || memcmp(magic, PACKED_MAGIC, 4) != 0 || version != PACKED_VERSION ||
        (h->bits & ~PACKED_INITIATOR) != 0 || h->token_len == 0 || h->token_len != r.left)
        return false;
    *token = read_bytes(&r, h->token_len);
    return !r.bad;
}

/*
 * gss_export_sec_context consumes the GSS context, so an old handle kept without
 * SECPKG_CONTEXT_EXPORT_DELETE_OLD stays valid but no longer established: it can only be
 * deleted, and calls that need a live context fail on it. SECPKG_CONTEXT_EXPORT_RESET_NEW asks
 * for a context reset to its initial state, which GSS-API cannot do, so it is refused rather
 * than ignored; TO_KERNEL has no meaning here. Windows has no access token to hand out with a
 * packed context here: *pToken is NULL (QuerySecurityContextToken gives the client's account).
 */
static SECURITY_STATUS
export_context(struct sspi_ctx *ctx, PCtxtHandle phContext, ULONG fFlags, PSecBuffer pPackedContext,
               void **pToken)
{
    gss_buffer_desc token = GSS_C_EMPTY_BUFFER;
    struct packed_header h;
    uint8_t *packed;
    SECURITY_STATUS status = SEC_E_OK;
    OM_uint32 major, minor;

    if (pPackedContext == NULL)
        return SEC_E_INVALID_PARAMETER;
    if (fFlags & ~(ULONG)SECPKG_CONTEXT_EXPORT_DELETE_OLD)
        return SEC_E_UNSUPPORTED_FUNCTION;
    /* Only a complete context whose last token the caller has received can move. */
    if (!ctx->established || ctx->gss == GSS_C_NO_CONTEXT || ctx->pending.length > 0)
        return SEC_E_INVALID_HANDLE;
    major = gss_export_sec_context(&minor, &ctx->gss, &token);
    if (GSS_ERROR(major))
        return sspi_status_from_gss(major, minor, SSPI_CALL_QUERY);
    packed = token.length <= UINT32_MAX - PACKED_HEADER_SIZE
                 ? sspi_context_buffer_alloc(PACKED_HEADER_SIZE + token.length)
                 : NULL;
    if (packed == NULL) {
        /* Take the context back, so a failed export leaves the handle as it was. */
        if (gss_import_sec_context(&minor, &token, &ctx->gss) != GSS_S_COMPLETE)
            ctx->established = false;
        status = SEC_E_INSUFFICIENT_MEMORY;
        goto done;
    }
    h = (struct packed_header){
        .rpcid = ctx->pkg->rpcid,
        .bits = ctx->initiator ? PACKED_INITIATOR : 0,
        .req_flags = ctx->req_flags,
        .attrs = ctx->attrs,
        .gss_flags = ctx->gss_flags,
        .lifetime = ctx->lifetime,
        .established_at = (int64_t)ctx->established_at,
        .token_len = (uint32_t)token.length,
    };
    header_write(packed, &h);
    memcpy(packed + PACKED_HEADER_SIZE, token.value, token.length);
    pPackedContext->BufferType = SECBUFFER_EMPTY; /* the type Windows documents for it */
    pPackedContext->cbBuffer = (ULONG)(PACKED_HEADER_SIZE + token.length);
    pPackedContext->pvBuffer = packed;
    if (pToken != NULL)
        *pToken = NULL;
    ctx->established = false;
    if (fFlags & SECPKG_CONTEXT_EXPORT_DELETE_OLD)
        sspi_ctx_handle_free(phContext);
done:
    /* The token holds the session key; the mechglue would free it as it is. */
    if (token.value != NULL)
        explicit_bzero(token.value, token.length);
    gss_release_buffer(&minor, &token);
    return status;
}

/* The reference taken keeps the context alive against a concurrent DeleteSecurityContext. */
SECURITY_STATUS SEC_ENTRY
ExportSecurityContext(PCtxtHandle phContext, ULONG fFlags, PSecBuffer pPackedContext, void **pToken)
{
    struct sspi_ctx *ctx = sspi_ctx_from_handle(phContext);
    SECURITY_STATUS status;

    if (ctx == NULL)
        return SEC_E_INVALID_HANDLE;
    status = export_context(ctx, phContext, fFlags, pPackedContext, pToken);
    sspi_ctx_unref(ctx);
    return status;
}

/*
 * An imported context has no credential handle behind it; it gets a credential object of its
 * own (no GSS credential, the initiator's name for QueryContextAttributes), so code that reads
 * ctx->cred finds one. The names come from the GSS context: the client for an acceptor, the
 * target for an initiator.
 */
static SECURITY_STATUS
imported_context(const struct sspi_package *pkg, const struct packed_header *h, gss_ctx_id_t *gss,
                 struct sspi_ctx **out)
{
    gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    const struct sspi_package *actual;
    struct sspi_ctx *ctx;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 major, minor;
    int local = 0, open = 0;
    bool initiator = h->bits & PACKED_INITIATOR;

    major = gss_inquire_context(&minor, *gss, &src, &targ, NULL, &mech, NULL, &local, &open);
    if (major != GSS_S_COMPLETE) {
        gss_release_name(&minor, &src);
        gss_release_name(&minor, &targ);
        return SEC_E_INVALID_TOKEN;
    }
    actual = sspi_package_for_mech(mech);
    ctx = sspi_ctx_new();
    if (ctx != NULL)
        ctx->cred = sspi_cred_new(pkg, initiator ? SECPKG_CRED_OUTBOUND : SECPKG_CRED_INBOUND);
    if (ctx == NULL || ctx->cred == NULL) {
        sspi_ctx_unref(ctx);
        gss_release_name(&minor, &src);
        gss_release_name(&minor, &targ);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    ctx->pkg = pkg;
    ctx->initiator = initiator;
    ctx->established = true;
    ctx->gss = *gss;
    *gss = GSS_C_NO_CONTEXT;
    ctx->mech = mech;
    ctx->req_flags = h->req_flags;
    ctx->attrs = h->attrs;
    ctx->gss_flags = h->gss_flags;
    ctx->lifetime = h->lifetime;
    ctx->established_at = (time_t)h->established_at;
    if (initiator) {
        ctx->target = targ;
        if (src != GSS_C_NO_NAME && gss_display_name(&minor, src, &text, NULL) == GSS_S_COMPLETE)
            ctx->cred->user = strndup(text.value, text.length);
        gss_release_buffer(&minor, &text);
        gss_release_name(&minor, &src);
    } else {
        ctx->peer = src;
        gss_release_name(&minor, &targ);
    }
    /* The token must say what the header says: the same side, complete, of this package. */
    if (!open || !local != !initiator ||
        (pkg->id != SSPI_PKG_NEGOTIATE && (actual == NULL || actual->id != pkg->id))) {
        sspi_ctx_unref(ctx);
        return SEC_E_INVALID_TOKEN;
    }
    *out = ctx;
    return SEC_E_OK;
}

static SECURITY_STATUS
import(const char *package, PSecBuffer pPackedContext, PCtxtHandle phContext)
{
    const struct sspi_package *pkg = sspi_package_find(package);
    gss_ctx_id_t gss = GSS_C_NO_CONTEXT;
    gss_buffer_desc token;
    struct packed_header h;
    struct sspi_ctx *ctx = NULL;
    const uint8_t *token_data;
    SECURITY_STATUS status;
    OM_uint32 major, minor;

    if (pkg == NULL)
        return SEC_E_SECPKG_NOT_FOUND;
    if (pPackedContext == NULL || phContext == NULL)
        return SEC_E_INVALID_PARAMETER;
    if (pPackedContext->pvBuffer == NULL ||
        !header_read(pPackedContext->pvBuffer, pPackedContext->cbBuffer, &h, &token_data) ||
        h.rpcid != pkg->rpcid)
        return SEC_E_INVALID_TOKEN;
    token = (gss_buffer_desc){h.token_len, (void *)token_data};
    major = gss_import_sec_context(&minor, &token, &gss);
    if (major != GSS_S_COMPLETE) {
        /* Bad bytes under a good header are a bad token, whatever GSS calls them. */
        return GSS_ROUTINE_ERROR(major) == GSS_S_UNAVAILABLE ? SEC_E_UNSUPPORTED_FUNCTION
               : GSS_ROUTINE_ERROR(major) == GSS_S_FAILURE && minor == ENOMEM
                   ? SEC_E_INSUFFICIENT_MEMORY
                   : SEC_E_INVALID_TOKEN;
    }
    status = imported_context(pkg, &h, &gss, &ctx);
    if (status != SEC_E_OK)
        goto done;
    /* The handle takes a reference of its own; done: drops this call's. */
    status = sspi_handle_new(SSPI_HANDLE_CONTEXT, &ctx->ref, phContext);
done:
    sspi_ctx_unref(ctx);
    gss_delete_sec_context(&minor, &gss, GSS_C_NO_BUFFER);
    return status;
}

/* The Token argument (a Windows access token to attach) has no counterpart and is ignored. */
SECURITY_STATUS SEC_ENTRY
ImportSecurityContextA(LPSTR pszPackage, PSecBuffer pPackedContext, void *Token,
                       PCtxtHandle phContext)
{
    return import(pszPackage, pPackedContext, phContext);
}

SECURITY_STATUS SEC_ENTRY
ImportSecurityContextW(LPWSTR pszPackage, PSecBuffer pPackedContext, void *Token,
                       PCtxtHandle phContext)
{
    char *package = pszPackage != NULL ? sspi_utf8_from_wide(pszPackage, (size_t)-1) : NULL;
    SECURITY_STATUS status = import(package, pPackedContext, phContext);

    free(package);
    return status;
}
