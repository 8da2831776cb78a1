/*
 * sspi_pac.c: the PAC's KERB_VALIDATION_INFO decoder, on PAC_LOGON_INFO buffers built here
 * field by field (MS-PAC 2.5, NDR as MS-RPCE 2.2.6 serializes it): a valid one with every kind
 * of group, each byte of it cut off, counts too large for the bytes or the limit, max_counts
 * that disagree, and pointers whose referents are missing or impossible.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sspi_pac.h"
#include "sspi_sid.h"
#include "test_util.h"

#define DOMAIN_SID "S-1-5-21-1004336348-1177238915-682003330"
#define OTHER_DOMAIN_SID "S-1-5-21-111-222-333"
#define RESOURCE_DOMAIN_SID "S-1-5-21-444-555-666"
#define USER_RID 1105
#define MAX_PAC (64 * 1024)
/* Where the KERB_VALIDATION_INFO's fixed part starts, after the headers and the top pointer. */
#define FIXED_PART_OFFSET 20
#define FIXED_PART_SIZE 216

/* What a test changes in the PAC the builder writes; all zero is the valid PAC. */
struct pac_spec {
    bool top_null;
    uint8_t version, endianness; /* 0: 1 and 0x10 */
    uint32_t group_count;        /* 0: the three groups below */
    int32_t group_max_delta;     /* added to GroupIds' max_count */
    bool group_ids_null;
    bool domain_sid_null;
    uint8_t domain_sub_count; /* 0: the real count; else written as SubAuthorityCount */
    int32_t domain_max_delta;
    uint8_t sid_revision; /* 0: 1 */
    uint32_t sid_count;   /* 0: the two extra SIDs */
    bool extra_sids_null;
    bool extra_sid_entry_null;
    bool resource_domain_null;
    uint32_t resource_count; /* 0: one resource group */
    int32_t name_actual_delta;
    uint32_t name_offset;
    uint32_t many_groups; /* write this many GroupIds entries (with count and max_count) */
};

struct writer {
    uint8_t buf[MAX_PAC];
    size_t len;
};

static void
put(struct writer *w, const void *data, size_t n)
{
    CU_ASSERT_FATAL(n <= sizeof(w->buf) - w->len);
    memcpy(w->buf + w->len, data, n);
    w->len += n;
}

static void
put8(struct writer *w, uint8_t v)
{
    put(w, &v, 1);
}

static void
put16(struct writer *w, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};

    put(w, b, 2);
}

static void
put32(struct writer *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

    put(w, b, 4);
}

static void
align4(struct writer *w)
{
    while (w->len % 4 != 0)
        put8(w, 0);
}

/* An RPC_SID referent: max_count, then the SID with little-endian sub-authorities. */
static void
put_sid(struct writer *w, const char *text, const struct pac_spec *spec, bool is_domain)
{
    sspi_sid sid;
    uint8_t count;
    size_t i;

    CU_ASSERT_FATAL(sspi_sid_parse(text, &sid));
    count = sid.sid.SubAuthorityCount;
    align4(w);
    put32(w, (uint32_t)(count + (is_domain ? spec->domain_max_delta : 0)));
    put8(w, spec->sid_revision ? spec->sid_revision : 1);
    put8(w, is_domain && spec->domain_sub_count ? spec->domain_sub_count : count);
    put(w, sid.sid.IdentifierAuthority.Value, 6);
    for (i = 0; i < count; i++)
        put32(w, sspi_sid_sub_authority(&sid, i));
}

/* The RPC_UNICODE_STRING in the fixed part: Length, MaximumLength, a pointer. */
static void
put_string_header(struct writer *w, const char *text, uint32_t *referent)
{
    if (text == NULL) {
        put16(w, 0);
        put16(w, 0);
        put32(w, 0);
        return;
    }
    put16(w, (uint16_t)(2 * strlen(text)));
    put16(w, (uint16_t)(2 * strlen(text)));
    put32(w, *referent);
    *referent += 4;
}

