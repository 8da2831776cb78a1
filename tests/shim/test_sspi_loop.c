/*
 * libsspi over an NTLM GSS mechanism, through the public SSPI API only: the documented
 * AcceptSecurityContext (Negotiate) and InitializeSecurityContext behaviours, each status code
 * in its case, and message protection and attributes on the established pair. The same binary
 * runs over our module and over gss-ntlmssp (tests/shim/sspi_over_gssntlmssp.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gss_test_env.h"
#include "sspi.h"
#include "sspi_loop.h"
#include "sspi_protect_checks.h"
#include "test_util.h"

#define FULL_REQ                                                                                   \
    (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |                         \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)
#define SERVER_REQ (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_CONNECTION)
#define TARGET "HTTP/localhost"

/* Running over gss-ntlmssp, which reports some failures with other GSS codes than ours. */
static bool incumbent;

static void
establish_or_fail(struct sspi_pair *p, const char *client_pkg, const char *server_pkg,
                  const char *password)
{
    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(p, client_pkg, server_pkg, TEST_DOMAIN, TEST_USER, password),
        SEC_E_OK);
    CU_ASSERT_FATAL(sspi_pair_establish(p, TARGET, FULL_REQ, SERVER_REQ));
}

static void
test_ntlm_package_authenticates_and_protects_messages(void)
{
    struct sspi_pair p = {0};

    establish_or_fail(&p, "NTLM", "NTLM", TEST_PASSWORD);
    CU_ASSERT_EQUAL(p.server_calls, 2);
    CU_ASSERT(p.server_attrs & ASC_RET_CONFIDENTIALITY);
    CU_ASSERT(p.server_attrs & ASC_RET_INTEGRITY);
    CU_ASSERT(p.server_attrs & ASC_RET_CONNECTION);
    CU_ASSERT(p.client_attrs & ISC_RET_CONFIDENTIALITY);
    CU_ASSERT(p.client_attrs & ISC_RET_INTEGRITY);
    sspi_check_signatures(&p.client, &p.server);
    sspi_check_signatures(&p.server, &p.client);
    sspi_check_encryption(&p.client, &p.server);
    sspi_check_encryption(&p.server, &p.client);
    sspi_check_attributes(&p.client, &p.server, "NTLM", TEST_DOMAIN "\\" TEST_USER);
    sspi_pair_free(&p);
}

static void
test_negotiate_returns_final_token_with_sec_e_ok_and_names_ntlm(void)
{
    struct sspi_pair p = {0};

    establish_or_fail(&p, "Negotiate", "Negotiate", TEST_PASSWORD);
    /* SPNEGO's last server token (its mechListMIC) comes with SEC_E_OK; the client, done since
     * its second call, takes it in a third to verify it. */
    CU_ASSERT_TRUE(p.server_final_token);
    CU_ASSERT_EQUAL(p.client_calls, 3);
    sspi_check_signatures(&p.client, &p.server);
    sspi_check_encryption(&p.server, &p.client);
    sspi_check_attributes(&p.client, &p.server, "NTLM", TEST_DOMAIN "\\" TEST_USER);
    sspi_pair_free(&p);
}

static void
test_negotiate_server_accepts_a_raw_ntlm_client(void)
{
    struct sspi_pair p = {0};

    establish_or_fail(&p, "NTLM", "Negotiate", TEST_PASSWORD);
    sspi_check_attributes(&p.client, &p.server, "NTLM", TEST_DOMAIN "\\" TEST_USER);
    sspi_pair_free(&p);
}

static void
test_wrong_password_is_logon_denied_on_the_final_call(void)
{
    struct sspi_pair p = {0};

    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(&p, "NTLM", "NTLM", TEST_DOMAIN, TEST_USER, "wrong"), SEC_E_OK);
    CU_ASSERT_FALSE(sspi_pair_establish(&p, TARGET, FULL_REQ, SERVER_REQ));
    CU_ASSERT_EQUAL(p.server_status, SEC_E_LOGON_DENIED);
    CU_ASSERT_EQUAL(p.server_calls, 2);
    sspi_pair_free(&p);
}

