/*
 * Credentials (mech/gss/ntlm_creds.c) acquired and inquired directly, without the mechglue:
 * where an initiator's user and secret come from, what an acceptor part holds, which
 * configuration a credential runs under, and the statuses of what cannot be had.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ntlm_auth.h"
#include "ntlm_errors.h"
#include "ntlm_gss.h"
#include "test_util.h"
#include "unit_files.h"

#define BASE                                                                                       \
    "netbios_name = TESTHOST\ndns_name = testhost.example\nnetbios_domain = TESTDOM\n"             \
    "audit = none\nstate_dir = %s\n"

static const char *dir, *conf_path, *users_path, *other_users, *no_file_conf, *fallback_conf,
    *broken_conf;

/* A store of up to two key/value pairs (NULL key: unused). */
struct store {
    gss_key_value_element_desc elements[2];
    gss_key_value_set_desc set;
};

static gss_const_key_value_set_t
store_of(struct store *s, const char *k1, const char *v1, const char *k2, const char *v2)
{
    s->elements[0] = (gss_key_value_element_desc){k1, v1};
    s->elements[1] = (gss_key_value_element_desc){k2, v2};
    s->set = (gss_key_value_set_desc){k2 != NULL ? 2 : 1, s->elements};
    return k1 != NULL ? &s->set : GSS_C_NO_CRED_STORE;
}

static gss_name_t
name_of(const char *text, gss_OID type)
{
    gss_buffer_desc buf = {strlen(text), (void *)text};
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 min;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_import_name(&min, &buf, type, &name), GSS_S_COMPLETE);
    return name;
}

/* Acquires for usage as the user named by text (NULL: the default), under store. */
static OM_uint32
acquire(const char *text, gss_cred_usage_t usage, gss_const_key_value_set_t store,
        struct ntlm_cred **cred, OM_uint32 *minor)
{
    gss_name_t name = text != NULL ? name_of(text, GSS_C_NT_USER_NAME) : GSS_C_NO_NAME;
    OM_uint32 major, min;

    *cred = NULL;
    major = ntlm_gss_acquire_cred_from(minor, name, 0, GSS_C_NO_OID_SET, usage, store,
                                       (gss_cred_id_t *)cred, NULL, NULL);
    ntlm_gss_release_name(&min, &name);
    return major;
}

static void
release(struct ntlm_cred **cred)
{
    OM_uint32 min;

    ntlm_gss_release_cred(&min, (gss_cred_id_t *)cred);
}

static void
test_an_initiator_s_secret_comes_from_the_store_before_the_user_file(void)
{
    static const struct {
        const char *key, *value, *password;
    } rows[] = {
        {"ntlmssp_password", "Store-1", "Store-1"},
        /* MD4(UTF-16LE("Passw0rd!")) in hex (openssl dgst -md4), as gss-ntlmssp takes it */
        {"ntlmssp_nthash", "fc525c9683e8fe067095ba2ddc971889", "Passw0rd!"},
        {NULL, NULL, "Passw0rd!"},
    };
    struct ntlm_cred *cred;
    struct store s;
    uint8_t want[16];
    OM_uint32 minor;
    size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        CU_ASSERT_EQUAL_FATAL(acquire("TESTDOM\\alice", GSS_C_INITIATE,
                                      store_of(&s, rows[i].key, rows[i].value, NULL, NULL), &cred,
                                      &minor),
                              GSS_S_COMPLETE);
        CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash(rows[i].password, want), 0);
        CU_ASSERT(cred->have_nt_hash);
        CU_ASSERT_EQUAL(memcmp(cred->nt_hash, want, 16), 0);
        CU_ASSERT_EQUAL(cred->usage, GSS_C_INITIATE);
        CU_ASSERT_PTR_NULL(cred->acceptor_name);
        release(&cred);
    }
    /* A hash that is not 32 hex digits is no secret at all. */
    CU_ASSERT_EQUAL(acquire("TESTDOM\\alice", GSS_C_INITIATE,
                            store_of(&s, "ntlmssp_nthash", "fc525c96", NULL, NULL), &cred, &minor),
                    GSS_S_NO_CRED);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_INVALID_ARG);
    CU_ASSERT_PTR_NULL(cred);
}

