/*
 * The GSS layer's common ground (mech/gss/ntlm_mech.c): OID checks, the settings a step runs
 * under and the file error it keeps for display, the status an error code gives each role,
 * buffers, and the mechanism-wide answers (status text, mechanisms, attributes, SASL names).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_errors.h"
#include "ntlm_gss.h"
#include "test_util.h"
#include "unit_files.h"

static const char *good_conf, *bad_conf, *trace;

/* The status text for a minor code, as a C string the caller frees. */
static char *
status_text(OM_uint32 code)
{
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, ctx = 7;
    char *s;

    CU_ASSERT_EQUAL_FATAL(
        ntlm_gss_display_status(&minor, code, GSS_C_MECH_CODE, NTLM_MECH_OID, &ctx, &text),
        GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(ctx, 0);
    s = strdup(text.value);
    gss_release_buffer(&minor, &text);
    return s;
}

static bool
has_oid(gss_OID_set set, gss_const_OID oid)
{
    int present = 0;
    OM_uint32 minor;

    gss_test_oid_set_member(&minor, (gss_OID)oid, set, &present);
    return present;
}

static void
test_only_the_whole_ntlm_oid_is_ours(void)
{
    gss_OID_desc prefix = {NTLM_MECH_OID->length - 1, NTLM_MECH_OID->elements};
    gss_OID_desc copy = {NTLM_MECH_OID->length, NULL};
    unsigned char der[64];

    memcpy(der, NTLM_MECH_OID->elements, NTLM_MECH_OID->length);
    copy.elements = der;
    CU_ASSERT_TRUE(ntlm_oid_is_ours(&copy));
    CU_ASSERT_FALSE(ntlm_oid_is_ours(&prefix));
    CU_ASSERT_FALSE(ntlm_oid_is_ours(GSS_C_NO_OID));
    der[copy.length - 1] ^= 1;
    CU_ASSERT_FALSE(ntlm_oid_is_ours(&copy));
    CU_ASSERT_FALSE(ntlm_oid_equal(&copy, NTLM_MECH_OID->elements, NTLM_MECH_OID->length));
}

static void
test_a_step_runs_under_the_env_it_is_given_or_the_default_one(void)
{
    struct ntlm_env *env = NULL, *fallback = NULL;
    struct ntlm_step step;

    CU_ASSERT_EQUAL_FATAL(ntlm_env_new(good_conf, &env), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_step_begin(&step, env), 0);
    CU_ASSERT_PTR_EQUAL(step.env, env);
    CU_ASSERT_PTR_NOT_NULL(step.settings);
    CU_ASSERT_PTR_EQUAL(step.settings->env, env);
    /* The file's debug key sends this thread's trace to its file for the step alone. */
    CU_ASSERT_TRUE(ntlm_debug_enabled());
    ntlm_step_end(&step);
    CU_ASSERT_FALSE(ntlm_debug_enabled());
    CU_ASSERT_PTR_NULL(step.settings);
    CU_ASSERT_PTR_NULL(step.env);
    /* NULL: the default configuration's shared env (SSPIGSS_NTLM_CONFIG here). */
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_default_env(&fallback), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_step_begin(&step, NULL), 0);
    CU_ASSERT_PTR_EQUAL(step.env, fallback);
    CU_ASSERT_STRING_EQUAL(ntlm_env_path(step.env), good_conf);
    ntlm_step_end(&step);
    ntlm_env_release(fallback);
    ntlm_env_release(env);
}

