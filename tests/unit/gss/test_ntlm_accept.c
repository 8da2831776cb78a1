/*
 * The acceptor's state machine (mech/gss/ntlm_accept.c) driven directly through
 * ntlm_accept_step under settings of an environment built from a temp configuration and user
 * file: no mechglue, no module loaded. The initiator is the module's own, called the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ntlm_env.h"
#include "ntlm_errors.h"
#include "ntlm_gss.h"
#include "test_util.h"

#define BASE                                                                                       \
    "netbios_name = TESTHOST\ndns_name = testhost.example\nnetbios_domain = TESTDOM\n"             \
    "audit = none\nstate_dir = %s\n"

static char dir[64];
static char conf_path[128], users_path[128], other_conf[128], other_users[128];

/* Before the suite runs, so no assertions: exits 99 (a hard error for automake) on failure. */
static void
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        exit(99);
    }
}

/* What one exchange needs: the acceptor's env, settings and credential, our initiator's. */
struct world {
    struct ntlm_env *env;
    struct ntlm_settings *settings;
    gss_cred_id_t acred, icred;
    gss_ctx_id_t ictx, actx;
    gss_name_t target;
};

static void
world_begin(struct world *w, const char *conf, const char *password)
{
    static const char service[] = "HTTP@testhost.example";
    static const char user[] = "TESTDOM\\alice";
    gss_buffer_desc sbuf = {sizeof(service) - 1, (void *)service};
    gss_buffer_desc ubuf = {sizeof(user) - 1, (void *)user};
    gss_buffer_desc pbuf = {strlen(password), (void *)password};
    gss_name_t uname = GSS_C_NO_NAME;
    OM_uint32 min;

    memset(w, 0, sizeof(*w));
    CU_ASSERT_EQUAL_FATAL(ntlm_env_new(conf, &w->env), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_env_settings(w->env, &w->settings), 0);
    /* An acceptor credential of the default configuration: the settings passed to each step
     * decide the policy and the user file, as ntlm_gss_accept_sec_context's choice would. */
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_acquire_cred_from(&min, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                                     GSS_C_ACCEPT, GSS_C_NO_CRED_STORE, &w->acred,
                                                     NULL, NULL),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_import_name(&min, &ubuf, GSS_C_NT_USER_NAME, &uname),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_acquire_cred_with_password(&min, uname, &pbuf, 0,
                                                              GSS_C_NO_OID_SET, GSS_C_INITIATE,
                                                              &w->icred, NULL, NULL),
                          GSS_S_COMPLETE);
    ntlm_gss_release_name(&min, &uname);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_import_name(&min, &sbuf, GSS_C_NT_HOSTBASED_SERVICE, &w->target),
                          GSS_S_COMPLETE);
}

static void
world_end(struct world *w)
{
    OM_uint32 min;

    ntlm_gss_delete_sec_context(&min, &w->ictx, GSS_C_NO_BUFFER);
    ntlm_gss_delete_sec_context(&min, &w->actx, GSS_C_NO_BUFFER);
    ntlm_gss_release_cred(&min, &w->acred);
    ntlm_gss_release_cred(&min, &w->icred);
    ntlm_gss_release_name(&min, &w->target);
    ntlm_settings_release(w->settings);
    ntlm_env_release(w->env);
}

/* Our initiator's next token (NEGOTIATE with in empty, else AUTHENTICATE for CHALLENGE in). */
static void
initiator_token(struct world *w, gss_buffer_t in, gss_buffer_t out)
{
    OM_uint32 min, maj;

    maj = ntlm_gss_init_sec_context(&min, w->icred, &w->ictx, w->target, GSS_C_NO_OID,
                                    GSS_C_INTEG_FLAG, 0, GSS_C_NO_CHANNEL_BINDINGS, in, NULL, out,
                                    NULL, NULL);
    CU_ASSERT_FATAL(!GSS_ERROR(maj));
}

/* One acceptor step under the world's settings. */
static OM_uint32
accept_token(struct world *w, gss_buffer_t in, gss_buffer_t out, gss_name_t *src, OM_uint32 *minor)
{
    return ntlm_accept_step(minor, w->settings, &w->actx, w->acred, in, GSS_C_NO_CHANNEL_BINDINGS,
                            src, out, NULL, NULL);
}

