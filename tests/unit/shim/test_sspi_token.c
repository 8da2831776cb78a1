/*
 * sspi_token.c: access tokens built from SIDs and an optional local account, the registry
 * that makes them handles (closed by CloseHandle or FreeContextBuffer), GetTokenInformation's
 * answers laid out as Windows lays them out, CheckTokenMembership (as AccessCheck counts
 * groups) and libsspi's own SspiGetTokenUnixIdentity and SspiGetTokenSids. The thread's token
 * (sspi_identity.c) is this suite's stand-in below.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sspi_linux.h"
#include "sspi_token_impl.h"
#include "test_util.h"

#define DOMAIN_SID "S-1-5-21-1004336348-1177238915-682003330"
#define USER DOMAIN_SID "-1105"
#define DOMAIN_USERS DOMAIN_SID "-513"
#define ENABLED_GROUP DOMAIN_SID "-1107"
#define DISABLED_GROUP DOMAIN_SID "-1108"
#define DENY_ONLY_GROUP DOMAIN_SID "-512"

/* What the stand-in for sspi_identity.c's sspi_thread_token answers. */
static SECURITY_STATUS thread_token_status;

/* The ids and SIDs of a logon, kept for the tokens the tests make of them. */
static sspi_sid user_sid, primary_sid;
static struct sspi_sid_list groups;
static const gid_t gids[] = {100, 1000, 1001};

static sspi_sid
sid_of(const char *text)
{
    sspi_sid sid;

    CU_ASSERT_FATAL(sspi_sid_parse(text, &sid));
    return sid;
}

/* Fills the logon: the primary group among the groups (as Windows lists it), one disabled and
 * one deny-only group. */
static void
logon_setup(void)
{
    sspi_sid_list_free(&groups);
    user_sid = sid_of(USER);
    primary_sid = sid_of(DOMAIN_USERS);
    sspi_sid_list_add(&groups, &primary_sid, SSPI_GROUP_DEFAULT_ATTRIBUTES);
    sspi_sid_list_add(&groups, (sspi_sid[]){sid_of(ENABLED_GROUP)}, SE_GROUP_ENABLED);
    sspi_sid_list_add(&groups, (sspi_sid[]){sid_of(DISABLED_GROUP)}, SE_GROUP_MANDATORY);
    sspi_sid_list_add(&groups, (sspi_sid[]){sid_of(DENY_ONLY_GROUP)},
                      SE_GROUP_ENABLED | SE_GROUP_USE_FOR_DENY_ONLY);
}

/* A token of the logon, with the account "alice" (uid 1000) when with_account. */
static struct sspi_token *
make_token(bool with_account, uint64_t logon_id)
{
    struct sspi_token_parts parts = {
        .user = &user_sid,
        .primary_group = &primary_sid,
        .groups = &groups,
        .account = with_account ? "alice" : NULL,
        .uid = 1000,
        .gid = 100,
        .gid_count = 3,
        .gids = gids,
        .logon_id = logon_id,
    };
    struct sspi_token *token = NULL;

    logon_setup();
    CU_ASSERT_EQUAL_FATAL(sspi_token_new(&parts, &token), SEC_E_OK);
    return token;
}

/* A registered token: a live handle the Windows functions take. */
static HANDLE
token_handle(bool with_account)
{
    struct sspi_token *token = make_token(with_account, 0);

    CU_ASSERT_EQUAL_FATAL(sspi_token_register(token), SEC_E_OK);
    return token;
}

SECURITY_STATUS
sspi_thread_token(struct sspi_token **out)
{
    if (thread_token_status != SEC_E_OK)
        return thread_token_status;
    *out = make_token(true, 0);
    return SEC_E_OK;
}

static bool
formats_as(const void *sid, const char *expected)
{
    char text[SSPI_SID_STRING_MAX];

    sspi_sid_format(sid, text);
    return strcmp(text, expected) == 0;
}

static bool
is_member(HANDLE token, const char *sid_text)
{
    sspi_sid sid = sid_of(sid_text);
    BOOL member = -1;

    CU_ASSERT_TRUE(CheckTokenMembership(token, &sid, &member));
    CU_ASSERT(member == TRUE || member == FALSE);
    return member == TRUE;
}

static void
test_locally_unique_ids_are_fresh_and_above_windows_own(void)
{
    uint64_t a = sspi_token_new_luid(), b = sspi_token_new_luid();

    CU_ASSERT(a > 0x3e7);
    CU_ASSERT_NOT_EQUAL(a, b);
}

