/*
 * sspigss: what libsspi adds to the Windows SSPI API for code ported to Linux. Windows
 * identifies the client behind a context with an access token; here the token
 * QuerySecurityContextToken returns is read with the Windows token API (sspi_token.h: its SIDs)
 * and with this header (the local account the client maps to), and closed with CloseHandle or
 * FreeContextBuffer.
 *
 * The account is found by gss_localname() on the authenticated client name (NTLM: the user
 * part of DOMAIN\user; Kerberos: the krb5.conf auth_to_local rules), then looked up through
 * NSS (getpwnam_r, getgrouplist). The SIDs come from a verified Kerberos PAC, from an NTLM
 * domain logon (urn:gssntlmssp:sids), or are the local account's unix SIDs S-1-22-1-uid and
 * S-1-22-2-gid (libsspi(3), ACCESS TOKENS); a domain client without a local account still gets
 * a token, with SIDs only.
 *
 * ImpersonateSecurityContext changes the effective user, group and supplementary groups of the
 * calling thread only, keeping its real and saved ids, so it needs a privileged server (root or
 * CAP_SETUID + CAP_SETGID) and SEC_E_NO_IMPERSONATION is returned otherwise. As on Windows this
 * is not a boundary against the thread itself: code running in it (or in a process it forks)
 * can switch back. To run a child process as the client, fork and switch all ids there with the
 * identity read from the token.
 */
#ifndef SSPIGSS_SSPI_LINUX_H
#define SSPIGSS_SSPI_LINUX_H

#include <sys/types.h>

#include "sspi.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Reads the local account a token (from QuerySecurityContextToken) stands for. Every output is
 * optional (pass NULL for what is not needed). *Groups is the sorted supplementary group list,
 * the primary group included, *GroupCount entries long; *Groups and *UserName are allocated for
 * the caller and freed with FreeContextBuffer. Outputs are set only on success.
 *
 * SEC_E_INVALID_HANDLE when Token is NULL or not a token from QuerySecurityContextToken;
 * SEC_E_NO_IMPERSONATION when the client has SIDs but no local account;
 * SEC_E_INSUFFICIENT_MEMORY when the copies cannot be made.
 */
SSPI_API SECURITY_STATUS SEC_ENTRY SspiGetTokenUnixIdentity(void *Token, uid_t *uid, gid_t *gid,
                                                            ULONG *GroupCount, gid_t **Groups,
                                                            char **UserName);

/*
 * Reads the SIDs of a token, in string form ("S-1-5-21-..."): the user's first, then its
 * primary group's, then its other groups' (what TokenUser, TokenPrimaryGroup and TokenGroups
 * hold). *Sids is a NULL-terminated array of *SidCount strings in one block, freed with
 * FreeContextBuffer. SEC_E_INVALID_HANDLE for a token not from QuerySecurityContextToken (or
 * closed), SEC_E_INVALID_PARAMETER for a NULL output, SEC_E_INSUFFICIENT_MEMORY.
 */
SSPI_API SECURITY_STATUS SEC_ENTRY SspiGetTokenSids(void *Token, ULONG *SidCount, char ***Sids);

#ifdef __cplusplus
}
#endif

#endif /* SSPIGSS_SSPI_LINUX_H */
