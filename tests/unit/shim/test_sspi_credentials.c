/*
 * sspi_credentials.c: identities read from pAuthData, AcquireCredentialsHandle's checks and the
 * credential it makes, FreeCredentialsHandle and QueryCredentialsAttributes. GSS calls go to the
 * built NTLM module through a private mechglue world (gss_test_env); krb5 finds no KDC there.
 */
#include <stdlib.h>
#include <string.h>

#include "gss_test_env.h"
#include "sspi_credentials.h"
#include "sspi_objects.h"
#include "test_util.h"

static const SEC_WCHAR alice_w[] = {'a', 'l', 'i', 'c', 'e', 0};
static const SEC_WCHAR domain_w[] = {'T', 'E', 'S', 'T', 'D', 'O', 'M', 0};
static const SEC_WCHAR password_w[] = {'P', 'a', 's', 's', 'w', '0', 'r', 'd', '!', 0};

static void
test_clearing_an_identity_empties_it(void)
{
    struct sspi_identity id = {strdup("alice"), strdup("TESTDOM"), strdup("Passw0rd!")};

    sspi_identity_clear(&id);
    CU_ASSERT_PTR_NULL(id.user);
    CU_ASSERT_PTR_NULL(id.domain);
    CU_ASSERT_PTR_NULL(id.password);
    /* clearing twice is harmless */
    sspi_identity_clear(&id);
}

static void
test_no_auth_data_is_an_empty_identity(void)
{
    struct sspi_identity id = {(char *)"stale", NULL, NULL};

    CU_ASSERT_EQUAL(sspi_identity_read(NULL, &id), SEC_E_OK);
    CU_ASSERT_PTR_NULL(id.user);
    CU_ASSERT_PTR_NULL(id.domain);
    CU_ASSERT_PTR_NULL(id.password);
}

static void
test_an_ansi_identity_is_read_by_its_lengths(void)
{
    /* lengths, not terminators, end the strings */
    SEC_WINNT_AUTH_IDENTITY_A a = {(UCHAR *)"alice@x",     5, (UCHAR *)"TESTDOM",          7,
                                   (UCHAR *)"P\xc3\xa4ss", 5, SEC_WINNT_AUTH_IDENTITY_ANSI};
    struct sspi_identity id;

    CU_ASSERT_EQUAL_FATAL(sspi_identity_read(&a, &id), SEC_E_OK);
    CU_ASSERT_STRING_EQUAL(id.user, "alice");
    CU_ASSERT_STRING_EQUAL(id.domain, "TESTDOM");
    CU_ASSERT_STRING_EQUAL(id.password, "P\xc3\xa4ss");
    sspi_identity_clear(&id);
}

static void
test_a_unicode_identity_is_read_in_either_form(void)
{
    SEC_WINNT_AUTH_IDENTITY_W w = {(USHORT *)alice_w,
                                   5,
                                   (USHORT *)domain_w,
                                   7,
                                   (USHORT *)password_w,
                                   9,
                                   SEC_WINNT_AUTH_IDENTITY_UNICODE};
    SEC_WINNT_AUTH_IDENTITY_EXW ex = {SEC_WINNT_AUTH_IDENTITY_VERSION,
                                      sizeof(ex),
                                      (USHORT *)alice_w,
                                      5,
                                      NULL,
                                      0,
                                      (USHORT *)password_w,
                                      9,
                                      SEC_WINNT_AUTH_IDENTITY_UNICODE,
                                      NULL,
                                      0};
    struct sspi_identity id;

    CU_ASSERT_EQUAL_FATAL(sspi_identity_read(&w, &id), SEC_E_OK);
    CU_ASSERT_STRING_EQUAL(id.user, "alice");
    CU_ASSERT_STRING_EQUAL(id.domain, "TESTDOM");
    CU_ASSERT_STRING_EQUAL(id.password, "Passw0rd!");
    sspi_identity_clear(&id);
    /* the EX form is told by its version; a zero length is an absent string */
    CU_ASSERT_EQUAL_FATAL(sspi_identity_read(&ex, &id), SEC_E_OK);
    CU_ASSERT_STRING_EQUAL(id.user, "alice");
    CU_ASSERT_PTR_NULL(id.domain);
    CU_ASSERT_STRING_EQUAL(id.password, "Passw0rd!");
    sspi_identity_clear(&id);
}

