/*
 * sspigss: the Windows SSPI API (sspi.h, plus the package names of security.h) for Linux, so
 * that code written against Microsoft's documentation compiles unchanged against libsspi.
 *
 * Windows is LLP64 and Linux is LP64: every Windows "long" here is a 32-bit ULONG/LONG, never
 * C long, so that structure layouts match the documentation. WCHAR is 16-bit UTF-16 (char16_t
 * literals: u"..."), never the 32-bit wchar_t. Struct tags keep their Windows spelling
 * (_SecHandle, _SecBuffer, ...) because ported C++ code forward-declares them.
 */
#ifndef SSPIGSS_SSPI_H
#define SSPIGSS_SSPI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Calling convention, export and header mode                                                  */
/* ------------------------------------------------------------------------------------------ */

/* No __stdcall on Linux. */
#define SEC_ENTRY
#define SEC_FAR

#ifndef SSPI_API
#if defined(__GNUC__) || defined(__clang__)
#define SSPI_API __attribute__((visibility("default")))
#else
#define SSPI_API
#endif
#endif

/* The user-mode SSPI (what SECURITY_WIN32 selects on Windows); there is no kernel mode here. */
#define ISSP_LEVEL 32
#define ISSP_MODE 1

/* Selects the W or A form of a name by UNICODE, as the Windows headers do. */
#ifdef UNICODE
#define SSPI_NAME_AW(name) name##W
#else
#define SSPI_NAME_AW(name) name##A
#endif

/* Anonymous structs are C11; GCC and Clang accept them in C++ and C99 under __extension__. */
#if (defined(__GNUC__) || defined(__clang__)) &&                                                   \
    (defined(__cplusplus) || !defined(__STDC_VERSION__) || __STDC_VERSION__ < 201112L)
#define SSPI_ANONYMOUS_STRUCT __extension__ struct
#else
#define SSPI_ANONYMOUS_STRUCT struct
#endif

/* ------------------------------------------------------------------------------------------ */
/* Windows base types (LLP64 widths)                                                           */
/* ------------------------------------------------------------------------------------------ */

typedef void VOID;
typedef void *PVOID;
typedef void *HANDLE;
typedef char CHAR;
typedef uint8_t UCHAR, *PUCHAR;
typedef uint8_t BOOLEAN, *PBOOLEAN;
typedef int16_t SHORT;
typedef uint16_t USHORT, *PUSHORT;
typedef int32_t LONG, *PLONG;
typedef uint32_t ULONG, *PULONG;
typedef uint32_t DWORD, *PDWORD, *LPDWORD;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef intptr_t LONG_PTR;
typedef uintptr_t ULONG_PTR;

/*
 * UTF-16 code unit. In C, uint16_t is the type of u"..." elements (char16_t is uint_least16_t,
 * both unsigned short under glibc). C++ has a distinct char16_t, used there so that u"..."
 * literals still have type WCHAR[], as L"..." does with MSVC.
 */
#ifdef __cplusplus
typedef char16_t WCHAR;
#else
typedef uint16_t WCHAR;
#endif

typedef CHAR *PSTR, *LPSTR;
typedef const CHAR *PCSTR, *LPCSTR;
typedef WCHAR *PWSTR, *LPWSTR;
typedef const WCHAR *PCWSTR, *LPCWSTR;

