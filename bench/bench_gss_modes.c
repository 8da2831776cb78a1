/*
 * The child side of bench_gss: each mode measures one thing through the public GSS-API (or, for
 * rawcrypto, through bare OpenSSL) in a process whose GSS_MECH_CONFIG names one module.
 */
#include "bench_gss_modes.h"

#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>

#include "bench_peers.h"
#include "bench_util.h"

/* A client that imported its target once, as a client making many connections would. */
static int
establish_held_target(struct bench_peers *p, gss_ctx_id_t *ictx, gss_ctx_id_t *actx)
{
    return bench_establish(p, p->target, ictx, actx);
}

static int
handshake_op(void *arg)
{
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    OM_uint32 min;
    int ret;

    ret = establish_held_target(arg, &ictx, &actx);
    gss_delete_sec_context(&min, &ictx, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&min, &actx, GSS_C_NO_BUFFER);
    return ret;
}

static int
parse_kind(const char *arg, const char *a, const char *b, bool *is_b)
{
    if (strcmp(arg, a) == 0 || strcmp(arg, b) == 0) {
        *is_b = strcmp(arg, b) == 0;
        return 0;
    }
    fprintf(stderr, "bench: expected %s or %s, got %s\n", a, b, arg);
    return -1;
}

/* handshakes raw|spnego USERFILE SECONDS, or handshakes-count raw|spnego USERFILE N. */
static int
mode_handshakes(bool count_only, const char *kind, const char *users, const char *amount)
{
    struct bench_timing t;
    struct bench_peers p;
    double start, first;
    bool spnego;
    long i, n;

    if (parse_kind(kind, "raw", "spnego", &spnego) != 0)
        return 2;
    setenv("NTLM_USER_FILE", users, 1);
    /* Credentials and the first handshake load the user database (ours parses it whole when
     * the acceptor credential is acquired): timed apart, as first_ms. */
    start = bench_now_wall();
    if (bench_peers_setup(&p, spnego) != 0)
        return 1;
    if (handshake_op(&p) != 0)
        goto fail;
    first = bench_now_wall() - start;
    if (count_only) {
        n = strtol(amount, NULL, 10);
        for (i = 0; i < n; i++) {
            if (handshake_op(&p) != 0)
                goto fail;
        }
    } else {
        if (bench_time(0.05, handshake_op, &p, &t) != 0 ||
            bench_time(strtod(amount, NULL), handshake_op, &p, &t) != 0)
            goto fail;
        printf("value %.3f\nfirst_ms %.3f\nops %llu\n", bench_rate(&t), first * 1000,
               (unsigned long long)t.ops);
    }
    bench_peers_free(&p);
    return 0;
fail:
    bench_peers_free(&p);
    return 1;
}

struct protect {
    gss_ctx_id_t ctx;
    gss_buffer_desc msg;
    bool wrap;
};

static int
protect_op(void *arg)
{
    struct protect *pr = arg;
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min;
    int conf = 0;

    if (pr->wrap)
        maj = gss_wrap(&min, pr->ctx, 1, GSS_C_QOP_DEFAULT, &pr->msg, &conf, &tok);
    else
        maj = gss_get_mic(&min, pr->ctx, GSS_C_QOP_DEFAULT, &pr->msg, &tok);
    gss_release_buffer(&min, &tok);
    if (maj != GSS_S_COMPLETE || (pr->wrap && !conf)) {
        bench_report_gss(pr->wrap ? "gss_wrap" : "gss_get_mic", maj, min);
        return -1;
    }
    return 0;
}

/* One token checked by the peer before timing: the measured calls do what they claim. */
static int
protect_check(struct protect *pr, gss_ctx_id_t peer)
{
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, back = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min;
    int conf = 0, ret = -1;

    if (pr->wrap) {
        maj = gss_wrap(&min, pr->ctx, 1, GSS_C_QOP_DEFAULT, &pr->msg, &conf, &tok);
        if (maj == GSS_S_COMPLETE)
            maj = gss_unwrap(&min, peer, &tok, &back, &conf, NULL);
        if (maj == GSS_S_COMPLETE && conf && back.length == pr->msg.length &&
            memcmp(back.value, pr->msg.value, back.length) == 0)
            ret = 0;
    } else {
        maj = gss_get_mic(&min, pr->ctx, GSS_C_QOP_DEFAULT, &pr->msg, &tok);
        if (maj == GSS_S_COMPLETE)
            maj = gss_verify_mic(&min, peer, &pr->msg, &tok, NULL);
        if (maj == GSS_S_COMPLETE)
            ret = 0;
    }
    if (ret != 0)
        bench_report_gss("protection round trip", maj, min);
    gss_release_buffer(&min, &tok);
    gss_release_buffer(&min, &back);
    return ret;
}

