/*
 * A minimal NTLMv2 client over the core's codec and crypto, for the AUTHENTICATE messages our
 * initiator never sends: without a MIC, with a chosen timestamp or channel-binding hash, a
 * NULL session, a message cut short. The GSS policy suite feeds them to the acceptor.
 */
#ifndef NTLM_CRAFT_H
#define NTLM_CRAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntlm_buf.h"

/* The workstation every crafted AUTHENTICATE names. */
#define CRAFT_WORKSTATION "CRAFTWS"

/* What the crafted AUTHENTICATE says; zeroed means a plain NTLMv2 logon as alice, no MIC. */
struct craft {
    const char *user, *domain, *password; /* defaults: alice, TESTDOM, her password */
    bool with_mic;                        /* announce a MIC in MsvAvFlags and send it */
    bool corrupt_mic;                     /* ... a wrong one */
    long time_offset;                     /* seconds from now for the blob timestamp */
    const uint8_t *cb_hash;               /* MsvAvChannelBindings, or none */
    bool ntlmv1;                          /* an NTLMv1 response (with ESS): no AV pairs */
    bool anonymous;                       /* NULL session: no user, no NT response */
    size_t anonymous_lm_len;              /* its LM response: 0, 1 (a zero byte) or more */
    bool truncated;                       /* cut the message short */
    const char *target;                   /* MsvAvTargetName: default HTTP/testhost.example */
    bool no_target;                       /* ... or none at all */
    uint32_t av_flags;                    /* MsvAvFlags bits besides the MIC's (untrusted SPN) */
    uint32_t negotiate_drop;              /* flags withheld from the NEGOTIATE */
    uint32_t authenticate_drop;           /* flags withdrawn in the AUTHENTICATE */
};

/* The target name crafted responses carry unless told otherwise: the test acceptor's. */
#define CRAFT_TARGET "HTTP/testhost.example"

/* The NEGOTIATE to open with: Unicode, NTLM, ESS, signing, sealing, key exchange. */
uint32_t craft_negotiate(struct ntlm_buf *out);
/* The same without the flags in drop (as a man in the middle may strip them). */
uint32_t craft_negotiate_without(uint32_t drop, struct ntlm_buf *out);
/* The AUTHENTICATE answering challenge (the acceptor's reply to negotiate), as c says. */
uint32_t craft_authenticate(const struct craft *c, const struct ntlm_buf *negotiate,
                            const uint8_t *challenge, size_t challenge_len, struct ntlm_buf *out);

#endif
