/* A private world for tests that go through MIT's mechglue: a temp dir with a one-line
 * mech.conf naming the freshly built module, a user file, a module configuration, and an
 * environment that keeps krb5 and /etc/gss out of the way. */
#ifndef GSS_TEST_ENV_H
#define GSS_TEST_ENV_H

#include <CUnit/CUnit.h>
#include <gssapi/gssapi.h>
#include <stdbool.h>

#define TEST_DOMAIN "TESTDOM"
#define TEST_USER "alice"
#define TEST_PASSWORD "Passw0rd!"

/* Creates the world (user file lines: TESTDOM:alice:Passw0rd!, TESTDOM:bob:Secret-2), with a
 * umask of 077 so that the user files tests write pass the module's permission check.
 * Returns the temp dir path, or NULL after printing why. */
const char *gss_test_env_setup(void);
/*
 * Replaces the module's default configuration (ntlm.conf) with text. The module re-reads it
 * within 2 s of a change; suites that want one setting throughout write it after setup and
 * before any GSS call. Returns 0, or -1 after printing why.
 */
int gss_test_env_write_config(const char *text);
/* Removes everything setup created. */
void gss_test_env_teardown(void);
/*
 * For a test that needs MIT's SPNEGO to read the peer's mechListMIC: false, after printing
 * "SKIP: <test>: MIT krb5 SPNEGO mechListMIC bug (ticket 9183)", when the library has that bug
 * (common/spnego_probe.c); the suite then ends with automake's SKIP status if nothing failed.
 */
bool gss_test_needs_spnego_mic(void);
/* A suite's main: sets the world up, runs the suite, tears the world down. */
int gss_test_env_run_suite(const char *name, CU_TestInfo *tests);

/* An NTLM initiator credential for "DOMAIN\\user" and a password (asserts it was acquired). */
gss_cred_id_t gss_test_password_cred(const char *user, const char *password);

/*
 * Runs a raw NTLM exchange (target HTTP@testhost.example, the default acceptor credential) to
 * completion; returns whether both sides finished. The contexts are the caller's to delete.
 */
int gss_test_establish(gss_cred_id_t icred, OM_uint32 req_flags, gss_ctx_id_t *ictx,
                       gss_ctx_id_t *actx);

/* The text gss_display_status gives for an NTLM minor status (malloc'd; "" when none). */
char *gss_test_minor_text(OM_uint32 minor);

/* The mechanism OIDs, as gss_OIDs the tests can pass around. */
extern gss_OID gss_test_ntlm_oid;
extern gss_OID gss_test_spnego_oid;

#endif
