/*
 * libsspi behaves as Windows does where ported code notices (issue 14): flags reported before
 * completion, optional output buffers, Negotiate's completion over NTLM, *pfQOP, and the statuses
 * of odd buffers and tokens. Each test names the Windows fact and its source. Like
 * test_sspi_loop, it runs over our module and over gss-ntlmssp (tests/shim/sspi_over_gssntlmssp.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gss_test_env.h"
#include "sspi.h"
#include "sspi_loop.h"
#include "sspi_protect_checks.h"
#include "test_util.h"

#define TARGET "HTTP/localhost"
#define SPACE 12000
#define ATTRS_UNSET 0xdeadbeefu
#define SEAL_REQ                                                                                   \
    (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |                         \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)

/* Running over gss-ntlmssp, which reports no GSS flags before an acceptor context completes. */
static bool incumbent;

/* One side of an exchange driven call by call. */
struct leg {
    SECURITY_STATUS status;
    ULONG attrs;
    ULONG len; /* of the token produced, in out[] */
    unsigned char out[SPACE];
};

/* One InitializeSecurityContextA call; token NULL on the first. pOutput NULL when !with_output. */
static void
isc(CredHandle *cred, CtxtHandle *ctx, bool first, ULONG req, const void *token, ULONG len,
    bool with_output, struct leg *leg)
{
    SecBuffer in_buf = {len, SECBUFFER_TOKEN, (void *)token},
              out_buf = {SPACE, SECBUFFER_TOKEN, leg->out};
    SecBufferDesc in = {SECBUFFER_VERSION, 1, &in_buf}, out = {SECBUFFER_VERSION, 1, &out_buf};

    leg->attrs = ATTRS_UNSET;
    leg->status = InitializeSecurityContextA(cred, first ? NULL : ctx, TARGET, req, 0,
                                             SECURITY_NATIVE_DREP, token != NULL ? &in : NULL, 0,
                                             ctx, with_output ? &out : NULL, &leg->attrs, NULL);
    leg->len = out_buf.cbBuffer;
}

/* One AcceptSecurityContext call; pOutput NULL when !with_output. */
static void
asc(CredHandle *cred, CtxtHandle *ctx, bool first, ULONG req, const void *token, ULONG len,
    bool with_output, struct leg *leg)
{
    SecBuffer in_buf = {len, SECBUFFER_TOKEN, (void *)token},
              out_buf = {SPACE, SECBUFFER_TOKEN, leg->out};
    SecBufferDesc in = {SECBUFFER_VERSION, 1, &in_buf}, out = {SECBUFFER_VERSION, 1, &out_buf};

    leg->attrs = ATTRS_UNSET;
    leg->status = AcceptSecurityContext(cred, first ? NULL : ctx, &in, req, SECURITY_NATIVE_DREP,
                                        ctx, with_output ? &out : NULL, &leg->attrs, NULL);
    leg->len = with_output ? out_buf.cbBuffer : 0;
}

static void
credentials_or_fail(struct sspi_pair *p, const char *client_pkg, const char *server_pkg)
{
    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(p, client_pkg, server_pkg, TEST_DOMAIN, TEST_USER, TEST_PASSWORD),
        SEC_E_OK);
}

/*
 * Issue 14 item 1: the server's last NTLM call with pOutput = NULL is SEC_E_OK and writes the
 * ASC_RET flags on Windows: an output descriptor is needed only when a token must go out. A
 * Negotiate server's last call has a token (SPNEGO's mechListMIC): that one is
 * SEC_E_BUFFER_TOO_SMALL, and the retry with a buffer gets the token.
 */
