/*
 * QuerySecurityContextToken, ImpersonateSecurityContext and RevertSecurityContext: the client an
 * acceptor authenticated, mapped to a local account (gss_localname, then NSS, never below a uid
 * floor) and with its SIDs (a Kerberos ticket's PAC, an NTLM domain controller's answer, or the
 * local account's unix SIDs), handed out as a token (sspi_token.c) or put on the calling
 * thread's credentials until the thread reverts.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gssapi/gssapi_ext.h>

#include "sspi_buffers.h"
#include "sspi_linux.h"
#include "sspi_objects.h"
#include "sspi_pac.h"
#include "sspi_sid.h"
#include "sspi_strings.h"
#include "sspi_token_impl.h"
#include "sspigss_ntlm.h"

/*
 * The raw system calls change the calling thread only: glibc's setresuid() and friends change
 * every thread of the process, as POSIX requires. Where the plain numbers are the old 16-bit
 * calls (32-bit x86 and ARM), the 32-bit ones are used.
 */
#ifdef SYS_setresuid32
#define SYS_THREAD_SETRESUID SYS_setresuid32
#define SYS_THREAD_SETRESGID SYS_setresgid32
#define SYS_THREAD_SETGROUPS SYS_setgroups32
#else
#define SYS_THREAD_SETRESUID SYS_setresuid
#define SYS_THREAD_SETRESGID SYS_setresgid
#define SYS_THREAD_SETGROUPS SYS_setgroups
#endif

#define SSPI_DEFAULT_LOCAL_UID_MIN 1000
#define MAX_NSS_BUFFER (1u << 20)
/* The name attribute in which NTLM mechanisms (ours, gss-ntlmssp) give a domain user's SIDs. */
#define SIDS_ATTRIBUTE SSPIGSS_NTLM_ATTR_SIDS
/* The name attribute in which MIT krb5 gives the PAC's logon information (MS-PAC 2.5). */
#define PAC_LOGON_INFO_ATTRIBUTE "urn:mspac:logon-info"

/*
 * The calling thread's impersonation: the ids it had before and which of them were changed, so
 * that reverting undoes exactly that. A thread that exits while impersonating takes its
 * credentials with it; only its saved group list is left behind.
 */
struct impersonation {
    bool active;
    CtxtHandle context; /* the handle impersonated, which may since have been deleted */
    uid_t euid;
    gid_t egid;
    size_t group_count;
    gid_t *groups;
    bool set_uid, set_gid, set_groups;
};

static _Thread_local struct impersonation current;

static int
gid_compare(const void *a, const void *b)
{
    gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

    return x < y ? -1 : x > y;
}

/* Sorts a group list and drops repeats; returns the new count. */
static size_t
groups_normalize(gid_t *groups, size_t count)
{
    size_t i, n = 0;

    qsort(groups, count, sizeof(*groups), gid_compare);
    for (i = 0; i < count; i++) {
        if (n == 0 || groups[n - 1] != groups[i])
            groups[n++] = groups[i];
    }
    return n;
}

/* getpwnam_r with a buffer that grows until the entry fits. */
static SECURITY_STATUS
lookup_user(const char *user, struct passwd *pw, char **buffer)
{
    long hint = sysconf(_SC_GETPW_R_SIZE_MAX);
    size_t size = hint > 0 ? (size_t)hint : 1024;
    struct passwd *found = NULL;
    char *buf = NULL, *bigger;
    int err;

    for (;;) {
        bigger = realloc(buf, size);
        if (bigger == NULL) {
            free(buf);
            return SEC_E_INSUFFICIENT_MEMORY;
        }
        buf = bigger;
        err = getpwnam_r(user, pw, buf, size, &found);
        if (err != ERANGE || size >= MAX_NSS_BUFFER)
            break;
        size *= 2;
    }
    if (found != NULL) {
        *buffer = buf;
        return SEC_E_OK;
    }
    free(buf);
    /* getpwnam_r(3): 0, ENOENT, ESRCH, EBADF and EPERM all mean "no such user". */
    if (err == 0 || err == ENOENT || err == ESRCH || err == EBADF || err == EPERM)
        return SEC_E_NO_IMPERSONATION;
    return err == ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INTERNAL_ERROR;
}

