/* Tests of mech/core/ntlm_config.c: the key = value parser, its errors, defaults and the loader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ntlm_config.h"
#include "ntlm_errors.h"
#include "test_util.h"

/* Parses text expecting NTLM_ERR_CONFIG with exactly want_error and no settings kept. */
static void
check_parse_error(const char *text, const char *want_error)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL(ntlm_config_parse(text, "test.conf", &cfg), NTLM_ERR_CONFIG);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg.error);
    if (strcmp(cfg.error, want_error) != 0) {
        fprintf(stderr, "\nerror \"%s\", wanted \"%s\"\n", cfg.error, want_error);
        CU_FAIL("unexpected error message");
    }
    CU_ASSERT_PTR_NULL(cfg.user_file);
    ntlm_config_clear(&cfg);
}

static void
test_parse_reads_every_key(void)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL_FATAL(ntlm_config_parse("user_file = /srv/users\n"
                                            "netbios_name = FILESRV\n"
                                            "netbios_domain = CORP\n"
                                            "dns_name = filesrv.corp.example.com\n"
                                            "dns_domain = corp.example.com\n"
                                            "ntlmv1 = yes\n"
                                            "lm = true\n",
                                            "test.conf", &cfg),
                          0);
    CU_ASSERT_STRING_EQUAL(cfg.user_file, "/srv/users");
    CU_ASSERT_STRING_EQUAL(cfg.netbios_name, "FILESRV");
    CU_ASSERT_STRING_EQUAL(cfg.netbios_domain, "CORP");
    CU_ASSERT_STRING_EQUAL(cfg.dns_name, "filesrv.corp.example.com");
    CU_ASSERT_STRING_EQUAL(cfg.dns_domain, "corp.example.com");
    CU_ASSERT_TRUE(cfg.allow_ntlmv1);
    CU_ASSERT_EQUAL(cfg.obsolete_lm_line, 7);
    CU_ASSERT_PTR_NULL(cfg.error);
    ntlm_config_clear(&cfg);
}

static void
test_parse_skips_comments_and_blank_lines_and_trims_whitespace(void)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL_FATAL(ntlm_config_parse("# module settings\r\n"
                                            "\r\n"
                                            "   \t\n"
                                            "  # indented comment\n"
                                            "\tuser_file=  /srv/my users#1 \t\r\n"
                                            "dns_domain =\n"
                                            "ntlmv1 = no",
                                            "test.conf", &cfg),
                          0);
    /* Inner spaces and a '#' inside a value are kept. */
    CU_ASSERT_STRING_EQUAL(cfg.user_file, "/srv/my users#1");
    CU_ASSERT_STRING_EQUAL(cfg.dns_domain, "");
    CU_ASSERT_PTR_NULL(cfg.netbios_name);
    CU_ASSERT_FALSE(cfg.allow_ntlmv1);
    CU_ASSERT_EQUAL(cfg.obsolete_lm_line, 0);
    ntlm_config_clear(&cfg);
}

static void
test_parse_accepts_every_boolean_spelling(void)
{
    static const char *const yes[] = {"yes", "true", "1", "YES", "True"};
    static const char *const no[] = {"no", "false", "0", "NO", "False"};
    size_t i;

    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        struct ntlm_config cfg = {0};
        char text[64];

        snprintf(text, sizeof(text), "ntlmv1 = %s\n", yes[i]);
        CU_ASSERT_EQUAL(ntlm_config_parse(text, "test.conf", &cfg), 0);
        CU_ASSERT_TRUE(cfg.allow_ntlmv1);
        ntlm_config_clear(&cfg);
        snprintf(text, sizeof(text), "ntlmv1 = %s\n", no[i]);
        CU_ASSERT_EQUAL(ntlm_config_parse(text, "test.conf", &cfg), 0);
        CU_ASSERT_FALSE(cfg.allow_ntlmv1);
        ntlm_config_clear(&cfg);
    }
}

static void
test_parse_rejects_a_bad_boolean_naming_source_and_line(void)
{
    check_parse_error("ntlmv1 = no\n\nlm = maybe\n",
                      "test.conf:3: lm: expected yes, no, true, false, 1 or 0");
}

static void
test_parse_rejects_an_unknown_key_naming_source_and_line(void)
{
    check_parse_error("# c\nuser_file = /x\nuserfile = /y\n",
                      "test.conf:3: unknown key \"userfile\"");
}

/* Issue 15: lm was parsed and never used; files that set it keep working, its line is kept
 * for the trace, and it no longer asks for ntlmv1 (nothing reads it). */