static void
test_a_token_lists_user_primary_group_then_the_groups(void)
{
    struct sspi_token *token = make_token(true, 0x123456789ULL);
    ULONG i;

    CU_ASSERT_EQUAL_FATAL(token->sid_count, 2 + groups.count);
    CU_ASSERT_TRUE(formats_as(&token->sids[0].sid, USER));
    CU_ASSERT_EQUAL(token->sids[0].attributes, 0);
    CU_ASSERT_TRUE(formats_as(&token->sids[1].sid, DOMAIN_USERS));
    for (i = 0; i < groups.count; i++) {
        CU_ASSERT_TRUE(sspi_sid_equal(&token->sids[2 + i].sid, &groups.items[i].sid));
        CU_ASSERT_EQUAL(token->sids[2 + i].attributes, groups.items[i].attributes);
    }
    CU_ASSERT_TRUE(token->has_account);
    CU_ASSERT_EQUAL(token->uid, 1000);
    CU_ASSERT_EQUAL(token->group_count, 3);
    CU_ASSERT_EQUAL(memcmp(token->groups, gids, sizeof(gids)), 0);
    CU_ASSERT_STRING_EQUAL(token->user, "alice");
    /* The logon id given is kept; the token's own id is fresh. */
    CU_ASSERT_EQUAL(token->logon_id.LowPart, 0x23456789u);
    CU_ASSERT_EQUAL(token->logon_id.HighPart, 1);
    CU_ASSERT_NOT_EQUAL(token->token_id.LowPart, 0x23456789u);
    FreeContextBuffer(token);
}

static void
test_a_token_without_an_account_has_no_ids_and_its_own_logon_id(void)
{
    struct sspi_token *token = make_token(false, 0);

    CU_ASSERT_FALSE(token->has_account);
    CU_ASSERT_EQUAL(token->uid, (uid_t)-1);
    CU_ASSERT_EQUAL(token->gid, (gid_t)-1);
    CU_ASSERT_EQUAL(token->group_count, 0);
    CU_ASSERT_STRING_EQUAL(token->user, "");
    CU_ASSERT(token->logon_id.LowPart != 0 || token->logon_id.HighPart != 0);
    CU_ASSERT(memcmp(&token->logon_id, &token->token_id, sizeof(LUID)) != 0);
    FreeContextBuffer(token);
}

static void
test_only_a_registered_token_is_a_handle(void)
{
    struct sspi_token *token = make_token(true, 0);
    DWORD len = 0;

    SetLastError(ERROR_SUCCESS);
    CU_ASSERT_FALSE(GetTokenInformation(token, TokenType, NULL, 0, &len));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT_EQUAL_FATAL(sspi_token_register(token), SEC_E_OK);
    CU_ASSERT_FALSE(GetTokenInformation(token, TokenType, NULL, 0, &len));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_TRUE(CloseHandle(token));
}

