/*
 * Shared by the SSPI example client and server: the framed protocol over TCP, sealing with
 * EncryptMessage/DecryptMessage, context descriptions, and names for statuses and flags.
 */
#include "sspi_example_common.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

static const char *program = "sspi_example";

void
example_set_program(const char *name)
{
    program = name;
}

const char *
example_program(void)
{
    return program;
}

/* ---------------------------------------------------------------------------------------- */
/* Names                                                                                    */
/* ---------------------------------------------------------------------------------------- */

struct named_value {
    ULONG value;
    const char *name;
};

/* clang-format off */
#define NAMED(v) { (ULONG)(v), #v }
/* clang-format on */

static const struct named_value status_names[] = {
    NAMED(SEC_E_OK),
    NAMED(SEC_I_CONTINUE_NEEDED),
    NAMED(SEC_I_COMPLETE_NEEDED),
    NAMED(SEC_I_COMPLETE_AND_CONTINUE),
    NAMED(SEC_I_CONTEXT_EXPIRED),
    NAMED(SEC_I_INCOMPLETE_CREDENTIALS),
    NAMED(SEC_I_RENEGOTIATE),
    NAMED(SEC_E_INSUFFICIENT_MEMORY),
    NAMED(SEC_E_INVALID_HANDLE),
    NAMED(SEC_E_UNSUPPORTED_FUNCTION),
    NAMED(SEC_E_TARGET_UNKNOWN),
    NAMED(SEC_E_INTERNAL_ERROR),
    NAMED(SEC_E_SECPKG_NOT_FOUND),
    NAMED(SEC_E_NOT_OWNER),
    NAMED(SEC_E_INVALID_TOKEN),
    NAMED(SEC_E_CANNOT_PACK),
    NAMED(SEC_E_QOP_NOT_SUPPORTED),
    NAMED(SEC_E_NO_IMPERSONATION),
    NAMED(SEC_E_LOGON_DENIED),
    NAMED(SEC_E_UNKNOWN_CREDENTIALS),
    NAMED(SEC_E_NO_CREDENTIALS),
    NAMED(SEC_E_MESSAGE_ALTERED),
    NAMED(SEC_E_OUT_OF_SEQUENCE),
    NAMED(SEC_E_NO_AUTHENTICATING_AUTHORITY),
    NAMED(SEC_E_CONTEXT_EXPIRED),
    NAMED(SEC_E_INCOMPLETE_MESSAGE),
    NAMED(SEC_E_INCOMPLETE_CREDENTIALS),
    NAMED(SEC_E_BUFFER_TOO_SMALL),
    NAMED(SEC_E_WRONG_PRINCIPAL),
    NAMED(SEC_E_TIME_SKEW),
    NAMED(SEC_E_ILLEGAL_MESSAGE),
    NAMED(SEC_E_ENCRYPT_FAILURE),
    NAMED(SEC_E_DECRYPT_FAILURE),
    NAMED(SEC_E_ALGORITHM_MISMATCH),
    NAMED(SEC_E_UNFINISHED_CONTEXT_DELETED),
    NAMED(SEC_E_WRONG_CREDENTIAL_HANDLE),
    NAMED(SEC_E_KDC_UNKNOWN_ETYPE),
    NAMED(SEC_E_DELEGATION_REQUIRED),
    NAMED(SEC_E_BAD_BINDINGS),
    NAMED(SEC_E_NO_KERB_KEY),
    NAMED(SEC_E_DOWNGRADE_DETECTED),
    NAMED(SEC_E_INVALID_PARAMETER),
    NAMED(SEC_E_POLICY_NLTM_ONLY),
    NAMED(SEC_E_NO_CONTEXT),
    NAMED(SEC_E_MUTUAL_AUTH_FAILED),
    NAMED(SEC_E_INSUFFICIENT_BUFFERS),
};

