/*
 * sspi_objects.c: the credential and context objects behind handles, their references (a
 * context keeps its credential; a handle freed while a caller holds the object leaves it to
 * that caller), the default acceptor credential acquired once per credential, and the package a
 * context reports. Runs in gss_test_env's world, where the NTLM acceptor has a default
 * credential and Kerberos has no keytab.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "gss_test_env.h"
#include "sspi_objects.h"
#include "test_util.h"

/* Any non-NULL value stands for a credential the table must hand back untouched. */
#define FAKE_CRED ((gss_cred_id_t)(uintptr_t)0x5eed)

static unsigned
refs(const struct sspi_ref *ref)
{
    return ref->count;
}

static void
test_a_new_credential_has_one_reference_and_no_gss_credential(void)
{
    const struct sspi_package *ntlm = sspi_package_find("NTLM");
    struct sspi_cred *cred = sspi_cred_new(ntlm, SECPKG_CRED_BOTH);

    CU_ASSERT_PTR_NOT_NULL_FATAL(cred);
    CU_ASSERT_EQUAL(refs(&cred->ref), 1);
    CU_ASSERT_PTR_EQUAL(cred->pkg, ntlm);
    CU_ASSERT_EQUAL(cred->use, SECPKG_CRED_BOTH);
    CU_ASSERT_PTR_EQUAL(cred->gss, GSS_C_NO_CREDENTIAL);
    CU_ASSERT_PTR_EQUAL(cred->acceptor, GSS_C_NO_CREDENTIAL);
    CU_ASSERT_FALSE(cred->acceptor_tried);
    CU_ASSERT_PTR_NULL(cred->user);
    sspi_cred_unref(cred);
}

static void
test_a_credential_handle_hands_out_references_until_it_is_freed(void)
{
    struct sspi_cred *cred = sspi_cred_new(sspi_package_find("NTLM"), SECPKG_CRED_OUTBOUND);
    CredHandle h;

    CU_ASSERT_PTR_NOT_NULL_FATAL(cred);
    CU_ASSERT_EQUAL_FATAL(sspi_handle_new(SSPI_HANDLE_CREDENTIAL, &cred->ref, &h), SEC_E_OK);
    CU_ASSERT_EQUAL(refs(&cred->ref), 2);
    CU_ASSERT_PTR_EQUAL(sspi_cred_from_handle(&h), cred);
    CU_ASSERT_EQUAL(refs(&cred->ref), 3);
    sspi_cred_unref(cred);
    /* A credential handle is no context handle. */
    CU_ASSERT_PTR_NULL(sspi_ctx_from_handle(&h));
    CU_ASSERT_FALSE(sspi_ctx_handle_free(&h));
    CU_ASSERT_EQUAL(refs(&cred->ref), 2);
    CU_ASSERT_TRUE(sspi_cred_handle_free(&h));
    CU_ASSERT_EQUAL(refs(&cred->ref), 1);
    /* The holder keeps the object; the handle is gone. */
    CU_ASSERT_PTR_NULL(sspi_cred_from_handle(&h));
    CU_ASSERT_FALSE(sspi_cred_handle_free(&h));
    CU_ASSERT_EQUAL(refs(&cred->ref), 1);
    sspi_cred_unref(cred);
}

static void
test_references_on_nothing_are_nothing(void)
{
    CU_ASSERT_PTR_NULL(sspi_cred_ref(NULL));
    sspi_cred_unref(NULL);
    sspi_ctx_unref(NULL);
    CU_ASSERT_PTR_NULL(sspi_cred_from_handle(NULL));
    CU_ASSERT_FALSE(sspi_cred_handle_free(NULL));
}

static void
test_a_credential_kept_with_its_handle_is_the_one_accept_uses(void)
{
    struct sspi_cred *cred = sspi_cred_new(sspi_package_find("NTLM"), SECPKG_CRED_INBOUND);

    CU_ASSERT_PTR_NOT_NULL_FATAL(cred);
    cred->gss = FAKE_CRED;
    CU_ASSERT_PTR_EQUAL(sspi_cred_for_accept(cred), FAKE_CRED);
    CU_ASSERT_FALSE(cred->acceptor_tried);
    cred->gss = GSS_C_NO_CREDENTIAL;
    sspi_cred_unref(cred);
}

static void
test_the_default_acceptor_credential_is_acquired_once(void)
{
    struct sspi_cred *cred = sspi_cred_new(sspi_package_find("NTLM"), SECPKG_CRED_INBOUND);
    gss_cred_id_t first;

    CU_ASSERT_PTR_NOT_NULL_FATAL(cred);
    first = sspi_cred_for_accept(cred);
    CU_ASSERT_PTR_NOT_EQUAL(first, GSS_C_NO_CREDENTIAL);
    CU_ASSERT_TRUE(cred->acceptor_tried);
    CU_ASSERT_PTR_EQUAL(sspi_cred_for_accept(cred), first);
    sspi_cred_unref(cred);
}

static void
test_a_default_that_cannot_be_had_is_not_looked_up_again(void)
{
    struct sspi_cred *cred = sspi_cred_new(sspi_package_find("Kerberos"), SECPKG_CRED_INBOUND);

    CU_ASSERT_PTR_NOT_NULL_FATAL(cred);
    /* The world has no keytab. */
    CU_ASSERT_PTR_EQUAL(sspi_cred_for_accept(cred), GSS_C_NO_CREDENTIAL);
    CU_ASSERT_TRUE(cred->acceptor_tried);
    /* Were it looked up again it would fail again; what is kept is what the next call gets. */
    cred->acceptor = FAKE_CRED;
    CU_ASSERT_PTR_EQUAL(sspi_cred_for_accept(cred), FAKE_CRED);
    cred->acceptor = GSS_C_NO_CREDENTIAL;
    sspi_cred_unref(cred);
}

