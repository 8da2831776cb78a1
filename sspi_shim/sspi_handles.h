/*
 * The table behind CredHandle and CtxtHandle. A handle carries a slot index and a generation
 * tag, so a stale, forged or zeroed handle is SEC_E_INVALID_HANDLE, never a dereference. The
 * table holds a reference on each object and hands out references, taken under its lock, so
 * an object a thread looked up outlives a concurrent FreeCredentialsHandle or
 * DeleteSecurityContext.
 */
#ifndef SSPI_HANDLES_H
#define SSPI_HANDLES_H

#include <stdbool.h>

#include "sspi.h"

enum sspi_handle_kind {
    SSPI_HANDLE_CREDENTIAL = 1,
    SSPI_HANDLE_CONTEXT = 2,
};

/* The first member of every object behind a handle: its references and how it is freed. */
struct sspi_ref {
    unsigned count;
    void (*free)(struct sspi_ref *ref);
};

/* One reference, the caller's; free_object runs when the last one is dropped. */
void sspi_ref_init(struct sspi_ref *ref, void (*free_object)(struct sspi_ref *ref));
void sspi_ref_take(struct sspi_ref *ref);
/* Drops one reference (NULL: nothing); the last one frees the object. */
void sspi_ref_drop(struct sspi_ref *ref);

/* Fills *out with a new handle; the table takes a reference of its own on obj. */
SECURITY_STATUS sspi_handle_new(enum sspi_handle_kind kind, struct sspi_ref *obj, SecHandle *out);
/* A new reference on the object behind a live handle of that kind (drop it), or NULL. */
struct sspi_ref *sspi_handle_get(const SecHandle *handle, enum sspi_handle_kind kind);
/* Whether handle is live and of that kind, for calls that only check it. */
bool sspi_handle_live(const SecHandle *handle, enum sspi_handle_kind kind);
/* Ends a live handle and hands the table's reference to the caller (drop it), or NULL. */
struct sspi_ref *sspi_handle_remove(const SecHandle *handle, enum sspi_handle_kind kind);

#endif
