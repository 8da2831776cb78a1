/*
 * sspi_message.c: MakeSignature, VerifySignature, EncryptMessage and DecryptMessage over an
 * NTLM pair established with the built module. Each test takes a fresh pair, since every
 * message moves the sequence numbers. The IOV calls are wrapped (--wrap) so that a mechanism
 * without them (gss-ntlmssp) can be played: what the fallbacks produce is then checked by the
 * peer's IOV path, and the other way round.
 */
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <gssapi/gssapi_ext.h>

#include "gss_test_env.h"
#include "sspi_unit_ctx.h"
#include "test_util.h"

#define SIG 16

OM_uint32 __real_gss_get_mic_iov_length(OM_uint32 *, gss_ctx_id_t, gss_qop_t, gss_iov_buffer_desc *,
                                        int);
OM_uint32 __wrap_gss_get_mic_iov_length(OM_uint32 *, gss_ctx_id_t, gss_qop_t, gss_iov_buffer_desc *,
                                        int);
OM_uint32 __real_gss_verify_mic_iov(OM_uint32 *, gss_ctx_id_t, gss_qop_t *, gss_iov_buffer_desc *,
                                    int);
OM_uint32 __wrap_gss_verify_mic_iov(OM_uint32 *, gss_ctx_id_t, gss_qop_t *, gss_iov_buffer_desc *,
                                    int);
OM_uint32 __real_gss_wrap_iov_length(OM_uint32 *, gss_ctx_id_t, int, gss_qop_t, int *,
                                     gss_iov_buffer_desc *, int);
OM_uint32 __wrap_gss_wrap_iov_length(OM_uint32 *, gss_ctx_id_t, int, gss_qop_t, int *,
                                     gss_iov_buffer_desc *, int);
OM_uint32 __real_gss_unwrap_iov(OM_uint32 *, gss_ctx_id_t, int *, gss_qop_t *,
                                gss_iov_buffer_desc *, int);
OM_uint32 __wrap_gss_unwrap_iov(OM_uint32 *, gss_ctx_id_t, int *, gss_qop_t *,
                                gss_iov_buffer_desc *, int);

/* When set, the IOV calls are missing, as in gss-ntlmssp. */
static bool no_iov;

OM_uint32
__wrap_gss_get_mic_iov_length(OM_uint32 *minor, gss_ctx_id_t ctx, gss_qop_t qop,
                              gss_iov_buffer_desc *iov, int count)
{
    return no_iov ? GSS_S_UNAVAILABLE : __real_gss_get_mic_iov_length(minor, ctx, qop, iov, count);
}

OM_uint32
__wrap_gss_verify_mic_iov(OM_uint32 *minor, gss_ctx_id_t ctx, gss_qop_t *qop,
                          gss_iov_buffer_desc *iov, int count)
{
    return no_iov ? GSS_S_UNAVAILABLE : __real_gss_verify_mic_iov(minor, ctx, qop, iov, count);
}

OM_uint32
__wrap_gss_wrap_iov_length(OM_uint32 *minor, gss_ctx_id_t ctx, int conf_req, gss_qop_t qop,
                           int *conf_state, gss_iov_buffer_desc *iov, int count)
{
    return no_iov ? GSS_S_UNAVAILABLE
                  : __real_gss_wrap_iov_length(minor, ctx, conf_req, qop, conf_state, iov, count);
}

OM_uint32
__wrap_gss_unwrap_iov(OM_uint32 *minor, gss_ctx_id_t ctx, int *conf_state, gss_qop_t *qop,
                      gss_iov_buffer_desc *iov, int count)
{
    return no_iov ? GSS_S_UNAVAILABLE
                  : __real_gss_unwrap_iov(minor, ctx, conf_state, qop, iov, count);
}

static CtxtHandle client, server;

static bool paired;

/* Each test starts with a fresh pair, as every message moves the sequence numbers. */
static bool
fresh_pair(void)
{
    paired = sspi_unit_ctx_pair("NTLM", GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG, &client, &server);
    return paired;
}

/* After each test (the suite's teardown): the pair ends, the IOV calls are back. */
static void
pair_down(void)
{
    no_iov = false;
    if (paired) {
        sspi_unit_ctx_free(&client);
        sspi_unit_ctx_free(&server);
    }
    paired = false;
}