static void
test_parse_accepts_the_obsolete_lm_key_and_keeps_its_line(void)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL(ntlm_config_parse("# old file\nlm = yes\n", "test.conf", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.obsolete_lm_line, 2);
    CU_ASSERT_FALSE(cfg.allow_ntlmv1);
    ntlm_config_clear(&cfg);
    CU_ASSERT_EQUAL(ntlm_config_parse("ntlmv1 = no\nlm = no\n", "test.conf", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.obsolete_lm_line, 2);
    ntlm_config_clear(&cfg);
}

static void
test_parse_rejects_malformed_lines(void)
{
    check_parse_error("user_file /srv/users\n", "test.conf:1: expected \"key = value\"");
    check_parse_error("= /srv/users\n", "test.conf:1: unknown key \"\"");
    check_parse_error("user_file = /a\nuser_file = /b\n",
                      "test.conf:2: \"user_file\" already set on line 1");
    check_parse_error("netbios_name =\n", "test.conf:1: netbios_name: empty value");
    check_parse_error("netbios_domain = SIXTEEN_LETTERS_\n",
                      "test.conf:1: netbios_domain: longer than 15 bytes (the NetBIOS limit)");
    check_parse_error("dns_name = h\xc3\x28st\n", "test.conf:1: not valid UTF-8");
}

static void
test_policy_keys_default_to_the_secure_settings(void)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL_FATAL(ntlm_config_parse("user_file = /srv/users\n", "test.conf", &cfg), 0);
    CU_ASSERT_FALSE(cfg.allow_ntlmv1);
    CU_ASSERT_FALSE(cfg.allow_anonymous);
    CU_ASSERT_EQUAL(cfg.mic, NTLM_MIC_WHEN_PRESENT);
    CU_ASSERT_EQUAL(cfg.channel_bindings, NTLM_CB_WHEN_SUPPORTED);
    CU_ASSERT_EQUAL(cfg.replay_window, 300);
    CU_ASSERT_EQUAL(cfg.user_file_permissions, NTLM_PERMISSIONS_STRICT);
    CU_ASSERT_EQUAL(cfg.audit, NTLM_AUDIT_SYSLOG);
    CU_ASSERT_PTR_NULL(cfg.audit_file);
    CU_ASSERT_EQUAL(cfg.winbind, NTLM_WINBIND_NO);
    CU_ASSERT_EQUAL(cfg.winbind_timeout, 15);
    CU_ASSERT_EQUAL(cfg.winbind_max_inflight, 32);
    CU_ASSERT_EQUAL(cfg.service_binding, NTLM_SB_WHEN_PRESENT);
    CU_ASSERT_PTR_NULL(cfg.service_names);
    CU_ASSERT_EQUAL(cfg.min_session_security, NTLM_MINSEC_128 | NTLM_MINSEC_ESS);
    ntlm_config_clear(&cfg);
    ntlm_config_init(&cfg);
    CU_ASSERT_EQUAL(cfg.min_session_security, NTLM_DEFAULT_MIN_SESSION_SECURITY);
    CU_ASSERT_EQUAL(cfg.replay_window, NTLM_DEFAULT_REPLAY_WINDOW);
    CU_ASSERT_EQUAL(cfg.winbind_timeout, NTLM_DEFAULT_WINBIND_TIMEOUT);
    CU_ASSERT_EQUAL(cfg.winbind_max_inflight, NTLM_DEFAULT_WINBIND_MAX_INFLIGHT);
    CU_ASSERT_EQUAL(cfg.audit, NTLM_AUDIT_SYSLOG);
    ntlm_config_clear(&cfg);
}

static void
test_parse_reads_every_policy_key_in_its_other_setting(void)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL_FATAL(ntlm_config_parse("anonymous = yes\n"
                                            "mic = always\n"
                                            "channel_bindings = always\n"
                                            "replay_window = 0\n"
                                            "user_file_permissions = relaxed\n"
                                            "audit = /var/log/sspigss/audit.log\n"
                                            "min_session_security = none\n",
                                            "test.conf", &cfg),
                          0);
    CU_ASSERT_EQUAL(cfg.min_session_security, 0);
    CU_ASSERT_TRUE(cfg.allow_anonymous);
    CU_ASSERT_EQUAL(cfg.mic, NTLM_MIC_ALWAYS);
    CU_ASSERT_EQUAL(cfg.channel_bindings, NTLM_CB_ALWAYS);
    CU_ASSERT_EQUAL(cfg.replay_window, 0);
    CU_ASSERT_EQUAL(cfg.user_file_permissions, NTLM_PERMISSIONS_RELAXED);
    CU_ASSERT_EQUAL(cfg.audit, NTLM_AUDIT_FILE);
    CU_ASSERT_STRING_EQUAL(cfg.audit_file, "/var/log/sspigss/audit.log");
    ntlm_config_clear(&cfg);
}

