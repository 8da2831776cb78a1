/* Tests of the growable output buffer (mech/core/ntlm_buf.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_buf.h"
#include "ntlm_errors.h"
#include "test_util.h"

static void
test_writes_integers_little_endian(void)
{
    static const uint8_t want[] = {0x01, 0x03, 0x02, 0x07, 0x06, 0x05, 0x04, 0x0f, 0x0e,
                                   0x0d, 0x0c, 0x0b, 0x0a, 0x09, 0x08, 0x00, 0x00};
    struct ntlm_buf b = NTLM_BUF_INIT;

    ntlm_buf_add_u8(&b, 0x01);
    ntlm_buf_add_le16(&b, 0x0203);
    ntlm_buf_add_le32(&b, 0x04050607u);
    ntlm_buf_add_le64(&b, 0x08090a0b0c0d0e0full);
    ntlm_buf_add_zeros(&b, 2);
    CU_ASSERT_EQUAL(ntlm_buf_status(&b), 0);
    CU_ASSERT_EQUAL(b.len, sizeof(want));
    CU_ASSERT_EQUAL(memcmp(b.data, want, sizeof(want)), 0);
    ntlm_buf_free(&b);
}

static void
test_growth_keeps_earlier_contents(void)
{
    struct ntlm_buf b = NTLM_BUF_INIT;
    size_t i;
    int ok = 1;

    for (i = 0; i < 1000; i++)
        ntlm_buf_add_u8(&b, (uint8_t)i);
    CU_ASSERT_EQUAL(ntlm_buf_status(&b), 0);
    CU_ASSERT_EQUAL(b.len, 1000);
    for (i = 0; i < 1000; i++)
        ok &= b.data[i] == (uint8_t)i;
    CU_ASSERT_TRUE(ok);
    ntlm_buf_free(&b);
}

static void
test_put_at_overwrites_inside_and_fails_outside(void)
{
    struct ntlm_buf b = NTLM_BUF_INIT;

    ntlm_buf_add_zeros(&b, 8);
    ntlm_buf_put_le16_at(&b, 0, 0x1234);
    ntlm_buf_put_le32_at(&b, 4, 0xa1b2c3d4u);
    CU_ASSERT_EQUAL(ntlm_buf_status(&b), 0);
    CU_ASSERT_EQUAL(b.data[0], 0x34);
    CU_ASSERT_EQUAL(b.data[1], 0x12);
    CU_ASSERT_EQUAL(b.data[4], 0xd4);
    CU_ASSERT_EQUAL(b.data[7], 0xa1);
    ntlm_buf_put_le32_at(&b, 6, 0);
    CU_ASSERT_EQUAL(ntlm_buf_status(&b), NTLM_ERR_NOMEM);
    ntlm_buf_free(&b);
}

static void
test_size_overflow_sets_error_instead_of_wrapping(void)
{
    struct ntlm_buf b = NTLM_BUF_INIT;

    ntlm_buf_add_u8(&b, 1);
    ntlm_buf_add_zeros(&b, SIZE_MAX);
    CU_ASSERT_EQUAL(ntlm_buf_status(&b), NTLM_ERR_NOMEM);
    CU_ASSERT_EQUAL(b.len, 1);
    /* The error is sticky: later writes that would fit are dropped too. */
    ntlm_buf_add_u8(&b, 2);
    CU_ASSERT_EQUAL(b.len, 1);
    ntlm_buf_free(&b);
}

static void
test_take_hands_over_bytes_and_resets(void)
{
    struct ntlm_buf b = NTLM_BUF_INIT;
    uint8_t *data;
    size_t len = 99;

    data = ntlm_buf_take(&b, &len);
    CU_ASSERT_PTR_NULL(data);
    CU_ASSERT_EQUAL(len, 0);
    ntlm_buf_add(&b, "abc", 3);
    data = ntlm_buf_take(&b, &len);
    CU_ASSERT_EQUAL(len, 3);
    CU_ASSERT_EQUAL(memcmp(data, "abc", 3), 0);
    CU_ASSERT_PTR_NULL(b.data);
    CU_ASSERT_EQUAL(b.len, 0);
    free(data);
}

static void
test_take_after_failure_returns_nothing(void)
{
    struct ntlm_buf b = NTLM_BUF_INIT;
    size_t len = 99;

    ntlm_buf_add(&b, "abc", 3);
    ntlm_buf_put_at(&b, 2, "xy", 2);
    CU_ASSERT_PTR_NULL(ntlm_buf_take(&b, &len));
    CU_ASSERT_EQUAL(len, 0);
    CU_ASSERT_EQUAL(ntlm_buf_status(&b), 0);
}

/* Shared data gets whole cache lines: aligned, zeroed to the last byte of its last line, and
 * no allocation made after it lands on those lines. */
static void
test_calloc_lines_gives_whole_zeroed_lines_of_its_own(void)
{
    static const size_t sizes[] = {1, 63, 64, 65, 1000};
    size_t i, j, k;

    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t whole = (sizes[i] + NTLM_CACHE_LINE - 1) / NTLM_CACHE_LINE * NTLM_CACHE_LINE;
        unsigned char *p = ntlm_calloc_lines(sizes[i]);
        void *others[16];
        int nonzero = 0, shared = 0;

        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_EQUAL((uintptr_t)p % NTLM_CACHE_LINE, 0);
        for (j = 0; j < whole; j++)
            nonzero += p[j] != 0;
        CU_ASSERT_EQUAL(nonzero, 0);
        for (k = 0; k < 16; k++) {
            unsigned char *q = others[k] = malloc(1 + k * 8);

            CU_ASSERT_PTR_NOT_NULL_FATAL(q);
            shared += (uintptr_t)q + 1 + k * 8 > (uintptr_t)p && (uintptr_t)q < (uintptr_t)p + whole;
        }
        CU_ASSERT_EQUAL(shared, 0);
        for (k = 0; k < 16; k++)
            free(others[k]);
        free(p);
    }
    CU_ASSERT_PTR_NULL(ntlm_calloc_lines(0));
    CU_ASSERT_PTR_NULL(ntlm_calloc_lines(SIZE_MAX));
    CU_ASSERT_PTR_NULL(ntlm_calloc_lines(SIZE_MAX - NTLM_CACHE_LINE + 2));
}

static CU_TestInfo tests[] = {
    {"writes integers little endian", test_writes_integers_little_endian},
    {"growth keeps earlier contents", test_growth_keeps_earlier_contents},
    {"put at overwrites inside and fails outside", test_put_at_overwrites_inside_and_fails_outside},
    {"size overflow sets error instead of wrapping",
     test_size_overflow_sets_error_instead_of_wrapping},
    {"take hands over bytes and resets", test_take_hands_over_bytes_and_resets},
    {"take after failure returns nothing", test_take_after_failure_returns_nothing},
    {"calloc lines gives whole zeroed lines of its own",
     test_calloc_lines_gives_whole_zeroed_lines_of_its_own},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("ntlm_buf", tests);
}
