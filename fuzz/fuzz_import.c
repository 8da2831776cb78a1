/*
 * libFuzzer target: the input is an exported context blob (mech/gss/ntlm_serialize.c, without the
 * mechglue's OID prefix) handed to the module's gss_import_sec_context directly, from the
 * module's own objects. An imported context then seals, signs and checks a forged signature
 * (which must fail and leave the stream as it was), and goes through export and import again:
 *
 *   export(import(input)) = first; export(import(first)) must give first again
 *
 * so every field the importer keeps is written back exactly and a blob of an older version,
 * once read, is stable.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_gss.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Formats 1 and 2 replay up to 16 MiB of keystream per stream, a second or more under the
 * sanitizers: inputs asking for more than this much replay are skipped, so that runs explore
 * parsing rather than RC4. The bound itself is tests/gss/test_gss_export.c's job.
 */
#define MAX_FUZZ_REPLAY (UINT64_C(1) << 16)

static uint64_t
le64_at(const uint8_t *p)
{
    uint64_t v = 0;
    int i;

    for (i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* A format 1 or 2 blob whose keystream positions (offsets 49 and 57) fall inside the bound. */
static bool
cheap_to_replay(const uint8_t *data, size_t size)
{
    uint64_t send, recv;

    if (size < 65 || data[4] > 2 || data[5] != 0 || data[6] != 0 || data[7] != 0)
        return true;
    send = le64_at(data + 49);
    recv = le64_at(data + 57);
    return (send <= MAX_FUZZ_REPLAY || send > (UINT64_C(1) << 24)) &&
           (recv <= MAX_FUZZ_REPLAY || recv > (UINT64_C(1) << 24));
}

/* Exports *ctx (consumed) and imports the result into *ctx again; the blob goes to *out. */
static void
reexport(gss_ctx_id_t *ctx, gss_buffer_desc *out)
{
    OM_uint32 maj, min;

    maj = ntlm_gss_export_sec_context(&min, ctx, out);
    check(maj == GSS_S_COMPLETE, "an imported context exports");
    check(*ctx == GSS_C_NO_CONTEXT, "export consumes the context");
    maj = ntlm_gss_import_sec_context(&min, out, ctx);
    check(maj == GSS_S_COMPLETE, "an exported blob imports");
}

/* Seals and signs a message, then offers a forged MIC: the context must stay usable. */
static void
protect(gss_ctx_id_t ctx)
{
    static char text[] = "a message after import";
    gss_buffer_desc msg = {sizeof(text) - 1, text}, tok = GSS_C_EMPTY_BUFFER;
    /* Version 1 and a MAC that is not the all-zero dummy of contexts without signing. */
    uint8_t forged[16] = {1, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef};
    gss_buffer_desc forged_tok = {sizeof(forged), forged};
    OM_uint32 maj, min;

    maj = ntlm_gss_wrap(&min, ctx, 1, GSS_C_QOP_DEFAULT, &msg, NULL, &tok);
    free(tok.value);
    tok = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
    if (GSS_ERROR(maj))
        return;
    maj = ntlm_gss_get_mic(&min, ctx, GSS_C_QOP_DEFAULT, &msg, &tok);
    free(tok.value);
    if (GSS_ERROR(maj))
        return;
    maj = ntlm_gss_verify_mic(&min, ctx, &msg, &forged_tok, NULL);
    check(maj != GSS_S_COMPLETE, "a forged signature does not verify");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gss_buffer_desc in = {size, (void *)data}, first = GSS_C_EMPTY_BUFFER,
                    second = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    OM_uint32 maj, min;

    if (!cheap_to_replay(data, size))
        return 0;
    maj = ntlm_gss_import_sec_context(&min, &in, &ctx);
    if (maj != GSS_S_COMPLETE) {
        check(ctx == GSS_C_NO_CONTEXT, "a refused blob leaves no context");
        check(maj == GSS_S_DEFECTIVE_TOKEN || maj == GSS_S_FAILURE, "refusals are clean");
        return 0;
    }
    reexport(&ctx, &first);
    reexport(&ctx, &second);
    check(same_bytes(first.value, first.length, second.value, second.length),
          "export(import(blob)) is stable");
    protect(ctx);
    ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    free(first.value);
    free(second.value);
    return 0;
}
