// Compile check: include/sspi.h is valid C++11 with C linkage and the same layout as in C.
// Nothing from libsspi is called; running the program only returns 0.
#include <cstddef>
#include <type_traits>

#include "sspi.h"

static_assert(sizeof(ULONG) == 4, "ULONG is 32-bit, as on Windows");
static_assert(sizeof(WCHAR) == 2, "WCHAR is a UTF-16 code unit");
static_assert(sizeof(ULONG_PTR) == sizeof(void *), "ULONG_PTR is pointer-sized");
static_assert(sizeof(SecHandle) == 2 * sizeof(void *), "SecHandle layout");
static_assert(sizeof(SecBuffer) == 16 && sizeof(SecBufferDesc) == 16, "SecBuffer layout");
static_assert(sizeof(SEC_CHANNEL_BINDINGS) == 32, "SEC_CHANNEL_BINDINGS layout");
static_assert(sizeof(TimeStamp) == 8 && offsetof(TimeStamp, HighPart) == 4, "TimeStamp layout");
static_assert(offsetof(SecurityFunctionTableW, AcceptSecurityContext) == 7 * sizeof(void *),
              "AcceptSecurityContext slot");
static_assert(offsetof(SecurityFunctionTableA, QueryCredentialsAttributesExA) ==
                  31 * sizeof(void *),
              "last slot");
static_assert(SEC_E_INVALID_TOKEN < 0 && SEC_I_CONTINUE_NEEDED > 0, "status severity");
static_assert(sizeof(TOKEN_STATISTICS) == 56 && offsetof(TOKEN_GROUPS, Groups) == 8,
              "token structures as in C");
static_assert(sizeof(SID) == 12 && sizeof(BOOL) == 4, "SID and BOOL as in C");

// The W package names are char16_t literals, usable where Windows code expects WCHAR strings.
static const SEC_WCHAR *const negotiate = NEGOSSP_NAME_W;
static const WCHAR *const ntlm = NTLMSP_NAME;

// Each entry point has the type of its dispatch-table slot (decltype is unevaluated, so this
// needs no libsspi at link time).
#define SLOT_TYPE_IS(table, slot, fn)                                                              \
    static_assert(std::is_same<decltype(table::slot), decltype(&fn)>::value,                       \
                  #fn " does not match " #table "::" #slot)

SLOT_TYPE_IS(SecurityFunctionTableW, EnumerateSecurityPackagesW, EnumerateSecurityPackagesW);
SLOT_TYPE_IS(SecurityFunctionTableW, QueryCredentialsAttributesW, QueryCredentialsAttributesW);
SLOT_TYPE_IS(SecurityFunctionTableW, AcquireCredentialsHandleW, AcquireCredentialsHandleW);
SLOT_TYPE_IS(SecurityFunctionTableW, FreeCredentialsHandle, FreeCredentialsHandle);
SLOT_TYPE_IS(SecurityFunctionTableW, InitializeSecurityContextW, InitializeSecurityContextW);
SLOT_TYPE_IS(SecurityFunctionTableW, AcceptSecurityContext, AcceptSecurityContext);
SLOT_TYPE_IS(SecurityFunctionTableW, CompleteAuthToken, CompleteAuthToken);
SLOT_TYPE_IS(SecurityFunctionTableW, DeleteSecurityContext, DeleteSecurityContext);
SLOT_TYPE_IS(SecurityFunctionTableW, ApplyControlToken, ApplyControlToken);
SLOT_TYPE_IS(SecurityFunctionTableW, QueryContextAttributesW, QueryContextAttributesW);
SLOT_TYPE_IS(SecurityFunctionTableW, ImpersonateSecurityContext, ImpersonateSecurityContext);
SLOT_TYPE_IS(SecurityFunctionTableW, RevertSecurityContext, RevertSecurityContext);
SLOT_TYPE_IS(SecurityFunctionTableW, MakeSignature, MakeSignature);
SLOT_TYPE_IS(SecurityFunctionTableW, VerifySignature, VerifySignature);
SLOT_TYPE_IS(SecurityFunctionTableW, FreeContextBuffer, FreeContextBuffer);
SLOT_TYPE_IS(SecurityFunctionTableW, QuerySecurityPackageInfoW, QuerySecurityPackageInfoW);
SLOT_TYPE_IS(SecurityFunctionTableW, ExportSecurityContext, ExportSecurityContext);
SLOT_TYPE_IS(SecurityFunctionTableW, ImportSecurityContextW, ImportSecurityContextW);
SLOT_TYPE_IS(SecurityFunctionTableW, QuerySecurityContextToken, QuerySecurityContextToken);
SLOT_TYPE_IS(SecurityFunctionTableW, EncryptMessage, EncryptMessage);
SLOT_TYPE_IS(SecurityFunctionTableW, DecryptMessage, DecryptMessage);
SLOT_TYPE_IS(SecurityFunctionTableW, SetContextAttributesW, SetContextAttributesW);
SLOT_TYPE_IS(SecurityFunctionTableA, AcquireCredentialsHandleA, AcquireCredentialsHandleA);
SLOT_TYPE_IS(SecurityFunctionTableA, InitializeSecurityContextA, InitializeSecurityContextA);
SLOT_TYPE_IS(SecurityFunctionTableA, QueryContextAttributesA, QueryContextAttributesA);
SLOT_TYPE_IS(SecurityFunctionTableA, FreeCredentialHandle, FreeCredentialsHandle);

// secext.h and the opaque identity functions: Windows' prototypes, and the enum's SDK values.
static_assert(std::is_same<decltype(&GetUserNameExW),
                           BOOLEAN (*)(EXTENDED_NAME_FORMAT, LPWSTR, PULONG)>::value,
              "GetUserNameExW prototype");
static_assert(std::is_same<decltype(&GetComputerObjectNameA),
                           BOOLEAN (*)(EXTENDED_NAME_FORMAT, LPSTR, PULONG)>::value,
              "GetComputerObjectNameA prototype");
static_assert(std::is_same<decltype(&SspiEncodeStringsAsAuthIdentity),
                           SECURITY_STATUS (*)(PCWSTR, PCWSTR, PCWSTR,
                                               PSEC_WINNT_AUTH_IDENTITY_OPAQUE *)>::value,
              "SspiEncodeStringsAsAuthIdentity prototype");
static_assert(
    std::is_same<decltype(&SspiFreeAuthIdentity), void (*)(PSEC_WINNT_AUTH_IDENTITY_OPAQUE)>::value,
    "SspiFreeAuthIdentity prototype");
static_assert(std::is_same<decltype(&GetLastError), DWORD (*)()>::value, "GetLastError prototype");
static_assert(NameSamCompatible == 2 && NameUserPrincipal == 8 && NameSurname == 14,
              "EXTENDED_NAME_FORMAT values");
// Windows' own code passes u"" literals where PCWSTR is expected.
static const PCWSTR user_literal = u"alice";

int
main()
{
    return negotiate[0] == u'N' && ntlm[0] == u'N' && user_literal[0] == u'a' ? 0 : 1;
}
