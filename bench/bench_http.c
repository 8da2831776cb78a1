/*
 * bench_http: an HTTP NTLM load generator for bench/apache.sh. CLIENTS threads each log on
 * over and over, every logon on a new TCP connection to HOST:PORT: GET PATH with
 * "Authorization: NTLM <NEGOTIATE>", the 401's CHALLENGE from "WWW-Authenticate: NTLM", then
 * the AUTHENTICATE on the same connection (mod_auth_gssapi keeps the half-built context on
 * it), which must get a 200. The NTLM messages come from the initiator of the GSS module
 * GSS_MECH_CONFIG names, with a password credential for TESTDOM\alice, targeting
 * HTTP@testhost.example. Prints the logons per second of wall time, the latency median and
 * 99th percentile, and the failed logons (any of which is also exit status 1).
 *
 *   bench_http HOST PORT PATH CLIENTS LOGONS
 *   bench_http nthash   (apache.sh's probe of gss-ntlmssp's fault after its logons failed:
 *                        bench_nthash_probe, with GSS_MECH_CONFIG naming gss-ntlmssp)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <openssl/evp.h>

#include "bench_peers.h"
#include "bench_util.h"

#define MAX_CLIENTS 64
#define RESPONSE_MAX 65536
#define REQUEST_MAX 8192

static gss_OID_desc ntlm_oid = {10, "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};

static struct {
    struct sockaddr_in addr;
    const char *path;
    long logons;
} opt;

struct client {
    gss_cred_id_t cred;
    gss_name_t target;
};

/* One HTTP response: its status and the NTLM token of a WWW-Authenticate: NTLM header. */
struct response {
    int status;
    unsigned char token[4096];
    size_t token_len;
};