#define DESC(bufs)                                                                                 \
    {                                                                                              \
        SECBUFFER_VERSION, sizeof(bufs) / sizeof((bufs)[0]), bufs                                  \
    }

/* Signs data on the client, in a TOKEN of token_size; the token is left in sig. */
static SECURITY_STATUS
sign(char *data, ULONG len, unsigned char *sig, ULONG token_size, ULONG *sig_len)
{
    SecBuffer bufs[2] = {{token_size, SECBUFFER_TOKEN, sig}, {len, SECBUFFER_DATA, data}};
    SecBufferDesc desc = DESC(bufs);
    SECURITY_STATUS status = MakeSignature(&client, 0, &desc, 0);

    *sig_len = bufs[0].cbBuffer;
    return status;
}

static SECURITY_STATUS
verify(char *data, ULONG len, unsigned char *sig, ULONG sig_len)
{
    SecBuffer bufs[2] = {{len, SECBUFFER_DATA, data}, {sig_len, SECBUFFER_TOKEN, sig}};
    SecBufferDesc desc = DESC(bufs);

    return VerifySignature(&server, &desc, 0, NULL);
}

static void
test_a_signature_fills_the_token_and_the_peer_verifies_it(void)
{
    char data[] = "sign me";
    unsigned char sig[64];
    ULONG sig_len = 0;

    CU_ASSERT_FATAL(fresh_pair());
    CU_ASSERT_EQUAL(sign(data, 7, sig, sizeof(sig), &sig_len), SEC_E_OK);
    CU_ASSERT_EQUAL(sig_len, SIG);
    CU_ASSERT_STRING_EQUAL(data, "sign me");
    CU_ASSERT_EQUAL(verify(data, 7, sig, sig_len), SEC_E_OK);
    /* the next message, altered, is told apart */
    CU_ASSERT_EQUAL(sign(data, 7, sig, sizeof(sig), &sig_len), SEC_E_OK);
    data[0] = 'S';
    CU_ASSERT_EQUAL(verify(data, 7, sig, sig_len), SEC_E_MESSAGE_ALTERED);
}

/* A TOKEN, a DATA, a READONLY DATA (never signed) and a READONLY_WITH_CHECKSUM one (signed). */
struct mixed {
    unsigned char sig[SIG];
    char data[5], ro[5], ck[5];
    SecBuffer bufs[4];
    SecBufferDesc desc;
};

static SecBufferDesc *
mixed_message(struct mixed *m)
{
    memcpy(m->data, "aaaa", 5);
    memcpy(m->ro, "rrrr", 5);
    memcpy(m->ck, "cccc", 5);
    m->bufs[0] = (SecBuffer){SIG, SECBUFFER_TOKEN, m->sig};
    m->bufs[1] = (SecBuffer){4, SECBUFFER_DATA, m->data};
    m->bufs[2] = (SecBuffer){4, SECBUFFER_DATA | SECBUFFER_READONLY, m->ro};
    m->bufs[3] = (SecBuffer){4, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, m->ck};
    m->desc = (SecBufferDesc){SECBUFFER_VERSION, 4, m->bufs};
    return &m->desc;
}

