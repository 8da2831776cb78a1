/*
 * The module's exported entry points (mech/gss/ntlm_exports.c), as MIT's mechglue finds them:
 * the built module is dlopen()ed as build_dynamicMech does (RTLD_NOW | RTLD_LOCAL) and each
 * name is looked up with dlsym. A name must resolve into the module itself, not into a library
 * it links (where dlsym would find the mechglue's own function of that name), and each wrapper
 * must hand its arguments, in their places, to the function it wraps: an exchange, protection
 * and the mechanism-wide answers run through the looked-up pointers only.
 */
#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "gss_test_env.h"
#include "ntlm_errors.h"
#include "test_util.h"

/* The module's handle and the path its link map gives it (what dladdr reports). */
static void *module;
static const char *module_path;

/* The names MIT's mechglue looks up (mit-mechglue.md 1.3) that ntlm_exports.c defines. */
static const char *const exported[] = {"gss_acquire_cred",
                                       "gss_acquire_cred_from",
                                       "gssspi_acquire_cred_with_password",
                                       "gss_release_cred",
                                       "gss_inquire_cred",
                                       "gss_inquire_cred_by_mech",
                                       "gssspi_set_cred_option",
                                       "gss_init_sec_context",
                                       "gss_accept_sec_context",
                                       "gss_delete_sec_context",
                                       "gss_context_time",
                                       "gss_inquire_context",
                                       "gss_inquire_sec_context_by_oid",
                                       "gss_set_sec_context_option",
                                       "gss_export_sec_context",
                                       "gss_import_sec_context",
                                       "gss_get_mic",
                                       "gss_verify_mic",
                                       "gss_wrap",
                                       "gss_unwrap",
                                       "gss_wrap_iov",
                                       "gss_unwrap_iov",
                                       "gss_wrap_iov_length",
                                       "gss_get_mic_iov",
                                       "gss_verify_mic_iov",
                                       "gss_get_mic_iov_length",
                                       "gss_wrap_size_limit",
                                       "gss_import_name",
                                       "gss_display_name",
                                       "gss_release_name",
                                       "gss_compare_name",
                                       "gss_duplicate_name",
                                       "gss_export_name",
                                       "gss_localname",
                                       "gss_inquire_name",
                                       "gss_get_name_attribute",
                                       "gss_display_status",
                                       "gss_indicate_mechs",
                                       "gss_inquire_names_for_mech",
                                       "gss_inquire_attrs_for_mech",
                                       "gss_inquire_saslname_for_mech",
                                       "gss_inquire_mech_for_saslname",
                                       "gss_internal_release_oid"};

/* The gssspi_ and internal names, which no public header declares. */
typedef OM_uint32 (*set_cred_option_fn)(OM_uint32 *, gss_cred_id_t *, const gss_OID,
                                        const gss_buffer_t);
typedef OM_uint32 (*release_oid_fn)(OM_uint32 *, gss_OID *);

static gss_OID_desc ntlm_oid = {10, "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};

/* Whether p is an address inside the module (not inside a library it links). */
static bool
in_module(void *p)
{
    Dl_info info;

    return p != NULL && dladdr(p, &info) != 0 && strcmp(info.dli_fname, module_path) == 0;
}

/* The module's entry point of that name, typed as MIT's declaration of it. */
static void *
entry(const char *name)
{
    void *p = dlsym(module, name);

    CU_ASSERT_FATAL(in_module(p));
    return p;
}
#define FN(name) ((__typeof__(&name))entry(#name))

static void
test_every_entry_point_it_defines_resolves_into_the_module(void)
{
    size_t i;

    for (i = 0; i < sizeof(exported) / sizeof(exported[0]); i++) {
        if (!in_module(dlsym(module, exported[i])))
            fprintf(stderr, "\n  %s does not resolve into the module\n", exported[i]);
        CU_ASSERT_TRUE(in_module(dlsym(module, exported[i])));
    }
}

static void
test_negoex_table_and_internal_names_are_not_the_module_s(void)
{
    /* NegoEx ones would make MIT's SPNEGO treat NTLM as NegoEx; gss_mech_initialize would
     * make it read a private struct; internal names stay hidden. */
    static const char *const absent[] = {"gssspi_query_meta_data", "gssspi_exchange_meta_data",
                                         "gssspi_query_mechanism_info", "gss_mech_initialize",
                                         "gss_mech_interposer", "gssi_acquire_cred",
                                         "ntlm_gss_wrap", "ntlm_ctx_free", "ntlm_reader_init",
                                         /* reached through the module's handle, in the
                                          * mechglue it links: what a missing name finds */
                                         "gss_release_buffer"};
    size_t i;

    for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
        if (in_module(dlsym(module, absent[i])))
            fprintf(stderr, "\n  %s is the module's\n", absent[i]);
        CU_ASSERT_FALSE(in_module(dlsym(module, absent[i])));
    }
}

