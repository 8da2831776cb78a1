/*
 * The debug trace (mech/core/ntlm_debug.c): its line layout and escaping, the file it refuses, the
 * debug configuration key, and a raw NTLM handshake through MIT's mechglue that must name
 * every step without a secret. SSPIGSS_NTLM_DEBUG is read once per process, so each traced
 * case runs in a forked child.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "gss_test_env.h"
#include "ntlm_auth.h"
#include "ntlm_config.h"
#include "ntlm_debug.h"
#include "ntlm_errors.h"
#include "ntlm_message.h"
#include "sspigss_ntlm.h"
#include "test_util.h"

#define DEFAULT_CONFIG                                                                             \
    "netbios_name = TESTHOST\ndns_name = testhost.example\nnetbios_domain = TESTDOM\naudit = "     \
    "none\n"

static const char *env_dir;

static void
temp_path(const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", env_dir, name);
    unlink(out);
}

/* The whole file as a string; NULL when it does not exist. */
static char *
slurp(const char *path)
{
    char *text = NULL;
    size_t cap = 0;
    FILE *f = fopen(path, "r");
    ssize_t n;

    if (f == NULL)
        return NULL;
    n = getdelim(&text, &cap, '\0', f);
    fclose(f);
    if (n < 0) {
        free(text);
        return strdup("");
    }
    return text;
}

static size_t
count_lines(const char *text)
{
    size_t n = 0;

    for (; *text != '\0'; text++)
        n += *text == '\n';
    return n;
}

static void
hex(const uint8_t *p, size_t len, bool upper, char *out)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t i;

    for (i = 0; i < len; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 0xf];
    }
    out[2 * len] = '\0';
}

/* Runs fn in a child and returns its exit status (-1 when it did not exit normally). */
static int
in_child(int (*fn)(const void *), const void *arg)
{
    pid_t pid = fork();
    int status;

    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        fflush(NULL);
        _exit(fn(arg));
    }
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static int
child_writes_lines(const void *path)
{
    setenv("SSPIGSS_NTLM_DEBUG", path, 1);
    if (!ntlm_debug_enabled())
        return 1;
    ntlm_debug("step %s n=%u len=%zu", "a\nb\"c\x1b", 7u, (size_t)42);
    ntlm_debug_flags("flags", NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_SIGN);
    return 0;
}

static void
test_trace_lines_carry_time_pid_and_thread_and_escape_strings(void)
{
    char path[512], prefix[64];
    struct stat st;
    char *text, *second;
    int matched = 0;
    unsigned y, mo, d, h, mi, s, ms;
    long pid, tid;

    temp_path("trace-format", path, sizeof(path));
    CU_ASSERT_EQUAL_FATAL(in_child(child_writes_lines, path), 0);
    text = slurp(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_EQUAL(count_lines(text), 2);
    matched = sscanf(text, "%4u-%2u-%2uT%2u:%2u:%2u.%3uZ %ld %ld: ", &y, &mo, &d, &h, &mi, &s, &ms,
                     &pid, &tid);
    CU_ASSERT_EQUAL(matched, 9);
    snprintf(prefix, sizeof(prefix), " %ld %ld: ", pid, tid);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, prefix));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, ": step a%0Ab%22c%1B n=7 len=42\n"));
    second = strchr(text, '\n');
    CU_ASSERT_PTR_NOT_NULL_FATAL(second);
    CU_ASSERT_PTR_NOT_NULL(strstr(second + 1, ": flags 0x00000011 UNICODE|SIGN\n"));
    CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
    free(text);
    unlink(path);
}

static int
child_writes_long_line(const void *path)
{
    char s[200];

    memset(s, 'x', sizeof(s) - 1);
    s[sizeof(s) - 1] = '\0';
    setenv("SSPIGSS_NTLM_DEBUG", path, 1);
    ntlm_debug("%s %s %s %s %s %s %s %s %s %s", s, s, s, s, s, s, s, s, s, s);
    return 0;
}

