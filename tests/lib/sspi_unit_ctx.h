/*
 * For shim unit suites that compile sspi_objects.c and the handle table into the test: an NTLM
 * exchange run through the built module (gss_test_env's world), its two GSS contexts put behind
 * SSPI context handles as sspi_context.c would leave them once established.
 */
#ifndef SSPI_UNIT_CTX_H
#define SSPI_UNIT_CTX_H

#include <stdbool.h>

#include "sspi.h"
#include "sspi_objects.h"

/*
 * Establishes TESTDOM\alice against the default acceptor with req_flags (GSS flags) and gives
 * the two ends as handles of package (as a caller named it: "NTLM" or "Negotiate"); false after
 * a failed assertion. DeleteSecurityContext is not compiled in: end them with
 * sspi_unit_ctx_free.
 */
bool sspi_unit_ctx_pair(const char *package, OM_uint32 req_flags, CtxtHandle *client,
                        CtxtHandle *server);
/* A handle for ctx (its reference passes to the table), or a zeroed handle on failure. */
CtxtHandle sspi_unit_ctx_handle(struct sspi_ctx *ctx);
/* A context object of package, not established, with no GSS context and a credential for use. */
struct sspi_ctx *sspi_unit_ctx_new(const char *package, bool initiator);
/* Ends the handle; the object goes with the last reference. */
void sspi_unit_ctx_free(CtxtHandle *h);

#endif
