/*
 * SIDs: validity, comparison, the text form, and the Windows SID functions over them
 * (IsValidSid, EqualSid, GetLengthSid, CopySid, AllocateAndInitializeSid,
 * ConvertSidToStringSid, ConvertStringSidToSid) with LocalFree for what they allocate.
 */
#include "sspi_sid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sspi_buffers.h"
#include "sspi_strings.h"

/* Revision, SubAuthorityCount and the 6-byte authority come before the sub-authorities. */
#define SID_HEADER_SIZE 8
#define AUTHORITY_MAX ((uint64_t)1 << 48)
/* Samba's and winbind's authority and RIDs for unix accounts without a domain SID. */
#define UNIX_AUTHORITY 22
#define UNIX_USERS_RID 1
#define UNIX_GROUPS_RID 2

/*
 * Sub-authority i of a SID, which may lie past SID's one-element SubAuthority array: addressed
 * by its offset, never by indexing that array beyond its declared size.
 */
static DWORD *
sub_authority(void *sid, size_t i)
{
    return (DWORD *)((BYTE *)sid + SID_HEADER_SIZE + i * sizeof(DWORD));
}

uint32_t
sspi_sid_sub_authority(const void *sid, size_t i)
{
    DWORD v;

    memcpy(&v, (const BYTE *)sid + SID_HEADER_SIZE + i * sizeof(DWORD), sizeof(v));
    return v;
}

bool
sspi_sid_valid(const void *sid)
{
    const SID *s = sid;

    return s != NULL && s->Revision == SID_REVISION &&
           s->SubAuthorityCount <= SID_MAX_SUB_AUTHORITIES;
}

size_t
sspi_sid_length(const void *sid)
{
    return SID_HEADER_SIZE + (size_t)((const SID *)sid)->SubAuthorityCount * sizeof(DWORD);
}

bool
sspi_sid_equal(const void *a, const void *b)
{
    size_t len = sspi_sid_length(a);

    return len == sspi_sid_length(b) && memcmp(a, b, len) == 0;
}

bool
sspi_sid_make(sspi_sid *out, uint64_t authority, size_t count, const uint32_t *subs)
{
    size_t i;

    if (count > SID_MAX_SUB_AUTHORITIES || authority >= AUTHORITY_MAX)
        return false;
    memset(out, 0, sizeof(*out));
    out->sid.Revision = SID_REVISION;
    out->sid.SubAuthorityCount = (BYTE)count;
    /* The authority is big-endian in every representation of a SID. */
    for (i = 0; i < 6; i++)
        out->sid.IdentifierAuthority.Value[i] = (BYTE)(authority >> (8 * (5 - i)));
    for (i = 0; i < count; i++)
        *sub_authority(out, i) = subs[i];
    return true;
}

bool
sspi_sid_append_rid(sspi_sid *out, const sspi_sid *domain, uint32_t rid)
{
    BYTE n = domain->sid.SubAuthorityCount;

    if (n >= SID_MAX_SUB_AUTHORITIES)
        return false;
    *out = *domain;
    *sub_authority(out, n) = rid;
    out->sid.SubAuthorityCount = (BYTE)(n + 1);
    return true;
}

static uint64_t
authority_of(const SID *s)
{
    uint64_t v = 0;
    size_t i;

    for (i = 0; i < 6; i++)
        v = v << 8 | s->IdentifierAuthority.Value[i];
    return v;
}

void
sspi_sid_format(const void *sid, char out[SSPI_SID_STRING_MAX])
{
    const SID *s = sid;
    uint64_t authority = authority_of(s);
    size_t len, i;

    /* Windows writes an authority of 2^32 or more in hexadecimal, 12 digits. */
    if (authority >> 32)
        len = (size_t)snprintf(out, SSPI_SID_STRING_MAX, "S-1-0x%012llX",
                               (unsigned long long)authority);
    else
        len = (size_t)snprintf(out, SSPI_SID_STRING_MAX, "S-1-%llu", (unsigned long long)authority);
    for (i = 0; i < s->SubAuthorityCount; i++)
        len += (size_t)snprintf(out + len, SSPI_SID_STRING_MAX - len, "-%lu",
                                (unsigned long)sspi_sid_sub_authority(s, i));
}

