/* A client and a server context driven to completion through the public SSPI API, as a
 * Windows program does it: InitializeSecurityContext and AcceptSecurityContext in turn. */
#ifndef SSPI_LOOP_H
#define SSPI_LOOP_H

#include <stdbool.h>

#include "sspi.h"

struct sspi_pair {
    CredHandle client_cred, server_cred;
    CtxtHandle client, server;
    bool have_client, have_server;
    SECURITY_STATUS client_status, server_status;
    ULONG client_attrs, server_attrs;
    TimeStamp client_expiry, server_expiry;
    int client_calls, server_calls;
    bool server_final_token; /* the server's SEC_E_OK came with a token for the client */
    /* optional: what each side passes as SECBUFFER_CHANNEL_BINDINGS */
    const void *client_bindings, *server_bindings;
    ULONG client_bindings_len, server_bindings_len;
};

/* ACH for the client (identity if user != NULL, as SEC_WINNT_AUTH_IDENTITY_A) and server. */
SECURITY_STATUS sspi_pair_credentials(struct sspi_pair *p, const char *client_package,
                                      const char *server_package, const char *domain,
                                      const char *user, const char *password);
/* Runs the exchange; true when both sides reached SEC_E_OK. */
bool sspi_pair_establish(struct sspi_pair *p, const char *target, ULONG client_req,
                         ULONG server_req);
/* Deletes both contexts and frees both credentials. */
void sspi_pair_free(struct sspi_pair *p);

#endif
