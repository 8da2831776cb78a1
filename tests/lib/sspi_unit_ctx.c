/* Established NTLM contexts behind SSPI handles, for shim unit suites. */
#include "sspi_unit_ctx.h"

#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>
#include <gssapi/gssapi.h>

#include "gss_test_env.h"
#include "sspi_handles.h"
#include "sspi_packages.h"

struct sspi_ctx *
sspi_unit_ctx_new(const char *package, bool initiator)
{
    const struct sspi_package *pkg = sspi_package_find(package);
    struct sspi_ctx *ctx = sspi_ctx_new();

    CU_ASSERT_FATAL(pkg != NULL && ctx != NULL);
    ctx->pkg = pkg;
    ctx->initiator = initiator;
    ctx->cred = sspi_cred_new(pkg, initiator ? SECPKG_CRED_OUTBOUND : SECPKG_CRED_INBOUND);
    CU_ASSERT_FATAL(ctx->cred != NULL);
    return ctx;
}

CtxtHandle
sspi_unit_ctx_handle(struct sspi_ctx *ctx)
{
    CtxtHandle h;

    memset(&h, 0, sizeof(h));
    CU_ASSERT_EQUAL(sspi_handle_new(SSPI_HANDLE_CONTEXT, &ctx->ref, &h), SEC_E_OK);
    /* the table holds its own reference now */
    sspi_ctx_unref(ctx);
    return h;
}

/* Marks ctx established over gss as sspi_context.c does after the last leg. */
static void
establish(struct sspi_ctx *ctx, gss_ctx_id_t gss)
{
    OM_uint32 minor, lifetime = 0, flags = 0;

    ctx->gss = gss;
    ctx->mech = sspi_mech_ntlm;
    ctx->established = true;
    ctx->established_at = time(NULL);
    CU_ASSERT_EQUAL(
        gss_inquire_context(&minor, gss, NULL, NULL, &lifetime, NULL, &flags, NULL, NULL),
        GSS_S_COMPLETE);
    ctx->lifetime = lifetime;
    ctx->gss_flags = flags;
    if (!ctx->initiator)
        gss_inquire_context(&minor, gss, &ctx->peer, NULL, NULL, NULL, NULL, NULL, NULL);
}

bool
sspi_unit_ctx_pair(const char *package, OM_uint32 req_flags, CtxtHandle *client, CtxtHandle *server)
{
    gss_cred_id_t cred = gss_test_password_cred(TEST_DOMAIN "\\" TEST_USER, TEST_PASSWORD);
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    struct sspi_ctx *c, *s;
    OM_uint32 minor;
    int ok;

    ok = gss_test_establish(cred, req_flags, &ictx, &actx);
    gss_release_cred(&minor, &cred);
    CU_ASSERT_TRUE(ok);
    if (!ok) {
        gss_delete_sec_context(&minor, &ictx, GSS_C_NO_BUFFER);
        gss_delete_sec_context(&minor, &actx, GSS_C_NO_BUFFER);
        return false;
    }
    c = sspi_unit_ctx_new(package, true);
    s = sspi_unit_ctx_new(package, false);
    establish(c, ictx);
    establish(s, actx);
    *client = sspi_unit_ctx_handle(c);
    *server = sspi_unit_ctx_handle(s);
    return true;
}

void
sspi_unit_ctx_free(CtxtHandle *h)
{
    CU_ASSERT_TRUE(sspi_ctx_handle_free(h));
}
