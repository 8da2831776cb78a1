/*
 * sspi_auth_identity.c: opaque identity blocks made from strings, taken apart into strings,
 * wiped and freed. Linked with -Wl,--wrap=free to see that a block is wiped when it is freed.
 */
#include <stdlib.h>
#include <string.h>

#include "sspi.h"
#include "test_util.h"

void __real_free(void *p);
void __wrap_free(void *p);

/* The caller-visible bytes of a block, checked when the allocation holding them is freed. */
static const unsigned char *watched;
static size_t watched_len;
static bool watched_freed, watched_zero;

void
__wrap_free(void *p)
{
    const unsigned char *c = p;

    /* the block's header sits in front of the caller's pointer, in the same allocation */
    if (c != NULL && watched != NULL && c <= watched && watched - c <= 64) {
        watched_freed = true;
        watched_zero = test_all_zero(watched, watched_len);
        watched = NULL;
    }
    __real_free(p);
}

static const SEC_WCHAR user_w[] = {'a', 'l', 'i', 'c', 'e', 0};
static const SEC_WCHAR domain_w[] = {'T', 'E', 'S', 'T', 'D', 'O', 'M', 0};
static const SEC_WCHAR password_w[] = {'P', 0xe4, 's', 's', 0};

/* Whether a string from the block has exactly the units of expected, terminator included. */
static bool
same_wide(const USHORT *got, const SEC_WCHAR *expected, size_t units)
{
    return got != NULL && memcmp(got, expected, (units + 1) * sizeof(SEC_WCHAR)) == 0;
}

static void
test_strings_encode_as_a_unicode_ex_identity_with_its_strings_behind_it(void)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE opaque = NULL;
    SEC_WINNT_AUTH_IDENTITY_EXW *id;
    const unsigned char *end;

    CU_ASSERT_EQUAL_FATAL(SspiEncodeStringsAsAuthIdentity(user_w, domain_w, password_w, &opaque),
                          SEC_E_OK);
    id = opaque;
    CU_ASSERT_EQUAL(id->Version, SEC_WINNT_AUTH_IDENTITY_VERSION);
    CU_ASSERT_EQUAL(id->Length, sizeof(*id));
    CU_ASSERT_EQUAL(id->Flags, SEC_WINNT_AUTH_IDENTITY_UNICODE);
    /* lengths in units without the terminator, as AcquireCredentialsHandle reads them */
    CU_ASSERT_EQUAL(id->UserLength, 5);
    CU_ASSERT_EQUAL(id->DomainLength, 7);
    CU_ASSERT_EQUAL(id->PasswordLength, 4);
    CU_ASSERT_TRUE(same_wide(id->User, user_w, 5));
    CU_ASSERT_TRUE(same_wide(id->Domain, domain_w, 7));
    CU_ASSERT_TRUE(same_wide(id->Password, password_w, 4));
    /* one block: the strings follow the struct, each terminated, in that order */
    end = (const unsigned char *)(id + 1);
    CU_ASSERT_PTR_EQUAL(id->User, (const USHORT *)end);
    CU_ASSERT_PTR_EQUAL(id->Domain, id->User + 6);
    CU_ASSERT_PTR_EQUAL(id->Password, id->Domain + 8);
    SspiFreeAuthIdentity(opaque);
}

static void
test_a_missing_string_is_a_null_field_of_length_zero(void)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE opaque = NULL;
    SEC_WINNT_AUTH_IDENTITY_EXW *id;

    CU_ASSERT_EQUAL_FATAL(SspiEncodeStringsAsAuthIdentity(user_w, NULL, NULL, &opaque), SEC_E_OK);
    id = opaque;
    CU_ASSERT_TRUE(same_wide(id->User, user_w, 5));
    CU_ASSERT_PTR_NULL(id->Domain);
    CU_ASSERT_EQUAL(id->DomainLength, 0);
    CU_ASSERT_PTR_NULL(id->Password);
    CU_ASSERT_EQUAL(id->PasswordLength, 0);
    SspiFreeAuthIdentity(opaque);
    CU_ASSERT_EQUAL(SspiEncodeStringsAsAuthIdentity(user_w, domain_w, password_w, NULL),
                    SEC_E_INVALID_PARAMETER);
}

static void
test_an_encoded_identity_decodes_to_the_same_strings(void)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE opaque = NULL;
    PCWSTR user = NULL, domain = NULL, password = NULL;

    CU_ASSERT_EQUAL_FATAL(SspiEncodeStringsAsAuthIdentity(user_w, domain_w, password_w, &opaque),
                          SEC_E_OK);
    CU_ASSERT_EQUAL(SspiEncodeAuthIdentityAsStrings(opaque, &user, &domain, &password), SEC_E_OK);
    CU_ASSERT_TRUE(same_wide(user, user_w, 5));
    CU_ASSERT_TRUE(same_wide(domain, domain_w, 7));
    CU_ASSERT_TRUE(same_wide(password, password_w, 4));
    SspiFreeAuthIdentity((void *)user);
    SspiFreeAuthIdentity((void *)domain);
    SspiFreeAuthIdentity((void *)password);
    /* each output is optional: asking for the user alone hands out nothing else */
    user = NULL;
    CU_ASSERT_EQUAL(SspiEncodeAuthIdentityAsStrings(opaque, &user, NULL, NULL), SEC_E_OK);
    CU_ASSERT_TRUE(same_wide(user, user_w, 5));
    SspiFreeAuthIdentity((void *)user);
    SspiFreeAuthIdentity(opaque);
}