static void
test_flags_naming_neither_or_both_character_sets_are_refused(void)
{
    SEC_WINNT_AUTH_IDENTITY_A a = {(UCHAR *)"alice", 5, NULL, 0, NULL, 0, 0};
    struct sspi_identity id;

    CU_ASSERT_EQUAL(sspi_identity_read(&a, &id), SEC_E_INVALID_PARAMETER);
    a.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE;
    CU_ASSERT_EQUAL(sspi_identity_read(&a, &id), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_PTR_NULL(id.user);
}

static void
test_a_string_that_does_not_convert_refuses_the_whole_identity(void)
{
    static const SEC_WCHAR lone[] = {'p', 0xdc00, 0};
    SEC_WINNT_AUTH_IDENTITY_W w = {(USHORT *)alice_w,
                                   5,
                                   (USHORT *)domain_w,
                                   7,
                                   (USHORT *)lone,
                                   2,
                                   SEC_WINNT_AUTH_IDENTITY_UNICODE};
    SEC_WINNT_AUTH_IDENTITY_A a = {(UCHAR *)"al\0ce",           5, NULL, 0, NULL, 0,
                                   SEC_WINNT_AUTH_IDENTITY_ANSI};
    struct sspi_identity id;

    /* the strings read before the bad one are not left behind (valgrind sees leaks) */
    CU_ASSERT_EQUAL(sspi_identity_read(&w, &id), SEC_E_UNKNOWN_CREDENTIALS);
    CU_ASSERT_PTR_NULL(id.user);
    CU_ASSERT_PTR_NULL(id.domain);
    CU_ASSERT_EQUAL(sspi_identity_read(&a, &id), SEC_E_UNKNOWN_CREDENTIALS);
}

static void
test_a_packed_ex2_identity_is_refused_not_read_as_a_plain_one(void)
{
    /* Windows' SspiEncodeStringsAsAuthIdentity makes this form: offsets, not pointers, and
     * the password marshalled. Read as a plain identity, its header is a User "pointer" and
     * its package list length (18 bytes: "!Kerberos") lands on Flags as UNICODE. */
    static const SEC_WCHAR packages[] = {'!', 'K', 'e', 'r', 'b', 'e', 'r', 'o', 's'};
    struct {
        SEC_WINNT_AUTH_IDENTITY_EX2 hdr;
        SEC_WCHAR user[5];
        SEC_WCHAR package_list[9];
    } ex2;
    struct sspi_identity id = {NULL, NULL, NULL};
    CredHandle h;

    memset(&ex2, 0, sizeof(ex2));
    ex2.hdr.Version = SEC_WINNT_AUTH_IDENTITY_VERSION_2;
    ex2.hdr.cbHeaderLength = sizeof(ex2.hdr);
    ex2.hdr.cbStructureLength = sizeof(ex2);
    ex2.hdr.UserOffset = sizeof(ex2.hdr);
    ex2.hdr.UserLength = sizeof(ex2.user);
    ex2.hdr.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    ex2.hdr.PackageListOffset = sizeof(ex2.hdr) + sizeof(ex2.user);
    ex2.hdr.PackageListLength = sizeof(packages);
    memcpy(ex2.user, alice_w, sizeof(ex2.user));
    memcpy(ex2.package_list, packages, sizeof(packages));
    CU_ASSERT_EQUAL(sspi_identity_read(&ex2, &id), SEC_E_UNKNOWN_CREDENTIALS);
    CU_ASSERT_PTR_NULL(id.user);
    CU_ASSERT_EQUAL(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &ex2, NULL,
                                              NULL, &h, NULL),
                    SEC_E_UNKNOWN_CREDENTIALS);
}

