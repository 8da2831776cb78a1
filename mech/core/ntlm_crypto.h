/*
 * The one file that talks to the crypto library (OpenSSL 3). MD4 and DES come from a private
 * library context with the legacy provider; algorithms are fetched once per process. RC4 is
 * computed here (see struct ntlm_rc4).
 * Every function returns 0 or NTLM_ERR_CRYPTO (NTLM_ERR_NOMEM where allocation failed).
 */
#ifndef NTLM_CRYPTO_H
#define NTLM_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

struct ntlm_iov {
    const void *data;
    size_t len;
};

/* Loads providers and fetches the algorithms (idempotent, thread-safe). */
uint32_t ntlm_crypto_init(void);

uint32_t ntlm_md4(const void *data, size_t len, uint8_t out[16]);
uint32_t ntlm_md5(const struct ntlm_iov *iov, size_t n, uint8_t out[16]);
uint32_t ntlm_hmac_md5(const uint8_t *key, size_t key_len, const struct ntlm_iov *iov, size_t n,
                       uint8_t out[16]);
/*
 * HMAC-MD5 keyed once: the MD5 states after the inner and outer pads, so that each message
 * costs only its own bytes and no allocation. Holds key material: wipe it with ntlm_wipe.
 */
struct ntlm_hmac_md5_key {
    uint64_t inner[12];
    uint64_t outer[12];
};
uint32_t ntlm_hmac_md5_key(const uint8_t *key, size_t key_len, struct ntlm_hmac_md5_key *k);
uint32_t ntlm_hmac_md5_keyed(const struct ntlm_hmac_md5_key *k, const struct ntlm_iov *iov,
                             size_t n, uint8_t out[16]);
uint32_t ntlm_random(void *out, size_t len);

/* CRC-32 (ISO 3309, as zlib computes it), for NTLMv1 signatures without ESS. */
uint32_t ntlm_crc32(const struct ntlm_iov *iov, size_t n);

/* DES-ECB of one block with a 7-byte key expanded to 8 with parity (MS-NLMP DES(K, D)). */
uint32_t ntlm_des7(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8]);

/*
 * RC4 stream state: the permutation S and the two indices, held as they are so that a stream can
 * be saved (struct copy), rewound and exported in constant time. Ours rather than OpenSSL's:
 * EVP hides the state, and the low-level RC4_KEY is deprecated and laid out per CPU by assembly.
 * Holds key material: wipe copies with ntlm_wipe.
 */
struct ntlm_rc4 {
    uint8_t s[256];
    uint8_t i;
    uint8_t j;
};
/* An exported state: i, j, then S[0..255]. */
#define NTLM_RC4_STATE_SIZE 258
uint32_t ntlm_rc4_new(const uint8_t *key, size_t key_len, struct ntlm_rc4 **out);
/* in and out may be the same buffer */
uint32_t ntlm_rc4_update(struct ntlm_rc4 *rc4, const uint8_t *in, uint8_t *out, size_t len);
/* Discards len keystream bytes (costs as much as encrypting them). */
void ntlm_rc4_skip(struct ntlm_rc4 *rc4, uint64_t len);
void ntlm_rc4_export(const struct ntlm_rc4 *rc4, uint8_t out[NTLM_RC4_STATE_SIZE]);
/* A state from ntlm_rc4_export; NTLM_ERR_INVALID_ARG unless S is a permutation of 0..255. */
uint32_t ntlm_rc4_import(const uint8_t in[NTLM_RC4_STATE_SIZE], struct ntlm_rc4 **out);
/* Wipes and frees; NULL is fine. */
void ntlm_rc4_free(struct ntlm_rc4 *rc4);
/* One-shot RC4 (MS-NLMP RC4K). */
uint32_t ntlm_rc4k(const uint8_t *key, size_t key_len, const uint8_t *in, uint8_t *out, size_t len);

/* Constant-time equality (1 when equal). */
int ntlm_ct_equal(const void *a, const void *b, size_t len);
/* Wipe that the compiler cannot drop. */
void ntlm_wipe(void *p, size_t len);

#endif