static int
mode_protect(const char *kind, size_t size, double seconds)
{
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    struct protect pr = {0};
    struct bench_timing t;
    struct bench_peers p;
    OM_uint32 min;
    int ret = 1;

    if (parse_kind(kind, "get_mic", "wrap", &pr.wrap) != 0)
        return 2;
    if (bench_peers_setup(&p, false) != 0)
        return 1;
    pr.msg.length = size;
    pr.msg.value = malloc(size);
    if (pr.msg.value == NULL || establish_held_target(&p, &ictx, &actx) != 0)
        goto done;
    memset(pr.msg.value, 0x5a, size);
    pr.ctx = ictx;
    if (protect_check(&pr, actx) != 0 || bench_time(0.02, protect_op, &pr, &t) != 0 ||
        bench_time(seconds, protect_op, &pr, &t) != 0)
        goto done;
    printf("value %.3f\nops %llu\n", bench_rate(&t), (unsigned long long)t.ops);
    ret = 0;
done:
    free(pr.msg.value);
    gss_delete_sec_context(&min, &ictx, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&min, &actx, GSS_C_NO_BUFFER);
    bench_peers_free(&p);
    return ret;
}

/*
 * The floor: what NTLMv2 sealing with key exchange costs in OpenSSL itself. get_mic is
 * HMAC-MD5(key, seqnum || msg) and RC4 over the 8-byte checksum; wrap adds RC4 over the message.
 * Algorithms fetched once from a private library context with the legacy provider; per message
 * the HMAC is re-keyed and the RC4 stream continues, as on a context.
 */
struct rawcrypto {
    EVP_MAC_CTX *mac;
    EVP_CIPHER_CTX *rc4;
    unsigned char key[16], seq[4], *msg, *out;
    size_t size;
    bool wrap;
};

static int
rawcrypto_op(void *arg)
{
    struct rawcrypto *rc = arg;
    unsigned char digest[16], checksum[8];
    size_t dlen;
    int outl;

    if (rc->wrap && !EVP_EncryptUpdate(rc->rc4, rc->out, &outl, rc->msg, (int)rc->size))
        return -1;
    if (!EVP_MAC_init(rc->mac, rc->key, sizeof(rc->key), NULL) ||
        !EVP_MAC_update(rc->mac, rc->seq, sizeof(rc->seq)) ||
        !EVP_MAC_update(rc->mac, rc->msg, rc->size) ||
        !EVP_MAC_final(rc->mac, digest, &dlen, sizeof(digest)) ||
        !EVP_EncryptUpdate(rc->rc4, checksum, &outl, digest, sizeof(checksum)))
        return -1;
    rc->seq[0]++;
    return 0;
}

static int
mode_rawcrypto(const char *kind, size_t size, double seconds)
{
    OSSL_PARAM params[2];
    OSSL_LIB_CTX *libctx = NULL;
    EVP_MAC *hmac = NULL;
    EVP_CIPHER *rc4 = NULL;
    struct rawcrypto rc = {0};
    struct bench_timing t;
    int ret = 1;

    if (parse_kind(kind, "get_mic", "wrap", &rc.wrap) != 0)
        return 2;
    rc.size = size;
    rc.msg = calloc(1, size ? size : 1);
    rc.out = calloc(1, size ? size : 1);
    memset(rc.key, 0x11, sizeof(rc.key));
    libctx = OSSL_LIB_CTX_new();
    if (rc.msg == NULL || rc.out == NULL || libctx == NULL ||
        OSSL_PROVIDER_load(libctx, "legacy") == NULL ||
        OSSL_PROVIDER_load(libctx, "default") == NULL)
        goto done;
    hmac = EVP_MAC_fetch(libctx, "HMAC", NULL);
    rc4 = EVP_CIPHER_fetch(libctx, "RC4", NULL);
    if (hmac == NULL || rc4 == NULL)
        goto done;
    rc.mac = EVP_MAC_CTX_new(hmac);
    rc.rc4 = EVP_CIPHER_CTX_new();
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"MD5", 0);
    params[1] = OSSL_PARAM_construct_end();
    if (rc.mac == NULL || rc.rc4 == NULL || !EVP_MAC_init(rc.mac, rc.key, sizeof(rc.key), params) ||
        !EVP_EncryptInit_ex2(rc.rc4, rc4, rc.key, NULL, NULL))
        goto done;
    if (bench_time(0.02, rawcrypto_op, &rc, &t) != 0 ||
        bench_time(seconds, rawcrypto_op, &rc, &t) != 0)
        goto done;
    printf("value %.3f\nops %llu\n", bench_rate(&t), (unsigned long long)t.ops);
    ret = 0;
