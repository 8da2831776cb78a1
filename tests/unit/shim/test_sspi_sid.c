/*
 * sspi_sid.c: SIDs in Windows' in-memory layout (MS-DTYP 2.4.2.2), their text form
 * (MS-DTYP 2.4.2.1), SID lists with attributes, the unix SIDs, and the Windows SID functions
 * with the last error each failure sets.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "sspi_sid.h"
#include "test_util.h"

#define DOMAIN_SID "S-1-5-21-1004336348-1177238915-682003330"

/* The SID text parses to, checked by its text form. */
static sspi_sid
parsed(const char *text)
{
    sspi_sid sid;

    memset(&sid, 0, sizeof(sid));
    CU_ASSERT_FATAL(sspi_sid_parse(text, &sid));
    return sid;
}

static bool
formats_as(const void *sid, const char *expected)
{
    char text[SSPI_SID_STRING_MAX];

    sspi_sid_format(sid, text);
    return strcmp(text, expected) == 0;
}

static void
test_sub_authorities_are_read_past_the_declared_array(void)
{
    sspi_sid sid = parsed(DOMAIN_SID "-1105");

    CU_ASSERT_EQUAL(sid.sid.SubAuthorityCount, 5);
    CU_ASSERT_EQUAL(sspi_sid_sub_authority(&sid, 0), 21);
    CU_ASSERT_EQUAL(sspi_sid_sub_authority(&sid, 3), 682003330u);
    CU_ASSERT_EQUAL(sspi_sid_sub_authority(&sid, 4), 1105);
}

static void
test_a_sid_is_valid_only_at_revision_one_with_at_most_fifteen_sub_authorities(void)
{
    sspi_sid sid = parsed("S-1-5-18");

    CU_ASSERT_TRUE(sspi_sid_valid(&sid));
    CU_ASSERT_FALSE(sspi_sid_valid(NULL));
    sid.sid.Revision = 2;
    CU_ASSERT_FALSE(sspi_sid_valid(&sid));
    sid.sid.Revision = SID_REVISION;
    sid.sid.SubAuthorityCount = SID_MAX_SUB_AUTHORITIES;
    CU_ASSERT_TRUE(sspi_sid_valid(&sid));
    sid.sid.SubAuthorityCount = SID_MAX_SUB_AUTHORITIES + 1;
    CU_ASSERT_FALSE(sspi_sid_valid(&sid));
}

static void
test_a_sid_occupies_eight_bytes_and_four_per_sub_authority(void)
{
    sspi_sid none = parsed("S-1-0"), one = parsed("S-1-1-0"), domain = parsed(DOMAIN_SID);

    CU_ASSERT_EQUAL(sspi_sid_length(&none), 8);
    CU_ASSERT_EQUAL(sspi_sid_length(&one), 12);
    CU_ASSERT_EQUAL(sspi_sid_length(&domain), 24);
}

static void
test_sids_are_equal_only_in_every_byte_they_occupy(void)
{
    sspi_sid a = parsed(DOMAIN_SID "-500"), b = parsed(DOMAIN_SID "-500");
    sspi_sid shorter = parsed(DOMAIN_SID), other_rid = parsed(DOMAIN_SID "-501");
    sspi_sid other_authority = parsed("S-1-22-21-1004336348-1177238915-682003330-500");

    /* Bytes past the SID's length are not part of it. */
    b.bytes[sizeof(b.bytes) - 1] = 0xff;
    CU_ASSERT_TRUE(sspi_sid_equal(&a, &b));
    CU_ASSERT_FALSE(sspi_sid_equal(&a, &shorter));
    CU_ASSERT_FALSE(sspi_sid_equal(&shorter, &a));
    CU_ASSERT_FALSE(sspi_sid_equal(&a, &other_rid));
    CU_ASSERT_FALSE(sspi_sid_equal(&a, &other_authority));
}