static void
test_readonly_buffers_are_left_out_unless_they_carry_a_checksum(void)
{
    struct mixed m;
    SecBufferDesc *desc = mixed_message(&m);

    CU_ASSERT_FATAL(fresh_pair());
    CU_ASSERT_EQUAL_FATAL(MakeSignature(&client, 0, desc, 0), SEC_E_OK);
    /* a READONLY buffer may change in transit; it was never signed */
    m.ro[0] = 'R';
    CU_ASSERT_EQUAL(VerifySignature(&server, desc, 0, NULL), SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(MakeSignature(&client, 0, desc, 0), SEC_E_OK);
    m.ck[0] = 'C';
    CU_ASSERT_EQUAL(VerifySignature(&server, desc, 0, NULL), SEC_E_MESSAGE_ALTERED);
}

static void
test_only_the_first_token_belongs_to_the_package(void)
{
    unsigned char sig[SIG], second[SIG];
    char data[] = "data";
    SecBuffer bufs[3] = {
        {SIG, SECBUFFER_TOKEN, sig}, {4, SECBUFFER_DATA, data}, {SIG, SECBUFFER_TOKEN, second}};
    SecBufferDesc desc = DESC(bufs);

    CU_ASSERT_FATAL(fresh_pair());
    memset(second, 0x5a, sizeof(second));
    CU_ASSERT_EQUAL(MakeSignature(&client, 0, &desc, 0), SEC_E_OK);
    CU_ASSERT_EQUAL(bufs[2].cbBuffer, SIG);
    CU_ASSERT_EQUAL(second[0], 0x5a);
    CU_ASSERT_EQUAL(second[SIG - 1], 0x5a);
    CU_ASSERT_EQUAL(VerifySignature(&server, &desc, 0, NULL), SEC_E_OK);
}

static void
test_a_malformed_message_is_refused_before_the_mechanism_sees_it(void)
{
    unsigned char sig[SIG];
    char data[] = "data";
    SecBuffer bufs[2] = {{SIG, SECBUFFER_TOKEN, sig}, {4, SECBUFFER_DATA, NULL}};
    SecBufferDesc desc = DESC(bufs), bad_version = {1, 2, bufs};
    SecBuffer no_token[1] = {{4, SECBUFFER_DATA, data}};
    SecBufferDesc desc_no_token = DESC(no_token);

    CU_ASSERT_FATAL(fresh_pair());
    /* a length with no memory behind it */
    CU_ASSERT_EQUAL(MakeSignature(&client, 0, &desc, 0), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(EncryptMessage(&client, 0, &desc, 0), SEC_E_INVALID_PARAMETER);
    bufs[1].pvBuffer = data;
    CU_ASSERT_EQUAL(MakeSignature(&client, 0, &bad_version, 0), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(DecryptMessage(&server, NULL, 0, NULL), SEC_E_INVALID_PARAMETER);
    /* nowhere to put or find the signature */
    CU_ASSERT_EQUAL(MakeSignature(&client, 0, &desc_no_token, 0), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(VerifySignature(&server, &desc_no_token, 0, NULL), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(EncryptMessage(&client, 0, &desc_no_token, 0), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(DecryptMessage(&server, &desc_no_token, 0, NULL), SEC_E_INVALID_TOKEN);
    /* nothing to seal */
    bufs[1].BufferType = SECBUFFER_DATA | SECBUFFER_READONLY;
    CU_ASSERT_EQUAL(EncryptMessage(&client, 0, &desc, 0), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(DecryptMessage(&server, &desc, 0, NULL), SEC_E_INVALID_TOKEN);
    /* none of it used a sequence number: the next message still verifies */
    bufs[1].BufferType = SECBUFFER_DATA;
    CU_ASSERT_EQUAL(MakeSignature(&client, 0, &desc, 0), SEC_E_OK);
    CU_ASSERT_EQUAL(VerifySignature(&server, &desc, 0, NULL), SEC_E_OK);
}

static void
test_a_token_too_small_is_reported_before_signing_or_sealing(void)
{
    unsigned char sig[SIG] = {0};
    char data[] = "data";
    ULONG sig_len = 0;
    SecBuffer bufs[2] = {{SIG - 1, SECBUFFER_TOKEN, sig}, {4, SECBUFFER_DATA, data}};
    SecBufferDesc desc = DESC(bufs);

    CU_ASSERT_FATAL(fresh_pair());
    CU_ASSERT_EQUAL(sign(data, 4, sig, SIG - 1, &sig_len), SEC_E_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(EncryptMessage(&client, 0, &desc, 0), SEC_E_BUFFER_TOO_SMALL);
    CU_ASSERT_STRING_EQUAL(data, "data");
    CU_ASSERT_TRUE(test_all_zero(sig, sizeof(sig)));
    /* a signature cut short is refused by the peer */
    CU_ASSERT_EQUAL(sign(data, 4, sig, SIG, &sig_len), SEC_E_OK);
    CU_ASSERT_NOT_EQUAL(verify(data, 4, sig, SIG - 1), SEC_E_OK);
}

static void
test_qualities_of_protection_other_than_the_defaults_are_refused(void)
{
    unsigned char sig[SIG];
    char data[] = "data";
    SecBuffer bufs[2] = {{SIG, SECBUFFER_TOKEN, sig}, {4, SECBUFFER_DATA, data}};
    SecBufferDesc desc = DESC(bufs);

    CU_ASSERT_FATAL(fresh_pair());
    CU_ASSERT_EQUAL(MakeSignature(&client, 1, &desc, 0), SEC_E_QOP_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(EncryptMessage(&client, 1, &desc, 0), SEC_E_QOP_NOT_SUPPORTED);
    /* a sealing NTLM context cannot send integrity only: its tokens do not say which */
    CU_ASSERT_EQUAL(EncryptMessage(&client, SECQOP_WRAP_NO_ENCRYPT, &desc, 0),
                    SEC_E_QOP_NOT_SUPPORTED);
    CU_ASSERT_STRING_EQUAL(data, "data");
}

static void
test_a_context_not_established_or_expired_protects_nothing(void)
{
    struct sspi_ctx *ctx = sspi_unit_ctx_new("NTLM", true);
    unsigned char sig[SIG];
    char data[] = "data";
    SecBuffer bufs[2] = {{SIG, SECBUFFER_TOKEN, sig}, {4, SECBUFFER_DATA, data}};
    SecBufferDesc desc = DESC(bufs);
    CtxtHandle h = sspi_unit_ctx_handle(ctx);

    CU_ASSERT_FATAL(fresh_pair());
    CU_ASSERT_EQUAL(MakeSignature(&h, 0, &desc, 0), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(VerifySignature(&h, &desc, 0, NULL), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(EncryptMessage(&h, 0, &desc, 0), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(DecryptMessage(&h, &desc, 0, NULL), SEC_E_INVALID_HANDLE);
    sspi_unit_ctx_free(&h);
    CU_ASSERT_EQUAL(MakeSignature(&h, 0, &desc, 0), SEC_E_INVALID_HANDLE);
    /* the lifetime GSS granted is enforced here, whatever the mechanism checks */
    ctx = sspi_ctx_from_handle(&client);
    CU_ASSERT_FATAL(ctx != NULL);
    ctx->lifetime = 60;
    ctx->established_at -= 60;
    sspi_ctx_unref(ctx);
    CU_ASSERT_EQUAL(MakeSignature(&client, 0, &desc, 0), SEC_E_CONTEXT_EXPIRED);
    CU_ASSERT_EQUAL(EncryptMessage(&client, 0, &desc, 0), SEC_E_CONTEXT_EXPIRED);
}

static void
test_sealing_encrypts_in_place_and_the_peer_restores_the_data(void)
{
    unsigned char sig[SIG], pad[16];
    char data[] = "secret data";
    SecBuffer bufs[3] = {
        {SIG, SECBUFFER_TOKEN, sig}, {11, SECBUFFER_DATA, data}, {16, SECBUFFER_PADDING, pad}};
    SecBufferDesc desc = DESC(bufs);
    ULONG qop = 0xdeadbeefu;

    CU_ASSERT_FATAL(fresh_pair());
    CU_ASSERT_EQUAL_FATAL(EncryptMessage(&client, 0, &desc, 0), SEC_E_OK);
    CU_ASSERT_EQUAL(bufs[0].cbBuffer, SIG);
    CU_ASSERT_EQUAL(bufs[1].cbBuffer, 11);
    CU_ASSERT_EQUAL(bufs[2].cbBuffer, 0); /* RC4 needs no padding */
    CU_ASSERT(memcmp(data, "secret data", 11) != 0);
    CU_ASSERT_EQUAL(DecryptMessage(&server, &desc, 0, &qop), SEC_E_OK);
    CU_ASSERT(memcmp(data, "secret data", 11) == 0);
    /* Windows' NTLM leaves the caller's QOP as it was */
    CU_ASSERT_EQUAL(qop, 0xdeadbeefu);
}

static void
test_a_stream_is_decrypted_with_data_pointing_into_it(void)
{
    unsigned char stream[SIG + 11];
    SecBuffer out[2] = {{SIG, SECBUFFER_TOKEN, stream}, {11, SECBUFFER_DATA, stream + SIG}};
    SecBufferDesc out_desc = DESC(out);
    SecBuffer in[2] = {{sizeof(stream), SECBUFFER_STREAM, stream}, {0, SECBUFFER_DATA, NULL}};
    SecBufferDesc in_desc = DESC(in);

    CU_ASSERT_FATAL(fresh_pair());
    memcpy(stream + SIG, "stream data", 11);
    CU_ASSERT_EQUAL_FATAL(EncryptMessage(&client, 0, &out_desc, 0), SEC_E_OK);
    CU_ASSERT_EQUAL(DecryptMessage(&server, &in_desc, 0, NULL), SEC_E_OK);
    CU_ASSERT_PTR_EQUAL(in[1].pvBuffer, stream + SIG);
    CU_ASSERT_EQUAL(in[1].cbBuffer, 11);
    CU_ASSERT(memcmp(stream + SIG, "stream data", 11) == 0);
}

static void
test_a_tampered_sealed_message_is_altered(void)
{
    unsigned char sig[SIG];
    char data[] = "secret data";
    SecBuffer bufs[2] = {{SIG, SECBUFFER_TOKEN, sig}, {11, SECBUFFER_DATA, data}};
    SecBufferDesc desc = DESC(bufs);

    CU_ASSERT_FATAL(fresh_pair());
    CU_ASSERT_EQUAL_FATAL(EncryptMessage(&client, 0, &desc, 0), SEC_E_OK);
    data[3] ^= 1;
    CU_ASSERT_EQUAL(DecryptMessage(&server, &desc, 0, NULL), SEC_E_MESSAGE_ALTERED);
}

static void
test_without_the_iov_calls_signatures_are_macs_over_the_signed_buffers(void)
{
    struct mixed m;
    SecBufferDesc *desc = mixed_message(&m);

    CU_ASSERT_FATAL(fresh_pair());
    /* the fallback's signature is the one the IOV path verifies, and the other way round */
    no_iov = true;
    CU_ASSERT_EQUAL(MakeSignature(&client, 0, desc, 0), SEC_E_OK);
    no_iov = false;
    CU_ASSERT_EQUAL(m.bufs[0].cbBuffer, SIG);
    CU_ASSERT_EQUAL(VerifySignature(&server, desc, 0, NULL), SEC_E_OK);
    CU_ASSERT_EQUAL(MakeSignature(&client, 0, desc, 0), SEC_E_OK);
    no_iov = true;
    CU_ASSERT_EQUAL(VerifySignature(&server, desc, 0, NULL), SEC_E_OK);
    /* a short signature is refused before gss-ntlmssp could read 16 bytes from it */
    m.bufs[0].cbBuffer = SIG - 1;
    CU_ASSERT_EQUAL(VerifySignature(&server, desc, 0, NULL), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(MakeSignature(&client, 0, desc, 0), SEC_E_BUFFER_TOO_SMALL);
    m.bufs[0].cbBuffer = SIG;
    CU_ASSERT_EQUAL(MakeSignature(&client, 0, desc, 0), SEC_E_OK);
    m.ck[0] = 'C';
    CU_ASSERT_EQUAL(VerifySignature(&server, desc, 0, NULL), SEC_E_MESSAGE_ALTERED);
    no_iov = false;
}

static void
test_without_the_iov_calls_sealing_falls_back_for_one_data_buffer(void)
{
    unsigned char sig[SIG];
    char data[] = "secret data", more[] = "more";
    SecBuffer bufs[3] = {
        {SIG, SECBUFFER_TOKEN, sig}, {11, SECBUFFER_DATA, data}, {4, SECBUFFER_DATA, more}};
    SecBufferDesc two = DESC(bufs), one = {SECBUFFER_VERSION, 2, bufs};

    CU_ASSERT_FATAL(fresh_pair());
    no_iov = true;
    /* only signature || sealed data of one buffer is a known layout */
    CU_ASSERT_EQUAL(EncryptMessage(&client, 0, &two, 0), SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(EncryptMessage(&client, SECQOP_WRAP_NO_ENCRYPT, &one, 0),
                    SEC_E_QOP_NOT_SUPPORTED);
    bufs[0].cbBuffer = SIG - 1;
    CU_ASSERT_EQUAL(EncryptMessage(&client, 0, &one, 0), SEC_E_BUFFER_TOO_SMALL);
    bufs[0].cbBuffer = SIG;
    CU_ASSERT_EQUAL(memcmp(data, "secret data", 11), 0);
    CU_ASSERT_EQUAL_FATAL(EncryptMessage(&client, 0, &one, 0), SEC_E_OK);
    CU_ASSERT(memcmp(data, "secret data", 11) != 0);
    /* the IOV path of the peer reads it */
    no_iov = false;
    CU_ASSERT_EQUAL(DecryptMessage(&server, &one, 0, NULL), SEC_E_OK);
    CU_ASSERT(memcmp(data, "secret data", 11) == 0);
    /* and the fallback reads the IOV path's, tampering included */
    CU_ASSERT_EQUAL_FATAL(EncryptMessage(&client, 0, &one, 0), SEC_E_OK);
    no_iov = true;
    CU_ASSERT_EQUAL(DecryptMessage(&server, &one, 0, NULL), SEC_E_OK);
    CU_ASSERT(memcmp(data, "secret data", 11) == 0);
    no_iov = false;
    CU_ASSERT_EQUAL_FATAL(EncryptMessage(&client, 0, &one, 0), SEC_E_OK);
    no_iov = true;
    data[0] ^= 1;
    CU_ASSERT_EQUAL(DecryptMessage(&server, &one, 0, NULL), SEC_E_MESSAGE_ALTERED);
    no_iov = false;
}

static void
test_without_the_iov_calls_a_stream_is_decrypted_behind_its_signature(void)
{
    unsigned char stream[SIG + 11];
    SecBuffer out[2] = {{SIG, SECBUFFER_TOKEN, stream}, {11, SECBUFFER_DATA, stream + SIG}};
    SecBufferDesc out_desc = DESC(out);
    SecBuffer in[2] = {{SIG - 1, SECBUFFER_STREAM, stream}, {0, SECBUFFER_DATA, NULL}};
    SecBufferDesc in_desc = DESC(in);

    CU_ASSERT_FATAL(fresh_pair());
    memcpy(stream + SIG, "stream data", 11);
    CU_ASSERT_EQUAL_FATAL(EncryptMessage(&client, 0, &out_desc, 0), SEC_E_OK);
    no_iov = true;
    /* a stream shorter than a signature holds no message */
    CU_ASSERT_EQUAL(DecryptMessage(&server, &in_desc, 0, NULL), SEC_E_INVALID_TOKEN);
    in[0].cbBuffer = sizeof(stream);
    CU_ASSERT_EQUAL(DecryptMessage(&server, &in_desc, 0, NULL), SEC_E_OK);
    no_iov = false;
    CU_ASSERT_PTR_EQUAL(in[1].pvBuffer, stream + SIG);
    CU_ASSERT_EQUAL(in[1].cbBuffer, 11);
    CU_ASSERT(memcmp(stream + SIG, "stream data", 11) == 0);
}

static CU_TestInfo tests[] = {
    {"a signature fills the token and the peer verifies it",
     test_a_signature_fills_the_token_and_the_peer_verifies_it},
    {"READONLY buffers are left out unless they carry a checksum",
     test_readonly_buffers_are_left_out_unless_they_carry_a_checksum},
    {"only the first token belongs to the package",
     test_only_the_first_token_belongs_to_the_package},
    {"a malformed message is refused before the mechanism sees it",
     test_a_malformed_message_is_refused_before_the_mechanism_sees_it},
    {"a token too small is reported before signing or sealing",
     test_a_token_too_small_is_reported_before_signing_or_sealing},
    {"qualities of protection other than the defaults are refused",
     test_qualities_of_protection_other_than_the_defaults_are_refused},
    {"a context not established or expired protects nothing",
     test_a_context_not_established_or_expired_protects_nothing},
    {"sealing encrypts in place and the peer restores the data",
     test_sealing_encrypts_in_place_and_the_peer_restores_the_data},
    {"a stream is decrypted with DATA pointing into it",
     test_a_stream_is_decrypted_with_data_pointing_into_it},
    {"a tampered sealed message is altered", test_a_tampered_sealed_message_is_altered},
    {"without the IOV calls signatures are MACs over the signed buffers",
     test_without_the_iov_calls_signatures_are_macs_over_the_signed_buffers},
    {"without the IOV calls sealing falls back for one DATA buffer",
     test_without_the_iov_calls_sealing_falls_back_for_one_data_buffer},
    {"without the IOV calls a stream is decrypted behind its signature",
     test_without_the_iov_calls_a_stream_is_decrypted_behind_its_signature},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    CU_SuiteInfo suites[] = {{"sspi_message", NULL, NULL, NULL, pair_down, tests},
                             CU_SUITE_INFO_NULL};
    int failures;

    if (gss_test_env_setup() == NULL)
        return 99;
    if (CU_initialize_registry() != CUE_SUCCESS || CU_register_suites(suites) != CUE_SUCCESS)
        return 99;
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failures = (int)(CU_get_number_of_failures() + CU_get_number_of_tests_failed());
    if (CU_get_number_of_tests_run() == 0)
        failures = 1;
    CU_cleanup_registry();
    gss_test_env_teardown();
    return failures == 0 ? 0 : 1;
}