static void
test_the_store_s_keyfile_replaces_the_configuration_s_user_file(void)
{
    struct ntlm_cred *cred;
    struct store s;
    OM_uint32 minor;

    CU_ASSERT_EQUAL(acquire("TESTDOM\\alice", GSS_C_INITIATE,
                            store_of(&s, "ntlmssp_keyfile", other_users, NULL, NULL), &cred,
                            &minor),
                    GSS_S_NO_CRED);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_NO_USER_CREDS);
    CU_ASSERT_EQUAL(acquire("TESTDOM\\bob", GSS_C_INITIATE,
                            store_of(&s, "ntlmssp_keyfile", other_users, NULL, NULL), &cred,
                            &minor),
                    GSS_S_COMPLETE);
    release(&cred);
    /* Without any user file an initiator has no secret to find. */
    CU_ASSERT_EQUAL(acquire("TESTDOM\\alice", GSS_C_INITIATE,
                            store_of(&s, "sspigss_config", no_file_conf, NULL, NULL), &cred,
                            &minor),
                    GSS_S_NO_CRED);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_NO_USER_CREDS);
}

static void
test_a_user_listed_under_a_domain_takes_that_domain(void)
{
    struct ntlm_cred *cred;
    OM_uint32 minor;

    CU_ASSERT_EQUAL_FATAL(acquire("alice", GSS_C_INITIATE, GSS_C_NO_CRED_STORE, &cred, &minor),
                          GSS_S_COMPLETE);
    CU_ASSERT_STRING_EQUAL(cred->user->user, "alice");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cred->user->domain);
    CU_ASSERT_STRING_EQUAL(cred->user->domain, "TESTDOM");
    release(&cred);
}

static void
test_the_default_initiator_is_ntlmuser_else_the_login_name(void)
{
    struct passwd *pw = getpwuid(geteuid());
    struct ntlm_cred *cred;
    struct store s;
    OM_uint32 minor;

    setenv("NTLMUSER", "TESTDOM\\alice", 1);
    CU_ASSERT_EQUAL_FATAL(acquire(NULL, GSS_C_INITIATE, GSS_C_NO_CRED_STORE, &cred, &minor),
                          GSS_S_COMPLETE);
    CU_ASSERT_STRING_EQUAL(cred->user->user, "alice");
    CU_ASSERT_STRING_EQUAL(cred->user->domain, "TESTDOM");
    release(&cred);
    /* A bare NTLMUSER takes the store's domain. */
    setenv("NTLMUSER", "carol", 1);
    CU_ASSERT_EQUAL_FATAL(acquire(NULL, GSS_C_INITIATE,
                                  store_of(&s, "ntlmssp_password", "x", "ntlmssp_domain", "OTHER"),
                                  &cred, &minor),
                          GSS_S_COMPLETE);
    CU_ASSERT_STRING_EQUAL(cred->user->user, "carol");
    CU_ASSERT_STRING_EQUAL(cred->user->domain, "OTHER");
    release(&cred);
    unsetenv("NTLMUSER");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pw);
    CU_ASSERT_EQUAL_FATAL(acquire(NULL, GSS_C_INITIATE,
                                  store_of(&s, "ntlmssp_password", "x", NULL, NULL), &cred, &minor),
                          GSS_S_COMPLETE);
    CU_ASSERT_STRING_EQUAL(cred->user->user, pw->pw_name);
    CU_ASSERT_PTR_NULL(cred->user->domain);
    release(&cred);
}

