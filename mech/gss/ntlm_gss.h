/*
 * Internal GSS-layer types and entry points of the NTLM mechanism. The exported gss_* symbols
 * in ntlm_exports.c are thin wrappers over the ntlm_gss_* functions declared here; nothing in
 * the module calls an exported name.
 */
#ifndef NTLM_GSS_H
#define NTLM_GSS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "ntlm_buf.h"
#include "ntlm_debug.h"
#include "ntlm_env.h"
#include "ntlm_sign.h"

extern gss_OID_desc ntlm_mech_oid_desc;
#define NTLM_MECH_OID (&ntlm_mech_oid_desc)

/* Contexts live this long, as Windows NTLM security contexts do (36 hours in gss-ntlmssp). */
#define NTLM_CONTEXT_LIFETIME (36 * 60 * 60)

bool ntlm_oid_is_ours(const gss_OID oid);
bool ntlm_oid_equal(const gss_OID a, const void *der, size_t der_len);
/* Sets *minor, returns major: the one way GSS-layer code reports an internal error. */
OM_uint32 ntlm_gss_error(OM_uint32 *minor, OM_uint32 major, uint32_t code);
/* The current settings of env. On NTLM_ERR_CONFIG the file's error ("path:line: reason")
 * is kept for this thread: gss_display_status of that minor shows it after the message. */
uint32_t ntlm_gss_settings(struct ntlm_env *env, struct ntlm_settings **out);
/* Keeps "path: reason" as that detail, for an NTLM_ERR_CONFIG found before any file is read. */
void ntlm_gss_config_detail(const char *path, const char *reason);
/*
 * What one call (a step of a context, a name's mapping) runs under: the current settings of
 * env, or of the default configuration's env when env is NULL, held until ntlm_step_end, with
 * the trace going where they say meanwhile. Errors: those of ntlm_gss_settings.
 */
struct ntlm_step {
    struct ntlm_env *env;
    struct ntlm_settings *settings;
    struct ntlm_debug_scope scope;
};
uint32_t ntlm_step_begin(struct ntlm_step *step, struct ntlm_env *env);
void ntlm_step_end(struct ntlm_step *step);
/* The env a call without a credential runs under: the default configuration's (a reference). */
uint32_t ntlm_gss_default_env(struct ntlm_env **out);
/* One gss_accept_sec_context step under settings (what ntlm_gss_accept_sec_context runs once
 * it has chosen them; the unit tests drive it directly). */
OM_uint32 ntlm_accept_step(OM_uint32 *minor, const struct ntlm_settings *settings,
                           gss_ctx_id_t *context, gss_cred_id_t cred, gss_buffer_t input,
                           gss_channel_bindings_t bindings, gss_name_t *src_name,
                           gss_buffer_t output, OM_uint32 *ret_flags, OM_uint32 *time_rec);
/* Copies bytes into a gss_buffer the mechglue can free. */
OM_uint32 ntlm_gss_buffer_set(OM_uint32 *minor, gss_buffer_t out, const void *data, size_t len);

/* names */
enum ntlm_name_kind { NTLM_NAME_USER, NTLM_NAME_SERVICE, NTLM_NAME_ANONYMOUS };

struct ntlm_name {
    enum ntlm_name_kind kind;
    char *user;   /* USER: the account; SERVICE: the service ("HTTP") */
    char *domain; /* USER: NULL when none; SERVICE: the host name, NULL when none */
    char *sids;   /* USER validated by a domain controller: its SIDs, comma-separated */
    /* A name an acceptor authenticated: the env it did so under (a reference), whose
     * configuration maps it to a local account; NULL for other names (the default's). */
    struct ntlm_env *env;
};

/* The name attribute holding a domain user's SIDs (gss-ntlmssp's name, for its users). */
#define NTLM_ATTR_SIDS "urn:gssntlmssp:sids"

uint32_t ntlm_name_new(enum ntlm_name_kind kind, const char *user, const char *domain,
                       struct ntlm_name **out);
