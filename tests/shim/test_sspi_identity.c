/*
 * libsspi's identity, context transfer and function table (sspi_identity.c, sspi_export.c,
 * sspi_table.c) through the public API, over our NTLM module in MIT's mechglue. The client
 * authenticates as an NTLM user named like an account that exists on every system ("nobody",
 * else "daemon"), so that gss_localname (the user part for NTLM) maps it to a local account
 * without the test touching /etc/passwd; and as root and daemon, which libsspi refuses.
 */
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gss_test_env.h"
#include "sspi.h"
#include "sspi_linux.h"
#include "sspi_loop.h"
#include "test_util.h"

#define NO_SUCH_ACCOUNT "sspigss-no-such-account"
#define TOKEN_SIZE 4096
#define ISC_FLAGS                                                                                  \
    (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |                         \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)
#define ASC_FLAGS                                                                                  \
    (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT |                         \
     ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION)

/* The local account the NTLM user maps to, chosen once in main(). */
static char account[64];
static uid_t account_uid;
static gid_t account_gid;
static char user_file[512];
/* LIBSSPI_LOCAL_UID_MIN for the suite: empty for the default floor. */
static char suite_floor[16];

/* Puts LIBSSPI_LOCAL_UID_MIN back as the suite runs with it. */
static void
restore_floor(void)
{
    if (suite_floor[0] != '\0')
        setenv("LIBSSPI_LOCAL_UID_MIN", suite_floor, 1);
    else
        unsetenv("LIBSSPI_LOCAL_UID_MIN");
}

/* TESTDOM\user with the test password. */
static bool
establish(const char *package, const char *user, struct sspi_pair *p)
{
    memset(p, 0, sizeof(*p));
    return sspi_pair_credentials(p, package, package, TEST_DOMAIN, user, TEST_PASSWORD) ==
               SEC_E_OK &&
           sspi_pair_establish(p, NULL, ISC_FLAGS, ASC_FLAGS);
}

static void
establish_or_fail(const char *package, const char *user, struct sspi_pair *p)
{
    CU_ASSERT_FATAL(establish(package, user, p));
}

