/* Both ends of a GSS-API exchange in one process, through the public API: the credentials a
 * client and a server hold for a whole run, and the init/accept loop between them. */
#ifndef BENCH_PEERS_H
#define BENCH_PEERS_H

#include <stdbool.h>

#include <gssapi/gssapi.h>

struct bench_peers {
    gss_OID mech;
    OM_uint32 req_flags;
    gss_cred_id_t icred, acred;
    gss_name_t target;
};

extern gss_OID bench_ntlm_oid, bench_spnego_oid;

/* Raw NTLM: a password credential for TESTDOM\alice. SPNEGO: the default credentials (NTLMUSER
 * looked up in NTLM_USER_FILE), since MIT's SPNEGO takes no credential of another mechanism.
 * The acceptor credential is the nameless default. Returns 0, or -1 after printing why. */
int bench_peers_setup(struct bench_peers *p, bool spnego);
void bench_peers_free(struct bench_peers *p);

/* Imports BENCH_TARGET as a host-based service name; GSS_C_NO_NAME after printing why. */
gss_name_t bench_import_target(void);

/* Runs init (towards target) and accept, which asks for the peer's name, until both are
 * complete. The caller deletes the contexts, also on failure. Returns 0 or -1. */
int bench_establish(struct bench_peers *p, gss_name_t target, gss_ctx_id_t *ictx,
                    gss_ctx_id_t *actx);

/* One complete handshake towards p->target, both contexts deleted after: 0 or -1. */
int bench_handshake(struct bench_peers *p);

/* Prints a GSS failure with both status texts. */
void bench_report_gss(const char *what, OM_uint32 major, OM_uint32 minor);

#endif
