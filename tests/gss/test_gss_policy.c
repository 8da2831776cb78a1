/*
 * The acceptor's policy knobs through MIT's real mechglue, as the process default configuration
 * (per-credential files are tests/gss/test_gss_config.c's): each run tests one setting, argv[1]
 * naming the case, whose ntlm.conf is written before the first GSS call
 * (tests/gss/gss_policy.sh runs them all). AUTHENTICATE messages
 * our initiator never sends (no MIC, an old timestamp, a NULL session) come from
 * tests/lib/ntlm_craft.c.
 */
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "gss_test_env.h"
#include "ntlm_auth.h"
#include "ntlm_av.h"
#include "ntlm_craft.h"
#include "ntlm_endian.h"
#include "ntlm_message.h"
#include "test_util.h"

static const char *world;      /* the temp dir of gss_test_env */
static char audit_path[512];   /* the audit case's log file */
static char config_text[1024]; /* the case's ntlm.conf */

/* ---------------------------------------------------------------------------------------- */
/* GSS helpers                                                                              */
/* ---------------------------------------------------------------------------------------- */

/* Asserts that minor's message starts with want. */
static void
check_minor(OM_uint32 minor, const char *want)
{
    char *text = gss_test_minor_text(minor);

    if (text == NULL || strncmp(text, want, strlen(want)) != 0) {
        fprintf(stderr, "\n  minor \"%s\", wanted \"%s...\"\n", text ? text : "", want);
        CU_FAIL("unexpected minor status");
    }
    free(text);
}

static char *
display(gss_name_t name, gss_OID *type)
{
    gss_buffer_desc b = GSS_C_EMPTY_BUFFER;
    OM_uint32 min;
    char *s;

    if (gss_display_name(&min, name, &b, type) != GSS_S_COMPLETE)
        return NULL;
    s = strndup(b.value, b.length);
    gss_release_buffer(&min, &b);
    return s;
}

/* The outcome of one login: the acceptor's last status, flags and name. */
struct login {
    OM_uint32 major, minor;
    OM_uint32 flags;
    gss_name_t src;
    gss_ctx_id_t actx;
};

static void
login_free(struct login *l)
{
    OM_uint32 min;

    gss_release_name(&min, &l->src);
    gss_delete_sec_context(&min, &l->actx, GSS_C_NO_BUFFER);
    memset(l, 0, sizeof(*l));
}

/*
 * Our own initiator, aiming at service ("HTTP@testhost.example"), against our acceptor (raw
 * NTLM), each side with its bindings.
 */
static void
gss_login_to(const char *service, const char *user, const char *password,
             gss_channel_bindings_t icb, gss_channel_bindings_t acb, struct login *l)
{
    gss_buffer_desc nbuf = {strlen(service), (void *)service};
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_cred_id_t cred = gss_test_password_cred(user, password);
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT;
    gss_name_t target = GSS_C_NO_NAME;
    OM_uint32 imaj, imin, min;
    int leg;

    memset(l, 0, sizeof(*l));
    CU_ASSERT_EQUAL_FATAL(gss_import_name(&min, &nbuf, GSS_C_NT_HOSTBASED_SERVICE, &target),
                          GSS_S_COMPLETE);
    l->major = GSS_S_CONTINUE_NEEDED;
    for (leg = 0; leg < 3; leg++) {
        imaj = gss_init_sec_context(&imin, cred, &ictx, target, gss_test_ntlm_oid,
                                    GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG, 0, icb, &in, NULL, &out,
                                    NULL, NULL);
        gss_release_buffer(&min, &in);
        if (GSS_ERROR(imaj) || out.length == 0) {
            l->major = GSS_ERROR(imaj) ? GSS_S_FAILURE : l->major;
            break;
        }
        l->major = gss_accept_sec_context(&l->minor, &l->actx, GSS_C_NO_CREDENTIAL, &out, acb,
                                          &l->src, NULL, &in, &l->flags, NULL, NULL);
        gss_release_buffer(&min, &out);
        if (l->major != GSS_S_CONTINUE_NEEDED)
            break;
    }
    gss_release_buffer(&min, &in);
    gss_release_buffer(&min, &out);
    gss_delete_sec_context(&min, &ictx, GSS_C_NO_BUFFER);
    gss_release_cred(&min, &cred);
    gss_release_name(&min, &target);
}

/* Our own initiator against our acceptor, aiming at the test acceptor's name. */
static void
gss_login(const char *user, const char *password, gss_channel_bindings_t icb,
          gss_channel_bindings_t acb, struct login *l)
{
    gss_login_to("HTTP@testhost.example", user, password, icb, acb, l);
}

/*
 * NEGOTIATE, CHALLENGE, then the crafted AUTHENTICATE, against our acceptor with credential
 * acred (GSS_C_NO_CREDENTIAL: the default); users_mode, when not 0, is given to the user file
 * between the two legs.
 */
static void
crafted_login_full(const struct craft *c, gss_cred_id_t acred, gss_channel_bindings_t acb,
                   mode_t users_mode, struct login *l)
{
    struct ntlm_buf negotiate = NTLM_BUF_INIT, auth = NTLM_BUF_INIT;
    gss_buffer_desc in, challenge = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 min;

    memset(l, 0, sizeof(*l));
    CU_ASSERT_EQUAL_FATAL(craft_negotiate_without(c->negotiate_drop, &negotiate), 0);
    in = (gss_buffer_desc){negotiate.len, negotiate.data};
    l->major = gss_accept_sec_context(&l->minor, &l->actx, acred, &in, acb, NULL, NULL, &challenge,
                                      NULL, NULL, NULL);
    CU_ASSERT_EQUAL_FATAL(l->major, GSS_S_CONTINUE_NEEDED);
    CU_ASSERT_EQUAL_FATAL(
        craft_authenticate(c, &negotiate, challenge.value, challenge.length, &auth), 0);
    if (users_mode != 0)
        CU_ASSERT_EQUAL_FATAL(chmod(getenv("NTLM_USER_FILE"), users_mode), 0);
    in = (gss_buffer_desc){auth.len, auth.data};
    l->major = gss_accept_sec_context(&l->minor, &l->actx, acred, &in, acb, &l->src, NULL, &out,
                                      &l->flags, NULL, NULL);
    gss_release_buffer(&min, &challenge);
    gss_release_buffer(&min, &out);
    ntlm_buf_free(&negotiate);
    ntlm_buf_free(&auth);
}

static void
crafted_login(const struct craft *c, gss_channel_bindings_t acb, struct login *l)
{
    crafted_login_full(c, GSS_C_NO_CREDENTIAL, acb, 0, l);
}

/* Asserts a completed login as TESTDOM\alice (or another user). */
static void
check_logged_in(const struct login *l, const char *want_name)
{
    char *name;

    CU_ASSERT_EQUAL(l->major, GSS_S_COMPLETE);
    if (l->major != GSS_S_COMPLETE) {
        char *text = gss_test_minor_text(l->minor);

        fprintf(stderr, "\n  login failed: 0x%x, %s\n", l->major, text);
        free(text);
        return;
    }
    name = display(l->src, NULL);
    CU_ASSERT_PTR_NOT_NULL(name);
    if (name != NULL)
        CU_ASSERT_STRING_EQUAL(name, want_name);
    free(name);
}

static void
check_refused(const struct login *l, OM_uint32 want_major, const char *want_minor)
{
    CU_ASSERT_EQUAL(l->major, want_major);
    check_minor(l->minor, want_minor);
}

static struct gss_channel_bindings_struct bindings_a = {
    .application_data = {25, "tls-server-end-point:aaaa"}};
static struct gss_channel_bindings_struct bindings_b = {
    .application_data = {25, "tls-server-end-point:bbbb"}};