/* The account's groups (its primary group included), sorted. */
static SECURITY_STATUS
lookup_groups(const char *user, gid_t gid, gid_t **out, size_t *count)
{
    int n = 16, asked;
    gid_t *groups = NULL, *bigger;

    for (;;) {
        bigger = realloc(groups, (size_t)n * sizeof(*groups));
        if (bigger == NULL) {
            free(groups);
            return SEC_E_INSUFFICIENT_MEMORY;
        }
        groups = bigger;
        asked = n;
        if (getgrouplist(user, gid, groups, &n) >= 0)
            break;
        /* glibc reports the size needed; grow anyway in case an NSS module does not. */
        if (n <= asked)
            n = asked * 2;
        if (n > 65536) {
            free(groups);
            return SEC_E_INTERNAL_ERROR;
        }
    }
    *count = groups_normalize(groups, (size_t)n);
    *out = groups;
    return SEC_E_OK;
}

/*
 * The lowest uid a client may map to: LIBSSPI_LOCAL_UID_MIN (decimal, read with secure_getenv
 * at each call), else 1000, Debian's first regular user. The mechanism decides which account
 * a name maps to (gss_localname: our NTLM module's domain rules and its own local_uid_min,
 * krb5's auth_to_local rules, gss-ntlmssp's getpwnam), but only this library knows it is
 * about to hand out a token or take on the account's uid, and it works over mechanisms that
 * have no such floor: krb5's default rule maps root@REALM to root, gss-ntlmssp maps
 * ANYDOMAIN\root to root. So it refuses root and the system accounts itself, whatever the
 * mechanism; LIBSSPI_LOCAL_UID_MIN=0 lets a server that really means to act as them do so.
 */
static unsigned long
local_uid_min(void)
{
    const char *env = secure_getenv("LIBSSPI_LOCAL_UID_MIN");
    unsigned long min = 0;
    const char *p;

    if (env == NULL || *env == '\0')
        return SSPI_DEFAULT_LOCAL_UID_MIN;
    for (p = env; *p >= '0' && *p <= '9' && min <= UINT32_MAX; p++)
        min = min * 10 + (unsigned long)(*p - '0');
    /* A value that is not a number keeps the default rather than open the floor. */
    return *p == '\0' && min <= UINT32_MAX ? min : SSPI_DEFAULT_LOCAL_UID_MIN;
}

/*
 * The local account a client maps to: *user (malloc'd) and its passwd entry in *pwbuf, or
 * SEC_E_NO_IMPERSONATION when gss_localname has no rule for the name, NSS no such account, or
 * the account's uid is below local_uid_min().
 */
