/*
 * Tests of the configuration value parsers (mech/core/ntlm_config_values.c), called directly:
 * what each accepts, what it refuses (with a reason, leaving the field as it was), and the
 * edges of numbers and lists. How ntlm_config.c reads a file with them is in test_ntlm_config.c.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_config.h"
#include "ntlm_config_values.h"
#include "ntlm_errors.h"
#include "test_util.h"

/* Runs a parser that must refuse value: NTLM_ERR_CONFIG, a reason, cfg unchanged. */
static void
assert_refused(ntlm_config_value_fn fn, const char *value, const struct ntlm_config *cfg)
{
    struct ntlm_config copy = *cfg;
    const char *reason = NULL;

    CU_ASSERT_EQUAL(fn(value, &copy, &reason), NTLM_ERR_CONFIG);
    CU_ASSERT_PTR_NOT_NULL(reason);
    CU_ASSERT_EQUAL(memcmp(&copy, cfg, sizeof(copy)), 0);
}

static uint32_t
accept_value(ntlm_config_value_fn fn, const char *value, struct ntlm_config *cfg)
{
    const char *reason = NULL;

    return fn(value, cfg, &reason);
}

static void
test_bools_are_yes_no_true_false_1_0_in_any_case(void)
{
    static const char *const yes[] = {"yes", "YES", "true", "True", "1"};
    static const char *const no[] = {"no", "No", "false", "FALSE", "0"};
    static const char *const neither[] = {"", "y", "2", "on", "yes "};
    size_t i;
    bool v;

    for (i = 0; i < 5; i++) {
        v = false;
        CU_ASSERT_TRUE(ntlm_config_parse_bool(yes[i], &v) && v);
        v = true;
        CU_ASSERT_TRUE(ntlm_config_parse_bool(no[i], &v) && !v);
        v = true;
        CU_ASSERT_FALSE(ntlm_config_parse_bool(neither[i], &v));
        CU_ASSERT_TRUE(v);
    }
}

static void
test_keywords_are_taken_in_any_case_and_anything_else_refused(void)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_mic, "ALWAYS", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.mic, NTLM_MIC_ALWAYS);
    assert_refused(ntlm_config_value_mic, "sometimes", &cfg);
    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_channel_bindings, "Never", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.channel_bindings, NTLM_CB_NEVER);
    assert_refused(ntlm_config_value_channel_bindings, "", &cfg);
    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_service_binding, "required", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.service_binding, NTLM_SB_REQUIRED);
    assert_refused(ntlm_config_value_service_binding, "required ", &cfg);
    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_user_file_permissions, "relaxed", &cfg), 0);
    assert_refused(ntlm_config_value_user_file_permissions, "lax", &cfg);
}

static void
test_numbers_are_plain_decimal_within_their_bounds(void)
{
    static const char *const malformed[] = {
        "", "+5", "-1", " 5", "5 ", "5s", "0x10", "1e3", "99999999999999999999999"};
    struct ntlm_config cfg = {0};
    size_t i;

    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_replay_window, "0", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.replay_window, 0);
    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_replay_window, "86400", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.replay_window, 86400);
    assert_refused(ntlm_config_value_replay_window, "86401", &cfg);
    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_winbind_timeout, "300", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.winbind_timeout, 300);
    assert_refused(ntlm_config_value_winbind_timeout, "0", &cfg);
    assert_refused(ntlm_config_value_winbind_timeout, "301", &cfg);
    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_lockout_threshold, "999", &cfg), 0);
    assert_refused(ntlm_config_value_lockout_threshold, "1000", &cfg);
    assert_refused(ntlm_config_value_lockout_window, "0", &cfg);
    assert_refused(ntlm_config_value_lockout_duration, "5999941", &cfg);
    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_local_uid_min, "4294967295", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.local_uid_min, 4294967295ul);
    assert_refused(ntlm_config_value_local_uid_min, "4294967296", &cfg);
    for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
        assert_refused(ntlm_config_value_replay_window, malformed[i], &cfg);
        assert_refused(ntlm_config_value_local_uid_min, malformed[i], &cfg);
    }
}

static void
test_min_session_security_takes_each_requirement_once(void)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_min_session_security, "128bit, ess", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.min_session_security, NTLM_MINSEC_128 | NTLM_MINSEC_ESS);
    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_min_session_security, "ESS", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.min_session_security, NTLM_MINSEC_ESS);
    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_min_session_security, "none", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.min_session_security, 0);
    cfg.min_session_security = NTLM_MINSEC_128;
    assert_refused(ntlm_config_value_min_session_security, "ess, ess", &cfg);
    assert_refused(ntlm_config_value_min_session_security, "", &cfg);
    assert_refused(ntlm_config_value_min_session_security, " , ", &cfg);
    assert_refused(ntlm_config_value_min_session_security, "128bits", &cfg);
    assert_refused(ntlm_config_value_min_session_security, "none, ess", &cfg);
}

