/*
 * The UNICODE half of test_sspi_header.c: this translation unit includes sspi.h with UNICODE
 * defined, so every unsuffixed name must select its W form. Its tests run in that suite.
 */
#define UNICODE

#include <stddef.h>
#include <string.h>

#include "sspi.h"
#include "test_util.h"

void test_unicode_maps_unsuffixed_types_to_w(void);
void test_unicode_maps_unsuffixed_functions_to_w(void);
void test_unicode_negossp_name_is_a_wide_string(void);

#define SAME_TYPE(expr, type) _Generic((expr), type : 1, default : 0)
#define STRINGIFY(x) #x
#define EXPANDED_NAME(x) STRINGIFY(x)

void
test_unicode_maps_unsuffixed_types_to_w(void)
{
    CU_ASSERT_EQUAL(sizeof(SEC_WINNT_AUTH_IDENTITY), sizeof(SEC_WINNT_AUTH_IDENTITY_W));
    CU_ASSERT_TRUE(SAME_TYPE((SEC_WINNT_AUTH_IDENTITY *)0, SEC_WINNT_AUTH_IDENTITY_W *));
    CU_ASSERT_TRUE(SAME_TYPE((PSEC_WINNT_AUTH_IDENTITY)0, SEC_WINNT_AUTH_IDENTITY_W *));
    CU_ASSERT_TRUE(SAME_TYPE((SEC_WINNT_AUTH_IDENTITY_EX *)0, SEC_WINNT_AUTH_IDENTITY_EXW *));
    CU_ASSERT_TRUE(SAME_TYPE((SecPkgInfo *)0, SecPkgInfoW *));
    CU_ASSERT_TRUE(SAME_TYPE((PSecPkgInfo)0, SecPkgInfoW *));
    CU_ASSERT_TRUE(SAME_TYPE((SecPkgCredentials_Names *)0, SecPkgCredentials_NamesW *));
    CU_ASSERT_TRUE(SAME_TYPE((SecPkgContext_Names *)0, SecPkgContext_NamesW *));
    CU_ASSERT_TRUE(SAME_TYPE((SecPkgContext_NativeNames *)0, SecPkgContext_NativeNamesW *));
    CU_ASSERT_TRUE(SAME_TYPE((SecPkgContext_KeyInfo *)0, SecPkgContext_KeyInfoW *));
    CU_ASSERT_TRUE(SAME_TYPE((SecPkgContext_PackageInfo *)0, SecPkgContext_PackageInfoW *));
    CU_ASSERT_TRUE(SAME_TYPE((SecPkgContext_NegotiationInfo *)0, SecPkgContext_NegotiationInfoW *));
    CU_ASSERT_TRUE(SAME_TYPE((SecurityFunctionTable *)0, SecurityFunctionTableW *));
    CU_ASSERT_TRUE(SAME_TYPE((PSecurityFunctionTable)0, SecurityFunctionTableW *));
    CU_ASSERT_TRUE(SAME_TYPE((SECURITY_PSTR)0, SEC_WCHAR *));
    CU_ASSERT_TRUE(SAME_TYPE((ACQUIRE_CREDENTIALS_HANDLE_FN)0, ACQUIRE_CREDENTIALS_HANDLE_FN_W));
    CU_ASSERT_TRUE(SAME_TYPE((INIT_SECURITY_INTERFACE)0, INIT_SECURITY_INTERFACE_W));
    /* Through the macro, a table member reads as its W slot. */
    CU_ASSERT_EQUAL(offsetof(SecurityFunctionTable, QueryContextAttributes), 11 * sizeof(void *));
}

void
test_unicode_maps_unsuffixed_functions_to_w(void)
{
    CU_ASSERT_TRUE(SAME_TYPE(&AcquireCredentialsHandle, ACQUIRE_CREDENTIALS_HANDLE_FN_W));
    CU_ASSERT_TRUE(SAME_TYPE(&InitializeSecurityContext, INITIALIZE_SECURITY_CONTEXT_FN_W));
    CU_ASSERT_TRUE(SAME_TYPE(&QuerySecurityPackageInfo, QUERY_SECURITY_PACKAGE_INFO_FN_W));
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(AcquireCredentialsHandle), "AcquireCredentialsHandleW");
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(QueryCredentialsAttributes),
                           "QueryCredentialsAttributesW");
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(InitializeSecurityContext), "InitializeSecurityContextW");
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(QueryContextAttributes), "QueryContextAttributesW");
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(SetContextAttributes), "SetContextAttributesW");
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(EnumerateSecurityPackages), "EnumerateSecurityPackagesW");
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(QuerySecurityPackageInfo), "QuerySecurityPackageInfoW");
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(ImportSecurityContext), "ImportSecurityContextW");
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(InitSecurityInterface), "InitSecurityInterfaceW");
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(GetUserNameEx), "GetUserNameExW");
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(GetComputerObjectName), "GetComputerObjectNameW");
    CU_ASSERT_STRING_EQUAL(SECURITY_ENTRYPOINT_ANSI, "InitSecurityInterfaceW");
    /* Functions without a string parameter have one name in both modes. */
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(AcceptSecurityContext), "AcceptSecurityContext");
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(FreeCredentialHandle), "FreeCredentialsHandle");
}

void
test_unicode_negossp_name_is_a_wide_string(void)
{
    static const WCHAR negotiate[] = {'N', 'e', 'g', 'o', 't', 'i', 'a', 't', 'e', 0};
    static const WCHAR from_macro[] = NEGOSSP_NAME;

    CU_ASSERT_TRUE(SAME_TYPE(NEGOSSP_NAME[0], SEC_WCHAR));
    CU_ASSERT_EQUAL(sizeof(NEGOSSP_NAME), sizeof(negotiate));
    CU_ASSERT_EQUAL(memcmp(NEGOSSP_NAME, negotiate, sizeof(negotiate)), 0);
    CU_ASSERT_EQUAL(memcmp(from_macro, NEGOSSP_NAME_W, sizeof(negotiate)), 0);
    CU_ASSERT_STRING_EQUAL(NEGOSSP_NAME_A, "Negotiate");
}
