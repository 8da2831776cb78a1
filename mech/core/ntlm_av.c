/*
 * AV_PAIR lists (MS-NLMP 2.2.2.1) and the NTLMv2 client blob (2.2.2.7), through the one
 * bounds-checked reader.
 */
#include "ntlm_av.h"

#include <stdlib.h>
#include <string.h>

#include "ntlm_errors.h"
#include "ntlm_reader.h"
#include "ntlm_unicode.h"

#define V2_PROOF_LEN 16
#define V2_BLOB_HEADER_LEN 28

struct av_pair {
    uint16_t id;
    uint16_t len;
    const uint8_t *value;
};

/* Reads the next AV_PAIR; one running past the end, or an EOL carrying a value, is malformed. */
static uint32_t
av_next(struct ntlm_reader *r, struct av_pair *p)
{
    p->id = ntlm_read_le16(r);
    p->len = ntlm_read_le16(r);
    p->value = ntlm_read_bytes(r, p->len);
    if (r->err || (p->id == NTLM_AV_EOL && p->len != 0))
        return NTLM_ERR_AV_MALFORMED;
    return 0;
}

static char **
av_string_slot(struct ntlm_av_info *av, uint16_t id)
{
    switch (id) {
    case NTLM_AV_NB_COMPUTER:
        return &av->nb_computer;
    case NTLM_AV_NB_DOMAIN:
        return &av->nb_domain;
    case NTLM_AV_DNS_COMPUTER:
        return &av->dns_computer;
    case NTLM_AV_DNS_DOMAIN:
        return &av->dns_domain;
    case NTLM_AV_DNS_TREE:
        return &av->dns_tree;
    case NTLM_AV_TARGET_NAME:
        return &av->target_name;
    default:
        return NULL;
    }
}

/* Stores one pair; each id arrives at most once, so no slot is overwritten. */
static uint32_t
av_take(struct ntlm_av_info *av, const struct av_pair *p)
{
    char **slot = av_string_slot(av, p->id);
    struct ntlm_reader r;

    if (slot != NULL)
        return ntlm_utf16le_to_utf8(p->value, p->len, slot);
    ntlm_reader_init(&r, p->value, p->len);
    switch (p->id) {
    case NTLM_AV_FLAGS:
        if (p->len != 4)
            return NTLM_ERR_AV_MALFORMED;
        av->has_flags = true;
        av->av_flags = ntlm_read_le32(&r);
        break;
    case NTLM_AV_TIMESTAMP:
        if (p->len != 8)
            return NTLM_ERR_AV_MALFORMED;
        av->has_timestamp = true;
        av->timestamp = ntlm_read_le64(&r);
        break;
    case NTLM_AV_CHANNEL_BINDINGS:
        if (p->len != sizeof(av->channel_bindings))
            return NTLM_ERR_AV_MALFORMED;
        av->has_channel_bindings = true;
        ntlm_read_copy(&r, av->channel_bindings, sizeof(av->channel_bindings));
        break;
    default:
        /* EOL, MsvAvSingleHost and ids from later revisions: nothing to keep. */
        break;
    }
    return 0;
}

/*
 * Reads pairs up to and including EOL into m. Running out of bytes before EOL is how a missing
 * EOL shows up; an id MS-NLMP defines may appear once.
 */
static uint32_t
av_list_read(struct ntlm_reader *r, struct ntlm_av_info *m)
{
    struct av_pair p;
    uint32_t seen = 0, ret;

    do {
        ret = av_next(r, &p);
        if (ret)
            return ret;
        if (p.id <= NTLM_AV_CHANNEL_BINDINGS) {
            if (seen & 1u << p.id)
                return NTLM_ERR_AV_MALFORMED;
            seen |= 1u << p.id;
        }
        ret = av_take(m, &p);
        if (ret)
            return ret;
    } while (p.id != NTLM_AV_EOL);
    return 0;
}

