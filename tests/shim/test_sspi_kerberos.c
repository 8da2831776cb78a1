/*
 * libsspi over MIT's Kerberos against a real KDC on 127.0.0.1 (tests/shim/sspi_kerberos.sh starts
 * it and exports KRB5_CONFIG, a keytab for HTTP/localhost and a ticket for user@KRBTEST.COM):
 * the Kerberos package, Negotiate choosing Kerberos when a ticket exists and NTLM when none
 * does, mutual authentication, delegation, the KDC failure codes, and libsspi's uid floor
 * over krb5's own local account rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sspi.h"
#include "sspi_linux.h"
#include "sspi_loop.h"
#include "sspi_protect_checks.h"
#include "test_util.h"

#define TARGET "HTTP/localhost"
#define KRB_USER "user@KRBTEST.COM"
#define CLIENT_REQ                                                                                 \
    (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |   \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)

static void
test_kerberos_package_authenticates_mutually_with_a_ticket(void)
{
    struct sspi_pair p = {0};

    CU_ASSERT_EQUAL_FATAL(sspi_pair_credentials(&p, "Kerberos", "Kerberos", NULL, NULL, NULL),
                          SEC_E_OK);
    CU_ASSERT_FATAL(sspi_pair_establish(&p, TARGET, CLIENT_REQ, ASC_REQ_CONNECTION));
    CU_ASSERT(p.client_attrs & ISC_RET_MUTUAL_AUTH);
    CU_ASSERT(p.server_attrs & ASC_RET_MUTUAL_AUTH);
    /* Mutual authentication: the server's AP-REP came back with its SEC_E_OK. */
    CU_ASSERT_TRUE(p.server_final_token);
    sspi_check_signatures(&p.client, &p.server);
    sspi_check_signatures(&p.server, &p.client);
    sspi_check_encryption(&p.client, &p.server);
    sspi_check_encryption(&p.server, &p.client);
    sspi_check_attributes(&p.client, &p.server, "Kerberos", KRB_USER);
    sspi_pair_free(&p);
}

static void
test_negotiate_picks_kerberos_when_the_client_has_a_ticket(void)
{
    struct sspi_pair p = {0};

    CU_ASSERT_EQUAL_FATAL(sspi_pair_credentials(&p, "Negotiate", "Negotiate", NULL, NULL, NULL),
                          SEC_E_OK);
    CU_ASSERT_FATAL(sspi_pair_establish(&p, TARGET, CLIENT_REQ, ASC_REQ_CONNECTION));
    sspi_check_encryption(&p.client, &p.server);
    sspi_check_attributes(&p.client, &p.server, "Kerberos", KRB_USER);
    sspi_pair_free(&p);
}

static void
test_negotiate_picks_ntlm_when_the_client_has_no_ticket(void)
{
    struct sspi_pair p = {0};
    char *saved = strdup(getenv("KRB5CCNAME"));

    setenv("KRB5CCNAME", "FILE:/nonexistent/sspigss-no-ticket", 1);
    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(&p, "Negotiate", "Negotiate", "TESTDOM", "alice", "Passw0rd!"),
        SEC_E_OK);
    CU_ASSERT_TRUE(
        sspi_pair_establish(&p, TARGET, CLIENT_REQ & ~ISC_REQ_MUTUAL_AUTH, ASC_REQ_CONNECTION));
    sspi_check_attributes(&p.client, &p.server, "NTLM", "TESTDOM\\alice");
    sspi_pair_free(&p);
    setenv("KRB5CCNAME", saved, 1);
    free(saved);
}

static void
test_delegation_gives_the_server_a_credential(void)
{
    struct sspi_pair p = {0};

    CU_ASSERT_EQUAL_FATAL(sspi_pair_credentials(&p, "Kerberos", "Kerberos", NULL, NULL, NULL),
                          SEC_E_OK);
    CU_ASSERT_FATAL(sspi_pair_establish(&p, TARGET, CLIENT_REQ | ISC_REQ_DELEGATE,
                                        ASC_REQ_DELEGATE | ASC_REQ_CONNECTION));
    CU_ASSERT(p.client_attrs & ISC_RET_DELEGATE);
    CU_ASSERT(p.server_attrs & ASC_RET_DELEGATE);
    sspi_pair_free(&p);
}

