/*
 * Names (mech/gss/ntlm_names.c) without the mechglue: copies, spellings and SPNs, import from
 * every name type, display, comparison, export, the local account a user maps to, and the
 * name attributes.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_errors.h"
#include "ntlm_gss.h"
#include "test_util.h"
#include "unit_files.h"

#define BASE                                                                                       \
    "netbios_name = TESTHOST\ndns_name = testhost.example\nnetbios_domain = TESTDOM\n"             \
    "audit = none\nstate_dir = %s\n"

static const char *dir, *conf_path, *partner_conf;

/* Imports text (len bytes; the NUL-terminated length when len is 0) as type. */
static OM_uint32
import(const char *text, size_t len, gss_OID type, struct ntlm_name **name, OM_uint32 *minor)
{
    gss_buffer_desc buf = {len != 0 ? len : strlen(text), (void *)text};

    *name = NULL;
    return ntlm_gss_import_name(minor, &buf, type, (gss_name_t *)name);
}

/* got is want, or both are NULL. */
static void
assert_text(const char *got, const char *want)
{
    if (want == NULL) {
        CU_ASSERT_PTR_NULL(got);
        return;
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_STRING_EQUAL(got, want);
}

static struct ntlm_name *
user(const char *text)
{
    struct ntlm_name *name;
    OM_uint32 minor;

    CU_ASSERT_EQUAL_FATAL(import(text, 0, GSS_C_NT_USER_NAME, &name, &minor), GSS_S_COMPLETE);
    return name;
}

static void
test_a_copy_carries_the_sids_and_the_env(void)
{
    struct ntlm_name *name = user("TESTDOM\\alice"), *copy = NULL;

    CU_ASSERT_EQUAL_FATAL(ntlm_env_new(conf_path, &name->env), 0);
    CU_ASSERT_EQUAL(ntlm_name_set_sids(name, "S-1-5-21-1-2-3-500"), 0);
    /* Set again, the list is replaced. */
    CU_ASSERT_EQUAL(ntlm_name_set_sids(name, "S-1-5-21-1-2-3-1000,S-1-5-32-545"), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_name_copy(name, &copy), 0);
    CU_ASSERT_EQUAL(copy->kind, NTLM_NAME_USER);
    CU_ASSERT_STRING_EQUAL(copy->user, "alice");
    CU_ASSERT_STRING_EQUAL(copy->domain, "TESTDOM");
    CU_ASSERT_PTR_NOT_EQUAL(copy->sids, name->sids);
    CU_ASSERT_STRING_EQUAL(copy->sids, "S-1-5-21-1-2-3-1000,S-1-5-32-545");
    CU_ASSERT_PTR_EQUAL(copy->env, name->env);
    /* The copy holds its own reference: it outlives the original. */
    ntlm_name_free(name);
    CU_ASSERT_STRING_EQUAL(ntlm_env_path(copy->env), conf_path);
    ntlm_name_free(copy);
    ntlm_name_free(NULL);
}

static void
test_names_are_spelled_as_windows_and_gss_spell_them(void)
{
    static const struct {
        enum ntlm_name_kind kind;
        const char *user, *domain, *text, *spn;
    } rows[] = {
        {NTLM_NAME_USER, "alice", "TESTDOM", "TESTDOM\\alice", NULL},
        {NTLM_NAME_USER, "alice", NULL, "alice", NULL},
        {NTLM_NAME_USER, "alice", "", "alice", NULL},
        {NTLM_NAME_SERVICE, "HTTP", "web.example", "HTTP@web.example", "HTTP/web.example"},
        {NTLM_NAME_SERVICE, "HTTP", NULL, "HTTP", NULL},
        {NTLM_NAME_ANONYMOUS, NULL, NULL, "NT AUTHORITY\\ANONYMOUS LOGON", NULL},
    };
    size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct ntlm_name *name = NULL;
        char *text = NULL, *spn = (char *)"unset";

        CU_ASSERT_EQUAL_FATAL(ntlm_name_new(rows[i].kind, rows[i].user, rows[i].domain, &name), 0);
        CU_ASSERT_EQUAL_FATAL(ntlm_name_to_string(name, &text), 0);
        CU_ASSERT_STRING_EQUAL(text, rows[i].text);
        CU_ASSERT_EQUAL(ntlm_name_spn(name, &spn), 0);
        assert_text(spn, rows[i].spn);
        free(spn);
        free(text);
        ntlm_name_free(name);
    }
}

