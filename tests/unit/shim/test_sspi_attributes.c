/*
 * sspi_attributes.c: QueryContextAttributes and SetContextAttributes over contexts established
 * with the built NTLM module. Linked with --wrap for the two GSS calls whose answers depend on
 * the mechanism, so that a mechanism without them (gss-ntlmssp) and Kerberos key answers can be
 * played without a KDC.
 */
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi_ext.h>

#include "gss_test_env.h"
#include "sspi_unit_ctx.h"
#include "test_util.h"

OM_uint32 __real_gss_inquire_sec_context_by_oid(OM_uint32 *, gss_const_ctx_id_t, const gss_OID,
                                                gss_buffer_set_t *);
OM_uint32 __wrap_gss_inquire_sec_context_by_oid(OM_uint32 *, gss_const_ctx_id_t, const gss_OID,
                                                gss_buffer_set_t *);
OM_uint32 __real_gss_wrap_iov_length(OM_uint32 *, gss_ctx_id_t, int, gss_qop_t, int *,
                                     gss_iov_buffer_desc *, int);
OM_uint32 __wrap_gss_wrap_iov_length(OM_uint32 *, gss_ctx_id_t, int, gss_qop_t, int *,
                                     gss_iov_buffer_desc *, int);

/* When set, every inquiry is answered with these buffers (count 0: GSS_S_UNAVAILABLE). */
static bool fake_inquiry;
static gss_buffer_desc fake_answer[2];
static size_t fake_count;
/* When set, the IOV length calls are missing, as in gss-ntlmssp. */
static bool no_iov;

OM_uint32
__wrap_gss_inquire_sec_context_by_oid(OM_uint32 *minor, gss_const_ctx_id_t ctx, const gss_OID oid,
                                      gss_buffer_set_t *set)
{
    size_t i;

    if (!fake_inquiry)
        return __real_gss_inquire_sec_context_by_oid(minor, ctx, oid, set);
    *minor = 0;
    if (fake_count == 0)
        return GSS_S_UNAVAILABLE;
    gss_create_empty_buffer_set(minor, set);
    for (i = 0; i < fake_count; i++)
        gss_add_buffer_set_member(minor, &fake_answer[i], set);
    return GSS_S_COMPLETE;
}

OM_uint32
__wrap_gss_wrap_iov_length(OM_uint32 *minor, gss_ctx_id_t ctx, int conf_req, gss_qop_t qop,
                           int *conf_state, gss_iov_buffer_desc *iov, int count)
{
    if (no_iov)
        return GSS_S_UNAVAILABLE;
    return __real_gss_wrap_iov_length(minor, ctx, conf_req, qop, conf_state, iov, count);
}

static CtxtHandle client, server;

static void
test_a_pair_of_ntlm_contexts_is_established(void)
{
    CU_ASSERT_FATAL(
        sspi_unit_ctx_pair("NTLM", GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG, &client, &server));
}

/* The A string a level handed out, copied, its context buffer freed. */
static char *
taken(SEC_CHAR *s)
{
    char *copy = s != NULL ? strdup((char *)s) : NULL;

    FreeContextBuffer(s);
    return copy;
}