static void
test_only_a_user_name_can_be_an_initiator(void)
{
    gss_name_t service = name_of("HTTP@testhost.example", GSS_C_NT_HOSTBASED_SERVICE);
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor, min;

    CU_ASSERT_EQUAL(ntlm_gss_acquire_cred_from(&minor, service, 0, GSS_C_NO_OID_SET, GSS_C_INITIATE,
                                               GSS_C_NO_CRED_STORE, &cred, NULL, NULL),
                    GSS_S_BAD_NAME);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_BAD_NAME);
    CU_ASSERT_PTR_NULL(cred);
    ntlm_gss_release_name(&min, &service);
}

static void
test_an_acceptor_is_host_at_this_host_unless_named(void)
{
    gss_name_t http = name_of("HTTP@web.example", GSS_C_NT_HOSTBASED_SERVICE);
    gss_cred_id_t named = GSS_C_NO_CREDENTIAL;
    struct ntlm_cred *cred;
    struct store s;
    OM_uint32 minor, min;

    CU_ASSERT_EQUAL_FATAL(acquire(NULL, GSS_C_ACCEPT, GSS_C_NO_CRED_STORE, &cred, &minor),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(cred->acceptor_name->kind, NTLM_NAME_SERVICE);
    CU_ASSERT_STRING_EQUAL(cred->acceptor_name->user, "host");
    CU_ASSERT_STRING_EQUAL(cred->acceptor_name->domain, "testhost.example");
    CU_ASSERT_PTR_NULL(cred->user);
    /* The configuration's user file is looked up at each logon, under the settings then. */
    CU_ASSERT_PTR_NULL(cred->userdb);
    release(&cred);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_acquire_cred_from(&minor, http, 0, GSS_C_NO_OID_SET,
                                                     GSS_C_ACCEPT, GSS_C_NO_CRED_STORE, &named,
                                                     NULL, NULL),
                          GSS_S_COMPLETE);
    CU_ASSERT_STRING_EQUAL(((struct ntlm_cred *)named)->acceptor_name->domain, "web.example");
    ntlm_gss_release_cred(&min, &named);
    ntlm_gss_release_name(&min, &http);
    /* The store's user file is the credential's own. */
    CU_ASSERT_EQUAL_FATAL(acquire(NULL, GSS_C_ACCEPT,
                                  store_of(&s, "ntlmssp_keyfile", other_users, NULL, NULL), &cred,
                                  &minor),
                          GSS_S_COMPLETE);
    CU_ASSERT_PTR_NOT_NULL(cred->userdb);
    release(&cred);
}

static void
test_an_acceptor_needs_a_readable_user_file_unless_winbind_validates(void)
{
    struct ntlm_cred *cred;
    struct store s;
    OM_uint32 minor;

    CU_ASSERT_EQUAL(acquire(NULL, GSS_C_ACCEPT,
                            store_of(&s, "sspigss_config", no_file_conf, NULL, NULL), &cred,
                            &minor),
                    GSS_S_NO_CRED);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_USERDB_NONE);
    CU_ASSERT_PTR_NULL(cred);
    /* Named, the file must be readable now. */
    CU_ASSERT_EQUAL(acquire(NULL, GSS_C_ACCEPT,
                            store_of(&s, "ntlmssp_keyfile", "/nonexistent/users", NULL, NULL),
                            &cred, &minor),
                    GSS_S_NO_CRED);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_USERDB_UNREADABLE);
    CU_ASSERT_PTR_NULL(cred);
#ifdef HAVE_WBCLIENT
    CU_ASSERT_EQUAL(acquire(NULL, GSS_C_ACCEPT,
                            store_of(&s, "sspigss_config", fallback_conf, NULL, NULL), &cred,
                            &minor),
                    GSS_S_COMPLETE);
    CU_ASSERT_PTR_NOT_NULL(cred->acceptor_name);
    release(&cred);
#endif
}

