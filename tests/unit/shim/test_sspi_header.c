/*
 * Tests of include/sspi.h: the LP64 layout of the SSPI types, the documented numeric values,
 * the dispatch-table slot order and the A/W selection. Header only: nothing from libsspi is
 * called (the UNICODE half lives in test_sspi_header_unicode.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <uchar.h>

#include "sspi.h"
#include "test_util.h"

/* Defined in test_sspi_header_unicode.c, which includes sspi.h with UNICODE defined. */
void test_unicode_maps_unsuffixed_types_to_w(void);
void test_unicode_maps_unsuffixed_functions_to_w(void);
void test_unicode_negossp_name_is_a_wide_string(void);

#define SAME_TYPE(expr, type) _Generic((expr), type : 1, default : 0)
#define STRINGIFY(x) #x
#define EXPANDED_NAME(x) STRINGIFY(x)

/* Each prototype has the type of its dispatch-table slot, so the shim can fill the table. */
#define PROTOTYPE_HAS_TYPE(fn, type)                                                               \
    _Static_assert(SAME_TYPE(&fn, type), #fn " does not have type " #type)

PROTOTYPE_HAS_TYPE(EnumerateSecurityPackagesA, ENUMERATE_SECURITY_PACKAGES_FN_A);
PROTOTYPE_HAS_TYPE(EnumerateSecurityPackagesW, ENUMERATE_SECURITY_PACKAGES_FN_W);
PROTOTYPE_HAS_TYPE(QueryCredentialsAttributesA, QUERY_CREDENTIALS_ATTRIBUTES_FN_A);
PROTOTYPE_HAS_TYPE(QueryCredentialsAttributesW, QUERY_CREDENTIALS_ATTRIBUTES_FN_W);
PROTOTYPE_HAS_TYPE(AcquireCredentialsHandleA, ACQUIRE_CREDENTIALS_HANDLE_FN_A);
PROTOTYPE_HAS_TYPE(AcquireCredentialsHandleW, ACQUIRE_CREDENTIALS_HANDLE_FN_W);
PROTOTYPE_HAS_TYPE(FreeCredentialsHandle, FREE_CREDENTIALS_HANDLE_FN);
PROTOTYPE_HAS_TYPE(InitializeSecurityContextA, INITIALIZE_SECURITY_CONTEXT_FN_A);
PROTOTYPE_HAS_TYPE(InitializeSecurityContextW, INITIALIZE_SECURITY_CONTEXT_FN_W);
PROTOTYPE_HAS_TYPE(AcceptSecurityContext, ACCEPT_SECURITY_CONTEXT_FN);
PROTOTYPE_HAS_TYPE(CompleteAuthToken, COMPLETE_AUTH_TOKEN_FN);
PROTOTYPE_HAS_TYPE(DeleteSecurityContext, DELETE_SECURITY_CONTEXT_FN);
PROTOTYPE_HAS_TYPE(ApplyControlToken, APPLY_CONTROL_TOKEN_FN);
PROTOTYPE_HAS_TYPE(QueryContextAttributesA, QUERY_CONTEXT_ATTRIBUTES_FN_A);
PROTOTYPE_HAS_TYPE(QueryContextAttributesW, QUERY_CONTEXT_ATTRIBUTES_FN_W);
PROTOTYPE_HAS_TYPE(ImpersonateSecurityContext, IMPERSONATE_SECURITY_CONTEXT_FN);
PROTOTYPE_HAS_TYPE(RevertSecurityContext, REVERT_SECURITY_CONTEXT_FN);
PROTOTYPE_HAS_TYPE(MakeSignature, MAKE_SIGNATURE_FN);
PROTOTYPE_HAS_TYPE(VerifySignature, VERIFY_SIGNATURE_FN);
PROTOTYPE_HAS_TYPE(FreeContextBuffer, FREE_CONTEXT_BUFFER_FN);
PROTOTYPE_HAS_TYPE(QuerySecurityPackageInfoA, QUERY_SECURITY_PACKAGE_INFO_FN_A);
PROTOTYPE_HAS_TYPE(QuerySecurityPackageInfoW, QUERY_SECURITY_PACKAGE_INFO_FN_W);
PROTOTYPE_HAS_TYPE(ExportSecurityContext, EXPORT_SECURITY_CONTEXT_FN);
PROTOTYPE_HAS_TYPE(ImportSecurityContextA, IMPORT_SECURITY_CONTEXT_FN_A);
PROTOTYPE_HAS_TYPE(ImportSecurityContextW, IMPORT_SECURITY_CONTEXT_FN_W);
PROTOTYPE_HAS_TYPE(QuerySecurityContextToken, QUERY_SECURITY_CONTEXT_TOKEN_FN);
PROTOTYPE_HAS_TYPE(EncryptMessage, ENCRYPT_MESSAGE_FN);
PROTOTYPE_HAS_TYPE(DecryptMessage, DECRYPT_MESSAGE_FN);
PROTOTYPE_HAS_TYPE(SetContextAttributesA, SET_CONTEXT_ATTRIBUTES_FN_A);
PROTOTYPE_HAS_TYPE(SetContextAttributesW, SET_CONTEXT_ATTRIBUTES_FN_W);
PROTOTYPE_HAS_TYPE(InitSecurityInterfaceA, INIT_SECURITY_INTERFACE_A);
PROTOTYPE_HAS_TYPE(InitSecurityInterfaceW, INIT_SECURITY_INTERFACE_W);

static void
test_base_types_have_windows_llp64_widths(void)
{
    CU_ASSERT_EQUAL(sizeof(UCHAR), 1);
    CU_ASSERT_EQUAL(sizeof(BOOLEAN), 1);
    CU_ASSERT_EQUAL(sizeof(USHORT), 2);
    CU_ASSERT_EQUAL(sizeof(SHORT), 2);
    CU_ASSERT_EQUAL(sizeof(ULONG), 4);
    CU_ASSERT_EQUAL(sizeof(LONG), 4);
    CU_ASSERT_EQUAL(sizeof(SECURITY_STATUS), 4);
    CU_ASSERT_EQUAL(sizeof(LONGLONG), 8);
    CU_ASSERT_EQUAL(sizeof(ULONG_PTR), sizeof(void *));
    CU_ASSERT_EQUAL(sizeof(LONG_PTR), sizeof(void *));
    CU_ASSERT_EQUAL(sizeof(WCHAR), 2);
    CU_ASSERT_EQUAL(sizeof(SEC_WCHAR), 2);
    CU_ASSERT_EQUAL(sizeof(SEC_CHAR), 1);
    /* Signedness: ULONG wraps, LONG and SECURITY_STATUS go negative. */
    CU_ASSERT_TRUE((ULONG)-1 > 0);
    CU_ASSERT_TRUE((LONG)0x80000000u < 0);
    CU_ASSERT_TRUE((WCHAR)-1 > 0);
}

static void
test_wchar_is_the_type_of_utf16_literals(void)
{
    static const WCHAR ntlm[] = u"NTLM";

    CU_ASSERT_TRUE(SAME_TYPE(u"x"[0], WCHAR));
    CU_ASSERT_TRUE(SAME_TYPE((char16_t *)0, WCHAR *));
    CU_ASSERT_EQUAL(sizeof(ntlm), 5 * sizeof(WCHAR));
    CU_ASSERT_EQUAL(ntlm[0], 'N');
    CU_ASSERT_EQUAL(ntlm[4], 0);
}

static void
test_handles_are_two_pointer_sized_words(void)
{
    CU_ASSERT_EQUAL(sizeof(SecHandle), 2 * sizeof(void *));
    CU_ASSERT_EQUAL(offsetof(SecHandle, dwLower), 0);
    CU_ASSERT_EQUAL(offsetof(SecHandle, dwUpper), sizeof(void *));
    CU_ASSERT_EQUAL(sizeof(CredHandle), sizeof(SecHandle));
    CU_ASSERT_EQUAL(sizeof(CtxtHandle), sizeof(SecHandle));
    CU_ASSERT_TRUE(SAME_TYPE((PCredHandle)0, SecHandle *));
    CU_ASSERT_TRUE(SAME_TYPE((PCtxtHandle)0, SecHandle *));
}

static void
test_invalidated_handle_is_all_ones_and_not_valid(void)
{
    CtxtHandle h = {0, 0};

    CU_ASSERT_TRUE(SecIsValidHandle(&h));
    SecInvalidateHandle(&h);
    CU_ASSERT_EQUAL(h.dwLower, UINTPTR_MAX);
    CU_ASSERT_EQUAL(h.dwUpper, UINTPTR_MAX);
    CU_ASSERT_FALSE(SecIsValidHandle(&h));
    CU_ASSERT_EQUAL(SEC_DELETED_HANDLE, UINTPTR_MAX - 1);
}

static void
test_timestamp_is_a_large_integer_with_low_high_and_quad_parts(void)
{
    TimeStamp ts;

    CU_ASSERT_EQUAL(sizeof(TimeStamp), 8);
    CU_ASSERT_EQUAL(sizeof(SECURITY_INTEGER), 8);
    CU_ASSERT_EQUAL(offsetof(TimeStamp, LowPart), 0);
    CU_ASSERT_EQUAL(offsetof(TimeStamp, HighPart), 4);
    CU_ASSERT_EQUAL(offsetof(TimeStamp, QuadPart), 0);
    ts.QuadPart = 0x0123456789abcdefLL;
    CU_ASSERT_EQUAL(ts.LowPart, 0x89abcdefu);
    CU_ASSERT_EQUAL(ts.HighPart, 0x01234567);
    CU_ASSERT_EQUAL(ts.u.LowPart, 0x89abcdefu);
    CU_ASSERT_EQUAL(ts.u.HighPart, 0x01234567);
}

static void
test_secbuffer_and_descriptor_have_windows_layout(void)
{
    CU_ASSERT_EQUAL(sizeof(SecBuffer), 16);
    CU_ASSERT_EQUAL(offsetof(SecBuffer, cbBuffer), 0);
    CU_ASSERT_EQUAL(offsetof(SecBuffer, BufferType), 4);
    CU_ASSERT_EQUAL(offsetof(SecBuffer, pvBuffer), 8);
    CU_ASSERT_EQUAL(sizeof(SecBufferDesc), 16);
    CU_ASSERT_EQUAL(offsetof(SecBufferDesc, ulVersion), 0);
    CU_ASSERT_EQUAL(offsetof(SecBufferDesc, cBuffers), 4);
    CU_ASSERT_EQUAL(offsetof(SecBufferDesc, pBuffers), 8);
}

static void
test_channel_bindings_header_is_eight_ulongs(void)
{
    CU_ASSERT_EQUAL(sizeof(SEC_CHANNEL_BINDINGS), 32);
    CU_ASSERT_EQUAL(offsetof(SEC_CHANNEL_BINDINGS, dwInitiatorAddrType), 0);
    CU_ASSERT_EQUAL(offsetof(SEC_CHANNEL_BINDINGS, cbInitiatorLength), 4);
    CU_ASSERT_EQUAL(offsetof(SEC_CHANNEL_BINDINGS, dwInitiatorOffset), 8);
    CU_ASSERT_EQUAL(offsetof(SEC_CHANNEL_BINDINGS, dwAcceptorAddrType), 12);
    CU_ASSERT_EQUAL(offsetof(SEC_CHANNEL_BINDINGS, cbAcceptorLength), 16);
    CU_ASSERT_EQUAL(offsetof(SEC_CHANNEL_BINDINGS, dwAcceptorOffset), 20);
    CU_ASSERT_EQUAL(offsetof(SEC_CHANNEL_BINDINGS, cbApplicationDataLength), 24);
    CU_ASSERT_EQUAL(offsetof(SEC_CHANNEL_BINDINGS, dwApplicationDataOffset), 28);
}

static void
test_package_info_has_windows_layout(void)
{
    CU_ASSERT_EQUAL(sizeof(SecPkgInfoA), 32);
    CU_ASSERT_EQUAL(sizeof(SecPkgInfoW), 32);
    CU_ASSERT_EQUAL(offsetof(SecPkgInfoW, fCapabilities), 0);
    CU_ASSERT_EQUAL(offsetof(SecPkgInfoW, wVersion), 4);
    CU_ASSERT_EQUAL(offsetof(SecPkgInfoW, wRPCID), 6);
    CU_ASSERT_EQUAL(offsetof(SecPkgInfoW, cbMaxToken), 8);
    CU_ASSERT_EQUAL(offsetof(SecPkgInfoW, Name), 16);
    CU_ASSERT_EQUAL(offsetof(SecPkgInfoW, Comment), 24);
    CU_ASSERT_EQUAL(offsetof(SecPkgInfoA, Name), 16);
    CU_ASSERT_EQUAL(offsetof(SecPkgInfoA, Comment), 24);
}

static void
test_context_attribute_structs_have_windows_layout(void)
{
    CU_ASSERT_EQUAL(sizeof(SecPkgContext_Sizes), 16);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_Sizes, cbMaxToken), 0);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_Sizes, cbMaxSignature), 4);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_Sizes, cbBlockSize), 8);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_Sizes, cbSecurityTrailer), 12);

    CU_ASSERT_EQUAL(sizeof(SecPkgContext_StreamSizes), 20);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_StreamSizes, cbHeader), 0);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_StreamSizes, cbTrailer), 4);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_StreamSizes, cbMaximumMessage), 8);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_StreamSizes, cBuffers), 12);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_StreamSizes, cbBlockSize), 16);

    CU_ASSERT_EQUAL(sizeof(SecPkgContext_Lifespan), 16);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_Lifespan, tsExpiry), 8);

    CU_ASSERT_EQUAL(sizeof(SecPkgContext_SessionKey), 16);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_SessionKey, SessionKeyLength), 0);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_SessionKey, SessionKey), 8);

    CU_ASSERT_EQUAL(sizeof(SecPkgContext_NegotiationInfoA), 16);
    CU_ASSERT_EQUAL(sizeof(SecPkgContext_NegotiationInfoW), 16);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_NegotiationInfoW, PackageInfo), 0);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_NegotiationInfoW, NegotiationState), 8);

    CU_ASSERT_EQUAL(sizeof(SecPkgContext_NamesA), sizeof(void *));
    CU_ASSERT_EQUAL(sizeof(SecPkgContext_NamesW), sizeof(void *));
    CU_ASSERT_EQUAL(sizeof(SecPkgContext_PackageInfoW), sizeof(void *));
    CU_ASSERT_EQUAL(sizeof(SecPkgContext_NativeNamesW), 16);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_NativeNamesW, sServerName), 8);
    CU_ASSERT_EQUAL(sizeof(SecPkgContext_Flags), 4);
    CU_ASSERT_EQUAL(sizeof(SecPkgCredentials_NamesW), sizeof(void *));

    CU_ASSERT_EQUAL(sizeof(SecPkgContext_KeyInfoA), 32);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_KeyInfoW, sEncryptAlgorithmName), 8);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_KeyInfoW, KeySize), 16);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_KeyInfoW, SignatureAlgorithm), 20);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_KeyInfoW, EncryptAlgorithm), 24);

    CU_ASSERT_EQUAL(sizeof(SecPkgContext_Bindings), 16);
    CU_ASSERT_EQUAL(offsetof(SecPkgContext_Bindings, Bindings), 8);
}