/* Its referent: max_count, offset, actual_count, UTF-16 units. */
static void
put_string_body(struct writer *w, const char *text, const struct pac_spec *spec)
{
    size_t i, n;

    if (text == NULL)
        return;
    n = strlen(text);
    align4(w);
    put32(w, (uint32_t)n);
    put32(w, spec->name_offset);
    put32(w, (uint32_t)((int32_t)n + spec->name_actual_delta));
    for (i = 0; i < n; i++)
        put16(w, (uint8_t)text[i]);
}

static void
set_object_length(uint8_t *pac, size_t len)
{
    pac[8] = (uint8_t)len;
    pac[9] = (uint8_t)(len >> 8);
    pac[10] = (uint8_t)(len >> 16);
    pac[11] = (uint8_t)(len >> 24);
}

/* NULL: a NULL pointer; "": a present, empty string. */
static const char *const names[6] = {"dcuser", "Domain User", NULL, "", NULL, NULL};
static const uint32_t group_rids[3] = {513, 1106, 1107};

/* Writes a PAC_LOGON_INFO as spec says; returns its length. */
static size_t
build_pac(struct writer *w, const struct pac_spec *spec)
{
    uint32_t referent = 0x00020004;
    uint32_t group_count = spec->many_groups   ? spec->many_groups
                           : spec->group_count ? spec->group_count
                                               : 3;
    uint32_t sid_count = spec->sid_count ? spec->sid_count : 2;
    uint32_t resource_count = spec->resource_count ? spec->resource_count : 1;
    uint32_t i;

    memset(w, 0, sizeof(*w));
    put8(w, spec->version ? spec->version : 1);
    put8(w, spec->endianness ? spec->endianness : 0x10);
    put16(w, 8);
    put32(w, 0xcccccccc);
    put32(w, 0); /* ObjectBufferLength, set at the end */
    put32(w, 0);
    put32(w, spec->top_null ? 0 : 0x00020000);
    for (i = 0; i < 12; i++)
        put32(w, 0xffffffff); /* six FILETIMEs */
    for (i = 0; i < 6; i++)
        put_string_header(w, names[i], &referent);
    put16(w, 7);
    put16(w, 0);
    put32(w, USER_RID);
    put32(w, 513);
    put32(w, group_count);
    put32(w, spec->group_ids_null ? 0 : referent);
    referent += 4;
    put32(w, 0x20 | 0x200); /* UserFlags: LOGON_EXTRA_SIDS, LOGON_RESOURCE_GROUPS */
    for (i = 0; i < 4; i++)
        put32(w, 0); /* UserSessionKey */
    put_string_header(w, "DC1", &referent);
    put_string_header(w, "SSPIGSS", &referent);
    put32(w, spec->domain_sid_null ? 0 : referent);
    referent += 4;
    for (i = 0; i < 4; i++)
        put32(w, 0); /* Reserved1[2], UserAccountControl, SubAuthStatus */
    for (i = 0; i < 4; i++)
        put32(w, 0); /* LastSuccessfulILogon, LastFailedILogon */
    put32(w, 0);
    put32(w, 0);
    put32(w, sid_count);
    put32(w, spec->extra_sids_null ? 0 : referent);
    referent += 4;
    put32(w, spec->resource_domain_null ? 0 : referent);
    referent += 4;
    put32(w, resource_count);
    put32(w, referent);
    referent += 4;
    CU_ASSERT_EQUAL_FATAL(w->len, FIXED_PART_OFFSET + FIXED_PART_SIZE);

    /* The referents, in the order of their pointers. */
    for (i = 0; i < 6; i++)
        put_string_body(w, names[i], spec);
    if (!spec->group_ids_null) {
        align4(w);
        put32(w, (uint32_t)((int32_t)group_count + spec->group_max_delta));
        for (i = 0; i < (spec->many_groups ? spec->many_groups : 3); i++) {
            put32(w, spec->many_groups ? 5000 + i : group_rids[i]);
            put32(w, 7);
        }
    }
    put_string_body(w, "DC1", spec);
    put_string_body(w, "SSPIGSS", spec);
    if (!spec->domain_sid_null)
        put_sid(w, DOMAIN_SID, spec, true);
    if (!spec->extra_sids_null) {
        align4(w);
        put32(w, sid_count);
        put32(w, 0x00030000);
        put32(w, 7);
        put32(w, spec->extra_sid_entry_null ? 0 : 0x00030004);
        put32(w, 0x20000007);
        put_sid(w, OTHER_DOMAIN_SID "-1201", spec, false);
        if (!spec->extra_sid_entry_null)
            put_sid(w, "S-1-18-1", spec, false);
    }
    if (!spec->resource_domain_null)
        put_sid(w, RESOURCE_DOMAIN_SID, spec, false);
    align4(w);
    put32(w, resource_count);
    put32(w, 1301);
    put32(w, 7);
    /* ObjectBufferLength: everything after the two headers. */
    set_object_length(w->buf, w->len - 16);
    return w->len;
}

