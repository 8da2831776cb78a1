/*
 * Encode and decode of the NTLMSSP NEGOTIATE, CHALLENGE and AUTHENTICATE messages
 * (MS-NLMP 2.2.1). Every wire byte goes through ntlm_reader.
 */
#include "ntlm_message.h"

#include <stdlib.h>
#include <string.h>

#include "ntlm_av.h"
#include "ntlm_errors.h"
#include "ntlm_reader.h"
#include "ntlm_unicode.h"
#include "sspigss_ntlm.h"

static const uint8_t ntlm_signature[SSPIGSS_NTLMSSP_SIGNATURE_LEN] = SSPIGSS_NTLMSSP_SIGNATURE;

#define NEGOTIATE_LEGACY_LEN 16
#define NEGOTIATE_HEADER_LEN 32
#define CHALLENGE_HEADER_LEN 48
#define AUTHENTICATE_HEADER_LEN 64
#define VERSION_LEN 8
#define MIC_LEN 16
#define AUTHENTICATE_MIC_OFFSET (AUTHENTICATE_HEADER_LEN + VERSION_LEN)

/* A security buffer (len16, maxlen16, offset32) as sent, and its bytes once validated. */
struct field {
    uint16_t len;
    uint32_t off;
    uint32_t err; /* reported when the field lies outside the message */
    const uint8_t *data;
};

/* ---- decoding helpers ---- */

static void
field_read(struct ntlm_reader *r, struct field *f, uint32_t err)
{
    f->len = ntlm_read_le16(r);
    /* MaxLen is not used: peers disagree on it and nothing depends on it. */
    (void)ntlm_read_le16(r);
    f->off = ntlm_read_le32(r);
    f->err = err;
    f->data = NULL;
}

/*
 * Validates every field against the whole message before any pointer is formed. An empty
 * field is empty wherever it points; a non-empty one may not start inside the header_len
 * bytes of fixed header the parser has already consumed.
 */
static uint32_t
fields_resolve(const struct ntlm_reader *r, struct field *f, size_t n, size_t header_len)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (f[i].len == 0)
            continue;
        f[i].data = ntlm_reader_at(r, f[i].off, f[i].len);
        if (f[i].data == NULL)
            return f[i].err;
        if (f[i].off < header_len)
            return NTLM_ERR_HEADER_OVERLAP;
    }
    return 0;
}

/*
 * Where the payload starts: the lowest offset of a non-empty field, else the message end.
 * Optional header parts (version, MIC) are present only when this leaves room for them.
 */
static size_t
payload_start(const struct field *f, size_t n, size_t msg_len)
{
    size_t i, start = msg_len;

    for (i = 0; i < n; i++) {
        if (f[i].len > 0 && f[i].off < start)
            start = f[i].off;
    }
    return start;
}

static uint32_t
field_string(const struct field *f, bool unicode, char **out)
{
    if (unicode)
        return ntlm_utf16le_to_utf8(f->data, f->len, out);
    return ntlm_oem_to_utf8(f->data, f->len, out);
}

/* Copies a field into malloc'd memory; an empty field leaves *out NULL. */
static uint32_t
field_copy(const struct field *f, uint8_t **out, size_t *out_len)
{
    if (f->len == 0)
        return 0;
    *out = malloc(f->len);
    if (*out == NULL)
        return NTLM_ERR_NOMEM;
    memcpy(*out, f->data, f->len);
    *out_len = f->len;
    return 0;
}

static void
version_read(struct ntlm_reader *r, struct ntlm_version *v)
{
    v->major = ntlm_read_u8(r);
    v->minor = ntlm_read_u8(r);
    v->build = ntlm_read_le16(r);
    (void)ntlm_read_bytes(r, 3); /* Reserved */
    v->revision = ntlm_read_u8(r);
}

/*
 * The prefix every message starts with (MS-NLMP 2.2.1):
 *
 *   offset  size  field
 *   ------  ----  ------------------------------------------------------------
 *        0     8  Signature "NTLMSSP\0"
 *        8     4  MessageType (1, 2 or 3)
 *
 * Read once per token: r is left just after it, for the message's own decoder.
 */