static void
bindings_hash_of(const struct gss_channel_bindings_struct *cb, uint8_t out[16])
{
    CU_ASSERT_EQUAL_FATAL(ntlm_channel_bindings_hash(0, NULL, 0, 0, NULL, 0,
                                                     cb->application_data.value,
                                                     cb->application_data.length, out),
                          0);
}

#define ALICE TEST_DOMAIN "\\" TEST_USER

/* ---------------------------------------------------------------------------------------- */
/* mic                                                                                      */
/* ---------------------------------------------------------------------------------------- */

static void
test_mic_when_present_accepts_an_authenticate_without_mic(void)
{
    struct craft c = {0};
    struct login l;

    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
}

static void
test_mic_is_verified_when_the_client_announces_it(void)
{
    struct craft c = {.with_mic = true};
    struct login l;

    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
    c.corrupt_mic = true;
    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_refused(&l, GSS_S_DEFECTIVE_TOKEN, "MIC verification failed");
    login_free(&l);
}

static void
test_mic_always_rejects_an_authenticate_without_mic(void)
{
    struct craft c = {0};
    struct login l;

    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_refused(&l, GSS_S_DEFECTIVE_TOKEN, "MIC required but missing");
    login_free(&l);
}

static void
test_mic_always_accepts_our_initiator(void)
{
    struct login l;

    gss_login(ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
}

/* ---------------------------------------------------------------------------------------- */
/* channel_bindings                                                                         */
/* ---------------------------------------------------------------------------------------- */

static void
test_bindings_never_accepts_a_mismatch_unbound(void)
{
    struct login l;

    gss_login(ALICE, TEST_PASSWORD, &bindings_a, &bindings_b, &l);
    check_logged_in(&l, ALICE);
    CU_ASSERT_FALSE(l.flags & GSS_C_CHANNEL_BOUND_FLAG);
    login_free(&l);
    /* Matching ones are not checked either, so they bind nothing. */
    gss_login(ALICE, TEST_PASSWORD, &bindings_a, &bindings_a, &l);
    check_logged_in(&l, ALICE);
    CU_ASSERT_FALSE(l.flags & GSS_C_CHANNEL_BOUND_FLAG);
    login_free(&l);
}

static void
test_bindings_when_supported_rejects_a_mismatch_and_allows_one_side_without(void)
{
    struct login l;

    gss_login(ALICE, TEST_PASSWORD, &bindings_a, &bindings_a, &l);
    check_logged_in(&l, ALICE);
    CU_ASSERT(l.flags & GSS_C_CHANNEL_BOUND_FLAG);
    login_free(&l);
    gss_login(ALICE, TEST_PASSWORD, &bindings_a, &bindings_b, &l);
    check_refused(&l, GSS_S_BAD_BINDINGS, "channel bindings mismatch");
    login_free(&l);
    gss_login(ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, &bindings_a, &l);
    check_logged_in(&l, ALICE);
    CU_ASSERT_FALSE(l.flags & GSS_C_CHANNEL_BOUND_FLAG);
    login_free(&l);
    gss_login(ALICE, TEST_PASSWORD, &bindings_a, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    CU_ASSERT_FALSE(l.flags & GSS_C_CHANNEL_BOUND_FLAG);
    login_free(&l);
}

static void
test_bindings_always_rejects_a_client_without_bindings(void)
{
    static const uint8_t zeros[16];
    struct craft c = {.with_mic = true, .cb_hash = zeros};
    struct login l;

    gss_login(ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, &bindings_a, &l);
    check_refused(&l, GSS_S_BAD_BINDINGS, "channel bindings required but missing");
    login_free(&l);
    /* An all-zero hash is how clients say they have none. */
    crafted_login(&c, &bindings_a, &l);
    check_refused(&l, GSS_S_BAD_BINDINGS, "channel bindings required but missing");
    login_free(&l);
}

static void
test_bindings_always_rejects_an_acceptor_without_bindings(void)
{
    struct login l;

    gss_login(ALICE, TEST_PASSWORD, &bindings_a, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_refused(&l, GSS_S_BAD_BINDINGS, "channel bindings required but missing");
    login_free(&l);
}

static void
test_bindings_always_accepts_matching_bindings_and_rejects_others(void)
{
    uint8_t hash[16];
    struct craft c = {.with_mic = true, .cb_hash = hash};
    struct login l;

    gss_login(ALICE, TEST_PASSWORD, &bindings_a, &bindings_a, &l);
    check_logged_in(&l, ALICE);
    CU_ASSERT(l.flags & GSS_C_CHANNEL_BOUND_FLAG);
    login_free(&l);
    bindings_hash_of(&bindings_a, hash);
    crafted_login(&c, &bindings_a, &l);
    check_logged_in(&l, ALICE);
    CU_ASSERT(l.flags & GSS_C_CHANNEL_BOUND_FLAG);
    login_free(&l);
    gss_login(ALICE, TEST_PASSWORD, &bindings_a, &bindings_b, &l);
    check_refused(&l, GSS_S_BAD_BINDINGS, "channel bindings mismatch");
    login_free(&l);
}

/* ---------------------------------------------------------------------------------------- */
/* replay_window                                                                            */
/* ---------------------------------------------------------------------------------------- */

static void
test_replay_window_rejects_a_timestamp_an_hour_old_or_ahead(void)
{
    struct craft c = {.time_offset = -3600};
    struct login l;

    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_refused(&l, GSS_S_DEFECTIVE_CREDENTIAL, "the client's NTLMv2 timestamp is outside");
    login_free(&l);
    c.time_offset = 3600;
    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_refused(&l, GSS_S_DEFECTIVE_CREDENTIAL, "the client's NTLMv2 timestamp is outside");
    login_free(&l);
}

static void
test_replay_window_accepts_a_timestamp_inside_it(void)
{
    struct craft c = {.time_offset = -120};
    struct login l;

    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
    gss_login(ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
}

static void
test_replay_window_zero_accepts_any_timestamp(void)
{
    struct craft c = {.time_offset = -3600};
    struct login l;

    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
    c.time_offset = 10 * 86400;
    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
}

/* ---------------------------------------------------------------------------------------- */
/* anonymous                                                                                */
/* ---------------------------------------------------------------------------------------- */

static void
test_anonymous_no_rejects_a_null_session(void)
{
    struct craft c = {.anonymous = true, .anonymous_lm_len = 1};
    struct login l;

    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_refused(&l, GSS_S_DEFECTIVE_CREDENTIAL, "anonymous (NULL session) authentication");
    login_free(&l);
}

static void
test_anonymous_yes_accepts_a_null_session_without_session_security(void)
{
    struct craft c = {.anonymous = true, .anonymous_lm_len = 1};
    gss_buffer_desc msg = {5, "hello"}, tok = GSS_C_EMPTY_BUFFER;
    gss_OID type = GSS_C_NO_OID;
    struct login l;
    OM_uint32 min;
    char *name;
    int i;

    for (i = 0; i < 2; i++) {
        c.anonymous_lm_len = i == 0 ? 1 : 0; /* one zero byte, or empty */
        crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
        CU_ASSERT_EQUAL_FATAL(l.major, GSS_S_COMPLETE);
        CU_ASSERT(l.flags & GSS_C_ANON_FLAG);
        CU_ASSERT_FALSE(l.flags & (GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG));
        name = display(l.src, &type);
        CU_ASSERT_PTR_NOT_NULL_FATAL(name);
        CU_ASSERT_STRING_EQUAL(name, "NT AUTHORITY\\ANONYMOUS LOGON");
        CU_ASSERT(type != GSS_C_NO_OID && type->length == GSS_C_NT_ANONYMOUS->length &&
                  memcmp(type->elements, GSS_C_NT_ANONYMOUS->elements, type->length) == 0);
        free(name);
        /* No key from any password: nothing to sign with. */
        CU_ASSERT(GSS_ERROR(gss_get_mic(&min, l.actx, GSS_C_QOP_DEFAULT, &msg, &tok)));
        gss_release_buffer(&min, &tok);
        login_free(&l);
    }
}

static void
test_anonymous_yes_still_refuses_an_lm_response(void)
{
    struct craft c = {.anonymous = true, .anonymous_lm_len = 24};
    struct login l;

    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_refused(&l, GSS_S_DEFECTIVE_CREDENTIAL, "LM authentication disabled");
    login_free(&l);
}

static void
test_anonymous_yes_leaves_user_logons_alone(void)
{
    struct login l;

    gss_login(ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    CU_ASSERT_FALSE(l.flags & GSS_C_ANON_FLAG);
    CU_ASSERT(l.flags & GSS_C_INTEG_FLAG);
    login_free(&l);
}

/* ---------------------------------------------------------------------------------------- */
/* user_file_permissions                                                                    */
/* ---------------------------------------------------------------------------------------- */

static OM_uint32
acquire_acceptor(OM_uint32 *minor)
{
    gss_OID_set_desc mechs = {1, gss_test_ntlm_oid};
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 maj, min;

    maj = gss_acquire_cred(minor, GSS_C_NO_NAME, 0, &mechs, GSS_C_ACCEPT, &cred, NULL, NULL);
    gss_release_cred(&min, &cred);
    return maj;
}

static void
chmod_users(mode_t mode)
{
    CU_ASSERT_EQUAL_FATAL(chmod(getenv("NTLM_USER_FILE"), mode), 0);
}

static void
test_strict_permissions_refuse_a_user_file_others_can_read(void)
{
    struct craft c = {0};
    struct login l;
    OM_uint32 minor = 0;
    char *text;

    chmod_users(0600);
    gss_login(ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
    chmod_users(0644);
    CU_ASSERT_EQUAL(acquire_acceptor(&minor), GSS_S_NO_CRED);
    text = gss_test_minor_text(minor);
    CU_ASSERT_STRING_EQUAL(text, "user database is readable or writable by others (chmod "
                                 "o-rw,g-w, or set user_file_permissions = relaxed in the "
                                 "module configuration)");
    free(text);
    gss_login(ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS, &l);
    CU_ASSERT(GSS_ERROR(l.major));
    check_minor(l.minor, "user database is readable or writable by others");
    login_free(&l);
    /* Also a file that becomes readable between the two legs, after it was loaded. */
    chmod_users(0600);
    crafted_login_full(&c, GSS_C_NO_CREDENTIAL, GSS_C_NO_CHANNEL_BINDINGS, 0644, &l);
    check_refused(&l, GSS_S_FAILURE, "user database is readable or writable by others");
    login_free(&l);
    chmod_users(0620);
    CU_ASSERT_EQUAL(acquire_acceptor(&minor), GSS_S_NO_CRED);
    chmod_users(0640);
    CU_ASSERT_EQUAL(acquire_acceptor(&minor), GSS_S_COMPLETE);
    chmod_users(0600);
}

static void
test_relaxed_permissions_accept_a_user_file_others_can_read(void)
{
    struct login l;
    OM_uint32 minor = 0;

    chmod_users(0644);
    CU_ASSERT_EQUAL(acquire_acceptor(&minor), GSS_S_COMPLETE);
    gss_login(ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
    chmod_users(0666);
    CU_ASSERT_EQUAL(acquire_acceptor(&minor), GSS_S_COMPLETE);
    chmod_users(0600);
}

/* ---------------------------------------------------------------------------------------- */
/* service_binding and service_names                                                        */
/* ---------------------------------------------------------------------------------------- */

#define TARGET_MISMATCH "the client authenticated for another service or host"
#define TARGET_MISSING "target name required but missing"
#define TARGET_REFLECTED "reflected logon refused"

/* A crafted logon as alice (with a MIC) whose response names target (NULL: none). */
static void
target_login(const char *target, gss_cred_id_t acred, struct login *l)
{
    struct craft c = {.with_mic = true, .target = target, .no_target = target == NULL};

    crafted_login_full(&c, acred, GSS_C_NO_CHANNEL_BINDINGS, 0, l);
}

static void
check_target_accepted(const char *target, gss_cred_id_t acred)
{
    struct login l;

    target_login(target, acred, &l);
    if (l.major != GSS_S_COMPLETE)
        fprintf(stderr, "\n  target name %s refused", target != NULL ? target : "(none)");
    check_logged_in(&l, ALICE);
    login_free(&l);
}

static void
check_target_refused(const char *target, gss_cred_id_t acred, const char *want_minor)
{
    struct login l;

    target_login(target, acred, &l);
    if (l.major == GSS_S_COMPLETE)
        fprintf(stderr, "\n  target name %s accepted", target != NULL ? target : "(none)");
    check_refused(&l, GSS_S_BAD_BINDINGS, want_minor);
    login_free(&l);
}

/* An acceptor credential for service ("HTTP@testhost.example"), as GssapiAcceptorName gets. */
static gss_cred_id_t
named_acceptor(const char *service)
{
    gss_buffer_desc b = {strlen(service), (void *)service};
    gss_OID_set_desc mechs = {1, gss_test_ntlm_oid};
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 min;

    CU_ASSERT_EQUAL_FATAL(gss_import_name(&min, &b, GSS_C_NT_HOSTBASED_SERVICE, &name),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(gss_acquire_cred(&min, name, 0, &mechs, GSS_C_ACCEPT, &cred, NULL, NULL),
                          GSS_S_COMPLETE);
    gss_release_name(&min, &name);
    return cred;
}

static void
test_binding_refuses_a_target_name_for_another_host(void)
{
    check_target_refused("HTTP/evil.example", GSS_C_NO_CREDENTIAL, TARGET_MISMATCH);
    check_target_refused("cifs/evil.example", GSS_C_NO_CREDENTIAL, TARGET_MISMATCH);
    check_target_refused("HTTP/testhost.example.evil.example", GSS_C_NO_CREDENTIAL,
                         TARGET_MISMATCH);
    check_target_refused("HTTP/evil.testhost.example", GSS_C_NO_CREDENTIAL, TARGET_MISMATCH);
    check_target_refused("HTTP/evil.example/testhost.example", GSS_C_NO_CREDENTIAL,
                         TARGET_MISMATCH);
    check_target_refused("testhost.example", GSS_C_NO_CREDENTIAL, TARGET_MISMATCH);
}

/* The default credential (host@testhost.example) stands for every service of its host. */
static void
test_binding_accepts_the_acceptors_own_names_in_any_case(void)
{
    static const char *const ours[] = {
        "HTTP/testhost.example",  "http/TESTHOST.Example",
        "HTTP/TESTHOST",          "HTTP/testhost.example:8080",
        "HTTP/testhost.example.", "cifs/testhost.example",
        "HTTP/localhost",         "HTTP/127.0.0.1",
    };
    size_t i;

    for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
        check_target_accepted(ours[i], GSS_C_NO_CREDENTIAL);
}

static void
test_binding_accepts_a_response_without_target_name(void)
{
    check_target_accepted(NULL, GSS_C_NO_CREDENTIAL);
}

static void
test_binding_with_a_named_acceptor_refuses_another_service(void)
{
    gss_cred_id_t cred = named_acceptor("HTTP@testhost.example");
    OM_uint32 min;

    check_target_accepted("HTTP/testhost.example", cred);
    check_target_accepted("http/localhost", cred);
    check_target_refused("cifs/testhost.example", cred, TARGET_MISMATCH);
    check_target_refused("host/testhost.example", cred, TARGET_MISMATCH);
    gss_release_cred(&min, &cred);
}

static void
test_binding_accepts_an_untrusted_target_name_of_ours(void)
{
    struct craft c = {.with_mic = true, .av_flags = NTLM_AVF_UNTRUSTED_SPN};
    struct login l;

    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
}

/*
 * Our initiator aimed at evil.example, and its AUTHENTICATE came back to our acceptor, which
 * issued the challenge it answers: NTLM reflection. The same initiator aimed at us logs in.
 */
static void
test_binding_refuses_a_reflected_logon(void)
{
    struct login l;

    gss_login_to("HTTP@evil.example", ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS,
                 GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_refused(&l, GSS_S_DEFECTIVE_CREDENTIAL, TARGET_REFLECTED);
    login_free(&l);
    gss_login(ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
}

static void
test_binding_required_refuses_a_response_without_target_name(void)
{
    check_target_refused(NULL, GSS_C_NO_CREDENTIAL, TARGET_MISSING);
    check_target_accepted("HTTP/testhost.example", GSS_C_NO_CREDENTIAL);
}

/* NTLMv1 has no AV pairs, so no room for a target name. */
static void
test_binding_required_refuses_ntlmv1(void)
{
    struct craft c = {.ntlmv1 = true};
    struct login l;

    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_refused(&l, GSS_S_BAD_BINDINGS, TARGET_MISSING);
    login_free(&l);
}

static void
test_binding_required_refuses_an_untrusted_target_name(void)
{
    struct craft c = {.with_mic = true, .av_flags = NTLM_AVF_UNTRUSTED_SPN};
    struct login l;

    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_refused(&l, GSS_S_BAD_BINDINGS, TARGET_MISSING);
    login_free(&l);
}

/* A NULL session proves no identity a relay could steal: the binding does not apply. */
static void
test_binding_required_leaves_anonymous_logons_to_the_anonymous_key(void)
{
    struct craft c = {.anonymous = true, .anonymous_lm_len = 1};
    struct login l;

    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    CU_ASSERT_EQUAL(l.major, GSS_S_COMPLETE);
    CU_ASSERT(l.flags & GSS_C_ANON_FLAG);
    login_free(&l);
}

static void
test_binding_ntlmv1_passes_when_present(void)
{
    struct craft c = {.ntlmv1 = true};
    struct login l;

    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
}

static void
test_binding_never_ignores_the_target_name(void)
{
    check_target_accepted("HTTP/evil.example", GSS_C_NO_CREDENTIAL);
    check_target_accepted(NULL, GSS_C_NO_CREDENTIAL);
}

static void
test_service_names_replace_the_derived_names(void)
{
    struct login l;

    check_target_accepted("HTTP/www.example.com", GSS_C_NO_CREDENTIAL);
    check_target_accepted("cifs/FILES.example.com", GSS_C_NO_CREDENTIAL);
    check_target_refused("HTTP/files.example.com", GSS_C_NO_CREDENTIAL, TARGET_MISMATCH);
    check_target_refused("HTTP/testhost.example", GSS_C_NO_CREDENTIAL, TARGET_MISMATCH);
    check_target_refused("HTTP/localhost", GSS_C_NO_CREDENTIAL, TARGET_MISMATCH);
    /* Our own initiator aimed at a name the list leaves out is a reflection too. */
    gss_login(ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_refused(&l, GSS_S_DEFECTIVE_CREDENTIAL, TARGET_REFLECTED);
    login_free(&l);
    gss_login_to("HTTP@www.example.com", ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS,
                 GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
}

/* ---------------------------------------------------------------------------------------- */
/* audit                                                                                    */
/* ---------------------------------------------------------------------------------------- */

static char *
read_audit(void)
{
    static char text[16384];
    size_t n;
    FILE *f = fopen(audit_path, "r");

    if (f == NULL)
        return NULL;
    n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

/* The n-th line (from 0) of text, copied into line. */
static bool
nth_line(const char *text, int n, char *line, size_t size)
{
    const char *end;

    for (; n > 0 && text != NULL; n--) {
        text = strchr(text, '\n');
        text = text != NULL ? text + 1 : NULL;
    }
    if (text == NULL || (end = strchr(text, '\n')) == NULL || (size_t)(end - text) >= size)
        return false;
    memcpy(line, text, (size_t)(end - text));
    line[end - text] = '\0';
    return true;
}

static bool
has_iso_time(const char *line)
{
    int y, mo, d, h, mi, s;
    char z = 0;

    return sscanf(line, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z) == 7 && z == 'Z';
}

static void
hex_of(const uint8_t *bytes, size_t n, char *out, bool upper)
{
    static const char lower_digits[] = "0123456789abcdef", upper_digits[] = "0123456789ABCDEF";
    const char *digits = upper ? upper_digits : lower_digits;
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0xf];
    }
    out[2 * n] = '\0';
}

/* The text must not hold password, nor its NT hash in hex of either case. */
static void
check_no_secret(const char *text, const char *password)
{
    uint8_t hash[16];
    char hex[33];

    CU_ASSERT_PTR_NULL(strstr(text, password));
    CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash(password, hash), 0);
    hex_of(hash, 16, hex, false);
    CU_ASSERT_PTR_NULL(strstr(text, hex));
    hex_of(hash, 16, hex, true);
    CU_ASSERT_PTR_NULL(strstr(text, hex));
}

static void
test_audit_file_gets_one_line_per_attempt_without_secrets(void)
{
    struct craft wrong = {.user = "bob", .password = "not-her-Secret", .with_mic = true};
    struct craft cut = {.truncated = true};
    char line[2048];
    struct login l;
    struct stat st;
    const char *text;

    gss_login(ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
    crafted_login(&wrong, GSS_C_NO_CHANNEL_BINDINGS, &l);
    CU_ASSERT_EQUAL(l.major, GSS_S_DEFECTIVE_CREDENTIAL);
    login_free(&l);
    crafted_login(&cut, GSS_C_NO_CHANNEL_BINDINGS, &l);
    CU_ASSERT(GSS_ERROR(l.major));
    login_free(&l);

    text = read_audit();
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_FATAL(nth_line(text, 0, line, sizeof(line)));
    CU_ASSERT(has_iso_time(line));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " workstation=\"TESTHOST\" user=\"TESTDOM\\alice\" "
                                        "version=v2 mic=verified cb=absent "
                                        "target=\"HTTP/testhost.example\" "
                                        "target_check=matched result=ok "));
    CU_ASSERT_FATAL(nth_line(text, 1, line, sizeof(line)));
    CU_ASSERT(has_iso_time(line));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " workstation=\"" CRAFT_WORKSTATION "\" "
                                        "user=\"TESTDOM\\bob\" version=v2 mic=not-checked "
                                        "cb=not-checked target=\"HTTP/testhost.example\" "
                                        "target_check=not-checked result=fail "
                                        "reason=\"wrong password\""));
    CU_ASSERT_FATAL(nth_line(text, 2, line, sizeof(line)));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " workstation=- user=- version=- "));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " target=- target_check=not-checked "));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " result=fail reason=\"malformed"));
    CU_ASSERT_FALSE(nth_line(text, 3, line, sizeof(line)));
    check_no_secret(text, TEST_PASSWORD);
    check_no_secret(text, "Secret-2");
    check_no_secret(text, "not-her-Secret");
    CU_ASSERT_EQUAL_FATAL(stat(audit_path, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
}

static void
test_audit_line_records_the_target_name_and_the_verdict(void)
{
    char line[2048];
    struct login l;
    const char *text;

    target_login("cifs/evil.example", GSS_C_NO_CREDENTIAL, &l);
    CU_ASSERT_EQUAL(l.major, GSS_S_BAD_BINDINGS);
    login_free(&l);
    gss_login_to("HTTP@evil.example", ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS,
                 GSS_C_NO_CHANNEL_BINDINGS, &l);
    CU_ASSERT_EQUAL(l.major, GSS_S_DEFECTIVE_CREDENTIAL);
    login_free(&l);
    target_login(NULL, GSS_C_NO_CREDENTIAL, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
    target_login("HTTP/TestHost.example", GSS_C_NO_CREDENTIAL, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);

    text = read_audit();
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_FATAL(nth_line(text, 0, line, sizeof(line)));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " target=\"cifs/evil.example\" target_check=mismatch "
                                        "result=fail reason=\"the client authenticated for "
                                        "another service or host"));
    CU_ASSERT_FATAL(nth_line(text, 1, line, sizeof(line)));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " target=\"HTTP/evil.example\" target_check=reflected "
                                        "result=fail reason=\"reflected logon refused"));
    CU_ASSERT_FATAL(nth_line(text, 2, line, sizeof(line)));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " target=- target_check=absent result=ok "));
    CU_ASSERT_FATAL(nth_line(text, 3, line, sizeof(line)));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(line, " target=\"HTTP/TestHost.example\" target_check=matched result=ok "));
    CU_ASSERT_FALSE(nth_line(text, 4, line, sizeof(line)));
}

