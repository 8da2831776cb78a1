/* Domain logons in a build without libwbclient: the configuration refuses winbind modes, and
 * a caller that asks anyway learns why. */
#include "ntlm_winbind.h"

#include <string.h>

#include "ntlm_errors.h"

uint32_t
ntlm_domain_logon(const struct ntlm_domain_logon *in, struct ntlm_domain_user *out)
{
    return NTLM_ERR_DOMAIN_UNSUPPORTED;
}

void
ntlm_domain_user_clear(struct ntlm_domain_user *user)
{
    memset(user, 0, sizeof(*user));
}

/* No domain user can have logged on in such a build; an imported name gets no account. */
uint32_t
ntlm_domain_local_account(const char *sid, char **name, uid_t *uid)
{
    return NTLM_ERR_LOCAL_LOOKUP;
}