/*
 * The logon information of a real ticket: Samba 4.17's KDC (tests/e2e/e2e_dc_token.sh's domain)
 * for pacuser, member of pacgroup, read with gss_get_name_attribute(urn:mspac:logon-info) after
 * MIT krb5 1.20 accepted the ticket and verified its PAC.
 */
#define SAMBA_DOMAIN_SID "S-1-5-21-4198916204-2705924821-3687059210"
static const uint8_t samba_logon_info[] = {
    0x01, 0x10, 0x08, 0x00, 0xcc, 0xcc, 0xcc, 0xcc, 0xb0, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xbc, 0x35, 0xdc, 0x8b,
    0x46, 0x85, 0xdd, 0x01, 0xbc, 0xf5, 0x45, 0xb6, 0x0f, 0x86, 0xdd, 0x01, 0xbc, 0xb5, 0x35, 0x81,
    0x47, 0xa6, 0xdd, 0x01, 0x0e, 0x00, 0x0e, 0x00, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x10, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x18, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x54, 0x04, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00,
    0x02, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x08, 0x00,
    0x20, 0x00, 0x02, 0x00, 0x0e, 0x00, 0x10, 0x00, 0x24, 0x00, 0x02, 0x00, 0x28, 0x00, 0x02, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x02, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x70, 0x00, 0x61, 0x00, 0x63, 0x00, 0x75, 0x00,
    0x73, 0x00, 0x65, 0x00, 0x72, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00,
    0x53, 0x04, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x03, 0x00, 0x00, 0x00, 0x44, 0x00, 0x43, 0x00, 0x31, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x53, 0x00, 0x53, 0x00, 0x50, 0x00, 0x49, 0x00,
    0x47, 0x00, 0x53, 0x00, 0x53, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x04, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x05, 0x15, 0x00, 0x00, 0x00, 0x6c, 0x60, 0x46, 0xfa, 0xd5, 0x22, 0x49, 0xa1,
    0x0a, 0x0f, 0xc4, 0xdb, 0x01, 0x00, 0x00, 0x00, 0x30, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12, 0x01, 0x00, 0x00, 0x00,
};

static struct writer w;

/* The decoded list has the SID (given as text) with exactly these attributes. */
static bool
has_group(const struct sspi_logon_sids *sids, const char *text, DWORD attributes)
{
    sspi_sid sid;
    size_t i;

    if (!sspi_sid_parse(text, &sid))
        return false;
    for (i = 0; i < sids->groups.count; i++) {
        if (sspi_sid_equal(&sids->groups.items[i].sid, &sid))
            return sids->groups.items[i].attributes == attributes;
    }
    return false;
}

static void
assert_refused(const struct pac_spec *spec)
{
    struct sspi_logon_sids sids;
    size_t len = build_pac(&w, spec);

    memset(&sids, 0xa5, sizeof(sids));
    CU_ASSERT_EQUAL(sspi_pac_logon_info(w.buf, len, &sids), SEC_E_INVALID_TOKEN);
}

