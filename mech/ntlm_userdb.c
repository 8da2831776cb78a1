/*
 * The acceptor's user database: parses a user file once into a hash index keyed by the
 * upper-cased (user, domain), and caches one database per path, re-parsed when the file changes.
 */
#include "ntlm_userdb.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unistr.h>

#include "ntlm_auth.h"
#include "ntlm_errors.h"
#include "ntlm_unicode.h"

#define OWN_FORMAT_HEADER "#sspigss-users 1"
#define OWN_FORMAT_PREFIX "#sspigss-users"
#define NT_HASH_HEX_LEN 32
/* Databases nobody holds stay parsed so that the next open is free; this many at most. */
#define IDLE_CACHE_MAX 4

/* Group write, other read and write: what user_file_permissions = strict forbids. */
#define UNSAFE_MODE_BITS (S_IWGRP | S_IROTH | S_IWOTH)

#define FNV_OFFSET 0xcbf29ce484222325u
#define FNV_PRIME 0x100000001b3u

/* A user defined by one line of the file; strings are offsets into the index's pool. */
struct userdb_record {
    size_t user;       /* as written */
    size_t domain;     /* as written; "" matches any domain */
    size_t user_key;   /* upper-cased */
    size_t domain_key; /* upper-cased */
    uint8_t nt_hash[16];
};

struct ntlm_userdb_index {
    struct userdb_record *records; /* in file order */
    size_t count, records_cap;
    char *pool; /* NUL-terminated strings back to back */
    size_t pool_len, pool_cap;
    /* Open-addressing tables of record number + 1 (0: empty slot), mask + 1 slots each. */
    uint32_t *by_pair; /* (user_key, domain_key), first line wins */
    uint32_t *by_user; /* user_key alone, first line wins: for clients that send no domain */
    size_t mask;
};

/* What identifies the file contents we parsed without reading them again. */
struct file_identity {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtim;
    /* ctime too: it catches a rewrite that kept size and mtime (cp -p, rsync -t). */
    struct timespec ctim;
};

struct ntlm_userdb {
    struct ntlm_userdb *next; /* cache list, most recently opened first */
    char *path;
    unsigned refs;
    struct ntlm_userdb_index *index; /* NULL while the file is unreadable or invalid */
    uint32_t error;                  /* why index is NULL */
    bool have_identity;              /* id describes the file index (or error) came from */
    struct file_identity id;
};

/* The one lock: it guards the cache list, every database in it and their indexes. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ntlm_userdb *cache;
/* user_file_permissions = strict; guarded by cache_lock like the rest. */
static bool strict_permissions;

/* A growable copy of the current line; it can hold a password, so it is wiped, never realloc'd. */
struct line_buf {
    char *data;
    size_t cap;
};

static void
line_buf_wipe(struct line_buf *line)
{
    if (line->data != NULL) {
        explicit_bzero(line->data, line->cap);
        free(line->data);
    }
    line->data = NULL;
    line->cap = 0;
}

static uint32_t
line_buf_set(struct line_buf *line, const char *start, size_t len)
{
    if (len >= line->cap) {
        size_t cap = len + 1 > 2 * line->cap ? len + 1 : 2 * line->cap;
        char *data = malloc(cap);

        if (data == NULL)
            return NTLM_ERR_NOMEM;
        line_buf_wipe(line);
        line->data = data;
        line->cap = cap;
    }
    memcpy(line->data, start, len);
    line->data[len] = '\0';
    return 0;
}

static uint64_t
fnv1a(uint64_t h, const char *s)
{
    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= FNV_PRIME;
    }
    return h;
}

/* domain_key NULL hashes the user alone (the by-user table). */
static uint64_t
key_hash(const char *user_key, const char *domain_key)
{
    uint64_t h = fnv1a(FNV_OFFSET, user_key);

    if (domain_key == NULL)
        return h;
    /* 0xff never occurs in UTF-8, so ("AB", "C") and ("A", "BC") hash apart. */
    h ^= 0xff;
    h *= FNV_PRIME;
    return fnv1a(h, domain_key);
}

