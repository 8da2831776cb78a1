/* A growable output buffer with a sticky error whose old blocks are wiped (ntlm_buf.h). */
#include "ntlm_buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_errors.h"

/* Smallest block allocated, so that building a message header does not grow it repeatedly. */
#define NTLM_BUF_MIN_CAP 64

/*
 * Makes room for n more bytes. Growth never uses realloc: realloc may leave a copy of the old
 * contents (session keys, responses) in freed memory, so the old block is wiped first.
 */
static bool
buf_reserve(struct ntlm_buf *b, size_t n)
{
    size_t need, cap;
    uint8_t *p;

    if (b->err)
        return false;
    if (n > SIZE_MAX - b->len)
        goto fail;
    need = b->len + n;
    if (need <= b->cap)
        return true;
    cap = b->cap > NTLM_BUF_MIN_CAP ? b->cap : NTLM_BUF_MIN_CAP;
    while (cap < need)
        cap = cap <= SIZE_MAX / 2 ? cap * 2 : need;
    p = malloc(cap);
    if (p == NULL)
        goto fail;
    if (b->len > 0)
        memcpy(p, b->data, b->len);
    if (b->data != NULL) {
        explicit_bzero(b->data, b->len);
        free(b->data);
    }
    b->data = p;
    b->cap = cap;
    return true;

fail:
    b->err = true;
    return false;
}

void
ntlm_buf_add(struct ntlm_buf *b, const void *data, size_t n)
{
    if (!buf_reserve(b, n))
        return;
    if (n > 0)
        memcpy(b->data + b->len, data, n);
    b->len += n;
}

void
ntlm_buf_add_u8(struct ntlm_buf *b, uint8_t v)
{
    ntlm_buf_add(b, &v, 1);
}

void
ntlm_buf_add_le16(struct ntlm_buf *b, uint16_t v)
{
    uint8_t le[2] = {(uint8_t)v, (uint8_t)(v >> 8)};

    ntlm_buf_add(b, le, sizeof(le));
}

void
ntlm_buf_add_le32(struct ntlm_buf *b, uint32_t v)
{
    uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

    ntlm_buf_add(b, le, sizeof(le));
}

void
ntlm_buf_add_le64(struct ntlm_buf *b, uint64_t v)
{
    ntlm_buf_add_le32(b, (uint32_t)v);
    ntlm_buf_add_le32(b, (uint32_t)(v >> 32));
}

void
ntlm_buf_add_zeros(struct ntlm_buf *b, size_t n)
{
    if (!buf_reserve(b, n))
        return;
    if (n > 0)
        memset(b->data + b->len, 0, n);
    b->len += n;
}

void
ntlm_buf_put_at(struct ntlm_buf *b, size_t off, const void *data, size_t n)
{
    if (b->err)
        return;
    if (off > b->len || n > b->len - off) {
        b->err = true;
        return;
    }
    if (n > 0)
        memcpy(b->data + off, data, n);
}

void
ntlm_buf_put_le16_at(struct ntlm_buf *b, size_t off, uint16_t v)
{
    uint8_t le[2] = {(uint8_t)v, (uint8_t)(v >> 8)};

    ntlm_buf_put_at(b, off, le, sizeof(le));
}

void
ntlm_buf_put_le32_at(struct ntlm_buf *b, size_t off, uint32_t v)
{
    uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

    ntlm_buf_put_at(b, off, le, sizeof(le));
}

uint32_t
ntlm_buf_status(const struct ntlm_buf *b)
{
    return b->err ? NTLM_ERR_NOMEM : 0;
}

uint8_t *
ntlm_buf_take(struct ntlm_buf *b, size_t *len)
{
    uint8_t *data = b->data;

    /* After a failure the contents are incomplete; hand out nothing rather than a fragment. */
    if (b->err) {
        ntlm_buf_free(b);
        *len = 0;
        return NULL;
    }
    *len = b->len;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return data;
}

void
ntlm_buf_free(struct ntlm_buf *b)
{
    if (b->data != NULL) {
        explicit_bzero(b->data, b->len);
        free(b->data);
    }
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->err = false;
}

uint32_t
ntlm_buf_append(struct ntlm_buf *out, const struct ntlm_buf *done, size_t max)
{
    uint32_t ret = ntlm_buf_status(done);

    if (ret)
        return ret;
    if (done->len > max)
        return NTLM_ERR_TOKEN_TOO_LARGE;
    ntlm_buf_add(out, done->data, done->len);
    return ntlm_buf_status(out);
}

void *
ntlm_calloc_lines(size_t size)
{
    size_t whole;
    void *p;

    if (size == 0 || size > SIZE_MAX - (NTLM_CACHE_LINE - 1))
        return NULL;
    whole = (size + NTLM_CACHE_LINE - 1) / NTLM_CACHE_LINE * NTLM_CACHE_LINE;
    p = aligned_alloc(NTLM_CACHE_LINE, whole);
    if (p != NULL)
        memset(p, 0, whole);
    return p;
}