static void
test_acquiring_checks_the_handle_the_package_and_the_use(void)
{
    CredHandle h;
    SEC_WINNT_AUTH_IDENTITY_A bad = {(UCHAR *)"alice", 5, NULL, 0, NULL, 0, 0};

    CU_ASSERT_EQUAL(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                              NULL, NULL, NULL),
                    SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(AcquireCredentialsHandleA(NULL, "Digest", SECPKG_CRED_OUTBOUND, NULL, NULL,
                                              NULL, NULL, &h, NULL),
                    SEC_E_SECPKG_NOT_FOUND);
    /* a use with neither direction, whatever other bits it has */
    CU_ASSERT_EQUAL(
        AcquireCredentialsHandleA(NULL, "NTLM", 0x100, NULL, NULL, NULL, NULL, &h, NULL),
        SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &bad, NULL,
                                              NULL, &h, NULL),
                    SEC_E_INVALID_PARAMETER);
}

/* The name QueryCredentialsAttributesA gives (malloc'd), or NULL with *status set. */
static char *
credential_name(CredHandle *h, SECURITY_STATUS *status)
{
    SecPkgCredentials_NamesA names = {NULL};
    char *copy;

    *status = QueryCredentialsAttributesA(h, SECPKG_CRED_ATTR_NAMES, &names);
    if (*status != SEC_E_OK)
        return NULL;
    copy = strdup((char *)names.sUserName);
    FreeContextBuffer(names.sUserName);
    return copy;
}

static void
test_a_credential_without_an_identity_never_expires_and_waits_for_the_default(void)
{
    CredHandle h;
    TimeStamp expiry = {0};
    struct sspi_cred *cred;
    SECURITY_STATUS status;
    char *name;

    CU_ASSERT_EQUAL_FATAL(AcquireCredentialsHandleA(NULL, "ntlm", SECPKG_CRED_OUTBOUND, NULL, NULL,
                                                    NULL, NULL, &h, &expiry),
                          SEC_E_OK);
    CU_ASSERT_EQUAL(expiry.HighPart, 0x7fffffff);
    CU_ASSERT_EQUAL(expiry.LowPart, 0xffffffffu);
    cred = sspi_cred_from_handle(&h);
    CU_ASSERT_FATAL(cred != NULL);
    CU_ASSERT_EQUAL(cred->pkg->id, SSPI_PKG_NTLM);
    CU_ASSERT_EQUAL(cred->use, SECPKG_CRED_OUTBOUND);
    CU_ASSERT_PTR_EQUAL(cred->gss, GSS_C_NO_CREDENTIAL);
    CU_ASSERT_PTR_NULL(cred->user);
    sspi_cred_unref(cred);
    /* asked for its name, it finds the default credential: NTLMUSER in this world */
    name = credential_name(&h, &status);
    CU_ASSERT_EQUAL(status, SEC_E_OK);
    CU_ASSERT_STRING_EQUAL(name, TEST_DOMAIN "\\" TEST_USER);
    free(name);
    CU_ASSERT_EQUAL(FreeCredentialsHandle(&h), SEC_E_OK);
}

static void
test_an_identity_with_a_password_acquires_a_credential_named_domain_backslash_user(void)
{
    SEC_WINNT_AUTH_IDENTITY_W w = {(USHORT *)alice_w,
                                   5,
                                   (USHORT *)domain_w,
                                   7,
                                   (USHORT *)password_w,
                                   9,
                                   SEC_WINNT_AUTH_IDENTITY_UNICODE};
    CredHandle h;
    struct sspi_cred *cred;
    SECURITY_STATUS status;
    char *name;

    CU_ASSERT_EQUAL_FATAL(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &w,
                                                    NULL, NULL, &h, NULL),
                          SEC_E_OK);
    cred = sspi_cred_from_handle(&h);
    CU_ASSERT_FATAL(cred != NULL);
    CU_ASSERT_PTR_NOT_EQUAL(cred->gss, GSS_C_NO_CREDENTIAL);
    sspi_cred_unref(cred);
    name = credential_name(&h, &status);
    CU_ASSERT_STRING_EQUAL(name, "TESTDOM\\alice");
    free(name);
    CU_ASSERT_EQUAL(FreeCredentialsHandle(&h), SEC_E_OK);
}

