/*
 * Tests of the wire text conversions (mech/core/ntlm_unicode.c): UTF-16LE and OEM to and from
 * UTF-8, Windows-style simple upper-casing, and which names an account can have. The message
 * decoders' use of them (which field, which error) is in test_ntlm_message.c.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_errors.h"
#include "ntlm_unicode.h"
#include "test_util.h"

/* UTF-16LE (hex) to UTF-8: the expected string, or the expected error with want == NULL. */
struct utf16_case {
    const char *utf16;
    const char *want;
    uint32_t err;
};

static const struct utf16_case utf16_cases[] = {
    {"", "", 0},
    {"5500730065007200", "User", 0},
    {"4a00fc007200670065006e00", "J\xc3\xbcrgen", 0},
    {"ac20", "\xe2\x82\xac", 0},                  /* U+20AC, three UTF-8 bytes */
    {"34d81edd", "\xf0\x9d\x84\x9e", 0},          /* U+1D11E as a surrogate pair */
    {"410042", NULL, NTLM_ERR_UTF16_ODD_LENGTH},  /* 3 bytes */
    {"00d84100", NULL, NTLM_ERR_UTF16_SURROGATE}, /* high surrogate, then no low one */
    {"410000d8", NULL, NTLM_ERR_UTF16_SURROGATE}, /* ends in a high surrogate */
    {"00dc", NULL, NTLM_ERR_UTF16_SURROGATE},     /* low surrogate alone */
    {"34d834d8", NULL, NTLM_ERR_UTF16_SURROGATE}, /* two high surrogates */
    {"410000004200", NULL, NTLM_ERR_EMBEDDED_NUL},
};

static void
test_utf16le_decodes_to_utf8_and_rejects_what_no_name_holds(void)
{
    size_t i;

    for (i = 0; i < sizeof(utf16_cases) / sizeof(utf16_cases[0]); i++) {
        const struct utf16_case *t = &utf16_cases[i];
        size_t len;
        uint8_t *in = test_hex(t->utf16, &len);
        char *out = (char *)"untouched";
        uint32_t ret = ntlm_utf16le_to_utf8(in, len, &out);

        CU_ASSERT_EQUAL(ret, t->err);
        if (t->want != NULL && ret == 0) {
            CU_ASSERT_STRING_EQUAL(out, t->want);
            free(out);
        } else {
            /* A failed conversion leaves the output alone. */
            CU_ASSERT_STRING_EQUAL(out, "untouched");
        }
        free(in);
    }
}

static void
test_oem_is_iso_8859_1_without_nul(void)
{
    const uint8_t juergen[] = {'J', 0xfc, 'r', 'g', 'e', 'n'};
    const uint8_t nul[] = {'a', 0, 'b'};
    char *out = NULL;

    CU_ASSERT_EQUAL_FATAL(ntlm_oem_to_utf8(juergen, sizeof(juergen), &out), 0);
    CU_ASSERT_STRING_EQUAL(out, "J\xc3\xbcrgen");
    free(out);
    CU_ASSERT_EQUAL(ntlm_oem_to_utf8(nul, sizeof(nul), &out), NTLM_ERR_EMBEDDED_NUL);
}

static void
test_utf8_encodes_to_utf16le_upper_cased_on_request(void)
{
    uint8_t *out = NULL;
    size_t len = 0;

    CU_ASSERT_EQUAL_FATAL(ntlm_utf8_to_utf16le("User\xc3\xa9", false, &out, &len), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, len, "5500730065007200e900"));
    free(out);
    /* NTOWFv2 upper-cases the user name (MS-NLMP 3.3.2): é becomes É. */
    CU_ASSERT_EQUAL_FATAL(ntlm_utf8_to_utf16le("User\xc3\xa9", true, &out, &len), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, len, "5500530045005200c900"));
    free(out);
    CU_ASSERT_EQUAL_FATAL(ntlm_utf8_to_utf16le("\xf0\x9d\x84\x9e", false, &out, &len), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, len, "34d81edd"));
    free(out);
    CU_ASSERT_EQUAL(ntlm_utf8_to_utf16le("", false, &out, &len), 0);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL(len, 0);
    CU_ASSERT_EQUAL(ntlm_utf8_to_utf16le("bad\xff", false, &out, &len), NTLM_ERR_BAD_UTF8);
    CU_ASSERT_EQUAL(ntlm_utf8_to_utf16le("cut\xc3", false, &out, &len), NTLM_ERR_BAD_UTF8);
}