static void
test_long_messages_are_cut_to_one_line(void)
{
    char path[512];
    char *text;
    size_t len;

    temp_path("trace-long", path, sizeof(path));
    CU_ASSERT_EQUAL_FATAL(in_child(child_writes_long_line, path), 0);
    text = slurp(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    len = strlen(text);
    CU_ASSERT_EQUAL(count_lines(text), 1);
    CU_ASSERT(len <= NTLM_DEBUG_LINE_MAX);
    CU_ASSERT(len > 4 && strcmp(text + len - 4, "...\n") == 0);
    free(text);
    unlink(path);
}

static void
test_trace_is_never_written_through_a_symbolic_link(void)
{
    char path[512], target[512];
    char *text;
    FILE *f;

    temp_path("trace-target", target, sizeof(target));
    temp_path("trace-link", path, sizeof(path));
    f = fopen(target, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fclose(f);
    CU_ASSERT_EQUAL_FATAL(symlink(target, path), 0);
    CU_ASSERT_EQUAL(in_child(child_writes_lines, path), 0);
    text = slurp(target);
    CU_ASSERT_PTR_NOT_NULL(text);
    CU_ASSERT(text != NULL && text[0] == '\0');
    free(text);
    unlink(path);
    unlink(target);
}

static void
test_debug_key_takes_none_or_an_absolute_path(void)
{
    struct ntlm_config cfg;

    ntlm_config_init(&cfg);
    CU_ASSERT_EQUAL(ntlm_config_parse("audit = none\n", "t", &cfg), 0);
    CU_ASSERT_PTR_NULL(cfg.debug_file);
    CU_ASSERT_EQUAL(ntlm_config_parse("debug = /var/log/ntlm.trace\n", "t", &cfg), 0);
    CU_ASSERT_STRING_EQUAL(cfg.debug_file, "/var/log/ntlm.trace");
    CU_ASSERT_EQUAL(ntlm_config_parse("debug = None\n", "t", &cfg), 0);
    CU_ASSERT_PTR_NULL(cfg.debug_file);
    CU_ASSERT_EQUAL(ntlm_config_parse("debug = trace.log\n", "t", &cfg), NTLM_ERR_CONFIG);
    CU_ASSERT_PTR_NOT_NULL(cfg.error != NULL ? strstr(cfg.error, "t:1: debug:") : NULL);
    CU_ASSERT_EQUAL(ntlm_config_parse("debug = /\n", "t", &cfg), NTLM_ERR_CONFIG);
    ntlm_config_clear(&cfg);
}

/* What the test does in SPNEGO's place once the NTLM contexts are complete. */
enum spnego_part {
    NO_SPNEGO,
    SPNEGO_SENT_MIC_ONLY, /* require-MIC asked, own mechListMIC sent: the peer's never read */
    SPNEGO_BOTH_MICS,     /* the peer's mechListMIC verified too */
};

/* The initiator's side of MIT SPNEGO's mechListMIC exchange, as far as part goes. */
static int
play_spnego(gss_ctx_id_t *ictx, enum spnego_part part)
{
    gss_OID_desc require = {SSPIGSS_NTLM_SAMBA_OID_LEN, SSPIGSS_NTLM_REQUIRE_MIC_OID_DER},
                 reset = {SSPIGSS_NTLM_SAMBA_OID_LEN, SSPIGSS_NTLM_RESET_CRYPTO_OID_DER};
    gss_buffer_set_t answer = GSS_C_NO_BUFFER_SET;
    OM_uint32 which = 0, min;
    gss_buffer_desc value = {sizeof(which), &which};

    if (part == NO_SPNEGO)
        return 0;
    if (gss_inquire_sec_context_by_oid(&min, *ictx, &require, &answer) != GSS_S_COMPLETE)
        return 1;
    gss_release_buffer_set(&min, &answer);
    if (gss_set_sec_context_option(&min, ictx, &reset, &value) != GSS_S_COMPLETE)
        return 1;
    which = 1;
    if (part == SPNEGO_BOTH_MICS &&
        gss_set_sec_context_option(&min, ictx, &reset, &value) != GSS_S_COMPLETE)
        return 1;
    return 0;
}

/* A raw NTLM handshake through the mechglue; writes the session key's hex to key_path. */
static int
handshake(const char *key_path, enum spnego_part part)
{
    gss_buffer_desc user = {strlen(TEST_USER), (void *)TEST_USER},
                    pass = {strlen(TEST_PASSWORD), (void *)TEST_PASSWORD},
                    host = {strlen("HTTP@testhost.example"), (void *)"HTTP@testhost.example"};
    gss_buffer_desc tok1 = GSS_C_EMPTY_BUFFER, tok2 = GSS_C_EMPTY_BUFFER, tok3 = GSS_C_EMPTY_BUFFER,
                    tok4 = GSS_C_EMPTY_BUFFER;
    gss_OID_set_desc mechs = {1, gss_test_ntlm_oid};
    gss_name_t uname = GSS_C_NO_NAME, target = GSS_C_NO_NAME;
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    gss_buffer_set_t keys = GSS_C_NO_BUFFER_SET;
    OM_uint32 maj, min;
    char key_hex[33];
    FILE *f;
    int ret = 1;

    if (gss_import_name(&min, &user, GSS_C_NT_USER_NAME, &uname) != GSS_S_COMPLETE ||
        gss_import_name(&min, &host, GSS_C_NT_HOSTBASED_SERVICE, &target) != GSS_S_COMPLETE)
        goto done;
    if (gss_acquire_cred_with_password(&min, uname, &pass, 0, &mechs, GSS_C_INITIATE, &cred, NULL,
                                       NULL) != GSS_S_COMPLETE)
        goto done;
    maj = gss_init_sec_context(&min, cred, &ictx, target, gss_test_ntlm_oid,
                               GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, 0, NULL, GSS_C_NO_BUFFER, NULL,
                               &tok1, NULL, NULL);
    if (maj != GSS_S_CONTINUE_NEEDED)
        goto done;
    maj = gss_accept_sec_context(&min, &actx, GSS_C_NO_CREDENTIAL, &tok1, NULL, NULL, NULL, &tok2,
                                 NULL, NULL, NULL);
    if (maj != GSS_S_CONTINUE_NEEDED)
        goto done;
    maj = gss_init_sec_context(&min, cred, &ictx, target, gss_test_ntlm_oid,
                               GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, 0, NULL, &tok2, NULL, &tok3,
                               NULL, NULL);
    if (maj != GSS_S_COMPLETE)
        goto done;
    maj = gss_accept_sec_context(&min, &actx, GSS_C_NO_CREDENTIAL, &tok3, NULL, NULL, NULL, &tok4,
                                 NULL, NULL, NULL);
    if (maj != GSS_S_COMPLETE || play_spnego(&ictx, part) != 0)
        goto done;
    if (key_path == NULL) {
        ret = 0;
        goto done;
    }
    if (gss_inquire_sec_context_by_oid(&min, actx, GSS_C_INQ_SSPI_SESSION_KEY, &keys) !=
            GSS_S_COMPLETE ||
        keys == GSS_C_NO_BUFFER_SET || keys->count < 1 || keys->elements[0].length != 16)
        goto done;
    hex(keys->elements[0].value, 16, false, key_hex);
    f = fopen(key_path, "w");
    if (f == NULL)
        goto done;
    fputs(key_hex, f);
    if (fclose(f) == 0)
        ret = 0;
done:
    gss_release_buffer_set(&min, &keys);
    gss_release_buffer(&min, &tok1);
    gss_release_buffer(&min, &tok2);
    gss_release_buffer(&min, &tok3);
    gss_release_buffer(&min, &tok4);
    gss_delete_sec_context(&min, &ictx, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&min, &actx, GSS_C_NO_BUFFER);
    gss_release_cred(&min, &cred);
    gss_release_name(&min, &uname);
    gss_release_name(&min, &target);
    return ret;
}

struct traced_run {
    const char *env;    /* SSPIGSS_NTLM_DEBUG, NULL: unset */
    const char *config; /* ntlm.conf for this run */
    const char *key_path;
    enum spnego_part spnego;
};

static int
child_handshake(const void *arg)
{
    const struct traced_run *run = arg;

    if (run->env != NULL)
        setenv("SSPIGSS_NTLM_DEBUG", run->env, 1);
    else
        unsetenv("SSPIGSS_NTLM_DEBUG");
    if (gss_test_env_write_config(run->config) != 0)
        return 2;
    return handshake(run->key_path, run->spnego);
}

/* Two logons in one process: what is said once per read of the file must show once. */
static int
child_two_handshakes(const void *arg)
{
    int ret = child_handshake(arg);

    return ret != 0 ? ret : child_handshake(arg);
}

static unsigned
occurrences(const char *text, const char *needle)
{
    unsigned n = 0;

    for (const char *at = strstr(text, needle); at != NULL; at = strstr(at + 1, needle))
        n++;
    return n;
}

static void
assert_contains(const char *text, const char *needle)
{
    if (strstr(text, needle) == NULL)
        fprintf(stderr, "\n  trace lacks \"%s\"", needle);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, needle));
}

