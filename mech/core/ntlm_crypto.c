/*
 * The crypto primitives NTLMSSP needs, on OpenSSL 3. MD4 and single DES live only in the legacy
 * provider, so everything is fetched once from a private library context that loads it; the
 * process-wide default context and its configuration are left alone. RC4 is computed here,
 * because its state must be exported and restored (see ntlm_crypto.h).
 */
/* MD5's low-level API (deprecated in 3.0, still there): its context is a plain struct that can
 * be copied, which is what a pre-keyed HMAC needs; EVP contexts allocate on every copy. */
#define OPENSSL_API_COMPAT 10101

#include "ntlm_crypto.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <zlib.h>

#include "ntlm_errors.h"

/* EVP update calls take an int length; larger inputs are fed in pieces of this size. */
#define EVP_CHUNK (1u << 30)

static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;
static uint32_t crypto_status = NTLM_ERR_CRYPTO;
static OSSL_LIB_CTX *libctx;
static EVP_MD *md4;
static EVP_CIPHER *des_ecb;

/*
 * The per-thread pool of random bytes (see ntlm_random). fork_token points into one page mapped
 * with MADV_WIPEONFORK: it holds this process's token, a random non-zero value, and reads 0 in
 * the child of any fork (fork(2), or clone(2) without CLONE_VM), whichever way it was made. A
 * pool filled under another token than the one read now is dropped unused. NULL when the kernel
 * cannot wipe on fork (before Linux 4.14): then there is no pool.
 */
#define RANDOM_POOL_BYTES 256
struct random_pool {
    uint64_t token;
    size_t left;
    uint8_t bytes[RANDOM_POOL_BYTES];
};
static _Atomic uint64_t *fork_token;
static __thread struct random_pool pool;

_Static_assert(sizeof(MD5_CTX) <= sizeof(((struct ntlm_hmac_md5_key *)0)->inner),
               "struct ntlm_hmac_md5_key must hold an MD5_CTX");

static bool random_bytes(uint8_t *p, size_t len);

/* A non-zero token from the DRBG, or 0 when it fails. */
static uint64_t
new_token(void)
{
    uint64_t token = 0;

    if (!random_bytes((uint8_t *)&token, sizeof(token)))
        return 0;
    return token | 1;
}

/* Maps the page that tells a forked child from its parent; a kernel that cannot wipe it on
 * fork leaves fork_token NULL, and ntlm_random without a pool. */
static void
fork_token_map(void)
{
    void *page;

    page = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                -1, 0);
    if (page == MAP_FAILED)
        return;
    if (madvise(page, sizeof(uint64_t), MADV_WIPEONFORK) != 0) {
        munmap(page, sizeof(uint64_t));
        return;
    }
    fork_token = page;
    atomic_store(fork_token, new_token());
}

/* Releases what crypto_load got before it failed, so that a failed init holds nothing. */
static void
crypto_unload(void)
{
    EVP_CIPHER_free(des_ecb);
    EVP_MD_free(md4);
    /* Freeing the context unloads its providers. */
    OSSL_LIB_CTX_free(libctx);
    des_ecb = NULL;
    md4 = NULL;
    libctx = NULL;
}

/* Runs once per process; on success the context and algorithms live until exit. */
static void
crypto_load(void)
{
    libctx = OSSL_LIB_CTX_new();
    if (libctx == NULL)
        goto done;
    if (OSSL_PROVIDER_load(libctx, "legacy") == NULL ||
        OSSL_PROVIDER_load(libctx, "default") == NULL)
        goto done;
    md4 = EVP_MD_fetch(libctx, "MD4", NULL);
    des_ecb = EVP_CIPHER_fetch(libctx, "DES-ECB", NULL);
    if (md4 == NULL || des_ecb == NULL)
        goto done;
    fork_token_map();
    crypto_status = 0;
done:
    if (crypto_status != 0)
        crypto_unload();
}

uint32_t
ntlm_crypto_init(void)
{
    if (pthread_once(&crypto_once, crypto_load) != 0)
        return NTLM_ERR_CRYPTO;
    return crypto_status;
}

/* Callers have run ntlm_crypto_init, which is what makes md valid. */
static uint32_t
digest(const EVP_MD *md, const struct ntlm_iov *iov, size_t n, uint8_t out[16])
{
    EVP_MD_CTX *ctx = NULL;
    uint32_t ret;
    size_t i;

    ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        ret = NTLM_ERR_NOMEM;
        goto done;
    }
    ret = NTLM_ERR_CRYPTO;
    if (!EVP_DigestInit_ex2(ctx, md, NULL))
        goto done;
    for (i = 0; i < n; i++) {
        if (!EVP_DigestUpdate(ctx, iov[i].data, iov[i].len))
            goto done;
    }
    if (!EVP_DigestFinal_ex(ctx, out, NULL))
        goto done;
    ret = 0;
