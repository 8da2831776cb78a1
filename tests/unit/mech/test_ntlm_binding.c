/* Tests of mech/core/ntlm_binding.c: SPN matching, the acceptor's names, the service_binding
 * verdicts and the table of challenges our own initiator answered. */
#include <string.h>
#include <time.h>

#include "ntlm_binding.h"
#include "ntlm_config.h"
#include "ntlm_errors.h"
#include "test_util.h"

#define NOW ((time_t)1704067200)

static const struct ntlm_acceptor_id no_name = {NULL, NULL};

/* A configuration naming the host testhost.example (NetBIOS TESTHOST), policy as given. */
static struct ntlm_config
config(enum ntlm_sb_policy policy)
{
    struct ntlm_config cfg;

    ntlm_config_init(&cfg);
    cfg.service_binding = policy;
    cfg.netbios_name = "TESTHOST";
    cfg.dns_name = "testhost.example";
    cfg.dns_domain = "example";
    return cfg;
}

static void
test_spn_match_ignores_case_port_trailing_dot_and_brackets(void)
{
    CU_ASSERT_TRUE(ntlm_spn_matches("HTTP/www.example.com", "http/WWW.Example.COM"));
    CU_ASSERT_TRUE(ntlm_spn_matches("HTTP/www.example.com:8080", "HTTP/www.example.com"));
    CU_ASSERT_TRUE(ntlm_spn_matches("HTTP/www.example.com.", "HTTP/www.example.com"));
    CU_ASSERT_TRUE(ntlm_spn_matches("HTTP/[2001:db8::1]:443", "HTTP/2001:db8::1"));
    CU_ASSERT_TRUE(ntlm_spn_matches("HTTP/2001:DB8::1", "HTTP/[2001:db8::1]"));
}

static void
test_spn_match_refuses_another_class_host_or_shape(void)
{
    CU_ASSERT_FALSE(ntlm_spn_matches("cifs/www.example.com", "HTTP/www.example.com"));
    CU_ASSERT_FALSE(ntlm_spn_matches("HTTP/www.example.com.evil", "HTTP/www.example.com"));
    CU_ASSERT_FALSE(ntlm_spn_matches("HTTP/evil.www.example.com", "HTTP/www.example.com"));
    CU_ASSERT_FALSE(ntlm_spn_matches("HTTP/www.example.com/other", "HTTP/www.example.com"));
    CU_ASSERT_FALSE(ntlm_spn_matches("HTTP/www.example.com@REALM", "HTTP/www.example.com"));
    CU_ASSERT_FALSE(ntlm_spn_matches("www.example.com", "HTTP/www.example.com"));
    CU_ASSERT_FALSE(ntlm_spn_matches("HTTP/", "HTTP/www.example.com"));
    CU_ASSERT_FALSE(ntlm_spn_matches("/www.example.com", "HTTP/www.example.com"));
    CU_ASSERT_FALSE(ntlm_spn_matches("HTTP/[::1", "HTTP/::1"));
    CU_ASSERT_FALSE(ntlm_spn_matches("HTTP/[::1]evil.example", "HTTP/::1"));
    CU_ASSERT_FALSE(ntlm_spn_matches("HTTP/www.example.com:evil", "HTTP/www.example.com"));
    CU_ASSERT_FALSE(ntlm_spn_matches("HTTP/www.example.com:", "HTTP/www.example.com"));
    CU_ASSERT_FALSE(ntlm_spn_matches(NULL, "HTTP/www.example.com"));
    /* Case folds in ASCII only: a non-ASCII byte is compared as it is. */
    CU_ASSERT_FALSE(ntlm_spn_matches("HTTP/\xc3\x89x", "HTTP/\xc3\xa9x"));
}

/* Windows' HOST SPN covers every service class of its computer. */
static void
test_spn_match_lets_an_expected_host_class_stand_for_any_class(void)
{
    CU_ASSERT_TRUE(ntlm_spn_matches("cifs/www.example.com", "host/www.example.com"));
    CU_ASSERT_TRUE(ntlm_spn_matches("HTTP/www.example.com", "HOST/www.example.com"));
    CU_ASSERT_FALSE(ntlm_spn_matches("host/www.example.com", "HTTP/www.example.com"));
    CU_ASSERT_FALSE(ntlm_spn_matches("cifs/evil.example", "host/www.example.com"));
}