/* Parses one "key = value" line expecting success; returns the configuration to inspect. */
static struct ntlm_config
parse_one(const char *line)
{
    struct ntlm_config cfg = {0};

    if (ntlm_config_parse(line, "test.conf", &cfg) != 0) {
        fprintf(stderr, "\n  \"%s\" refused: %s\n", line, cfg.error);
        CU_FAIL("a good value was refused");
    }
    return cfg;
}

static void
test_parse_accepts_each_policy_value_in_any_case(void)
{
    struct ntlm_config cfg;

    cfg = parse_one("mic = when_present");
    CU_ASSERT_EQUAL(cfg.mic, NTLM_MIC_WHEN_PRESENT);
    ntlm_config_clear(&cfg);
    cfg = parse_one("mic = ALWAYS");
    CU_ASSERT_EQUAL(cfg.mic, NTLM_MIC_ALWAYS);
    ntlm_config_clear(&cfg);
    cfg = parse_one("channel_bindings = never");
    CU_ASSERT_EQUAL(cfg.channel_bindings, NTLM_CB_NEVER);
    ntlm_config_clear(&cfg);
    cfg = parse_one("channel_bindings = When_Supported");
    CU_ASSERT_EQUAL(cfg.channel_bindings, NTLM_CB_WHEN_SUPPORTED);
    ntlm_config_clear(&cfg);
    cfg = parse_one("replay_window = 86400");
    CU_ASSERT_EQUAL(cfg.replay_window, 86400);
    ntlm_config_clear(&cfg);
    cfg = parse_one("replay_window = 0300");
    CU_ASSERT_EQUAL(cfg.replay_window, 300);
    ntlm_config_clear(&cfg);
    cfg = parse_one("anonymous = no");
    CU_ASSERT_FALSE(cfg.allow_anonymous);
    ntlm_config_clear(&cfg);
    cfg = parse_one("user_file_permissions = strict");
    CU_ASSERT_EQUAL(cfg.user_file_permissions, NTLM_PERMISSIONS_STRICT);
    ntlm_config_clear(&cfg);
    cfg = parse_one("audit = none");
    CU_ASSERT_EQUAL(cfg.audit, NTLM_AUDIT_NONE);
    CU_ASSERT_PTR_NULL(cfg.audit_file);
    ntlm_config_clear(&cfg);
    cfg = parse_one("audit = Syslog");
    CU_ASSERT_EQUAL(cfg.audit, NTLM_AUDIT_SYSLOG);
    ntlm_config_clear(&cfg);
    cfg = parse_one("min_session_security = 128bit, ess");
    CU_ASSERT_EQUAL(cfg.min_session_security, NTLM_MINSEC_128 | NTLM_MINSEC_ESS);
    ntlm_config_clear(&cfg);
    cfg = parse_one("min_session_security = ESS 128BIT");
    CU_ASSERT_EQUAL(cfg.min_session_security, NTLM_MINSEC_128 | NTLM_MINSEC_ESS);
    ntlm_config_clear(&cfg);
    cfg = parse_one("min_session_security = ess");
    CU_ASSERT_EQUAL(cfg.min_session_security, NTLM_MINSEC_ESS);
    ntlm_config_clear(&cfg);
    cfg = parse_one("min_session_security = 128bit");
    CU_ASSERT_EQUAL(cfg.min_session_security, NTLM_MINSEC_128);
    ntlm_config_clear(&cfg);
    cfg = parse_one("min_session_security = None");
    CU_ASSERT_EQUAL(cfg.min_session_security, 0);
    ntlm_config_clear(&cfg);
}

/* winbind modes other than "no" exist only in builds with libwbclient. */
static void
test_parse_reads_the_service_binding_keys(void)
{
    struct ntlm_config cfg;

    cfg = parse_one("service_binding = never");
    CU_ASSERT_EQUAL(cfg.service_binding, NTLM_SB_NEVER);
    ntlm_config_clear(&cfg);
    cfg = parse_one("service_binding = Required");
    CU_ASSERT_EQUAL(cfg.service_binding, NTLM_SB_REQUIRED);
    ntlm_config_clear(&cfg);
    cfg = parse_one("service_binding = when_present");
    CU_ASSERT_EQUAL(cfg.service_binding, NTLM_SB_WHEN_PRESENT);
    ntlm_config_clear(&cfg);
    cfg = parse_one("service_names = HTTP/www.example.com ,cifs/files.example.com:445,\t"
                    "host/[::1]");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg.service_names);
    CU_ASSERT_STRING_EQUAL(cfg.service_names[0], "HTTP/www.example.com");
    CU_ASSERT_STRING_EQUAL(cfg.service_names[1], "cifs/files.example.com:445");
    CU_ASSERT_STRING_EQUAL(cfg.service_names[2], "host/[::1]");
    CU_ASSERT_PTR_NULL(cfg.service_names[3]);
    ntlm_config_clear(&cfg);
}

