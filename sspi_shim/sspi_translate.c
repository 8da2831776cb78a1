/* SSPI <-> GSS-API flag and status tables. */
#include "sspi_translate.h"

#include <time.h>

#include <gssapi/gssapi_ext.h>
#include <krb5/krb5.h>

#include "sspigss_ntlm.h"

struct flag_pair {
    ULONG sspi;
    OM_uint32 gss;
};

static const struct flag_pair isc_req[] = {
    {ISC_REQ_DELEGATE, GSS_C_DELEG_FLAG},       {ISC_REQ_MUTUAL_AUTH, GSS_C_MUTUAL_FLAG},
    {ISC_REQ_REPLAY_DETECT, GSS_C_REPLAY_FLAG}, {ISC_REQ_SEQUENCE_DETECT, GSS_C_SEQUENCE_FLAG},
    {ISC_REQ_CONFIDENTIALITY, GSS_C_CONF_FLAG}, {ISC_REQ_INTEGRITY, GSS_C_INTEG_FLAG},
    {ISC_REQ_NULL_SESSION, GSS_C_ANON_FLAG},    {ISC_REQ_USE_DCE_STYLE, GSS_C_DCE_STYLE},
    {ISC_REQ_IDENTIFY, GSS_C_IDENTIFY_FLAG},    {ISC_REQ_EXTENDED_ERROR, GSS_C_EXTENDED_ERROR_FLAG},
};

static const struct flag_pair isc_ret[] = {
    {ISC_RET_DELEGATE, GSS_C_DELEG_FLAG},       {ISC_RET_MUTUAL_AUTH, GSS_C_MUTUAL_FLAG},
    {ISC_RET_REPLAY_DETECT, GSS_C_REPLAY_FLAG}, {ISC_RET_SEQUENCE_DETECT, GSS_C_SEQUENCE_FLAG},
    {ISC_RET_CONFIDENTIALITY, GSS_C_CONF_FLAG}, {ISC_RET_INTEGRITY, GSS_C_INTEG_FLAG},
    {ISC_RET_NULL_SESSION, GSS_C_ANON_FLAG},    {ISC_RET_USED_DCE_STYLE, GSS_C_DCE_STYLE},
    {ISC_RET_IDENTIFY, GSS_C_IDENTIFY_FLAG},    {ISC_RET_EXTENDED_ERROR, GSS_C_EXTENDED_ERROR_FLAG},
};

/* ASC_REQ bits an acceptor can only check afterwards: GSS accept takes no request flags. */
static const struct flag_pair asc_req[] = {
    {ASC_REQ_DELEGATE, GSS_C_DELEG_FLAG},       {ASC_REQ_MUTUAL_AUTH, GSS_C_MUTUAL_FLAG},
    {ASC_REQ_REPLAY_DETECT, GSS_C_REPLAY_FLAG}, {ASC_REQ_SEQUENCE_DETECT, GSS_C_SEQUENCE_FLAG},
    {ASC_REQ_CONFIDENTIALITY, GSS_C_CONF_FLAG}, {ASC_REQ_INTEGRITY, GSS_C_INTEG_FLAG},
    {ASC_REQ_USE_DCE_STYLE, GSS_C_DCE_STYLE},   {ASC_REQ_IDENTIFY, GSS_C_IDENTIFY_FLAG},
};

static const struct flag_pair asc_ret[] = {
    {ASC_RET_DELEGATE, GSS_C_DELEG_FLAG},       {ASC_RET_MUTUAL_AUTH, GSS_C_MUTUAL_FLAG},
    {ASC_RET_REPLAY_DETECT, GSS_C_REPLAY_FLAG}, {ASC_RET_SEQUENCE_DETECT, GSS_C_SEQUENCE_FLAG},
    {ASC_RET_CONFIDENTIALITY, GSS_C_CONF_FLAG}, {ASC_RET_INTEGRITY, GSS_C_INTEG_FLAG},
    {ASC_RET_NULL_SESSION, GSS_C_ANON_FLAG},    {ASC_RET_USED_DCE_STYLE, GSS_C_DCE_STYLE},
    {ASC_RET_IDENTIFY, GSS_C_IDENTIFY_FLAG},    {ASC_RET_EXTENDED_ERROR, GSS_C_EXTENDED_ERROR_FLAG},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static OM_uint32
to_gss(const struct flag_pair *table, size_t n, ULONG sspi)
{
    OM_uint32 gss = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (sspi & table[i].sspi)
            gss |= table[i].gss;
    }
    return gss;
}

static ULONG
from_gss(const struct flag_pair *table, size_t n, OM_uint32 gss)
{
    ULONG sspi = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (gss & table[i].gss)
            sspi |= table[i].sspi;
    }
    return sspi;
}

OM_uint32
sspi_isc_req_to_gss(ULONG isc_req_flags)
{
    return to_gss(isc_req, COUNT(isc_req), isc_req_flags);
}

OM_uint32
sspi_asc_req_to_gss(ULONG asc_req_flags)
{
    return to_gss(asc_req, COUNT(asc_req), asc_req_flags);
}

ULONG
sspi_gss_to_isc_ret(OM_uint32 gss_flags)
{
    return from_gss(isc_ret, COUNT(isc_ret), gss_flags);
}

ULONG
sspi_gss_to_asc_ret(OM_uint32 gss_flags)
{
    return from_gss(asc_ret, COUNT(asc_ret), gss_flags);
}

/*
 * Minor codes that name a more precise SSPI status than their major does: Kerberos', and the
 * NTLM module's "no domain controller could be asked" (its other minors refine nothing).
 */
