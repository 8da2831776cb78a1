/*
 * sspigss: the Windows access-token and SID API (winnt.h, securitybaseapi.h, sddl.h, handleapi.h
 * and winbase.h on Windows) over the token QuerySecurityContextToken returns, so that server
 * code ported from Windows authorizes as it did there: GetTokenInformation, CheckTokenMembership,
 * the SID helpers, ConvertSidToStringSid / ConvertStringSidToSid, LocalFree and CloseHandle.
 * Names, values and structure layouts are Windows' (LP64 pointers). Failures are a FALSE return
 * and GetLastError (sspi_lasterror.h). Included by sspi.h.
 *
 * What a token holds (libsspi(3), TOKEN CONTENTS): the user SID, the primary group SID and the
 * group SIDs of the logon, from a Kerberos ticket's PAC (verified by MIT krb5), from the domain
 * controller through winbind (NTLM), or for a local account the unix-user and unix-group SIDs
 * S-1-22-1-uid and S-1-22-2-gid; every token also has the well-known groups of a network logon
 * (Everyone, NETWORK, Authenticated Users).
 */
#ifndef SSPIGSS_SSPI_TOKEN_H
#define SSPIGSS_SSPI_TOKEN_H

#include "sspi.h"
#include "sspi_lasterror.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Base types (windef.h, winnt.h)                                                              */
/* ------------------------------------------------------------------------------------------ */

typedef int BOOL, *PBOOL, *LPBOOL;
typedef uint8_t BYTE, *PBYTE, *LPBYTE;
typedef void *LPVOID;
typedef HANDLE HLOCAL;
typedef void *PSID;

#ifndef FALSE
#define FALSE 0
#endif
#ifndef TRUE
#define TRUE 1
#endif

#define ANYSIZE_ARRAY 1

typedef struct _LUID {
    DWORD LowPart;
    LONG HighPart;
} LUID, *PLUID;

/* ------------------------------------------------------------------------------------------ */
/* SIDs                                                                                        */
/* ------------------------------------------------------------------------------------------ */

typedef struct _SID_IDENTIFIER_AUTHORITY {
    BYTE Value[6];
} SID_IDENTIFIER_AUTHORITY, *PSID_IDENTIFIER_AUTHORITY;

typedef struct _SID {
    BYTE Revision;
    BYTE SubAuthorityCount;
    SID_IDENTIFIER_AUTHORITY IdentifierAuthority;
    DWORD SubAuthority[ANYSIZE_ARRAY];
} SID, *PISID;

#define SID_REVISION 1
#define SID_MAX_SUB_AUTHORITIES 15
#define SID_RECOMMENDED_SUB_AUTHORITIES 1
#define SECURITY_MAX_SID_SIZE                                                                      \
    (sizeof(SID) - sizeof(DWORD) + SID_MAX_SUB_AUTHORITIES * sizeof(DWORD))

#define SECURITY_NULL_SID_AUTHORITY                                                                \
    {                                                                                              \
        {                                                                                          \
            0, 0, 0, 0, 0, 0                                                                       \
        }                                                                                          \
    }
#define SECURITY_WORLD_SID_AUTHORITY                                                               \
    {                                                                                              \
        {                                                                                          \
            0, 0, 0, 0, 0, 1                                                                       \
        }                                                                                          \
    }
#define SECURITY_LOCAL_SID_AUTHORITY                                                               \
    {                                                                                              \
        {                                                                                          \
            0, 0, 0, 0, 0, 2                                                                       \
        }                                                                                          \
    }
#define SECURITY_CREATOR_SID_AUTHORITY                                                             \
    {                                                                                              \
        {                                                                                          \
            0, 0, 0, 0, 0, 3                                                                       \
        }                                                                                          \
    }
#define SECURITY_NT_AUTHORITY                                                                      \
    {                                                                                              \
        {                                                                                          \
            0, 0, 0, 0, 0, 5                                                                       \
        }                                                                                          \
    }

#define SECURITY_WORLD_RID 0x00000000L
#define SECURITY_NETWORK_RID 0x00000002L
#define SECURITY_AUTHENTICATED_USER_RID 0x0000000BL
#define SECURITY_LOCAL_SYSTEM_RID 0x00000012L
#define SECURITY_NT_NON_UNIQUE 0x00000015L
#define SECURITY_BUILTIN_DOMAIN_RID 0x00000020L

