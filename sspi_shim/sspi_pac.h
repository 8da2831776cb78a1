/*
 * The Kerberos PAC's logon information (MS-PAC 2.5 KERB_VALIDATION_INFO, NDR-encoded) decoded
 * into the SIDs of a token.
 */
#ifndef SSPI_PAC_H
#define SSPI_PAC_H

#include <stddef.h>

#include "sspi.h"
#include "sspi_sid.h"

/*
 * Decodes a PAC_LOGON_INFO buffer (what MIT krb5 gives as the name attribute
 * urn:mspac:logon-info): the user (LogonDomainId + UserId), the primary group (LogonDomainId +
 * PrimaryGroupId) and the groups (GroupIds, then ExtraSids, then ResourceGroupIds under
 * ResourceGroupDomainSid, the primary group among them). SEC_E_OK; SEC_E_INVALID_TOKEN for a
 * buffer that is malformed in any way (then *out is left empty: never a partial list);
 * SEC_E_INSUFFICIENT_MEMORY. Free out->groups with sspi_sid_list_free.
 */
SECURITY_STATUS sspi_pac_logon_info(const void *data, size_t len, struct sspi_logon_sids *out);

#endif
