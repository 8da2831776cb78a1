/*
 * SSPI example server, written as a Windows program would be against Microsoft's documented
 * client/server flow: AcquireCredentialsHandle, an AcceptSecurityContext loop, then one sealed
 * message each way. With --http it speaks HTTP Negotiate/NTLM authentication instead. After a
 * logon it prints the client's token as Windows code reads it (GetTokenInformation, SIDs as
 * strings); with --require-group SID it serves only members of that group (CheckTokenMembership).
 *
 *   sspi_server [--port N] [--package Negotiate|NTLM|Kerberos] [--once] [--http]
 *               [--require-group SID]
 *
 * It listens on 127.0.0.1 only and prints "listening on 127.0.0.1:PORT" once ready.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sspi.h>
#include <sspi_linux.h>

#include "sspi_example_common.h"
#include "sspi_http.h"

/* What the server insists on for the framed protocol, whose messages it seals. */
#define SERVER_REQ                                                                                 \
    (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT |                         \
     ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION)
/* HTTP authenticates the connection and protects no messages. */
#define HTTP_REQ ASC_REQ_CONNECTION

struct server_options {
    uint16_t port;
    char *package;
    bool package_given;
    bool once;
    bool http;
    const char *require_group; /* a SID string: only its members are served */
};

/* A server credential and the largest token its package produces. */
struct server_cred {
    CredHandle handle;
    bool valid;
    ULONG max_token;
};

static void
usage(void)
{
    fprintf(stderr, "usage: sspi_server [--port N] [--package Negotiate|NTLM|Kerberos] [--once] "
                    "[--http]\n"
                    "                   [--require-group SID]\n");
}

static int
parse_options(int argc, char **argv, struct server_options *opt)
{
    static char default_package[] = NEGOSSP_NAME_A;
    int i;

    *opt = (struct server_options){0, default_package, false, false, false, NULL};
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--once") == 0) {
            opt->once = true;
        } else if (strcmp(argv[i], "--http") == 0) {
            opt->http = true;
        } else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
            if (example_parse_port(argv[++i], &opt->port) != 0) {
                fprintf(stderr, "sspi_server: bad port %s\n", argv[i]);
                return -1;
            }
        } else if (strcmp(argv[i], "--require-group") == 0 && i + 1 < argc) {
            opt->require_group = argv[++i];
        } else if (strcmp(argv[i], "--package") == 0 && i + 1 < argc) {
            opt->package = argv[++i];
            opt->package_given = true;
        } else {
            fprintf(stderr, "sspi_server: unknown option or missing value: %s\n", argv[i]);
            return -1;
        }
    }
    if (opt->http && opt->package_given) {
        fprintf(stderr, "sspi_server: --http picks the package from the client's scheme; "
                        "drop --package\n");
        return -1;
    }
    return 0;
}

static int
server_cred_acquire(struct server_cred *cred, char *package)
{
    PSecPkgInfoA info = NULL;
    TimeStamp expiry;
    SECURITY_STATUS status;

    cred->valid = false;
    status = QuerySecurityPackageInfoA(package, &info);
    if (status != SEC_E_OK) {
        example_report("QuerySecurityPackageInfoA", status);
        return -1;
    }
    cred->max_token = info->cbMaxToken < EXAMPLE_MAX_TOKEN ? info->cbMaxToken : EXAMPLE_MAX_TOKEN;
    FreeContextBuffer(info);
    status = AcquireCredentialsHandleA(NULL, package, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                       &cred->handle, &expiry);
    if (status != SEC_E_OK) {
        example_report("AcquireCredentialsHandleA", status);
        return -1;
    }
    cred->valid = true;
    return 0;
}

static void
server_cred_release(struct server_cred *cred)
{
    if (cred->valid)
        FreeCredentialsHandle(&cred->handle);
    cred->valid = false;
}

/*
 * One AcceptSecurityContext step: the client's token in, the reply token out (malloc'd, maybe
 * empty). Maps the COMPLETE_NEEDED statuses through CompleteAuthToken, so callers see only
 * SEC_E_OK, SEC_I_CONTINUE_NEEDED or an error (already reported).
 */
