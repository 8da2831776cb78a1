/*
 * Access tokens: built from the SIDs and the local account sspi_identity.c found for a client,
 * kept in a registry of live handles, and read with the Windows token API
 * (GetTokenInformation, CheckTokenMembership, CloseHandle) and libsspi's own
 * SspiGetTokenUnixIdentity and SspiGetTokenSids.
 */
#include <pthread.h>
#include <search.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sspi_buffers.h"
#include "sspi_linux.h"
#include "sspi_strings.h"
#include "sspi_token_impl.h"

#define TOKEN_MAGIC 0x4b4f5453u /* "STOK" */
/* What Windows reports as a token's ExpirationTime: never. */
#define TOKEN_NEVER_EXPIRES INT64_MAX

/* ------------------------------------------------------------------------------------------ */
/* Building tokens, and the registry of live ones                                              */
/* ------------------------------------------------------------------------------------------ */

uint64_t
sspi_token_new_luid(void)
{
    /* Above the ids Windows reserves for its own logon sessions (SYSTEM is 0x3e7). */
    static uint64_t next = 0x10000;

    return __atomic_fetch_add(&next, 1, __ATOMIC_RELAXED);
}

static LUID
luid_from(uint64_t v)
{
    LUID luid = {(DWORD)v, (LONG)(v >> 32)};

    return luid;
}

