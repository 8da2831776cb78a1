/*
 * MakeSignature, VerifySignature, EncryptMessage and DecryptMessage. The caller's SecBufferDesc
 * becomes one gss_iov_buffer_desc array pointing at the caller's memory, so the mechanism signs,
 * seals and unseals in place (gss_get_mic_iov, gss_wrap_iov and their inverses).
 *
 * Buffer types, as Windows documents them:
 *
 *   SecBuffer                          sign / verify        encrypt / decrypt
 *   ---------------------------------  -------------------  ------------------------------
 *   TOKEN (first one)                  MIC_TOKEN            HEADER (trailer folded in)
 *   DATA                               DATA (signed)        DATA (signed, sealed in place)
 *   DATA | READONLY_WITH_CHECKSUM      SIGN_ONLY            SIGN_ONLY (signed, not sealed)
 *   DATA | READONLY                    left out             left out (neither)
 *   PADDING                            left out             PADDING
 *   STREAM                             left out             STREAM (decrypt only: the DATA
 *                                                           buffer then points into it)
 *   EMPTY and every other type         left out             left out
 *
 * No TRAILER buffer is passed: MIT's krb5 then puts the trailer inside the header (RFC 4121
 * "RRC"), which is the layout Windows' Kerberos puts in the TOKEN buffer.
 *
 * A context that is not yet established is SEC_E_INVALID_HANDLE: the only context status the
 * Windows documentation lists for these four calls, and what GSS_S_NO_CONTEXT maps to.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gssapi/gssapi_ext.h>

#include "sspi_buffers.h"
#include "sspi_objects.h"
#include "sspi_translate.h"
#include "sspigss_ntlm.h"

/* The NTLMSSP message signature, the one fixed size the no-IOV fallback relies on. */
#define NTLM_SIGNATURE_SIZE SSPIGSS_NTLM_SIGNATURE_SIZE

enum protect_op { OP_SIGN, OP_VERIFY, OP_ENCRYPT, OP_DECRYPT };

/* The GSS view of a message: one iov per buffer the package uses, and which buffer it was. */
struct message {
    gss_iov_buffer_desc *iov;
    SecBuffer **from;
    int count;
    int token;   /* index in iov of the TOKEN (MIC_TOKEN or HEADER), or -1 */
    int stream;  /* of the STREAM, or -1 */
    int padding; /* of the PADDING, or -1 */
    int data;    /* of the first DATA, or -1 */
    int n_data;  /* DATA buffers (sealed) */
    int n_sign_only;
};

static OM_uint32
iov_type(const SecBuffer *buf, enum protect_op op)
{
    ULONG type = buf->BufferType & ~SECBUFFER_ATTRMASK,
          attrs = buf->BufferType & SECBUFFER_ATTRMASK;
    bool wrap = op == OP_ENCRYPT || op == OP_DECRYPT;

    switch (type) {
    case SECBUFFER_TOKEN:
        return wrap ? GSS_IOV_BUFFER_TYPE_HEADER : GSS_IOV_BUFFER_TYPE_MIC_TOKEN;
    case SECBUFFER_DATA:
        if (attrs & SECBUFFER_READONLY_WITH_CHECKSUM)
            return GSS_IOV_BUFFER_TYPE_SIGN_ONLY;
        return attrs & SECBUFFER_READONLY ? GSS_IOV_BUFFER_TYPE_EMPTY : GSS_IOV_BUFFER_TYPE_DATA;
    case SECBUFFER_PADDING:
        return wrap ? GSS_IOV_BUFFER_TYPE_PADDING : GSS_IOV_BUFFER_TYPE_EMPTY;
    case SECBUFFER_STREAM:
        return op == OP_DECRYPT ? GSS_IOV_BUFFER_TYPE_STREAM : GSS_IOV_BUFFER_TYPE_EMPTY;
    default:
        return GSS_IOV_BUFFER_TYPE_EMPTY;
    }
}

