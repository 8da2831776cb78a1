/*
 * Per-message protection on an established context: get_mic/verify_mic, wrap/unwrap and their
 * IOV forms. Tokens are the 16-byte NTLMSSP signature, followed for wrap by the (sealed) data.
 * Sequence numbers are checked strictly in order; a failed check leaves the stream state as
 * it was, so a forged message cannot desynchronise the context.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_debug.h"
#include "ntlm_endian.h"
#include "ntlm_errors.h"
#include "ntlm_gss_context.h"
#include "ntlm_gss_mech.h"
#include "ntlm_gss_protect.h"
#include "ntlm_message.h"

#define SIG NTLM_SIGNATURE_SIZE
#define MAX_IOV 64

/* Without ESS one sequence counter serves both directions, like the RC4 state. */
static uint32_t *
seq_counter(struct ntlm_ctx *ctx, bool recv)
{
    return recv && !ctx->sign.recv.shared ? &ctx->sign.recv.seq : &ctx->sign.send.seq;
}

static bool
signing(const struct ntlm_ctx *ctx)
{
    return ctx->neg_flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL);
}

static bool
sealing(const struct ntlm_ctx *ctx)
{
    return ctx->neg_flags & NTLMSSP_NEGOTIATE_SEAL;
}

static OM_uint32
check_ctx(OM_uint32 *minor, const struct ntlm_ctx *ctx)
{
    if (ctx == NULL)
        return ntlm_gss_error(minor, GSS_S_NO_CONTEXT, NTLM_ERR_INVALID_ARG);
    if (ctx->stage != NTLM_STAGE_ESTABLISHED)
        return ntlm_gss_error(minor, GSS_S_NO_CONTEXT, NTLM_ERR_NOT_ESTABLISHED);
    if (time(NULL) >= ctx->expiry)
        return ntlm_gss_error(minor, GSS_S_CONTEXT_EXPIRED, 0);
    return GSS_S_COMPLETE;
}

/* MS-NLMP 3.4.4: with ALWAYS_SIGN but neither SIGN nor SEAL the signature is a fixed dummy. */
static void
dummy_signature(uint8_t sig[SIG])
{
    memset(sig, 0, SIG);
    sig[0] = 1;
}

/* Signs the plaintext pieces; seals `seal` pieces in place between checksum and its RC4. */
static uint32_t
sign_out(struct ntlm_ctx *ctx, const struct ntlm_iov *macd, size_t n_macd, struct ntlm_iov *sealed,
         size_t n_sealed, uint8_t sig[SIG])
{
    uint32_t *seq = seq_counter(ctx, false);
    size_t i;
    uint32_t ret;

    if (!signing(ctx)) {
        if (!(ctx->neg_flags & NTLMSSP_NEGOTIATE_ALWAYS_SIGN) || n_sealed > 0)
            return NTLM_ERR_NO_SESSION_KEY;
        dummy_signature(sig);
        return 0;
    }
    ret = ntlm_sign_checksum(&ctx->sign, &ctx->sign.send, *seq, macd, n_macd, sig);
    for (i = 0; ret == 0 && i < n_sealed; i++)
        ret = ntlm_sign_crypt(&ctx->sign.send, (uint8_t *)sealed[i].data, sealed[i].len);
    if (ret == 0)
        ret = ntlm_sign_seal_signature(&ctx->sign, &ctx->sign.send, sig);
    if (ret == 0)
        (*seq)++;
    return ret;
}

/*
 * Returns the receive stream to `saved`, its state before a failed message (NULL: it had not
 * started), so that a forged message costs the peer nothing but a struct copy.
 */
static void
rewind_recv(struct ntlm_ctx *ctx, const struct ntlm_rc4 *saved)
{
    if (saved != NULL)
        *ctx->sign.recv.rc4 = *saved;
    else
        ntlm_sign_state_set_stream(&ctx->sign, true, NULL);
}

