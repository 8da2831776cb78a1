/*
 * NTLMSSP signing and sealing (MS-NLMP 3.4): SIGNKEY/SEALKEY derivation, the per-direction
 * RC4 handles and sequence numbers, MAC computation. No GSS types: the GSS wrappers build on it.
 */
#ifndef NTLM_SIGN_H
#define NTLM_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntlm_crypto.h"
#include "sspigss_ntlm.h"

#define NTLM_SIGNATURE_SIZE SSPIGSS_NTLM_SIGNATURE_SIZE

struct ntlm_sign_dir {
    uint8_t sign_key[16];
    struct ntlm_hmac_md5_key mac; /* HMAC keyed with sign_key, for ESS signatures */
    uint8_t seal_key[16];
    size_t seal_key_len;
    struct ntlm_rc4 *rc4; /* owned unless `shared`; NULL until first used (with ESS) */
    bool shared;          /* without ESS, one RC4 state serves both directions */
    bool mac_keyed;       /* mac is keyed on first use, as rc4 is */
    uint32_t seq;
};

struct ntlm_sign_state {
    uint32_t flags; /* negotiated NTLMSSP flags */
    struct ntlm_sign_dir send;
    struct ntlm_sign_dir recv;
};

/* SIGNKEY (MS-NLMP 3.4.5.2): MD5(key || magic); all-zero-length output without ESS. */
uint32_t ntlm_sign_key(uint32_t flags, const uint8_t exported_session_key[16], bool client,
                       uint8_t out[16]);
/* SEALKEY (MS-NLMP 3.4.5.3): *out_len is 16, 8 or 5..16 depending on the flags. */
uint32_t ntlm_seal_key(uint32_t flags, const uint8_t exported_session_key[16], bool client,
                       uint8_t out[16], size_t *out_len);

/* Derives both directions from the exported session key; `client` is our role. */
uint32_t ntlm_sign_state_init(struct ntlm_sign_state *st, uint32_t flags,
                              const uint8_t exported_session_key[16], bool client);
/* Re-keys one direction's RC4 from its seal key, sequence number kept (MS-SPNG 3.3.5.1). */
uint32_t ntlm_sign_state_reset_rc4(struct ntlm_sign_state *st, bool recv);
/*
 * Puts rc4 (owned from now on; NULL: not started, keyed on first use) in place of one
 * direction's stream, or of the one stream both share without ESS.
 */
void ntlm_sign_state_set_stream(struct ntlm_sign_state *st, bool recv, struct ntlm_rc4 *rc4);
/* Wipes keys and frees RC4 state. Safe on a zeroed struct. */
void ntlm_sign_state_free(struct ntlm_sign_state *st);

/*
 * Computes the 16-byte signature over the concatenation of iov with sequence number seq,
 * using (and advancing) dir's RC4 stream where the flags say so (KEY_EXCH with ESS, or
 * always without ESS). Does not touch dir->seq.
 */
uint32_t ntlm_sign_mac(const struct ntlm_sign_state *st, struct ntlm_sign_dir *dir, uint32_t seq,
                       const struct ntlm_iov *iov, size_t n, uint8_t sig[NTLM_SIGNATURE_SIZE]);
/*
 * The two halves of ntlm_sign_mac, for callers that seal in place: the signature over the
 * plaintext without any RC4 step, then the RC4 step applied to it (after the data was sealed,
 * so that the stream order is data first, checksum second, as MS-NLMP requires).
 */
uint32_t ntlm_sign_checksum(const struct ntlm_sign_state *st, struct ntlm_sign_dir *dir,
                            uint32_t seq, const struct ntlm_iov *iov, size_t n,
                            uint8_t sig[NTLM_SIGNATURE_SIZE]);
uint32_t ntlm_sign_seal_signature(const struct ntlm_sign_state *st, struct ntlm_sign_dir *dir,
                                  uint8_t sig[NTLM_SIGNATURE_SIZE]);
/* RC4-transforms len bytes in place with dir's stream (seal or unseal). */
uint32_t ntlm_sign_crypt(struct ntlm_sign_dir *dir, uint8_t *data, size_t len);

#endif