static void
test_audit_none_writes_no_file(void)
{
    struct login l;

    gss_login(ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    login_free(&l);
    CU_ASSERT_EQUAL(access(audit_path, F_OK), -1);
}

/* ---------------------------------------------------------------------------------------- */
/* Authenticated names and local accounts (local_uid_min, local_map_domains)                 */
/* ---------------------------------------------------------------------------------------- */

/* Adds a line to the world's user file (the module re-reads it when it changes). */
static void
add_user_line(const char *line)
{
    FILE *f = fopen(getenv("NTLM_USER_FILE"), "a");

    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "%s\n", line);
    CU_ASSERT_EQUAL_FATAL(fclose(f), 0);
}

/* What gss_localname gives for the NTLM name text: the local account, or NULL with *major
 * and *minor saying why not. */
static char *
localname_of(const char *text, OM_uint32 *major, OM_uint32 *minor)
{
    gss_buffer_desc in = {strlen(text), (void *)text}, out = GSS_C_EMPTY_BUFFER;
    gss_name_t name = GSS_C_NO_NAME, mn = GSS_C_NO_NAME;
    OM_uint32 min;
    char *account = NULL;

    CU_ASSERT_EQUAL_FATAL(gss_import_name(&min, &in, GSS_C_NT_USER_NAME, &name), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(gss_canonicalize_name(&min, name, gss_test_ntlm_oid, &mn),
                          GSS_S_COMPLETE);
    *major = gss_localname(minor, mn, gss_test_ntlm_oid, &out);
    if (*major == GSS_S_COMPLETE)
        account = strndup(out.value, out.length);
    gss_release_buffer(&min, &out);
    gss_release_name(&min, &mn);
    gss_release_name(&min, &name);
    return account;
}

static void
check_maps_to(const char *name, const char *want)
{
    OM_uint32 major, minor;
    char *account = localname_of(name, &major, &minor);

    CU_ASSERT_EQUAL(major, GSS_S_COMPLETE);
    if (account == NULL || strcmp(account, want) != 0) {
        fprintf(stderr, "\n  %s maps to %s, wanted %s\n", name, account ? account : "nothing",
                want);
        CU_FAIL("unexpected local account");
    }
    free(account);
}

static void
check_maps_to_nothing(const char *name, const char *want_minor)
{
    OM_uint32 major, minor;
    char *account = localname_of(name, &major, &minor);

    if (account != NULL)
        fprintf(stderr, "\n  %s maps to %s, wanted none\n", name, account);
    CU_ASSERT_PTR_NULL(account);
    CU_ASSERT_EQUAL(major, GSS_S_UNAVAILABLE);
    check_minor(minor, want_minor);
    free(account);
}

#define BELOW_UID_MIN "no local account: the account's uid is below local_uid_min"
#define FOREIGN_DOMAIN "no local account: the name's domain is neither the acceptor's own"

/* "nobody" where it is a regular-range account (65534 on Debian), else NULL: its checks skip. */
static const char *
regular_account(void)
{
    const struct passwd *pw = getpwnam("nobody");

    return pw != NULL && pw->pw_uid >= 1000 ? "nobody" : NULL;
}

static void
test_a_user_without_a_domain_authenticates_in_the_acceptor_domain(void)
{
    struct login l;

    add_user_line(":carol:" TEST_PASSWORD);
    /* The domain the client sends chooses nothing: one account, one name. */
    gss_login("CORP\\carol", TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS,
              &l);
    check_logged_in(&l, "TESTDOM\\carol");
    login_free(&l);
    gss_login("BANK\\carol", TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS,
              &l);
    check_logged_in(&l, "TESTDOM\\carol");
    login_free(&l);
    /* An entry with a domain keeps its own. */
    add_user_line("BANK:dave:" TEST_PASSWORD);
    gss_login("bank\\dave", TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS,
              &l);
    check_logged_in(&l, "BANK\\dave");
    login_free(&l);
}

static void
test_a_name_with_a_backslash_or_control_character_is_refused(void)
{
    static const char *const domains[] = {"TEST\\DOM", "TESTDOM\x01", "TESTDOM\n", "\xc2\x9b"};
    struct craft c = {0};
    struct login l;
    size_t i;

    /* An entry for any domain, which the client's domain cannot miss. */
    add_user_line(":frank:" TEST_PASSWORD);
    c.user = "frank";
    for (i = 0; i < sizeof(domains) / sizeof(domains[0]); i++) {
        c.domain = domains[i];
        crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
        check_refused(&l, GSS_S_DEFECTIVE_CREDENTIAL,
                      "the user or domain name contains a backslash or a control character");
        login_free(&l);
    }
    c.domain = NULL;
    c.user = "fr\\ank";
    crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_refused(&l, GSS_S_DEFECTIVE_CREDENTIAL, "the user or domain name contains");
    login_free(&l);
}

static void
test_localname_refuses_root_system_accounts_and_foreign_domains(void)
{
    const char *regular = regular_account();
    char name[64];

    check_maps_to_nothing("TESTDOM\\root", BELOW_UID_MIN);
    check_maps_to_nothing("root", BELOW_UID_MIN);
    check_maps_to_nothing("ANYDOMAIN\\root", FOREIGN_DOMAIN);
    if (getpwnam("daemon") != NULL)
        check_maps_to_nothing("TESTDOM\\daemon", BELOW_UID_MIN);
    /* A name that is no account's maps to itself: it opens no account. */
    check_maps_to("TESTDOM\\sspigss-no-such-account", "sspigss-no-such-account");
    check_maps_to("alice@testdom", "alice");
    if (regular == NULL)
        return;
    snprintf(name, sizeof(name), "TESTDOM\\%s", regular);
    check_maps_to(name, regular);
    snprintf(name, sizeof(name), "PARTNER\\%s", regular);
    check_maps_to_nothing(name, FOREIGN_DOMAIN);
}

static void
test_an_authenticated_user_maps_in_the_acceptor_domain(void)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    struct login l;
    OM_uint32 min;

    add_user_line(":erin:" TEST_PASSWORD);
    gss_login("PARTNER\\erin", TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS,
              &l);
    check_logged_in(&l, "TESTDOM\\erin");
    CU_ASSERT_EQUAL(gss_localname(&min, l.src, gss_test_ntlm_oid, &out), GSS_S_COMPLETE);
    CU_ASSERT(out.length == 4 && memcmp(out.value, "erin", 4) == 0);
    gss_release_buffer(&min, &out);
    login_free(&l);
}