static void
test_a_name_imports_from_each_spelling_of_its_type(void)
{
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        int type;   /* 0 user, 1 no OID, 2 host-based service */
        OM_uint32 major;
        enum ntlm_name_kind kind;
        const char *user, *domain;
    } rows[] = {
        {"TESTDOM\\alice", 0, 0, GSS_S_COMPLETE, NTLM_NAME_USER, "alice", "TESTDOM"},
        {"alice@testdom.example", 0, 0, GSS_S_COMPLETE, NTLM_NAME_USER, "alice", "testdom.example"},
        /* The last @ splits: user parts may hold one. */
        {"a@b@TESTDOM", 0, 0, GSS_S_COMPLETE, NTLM_NAME_USER, "a@b", "TESTDOM"},
        {"alice", 0, 1, GSS_S_COMPLETE, NTLM_NAME_USER, "alice", NULL},
        /* A counted terminating NUL is no part of the name. */
        {"alice", 6, 0, GSS_S_COMPLETE, NTLM_NAME_USER, "alice", NULL},
        {"HTTP@web.example", 0, 2, GSS_S_COMPLETE, NTLM_NAME_SERVICE, "HTTP", "web.example"},
        {"HTTP", 0, 2, GSS_S_COMPLETE, NTLM_NAME_SERVICE, "HTTP", NULL},
        {"\\alice", 0, 0, GSS_S_BAD_NAME, NTLM_NAME_USER, NULL, NULL},
        {"TESTDOM\\", 0, 0, GSS_S_BAD_NAME, NTLM_NAME_USER, NULL, NULL},
        {"@TESTDOM", 0, 0, GSS_S_BAD_NAME, NTLM_NAME_USER, NULL, NULL},
        {"alice@", 0, 0, GSS_S_BAD_NAME, NTLM_NAME_USER, NULL, NULL},
        {"al\0ice", 6, 0, GSS_S_BAD_NAME, NTLM_NAME_USER, NULL, NULL},
        {"", 1, 0, GSS_S_BAD_NAME, NTLM_NAME_USER, NULL, NULL},
        {"@web.example", 0, 2, GSS_S_BAD_NAME, NTLM_NAME_USER, NULL, NULL},
        {"HTTP@", 0, 2, GSS_S_BAD_NAME, NTLM_NAME_USER, NULL, NULL},
    };
    const gss_OID types[] = {GSS_C_NT_USER_NAME, GSS_C_NO_OID, GSS_C_NT_HOSTBASED_SERVICE};
    struct ntlm_name *name;
    OM_uint32 minor;
    size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        CU_ASSERT_EQUAL(import(rows[i].text, rows[i].len, types[rows[i].type], &name, &minor),
                        rows[i].major);
        if (rows[i].major != GSS_S_COMPLETE) {
            CU_ASSERT_EQUAL(minor, NTLM_ERR_BAD_NAME);
            CU_ASSERT_PTR_NULL(name);
            continue;
        }
        CU_ASSERT_EQUAL(name->kind, rows[i].kind);
        CU_ASSERT_STRING_EQUAL(name->user, rows[i].user);
        assert_text(name->domain, rows[i].domain);
        ntlm_name_free(name);
    }
    /* Any text is the anonymous name under its type; other types are not ours. */
    CU_ASSERT_EQUAL(import("whoever", 0, GSS_C_NT_ANONYMOUS, &name, &minor), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(name->kind, NTLM_NAME_ANONYMOUS);
    ntlm_name_free(name);
    CU_ASSERT_EQUAL(import("1000", 0, GSS_C_NT_MACHINE_UID_NAME, &name, &minor),
                    GSS_S_BAD_NAMETYPE);
    CU_ASSERT_PTR_NULL(name);
}