static void
test_a_negotiate_identity_whose_kerberos_fails_still_acquires_for_ntlm(void)
{
    SEC_WINNT_AUTH_IDENTITY_A a = {(UCHAR *)"alice",     5, (UCHAR *)"TESTDOM",          7,
                                   (UCHAR *)"Passw0rd!", 9, SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle h;
    SECURITY_STATUS status;
    char *name;

    /* the world's krb5 has no KDC for TESTDOM: the ticket fails, NTLM remains */
    CU_ASSERT_EQUAL_FATAL(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL,
                                                    &a, NULL, NULL, &h, NULL),
                          SEC_E_OK);
    name = credential_name(&h, &status);
    CU_ASSERT_STRING_EQUAL(name, "TESTDOM\\alice");
    free(name);
    CU_ASSERT_EQUAL(FreeCredentialsHandle(&h), SEC_E_OK);
}

static void
test_a_kerberos_identity_without_a_kdc_names_no_authority(void)
{
    SEC_WINNT_AUTH_IDENTITY_A a = {(UCHAR *)"alice",     5, (UCHAR *)"testdom",          7,
                                   (UCHAR *)"Passw0rd!", 9, SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle h = {0x5a5a, 0x5a5a};

    CU_ASSERT_EQUAL(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &a,
                                              NULL, NULL, &h, NULL),
                    SEC_E_NO_AUTHENTICATING_AUTHORITY);
    /* no handle was made */
    CU_ASSERT_EQUAL(FreeCredentialsHandle(&h), SEC_E_INVALID_HANDLE);
}

static void
test_an_inbound_credential_is_named_by_its_principal(void)
{
    static const SEC_WCHAR principal_w[] = {'H', 'T', 'T', 'P', '/', 'w', 'e', 'b', 0};
    static const SEC_WCHAR ntlm_w[] = {'N', 'T', 'L', 'M', 0};
    SecPkgCredentials_NamesW names = {NULL};
    CredHandle h;

    CU_ASSERT_EQUAL_FATAL(AcquireCredentialsHandleW((SEC_WCHAR *)principal_w, (SEC_WCHAR *)ntlm_w,
                                                    SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &h,
                                                    NULL),
                          SEC_E_OK);
    CU_ASSERT_EQUAL(QueryCredentialsAttributesW(&h, SECPKG_CRED_ATTR_NAMES, &names), SEC_E_OK);
    CU_ASSERT(names.sUserName != NULL &&
              memcmp(names.sUserName, principal_w, sizeof(principal_w)) == 0);
    FreeContextBuffer(names.sUserName);
    CU_ASSERT_EQUAL(FreeCredentialsHandle(&h), SEC_E_OK);
}

static void
test_wide_names_that_do_not_convert_are_refused(void)
{
    static const SEC_WCHAR lone[] = {0xd800, 0};
    static const SEC_WCHAR ntlm_w[] = {'N', 'T', 'L', 'M', 0};
    CredHandle h;

    CU_ASSERT_EQUAL(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)lone, SECPKG_CRED_OUTBOUND, NULL,
                                              NULL, NULL, NULL, &h, NULL),
                    SEC_E_SECPKG_NOT_FOUND);
    CU_ASSERT_EQUAL(AcquireCredentialsHandleW((SEC_WCHAR *)lone, (SEC_WCHAR *)ntlm_w,
                                              SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &h,
                                              NULL),
                    SEC_E_UNKNOWN_CREDENTIALS);
}