static const struct ntlm_ctx *
acceptor(const struct world *w)
{
    return (const struct ntlm_ctx *)w->actx;
}

/* NEGOTIATE -> CHALLENGE -> AUTHENTICATE: the AUTHENTICATE step's major, its token in auth. */
static OM_uint32
exchange(struct world *w, gss_buffer_t auth, gss_name_t *src, OM_uint32 *minor)
{
    gss_buffer_desc empty = GSS_C_EMPTY_BUFFER, neg = GSS_C_EMPTY_BUFFER, chal = GSS_C_EMPTY_BUFFER,
                    none = GSS_C_EMPTY_BUFFER;
    OM_uint32 min, maj;

    initiator_token(w, &empty, &neg);
    maj = accept_token(w, &neg, &chal, NULL, minor);
    CU_ASSERT_EQUAL_FATAL(maj, GSS_S_CONTINUE_NEEDED);
    CU_ASSERT_EQUAL(acceptor(w)->stage, NTLM_STAGE_ACCEPT_WAIT_AUTHENTICATE);
    /* The context took the env whose settings ran its first step. */
    CU_ASSERT_PTR_EQUAL(acceptor(w)->env, w->env);
    initiator_token(w, &chal, auth);
    maj = accept_token(w, auth, &none, src, minor);
    gss_release_buffer(&min, &neg);
    gss_release_buffer(&min, &chal);
    gss_release_buffer(&min, &none);
    return maj;
}

static void
test_an_exchange_completes_under_the_env_and_names_the_user_with_it(void)
{
    struct world w;
    gss_buffer_desc auth = GSS_C_EMPTY_BUFFER, shown = GSS_C_EMPTY_BUFFER;
    gss_name_t src = GSS_C_NO_NAME;
    OM_uint32 minor = 0, min;

    world_begin(&w, conf_path, "Passw0rd!");
    CU_ASSERT_EQUAL(exchange(&w, &auth, &src, &minor), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(acceptor(&w)->stage, NTLM_STAGE_ESTABLISHED);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_display_name(&min, src, &shown, NULL), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(shown.length, strlen("TESTDOM\\alice"));
    CU_ASSERT_EQUAL(memcmp(shown.value, "TESTDOM\\alice", shown.length), 0);
    /* gss_localname will map the name under the configuration that authenticated it. */
    CU_ASSERT_PTR_EQUAL(((const struct ntlm_name *)src)->env, w.env);
    gss_release_buffer(&min, &shown);
    ntlm_gss_release_name(&min, &src);
    gss_release_buffer(&min, &auth);
    world_end(&w);
}

static void
test_the_env_s_user_file_decides_who_logs_on(void)
{
    struct world w;
    gss_buffer_desc auth = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor = 0, min;

    /* other.conf's user file lists carol only. */
    world_begin(&w, other_conf, "Passw0rd!");
    CU_ASSERT_EQUAL(exchange(&w, &auth, NULL, &minor), GSS_S_DEFECTIVE_CREDENTIAL);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_UNKNOWN_USER);
    CU_ASSERT_EQUAL(acceptor(&w)->stage, NTLM_STAGE_FAILED);
    gss_release_buffer(&min, &auth);
    world_end(&w);
}