static void
test_an_ansi_identity_of_the_callers_decodes_to_wide_strings(void)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {
        (unsigned char *)"bob",         3, (unsigned char *)"TESTDOM",  7,
        (unsigned char *)"P\xc3\xa4ss", 5, SEC_WINNT_AUTH_IDENTITY_ANSI};
    PCWSTR user = NULL, domain = NULL, password = NULL;
    static const SEC_WCHAR bob[] = {'b', 'o', 'b', 0};

    CU_ASSERT_EQUAL(SspiEncodeAuthIdentityAsStrings(&id, &user, &domain, &password), SEC_E_OK);
    CU_ASSERT_TRUE(same_wide(user, bob, 3));
    CU_ASSERT_TRUE(same_wide(domain, domain_w, 7));
    CU_ASSERT_TRUE(same_wide(password, password_w, 4));
    SspiFreeAuthIdentity((void *)user);
    SspiFreeAuthIdentity((void *)domain);
    SspiFreeAuthIdentity((void *)password);
}

static void
test_an_identity_that_cannot_be_read_gives_its_status_and_no_strings(void)
{
    SEC_WINNT_AUTH_IDENTITY_A both = {(unsigned char *)"bob",
                                      3,
                                      NULL,
                                      0,
                                      NULL,
                                      0,
                                      SEC_WINNT_AUTH_IDENTITY_ANSI |
                                          SEC_WINNT_AUTH_IDENTITY_UNICODE};
    SEC_WINNT_AUTH_IDENTITY_A latin1 = {(unsigned char *)"b\xf6"
                                                         "b",
                                        3,
                                        NULL,
                                        0,
                                        NULL,
                                        0,
                                        SEC_WINNT_AUTH_IDENTITY_ANSI};
    PCWSTR sentinel = user_w, user = sentinel;

    CU_ASSERT_EQUAL(SspiEncodeAuthIdentityAsStrings(NULL, &user, NULL, NULL),
                    SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(SspiEncodeAuthIdentityAsStrings(&both, &user, NULL, NULL),
                    SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(SspiEncodeAuthIdentityAsStrings(&latin1, &user, NULL, NULL),
                    SEC_E_UNKNOWN_CREDENTIALS);
    CU_ASSERT_PTR_EQUAL(user, sentinel);
}

static void
test_zeroing_wipes_a_block_and_leaves_anything_else_alone(void)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE opaque = NULL;
    size_t size = sizeof(SEC_WINNT_AUTH_IDENTITY_EXW) + (5 + 7 + 4 + 3) * sizeof(SEC_WCHAR);
    /* a caller's own identity, with bytes in front that are no block header */
    unsigned char foreign[64];

    CU_ASSERT_EQUAL_FATAL(SspiEncodeStringsAsAuthIdentity(user_w, domain_w, password_w, &opaque),
                          SEC_E_OK);
    SspiZeroAuthIdentity(opaque);
    CU_ASSERT_TRUE(test_all_zero(opaque, size));
    SspiFreeAuthIdentity(opaque);
    memset(foreign, 0x5a, sizeof(foreign));
    SspiZeroAuthIdentity(foreign + 32);
    CU_ASSERT_FALSE(test_all_zero(foreign + 32, 32));
    SspiZeroAuthIdentity(NULL);
}

static void
test_freeing_wipes_a_block_and_ignores_anything_else(void)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE opaque = NULL;
    PCWSTR password = NULL;
    unsigned char foreign[64];

    CU_ASSERT_EQUAL_FATAL(SspiEncodeStringsAsAuthIdentity(user_w, domain_w, password_w, &opaque),
                          SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(SspiEncodeAuthIdentityAsStrings(opaque, NULL, NULL, &password), SEC_E_OK);
    watched = (const unsigned char *)opaque;
    watched_len = sizeof(SEC_WINNT_AUTH_IDENTITY_EXW) + (5 + 7 + 4 + 3) * sizeof(SEC_WCHAR);
    watched_freed = watched_zero = false;
    SspiFreeAuthIdentity(opaque);
    CU_ASSERT_TRUE(watched_freed);
    CU_ASSERT_TRUE(watched_zero);
    /* a password handed out as a string is a block too */
    watched = (const unsigned char *)password;
    watched_len = 5 * sizeof(SEC_WCHAR);
    watched_freed = watched_zero = false;
    SspiFreeAuthIdentity((void *)password);
    CU_ASSERT_TRUE(watched_freed);
    CU_ASSERT_TRUE(watched_zero);
    /* no free() of the caller's memory (valgrind and the wrapper would see one) */
    memset(foreign, 0x5a, sizeof(foreign));
    watched = foreign + 32;
    watched_len = 32;
    watched_freed = false;
    SspiFreeAuthIdentity(foreign + 32);
    CU_ASSERT_FALSE(watched_freed);
    watched = NULL;
    SspiFreeAuthIdentity(NULL);
}

static CU_TestInfo tests[] = {
    {"strings encode as a Unicode EX identity with its strings behind it",
     test_strings_encode_as_a_unicode_ex_identity_with_its_strings_behind_it},
    {"a missing string is a NULL field of length zero",
     test_a_missing_string_is_a_null_field_of_length_zero},
    {"an encoded identity decodes to the same strings",
     test_an_encoded_identity_decodes_to_the_same_strings},
    {"an ANSI identity of the caller's decodes to wide strings",
     test_an_ansi_identity_of_the_callers_decodes_to_wide_strings},
    {"an identity that cannot be read gives its status and no strings",
     test_an_identity_that_cannot_be_read_gives_its_status_and_no_strings},
    {"zeroing wipes a block and leaves anything else alone",
     test_zeroing_wipes_a_block_and_leaves_anything_else_alone},
    {"freeing wipes a block and ignores anything else",
     test_freeing_wipes_a_block_and_ignores_anything_else},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("sspi_auth_identity", tests);
}
