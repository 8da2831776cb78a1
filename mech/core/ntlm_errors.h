/*
 * Minor status codes of the NTLM mechanism: one table saying, for each code, its number (ABI:
 * a code keeps its number forever; include/sspigss_ntlm.h publishes some), the major status
 * accept and init report with it, and its message for gss_display_status.
 */
#ifndef NTLM_ERRORS_H
#define NTLM_ERRORS_H

#include <stdbool.h>
#include <stdint.h>

#include "sspigss_ntlm.h"

/*
 * The major status of a failed step, named as RFC 2744 names them. The core knows no GSS
 * types: mech/gss turns these into GSS_S_* (ntlm_gss_step_error).
 */
enum ntlm_major {
    NTLM_MAJOR_FAILURE,
    NTLM_MAJOR_DEFECTIVE_TOKEN,
    NTLM_MAJOR_DEFECTIVE_CREDENTIAL,
    NTLM_MAJOR_NO_CRED,
    NTLM_MAJOR_BAD_BINDINGS,
    NTLM_MAJOR_COUNT
};

/*
 * X(code, number above SSPIGSS_NTLM_MINOR_BASE, major for accept, major for init, message).
 * New codes go at the end with the next number; a number is never reused. Both majors are
 * given for every code, also for one a role never returns today, so a new call site cannot
 * fall into a default.
 */
