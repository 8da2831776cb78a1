/* SSPI <-> GSS-API flag and status tables. */
#include "sspi_translate.h"

#include <libintl.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include <gssapi/gssapi_ext.h>
#include <krb5/krb5.h>

#include "sspi_packages.h"
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

ULONG
sspi_isc_ret_requested(ULONG isc_req_flags)
{
    ULONG ret = from_gss(isc_ret, COUNT(isc_ret), to_gss(isc_req, COUNT(isc_req), isc_req_flags));

    /* Sealing needs the signing keys, so Windows reports INTEGRITY with CONFIDENTIALITY. */
    if (ret & ISC_RET_CONFIDENTIALITY)
        ret |= ISC_RET_INTEGRITY;
    return ret;
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
 * Minor codes that name a more precise SSPI status than their major does: Kerberos', the NTLM
 * module's "no domain controller could be asked", service binding and reflection (its other
 * minors refine nothing), and MIT's generic "this token cannot be parsed" codes, which MIT's
 * SPNEGO reports as GSS_S_FAILURE: for a Windows caller that is SEC_E_INVALID_TOKEN, not an
 * internal error. The binding ones are listed although their major already says
 * GSS_S_BAD_BINDINGS: under SPNEGO only the minor is the module's.
 *
 * The one table libsspi recognises minors by, and the only place it reads status text. Under
 * SPNEGO, MIT's mechglue hands the caller a number of its own for every minor: it maps each
 * (mechanism, minor) pair to a process-wide number (map_error in each mechglue call), keeping
 * the minor itself only when no other pair holds that number yet. The inner mechanism's minor
 * is mapped once on its way out to SPNEGO and again, as SPNEGO's, on its way to the caller, so
 * the second time the number is taken and the caller gets an allocated one (100000 and up in
 * krb5 1.20/1.21, in the order failures happen: observed for the module's "wrong password"
 * and for SPNEGO's own "Token header is malformed" alike). No public call maps it back; only
 * gss_display_status follows the mapping down to the mechanism that made the code. So a
 * minor under SPNEGO is recognised by its text equalling the text the mechglue shows for a
 * known (mechanism, minor) pair here; entries with a text instead are MIT's generic messages
 * (src/lib/gssapi/generic/gssapi_err_generic.et), whose numbers no installed header gives,
 * compared in English and as translated in the "mit-krb5" domain the mechglue uses.
 */
struct precise_minor {
    OM_uint32 minor;
    const gss_OID *mech; /* the mechanism that defines minor; NULL for a text entry */
    const char *text;    /* MIT's generic message, for an entry without a code */
    SECURITY_STATUS status;
};

static const struct precise_minor precise_minors[] = {
    {(OM_uint32)KRB5_KDC_UNREACH, &sspi_mech_krb5, NULL, SEC_E_NO_AUTHENTICATING_AUTHORITY},
    {(OM_uint32)KRB5_REALM_UNKNOWN, &sspi_mech_krb5, NULL, SEC_E_NO_AUTHENTICATING_AUTHORITY},
    {(OM_uint32)KRB5_REALM_CANT_RESOLVE, &sspi_mech_krb5, NULL, SEC_E_NO_AUTHENTICATING_AUTHORITY},
    {(OM_uint32)KRB5KRB_AP_ERR_SKEW, &sspi_mech_krb5, NULL, SEC_E_TIME_SKEW},
    {(OM_uint32)KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN, &sspi_mech_krb5, NULL, SEC_E_TARGET_UNKNOWN},
    {(OM_uint32)KRB5KDC_ERR_PREAUTH_FAILED, &sspi_mech_krb5, NULL, SEC_E_LOGON_DENIED},
    {(OM_uint32)KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN, &sspi_mech_krb5, NULL, SEC_E_LOGON_DENIED},
    {(OM_uint32)KRB5KRB_AP_ERR_BAD_INTEGRITY, &sspi_mech_krb5, NULL, SEC_E_LOGON_DENIED},
    {(OM_uint32)KRB5KRB_AP_ERR_MODIFIED, &sspi_mech_krb5, NULL, SEC_E_INVALID_TOKEN},
    {SSPIGSS_NTLM_MINOR_DOMAIN_UNAVAILABLE, &sspi_mech_ntlm, NULL,
     SEC_E_NO_AUTHENTICATING_AUTHORITY},
    {SSPIGSS_NTLM_MINOR_DOMAIN_TIMEOUT, &sspi_mech_ntlm, NULL, SEC_E_NO_AUTHENTICATING_AUTHORITY},
    /* Too many logons already waiting for the DC: this one was not asked, no authority could
     * answer it, as for the two above. */
    {SSPIGSS_NTLM_MINOR_DOMAIN_BUSY, &sspi_mech_ntlm, NULL, SEC_E_NO_AUTHENTICATING_AUTHORITY},
    /* Service binding is Extended Protection's other half beside channel binding (IIS's
     * extendedProtection element); MS-NLMP 3.2.1.2 leaves its check to the application, so
     * no SSPI status is its own: it gets the channel-binding one. */
    {SSPIGSS_NTLM_MINOR_TARGET_MISMATCH, &sspi_mech_ntlm, NULL, SEC_E_BAD_BINDINGS},
    {SSPIGSS_NTLM_MINOR_TARGET_MISSING, &sspi_mech_ntlm, NULL, SEC_E_BAD_BINDINGS},
    /* A reflected credential is a refused logon, as Windows refuses one since MS08-068. */
    {SSPIGSS_NTLM_MINOR_REFLECTED, &sspi_mech_ntlm, NULL, SEC_E_LOGON_DENIED},
    {0, NULL, "Token header is malformed or corrupt", SEC_E_INVALID_TOKEN},
    {0, NULL, "Token is missing data", SEC_E_INVALID_TOKEN},
    {0, NULL, "Received token ID does not match expected token ID", SEC_E_INVALID_TOKEN},
};

#define PRECISE_COUNT (sizeof(precise_minors) / sizeof(precise_minors[0]))

/* The mechglue's text for a minor code of mech, or an empty buffer. */
static void
minor_text(OM_uint32 minor, gss_OID mech, gss_buffer_t text)
{
    OM_uint32 tmp, more = 0;

    if (gss_display_status(&tmp, minor, GSS_C_MECH_CODE, mech, &more, text) != GSS_S_COMPLETE)
        *text = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
}

static bool
text_is(const gss_buffer_desc *got, const char *text)
{
    return got->length == strlen(text) && memcmp(got->value, text, got->length) == 0;
}

/* Whether got is the text the mechglue shows for the entry's code (or its generic message). */
static bool
shows_entry(const gss_buffer_desc *got, const struct precise_minor *entry)
{
    gss_buffer_desc known = GSS_C_EMPTY_BUFFER;
    OM_uint32 tmp;
    bool same;

    if (entry->text != NULL)
        return text_is(got, entry->text) || text_is(got, dgettext("mit-krb5", entry->text));
    minor_text(entry->minor, *entry->mech, &known);
    same = known.length == got->length && memcmp(known.value, got->value, got->length) == 0;
    gss_release_buffer(&tmp, &known);
    return same;
}

/* A minor the mechglue numbered under SPNEGO, recognised by its text (see precise_minors). */
static SECURITY_STATUS
status_from_spnego_minor(OM_uint32 minor, gss_OID mech)
{
    gss_buffer_desc got = GSS_C_EMPTY_BUFFER;
    SECURITY_STATUS status = SEC_E_OK;
    OM_uint32 tmp;
    size_t i;

    minor_text(minor, mech, &got);
    for (i = 0; i < PRECISE_COUNT && got.length > 0 && status == SEC_E_OK; i++) {
        if (shows_entry(&got, &precise_minors[i]))
            status = precise_minors[i].status;
    }
    gss_release_buffer(&tmp, &got);
    return status;
}

/* SEC_E_OK when the minor code refines nothing. mech: the context's, or GSS_C_NO_OID. */
static SECURITY_STATUS
status_from_minor(OM_uint32 minor, gss_OID mech)
{
    size_t i;

    for (i = 0; i < PRECISE_COUNT; i++) {
        if (precise_minors[i].mech != NULL && precise_minors[i].minor == minor)
            return precise_minors[i].status;
    }
    if (minor != 0 && mech != GSS_C_NO_OID && mech->length == sspi_mech_spnego->length &&
        memcmp(mech->elements, sspi_mech_spnego->elements, mech->length) == 0)
        return status_from_spnego_minor(minor, mech);
    return SEC_E_OK;
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
    return sspi_status_from_gss_in(major, minor, call, GSS_C_NO_OID);
}

SECURITY_STATUS
sspi_status_from_gss_in(OM_uint32 major, OM_uint32 minor, enum sspi_call call, gss_OID mech)
{
    OM_uint32 routine = GSS_ROUTINE_ERROR(major), calling = GSS_CALLING_ERROR(major);
    OM_uint32 supplementary = GSS_SUPPLEMENTARY_INFO(major);
    SECURITY_STATUS precise;

    if (calling != 0)
        return SEC_E_INVALID_PARAMETER;
    /* A message whose signature failed and whose sequence number is not the expected one:
     * Windows' NTLM reports the sequence first (SEC_E_OUT_OF_SEQUENCE, as Wine's msv1_0
     * VerifySignature does), and our module marks the BAD_SIG with the DUPLICATE/GAP bit. */
    if (call == SSPI_CALL_MESSAGE && routine == GSS_S_BAD_SIG &&
        (supplementary &
         (GSS_S_DUPLICATE_TOKEN | GSS_S_OLD_TOKEN | GSS_S_UNSEQ_TOKEN | GSS_S_GAP_TOKEN)))
        return SEC_E_OUT_OF_SEQUENCE;
    if (routine != 0) {
        /* Minors refine failures to authenticate, not message checks. */
        precise = call == SSPI_CALL_MESSAGE ? SEC_E_OK : status_from_minor(minor, mech);
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
