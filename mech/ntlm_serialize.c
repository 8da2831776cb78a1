/*
 * gss_export_sec_context / gss_import_sec_context for established contexts. The RC4 streams
 * travel as their keystream positions: the importer re-derives the keys from the exported
 * session key and fast-forwards each stream, so no library-private cipher state is written.
 *
 *  offset  size  field
 *  0       4     "SGNX"
 *  4       4     format version (2; 1 is read too: its names have no SID list)
 *  8       1     1 when the context is the initiator
 *  9       4     negotiated NTLMSSP flags
 *  13      4     granted GSS flags
 *  17      8     expiry (Unix seconds)
 *  25      16    exported session key
 *  41      4     send sequence number
 *  45      4     receive sequence number
 *  49      8     send RC4 position
 *  57      8     receive RC4 position
 *  65      ...   source name, then target name: kind (1; 0xff = none), user, domain, SID
 *                list (version 2), each string a 4-byte length (0xffffffff = none) and its
 *                bytes
 */
#include <stdlib.h>
#include <string.h>

#include "ntlm_errors.h"
#include "ntlm_gss.h"
#include "ntlm_reader.h"

#define EXPORT_MAGIC "SGNX"
#define EXPORT_VERSION 2
#define EXPORT_VERSION_NO_SIDS 1
#define NO_NAME 0xff
#define NO_STRING 0xffffffffu
/* Room for the SID list of a user in thousands of groups (about 60 bytes a SID). */
#define MAX_STRING (1u << 20)

static void
put_string(struct ntlm_buf *b, const char *s)
{
    if (s == NULL) {
        ntlm_buf_add_le32(b, NO_STRING);
        return;
    }
    ntlm_buf_add_le32(b, (uint32_t)strlen(s));
    ntlm_buf_add(b, s, strlen(s));
}

static void
put_name(struct ntlm_buf *b, const struct ntlm_name *name)
{
    if (name == NULL) {
        ntlm_buf_add_u8(b, NO_NAME);
        return;
    }
    ntlm_buf_add_u8(b, (uint8_t)name->kind);
    put_string(b, name->user);
    put_string(b, name->domain);
    put_string(b, name->sids);
}

static uint64_t
stream_position(const struct ntlm_sign_dir *dir)
{
    return dir->rc4 != NULL ? ntlm_rc4_position(dir->rc4) : 0;
}

OM_uint32
ntlm_gss_export_sec_context(OM_uint32 *minor, gss_ctx_id_t *context, gss_buffer_t token)
{
    struct ntlm_ctx *ctx = (struct ntlm_ctx *)*context;
    struct ntlm_buf b = NTLM_BUF_INIT;
    OM_uint32 major;
    uint32_t ret;

    if (ctx == NULL)
        return ntlm_gss_error(minor, GSS_S_NO_CONTEXT, NTLM_ERR_INVALID_ARG);
    if (ctx->stage != NTLM_STAGE_ESTABLISHED)
        return ntlm_gss_error(minor, GSS_S_UNAVAILABLE, NTLM_ERR_NOT_ESTABLISHED);
    ntlm_buf_add(&b, EXPORT_MAGIC, 4);
    ntlm_buf_add_le32(&b, EXPORT_VERSION);
    ntlm_buf_add_u8(&b, ctx->initiator ? 1 : 0);
    ntlm_buf_add_le32(&b, ctx->neg_flags);
    ntlm_buf_add_le32(&b, ctx->ret_flags);
    ntlm_buf_add_le64(&b, (uint64_t)ctx->expiry);
    ntlm_buf_add(&b, ctx->exported_key, 16);
    ntlm_buf_add_le32(&b, ctx->sign.send.seq);
    ntlm_buf_add_le32(&b, ctx->sign.recv.seq);
    ntlm_buf_add_le64(&b, stream_position(&ctx->sign.send));
    ntlm_buf_add_le64(&b, stream_position(&ctx->sign.recv));
    put_name(&b, ctx->src_name);
    put_name(&b, ctx->targ_name);
    ret = ntlm_buf_status(&b);
    if (ret) {
        ntlm_buf_free(&b);
        return ntlm_gss_error(minor, GSS_S_FAILURE, ret);
    }
    major = ntlm_gss_buffer_set(minor, token, b.data, b.len);
    ntlm_buf_free(&b);
    if (major != GSS_S_COMPLETE)
        return major;
    ntlm_ctx_free(ctx);
    *context = GSS_C_NO_CONTEXT;
    return GSS_S_COMPLETE;
}

static uint32_t
get_string(struct ntlm_reader *r, char **out)
{
    uint32_t len = ntlm_read_le32(r);
    const uint8_t *p;

    *out = NULL;
    if (r->err)
        return NTLM_ERR_BAD_EXPORT;
    if (len == NO_STRING)
        return 0;
    if (len > MAX_STRING)
        return NTLM_ERR_BAD_EXPORT;
    p = ntlm_read_bytes(r, len);
    if (p == NULL || memchr(p, 0, len) != NULL)
        return NTLM_ERR_BAD_EXPORT;
    *out = strndup((const char *)p, len);
    return *out == NULL ? NTLM_ERR_NOMEM : 0;
}

