/*
 * The objects behind credential and context handles, shared by the files that implement the
 * SSPI entry points. A context holds a reference on its credential, so the caller may free the
 * credential handle between legs as Windows allows.
 */
#ifndef SSPI_OBJECTS_H
#define SSPI_OBJECTS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <gssapi/gssapi.h>

#include "sspi.h"
#include "sspi_handles.h"
#include "sspi_packages.h"

struct sspi_cred {
    struct sspi_ref ref; /* first: the handle table holds objects by it */
    const struct sspi_package *pkg;
    ULONG use;         /* SECPKG_CRED_INBOUND / OUTBOUND / BOTH */
    gss_cred_id_t gss; /* GSS_C_NO_CREDENTIAL: the mechanism's default, found on use */
    char *user;        /* "DOMAIN\user" given in the identity, or NULL */
    /* The default acceptor credential, acquired once by the first accept that needs it. */
    pthread_mutex_t lock;
    bool acceptor_tried;
    gss_cred_id_t acceptor;
};

struct sspi_ctx {
    struct sspi_ref ref;            /* first: the handle table holds objects by it */
    const struct sspi_package *pkg; /* the package asked for */
    struct sspi_cred *cred;
    bool initiator;
    bool established;
    gss_ctx_id_t gss;
    gss_name_t target; /* initiator: the target as imported */
    gss_name_t peer;   /* acceptor: the authenticated client */
    gss_OID mech;      /* the mechanism that was negotiated (mechglue's static) */
    gss_cred_id_t delegated;
    /* Negotiate initiator over NTLM: complete for the caller, as on Windows, while SPNEGO still
     * expects the acceptor's last token (its mechListMIC), verified if the caller passes it. */
    bool awaiting_final;
    ULONG req_flags;     /* ISC_REQ / ASC_REQ the caller asked for */
    ULONG attrs;         /* the last ISC_RET / ASC_RET reported */
    OM_uint32 gss_flags; /* GSS ret_flags */
    OM_uint32 lifetime;  /* seconds, at establishment */
    time_t established_at;
    /* An output token the caller's buffer could not hold: handed out on the retry. */
    gss_buffer_desc pending;
    SECURITY_STATUS pending_status;
    /* ImpersonateSecurityContext state of the thread that impersonates, if any */
    bool impersonating;
    /* The logon session id its tokens report (TokenStatistics), set by the first; 0 before. */
    uint64_t logon_id;
};

/*
 * Looks up a live handle and takes a reference on its object, which the caller drops with
 * sspi_cred_unref / sspi_ctx_unref; NULL when stale, forged or of the other kind.
 */
struct sspi_cred *sspi_cred_from_handle(const CredHandle *h);
struct sspi_ctx *sspi_ctx_from_handle(const CtxtHandle *h);
/* FreeCredentialsHandle, DeleteSecurityContext: ends the handle, drops the table's reference;
 * false when the handle is not live. Users holding a reference keep the object until done. */
bool sspi_cred_handle_free(const CredHandle *h);
bool sspi_ctx_handle_free(const CtxtHandle *h);

/* A credential object with one reference and no GSS credential yet; NULL without memory. */
struct sspi_cred *sspi_cred_new(const struct sspi_package *pkg, ULONG use);
struct sspi_cred *sspi_cred_ref(struct sspi_cred *cred);
/*
 * The GSS credential an acceptor context uses: the one acquired with the handle, else the
 * package's default acceptor credential, acquired on first use and kept, so that the mechglue
 * and SPNEGO do not look the defaults up again on every call. GSS_C_NO_CREDENTIAL when no
 * default can be had (each accept then reports why).
 */
gss_cred_id_t sspi_cred_for_accept(struct sspi_cred *cred);
void sspi_cred_unref(struct sspi_cred *cred);
/* A zeroed context object with one reference; NULL without memory. */
struct sspi_ctx *sspi_ctx_new(void);
/* Drops a reference; the last one releases the GSS context and the credential reference. */
void sspi_ctx_unref(struct sspi_ctx *ctx);

/* The package a context actually uses: the negotiated mechanism's, else the requested one. */
const struct sspi_package *sspi_ctx_package(const struct sspi_ctx *ctx);

#endif
