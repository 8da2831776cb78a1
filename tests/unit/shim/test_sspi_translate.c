/* Flag and status tables: ISC and ASC differ above 0x800, and statuses depend on the call. */
#include <krb5/krb5.h>

#include "sspigss_ntlm.h"

#include <gssapi/gssapi_ext.h>

#include "sspi_translate.h"
#include "test_util.h"

static void
test_isc_requests_map_to_gss_flags(void)
{
    CU_ASSERT_EQUAL(sspi_isc_req_to_gss(0), 0);
    CU_ASSERT_EQUAL(sspi_isc_req_to_gss(ISC_REQ_CONFIDENTIALITY), GSS_C_CONF_FLAG);
    CU_ASSERT_EQUAL(sspi_isc_req_to_gss(ISC_REQ_INTEGRITY), GSS_C_INTEG_FLAG);
    CU_ASSERT_EQUAL(sspi_isc_req_to_gss(ISC_REQ_MUTUAL_AUTH | ISC_REQ_DELEGATE),
                    GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG);
    CU_ASSERT_EQUAL(sspi_isc_req_to_gss(ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT),
                    GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG);
    CU_ASSERT_EQUAL(sspi_isc_req_to_gss(ISC_REQ_USE_DCE_STYLE), GSS_C_DCE_STYLE);
    CU_ASSERT_EQUAL(sspi_isc_req_to_gss(ISC_REQ_IDENTIFY), GSS_C_IDENTIFY_FLAG);
    CU_ASSERT_EQUAL(sspi_isc_req_to_gss(ISC_REQ_NULL_SESSION), GSS_C_ANON_FLAG);
    /* SSPI-only requests have no GSS meaning */
    CU_ASSERT_EQUAL(sspi_isc_req_to_gss(ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_CONNECTION), 0);
}

static void
test_returned_flags_use_different_isc_and_asc_bits(void)
{
    CU_ASSERT_EQUAL(sspi_gss_to_isc_ret(GSS_C_INTEG_FLAG), ISC_RET_INTEGRITY);
    CU_ASSERT_EQUAL(sspi_gss_to_asc_ret(GSS_C_INTEG_FLAG), ASC_RET_INTEGRITY);
    CU_ASSERT_EQUAL(ISC_RET_INTEGRITY, 0x10000);
    CU_ASSERT_EQUAL(ASC_RET_INTEGRITY, 0x20000);
    CU_ASSERT_EQUAL(sspi_gss_to_isc_ret(GSS_C_IDENTIFY_FLAG), 0x20000);
    CU_ASSERT_EQUAL(sspi_gss_to_asc_ret(GSS_C_IDENTIFY_FLAG), 0x80000);
    CU_ASSERT_EQUAL(sspi_gss_to_isc_ret(GSS_C_ANON_FLAG), 0x40000);
    CU_ASSERT_EQUAL(sspi_gss_to_asc_ret(GSS_C_ANON_FLAG), 0x100000);
    CU_ASSERT_EQUAL(sspi_gss_to_asc_ret(GSS_C_CONF_FLAG | GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG),
                    ASC_RET_CONFIDENTIALITY | ASC_RET_MUTUAL_AUTH | ASC_RET_DELEGATE);
    /* GSS flags with no SSPI counterpart are dropped, not smeared into other bits */
    CU_ASSERT_EQUAL(sspi_gss_to_asc_ret(GSS_C_TRANS_FLAG | GSS_C_PROT_READY_FLAG), 0);
}

static void
test_asc_requirements_translate_for_checking(void)
{
    CU_ASSERT_EQUAL(sspi_asc_req_to_gss(ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY),
                    GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG);
    CU_ASSERT_EQUAL(sspi_asc_req_to_gss(ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_CONNECTION), 0);
}