uint32_t ntlm_name_copy(const struct ntlm_name *in, struct ntlm_name **out);
uint32_t ntlm_name_set_sids(struct ntlm_name *name, const char *sids);
void ntlm_name_free(struct ntlm_name *name);
/* "DOMAIN\user", "user" or "service@host", malloc'd. */
uint32_t ntlm_name_to_string(const struct ntlm_name *name, char **out);
/* The SPN form "service/host" of a service name, or NULL for other names. */
uint32_t ntlm_name_spn(const struct ntlm_name *name, char **out);

/* credentials */
struct ntlm_cred {
    gss_cred_usage_t usage;
    /* initiator part */
    struct ntlm_name *user; /* kind USER */
    uint8_t nt_hash[16];
    bool have_nt_hash;
    /* both parts: the configuration the credential runs under (a reference) */
    struct ntlm_env *env;
    /* acceptor part */
    struct ntlm_name *acceptor_name; /* may be NULL */
    /* The cred store's ntlmssp_keyfile (a reference); NULL: the configuration's user file. */
    struct ntlm_userdb *userdb;
};

void ntlm_cred_free(struct ntlm_cred *cred);

/* contexts */
enum ntlm_stage {
    NTLM_STAGE_INIT_START,
    NTLM_STAGE_INIT_WAIT_CHALLENGE,
    NTLM_STAGE_ACCEPT_START,
    NTLM_STAGE_ACCEPT_WAIT_AUTHENTICATE,
    NTLM_STAGE_ESTABLISHED,
    NTLM_STAGE_FAILED, /* a step failed: no later token is taken (acceptor: but a NEGOTIATE) */
};

struct ntlm_ctx {
    bool initiator;
    enum ntlm_stage stage;
    uint32_t neg_flags;  /* NTLMSSP flags in force */
    OM_uint32 req_flags; /* GSS flags the caller asked for */
    OM_uint32 ret_flags; /* GSS flags granted */
    time_t expiry;
    struct ntlm_buf negotiate_msg; /* kept for the MIC */
    struct ntlm_buf challenge_msg;
    uint8_t server_challenge[8];
    uint8_t exported_key[16];
    bool have_key;
    struct ntlm_sign_state sign;
    struct ntlm_name *src_name;  /* the initiator (acceptor: the authenticated user) */
    struct ntlm_name *targ_name; /* the acceptor's name, when known */
    /* initiator */
    struct ntlm_cred *cred; /* a private copy of the initiator credential */
    bool spnego_asked_mic;  /* SPNEGO queried the require-MIC OID */
    bool sent_mic;          /* our AUTHENTICATE carried a MIC */
    /* SPNEGO reset the RC4 states after its own mechListMIC (0) and the peer's (1): see
     * ntlm_gss_delete_sec_context on MIT ticket 9183. */
    bool spnego_reset[2];
    /* acceptor: the credential's env and user database (references), set by the NEGOTIATE
     * leg; the initiator's are in cred */
    struct ntlm_env *env;
    struct ntlm_userdb *userdb;
};

void ntlm_ctx_free(struct ntlm_ctx *ctx);
/* Marks the exchange failed and drops every key, name and message it had gathered. */
void ntlm_ctx_fail(struct ntlm_ctx *ctx);
/* Returns an acceptor context to its state before any token: nothing of the old exchange. */
void ntlm_ctx_restart_acceptor(struct ntlm_ctx *ctx);
/* GSS flags granted for negotiated NTLMSSP flags and what the caller asked. */
OM_uint32 ntlm_ctx_gss_flags(uint32_t neg_flags, OM_uint32 req_flags);
/* Derives the signing state from the exported session key and the negotiated flags, and
 * commits all three to ctx, only on success. */
uint32_t ntlm_ctx_start_session(struct ntlm_ctx *ctx, uint32_t neg_flags,
                                const uint8_t exported_key[16]);
/* Marks the context complete, starts its lifetime and drops what only the handshake needed. */
void ntlm_ctx_established(struct ntlm_ctx *ctx);
/* Now as a Windows FILETIME. */
uint64_t ntlm_filetime_now(void);
/* Hands an encoded message to the caller as an output token (the buffer is emptied). */
OM_uint32 ntlm_ctx_output(OM_uint32 *minor, struct ntlm_buf *msg, gss_buffer_t output);

#endif

/* The SPI: one internal function per exported entry point (same arguments). */
OM_uint32 ntlm_gss_import_name(OM_uint32 *minor, gss_buffer_t input, gss_OID name_type,
                               gss_name_t *output);