static void
test_a_failed_exchange_takes_only_a_negotiate_to_start_over(void)
{
    struct world w;
    gss_buffer_desc auth = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc empty = GSS_C_EMPTY_BUFFER, neg = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor = 0, min;

    world_begin(&w, conf_path, "wrong password");
    CU_ASSERT_EQUAL(exchange(&w, &auth, NULL, &minor), GSS_S_DEFECTIVE_CREDENTIAL);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_WRONG_PASSWORD);
    CU_ASSERT_EQUAL(acceptor(&w)->stage, NTLM_STAGE_FAILED);
    /* The same AUTHENTICATE again finds a context that kept nothing to check it with. */
    CU_ASSERT_EQUAL(accept_token(&w, &auth, &out, NULL, &minor), GSS_S_FAILURE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_EXCHANGE_FAILED);
    CU_ASSERT_PTR_NULL(acceptor(&w)->env);
    /* A NEGOTIATE starts over, under the settings of this step. */
    ntlm_gss_delete_sec_context(&min, &w.ictx, GSS_C_NO_BUFFER);
    initiator_token(&w, &empty, &neg);
    CU_ASSERT_EQUAL(accept_token(&w, &neg, &out, NULL, &minor), GSS_S_CONTINUE_NEEDED);
    CU_ASSERT_EQUAL(acceptor(&w)->stage, NTLM_STAGE_ACCEPT_WAIT_AUTHENTICATE);
    CU_ASSERT_PTR_EQUAL(acceptor(&w)->env, w.env);
    gss_release_buffer(&min, &neg);
    gss_release_buffer(&min, &out);
    gss_release_buffer(&min, &auth);
    world_end(&w);
}

static void
test_tokens_out_of_order_are_refused_without_a_context(void)
{
    struct world w;
    gss_buffer_desc auth = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor = 0, min;

    world_begin(&w, conf_path, "Passw0rd!");
    CU_ASSERT_EQUAL_FATAL(exchange(&w, &auth, NULL, &minor), GSS_S_COMPLETE);
    /* An established context takes no further token. */
    CU_ASSERT_EQUAL(accept_token(&w, &auth, &out, NULL, &minor), GSS_S_FAILURE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_OUT_OF_ORDER);
    CU_ASSERT_EQUAL(acceptor(&w)->stage, NTLM_STAGE_ESTABLISHED);
    /* An AUTHENTICATE as the first token makes no context. */
    ntlm_gss_delete_sec_context(&min, &w.actx, GSS_C_NO_BUFFER);
    CU_ASSERT(GSS_ERROR(accept_token(&w, &auth, &out, NULL, &minor)));
    CU_ASSERT_PTR_NULL(w.actx);
    CU_ASSERT_EQUAL(out.length, 0);
    gss_release_buffer(&min, &auth);
    world_end(&w);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"an exchange completes under the env and names the user with it",
         test_an_exchange_completes_under_the_env_and_names_the_user_with_it},
        {"the env's user file decides who logs on", test_the_env_s_user_file_decides_who_logs_on},
        {"a failed exchange takes only a negotiate to start over",
         test_a_failed_exchange_takes_only_a_negotiate_to_start_over},
        {"tokens out of order are refused without a context",
         test_tokens_out_of_order_are_refused_without_a_context},
        CU_TEST_INFO_NULL,
    };
    char text[512];
    int status;

    umask(077);
    strcpy(dir, "/tmp/test_ntlm_accept.XXXXXX");
    if (mkdtemp(dir) == NULL)
        return 99;
    snprintf(conf_path, sizeof(conf_path), "%s/ntlm.conf", dir);
    snprintf(users_path, sizeof(users_path), "%s/users", dir);
    snprintf(other_conf, sizeof(other_conf), "%s/other.conf", dir);
    snprintf(other_users, sizeof(other_users), "%s/other-users", dir);
    write_file(users_path, "TESTDOM:alice:Passw0rd!\n");
    write_file(other_users, "TESTDOM:carol:Other-3\n");
    snprintf(text, sizeof(text), BASE "user_file = %s\n", dir, users_path);
    write_file(conf_path, text);
    snprintf(text, sizeof(text), BASE "user_file = %s\n", dir, other_users);
    write_file(other_conf, text);
    /* The credentials' default configuration; no user file from the environment. */
    setenv("SSPIGSS_NTLM_CONFIG", conf_path, 1);
    unsetenv("NTLM_USER_FILE");
    unsetenv("SSPIGSS_NTLM_DEBUG");

    status = test_run_suite("ntlm_accept", tests);

    unlink(conf_path);
    unlink(users_path);
    unlink(other_conf);
    unlink(other_users);
    snprintf(text, sizeof(text), "%s/lockout-%lu.db", dir, (unsigned long)geteuid());
    unlink(text);
    rmdir(dir);
    return status;
}
