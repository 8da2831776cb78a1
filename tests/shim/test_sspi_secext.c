/*
 * The secur32 helpers ported code calls besides the SSPI proper: GetUserNameEx and
 * GetComputerObjectName (secext.h), the opaque identity functions (sspi.h), and GetLastError.
 * Expectations follow Microsoft's pages for each function (learn.microsoft.com, secext.h and
 * sspi.h API references) and Wine's secur32 where the pages say nothing.
 */
#include <pthread.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gss_test_env.h"
#include "sspi.h"
#include "sspi_loop.h"
#include "test_util.h"

#define UNSET_ERROR 0x5555u

/* The caller's passwd name, as NameSamCompatible must end with it. */
static const char *
own_name(void)
{
    struct passwd *pw = getpwuid(geteuid());

    return pw != NULL ? pw->pw_name : "";
}

static bool
ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);

    return n >= t && strcmp(s + n - t, tail) == 0;
}

/*
 * GetUserNameEx page: on success *nSize is the length without the terminator; a short buffer is
 * FALSE with ERROR_MORE_DATA and *nSize the size needed, terminator included. A local account's
 * NameSamCompatible is "COMPUTER\user" on Windows; here a local account is qualified the same
 * way, by the upper-cased host name.
 */
static void
test_user_name_sam_compatible_is_domain_backslash_user(void)
{
    char name[512], *slash;
    ULONG size = sizeof(name), needed;

    SetLastError(UNSET_ERROR);
    CU_ASSERT_TRUE_FATAL(GetUserNameExA(NameSamCompatible, name, &size));
    CU_ASSERT_EQUAL(size, strlen(name));
    slash = strchr(name, '\\');
    CU_ASSERT_PTR_NOT_NULL_FATAL(slash);
    CU_ASSERT(slash > name);
    CU_ASSERT(ends_with(name, own_name()));
    CU_ASSERT_EQUAL(GetLastError(), UNSET_ERROR); /* success sets no error */

    needed = 0;
    CU_ASSERT_FALSE(GetUserNameExA(NameSamCompatible, NULL, &needed));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_MORE_DATA);
    CU_ASSERT_EQUAL(needed, size + 1);
    needed = size; /* one short: no room for the terminator */
    CU_ASSERT_FALSE(GetUserNameExA(NameSamCompatible, name, &needed));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_MORE_DATA);
    CU_ASSERT_EQUAL(needed, size + 1);
}

static void
test_user_name_wide_form_matches_the_narrow_one(void)
{
    char narrow[512];
    WCHAR wide[512];
    ULONG nsize = sizeof(narrow), wsize = 0, i;

    CU_ASSERT_TRUE_FATAL(GetUserNameExA(NameSamCompatible, narrow, &nsize));
    CU_ASSERT_FALSE(GetUserNameExW(NameSamCompatible, NULL, &wsize));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_MORE_DATA);
    CU_ASSERT_EQUAL(wsize, nsize + 1); /* an ASCII name: as many units as bytes */
    wsize = sizeof(wide) / sizeof(wide[0]);
    CU_ASSERT_TRUE_FATAL(GetUserNameExW(NameSamCompatible, wide, &wsize));
    CU_ASSERT_EQUAL(wsize, nsize);
    for (i = 0; i <= nsize; i++)
        CU_ASSERT_EQUAL(wide[i], (WCHAR)(unsigned char)narrow[i]);
}

/*
 * Formats only a directory answers are ERROR_NONE_MAPPED ("the user name is not available in
 * the specified format"); with no Kerberos credentials (the suite's empty ccache) the UPN is
 * not available either. An unknown format or a NULL nSize is ERROR_INVALID_PARAMETER.
 */
