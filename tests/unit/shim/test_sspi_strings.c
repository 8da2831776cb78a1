/*
 * sspi_strings.c: UTF-16 (W) and UTF-8 (A) text at the SSPI boundary. The program is linked
 * with -Wl,--wrap=free so that the secret's wipe can be seen at the moment it is freed.
 */
#include <stdlib.h>
#include <string.h>

#include "sspi_strings.h"
#include "test_util.h"

void __real_free(void *p);
void __wrap_free(void *p);

/* The block whose bytes are checked when it is freed, and what was seen. */
static const void *watched;
static size_t watched_len;
static bool watched_freed, watched_zero;

void
__wrap_free(void *p)
{
    if (p != NULL && p == watched) {
        watched_freed = true;
        watched_zero = test_all_zero(p, watched_len);
        watched = NULL;
    }
    __real_free(p);
}

static void
test_the_length_of_a_wide_string_counts_units_up_to_the_terminator(void)
{
    static const SEC_WCHAR empty[] = {0};
    static const SEC_WCHAR pair[] = {'a', 0xd83d, 0xde00, 'b', 0, 'c', 0};

    CU_ASSERT_EQUAL(sspi_wcslen(empty), 0);
    /* a surrogate pair is two units, and nothing after the first terminator counts */
    CU_ASSERT_EQUAL(sspi_wcslen(pair), 4);
}

static void
test_a_wide_string_becomes_utf8_up_to_its_terminator_or_its_length(void)
{
    static const SEC_WCHAR text[] = {'D', 0xe9, 0xd83d, 0xde00, '!', 0};
    char *s;

    s = sspi_utf8_from_wide(text, (size_t)-1);
    CU_ASSERT_STRING_EQUAL(s, "D\xc3\xa9\xf0\x9f\x98\x80!");
    free(s);
    /* an explicit length stops short of the terminator, and 0 units is the empty string */
    s = sspi_utf8_from_wide(text, 2);
    CU_ASSERT_STRING_EQUAL(s, "D\xc3\xa9");
    free(s);
    s = sspi_utf8_from_wide(text, 0);
    CU_ASSERT_STRING_EQUAL(s, "");
    free(s);
}

static void
test_a_wide_string_with_a_lone_surrogate_or_an_embedded_nul_is_refused(void)
{
    static const SEC_WCHAR lone_high[] = {'a', 0xd83d, 'b', 0};
    static const SEC_WCHAR lone_low[] = {0xde00, 0};
    static const SEC_WCHAR cut_pair[] = {'a', 0xd83d, 0xde00, 0};
    static const SEC_WCHAR embedded[] = {'a', 0, 'b', 0};

    CU_ASSERT_PTR_NULL(sspi_utf8_from_wide(lone_high, (size_t)-1));
    CU_ASSERT_PTR_NULL(sspi_utf8_from_wide(lone_low, (size_t)-1));
    /* a length that cuts a surrogate pair in half leaves a lone surrogate */
    CU_ASSERT_PTR_NULL(sspi_utf8_from_wide(cut_pair, 2));
    /* "a\0b" with its length would become a C string that silently says "a" */
    CU_ASSERT_PTR_NULL(sspi_utf8_from_wide(embedded, 3));
    CU_ASSERT_PTR_NULL(sspi_utf8_from_wide(NULL, 3));
}

static void
test_an_ansi_string_is_copied_as_utf8_of_its_length(void)
{
    char *s;

    s = sspi_utf8_from_ansi("user\xc3\xa9XYZ", 6);
    CU_ASSERT_STRING_EQUAL(s, "user\xc3\xa9");
    free(s);
    s = sspi_utf8_from_ansi("", 0);
    CU_ASSERT_STRING_EQUAL(s, "");
    free(s);
}

static void
test_an_ansi_string_that_is_not_utf8_or_holds_a_nul_is_refused(void)
{
    /* Latin-1 "é", a truncated sequence and an overlong "/" */
    CU_ASSERT_PTR_NULL(sspi_utf8_from_ansi("caf\xe9", 4));
    CU_ASSERT_PTR_NULL(sspi_utf8_from_ansi("caf\xc3\xa9", 4));
    CU_ASSERT_PTR_NULL(sspi_utf8_from_ansi("\xc0\xaf", 2));
    CU_ASSERT_PTR_NULL(sspi_utf8_from_ansi("ab\0cd", 5));
    CU_ASSERT_PTR_NULL(sspi_utf8_from_ansi(NULL, 0));
}

