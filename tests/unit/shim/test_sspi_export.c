/*
 * sspi_export.c: ExportSecurityContext packs an established context as a 40-byte header
 * (magic, version, package, side, the SSPI flags and times) in front of
 * gss_export_sec_context's token; ImportSecurityContext checks every header field, and that
 * the token inside agrees with it, before a handle exists. The contexts are raw NTLM ones
 * from sspi_unit_ctx (gss_test_env's world) behind handles.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gss_test_env.h"
#include "sspi_objects.h"
#include "sspi_unit_ctx.h"
#include "test_util.h"

#define HEADER_SIZE 40
/* Header offsets (the layout table in sspi_export.c). */
#define AT_VERSION 4
#define AT_PACKAGE 6
#define AT_BITS 8
#define AT_REQ 12
#define AT_ATTRS 16
#define AT_GSS_FLAGS 20
#define AT_LIFETIME 24
#define AT_ESTABLISHED 28
#define AT_TOKEN_LEN 36

#define REQ_FLAGS (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_ALLOCATE_MEMORY)
#define ESTABLISHED_AT ((time_t)1765000000)

static uint32_t
le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/*
 * A live NTLM context handle of one side of a fresh exchange, with SSPI fields of known values
 * for the header to carry; the other side is deleted.
 */
static void
established(bool initiator, CtxtHandle *h)
{
    CtxtHandle client, server;
    struct sspi_ctx *ctx;

    CU_ASSERT_TRUE_FATAL(
        sspi_unit_ctx_pair("NTLM", GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, &client, &server));
    *h = initiator ? client : server;
    sspi_unit_ctx_free(initiator ? &server : &client);
    ctx = sspi_ctx_from_handle(h);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
    ctx->req_flags = REQ_FLAGS;
    ctx->attrs = ISC_RET_CONFIDENTIALITY | ISC_RET_INTEGRITY;
    ctx->gss_flags = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
    ctx->lifetime = 3600;
    ctx->established_at = ESTABLISHED_AT;
    sspi_ctx_unref(ctx);
}

/* The packed form of a fresh context of that side; its handle is deleted. */
static SecBuffer
packed(bool initiator)
{
    SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
    CtxtHandle h;

    established(initiator, &h);
    CU_ASSERT_EQUAL_FATAL(ExportSecurityContext(&h, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &out, NULL),
                          SEC_E_OK);
    return out;
}

static SECURITY_STATUS
import(const char *package, const void *data, size_t len)
{
    SecBuffer in = {(ULONG)len, SECBUFFER_EMPTY, (void *)data};
    CtxtHandle h = {0, 0};
    SECURITY_STATUS status = ImportSecurityContextA((LPSTR)package, &in, NULL, &h);

    if (status == SEC_E_OK)
        CU_ASSERT_TRUE(sspi_ctx_handle_free(&h));
    return status;
}