static void
test_a_step_under_a_broken_file_fails_and_display_names_the_line(void)
{
    struct ntlm_env *env = NULL;
    struct ntlm_debug_scope outer;
    struct ntlm_step step;
    char *text;

    memset(&step, 0, sizeof(step));
    CU_ASSERT_EQUAL_FATAL(ntlm_env_new(bad_conf, &env), 0);
    ntlm_debug_enter(trace, &outer);
    CU_ASSERT_EQUAL(ntlm_step_begin(&step, env), NTLM_ERR_CONFIG);
    CU_ASSERT_PTR_NULL(step.env);
    CU_ASSERT_PTR_NULL(step.settings);
    /* A caller's done: path ends the step it failed to begin: the trace stays the caller's. */
    ntlm_step_end(&step);
    CU_ASSERT_TRUE(ntlm_debug_enabled());
    ntlm_debug_leave(&outer);
    text = status_text(NTLM_ERR_CONFIG);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, bad_conf));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, ":2: unknown key"));
    /* Only NTLM_ERR_CONFIG carries the detail. */
    free(text);
    text = status_text(NTLM_ERR_WRONG_PASSWORD);
    CU_ASSERT_PTR_NULL(strstr(text, bad_conf));
    free(text);
    ntlm_env_release(env);
}

static void *
config_text_in_another_thread(void *arg)
{
    return status_text(NTLM_ERR_CONFIG);
}

static void
test_the_config_detail_belongs_to_the_thread_that_met_it(void)
{
    pthread_t thread;
    char *mine, *theirs = NULL;

    ntlm_gss_config_detail("/etc/x.conf", "not readable");
    mine = status_text(NTLM_ERR_CONFIG);
    CU_ASSERT_PTR_NOT_NULL(strstr(mine, "/etc/x.conf: not readable"));
    CU_ASSERT_EQUAL_FATAL(pthread_create(&thread, NULL, config_text_in_another_thread, NULL), 0);
    pthread_join(thread, (void **)&theirs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(theirs);
    CU_ASSERT_PTR_NULL(strstr(theirs, "/etc/x.conf"));
    CU_ASSERT_STRING_EQUAL(theirs, ntlm_error_message(NTLM_ERR_CONFIG));
    free(mine);
    free(theirs);
}

static void
test_a_step_error_is_the_error_table_s_major_for_the_role(void)
{
    const struct {
        uint32_t code;
        OM_uint32 accept, init;
    } rows[] = {
        {NTLM_ERR_NOMEM, GSS_S_FAILURE, GSS_S_FAILURE},
        {NTLM_ERR_TRUNCATED, GSS_S_DEFECTIVE_TOKEN, GSS_S_DEFECTIVE_TOKEN},
        {NTLM_ERR_WRONG_PASSWORD, GSS_S_DEFECTIVE_CREDENTIAL, GSS_S_DEFECTIVE_TOKEN},
        {NTLM_ERR_USERDB_NONE, GSS_S_FAILURE, GSS_S_NO_CRED},
        {NTLM_ERR_WRONG_CRED_USAGE, GSS_S_NO_CRED, GSS_S_NO_CRED},
        {NTLM_ERR_CB_MISMATCH, GSS_S_BAD_BINDINGS, GSS_S_DEFECTIVE_TOKEN},
        {NTLM_ERR_CB_ADDRESSES, GSS_S_BAD_BINDINGS, GSS_S_BAD_BINDINGS},
    };
    OM_uint32 minor;
    uint32_t code;
    size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        CU_ASSERT_EQUAL(ntlm_gss_step_error(&minor, rows[i].code, false), rows[i].accept);
        CU_ASSERT_EQUAL(minor, rows[i].code);
        CU_ASSERT_EQUAL(ntlm_gss_step_error(&minor, rows[i].code, true), rows[i].init);
    }
    /* Whatever the code, a failed step is a routine error a caller cannot take for success. */
    for (code = 1; code <= NTLM_ERROR_COUNT; code++) {
        CU_ASSERT_NOT_EQUAL(GSS_ROUTINE_ERROR(ntlm_gss_step_error(&minor, code, false)), 0);
        CU_ASSERT_NOT_EQUAL(GSS_ROUTINE_ERROR(ntlm_gss_step_error(&minor, code, true)), 0);
    }
}

