/*
 * Per-credential configuration through MIT's real mechglue: the sspigss_config cred-store key
 * gives each acceptor credential its own module configuration in one process, an edit of a
 * file takes effect without restarting, and a broken file fails closed for the credentials
 * using it only, naming its file and line.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "gss_test_env.h"
#include "test_util.h"

#define ALICE TEST_DOMAIN "\\" TEST_USER
/* A reload takes effect within 2 s (one check per second); polled this long at most. */
#define RELOAD_DEADLINE_SECONDS 5

static const char *world;

/* The shared part of every file: the world's names, no audit. */
#define BASE                                                                                       \
    "netbios_name = TESTHOST\ndns_name = testhost.example\nnetbios_domain = TESTDOM\n"             \
    "audit = none\n"
/* Policies that differ in a way our own initiator shows: whose SPN is ours. A name that is not
 * ours fails as a target mismatch, or, since our own initiator answered the challenge in this
 * process, as a reflection: both say "target". */
#define OURS BASE "service_names = HTTP/testhost.example\n"
#define NOT_OURS BASE "service_names = HTTP/elsewhere.example\n"

static void
config_path(const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", world, name);
}

static void
write_config(const char *name, const char *text)
{
    char path[512], tmp[520];
    FILE *f;

    /* Replaced by rename, as editors and configuration management do. */
    config_path(name, path, sizeof(path));
    snprintf(tmp, sizeof(tmp), "%s.new", path);
    f = fopen(tmp, "w");
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT_FATAL(fputs(text, f) >= 0);
    CU_ASSERT_FATAL(fclose(f) == 0);
    CU_ASSERT_FATAL(rename(tmp, path) == 0);
}

/* An acceptor credential whose cred store holds key=value pairs (NULL-terminated). */
static OM_uint32
acceptor_cred(const char *const *pairs, gss_cred_id_t *cred, OM_uint32 *minor)
{
    gss_key_value_element_desc elements[4];
    gss_key_value_set_desc store = {0, elements};
    gss_OID_set_desc mechs = {1, gss_test_ntlm_oid};

    for (; pairs[0] != NULL && store.count < 4; pairs += 2)
        elements[store.count++] = (gss_key_value_element_desc){pairs[0], pairs[1]};
    return gss_acquire_cred_from(minor, GSS_C_NO_NAME, 0, &mechs, GSS_C_ACCEPT, &store, cred, NULL,
                                 NULL);
}

/* The credential of the configuration file called name in the world. */
static gss_cred_id_t
config_cred(const char *name)
{
    char path[512];
    const char *pairs[] = {"sspigss_config", path, NULL};
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor;

    config_path(name, path, sizeof(path));
    CU_ASSERT_EQUAL_FATAL(acceptor_cred(pairs, &cred, &minor), GSS_S_COMPLETE);
    return cred;
}

/* One login of our initiator (as alice, at HTTP@testhost.example) against acred. */
struct login {
    OM_uint32 major, minor;
    char *name;
};