static void
test_derived_names_are_the_credentials_class_on_the_hosts_names(void)
{
    struct ntlm_config cfg = config(NTLM_SB_WHEN_PRESENT);
    const struct ntlm_acceptor_id http = {"HTTP", "www.example.com"};

    CU_ASSERT_TRUE(ntlm_target_is_ours(&cfg, &http, "HTTP/www.example.com"));
    CU_ASSERT_TRUE(ntlm_target_is_ours(&cfg, &http, "HTTP/testhost.example"));
    CU_ASSERT_TRUE(ntlm_target_is_ours(&cfg, &http, "HTTP/TESTHOST"));
    CU_ASSERT_TRUE(ntlm_target_is_ours(&cfg, &http, "HTTP/localhost"));
    CU_ASSERT_TRUE(ntlm_target_is_ours(&cfg, &http, "HTTP/127.0.0.1"));
    CU_ASSERT_FALSE(ntlm_target_is_ours(&cfg, &http, "cifs/www.example.com"));
    CU_ASSERT_FALSE(ntlm_target_is_ours(&cfg, &http, "HTTP/evil.example"));
    /* Without a name (or as host@) the acceptor takes any class on its hosts. */
    CU_ASSERT_TRUE(ntlm_target_is_ours(&cfg, &no_name, "cifs/testhost.example"));
    CU_ASSERT_FALSE(ntlm_target_is_ours(&cfg, &no_name, "HTTP/www.example.com"));
}

static void
test_a_single_label_dns_name_also_matches_with_the_dns_domain(void)
{
    struct ntlm_config cfg = config(NTLM_SB_WHEN_PRESENT);

    cfg.dns_name = "web1";
    cfg.dns_domain = "corp.example";
    CU_ASSERT_TRUE(ntlm_target_is_ours(&cfg, &no_name, "HTTP/web1.corp.example"));
    CU_ASSERT_TRUE(ntlm_target_is_ours(&cfg, &no_name, "HTTP/WEB1.Corp.Example."));
    CU_ASSERT_FALSE(ntlm_target_is_ours(&cfg, &no_name, "HTTP/web1.evil.example"));
}

static void
test_service_names_replace_the_derived_names(void)
{
    struct ntlm_config cfg = config(NTLM_SB_WHEN_PRESENT);
    char *list[] = {"HTTP/www.example.com", "host/files.example.com", NULL};
    const struct ntlm_acceptor_id http = {"HTTP", "testhost.example"};

    cfg.service_names = list;
    CU_ASSERT_TRUE(ntlm_target_is_ours(&cfg, &http, "http/www.example.com"));
    CU_ASSERT_TRUE(ntlm_target_is_ours(&cfg, &http, "cifs/files.example.com"));
    CU_ASSERT_FALSE(ntlm_target_is_ours(&cfg, &http, "HTTP/testhost.example"));
    CU_ASSERT_FALSE(ntlm_target_is_ours(&cfg, &http, "HTTP/localhost"));
}

struct verdict_case {
    enum ntlm_sb_policy policy;
    const char *target;
    bool untrusted, answered_here;
    uint32_t want_ret;
    enum ntlm_target_status want_status;
};

static void
test_each_policy_gives_its_verdict(void)
{
    static const struct verdict_case cases[] = {
        {NTLM_SB_WHEN_PRESENT, "HTTP/testhost.example", false, false, 0, NTLM_TARGET_MATCHED},
        {NTLM_SB_WHEN_PRESENT, "HTTP/evil.example", false, false, NTLM_ERR_TARGET_MISMATCH,
         NTLM_TARGET_MISMATCH},
        {NTLM_SB_WHEN_PRESENT, NULL, false, false, 0, NTLM_TARGET_ABSENT},
        {NTLM_SB_WHEN_PRESENT, "HTTP/testhost.example", true, false, 0, NTLM_TARGET_UNTRUSTED},
        {NTLM_SB_WHEN_PRESENT, "HTTP/evil.example", true, false, NTLM_ERR_TARGET_MISMATCH,
         NTLM_TARGET_MISMATCH},
        {NTLM_SB_REQUIRED, "HTTP/testhost.example", false, false, 0, NTLM_TARGET_MATCHED},
        {NTLM_SB_REQUIRED, NULL, false, false, NTLM_ERR_TARGET_MISSING,
         NTLM_TARGET_REQUIRED_MISSING},
        {NTLM_SB_REQUIRED, "HTTP/testhost.example", true, false, NTLM_ERR_TARGET_MISSING,
         NTLM_TARGET_REQUIRED_MISSING},
        {NTLM_SB_REQUIRED, "HTTP/evil.example", false, false, NTLM_ERR_TARGET_MISMATCH,
         NTLM_TARGET_MISMATCH},
        {NTLM_SB_NEVER, "HTTP/evil.example", false, false, 0, NTLM_TARGET_NOT_CHECKED},
        {NTLM_SB_NEVER, NULL, false, false, 0, NTLM_TARGET_NOT_CHECKED},
        /* Answered by our own initiator: for us a loop, for anyone else a reflection. */
        {NTLM_SB_WHEN_PRESENT, "HTTP/testhost.example", false, true, 0, NTLM_TARGET_MATCHED},
        {NTLM_SB_WHEN_PRESENT, "HTTP/evil.example", false, true, NTLM_ERR_REFLECTED,
         NTLM_TARGET_REFLECTED},
        {NTLM_SB_NEVER, "HTTP/evil.example", false, true, NTLM_ERR_REFLECTED,
         NTLM_TARGET_REFLECTED},
        {NTLM_SB_NEVER, "HTTP/testhost.example", false, true, 0, NTLM_TARGET_NOT_CHECKED},
        {NTLM_SB_REQUIRED, "HTTP/evil.example", false, true, NTLM_ERR_REFLECTED,
         NTLM_TARGET_REFLECTED},
    };
    struct ntlm_config cfg;
    enum ntlm_target_status status;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct verdict_case *c = &cases[i];

        cfg = config(c->policy);
        status = NTLM_TARGET_MATCHED + 100;
        CU_ASSERT_EQUAL(
            ntlm_policy_target(&cfg, &no_name, c->target, c->untrusted, c->answered_here, &status),
            c->want_ret);
        CU_ASSERT_EQUAL(status, c->want_status);
    }
}