static void
test_user_name_unresolvable_formats_are_none_mapped(void)
{
    static const EXTENDED_NAME_FORMAT unmapped[] = {
        NameFullyQualifiedDN, NameUniqueId,  NameCanonical,     NameCanonicalEx,
        NameServicePrincipal, NameDnsDomain, NameUserPrincipal,
    };
    char name[256];
    ULONG size, i;

    for (i = 0; i < sizeof(unmapped) / sizeof(unmapped[0]); i++) {
        size = sizeof(name);
        SetLastError(UNSET_ERROR);
        CU_ASSERT_FALSE(GetUserNameExA(unmapped[i], name, &size));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_NONE_MAPPED);
        CU_ASSERT_EQUAL(size, sizeof(name));
    }
    size = sizeof(name);
    CU_ASSERT_FALSE(GetUserNameExA(NameUnknown, name, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_FALSE(GetUserNameExA((EXTENDED_NAME_FORMAT)5, name, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_FALSE(GetUserNameExW(NameSamCompatible, NULL, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
}

/*
 * Outside a domain Windows has no computer object: Wine's secur32 GetComputerObjectName answers
 * ERROR_CANT_ACCESS_DOMAIN_INFO then, and so does libsspi, which cannot reach a directory.
 */
static void
test_computer_object_name_outside_a_domain_cannot_access_domain_info(void)
{
    char name[256];
    WCHAR wide[256];
    ULONG size = sizeof(name);

    CU_ASSERT_FALSE(GetComputerObjectNameA(NameSamCompatible, name, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_CANT_ACCESS_DOMAIN_INFO);
    size = 256;
    CU_ASSERT_FALSE(GetComputerObjectNameW(NameFullyQualifiedDN, wide, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_CANT_ACCESS_DOMAIN_INFO);
    CU_ASSERT_FALSE(GetComputerObjectNameA(NameUnknown, name, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
}

static void *
set_error_in_thread(void *arg)
{
    SetLastError(ERROR_NONE_MAPPED);
    *(DWORD *)arg = GetLastError();
    return NULL;
}

/* Win32 keeps the last error per thread (GetLastError page). */
static void
test_last_error_is_per_thread(void)
{
    pthread_t t;
    DWORD seen = 0;

    SetLastError(ERROR_MORE_DATA);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, set_error_in_thread, &seen), 0);
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(seen, ERROR_NONE_MAPPED);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_MORE_DATA);
}

static bool
wide_is(PCWSTR w, const char *ascii)
{
    size_t i;

    for (i = 0; w != NULL && ascii[i] != '\0'; i++) {
        if (w[i] != (WCHAR)(unsigned char)ascii[i])
            return false;
    }
    return w != NULL && w[i] == 0;
}

/*
 * SspiEncodeStringsAsAuthIdentity page: the three strings become an identity for
 * AcquireCredentialsHandle, freed with SspiFreeAuthIdentity; SspiEncodeAuthIdentityAsStrings
 * gives the strings back, each freed with SspiFreeAuthIdentity. The identity authenticates.
 */
static void
test_encoded_identity_authenticates_and_decodes_to_its_strings(void)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL;
    PCWSTR user = NULL, domain = NULL, password = NULL;
    struct sspi_pair p = {0};

    CU_ASSERT_EQUAL_FATAL(SspiEncodeStringsAsAuthIdentity(u"alice", u"TESTDOM", u"Passw0rd!", &id),
                          SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(SspiEncodeAuthIdentityAsStrings(id, &user, &domain, &password), SEC_E_OK);
    CU_ASSERT_TRUE(wide_is(user, "alice"));
    CU_ASSERT_TRUE(wide_is(domain, "TESTDOM"));
    CU_ASSERT_TRUE(wide_is(password, "Passw0rd!"));
    SspiFreeAuthIdentity((PSEC_WINNT_AUTH_IDENTITY_OPAQUE)user);
    SspiFreeAuthIdentity((PSEC_WINNT_AUTH_IDENTITY_OPAQUE)domain);
    SspiFreeAuthIdentity((PSEC_WINNT_AUTH_IDENTITY_OPAQUE)password);

    CU_ASSERT_EQUAL_FATAL(AcquireCredentialsHandleW(NULL, (LPWSTR)u"NTLM", SECPKG_CRED_OUTBOUND,
                                                    NULL, id, NULL, NULL, &p.client_cred, NULL),
                          SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL,
                                                    NULL, NULL, &p.server_cred, NULL),
                          SEC_E_OK);
    CU_ASSERT_TRUE(sspi_pair_establish(&p, "HTTP/localhost", ISC_REQ_CONNECTION, 0));
    sspi_pair_free(&p);
    SspiFreeAuthIdentity(id);
    SspiFreeAuthIdentity(NULL);
}

/* An ANSI SEC_WINNT_AUTH_IDENTITY_A decodes too; outputs not asked for are left alone. */
static void
test_ansi_identity_decodes_to_wide_strings(void)
{
    SEC_WINNT_AUTH_IDENTITY_A ansi = {
        (UCHAR *)"bob", 3, NULL, 0, (UCHAR *)"Secret-2", 8, SEC_WINNT_AUTH_IDENTITY_ANSI};
    PCWSTR user = NULL, domain = (PCWSTR)u"untouched";

    CU_ASSERT_EQUAL_FATAL(SspiEncodeAuthIdentityAsStrings(&ansi, &user, &domain, NULL), SEC_E_OK);
    CU_ASSERT_TRUE(wide_is(user, "bob"));
    CU_ASSERT_PTR_NULL(domain); /* it has none */
    SspiFreeAuthIdentity((PSEC_WINNT_AUTH_IDENTITY_OPAQUE)user);
    CU_ASSERT_EQUAL(SspiEncodeAuthIdentityAsStrings(NULL, &user, NULL, NULL),
                    SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(SspiEncodeStringsAsAuthIdentity(u"a", NULL, NULL, NULL),
                    SEC_E_INVALID_PARAMETER);
}

/* SspiZeroAuthIdentity page: the identity's memory is filled with zeros (password included). */
static void
test_zeroed_identity_holds_no_password(void)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL;
    SEC_WINNT_AUTH_IDENTITY_EXW *ex;
    const unsigned char *bytes;
    size_t i, size;
    bool zero = true;

    CU_ASSERT_EQUAL_FATAL(SspiEncodeStringsAsAuthIdentity(u"alice", u"TESTDOM", u"Passw0rd!", &id),
                          SEC_E_OK);
    ex = id;
    CU_ASSERT_EQUAL(ex->Version, SEC_WINNT_AUTH_IDENTITY_VERSION);
    CU_ASSERT_EQUAL(ex->PasswordLength, 9);
    size = sizeof(*ex) + (5 + 1 + 7 + 1 + 9 + 1) * sizeof(WCHAR);
    SspiZeroAuthIdentity(id);
    bytes = id;
    for (i = 0; i < size; i++)
        zero &= bytes[i] == 0;
    CU_ASSERT_TRUE(zero);
    SspiFreeAuthIdentity(id);
}

static CU_TestInfo tests[] = {
    {"GetUserNameEx NameSamCompatible is DOMAIN\\user",
     test_user_name_sam_compatible_is_domain_backslash_user},
    {"GetUserNameExW matches GetUserNameExA", test_user_name_wide_form_matches_the_narrow_one},
    {"unresolvable name formats are ERROR_NONE_MAPPED",
     test_user_name_unresolvable_formats_are_none_mapped},
    {"GetComputerObjectName outside a domain cannot access domain info",
     test_computer_object_name_outside_a_domain_cannot_access_domain_info},
    {"the last error is per thread", test_last_error_is_per_thread},
    {"an encoded identity authenticates and decodes to its strings",
     test_encoded_identity_authenticates_and_decodes_to_its_strings},
    {"an ANSI identity decodes to wide strings", test_ansi_identity_decodes_to_wide_strings},
    {"a zeroed identity holds no password", test_zeroed_identity_holds_no_password},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return gss_test_env_run_suite("sspi_secext", tests);
}