static SECURITY_STATUS
accept_step(struct server_cred *cred, PCtxtHandle ctx, bool *have_ctx, ULONG req, unsigned char *in,
            size_t in_len, unsigned char **out, size_t *out_len, ULONG *attrs)
{
    SecBuffer in_buf = {(ULONG)in_len, SECBUFFER_TOKEN, in};
    SecBuffer out_buf = {cred->max_token, SECBUFFER_TOKEN, NULL};
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 1, &in_buf};
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out_buf};
    SECURITY_STATUS status;
    TimeStamp expiry;

    *out = NULL;
    *out_len = 0;
    out_buf.pvBuffer = malloc(cred->max_token);
    if (out_buf.pvBuffer == NULL) {
        fprintf(stderr, "sspi_server: out of memory\n");
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    status = AcceptSecurityContext(&cred->handle, *have_ctx ? ctx : NULL, &in_desc, req,
                                   SECURITY_NATIVE_DREP, ctx, &out_desc, attrs, &expiry);
    if (SEC_SUCCESS(status))
        *have_ctx = true;
    if (status == SEC_I_COMPLETE_NEEDED || status == SEC_I_COMPLETE_AND_CONTINUE) {
        SECURITY_STATUS complete = CompleteAuthToken(ctx, &out_desc);

        if (complete != SEC_E_OK) {
            example_report("CompleteAuthToken", complete);
            free(out_buf.pvBuffer);
            return complete;
        }
        status = status == SEC_I_COMPLETE_NEEDED ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
    }
    if (status != SEC_E_OK && status != SEC_I_CONTINUE_NEEDED) {
        example_report("AcceptSecurityContext", status);
        free(out_buf.pvBuffer);
        return SEC_SUCCESS(status) ? SEC_E_INTERNAL_ERROR : status;
    }
    *out = out_buf.pvBuffer;
    *out_len = out_buf.cbBuffer;
    return status;
}

/* The group SID only whose members are served (--require-group), or NULL. */
static const char *required_group;

static void
print_sid(const char *label, PSID sid)
{
    LPSTR text = NULL;

    if (ConvertSidToStringSidA(sid, &text)) {
        example_print_name(label, text);
        LocalFree(text);
    }
}

/* GetTokenInformation's two calls: the size, then the answer. NULL when it fails. */
static void *
token_information(HANDLE token, TOKEN_INFORMATION_CLASS what)
{
    DWORD size = 0;
    void *info;

    if (GetTokenInformation(token, what, NULL, 0, &size) ||
        GetLastError() != ERROR_INSUFFICIENT_BUFFER)
        return NULL;
    info = malloc(size);
    if (info != NULL && !GetTokenInformation(token, what, info, size, &size)) {
        free(info);
        info = NULL;
    }
    return info;
}

/*
 * The client's token as Windows code reads it: the user and group SIDs (a Kerberos ticket's
 * PAC, an NTLM domain logon's, or a local account's unix SIDs), and with --require-group
 * whether the client is a member of that group (CheckTokenMembership), refusing it if not.
 */