#define DOMAIN_USER_RID_ADMIN 0x000001F4L
#define DOMAIN_USER_RID_GUEST 0x000001F5L
#define DOMAIN_GROUP_RID_ADMINS 0x00000200L
#define DOMAIN_GROUP_RID_USERS 0x00000201L
#define DOMAIN_GROUP_RID_GUESTS 0x00000202L
#define DOMAIN_ALIAS_RID_ADMINS 0x00000220L
#define DOMAIN_ALIAS_RID_USERS 0x00000221L

/* ------------------------------------------------------------------------------------------ */
/* Token information (winnt.h)                                                                 */
/* ------------------------------------------------------------------------------------------ */

#define SE_GROUP_MANDATORY 0x00000001L
#define SE_GROUP_ENABLED_BY_DEFAULT 0x00000002L
#define SE_GROUP_ENABLED 0x00000004L
#define SE_GROUP_OWNER 0x00000008L
#define SE_GROUP_USE_FOR_DENY_ONLY 0x00000010L
#define SE_GROUP_INTEGRITY 0x00000020L
#define SE_GROUP_INTEGRITY_ENABLED 0x00000040L
#define SE_GROUP_LOGON_ID 0xC0000000L
#define SE_GROUP_RESOURCE 0x20000000L

typedef enum _TOKEN_INFORMATION_CLASS {
    TokenUser = 1,
    TokenGroups,
    TokenPrivileges,
    TokenOwner,
    TokenPrimaryGroup,
    TokenDefaultDacl,
    TokenSource,
    TokenType,
    TokenImpersonationLevel,
    TokenStatistics,
    TokenRestrictedSids,
    TokenSessionId,
    TokenGroupsAndPrivileges,
    TokenSessionReference,
    TokenSandBoxInert,
    TokenAuditPolicy,
    TokenOrigin,
    TokenElevationType,
    TokenLinkedToken,
    TokenElevation,
    TokenHasRestrictions,
    TokenAccessInformation,
    TokenVirtualizationAllowed,
    TokenVirtualizationEnabled,
    TokenIntegrityLevel,
    TokenUIAccess,
    TokenMandatoryPolicy,
    TokenLogonSid,
    MaxTokenInfoClass
} TOKEN_INFORMATION_CLASS,
    *PTOKEN_INFORMATION_CLASS;

typedef enum _TOKEN_TYPE { TokenPrimary = 1, TokenImpersonation } TOKEN_TYPE, *PTOKEN_TYPE;

typedef enum _SECURITY_IMPERSONATION_LEVEL {
    SecurityAnonymous,
    SecurityIdentification,
    SecurityImpersonation,
    SecurityDelegation
} SECURITY_IMPERSONATION_LEVEL,
    *PSECURITY_IMPERSONATION_LEVEL;

typedef struct _SID_AND_ATTRIBUTES {
    PSID Sid;
    DWORD Attributes;
} SID_AND_ATTRIBUTES, *PSID_AND_ATTRIBUTES;

typedef struct _TOKEN_USER {
    SID_AND_ATTRIBUTES User;
} TOKEN_USER, *PTOKEN_USER;

typedef struct _TOKEN_GROUPS {
    DWORD GroupCount;
    SID_AND_ATTRIBUTES Groups[ANYSIZE_ARRAY];
} TOKEN_GROUPS, *PTOKEN_GROUPS;

typedef struct _TOKEN_OWNER {
    PSID Owner;
} TOKEN_OWNER, *PTOKEN_OWNER;

typedef struct _TOKEN_PRIMARY_GROUP {
    PSID PrimaryGroup;
} TOKEN_PRIMARY_GROUP, *PTOKEN_PRIMARY_GROUP;

typedef struct _TOKEN_STATISTICS {
    LUID TokenId;
    LUID AuthenticationId;
    LARGE_INTEGER ExpirationTime;
    TOKEN_TYPE TokenType;
    SECURITY_IMPERSONATION_LEVEL ImpersonationLevel;
    DWORD DynamicCharged;
    DWORD DynamicAvailable;
    DWORD GroupCount;
    DWORD PrivilegeCount;
    LUID ModifiedId;
} TOKEN_STATISTICS, *PTOKEN_STATISTICS;

