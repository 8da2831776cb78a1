/*
 * Handles freed on one thread while another uses them (sspi_shim/sspi_handles.c): a lookup takes
 * its reference inside the table's lock, so FreeCredentialsHandle racing InitializeSecurityContext
 * or AcceptSecurityContext, and DeleteSecurityContext racing EncryptMessage, end in a clean
 * status or a working context, never in freed memory. Run under ThreadSanitizer and
 * AddressSanitizer by tests/memory/sanitize.sh; in the plain suite it checks the statuses.
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
#define ROUNDS 20
#define REQ (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_CONNECTION)

/* One thread's call in a race, started by a shared barrier. */
struct racer {
    pthread_barrier_t *go;
    struct sspi_pair *p;
    SECURITY_STATUS status;
    CtxtHandle ctx;
    const unsigned char *in;
    ULONG in_len, out_len;
    unsigned char out[SPACE];
};

static void *
initialize_first(void *arg)
{
    struct racer *r = arg;
    SecBuffer out_buf = {SPACE, SECBUFFER_TOKEN, r->out};
    SecBufferDesc out = {SECBUFFER_VERSION, 1, &out_buf};
    ULONG attrs;

    pthread_barrier_wait(r->go);
    r->status =
        InitializeSecurityContextA(&r->p->client_cred, NULL, TARGET, REQ, 0, SECURITY_NATIVE_DREP,
                                   NULL, 0, &r->ctx, &out, &attrs, NULL);
    r->out_len = out_buf.cbBuffer;
    return NULL;
}

static void *
accept_first(void *arg)
{
    struct racer *r = arg;
    SecBuffer in_buf = {r->in_len, SECBUFFER_TOKEN, (void *)r->in},
              out_buf = {SPACE, SECBUFFER_TOKEN, r->out};
    SecBufferDesc in = {SECBUFFER_VERSION, 1, &in_buf}, out = {SECBUFFER_VERSION, 1, &out_buf};
    ULONG attrs;

    pthread_barrier_wait(r->go);
    r->status = AcceptSecurityContext(&r->p->server_cred, NULL, &in, 0, SECURITY_NATIVE_DREP,
                                      &r->ctx, &out, &attrs, NULL);
    r->out_len = out_buf.cbBuffer;
    return NULL;
}

static void *
free_client_cred(void *arg)
{
    struct racer *r = arg;

    pthread_barrier_wait(r->go);
    r->status = FreeCredentialsHandle(&r->p->client_cred);
    return NULL;
}

static void *
free_server_cred(void *arg)
{
    struct racer *r = arg;

    pthread_barrier_wait(r->go);
    r->status = FreeCredentialsHandle(&r->p->server_cred);
    return NULL;
}

/* One call of a later leg, on a context that already exists. */
static SECURITY_STATUS
step(bool initiator, struct sspi_pair *p, CtxtHandle *ctx, const void *in, ULONG in_len,
     unsigned char *out, ULONG *out_len)
{
    SecBuffer in_buf = {in_len, SECBUFFER_TOKEN, (void *)in},
              out_buf = {SPACE, SECBUFFER_TOKEN, out};
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 1, &in_buf},
                  out_desc = {SECBUFFER_VERSION, 1, &out_buf};
    SECURITY_STATUS status;
    ULONG attrs;

    status = initiator ? InitializeSecurityContextA(NULL, ctx, TARGET, REQ, 0, SECURITY_NATIVE_DREP,
                                                    &in_desc, 0, ctx, &out_desc, &attrs, NULL)
                       : AcceptSecurityContext(NULL, ctx, &in_desc, 0, SECURITY_NATIVE_DREP, ctx,
                                               &out_desc, &attrs, NULL);
    *out_len = out_buf.cbBuffer;
    return status;
}

static bool
lost_or_won(SECURITY_STATUS status)
{
    return status == SEC_I_CONTINUE_NEEDED || status == SEC_E_INVALID_HANDLE;
}

/*
 * Per round: a client context started beforehand (its NEGOTIATE is the acceptor's input), then
 * four threads at once: a first initialize and a first accept, each while its credential handle
 * is freed. A context that won its race finishes the exchange on the credential the handle no
 * longer names.
 */