static void
test_a_freed_handle_is_invalid_for_every_call(void)
{
    SecPkgCredentials_NamesA names = {NULL};
    CredHandle h, zero = {0, 0};

    CU_ASSERT_EQUAL_FATAL(AcquireCredentialsHandleA("HTTP/web", "NTLM", SECPKG_CRED_INBOUND, NULL,
                                                    NULL, NULL, NULL, &h, NULL),
                          SEC_E_OK);
    CU_ASSERT_EQUAL(FreeCredentialsHandle(&h), SEC_E_OK);
    CU_ASSERT_EQUAL(FreeCredentialsHandle(&h), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(QueryCredentialsAttributesA(&h, SECPKG_CRED_ATTR_NAMES, &names),
                    SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(FreeCredentialsHandle(&zero), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(FreeCredentialsHandle(NULL), SEC_E_INVALID_HANDLE);
}

static void
test_only_the_names_attribute_is_answered_and_into_a_buffer(void)
{
    SecPkgCredentials_NamesA names = {NULL};
    CredHandle h;

    CU_ASSERT_EQUAL_FATAL(AcquireCredentialsHandleA("HTTP/web", "NTLM", SECPKG_CRED_INBOUND, NULL,
                                                    NULL, NULL, NULL, &h, NULL),
                          SEC_E_OK);
    CU_ASSERT_EQUAL(QueryCredentialsAttributesA(&h, SECPKG_CRED_ATTR_NAMES + 1, &names),
                    SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(QueryCredentialsAttributesA(&h, SECPKG_CRED_ATTR_NAMES, NULL),
                    SEC_E_INVALID_PARAMETER);
    CU_ASSERT_PTR_NULL(names.sUserName);
    CU_ASSERT_EQUAL(FreeCredentialsHandle(&h), SEC_E_OK);
}

static CU_TestInfo tests[] = {
    {"clearing an identity empties it", test_clearing_an_identity_empties_it},
    {"no auth data is an empty identity", test_no_auth_data_is_an_empty_identity},
    {"an ANSI identity is read by its lengths", test_an_ansi_identity_is_read_by_its_lengths},
    {"a Unicode identity is read in either form", test_a_unicode_identity_is_read_in_either_form},
    {"flags naming neither or both character sets are refused",
     test_flags_naming_neither_or_both_character_sets_are_refused},
    {"a string that does not convert refuses the whole identity",
     test_a_string_that_does_not_convert_refuses_the_whole_identity},
    {"a packed EX2 identity is refused, not read as a plain one",
     test_a_packed_ex2_identity_is_refused_not_read_as_a_plain_one},
    {"acquiring checks the handle, the package and the use",
     test_acquiring_checks_the_handle_the_package_and_the_use},
    {"a credential without an identity never expires and waits for the default",
     test_a_credential_without_an_identity_never_expires_and_waits_for_the_default},
    {"an identity with a password acquires a credential named DOMAIN\\user",
     test_an_identity_with_a_password_acquires_a_credential_named_domain_backslash_user},
    {"a Negotiate identity whose Kerberos fails still acquires for NTLM",
     test_a_negotiate_identity_whose_kerberos_fails_still_acquires_for_ntlm},
    {"a Kerberos identity without a KDC names no authority",
     test_a_kerberos_identity_without_a_kdc_names_no_authority},
    {"an inbound credential is named by its principal",
     test_an_inbound_credential_is_named_by_its_principal},
    {"wide names that do not convert are refused", test_wide_names_that_do_not_convert_are_refused},
    {"a freed handle is invalid for every call", test_a_freed_handle_is_invalid_for_every_call},
    {"only the names attribute is answered, and into a buffer",
     test_only_the_names_attribute_is_answered_and_into_a_buffer},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return gss_test_env_run_suite("sspi_credentials", tests);
}