/* RFC 2743 3.2: 04 01, OID length 00 0c, 06 0a and the NTLM OID, name length, name. */
#define EXPORTED_ALICE                                                                             \
    "0401000c060a2b06010401823702020a"                                                             \
    "0000000d" /* TESTDOM\alice */ "54455354444f4d5c616c696365"

static void
test_an_exported_user_imports_back_equal(void)
{
    struct ntlm_name *name = user("TESTDOM\\alice"), *back;
    gss_buffer_desc token = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, min;
    int equal = 0;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_export_name(&minor, (gss_name_t)name, &token), GSS_S_COMPLETE);
    CU_ASSERT(test_hex_equal(token.value, token.length, EXPORTED_ALICE));
    CU_ASSERT_EQUAL_FATAL(
        ntlm_gss_import_name(&minor, &token, GSS_C_NT_EXPORT_NAME, (gss_name_t *)&back),
        GSS_S_COMPLETE);
    ntlm_gss_compare_name(&minor, (gss_name_t)name, (gss_name_t)back, &equal);
    CU_ASSERT(equal);
    gss_release_buffer(&min, &token);
    ntlm_name_free(back);
    ntlm_name_free(name);
}

static void
test_a_malformed_exported_name_is_a_bad_name(void)
{
    static const struct {
        const char *name;
        size_t at; /* where the patch goes; keep: bytes kept, 0 all */
        const char *patch;
        size_t keep;
    } rows[] = {
        {"token id", 1, "02", 0},
        {"OID length", 3, "0b", 0},
        {"OID tag", 4, "05", 0},
        {"another mechanism's OID", 15, "0b", 0},
        {"name longer than the token", 19, "0e", 0},
        {"name shorter than the token", 19, "0c", 0},
        {"a NUL inside the name", 24, "00", 0},
        {"cut inside the OID", 0, NULL, 10},
        {"cut before the name length", 0, NULL, 18},
    };
    size_t i, len;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        uint8_t *bytes = test_hex(EXPORTED_ALICE, &len);
        struct ntlm_name *name = NULL;
        gss_buffer_desc token = {rows[i].keep != 0 ? rows[i].keep : len, bytes};
        OM_uint32 minor;

        if (rows[i].patch != NULL) {
            size_t n;
            uint8_t *patch = test_hex(rows[i].patch, &n);

            memcpy(bytes + rows[i].at, patch, n);
            free(patch);
        }
        CU_ASSERT_EQUAL(
            ntlm_gss_import_name(&minor, &token, GSS_C_NT_EXPORT_NAME, (gss_name_t *)&name),
            GSS_S_BAD_NAME);
        if (minor != NTLM_ERR_BAD_NAME)
            fprintf(stderr, "row \"%s\": minor %u\n", rows[i].name, (unsigned)minor);
        CU_ASSERT_EQUAL(minor, NTLM_ERR_BAD_NAME);
        CU_ASSERT_PTR_NULL(name);
        free(bytes);
    }
}

static void
test_display_gives_the_spelling_and_the_name_s_type(void)
{
    static const struct {
        const char *text;
        int type; /* 0 user, 1 host-based service, 2 anonymous */
        const char *shown;
    } rows[] = {
        {"alice@TESTDOM", 0, "TESTDOM\\alice"},
        {"HTTP@web.example", 1, "HTTP@web.example"},
        {"", 2, "NT AUTHORITY\\ANONYMOUS LOGON"},
    };
    const gss_OID types[] = {GSS_C_NT_USER_NAME, GSS_C_NT_HOSTBASED_SERVICE, GSS_C_NT_ANONYMOUS};
    gss_buffer_desc shown;
    struct ntlm_name *name;
    gss_OID type;
    OM_uint32 minor, min;
    size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        CU_ASSERT_EQUAL_FATAL(import(rows[i].text, 0, types[rows[i].type], &name, &minor),
                              GSS_S_COMPLETE);
        type = GSS_C_NO_OID;
        CU_ASSERT_EQUAL_FATAL(ntlm_gss_display_name(&minor, (gss_name_t)name, &shown, &type),
                              GSS_S_COMPLETE);
        CU_ASSERT_EQUAL(shown.length, strlen(rows[i].shown));
        CU_ASSERT_STRING_EQUAL(shown.value, rows[i].shown);
        CU_ASSERT_PTR_EQUAL(type, types[rows[i].type]);
        gss_release_buffer(&min, &shown);
        ntlm_name_free(name);
    }
    CU_ASSERT_EQUAL(ntlm_gss_display_name(&minor, GSS_C_NO_NAME, &shown, NULL), GSS_S_BAD_NAME);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_BAD_NAME);
}

