/*
 * The two roles of sspi_shim/sspi_context.c's one context step, difference by difference (each
 * field of struct role): the first call's short output buffer, the output and input buffers each
 * role insists on, and handles of the other role; and handles freed by one thread while
 * another uses them.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gss_test_env.h"
#include "sspi.h"
#include "sspi_loop.h"
#include "test_util.h"

#define TARGET "HTTP/localhost"
#define SPACE 12000
#define REQ (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_CONNECTION)

/* One call's token buffer: out_len bytes of space (0: none passed), what came back. */
struct call {
    SECURITY_STATUS status;
    ULONG len;
    unsigned char out[SPACE];
};

static void
isc(CredHandle *cred, CtxtHandle *ctx, bool first, const void *token, ULONG len, ULONG space,
    struct call *c)
{
    SecBuffer in_buf = {len, SECBUFFER_TOKEN, (void *)token},
              out_buf = {space, SECBUFFER_TOKEN, c->out};
    SecBufferDesc in = {SECBUFFER_VERSION, 1, &in_buf}, out = {SECBUFFER_VERSION, 1, &out_buf};
    ULONG attrs;

    c->status = InitializeSecurityContextA(cred, first ? NULL : ctx, TARGET, REQ, 0,
                                           SECURITY_NATIVE_DREP, token != NULL ? &in : NULL, 0, ctx,
                                           space > 0 ? &out : NULL, &attrs, NULL);
    c->len = space > 0 ? out_buf.cbBuffer : 0;
}

static void
asc(CredHandle *cred, CtxtHandle *ctx, bool first, const void *token, ULONG len, ULONG space,
    struct call *c)
{
    SecBuffer in_buf = {len, SECBUFFER_TOKEN, (void *)token},
              out_buf = {space, SECBUFFER_TOKEN, c->out};
    SecBufferDesc in = {SECBUFFER_VERSION, 1, &in_buf}, out = {SECBUFFER_VERSION, 1, &out_buf};
    ULONG attrs;

    c->status =
        AcceptSecurityContext(cred, first ? NULL : ctx, token != NULL ? &in : NULL, 0,
                              SECURITY_NATIVE_DREP, ctx, space > 0 ? &out : NULL, &attrs, NULL);
    c->len = space > 0 ? out_buf.cbBuffer : 0;
}

static bool
is_ntlm_message(const struct call *c, unsigned char type)
{
    return c->len >= 12 && memcmp(c->out, "NTLMSSP", 8) == 0 && c->out[8] == type;
}

static void
credentials_or_fail(struct sspi_pair *p, const char *package)
{
    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(p, package, package, TEST_DOMAIN, TEST_USER, TEST_PASSWORD),
        SEC_E_OK);
}

/* NTLM credentials, and the client's NEGOTIATE answered by the server's CHALLENGE. */
static void
first_legs_or_fail(struct sspi_pair *p, struct call *neg, struct call *chal)
{
    credentials_or_fail(p, "NTLM");
    isc(&p->client_cred, &p->client, true, NULL, 0, SPACE, neg);
    CU_ASSERT_EQUAL_FATAL(neg->status, SEC_I_CONTINUE_NEEDED);
    p->have_client = true;
    asc(&p->server_cred, &p->server, true, neg->out, neg->len, SPACE, chal);
    CU_ASSERT_EQUAL_FATAL(chal->status, SEC_I_CONTINUE_NEEDED);
    p->have_server = true;
}

/* struct role's first_short_buffer_keeps_context, false: the caller starts again from nothing. */
static void
test_initiator_first_call_with_short_buffer_keeps_no_context(void)
{
    static struct call c;
    struct sspi_pair p = {0};
    CtxtHandle ctx = {0x1234, 0x5678};

    credentials_or_fail(&p, "NTLM");
    isc(&p.client_cred, &ctx, true, NULL, 0, 8, &c);
    CU_ASSERT_EQUAL(c.status, SEC_E_BUFFER_TOO_SMALL);
    CU_ASSERT(ctx.dwLower == 0 && ctx.dwUpper == 0);
    /* A fresh first call with room gets the NEGOTIATE. */
    isc(&p.client_cred, &p.client, true, NULL, 0, SPACE, &c);
    CU_ASSERT_EQUAL(c.status, SEC_I_CONTINUE_NEEDED);
    p.have_client = c.status == SEC_I_CONTINUE_NEEDED;
    CU_ASSERT(is_ntlm_message(&c, 1));
    sspi_pair_free(&p);
}

