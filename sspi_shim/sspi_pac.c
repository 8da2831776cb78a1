/*
 * The PAC's KERB_VALIDATION_INFO (MS-PAC 2.5), read through the project's one bounds-checked
 * reader with the few NDR rules (MS-RPCE 2.2.6 type serialization, [C706] chapter 14) it needs:
 * 4-byte alignment, unique pointers whose referents follow the structure in the order the
 * pointers appear, conformant arrays whose max_count must equal the count field, and
 * conformant-varying strings that are skipped. Every count is checked against a limit and the
 * bytes that remain before anything is allocated for it.
 */
#include "sspi_pac.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ntlm_reader.h"

#define NDR_VERSION 1
#define NDR_LITTLE_ENDIAN 0x10
#define NDR_COMMON_HEADER_LENGTH 8
/* A pointer's referent id; 0 is the NULL pointer. */
#define NDR_NULL 0
/* GROUP_MEMBERSHIP and KERB_SID_AND_ATTRIBUTES are two 32-bit fields each on the wire. */
#define NDR_PAIR_SIZE 8
/* RPC_SID before its sub-authorities: Revision, SubAuthorityCount, IdentifierAuthority[6]. */
#define NDR_SID_HEADER_SIZE 8

/* An RPC_UNICODE_STRING in the fixed part: its byte lengths and whether its buffer follows. */
struct ndr_string {
    uint16_t length, maximum_length;
    uint32_t pointer;
};

/* The fields of KERB_VALIDATION_INFO a token needs, and the pointers that order the rest. */
struct validation_info {
    struct ndr_string names[6]; /* EffectiveName ... HomeDirectoryDrive */
    uint32_t user_id, primary_group_id, group_count, group_ids;
    uint32_t user_flags;
    struct ndr_string logon_server, logon_domain_name;
    uint32_t logon_domain_id;
    uint32_t sid_count, extra_sids, resource_group_domain_sid, resource_group_count,
        resource_group_ids;
};

static void
ndr_align4(struct ntlm_reader *r)
{
    ntlm_read_bytes(r, (4 - r->pos % 4) % 4);
}

static void
read_string_header(struct ntlm_reader *r, struct ndr_string *s)
{
    s->length = ntlm_read_le16(r);
    s->maximum_length = ntlm_read_le16(r);
    s->pointer = ntlm_read_le32(r);
}

/*
 * The fixed part of KERB_VALIDATION_INFO (MS-PAC 2.5), 216 bytes, 4-byte aligned:
 *
 * | offset | field                                                  | size |
 * | ------ | ------------------------------------------------------ | ---- |
 * | 0      | LogonTime .. PasswordMustChange (6 FILETIME)           | 48   |
 * | 48     | EffectiveName .. HomeDirectoryDrive (6 RPC_UNICODE_STRING) | 48   |
 * | 96     | LogonCount, BadPasswordCount                           | 2+2  |
 * | 100    | UserId                                                 | 4    |
 * | 104    | PrimaryGroupId                                         | 4    |
 * | 108    | GroupCount                                             | 4    |
 * | 112    | GroupIds (pointer to GROUP_MEMBERSHIP[GroupCount])     | 4    |
 * | 116    | UserFlags                                              | 4    |
 * | 120    | UserSessionKey                                         | 16   |
 * | 136    | LogonServer, LogonDomainName (RPC_UNICODE_STRING)      | 8+8  |
 * | 152    | LogonDomainId (pointer to RPC_SID)                     | 4    |
 * | 156    | Reserved1[2], UserAccountControl, SubAuthStatus        | 16   |
 * | 172    | LastSuccessfulILogon, LastFailedILogon (FILETIME)      | 16   |
 * | 188    | FailedILogonCount, Reserved3                           | 8    |
 * | 196    | SidCount                                               | 4    |
 * | 200    | ExtraSids (pointer to KERB_SID_AND_ATTRIBUTES[SidCount]) | 4  |
 * | 204    | ResourceGroupDomainSid (pointer to RPC_SID)            | 4    |
 * | 208    | ResourceGroupCount                                     | 4    |
 * | 212    | ResourceGroupIds (pointer to GROUP_MEMBERSHIP[ResourceGroupCount]) | 4 |
 *
 * An RPC_UNICODE_STRING is Length, MaximumLength (16 bits each, in bytes) and a pointer.
 */