static int
report_token(PCtxtHandle ctx)
{
    HANDLE token = NULL;
    TOKEN_USER *user = NULL;
    TOKEN_PRIMARY_GROUP *primary = NULL;
    TOKEN_GROUPS *groups = NULL;
    PSID required = NULL;
    BOOL member = FALSE;
    DWORD i;
    int ret = required_group != NULL ? -1 : 0;

    if (QuerySecurityContextToken(ctx, &token) != SEC_E_OK)
        return ret;
    user = token_information(token, TokenUser);
    primary = token_information(token, TokenPrimaryGroup);
    groups = token_information(token, TokenGroups);
    if (user != NULL)
        print_sid("user SID:", user->User.Sid);
    if (primary != NULL)
        print_sid("primary group SID:", primary->PrimaryGroup);
    for (i = 0; groups != NULL && i < groups->GroupCount; i++)
        print_sid("group SID:", groups->Groups[i].Sid);
    if (required_group != NULL) {
        if (!ConvertStringSidToSidA(required_group, &required) ||
            !CheckTokenMembership(token, required, &member)) {
            fprintf(stderr, "sspi_server: cannot check membership of %s (error %u)\n",
                    required_group, (unsigned)GetLastError());
        } else {
            printf("member of %s: %s\n", required_group, member ? "yes" : "no");
            if (member)
                ret = 0;
            else
                fprintf(stderr, "sspi_server: access denied: not a member of %s\n", required_group);
        }
    }
    LocalFree(required);
    free(groups);
    free(primary);
    free(user);
    CloseHandle(token);
    return ret;
}

/* Prints who logged in, with which package and flags; keeps the names for the caller. */
static int
report_login(PCtxtHandle ctx, ULONG attrs, struct example_peer *peer)
{
    if (example_describe_context(ctx, peer) != SEC_E_OK)
        return -1;
    example_print_name("authenticated:", peer->user);
    example_print_name("package:", peer->package);
    example_print_flags("context flags:", attrs, true);
    return report_token(ctx);
}

/* ---------------------------------------------------------------------------------------- */
/* The framed protocol                                                                      */
/* ---------------------------------------------------------------------------------------- */

static int
serve_framed(int fd, struct server_cred *cred)
{
    CtxtHandle ctx;
    bool have_ctx = false;
    unsigned char *in = NULL, *out = NULL, *message = NULL;
    size_t in_len, out_len, message_len;
    struct example_peer peer = {NULL, NULL};
    enum example_frame kind;
    SECURITY_STATUS status = SEC_I_CONTINUE_NEEDED;
    ULONG attrs = 0;
    char reply[512];
    int ret = -1;

    while (status == SEC_I_CONTINUE_NEEDED) {
        free(in);
        free(out);
        in = out = NULL;
        if (example_recv_frame(fd, &kind, &in, &in_len) != 0)
            goto done;
        if (kind == FRAME_ERROR) {
            example_print_peer_error(in, in_len);
            goto done;
        }
        if (kind != FRAME_TOKEN || in_len == 0) {
            fprintf(stderr, "sspi_server: protocol error: expected an authentication token\n");
            goto done;
        }
        status = accept_step(cred, &ctx, &have_ctx, SERVER_REQ, in, in_len, &out, &out_len, &attrs);
        if (!SEC_SUCCESS(status)) {
            fprintf(stderr, "sspi_server: authentication failed\n");
            example_send_error(fd, "AcceptSecurityContext", status);
            goto done;
        }
        if (example_send_frame(fd, status == SEC_E_OK ? FRAME_DONE : FRAME_TOKEN, out, out_len) !=
            0)
            goto done;
    }
    if (report_login(&ctx, attrs, &peer) != 0)
        goto done;
    if ((attrs & (ASC_RET_CONFIDENTIALITY | ASC_RET_INTEGRITY)) !=
        (ASC_RET_CONFIDENTIALITY | ASC_RET_INTEGRITY)) {
        fprintf(stderr, "sspi_server: the context provides no confidentiality or integrity\n");
        goto done;
    }
    if (example_recv_sealed(fd, &ctx, &message, &message_len) != 0)
        goto done;
    example_print_text("received sealed message:", message, message_len);
    snprintf(reply, sizeof(reply), "Hello %s, the server read your %zu-byte message", peer.user,
             message_len);
    if (example_send_sealed(fd, &ctx, reply) != 0)
        goto done;
    example_print_text("sent sealed reply:", (const unsigned char *)reply, strlen(reply));
    ret = 0;
done:
    free(message);
    free(in);
    free(out);
    example_peer_free(&peer);
    if (have_ctx)
        DeleteSecurityContext(&ctx);
    return ret;
}

/* ---------------------------------------------------------------------------------------- */
/* HTTP                                                                                     */
/* ---------------------------------------------------------------------------------------- */