SECURITY_STATUS
sspi_token_new(const struct sspi_token_parts *parts, struct sspi_token **out)
{
    size_t sid_count = 2 + parts->groups->count, gid_count = 0, name_len = 0;
    struct sspi_token *token;

    if (parts->account != NULL) {
        gid_count = parts->gid_count;
        name_len = strlen(parts->account);
    }
    token = sspi_context_buffer_alloc(sizeof(*token) + sid_count * sizeof(struct sspi_token_sid) +
                                      gid_count * sizeof(gid_t) + name_len + 1);
    if (token == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    memset(token, 0, sizeof(*token));
    token->magic = TOKEN_MAGIC;
    token->sid_count = (ULONG)sid_count;
    token->sids = (struct sspi_token_sid *)(token + 1);
    token->groups = (gid_t *)(token->sids + sid_count);
    token->user = (char *)(token->groups + gid_count);
    token->sids[0].attributes = 0; /* Windows gives the user SID no attributes */
    token->sids[0].sid = *parts->user;
    token->sids[1].attributes = 0;
    token->sids[1].sid = *parts->primary_group;
    if (parts->groups->count > 0)
        memcpy(token->sids + 2, parts->groups->items,
               parts->groups->count * sizeof(struct sspi_token_sid));
    token->has_account = parts->account != NULL;
    token->uid = token->has_account ? parts->uid : (uid_t)-1;
    token->gid = token->has_account ? parts->gid : (gid_t)-1;
    token->group_count = (ULONG)gid_count;
    if (gid_count > 0)
        memcpy(token->groups, parts->gids, gid_count * sizeof(gid_t));
    memcpy(token->user, token->has_account ? parts->account : "", name_len + 1);
    token->token_id = luid_from(sspi_token_new_luid());
    token->logon_id = luid_from(parts->logon_id != 0 ? parts->logon_id : sspi_token_new_luid());
    *out = token;
    return SEC_E_OK;
}

/*
 * The handles QuerySecurityContextToken gave out and nobody closed yet. A token function holds
 * the lock while it reads a token, so that a close on another thread waits for it; a pointer
 * that is not in the registry (closed, freed, or never a token) is ERROR_INVALID_HANDLE, never
 * a read of freed memory.
 */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static void *registry;

static int
pointer_compare(const void *a, const void *b)
{
    return a < b ? -1 : a > b;
}

/*
 * FreeContextBuffer on a token closes it: called with every buffer about to be freed. Only a
 * block that can be a token is looked up, so that freeing message tokens takes no lock.
 */
static void
forget_token(void *buffer, size_t size)
{
    if (size < sizeof(struct sspi_token) || ((struct sspi_token *)buffer)->magic != TOKEN_MAGIC)
        return;
    pthread_mutex_lock(&registry_lock);
    tdelete(buffer, &registry, pointer_compare);
    pthread_mutex_unlock(&registry_lock);
}

SECURITY_STATUS
sspi_token_register(struct sspi_token *token)
{
    void *added;

    __atomic_store_n(&sspi_context_buffer_free_hook, forget_token, __ATOMIC_RELEASE);
    pthread_mutex_lock(&registry_lock);
    added = tsearch(token, &registry, pointer_compare);
    pthread_mutex_unlock(&registry_lock);
    return added != NULL ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

/* The live token behind a handle, with the registry locked (token_unlock), or NULL. */
static struct sspi_token *
token_lock(HANDLE handle)
{
    pthread_mutex_lock(&registry_lock);
    if (handle != NULL && tfind(handle, &registry, pointer_compare) != NULL)
        return handle;
    pthread_mutex_unlock(&registry_lock);
    return NULL;
}

static void
token_unlock(void)
{
    pthread_mutex_unlock(&registry_lock);
}

BOOL SEC_ENTRY
CloseHandle(HANDLE hObject)
{
    struct sspi_token *token = token_lock(hObject);

    if (token == NULL) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    tdelete(token, &registry, pointer_compare);
    token->magic = 0;
    token_unlock();
    /* Not in the registry any more: the hook finds nothing to forget. */
    FreeContextBuffer(token);
    return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* GetTokenInformation                                                                         */
/* ------------------------------------------------------------------------------------------ */

/* TokenGroups, TokenUser, ...: the groups are sids[2..]. */
static ULONG
token_group_count(const struct sspi_token *t)
{
    return t->sid_count - 2;
}

/* The bytes the answer takes, or 0 for a class this library does not answer. */
static size_t
info_size(const struct sspi_token *t, TOKEN_INFORMATION_CLASS c)
{
    size_t size, i;

    switch (c) {
    case TokenUser:
        return sizeof(TOKEN_USER) + sspi_sid_length(&t->sids[0].sid);
    case TokenOwner:
        return sizeof(TOKEN_OWNER) + sspi_sid_length(&t->sids[0].sid);
    case TokenPrimaryGroup:
        return sizeof(TOKEN_PRIMARY_GROUP) + sspi_sid_length(&t->sids[1].sid);
    case TokenGroups:
        size = offsetof(TOKEN_GROUPS, Groups) +
               (size_t)token_group_count(t) * sizeof(SID_AND_ATTRIBUTES);
        for (i = 2; i < t->sid_count; i++)
            size += sspi_sid_length(&t->sids[i].sid);
        /* Never smaller than the struct, as Windows sizes an empty list. */
        return size < sizeof(TOKEN_GROUPS) ? sizeof(TOKEN_GROUPS) : size;
    case TokenType:
        return sizeof(TOKEN_TYPE);
    case TokenImpersonationLevel:
        return sizeof(SECURITY_IMPERSONATION_LEVEL);
    case TokenStatistics:
        return sizeof(TOKEN_STATISTICS);
    default:
        return 0;
    }
}

/* Copies a SID to *area, points sa at it, and moves *area past it. */
static void
put_sid(PSID *where, BYTE **area, const sspi_sid *sid)
{
    size_t len = sspi_sid_length(sid);

    memcpy(*area, sid, len);
    *where = *area;
    *area += len;
}

/*
 * The answer, laid out as Windows does: the fixed structure (and for TokenGroups its
 * SID_AND_ATTRIBUTES array) first, then the SIDs its pointers point at, in the same buffer.
 */
static void
info_write(const struct sspi_token *t, TOKEN_INFORMATION_CLASS c, void *out)
{
    TOKEN_GROUPS *groups = out;
    TOKEN_STATISTICS *stats = out;
    BYTE *area;
    ULONG i, n;

    switch (c) {
    case TokenUser:
        area = (BYTE *)out + sizeof(TOKEN_USER);
        ((TOKEN_USER *)out)->User.Attributes = t->sids[0].attributes;
        put_sid(&((TOKEN_USER *)out)->User.Sid, &area, &t->sids[0].sid);
        break;
    case TokenOwner:
        area = (BYTE *)out + sizeof(TOKEN_OWNER);
        put_sid(&((TOKEN_OWNER *)out)->Owner, &area, &t->sids[0].sid);
        break;
    case TokenPrimaryGroup:
        area = (BYTE *)out + sizeof(TOKEN_PRIMARY_GROUP);
        put_sid(&((TOKEN_PRIMARY_GROUP *)out)->PrimaryGroup, &area, &t->sids[1].sid);
        break;
    case TokenGroups:
        n = token_group_count(t);
        groups->GroupCount = n;
        area =
            (BYTE *)out + offsetof(TOKEN_GROUPS, Groups) + (size_t)n * sizeof(SID_AND_ATTRIBUTES);
        for (i = 0; i < n; i++) {
            groups->Groups[i].Attributes = t->sids[2 + i].attributes;
            put_sid(&groups->Groups[i].Sid, &area, &t->sids[2 + i].sid);
        }
        break;
    case TokenType:
        *(TOKEN_TYPE *)out = TokenImpersonation;
        break;
    case TokenImpersonationLevel:
        *(SECURITY_IMPERSONATION_LEVEL *)out = SecurityImpersonation;
        break;
    case TokenStatistics:
        memset(stats, 0, sizeof(*stats));
        stats->TokenId = t->token_id;
        stats->AuthenticationId = t->logon_id;
        stats->ExpirationTime.QuadPart = TOKEN_NEVER_EXPIRES;
        stats->TokenType = TokenImpersonation;
        stats->ImpersonationLevel = SecurityImpersonation;
        stats->GroupCount = token_group_count(t);
        stats->PrivilegeCount = 0;
        stats->ModifiedId = t->token_id;
        break;
    default:
        break;
    }
}

BOOL SEC_ENTRY
GetTokenInformation(HANDLE TokenHandle, TOKEN_INFORMATION_CLASS TokenInformationClass,
                    LPVOID TokenInformation, DWORD TokenInformationLength, PDWORD ReturnLength)
{
    struct sspi_token *token;
    size_t size;
    DWORD error = ERROR_SUCCESS;

    if (ReturnLength == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    token = token_lock(TokenHandle);
    if (token == NULL) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    size = info_size(token, TokenInformationClass);
    if (size == 0) {
        error = ERROR_INVALID_PARAMETER;
    } else if (TokenInformation == NULL || TokenInformationLength < size) {
        *ReturnLength = (DWORD)size;
        error = ERROR_INSUFFICIENT_BUFFER;
    } else {
        info_write(token, TokenInformationClass, TokenInformation);
        *ReturnLength = (DWORD)size;
    }
    token_unlock();
    if (error != ERROR_SUCCESS) {
        SetLastError(error);
        return FALSE;
    }
    return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* CheckTokenMembership                                                                        */
/* ------------------------------------------------------------------------------------------ */

/* The user, or an enabled group that is not for deny only (as AccessCheck counts them). */
static bool
token_has(const struct sspi_token *t, const void *sid)
{
    ULONG i;

    if (sspi_sid_equal(&t->sids[0].sid, sid))
        return true;
    for (i = 2; i < t->sid_count; i++) {
        if ((t->sids[i].attributes & SE_GROUP_ENABLED) &&
            !(t->sids[i].attributes & SE_GROUP_USE_FOR_DENY_ONLY) &&
            sspi_sid_equal(&t->sids[i].sid, sid))
            return true;
    }
    return false;
}

BOOL SEC_ENTRY
CheckTokenMembership(HANDLE TokenHandle, PSID SidToCheck, PBOOL IsMember)
{
    struct sspi_token *token = NULL;
    SECURITY_STATUS status;
    bool member;

    if (IsMember == NULL || !sspi_sid_valid(SidToCheck)) {
        SetLastError(SidToCheck != NULL && IsMember != NULL ? ERROR_INVALID_SID
                                                            : ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (TokenHandle == NULL) {
        status = sspi_thread_token(&token);
        if (status != SEC_E_OK) {
            SetLastError(status == SEC_E_INSUFFICIENT_MEMORY ? ERROR_NOT_ENOUGH_MEMORY
                                                             : ERROR_NO_TOKEN);
            return FALSE;
        }
        *IsMember = token_has(token, SidToCheck);
        FreeContextBuffer(token);
        return TRUE;
    }
    token = token_lock(TokenHandle);
    if (token == NULL) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    member = token_has(token, SidToCheck);
    token_unlock();
    *IsMember = member;
    return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* libsspi's own readers (sspi_linux.h)                                                        */
/* ------------------------------------------------------------------------------------------ */

SECURITY_STATUS SEC_ENTRY
SspiGetTokenUnixIdentity(void *Token, uid_t *uid, gid_t *gid, ULONG *GroupCount, gid_t **Groups,
                         char **UserName)
{
    const struct sspi_token *token = token_lock(Token);
    SECURITY_STATUS status = SEC_E_OK;
    gid_t *groups = NULL;
    char *user = NULL;

    if (token == NULL)
        return SEC_E_INVALID_HANDLE;
    if (!token->has_account) {
        status = SEC_E_NO_IMPERSONATION;
        goto done;
    }
    if (Groups != NULL) {
        groups = sspi_context_buffer_alloc(token->group_count * sizeof(gid_t) + 1);
        if (groups == NULL) {
            status = SEC_E_INSUFFICIENT_MEMORY;
            goto done;
        }
        memcpy(groups, token->groups, token->group_count * sizeof(gid_t));
    }
    if (UserName != NULL && (user = sspi_utf8_buffer_dup(token->user)) == NULL) {
        status = SEC_E_INSUFFICIENT_MEMORY;
        goto done;
    }
    if (uid != NULL)
        *uid = token->uid;
    if (gid != NULL)
        *gid = token->gid;
    if (GroupCount != NULL)
        *GroupCount = token->group_count;
    if (Groups != NULL)
        *Groups = groups;
    if (UserName != NULL)
        *UserName = user;
    groups = NULL;
done:
    token_unlock();
    FreeContextBuffer(groups);
    return status;
}

/* The user, the primary group, then the other groups: each SID once. */
static bool
listed_in_sids_order(const struct sspi_token *t, ULONG i)
{
    return i < 2 || !sspi_sid_equal(&t->sids[i].sid, &t->sids[1].sid);
}

SECURITY_STATUS SEC_ENTRY
SspiGetTokenSids(void *Token, ULONG *SidCount, char ***Sids)
{
    const struct sspi_token *token;
    char text[SSPI_SID_STRING_MAX];
    size_t count = 0, len = 0, i;
    char **list, *p;

    if (SidCount == NULL || Sids == NULL)
        return Token == NULL ? SEC_E_INVALID_HANDLE : SEC_E_INVALID_PARAMETER;
    token = token_lock(Token);
    if (token == NULL)
        return SEC_E_INVALID_HANDLE;
    for (i = 0; i < token->sid_count; i++) {
        if (!listed_in_sids_order(token, (ULONG)i))
            continue;
        sspi_sid_format(&token->sids[i].sid, text);
        len += strlen(text) + 1;
        count++;
    }
    /* One block: the pointer array, then the strings, so FreeContextBuffer frees it all. */
    list = sspi_context_buffer_alloc((count + 1) * sizeof(char *) + len);
    if (list == NULL) {
        token_unlock();
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    p = (char *)(list + count + 1);
    count = 0;
    for (i = 0; i < token->sid_count; i++) {
        if (!listed_in_sids_order(token, (ULONG)i))
            continue;
        sspi_sid_format(&token->sids[i].sid, p);
        list[count++] = p;
        p += strlen(p) + 1;
    }
    list[count] = NULL;
    token_unlock();
    *SidCount = (ULONG)count;
    *Sids = list;
    return SEC_E_OK;
}
