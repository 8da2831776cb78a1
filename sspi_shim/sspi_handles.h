/*
 * The table behind CredHandle and CtxtHandle. A handle carries a slot index and a generation
 * tag, so a stale, forged or zeroed handle is SEC_E_INVALID_HANDLE, never a dereference.
 */
#ifndef SSPI_HANDLES_H
#define SSPI_HANDLES_H

#include <stdbool.h>

#include "sspi.h"

enum sspi_handle_kind {
    SSPI_HANDLE_CREDENTIAL = 1,
    SSPI_HANDLE_CONTEXT = 2,
};

/* Stores obj and fills *out. SEC_E_INSUFFICIENT_MEMORY when the table cannot grow. */
SECURITY_STATUS sspi_handle_new(enum sspi_handle_kind kind, void *obj, SecHandle *out);
/* The object behind a live handle of that kind, or NULL. */
void *sspi_handle_get(const SecHandle *handle, enum sspi_handle_kind kind);
/* Replaces the object behind a live handle (the handle stays valid); false if not live. */
bool sspi_handle_set(const SecHandle *handle, enum sspi_handle_kind kind, void *obj);
/* Ends a live handle and returns its object (the caller frees it), or NULL. */
void *sspi_handle_remove(const SecHandle *handle, enum sspi_handle_kind kind);

#endif
