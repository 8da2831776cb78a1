/* AcquireCredentialsHandle's identity handling, shared with the context code. */
#ifndef SSPI_CREDENTIALS_H
#define SSPI_CREDENTIALS_H

#include <gssapi/gssapi.h>

#include "sspi.h"

/* An identity from SEC_WINNT_AUTH_IDENTITY(_EX) A or W, as UTF-8. */
struct sspi_identity {
    char *user;
    char *domain;
    char *password; /* wiped when freed */
};

/* Reads pAuthData (either form, ANSI or Unicode by its Flags). NULL auth data gives an
 * empty identity. SEC_E_INVALID_PARAMETER / SEC_E_UNKNOWN_CREDENTIALS for bad input, and
 * SEC_E_UNKNOWN_CREDENTIALS for the packed EX2 form, which is not read. */
SECURITY_STATUS sspi_identity_read(const void *auth_data, struct sspi_identity *id);
void sspi_identity_clear(struct sspi_identity *id);

#endif