static uint32_t
prefix_read(struct ntlm_reader *r, const uint8_t *msg, size_t len, uint32_t *type)
{
    const uint8_t *sig;
    uint32_t t;

    if (len == 0)
        return NTLM_ERR_TOKEN_EMPTY;
    if (len > NTLM_MAX_TOKEN)
        return NTLM_ERR_TOKEN_TOO_LARGE;
    ntlm_reader_init(r, msg, len);
    sig = ntlm_read_bytes(r, sizeof(ntlm_signature));
    if (sig != NULL && memcmp(sig, ntlm_signature, sizeof(ntlm_signature)) != 0)
        return NTLM_ERR_BAD_SIGNATURE;
    t = ntlm_read_le32(r);
    if (r->err)
        return NTLM_ERR_TRUNCATED;
    if (t < NTLM_NEGOTIATE_TYPE || t > NTLM_AUTHENTICATE_TYPE)
        return NTLM_ERR_BAD_MESSAGE_TYPE;
    *type = t;
    return 0;
}

uint32_t
ntlm_message_type(const uint8_t *msg, size_t len, uint32_t *type)
{
    struct ntlm_reader r;

    return prefix_read(&r, msg, len, type);
}

/* Checks the signature and type, and leaves r just after them. */
static uint32_t
message_open(struct ntlm_reader *r, const uint8_t *msg, size_t len, uint32_t want)
{
    uint32_t type = 0, ret;

    ret = prefix_read(r, msg, len, &type);
    if (ret)
        return ret;
    return type == want ? 0 : NTLM_ERR_BAD_MESSAGE_TYPE;
}

/* ---- encoding helpers ---- */

/* Starts a message: signature and type. */
static void
message_begin(struct ntlm_buf *b, uint32_t type)
{
    ntlm_buf_add(b, ntlm_signature, sizeof(ntlm_signature));
    ntlm_buf_add_le32(b, type);
}

/* A NULL version is written as zeros, which MS-NLMP asks for when VERSION is not negotiated. */
static void
version_put(struct ntlm_buf *b, const struct ntlm_version *v)
{
    if (v == NULL) {
        ntlm_buf_add_zeros(b, VERSION_LEN);
        return;
    }
    ntlm_buf_add_u8(b, v->major);
    ntlm_buf_add_u8(b, v->minor);
    ntlm_buf_add_le16(b, v->build);
    ntlm_buf_add_zeros(b, 3);
    ntlm_buf_add_u8(b, v->revision);
}

/*
 * Appends a payload field and fills its security buffer header at hdr. An empty field points
 * at offset 0 when zero_empty (Windows writes NEGOTIATE and CHALLENGE so, as does the MS-NLMP
 * example), else where its payload would be (Windows and Samba write AUTHENTICATE so).
 */
static uint32_t
field_put(struct ntlm_buf *b, size_t hdr, const uint8_t *data, size_t n, bool zero_empty)
{
    if (n > UINT16_MAX)
        return NTLM_ERR_INVALID_ARG;
    if (b->len > NTLM_MAX_TOKEN)
        return NTLM_ERR_TOKEN_TOO_LARGE;
    ntlm_buf_put_le16_at(b, hdr, (uint16_t)n);
    ntlm_buf_put_le16_at(b, hdr + 2, (uint16_t)n);
    ntlm_buf_put_le32_at(b, hdr + 4, n == 0 && zero_empty ? 0 : (uint32_t)b->len);
    ntlm_buf_add(b, data, n);
    return 0;
}

/* Encodes a string per the UNICODE flag; NULL and "" both give an empty field. */
static uint32_t
wire_string(const char *s, bool unicode, uint8_t **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (s == NULL)
        return 0;
    if (unicode)
        return ntlm_utf8_to_utf16le(s, false, out, out_len);
    return ntlm_utf8_to_oem(s, false, out, out_len);
}

/* ---- NEGOTIATE ---- */

