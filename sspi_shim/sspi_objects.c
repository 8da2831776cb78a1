/* Reference counting and release of credential and context objects. */
#include "sspi_objects.h"

#include <stddef.h>
#include <stdlib.h>

#include "sspi_handles.h"

/* The table hands out struct sspi_ref pointers; the objects begin with one. */
_Static_assert(offsetof(struct sspi_cred, ref) == 0, "sspi_ref first");
_Static_assert(offsetof(struct sspi_ctx, ref) == 0, "sspi_ref first");

struct sspi_cred *
sspi_cred_from_handle(const CredHandle *h)
{
    return (struct sspi_cred *)sspi_handle_get(h, SSPI_HANDLE_CREDENTIAL);
}

struct sspi_ctx *
sspi_ctx_from_handle(const CtxtHandle *h)
{
    return (struct sspi_ctx *)sspi_handle_get(h, SSPI_HANDLE_CONTEXT);
}

bool
sspi_cred_handle_free(const CredHandle *h)
{
    struct sspi_ref *ref = sspi_handle_remove(h, SSPI_HANDLE_CREDENTIAL);

    sspi_ref_drop(ref);
    return ref != NULL;
}

bool
sspi_ctx_handle_free(const CtxtHandle *h)
{
    struct sspi_ref *ref = sspi_handle_remove(h, SSPI_HANDLE_CONTEXT);

    sspi_ref_drop(ref);
    return ref != NULL;
}

static void
cred_free(struct sspi_ref *ref)
{
    struct sspi_cred *cred = (struct sspi_cred *)ref;
    OM_uint32 min;

    gss_release_cred(&min, &cred->gss);
    gss_release_cred(&min, &cred->acceptor);
    pthread_mutex_destroy(&cred->lock);
    free(cred->user);
    free(cred);
}

struct sspi_cred *
sspi_cred_new(const struct sspi_package *pkg, ULONG use)
{
    struct sspi_cred *cred = calloc(1, sizeof(*cred));

    if (cred == NULL)
        return NULL;
    if (pthread_mutex_init(&cred->lock, NULL) != 0) {
        free(cred);
        return NULL;
    }
    sspi_ref_init(&cred->ref, cred_free);
    cred->pkg = pkg;
    cred->use = use;
    cred->gss = GSS_C_NO_CREDENTIAL;
    cred->acceptor = GSS_C_NO_CREDENTIAL;
    return cred;
}

gss_cred_id_t
sspi_cred_for_accept(struct sspi_cred *cred)
{
    gss_OID_desc mechs[3];
    gss_OID_set_desc set = {0, mechs};
    gss_cred_id_t acceptor;
    OM_uint32 minor;

    if (cred->gss != GSS_C_NO_CREDENTIAL)
        return cred->gss;
    pthread_mutex_lock(&cred->lock);
    if (!cred->acceptor_tried) {
        cred->acceptor_tried = true;
        /* Negotiate also takes raw NTLM and Kerberos first tokens, so it holds all three. */
        if (cred->pkg->id == SSPI_PKG_NEGOTIATE) {
            mechs[set.count++] = *sspi_mech_spnego;
            mechs[set.count++] = *sspi_mech_ntlm;
            mechs[set.count++] = *sspi_mech_krb5;
        } else {
            mechs[set.count++] = *cred->pkg->mech;
        }
        if (gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &set, GSS_C_ACCEPT,
                             &cred->acceptor, NULL, NULL) != GSS_S_COMPLETE)
            cred->acceptor = GSS_C_NO_CREDENTIAL;
    }
    acceptor = cred->acceptor;
    pthread_mutex_unlock(&cred->lock);
    return acceptor;
}

struct sspi_cred *
sspi_cred_ref(struct sspi_cred *cred)
{
    if (cred != NULL)
        sspi_ref_take(&cred->ref);
    return cred;
}

void
sspi_cred_unref(struct sspi_cred *cred)
{
    if (cred != NULL)
        sspi_ref_drop(&cred->ref);
}

static void
ctx_free(struct sspi_ref *ref)
{
    struct sspi_ctx *ctx = (struct sspi_ctx *)ref;
    OM_uint32 min;

    gss_delete_sec_context(&min, &ctx->gss, GSS_C_NO_BUFFER);
    gss_release_name(&min, &ctx->target);
    gss_release_name(&min, &ctx->peer);
    gss_release_cred(&min, &ctx->delegated);
    gss_release_buffer(&min, &ctx->pending);
    sspi_cred_unref(ctx->cred);
    free(ctx);
}

struct sspi_ctx *
sspi_ctx_new(void)
{
    struct sspi_ctx *ctx = calloc(1, sizeof(*ctx));

    if (ctx != NULL)
        sspi_ref_init(&ctx->ref, ctx_free);
    return ctx;
}

void
sspi_ctx_unref(struct sspi_ctx *ctx)
{
    if (ctx != NULL)
        sspi_ref_drop(&ctx->ref);
}

const struct sspi_package *
sspi_ctx_package(const struct sspi_ctx *ctx)
{
    const struct sspi_package *actual = sspi_package_for_mech(ctx->mech);

    return actual != NULL && actual->id != SSPI_PKG_NEGOTIATE ? actual : ctx->pkg;
}