/*
 * The slot of the by-pair table holding (user_key, domain_key), or of the by-user table
 * holding user_key when domain_key is NULL; else the empty slot where it belongs.
 */
static uint32_t *
index_slot(const struct ntlm_userdb_index *idx, const char *user_key, const char *domain_key)
{
    uint32_t *table = domain_key != NULL ? idx->by_pair : idx->by_user;
    size_t i = (size_t)key_hash(user_key, domain_key) & idx->mask;

    /* The tables are at most half full, so the probe always meets an empty slot. */
    for (;; i = (i + 1) & idx->mask) {
        const struct userdb_record *rec;

        if (table[i] == 0)
            return &table[i];
        rec = &idx->records[table[i] - 1];
        if (strcmp(idx->pool + rec->user_key, user_key) == 0 &&
            (domain_key == NULL || strcmp(idx->pool + rec->domain_key, domain_key) == 0))
            return &table[i];
    }
}

static uint32_t
pool_add(struct ntlm_userdb_index *idx, const char *s, size_t *offset)
{
    size_t len = strlen(s) + 1;

    if (len > idx->pool_cap - idx->pool_len) {
        size_t cap = idx->pool_cap == 0 ? 4096 : idx->pool_cap;
        char *pool;

        while (cap - idx->pool_len < len) {
            if (cap > SIZE_MAX / 2)
                return NTLM_ERR_NOMEM;
            cap *= 2;
        }
        pool = realloc(idx->pool, cap);
        if (pool == NULL)
            return NTLM_ERR_NOMEM;
        idx->pool = pool;
        idx->pool_cap = cap;
    }
    memcpy(idx->pool + idx->pool_len, s, len);
    *offset = idx->pool_len;
    idx->pool_len += len;
    return 0;
}

/* Grows the record array by hand so that no copy of a hash is left behind by realloc. */
static uint32_t
records_reserve(struct ntlm_userdb_index *idx)
{
    struct userdb_record *records;
    size_t cap;

    if (idx->count < idx->records_cap)
        return 0;
    cap = idx->records_cap == 0 ? 64 : idx->records_cap * 2;
    /* Record numbers + 1 must fit the uint32_t slots. */
    if (cap > UINT32_MAX - 1 || cap > SIZE_MAX / sizeof(*records))
        return NTLM_ERR_NOMEM;
    records = malloc(cap * sizeof(*records));
    if (records == NULL)
        return NTLM_ERR_NOMEM;
    if (idx->records != NULL) {
        memcpy(records, idx->records, idx->count * sizeof(*records));
        explicit_bzero(idx->records, idx->records_cap * sizeof(*records));
        free(idx->records);
    }
    idx->records = records;
    idx->records_cap = cap;
    return 0;
}

static uint32_t
index_add(struct ntlm_userdb_index *idx, const char *user, const char *domain,
          const uint8_t nt_hash[16])
{
    struct userdb_record rec;
    char *user_key = NULL, *domain_key = NULL;
    uint32_t ret;

    ret = ntlm_utf8_upper(user, &user_key);
    if (ret)
        goto done;
    ret = ntlm_utf8_upper(domain, &domain_key);
    if (ret)
        goto done;
    ret = records_reserve(idx);
    if (ret)
        goto done;
    ret = pool_add(idx, user, &rec.user);
    if (ret)
        goto done;
    ret = pool_add(idx, domain, &rec.domain);
    if (ret)
        goto done;
    ret = pool_add(idx, user_key, &rec.user_key);
    if (ret)
        goto done;
    ret = pool_add(idx, domain_key, &rec.domain_key);
    if (ret)
        goto done;
    memcpy(rec.nt_hash, nt_hash, sizeof(rec.nt_hash));
    idx->records[idx->count++] = rec;
    explicit_bzero(&rec, sizeof(rec));
done:
    free(domain_key);
    free(user_key);
    /* The line was checked as UTF-8 already; this keeps a stricter decoder a syntax error. */
    return ret == NTLM_ERR_BAD_UTF8 ? NTLM_ERR_USERDB_SYNTAX : ret;
}