/*
 * The GSS status for a signature that did not verify, from its clear sequence field. It is
 * always the routine error GSS_S_BAD_SIG: the signature was never checked under the number it
 * claims (the RC4 stream has moved on), so a forged one - the dummy 01 00 .. 00 after the
 * counter advanced - must not come back as the bare supplementary DUPLICATE or GAP status,
 * which GSS_ERROR() reads as success (RFC 2743 1.2.1.2: those bits describe a token whose
 * integrity was verified). The supplementary bit says why, for SSPI's OUT_OF_SEQUENCE.
 */
static OM_uint32
mismatch_status(const struct ntlm_ctx *ctx, const uint8_t sig[SIG], uint32_t expected,
                uint32_t *code)
{
    uint32_t got;

    *code = NTLM_ERR_SIGNATURE_MISMATCH;
    if (!(ctx->neg_flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)) {
        ntlm_debug("protect: signature mismatch (no ESS: sequence not in clear)");
        return GSS_S_BAD_SIG;
    }
    got = ntlm_get_le32(sig + 12);
    if (got < expected) {
        ntlm_debug("protect: replayed message: sequence %u, expected %u", got, expected);
        *code = NTLM_ERR_SEQ_REPLAY;
        return GSS_S_BAD_SIG | GSS_S_DUPLICATE_TOKEN;
    }
    if (got > expected) {
        ntlm_debug("protect: gap: sequence %u, expected %u", got, expected);
        *code = NTLM_ERR_SEQ_GAP;
        return GSS_S_BAD_SIG | GSS_S_GAP_TOKEN;
    }
    ntlm_debug("protect: signature mismatch at sequence %u (data or key differ)", got);
    return GSS_S_BAD_SIG;
}

/*
 * Unseals `sealed` in place (when sealing), then verifies sig over the plaintext pieces.
 * On failure the RC4 stream is rewound; sealed data is then unspecified.
 */
static OM_uint32
verify_in(OM_uint32 *minor, struct ntlm_ctx *ctx, const struct ntlm_iov *macd, size_t n_macd,
          struct ntlm_iov *sealed, size_t n_sealed, const uint8_t sig[SIG])
{
    uint32_t *seq = seq_counter(ctx, true);
    uint8_t expected[SIG];
    struct ntlm_rc4 saved;
    bool started;
    OM_uint32 major;
    uint32_t ret, code;
    size_t i;

    if (sig[0] != 1 || sig[1] != 0 || sig[2] != 0 || sig[3] != 0) {
        ntlm_debug("protect: signature version is not 1");
        return ntlm_gss_error(minor, GSS_S_DEFECTIVE_TOKEN, NTLM_ERR_SIGNATURE_VERSION);
    }
    if (!signing(ctx)) {
        if (!(ctx->neg_flags & NTLMSSP_NEGOTIATE_ALWAYS_SIGN) || n_sealed > 0) {
            ntlm_debug("protect: message protection asked of a context without signing");
            return ntlm_gss_error(minor, GSS_S_UNAVAILABLE, NTLM_ERR_NO_SESSION_KEY);
        }
        dummy_signature(expected);
        if (!ntlm_ct_equal(expected, sig, SIG)) {
            ntlm_debug("protect: dummy signature mismatch (context without signing)");
            return ntlm_gss_error(minor, GSS_S_BAD_SIG, NTLM_ERR_SIGNATURE_MISMATCH);
        }
        *minor = 0;
        return GSS_S_COMPLETE;
    }
    started = ctx->sign.recv.rc4 != NULL;
    if (started)
        saved = *ctx->sign.recv.rc4;
    ret = 0;
    for (i = 0; ret == 0 && i < n_sealed; i++)
        ret = ntlm_sign_crypt(&ctx->sign.recv, (uint8_t *)sealed[i].data, sealed[i].len);
    if (ret == 0)
        ret = ntlm_sign_mac(&ctx->sign, &ctx->sign.recv, *seq, macd, n_macd, expected);
    if (ret == 0 && ntlm_ct_equal(expected, sig, SIG)) {
        (*seq)++;
        *minor = 0;
        major = GSS_S_COMPLETE;
        goto done;
    }
    major = ret ? GSS_S_FAILURE : mismatch_status(ctx, sig, *seq, &code);
    if (ret == 0)
        ret = code;
    rewind_recv(ctx, started ? &saved : NULL);
    major = ntlm_gss_error(minor, major, ret);
done:
    if (started)
        ntlm_wipe(&saved, sizeof(saved));
    return major;
}