static void
test_freeing_a_credential_handle_during_a_first_call_is_safe(void)
{
    static struct racer isc, asc, free_c, free_s;
    static unsigned char neg[SPACE], auth[SPACE], last[SPACE];
    pthread_barrier_t go;
    int round, won_isc = 0, won_asc = 0;

    pthread_barrier_init(&go, NULL, 4);
    for (round = 0; round < ROUNDS; round++) {
        struct sspi_pair p = {0};
        SecBuffer neg_buf = {SPACE, SECBUFFER_TOKEN, neg};
        SecBufferDesc neg_desc = {SECBUFFER_VERSION, 1, &neg_buf};
        pthread_t threads[4];
        ULONG attrs, auth_len, last_len;

        CU_ASSERT_EQUAL_FATAL(
            sspi_pair_credentials(&p, "NTLM", "NTLM", TEST_DOMAIN, TEST_USER, TEST_PASSWORD),
            SEC_E_OK);
        CU_ASSERT_EQUAL_FATAL(InitializeSecurityContextA(&p.client_cred, NULL, TARGET, REQ, 0,
                                                         SECURITY_NATIVE_DREP, NULL, 0, &p.client,
                                                         &neg_desc, &attrs, NULL),
                              SEC_I_CONTINUE_NEEDED);
        p.have_client = true;
        isc = (struct racer){.go = &go, .p = &p};
        asc = (struct racer){.go = &go, .p = &p, .in = neg, .in_len = neg_buf.cbBuffer};
        free_c = free_s = (struct racer){.go = &go, .p = &p};
        pthread_create(&threads[0], NULL, initialize_first, &isc);
        pthread_create(&threads[1], NULL, accept_first, &asc);
        pthread_create(&threads[2], NULL, free_client_cred, &free_c);
        pthread_create(&threads[3], NULL, free_server_cred, &free_s);
        for (int i = 0; i < 4; i++)
            pthread_join(threads[i], NULL);
        CU_ASSERT_EQUAL(free_c.status, SEC_E_OK);
        CU_ASSERT_EQUAL(free_s.status, SEC_E_OK);
        CU_ASSERT(lost_or_won(isc.status));
        CU_ASSERT(lost_or_won(asc.status));
        if (isc.status == SEC_I_CONTINUE_NEEDED) {
            won_isc++;
            CU_ASSERT_EQUAL(DeleteSecurityContext(&isc.ctx), SEC_E_OK);
        }
        if (asc.status == SEC_I_CONTINUE_NEEDED) {
            won_asc++;
            p.server = asc.ctx;
            p.have_server = true;
            CU_ASSERT_EQUAL(step(true, &p, &p.client, asc.out, asc.out_len, auth, &auth_len),
                            SEC_E_OK);
            CU_ASSERT_EQUAL(step(false, &p, &p.server, auth, auth_len, last, &last_len), SEC_E_OK);
        }
        sspi_pair_free(&p);
    }
    pthread_barrier_destroy(&go);
    /* Which side wins each race is the scheduler's; the counts only show what ran. */
    printf("\n  first calls that won the race: initialize %d/%d, accept %d/%d\n", won_isc, ROUNDS,
           won_asc, ROUNDS);
}

struct sealer {
    pthread_barrier_t *go;
    CtxtHandle *ctx;
    SECURITY_STATUS status;
};

static void *
encrypt_once(void *arg)
{
    struct sealer *s = arg;
    unsigned char header[64], data[] = "racing";
    SecBuffer bufs[2] = {{sizeof(header), SECBUFFER_TOKEN, header},
                         {sizeof(data), SECBUFFER_DATA, data}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};

    pthread_barrier_wait(s->go);
    s->status = EncryptMessage(s->ctx, 0, &desc, 0);
    return NULL;
}

static void *
delete_context(void *arg)
{
    struct sealer *s = arg;

    pthread_barrier_wait(s->go);
    s->status = DeleteSecurityContext(s->ctx);
    return NULL;
}

static void
test_deleting_a_context_during_encrypt_message_is_safe(void)
{
    pthread_barrier_t go;
    int round;

    pthread_barrier_init(&go, NULL, 2);
    for (round = 0; round < ROUNDS; round++) {
        struct sspi_pair p = {0};
        struct sealer enc = {&go, &p.client, 0}, del = {&go, &p.client, 0};
        pthread_t threads[2];

        CU_ASSERT_EQUAL_FATAL(
            sspi_pair_credentials(&p, "NTLM", "NTLM", TEST_DOMAIN, TEST_USER, TEST_PASSWORD),
            SEC_E_OK);
        CU_ASSERT_FATAL(sspi_pair_establish(&p, TARGET, REQ, 0));
        pthread_create(&threads[0], NULL, encrypt_once, &enc);
        pthread_create(&threads[1], NULL, delete_context, &del);
        pthread_join(threads[0], NULL);
        pthread_join(threads[1], NULL);
        CU_ASSERT_EQUAL(del.status, SEC_E_OK);
        CU_ASSERT(enc.status == SEC_E_OK || enc.status == SEC_E_INVALID_HANDLE);
        p.have_client = false;
        sspi_pair_free(&p);
    }
    pthread_barrier_destroy(&go);
}

static CU_TestInfo tests[] = {
    {"freeing a credential handle during a first call is safe",
     test_freeing_a_credential_handle_during_a_first_call_is_safe},
    {"deleting a context during EncryptMessage is safe",
     test_deleting_a_context_during_encrypt_message_is_safe},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return gss_test_env_run_suite("sspi_concurrency", tests);
}