static void
login(gss_cred_id_t acred, struct login *l)
{
    static const char service[] = "HTTP@testhost.example";
    gss_buffer_desc nbuf = {sizeof(service) - 1, (void *)service};
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER, shown = GSS_C_EMPTY_BUFFER;
    gss_cred_id_t icred = gss_test_password_cred(ALICE, TEST_PASSWORD);
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    gss_name_t target = GSS_C_NO_NAME, src = GSS_C_NO_NAME;
    OM_uint32 imaj, imin, min;
    int leg;

    memset(l, 0, sizeof(*l));
    CU_ASSERT_EQUAL_FATAL(gss_import_name(&min, &nbuf, GSS_C_NT_HOSTBASED_SERVICE, &target),
                          GSS_S_COMPLETE);
    l->major = GSS_S_FAILURE;
    for (leg = 0; leg < 3; leg++) {
        imaj =
            gss_init_sec_context(&imin, icred, &ictx, target, gss_test_ntlm_oid, GSS_C_INTEG_FLAG,
                                 0, GSS_C_NO_CHANNEL_BINDINGS, &in, NULL, &out, NULL, NULL);
        gss_release_buffer(&min, &in);
        if (GSS_ERROR(imaj) || out.length == 0)
            break;
        l->major = gss_accept_sec_context(&l->minor, &actx, acred, &out, GSS_C_NO_CHANNEL_BINDINGS,
                                          &src, NULL, &in, NULL, NULL, NULL);
        gss_release_buffer(&min, &out);
        if (l->major != GSS_S_CONTINUE_NEEDED)
            break;
    }
    if (l->major == GSS_S_COMPLETE && gss_display_name(&min, src, &shown, NULL) == GSS_S_COMPLETE)
        l->name = strndup(shown.value, shown.length);
    gss_release_buffer(&min, &shown);
    gss_release_buffer(&min, &in);
    gss_release_buffer(&min, &out);
    gss_release_name(&min, &src);
    gss_delete_sec_context(&min, &ictx, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&min, &actx, GSS_C_NO_BUFFER);
    gss_release_cred(&min, &icred);
    gss_release_name(&min, &target);
}

static bool
logs_in(gss_cred_id_t acred)
{
    struct login l;
    bool ok;

    login(acred, &l);
    ok = l.major == GSS_S_COMPLETE && l.name != NULL && strcmp(l.name, ALICE) == 0;
    free(l.name);
    return ok;
}

/* Whether a login against acred fails with a minor whose text holds want. */
static bool
refused_with(gss_cred_id_t acred, const char *want)
{
    struct login l;
    char *text;
    bool ok;

    login(acred, &l);
    text = gss_test_minor_text(l.minor);
    ok = GSS_ERROR(l.major) && text != NULL && strstr(text, want) != NULL;
    if (!ok)
        fprintf(stderr, "\n  login: major 0x%x, minor \"%s\"; wanted an error with \"%s\"\n",
                l.major, text != NULL ? text : "", want);
    free(text);
    free(l.name);
    return ok;
}

/* Polls until a login against acred has the outcome wanted (logs in, or is refused with
 * want): a reload is checked for at most once per second. */
static bool
eventually(gss_cred_id_t acred, bool want_login, const char *want)
{
    time_t deadline = time(NULL) + RELOAD_DEADLINE_SECONDS;
    struct login l;
    bool ok;

    for (;;) {
        char *text;

        login(acred, &l);
        text = gss_test_minor_text(l.minor);
        ok = want_login ? l.major == GSS_S_COMPLETE
                        : GSS_ERROR(l.major) && text != NULL && strstr(text, want) != NULL;
        free(text);
        free(l.name);
        if (ok || time(NULL) > deadline)
            return ok;
        usleep(100 * 1000);
    }
}

static void
test_two_credentials_in_one_process_follow_their_own_files(void)
{
    gss_cred_id_t a, b;
    OM_uint32 min;

    write_config("a.conf", OURS);
    write_config("b.conf", NOT_OURS);
    a = config_cred("a.conf");
    b = config_cred("b.conf");
    CU_ASSERT_TRUE(logs_in(a));
    CU_ASSERT_TRUE(refused_with(b, "target"));
    /* The process default (no key) is neither. */
    CU_ASSERT_TRUE(logs_in(GSS_C_NO_CREDENTIAL));
    gss_release_cred(&min, &a);
    gss_release_cred(&min, &b);
}

static void
test_an_edit_takes_effect_without_a_restart(void)
{
    gss_cred_id_t a, b;
    OM_uint32 min;

    write_config("edit-a.conf", OURS);
    write_config("edit-b.conf", OURS);
    a = config_cred("edit-a.conf");
    b = config_cred("edit-b.conf");
    CU_ASSERT_TRUE(logs_in(b));
    write_config("edit-b.conf", NOT_OURS);
    CU_ASSERT_TRUE(eventually(b, false, "target"));
    CU_ASSERT_TRUE(logs_in(a));
    write_config("edit-b.conf", OURS);
    CU_ASSERT_TRUE(eventually(b, true, NULL));
    gss_release_cred(&min, &a);
    gss_release_cred(&min, &b);
}