static void
test_a_made_sid_has_its_authority_big_endian_and_its_sub_authorities_in_order(void)
{
    static const uint32_t subs[SID_MAX_SUB_AUTHORITIES + 1] = {32, 544};
    static const BYTE authority[6] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab};
    sspi_sid sid;

    CU_ASSERT_TRUE_FATAL(sspi_sid_make(&sid, 0x0123456789abULL, 2, subs));
    CU_ASSERT_EQUAL(sid.sid.Revision, SID_REVISION);
    CU_ASSERT_EQUAL(sid.sid.SubAuthorityCount, 2);
    CU_ASSERT_EQUAL(memcmp(sid.sid.IdentifierAuthority.Value, authority, 6), 0);
    CU_ASSERT_EQUAL(sspi_sid_sub_authority(&sid, 1), 544);
    CU_ASSERT_TRUE(sspi_sid_make(&sid, (1ULL << 48) - 1, SID_MAX_SUB_AUTHORITIES, subs));
    CU_ASSERT_FALSE(sspi_sid_make(&sid, 1ULL << 48, 0, subs));
    CU_ASSERT_FALSE(sspi_sid_make(&sid, 5, SID_MAX_SUB_AUTHORITIES + 1, subs));
}

static void
test_a_rid_is_appended_unless_the_domain_is_full(void)
{
    static const uint32_t subs[SID_MAX_SUB_AUTHORITIES] = {0};
    sspi_sid domain = parsed(DOMAIN_SID), full, out;

    CU_ASSERT_TRUE_FATAL(sspi_sid_append_rid(&out, &domain, 513));
    CU_ASSERT_TRUE(formats_as(&out, DOMAIN_SID "-513"));
    CU_ASSERT_TRUE(formats_as(&domain, DOMAIN_SID)); /* the domain is left as it was */
    sspi_sid_make(&full, 5, SID_MAX_SUB_AUTHORITIES, subs);
    CU_ASSERT_FALSE(sspi_sid_append_rid(&out, &full, 513));
}

static void
test_an_authority_of_two_to_the_32_or_more_is_written_in_twelve_hex_digits(void)
{
    static const uint32_t subs[SID_MAX_SUB_AUTHORITIES] = {4294967295u, 1, 2,  3,  4,  5,  6, 7,
                                                           8,           9, 10, 11, 12, 13, 14};
    char text[SSPI_SID_STRING_MAX];
    sspi_sid sid;

    sspi_sid_make(&sid, 0xffffffffULL, 1, subs);
    CU_ASSERT_TRUE(formats_as(&sid, "S-1-4294967295-4294967295"));
    sspi_sid_make(&sid, 0x100000000ULL, 0, subs);
    CU_ASSERT_TRUE(formats_as(&sid, "S-1-0x000100000000"));
    /* The longest text there is fits the buffer the header sizes. */
    memset(text, 'x', sizeof(text));
    sspi_sid_make(&sid, (1ULL << 48) - 1, SID_MAX_SUB_AUTHORITIES, subs);
    sspi_sid_format(&sid, text);
    CU_ASSERT_PTR_NOT_NULL(memchr(text, '\0', sizeof(text)));
    CU_ASSERT_EQUAL(strncmp(text, "S-1-0xFFFFFFFFFFFF-4294967295-1-2-", 34), 0);
}

static void
test_text_parses_back_to_the_sid_it_was_written_from(void)
{
    static const char *const texts[] = {
        "S-1-0",
        "S-1-5-18",
        DOMAIN_SID "-1105",
        "S-1-0x000100000000-7",
        "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15",
    };
    size_t i;

    for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        sspi_sid sid = parsed(texts[i]);

        CU_ASSERT_TRUE(formats_as(&sid, texts[i]));
    }
    /* Lower case, a small hex authority and leading zeros name the same SIDs. */
    CU_ASSERT_TRUE(formats_as((sspi_sid[]){parsed("s-1-5-018")}, "S-1-5-18"));
    CU_ASSERT_TRUE(formats_as((sspi_sid[]){parsed("S-1-0x5-18")}, "S-1-5-18"));
}

static void
test_sddl_abbreviations_name_the_well_known_sids(void)
{
    CU_ASSERT_TRUE(formats_as((sspi_sid[]){parsed("WD")}, "S-1-1-0"));
    CU_ASSERT_TRUE(formats_as((sspi_sid[]){parsed("AU")}, "S-1-5-11"));
    CU_ASSERT_TRUE(formats_as((sspi_sid[]){parsed("BA")}, "S-1-5-32-544"));
    CU_ASSERT_TRUE(formats_as((sspi_sid[]){parsed("NO")}, "S-1-5-32-556"));
}

