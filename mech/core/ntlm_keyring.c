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

/* One ring: the lock and everything it guards, apart from the other parts' lines. */
struct keyring_part {
    _Alignas(NTLM_CACHE_LINE) pthread_mutex_t lock;
    struct keyring_entry *entries; /* capacity of them */
    uint32_t *buckets;             /* the first entry of each chain, as index + 1 */
    size_t capacity;
    size_t mask;  /* buckets - 1, a power of two at least the capacity */
    size_t next;  /* the slot the next insertion takes; the one after the newest */
    size_t count; /* slots in use */
};

struct ntlm_keyring {
    /* Set by ntlm_keyring_new and only read after: a line no add or take writes, so each core
     * keeps its copy while the threads take turns with the locks. */
    size_t key_len;
    size_t parts;
    unsigned part_shift; /* a key's part is its hash >> part_shift (64: always part 0) */
    uint64_t seed;       /* random, so a peer cannot choose keys that share a part or chain */
    /* Every part's entries in one block, every part's buckets in another. A block per part
     * put 32 aligned pieces of a few KiB in the heap, whose fragments made a handshake's own
     * mallocs and frees cost 8,500 instructions more (callgrind); a large block is mapped
     * apart from the heap. */
    struct keyring_entry *entries;
    uint32_t *buckets;
    struct keyring_part part[];
};

uint32_t
ntlm_keyring_new(size_t n, size_t key_len, struct ntlm_keyring **out)
{
    struct ntlm_keyring *ring;
    size_t parts = 1, capacity = n, buckets = 1, i;
    uint32_t ret;

    /* The arrays' sizes are multiplied out here, as calloc did: bounded where size_t is small. */
    if (n == 0 || n > UINT32_MAX / 4 || n > SIZE_MAX / 4 / sizeof(struct keyring_entry) ||
        key_len < NTLM_KEYRING_KEY_MIN || key_len > NTLM_KEYRING_KEY_MAX || out == NULL)
        return NTLM_ERR_INVALID_ARG;
    if (n >= NTLM_KEYRING_PARTED_MIN) {
        parts = NTLM_KEYRING_PARTS;
        /* Twice each part's share of n (see ntlm_keyring.h for the odds), and whole cache
         * lines of entries, so that no two parts share one. */
        capacity = (2 * n + parts - 1) / parts;
        while (capacity * sizeof(struct keyring_entry) % NTLM_CACHE_LINE != 0)
            capacity++;
    }
    /* A power of two, so at least 16 buckets of 4 bytes: whole lines too. */
    while (buckets < capacity || buckets < NTLM_CACHE_LINE / sizeof(uint32_t))
        buckets *= 2;
    /* Every thread writes the ring on every logon: its parts get cache lines of their own. */
    ring = ntlm_calloc_lines(sizeof(*ring) + parts * sizeof(ring->part[0]));
    if (ring == NULL)
        return NTLM_ERR_NOMEM;
    ring->entries = ntlm_calloc_lines(parts * capacity * sizeof(*ring->entries));
    ring->buckets = ntlm_calloc_lines(parts * buckets * sizeof(*ring->buckets));
    ret = ring->entries == NULL || ring->buckets == NULL ? NTLM_ERR_NOMEM : 0;
    if (ret == 0)
        ret = ntlm_random(&ring->seed, sizeof(ring->seed));
    for (i = 0; ret == 0 && i < parts; i++) {
        if (pthread_mutex_init(&ring->part[i].lock, NULL) != 0) {
            ret = NTLM_ERR_NOMEM;
            break;
        }
        ring->part[i].entries = ring->entries + i * capacity;
        ring->part[i].buckets = ring->buckets + i * buckets;
        ring->part[i].capacity = capacity;
        ring->part[i].mask = buckets - 1;
    }
    ring->parts = i;
    if (ret) {
        ntlm_keyring_free(ring);
        return ret;
    }
    ring->key_len = key_len;
    /* parts is a power of two: its bits are the hash's top ones. */
    ring->part_shift = 64;
    while (((size_t)1 << (64 - ring->part_shift)) < parts)
        ring->part_shift--;
    *out = ring;
    return 0;
}

void
ntlm_keyring_free(struct ntlm_keyring *ring)
{
    size_t i;

    if (ring == NULL)
        return;
    /* parts counts the locks made. */
    for (i = 0; i < ring->parts; i++)
        pthread_mutex_destroy(&ring->part[i].lock);
    free(ring->entries);
    free(ring->buckets);
    free(ring);
}