/* The domain and workstation fields and the version of a NEGOTIATE longer than 16 bytes. */
static uint32_t
negotiate_decode_fields(struct ntlm_reader *r, struct ntlm_negotiate *m)
{
    struct field f[2];
    uint32_t ret;

    field_read(r, &f[0], NTLM_ERR_DOMAIN_FIELD);
    field_read(r, &f[1], NTLM_ERR_WORKSTATION_FIELD);
    if (r->err)
        return NTLM_ERR_TRUNCATED;
    ret = fields_resolve(r, f, 2, NEGOTIATE_HEADER_LEN);
    if (ret)
        return ret;
    /* Fields are in bounds now, so a payload start of 40 also means a message of 40 bytes. */
    if ((m->flags & NTLMSSP_NEGOTIATE_VERSION) &&
        payload_start(f, 2, r->len) >= NEGOTIATE_HEADER_LEN + VERSION_LEN) {
        m->has_version = true;
        version_read(r, &m->version);
    }
    /* Taken whenever sent: the *_SUPPLIED flags are advisory and often wrong. */
    if (f[0].len > 0) {
        ret = field_string(&f[0], false, &m->domain);
        if (ret)
            return ret;
    }
    if (f[1].len > 0)
        ret = field_string(&f[1], false, &m->workstation);
    return ret;
}

/*
 * NEGOTIATE_MESSAGE as read (MS-NLMP 2.2.1.1):
 *
 *   offset  size  field
 *   ------  ----  ------------------------------------------------------------
 *        0     8  Signature "NTLMSSP\0"                     required
 *        8     4  MessageType = 1                           required
 *       12     4  NegotiateFlags                            required
 *       16     8  DomainNameFields  (len, maxlen, offset)   informational
 *       24     8  WorkstationFields (likewise)              informational
 *       32     8  Version, when VERSION is set and the payload leaves room  informational
 *        -     -  Payload: DomainName, WorkstationName (OEM)
 *
 * A message may end after the flags (the 16-byte legacy form) or after the fields (curl's 32
 * bytes). The server derives nothing from the informational part (MS-NLMP 3.2.5.1.1 builds
 * the CHALLENGE from the flags alone), and real clients get it wrong: Heimdal 7.8 points
 * DomainName at offset 24, inside the header, and writes it in UTF-16. So a malformed
 * informational part is dropped whole (domain, workstation and version), the reason kept in
 * `ignored` for the trace, and the message stands on its flags. The CHALLENGE and
 * AUTHENTICATE decoders, whose fields carry the proof, stay strict.
 */
uint32_t
ntlm_negotiate_decode(const uint8_t *msg, size_t len, struct ntlm_negotiate *out)
{
    struct ntlm_negotiate m = {0};
    struct ntlm_reader r;
    uint32_t flags, ret;

    ret = message_open(&r, msg, len, NTLM_NEGOTIATE_TYPE);
    if (ret)
        goto done;
    m.flags = ntlm_read_le32(&r);
    if (r.err) {
        ret = NTLM_ERR_TRUNCATED;
        goto done;
    }
    if (len > NEGOTIATE_LEGACY_LEN) {
        ret = negotiate_decode_fields(&r, &m);
        if (ret != 0 && ret != NTLM_ERR_NOMEM) {
            flags = m.flags;
            ntlm_negotiate_free(&m);
            m.flags = flags;
            m.ignored = ret;
            ret = 0;
        }
    }

done:
    if (ret) {
        ntlm_negotiate_free(&m);
        memset(out, 0, sizeof(*out));
    } else {
        *out = m;
    }
    return ret;
}

/*
 * NEGOTIATE_MESSAGE as written (MS-NLMP 2.2.1.1):
 *
 *   offset  size  field
 *   ------  ----  ------------------------------------------------------------
 *        0     8  Signature "NTLMSSP\0"
 *        8     4  MessageType = 1
 *       12     4  NegotiateFlags (OEM_*_SUPPLIED set from the fields below)
 *       16     8  DomainNameFields      (len, maxlen, offset; offset 0 when empty)
 *       24     8  WorkstationFields     (likewise)
 *       32     8  Version (zeros when in->has_version is false)
 *       40     -  Payload: DomainName (OEM), WorkstationName (OEM)
 */
