/* The probe for MIT krb5's SPNEGO mechListMIC bug (ticket 9183); see spnego_probe.h. */
#include "spnego_probe.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * The initiator's first token (RFC 2743 framing, RFC 4178 negTokenInit), offering NTLM then
 * Kerberos and carrying no mechanism token, so the acceptor picks a mechanism it has a
 * credential for and calls nothing yet:
 *
 *   offset  bytes                          field
 *   0       60 27                          [APPLICATION 0] InitialContextToken
 *   2       06 06 2b 06 01 05 05 02        thisMech: SPNEGO 1.3.6.1.5.5.2
 *   10      a0 1d                          [0] negTokenInit
 *   12      30 1b                            SEQUENCE
 *   14      a0 19                              [0] mechTypes
 *   16      30 17                                SEQUENCE OF
 *   18      06 0a 2b..0a                           NTLM 1.3.6.1.4.1.311.2.2.10
 *   30      06 09 2a..02                           Kerberos 1.2.840.113554.1.2.2
 */
static const unsigned char neg_token_init[] = {
    0x60, 0x27, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02, 0xa0, 0x1d, 0x30, 0x1b,
    0xa0, 0x19, 0x30, 0x17, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02,
    0x02, 0x0a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02,
};

/*
 * The initiator's next token: a negTokenResp holding only a mechListMIC (16 zero bytes, never
 * verified: SPNEGO checks a MIC only once the mechanism is complete):
 *
 *   offset  bytes        field
 *   0       a1 16        [1] negTokenResp
 *   2       30 14          SEQUENCE
 *   4       a3 12            [3] mechListMIC (the [4] variant: a4)
 *   6       04 10              OCTET STRING, 16 bytes
 */
#define MIC_TAG_OFFSET 4
static const unsigned char neg_token_resp[] = {
    0xa1, 0x16, 0x30, 0x14, 0xa3, 0x12, 0x04, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* The major status SPNEGO gives the negTokenResp with its mechListMIC under tag; 0 when the
 * first step failed (the probe cannot tell then). */
static OM_uint32
answer_with_mic_tag(gss_cred_id_t cred, unsigned char tag)
{
    unsigned char resp[sizeof(neg_token_resp)];
    gss_buffer_desc in = {sizeof(neg_token_init), (void *)neg_token_init};
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    OM_uint32 major, minor, ret = 0;
    size_t i;

    major = gss_accept_sec_context(&minor, &ctx, cred, &in, GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL,
                                   &out, NULL, NULL, NULL);
    gss_release_buffer(&minor, &out);
    if (major != GSS_S_CONTINUE_NEEDED)
        goto done;
    for (i = 0; i < sizeof(resp); i++)
        resp[i] = neg_token_resp[i];
    resp[MIC_TAG_OFFSET] = tag;
    in = (gss_buffer_desc){sizeof(resp), resp};
    ret = gss_accept_sec_context(&minor, &ctx, cred, &in, GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL,
                                 &out, NULL, NULL, NULL);
    gss_release_buffer(&minor, &out);
done:
    if (ctx != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
    return ret;
}

enum spnego_mic_probe
spnego_mic_probe(gss_cred_id_t acceptor_cred)
{
    OM_uint32 under3, under4;

    under3 = answer_with_mic_tag(acceptor_cred, 0xa3);
    under4 = answer_with_mic_tag(acceptor_cred, 0xa4);
    /* RFC 4178's [3] is read and the undefined [4] ignored; the bug does the reverse. */
    if (under3 == GSS_S_CONTINUE_NEEDED && under4 == GSS_S_DEFECTIVE_TOKEN)
        return SPNEGO_MIC_READ;
    if (under3 == GSS_S_DEFECTIVE_TOKEN && under4 == GSS_S_CONTINUE_NEEDED)
        return SPNEGO_MIC_TICKET_9183;
    return SPNEGO_MIC_UNKNOWN;
}
