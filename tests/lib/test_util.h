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

/* Registers one suite of tests, runs it verbosely and returns the process exit status. */
int test_run_suite(const char *name, CU_TestInfo *tests);

#endif
