/*
 * The lockout table: a file of fixed-size buckets that every process of a server maps
 * (MAP_SHARED) and updates with compare-and-swap on one 64-bit word per account, so that no
 * logon waits on a lock and a process that dies mid-update leaves nothing held.
 */
#include "ntlm_lockout.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "ntlm_crypto.h"
#include "ntlm_debug.h"
#include "ntlm_errors.h"

/*
 * The file, in this machine's byte order (it never leaves the machine):
 *
 *   offset  field          size
 *   0       magic          8     "SGLOCKT1"
 *   8       version        4     1
 *   12      table offset   4     4096 (the header has a page of its own)
 *   16      buckets        4     NTLM_LOCKOUT_BUCKETS
 *   20      ways           4     NTLM_LOCKOUT_WAYS
 *   24      key            16    random, written once: the key of the account hash
 *   40      reserved       4056  zero
 *   4096    slots          8 * buckets * ways
 *
 * A slot is one 64-bit word:
 *
 *   bits    field
 *   0-31    the time of the last failure (Unix seconds, modulo 2^32)
 *   32-41   consecutive failures (0: the slot is free)
 *   42-63   the account's tag (22 bits of its hash; the bucket index takes others)
 *
 * Every word value is valid input: a count or a time that makes no sense (a time ahead of
 * now) only frees the slot or locks its account for at most lockout_duration from now, so a
 * tampered table cannot crash a process or lock anyone out for longer than the policy says.
 */
#define LOCKOUT_MAGIC "SGLOCKT1"
#define LOCKOUT_VERSION 1u
#define LOCKOUT_TABLE_OFFSET 4096u
#define LOCKOUT_KEY_LEN 16u
#define TAG_BITS 22u
#define TAG_MASK ((1u << TAG_BITS) - 1u)
/* Times further ahead of now than this are from a clock that went back, or forged. */
#define AGE_FUTURE 0x80000000u
/* Compare-and-swap rounds before an update gives up, failing closed (locked). */
#define MAX_ROUNDS 1000

struct lockout_header {
    char magic[8];
    uint32_t version;
    uint32_t table_offset;
    uint32_t buckets;
    uint32_t ways;
    uint8_t key[LOCKOUT_KEY_LEN];
};

struct ntlm_lockout {
    void *map; /* the file mapping, or the private slots */
    size_t map_len;
    bool shared;
    uint32_t buckets;
    _Atomic uint64_t *slots;
    struct ntlm_hmac_md5_key key;
};

/* ---------------------------------------------------------------------------------------- */
/* Slots                                                                                    */
/* ---------------------------------------------------------------------------------------- */

static uint64_t
slot_pack(uint32_t tag, uint32_t count, uint32_t when)
{
    return (uint64_t)(tag & TAG_MASK) << 42 | (uint64_t)count << 32 | when;
}

static uint32_t
slot_tag(uint64_t w)
{
    return (uint32_t)(w >> 42) & TAG_MASK;
}

static uint32_t
slot_count(uint64_t w)
{
    return (uint32_t)(w >> 32) & NTLM_LOCKOUT_COUNT_MAX;
}

/* Seconds since the slot's last failure; AGE_FUTURE or more when it lies ahead of now. */
static uint32_t
slot_age(uint64_t w, time_t now)
{
    return (uint32_t)now - (uint32_t)w;
}

static bool
slot_locked(uint64_t w, const struct ntlm_lockout_policy *p, time_t now)
{
    uint32_t age = slot_age(w, now);

    return slot_count(w) >= p->threshold && age < AGE_FUTURE && age < p->duration;
}

/* Whether the slot still counts for its account: else it is free for any. */
static bool
slot_live(uint64_t w, const struct ntlm_lockout_policy *p, time_t now)
{
    uint32_t age = slot_age(w, now);

    if (slot_count(w) == 0 || age >= AGE_FUTURE)
        return false;
    return age < p->window || slot_locked(w, p, now);
}

/*
 * What a bucket says about one account. Two processes that count an account's first failure
 * at once may each give it a slot: its state is then the sum of its slots, and the next update
 * folds them into one, so concurrent failures are never lost (only ever counted twice).
 */