static void
test_password_identity_gets_a_ticket_and_a_wrong_one_is_logon_denied(void)
{
    struct sspi_pair p = {0};
    SECURITY_STATUS status;

    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(&p, "Kerberos", "Kerberos", "KRBTEST.COM", "user", "userpw"),
        SEC_E_OK);
    CU_ASSERT_TRUE(sspi_pair_establish(&p, TARGET, CLIENT_REQ, ASC_REQ_CONNECTION));
    sspi_pair_free(&p);
    status = sspi_pair_credentials(&p, "Kerberos", "Kerberos", "KRBTEST.COM", "user", "wrong");
    if (status == SEC_E_OK) {
        CU_ASSERT_FALSE(sspi_pair_establish(&p, TARGET, CLIENT_REQ, ASC_REQ_CONNECTION));
        status = p.client_status;
    }
    CU_ASSERT_EQUAL(status, SEC_E_LOGON_DENIED);
    sspi_pair_free(&p);
}

static void
test_an_unreachable_kdc_is_no_authenticating_authority(void)
{
    struct sspi_pair p = {0};
    const char *dead = getenv("SSPIGSS_DEAD_KDC_CONFIG");
    char *saved = strdup(getenv("KRB5_CONFIG"));
    SECURITY_STATUS status;

    CU_ASSERT_PTR_NOT_NULL_FATAL(dead);
    setenv("KRB5_CONFIG", dead, 1);
    status = sspi_pair_credentials(&p, "Kerberos", "Kerberos", "KRBTEST.COM", "user", "userpw");
    if (status == SEC_E_OK) {
        CU_ASSERT_FALSE(sspi_pair_establish(&p, TARGET, CLIENT_REQ, ASC_REQ_CONNECTION));
        status = p.client_status;
    }
    CU_ASSERT_EQUAL(status, SEC_E_NO_AUTHENTICATING_AUTHORITY);
    sspi_pair_free(&p);
    setenv("KRB5_CONFIG", saved, 1);
    free(saved);
}

/*
 * With a ticket-granting ticket but no KDC to give the service ticket, ISC itself fails and its
 * Kerberos minor names the status. (Negotiate would fall back to NTLM here, as on Windows.)
 */
static void
test_isc_without_a_kdc_is_no_authenticating_authority(void)
{
    struct sspi_pair p = {0};
    const char *dead = getenv("SSPIGSS_DEAD_KDC_CONFIG"), *tgt = getenv("SSPIGSS_TGT_CCACHE");
    char *saved = strdup(getenv("KRB5_CONFIG")), *saved_ccache = strdup(getenv("KRB5CCNAME"));

    /* tests/shim/sspi_kerberos.sh got this cache's TGT; nothing else ever uses it. */
    CU_ASSERT_PTR_NOT_NULL_FATAL(dead);
    CU_ASSERT_PTR_NOT_NULL_FATAL(tgt);
    setenv("KRB5_CONFIG", dead, 1);
    setenv("KRB5CCNAME", tgt, 1);
    CU_ASSERT_EQUAL_FATAL(sspi_pair_credentials(&p, "Kerberos", "Kerberos", NULL, NULL, NULL),
                          SEC_E_OK);
    CU_ASSERT_FALSE(sspi_pair_establish(&p, TARGET, CLIENT_REQ, ASC_REQ_CONNECTION));
    CU_ASSERT_EQUAL(p.client_status, SEC_E_NO_AUTHENTICATING_AUTHORITY);
    sspi_pair_free(&p);
    setenv("KRB5_CONFIG", saved, 1);
    setenv("KRB5CCNAME", saved_ccache, 1);
    free(saved);
    free(saved_ccache);
}

static void
test_a_context_past_its_ticket_is_context_expired(void)
{
    struct sspi_pair p = {0};
    const char *short_ccache = getenv("SSPIGSS_SHORT_CCACHE");
    char *saved = strdup(getenv("KRB5CCNAME"));
    char data[] = "late", sig[64];
    SecBuffer bufs[2] = {{sizeof(data), SECBUFFER_DATA, data}, {sizeof(sig), SECBUFFER_TOKEN, sig}};
    SecBufferDesc msg = {SECBUFFER_VERSION, 2, bufs};

    /* tests/shim/sspi_kerberos.sh got this ticket with a lifetime of a few seconds. */
    CU_ASSERT_PTR_NOT_NULL_FATAL(short_ccache);
    setenv("KRB5CCNAME", short_ccache, 1);
    CU_ASSERT_EQUAL_FATAL(sspi_pair_credentials(&p, "Kerberos", "Kerberos", NULL, NULL, NULL),
                          SEC_E_OK);
    CU_ASSERT_FATAL(sspi_pair_establish(&p, TARGET, CLIENT_REQ, ASC_REQ_CONNECTION));
    CU_ASSERT_EQUAL(MakeSignature(&p.client, 0, &msg, 0), SEC_E_OK);
    sleep(6);
    bufs[1].cbBuffer = sizeof(sig);
    CU_ASSERT_EQUAL(MakeSignature(&p.client, 0, &msg, 0), SEC_E_CONTEXT_EXPIRED);
    sspi_pair_free(&p);
    setenv("KRB5CCNAME", saved, 1);
    free(saved);
}