static void
test_auth_identity_structs_have_windows_layout(void)
{
    CU_ASSERT_EQUAL(sizeof(SEC_WINNT_AUTH_IDENTITY_A), 48);
    CU_ASSERT_EQUAL(sizeof(SEC_WINNT_AUTH_IDENTITY_W), 48);
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_W, User), 0);
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_W, UserLength), 8);
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_W, Domain), 16);
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_W, DomainLength), 24);
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_W, Password), 32);
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_W, PasswordLength), 40);
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_W, Flags), 44);
    CU_ASSERT_TRUE(SAME_TYPE(((SEC_WINNT_AUTH_IDENTITY_W *)0)->User, unsigned short *));
    CU_ASSERT_TRUE(SAME_TYPE(((SEC_WINNT_AUTH_IDENTITY_A *)0)->User, unsigned char *));

    CU_ASSERT_EQUAL(sizeof(SEC_WINNT_AUTH_IDENTITY_EXW), 72);
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_EXW, Version), 0);
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_EXW, Length), 4);
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_EXW, User), 8);
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_EXW, Flags), 52);
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_EXW, PackageList), 56);
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_EXW, PackageListLength), 64);

    /* Natural alignment of the mixed USHORT/ULONG header, as MSVC lays it out. */
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_EX2, cbStructureLength), 8);
    CU_ASSERT_EQUAL(offsetof(SEC_WINNT_AUTH_IDENTITY_EX2, PackageListLength), 44);
    CU_ASSERT_EQUAL(sizeof(SEC_WINNT_AUTH_IDENTITY_EX2), 48);
}