/* One request head, pointing into the connection's buffer. */
struct http_request {
    const char *method;
    bool http11;
    const char *authorization; /* the Authorization value, or NULL */
    bool close;                /* the client wants the connection closed */
    bool has_body;             /* Content-Length > 0 or Transfer-Encoding */
};

/* Parses the head http_read_head left; 0 or an HTTP status code to answer with. */
static int
http_parse(struct http_conn *c, struct http_request *req)
{
    struct http_head head;
    char *line, *sp1, *sp2;
    size_t i;

    *req = (struct http_request){NULL, false, NULL, false, false};
    if (http_split_head(c, &head) != 0)
        return 400;
    line = head.start_line;
    sp1 = strchr(line, ' ');
    sp2 = sp1 != NULL ? strchr(sp1 + 1, ' ') : NULL;
    if (sp1 == NULL || sp2 == NULL || sp1 == line || sp2 == sp1 + 1)
        return 400;
    *sp1 = *sp2 = '\0';
    req->method = line;
    if (strcmp(sp2 + 1, "HTTP/1.1") == 0)
        req->http11 = true;
    else if (strcmp(sp2 + 1, "HTTP/1.0") != 0)
        return 505;
    req->close = !req->http11;
    for (i = 0; i < head.count; i++) {
        const struct http_field *f = &head.fields[i];

        if (http_field_is(f, "Authorization")) {
            if (req->authorization != NULL)
                return 400;
            req->authorization = f->value;
        } else if (http_field_is(f, "Connection")) {
            if (strcasecmp(f->value, "close") == 0)
                req->close = true;
            else if (strcasecmp(f->value, "keep-alive") == 0 && !req->http11)
                req->close = false;
        } else if (http_field_is(f, "Content-Length")) {
            if (strspn(f->value, "0") != strlen(f->value) || *f->value == '\0')
                req->has_body = true;
        } else if (http_field_is(f, "Transfer-Encoding")) {
            req->has_body = true;
        }
    }
    return 0;
}

/*
 * Writes one response. challenge is the WWW-Authenticate value to send, or NULL to offer both
 * schemes (on a 401) or nothing (otherwise).
 */
static int
http_respond(int fd, int code, const char *challenge, const char *body, bool head_only,
             bool close_conn)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int ret;

    if (f == NULL)
        return -1;
    fprintf(f, "HTTP/1.1 %d %s\r\n", code, http_reason(code));
    if (challenge != NULL)
        fprintf(f, "WWW-Authenticate: %s\r\n", challenge);
    else if (code == 401)
        fprintf(f, "WWW-Authenticate: Negotiate\r\nWWW-Authenticate: NTLM\r\n");
    fprintf(f, "Content-Type: text/plain\r\nContent-Length: %zu\r\n", strlen(body));
    if (close_conn)
        fprintf(f, "Connection: close\r\n");
    fprintf(f, "\r\n%s", head_only ? "" : body);
    if (fclose(f) != 0) {
        free(text);
        return -1;
    }
    ret = example_write_all(fd, text, len);
    free(text);
    return ret;
}

/* The authentication state of one connection: which scheme, and the context so far. */
struct http_auth {
    struct server_cred *cred; /* NULL until a token arrives */
    const char *scheme;
    CtxtHandle ctx;
    bool have_ctx;
};

static void
http_auth_reset(struct http_auth *auth)
{
    if (auth->have_ctx)
        DeleteSecurityContext(&auth->ctx);
    auth->have_ctx = false;
    auth->cred = NULL;
    auth->scheme = NULL;
}

/*
 * Handles one request that carries an Authorization header. Returns 1 when authentication is
 * complete (200 sent), 0 when another round is due (401 with a token sent), -1 on failure
 * (response sent when possible).
 */
