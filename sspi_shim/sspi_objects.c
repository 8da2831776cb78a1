/* Reference counting and release of credential and context objects. */
#include "sspi_objects.h"

#include <stdlib.h>

#include "sspi_handles.h"

struct sspi_cred *
sspi_cred_from_handle(const CredHandle *h)
{
    return sspi_handle_get(h, SSPI_HANDLE_CREDENTIAL);
}

struct sspi_ctx *
sspi_ctx_from_handle(const CtxtHandle *h)
{
    return sspi_handle_get(h, SSPI_HANDLE_CONTEXT);
}

struct sspi_cred *
sspi_cred_ref(struct sspi_cred *cred)
{
    if (cred != NULL)
        __atomic_add_fetch(&cred->refs, 1, __ATOMIC_RELAXED);
    return cred;
}

void
sspi_cred_unref(struct sspi_cred *cred)
{
    OM_uint32 min;

    if (cred == NULL || __atomic_sub_fetch(&cred->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    gss_release_cred(&min, &cred->gss);
    free(cred->user);
    free(cred);
}

void
sspi_ctx_free(struct sspi_ctx *ctx)
{
    OM_uint32 min;

    if (ctx == NULL)
        return;
    gss_delete_sec_context(&min, &ctx->gss, GSS_C_NO_BUFFER);
    gss_release_name(&min, &ctx->target);
    gss_release_name(&min, &ctx->peer);
    gss_release_cred(&min, &ctx->delegated);
    gss_release_buffer(&min, &ctx->pending);
    sspi_cred_unref(ctx->cred);
    free(ctx);
}

const struct sspi_package *
sspi_ctx_package(const struct sspi_ctx *ctx)
{
    const struct sspi_package *actual = sspi_package_for_mech(ctx->mech);

    return actual != NULL && actual->id != SSPI_PKG_NEGOTIATE ? actual : ctx->pkg;
}