static void
test_a_broken_file_fails_closed_for_its_credentials_only(void)
{
    gss_cred_id_t a, b, again = GSS_C_NO_CREDENTIAL;
    char path[512], want[600];
    const char *pairs[] = {"sspigss_config", path, NULL};
    OM_uint32 minor = 0;
    char *text;

    write_config("broken-a.conf", OURS);
    write_config("broken-b.conf", OURS);
    a = config_cred("broken-a.conf");
    b = config_cred("broken-b.conf");
    write_config("broken-b.conf", OURS "ntlmv1 = sometimes\n");
    config_path("broken-b.conf", path, sizeof(path));
    snprintf(want, sizeof(want), "%s:6: ntlmv1", path);
    CU_ASSERT_TRUE(eventually(b, false, want));
    CU_ASSERT_TRUE(logs_in(a));
    /* New credentials on the file fail too, saying where. */
    CU_ASSERT_EQUAL(acceptor_cred(pairs, &again, &minor), GSS_S_NO_CRED);
    text = gss_test_minor_text(minor);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
    free(text);
    write_config("broken-b.conf", OURS);
    CU_ASSERT_TRUE(eventually(b, true, NULL));
    gss_release_cred(&minor, &a);
    gss_release_cred(&minor, &b);
}

static void
test_the_key_must_name_an_existing_absolute_path(void)
{
    const char *relative[] = {"sspigss_config", "app.conf", NULL};
    char path[512];
    const char *missing[] = {"sspigss_config", path, NULL};
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor = 0;
    char *text;

    CU_ASSERT_EQUAL(acceptor_cred(relative, &cred, &minor), GSS_S_NO_CRED);
    text = gss_test_minor_text(minor);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "app.conf: not an absolute path"));
    free(text);
    config_path("missing.conf", path, sizeof(path));
    CU_ASSERT_EQUAL(acceptor_cred(missing, &cred, &minor), GSS_S_NO_CRED);
    text = gss_test_minor_text(minor);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "missing.conf: cannot read"));
    free(text);
}

static void
test_other_cred_store_keys_keep_working_beside_it(void)
{
    char conf[512], users[512];
    const char *pairs[] = {"sspigss_config", conf, "ntlmssp_keyfile", users, NULL};
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor;
    FILE *f;

    write_config("keyfile.conf", OURS);
    config_path("keyfile.conf", conf, sizeof(conf));
    /* A user file of the cred store's own, where alice has another password. */
    config_path("other-users", users, sizeof(users));
    f = fopen(users, "w");
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT_FATAL(fputs(TEST_DOMAIN ":" TEST_USER ":another-password\n", f) >= 0);
    CU_ASSERT_FATAL(fclose(f) == 0);
    CU_ASSERT_EQUAL_FATAL(acceptor_cred(pairs, &cred, &minor), GSS_S_COMPLETE);
    CU_ASSERT_TRUE(refused_with(cred, "password"));
    gss_release_cred(&minor, &cred);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"two credentials in one process follow their own files",
         test_two_credentials_in_one_process_follow_their_own_files},
        {"an edit takes effect without a restart", test_an_edit_takes_effect_without_a_restart},
        {"a broken file fails closed for its credentials only",
         test_a_broken_file_fails_closed_for_its_credentials_only},
        {"the key must name an existing absolute path",
         test_the_key_must_name_an_existing_absolute_path},
        {"other cred store keys keep working beside it",
         test_other_cred_store_keys_keep_working_beside_it},
        CU_TEST_INFO_NULL,
    };

    int status;

    world = gss_test_env_setup();
    if (world == NULL)
        return 99;
    status = test_run_suite("gss_config", tests);
    gss_test_env_teardown();
    return status;
}