done:
    EVP_MD_CTX_free(ctx);
    return ret;
}

uint32_t
ntlm_md4(const void *data, size_t len, uint8_t out[16])
{
    struct ntlm_iov iov = {data, len};

    if (ntlm_crypto_init())
        return NTLM_ERR_CRYPTO;
    return digest(md4, &iov, 1, out);
}

/*
 * Through MD5's low-level context, as the HMAC below: an EVP digest allocates, initialises and
 * frees a context per call, which cost more than the one or two blocks NTLM hashes here (the
 * SIGNKEY and SEALKEY of every handshake).
 */
uint32_t
ntlm_md5(const struct ntlm_iov *iov, size_t n, uint8_t out[16])
{
    MD5_CTX ctx;
    size_t i;

    if (ntlm_crypto_init())
        return NTLM_ERR_CRYPTO;
    MD5_Init(&ctx);
    for (i = 0; i < n; i++)
        MD5_Update(&ctx, iov[i].data, iov[i].len);
    MD5_Final(out, &ctx);
    ntlm_wipe(&ctx, sizeof(ctx));
    return 0;
}

/* RFC 2104: the key, hashed first if longer than a block, padded to one MD5 block. */
uint32_t
ntlm_hmac_md5_key(const uint8_t *key, size_t key_len, struct ntlm_hmac_md5_key *k)
{
    uint8_t block[64], hashed[16];
    MD5_CTX ctx;
    size_t i;

    if (key_len > sizeof(block)) {
        MD5_Init(&ctx);
        MD5_Update(&ctx, key, key_len);
        MD5_Final(hashed, &ctx);
        key = hashed;
        key_len = sizeof(hashed);
    }
    /* The pads past the key are the pad bytes themselves; only key_len bytes need a XOR. */
    memset(block, 0x36, sizeof(block));
    for (i = 0; i < key_len; i++)
        block[i] ^= key[i];
    MD5_Init(&ctx);
    MD5_Update(&ctx, block, sizeof(block));
    memcpy(k->inner, &ctx, sizeof(ctx));
    memset(block, 0x5c, sizeof(block));
    for (i = 0; i < key_len; i++)
        block[i] ^= key[i];
    MD5_Init(&ctx);
    MD5_Update(&ctx, block, sizeof(block));
    memcpy(k->outer, &ctx, sizeof(ctx));
    ntlm_wipe(block, sizeof(block));
    ntlm_wipe(hashed, sizeof(hashed));
    ntlm_wipe(&ctx, sizeof(ctx));
    return 0;
}

uint32_t
ntlm_hmac_md5_keyed(const struct ntlm_hmac_md5_key *k, const struct ntlm_iov *iov, size_t n,
                    uint8_t out[16])
{
    uint8_t inner[16];
    MD5_CTX ctx;
    size_t i;

    memcpy(&ctx, k->inner, sizeof(ctx));
    for (i = 0; i < n; i++)
        MD5_Update(&ctx, iov[i].data, iov[i].len);
    MD5_Final(inner, &ctx);
    memcpy(&ctx, k->outer, sizeof(ctx));
    MD5_Update(&ctx, inner, sizeof(inner));
    MD5_Final(out, &ctx);
    ntlm_wipe(inner, sizeof(inner));
    ntlm_wipe(&ctx, sizeof(ctx));
    return 0;
}

uint32_t
ntlm_hmac_md5(const uint8_t *key, size_t key_len, const struct ntlm_iov *iov, size_t n,
              uint8_t out[16])
{
    struct ntlm_hmac_md5_key k;
    uint32_t ret;

    ret = ntlm_hmac_md5_key(key, key_len, &k);
    if (ret == 0)
        ret = ntlm_hmac_md5_keyed(&k, iov, n, out);
    ntlm_wipe(&k, sizeof(k));
    return ret;
}

/*
 * Random bytes from this thread's public DRBG, asked directly: OpenSSL 3.0's RAND_bytes first
 * looks up the deprecated RAND_METHOD under a process-wide write lock (RAND_get_rand_method),
 * which every handshake of every thread took up to three times (perf on bench_scale, 2 threads).
 * The DRBG is the one RAND_bytes ends at, from the configured providers; only a RAND_METHOD
 * set through the deprecated ENGINE API is not consulted.
 */
