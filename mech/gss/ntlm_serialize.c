/*
 * gss_export_sec_context / gss_import_sec_context for established contexts. Each RC4 stream
 * travels as its state (S-box and indices), so an import costs the same whatever the context
 * sealed before; every field read back is bounded, because a blob is only bytes from a file or a
 * pipe. A blob is not authenticated: whoever can hand one to the importer chooses its key and
 * names, so it is a bearer secret, and import only promises never to hang, crash or over-read.
 *
 *  offset  size  field (little-endian)
 *  0       4     "SGNX"
 *  4       4     format version (3; 1 and 2 are read too, see legacy_stream)
 *  8       1     1 when the context is the initiator, else 0
 *  9       4     negotiated NTLMSSP flags (only bits MS-NLMP 2.2.2.5 defines)
 *  13      4     granted GSS flags (only those these NTLMSSP flags can grant)
 *  17      8     expiry (Unix seconds; at most a context lifetime from now)
 *  25      16    exported session key
 *  41      4     send sequence number
 *  45      4     receive sequence number
 *  49      1     send stream: 0 not started (keyed from the session key on first use), 1 state
 *  50      258   (state only) RC4 i, j, then S[0..255], a permutation
 *  ...     1+    receive stream, the same. Without ESS one stream serves both directions: it
 *                travels as the send stream (always a state) and this field is 0
 *  ...     ...   source name, then target name: kind (1; 0xff = none), user, domain, SID list,
 *                each string a 4-byte length (0xffffffff = none) and its bytes, no NUL
 *
 * Versions 1 and 2 have two 8-byte keystream positions (send, receive) at offset 49 instead of
 * the two stream fields; version 1 names have no SID list.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_errors.h"
#include "ntlm_gss_context.h"
#include "ntlm_gss_mech.h"
#include "ntlm_gss_names.h"
#include "ntlm_message.h"
#include "ntlm_reader.h"

#define EXPORT_MAGIC "SGNX"
#define EXPORT_VERSION 3
#define EXPORT_VERSION_NO_SIDS 1
#define NO_NAME 0xff
#define NO_STRING 0xffffffffu
#define STREAM_NOT_STARTED 0
#define STREAM_STATE 1
/*
 * A user or domain from an AUTHENTICATE fits in NTLM_MAX_TOKEN bytes of UTF-16, at most 3/2 as
 * many bytes of UTF-8; twice that leaves room for names given to gss_import_name.
 */
#define MAX_NAME_STRING (3 * NTLM_MAX_TOKEN)
/* Room for the SID list of a user in thousands of groups (about 60 bytes a SID). */
#define MAX_SIDS_STRING (1u << 20)
/*
 * Versions 1 and 2 give keystream positions, which only replaying the stream can restore. A
 * position up to 16 MiB (a few tens of milliseconds) is replayed, so contexts exported before
 * an upgrade keep working; a larger one is refused, as the attack's 2^40 was.
 */
#define LEGACY_MAX_POSITION (UINT64_C(1) << 24)

/* Every flag MS-NLMP 2.2.2.5 defines; the others are reserved and never negotiated. */
static const uint32_t known_ntlm_flags =
    NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_OEM | NTLMSSP_REQUEST_TARGET |
    NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_DATAGRAM |
    NTLMSSP_NEGOTIATE_LM_KEY | NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_ANONYMOUS |
    NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED | NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED |
    NTLMSSP_NEGOTIATE_ALWAYS_SIGN | NTLMSSP_TARGET_TYPE_DOMAIN | NTLMSSP_TARGET_TYPE_SERVER |
    NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_IDENTIFY |
    NTLMSSP_REQUEST_NON_NT_SESSION_KEY | NTLMSSP_NEGOTIATE_TARGET_INFO | NTLMSSP_NEGOTIATE_VERSION |
    NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_KEY_EXCH | NTLMSSP_NEGOTIATE_56;

/* Whether s fits the bound import applies to it (NULL always does). */
static bool
string_fits(const char *s, size_t max)
{
    return s == NULL || strlen(s) <= max;
}

