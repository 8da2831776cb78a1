/* Text conversions for the wire (UTF-16LE, OEM) with Windows-style simple upper-casing. */
#include "ntlm_unicode.h"

#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <unistr.h>

#include "ntlm_errors.h"

/* Appends one code point as UTF-8; out has room for 4 more bytes. */
static size_t
put_utf8(uint8_t *out, ucs4_t c)
{
    int n = u8_uctomb(out, c, 4);

    return n > 0 ? (size_t)n : 0;
}

uint32_t
ntlm_utf16le_to_utf8(const uint8_t *in, size_t len, char **out)
{
    uint8_t *s = NULL;
    size_t i, o = 0;

    if (len % 2 != 0)
        return NTLM_ERR_UTF16_ODD_LENGTH;
    /* Each UTF-16 unit yields at most 3 UTF-8 bytes (a surrogate pair: 4 for two units). */
    s = malloc(len / 2 * 3 + 1);
    if (s == NULL)
        return NTLM_ERR_NOMEM;
    for (i = 0; i < len; i += 2) {
        ucs4_t c = (ucs4_t)in[i] | (ucs4_t)in[i + 1] << 8;

        if (c >= 0xD800 && c <= 0xDBFF) {
            ucs4_t lo;

            if (i + 4 > len)
                goto bad_surrogate;
            lo = (ucs4_t)in[i + 2] | (ucs4_t)in[i + 3] << 8;
            if (lo < 0xDC00 || lo > 0xDFFF)
                goto bad_surrogate;
            c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
            i += 2;
        } else if (c >= 0xDC00 && c <= 0xDFFF) {
            goto bad_surrogate;
        } else if (c == 0) {
            free(s);
            return NTLM_ERR_EMBEDDED_NUL;
        }
        o += put_utf8(s + o, c);
    }
    s[o] = '\0';
    *out = (char *)s;
    return 0;

bad_surrogate:
    free(s);
    return NTLM_ERR_UTF16_SURROGATE;
}

uint32_t
ntlm_oem_to_utf8(const uint8_t *in, size_t len, char **out)
{
    uint8_t *s;
    size_t i, o = 0;

    s = malloc(len * 2 + 1);
    if (s == NULL)
        return NTLM_ERR_NOMEM;
    for (i = 0; i < len; i++) {
        if (in[i] == 0) {
            free(s);
            return NTLM_ERR_EMBEDDED_NUL;
        }
        o += put_utf8(s + o, in[i]);
    }
    s[o] = '\0';
    *out = (char *)s;
    return 0;
}

/* Walks a NUL-terminated UTF-8 string: the next code point, or an error for bad UTF-8. */
static uint32_t
next_code_point(const uint8_t **p, ucs4_t *c)
{
    int n = u8_strmbtouc(c, *p);

    if (n <= 0)
        return NTLM_ERR_BAD_UTF8;
    *p += n;
    return 0;
}

static ucs4_t
simple_upper(ucs4_t c)
{
    /* uc_toupper is the simple (1:1) mapping from UnicodeData.txt, as Windows upcases. */
    return uc_toupper(c);
}

uint32_t
ntlm_utf8_to_utf16le(const char *in, bool upper, uint8_t **out, size_t *out_len)
{
    const uint8_t *p = (const uint8_t *)in;
    size_t cap = strlen(in) * 2, o = 0;
    uint8_t *s;
    uint32_t ret;

    *out = NULL;
    *out_len = 0;
    if (cap == 0)
        return 0;
    /* A code point of n UTF-8 bytes needs at most 2n UTF-16LE bytes. */
    s = malloc(cap);
    if (s == NULL)
        return NTLM_ERR_NOMEM;
    while (*p != '\0') {
        ucs4_t c;

        ret = next_code_point(&p, &c);
        if (ret) {
            free(s);
            return ret;
        }
        if (upper)
            c = simple_upper(c);
        if (c >= 0x10000) {
            ucs4_t v = c - 0x10000, hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);

            s[o++] = hi & 0xFF;
            s[o++] = hi >> 8;
            s[o++] = lo & 0xFF;
            s[o++] = lo >> 8;
        } else {
            s[o++] = c & 0xFF;
            s[o++] = c >> 8;
        }
    }
    *out = s;
    *out_len = o;
    return 0;
}

uint32_t
ntlm_utf8_to_oem(const char *in, bool upper, uint8_t **out, size_t *out_len)
{
    const uint8_t *p = (const uint8_t *)in;
    size_t o = 0;
    uint8_t *s;
    uint32_t ret;

    *out = NULL;
    *out_len = 0;
    if (*p == '\0')
        return 0;
    s = malloc(strlen(in));
    if (s == NULL)
        return NTLM_ERR_NOMEM;
    while (*p != '\0') {
        ucs4_t c;

        ret = next_code_point(&p, &c);
        if (ret == 0 && upper)
            c = simple_upper(c);
        if (ret == 0 && c > 0xFF)
            ret = NTLM_ERR_NOT_OEM;
        if (ret) {
            free(s);
            return ret;
        }
        s[o++] = (uint8_t)c;
    }
    *out = s;
    *out_len = o;
    return 0;
}

uint32_t
ntlm_utf8_upper(const char *in, char **out)
{
    const uint8_t *p = (const uint8_t *)in;
    /* Simple upper-casing can lengthen a code point's encoding by at most one byte. */
    uint8_t *s = malloc(strlen(in) * 2 + 1);
    size_t o = 0;
    uint32_t ret;

    if (s == NULL)
        return NTLM_ERR_NOMEM;
    while (*p != '\0') {
        ucs4_t c;

        ret = next_code_point(&p, &c);
        if (ret) {
            free(s);
            return ret;
        }
        o += put_utf8(s + o, simple_upper(c));
    }
    s[o] = '\0';
    *out = (char *)s;
    return 0;
}

bool
ntlm_utf8_case_equal(const char *a, const char *b)
{
    const uint8_t *p = (const uint8_t *)a, *q = (const uint8_t *)b;

    while (*p != '\0' && *q != '\0') {
        ucs4_t c, d;

        if (next_code_point(&p, &c) || next_code_point(&q, &d))
            return false;
        if (simple_upper(c) != simple_upper(d))
            return false;
    }
    return *p == '\0' && *q == '\0';
}

bool
ntlm_account_name_valid(const char *s)
{
    const uint8_t *p = (const uint8_t *)s;
    ucs4_t c;

    while (*p != '\0') {
        if (next_code_point(&p, &c))
            return false;
        /* C0, DEL and C1 controls, and the separator of DOMAIN\user. */
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\\')
            return false;
    }
    return true;
}