/*
 * A locked-out account (our module's lockout_threshold, 10 by default) is SEC_E_LOGON_DENIED
 * even with the right password, as Windows' NTLM answers STATUS_ACCOUNT_LOCKED_OUT: SSPI has
 * no status of its own for it. gss-ntlmssp has no lockout. bob, so that alice stays usable.
 */
static void
test_a_locked_out_account_is_logon_denied_with_the_right_password(void)
{
    struct sspi_pair p = {0};
    int i;

    for (i = 0; i < 10; i++) {
        CU_ASSERT_EQUAL_FATAL(
            sspi_pair_credentials(&p, "NTLM", "NTLM", TEST_DOMAIN, "bob", "wrong"), SEC_E_OK);
        CU_ASSERT_FALSE(sspi_pair_establish(&p, TARGET, FULL_REQ, SERVER_REQ));
        CU_ASSERT_EQUAL(p.server_status, SEC_E_LOGON_DENIED);
        sspi_pair_free(&p);
    }
    CU_ASSERT_EQUAL_FATAL(sspi_pair_credentials(&p, "NTLM", "NTLM", TEST_DOMAIN, "bob", "Secret-2"),
                          SEC_E_OK);
    CU_ASSERT_EQUAL(sspi_pair_establish(&p, TARGET, FULL_REQ, SERVER_REQ), incumbent);
    if (!incumbent)
        CU_ASSERT_EQUAL(p.server_status, SEC_E_LOGON_DENIED);
    sspi_pair_free(&p);
}

static void
test_wide_entry_points_take_utf16_identities_and_targets(void)
{
    static const WCHAR package[] = u"NTLM", domain[] = u"TESTDOM", user[] = u"alice",
                       password[] = u"Passw0rd!", target[] = u"HTTP/localhost";
    SEC_WINNT_AUTH_IDENTITY_W id = {(USHORT *)user,
                                    5,
                                    (USHORT *)domain,
                                    7,
                                    (USHORT *)password,
                                    9,
                                    SEC_WINNT_AUTH_IDENTITY_UNICODE};
    CredHandle cred;
    CtxtHandle ctx;
    unsigned char space[4096];
    SecBuffer out_buf = {sizeof(space), SECBUFFER_TOKEN, space};
    SecBufferDesc out = {SECBUFFER_VERSION, 1, &out_buf};
    ULONG attrs;
    SecPkgCredentials_NamesW names = {0};

    CU_ASSERT_EQUAL_FATAL(AcquireCredentialsHandleW(NULL, (LPWSTR)package, SECPKG_CRED_OUTBOUND,
                                                    NULL, &id, NULL, NULL, &cred, NULL),
                          SEC_E_OK);
    CU_ASSERT_EQUAL(QueryCredentialsAttributesW(&cred, SECPKG_CRED_ATTR_NAMES, &names), SEC_E_OK);
    CU_ASSERT(names.sUserName != NULL &&
              memcmp(names.sUserName, u"TESTDOM\\alice", sizeof(u"TESTDOM\\alice")) == 0);
    FreeContextBuffer(names.sUserName);
    CU_ASSERT_EQUAL(InitializeSecurityContextW(&cred, NULL, (SEC_WCHAR *)target, FULL_REQ, 0,
                                               SECURITY_NETWORK_DREP, NULL, 0, &ctx, &out, &attrs,
                                               NULL),
                    SEC_I_CONTINUE_NEEDED);
    CU_ASSERT(out_buf.cbBuffer > 32 && memcmp(space, "NTLMSSP", 8) == 0);
    CU_ASSERT_EQUAL(DeleteSecurityContext(&ctx), SEC_E_OK);
    CU_ASSERT_EQUAL(FreeCredentialsHandle(&cred), SEC_E_OK);
}

