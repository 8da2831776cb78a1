/* Tests of the bounds-checked reader (common/ntlm_reader.c). */
#include <stdint.h>
#include <string.h>

#include "ntlm_reader.h"
#include "test_util.h"

static const uint8_t bytes[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};

static void
test_reads_integers_little_endian(void)
{
    struct ntlm_reader r;

    ntlm_reader_init(&r, bytes, sizeof(bytes));
    CU_ASSERT_EQUAL(ntlm_read_u8(&r), 0x01);
    CU_ASSERT_EQUAL(ntlm_read_le16(&r), 0x0302);
    CU_ASSERT_EQUAL(ntlm_read_le32(&r), 0x07060504u);
    CU_ASSERT_FALSE(r.err);
    CU_ASSERT_EQUAL(ntlm_reader_remaining(&r), 2);
    ntlm_reader_init(&r, bytes, sizeof(bytes));
    CU_ASSERT_EQUAL(ntlm_read_le64(&r), 0x0807060504030201ull);
    CU_ASSERT_FALSE(r.err);
}

static void
test_read_past_end_returns_zero_and_sets_error(void)
{
    struct ntlm_reader r;

    ntlm_reader_init(&r, bytes, 3);
    CU_ASSERT_EQUAL(ntlm_read_le32(&r), 0);
    CU_ASSERT_TRUE(r.err);
    CU_ASSERT_EQUAL(r.pos, 0);
    ntlm_reader_init(&r, bytes, 7);
    CU_ASSERT_EQUAL(ntlm_read_le64(&r), 0);
    CU_ASSERT_TRUE(r.err);
    CU_ASSERT_TRUE(r.pos <= r.len);
}

static void
test_error_is_sticky_even_for_reads_that_would_fit(void)
{
    struct ntlm_reader r;

    ntlm_reader_init(&r, bytes, 4);
    CU_ASSERT_PTR_NULL(ntlm_read_bytes(&r, 5));
    CU_ASSERT_EQUAL(ntlm_read_u8(&r), 0);
    CU_ASSERT_TRUE(r.err);
    CU_ASSERT_EQUAL(ntlm_reader_remaining(&r), 4);
}

static void
test_read_bytes_with_huge_length_does_not_wrap(void)
{
    struct ntlm_reader r;

    ntlm_reader_init(&r, bytes, sizeof(bytes));
    (void)ntlm_read_u8(&r);
    CU_ASSERT_PTR_NULL(ntlm_read_bytes(&r, SIZE_MAX));
    CU_ASSERT_TRUE(r.err);
    CU_ASSERT_EQUAL(r.pos, 1);
}

static void
test_read_copy_zero_fills_on_failure(void)
{
    struct ntlm_reader r;
    uint8_t out[4] = {0xaa, 0xaa, 0xaa, 0xaa};

    ntlm_reader_init(&r, bytes, 2);
    ntlm_read_copy(&r, out, sizeof(out));
    CU_ASSERT_TRUE(r.err);
    CU_ASSERT_EQUAL(out[0] | out[1] | out[2] | out[3], 0);
    ntlm_reader_init(&r, bytes, sizeof(bytes));
    ntlm_read_copy(&r, out, sizeof(out));
    CU_ASSERT_EQUAL(memcmp(out, bytes, sizeof(out)), 0);
}

static void
test_reader_at_accepts_ranges_inside_and_up_to_the_end(void)
{
    struct ntlm_reader r;

    ntlm_reader_init(&r, bytes, sizeof(bytes));
    CU_ASSERT_PTR_EQUAL(ntlm_reader_at(&r, 0, sizeof(bytes)), bytes);
    CU_ASSERT_PTR_EQUAL(ntlm_reader_at(&r, 8, 1), bytes + 8);
    CU_ASSERT_PTR_EQUAL(ntlm_reader_at(&r, 9, 0), bytes + 9);
    CU_ASSERT_EQUAL(r.pos, 0);
}

static void
test_reader_at_rejects_ranges_past_end_without_overflow(void)
{
    struct ntlm_reader r;

    ntlm_reader_init(&r, bytes, sizeof(bytes));
    CU_ASSERT_PTR_NULL(ntlm_reader_at(&r, 10, 0));
    CU_ASSERT_PTR_NULL(ntlm_reader_at(&r, 8, 2));
    CU_ASSERT_PTR_NULL(ntlm_reader_at(&r, SIZE_MAX, 2));
    CU_ASSERT_PTR_NULL(ntlm_reader_at(&r, 2, SIZE_MAX));
    CU_ASSERT_PTR_NULL(ntlm_reader_at(&r, 0xfffffff0u, 0x20));
    /* Payload lookups leave the error decision to the caller. */
    CU_ASSERT_FALSE(r.err);
}

static void
test_empty_reader_fails_every_read(void)
{
    struct ntlm_reader r;

    ntlm_reader_init(&r, NULL, 0);
    CU_ASSERT_EQUAL(ntlm_read_u8(&r), 0);
    CU_ASSERT_TRUE(r.err);
    CU_ASSERT_PTR_NULL(ntlm_reader_at(&r, 0, 0));
}

static CU_TestInfo tests[] = {
    {"reads integers little endian", test_reads_integers_little_endian},
    {"read past end returns zero and sets error", test_read_past_end_returns_zero_and_sets_error},
    {"error is sticky even for reads that would fit",
     test_error_is_sticky_even_for_reads_that_would_fit},
    {"read bytes with huge length does not wrap", test_read_bytes_with_huge_length_does_not_wrap},
    {"read copy zero fills on failure", test_read_copy_zero_fills_on_failure},
    {"reader at accepts ranges inside and up to the end",
     test_reader_at_accepts_ranges_inside_and_up_to_the_end},
    {"reader at rejects ranges past end without overflow",
     test_reader_at_rejects_ranges_past_end_without_overflow},
    {"empty reader fails every read", test_empty_reader_fails_every_read},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("ntlm_reader", tests);
}