static bool
name_fits(const struct ntlm_name *name)
{
    return name == NULL ||
           (string_fits(name->user, MAX_NAME_STRING) &&
            string_fits(name->domain, MAX_NAME_STRING) && string_fits(name->sids, MAX_SIDS_STRING));
}

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

static void
put_stream(struct ntlm_buf *b, const struct ntlm_sign_dir *dir, bool write_state)
{
    uint8_t state[NTLM_RC4_STATE_SIZE];

    if (!write_state || dir->rc4 == NULL) {
        ntlm_buf_add_u8(b, STREAM_NOT_STARTED);
        return;
    }
    ntlm_rc4_export(dir->rc4, state);
    ntlm_buf_add_u8(b, STREAM_STATE);
    ntlm_buf_add(b, state, sizeof(state));
    ntlm_wipe(state, sizeof(state));
}

OM_uint32
ntlm_gss_export_sec_context(OM_uint32 *minor, gss_ctx_id_t *context, gss_buffer_t token)
{
    struct ntlm_ctx *ctx = (struct ntlm_ctx *)*context;
    struct ntlm_buf b = NTLM_BUF_INIT;
    uint32_t ret;

    if (ctx == NULL)
        return ntlm_gss_error(minor, GSS_S_NO_CONTEXT, NTLM_ERR_INVALID_ARG);
    if (ctx->stage != NTLM_STAGE_ESTABLISHED)
        return ntlm_gss_error(minor, GSS_S_UNAVAILABLE, NTLM_ERR_NOT_ESTABLISHED);
    /* Never write what import would refuse. */
    if (!name_fits(ctx->src_name) || !name_fits(ctx->targ_name))
        return ntlm_gss_error(minor, GSS_S_UNAVAILABLE, NTLM_ERR_INVALID_ARG);
    ntlm_buf_add(&b, EXPORT_MAGIC, 4);
    ntlm_buf_add_le32(&b, EXPORT_VERSION);
    ntlm_buf_add_u8(&b, ctx->initiator ? 1 : 0);
    ntlm_buf_add_le32(&b, ctx->neg_flags);
    ntlm_buf_add_le32(&b, ctx->ret_flags);
    ntlm_buf_add_le64(&b, (uint64_t)ctx->expiry);
    ntlm_buf_add(&b, ctx->exported_key, 16);
    ntlm_buf_add_le32(&b, ctx->sign.send.seq);
    ntlm_buf_add_le32(&b, ctx->sign.recv.seq);
    put_stream(&b, &ctx->sign.send, true);
    put_stream(&b, &ctx->sign.recv, !ctx->sign.recv.shared);
    put_name(&b, ctx->src_name);
    put_name(&b, ctx->targ_name);
    ret = ntlm_buf_status(&b);
    if (ret) {
        ntlm_buf_free(&b);
        return ntlm_gss_error(minor, GSS_S_FAILURE, ret);
    }
    /* The blob holds the session key: hand out this block rather than leave a second copy. */
    token->value = ntlm_buf_take(&b, &token->length);
    ntlm_ctx_free(ctx);
    *context = GSS_C_NO_CONTEXT;
    *minor = 0;
    return GSS_S_COMPLETE;
}

static uint32_t
get_string(struct ntlm_reader *r, size_t max, char **out)
{
    uint32_t len = ntlm_read_le32(r);
    const uint8_t *p;

    *out = NULL;
    if (r->err)
        return NTLM_ERR_BAD_EXPORT;
    if (len == NO_STRING)
        return 0;
    if (len > max)
        return NTLM_ERR_BAD_EXPORT;
    p = ntlm_read_bytes(r, len);
    if (p == NULL || memchr(p, 0, len) != NULL)
        return NTLM_ERR_BAD_EXPORT;
    *out = strndup((const char *)p, len);
    return *out == NULL ? NTLM_ERR_NOMEM : 0;
}

