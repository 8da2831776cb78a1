/*
 * HTTP for the SSPI examples (sspi_server --http, sspi_client --http): bounded reads of message
 * heads and bodies from a socket, splitting a head into its start line and fields, and the
 * "Scheme base64-token" values of Authorization and WWW-Authenticate.
 */
#ifndef SSPI_HTTP_H
#define SSPI_HTTP_H

#include <stdbool.h>
#include <stddef.h>

/* Bounds on what either side reads: a message head, its header fields, a message body. */
#define HTTP_MAX_HEAD (100u * 1024u)
#define HTTP_MAX_FIELDS 64
#define HTTP_MAX_BODY (64u * 1024u)

/* One connection's receive buffer; messages are read from it in order. */
struct http_conn {
    int fd;
    char *buf;       /* HTTP_MAX_HEAD + 1 bytes */
    size_t used;     /* bytes received and not yet dropped */
    size_t consumed; /* bytes of the current message, dropped by the next read */
};

enum http_read { HTTP_READ_OK, HTTP_READ_EOF, HTTP_READ_ERROR, HTTP_READ_TOO_LARGE };

/* A header field, pointing into the connection's buffer until its next read. */
struct http_field {
    const char *name;
    const char *value; /* leading and trailing blanks removed */
};

/* A message head split in place. */
struct http_head {
    char *start_line; /* request line or status line */
    struct http_field fields[HTTP_MAX_FIELDS];
    size_t count;
};

/* 0, or -1 when out of memory. */
int http_conn_init(struct http_conn *c, int fd);
void http_conn_free(struct http_conn *c);

/*
 * Drops the previous message and reads until a blank line ends the next head, which is then
 * NUL-terminated at c->buf. HTTP_READ_EOF: the peer closed before sending a byte of it.
 */
enum http_read http_read_head(struct http_conn *c);

/* Splits the head http_read_head left; 0, or -1 for a malformed head. */
int http_split_head(struct http_conn *c, struct http_head *head);

/* The field is called name (case-insensitively). */
bool http_field_is(const struct http_field *field, const char *name);

/* A response as the client sees it; head.fields are valid until the next read. */
struct http_response {
    int status;
    bool close; /* the server closes the connection after this response */
    struct http_head head;
    char *body; /* NUL-terminated */
    size_t body_len;
};

/* Reads one response to a GET, body included; 0, or -1 after printing why not. */
int http_read_response(struct http_conn *c, struct http_response *resp);
void http_response_free(struct http_response *resp);

/* Sends "GET path" with a Host header and, unless NULL, an Authorization header. */
int http_send_get(int fd, const char *host, const char *path, const char *authorization);

const char *http_reason(int code);

/* printf into a fresh allocation; NULL when out of memory. */
char *http_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Splits "Scheme base64" and decodes the token (at most EXAMPLE_MAX_TOKEN bytes). 0, 1 when the
 * value is a bare scheme (no token), or -1 for anything malformed.
 */
int http_auth_token(const char *value, const char **scheme, size_t *scheme_len,
                    unsigned char **token, size_t *token_len);

/* The value's scheme is name (case-insensitively), with or without a token after it. */
bool http_auth_scheme_is(const char *value, const char *name);

/* Base64 (RFC 4648, padded): encode allocates; decode rejects anything not canonical. */
char *http_base64_encode(const unsigned char *data, size_t len);
int http_base64_decode(const char *text, size_t text_len, size_t max, unsigned char **out,
                       size_t *out_len);

#endif /* SSPI_HTTP_H */