static void
test_a_both_credential_without_user_secrets_serves_as_an_acceptor(void)
{
    gss_name_t http = name_of("HTTP@web.example", GSS_C_NT_HOSTBASED_SERVICE);
    struct ntlm_cred *cred = NULL;
    OM_uint32 minor, min;

    /* A server asking for both under its service name: no user, so an acceptor of that name. */
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_acquire_cred_from(&minor, http, 0, GSS_C_NO_OID_SET, GSS_C_BOTH,
                                                     GSS_C_NO_CRED_STORE, (gss_cred_id_t *)&cred,
                                                     NULL, NULL),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(cred->usage, GSS_C_ACCEPT);
    CU_ASSERT_PTR_NULL(cred->user);
    CU_ASSERT_FALSE(cred->have_nt_hash);
    CU_ASSERT_STRING_EQUAL(cred->acceptor_name->user, "HTTP");
    CU_ASSERT_STRING_EQUAL(cred->acceptor_name->domain, "web.example");
    release(&cred);
    ntlm_gss_release_name(&min, &http);
    /* With secrets, the desired name is the initiator's; the acceptor is the default one. */
    CU_ASSERT_EQUAL_FATAL(acquire("TESTDOM\\alice", GSS_C_BOTH, GSS_C_NO_CRED_STORE, &cred, &minor),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(cred->usage, GSS_C_BOTH);
    CU_ASSERT(cred->have_nt_hash);
    CU_ASSERT_STRING_EQUAL(cred->acceptor_name->user, "host");
    release(&cred);
}

static void
test_sspigss_config_picks_the_configuration_a_credential_runs_under(void)
{
    struct ntlm_cred *cred;
    struct store s;
    OM_uint32 minor;

    CU_ASSERT_EQUAL_FATAL(acquire(NULL, GSS_C_ACCEPT, GSS_C_NO_CRED_STORE, &cred, &minor),
                          GSS_S_COMPLETE);
    CU_ASSERT_STRING_EQUAL(ntlm_env_path(cred->env), conf_path);
    release(&cred);
    CU_ASSERT_EQUAL_FATAL(
        acquire(NULL, GSS_C_ACCEPT,
                store_of(&s, "sspigss_config", fallback_conf, "ntlmssp_keyfile", users_path), &cred,
                &minor),
        GSS_S_COMPLETE);
    CU_ASSERT_STRING_EQUAL(ntlm_env_path(cred->env), fallback_conf);
    release(&cred);
    /* A relative path, or a file that is invalid now, fails the acquisition. */
    CU_ASSERT_EQUAL(acquire(NULL, GSS_C_ACCEPT,
                            store_of(&s, "sspigss_config", "ntlm.conf", NULL, NULL), &cred, &minor),
                    GSS_S_NO_CRED);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_CONFIG);
    CU_ASSERT_EQUAL(acquire(NULL, GSS_C_ACCEPT,
                            store_of(&s, "sspigss_config", broken_conf, NULL, NULL), &cred, &minor),
                    GSS_S_NO_CRED);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_CONFIG);
    CU_ASSERT_PTR_NULL(cred);
}

static void
test_acquisition_refuses_a_missing_handle_and_an_unknown_usage(void)
{
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    OM_uint32 minor, min, lifetime = 0;
    int present = 0;

    CU_ASSERT_EQUAL(ntlm_gss_acquire_cred_from(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                               GSS_C_ACCEPT, GSS_C_NO_CRED_STORE, NULL, NULL, NULL),
                    GSS_S_CALL_INACCESSIBLE_WRITE);
    CU_ASSERT_EQUAL(ntlm_gss_acquire_cred_from(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET, 7,
                                               GSS_C_NO_CRED_STORE, &cred, NULL, NULL),
                    GSS_S_FAILURE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_WRONG_CRED_USAGE);
    /* A credential had says for which mechanism and how long. */
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_acquire_cred_from(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                                     GSS_C_ACCEPT, GSS_C_NO_CRED_STORE, &cred,
                                                     &mechs, &lifetime),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(lifetime, GSS_C_INDEFINITE);
    gss_test_oid_set_member(&min, NTLM_MECH_OID, mechs, &present);
    CU_ASSERT(present);
    gss_release_oid_set(&min, &mechs);
    ntlm_gss_release_cred(&min, &cred);
}

