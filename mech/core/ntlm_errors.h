/* Minor status codes of the NTLM mechanism and their messages for gss_display_status. */
#ifndef NTLM_ERRORS_H
#define NTLM_ERRORS_H

#include <stdint.h>

#include "sspigss_ntlm.h"

/* Internal functions return one of these (0 on success); the GSS layer reports it as minor. */
enum ntlm_error {
    NTLM_OK = 0,
    NTLM_ERR_NOMEM = SSPIGSS_NTLM_MINOR_BASE + 1,
    NTLM_ERR_CRYPTO,
    NTLM_ERR_INVALID_ARG,
    /* malformed input */
    NTLM_ERR_TOKEN_EMPTY,
    NTLM_ERR_TOKEN_TOO_LARGE,
    NTLM_ERR_BAD_SIGNATURE,
    NTLM_ERR_BAD_MESSAGE_TYPE,
    NTLM_ERR_TRUNCATED,
    NTLM_ERR_DOMAIN_FIELD,
    NTLM_ERR_WORKSTATION_FIELD,
    NTLM_ERR_USER_FIELD,
    NTLM_ERR_LM_FIELD,
    NTLM_ERR_NT_FIELD,
    NTLM_ERR_SESSION_KEY_FIELD,
    NTLM_ERR_TARGET_NAME_FIELD,
    NTLM_ERR_TARGET_INFO_FIELD,
    NTLM_ERR_HEADER_OVERLAP,
    NTLM_ERR_UTF16_ODD_LENGTH,
    NTLM_ERR_UTF16_SURROGATE,
    NTLM_ERR_EMBEDDED_NUL,
    NTLM_ERR_BAD_UTF8,
    NTLM_ERR_NOT_OEM,
    NTLM_ERR_AV_MALFORMED,
    NTLM_ERR_NT_RESPONSE_SHORT,
    NTLM_ERR_SESSION_KEY_LENGTH,
    NTLM_ERR_NO_MIC_SPACE,
    /* protocol and policy */
    NTLM_ERR_OUT_OF_ORDER,
    NTLM_ERR_FLAGS_UNACCEPTABLE,
    NTLM_ERR_NTLMV1_DISABLED,
    NTLM_ERR_LM_DISABLED,
    NTLM_ERR_ANONYMOUS_DISABLED,
    NTLM_ERR_MIC_MISMATCH,
    NTLM_ERR_MIC_MISSING,
    NTLM_ERR_CB_MISMATCH,
    NTLM_ERR_CB_MISSING,
    NTLM_ERR_CB_ADDRESSES,
    /* authentication */
    NTLM_ERR_UNKNOWN_USER,
    NTLM_ERR_WRONG_PASSWORD,
    NTLM_ERR_USERDB_UNREADABLE,
    NTLM_ERR_USERDB_SYNTAX,
    NTLM_ERR_USERDB_NONE,
    NTLM_ERR_NO_USER_CREDS,
    /* names, credentials, configuration */
    NTLM_ERR_BAD_NAME,
    NTLM_ERR_CONFIG,
    NTLM_ERR_WRONG_CRED_USAGE,
    /* per-message protection */
    NTLM_ERR_NO_SESSION_KEY,
    NTLM_ERR_NOT_ESTABLISHED,
    NTLM_ERR_SIGNATURE_MISMATCH,
    NTLM_ERR_SIGNATURE_VERSION,
    NTLM_ERR_SEQ_REPLAY,
    NTLM_ERR_SEQ_GAP,
    NTLM_ERR_SEQ_OLD,
    NTLM_ERR_BAD_IOV,
    /* export/import and options */
    NTLM_ERR_BAD_EXPORT,
    NTLM_ERR_UNSUPPORTED_OPTION,
    /* acceptor policy (issue 5); appended so that earlier codes keep their numbers */
    NTLM_ERR_TIMESTAMP_SKEW,
    NTLM_ERR_REPLAYED_RESPONSE,
    NTLM_ERR_USERDB_PERMISSIONS,
    /* domain logons through winbind (issue 8); the two sspigss_ntlm.h publishes come first */
    NTLM_ERR_DOMAIN_UNAVAILABLE,
    NTLM_ERR_DOMAIN_TIMEOUT,
    NTLM_ERR_DOMAIN_UNSUPPORTED,
    NTLM_ERR_ACCOUNT_DISABLED,
    NTLM_ERR_ACCOUNT_EXPIRED,
    NTLM_ERR_PASSWORD_EXPIRED,
    NTLM_ERR_ACCOUNT_LOCKED,
    NTLM_ERR_ACCOUNT_RESTRICTED,
    NTLM_ERR_DOMAIN_REFUSED,
    /* service binding and reflection (issue 12); sspigss_ntlm.h publishes them */
    NTLM_ERR_TARGET_MISMATCH,
    NTLM_ERR_TARGET_MISSING,
    NTLM_ERR_REFLECTED,
    /* names and local accounts (issue 12) */
    NTLM_ERR_BAD_ACCOUNT_NAME,
    NTLM_ERR_LOCAL_DOMAIN,
    NTLM_ERR_LOCAL_UID,
    NTLM_ERR_LOCAL_LOOKUP,
    /* a failed step ends the exchange, and the minimum session security (issue 12) */
    NTLM_ERR_EXCHANGE_FAILED,
    NTLM_ERR_SESSION_SECURITY_WEAK,
    /* account lockout (issue 12): this server's own, unlike NTLM_ERR_ACCOUNT_LOCKED (the DC's) */
    NTLM_ERR_LOCKED_OUT,
    NTLM_ERR_LOCKOUT_STATE,
    /* too many domain logons waiting for winbindd (issue 18); sspigss_ntlm.h publishes it */
    NTLM_ERR_DOMAIN_BUSY,
    NTLM_ERR_LAST
};