/* A SID list as winbind gives it: "S-1-5-21-...,S-1-5-32-545", nothing else. */
static bool
sids_well_formed(const char *sids)
{
    size_t n = strlen(sids);

    return n > 0 && strspn(sids, "S-0123456789,") == n;
}

static uint32_t
get_name(struct ntlm_reader *r, uint32_t version, struct ntlm_name **out)
{
    uint8_t kind = ntlm_read_u8(r);
    char *user = NULL, *domain = NULL, *sids = NULL;
    struct ntlm_name *name = NULL;
    uint32_t ret;

    *out = NULL;
    if (r->err)
        return NTLM_ERR_BAD_EXPORT;
    if (kind == NO_NAME)
        return 0;
    if (kind > NTLM_NAME_ANONYMOUS)
        return NTLM_ERR_BAD_EXPORT;
    ret = get_string(r, MAX_NAME_STRING, &user);
    if (ret)
        goto done;
    ret = get_string(r, MAX_NAME_STRING, &domain);
    if (ret)
        goto done;
    if (version != EXPORT_VERSION_NO_SIDS) {
        ret = get_string(r, MAX_SIDS_STRING, &sids);
        if (ret)
            goto done;
    }
    if ((user == NULL && kind != NTLM_NAME_ANONYMOUS) ||
        (sids != NULL && !sids_well_formed(sids))) {
        ret = NTLM_ERR_BAD_EXPORT;
        goto done;
    }
    ret = ntlm_name_new((enum ntlm_name_kind)kind, user, domain, &name);
    if (ret)
        goto done;
    if (sids != NULL) {
        ret = ntlm_name_set_sids(name, sids);
        if (ret)
            goto done;
    }
    *out = name;
    name = NULL;
done:
    ntlm_name_free(name);
    free(user);
    free(domain);
    free(sids);
    return ret;
}

/* One direction's stream field of version 3 into *out (NULL: not started). */
static uint32_t
get_stream(struct ntlm_reader *r, struct ntlm_rc4 **out)
{
    uint8_t tag = ntlm_read_u8(r);
    const uint8_t *state;
    uint32_t ret;

    *out = NULL;
    if (r->err || tag > STREAM_STATE)
        return NTLM_ERR_BAD_EXPORT;
    if (tag == STREAM_NOT_STARTED)
        return 0;
    state = ntlm_read_bytes(r, NTLM_RC4_STATE_SIZE);
    if (state == NULL)
        return NTLM_ERR_BAD_EXPORT;
    ret = ntlm_rc4_import(state, out);
    return ret == NTLM_ERR_INVALID_ARG ? NTLM_ERR_BAD_EXPORT : ret;
}

/*
 * Versions 1 and 2: a stream keyed from its seal key and replayed to position (bounded), or
 * none at position 0 unless `keyed` (the shared stream without ESS always exists).
 */
static uint32_t
legacy_stream(const struct ntlm_sign_dir *dir, uint64_t position, bool keyed, struct ntlm_rc4 **out)
{
    uint32_t ret;

    *out = NULL;
    if (position == 0 && !keyed)
        return 0;
    if (position > LEGACY_MAX_POSITION)
        return NTLM_ERR_BAD_EXPORT;
    ret = ntlm_rc4_new(dir->seal_key, dir->seal_key_len, out);
    if (ret == 0)
        ntlm_rc4_skip(*out, position);
    return ret;
}

/* The fixed fields, checked against each other and the clock. */
struct fixed_fields {
    uint32_t version;
    uint8_t initiator;
    uint32_t neg_flags;
    uint32_t ret_flags;
    uint64_t expiry;
    uint32_t send_seq;
    uint32_t recv_seq;
};