/* winnt.h's token and SID structures as 64-bit Windows lays them out, and their constants. */
static void
test_token_structs_and_constants_have_windows_layout_and_values(void)
{
    CU_ASSERT_EQUAL(sizeof(BOOL), 4);
    CU_ASSERT_EQUAL(sizeof(BYTE), 1);
    CU_ASSERT_EQUAL(sizeof(LUID), 8);
    CU_ASSERT_EQUAL(offsetof(LUID, HighPart), 4);
    CU_ASSERT_EQUAL(sizeof(SID), 12);
    CU_ASSERT_EQUAL(offsetof(SID, IdentifierAuthority), 2);
    CU_ASSERT_EQUAL(offsetof(SID, SubAuthority), 8);
    CU_ASSERT_EQUAL(SECURITY_MAX_SID_SIZE, 68);
    CU_ASSERT_EQUAL(sizeof(SID_AND_ATTRIBUTES), 16);
    CU_ASSERT_EQUAL(offsetof(SID_AND_ATTRIBUTES, Attributes), 8);
    CU_ASSERT_EQUAL(sizeof(TOKEN_USER), 16);
    CU_ASSERT_EQUAL(offsetof(TOKEN_GROUPS, Groups), 8);
    CU_ASSERT_EQUAL(sizeof(TOKEN_GROUPS), 24);
    CU_ASSERT_EQUAL(sizeof(TOKEN_PRIMARY_GROUP), 8);
    CU_ASSERT_EQUAL(sizeof(TOKEN_STATISTICS), 56);
    CU_ASSERT_EQUAL(offsetof(TOKEN_STATISTICS, ExpirationTime), 16);
    CU_ASSERT_EQUAL(offsetof(TOKEN_STATISTICS, TokenType), 24);
    CU_ASSERT_EQUAL(offsetof(TOKEN_STATISTICS, GroupCount), 40);
    CU_ASSERT_EQUAL(offsetof(TOKEN_STATISTICS, ModifiedId), 48);
    CU_ASSERT_EQUAL(TokenUser, 1);
    CU_ASSERT_EQUAL(TokenGroups, 2);
    CU_ASSERT_EQUAL(TokenOwner, 4);
    CU_ASSERT_EQUAL(TokenPrimaryGroup, 5);
    CU_ASSERT_EQUAL(TokenType, 8);
    CU_ASSERT_EQUAL(TokenImpersonationLevel, 9);
    CU_ASSERT_EQUAL(TokenStatistics, 10);
    CU_ASSERT_EQUAL(TokenLogonSid, 28);
    CU_ASSERT_EQUAL(TokenImpersonation, 2);
    CU_ASSERT_EQUAL(SecurityImpersonation, 2);
    CU_ASSERT_EQUAL(SE_GROUP_MANDATORY, 0x1);
    CU_ASSERT_EQUAL(SE_GROUP_ENABLED_BY_DEFAULT, 0x2);
    CU_ASSERT_EQUAL(SE_GROUP_ENABLED, 0x4);
    CU_ASSERT_EQUAL(SE_GROUP_USE_FOR_DENY_ONLY, 0x10);
    CU_ASSERT_EQUAL(SE_GROUP_RESOURCE, 0x20000000);
    CU_ASSERT_EQUAL((uint32_t)SE_GROUP_LOGON_ID, 0xC0000000u);
    CU_ASSERT_EQUAL(ERROR_INVALID_HANDLE, 6);
    CU_ASSERT_EQUAL(ERROR_INSUFFICIENT_BUFFER, 122);
    CU_ASSERT_EQUAL(ERROR_NO_TOKEN, 1008);
    CU_ASSERT_EQUAL(ERROR_INVALID_SID, 1337);
    CU_ASSERT_EQUAL(DOMAIN_GROUP_RID_ADMINS, 512);
    CU_ASSERT_EQUAL(DOMAIN_GROUP_RID_USERS, 513);
    CU_ASSERT_EQUAL(DOMAIN_ALIAS_RID_ADMINS, 544);
}

struct status_value {
    const char *name;
    SECURITY_STATUS got;
    uint32_t want;
};

/* clang-format off */
#define STATUS(name, value) { #name, name, value }
/* clang-format on */

/* Values from winerror.h as published (Microsoft "COM Error Codes (Security and Setup)"). */
static const struct status_value status_values[] = {
    STATUS(SEC_E_OK, 0x00000000),
    STATUS(SEC_E_INSUFFICIENT_MEMORY, 0x80090300),
    STATUS(SEC_E_INVALID_HANDLE, 0x80090301),
    STATUS(SEC_E_UNSUPPORTED_FUNCTION, 0x80090302),
    STATUS(SEC_E_TARGET_UNKNOWN, 0x80090303),
    STATUS(SEC_E_INTERNAL_ERROR, 0x80090304),
    STATUS(SEC_E_SECPKG_NOT_FOUND, 0x80090305),
    STATUS(SEC_E_NOT_OWNER, 0x80090306),
    STATUS(SEC_E_CANNOT_INSTALL, 0x80090307),
    STATUS(SEC_E_INVALID_TOKEN, 0x80090308),
    STATUS(SEC_E_CANNOT_PACK, 0x80090309),
    STATUS(SEC_E_QOP_NOT_SUPPORTED, 0x8009030A),
    STATUS(SEC_E_NO_IMPERSONATION, 0x8009030B),
    STATUS(SEC_E_LOGON_DENIED, 0x8009030C),
    STATUS(SEC_E_UNKNOWN_CREDENTIALS, 0x8009030D),
    STATUS(SEC_E_NO_CREDENTIALS, 0x8009030E),
    STATUS(SEC_E_MESSAGE_ALTERED, 0x8009030F),
    STATUS(SEC_E_OUT_OF_SEQUENCE, 0x80090310),
    STATUS(SEC_E_NO_AUTHENTICATING_AUTHORITY, 0x80090311),
    STATUS(SEC_I_CONTINUE_NEEDED, 0x00090312),
    STATUS(SEC_I_COMPLETE_NEEDED, 0x00090313),
    STATUS(SEC_I_COMPLETE_AND_CONTINUE, 0x00090314),
    STATUS(SEC_I_LOCAL_LOGON, 0x00090315),
    STATUS(SEC_I_GENERIC_EXTENSION_RECEIVED, 0x00090316),
    STATUS(SEC_E_BAD_PKGID, 0x80090316),
    STATUS(SEC_E_CONTEXT_EXPIRED, 0x80090317),
    STATUS(SEC_I_CONTEXT_EXPIRED, 0x00090317),
    STATUS(SEC_E_INCOMPLETE_MESSAGE, 0x80090318),
    STATUS(SEC_E_INCOMPLETE_CREDENTIALS, 0x80090320),
    STATUS(SEC_E_BUFFER_TOO_SMALL, 0x80090321),
    STATUS(SEC_I_INCOMPLETE_CREDENTIALS, 0x00090320),
    STATUS(SEC_I_RENEGOTIATE, 0x00090321),
    STATUS(SEC_E_WRONG_PRINCIPAL, 0x80090322),
    STATUS(SEC_I_NO_LSA_CONTEXT, 0x00090323),
    STATUS(SEC_E_TIME_SKEW, 0x80090324),
    STATUS(SEC_E_UNTRUSTED_ROOT, 0x80090325),
    STATUS(SEC_E_ILLEGAL_MESSAGE, 0x80090326),
    STATUS(SEC_E_CERT_UNKNOWN, 0x80090327),
    STATUS(SEC_E_CERT_EXPIRED, 0x80090328),
    STATUS(SEC_E_ENCRYPT_FAILURE, 0x80090329),
    STATUS(SEC_E_DECRYPT_FAILURE, 0x80090330),
    STATUS(SEC_E_ALGORITHM_MISMATCH, 0x80090331),
    STATUS(SEC_E_SECURITY_QOS_FAILED, 0x80090332),
    STATUS(SEC_E_UNFINISHED_CONTEXT_DELETED, 0x80090333),
    STATUS(SEC_E_NO_TGT_REPLY, 0x80090334),
    STATUS(SEC_E_NO_IP_ADDRESSES, 0x80090335),
    STATUS(SEC_E_WRONG_CREDENTIAL_HANDLE, 0x80090336),
    STATUS(SEC_E_CRYPTO_SYSTEM_INVALID, 0x80090337),
    STATUS(SEC_E_MAX_REFERRALS_EXCEEDED, 0x80090338),
    STATUS(SEC_E_MUST_BE_KDC, 0x80090339),
    STATUS(SEC_E_STRONG_CRYPTO_NOT_SUPPORTED, 0x8009033A),
    STATUS(SEC_E_TOO_MANY_PRINCIPALS, 0x8009033B),
    STATUS(SEC_E_NO_PA_DATA, 0x8009033C),
    STATUS(SEC_E_PKINIT_NAME_MISMATCH, 0x8009033D),
    STATUS(SEC_E_SMARTCARD_LOGON_REQUIRED, 0x8009033E),
    STATUS(SEC_E_SHUTDOWN_IN_PROGRESS, 0x8009033F),
    STATUS(SEC_E_KDC_INVALID_REQUEST, 0x80090340),
    STATUS(SEC_E_KDC_UNABLE_TO_REFER, 0x80090341),
    STATUS(SEC_E_KDC_UNKNOWN_ETYPE, 0x80090342),
    STATUS(SEC_E_UNSUPPORTED_PREAUTH, 0x80090343),
    STATUS(SEC_E_DELEGATION_REQUIRED, 0x80090345),
    STATUS(SEC_E_BAD_BINDINGS, 0x80090346),
    STATUS(SEC_E_MULTIPLE_ACCOUNTS, 0x80090347),
    STATUS(SEC_E_NO_KERB_KEY, 0x80090348),
    STATUS(SEC_E_CERT_WRONG_USAGE, 0x80090349),
    STATUS(SEC_E_DOWNGRADE_DETECTED, 0x80090350),
    STATUS(SEC_E_SMARTCARD_CERT_REVOKED, 0x80090351),
    STATUS(SEC_E_ISSUING_CA_UNTRUSTED, 0x80090352),
    STATUS(SEC_E_REVOCATION_OFFLINE_C, 0x80090353),
    STATUS(SEC_E_PKINIT_CLIENT_FAILURE, 0x80090354),
    STATUS(SEC_E_SMARTCARD_CERT_EXPIRED, 0x80090355),
    STATUS(SEC_E_NO_S4U_PROT_SUPPORT, 0x80090356),
    STATUS(SEC_E_CROSSREALM_DELEGATION_FAILURE, 0x80090357),
    STATUS(SEC_E_REVOCATION_OFFLINE_KDC, 0x80090358),
    STATUS(SEC_E_ISSUING_CA_UNTRUSTED_KDC, 0x80090359),
    STATUS(SEC_E_KDC_CERT_EXPIRED, 0x8009035A),
    STATUS(SEC_E_KDC_CERT_REVOKED, 0x8009035B),
    STATUS(SEC_I_SIGNATURE_NEEDED, 0x0009035C),
    STATUS(SEC_E_INVALID_PARAMETER, 0x8009035D),
    STATUS(SEC_E_DELEGATION_POLICY, 0x8009035E),
    STATUS(SEC_E_POLICY_NLTM_ONLY, 0x8009035F),
    STATUS(SEC_I_NO_RENEGOTIATION, 0x00090360),
    STATUS(SEC_E_NO_CONTEXT, 0x80090361),
    STATUS(SEC_E_PKU2U_CERT_FAILURE, 0x80090362),
    STATUS(SEC_E_MUTUAL_AUTH_FAILED, 0x80090363),
    STATUS(SEC_I_MESSAGE_FRAGMENT, 0x00090364),
    STATUS(SEC_E_ONLY_HTTPS_ALLOWED, 0x80090365),
    STATUS(SEC_I_CONTINUE_NEEDED_MESSAGE_OK, 0x00090366),
    STATUS(SEC_E_APPLICATION_PROTOCOL_MISMATCH, 0x80090367),
    STATUS(SEC_I_ASYNC_CALL_PENDING, 0x00090368),
    STATUS(SEC_E_INVALID_UPN_NAME, 0x80090369),
    STATUS(SEC_E_EXT_BUFFER_TOO_SMALL, 0x8009036A),
    STATUS(SEC_E_INSUFFICIENT_BUFFERS, 0x8009036B),
    STATUS(SEC_E_NO_SPM, 0x80090304),
};