OM_uint32 ntlm_gss_display_name(OM_uint32 *minor, gss_name_t name, gss_buffer_t output,
                                gss_OID *name_type);
OM_uint32 ntlm_gss_release_name(OM_uint32 *minor, gss_name_t *name);
OM_uint32 ntlm_gss_compare_name(OM_uint32 *minor, gss_name_t a, gss_name_t b, int *equal);
OM_uint32 ntlm_gss_duplicate_name(OM_uint32 *minor, const gss_name_t in, gss_name_t *out);
OM_uint32 ntlm_gss_export_name(OM_uint32 *minor, const gss_name_t name, gss_buffer_t out);
OM_uint32 ntlm_gss_localname(OM_uint32 *minor, const gss_name_t name, gss_const_OID mech,
                             gss_buffer_t localname);
OM_uint32 ntlm_gss_inquire_name(OM_uint32 *minor, gss_name_t name, int *name_is_mn,
                                gss_OID *mn_mech, gss_buffer_set_t *attrs);
OM_uint32 ntlm_gss_get_name_attribute(OM_uint32 *minor, gss_name_t name, gss_buffer_t attr,
                                      int *authenticated, int *complete, gss_buffer_t value,
                                      gss_buffer_t display_value, int *more);

OM_uint32 ntlm_gss_acquire_cred_from(OM_uint32 *minor, gss_name_t desired_name, OM_uint32 time_req,
                                     gss_OID_set desired_mechs, gss_cred_usage_t usage,
                                     gss_const_key_value_set_t cred_store, gss_cred_id_t *output,
                                     gss_OID_set *actual_mechs, OM_uint32 *time_rec);
OM_uint32 ntlm_gss_acquire_cred_with_password(OM_uint32 *minor, const gss_name_t desired_name,
                                              const gss_buffer_t password, OM_uint32 time_req,
                                              const gss_OID_set desired_mechs,
                                              gss_cred_usage_t usage, gss_cred_id_t *output,
                                              gss_OID_set *actual_mechs, OM_uint32 *time_rec);
OM_uint32 ntlm_gss_release_cred(OM_uint32 *minor, gss_cred_id_t *cred);
OM_uint32 ntlm_gss_inquire_cred(OM_uint32 *minor, gss_cred_id_t cred, gss_name_t *name,
                                OM_uint32 *lifetime, gss_cred_usage_t *usage, gss_OID_set *mechs);
OM_uint32 ntlm_gss_inquire_cred_by_mech(OM_uint32 *minor, gss_cred_id_t cred, gss_OID mech,
                                        gss_name_t *name, OM_uint32 *init_lifetime,
                                        OM_uint32 *accept_lifetime, gss_cred_usage_t *usage);

OM_uint32 ntlm_gss_init_sec_context(OM_uint32 *minor, gss_cred_id_t cred, gss_ctx_id_t *context,
                                    gss_name_t target, gss_OID mech, OM_uint32 req_flags,
                                    OM_uint32 time_req, gss_channel_bindings_t bindings,
                                    gss_buffer_t input, gss_OID *actual_mech, gss_buffer_t output,
                                    OM_uint32 *ret_flags, OM_uint32 *time_rec);
OM_uint32 ntlm_gss_accept_sec_context(OM_uint32 *minor, gss_ctx_id_t *context, gss_cred_id_t cred,
                                      gss_buffer_t input, gss_channel_bindings_t bindings,
                                      gss_name_t *src_name, gss_OID *mech, gss_buffer_t output,
                                      OM_uint32 *ret_flags, OM_uint32 *time_rec,
                                      gss_cred_id_t *delegated);
OM_uint32 ntlm_gss_delete_sec_context(OM_uint32 *minor, gss_ctx_id_t *context, gss_buffer_t output);
OM_uint32 ntlm_gss_context_time(OM_uint32 *minor, gss_ctx_id_t context, OM_uint32 *time_rec);
OM_uint32 ntlm_gss_inquire_context(OM_uint32 *minor, gss_ctx_id_t context, gss_name_t *src,
                                   gss_name_t *targ, OM_uint32 *lifetime, gss_OID *mech,
                                   OM_uint32 *flags, int *locally_initiated, int *open);