static void
test_valid_pac_gives_user_primary_group_and_every_kind_of_group(void)
{
    struct pac_spec spec = {0};
    struct sspi_logon_sids sids;
    char text[SSPI_SID_STRING_MAX];
    size_t len = build_pac(&w, &spec);

    CU_ASSERT_EQUAL_FATAL(sspi_pac_logon_info(w.buf, len, &sids), SEC_E_OK);
    sspi_sid_format(&sids.user, text);
    CU_ASSERT_STRING_EQUAL(text, DOMAIN_SID "-1105");
    sspi_sid_format(&sids.primary_group, text);
    CU_ASSERT_STRING_EQUAL(text, DOMAIN_SID "-513");
    CU_ASSERT_EQUAL(sids.groups.count, 6);
    CU_ASSERT(has_group(&sids, DOMAIN_SID "-513", 7));
    CU_ASSERT(has_group(&sids, DOMAIN_SID "-1106", 7));
    CU_ASSERT(has_group(&sids, DOMAIN_SID "-1107", 7));
    CU_ASSERT(has_group(&sids, OTHER_DOMAIN_SID "-1201", 7));
    CU_ASSERT(has_group(&sids, "S-1-18-1", 0x20000007));
    CU_ASSERT(has_group(&sids, RESOURCE_DOMAIN_SID "-1301", 7 | SE_GROUP_RESOURCE));
    CU_ASSERT_FALSE(has_group(&sids, DOMAIN_SID "-512", 7));
    sspi_sid_list_free(&sids.groups);
}

/* Whatever byte the buffer stops at, and whatever its header then claims, it is refused. */
static void
test_pac_cut_at_every_byte_is_refused(void)
{
    struct pac_spec spec = {0};
    struct sspi_logon_sids sids;
    size_t len = build_pac(&w, &spec), cut;
    uint8_t *copy;

    for (cut = 0; cut < len; cut++) {
        /* An exact-size copy, so that a read past the end is a sanitizer's error too. */
        copy = malloc(cut + 1);
        CU_ASSERT_FATAL(copy != NULL);
        memcpy(copy, w.buf, cut);
        CU_ASSERT_EQUAL(sspi_pac_logon_info(copy, cut, &sids), SEC_E_INVALID_TOKEN);
        if (cut >= 16) {
            set_object_length(copy, cut - 16);
            CU_ASSERT_EQUAL(sspi_pac_logon_info(copy, cut, &sids), SEC_E_INVALID_TOKEN);
        }
        free(copy);
    }
    CU_ASSERT_EQUAL(sspi_pac_logon_info(NULL, 0, &sids), SEC_E_INVALID_TOKEN);
}

static void
test_pac_counts_beyond_the_bytes_or_the_limit_are_refused(void)
{
    struct pac_spec spec = {0};

    spec.group_count = 0x10000000;
    spec.group_max_delta = 0;
    assert_refused(&spec);
    spec = (struct pac_spec){.group_count = 0xffffffff};
    assert_refused(&spec);
    spec = (struct pac_spec){.sid_count = 0x20000000};
    assert_refused(&spec);
    spec = (struct pac_spec){.resource_count = 0x7fffffff};
    assert_refused(&spec);
    /* Every entry present, but more than a token may hold. */
    spec = (struct pac_spec){.many_groups = SSPI_TOKEN_MAX_SIDS + 1};
    assert_refused(&spec);
}

static void
test_pac_max_counts_that_disagree_with_the_counts_are_refused(void)
{
    struct pac_spec spec = {0};

    spec.group_max_delta = 1;
    assert_refused(&spec);
    spec = (struct pac_spec){.group_max_delta = -1};
    assert_refused(&spec);
    spec = (struct pac_spec){.domain_max_delta = 1};
    assert_refused(&spec);
    spec = (struct pac_spec){.domain_sub_count = 16, .domain_max_delta = 12};
    assert_refused(&spec);
    spec = (struct pac_spec){.name_actual_delta = 1};
    assert_refused(&spec);
    spec = (struct pac_spec){.name_offset = 1};
    assert_refused(&spec);
}