static bool
random_bytes(uint8_t *p, size_t len)
{
    EVP_RAND_CTX *drbg = RAND_get0_public(NULL);

    if (drbg != NULL)
        return EVP_RAND_generate(drbg, p, len, 0, 0, NULL, 0) == 1;
    return RAND_bytes(p, (int)len) == 1;
}

/* Asks the DRBG for len bytes, in pieces EVP's int lengths can carry. */
static bool
random_direct(uint8_t *p, size_t len)
{
    while (len > 0) {
        size_t step = len < EVP_CHUNK ? len : EVP_CHUNK;

        if (!random_bytes(p, step))
            return false;
        p += step;
        len -= step;
    }
    return true;
}

/* This process's token: a forked child finds 0 and makes its own (the first thread to get
 * there wins, the others take its token). 0 when none can be made. */
static uint64_t
current_token(void)
{
    uint64_t token = atomic_load_explicit(fork_token, memory_order_acquire);
    uint64_t expected = 0;

    if (token != 0)
        return token;
    token = new_token();
    if (token == 0)
        return 0;
    if (!atomic_compare_exchange_strong(fork_token, &expected, token))
        token = expected;
    return token;
}

/*
 * Small draws (a challenge, a client challenge and session key) come from a per-thread pool of
 * the DRBG's output, filled 256 bytes at a time. Every EVP_RAND_generate of OpenSSL 3 asks
 * getpid(2) for its own fork check, and RAND_get0_public takes a process-wide read lock: with one
 * draw per side of a handshake, they were 6-8% of a handshake in two threads (perf, bench_scale;
 * a system call is dear on a VM). The pool is never handed out twice: its bytes are wiped as
 * they are taken, and a forked child drops its parent's (fork_token). What a pool still holds
 * when its thread ends was never handed out, and is nobody's key.
 */
uint32_t
ntlm_random(void *out, size_t len)
{
    uint64_t token;

    if (ntlm_crypto_init())
        return NTLM_ERR_CRYPTO;
    if (fork_token == NULL || len > RANDOM_POOL_BYTES / 4 || (token = current_token()) == 0)
        return random_direct(out, len) ? 0 : NTLM_ERR_CRYPTO;
    if (pool.token != token || pool.left < len) {
        ntlm_wipe(pool.bytes, sizeof(pool.bytes));
        pool.left = 0;
        pool.token = token;
        if (!random_bytes(pool.bytes, sizeof(pool.bytes)))
            return NTLM_ERR_CRYPTO;
        pool.left = sizeof(pool.bytes);
    }
    pool.left -= len;
    memcpy(out, pool.bytes + pool.left, len);
    ntlm_wipe(pool.bytes + pool.left, len);
    return 0;
}

uint32_t
ntlm_crc32(const struct ntlm_iov *iov, size_t n)
{
    uLong crc = crc32_z(0, Z_NULL, 0);
    size_t i;

    for (i = 0; i < n; i++)
        crc = crc32_z(crc, iov[i].data, iov[i].len);
    return (uint32_t)crc;
}

/* DES keys carry a parity bit in the low bit of each byte; set it for odd parity. */
static uint8_t
odd_parity(uint8_t b)
{
    unsigned ones = (unsigned)__builtin_popcount(b >> 1);

    return (uint8_t)((b & 0xFE) | ((ones & 1) == 0));
}

uint32_t
ntlm_des7(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8])
{
    EVP_CIPHER_CTX *ctx = NULL;
    uint8_t key[8];
    int len = 0;
    uint32_t ret;
    int i;

    ret = ntlm_crypto_init();
    if (ret)
        goto done;
    /* Spread the 56 key bits over the high 7 bits of 8 bytes (MS-NLMP 6, DES key setup). */
    key[0] = key7[0];
    for (i = 1; i < 7; i++)
        key[i] = (uint8_t)(key7[i - 1] << (8 - i) | key7[i] >> i);
    key[7] = (uint8_t)(key7[6] << 1);
    for (i = 0; i < 8; i++)
        key[i] = odd_parity(key[i]);
    ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL) {
        ret = NTLM_ERR_NOMEM;
        goto done;
    }
    ret = NTLM_ERR_CRYPTO;
    if (!EVP_EncryptInit_ex2(ctx, des_ecb, key, NULL, NULL) || !EVP_CIPHER_CTX_set_padding(ctx, 0))
        goto done;
    if (!EVP_EncryptUpdate(ctx, out, &len, in, 8) || len != 8)
        goto done;
    ret = 0;
done:
    explicit_bzero(key, sizeof(key));
    EVP_CIPHER_CTX_free(ctx);
    return ret;
}

