/*
 * What the SSPI example client and server share: the framed wire protocol, status and flag
 * names for messages a person reads, and sealing with EncryptMessage/DecryptMessage (HTTP is
 * in sspi_http.h). Only sspi.h and POSIX are used, as a Windows program would.
 */
#ifndef SSPI_EXAMPLE_COMMON_H
#define SSPI_EXAMPLE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sspi.h>

/* Largest authentication token and largest sealed message either side reads from the wire. */
#define EXAMPLE_MAX_TOKEN (64u * 1024u)
#define EXAMPLE_MAX_MESSAGE (1024u * 1024u)

/* Seconds a peer may stay silent before the other side gives up on it. */
#define EXAMPLE_IO_TIMEOUT 30

/* Frame kinds; see the layout comment in sspi_example_common.c. */
enum example_frame {
    FRAME_TOKEN = 'T',   /* an authentication token, more to come */
    FRAME_DONE = 'D',    /* the server's context is complete; its last token, maybe empty */
    FRAME_ERROR = 'E',   /* the sender failed: SECURITY_STATUS, then the failing call's name */
    FRAME_MESSAGE = 'M', /* a sealed message: token length, token, encrypted data */
};

/* Fixed prefix of every diagnostic ("sspi_client", "sspi_server"). */
void example_set_program(const char *name);
const char *example_program(void);

const char *example_status_name(SECURITY_STATUS status);

/* "PROGRAM: CALL failed: 0x8009030C (SEC_E_LOGON_DENIED)" on stderr. */
void example_report(const char *call, SECURITY_STATUS status);

/* "LABEL 0x00010818 (ISC_RET_CONNECTION | ...)" on stdout. */
void example_print_flags(const char *label, ULONG flags, bool acceptor);

/* "LABEL NAME" on stdout, with anything unprintable in NAME shown as '?'. */
void example_print_name(const char *label, const char *name);

/* Prints text from the peer in quotes, with quotes and anything unprintable as \xNN. */
void example_print_text(const char *label, const unsigned char *text, size_t len);

int example_parse_port(const char *text, uint16_t *port);

/* Frames on a connected stream socket; 0 on success, -1 after printing why not. */
int example_send_frame(int fd, enum example_frame kind, const void *data, size_t len);
int example_send_error(int fd, const char *call, SECURITY_STATUS status);
int example_recv_frame(int fd, enum example_frame *kind, unsigned char **data, size_t *len);

/* Prints an ERROR frame's payload as the peer's failure. */
void example_print_peer_error(const unsigned char *data, size_t len);

/* Sends all of buf, or returns -1 after printing why not. */
int example_write_all(int fd, const void *buf, size_t len);

/* Bounds a peer's silence on fd to EXAMPLE_IO_TIMEOUT seconds. */
int example_set_timeouts(int fd);

/* Who and what a complete context stands for, from QueryContextAttributes. */
struct example_peer {
    char *user;    /* SECPKG_ATTR_NAMES */
    char *package; /* the package that did the work (Negotiate's choice) */
};

SECURITY_STATUS example_describe_context(PCtxtHandle ctx, struct example_peer *peer);
void example_peer_free(struct example_peer *peer);

/* EncryptMessage/DecryptMessage of one message, framed as FRAME_MESSAGE. */
int example_send_sealed(int fd, PCtxtHandle ctx, const char *text);
int example_recv_sealed(int fd, PCtxtHandle ctx, unsigned char **text, size_t *len);

#endif /* SSPI_EXAMPLE_COMMON_H */
