/* Tests of the minor status table (mech/core/ntlm_errors.c): numbers are ABI, rows complete. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ntlm_errors.h"
#include "test_util.h"

/*
 * Every code with the number it had when this table was written, by hand rather than from
 * NTLM_ERRORS: callers match minors by number (include/sspigss_ntlm.h publishes some), so a
 * row moved or renumbered in the list must fail here.
 */
static const struct {
    uint32_t code;
    uint32_t number;
} pinned[] = {
    {NTLM_ERR_NOMEM, 1},
    {NTLM_ERR_CRYPTO, 2},
    {NTLM_ERR_INVALID_ARG, 3},
    {NTLM_ERR_TOKEN_EMPTY, 4},
    {NTLM_ERR_TOKEN_TOO_LARGE, 5},
    {NTLM_ERR_BAD_SIGNATURE, 6},
    {NTLM_ERR_BAD_MESSAGE_TYPE, 7},
    {NTLM_ERR_TRUNCATED, 8},
    {NTLM_ERR_DOMAIN_FIELD, 9},
    {NTLM_ERR_WORKSTATION_FIELD, 10},
    {NTLM_ERR_USER_FIELD, 11},
    {NTLM_ERR_LM_FIELD, 12},
    {NTLM_ERR_NT_FIELD, 13},
    {NTLM_ERR_SESSION_KEY_FIELD, 14},
    {NTLM_ERR_TARGET_NAME_FIELD, 15},
    {NTLM_ERR_TARGET_INFO_FIELD, 16},
    {NTLM_ERR_HEADER_OVERLAP, 17},
    {NTLM_ERR_UTF16_ODD_LENGTH, 18},
    {NTLM_ERR_UTF16_SURROGATE, 19},
    {NTLM_ERR_EMBEDDED_NUL, 20},
    {NTLM_ERR_BAD_UTF8, 21},
    {NTLM_ERR_NOT_OEM, 22},
    {NTLM_ERR_AV_MALFORMED, 23},
    {NTLM_ERR_NT_RESPONSE_SHORT, 24},
    {NTLM_ERR_SESSION_KEY_LENGTH, 25},
    {NTLM_ERR_NO_MIC_SPACE, 26},
    {NTLM_ERR_OUT_OF_ORDER, 27},
    {NTLM_ERR_FLAGS_UNACCEPTABLE, 28},
    {NTLM_ERR_NTLMV1_DISABLED, 29},
    {NTLM_ERR_LM_DISABLED, 30},
    {NTLM_ERR_ANONYMOUS_DISABLED, 31},
    {NTLM_ERR_MIC_MISMATCH, 32},
    {NTLM_ERR_MIC_MISSING, 33},
    {NTLM_ERR_CB_MISMATCH, 34},
    {NTLM_ERR_CB_MISSING, 35},
    {NTLM_ERR_CB_ADDRESSES, 36},
    {NTLM_ERR_UNKNOWN_USER, 37},
    {NTLM_ERR_WRONG_PASSWORD, 38},
    {NTLM_ERR_USERDB_UNREADABLE, 39},
    {NTLM_ERR_USERDB_SYNTAX, 40},
    {NTLM_ERR_USERDB_NONE, 41},
    {NTLM_ERR_NO_USER_CREDS, 42},
    {NTLM_ERR_BAD_NAME, 43},
    {NTLM_ERR_CONFIG, 44},
    {NTLM_ERR_WRONG_CRED_USAGE, 45},
    {NTLM_ERR_NO_SESSION_KEY, 46},
    {NTLM_ERR_NOT_ESTABLISHED, 47},
    {NTLM_ERR_SIGNATURE_MISMATCH, 48},
    {NTLM_ERR_SIGNATURE_VERSION, 49},
    {NTLM_ERR_SEQ_REPLAY, 50},
    {NTLM_ERR_SEQ_GAP, 51},
    {NTLM_ERR_SEQ_OLD, 52},
    {NTLM_ERR_BAD_IOV, 53},
    {NTLM_ERR_BAD_EXPORT, 54},
    {NTLM_ERR_UNSUPPORTED_OPTION, 55},
    {NTLM_ERR_TIMESTAMP_SKEW, 56},
    {NTLM_ERR_REPLAYED_RESPONSE, 57},
    {NTLM_ERR_USERDB_PERMISSIONS, 58},
    {NTLM_ERR_DOMAIN_UNAVAILABLE, 59},
    {NTLM_ERR_DOMAIN_TIMEOUT, 60},
    {NTLM_ERR_DOMAIN_UNSUPPORTED, 61},
    {NTLM_ERR_ACCOUNT_DISABLED, 62},
    {NTLM_ERR_ACCOUNT_EXPIRED, 63},
    {NTLM_ERR_PASSWORD_EXPIRED, 64},
    {NTLM_ERR_ACCOUNT_LOCKED, 65},
    {NTLM_ERR_ACCOUNT_RESTRICTED, 66},
    {NTLM_ERR_DOMAIN_REFUSED, 67},
    {NTLM_ERR_TARGET_MISMATCH, 68},
    {NTLM_ERR_TARGET_MISSING, 69},
    {NTLM_ERR_REFLECTED, 70},
    {NTLM_ERR_BAD_ACCOUNT_NAME, 71},
    {NTLM_ERR_LOCAL_DOMAIN, 72},
    {NTLM_ERR_LOCAL_UID, 73},
    {NTLM_ERR_LOCAL_LOOKUP, 74},
    {NTLM_ERR_EXCHANGE_FAILED, 75},
    {NTLM_ERR_SESSION_SECURITY_WEAK, 76},
    {NTLM_ERR_LOCKED_OUT, 77},
    {NTLM_ERR_LOCKOUT_STATE, 78},
    {NTLM_ERR_DOMAIN_BUSY, 79},
};