static void
test_only_a_complete_context_is_exported(void)
{
    SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
    CtxtHandle h, forged = {12345, 678};
    struct sspi_ctx *ctx;

    established(true, &h);
    ctx = sspi_ctx_from_handle(&h);
    CU_ASSERT_EQUAL(ExportSecurityContext(&forged, 0, &out, NULL), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(ExportSecurityContext(&h, 0, NULL, NULL), SEC_E_INVALID_PARAMETER);
    /* A reset context is more than GSS-API can give. */
    CU_ASSERT_EQUAL(ExportSecurityContext(&h, SECPKG_CONTEXT_EXPORT_RESET_NEW, &out, NULL),
                    SEC_E_UNSUPPORTED_FUNCTION);
    /* An output token the caller has yet to take is part of the context. */
    ctx->pending.length = 1;
    CU_ASSERT_EQUAL(ExportSecurityContext(&h, 0, &out, NULL), SEC_E_INVALID_HANDLE);
    ctx->pending.length = 0;
    ctx->established = false;
    CU_ASSERT_EQUAL(ExportSecurityContext(&h, 0, &out, NULL), SEC_E_INVALID_HANDLE);
    CU_ASSERT_PTR_NULL(out.pvBuffer);
    sspi_ctx_unref(ctx);
    CU_ASSERT_TRUE(sspi_ctx_handle_free(&h));
}

static void
test_the_packed_header_keeps_what_sspi_knows(void)
{
    SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
    void *token = (void *)&out;
    CtxtHandle h;
    struct sspi_ctx *ctx;
    const uint8_t *p;

    established(true, &h);
    CU_ASSERT_EQUAL_FATAL(ExportSecurityContext(&h, 0, &out, &token), SEC_E_OK);
    p = out.pvBuffer;
    CU_ASSERT_EQUAL(out.BufferType, SECBUFFER_EMPTY);
    CU_ASSERT_PTR_NULL(token);
    CU_ASSERT_FATAL(out.cbBuffer > HEADER_SIZE);
    CU_ASSERT_EQUAL(memcmp(p, "SSPX", 4), 0);
    CU_ASSERT_EQUAL(p[AT_VERSION] | p[AT_VERSION + 1] << 8, 1);
    CU_ASSERT_EQUAL(p[AT_PACKAGE] | p[AT_PACKAGE + 1] << 8, 10);
    CU_ASSERT_EQUAL(le32(p + AT_BITS), 1);
    CU_ASSERT_EQUAL(le32(p + AT_REQ), REQ_FLAGS);
    CU_ASSERT_EQUAL(le32(p + AT_ATTRS), ISC_RET_CONFIDENTIALITY | ISC_RET_INTEGRITY);
    CU_ASSERT_EQUAL(le32(p + AT_GSS_FLAGS), GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG);
    CU_ASSERT_EQUAL(le32(p + AT_LIFETIME), 3600);
    CU_ASSERT_EQUAL(le32(p + AT_ESTABLISHED), (uint32_t)ESTABLISHED_AT);
    CU_ASSERT_EQUAL(le32(p + AT_ESTABLISHED + 4), 0);
    CU_ASSERT_EQUAL(le32(p + AT_TOKEN_LEN), out.cbBuffer - HEADER_SIZE);
    FreeContextBuffer(out.pvBuffer);
    /* The GSS context went with the export: the handle stays, for deleting only. */
    ctx = sspi_ctx_from_handle(&h);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
    CU_ASSERT_FALSE(ctx->established);
    CU_ASSERT_PTR_EQUAL(ctx->gss, GSS_C_NO_CONTEXT);
    sspi_ctx_unref(ctx);
    CU_ASSERT_EQUAL(ExportSecurityContext(&h, 0, &out, NULL), SEC_E_INVALID_HANDLE);
    CU_ASSERT_TRUE(sspi_ctx_handle_free(&h));
}

static void
test_delete_old_ends_the_exported_handle(void)
{
    SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
    CtxtHandle h;

    established(false, &h);
    CU_ASSERT_EQUAL_FATAL(ExportSecurityContext(&h, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &out, NULL),
                          SEC_E_OK);
    CU_ASSERT_EQUAL(le32((uint8_t *)out.pvBuffer + AT_BITS), 0); /* the acceptor's side */
    CU_ASSERT_PTR_NULL(sspi_ctx_from_handle(&h));
    CU_ASSERT_FALSE(sspi_ctx_handle_free(&h));
    FreeContextBuffer(out.pvBuffer);
}

static void
test_an_imported_initiator_is_the_exported_one(void)
{
    SecBuffer in = packed(true);
    CtxtHandle h = {0, 0};
    struct sspi_ctx *ctx;

    CU_ASSERT_EQUAL_FATAL(ImportSecurityContextA("NTLM", &in, NULL, &h), SEC_E_OK);
    FreeContextBuffer(in.pvBuffer);
    ctx = sspi_ctx_from_handle(&h);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
    CU_ASSERT_TRUE(ctx->initiator);
    CU_ASSERT_TRUE(ctx->established);
    CU_ASSERT_PTR_EQUAL(ctx->pkg, sspi_package_find("NTLM"));
    CU_ASSERT_PTR_EQUAL(sspi_ctx_package(ctx), ctx->pkg);
    CU_ASSERT_EQUAL(ctx->req_flags, REQ_FLAGS);
    CU_ASSERT_EQUAL(ctx->attrs, ISC_RET_CONFIDENTIALITY | ISC_RET_INTEGRITY);
    CU_ASSERT_EQUAL(ctx->gss_flags, GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG);
    CU_ASSERT_EQUAL(ctx->lifetime, 3600);
    CU_ASSERT_EQUAL(ctx->established_at, ESTABLISHED_AT);
    /* A credential of its own, with the initiator's name, and the target from the token. */
    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx->cred);
    CU_ASSERT_EQUAL(ctx->cred->use, SECPKG_CRED_OUTBOUND);
    CU_ASSERT_PTR_NOT_NULL(ctx->cred->user);
    CU_ASSERT_PTR_NOT_NULL(ctx->target);
    CU_ASSERT_PTR_NULL(ctx->peer);
    sspi_ctx_unref(ctx);
    CU_ASSERT_TRUE(sspi_ctx_handle_free(&h));
}

static void
test_an_imported_acceptor_knows_its_client(void)
{
    static const SEC_WCHAR ntlm[] = {'N', 'T', 'L', 'M', 0};
    SecBuffer in = packed(false);
    CtxtHandle h = {0, 0};
    struct sspi_ctx *ctx;

    CU_ASSERT_EQUAL_FATAL(ImportSecurityContextW((LPWSTR)ntlm, &in, NULL, &h), SEC_E_OK);
    FreeContextBuffer(in.pvBuffer);
    ctx = sspi_ctx_from_handle(&h);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
    CU_ASSERT_FALSE(ctx->initiator);
    CU_ASSERT_EQUAL(ctx->cred->use, SECPKG_CRED_INBOUND);
    CU_ASSERT_PTR_NOT_NULL(ctx->peer);
    CU_ASSERT_PTR_NULL(ctx->target);
    sspi_ctx_unref(ctx);
    CU_ASSERT_TRUE(sspi_ctx_handle_free(&h));
}