uint32_t
ntlm_negotiate_encode(const struct ntlm_negotiate_fields *in, struct ntlm_buf *out)
{
    struct ntlm_buf msg = NTLM_BUF_INIT;
    uint8_t *domain = NULL, *workstation = NULL;
    size_t domain_len, workstation_len;
    uint32_t flags, ret;

    ret = wire_string(in->domain, false, &domain, &domain_len);
    if (ret)
        goto done;
    ret = wire_string(in->workstation, false, &workstation, &workstation_len);
    if (ret)
        goto done;
    flags = in->flags &
            ~(NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED | NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED);
    if (domain_len > 0)
        flags |= NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED;
    if (workstation_len > 0)
        flags |= NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED;

    message_begin(&msg, NTLM_NEGOTIATE_TYPE);
    ntlm_buf_add_le32(&msg, flags);
    ntlm_buf_add_zeros(&msg, 16); /* the two field headers, filled in by field_put */
    version_put(&msg, in->has_version ? &in->version : NULL);
    ret = field_put(&msg, 16, domain, domain_len, true);
    if (ret)
        goto done;
    ret = field_put(&msg, 24, workstation, workstation_len, true);
    if (ret)
        goto done;
    ret = ntlm_buf_append(out, &msg, NTLM_MAX_TOKEN);

done:
    free(domain);
    free(workstation);
    ntlm_buf_free(&msg);
    return ret;
}

struct ntlm_negotiate_fields
ntlm_negotiate_fields_of(const struct ntlm_negotiate *m)
{
    return (struct ntlm_negotiate_fields){m->flags, m->domain, m->workstation, m->has_version,
                                          m->version};
}

void
ntlm_negotiate_free(struct ntlm_negotiate *m)
{
    if (m == NULL)
        return;
    free(m->domain);
    free(m->workstation);
    memset(m, 0, sizeof(*m));
}

/* ---- CHALLENGE ---- */

enum { CHAL_TARGET_NAME, CHAL_TARGET_INFO, CHAL_FIELDS };

/*
 * CHALLENGE_MESSAGE as read (MS-NLMP 2.2.1.2):
 *
 *   offset  size  field
 *   ------  ----  ------------------------------------------------------------
 *        0    12  Signature, MessageType = 2 (prefix_read)
 *       12     8  TargetNameFields      (len, maxlen, offset)   inside the message
 *       20     4  NegotiateFlags
 *       24     8  ServerChallenge
 *       32     8  Reserved                                      ignored
 *       40     8  TargetInfoFields      (likewise)
 *       48     8  Version, when VERSION is set and the payload leaves room
 *        -     -  Payload: TargetName (UTF-16LE with UNICODE, else OEM), TargetInfo (AV
 *                 pairs, decoded into `av` and kept raw)
 */
uint32_t
ntlm_challenge_decode(const uint8_t *msg, size_t len, struct ntlm_challenge *out)
{
    struct ntlm_challenge m = {0};
    struct ntlm_reader r;
    struct field f[CHAL_FIELDS];
    uint32_t ret;

    ret = message_open(&r, msg, len, NTLM_CHALLENGE_TYPE);
    if (ret)
        goto done;
    field_read(&r, &f[CHAL_TARGET_NAME], NTLM_ERR_TARGET_NAME_FIELD);
    m.flags = ntlm_read_le32(&r);
    ntlm_read_copy(&r, m.server_challenge, sizeof(m.server_challenge));
    (void)ntlm_read_bytes(&r, 8); /* Reserved */
    field_read(&r, &f[CHAL_TARGET_INFO], NTLM_ERR_TARGET_INFO_FIELD);
    if (r.err) {
        ret = NTLM_ERR_TRUNCATED;
        goto done;
    }
    ret = fields_resolve(&r, f, CHAL_FIELDS, CHALLENGE_HEADER_LEN);
    if (ret)
        goto done;
    if ((m.flags & NTLMSSP_NEGOTIATE_VERSION) &&
        payload_start(f, CHAL_FIELDS, len) >= CHALLENGE_HEADER_LEN + VERSION_LEN) {
        m.has_version = true;
        version_read(&r, &m.version);
    }
    if (f[CHAL_TARGET_NAME].len > 0) {
        ret =
            field_string(&f[CHAL_TARGET_NAME], m.flags & NTLMSSP_NEGOTIATE_UNICODE, &m.target_name);
        if (ret)
            goto done;
    }
    if (f[CHAL_TARGET_INFO].len > 0) {
        /* Kept raw for the client's blob, but only once known to be well formed. */
        ret = ntlm_av_decode(f[CHAL_TARGET_INFO].data, f[CHAL_TARGET_INFO].len, &m.av);
        if (ret)
            goto done;
        ret = field_copy(&f[CHAL_TARGET_INFO], &m.target_info, &m.target_info_len);
    }

done:
    if (ret) {
        ntlm_challenge_free(&m);
        memset(out, 0, sizeof(*out));
    } else {
        *out = m;
    }
    return ret;
}