static void
read_fixed_part(struct ntlm_reader *r, struct validation_info *v)
{
    size_t i;

    ntlm_read_bytes(r, 48);
    for (i = 0; i < 6; i++)
        read_string_header(r, &v->names[i]);
    ntlm_read_bytes(r, 4);
    v->user_id = ntlm_read_le32(r);
    v->primary_group_id = ntlm_read_le32(r);
    v->group_count = ntlm_read_le32(r);
    v->group_ids = ntlm_read_le32(r);
    v->user_flags = ntlm_read_le32(r);
    ntlm_read_bytes(r, 16);
    read_string_header(r, &v->logon_server);
    read_string_header(r, &v->logon_domain_name);
    v->logon_domain_id = ntlm_read_le32(r);
    ntlm_read_bytes(r, 16 + 16 + 8);
    v->sid_count = ntlm_read_le32(r);
    v->extra_sids = ntlm_read_le32(r);
    v->resource_group_domain_sid = ntlm_read_le32(r);
    v->resource_group_count = ntlm_read_le32(r);
    v->resource_group_ids = ntlm_read_le32(r);
}

/*
 * A conformant-varying WCHAR string's referent, skipped: max_count, offset (0), actual_count,
 * then actual_count UTF-16 units. The counts must agree with the byte lengths in the fixed part.
 */
static bool
skip_string(struct ntlm_reader *r, const struct ndr_string *s)
{
    uint32_t max_count, offset, actual_count;

    if (s->pointer == NDR_NULL)
        return s->length == 0;
    ndr_align4(r);
    max_count = ntlm_read_le32(r);
    offset = ntlm_read_le32(r);
    actual_count = ntlm_read_le32(r);
    if (r->err || offset != 0 || actual_count > max_count || s->length % 2 != 0 ||
        actual_count != s->length / 2u || s->length > s->maximum_length)
        return false;
    ntlm_read_bytes(r, (size_t)actual_count * 2);
    return !r->err;
}

/*
 * An RPC_SID referent: max_count (the conformance of SubAuthority, which must equal
 * SubAuthorityCount), Revision, SubAuthorityCount, IdentifierAuthority[6] (big-endian),
 * SubAuthority[SubAuthorityCount] (32-bit little-endian each).
 */
static bool
read_sid(struct ntlm_reader *r, sspi_sid *out)
{
    uint32_t max_count, subs[SID_MAX_SUB_AUTHORITIES];
    uint64_t authority = 0;
    const uint8_t *auth;
    uint8_t revision, count;
    size_t i;

    ndr_align4(r);
    max_count = ntlm_read_le32(r);
    revision = ntlm_read_u8(r);
    count = ntlm_read_u8(r);
    auth = ntlm_read_bytes(r, 6);
    if (r->err || revision != SID_REVISION || count > SID_MAX_SUB_AUTHORITIES || max_count != count)
        return false;
    for (i = 0; i < 6; i++)
        authority = authority << 8 | auth[i];
    for (i = 0; i < count; i++)
        subs[i] = ntlm_read_le32(r);
    return !r->err && sspi_sid_make(out, authority, count, subs);
}

/*
 * A conformant array's max_count, which must equal the structure's count, with room left for
 * count elements of elem_size bytes: checked before anything is built from them.
 */
static bool
read_array_header(struct ntlm_reader *r, uint32_t count, size_t elem_size)
{
    uint32_t max_count;

    ndr_align4(r);
    max_count = ntlm_read_le32(r);
    return !r->err && max_count == count && count <= SSPI_TOKEN_MAX_SIDS &&
           (size_t)count <= ntlm_reader_remaining(r) / elem_size;
}

