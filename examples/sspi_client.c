/*
 * SSPI example client, written as a Windows program would be against Microsoft's documented
 * client/server flow: AcquireCredentialsHandle, an InitializeSecurityContext loop trading
 * tokens with sspi_server over TCP, then one sealed message each way.
 *
 *   sspi_client --port N [--host 127.0.0.1] [--package Negotiate|NTLM|Kerberos]
 *               [--target HTTP/localhost] [--user DOMAIN\user --password P] [--message TEXT]
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sspi.h>

#include "sspi_example_common.h"

struct client_options {
    char *host;
    const char *port;
    char *package;
    char *target;
    char *user;
    char *password;
    const char *message;
};

/* What the client asks of every context; Kerberos can also prove the server's identity. */
#define CLIENT_REQ                                                                                 \
    (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |                         \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)

static void
usage(void)
{
    fprintf(stderr, "usage: sspi_client --port N [--host 127.0.0.1] "
                    "[--package Negotiate|NTLM|Kerberos]\n"
                    "                   [--target SPN] [--user DOMAIN\\user --password P] "
                    "[--message TEXT]\n");
}

static int
parse_options(int argc, char **argv, struct client_options *opt)
{
    static char default_host[] = "127.0.0.1", default_package[] = NEGOSSP_NAME_A;
    uint16_t port;
    int i;

    *opt = (struct client_options){
        default_host, NULL, default_package, NULL, NULL, NULL, "Hello from the SSPI client"};
    for (i = 1; i < argc; i += 2) {
        const char *name = argv[i];
        char *value = i + 1 < argc ? argv[i + 1] : NULL;

        if (strncmp(name, "--", 2) != 0) {
            fprintf(stderr, "sspi_client: unexpected argument %s\n", name);
            return -1;
        }
        if (value == NULL) {
            fprintf(stderr, "sspi_client: %s needs a value\n", name);
            return -1;
        }
        if (strcmp(name, "--port") == 0)
            opt->port = value;
        else if (strcmp(name, "--host") == 0)
            opt->host = value;
        else if (strcmp(name, "--package") == 0)
            opt->package = value;
        else if (strcmp(name, "--target") == 0)
            opt->target = value;
        else if (strcmp(name, "--user") == 0)
            opt->user = value;
        else if (strcmp(name, "--password") == 0)
            opt->password = value;
        else if (strcmp(name, "--message") == 0)
            opt->message = value;
        else {
            fprintf(stderr, "sspi_client: unknown option %s\n", name);
            return -1;
        }
    }
    if (opt->port == NULL || example_parse_port(opt->port, &port) != 0 || port == 0) {
        fprintf(stderr, "sspi_client: --port must be a port number from 1 to 65535\n");
        return -1;
    }
    if ((opt->user == NULL) != (opt->password == NULL)) {
        fprintf(stderr, "sspi_client: --user and --password go together\n");
        return -1;
    }
    return 0;
}

static int
connect_to(const char *host, const char *port)
{
    struct addrinfo hints = {0}, *list = NULL, *ai;
    int fd = -1, rc;

    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    rc = getaddrinfo(host, port, &hints, &list);
    if (rc != 0) {
        fprintf(stderr, "sspi_client: %s: %s\n", host, gai_strerror(rc));
        return -1;
    }
    for (ai = list; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 && example_set_timeouts(fd) == 0)
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(list);
    if (fd < 0)
        perror("sspi_client: connect");
    else
        printf("connected to %s:%s\n", host, port);
    return fd;
}