/*
 * AV_PAIR list as read (MS-NLMP 2.2.2.1), each pair being AvId (2), AvLen (2), Value:
 *
 *   pair                    value                      kept as
 *   ----------------------  -------------------------  ------------------------------
 *   MsvAvNb*, MsvAvDns*,    UTF-16LE, validated         malloc'd UTF-8 strings
 *   MsvAvTargetName
 *   MsvAvFlags              exactly 4                   av_flags
 *   MsvAvTimestamp          exactly 8, FILETIME         timestamp
 *   MsvAvChannelBindings    exactly 16                  channel_bindings
 *   MsvAvSingleHost, later  any                         skipped
 *   MsvAvEOL                empty, required, last       (bytes after it are not read)
 */
uint32_t
ntlm_av_decode(const uint8_t *av, size_t len, struct ntlm_av_info *out)
{
    struct ntlm_av_info m = {0};
    struct ntlm_reader r;
    uint32_t ret;

    ntlm_reader_init(&r, av, len);
    ret = av_list_read(&r, &m);
    if (ret) {
        ntlm_av_free(&m);
        memset(out, 0, sizeof(*out));
    } else {
        *out = m;
    }
    return ret;
}

/* Appends one pair; every caller passes a value whose length fits AvLen. */
static void
av_put(struct ntlm_buf *b, uint16_t id, const void *value, uint16_t n)
{
    ntlm_buf_add_le16(b, id);
    ntlm_buf_add_le16(b, n);
    ntlm_buf_add(b, value, n);
}

static uint32_t
av_put_string(struct ntlm_buf *b, uint16_t id, const char *s)
{
    uint8_t *u16 = NULL;
    size_t u16_len;
    uint32_t ret;

    if (s == NULL)
        return 0;
    ret = ntlm_utf8_to_utf16le(s, false, &u16, &u16_len);
    if (ret == 0 && u16_len > UINT16_MAX)
        ret = NTLM_ERR_INVALID_ARG;
    if (ret == 0)
        av_put(b, id, u16, (uint16_t)u16_len);
    free(u16);
    return ret;
}

static void
av_put_le32(struct ntlm_buf *b, uint16_t id, uint32_t v)
{
    ntlm_buf_add_le16(b, id);
    ntlm_buf_add_le16(b, 4);
    ntlm_buf_add_le32(b, v);
}

static void
av_put_le64(struct ntlm_buf *b, uint16_t id, uint64_t v)
{
    ntlm_buf_add_le16(b, id);
    ntlm_buf_add_le16(b, 8);
    ntlm_buf_add_le64(b, v);
}

/*
 * AV_PAIR list as written (MS-NLMP 2.2.2.1), each pair being AvId (2), AvLen (2), Value:
 *
 *   pair                    value
 *   ----------------------  ----------------------------------------------
 *   MsvAvNbDomainName       UTF-16LE  (each string pair only when non-NULL)
 *   MsvAvNbComputerName     UTF-16LE
 *   MsvAvDnsDomainName      UTF-16LE
 *   MsvAvDnsComputerName    UTF-16LE
 *   MsvAvDnsTreeName        UTF-16LE
 *   MsvAvTargetName         UTF-16LE
 *   MsvAvFlags              4, little endian (when has_flags)
 *   MsvAvTimestamp          8, FILETIME      (when has_timestamp)
 *   MsvAvChannelBindings    16               (when has_channel_bindings)
 *   MsvAvEOL                empty
 *
 * The string pairs follow Windows' order, the one of the MS-NLMP 4.2.4 example.
 */