/* Builds the two hash tables once all records are known. */
static uint32_t
index_build(struct ntlm_userdb_index *idx)
{
    size_t slots = 16, i;

    while (slots < 2 * idx->count)
        slots *= 2;
    idx->by_pair = calloc(slots, sizeof(*idx->by_pair));
    idx->by_user = calloc(slots, sizeof(*idx->by_user));
    if (idx->by_pair == NULL || idx->by_user == NULL)
        return NTLM_ERR_NOMEM;
    idx->mask = slots - 1;
    for (i = 0; i < idx->count; i++) {
        const char *user_key = idx->pool + idx->records[i].user_key;
        uint32_t *slot;

        /* Insert only into empty slots: the first line for a key wins, as in a linear scan. */
        slot = index_slot(idx, user_key, idx->pool + idx->records[i].domain_key);
        if (*slot == 0)
            *slot = (uint32_t)i + 1;
        slot = index_slot(idx, user_key, NULL);
        if (*slot == 0)
            *slot = (uint32_t)i + 1;
    }
    return 0;
}

static int
hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool
ntlm_nt_hash_from_hex(const char *hex, size_t len, uint8_t out[16])
{
    size_t i;

    if (len != NT_HASH_HEX_LEN)
        return false;
    for (i = 0; i < 16; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

static bool
all_digits(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return false;
    }
    return true;
}

/* Splits line in place at its first two colons. Returns false when it has fewer. */
static bool
split_three(char *line, char **domain, char **user, char **rest)
{
    char *c1 = strchr(line, ':'), *c2;

    if (c1 == NULL)
        return false;
    c2 = strchr(c1 + 1, ':');
    if (c2 == NULL)
        return false;
    *c1 = '\0';
    *c2 = '\0';
    *domain = line;
    *user = c1 + 1;
    *rest = c2 + 1;
    return true;
}

/* Our own format: DOMAIN:USER:NTHASH. */
static uint32_t
parse_own_line(struct ntlm_userdb_index *idx, char *line)
{
    char *domain, *user, *hex;
    uint8_t nt_hash[16];
    uint32_t ret;

    if (!split_three(line, &domain, &user, &hex) || *user == '\0' ||
        !ntlm_nt_hash_from_hex(hex, strlen(hex), nt_hash))
        return NTLM_ERR_USERDB_SYNTAX;
    ret = index_add(idx, user, domain, nt_hash);
    explicit_bzero(nt_hash, sizeof(nt_hash));
    return ret;
}

/*
 * smbpasswd: USER:UID:LMHASH:NTHASH:[FLAGS]:LCT-XXXXXXXX:... once split_three has cut off
 * USER and UID; rest starts at LMHASH. Returns false when the line is not in this format.
 * *skip is set for entries that must not authenticate: no NT hash (32 'X') or the D
 * (disabled) account flag; skipping them makes such users unknown.
 */
static bool
parse_smbpasswd_rest(const char *uid, const char *rest, uint8_t nt_hash[16], bool *skip)
{
    const char *nt, *nt_end, *flags, *flags_end, *flags_close;

    if (!all_digits(uid))
        return false;
    nt = strchr(rest, ':');
    if (nt == NULL)
        return false;
    nt++;
    nt_end = strchr(nt, ':');
    if (nt_end == NULL || nt_end - nt != NT_HASH_HEX_LEN)
        return false;
    flags = nt_end + 1;
    flags_end = strchr(flags, ':');
    /* The colon after FLAGS makes the sixth field (LCT) exist. */
    if (flags_end == NULL)
        return false;
    if (strspn(nt, "X") == NT_HASH_HEX_LEN) {
        *skip = true;
        return true;
    }
    if (!ntlm_nt_hash_from_hex(nt, NT_HASH_HEX_LEN, nt_hash))
        return false;
    /* Account flags look like "[UD         ]"; older files put other text here. */
    flags_close = memchr(flags, ']', (size_t)(flags_end - flags));
    *skip = *flags == '[' && flags_close != NULL &&
            memchr(flags, 'D', (size_t)(flags_close - flags)) != NULL;
    return true;
}

/* smbpasswd's USER may be DOMAIN\USER; without a domain the entry matches any domain. */
static uint32_t
add_smbpasswd_user(struct ntlm_userdb_index *idx, char *name, const uint8_t nt_hash[16], bool skip)
{
    char *sep = strchr(name, '\\');
    const char *domain = "", *user = name;

    if (sep != NULL) {
        *sep = '\0';
        domain = name;
        user = sep + 1;
    }
    if (*user == '\0')
        return NTLM_ERR_USERDB_SYNTAX;
    return skip ? 0 : index_add(idx, user, domain, nt_hash);
}

/*
 * A line of a file without our header: smbpasswd when it has that shape, else gss-ntlmssp's
 * DOMAIN:USER:PASSWORD, where the password is everything after the second colon.
 */
static uint32_t
parse_foreign_line(struct ntlm_userdb_index *idx, char *line)
{
    char *first, *second, *rest;
    uint8_t nt_hash[16];
    bool skip = false;
    uint32_t ret;

    if (!split_three(line, &first, &second, &rest))
        return NTLM_ERR_USERDB_SYNTAX;
    if (parse_smbpasswd_rest(second, rest, nt_hash, &skip)) {
        ret = add_smbpasswd_user(idx, first, nt_hash, skip);
        goto done;
    }
    if (*second == '\0') {
        ret = NTLM_ERR_USERDB_SYNTAX;
        goto done;
    }
    ret = ntlm_nt_hash(rest, nt_hash);
    /* The password is not needed past this point; the caller wipes the rest of the line. */
    explicit_bzero(rest, strlen(rest));
    if (ret == NTLM_ERR_BAD_UTF8)
        ret = NTLM_ERR_USERDB_SYNTAX;
    if (ret)
        goto done;
    ret = index_add(idx, second, first, nt_hash);
done:
    explicit_bzero(nt_hash, sizeof(nt_hash));
    return ret;
}

static bool
is_blank_or_comment(const char *line)
{
    line += strspn(line, " \t");
    return *line == '\0' || *line == '#';
}

uint32_t
ntlm_userdb_parse(const char *text, size_t len, struct ntlm_userdb_index **index,
                  unsigned *bad_line)
{
    struct ntlm_userdb_index *idx = NULL;
    struct line_buf line = {NULL, 0};
    bool own_format = false;
    unsigned line_no = 0;
    size_t pos = 0;
    uint32_t ret = 0;

    idx = calloc(1, sizeof(*idx));
    if (idx == NULL) {
        ret = NTLM_ERR_NOMEM;
        goto done;
    }
    while (pos < len) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl != NULL ? (size_t)(nl - start) : len - pos;

        pos += n + (nl != NULL);
        line_no++;
        if (n > 0 && start[n - 1] == '\r')
            n--;
        if (memchr(start, '\0', n) != NULL) {
            ret = NTLM_ERR_USERDB_SYNTAX;
            goto done;
        }
        ret = line_buf_set(&line, start, n);
        if (ret)
            goto done;
        if (line_no == 1 && strcmp(line.data, OWN_FORMAT_HEADER) == 0) {
            own_format = true;
            continue;
        }
        /* A header of a version we do not know must not be taken for a comment. */
        if (line_no == 1 && strncmp(line.data, OWN_FORMAT_PREFIX, strlen(OWN_FORMAT_PREFIX)) == 0) {
            ret = NTLM_ERR_USERDB_SYNTAX;
            goto done;
        }
        if (is_blank_or_comment(line.data))
            continue;
        if (u8_check((const uint8_t *)line.data, n) != NULL) {
            ret = NTLM_ERR_USERDB_SYNTAX;
            goto done;
        }
        ret = own_format ? parse_own_line(idx, line.data) : parse_foreign_line(idx, line.data);
        if (ret)
            goto done;
    }
    ret = index_build(idx);
done:
    line_buf_wipe(&line);
    if (ret) {
        ntlm_userdb_index_free(idx);
        if (ret == NTLM_ERR_USERDB_SYNTAX && bad_line != NULL)
            *bad_line = line_no;
    } else {
        *index = idx;
    }
    return ret;
}