static void
test_malformed_text_is_no_sid(void)
{
    static const char *const bad[] = {
        "",
        "S",
        "S-1",
        "S-1-",
        "S-2-5-18",
        "X-1-5-18",
        "S-1-5-",
        "S-1-5--18",
        "S-1-5-18-",
        "S-1-5-18 ",
        "S-1-5-4294967296",
        "S-1-281474976710656",
        "S-1-0x",
        "S-1-0x1000000000000",
        "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16",
        "DA", /* domain-relative abbreviations need a domain */
    };
    sspi_sid sid;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CU_ASSERT_FALSE(sspi_sid_parse(bad[i], &sid));
}

static void
test_a_sid_added_twice_is_listed_once_with_both_attributes(void)
{
    struct sspi_sid_list list = {0};
    sspi_sid a = parsed(DOMAIN_SID "-513"), b = parsed(DOMAIN_SID "-512");

    CU_ASSERT_EQUAL(sspi_sid_list_add(&list, &a, SE_GROUP_MANDATORY), SEC_E_OK);
    CU_ASSERT_EQUAL(sspi_sid_list_add(&list, &b, SE_GROUP_ENABLED), SEC_E_OK);
    CU_ASSERT_EQUAL(sspi_sid_list_add(&list, &a, SE_GROUP_ENABLED), SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(list.count, 2);
    CU_ASSERT_TRUE(sspi_sid_equal(&list.items[0].sid, &a));
    CU_ASSERT_EQUAL(list.items[0].attributes, SE_GROUP_MANDATORY | SE_GROUP_ENABLED);
    CU_ASSERT_EQUAL(list.items[1].attributes, SE_GROUP_ENABLED);
    CU_ASSERT_TRUE(sspi_sid_list_has(&list, &b));
    CU_ASSERT_FALSE(sspi_sid_list_has(&list, (sspi_sid[]){parsed(DOMAIN_SID)}));
    sspi_sid_list_free(&list);
    CU_ASSERT_EQUAL(list.count, 0);
    CU_ASSERT_PTR_NULL(list.items);
}

static void
test_a_list_grows_to_the_limit_and_refuses_one_more(void)
{
    struct sspi_sid_list list = {0};
    sspi_sid domain = parsed(DOMAIN_SID), sid;
    uint32_t rid;

    for (rid = 0; rid < SSPI_TOKEN_MAX_SIDS; rid++) {
        sspi_sid_append_rid(&sid, &domain, rid);
        if (sspi_sid_list_add(&list, &sid, 0) != SEC_E_OK)
            break;
    }
    CU_ASSERT_EQUAL(list.count, SSPI_TOKEN_MAX_SIDS);
    CU_ASSERT_TRUE(sspi_sid_list_has(&list, &sid));
    sspi_sid_append_rid(&sid, &domain, rid);
    CU_ASSERT_EQUAL(sspi_sid_list_add(&list, &sid, 0), SEC_E_INVALID_TOKEN);
    /* A SID already there is still merged at the limit. */
    CU_ASSERT_EQUAL(sspi_sid_list_add(&list, &list.items[0].sid, SE_GROUP_ENABLED), SEC_E_OK);
    CU_ASSERT_EQUAL(list.count, SSPI_TOKEN_MAX_SIDS);
    sspi_sid_list_free(&list);
}

static void
test_a_network_logon_has_everyone_network_and_authenticated_users(void)
{
    struct sspi_sid_list list = {0};

    CU_ASSERT_EQUAL_FATAL(sspi_sid_list_add_network_groups(&list), SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(list.count, 3);
    CU_ASSERT_TRUE(formats_as(&list.items[0].sid, "S-1-1-0"));
    CU_ASSERT_TRUE(formats_as(&list.items[1].sid, "S-1-5-2"));
    CU_ASSERT_TRUE(formats_as(&list.items[2].sid, "S-1-5-11"));
    CU_ASSERT_EQUAL(list.items[2].attributes, SSPI_GROUP_DEFAULT_ATTRIBUTES);
    sspi_sid_list_free(&list);
}

static void
test_unix_accounts_have_samba_s_1_22_sids(void)
{
    sspi_sid sid;

    sspi_sid_unix_user(&sid, 1000);
    CU_ASSERT_TRUE(formats_as(&sid, "S-1-22-1-1000"));
    sspi_sid_unix_group(&sid, 4294967294u);
    CU_ASSERT_TRUE(formats_as(&sid, "S-1-22-2-4294967294"));
}

static void
test_equal_sid_sets_the_last_error_for_an_invalid_sid(void)
{
    sspi_sid a = parsed("S-1-5-18"), b = parsed("S-1-5-18"), bad = parsed("S-1-5-18");

    bad.sid.Revision = 0;
    SetLastError(ERROR_INVALID_PARAMETER);
    CU_ASSERT_TRUE(EqualSid(&a, &b));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    CU_ASSERT_FALSE(EqualSid(&a, &bad));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    CU_ASSERT_FALSE(IsValidSid(&bad));
    CU_ASSERT_EQUAL(GetLengthSid(&bad), 0);
    CU_ASSERT_EQUAL(GetLengthSid(&a), 12);
}

static void
test_copy_sid_needs_room_for_the_whole_sid(void)
{
    sspi_sid src = parsed(DOMAIN_SID "-500"), dst, bad = src;

    memset(&dst, 0xee, sizeof(dst));
    CU_ASSERT_FALSE(CopySid(27, &dst, &src));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(dst.bytes[0], 0xee);
    CU_ASSERT_FALSE(CopySid(sizeof(dst), NULL, &src));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    bad.sid.SubAuthorityCount = 16;
    CU_ASSERT_FALSE(CopySid(sizeof(dst), &dst, &bad));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    CU_ASSERT_TRUE(CopySid(28, &dst, &src));
    CU_ASSERT_TRUE(sspi_sid_equal(&dst, &src));
}

static void
test_the_accessors_point_into_the_sid(void)
{
    sspi_sid sid = parsed(DOMAIN_SID "-500");

    CU_ASSERT_PTR_EQUAL(GetSidIdentifierAuthority(&sid), &sid.sid.IdentifierAuthority);
    CU_ASSERT_EQUAL(*GetSidSubAuthorityCount(&sid), 5);
    *GetSidSubAuthority(&sid, 4) = 501;
    CU_ASSERT_TRUE(formats_as(&sid, DOMAIN_SID "-501"));
}

static void
test_allocate_and_initialize_sid_takes_up_to_eight_sub_authorities(void)
{
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
    PSID sid = NULL;

    CU_ASSERT_TRUE_FATAL(AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID,
                                                  DOMAIN_ALIAS_RID_ADMINS, 9, 9, 9, 9, 9, 9, &sid));
    CU_ASSERT_TRUE(formats_as(sid, "S-1-5-32-544"));
    CU_ASSERT_EQUAL(GetLengthSid(sid), 16); /* only what the SID occupies was copied */
    CU_ASSERT_PTR_NULL(FreeSid(sid));
    sid = NULL;
    CU_ASSERT_TRUE_FATAL(AllocateAndInitializeSid(&nt, 8, 1, 2, 3, 4, 5, 6, 7, 8, &sid));
    CU_ASSERT_TRUE(formats_as(sid, "S-1-5-1-2-3-4-5-6-7-8"));
    FreeSid(sid);
    sid = NULL;
    CU_ASSERT_FALSE(AllocateAndInitializeSid(&nt, 9, 1, 2, 3, 4, 5, 6, 7, 8, &sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_FALSE(AllocateAndInitializeSid(NULL, 1, 1, 0, 0, 0, 0, 0, 0, 0, &sid));
    CU_ASSERT_FALSE(AllocateAndInitializeSid(&nt, 1, 1, 0, 0, 0, 0, 0, 0, 0, NULL));
    CU_ASSERT_PTR_NULL(sid);
}

static void
test_a_sid_converts_to_a_string_freed_with_local_free(void)
{
    sspi_sid sid = parsed(DOMAIN_SID "-1105"), bad = sid;
    static const WCHAR wide[] = {'S', '-', '1', '-', '5', '-', '1', '8', 0};
    LPWSTR w = NULL;
    LPSTR a = NULL;

    CU_ASSERT_TRUE_FATAL(ConvertSidToStringSidA(&sid, &a));
    CU_ASSERT_STRING_EQUAL(a, DOMAIN_SID "-1105");
    CU_ASSERT_PTR_NULL(LocalFree(a));
    sid = parsed("S-1-5-18");
    CU_ASSERT_TRUE_FATAL(ConvertSidToStringSidW(&sid, &w));
    CU_ASSERT_EQUAL(memcmp(w, wide, sizeof(wide)), 0);
    LocalFree(w);
    bad.sid.Revision = 3;
    a = NULL;
    CU_ASSERT_FALSE(ConvertSidToStringSidA(&bad, &a));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    CU_ASSERT_PTR_NULL(a);
    CU_ASSERT_FALSE(ConvertSidToStringSidA(NULL, &a));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_FALSE(ConvertSidToStringSidW(&sid, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
}

static void
test_a_string_converts_to_a_sid_freed_with_local_free(void)
{
    static const WCHAR wide[] = {'B', 'A', 0};
    static const WCHAR not_ascii[] = {'S', '-', '1', '-', '5', 0x2011, '1', '8', 0};
    WCHAR too_long[SSPI_SID_STRING_MAX + 1];
    PSID sid = NULL;
    size_t i;

    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA(DOMAIN_SID, &sid));
    CU_ASSERT_TRUE(formats_as(sid, DOMAIN_SID));
    LocalFree(sid);
    sid = NULL;
    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidW(wide, &sid));
    CU_ASSERT_TRUE(formats_as(sid, "S-1-5-32-544"));
    LocalFree(sid);
    sid = NULL;
    CU_ASSERT_FALSE(ConvertStringSidToSidA("S-1-5-x", &sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    CU_ASSERT_FALSE(ConvertStringSidToSidW(not_ascii, &sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    /* "S-1-5-0-0-...": longer than the text of any SID. */
    for (i = 0; i < SSPI_SID_STRING_MAX; i++)
        too_long[i] = i < 6 ? (WCHAR) "S-1-5-"[i] : (i % 2 ? '-' : '0');
    too_long[SSPI_SID_STRING_MAX] = 0;
    CU_ASSERT_FALSE(ConvertStringSidToSidW(too_long, &sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    CU_ASSERT_PTR_NULL(sid);
    CU_ASSERT_FALSE(ConvertStringSidToSidA(NULL, &sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_FALSE(ConvertStringSidToSidW(wide, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_PTR_NULL(LocalFree(NULL));
}

static CU_TestInfo tests[] = {
    {"sub-authorities are read past the declared array",
     test_sub_authorities_are_read_past_the_declared_array},
    {"a SID is valid only at revision 1 with at most 15 sub-authorities",
     test_a_sid_is_valid_only_at_revision_one_with_at_most_fifteen_sub_authorities},
    {"a SID occupies 8 bytes and 4 per sub-authority",
     test_a_sid_occupies_eight_bytes_and_four_per_sub_authority},
    {"SIDs are equal only in every byte they occupy",
     test_sids_are_equal_only_in_every_byte_they_occupy},
    {"a made SID has its authority big-endian and its sub-authorities in order",
     test_a_made_sid_has_its_authority_big_endian_and_its_sub_authorities_in_order},
    {"a RID is appended unless the domain is full",
     test_a_rid_is_appended_unless_the_domain_is_full},
    {"an authority of 2^32 or more is written in 12 hex digits",
     test_an_authority_of_two_to_the_32_or_more_is_written_in_twelve_hex_digits},
    {"text parses back to the SID it was written from",
     test_text_parses_back_to_the_sid_it_was_written_from},
    {"SDDL abbreviations name the well-known SIDs",
     test_sddl_abbreviations_name_the_well_known_sids},
    {"malformed text is no SID", test_malformed_text_is_no_sid},
    {"a SID added twice is listed once with both attributes",
     test_a_sid_added_twice_is_listed_once_with_both_attributes},
    {"a list grows to the limit and refuses one more",
     test_a_list_grows_to_the_limit_and_refuses_one_more},
    {"a network logon has Everyone, NETWORK and Authenticated Users",
     test_a_network_logon_has_everyone_network_and_authenticated_users},
    {"unix accounts have Samba's S-1-22 SIDs", test_unix_accounts_have_samba_s_1_22_sids},
    {"EqualSid sets the last error for an invalid SID",
     test_equal_sid_sets_the_last_error_for_an_invalid_sid},
    {"CopySid needs room for the whole SID", test_copy_sid_needs_room_for_the_whole_sid},
    {"the accessors point into the SID", test_the_accessors_point_into_the_sid},
    {"AllocateAndInitializeSid takes up to 8 sub-authorities",
     test_allocate_and_initialize_sid_takes_up_to_eight_sub_authorities},
    {"a SID converts to a string freed with LocalFree",
     test_a_sid_converts_to_a_string_freed_with_local_free},
    {"a string converts to a SID freed with LocalFree",
     test_a_string_converts_to_a_sid_freed_with_local_free},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("sspi_sid", tests);
}
