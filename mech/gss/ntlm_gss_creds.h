/*
 * Credentials: an initiator part (a user and its NT hash) and an acceptor part (its name and
 * user database), both running under one environment; the SPI of the credential entry
 * points. ntlm_creds.c implements them.
 */
#ifndef NTLM_GSS_CREDS_H
#define NTLM_GSS_CREDS_H

#include <stdbool.h>
#include <stdint.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "ntlm_env.h"
#include "ntlm_gss_names.h"

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

/* The SPI of the credential entry points (the arguments of the gss_* they implement). */
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

#endif