static int
send_all(int fd, const char *p, size_t len)
{
    ssize_t n;

    while (len > 0) {
        n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* GET with "Authorization: NTLM base64(token)". */
static int
send_request(int fd, const gss_buffer_desc *token)
{
    char req[REQUEST_MAX];
    unsigned char b64[REQUEST_MAX / 2];
    int n;

    if (token->length > (sizeof(b64) - 1) / 4 * 3)
        return -1;
    EVP_EncodeBlock(b64, token->value, (int)token->length);
    n = snprintf(req, sizeof(req),
                 "GET %s HTTP/1.1\r\nHost: testhost.example\r\nAuthorization: NTLM %s\r\n\r\n",
                 opt.path, (const char *)b64);
    if (n < 0 || (size_t)n >= sizeof(req))
        return -1;
    return send_all(fd, req, (size_t)n);
}

/* The NTLM token of a "WWW-Authenticate: NTLM <base64>" line among the headers. */
static void
find_challenge(const char *headers, struct response *r)
{
    const char *p = headers, *b, *end;
    unsigned char buf[sizeof(r->token) + 3];
    size_t len;
    int n;

    while ((p = strstr(p, "\r\n")) != NULL) {
        p += 2;
        if (strncasecmp(p, "WWW-Authenticate: NTLM ", 23) != 0)
            continue;
        b = p + 23;
        end = strstr(b, "\r\n");
        len = end != NULL ? (size_t)(end - b) : 0;
        if (len == 0 || len % 4 != 0 || len / 4 * 3 > sizeof(buf))
            return;
        n = EVP_DecodeBlock(buf, (const unsigned char *)b, (int)len);
        if (n < 0)
            return;
        /* EVP_DecodeBlock counts the padding's zero bytes in. */
        if (b[len - 1] == '=')
            n--;
        if (b[len - 2] == '=')
            n--;
        memcpy(r->token, buf, (size_t)n);
        r->token_len = (size_t)n;
        return;
    }
}

/* Reads one response: headers, then Content-Length bytes of body (thrown away). */
static int
read_response(int fd, struct response *r)
{
    static __thread char buf[RESPONSE_MAX];
    size_t used = 0, head_len, body;
    const char *cl;
    char *end;
    ssize_t n;

    r->status = 0;
    r->token_len = 0;
    for (;;) {
        buf[used] = '\0';
        end = strstr(buf, "\r\n\r\n");
        if (end != NULL)
            break;
        if (used == sizeof(buf) - 1)
            return -1;
        n = recv(fd, buf + used, sizeof(buf) - 1 - used, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        used += (size_t)n;
    }
    head_len = (size_t)(end - buf) + 4;
    end[2] = '\0';
    if (sscanf(buf, "HTTP/1.%*d %d", &r->status) != 1)
        return -1;
    find_challenge(buf, r);
    cl = strcasestr(buf, "\r\nContent-Length:");
    body = cl != NULL ? strtoul(cl + 17, NULL, 10) : 0;
    body -= used - head_len < body ? used - head_len : body;
    while (body > 0) {
        n = recv(fd, buf, body < sizeof(buf) ? body : sizeof(buf), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        body -= (size_t)n;
    }
    return 0;
}

/* One logon on a new connection: 0 when the server answered 200 to the AUTHENTICATE. */
static int
logon(struct client *c)
{
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    struct response r;
    OM_uint32 maj, min;
    int fd, one = 1, ret = -1, step;

    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd, (struct sockaddr *)&opt.addr, sizeof(opt.addr)) != 0)
        goto done;
    for (step = 0; step < 2; step++) {
        maj = gss_init_sec_context(&min, c->cred, &ctx, c->target, &ntlm_oid,
                                   GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, 0, GSS_C_NO_CHANNEL_BINDINGS,
                                   step == 0 ? GSS_C_NO_BUFFER : &in, NULL, &out, NULL, NULL);
        if (GSS_ERROR(maj) || out.length == 0)
            goto done;
        ret = send_request(fd, &out);
        gss_release_buffer(&min, &out);
        if (ret != 0 || read_response(fd, &r) != 0) {
            ret = -1;
            goto done;
        }
        ret = -1;
        if (step == 0) {
            if (r.status != 401 || r.token_len == 0)
                goto done;
            in.value = r.token;
            in.length = r.token_len;
        } else if (r.status == 200) {
            ret = 0;
        }
    }
done:
    gss_release_buffer(&min, &out);
    gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    close(fd);
    return ret;
}

static int
logon_op(void *arg)
{
    return logon(arg);
}

static int
client_setup(struct client *c)
{
    gss_buffer_desc user = {strlen(BENCH_DOMAIN "\\" BENCH_USER), BENCH_DOMAIN "\\" BENCH_USER};
    gss_buffer_desc pw = {strlen(BENCH_PASSWORD), BENCH_PASSWORD};
    gss_buffer_desc target = {strlen("HTTP@testhost.example"), "HTTP@testhost.example"};
    gss_OID_set_desc mechs = {1, &ntlm_oid};
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 maj, min;

    maj = gss_import_name(&min, &user, GSS_C_NT_USER_NAME, &name);
    if (maj == GSS_S_COMPLETE)
        maj = gss_acquire_cred_with_password(&min, name, &pw, 0, &mechs, GSS_C_INITIATE, &c->cred,
                                             NULL, NULL);
    gss_release_name(&min, &name);
    if (maj == GSS_S_COMPLETE)
        maj = gss_import_name(&min, &target, GSS_C_NT_HOSTBASED_SERVICE, &c->target);
    return maj == GSS_S_COMPLETE ? 0 : -1;
}

int
main(int argc, char **argv)
{
    struct client clients[MAX_CLIENTS] = {0};
    void *args[MAX_CLIENTS];
    double start, wall, *latency;
    OM_uint32 min;
    long failed;
    int n, i;

    if (argc == 2 && strcmp(argv[1], BENCH_NTHASH_MODE) == 0)
        return bench_nthash_probe();
    if (argc != 6) {
        fprintf(stderr, "usage: bench_http HOST PORT PATH CLIENTS LOGONS | bench_http nthash\n");
        return 2;
    }
    opt.addr.sin_family = AF_INET;
    opt.addr.sin_port = htons((uint16_t)atoi(argv[2]));
    opt.path = argv[3];
    n = atoi(argv[4]);
    opt.logons = atol(argv[5]);
    if (inet_pton(AF_INET, argv[1], &opt.addr.sin_addr) != 1 || n < 1 || n > MAX_CLIENTS ||
        opt.logons < 1)
        return 2;
    latency = calloc((size_t)opt.logons, sizeof(*latency));
    if (latency == NULL)
        return 1;
    for (i = 0; i < n; i++) {
        if (client_setup(&clients[i]) != 0) {
            fprintf(stderr, "bench_http: no NTLM initiator credential (GSS_MECH_CONFIG?)\n");
            return 1;
        }
        args[i] = &clients[i];
    }
    start = bench_now_wall();
    failed = bench_latency_run(n, opt.logons, logon_op, args, latency);
    wall = bench_now_wall() - start;
    printf("logons %ld\nlogons_per_s %.1f\np50_ms %.3f\np99_ms %.3f\nfailed %ld\n", opt.logons,
           (double)opt.logons / wall, bench_quantile(latency, opt.logons, 0.5) * 1000,
           bench_quantile(latency, opt.logons, 0.99) * 1000, failed);
    for (i = 0; i < n; i++) {
        gss_release_cred(&min, &clients[i].cred);
        gss_release_name(&min, &clients[i].target);
    }
    free(latency);
    return failed == 0 ? 0 : 1;
}