static void
test_pac_pointers_without_their_referents_are_refused(void)
{
    struct pac_spec spec = {0};

    spec.top_null = true;
    assert_refused(&spec);
    spec = (struct pac_spec){.group_ids_null = true};
    assert_refused(&spec); /* GroupCount 3 and no GroupIds */
    spec = (struct pac_spec){.domain_sid_null = true};
    assert_refused(&spec); /* no LogonDomainId: no user SID */
    spec = (struct pac_spec){.extra_sids_null = true};
    assert_refused(&spec); /* SidCount 2 and no ExtraSids */
    spec = (struct pac_spec){.extra_sid_entry_null = true};
    assert_refused(&spec); /* an ExtraSids entry without its SID */
    spec = (struct pac_spec){.resource_domain_null = true};
    assert_refused(&spec); /* resource groups relative to no domain */
}

static void
test_pac_other_encodings_and_bad_sids_are_refused(void)
{
    struct pac_spec spec = {0};

    spec.version = 2;
    assert_refused(&spec);
    spec = (struct pac_spec){.endianness = 0x01}; /* big-endian: not what any KDC sends */
    assert_refused(&spec);
    spec = (struct pac_spec){.sid_revision = 2};
    assert_refused(&spec);
}

/* A PAC whose ObjectBufferLength ends it before its last referent is as short as it says. */
static void
test_pac_is_read_only_up_to_its_object_length(void)
{
    struct pac_spec spec = {0};
    struct sspi_logon_sids sids;
    size_t len = build_pac(&w, &spec);

    set_object_length(w.buf, len - 16 - 4);
    CU_ASSERT_EQUAL(sspi_pac_logon_info(w.buf, len, &sids), SEC_E_INVALID_TOKEN);
    /* Trailing bytes after the object (a PAC buffer's 8-byte padding) are fine. */
    build_pac(&w, &spec);
    CU_ASSERT_EQUAL_FATAL(sspi_pac_logon_info(w.buf, len + 4, &sids), SEC_E_OK);
    sspi_sid_list_free(&sids.groups);
}

static void
test_pac_from_samba_kdc_gives_the_directory_sids(void)
{
    struct sspi_logon_sids sids;
    char text[SSPI_SID_STRING_MAX];
    size_t cut;

    CU_ASSERT_EQUAL_FATAL(sspi_pac_logon_info(samba_logon_info, sizeof(samba_logon_info), &sids),
                          SEC_E_OK);
    sspi_sid_format(&sids.user, text);
    CU_ASSERT_STRING_EQUAL(text, SAMBA_DOMAIN_SID "-1108");
    sspi_sid_format(&sids.primary_group, text);
    CU_ASSERT_STRING_EQUAL(text, SAMBA_DOMAIN_SID "-513");
    CU_ASSERT_EQUAL(sids.groups.count, 3);
    CU_ASSERT(has_group(&sids, SAMBA_DOMAIN_SID "-513", 7));
    CU_ASSERT(has_group(&sids, SAMBA_DOMAIN_SID "-1107", 7));
    CU_ASSERT(has_group(&sids, "S-1-18-1", 7)); /* authentication authority asserted identity */
    sspi_sid_list_free(&sids.groups);
    for (cut = 0; cut < sizeof(samba_logon_info); cut++)
        CU_ASSERT_EQUAL(sspi_pac_logon_info(samba_logon_info, cut, &sids), SEC_E_INVALID_TOKEN);
}

static CU_TestInfo tests[] = {
    {"valid PAC gives user, primary group and every kind of group",
     test_valid_pac_gives_user_primary_group_and_every_kind_of_group},
    {"PAC from Samba's KDC gives the directory's SIDs",
     test_pac_from_samba_kdc_gives_the_directory_sids},
    {"PAC cut at every byte is refused", test_pac_cut_at_every_byte_is_refused},
    {"PAC counts beyond the bytes or the limit are refused",
     test_pac_counts_beyond_the_bytes_or_the_limit_are_refused},
    {"PAC max_counts that disagree with the counts are refused",
     test_pac_max_counts_that_disagree_with_the_counts_are_refused},
    {"PAC pointers without their referents are refused",
     test_pac_pointers_without_their_referents_are_refused},
    {"PAC in another encoding, or with bad SIDs, is refused",
     test_pac_other_encodings_and_bad_sids_are_refused},
    {"PAC is read only up to its object length", test_pac_is_read_only_up_to_its_object_length},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("sspi_pac", tests);
}
