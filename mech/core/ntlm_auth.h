/*
 * MS-NLMP authentication math: one-way functions, NTLMv2 (and, when policy allows, NTLMv1/LM)
 * responses, key exchange, MIC and the channel-binding hash. No wire format, no GSS types.
 */
#ifndef NTLM_AUTH_H
#define NTLM_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntlm_crypto.h"

/* NTOWFv1: MD4(UTF-16LE(password)). */
uint32_t ntlm_nt_hash(const char *password, uint8_t out[16]);
/* LMOWFv1: DES of "KGS!@#$%" under the upper-cased OEM password, padded/truncated to 14. */
uint32_t ntlm_lm_hash(const char *password, uint8_t out[16]);
/* NTOWFv2: HMAC_MD5(nt_hash, UTF-16LE(Upper(user) || domain)). user/domain are UTF-8. */
uint32_t ntlm_ntowfv2(const uint8_t nt_hash[16], const char *user, const char *domain,
                      uint8_t out[16]);

/* NTProofStr = HMAC_MD5(ntowfv2, server_challenge || blob); blob is the NTLMv2 client blob. */
uint32_t ntlm_v2_nt_proof(const uint8_t ntowfv2[16], const uint8_t server_challenge[8],
                          const uint8_t *blob, size_t blob_len, uint8_t proof[16]);
/* LMv2 = HMAC_MD5(ntowfv2, server_challenge || client_challenge) || client_challenge. */
uint32_t ntlm_v2_lm_response(const uint8_t ntowfv2[16], const uint8_t server_challenge[8],
                             const uint8_t client_challenge[8], uint8_t out[24]);
/* SessionBaseKey (v2) = HMAC_MD5(ntowfv2, NTProofStr); it is also the v2 KeyExchangeKey. */
uint32_t ntlm_v2_session_base_key(const uint8_t ntowfv2[16], const uint8_t proof[16],
                                  uint8_t out[16]);

/*
 * NTProofStr and, from it, the session base key, under one keying of HMAC with ntowfv2 (the two
 * values above in one step, as both sides need both).
 */
uint32_t ntlm_v2_proof_and_base_key(const uint8_t ntowfv2[16], const uint8_t server_challenge[8],
                                    const uint8_t *blob, size_t blob_len, uint8_t proof[16],
                                    uint8_t base_key[16]);

/* DESL(K, D): three DES blocks under the 16-byte key padded to 21 (NTLMv1 and LMv1). */
uint32_t ntlm_desl(const uint8_t key[16], const uint8_t challenge[8], uint8_t out[24]);
/* The 8-byte challenge NTLMv1 with extended session security signs:
 * MD5(server_challenge || client_challenge)[0..7]. */
uint32_t ntlm_v1_ess_challenge(const uint8_t server_challenge[8], const uint8_t client_challenge[8],
                               uint8_t out[8]);
/* SessionBaseKey (v1) = MD4(nt_hash). */
uint32_t ntlm_v1_session_base_key(const uint8_t nt_hash[16], uint8_t out[16]);
/* KXKEY for NTLMv1 (MS-NLMP 3.4.5.1), for the negotiated flags. */
uint32_t ntlm_v1_kxkey(uint32_t flags, const uint8_t session_base_key[16],
                       const uint8_t lm_response[24], const uint8_t lm_hash[16],
                       const uint8_t server_challenge[8], uint8_t out[16]);

/* MIC = HMAC_MD5(exported_session_key, NEGOTIATE || CHALLENGE || AUTHENTICATE-with-zero-MIC) */
uint32_t ntlm_mic(const uint8_t exported_session_key[16], const struct ntlm_iov messages[3],
                  uint8_t out[16]);

/*
 * MsvAvChannelBindings: MD5 over LE32 initiator type, LE32 length, initiator address,
 * LE32 acceptor type, LE32 length, acceptor address, LE32 length, application data
 * (the GSS channel-bindings layout of RFC 4121 4.1.1.2).
 */
uint32_t ntlm_channel_bindings_hash(uint32_t initiator_type, const void *initiator,
                                    size_t initiator_len, uint32_t acceptor_type,
                                    const void *acceptor, size_t acceptor_len,
                                    const void *application, size_t application_len,
                                    uint8_t out[16]);

#endif