/* Decimal digits up to max; *end after them. False when none, or above max. */
static bool
parse_number(const char *p, const char **end, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    const char *start = p;

    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (uint64_t)(*p - '0');
        if (v > max)
            return false;
    }
    *end = p;
    *out = v;
    return p != start;
}

/* "0x" then 1 to 12 hex digits. */
static bool
parse_hex_authority(const char *p, const char **end, uint64_t *out)
{
    uint64_t v = 0;
    size_t n = 0;
    int d;

    for (; n < 13; p++, n++) {
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (*p >= 'a' && *p <= 'f')
            d = *p - 'a' + 10;
        else if (*p >= 'A' && *p <= 'F')
            d = *p - 'A' + 10;
        else
            break;
        v = v << 4 | (uint64_t)d;
    }
    *end = p;
    *out = v;
    return n >= 1 && n <= 12;
}

/* The SDDL abbreviations (MS-DTYP 2.4.2.4) of SIDs that are the same in every domain. */
static const struct {
    char alias[3];
    const char *sid;
} sddl_aliases[] = {
    {"WD", "S-1-1-0"},      {"CO", "S-1-3-0"},      {"CG", "S-1-3-1"},      {"NU", "S-1-5-2"},
    {"IU", "S-1-5-4"},      {"SU", "S-1-5-6"},      {"AN", "S-1-5-7"},      {"AU", "S-1-5-11"},
    {"SY", "S-1-5-18"},     {"LS", "S-1-5-19"},     {"NS", "S-1-5-20"},     {"BA", "S-1-5-32-544"},
    {"BU", "S-1-5-32-545"}, {"BG", "S-1-5-32-546"}, {"PU", "S-1-5-32-547"}, {"AO", "S-1-5-32-548"},
    {"SO", "S-1-5-32-549"}, {"PO", "S-1-5-32-550"}, {"BO", "S-1-5-32-551"}, {"RE", "S-1-5-32-552"},
    {"RU", "S-1-5-32-554"}, {"RD", "S-1-5-32-555"}, {"NO", "S-1-5-32-556"},
};

bool
sspi_sid_parse(const char *text, sspi_sid *out)
{
    uint32_t subs[SID_MAX_SUB_AUTHORITIES];
    uint64_t authority, v;
    size_t count = 0, i;
    const char *p;

    for (i = 0; i < sizeof(sddl_aliases) / sizeof(sddl_aliases[0]); i++) {
        if (strcmp(text, sddl_aliases[i].alias) == 0)
            return sspi_sid_parse(sddl_aliases[i].sid, out);
    }
    if ((text[0] != 'S' && text[0] != 's') || strncmp(text + 1, "-1-", 3) != 0)
        return false;
    p = text + 4;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        if (!parse_hex_authority(p + 2, &p, &authority))
            return false;
    } else if (!parse_number(p, &p, AUTHORITY_MAX - 1, &authority)) {
        return false;
    }
    while (*p == '-') {
        if (count == SID_MAX_SUB_AUTHORITIES || !parse_number(p + 1, &p, UINT32_MAX, &v))
            return false;
        subs[count++] = (uint32_t)v;
    }
    return *p == '\0' && sspi_sid_make(out, authority, count, subs);
}