/* One ASC call asking for req, with an output buffer of out_size bytes (0: ALLOCATE_MEMORY). */
static SECURITY_STATUS
accept_once_req(ULONG req, CredHandle *cred, CtxtHandle *ctx, bool first, void *token, ULONG len,
                void *out, ULONG out_size, ULONG *out_len, ULONG *attrs, TimeStamp *expiry)
{
    SecBuffer in_buf = {len, SECBUFFER_TOKEN, token}, out_buf = {out_size, SECBUFFER_TOKEN, out};
    SecBufferDesc in = {SECBUFFER_VERSION, 1, &in_buf}, outd = {SECBUFFER_VERSION, 1, &out_buf};
    SECURITY_STATUS status;

    status = AcceptSecurityContext(cred, first ? NULL : ctx, &in,
                                   req | (out_size == 0 ? ASC_REQ_ALLOCATE_MEMORY : 0),
                                   SECURITY_NATIVE_DREP, ctx, &outd, attrs, expiry);
    *out_len = out_buf.cbBuffer;
    if (out_size == 0 && out_buf.pvBuffer != NULL) {
        memcpy(out, out_buf.pvBuffer, out_buf.cbBuffer);
        FreeContextBuffer(out_buf.pvBuffer);
    }
    return status;
}

static SECURITY_STATUS
accept_once(CredHandle *cred, CtxtHandle *ctx, bool first, void *token, ULONG len, void *out,
            ULONG out_size, ULONG *out_len, ULONG *attrs, TimeStamp *expiry)
{
    return accept_once_req(SERVER_REQ, cred, ctx, first, token, len, out, out_size, out_len, attrs,
                           expiry);
}

static SECURITY_STATUS
initiate_once(CredHandle *cred, CtxtHandle *ctx, bool first, void *token, ULONG len, void *out,
              ULONG *out_len)
{
    SecBuffer in_buf = {len, SECBUFFER_TOKEN, token}, out_buf = {12000, SECBUFFER_TOKEN, out};
    SecBufferDesc in = {SECBUFFER_VERSION, 1, &in_buf}, outd = {SECBUFFER_VERSION, 1, &out_buf};
    ULONG attrs;
    SECURITY_STATUS status;

    status = InitializeSecurityContextA(cred, first ? NULL : ctx, TARGET, FULL_REQ, 0,
                                        SECURITY_NATIVE_DREP, first ? NULL : &in, 0, ctx, &outd,
                                        &attrs, NULL);
    *out_len = out_buf.cbBuffer;
    return status;
}

static void
test_accept_documented_behaviour_step_by_step(void)
{
    struct sspi_pair p = {0};
    static unsigned char neg[12000], chal[12000], auth[12000], last[12000];
    ULONG neg_len, chal_len, auth_len, last_len, attrs = 0;
    TimeStamp expiry;
    CtxtHandle server = {0, 0};

    expiry.LowPart = 0x11111111;
    expiry.HighPart = 0x11111111;

    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(&p, "Negotiate", "Negotiate", TEST_DOMAIN, TEST_USER, TEST_PASSWORD),
        SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(initiate_once(&p.client_cred, &p.client, true, NULL, 0, neg, &neg_len),
                          SEC_I_CONTINUE_NEEDED);
    p.have_client = true;
    /* A caller buffer too small for the CHALLENGE: the context survives, the retry gets it. */
    CU_ASSERT_EQUAL(accept_once(&p.server_cred, &server, true, neg, neg_len, chal, 10, &chal_len,
                                &attrs, &expiry),
                    SEC_E_BUFFER_TOO_SMALL);
    CU_ASSERT(server.dwLower != 0 || server.dwUpper != 0);
    CU_ASSERT_EQUAL(accept_once(&p.server_cred, &server, false, neg, neg_len, chal, sizeof(chal),
                                &chal_len, &attrs, &expiry),
                    SEC_I_CONTINUE_NEEDED);
    CU_ASSERT(chal_len > 0);
    /* No expiry before the final call. */
    CU_ASSERT_EQUAL(expiry.LowPart, 0x11111111);
    CU_ASSERT_EQUAL(expiry.HighPart, 0x11111111);
    /* Windows' Negotiate client over NTLM is done with its AUTHENTICATE (issue 14 item 8). */
    CU_ASSERT_EQUAL_FATAL(
        initiate_once(&p.client_cred, &p.client, false, chal, chal_len, auth, &auth_len), SEC_E_OK);
    /* ASC_REQ_ALLOCATE_MEMORY: the shim allocates; the final status carries a token. */
    CU_ASSERT_EQUAL(accept_once(&p.server_cred, &server, false, auth, auth_len, last, 0, &last_len,
                                &attrs, &expiry),
                    SEC_E_OK);
    CU_ASSERT(last_len > 0);
    CU_ASSERT(attrs & ASC_RET_ALLOCATED_MEMORY);
    CU_ASSERT(expiry.LowPart != 0x11111111 || expiry.HighPart != 0x11111111);
    /* The server's last token still goes to the client, which verifies its mechListMIC. */
    CU_ASSERT_EQUAL(initiate_once(&p.client_cred, &p.client, false, last, last_len, neg, &neg_len),
                    SEC_E_OK);
    CU_ASSERT_EQUAL(neg_len, 0);
    p.server = server;
    p.have_server = true;
    sspi_check_signatures(&p.client, &p.server);
    sspi_pair_free(&p);
}

