/*
 * Names: the internal name (a user, a service on a host, or anonymous), its copies and
 * spellings, and the SPI of the name entry points. ntlm_names.c implements them.
 */
#ifndef NTLM_GSS_NAMES_H
#define NTLM_GSS_NAMES_H

#include <stdint.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "ntlm_env.h"
#include "sspigss_ntlm.h"

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

/* The name attribute holding a domain user's SIDs (include/sspigss_ntlm.h). */
#define NTLM_ATTR_SIDS SSPIGSS_NTLM_ATTR_SIDS

uint32_t ntlm_name_new(enum ntlm_name_kind kind, const char *user, const char *domain,
                       struct ntlm_name **out);
uint32_t ntlm_name_copy(const struct ntlm_name *in, struct ntlm_name **out);
uint32_t ntlm_name_set_sids(struct ntlm_name *name, const char *sids);
void ntlm_name_free(struct ntlm_name *name);
/* "DOMAIN\user", "user" or "service@host", malloc'd. */
uint32_t ntlm_name_to_string(const struct ntlm_name *name, char **out);
/* The SPN form "service/host" of a service name, or NULL for other names. */
uint32_t ntlm_name_spn(const struct ntlm_name *name, char **out);

/* The SPI of the name entry points (the arguments of the gss_* they implement). */
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

#endif