static void
test_a_buffer_holds_a_copy_with_a_nul_after_it(void)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor = 9;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_buffer_set(&minor, &out, "abc\0def", 7), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(minor, 0);
    CU_ASSERT_EQUAL(out.length, 7);
    CU_ASSERT_EQUAL(memcmp(out.value, "abc\0def", 8), 0);
    gss_release_buffer(&minor, &out);
    /* Empty data is an empty string, never a NULL a caller would print. */
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_buffer_set(&minor, &out, NULL, 0), GSS_S_COMPLETE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out.value);
    CU_ASSERT_STRING_EQUAL(out.value, "");
    /* Not gss_release_buffer: MIT's frees only a buffer with a length. */
    free(out.value);
}

static void
test_status_text_is_the_code_s_message_and_only_for_mechanism_codes(void)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;
    char *text, want[64];

    text = status_text(NTLM_ERR_WRONG_PASSWORD);
    CU_ASSERT_STRING_EQUAL(text, "wrong password");
    free(text);
    /* A code from a newer module (the minor is ABI): its number, never an empty string. */
    snprintf(want, sizeof(want), "unknown NTLM mechanism error %u", NTLM_ERROR_COUNT + 1);
    text = status_text(NTLM_ERROR_COUNT + 1);
    CU_ASSERT_STRING_EQUAL(text, want);
    free(text);
    CU_ASSERT_EQUAL(
        ntlm_gss_display_status(&minor, GSS_S_FAILURE, GSS_C_GSS_CODE, NTLM_MECH_OID, NULL, &out),
        GSS_S_BAD_STATUS);
    CU_ASSERT_EQUAL(out.length, 0);
}

static void
test_the_mechanism_names_itself_and_its_name_types(void)
{
    gss_OID_set mechs = GSS_C_NO_OID_SET, names = GSS_C_NO_OID_SET;
    gss_OID_desc other = {9, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"}; /* krb5 */
    OM_uint32 minor;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_indicate_mechs(&minor, &mechs), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(mechs->count, 1);
    CU_ASSERT_TRUE(has_oid(mechs, NTLM_MECH_OID));
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_inquire_names_for_mech(&minor, NTLM_MECH_OID, &names),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(names->count, 4);
    CU_ASSERT_TRUE(has_oid(names, GSS_C_NT_USER_NAME));
    CU_ASSERT_TRUE(has_oid(names, GSS_C_NT_HOSTBASED_SERVICE));
    CU_ASSERT_TRUE(has_oid(names, GSS_C_NT_ANONYMOUS));
    CU_ASSERT_TRUE(has_oid(names, GSS_C_NT_EXPORT_NAME));
    gss_release_oid_set(&minor, &names);
    CU_ASSERT_EQUAL(ntlm_gss_inquire_names_for_mech(&minor, &other, &names), GSS_S_BAD_MECH);
    gss_release_oid_set(&minor, &mechs);
}

static void
test_the_attributes_keep_ntlm_in_default_negotiation(void)
{
    gss_OID_set attrs = GSS_C_NO_OID_SET, known = GSS_C_NO_OID_SET;
    OM_uint32 minor;

    CU_ASSERT_EQUAL(ntlm_gss_inquire_attrs_for_mech(&minor, GSS_C_NO_OID, &attrs, NULL),
                    GSS_S_BAD_MECH);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_inquire_attrs_for_mech(&minor, NTLM_MECH_OID, &attrs, &known),
                          GSS_S_COMPLETE);
    CU_ASSERT_TRUE(has_oid(attrs, GSS_C_MA_MECH_CONCRETE));
    CU_ASSERT_TRUE(has_oid(attrs, GSS_C_MA_CTX_TRANS));
    CU_ASSERT_TRUE(has_oid(attrs, GSS_C_MA_CONF_PROT));
    /* Any of these and MIT's SPNEGO leaves NTLM out of default negotiation. */
    CU_ASSERT_FALSE(has_oid(attrs, GSS_C_MA_NOT_DFLT_MECH));
    CU_ASSERT_FALSE(has_oid(attrs, GSS_C_MA_DEPRECATED));
    CU_ASSERT_FALSE(has_oid(attrs, GSS_C_MA_MECH_NEGO));
    CU_ASSERT_FALSE(has_oid(attrs, GSS_C_MA_NEGOEX_AND_SPNEGO));
    CU_ASSERT_EQUAL(known->count, attrs->count);
    gss_release_oid_set(&minor, &attrs);
    gss_release_oid_set(&minor, &known);
    /* Either set alone. */
    CU_ASSERT_EQUAL(ntlm_gss_inquire_attrs_for_mech(&minor, NTLM_MECH_OID, NULL, &known),
                    GSS_S_COMPLETE);
    gss_release_oid_set(&minor, &known);
}

