/*
 * Negotiate on an MIT krb5 with the SPNEGO mechListMIC bug (ticket 9183, krb5 1.21.0 to
 * 1.22.1): such a library reads a negTokenResp's mechListMIC under [4] instead of RFC 4178's
 * [3], so it ignores the MIC every correct peer sends.
 */
#ifndef SSPI_SPNEGO_H
#define SSPI_SPNEGO_H

#include <stdbool.h>

#include <gssapi/gssapi.h>

#include "sspi.h"

/*
 * What Initialize/AcceptSecurityContext return when Negotiate failed on a peer's mechListMIC
 * that this library cannot read and the token could not be adapted (the probe could not run):
 * README.md and man/libsspi.3 explain it under this code.
 */
#define SPNEGO_MIC_9183_STATUS SEC_E_UNSUPPORTED_FUNCTION

/*
 * When the library has the bug (common/spnego_probe.c, run with acceptor_cred the first time a
 * token needs it; GSS_C_NO_CREDENTIAL probes with the default acceptor credentials) and token is
 * a negTokenResp carrying a mechListMIC under [3], *copy receives a malloc'd copy of token with
 * that one tag byte changed to [4], the tag the library reads, and the result is true: SPNEGO
 * then verifies the peer's MIC as RFC 4178 requires. Otherwise false and *copy is empty.
 */
bool sspi_spnego_adapt(gss_cred_id_t acceptor_cred, const gss_buffer_desc *token,
                       gss_buffer_desc *copy);

/*
 * Whether a SPNEGO failure on token is the bug's: token carries a mechListMIC under [3] and the
 * probe found the library affected, or could not tell. For the error path and the trace.
 */
bool sspi_spnego_failure_is_9183(const gss_buffer_desc *token);

#endif