static void
assert_lacks(const char *text, const char *secret)
{
    if (strcasestr(text, secret) != NULL)
        fprintf(stderr, "\n  trace holds the secret \"%s\"", secret);
    CU_ASSERT_PTR_NULL(strcasestr(text, secret));
}

static void
test_handshake_trace_names_each_step_and_no_secret(void)
{
    char path[512], key_path[512], nt_hex[33];
    struct traced_run run = {path, DEFAULT_CONFIG, key_path, NO_SPNEGO};
    uint8_t nt_hash[16];
    char *text, *key_hex;

    temp_path("trace-handshake", path, sizeof(path));
    temp_path("session-key", key_path, sizeof(key_path));
    CU_ASSERT_EQUAL_FATAL(in_child(child_handshake, &run), 0);
    text = slurp(path);
    key_hex = slurp(key_path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(key_hex);
    CU_ASSERT_EQUAL(strlen(key_hex), 32);
    assert_contains(text, "acquire_cred_with_password: \"alice\"");
    assert_contains(text, "init: NEGOTIATE sent, flags 0x");
    assert_contains(text, "accept: NEGOTIATE received, client flags 0x");
    assert_contains(text, "acquire_cred: user file ");
    assert_contains(text, "(from NTLM_USER_FILE)");
    assert_contains(text, "accept: CHALLENGE sent, flags 0x");
    assert_contains(text, "init: CHALLENGE received");
    assert_contains(text, "init: AUTHENTICATE built: user \"alice\" domain \"\"");
    assert_contains(text, "accept: AUTHENTICATE received: user \"alice\"");
    assert_contains(text, "(NTLMv2)");
    assert_contains(text, "accept: NTLMv2 blob: MIC announced");
    assert_contains(text, "accept: password verification (NTLMv2): ok");
    assert_contains(text, "accept: MIC verified");
    assert_contains(text, "accept: timestamp and replay check (window 300s): ok");
    assert_contains(text, "accept: session established for \"alice\" in domain \"TESTDOM\"");
    assert_contains(text, "init: session established");
    assert_lacks(text, TEST_PASSWORD);
    CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash(TEST_PASSWORD, nt_hash), 0);
    hex(nt_hash, 16, false, nt_hex);
    assert_lacks(text, nt_hex);
    assert_lacks(text, key_hex);
    free(text);
    free(key_hex);
    unlink(path);
    unlink(key_path);
}