static SECURITY_STATUS
peer_account(const struct sspi_ctx *ctx, char **user, struct passwd *pw, char **pwbuf)
{
    gss_buffer_desc local = GSS_C_EMPTY_BUFFER;
    SECURITY_STATUS status;
    OM_uint32 major, minor;

    major = gss_localname(&minor, ctx->peer, ctx->mech, &local);
    if (major != GSS_S_COMPLETE || local.length == 0 || memchr(local.value, '\0', local.length)) {
        gss_release_buffer(&minor, &local);
        return SEC_E_NO_IMPERSONATION;
    }
    *user = strndup(local.value, local.length);
    gss_release_buffer(&minor, &local);
    if (*user == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    status = lookup_user(*user, pw, pwbuf);
    if (status == SEC_E_OK && (unsigned long)pw->pw_uid < local_uid_min()) {
        free(*pwbuf);
        *pwbuf = NULL;
        status = SEC_E_NO_IMPERSONATION;
    }
    if (status != SEC_E_OK) {
        free(*user);
        *user = NULL;
    }
    return status;
}

/*
 * A name attribute the mechanism vouches for: true and the value in *out (released by the
 * caller) when it has the attribute and says it is authenticated (MIT krb5: the PAC's server
 * signature checked with the service key; NTLM: the domain controller's answer). Anything else
 * counts as absent.
 */
static bool
authenticated_attribute(const struct sspi_ctx *ctx, const char *name, gss_buffer_t out)
{
    gss_buffer_desc attr = {strlen(name), (void *)name};
    gss_buffer_desc value = GSS_C_EMPTY_BUFFER;
    int authenticated = 0, complete = 0, more = -1;
    OM_uint32 major, minor;

    major = gss_get_name_attribute(&minor, ctx->peer, &attr, &authenticated, &complete, &value,
                                   NULL, &more);
    if (major == GSS_S_COMPLETE && authenticated) {
        *out = value;
        return true;
    }
    gss_release_buffer(&minor, &value);
    return false;
}

/*
 * The SIDs in a Kerberos ticket's PAC, trusted only when MIT krb5 verified the PAC. A PAC that
 * is there, verified, and cannot be decoded refuses the token (SEC_E_INVALID_TOKEN) rather than
 * give the client fewer groups than its domain says it has.
 */
static SECURITY_STATUS
pac_sids(const struct sspi_ctx *ctx, struct sspi_logon_sids *out, bool *found)
{
    gss_buffer_desc value = GSS_C_EMPTY_BUFFER;
    SECURITY_STATUS status;
    OM_uint32 minor;

    *found = false;
    if (!authenticated_attribute(ctx, PAC_LOGON_INFO_ATTRIBUTE, &value))
        return SEC_E_OK;
    status = sspi_pac_logon_info(value.value, value.length, out);
    gss_release_buffer(&minor, &value);
    *found = status == SEC_E_OK;
    return status;
}

/*
 * The SIDs an NTLM mechanism gives for a domain logon ("S-1-5-21-...,..."): the user's first,
 * then the primary group's, then the other groups' (winbindd's order). A list that does not
 * parse is refused like a malformed PAC.
 */
static SECURITY_STATUS
mech_sids(const struct sspi_ctx *ctx, struct sspi_logon_sids *out, bool *found)
{
    gss_buffer_desc value = GSS_C_EMPTY_BUFFER;
    struct sspi_logon_sids sids = {0};
    SECURITY_STATUS status = SEC_E_OK;
    char *list = NULL, *one, *save = NULL;
    size_t n = 0;
    OM_uint32 minor;
    sspi_sid sid;

    *found = false;
    if (!authenticated_attribute(ctx, SIDS_ATTRIBUTE, &value))
        return SEC_E_OK;
    /* An empty list, or one with a NUL in it, gives no SIDs. */
    if (value.length > 0 && memchr(value.value, '\0', value.length) == NULL &&
        (list = strndup(value.value, value.length)) == NULL)
        status = SEC_E_INSUFFICIENT_MEMORY;
    gss_release_buffer(&minor, &value);
    if (list == NULL)
        return status;
    for (one = strtok_r(list, ",", &save); one != NULL; one = strtok_r(NULL, ",", &save), n++) {
        if (!sspi_sid_parse(one, &sid)) {
            status = SEC_E_INVALID_TOKEN;
            goto done;
        }
        if (n == 0) {
            sids.user = sid;
            /* Without a group in the list the user is its own primary group, as SYSTEM is. */
            sids.primary_group = sid;
            continue;
        }
        if (n == 1)
            sids.primary_group = sid;
        status = sspi_sid_list_add(&sids.groups, &sid, SSPI_GROUP_DEFAULT_ATTRIBUTES);
        if (status != SEC_E_OK)
            goto done;
    }
    if (n > 0) {
        *out = sids;
        memset(&sids, 0, sizeof(sids));
        *found = true;
    }
done:
    sspi_sid_list_free(&sids.groups);
    free(list);
    return status;
}

/*
 * The SIDs of a local account (a client of the user file, or a Kerberos client without a PAC
 * that maps to a local account): S-1-22-1-uid for the user, S-1-22-2-gid for its primary group
 * and each of its groups, as Samba and winbind name unix ids without a domain SID.
 */
static SECURITY_STATUS
local_sids(uid_t uid, gid_t gid, const gid_t *groups, size_t count, struct sspi_logon_sids *out)
{
    SECURITY_STATUS status;
    sspi_sid sid;
    size_t i;

    sspi_sid_unix_user(&out->user, uid);
    sspi_sid_unix_group(&out->primary_group, gid);
    status = sspi_sid_list_add(&out->groups, &out->primary_group, SSPI_GROUP_DEFAULT_ATTRIBUTES);
    for (i = 0; i < count && status == SEC_E_OK; i++) {
        sspi_sid_unix_group(&sid, groups[i]);
        status = sspi_sid_list_add(&out->groups, &sid, SSPI_GROUP_DEFAULT_ATTRIBUTES);
    }
    return status;
}

/* The context's logon session id (TokenStatistics.AuthenticationId), the same for each token. */
static uint64_t
context_logon_id(struct sspi_ctx *ctx)
{
    uint64_t id = __atomic_load_n(&ctx->logon_id, __ATOMIC_RELAXED), fresh;

    if (id == 0) {
        fresh = sspi_token_new_luid();
        if (__atomic_compare_exchange_n(&ctx->logon_id, &id, fresh, false, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED))
            id = fresh;
    }
    return id;
}

/*
 * The client an established acceptor context authenticated: its SIDs (from the PAC, else from
 * the NTLM mechanism's domain logon, else the local account's unix SIDs) and its local
 * account. An initiator context has no client; a client with neither a local account nor SIDs
 * has no token: Windows says SEC_E_NO_IMPERSONATION when it has none, and so does this. A
 * domain user without a local account gets a token with SIDs only, which cannot be
 * impersonated.
 */
static SECURITY_STATUS
token_for_peer(struct sspi_ctx *ctx, struct sspi_token **out)
{
    struct sspi_logon_sids sids = {0};
    struct sspi_token_parts parts = {0};
    struct passwd pw;
    char *user = NULL, *pwbuf = NULL;
    gid_t *groups = NULL;
    size_t group_count = 0;
    SECURITY_STATUS status;
    bool have_sids;

    if (ctx->initiator || !ctx->established || ctx->peer == GSS_C_NO_NAME)
        return SEC_E_NO_IMPERSONATION;
    status = pac_sids(ctx, &sids, &have_sids);
    if (status == SEC_E_OK && !have_sids)
        status = mech_sids(ctx, &sids, &have_sids);
    if (status != SEC_E_OK)
        goto done;
    status = peer_account(ctx, &user, &pw, &pwbuf);
    if (status == SEC_E_OK)
        status = lookup_groups(user, pw.pw_gid, &groups, &group_count);
    else if (status == SEC_E_NO_IMPERSONATION && have_sids)
        status = SEC_E_OK;
    if (status == SEC_E_OK && !have_sids)
        status = local_sids(pw.pw_uid, pw.pw_gid, groups, group_count, &sids);
    if (status == SEC_E_OK)
        status = sspi_sid_list_add_network_groups(&sids.groups);
    if (status != SEC_E_OK)
        goto done;
    parts.user = &sids.user;
    parts.primary_group = &sids.primary_group;
    parts.groups = &sids.groups;
    parts.account = user;
    if (user != NULL) {
        parts.uid = pw.pw_uid;
        parts.gid = pw.pw_gid;
        parts.gid_count = group_count;
        parts.gids = groups;
    }
    parts.logon_id = context_logon_id(ctx);
    status = sspi_token_new(&parts, out);
done:
    sspi_sid_list_free(&sids.groups);
    free(groups);
    free(pwbuf);
    free(user);
    return status;
}

/*
 * The token is a HANDLE for the token functions (sspi_token.h) until CloseHandle or
 * FreeContextBuffer releases it.
 */
SECURITY_STATUS SEC_ENTRY
QuerySecurityContextToken(PCtxtHandle phContext, void **Token)
{
    struct sspi_ctx *ctx = sspi_ctx_from_handle(phContext);
    struct sspi_token *token = NULL;
    SECURITY_STATUS status;

    if (ctx == NULL)
        return SEC_E_INVALID_HANDLE;
    status = Token == NULL ? SEC_E_INVALID_PARAMETER : token_for_peer(ctx, &token);
    if (status == SEC_E_OK)
        status = sspi_token_register(token);
    sspi_ctx_unref(ctx);
    if (status != SEC_E_OK) {
        FreeContextBuffer(token);
        return status;
    }
    *Token = token;
    return SEC_E_OK;
}

static int
thread_setresuid(uid_t euid)
{
    return syscall(SYS_THREAD_SETRESUID, -1L, (long)euid, -1L) == 0 ? 0 : errno;
}

static int
thread_setresgid(gid_t egid)
{
    return syscall(SYS_THREAD_SETRESGID, -1L, (long)egid, -1L) == 0 ? 0 : errno;
}

static int
thread_setgroups(size_t count, const gid_t *groups)
{
    return syscall(SYS_THREAD_SETGROUPS, (long)count, groups) == 0 ? 0 : errno;
}

/* The calling thread's supplementary groups, sorted (getgroups is a plain system call). */
static int
thread_groups(gid_t **out, size_t *count)
{
    gid_t *groups;
    int n = getgroups(0, NULL);

    if (n < 0)
        return errno;
    groups = malloc(((size_t)n + 1) * sizeof(*groups));
    if (groups == NULL)
        return ENOMEM;
    n = getgroups(n, groups);
    if (n < 0) {
        free(groups);
        return errno;
    }
    *count = groups_normalize(groups, (size_t)n);
    *out = groups;
    return 0;
}

/*
 * Puts back what an impersonation changed, uid first so that the capabilities needed for the
 * groups come back with it. Each step is forgotten once done, so a failed revert can be retried.
 */
static SECURITY_STATUS
restore(struct impersonation *imp)
{
    if (imp->set_uid) {
        if (thread_setresuid(imp->euid) != 0)
            return SEC_E_INTERNAL_ERROR;
        imp->set_uid = false;
    }
    if (imp->set_groups) {
        if (thread_setgroups(imp->group_count, imp->groups) != 0)
            return SEC_E_INTERNAL_ERROR;
        imp->set_groups = false;
    }
    if (imp->set_gid) {
        if (thread_setresgid(imp->egid) != 0)
            return SEC_E_INTERNAL_ERROR;
        imp->set_gid = false;
    }
    return SEC_E_OK;
}

static SECURITY_STATUS
status_from_errno(int err)
{
    switch (err) {
    case EPERM:  /* not root, or without CAP_SETUID / CAP_SETGID */
    case EINVAL: /* an id this user namespace does not map, or too many groups */
        return SEC_E_NO_IMPERSONATION;
    case ENOMEM:
        return SEC_E_INSUFFICIENT_MEMORY;
    default:
        return SEC_E_INTERNAL_ERROR;
    }
}

/*
 * Switches the calling thread to the token's account: groups, then gid, then uid (after which
 * the thread may no longer change the others). Real and saved ids stay, which is what lets the
 * thread switch back. Ids that already match are left alone, so a server may impersonate a
 * client that is its own account without privilege, as Windows allows. The first change of an
 * effective id makes Linux mark the whole process non-dumpable (prctl(2) PR_SET_DUMPABLE), and
 * reverting does not undo that: a server that impersonates writes no core files afterwards.
 */
static SECURITY_STATUS
become(const struct sspi_token *token, struct impersonation *imp)
{
    int err;

    imp->euid = geteuid();
    imp->egid = getegid();
    err = thread_groups(&imp->groups, &imp->group_count);
    if (err != 0)
        return status_from_errno(err);
    if (imp->group_count != token->group_count ||
        memcmp(imp->groups, token->groups, imp->group_count * sizeof(gid_t)) != 0) {
        err = thread_setgroups(token->group_count, token->groups);
        if (err != 0)
            goto fail;
        imp->set_groups = true;
    }
    if (imp->egid != token->gid) {
        err = thread_setresgid(token->gid);
        if (err != 0)
            goto fail;
        imp->set_gid = true;
    }
    if (imp->euid != token->uid) {
        err = thread_setresuid(token->uid);
        if (err != 0)
            goto fail;
        imp->set_uid = true;
    }
    return SEC_E_OK;
fail:
    return restore(imp) == SEC_E_OK ? status_from_errno(err) : SEC_E_INTERNAL_ERROR;
}

/* Ends the calling thread's impersonation, if any. */
static SECURITY_STATUS
end_impersonation(void)
{
    struct sspi_ctx *ctx;
    SECURITY_STATUS status;

    if (!current.active)
        return SEC_E_OK;
    status = restore(&current);
    if (status != SEC_E_OK)
        return status;
    ctx = sspi_ctx_from_handle(&current.context);
    if (ctx != NULL)
        __atomic_store_n(&ctx->impersonating, false, __ATOMIC_RELAXED);
    sspi_ctx_unref(ctx);
    free(current.groups);
    memset(&current, 0, sizeof(current));
    return SEC_E_OK;
}

/*
 * A thread that already impersonates reverts first, so the ids saved are always the server's
 * own. The account is looked up after that, as the server, and a lookup that fails leaves the
 * thread reverted rather than still acting for the previous client.
 */
SECURITY_STATUS SEC_ENTRY
ImpersonateSecurityContext(PCtxtHandle phContext)
{
    struct sspi_ctx *ctx = sspi_ctx_from_handle(phContext);
    struct impersonation imp = {0};
    struct sspi_token *token = NULL;
    SECURITY_STATUS status;

    if (ctx == NULL)
        return SEC_E_INVALID_HANDLE;
    status = end_impersonation();
    if (status != SEC_E_OK)
        goto done;
    status = token_for_peer(ctx, &token);
    if (status != SEC_E_OK)
        goto done;
    if (!token->has_account) {
        status = SEC_E_NO_IMPERSONATION;
        goto done;
    }
    status = become(token, &imp);
    if (status == SEC_E_OK || imp.set_uid || imp.set_gid || imp.set_groups) {
        /* Also when a failed switch could not be undone, so that a revert retries it. */
        imp.active = true;
        imp.context = *phContext;
        current = imp;
        imp.groups = NULL;
    }
    if (status == SEC_E_OK)
        __atomic_store_n(&ctx->impersonating, true, __ATOMIC_RELAXED);
done:
    free(imp.groups);
    FreeContextBuffer(token);
    sspi_ctx_unref(ctx);
    return status;
}

/*
 * Always ends the calling thread's impersonation, whatever handle it is given: a thread must
 * never keep acting as a client because of a bookkeeping mistake. The status still reports a
 * handle that is neither a live context nor the one the thread impersonated (that one may have
 * been deleted since). A thread that does not impersonate gets SEC_E_OK, as RevertToSelf does.
 */
SECURITY_STATUS SEC_ENTRY
RevertSecurityContext(PCtxtHandle phContext)
{
    bool own = current.active && phContext != NULL &&
               phContext->dwLower == current.context.dwLower &&
               phContext->dwUpper == current.context.dwUpper;
    SECURITY_STATUS status;

    status = end_impersonation();
    if (status != SEC_E_OK)
        return status;
    return own || sspi_handle_live(phContext, SSPI_HANDLE_CONTEXT) ? SEC_E_OK
                                                                   : SEC_E_INVALID_HANDLE;
}

/*
 * The calling thread's token: the impersonated client's while ImpersonateSecurityContext is in
 * force (and its context is still there), else the unix SIDs of the thread's own effective ids.
 */
SECURITY_STATUS
sspi_thread_token(struct sspi_token **out)
{
    struct sspi_logon_sids sids = {0};
    struct sspi_token_parts parts = {0};
    struct sspi_ctx *ctx;
    gid_t *groups = NULL;
    size_t count = 0;
    SECURITY_STATUS status;
    int err;

    if (current.active && (ctx = sspi_ctx_from_handle(&current.context)) != NULL) {
        status = token_for_peer(ctx, out);
        sspi_ctx_unref(ctx);
        return status;
    }
    err = thread_groups(&groups, &count);
    if (err != 0)
        return status_from_errno(err);
    status = local_sids(geteuid(), getegid(), groups, count, &sids);
    if (status == SEC_E_OK)
        status = sspi_sid_list_add_network_groups(&sids.groups);
    if (status == SEC_E_OK) {
        parts.user = &sids.user;
        parts.primary_group = &sids.primary_group;
        parts.groups = &sids.groups;
        status = sspi_token_new(&parts, out);
    }
    sspi_sid_list_free(&sids.groups);
    free(groups);
    return status;
}