static void
test_every_code_keeps_its_number(void)
{
    size_t i;

    CU_ASSERT_EQUAL(sizeof(pinned) / sizeof(pinned[0]), NTLM_ERROR_COUNT);
    for (i = 0; i < sizeof(pinned) / sizeof(pinned[0]); i++)
        CU_ASSERT_EQUAL(pinned[i].code, SSPIGSS_NTLM_MINOR_BASE + pinned[i].number);
}

static void
test_published_minors_match_sspigss_ntlm_h(void)
{
    CU_ASSERT_EQUAL(NTLM_ERR_DOMAIN_UNAVAILABLE, SSPIGSS_NTLM_MINOR_DOMAIN_UNAVAILABLE);
    CU_ASSERT_EQUAL(NTLM_ERR_DOMAIN_TIMEOUT, SSPIGSS_NTLM_MINOR_DOMAIN_TIMEOUT);
    CU_ASSERT_EQUAL(NTLM_ERR_TARGET_MISMATCH, SSPIGSS_NTLM_MINOR_TARGET_MISMATCH);
    CU_ASSERT_EQUAL(NTLM_ERR_TARGET_MISSING, SSPIGSS_NTLM_MINOR_TARGET_MISSING);
    CU_ASSERT_EQUAL(NTLM_ERR_REFLECTED, SSPIGSS_NTLM_MINOR_REFLECTED);
    CU_ASSERT_EQUAL(NTLM_ERR_BAD_ACCOUNT_NAME, SSPIGSS_NTLM_MINOR_BAD_ACCOUNT_NAME);
    CU_ASSERT_EQUAL(NTLM_ERR_LOCAL_DOMAIN, SSPIGSS_NTLM_MINOR_LOCAL_DOMAIN);
    CU_ASSERT_EQUAL(NTLM_ERR_LOCAL_UID, SSPIGSS_NTLM_MINOR_LOCAL_UID);
    CU_ASSERT_EQUAL(NTLM_ERR_EXCHANGE_FAILED, SSPIGSS_NTLM_MINOR_EXCHANGE_FAILED);
    CU_ASSERT_EQUAL(NTLM_ERR_SESSION_SECURITY_WEAK, SSPIGSS_NTLM_MINOR_SESSION_SECURITY_WEAK);
    CU_ASSERT_EQUAL(NTLM_ERR_LOCKED_OUT, SSPIGSS_NTLM_MINOR_LOCKED_OUT);
    CU_ASSERT_EQUAL(NTLM_ERR_DOMAIN_BUSY, SSPIGSS_NTLM_MINOR_DOMAIN_BUSY);
}

static bool
major_valid(enum ntlm_major major)
{
    return major >= NTLM_MAJOR_FAILURE && major < NTLM_MAJOR_COUNT;
}

static void
test_every_code_has_a_message_and_both_majors(void)
{
    uint32_t code;

    for (code = SSPIGSS_NTLM_MINOR_BASE + 1; code <= SSPIGSS_NTLM_MINOR_BASE + NTLM_ERROR_COUNT;
         code++) {
        const char *message = ntlm_error_message(code);

        CU_ASSERT(message != NULL && strlen(message) > 0);
        CU_ASSERT(major_valid(ntlm_error_major(code, false)));
        CU_ASSERT(major_valid(ntlm_error_major(code, true)));
    }
}