/*
 * RC4 as RFC 6229's test vectors check it: the key schedule, then one keystream byte per data
 * byte. Plain C runs at 75-95% of OpenSSL's assembly (550-600 MB/s on the reference machine);
 * with the HMAC-MD5 beside it, gss_wrap measured 0.85-1.0x and gss_get_mic 1.0-1.05x of the EVP
 * version (bench_gss --only protect). That buys a state that saves, rewinds and exports.
 */
/* The RC4 key schedule; key_len is 1..256. */
static void
rc4_key(struct ntlm_rc4 *st, const uint8_t *key, size_t key_len)
{
    uint8_t j = 0, t;
    size_t i, k = 0;

    for (i = 0; i < 256; i++)
        st->s[i] = (uint8_t)i;
    for (i = 0; i < 256; i++) {
        j = (uint8_t)(j + st->s[i] + key[k]);
        k = k + 1 == key_len ? 0 : k + 1;
        t = st->s[i];
        st->s[i] = st->s[j];
        st->s[j] = t;
    }
    st->i = 0;
    st->j = 0;
}

uint32_t
ntlm_rc4_new(const uint8_t *key, size_t key_len, struct ntlm_rc4 **out)
{
    struct ntlm_rc4 *st;

    if (key_len == 0 || key_len > 256)
        return NTLM_ERR_INVALID_ARG;
    st = malloc(sizeof(*st));
    if (st == NULL)
        return NTLM_ERR_NOMEM;
    rc4_key(st, key, key_len);
    *out = st;
    return 0;
}

uint32_t
ntlm_rc4_update(struct ntlm_rc4 *st, const uint8_t *in, uint8_t *out, size_t len)
{
    uint8_t i = st->i, j = st->j, si, sj;
    size_t n;

    for (n = 0; n < len; n++) {
        i++;
        si = st->s[i];
        j = (uint8_t)(j + si);
        sj = st->s[j];
        st->s[i] = sj;
        st->s[j] = si;
        out[n] = in[n] ^ st->s[(uint8_t)(si + sj)];
    }
    st->i = i;
    st->j = j;
    return 0;
}

void
ntlm_rc4_skip(struct ntlm_rc4 *st, uint64_t len)
{
    uint8_t i = st->i, j = st->j, si;

    for (; len > 0; len--) {
        i++;
        si = st->s[i];
        j = (uint8_t)(j + si);
        st->s[i] = st->s[j];
        st->s[j] = si;
    }
    st->i = i;
    st->j = j;
}

void
ntlm_rc4_export(const struct ntlm_rc4 *st, uint8_t out[NTLM_RC4_STATE_SIZE])
{
    out[0] = st->i;
    out[1] = st->j;
    memcpy(out + 2, st->s, sizeof(st->s));
}

uint32_t
ntlm_rc4_import(const uint8_t in[NTLM_RC4_STATE_SIZE], struct ntlm_rc4 **out)
{
    bool seen[256] = {false};
    struct ntlm_rc4 *st;
    size_t k;

    /* Every RC4 state is a permutation: anything else was not written by ntlm_rc4_export. */
    for (k = 0; k < 256; k++) {
        if (seen[in[2 + k]])
            return NTLM_ERR_INVALID_ARG;
        seen[in[2 + k]] = true;
    }
    st = malloc(sizeof(*st));
    if (st == NULL)
        return NTLM_ERR_NOMEM;
    st->i = in[0];
    st->j = in[1];
    memcpy(st->s, in + 2, sizeof(st->s));
    *out = st;
    return 0;
}

void
ntlm_rc4_free(struct ntlm_rc4 *st)
{
    if (st == NULL)
        return;
    ntlm_wipe(st, sizeof(*st));
    free(st);
}

uint32_t
ntlm_rc4k(const uint8_t *key, size_t key_len, const uint8_t *in, uint8_t *out, size_t len)
{
    struct ntlm_rc4 st;
    uint32_t ret;

    /* One use, so the state lives on the stack (the key exchange of every handshake). */
    if (key_len == 0 || key_len > 256)
        return NTLM_ERR_INVALID_ARG;
    rc4_key(&st, key, key_len);
    ret = ntlm_rc4_update(&st, in, out, len);
    ntlm_wipe(&st, sizeof(st));
    return ret;
}

int
ntlm_ct_equal(const void *a, const void *b, size_t len)
{
    return CRYPTO_memcmp(a, b, len) == 0;
}

void
ntlm_wipe(void *p, size_t len)
{
    explicit_bzero(p, len);
}