static void
test_the_sasl_name_gs2_ntlm_maps_both_ways(void)
{
    gss_buffer_desc sasl = GSS_C_EMPTY_BUFFER, name = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc desc = GSS_C_EMPTY_BUFFER, longer = {9, "GS2-NTLMX"};
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 minor;

    CU_ASSERT_EQUAL_FATAL(
        ntlm_gss_inquire_saslname_for_mech(&minor, NTLM_MECH_OID, &sasl, &name, &desc),
        GSS_S_COMPLETE);
    CU_ASSERT_STRING_EQUAL(sasl.value, "GS2-NTLM");
    CU_ASSERT_STRING_EQUAL(name.value, "NTLM");
    CU_ASSERT_NOT_EQUAL(desc.length, 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_inquire_mech_for_saslname(&minor, &sasl, &mech), GSS_S_COMPLETE);
    CU_ASSERT_PTR_EQUAL(mech, NTLM_MECH_OID);
    /* A prefix or an extension of it is another mechanism's. */
    sasl.length--;
    CU_ASSERT_EQUAL(ntlm_gss_inquire_mech_for_saslname(&minor, &sasl, &mech), GSS_S_BAD_MECH);
    sasl.length++;
    CU_ASSERT_EQUAL(ntlm_gss_inquire_mech_for_saslname(&minor, &longer, &mech), GSS_S_BAD_MECH);
    CU_ASSERT_EQUAL(ntlm_gss_inquire_saslname_for_mech(&minor, GSS_C_NO_OID, &sasl, &name, &desc),
                    GSS_S_BAD_MECH);
    gss_release_buffer(&minor, &sasl);
    gss_release_buffer(&minor, &name);
    gss_release_buffer(&minor, &desc);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"only the whole NTLM OID is ours", test_only_the_whole_ntlm_oid_is_ours},
        {"a step runs under the env it is given, or the default one",
         test_a_step_runs_under_the_env_it_is_given_or_the_default_one},
        {"a step under a broken file fails and display names the line",
         test_a_step_under_a_broken_file_fails_and_display_names_the_line},
        {"the config detail belongs to the thread that met it",
         test_the_config_detail_belongs_to_the_thread_that_met_it},
        {"a step error is the error table's major for the role",
         test_a_step_error_is_the_error_table_s_major_for_the_role},
        {"a buffer holds a copy with a NUL after it",
         test_a_buffer_holds_a_copy_with_a_nul_after_it},
        {"status text is the code's message, and only for mechanism codes",
         test_status_text_is_the_code_s_message_and_only_for_mechanism_codes},
        {"the mechanism names itself and its name types",
         test_the_mechanism_names_itself_and_its_name_types},
        {"the attributes keep NTLM in default negotiation",
         test_the_attributes_keep_ntlm_in_default_negotiation},
        {"the SASL name GS2-NTLM maps both ways", test_the_sasl_name_gs2_ntlm_maps_both_ways},
        CU_TEST_INFO_NULL,
    };
    const char *dir = unit_files_begin("test_ntlm_mech");
    char text[256];
    int status;

    /* The module appends to the trace file; written here, it goes with the others. */
    trace = unit_files_write("trace", "");
    snprintf(text, sizeof(text), "audit = none\nstate_dir = %s\ndebug = %s\n", dir, trace);
    good_conf = unit_files_write("good.conf", text);
    bad_conf = unit_files_write("bad.conf", "audit = none\nno_such_key = 1\n");
    unit_files_use_config(good_conf);
    status = test_run_suite("ntlm_mech", tests);
    unit_files_end();
    return status;
}