static void
test_status_codes_have_documented_values(void)
{
    size_t i, wrong = 0;

    for (i = 0; i < sizeof(status_values) / sizeof(status_values[0]); i++) {
        const struct status_value *s = &status_values[i];

        if ((uint32_t)s->got != s->want) {
            fprintf(stderr, "\n  %s is 0x%08x, want 0x%08x", s->name, (unsigned)s->got,
                    (unsigned)s->want);
            wrong++;
        }
    }
    CU_ASSERT_EQUAL(wrong, 0);
}

static void
test_status_severity_is_in_the_sign(void)
{
    size_t i, wrong = 0;

    /* SEC_E_* are failures (negative), SEC_I_* and SEC_E_OK successes. */
    for (i = 0; i < sizeof(status_values) / sizeof(status_values[0]); i++) {
        const struct status_value *s = &status_values[i];
        int is_error = strncmp(s->name, "SEC_E_", 6) == 0 && s->want != 0;

        if (is_error != (s->got < 0) || is_error == SEC_SUCCESS(s->got)) {
            fprintf(stderr, "\n  %s has the wrong sign", s->name);
            wrong++;
        }
    }
    CU_ASSERT_EQUAL(wrong, 0);
    CU_ASSERT_TRUE(SAME_TYPE(SEC_E_LOGON_DENIED, SECURITY_STATUS));
    CU_ASSERT_TRUE(SAME_TYPE(SEC_I_CONTINUE_NEEDED, SECURITY_STATUS));
}

static void
test_secbuffer_types_and_attributes_have_documented_values(void)
{
    CU_ASSERT_EQUAL(SECBUFFER_VERSION, 0);
    CU_ASSERT_EQUAL(SECBUFFER_EMPTY, 0);
    CU_ASSERT_EQUAL(SECBUFFER_DATA, 1);
    CU_ASSERT_EQUAL(SECBUFFER_TOKEN, 2);
    CU_ASSERT_EQUAL(SECBUFFER_PKG_PARAMS, 3);
    CU_ASSERT_EQUAL(SECBUFFER_MISSING, 4);
    CU_ASSERT_EQUAL(SECBUFFER_EXTRA, 5);
    CU_ASSERT_EQUAL(SECBUFFER_STREAM_TRAILER, 6);
    CU_ASSERT_EQUAL(SECBUFFER_STREAM_HEADER, 7);
    CU_ASSERT_EQUAL(SECBUFFER_NEGOTIATION_INFO, 8);
    CU_ASSERT_EQUAL(SECBUFFER_PADDING, 9);
    CU_ASSERT_EQUAL(SECBUFFER_STREAM, 10);
    CU_ASSERT_EQUAL(SECBUFFER_MECHLIST, 11);
    CU_ASSERT_EQUAL(SECBUFFER_MECHLIST_SIGNATURE, 12);
    CU_ASSERT_EQUAL(SECBUFFER_TARGET, 13);
    CU_ASSERT_EQUAL(SECBUFFER_CHANNEL_BINDINGS, 14);
    CU_ASSERT_EQUAL(SECBUFFER_CHANGE_PASS_RESPONSE, 15);
    CU_ASSERT_EQUAL(SECBUFFER_TARGET_HOST, 16);
    CU_ASSERT_EQUAL(SECBUFFER_ALERT, 17);
    CU_ASSERT_EQUAL(SECBUFFER_APPLICATION_PROTOCOLS, 18);
    CU_ASSERT_EQUAL(SECBUFFER_DTLS_MTU, 24);
    CU_ASSERT_EQUAL(SECBUFFER_ATTRMASK, 0xF0000000u);
    CU_ASSERT_EQUAL(SECBUFFER_READONLY, 0x80000000u);
    CU_ASSERT_EQUAL(SECBUFFER_READONLY_WITH_CHECKSUM, 0x10000000u);
    CU_ASSERT_EQUAL(SECBUFFER_RESERVED, 0x60000000u);
    /* The attribute bits sit above every type. */
    CU_ASSERT_EQUAL((SECBUFFER_TOKEN | SECBUFFER_READONLY) & ~SECBUFFER_ATTRMASK, SECBUFFER_TOKEN);
    CU_ASSERT_EQUAL(SECBUFFER_READONLY & SECBUFFER_ATTRMASK, SECBUFFER_READONLY);
    CU_ASSERT_EQUAL(SECBUFFER_READONLY_WITH_CHECKSUM & SECBUFFER_ATTRMASK,
                    SECBUFFER_READONLY_WITH_CHECKSUM);
}