uint32_t
ntlm_userdb_index_lookup(const struct ntlm_userdb_index *index, const char *user,
                         const char *domain, struct ntlm_user_entry *entry)
{
    char *user_key = NULL, *domain_key = NULL, *user_copy = NULL, *domain_copy = NULL;
    const struct userdb_record *rec;
    const uint32_t *slot;
    uint32_t ret;

    if (index == NULL || user == NULL || entry == NULL)
        return NTLM_ERR_INVALID_ARG;
    ret = ntlm_utf8_upper(user, &user_key);
    if (ret)
        goto done;
    if (domain == NULL || *domain == '\0') {
        slot = index_slot(index, user_key, NULL);
    } else {
        ret = ntlm_utf8_upper(domain, &domain_key);
        if (ret)
            goto done;
        slot = index_slot(index, user_key, domain_key);
        if (*slot == 0)
            slot = index_slot(index, user_key, "");
    }
    if (*slot == 0) {
        ret = NTLM_ERR_UNKNOWN_USER;
        goto done;
    }
    rec = &index->records[*slot - 1];
    user_copy = strdup(index->pool + rec->user);
    domain_copy = strdup(index->pool + rec->domain);
    if (user_copy == NULL || domain_copy == NULL) {
        ret = NTLM_ERR_NOMEM;
        goto done;
    }
    entry->user = user_copy;
    entry->domain = domain_copy;
    memcpy(entry->nt_hash, rec->nt_hash, sizeof(entry->nt_hash));
    user_copy = NULL;
    domain_copy = NULL;
done:
    free(domain_copy);
    free(user_copy);
    free(domain_key);
    free(user_key);
    /* No name that is not UTF-8 can be in the index. */
    return ret == NTLM_ERR_BAD_UTF8 ? NTLM_ERR_UNKNOWN_USER : ret;
}