static void
test_a_closed_token_is_no_handle(void)
{
    HANDLE token = token_handle(true);
    int not_a_token = 0;
    DWORD len = 0;

    CU_ASSERT_TRUE(CloseHandle(token));
    /* Only the pointer is looked up: a closed token is never read. */
    CU_ASSERT_FALSE(CloseHandle(token));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT_FALSE(GetTokenInformation(token, TokenType, NULL, 0, &len));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT_FALSE(CloseHandle(&not_a_token));
    CU_ASSERT_FALSE(CloseHandle(NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
}

static void
test_a_token_freed_as_a_context_buffer_is_no_handle(void)
{
    HANDLE token = token_handle(false);
    ULONG count = 0;
    char **sids = NULL;

    FreeContextBuffer(token);
    CU_ASSERT_EQUAL(SspiGetTokenSids(token, &count, &sids), SEC_E_INVALID_HANDLE);
    CU_ASSERT_FALSE(CloseHandle(token));
}

static void
test_token_user_owner_and_primary_group_come_with_their_sids(void)
{
    HANDLE token = token_handle(true);
    union {
        TOKEN_USER user;
        TOKEN_OWNER owner;
        TOKEN_PRIMARY_GROUP group;
        BYTE bytes[256];
    } out;
    DWORD len = 0;

    CU_ASSERT_TRUE_FATAL(GetTokenInformation(token, TokenUser, &out, sizeof(out), &len));
    CU_ASSERT_EQUAL(len, sizeof(TOKEN_USER) + 28);
    CU_ASSERT_PTR_EQUAL(out.user.User.Sid, out.bytes + sizeof(TOKEN_USER));
    CU_ASSERT_TRUE(formats_as(out.user.User.Sid, USER));
    CU_ASSERT_EQUAL(out.user.User.Attributes, 0);
    CU_ASSERT_TRUE_FATAL(GetTokenInformation(token, TokenOwner, &out, sizeof(out), &len));
    CU_ASSERT_TRUE(formats_as(out.owner.Owner, USER));
    CU_ASSERT_TRUE_FATAL(GetTokenInformation(token, TokenPrimaryGroup, &out, sizeof(out), &len));
    CU_ASSERT_EQUAL(len, sizeof(TOKEN_PRIMARY_GROUP) + 28);
    CU_ASSERT_TRUE(formats_as(out.group.PrimaryGroup, DOMAIN_USERS));
    CloseHandle(token);
}

static void
test_token_groups_lists_each_group_with_its_attributes(void)
{
    HANDLE token = token_handle(true);
    union {
        TOKEN_GROUPS groups;
        BYTE bytes[512];
    } out;
    /* Groups[ANYSIZE_ARRAY] is declared with one element: read it through a pointer, as
     * Windows code does, or UBSan's bounds check reports the object's declared size. */
    SID_AND_ATTRIBUTES *entries = out.groups.Groups;
    DWORD len = 0, i;

    CU_ASSERT_TRUE_FATAL(GetTokenInformation(token, TokenGroups, &out, sizeof(out), &len));
    CU_ASSERT_EQUAL(len, offsetof(TOKEN_GROUPS, Groups) + 4 * sizeof(SID_AND_ATTRIBUTES) + 4 * 28);
    CU_ASSERT_EQUAL_FATAL(out.groups.GroupCount, 4);
    for (i = 0; i < 4; i++) {
        BYTE *sid = entries[i].Sid;

        CU_ASSERT_TRUE(sspi_sid_equal(sid, &groups.items[i].sid));
        CU_ASSERT_EQUAL(entries[i].Attributes, groups.items[i].attributes);
        /* The SIDs lie after the array, in the caller's buffer. */
        CU_ASSERT(sid >= (BYTE *)(entries + 4) && sid + 28 <= out.bytes + len);
    }
    CloseHandle(token);
}

static void
test_an_empty_group_list_is_sized_as_the_whole_struct(void)
{
    struct sspi_token_parts parts = {0};
    struct sspi_sid_list none = {0};
    struct sspi_token *token = NULL;
    TOKEN_GROUPS out;
    DWORD len = 0;

    logon_setup();
    parts.user = &user_sid;
    parts.primary_group = &primary_sid;
    parts.groups = &none;
    CU_ASSERT_EQUAL_FATAL(sspi_token_new(&parts, &token), SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(sspi_token_register(token), SEC_E_OK);
    CU_ASSERT_TRUE(GetTokenInformation(token, TokenGroups, &out, sizeof(out), &len));
    CU_ASSERT_EQUAL(len, sizeof(TOKEN_GROUPS));
    CU_ASSERT_EQUAL(out.GroupCount, 0);
    CloseHandle(token);
}

static void
test_token_statistics_name_an_impersonation_token_that_never_expires(void)
{
    struct sspi_token *token = token_handle(true);
    TOKEN_STATISTICS stats;
    TOKEN_TYPE type = TokenPrimary;
    SECURITY_IMPERSONATION_LEVEL level = SecurityAnonymous;
    DWORD len = 0;

    CU_ASSERT_TRUE_FATAL(GetTokenInformation(token, TokenStatistics, &stats, sizeof(stats), &len));
    CU_ASSERT_EQUAL(len, sizeof(stats));
    CU_ASSERT_EQUAL(memcmp(&stats.TokenId, &token->token_id, sizeof(LUID)), 0);
    CU_ASSERT_EQUAL(memcmp(&stats.AuthenticationId, &token->logon_id, sizeof(LUID)), 0);
    CU_ASSERT_EQUAL(stats.ExpirationTime.QuadPart, INT64_MAX);
    CU_ASSERT_EQUAL(stats.TokenType, TokenImpersonation);
    CU_ASSERT_EQUAL(stats.ImpersonationLevel, SecurityImpersonation);
    CU_ASSERT_EQUAL(stats.GroupCount, 4);
    CU_ASSERT_EQUAL(stats.PrivilegeCount, 0);
    CU_ASSERT_TRUE(GetTokenInformation(token, TokenType, &type, sizeof(type), &len));
    CU_ASSERT_EQUAL(type, TokenImpersonation);
    CU_ASSERT_TRUE(
        GetTokenInformation(token, TokenImpersonationLevel, &level, sizeof(level), &len));
    CU_ASSERT_EQUAL(level, SecurityImpersonation);
    CloseHandle(token);
}

static void
test_a_buffer_too_small_is_told_the_size_and_left_alone(void)
{
    HANDLE token = token_handle(true);
    BYTE out[sizeof(TOKEN_USER) + 28];
    DWORD len = 0;

    memset(out, 0xee, sizeof(out));
    CU_ASSERT_FALSE(GetTokenInformation(token, TokenUser, NULL, 0, &len));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(len, sizeof(out));
    len = 0;
    CU_ASSERT_FALSE(GetTokenInformation(token, TokenUser, out, sizeof(out) - 1, &len));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(len, sizeof(out));
    CU_ASSERT_EQUAL(out[0], 0xee);
    /* A class this library does not answer, and no place for the length. */
    CU_ASSERT_FALSE(GetTokenInformation(token, TokenPrivileges, out, sizeof(out), &len));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_FALSE(GetTokenInformation(token, TokenUser, out, sizeof(out), NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CloseHandle(token);
}

static void
test_membership_counts_the_user_and_enabled_groups_not_for_deny_only(void)
{
    HANDLE token = token_handle(true);

    CU_ASSERT_TRUE(is_member(token, USER));
    CU_ASSERT_TRUE(is_member(token, DOMAIN_USERS));
    CU_ASSERT_TRUE(is_member(token, ENABLED_GROUP));
    CU_ASSERT_FALSE(is_member(token, DISABLED_GROUP));
    CU_ASSERT_FALSE(is_member(token, DENY_ONLY_GROUP));
    CU_ASSERT_FALSE(is_member(token, "S-1-5-32-544"));
    CloseHandle(token);
}

static void
test_membership_needs_a_valid_sid_a_result_and_a_live_token(void)
{
    HANDLE token = token_handle(true);
    sspi_sid bad = sid_of(USER);
    BOOL member = FALSE;

    bad.sid.Revision = 2;
    CU_ASSERT_FALSE(CheckTokenMembership(token, &bad, &member));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    CU_ASSERT_FALSE(CheckTokenMembership(token, NULL, &member));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_FALSE(CheckTokenMembership(token, &user_sid, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CloseHandle(token);
    CU_ASSERT_FALSE(CheckTokenMembership(token, &user_sid, &member));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
}

static void
test_membership_without_a_token_checks_the_thread_s_own(void)
{
    BOOL member = FALSE;

    thread_token_status = SEC_E_OK;
    CU_ASSERT_TRUE(is_member(NULL, ENABLED_GROUP));
    CU_ASSERT_FALSE(is_member(NULL, DISABLED_GROUP));
    thread_token_status = SEC_E_INSUFFICIENT_MEMORY;
    CU_ASSERT_FALSE(CheckTokenMembership(NULL, &user_sid, &member));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
    thread_token_status = SEC_E_NO_IMPERSONATION;
    CU_ASSERT_FALSE(CheckTokenMembership(NULL, &user_sid, &member));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_TOKEN);
    thread_token_status = SEC_E_OK;
}

static void
test_the_unix_identity_is_handed_out_piece_by_piece(void)
{
    HANDLE token = token_handle(true);
    uid_t uid = 0;
    gid_t gid = 0, *list = NULL;
    ULONG count = 0;
    char *name = NULL;

    CU_ASSERT_EQUAL_FATAL(SspiGetTokenUnixIdentity(token, &uid, &gid, &count, &list, &name),
                          SEC_E_OK);
    CU_ASSERT_EQUAL(uid, 1000);
    CU_ASSERT_EQUAL(gid, 100);
    CU_ASSERT_EQUAL_FATAL(count, 3);
    CU_ASSERT_EQUAL(memcmp(list, gids, sizeof(gids)), 0);
    CU_ASSERT_STRING_EQUAL(name, "alice");
    FreeContextBuffer(list);
    FreeContextBuffer(name);
    /* Each output is optional. */
    uid = 0;
    CU_ASSERT_EQUAL(SspiGetTokenUnixIdentity(token, &uid, NULL, NULL, NULL, NULL), SEC_E_OK);
    CU_ASSERT_EQUAL(uid, 1000);
    CloseHandle(token);
    CU_ASSERT_EQUAL(SspiGetTokenUnixIdentity(token, &uid, NULL, NULL, NULL, NULL),
                    SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(SspiGetTokenUnixIdentity(NULL, &uid, NULL, NULL, NULL, NULL),
                    SEC_E_INVALID_HANDLE);
}

static void
test_a_token_without_an_account_has_no_unix_identity(void)
{
    HANDLE token = token_handle(false);
    uid_t uid = 4242;
    gid_t *list = NULL;
    char *name = NULL;

    CU_ASSERT_EQUAL(SspiGetTokenUnixIdentity(token, &uid, NULL, NULL, &list, &name),
                    SEC_E_NO_IMPERSONATION);
    CU_ASSERT_EQUAL(uid, 4242);
    CU_ASSERT_PTR_NULL(list);
    CU_ASSERT_PTR_NULL(name);
    CloseHandle(token);
}

static void
test_the_sids_come_user_first_and_the_primary_group_once(void)
{
    HANDLE token = token_handle(false);
    ULONG count = 0;
    char **sids = NULL;

    CU_ASSERT_EQUAL_FATAL(SspiGetTokenSids(token, &count, &sids), SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(count, 5);
    CU_ASSERT_STRING_EQUAL(sids[0], USER);
    CU_ASSERT_STRING_EQUAL(sids[1], DOMAIN_USERS);
    CU_ASSERT_STRING_EQUAL(sids[2], ENABLED_GROUP);
    CU_ASSERT_STRING_EQUAL(sids[3], DISABLED_GROUP);
    CU_ASSERT_STRING_EQUAL(sids[4], DENY_ONLY_GROUP);
    CU_ASSERT_PTR_NULL(sids[5]);
    FreeContextBuffer(sids);
    CU_ASSERT_EQUAL(SspiGetTokenSids(token, NULL, &sids), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(SspiGetTokenSids(token, &count, NULL), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(SspiGetTokenSids(NULL, &count, NULL), SEC_E_INVALID_HANDLE);
    CloseHandle(token);
    CU_ASSERT_EQUAL(SspiGetTokenSids(token, &count, &sids), SEC_E_INVALID_HANDLE);
}

static CU_TestInfo tests[] = {
    {"locally unique ids are fresh and above Windows' own",
     test_locally_unique_ids_are_fresh_and_above_windows_own},
    {"a token lists user, primary group, then the groups",
     test_a_token_lists_user_primary_group_then_the_groups},
    {"a token without an account has no ids and its own logon id",
     test_a_token_without_an_account_has_no_ids_and_its_own_logon_id},
    {"only a registered token is a handle", test_only_a_registered_token_is_a_handle},
    {"a closed token is no handle", test_a_closed_token_is_no_handle},
    {"a token freed as a context buffer is no handle",
     test_a_token_freed_as_a_context_buffer_is_no_handle},
    {"TokenUser, TokenOwner and TokenPrimaryGroup come with their SIDs",
     test_token_user_owner_and_primary_group_come_with_their_sids},
    {"TokenGroups lists each group with its attributes",
     test_token_groups_lists_each_group_with_its_attributes},
    {"an empty group list is sized as the whole struct",
     test_an_empty_group_list_is_sized_as_the_whole_struct},
    {"TokenStatistics name an impersonation token that never expires",
     test_token_statistics_name_an_impersonation_token_that_never_expires},
    {"a buffer too small is told the size and left alone",
     test_a_buffer_too_small_is_told_the_size_and_left_alone},
    {"membership counts the user and enabled groups, not for deny only",
     test_membership_counts_the_user_and_enabled_groups_not_for_deny_only},
    {"membership needs a valid SID, a result and a live token",
     test_membership_needs_a_valid_sid_a_result_and_a_live_token},
    {"membership without a token checks the thread's own",
     test_membership_without_a_token_checks_the_thread_s_own},
    {"the unix identity is handed out piece by piece",
     test_the_unix_identity_is_handed_out_piece_by_piece},
    {"a token without an account has no unix identity",
     test_a_token_without_an_account_has_no_unix_identity},
    {"the SIDs come user first and the primary group once",
     test_the_sids_come_user_first_and_the_primary_group_once},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    int status = test_run_suite("sspi_token", tests);

    sspi_sid_list_free(&groups);
    return status;
}