static void
test_releasing_a_name_clears_the_handle(void)
{
    gss_name_t name = (gss_name_t)user("alice");
    OM_uint32 minor = 1;

    CU_ASSERT_EQUAL(ntlm_gss_release_name(&minor, &name), GSS_S_COMPLETE);
    CU_ASSERT_PTR_NULL(name);
    CU_ASSERT_EQUAL(minor, 0);
    CU_ASSERT_EQUAL(ntlm_gss_release_name(&minor, &name), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(ntlm_gss_release_name(&minor, NULL), GSS_S_COMPLETE);
}

static void
test_names_compare_ignoring_case_and_anonymous_equals_none(void)
{
    static const struct {
        const char *a, *b;
        int type_b; /* 0 user, 1 host-based service, 2 anonymous */
        int equal;
    } rows[] = {
        {"TESTDOM\\alice", "alice@testdom", 0, 1},
        {"TESTDOM\\alice", "TESTDOM\\ALICE", 0, 1},
        {"TESTDOM\\alice", "OTHER\\alice", 0, 0},
        {"TESTDOM\\alice", "alice", 0, 0},
        {"alice", "ALICE", 0, 1},
        /* As the user database matches accounts (Unicode simple case mapping), not ASCII. */
        {"TESTDOM\\\u00e9mile", "testdom\\\u00c9MILE", 0, 1},
        {"\u00c5SA@DOM\u00c4NE", "\u00e5sa@dom\u00e4ne", 0, 1},
        {"alice@web.example", "alice@web.example", 1, 0},
        {"", "", 2, 0},
    };
    const gss_OID types[] = {GSS_C_NT_USER_NAME, GSS_C_NT_HOSTBASED_SERVICE, GSS_C_NT_ANONYMOUS};
    struct ntlm_name *a, *b;
    OM_uint32 minor;
    size_t i;
    int equal;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        gss_OID type_a = rows[i].type_b == 2 ? GSS_C_NT_ANONYMOUS : GSS_C_NT_USER_NAME;

        CU_ASSERT_EQUAL_FATAL(import(rows[i].a, 0, type_a, &a, &minor), GSS_S_COMPLETE);
        CU_ASSERT_EQUAL_FATAL(import(rows[i].b, 0, types[rows[i].type_b], &b, &minor),
                              GSS_S_COMPLETE);
        equal = -1;
        CU_ASSERT_EQUAL(ntlm_gss_compare_name(&minor, (gss_name_t)a, (gss_name_t)b, &equal),
                        GSS_S_COMPLETE);
        if (equal != rows[i].equal)
            fprintf(stderr, "row %zu: %s vs %s\n", i, rows[i].a, rows[i].b);
        CU_ASSERT_EQUAL(equal, rows[i].equal);
        ntlm_name_free(a);
        ntlm_name_free(b);
    }
    a = user("alice");
    CU_ASSERT_EQUAL(ntlm_gss_compare_name(&minor, (gss_name_t)a, GSS_C_NO_NAME, &equal),
                    GSS_S_BAD_NAME);
    ntlm_name_free(a);
}