static bool
has_mech(gss_OID_set set, gss_OID mech)
{
    int present = 0;
    OM_uint32 minor;

    return gss_test_oid_set_member(&minor, mech, set, &present) == GSS_S_COMPLETE && present;
}

static void
test_a_negotiate_acceptor_holds_spnego_and_raw_ntlm(void)
{
    struct sspi_cred *cred = sspi_cred_new(sspi_package_find("Negotiate"), SECPKG_CRED_INBOUND);
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    gss_cred_id_t acceptor;
    OM_uint32 minor;

    CU_ASSERT_PTR_NOT_NULL_FATAL(cred);
    acceptor = sspi_cred_for_accept(cred);
    CU_ASSERT_PTR_NOT_EQUAL_FATAL(acceptor, GSS_C_NO_CREDENTIAL);
    CU_ASSERT_EQUAL_FATAL(gss_inquire_cred(&minor, acceptor, NULL, NULL, NULL, &mechs),
                          GSS_S_COMPLETE);
    /* Raw NTLM first tokens reach a Negotiate acceptor too (Windows takes them). */
    CU_ASSERT_TRUE(has_mech(mechs, sspi_mech_ntlm));
    CU_ASSERT_TRUE(has_mech(mechs, sspi_mech_spnego));
    gss_release_oid_set(&minor, &mechs);
    sspi_cred_unref(cred);
}

static void
test_a_new_context_is_zeroed_with_one_reference(void)
{
    struct sspi_ctx *ctx = sspi_ctx_new();
    struct sspi_ctx zero;

    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
    CU_ASSERT_EQUAL(refs(&ctx->ref), 1);
    memset(&zero, 0, sizeof(zero));
    zero.ref = ctx->ref;
    CU_ASSERT_EQUAL(memcmp(ctx, &zero, sizeof(zero)), 0);
    sspi_ctx_unref(ctx);
}

static void
test_a_context_keeps_its_credential_until_it_goes(void)
{
    struct sspi_cred *cred = sspi_cred_new(sspi_package_find("NTLM"), SECPKG_CRED_OUTBOUND);
    struct sspi_ctx *ctx = sspi_ctx_new();
    CtxtHandle h;

    CU_ASSERT_PTR_NOT_NULL_FATAL(cred);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
    ctx->cred = sspi_cred_ref(cred);
    CU_ASSERT_EQUAL(refs(&cred->ref), 2);
    CU_ASSERT_EQUAL_FATAL(sspi_handle_new(SSPI_HANDLE_CONTEXT, &ctx->ref, &h), SEC_E_OK);
    sspi_ctx_unref(ctx); /* the handle's reference is the last */
    CU_ASSERT_PTR_NULL(sspi_cred_from_handle(&h));
    CU_ASSERT_PTR_EQUAL(sspi_ctx_from_handle(&h), ctx);
    sspi_ctx_unref(ctx);
    CU_ASSERT_EQUAL(refs(&cred->ref), 2);
    CU_ASSERT_TRUE(sspi_ctx_handle_free(&h));
    /* The context went, and with it its reference on the credential. */
    CU_ASSERT_EQUAL(refs(&cred->ref), 1);
    CU_ASSERT_PTR_NULL(sspi_ctx_from_handle(&h));
    sspi_cred_unref(cred);
}

static void
test_a_context_reports_the_package_it_negotiated(void)
{
    static gss_OID_desc other = {3, "\x2a\x03\x04"};
    struct sspi_ctx ctx;

    memset(&ctx, 0, sizeof(ctx));
    ctx.pkg = sspi_package_find("Negotiate");
    CU_ASSERT_PTR_EQUAL(sspi_ctx_package(&ctx), ctx.pkg); /* nothing negotiated yet */
    ctx.mech = sspi_mech_ntlm;
    CU_ASSERT_PTR_EQUAL(sspi_ctx_package(&ctx), sspi_package_find("NTLM"));
    ctx.mech = sspi_mech_krb5;
    CU_ASSERT_PTR_EQUAL(sspi_ctx_package(&ctx), sspi_package_find("Kerberos"));
    /* SPNEGO itself, or a mechanism of no package, is still the package asked for. */
    ctx.mech = sspi_mech_spnego;
    CU_ASSERT_PTR_EQUAL(sspi_ctx_package(&ctx), ctx.pkg);
    ctx.mech = &other;
    CU_ASSERT_PTR_EQUAL(sspi_ctx_package(&ctx), ctx.pkg);
}

static CU_TestInfo tests[] = {
    {"a new credential has one reference and no GSS credential",
     test_a_new_credential_has_one_reference_and_no_gss_credential},
    {"a credential handle hands out references until it is freed",
     test_a_credential_handle_hands_out_references_until_it_is_freed},
    {"references on nothing are nothing", test_references_on_nothing_are_nothing},
    {"a credential kept with its handle is the one accept uses",
     test_a_credential_kept_with_its_handle_is_the_one_accept_uses},
    {"the default acceptor credential is acquired once",
     test_the_default_acceptor_credential_is_acquired_once},
    {"a default that cannot be had is not looked up again",
     test_a_default_that_cannot_be_had_is_not_looked_up_again},
    {"a Negotiate acceptor holds SPNEGO and raw NTLM",
     test_a_negotiate_acceptor_holds_spnego_and_raw_ntlm},
    {"a new context is zeroed with one reference", test_a_new_context_is_zeroed_with_one_reference},
    {"a context keeps its credential until it goes",
     test_a_context_keeps_its_credential_until_it_goes},
    {"a context reports the package it negotiated",
     test_a_context_reports_the_package_it_negotiated},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return gss_test_env_run_suite("sspi_objects", tests);
}
