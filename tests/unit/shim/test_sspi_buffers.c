/* SecBufferDesc parsing: buffer lookup, channel bindings and output token delivery. */
#include <stdlib.h>
#include <string.h>

#include "sspi_buffers.h"
#include "test_util.h"

static void
test_find_buffer_ignores_attribute_bits_and_takes_the_first(void)
{
    char a[4], b[4];
    SecBuffer bufs[3] = {{4, SECBUFFER_DATA | SECBUFFER_READONLY, a},
                         {4, SECBUFFER_TOKEN, b},
                         {4, SECBUFFER_DATA, b}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 3, bufs};

    CU_ASSERT_PTR_EQUAL(sspi_find_buffer(&desc, SECBUFFER_DATA), &bufs[0]);
    CU_ASSERT_PTR_EQUAL(sspi_find_buffer(&desc, SECBUFFER_TOKEN), &bufs[1]);
    CU_ASSERT_PTR_NULL(sspi_find_buffer(&desc, SECBUFFER_PADDING));
    CU_ASSERT_PTR_NULL(sspi_find_buffer(NULL, SECBUFFER_TOKEN));
    desc.ulVersion = 1;
    CU_ASSERT_FALSE(sspi_desc_valid(&desc));
    CU_ASSERT_PTR_NULL(sspi_find_buffer(&desc, SECBUFFER_TOKEN));
    desc.ulVersion = SECBUFFER_VERSION;
    desc.pBuffers = NULL;
    CU_ASSERT_FALSE(sspi_desc_valid(&desc));
}

/* A SEC_CHANNEL_BINDINGS block with application data "tls-server-end-point:xyz". */
static unsigned char *
bindings_block(ULONG *size, ULONG app_offset, ULONG app_len)
{
    static const char app[] = "tls-server-end-point:xyz";
    SEC_CHANNEL_BINDINGS hdr = {0};
    unsigned char *block = calloc(1, sizeof(hdr) + sizeof(app));

    hdr.cbApplicationDataLength = app_len;
    hdr.dwApplicationDataOffset = app_offset;
    memcpy(block, &hdr, sizeof(hdr));
    memcpy(block + sizeof(hdr), app, sizeof(app) - 1);
    *size = (ULONG)(sizeof(hdr) + sizeof(app) - 1);
    return block;
}

static void
test_channel_bindings_become_gss_bindings(void)
{
    ULONG size;
    unsigned char *block = bindings_block(&size, sizeof(SEC_CHANNEL_BINDINGS), 24);
    SecBuffer bufs[2] = {{0, SECBUFFER_TOKEN, NULL}, {size, SECBUFFER_CHANNEL_BINDINGS, block}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    struct gss_channel_bindings_struct cb;
    bool present = false;

    CU_ASSERT_EQUAL(sspi_channel_bindings(&desc, &cb, &present), SEC_E_OK);
    CU_ASSERT_TRUE(present);
    CU_ASSERT_EQUAL(cb.application_data.length, 24);
    CU_ASSERT(memcmp(cb.application_data.value, "tls-server-end-point:xyz", 24) == 0);
    CU_ASSERT_EQUAL(cb.initiator_address.length, 0);
    CU_ASSERT_EQUAL(cb.acceptor_address.length, 0);
    free(block);
}

static void
test_channel_bindings_outside_their_buffer_are_bad_bindings(void)
{
    static const ULONG cases[][2] = {{32, 25}, {57, 1}, {0xffffffffu, 2}, {40, 0xfffffff0u}};
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ULONG size;
        unsigned char *block = bindings_block(&size, cases[i][0], cases[i][1]);
        SecBuffer buf = {size, SECBUFFER_CHANNEL_BINDINGS, block};
        SecBufferDesc desc = {SECBUFFER_VERSION, 1, &buf};
        struct gss_channel_bindings_struct cb;
        bool present;

        CU_ASSERT_EQUAL(sspi_channel_bindings(&desc, &cb, &present), SEC_E_BAD_BINDINGS);
        free(block);
    }
}

static void
test_missing_channel_bindings_are_not_an_error(void)
{
    SecBuffer buf = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc desc = {SECBUFFER_VERSION, 1, &buf};
    struct gss_channel_bindings_struct cb;
    bool present = true;
    SecBuffer short_buf = {8, SECBUFFER_CHANNEL_BINDINGS, "12345678"};
    SecBufferDesc short_desc = {SECBUFFER_VERSION, 1, &short_buf};

    CU_ASSERT_EQUAL(sspi_channel_bindings(&desc, &cb, &present), SEC_E_OK);
    CU_ASSERT_FALSE(present);
    CU_ASSERT_EQUAL(sspi_channel_bindings(NULL, &cb, &present), SEC_E_OK);
    CU_ASSERT_EQUAL(sspi_channel_bindings(&short_desc, &cb, &present), SEC_E_BAD_BINDINGS);
}

static void
test_tokens_go_to_caller_buffers_or_allocated_memory(void)
{
    char space[8] = "--------";
    SecBuffer buf = {sizeof(space), SECBUFFER_TOKEN, space};
    SecBufferDesc desc = {SECBUFFER_VERSION, 1, &buf};
    gss_buffer_desc token = {5, "hello"}, big = {9, "too large"}, empty = {0, NULL};

    CU_ASSERT_EQUAL(sspi_deliver_token(&desc, false, &token), SEC_E_OK);
    CU_ASSERT_EQUAL(buf.cbBuffer, 5);
    CU_ASSERT(memcmp(space, "hello", 5) == 0);
    buf.cbBuffer = sizeof(space);
    CU_ASSERT_EQUAL(sspi_deliver_token(&desc, false, &big), SEC_E_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(buf.cbBuffer, sizeof(space)); /* untouched, so the caller can retry */
    CU_ASSERT_EQUAL(sspi_deliver_token(&desc, false, &empty), SEC_E_OK);
    CU_ASSERT_EQUAL(buf.cbBuffer, 0);
    CU_ASSERT_EQUAL(sspi_deliver_token(&desc, true, &big), SEC_E_OK);
    CU_ASSERT_EQUAL(buf.cbBuffer, 9);
    CU_ASSERT(buf.pvBuffer != space && memcmp(buf.pvBuffer, "too large", 9) == 0);
    CU_ASSERT_EQUAL(FreeContextBuffer(buf.pvBuffer), SEC_E_OK);
    buf.BufferType = SECBUFFER_DATA;
    CU_ASSERT_EQUAL(sspi_deliver_token(&desc, false, &token), SEC_E_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(sspi_deliver_token(NULL, true, &token), SEC_E_BUFFER_TOO_SMALL);
    /* No token to hand out needs no token buffer: Windows' last AcceptSecurityContext leg
     * takes pOutput = NULL (issue 14). */
    CU_ASSERT_EQUAL(sspi_deliver_token(NULL, false, &empty), SEC_E_OK);
    CU_ASSERT_EQUAL(sspi_deliver_token(&desc, false, &empty), SEC_E_OK);
}

static CU_TestInfo tests[] = {
    {"find buffer ignores attribute bits and takes the first",
     test_find_buffer_ignores_attribute_bits_and_takes_the_first},
    {"channel bindings become GSS bindings", test_channel_bindings_become_gss_bindings},
    {"channel bindings outside their buffer are bad bindings",
     test_channel_bindings_outside_their_buffer_are_bad_bindings},
    {"missing channel bindings are not an error", test_missing_channel_bindings_are_not_an_error},
    {"tokens go to caller buffers or allocated memory",
     test_tokens_go_to_caller_buffers_or_allocated_memory},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("sspi_buffers", tests);
}