size_t
ntlm_userdb_index_count(const struct ntlm_userdb_index *index)
{
    return index != NULL ? index->count : 0;
}

void
ntlm_userdb_index_free(struct ntlm_userdb_index *index)
{
    if (index == NULL)
        return;
    if (index->records != NULL)
        explicit_bzero(index->records, index->records_cap * sizeof(*index->records));
    free(index->records);
    free(index->pool);
    free(index->by_pair);
    free(index->by_user);
    free(index);
}

void
ntlm_user_entry_clear(struct ntlm_user_entry *entry)
{
    if (entry == NULL)
        return;
    explicit_bzero(entry->nt_hash, sizeof(entry->nt_hash));
    free(entry->user);
    free(entry->domain);
    entry->user = NULL;
    entry->domain = NULL;
}

static void
identity_from_stat(struct file_identity *id, const struct stat *st)
{
    id->dev = st->st_dev;
    id->ino = st->st_ino;
    id->size = st->st_size;
    id->mtim = st->st_mtim;
    id->ctim = st->st_ctim;
}

/* Whether the policy lets us use a file of this mode. Called with cache_lock held. */
static bool
mode_allowed(mode_t mode)
{
    return !strict_permissions || (mode & UNSAFE_MODE_BITS) == 0;
}

static bool
identity_equal(const struct file_identity *a, const struct file_identity *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtim.tv_sec == b->mtim.tv_sec && a->mtim.tv_nsec == b->mtim.tv_nsec &&
           a->ctim.tv_sec == b->ctim.tv_sec && a->ctim.tv_nsec == b->ctim.tv_nsec;
}

