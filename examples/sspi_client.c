/*
 * SSPI example client, written as a Windows program would be against Microsoft's documented
 * client/server flow: AcquireCredentialsHandle, an InitializeSecurityContext loop trading
 * tokens with sspi_server over TCP, then one sealed message each way. With --http PATH it
 * fetches PATH from a web server with HTTP Negotiate/NTLM authentication instead.
 *
 *   sspi_client --port N [--host 127.0.0.1] [--package Negotiate|NTLM|Kerberos]
 *               [--target HTTP/localhost] [--user DOMAIN\user --password P]
 *               [--message TEXT | --http PATH]
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
#include "sspi_http.h"

struct client_options {
    char *host;
    const char *port;
    char *package;
    char *target;
    char *user;
    char *password;
    const char *message;
    const char *http_path; /* --http: the path to GET, or NULL for the framed protocol */
};

/* What the client asks of every context; Kerberos can also prove the server's identity. */
#define CLIENT_REQ                                                                                 \
    (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |                         \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)
/* HTTP authenticates the connection and protects no messages. */
#define HTTP_CLIENT_REQ ISC_REQ_CONNECTION
/* Requests one HTTP authentication may take; NTLM needs three, Negotiate up to four. */
#define HTTP_MAX_ROUNDS 8

static void
usage(void)
{
    fprintf(stderr, "usage: sspi_client --port N [--host 127.0.0.1] "
                    "[--package Negotiate|NTLM|Kerberos]\n"
                    "                   [--target SPN] [--user DOMAIN\\user --password P]\n"
                    "                   [--message TEXT | --http PATH]\n");
}

/* Printable ASCII without spaces: fit for a request line or a header value. */
static bool
is_plain(const char *text)
{
    for (; *text != '\0'; text++) {
        if (*text <= ' ' || *text > '~')
            return false;
    }
    return true;
}

static int
parse_options(int argc, char **argv, struct client_options *opt)
{
    static char default_host[] = "127.0.0.1", default_package[] = NEGOSSP_NAME_A;
    uint16_t port;
    int i;

    *opt = (struct client_options){
        default_host, NULL, default_package, NULL, NULL, NULL, "Hello from the SSPI client", NULL};
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
        else if (strcmp(name, "--http") == 0)
            opt->http_path = value;
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
    if (opt->http_path != NULL && (opt->http_path[0] != '/' || !is_plain(opt->http_path))) {
        fprintf(stderr, "sspi_client: --http takes a path such as /index.html\n");
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

/* One security context being built: the credential, the context, and the token buffer. */
struct client_ctx {
    PCredHandle cred;
    char *target;
    ULONG req;
    CtxtHandle handle;
    bool have_ctx;
    ULONG attrs;
    unsigned char *out; /* max_token bytes */
    ULONG max_token;
    ULONG out_len; /* the last call's output token */
};

/*
 * One InitializeSecurityContext call, with in (ignored on the first call) as the server's
 * token; the output token is left in c->out. The COMPLETE_NEEDED statuses go through
 * CompleteAuthToken, so this returns SEC_E_OK, SEC_I_CONTINUE_NEEDED or an error, reported and
 * with the failing call's name in *call.
 */
static SECURITY_STATUS
initialize_step(struct client_ctx *c, unsigned char *in, size_t in_len, const char **call)
{
    SecBuffer in_buf = {(ULONG)in_len, SECBUFFER_TOKEN, in};
    SecBuffer out_buf = {c->max_token, SECBUFFER_TOKEN, c->out};
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 1, &in_buf};
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out_buf};
    SECURITY_STATUS status;
    TimeStamp expiry;

    c->out_len = 0;
    *call = "InitializeSecurityContextA";
    status = InitializeSecurityContextA(c->cred, c->have_ctx ? &c->handle : NULL, c->target, c->req,
                                        0, SECURITY_NATIVE_DREP, c->have_ctx ? &in_desc : NULL, 0,
                                        &c->handle, &out_desc, &c->attrs, &expiry);
    if (!SEC_SUCCESS(status)) {
        example_report(*call, status);
        return status;
    }
    c->have_ctx = true;
    if (status == SEC_I_COMPLETE_NEEDED || status == SEC_I_COMPLETE_AND_CONTINUE) {
        SECURITY_STATUS complete = CompleteAuthToken(&c->handle, &out_desc);

        if (complete != SEC_E_OK) {
            *call = "CompleteAuthToken";
            example_report(*call, complete);
            return complete;
        }
        status = status == SEC_I_COMPLETE_NEEDED ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
    }
    if (status != SEC_E_OK && status != SEC_I_CONTINUE_NEEDED) {
        example_report("InitializeSecurityContextA (unexpected status)", status);
        return SEC_E_INTERNAL_ERROR;
    }
    c->out_len = out_buf.cbBuffer;
    return status;
}