static uint32_t
get_fixed(struct ntlm_reader *r, struct ntlm_ctx *ctx, struct fixed_fields *f)
{
    const uint8_t *magic = ntlm_read_bytes(r, 4);
    OM_uint32 grantable;
    time_t now = time(NULL);

    f->version = ntlm_read_le32(r);
    f->initiator = ntlm_read_u8(r);
    f->neg_flags = ntlm_read_le32(r);
    f->ret_flags = ntlm_read_le32(r);
    f->expiry = ntlm_read_le64(r);
    ntlm_read_copy(r, ctx->exported_key, 16);
    f->send_seq = ntlm_read_le32(r);
    f->recv_seq = ntlm_read_le32(r);
    if (r->err || memcmp(magic, EXPORT_MAGIC, 4) != 0 || f->version < EXPORT_VERSION_NO_SIDS ||
        f->version > EXPORT_VERSION || f->initiator > 1 || (f->neg_flags & ~known_ntlm_flags))
        return NTLM_ERR_BAD_EXPORT;
    grantable = ntlm_ctx_gss_flags(f->neg_flags, ~(OM_uint32)0) | GSS_C_CHANNEL_BOUND_FLAG;
    if ((f->ret_flags & ~grantable) != 0)
        return NTLM_ERR_BAD_EXPORT;
    /* A context lives NTLM_CONTEXT_LIFETIME from its establishment, which is in the past. */
    if (f->expiry > (uint64_t)now + NTLM_CONTEXT_LIFETIME)
        return NTLM_ERR_BAD_EXPORT;
    return 0;
}

static uint32_t
get_streams(struct ntlm_reader *r, uint32_t version, const struct ntlm_sign_state *sign,
            struct ntlm_rc4 **send, struct ntlm_rc4 **recv)
{
    uint64_t send_pos, recv_pos;
    uint32_t ret;

    if (version == EXPORT_VERSION) {
        ret = get_stream(r, send);
        if (ret == 0)
            ret = get_stream(r, recv);
        /* Without ESS the one shared stream, keyed at establishment, travels as the send one. */
        if (ret == 0 && sign->recv.shared && (*send == NULL || *recv != NULL))
            ret = NTLM_ERR_BAD_EXPORT;
        return ret;
    }
    send_pos = ntlm_read_le64(r);
    recv_pos = ntlm_read_le64(r);
    if (r->err)
        return NTLM_ERR_BAD_EXPORT;
    /* Without ESS both directions share one stream, whose position is the send one. */
    ret = legacy_stream(&sign->send, send_pos, sign->recv.shared, send);
    if (ret == 0 && !sign->recv.shared)
        ret = legacy_stream(&sign->recv, recv_pos, false, recv);
    return ret;
}

static uint32_t
import_body(struct ntlm_reader *r, struct ntlm_ctx *ctx)
{
    struct ntlm_rc4 *send = NULL, *recv = NULL;
    struct fixed_fields f;
    uint32_t ret;

    ret = get_fixed(r, ctx, &f);
    if (ret)
        goto done;
    ctx->initiator = f.initiator == 1;
    ctx->neg_flags = f.neg_flags;
    ctx->ret_flags = f.ret_flags;
    ctx->expiry = (time_t)f.expiry;
    /* The keys first: the streams of version 1 and 2 are replayed from them. */
    ret = ntlm_ctx_start_session(ctx, ctx->neg_flags, ctx->exported_key);
    if (ret)
        goto done;
    ret = get_streams(r, f.version, &ctx->sign, &send, &recv);
    if (ret)
        goto done;
    ret = get_name(r, f.version, &ctx->src_name);
    if (ret)
        goto done;
    ret = get_name(r, f.version, &ctx->targ_name);
    if (ret)
        goto done;
    if (ntlm_reader_remaining(r) != 0) {
        ret = NTLM_ERR_BAD_EXPORT;
        goto done;
    }
    ctx->sign.send.seq = f.send_seq;
    ctx->sign.recv.seq = f.recv_seq;
    ntlm_sign_state_set_stream(&ctx->sign, false, send);
    send = NULL;
    if (!ctx->sign.recv.shared)
        ntlm_sign_state_set_stream(&ctx->sign, true, recv);
    recv = NULL;
    ctx->stage = NTLM_STAGE_ESTABLISHED;
done:
    ntlm_rc4_free(send);
    ntlm_rc4_free(recv);
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
