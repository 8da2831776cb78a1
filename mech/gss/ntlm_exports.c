/*
 * The symbols MIT's mechglue looks up in the module (build_dynamicMech), each a thin wrapper
 * over an internal ntlm_gss_* function. Nothing in the module calls these names: inside a
 * process that has libgssapi_krb5 loaded they would bind to the mechglue's own functions.
 * NegoEx entry points are deliberately absent (MIT's SPNEGO would then treat NTLM as NegoEx).
 */
#include "ntlm_errors.h"
#include "ntlm_gss.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT OM_uint32
gss_acquire_cred(OM_uint32 *minor, gss_name_t desired_name, OM_uint32 time_req,
                 gss_OID_set desired_mechs, gss_cred_usage_t usage, gss_cred_id_t *output,
                 gss_OID_set *actual_mechs, OM_uint32 *time_rec)
{
    return ntlm_gss_acquire_cred_from(minor, desired_name, time_req, desired_mechs, usage,
                                      GSS_C_NO_CRED_STORE, output, actual_mechs, time_rec);
}

EXPORT OM_uint32
gss_acquire_cred_from(OM_uint32 *minor, gss_name_t desired_name, OM_uint32 time_req,
                      gss_OID_set desired_mechs, gss_cred_usage_t usage,
                      gss_const_key_value_set_t cred_store, gss_cred_id_t *output,
                      gss_OID_set *actual_mechs, OM_uint32 *time_rec)
{
    return ntlm_gss_acquire_cred_from(minor, desired_name, time_req, desired_mechs, usage,
                                      cred_store, output, actual_mechs, time_rec);
}

/* MIT looks the password entry point up under its gssspi_ name only. */
EXPORT OM_uint32 gssspi_acquire_cred_with_password(OM_uint32 *minor, const gss_name_t desired_name,
                                                   const gss_buffer_t password, OM_uint32 time_req,
                                                   const gss_OID_set desired_mechs,
                                                   gss_cred_usage_t usage, gss_cred_id_t *output,
                                                   gss_OID_set *actual_mechs, OM_uint32 *time_rec);
EXPORT OM_uint32
gssspi_acquire_cred_with_password(OM_uint32 *minor, const gss_name_t desired_name,
                                  const gss_buffer_t password, OM_uint32 time_req,
                                  const gss_OID_set desired_mechs, gss_cred_usage_t usage,
                                  gss_cred_id_t *output, gss_OID_set *actual_mechs,
                                  OM_uint32 *time_rec)
{
    return ntlm_gss_acquire_cred_with_password(minor, desired_name, password, time_req,
                                               desired_mechs, usage, output, actual_mechs,
                                               time_rec);
}

EXPORT OM_uint32
gss_release_cred(OM_uint32 *minor, gss_cred_id_t *cred)
{
    return ntlm_gss_release_cred(minor, cred);
}

EXPORT OM_uint32
gss_inquire_cred(OM_uint32 *minor, gss_cred_id_t cred, gss_name_t *name, OM_uint32 *lifetime,
                 gss_cred_usage_t *usage, gss_OID_set *mechs)
{
    return ntlm_gss_inquire_cred(minor, cred, name, lifetime, usage, mechs);
}

EXPORT OM_uint32
gss_inquire_cred_by_mech(OM_uint32 *minor, gss_cred_id_t cred, gss_OID mech, gss_name_t *name,
                         OM_uint32 *init_lifetime, OM_uint32 *accept_lifetime,
                         gss_cred_usage_t *usage)
{
    return ntlm_gss_inquire_cred_by_mech(minor, cred, mech, name, init_lifetime, accept_lifetime,
                                         usage);
}

/*
 * Must exist: without it the mechglue resolves this name to its own backward-compatible
 * function, which then reads our credential as a union credential and recurses.
 */
EXPORT OM_uint32 gssspi_set_cred_option(OM_uint32 *minor, gss_cred_id_t *cred,
                                        const gss_OID desired_object, const gss_buffer_t value);
EXPORT OM_uint32
gssspi_set_cred_option(OM_uint32 *minor, gss_cred_id_t *cred, const gss_OID desired_object,
                       const gss_buffer_t value)
{
    return ntlm_gss_error(minor, GSS_S_UNAVAILABLE, NTLM_ERR_UNSUPPORTED_OPTION);
}

EXPORT OM_uint32
gss_init_sec_context(OM_uint32 *minor, gss_cred_id_t cred, gss_ctx_id_t *context, gss_name_t target,
                     gss_OID mech, OM_uint32 req_flags, OM_uint32 time_req,
                     gss_channel_bindings_t bindings, gss_buffer_t input, gss_OID *actual_mech,
                     gss_buffer_t output, OM_uint32 *ret_flags, OM_uint32 *time_rec)
{
    return ntlm_gss_init_sec_context(minor, cred, context, target, mech, req_flags, time_req,
                                     bindings, input, actual_mech, output, ret_flags, time_rec);
}

