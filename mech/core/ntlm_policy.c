/*
 * Acceptor policy: the client timestamp window, the replay cache of NTProofStr values, and the
 * mic / channel_bindings decisions. The acceptor applies them in ntlm_accept.c.
 */
#include "ntlm_policy.h"

#include <stdlib.h>
#include <string.h>

#include "ntlm_buf.h"
#include "ntlm_crypto.h"
#include "ntlm_errors.h"
#include "ntlm_keyring.h"
#include "ntlm_message.h"

_Static_assert(NTLM_MINSEC_128 == NTLMSSP_NEGOTIATE_128, "min_session_security bits are flags");
_Static_assert(NTLM_MINSEC_ESS == NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY,
               "min_session_security bits are flags");

/* FILETIME counts 100 ns ticks since 1601-01-01, 11644473600 s before the Unix epoch. */
#define FILETIME_PER_SECOND 10000000ULL
#define FILETIME_UNIX_EPOCH_SECONDS 11644473600ULL

uint32_t
ntlm_policy_timestamp(uint64_t client_filetime, uint64_t now_filetime, unsigned window)
{
    uint64_t distance;

    if (window == 0)
        return 0;
    distance = client_filetime > now_filetime ? client_filetime - now_filetime
                                              : now_filetime - client_filetime;
    return distance > (uint64_t)window * FILETIME_PER_SECOND ? NTLM_ERR_TIMESTAMP_SKEW : 0;
}

uint32_t
ntlm_policy_session_security(uint32_t required, uint32_t flags)
{
    if (!(flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL)))
        return 0;
    return (flags & required) == required ? 0 : NTLM_ERR_SESSION_SECURITY_WEAK;
}

uint32_t
ntlm_policy_mic(enum ntlm_mic_policy policy, bool announced, bool *verify,
                enum ntlm_mic_status *status)
{
    *verify = announced;
    *status = announced ? NTLM_MIC_NOT_CHECKED : NTLM_MIC_ABSENT;
    if (!announced && policy == NTLM_MIC_ALWAYS) {
        *status = NTLM_MIC_REQUIRED_MISSING;
        return NTLM_ERR_MIC_MISSING;
    }
    return 0;
}

uint32_t
ntlm_policy_bindings(enum ntlm_cb_policy policy, const uint8_t *expected, const uint8_t *client,
                     enum ntlm_cb_status *status)
{
    *status = NTLM_CB_NOT_CHECKED;
    if (policy == NTLM_CB_NEVER)
        return 0;
    if (client == NULL)
        *status = NTLM_CB_ABSENT;
    if (expected == NULL || client == NULL)
        return policy == NTLM_CB_ALWAYS ? NTLM_ERR_CB_MISSING : 0;
    if (!ntlm_ct_equal(expected, client, 16)) {
        *status = NTLM_CB_MISMATCH;
        return NTLM_ERR_CB_MISMATCH;
    }
    *status = NTLM_CB_MATCHED;
    return 0;
}

/*
 * The replay cache is a keyring of NTProofStr values (ntlm_keyring.h): a full scan of 4096
 * entries cost more than every HMAC of a logon (25,000 instructions), a chained hash does not.
 */
struct ntlm_replay_cache {
    struct ntlm_keyring *ring;
};

uint32_t
ntlm_replay_cache_new(size_t capacity, struct ntlm_replay_cache **out)
{
    struct ntlm_replay_cache *cache;
    uint32_t ret;

    if (out == NULL)
        return NTLM_ERR_INVALID_ARG;
    cache = ntlm_calloc_lines(sizeof(*cache));
    if (cache == NULL)
        return NTLM_ERR_NOMEM;
    ret = ntlm_keyring_new(capacity, 16, &cache->ring);
    if (ret) {
        free(cache);
        return ret;
    }
    *out = cache;
    return 0;
}

void
ntlm_replay_cache_free(struct ntlm_replay_cache *cache)
{
    if (cache == NULL)
        return;
    ntlm_keyring_free(cache->ring);
    free(cache);
}

uint32_t
ntlm_replay_cache_check(struct ntlm_replay_cache *cache, const uint8_t proof[16], time_t now,
                        time_t expires)
{
    return ntlm_keyring_add(cache->ring, proof, now, expires, true) ? NTLM_ERR_REPLAYED_RESPONSE
                                                                    : 0;
}

size_t
ntlm_replay_cache_count(struct ntlm_replay_cache *cache)
{
    return ntlm_keyring_count(cache->ring);
}

uint32_t
ntlm_policy_fresh_response(struct ntlm_replay_cache *cache, const uint8_t proof[16],
                           uint64_t client_filetime, time_t now, unsigned window)
{
    uint64_t now_filetime;
    time_t client_time;
    uint32_t ret;

    if (window == 0)
        return 0;
    /* A clock before 1970 (or time() failing) cannot vouch for any timestamp. */
    if (now < 0)
        return NTLM_ERR_TIMESTAMP_SKEW;
    now_filetime = ((uint64_t)now + FILETIME_UNIX_EPOCH_SECONDS) * FILETIME_PER_SECOND;
    ret = ntlm_policy_timestamp(client_filetime, now_filetime, window);
    if (ret)
        return ret;
    /* Within window of now, so this neither underflows nor leaves time_t. */
    client_time = (time_t)(client_filetime / FILETIME_PER_SECOND - FILETIME_UNIX_EPOCH_SECONDS);
    /* Later than that, the timestamp check refuses the response anyway. */
    return ntlm_replay_cache_check(cache, proof, now, client_time + (time_t)window);
}
