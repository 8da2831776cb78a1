/* GetLastError and SetLastError: one error code per thread, as Win32 keeps it. */
#include "sspi_lasterror.h"

static _Thread_local DWORD last_error = ERROR_SUCCESS;

DWORD SEC_ENTRY
GetLastError(void)
{
    return last_error;
}

VOID SEC_ENTRY
SetLastError(DWORD dwErrCode)
{
    last_error = dwErrCode;
}
