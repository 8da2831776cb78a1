/*
 * sspigss: what libsspi adds to the Windows SSPI API for code ported to Linux. Windows
 * identifies the client behind a context with an access token (a HANDLE closed with
 * CloseHandle); here the token describes the local account the client maps to, and this
 * header is how ported code reads it.
 *
 * The token QuerySecurityContextToken returns is one block of memory: release it with
 * FreeContextBuffer (Linux has no CloseHandle). The account is found by gss_localname() on the
 * authenticated client name (NTLM: the user part of DOMAIN\user; Kerberos: the krb5.conf
 * auth_to_local rules), then looked up through NSS (getpwnam_r, getgrouplist). A client a
 * domain controller validated also has SIDs (its own, its primary group's, its groups'), taken
 * from the mechanism's authenticated name attribute urn:gssntlmssp:sids; such a client without
 * a local account still gets a token, with SIDs only.
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
 * primary group's, then its other groups' (what TokenUser and TokenGroups hold on Windows).
 * *Sids is a NULL-terminated array of *SidCount strings in one block, freed with
 * FreeContextBuffer; zero SIDs for a client the mechanism gave none (a local NTLM user, a
 * Kerberos client). SEC_E_INVALID_HANDLE for a token not from QuerySecurityContextToken,
 * SEC_E_INVALID_PARAMETER for a NULL output, SEC_E_INSUFFICIENT_MEMORY.
 */
SSPI_API SECURITY_STATUS SEC_ENTRY SspiGetTokenSids(void *Token, ULONG *SidCount, char ***Sids);

#ifdef __cplusplus
}
#endif

#endif /* SSPIGSS_SSPI_LINUX_H */