struct account {
    uint64_t words[NTLM_LOCKOUT_WAYS];
    unsigned match[NTLM_LOCKOUT_WAYS];
    unsigned matches;
    uint32_t count;   /* the sum over its slots, saturated */
    uint32_t newest;  /* the smallest age among them */
    bool locked;      /* the account is locked */
    bool bucket_full; /* every slot of the bucket holds another, locked account */
};

static _Atomic uint64_t *
bucket_of(struct ntlm_lockout *t, const struct ntlm_lockout_key *key)
{
    return t->slots + (size_t)(key->bucket % t->buckets) * NTLM_LOCKOUT_WAYS;
}

static void
account_read(_Atomic uint64_t *bucket, const struct ntlm_lockout_policy *p,
             const struct ntlm_lockout_key *key, time_t now, struct account *a)
{
    unsigned i, locked_others = 0;

    memset(a, 0, sizeof(*a));
    a->newest = UINT32_MAX;
    for (i = 0; i < NTLM_LOCKOUT_WAYS; i++) {
        uint64_t w = atomic_load_explicit(&bucket[i], memory_order_acquire);

        a->words[i] = w;
        if (!slot_live(w, p, now))
            continue;
        if (slot_tag(w) != (key->tag & TAG_MASK)) {
            locked_others += slot_locked(w, p, now);
            continue;
        }
        a->match[a->matches++] = i;
        a->count += slot_count(w);
        if (slot_age(w, now) < a->newest)
            a->newest = slot_age(w, now);
    }
    if (a->count > NTLM_LOCKOUT_COUNT_MAX)
        a->count = NTLM_LOCKOUT_COUNT_MAX;
    a->locked = a->matches > 0 && a->count >= p->threshold && a->newest < p->duration;
    a->bucket_full = a->matches == 0 && locked_others == NTLM_LOCKOUT_WAYS;
}

/*
 * The slot a new account takes: a free one, else the live account with the fewest failures
 * (the oldest among equals), never a locked one. Flooding other accounts therefore evicts
 * an account that is close to the threshold only once every slot of its (secret) bucket holds
 * an account with at least as many failures. -1 when all are locked.
 */
static int
victim_slot(const struct account *a, const struct ntlm_lockout_policy *p, time_t now)
{
    int best = -1;
    unsigned i;

    for (i = 0; i < NTLM_LOCKOUT_WAYS; i++) {
        uint64_t w = a->words[i];

        if (!slot_live(w, p, now))
            return (int)i;
        if (slot_locked(w, p, now))
            continue;
        if (best < 0 || slot_count(w) < slot_count(a->words[best]) ||
            (slot_count(w) == slot_count(a->words[best]) &&
             slot_age(w, now) > slot_age(a->words[best], now)))
            best = (int)i;
    }
    return best;
}

/* Replaces slot i by w if it still holds what account_read saw there. */
static bool
slot_swap(_Atomic uint64_t *bucket, struct account *a, unsigned i, uint64_t w)
{
    return atomic_compare_exchange_strong_explicit(&bucket[i], &a->words[i], w,
                                                   memory_order_acq_rel, memory_order_acquire);
}

uint32_t
ntlm_lockout_check(struct ntlm_lockout *table, const struct ntlm_lockout_policy *policy,
                   const struct ntlm_lockout_key *key, time_t now)
{
    struct account a;

    if (policy->threshold == 0)
        return 0;
    account_read(bucket_of(table, key), policy, key, now, &a);
    return a.locked || a.bucket_full ? NTLM_ERR_LOCKED_OUT : 0;
}

uint32_t
ntlm_lockout_failure(struct ntlm_lockout *table, const struct ntlm_lockout_policy *policy,
                     const struct ntlm_lockout_key *key, time_t now, bool *locked_now)
{
    _Atomic uint64_t *bucket = bucket_of(table, key);
    struct account a;
    unsigned i, round;
    uint64_t next;
    int slot;

    *locked_now = false;
    if (policy->threshold == 0)
        return 0;
    for (round = 0; round < MAX_ROUNDS; round++) {
        account_read(bucket, policy, key, now, &a);
        if (a.locked || a.bucket_full)
            return NTLM_ERR_LOCKED_OUT;
        slot = a.matches > 0 ? (int)a.match[0] : victim_slot(&a, policy, now);
        if (slot < 0)
            return NTLM_ERR_LOCKED_OUT;
        /* A count whose last failure is older than the window has restarted (slot_live). */
        next = slot_pack(key->tag, a.count < NTLM_LOCKOUT_COUNT_MAX ? a.count + 1 : a.count,
                         (uint32_t)now);
        if (!slot_swap(bucket, &a, (unsigned)slot, next))
            continue;
        /* The other slots of the account are now counted in this one. A slot that changed
         * meanwhile keeps its count as well: counted twice, which only locks sooner. */
        for (i = 1; i < a.matches; i++)
            (void)slot_swap(bucket, &a, a.match[i], 0);
        *locked_now = slot_count(next) >= policy->threshold;
        return 0;
    }
    return NTLM_ERR_LOCKED_OUT;
}