static int
http_authenticate(int fd, const struct http_request *req, struct server_cred creds[2],
                  struct http_auth *auth)
{
    static const char *const schemes[2] = {"Negotiate", "NTLM"};
    const char *scheme;
    unsigned char *token = NULL, *out = NULL;
    size_t scheme_len, token_len, out_len;
    struct example_peer peer = {NULL, NULL};
    char *challenge = NULL, *b64 = NULL, *body = NULL;
    bool head = strcmp(req->method, "HEAD") == 0;
    SECURITY_STATUS status;
    ULONG attrs = 0;
    int i, ret = -1;

    if (http_auth_token(req->authorization, &scheme, &scheme_len, &token, &token_len) != 0) {
        fprintf(stderr, "sspi_server: malformed Authorization header\n");
        http_respond(fd, 400, NULL, "malformed Authorization header\n", head, true);
        goto done;
    }
    for (i = 0; i < 2; i++) {
        if (scheme_len == strlen(schemes[i]) && strncasecmp(scheme, schemes[i], scheme_len) == 0)
            break;
    }
    if (i == 2) {
        fprintf(stderr, "sspi_server: unsupported authentication scheme\n");
        http_respond(fd, 401, NULL, "unsupported authentication scheme\n", head, req->close);
        ret = req->close ? -1 : 0;
        goto done;
    }
    /* A token under another scheme than the one in progress starts over. */
    if (auth->cred != &creds[i]) {
        http_auth_reset(auth);
        auth->cred = &creds[i];
        auth->scheme = schemes[i];
    }
    status = accept_step(auth->cred, &auth->ctx, &auth->have_ctx, HTTP_REQ, token, token_len, &out,
                         &out_len, &attrs);
    if (!SEC_SUCCESS(status)) {
        fprintf(stderr, "sspi_server: authentication failed\n");
        http_respond(fd, 401, NULL, "authentication failed\n", head, true);
        goto done;
    }
    if (out_len > 0) {
        b64 = http_base64_encode(out, out_len);
        challenge = b64 != NULL ? http_format("%s %s", auth->scheme, b64) : NULL;
        if (challenge == NULL)
            goto done;
    }
    if (status == SEC_I_CONTINUE_NEEDED) {
        if (challenge == NULL) {
            fprintf(stderr, "sspi_server: the package wants another round but sent no token\n");
            http_respond(fd, 401, NULL, "authentication failed\n", head, true);
            goto done;
        }
        if (http_respond(fd, 401, challenge, "continue authentication\n", head, req->close) != 0)
            goto done;
        if (req->close)
            fprintf(stderr, "sspi_server: the client closes the connection mid-authentication\n");
        ret = req->close ? -1 : 0;
        goto done;
    }
    if (report_login(&auth->ctx, attrs, &peer) != 0) {
        http_respond(fd, 401, NULL, "authentication failed\n", head, true);
        goto done;
    }
    body = http_format("Hello, %s (package %s)\n", peer.user, peer.package);
    if (body == NULL)
        goto done;
    if (http_respond(fd, 200, challenge, body, head, true) != 0)
        goto done;
    example_print_name("sent HTTP 200 to", peer.user);
    ret = 1;
done:
    free(body);
    free(challenge);
    free(b64);
    free(out);
    free(token);
    example_peer_free(&peer);
    return ret;
}

/*
 * One connection: requests without credentials get 401 and the two offers; each request with
 * an Authorization header runs one round on the connection's context. The connection ends
 * after the 200 that completes authentication, or at the first failure.
 */