static void
test_entry_points_refuse_a_missing_context_with_no_context(void)
{
    gss_buffer_desc in = {1, "x"}, out = GSS_C_EMPTY_BUFFER;
    gss_iov_buffer_desc iov[1] = {{GSS_IOV_BUFFER_TYPE_HEADER, {0, NULL}}};
    gss_ctx_id_t none = GSS_C_NO_CONTEXT;
    OM_uint32 minor, limit, t;

    minor = 0;
    CU_ASSERT_EQUAL(FN(gss_get_mic)(&minor, none, 0, &in, &out), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_INVALID_ARG);
    CU_ASSERT_EQUAL(FN(gss_verify_mic)(&minor, none, &in, &in, NULL), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(FN(gss_wrap)(&minor, none, 1, 0, &in, NULL, &out), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(FN(gss_unwrap)(&minor, none, &in, &out, NULL, NULL), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(FN(gss_wrap_iov)(&minor, none, 1, 0, NULL, iov, 1), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(FN(gss_unwrap_iov)(&minor, none, NULL, NULL, iov, 1), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(FN(gss_wrap_iov_length)(&minor, none, 1, 0, NULL, iov, 1), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(FN(gss_get_mic_iov)(&minor, none, 0, iov, 1), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(FN(gss_verify_mic_iov)(&minor, none, NULL, iov, 1), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(FN(gss_get_mic_iov_length)(&minor, none, 0, iov, 1), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(FN(gss_wrap_size_limit)(&minor, none, 1, 0, 100, &limit), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(FN(gss_context_time)(&minor, none, &t), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(FN(gss_inquire_context)(&minor, none, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                    GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(FN(gss_export_sec_context)(&minor, &none, &out), GSS_S_NO_CONTEXT);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_INVALID_ARG);
    CU_ASSERT_EQUAL(FN(gss_delete_sec_context)(&minor, &none, GSS_C_NO_BUFFER), GSS_S_COMPLETE);
}

/* Both sides of one exchange, run through the module's entry points. */
struct pair {
    gss_cred_id_t icred, acred;
    gss_ctx_id_t ictx, actx;
    gss_name_t src;
};

static void
establish(struct pair *p)
{
    static const char user[] = TEST_DOMAIN "\\" TEST_USER, service[] = "HTTP@testhost.example";
    gss_buffer_desc ubuf = {sizeof(user) - 1, (void *)user};
    gss_buffer_desc sbuf = {sizeof(service) - 1, (void *)service};
    gss_buffer_desc pw = {strlen(TEST_PASSWORD), TEST_PASSWORD};
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_name_t uname = GSS_C_NO_NAME, target = GSS_C_NO_NAME;
    OM_uint32 minor, imaj = GSS_S_CONTINUE_NEEDED, amaj = GSS_S_CONTINUE_NEEDED, flags = 0;
    int round;

    memset(p, 0, sizeof(*p));
    CU_ASSERT_EQUAL_FATAL(FN(gss_import_name)(&minor, &ubuf, GSS_C_NT_USER_NAME, &uname),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(
        ((__typeof__(&gss_acquire_cred_with_password))entry("gssspi_acquire_cred_with_password"))(
            &minor, uname, &pw, 0, GSS_C_NO_OID_SET, GSS_C_INITIATE, &p->icred, NULL, NULL),
        GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(FN(gss_acquire_cred)(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                               GSS_C_ACCEPT, &p->acred, NULL, NULL),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(FN(gss_import_name)(&minor, &sbuf, GSS_C_NT_HOSTBASED_SERVICE, &target),
                          GSS_S_COMPLETE);
    for (round = 0; round < 3 && (imaj == GSS_S_CONTINUE_NEEDED || amaj != GSS_S_COMPLETE);
         round++) {
        imaj = FN(gss_init_sec_context)(&minor, p->icred, &p->ictx, target, &ntlm_oid,
                                        GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, 0,
                                        GSS_C_NO_CHANNEL_BINDINGS, &in, NULL, &out, NULL, NULL);
        gss_release_buffer(&minor, &in);
        if (GSS_ERROR(imaj) || out.length == 0)
            break;
        amaj =
            FN(gss_accept_sec_context)(&minor, &p->actx, p->acred, &out, GSS_C_NO_CHANNEL_BINDINGS,
                                       &p->src, NULL, &in, &flags, NULL, NULL);
        gss_release_buffer(&minor, &out);
        if (GSS_ERROR(amaj))
            break;
    }
    gss_release_buffer(&minor, &in);
    gss_release_buffer(&minor, &out);
    FN(gss_release_name)(&minor, &uname);
    FN(gss_release_name)(&minor, &target);
    CU_ASSERT_EQUAL_FATAL(imaj, GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(amaj, GSS_S_COMPLETE);
    CU_ASSERT_TRUE(flags & GSS_C_CONF_FLAG);
}

static void
finish(struct pair *p)
{
    OM_uint32 minor;

    FN(gss_delete_sec_context)(&minor, &p->ictx, GSS_C_NO_BUFFER);
    FN(gss_delete_sec_context)(&minor, &p->actx, GSS_C_NO_BUFFER);
    FN(gss_release_name)(&minor, &p->src);
    FN(gss_release_cred)(&minor, &p->icred);
    FN(gss_release_cred)(&minor, &p->acred);
    CU_ASSERT_PTR_NULL(p->icred);
}

static void
test_an_exchange_and_its_names_and_credentials_run_through_the_exports(void)
{
    struct pair p;
    gss_buffer_desc shown = GSS_C_EMPTY_BUFFER, exp = GSS_C_EMPTY_BUFFER;
    gss_name_t copy = GSS_C_NO_NAME, cname = GSS_C_NO_NAME;
    gss_cred_usage_t usage = GSS_C_BOTH;
    OM_uint32 minor, life = 0, flags = 0, ilife = 0, alife = 0;
    int equal = 0, initiated = -1, open = 0, mn = 0;

    establish(&p);
    CU_ASSERT_EQUAL(FN(gss_display_name)(&minor, p.src, &shown, NULL), GSS_S_COMPLETE);
    CU_ASSERT_TRUE(shown.length == strlen(TEST_DOMAIN "\\" TEST_USER) &&
                   memcmp(shown.value, TEST_DOMAIN "\\" TEST_USER, shown.length) == 0);
    CU_ASSERT_EQUAL(FN(gss_duplicate_name)(&minor, p.src, &copy), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(FN(gss_compare_name)(&minor, p.src, copy, &equal), GSS_S_COMPLETE);
    CU_ASSERT_TRUE(equal);
    CU_ASSERT_EQUAL(FN(gss_export_name)(&minor, copy, &exp), GSS_S_COMPLETE);
    CU_ASSERT_NOT_EQUAL(exp.length, 0);
    CU_ASSERT_EQUAL(FN(gss_inquire_name)(&minor, copy, &mn, NULL, NULL), GSS_S_COMPLETE);
    CU_ASSERT_TRUE(mn);
    CU_ASSERT_EQUAL(
        FN(gss_inquire_context)(&minor, p.ictx, NULL, NULL, &life, NULL, &flags, &initiated, &open),
        GSS_S_COMPLETE);
    CU_ASSERT_TRUE(initiated == 1 && open && life > 0 && (flags & GSS_C_CONF_FLAG));
    CU_ASSERT_EQUAL(FN(gss_context_time)(&minor, p.actx, &life), GSS_S_COMPLETE);
    CU_ASSERT_TRUE(life > 0);
    CU_ASSERT_EQUAL(FN(gss_inquire_cred)(&minor, p.icred, &cname, NULL, &usage, NULL),
                    GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(usage, GSS_C_INITIATE);
    CU_ASSERT_EQUAL(
        FN(gss_inquire_cred_by_mech)(&minor, p.acred, &ntlm_oid, NULL, &ilife, &alife, &usage),
        GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(usage, GSS_C_ACCEPT);
    CU_ASSERT_EQUAL(ilife, 0);
    /* Credential options are refused, never routed back into the mechglue. */
    CU_ASSERT_EQUAL(
        ((set_cred_option_fn)entry("gssspi_set_cred_option"))(&minor, &p.icred, &ntlm_oid, &shown),
        GSS_S_UNAVAILABLE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_UNSUPPORTED_OPTION);
    gss_release_buffer(&minor, &shown);
    gss_release_buffer(&minor, &exp);
    FN(gss_release_name)(&minor, &copy);
    FN(gss_release_name)(&minor, &cname);
    finish(&p);
}

static void
test_protection_and_context_transfer_run_through_the_exports(void)
{
    struct pair p;
    char data[] = "sealed in place";
    gss_buffer_desc in = {5, "hello"}, tok = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc blob = GSS_C_EMPTY_BUFFER;
    gss_buffer_set_t ikey = GSS_C_NO_BUFFER_SET, akey = GSS_C_NO_BUFFER_SET;
    uint8_t sig[16];
    gss_iov_buffer_desc iov[2] = {{GSS_IOV_BUFFER_TYPE_HEADER, {sizeof(sig), sig}},
                                  {GSS_IOV_BUFFER_TYPE_DATA, {sizeof(data) - 1, data}}};
    gss_iov_buffer_desc mic[2] = {{GSS_IOV_BUFFER_TYPE_DATA, {sizeof(data) - 1, data}},
                                  {GSS_IOV_BUFFER_TYPE_MIC_TOKEN, {sizeof(sig), sig}}};
    OM_uint32 minor, limit = 0;
    int conf = 0;

    establish(&p);
    CU_ASSERT_EQUAL(FN(gss_wrap)(&minor, p.ictx, 1, 0, &in, &conf, &tok), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(conf, 1);
    CU_ASSERT_EQUAL(FN(gss_unwrap)(&minor, p.actx, &tok, &out, NULL, NULL), GSS_S_COMPLETE);
    CU_ASSERT_TRUE(out.length == 5 && memcmp(out.value, "hello", 5) == 0);
    gss_release_buffer(&minor, &tok);
    gss_release_buffer(&minor, &out);
    CU_ASSERT_EQUAL(FN(gss_get_mic)(&minor, p.actx, 0, &in, &tok), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(FN(gss_verify_mic)(&minor, p.ictx, &in, &tok, NULL), GSS_S_COMPLETE);
    gss_release_buffer(&minor, &tok);
    iov[0].buffer.length = 0;
    CU_ASSERT_EQUAL(FN(gss_wrap_iov_length)(&minor, p.ictx, 1, 0, NULL, iov, 2), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(iov[0].buffer.length, sizeof(sig));
    CU_ASSERT_EQUAL(FN(gss_wrap_iov)(&minor, p.ictx, 1, 0, &conf, iov, 2), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(FN(gss_unwrap_iov)(&minor, p.actx, &conf, NULL, iov, 2), GSS_S_COMPLETE);
    CU_ASSERT_STRING_EQUAL(data, "sealed in place");
    /* The token last: a wrapper that dropped the count would not find it. */
    mic[1].buffer.length = 0;
    CU_ASSERT_EQUAL(FN(gss_get_mic_iov_length)(&minor, p.ictx, 0, mic, 2), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(mic[1].buffer.length, sizeof(sig));
    CU_ASSERT_EQUAL(FN(gss_get_mic_iov)(&minor, p.ictx, 0, mic, 2), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(FN(gss_verify_mic_iov)(&minor, p.actx, NULL, mic, 2), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(FN(gss_wrap_size_limit)(&minor, p.ictx, 1, 0, 100, &limit), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(limit, 100 - sizeof(sig));
    /* Both sides hold the same session key; SSPI reads it with this OID. */
    CU_ASSERT_EQUAL(
        FN(gss_inquire_sec_context_by_oid)(&minor, p.ictx, GSS_C_INQ_SSPI_SESSION_KEY, &ikey),
        GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(
        FN(gss_inquire_sec_context_by_oid)(&minor, p.actx, GSS_C_INQ_SSPI_SESSION_KEY, &akey),
        GSS_S_COMPLETE);
    CU_ASSERT_TRUE(ikey->elements[0].length == 16 &&
                   memcmp(ikey->elements[0].value, akey->elements[0].value, 16) == 0);
    CU_ASSERT(GSS_ERROR(FN(gss_set_sec_context_option)(&minor, &p.ictx, &ntlm_oid, &in)));
    /* The acceptor moves through a blob and reads what the initiator sends next. */
    CU_ASSERT_EQUAL(FN(gss_export_sec_context)(&minor, &p.actx, &blob), GSS_S_COMPLETE);
    CU_ASSERT_PTR_NULL(p.actx);
    CU_ASSERT_EQUAL(FN(gss_import_sec_context)(&minor, &blob, &p.actx), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(FN(gss_wrap)(&minor, p.ictx, 1, 0, &in, NULL, &tok), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(FN(gss_unwrap)(&minor, p.actx, &tok, &out, NULL, NULL), GSS_S_COMPLETE);
    gss_release_buffer(&minor, &tok);
    gss_release_buffer(&minor, &out);
    gss_release_buffer(&minor, &blob);
    gss_release_buffer_set(&minor, &ikey);
    gss_release_buffer_set(&minor, &akey);
    finish(&p);
}

static void
test_mechanism_wide_answers_run_through_the_exports(void)
{
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER, sasl = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc name = GSS_C_EMPTY_BUFFER, desc = GSS_C_EMPTY_BUFFER;
    gss_OID_set set = GSS_C_NO_OID_SET, known = GSS_C_NO_OID_SET;
    gss_OID oid = GSS_C_NO_OID, other = &ntlm_oid;
    release_oid_fn release_oid = (release_oid_fn)entry("gss_internal_release_oid");
    OM_uint32 minor, ctx = 0;
    int present = 0;

    CU_ASSERT_EQUAL(FN(gss_display_status)(&minor, NTLM_ERR_WRONG_PASSWORD, GSS_C_MECH_CODE,
                                           &ntlm_oid, &ctx, &text),
                    GSS_S_COMPLETE);
    CU_ASSERT_STRING_EQUAL(text.value, "wrong password");
    gss_release_buffer(&minor, &text);
    CU_ASSERT_EQUAL(FN(gss_indicate_mechs)(&minor, &set), GSS_S_COMPLETE);
    gss_test_oid_set_member(&minor, &ntlm_oid, set, &present);
    CU_ASSERT_TRUE(present);
    gss_release_oid_set(&minor, &set);
    CU_ASSERT_EQUAL(FN(gss_inquire_names_for_mech)(&minor, &ntlm_oid, &set), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(set->count, 4);
    gss_release_oid_set(&minor, &set);
    CU_ASSERT_EQUAL(FN(gss_inquire_attrs_for_mech)(&minor, &ntlm_oid, &set, &known),
                    GSS_S_COMPLETE);
    CU_ASSERT_TRUE(set->count > 0 && known->count == set->count);
    gss_release_oid_set(&minor, &set);
    gss_release_oid_set(&minor, &known);
    CU_ASSERT_EQUAL(FN(gss_inquire_saslname_for_mech)(&minor, &ntlm_oid, &sasl, &name, &desc),
                    GSS_S_COMPLETE);
    CU_ASSERT_STRING_EQUAL(sasl.value, "GS2-NTLM");
    CU_ASSERT_STRING_EQUAL(name.value, "NTLM");
    CU_ASSERT_EQUAL(FN(gss_inquire_mech_for_saslname)(&minor, &sasl, &oid), GSS_S_COMPLETE);
    /* The OID the module hands out is its static one, which only it may release. */
    CU_ASSERT_TRUE(oid != GSS_C_NO_OID && oid->length == ntlm_oid.length &&
                   memcmp(oid->elements, ntlm_oid.elements, ntlm_oid.length) == 0);
    CU_ASSERT_EQUAL(release_oid(&minor, &other), GSS_S_CONTINUE_NEEDED);
    CU_ASSERT_PTR_EQUAL(other, &ntlm_oid);
    CU_ASSERT_EQUAL(release_oid(&minor, &oid), GSS_S_COMPLETE);
    CU_ASSERT_PTR_NULL(oid);
    gss_release_buffer(&minor, &sasl);
    gss_release_buffer(&minor, &name);
    gss_release_buffer(&minor, &desc);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"every entry point it defines resolves into the module",
         test_every_entry_point_it_defines_resolves_into_the_module},
        {"NegoEx, table and internal names are not the module's",
         test_negoex_table_and_internal_names_are_not_the_module_s},
        {"entry points refuse a missing context with NO_CONTEXT",
         test_entry_points_refuse_a_missing_context_with_no_context},
        {"an exchange and its names and credentials run through the exports",
         test_an_exchange_and_its_names_and_credentials_run_through_the_exports},
        {"protection and context transfer run through the exports",
         test_protection_and_context_transfer_run_through_the_exports},
        {"mechanism-wide answers run through the exports",
         test_mechanism_wide_answers_run_through_the_exports},
        CU_TEST_INFO_NULL,
    };
    const char *path = getenv("SSPIGSS_MODULE");
    struct link_map *map = NULL;
    int status;

    if (path == NULL) {
        fprintf(stderr, "SSPIGSS_MODULE is not set: run through make check\n");
        return 99;
    }
    /* As MIT's mechglue opens a module (krb5int_open_plugin). */
    module = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (module == NULL || dlinfo(module, RTLD_DI_LINKMAP, &map) != 0) {
        fprintf(stderr, "%s: %s\n", path, dlerror());
        return 99;
    }
    module_path = map->l_name;
    status = gss_test_env_run_suite("ntlm_exports", tests);
    dlclose(module);
    return status;
}