static void
test_import_checks_its_arguments_before_the_bytes(void)
{
    SecBuffer in = {HEADER_SIZE, SECBUFFER_EMPTY, NULL};
    CtxtHandle h;

    CU_ASSERT_EQUAL(ImportSecurityContextA("Digest", &in, NULL, &h), SEC_E_SECPKG_NOT_FOUND);
    CU_ASSERT_EQUAL(ImportSecurityContextA(NULL, &in, NULL, &h), SEC_E_SECPKG_NOT_FOUND);
    CU_ASSERT_EQUAL(ImportSecurityContextW(NULL, &in, NULL, &h), SEC_E_SECPKG_NOT_FOUND);
    CU_ASSERT_EQUAL(ImportSecurityContextA("NTLM", NULL, NULL, &h), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ImportSecurityContextA("NTLM", &in, NULL, NULL), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ImportSecurityContextA("NTLM", &in, NULL, &h), SEC_E_INVALID_TOKEN);
}

static void
test_every_header_field_is_checked(void)
{
    SecBuffer good = packed(true);
    size_t len = good.cbBuffer, cut;
    uint8_t *bad = malloc(len + 1);

    CU_ASSERT_PTR_NOT_NULL_FATAL(bad);
#define EXPECT_REFUSED(change, n)                                                                  \
    do {                                                                                           \
        memcpy(bad, good.pvBuffer, len);                                                           \
        change;                                                                                    \
        CU_ASSERT_EQUAL(import("NTLM", bad, (n)), SEC_E_INVALID_TOKEN);                            \
    } while (0)
    EXPECT_REFUSED(bad[0] = 'X', len);
    EXPECT_REFUSED(bad[AT_VERSION] = 2, len);
    EXPECT_REFUSED(bad[AT_PACKAGE] = 16, len); /* Kerberos' packed context */
    EXPECT_REFUSED(bad[AT_BITS] = 3, len);
    EXPECT_REFUSED(put_le32(bad + AT_TOKEN_LEN, 0), len);
    EXPECT_REFUSED(put_le32(bad + AT_TOKEN_LEN, (uint32_t)(len - HEADER_SIZE + 1)), len);
    EXPECT_REFUSED(bad[len] = 0, len + 1); /* a byte past the token */
    for (cut = 0; cut < len; cut++)
        EXPECT_REFUSED((void)0, cut);
#undef EXPECT_REFUSED
    /* The untouched bytes import. */
    CU_ASSERT_EQUAL(import("NTLM", good.pvBuffer, len), SEC_E_OK);
    free(bad);
    FreeContextBuffer(good.pvBuffer);
}

static void
test_the_token_must_agree_with_its_header(void)
{
    SecBuffer good = packed(true);
    size_t len = good.cbBuffer;
    uint8_t *p = malloc(len);

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    /* An initiator's token under an acceptor's header. */
    memcpy(p, good.pvBuffer, len);
    p[AT_BITS] = 0;
    CU_ASSERT_EQUAL(import("NTLM", p, len), SEC_E_INVALID_TOKEN);
    /* NTLM's token under Kerberos' header and name. */
    memcpy(p, good.pvBuffer, len);
    p[AT_PACKAGE] = 16;
    CU_ASSERT_EQUAL(import("Kerberos", p, len), SEC_E_INVALID_TOKEN);
    /* Negotiate's context may have negotiated NTLM. */
    p[AT_PACKAGE] = 9;
    CU_ASSERT_EQUAL(import("Negotiate", p, len), SEC_E_OK);
    /* Garbage under a good header is no GSS context. */
    memset(p + HEADER_SIZE, 0x41, len - HEADER_SIZE);
    p[AT_PACKAGE] = 10;
    CU_ASSERT_EQUAL(import("NTLM", p, len), SEC_E_INVALID_TOKEN);
    free(p);
    FreeContextBuffer(good.pvBuffer);
}

static CU_TestInfo tests[] = {
    {"only a complete context is exported", test_only_a_complete_context_is_exported},
    {"the packed header keeps what SSPI knows", test_the_packed_header_keeps_what_sspi_knows},
    {"DELETE_OLD ends the exported handle", test_delete_old_ends_the_exported_handle},
    {"an imported initiator is the exported one", test_an_imported_initiator_is_the_exported_one},
    {"an imported acceptor knows its client", test_an_imported_acceptor_knows_its_client},
    {"import checks its arguments before the bytes",
     test_import_checks_its_arguments_before_the_bytes},
    {"every header field is checked", test_every_header_field_is_checked},
    {"the token must agree with its header", test_the_token_must_agree_with_its_header},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return gss_test_env_run_suite("sspi_export", tests);
}
