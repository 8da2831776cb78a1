/*
 * HTTP for the SSPI examples: bounded reads of heads and bodies, head splitting, the
 * Authorization/WWW-Authenticate token values and their base64. Only what the two examples
 * need: GET, Content-Length bodies (or until close), no chunked transfer coding.
 */
#include "sspi_http.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "sspi_example_common.h"

int
http_conn_init(struct http_conn *c, int fd)
{
    *c = (struct http_conn){fd, malloc(HTTP_MAX_HEAD + 1), 0, 0};
    if (c->buf == NULL) {
        fprintf(stderr, "%s: out of memory\n", example_program());
        return -1;
    }
    return 0;
}

void
http_conn_free(struct http_conn *c)
{
    free(c->buf);
    c->buf = NULL;
}

enum http_read
http_read_head(struct http_conn *c)
{
    char *end;

    memmove(c->buf, c->buf + c->consumed, c->used - c->consumed);
    c->used -= c->consumed;
    c->consumed = 0;
    for (;;) {
        ssize_t n;

        c->buf[c->used] = '\0';
        end = strstr(c->buf, "\r\n\r\n");
        if (end != NULL)
            break;
        if (memchr(c->buf, '\0', c->used) != NULL) {
            fprintf(stderr, "%s: a NUL byte in the message head\n", example_program());
            return HTTP_READ_ERROR;
        }
        if (c->used == HTTP_MAX_HEAD) {
            fprintf(stderr, "%s: message head over %u bytes\n", example_program(), HTTP_MAX_HEAD);
            return HTTP_READ_TOO_LARGE;
        }
        n = recv(c->fd, c->buf + c->used, HTTP_MAX_HEAD - c->used, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 && c->used == 0)
            return HTTP_READ_EOF;
        if (n <= 0) {
            fprintf(stderr, "%s: reading a message head: %s\n", example_program(),
                    n == 0 ? "connection closed mid-message" : strerror(errno));
            return HTTP_READ_ERROR;
        }
        c->used += (size_t)n;
    }
    end[2] = '\0';
    c->consumed = (size_t)(end - c->buf) + 4;
    return HTTP_READ_OK;
}

/* Control characters other than tab have no place in a head line. */
static bool
has_controls(const char *line)
{
    for (; *line != '\0'; line++) {
        if (((unsigned char)*line < 0x20 && *line != '\t') || *line == 0x7f)
            return true;
    }
    return false;
}

int
http_split_head(struct http_conn *c, struct http_head *head)
{
    char *line = c->buf, *next;

    head->count = 0;
    next = strstr(line, "\r\n");
    *next = '\0';
    if (has_controls(line))
        return -1;
    head->start_line = line;
    for (line = next + 2; *line != '\0'; line = next + 2) {
        char *colon, *value, *vend;

        next = strstr(line, "\r\n");
        *next = '\0';
        if (head->count == HTTP_MAX_FIELDS || *line == ' ' || *line == '\t' || has_controls(line))
            return -1; /* too many fields, obsolete line folding, or a stray CR/LF */
        colon = strchr(line, ':');
        if (colon == NULL || colon == line)
            return -1;
        *colon = '\0';
        for (value = colon + 1; *value == ' ' || *value == '\t'; value++)
            ;
        for (vend = value + strlen(value); vend > value && (vend[-1] == ' ' || vend[-1] == '\t');)
            *--vend = '\0';
        head->fields[head->count].name = line;
        head->fields[head->count].value = value;
        head->count++;
    }
    return 0;
}

bool
http_field_is(const struct http_field *field, const char *name)
{
    return strcasecmp(field->name, name) == 0;
}

/* Content-Length: digits only, at most max. */
static int
parse_length(const char *value, size_t max, size_t *len)
{
    size_t n = 0;

    if (*value == '\0')
        return -1;
    for (; *value != '\0'; value++) {
        size_t digit = (size_t)(*value - '0');

        if (*value < '0' || *value > '9' || digit > max || n > (max - digit) / 10)
            return -1;
        n = n * 10 + (size_t)(*value - '0');
    }
    *len = n;
    return 0;
}