EXPORT OM_uint32
gss_accept_sec_context(OM_uint32 *minor, gss_ctx_id_t *context, gss_cred_id_t cred,
                       gss_buffer_t input, gss_channel_bindings_t bindings, gss_name_t *src_name,
                       gss_OID *mech, gss_buffer_t output, OM_uint32 *ret_flags,
                       OM_uint32 *time_rec, gss_cred_id_t *delegated)
{
    return ntlm_gss_accept_sec_context(minor, context, cred, input, bindings, src_name, mech,
                                       output, ret_flags, time_rec, delegated);
}

EXPORT OM_uint32
gss_delete_sec_context(OM_uint32 *minor, gss_ctx_id_t *context, gss_buffer_t output)
{
    return ntlm_gss_delete_sec_context(minor, context, output);
}

EXPORT OM_uint32
gss_context_time(OM_uint32 *minor, gss_ctx_id_t context, OM_uint32 *time_rec)
{
    return ntlm_gss_context_time(minor, context, time_rec);
}

EXPORT OM_uint32
gss_inquire_context(OM_uint32 *minor, gss_ctx_id_t context, gss_name_t *src, gss_name_t *targ,
                    OM_uint32 *lifetime, gss_OID *mech, OM_uint32 *flags, int *locally_initiated,
                    int *open)
{
    return ntlm_gss_inquire_context(minor, context, src, targ, lifetime, mech, flags,
                                    locally_initiated, open);
}

EXPORT OM_uint32
gss_inquire_sec_context_by_oid(OM_uint32 *minor, const gss_ctx_id_t context,
                               const gss_OID desired_object, gss_buffer_set_t *data_set)
{
    return ntlm_gss_inquire_sec_context_by_oid(minor, context, desired_object, data_set);
}

EXPORT OM_uint32
gss_set_sec_context_option(OM_uint32 *minor, gss_ctx_id_t *context, const gss_OID desired_object,
                           const gss_buffer_t value)
{
    return ntlm_gss_set_sec_context_option(minor, context, desired_object, value);
}

EXPORT OM_uint32
gss_export_sec_context(OM_uint32 *minor, gss_ctx_id_t *context, gss_buffer_t token)
{
    return ntlm_gss_export_sec_context(minor, context, token);
}

EXPORT OM_uint32
gss_import_sec_context(OM_uint32 *minor, gss_buffer_t token, gss_ctx_id_t *context)
{
    return ntlm_gss_import_sec_context(minor, token, context);
}

EXPORT OM_uint32
gss_get_mic(OM_uint32 *minor, gss_ctx_id_t context, gss_qop_t qop, gss_buffer_t message,
            gss_buffer_t token)
{
    return ntlm_gss_get_mic(minor, context, qop, message, token);
}

EXPORT OM_uint32
gss_verify_mic(OM_uint32 *minor, gss_ctx_id_t context, gss_buffer_t message, gss_buffer_t token,
               gss_qop_t *qop)
{
    return ntlm_gss_verify_mic(minor, context, message, token, qop);
}

EXPORT OM_uint32
gss_wrap(OM_uint32 *minor, gss_ctx_id_t context, int conf_req, gss_qop_t qop, gss_buffer_t input,
         int *conf_state, gss_buffer_t output)
{
    return ntlm_gss_wrap(minor, context, conf_req, qop, input, conf_state, output);
}

EXPORT OM_uint32
gss_unwrap(OM_uint32 *minor, gss_ctx_id_t context, gss_buffer_t input, gss_buffer_t output,
           int *conf_state, gss_qop_t *qop)
{
    return ntlm_gss_unwrap(minor, context, input, output, conf_state, qop);
}

EXPORT OM_uint32
gss_wrap_iov(OM_uint32 *minor, gss_ctx_id_t context, int conf_req, gss_qop_t qop, int *conf_state,
             gss_iov_buffer_desc *iov, int iov_count)
{
    return ntlm_gss_wrap_iov(minor, context, conf_req, qop, conf_state, iov, iov_count);
}

EXPORT OM_uint32
gss_unwrap_iov(OM_uint32 *minor, gss_ctx_id_t context, int *conf_state, gss_qop_t *qop,
               gss_iov_buffer_desc *iov, int iov_count)
{
    return ntlm_gss_unwrap_iov(minor, context, conf_state, qop, iov, iov_count);
}

EXPORT OM_uint32
gss_wrap_iov_length(OM_uint32 *minor, gss_ctx_id_t context, int conf_req, gss_qop_t qop,
                    int *conf_state, gss_iov_buffer_desc *iov, int iov_count)
{
    return ntlm_gss_wrap_iov_length(minor, context, conf_req, qop, conf_state, iov, iov_count);
}

EXPORT OM_uint32
gss_get_mic_iov(OM_uint32 *minor, gss_ctx_id_t context, gss_qop_t qop, gss_iov_buffer_desc *iov,
                int iov_count)
{
    return ntlm_gss_get_mic_iov(minor, context, qop, iov, iov_count);
}

EXPORT OM_uint32
gss_verify_mic_iov(OM_uint32 *minor, gss_ctx_id_t context, gss_qop_t *qop, gss_iov_buffer_desc *iov,
                   int iov_count)
{
    return ntlm_gss_verify_mic_iov(minor, context, qop, iov, iov_count);
}