static void
test_parse_rejects_bad_service_names_naming_source_and_line(void)
{
    static const char *const bad[] = {
        "service_names = HTTP",           "service_names = HTTP/",      "service_names = /www",
        "service_names = HTTP/a,",        "service_names = ,HTTP/a",    "service_names = HTTP/a b",
        "service_names = HTTP/a,,HTTP/b", "service_names = HTTP/a\x01",
    };
    char text[128];
    size_t i;

    check_parse_error("\nservice_binding = yes\n",
                      "test.conf:2: service_binding: expected never, when_present or required");
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text), "\n%s\n", bad[i]);
        check_parse_error(text, "test.conf:2: service_names: expected SPNs of the form "
                                "class/host, separated by commas");
    }
}

static void
test_parse_rejects_more_than_the_most_service_names(void)
{
    char text[NTLM_MAX_SERVICE_NAMES * 16 + 64];
    size_t i, len;

    len = (size_t)snprintf(text, sizeof(text), "service_names = ");
    for (i = 0; i <= NTLM_MAX_SERVICE_NAMES; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%sHTTP/h%zu", i ? "," : "", i);
    check_parse_error(text, "test.conf:1: service_names: more than 64 SPNs");
}

static void
test_parse_reads_the_winbind_keys(void)
{
    struct ntlm_config cfg = parse_one("winbind_timeout = 300");

    CU_ASSERT_EQUAL(cfg.winbind_timeout, 300);
    ntlm_config_clear(&cfg);
    cfg = parse_one("winbind_timeout = 1");
    CU_ASSERT_EQUAL(cfg.winbind_timeout, 1);
    ntlm_config_clear(&cfg);
    cfg = parse_one("winbind_max_inflight = 1");
    CU_ASSERT_EQUAL(cfg.winbind_max_inflight, 1);
    ntlm_config_clear(&cfg);
    cfg = parse_one("winbind_max_inflight = 1024");
    CU_ASSERT_EQUAL(cfg.winbind_max_inflight, 1024);
    ntlm_config_clear(&cfg);
    cfg = parse_one("winbind = No");
    CU_ASSERT_EQUAL(cfg.winbind, NTLM_WINBIND_NO);
    ntlm_config_clear(&cfg);
#ifdef HAVE_WBCLIENT
    cfg = parse_one("winbind = fallback");
    CU_ASSERT_EQUAL(cfg.winbind, NTLM_WINBIND_FALLBACK);
    ntlm_config_clear(&cfg);
    cfg = parse_one("winbind = ONLY");
    CU_ASSERT_EQUAL(cfg.winbind, NTLM_WINBIND_ONLY);
    ntlm_config_clear(&cfg);
#else
    check_parse_error("winbind = only\n", "test.conf:1: winbind: this build has no winbind "
                                          "support (configure --with-wbclient)");
#endif
    check_parse_error("winbind = yes\n", "test.conf:1: winbind: expected no, fallback or only");
    check_parse_error("winbind_timeout = 0\n",
                      "test.conf:1: winbind_timeout: expected a number of seconds from 1 to 300");
    check_parse_error("winbind_timeout = 301\n",
                      "test.conf:1: winbind_timeout: expected a number of seconds from 1 to 300");
    check_parse_error("winbind_timeout = 2s\n",
                      "test.conf:1: winbind_timeout: expected a number of seconds from 1 to 300");
    check_parse_error("winbind_max_inflight = 0\n", "test.conf:1: winbind_max_inflight: "
                                                    "expected a number of logons from 1 to 1024");
    check_parse_error("winbind_max_inflight = 1025\n",
                      "test.conf:1: winbind_max_inflight: expected a number of logons from 1 to "
                      "1024");
}

#define DOMAINS_ERROR                                                                              \
    "test.conf:1: local_map_domains: expected *, or domain names separated by commas (no empty "   \
    "name, backslash or control character)"

static void
test_parse_reads_the_local_account_keys(void)
{
    struct ntlm_config cfg = parse_one("# defaults");

    /* Root and system accounts never, and no domain but our own. */
    CU_ASSERT_EQUAL(cfg.local_uid_min, NTLM_DEFAULT_LOCAL_UID_MIN);
    CU_ASSERT_EQUAL(NTLM_DEFAULT_LOCAL_UID_MIN, 1000);
    CU_ASSERT_PTR_NULL(cfg.local_map_domains);
    CU_ASSERT_FALSE(cfg.local_map_any_domain);
    ntlm_config_clear(&cfg);
    cfg = parse_one("local_uid_min = 0");
    CU_ASSERT_EQUAL(cfg.local_uid_min, 0);
    ntlm_config_clear(&cfg);
    cfg = parse_one("local_uid_min = 4294967295");
    CU_ASSERT_EQUAL(cfg.local_uid_min, 4294967295ul);
    ntlm_config_clear(&cfg);
    cfg = parse_one("local_map_domains = PARTNER ,corp.example.com,\tOTHER");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg.local_map_domains);
    CU_ASSERT_STRING_EQUAL(cfg.local_map_domains[0], "PARTNER");
    CU_ASSERT_STRING_EQUAL(cfg.local_map_domains[1], "corp.example.com");
    CU_ASSERT_STRING_EQUAL(cfg.local_map_domains[2], "OTHER");
    CU_ASSERT_PTR_NULL(cfg.local_map_domains[3]);
    CU_ASSERT_FALSE(cfg.local_map_any_domain);
    ntlm_config_clear(&cfg);
    cfg = parse_one("local_map_domains = *");
    CU_ASSERT_TRUE(cfg.local_map_any_domain);
    ntlm_config_clear(&cfg);
    cfg = parse_one("local_map_domains =");
    CU_ASSERT_PTR_NULL(cfg.local_map_domains);
    CU_ASSERT_FALSE(cfg.local_map_any_domain);
    ntlm_config_clear(&cfg);
    check_parse_error("local_uid_min = 4294967296\n",
                      "test.conf:1: local_uid_min: expected a uid from 0 to 4294967295");
    check_parse_error("local_uid_min = -1\n",
                      "test.conf:1: local_uid_min: expected a uid from 0 to 4294967295");
    check_parse_error("local_uid_min = 1000 # regular users\n",
                      "test.conf:1: local_uid_min: expected a uid from 0 to 4294967295");
    check_parse_error("local_map_domains = A,,B\n", DOMAINS_ERROR);
    check_parse_error("local_map_domains = A,\n", DOMAINS_ERROR);
    check_parse_error("local_map_domains = A, *\n", DOMAINS_ERROR);
    check_parse_error("local_map_domains = CORP\\SUB\n", DOMAINS_ERROR);
}

