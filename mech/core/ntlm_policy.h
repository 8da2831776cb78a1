/*
 * The acceptor's policy decisions that need no GSS types: the client timestamp window, the
 * cache of recently accepted NTProofStr values (one per environment), what the mic and
 * channel_bindings settings make of an AUTHENTICATE message, and the minimum session security
 * (both roles).
 */
#ifndef NTLM_POLICY_H
#define NTLM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ntlm_config.h"

/* Entries in an environment's replay cache; when full, the oldest makes room. */
#define NTLM_REPLAY_CACHE_SIZE 4096

/* What became of the MIC (for the audit line). */
enum ntlm_mic_status {
    NTLM_MIC_NOT_CHECKED = 0, /* the attempt failed before, or the response has no AV pairs */
    NTLM_MIC_VERIFIED,
    NTLM_MIC_ABSENT,           /* not announced, and the policy let that pass */
    NTLM_MIC_REQUIRED_MISSING, /* not announced under mic = always */
    NTLM_MIC_MISMATCH,
};

/* What became of the channel bindings (for the audit line). */
enum ntlm_cb_status {
    NTLM_CB_NOT_CHECKED = 0, /* failed before, channel_bindings = never, or the acceptor had none */
    NTLM_CB_MATCHED,
    NTLM_CB_ABSENT, /* the client sent none (or all zeros) */
    NTLM_CB_MISMATCH,
};

/*
 * NTLM_ERR_TIMESTAMP_SKEW when the client's FILETIME is more than window seconds away from
 * now (either way); window 0 accepts any timestamp.
 */
uint32_t ntlm_policy_timestamp(uint64_t client_filetime, uint64_t now_filetime, unsigned window);

/*
 * The MIC of an NTLMv2 response whose MsvAvFlags do or do not announce one. *verify says
 * whether the caller must now check it; when not, *status is ABSENT, or REQUIRED_MISSING
 * along with NTLM_ERR_MIC_MISSING under mic = always.
 */
uint32_t ntlm_policy_mic(enum ntlm_mic_policy policy, bool announced, bool *verify,
                         enum ntlm_mic_status *status);

/*
 * Channel bindings. expected: the hash of the acceptor's bindings, NULL when the application
 * gave none; client: the client's MsvAvChannelBindings, NULL when absent or all zeros.
 * Errors: NTLM_ERR_CB_MISMATCH (hashes differ, unless the policy is never), NTLM_ERR_CB_MISSING
 * (always, and either side has none). *status is set in every case.
 */
uint32_t ntlm_policy_bindings(enum ntlm_cb_policy policy, const uint8_t *expected,
                              const uint8_t *client, enum ntlm_cb_status *status);

/*
 * NTLM_ERR_SESSION_SECURITY_WEAK when flags (NTLMSSP flags a step would negotiate) grant
 * signing or sealing without every NTLM_MINSEC_* bit of required; 0 otherwise, and always
 * when neither is granted (there is no key to weaken).
 */
uint32_t ntlm_policy_session_security(uint32_t required, uint32_t flags);

/* A bounded table of recently accepted NTProofStr values behind its own mutex. */
struct ntlm_replay_cache;

/* A cache of capacity entries (at least 1): each environment has one of
 * NTLM_REPLAY_CACHE_SIZE. */
uint32_t ntlm_replay_cache_new(size_t capacity, struct ntlm_replay_cache **out);
void ntlm_replay_cache_free(struct ntlm_replay_cache *cache);
/*
 * NTLM_ERR_REPLAYED_RESPONSE when proof is held and has not expired at now; otherwise
 * records it until expires, evicting the oldest entry when the table is full.
 */
uint32_t ntlm_replay_cache_check(struct ntlm_replay_cache *cache, const uint8_t proof[16],
                                 time_t now, time_t expires);
/* Entries held, expired or not (tests). */
size_t ntlm_replay_cache_count(struct ntlm_replay_cache *cache);

/*
 * The freshness of an NTLMv2 response whose proof has been verified: its timestamp must be
 * within window seconds of now (NTLM_ERR_TIMESTAMP_SKEW), and its NTProofStr must not have
 * been accepted while that timestamp is still acceptable (NTLM_ERR_REPLAYED_RESPONSE); the
 * proof is then remembered for exactly that long. Window 0 checks nothing.
 */
uint32_t ntlm_policy_fresh_response(struct ntlm_replay_cache *cache, const uint8_t proof[16],
                                    uint64_t client_filetime, time_t now, unsigned window);

#endif