/* clang-format off */
typedef union _LARGE_INTEGER {
    SSPI_ANONYMOUS_STRUCT {
        ULONG LowPart;
        LONG HighPart;
    };
    struct {
        ULONG LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;
/* clang-format on */

/* ------------------------------------------------------------------------------------------ */
/* SSPI scalar types, handles and time stamps                                                  */
/* ------------------------------------------------------------------------------------------ */

typedef WCHAR SEC_WCHAR;
typedef CHAR SEC_CHAR;

#ifndef __SECSTATUS_DEFINED__
#define __SECSTATUS_DEFINED__
typedef LONG SECURITY_STATUS;
#endif

#define SEC_SUCCESS(Status) ((Status) >= 0)

#ifdef UNICODE
typedef SEC_WCHAR *SECURITY_PSTR;
typedef const SEC_WCHAR *SECURITY_PCSTR;
#else
typedef SEC_CHAR *SECURITY_PSTR;
typedef const SEC_CHAR *SECURITY_PCSTR;
#endif

#ifndef __SECHANDLE_DEFINED__
#define __SECHANDLE_DEFINED__
typedef struct _SecHandle {
    ULONG_PTR dwLower;
    ULONG_PTR dwUpper;
} SecHandle, *PSecHandle;
#endif

typedef SecHandle CredHandle;
typedef PSecHandle PCredHandle;
typedef SecHandle CtxtHandle;
typedef PSecHandle PCtxtHandle;

#define SecInvalidateHandle(x)                                                                     \
    do {                                                                                           \
        ((PSecHandle)(x))->dwLower = (ULONG_PTR)(LONG_PTR)-1;                                      \
        ((PSecHandle)(x))->dwUpper = (ULONG_PTR)(LONG_PTR)-1;                                      \
    } while (0)

#define SecIsValidHandle(x)                                                                        \
    ((((PSecHandle)(x))->dwLower != (ULONG_PTR)(LONG_PTR)-1) &&                                    \
     (((PSecHandle)(x))->dwUpper != (ULONG_PTR)(LONG_PTR)-1))

#define SEC_DELETED_HANDLE ((ULONG_PTR)(LONG_PTR)-2)

/* 100-nanosecond intervals since 1601-01-01 (local time for SSPI expiry values). */
typedef LARGE_INTEGER SECURITY_INTEGER, *PSECURITY_INTEGER;
typedef SECURITY_INTEGER TimeStamp, *PTimeStamp;

typedef struct _SECURITY_STRING {
    USHORT Length;
    USHORT MaximumLength;
    USHORT *Buffer;
} SECURITY_STRING, *PSECURITY_STRING;

/* ------------------------------------------------------------------------------------------ */
/* Status codes (winerror.h, facility SECURITY): SEC_E_* < 0 are errors, SEC_I_* > 0 info     */
/* ------------------------------------------------------------------------------------------ */

#define SEC_E_OK ((SECURITY_STATUS)0x00000000)

#define SEC_E_INSUFFICIENT_MEMORY ((SECURITY_STATUS)0x80090300)
#define SEC_E_INVALID_HANDLE ((SECURITY_STATUS)0x80090301)
#define SEC_E_UNSUPPORTED_FUNCTION ((SECURITY_STATUS)0x80090302)
#define SEC_E_TARGET_UNKNOWN ((SECURITY_STATUS)0x80090303)
#define SEC_E_INTERNAL_ERROR ((SECURITY_STATUS)0x80090304)
#define SEC_E_SECPKG_NOT_FOUND ((SECURITY_STATUS)0x80090305)
#define SEC_E_NOT_OWNER ((SECURITY_STATUS)0x80090306)
#define SEC_E_CANNOT_INSTALL ((SECURITY_STATUS)0x80090307)
#define SEC_E_INVALID_TOKEN ((SECURITY_STATUS)0x80090308)
#define SEC_E_CANNOT_PACK ((SECURITY_STATUS)0x80090309)
#define SEC_E_QOP_NOT_SUPPORTED ((SECURITY_STATUS)0x8009030A)
#define SEC_E_NO_IMPERSONATION ((SECURITY_STATUS)0x8009030B)
#define SEC_E_LOGON_DENIED ((SECURITY_STATUS)0x8009030C)
#define SEC_E_UNKNOWN_CREDENTIALS ((SECURITY_STATUS)0x8009030D)
#define SEC_E_NO_CREDENTIALS ((SECURITY_STATUS)0x8009030E)
#define SEC_E_MESSAGE_ALTERED ((SECURITY_STATUS)0x8009030F)
#define SEC_E_OUT_OF_SEQUENCE ((SECURITY_STATUS)0x80090310)
#define SEC_E_NO_AUTHENTICATING_AUTHORITY ((SECURITY_STATUS)0x80090311)
#define SEC_I_CONTINUE_NEEDED ((SECURITY_STATUS)0x00090312)
#define SEC_I_COMPLETE_NEEDED ((SECURITY_STATUS)0x00090313)
#define SEC_I_COMPLETE_AND_CONTINUE ((SECURITY_STATUS)0x00090314)
#define SEC_I_LOCAL_LOGON ((SECURITY_STATUS)0x00090315)
#define SEC_I_GENERIC_EXTENSION_RECEIVED ((SECURITY_STATUS)0x00090316)
#define SEC_E_BAD_PKGID ((SECURITY_STATUS)0x80090316)
#define SEC_E_CONTEXT_EXPIRED ((SECURITY_STATUS)0x80090317)
#define SEC_I_CONTEXT_EXPIRED ((SECURITY_STATUS)0x00090317)
#define SEC_E_INCOMPLETE_MESSAGE ((SECURITY_STATUS)0x80090318)
#define SEC_E_INCOMPLETE_CREDENTIALS ((SECURITY_STATUS)0x80090320)
#define SEC_E_BUFFER_TOO_SMALL ((SECURITY_STATUS)0x80090321)
#define SEC_I_INCOMPLETE_CREDENTIALS ((SECURITY_STATUS)0x00090320)
#define SEC_I_RENEGOTIATE ((SECURITY_STATUS)0x00090321)
#define SEC_E_WRONG_PRINCIPAL ((SECURITY_STATUS)0x80090322)
#define SEC_I_NO_LSA_CONTEXT ((SECURITY_STATUS)0x00090323)
#define SEC_E_TIME_SKEW ((SECURITY_STATUS)0x80090324)
#define SEC_E_UNTRUSTED_ROOT ((SECURITY_STATUS)0x80090325)
#define SEC_E_ILLEGAL_MESSAGE ((SECURITY_STATUS)0x80090326)
#define SEC_E_CERT_UNKNOWN ((SECURITY_STATUS)0x80090327)
#define SEC_E_CERT_EXPIRED ((SECURITY_STATUS)0x80090328)
#define SEC_E_ENCRYPT_FAILURE ((SECURITY_STATUS)0x80090329)
#define SEC_E_DECRYPT_FAILURE ((SECURITY_STATUS)0x80090330)
#define SEC_E_ALGORITHM_MISMATCH ((SECURITY_STATUS)0x80090331)
#define SEC_E_SECURITY_QOS_FAILED ((SECURITY_STATUS)0x80090332)
#define SEC_E_UNFINISHED_CONTEXT_DELETED ((SECURITY_STATUS)0x80090333)
#define SEC_E_NO_TGT_REPLY ((SECURITY_STATUS)0x80090334)
#define SEC_E_NO_IP_ADDRESSES ((SECURITY_STATUS)0x80090335)
#define SEC_E_WRONG_CREDENTIAL_HANDLE ((SECURITY_STATUS)0x80090336)
#define SEC_E_CRYPTO_SYSTEM_INVALID ((SECURITY_STATUS)0x80090337)
#define SEC_E_MAX_REFERRALS_EXCEEDED ((SECURITY_STATUS)0x80090338)
#define SEC_E_MUST_BE_KDC ((SECURITY_STATUS)0x80090339)
#define SEC_E_STRONG_CRYPTO_NOT_SUPPORTED ((SECURITY_STATUS)0x8009033A)
#define SEC_E_TOO_MANY_PRINCIPALS ((SECURITY_STATUS)0x8009033B)
#define SEC_E_NO_PA_DATA ((SECURITY_STATUS)0x8009033C)
#define SEC_E_PKINIT_NAME_MISMATCH ((SECURITY_STATUS)0x8009033D)
#define SEC_E_SMARTCARD_LOGON_REQUIRED ((SECURITY_STATUS)0x8009033E)
#define SEC_E_SHUTDOWN_IN_PROGRESS ((SECURITY_STATUS)0x8009033F)
#define SEC_E_KDC_INVALID_REQUEST ((SECURITY_STATUS)0x80090340)
#define SEC_E_KDC_UNABLE_TO_REFER ((SECURITY_STATUS)0x80090341)
#define SEC_E_KDC_UNKNOWN_ETYPE ((SECURITY_STATUS)0x80090342)
#define SEC_E_UNSUPPORTED_PREAUTH ((SECURITY_STATUS)0x80090343)
#define SEC_E_DELEGATION_REQUIRED ((SECURITY_STATUS)0x80090345)
#define SEC_E_BAD_BINDINGS ((SECURITY_STATUS)0x80090346)
#define SEC_E_MULTIPLE_ACCOUNTS ((SECURITY_STATUS)0x80090347)
#define SEC_E_NO_KERB_KEY ((SECURITY_STATUS)0x80090348)
#define SEC_E_CERT_WRONG_USAGE ((SECURITY_STATUS)0x80090349)
#define SEC_E_DOWNGRADE_DETECTED ((SECURITY_STATUS)0x80090350)
#define SEC_E_SMARTCARD_CERT_REVOKED ((SECURITY_STATUS)0x80090351)
#define SEC_E_ISSUING_CA_UNTRUSTED ((SECURITY_STATUS)0x80090352)
#define SEC_E_REVOCATION_OFFLINE_C ((SECURITY_STATUS)0x80090353)
#define SEC_E_PKINIT_CLIENT_FAILURE ((SECURITY_STATUS)0x80090354)
#define SEC_E_SMARTCARD_CERT_EXPIRED ((SECURITY_STATUS)0x80090355)
#define SEC_E_NO_S4U_PROT_SUPPORT ((SECURITY_STATUS)0x80090356)
#define SEC_E_CROSSREALM_DELEGATION_FAILURE ((SECURITY_STATUS)0x80090357)
#define SEC_E_REVOCATION_OFFLINE_KDC ((SECURITY_STATUS)0x80090358)
#define SEC_E_ISSUING_CA_UNTRUSTED_KDC ((SECURITY_STATUS)0x80090359)
#define SEC_E_KDC_CERT_EXPIRED ((SECURITY_STATUS)0x8009035A)
#define SEC_E_KDC_CERT_REVOKED ((SECURITY_STATUS)0x8009035B)
#define SEC_I_SIGNATURE_NEEDED ((SECURITY_STATUS)0x0009035C)
#define SEC_E_INVALID_PARAMETER ((SECURITY_STATUS)0x8009035D)
#define SEC_E_DELEGATION_POLICY ((SECURITY_STATUS)0x8009035E)
#define SEC_E_POLICY_NLTM_ONLY ((SECURITY_STATUS)0x8009035F)
#define SEC_I_NO_RENEGOTIATION ((SECURITY_STATUS)0x00090360)
#define SEC_E_NO_CONTEXT ((SECURITY_STATUS)0x80090361)
#define SEC_E_PKU2U_CERT_FAILURE ((SECURITY_STATUS)0x80090362)
#define SEC_E_MUTUAL_AUTH_FAILED ((SECURITY_STATUS)0x80090363)
#define SEC_I_MESSAGE_FRAGMENT ((SECURITY_STATUS)0x00090364)
#define SEC_E_ONLY_HTTPS_ALLOWED ((SECURITY_STATUS)0x80090365)
#define SEC_I_CONTINUE_NEEDED_MESSAGE_OK ((SECURITY_STATUS)0x00090366)
#define SEC_E_APPLICATION_PROTOCOL_MISMATCH ((SECURITY_STATUS)0x80090367)
#define SEC_I_ASYNC_CALL_PENDING ((SECURITY_STATUS)0x00090368)
#define SEC_E_INVALID_UPN_NAME ((SECURITY_STATUS)0x80090369)
#define SEC_E_EXT_BUFFER_TOO_SMALL ((SECURITY_STATUS)0x8009036A)
#define SEC_E_INSUFFICIENT_BUFFERS ((SECURITY_STATUS)0x8009036B)

#define SEC_E_NO_SPM SEC_E_INTERNAL_ERROR

/* ------------------------------------------------------------------------------------------ */
/* Security packages: description, capabilities, names                                         */
/* ------------------------------------------------------------------------------------------ */

typedef struct _SecPkgInfoA {
    ULONG fCapabilities;
    USHORT wVersion;
    USHORT wRPCID;
    ULONG cbMaxToken;
    SEC_CHAR *Name;
    SEC_CHAR *Comment;
} SecPkgInfoA, *PSecPkgInfoA;

typedef struct _SecPkgInfoW {
    ULONG fCapabilities;
    USHORT wVersion;
    USHORT wRPCID;
    ULONG cbMaxToken;
    SEC_WCHAR *Name;
    SEC_WCHAR *Comment;
} SecPkgInfoW, *PSecPkgInfoW;

/* SecPkgInfo.fCapabilities */
#define SECPKG_FLAG_INTEGRITY 0x00000001
#define SECPKG_FLAG_PRIVACY 0x00000002
#define SECPKG_FLAG_TOKEN_ONLY 0x00000004
#define SECPKG_FLAG_DATAGRAM 0x00000008
#define SECPKG_FLAG_CONNECTION 0x00000010
#define SECPKG_FLAG_MULTI_REQUIRED 0x00000020
#define SECPKG_FLAG_CLIENT_ONLY 0x00000040
#define SECPKG_FLAG_EXTENDED_ERROR 0x00000080
#define SECPKG_FLAG_IMPERSONATION 0x00000100
#define SECPKG_FLAG_ACCEPT_WIN32_NAME 0x00000200
#define SECPKG_FLAG_STREAM 0x00000400
#define SECPKG_FLAG_NEGOTIABLE 0x00000800
#define SECPKG_FLAG_GSS_COMPATIBLE 0x00001000
#define SECPKG_FLAG_LOGON 0x00002000
#define SECPKG_FLAG_ASCII_BUFFERS 0x00004000
#define SECPKG_FLAG_FRAGMENT 0x00008000
#define SECPKG_FLAG_MUTUAL_AUTH 0x00010000
#define SECPKG_FLAG_DELEGATION 0x00020000
#define SECPKG_FLAG_READONLY_WITH_CHECKSUM 0x00040000
#define SECPKG_FLAG_RESTRICTED_TOKENS 0x00080000
#define SECPKG_FLAG_NEGO_EXTENDER 0x00100000
#define SECPKG_FLAG_NEGOTIABLE2 0x00200000
#define SECPKG_FLAG_APPCONTAINER_PASSTHROUGH 0x00400000
#define SECPKG_FLAG_APPCONTAINER_CHECKS 0x00800000
#define SECPKG_FLAG_CREDENTIAL_ISOLATION_ENABLED 0x01000000
#define SECPKG_FLAG_APPLY_LOOPBACK 0x02000000

#define SECPKG_ID_NONE 0xFFFF

/*
 * Package names (security.h). As on Windows, NEGOSSP_NAME follows UNICODE while NTLMSP_NAME
 * and MICROSOFT_KERBEROS_NAME are always wide. NTLMSP_NAME_W is our addition for symmetry.
 */
#define NEGOSSP_NAME_A "Negotiate"
#define NEGOSSP_NAME_W u"Negotiate"
#define NTLMSP_NAME_A "NTLM"
#define NTLMSP_NAME_W u"NTLM"
#define NTLMSP_NAME NTLMSP_NAME_W
#define MICROSOFT_KERBEROS_NAME_A "Kerberos"
#define MICROSOFT_KERBEROS_NAME_W u"Kerberos"
#define MICROSOFT_KERBEROS_NAME MICROSOFT_KERBEROS_NAME_W

/* ------------------------------------------------------------------------------------------ */
/* Buffers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

typedef struct _SecBuffer {
    ULONG cbBuffer;
    ULONG BufferType;
    void *pvBuffer;
} SecBuffer, *PSecBuffer;

typedef struct _SecBufferDesc {
    ULONG ulVersion;
    ULONG cBuffers;
    PSecBuffer pBuffers;
} SecBufferDesc, *PSecBufferDesc;

#define SECBUFFER_VERSION 0

/* SecBuffer.BufferType, low bits */
#define SECBUFFER_EMPTY 0
#define SECBUFFER_DATA 1
#define SECBUFFER_TOKEN 2
#define SECBUFFER_PKG_PARAMS 3
#define SECBUFFER_MISSING 4
#define SECBUFFER_EXTRA 5
#define SECBUFFER_STREAM_TRAILER 6
#define SECBUFFER_STREAM_HEADER 7
#define SECBUFFER_NEGOTIATION_INFO 8
#define SECBUFFER_PADDING 9
#define SECBUFFER_STREAM 10
#define SECBUFFER_MECHLIST 11
#define SECBUFFER_MECHLIST_SIGNATURE 12
#define SECBUFFER_TARGET 13
#define SECBUFFER_CHANNEL_BINDINGS 14
#define SECBUFFER_CHANGE_PASS_RESPONSE 15
#define SECBUFFER_TARGET_HOST 16
#define SECBUFFER_ALERT 17
#define SECBUFFER_APPLICATION_PROTOCOLS 18
#define SECBUFFER_SRTP_PROTECTION_PROFILES 19
#define SECBUFFER_SRTP_MASTER_KEY_IDENTIFIER 20
#define SECBUFFER_TOKEN_BINDING 21
#define SECBUFFER_PRESHARED_KEY 22
#define SECBUFFER_PRESHARED_KEY_IDENTITY 23
#define SECBUFFER_DTLS_MTU 24
#define SECBUFFER_SEND_GENERIC_TLS_EXTENSION 25
#define SECBUFFER_SUBSCRIBE_GENERIC_TLS_EXTENSION 26
#define SECBUFFER_FLAGS 27
#define SECBUFFER_TRAFFIC_SECRETS 28
#define SECBUFFER_CERTIFICATE_REQUEST_CONTEXT 29
#define SECBUFFER_CHANNEL_BINDINGS_RESULT 30

/* SecBuffer.BufferType, attribute bits */
#define SECBUFFER_ATTRMASK 0xF0000000
#define SECBUFFER_READONLY 0x80000000
#define SECBUFFER_READONLY_WITH_CHECKSUM 0x10000000
#define SECBUFFER_RESERVED 0x60000000

/* Contents of a SECBUFFER_CHANNEL_BINDINGS buffer; offsets count from the struct start. */
typedef struct _SEC_CHANNEL_BINDINGS {
    ULONG dwInitiatorAddrType;
    ULONG cbInitiatorLength;
    ULONG dwInitiatorOffset;
    ULONG dwAcceptorAddrType;
    ULONG cbAcceptorLength;
    ULONG dwAcceptorOffset;
    ULONG cbApplicationDataLength;
    ULONG dwApplicationDataOffset;
} SEC_CHANNEL_BINDINGS, *PSEC_CHANNEL_BINDINGS;

/* TargetDataRep */
#define SECURITY_NATIVE_DREP 0x00000010
#define SECURITY_NETWORK_DREP 0x00000000

/* ------------------------------------------------------------------------------------------ */
/* Credentials                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* AcquireCredentialsHandle fCredentialUse */
#define SECPKG_CRED_INBOUND 0x00000001
#define SECPKG_CRED_OUTBOUND 0x00000002
#define SECPKG_CRED_BOTH 0x00000003
#define SECPKG_CRED_DEFAULT 0x00000004
#define SECPKG_CRED_AUTOLOGON_RESTRICTED 0x00000010
#define SECPKG_CRED_PROCESS_POLICY_ONLY 0x00000020
#define SECPKG_CRED_RESERVED 0xF0000000

/* QueryCredentialsAttributes ulAttribute */
#define SECPKG_CRED_ATTR_NAMES 1
#define SECPKG_CRED_ATTR_SSI_PROVIDER 2
#define SECPKG_CRED_ATTR_KDC_PROXY_SETTINGS 3
#define SECPKG_CRED_ATTR_CERT 4

typedef struct _SecPkgCredentials_NamesA {
    SEC_CHAR *sUserName;
} SecPkgCredentials_NamesA, *PSecPkgCredentials_NamesA;

typedef struct _SecPkgCredentials_NamesW {
    SEC_WCHAR *sUserName;
} SecPkgCredentials_NamesW, *PSecPkgCredentials_NamesW;

/* AcquireCredentialsHandle pAuthData for the NTLM, Kerberos and Negotiate packages */
#define SEC_WINNT_AUTH_IDENTITY_ANSI 0x1
#define SEC_WINNT_AUTH_IDENTITY_UNICODE 0x2
#define SEC_WINNT_AUTH_IDENTITY_MARSHALLED 0x4
#define SEC_WINNT_AUTH_IDENTITY_ONLY 0x8

/* Lengths count characters, without a terminating NUL. */
typedef struct _SEC_WINNT_AUTH_IDENTITY_A {
    UCHAR *User;
    ULONG UserLength;
    UCHAR *Domain;
    ULONG DomainLength;
    UCHAR *Password;
    ULONG PasswordLength;
    ULONG Flags;
} SEC_WINNT_AUTH_IDENTITY_A, *PSEC_WINNT_AUTH_IDENTITY_A;

/* USHORT, not WCHAR, as in the Windows header. */
typedef struct _SEC_WINNT_AUTH_IDENTITY_W {
    USHORT *User;
    ULONG UserLength;
    USHORT *Domain;
    ULONG DomainLength;
    USHORT *Password;
    ULONG PasswordLength;
    ULONG Flags;
} SEC_WINNT_AUTH_IDENTITY_W, *PSEC_WINNT_AUTH_IDENTITY_W;

#define SEC_WINNT_AUTH_IDENTITY_VERSION 0x200

typedef struct _SEC_WINNT_AUTH_IDENTITY_EXA {
    ULONG Version;
    ULONG Length;
    UCHAR *User;
    ULONG UserLength;
    UCHAR *Domain;
    ULONG DomainLength;
    UCHAR *Password;
    ULONG PasswordLength;
    ULONG Flags;
    UCHAR *PackageList;
    ULONG PackageListLength;
} SEC_WINNT_AUTH_IDENTITY_EXA, *PSEC_WINNT_AUTH_IDENTITY_EXA;

typedef struct _SEC_WINNT_AUTH_IDENTITY_EXW {
    ULONG Version;
    ULONG Length;
    USHORT *User;
    ULONG UserLength;
    USHORT *Domain;
    ULONG DomainLength;
    USHORT *Password;
    ULONG PasswordLength;
    ULONG Flags;
    USHORT *PackageList;
    ULONG PackageListLength;
} SEC_WINNT_AUTH_IDENTITY_EXW, *PSEC_WINNT_AUTH_IDENTITY_EXW;

#define SEC_WINNT_AUTH_IDENTITY_VERSION_2 0x201

/* Packed form: offsets count from the start of this header. */
typedef struct _SEC_WINNT_AUTH_IDENTITY_EX2 {
    ULONG Version;
    USHORT cbHeaderLength;
    ULONG cbStructureLength;
    ULONG UserOffset;
    USHORT UserLength;
    ULONG DomainOffset;
    USHORT DomainLength;
    ULONG PackedCredentialsOffset;
    USHORT PackedCredentialsLength;
    ULONG Flags;
    ULONG PackageListOffset;
    USHORT PackageListLength;
} SEC_WINNT_AUTH_IDENTITY_EX2, *PSEC_WINNT_AUTH_IDENTITY_EX2;

typedef union _SEC_WINNT_AUTH_IDENTITY_INFO {
    SEC_WINNT_AUTH_IDENTITY_EXW AuthIdExw;
    SEC_WINNT_AUTH_IDENTITY_EXA AuthIdExa;
    SEC_WINNT_AUTH_IDENTITY_A AuthId_a;
    SEC_WINNT_AUTH_IDENTITY_W AuthId_w;
    SEC_WINNT_AUTH_IDENTITY_EX2 AuthIdEx2;
} SEC_WINNT_AUTH_IDENTITY_INFO, *PSEC_WINNT_AUTH_IDENTITY_INFO;

typedef void *PSEC_WINNT_AUTH_IDENTITY_OPAQUE;

/* Supplies keys to AcquireCredentialsHandle; the Microsoft packages ignore it. */
typedef void(SEC_ENTRY *SEC_GET_KEY_FN)(void *Arg, void *Principal, ULONG KeyVer, void **Key,
                                        SECURITY_STATUS *Status);

/* ------------------------------------------------------------------------------------------ */
/* Context requirement and attribute flags                                                     */
/* ------------------------------------------------------------------------------------------ */

/* InitializeSecurityContext fContextReq */
#define ISC_REQ_DELEGATE 0x00000001
#define ISC_REQ_MUTUAL_AUTH 0x00000002
#define ISC_REQ_REPLAY_DETECT 0x00000004
#define ISC_REQ_SEQUENCE_DETECT 0x00000008
#define ISC_REQ_CONFIDENTIALITY 0x00000010
#define ISC_REQ_USE_SESSION_KEY 0x00000020
#define ISC_REQ_PROMPT_FOR_CREDS 0x00000040
#define ISC_REQ_USE_SUPPLIED_CREDS 0x00000080
#define ISC_REQ_ALLOCATE_MEMORY 0x00000100
#define ISC_REQ_USE_DCE_STYLE 0x00000200
#define ISC_REQ_DATAGRAM 0x00000400
#define ISC_REQ_CONNECTION 0x00000800
#define ISC_REQ_CALL_LEVEL 0x00001000
#define ISC_REQ_FRAGMENT_SUPPLIED 0x00002000
#define ISC_REQ_EXTENDED_ERROR 0x00004000
#define ISC_REQ_STREAM 0x00008000
#define ISC_REQ_INTEGRITY 0x00010000
#define ISC_REQ_IDENTIFY 0x00020000
#define ISC_REQ_NULL_SESSION 0x00040000
#define ISC_REQ_MANUAL_CRED_VALIDATION 0x00080000
#define ISC_REQ_RESERVED1 0x00100000
#define ISC_REQ_FRAGMENT_TO_FIT 0x00200000
#define ISC_REQ_FORWARD_CREDENTIALS 0x00400000
#define ISC_REQ_NO_INTEGRITY 0x00800000
#define ISC_REQ_USE_HTTP_STYLE 0x01000000
#define ISC_REQ_UNVERIFIED_TARGET_NAME 0x20000000
#define ISC_REQ_CONFIDENTIALITY_ONLY 0x40000000

/* InitializeSecurityContext *pfContextAttr */
#define ISC_RET_DELEGATE 0x00000001
#define ISC_RET_MUTUAL_AUTH 0x00000002
#define ISC_RET_REPLAY_DETECT 0x00000004
#define ISC_RET_SEQUENCE_DETECT 0x00000008
#define ISC_RET_CONFIDENTIALITY 0x00000010
#define ISC_RET_USE_SESSION_KEY 0x00000020
#define ISC_RET_USED_COLLECTED_CREDS 0x00000040
#define ISC_RET_USED_SUPPLIED_CREDS 0x00000080
#define ISC_RET_ALLOCATED_MEMORY 0x00000100
#define ISC_RET_USED_DCE_STYLE 0x00000200
#define ISC_RET_DATAGRAM 0x00000400
#define ISC_RET_CONNECTION 0x00000800
#define ISC_RET_INTERMEDIATE_RETURN 0x00001000
#define ISC_RET_CALL_LEVEL 0x00002000
#define ISC_RET_EXTENDED_ERROR 0x00004000
#define ISC_RET_STREAM 0x00008000
#define ISC_RET_INTEGRITY 0x00010000
#define ISC_RET_IDENTIFY 0x00020000
#define ISC_RET_NULL_SESSION 0x00040000
#define ISC_RET_MANUAL_CRED_VALIDATION 0x00080000
#define ISC_RET_RESERVED1 0x00100000
#define ISC_RET_FRAGMENT_ONLY 0x00200000
#define ISC_RET_FORWARD_CREDENTIALS 0x00400000
#define ISC_RET_USED_HTTP_STYLE 0x01000000
#define ISC_RET_NO_ADDITIONAL_TOKEN 0x02000000
#define ISC_RET_REAUTHENTICATION 0x08000000
#define ISC_RET_CONFIDENTIALITY_ONLY 0x40000000

/* AcceptSecurityContext fContextReq (bit positions differ from ISC above 0x2000) */
#define ASC_REQ_DELEGATE 0x00000001
#define ASC_REQ_MUTUAL_AUTH 0x00000002
#define ASC_REQ_REPLAY_DETECT 0x00000004
#define ASC_REQ_SEQUENCE_DETECT 0x00000008
#define ASC_REQ_CONFIDENTIALITY 0x00000010
#define ASC_REQ_USE_SESSION_KEY 0x00000020
#define ASC_REQ_SESSION_TICKET 0x00000040
#define ASC_REQ_ALLOCATE_MEMORY 0x00000100
#define ASC_REQ_USE_DCE_STYLE 0x00000200
#define ASC_REQ_DATAGRAM 0x00000400
#define ASC_REQ_CONNECTION 0x00000800
#define ASC_REQ_CALL_LEVEL 0x00001000
#define ASC_REQ_FRAGMENT_SUPPLIED 0x00002000
#define ASC_REQ_EXTENDED_ERROR 0x00008000
#define ASC_REQ_STREAM 0x00010000
#define ASC_REQ_INTEGRITY 0x00020000
#define ASC_REQ_LICENSING 0x00040000
#define ASC_REQ_IDENTIFY 0x00080000
#define ASC_REQ_ALLOW_NULL_SESSION 0x00100000
#define ASC_REQ_ALLOW_NON_USER_LOGONS 0x00200000
#define ASC_REQ_ALLOW_CONTEXT_REPLAY 0x00400000
#define ASC_REQ_FRAGMENT_TO_FIT 0x00800000
#define ASC_REQ_NO_TOKEN 0x01000000
#define ASC_REQ_PROXY_BINDINGS 0x04000000
#define ASC_REQ_ALLOW_MISSING_BINDINGS 0x10000000

/* AcceptSecurityContext *pfContextAttr */
#define ASC_RET_DELEGATE 0x00000001
#define ASC_RET_MUTUAL_AUTH 0x00000002
#define ASC_RET_REPLAY_DETECT 0x00000004
#define ASC_RET_SEQUENCE_DETECT 0x00000008
#define ASC_RET_CONFIDENTIALITY 0x00000010
#define ASC_RET_USE_SESSION_KEY 0x00000020
#define ASC_RET_SESSION_TICKET 0x00000040
#define ASC_RET_ALLOCATED_MEMORY 0x00000100
#define ASC_RET_USED_DCE_STYLE 0x00000200
#define ASC_RET_DATAGRAM 0x00000400
#define ASC_RET_CONNECTION 0x00000800
#define ASC_RET_CALL_LEVEL 0x00002000
#define ASC_RET_THIRD_LEG_FAILED 0x00004000
#define ASC_RET_EXTENDED_ERROR 0x00008000
#define ASC_RET_STREAM 0x00010000
#define ASC_RET_INTEGRITY 0x00020000
#define ASC_RET_LICENSING 0x00040000
#define ASC_RET_IDENTIFY 0x00080000
#define ASC_RET_NULL_SESSION 0x00100000
#define ASC_RET_ALLOW_NON_USER_LOGONS 0x00200000
#define ASC_RET_ALLOW_CONTEXT_REPLAY 0x00400000
#define ASC_RET_FRAGMENT_ONLY 0x00800000
#define ASC_RET_NO_TOKEN 0x01000000
#define ASC_RET_NO_ADDITIONAL_TOKEN 0x02000000
#define ASC_RET_NO_PROXY_BINDINGS 0x04000000
#define ASC_RET_MISSING_BINDINGS 0x10000000

/* ------------------------------------------------------------------------------------------ */
/* Context attributes: QueryContextAttributes / SetContextAttributes levels and results        */
/* ------------------------------------------------------------------------------------------ */

#define SECPKG_ATTR_SIZES 0
#define SECPKG_ATTR_NAMES 1
#define SECPKG_ATTR_LIFESPAN 2
#define SECPKG_ATTR_DCE_INFO 3
#define SECPKG_ATTR_STREAM_SIZES 4
#define SECPKG_ATTR_KEY_INFO 5
#define SECPKG_ATTR_AUTHORITY 6
#define SECPKG_ATTR_PROTO_INFO 7
#define SECPKG_ATTR_PASSWORD_EXPIRY 8
#define SECPKG_ATTR_SESSION_KEY 9
#define SECPKG_ATTR_PACKAGE_INFO 10
#define SECPKG_ATTR_USER_FLAGS 11
#define SECPKG_ATTR_NEGOTIATION_INFO 12
#define SECPKG_ATTR_NATIVE_NAMES 13
#define SECPKG_ATTR_FLAGS 14
#define SECPKG_ATTR_USE_VALIDATED 15
#define SECPKG_ATTR_CREDENTIAL_NAME 16
#define SECPKG_ATTR_TARGET_INFORMATION 17
#define SECPKG_ATTR_ACCESS_TOKEN 18
#define SECPKG_ATTR_TARGET 19
#define SECPKG_ATTR_AUTHENTICATION_ID 20
#define SECPKG_ATTR_LOGOFF_TIME 21
#define SECPKG_ATTR_NEGO_KEYS 22
#define SECPKG_ATTR_PROMPTING_NEEDED 24
#define SECPKG_ATTR_UNIQUE_BINDINGS 25
#define SECPKG_ATTR_ENDPOINT_BINDINGS 26
#define SECPKG_ATTR_CLIENT_SPECIFIED_TARGET 27
#define SECPKG_ATTR_LAST_CLIENT_TOKEN_STATUS 30
#define SECPKG_ATTR_NEGO_PKG_INFO 31
#define SECPKG_ATTR_NEGO_STATUS 32
#define SECPKG_ATTR_CONTEXT_DELETED 33
#define SECPKG_ATTR_DTLS_MTU 34
#define SECPKG_ATTR_APPLICATION_PROTOCOL 35
#define SECPKG_ATTR_SUBJECT_SECURITY_ATTRIBUTES 128
#define SECPKG_ATTR_DATAGRAM_SIZES SECPKG_ATTR_STREAM_SIZES

#define SECPKG_ATTR_NEGO_INFO_FLAG_NO_KERBEROS 0x1
#define SECPKG_ATTR_NEGO_INFO_FLAG_NO_NTLM 0x2

typedef struct _SecPkgContext_Sizes {
    ULONG cbMaxToken;
    ULONG cbMaxSignature;
    ULONG cbBlockSize;
    ULONG cbSecurityTrailer;
} SecPkgContext_Sizes, *PSecPkgContext_Sizes;

typedef struct _SecPkgContext_StreamSizes {
    ULONG cbHeader;
    ULONG cbTrailer;
    ULONG cbMaximumMessage;
    ULONG cBuffers;
    ULONG cbBlockSize;
} SecPkgContext_StreamSizes, *PSecPkgContext_StreamSizes;

typedef SecPkgContext_StreamSizes SecPkgContext_DatagramSizes;
typedef PSecPkgContext_StreamSizes PSecPkgContext_DatagramSizes;

typedef struct _SecPkgContext_NamesA {
    SEC_CHAR *sUserName;
} SecPkgContext_NamesA, *PSecPkgContext_NamesA;

typedef struct _SecPkgContext_NamesW {
    SEC_WCHAR *sUserName;
} SecPkgContext_NamesW, *PSecPkgContext_NamesW;

typedef struct _SecPkgContext_Lifespan {
    TimeStamp tsStart;
    TimeStamp tsExpiry;
} SecPkgContext_Lifespan, *PSecPkgContext_Lifespan;

typedef struct _SecPkgContext_DceInfo {
    ULONG AuthzSvc;
    void *pPac;
} SecPkgContext_DceInfo, *PSecPkgContext_DceInfo;

typedef struct _SecPkgContext_KeyInfoA {
    SEC_CHAR *sSignatureAlgorithmName;
    SEC_CHAR *sEncryptAlgorithmName;
    ULONG KeySize;
    ULONG SignatureAlgorithm;
    ULONG EncryptAlgorithm;
} SecPkgContext_KeyInfoA, *PSecPkgContext_KeyInfoA;

typedef struct _SecPkgContext_KeyInfoW {
    SEC_WCHAR *sSignatureAlgorithmName;
    SEC_WCHAR *sEncryptAlgorithmName;
    ULONG KeySize;
    ULONG SignatureAlgorithm;
    ULONG EncryptAlgorithm;
} SecPkgContext_KeyInfoW, *PSecPkgContext_KeyInfoW;

typedef struct _SecPkgContext_AuthorityA {
    SEC_CHAR *sAuthorityName;
} SecPkgContext_AuthorityA, *PSecPkgContext_AuthorityA;

typedef struct _SecPkgContext_AuthorityW {
    SEC_WCHAR *sAuthorityName;
} SecPkgContext_AuthorityW, *PSecPkgContext_AuthorityW;

typedef struct _SecPkgContext_ProtoInfoA {
    SEC_CHAR *sProtocolName;
    ULONG majorVersion;
    ULONG minorVersion;
} SecPkgContext_ProtoInfoA, *PSecPkgContext_ProtoInfoA;

typedef struct _SecPkgContext_ProtoInfoW {
    SEC_WCHAR *sProtocolName;
    ULONG majorVersion;
    ULONG minorVersion;
} SecPkgContext_ProtoInfoW, *PSecPkgContext_ProtoInfoW;

typedef struct _SecPkgContext_PasswordExpiry {
    TimeStamp tsPasswordExpires;
} SecPkgContext_PasswordExpiry, *PSecPkgContext_PasswordExpiry;

typedef struct _SecPkgContext_LogoffTime {
    TimeStamp tsLogoffTime;
} SecPkgContext_LogoffTime, *PSecPkgContext_LogoffTime;

typedef struct _SecPkgContext_SessionKey {
    ULONG SessionKeyLength;
    unsigned char *SessionKey;
} SecPkgContext_SessionKey, *PSecPkgContext_SessionKey;

typedef struct _SecPkgContext_NegoKeys {
    ULONG KeyType;
    USHORT KeyLength;
    unsigned char *KeyValue;
    ULONG VerifyKeyType;
    USHORT VerifyKeyLength;
    unsigned char *VerifyKeyValue;
} SecPkgContext_NegoKeys, *PSecPkgContext_NegoKeys;

typedef struct _SecPkgContext_PackageInfoA {
    PSecPkgInfoA PackageInfo;
} SecPkgContext_PackageInfoA, *PSecPkgContext_PackageInfoA;

typedef struct _SecPkgContext_PackageInfoW {
    PSecPkgInfoW PackageInfo;
} SecPkgContext_PackageInfoW, *PSecPkgContext_PackageInfoW;

typedef struct _SecPkgContext_UserFlags {
    ULONG UserFlags;
} SecPkgContext_UserFlags, *PSecPkgContext_UserFlags;

typedef struct _SecPkgContext_Flags {
    ULONG Flags;
} SecPkgContext_Flags, *PSecPkgContext_Flags;

typedef struct _SecPkgContext_NegotiationInfoA {
    PSecPkgInfoA PackageInfo;
    ULONG NegotiationState;
} SecPkgContext_NegotiationInfoA, *PSecPkgContext_NegotiationInfoA;

typedef struct _SecPkgContext_NegotiationInfoW {
    PSecPkgInfoW PackageInfo;
    ULONG NegotiationState;
} SecPkgContext_NegotiationInfoW, *PSecPkgContext_NegotiationInfoW;

/* SecPkgContext_NegotiationInfo.NegotiationState */
#define SECPKG_NEGOTIATION_COMPLETE 0
#define SECPKG_NEGOTIATION_OPTIMISTIC 1
#define SECPKG_NEGOTIATION_IN_PROGRESS 2
#define SECPKG_NEGOTIATION_DIRECT 3
#define SECPKG_NEGOTIATION_TRY_MULTICRED 4

typedef struct _SecPkgContext_NativeNamesA {
    SEC_CHAR *sClientName;
    SEC_CHAR *sServerName;
} SecPkgContext_NativeNamesA, *PSecPkgContext_NativeNamesA;

typedef struct _SecPkgContext_NativeNamesW {
    SEC_WCHAR *sClientName;
    SEC_WCHAR *sServerName;
} SecPkgContext_NativeNamesW, *PSecPkgContext_NativeNamesW;

typedef struct _SecPkgContext_CredentialNameA {
    ULONG CredentialType;
    SEC_CHAR *sCredentialName;
} SecPkgContext_CredentialNameA, *PSecPkgContext_CredentialNameA;

typedef struct _SecPkgContext_CredentialNameW {
    ULONG CredentialType;
    SEC_WCHAR *sCredentialName;
} SecPkgContext_CredentialNameW, *PSecPkgContext_CredentialNameW;

typedef struct _SecPkgContext_AccessToken {
    void *AccessToken;
} SecPkgContext_AccessToken, *PSecPkgContext_AccessToken;

typedef struct _SecPkgContext_TargetInformation {
    ULONG MarshalledTargetInfoLength;
    unsigned char *MarshalledTargetInfo;
} SecPkgContext_TargetInformation, *PSecPkgContext_TargetInformation;

typedef struct _SecPkgContext_AuthzID {
    ULONG AuthzIDLength;
    char *AuthzID;
} SecPkgContext_AuthzID, *PSecPkgContext_AuthzID;

typedef struct _SecPkgContext_Target {
    ULONG TargetLength;
    char *Target;
} SecPkgContext_Target, *PSecPkgContext_Target;

typedef struct _SecPkgContext_ClientSpecifiedTarget {
    SEC_WCHAR *sTargetName;
} SecPkgContext_ClientSpecifiedTarget, *PSecPkgContext_ClientSpecifiedTarget;

typedef struct _SecPkgContext_Bindings {
    ULONG BindingsLength;
    SEC_CHANNEL_BINDINGS *Bindings;
} SecPkgContext_Bindings, *PSecPkgContext_Bindings;

typedef struct _SecPkgContext_NegoPackageInfo {
    ULONG PackageMask;
} SecPkgContext_NegoPackageInfo, *PSecPkgContext_NegoPackageInfo;

typedef struct _SecPkgContext_NegoStatus {
    ULONG LastStatus;
} SecPkgContext_NegoStatus, *PSecPkgContext_NegoStatus;

typedef struct _SecPkgContext_SubjectAttributes {
    void *AttributeInfo;
} SecPkgContext_SubjectAttributes, *PSecPkgContext_SubjectAttributes;

/* ------------------------------------------------------------------------------------------ */
/* Message protection and context export                                                       */
/* ------------------------------------------------------------------------------------------ */

/* EncryptMessage fQOP / DecryptMessage *pfQOP */
#define SECQOP_WRAP_NO_ENCRYPT 0x80000001
#define SECQOP_WRAP_OOB_DATA 0x40000000
#define KERB_WRAP_NO_ENCRYPT 0x80000001

/* ExportSecurityContext fFlags */
#define SECPKG_CONTEXT_EXPORT_RESET_NEW 0x00000001
#define SECPKG_CONTEXT_EXPORT_DELETE_OLD 0x00000002
#define SECPKG_CONTEXT_EXPORT_TO_KERNEL 0x00000004

/* ------------------------------------------------------------------------------------------ */
/* Function pointer types, in dispatch-table order                                             */
/* ------------------------------------------------------------------------------------------ */

typedef SECURITY_STATUS(SEC_ENTRY *ENUMERATE_SECURITY_PACKAGES_FN_A)(ULONG *, PSecPkgInfoA *);
typedef SECURITY_STATUS(SEC_ENTRY *ENUMERATE_SECURITY_PACKAGES_FN_W)(ULONG *, PSecPkgInfoW *);

typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_FN_A)(PCredHandle, ULONG, void *);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_FN_W)(PCredHandle, ULONG, void *);