static const struct named_value isc_ret_names[] = {
    NAMED(ISC_RET_DELEGATE),
    NAMED(ISC_RET_MUTUAL_AUTH),
    NAMED(ISC_RET_REPLAY_DETECT),
    NAMED(ISC_RET_SEQUENCE_DETECT),
    NAMED(ISC_RET_CONFIDENTIALITY),
    NAMED(ISC_RET_USE_SESSION_KEY),
    NAMED(ISC_RET_USED_COLLECTED_CREDS),
    NAMED(ISC_RET_USED_SUPPLIED_CREDS),
    NAMED(ISC_RET_ALLOCATED_MEMORY),
    NAMED(ISC_RET_USED_DCE_STYLE),
    NAMED(ISC_RET_DATAGRAM),
    NAMED(ISC_RET_CONNECTION),
    NAMED(ISC_RET_INTERMEDIATE_RETURN),
    NAMED(ISC_RET_CALL_LEVEL),
    NAMED(ISC_RET_EXTENDED_ERROR),
    NAMED(ISC_RET_STREAM),
    NAMED(ISC_RET_INTEGRITY),
    NAMED(ISC_RET_IDENTIFY),
    NAMED(ISC_RET_NULL_SESSION),
    NAMED(ISC_RET_MANUAL_CRED_VALIDATION),
    NAMED(ISC_RET_FRAGMENT_ONLY),
    NAMED(ISC_RET_FORWARD_CREDENTIALS),
    NAMED(ISC_RET_USED_HTTP_STYLE),
    NAMED(ISC_RET_NO_ADDITIONAL_TOKEN),
    NAMED(ISC_RET_REAUTHENTICATION),
    NAMED(ISC_RET_CONFIDENTIALITY_ONLY),
};