static void
test_isc_flags_have_documented_values(void)
{
    CU_ASSERT_EQUAL(ISC_REQ_DELEGATE, 0x1);
    CU_ASSERT_EQUAL(ISC_REQ_MUTUAL_AUTH, 0x2);
    CU_ASSERT_EQUAL(ISC_REQ_REPLAY_DETECT, 0x4);
    CU_ASSERT_EQUAL(ISC_REQ_SEQUENCE_DETECT, 0x8);
    CU_ASSERT_EQUAL(ISC_REQ_CONFIDENTIALITY, 0x10);
    CU_ASSERT_EQUAL(ISC_REQ_USE_SESSION_KEY, 0x20);
    CU_ASSERT_EQUAL(ISC_REQ_PROMPT_FOR_CREDS, 0x40);
    CU_ASSERT_EQUAL(ISC_REQ_USE_SUPPLIED_CREDS, 0x80);
    CU_ASSERT_EQUAL(ISC_REQ_ALLOCATE_MEMORY, 0x100);
    CU_ASSERT_EQUAL(ISC_REQ_USE_DCE_STYLE, 0x200);
    CU_ASSERT_EQUAL(ISC_REQ_DATAGRAM, 0x400);
    CU_ASSERT_EQUAL(ISC_REQ_CONNECTION, 0x800);
    CU_ASSERT_EQUAL(ISC_REQ_CALL_LEVEL, 0x1000);
    CU_ASSERT_EQUAL(ISC_REQ_FRAGMENT_SUPPLIED, 0x2000);
    CU_ASSERT_EQUAL(ISC_REQ_EXTENDED_ERROR, 0x4000);
    CU_ASSERT_EQUAL(ISC_REQ_STREAM, 0x8000);
    CU_ASSERT_EQUAL(ISC_REQ_INTEGRITY, 0x10000);
    CU_ASSERT_EQUAL(ISC_REQ_IDENTIFY, 0x20000);
    CU_ASSERT_EQUAL(ISC_REQ_NULL_SESSION, 0x40000);
    CU_ASSERT_EQUAL(ISC_REQ_MANUAL_CRED_VALIDATION, 0x80000);
    CU_ASSERT_EQUAL(ISC_REQ_RESERVED1, 0x100000);
    CU_ASSERT_EQUAL(ISC_REQ_FRAGMENT_TO_FIT, 0x200000);
    CU_ASSERT_EQUAL(ISC_REQ_FORWARD_CREDENTIALS, 0x400000);
    CU_ASSERT_EQUAL(ISC_REQ_NO_INTEGRITY, 0x800000);
    CU_ASSERT_EQUAL(ISC_REQ_USE_HTTP_STYLE, 0x1000000);
    CU_ASSERT_EQUAL(ISC_REQ_UNVERIFIED_TARGET_NAME, 0x20000000);
    CU_ASSERT_EQUAL(ISC_REQ_CONFIDENTIALITY_ONLY, 0x40000000);

    CU_ASSERT_EQUAL(ISC_RET_DELEGATE, 0x1);
    CU_ASSERT_EQUAL(ISC_RET_MUTUAL_AUTH, 0x2);
    CU_ASSERT_EQUAL(ISC_RET_REPLAY_DETECT, 0x4);
    CU_ASSERT_EQUAL(ISC_RET_SEQUENCE_DETECT, 0x8);
    CU_ASSERT_EQUAL(ISC_RET_CONFIDENTIALITY, 0x10);
    CU_ASSERT_EQUAL(ISC_RET_USE_SESSION_KEY, 0x20);
    CU_ASSERT_EQUAL(ISC_RET_USED_COLLECTED_CREDS, 0x40);
    CU_ASSERT_EQUAL(ISC_RET_USED_SUPPLIED_CREDS, 0x80);
    CU_ASSERT_EQUAL(ISC_RET_ALLOCATED_MEMORY, 0x100);
    CU_ASSERT_EQUAL(ISC_RET_USED_DCE_STYLE, 0x200);
    CU_ASSERT_EQUAL(ISC_RET_DATAGRAM, 0x400);
    CU_ASSERT_EQUAL(ISC_RET_CONNECTION, 0x800);
    CU_ASSERT_EQUAL(ISC_RET_INTERMEDIATE_RETURN, 0x1000);
    CU_ASSERT_EQUAL(ISC_RET_CALL_LEVEL, 0x2000);
    CU_ASSERT_EQUAL(ISC_RET_EXTENDED_ERROR, 0x4000);
    CU_ASSERT_EQUAL(ISC_RET_STREAM, 0x8000);
    CU_ASSERT_EQUAL(ISC_RET_INTEGRITY, 0x10000);
    CU_ASSERT_EQUAL(ISC_RET_IDENTIFY, 0x20000);
    CU_ASSERT_EQUAL(ISC_RET_NULL_SESSION, 0x40000);
    CU_ASSERT_EQUAL(ISC_RET_MANUAL_CRED_VALIDATION, 0x80000);
    CU_ASSERT_EQUAL(ISC_RET_RESERVED1, 0x100000);
    CU_ASSERT_EQUAL(ISC_RET_FRAGMENT_ONLY, 0x200000);
    CU_ASSERT_EQUAL(ISC_RET_FORWARD_CREDENTIALS, 0x400000);
    CU_ASSERT_EQUAL(ISC_RET_USED_HTTP_STYLE, 0x1000000);
    CU_ASSERT_EQUAL(ISC_RET_NO_ADDITIONAL_TOKEN, 0x2000000);
    CU_ASSERT_EQUAL(ISC_RET_REAUTHENTICATION, 0x8000000);
    CU_ASSERT_EQUAL(ISC_RET_CONFIDENTIALITY_ONLY, 0x40000000);
}

static void
test_asc_flags_have_documented_values(void)
{
    CU_ASSERT_EQUAL(ASC_REQ_DELEGATE, 0x1);
    CU_ASSERT_EQUAL(ASC_REQ_MUTUAL_AUTH, 0x2);
    CU_ASSERT_EQUAL(ASC_REQ_REPLAY_DETECT, 0x4);
    CU_ASSERT_EQUAL(ASC_REQ_SEQUENCE_DETECT, 0x8);
    CU_ASSERT_EQUAL(ASC_REQ_CONFIDENTIALITY, 0x10);
    CU_ASSERT_EQUAL(ASC_REQ_USE_SESSION_KEY, 0x20);
    CU_ASSERT_EQUAL(ASC_REQ_SESSION_TICKET, 0x40);
    CU_ASSERT_EQUAL(ASC_REQ_ALLOCATE_MEMORY, 0x100);
    CU_ASSERT_EQUAL(ASC_REQ_USE_DCE_STYLE, 0x200);
    CU_ASSERT_EQUAL(ASC_REQ_DATAGRAM, 0x400);
    CU_ASSERT_EQUAL(ASC_REQ_CONNECTION, 0x800);
    CU_ASSERT_EQUAL(ASC_REQ_CALL_LEVEL, 0x1000);
    CU_ASSERT_EQUAL(ASC_REQ_FRAGMENT_SUPPLIED, 0x2000);
    CU_ASSERT_EQUAL(ASC_REQ_EXTENDED_ERROR, 0x8000);
    CU_ASSERT_EQUAL(ASC_REQ_STREAM, 0x10000);
    CU_ASSERT_EQUAL(ASC_REQ_INTEGRITY, 0x20000);
    CU_ASSERT_EQUAL(ASC_REQ_LICENSING, 0x40000);
    CU_ASSERT_EQUAL(ASC_REQ_IDENTIFY, 0x80000);
    CU_ASSERT_EQUAL(ASC_REQ_ALLOW_NULL_SESSION, 0x100000);
    CU_ASSERT_EQUAL(ASC_REQ_ALLOW_NON_USER_LOGONS, 0x200000);
    CU_ASSERT_EQUAL(ASC_REQ_ALLOW_CONTEXT_REPLAY, 0x400000);
    CU_ASSERT_EQUAL(ASC_REQ_FRAGMENT_TO_FIT, 0x800000);
    CU_ASSERT_EQUAL(ASC_REQ_NO_TOKEN, 0x1000000);
    CU_ASSERT_EQUAL(ASC_REQ_PROXY_BINDINGS, 0x4000000);
    CU_ASSERT_EQUAL(ASC_REQ_ALLOW_MISSING_BINDINGS, 0x10000000);

    CU_ASSERT_EQUAL(ASC_RET_DELEGATE, 0x1);
    CU_ASSERT_EQUAL(ASC_RET_MUTUAL_AUTH, 0x2);
    CU_ASSERT_EQUAL(ASC_RET_REPLAY_DETECT, 0x4);
    CU_ASSERT_EQUAL(ASC_RET_SEQUENCE_DETECT, 0x8);
    CU_ASSERT_EQUAL(ASC_RET_CONFIDENTIALITY, 0x10);
    CU_ASSERT_EQUAL(ASC_RET_USE_SESSION_KEY, 0x20);
    CU_ASSERT_EQUAL(ASC_RET_SESSION_TICKET, 0x40);
    CU_ASSERT_EQUAL(ASC_RET_ALLOCATED_MEMORY, 0x100);
    CU_ASSERT_EQUAL(ASC_RET_USED_DCE_STYLE, 0x200);
    CU_ASSERT_EQUAL(ASC_RET_DATAGRAM, 0x400);
    CU_ASSERT_EQUAL(ASC_RET_CONNECTION, 0x800);
    CU_ASSERT_EQUAL(ASC_RET_CALL_LEVEL, 0x2000);
    CU_ASSERT_EQUAL(ASC_RET_THIRD_LEG_FAILED, 0x4000);
    CU_ASSERT_EQUAL(ASC_RET_EXTENDED_ERROR, 0x8000);
    CU_ASSERT_EQUAL(ASC_RET_STREAM, 0x10000);
    CU_ASSERT_EQUAL(ASC_RET_INTEGRITY, 0x20000);
    CU_ASSERT_EQUAL(ASC_RET_LICENSING, 0x40000);
    CU_ASSERT_EQUAL(ASC_RET_IDENTIFY, 0x80000);
    CU_ASSERT_EQUAL(ASC_RET_NULL_SESSION, 0x100000);
    CU_ASSERT_EQUAL(ASC_RET_ALLOW_NON_USER_LOGONS, 0x200000);
    CU_ASSERT_EQUAL(ASC_RET_ALLOW_CONTEXT_REPLAY, 0x400000);
    CU_ASSERT_EQUAL(ASC_RET_FRAGMENT_ONLY, 0x800000);
    CU_ASSERT_EQUAL(ASC_RET_NO_TOKEN, 0x1000000);
    CU_ASSERT_EQUAL(ASC_RET_NO_ADDITIONAL_TOKEN, 0x2000000);
    CU_ASSERT_EQUAL(ASC_RET_NO_PROXY_BINDINGS, 0x4000000);
    CU_ASSERT_EQUAL(ASC_RET_MISSING_BINDINGS, 0x10000000);
}