/*
 * GetUserNameEx page: NameUserPrincipal is the user's principal name ("user@REALM"); here, the
 * principal of the caller's Kerberos credentials, as a domain user's is its UPN.
 */
static void
test_user_principal_name_is_the_ticket_principal(void)
{
    char name[128];
    WCHAR wide[128];
    ULONG size = sizeof(name), wsize = 128, i;

    CU_ASSERT_TRUE_FATAL(GetUserNameExA(NameUserPrincipal, name, &size));
    CU_ASSERT_STRING_EQUAL(name, KRB_USER);
    CU_ASSERT_EQUAL(size, strlen(KRB_USER));
    CU_ASSERT_TRUE_FATAL(GetUserNameExW(NameUserPrincipal, wide, &wsize));
    CU_ASSERT_EQUAL(wsize, strlen(KRB_USER));
    for (i = 0; i <= wsize; i++)
        CU_ASSERT_EQUAL(wide[i], (WCHAR)KRB_USER[i]);
}

/*
 * krb5's default auth_to_local rule maps root@KRBTEST.COM (the default realm) to the local
 * root: libsspi refuses it whatever the mechanism says, unless LIBSSPI_LOCAL_UID_MIN is 0.
 */
static void
test_root_principal_gets_no_root_token_unless_the_floor_is_zero(void)
{
    struct sspi_pair p = {0};
    void *token = NULL;
    uid_t uid = 4242;

    unsetenv("LIBSSPI_LOCAL_UID_MIN");
    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(&p, "Kerberos", "Kerberos", "KRBTEST.COM", "root", "userpw"),
        SEC_E_OK);
    CU_ASSERT_TRUE_FATAL(sspi_pair_establish(&p, TARGET, CLIENT_REQ, ASC_REQ_CONNECTION));
    CU_ASSERT_EQUAL(QuerySecurityContextToken(&p.server, &token), SEC_E_NO_IMPERSONATION);
    CU_ASSERT_PTR_NULL(token);
    CU_ASSERT_EQUAL(ImpersonateSecurityContext(&p.server), SEC_E_NO_IMPERSONATION);
    setenv("LIBSSPI_LOCAL_UID_MIN", "0", 1);
    CU_ASSERT_EQUAL_FATAL(QuerySecurityContextToken(&p.server, &token), SEC_E_OK);
    CU_ASSERT_EQUAL(SspiGetTokenUnixIdentity(token, &uid, NULL, NULL, NULL, NULL), SEC_E_OK);
    CU_ASSERT_EQUAL(uid, 0);
    FreeContextBuffer(token);
    unsetenv("LIBSSPI_LOCAL_UID_MIN");
    sspi_pair_free(&p);
}

static CU_TestInfo tests[] = {
    {"the user principal name is the ticket's principal",
     test_user_principal_name_is_the_ticket_principal},
    {"a context past its ticket is SEC_E_CONTEXT_EXPIRED",
     test_a_context_past_its_ticket_is_context_expired},
    {"the Kerberos package authenticates mutually with a ticket",
     test_kerberos_package_authenticates_mutually_with_a_ticket},
    {"Negotiate picks Kerberos when the client has a ticket",
     test_negotiate_picks_kerberos_when_the_client_has_a_ticket},
    {"Negotiate picks NTLM when the client has no ticket",
     test_negotiate_picks_ntlm_when_the_client_has_no_ticket},
    {"delegation gives the server a credential", test_delegation_gives_the_server_a_credential},
    {"a password identity gets a ticket, and a wrong one is SEC_E_LOGON_DENIED",
     test_password_identity_gets_a_ticket_and_a_wrong_one_is_logon_denied},
    {"ISC without a KDC is SEC_E_NO_AUTHENTICATING_AUTHORITY",
     test_isc_without_a_kdc_is_no_authenticating_authority},
    {"an unreachable KDC is SEC_E_NO_AUTHENTICATING_AUTHORITY",
     test_an_unreachable_kdc_is_no_authenticating_authority},
    {"a root principal gets no root token unless the floor is zero",
     test_root_principal_gets_no_root_token_unless_the_floor_is_zero},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    if (getenv("KRB5_CONFIG") == NULL || getenv("KRB5CCNAME") == NULL) {
        fprintf(stderr, "run through tests/shim/sspi_kerberos.sh: it starts the KDC\n");
        return 99;
    }
    return test_run_suite("sspi_kerberos", tests);
}
