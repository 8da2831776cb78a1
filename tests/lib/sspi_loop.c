/* The ISC/ASC loop shared by the SSPI suites. */
#include "sspi_loop.h"

#include <stdio.h>
#include <string.h>

#define TOKEN_SPACE 12000

SECURITY_STATUS
sspi_pair_credentials(struct sspi_pair *p, const char *client_package, const char *server_package,
                      const char *domain, const char *user, const char *password)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {0};
    SECURITY_STATUS status;

    if (user != NULL) {
        id.User = (UCHAR *)user;
        id.UserLength = (ULONG)strlen(user);
        id.Domain = (UCHAR *)domain;
        id.DomainLength = domain != NULL ? (ULONG)strlen(domain) : 0;
        id.Password = (UCHAR *)password;
        id.PasswordLength = (ULONG)strlen(password);
        id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    }
    status =
        AcquireCredentialsHandleA(NULL, (LPSTR)client_package, SECPKG_CRED_OUTBOUND, NULL,
                                  user != NULL ? &id : NULL, NULL, NULL, &p->client_cred, NULL);
    if (status != SEC_E_OK)
        return status;
    return AcquireCredentialsHandleA(NULL, (LPSTR)server_package, SECPKG_CRED_INBOUND, NULL, NULL,
                                     NULL, NULL, &p->server_cred, NULL);
}

/* Fills desc with a token buffer and, when given, a channel-bindings buffer. */
static void
input_desc(SecBufferDesc *desc, SecBuffer bufs[2], void *token, ULONG len, const void *cb,
           ULONG cb_len)
{
    bufs[0] = (SecBuffer){len, SECBUFFER_TOKEN, token};
    bufs[1] = (SecBuffer){cb_len, SECBUFFER_CHANNEL_BINDINGS, (void *)cb};
    *desc = (SecBufferDesc){SECBUFFER_VERSION, cb != NULL ? 2 : 1, bufs};
}

bool
sspi_pair_establish(struct sspi_pair *p, const char *target, ULONG client_req, ULONG server_req)
{
    static unsigned char to_server[TOKEN_SPACE], to_client[TOKEN_SPACE];
    SecBuffer in_bufs[2], out_buf;
    SecBufferDesc in, out = {SECBUFFER_VERSION, 1, &out_buf};
    ULONG to_client_len = 0;
    int round;

    p->client_status = p->server_status = SEC_I_CONTINUE_NEEDED;
    for (round = 0; round < 8; round++) {
        input_desc(&in, in_bufs, to_client, to_client_len, p->client_bindings,
                   p->client_bindings_len);
        out_buf = (SecBuffer){sizeof(to_server), SECBUFFER_TOKEN, to_server};
        p->client_status = InitializeSecurityContextA(
            &p->client_cred, p->have_client ? &p->client : NULL, (SEC_CHAR *)target, client_req, 0,
            SECURITY_NATIVE_DREP, round == 0 && p->client_bindings == NULL ? NULL : &in, 0,
            &p->client, &out, &p->client_attrs, &p->client_expiry);
        p->client_calls++;
        if (p->client_status != SEC_E_OK && p->client_status != SEC_I_CONTINUE_NEEDED)
            break;
        p->have_client = true;
        if (out_buf.cbBuffer == 0)
            break;
        input_desc(&in, in_bufs, to_server, out_buf.cbBuffer, p->server_bindings,
                   p->server_bindings_len);
        out_buf = (SecBuffer){sizeof(to_client), SECBUFFER_TOKEN, to_client};
        p->server_status = AcceptSecurityContext(
            &p->server_cred, p->have_server ? &p->server : NULL, &in, server_req,
            SECURITY_NATIVE_DREP, &p->server, &out, &p->server_attrs, &p->server_expiry);
        p->server_calls++;
        if (p->server_status != SEC_E_OK && p->server_status != SEC_I_CONTINUE_NEEDED)
            break;
        p->have_server = true;
        to_client_len = out_buf.cbBuffer;
        p->server_final_token = p->server_status == SEC_E_OK && to_client_len > 0;
        if (to_client_len == 0)
            break;
    }
    if (p->client_status != SEC_E_OK || p->server_status != SEC_E_OK)
        fprintf(stderr,
                "\n  exchange stopped: client 0x%08x after %d calls, server 0x%08x after "
                "%d calls\n",
                (unsigned)p->client_status, p->client_calls, (unsigned)p->server_status,
                p->server_calls);
    return p->client_status == SEC_E_OK && p->server_status == SEC_E_OK;
}

void
sspi_pair_free(struct sspi_pair *p)
{
    if (p->have_client)
        DeleteSecurityContext(&p->client);
    if (p->have_server)
        DeleteSecurityContext(&p->server);
    FreeCredentialsHandle(&p->client_cred);
    FreeCredentialsHandle(&p->server_cred);
    memset(p, 0, sizeof(*p));
}