static void
test_statuses_follow_the_call(void)
{
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_COMPLETE, 0, SSPI_CALL_ACCEPT), SEC_E_OK);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_CONTINUE_NEEDED, 0, SSPI_CALL_ACCEPT),
                    SEC_I_CONTINUE_NEEDED);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_DEFECTIVE_TOKEN, 0, SSPI_CALL_ACCEPT),
                    SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_DEFECTIVE_CREDENTIAL, 0, SSPI_CALL_ACCEPT_FINAL),
                    SEC_E_LOGON_DENIED);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_DEFECTIVE_CREDENTIAL, 0, SSPI_CALL_INITIATE),
                    SEC_E_NO_CREDENTIALS);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_FAILURE, 22, SSPI_CALL_ACCEPT_FINAL),
                    SEC_E_LOGON_DENIED);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_FAILURE, 22, SSPI_CALL_INITIATE),
                    SEC_E_INTERNAL_ERROR);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_NO_CRED, 0, SSPI_CALL_INITIATE),
                    SEC_E_NO_CREDENTIALS);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_BAD_BINDINGS, 0, SSPI_CALL_ACCEPT_FINAL),
                    SEC_E_BAD_BINDINGS);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_BAD_SIG, 0, SSPI_CALL_MESSAGE),
                    SEC_E_MESSAGE_ALTERED);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_CONTEXT_EXPIRED, 0, SSPI_CALL_MESSAGE),
                    SEC_E_CONTEXT_EXPIRED);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_NO_CONTEXT, 0, SSPI_CALL_MESSAGE),
                    SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_BAD_NAME, 0, SSPI_CALL_INITIATE),
                    SEC_E_TARGET_UNKNOWN);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_UNAVAILABLE, 0, SSPI_CALL_QUERY),
                    SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_CALL_INACCESSIBLE_READ, 0, SSPI_CALL_QUERY),
                    SEC_E_INVALID_PARAMETER);
}

static void
test_supplementary_bits_are_read_after_the_routine_error(void)
{
    /* A routine error with supplementary bits must not fall through to a default */
    /* A failed signature whose sequence number is off is Windows' OUT_OF_SEQUENCE (NTLM
     * checks the number first); outside message calls the routine error decides. */
    CU_ASSERT_EQUAL(
        sspi_status_from_gss(GSS_S_BAD_SIG | GSS_S_DUPLICATE_TOKEN, 0, SSPI_CALL_MESSAGE),
        SEC_E_OUT_OF_SEQUENCE);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_BAD_SIG | GSS_S_GAP_TOKEN, 0, SSPI_CALL_MESSAGE),
                    SEC_E_OUT_OF_SEQUENCE);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_BAD_SIG, 0, SSPI_CALL_MESSAGE),
                    SEC_E_MESSAGE_ALTERED);
    CU_ASSERT_EQUAL(
        sspi_status_from_gss(GSS_S_DEFECTIVE_TOKEN | GSS_S_DUPLICATE_TOKEN, 0, SSPI_CALL_MESSAGE),
        SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_DUPLICATE_TOKEN, 0, SSPI_CALL_MESSAGE),
                    SEC_E_OUT_OF_SEQUENCE);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_GAP_TOKEN, 0, SSPI_CALL_MESSAGE),
                    SEC_E_OUT_OF_SEQUENCE);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_UNSEQ_TOKEN, 0, SSPI_CALL_MESSAGE),
                    SEC_E_OUT_OF_SEQUENCE);
}

static void
test_kerberos_minor_codes_name_the_precise_failure(void)
{
    CU_ASSERT_EQUAL(
        sspi_status_from_gss(GSS_S_FAILURE, (OM_uint32)KRB5_KDC_UNREACH, SSPI_CALL_INITIATE),
        SEC_E_NO_AUTHENTICATING_AUTHORITY);
    CU_ASSERT_EQUAL(
        sspi_status_from_gss(GSS_S_FAILURE, (OM_uint32)KRB5_REALM_CANT_RESOLVE, SSPI_CALL_ACQUIRE),
        SEC_E_NO_AUTHENTICATING_AUTHORITY);
    CU_ASSERT_EQUAL(
        sspi_status_from_gss(GSS_S_FAILURE, (OM_uint32)KRB5KRB_AP_ERR_SKEW, SSPI_CALL_ACCEPT),
        SEC_E_TIME_SKEW);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_FAILURE, (OM_uint32)KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN,
                                         SSPI_CALL_INITIATE),
                    SEC_E_TARGET_UNKNOWN);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_FAILURE, (OM_uint32)KRB5KDC_ERR_PREAUTH_FAILED,
                                         SSPI_CALL_ACQUIRE),
                    SEC_E_LOGON_DENIED);
}

static void
test_kerberos_minor_codes_do_not_rename_message_failures(void)
{
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_BAD_SIG, (OM_uint32)KRB5KRB_AP_ERR_BAD_INTEGRITY,
                                         SSPI_CALL_MESSAGE),
                    SEC_E_MESSAGE_ALTERED);
}