/* Credentials: the identity given on the command line (ANSI strings), or the default. */
static SECURITY_STATUS
acquire_credentials(const struct client_options *opt, PCredHandle cred)
{
    SEC_WINNT_AUTH_IDENTITY_A identity = {0};
    char *backslash = opt->user != NULL ? strchr(opt->user, '\\') : NULL;
    TimeStamp expiry;
    SECURITY_STATUS status;

    if (opt->user != NULL) {
        if (backslash != NULL) {
            identity.Domain = (UCHAR *)opt->user;
            identity.DomainLength = (ULONG)(backslash - opt->user);
            identity.User = (UCHAR *)backslash + 1;
        } else {
            identity.User = (UCHAR *)opt->user;
        }
        identity.UserLength = (ULONG)strlen((char *)identity.User);
        identity.Password = (UCHAR *)opt->password;
        identity.PasswordLength = (ULONG)strlen(opt->password);
        identity.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    }
    status =
        AcquireCredentialsHandleA(NULL, opt->package, SECPKG_CRED_OUTBOUND, NULL,
                                  opt->user != NULL ? &identity : NULL, NULL, NULL, cred, &expiry);
    if (status != SEC_E_OK)
        example_report("AcquireCredentialsHandleA", status);
    return status;
}

/* The largest token the package can produce, as the buffer size for its output. */
static int
max_token_size(char *package, ULONG *size)
{
    PSecPkgInfoA info = NULL;
    SECURITY_STATUS status = QuerySecurityPackageInfoA(package, &info);

    if (status != SEC_E_OK) {
        example_report("QuerySecurityPackageInfoA", status);
        return -1;
    }
    *size = info->cbMaxToken < EXAMPLE_MAX_TOKEN ? info->cbMaxToken : EXAMPLE_MAX_TOKEN;
    FreeContextBuffer(info);
    return 0;
}

/*
 * The InitializeSecurityContext loop. Each call's output token goes to the server; while the
 * status says CONTINUE_NEEDED the server's next token is the input. The server ends with a
 * DONE frame (its last token, if any) or an ERROR frame, so both sides agree on the outcome.
 */
static int
authenticate(int fd, const struct client_options *opt, PCredHandle cred, PCtxtHandle ctx,
             bool *have_ctx, ULONG *attrs)
{
    unsigned char *out_token = NULL, *in_token = NULL;
    size_t in_len = 0;
    ULONG max_token, req = CLIENT_REQ;
    bool server_done = false;
    enum example_frame kind;
    TimeStamp expiry;
    int ret = -1;

    if (strcasecmp(opt->package, MICROSOFT_KERBEROS_NAME_A) == 0)
        req |= ISC_REQ_MUTUAL_AUTH;
    if (max_token_size(opt->package, &max_token) != 0)
        goto done;
    out_token = malloc(max_token);
    if (out_token == NULL)
        goto done;
    for (;;) {
        SecBuffer in_buf = {(ULONG)in_len, SECBUFFER_TOKEN, in_token};
        SecBuffer out_buf = {max_token, SECBUFFER_TOKEN, out_token};
        SecBufferDesc in_desc = {SECBUFFER_VERSION, 1, &in_buf};
        SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out_buf};
        SECURITY_STATUS status;

        status = InitializeSecurityContextA(cred, *have_ctx ? ctx : NULL, opt->target, req, 0,
                                            SECURITY_NATIVE_DREP, *have_ctx ? &in_desc : NULL, 0,
                                            ctx, &out_desc, attrs, &expiry);
        if (!SEC_SUCCESS(status)) {
            example_report("InitializeSecurityContextA", status);
            example_send_error(fd, "InitializeSecurityContextA", status);
            goto done;
        }
        *have_ctx = true;
        if (status == SEC_I_COMPLETE_NEEDED || status == SEC_I_COMPLETE_AND_CONTINUE) {
            SECURITY_STATUS complete = CompleteAuthToken(ctx, &out_desc);

            if (complete != SEC_E_OK) {
                example_report("CompleteAuthToken", complete);
                example_send_error(fd, "CompleteAuthToken", complete);
                goto done;
            }
            status = status == SEC_I_COMPLETE_NEEDED ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
        }
        if (status != SEC_E_OK && status != SEC_I_CONTINUE_NEEDED) {
            example_report("InitializeSecurityContextA (unexpected status)", status);
            example_send_error(fd, "InitializeSecurityContextA", status);
            goto done;
        }
        if (out_buf.cbBuffer > 0 &&
            example_send_frame(fd, FRAME_TOKEN, out_buf.pvBuffer, out_buf.cbBuffer) != 0)
            goto done;
        if (status == SEC_E_OK)
            break;
        if (server_done) {
            fprintf(stderr, "sspi_client: the server finished, the client still needs a token\n");
            goto done;
        }
        free(in_token);
        in_token = NULL;
        if (example_recv_frame(fd, &kind, &in_token, &in_len) != 0)
            goto done;
        if (kind == FRAME_ERROR) {
            example_print_peer_error(in_token, in_len);
            goto done;
        }
        if (kind != FRAME_TOKEN && kind != FRAME_DONE) {
            fprintf(stderr, "sspi_client: protocol error: expected an authentication token\n");
            goto done;
        }
        server_done = kind == FRAME_DONE;
        if (server_done && in_len == 0) {
            fprintf(stderr, "sspi_client: the server finished, the client still needs a token\n");
            goto done;
        }
    }
    /* The client is done; the server still has to say it agrees. */
    while (!server_done) {
        free(in_token);
        in_token = NULL;
        if (example_recv_frame(fd, &kind, &in_token, &in_len) != 0)
            goto done;
        if (kind == FRAME_ERROR) {
            example_print_peer_error(in_token, in_len);
            goto done;
        }
        if (kind != FRAME_DONE || in_len != 0) {
            fprintf(stderr, "sspi_client: protocol error: a token after the context completed\n");
            goto done;
        }
        server_done = true;
    }
    ret = 0;