done:
    if (ret != 0)
        fprintf(stderr, "bench: OpenSSL HMAC-MD5/RC4 (legacy provider) unavailable\n");
    EVP_CIPHER_CTX_free(rc.rc4);
    EVP_MAC_CTX_free(rc.mac);
    EVP_CIPHER_free(rc4);
    EVP_MAC_free(hmac);
    OSSL_LIB_CTX_free(libctx);
    free(rc.msg);
    free(rc.out);
    return ret;
}

/* Bytes the process holds from malloc: arena chunks in use plus mmapped blocks. */
static double
heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();

    return (double)mi.uordblks + (double)mi.hblkhd;
}

/*
 * held: server contexts kept after their handshakes (the client side deleted), per context.
 * leak: growth over N complete handshakes after a 50-handshake warm-up, per handshake.
 * Run with tcache disabled (the parent sets GLIBC_TUNABLES): tcache'd chunks count as in use.
 */
static int
mode_heap(const char *kind, long n)
{
    gss_ctx_id_t *held = NULL, ictx;
    struct bench_peers p;
    double before, after;
    OM_uint32 min;
    bool leak, ok;
    long i, kept = 0;
    int ret = 1;

    if (parse_kind(kind, "held", "leak", &leak) != 0 || n <= 0)
        return 2;
    if (bench_peers_setup(&p, false) != 0)
        return 1;
    held = calloc((size_t)n, sizeof(*held));
    if (held == NULL)
        goto done;
    for (i = 0; i < 50; i++) {
        if (handshake_op(&p) != 0)
            goto done;
    }
    before = heap_in_use();
    for (i = 0; i < n; i++) {
        if (leak) {
            if (handshake_op(&p) != 0)
                goto done;
            continue;
        }
        ictx = GSS_C_NO_CONTEXT;
        ok = establish_held_target(&p, &ictx, &held[i]) == 0;
        gss_delete_sec_context(&min, &ictx, GSS_C_NO_BUFFER);
        kept = i + 1;
        if (!ok)
            goto done;
    }
    after = heap_in_use();
    printf("value %.3f\n", (after - before) / (double)n);
    ret = 0;
done:
    for (i = 0; i < kept; i++)
        gss_delete_sec_context(&min, &held[i], GSS_C_NO_BUFFER);
    free(held);
    bench_peers_free(&p);
    return ret;
}

int
bench_gss_mode(int argc, char **argv)
{
    const char *mode = argv[1];

    if (argc == 5 && strcmp(mode, "handshakes") == 0)
        return mode_handshakes(false, argv[2], argv[3], argv[4]);
    if (argc == 5 && strcmp(mode, "handshakes-count") == 0)
        return mode_handshakes(true, argv[2], argv[3], argv[4]);
    if (argc == 5 && strcmp(mode, "protect") == 0)
        return mode_protect(argv[2], strtoul(argv[3], NULL, 10), strtod(argv[4], NULL));
    if (argc == 5 && strcmp(mode, "rawcrypto") == 0)
        return mode_rawcrypto(argv[2], strtoul(argv[3], NULL, 10), strtod(argv[4], NULL));
    if (argc == 4 && strcmp(mode, "heap") == 0)
        return mode_heap(argv[2], strtol(argv[3], NULL, 10));
    fprintf(stderr, "bench: unknown mode or wrong arguments: %s\n", mode);
    return 2;
}
