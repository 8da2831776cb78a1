/*
 * Encode and decode of the three NTLMSSP messages (MS-NLMP 2.2.1) through the one
 * bounds-checked reader. Decoded strings are validated, malloc'd UTF-8. AV pairs and the
 * NTLMv2 blob are in ntlm_av.h.
 */
#ifndef NTLM_MESSAGE_H
#define NTLM_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntlm_av.h"
#include "ntlm_buf.h"

/* NEGOTIATE flags (MS-NLMP 2.2.2.5) */
#define NTLMSSP_NEGOTIATE_UNICODE 0x00000001u
#define NTLMSSP_NEGOTIATE_OEM 0x00000002u
#define NTLMSSP_REQUEST_TARGET 0x00000004u
#define NTLMSSP_NEGOTIATE_SIGN 0x00000010u
#define NTLMSSP_NEGOTIATE_SEAL 0x00000020u
#define NTLMSSP_NEGOTIATE_DATAGRAM 0x00000040u
#define NTLMSSP_NEGOTIATE_LM_KEY 0x00000080u
#define NTLMSSP_NEGOTIATE_NTLM 0x00000200u
#define NTLMSSP_ANONYMOUS 0x00000800u
#define NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED 0x00001000u
#define NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED 0x00002000u
#define NTLMSSP_NEGOTIATE_ALWAYS_SIGN 0x00008000u
#define NTLMSSP_TARGET_TYPE_DOMAIN 0x00010000u
#define NTLMSSP_TARGET_TYPE_SERVER 0x00020000u
#define NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u
#define NTLMSSP_NEGOTIATE_IDENTIFY 0x00100000u
#define NTLMSSP_REQUEST_NON_NT_SESSION_KEY 0x00400000u
#define NTLMSSP_NEGOTIATE_TARGET_INFO 0x00800000u
#define NTLMSSP_NEGOTIATE_VERSION 0x02000000u
#define NTLMSSP_NEGOTIATE_128 0x20000000u
#define NTLMSSP_NEGOTIATE_KEY_EXCH 0x40000000u
#define NTLMSSP_NEGOTIATE_56 0x80000000u

/* MessageType of the three messages (ntlm_message_type). */
#define NTLM_NEGOTIATE_TYPE 1u
#define NTLM_CHALLENGE_TYPE 2u
#define NTLM_AUTHENTICATE_TYPE 3u

/* Largest token any decoder accepts; bigger input is NTLM_ERR_TOKEN_TOO_LARGE. */
#define NTLM_MAX_TOKEN 65536

struct ntlm_version {
    uint8_t major;
    uint8_t minor;
    uint16_t build;
    uint8_t revision; /* NTLMSSP_REVISION_W2K3 = 15 */
};

/*
 * Decoded messages (the *_decode outputs) own everything they point to and are released with
 * their *_free. Encoders read a separate *_fields struct whose pointers are borrowed from the
 * caller and never freed by the codec; *_fields_of gives the fields of a decoded message (for
 * re-encoding), borrowing from it.
 */

struct ntlm_negotiate {
    uint32_t flags;
    char *domain;      /* OEM, as sent; NULL when absent or ignored */
    char *workstation; /* likewise */
    bool has_version;
    struct ntlm_version version;
    /* Why domain, workstation and version were ignored (an NTLM_ERR_* code), 0 if they were
     * taken; see ntlm_negotiate_decode. */
    uint32_t ignored;
};

struct ntlm_negotiate_fields {
    uint32_t flags;
    const char *domain; /* NULL or "": no field */
    const char *workstation;
    bool has_version;
    struct ntlm_version version;
};

struct ntlm_challenge {
    uint32_t flags;
    char *target_name; /* NULL when absent */
    uint8_t server_challenge[8];
    uint8_t *target_info; /* raw AV_PAIR bytes, NULL when absent */
    size_t target_info_len;
    struct ntlm_av_info av; /* target_info decoded (all zero when absent) */
    bool has_version;
    struct ntlm_version version;
};

