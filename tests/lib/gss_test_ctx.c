/* Established NTLM contexts built by hand (gss_test_ctx.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "gss_test_ctx.h"

struct ntlm_ctx *
gss_test_ctx(bool initiator, uint32_t flags)
{
    struct ntlm_ctx *ctx = calloc(1, sizeof(*ctx));
    uint8_t key[16];

    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
    memset(key, 0x55, sizeof(key));
    ctx->initiator = initiator;
    CU_ASSERT_EQUAL_FATAL(ntlm_ctx_start_session(ctx, flags, key), 0);
    ctx->ret_flags = ntlm_ctx_gss_flags(flags, 0);
    ctx->stage = NTLM_STAGE_ESTABLISHED;
    ctx->expiry = time(NULL) + 3600;
    return ctx;
}