static void
test_an_answered_challenge_is_found_once_until_it_expires(void)
{
    uint8_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8] = {8, 7, 6, 5, 4, 3, 2, 1};
    struct ntlm_answered_table *t = NULL;

    CU_ASSERT_EQUAL_FATAL(ntlm_answered_new(&t), 0);
    CU_ASSERT_FALSE(ntlm_answered_take(t, a, NOW));
    ntlm_answered_note(t, a, NOW + 300);
    CU_ASSERT_FALSE(ntlm_answered_take(t, b, NOW));
    CU_ASSERT_TRUE(ntlm_answered_take(t, a, NOW + 300));
    CU_ASSERT_FALSE(ntlm_answered_take(t, a, NOW));
    ntlm_answered_note(t, b, NOW + 300);
    CU_ASSERT_FALSE(ntlm_answered_take(t, b, NOW + 301));
    ntlm_answered_free(t);
}

/* The table holds the newest NTLM_ANSWERED_TABLE_SIZE challenges, whatever came before, and
 * is bounded: it is in parts with room for twice their share (ntlm_keyring.h), so a flood of
 * four times its size surely fills the oldest challenge's part and pushes it out. */
static void
test_the_answered_table_holds_the_newest_and_forgets_the_oldest(void)
{
    struct ntlm_answered_table *t = NULL;
    uint8_t c[8] = {0};
    uint32_t i;

    CU_ASSERT_EQUAL_FATAL(ntlm_answered_new(&t), 0);
    for (i = 0; i <= NTLM_ANSWERED_TABLE_SIZE; i++) {
        memcpy(c, &i, sizeof(i));
        ntlm_answered_note(t, c, NOW + 300);
    }
    for (i = 1; i <= NTLM_ANSWERED_TABLE_SIZE; i++) {
        memcpy(c, &i, sizeof(i));
        CU_ASSERT_TRUE(ntlm_answered_take(t, c, NOW));
    }
    for (i = 1; i <= 4 * NTLM_ANSWERED_TABLE_SIZE; i++) {
        memcpy(c, &i, sizeof(i));
        ntlm_answered_note(t, c, NOW + 300);
    }
    i = 0;
    memcpy(c, &i, sizeof(i));
    CU_ASSERT_FALSE(ntlm_answered_take(t, c, NOW));
    ntlm_answered_free(t);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"spn match ignores case, port, trailing dot and brackets",
         test_spn_match_ignores_case_port_trailing_dot_and_brackets},
        {"spn match refuses another class, host or shape",
         test_spn_match_refuses_another_class_host_or_shape},
        {"spn match lets an expected host class stand for any class",
         test_spn_match_lets_an_expected_host_class_stand_for_any_class},
        {"derived names are the credential's class on the host's names",
         test_derived_names_are_the_credentials_class_on_the_hosts_names},
        {"a single-label dns name also matches with the dns domain",
         test_a_single_label_dns_name_also_matches_with_the_dns_domain},
        {"service names replace the derived names", test_service_names_replace_the_derived_names},
        {"each policy gives its verdict", test_each_policy_gives_its_verdict},
        {"an answered challenge is found once until it expires",
         test_an_answered_challenge_is_found_once_until_it_expires},
        {"the answered table holds the newest and forgets the oldest",
         test_the_answered_table_holds_the_newest_and_forgets_the_oldest},
        CU_TEST_INFO_NULL,
    };

    return test_run_suite("ntlm_binding", tests);
}
