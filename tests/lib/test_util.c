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