static void
test_own_and_listed_domains_map_locally(void)
{
    struct ntlm_config cfg = parse_one("netbios_domain = CORP\ndns_domain = corp.example.com\n"
                                       "local_map_domains = Partner");

    CU_ASSERT_TRUE(ntlm_config_domain_maps_locally(&cfg, NULL));
    CU_ASSERT_TRUE(ntlm_config_domain_maps_locally(&cfg, ""));
    CU_ASSERT_TRUE(ntlm_config_domain_maps_locally(&cfg, "corp"));
    CU_ASSERT_TRUE(ntlm_config_domain_maps_locally(&cfg, "CORP.EXAMPLE.COM"));
    CU_ASSERT_TRUE(ntlm_config_domain_maps_locally(&cfg, "PARTNER"));
    CU_ASSERT_FALSE(ntlm_config_domain_maps_locally(&cfg, "OTHER"));
    CU_ASSERT_FALSE(ntlm_config_domain_maps_locally(&cfg, "CORP.EXAMPLE"));
    ntlm_config_clear(&cfg);
    cfg = parse_one("netbios_domain = CORP\ndns_domain =");
    CU_ASSERT_FALSE(ntlm_config_domain_maps_locally(&cfg, "PARTNER"));
    ntlm_config_clear(&cfg);
}

/* Windows 11's lockout defaults; the state directory under $(localstatedir). */
static void
test_lockout_keys_default_to_windows_values_and_the_installed_state_dir(void)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL_FATAL(ntlm_config_parse("user_file = /srv/users\n", "test.conf", &cfg), 0);
    CU_ASSERT_EQUAL(cfg.lockout_threshold, 10);
    CU_ASSERT_EQUAL(cfg.lockout_window, 600);
    CU_ASSERT_EQUAL(cfg.lockout_duration, 600);
    CU_ASSERT_PTR_NULL(cfg.state_dir);
    CU_ASSERT_EQUAL_FATAL(ntlm_config_defaults(&cfg), 0);
    CU_ASSERT_STRING_EQUAL(cfg.state_dir, LOCALSTATEDIR "/lib/sspigss");
    ntlm_config_clear(&cfg);
}

