/*
 * libFuzzer target: libsspi's SecBufferDesc handling (sspi_find_buffer, sspi_channel_bindings,
 * sspi_deliver_token) on a desc built from the input. Every buffer gets its own exact-size
 * allocation, so a read or write past cbBuffer is caught. Input layout:
 *
 *   offset  size  field
 *   ------  ----  --------------------------------------------------------------------------
 *        0     1  buffer count (mod 9: 0..8)
 *        1     1  desc flags: bit 0 ulVersion 1 (invalid), bit 1 pBuffers NULL (invalid)
 *        2     1  length of the token to deliver (mod 33)
 *        3     -  per buffer: BufferType (le32, attribute bits included), cbBuffer (le16, cut
 *                 to what is left), flags (bit 0: pvBuffer NULL), then cbBuffer bytes of
 *                 contents (for SECBUFFER_CHANNEL_BINDINGS: the SEC_CHANNEL_BINDINGS header
 *                 and the data its offsets point into)
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sspi_buffers.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_BUFFERS 8
#define MAX_TOKEN 32

/* Where the bytes read from binding fields go, so that the reads are not optimised away. */
static volatile unsigned char sink;

struct input {
    const uint8_t *p;
    size_t left;
};

static uint8_t
take_u8(struct input *in)
{
    uint8_t v = 0;

    if (in->left > 0) {
        v = *in->p++;
        in->left--;
    }
    return v;
}

static uint32_t
take_le(struct input *in, unsigned bytes)
{
    uint32_t v = 0;
    unsigned i;

    for (i = 0; i < bytes; i++)
        v |= (uint32_t)take_u8(in) << (8 * i);
    return v;
}

/* Whether a binding field points inside the channel-bindings buffer; reads all its bytes. */
static void
check_field(const gss_buffer_desc *field, const SecBuffer *buf)
{
    const unsigned char *start = buf->pvBuffer, *p = field->value;
    unsigned char sum = 0;
    size_t i;

    if (field->length == 0)
        return;
    check(p >= start && (size_t)(p - start) <= buf->cbBuffer &&
              field->length <= buf->cbBuffer - (size_t)(p - start),
          "a binding field lies inside its buffer");
    for (i = 0; i < field->length; i++)
        sum ^= p[i];
    sink ^= sum;
}

static void
find_all(PSecBufferDesc desc)
{
    static const ULONG extra_types[] = {31, 0x0fffffff, SECBUFFER_ATTRMASK | SECBUFFER_TOKEN,
                                        0xffffffff};
    ULONG type;
    size_t i;

    for (type = SECBUFFER_EMPTY; type <= SECBUFFER_CHANNEL_BINDINGS_RESULT; type++) {
        SecBuffer *found = sspi_find_buffer(desc, type);

        if (found == NULL)
            continue;
        check(found >= desc->pBuffers && found < desc->pBuffers + desc->cBuffers,
              "a found buffer is one of the desc's");
        check((found->BufferType & ~SECBUFFER_ATTRMASK) == type, "a found buffer has the type");
    }
    for (i = 0; i < sizeof(extra_types) / sizeof(extra_types[0]); i++)
        (void)sspi_find_buffer(desc, extra_types[i]);
}

static void
bindings(PSecBufferDesc desc)
{
    struct gss_channel_bindings_struct cb;
    SecBuffer *buf;
    bool present = true;

    memset(&cb, 0, sizeof(cb));
    if (sspi_channel_bindings(desc, &cb, &present) != SEC_E_OK || !present)
        return;
    buf = sspi_find_buffer(desc, SECBUFFER_CHANNEL_BINDINGS);
    check(buf != NULL && buf->pvBuffer != NULL, "bindings come from a buffer");
    check_field(&cb.initiator_address, buf);
    check_field(&cb.acceptor_address, buf);
    check_field(&cb.application_data, buf);
}

/* Delivers token, checks what the caller sees, then puts the desc back as it was. */
static void
deliver(PSecBufferDesc desc, SecBuffer *saved, bool allocate, const uint8_t *token, size_t len)
{
    gss_buffer_desc tok = {len, (void *)token};
    SecBuffer *out;
    SECURITY_STATUS st;

    st = sspi_deliver_token(desc, allocate, &tok);
    out = sspi_find_buffer(desc, SECBUFFER_TOKEN);
    /* An empty token needs no TOKEN buffer (Windows' last ASC leg takes pOutput = NULL). */
    if (st == SEC_E_OK && out == NULL)
        check(len == 0, "only an empty token goes without a buffer");
    else if (st == SEC_E_OK) {
        check(out->cbBuffer == len, "the token length is reported");
        check(len == 0 || memcmp(out->pvBuffer, token, len) == 0, "the token is delivered");
    }
    if (allocate && out != NULL && out->pvBuffer != saved[out - desc->pBuffers].pvBuffer)
        FreeContextBuffer(out->pvBuffer);
    if (desc->cBuffers > 0 && desc->pBuffers != NULL)
        memcpy(desc->pBuffers, saved, desc->cBuffers * sizeof(*saved));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t token_bytes[MAX_TOKEN] = "NTLMSSP\0\x01\0\0\0\x07\x82\x08\xa2"
                                                  "0123456789abcdef";
    struct input in = {data, size};
    SecBuffer buffers[MAX_BUFFERS], saved[MAX_BUFFERS];
    SecBufferDesc desc;
    struct gss_channel_bindings_struct cb;
    ULONG count, i;
    uint8_t desc_flags;
    size_t token_len;
    bool present;

    memset(buffers, 0, sizeof(buffers));
    count = take_u8(&in) % (MAX_BUFFERS + 1);
    desc_flags = take_u8(&in);
    token_len = take_u8(&in) % (MAX_TOKEN + 1);
    for (i = 0; i < count; i++) {
        size_t len;
        uint8_t flags;

        buffers[i].BufferType = take_le(&in, 4);
        len = take_le(&in, 2);
        flags = take_u8(&in);
        if (len > in.left)
            len = in.left;
        buffers[i].cbBuffer = (ULONG)len;
        if (flags & 1)
            continue; /* a NULL buffer that claims a length: the shim must not touch it */
        buffers[i].pvBuffer = malloc(len);
        if (buffers[i].pvBuffer == NULL && len > 0)
            goto done;
        memcpy(buffers[i].pvBuffer, in.p, len);
        in.p += len;
        in.left -= len;
    }
    desc.ulVersion = (desc_flags & 1) ? 1 : SECBUFFER_VERSION;
    desc.cBuffers = count;
    desc.pBuffers = (desc_flags & 2) ? NULL : buffers;
    memcpy(saved, buffers, sizeof(saved));

    check(sspi_desc_valid(&desc) == (!(desc_flags & 1) && (count == 0 || !(desc_flags & 2))),
          "a desc is valid when its version and array are");
    find_all(&desc);
    bindings(&desc);
    deliver(&desc, saved, false, token_bytes, token_len);
    deliver(&desc, saved, true, token_bytes, token_len);

    /* No desc at all. */
    check(sspi_find_buffer(NULL, SECBUFFER_TOKEN) == NULL, "no desc, no buffer");
    present = true;
    check(sspi_channel_bindings(NULL, &cb, &present) == SEC_E_OK && !present,
          "no desc, no bindings");

done:
    /* deliver() put every pointer back, so these are the allocations made above. */
    for (i = 0; i < count; i++)
        free(buffers[i].pvBuffer);
    return 0;
}
