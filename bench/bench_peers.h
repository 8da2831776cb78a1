/* Both ends of a GSS-API exchange in one process, through the public API: the credentials a
 * client and a server hold for a whole run, and the init/accept loop between them. */
#ifndef BENCH_PEERS_H
#define BENCH_PEERS_H

#include <stdbool.h>

#include <gssapi/gssapi.h>

/*
 * The GSS-API calls a handshake makes: through MIT's mechglue (bench_gss_glue), or straight to
 * one module's own entry points (bench_gss_calls_of_module), which tells what the module costs
 * from what the mechglue adds (its process-wide mechanism-list lock, taken on most calls).
 */
struct bench_gss_calls {
    OM_uint32 (*import_name)(OM_uint32 *, gss_buffer_t, gss_OID, gss_name_t *);
    OM_uint32 (*release_name)(OM_uint32 *, gss_name_t *);
    OM_uint32 (*acquire_cred)(OM_uint32 *, gss_name_t, OM_uint32, gss_OID_set, gss_cred_usage_t,
                              gss_cred_id_t *, gss_OID_set *, OM_uint32 *);
    OM_uint32 (*acquire_cred_with_password)(OM_uint32 *, gss_name_t, gss_buffer_t, OM_uint32,
                                            gss_OID_set, gss_cred_usage_t, gss_cred_id_t *,
                                            gss_OID_set *, OM_uint32 *);
    OM_uint32 (*release_cred)(OM_uint32 *, gss_cred_id_t *);
    OM_uint32 (*init_sec_context)(OM_uint32 *, gss_cred_id_t, gss_ctx_id_t *, gss_name_t, gss_OID,
                                  OM_uint32, OM_uint32, gss_channel_bindings_t, gss_buffer_t,
                                  gss_OID *, gss_buffer_t, OM_uint32 *, OM_uint32 *);
    OM_uint32 (*accept_sec_context)(OM_uint32 *, gss_ctx_id_t *, gss_cred_id_t, gss_buffer_t,
                                    gss_channel_bindings_t, gss_name_t *, gss_OID *,
                                    gss_buffer_t, OM_uint32 *, OM_uint32 *, gss_cred_id_t *);
    OM_uint32 (*delete_sec_context)(OM_uint32 *, gss_ctx_id_t *, gss_buffer_t);
};

extern const struct bench_gss_calls bench_gss_glue;

/* The module at path's own entry points (dlopen, dlsym; its gssspi_acquire_cred_with_password
 * for the password credential). Output buffers are plain malloc()s either way, so
 * gss_release_buffer frees them. Returns 0, or -1 after printing why. */
int bench_gss_calls_of_module(const char *path, struct bench_gss_calls *out);

struct bench_peers {
    const struct bench_gss_calls *calls; /* set by whoever fills the rest */
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
/* The same with calls other than the mechglue's (raw NTLM only). */
int bench_peers_setup_calls(struct bench_peers *p, bool spnego,
                            const struct bench_gss_calls *calls);
void bench_peers_free(struct bench_peers *p);

/* Imports BENCH_TARGET as a host-based service name; GSS_C_NO_NAME after printing why. */
gss_name_t bench_import_target(void);
gss_name_t bench_import_target_calls(const struct bench_gss_calls *calls);

/* Runs init (towards target) and accept, which asks for the peer's name, until both are
 * complete. The caller deletes the contexts, also on failure. Returns 0 or -1. */
int bench_establish(struct bench_peers *p, gss_name_t target, gss_ctx_id_t *ictx,
                    gss_ctx_id_t *actx);

/* One complete handshake towards p->target, both contexts deleted after: 0 or -1. */
int bench_handshake(struct bench_peers *p);

/* Prints a GSS failure with both status texts. */
void bench_report_gss(const char *what, OM_uint32 major, OM_uint32 minor);

/*
 * gss-ntlmssp 1.2.0's NT hash (MD4) running out after a few hundred calls in a process under
 * OpenSSL 3.5 (Debian 13; why and where it is fixed: bench_peers.c). bench_gss, bench_scale
 * and bench_http (for apache.sh) have the mode `PROGRAM nthash`, which calls bench_nthash_probe.
 */
#define BENCH_NTHASH_MODE "nthash"
/* The probe, in a process whose GSS_MECH_CONFIG names gss-ntlmssp: when that fault shows,
 * prints the `# SKIP gss-ntlmssp figures: ...` line naming it and returns 0; else 1. */
int bench_nthash_probe(void);
struct bench_world;
/* After a gss-ntlmssp run of w failed: the first time, runs `self nthash` with w's gss-ntlmssp
 * configuration; when that shows the fault, passes its SKIP line on to stdout and leaves
 * gss-ntlmssp out of w (have_incumbent false). True when the failure is that fault's, which
 * then does not count as a failed run. */
bool bench_incumbent_failed(struct bench_world *w, const char *self);

#endif