static void
test_local_uid_min_zero_maps_root_in_our_domain_only(void)
{
    check_maps_to("TESTDOM\\root", "root");
    check_maps_to("root", "root");
    check_maps_to_nothing("ANYDOMAIN\\root", FOREIGN_DOMAIN);
}

static void
test_local_map_domains_adds_the_domains_listed(void)
{
    const char *regular = regular_account();
    char name[64];

    check_maps_to_nothing("PARTNER\\root", BELOW_UID_MIN);
    if (regular == NULL)
        return;
    snprintf(name, sizeof(name), "partner\\%s", regular);
    check_maps_to(name, regular);
    snprintf(name, sizeof(name), "%s@CORP.EXAMPLE", regular);
    check_maps_to(name, regular);
    snprintf(name, sizeof(name), "OTHER\\%s", regular);
    check_maps_to_nothing(name, FOREIGN_DOMAIN);
}

static void
test_local_map_domains_star_maps_every_domain_above_the_floor(void)
{
    const char *regular = regular_account();
    char name[64];

    check_maps_to_nothing("ANYDOMAIN\\root", BELOW_UID_MIN);
    if (regular == NULL)
        return;
    snprintf(name, sizeof(name), "ANYDOMAIN\\%s", regular);
    check_maps_to(name, regular);
}

