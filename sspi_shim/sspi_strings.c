/* UTF-16 (WCHAR) and UTF-8 conversions for the A and W entry points, on libunistring. */
#include "sspi_strings.h"

#include "sspi_buffers.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

size_t
sspi_wcslen(const SEC_WCHAR *s)
{
    size_t n = 0;

    while (s[n] != 0)
        n++;
    return n;
}

/* Adds the terminator libunistring leaves out; strings with an embedded NUL are refused. */
static char *
terminated(uint8_t *bytes, size_t len)
{
    uint8_t *out = realloc(bytes, len + 1);

    if (out == NULL) {
        free(bytes);
        return NULL;
    }
    out[len] = '\0';
    if (memchr(out, 0, len) != NULL) {
        free(out);
        return NULL;
    }
    return (char *)out;
}

char *
sspi_utf8_from_wide(const SEC_WCHAR *s, size_t len)
{
    uint8_t *out;
    size_t out_len = 0;

    if (s == NULL)
        return NULL;
    if (len == (size_t)-1)
        len = sspi_wcslen(s);
    if (u16_check((const uint16_t *)s, len) != NULL)
        return NULL;
    out = u16_to_u8((const uint16_t *)s, len, NULL, &out_len);
    if (out == NULL && len > 0)
        return NULL;
    return terminated(out, out_len);
}

char *
sspi_utf8_from_ansi(const char *s, size_t len)
{
    char *out;

    if (s == NULL || memchr(s, 0, len) != NULL || u8_check((const uint8_t *)s, len) != NULL)
        return NULL;
    out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

SEC_WCHAR *
sspi_wide_from_utf8(const char *s, size_t *units)
{
    size_t len = 0;
    uint16_t *out = u8_to_u16((const uint8_t *)s, strlen(s), NULL, &len);
    uint16_t *term;

    if (out == NULL && strlen(s) > 0)
        return NULL;
    term = realloc(out, (len + 1) * sizeof(*term));
    if (term == NULL) {
        free(out);
        return NULL;
    }
    term[len] = 0;
    if (units != NULL)
        *units = len;
    return (SEC_WCHAR *)term;
}

SEC_WCHAR *
sspi_wide_buffer_from_utf8(const char *s)
{
    size_t units;
    SEC_WCHAR *w = sspi_wide_from_utf8(s, &units), *out;

    if (w == NULL)
        return NULL;
    out = sspi_context_buffer_dup(w, (units + 1) * sizeof(*w));
    free(w);
    return out;
}

char *
sspi_utf8_buffer_dup(const char *s)
{
    return sspi_context_buffer_dup(s, strlen(s) + 1);
}

void
sspi_free_secret(char *s)
{
    if (s == NULL)
        return;
    explicit_bzero(s, strlen(s));
    free(s);
}