/*
 * CHALLENGE_MESSAGE as written (MS-NLMP 2.2.1.2):
 *
 *   offset  size  field
 *   ------  ----  ------------------------------------------------------------
 *        0     8  Signature "NTLMSSP\0"
 *        8     4  MessageType = 2
 *       12     8  TargetNameFields      (len, maxlen, offset; offset 0 when empty)
 *       20     4  NegotiateFlags
 *       24     8  ServerChallenge
 *       32     8  Reserved (zeros)
 *       40     8  TargetInfoFields      (likewise)
 *       48     8  Version (only when in->has_version)
 *    48/56     -  Payload: TargetName (UTF-16LE with UNICODE, else OEM), TargetInfo
 */
uint32_t
ntlm_challenge_encode(const struct ntlm_challenge_fields *in, struct ntlm_buf *out)
{
    struct ntlm_buf msg = NTLM_BUF_INIT;
    uint8_t *name = NULL;
    size_t name_len;
    uint32_t ret;

    ret = wire_string(in->target_name, in->flags & NTLMSSP_NEGOTIATE_UNICODE, &name, &name_len);
    if (ret)
        goto done;
    message_begin(&msg, NTLM_CHALLENGE_TYPE);
    ntlm_buf_add_zeros(&msg, 8); /* TargetNameFields, filled in by field_put */
    ntlm_buf_add_le32(&msg, in->flags);
    ntlm_buf_add(&msg, in->server_challenge, sizeof(in->server_challenge));
    ntlm_buf_add_zeros(&msg, 8); /* Reserved */
    ntlm_buf_add_zeros(&msg, 8); /* TargetInfoFields */
    if (in->has_version)
        version_put(&msg, &in->version);
    ret = field_put(&msg, 12, name, name_len, true);
    if (ret)
        goto done;
    ret = field_put(&msg, 40, in->target_info, in->target_info_len, true);
    if (ret)
        goto done;
    ret = ntlm_buf_append(out, &msg, NTLM_MAX_TOKEN);

done:
    free(name);
    ntlm_buf_free(&msg);
    return ret;
}

struct ntlm_challenge_fields
ntlm_challenge_fields_of(const struct ntlm_challenge *m)
{
    struct ntlm_challenge_fields f = {m->flags,           m->target_name, {0},       m->target_info,
                                      m->target_info_len, m->has_version, m->version};

    memcpy(f.server_challenge, m->server_challenge, sizeof(f.server_challenge));
    return f;
}

void
ntlm_challenge_free(struct ntlm_challenge *m)
{
    if (m == NULL)
        return;
    free(m->target_name);
    free(m->target_info);
    ntlm_av_free(&m->av);
    memset(m, 0, sizeof(*m));
}

/* ---- AUTHENTICATE ---- */

/* The security buffers in wire order. */
enum { AUTH_LM, AUTH_NT, AUTH_DOMAIN, AUTH_USER, AUTH_WORKSTATION, AUTH_KEY, AUTH_FIELDS };

static const uint32_t auth_field_errors[AUTH_FIELDS] = {
    NTLM_ERR_LM_FIELD,   NTLM_ERR_NT_FIELD,          NTLM_ERR_DOMAIN_FIELD,
    NTLM_ERR_USER_FIELD, NTLM_ERR_WORKSTATION_FIELD, NTLM_ERR_SESSION_KEY_FIELD,
};

/* A validated field's bytes inside the decoder's copy of the message; empty gives NULL. */
static void
field_in_copy(const struct field *f, const uint8_t *copy, const uint8_t **out, size_t *out_len)
{
    *out = f->len > 0 ? copy + f->off : NULL;
    *out_len = f->len;
}

