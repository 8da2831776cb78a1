/*
 * Several threads authenticating and protecting messages at once, each with its own
 * contexts, against one shared acceptor credential and user database, while another thread
 * rewrites the user file underneath (atomic renames). Run under ThreadSanitizer by
 * tests/memory/sanitize.sh; in the plain suite it checks that every login still succeeds.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "gss_test_env.h"
#include "test_util.h"

#define THREADS 4
#define ROUNDS 25

static gss_cred_id_t acceptor = GSS_C_NO_CREDENTIAL;
static volatile int stop_rewriting;

struct worker {
    pthread_t thread;
    int done, failures;
};

/* One NTLM handshake with a password credential, then a wrapped message each way. */
static bool
one_round(gss_name_t target)
{
    gss_buffer_desc user = {13, "TESTDOM\\alice"}, pw = {9, "Passw0rd!"};
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER, back = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc msg = {5, "hello"}, wrapped = GSS_C_EMPTY_BUFFER, plain = GSS_C_EMPTY_BUFFER;
    gss_OID_set_desc mechs = {1, gss_test_ntlm_oid};
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    gss_cred_id_t icred = GSS_C_NO_CREDENTIAL;
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 maj, min, imaj = GSS_S_CONTINUE_NEEDED, amaj = GSS_S_CONTINUE_NEEDED;
    bool ok = false;
    int legs;

    if (gss_import_name(&min, &user, GSS_C_NT_USER_NAME, &name) != GSS_S_COMPLETE ||
        gss_acquire_cred_with_password(&min, name, &pw, 0, &mechs, GSS_C_INITIATE, &icred, NULL,
                                       NULL) != GSS_S_COMPLETE)
        goto done;
    for (legs = 0; legs < 4 && (imaj != GSS_S_COMPLETE || amaj != GSS_S_COMPLETE); legs++) {
        imaj = gss_init_sec_context(&min, icred, &ictx, target, gss_test_ntlm_oid,
                                    GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, 0, NULL, &in, NULL, &out,
                                    NULL, NULL);
        gss_release_buffer(&min, &in);
        if (GSS_ERROR(imaj) || out.length == 0)
            break;
        amaj = gss_accept_sec_context(&min, &actx, acceptor, &out, NULL, NULL, NULL, &back, NULL,
                                      NULL, NULL);
        gss_release_buffer(&min, &out);
        if (GSS_ERROR(amaj))
            break;
        in = back;
        back = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
    }
    if (imaj != GSS_S_COMPLETE || amaj != GSS_S_COMPLETE)
        goto done;
    maj = gss_wrap(&min, ictx, 1, GSS_C_QOP_DEFAULT, &msg, NULL, &wrapped);
    if (maj == GSS_S_COMPLETE)
        maj = gss_unwrap(&min, actx, &wrapped, &plain, NULL, NULL);
    ok = maj == GSS_S_COMPLETE && plain.length == 5 && memcmp(plain.value, "hello", 5) == 0;
done:
    gss_release_buffer(&min, &in);
    gss_release_buffer(&min, &out);
    gss_release_buffer(&min, &back);
    gss_release_buffer(&min, &wrapped);
    gss_release_buffer(&min, &plain);
    gss_delete_sec_context(&min, &ictx, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&min, &actx, GSS_C_NO_BUFFER);
    gss_release_cred(&min, &icred);
    gss_release_name(&min, &name);
    return ok;
}

static void *
work(void *arg)
{
    struct worker *w = arg;
    gss_buffer_desc service = {21, "HTTP@testhost.example"};
    gss_name_t target = GSS_C_NO_NAME;
    OM_uint32 min;
    int i;

    if (gss_import_name(&min, &service, GSS_C_NT_HOSTBASED_SERVICE, &target) != GSS_S_COMPLETE) {
        w->failures = ROUNDS;
        return NULL;
    }
    for (i = 0; i < ROUNDS; i++) {
        if (!one_round(target))
            w->failures++;
        w->done++;
    }
    gss_release_name(&min, &target);
    return NULL;
}

/* Replaces the user file again and again, always keeping alice (and changing the rest). */
static void *
rewrite(void *arg)
{
    const char *path = arg;
    char tmp[600];
    unsigned n = 0;

    snprintf(tmp, sizeof(tmp), "%s.new", path);
    while (!__atomic_load_n(&stop_rewriting, __ATOMIC_ACQUIRE)) {
        FILE *f = fopen(tmp, "w");

        if (f == NULL)
            break;
        fprintf(f, "TESTDOM:alice:Passw0rd!\nTESTDOM:user%u:Secret-%u\n", n, n);
        fclose(f);
        rename(tmp, path);
        n++;
        usleep(2000);
    }
    return NULL;
}

static void
test_parallel_logins_share_one_acceptor_while_the_user_file_changes(void)
{
    struct worker workers[THREADS] = {{0}};
    pthread_t rewriter;
    OM_uint32 maj, min;
    int i, failures = 0, done = 0;

    maj = gss_acquire_cred(&min, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET, GSS_C_ACCEPT, &acceptor, NULL,
                           NULL);
    CU_ASSERT_EQUAL_FATAL(maj, GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&rewriter, NULL, rewrite, getenv("NTLM_USER_FILE")), 0);
    for (i = 0; i < THREADS; i++)
        CU_ASSERT_EQUAL_FATAL(pthread_create(&workers[i].thread, NULL, work, &workers[i]), 0);
    for (i = 0; i < THREADS; i++) {
        pthread_join(workers[i].thread, NULL);
        failures += workers[i].failures;
        done += workers[i].done;
    }
    __atomic_store_n(&stop_rewriting, 1, __ATOMIC_RELEASE);
    pthread_join(rewriter, NULL);
    CU_ASSERT_EQUAL(done, THREADS * ROUNDS);
    CU_ASSERT_EQUAL(failures, 0);
    gss_release_cred(&min, &acceptor);
}

static CU_TestInfo tests[] = {
    {"parallel logins share one acceptor while the user file changes",
     test_parallel_logins_share_one_acceptor_while_the_user_file_changes},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return gss_test_env_run_suite("concurrency", tests);
}
