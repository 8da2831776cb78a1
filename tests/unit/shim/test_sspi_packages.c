/*
 * sspi_packages.c: the package table (names, capabilities, token sizes as Windows reports
 * them), the package behind a negotiated mechanism, and the SecPkgInfo blocks of
 * EnumerateSecurityPackages and QuerySecurityPackageInfo, each one context buffer.
 */
#include <stdbool.h>
#include <string.h>

#include "sspi_packages.h"
#include "sspigss_ntlm.h"
#include "test_util.h"

static gss_OID_desc krb5_oid = {9, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"};
/* The OID Windows 2000 sent for Kerberos by mistake, which peers still offer. */
static gss_OID_desc ms_krb5_oid = {9, "\x2a\x86\x48\x82\xf7\x12\x01\x02\x02"};
static gss_OID_desc ntlm_oid = {SSPIGSS_NTLM_MECH_OID_LEN, SSPIGSS_NTLM_MECH_OID_DER};
static gss_OID_desc spnego_oid = {6, "\x2b\x06\x01\x05\x05\x02"};

/* Whether a NUL-terminated UTF-16 string is the ASCII string expected. */
static bool
wide_is(const SEC_WCHAR *w, const char *expected)
{
    size_t i;

    for (i = 0; expected[i] != '\0'; i++) {
        if (w[i] != (SEC_WCHAR)expected[i])
            return false;
    }
    return w[i] == 0;
}

/* The id of the package a name finds, or -1. */
static int
id_of(const char *name)
{
    const struct sspi_package *pkg = sspi_package_find(name);

    return pkg != NULL ? (int)pkg->id : -1;
}

static void
test_packages_are_found_by_name_in_any_case(void)
{
    const struct sspi_package *ntlm = sspi_package_find("NTLM");

    CU_ASSERT_PTR_NOT_NULL_FATAL(ntlm);
    CU_ASSERT_EQUAL(ntlm->id, SSPI_PKG_NTLM);
    CU_ASSERT_PTR_EQUAL(sspi_package_find("ntlm"), ntlm);
    CU_ASSERT_EQUAL(id_of("negotiate"), SSPI_PKG_NEGOTIATE);
    CU_ASSERT_EQUAL(id_of("KERBEROS"), SSPI_PKG_KERBEROS);
    CU_ASSERT_PTR_NULL(sspi_package_find("NTLMv2"));
    CU_ASSERT_PTR_NULL(sspi_package_find("NTL"));
    CU_ASSERT_PTR_NULL(sspi_package_find(""));
    CU_ASSERT_PTR_NULL(sspi_package_find(NULL));
}

static void
test_each_package_has_the_mechanism_and_facts_windows_reports(void)
{
    const struct sspi_package *negotiate = sspi_package_find("Negotiate");
    const struct sspi_package *ntlm = sspi_package_find("NTLM");
    const struct sspi_package *kerberos = sspi_package_find("Kerberos");

    CU_ASSERT_PTR_EQUAL(negotiate->mech, sspi_mech_spnego);
    CU_ASSERT_PTR_EQUAL(ntlm->mech, sspi_mech_ntlm);
    CU_ASSERT_PTR_EQUAL(kerberos->mech, sspi_mech_krb5);
    CU_ASSERT_EQUAL(negotiate->rpcid, 9);
    CU_ASSERT_EQUAL(ntlm->rpcid, 10);
    CU_ASSERT_EQUAL(kerberos->rpcid, 16);
    CU_ASSERT_EQUAL(negotiate->max_token, 48256);
    CU_ASSERT_EQUAL(ntlm->max_token, 2888);
    CU_ASSERT_EQUAL(kerberos->max_token, 48000);
    /* Only Kerberos authenticates both ways and delegates; NTLM and Kerberos are token-only. */
    CU_ASSERT(kerberos->capabilities & SECPKG_FLAG_MUTUAL_AUTH);
    CU_ASSERT_FALSE(ntlm->capabilities & (SECPKG_FLAG_MUTUAL_AUTH | SECPKG_FLAG_DELEGATION));
    CU_ASSERT(ntlm->capabilities & SECPKG_FLAG_TOKEN_ONLY);
    CU_ASSERT_FALSE(negotiate->capabilities & SECPKG_FLAG_TOKEN_ONLY);
}

static void
test_a_negotiated_mechanism_belongs_to_its_package(void)
{
    gss_OID_desc prefix = {8, ntlm_oid.elements}, longer = {10, krb5_oid.elements};

    CU_ASSERT_PTR_EQUAL(sspi_package_for_mech(&ntlm_oid), sspi_package_find("NTLM"));
    CU_ASSERT_PTR_EQUAL(sspi_package_for_mech(&krb5_oid), sspi_package_find("Kerberos"));
    CU_ASSERT_PTR_EQUAL(sspi_package_for_mech(&ms_krb5_oid), sspi_package_find("Kerberos"));
    CU_ASSERT_PTR_EQUAL(sspi_package_for_mech(&spnego_oid), sspi_package_find("Negotiate"));
    /* Only the whole OID counts: no prefix of one, nothing past its end. */
    CU_ASSERT_PTR_NULL(sspi_package_for_mech(&prefix));
    CU_ASSERT_PTR_NULL(sspi_package_for_mech(&longer));
    CU_ASSERT_PTR_NULL(sspi_package_for_mech(GSS_C_NO_OID));
}

static void
test_a_package_info_holds_its_strings_in_one_block(void)
{
    SecPkgInfoA *info = sspi_package_info_a(sspi_package_find("ntlm"));

    CU_ASSERT_PTR_NOT_NULL_FATAL(info);
    CU_ASSERT_STRING_EQUAL(info->Name, "NTLM");
    CU_ASSERT_STRING_EQUAL(info->Comment, "NTLM Security Package");
    CU_ASSERT_EQUAL(info->wVersion, 1);
    CU_ASSERT_EQUAL(info->wRPCID, 10);
    CU_ASSERT_EQUAL(info->cbMaxToken, 2888);
    CU_ASSERT_EQUAL(info->fCapabilities, sspi_package_find("NTLM")->capabilities);
    CU_ASSERT_PTR_EQUAL(info->Name, (char *)(info + 1));
    CU_ASSERT_EQUAL(FreeContextBuffer(info), SEC_E_OK);
}

static void
test_a_wide_package_info_holds_utf16_strings_in_one_block(void)
{
    SecPkgInfoW *info = sspi_package_info_w(sspi_package_find("Kerberos"));

    CU_ASSERT_PTR_NOT_NULL_FATAL(info);
    CU_ASSERT_TRUE(wide_is(info->Name, "Kerberos"));
    CU_ASSERT_TRUE(wide_is(info->Comment, "Microsoft Kerberos V1.0"));
    CU_ASSERT_EQUAL(info->wVersion, 1);
    CU_ASSERT_EQUAL(info->wRPCID, 16);
    CU_ASSERT_EQUAL(info->cbMaxToken, 48000);
    CU_ASSERT_PTR_EQUAL(info->Name, (SEC_WCHAR *)(info + 1));
    FreeContextBuffer(info);
}

static void
test_enumeration_lists_the_three_packages_in_one_block(void)
{
    static const char *const names[] = {"Negotiate", "NTLM", "Kerberos"};
    PSecPkgInfoA list = NULL;
    ULONG count = 0, i;

    CU_ASSERT_EQUAL_FATAL(EnumerateSecurityPackagesA(&count, &list), SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(count, 3);
    for (i = 0; i < count; i++) {
        const struct sspi_package *pkg = sspi_package_find(names[i]);

        CU_ASSERT_STRING_EQUAL(list[i].Name, names[i]);
        CU_ASSERT_STRING_EQUAL(list[i].Comment, pkg->comment);
        CU_ASSERT_EQUAL(list[i].fCapabilities, pkg->capabilities);
        CU_ASSERT_EQUAL(list[i].wRPCID, pkg->rpcid);
        CU_ASSERT_EQUAL(list[i].cbMaxToken, pkg->max_token);
        /* The strings follow the structs, each package's apart from the others'. */
        CU_ASSERT((char *)list[i].Name >= (char *)(list + count));
        CU_ASSERT(i == 0 || list[i].Name > list[i - 1].Comment);
    }
    FreeContextBuffer(list);
    CU_ASSERT_EQUAL(EnumerateSecurityPackagesA(NULL, &list), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(EnumerateSecurityPackagesA(&count, NULL), SEC_E_INVALID_PARAMETER);
}

static void
test_wide_enumeration_lists_the_three_packages_in_one_block(void)
{
    static const char *const names[] = {"Negotiate", "NTLM", "Kerberos"};
    PSecPkgInfoW list = NULL;
    ULONG count = 0, i;

    CU_ASSERT_EQUAL_FATAL(EnumerateSecurityPackagesW(&count, &list), SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(count, 3);
    for (i = 0; i < count; i++) {
        CU_ASSERT_TRUE(wide_is(list[i].Name, names[i]));
        CU_ASSERT_TRUE(wide_is(list[i].Comment, sspi_package_find(names[i])->comment));
        CU_ASSERT_EQUAL(list[i].wVersion, 1);
        CU_ASSERT((char *)list[i].Name >= (char *)(list + count));
    }
    FreeContextBuffer(list);
    CU_ASSERT_EQUAL(EnumerateSecurityPackagesW(NULL, &list), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(EnumerateSecurityPackagesW(&count, NULL), SEC_E_INVALID_PARAMETER);
}

static void
test_querying_an_unknown_package_finds_none(void)
{
    PSecPkgInfoA info = NULL;

    CU_ASSERT_EQUAL_FATAL(QuerySecurityPackageInfoA("negotiate", &info), SEC_E_OK);
    CU_ASSERT_STRING_EQUAL(info->Name, "Negotiate");
    CU_ASSERT_EQUAL(info->cbMaxToken, 48256);
    FreeContextBuffer(info);
    info = NULL;
    CU_ASSERT_EQUAL(QuerySecurityPackageInfoA("Digest", &info), SEC_E_SECPKG_NOT_FOUND);
    CU_ASSERT_EQUAL(QuerySecurityPackageInfoA(NULL, &info), SEC_E_SECPKG_NOT_FOUND);
    CU_ASSERT_PTR_NULL(info);
    CU_ASSERT_EQUAL(QuerySecurityPackageInfoA("NTLM", NULL), SEC_E_INVALID_PARAMETER);
}

static void
test_querying_by_a_wide_name_needs_valid_utf16(void)
{
    SEC_WCHAR ntlm[] = {'n', 'T', 'l', 'M', 0};
    /* A lone high surrogate before the name: no string at all, let alone a package's. */
    SEC_WCHAR broken[] = {0xd800, 'N', 'T', 'L', 'M', 0};
    PSecPkgInfoW info = NULL;

    CU_ASSERT_EQUAL_FATAL(QuerySecurityPackageInfoW(ntlm, &info), SEC_E_OK);
    CU_ASSERT_TRUE(wide_is(info->Name, "NTLM"));
    CU_ASSERT_EQUAL(info->wRPCID, 10);
    FreeContextBuffer(info);
    info = NULL;
    CU_ASSERT_EQUAL(QuerySecurityPackageInfoW(broken, &info), SEC_E_SECPKG_NOT_FOUND);
    CU_ASSERT_EQUAL(QuerySecurityPackageInfoW(NULL, &info), SEC_E_SECPKG_NOT_FOUND);
    CU_ASSERT_PTR_NULL(info);
    CU_ASSERT_EQUAL(QuerySecurityPackageInfoW(ntlm, NULL), SEC_E_INVALID_PARAMETER);
}

static CU_TestInfo tests[] = {
    {"packages are found by name in any case", test_packages_are_found_by_name_in_any_case},
    {"each package has the mechanism and facts Windows reports",
     test_each_package_has_the_mechanism_and_facts_windows_reports},
    {"a negotiated mechanism belongs to its package",
     test_a_negotiated_mechanism_belongs_to_its_package},
    {"a package info holds its strings in one block",
     test_a_package_info_holds_its_strings_in_one_block},
    {"a wide package info holds UTF-16 strings in one block",
     test_a_wide_package_info_holds_utf16_strings_in_one_block},
    {"enumeration lists the three packages in one block",
     test_enumeration_lists_the_three_packages_in_one_block},
    {"wide enumeration lists the three packages in one block",
     test_wide_enumeration_lists_the_three_packages_in_one_block},
    {"querying an unknown package finds none", test_querying_an_unknown_package_finds_none},
    {"querying by a wide name needs valid UTF-16", test_querying_by_a_wide_name_needs_valid_utf16},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("sspi_packages", tests);
}