static OM_uint32
with_password(gss_name_t name, const char *password, size_t len, gss_cred_usage_t usage,
              struct ntlm_cred **cred, OM_uint32 *minor)
{
    gss_buffer_desc buf = {len, (void *)password};

    *cred = NULL;
    return ntlm_gss_acquire_cred_with_password(minor, name, password != NULL ? &buf : NULL, 0,
                                               GSS_C_NO_OID_SET, usage, (gss_cred_id_t *)cred, NULL,
                                               NULL);
}

static void
test_a_password_gives_the_hash_of_exactly_its_bytes(void)
{
    gss_name_t alice = name_of("TESTDOM\\alice", GSS_C_NT_USER_NAME);
    struct ntlm_cred *cred;
    uint8_t want[16];
    OM_uint32 minor, min;

    /* The buffer's length, not a terminator, ends the password. */
    CU_ASSERT_EQUAL_FATAL(
        with_password(alice, "Passw0rd!trailing", 9, GSS_C_INITIATE, &cred, &minor),
        GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash("Passw0rd!", want), 0);
    CU_ASSERT_EQUAL(memcmp(cred->nt_hash, want, 16), 0);
    CU_ASSERT(cred->have_nt_hash);
    CU_ASSERT_EQUAL(cred->usage, GSS_C_INITIATE);
    CU_ASSERT_PTR_NULL(cred->acceptor_name);
    release(&cred);
    ntlm_gss_release_name(&min, &alice);
}

static void
test_a_password_credential_refuses_what_it_cannot_use(void)
{
    gss_name_t alice = name_of("TESTDOM\\alice", GSS_C_NT_USER_NAME);
    gss_name_t http = name_of("HTTP@testhost.example", GSS_C_NT_HOSTBASED_SERVICE);
    struct ntlm_cred *cred;
    OM_uint32 minor, min;

    CU_ASSERT_EQUAL(with_password(GSS_C_NO_NAME, "x", 1, GSS_C_INITIATE, &cred, &minor),
                    GSS_S_BAD_NAME);
    CU_ASSERT_EQUAL(with_password(http, "x", 1, GSS_C_INITIATE, &cred, &minor), GSS_S_BAD_NAME);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_BAD_NAME);
    CU_ASSERT_EQUAL(with_password(alice, NULL, 0, GSS_C_INITIATE, &cred, &minor), GSS_S_FAILURE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_INVALID_ARG);
    /* An acceptor has no use for a user's password. */
    CU_ASSERT_EQUAL(with_password(alice, "x", 1, GSS_C_ACCEPT, &cred, &minor), GSS_S_FAILURE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_INVALID_ARG);
    /* A NUL inside would make two passwords of one. */
    CU_ASSERT_EQUAL(with_password(alice, "Pass\0word", 9, GSS_C_INITIATE, &cred, &minor),
                    GSS_S_FAILURE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_INVALID_ARG);
    CU_ASSERT_PTR_NULL(cred);
    ntlm_gss_release_name(&min, &alice);
    ntlm_gss_release_name(&min, &http);
}

