/*
 * Security contexts: their stages and state, what both roles share (ntlm_context.c), the two
 * state machines (ntlm_accept.c, ntlm_init.c), export and import (ntlm_serialize.c), and the SPI
 * of the context entry points.
 */
#ifndef NTLM_GSS_CONTEXT_H
#define NTLM_GSS_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "ntlm_buf.h"
#include "ntlm_env.h"
#include "ntlm_gss_creds.h"
#include "ntlm_gss_names.h"
#include "ntlm_sign.h"

/* Contexts live this long, as Windows NTLM security contexts do (36 hours in gss-ntlmssp). */
#define NTLM_CONTEXT_LIFETIME (36 * 60 * 60)

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

/* One gss_accept_sec_context step under settings (what ntlm_gss_accept_sec_context runs once
 * it has chosen them; the unit tests drive it directly). */
OM_uint32 ntlm_accept_step(OM_uint32 *minor, const struct ntlm_settings *settings,
                           gss_ctx_id_t *context, gss_cred_id_t cred, gss_buffer_t input,
                           gss_channel_bindings_t bindings, gss_name_t *src_name,
                           gss_buffer_t output, OM_uint32 *ret_flags, OM_uint32 *time_rec);

/* The SPI of the context entry points (the arguments of the gss_* they implement). */
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

#endif