/* first_short_buffer_keeps_context, true: the retry with the new handle gets the CHALLENGE. */
static void
test_acceptor_first_call_with_short_buffer_keeps_the_context_and_token(void)
{
    static struct call neg, chal, auth, done;
    struct sspi_pair p = {0};

    credentials_or_fail(&p, "NTLM");
    isc(&p.client_cred, &p.client, true, NULL, 0, SPACE, &neg);
    CU_ASSERT_EQUAL_FATAL(neg.status, SEC_I_CONTINUE_NEEDED);
    p.have_client = true;
    asc(&p.server_cred, &p.server, true, neg.out, neg.len, 8, &chal);
    CU_ASSERT_EQUAL(chal.status, SEC_E_BUFFER_TOO_SMALL);
    CU_ASSERT_FATAL(p.server.dwLower != 0 || p.server.dwUpper != 0);
    p.have_server = true;
    asc(&p.server_cred, &p.server, false, neg.out, neg.len, SPACE, &chal);
    CU_ASSERT_EQUAL_FATAL(chal.status, SEC_I_CONTINUE_NEEDED);
    CU_ASSERT(is_ntlm_message(&chal, 2));
    /* The CHALLENGE handed out late is the context's own: the exchange completes. */
    isc(&p.client_cred, &p.client, false, chal.out, chal.len, SPACE, &auth);
    CU_ASSERT_EQUAL_FATAL(auth.status, SEC_E_OK);
    asc(&p.server_cred, &p.server, false, auth.out, auth.len, SPACE, &done);
    CU_ASSERT_EQUAL(done.status, SEC_E_OK);
    sspi_pair_free(&p);
}

/* Later calls: both roles keep a token that did not fit and hand it out on the retry. */
static void
test_both_roles_keep_a_later_token_that_did_not_fit(void)
{
    static struct call neg, chal, auth, done;
    struct sspi_pair p = {0};

    first_legs_or_fail(&p, &neg, &chal);
    isc(&p.client_cred, &p.client, false, chal.out, chal.len, 8, &auth);
    CU_ASSERT_EQUAL(auth.status, SEC_E_BUFFER_TOO_SMALL);
    isc(&p.client_cred, &p.client, false, chal.out, chal.len, SPACE, &auth);
    CU_ASSERT_EQUAL_FATAL(auth.status, SEC_E_OK);
    CU_ASSERT(is_ntlm_message(&auth, 3));
    asc(&p.server_cred, &p.server, false, auth.out, auth.len, SPACE, &done);
    CU_ASSERT_EQUAL(done.status, SEC_E_OK);
    sspi_pair_free(&p);
}

/*
 * output_needed_first: the initiator wants a token buffer before anything (Windows' client),
 * the acceptor only when a token goes out (its last NTLM leg takes pOutput = NULL);
 * input_needed: the acceptor cannot start without the client's token, the initiator can.
 */
static void
test_each_role_insists_on_its_own_buffers(void)
{
    static struct call neg, chal, auth, done;
    struct sspi_pair p = {0};
    CtxtHandle ctx = {0, 0};

    credentials_or_fail(&p, "NTLM");
    isc(&p.client_cred, &ctx, true, NULL, 0, 0, &neg);
    CU_ASSERT_EQUAL(neg.status, SEC_E_BUFFER_TOO_SMALL);
    asc(&p.server_cred, &ctx, true, NULL, 0, SPACE, &chal);
    CU_ASSERT_EQUAL(chal.status, SEC_E_INVALID_TOKEN);
    CU_ASSERT(ctx.dwLower == 0 && ctx.dwUpper == 0);
    sspi_pair_free(&p);
    first_legs_or_fail(&p, &neg, &chal);
    isc(&p.client_cred, &p.client, false, chal.out, chal.len, SPACE, &auth);
    CU_ASSERT_EQUAL_FATAL(auth.status, SEC_E_OK);
    asc(&p.server_cred, &p.server, false, auth.out, auth.len, 0, &done);
    CU_ASSERT_EQUAL(done.status, SEC_E_OK);
    sspi_pair_free(&p);
}

/* A context handle continues only in the role that made it. */
static void
test_a_context_continues_only_in_its_own_role(void)
{
    static struct call neg, chal, wrong;
    struct sspi_pair p = {0};

    first_legs_or_fail(&p, &neg, &chal);
    asc(&p.server_cred, &p.client, false, neg.out, neg.len, SPACE, &wrong);
    CU_ASSERT_EQUAL(wrong.status, SEC_E_INVALID_HANDLE);
    isc(&p.client_cred, &p.server, false, chal.out, chal.len, SPACE, &wrong);
    CU_ASSERT_EQUAL(wrong.status, SEC_E_INVALID_HANDLE);
    sspi_pair_free(&p);
}

static CU_TestInfo tests[] = {
    {"the initiator's first call with a short buffer keeps no context",
     test_initiator_first_call_with_short_buffer_keeps_no_context},
    {"the acceptor's first call with a short buffer keeps the context and its token",
     test_acceptor_first_call_with_short_buffer_keeps_the_context_and_token},
    {"both roles keep a later token that did not fit",
     test_both_roles_keep_a_later_token_that_did_not_fit},
    {"each role insists on its own buffers", test_each_role_insists_on_its_own_buffers},
    {"a context continues only in its own role", test_a_context_continues_only_in_its_own_role},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return gss_test_env_run_suite("sspi_context", tests);
}