/* ---------------------------------------------------------------------------------------- */
/* min_session_security                                                                     */
/* ---------------------------------------------------------------------------------------- */

/* What a man in the middle strips to force 40-bit keys, or to drop extended session security. */
#define KEY_BITS (NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56)
#define ESS NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY
#define WEAK_TEXT "signing or sealing negotiated without 128-bit keys or without extended"

/* Our initiator's answer to our acceptor's CHALLENGE with the flags in strip cleared. */
static OM_uint32
initiator_answers_stripped_challenge(uint32_t strip, OM_uint32 *minor)
{
    gss_buffer_desc nbuf = {21, "HTTP@testhost.example"};
    gss_buffer_desc neg = GSS_C_EMPTY_BUFFER, chal = GSS_C_EMPTY_BUFFER, auth = GSS_C_EMPTY_BUFFER;
    gss_cred_id_t cred = gss_test_password_cred(ALICE, TEST_PASSWORD);
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    gss_name_t target = GSS_C_NO_NAME;
    OM_uint32 major, min;
    uint8_t *flags;

    CU_ASSERT_EQUAL_FATAL(gss_import_name(&min, &nbuf, GSS_C_NT_HOSTBASED_SERVICE, &target),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(gss_init_sec_context(&min, cred, &ictx, target, gss_test_ntlm_oid,
                                               GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG, 0, NULL,
                                               GSS_C_NO_BUFFER, NULL, &neg, NULL, NULL),
                          GSS_S_CONTINUE_NEEDED);
    CU_ASSERT_EQUAL_FATAL(gss_accept_sec_context(&min, &actx, GSS_C_NO_CREDENTIAL, &neg, NULL, NULL,
                                                 NULL, &chal, NULL, NULL, NULL),
                          GSS_S_CONTINUE_NEEDED);
    CU_ASSERT_FATAL(chal.length >= 24);
    /* CHALLENGE: signature, type, TargetNameFields, then NegotiateFlags at offset 20. */
    flags = (uint8_t *)chal.value + 20;
    ntlm_put_le32(flags, ntlm_get_le32(flags) & ~strip);
    major = gss_init_sec_context(minor, cred, &ictx, target, gss_test_ntlm_oid,
                                 GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG, 0, NULL, &chal, NULL, &auth,
                                 NULL, NULL);
    gss_release_buffer(&min, &neg);
    gss_release_buffer(&min, &chal);
    gss_release_buffer(&min, &auth);
    gss_delete_sec_context(&min, &ictx, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&min, &actx, GSS_C_NO_BUFFER);
    gss_release_name(&min, &target);
    gss_release_cred(&min, &cred);
    return major;
}

static void
test_min_session_security_never_grants_40_bit_keys_or_no_ess_by_default(void)
{
    static const uint32_t stripped[] = {KEY_BITS, ESS};
    struct craft c = {0};
    struct login l;
    OM_uint32 minor = 0;
    size_t i;

    for (i = 0; i < sizeof(stripped) / sizeof(stripped[0]); i++) {
        /* Stripped from the NEGOTIATE: the logon works, without signing or sealing. */
        c = (struct craft){.negotiate_drop = stripped[i]};
        crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
        check_logged_in(&l, ALICE);
        CU_ASSERT_FALSE(l.flags & (GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG));
        login_free(&l);
        /* Withdrawn in the AUTHENTICATE (no MIC protects its flags): refused. */
        c = (struct craft){.authenticate_drop = stripped[i]};
        crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
        check_refused(&l, GSS_S_DEFECTIVE_TOKEN, WEAK_TEXT);
        login_free(&l);
        /* Stripped from the CHALLENGE our initiator gets. */
        CU_ASSERT_EQUAL(initiator_answers_stripped_challenge(stripped[i], &minor),
                        GSS_S_DEFECTIVE_TOKEN);
        check_minor(minor, WEAK_TEXT);
    }
    /* The full set logs in with sealing. */
    gss_login(ALICE, TEST_PASSWORD, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_logged_in(&l, ALICE);
    CU_ASSERT(l.flags & GSS_C_CONF_FLAG);
    login_free(&l);
}

static void
test_min_session_security_none_accepts_40_bit_keys_and_no_ess(void)
{
    static const uint32_t stripped[] = {KEY_BITS, ESS};
    struct craft c;
    struct login l;
    OM_uint32 minor = 0;
    size_t i;

    for (i = 0; i < sizeof(stripped) / sizeof(stripped[0]); i++) {
        c = (struct craft){.negotiate_drop = stripped[i]};
        crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
        check_logged_in(&l, ALICE);
        CU_ASSERT(l.flags & GSS_C_CONF_FLAG);
        login_free(&l);
        c = (struct craft){.authenticate_drop = stripped[i]};
        crafted_login(&c, GSS_C_NO_CHANNEL_BINDINGS, &l);
        check_logged_in(&l, ALICE);
        login_free(&l);
        CU_ASSERT_EQUAL(initiator_answers_stripped_challenge(stripped[i], &minor), GSS_S_COMPLETE);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* lockout_threshold, lockout_window, lockout_duration                                      */
/* ---------------------------------------------------------------------------------------- */

#define LOCKED_MINOR "locked out: too many failed logons"

static void
wrong_logins(const char *user, unsigned n)
{
    struct login l;

    while (n--) {
        gss_login(user, "not-the-password", GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS,
                  &l);
        check_refused(&l, GSS_S_DEFECTIVE_CREDENTIAL, "wrong password");
        login_free(&l);
    }
}

static void
check_right_password(const char *user, const char *password, bool want_locked)
{
    struct login l;

    gss_login(user, password, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS, &l);
    if (want_locked)
        check_refused(&l, GSS_S_DEFECTIVE_CREDENTIAL, LOCKED_MINOR);
    else
        check_logged_in(&l, user);
    login_free(&l);
}

/* The guesser, with the defaults: ten wrong passwords, then the right one. */
static void
test_lockout_by_default_refuses_the_right_password_after_ten_wrong_ones(void)
{
    wrong_logins(ALICE, 9);
    check_right_password(ALICE, TEST_PASSWORD, false);
    wrong_logins(ALICE, 10);
    check_right_password(ALICE, TEST_PASSWORD, true);
    check_right_password(TEST_DOMAIN "\\bob", "Secret-2", false);
}

/* lockout_threshold = 3, lockout_window = lockout_duration = 2 s, audit to a file. */
static void
test_lockout_refuses_the_right_password_until_the_duration_has_passed(void)
{
    struct login l;
    char line[2048];
    const char *text;

    wrong_logins(ALICE, 3);
    check_right_password(ALICE, TEST_PASSWORD, true);
    /* Guesses while locked out neither count nor extend it. */
    gss_login(ALICE, "not-the-password", GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_refused(&l, GSS_S_DEFECTIVE_CREDENTIAL, LOCKED_MINOR);
    login_free(&l);
    check_right_password(TEST_DOMAIN "\\bob", "Secret-2", false);
    sleep(3);
    check_right_password(ALICE, TEST_PASSWORD, false);
    /* The success reset the count: two more failures do not lock. */
    wrong_logins(ALICE, 2);
    check_right_password(ALICE, TEST_PASSWORD, false);

    text = read_audit();
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_FATAL(nth_line(text, 2, line, sizeof(line)));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " result=fail reason=\"wrong password\" lockout=started"));
    CU_ASSERT_FATAL(nth_line(text, 3, line, sizeof(line)));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " user=\"TESTDOM\\alice\" "));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " result=fail reason=\"locked out: "));
    CU_ASSERT_FATAL(nth_line(text, 4, line, sizeof(line)));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " result=fail reason=\"locked out: "));
    CU_ASSERT_FATAL(nth_line(text, 6, line, sizeof(line)));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " user=\"TESTDOM\\alice\" "));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " result=ok "));
}