uint32_t
ntlm_av_encode(const struct ntlm_av_info *in, struct ntlm_buf *out)
{
    const struct {
        uint16_t id;
        const char *value;
    } strings[] = {
        {NTLM_AV_NB_DOMAIN, in->nb_domain},   {NTLM_AV_NB_COMPUTER, in->nb_computer},
        {NTLM_AV_DNS_DOMAIN, in->dns_domain}, {NTLM_AV_DNS_COMPUTER, in->dns_computer},
        {NTLM_AV_DNS_TREE, in->dns_tree},     {NTLM_AV_TARGET_NAME, in->target_name},
    };
    struct ntlm_buf list = NTLM_BUF_INIT;
    size_t i;
    uint32_t ret = 0;

    for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        ret = av_put_string(&list, strings[i].id, strings[i].value);
        if (ret)
            goto done;
    }
    if (in->has_flags)
        av_put_le32(&list, NTLM_AV_FLAGS, in->av_flags);
    if (in->has_timestamp)
        av_put_le64(&list, NTLM_AV_TIMESTAMP, in->timestamp);
    if (in->has_channel_bindings)
        av_put(&list, NTLM_AV_CHANNEL_BINDINGS, in->channel_bindings, sizeof(in->channel_bindings));
    av_put(&list, NTLM_AV_EOL, NULL, 0);
    ret = ntlm_buf_append(out, &list, SIZE_MAX);

done:
    ntlm_buf_free(&list);
    return ret;
}

void
ntlm_av_free(struct ntlm_av_info *av)
{
    if (av == NULL)
        return;
    free(av->nb_computer);
    free(av->nb_domain);
    free(av->dns_computer);
    free(av->dns_domain);
    free(av->dns_tree);
    free(av->target_name);
    memset(av, 0, sizeof(*av));
}

/*
 * The client's AV_PAIR list (MS-NLMP 3.1.5.1.2), each pair AvId (2), AvLen (2), Value:
 *
 *   pair                    value
 *   ----------------------  ----------------------------------------------------------
 *   (server's pairs)        copied in order, except Flags, ChannelBindings, TargetName
 *   MsvAvFlags              server's flags | av_flags (when either is there)
 *   MsvAvChannelBindings    cb_hash, 16 bytes (when cb_hash is not NULL)
 *   MsvAvTargetName         target_name in UTF-16LE (when not NULL)
 *   MsvAvEOL                empty
 */
uint32_t
ntlm_av_rewrite_for_client(const uint8_t *server_av, size_t server_av_len,
                           const struct ntlm_av_info *server, uint32_t av_flags,
                           const uint8_t *cb_hash, const char *target_name, struct ntlm_buf *out)
{
    struct ntlm_buf list = NTLM_BUF_INIT;
    struct ntlm_reader r;
    struct av_pair p;
    uint32_t ret = 0;

    /* A CHALLENGE without target info gives an empty server list, not a malformed one. */
    if (server_av_len > 0) {
        ntlm_reader_init(&r, server_av, server_av_len);
        for (ret = av_next(&r, &p); ret == 0 && p.id != NTLM_AV_EOL; ret = av_next(&r, &p)) {
            if (p.id != NTLM_AV_FLAGS && p.id != NTLM_AV_CHANNEL_BINDINGS &&
                p.id != NTLM_AV_TARGET_NAME)
                av_put(&list, p.id, p.value, p.len);
        }
        if (ret)
            goto done;
    }
    if (server->has_flags || av_flags != 0)
        av_put_le32(&list, NTLM_AV_FLAGS, server->av_flags | av_flags);
    if (cb_hash != NULL)
        av_put(&list, NTLM_AV_CHANNEL_BINDINGS, cb_hash, 16);
    ret = av_put_string(&list, NTLM_AV_TARGET_NAME, target_name);
    if (ret)
        goto done;
    av_put(&list, NTLM_AV_EOL, NULL, 0);
    ret = ntlm_buf_append(out, &list, SIZE_MAX);

done:
    ntlm_buf_free(&list);
    return ret;
}

/* ---- NTLMv2 client blob ---- */