uint32_t
ntlm_lockout_success(struct ntlm_lockout *table, const struct ntlm_lockout_policy *policy,
                     const struct ntlm_lockout_key *key, time_t now)
{
    _Atomic uint64_t *bucket = bucket_of(table, key);
    struct account a;
    unsigned i, round;
    bool cleared;

    if (policy->threshold == 0)
        return 0;
    for (round = 0; round < MAX_ROUNDS; round++) {
        account_read(bucket, policy, key, now, &a);
        if (a.locked || a.bucket_full)
            return NTLM_ERR_LOCKED_OUT;
        /* A failure counted meanwhile changes the word: read again and decide again. */
        cleared = true;
        for (i = 0; i < a.matches && cleared; i++)
            cleared = slot_swap(bucket, &a, a.match[i], 0);
        if (cleared)
            return 0;
    }
    return NTLM_ERR_LOCKED_OUT;
}

uint32_t
ntlm_lockout_key(const struct ntlm_lockout *table, const char *domain, const char *user,
                 struct ntlm_lockout_key *key)
{
    /* The NUL between the names keeps ("AB", "C") and ("A", "BC") apart. */
    struct ntlm_iov iov[2] = {{domain, strlen(domain) + 1}, {user, strlen(user)}};
    uint8_t digest[16];
    uint32_t ret;

    ret = ntlm_hmac_md5_keyed(&table->key, iov, 2, digest);
    if (ret == 0) {
        key->bucket = (uint32_t)digest[0] | (uint32_t)digest[1] << 8 | (uint32_t)digest[2] << 16 |
                      (uint32_t)digest[3] << 24;
        key->tag =
            ((uint32_t)digest[4] | (uint32_t)digest[5] << 8 | (uint32_t)digest[6] << 16) & TAG_MASK;
    }
    ntlm_wipe(digest, sizeof(digest));
    return ret;
}

/* ---------------------------------------------------------------------------------------- */
/* Tables                                                                                   */
/* ---------------------------------------------------------------------------------------- */

static size_t
slots_len(uint32_t buckets)
{
    return (size_t)buckets * NTLM_LOCKOUT_WAYS * sizeof(uint64_t);
}

static uint32_t
table_new(uint32_t buckets, const uint8_t key[LOCKOUT_KEY_LEN], struct ntlm_lockout **out)
{
    struct ntlm_lockout *t;
    uint32_t ret;

    t = calloc(1, sizeof(*t));
    if (t == NULL)
        return NTLM_ERR_NOMEM;
    t->buckets = buckets;
    ret = ntlm_hmac_md5_key(key, LOCKOUT_KEY_LEN, &t->key);
    if (ret) {
        free(t);
        return ret;
    }
    *out = t;
    return 0;
}

uint32_t
ntlm_lockout_new_private(uint32_t buckets, struct ntlm_lockout **out)
{
    struct ntlm_lockout *t = NULL;
    uint8_t key[LOCKOUT_KEY_LEN];
    uint32_t ret;

    if (buckets == 0)
        return NTLM_ERR_INVALID_ARG;
    ret = ntlm_random(key, sizeof(key));
    if (ret == 0)
        ret = table_new(buckets, key, &t);
    ntlm_wipe(key, sizeof(key));
    if (ret)
        return ret;
    t->slots = calloc((size_t)buckets * NTLM_LOCKOUT_WAYS, sizeof(*t->slots));
    if (t->slots == NULL) {
        ntlm_lockout_close(t);
        return NTLM_ERR_NOMEM;
    }
    t->map = (void *)t->slots;
    *out = t;
    return 0;
}

