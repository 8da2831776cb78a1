/*
 * Checks of message protection and context attributes on an established client/server pair,
 * through the public SSPI API only, for the loop suites to call inside their CUnit tests.
 */
#ifndef SSPI_PROTECT_CHECKS_H
#define SSPI_PROTECT_CHECKS_H

#include "sspi.h"

/*
 * What the GSS mechanism under the shim cannot do, so that the checks expect the documented
 * refusal instead. All zero (the default) is the full expectation, which our NTLM module and
 * MIT's krb5 meet. A suite running over gss-ntlmssp sets both.
 */
struct sspi_check_limits {
    /* No gss_*_iov calls: EncryptMessage can seal only [TOKEN, one DATA] (else
     * SEC_E_UNSUPPORTED_FUNCTION). */
    int no_iov;
    /* No sequence checking: a replay is only a wrong signature (SEC_E_MESSAGE_ALTERED), and
     * any failed verification uses up the receiver's next sequence number. */
    int no_sequence_checks;
};
extern struct sspi_check_limits sspi_check_limits;

/*
 * Sets sspi_check_limits for the NTLM module the suite runs over (SSPIGSS_MODULE): gss-ntlmssp
 * has no IOV calls and no sequence checks. Returns whether it is gss-ntlmssp.
 */
int sspi_check_limits_for_module(void);

/*
 * MakeSignature at from, VerifySignature at to, and back; READONLY(_WITH_CHECKSUM) layouts;
 * a missing or short TOKEN; a tampered and a replayed message. Leaves the pair in step.
 */
void sspi_check_signatures(CtxtHandle *from, CtxtHandle *to);

/*
 * EncryptMessage at from, DecryptMessage at to, and back: [DATA, TOKEN] both orders,
 * READONLY_WITH_CHECKSUM buffers (also Wine's 4-buffer layout), SECQOP_WRAP_NO_ENCRYPT,
 * a SECBUFFER_STREAM, and the refusals that must leave the context untouched.
 */
void sspi_check_encryption(CtxtHandle *from, CtxtHandle *to);

/*
 * Every QueryContextAttributes level on both sides, A and W: SIZES, NAMES (the server's is
 * want_user), NATIVE_NAMES, SESSION_KEY (the same on both sides), NEGOTIATION_INFO and
 * PACKAGE_INFO (want_package), LIFESPAN, FLAGS, KEY_INFO; STREAM_SIZES and unknown levels
 * unsupported; SetContextAttributes refused. Everything is freed with FreeContextBuffer.
 */
void sspi_check_attributes(CtxtHandle *client, CtxtHandle *server, const char *want_package,
                           const char *want_user);

#endif
