/* SecBufferDesc parsing, channel bindings, output tokens and FreeContextBuffer. */
#include "sspi_buffers.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* In front of each context buffer: its size, padded so the caller's pointer is aligned as
 * malloc's. */
union context_header {
    size_t size;
    max_align_t align;
};

void *
sspi_context_buffer_alloc(size_t size)
{
    union context_header *h;

    if (size > SIZE_MAX - sizeof(*h))
        return NULL;
    h = malloc(sizeof(*h) + size);
    if (h == NULL)
        return NULL;
    h->size = size;
    return h + 1;
}

void *
sspi_context_buffer_dup(const void *data, size_t len)
{
    void *p = sspi_context_buffer_alloc(len);

    if (p != NULL && len > 0)
        memcpy(p, data, len);
    return p;
}

bool
sspi_desc_valid(const SecBufferDesc *desc)
{
    return desc != NULL && desc->ulVersion == SECBUFFER_VERSION &&
           (desc->cBuffers == 0 || desc->pBuffers != NULL);
}

SecBuffer *
sspi_find_buffer(PSecBufferDesc desc, ULONG type)
{
    ULONG i;

    if (!sspi_desc_valid(desc))
        return NULL;
    for (i = 0; i < desc->cBuffers; i++) {
        if ((desc->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == type)
            return &desc->pBuffers[i];
    }
    return NULL;
}

/* Points *out at [offset, offset + len) of the bindings block, if that lies inside it. */
static bool
binding_field(const SecBuffer *buf, ULONG offset, ULONG len, gss_buffer_desc *out)
{
    if (len == 0) {
        *out = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
        return true;
    }
    if (offset > buf->cbBuffer || len > buf->cbBuffer - offset)
        return false;
    out->value = (unsigned char *)buf->pvBuffer + offset;
    out->length = len;
    return true;
}

SECURITY_STATUS
sspi_channel_bindings(PSecBufferDesc input, struct gss_channel_bindings_struct *cb, bool *present)
{
    SecBuffer *buf = sspi_find_buffer(input, SECBUFFER_CHANNEL_BINDINGS);
    SEC_CHANNEL_BINDINGS hdr;

    *present = false;
    if (buf == NULL)
        return SEC_E_OK;
    if (buf->pvBuffer == NULL || buf->cbBuffer < sizeof(hdr))
        return SEC_E_BAD_BINDINGS;
    memcpy(&hdr, buf->pvBuffer, sizeof(hdr));
    cb->initiator_addrtype = hdr.dwInitiatorAddrType;
    cb->acceptor_addrtype = hdr.dwAcceptorAddrType;
    if (!binding_field(buf, hdr.dwInitiatorOffset, hdr.cbInitiatorLength, &cb->initiator_address) ||
        !binding_field(buf, hdr.dwAcceptorOffset, hdr.cbAcceptorLength, &cb->acceptor_address) ||
        !binding_field(buf, hdr.dwApplicationDataOffset, hdr.cbApplicationDataLength,
                       &cb->application_data))
        return SEC_E_BAD_BINDINGS;
    *present = true;
    return SEC_E_OK;
}

SECURITY_STATUS
sspi_deliver_token(PSecBufferDesc output, bool allocate, const gss_buffer_t token)
{
    SecBuffer *buf = sspi_find_buffer(output, SECBUFFER_TOKEN);

    /* Nowhere to put a token is an error only when there is one (Windows' last ASC leg). */
    if (buf == NULL)
        return token->length == 0 ? SEC_E_OK : SEC_E_BUFFER_TOO_SMALL;
    if (allocate) {
        buf->pvBuffer = NULL;
        buf->cbBuffer = 0;
        if (token->length == 0)
            return SEC_E_OK;
        buf->pvBuffer = sspi_context_buffer_alloc(token->length);
        if (buf->pvBuffer == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
    } else if (token->length > 0 && (buf->pvBuffer == NULL || buf->cbBuffer < token->length)) {
        return SEC_E_BUFFER_TOO_SMALL;
    }
    if (token->length > 0)
        memcpy(buf->pvBuffer, token->value, token->length);
    buf->cbBuffer = (ULONG)token->length;
    return SEC_E_OK;
}

/*
 * Windows frees what the package allocated; here that is always a context buffer, whose header
 * gives the size to wipe: a session key or a packed context must not outlive the call in freed
 * memory.
 */
void (*sspi_context_buffer_free_hook)(void *buffer, size_t size);

SECURITY_STATUS SEC_ENTRY
FreeContextBuffer(PVOID pvContextBuffer)
{
    void (*hook)(void *, size_t) =
        __atomic_load_n(&sspi_context_buffer_free_hook, __ATOMIC_ACQUIRE);
    union context_header *h;

    if (pvContextBuffer == NULL)
        return SEC_E_OK;
    if (hook != NULL)
        hook(pvContextBuffer, ((union context_header *)pvContextBuffer - 1)->size);
    h = (union context_header *)pvContextBuffer - 1;
    explicit_bzero(h, sizeof(*h) + h->size);
    free(h);
    return SEC_E_OK;
}