static void
test_parse_reads_the_lockout_keys(void)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL_FATAL(ntlm_config_parse("lockout_threshold = 3\nlockout_window = 30\n"
                                            "lockout_duration = 5999940\n"
                                            "state_dir = /run/sspigss\n",
                                            "test.conf", &cfg),
                          0);
    CU_ASSERT_EQUAL(cfg.lockout_threshold, 3);
    CU_ASSERT_EQUAL(cfg.lockout_window, 30);
    CU_ASSERT_EQUAL(cfg.lockout_duration, 5999940);
    CU_ASSERT_STRING_EQUAL(cfg.state_dir, "/run/sspigss");
    CU_ASSERT_EQUAL_FATAL(ntlm_config_defaults(&cfg), 0);
    CU_ASSERT_STRING_EQUAL(cfg.state_dir, "/run/sspigss");
    ntlm_config_clear(&cfg);
    /* Off: the window and duration are then not checked against each other. */
    cfg = parse_one("lockout_threshold = 0\nlockout_window = 900\nlockout_duration = 60");
    CU_ASSERT_EQUAL(cfg.lockout_threshold, 0);
    ntlm_config_clear(&cfg);
    cfg = parse_one("lockout_threshold = 999\nlockout_window = 60\nlockout_duration = 60");
    CU_ASSERT_EQUAL(cfg.lockout_threshold, 999);
    ntlm_config_clear(&cfg);
}

static void
test_parse_rejects_bad_lockout_values_naming_source_and_line(void)
{
    check_parse_error("lockout_threshold = 1000\n",
                      "test.conf:1: lockout_threshold: expected a number of failed logons from 0 "
                      "to 999");
    check_parse_error("lockout_threshold = -1\n",
                      "test.conf:1: lockout_threshold: expected a number of failed logons from 0 "
                      "to 999");
    check_parse_error(
        "lockout_window = 0\n",
        "test.conf:1: lockout_window: expected a number of seconds from 1 to 5999940");
    check_parse_error("lockout_duration = 5999941\n", "test.conf:1: lockout_duration: expected a "
                                                      "number of seconds from 1 to 5999940");
    check_parse_error("lockout_duration = 10m\n", "test.conf:1: lockout_duration: expected a "
                                                  "number of seconds from 1 to 5999940");
    check_parse_error("state_dir = var/lib/sspigss\n",
                      "test.conf:1: state_dir: expected the absolute path of a directory");
    check_parse_error("state_dir =\n",
                      "test.conf:1: state_dir: expected the absolute path of a directory");
    /* Windows' rule: counts must not outlive the lockout. */
    check_parse_error("lockout_window = 601\n",
                      "test.conf:1: lockout_window must not exceed lockout_duration");
    check_parse_error("\nlockout_duration = 60\n",
                      "test.conf:2: lockout_window must not exceed lockout_duration");
}

static void
test_parse_rejects_bad_policy_values_naming_source_and_line(void)
{
    check_parse_error("mic = sometimes\n", "test.conf:1: mic: expected when_present or always");
    check_parse_error("mic =\n", "test.conf:1: mic: expected when_present or always");
    check_parse_error("\nchannel_bindings = required\n",
                      "test.conf:2: channel_bindings: expected never, when_supported or always");
    check_parse_error("replay_window = -1\n",
                      "test.conf:1: replay_window: expected a number of seconds from 0 to 86400");
    check_parse_error("replay_window = 86401\n",
                      "test.conf:1: replay_window: expected a number of seconds from 0 to 86400");
    check_parse_error("replay_window = 99999999999999999999999\n",
                      "test.conf:1: replay_window: expected a number of seconds from 0 to 86400");
    check_parse_error("replay_window = 5m\n",
                      "test.conf:1: replay_window: expected a number of seconds from 0 to 86400");
    check_parse_error("replay_window =\n",
                      "test.conf:1: replay_window: expected a number of seconds from 0 to 86400");
    check_parse_error("anonymous = allowed\n",
                      "test.conf:1: anonymous: expected yes, no, true, false, 1 or 0");
    check_parse_error("user_file_permissions = lax\n",
                      "test.conf:1: user_file_permissions: expected strict or relaxed");
    check_parse_error("audit = audit.log\n",
                      "test.conf:1: audit: expected none, syslog or the absolute path of a file");
    check_parse_error("audit = /\n",
                      "test.conf:1: audit: expected none, syslog or the absolute path of a file");
    check_parse_error("audit =\n",
                      "test.conf:1: audit: expected none, syslog or the absolute path of a file");
    check_parse_error("audit = /a.log\naudit = none\n",
                      "test.conf:2: \"audit\" already set on line 1");
    static const char *const bad_minsec[] = {
        "", "56bit", "128bit, 128bit", "none, ess", "ess,,56bit", "128bitess", ",",
    };
    char line[64];
    size_t i;

    for (i = 0; i < sizeof(bad_minsec) / sizeof(bad_minsec[0]); i++) {
        snprintf(line, sizeof(line), "min_session_security = %s\n", bad_minsec[i]);
        check_parse_error(line, "test.conf:1: min_session_security: expected none, or 128bit "
                                "and/or ess");
    }
}