OM_uint32
ntlm_gss_get_mic(OM_uint32 *minor, gss_ctx_id_t context, gss_qop_t qop, gss_buffer_t message,
                 gss_buffer_t token)
{
    struct ntlm_ctx *ctx = (struct ntlm_ctx *)context;
    struct ntlm_iov piece = {message->value, message->length};
    uint8_t sig[SIG];
    OM_uint32 major;
    uint32_t ret;

    major = check_ctx(minor, ctx);
    if (major != GSS_S_COMPLETE)
        return major;
    if (qop != GSS_C_QOP_DEFAULT)
        return ntlm_gss_error(minor, GSS_S_BAD_QOP, NTLM_ERR_INVALID_ARG);
    ret = sign_out(ctx, &piece, 1, NULL, 0, sig);
    if (ret)
        return ntlm_gss_error(minor, GSS_S_UNAVAILABLE, ret);
    return ntlm_gss_buffer_set(minor, token, sig, SIG);
}

OM_uint32
ntlm_gss_verify_mic(OM_uint32 *minor, gss_ctx_id_t context, gss_buffer_t message,
                    gss_buffer_t token, gss_qop_t *qop)
{
    struct ntlm_ctx *ctx = (struct ntlm_ctx *)context;
    struct ntlm_iov piece = {message->value, message->length};
    OM_uint32 major;

    if (qop != NULL)
        *qop = GSS_C_QOP_DEFAULT;
    major = check_ctx(minor, ctx);
    if (major != GSS_S_COMPLETE)
        return major;
    if (token == GSS_C_NO_BUFFER || token->length != SIG)
        return ntlm_gss_error(minor, GSS_S_DEFECTIVE_TOKEN, NTLM_ERR_SIGNATURE_VERSION);
    return verify_in(minor, ctx, &piece, 1, NULL, 0, token->value);
}

