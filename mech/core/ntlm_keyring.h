/*
 * A bounded set of short keys with expiry times, shared by threads: the replay cache
 * (NTProofStr values, ntlm_policy.c) and the table of server challenges this process's
 * initiators answered (ntlm_binding.c). Both ask it on every logon, so a lookup must cost the
 * same whatever the size: a ring in insertion order (when full, the oldest entry goes) indexed
 * by a chained hash, under one mutex held for a few dozen instructions.
 *
 * Keys are public on the wire, so nothing here is secret or constant-time. Some are chosen by
 * a peer (a server picks the challenge our initiator answers; a client grinds NTProofStr
 * values), so the hash is keyed with a per-ring random seed: a peer cannot aim its keys at one
 * chain, and if it could, it would get back at worst the scan of every entry.
 */
#ifndef NTLM_KEYRING_H
#define NTLM_KEYRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Keys are 8 (server challenges) or 16 (NTProofStr) bytes. */
#define NTLM_KEYRING_KEY_MIN 8
#define NTLM_KEYRING_KEY_MAX 16

struct ntlm_keyring;

/* A ring of capacity entries of key_len bytes each. NTLM_ERR_INVALID_ARG, NTLM_ERR_NOMEM,
 * NTLM_ERR_CRYPTO (no random seed). */
uint32_t ntlm_keyring_new(size_t capacity, size_t key_len, struct ntlm_keyring **out);
void ntlm_keyring_free(struct ntlm_keyring *ring);

/*
 * Adds key until expires, the oldest entry going when the ring is full. With unique, a key
 * already held and not expired at now is left as it is and true is returned (the replay
 * cache's "seen"); an expired one is replaced. Without, the key is added beside any equal one
 * (each answered challenge counts once). Returns false when the key was added.
 */
bool ntlm_keyring_add(struct ntlm_keyring *ring, const uint8_t *key, time_t now, time_t expires,
                      bool unique);

/* Removes one entry equal to key: true when there was one and it had not expired at now. */
bool ntlm_keyring_take(struct ntlm_keyring *ring, const uint8_t *key, time_t now);

/* Entries held (expired ones included until they are met or pushed out). */
size_t ntlm_keyring_count(struct ntlm_keyring *ring);

#endif
