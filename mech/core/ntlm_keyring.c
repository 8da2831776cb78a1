/*
 * The keyed ring behind the replay cache and the answered-challenges table (ntlm_keyring.h).
 */
#include "ntlm_keyring.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_buf.h"
#include "ntlm_crypto.h"
#include "ntlm_errors.h"

struct keyring_entry {
    uint8_t key[NTLM_KEYRING_KEY_MAX];
    time_t expires;
    uint32_t chain; /* the next entry of the same bucket, as index + 1; 0 ends the chain */
    bool used;
};

struct ntlm_keyring {
    /* Set by ntlm_keyring_new and only read after: a line no add or take writes, so each core
     * keeps its copy while the threads take turns with the lock. */
    struct keyring_entry *entries;
    uint32_t *buckets; /* the first entry of each chain, as index + 1 */
    size_t capacity;
    size_t key_len;
    size_t mask;   /* buckets - 1, a power of two at least the capacity */
    uint64_t seed; /* random, so a peer cannot choose keys that share a chain */
    /* Written by every add and take: the lock and what it guards, on one line of their own. */
    _Alignas(NTLM_CACHE_LINE) pthread_mutex_t lock;
    size_t next;  /* the slot the next insertion takes; the one after the newest */
    size_t count; /* slots in use */
};

uint32_t
ntlm_keyring_new(size_t capacity, size_t key_len, struct ntlm_keyring **out)
{
    struct ntlm_keyring *ring;
    size_t buckets = 1;
    uint32_t ret;

    /* The arrays' sizes are multiplied out here, as calloc did: bounded where size_t is small. */
    if (capacity == 0 || capacity > UINT32_MAX / 2 ||
        capacity > SIZE_MAX / 2 / sizeof(struct keyring_entry) || key_len < NTLM_KEYRING_KEY_MIN ||
        key_len > NTLM_KEYRING_KEY_MAX || out == NULL)
        return NTLM_ERR_INVALID_ARG;
    while (buckets < capacity)
        buckets *= 2;
    /* Every thread writes the ring on every logon: its parts get cache lines of their own. */
    ring = ntlm_calloc_lines(sizeof(*ring));
    if (ring == NULL)
        return NTLM_ERR_NOMEM;
    ret = ntlm_random(&ring->seed, sizeof(ring->seed));
    if (ret) {
        free(ring);
        return ret;
    }
    ring->entries = ntlm_calloc_lines(capacity * sizeof(*ring->entries));
    ring->buckets = ntlm_calloc_lines(buckets * sizeof(*ring->buckets));
    if (ring->entries == NULL || ring->buckets == NULL ||
        pthread_mutex_init(&ring->lock, NULL) != 0) {
        free(ring->entries);
        free(ring->buckets);
        free(ring);
        return NTLM_ERR_NOMEM;
    }
    ring->capacity = capacity;
    ring->key_len = key_len;
    ring->mask = buckets - 1;
    *out = ring;
    return 0;
}

void
ntlm_keyring_free(struct ntlm_keyring *ring)
{
    if (ring == NULL)
        return;
    pthread_mutex_destroy(&ring->lock);
    free(ring->entries);
    free(ring->buckets);
    free(ring);
}

/* The chain of key: its first 8 bytes, keyed with the seed, mixed by a Fibonacci multiply
 * whose high bits are the best spread. */
static uint32_t *
bucket_of(struct ntlm_keyring *ring, const uint8_t *key)
{
    uint64_t v;

    memcpy(&v, key, sizeof(v));
    v = (v ^ ring->seed) * UINT64_C(0x9e3779b97f4a7c15);
    return &ring->buckets[(size_t)(v >> 32) & ring->mask];
}

/* Takes entry i (in use) out of its chain and out of use. */
static void
unlink_entry(struct ntlm_keyring *ring, size_t i)
{
    uint32_t *link = bucket_of(ring, ring->entries[i].key);

    while (*link != 0 && *link != i + 1)
        link = &ring->entries[*link - 1].chain;
    if (*link != 0)
        *link = ring->entries[i].chain;
    ring->entries[i].chain = 0;
    ring->entries[i].used = false;
    ring->count--;
}

/* The index of an entry equal to key, or capacity. */
static size_t
find(struct ntlm_keyring *ring, const uint8_t *key)
{
    uint32_t link;

    for (link = *bucket_of(ring, key); link != 0; link = ring->entries[link - 1].chain) {
        if (memcmp(ring->entries[link - 1].key, key, ring->key_len) == 0)
            return link - 1;
    }
    return ring->capacity;
}

bool
ntlm_keyring_add(struct ntlm_keyring *ring, const uint8_t *key, time_t now, time_t expires,
                 bool unique)
{
    struct keyring_entry *slot;
    uint32_t *bucket;
    size_t i;
    bool held = false;

    pthread_mutex_lock(&ring->lock);
    if (unique) {
        i = find(ring, key);
        held = i < ring->capacity && now <= ring->entries[i].expires;
        /* Expired: forgotten here, added afresh as the newest below. */
        if (i < ring->capacity && !held)
            unlink_entry(ring, i);
    }
    if (!held) {
        slot = &ring->entries[ring->next];
        if (slot->used)
            unlink_entry(ring, ring->next);
        bucket = bucket_of(ring, key);
        memcpy(slot->key, key, ring->key_len);
        slot->expires = expires;
        slot->used = true;
        slot->chain = *bucket;
        *bucket = (uint32_t)ring->next + 1;
        ring->count++;
        ring->next = (ring->next + 1) % ring->capacity;
    }
    pthread_mutex_unlock(&ring->lock);
    return held;
}

bool
ntlm_keyring_take(struct ntlm_keyring *ring, const uint8_t *key, time_t now)
{
    bool fresh = false;
    size_t i;

    pthread_mutex_lock(&ring->lock);
    i = find(ring, key);
    if (i < ring->capacity) {
        fresh = now <= ring->entries[i].expires;
        unlink_entry(ring, i);
    }
    pthread_mutex_unlock(&ring->lock);
    return fresh;
}

size_t
ntlm_keyring_count(struct ntlm_keyring *ring)
{
    size_t count;

    pthread_mutex_lock(&ring->lock);
    count = ring->count;
    pthread_mutex_unlock(&ring->lock);
    return count;
}