OM_uint32 ntlm_gss_inquire_sec_context_by_oid(OM_uint32 *minor, const gss_ctx_id_t context,
                                              const gss_OID desired_object,
                                              gss_buffer_set_t *data_set);
OM_uint32 ntlm_gss_set_sec_context_option(OM_uint32 *minor, gss_ctx_id_t *context,
                                          const gss_OID desired_object, const gss_buffer_t value);
OM_uint32 ntlm_gss_export_sec_context(OM_uint32 *minor, gss_ctx_id_t *context, gss_buffer_t token);
OM_uint32 ntlm_gss_import_sec_context(OM_uint32 *minor, gss_buffer_t token, gss_ctx_id_t *context);

OM_uint32 ntlm_gss_get_mic(OM_uint32 *minor, gss_ctx_id_t context, gss_qop_t qop,
                           gss_buffer_t message, gss_buffer_t token);
OM_uint32 ntlm_gss_verify_mic(OM_uint32 *minor, gss_ctx_id_t context, gss_buffer_t message,
                              gss_buffer_t token, gss_qop_t *qop);
OM_uint32 ntlm_gss_wrap(OM_uint32 *minor, gss_ctx_id_t context, int conf_req, gss_qop_t qop,
                        gss_buffer_t input, int *conf_state, gss_buffer_t output);
OM_uint32 ntlm_gss_unwrap(OM_uint32 *minor, gss_ctx_id_t context, gss_buffer_t input,
                          gss_buffer_t output, int *conf_state, gss_qop_t *qop);
OM_uint32 ntlm_gss_wrap_iov(OM_uint32 *minor, gss_ctx_id_t context, int conf_req, gss_qop_t qop,
                            int *conf_state, gss_iov_buffer_desc *iov, int iov_count);
OM_uint32 ntlm_gss_unwrap_iov(OM_uint32 *minor, gss_ctx_id_t context, int *conf_state,
                              gss_qop_t *qop, gss_iov_buffer_desc *iov, int iov_count);
OM_uint32 ntlm_gss_wrap_iov_length(OM_uint32 *minor, gss_ctx_id_t context, int conf_req,
                                   gss_qop_t qop, int *conf_state, gss_iov_buffer_desc *iov,
                                   int iov_count);
OM_uint32 ntlm_gss_get_mic_iov(OM_uint32 *minor, gss_ctx_id_t context, gss_qop_t qop,
                               gss_iov_buffer_desc *iov, int iov_count);
OM_uint32 ntlm_gss_verify_mic_iov(OM_uint32 *minor, gss_ctx_id_t context, gss_qop_t *qop,
                                  gss_iov_buffer_desc *iov, int iov_count);
OM_uint32 ntlm_gss_get_mic_iov_length(OM_uint32 *minor, gss_ctx_id_t context, gss_qop_t qop,
                                      gss_iov_buffer_desc *iov, int iov_count);
OM_uint32 ntlm_gss_wrap_size_limit(OM_uint32 *minor, gss_ctx_id_t context, int conf_req,
                                   gss_qop_t qop, OM_uint32 req_output_size,
                                   OM_uint32 *max_input_size);

OM_uint32 ntlm_gss_display_status(OM_uint32 *minor, OM_uint32 status_value, int status_type,
                                  gss_OID mech_type, OM_uint32 *message_context,
                                  gss_buffer_t status_string);
OM_uint32 ntlm_gss_indicate_mechs(OM_uint32 *minor, gss_OID_set *mechs);
OM_uint32 ntlm_gss_inquire_names_for_mech(OM_uint32 *minor, gss_OID mech, gss_OID_set *names);
OM_uint32 ntlm_gss_inquire_attrs_for_mech(OM_uint32 *minor, gss_const_OID mech,
                                          gss_OID_set *mech_attrs, gss_OID_set *known_attrs);
OM_uint32 ntlm_gss_inquire_saslname_for_mech(OM_uint32 *minor, const gss_OID mech,
                                             gss_buffer_t sasl_name, gss_buffer_t mech_name,
                                             gss_buffer_t mech_description);
OM_uint32 ntlm_gss_inquire_mech_for_saslname(OM_uint32 *minor, const gss_buffer_t sasl_name,
                                             gss_OID *mech);