/* The body after the head: len bytes, or up to the close when len is SIZE_MAX. */
static int
read_body(struct http_conn *c, size_t len, char **body, size_t *body_len)
{
    bool to_close = len == SIZE_MAX;
    size_t want = to_close ? HTTP_MAX_BODY + 1 : len, have = c->used - c->consumed;
    char *out = malloc(want + 1);

    if (out == NULL) {
        fprintf(stderr, "%s: out of memory\n", example_program());
        return -1;
    }
    if (have > want)
        have = want;
    memcpy(out, c->buf + c->consumed, have);
    c->consumed += have;
    while (have < want) {
        ssize_t n = recv(c->fd, out + have, want - have, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 && to_close)
            break;
        if (n <= 0) {
            fprintf(stderr, "%s: reading a body: %s\n", example_program(),
                    n == 0 ? "connection closed mid-body" : strerror(errno));
            free(out);
            return -1;
        }
        have += (size_t)n;
    }
    if (have > HTTP_MAX_BODY) {
        fprintf(stderr, "%s: body over %u bytes\n", example_program(), HTTP_MAX_BODY);
        free(out);
        return -1;
    }
    out[have] = '\0';
    *body = out;
    *body_len = have;
    return 0;
}

/* "HTTP/1.x NNN reason": the status, and whether the version keeps connections by default. */
static int
parse_status_line(const char *line, int *status, bool *http11)
{
    if (strncmp(line, "HTTP/1.", 7) != 0 || (line[7] != '0' && line[7] != '1') || line[8] != ' ')
        return -1;
    if (line[9] < '1' || line[9] > '5' || line[10] < '0' || line[10] > '9' || line[11] < '0' ||
        line[11] > '9' || (line[12] != ' ' && line[12] != '\0'))
        return -1;
    *status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    *http11 = line[7] == '1';
    return 0;
}

int
http_read_response(struct http_conn *c, struct http_response *resp)
{
    size_t body_len = SIZE_MAX, i;
    bool http11;

    *resp = (struct http_response){0};
    switch (http_read_head(c)) {
    case HTTP_READ_OK:
        break;
    case HTTP_READ_EOF:
        fprintf(stderr, "%s: the server closed the connection\n", example_program());
        return -1;
    default:
        return -1;
    }
    if (http_split_head(c, &resp->head) != 0 ||
        parse_status_line(resp->head.start_line, &resp->status, &http11) != 0) {
        fprintf(stderr, "%s: malformed response head\n", example_program());
        return -1;
    }
    resp->close = !http11;
    for (i = 0; i < resp->head.count; i++) {
        const struct http_field *f = &resp->head.fields[i];

        if (http_field_is(f, "Connection")) {
            if (strcasecmp(f->value, "close") == 0)
                resp->close = true;
            else if (strcasecmp(f->value, "keep-alive") == 0 && !http11)
                resp->close = false;
        } else if (http_field_is(f, "Content-Length")) {
            if (parse_length(f->value, HTTP_MAX_BODY, &body_len) != 0) {
                fprintf(stderr, "%s: Content-Length %s is not a number up to %u\n",
                        example_program(), f->value, HTTP_MAX_BODY);
                return -1;
            }
        } else if (http_field_is(f, "Transfer-Encoding")) {
            fprintf(stderr, "%s: Transfer-Encoding %s is not supported\n", example_program(),
                    f->value);
            return -1;
        }
    }
    /* Without a length the body runs to the close, and the connection cannot be reused. */
    if (body_len == SIZE_MAX)
        resp->close = true;
    if (resp->status == 204 || resp->status == 304)
        body_len = 0;
    return read_body(c, body_len, &resp->body, &resp->body_len);
}

void
http_response_free(struct http_response *resp)
{
    free(resp->body);
    resp->body = NULL;
}