static void
test_names_are_the_authenticated_client_on_both_ends(void)
{
    SecPkgContext_NamesA names = {NULL};
    SecPkgContext_NamesW wnames = {NULL};
    char *name;

    CU_ASSERT_EQUAL(QueryContextAttributesA(&server, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    name = taken(names.sUserName);
    CU_ASSERT_STRING_EQUAL(name, TEST_DOMAIN "\\" TEST_USER);
    free(name);
    CU_ASSERT_EQUAL(QueryContextAttributesA(&client, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    name = taken(names.sUserName);
    CU_ASSERT_STRING_EQUAL(name, TEST_DOMAIN "\\" TEST_USER);
    free(name);
    CU_ASSERT_EQUAL(QueryContextAttributesW(&server, SECPKG_ATTR_NAMES, &wnames), SEC_E_OK);
    CU_ASSERT(wnames.sUserName != NULL && wnames.sUserName[0] == 'T' &&
              wnames.sUserName[sizeof(TEST_DOMAIN "\\" TEST_USER) - 1] == 0);
    FreeContextBuffer(wnames.sUserName);
}

static void
test_an_initiator_gss_cannot_name_is_the_identity_it_was_given(void)
{
    struct sspi_ctx *ctx = sspi_unit_ctx_new("NTLM", true);
    SecPkgContext_NamesA names = {NULL};
    CtxtHandle h;
    char *name;

    /* established, but GSS has no context to ask */
    ctx->established = true;
    ctx->cred->user = strdup("OTHERDOM\\bob");
    h = sspi_unit_ctx_handle(ctx);
    CU_ASSERT_EQUAL(QueryContextAttributesA(&h, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    name = taken(names.sUserName);
    CU_ASSERT_STRING_EQUAL(name, "OTHERDOM\\bob");
    free(name);
    sspi_unit_ctx_free(&h);
}

static void
test_native_names_name_the_target_only_on_the_initiator(void)
{
    SecPkgContext_NativeNamesA names = {NULL, NULL};
    char *c, *s;

    CU_ASSERT_EQUAL(QueryContextAttributesA(&client, SECPKG_ATTR_NATIVE_NAMES, &names), SEC_E_OK);
    c = taken(names.sClientName);
    s = taken(names.sServerName);
    CU_ASSERT_STRING_EQUAL(c, TEST_DOMAIN "\\" TEST_USER);
    CU_ASSERT(s != NULL && strstr(s, "testhost.example") != NULL);
    free(c);
    free(s);
    /* an NTLM acceptor is never asked for its own name: NTLM carries none */
    CU_ASSERT_EQUAL(QueryContextAttributesA(&server, SECPKG_ATTR_NATIVE_NAMES, &names), SEC_E_OK);
    c = taken(names.sClientName);
    s = taken(names.sServerName);
    CU_ASSERT_STRING_EQUAL(c, TEST_DOMAIN "\\" TEST_USER);
    CU_ASSERT_STRING_EQUAL(s, "");
    free(c);
    free(s);
}

static void
test_ntlm_sizes_are_a_16_byte_signature_and_no_block(void)
{
    SecPkgContext_Sizes sizes;

    memset(&sizes, 0xff, sizeof(sizes));
    CU_ASSERT_EQUAL(QueryContextAttributesA(&client, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    CU_ASSERT_EQUAL(sizes.cbMaxToken, sspi_package_find("NTLM")->max_token);
    CU_ASSERT_EQUAL(sizes.cbMaxSignature, 16);
    CU_ASSERT_EQUAL(sizes.cbSecurityTrailer, 16);
    CU_ASSERT_EQUAL(sizes.cbBlockSize, 0);
    /* a mechanism without the IOV length calls gets NTLMSSP's fixed sizes */
    no_iov = true;
    memset(&sizes, 0xff, sizeof(sizes));
    CU_ASSERT_EQUAL(QueryContextAttributesA(&server, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    no_iov = false;
    CU_ASSERT_EQUAL(sizes.cbMaxSignature, 16);
    CU_ASSERT_EQUAL(sizes.cbSecurityTrailer, 16);
    CU_ASSERT_EQUAL(sizes.cbBlockSize, 0);
}

static void
test_both_ends_have_the_same_session_key(void)
{
    SecPkgContext_SessionKey a = {0, NULL}, b = {0, NULL};

    CU_ASSERT_EQUAL(QueryContextAttributesA(&client, SECPKG_ATTR_SESSION_KEY, &a), SEC_E_OK);
    CU_ASSERT_EQUAL(QueryContextAttributesA(&server, SECPKG_ATTR_SESSION_KEY, &b), SEC_E_OK);
    CU_ASSERT_EQUAL(a.SessionKeyLength, 16);
    CU_ASSERT(a.SessionKeyLength == b.SessionKeyLength &&
              memcmp(a.SessionKey, b.SessionKey, a.SessionKeyLength) == 0);
    CU_ASSERT_FALSE(test_all_zero(a.SessionKey, a.SessionKeyLength));
    FreeContextBuffer(a.SessionKey);
    FreeContextBuffer(b.SessionKey);
    /* an empty answer is no key */
    fake_inquiry = true;
    fake_answer[0] = (gss_buffer_desc){0, (void *)""};
    fake_count = 1;
    CU_ASSERT_EQUAL(QueryContextAttributesA(&client, SECPKG_ATTR_SESSION_KEY, &a),
                    SEC_E_INTERNAL_ERROR);
    fake_inquiry = false;
}

/* KEY_INFO of h, with its strings copied out. */
static SECURITY_STATUS
key_info(CtxtHandle *h, SecPkgContext_KeyInfoA *ki, char **sign, char **encrypt)
{
    SECURITY_STATUS status = QueryContextAttributesA(h, SECPKG_ATTR_KEY_INFO, ki);

    *sign = *encrypt = NULL;
    if (status == SEC_E_OK) {
        *sign = taken(ki->sSignatureAlgorithmName);
        *encrypt = taken(ki->sEncryptAlgorithmName);
    }
    return status;
}

static void
test_ntlm_key_info_follows_the_negotiated_flags(void)
{
    /* NTLMSSP_NEGOTIATE_56 without extended session security or 128 */
    static unsigned char flags_56[4] = {0x00, 0x00, 0x00, 0x80};
    SecPkgContext_KeyInfoA ki;
    char *sign, *encrypt;

    CU_ASSERT_EQUAL(key_info(&client, &ki, &sign, &encrypt), SEC_E_OK);
    CU_ASSERT_STRING_EQUAL(sign, "HMAC-MD5");
    CU_ASSERT_STRING_EQUAL(encrypt, "RSADSI RC4");
    CU_ASSERT_EQUAL(ki.KeySize, 128);
    CU_ASSERT_EQUAL(ki.SignatureAlgorithm, 0xffffff76u);
    CU_ASSERT_EQUAL(ki.EncryptAlgorithm, 0x6801u);
    free(sign);
    free(encrypt);
    fake_inquiry = true;
    fake_answer[0] = (gss_buffer_desc){4, flags_56};
    fake_count = 1;
    CU_ASSERT_EQUAL(key_info(&client, &ki, &sign, &encrypt), SEC_E_OK);
    fake_inquiry = false;
    CU_ASSERT_STRING_EQUAL(sign, "RSADSI RC4-CRC32");
    CU_ASSERT_EQUAL(ki.KeySize, 56);
    CU_ASSERT_EQUAL(ki.SignatureAlgorithm, 0xffffff7cu);
    free(sign);
    free(encrypt);
}

static void
test_ntlm_key_info_without_the_flags_inquiry_assumes_extended_session_security(void)
{
    SecPkgContext_KeyInfoA ki;
    char *sign, *encrypt;

    /* neither the flags nor the SASL strength can be asked (gss-ntlmssp answers the latter) */
    fake_inquiry = true;
    fake_count = 0;
    CU_ASSERT_EQUAL(key_info(&server, &ki, &sign, &encrypt), SEC_E_OK);
    fake_inquiry = false;
    CU_ASSERT_STRING_EQUAL(sign, "HMAC-MD5");
    CU_ASSERT_EQUAL(ki.KeySize, 128);
    free(sign);
    free(encrypt);
}

/* KEY_INFO of a Kerberos context whose SSPI key answer is a key of key_len bytes and oid. */
static SECURITY_STATUS
kerberos_key_info(size_t key_len, const char *oid_hex, SecPkgContext_KeyInfoA *ki, char **sign,
                  char **encrypt)
{
    struct sspi_ctx *ctx = sspi_unit_ctx_new("Kerberos", true);
    unsigned char key[32] = {1};
    size_t oid_len = 0;
    uint8_t *oid = test_hex(oid_hex, &oid_len);
    SECURITY_STATUS status;
    CtxtHandle h;

    ctx->established = true;
    h = sspi_unit_ctx_handle(ctx);
    fake_inquiry = true;
    fake_answer[0] = (gss_buffer_desc){key_len, key};
    fake_answer[1] = (gss_buffer_desc){oid_len, oid};
    fake_count = 2;
    status = key_info(&h, ki, sign, encrypt);
    fake_inquiry = false;
    free(oid);
    sspi_unit_ctx_free(&h);
    return status;
}

static void
test_kerberos_key_info_is_named_by_the_session_key_enctype(void)
{
    SecPkgContext_KeyInfoA ki;
    char *sign, *encrypt;

    /* 1.2.840.113554.1.2.2.4.18: aes256-cts-hmac-sha1-96 */
    CU_ASSERT_EQUAL(kerberos_key_info(32, "2a864886f71201020204 12", &ki, &sign, &encrypt),
                    SEC_E_OK);
    CU_ASSERT_STRING_EQUAL(sign, "HMAC-SHA1-96-AES256");
    CU_ASSERT_STRING_EQUAL(encrypt, "AES256-CTS-HMAC-SHA1-96");
    CU_ASSERT_EQUAL(ki.KeySize, 256);
    CU_ASSERT_EQUAL(ki.SignatureAlgorithm, 16);
    CU_ASSERT_EQUAL(ki.EncryptAlgorithm, 18);
    free(sign);
    free(encrypt);
    /* an enctype of two base-128 digits (200) that has no name */
    CU_ASSERT_EQUAL(kerberos_key_info(16, "2a864886f71201020204 8148", &ki, &sign, &encrypt),
                    SEC_E_OK);
    CU_ASSERT_STRING_EQUAL(sign, "unknown");
    CU_ASSERT_STRING_EQUAL(encrypt, "unknown");
    CU_ASSERT_EQUAL(ki.KeySize, 128);
    CU_ASSERT_EQUAL(ki.EncryptAlgorithm, 200);
    free(sign);
    free(encrypt);
}

static void
test_a_malformed_enctype_oid_names_no_enctype(void)
{
    static const char *const bad[] = {
        "2a864886f71201020204",            /* the arc alone */
        "2a864886f71201020205 12",         /* another arc */
        "2a864886f71201020204 81",         /* unterminated digit */
        "2a864886f71201020204 1212",       /* a further arc after the enctype */
        "2a864886f71201020204 8181818101", /* more than 4 bytes */
    };
    SecPkgContext_KeyInfoA ki;
    char *sign, *encrypt;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CU_ASSERT_EQUAL(kerberos_key_info(16, bad[i], &ki, &sign, &encrypt), SEC_E_OK);
        CU_ASSERT_EQUAL(ki.EncryptAlgorithm, 0);
        CU_ASSERT_STRING_EQUAL(encrypt, "unknown");
        free(sign);
        free(encrypt);
    }
}

static void
test_the_lifespan_runs_from_establishment_in_local_filetime(void)
{
    struct sspi_ctx *ctx = sspi_ctx_from_handle(&client);
    SecPkgContext_Lifespan life;
    unsigned long long start, expiry;

    CU_ASSERT_FATAL(ctx != NULL);
    ctx->established_at = 1700000000;
    ctx->lifetime = 3600;
    CU_ASSERT_EQUAL(QueryContextAttributesA(&client, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    start = (unsigned long long)(ULONG)life.tsStart.HighPart << 32 | life.tsStart.LowPart;
    expiry = (unsigned long long)(ULONG)life.tsExpiry.HighPart << 32 | life.tsExpiry.LowPart;
    /* 100 ns ticks since 1601-01-01 (TZ is UTC here) */
    CU_ASSERT_EQUAL(start, (1700000000ULL + 11644473600ULL) * 10000000ULL);
    CU_ASSERT_EQUAL(expiry - start, 3600ULL * 10000000ULL);
    /* an indefinite lifetime never expires */
    ctx->lifetime = GSS_C_INDEFINITE;
    CU_ASSERT_EQUAL(QueryContextAttributesA(&client, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    CU_ASSERT_EQUAL(life.tsExpiry.HighPart, 0x7fffffff);
    CU_ASSERT_EQUAL(life.tsExpiry.LowPart, 0xffffffffu);
    sspi_ctx_unref(ctx);
}

static void
test_package_levels_name_the_package_in_use_and_the_state(void)
{
    struct sspi_ctx *ctx = sspi_unit_ctx_new("Negotiate", true);
    SecPkgContext_NegotiationInfoA neg = {NULL, 0};
    SecPkgContext_PackageInfoW info = {NULL};
    CtxtHandle h;

    h = sspi_unit_ctx_handle(ctx);
    /* before a mechanism is chosen: Negotiate, in progress */
    CU_ASSERT_EQUAL(QueryContextAttributesA(&h, SECPKG_ATTR_NEGOTIATION_INFO, &neg), SEC_E_OK);
    CU_ASSERT_STRING_EQUAL(neg.PackageInfo->Name, "Negotiate");
    CU_ASSERT_EQUAL(neg.NegotiationState, SECPKG_NEGOTIATION_IN_PROGRESS);
    FreeContextBuffer(neg.PackageInfo);
    ctx->mech = sspi_mech_ntlm;
    ctx->established = true;
    CU_ASSERT_EQUAL(QueryContextAttributesA(&h, SECPKG_ATTR_NEGOTIATION_INFO, &neg), SEC_E_OK);
    CU_ASSERT_STRING_EQUAL(neg.PackageInfo->Name, "NTLM");
    CU_ASSERT_EQUAL(neg.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    FreeContextBuffer(neg.PackageInfo);
    CU_ASSERT_EQUAL(QueryContextAttributesW(&h, SECPKG_ATTR_PACKAGE_INFO, &info), SEC_E_OK);
    CU_ASSERT(info.PackageInfo != NULL && info.PackageInfo->Name[0] == 'N' &&
              info.PackageInfo->Name[4] == 0);
    FreeContextBuffer(info.PackageInfo);
    sspi_unit_ctx_free(&h);
}

static void
test_levels_that_ask_the_mechanism_wait_for_establishment(void)
{
    static const ULONG levels[] = {SECPKG_ATTR_SIZES,        SECPKG_ATTR_NAMES,
                                   SECPKG_ATTR_NATIVE_NAMES, SECPKG_ATTR_SESSION_KEY,
                                   SECPKG_ATTR_KEY_INFO,     SECPKG_ATTR_LIFESPAN};
    struct sspi_ctx *ctx = sspi_unit_ctx_new("NTLM", true);
    SecPkgContext_Flags flags = {0};
    unsigned char buffer[64];
    CtxtHandle h;
    size_t i;

    ctx->attrs = ISC_RET_INTEGRITY;
    h = sspi_unit_ctx_handle(ctx);
    for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
        CU_ASSERT_EQUAL(QueryContextAttributesA(&h, levels[i], buffer), SEC_E_INVALID_HANDLE);
    /* FLAGS reports what the last step returned, established or not */
    CU_ASSERT_EQUAL(QueryContextAttributesA(&h, SECPKG_ATTR_FLAGS, &flags), SEC_E_OK);
    CU_ASSERT_EQUAL(flags.Flags, ISC_RET_INTEGRITY);
    sspi_unit_ctx_free(&h);
}

static void
test_unanswered_levels_a_missing_buffer_and_a_stale_handle_are_refused(void)
{
    unsigned char buffer[64];
    CtxtHandle stale;

    CU_ASSERT_EQUAL(QueryContextAttributesA(&client, SECPKG_ATTR_STREAM_SIZES, buffer),
                    SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(QueryContextAttributesA(&client, SECPKG_ATTR_ACCESS_TOKEN, buffer),
                    SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(QueryContextAttributesA(&client, 0x7fff, buffer), SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(QueryContextAttributesW(&client, SECPKG_ATTR_SIZES, NULL),
                    SEC_E_INVALID_PARAMETER);
    stale = sspi_unit_ctx_handle(sspi_unit_ctx_new("NTLM", true));
    sspi_unit_ctx_free(&stale);
    CU_ASSERT_EQUAL(QueryContextAttributesA(&stale, SECPKG_ATTR_FLAGS, buffer),
                    SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(QueryContextAttributesA(NULL, SECPKG_ATTR_FLAGS, buffer), SEC_E_INVALID_HANDLE);
}

static void
test_no_level_can_be_set_and_a_stale_handle_says_so_first(void)
{
    ULONG value = 0;
    CtxtHandle stale;

    CU_ASSERT_EQUAL(SetContextAttributesA(&client, SECPKG_ATTR_FLAGS, &value, sizeof(value)),
                    SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(SetContextAttributesW(&server, SECPKG_ATTR_FLAGS, &value, sizeof(value)),
                    SEC_E_UNSUPPORTED_FUNCTION);
    stale = sspi_unit_ctx_handle(sspi_unit_ctx_new("NTLM", true));
    sspi_unit_ctx_free(&stale);
    CU_ASSERT_EQUAL(SetContextAttributesA(&stale, SECPKG_ATTR_FLAGS, &value, sizeof(value)),
                    SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(SetContextAttributesW(&stale, SECPKG_ATTR_FLAGS, &value, sizeof(value)),
                    SEC_E_INVALID_HANDLE);
}

static void
test_the_pair_is_released(void)
{
    sspi_unit_ctx_free(&client);
    sspi_unit_ctx_free(&server);
}

static CU_TestInfo tests[] = {
    {"a pair of NTLM contexts is established", test_a_pair_of_ntlm_contexts_is_established},
    {"names are the authenticated client on both ends",
     test_names_are_the_authenticated_client_on_both_ends},
    {"an initiator GSS cannot name is the identity it was given",
     test_an_initiator_gss_cannot_name_is_the_identity_it_was_given},
    {"native names name the target only on the initiator",
     test_native_names_name_the_target_only_on_the_initiator},
    {"NTLM sizes are a 16-byte signature and no block",
     test_ntlm_sizes_are_a_16_byte_signature_and_no_block},
    {"both ends have the same session key", test_both_ends_have_the_same_session_key},
    {"NTLM key info follows the negotiated flags", test_ntlm_key_info_follows_the_negotiated_flags},
    {"NTLM key info without the flags inquiry assumes extended session security",
     test_ntlm_key_info_without_the_flags_inquiry_assumes_extended_session_security},
    {"Kerberos key info is named by the session key enctype",
     test_kerberos_key_info_is_named_by_the_session_key_enctype},
    {"a malformed enctype OID names no enctype", test_a_malformed_enctype_oid_names_no_enctype},
    {"the lifespan runs from establishment in local FILETIME",
     test_the_lifespan_runs_from_establishment_in_local_filetime},
    {"package levels name the package in use and the state",
     test_package_levels_name_the_package_in_use_and_the_state},
    {"levels that ask the mechanism wait for establishment",
     test_levels_that_ask_the_mechanism_wait_for_establishment},
    {"unanswered levels, a missing buffer and a stale handle are refused",
     test_unanswered_levels_a_missing_buffer_and_a_stale_handle_are_refused},
    {"no level can be set, and a stale handle says so first",
     test_no_level_can_be_set_and_a_stale_handle_says_so_first},
    {"the pair is released", test_the_pair_is_released},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    /* lifespans are in local time: UTC makes the expected values plain */
    setenv("TZ", "UTC", 1);
    return gss_test_env_run_suite("sspi_attributes", tests);
}