static void
message_free(struct message *m)
{
    free(m->iov);
    free(m->from);
}

/* Records iov i's role; false when it repeats a role only one buffer may have. */
static bool
note_role(struct message *m, OM_uint32 type, int i)
{
    int *single = NULL;

    if (type == GSS_IOV_BUFFER_TYPE_HEADER || type == GSS_IOV_BUFFER_TYPE_MIC_TOKEN)
        single = &m->token;
    else if (type == GSS_IOV_BUFFER_TYPE_STREAM)
        single = &m->stream;
    else if (type == GSS_IOV_BUFFER_TYPE_PADDING)
        single = &m->padding;
    if (single != NULL) {
        if (*single >= 0)
            return false;
        *single = i;
    } else if (type == GSS_IOV_BUFFER_TYPE_DATA) {
        if (m->data < 0)
            m->data = i;
        m->n_data++;
    } else {
        m->n_sign_only++;
    }
    return true;
}

/*
 * Builds the iov array over desc. Only the first TOKEN, STREAM and PADDING belong to the package
 * (later ones are left out, as Windows ignores them). A buffer the package uses must have memory
 * behind its length.
 */
static SECURITY_STATUS
message_build(PSecBufferDesc desc, enum protect_op op, struct message *m)
{
    ULONG i;

    *m = (struct message){.token = -1, .stream = -1, .padding = -1, .data = -1};
    if (!sspi_desc_valid(desc) || desc->cBuffers > INT_MAX)
        return SEC_E_INVALID_PARAMETER;
    if (desc->cBuffers == 0)
        return SEC_E_OK;
    m->iov = calloc(desc->cBuffers, sizeof(*m->iov));
    m->from = calloc(desc->cBuffers, sizeof(*m->from));
    if (m->iov == NULL || m->from == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    for (i = 0; i < desc->cBuffers; i++) {
        SecBuffer *buf = &desc->pBuffers[i];
        OM_uint32 type = iov_type(buf, op);

        if (type == GSS_IOV_BUFFER_TYPE_EMPTY || !note_role(m, type, m->count))
            continue;
        if (buf->pvBuffer == NULL && buf->cbBuffer != 0)
            return SEC_E_INVALID_PARAMETER;
        m->iov[m->count].type = type;
        m->iov[m->count].buffer = (gss_buffer_desc){buf->cbBuffer, buf->pvBuffer};
        m->from[m->count] = buf;
        m->count++;
    }
    return SEC_E_OK;
}

/*
 * Per-message failures are told by the major status alone. The minor-code refinements of the
 * status table are about authentication: a tampered krb5 token carries
 * KRB5KRB_AP_ERR_BAD_INTEGRITY, which there means a failed logon, here SEC_E_MESSAGE_ALTERED.
 */
static SECURITY_STATUS
message_status(OM_uint32 major)
{
    SECURITY_STATUS status = sspi_status_from_gss(major, 0, SSPI_CALL_MESSAGE);

    /* A major that is neither an error nor a sequence report is no success either. */
    return status == SEC_E_OK && major != GSS_S_COMPLETE ? SEC_E_INTERNAL_ERROR : status;
}

static bool
unavailable(OM_uint32 major)
{
    return GSS_ROUTINE_ERROR(major) == GSS_S_UNAVAILABLE;
}

/* On success *out holds a reference on the context, which the caller drops. */
static SECURITY_STATUS
established_context(PCtxtHandle phContext, struct sspi_ctx **out)
{
    struct sspi_ctx *ctx = sspi_ctx_from_handle(phContext);
    SECURITY_STATUS status = SEC_E_OK;

    if (ctx == NULL || !ctx->established)
        status = SEC_E_INVALID_HANDLE;
    /* Not every mechanism checks its own lifetime on every call (MIT's krb5 get_mic does
     * not), so the lifetime GSS granted at establishment is enforced here. */
    else if (ctx->lifetime != GSS_C_INDEFINITE &&
             time(NULL) - ctx->established_at >= (time_t)ctx->lifetime)
        status = SEC_E_CONTEXT_EXPIRED;
    if (status != SEC_E_OK) {
        sspi_ctx_unref(ctx);
        return status;
    }
    *out = ctx;
    return SEC_E_OK;
}

static bool
is_ntlm(const struct sspi_ctx *ctx)
{
    return sspi_ctx_package(ctx)->id == SSPI_PKG_NTLM;
}

/*
 * Asks the mechanism how large the TOKEN (and PADDING) must be, on a copy of the iovs so the
 * caller's buffers are untouched. wrap: gss_wrap_iov_length, else gss_get_mic_iov_length.
 */
static OM_uint32
token_lengths(const struct sspi_ctx *ctx, const struct message *m, bool wrap, int conf_req,
              int *conf_state, size_t *token_len, size_t *padding_len)
{
    gss_iov_buffer_desc *copy = malloc((size_t)m->count * sizeof(*copy));
    OM_uint32 major, minor;

    if (copy == NULL)
        return GSS_S_FAILURE;
    memcpy(copy, m->iov, (size_t)m->count * sizeof(*copy));
    copy[m->token].buffer = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
    if (m->padding >= 0)
        copy[m->padding].buffer = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
    major = wrap ? gss_wrap_iov_length(&minor, ctx->gss, conf_req, GSS_C_QOP_DEFAULT, conf_state,
                                       copy, m->count)
                 : gss_get_mic_iov_length(&minor, ctx->gss, GSS_C_QOP_DEFAULT, copy, m->count);
    *token_len = copy[m->token].buffer.length;
    *padding_len = m->padding >= 0 ? copy[m->padding].buffer.length : 0;
    free(copy);
    return major;
}

/* The signed pieces (DATA and SIGN_ONLY) of m, in order, in one malloc'd buffer. */
static SECURITY_STATUS
concat_signed(const struct message *m, gss_buffer_desc *out)
{
    size_t total = 0, at = 0;
    unsigned char *p;
    int i;

    for (i = 0; i < m->count; i++) {
        OM_uint32 type = m->iov[i].type;

        if (type != GSS_IOV_BUFFER_TYPE_DATA && type != GSS_IOV_BUFFER_TYPE_SIGN_ONLY)
            continue;
        if (m->iov[i].buffer.length > SIZE_MAX - total)
            return SEC_E_INSUFFICIENT_MEMORY;
        total += m->iov[i].buffer.length;
    }
    p = malloc(total > 0 ? total : 1);
    if (p == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    for (i = 0; i < m->count; i++) {
        OM_uint32 type = m->iov[i].type;

        if ((type == GSS_IOV_BUFFER_TYPE_DATA || type == GSS_IOV_BUFFER_TYPE_SIGN_ONLY) &&
            m->iov[i].buffer.length > 0) {
            memcpy(p + at, m->iov[i].buffer.value, m->iov[i].buffer.length);
            at += m->iov[i].buffer.length;
        }
    }
    *out = (gss_buffer_desc){total, p};
    return SEC_E_OK;
}

/*
 * The fallback for mechanisms without the IOV calls (gss-ntlmssp has only gss_get_mic,
 * gss_verify_mic, gss_wrap and gss_unwrap):
 *  - Make/VerifySignature: gss_get_mic/gss_verify_mic over the signed buffers concatenated,
 *    which is the same MAC for NTLMSSP (its MAC runs over the pieces in order);
 *  - Encrypt/DecryptMessage: only for the NTLM package, only one DATA buffer and no
 *    READONLY_WITH_CHECKSUM ones, because only there the wrap token is known to be
 *    signature(16) || sealed data: the signature goes to TOKEN, the rest back into DATA. Any
 *    other layout is SEC_E_UNSUPPORTED_FUNCTION.
 */
static SECURITY_STATUS
sign_fallback(const struct sspi_ctx *ctx, const struct message *m)
{
    SecBuffer *token = m->from[m->token];
    gss_buffer_desc msg = GSS_C_EMPTY_BUFFER, mic = GSS_C_EMPTY_BUFFER;
    SECURITY_STATUS status;
    OM_uint32 major, minor;

    /* Only NTLM's size is known beforehand; another mechanism's is checked after signing. */
    if (is_ntlm(ctx) && token->cbBuffer < NTLM_SIGNATURE_SIZE)
        return SEC_E_BUFFER_TOO_SMALL;
    status = concat_signed(m, &msg);
    if (status != SEC_E_OK)
        return status;
    major = gss_get_mic(&minor, ctx->gss, GSS_C_QOP_DEFAULT, &msg, &mic);
    if (major != GSS_S_COMPLETE) {
        status = message_status(major);
    } else if (mic.length > token->cbBuffer) {
        status = SEC_E_BUFFER_TOO_SMALL;
    } else {
        memcpy(token->pvBuffer, mic.value, mic.length);
        token->cbBuffer = (ULONG)mic.length;
    }
    free(msg.value);
    gss_release_buffer(&minor, &mic);
    return status;
}

static SECURITY_STATUS
verify_fallback(const struct sspi_ctx *ctx, const struct message *m)
{
    SecBuffer *token = m->from[m->token];
    gss_buffer_desc msg = GSS_C_EMPTY_BUFFER, mic = {token->cbBuffer, token->pvBuffer};
    SECURITY_STATUS status;
    OM_uint32 major, minor;

    /* gss-ntlmssp compares 16 bytes whatever the token's length: never let it read past. */
    if (is_ntlm(ctx) && token->cbBuffer < NTLM_SIGNATURE_SIZE)
        return SEC_E_INVALID_TOKEN;
    status = concat_signed(m, &msg);
    if (status != SEC_E_OK)
        return status;
    major = gss_verify_mic(&minor, ctx->gss, &msg, &mic, NULL);
    free(msg.value);
    return major == GSS_S_COMPLETE ? SEC_E_OK : message_status(major);
}

static bool
wrap_fallback_fits(const struct sspi_ctx *ctx, const struct message *m)
{
    return is_ntlm(ctx) && m->n_data == 1 && m->n_sign_only == 0;
}

static SECURITY_STATUS
encrypt_fallback(const struct sspi_ctx *ctx, const struct message *m, int conf_req)
{
    SecBuffer *token = m->from[m->token], *data = m->from[m->data];
    gss_buffer_desc in = {data->cbBuffer, data->pvBuffer}, out = GSS_C_EMPTY_BUFFER;
    SECURITY_STATUS status = SEC_E_OK;
    OM_uint32 major, minor;
    int conf_state = 0;

    if (!wrap_fallback_fits(ctx, m))
        return SEC_E_UNSUPPORTED_FUNCTION;
    /* gss_wrap cannot be asked beforehand whether it would leave the data in the clear. */
    if (!conf_req)
        return SEC_E_QOP_NOT_SUPPORTED;
    if (token->cbBuffer < NTLM_SIGNATURE_SIZE)
        return SEC_E_BUFFER_TOO_SMALL;
    major = gss_wrap(&minor, ctx->gss, conf_req, GSS_C_QOP_DEFAULT, &in, &conf_state, &out);
    if (major != GSS_S_COMPLETE)
        return message_status(major);
    if (out.length != (size_t)data->cbBuffer + NTLM_SIGNATURE_SIZE)
        status = SEC_E_INTERNAL_ERROR;
    else if (!conf_state)
        status = SEC_E_UNSUPPORTED_FUNCTION; /* never hand out clear text as if sealed */
    if (status == SEC_E_OK) {
        memcpy(token->pvBuffer, out.value, NTLM_SIGNATURE_SIZE);
        token->cbBuffer = NTLM_SIGNATURE_SIZE;
        if (data->cbBuffer > 0)
            memcpy(data->pvBuffer, (unsigned char *)out.value + NTLM_SIGNATURE_SIZE,
                   data->cbBuffer);
        if (m->padding >= 0)
            m->from[m->padding]->cbBuffer = 0;
    }
    gss_release_buffer(&minor, &out);
    return status;
}

/*
 * Decrypts into where the ciphertext was: DATA itself, or for a STREAM the bytes after the
 * signature, which the DATA buffer is then pointed at.
 */
static SECURITY_STATUS
decrypt_fallback(const struct sspi_ctx *ctx, const struct message *m, int *conf_state)
{
    SecBuffer *data = m->from[m->data];
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    unsigned char *dest, *joined = NULL;
    size_t dest_len;
    SECURITY_STATUS status = SEC_E_OK;
    OM_uint32 major, minor;

    if (!wrap_fallback_fits(ctx, m))
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (m->stream >= 0) {
        SecBuffer *stream = m->from[m->stream];

        if (stream->cbBuffer < NTLM_SIGNATURE_SIZE)
            return SEC_E_INVALID_TOKEN;
        in = (gss_buffer_desc){stream->cbBuffer, stream->pvBuffer};
        dest = (unsigned char *)stream->pvBuffer + NTLM_SIGNATURE_SIZE;
        dest_len = stream->cbBuffer - NTLM_SIGNATURE_SIZE;
    } else {
        SecBuffer *token = m->from[m->token];

        if (token->cbBuffer < NTLM_SIGNATURE_SIZE)
            return SEC_E_INVALID_TOKEN;
        in.length = (size_t)data->cbBuffer + NTLM_SIGNATURE_SIZE;
        if (in.length < NTLM_SIGNATURE_SIZE) /* wrapped around (32-bit size_t) */
            return SEC_E_INSUFFICIENT_MEMORY;
        joined = malloc(in.length);
        if (joined == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(joined, token->pvBuffer, NTLM_SIGNATURE_SIZE);
        if (data->cbBuffer > 0)
            memcpy(joined + NTLM_SIGNATURE_SIZE, data->pvBuffer, data->cbBuffer);
        in.value = joined;
        dest = data->pvBuffer;
        dest_len = data->cbBuffer;
    }
    major = gss_unwrap(&minor, ctx->gss, &in, &out, conf_state, NULL);
    if (major != GSS_S_COMPLETE)
        status = message_status(major);
    else if (out.length != dest_len)
        status = SEC_E_INTERNAL_ERROR;
    if (status == SEC_E_OK) {
        if (dest_len > 0)
            memcpy(dest, out.value, dest_len);
        data->pvBuffer = dest;
        data->cbBuffer = (ULONG)dest_len;
    }
    if (out.value != NULL)
        explicit_bzero(out.value, out.length);
    gss_release_buffer(&minor, &out);
    free(joined);
    return status;
}

SECURITY_STATUS SEC_ENTRY
MakeSignature(PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage, ULONG MessageSeqNo)
{
    struct sspi_ctx *ctx = NULL;
    struct message m;
    SECURITY_STATUS status;
    OM_uint32 major, minor;
    size_t needed, unused;
    int conf_unused;

    status = established_context(phContext, &ctx);
    if (status != SEC_E_OK)
        return status;
    if (fQOP != 0) {
        sspi_ctx_unref(ctx);
        return SEC_E_QOP_NOT_SUPPORTED;
    }
    status = message_build(pMessage, OP_SIGN, &m);
    if (status != SEC_E_OK)
        goto done;
    if (m.token < 0) {
        status = SEC_E_INVALID_TOKEN;
        goto done;
    }
    major = token_lengths(ctx, &m, false, 0, &conf_unused, &needed, &unused);
    if (unavailable(major)) {
        status = sign_fallback(ctx, &m);
        goto done;
    }
    if (major != GSS_S_COMPLETE) {
        status = message_status(major);
        goto done;
    }
    if (needed > m.from[m.token]->cbBuffer) {
        status = SEC_E_BUFFER_TOO_SMALL;
        goto done;
    }
    major = gss_get_mic_iov(&minor, ctx->gss, GSS_C_QOP_DEFAULT, m.iov, m.count);
    if (major != GSS_S_COMPLETE) {
        status = message_status(major);
        goto done;
    }
    m.from[m.token]->cbBuffer = (ULONG)m.iov[m.token].buffer.length;
done:
    message_free(&m);
    sspi_ctx_unref(ctx);
    return status;
}

/* pfQOP is left alone: Windows' NTLM does (Wine's test checks it), and MessageSeqNo too. */
SECURITY_STATUS SEC_ENTRY
VerifySignature(PCtxtHandle phContext, PSecBufferDesc pMessage, ULONG MessageSeqNo, ULONG *pfQOP)
{
    struct sspi_ctx *ctx = NULL;
    struct message m;
    SECURITY_STATUS status;
    OM_uint32 major, minor;

    status = established_context(phContext, &ctx);
    if (status != SEC_E_OK)
        return status;
    status = message_build(pMessage, OP_VERIFY, &m);
    if (status != SEC_E_OK)
        goto done;
    if (m.token < 0) {
        status = SEC_E_INVALID_TOKEN;
        goto done;
    }
    major = gss_verify_mic_iov(&minor, ctx->gss, NULL, m.iov, m.count);
    if (unavailable(major))
        status = verify_fallback(ctx, &m);
    else if (major != GSS_S_COMPLETE)
        status = message_status(major);
done:
    message_free(&m);
    sspi_ctx_unref(ctx);
    return status;
}

/* fQOP 0 asks for confidentiality, SECQOP_WRAP_NO_ENCRYPT for integrity only. */
SECURITY_STATUS SEC_ENTRY
EncryptMessage(PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage, ULONG MessageSeqNo)
{
    struct sspi_ctx *ctx = NULL;
    struct message m;
    SECURITY_STATUS status;
    OM_uint32 major, minor;
    size_t header_len, padding_len;
    int conf_req = fQOP == 0, conf_state = 0;

    status = established_context(phContext, &ctx);
    if (status != SEC_E_OK)
        return status;
    if (fQOP != 0 && fQOP != SECQOP_WRAP_NO_ENCRYPT) {
        sspi_ctx_unref(ctx);
        return SEC_E_QOP_NOT_SUPPORTED;
    }
    status = message_build(pMessage, OP_ENCRYPT, &m);
    if (status != SEC_E_OK)
        goto done;
    if (m.token < 0 || m.data < 0) {
        status = SEC_E_INVALID_TOKEN;
        goto done;
    }
    major = token_lengths(ctx, &m, true, conf_req, &conf_state, &header_len, &padding_len);
    if (unavailable(major)) {
        status = encrypt_fallback(ctx, &m, conf_req);
        goto done;
    }
    if (major != GSS_S_COMPLETE) {
        status = message_status(major);
        goto done;
    }
    /*
     * The length call says what the wrap would do. NTLMSSP tokens do not say whether they are
     * sealed, so a sealing NTLM context cannot send integrity only; a context that cannot seal
     * must not pass clear text off as encrypted (Windows since Vista refuses it too).
     */
    if (conf_req != conf_state) {
        status = conf_req ? SEC_E_UNSUPPORTED_FUNCTION : SEC_E_QOP_NOT_SUPPORTED;
        goto done;
    }
    if (header_len > m.from[m.token]->cbBuffer ||
        (m.padding >= 0 && padding_len > m.from[m.padding]->cbBuffer)) {
        status = SEC_E_BUFFER_TOO_SMALL;
        goto done;
    }
    major =
        gss_wrap_iov(&minor, ctx->gss, conf_req, GSS_C_QOP_DEFAULT, &conf_state, m.iov, m.count);
    if (major != GSS_S_COMPLETE) {
        status = message_status(major);
        goto done;
    }
    m.from[m.token]->cbBuffer = (ULONG)m.iov[m.token].buffer.length;
    if (m.padding >= 0)
        m.from[m.padding]->cbBuffer = (ULONG)m.iov[m.padding].buffer.length;
done:
    message_free(&m);
    sspi_ctx_unref(ctx);
    return status;
}

/*
 * After unwrapping a STREAM the mechanism points the DATA iov into it; one that allocated the
 * plaintext instead has it copied into the stream, so the caller only ever gets a pointer into
 * its own buffer, as on Windows.
 */
static SECURITY_STATUS
point_data_into_stream(struct message *m)
{
    gss_iov_buffer_desc *data = &m->iov[m->data];
    SecBuffer *stream = m->from[m->stream];
    unsigned char *start = stream->pvBuffer, *p = data->buffer.value;
    OM_uint32 minor;

    if (data->type & GSS_IOV_BUFFER_FLAG_ALLOCATED) {
        if (data->buffer.length > stream->cbBuffer) {
            gss_release_iov_buffer(&minor, data, 1);
            return SEC_E_INTERNAL_ERROR;
        }
        if (data->buffer.length > 0)
            memcpy(start, data->buffer.value, data->buffer.length);
        m->from[m->data]->cbBuffer = (ULONG)data->buffer.length;
        m->from[m->data]->pvBuffer = start;
        gss_release_iov_buffer(&minor, data, 1);
        return SEC_E_OK;
    }
    if (data->buffer.length > 0 && (p < start || p > start + stream->cbBuffer ||
                                    data->buffer.length > (size_t)(start + stream->cbBuffer - p)))
        return SEC_E_INTERNAL_ERROR;
    m->from[m->data]->pvBuffer = data->buffer.length > 0 ? p : start;
    m->from[m->data]->cbBuffer = (ULONG)data->buffer.length;
    return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY
DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage, ULONG MessageSeqNo, ULONG *pfQOP)
{
    struct sspi_ctx *ctx = NULL;
    struct message m;
    SECURITY_STATUS status;
    OM_uint32 major, minor;
    int conf_state = 0;

    status = established_context(phContext, &ctx);
    if (status != SEC_E_OK)
        return status;
    status = message_build(pMessage, OP_DECRYPT, &m);
    if (status != SEC_E_OK)
        goto done;
    /* A STREAM replaces the TOKEN; either way the plaintext lands in a DATA buffer. */
    if ((m.token < 0 && m.stream < 0) || m.data < 0) {
        status = SEC_E_INVALID_TOKEN;
        goto done;
    }
    if (m.stream >= 0 && m.token >= 0) {
        m.iov[m.token].type = GSS_IOV_BUFFER_TYPE_EMPTY;
        m.token = -1;
    }
    major = gss_unwrap_iov(&minor, ctx->gss, &conf_state, NULL, m.iov, m.count);
    if (unavailable(major)) {
        status = decrypt_fallback(ctx, &m, &conf_state);
    } else if (major != GSS_S_COMPLETE) {
        status = message_status(major);
    } else if (m.stream >= 0) {
        status = point_data_into_stream(&m);
    }
    /* Windows' NTLM leaves *pfQOP as the caller set it (Wine's ntlm.c test_Encrypt checks that
     * it stays 0xdeadbeef); Kerberos says whether the message was sealed. */
    if (status == SEC_E_OK && pfQOP != NULL && sspi_ctx_package(ctx)->id != SSPI_PKG_NTLM)
        *pfQOP = conf_state ? 0 : SECQOP_WRAP_NO_ENCRYPT;
done:
    message_free(&m);
    sspi_ctx_unref(ctx);
    return status;
}
