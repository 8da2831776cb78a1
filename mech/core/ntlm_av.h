/*
 * AV_PAIR lists (MS-NLMP 2.2.2.1) and the NTLMv2 client blob (2.2.2.7): decode through the
 * bounds-checked reader, encode, and the initiator's rewrite of the server's list.
 */
#ifndef NTLM_AV_H
#define NTLM_AV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntlm_buf.h"

/* AV_PAIR ids (MS-NLMP 2.2.2.1) */
enum ntlm_av_id {
    NTLM_AV_EOL = 0,
    NTLM_AV_NB_COMPUTER = 1,
    NTLM_AV_NB_DOMAIN = 2,
    NTLM_AV_DNS_COMPUTER = 3,
    NTLM_AV_DNS_DOMAIN = 4,
    NTLM_AV_DNS_TREE = 5,
    NTLM_AV_FLAGS = 6,
    NTLM_AV_TIMESTAMP = 7,
    NTLM_AV_SINGLE_HOST = 8,
    NTLM_AV_TARGET_NAME = 9,
    NTLM_AV_CHANNEL_BINDINGS = 10,
};

/* MsvAvFlags bits */
#define NTLM_AVF_CONSTRAINED 0x1u
#define NTLM_AVF_MIC_PRESENT 0x2u
#define NTLM_AVF_UNTRUSTED_SPN 0x4u

/* Parsed AV_PAIR list (from CHALLENGE target info or the client's NTLMv2 blob). */
struct ntlm_av_info {
    char *nb_computer;
    char *nb_domain;
    char *dns_computer;
    char *dns_domain;
    char *dns_tree;
    char *target_name;
    bool has_flags;
    uint32_t av_flags;
    bool has_timestamp;
    uint64_t timestamp; /* FILETIME */
    bool has_channel_bindings;
    uint8_t channel_bindings[16];
};

/*
 * An NTLMv2 NT response (MS-NLMP 2.2.2.8) parsed once: NTProofStr, the client blob
 * (NTLMv2_CLIENT_CHALLENGE) it covers, the blob's fields and its AV pairs decoded. The
 * pointers borrow the response's bytes; `av` is owned (ntlm_v2_blob_free).
 */
struct ntlm_v2_blob {
    uint8_t proof[16];   /* NTProofStr, the first 16 bytes of the NT response */
    const uint8_t *blob; /* the rest of the NT response */
    size_t blob_len;
    uint64_t timestamp;
    uint8_t client_challenge[8];
    const uint8_t *av_pairs; /* the blob's AV_PAIR list, up to and including EOL */
    size_t av_pairs_len;
    struct ntlm_av_info av; /* av_pairs decoded */
};

uint32_t ntlm_av_decode(const uint8_t *av, size_t len, struct ntlm_av_info *out);
/* Encodes the string pairs present, then flags, timestamp, channel bindings, EOL. */
uint32_t ntlm_av_encode(const struct ntlm_av_info *in, struct ntlm_buf *out);
void ntlm_av_free(struct ntlm_av_info *av);

/*
 * The initiator's target info for its NTLMv2 blob: every pair of the server's list except
 * Flags, ChannelBindings, TargetName and EOL, copied as is, then MsvAvFlags (when av_flags is
 * non-zero or the server sent flags: the server's bits ORed with av_flags), the channel-
 * bindings hash (when cb_hash is not NULL), MsvAvTargetName (when target_name is not NULL),
 * and EOL. server is server_av as ntlm_av_decode decoded it (the CHALLENGE decoder keeps both),
 * so the list is not decoded twice; server_av is still walked through the reader.
 */
uint32_t ntlm_av_rewrite_for_client(const uint8_t *server_av, size_t server_av_len,
                                    const struct ntlm_av_info *server, uint32_t av_flags,
                                    const uint8_t *cb_hash, const char *target_name,
                                    struct ntlm_buf *out);

/* Splits an NTLMv2 NT response and decodes its AV pairs in the same pass; responses shorter
 * than 16 + 28 bytes are NT_RESPONSE_SHORT. On failure *out is zeroed and owns nothing. */
uint32_t ntlm_v2_blob_parse(const uint8_t *nt_response, size_t len, struct ntlm_v2_blob *out);
void ntlm_v2_blob_free(struct ntlm_v2_blob *b);
/* Builds the NTLMv2 client blob: 0x01 0x01 0(6) timestamp client_challenge 0(4) av 0(4). */
uint32_t ntlm_v2_blob_encode(uint64_t timestamp, const uint8_t client_challenge[8],
                             const uint8_t *av, size_t av_len, struct ntlm_buf *out);

#endif