/* The strings, responses and session key of an AUTHENTICATE whose fields are validated. */
static uint32_t
authenticate_take_fields(const struct field *f, struct ntlm_authenticate *m)
{
    bool unicode = m->flags & NTLMSSP_NEGOTIATE_UNICODE;
    uint32_t ret;

    /* Empty names decode to "", so callers never meet NULL for an anonymous peer. */
    ret = field_string(&f[AUTH_DOMAIN], unicode, &m->domain);
    if (ret)
        return ret;
    ret = field_string(&f[AUTH_USER], unicode, &m->user);
    if (ret)
        return ret;
    ret = field_string(&f[AUTH_WORKSTATION], unicode, &m->workstation);
    if (ret)
        return ret;
    field_in_copy(&f[AUTH_LM], m->msg, &m->lm_response, &m->lm_response_len);
    field_in_copy(&f[AUTH_NT], m->msg, &m->nt_response, &m->nt_response_len);
    field_in_copy(&f[AUTH_KEY], m->msg, &m->session_key, &m->session_key_len);
    /* 24 bytes is NTLMv1, fewer LM only or anonymous: only longer responses are NTLMv2. */
    if (m->nt_response_len > 24) {
        ret = ntlm_v2_blob_parse(m->nt_response, m->nt_response_len, &m->v2);
        m->has_v2 = ret == 0;
    }
    return ret;
}

/*
 * AUTHENTICATE_MESSAGE as read (MS-NLMP 2.2.1.3):
 *
 *   offset  size  field
 *   ------  ----  ------------------------------------------------------------
 *        0    12  Signature, MessageType = 3 (prefix_read)
 *       12     8  LmChallengeResponseFields  (len, maxlen, offset)  each inside the message,
 *       20     8  NtChallengeResponseFields                          and when non-empty not
 *       28     8  DomainNameFields                                   inside the 64-byte
 *       36     8  UserNameFields                                     header
 *       44     8  WorkstationFields
 *       52     8  EncryptedRandomSessionKeyFields
 *       60     4  NegotiateFlags
 *       64     8  Version, when the payload starts at or after 72 (whatever the flag says)
 *       72    16  MIC, when the payload starts at or after 88; zeroed in `msg`
 *        -     -  Payload: DomainName, UserName, Workstation (UTF-16LE with UNICODE, else
 *                 OEM; validated, to UTF-8), LmChallengeResponse, NtChallengeResponse (parsed
 *                 as NTLMv2 when longer than 24 bytes), EncryptedRandomSessionKey
 *
 * The layout, not the VERSION flag, says whether a version and a MIC are there: Linux cifs
 * sets the flag yet starts its payload at 64.
 */
uint32_t
ntlm_authenticate_decode(const uint8_t *msg, size_t len, struct ntlm_authenticate *out)
{
    struct ntlm_authenticate m = {0};
    struct ntlm_reader r;
    struct field f[AUTH_FIELDS];
    size_t i, start;
    uint32_t ret;

    ret = message_open(&r, msg, len, NTLM_AUTHENTICATE_TYPE);
    if (ret)
        goto done;
    for (i = 0; i < AUTH_FIELDS; i++)
        field_read(&r, &f[i], auth_field_errors[i]);
    m.flags = ntlm_read_le32(&r);
    if (r.err) {
        ret = NTLM_ERR_TRUNCATED;
        goto done;
    }
    ret = fields_resolve(&r, f, AUTH_FIELDS, AUTHENTICATE_HEADER_LEN);
    if (ret)
        goto done;
    /* start <= len, so these reads fit. */
    start = payload_start(f, AUTH_FIELDS, len);
    if (start >= AUTHENTICATE_HEADER_LEN + VERSION_LEN) {
        m.has_version = true;
        version_read(&r, &m.version);
    }
    if (start >= AUTHENTICATE_MIC_OFFSET + MIC_LEN) {
        m.has_mic_space = true;
        m.mic_offset = AUTHENTICATE_MIC_OFFSET;
        ntlm_read_copy(&r, m.mic, sizeof(m.mic));
    }
    /* One copy holds every byte the result refers to. Non-empty fields start at or after
     * `start`, so zeroing the MIC there touches no payload. */
    m.msg = malloc(len);
    if (m.msg == NULL) {
        ret = NTLM_ERR_NOMEM;
        goto done;
    }
    memcpy(m.msg, msg, len);
    m.msg_len = len;
    if (m.has_mic_space)
        memset(m.msg + m.mic_offset, 0, MIC_LEN);
    ret = authenticate_take_fields(f, &m);

done:
    if (ret) {
        ntlm_authenticate_free(&m);
        memset(out, 0, sizeof(*out));
    } else {
        *out = m;
    }
    return ret;
}

