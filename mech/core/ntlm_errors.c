/* Minor status messages of the NTLM mechanism: each says what happened and, where it helps,
 * what to fix. */
#include "ntlm_errors.h"

#include <stddef.h>

static const char *const messages[NTLM_ERR_LAST - SSPIGSS_NTLM_MINOR_BASE] = {
    [NTLM_ERR_NOMEM - SSPIGSS_NTLM_MINOR_BASE] = "out of memory",
    [NTLM_ERR_CRYPTO - SSPIGSS_NTLM_MINOR_BASE] =
        "cryptographic library failure (is OpenSSL's legacy provider, ossl-modules/legacy.so, "
        "installed?)",
    [NTLM_ERR_INVALID_ARG - SSPIGSS_NTLM_MINOR_BASE] = "invalid argument",
    [NTLM_ERR_TOKEN_EMPTY - SSPIGSS_NTLM_MINOR_BASE] = "malformed token: empty",
    [NTLM_ERR_TOKEN_TOO_LARGE - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed token: larger than any NTLMSSP message (64 KiB)",
    [NTLM_ERR_BAD_SIGNATURE - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed token: not an NTLMSSP message (bad signature)",
    [NTLM_ERR_BAD_MESSAGE_TYPE - SSPIGSS_NTLM_MINOR_BASE] =
        "unexpected NTLMSSP message type for this step",
    [NTLM_ERR_TRUNCATED - SSPIGSS_NTLM_MINOR_BASE] = "malformed token: truncated",
    [NTLM_ERR_DOMAIN_FIELD - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed message: domain field outside message",
    [NTLM_ERR_WORKSTATION_FIELD - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed message: workstation field outside message",
    [NTLM_ERR_USER_FIELD - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed AUTHENTICATE: user field outside message",
    [NTLM_ERR_LM_FIELD - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed AUTHENTICATE: LM response field outside message",
    [NTLM_ERR_NT_FIELD - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed AUTHENTICATE: NT response field outside message",
    [NTLM_ERR_SESSION_KEY_FIELD - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed AUTHENTICATE: session key field outside message",
    [NTLM_ERR_TARGET_NAME_FIELD - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed CHALLENGE: target name field outside message",
    [NTLM_ERR_TARGET_INFO_FIELD - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed CHALLENGE: target info field outside message",
    [NTLM_ERR_HEADER_OVERLAP - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed message: a payload field overlaps the fixed header",
    [NTLM_ERR_UTF16_ODD_LENGTH - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed message: UTF-16 string of odd length",
    [NTLM_ERR_UTF16_SURROGATE - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed message: UTF-16 string with an unpaired surrogate",
    [NTLM_ERR_EMBEDDED_NUL - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed message: string with an embedded NUL",
    [NTLM_ERR_BAD_UTF8 - SSPIGSS_NTLM_MINOR_BASE] = "invalid UTF-8 in a name or password",
    [NTLM_ERR_NOT_OEM - SSPIGSS_NTLM_MINOR_BASE] =
        "a name cannot be encoded in the OEM character set the peer asked for",
    [NTLM_ERR_AV_MALFORMED - SSPIGSS_NTLM_MINOR_BASE] = "malformed target info (AV pairs)",
    [NTLM_ERR_NT_RESPONSE_SHORT - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed AUTHENTICATE: NT response too short or of an unknown version",
    [NTLM_ERR_SESSION_KEY_LENGTH - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed AUTHENTICATE: key exchange negotiated but the encrypted session key is not "
        "16 bytes",
    [NTLM_ERR_NO_MIC_SPACE - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed AUTHENTICATE: MIC announced but the header has no room for it",
    [NTLM_ERR_OUT_OF_ORDER - SSPIGSS_NTLM_MINOR_BASE] = "token out of order for this context",
    [NTLM_ERR_FLAGS_UNACCEPTABLE - SSPIGSS_NTLM_MINOR_BASE] =
        "the peer's NTLMSSP flags are unacceptable (no NTLM or no common character set)",
    [NTLM_ERR_NTLMV1_DISABLED - SSPIGSS_NTLM_MINOR_BASE] =
        "NTLMv1 disabled by policy (set ntlmv1 = yes in the module configuration to allow it)",
    [NTLM_ERR_LM_DISABLED - SSPIGSS_NTLM_MINOR_BASE] = "LM authentication disabled by policy",
    [NTLM_ERR_ANONYMOUS_DISABLED - SSPIGSS_NTLM_MINOR_BASE] =
        "anonymous (NULL session) authentication disabled by policy",
    [NTLM_ERR_MIC_MISMATCH - SSPIGSS_NTLM_MINOR_BASE] =
        "MIC verification failed: the NTLMSSP messages were altered",
    [NTLM_ERR_MIC_MISSING - SSPIGSS_NTLM_MINOR_BASE] =
        "MIC required but missing (the module configuration says mic = always and the client "
        "sent an NTLMv2 response without one)",
    [NTLM_ERR_CB_MISMATCH - SSPIGSS_NTLM_MINOR_BASE] =
        "channel bindings mismatch (the client authenticated for another TLS channel or "
        "endpoint)",
    [NTLM_ERR_CB_MISSING - SSPIGSS_NTLM_MINOR_BASE] =
        "channel bindings required but missing (channel_bindings = always: the application "
        "must pass bindings to the acceptor and the client must send matching ones)",
    [NTLM_ERR_CB_ADDRESSES - SSPIGSS_NTLM_MINOR_BASE] =
        "channel bindings with address fields are not supported",
    [NTLM_ERR_UNKNOWN_USER - SSPIGSS_NTLM_MINOR_BASE] = "unknown user",
    [NTLM_ERR_WRONG_PASSWORD - SSPIGSS_NTLM_MINOR_BASE] = "wrong password",
    [NTLM_ERR_USERDB_UNREADABLE - SSPIGSS_NTLM_MINOR_BASE] =
        "user database unreadable (check user_file / NTLM_USER_FILE and its permissions)",
    [NTLM_ERR_USERDB_SYNTAX - SSPIGSS_NTLM_MINOR_BASE] = "syntax error in the user database",
    [NTLM_ERR_USERDB_NONE - SSPIGSS_NTLM_MINOR_BASE] =
        "no user database configured (set user_file in the module configuration, "
        "NTLM_USER_FILE, or the ntlmssp_keyfile cred-store key)",
    [NTLM_ERR_NO_USER_CREDS - SSPIGSS_NTLM_MINOR_BASE] =
        "no NTLM credentials for this user (give a password, or list the user in "
        "NTLM_USER_FILE)",
    [NTLM_ERR_BAD_NAME - SSPIGSS_NTLM_MINOR_BASE] = "invalid name",
    [NTLM_ERR_CONFIG - SSPIGSS_NTLM_MINOR_BASE] =
        "invalid module configuration (see SSPIGSS_NTLM_CONFIG or /etc/sspigss/ntlm.conf)",
    [NTLM_ERR_WRONG_CRED_USAGE - SSPIGSS_NTLM_MINOR_BASE] =
        "credential cannot be used in this role",
    [NTLM_ERR_NO_SESSION_KEY - SSPIGSS_NTLM_MINOR_BASE] =
        "signing or sealing was not negotiated on this context",
    [NTLM_ERR_NOT_ESTABLISHED - SSPIGSS_NTLM_MINOR_BASE] = "context not established",
    [NTLM_ERR_SIGNATURE_MISMATCH - SSPIGSS_NTLM_MINOR_BASE] =
        "message signature mismatch: the message was altered",
    [NTLM_ERR_SIGNATURE_VERSION - SSPIGSS_NTLM_MINOR_BASE] =
        "malformed message signature (bad version or length)",
    [NTLM_ERR_SEQ_REPLAY - SSPIGSS_NTLM_MINOR_BASE] = "message replayed (sequence number seen)",
    [NTLM_ERR_SEQ_GAP - SSPIGSS_NTLM_MINOR_BASE] =
        "message out of sequence (an earlier message is missing)",
    [NTLM_ERR_SEQ_OLD - SSPIGSS_NTLM_MINOR_BASE] = "message out of sequence (too old)",
    [NTLM_ERR_BAD_IOV - SSPIGSS_NTLM_MINOR_BASE] =
        "invalid IOV buffer set (need exactly one HEADER of 16 bytes)",
    [NTLM_ERR_BAD_EXPORT - SSPIGSS_NTLM_MINOR_BASE] = "malformed exported context token",
    [NTLM_ERR_UNSUPPORTED_OPTION - SSPIGSS_NTLM_MINOR_BASE] = "unsupported option",
    [NTLM_ERR_TIMESTAMP_SKEW - SSPIGSS_NTLM_MINOR_BASE] =
        "the client's NTLMv2 timestamp is outside the replay window (check both clocks, or "
        "widen replay_window in the module configuration)",
    [NTLM_ERR_REPLAYED_RESPONSE - SSPIGSS_NTLM_MINOR_BASE] =
        "replayed NTLMv2 response (this NTProofStr was already accepted within the replay "
        "window)",
    [NTLM_ERR_USERDB_PERMISSIONS - SSPIGSS_NTLM_MINOR_BASE] =
        "user database is readable or writable by others (chmod o-rw,g-w, or set "
        "user_file_permissions = relaxed in the module configuration)",
    [NTLM_ERR_DOMAIN_UNAVAILABLE - SSPIGSS_NTLM_MINOR_BASE] =
        "no domain controller could be asked: winbindd is not running or not reachable, it "
        "found no logon server, or this process may not use its privileged pipe (group "
        "winbindd_priv)",
    [NTLM_ERR_DOMAIN_TIMEOUT - SSPIGSS_NTLM_MINOR_BASE] =
        "winbindd did not answer within winbind_timeout (module configuration)",
    [NTLM_ERR_DOMAIN_UNSUPPORTED - SSPIGSS_NTLM_MINOR_BASE] =
        "this build has no winbind support (configure --with-wbclient)",
    [NTLM_ERR_ACCOUNT_DISABLED - SSPIGSS_NTLM_MINOR_BASE] = "the domain account is disabled",
    [NTLM_ERR_ACCOUNT_EXPIRED - SSPIGSS_NTLM_MINOR_BASE] = "the domain account has expired",
    [NTLM_ERR_PASSWORD_EXPIRED - SSPIGSS_NTLM_MINOR_BASE] =
        "the domain account's password has expired or must be changed at next logon",
    [NTLM_ERR_ACCOUNT_LOCKED - SSPIGSS_NTLM_MINOR_BASE] = "the domain account is locked out",
    [NTLM_ERR_ACCOUNT_RESTRICTED - SSPIGSS_NTLM_MINOR_BASE] =
        "the domain account may not log on here or now (workstation, logon hours or logon "
        "type restriction)",
    [NTLM_ERR_DOMAIN_REFUSED - SSPIGSS_NTLM_MINOR_BASE] =
        "the domain controller refused the logon (the debug trace has its NT status)",
    [NTLM_ERR_TARGET_MISMATCH - SSPIGSS_NTLM_MINOR_BASE] =
        "the client authenticated for another service or host (its NTLMv2 target name is not "
        "one of this acceptor's service_names): a relayed logon, or a name missing from "
        "service_names",
    [NTLM_ERR_TARGET_MISSING - SSPIGSS_NTLM_MINOR_BASE] =
        "target name required but missing (service_binding = required and the client sent no "
        "trusted MsvAvTargetName: NTLMv1, or a client that does not name its target)",
    [NTLM_ERR_REFLECTED - SSPIGSS_NTLM_MINOR_BASE] =
        "reflected logon refused: this process's own initiator answered this challenge for "
        "another target",
    [NTLM_ERR_BAD_ACCOUNT_NAME - SSPIGSS_NTLM_MINOR_BASE] =
        "the user or domain name contains a backslash or a control character",
    [NTLM_ERR_LOCAL_DOMAIN - SSPIGSS_NTLM_MINOR_BASE] =
        "no local account: the name's domain is neither the acceptor's own nor listed in "
        "local_map_domains",
    [NTLM_ERR_LOCAL_UID - SSPIGSS_NTLM_MINOR_BASE] =
        "no local account: the account's uid is below local_uid_min (root and system accounts "
        "are never mapped by default)",
    [NTLM_ERR_LOCAL_LOOKUP - SSPIGSS_NTLM_MINOR_BASE] =
        "no local account: the account database (NSS or winbindd) could not be asked",
    [NTLM_ERR_EXCHANGE_FAILED - SSPIGSS_NTLM_MINOR_BASE] =
        "an earlier step of this exchange failed, so the context takes no further token (an "
        "acceptor starts over only from a fresh NEGOTIATE; an initiator needs a new context)",
    [NTLM_ERR_SESSION_SECURITY_WEAK - SSPIGSS_NTLM_MINOR_BASE] =
        "signing or sealing negotiated without 128-bit keys or without extended session "
        "security, which min_session_security requires (module configuration; a man in the "
        "middle may have removed them)",
    [NTLM_ERR_LOCKED_OUT - SSPIGSS_NTLM_MINOR_BASE] =
        "locked out: too many failed logons for this account (lockout_threshold in the module "
        "configuration); refused, even with the right password, for lockout_duration seconds",
    [NTLM_ERR_LOCKOUT_STATE - SSPIGSS_NTLM_MINOR_BASE] =
        "the lockout state file is unusable (state_dir in the module configuration)",
    [NTLM_ERR_DOMAIN_BUSY - SSPIGSS_NTLM_MINOR_BASE] =
        "refused without asking the domain controller: winbind_max_inflight logons of this "
        "process are already waiting for winbindd (a slow or stuck DC; module configuration)",
};

const char *
ntlm_error_message(uint32_t code)
{
    if (code <= SSPIGSS_NTLM_MINOR_BASE || code >= NTLM_ERR_LAST)
        return NULL;
    return messages[code - SSPIGSS_NTLM_MINOR_BASE];
}