/* ------------------------------------------------------------------------------------------ */
/* SID lists                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static struct sspi_token_sid *
list_find(const struct sspi_sid_list *list, const sspi_sid *sid)
{
    size_t i;

    for (i = 0; i < list->count; i++) {
        if (sspi_sid_equal(&list->items[i].sid, sid))
            return &list->items[i];
    }
    return NULL;
}

bool
sspi_sid_list_has(const struct sspi_sid_list *list, const sspi_sid *sid)
{
    return list_find(list, sid) != NULL;
}

SECURITY_STATUS
sspi_sid_list_add(struct sspi_sid_list *list, const sspi_sid *sid, DWORD attributes)
{
    struct sspi_token_sid *found = list_find(list, sid), *bigger;
    size_t cap;

    if (found != NULL) {
        found->attributes |= attributes;
        return SEC_E_OK;
    }
    if (list->count >= SSPI_TOKEN_MAX_SIDS)
        return SEC_E_INVALID_TOKEN;
    if (list->count == list->cap) {
        cap = list->cap == 0 ? 16 : list->cap * 2;
        bigger = realloc(list->items, cap * sizeof(*bigger));
        if (bigger == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        list->items = bigger;
        list->cap = cap;
    }
    list->items[list->count].attributes = attributes;
    list->items[list->count].sid = *sid;
    list->count++;
    return SEC_E_OK;
}

void
sspi_sid_list_free(struct sspi_sid_list *list)
{
    free(list->items);
    memset(list, 0, sizeof(*list));
}

SECURITY_STATUS
sspi_sid_list_add_network_groups(struct sspi_sid_list *list)
{
    static const uint32_t world = SECURITY_WORLD_RID, network = SECURITY_NETWORK_RID,
                          authenticated = SECURITY_AUTHENTICATED_USER_RID;
    sspi_sid sid;
    SECURITY_STATUS status;

    sspi_sid_make(&sid, 1, 1, &world);
    status = sspi_sid_list_add(list, &sid, SSPI_GROUP_DEFAULT_ATTRIBUTES);
    if (status != SEC_E_OK)
        return status;
    sspi_sid_make(&sid, 5, 1, &network);
    status = sspi_sid_list_add(list, &sid, SSPI_GROUP_DEFAULT_ATTRIBUTES);
    if (status != SEC_E_OK)
        return status;
    sspi_sid_make(&sid, 5, 1, &authenticated);
    return sspi_sid_list_add(list, &sid, SSPI_GROUP_DEFAULT_ATTRIBUTES);
}

void
sspi_sid_unix_user(sspi_sid *out, uid_t uid)
{
    const uint32_t subs[2] = {UNIX_USERS_RID, (uint32_t)uid};

    sspi_sid_make(out, UNIX_AUTHORITY, 2, subs);
}

void
sspi_sid_unix_group(sspi_sid *out, gid_t gid)
{
    const uint32_t subs[2] = {UNIX_GROUPS_RID, (uint32_t)gid};

    sspi_sid_make(out, UNIX_AUTHORITY, 2, subs);
}

/* ------------------------------------------------------------------------------------------ */
/* The Windows functions                                                                       */
/* ------------------------------------------------------------------------------------------ */

BOOL SEC_ENTRY
IsValidSid(PSID pSid)
{
    return sspi_sid_valid(pSid);
}

BOOL SEC_ENTRY
EqualSid(PSID pSid1, PSID pSid2)
{
    if (!sspi_sid_valid(pSid1) || !sspi_sid_valid(pSid2)) {
        SetLastError(ERROR_INVALID_SID);
        return FALSE;
    }
    SetLastError(ERROR_SUCCESS);
    return sspi_sid_equal(pSid1, pSid2);
}

DWORD SEC_ENTRY
GetLengthSid(PSID pSid)
{
    return sspi_sid_valid(pSid) ? (DWORD)sspi_sid_length(pSid) : 0;
}

BOOL SEC_ENTRY
CopySid(DWORD nDestinationSidLength, PSID pDestinationSid, PSID pSourceSid)
{
    size_t len;

    if (!sspi_sid_valid(pSourceSid)) {
        SetLastError(ERROR_INVALID_SID);
        return FALSE;
    }
    len = sspi_sid_length(pSourceSid);
    if (pDestinationSid == NULL || nDestinationSidLength < len) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    memmove(pDestinationSid, pSourceSid, len);
    return TRUE;
}

PSID_IDENTIFIER_AUTHORITY SEC_ENTRY
GetSidIdentifierAuthority(PSID pSid)
{
    return &((SID *)pSid)->IdentifierAuthority;
}

PUCHAR SEC_ENTRY
GetSidSubAuthorityCount(PSID pSid)
{
    return &((SID *)pSid)->SubAuthorityCount;
}

PDWORD SEC_ENTRY
GetSidSubAuthority(PSID pSid, DWORD nSubAuthority)
{
    return sub_authority(pSid, nSubAuthority);
}

