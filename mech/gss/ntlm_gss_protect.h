/*
 * Per-message protection: the SPI of the MIC and wrap entry points over an established
 * context's signing state. ntlm_protect.c implements them.
 */
#ifndef NTLM_GSS_PROTECT_H
#define NTLM_GSS_PROTECT_H

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

/* The SPI of the protection entry points (the arguments of the gss_* they implement). */
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

#endif
