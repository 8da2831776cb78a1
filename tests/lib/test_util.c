/* Helpers shared by the CUnit suites. */
#include "test_util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

static int
hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

uint8_t *
test_hex(const char *hex, size_t *len)
{
    uint8_t *out = malloc(strlen(hex) / 2 + 1);
    size_t n = 0;
    int hi = -1;

    if (out == NULL)
        abort();
    for (; *hex != '\0'; hex++) {
        int v;

        if (isspace((unsigned char)*hex))
            continue;
        v = hex_value((unsigned char)*hex);
        if (v < 0) {
            fprintf(stderr, "bad hex digit '%c' in test vector\n", *hex);
            abort();
        }
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    if (hi >= 0) {
        fprintf(stderr, "odd number of hex digits in test vector\n");
        abort();
    }
    *len = n;
    return out;
}

bool
test_hex_equal(const uint8_t *got, size_t len, const char *hex)
{
    size_t want_len;
    uint8_t *want = test_hex(hex, &want_len);
    bool equal = want_len == len && memcmp(got, want, len) == 0;

    free(want);
    return equal;
}

void
test_hex16(const char *hex, uint8_t out[16])
{
    size_t len;
    uint8_t *k = test_hex(hex, &len);

    CU_ASSERT_EQUAL_FATAL(len, 16);
    memcpy(out, k, 16);
    free(k);
}

#if defined(__has_include) && __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>

unsigned long
test_lost_bytes(void)
{
    unsigned long leaked = 0, dubious = 0, reachable = 0, suppressed = 0;

    VALGRIND_DO_QUICK_LEAK_CHECK;
    VALGRIND_COUNT_LEAKS(leaked, dubious, reachable, suppressed);
    (void)reachable;
    (void)suppressed;
    return leaked + dubious;
}
#else
unsigned long
test_lost_bytes(void)
{
    return 0;
}
#endif

bool
test_all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    size_t i;

    for (i = 0; i < n; i++) {
        if (b[i] != 0)
            return false;
    }
    return true;
}

uint8_t *
test_bad_input_bytes(const struct test_bad_input *t, size_t *len)
{
    size_t base_len, patch_len, n;
    uint8_t *base = test_hex(t->base, &base_len);
    uint8_t *msg, *patch;

    n = t->keep != 0 ? t->keep : base_len;
    if (t->grow > n)
        n = t->grow;
    msg = calloc(1, n + 1);
    if (msg == NULL)
        abort();
    memcpy(msg, base, base_len < n ? base_len : n);
    if (t->patch != NULL) {
        patch = test_hex(t->patch, &patch_len);
        if (t->patch_at + patch_len > n)
            abort();
        memcpy(msg + t->patch_at, patch, patch_len);
        free(patch);
    }
    free(base);
    *len = n;
    return msg;
}

void
test_bad_inputs(const struct test_bad_input *rows, size_t n, test_decoder_fn run)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const struct test_bad_input *t = &rows[i];
        size_t len;
        unsigned long lost_before, lost;
        uint8_t *msg = test_bad_input_bytes(t, &len);
        bool zeroed = false;
        uint32_t ret;

        lost_before = test_lost_bytes();
        ret = run(t->decoder, msg, len, &zeroed);
        lost = test_lost_bytes() - lost_before;
        if (lost != 0)
            fprintf(stderr, "\n  %s: leaked %lu bytes\n", t->name, lost);
        CU_ASSERT_EQUAL(lost, 0);
        if (ret != t->expected)
            fprintf(stderr, "\n  %s: got %#x, want %#x\n", t->name, ret, t->expected);
        CU_ASSERT_EQUAL(ret, t->expected);
        if (!zeroed)
            fprintf(stderr, "\n  %s: output not cleared\n", t->name);
        CU_ASSERT_TRUE(zeroed);
        free(msg);
    }
}

int
test_run_suite(const char *name, CU_TestInfo *tests)
{
    CU_SuiteInfo suites[] = {
        {name, NULL, NULL, NULL, NULL, tests},
        CU_SUITE_INFO_NULL,
    };
    unsigned failures;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        CU_cleanup_registry();
        return 99;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    if (CU_get_number_of_tests_run() == 0)
        failures = 1;
    CU_cleanup_registry();
    return failures == 0 ? 0 : 1;
}