typedef SECURITY_STATUS(SEC_ENTRY *ACQUIRE_CREDENTIALS_HANDLE_FN_A)(SEC_CHAR *, SEC_CHAR *, ULONG,
                                                                    void *, void *, SEC_GET_KEY_FN,
                                                                    void *, PCredHandle,
                                                                    PTimeStamp);
typedef SECURITY_STATUS(SEC_ENTRY *ACQUIRE_CREDENTIALS_HANDLE_FN_W)(SEC_WCHAR *, SEC_WCHAR *, ULONG,
                                                                    void *, void *, SEC_GET_KEY_FN,
                                                                    void *, PCredHandle,
                                                                    PTimeStamp);

typedef SECURITY_STATUS(SEC_ENTRY *FREE_CREDENTIALS_HANDLE_FN)(PCredHandle);

typedef SECURITY_STATUS(SEC_ENTRY *INITIALIZE_SECURITY_CONTEXT_FN_A)(PCredHandle, PCtxtHandle,
                                                                     SEC_CHAR *, ULONG, ULONG,
                                                                     ULONG, PSecBufferDesc, ULONG,
                                                                     PCtxtHandle, PSecBufferDesc,
                                                                     ULONG *, PTimeStamp);
typedef SECURITY_STATUS(SEC_ENTRY *INITIALIZE_SECURITY_CONTEXT_FN_W)(PCredHandle, PCtxtHandle,
                                                                     SEC_WCHAR *, ULONG, ULONG,
                                                                     ULONG, PSecBufferDesc, ULONG,
                                                                     PCtxtHandle, PSecBufferDesc,
                                                                     ULONG *, PTimeStamp);