static const struct named_value asc_ret_names[] = {
    NAMED(ASC_RET_DELEGATE),
    NAMED(ASC_RET_MUTUAL_AUTH),
    NAMED(ASC_RET_REPLAY_DETECT),
    NAMED(ASC_RET_SEQUENCE_DETECT),
    NAMED(ASC_RET_CONFIDENTIALITY),
    NAMED(ASC_RET_USE_SESSION_KEY),
    NAMED(ASC_RET_SESSION_TICKET),
    NAMED(ASC_RET_ALLOCATED_MEMORY),
    NAMED(ASC_RET_USED_DCE_STYLE),
    NAMED(ASC_RET_DATAGRAM),
    NAMED(ASC_RET_CONNECTION),
    NAMED(ASC_RET_CALL_LEVEL),
    NAMED(ASC_RET_THIRD_LEG_FAILED),
    NAMED(ASC_RET_EXTENDED_ERROR),
    NAMED(ASC_RET_STREAM),
    NAMED(ASC_RET_INTEGRITY),
    NAMED(ASC_RET_LICENSING),
    NAMED(ASC_RET_IDENTIFY),
    NAMED(ASC_RET_NULL_SESSION),
    NAMED(ASC_RET_ALLOW_NON_USER_LOGONS),
    NAMED(ASC_RET_ALLOW_CONTEXT_REPLAY),
    NAMED(ASC_RET_FRAGMENT_ONLY),
    NAMED(ASC_RET_NO_TOKEN),
    NAMED(ASC_RET_NO_ADDITIONAL_TOKEN),
    NAMED(ASC_RET_NO_PROXY_BINDINGS),
    NAMED(ASC_RET_MISSING_BINDINGS),
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *
example_status_name(SECURITY_STATUS status)
{
    size_t i;

    for (i = 0; i < COUNT(status_names); i++) {
        if (status_names[i].value == (ULONG)status)
            return status_names[i].name;
    }
    return "unknown status";
}

void
example_report(const char *call, SECURITY_STATUS status)
{
    fprintf(stderr, "%s: %s failed: 0x%08lX (%s)\n", program, call, (unsigned long)(ULONG)status,
            example_status_name(status));
}

void
example_print_flags(const char *label, ULONG flags, bool acceptor)
{
    const struct named_value *names = acceptor ? asc_ret_names : isc_ret_names;
    size_t count = acceptor ? COUNT(asc_ret_names) : COUNT(isc_ret_names), i;
    ULONG rest = flags;
    const char *sep = "";

    printf("%s 0x%08lX (", label, (unsigned long)flags);
    for (i = 0; i < count; i++) {
        if (flags & names[i].value) {
            printf("%s%s", sep, names[i].name);
            sep = " | ";
            rest &= ~names[i].value;
        }
    }
    if (rest != 0)
        printf("%s0x%08lX", sep, (unsigned long)rest);
    else if (*sep == '\0')
        printf("none");
    printf(")\n");
}

void
example_print_name(const char *label, const char *name)
{
    printf("%s ", label);
    for (; *name != '\0'; name++)
        putchar(isprint((unsigned char)*name) ? *name : '?');
    putchar('\n');
}

void
example_print_text(const char *label, const unsigned char *text, size_t len)
{
    size_t i;

    printf("%s \"", label);
    for (i = 0; i < len; i++) {
        if (isprint(text[i]) && text[i] != '"')
            putchar(text[i]);
        else
            printf("\\x%02X", text[i]);
    }
    printf("\"\n");
}

int
example_parse_port(const char *text, uint16_t *port)
{
    char *end;
    unsigned long value;

    errno = 0;
    value = strtoul(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || !isdigit((unsigned char)*text) ||
        value > 65535)
        return -1;
    *port = (uint16_t)value;
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Socket I/O                                                                               */
/* ---------------------------------------------------------------------------------------- */

int
example_set_timeouts(int fd)
{
    struct timeval tv = {EXAMPLE_IO_TIMEOUT, 0};

    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0) {
        fprintf(stderr, "%s: setsockopt: %s\n", program, strerror(errno));
        return -1;
    }
    return 0;
}

int
example_write_all(int fd, const void *buf, size_t len)
{
    const unsigned char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "%s: send: %s\n", program, n < 0 ? strerror(errno) : "no progress");
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads exactly len bytes; a clean end of stream before the first byte is reported as such. */
static int
read_exact(int fd, void *buf, size_t len)
{
    unsigned char *p = buf;

    while (len > 0) {
        ssize_t n = recv(fd, p, len, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0) {
            fprintf(stderr, "%s: the peer closed the connection\n", program);
            return -1;
        }
        if (n < 0) {
            fprintf(stderr, "%s: recv: %s\n", program,
                    errno == EAGAIN || errno == EWOULDBLOCK ? "timed out" : strerror(errno));
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/*
 * Frame layout (all integers big-endian):
 *
 *   offset  size  field
 *   0       1     kind: FRAME_TOKEN, FRAME_DONE, FRAME_ERROR or FRAME_MESSAGE
 *   1       4     n, the payload length (bounded per kind, see frame_limit)
 *   5       n     payload
 *
 * ERROR payload:   [0..4) SECURITY_STATUS, [4..n) name of the failing call (ASCII).
 * MESSAGE payload: [0..4) t, token length; [4..4+t) SECBUFFER_TOKEN; [4+t..n) SECBUFFER_DATA.
 */
#define FRAME_HEADER 5
#define ERROR_CALL_MAX 64

static size_t
frame_limit(enum example_frame kind)
{
    switch (kind) {
    case FRAME_TOKEN:
    case FRAME_DONE:
        return EXAMPLE_MAX_TOKEN;
    case FRAME_ERROR:
        return 4 + ERROR_CALL_MAX;
    case FRAME_MESSAGE:
        return EXAMPLE_MAX_MESSAGE;
    }
    return 0;
}

static void
put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t
get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int
example_send_frame(int fd, enum example_frame kind, const void *data, size_t len)
{
    unsigned char header[FRAME_HEADER];

    if (len > frame_limit(kind)) {
        fprintf(stderr, "%s: refusing to send a %zu-byte '%c' frame (limit %zu)\n", program, len,
                (char)kind, frame_limit(kind));
        return -1;
    }
    header[0] = (unsigned char)kind;
    put_be32(header + 1, (uint32_t)len);
    if (example_write_all(fd, header, sizeof(header)) != 0)
        return -1;
    return len > 0 ? example_write_all(fd, data, len) : 0;
}

int
example_send_error(int fd, const char *call, SECURITY_STATUS status)
{
    unsigned char payload[4 + ERROR_CALL_MAX];
    size_t call_len = strnlen(call, ERROR_CALL_MAX);

    put_be32(payload, (uint32_t)status);
    memcpy(payload + 4, call, call_len);
    return example_send_frame(fd, FRAME_ERROR, payload, 4 + call_len);
}

int
example_recv_frame(int fd, enum example_frame *kind, unsigned char **data, size_t *len)
{
    unsigned char header[FRAME_HEADER], *payload = NULL;
    enum example_frame k;
    size_t n;

    if (read_exact(fd, header, sizeof(header)) != 0)
        return -1;
    k = (enum example_frame)header[0];
    n = get_be32(header + 1);
    if (frame_limit(k) == 0) {
        fprintf(stderr, "%s: protocol error: unknown frame kind 0x%02X\n", program, header[0]);
        return -1;
    }
    if (n > frame_limit(k)) {
        fprintf(stderr, "%s: protocol error: '%c' frame of %zu bytes exceeds the %zu-byte limit\n",
                program, (char)k, n, frame_limit(k));
        return -1;
    }
    /* One spare byte so that an empty payload still gets a distinct, freeable pointer. */
    payload = malloc(n + 1);
    if (payload == NULL) {
        fprintf(stderr, "%s: out of memory\n", program);
        return -1;
    }
    if (n > 0 && read_exact(fd, payload, n) != 0) {
        free(payload);
        return -1;
    }
    *kind = k;
    *data = payload;
    *len = n;
    return 0;
}

void
example_print_peer_error(const unsigned char *data, size_t len)
{
    SECURITY_STATUS status;
    size_t i;

    if (len < 4) {
        fprintf(stderr, "%s: the peer reported a failure (malformed error frame)\n", program);
        return;
    }
    status = (SECURITY_STATUS)get_be32(data);
    fprintf(stderr, "%s: the peer failed: ", program);
    for (i = 4; i < len; i++)
        fputc(isprint(data[i]) ? data[i] : '?', stderr);
    fprintf(stderr, " returned 0x%08lX (%s)\n", (unsigned long)(ULONG)status,
            example_status_name(status));
}

/* ---------------------------------------------------------------------------------------- */
/* Context description                                                                      */
/* ---------------------------------------------------------------------------------------- */

void
example_peer_free(struct example_peer *peer)
{
    free(peer->user);
    free(peer->package);
    peer->user = peer->package = NULL;
}

/*
 * Negotiate says which package it settled on through SECPKG_ATTR_NEGOTIATION_INFO; a context
 * of a single package may not support that level, and then its own package info answers.
 */
static SECURITY_STATUS
context_package(PCtxtHandle ctx, char **out)
{
    SecPkgContext_NegotiationInfoA nego = {0};
    SecPkgContext_PackageInfoA info = {0};
    SECURITY_STATUS status;
    PSecPkgInfoA pkg;

    status = QueryContextAttributesA(ctx, SECPKG_ATTR_NEGOTIATION_INFO, &nego);
    pkg = nego.PackageInfo;
    if (status == SEC_E_UNSUPPORTED_FUNCTION) {
        status = QueryContextAttributesA(ctx, SECPKG_ATTR_PACKAGE_INFO, &info);
        if (status != SEC_E_OK) {
            example_report("QueryContextAttributesA(SECPKG_ATTR_PACKAGE_INFO)", status);
            return status;
        }
        pkg = info.PackageInfo;
    } else if (status != SEC_E_OK) {
        example_report("QueryContextAttributesA(SECPKG_ATTR_NEGOTIATION_INFO)", status);
        return status;
    }
    *out = pkg != NULL && pkg->Name != NULL ? strdup(pkg->Name) : strdup("(unnamed)");
    FreeContextBuffer(pkg);
    return *out != NULL ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

SECURITY_STATUS
example_describe_context(PCtxtHandle ctx, struct example_peer *peer)
{
    SecPkgContext_NamesA names = {0};
    SECURITY_STATUS status;

    peer->user = peer->package = NULL;
    status = QueryContextAttributesA(ctx, SECPKG_ATTR_NAMES, &names);
    if (status != SEC_E_OK) {
        example_report("QueryContextAttributesA(SECPKG_ATTR_NAMES)", status);
        return status;
    }
    peer->user = strdup(names.sUserName != NULL ? names.sUserName : "");
    FreeContextBuffer(names.sUserName);
    status = peer->user != NULL ? context_package(ctx, &peer->package) : SEC_E_INSUFFICIENT_MEMORY;
    if (status != SEC_E_OK)
        example_peer_free(peer);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* Sealed messages                                                                          */
/* ---------------------------------------------------------------------------------------- */

int
example_send_sealed(int fd, PCtxtHandle ctx, const char *text)
{
    SecPkgContext_Sizes sizes;
    SecBuffer bufs[2];
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    SECURITY_STATUS status;
    size_t text_len = strlen(text), payload_len;
    unsigned char *work = NULL, *payload = NULL;
    int ret = -1;

    status = QueryContextAttributesA(ctx, SECPKG_ATTR_SIZES, &sizes);
    if (status != SEC_E_OK) {
        example_report("QueryContextAttributesA(SECPKG_ATTR_SIZES)", status);
        goto done;
    }
    if (sizes.cbSecurityTrailer > EXAMPLE_MAX_TOKEN ||
        text_len > EXAMPLE_MAX_MESSAGE - 4 - sizes.cbSecurityTrailer) {
        fprintf(stderr, "%s: message too large to seal (trailer %lu bytes)\n", program,
                (unsigned long)sizes.cbSecurityTrailer);
        goto done;
    }
    /* The trailer first, then the data, in one block: EncryptMessage works in place. */
    work = malloc(sizes.cbSecurityTrailer + text_len + 1);
    if (work == NULL)
        goto done;
    memcpy(work + sizes.cbSecurityTrailer, text, text_len);
    bufs[0] = (SecBuffer){sizes.cbSecurityTrailer, SECBUFFER_TOKEN, work};
    bufs[1] = (SecBuffer){(ULONG)text_len, SECBUFFER_DATA, work + sizes.cbSecurityTrailer};
    status = EncryptMessage(ctx, 0, &desc, 0);
    if (status != SEC_E_OK) {
        example_report("EncryptMessage", status);
        goto done;
    }
    /* The package may use less trailer than it reserved; only what it used goes out. */
    if (bufs[0].cbBuffer > sizes.cbSecurityTrailer || bufs[1].cbBuffer > text_len) {
        fprintf(stderr, "%s: EncryptMessage grew its buffers\n", program);
        goto done;
    }
    payload_len = 4 + (size_t)bufs[0].cbBuffer + bufs[1].cbBuffer;
    payload = malloc(payload_len);
    if (payload == NULL)
        goto done;
    put_be32(payload, bufs[0].cbBuffer);
    memcpy(payload + 4, bufs[0].pvBuffer, bufs[0].cbBuffer);
    memcpy(payload + 4 + bufs[0].cbBuffer, bufs[1].pvBuffer, bufs[1].cbBuffer);
    ret = example_send_frame(fd, FRAME_MESSAGE, payload, payload_len);
done:
    free(payload);
    free(work);
    return ret;
}

int
example_recv_sealed(int fd, PCtxtHandle ctx, unsigned char **text, size_t *len)
{
    enum example_frame kind;
    unsigned char *payload = NULL, *plain = NULL;
    size_t payload_len, token_len;
    SecBuffer bufs[2];
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    SECURITY_STATUS status;
    ULONG qop = 0;
    int ret = -1;

    if (example_recv_frame(fd, &kind, &payload, &payload_len) != 0)
        goto done;
    if (kind == FRAME_ERROR) {
        example_print_peer_error(payload, payload_len);
        goto done;
    }
    if (kind != FRAME_MESSAGE || payload_len < 4) {
        fprintf(stderr, "%s: protocol error: expected a sealed message\n", program);
        goto done;
    }
    token_len = get_be32(payload);
    if (token_len > EXAMPLE_MAX_TOKEN || token_len > payload_len - 4) {
        fprintf(stderr, "%s: protocol error: sealed message token length out of range\n", program);
        goto done;
    }
    bufs[0] = (SecBuffer){(ULONG)token_len, SECBUFFER_TOKEN, payload + 4};
    bufs[1] =
        (SecBuffer){(ULONG)(payload_len - 4 - token_len), SECBUFFER_DATA, payload + 4 + token_len};
    status = DecryptMessage(ctx, &desc, 0, &qop);
    if (status != SEC_E_OK) {
        example_report("DecryptMessage", status);
        goto done;
    }
    if (qop & SECQOP_WRAP_NO_ENCRYPT) {
        fprintf(stderr, "%s: the message was signed but not encrypted\n", program);
        goto done;
    }
    /* The plaintext is wherever the DATA buffer now points; it must lie inside the payload. */
    if ((unsigned char *)bufs[1].pvBuffer < payload ||
        (unsigned char *)bufs[1].pvBuffer + bufs[1].cbBuffer > payload + payload_len) {
        fprintf(stderr, "%s: DecryptMessage moved the data outside the message\n", program);
        goto done;
    }
    plain = malloc((size_t)bufs[1].cbBuffer + 1);
    if (plain == NULL)
        goto done;
    memcpy(plain, bufs[1].pvBuffer, bufs[1].cbBuffer);
    plain[bufs[1].cbBuffer] = '\0';
    *text = plain;
    *len = bufs[1].cbBuffer;
    plain = NULL;
    ret = 0;
done:
    free(plain);
    free(payload);
    return ret;
}
