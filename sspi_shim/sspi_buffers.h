/*
 * SecBufferDesc handling: finding buffers by type, SECBUFFER_CHANNEL_BINDINGS into GSS channel
 * bindings, handing output tokens to callers (their buffer or ALLOCATE_MEMORY), and the
 * context buffers FreeContextBuffer releases.
 */
#ifndef SSPI_BUFFERS_H
#define SSPI_BUFFERS_H

#include <stdbool.h>
#include <stddef.h>

#include <gssapi/gssapi.h>

#include "sspi.h"

/* The first buffer of that type (attribute bits ignored) in a well-formed desc, or NULL. */
SecBuffer *sspi_find_buffer(PSecBufferDesc desc, ULONG type);
/* Whether desc is non-NULL, of SECBUFFER_VERSION, and its buffer array is present. */
bool sspi_desc_valid(const SecBufferDesc *desc);

/*
 * Reads a SECBUFFER_CHANNEL_BINDINGS buffer from input, if any, into *cb (pointing into the
 * caller's buffer). *present says whether there was one. SEC_E_BAD_BINDINGS when it is
 * malformed (offsets or lengths outside the buffer).
 */
SECURITY_STATUS sspi_channel_bindings(PSecBufferDesc input, struct gss_channel_bindings_struct *cb,
                                      bool *present);

/*
 * Puts token into the output desc's SECBUFFER_TOKEN: into memory allocated for the caller
 * when allocate (freed with FreeContextBuffer), else into the caller's buffer when it is large
 * enough. SEC_E_BUFFER_TOO_SMALL leaves the token with the caller of this function.
 * An empty token sets cbBuffer to 0, and needs no SECBUFFER_TOKEN at all.
 */
SECURITY_STATUS sspi_deliver_token(PSecBufferDesc output, bool allocate, const gss_buffer_t token);

/*
 * Context buffers: every block libsspi hands a caller to release with FreeContextBuffer (tokens,
 * packed contexts, session keys, names, package lists). Each records its size in a header in
 * front of the caller's pointer, so that FreeContextBuffer, which is given only the pointer,
 * wipes all of it before freeing. Nothing else may free them.
 */
void *sspi_context_buffer_alloc(size_t size);
/* A context-buffer copy of len bytes (len may be 0), or NULL without memory. */
void *sspi_context_buffer_dup(const void *data, size_t len);

/*
 * Called, when set, with each block FreeContextBuffer is about to free and its size:
 * sspi_token.c sets it so that a token freed that way stops being a live handle.
 */
extern void (*sspi_context_buffer_free_hook)(void *buffer, size_t size);

#endif