typedef SECURITY_STATUS(SEC_ENTRY *ACCEPT_SECURITY_CONTEXT_FN)(PCredHandle, PCtxtHandle,
                                                               PSecBufferDesc, ULONG, ULONG,
                                                               PCtxtHandle, PSecBufferDesc, ULONG *,
                                                               PTimeStamp);

typedef SECURITY_STATUS(SEC_ENTRY *COMPLETE_AUTH_TOKEN_FN)(PCtxtHandle, PSecBufferDesc);
typedef SECURITY_STATUS(SEC_ENTRY *DELETE_SECURITY_CONTEXT_FN)(PCtxtHandle);
typedef SECURITY_STATUS(SEC_ENTRY *APPLY_CONTROL_TOKEN_FN)(PCtxtHandle, PSecBufferDesc);

typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_FN_A)(PCtxtHandle, ULONG, void *);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_FN_W)(PCtxtHandle, ULONG, void *);

typedef SECURITY_STATUS(SEC_ENTRY *IMPERSONATE_SECURITY_CONTEXT_FN)(PCtxtHandle);
typedef SECURITY_STATUS(SEC_ENTRY *REVERT_SECURITY_CONTEXT_FN)(PCtxtHandle);

typedef SECURITY_STATUS(SEC_ENTRY *MAKE_SIGNATURE_FN)(PCtxtHandle, ULONG, PSecBufferDesc, ULONG);
typedef SECURITY_STATUS(SEC_ENTRY *VERIFY_SIGNATURE_FN)(PCtxtHandle, PSecBufferDesc, ULONG,
                                                        ULONG *);

