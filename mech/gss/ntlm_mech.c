/* Mechanism-wide answers: the OID, status messages, mechanism attributes, SASL names, and the
 * small helpers every GSS-layer file uses to report errors and fill buffers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_debug.h"
#include "ntlm_errors.h"
#include "ntlm_gss_mech.h"
#include "ntlm_message.h"

gss_OID_desc ntlm_mech_oid_desc = {SSPIGSS_NTLM_MECH_OID_LEN, SSPIGSS_NTLM_MECH_OID_DER};
const struct ntlm_version ntlm_our_version = {
    SSPIGSS_NTLM_VERSION_MAJOR, SSPIGSS_NTLM_VERSION_MINOR, SSPIGSS_NTLM_VERSION_BUILD,
    SSPIGSS_NTLM_VERSION_REVISION};

static const char sasl_name[] = "GS2-NTLM";
static const char mech_name[] = "NTLM";
static const char mech_description[] = "NTLMSSP mechanism (sspigss)";

bool
ntlm_oid_equal(const gss_OID a, const void *der, size_t der_len)
{
    return a != GSS_C_NO_OID && a->length == der_len && memcmp(a->elements, der, der_len) == 0;
}

bool
ntlm_oid_is_ours(const gss_OID oid)
{
    return ntlm_oid_equal(oid, NTLM_MECH_OID->elements, NTLM_MECH_OID->length);
}

OM_uint32
ntlm_gss_error(OM_uint32 *minor, OM_uint32 major, uint32_t code)
{
    *minor = code;
    return major;
}

/* Why the last configuration this thread asked for was unusable: the minor NTLM_ERR_CONFIG is
 * one number for every file, so its display adds the file and line here. */
static __thread char config_detail[512];

uint32_t
ntlm_step_begin(struct ntlm_step *step, struct ntlm_env *env)
{
    uint32_t ret;

    step->settings = NULL;
    step->env = NULL;
    ret = env != NULL ? (step->env = ntlm_env_ref(env), 0) : ntlm_gss_default_env(&step->env);
    if (ret == 0)
        ret = ntlm_env_settings_hold(step->env, &step->settings, &step->settings_cached);
    if (ret == NTLM_ERR_CONFIG)
        ntlm_env_error(step->env, config_detail, sizeof(config_detail));
    if (ret) {
        ntlm_env_release(step->env);
        step->env = NULL;
        return ret;
    }
    ntlm_debug_enter(step->settings->cfg.debug_file, &step->scope);
    return 0;
}

void
ntlm_step_end(struct ntlm_step *step)
{
    if (step->settings == NULL)
        return;
    ntlm_debug_leave(&step->scope);
    ntlm_env_settings_unhold(step->settings, step->settings_cached);
    ntlm_env_release(step->env);
    step->settings = NULL;
    step->env = NULL;
}

void
ntlm_gss_config_detail(const char *path, const char *reason)
{
    snprintf(config_detail, sizeof(config_detail), "%s: %s", path, reason);
}

uint32_t
ntlm_gss_default_env(struct ntlm_env **out)
{
    return ntlm_env_get(NULL, out);
}

OM_uint32
ntlm_gss_step_error(OM_uint32 *minor, uint32_t code, bool initiator)
{
    *minor = code;
    /* No default: a new enum ntlm_major without its GSS major is a -Wswitch warning. */
    switch (ntlm_error_major(code, initiator)) {
    case NTLM_MAJOR_FAILURE:
        return GSS_S_FAILURE;
    case NTLM_MAJOR_DEFECTIVE_TOKEN:
        return GSS_S_DEFECTIVE_TOKEN;
    case NTLM_MAJOR_DEFECTIVE_CREDENTIAL:
        return GSS_S_DEFECTIVE_CREDENTIAL;
    case NTLM_MAJOR_NO_CRED:
        return GSS_S_NO_CRED;
    case NTLM_MAJOR_BAD_BINDINGS:
        return GSS_S_BAD_BINDINGS;
    case NTLM_MAJOR_COUNT:
        break;
    }
    return GSS_S_FAILURE;
}