BOOL SEC_ENTRY
AllocateAndInitializeSid(PSID_IDENTIFIER_AUTHORITY pIdentifierAuthority, BYTE nSubAuthorityCount,
                         DWORD nSubAuthority0, DWORD nSubAuthority1, DWORD nSubAuthority2,
                         DWORD nSubAuthority3, DWORD nSubAuthority4, DWORD nSubAuthority5,
                         DWORD nSubAuthority6, DWORD nSubAuthority7, PSID *pSid)
{
    const DWORD subs[8] = {nSubAuthority0, nSubAuthority1, nSubAuthority2, nSubAuthority3,
                           nSubAuthority4, nSubAuthority5, nSubAuthority6, nSubAuthority7};
    sspi_sid sid;
    SID *out;

    if (pIdentifierAuthority == NULL || pSid == NULL || nSubAuthorityCount > 8) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    sspi_sid_make(&sid, 0, nSubAuthorityCount, subs);
    sid.sid.IdentifierAuthority = *pIdentifierAuthority;
    out = malloc(sspi_sid_length(&sid));
    if (out == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    memcpy(out, &sid, sspi_sid_length(&sid));
    *pSid = out;
    return TRUE;
}

PVOID SEC_ENTRY
FreeSid(PSID pSid)
{
    free(pSid);
    return NULL;
}

/* A SID's text for the Convert functions; FALSE (and the last error) for a NULL or bad one. */
static BOOL
sid_text(PSID sid, const void *out, char text[SSPI_SID_STRING_MAX])
{
    if (sid == NULL || out == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (!sspi_sid_valid(sid)) {
        SetLastError(ERROR_INVALID_SID);
        return FALSE;
    }
    sspi_sid_format(sid, text);
    return TRUE;
}

BOOL SEC_ENTRY
ConvertSidToStringSidA(PSID Sid, LPSTR *StringSid)
{
    char text[SSPI_SID_STRING_MAX];
    char *out;

    if (!sid_text(Sid, StringSid, text))
        return FALSE;
    out = sspi_utf8_buffer_dup(text);
    if (out == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    *StringSid = out;
    return TRUE;
}

BOOL SEC_ENTRY
ConvertSidToStringSidW(PSID Sid, LPWSTR *StringSid)
{
    char text[SSPI_SID_STRING_MAX];
    WCHAR *out;
    size_t i, len;

    if (!sid_text(Sid, StringSid, text))
        return FALSE;
    len = strlen(text);
    out = sspi_context_buffer_alloc((len + 1) * sizeof(WCHAR));
    if (out == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    for (i = 0; i <= len; i++)
        out[i] = (WCHAR)(unsigned char)text[i];
    *StringSid = out;
    return TRUE;
}

/* A SID for the caller, freed with LocalFree. */
static BOOL
sid_from_text(const char *text, PSID *Sid)
{
    sspi_sid sid;
    void *out;

    if (!sspi_sid_parse(text, &sid)) {
        SetLastError(ERROR_INVALID_SID);
        return FALSE;
    }
    out = sspi_context_buffer_dup(&sid, sspi_sid_length(&sid));
    if (out == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    *Sid = out;
    return TRUE;
}

BOOL SEC_ENTRY
ConvertStringSidToSidA(LPCSTR StringSid, PSID *Sid)
{
    if (StringSid == NULL || Sid == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return sid_from_text(StringSid, Sid);
}

BOOL SEC_ENTRY
ConvertStringSidToSidW(LPCWSTR StringSid, PSID *Sid)
{
    char text[SSPI_SID_STRING_MAX];
    size_t i;

    if (StringSid == NULL || Sid == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    /* A SID string is ASCII: anything else, or a longer one, is no SID. */
    for (i = 0; StringSid[i] != 0; i++) {
        if (StringSid[i] > 0x7e || i + 1 == sizeof(text)) {
            SetLastError(ERROR_INVALID_SID);
            return FALSE;
        }
        text[i] = (char)StringSid[i];
    }
    text[i] = '\0';
    return sid_from_text(text, Sid);
}

/*
 * Everything libsspi hands out for LocalFree is a context buffer. Windows returns NULL on
 * success, and the handle when it fails; here freeing cannot fail.
 */
HLOCAL SEC_ENTRY
LocalFree(HLOCAL hMem)
{
    FreeContextBuffer(hMem);
    return NULL;
}