OM_uint32
ntlm_gss_wrap(OM_uint32 *minor, gss_ctx_id_t context, int conf_req, gss_qop_t qop,
              gss_buffer_t input, int *conf_state, gss_buffer_t output)
{
    struct ntlm_ctx *ctx = (struct ntlm_ctx *)context;
    struct ntlm_iov plain = {input->value, input->length}, body;
    uint8_t *token;
    OM_uint32 major;
    uint32_t ret;

    major = check_ctx(minor, ctx);
    if (major != GSS_S_COMPLETE)
        return major;
    if (qop != GSS_C_QOP_DEFAULT)
        return ntlm_gss_error(minor, GSS_S_BAD_QOP, NTLM_ERR_INVALID_ARG);
    if (input->length > SIZE_MAX - SIG)
        return ntlm_gss_error(minor, GSS_S_FAILURE, NTLM_ERR_INVALID_ARG);
    token = malloc(SIG + input->length);
    if (token == NULL)
        return ntlm_gss_error(minor, GSS_S_FAILURE, NTLM_ERR_NOMEM);
    if (input->length > 0)
        memcpy(token + SIG, input->value, input->length);
    body = (struct ntlm_iov){token + SIG, input->length};
    /* With SEAL negotiated every wrap is sealed: the token does not say which it is. */
    ret = sign_out(ctx, &plain, 1, &body, sealing(ctx) ? 1 : 0, token);
    if (ret) {
        free(token);
        return ntlm_gss_error(minor, GSS_S_UNAVAILABLE, ret);
    }
    output->value = token;
    output->length = SIG + input->length;
    if (conf_state != NULL)
        *conf_state = sealing(ctx);
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32
ntlm_gss_unwrap(OM_uint32 *minor, gss_ctx_id_t context, gss_buffer_t input, gss_buffer_t output,
                int *conf_state, gss_qop_t *qop)
{
    struct ntlm_ctx *ctx = (struct ntlm_ctx *)context;
    struct ntlm_iov body;
    size_t len;
    uint8_t *data;
    OM_uint32 major;

    output->length = 0;
    output->value = NULL;
    if (qop != NULL)
        *qop = GSS_C_QOP_DEFAULT;
    major = check_ctx(minor, ctx);
    if (major != GSS_S_COMPLETE)
        return major;
    if (input == GSS_C_NO_BUFFER || input->length < SIG)
        return ntlm_gss_error(minor, GSS_S_DEFECTIVE_TOKEN, NTLM_ERR_TRUNCATED);
    len = input->length - SIG;
    data = malloc(len + 1);
    if (data == NULL)
        return ntlm_gss_error(minor, GSS_S_FAILURE, NTLM_ERR_NOMEM);
    memcpy(data, (const uint8_t *)input->value + SIG, len);
    body = (struct ntlm_iov){data, len};
    major = verify_in(minor, ctx, &body, 1, &body, sealing(ctx) ? 1 : 0, input->value);
    if (major != GSS_S_COMPLETE) {
        ntlm_wipe(data, len);
        free(data);
        return major;
    }
    output->value = data;
    output->length = len;
    if (conf_state != NULL)
        *conf_state = sealing(ctx);
    return GSS_S_COMPLETE;
}

/* The buffers of an IOV call, sorted by role. */
struct iov_roles {
    gss_iov_buffer_t header; /* HEADER or MIC_TOKEN */
    gss_iov_buffer_t stream;
    struct ntlm_iov macd[MAX_IOV]; /* DATA and SIGN_ONLY, in order */
    size_t n_macd;
    struct ntlm_iov sealed[MAX_IOV]; /* DATA, in order */
    size_t n_sealed;
    gss_iov_buffer_t data[MAX_IOV];
};

static uint32_t
sort_iov(gss_iov_buffer_desc *iov, int count, OM_uint32 header_type, struct iov_roles *r)
{
    int i;

    memset(r, 0, sizeof(*r));
    if (count < 0 || count > MAX_IOV)
        return NTLM_ERR_BAD_IOV;
    for (i = 0; i < count; i++) {
        OM_uint32 type = GSS_IOV_BUFFER_TYPE(iov[i].type);

        if (type == header_type || type == GSS_IOV_BUFFER_TYPE_STREAM) {
            if (r->header != NULL || r->stream != NULL)
                return NTLM_ERR_BAD_IOV;
            if (type == header_type)
                r->header = &iov[i];
            else
                r->stream = &iov[i];
        } else if (type == GSS_IOV_BUFFER_TYPE_DATA) {
            r->data[r->n_sealed] = &iov[i];
            r->sealed[r->n_sealed++] = (struct ntlm_iov){iov[i].buffer.value, iov[i].buffer.length};
            r->macd[r->n_macd++] = (struct ntlm_iov){iov[i].buffer.value, iov[i].buffer.length};
        } else if (type == GSS_IOV_BUFFER_TYPE_SIGN_ONLY) {
            r->macd[r->n_macd++] = (struct ntlm_iov){iov[i].buffer.value, iov[i].buffer.length};
        } else if (type == GSS_IOV_BUFFER_TYPE_PADDING || type == GSS_IOV_BUFFER_TYPE_TRAILER) {
            iov[i].buffer.length = 0; /* NTLMSSP needs neither */
        } else if (type != GSS_IOV_BUFFER_TYPE_EMPTY) {
            return NTLM_ERR_BAD_IOV;
        }
    }
    return r->header != NULL || r->stream != NULL ? 0 : NTLM_ERR_BAD_IOV;
}

/* Makes the header buffer hold exactly one signature, allocating it when asked to. */
static uint32_t
prepare_header(gss_iov_buffer_t header)
{
    if (header->type & GSS_IOV_BUFFER_FLAG_ALLOCATE) {
        header->buffer.value = malloc(SIG);
        if (header->buffer.value == NULL)
            return NTLM_ERR_NOMEM;
        header->type |= GSS_IOV_BUFFER_FLAG_ALLOCATED;
    } else if (header->buffer.length < SIG || header->buffer.value == NULL) {
        return NTLM_ERR_BAD_IOV;
    }
    header->buffer.length = SIG;
    return 0;
}

static OM_uint32
protect_iov(OM_uint32 *minor, struct ntlm_ctx *ctx, gss_iov_buffer_desc *iov, int count,
            OM_uint32 header_type, bool seal)
{
    struct iov_roles r;
    OM_uint32 major;
    uint32_t ret;

    major = check_ctx(minor, ctx);
    if (major != GSS_S_COMPLETE)
        return major;
    ret = sort_iov(iov, count, header_type, &r);
    if (ret == 0 && r.stream != NULL)
        ret = NTLM_ERR_BAD_IOV;
    if (ret == 0)
        ret = prepare_header(r.header);
    if (ret)
        return ntlm_gss_error(
            minor, ret == NTLM_ERR_NOMEM ? GSS_S_FAILURE : GSS_S_CALL_BAD_STRUCTURE, ret);
    ret = sign_out(ctx, r.macd, r.n_macd, r.sealed, seal ? r.n_sealed : 0, r.header->buffer.value);
    if (ret)
        return ntlm_gss_error(minor, GSS_S_UNAVAILABLE, ret);
    *minor = 0;
    return GSS_S_COMPLETE;
}

/* For unwrap: a STREAM buffer is split into the signature and the one DATA buffer. */
static uint32_t
split_stream(struct iov_roles *r, const uint8_t **sig)
{
    uint8_t *p;

    if (r->stream == NULL) {
        if (r->header->buffer.length != SIG)
            return NTLM_ERR_SIGNATURE_VERSION;
        *sig = r->header->buffer.value;
        return 0;
    }
    if (r->stream->buffer.length < SIG || r->n_sealed != 1)
        return r->stream->buffer.length < SIG ? NTLM_ERR_TRUNCATED : NTLM_ERR_BAD_IOV;
    p = r->stream->buffer.value;
    *sig = p;
    r->data[0]->buffer.value = p + SIG;
    r->data[0]->buffer.length = r->stream->buffer.length - SIG;
    r->sealed[0] = (struct ntlm_iov){p + SIG, r->stream->buffer.length - SIG};
    /* The DATA buffer is the only MAC'd piece a stream can carry. */
    r->n_macd = 1;
    r->macd[0] = r->sealed[0];
    return 0;
}

static OM_uint32
verify_iov(OM_uint32 *minor, struct ntlm_ctx *ctx, gss_iov_buffer_desc *iov, int count,
           OM_uint32 header_type, bool seal)
{
    struct iov_roles r;
    const uint8_t *sig = NULL;
    OM_uint32 major;
    uint32_t ret;

    major = check_ctx(minor, ctx);
    if (major != GSS_S_COMPLETE)
        return major;
    ret = sort_iov(iov, count, header_type, &r);
    if (ret == 0)
        ret = split_stream(&r, &sig);
    if (ret)
        return ntlm_gss_error(
            minor, ret == NTLM_ERR_BAD_IOV ? GSS_S_CALL_BAD_STRUCTURE : GSS_S_DEFECTIVE_TOKEN, ret);
    return verify_in(minor, ctx, r.macd, r.n_macd, r.sealed, seal ? r.n_sealed : 0, sig);
}

OM_uint32
ntlm_gss_wrap_iov(OM_uint32 *minor, gss_ctx_id_t context, int conf_req, gss_qop_t qop,
                  int *conf_state, gss_iov_buffer_desc *iov, int iov_count)
{
    struct ntlm_ctx *ctx = (struct ntlm_ctx *)context;
    OM_uint32 major;

    if (qop != GSS_C_QOP_DEFAULT)
        return ntlm_gss_error(minor, GSS_S_BAD_QOP, NTLM_ERR_INVALID_ARG);
    major = protect_iov(minor, ctx, iov, iov_count, GSS_IOV_BUFFER_TYPE_HEADER,
                        ctx != NULL && sealing(ctx));
    if (major == GSS_S_COMPLETE && conf_state != NULL)
        *conf_state = sealing(ctx);
    return major;
}

OM_uint32
ntlm_gss_unwrap_iov(OM_uint32 *minor, gss_ctx_id_t context, int *conf_state, gss_qop_t *qop,
                    gss_iov_buffer_desc *iov, int iov_count)
{
    struct ntlm_ctx *ctx = (struct ntlm_ctx *)context;
    OM_uint32 major;

    if (qop != NULL)
        *qop = GSS_C_QOP_DEFAULT;
    major = verify_iov(minor, ctx, iov, iov_count, GSS_IOV_BUFFER_TYPE_HEADER,
                       ctx != NULL && sealing(ctx));
    if (major == GSS_S_COMPLETE && conf_state != NULL)
        *conf_state = sealing(ctx);
    return major;
}

static OM_uint32
iov_length(OM_uint32 *minor, gss_ctx_id_t context, gss_iov_buffer_desc *iov, int count,
           OM_uint32 header_type)
{
    struct iov_roles r;
    OM_uint32 major;
    uint32_t ret;

    major = check_ctx(minor, (struct ntlm_ctx *)context);
    if (major != GSS_S_COMPLETE)
        return major;
    ret = sort_iov(iov, count, header_type, &r);
    if (ret == 0 && r.header == NULL)
        ret = NTLM_ERR_BAD_IOV;
    if (ret)
        return ntlm_gss_error(minor, GSS_S_CALL_BAD_STRUCTURE, ret);
    r.header->buffer.length = SIG;
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32
ntlm_gss_wrap_iov_length(OM_uint32 *minor, gss_ctx_id_t context, int conf_req, gss_qop_t qop,
                         int *conf_state, gss_iov_buffer_desc *iov, int iov_count)
{
    OM_uint32 major = iov_length(minor, context, iov, iov_count, GSS_IOV_BUFFER_TYPE_HEADER);

    if (major == GSS_S_COMPLETE && conf_state != NULL)
        *conf_state = sealing((struct ntlm_ctx *)context);
    return major;
}

OM_uint32
ntlm_gss_get_mic_iov(OM_uint32 *minor, gss_ctx_id_t context, gss_qop_t qop,
                     gss_iov_buffer_desc *iov, int iov_count)
{
    if (qop != GSS_C_QOP_DEFAULT)
        return ntlm_gss_error(minor, GSS_S_BAD_QOP, NTLM_ERR_INVALID_ARG);
    return protect_iov(minor, (struct ntlm_ctx *)context, iov, iov_count,
                       GSS_IOV_BUFFER_TYPE_MIC_TOKEN, false);
}

OM_uint32
ntlm_gss_verify_mic_iov(OM_uint32 *minor, gss_ctx_id_t context, gss_qop_t *qop,
                        gss_iov_buffer_desc *iov, int iov_count)
{
    if (qop != NULL)
        *qop = GSS_C_QOP_DEFAULT;
    return verify_iov(minor, (struct ntlm_ctx *)context, iov, iov_count,
                      GSS_IOV_BUFFER_TYPE_MIC_TOKEN, false);
}

OM_uint32
ntlm_gss_get_mic_iov_length(OM_uint32 *minor, gss_ctx_id_t context, gss_qop_t qop,
                            gss_iov_buffer_desc *iov, int iov_count)
{
    return iov_length(minor, context, iov, iov_count, GSS_IOV_BUFFER_TYPE_MIC_TOKEN);
}

OM_uint32
ntlm_gss_wrap_size_limit(OM_uint32 *minor, gss_ctx_id_t context, int conf_req, gss_qop_t qop,
                         OM_uint32 req_output_size, OM_uint32 *max_input_size)
{
    OM_uint32 major = check_ctx(minor, (struct ntlm_ctx *)context);

    if (major != GSS_S_COMPLETE)
        return major;
    *max_input_size = req_output_size > SIG ? req_output_size - SIG : 0;
    *minor = 0;
    return GSS_S_COMPLETE;
}
