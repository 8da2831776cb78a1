/*
 * The access token inside libsspi: what QuerySecurityContextToken hands out (a HANDLE that is a
 * pointer to one context buffer, registered while it is live) and the SID lists it is built
 * from. GSS-free: sspi_identity.c collects the parts, this builds and reads tokens.
 */
#ifndef SSPI_TOKEN_IMPL_H
#define SSPI_TOKEN_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "sspi.h"
#include "sspi_sid.h"

struct sspi_token {
    uint32_t magic;
    bool has_account; /* the client maps to a local account: uid..user are set */
    uid_t uid;
    gid_t gid;
    ULONG group_count;
    gid_t *groups; /* sorted, no duplicates */
    char *user;
    LUID token_id;
    LUID logon_id;
    /* sids[0] the user, sids[1] the primary group, sids[2..] TokenGroups (primary included) */
    ULONG sid_count;
    struct sspi_token_sid *sids;
};

/* What a token is made of; the account part is optional (account == NULL). */
struct sspi_token_parts {
    const sspi_sid *user;
    const sspi_sid *primary_group;
    const struct sspi_sid_list *groups;
    const char *account;
    uid_t uid;
    gid_t gid;
    size_t gid_count;
    const gid_t *gids;
    uint64_t logon_id;
};

/* A fresh locally unique id (TokenId, AuthenticationId), never 0. */
uint64_t sspi_token_new_luid(void);
/* One context buffer (FreeContextBuffer); not yet a handle the caller may use. */
SECURITY_STATUS sspi_token_new(const struct sspi_token_parts *parts, struct sspi_token **out);
/* Makes a token a live handle: the token functions accept it until it is closed or freed. */
SECURITY_STATUS sspi_token_register(struct sspi_token *token);
/*
 * The token CheckTokenMembership(NULL, ...) checks: the one of the context the calling thread
 * impersonates, else one built from the thread's own ids. Unregistered; FreeContextBuffer it.
 * In sspi_identity.c.
 */
SECURITY_STATUS sspi_thread_token(struct sspi_token **out);

#endif
