/*
 * sspigss: GetLastError and SetLastError for the libsspi functions that report failure the
 * Win32 way (a FALSE return and a per-thread error code), and the error codes they use, with
 * their winerror.h values. Included by secext.h.
 */
#ifndef SSPIGSS_SSPI_LASTERROR_H
#define SSPIGSS_SSPI_LASTERROR_H

#include "sspi.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ERROR_SUCCESS 0L
#define ERROR_INVALID_HANDLE 6L
#define ERROR_NOT_ENOUGH_MEMORY 8L
#define ERROR_INVALID_PARAMETER 87L
#define ERROR_INSUFFICIENT_BUFFER 122L
#define ERROR_MORE_DATA 234L
#define ERROR_NO_TOKEN 1008L
#define ERROR_NONE_MAPPED 1332L
#define ERROR_INVALID_SID 1337L
#define ERROR_CANT_ACCESS_DOMAIN_INFO 1351L
#define ERROR_NO_SUCH_DOMAIN 1355L

/* The calling thread's last error code, as the last libsspi function that sets one left it. */
SSPI_API DWORD SEC_ENTRY GetLastError(void);
SSPI_API VOID SEC_ENTRY SetLastError(DWORD dwErrCode);

#ifdef __cplusplus
}
#endif

#endif /* SSPIGSS_SSPI_LASTERROR_H */
