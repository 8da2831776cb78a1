/* The measurements bench_gss runs in child processes, one module loaded per process (the
 * mechglue loads a module once and keeps it): each prints `key value` lines for the parent. */
#ifndef BENCH_GSS_MODES_H
#define BENCH_GSS_MODES_H

/*
 *   handshakes raw|spnego USERFILE SECONDS   value = handshakes/s; first_ms = credentials and
 *                                            the first handshake (user database load)
 *   handshakes-count raw|spnego USERFILE N   one warm-up handshake, then N (for callgrind)
 *   protect get_mic|wrap SIZE SECONDS        value = messages/s on one raw NTLM context pair
 *   rawcrypto get_mic|wrap SIZE SECONDS      value = messages/s of the bare OpenSSL crypto
 *   heap held|leak N                         value = bytes per held context / per handshake
 *
 * Returns the process exit status: 0, 1 when the measurement failed, 2 on a usage error.
 */
int bench_gss_mode(int argc, char **argv);

#endif
