/* Helpers shared by the CUnit suites: hex decoding and a common main. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <CUnit/CUnit.h>

/*
 * Decodes hex (whitespace ignored) into a malloc'd buffer; aborts the test program on bad
 * input, since vectors are part of the test source. *len receives the byte count.
 */
uint8_t *test_hex(const char *hex, size_t *len);

/* Whether got[0..len) is exactly the bytes spelled by hex. */
bool test_hex_equal(const uint8_t *got, size_t len, const char *hex);
/* Decodes a vector that must be 16 bytes into out (a fatal assertion otherwise). */
void test_hex16(const char *hex, uint8_t out[16]);

/*
 * A malformed input for a table-driven decoder test: a valid base, optionally cut short,
 * zero-padded and patched, and the exact error it must give.
 */
struct test_bad_input {
    const char *name;
    int decoder;       /* which decoder the suite's runner calls */
    const char *base;  /* hex */
    size_t keep;       /* when non-zero, only the first `keep` bytes */
    size_t grow;       /* when non-zero, padded with zeros to this many bytes */
    size_t patch_at;   /* where `patch` is written */
    const char *patch; /* hex, or NULL */
    uint32_t expected;
};

/* The bytes a row describes, malloc'd (never NULL). */
uint8_t *test_bad_input_bytes(const struct test_bad_input *t, size_t *len);
/* Bytes lost so far, for per-row leak accounting: exact under valgrind, elsewhere 0 (only a
 * whole-run leak checker can see leaks then). */
unsigned long test_lost_bytes(void);

/* Runs one decoder on one input; *zeroed says whether its output was left all zeros. */
typedef uint32_t (*test_decoder_fn)(int decoder, const uint8_t *in, size_t len, bool *zeroed);

/*
 * Runs every row: each must give exactly its error, leave the decoder's output zeroed and
 * leak nothing (exact under valgrind, whose headers are optional at build time).
 */
void test_bad_inputs(const struct test_bad_input *rows, size_t n, test_decoder_fn run);

/* Whether n bytes at p are all zero. */
bool test_all_zero(const void *p, size_t n);

/* Registers one suite of tests, runs it verbosely and returns the process exit status. */
int test_run_suite(const char *name, CU_TestInfo *tests);

#endif
