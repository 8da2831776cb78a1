/*
 * Acceptor policy: the client timestamp window, the replay cache of NTProofStr values, and the
 * mic / channel_bindings decisions. The acceptor applies them in ntlm_accept.c.
 */
#include "ntlm_policy.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_crypto.h"
#include "ntlm_errors.h"
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

struct replay_entry {
    uint8_t proof[16];
    time_t expires;
    uint32_t chain; /* the next entry of the same bucket, as index + 1; 0 ends the chain */
    bool used;
};

/*
 * A ring in insertion order, so the slot after the newest holds the oldest entry, indexed by
 * a chained hash on the proof's first bytes: a full scan of 4096 entries cost more than every
 * HMAC of a logon (25,000 instructions). NTProofStr values are HMAC outputs and public on the
 * wire, so neither the index nor the walk need be secret or constant-time; a client that grinds
 * valid logons into one bucket gets at worst the full scan back.
 */
struct ntlm_replay_cache {
    pthread_mutex_t lock;
    struct replay_entry *entries;
    uint32_t *buckets; /* the first entry of each chain, as index + 1 */
    size_t capacity;
    size_t mask; /* buckets - 1, a power of two at least the capacity */
    size_t next; /* the slot the next insertion takes */
    size_t count;
};

uint32_t
ntlm_replay_cache_new(size_t capacity, struct ntlm_replay_cache **out)
{
    struct ntlm_replay_cache *cache;
    size_t buckets = 1;

    if (capacity == 0 || capacity > UINT32_MAX / 2 || out == NULL)
        return NTLM_ERR_INVALID_ARG;
    while (buckets < capacity)
        buckets *= 2;
    cache = calloc(1, sizeof(*cache));
    if (cache == NULL)
        return NTLM_ERR_NOMEM;
    cache->entries = calloc(capacity, sizeof(*cache->entries));
    cache->buckets = calloc(buckets, sizeof(*cache->buckets));
    if (cache->entries == NULL || cache->buckets == NULL ||
        pthread_mutex_init(&cache->lock, NULL) != 0) {
        free(cache->entries);
        free(cache->buckets);
        free(cache);
        return NTLM_ERR_NOMEM;
    }
    cache->capacity = capacity;
    cache->mask = buckets - 1;
    *out = cache;
    return 0;
}

void
ntlm_replay_cache_free(struct ntlm_replay_cache *cache)
{
    if (cache == NULL)
        return;
    pthread_mutex_destroy(&cache->lock);
    free(cache->entries);
    free(cache->buckets);
    free(cache);
}

static uint32_t *
replay_bucket(struct ntlm_replay_cache *cache, const uint8_t proof[16])
{
    size_t h =
        (size_t)proof[0] | (size_t)proof[1] << 8 | (size_t)proof[2] << 16 | (size_t)proof[3] << 24;

    return &cache->buckets[h & cache->mask];
}

/* Takes entry i (in use) out of its chain. */
static void
replay_unlink(struct ntlm_replay_cache *cache, size_t i)
{
    uint32_t *link = replay_bucket(cache, cache->entries[i].proof);

    while (*link != 0 && *link != i + 1)
        link = &cache->entries[*link - 1].chain;
    if (*link != 0)
        *link = cache->entries[i].chain;
    cache->entries[i].chain = 0;
}

uint32_t
ntlm_replay_cache_check(struct ntlm_replay_cache *cache, const uint8_t proof[16], time_t now,
                        time_t expires)
{
    struct replay_entry *slot;
    uint32_t *bucket, link, ret = 0;

    pthread_mutex_lock(&cache->lock);
    bucket = replay_bucket(cache, proof);
    for (link = *bucket; link != 0; link = cache->entries[link - 1].chain) {
        struct replay_entry *e = &cache->entries[link - 1];

        if (memcmp(e->proof, proof, 16) != 0)
            continue;
        if (now <= e->expires) {
            ret = NTLM_ERR_REPLAYED_RESPONSE;
            goto done;
        }
        /* Expired: forget it here, and record it afresh as the newest below. */
        replay_unlink(cache, link - 1);
        e->used = false;
        cache->count--;
        break;
    }
    slot = &cache->entries[cache->next];
    if (slot->used)
        replay_unlink(cache, cache->next);
    else
        cache->count++;
    memcpy(slot->proof, proof, 16);
    slot->expires = expires;
    slot->used = true;
    slot->chain = *bucket;
    *bucket = (uint32_t)cache->next + 1;
    cache->next = (cache->next + 1) % cache->capacity;
done:
    pthread_mutex_unlock(&cache->lock);
    return ret;
}

size_t
ntlm_replay_cache_count(struct ntlm_replay_cache *cache)
{
    size_t count;

    pthread_mutex_lock(&cache->lock);
    count = cache->count;
    pthread_mutex_unlock(&cache->lock);
    return count;
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