/*
 * GROUP_MEMBERSHIP[count] (RelativeId, Attributes) under domain. A NULL pointer is an empty
 * list only when the count says so.
 */
static SECURITY_STATUS
read_groups(struct ntlm_reader *r, uint32_t pointer, uint32_t count, const sspi_sid *domain,
            DWORD extra_attributes, struct sspi_sid_list *out)
{
    SECURITY_STATUS status;
    uint32_t i, rid, attributes;
    sspi_sid sid;

    if (pointer == NDR_NULL)
        return count == 0 ? SEC_E_OK : SEC_E_INVALID_TOKEN;
    if (!read_array_header(r, count, NDR_PAIR_SIZE))
        return SEC_E_INVALID_TOKEN;
    for (i = 0; i < count; i++) {
        rid = ntlm_read_le32(r);
        attributes = ntlm_read_le32(r);
        if (r->err || domain == NULL || !sspi_sid_append_rid(&sid, domain, rid))
            return SEC_E_INVALID_TOKEN;
        status = sspi_sid_list_add(out, &sid, attributes | extra_attributes);
        if (status != SEC_E_OK)
            return status;
    }
    return SEC_E_OK;
}

/*
 * KERB_SID_AND_ATTRIBUTES[count] (a pointer to an RPC_SID, Attributes): the array first, then
 * the SIDs its pointers refer to, in array order. Every entry must have its SID.
 */
static SECURITY_STATUS
read_extra_sids(struct ntlm_reader *r, uint32_t pointer, uint32_t count, struct sspi_sid_list *out)
{
    struct ntlm_reader entries;
    SECURITY_STATUS status;
    uint32_t i, sid_pointer, attributes;
    sspi_sid sid;

    if (pointer == NDR_NULL)
        return count == 0 ? SEC_E_OK : SEC_E_INVALID_TOKEN;
    if (!read_array_header(r, count, NDR_PAIR_SIZE))
        return SEC_E_INVALID_TOKEN;
    /* A second cursor walks the entries while the first reads the deferred SIDs after them. */
    entries = *r;
    ntlm_read_bytes(r, (size_t)count * NDR_PAIR_SIZE);
    for (i = 0; i < count; i++) {
        sid_pointer = ntlm_read_le32(&entries);
        attributes = ntlm_read_le32(&entries);
        if (entries.err || sid_pointer == NDR_NULL || !read_sid(r, &sid))
            return SEC_E_INVALID_TOKEN;
        status = sspi_sid_list_add(out, &sid, attributes);
        if (status != SEC_E_OK)
            return status;
    }
    return SEC_E_OK;
}