static void
test_attribute_levels_have_documented_values(void)
{
    CU_ASSERT_EQUAL(SECPKG_ATTR_SIZES, 0);
    CU_ASSERT_EQUAL(SECPKG_ATTR_NAMES, 1);
    CU_ASSERT_EQUAL(SECPKG_ATTR_LIFESPAN, 2);
    CU_ASSERT_EQUAL(SECPKG_ATTR_DCE_INFO, 3);
    CU_ASSERT_EQUAL(SECPKG_ATTR_STREAM_SIZES, 4);
    CU_ASSERT_EQUAL(SECPKG_ATTR_KEY_INFO, 5);
    CU_ASSERT_EQUAL(SECPKG_ATTR_AUTHORITY, 6);
    CU_ASSERT_EQUAL(SECPKG_ATTR_PROTO_INFO, 7);
    CU_ASSERT_EQUAL(SECPKG_ATTR_PASSWORD_EXPIRY, 8);
    CU_ASSERT_EQUAL(SECPKG_ATTR_SESSION_KEY, 9);
    CU_ASSERT_EQUAL(SECPKG_ATTR_PACKAGE_INFO, 10);
    CU_ASSERT_EQUAL(SECPKG_ATTR_USER_FLAGS, 11);
    CU_ASSERT_EQUAL(SECPKG_ATTR_NEGOTIATION_INFO, 12);
    CU_ASSERT_EQUAL(SECPKG_ATTR_NATIVE_NAMES, 13);
    CU_ASSERT_EQUAL(SECPKG_ATTR_FLAGS, 14);
    CU_ASSERT_EQUAL(SECPKG_ATTR_USE_VALIDATED, 15);
    CU_ASSERT_EQUAL(SECPKG_ATTR_CREDENTIAL_NAME, 16);
    CU_ASSERT_EQUAL(SECPKG_ATTR_TARGET_INFORMATION, 17);
    CU_ASSERT_EQUAL(SECPKG_ATTR_ACCESS_TOKEN, 18);
    CU_ASSERT_EQUAL(SECPKG_ATTR_TARGET, 19);
    CU_ASSERT_EQUAL(SECPKG_ATTR_AUTHENTICATION_ID, 20);
    CU_ASSERT_EQUAL(SECPKG_ATTR_LOGOFF_TIME, 21);
    CU_ASSERT_EQUAL(SECPKG_ATTR_NEGO_KEYS, 22);
    CU_ASSERT_EQUAL(SECPKG_ATTR_PROMPTING_NEEDED, 24);
    CU_ASSERT_EQUAL(SECPKG_ATTR_UNIQUE_BINDINGS, 25);
    CU_ASSERT_EQUAL(SECPKG_ATTR_ENDPOINT_BINDINGS, 26);
    CU_ASSERT_EQUAL(SECPKG_ATTR_CLIENT_SPECIFIED_TARGET, 27);
    CU_ASSERT_EQUAL(SECPKG_ATTR_LAST_CLIENT_TOKEN_STATUS, 30);
    CU_ASSERT_EQUAL(SECPKG_ATTR_NEGO_PKG_INFO, 31);
    CU_ASSERT_EQUAL(SECPKG_ATTR_NEGO_STATUS, 32);
    CU_ASSERT_EQUAL(SECPKG_ATTR_CONTEXT_DELETED, 33);
    CU_ASSERT_EQUAL(SECPKG_ATTR_DTLS_MTU, 34);
    CU_ASSERT_EQUAL(SECPKG_ATTR_APPLICATION_PROTOCOL, 35);
    CU_ASSERT_EQUAL(SECPKG_ATTR_SUBJECT_SECURITY_ATTRIBUTES, 128);
    CU_ASSERT_EQUAL(SECPKG_CRED_ATTR_NAMES, 1);

    CU_ASSERT_EQUAL(SECPKG_NEGOTIATION_COMPLETE, 0);
    CU_ASSERT_EQUAL(SECPKG_NEGOTIATION_OPTIMISTIC, 1);
    CU_ASSERT_EQUAL(SECPKG_NEGOTIATION_IN_PROGRESS, 2);
    CU_ASSERT_EQUAL(SECPKG_NEGOTIATION_DIRECT, 3);
    CU_ASSERT_EQUAL(SECPKG_NEGOTIATION_TRY_MULTICRED, 4);
}

static void
test_package_capability_flags_have_documented_values(void)
{
    CU_ASSERT_EQUAL(SECPKG_FLAG_INTEGRITY, 0x1);
    CU_ASSERT_EQUAL(SECPKG_FLAG_PRIVACY, 0x2);
    CU_ASSERT_EQUAL(SECPKG_FLAG_TOKEN_ONLY, 0x4);
    CU_ASSERT_EQUAL(SECPKG_FLAG_DATAGRAM, 0x8);
    CU_ASSERT_EQUAL(SECPKG_FLAG_CONNECTION, 0x10);
    CU_ASSERT_EQUAL(SECPKG_FLAG_MULTI_REQUIRED, 0x20);
    CU_ASSERT_EQUAL(SECPKG_FLAG_CLIENT_ONLY, 0x40);
    CU_ASSERT_EQUAL(SECPKG_FLAG_EXTENDED_ERROR, 0x80);
    CU_ASSERT_EQUAL(SECPKG_FLAG_IMPERSONATION, 0x100);
    CU_ASSERT_EQUAL(SECPKG_FLAG_ACCEPT_WIN32_NAME, 0x200);
    CU_ASSERT_EQUAL(SECPKG_FLAG_STREAM, 0x400);
    CU_ASSERT_EQUAL(SECPKG_FLAG_NEGOTIABLE, 0x800);
    CU_ASSERT_EQUAL(SECPKG_FLAG_GSS_COMPATIBLE, 0x1000);
    CU_ASSERT_EQUAL(SECPKG_FLAG_LOGON, 0x2000);
    CU_ASSERT_EQUAL(SECPKG_FLAG_ASCII_BUFFERS, 0x4000);
    CU_ASSERT_EQUAL(SECPKG_FLAG_FRAGMENT, 0x8000);
    CU_ASSERT_EQUAL(SECPKG_FLAG_MUTUAL_AUTH, 0x10000);
    CU_ASSERT_EQUAL(SECPKG_FLAG_DELEGATION, 0x20000);
    CU_ASSERT_EQUAL(SECPKG_FLAG_READONLY_WITH_CHECKSUM, 0x40000);
    CU_ASSERT_EQUAL(SECPKG_FLAG_RESTRICTED_TOKENS, 0x80000);
    CU_ASSERT_EQUAL(SECPKG_FLAG_NEGO_EXTENDER, 0x100000);
    CU_ASSERT_EQUAL(SECPKG_FLAG_NEGOTIABLE2, 0x200000);
    CU_ASSERT_EQUAL(SECPKG_FLAG_APPCONTAINER_PASSTHROUGH, 0x400000);
    CU_ASSERT_EQUAL(SECPKG_FLAG_APPCONTAINER_CHECKS, 0x800000);
    CU_ASSERT_EQUAL(SECPKG_FLAG_CREDENTIAL_ISOLATION_ENABLED, 0x1000000);
    CU_ASSERT_EQUAL(SECPKG_FLAG_APPLY_LOOPBACK, 0x2000000);
    /* Negotiate's base capabilities as the Wine tests spell them out. */
    CU_ASSERT_EQUAL(SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION |
                        SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_EXTENDED_ERROR |
                        SECPKG_FLAG_IMPERSONATION | SECPKG_FLAG_ACCEPT_WIN32_NAME |
                        SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_GSS_COMPATIBLE | SECPKG_FLAG_LOGON,
                    0x3BB3);
}

static void
test_other_constants_have_documented_values(void)
{
    CU_ASSERT_EQUAL(SECPKG_CRED_INBOUND, 0x1);
    CU_ASSERT_EQUAL(SECPKG_CRED_OUTBOUND, 0x2);
    CU_ASSERT_EQUAL(SECPKG_CRED_BOTH, 0x3);
    CU_ASSERT_EQUAL(SECPKG_CRED_DEFAULT, 0x4);
    CU_ASSERT_EQUAL(SECPKG_CRED_AUTOLOGON_RESTRICTED, 0x10);
    CU_ASSERT_EQUAL(SECPKG_CRED_PROCESS_POLICY_ONLY, 0x20);
    CU_ASSERT_EQUAL(SECPKG_CRED_RESERVED, 0xF0000000u);
    CU_ASSERT_EQUAL(SECURITY_NATIVE_DREP, 0x10);
    CU_ASSERT_EQUAL(SECURITY_NETWORK_DREP, 0);
    CU_ASSERT_EQUAL(SECQOP_WRAP_NO_ENCRYPT, 0x80000001u);
    CU_ASSERT_EQUAL(SECQOP_WRAP_OOB_DATA, 0x40000000);
    CU_ASSERT_EQUAL(KERB_WRAP_NO_ENCRYPT, 0x80000001u);
    CU_ASSERT_EQUAL(SECPKG_CONTEXT_EXPORT_RESET_NEW, 0x1);
    CU_ASSERT_EQUAL(SECPKG_CONTEXT_EXPORT_DELETE_OLD, 0x2);
    CU_ASSERT_EQUAL(SEC_WINNT_AUTH_IDENTITY_ANSI, 0x1);
    CU_ASSERT_EQUAL(SEC_WINNT_AUTH_IDENTITY_UNICODE, 0x2);
    CU_ASSERT_EQUAL(SEC_WINNT_AUTH_IDENTITY_VERSION, 0x200);
    CU_ASSERT_EQUAL(SEC_WINNT_AUTH_IDENTITY_VERSION_2, 0x201);
    CU_ASSERT_EQUAL(SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION, 1);
    CU_ASSERT_EQUAL(SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_2, 2);
    CU_ASSERT_EQUAL(SECPKG_ID_NONE, 0xFFFF);
    CU_ASSERT_EQUAL(ISSP_LEVEL, 32);
    CU_ASSERT_EQUAL(ISSP_MODE, 1);
}