#define NTLM_ERRORS(X)                                                                             \
    X(NTLM_ERR_NOMEM, 1, FAILURE, FAILURE, "out of memory")                                        \
    X(NTLM_ERR_CRYPTO, 2, FAILURE, FAILURE,                                                        \
      "cryptographic library failure (is OpenSSL's legacy provider, ossl-modules/legacy.so, "      \
      "installed?)")                                                                               \
    X(NTLM_ERR_INVALID_ARG, 3, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN, "invalid argument")               \
    /* malformed input */                                                                          \
    X(NTLM_ERR_TOKEN_EMPTY, 4, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN, "malformed token: empty")         \
    X(NTLM_ERR_TOKEN_TOO_LARGE, 5, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                               \
      "malformed token: larger than any NTLMSSP message (64 KiB)")                                 \
    X(NTLM_ERR_BAD_SIGNATURE, 6, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                 \
      "malformed token: not an NTLMSSP message (bad signature)")                                   \
    X(NTLM_ERR_BAD_MESSAGE_TYPE, 7, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                              \
      "unexpected NTLMSSP message type for this step")                                             \
    X(NTLM_ERR_TRUNCATED, 8, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN, "malformed token: truncated")       \
    X(NTLM_ERR_DOMAIN_FIELD, 9, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                  \
      "malformed message: domain field outside message")                                           \
    X(NTLM_ERR_WORKSTATION_FIELD, 10, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                            \
      "malformed message: workstation field outside message")                                      \
    X(NTLM_ERR_USER_FIELD, 11, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                   \
      "malformed AUTHENTICATE: user field outside message")                                        \
    X(NTLM_ERR_LM_FIELD, 12, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                     \
      "malformed AUTHENTICATE: LM response field outside message")                                 \
    X(NTLM_ERR_NT_FIELD, 13, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                     \
      "malformed AUTHENTICATE: NT response field outside message")                                 \
    X(NTLM_ERR_SESSION_KEY_FIELD, 14, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                            \
      "malformed AUTHENTICATE: session key field outside message")                                 \
    X(NTLM_ERR_TARGET_NAME_FIELD, 15, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                            \
      "malformed CHALLENGE: target name field outside message")                                    \
    X(NTLM_ERR_TARGET_INFO_FIELD, 16, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                            \
      "malformed CHALLENGE: target info field outside message")                                    \
    X(NTLM_ERR_HEADER_OVERLAP, 17, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                               \
      "malformed message: a payload field overlaps the fixed header")                              \
    X(NTLM_ERR_UTF16_ODD_LENGTH, 18, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                             \
      "malformed message: UTF-16 string of odd length")                                            \
    X(NTLM_ERR_UTF16_SURROGATE, 19, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                              \
      "malformed message: UTF-16 string with an unpaired surrogate")                               \
    X(NTLM_ERR_EMBEDDED_NUL, 20, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                 \
      "malformed message: string with an embedded NUL")                                            \
    X(NTLM_ERR_BAD_UTF8, 21, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                     \
      "invalid UTF-8 in a name or password")                                                       \
    X(NTLM_ERR_NOT_OEM, 22, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                      \
      "a name cannot be encoded in the OEM character set the peer asked for")                      \
    X(NTLM_ERR_AV_MALFORMED, 23, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                 \
      "malformed target info (AV pairs)")                                                          \
    X(NTLM_ERR_NT_RESPONSE_SHORT, 24, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                            \
      "malformed AUTHENTICATE: NT response too short or of an unknown version")                    \
    X(NTLM_ERR_SESSION_KEY_LENGTH, 25, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                           \
      "malformed AUTHENTICATE: key exchange negotiated but the encrypted session key is not "      \
      "16 bytes")                                                                                  \
    X(NTLM_ERR_NO_MIC_SPACE, 26, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                 \
      "malformed AUTHENTICATE: MIC announced but the header has no room for it")                   \
    /* protocol and policy */                                                                      \
    X(NTLM_ERR_OUT_OF_ORDER, 27, FAILURE, FAILURE, "token out of order for this context")          \
    X(NTLM_ERR_FLAGS_UNACCEPTABLE, 28, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                           \
      "the peer's NTLMSSP flags are unacceptable (no NTLM or no common character set)")            \
    X(NTLM_ERR_NTLMV1_DISABLED, 29, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN,                         \
      "NTLMv1 disabled by policy (set ntlmv1 = yes in the module configuration to allow it)")      \
    X(NTLM_ERR_LM_DISABLED, 30, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN,                             \
      "LM authentication disabled by policy")                                                      \
    X(NTLM_ERR_ANONYMOUS_DISABLED, 31, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN,                      \
      "anonymous (NULL session) authentication disabled by policy")                                \
    X(NTLM_ERR_MIC_MISMATCH, 32, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                 \
      "MIC verification failed: the NTLMSSP messages were altered")                                \
    X(NTLM_ERR_MIC_MISSING, 33, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                  \
      "MIC required but missing (the module configuration says mic = always and the client "       \
      "sent an NTLMv2 response without one)")                                                      \
    X(NTLM_ERR_CB_MISMATCH, 34, BAD_BINDINGS, DEFECTIVE_TOKEN,                                     \
      "channel bindings mismatch (the client authenticated for another TLS channel or "            \
      "endpoint)")                                                                                 \
    X(NTLM_ERR_CB_MISSING, 35, BAD_BINDINGS, DEFECTIVE_TOKEN,                                      \
      "channel bindings required but missing (channel_bindings = always: the application "         \
      "must pass bindings to the acceptor and the client must send matching ones)")                \
    X(NTLM_ERR_CB_ADDRESSES, 36, BAD_BINDINGS, BAD_BINDINGS,                                       \
      "channel bindings with address fields are not supported")                                    \
    /* authentication */                                                                           \
    X(NTLM_ERR_UNKNOWN_USER, 37, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN, "unknown user")            \
    X(NTLM_ERR_WRONG_PASSWORD, 38, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN, "wrong password")        \
    X(NTLM_ERR_USERDB_UNREADABLE, 39, FAILURE, NO_CRED,                                            \
      "user database unreadable (check user_file / NTLM_USER_FILE and its permissions)")           \
    X(NTLM_ERR_USERDB_SYNTAX, 40, FAILURE, NO_CRED, "syntax error in the user database")           \
    X(NTLM_ERR_USERDB_NONE, 41, FAILURE, NO_CRED,                                                  \
      "no user database configured (set user_file in the module configuration, "                   \
      "NTLM_USER_FILE, or the ntlmssp_keyfile cred-store key)")                                    \
    X(NTLM_ERR_NO_USER_CREDS, 42, DEFECTIVE_TOKEN, NO_CRED,                                        \
      "no NTLM credentials for this user (give a password, or list the user in "                   \
      "NTLM_USER_FILE)")                                                                           \
    /* names, credentials, configuration */                                                        \
    X(NTLM_ERR_BAD_NAME, 43, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN, "invalid name")                     \
    X(NTLM_ERR_CONFIG, 44, FAILURE, FAILURE,                                                       \
      "invalid module configuration (see SSPIGSS_NTLM_CONFIG or /etc/sspigss/ntlm.conf)")          \
    /* RFC 2743 2.2.2: a credential that cannot accept is NO_CRED for accept as for init */        \
    X(NTLM_ERR_WRONG_CRED_USAGE, 45, NO_CRED, NO_CRED, "credential cannot be used in this role")   \
    /* per-message protection */                                                                   \
    X(NTLM_ERR_NO_SESSION_KEY, 46, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                               \
      "signing or sealing was not negotiated on this context")                                     \
    X(NTLM_ERR_NOT_ESTABLISHED, 47, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN, "context not established")   \
    X(NTLM_ERR_SIGNATURE_MISMATCH, 48, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                           \
      "message signature mismatch: the message was altered")                                       \
    X(NTLM_ERR_SIGNATURE_VERSION, 49, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                            \
      "malformed message signature (bad version or length)")                                       \
    X(NTLM_ERR_SEQ_REPLAY, 50, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                   \
      "message replayed (sequence number seen)")                                                   \
    X(NTLM_ERR_SEQ_GAP, 51, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                      \
      "message out of sequence (an earlier message is missing)")                                   \
    X(NTLM_ERR_SEQ_OLD, 52, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN, "message out of sequence (too old)") \
    X(NTLM_ERR_BAD_IOV, 53, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                      \
      "invalid IOV buffer set (need exactly one HEADER of 16 bytes)")                              \
    /* export/import and options */                                                                \
    X(NTLM_ERR_BAD_EXPORT, 54, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                   \
      "malformed exported context token")                                                          \
    X(NTLM_ERR_UNSUPPORTED_OPTION, 55, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN, "unsupported option")     \
    /* acceptor policy (issue 5) */                                                                \
    /* accept: a response that is stale or already spent proves nothing about its sender */        \
    X(NTLM_ERR_TIMESTAMP_SKEW, 56, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN,                          \
      "the client's NTLMv2 timestamp is outside the replay window (check both clocks, or "         \
      "widen replay_window in the module configuration)")                                          \
    X(NTLM_ERR_REPLAYED_RESPONSE, 57, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN,                       \
      "replayed NTLMv2 response (this NTProofStr was already accepted within the replay "          \
      "window)")                                                                                   \
    X(NTLM_ERR_USERDB_PERMISSIONS, 58, FAILURE, NO_CRED,                                           \
      "user database is readable or writable by others (chmod o-rw,g-w, or set "                   \
      "user_file_permissions = relaxed in the module configuration)")                              \
    /* domain logons through winbind (issue 8) */                                                  \
    X(NTLM_ERR_DOMAIN_UNAVAILABLE, 59, FAILURE, DEFECTIVE_TOKEN,                                   \
      "no domain controller could be asked: winbindd is not running or not reachable, it "         \
      "found no logon server, or this process may not use its privileged pipe (group "             \
      "winbindd_priv)")                                                                            \
    X(NTLM_ERR_DOMAIN_TIMEOUT, 60, FAILURE, DEFECTIVE_TOKEN,                                       \
      "winbindd did not answer within winbind_timeout (module configuration)")                     \
    X(NTLM_ERR_DOMAIN_UNSUPPORTED, 61, FAILURE, DEFECTIVE_TOKEN,                                   \
      "this build has no winbind support (configure --with-wbclient)")                             \
    X(NTLM_ERR_ACCOUNT_DISABLED, 62, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN,                        \
      "the domain account is disabled")                                                            \
    X(NTLM_ERR_ACCOUNT_EXPIRED, 63, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN,                         \
      "the domain account has expired")                                                            \
    X(NTLM_ERR_PASSWORD_EXPIRED, 64, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN,                        \
      "the domain account's password has expired or must be changed at next logon")                \
    X(NTLM_ERR_ACCOUNT_LOCKED, 65, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN,                          \
      "the domain account is locked out")                                                          \
    X(NTLM_ERR_ACCOUNT_RESTRICTED, 66, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN,                      \
      "the domain account may not log on here or now (workstation, logon hours or logon type "     \
      "restriction)")                                                                              \
    X(NTLM_ERR_DOMAIN_REFUSED, 67, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN,                          \
      "the domain controller refused the logon (the debug trace has its NT status)")               \
    /* service binding and reflection (issue 12) */                                                \
    /* accept: the target name is Extended Protection's service binding, as the hash is its */     \
    /* channel binding: both fail as bindings do */                                                \
    X(NTLM_ERR_TARGET_MISMATCH, 68, BAD_BINDINGS, DEFECTIVE_TOKEN,                                 \
      "the client authenticated for another service or host (its NTLMv2 target name is not "       \
      "one of this acceptor's service_names): a relayed logon, or a name missing from "            \
      "service_names")                                                                             \
    X(NTLM_ERR_TARGET_MISSING, 69, BAD_BINDINGS, DEFECTIVE_TOKEN,                                  \
      "target name required but missing (service_binding = required and the client sent no "       \
      "trusted MsvAvTargetName: NTLMv1, or a client that does not name its target)")               \
    /* accept: a reflected response is the victim's, not its sender's */                           \
    X(NTLM_ERR_REFLECTED, 70, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN,                               \
      "reflected logon refused: this process's own initiator answered this challenge for "         \
      "another target")                                                                            \
    /* names and local accounts (issue 12) */                                                      \
    /* accept: no account has such a name, as for an unknown user */                               \
    X(NTLM_ERR_BAD_ACCOUNT_NAME, 71, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN,                        \
      "the user or domain name contains a backslash or a control character")                       \
    X(NTLM_ERR_LOCAL_DOMAIN, 72, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                 \
      "no local account: the name's domain is neither the acceptor's own nor listed in "           \
      "local_map_domains")                                                                         \
    X(NTLM_ERR_LOCAL_UID, 73, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                    \
      "no local account: the account's uid is below local_uid_min (root and system accounts "      \
      "are never mapped by default)")                                                              \
    X(NTLM_ERR_LOCAL_LOOKUP, 74, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                                 \
      "no local account: the account database (NSS or winbindd) could not be asked")               \
    /* a failed step ends the exchange, and the minimum session security (issue 12) */             \
    X(NTLM_ERR_EXCHANGE_FAILED, 75, FAILURE, FAILURE,                                              \
      "an earlier step of this exchange failed, so the context takes no further token (an "        \
      "acceptor starts over only from a fresh NEGOTIATE; an initiator needs a new context)")       \
    X(NTLM_ERR_SESSION_SECURITY_WEAK, 76, DEFECTIVE_TOKEN, DEFECTIVE_TOKEN,                        \
      "signing or sealing negotiated without 128-bit keys or without extended session "            \
      "security, which min_session_security requires (module configuration; a man in the "         \
      "middle may have removed them)")                                                             \
    /* account lockout (issue 12): this server's own, unlike ACCOUNT_LOCKED (the DC's) */          \
    X(NTLM_ERR_LOCKED_OUT, 77, DEFECTIVE_CREDENTIAL, DEFECTIVE_TOKEN,                              \
      "locked out: too many failed logons for this account (lockout_threshold in the module "      \
      "configuration); refused, even with the right password, for lockout_duration seconds")       \
    X(NTLM_ERR_LOCKOUT_STATE, 78, FAILURE, DEFECTIVE_TOKEN,                                        \
      "the lockout state file is unusable (state_dir in the module configuration)")                \
    /* too many domain logons waiting for winbindd (issue 18); sspigss_ntlm.h publishes it */      \
    X(NTLM_ERR_DOMAIN_BUSY, 79, FAILURE, DEFECTIVE_TOKEN,                                          \
      "refused without asking the domain controller: winbind_max_inflight logons of this "         \
      "process are already waiting for winbindd (a slow or stuck DC; module configuration)")

/* Internal functions return one of these (0 on success); the GSS layer reports it as minor. */
#define NTLM_ERROR_ENUM(code, number, accept, init, message)                                       \
    code = SSPIGSS_NTLM_MINOR_BASE + number##u,
enum ntlm_error { NTLM_OK = 0, NTLM_ERRORS(NTLM_ERROR_ENUM) };
#undef NTLM_ERROR_ENUM

/* How many codes there are; they number 1..NTLM_ERROR_COUNT with no gap (ntlm_errors.c). */
#define NTLM_ERROR_ONE(code, number, accept, init, message) +1
enum { NTLM_ERROR_COUNT = 0 NTLM_ERRORS(NTLM_ERROR_ONE) };
#undef NTLM_ERROR_ONE

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
/*
 * The major status a failed accept (initiator false) or init step reports with code;
 * NTLM_MAJOR_FAILURE for a value that is not one of ours.
 */
enum ntlm_major ntlm_error_major(uint32_t code, bool initiator);

#endif