/* Signs msg on one context and verifies it on the other. */
static SECURITY_STATUS
sign_and_verify(CtxtHandle *signer, CtxtHandle *verifier, const char *text)
{
    char msg[64];
    unsigned char sig[64];
    SecBuffer bufs[2] = {{(ULONG)strlen(text), SECBUFFER_DATA, msg},
                         {sizeof(sig), SECBUFFER_TOKEN, sig}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    SECURITY_STATUS status;
    ULONG qop = 0;

    snprintf(msg, sizeof(msg), "%s", text);
    status = MakeSignature(signer, 0, &desc, 0);
    if (status != SEC_E_OK)
        return status;
    return VerifySignature(verifier, &desc, 0, &qop);
}

/* Seals msg on one context and unseals it on the other; the text must come back. */
static SECURITY_STATUS
seal_and_unseal(CtxtHandle *sender, CtxtHandle *receiver, const char *text)
{
    char msg[64];
    unsigned char trailer[64];
    SecBuffer bufs[2] = {{sizeof(trailer), SECBUFFER_TOKEN, trailer},
                         {(ULONG)strlen(text), SECBUFFER_DATA, msg}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    SECURITY_STATUS status;
    ULONG qop = 0;

    snprintf(msg, sizeof(msg), "%s", text);
    status = EncryptMessage(sender, 0, &desc, 0);
    if (status != SEC_E_OK)
        return status;
    if (memcmp(msg, text, strlen(text)) == 0)
        return SEC_E_INTERNAL_ERROR; /* not sealed */
    status = DecryptMessage(receiver, &desc, 0, &qop);
    if (status == SEC_E_OK && memcmp(bufs[1].pvBuffer, text, strlen(text)) != 0)
        return SEC_E_MESSAGE_ALTERED;
    return status;
}

static bool
is_root(void)
{
    return geteuid() == 0;
}

static uid_t
thread_euid(void)
{
    return (uid_t)syscall(SYS_geteuid);
}

/* ---------------------------------------------------------------------------------------- */
/* QuerySecurityContextToken                                                                 */
/* ---------------------------------------------------------------------------------------- */

static void
test_query_token_maps_client_to_local_account(void)
{
    struct sspi_pair p;
    void *token = NULL;
    uid_t uid = 0;
    gid_t gid = 0, *groups = NULL;
    ULONG count = 0, i;
    char *name = NULL;
    bool has_primary = false;

    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL_FATAL(QuerySecurityContextToken(&p.server, &token), SEC_E_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(token);
    CU_ASSERT_EQUAL(SspiGetTokenUnixIdentity(token, &uid, &gid, &count, &groups, &name), SEC_E_OK);
    CU_ASSERT_EQUAL(uid, account_uid);
    CU_ASSERT_EQUAL(gid, account_gid);
    CU_ASSERT_STRING_EQUAL(name, account);
    CU_ASSERT(count >= 1);
    for (i = 0; i < count; i++) {
        has_primary |= groups[i] == account_gid;
        if (i > 0)
            CU_ASSERT(groups[i - 1] < groups[i]);
    }
    CU_ASSERT(has_primary);
    FreeContextBuffer(groups);
    FreeContextBuffer(name);
    /* Every output is optional. */
    CU_ASSERT_EQUAL(SspiGetTokenUnixIdentity(token, NULL, NULL, NULL, NULL, NULL), SEC_E_OK);
    CU_ASSERT_EQUAL(FreeContextBuffer(token), SEC_E_OK);
    sspi_pair_free(&p);
}

/* A user of the local user file has the unix SIDs of its account (S-1-22-1-uid, S-1-22-2-gid). */
static void
test_token_of_a_local_user_has_its_unix_sids(void)
{
    struct sspi_pair p;
    void *token = NULL;
    char **sids = NULL;
    char user_sid[64], group_sid[64];
    ULONG count = 0;

    snprintf(user_sid, sizeof(user_sid), "S-1-22-1-%u", (unsigned)account_uid);
    snprintf(group_sid, sizeof(group_sid), "S-1-22-2-%u", (unsigned)account_gid);
    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL_FATAL(QuerySecurityContextToken(&p.server, &token), SEC_E_OK);
    CU_ASSERT_EQUAL(SspiGetTokenSids(token, &count, &sids), SEC_E_OK);
    CU_ASSERT_FATAL(count >= 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sids);
    CU_ASSERT_STRING_EQUAL(sids[0], user_sid);
    CU_ASSERT_STRING_EQUAL(sids[1], group_sid);
    CU_ASSERT_PTR_NULL(sids[count]);
    FreeContextBuffer(sids);
    CU_ASSERT_EQUAL(SspiGetTokenSids(token, NULL, &sids), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(SspiGetTokenSids(token, &count, NULL), SEC_E_INVALID_PARAMETER);
    FreeContextBuffer(token);
    sspi_pair_free(&p);
}

static void
test_token_accessor_rejects_what_is_not_a_token(void)
{
    uint32_t not_a_token[16] = {0};
    uid_t uid = 4242;
    ULONG count = 7;
    char **sids = NULL;

    CU_ASSERT_EQUAL(SspiGetTokenUnixIdentity(NULL, &uid, NULL, NULL, NULL, NULL),
                    SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(SspiGetTokenUnixIdentity(not_a_token, &uid, NULL, NULL, NULL, NULL),
                    SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(uid, 4242);
    CU_ASSERT_EQUAL(SspiGetTokenSids(not_a_token, &count, &sids), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(SspiGetTokenSids(NULL, &count, &sids), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(count, 7);
    CU_ASSERT_PTR_NULL(sids);
}

static void
test_query_token_refuses_client_without_local_account(void)
{
    struct sspi_pair p;
    void *token = (void *)&p;

    CU_ASSERT_PTR_NULL_FATAL(getpwnam(NO_SUCH_ACCOUNT));
    establish_or_fail("NTLM", NO_SUCH_ACCOUNT, &p);
    CU_ASSERT_EQUAL(QuerySecurityContextToken(&p.server, &token), SEC_E_NO_IMPERSONATION);
    CU_ASSERT_PTR_EQUAL(token, (void *)&p);
    CU_ASSERT_EQUAL(ImpersonateSecurityContext(&p.server), SEC_E_NO_IMPERSONATION);
    CU_ASSERT_EQUAL(thread_euid(), geteuid());
    sspi_pair_free(&p);
}

/*
 * The module here maps every account (local_uid_min = 0, see main), as krb5's auth_to_local
 * maps root@REALM to root and gss-ntlmssp ANYDOMAIN\\root to root: libsspi still refuses root
 * and the system accounts itself, unless LIBSSPI_LOCAL_UID_MIN lowers its floor.
 */
static void
test_token_refuses_root_and_system_accounts_the_mechanism_maps(void)
{
    static const char *const low[] = {"root", "daemon"};
    struct sspi_pair p;
    void *token = NULL;
    uid_t before = thread_euid();
    size_t i;

    unsetenv("LIBSSPI_LOCAL_UID_MIN");
    for (i = 0; i < sizeof(low) / sizeof(low[0]); i++) {
        if (getpwnam(low[i]) == NULL)
            continue;
        establish_or_fail("NTLM", low[i], &p);
        CU_ASSERT_EQUAL(QuerySecurityContextToken(&p.server, &token), SEC_E_NO_IMPERSONATION);
        CU_ASSERT_PTR_NULL(token);
        CU_ASSERT_EQUAL(ImpersonateSecurityContext(&p.server), SEC_E_NO_IMPERSONATION);
        CU_ASSERT_EQUAL(thread_euid(), before);
        sspi_pair_free(&p);
    }
    /* A floor that is not a number keeps the default one. */
    setenv("LIBSSPI_LOCAL_UID_MIN", "0x0", 1);
    establish_or_fail("NTLM", "root", &p);
    CU_ASSERT_EQUAL(QuerySecurityContextToken(&p.server, &token), SEC_E_NO_IMPERSONATION);
    sspi_pair_free(&p);
    restore_floor();
}

static void
test_local_uid_min_zero_lets_a_client_map_to_root(void)
{
    struct sspi_pair p;
    void *token = NULL;
    uid_t uid = 4242;
    char *name = NULL;

    setenv("LIBSSPI_LOCAL_UID_MIN", "0", 1);
    establish_or_fail("NTLM", "root", &p);
    CU_ASSERT_EQUAL_FATAL(QuerySecurityContextToken(&p.server, &token), SEC_E_OK);
    CU_ASSERT_EQUAL(SspiGetTokenUnixIdentity(token, &uid, NULL, NULL, NULL, &name), SEC_E_OK);
    CU_ASSERT_EQUAL(uid, 0);
    CU_ASSERT_STRING_EQUAL(name, "root");
    FreeContextBuffer(name);
    FreeContextBuffer(token);
    sspi_pair_free(&p);
    restore_floor();
}

static void
test_query_token_refuses_initiator_and_bad_handles(void)
{
    struct sspi_pair p;
    CtxtHandle zero = {0, 0};
    void *token = NULL;

    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL(QuerySecurityContextToken(&p.client, &token), SEC_E_NO_IMPERSONATION);
    CU_ASSERT_EQUAL(QuerySecurityContextToken(&zero, &token), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(QuerySecurityContextToken(NULL, &token), SEC_E_INVALID_HANDLE);
    /* A credential handle is not a context handle. */
    CU_ASSERT_EQUAL(QuerySecurityContextToken((CtxtHandle *)&p.server_cred, &token),
                    SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(QuerySecurityContextToken(&p.server, NULL), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_PTR_NULL(token);
    sspi_pair_free(&p);
}

static void
test_query_token_refuses_unfinished_context(void)
{
    unsigned char negotiate[TOKEN_SIZE], challenge[TOKEN_SIZE];
    SecBuffer cbuf = {TOKEN_SIZE, SECBUFFER_TOKEN, negotiate};
    SecBuffer sbuf = {TOKEN_SIZE, SECBUFFER_TOKEN, challenge};
    SecBufferDesc cdesc = {SECBUFFER_VERSION, 1, &cbuf}, sdesc = {SECBUFFER_VERSION, 1, &sbuf};
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    struct sspi_pair p;
    void *token = NULL;
    ULONG attrs;

    memset(&p, 0, sizeof(p));
    CU_ASSERT_EQUAL_FATAL(
        sspi_pair_credentials(&p, "NTLM", "NTLM", TEST_DOMAIN, account, TEST_PASSWORD), SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(InitializeSecurityContextA(&p.client_cred, NULL, NULL, ISC_FLAGS, 0,
                                                     SECURITY_NETWORK_DREP, NULL, 0, &p.client,
                                                     &cdesc, &attrs, NULL),
                          SEC_I_CONTINUE_NEEDED);
    CU_ASSERT_EQUAL_FATAL(AcceptSecurityContext(&p.server_cred, NULL, &cdesc, ASC_FLAGS,
                                                SECURITY_NETWORK_DREP, &p.server, &sdesc, &attrs,
                                                NULL),
                          SEC_I_CONTINUE_NEEDED);
    p.have_client = p.have_server = true;
    CU_ASSERT_EQUAL(QuerySecurityContextToken(&p.server, &token), SEC_E_NO_IMPERSONATION);
    CU_ASSERT_EQUAL(ImpersonateSecurityContext(&p.server), SEC_E_NO_IMPERSONATION);
    /* Half-way contexts cannot be exported either, on either side. */
    CU_ASSERT_EQUAL(ExportSecurityContext(&p.server, 0, &packed, NULL), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(ExportSecurityContext(&p.client, 0, &packed, NULL), SEC_E_INVALID_HANDLE);
    CU_ASSERT_PTR_NULL(packed.pvBuffer);
    sspi_pair_free(&p);
}

/* ---------------------------------------------------------------------------------------- */
/* ImpersonateSecurityContext / RevertSecurityContext                                        */
/* ---------------------------------------------------------------------------------------- */

/* A thread that started before the impersonation and reports its euid while it lasts. */
struct bystander {
    pthread_barrier_t started, impersonating, checked;
    uid_t euid;
};

static void *
bystander_run(void *arg)
{
    struct bystander *b = arg;

    pthread_barrier_wait(&b->started);
    pthread_barrier_wait(&b->impersonating);
    b->euid = thread_euid();
    pthread_barrier_wait(&b->checked);
    return NULL;
}

static bool
thread_in_group(gid_t gid)
{
    gid_t groups[256];
    int n = getgroups(256, groups), i;

    for (i = 0; i < n; i++) {
        if (groups[i] == gid)
            return true;
    }
    return false;
}

static void
test_impersonate_switches_only_the_calling_thread(void)
{
    struct bystander b;
    pthread_t thread;
    struct sspi_pair p;
    uid_t before = thread_euid();
    gid_t egid_before = getegid();
    int groups_before = getgroups(0, NULL);
    bool root = is_root(); /* asked before this thread changes who it is */
    SECURITY_STATUS status;

    establish_or_fail("NTLM", account, &p);
    pthread_barrier_init(&b.started, NULL, 2);
    pthread_barrier_init(&b.impersonating, NULL, 2);
    pthread_barrier_init(&b.checked, NULL, 2);
    b.euid = (uid_t)-1;
    CU_ASSERT_EQUAL_FATAL(pthread_create(&thread, NULL, bystander_run, &b), 0);
    pthread_barrier_wait(&b.started);

    status = ImpersonateSecurityContext(&p.server);
    if (root) {
        CU_ASSERT_EQUAL(status, SEC_E_OK);
        CU_ASSERT_EQUAL(thread_euid(), account_uid);
        CU_ASSERT_EQUAL(getegid(), account_gid);
        CU_ASSERT(thread_in_group(account_gid));
        /* The real and saved ids stay the server's. */
        CU_ASSERT_EQUAL(getuid(), before);
    } else if (before != account_uid) {
        /* Without CAP_SETUID another account cannot be taken on. */
        CU_ASSERT_EQUAL(status, SEC_E_NO_IMPERSONATION);
        CU_ASSERT_EQUAL(thread_euid(), before);
    }
    pthread_barrier_wait(&b.impersonating);
    pthread_barrier_wait(&b.checked);
    CU_ASSERT_EQUAL(b.euid, before);

    CU_ASSERT_EQUAL(RevertSecurityContext(&p.server), SEC_E_OK);
    CU_ASSERT_EQUAL(thread_euid(), before);
    CU_ASSERT_EQUAL(getegid(), egid_before);
    CU_ASSERT_EQUAL(getgroups(0, NULL), groups_before);
    pthread_join(thread, NULL);
    pthread_barrier_destroy(&b.started);
    pthread_barrier_destroy(&b.impersonating);
    pthread_barrier_destroy(&b.checked);
    sspi_pair_free(&p);
}

static void
test_impersonating_twice_then_one_revert_restores_the_server(void)
{
    struct sspi_pair p;
    uid_t before = thread_euid();

    if (!is_root())
        return;
    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL(ImpersonateSecurityContext(&p.server), SEC_E_OK);
    CU_ASSERT_EQUAL(ImpersonateSecurityContext(&p.server), SEC_E_OK);
    CU_ASSERT_EQUAL(thread_euid(), account_uid);
    CU_ASSERT_EQUAL(RevertSecurityContext(&p.server), SEC_E_OK);
    CU_ASSERT_EQUAL(thread_euid(), before);
    CU_ASSERT_EQUAL(getegid(), 0);
    sspi_pair_free(&p);
}

static void
test_revert_after_the_context_is_deleted_still_reverts(void)
{
    struct sspi_pair p;
    CtxtHandle old;
    uid_t before = thread_euid();

    if (!is_root())
        return;
    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL_FATAL(ImpersonateSecurityContext(&p.server), SEC_E_OK);
    old = p.server;
    CU_ASSERT_EQUAL(DeleteSecurityContext(&p.server), SEC_E_OK);
    CU_ASSERT_EQUAL(thread_euid(), account_uid);
    CU_ASSERT_EQUAL(RevertSecurityContext(&old), SEC_E_OK);
    CU_ASSERT_EQUAL(thread_euid(), before);
    sspi_pair_free(&p);
}

static void
test_revert_with_a_bad_handle_reverts_and_says_so(void)
{
    struct sspi_pair p;
    CtxtHandle forged = {12345, 67890};
    uid_t before = thread_euid();

    establish_or_fail("NTLM", account, &p);
    /* Not impersonating: a live handle is fine, a forged one is reported. */
    CU_ASSERT_EQUAL(RevertSecurityContext(&p.server), SEC_E_OK);
    CU_ASSERT_EQUAL(RevertSecurityContext(&p.client), SEC_E_OK);
    CU_ASSERT_EQUAL(RevertSecurityContext(&forged), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(RevertSecurityContext(NULL), SEC_E_INVALID_HANDLE);
    if (is_root()) {
        CU_ASSERT_EQUAL_FATAL(ImpersonateSecurityContext(&p.server), SEC_E_OK);
        CU_ASSERT_EQUAL(RevertSecurityContext(&forged), SEC_E_INVALID_HANDLE);
        CU_ASSERT_EQUAL(thread_euid(), before);
    }
    sspi_pair_free(&p);
}

static void
test_impersonate_refuses_initiator_and_bad_handles(void)
{
    struct sspi_pair p;
    CtxtHandle forged = {1, 2};

    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL(ImpersonateSecurityContext(&p.client), SEC_E_NO_IMPERSONATION);
    CU_ASSERT_EQUAL(ImpersonateSecurityContext(&forged), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(ImpersonateSecurityContext(NULL), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(thread_euid(), geteuid());
    sspi_pair_free(&p);
}

/* Drops the whole process (the forked child) to uid/gid with the given groups. */
static bool
drop_to(uid_t uid, gid_t gid, const gid_t *groups, int count)
{
    return setgroups((size_t)count, groups) == 0 && setresgid(gid, gid, gid) == 0 &&
           setresuid(uid, uid, uid) == 0;
}

/*
 * The unprivileged paths, run in a child that gave up root: another account is refused with
 * SEC_E_NO_IMPERSONATION and nothing changes; the server's own account needs no privilege.
 */
static void
test_impersonation_without_privilege(void)
{
    struct sspi_pair p;
    gid_t groups[64];
    int count = 64, status = -1;
    pid_t pid;

    if (!is_root())
        return;
    CU_ASSERT_FATAL(getgrouplist(account, account_gid, groups, &count) >= 0);
    establish_or_fail("NTLM", account, &p);
    pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        gid_t other = 4242;

        if (!drop_to(4242, 4242, &other, 1))
            _exit(10);
        if (ImpersonateSecurityContext(&p.server) != SEC_E_NO_IMPERSONATION)
            _exit(11);
        if (thread_euid() != 4242 || getegid() != 4242 || getgroups(0, NULL) != 1)
            _exit(12);
        _exit(0);
    }
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        if (!drop_to(account_uid, account_gid, groups, count))
            _exit(10);
        if (ImpersonateSecurityContext(&p.server) != SEC_E_OK)
            _exit(11);
        if (thread_euid() != account_uid)
            _exit(12);
        if (RevertSecurityContext(&p.server) != SEC_E_OK || thread_euid() != account_uid)
            _exit(13);
        _exit(0);
    }
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    sspi_pair_free(&p);
}

/* ---------------------------------------------------------------------------------------- */
/* ExportSecurityContext / ImportSecurityContext                                             */
/* ---------------------------------------------------------------------------------------- */

static void
test_export_import_acceptor_keeps_protection_and_client(void)
{
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    struct sspi_pair p;
    CtxtHandle imported, old;
    void *token = (void *)&p, *identity = NULL;
    uid_t uid = 0;

    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL(sign_and_verify(&p.client, &p.server, "before export"), SEC_E_OK);
    old = p.server;
    CU_ASSERT_EQUAL_FATAL(
        ExportSecurityContext(&p.server, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &packed, &token),
        SEC_E_OK);
    CU_ASSERT_PTR_NULL(token);
    CU_ASSERT_PTR_NOT_NULL_FATAL(packed.pvBuffer);
    CU_ASSERT(packed.cbBuffer > 40);
    CU_ASSERT_EQUAL_FATAL(ImportSecurityContextA("NTLM", &packed, NULL, &imported), SEC_E_OK);
    CU_ASSERT_EQUAL(FreeContextBuffer(packed.pvBuffer), SEC_E_OK);

    /* Sequence numbers carried over: both directions still verify, in order. */
    CU_ASSERT_EQUAL(sign_and_verify(&p.client, &imported, "after export"), SEC_E_OK);
    CU_ASSERT_EQUAL(sign_and_verify(&imported, &p.client, "reply"), SEC_E_OK);
    CU_ASSERT_EQUAL(seal_and_unseal(&p.client, &imported, "sealed to the server"), SEC_E_OK);
    /* The authenticated client came along. */
    CU_ASSERT_EQUAL(QuerySecurityContextToken(&imported, &identity), SEC_E_OK);
    CU_ASSERT_EQUAL(SspiGetTokenUnixIdentity(identity, &uid, NULL, NULL, NULL, NULL), SEC_E_OK);
    CU_ASSERT_EQUAL(uid, account_uid);
    FreeContextBuffer(identity);

    /* DELETE_OLD ended the old handle. */
    CU_ASSERT_EQUAL(DeleteSecurityContext(&old), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(ExportSecurityContext(&old, 0, &packed, NULL), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(QuerySecurityContextToken(&old, &identity), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(DeleteSecurityContext(&imported), SEC_E_OK);
    sspi_pair_free(&p);
}

static void
test_export_import_initiator_keeps_protection(void)
{
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    struct sspi_pair p;
    CtxtHandle imported;
    void *token = NULL;

    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL_FATAL(
        ExportSecurityContext(&p.client, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &packed, NULL),
        SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(ImportSecurityContextW(u"ntlm", &packed, NULL, &imported), SEC_E_OK);
    FreeContextBuffer(packed.pvBuffer);
    CU_ASSERT_EQUAL(sign_and_verify(&imported, &p.server, "from the imported client"), SEC_E_OK);
    CU_ASSERT_EQUAL(sign_and_verify(&p.server, &imported, "to the imported client"), SEC_E_OK);
    CU_ASSERT_EQUAL(seal_and_unseal(&imported, &p.server, "sealed by the client"), SEC_E_OK);
    /* Still an initiator: it has no client to impersonate. */
    CU_ASSERT_EQUAL(QuerySecurityContextToken(&imported, &token), SEC_E_NO_IMPERSONATION);
    CU_ASSERT_EQUAL(DeleteSecurityContext(&imported), SEC_E_OK);
    sspi_pair_free(&p);
}

static void
test_export_import_negotiate_context(void)
{
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    struct sspi_pair p;
    CtxtHandle imported;

    establish_or_fail("Negotiate", account, &p);
    CU_ASSERT_EQUAL_FATAL(
        ExportSecurityContext(&p.server, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &packed, NULL),
        SEC_E_OK);
    /* Imported under the package it was exported from, not the one negotiated. */
    CU_ASSERT_EQUAL(ImportSecurityContextA("NTLM", &packed, NULL, &imported), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL_FATAL(ImportSecurityContextA("Negotiate", &packed, NULL, &imported), SEC_E_OK);
    FreeContextBuffer(packed.pvBuffer);
    CU_ASSERT_EQUAL(sign_and_verify(&p.client, &imported, "negotiated"), SEC_E_OK);
    CU_ASSERT_EQUAL(DeleteSecurityContext(&imported), SEC_E_OK);
    sspi_pair_free(&p);
}

static void
test_export_without_delete_old_leaves_a_dead_handle(void)
{
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL}, again = {0, SECBUFFER_EMPTY, NULL};
    struct sspi_pair p;
    CtxtHandle imported;
    void *token = NULL;

    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL_FATAL(ExportSecurityContext(&p.server, 0, &packed, NULL), SEC_E_OK);
    /* The GSS context moved out: the handle cannot export, sign or map a client again. */
    CU_ASSERT_EQUAL(ExportSecurityContext(&p.server, 0, &again, NULL), SEC_E_INVALID_HANDLE);
    CU_ASSERT_PTR_NULL(again.pvBuffer);
    CU_ASSERT_EQUAL(sign_and_verify(&p.server, &p.client, "stale"), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(QuerySecurityContextToken(&p.server, &token), SEC_E_NO_IMPERSONATION);
    CU_ASSERT_EQUAL(ImportSecurityContextA("NTLM", &packed, NULL, &imported), SEC_E_OK);
    CU_ASSERT_EQUAL(sign_and_verify(&p.client, &imported, "moved"), SEC_E_OK);
    FreeContextBuffer(packed.pvBuffer);
    /* ... but it is still a handle until deleted. */
    CU_ASSERT_EQUAL(DeleteSecurityContext(&p.server), SEC_E_OK);
    CU_ASSERT_EQUAL(DeleteSecurityContext(&imported), SEC_E_OK);
    sspi_pair_free(&p);
}

static void
test_export_refuses_reset_new_and_unknown_flags(void)
{
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    struct sspi_pair p;
    CtxtHandle zero = {0, 0};

    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL(
        ExportSecurityContext(&p.server, SECPKG_CONTEXT_EXPORT_RESET_NEW, &packed, NULL),
        SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(
        ExportSecurityContext(&p.server, SECPKG_CONTEXT_EXPORT_TO_KERNEL, &packed, NULL),
        SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(ExportSecurityContext(&p.server, 0, NULL, NULL), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ExportSecurityContext(&zero, 0, &packed, NULL), SEC_E_INVALID_HANDLE);
    CU_ASSERT_PTR_NULL(packed.pvBuffer);
    /* Nothing moved: the context still works. */
    CU_ASSERT_EQUAL(sign_and_verify(&p.client, &p.server, "still here"), SEC_E_OK);
    sspi_pair_free(&p);
}

/* Imports a modified copy of a packed context; the status of the import. */
static SECURITY_STATUS
import_modified(const SecBuffer *packed, size_t offset, uint8_t xor_mask, long size_change,
                const char *package)
{
    size_t len = packed->cbBuffer + (size_change > 0 ? (size_t)size_change : 0);
    uint8_t *copy = calloc(1, len);
    SecBuffer buf = {(ULONG)((long)packed->cbBuffer + size_change), SECBUFFER_TOKEN, copy};
    CtxtHandle h = {0, 0};
    SECURITY_STATUS status;

    memcpy(copy, packed->pvBuffer, packed->cbBuffer);
    if (offset < packed->cbBuffer)
        copy[offset] ^= xor_mask;
    status = ImportSecurityContextA((LPSTR)package, &buf, NULL, &h);
    if (status == SEC_E_OK)
        DeleteSecurityContext(&h);
    free(copy);
    return status;
}

static void
test_import_rejects_malformed_packed_contexts(void)
{
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL}, empty = {0, SECBUFFER_TOKEN, NULL};
    struct sspi_pair p;
    CtxtHandle h;
    size_t n;
    /* The GSS token after the 40-byte header: 4-byte OID length, the NTLM OID, "SGNX"... */
    const size_t oid = 40 + 4, mech_magic = 40 + 4 + 10;

    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL_FATAL(ExportSecurityContext(&p.server, 0, &packed, NULL), SEC_E_OK);
    /* The unmodified copy imports, so every failure below is the modification's. */
    CU_ASSERT_EQUAL(import_modified(&packed, (size_t)-1, 0, 0, "NTLM"), SEC_E_OK);

    CU_ASSERT_EQUAL(import_modified(&packed, 0, 0x20, 0, "NTLM"), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(import_modified(&packed, 4, 0x01, 0, "NTLM"), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(import_modified(&packed, 6, 0x01, 0, "NTLM"), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(import_modified(&packed, 8, 0x01, 0, "NTLM"), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(import_modified(&packed, 8, 0x80, 0, "NTLM"), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(import_modified(&packed, 36, 0x01, 0, "NTLM"), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(import_modified(&packed, 39, 0x80, 0, "NTLM"), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(import_modified(&packed, oid, 0x01, 0, "NTLM"), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(import_modified(&packed, oid + 4, 0x01, 0, "NTLM"), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(import_modified(&packed, mech_magic, 0x01, 0, "NTLM"), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(import_modified(&packed, (size_t)-1, 0, 1, "NTLM"), SEC_E_INVALID_TOKEN);
    for (n = 1; n <= packed.cbBuffer; n += n < 48 ? 1 : 16)
        CU_ASSERT_EQUAL(import_modified(&packed, (size_t)-1, 0, -(long)n, "NTLM"),
                        SEC_E_INVALID_TOKEN);
    /* The package named must be the one exported; unknown names are unknown packages. */
    CU_ASSERT_EQUAL(import_modified(&packed, (size_t)-1, 0, 0, "Kerberos"), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(import_modified(&packed, (size_t)-1, 0, 0, "Negotiate"), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(import_modified(&packed, (size_t)-1, 0, 0, "Winetest"), SEC_E_SECPKG_NOT_FOUND);
    CU_ASSERT_EQUAL(ImportSecurityContextA(NULL, &packed, NULL, &h), SEC_E_SECPKG_NOT_FOUND);
    CU_ASSERT_EQUAL(ImportSecurityContextA("NTLM", &empty, NULL, &h), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(ImportSecurityContextA("NTLM", NULL, NULL, &h), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ImportSecurityContextA("NTLM", &packed, NULL, NULL), SEC_E_INVALID_PARAMETER);
    FreeContextBuffer(packed.pvBuffer);
    sspi_pair_free(&p);
}

/* ---------------------------------------------------------------------------------------- */
/* InitSecurityInterface                                                                     */
/* ---------------------------------------------------------------------------------------- */

static void
test_function_tables_hold_the_exported_functions_in_windows_order(void)
{
    PSecurityFunctionTableA a = InitSecurityInterfaceA();
    PSecurityFunctionTableW w = InitSecurityInterfaceW();

    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_PTR_EQUAL(InitSecurityInterfaceA(), a);
    CU_ASSERT_EQUAL(a->dwVersion, SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION);
    CU_ASSERT_EQUAL(w->dwVersion, SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION);
    /* Slot n (dwVersion is slot 0) sits n pointers in, as in Windows' table. */
    CU_ASSERT_EQUAL(offsetof(SecurityFunctionTableA, EnumerateSecurityPackagesA), sizeof(void *));
    CU_ASSERT_EQUAL(offsetof(SecurityFunctionTableA, Reserved3), 18 * sizeof(void *));
    CU_ASSERT_EQUAL(offsetof(SecurityFunctionTableW, SetContextAttributesW), 27 * sizeof(void *));

    CU_ASSERT_PTR_EQUAL(a->EnumerateSecurityPackagesA, EnumerateSecurityPackagesA);
    CU_ASSERT_PTR_EQUAL(a->QueryCredentialsAttributesA, QueryCredentialsAttributesA);
    CU_ASSERT_PTR_EQUAL(a->AcquireCredentialsHandleA, AcquireCredentialsHandleA);
    CU_ASSERT_PTR_EQUAL(a->FreeCredentialHandle, FreeCredentialsHandle);
    CU_ASSERT_PTR_NULL(a->Reserved2);
    CU_ASSERT_PTR_EQUAL(a->InitializeSecurityContextA, InitializeSecurityContextA);
    CU_ASSERT_PTR_EQUAL(a->AcceptSecurityContext, AcceptSecurityContext);
    CU_ASSERT_PTR_EQUAL(a->CompleteAuthToken, CompleteAuthToken);
    CU_ASSERT_PTR_EQUAL(a->DeleteSecurityContext, DeleteSecurityContext);
    CU_ASSERT_PTR_EQUAL(a->ApplyControlToken, ApplyControlToken);
    CU_ASSERT_PTR_EQUAL(a->QueryContextAttributesA, QueryContextAttributesA);
    CU_ASSERT_PTR_EQUAL(a->ImpersonateSecurityContext, ImpersonateSecurityContext);
    CU_ASSERT_PTR_EQUAL(a->RevertSecurityContext, RevertSecurityContext);
    CU_ASSERT_PTR_EQUAL(a->MakeSignature, MakeSignature);
    CU_ASSERT_PTR_EQUAL(a->VerifySignature, VerifySignature);
    CU_ASSERT_PTR_EQUAL(a->FreeContextBuffer, FreeContextBuffer);
    CU_ASSERT_PTR_EQUAL(a->QuerySecurityPackageInfoA, QuerySecurityPackageInfoA);
    CU_ASSERT_PTR_EQUAL(a->Reserved3, a->EncryptMessage);
    CU_ASSERT_PTR_EQUAL(a->Reserved4, a->DecryptMessage);
    CU_ASSERT_PTR_EQUAL(a->ExportSecurityContext, ExportSecurityContext);
    CU_ASSERT_PTR_EQUAL(a->ImportSecurityContextA, ImportSecurityContextA);
    CU_ASSERT_PTR_NULL(a->AddCredentialsA);
    CU_ASSERT_PTR_NULL(a->Reserved8);
    CU_ASSERT_PTR_EQUAL(a->QuerySecurityContextToken, QuerySecurityContextToken);
    CU_ASSERT_PTR_EQUAL(a->EncryptMessage, EncryptMessage);
    CU_ASSERT_PTR_EQUAL(a->DecryptMessage, DecryptMessage);
    CU_ASSERT_PTR_EQUAL(a->SetContextAttributesA, SetContextAttributesA);
    CU_ASSERT_PTR_NULL(a->SetCredentialsAttributesA);
    CU_ASSERT_PTR_NULL(a->ChangeAccountPasswordA);
    CU_ASSERT_PTR_NULL(a->QueryContextAttributesExA);
    CU_ASSERT_PTR_NULL(a->QueryCredentialsAttributesExA);

    CU_ASSERT_PTR_EQUAL(w->EnumerateSecurityPackagesW, EnumerateSecurityPackagesW);
    CU_ASSERT_PTR_EQUAL(w->QueryCredentialsAttributesW, QueryCredentialsAttributesW);
    CU_ASSERT_PTR_EQUAL(w->AcquireCredentialsHandleW, AcquireCredentialsHandleW);
    CU_ASSERT_PTR_EQUAL(w->FreeCredentialsHandle, FreeCredentialsHandle);
    CU_ASSERT_PTR_NULL(w->Reserved2);
    CU_ASSERT_PTR_EQUAL(w->InitializeSecurityContextW, InitializeSecurityContextW);
    CU_ASSERT_PTR_EQUAL(w->AcceptSecurityContext, AcceptSecurityContext);
    CU_ASSERT_PTR_EQUAL(w->CompleteAuthToken, CompleteAuthToken);
    CU_ASSERT_PTR_EQUAL(w->DeleteSecurityContext, DeleteSecurityContext);
    CU_ASSERT_PTR_EQUAL(w->ApplyControlToken, ApplyControlToken);
    CU_ASSERT_PTR_EQUAL(w->QueryContextAttributesW, QueryContextAttributesW);
    CU_ASSERT_PTR_EQUAL(w->ImpersonateSecurityContext, ImpersonateSecurityContext);
    CU_ASSERT_PTR_EQUAL(w->RevertSecurityContext, RevertSecurityContext);
    CU_ASSERT_PTR_EQUAL(w->MakeSignature, MakeSignature);
    CU_ASSERT_PTR_EQUAL(w->VerifySignature, VerifySignature);
    CU_ASSERT_PTR_EQUAL(w->FreeContextBuffer, FreeContextBuffer);
    CU_ASSERT_PTR_EQUAL(w->QuerySecurityPackageInfoW, QuerySecurityPackageInfoW);
    CU_ASSERT_PTR_EQUAL(w->Reserved3, w->EncryptMessage);
    CU_ASSERT_PTR_EQUAL(w->Reserved4, w->DecryptMessage);
    CU_ASSERT_PTR_EQUAL(w->ExportSecurityContext, ExportSecurityContext);
    CU_ASSERT_PTR_EQUAL(w->ImportSecurityContextW, ImportSecurityContextW);
    CU_ASSERT_PTR_NULL(w->AddCredentialsW);
    CU_ASSERT_PTR_NULL(w->Reserved8);
    CU_ASSERT_PTR_EQUAL(w->QuerySecurityContextToken, QuerySecurityContextToken);
    CU_ASSERT_PTR_EQUAL(w->EncryptMessage, EncryptMessage);
    CU_ASSERT_PTR_EQUAL(w->DecryptMessage, DecryptMessage);
    CU_ASSERT_PTR_EQUAL(w->SetContextAttributesW, SetContextAttributesW);
    CU_ASSERT_PTR_NULL(w->SetCredentialsAttributesW);
    CU_ASSERT_PTR_NULL(w->ChangeAccountPasswordW);
    CU_ASSERT_PTR_NULL(w->QueryContextAttributesExW);
    CU_ASSERT_PTR_NULL(w->QueryCredentialsAttributesExW);
}

/* ---------------------------------------------------------------------------------------- */
/* The Windows token API over the token (sspi_token.h)                                      */
/* ---------------------------------------------------------------------------------------- */

/* GetTokenInformation as Windows code calls it: the size first, then the answer (malloc'd). */
static void *
token_info(HANDLE token, TOKEN_INFORMATION_CLASS what)
{
    DWORD size = 0, again = 0;
    void *info;

    SetLastError(ERROR_SUCCESS);
    CU_ASSERT_FALSE(GetTokenInformation(token, what, NULL, 0, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    if (size == 0)
        return NULL;
    info = calloc(1, size);
    if (info == NULL)
        return NULL;
    /* One byte short is still too small, with the same size reported. */
    CU_ASSERT_FALSE(GetTokenInformation(token, what, info, size - 1, &again));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(again, size);
    CU_ASSERT_TRUE(GetTokenInformation(token, what, info, size, &again));
    CU_ASSERT_EQUAL(again, size);
    return info;
}

static void
assert_sid_text(PSID sid, const char *want)
{
    LPSTR text = NULL;

    CU_ASSERT_TRUE_FATAL(ConvertSidToStringSidA(sid, &text));
    CU_ASSERT_STRING_EQUAL(text, want);
    CU_ASSERT_PTR_NULL(LocalFree(text));
}

/* Whether the token's TokenGroups lists the SID given as text. */
static bool
groups_have(const TOKEN_GROUPS *groups, const char *want)
{
    LPSTR text = NULL;
    bool found = false;
    DWORD i;

    for (i = 0; !found && i < groups->GroupCount; i++) {
        if (!ConvertSidToStringSidA(groups->Groups[i].Sid, &text))
            return false;
        found = strcmp(text, want) == 0 && (groups->Groups[i].Attributes & SE_GROUP_ENABLED) != 0;
        LocalFree(text);
    }
    return found;
}

static void
test_token_information_gives_a_local_user_its_unix_sids(void)
{
    struct sspi_pair p;
    HANDLE token = NULL;
    TOKEN_USER *user;
    TOKEN_OWNER *owner;
    TOKEN_PRIMARY_GROUP *primary;
    TOKEN_GROUPS *groups;
    char user_sid[64], group_sid[64];

    snprintf(user_sid, sizeof(user_sid), "S-1-22-1-%u", (unsigned)account_uid);
    snprintf(group_sid, sizeof(group_sid), "S-1-22-2-%u", (unsigned)account_gid);
    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL_FATAL(QuerySecurityContextToken(&p.server, &token), SEC_E_OK);
    user = token_info(token, TokenUser);
    owner = token_info(token, TokenOwner);
    primary = token_info(token, TokenPrimaryGroup);
    groups = token_info(token, TokenGroups);
    CU_ASSERT_FATAL(user != NULL && owner != NULL && primary != NULL && groups != NULL);
    assert_sid_text(user->User.Sid, user_sid);
    CU_ASSERT_EQUAL(user->User.Attributes, 0);
    assert_sid_text(owner->Owner, user_sid);
    assert_sid_text(primary->PrimaryGroup, group_sid);
    CU_ASSERT(groups_have(groups, group_sid));
    CU_ASSERT(groups_have(groups, "S-1-1-0"));
    CU_ASSERT(groups_have(groups, "S-1-5-2"));
    CU_ASSERT(groups_have(groups, "S-1-5-11"));
    CU_ASSERT_FALSE(groups_have(groups, user_sid));
    free(groups);
    free(primary);
    free(owner);
    free(user);
    CU_ASSERT_TRUE(CloseHandle(token));
    sspi_pair_free(&p);
}

static void
test_token_statistics_and_type_describe_an_impersonation_token(void)
{
    struct sspi_pair p;
    HANDLE first = NULL, second = NULL;
    TOKEN_STATISTICS a, b;
    TOKEN_GROUPS *groups;
    TOKEN_TYPE type = TokenPrimary;
    SECURITY_IMPERSONATION_LEVEL level = SecurityAnonymous;
    DWORD size = 0;

    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL_FATAL(QuerySecurityContextToken(&p.server, &first), SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(QuerySecurityContextToken(&p.server, &second), SEC_E_OK);
    CU_ASSERT_TRUE(GetTokenInformation(first, TokenStatistics, &a, sizeof(a), &size));
    CU_ASSERT_EQUAL(size, sizeof(TOKEN_STATISTICS));
    CU_ASSERT_TRUE(GetTokenInformation(second, TokenStatistics, &b, sizeof(b), &size));
    /* Two tokens of one logon: different token ids, one logon session. */
    CU_ASSERT(a.TokenId.LowPart != b.TokenId.LowPart || a.TokenId.HighPart != b.TokenId.HighPart);
    CU_ASSERT_EQUAL(a.AuthenticationId.LowPart, b.AuthenticationId.LowPart);
    CU_ASSERT_EQUAL(a.AuthenticationId.HighPart, b.AuthenticationId.HighPart);
    CU_ASSERT_EQUAL(a.TokenType, TokenImpersonation);
    CU_ASSERT_EQUAL(a.ImpersonationLevel, SecurityImpersonation);
    groups = token_info(first, TokenGroups);
    CU_ASSERT_FATAL(groups != NULL);
    CU_ASSERT_EQUAL(a.GroupCount, groups->GroupCount);
    free(groups);
    CU_ASSERT_TRUE(GetTokenInformation(first, TokenType, &type, sizeof(type), &size));
    CU_ASSERT_EQUAL(type, TokenImpersonation);
    CU_ASSERT_TRUE(
        GetTokenInformation(first, TokenImpersonationLevel, &level, sizeof(level), &size));
    CU_ASSERT_EQUAL(level, SecurityImpersonation);
    /* A class this library does not answer, and a missing ReturnLength. */
    CU_ASSERT_FALSE(GetTokenInformation(first, TokenPrivileges, &a, sizeof(a), &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_FALSE(GetTokenInformation(first, TokenStatistics, &a, sizeof(a), NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_TRUE(CloseHandle(second));
    CU_ASSERT_TRUE(CloseHandle(first));
    sspi_pair_free(&p);
}

static void
test_check_token_membership_says_yes_for_groups_and_no_otherwise(void)
{
    struct sspi_pair p;
    HANDLE token = NULL;
    PSID sid = NULL;
    BOOL member = 7;
    char text[64];

    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL_FATAL(QuerySecurityContextToken(&p.server, &token), SEC_E_OK);
    snprintf(text, sizeof(text), "S-1-22-2-%u", (unsigned)account_gid);
    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA(text, &sid));
    CU_ASSERT_TRUE(CheckTokenMembership(token, sid, &member));
    CU_ASSERT_EQUAL(member, TRUE);
    LocalFree(sid);
    snprintf(text, sizeof(text), "S-1-22-1-%u", (unsigned)account_uid);
    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA(text, &sid));
    CU_ASSERT_TRUE(CheckTokenMembership(token, sid, &member));
    CU_ASSERT_EQUAL(member, TRUE);
    LocalFree(sid);
    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA("WD", &sid));
    CU_ASSERT_TRUE(CheckTokenMembership(token, sid, &member));
    CU_ASSERT_EQUAL(member, TRUE);
    LocalFree(sid);
    /* Administrators, and the root group's unix SID: not this client's. */
    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA("BA", &sid));
    CU_ASSERT_TRUE(CheckTokenMembership(token, sid, &member));
    CU_ASSERT_EQUAL(member, FALSE);
    LocalFree(sid);
    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA("S-1-22-2-0", &sid));
    CU_ASSERT_TRUE(CheckTokenMembership(token, sid, &member));
    CU_ASSERT_EQUAL(member, account_gid == 0);
    CU_ASSERT_FALSE(CheckTokenMembership(token, sid, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    LocalFree(sid);
    CU_ASSERT_TRUE(CloseHandle(token));
    sspi_pair_free(&p);
}

/* With no token, the calling thread's own ids: the test process's unix SIDs. */
static void
test_check_token_membership_without_a_token_checks_the_caller(void)
{
    PSID sid = NULL;
    BOOL member = FALSE;
    char text[64];

    snprintf(text, sizeof(text), "S-1-22-1-%u", (unsigned)geteuid());
    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA(text, &sid));
    CU_ASSERT_TRUE(CheckTokenMembership(NULL, sid, &member));
    CU_ASSERT_EQUAL(member, TRUE);
    LocalFree(sid);
    snprintf(text, sizeof(text), "S-1-22-1-%u", (unsigned)geteuid() + 1);
    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA(text, &sid));
    CU_ASSERT_TRUE(CheckTokenMembership(NULL, sid, &member));
    CU_ASSERT_EQUAL(member, FALSE);
    LocalFree(sid);
}

/*
 * While the thread impersonates, a NULL token is the impersonated client's: its SIDs, not the
 * server's. Needs root (or CAP_SETUID) to impersonate; otherwise only the fallback is checked.
 */
static void
test_check_token_membership_without_a_token_checks_the_impersonated_client(void)
{
    struct sspi_pair p;
    PSID client = NULL, server = NULL;
    BOOL member = FALSE;
    uid_t before = thread_euid();
    char text[64];

    if (!is_root() || before == account_uid)
        return;
    establish_or_fail("NTLM", account, &p);
    snprintf(text, sizeof(text), "S-1-22-1-%u", (unsigned)account_uid);
    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA(text, &client));
    snprintf(text, sizeof(text), "S-1-22-1-%u", (unsigned)before);
    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA(text, &server));
    CU_ASSERT_EQUAL_FATAL(ImpersonateSecurityContext(&p.server), SEC_E_OK);
    CU_ASSERT_TRUE(CheckTokenMembership(NULL, client, &member));
    CU_ASSERT_EQUAL(member, TRUE);
    CU_ASSERT_TRUE(CheckTokenMembership(NULL, server, &member));
    CU_ASSERT_EQUAL(member, FALSE);
    CU_ASSERT_EQUAL(RevertSecurityContext(&p.server), SEC_E_OK);
    CU_ASSERT_TRUE(CheckTokenMembership(NULL, server, &member));
    CU_ASSERT_EQUAL(member, TRUE);
    LocalFree(server);
    LocalFree(client);
    sspi_pair_free(&p);
}

/* A closed, freed or forged handle is ERROR_INVALID_HANDLE, never a read of freed memory. */
static void
test_token_functions_refuse_closed_freed_and_forged_handles(void)
{
    struct sspi_pair p;
    HANDLE token = NULL;
    uint32_t forged[64] = {0x4b4f5453u};
    PSID sid = NULL;
    BOOL member = FALSE;
    DWORD size = 0;

    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA("WD", &sid));
    establish_or_fail("NTLM", account, &p);
    CU_ASSERT_EQUAL_FATAL(QuerySecurityContextToken(&p.server, &token), SEC_E_OK);
    CU_ASSERT_TRUE(CloseHandle(token));
    CU_ASSERT_FALSE(CloseHandle(token));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT_FALSE(GetTokenInformation(token, TokenUser, NULL, 0, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT_FALSE(CheckTokenMembership(token, sid, &member));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    /* FreeContextBuffer, which released tokens before CloseHandle existed, closes it too. */
    CU_ASSERT_EQUAL_FATAL(QuerySecurityContextToken(&p.server, &token), SEC_E_OK);
    FreeContextBuffer(token);
    CU_ASSERT_FALSE(GetTokenInformation(token, TokenUser, NULL, 0, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT_EQUAL(SspiGetTokenUnixIdentity(token, NULL, NULL, NULL, NULL, NULL),
                    SEC_E_INVALID_HANDLE);
    CU_ASSERT_FALSE(GetTokenInformation(forged, TokenUser, NULL, 0, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT_FALSE(CloseHandle(forged));
    CU_ASSERT_FALSE(CloseHandle(NULL));
    LocalFree(sid);
    sspi_pair_free(&p);
}

/* ---------------------------------------------------------------------------------------- */
/* SIDs and their text form (sspi_sid.c)                                                     */
/* ---------------------------------------------------------------------------------------- */

static void
test_sid_strings_round_trip_in_both_encodings(void)
{
    static const char *const texts[] = {
        "S-1-5-21-1004336348-1177238915-682003330-512",
        "S-1-1-0",
        "S-1-5",
        "S-1-22-2-4294967295",
        "S-1-0x123456789ABC-1",
        "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15",
    };
    static const WCHAR wide[] = {'S', '-', '1', '-', '5', '-', '3', '2', '-', '5', '4', '4', 0};
    PSID sid = NULL, copy = NULL;
    LPSTR text = NULL;
    LPWSTR wtext = NULL;
    size_t i;
    BYTE buf[SECURITY_MAX_SID_SIZE];

    for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA(texts[i], &sid));
        CU_ASSERT_TRUE(IsValidSid(sid));
        CU_ASSERT_EQUAL(GetLengthSid(sid), 8 + 4 * (DWORD)*GetSidSubAuthorityCount(sid));
        CU_ASSERT_TRUE_FATAL(ConvertSidToStringSidA(sid, &text));
        CU_ASSERT_STRING_EQUAL(text, texts[i]);
        LocalFree(text);
        LocalFree(sid);
    }
    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidW(wide, &sid));
    CU_ASSERT_TRUE_FATAL(ConvertSidToStringSidW(sid, &wtext));
    CU_ASSERT_EQUAL(memcmp(wtext, wide, sizeof(wide)), 0);
    LocalFree(wtext);
    CU_ASSERT_TRUE_FATAL(ConvertStringSidToSidA("BA", &copy));
    CU_ASSERT_TRUE(EqualSid(sid, copy));
    CU_ASSERT_EQUAL(*GetSidSubAuthority(copy, 1), DOMAIN_ALIAS_RID_ADMINS);
    CU_ASSERT_FALSE(CopySid(GetLengthSid(sid) - 1, buf, sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_TRUE(CopySid(sizeof(buf), buf, sid));
    CU_ASSERT_TRUE(EqualSid(buf, sid));
    LocalFree(copy);
    LocalFree(sid);
    CU_ASSERT_PTR_NULL(LocalFree(NULL));
}

static void
test_string_sid_parser_refuses_malformed_text(void)
{
    static const char *const bad[] = {
        "",
        "S",
        "S-",
        "S-1",
        "S-1-",
        "S-2-5",
        "S-1-5-",
        "S-1--5",
        "S-1-5--1",
        "S-1-5-x",
        "S-1-5-4294967296",
        "S-1-281474976710656",
        "S-1-0x",
        "S-1-0x1234567890ABC",
        "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16",
        " S-1-5",
        "S-1-5 ",
        "S-1-+5",
        "S-1-5-21-1 ",
        "X-1-5",
        "DA",
        "ba",
    };
    PSID sid = (PSID)&sid;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        SetLastError(ERROR_SUCCESS);
        CU_ASSERT_FALSE(ConvertStringSidToSidA(bad[i], &sid));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
        CU_ASSERT_PTR_EQUAL(sid, (PSID)&sid);
    }
    CU_ASSERT_FALSE(ConvertStringSidToSidA(NULL, &sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
}

static void
test_allocate_and_initialize_sid_builds_well_known_sids(void)
{
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
    PSID sid = NULL;

    CU_ASSERT_TRUE_FATAL(AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID,
                                                  DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0, 0, &sid));
    assert_sid_text(sid, "S-1-5-32-544");
    CU_ASSERT_PTR_NULL(FreeSid(sid));
    CU_ASSERT_FALSE(AllocateAndInitializeSid(&nt, 9, 0, 0, 0, 0, 0, 0, 0, 0, &sid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
}

static CU_TestInfo tests[] = {
    {"query token maps the client to a local account",
     test_query_token_maps_client_to_local_account},
    {"token of a local user has its unix SIDs", test_token_of_a_local_user_has_its_unix_sids},
    {"token accessor rejects what is not a token", test_token_accessor_rejects_what_is_not_a_token},
    {"token information gives a local user its unix SIDs",
     test_token_information_gives_a_local_user_its_unix_sids},
    {"token statistics and type describe an impersonation token",
     test_token_statistics_and_type_describe_an_impersonation_token},
    {"CheckTokenMembership says yes for groups and no otherwise",
     test_check_token_membership_says_yes_for_groups_and_no_otherwise},
    {"CheckTokenMembership without a token checks the caller",
     test_check_token_membership_without_a_token_checks_the_caller},
    {"CheckTokenMembership without a token checks the impersonated client",
     test_check_token_membership_without_a_token_checks_the_impersonated_client},
    {"token functions refuse closed, freed and forged handles",
     test_token_functions_refuse_closed_freed_and_forged_handles},
    {"SID strings round trip in both encodings", test_sid_strings_round_trip_in_both_encodings},
    {"string SID parser refuses malformed text", test_string_sid_parser_refuses_malformed_text},
    {"AllocateAndInitializeSid builds well-known SIDs",
     test_allocate_and_initialize_sid_builds_well_known_sids},
    {"query token refuses a client without a local account",
     test_query_token_refuses_client_without_local_account},
    {"token refuses root and system accounts the mechanism maps",
     test_token_refuses_root_and_system_accounts_the_mechanism_maps},
    {"LIBSSPI_LOCAL_UID_MIN zero lets a client map to root",
     test_local_uid_min_zero_lets_a_client_map_to_root},
    {"query token refuses initiator and bad handles",
     test_query_token_refuses_initiator_and_bad_handles},
    {"query token refuses an unfinished context", test_query_token_refuses_unfinished_context},
    {"impersonate switches only the calling thread",
     test_impersonate_switches_only_the_calling_thread},
    {"impersonating twice then one revert restores the server",
     test_impersonating_twice_then_one_revert_restores_the_server},
    {"revert after the context is deleted still reverts",
     test_revert_after_the_context_is_deleted_still_reverts},
    {"revert with a bad handle reverts and says so",
     test_revert_with_a_bad_handle_reverts_and_says_so},
    {"impersonate refuses initiator and bad handles",
     test_impersonate_refuses_initiator_and_bad_handles},
    {"impersonation without privilege", test_impersonation_without_privilege},
    {"export/import of an acceptor keeps protection and client",
     test_export_import_acceptor_keeps_protection_and_client},
    {"export/import of an initiator keeps protection",
     test_export_import_initiator_keeps_protection},
    {"export/import of a Negotiate context", test_export_import_negotiate_context},
    {"export without DELETE_OLD leaves a dead handle",
     test_export_without_delete_old_leaves_a_dead_handle},
    {"export refuses RESET_NEW and unknown flags", test_export_refuses_reset_new_and_unknown_flags},
    {"import rejects malformed packed contexts", test_import_rejects_malformed_packed_contexts},
    {"function tables hold the exported functions in Windows order",
     test_function_tables_hold_the_exported_functions_in_windows_order},
    CU_TEST_INFO_NULL,
};

/* Picks an account every system has and writes a user file with NTLM users named after it. */
static bool
identity_setup(const char *dir)
{
    static const char *const candidates[] = {"nobody", "daemon", "bin"};
    const struct passwd *pw = NULL;
    size_t i;
    FILE *f;

    for (i = 0; pw == NULL && i < sizeof(candidates) / sizeof(candidates[0]); i++)
        pw = getpwnam(candidates[i]);
    if (pw == NULL) {
        fprintf(stderr, "no usable local account for the identity tests\n");
        return false;
    }
    /* Copied before the next lookup, which may reuse getpwnam's static entry. */
    snprintf(account, sizeof(account), "%s", pw->pw_name);
    account_uid = pw->pw_uid;
    account_gid = pw->pw_gid;
    if (getpwnam(NO_SUCH_ACCOUNT) != NULL) {
        fprintf(stderr, "%s exists: the identity tests need it not to\n", NO_SUCH_ACCOUNT);
        return false;
    }
    /* libsspi maps no account below its floor (1000 by default): lower it to the account's
     * uid where the one found is a system account ("nobody" is 65534 on Debian). */
    if (account_uid < 1000) {
        snprintf(suite_floor, sizeof(suite_floor), "%u", (unsigned)account_uid);
        setenv("LIBSSPI_LOCAL_UID_MIN", suite_floor, 1);
    }
    snprintf(user_file, sizeof(user_file), "%s/identity-users", dir);
    f = fopen(user_file, "w");
    if (f == NULL)
        return false;
    fprintf(f, "%s:%s:%s\n%s:%s:%s\n", TEST_DOMAIN, account, TEST_PASSWORD, TEST_DOMAIN,
            NO_SUCH_ACCOUNT, TEST_PASSWORD);
    fprintf(f, "%s:root:%s\n%s:daemon:%s\n", TEST_DOMAIN, TEST_PASSWORD, TEST_DOMAIN,
            TEST_PASSWORD);
    if (fclose(f) != 0 || chmod(user_file, 0600) != 0)
        return false;
    /* Read by the module when it first loads its user database, after this. */
    setenv("NTLM_USER_FILE", user_file, 1);
    /* The module maps root and the system accounts too: what libsspi does with them is what
     * the floor tests check, as for a mechanism without such rules. */
    return gss_test_env_write_config("netbios_name = TESTHOST\nnetbios_domain = TESTDOM\n"
                                     "audit = none\nlocal_uid_min = 0\n") == 0;
}

int
main(void)
{
    const char *dir = gss_test_env_setup();
    int status = 99;

    if (dir != NULL && identity_setup(dir))
        status = test_run_suite("sspi_identity", tests);
    if (user_file[0] != '\0')
        unlink(user_file);
    gss_test_env_teardown();
    return status;
}
