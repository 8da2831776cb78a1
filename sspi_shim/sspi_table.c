/*
 * InitSecurityInterfaceA/W: the function tables in Windows slot order, for code that loads
 * libsspi with dlopen and finds every entry point through one dlsym.
 *
 * dwVersion is SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION (1), the value Windows' secur32
 * reports (Wine's conformance test checks it there) although its table, like this one, fills
 * SetContextAttributes too. Reserved3 and Reserved4 hold EncryptMessage and DecryptMessage, as on
 * Windows, for callers from before those slots had names. Slots libsspi does not implement are
 * NULL: AddCredentials, SetCredentialsAttributes, ChangeAccountPassword and the Ex queries.
 */
#include "sspi.h"

static SecurityFunctionTableA table_a = {
    .dwVersion = SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION,
    .EnumerateSecurityPackagesA = EnumerateSecurityPackagesA,
    .QueryCredentialsAttributesA = QueryCredentialsAttributesA,
    .AcquireCredentialsHandleA = AcquireCredentialsHandleA,
    .FreeCredentialHandle = FreeCredentialsHandle,
    .Reserved2 = NULL,
    .InitializeSecurityContextA = InitializeSecurityContextA,
    .AcceptSecurityContext = AcceptSecurityContext,
    .CompleteAuthToken = CompleteAuthToken,
    .DeleteSecurityContext = DeleteSecurityContext,
    .ApplyControlToken = ApplyControlToken,
    .QueryContextAttributesA = QueryContextAttributesA,
    .ImpersonateSecurityContext = ImpersonateSecurityContext,
    .RevertSecurityContext = RevertSecurityContext,
    .MakeSignature = MakeSignature,
    .VerifySignature = VerifySignature,
    .FreeContextBuffer = FreeContextBuffer,
    .QuerySecurityPackageInfoA = QuerySecurityPackageInfoA,
    .Reserved3 = (void *)EncryptMessage,
    .Reserved4 = (void *)DecryptMessage,
    .ExportSecurityContext = ExportSecurityContext,
    .ImportSecurityContextA = ImportSecurityContextA,
    .AddCredentialsA = NULL,
    .Reserved8 = NULL,
    .QuerySecurityContextToken = QuerySecurityContextToken,
    .EncryptMessage = EncryptMessage,
    .DecryptMessage = DecryptMessage,
    .SetContextAttributesA = SetContextAttributesA,
    .SetCredentialsAttributesA = NULL,
    .ChangeAccountPasswordA = NULL,
    .QueryContextAttributesExA = NULL,
    .QueryCredentialsAttributesExA = NULL,
};

static SecurityFunctionTableW table_w = {
    .dwVersion = SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION,
    .EnumerateSecurityPackagesW = EnumerateSecurityPackagesW,
    .QueryCredentialsAttributesW = QueryCredentialsAttributesW,
    .AcquireCredentialsHandleW = AcquireCredentialsHandleW,
    .FreeCredentialsHandle = FreeCredentialsHandle,
    .Reserved2 = NULL,
    .InitializeSecurityContextW = InitializeSecurityContextW,
    .AcceptSecurityContext = AcceptSecurityContext,
    .CompleteAuthToken = CompleteAuthToken,
    .DeleteSecurityContext = DeleteSecurityContext,
    .ApplyControlToken = ApplyControlToken,
    .QueryContextAttributesW = QueryContextAttributesW,
    .ImpersonateSecurityContext = ImpersonateSecurityContext,
    .RevertSecurityContext = RevertSecurityContext,
    .MakeSignature = MakeSignature,
    .VerifySignature = VerifySignature,
    .FreeContextBuffer = FreeContextBuffer,
    .QuerySecurityPackageInfoW = QuerySecurityPackageInfoW,
    .Reserved3 = (void *)EncryptMessage,
    .Reserved4 = (void *)DecryptMessage,
    .ExportSecurityContext = ExportSecurityContext,
    .ImportSecurityContextW = ImportSecurityContextW,
    .AddCredentialsW = NULL,
    .Reserved8 = NULL,
    .QuerySecurityContextToken = QuerySecurityContextToken,
    .EncryptMessage = EncryptMessage,
    .DecryptMessage = DecryptMessage,
    .SetContextAttributesW = SetContextAttributesW,
    .SetCredentialsAttributesW = NULL,
    .ChangeAccountPasswordW = NULL,
    .QueryContextAttributesExW = NULL,
    .QueryCredentialsAttributesExW = NULL,
};

PSecurityFunctionTableA SEC_ENTRY
InitSecurityInterfaceA(void)
{
    return &table_a;
}

PSecurityFunctionTableW SEC_ENTRY
InitSecurityInterfaceW(void)
{
    return &table_w;
}
