/* The bounds-checked cursor every decoder reads untrusted bytes through (ntlm_reader.h). */
#include "ntlm_reader.h"

#include <string.h>

void
ntlm_reader_init(struct ntlm_reader *r, const void *data, size_t len)
{
    r->base = data;
    r->len = data != NULL ? len : 0;
    r->pos = 0;
    r->err = false;
}

const uint8_t *
ntlm_read_bytes(struct ntlm_reader *r, size_t n)
{
    const uint8_t *p;

    /* Once a read has failed, the cursor's position no longer means anything: stay failed. */
    if (r->err || n > r->len - r->pos) {
        r->err = true;
        return NULL;
    }
    /* No arithmetic on a NULL base, even with n == 0 (undefined behaviour). */
    if (r->base == NULL)
        return NULL;
    p = r->base + r->pos;
    r->pos += n;
    return p;
}

uint8_t
ntlm_read_u8(struct ntlm_reader *r)
{
    const uint8_t *p = ntlm_read_bytes(r, 1);

    return p != NULL ? p[0] : 0;
}

uint16_t
ntlm_read_le16(struct ntlm_reader *r)
{
    const uint8_t *p = ntlm_read_bytes(r, 2);

    if (p == NULL)
        return 0;
    return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t
ntlm_read_le32(struct ntlm_reader *r)
{
    const uint8_t *p = ntlm_read_bytes(r, 4);

    if (p == NULL)
        return 0;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t
ntlm_read_le64(struct ntlm_reader *r)
{
    uint64_t lo = ntlm_read_le32(r);
    uint64_t hi = ntlm_read_le32(r);

    /* A half-read value is not returned: a failed second read must not leave `lo` behind. */
    if (r->err)
        return 0;
    return lo | hi << 32;
}

void
ntlm_read_copy(struct ntlm_reader *r, void *out, size_t n)
{
    const uint8_t *p = ntlm_read_bytes(r, n);

    /* Zero-fill on failure so the caller never works with uninitialised bytes. */
    if (p != NULL)
        memcpy(out, p, n);
    else if (n > 0)
        memset(out, 0, n);
}

size_t
ntlm_reader_remaining(const struct ntlm_reader *r)
{
    return r->len - r->pos;
}

const uint8_t *
ntlm_reader_at(const struct ntlm_reader *r, size_t off, size_t n)
{
    /* Written as two comparisons so that off + n is never computed and cannot wrap. */
    if (off > r->len || n > r->len - off)
        return NULL;
    if (r->base == NULL)
        return NULL;
    return r->base + off;
}