typedef SECURITY_STATUS(SEC_ENTRY *FREE_CONTEXT_BUFFER_FN)(void *);

typedef SECURITY_STATUS(SEC_ENTRY *QUERY_SECURITY_PACKAGE_INFO_FN_A)(SEC_CHAR *, PSecPkgInfoA *);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_SECURITY_PACKAGE_INFO_FN_W)(SEC_WCHAR *, PSecPkgInfoW *);

typedef SECURITY_STATUS(SEC_ENTRY *EXPORT_SECURITY_CONTEXT_FN)(PCtxtHandle, ULONG, PSecBuffer,
                                                               void **);

typedef SECURITY_STATUS(SEC_ENTRY *IMPORT_SECURITY_CONTEXT_FN_A)(SEC_CHAR *, PSecBuffer, void *,
                                                                 PCtxtHandle);
typedef SECURITY_STATUS(SEC_ENTRY *IMPORT_SECURITY_CONTEXT_FN_W)(SEC_WCHAR *, PSecBuffer, void *,
                                                                 PCtxtHandle);

typedef SECURITY_STATUS(SEC_ENTRY *ADD_CREDENTIALS_FN_A)(PCredHandle, SEC_CHAR *, SEC_CHAR *, ULONG,
                                                         void *, SEC_GET_KEY_FN, void *,
                                                         PTimeStamp);
