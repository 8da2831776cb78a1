/* Helpers shared by the CUnit suites: hex decoding and a common main. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <CUnit/CUnit.h>

/*
 * Decodes hex (whitespace ignored) into a malloc'd buffer; aborts the test program on bad
 * input, since vectors are part of the test source. *len receives the byte count.
 */
uint8_t *test_hex(const char *hex, size_t *len);

/* Registers one suite of tests, runs it verbosely and returns the process exit status. */
int test_run_suite(const char *name, CU_TestInfo *tests);

#endif