static void
test_failed_parse_replaces_earlier_settings_with_the_error(void)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL_FATAL(ntlm_config_parse("user_file = /a\n", "one.conf", &cfg), 0);
    CU_ASSERT_EQUAL(ntlm_config_parse("bogus = 1\n", "two.conf", &cfg), NTLM_ERR_CONFIG);
    CU_ASSERT_PTR_NULL(cfg.user_file);
    CU_ASSERT_STRING_EQUAL(cfg.error, "two.conf:1: unknown key \"bogus\"");
    ntlm_config_clear(&cfg);
}

static void
test_defaults_fill_unset_fields_from_the_host_name(void)
{
    struct ntlm_config cfg = {0};
    char host[256] = "";
    char want_netbios[16];
    const char *dot;
    size_t i;

    CU_ASSERT_EQUAL_FATAL(gethostname(host, sizeof(host) - 1), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_config_defaults(&cfg), 0);
    for (i = 0; i < 15 && host[i] != '\0' && host[i] != '.'; i++)
        want_netbios[i] = (char)(host[i] >= 'a' && host[i] <= 'z' ? host[i] - 32 : host[i]);
    want_netbios[i] = '\0';
    CU_ASSERT_STRING_EQUAL(cfg.netbios_name, want_netbios);
    CU_ASSERT_STRING_EQUAL(cfg.netbios_domain, "WORKGROUP");
    CU_ASSERT_EQUAL(strcasecmp(cfg.dns_name, host), 0);
    dot = strchr(host, '.');
    CU_ASSERT_EQUAL(strcasecmp(cfg.dns_domain, dot != NULL ? dot + 1 : ""), 0);
    CU_ASSERT_PTR_NULL(cfg.user_file);
    CU_ASSERT_FALSE(cfg.allow_ntlmv1);
    ntlm_config_clear(&cfg);
}

static void
test_defaults_keep_fields_the_file_set(void)
{
    struct ntlm_config cfg = {0};

    CU_ASSERT_EQUAL_FATAL(
        ntlm_config_parse("netbios_name = FILESRV\ndns_domain =\n", "test.conf", &cfg), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_config_defaults(&cfg), 0);
    CU_ASSERT_STRING_EQUAL(cfg.netbios_name, "FILESRV");
    CU_ASSERT_STRING_EQUAL(cfg.dns_domain, "");
    CU_ASSERT_STRING_EQUAL(cfg.netbios_domain, "WORKGROUP");
    CU_ASSERT_PTR_NOT_NULL(cfg.dns_name);
    ntlm_config_clear(&cfg);
}

/* Loads config_path with NTLM_USER_FILE set to user_file (unset when NULL) and checks what
 * came out; returns the number of the first check that failed, 0 when all passed. */
static int
check_load(const char *config_path, const char *user_file, const char *want_user_file,
           const char *want_error)
{
    struct ntlm_config cfg;
    uint32_t ret;
    int failed = 0;

    if (user_file != NULL ? setenv("NTLM_USER_FILE", user_file, 1) != 0
                          : unsetenv("NTLM_USER_FILE") != 0)
        return 1;
    ret = ntlm_config_load(config_path, true, &cfg);
    unsetenv("NTLM_USER_FILE");
    if (want_error != NULL) {
        if (ret != NTLM_ERR_CONFIG || cfg.error == NULL || strstr(cfg.error, want_error) == NULL)
            failed = 4;
    } else if (ret != 0 || cfg.error != NULL) {
        failed = 5;
    } else if (strcmp(cfg.user_file, want_user_file) != 0) {
        failed = 6;
    } else if (strcmp(cfg.netbios_domain, "CORP") != 0 || cfg.netbios_name == NULL) {
        failed = 7;
    } else if (cfg.replay_window != NTLM_DEFAULT_REPLAY_WINDOW || cfg.audit != NTLM_AUDIT_SYSLOG) {
        /* Keys the file leaves out keep their defaults, replay_window's 300 among them. */
        failed = 8;
    }
    ntlm_config_clear(&cfg);
    return failed;
}

static void
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT_FATAL(fputs(text, f) >= 0);
    CU_ASSERT_FATAL(fclose(f) == 0);
}

static void
test_config_load_reads_the_named_file_with_environment_overrides(void)
{
    char dir[] = "/tmp/test_ntlm_config.XXXXXX";
    char good[64], bad[64], missing[64], want[80];

    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(good, sizeof(good), "%s/good.conf", dir);
    snprintf(bad, sizeof(bad), "%s/bad.conf", dir);
    snprintf(missing, sizeof(missing), "%s/missing.conf", dir);
    write_file(good, "user_file = /srv/users\nnetbios_domain = CORP\n");
    write_file(bad, "netbios_domain = CORP\nntlmv1 = sometimes\n");

    CU_ASSERT_EQUAL(check_load(good, NULL, "/srv/users", NULL), 0);
    CU_ASSERT_EQUAL(check_load(good, "/env/users", "/env/users", NULL), 0);
    snprintf(want, sizeof(want), "%s:2: ntlmv1:", bad);
    CU_ASSERT_EQUAL(check_load(bad, NULL, NULL, want), 0);
    /* A file someone named must exist, unlike the default one. */
    snprintf(want, sizeof(want), "%s: cannot read:", missing);
    CU_ASSERT_EQUAL(check_load(missing, NULL, NULL, want), 0);
    snprintf(want, sizeof(want), "%s: cannot read:", dir);
    CU_ASSERT_EQUAL(check_load(dir, NULL, NULL, want), 0);

    unlink(good);
    unlink(bad);
    rmdir(dir);
}