static void
test_accept_last_leg_needs_no_output_buffer(void)
{
    static struct leg c, s;
    struct sspi_pair p = {0};

    credentials_or_fail(&p, "NTLM", "NTLM");
    isc(&p.client_cred, &p.client, true, SEAL_REQ, NULL, 0, true, &c);
    p.have_client = true;
    asc(&p.server_cred, &p.server, true, ASC_REQ_CONNECTION, c.out, c.len, true, &s);
    CU_ASSERT_EQUAL_FATAL(s.status, SEC_I_CONTINUE_NEEDED);
    p.have_server = true;
    isc(&p.client_cred, &p.client, false, SEAL_REQ, s.out, s.len, true, &c);
    CU_ASSERT_EQUAL_FATAL(c.status, SEC_E_OK);
    asc(&p.server_cred, &p.server, false, ASC_REQ_CONNECTION, c.out, c.len, false, &s);
    CU_ASSERT_EQUAL(s.status, SEC_E_OK);
    CU_ASSERT_NOT_EQUAL(s.attrs, ATTRS_UNSET);
    CU_ASSERT(s.attrs & ASC_RET_CONFIDENTIALITY);
    CU_ASSERT(s.attrs & ASC_RET_CONNECTION);
    sspi_check_encryption(&p.client, &p.server);
    sspi_pair_free(&p);

    credentials_or_fail(&p, "Negotiate", "Negotiate");
    isc(&p.client_cred, &p.client, true, SEAL_REQ, NULL, 0, true, &c);
    p.have_client = true;
    asc(&p.server_cred, &p.server, true, 0, c.out, c.len, true, &s);
    p.have_server = true;
    isc(&p.client_cred, &p.client, false, SEAL_REQ, s.out, s.len, true, &c);
    asc(&p.server_cred, &p.server, false, 0, c.out, c.len, false, &s);
    CU_ASSERT_EQUAL(s.status, SEC_E_BUFFER_TOO_SMALL);
    asc(&p.server_cred, &p.server, false, 0, c.out, c.len, true, &s);
    CU_ASSERT_EQUAL(s.status, SEC_E_OK);
    CU_ASSERT(s.len > 0);
    sspi_pair_free(&p);
}

/*
 * Issue 14 item 2: Windows' first AcceptSecurityContext (CHALLENGE out) already reports
 * ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT for a client that asked for integrity, plus
 * ASC_RET_CONFIDENTIALITY for one that asked for sealing. libsspi reports the flags the partial
 * GSS context says it is to offer (RFC 2743 1.2.7): our module gives them all; gss-ntlmssp 1.2
 * gives CONF and INTEG only (it never reports replay or sequence detection, even once complete).
 */
static void
test_first_accept_reports_what_the_client_asked_for(void)
{
    static const struct {
        ULONG client_req;
        ULONG want;
        ULONG not_want;
    } cases[] = {
        {SEAL_REQ, ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT | ASC_RET_CONFIDENTIALITY, 0},
        {ISC_REQ_INTEGRITY, ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT,
         ASC_RET_CONFIDENTIALITY},
        {ISC_REQ_CONNECTION, 0,
         ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT | ASC_RET_CONFIDENTIALITY},
    };
    static struct leg c, s;
    const char *packages[] = {"NTLM", "Negotiate"};
    size_t i, k;
    ULONG want, not_want;

    for (k = 0; k < 2; k++) {
        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            struct sspi_pair p = {0};

            credentials_or_fail(&p, packages[k], packages[k]);
            isc(&p.client_cred, &p.client, true, cases[i].client_req, NULL, 0, true, &c);
            p.have_client = true;
            asc(&p.server_cred, &p.server, true, ASC_REQ_CONNECTION, c.out, c.len, true, &s);
            CU_ASSERT_EQUAL(s.status, SEC_I_CONTINUE_NEEDED);
            p.have_server = s.status == SEC_I_CONTINUE_NEEDED;
            CU_ASSERT(s.attrs & ASC_RET_CONNECTION);
            if (incumbent)
                want = cases[i].want & ~(ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT);
            else
                want = cases[i].want;
            CU_ASSERT_EQUAL(s.attrs & want, want);
            /* MIT's SPNEGO asks every mechanism for integrity (its mechListMIC needs it), as
             * Windows' Negotiate makes NTLM sign: only sealing stays the client's choice. */
            not_want = k == 1 ? cases[i].not_want & ASC_RET_CONFIDENTIALITY : cases[i].not_want;
            CU_ASSERT_EQUAL(s.attrs & not_want, 0);
            sspi_pair_free(&p);
        }
    }
}

/*
 * Issue 14 item 3: Windows' first InitializeSecurityContext reports the ISC_RET bits that were
 * asked for, CONFIDENTIALITY bringing INTEGRITY (the InitializeSecurityContext (NTLM) page says
 * attributes may change until the final call; Windows reports them from the first).
 */