static int
serve_http(int fd, struct server_cred creds[2])
{
    struct http_conn conn;
    struct http_auth auth = {NULL, NULL, {0, 0}, false};
    struct http_request req;
    int ret = -1, code, step;

    if (http_conn_init(&conn, fd) != 0)
        return -1;
    for (;;) {
        enum http_read r = http_read_head(&conn);
        bool head;

        if (r == HTTP_READ_EOF) {
            fprintf(stderr, "sspi_server: the client closed the connection before "
                            "authenticating\n");
            goto done;
        }
        if (r == HTTP_READ_TOO_LARGE || r == HTTP_READ_ERROR) {
            http_respond(fd, r == HTTP_READ_TOO_LARGE ? 431 : 400, NULL, "bad request\n", false,
                         true);
            goto done;
        }
        code = http_parse(&conn, &req);
        head = req.method != NULL && strcmp(req.method, "HEAD") == 0;
        if (code == 0 && strcmp(req.method, "GET") != 0 && !head)
            code = 405;
        if (code == 0 && req.has_body)
            code = 413;
        if (code != 0) {
            fprintf(stderr, "sspi_server: rejecting request with HTTP %d\n", code);
            http_respond(fd, code, NULL, "bad request\n", head, true);
            goto done;
        }
        if (req.authorization == NULL) {
            http_auth_reset(&auth);
            if (http_respond(fd, 401, NULL, "authentication required\n", head, req.close) != 0)
                goto done;
            if (req.close) {
                fprintf(stderr, "sspi_server: 401 sent, the client closes the connection\n");
                goto done;
            }
            continue;
        }
        step = http_authenticate(fd, &req, creds, &auth);
        if (step < 0)
            goto done;
        if (step > 0)
            break;
    }
    ret = 0;
done:
    http_auth_reset(&auth);
    http_conn_free(&conn);
    return ret;
}

/* ---------------------------------------------------------------------------------------- */
/* Listening                                                                                */
/* ---------------------------------------------------------------------------------------- */

static int
listen_on_loopback(uint16_t port)
{
    struct sockaddr_in addr = {0};
    socklen_t len = sizeof(addr);
    int fd, one = 1;

    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("sspi_server: socket");
        return -1;
    }
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(fd, 8) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        perror("sspi_server: listening on 127.0.0.1");
        close(fd);
        return -1;
    }
    printf("listening on 127.0.0.1:%u\n", (unsigned)ntohs(addr.sin_port));
    return fd;
}

static int
accept_client(int listen_fd)
{
    struct sockaddr_in peer;
    socklen_t len = sizeof(peer);
    char addr[INET_ADDRSTRLEN];
    int fd;

    do {
        fd = accept(listen_fd, (struct sockaddr *)&peer, &len);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        perror("sspi_server: accept");
        return -1;
    }
    if (example_set_timeouts(fd) != 0) {
        close(fd);
        return -1;
    }
    printf("client connected from %s:%u\n",
           inet_ntop(AF_INET, &peer.sin_addr, addr, sizeof(addr)) != NULL ? addr : "?",
           (unsigned)ntohs(peer.sin_port));
    return fd;
}

int
main(int argc, char **argv)
{
    static char negotiate[] = NEGOSSP_NAME_A, ntlm[] = NTLMSP_NAME_A;
    struct server_options opt;
    struct server_cred creds[2] = {{{0, 0}, false, 0}, {{0, 0}, false, 0}};
    int listen_fd = -1, ret = 1;

    example_set_program("sspi_server");
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (parse_options(argc, argv, &opt) != 0) {
        usage();
        return 2;
    }
    required_group = opt.require_group;
    /* HTTP: creds[0] for the Negotiate scheme, creds[1] for NTLM; framed: creds[0] only. */
    if (server_cred_acquire(&creds[0], opt.http ? negotiate : opt.package) != 0 ||
        (opt.http && server_cred_acquire(&creds[1], ntlm) != 0))
        goto done;
    listen_fd = listen_on_loopback(opt.port);
    if (listen_fd < 0)
        goto done;
    for (;;) {
        int fd = accept_client(listen_fd), rc;

        if (fd < 0)
            goto done;
        rc = opt.http ? serve_http(fd, creds) : serve_framed(fd, &creds[0]);
        close(fd);
        printf("client %s\n", rc == 0 ? "authenticated and served" : "failed");
        if (opt.once) {
            ret = rc == 0 ? 0 : 1;
            break;
        }
    }
done:
    if (listen_fd >= 0)
        close(listen_fd);
    server_cred_release(&creds[1]);
    server_cred_release(&creds[0]);
    return ret;
}