static SECURITY_STATUS
status_from_minor(OM_uint32 minor)
{
    if (minor == SSPIGSS_NTLM_MINOR_DOMAIN_UNAVAILABLE || minor == SSPIGSS_NTLM_MINOR_DOMAIN_TIMEOUT)
        return SEC_E_NO_AUTHENTICATING_AUTHORITY;
    switch ((krb5_error_code)minor) {
    case KRB5_KDC_UNREACH:
    case KRB5_REALM_UNKNOWN:
    case KRB5_REALM_CANT_RESOLVE:
        return SEC_E_NO_AUTHENTICATING_AUTHORITY;
    case KRB5KRB_AP_ERR_SKEW:
        return SEC_E_TIME_SKEW;
    case KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN:
        return SEC_E_TARGET_UNKNOWN;
    case KRB5KDC_ERR_PREAUTH_FAILED:
    case KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN:
    case KRB5KRB_AP_ERR_BAD_INTEGRITY:
        return SEC_E_LOGON_DENIED;
    case KRB5KRB_AP_ERR_MODIFIED:
        return SEC_E_INVALID_TOKEN;
    default:
        return SEC_E_OK;
    }
}

static SECURITY_STATUS
status_from_routine_error(OM_uint32 routine, enum sspi_call call)
{
    switch (routine) {
    case GSS_S_BAD_MECH:
        return SEC_E_SECPKG_NOT_FOUND;
    case GSS_S_BAD_NAME:
    case GSS_S_BAD_NAMETYPE:
        return call == SSPI_CALL_ACQUIRE ? SEC_E_UNKNOWN_CREDENTIALS : SEC_E_TARGET_UNKNOWN;
    case GSS_S_BAD_BINDINGS:
        return SEC_E_BAD_BINDINGS;
    case GSS_S_BAD_SIG:
        return SEC_E_MESSAGE_ALTERED;
    case GSS_S_NO_CRED:
        return call == SSPI_CALL_ACCEPT_FINAL ? SEC_E_LOGON_DENIED : SEC_E_NO_CREDENTIALS;
    case GSS_S_DEFECTIVE_CREDENTIAL:
        /* An acceptor told that the client's credentials are bad: a failed logon. */
        return call == SSPI_CALL_ACCEPT || call == SSPI_CALL_ACCEPT_FINAL ? SEC_E_LOGON_DENIED
                                                                          : SEC_E_NO_CREDENTIALS;
    case GSS_S_NO_CONTEXT:
        return SEC_E_INVALID_HANDLE;
    case GSS_S_DEFECTIVE_TOKEN:
        return SEC_E_INVALID_TOKEN;
    case GSS_S_CREDENTIALS_EXPIRED:
    case GSS_S_CONTEXT_EXPIRED:
        return SEC_E_CONTEXT_EXPIRED;
    case GSS_S_BAD_QOP:
        return SEC_E_QOP_NOT_SUPPORTED;
    case GSS_S_UNAVAILABLE:
        return SEC_E_UNSUPPORTED_FUNCTION;
    case GSS_S_DUPLICATE_ELEMENT:
    case GSS_S_NAME_NOT_MN:
    case GSS_S_BAD_STATUS:
        return SEC_E_INTERNAL_ERROR;
    case GSS_S_FAILURE:
    default:
        /* A generic failure on the acceptor's last leg is how NTLM mechanisms say "wrong
         * password" (gss-ntlmssp does); Windows callers expect a failed logon there. */
        return call == SSPI_CALL_ACCEPT_FINAL ? SEC_E_LOGON_DENIED : SEC_E_INTERNAL_ERROR;
    }
}

SECURITY_STATUS
sspi_status_from_gss(OM_uint32 major, OM_uint32 minor, enum sspi_call call)
{
    OM_uint32 routine = GSS_ROUTINE_ERROR(major), calling = GSS_CALLING_ERROR(major);
    OM_uint32 supplementary = GSS_SUPPLEMENTARY_INFO(major);
    SECURITY_STATUS precise;

    if (calling != 0)
        return SEC_E_INVALID_PARAMETER;
    if (routine != 0) {
        /* Minors refine failures to authenticate, not message checks. */
        precise = call == SSPI_CALL_MESSAGE ? SEC_E_OK : status_from_minor(minor);
        if (precise != SEC_E_OK)
            return precise;
        return status_from_routine_error(routine, call);
    }
    if (supplementary & (GSS_S_DUPLICATE_TOKEN | GSS_S_OLD_TOKEN))
        return call == SSPI_CALL_MESSAGE ? SEC_E_OUT_OF_SEQUENCE : SEC_E_INVALID_TOKEN;
    if (supplementary & (GSS_S_UNSEQ_TOKEN | GSS_S_GAP_TOKEN))
        return SEC_E_OUT_OF_SEQUENCE;
    if (supplementary & GSS_S_CONTINUE_NEEDED)
        return SEC_I_CONTINUE_NEEDED;
    return SEC_E_OK;
}

void
sspi_timestamp_in(OM_uint32 seconds, TimeStamp *ts)
{
    time_t now = time(NULL);
    struct tm local;
    long long offset = 0;
    unsigned long long ticks;

    /* SSPI expiry is local time: shift UTC by the zone's offset at this moment. */
    if (localtime_r(&now, &local) != NULL)
        offset = local.tm_gmtoff;
    if (seconds == GSS_C_INDEFINITE) {
        /* Windows reports "never" as the largest positive TimeStamp. */
        ts->LowPart = 0xffffffffu;
        ts->HighPart = 0x7fffffff;
        return;
    }
    ticks = ((unsigned long long)now + 11644473600ULL + (unsigned long long)offset + seconds) *
            10000000ULL;
    ts->LowPart = (ULONG)(ticks & 0xffffffffu);
    ts->HighPart = (LONG)(ticks >> 32);
}