static void
test_a_duplicate_is_an_equal_name_of_its_own(void)
{
    struct ntlm_name *name = user("TESTDOM\\alice"), *copy = NULL;
    OM_uint32 minor;
    int equal = 0;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_duplicate_name(&minor, (gss_name_t)name, (gss_name_t *)&copy),
                          GSS_S_COMPLETE);
    CU_ASSERT_PTR_NOT_EQUAL(copy, name);
    ntlm_gss_compare_name(&minor, (gss_name_t)name, (gss_name_t)copy, &equal);
    CU_ASSERT(equal);
    ntlm_name_free(name);
    ntlm_name_free(copy);
    CU_ASSERT_EQUAL(ntlm_gss_duplicate_name(&minor, GSS_C_NO_NAME, (gss_name_t *)&copy),
                    GSS_S_BAD_NAME);
}

static void
test_only_a_user_name_exports(void)
{
    struct ntlm_name *name;
    gss_buffer_desc token = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;

    CU_ASSERT_EQUAL_FATAL(import("HTTP@web.example", 0, GSS_C_NT_HOSTBASED_SERVICE, &name, &minor),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(ntlm_gss_export_name(&minor, (gss_name_t)name, &token), GSS_S_NAME_NOT_MN);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_BAD_NAME);
    CU_ASSERT_EQUAL(token.length, 0);
    ntlm_name_free(name);
    CU_ASSERT_EQUAL(ntlm_gss_export_name(&minor, GSS_C_NO_NAME, &token), GSS_S_NAME_NOT_MN);
}

/* gss_localname of name; the account in *account (malloc'd) on success. */
static OM_uint32
localname(struct ntlm_name *name, char **account, OM_uint32 *minor)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, min;

    *account = NULL;
    major = ntlm_gss_localname(minor, (gss_name_t)name, GSS_C_NO_OID, &out);
    if (major == GSS_S_COMPLETE)
        *account = strndup(out.value, out.length);
    gss_release_buffer(&min, &out);
    return major;
}

static void
test_a_user_of_a_local_domain_maps_to_the_account_of_its_user_part(void)
{
    static const struct {
        const char *name;
        OM_uint32 major, minor;
        const char *account;
    } rows[] = {
        {"TESTDOM\\nobody", GSS_S_COMPLETE, 0, "nobody"},
        {"nobody", GSS_S_COMPLETE, 0, "nobody"},
        {"testhost.example\\nobody", GSS_S_COMPLETE, 0, "nobody"},
        /* A user part that names no account maps to itself: access to nothing. */
        {"TESTDOM\\no-such-user-here", GSS_S_COMPLETE, 0, "no-such-user-here"},
        /* PARTNER\nobody is not the local nobody. */
        {"PARTNER\\nobody", GSS_S_UNAVAILABLE, NTLM_ERR_LOCAL_DOMAIN, NULL},
        /* root and the system accounts are below local_uid_min. */
        {"TESTDOM\\root", GSS_S_UNAVAILABLE, NTLM_ERR_LOCAL_UID, NULL},
        {"TESTDOM\\daemon", GSS_S_UNAVAILABLE, NTLM_ERR_LOCAL_UID, NULL},
    };
    struct ntlm_name *name;
    char *account;
    OM_uint32 minor;
    size_t i;

    CU_ASSERT_PTR_NOT_NULL_FATAL(getpwnam("nobody"));
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        name = user(rows[i].name);
        minor = 0;
        CU_ASSERT_EQUAL(localname(name, &account, &minor), rows[i].major);
        if (minor != rows[i].minor)
            fprintf(stderr, "row \"%s\": minor %u\n", rows[i].name, (unsigned)minor);
        assert_text(account, rows[i].account);
        if (rows[i].major != GSS_S_COMPLETE)
            CU_ASSERT_EQUAL(minor, rows[i].minor);
        free(account);
        ntlm_name_free(name);
    }
    /* Only users have accounts. */
    CU_ASSERT_EQUAL_FATAL(import("HTTP@web.example", 0, GSS_C_NT_HOSTBASED_SERVICE, &name, &minor),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(localname(name, &account, &minor), GSS_S_BAD_NAME);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_BAD_NAME);
    ntlm_name_free(name);
}