/* The NTLM module's "no domain controller" minors, on ASC's last leg where a logon fails. */
static void
test_ntlm_domain_minor_codes_name_no_authority(void)
{
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_FAILURE, SSPIGSS_NTLM_MINOR_DOMAIN_UNAVAILABLE,
                                         SSPI_CALL_ACCEPT_FINAL),
                    SEC_E_NO_AUTHENTICATING_AUTHORITY);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_FAILURE, SSPIGSS_NTLM_MINOR_DOMAIN_TIMEOUT,
                                         SSPI_CALL_ACCEPT),
                    SEC_E_NO_AUTHENTICATING_AUTHORITY);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_FAILURE, SSPIGSS_NTLM_MINOR_DOMAIN_BUSY,
                                         SSPI_CALL_ACCEPT_FINAL),
                    SEC_E_NO_AUTHENTICATING_AUTHORITY);
    /* Any other minor of the module leaves the major's meaning: a failed logon. */
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_DEFECTIVE_CREDENTIAL,
                                         SSPIGSS_NTLM_MINOR_DOMAIN_TIMEOUT + 1,
                                         SSPI_CALL_ACCEPT_FINAL),
                    SEC_E_LOGON_DENIED);
}

/*
 * The NTLM module's service-binding minors name a failed Extended Protection check whatever
 * major carries them (under SPNEGO only the minor is the module's); reflection, a failed logon.
 */
static void
test_ntlm_binding_minor_codes_name_bad_bindings_and_reflection_a_failed_logon(void)
{
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_BAD_BINDINGS, SSPIGSS_NTLM_MINOR_TARGET_MISMATCH,
                                         SSPI_CALL_ACCEPT_FINAL),
                    SEC_E_BAD_BINDINGS);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_FAILURE, SSPIGSS_NTLM_MINOR_TARGET_MISMATCH,
                                         SSPI_CALL_ACCEPT_FINAL),
                    SEC_E_BAD_BINDINGS);
    CU_ASSERT_EQUAL(sspi_status_from_gss(GSS_S_FAILURE, SSPIGSS_NTLM_MINOR_TARGET_MISSING,
                                         SSPI_CALL_ACCEPT_FINAL),
                    SEC_E_BAD_BINDINGS);
    CU_ASSERT_EQUAL(
        sspi_status_from_gss(GSS_S_FAILURE, SSPIGSS_NTLM_MINOR_REFLECTED, SSPI_CALL_ACCEPT_FINAL),
        SEC_E_LOGON_DENIED);
}

static void
test_timestamps_are_filetime_in_local_time(void)
{
    TimeStamp ts, later;
    unsigned long long a, b;

    sspi_timestamp_in(0, &ts);
    sspi_timestamp_in(3600, &later);
    a = (unsigned long long)(unsigned)ts.HighPart << 32 | ts.LowPart;
    b = (unsigned long long)(unsigned)later.HighPart << 32 | later.LowPart;
    /* after 2020-01-01 (FILETIME 132223104000000000) and one hour apart, within a second */
    CU_ASSERT(a > 132223104000000000ULL);
    CU_ASSERT(b - a >= 3599ULL * 10000000ULL && b - a <= 3601ULL * 10000000ULL);
    sspi_timestamp_in(GSS_C_INDEFINITE, &ts);
    CU_ASSERT_EQUAL(ts.HighPart, 0x7fffffff);
    CU_ASSERT_EQUAL(ts.LowPart, 0xffffffffu);
}

static CU_TestInfo tests[] = {
    {"ISC requests map to GSS flags", test_isc_requests_map_to_gss_flags},
    {"returned flags use different ISC and ASC bits",
     test_returned_flags_use_different_isc_and_asc_bits},
    {"ASC requirements translate for checking", test_asc_requirements_translate_for_checking},
    {"statuses follow the call", test_statuses_follow_the_call},
    {"supplementary bits are read after the routine error",
     test_supplementary_bits_are_read_after_the_routine_error},
    {"Kerberos minor codes name the precise failure",
     test_kerberos_minor_codes_name_the_precise_failure},
    {"Kerberos minor codes do not rename message failures",
     test_kerberos_minor_codes_do_not_rename_message_failures},
    {"NTLM domain minor codes name no authority", test_ntlm_domain_minor_codes_name_no_authority},
    {"NTLM binding minor codes name bad bindings and reflection a failed logon",
     test_ntlm_binding_minor_codes_name_bad_bindings_and_reflection_a_failed_logon},
    {"timestamps are FILETIME in local time", test_timestamps_are_filetime_in_local_time},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("sspi_translate", tests);
}