/*
 * NTLMv2 NT response as read (MS-NLMP 2.2.2.8 and 2.2.2.7):
 *
 *   offset  size  field
 *   ------  ----  ------------------------------------------
 *        0    16  NTProofStr                          proof
 *       16     1  RespType = 1                        required
 *       17     1  HiRespType = 1                      required
 *       18     6  Reserved1, Reserved2                ignored
 *       24     8  TimeStamp (FILETIME)                timestamp
 *       32     8  ChallengeFromClient                 client_challenge
 *       40     4  Reserved3                           ignored
 *       44     -  AvPairs, up to EOL                  av (decoded, as ntlm_av_decode)
 *        -     -  anything after EOL                  allowed (clients pad with zeros)
 */
uint32_t
ntlm_v2_blob_parse(const uint8_t *nt_response, size_t len, struct ntlm_v2_blob *out)
{
    struct ntlm_v2_blob m = {0};
    struct ntlm_reader r;
    size_t av_start;
    uint8_t resp_type, hi_resp_type;
    uint32_t ret = 0;

    if (len < V2_PROOF_LEN + V2_BLOB_HEADER_LEN) {
        ret = NTLM_ERR_NT_RESPONSE_SHORT;
        goto done;
    }
    ntlm_reader_init(&r, nt_response, len);
    ntlm_read_copy(&r, m.proof, sizeof(m.proof));
    resp_type = ntlm_read_u8(&r);
    hi_resp_type = ntlm_read_u8(&r);
    (void)ntlm_read_bytes(&r, 6); /* Reserved1, Reserved2 */
    m.timestamp = ntlm_read_le64(&r);
    ntlm_read_copy(&r, m.client_challenge, sizeof(m.client_challenge));
    (void)ntlm_read_bytes(&r, 4); /* Reserved3 */
    /* Long enough but not an NTLMv2 blob: the structure, not the length, is wrong. */
    if (resp_type != 1 || hi_resp_type != 1) {
        ret = NTLM_ERR_AV_MALFORMED;
        goto done;
    }
    av_start = r.pos;
    ret = av_list_read(&r, &m.av);
    if (ret)
        goto done;
    m.blob = nt_response + V2_PROOF_LEN;
    m.blob_len = len - V2_PROOF_LEN;
    m.av_pairs = nt_response + av_start;
    m.av_pairs_len = r.pos - av_start;

done:
    if (ret) {
        ntlm_v2_blob_free(&m);
        memset(out, 0, sizeof(*out));
    } else {
        *out = m;
    }
    return ret;
}

void
ntlm_v2_blob_free(struct ntlm_v2_blob *b)
{
    if (b == NULL)
        return;
    ntlm_av_free(&b->av);
    explicit_bzero(b, sizeof(*b));
}

/*
 * NTLMv2_CLIENT_CHALLENGE as written (MS-NLMP 2.2.2.7):
 *
 *   offset  size  field
 *   ------  ----  ------------------------------------------
 *        0     1  RespType = 1
 *        1     1  HiRespType = 1
 *        2     6  Reserved1, Reserved2 (zeros)
 *        8     8  TimeStamp (FILETIME)
 *       16     8  ChallengeFromClient
 *       24     4  Reserved3 (zeros)
 *       28     -  AvPairs (av, as given)
 *        -     4  zeros, as Windows clients end the blob
 */
uint32_t
ntlm_v2_blob_encode(uint64_t timestamp, const uint8_t client_challenge[8], const uint8_t *av,
                    size_t av_len, struct ntlm_buf *out)
{
    struct ntlm_buf blob = NTLM_BUF_INIT;
    uint32_t ret;

    ntlm_buf_add_u8(&blob, 1);
    ntlm_buf_add_u8(&blob, 1);
    ntlm_buf_add_zeros(&blob, 6);
    ntlm_buf_add_le64(&blob, timestamp);
    ntlm_buf_add(&blob, client_challenge, 8);
    ntlm_buf_add_zeros(&blob, 4);
    ntlm_buf_add(&blob, av, av_len);
    ntlm_buf_add_zeros(&blob, 4);
    ret = ntlm_buf_append(out, &blob, SIZE_MAX);
    ntlm_buf_free(&blob);
    return ret;
}