typedef SECURITY_STATUS(SEC_ENTRY *ADD_CREDENTIALS_FN_W)(PCredHandle, SEC_WCHAR *, SEC_WCHAR *,
                                                         ULONG, void *, SEC_GET_KEY_FN, void *,
                                                         PTimeStamp);

typedef SECURITY_STATUS(SEC_ENTRY *QUERY_SECURITY_CONTEXT_TOKEN_FN)(PCtxtHandle, void **);

typedef SECURITY_STATUS(SEC_ENTRY *ENCRYPT_MESSAGE_FN)(PCtxtHandle, ULONG, PSecBufferDesc, ULONG);
typedef SECURITY_STATUS(SEC_ENTRY *DECRYPT_MESSAGE_FN)(PCtxtHandle, PSecBufferDesc, ULONG, ULONG *);

typedef SECURITY_STATUS(SEC_ENTRY *SET_CONTEXT_ATTRIBUTES_FN_A)(PCtxtHandle, ULONG, void *, ULONG);
typedef SECURITY_STATUS(SEC_ENTRY *SET_CONTEXT_ATTRIBUTES_FN_W)(PCtxtHandle, ULONG, void *, ULONG);

typedef SECURITY_STATUS(SEC_ENTRY *SET_CREDENTIALS_ATTRIBUTES_FN_A)(PCredHandle, ULONG, void *,
                                                                    ULONG);
typedef SECURITY_STATUS(SEC_ENTRY *SET_CREDENTIALS_ATTRIBUTES_FN_W)(PCredHandle, ULONG, void *,
                                                                    ULONG);

typedef SECURITY_STATUS(SEC_ENTRY *CHANGE_PASSWORD_FN_A)(SEC_CHAR *, SEC_CHAR *, SEC_CHAR *,
                                                         SEC_CHAR *, SEC_CHAR *, BOOLEAN, ULONG,
                                                         PSecBufferDesc);
typedef SECURITY_STATUS(SEC_ENTRY *CHANGE_PASSWORD_FN_W)(SEC_WCHAR *, SEC_WCHAR *, SEC_WCHAR *,
                                                         SEC_WCHAR *, SEC_WCHAR *, BOOLEAN, ULONG,
                                                         PSecBufferDesc);

typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_EX_FN_A)(PCtxtHandle, ULONG, void *,
                                                                     ULONG);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_EX_FN_W)(PCtxtHandle, ULONG, void *,
                                                                     ULONG);

typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_A)(PCredHandle, ULONG, void *,
                                                                         ULONG);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_W)(PCredHandle, ULONG, void *,
                                                                         ULONG);

/* ------------------------------------------------------------------------------------------ */
/* The dispatch table returned by InitSecurityInterface (32 pointer-sized slots)               */
/* ------------------------------------------------------------------------------------------ */

/* dwVersion values; version 1 ends at DecryptMessage, version 2 adds SetContextAttributes. */
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION 1
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_2 2
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_3 3
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4 4
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_5 5