static void
test_an_initiator_spnego_abandons_before_the_peers_mic_names_ticket_9183(void)
{
    char path[512];
    struct traced_run run = {path, DEFAULT_CONFIG, NULL, SPNEGO_SENT_MIC_ONLY};
    char *text;

    temp_path("trace-9183", path, sizeof(path));
    CU_ASSERT_EQUAL_FATAL(in_child(child_handshake, &run), 0);
    text = slurp(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    assert_contains(text, "init: SPNEGO released the context without verifying the acceptor's "
                          "mechListMIC");
    assert_contains(text, "ticket 9183");
    free(text);
    unlink(path);

    /* Both MICs exchanged: nothing to explain. */
    run.spnego = SPNEGO_BOTH_MICS;
    CU_ASSERT_EQUAL_FATAL(in_child(child_handshake, &run), 0);
    text = slurp(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NULL(strstr(text, "ticket 9183"));
    free(text);
    unlink(path);
}

static void
test_debug_key_turns_the_trace_on_and_the_environment_wins(void)
{
    char path[512], config[1024];
    struct traced_run run = {NULL, config, NULL, NO_SPNEGO};
    char *text;

    temp_path("trace-config", path, sizeof(path));
    snprintf(config, sizeof(config), "%sdebug = %s\n", DEFAULT_CONFIG, path);
    CU_ASSERT_EQUAL_FATAL(in_child(child_handshake, &run), 0);
    text = slurp(path);
    CU_ASSERT_PTR_NOT_NULL(text);
    if (text != NULL)
        assert_contains(text, "accept: session established");
    free(text);
    unlink(path);
    run.env = "none";
    CU_ASSERT_EQUAL(in_child(child_handshake, &run), 0);
    CU_ASSERT_EQUAL(access(path, F_OK), -1);
    unlink(path);
    CU_ASSERT_EQUAL(gss_test_env_write_config(DEFAULT_CONFIG), 0);
}

/* Issue 15: a file that still sets the obsolete lm key works, and the trace says once per read
 * of the file that it is ignored. */
static void
test_the_trace_notes_an_obsolete_lm_key(void)
{
    char path[512], config[1024];
    struct traced_run run = {NULL, config, NULL, NO_SPNEGO};
    char *text;

    temp_path("trace-lm", path, sizeof(path));
    snprintf(config, sizeof(config), "debug = %s\nlm = yes\n%s", path, DEFAULT_CONFIG);
    CU_ASSERT_EQUAL_FATAL(in_child(child_two_handshakes, &run), 0);
    text = slurp(path);
    CU_ASSERT_PTR_NOT_NULL(text);
    if (text != NULL) {
        /* Once per read of the file, not once per step (review of issue 15). */
        CU_ASSERT_EQUAL(occurrences(text, "configuration line 2: lm is obsolete and ignored"), 1);
        CU_ASSERT_EQUAL(occurrences(text, "accept: session established"), 2);
    }
    free(text);
    unlink(path);
    CU_ASSERT_EQUAL(gss_test_env_write_config(DEFAULT_CONFIG), 0);
}

static void
test_nothing_is_written_when_the_trace_is_off(void)
{
    char path[512];
    struct traced_run run = {NULL, DEFAULT_CONFIG, NULL, NO_SPNEGO};

    temp_path("trace-off", path, sizeof(path));
    CU_ASSERT_EQUAL_FATAL(in_child(child_handshake, &run), 0);
    CU_ASSERT_EQUAL(access(path, F_OK), -1);
    /* The same handshake, traced, does write there: the check above could fail. */
    run.env = path;
    CU_ASSERT_EQUAL_FATAL(in_child(child_handshake, &run), 0);
    CU_ASSERT_EQUAL(access(path, F_OK), 0);
    unlink(path);
}

/* Two trace files, A and B, and the lines a child writes under nested scopes. */
struct scoped_paths {
    char a[512], b[512];
};

static int
child_traces_under_scopes(const void *arg)
{
    const struct scoped_paths *p = arg;
    struct ntlm_debug_scope outer, inner;

    /* A configuration that asks for a trace: the trace must not read it by itself. */
    unsetenv("SSPIGSS_NTLM_DEBUG");
    if (ntlm_debug_enabled())
        return 1;
    ntlm_debug("before any scope");
    ntlm_debug_enter(p->a, &outer);
    ntlm_debug("one to A");
    ntlm_debug_enter(p->b, &inner);
    ntlm_debug("two to B");
    ntlm_debug_leave(&inner);
    ntlm_debug("three to A");
    ntlm_debug_leave(&outer);
    ntlm_debug("after every scope");
    return ntlm_debug_enabled() ? 2 : 0;
}

static void
test_a_call_traces_where_its_scope_says_and_scopes_nest(void)
{
    struct scoped_paths p;
    char config[1024], *a, *b;

    temp_path("scope-a", p.a, sizeof(p.a));
    temp_path("scope-b", p.b, sizeof(p.b));
    snprintf(config, sizeof(config), "%sdebug = %s\n", DEFAULT_CONFIG, p.b);
    CU_ASSERT_EQUAL_FATAL(gss_test_env_write_config(config), 0);
    CU_ASSERT_EQUAL_FATAL(in_child(child_traces_under_scopes, &p), 0);
    a = slurp(p.a);
    b = slurp(p.b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    assert_contains(a, "one to A");
    assert_contains(a, "three to A");
    CU_ASSERT_PTR_NULL(strstr(a, "two to B"));
    CU_ASSERT_EQUAL(count_lines(a), 2);
    CU_ASSERT_EQUAL(count_lines(b), 1);
    assert_contains(b, "two to B");
    free(a);
    free(b);
    unlink(p.a);
    unlink(p.b);
    CU_ASSERT_EQUAL(gss_test_env_write_config(DEFAULT_CONFIG), 0);
}

static CU_TestInfo tests[] = {
    {"a call traces where its scope says, and scopes nest",
     test_a_call_traces_where_its_scope_says_and_scopes_nest},
    {"trace lines carry time, pid and thread and escape strings",
     test_trace_lines_carry_time_pid_and_thread_and_escape_strings},
    {"long messages are cut to one line", test_long_messages_are_cut_to_one_line},
    {"the trace is never written through a symbolic link",
     test_trace_is_never_written_through_a_symbolic_link},
    {"the debug key takes none or an absolute path", test_debug_key_takes_none_or_an_absolute_path},
    {"a handshake's trace names each step and no secret",
     test_handshake_trace_names_each_step_and_no_secret},
    {"an initiator SPNEGO abandons before the peer's mechListMIC names ticket 9183",
     test_an_initiator_spnego_abandons_before_the_peers_mic_names_ticket_9183},
    {"the debug key turns the trace on and the environment wins",
     test_debug_key_turns_the_trace_on_and_the_environment_wins},
    {"the trace notes an obsolete lm key", test_the_trace_notes_an_obsolete_lm_key},
    {"nothing is written when the trace is off", test_nothing_is_written_when_the_trace_is_off},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    int status;

    env_dir = gss_test_env_setup();
    if (env_dir == NULL)
        return 99;
    unsetenv("SSPIGSS_NTLM_DEBUG");
    status = test_run_suite("ntlm_debug", tests);
    gss_test_env_teardown();
    return status;
}