int
http_send_get(int fd, const char *host, const char *path, const char *authorization)
{
    char *request;
    int ret;

    if (authorization != NULL)
        request = http_format("GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\n"
                              "User-Agent: sspi_client\r\n\r\n",
                              path, host, authorization);
    else
        request = http_format("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: sspi_client\r\n\r\n",
                              path, host);
    if (request == NULL) {
        fprintf(stderr, "%s: out of memory\n", example_program());
        return -1;
    }
    ret = example_write_all(fd, request, strlen(request));
    free(request);
    return ret;
}

const char *
http_reason(int code)
{
    switch (code) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Content Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 505:
        return "HTTP Version Not Supported";
    }
    return "Error";
}

char *
http_format(const char *fmt, ...)
{
    va_list ap;
    char *text;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || (text = malloc((size_t)n + 1)) == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return text;
}

int
http_auth_token(const char *value, const char **scheme, size_t *scheme_len, unsigned char **token,
                size_t *token_len)
{
    const char *sp = strchr(value, ' '), *data;

    if (sp == value || *value == '\0')
        return -1;
    *scheme = value;
    if (sp == NULL) {
        *scheme_len = strlen(value);
        return 1;
    }
    *scheme_len = (size_t)(sp - value);
    for (data = sp; *data == ' '; data++)
        ;
    return http_base64_decode(data, strlen(data), EXAMPLE_MAX_TOKEN, token, token_len);
}

bool
http_auth_scheme_is(const char *value, const char *name)
{
    size_t len = strlen(name);

    return strncasecmp(value, name, len) == 0 && (value[len] == '\0' || value[len] == ' ');
}

/* ---------------------------------------------------------------------------------------- */
/* Base64                                                                                   */
/* ---------------------------------------------------------------------------------------- */

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
http_base64_encode(const unsigned char *data, size_t len)
{
    size_t groups = (len + 2) / 3, i, o = 0;
    char *out;

    if (groups > (SIZE_MAX - 1) / 4)
        return NULL;
    out = malloc(groups * 4 + 1);
    if (out == NULL)
        return NULL;
    for (i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16;

        if (i + 1 < len)
            v |= (uint32_t)data[i + 1] << 8;
        if (i + 2 < len)
            v |= data[i + 2];
        out[o++] = b64_alphabet[v >> 18 & 63];
        out[o++] = b64_alphabet[v >> 12 & 63];
        out[o++] = i + 1 < len ? b64_alphabet[v >> 6 & 63] : '=';
        out[o++] = i + 2 < len ? b64_alphabet[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

static int
b64_value(char c)
{
    const char *p = c != '\0' ? strchr(b64_alphabet, c) : NULL;

    return p != NULL ? (int)(p - b64_alphabet) : -1;
}

int
http_base64_decode(const char *text, size_t text_len, size_t max, unsigned char **out,
                   size_t *out_len)
{
    size_t pad = 0, n, i, o = 0;
    unsigned char *buf;

    if (text_len == 0 || text_len % 4 != 0)
        return -1;
    if (text[text_len - 1] == '=')
        pad = text[text_len - 2] == '=' ? 2 : 1;
    n = text_len / 4 * 3 - pad;
    if (n > max)
        return -1;
    buf = malloc(n + 1);
    if (buf == NULL)
        return -1;
    for (i = 0; i < text_len; i += 4) {
        bool last = i + 4 == text_len;
        int v[4], k;
        uint32_t group = 0;

        for (k = 0; k < 4; k++) {
            bool padding = last && k >= 4 - (int)pad;

            v[k] = padding ? 0 : b64_value(text[i + k]);
            if (v[k] < 0 || (padding && text[i + k] != '=')) {
                free(buf);
                return -1;
            }
            group = group << 6 | (uint32_t)v[k];
        }
        /* Non-canonical encodings (stray bits under the padding) are rejected. */
        if ((pad == 1 && last && (group & 0xFF) != 0) ||
            (pad == 2 && last && (group & 0xFFFF) != 0)) {
            free(buf);
            return -1;
        }
        buf[o++] = (unsigned char)(group >> 16);
        if (!last || pad < 2)
            buf[o++] = (unsigned char)(group >> 8);
        if (!last || pad < 1)
            buf[o++] = (unsigned char)group;
    }
    *out = buf;
    *out_len = o;
    return 0;
}