static void
test_lockout_threshold_zero_lets_every_guess_through(void)
{
    wrong_logins(ALICE, 20);
    check_right_password(ALICE, TEST_PASSWORD, false);
}

/* A state_dir the server cannot use: each process counts alone, but lockout still applies. */
static void
test_lockout_without_a_usable_state_dir_still_locks_within_the_process(void)
{
    wrong_logins(ALICE, 3);
    check_right_password(ALICE, TEST_PASSWORD, true);
}

/*
 * Apache's workers are processes: failures in three children (each loading the module for
 * itself, through its own mechglue) lock the account for the parent, which loads it last.
 */
static void
test_lockout_counts_failures_of_every_process_of_the_server(void)
{
    int status, i;
    pid_t pid;

    for (i = 0; i < 3; i++) {
        fflush(NULL);
        pid = fork();
        CU_ASSERT_FATAL(pid >= 0);
        if (pid == 0) {
            struct login l;

            gss_login(ALICE, "not-the-password", GSS_C_NO_CHANNEL_BINDINGS,
                      GSS_C_NO_CHANNEL_BINDINGS, &l);
            _exit(l.major == GSS_S_DEFECTIVE_CREDENTIAL ? 0 : 1);
        }
        CU_ASSERT_EQUAL_FATAL(waitpid(pid, &status, 0), pid);
        CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    check_right_password(ALICE, TEST_PASSWORD, true);
}

/*
 * An unknown user costs what a wrong password does: its response goes through the same
 * verification (against a hash no account has), as the debug trace shows, and fails as
 * unknown even when computed from that hash.
 */
static void
test_an_unknown_user_goes_through_the_password_verification(void)
{
    struct login l;
    const char *text;

    gss_login(TEST_DOMAIN "\\nobody", "whatever", GSS_C_NO_CHANNEL_BINDINGS,
              GSS_C_NO_CHANNEL_BINDINGS, &l);
    check_refused(&l, GSS_S_DEFECTIVE_CREDENTIAL, "unknown user");
    login_free(&l);
    wrong_logins(ALICE, 1);
    text = read_audit();
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "accept: password verification (NTLMv2): unknown user"));
    /* A known user's wrong password takes the same step. */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "accept: password verification (NTLMv2): wrong password"));
}

