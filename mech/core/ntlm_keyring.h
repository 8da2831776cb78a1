/*
 * A bounded set of short keys with expiry times, shared by threads: the replay cache
 * (NTProofStr values, ntlm_policy.c) and the table of server challenges this process's
 * initiators answered (ntlm_binding.c). Both ask it on every logon, so a lookup must cost the
 * same whatever the size: a ring in insertion order (when full, the oldest entry goes) indexed
 * by a chained hash, under a mutex held for a few dozen instructions.
 *
 * A large set is cut into NTLM_KEYRING_PARTS such rings, each with its own lock and lines,
 * and a key belongs to the part its keyed hash names: threads that add or take at once then
 * rarely meet on a lock or a line (bench_scale: two threads got 0.89 of two processes with one
 * ring, 0.94 with none). A part forgets its own oldest key when full, so each gets room for
 * twice its share: the last n keys all stay unless n keys put more than twice n / PARTS in one
 * part, which for keys spread by a hash a peer cannot aim has odds below 2^-150 (the binomial
 * tail for n = 4096).
 *
 * Keys are public on the wire, so nothing here is secret or constant-time. Some are chosen by
 * a peer (a server picks the challenge our initiator answers; a client grinds NTProofStr
 * values), so the hash is keyed with a per-ring random seed: a peer cannot aim its keys at one
 * part or chain, and if it could, it would get back at worst the scan of every entry of one
 * part, or push a part's keys out as fast as a flood of any keys pushes out a whole ring.
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

/* Fewer keys than this make one ring that holds exactly the last n; from this many on, the
 * ring is in NTLM_KEYRING_PARTS parts. */
#define NTLM_KEYRING_PARTED_MIN 4096
#define NTLM_KEYRING_PARTS 16

/* A ring that holds the last n keys of key_len bytes each (see above for n of
 * NTLM_KEYRING_PARTED_MIN or more). NTLM_ERR_INVALID_ARG, NTLM_ERR_NOMEM, NTLM_ERR_CRYPTO (no
 * random seed). */
uint32_t ntlm_keyring_new(size_t n, size_t key_len, struct ntlm_keyring **out);
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

/* The number of parts, and the part key belongs to (for tests). */
size_t ntlm_keyring_parts(const struct ntlm_keyring *ring);
size_t ntlm_keyring_part_of(const struct ntlm_keyring *ring, const uint8_t *key);

#endif