static void
test_first_initialize_reports_the_requested_flags(void)
{
    static const struct {
        ULONG req;
        ULONG want;
    } cases[] = {
        {ISC_REQ_CONFIDENTIALITY, ISC_RET_CONFIDENTIALITY | ISC_RET_INTEGRITY},
        {ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION,
         ISC_RET_REPLAY_DETECT | ISC_RET_SEQUENCE_DETECT | ISC_RET_CONNECTION},
        {ISC_REQ_INTEGRITY | ISC_REQ_MUTUAL_AUTH, ISC_RET_INTEGRITY | ISC_RET_MUTUAL_AUTH},
    };
    static struct leg c;
    const char *packages[] = {"NTLM", "Negotiate"};
    size_t i, k;

    for (k = 0; k < 2; k++) {
        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            struct sspi_pair p = {0};

            credentials_or_fail(&p, packages[k], packages[k]);
            isc(&p.client_cred, &p.client, true, cases[i].req, NULL, 0, true, &c);
            CU_ASSERT_EQUAL(c.status, SEC_I_CONTINUE_NEEDED);
            p.have_client = c.status == SEC_I_CONTINUE_NEEDED;
            CU_ASSERT_EQUAL(c.attrs & cases[i].want, cases[i].want);
            CU_ASSERT_EQUAL(c.attrs & ISC_RET_CONFIDENTIALITY,
                            cases[i].req & ISC_REQ_CONFIDENTIALITY ? ISC_RET_CONFIDENTIALITY : 0);
            sspi_pair_free(&p);
        }
    }
}

/*
 * Issue 14 item 4: Windows' NTLM reports ISC_RET_MUTUAL_AUTH to a client that asked for it,
 * although NTLM authenticates no server (Wine's msv1_0 ntlm_SpInitLsaModeContext does the same).
 */
static void
test_ntlm_client_gets_the_mutual_auth_it_asked_for(void)
{
    const char *packages[] = {"NTLM", "Negotiate"};
    size_t k;

    for (k = 0; k < 2; k++) {
        struct sspi_pair p = {0};

        credentials_or_fail(&p, packages[k], packages[k]);
        CU_ASSERT_FATAL(sspi_pair_establish(&p, TARGET, SEAL_REQ | ISC_REQ_MUTUAL_AUTH, 0));
        CU_ASSERT(p.client_attrs & ISC_RET_MUTUAL_AUTH);
        sspi_pair_free(&p);
        credentials_or_fail(&p, packages[k], packages[k]);
        CU_ASSERT_FATAL(sspi_pair_establish(&p, TARGET, SEAL_REQ, 0));
        CU_ASSERT_FALSE(p.client_attrs & ISC_RET_MUTUAL_AUTH);
        sspi_pair_free(&p);
    }
}

/*
 * Issue 14 item 5: a token buffer of cbMaxToken bytes whose pvBuffer is NULL, without
 * ISC_REQ_ALLOCATE_MEMORY, is SEC_E_INTERNAL_ERROR on Windows (Wine's ntlm.c runClient accepts
 * that or SEC_I_CONTINUE_NEEDED; Wine's msv1_0 returns SEC_E_INTERNAL_ERROR), and the failed
 * first call leaves no context. A zero-sized one stays SEC_E_BUFFER_TOO_SMALL, cbBuffer 0.
 */