/* ---------------------------------------------------------------------------------------- */
/* The cases                                                                                */
/* ---------------------------------------------------------------------------------------- */

struct policy_case {
    const char *name;
    const char *setting;    /* the ntlm.conf line */
    bool append_audit_path; /* ... followed by the audit file's path */
    CU_TestInfo tests[8];
};

static struct policy_case cases[] = {
    {"mic=when_present",
     "mic = when_present",
     false,
     {{"mic when_present accepts an authenticate without mic",
       test_mic_when_present_accepts_an_authenticate_without_mic},
      {"mic is verified when the client announces it",
       test_mic_is_verified_when_the_client_announces_it},
      CU_TEST_INFO_NULL}},
    {"mic=always",
     "mic = always",
     false,
     {{"mic always rejects an authenticate without mic",
       test_mic_always_rejects_an_authenticate_without_mic},
      {"mic is verified when the client announces it",
       test_mic_is_verified_when_the_client_announces_it},
      {"mic always accepts our initiator", test_mic_always_accepts_our_initiator},
      CU_TEST_INFO_NULL}},
    {"channel_bindings=never",
     "channel_bindings = never",
     false,
     {{"bindings never accepts a mismatch unbound", test_bindings_never_accepts_a_mismatch_unbound},
      CU_TEST_INFO_NULL}},
    {"channel_bindings=when_supported",
     "channel_bindings = when_supported",
     false,
     {{"bindings when_supported rejects a mismatch and allows one side without",
       test_bindings_when_supported_rejects_a_mismatch_and_allows_one_side_without},
      CU_TEST_INFO_NULL}},
    {"channel_bindings=always",
     "channel_bindings = always",
     false,
     {{"bindings always rejects a client without bindings",
       test_bindings_always_rejects_a_client_without_bindings},
      {"bindings always rejects an acceptor without bindings",
       test_bindings_always_rejects_an_acceptor_without_bindings},
      {"bindings always accepts matching bindings and rejects others",
       test_bindings_always_accepts_matching_bindings_and_rejects_others},
      CU_TEST_INFO_NULL}},
    {"replay_window=300",
     "replay_window = 300",
     false,
     {{"replay window rejects a timestamp an hour old or ahead",
       test_replay_window_rejects_a_timestamp_an_hour_old_or_ahead},
      {"replay window accepts a timestamp inside it",
       test_replay_window_accepts_a_timestamp_inside_it},
      CU_TEST_INFO_NULL}},
    {"replay_window=0",
     "replay_window = 0",
     false,
     {{"replay window zero accepts any timestamp", test_replay_window_zero_accepts_any_timestamp},
      CU_TEST_INFO_NULL}},
    {"anonymous=no",
     "anonymous = no",
     false,
     {{"anonymous no rejects a null session", test_anonymous_no_rejects_a_null_session},
      CU_TEST_INFO_NULL}},
    {"anonymous=yes",
     "anonymous = yes",
     false,
     {{"anonymous yes accepts a null session without session security",
       test_anonymous_yes_accepts_a_null_session_without_session_security},
      {"anonymous yes still refuses an lm response",
       test_anonymous_yes_still_refuses_an_lm_response},
      {"anonymous yes leaves user logons alone", test_anonymous_yes_leaves_user_logons_alone},
      CU_TEST_INFO_NULL}},
    {"service_binding=default",
     "",
     false,
     {{"binding refuses a target name for another host",
       test_binding_refuses_a_target_name_for_another_host},
      {"binding accepts the acceptors own names in any case",
       test_binding_accepts_the_acceptors_own_names_in_any_case},
      {"binding accepts a response without target name",
       test_binding_accepts_a_response_without_target_name},
      {"binding refuses a reflected logon", test_binding_refuses_a_reflected_logon},
      CU_TEST_INFO_NULL}},
    {"service_binding=when_present",
     "service_binding = when_present\nntlmv1 = yes",
     false,
     {{"binding refuses a target name for another host",
       test_binding_refuses_a_target_name_for_another_host},
      {"binding accepts a response without target name",
       test_binding_accepts_a_response_without_target_name},
      {"binding with a named acceptor refuses another service",
       test_binding_with_a_named_acceptor_refuses_another_service},
      {"binding accepts an untrusted target name of ours",
       test_binding_accepts_an_untrusted_target_name_of_ours},
      {"binding ntlmv1 passes when present", test_binding_ntlmv1_passes_when_present},
      {"binding refuses a reflected logon", test_binding_refuses_a_reflected_logon},
      CU_TEST_INFO_NULL}},
    {"service_binding=required",
     "service_binding = required\nntlmv1 = yes\nanonymous = yes",
     false,
     {{"binding required refuses a response without target name",
       test_binding_required_refuses_a_response_without_target_name},
      {"binding required refuses ntlmv1", test_binding_required_refuses_ntlmv1},
      {"binding required refuses an untrusted target name",
       test_binding_required_refuses_an_untrusted_target_name},
      {"binding required leaves anonymous logons to the anonymous key",
       test_binding_required_leaves_anonymous_logons_to_the_anonymous_key},
      {"binding refuses a target name for another host",
       test_binding_refuses_a_target_name_for_another_host},
      {"binding refuses a reflected logon", test_binding_refuses_a_reflected_logon},
      CU_TEST_INFO_NULL}},
    {"service_binding=never",
     "service_binding = never",
     false,
     {{"binding never ignores the target name", test_binding_never_ignores_the_target_name},
      {"binding refuses a reflected logon", test_binding_refuses_a_reflected_logon},
      CU_TEST_INFO_NULL}},
    {"service_names=list",
     "service_names = HTTP/www.example.com, cifs/files.example.com",
     false,
     {{"service names replace the derived names", test_service_names_replace_the_derived_names},
      CU_TEST_INFO_NULL}},
    {"service_binding=audit",
     "audit = ",
     true,
     {{"audit line records the target name and the verdict",
       test_audit_line_records_the_target_name_and_the_verdict},
      CU_TEST_INFO_NULL}},
    {"user_file_permissions=strict",
     "user_file_permissions = strict",
     false,
     {{"strict permissions refuse a user file others can read",
       test_strict_permissions_refuse_a_user_file_others_can_read},
      CU_TEST_INFO_NULL}},
    {"user_file_permissions=relaxed",
     "user_file_permissions = relaxed",
     false,
     {{"relaxed permissions accept a user file others can read",
       test_relaxed_permissions_accept_a_user_file_others_can_read},
      CU_TEST_INFO_NULL}},
    {"audit=file",
     "audit = ",
     true,
     {{"audit file gets one line per attempt without secrets",
       test_audit_file_gets_one_line_per_attempt_without_secrets},
      CU_TEST_INFO_NULL}},
    {"audit=none",
     "audit = none",
     false,
     {{"audit none writes no file", test_audit_none_writes_no_file}, CU_TEST_INFO_NULL}},
    {"names",
     "# local_uid_min and local_map_domains at their defaults",
     false,
     {{"a user without a domain authenticates in the acceptor domain",
       test_a_user_without_a_domain_authenticates_in_the_acceptor_domain},
      {"a name with a backslash or control character is refused",
       test_a_name_with_a_backslash_or_control_character_is_refused},
      {"localname refuses root, system accounts and foreign domains",
       test_localname_refuses_root_system_accounts_and_foreign_domains},
      {"an authenticated user maps in the acceptor domain",
       test_an_authenticated_user_maps_in_the_acceptor_domain},
      CU_TEST_INFO_NULL}},
    {"local_uid_min=0",
     "local_uid_min = 0",
     false,
     {{"local_uid_min zero maps root in our domain only",
       test_local_uid_min_zero_maps_root_in_our_domain_only},
      CU_TEST_INFO_NULL}},
    {"local_map_domains=PARTNER,corp.example",
     "local_map_domains = PARTNER, corp.example",
     false,
     {{"local_map_domains adds the domains listed", test_local_map_domains_adds_the_domains_listed},
      CU_TEST_INFO_NULL}},
    {"local_map_domains=*",
     "local_map_domains = *",
     false,
     {{"local_map_domains star maps every domain above the floor",
       test_local_map_domains_star_maps_every_domain_above_the_floor},
      CU_TEST_INFO_NULL}},
    {"min_session_security=default",
     "# min_session_security: the default (128bit, ess)",
     false,
     {{"min_session_security never grants 40-bit keys or no ESS by default",
       test_min_session_security_never_grants_40_bit_keys_or_no_ess_by_default},
      CU_TEST_INFO_NULL}},
    {"min_session_security=none",
     "min_session_security = none",
     false,
     {{"min_session_security none accepts 40-bit keys and no ESS",
       test_min_session_security_none_accepts_40_bit_keys_and_no_ess},
      CU_TEST_INFO_NULL}},
    {"lockout=defaults",
     "",
     false,
     {{"lockout by default refuses the right password after ten wrong ones",
       test_lockout_by_default_refuses_the_right_password_after_ten_wrong_ones},
      CU_TEST_INFO_NULL}},
    {"lockout_threshold=3",
     "lockout_threshold = 3\nlockout_window = 2\nlockout_duration = 2\naudit = ",
     true,
     {{"lockout refuses the right password until the duration has passed",
       test_lockout_refuses_the_right_password_until_the_duration_has_passed},
      CU_TEST_INFO_NULL}},
    {"lockout_threshold=0",
     "lockout_threshold = 0",
     false,
     {{"lockout threshold zero lets every guess through",
       test_lockout_threshold_zero_lets_every_guess_through},
      CU_TEST_INFO_NULL}},
    {"lockout=fallback",
     "lockout_threshold = 3\nstate_dir = /proc/self/no-such-dir/state",
     false,
     {{"lockout without a usable state dir still locks within the process",
       test_lockout_without_a_usable_state_dir_still_locks_within_the_process},
      CU_TEST_INFO_NULL}},
    {"lockout=processes",
     "lockout_threshold = 3",
     false,
     {{"lockout counts failures of every process of the server",
       test_lockout_counts_failures_of_every_process_of_the_server},
      CU_TEST_INFO_NULL}},
    {"unknown_user=verified",
     "debug = ",
     true,
     {{"an unknown user goes through the password verification",
       test_an_unknown_user_goes_through_the_password_verification},
      CU_TEST_INFO_NULL}},
};