static void
test_a_name_maps_under_the_configuration_that_authenticated_it(void)
{
    struct ntlm_name *name = user("PARTNER\\nobody");
    char *account;
    OM_uint32 minor;

    /* partner.conf lists PARTNER in local_map_domains; the default configuration does not. */
    CU_ASSERT_EQUAL_FATAL(ntlm_env_new(partner_conf, &name->env), 0);
    CU_ASSERT_EQUAL(localname(name, &account, &minor), GSS_S_COMPLETE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(account);
    CU_ASSERT_STRING_EQUAL(account, "nobody");
    free(account);
    ntlm_name_free(name);
}

static void
test_a_name_is_a_mechanism_name_listing_sids_when_it_has_them(void)
{
    struct ntlm_name *name = user("TESTDOM\\alice");
    gss_buffer_set_t attrs = GSS_C_NO_BUFFER_SET;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 minor, min;
    int mn = 0;

    CU_ASSERT_EQUAL(ntlm_gss_inquire_name(&minor, (gss_name_t)name, &mn, &mech, &attrs),
                    GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(mn, 1);
    CU_ASSERT_PTR_EQUAL(mech, NTLM_MECH_OID);
    CU_ASSERT_PTR_NULL(attrs);
    CU_ASSERT_EQUAL_FATAL(ntlm_name_set_sids(name, "S-1-5-21-1-2-3-1000"), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_inquire_name(&minor, (gss_name_t)name, NULL, NULL, &attrs),
                          GSS_S_COMPLETE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(attrs);
    CU_ASSERT_EQUAL(attrs->count, 1);
    CU_ASSERT_EQUAL(attrs->elements[0].length, strlen(NTLM_ATTR_SIDS));
    CU_ASSERT_EQUAL(memcmp(attrs->elements[0].value, NTLM_ATTR_SIDS, strlen(NTLM_ATTR_SIDS)), 0);
    gss_release_buffer_set(&min, &attrs);
    ntlm_name_free(name);
    CU_ASSERT_EQUAL(ntlm_gss_inquire_name(&minor, GSS_C_NO_NAME, NULL, NULL, NULL), GSS_S_BAD_NAME);
}

/* gss_get_name_attribute of attr with *more as given; value and display in out[0], out[1]. */
static OM_uint32
attribute(struct ntlm_name *name, const char *attr, int *more, int *authenticated, int *complete,
          char *out[2], OM_uint32 *minor)
{
    gss_buffer_desc a = {strlen(attr), (void *)attr};
    gss_buffer_desc value = GSS_C_EMPTY_BUFFER, shown = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, min;

    out[0] = out[1] = NULL;
    major = ntlm_gss_get_name_attribute(minor, (gss_name_t)name, &a, authenticated, complete,
                                        &value, &shown, more);
    if (major == GSS_S_COMPLETE) {
        out[0] = strndup(value.value, value.length);
        out[1] = strndup(shown.value, shown.length);
    }
    gss_release_buffer(&min, &value);
    gss_release_buffer(&min, &shown);
    return major;
}

static void
test_the_sids_attribute_is_one_authenticated_complete_value(void)
{
    struct ntlm_name *name = user("TESTDOM\\alice");
    int more = -1, authenticated = 0, complete = 0;
    char *out[2];
    OM_uint32 minor;

    CU_ASSERT_EQUAL(attribute(name, NTLM_ATTR_SIDS, &more, &authenticated, &complete, out, &minor),
                    GSS_S_UNAVAILABLE);
    CU_ASSERT_EQUAL_FATAL(ntlm_name_set_sids(name, "S-1-5-21-1-2-3-1000,S-1-5-32-545"), 0);
    CU_ASSERT_EQUAL_FATAL(
        attribute(name, NTLM_ATTR_SIDS, &more, &authenticated, &complete, out, &minor),
        GSS_S_COMPLETE);
    CU_ASSERT_STRING_EQUAL(out[0], "S-1-5-21-1-2-3-1000,S-1-5-32-545");
    CU_ASSERT_STRING_EQUAL(out[1], "S-1-5-21-1-2-3-1000,S-1-5-32-545");
    CU_ASSERT_EQUAL(authenticated, 1);
    CU_ASSERT_EQUAL(complete, 1);
    CU_ASSERT_EQUAL(more, 0);
    free(out[0]);
    free(out[1]);
    /* There is no second value, and no attribute of another name. */
    CU_ASSERT_EQUAL(attribute(name, NTLM_ATTR_SIDS, &more, NULL, NULL, out, &minor),
                    GSS_S_UNAVAILABLE);
    more = -1;
    CU_ASSERT_EQUAL(attribute(name, "urn:example:other", &more, NULL, NULL, out, &minor),
                    GSS_S_UNAVAILABLE);
    ntlm_name_free(name);
    CU_ASSERT_EQUAL(attribute(NULL, NTLM_ATTR_SIDS, &more, NULL, NULL, out, &minor),
                    GSS_S_BAD_NAME);
}

static void
test_local_login_user_answers_with_the_mapping_or_its_refusal(void)
{
    struct ntlm_name *name = user("TESTDOM\\nobody");
    int more = -1, authenticated = 0, complete = 0;
    char *out[2];
    OM_uint32 minor;

    CU_ASSERT_EQUAL_FATAL(
        attribute(name, "local-login-user", &more, &authenticated, &complete, out, &minor),
        GSS_S_COMPLETE);
    CU_ASSERT_STRING_EQUAL(out[0], "nobody");
    CU_ASSERT_STRING_EQUAL(out[1], "nobody");
    CU_ASSERT_EQUAL(authenticated, 1);
    CU_ASSERT_EQUAL(more, 0);
    free(out[0]);
    free(out[1]);
    ntlm_name_free(name);
    /* The refusal keeps its own minor code rather than the attribute's absence. */
    name = user("TESTDOM\\root");
    more = -1;
    CU_ASSERT_EQUAL(attribute(name, "local-login-user", &more, NULL, NULL, out, &minor),
                    GSS_S_UNAVAILABLE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_LOCAL_UID);
    ntlm_name_free(name);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"a copy carries the sids and the env", test_a_copy_carries_the_sids_and_the_env},
        {"names are spelled as windows and gss spell them",
         test_names_are_spelled_as_windows_and_gss_spell_them},
        {"a name imports from each spelling of its type",
         test_a_name_imports_from_each_spelling_of_its_type},
        {"an exported user imports back equal", test_an_exported_user_imports_back_equal},
        {"a malformed exported name is a bad name", test_a_malformed_exported_name_is_a_bad_name},
        {"display gives the spelling and the name's type",
         test_display_gives_the_spelling_and_the_name_s_type},
        {"releasing a name clears the handle", test_releasing_a_name_clears_the_handle},
        {"names compare ignoring case, and anonymous equals none",
         test_names_compare_ignoring_case_and_anonymous_equals_none},
        {"a duplicate is an equal name of its own", test_a_duplicate_is_an_equal_name_of_its_own},
        {"only a user name exports", test_only_a_user_name_exports},
        {"a user of a local domain maps to the account of its user part",
         test_a_user_of_a_local_domain_maps_to_the_account_of_its_user_part},
        {"a name maps under the configuration that authenticated it",
         test_a_name_maps_under_the_configuration_that_authenticated_it},
        {"a name is a mechanism name listing sids when it has them",
         test_a_name_is_a_mechanism_name_listing_sids_when_it_has_them},
        {"the sids attribute is one authenticated, complete value",
         test_the_sids_attribute_is_one_authenticated_complete_value},
        {"local-login-user answers with the mapping or its refusal",
         test_local_login_user_answers_with_the_mapping_or_its_refusal},
        CU_TEST_INFO_NULL,
    };
    char text[512];
    int status;

    dir = unit_files_begin("test_ntlm_names");
    snprintf(text, sizeof(text), BASE "dns_domain = testhost.example\n", dir);
    conf_path = unit_files_write("ntlm.conf", text);
    snprintf(text, sizeof(text), BASE "local_map_domains = PARTNER\n", dir);
    partner_conf = unit_files_write("partner.conf", text);
    unit_files_use_config(conf_path);

    status = test_run_suite("ntlm_names", tests);

    unit_files_end();
    return status;
}