done:
    free(in_token);
    free(out_token);
    return ret;
}

static int
run(const struct client_options *opt)
{
    CredHandle cred;
    CtxtHandle ctx;
    bool have_cred = false, have_ctx = false;
    struct example_peer self = {NULL, NULL};
    unsigned char *reply = NULL;
    size_t reply_len;
    SECURITY_STATUS status;
    ULONG attrs = 0;
    int fd, ret = -1;

    fd = connect_to(opt->host, opt->port);
    if (fd < 0)
        goto done;
    status = acquire_credentials(opt, &cred);
    if (status != SEC_E_OK) {
        example_send_error(fd, "AcquireCredentialsHandleA", status);
        goto done;
    }
    have_cred = true;
    if (authenticate(fd, opt, &cred, &ctx, &have_ctx, &attrs) != 0)
        goto done;
    if (example_describe_context(&ctx, &self) != SEC_E_OK)
        goto done;
    example_print_name("authenticated as", self.user);
    example_print_name("package:", self.package);
    example_print_flags("context flags:", attrs, false);
    /* The flags asked for are not guaranteed: check before trusting EncryptMessage. */
    if ((attrs & (ISC_RET_CONFIDENTIALITY | ISC_RET_INTEGRITY)) !=
        (ISC_RET_CONFIDENTIALITY | ISC_RET_INTEGRITY)) {
        fprintf(stderr, "sspi_client: the context provides no confidentiality or integrity\n");
        goto done;
    }
    if (example_send_sealed(fd, &ctx, opt->message) != 0)
        goto done;
    example_print_text("sent sealed message:", (const unsigned char *)opt->message,
                       strlen(opt->message));
    if (example_recv_sealed(fd, &ctx, &reply, &reply_len) != 0)
        goto done;
    example_print_text("received sealed reply:", reply, reply_len);
    ret = 0;
done:
    free(reply);
    example_peer_free(&self);
    if (have_ctx)
        DeleteSecurityContext(&ctx);
    if (have_cred)
        FreeCredentialsHandle(&cred);
    if (fd >= 0)
        close(fd);
    return ret;
}

int
main(int argc, char **argv)
{
    struct client_options opt;

    example_set_program("sspi_client");
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (parse_options(argc, argv, &opt) != 0) {
        usage();
        return 2;
    }
    if (run(&opt) != 0) {
        fprintf(stderr, "sspi_client: failed\n");
        return 1;
    }
    return 0;
}