#define CASE_COUNT (sizeof(cases) / sizeof(cases[0]))

static void
usage(void)
{
    size_t i;

    fprintf(stderr, "usage: test_gss_policy CASE (--list prints them), one of:\n");
    for (i = 0; i < CASE_COUNT; i++)
        fprintf(stderr, "  %s\n", cases[i].name);
}

int
main(int argc, char **argv)
{
    struct policy_case *c = NULL;
    int status = 99;
    size_t i;

    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (i = 0; i < CASE_COUNT; i++)
            printf("%s\n", cases[i].name);
        return 0;
    }
    for (i = 0; argc == 2 && i < CASE_COUNT; i++) {
        if (strcmp(argv[1], cases[i].name) == 0)
            c = &cases[i];
    }
    if (c == NULL) {
        usage();
        return 99;
    }
    world = gss_test_env_setup();
    if (world == NULL)
        return 99;
    snprintf(audit_path, sizeof(audit_path), "%s/audit.log", world);
    snprintf(
        config_text, sizeof(config_text),
        "netbios_name = TESTHOST\ndns_name = testhost.example\nnetbios_domain = TESTDOM\n%s%s\n",
        c->setting, c->append_audit_path ? audit_path : "");
    if (gss_test_env_write_config(config_text) == 0)
        status = test_run_suite(c->name, c->tests);
    unlink(audit_path);
    gss_test_env_teardown();
    return status;
}