/*
 * AUTHENTICATE_MESSAGE as written (MS-NLMP 2.2.1.3):
 *
 *   offset  size  field
 *   ------  ----  ------------------------------------------------------------
 *        0     8  Signature "NTLMSSP\0"
 *        8     4  MessageType = 3
 *       12     8  LmChallengeResponseFields  (len, maxlen, offset)
 *       20     8  NtChallengeResponseFields
 *       28     8  DomainNameFields
 *       36     8  UserNameFields
 *       44     8  WorkstationFields
 *       52     8  EncryptedRandomSessionKeyFields
 *       60     4  NegotiateFlags
 *       64     8  Version (zeros when in->has_version is false)
 *       72    16  MIC (zeros, only when with_mic; at *mic_offset for the caller to fill in)
 *    72/88     -  Payload: DomainName, UserName, Workstation (UTF-16LE with UNICODE, else
 *                 OEM), LmChallengeResponse, NtChallengeResponse, EncryptedRandomSessionKey
 *
 * Empty fields point where their payload would be, as Windows and Samba write them.
 */
uint32_t
ntlm_authenticate_encode(const struct ntlm_authenticate_fields *in, bool with_mic,
                         struct ntlm_buf *out, size_t *mic_offset)
{
    struct ntlm_buf msg = NTLM_BUF_INIT;
    bool unicode = in->flags & NTLMSSP_NEGOTIATE_UNICODE;
    uint8_t *domain = NULL, *user = NULL, *workstation = NULL;
    size_t domain_len, user_len, workstation_len, start;
    uint32_t ret;

    ret = wire_string(in->domain, unicode, &domain, &domain_len);
    if (ret)
        goto done;
    ret = wire_string(in->user, unicode, &user, &user_len);
    if (ret)
        goto done;
    ret = wire_string(in->workstation, unicode, &workstation, &workstation_len);
    if (ret)
        goto done;
    message_begin(&msg, NTLM_AUTHENTICATE_TYPE);
    ntlm_buf_add_zeros(&msg, 8 * AUTH_FIELDS); /* field headers, filled in by field_put */
    ntlm_buf_add_le32(&msg, in->flags);
    version_put(&msg, in->has_version ? &in->version : NULL);
    if (with_mic)
        ntlm_buf_add_zeros(&msg, MIC_LEN);
    ret = field_put(&msg, 28, domain, domain_len, false);
    if (ret)
        goto done;
    ret = field_put(&msg, 36, user, user_len, false);
    if (ret)
        goto done;
    ret = field_put(&msg, 44, workstation, workstation_len, false);
    if (ret)
        goto done;
    ret = field_put(&msg, 12, in->lm_response, in->lm_response_len, false);
    if (ret)
        goto done;
    ret = field_put(&msg, 20, in->nt_response, in->nt_response_len, false);
    if (ret)
        goto done;
    ret = field_put(&msg, 52, in->session_key, in->session_key_len, false);
    if (ret)
        goto done;
    start = out->len;
    ret = ntlm_buf_append(out, &msg, NTLM_MAX_TOKEN);
    if (ret == 0 && with_mic && mic_offset != NULL)
        *mic_offset = start + AUTHENTICATE_MIC_OFFSET;

done:
    free(domain);
    free(user);
    free(workstation);
    ntlm_buf_free(&msg);
    return ret;
}

struct ntlm_authenticate_fields
ntlm_authenticate_fields_of(const struct ntlm_authenticate *m)
{
    return (struct ntlm_authenticate_fields){
        m->flags,       m->lm_response, m->lm_response_len, m->nt_response, m->nt_response_len,
        m->domain,      m->user,        m->workstation,     m->session_key, m->session_key_len,
        m->has_version, m->version,
    };
}

void
ntlm_authenticate_free(struct ntlm_authenticate *m)
{
    if (m == NULL)
        return;
    /* The copy holds the responses and the encrypted session key. */
    if (m->msg != NULL)
        explicit_bzero(m->msg, m->msg_len);
    free(m->msg);
    ntlm_v2_blob_free(&m->v2);
    free(m->domain);
    free(m->user);
    free(m->workstation);
    explicit_bzero(m, sizeof(*m));
}