_Static_assert(NTLM_ERR_DOMAIN_UNAVAILABLE == SSPIGSS_NTLM_MINOR_DOMAIN_UNAVAILABLE,
               "sspigss_ntlm.h publishes this code");
_Static_assert(NTLM_ERR_DOMAIN_TIMEOUT == SSPIGSS_NTLM_MINOR_DOMAIN_TIMEOUT,
               "sspigss_ntlm.h publishes this code");

_Static_assert(NTLM_ERR_TARGET_MISMATCH == SSPIGSS_NTLM_MINOR_TARGET_MISMATCH,
               "sspigss_ntlm.h publishes this code");
_Static_assert(NTLM_ERR_TARGET_MISSING == SSPIGSS_NTLM_MINOR_TARGET_MISSING,
               "sspigss_ntlm.h publishes this code");
_Static_assert(NTLM_ERR_REFLECTED == SSPIGSS_NTLM_MINOR_REFLECTED,
               "sspigss_ntlm.h publishes this code");
_Static_assert(NTLM_ERR_BAD_ACCOUNT_NAME == SSPIGSS_NTLM_MINOR_BAD_ACCOUNT_NAME,
               "sspigss_ntlm.h publishes this code");
_Static_assert(NTLM_ERR_LOCAL_DOMAIN == SSPIGSS_NTLM_MINOR_LOCAL_DOMAIN,
               "sspigss_ntlm.h publishes this code");
_Static_assert(NTLM_ERR_LOCAL_UID == SSPIGSS_NTLM_MINOR_LOCAL_UID,
               "sspigss_ntlm.h publishes this code");
_Static_assert(NTLM_ERR_EXCHANGE_FAILED == SSPIGSS_NTLM_MINOR_EXCHANGE_FAILED,
               "sspigss_ntlm.h publishes this code");
_Static_assert(NTLM_ERR_SESSION_SECURITY_WEAK == SSPIGSS_NTLM_MINOR_SESSION_SECURITY_WEAK,
               "sspigss_ntlm.h publishes this code");
_Static_assert(NTLM_ERR_LOCKED_OUT == SSPIGSS_NTLM_MINOR_LOCKED_OUT,
               "sspigss_ntlm.h publishes this code");
_Static_assert(NTLM_ERR_DOMAIN_BUSY == SSPIGSS_NTLM_MINOR_DOMAIN_BUSY,
               "sspigss_ntlm.h publishes this code");

/* A human sentence for a minor code of this module, or NULL when the code is not ours. */
const char *ntlm_error_message(uint32_t code);

#endif