static void
test_paths_must_be_absolute(void)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_audit, "/var/log/ntlm.log", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.audit, NTLM_AUDIT_FILE);
    CU_ASSERT_STRING_EQUAL(cfg.audit_file, "/var/log/ntlm.log");
    assert_refused(ntlm_config_value_audit, "ntlm.log", &cfg);
    assert_refused(ntlm_config_value_audit, "/", &cfg);
    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_audit, "none", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.audit, NTLM_AUDIT_NONE);
    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_state_dir, "/run/sspigss", &cfg), 0);
    CU_ASSERT_STRING_EQUAL(cfg.state_dir, "/run/sspigss");
    assert_refused(ntlm_config_value_state_dir, "run/sspigss", &cfg);
    assert_refused(ntlm_config_value_debug, "trace.log", &cfg);
    free(cfg.audit_file);
    free(cfg.state_dir);
    free(cfg.debug_file);
}

static void
test_service_names_are_a_list_of_class_slash_host(void)
{
    struct ntlm_config cfg = {0};
    char many[65 * 8 + 1] = "";
    size_t i;

    CU_ASSERT_EQUAL_FATAL(
        accept_value(ntlm_config_value_service_names, " HTTP/www.example.com ,\tcifs/fs1", &cfg),
        0);
    CU_ASSERT_STRING_EQUAL(cfg.service_names[0], "HTTP/www.example.com");
    CU_ASSERT_STRING_EQUAL(cfg.service_names[1], "cifs/fs1");
    CU_ASSERT_PTR_NULL(cfg.service_names[2]);
    /* A bad list leaves the good one in place. */
    assert_refused(ntlm_config_value_service_names, "HTTP/a, HTTP", &cfg);
    assert_refused(ntlm_config_value_service_names, "/host", &cfg);
    assert_refused(ntlm_config_value_service_names, "HTTP/", &cfg);
    assert_refused(ntlm_config_value_service_names, "HTTP/a b", &cfg);
    assert_refused(ntlm_config_value_service_names, "HTTP/a,,HTTP/b", &cfg);
    for (i = 0; i < 65; i++)
        strcat(many, i == 0 ? "H/h1234" : ",H/h1234");
    assert_refused(ntlm_config_value_service_names, many, &cfg);
    CU_ASSERT_STRING_EQUAL(cfg.service_names[1], "cifs/fs1");
    ntlm_config_free_list(cfg.service_names);
}

static void
test_local_map_domains_take_star_nothing_or_names(void)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_local_map_domains, "", &cfg), 0);
    CU_ASSERT_PTR_NULL(cfg.local_map_domains);
    CU_ASSERT_FALSE(cfg.local_map_any_domain);
    CU_ASSERT_EQUAL_FATAL(
        accept_value(ntlm_config_value_local_map_domains, "CORP, example.com", &cfg), 0);
    CU_ASSERT_STRING_EQUAL(cfg.local_map_domains[0], "CORP");
    CU_ASSERT_STRING_EQUAL(cfg.local_map_domains[1], "example.com");
    CU_ASSERT_PTR_NULL(cfg.local_map_domains[2]);
    assert_refused(ntlm_config_value_local_map_domains, "CORP,,BANK", &cfg);
    assert_refused(ntlm_config_value_local_map_domains, "CORP, *", &cfg);
    assert_refused(ntlm_config_value_local_map_domains, "CORP\\X", &cfg);
    assert_refused(ntlm_config_value_local_map_domains, "CORP,", &cfg);
    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_local_map_domains, "*", &cfg), 0);
    CU_ASSERT_TRUE(cfg.local_map_any_domain);
    ntlm_config_free_list(cfg.local_map_domains);
}

static void
test_winbind_modes_need_a_build_with_libwbclient(void)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_winbind, "no", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.winbind, NTLM_WINBIND_NO);
    assert_refused(ntlm_config_value_winbind, "maybe", &cfg);
#ifdef HAVE_WBCLIENT
    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_winbind, "Fallback", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.winbind, NTLM_WINBIND_FALLBACK);
    CU_ASSERT_EQUAL(accept_value(ntlm_config_value_winbind, "only", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.winbind, NTLM_WINBIND_ONLY);
#else
    assert_refused(ntlm_config_value_winbind, "fallback", &cfg);
    assert_refused(ntlm_config_value_winbind, "only", &cfg);
#endif
}

static CU_TestInfo tests[] = {
    {"bools are yes, no, true, false, 1, 0 in any case",
     test_bools_are_yes_no_true_false_1_0_in_any_case},
    {"keywords are taken in any case and anything else refused",
     test_keywords_are_taken_in_any_case_and_anything_else_refused},
    {"numbers are plain decimal within their bounds",
     test_numbers_are_plain_decimal_within_their_bounds},
    {"min_session_security takes each requirement once",
     test_min_session_security_takes_each_requirement_once},
    {"paths must be absolute", test_paths_must_be_absolute},
    {"service names are a list of class/host", test_service_names_are_a_list_of_class_slash_host},
    {"local_map_domains take *, nothing or names",
     test_local_map_domains_take_star_nothing_or_names},
    {"winbind modes need a build with libwbclient",
     test_winbind_modes_need_a_build_with_libwbclient},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("ntlm_config_values", tests);
}
