/* Invariant checks shared by the fuzz targets: a broken invariant aborts, so libFuzzer keeps
 * the input. */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void
check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz: invariant failed: %s\n", what);
        abort();
    }
}

static inline bool
same_string(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

static inline bool
same_bytes(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    return a_len == b_len && (a_len == 0 || memcmp(a, b, a_len) == 0);
}

/* Whether [p, p + n) lies inside [base, base + len). */
static inline bool
inside(const uint8_t *p, size_t n, const uint8_t *base, size_t len)
{
    return p >= base && (size_t)(p - base) <= len && n <= len - (size_t)(p - base);
}

#endif