/* Windows spells the A table's slot FreeCredentialHandle; both spellings name one slot. */
#define FreeCredentialHandle FreeCredentialsHandle

typedef struct _SECURITY_FUNCTION_TABLE_A {
    ULONG dwVersion;
    ENUMERATE_SECURITY_PACKAGES_FN_A EnumerateSecurityPackagesA;
    QUERY_CREDENTIALS_ATTRIBUTES_FN_A QueryCredentialsAttributesA;
    ACQUIRE_CREDENTIALS_HANDLE_FN_A AcquireCredentialsHandleA;
    FREE_CREDENTIALS_HANDLE_FN FreeCredentialHandle;
    void *Reserved2;
    INITIALIZE_SECURITY_CONTEXT_FN_A InitializeSecurityContextA;
    ACCEPT_SECURITY_CONTEXT_FN AcceptSecurityContext;
    COMPLETE_AUTH_TOKEN_FN CompleteAuthToken;
    DELETE_SECURITY_CONTEXT_FN DeleteSecurityContext;
    APPLY_CONTROL_TOKEN_FN ApplyControlToken;
    QUERY_CONTEXT_ATTRIBUTES_FN_A QueryContextAttributesA;
    IMPERSONATE_SECURITY_CONTEXT_FN ImpersonateSecurityContext;
    REVERT_SECURITY_CONTEXT_FN RevertSecurityContext;
    MAKE_SIGNATURE_FN MakeSignature;
    VERIFY_SIGNATURE_FN VerifySignature;
    FREE_CONTEXT_BUFFER_FN FreeContextBuffer;
    QUERY_SECURITY_PACKAGE_INFO_FN_A QuerySecurityPackageInfoA;
    void *Reserved3; /* EncryptMessage in practice */
    void *Reserved4; /* DecryptMessage in practice */
    EXPORT_SECURITY_CONTEXT_FN ExportSecurityContext;
    IMPORT_SECURITY_CONTEXT_FN_A ImportSecurityContextA;
    ADD_CREDENTIALS_FN_A AddCredentialsA;
    void *Reserved8;
    QUERY_SECURITY_CONTEXT_TOKEN_FN QuerySecurityContextToken;
    ENCRYPT_MESSAGE_FN EncryptMessage;
    DECRYPT_MESSAGE_FN DecryptMessage;
    SET_CONTEXT_ATTRIBUTES_FN_A SetContextAttributesA;
    SET_CREDENTIALS_ATTRIBUTES_FN_A SetCredentialsAttributesA;
    CHANGE_PASSWORD_FN_A ChangeAccountPasswordA; /* Reserved9 in kernel mode */
    QUERY_CONTEXT_ATTRIBUTES_EX_FN_A QueryContextAttributesExA;
    QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_A QueryCredentialsAttributesExA;
} SecurityFunctionTableA, *PSecurityFunctionTableA;

typedef struct _SECURITY_FUNCTION_TABLE_W {
    ULONG dwVersion;
    ENUMERATE_SECURITY_PACKAGES_FN_W EnumerateSecurityPackagesW;
    QUERY_CREDENTIALS_ATTRIBUTES_FN_W QueryCredentialsAttributesW;
    ACQUIRE_CREDENTIALS_HANDLE_FN_W AcquireCredentialsHandleW;
    FREE_CREDENTIALS_HANDLE_FN FreeCredentialsHandle;
    void *Reserved2;
    INITIALIZE_SECURITY_CONTEXT_FN_W InitializeSecurityContextW;
    ACCEPT_SECURITY_CONTEXT_FN AcceptSecurityContext;
    COMPLETE_AUTH_TOKEN_FN CompleteAuthToken;
    DELETE_SECURITY_CONTEXT_FN DeleteSecurityContext;
    APPLY_CONTROL_TOKEN_FN ApplyControlToken;
    QUERY_CONTEXT_ATTRIBUTES_FN_W QueryContextAttributesW;
    IMPERSONATE_SECURITY_CONTEXT_FN ImpersonateSecurityContext;
    REVERT_SECURITY_CONTEXT_FN RevertSecurityContext;
    MAKE_SIGNATURE_FN MakeSignature;
    VERIFY_SIGNATURE_FN VerifySignature;
    FREE_CONTEXT_BUFFER_FN FreeContextBuffer;
    QUERY_SECURITY_PACKAGE_INFO_FN_W QuerySecurityPackageInfoW;
    void *Reserved3; /* EncryptMessage in practice */
    void *Reserved4; /* DecryptMessage in practice */
    EXPORT_SECURITY_CONTEXT_FN ExportSecurityContext;
    IMPORT_SECURITY_CONTEXT_FN_W ImportSecurityContextW;
    ADD_CREDENTIALS_FN_W AddCredentialsW;
    void *Reserved8;
    QUERY_SECURITY_CONTEXT_TOKEN_FN QuerySecurityContextToken;
    ENCRYPT_MESSAGE_FN EncryptMessage;
    DECRYPT_MESSAGE_FN DecryptMessage;
    SET_CONTEXT_ATTRIBUTES_FN_W SetContextAttributesW;
    SET_CREDENTIALS_ATTRIBUTES_FN_W SetCredentialsAttributesW;
    CHANGE_PASSWORD_FN_W ChangeAccountPasswordW; /* Reserved9 in kernel mode */
    QUERY_CONTEXT_ATTRIBUTES_EX_FN_W QueryContextAttributesExW;
    QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_W QueryCredentialsAttributesExW;
} SecurityFunctionTableW, *PSecurityFunctionTableW;

typedef PSecurityFunctionTableA(SEC_ENTRY *INIT_SECURITY_INTERFACE_A)(void);
typedef PSecurityFunctionTableW(SEC_ENTRY *INIT_SECURITY_INTERFACE_W)(void);

/* Symbol names for dlsym(); Windows passes these to GetProcAddress. */
#define SECURITY_ENTRYPOINT_ANSIA "InitSecurityInterfaceA"
#define SECURITY_ENTRYPOINT_ANSIW "InitSecurityInterfaceW"

/* ------------------------------------------------------------------------------------------ */
/* Entry points exported by libsspi                                                            */
/* ------------------------------------------------------------------------------------------ */

/* Packages */
SSPI_API SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesA(ULONG *pcPackages,
                                                              PSecPkgInfoA *ppPackageInfo);
SSPI_API SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesW(ULONG *pcPackages,
                                                              PSecPkgInfoW *ppPackageInfo);
SSPI_API SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoA(LPSTR pszPackageName,
                                                             PSecPkgInfoA *ppPackageInfo);
SSPI_API SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(LPWSTR pszPackageName,
                                                             PSecPkgInfoW *ppPackageInfo);
SSPI_API SECURITY_STATUS SEC_ENTRY FreeContextBuffer(void *pvContextBuffer);

SSPI_API PSecurityFunctionTableA SEC_ENTRY InitSecurityInterfaceA(void);
SSPI_API PSecurityFunctionTableW SEC_ENTRY InitSecurityInterfaceW(void);

/* Credentials */
SSPI_API SECURITY_STATUS SEC_ENTRY
AcquireCredentialsHandleA(LPSTR pszPrincipal, LPSTR pszPackage, ULONG fCredentialUse,
                          void *pvLogonId, void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                          void *pvGetKeyArgument, PCredHandle phCredential, PTimeStamp ptsExpiry);
SSPI_API SECURITY_STATUS SEC_ENTRY
AcquireCredentialsHandleW(LPWSTR pszPrincipal, LPWSTR pszPackage, ULONG fCredentialUse,
                          void *pvLogonId, void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                          void *pvGetKeyArgument, PCredHandle phCredential, PTimeStamp ptsExpiry);
SSPI_API SECURITY_STATUS SEC_ENTRY FreeCredentialsHandle(PCredHandle phCredential);
SSPI_API SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesA(PCredHandle phCredential,
                                                               ULONG ulAttribute, void *pBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesW(PCredHandle phCredential,
                                                               ULONG ulAttribute, void *pBuffer);

/* Context establishment */
SSPI_API SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(
    PCredHandle phCredential, PCtxtHandle phContext, SEC_CHAR *pszTargetName, ULONG fContextReq,
    ULONG Reserved1, ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2,
    PCtxtHandle phNewContext, PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry);
SSPI_API SECURITY_STATUS SEC_ENTRY InitializeSecurityContextW(
    PCredHandle phCredential, PCtxtHandle phContext, SEC_WCHAR *pszTargetName, ULONG fContextReq,
    ULONG Reserved1, ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2,
    PCtxtHandle phNewContext, PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry);
SSPI_API SECURITY_STATUS SEC_ENTRY
AcceptSecurityContext(PCredHandle phCredential, PCtxtHandle phContext, PSecBufferDesc pInput,
                      ULONG fContextReq, ULONG TargetDataRep, PCtxtHandle phNewContext,
                      PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry);
SSPI_API SECURITY_STATUS SEC_ENTRY CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken);
SSPI_API SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput);
SSPI_API SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext);

/* Context attributes and identity */
SSPI_API SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute,
                                                           void *pBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute,
                                                           void *pBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY SetContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute,
                                                         void *pBuffer, ULONG cbBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY SetContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute,
                                                         void *pBuffer, ULONG cbBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY QuerySecurityContextToken(PCtxtHandle phContext, void **Token);