/*
 * Reads the whole regular file at path. *id is the identity before reading: a change made
 * while we read shows as a different identity at the next lookup, which then re-reads.
 */
static uint32_t
read_user_file(const char *path, char **text, size_t *text_len, struct file_identity *id)
{
    struct stat st;
    char *buf = NULL;
    size_t cap = 0, len = 0;
    int fd;
    uint32_t ret;

    /* O_NONBLOCK: a FIFO at path must not hang us before the regular-file check. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        ret = errno == ENOMEM ? NTLM_ERR_NOMEM : NTLM_ERR_USERDB_UNREADABLE;
        goto done;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uintmax_t)st.st_size >= SIZE_MAX) {
        ret = NTLM_ERR_USERDB_UNREADABLE;
        goto done;
    }
    /* On the descriptor we read: a file swapped in after a stat cannot slip through. */
    if (!mode_allowed(st.st_mode)) {
        ret = NTLM_ERR_USERDB_PERMISSIONS;
        goto done;
    }
    identity_from_stat(id, &st);
    /* The size is a hint: a file that grows while we read is read to its end. */
    cap = (size_t)st.st_size + 1;
    buf = malloc(cap);
    if (buf == NULL) {
        ret = NTLM_ERR_NOMEM;
        goto done;
    }
    for (;;) {
        ssize_t n;

        if (len == cap) {
            char *bigger = cap <= SIZE_MAX / 2 ? malloc(cap * 2) : NULL;

            if (bigger == NULL) {
                ret = NTLM_ERR_NOMEM;
                goto done;
            }
            memcpy(bigger, buf, len);
            explicit_bzero(buf, cap);
            free(buf);
            buf = bigger;
            cap *= 2;
        }
        n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ret = NTLM_ERR_USERDB_UNREADABLE;
            goto done;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    *text = buf;
    *text_len = len;
    buf = NULL;
    ret = 0;
done:
    if (buf != NULL) {
        explicit_bzero(buf, cap);
        free(buf);
    }
    if (fd >= 0)
        close(fd);
    return ret;
}

/* Drops the index: from now on lookups fail with error (fail closed). */
static void
userdb_fail(struct ntlm_userdb *db, uint32_t error)
{
    ntlm_userdb_index_free(db->index);
    db->index = NULL;
    db->error = error;
}

/* Reads and parses the file, replacing the index. Called with cache_lock held. */
static uint32_t
userdb_load(struct ntlm_userdb *db)
{
    struct ntlm_userdb_index *index = NULL;
    struct file_identity id;
    char *text = NULL;
    size_t len = 0;
    uint32_t ret;

    db->have_identity = false;
    ret = read_user_file(db->path, &text, &len, &id);
    if (ret)
        goto done;
    ret = ntlm_userdb_parse(text, len, &index, NULL);
    /* A syntax error stays until the file changes; other failures are retried next time. */
    if (ret == 0 || ret == NTLM_ERR_USERDB_SYNTAX) {
        db->id = id;
        db->have_identity = true;
    }
    if (ret)
        goto done;
    ntlm_userdb_index_free(db->index);
    db->index = index;
done:
    if (text != NULL) {
        explicit_bzero(text, len);
        free(text);
    }
    if (ret)
        userdb_fail(db, ret);
    return ret;
}

/* Re-parses when the file is not the one we parsed. Called with cache_lock held. */
static uint32_t
userdb_refresh(struct ntlm_userdb *db)
{
    struct file_identity id;
    struct stat st;

    if (stat(db->path, &st) != 0 || !S_ISREG(st.st_mode)) {
        db->have_identity = false;
        userdb_fail(db, NTLM_ERR_USERDB_UNREADABLE);
        return NTLM_ERR_USERDB_UNREADABLE;
    }
    /* Before the cache: the policy may have become strict since the file was parsed. */
    if (!mode_allowed(st.st_mode)) {
        db->have_identity = false;
        userdb_fail(db, NTLM_ERR_USERDB_PERMISSIONS);
        return NTLM_ERR_USERDB_PERMISSIONS;
    }
    identity_from_stat(&id, &st);
    if (db->have_identity && identity_equal(&id, &db->id))
        return db->index != NULL ? 0 : db->error;
    return userdb_load(db);
}

static void
userdb_free(struct ntlm_userdb *db)
{
    ntlm_userdb_index_free(db->index);
    free(db->path);
    free(db);
}

/* Frees the databases nobody holds beyond the IDLE_CACHE_MAX most recently opened ones. */
static void
cache_trim(void)
{
    struct ntlm_userdb **link = &cache;
    unsigned idle = 0;

    while (*link != NULL) {
        struct ntlm_userdb *db = *link;

        if (db->refs == 0 && (db->index == NULL || ++idle > IDLE_CACHE_MAX)) {
            *link = db->next;
            userdb_free(db);
        } else {
            link = &db->next;
        }
    }
}

/* Finds path in the cache and moves it to the front, or adds a new unparsed entry there. */
static uint32_t
cache_get(const char *path, struct ntlm_userdb **out)
{
    struct ntlm_userdb **link, *db;

    for (link = &cache; *link != NULL; link = &(*link)->next) {
        if (strcmp((*link)->path, path) == 0)
            break;
    }
    db = *link;
    if (db != NULL) {
        *link = db->next;
    } else {
        db = calloc(1, sizeof(*db));
        if (db == NULL)
            return NTLM_ERR_NOMEM;
        db->path = strdup(path);
        if (db->path == NULL) {
            free(db);
            return NTLM_ERR_NOMEM;
        }
    }
    db->next = cache;
    cache = db;
    *out = db;
    return 0;
}

uint32_t
ntlm_userdb_open(const char *path, struct ntlm_userdb **db)
{
    struct ntlm_userdb *found = NULL;
    uint32_t ret;

    if (path == NULL || db == NULL)
        return NTLM_ERR_INVALID_ARG;
    pthread_mutex_lock(&cache_lock);
    ret = cache_get(path, &found);
    if (ret)
        goto done;
    ret = userdb_refresh(found);
    if (ret)
        goto done;
    found->refs++;
    *db = found;
done:
    /* Drops, among others, the entry just made for a file that failed to load. */
    cache_trim();
    pthread_mutex_unlock(&cache_lock);
    return ret;
}

uint32_t
ntlm_userdb_lookup(struct ntlm_userdb *db, const char *user, const char *domain,
                   struct ntlm_user_entry *entry)
{
    uint32_t ret;

    if (db == NULL)
        return NTLM_ERR_INVALID_ARG;
    pthread_mutex_lock(&cache_lock);
    ret = userdb_refresh(db);
    if (ret == 0)
        ret = ntlm_userdb_index_lookup(db->index, user, domain, entry);
    pthread_mutex_unlock(&cache_lock);
    return ret;
}

void
ntlm_userdb_set_strict_permissions(bool strict)
{
    pthread_mutex_lock(&cache_lock);
    strict_permissions = strict;
    pthread_mutex_unlock(&cache_lock);
}

void
ntlm_userdb_release(struct ntlm_userdb *db)
{
    if (db == NULL)
        return;
    pthread_mutex_lock(&cache_lock);
    db->refs--;
    if (db->refs == 0)
        cache_trim();
    pthread_mutex_unlock(&cache_lock);
}
