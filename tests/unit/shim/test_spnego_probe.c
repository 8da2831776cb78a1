/*
 * common/spnego_probe.c: which tag the library's SPNEGO reads a mechListMIC under, told from
 * its two answers. A fake SPNEGO (gss_accept_sec_context and gss_delete_sec_context wrapped at
 * link time) plays each behaviour and checks the tokens the probe sends; the last test asks the
 * installed MIT krb5 itself, with the module loaded, and expects what its version implies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gss_test_env.h"
#include "spnego_probe.h"
#include "test_util.h"

/* The behaviour the fake SPNEGO plays; REAL passes every call to MIT's. */
static enum {
    REAL,
    READS_3,         /* RFC 4178: mechListMIC is [3] */
    READS_4,         /* ticket 9183: it looks under [4] */
    REFUSES_BOTH,    /* neither answer tells */
    FIRST_STEP_FAILS /* no acceptor for the negTokenInit's mechanisms */
} mode = REAL;

static int fake_ctx_storage;
static unsigned contexts_made, contexts_deleted, bad_tokens;

OM_uint32 __real_gss_accept_sec_context(OM_uint32 *, gss_ctx_id_t *, gss_cred_id_t, gss_buffer_t,
                                        gss_channel_bindings_t, gss_name_t *, gss_OID *,
                                        gss_buffer_t, OM_uint32 *, OM_uint32 *, gss_cred_id_t *);
OM_uint32 __wrap_gss_accept_sec_context(OM_uint32 *, gss_ctx_id_t *, gss_cred_id_t, gss_buffer_t,
                                        gss_channel_bindings_t, gss_name_t *, gss_OID *,
                                        gss_buffer_t, OM_uint32 *, OM_uint32 *, gss_cred_id_t *);
OM_uint32 __real_gss_delete_sec_context(OM_uint32 *, gss_ctx_id_t *, gss_buffer_t);
OM_uint32 __wrap_gss_delete_sec_context(OM_uint32 *, gss_ctx_id_t *, gss_buffer_t);

/* A negTokenInit (APPLICATION 0, the SPNEGO OID) offering NTLM. */
static bool
is_neg_token_init(const gss_buffer_t in)
{
    static const unsigned char spnego_oid[] = {0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};
    static const unsigned char ntlm_oid[] = {0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04,
                                             0x01, 0x82, 0x37, 0x02, 0x02, 0x0a};
    const unsigned char *p = in->value;

    return in->length > 2 + sizeof(spnego_oid) && p[0] == 0x60 && p[1] == in->length - 2 &&
           memcmp(p + 2, spnego_oid, sizeof(spnego_oid)) == 0 &&
           memmem(p, in->length, ntlm_oid, sizeof(ntlm_oid)) != NULL;
}

/* A negTokenResp holding only a 16-byte mechListMIC under [3] or [4]: its tag, else 0. */
static unsigned char
mic_only_resp_tag(const gss_buffer_t in)
{
    static const unsigned char head[] = {0xa1, 0x16, 0x30, 0x14};
    static const unsigned char mic_head[] = {0x12, 0x04, 0x10};
    const unsigned char *p = in->value;

    if (in->length != 24 || memcmp(p, head, sizeof(head)) != 0 || (p[4] != 0xa3 && p[4] != 0xa4) ||
        memcmp(p + 5, mic_head, sizeof(mic_head)) != 0)
        return 0;
    return p[4];
}

OM_uint32
__wrap_gss_accept_sec_context(OM_uint32 *minor, gss_ctx_id_t *ctx, gss_cred_id_t cred,
                              gss_buffer_t in, gss_channel_bindings_t cb, gss_name_t *src,
                              gss_OID *mech, gss_buffer_t out, OM_uint32 *flags,
                              OM_uint32 *time_rec, gss_cred_id_t *deleg)
{
    unsigned char tag, read_tag = mode == READS_3 ? 0xa3 : 0xa4;

    if (mode == REAL)
        return __real_gss_accept_sec_context(minor, ctx, cred, in, cb, src, mech, out, flags,
                                             time_rec, deleg);
    *minor = 0;
    *out = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
    if (*ctx == GSS_C_NO_CONTEXT) {
        bad_tokens += !is_neg_token_init(in);
        if (mode == FIRST_STEP_FAILS)
            return GSS_S_FAILURE;
        *ctx = (gss_ctx_id_t)&fake_ctx_storage;
        contexts_made++;
        return GSS_S_CONTINUE_NEEDED;
    }
    tag = mic_only_resp_tag(in);
    bad_tokens += tag == 0;
    return mode != REFUSES_BOTH && tag == read_tag ? GSS_S_CONTINUE_NEEDED : GSS_S_DEFECTIVE_TOKEN;
}