SSPI_API SECURITY_STATUS SEC_ENTRY ImpersonateSecurityContext(PCtxtHandle phContext);
SSPI_API SECURITY_STATUS SEC_ENTRY RevertSecurityContext(PCtxtHandle phContext);

/* Message protection */
SSPI_API SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, ULONG fQOP,
                                                 PSecBufferDesc pMessage, ULONG MessageSeqNo);
SSPI_API SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext, PSecBufferDesc pMessage,
                                                   ULONG MessageSeqNo, ULONG *pfQOP);
SSPI_API SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, ULONG fQOP,
                                                  PSecBufferDesc pMessage, ULONG MessageSeqNo);
SSPI_API SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage,
                                                  ULONG MessageSeqNo, ULONG *pfQOP);

/* Context transfer */
SSPI_API SECURITY_STATUS SEC_ENTRY ExportSecurityContext(PCtxtHandle phContext, ULONG fFlags,
                                                         PSecBuffer pPackedContext, void **pToken);
SSPI_API SECURITY_STATUS SEC_ENTRY ImportSecurityContextA(LPSTR pszPackage,
                                                          PSecBuffer pPackedContext, void *Token,
                                                          PCtxtHandle phContext);
SSPI_API SECURITY_STATUS SEC_ENTRY ImportSecurityContextW(LPWSTR pszPackage,
                                                          PSecBuffer pPackedContext, void *Token,
                                                          PCtxtHandle phContext);

/* Authentication identities as opaque blocks (sspi.h on Windows, since Windows 7) */
SSPI_API SECURITY_STATUS SEC_ENTRY SspiEncodeStringsAsAuthIdentity(
    PCWSTR pszUserName, PCWSTR pszDomainName, PCWSTR pszPackedCredentialsString,
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE *ppAuthIdentity);
SSPI_API SECURITY_STATUS SEC_ENTRY
SspiEncodeAuthIdentityAsStrings(PSEC_WINNT_AUTH_IDENTITY_OPAQUE pAuthIdentity, PCWSTR *ppszUserName,
                                PCWSTR *ppszDomainName, PCWSTR *ppszPackedCredentialsString);
SSPI_API VOID SEC_ENTRY SspiFreeAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData);
SSPI_API VOID SEC_ENTRY SspiZeroAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData);

/*
 * AddCredentials, SetCredentialsAttributes, ChangeAccountPassword, QueryContextAttributesEx and
 * QueryCredentialsAttributesEx have table slots and pointer types above but no prototypes:
 * libsspi does not export them, so code calling them fails at compile time, not at link time.
 */

/* ------------------------------------------------------------------------------------------ */
/* Unsuffixed names: W when UNICODE is defined, A otherwise                                    */
/* ------------------------------------------------------------------------------------------ */

#define SecPkgInfo SSPI_NAME_AW(SecPkgInfo)
#define PSecPkgInfo SSPI_NAME_AW(PSecPkgInfo)
#define SecPkgCredentials_Names SSPI_NAME_AW(SecPkgCredentials_Names)
#define PSecPkgCredentials_Names SSPI_NAME_AW(PSecPkgCredentials_Names)
#define SEC_WINNT_AUTH_IDENTITY SSPI_NAME_AW(SEC_WINNT_AUTH_IDENTITY_)
#define PSEC_WINNT_AUTH_IDENTITY SSPI_NAME_AW(PSEC_WINNT_AUTH_IDENTITY_)
#define _SEC_WINNT_AUTH_IDENTITY SSPI_NAME_AW(_SEC_WINNT_AUTH_IDENTITY_)
#define SEC_WINNT_AUTH_IDENTITY_EX SSPI_NAME_AW(SEC_WINNT_AUTH_IDENTITY_EX)
#define PSEC_WINNT_AUTH_IDENTITY_EX SSPI_NAME_AW(PSEC_WINNT_AUTH_IDENTITY_EX)

#define SecPkgContext_Names SSPI_NAME_AW(SecPkgContext_Names)
#define PSecPkgContext_Names SSPI_NAME_AW(PSecPkgContext_Names)
#define SecPkgContext_KeyInfo SSPI_NAME_AW(SecPkgContext_KeyInfo)
#define PSecPkgContext_KeyInfo SSPI_NAME_AW(PSecPkgContext_KeyInfo)
#define SecPkgContext_Authority SSPI_NAME_AW(SecPkgContext_Authority)
#define PSecPkgContext_Authority SSPI_NAME_AW(PSecPkgContext_Authority)
#define SecPkgContext_ProtoInfo SSPI_NAME_AW(SecPkgContext_ProtoInfo)
#define PSecPkgContext_ProtoInfo SSPI_NAME_AW(PSecPkgContext_ProtoInfo)
#define SecPkgContext_PackageInfo SSPI_NAME_AW(SecPkgContext_PackageInfo)
#define PSecPkgContext_PackageInfo SSPI_NAME_AW(PSecPkgContext_PackageInfo)
#define SecPkgContext_NegotiationInfo SSPI_NAME_AW(SecPkgContext_NegotiationInfo)
#define PSecPkgContext_NegotiationInfo SSPI_NAME_AW(PSecPkgContext_NegotiationInfo)
#define SecPkgContext_NativeNames SSPI_NAME_AW(SecPkgContext_NativeNames)
#define PSecPkgContext_NativeNames SSPI_NAME_AW(PSecPkgContext_NativeNames)
#define SecPkgContext_CredentialName SSPI_NAME_AW(SecPkgContext_CredentialName)
#define PSecPkgContext_CredentialName SSPI_NAME_AW(PSecPkgContext_CredentialName)

#define SecurityFunctionTable SSPI_NAME_AW(SecurityFunctionTable)
#define PSecurityFunctionTable SSPI_NAME_AW(PSecurityFunctionTable)
#define INIT_SECURITY_INTERFACE SSPI_NAME_AW(INIT_SECURITY_INTERFACE_)
#define SECURITY_ENTRYPOINT_ANSI SSPI_NAME_AW(SECURITY_ENTRYPOINT_ANSI)
#define NEGOSSP_NAME SSPI_NAME_AW(NEGOSSP_NAME_)

#define ENUMERATE_SECURITY_PACKAGES_FN SSPI_NAME_AW(ENUMERATE_SECURITY_PACKAGES_FN_)
#define QUERY_CREDENTIALS_ATTRIBUTES_FN SSPI_NAME_AW(QUERY_CREDENTIALS_ATTRIBUTES_FN_)
#define ACQUIRE_CREDENTIALS_HANDLE_FN SSPI_NAME_AW(ACQUIRE_CREDENTIALS_HANDLE_FN_)
#define INITIALIZE_SECURITY_CONTEXT_FN SSPI_NAME_AW(INITIALIZE_SECURITY_CONTEXT_FN_)
#define QUERY_CONTEXT_ATTRIBUTES_FN SSPI_NAME_AW(QUERY_CONTEXT_ATTRIBUTES_FN_)
#define QUERY_SECURITY_PACKAGE_INFO_FN SSPI_NAME_AW(QUERY_SECURITY_PACKAGE_INFO_FN_)
#define IMPORT_SECURITY_CONTEXT_FN SSPI_NAME_AW(IMPORT_SECURITY_CONTEXT_FN_)
#define ADD_CREDENTIALS_FN SSPI_NAME_AW(ADD_CREDENTIALS_FN_)
#define SET_CONTEXT_ATTRIBUTES_FN SSPI_NAME_AW(SET_CONTEXT_ATTRIBUTES_FN_)
#define SET_CREDENTIALS_ATTRIBUTES_FN SSPI_NAME_AW(SET_CREDENTIALS_ATTRIBUTES_FN_)
#define CHANGE_PASSWORD_FN SSPI_NAME_AW(CHANGE_PASSWORD_FN_)
#define QUERY_CONTEXT_ATTRIBUTES_EX_FN SSPI_NAME_AW(QUERY_CONTEXT_ATTRIBUTES_EX_FN_)
#define QUERY_CREDENTIALS_ATTRIBUTES_EX_FN SSPI_NAME_AW(QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_)

#define EnumerateSecurityPackages SSPI_NAME_AW(EnumerateSecurityPackages)
#define QuerySecurityPackageInfo SSPI_NAME_AW(QuerySecurityPackageInfo)
#define InitSecurityInterface SSPI_NAME_AW(InitSecurityInterface)
#define AcquireCredentialsHandle SSPI_NAME_AW(AcquireCredentialsHandle)
#define QueryCredentialsAttributes SSPI_NAME_AW(QueryCredentialsAttributes)
#define InitializeSecurityContext SSPI_NAME_AW(InitializeSecurityContext)
#define QueryContextAttributes SSPI_NAME_AW(QueryContextAttributes)
#define SetContextAttributes SSPI_NAME_AW(SetContextAttributes)
#define ImportSecurityContext SSPI_NAME_AW(ImportSecurityContext)

#ifdef __cplusplus
}
#endif

/* GetUserNameEx and GetComputerObjectName, which Windows programs get with security.h. */
#include "secext.h"
/* The access-token and SID API a server authorizes with after AcceptSecurityContext. */
#include "sspi_token.h"

#endif /* SSPIGSS_SSPI_H */