void
ntlm_lockout_close(struct ntlm_lockout *table)
{
    if (table == NULL)
        return;
    if (table->shared)
        munmap(table->map, table->map_len);
    else
        free(table->map);
    ntlm_wipe(&table->key, sizeof(table->key));
    free(table);
}

bool
ntlm_lockout_is_shared(const struct ntlm_lockout *table)
{
    return table->shared;
}

/* ---------------------------------------------------------------------------------------- */
/* The file                                                                                 */
/* ---------------------------------------------------------------------------------------- */

static bool
header_valid(const struct lockout_header *h, uint32_t buckets)
{
    return memcmp(h->magic, LOCKOUT_MAGIC, sizeof(h->magic)) == 0 &&
           h->version == LOCKOUT_VERSION && h->table_offset == LOCKOUT_TABLE_OFFSET &&
           h->buckets == buckets && h->ways == NTLM_LOCKOUT_WAYS;
}

/* Writes a new header with a fresh key and sizes fd for buckets (every slot free). */
static uint32_t
file_init(int fd, uint32_t buckets)
{
    struct lockout_header h;
    uint32_t ret;

    memset(&h, 0, sizeof(h));
    memcpy(h.magic, LOCKOUT_MAGIC, sizeof(h.magic));
    h.version = LOCKOUT_VERSION;
    h.table_offset = LOCKOUT_TABLE_OFFSET;
    h.buckets = buckets;
    h.ways = NTLM_LOCKOUT_WAYS;
    ret = ntlm_random(h.key, sizeof(h.key));
    /* Old slots would belong to another key: start from an empty table. */
    if (ret == 0 && (ftruncate(fd, 0) != 0 ||
                     ftruncate(fd, (off_t)(LOCKOUT_TABLE_OFFSET + slots_len(buckets))) != 0 ||
                     pwrite(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h)))
        ret = NTLM_ERR_LOCKOUT_STATE;
    ntlm_wipe(&h, sizeof(h));
    return ret;
}

/* Ours alone: a regular file of this user, with no access for others and one name. */
static bool
file_private(const struct stat *st)
{
    return S_ISREG(st->st_mode) && st->st_uid == geteuid() && (st->st_mode & 077) == 0 &&
           st->st_nlink == 1;
}

/*
 * A file this version cannot use (truncated, another version, garbage) is replaced by a new
 * one under the same name, atomically, rather than repaired in place: processes that still
 * map the old one must not see it shrink under them (SIGBUS) or change its key.
 */
static uint32_t
file_replace(const char *dir, const char *path, uint32_t buckets, int *fd)
{
    char tmp[4096];
    int nfd;
    uint32_t ret;

    if (snprintf(tmp, sizeof(tmp), "%s/.lockout-XXXXXX", dir) >= (int)sizeof(tmp))
        return NTLM_ERR_LOCKOUT_STATE;
    nfd = mkostemp(tmp, O_CLOEXEC);
    if (nfd < 0)
        return NTLM_ERR_LOCKOUT_STATE;
    ret = file_init(nfd, buckets);
    if (ret == 0 && (flock(nfd, LOCK_EX) != 0 || rename(tmp, path) != 0))
        ret = NTLM_ERR_LOCKOUT_STATE;
    if (ret) {
        unlink(tmp);
        close(nfd);
        return ret;
    }
    ntlm_debug("lockout: %s was unusable (truncated, corrupted or of another version): "
               "replaced by an empty table",
               path);
    close(*fd);
    *fd = nfd;
    return 0;
}

/*
 * Opens path and makes sure that it holds a valid table, with fd locked (flock) while it
 * checks, so that two processes starting together create one file.
 */