struct ntlm_challenge_fields {
    uint32_t flags;
    const char *target_name; /* NULL or "": no field */
    uint8_t server_challenge[8];
    const uint8_t *target_info; /* an encoded AV_PAIR list */
    size_t target_info_len;
    bool has_version;
    struct ntlm_version version;
};

/*
 * A decoded AUTHENTICATE owns one copy of the message (`msg`), in which its MIC field (when the
 * header has room for one) is zeroed: `msg` is then the MIC input of MS-NLMP 3.1.5.1.2 as is,
 * and the received MIC is in `mic`. The responses and session key point into `msg`.
 */
struct ntlm_authenticate {
    uint32_t flags;
    const uint8_t *lm_response;
    size_t lm_response_len;
    const uint8_t *nt_response;
    size_t nt_response_len;
    char *domain; /* "" when the field is empty */
    char *user;   /* "" when the field is empty */
    char *workstation;
    const uint8_t *session_key; /* EncryptedRandomSessionKey, NULL when empty */
    size_t session_key_len;
    bool has_version;
    struct ntlm_version version;
    /* Whether the fixed header leaves room for a MIC (the payload starts at or after its
     * end); the bytes received are in `mic`, zeroed in `msg` at mic_offset. */
    bool has_mic_space;
    uint8_t mic[16];
    size_t mic_offset;
    /* NT responses longer than 24 bytes (NTLMv2) are parsed with their AV pairs. */
    bool has_v2;
    struct ntlm_v2_blob v2;
    uint8_t *msg;
    size_t msg_len;
};

struct ntlm_authenticate_fields {
    uint32_t flags;
    const uint8_t *lm_response;
    size_t lm_response_len;
    const uint8_t *nt_response;
    size_t nt_response_len;
    const char *domain; /* NULL or "": empty field */
    const char *user;
    const char *workstation;
    const uint8_t *session_key;
    size_t session_key_len;
    bool has_version;
    struct ntlm_version version;
};

/* The message type of a token (1, 2, 3) after checking the signature, or an error. */
uint32_t ntlm_message_type(const uint8_t *msg, size_t len, uint32_t *type);

uint32_t ntlm_negotiate_decode(const uint8_t *msg, size_t len, struct ntlm_negotiate *out);
uint32_t ntlm_negotiate_encode(const struct ntlm_negotiate_fields *in, struct ntlm_buf *out);
struct ntlm_negotiate_fields ntlm_negotiate_fields_of(const struct ntlm_negotiate *m);
void ntlm_negotiate_free(struct ntlm_negotiate *m);

/* The target info is decoded once (into `av`) and kept raw for the client's blob. */
uint32_t ntlm_challenge_decode(const uint8_t *msg, size_t len, struct ntlm_challenge *out);
/* Strings are encoded as UTF-16LE when in->flags has UNICODE, else OEM. */
uint32_t ntlm_challenge_encode(const struct ntlm_challenge_fields *in, struct ntlm_buf *out);
struct ntlm_challenge_fields ntlm_challenge_fields_of(const struct ntlm_challenge *m);
void ntlm_challenge_free(struct ntlm_challenge *m);

/*
 * Payload offsets come from the fields, not from the VERSION flag: a VERSION flag without a
 * version structure (Linux cifs) is accepted.
 */
uint32_t ntlm_authenticate_decode(const uint8_t *msg, size_t len, struct ntlm_authenticate *out);
/*
 * Always writes the version; when with_mic, reserves 16 zero bytes for the MIC: the message
 * appended to out is then the MIC input, and *mic_offset (may be NULL without with_mic) says
 * where in out the MIC goes once computed.
 */
uint32_t ntlm_authenticate_encode(const struct ntlm_authenticate_fields *in, bool with_mic,
                                  struct ntlm_buf *out, size_t *mic_offset);
struct ntlm_authenticate_fields ntlm_authenticate_fields_of(const struct ntlm_authenticate *m);
void ntlm_authenticate_free(struct ntlm_authenticate *m);

#endif
