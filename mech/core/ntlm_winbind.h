/*
 * Domain logons: an NTLM response the user file cannot check, handed to winbindd (Samba's
 * libwbclient) so that a domain controller validates it, as a Windows member server passes
 * logons through NETLOGON. Built with libwbclient (configure --with-wbclient) in
 * ntlm_winbind.c; without it ntlm_winbind_none.c answers NTLM_ERR_DOMAIN_UNSUPPORTED.
 */
#ifndef NTLM_WINBIND_H
#define NTLM_WINBIND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One logon attempt, as the AUTHENTICATE message carried it (names in UTF-8). */
struct ntlm_domain_logon {
    const char *user;
    const char *domain;
    const char *workstation;
    uint8_t challenge[8]; /* what the responses answer (NTLMv1 with ESS: the mixed one) */
    const uint8_t *nt_response;
    size_t nt_response_len;
    const uint8_t *lm_response;
    size_t lm_response_len;
    unsigned timeout;      /* seconds to wait for winbindd before giving up */
    unsigned max_inflight; /* refuse when this many logons already wait (0: the default, 32) */
};

/* What the domain controller answered for a valid response. */
struct ntlm_domain_user {
    uint8_t session_base_key[16]; /* the user session key of the logon */
    char *user;                   /* the account and domain as the directory spells them */
    char *domain;
    char *sids; /* the user's SID, its primary group's, then every group's, comma-separated */
};

/*
 * Asks winbindd to validate the logon, waiting at most in->timeout seconds; a late answer is
 * dropped. When in->max_inflight logons of the process are already handed to winbindd and
 * unanswered (abandoned ones included), refuses at once with NTLM_ERR_DOMAIN_BUSY.
 * Errors: NTLM_ERR_UNKNOWN_USER, NTLM_ERR_WRONG_PASSWORD, NTLM_ERR_ACCOUNT_DISABLED,
 * NTLM_ERR_ACCOUNT_EXPIRED, NTLM_ERR_PASSWORD_EXPIRED, NTLM_ERR_ACCOUNT_LOCKED,
 * NTLM_ERR_ACCOUNT_RESTRICTED, NTLM_ERR_DOMAIN_REFUSED (another NT status),
 * NTLM_ERR_DOMAIN_UNAVAILABLE, NTLM_ERR_DOMAIN_TIMEOUT, NTLM_ERR_DOMAIN_BUSY,
 * NTLM_ERR_DOMAIN_UNSUPPORTED,
 * NTLM_ERR_NOMEM. Safe to call from any number of threads at once.
 */
uint32_t ntlm_domain_logon(const struct ntlm_domain_logon *in, struct ntlm_domain_user *out);

/* Wipes the key and frees the strings; the struct can be reused. */
void ntlm_domain_user_clear(struct ntlm_domain_user *user);

/*
 * The local account winbindd maps the domain user with this SID ("S-1-5-21-...") to, named as
 * winbindd's NSS module names it (DOMAIN<separator>user, or user alone under "winbind use
 * default domain"): *name (malloc'd) and *uid. Errors: NTLM_ERR_LOCAL_LOOKUP (winbindd has
 * no account for it or cannot be asked), NTLM_ERR_NOMEM. Waits as long as libwbclient does,
 * like an NSS lookup through winbind.
 */
uint32_t ntlm_domain_local_account(const char *sid, char **name, uid_t *uid);

#endif