static void
test_a_password_credential_for_both_adds_an_acceptor_part_when_it_can(void)
{
    gss_name_t alice = name_of("TESTDOM\\alice", GSS_C_NT_USER_NAME);
    struct ntlm_cred *cred;
    OM_uint32 minor, min;

    CU_ASSERT_EQUAL_FATAL(with_password(alice, "x", 1, GSS_C_BOTH, &cred, &minor), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(cred->usage, GSS_C_BOTH);
    CU_ASSERT_PTR_NOT_NULL(cred->acceptor_name);
    release(&cred);
    /* Under a default configuration without a user file: an initiator only. */
    setenv("SSPIGSS_NTLM_CONFIG", no_file_conf, 1);
    CU_ASSERT_EQUAL_FATAL(with_password(alice, "x", 1, GSS_C_BOTH, &cred, &minor), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(cred->usage, GSS_C_INITIATE);
    CU_ASSERT(cred->have_nt_hash);
    /* The failed acceptor part left nothing behind: no acceptor name on an initiator. */
    CU_ASSERT_PTR_NULL(cred->acceptor_name);
    release(&cred);
    setenv("SSPIGSS_NTLM_CONFIG", conf_path, 1);
    ntlm_gss_release_name(&min, &alice);
}

static void
test_releasing_a_credential_clears_the_handle(void)
{
    struct ntlm_cred *cred;
    OM_uint32 minor = 1;

    CU_ASSERT_EQUAL_FATAL(acquire(NULL, GSS_C_ACCEPT, GSS_C_NO_CRED_STORE, &cred, &minor),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(ntlm_gss_release_cred(&minor, (gss_cred_id_t *)&cred), GSS_S_COMPLETE);
    CU_ASSERT_PTR_NULL(cred);
    CU_ASSERT_EQUAL(minor, 0);
    CU_ASSERT_EQUAL(ntlm_gss_release_cred(&minor, (gss_cred_id_t *)&cred), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(ntlm_gss_release_cred(&minor, NULL), GSS_S_COMPLETE);
}

static void
test_inquiry_names_the_user_or_the_acceptor_with_each_role_s_lifetime(void)
{
    static const struct {
        const char *user;
        gss_cred_usage_t usage;
        const char *name;
        OM_uint32 init_life, accept_life;
    } rows[] = {
        {"TESTDOM\\alice", GSS_C_INITIATE, "TESTDOM\\alice", GSS_C_INDEFINITE, 0},
        {NULL, GSS_C_ACCEPT, "host@testhost.example", 0, GSS_C_INDEFINITE},
        {"TESTDOM\\alice", GSS_C_BOTH, "TESTDOM\\alice", GSS_C_INDEFINITE, GSS_C_INDEFINITE},
    };
    struct ntlm_cred *cred;
    gss_name_t name;
    gss_buffer_desc shown;
    gss_cred_usage_t usage;
    OM_uint32 minor, min, init_life, accept_life;
    size_t i;

    CU_ASSERT_EQUAL(ntlm_gss_inquire_cred_by_mech(&minor, GSS_C_NO_CREDENTIAL, NTLM_MECH_OID, NULL,
                                                  NULL, NULL, NULL),
                    GSS_S_NO_CRED);
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        CU_ASSERT_EQUAL_FATAL(
            acquire(rows[i].user, rows[i].usage, GSS_C_NO_CRED_STORE, &cred, &minor),
            GSS_S_COMPLETE);
        CU_ASSERT_EQUAL_FATAL(ntlm_gss_inquire_cred_by_mech(&minor, (gss_cred_id_t)cred,
                                                            NTLM_MECH_OID, &name, &init_life,
                                                            &accept_life, &usage),
                              GSS_S_COMPLETE);
        CU_ASSERT_EQUAL_FATAL(ntlm_gss_display_name(&min, name, &shown, NULL), GSS_S_COMPLETE);
        CU_ASSERT_STRING_EQUAL(shown.value, rows[i].name);
        CU_ASSERT_EQUAL(init_life, rows[i].init_life);
        CU_ASSERT_EQUAL(accept_life, rows[i].accept_life);
        CU_ASSERT_EQUAL(usage, rows[i].usage);
        gss_release_buffer(&min, &shown);
        ntlm_gss_release_name(&min, &name);
        release(&cred);
    }
}

static void
test_the_generic_inquiry_gives_the_longer_lifetime_and_the_mechanism(void)
{
    struct ntlm_cred *cred;
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    gss_name_t name = GSS_C_NO_NAME;
    gss_cred_usage_t usage;
    OM_uint32 minor, min, lifetime = 0;
    int present = 0;

    CU_ASSERT_EQUAL_FATAL(acquire(NULL, GSS_C_ACCEPT, GSS_C_NO_CRED_STORE, &cred, &minor),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(
        ntlm_gss_inquire_cred(&minor, (gss_cred_id_t)cred, &name, &lifetime, &usage, &mechs),
        GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(lifetime, GSS_C_INDEFINITE);
    CU_ASSERT_EQUAL(usage, GSS_C_ACCEPT);
    CU_ASSERT_PTR_NOT_NULL(name);
    gss_test_oid_set_member(&min, NTLM_MECH_OID, mechs, &present);
    CU_ASSERT(present);
    gss_release_oid_set(&min, &mechs);
    ntlm_gss_release_name(&min, &name);
    CU_ASSERT_EQUAL(ntlm_gss_inquire_cred(&minor, GSS_C_NO_CREDENTIAL, NULL, NULL, NULL, NULL),
                    GSS_S_NO_CRED);
    release(&cred);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"an initiator's secret comes from the store before the user file",
         test_an_initiator_s_secret_comes_from_the_store_before_the_user_file},
        {"the store's keyfile replaces the configuration's user file",
         test_the_store_s_keyfile_replaces_the_configuration_s_user_file},
        {"a user listed under a domain takes that domain",
         test_a_user_listed_under_a_domain_takes_that_domain},
        {"the default initiator is NTLMUSER, else the login name",
         test_the_default_initiator_is_ntlmuser_else_the_login_name},
        {"only a user name can be an initiator", test_only_a_user_name_can_be_an_initiator},
        {"an acceptor is host@ this host unless named",
         test_an_acceptor_is_host_at_this_host_unless_named},
        {"an acceptor needs a readable user file unless winbind validates",
         test_an_acceptor_needs_a_readable_user_file_unless_winbind_validates},
        {"a both credential without user secrets serves as an acceptor",
         test_a_both_credential_without_user_secrets_serves_as_an_acceptor},
        {"sspigss_config picks the configuration a credential runs under",
         test_sspigss_config_picks_the_configuration_a_credential_runs_under},
        {"acquisition refuses a missing handle and an unknown usage",
         test_acquisition_refuses_a_missing_handle_and_an_unknown_usage},
        {"a password gives the hash of exactly its bytes",
         test_a_password_gives_the_hash_of_exactly_its_bytes},
        {"a password credential refuses what it cannot use",
         test_a_password_credential_refuses_what_it_cannot_use},
        {"a password credential for both adds an acceptor part when it can",
         test_a_password_credential_for_both_adds_an_acceptor_part_when_it_can},
        {"releasing a credential clears the handle", test_releasing_a_credential_clears_the_handle},
        {"inquiry names the user or the acceptor, with each role's lifetime",
         test_inquiry_names_the_user_or_the_acceptor_with_each_role_s_lifetime},
        {"the generic inquiry gives the longer lifetime and the mechanism",
         test_the_generic_inquiry_gives_the_longer_lifetime_and_the_mechanism},
        CU_TEST_INFO_NULL,
    };
    char text[512];
    int status;

    dir = unit_files_begin("test_ntlm_creds");
    users_path = unit_files_write("users", "TESTDOM:alice:Passw0rd!\n");
    other_users = unit_files_write("other-users", "TESTDOM:bob:Secret-2\n");
    snprintf(text, sizeof(text), BASE "user_file = %s\n", dir, users_path);
    conf_path = unit_files_write("ntlm.conf", text);
    snprintf(text, sizeof(text), BASE, dir);
    no_file_conf = unit_files_write("no-file.conf", text);
    snprintf(text, sizeof(text), BASE "winbind = fallback\n", dir);
    fallback_conf = unit_files_write("fallback.conf", text);
    broken_conf = unit_files_write("broken.conf", "min_session_security = sometimes\n");
    unit_files_use_config(conf_path);

    status = test_run_suite("ntlm_creds", tests);

    unit_files_end();
    return status;
}