/*
 * An AUTHENTICATE with every field empty that asks for neither SIGN nor SEAL (MS-NLMP 2.2.1.3):
 * what a man in the middle can send without knowing anything. Flags: UNICODE, NTLM,
 * ALWAYS_SIGN, ESS, 128, KEY_EXCH, 56; the six empty fields point at the header's end.
 */
static void
bare_authenticate(unsigned char msg[64])
{
    static const unsigned char flags[4] = {0x01, 0x82, 0x08, 0xe0};
    int field;

    memset(msg, 0, 64);
    memcpy(msg, "NTLMSSP\0\3\0\0\0", 12);
    for (field = 12; field < 60; field += 8)
        msg[field + 4] = 64;
    memcpy(msg + 60, flags, 4);
}

/* MS-NLMP 3.4.4's signature for contexts without signing (version 1, then zeros) on
 * attacker-chosen bytes must neither verify nor decrypt. */
static void
check_dummy_signature_refused(CtxtHandle *ctx)
{
    unsigned char sig[16], data[6];
    SecBuffer bufs[2] = {{sizeof(data), SECBUFFER_DATA, data}, {sizeof(sig), SECBUFFER_TOKEN, sig}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    SECURITY_STATUS status;
    ULONG qop;
    int i;

    for (i = 0; i < 2; i++) {
        memset(sig, 0, sizeof(sig));
        sig[0] = 1;
        memcpy(data, "forged", sizeof(data));
        status =
            i == 0 ? VerifySignature(ctx, &desc, 0, &qop) : DecryptMessage(ctx, &desc, 0, &qop);
        CU_ASSERT_NOT_EQUAL(status, SEC_E_OK);
    }
}

static void
test_a_failed_authenticate_cannot_strip_signing_from_the_genuine_one(void)
{
    /* The server demands nothing, as an HTTP server does: only the mechanism protects it. */
    const ULONG server_req = ASC_REQ_CONNECTION;
    struct sspi_pair p = {0};
    static unsigned char neg[12000], chal[12000], auth[12000], out[12000];
    unsigned char injected[64];
    ULONG neg_len, chal_len, auth_len, out_len, attrs = 0;
    SECURITY_STATUS status;

    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(&p, "NTLM", "NTLM", TEST_DOMAIN, TEST_USER, TEST_PASSWORD), SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(initiate_once(&p.client_cred, &p.client, true, NULL, 0, neg, &neg_len),
                          SEC_I_CONTINUE_NEEDED);
    p.have_client = true;
    CU_ASSERT_EQUAL_FATAL(accept_once_req(server_req, &p.server_cred, &p.server, true, neg, neg_len,
                                          chal, sizeof(chal), &chal_len, &attrs, NULL),
                          SEC_I_CONTINUE_NEEDED);
    p.have_server = true;
    status = initiate_once(&p.client_cred, &p.client, false, chal, chal_len, auth, &auth_len);
    CU_ASSERT_FATAL(status == SEC_E_OK || status == SEC_I_CONTINUE_NEEDED);
    /* The man in the middle's AUTHENTICATE arrives first and fails (no anonymous logons)... */
    bare_authenticate(injected);
    status = accept_once_req(server_req, &p.server_cred, &p.server, false, injected,
                             sizeof(injected), out, sizeof(out), &out_len, &attrs, NULL);
    CU_ASSERT_NOT_EQUAL(status, SEC_E_OK);
    /* ... then he forwards the client's. Both modules refuse it: ours says the logon failed,
     * gss-ntlmssp that the context is no more (SEC_E_INVALID_HANDLE). */
    status = accept_once_req(server_req, &p.server_cred, &p.server, false, auth, auth_len, out,
                             sizeof(out), &out_len, &attrs, NULL);
    CU_ASSERT_EQUAL(status, incumbent ? SEC_E_INVALID_HANDLE : SEC_E_LOGON_DENIED);
    /* Whatever the mechanism, no context may take the dummy signature for a real one. */
    if (status == SEC_E_OK)
        check_dummy_signature_refused(&p.server);
    sspi_pair_free(&p);
}

static void
test_handles_stale_forged_and_deleted_are_invalid_handle(void)
{
    struct sspi_pair p = {0};
    CtxtHandle forged = {7, 0xdeadbeef}, deleted;
    unsigned char token[64] = "NTLMSSP";
    SecBuffer in_buf = {sizeof(token), SECBUFFER_TOKEN, token},
              out_buf = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc in = {SECBUFFER_VERSION, 1, &in_buf}, out = {SECBUFFER_VERSION, 1, &out_buf};
    CredHandle freed;
    ULONG attrs;

    establish_or_fail(&p, "NTLM", "NTLM", TEST_PASSWORD);
    CU_ASSERT_EQUAL(AcceptSecurityContext(&p.server_cred, &forged, &in, 0, SECURITY_NATIVE_DREP,
                                          &forged, &out, &attrs, NULL),
                    SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(MakeSignature(&forged, 0, &in, 0), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(QueryContextAttributesA(&forged, SECPKG_ATTR_SIZES, &attrs),
                    SEC_E_INVALID_HANDLE);
    deleted = p.server;
    CU_ASSERT_EQUAL(DeleteSecurityContext(&p.server), SEC_E_OK);
    p.have_server = false;
    CU_ASSERT_EQUAL(DeleteSecurityContext(&deleted), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(EncryptMessage(&deleted, 0, &in, 0), SEC_E_INVALID_HANDLE);
    freed = p.server_cred;
    CU_ASSERT_EQUAL(FreeCredentialsHandle(&freed), SEC_E_OK);
    CU_ASSERT_EQUAL(FreeCredentialsHandle(&freed), SEC_E_INVALID_HANDLE);
    /* A credential handle is not a context handle and the other way round. */
    CU_ASSERT_EQUAL(DeleteSecurityContext((CtxtHandle *)&p.client_cred), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(FreeCredentialsHandle((CredHandle *)&p.client), SEC_E_INVALID_HANDLE);
    DeleteSecurityContext(&p.client);
    FreeCredentialsHandle(&p.client_cred);
}

static void
test_malformed_tokens_and_parameters_get_their_codes(void)
{
    struct sspi_pair p = {0};
    unsigned char junk[40] = "NTLMSSP\0\x03\0\0\0garbage", out_space[4096];
    SecBuffer in_buf = {sizeof(junk), SECBUFFER_TOKEN, junk};
    SecBuffer out_buf = {sizeof(out_space), SECBUFFER_TOKEN, out_space};
    SecBufferDesc in = {SECBUFFER_VERSION, 1, &in_buf}, out = {SECBUFFER_VERSION, 1, &out_buf};
    SecBuffer no_token = {0, SECBUFFER_DATA, NULL};
    SecBufferDesc in_no_token = {SECBUFFER_VERSION, 1, &no_token};
    CtxtHandle ctx = {0, 0};
    ULONG attrs;

    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(&p, "NTLM", "Negotiate", TEST_DOMAIN, TEST_USER, TEST_PASSWORD),
        SEC_E_OK);
    CU_ASSERT_EQUAL(AcceptSecurityContext(&p.server_cred, NULL, &in, 0, SECURITY_NATIVE_DREP, &ctx,
                                          &out, &attrs, NULL),
                    SEC_E_INVALID_TOKEN);
    CU_ASSERT(ctx.dwLower == 0 && ctx.dwUpper == 0);
    CU_ASSERT_EQUAL(AcceptSecurityContext(&p.server_cred, NULL, &in_no_token, 0,
                                          SECURITY_NATIVE_DREP, &ctx, &out, &attrs, NULL),
                    SEC_E_INVALID_TOKEN);
    /* TargetDataRep must be one of the two documented values. */
    CU_ASSERT_EQUAL(
        AcceptSecurityContext(&p.server_cred, NULL, &in, 0, 0x1234, &ctx, &out, &attrs, NULL),
        SEC_E_INVALID_PARAMETER);
    /* A client credential cannot accept, nor a server credential initiate. */
    CU_ASSERT_EQUAL(AcceptSecurityContext(&p.client_cred, NULL, &in, 0, SECURITY_NATIVE_DREP, &ctx,
                                          &out, &attrs, NULL),
                    SEC_E_NO_CREDENTIALS);
    CU_ASSERT_EQUAL(InitializeSecurityContextA(&p.server_cred, NULL, TARGET, 0, 0,
                                               SECURITY_NATIVE_DREP, NULL, 0, &ctx, &out, &attrs,
                                               NULL),
                    SEC_E_NO_CREDENTIALS);
    /* The first ISC needs a token buffer; a failed first call leaves no context. */
    CU_ASSERT_EQUAL(InitializeSecurityContextA(&p.client_cred, NULL, TARGET, 0, 0,
                                               SECURITY_NATIVE_DREP, NULL, 0, &ctx, NULL, &attrs,
                                               NULL),
                    SEC_E_BUFFER_TOO_SMALL);
    out_buf.cbBuffer = 0;
    CU_ASSERT_EQUAL(InitializeSecurityContextA(&p.client_cred, NULL, TARGET, 0, 0,
                                               SECURITY_NATIVE_DREP, NULL, 0, &ctx, &out, &attrs,
                                               NULL),
                    SEC_E_BUFFER_TOO_SMALL);
    CU_ASSERT(ctx.dwLower == 0 && ctx.dwUpper == 0);
    CU_ASSERT_EQUAL(AcquireCredentialsHandleA(NULL, "Winetest", SECPKG_CRED_OUTBOUND, NULL, NULL,
                                              NULL, NULL, &p.client_cred, NULL),
                    SEC_E_SECPKG_NOT_FOUND);
    sspi_pair_free(&p);
}

static void
test_unmet_context_requirements_fail_the_context(void)
{
    struct sspi_pair p = {0};

    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(&p, "NTLM", "NTLM", TEST_DOMAIN, TEST_USER, TEST_PASSWORD), SEC_E_OK);
    /* The client asks for no confidentiality; the server requires it. */
    CU_ASSERT_FALSE(sspi_pair_establish(&p, TARGET, ISC_REQ_INTEGRITY | ISC_REQ_CONNECTION,
                                        ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY));
    CU_ASSERT_EQUAL(p.server_status, SEC_E_UNSUPPORTED_FUNCTION);
    sspi_pair_free(&p);
}

/* A SEC_CHANNEL_BINDINGS block carrying only application data, as for TLS. */
static void *
bindings(const char *app, ULONG *len)
{
    SEC_CHANNEL_BINDINGS hdr = {0};
    size_t n = strlen(app);
    unsigned char *block = malloc(sizeof(hdr) + n);

    hdr.cbApplicationDataLength = (ULONG)n;
    hdr.dwApplicationDataOffset = sizeof(hdr);
    memcpy(block, &hdr, sizeof(hdr));
    memcpy(block + sizeof(hdr), app, n);
    *len = (ULONG)(sizeof(hdr) + n);
    return block;
}

static void
test_channel_bindings_must_match(void)
{
    struct sspi_pair p = {0};
    ULONG a_len, b_len;
    void *a = bindings("tls-server-end-point:aaaa", &a_len),
         *b = bindings("tls-server-end-point:bbbb", &b_len);

    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(&p, "NTLM", "NTLM", TEST_DOMAIN, TEST_USER, TEST_PASSWORD), SEC_E_OK);
    p.client_bindings = p.server_bindings = a;
    p.client_bindings_len = p.server_bindings_len = a_len;
    CU_ASSERT_TRUE(sspi_pair_establish(&p, TARGET, FULL_REQ, SERVER_REQ));
    sspi_pair_free(&p);
    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(&p, "NTLM", "NTLM", TEST_DOMAIN, TEST_USER, TEST_PASSWORD), SEC_E_OK);
    p.client_bindings = a;
    p.client_bindings_len = a_len;
    p.server_bindings = b;
    p.server_bindings_len = b_len;
    CU_ASSERT_FALSE(sspi_pair_establish(&p, TARGET, FULL_REQ, SERVER_REQ));
    /* gss-ntlmssp 1.2 calls a channel-binding mismatch GSS_S_DEFECTIVE_TOKEN. */
    CU_ASSERT_EQUAL(p.server_status, incumbent ? SEC_E_INVALID_TOKEN : SEC_E_BAD_BINDINGS);
    sspi_pair_free(&p);
    free(a);
    free(b);
}

/*
 * Our client aimed at another host whose answer reaches our own server: what an NTLM
 * reflection looks like from inside the process. This module refuses it as a failed logon,
 * under NTLM and under Negotiate; gss-ntlmssp has no such defence and completes it.
 */
static void
test_a_loop_aimed_at_another_host_is_refused_as_reflection(void)
{
    static const char *const packages[] = {"NTLM", "Negotiate"};
    struct sspi_pair p = {0};
    size_t i;

    for (i = 0; i < 2; i++) {
        CU_ASSERT_EQUAL_FATAL(sspi_pair_credentials(&p, packages[i], packages[i], TEST_DOMAIN,
                                                    TEST_USER, TEST_PASSWORD),
                              SEC_E_OK);
        if (incumbent) {
            CU_ASSERT_TRUE(sspi_pair_establish(&p, "HTTP/evil.example", FULL_REQ, SERVER_REQ));
        } else {
            CU_ASSERT_FALSE(sspi_pair_establish(&p, "HTTP/evil.example", FULL_REQ, SERVER_REQ));
            CU_ASSERT_EQUAL(p.server_status, SEC_E_LOGON_DENIED);
        }
        sspi_pair_free(&p);
        /* The same loop aimed at us completes. */
        CU_ASSERT_EQUAL_FATAL(sspi_pair_credentials(&p, packages[i], packages[i], TEST_DOMAIN,
                                                    TEST_USER, TEST_PASSWORD),
                              SEC_E_OK);
        CU_ASSERT_TRUE(sspi_pair_establish(&p, TARGET, FULL_REQ, SERVER_REQ));
        sspi_pair_free(&p);
    }
}

static void
test_packages_are_enumerated_and_described(void)
{
    ULONG count = 0, i;
    PSecPkgInfoA list = NULL, info = NULL, untouched = (PSecPkgInfoA)&count;
    PSecPkgInfoW wide = NULL;
    bool negotiate = false, ntlm = false, kerberos = false;

    CU_ASSERT_EQUAL_FATAL(EnumerateSecurityPackagesA(&count, &list), SEC_E_OK);
    CU_ASSERT_EQUAL(count, 3);
    for (i = 0; i < count; i++) {
        negotiate |= strcmp(list[i].Name, "Negotiate") == 0 && list[i].wRPCID == 9;
        ntlm |= strcmp(list[i].Name, "NTLM") == 0 && list[i].wRPCID == 10;
        kerberos |= strcmp(list[i].Name, "Kerberos") == 0 && list[i].wRPCID == 16;
    }
    CU_ASSERT_TRUE(negotiate && ntlm && kerberos);
    CU_ASSERT_EQUAL(FreeContextBuffer(list), SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(QuerySecurityPackageInfoA("ntlm", &info), SEC_E_OK);
    CU_ASSERT_STRING_EQUAL(info->Name, "NTLM");
    CU_ASSERT_EQUAL(info->wVersion, 1);
    CU_ASSERT(info->fCapabilities & SECPKG_FLAG_INTEGRITY);
    CU_ASSERT(info->fCapabilities & SECPKG_FLAG_PRIVACY);
    FreeContextBuffer(info);
    CU_ASSERT_EQUAL(QuerySecurityPackageInfoA("Winetest", &untouched), SEC_E_SECPKG_NOT_FOUND);
    CU_ASSERT_PTR_EQUAL(untouched, (PSecPkgInfoA)&count);
    CU_ASSERT_EQUAL_FATAL(QuerySecurityPackageInfoW((LPWSTR)u"Negotiate", &wide), SEC_E_OK);
    CU_ASSERT(memcmp(wide->Name, u"Negotiate", sizeof(u"Negotiate")) == 0);
    FreeContextBuffer(wide);
}

static bool
contains(const unsigned char *hay, size_t len, const char *needle, size_t n)
{
    size_t i;

    for (i = 0; i + n <= len; i++) {
        if (memcmp(hay + i, needle, n) == 0)
            return true;
    }
    return false;
}

static void
test_negotiate_with_an_ntlm_identity_offers_only_ntlm(void)
{
    static const char krb5_oid[] = "\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02";
    static const char ntlm_oid[] = "\x06\x0a\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a";
    struct sspi_pair p = {0};
    unsigned char token[12000];
    ULONG len = 0;
    int round;

    /* Kerberos could not get a ticket for this identity at acquire time, so no context made
     * from the credential goes back to a KDC: SPNEGO proposes NTLM alone, every time. */
    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(&p, "Negotiate", "Negotiate", TEST_DOMAIN, TEST_USER, TEST_PASSWORD),
        SEC_E_OK);
    for (round = 0; round < 2; round++) {
        CtxtHandle ctx;
        SecBuffer out_buf = {sizeof(token), SECBUFFER_TOKEN, token};
        SecBufferDesc out = {SECBUFFER_VERSION, 1, &out_buf};
        ULONG attrs;

        CU_ASSERT_EQUAL_FATAL(InitializeSecurityContextA(&p.client_cred, NULL, TARGET, FULL_REQ, 0,
                                                         SECURITY_NATIVE_DREP, NULL, 0, &ctx, &out,
                                                         &attrs, NULL),
                              SEC_I_CONTINUE_NEEDED);
        len = out_buf.cbBuffer;
        CU_ASSERT_TRUE(contains(token, len, ntlm_oid, sizeof(ntlm_oid) - 1));
        CU_ASSERT_FALSE(contains(token, len, krb5_oid, sizeof(krb5_oid) - 1));
        DeleteSecurityContext(&ctx);
    }
    sspi_pair_free(&p);
}

static CU_TestInfo tests[] = {
    {"Negotiate with an NTLM identity offers only NTLM",
     test_negotiate_with_an_ntlm_identity_offers_only_ntlm},
    {"NTLM package authenticates and protects messages",
     test_ntlm_package_authenticates_and_protects_messages},
    {"Negotiate returns its final token with SEC_E_OK and names NTLM",
     test_negotiate_returns_final_token_with_sec_e_ok_and_names_ntlm},
    {"a Negotiate server accepts a raw NTLM client",
     test_negotiate_server_accepts_a_raw_ntlm_client},
    {"a wrong password is SEC_E_LOGON_DENIED on the final call",
     test_wrong_password_is_logon_denied_on_the_final_call},
    {"a locked-out account is SEC_E_LOGON_DENIED with the right password",
     test_a_locked_out_account_is_logon_denied_with_the_right_password},
    {"wide entry points take UTF-16 identities and targets",
     test_wide_entry_points_take_utf16_identities_and_targets},
    {"AcceptSecurityContext's documented behaviour, step by step",
     test_accept_documented_behaviour_step_by_step},
    {"a failed AUTHENTICATE cannot strip signing from the genuine one",
     test_a_failed_authenticate_cannot_strip_signing_from_the_genuine_one},
    {"stale, forged and deleted handles are SEC_E_INVALID_HANDLE",
     test_handles_stale_forged_and_deleted_are_invalid_handle},
    {"malformed tokens and parameters get their codes",
     test_malformed_tokens_and_parameters_get_their_codes},
    {"unmet context requirements fail the context",
     test_unmet_context_requirements_fail_the_context},
    {"channel bindings must match", test_channel_bindings_must_match},
    {"a loop aimed at another host is refused as reflection",
     test_a_loop_aimed_at_another_host_is_refused_as_reflection},
    {"packages are enumerated and described", test_packages_are_enumerated_and_described},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    incumbent = sspi_check_limits_for_module();
    return gss_test_env_run_suite("sspi_loop", tests);
}