struct table_slot {
    const char *name;
    size_t offset;
};

/* clang-format off */
#define SLOT(table, member) { #member, offsetof(table, member) }
/* clang-format on */

/* Member order of SecurityFunctionTableA/W in sspi.h (learn.microsoft.com, user mode). */
static const struct table_slot slots_w[] = {
    SLOT(SecurityFunctionTableW, dwVersion),
    SLOT(SecurityFunctionTableW, EnumerateSecurityPackagesW),
    SLOT(SecurityFunctionTableW, QueryCredentialsAttributesW),
    SLOT(SecurityFunctionTableW, AcquireCredentialsHandleW),
    SLOT(SecurityFunctionTableW, FreeCredentialsHandle),
    SLOT(SecurityFunctionTableW, Reserved2),
    SLOT(SecurityFunctionTableW, InitializeSecurityContextW),
    SLOT(SecurityFunctionTableW, AcceptSecurityContext),
    SLOT(SecurityFunctionTableW, CompleteAuthToken),
    SLOT(SecurityFunctionTableW, DeleteSecurityContext),
    SLOT(SecurityFunctionTableW, ApplyControlToken),
    SLOT(SecurityFunctionTableW, QueryContextAttributesW),
    SLOT(SecurityFunctionTableW, ImpersonateSecurityContext),
    SLOT(SecurityFunctionTableW, RevertSecurityContext),
    SLOT(SecurityFunctionTableW, MakeSignature),
    SLOT(SecurityFunctionTableW, VerifySignature),
    SLOT(SecurityFunctionTableW, FreeContextBuffer),
    SLOT(SecurityFunctionTableW, QuerySecurityPackageInfoW),
    SLOT(SecurityFunctionTableW, Reserved3),
    SLOT(SecurityFunctionTableW, Reserved4),
    SLOT(SecurityFunctionTableW, ExportSecurityContext),
    SLOT(SecurityFunctionTableW, ImportSecurityContextW),
    SLOT(SecurityFunctionTableW, AddCredentialsW),
    SLOT(SecurityFunctionTableW, Reserved8),
    SLOT(SecurityFunctionTableW, QuerySecurityContextToken),
    SLOT(SecurityFunctionTableW, EncryptMessage),
    SLOT(SecurityFunctionTableW, DecryptMessage),
    SLOT(SecurityFunctionTableW, SetContextAttributesW),
    SLOT(SecurityFunctionTableW, SetCredentialsAttributesW),
    SLOT(SecurityFunctionTableW, ChangeAccountPasswordW),
    SLOT(SecurityFunctionTableW, QueryContextAttributesExW),
    SLOT(SecurityFunctionTableW, QueryCredentialsAttributesExW),
};

static const struct table_slot slots_a[] = {
    SLOT(SecurityFunctionTableA, dwVersion),
    SLOT(SecurityFunctionTableA, EnumerateSecurityPackagesA),
    SLOT(SecurityFunctionTableA, QueryCredentialsAttributesA),
    SLOT(SecurityFunctionTableA, AcquireCredentialsHandleA),
    SLOT(SecurityFunctionTableA, FreeCredentialHandle),
    SLOT(SecurityFunctionTableA, Reserved2),
    SLOT(SecurityFunctionTableA, InitializeSecurityContextA),
    SLOT(SecurityFunctionTableA, AcceptSecurityContext),
    SLOT(SecurityFunctionTableA, CompleteAuthToken),
    SLOT(SecurityFunctionTableA, DeleteSecurityContext),
    SLOT(SecurityFunctionTableA, ApplyControlToken),
    SLOT(SecurityFunctionTableA, QueryContextAttributesA),
    SLOT(SecurityFunctionTableA, ImpersonateSecurityContext),
    SLOT(SecurityFunctionTableA, RevertSecurityContext),
    SLOT(SecurityFunctionTableA, MakeSignature),
    SLOT(SecurityFunctionTableA, VerifySignature),
    SLOT(SecurityFunctionTableA, FreeContextBuffer),
    SLOT(SecurityFunctionTableA, QuerySecurityPackageInfoA),
    SLOT(SecurityFunctionTableA, Reserved3),
    SLOT(SecurityFunctionTableA, Reserved4),
    SLOT(SecurityFunctionTableA, ExportSecurityContext),
    SLOT(SecurityFunctionTableA, ImportSecurityContextA),
    SLOT(SecurityFunctionTableA, AddCredentialsA),
    SLOT(SecurityFunctionTableA, Reserved8),
    SLOT(SecurityFunctionTableA, QuerySecurityContextToken),
    SLOT(SecurityFunctionTableA, EncryptMessage),
    SLOT(SecurityFunctionTableA, DecryptMessage),
    SLOT(SecurityFunctionTableA, SetContextAttributesA),
    SLOT(SecurityFunctionTableA, SetCredentialsAttributesA),
    SLOT(SecurityFunctionTableA, ChangeAccountPasswordA),
    SLOT(SecurityFunctionTableA, QueryContextAttributesExA),
    SLOT(SecurityFunctionTableA, QueryCredentialsAttributesExA),
};

static size_t
misplaced_slots(const struct table_slot *slots, size_t n)
{
    size_t i, wrong = 0;

    for (i = 0; i < n; i++) {
        if (slots[i].offset != i * sizeof(void *)) {
            fprintf(stderr, "\n  %s at offset %zu, want slot %zu", slots[i].name, slots[i].offset,
                    i);
            wrong++;
        }
    }
    return wrong;
}

static void
test_function_tables_have_windows_slot_order(void)
{
    CU_ASSERT_EQUAL(sizeof(slots_w) / sizeof(slots_w[0]), 32);
    CU_ASSERT_EQUAL(sizeof(slots_a) / sizeof(slots_a[0]), 32);
    CU_ASSERT_EQUAL(misplaced_slots(slots_w, sizeof(slots_w) / sizeof(slots_w[0])), 0);
    CU_ASSERT_EQUAL(misplaced_slots(slots_a, sizeof(slots_a) / sizeof(slots_a[0])), 0);
    CU_ASSERT_EQUAL(sizeof(SecurityFunctionTableW), 32 * sizeof(void *));
    CU_ASSERT_EQUAL(sizeof(SecurityFunctionTableA), 32 * sizeof(void *));
    /* Both spellings of the A table's credential slot name the same member. */
    CU_ASSERT_EQUAL(offsetof(SecurityFunctionTableA, FreeCredentialsHandle), 4 * sizeof(void *));
}

static void
test_function_table_slots_have_the_entry_point_types(void)
{
    SecurityFunctionTableW *w = NULL;
    SecurityFunctionTableA *a = NULL;

    (void)w;
    (void)a;
    CU_ASSERT_TRUE(SAME_TYPE(w->AcquireCredentialsHandleW, ACQUIRE_CREDENTIALS_HANDLE_FN_W));
    CU_ASSERT_TRUE(SAME_TYPE(a->AcquireCredentialsHandleA, ACQUIRE_CREDENTIALS_HANDLE_FN_A));
    CU_ASSERT_TRUE(SAME_TYPE(w->InitializeSecurityContextW, INITIALIZE_SECURITY_CONTEXT_FN_W));
    CU_ASSERT_TRUE(SAME_TYPE(w->AcceptSecurityContext, ACCEPT_SECURITY_CONTEXT_FN));
    CU_ASSERT_TRUE(SAME_TYPE(w->EncryptMessage, ENCRYPT_MESSAGE_FN));
    CU_ASSERT_TRUE(SAME_TYPE(w->Reserved3, void *));
    CU_ASSERT_TRUE(SAME_TYPE(w->dwVersion, ULONG));
    /* The A and W slot types differ only in their string parameters. */
    CU_ASSERT_FALSE(SAME_TYPE(a->QuerySecurityPackageInfoA, QUERY_SECURITY_PACKAGE_INFO_FN_W));
}