/* The deferred referents, in the order of their pointers in the fixed part. */
static SECURITY_STATUS
read_referents(struct ntlm_reader *r, const struct validation_info *v, struct sspi_logon_sids *out)
{
    SECURITY_STATUS status;
    struct ntlm_reader group_ids;
    sspi_sid domain, resource_domain;
    size_t i;

    for (i = 0; i < 6; i++) {
        if (!skip_string(r, &v->names[i]))
            return SEC_E_INVALID_TOKEN;
    }
    /*
     * GroupIds come before LogonDomainId, the SID they are relative to: remember where they
     * are, check their size now and read them once the domain is known.
     */
    group_ids = *r;
    if (v->group_ids != NDR_NULL) {
        if (!read_array_header(r, v->group_count, NDR_PAIR_SIZE))
            return SEC_E_INVALID_TOKEN;
        ntlm_read_bytes(r, (size_t)v->group_count * NDR_PAIR_SIZE);
    } else if (v->group_count != 0) {
        return SEC_E_INVALID_TOKEN;
    }
    if (!skip_string(r, &v->logon_server) || !skip_string(r, &v->logon_domain_name))
        return SEC_E_INVALID_TOKEN;
    /* Without the domain there is no user SID: such a PAC names nobody. */
    if (v->logon_domain_id == NDR_NULL || !read_sid(r, &domain) ||
        !sspi_sid_append_rid(&out->user, &domain, v->user_id) ||
        !sspi_sid_append_rid(&out->primary_group, &domain, v->primary_group_id))
        return SEC_E_INVALID_TOKEN;
    status = read_groups(&group_ids, v->group_ids, v->group_count, &domain, 0, &out->groups);
    if (status != SEC_E_OK)
        return status;
    if (!sspi_sid_list_has(&out->groups, &out->primary_group)) {
        status =
            sspi_sid_list_add(&out->groups, &out->primary_group, SSPI_GROUP_DEFAULT_ATTRIBUTES);
        if (status != SEC_E_OK)
            return status;
    }
    status = read_extra_sids(r, v->extra_sids, v->sid_count, &out->groups);
    if (status != SEC_E_OK)
        return status;
    if (v->resource_group_domain_sid != NDR_NULL && !read_sid(r, &resource_domain))
        return SEC_E_INVALID_TOKEN;
    /* Resource groups are SE_GROUP_RESOURCE in a Windows token. */
    return read_groups(r, v->resource_group_ids, v->resource_group_count,
                       v->resource_group_domain_sid != NDR_NULL ? &resource_domain : NULL,
                       SE_GROUP_RESOURCE, &out->groups);
}

/*
 * PAC_LOGON_INFO: NDR type serialization version 1 (MS-RPCE 2.2.6) of a unique pointer to
 * KERB_VALIDATION_INFO:
 *
 * | offset | field                                                   | size |
 * | ------ | ------------------------------------------------------- | ---- |
 * | 0      | Version (1)                                             | 1    |
 * | 1      | Endianness (0x10: little-endian)                        | 1    |
 * | 2      | CommonHeaderLength (8)                                  | 2    |
 * | 4      | Filler                                                  | 4    |
 * | 8      | ObjectBufferLength (the bytes from offset 16 on)        | 4    |
 * | 12     | Filler                                                  | 4    |
 * | 16     | referent id of the KERB_VALIDATION_INFO pointer (not 0) | 4    |
 * | 20     | KERB_VALIDATION_INFO's fixed part (read_fixed_part)     | 216  |
 * | 236    | the referents of its pointers (read_referents)          | ...  |
 */
SECURITY_STATUS
sspi_pac_logon_info(const void *data, size_t len, struct sspi_logon_sids *out)
{
    struct sspi_logon_sids sids;
    struct validation_info v;
    struct ntlm_reader r;
    uint8_t version, endianness;
    uint16_t header_length;
    uint32_t object_length, top;
    SECURITY_STATUS status = SEC_E_INVALID_TOKEN;

    memset(&sids, 0, sizeof(sids));
    memset(&v, 0, sizeof(v));
    ntlm_reader_init(&r, data, len);
    version = ntlm_read_u8(&r);
    endianness = ntlm_read_u8(&r);
    header_length = ntlm_read_le16(&r);
    ntlm_read_bytes(&r, 4);
    object_length = ntlm_read_le32(&r);
    ntlm_read_bytes(&r, 4);
    if (r.err || version != NDR_VERSION || endianness != NDR_LITTLE_ENDIAN ||
        header_length != NDR_COMMON_HEADER_LENGTH || object_length > ntlm_reader_remaining(&r))
        goto done;
    /* The object ends where its header says: nothing after it is read. */
    ntlm_reader_init(&r, data, r.pos + object_length);
    ntlm_read_bytes(&r, 16);
    top = ntlm_read_le32(&r);
    read_fixed_part(&r, &v);
    if (r.err || top == NDR_NULL)
        goto done;
    status = read_referents(&r, &v, &sids);
    if (status == SEC_E_OK && r.err)
        status = SEC_E_INVALID_TOKEN;
done:
    if (status != SEC_E_OK) {
        sspi_sid_list_free(&sids.groups);
        return status;
    }
    *out = sids;
    return SEC_E_OK;
}