static void
test_utf8_encodes_to_oem_only_what_latin_1_holds(void)
{
    uint8_t *out = NULL;
    size_t len = 0;

    CU_ASSERT_EQUAL_FATAL(ntlm_utf8_to_oem("J\xc3\xbcrgen", false, &out, &len), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, len, "4afc7267656e"));
    free(out);
    CU_ASSERT_EQUAL_FATAL(ntlm_utf8_to_oem("J\xc3\xbcrgen", true, &out, &len), 0);
    CU_ASSERT_TRUE(test_hex_equal(out, len, "4adc5247454e"));
    free(out);
    CU_ASSERT_EQUAL(ntlm_utf8_to_oem("\xe2\x82\xac", false, &out, &len), NTLM_ERR_NOT_OEM);
    CU_ASSERT_EQUAL(ntlm_utf8_to_oem("bad\xff", false, &out, &len), NTLM_ERR_BAD_UTF8);
    CU_ASSERT_EQUAL(ntlm_utf8_to_oem("", false, &out, &len), 0);
    CU_ASSERT_PTR_NULL(out);
}

static void
test_upper_casing_is_simple_and_case_equality_follows_it(void)
{
    char *out = NULL;

    CU_ASSERT_EQUAL_FATAL(ntlm_utf8_upper("alice \xc3\xa9t\xc3\xa9", &out), 0);
    CU_ASSERT_STRING_EQUAL(out, "ALICE \xc3\x89T\xc3\x89");
    free(out);
    /* Simple 1:1 mapping: the sharp s stays one code point (full casing would give "SS"). */
    CU_ASSERT_EQUAL_FATAL(ntlm_utf8_upper("stra\xc3\x9f"
                                          "e",
                                          &out),
                          0);
    CU_ASSERT_STRING_EQUAL(out, "STRA\xc3\x9f"
                                "E");
    free(out);
    CU_ASSERT_EQUAL(ntlm_utf8_upper("bad\xff", &out), NTLM_ERR_BAD_UTF8);
    CU_ASSERT_TRUE(ntlm_utf8_case_equal("Alice", "aLICE"));
    CU_ASSERT_TRUE(ntlm_utf8_case_equal("\xc3\xa9t\xc3\xa9", "\xc3\x89T\xc3\x89"));
    CU_ASSERT_FALSE(ntlm_utf8_case_equal("alice", "alic"));
    CU_ASSERT_FALSE(ntlm_utf8_case_equal("alice", "alice2"));
    CU_ASSERT_FALSE(ntlm_utf8_case_equal("a\xff", "a\xff"));
}

static void
test_account_names_exclude_backslashes_controls_and_bad_utf8(void)
{
    CU_ASSERT_TRUE(ntlm_account_name_valid(""));
    CU_ASSERT_TRUE(ntlm_account_name_valid("alice"));
    CU_ASSERT_TRUE(ntlm_account_name_valid("J\xc3\xbcrgen M\xc3\xbcller"));
    CU_ASSERT_FALSE(ntlm_account_name_valid("TEST\\DOM"));
    CU_ASSERT_FALSE(ntlm_account_name_valid("CORP\x01"));
    CU_ASSERT_FALSE(ntlm_account_name_valid("line\nbreak"));
    CU_ASSERT_FALSE(ntlm_account_name_valid("del\x7f"));
    CU_ASSERT_FALSE(ntlm_account_name_valid("csi\xc2\x9b")); /* U+009B, a C1 control */
    CU_ASSERT_FALSE(ntlm_account_name_valid("bad\xff"));
}

static CU_TestInfo tests[] = {
    {"UTF-16LE decodes to UTF-8 and rejects what no name holds",
     test_utf16le_decodes_to_utf8_and_rejects_what_no_name_holds},
    {"OEM is ISO-8859-1 without NUL", test_oem_is_iso_8859_1_without_nul},
    {"UTF-8 encodes to UTF-16LE, upper-cased on request",
     test_utf8_encodes_to_utf16le_upper_cased_on_request},
    {"UTF-8 encodes to OEM only what Latin-1 holds",
     test_utf8_encodes_to_oem_only_what_latin_1_holds},
    {"upper-casing is simple and case equality follows it",
     test_upper_casing_is_simple_and_case_equality_follows_it},
    {"account names exclude backslashes, controls and bad UTF-8",
     test_account_names_exclude_backslashes_controls_and_bad_utf8},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("ntlm_unicode", tests);
}