static void
test_without_unicode_unsuffixed_names_map_to_a(void)
{
    CU_ASSERT_TRUE(SAME_TYPE((SecPkgInfo *)0, SecPkgInfoA *));
    CU_ASSERT_TRUE(SAME_TYPE((SEC_WINNT_AUTH_IDENTITY *)0, SEC_WINNT_AUTH_IDENTITY_A *));
    CU_ASSERT_TRUE(SAME_TYPE((SecPkgContext_NegotiationInfo *)0, SecPkgContext_NegotiationInfoA *));
    CU_ASSERT_TRUE(SAME_TYPE((SecurityFunctionTable *)0, SecurityFunctionTableA *));
    CU_ASSERT_TRUE(SAME_TYPE(&AcquireCredentialsHandle, ACQUIRE_CREDENTIALS_HANDLE_FN_A));
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(InitializeSecurityContext), "InitializeSecurityContextA");
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(QueryContextAttributes), "QueryContextAttributesA");
    CU_ASSERT_STRING_EQUAL(SECURITY_ENTRYPOINT_ANSI, "InitSecurityInterfaceA");
}

static void
test_package_names_are_narrow_without_unicode(void)
{
    static const WCHAR ntlm[] = {'N', 'T', 'L', 'M', 0};
    static const WCHAR kerberos[] = {'K', 'e', 'r', 'b', 'e', 'r', 'o', 's', 0};

    CU_ASSERT_STRING_EQUAL(NEGOSSP_NAME, "Negotiate");
    CU_ASSERT_EQUAL(sizeof(NEGOSSP_NAME[0]), 1);
    CU_ASSERT_STRING_EQUAL(NEGOSSP_NAME_A, "Negotiate");
    CU_ASSERT_STRING_EQUAL(NTLMSP_NAME_A, "NTLM");
    CU_ASSERT_STRING_EQUAL(MICROSOFT_KERBEROS_NAME_A, "Kerberos");
    /* As on Windows, these two are wide whatever UNICODE says. */
    CU_ASSERT_EQUAL(sizeof(NTLMSP_NAME), sizeof(ntlm));
    CU_ASSERT_EQUAL(memcmp(NTLMSP_NAME, ntlm, sizeof(ntlm)), 0);
    CU_ASSERT_EQUAL(memcmp(MICROSOFT_KERBEROS_NAME, kerberos, sizeof(kerberos)), 0);
}

/* secext.h's EXTENDED_NAME_FORMAT and the winerror.h codes its functions set (SDK values). */
static void
test_secext_names_and_error_codes_have_documented_values(void)
{
    CU_ASSERT_EQUAL(sizeof(DWORD), 4);
    CU_ASSERT_EQUAL(NameUnknown, 0);
    CU_ASSERT_EQUAL(NameFullyQualifiedDN, 1);
    CU_ASSERT_EQUAL(NameSamCompatible, 2);
    CU_ASSERT_EQUAL(NameDisplay, 3);
    CU_ASSERT_EQUAL(NameUniqueId, 6);
    CU_ASSERT_EQUAL(NameCanonical, 7);
    CU_ASSERT_EQUAL(NameUserPrincipal, 8);
    CU_ASSERT_EQUAL(NameCanonicalEx, 9);
    CU_ASSERT_EQUAL(NameServicePrincipal, 10);
    CU_ASSERT_EQUAL(NameDnsDomain, 12);
    CU_ASSERT_EQUAL(NameGivenName, 13);
    CU_ASSERT_EQUAL(NameSurname, 14);
    CU_ASSERT_EQUAL(ERROR_SUCCESS, 0);
    CU_ASSERT_EQUAL(ERROR_NOT_ENOUGH_MEMORY, 8);
    CU_ASSERT_EQUAL(ERROR_INVALID_PARAMETER, 87);
    CU_ASSERT_EQUAL(ERROR_INSUFFICIENT_BUFFER, 122);
    CU_ASSERT_EQUAL(ERROR_MORE_DATA, 234);
    CU_ASSERT_EQUAL(ERROR_NONE_MAPPED, 1332);
    CU_ASSERT_EQUAL(ERROR_CANT_ACCESS_DOMAIN_INFO, 1351);
    CU_ASSERT_EQUAL(ERROR_NO_SUCH_DOMAIN, 1355);
}

/* The Windows prototypes: BOOLEAN returns and PULONG sizes; opaque identities as void *. */
static void
test_secext_and_identity_functions_have_windows_signatures(void)
{
    typedef BOOLEAN (*name_a)(EXTENDED_NAME_FORMAT, LPSTR, PULONG);
    typedef BOOLEAN (*name_w)(EXTENDED_NAME_FORMAT, LPWSTR, PULONG);
    typedef SECURITY_STATUS (*encode_strings)(PCWSTR, PCWSTR, PCWSTR,
                                              PSEC_WINNT_AUTH_IDENTITY_OPAQUE *);
    typedef SECURITY_STATUS (*encode_identity)(PSEC_WINNT_AUTH_IDENTITY_OPAQUE, PCWSTR *, PCWSTR *,
                                               PCWSTR *);
    typedef void (*identity_op)(PSEC_WINNT_AUTH_IDENTITY_OPAQUE);

    CU_ASSERT_TRUE(SAME_TYPE(&GetUserNameExA, name_a));
    CU_ASSERT_TRUE(SAME_TYPE(&GetUserNameExW, name_w));
    CU_ASSERT_TRUE(SAME_TYPE(&GetComputerObjectNameA, name_a));
    CU_ASSERT_TRUE(SAME_TYPE(&GetComputerObjectNameW, name_w));
    CU_ASSERT_TRUE(SAME_TYPE(&GetUserNameEx, name_a));
    CU_ASSERT_STRING_EQUAL(EXPANDED_NAME(GetComputerObjectName), "GetComputerObjectNameA");
    CU_ASSERT_TRUE(SAME_TYPE(&SspiEncodeStringsAsAuthIdentity, encode_strings));
    CU_ASSERT_TRUE(SAME_TYPE(&SspiEncodeAuthIdentityAsStrings, encode_identity));
    CU_ASSERT_TRUE(SAME_TYPE(&SspiFreeAuthIdentity, identity_op));
    CU_ASSERT_TRUE(SAME_TYPE(&SspiZeroAuthIdentity, identity_op));
    CU_ASSERT_TRUE(SAME_TYPE(&GetLastError, DWORD(*)(void)));
    CU_ASSERT_TRUE(SAME_TYPE(&SetLastError, void (*)(DWORD)));
    CU_ASSERT_EQUAL(sizeof(BOOLEAN), 1);
}

static CU_TestInfo tests[] = {
    {"base types have windows llp64 widths", test_base_types_have_windows_llp64_widths},
    {"wchar is the type of utf16 literals", test_wchar_is_the_type_of_utf16_literals},
    {"handles are two pointer sized words", test_handles_are_two_pointer_sized_words},
    {"invalidated handle is all ones and not valid",
     test_invalidated_handle_is_all_ones_and_not_valid},
    {"timestamp is a large integer with low high and quad parts",
     test_timestamp_is_a_large_integer_with_low_high_and_quad_parts},
    {"secbuffer and descriptor have windows layout",
     test_secbuffer_and_descriptor_have_windows_layout},
    {"channel bindings header is eight ulongs", test_channel_bindings_header_is_eight_ulongs},
    {"package info has windows layout", test_package_info_has_windows_layout},
    {"context attribute structs have windows layout",
     test_context_attribute_structs_have_windows_layout},
    {"auth identity structs have windows layout", test_auth_identity_structs_have_windows_layout},
    {"status codes have documented values", test_status_codes_have_documented_values},
    {"status severity is in the sign", test_status_severity_is_in_the_sign},
    {"secbuffer types and attributes have documented values",
     test_secbuffer_types_and_attributes_have_documented_values},
    {"isc flags have documented values", test_isc_flags_have_documented_values},
    {"asc flags have documented values", test_asc_flags_have_documented_values},
    {"attribute levels have documented values", test_attribute_levels_have_documented_values},
    {"package capability flags have documented values",
     test_package_capability_flags_have_documented_values},
    {"other constants have documented values", test_other_constants_have_documented_values},
    {"function tables have windows slot order", test_function_tables_have_windows_slot_order},
    {"token structs and constants have windows layout and values",
     test_token_structs_and_constants_have_windows_layout_and_values},
    {"function table slots have the entry point types",
     test_function_table_slots_have_the_entry_point_types},
    {"without unicode unsuffixed names map to a", test_without_unicode_unsuffixed_names_map_to_a},
    {"package names are narrow without unicode", test_package_names_are_narrow_without_unicode},
    {"secext names and error codes have documented values",
     test_secext_names_and_error_codes_have_documented_values},
    {"secext and identity functions have windows signatures",
     test_secext_and_identity_functions_have_windows_signatures},
    {"unicode maps unsuffixed types to w", test_unicode_maps_unsuffixed_types_to_w},
    {"unicode maps unsuffixed functions to w", test_unicode_maps_unsuffixed_functions_to_w},
    {"unicode negossp name is a wide string", test_unicode_negossp_name_is_a_wide_string},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("sspi_header", tests);
}
