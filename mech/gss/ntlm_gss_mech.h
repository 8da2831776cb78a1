/*
 * The GSS layer's common ground: the mechanism OID, how GSS-layer code reports an error and
 * fills a buffer, and how a call picks the environment and settings it runs under; with the
 * mechanism-wide entry points (status messages, mechanism attributes, SASL names).
 * ntlm_mech.c implements them.
 */
#ifndef NTLM_GSS_MECH_H
#define NTLM_GSS_MECH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "ntlm_debug.h"
#include "ntlm_env.h"

extern gss_OID_desc ntlm_mech_oid_desc;
/* The VERSION structure the module sends (include/sspigss_ntlm.h). */
extern const struct ntlm_version ntlm_our_version;
#define NTLM_MECH_OID (&ntlm_mech_oid_desc)

bool ntlm_oid_is_ours(const gss_OID oid);
bool ntlm_oid_equal(const gss_OID a, const void *der, size_t der_len);
/* Sets *minor, returns major: the one way GSS-layer code reports an internal error. */
OM_uint32 ntlm_gss_error(OM_uint32 *minor, OM_uint32 major, uint32_t code);
/* Sets *minor, returns the major the error table gives code for a failed accept or init step. */
OM_uint32 ntlm_gss_step_error(OM_uint32 *minor, uint32_t code, bool initiator);
/* Keeps "path: reason" as the detail of NTLM_ERR_CONFIG (ntlm_step_begin), for one found
 * before any file is read. */
void ntlm_gss_config_detail(const char *path, const char *reason);
/*
 * What one call (a step of a context, a name's mapping) runs under: the current settings of
 * env, or of the default configuration's env when env is NULL, held until ntlm_step_end, with
 * the trace going where they say meanwhile. Errors: those of ntlm_env_settings; on
 * NTLM_ERR_CONFIG the file's error ("path:line: reason") is kept for this thread, and
 * gss_display_status of that minor shows it after the message.
 */
struct ntlm_step {
    struct ntlm_env *env;
    struct ntlm_settings *settings;
    bool settings_cached; /* the thread's cached copy (ntlm_env_settings_hold) */
    struct ntlm_debug_scope scope;
};
uint32_t ntlm_step_begin(struct ntlm_step *step, struct ntlm_env *env);
void ntlm_step_end(struct ntlm_step *step);
/* The env a call without a credential runs under: the default configuration's (a reference). */
uint32_t ntlm_gss_default_env(struct ntlm_env **out);
/* Copies bytes into a gss_buffer the mechglue can free. */
OM_uint32 ntlm_gss_buffer_set(OM_uint32 *minor, gss_buffer_t out, const void *data, size_t len);

/* The SPI of the mechanism-wide entry points (the arguments of the gss_* they implement). */
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

#endif