/* The keyed hash of key: its first 8 bytes with the seed, mixed by a Fibonacci multiply whose
 * high bits are the best spread. The top bits name the part, the next ones the chain. */
static uint64_t
key_hash(const struct ntlm_keyring *ring, const uint8_t *key)
{
    uint64_t v;

    memcpy(&v, key, sizeof(v));
    return (v ^ ring->seed) * UINT64_C(0x9e3779b97f4a7c15);
}

/* The part of a key whose hash is h. */
static size_t
part_index(const struct ntlm_keyring *ring, uint64_t h)
{
    /* A shift by 64 is undefined: a ring of one part has only part 0. */
    return ring->parts == 1 ? 0 : (size_t)(h >> ring->part_shift);
}

/* The chain, in its part p, of a key whose hash is h. */
static uint32_t *
bucket_at(struct keyring_part *p, uint64_t h)
{
    return &p->buckets[(size_t)(h >> 32) & p->mask];
}

/* Takes entry i (in use) of part p out of its chain and out of use. */
static void
unlink_entry(const struct ntlm_keyring *ring, struct keyring_part *p, size_t i)
{
    uint32_t *link = bucket_at(p, key_hash(ring, p->entries[i].key));

    while (*link != 0 && *link != i + 1)
        link = &p->entries[*link - 1].chain;
    if (*link != 0)
        *link = p->entries[i].chain;
    p->entries[i].chain = 0;
    p->entries[i].used = false;
    p->count--;
}

/* The index in part p of an entry equal to key (whose hash is h), or p->capacity. */
static size_t
find(const struct ntlm_keyring *ring, struct keyring_part *p, const uint8_t *key, uint64_t h)
{
    uint32_t link;

    for (link = *bucket_at(p, h); link != 0; link = p->entries[link - 1].chain) {
        if (memcmp(p->entries[link - 1].key, key, ring->key_len) == 0)
            return link - 1;
    }
    return p->capacity;
}

bool
ntlm_keyring_add(struct ntlm_keyring *ring, const uint8_t *key, time_t now, time_t expires,
                 bool unique)
{
    uint64_t h = key_hash(ring, key);
    struct keyring_part *p = &ring->part[part_index(ring, h)];
    struct keyring_entry *slot;
    uint32_t *bucket;
    size_t i;
    bool held = false;

    pthread_mutex_lock(&p->lock);
    if (unique) {
        i = find(ring, p, key, h);
        held = i < p->capacity && now <= p->entries[i].expires;
        /* Expired: forgotten here, added afresh as the newest below. */
        if (i < p->capacity && !held)
            unlink_entry(ring, p, i);
    }
    if (!held) {
        slot = &p->entries[p->next];
        if (slot->used)
            unlink_entry(ring, p, p->next);
        bucket = bucket_at(p, h);
        memcpy(slot->key, key, ring->key_len);
        slot->expires = expires;
        slot->used = true;
        slot->chain = *bucket;
        *bucket = (uint32_t)p->next + 1;
        p->count++;
        p->next = (p->next + 1) % p->capacity;
    }
    pthread_mutex_unlock(&p->lock);
    return held;
}

bool
ntlm_keyring_take(struct ntlm_keyring *ring, const uint8_t *key, time_t now)
{
    uint64_t h = key_hash(ring, key);
    struct keyring_part *p = &ring->part[part_index(ring, h)];
    bool fresh = false;
    size_t i;

    pthread_mutex_lock(&p->lock);
    i = find(ring, p, key, h);
    if (i < p->capacity) {
        fresh = now <= p->entries[i].expires;
        unlink_entry(ring, p, i);
    }
    pthread_mutex_unlock(&p->lock);
    return fresh;
}

size_t
ntlm_keyring_count(struct ntlm_keyring *ring)
{
    size_t count = 0, i;

    for (i = 0; i < ring->parts; i++) {
        pthread_mutex_lock(&ring->part[i].lock);
        count += ring->part[i].count;
        pthread_mutex_unlock(&ring->part[i].lock);
    }
    return count;
}

size_t
ntlm_keyring_parts(const struct ntlm_keyring *ring)
{
    return ring->parts;
}

size_t
ntlm_keyring_part_of(const struct ntlm_keyring *ring, const uint8_t *key)
{
    return part_index(ring, key_hash(ring, key));
}