static void
test_null_token_memory_without_allocate_is_internal_error(void)
{
    struct sspi_pair p = {0};
    PSecPkgInfoA info = NULL;
    SecBuffer out_buf = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc out = {SECBUFFER_VERSION, 1, &out_buf};
    CtxtHandle ctx = {0, 0};
    ULONG attrs;

    credentials_or_fail(&p, "NTLM", "NTLM");
    CU_ASSERT_EQUAL_FATAL(QuerySecurityPackageInfoA("NTLM", &info), SEC_E_OK);
    out_buf.cbBuffer = info->cbMaxToken;
    FreeContextBuffer(info);
    CU_ASSERT_EQUAL(InitializeSecurityContextA(&p.client_cred, NULL, TARGET, SEAL_REQ, 0,
                                               SECURITY_NETWORK_DREP, NULL, 0, &ctx, &out, &attrs,
                                               NULL),
                    SEC_E_INTERNAL_ERROR);
    CU_ASSERT(ctx.dwLower == 0 && ctx.dwUpper == 0);
    out_buf.cbBuffer = 0;
    CU_ASSERT_EQUAL(InitializeSecurityContextA(&p.client_cred, NULL, TARGET, SEAL_REQ, 0,
                                               SECURITY_NETWORK_DREP, NULL, 0, &ctx, &out, &attrs,
                                               NULL),
                    SEC_E_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(out_buf.cbBuffer, 0);
    /* The credential still makes a normal exchange afterwards. */
    CU_ASSERT_TRUE(sspi_pair_establish(&p, TARGET, SEAL_REQ, 0));
    sspi_pair_free(&p);
}

/*
 * Issue 14 item 7: a truncated first Negotiate token is SEC_E_INVALID_TOKEN, whatever length is
 * left (MIT's SPNEGO says GSS_S_FAILURE with a "token header is malformed" minor past the first
 * bytes; Windows calls every such token invalid).
 */
static void
test_truncated_negotiate_token_is_invalid_token(void)
{
    static struct leg c, s;
    struct sspi_pair p = {0};
    ULONG len;

    credentials_or_fail(&p, "Negotiate", "Negotiate");
    isc(&p.client_cred, &p.client, true, SEAL_REQ, NULL, 0, true, &c);
    p.have_client = true;
    CU_ASSERT_FATAL(c.len > 20);
    for (len = 1; len < c.len; len += len < 16 ? 1 : 5) {
        CtxtHandle server = {0, 0};

        asc(&p.server_cred, &server, true, 0, c.out, len, true, &s);
        if (s.status != SEC_E_INVALID_TOKEN)
            fprintf(stderr, "\n  %u of %u bytes: 0x%08x\n", (unsigned)len, (unsigned)c.len,
                    (unsigned)s.status);
        CU_ASSERT_EQUAL(s.status, SEC_E_INVALID_TOKEN);
        CU_ASSERT(server.dwLower == 0 && server.dwUpper == 0);
    }
    sspi_pair_free(&p);
}

/* The Negotiate exchange up to the server's SEC_E_OK; c then holds the client's second result. */
static void
negotiate_until_server_done(struct sspi_pair *p, struct leg *c, struct leg *s)
{
    credentials_or_fail(p, "Negotiate", "Negotiate");
    isc(&p->client_cred, &p->client, true, SEAL_REQ, NULL, 0, true, c);
    CU_ASSERT_EQUAL_FATAL(c->status, SEC_I_CONTINUE_NEEDED);
    p->have_client = true;
    asc(&p->server_cred, &p->server, true, 0, c->out, c->len, true, s);
    CU_ASSERT_EQUAL_FATAL(s->status, SEC_I_CONTINUE_NEEDED);
    p->have_server = true;
    isc(&p->client_cred, &p->client, false, SEAL_REQ, s->out, s->len, true, c);
    asc(&p->server_cred, &p->server, false, 0, c->out, c->len, true, s);
    CU_ASSERT_EQUAL_FATAL(s->status, SEC_E_OK);
    CU_ASSERT_FATAL(s->len > 0); /* accept-completed and the server's mechListMIC */
}

/* EncryptMessage at from, DecryptMessage at to: the latter's status, the plaintext checked. */
static SECURITY_STATUS
sealed_message(CtxtHandle *from, CtxtHandle *to)
{
    unsigned char data[16] = "Hello, peer!", token[64];
    SecBuffer bufs[2] = {{sizeof(token), SECBUFFER_TOKEN, token},
                         {sizeof(data), SECBUFFER_DATA, data}};
    SecBufferDesc msg = {SECBUFFER_VERSION, 2, bufs};
    SECURITY_STATUS status;
    ULONG qop = 0;

    CU_ASSERT_EQUAL_FATAL(EncryptMessage(from, 0, &msg, 0), SEC_E_OK);
    status = DecryptMessage(to, &msg, 0, &qop);
    if (status == SEC_E_OK)
        CU_ASSERT(memcmp(data, "Hello, peer!", 12) == 0);
    return status;
}

/*
 * The server's mechListMIC took its first sequence number (Samba's gensec_spnego keeps sequence
 * numbers across MS-SPNG 3.1.5.1's RC4 reset, as Windows does), so a client that never took the
 * server's last token signs with 0 where the server sent 1: the message is refused (both
 * modules say SEC_E_MESSAGE_ALTERED or SEC_E_OUT_OF_SEQUENCE), never accepted unverified.
 * libsspi(3) tells callers to pass that token before reading protected messages.
 */
static void
server_message_without_final_token(struct sspi_pair *p)
{
    SECURITY_STATUS status = sealed_message(&p->server, &p->client);

    CU_ASSERT(status == SEC_E_OUT_OF_SEQUENCE || status == SEC_E_MESSAGE_ALTERED);
}

/*
 * Issue 14 item 8: over NTLM, Windows' Negotiate client completes (SEC_E_OK) on its second call,
 * the one that sends the AUTHENTICATE (Wine's negotiate.c test_authentication loops while both
 * sides say CONTINUE and then expects the client at SEC_E_OK). The server's last token
 * (negTokenResp accept-completed with its mechListMIC, MS-SPNG 3.2.5.1) may follow: a client that
 * never passes it works as on Windows; one that passes it has the mechListMIC verified, and a
 * token that fails verification leaves no usable context.
 */
static void
test_negotiate_client_completes_on_its_second_call(void)
{
    static struct leg c, s, last;
    struct sspi_pair p = {0};
    unsigned char tampered[SPACE];
    SecBufferDesc empty = {SECBUFFER_VERSION, 0, NULL};

    /* Without the last token: the client protects messages it sends. */
    negotiate_until_server_done(&p, &c, &s);
    CU_ASSERT_EQUAL(c.status, SEC_E_OK);
    CU_ASSERT(c.attrs & ISC_RET_CONFIDENTIALITY);
    CU_ASSERT_EQUAL(sealed_message(&p.client, &p.server), SEC_E_OK);
    CU_ASSERT_EQUAL(sealed_message(&p.client, &p.server), SEC_E_OK);
    sspi_check_attributes(&p.client, &p.server, "NTLM", TEST_DOMAIN "\\" TEST_USER);
    server_message_without_final_token(&p);
    sspi_pair_free(&p);

    /* With it: verified, SEC_E_OK, and nothing more to send. */
    negotiate_until_server_done(&p, &c, &s);
    CU_ASSERT_EQUAL(c.status, SEC_E_OK);
    isc(&p.client_cred, &p.client, false, SEAL_REQ, s.out, s.len, false, &last);
    CU_ASSERT_EQUAL(last.status, SEC_E_OK);
    sspi_check_encryption(&p.server, &p.client);
    sspi_check_signatures(&p.client, &p.server);
    sspi_pair_free(&p);

    /* A forged mechListMIC (its last byte changed) fails and the context is unusable. */
    negotiate_until_server_done(&p, &c, &s);
    memcpy(tampered, s.out, s.len);
    tampered[s.len - 1] ^= 0x01;
    isc(&p.client_cred, &p.client, false, SEAL_REQ, tampered, s.len, false, &last);
    CU_ASSERT(last.status != SEC_E_OK && last.status != SEC_I_CONTINUE_NEEDED);
    isc(&p.client_cred, &p.client, false, SEAL_REQ, s.out, s.len, false, &last);
    CU_ASSERT(last.status != SEC_E_OK);
    CU_ASSERT_EQUAL(EncryptMessage(&p.client, 0, &empty, 0), SEC_E_INVALID_HANDLE);
    sspi_pair_free(&p);
}

static CU_TestInfo tests[] = {
    {"the last accept needs no output buffer", test_accept_last_leg_needs_no_output_buffer},
    {"the first accept reports what the client asked for",
     test_first_accept_reports_what_the_client_asked_for},
    {"the first initialize reports the requested flags",
     test_first_initialize_reports_the_requested_flags},
    {"an NTLM client gets the mutual auth it asked for",
     test_ntlm_client_gets_the_mutual_auth_it_asked_for},
    {"NULL token memory without ALLOCATE_MEMORY is SEC_E_INTERNAL_ERROR",
     test_null_token_memory_without_allocate_is_internal_error},
    {"a truncated Negotiate token is SEC_E_INVALID_TOKEN",
     test_truncated_negotiate_token_is_invalid_token},
    {"a Negotiate client completes on its second call",
     test_negotiate_client_completes_on_its_second_call},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    incumbent = sspi_check_limits_for_module();
    return gss_test_env_run_suite("sspi_fidelity", tests);
}