static void
test_config_load_takes_a_missing_default_file_as_all_defaults(void)
{
    struct ntlm_config cfg;

    CU_ASSERT_EQUAL(ntlm_config_load("/nonexistent/sspigss/ntlm.conf", false, &cfg), 0);
    CU_ASSERT_PTR_NULL(cfg.error);
    CU_ASSERT_EQUAL(cfg.replay_window, NTLM_DEFAULT_REPLAY_WINDOW);
    CU_ASSERT_PTR_NOT_NULL(cfg.netbios_name);
    ntlm_config_clear(&cfg);
}

static void
test_config_default_path_is_the_environment_s_else_the_sysconfdir_file(void)
{
    bool named = true;

    CU_ASSERT_EQUAL_FATAL(unsetenv("SSPIGSS_NTLM_CONFIG"), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(ntlm_config_default_path(&named), "/sspigss/ntlm.conf"));
    CU_ASSERT_FALSE(named);
    CU_ASSERT_EQUAL_FATAL(setenv("SSPIGSS_NTLM_CONFIG", "/srv/app.conf", 1), 0);
    CU_ASSERT_STRING_EQUAL(ntlm_config_default_path(&named), "/srv/app.conf");
    CU_ASSERT_TRUE(named);
    CU_ASSERT_EQUAL(unsetenv("SSPIGSS_NTLM_CONFIG"), 0);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"parse reads every key", test_parse_reads_every_key},
        {"parse skips comments and blank lines and trims whitespace",
         test_parse_skips_comments_and_blank_lines_and_trims_whitespace},
        {"parse accepts every boolean spelling", test_parse_accepts_every_boolean_spelling},
        {"parse rejects a bad boolean naming source and line",
         test_parse_rejects_a_bad_boolean_naming_source_and_line},
        {"parse rejects an unknown key naming source and line",
         test_parse_rejects_an_unknown_key_naming_source_and_line},
        {"parse accepts the obsolete lm key and keeps its line",
         test_parse_accepts_the_obsolete_lm_key_and_keeps_its_line},
        {"parse rejects malformed lines", test_parse_rejects_malformed_lines},
        {"policy keys default to the secure settings",
         test_policy_keys_default_to_the_secure_settings},
        {"parse reads every policy key in its other setting",
         test_parse_reads_every_policy_key_in_its_other_setting},
        {"parse accepts each policy value in any case",
         test_parse_accepts_each_policy_value_in_any_case},
        {"parse reads the service binding keys", test_parse_reads_the_service_binding_keys},
        {"parse rejects bad service names naming source and line",
         test_parse_rejects_bad_service_names_naming_source_and_line},
        {"parse rejects more than the most service names",
         test_parse_rejects_more_than_the_most_service_names},
        {"parse reads the winbind keys", test_parse_reads_the_winbind_keys},
        {"parse reads the local account keys", test_parse_reads_the_local_account_keys},
        {"own and listed domains map locally", test_own_and_listed_domains_map_locally},
        {"lockout keys default to windows values and the installed state dir",
         test_lockout_keys_default_to_windows_values_and_the_installed_state_dir},
        {"parse reads the lockout keys", test_parse_reads_the_lockout_keys},
        {"parse rejects bad lockout values naming source and line",
         test_parse_rejects_bad_lockout_values_naming_source_and_line},
        {"parse rejects bad policy values naming source and line",
         test_parse_rejects_bad_policy_values_naming_source_and_line},
        {"failed parse replaces earlier settings with the error",
         test_failed_parse_replaces_earlier_settings_with_the_error},
        {"defaults fill unset fields from the host name",
         test_defaults_fill_unset_fields_from_the_host_name},
        {"defaults keep fields the file set", test_defaults_keep_fields_the_file_set},
        {"config load reads the named file with environment overrides",
         test_config_load_reads_the_named_file_with_environment_overrides},
        {"config load takes a missing default file as all defaults",
         test_config_load_takes_a_missing_default_file_as_all_defaults},
        {"config default path is the environment's, else the sysconfdir file",
         test_config_default_path_is_the_environment_s_else_the_sysconfdir_file},
        CU_TEST_INFO_NULL,
    };

    return test_run_suite("ntlm_config", tests);
}