static uint32_t
file_open(const char *dir, const char *path, uint32_t buckets, int *out, uint8_t key[16])
{
    struct lockout_header h;
    struct stat st, named;
    uint32_t ret = NTLM_ERR_LOCKOUT_STATE;
    int fd, attempt;

    for (attempt = 0; attempt < 3; attempt++) {
        fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
        if (fd < 0)
            return NTLM_ERR_LOCKOUT_STATE;
        if (flock(fd, LOCK_EX) != 0 || fstat(fd, &st) != 0 || !file_private(&st))
            goto fail;
        /* Replaced by another process between our open and our lock: open the new one. */
        if (stat(path, &named) != 0 || named.st_ino != st.st_ino || named.st_dev != st.st_dev) {
            close(fd);
            continue;
        }
        if (st.st_size == 0) {
            ret = file_init(fd, buckets);
        } else if ((size_t)st.st_size != LOCKOUT_TABLE_OFFSET + slots_len(buckets) ||
                   pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
                   !header_valid(&h, buckets)) {
            ret = file_replace(dir, path, buckets, &fd);
        } else {
            ret = 0;
        }
        if (ret == 0 && pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
            ret = NTLM_ERR_LOCKOUT_STATE;
        if (ret)
            goto fail;
        memcpy(key, h.key, LOCKOUT_KEY_LEN);
        ntlm_wipe(&h, sizeof(h));
        *out = fd;
        return 0;
    }
    return NTLM_ERR_LOCKOUT_STATE;
fail:
    ntlm_wipe(&h, sizeof(h));
    close(fd);
    return ret ? ret : NTLM_ERR_LOCKOUT_STATE;
}

uint32_t
ntlm_lockout_open(const char *dir, uint32_t buckets, struct ntlm_lockout **out)
{
    struct ntlm_lockout *t = NULL;
    uint8_t key[LOCKOUT_KEY_LEN];
    struct stat st;
    char path[4096];
    void *map;
    int fd = -1;
    uint32_t ret;

    if (dir == NULL || dir[0] != '/' || buckets == 0)
        return NTLM_ERR_INVALID_ARG;
    if (snprintf(path, sizeof(path), "%s/lockout-%lu.db", dir, (unsigned long)geteuid()) >=
        (int)sizeof(path))
        return NTLM_ERR_LOCKOUT_STATE;
    /* Only the last component: a missing parent is a configuration mistake to report. */
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return NTLM_ERR_LOCKOUT_STATE;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return NTLM_ERR_LOCKOUT_STATE;
    ret = file_open(dir, path, buckets, &fd, key);
    if (ret)
        return ret;
    ret = table_new(buckets, key, &t);
    ntlm_wipe(key, sizeof(key));
    if (ret)
        goto done;
    map = mmap(NULL, LOCKOUT_TABLE_OFFSET + slots_len(buckets), PROT_READ | PROT_WRITE, MAP_SHARED,
               fd, 0);
    if (map == MAP_FAILED) {
        ret = NTLM_ERR_LOCKOUT_STATE;
        goto done;
    }
    t->map = map;
    t->map_len = LOCKOUT_TABLE_OFFSET + slots_len(buckets);
    t->shared = true;
    t->slots = (_Atomic uint64_t *)((char *)map + LOCKOUT_TABLE_OFFSET);
    /* Shared words need atomics that work across processes, which lock-free ones do. */
    if (!atomic_is_lock_free(t->slots)) {
        ret = NTLM_ERR_LOCKOUT_STATE;
        goto done;
    }
    *out = t;
    t = NULL;
done:
    ntlm_lockout_close(t);
    /* The mapping outlives the descriptor, and keeps its open file, so the flock would stay
     * held after close: drop it first. */
    flock(fd, LOCK_UN);
    close(fd);
    return ret;
}

struct ntlm_lockout *
ntlm_lockout_open_or_private(const char *dir)
{
    struct ntlm_lockout *t = NULL;

    if (ntlm_lockout_open(dir, NTLM_LOCKOUT_BUCKETS, &t) == 0) {
        ntlm_debug("lockout: failures counted in %s/lockout-%lu.db, shared with this user's "
                   "other processes",
                   dir, (unsigned long)geteuid());
        return t;
    }
    /* Lockout must not silently become per-process: say so where administrators look. */
    syslog(LOG_AUTHPRIV | LOG_WARNING,
           "sspigss-ntlm: lockout state directory %s is unusable (it must be a directory this "
           "user, uid %lu, can write, and any lockout-%lu.db in it a private file of this "
           "user): failed logons are counted per process only",
           dir, (unsigned long)geteuid(), (unsigned long)geteuid());
    ntlm_debug("lockout: state directory %s unusable: counting failures in this process only", dir);
    if (ntlm_lockout_new_private(NTLM_LOCKOUT_BUCKETS, &t) != 0)
        return NULL;
    return t;
}