EXPORT OM_uint32
gss_get_mic_iov_length(OM_uint32 *minor, gss_ctx_id_t context, gss_qop_t qop,
                       gss_iov_buffer_desc *iov, int iov_count)
{
    return ntlm_gss_get_mic_iov_length(minor, context, qop, iov, iov_count);
}

EXPORT OM_uint32
gss_wrap_size_limit(OM_uint32 *minor, gss_ctx_id_t context, int conf_req, gss_qop_t qop,
                    OM_uint32 req_output_size, OM_uint32 *max_input_size)
{
    return ntlm_gss_wrap_size_limit(minor, context, conf_req, qop, req_output_size, max_input_size);
}

EXPORT OM_uint32
gss_import_name(OM_uint32 *minor, gss_buffer_t input, gss_OID name_type, gss_name_t *output)
{
    return ntlm_gss_import_name(minor, input, name_type, output);
}

EXPORT OM_uint32
gss_display_name(OM_uint32 *minor, gss_name_t name, gss_buffer_t output, gss_OID *name_type)
{
    return ntlm_gss_display_name(minor, name, output, name_type);
}

EXPORT OM_uint32
gss_release_name(OM_uint32 *minor, gss_name_t *name)
{
    return ntlm_gss_release_name(minor, name);
}

EXPORT OM_uint32
gss_compare_name(OM_uint32 *minor, gss_name_t a, gss_name_t b, int *equal)
{
    return ntlm_gss_compare_name(minor, a, b, equal);
}

EXPORT OM_uint32
gss_duplicate_name(OM_uint32 *minor, const gss_name_t in, gss_name_t *out)
{
    return ntlm_gss_duplicate_name(minor, in, out);
}

EXPORT OM_uint32
gss_export_name(OM_uint32 *minor, const gss_name_t name, gss_buffer_t out)
{
    return ntlm_gss_export_name(minor, name, out);
}

EXPORT OM_uint32
gss_localname(OM_uint32 *minor, const gss_name_t name, const gss_const_OID mech,
              gss_buffer_t localname)
{
    return ntlm_gss_localname(minor, name, mech, localname);
}

EXPORT OM_uint32
gss_inquire_name(OM_uint32 *minor, gss_name_t name, int *name_is_mn, gss_OID *mn_mech,
                 gss_buffer_set_t *attrs)
{
    return ntlm_gss_inquire_name(minor, name, name_is_mn, mn_mech, attrs);
}

EXPORT OM_uint32
gss_get_name_attribute(OM_uint32 *minor, gss_name_t name, gss_buffer_t attr, int *authenticated,
                       int *complete, gss_buffer_t value, gss_buffer_t display_value, int *more)
{
    return ntlm_gss_get_name_attribute(minor, name, attr, authenticated, complete, value,
                                       display_value, more);
}

EXPORT OM_uint32
gss_display_status(OM_uint32 *minor, OM_uint32 status_value, int status_type, gss_OID mech_type,
                   OM_uint32 *message_context, gss_buffer_t status_string)
{
    return ntlm_gss_display_status(minor, status_value, status_type, mech_type, message_context,
                                   status_string);
}

EXPORT OM_uint32
gss_indicate_mechs(OM_uint32 *minor, gss_OID_set *mechs)
{
    return ntlm_gss_indicate_mechs(minor, mechs);
}

EXPORT OM_uint32
gss_inquire_names_for_mech(OM_uint32 *minor, gss_OID mech, gss_OID_set *names)
{
    return ntlm_gss_inquire_names_for_mech(minor, mech, names);
}

EXPORT OM_uint32
gss_inquire_attrs_for_mech(OM_uint32 *minor, gss_const_OID mech, gss_OID_set *mech_attrs,
                           gss_OID_set *known_attrs)
{
    return ntlm_gss_inquire_attrs_for_mech(minor, mech, mech_attrs, known_attrs);
}

EXPORT OM_uint32
gss_inquire_saslname_for_mech(OM_uint32 *minor, const gss_OID mech, gss_buffer_t sasl_name,
                              gss_buffer_t mech_name, gss_buffer_t mech_description)
{
    return ntlm_gss_inquire_saslname_for_mech(minor, mech, sasl_name, mech_name, mech_description);
}

EXPORT OM_uint32
gss_inquire_mech_for_saslname(OM_uint32 *minor, const gss_buffer_t sasl_name, gss_OID *mech)
{
    return ntlm_gss_inquire_mech_for_saslname(minor, sasl_name, mech);
}

/* Lets the mechglue's gss_release_oid recognise our static mechanism OID. */
EXPORT OM_uint32 gss_internal_release_oid(OM_uint32 *minor, gss_OID *oid);
EXPORT OM_uint32
gss_internal_release_oid(OM_uint32 *minor, gss_OID *oid)
{
    *minor = 0;
    if (oid == NULL || *oid != NTLM_MECH_OID)
        return GSS_S_CONTINUE_NEEDED;
    *oid = GSS_C_NO_OID;
    return GSS_S_COMPLETE;
}