/* The context's request flags, target and token buffer for the package of opt. */
static int
client_ctx_init(struct client_ctx *c, const struct client_options *opt, PCredHandle cred, ULONG req)
{
    *c = (struct client_ctx){cred, opt->target, req, {0, 0}, false, 0, NULL, 0, 0};
    if (strcasecmp(opt->package, MICROSOFT_KERBEROS_NAME_A) == 0)
        c->req |= ISC_REQ_MUTUAL_AUTH;
    if (max_token_size(opt->package, &c->max_token) != 0)
        return -1;
    c->out = malloc(c->max_token);
    if (c->out == NULL) {
        fprintf(stderr, "sspi_client: out of memory\n");
        return -1;
    }
    return 0;
}

static void
client_ctx_free(struct client_ctx *c)
{
    if (c->have_ctx)
        DeleteSecurityContext(&c->handle);
    c->have_ctx = false;
    free(c->out);
    c->out = NULL;
}

/*
 * The InitializeSecurityContext loop. Each call's output token goes to the server; while the
 * status says CONTINUE_NEEDED the server's next token is the input. The server ends with a
 * DONE frame (its last token, if any) or an ERROR frame, so both sides agree on the outcome.
 */
static int
authenticate(int fd, struct client_ctx *c)
{
    unsigned char *in_token = NULL;
    size_t in_len = 0;
    bool server_done = false;
    enum example_frame kind;
    const char *call;
    int ret = -1;

    for (;;) {
        SECURITY_STATUS status = initialize_step(c, in_token, in_len, &call);

        if (status != SEC_E_OK && status != SEC_I_CONTINUE_NEEDED) {
            example_send_error(fd, call, status);
            goto done;
        }
        if (c->out_len > 0 && example_send_frame(fd, FRAME_TOKEN, c->out, c->out_len) != 0)
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
    /*
     * The client is done; the server still has to say it agrees. Negotiate over NTLM completes
     * on the client's second call, as on Windows, and the server's DONE then carries its last
     * token (SPNEGO's mechListMIC): one more call verifies it before any protected message.
     */
    while (!server_done) {
        free(in_token);
        in_token = NULL;
        if (example_recv_frame(fd, &kind, &in_token, &in_len) != 0)
            goto done;
        if (kind == FRAME_ERROR) {
            example_print_peer_error(in_token, in_len);
            goto done;
        }
        if (kind != FRAME_DONE) {
            fprintf(stderr, "sspi_client: protocol error: a token after the context completed\n");
            goto done;
        }
        server_done = true;
        if (in_len > 0) {
            SECURITY_STATUS status = initialize_step(c, in_token, in_len, &call);

            if (status != SEC_E_OK || c->out_len > 0) {
                fprintf(stderr, "sspi_client: the server's last token: %s\n",
                        status != SEC_E_OK ? example_status_name(status) : "answered");
                goto done;
            }
        }
    }
    ret = 0;
done:
    free(in_token);
    return ret;
}

/* The framed protocol: authenticate, then one sealed message each way. */
static int
run_framed(int fd, const struct client_options *opt, PCredHandle cred)
{
    struct client_ctx c = {0};
    struct example_peer self = {NULL, NULL};
    unsigned char *reply = NULL;
    size_t reply_len;
    int ret = -1;

    if (client_ctx_init(&c, opt, cred, CLIENT_REQ) != 0 || authenticate(fd, &c) != 0)
        goto done;
    if (example_describe_context(&c.handle, &self) != SEC_E_OK)
        goto done;
    example_print_name("authenticated as", self.user);
    example_print_name("package:", self.package);
    example_print_flags("context flags:", c.attrs, false);
    /* The flags asked for are not guaranteed: check before trusting EncryptMessage. */
    if ((c.attrs & (ISC_RET_CONFIDENTIALITY | ISC_RET_INTEGRITY)) !=
        (ISC_RET_CONFIDENTIALITY | ISC_RET_INTEGRITY)) {
        fprintf(stderr, "sspi_client: the context provides no confidentiality or integrity\n");
        goto done;
    }
    if (example_send_sealed(fd, &c.handle, opt->message) != 0)
        goto done;
    example_print_text("sent sealed message:", (const unsigned char *)opt->message,
                       strlen(opt->message));
    if (example_recv_sealed(fd, &c.handle, &reply, &reply_len) != 0)
        goto done;
    example_print_text("received sealed reply:", reply, reply_len);
    ret = 0;
done:
    free(reply);
    example_peer_free(&self);
    client_ctx_free(&c);
    return ret;
}

/* ---------------------------------------------------------------------------------------- */
/* HTTP                                                                                     */
/* ---------------------------------------------------------------------------------------- */

/* The HTTP scheme that carries the package's tokens (RFC 4559 for Negotiate and Kerberos). */
static const char *
http_scheme(const char *package)
{
    if (strcasecmp(package, NTLMSP_NAME_A) == 0)
        return "NTLM";
    if (strcasecmp(package, NEGOSSP_NAME_A) == 0 ||
        strcasecmp(package, MICROSOFT_KERBEROS_NAME_A) == 0)
        return "Negotiate";
    return NULL;
}

/*
 * Looks through the response's WWW-Authenticate fields for scheme: 2 and the decoded token
 * when one carries a token, 1 when it is only offered, 0 when it is not, -1 when malformed.
 */
static int
http_challenge(const struct http_response *resp, const char *scheme, unsigned char **token,
               size_t *token_len)
{
    const char *name;
    size_t i, name_len;
    int ret = 0, rc;

    for (i = 0; i < resp->head.count; i++) {
        const struct http_field *f = &resp->head.fields[i];

        if (!http_field_is(f, "WWW-Authenticate") || !http_auth_scheme_is(f->value, scheme))
            continue;
        rc = http_auth_token(f->value, &name, &name_len, token, token_len);
        if (rc < 0) {
            fprintf(stderr, "sspi_client: malformed WWW-Authenticate: %.60s\n", f->value);
            return -1;
        }
        if (rc == 0)
            return 2;
        ret = 1;
    }
    return ret;
}

/* Sends GET with the token (none: no Authorization header) and reads the response. */
static int
http_round(struct http_conn *conn, const char *host, const struct client_options *opt,
           const char *scheme, const unsigned char *token, size_t len, struct http_response *resp)
{
    char *b64 = NULL, *auth = NULL;
    size_t i;
    int ret = -1;

    if (token != NULL) {
        b64 = http_base64_encode(token, len);
        auth = b64 != NULL ? http_format("%s %s", scheme, b64) : NULL;
        if (auth == NULL) {
            fprintf(stderr, "sspi_client: out of memory\n");
            goto done;
        }
        printf("sent GET %s, Authorization: %s (%zu-byte token)\n", opt->http_path, scheme, len);
    } else {
        printf("sent GET %s\n", opt->http_path);
    }
    http_response_free(resp);
    if (http_send_get(conn->fd, host, opt->http_path, auth) != 0 ||
        http_read_response(conn, resp) != 0)
        goto done;
    printf("received HTTP %d\n", resp->status);
    for (i = 0; i < resp->head.count; i++) {
        if (http_field_is(&resp->head.fields[i], "WWW-Authenticate"))
            printf("  WWW-Authenticate: %.60s\n", resp->head.fields[i].value);
    }
    ret = 0;
done:
    free(auth);
    free(b64);
    return ret;
}

/*
 * --http: GET the path on one keep-alive connection. The first request carries no credentials
 * and learns whether the server offers the package's scheme; then each token goes out in an
 * Authorization header and each 401's WWW-Authenticate token comes back, until the server
 * answers otherwise. A token on that last answer (Kerberos' AP-REP, SPNEGO's mechListMIC) must
 * complete the context: it is the server's proof, and the 200 alone does not count.
 */
static int
run_http(int fd, const struct client_options *opt, PCredHandle cred)
{
    const char *scheme = http_scheme(opt->package), *call;
    struct client_ctx c = {0};
    struct http_conn conn = {0};
    struct http_response resp = {0};
    struct example_peer self = {NULL, NULL};
    unsigned char *in = NULL;
    size_t in_len = 0;
    char *host = NULL, *target = NULL;
    SECURITY_STATUS status = SEC_I_CONTINUE_NEEDED;
    int round, found, ret = -1;

    if (scheme == NULL) {
        fprintf(stderr, "sspi_client: --http takes the package Negotiate, NTLM or Kerberos\n");
        goto done;
    }
    host = http_format(strchr(opt->host, ':') != NULL ? "[%s]:%s" : "%s:%s", opt->host, opt->port);
    /* The service principal a Windows client names for a web server: HTTP/host. */
    target = opt->target == NULL ? http_format("HTTP/%s", opt->host) : NULL;
    if (host == NULL || (opt->target == NULL && target == NULL)) {
        fprintf(stderr, "sspi_client: out of memory\n");
        goto done;
    }
    if (client_ctx_init(&c, opt, cred, HTTP_CLIENT_REQ) != 0 || http_conn_init(&conn, fd) != 0)
        goto done;
    if (target != NULL)
        c.target = target;
    /* Negotiate may settle on Kerberos, whose last token then proves the server. */
    if (strcmp(scheme, "Negotiate") == 0)
        c.req |= ISC_REQ_MUTUAL_AUTH;
    if (http_round(&conn, host, opt, scheme, NULL, 0, &resp) != 0)
        goto done;
    found = resp.status == 401 ? http_challenge(&resp, scheme, &in, &in_len) : 0;
    if (found < 0)
        goto done;
    if (resp.status == 401 && found == 0)
        printf("the server does not offer %s\n", scheme);
    for (round = 1; found > 0; round++) {
        if (resp.close) {
            fprintf(stderr, "sspi_client: the server closes the connection mid-authentication\n");
            goto done;
        }
        if (round > HTTP_MAX_ROUNDS) {
            fprintf(stderr, "sspi_client: still 401 after %d rounds\n", HTTP_MAX_ROUNDS);
            goto done;
        }
        status = initialize_step(&c, in, in_len, &call);
        free(in);
        in = NULL;
        in_len = 0;
        if (status != SEC_E_OK && status != SEC_I_CONTINUE_NEEDED)
            goto done;
        if (c.out_len == 0) {
            fprintf(stderr, "sspi_client: %s gave no token for the server\n", call);
            goto done;
        }
        if (http_round(&conn, host, opt, scheme, c.out, c.out_len, &resp) != 0)
            goto done;
        found = http_challenge(&resp, scheme, &in, &in_len);
        if (found < 0)
            goto done;
        if (resp.status == 401 && found == 1)
            printf("the server refused the authentication\n");
        if (resp.status != 401 || status == SEC_E_OK || found != 2)
            break;
    }
    if (resp.status != 401 && found == 2) {
        if (status == SEC_I_CONTINUE_NEEDED) {
            status = initialize_step(&c, in, in_len, &call);
            if (status == SEC_I_CONTINUE_NEEDED || c.out_len > 0) {
                fprintf(stderr, "sspi_client: the server's last token left the context "
                                "unfinished\n");
                status = SEC_E_INTERNAL_ERROR;
            }
        }
    }
    if (resp.status == 200 && status == SEC_E_OK && c.have_ctx) {
        if (example_describe_context(&c.handle, &self) != SEC_E_OK)
            goto done;
        example_print_name("authenticated as", self.user);
        example_print_name("package:", self.package);
        example_print_flags("context flags:", c.attrs, false);
    } else if (resp.status == 200 && c.have_ctx) {
        fprintf(stderr, "sspi_client: HTTP 200, but the client's context is not complete\n");
    }
    printf("HTTP status: %d\n", resp.status);
    example_print_text("body:", (const unsigned char *)resp.body, resp.body_len);
    ret = resp.status == 200 && (status == SEC_E_OK || !c.have_ctx) ? 0 : -1;
done:
    free(in);
    example_peer_free(&self);
    http_response_free(&resp);
    http_conn_free(&conn);
    client_ctx_free(&c);
    free(target);
    free(host);
    return ret;
}

static int
run(const struct client_options *opt)
{
    CredHandle cred;
    bool have_cred = false;
    SECURITY_STATUS status;
    int fd, ret = -1;

    fd = connect_to(opt->host, opt->port);
    if (fd < 0)
        goto done;
    status = acquire_credentials(opt, &cred);
    if (status != SEC_E_OK) {
        if (opt->http_path == NULL)
            example_send_error(fd, "AcquireCredentialsHandleA", status);
        goto done;
    }
    have_cred = true;
    ret = opt->http_path != NULL ? run_http(fd, opt, &cred) : run_framed(fd, opt, &cred);
done:
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