static void
test_values_outside_the_table_have_no_message_and_fail(void)
{
    static const uint32_t others[] = {0, 1, SSPIGSS_NTLM_MINOR_BASE,
                                      SSPIGSS_NTLM_MINOR_BASE + NTLM_ERROR_COUNT + 1, 0xffffffffu};
    size_t i;

    for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        CU_ASSERT_PTR_NULL(ntlm_error_message(others[i]));
        CU_ASSERT_EQUAL(ntlm_error_major(others[i], false), NTLM_MAJOR_FAILURE);
        CU_ASSERT_EQUAL(ntlm_error_major(others[i], true), NTLM_MAJOR_FAILURE);
    }
}

/* The rows whose majors callers depend on (docs/security.md, sspigss_ntlm.h, libsspi). */
static void
test_roles_report_the_documented_majors(void)
{
    static const struct {
        uint32_t code;
        enum ntlm_major accept, init;
    } want[] = {
        /* Issue 15: accept reported an initiator-only credential as a defective token. */
        {NTLM_ERR_WRONG_CRED_USAGE, NTLM_MAJOR_NO_CRED, NTLM_MAJOR_NO_CRED},
        {NTLM_ERR_NO_USER_CREDS, NTLM_MAJOR_DEFECTIVE_TOKEN, NTLM_MAJOR_NO_CRED},
        {NTLM_ERR_WRONG_PASSWORD, NTLM_MAJOR_DEFECTIVE_CREDENTIAL, NTLM_MAJOR_DEFECTIVE_TOKEN},
        {NTLM_ERR_UNKNOWN_USER, NTLM_MAJOR_DEFECTIVE_CREDENTIAL, NTLM_MAJOR_DEFECTIVE_TOKEN},
        {NTLM_ERR_BAD_ACCOUNT_NAME, NTLM_MAJOR_DEFECTIVE_CREDENTIAL, NTLM_MAJOR_DEFECTIVE_TOKEN},
        {NTLM_ERR_LOCKED_OUT, NTLM_MAJOR_DEFECTIVE_CREDENTIAL, NTLM_MAJOR_DEFECTIVE_TOKEN},
        {NTLM_ERR_REFLECTED, NTLM_MAJOR_DEFECTIVE_CREDENTIAL, NTLM_MAJOR_DEFECTIVE_TOKEN},
        {NTLM_ERR_TARGET_MISMATCH, NTLM_MAJOR_BAD_BINDINGS, NTLM_MAJOR_DEFECTIVE_TOKEN},
        {NTLM_ERR_CB_MISMATCH, NTLM_MAJOR_BAD_BINDINGS, NTLM_MAJOR_DEFECTIVE_TOKEN},
        {NTLM_ERR_CB_ADDRESSES, NTLM_MAJOR_BAD_BINDINGS, NTLM_MAJOR_BAD_BINDINGS},
        {NTLM_ERR_DOMAIN_UNAVAILABLE, NTLM_MAJOR_FAILURE, NTLM_MAJOR_DEFECTIVE_TOKEN},
        {NTLM_ERR_DOMAIN_BUSY, NTLM_MAJOR_FAILURE, NTLM_MAJOR_DEFECTIVE_TOKEN},
        {NTLM_ERR_EXCHANGE_FAILED, NTLM_MAJOR_FAILURE, NTLM_MAJOR_FAILURE},
        {NTLM_ERR_SESSION_SECURITY_WEAK, NTLM_MAJOR_DEFECTIVE_TOKEN, NTLM_MAJOR_DEFECTIVE_TOKEN},
        {NTLM_ERR_USERDB_UNREADABLE, NTLM_MAJOR_FAILURE, NTLM_MAJOR_NO_CRED},
        {NTLM_ERR_BAD_SIGNATURE, NTLM_MAJOR_DEFECTIVE_TOKEN, NTLM_MAJOR_DEFECTIVE_TOKEN},
        {NTLM_ERR_NOMEM, NTLM_MAJOR_FAILURE, NTLM_MAJOR_FAILURE},
    };
    size_t i;

    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        CU_ASSERT_EQUAL(ntlm_error_major(want[i].code, false), want[i].accept);
        CU_ASSERT_EQUAL(ntlm_error_major(want[i].code, true), want[i].init);
    }
}

static CU_TestInfo tests[] = {
    {"every code keeps its number", test_every_code_keeps_its_number},
    {"published minors match sspigss_ntlm.h", test_published_minors_match_sspigss_ntlm_h},
    {"every code has a message and both majors", test_every_code_has_a_message_and_both_majors},
    {"values outside the table have no message and fail",
     test_values_outside_the_table_have_no_message_and_fail},
    {"each role reports the documented majors", test_roles_report_the_documented_majors},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("ntlm_errors", tests);
}
