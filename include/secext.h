/*
 * sspigss: the Windows secext.h for Linux: the account and computer names in the formats of
 * EXTENDED_NAME_FORMAT. Included by sspi.h, as security.h brings both on Windows. Failures are
 * a FALSE return and GetLastError (sspi_lasterror.h).
 */
#ifndef SSPIGSS_SECEXT_H
#define SSPIGSS_SECEXT_H

#include "sspi.h"
#include "sspi_lasterror.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The values of the Windows SDK's secext.h (4, 5 and 11 are unused there too). */
typedef enum {
    NameUnknown = 0,
    NameFullyQualifiedDN = 1,
    NameSamCompatible = 2,
    NameDisplay = 3,
    NameUniqueId = 6,
    NameCanonical = 7,
    NameUserPrincipal = 8,
    NameCanonicalEx = 9,
    NameServicePrincipal = 10,
    NameDnsDomain = 12,
    NameGivenName = 13,
    NameSurname = 14
} EXTENDED_NAME_FORMAT,
    *PEXTENDED_NAME_FORMAT;

/*
 * The calling thread's account name. *nSize is the buffer's size in characters; on success it
 * becomes the length written without the terminating NUL. Otherwise FALSE and GetLastError:
 * ERROR_MORE_DATA with *nSize the size needed (NUL included), ERROR_NONE_MAPPED when the name
 * has no such form here, ERROR_INVALID_PARAMETER for a NULL nSize or an unknown format.
 */
SSPI_API BOOLEAN SEC_ENTRY GetUserNameExA(EXTENDED_NAME_FORMAT NameFormat, LPSTR lpNameBuffer,
                                          PULONG nSize);
SSPI_API BOOLEAN SEC_ENTRY GetUserNameExW(EXTENDED_NAME_FORMAT NameFormat, LPWSTR lpNameBuffer,
                                          PULONG nSize);
/* The computer's account name in its domain; the same conventions as GetUserNameEx. */
SSPI_API BOOLEAN SEC_ENTRY GetComputerObjectNameA(EXTENDED_NAME_FORMAT NameFormat,
                                                  LPSTR lpNameBuffer, PULONG nSize);
SSPI_API BOOLEAN SEC_ENTRY GetComputerObjectNameW(EXTENDED_NAME_FORMAT NameFormat,
                                                  LPWSTR lpNameBuffer, PULONG nSize);

#define GetUserNameEx SSPI_NAME_AW(GetUserNameEx)
#define GetComputerObjectName SSPI_NAME_AW(GetComputerObjectName)

#ifdef __cplusplus
}
#endif

#endif /* SSPIGSS_SECEXT_H */