OM_uint32
ntlm_gss_buffer_set(OM_uint32 *minor, gss_buffer_t out, const void *data, size_t len)
{
    /* One spare byte keeps textual results NUL-terminated for careless callers. */
    out->value = malloc(len + 1);
    if (out->value == NULL) {
        out->length = 0;
        return ntlm_gss_error(minor, GSS_S_FAILURE, NTLM_ERR_NOMEM);
    }
    if (len > 0)
        memcpy(out->value, data, len);
    ((char *)out->value)[len] = '\0';
    out->length = len;
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32
ntlm_gss_display_status(OM_uint32 *minor, OM_uint32 status_value, int status_type,
                        gss_OID mech_type, OM_uint32 *message_context, gss_buffer_t status_string)
{
    char fallback[64], detailed[sizeof(config_detail) + 256];
    const char *text;

    if (status_type != GSS_C_MECH_CODE)
        return ntlm_gss_error(minor, GSS_S_BAD_STATUS, NTLM_ERR_INVALID_ARG);
    text = ntlm_error_message(status_value);
    if (text == NULL) {
        snprintf(fallback, sizeof(fallback), "unknown NTLM mechanism error %u", status_value);
        text = fallback;
    }
    if (status_value == NTLM_ERR_CONFIG && config_detail[0] != '\0') {
        snprintf(detailed, sizeof(detailed), "%s: %s", text, config_detail);
        text = detailed;
    }
    if (message_context != NULL)
        *message_context = 0;
    return ntlm_gss_buffer_set(minor, status_string, text, strlen(text));
}

static OM_uint32
oid_set_of(OM_uint32 *minor, const gss_const_OID *oids, size_t n, gss_OID_set *out)
{
    OM_uint32 major, tmp;
    size_t i;

    major = gss_create_empty_oid_set(minor, out);
    for (i = 0; major == GSS_S_COMPLETE && i < n; i++)
        major = gss_add_oid_set_member(minor, (gss_OID)oids[i], out);
    if (major != GSS_S_COMPLETE)
        gss_release_oid_set(&tmp, out);
    return major;
}

OM_uint32
ntlm_gss_indicate_mechs(OM_uint32 *minor, gss_OID_set *mechs)
{
    gss_const_OID ours = NTLM_MECH_OID;

    return oid_set_of(minor, &ours, 1, mechs);
}

OM_uint32
ntlm_gss_inquire_names_for_mech(OM_uint32 *minor, gss_OID mech, gss_OID_set *names)
{
    gss_const_OID types[] = {GSS_C_NT_USER_NAME, GSS_C_NT_HOSTBASED_SERVICE, GSS_C_NT_ANONYMOUS,
                             GSS_C_NT_EXPORT_NAME};

    if (mech != GSS_C_NO_OID && !ntlm_oid_is_ours(mech))
        return ntlm_gss_error(minor, GSS_S_BAD_MECH, NTLM_ERR_INVALID_ARG);
    return oid_set_of(minor, types, sizeof(types) / sizeof(types[0]), names);
}

/*
 * Never NOT_DFLT_MECH, DEPRECATED, MECH_NEGO or NEGOEX_AND_SPNEGO: MIT's SPNEGO would then
 * leave NTLM out of default negotiation.
 */
OM_uint32
ntlm_gss_inquire_attrs_for_mech(OM_uint32 *minor, gss_const_OID mech, gss_OID_set *mech_attrs,
                                gss_OID_set *known_attrs)
{
    gss_const_OID attrs[] = {GSS_C_MA_MECH_CONCRETE, GSS_C_MA_AUTH_INIT, GSS_C_MA_INTEG_PROT,
                             GSS_C_MA_CONF_PROT,     GSS_C_MA_MIC,       GSS_C_MA_WRAP,
                             GSS_C_MA_OOS_DET,       GSS_C_MA_CBINDINGS, GSS_C_MA_CTX_TRANS};
    size_t n = sizeof(attrs) / sizeof(attrs[0]);
    OM_uint32 major, tmp;

    if (mech == GSS_C_NO_OID || !ntlm_oid_is_ours((gss_OID)mech))
        return ntlm_gss_error(minor, GSS_S_BAD_MECH, NTLM_ERR_INVALID_ARG);
    if (mech_attrs != NULL) {
        major = oid_set_of(minor, attrs, n, mech_attrs);
        if (major != GSS_S_COMPLETE)
            return major;
    }
    if (known_attrs != NULL) {
        major = oid_set_of(minor, attrs, n, known_attrs);
        if (major != GSS_S_COMPLETE) {
            if (mech_attrs != NULL)
                gss_release_oid_set(&tmp, mech_attrs);
            return major;
        }
    }
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32
ntlm_gss_inquire_saslname_for_mech(OM_uint32 *minor, const gss_OID mech, gss_buffer_t sasl,
                                   gss_buffer_t name, gss_buffer_t description)
{
    OM_uint32 major, tmp;

    if (!ntlm_oid_is_ours(mech))
        return ntlm_gss_error(minor, GSS_S_BAD_MECH, NTLM_ERR_INVALID_ARG);
    major = ntlm_gss_buffer_set(minor, sasl, sasl_name, strlen(sasl_name));
    if (major == GSS_S_COMPLETE)
        major = ntlm_gss_buffer_set(minor, name, mech_name, strlen(mech_name));
    if (major == GSS_S_COMPLETE)
        major = ntlm_gss_buffer_set(minor, description, mech_description, strlen(mech_description));
    if (major != GSS_S_COMPLETE) {
        gss_release_buffer(&tmp, sasl);
        gss_release_buffer(&tmp, name);
    }
    return major;
}

OM_uint32
ntlm_gss_inquire_mech_for_saslname(OM_uint32 *minor, const gss_buffer_t sasl, gss_OID *mech)
{
    if (sasl == GSS_C_NO_BUFFER || sasl->length != strlen(sasl_name) ||
        memcmp(sasl->value, sasl_name, sasl->length) != 0)
        return ntlm_gss_error(minor, GSS_S_BAD_MECH, NTLM_ERR_INVALID_ARG);
    *mech = NTLM_MECH_OID;
    *minor = 0;
    return GSS_S_COMPLETE;
}