static uint32_t
get_name(struct ntlm_reader *r, uint32_t version, struct ntlm_name **out)
{
    uint8_t kind = ntlm_read_u8(r);
    char *user = NULL, *domain = NULL, *sids = NULL;
    uint32_t ret;

    *out = NULL;
    if (r->err)
        return NTLM_ERR_BAD_EXPORT;
    if (kind == NO_NAME)
        return 0;
    if (kind > NTLM_NAME_ANONYMOUS)
        return NTLM_ERR_BAD_EXPORT;
    ret = get_string(r, &user);
    if (ret == 0)
        ret = get_string(r, &domain);
    if (ret == 0 && version != EXPORT_VERSION_NO_SIDS)
        ret = get_string(r, &sids);
    if (ret == 0 && user == NULL && kind != NTLM_NAME_ANONYMOUS)
        ret = NTLM_ERR_BAD_EXPORT;
    if (ret == 0)
        ret = ntlm_name_new((enum ntlm_name_kind)kind, user, domain, out);
    if (ret == 0 && sids != NULL)
        ret = ntlm_name_set_sids(*out, sids);
    free(user);
    free(domain);
    free(sids);
    return ret;
}

/* Gives a direction an RC4 stream advanced to `position` (none is made for position 0). */
static uint32_t
advance_stream(struct ntlm_sign_dir *dir, uint64_t position)
{
    struct ntlm_rc4 *rc4 = NULL;
    uint32_t ret;

    if (position == 0)
        return 0;
    ret = ntlm_rc4_restore(dir->seal_key, dir->seal_key_len, position, &rc4);
    if (ret)
        return ret;
    ntlm_rc4_free(dir->rc4);
    dir->rc4 = rc4;
    return 0;
}

static uint32_t
import_body(struct ntlm_reader *r, struct ntlm_ctx *ctx)
{
    const uint8_t *magic = ntlm_read_bytes(r, 4);
    uint32_t version = ntlm_read_le32(r), send_seq, recv_seq;
    uint64_t send_pos, recv_pos;
    uint32_t ret;

    ctx->initiator = ntlm_read_u8(r) == 1;
    ctx->neg_flags = ntlm_read_le32(r);
    ctx->ret_flags = ntlm_read_le32(r);
    ctx->expiry = (time_t)ntlm_read_le64(r);
    ntlm_read_copy(r, ctx->exported_key, 16);
    send_seq = ntlm_read_le32(r);
    recv_seq = ntlm_read_le32(r);
    send_pos = ntlm_read_le64(r);
    recv_pos = ntlm_read_le64(r);
    if (r->err || memcmp(magic, EXPORT_MAGIC, 4) != 0 ||
        (version != EXPORT_VERSION && version != EXPORT_VERSION_NO_SIDS))
        return NTLM_ERR_BAD_EXPORT;
    ret = get_name(r, version, &ctx->src_name);
    if (ret == 0)
        ret = get_name(r, version, &ctx->targ_name);
    if (ret == 0 && ntlm_reader_remaining(r) != 0)
        ret = NTLM_ERR_BAD_EXPORT;
    if (ret == 0)
        ret = ntlm_ctx_start_session(ctx);
    if (ret)
        return ret;
    ctx->sign.send.seq = send_seq;
    ctx->sign.recv.seq = recv_seq;
    /* Without ESS both directions share one stream, whose position is the send one. */
    ret = advance_stream(&ctx->sign.send, send_pos);
    if (ret == 0 && ctx->sign.recv.shared)
        ctx->sign.recv.rc4 = ctx->sign.send.rc4;
    else if (ret == 0)
        ret = advance_stream(&ctx->sign.recv, recv_pos);
    if (ret == 0)
        ctx->stage = NTLM_STAGE_ESTABLISHED;
    return ret;
}

OM_uint32
ntlm_gss_import_sec_context(OM_uint32 *minor, gss_buffer_t token, gss_ctx_id_t *context)
{
    struct ntlm_reader r;
    struct ntlm_ctx *ctx;
    uint32_t ret;

    if (token == GSS_C_NO_BUFFER || token->length == 0)
        return ntlm_gss_error(minor, GSS_S_DEFECTIVE_TOKEN, NTLM_ERR_BAD_EXPORT);
    ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL)
        return ntlm_gss_error(minor, GSS_S_FAILURE, NTLM_ERR_NOMEM);
    ntlm_reader_init(&r, token->value, token->length);
    ret = import_body(&r, ctx);
    if (ret) {
        ntlm_ctx_free(ctx);
        return ntlm_gss_error(
            minor, ret == NTLM_ERR_BAD_EXPORT ? GSS_S_DEFECTIVE_TOKEN : GSS_S_FAILURE, ret);
    }
    *context = (gss_ctx_id_t)ctx;
    *minor = 0;
    return GSS_S_COMPLETE;
}