OM_uint32
__wrap_gss_delete_sec_context(OM_uint32 *minor, gss_ctx_id_t *ctx, gss_buffer_t out)
{
    if (*ctx != (gss_ctx_id_t)&fake_ctx_storage)
        return __real_gss_delete_sec_context(minor, ctx, out);
    contexts_deleted++;
    *ctx = GSS_C_NO_CONTEXT;
    *minor = 0;
    return GSS_S_COMPLETE;
}

/* The probe's answer under a fake behaviour; every context it opened must be gone after. */
static enum spnego_mic_probe
probe_as(int behaviour)
{
    enum spnego_mic_probe answer;

    mode = behaviour;
    contexts_made = contexts_deleted = bad_tokens = 0;
    answer = spnego_mic_probe(GSS_C_NO_CREDENTIAL);
    mode = REAL;
    CU_ASSERT_EQUAL(bad_tokens, 0);
    CU_ASSERT_EQUAL(contexts_deleted, contexts_made);
    return answer;
}

static void
test_a_library_that_reads_tag_3_is_told_apart(void)
{
    CU_ASSERT_EQUAL(probe_as(READS_3), SPNEGO_MIC_READ);
    CU_ASSERT_EQUAL(contexts_made, 2);
}

static void
test_a_library_with_ticket_9183_is_told_apart(void)
{
    CU_ASSERT_EQUAL(probe_as(READS_4), SPNEGO_MIC_TICKET_9183);
    CU_ASSERT_EQUAL(contexts_made, 2);
}

static void
test_a_library_that_refuses_both_tags_is_unknown(void)
{
    CU_ASSERT_EQUAL(probe_as(REFUSES_BOTH), SPNEGO_MIC_UNKNOWN);
}

static void
test_a_refused_first_step_is_unknown_and_sends_nothing_more(void)
{
    CU_ASSERT_EQUAL(probe_as(FIRST_STEP_FAILS), SPNEGO_MIC_UNKNOWN);
    CU_ASSERT_EQUAL(contexts_made, 0);
}

/* "1.21.3" -> 12103; -1 when the version is not known. */
static long
version_number(const char *text)
{
    unsigned major, minor, patch = 0;

    if (text == NULL || sscanf(text, "%u.%u.%u", &major, &minor, &patch) < 2)
        return -1;
    return (long)major * 10000 + minor * 100 + patch;
}

/* MIT's own SPNEGO, the module loaded: krb5 1.21.0 up to 1.22.1 have the bug, others not. */
static void
test_the_installed_krb5_answers_what_its_version_implies(void)
{
    long v = version_number(SSPIGSS_KRB5_VERSION);

    if (v < 0) {
        printf("\nSKIP: the MIT krb5 version built against is not known (\"%s\")\n",
               SSPIGSS_KRB5_VERSION);
        return;
    }
    CU_ASSERT_EQUAL(spnego_mic_probe(GSS_C_NO_CREDENTIAL),
                    v >= 12100 && v < 12202 ? SPNEGO_MIC_TICKET_9183 : SPNEGO_MIC_READ);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"a library that reads tag 3 is told apart", test_a_library_that_reads_tag_3_is_told_apart},
        {"a library with ticket 9183 is told apart", test_a_library_with_ticket_9183_is_told_apart},
        {"a library that refuses both tags is unknown",
         test_a_library_that_refuses_both_tags_is_unknown},
        {"a refused first step is unknown and sends nothing more",
         test_a_refused_first_step_is_unknown_and_sends_nothing_more},
        {"the installed krb5 answers what its version implies",
         test_the_installed_krb5_answers_what_its_version_implies},
        CU_TEST_INFO_NULL,
    };

    return gss_test_env_run_suite("spnego_probe", tests);
}