/* ------------------------------------------------------------------------------------------ */
/* Entry points                                                                                */
/* ------------------------------------------------------------------------------------------ */

/*
 * TokenUser, TokenGroups, TokenOwner, TokenPrimaryGroup, TokenType, TokenImpersonationLevel and
 * TokenStatistics. A buffer too small for the answer (a NULL one with length 0 asks for the size)
 * gives FALSE, ERROR_INSUFFICIENT_BUFFER and the size needed in *ReturnLength. Another class is
 * ERROR_INVALID_PARAMETER, a handle that is not a live token ERROR_INVALID_HANDLE.
 */
SSPI_API BOOL SEC_ENTRY GetTokenInformation(HANDLE TokenHandle,
                                            TOKEN_INFORMATION_CLASS TokenInformationClass,
                                            LPVOID TokenInformation, DWORD TokenInformationLength,
                                            PDWORD ReturnLength);
/*
 * *IsMember: whether SidToCheck is an enabled group (or the user) of the token. A NULL
 * TokenHandle is the token of the context the calling thread impersonates
 * (ImpersonateSecurityContext), else the calling process's own account's local token.
 */
SSPI_API BOOL SEC_ENTRY CheckTokenMembership(HANDLE TokenHandle, PSID SidToCheck, PBOOL IsMember);
/* Closes a token from QuerySecurityContextToken (FreeContextBuffer also releases it). */
SSPI_API BOOL SEC_ENTRY CloseHandle(HANDLE hObject);

SSPI_API BOOL SEC_ENTRY IsValidSid(PSID pSid);
SSPI_API BOOL SEC_ENTRY EqualSid(PSID pSid1, PSID pSid2);
SSPI_API DWORD SEC_ENTRY GetLengthSid(PSID pSid);
SSPI_API BOOL SEC_ENTRY CopySid(DWORD nDestinationSidLength, PSID pDestinationSid, PSID pSourceSid);
SSPI_API PSID_IDENTIFIER_AUTHORITY SEC_ENTRY GetSidIdentifierAuthority(PSID pSid);
SSPI_API PUCHAR SEC_ENTRY GetSidSubAuthorityCount(PSID pSid);
SSPI_API PDWORD SEC_ENTRY GetSidSubAuthority(PSID pSid, DWORD nSubAuthority);
/* The SID is freed with FreeSid. */
SSPI_API BOOL SEC_ENTRY AllocateAndInitializeSid(PSID_IDENTIFIER_AUTHORITY pIdentifierAuthority,
                                                 BYTE nSubAuthorityCount, DWORD nSubAuthority0,
                                                 DWORD nSubAuthority1, DWORD nSubAuthority2,
                                                 DWORD nSubAuthority3, DWORD nSubAuthority4,
                                                 DWORD nSubAuthority5, DWORD nSubAuthority6,
                                                 DWORD nSubAuthority7, PSID *pSid);
SSPI_API PVOID SEC_ENTRY FreeSid(PSID pSid);

/*
 * "S-1-5-21-...". The string is freed with LocalFree. ConvertStringSidToSid takes that form
 * (the authority in decimal or as 0x and 12 hex digits) and the SDDL abbreviations of the
 * well-known SIDs that do not depend on a domain (WD, NU, AU, SY, BA, BU, AN, IU, ...); the
 * SID is freed with LocalFree. An invalid SID or string is ERROR_INVALID_SID.
 */
SSPI_API BOOL SEC_ENTRY ConvertSidToStringSidA(PSID Sid, LPSTR *StringSid);
SSPI_API BOOL SEC_ENTRY ConvertSidToStringSidW(PSID Sid, LPWSTR *StringSid);
SSPI_API BOOL SEC_ENTRY ConvertStringSidToSidA(LPCSTR StringSid, PSID *Sid);
SSPI_API BOOL SEC_ENTRY ConvertStringSidToSidW(LPCWSTR StringSid, PSID *Sid);

/* Frees what the Convert* functions allocated; NULL on success, as on Windows. */
SSPI_API HLOCAL SEC_ENTRY LocalFree(HLOCAL hMem);

#define ConvertSidToStringSid SSPI_NAME_AW(ConvertSidToStringSid)
#define ConvertStringSidToSid SSPI_NAME_AW(ConvertStringSidToSid)

#ifdef __cplusplus
}
#endif

#endif /* SSPIGSS_SSPI_TOKEN_H */