static void
test_utf8_becomes_a_terminated_wide_string_with_its_unit_count(void)
{
    static const SEC_WCHAR expected[] = {'D', 0xe9, 0xd83d, 0xde00, 0};
    size_t units = 99;
    SEC_WCHAR *w;

    w = sspi_wide_from_utf8("D\xc3\xa9\xf0\x9f\x98\x80", &units);
    CU_ASSERT_FATAL(w != NULL);
    CU_ASSERT_EQUAL(units, 4);
    CU_ASSERT(memcmp(w, expected, sizeof(expected)) == 0);
    free(w);
    w = sspi_wide_from_utf8("", &units);
    CU_ASSERT_FATAL(w != NULL);
    CU_ASSERT_EQUAL(units, 0);
    CU_ASSERT_EQUAL(w[0], 0);
    free(w);
    /* the count is optional */
    w = sspi_wide_from_utf8("x", NULL);
    CU_ASSERT(w != NULL && w[0] == 'x' && w[1] == 0);
    free(w);
}

static void
test_utf8_that_is_not_valid_gives_no_wide_string(void)
{
    size_t units = 99;

    CU_ASSERT_PTR_NULL(sspi_wide_from_utf8("caf\xe9", &units));
    /* a surrogate encoded in UTF-8 (CESU) is not UTF-8 */
    CU_ASSERT_PTR_NULL(sspi_wide_from_utf8("\xed\xa0\xbd", &units));
    CU_ASSERT_EQUAL(units, 99);
}

static void
test_strings_for_the_caller_are_context_buffers(void)
{
    static const SEC_WCHAR expected[] = {'n', 0xe9, 0};
    SEC_WCHAR *w = sspi_wide_buffer_from_utf8("n\xc3\xa9");
    char *a = sspi_utf8_buffer_dup("n\xc3\xa9");

    CU_ASSERT_FATAL(w != NULL && a != NULL);
    CU_ASSERT(memcmp(w, expected, sizeof(expected)) == 0);
    CU_ASSERT_STRING_EQUAL(a, "n\xc3\xa9");
    /* FreeContextBuffer takes both back (valgrind would see a mismatched free) */
    CU_ASSERT_EQUAL(FreeContextBuffer(w), SEC_E_OK);
    CU_ASSERT_EQUAL(FreeContextBuffer(a), SEC_E_OK);
    CU_ASSERT_PTR_NULL(sspi_wide_buffer_from_utf8("caf\xe9"));
}

static void
test_a_secret_is_wiped_before_it_is_freed(void)
{
    char *s = strdup("Passw0rd!");

    watched = s;
    watched_len = strlen(s);
    watched_freed = watched_zero = false;
    sspi_free_secret(s);
    CU_ASSERT_TRUE(watched_freed);
    CU_ASSERT_TRUE(watched_zero);
    sspi_free_secret(NULL);
}

static CU_TestInfo tests[] = {
    {"the length of a wide string counts units up to the terminator",
     test_the_length_of_a_wide_string_counts_units_up_to_the_terminator},
    {"a wide string becomes UTF-8 up to its terminator or its length",
     test_a_wide_string_becomes_utf8_up_to_its_terminator_or_its_length},
    {"a wide string with a lone surrogate or an embedded NUL is refused",
     test_a_wide_string_with_a_lone_surrogate_or_an_embedded_nul_is_refused},
    {"an ANSI string is copied as UTF-8 of its length",
     test_an_ansi_string_is_copied_as_utf8_of_its_length},
    {"an ANSI string that is not UTF-8 or holds a NUL is refused",
     test_an_ansi_string_that_is_not_utf8_or_holds_a_nul_is_refused},
    {"UTF-8 becomes a terminated wide string with its unit count",
     test_utf8_becomes_a_terminated_wide_string_with_its_unit_count},
    {"UTF-8 that is not valid gives no wide string",
     test_utf8_that_is_not_valid_gives_no_wide_string},
    {"strings for the caller are context buffers", test_strings_for_the_caller_are_context_buffers},
    {"a secret is wiped before it is freed", test_a_secret_is_wiped_before_it_is_freed},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("sspi_strings", tests);
}
