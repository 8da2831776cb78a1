/*
 * QueryContextAttributes and SetContextAttributes: each SECPKG_ATTR level answered from the
 * context object or asked of GSS (gss_inquire_context, gss_inquire_sec_context_by_oid, the IOV
 * length calls). Every string and block handed out is one context buffer, freed (and wiped)
 * with FreeContextBuffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gssapi/gssapi_ext.h>

#include "sspi_buffers.h"
#include "sspi_handles.h"
#include "sspi_objects.h"
#include "sspi_strings.h"
#include "sspi_translate.h"
#include "sspigss_ntlm.h"

/* NTLMSSP facts for KEY_INFO and SIZES (MS-NLMP 2.2.2.5, 3.4.4). */
#define NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u
#define NTLMSSP_NEGOTIATE_128 0x20000000u
#define NTLMSSP_NEGOTIATE_56 0x80000000u
#define NTLM_SIGNATURE_SIZE 16
/* SignatureAlgorithm values Windows reports (Kerberos checksum numbers; -138 and -132). */
#define SIGN_HMAC_MD5 0xffffff76u
#define SIGN_RC4_CRC32 0xffffff7cu
#define CALG_RC4 0x6801u

static gss_OID_desc ntlm_neg_flags_oid = {sizeof(SSPIGSS_NTLM_NEG_FLAGS_OID_DER) - 1,
                                          (void *)SSPIGSS_NTLM_NEG_FLAGS_OID_DER};

/* 1.2.840.113554.1.2.2.4, the arc of the enctype OID in the SSPI session key answer. */
static const unsigned char krb5_enctype_arc[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
                                                 0x12, 0x01, 0x02, 0x02, 0x04};

/* Names as Windows' Kerberos package gives them; algorithm ids are etype and cksumtype. */
static const struct krb5_etype_names {
    uint32_t etype;
    const char *encrypt;
    const char *sign;
    ULONG sign_alg;
} krb5_etypes[] = {
    {17, "AES128-CTS-HMAC-SHA1-96", "HMAC-SHA1-96-AES128", 15},
    {18, "AES256-CTS-HMAC-SHA1-96", "HMAC-SHA1-96-AES256", 16},
    {19, "AES128-CTS-HMAC-SHA256-128", "HMAC-SHA256-128-AES128", 19},
    {20, "AES256-CTS-HMAC-SHA384-192", "HMAC-SHA384-192-AES256", 20},
    {23, "RSADSI RC4-HMAC", "HMAC-MD5", SIGN_HMAC_MD5},
    {16, "DES3-CBC-SHA1-KD", "HMAC-SHA1-DES3-KD", 12},
    {25, "CAMELLIA128-CTS-CMAC", "CMAC-CAMELLIA128", 17},
    {26, "CAMELLIA256-CTS-CMAC", "CMAC-CAMELLIA256", 18},
};

/* KEY_INFO before it becomes A or W strings. */
struct key_info {
    const char *sign_name, *encrypt_name;
    ULONG key_bits, sign_alg, encrypt_alg;
};

static SECURITY_STATUS
query_status(OM_uint32 major, OM_uint32 minor)
{
    SECURITY_STATUS status = sspi_status_from_gss(major, minor, SSPI_CALL_QUERY);

    return status == SEC_E_OK ? SEC_E_INTERNAL_ERROR : status;
}

/* A strings are UTF-8 copies, W strings UTF-16: one context buffer each. */
static void *
out_string(const char *utf8, bool wide)
{
    return wide ? (void *)sspi_wide_buffer_from_utf8(utf8) : (void *)sspi_utf8_buffer_dup(utf8);
}

/* The display form of name as a malloc'd string, or NULL. */
static char *
display_name(gss_name_t name)
{
    gss_buffer_desc buf = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor;
    char *text;

    if (name == GSS_C_NO_NAME)
        return NULL;
    major = gss_display_name(&minor, name, &buf, NULL);
    if (major != GSS_S_COMPLETE)
        return NULL;
    text = malloc(buf.length + 1);
    if (text != NULL) {
        memcpy(text, buf.value, buf.length);
        text[buf.length] = '\0';
    }
    gss_release_buffer(&minor, &buf);
    return text;
}

/*
 * The initiator's and the acceptor's names as GSS reports them, then as the context knows them.
 * An NTLM acceptor is not asked for its own name: NTLM does not carry one, and gss-ntlmssp
 * 1.2.0 crashes when asked (strdup of a NULL name).
 */
static void
context_names(const struct sspi_ctx *ctx, char **client, char **server)
{
    gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
    bool ask_targ = ctx->initiator || sspi_ctx_package(ctx)->id != SSPI_PKG_NTLM;
    OM_uint32 minor;

    (void)gss_inquire_context(&minor, ctx->gss, &src, ask_targ ? &targ : NULL, NULL, NULL, NULL,
                              NULL, NULL);
    *client = display_name(src);
    *server = display_name(targ);
    if (*client == NULL && !ctx->initiator)
        *client = display_name(ctx->peer);
    if (*client == NULL && ctx->initiator && ctx->cred->user != NULL)
        *client = strdup(ctx->cred->user);
    if (*server == NULL && ctx->initiator)
        *server = display_name(ctx->target);
    gss_release_name(&minor, &src);
    gss_release_name(&minor, &targ);
}

/*
 * NAMES: on the acceptor the authenticated client, on the initiator the user the context
 * runs as (GSS's source name, else the identity given to AcquireCredentialsHandle).
 */
static SECURITY_STATUS
query_names(const struct sspi_ctx *ctx, void *buffer, bool wide)
{
    char *client = NULL, *server = NULL;
    void *user = NULL;

    if (!ctx->initiator)
        client = display_name(ctx->peer);
    if (client == NULL)
        context_names(ctx, &client, &server);
    if (client != NULL)
        user = out_string(client, wide);
    free(client);
    free(server);
    if (user == NULL)
        return SEC_E_INTERNAL_ERROR;
    if (wide)
        ((SecPkgContext_NamesW *)buffer)->sUserName = user;
    else
        ((SecPkgContext_NamesA *)buffer)->sUserName = user;
    return SEC_E_OK;
}

/* NATIVE_NAMES: the mechanism's names of both ends; an end it does not name is "". */
static SECURITY_STATUS
query_native_names(const struct sspi_ctx *ctx, void *buffer, bool wide)
{
    char *client = NULL, *server = NULL;
    void *c, *s;

    context_names(ctx, &client, &server);
    c = out_string(client != NULL ? client : "", wide);
    s = out_string(server != NULL ? server : "", wide);
    free(client);
    free(server);
    if (c == NULL || s == NULL) {
        FreeContextBuffer(c);
        FreeContextBuffer(s);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    if (wide) {
        ((SecPkgContext_NativeNamesW *)buffer)->sClientName = c;
        ((SecPkgContext_NativeNamesW *)buffer)->sServerName = s;
    } else {
        ((SecPkgContext_NativeNamesA *)buffer)->sClientName = c;
        ((SecPkgContext_NativeNamesA *)buffer)->sServerName = s;
    }
    return SEC_E_OK;
}

/*
 * SIZES from the mechanism: the TOKEN a 1-byte EncryptMessage needs (MIT folds a krb5
 * trailer into it when no TRAILER buffer is given, as the SSPI layout has it), the padding
 * that byte needs, and the MakeSignature TOKEN. A mechanism without the IOV length calls
 * (gss-ntlmssp) gets NTLMSSP's fixed sizes when it serves NTLM.
 */
static SECURITY_STATUS
query_sizes(const struct sspi_ctx *ctx, SecPkgContext_Sizes *sizes)
{
    const struct sspi_package *pkg = sspi_ctx_package(ctx);
    unsigned char byte = 0;
    gss_iov_buffer_desc wrap[3] = {
        {GSS_IOV_BUFFER_TYPE_HEADER, GSS_C_EMPTY_BUFFER},
        {GSS_IOV_BUFFER_TYPE_DATA, {1, &byte}},
        {GSS_IOV_BUFFER_TYPE_PADDING, GSS_C_EMPTY_BUFFER},
    };
    gss_iov_buffer_desc mic[2] = {
        {GSS_IOV_BUFFER_TYPE_DATA, {1, &byte}},
        {GSS_IOV_BUFFER_TYPE_MIC_TOKEN, GSS_C_EMPTY_BUFFER},
    };
    OM_uint32 major, minor;
    size_t padding;

    major = gss_wrap_iov_length(&minor, ctx->gss, 1, GSS_C_QOP_DEFAULT, NULL, wrap, 3);
    if (major == GSS_S_COMPLETE)
        major = gss_get_mic_iov_length(&minor, ctx->gss, GSS_C_QOP_DEFAULT, mic, 2);
    sizes->cbMaxToken = pkg->max_token;
    if (GSS_ROUTINE_ERROR(major) == GSS_S_UNAVAILABLE && pkg->id == SSPI_PKG_NTLM) {
        sizes->cbMaxSignature = NTLM_SIGNATURE_SIZE;
        sizes->cbSecurityTrailer = NTLM_SIGNATURE_SIZE;
        sizes->cbBlockSize = 0;
        return SEC_E_OK;
    }
    if (major != GSS_S_COMPLETE)
        return query_status(major, minor);
    sizes->cbMaxSignature = (ULONG)mic[1].buffer.length;
    sizes->cbSecurityTrailer = (ULONG)wrap[0].buffer.length;
    /* RC4 (NTLM) is a stream cipher: Windows says 0. A block cipher pads 1 byte to a block. */
    padding = wrap[2].buffer.length;
    sizes->cbBlockSize = padding > 0 ? (ULONG)padding + 1 : pkg->id == SSPI_PKG_NTLM ? 0 : 1;
    return SEC_E_OK;
}

static SECURITY_STATUS
query_session_key(const struct sspi_ctx *ctx, SecPkgContext_SessionKey *out)
{
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    SECURITY_STATUS status = SEC_E_OK;
    OM_uint32 major, minor;
    unsigned char *key = NULL;
    size_t i;

    major = gss_inquire_sec_context_by_oid(&minor, ctx->gss, GSS_C_INQ_SSPI_SESSION_KEY, &set);
    if (major != GSS_S_COMPLETE)
        return query_status(major, minor);
    if (set == GSS_C_NO_BUFFER_SET || set->count < 1 || set->elements[0].length == 0 ||
        set->elements[0].length > 0xffffffffu)
        status = SEC_E_INTERNAL_ERROR;
    else if ((key = sspi_context_buffer_alloc(set->elements[0].length)) == NULL)
        status = SEC_E_INSUFFICIENT_MEMORY;
    if (status == SEC_E_OK) {
        memcpy(key, set->elements[0].value, set->elements[0].length);
        out->SessionKey = key;
        out->SessionKeyLength = (ULONG)set->elements[0].length;
    }
    for (i = 0; set != GSS_C_NO_BUFFER_SET && i < set->count; i++)
        explicit_bzero(set->elements[i].value, set->elements[i].length);
    gss_release_buffer_set(&minor, &set);
    return status;
}

/* One 4-byte answer to an inquiry, or the GSS status. */
static OM_uint32
inquire_u32(const struct sspi_ctx *ctx, gss_OID oid, unsigned char value[4], OM_uint32 *minor)
{
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    OM_uint32 major, tmp;

    major = gss_inquire_sec_context_by_oid(minor, ctx->gss, oid, &set);
    if (major != GSS_S_COMPLETE)
        return major;
    if (set == GSS_C_NO_BUFFER_SET || set->count < 1 || set->elements[0].length != 4)
        major = GSS_S_FAILURE;
    else
        memcpy(value, set->elements[0].value, 4);
    gss_release_buffer_set(&tmp, &set);
    return major;
}

/*
 * NTLM: the MAC is HMAC-MD5 with extended session security and RC4-CRC32 without it
 * (MS-NLMP 3.4.4), and the RC4 key has 128, 56 or 40 bits; all known from the negotiated flags
 * when the module answers our inquiry. gss-ntlmssp does not: it speaks NTLMv2 with extended
 * session security only, and its SASL strength tells the key (it rates 128-bit RC4 as 64).
 */
static SECURITY_STATUS
ntlm_key_info(const struct sspi_ctx *ctx, struct key_info *ki)
{
    unsigned char value[4];
    OM_uint32 major, minor, flags, ssf;

    major = inquire_u32(ctx, &ntlm_neg_flags_oid, value, &minor);
    if (major == GSS_S_COMPLETE) {
        flags = (OM_uint32)value[0] | (OM_uint32)value[1] << 8 | (OM_uint32)value[2] << 16 |
                (OM_uint32)value[3] << 24;
        ki->key_bits = flags & NTLMSSP_NEGOTIATE_128 ? 128 : flags & NTLMSSP_NEGOTIATE_56 ? 56 : 40;
    } else if (GSS_ROUTINE_ERROR(major) == GSS_S_UNAVAILABLE) {
        flags = NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
        ki->key_bits = 128;
        if (inquire_u32(ctx, GSS_C_SEC_CONTEXT_SASL_SSF, value, &minor) == GSS_S_COMPLETE) {
            ssf = (OM_uint32)value[0] << 24 | (OM_uint32)value[1] << 16 | (OM_uint32)value[2] << 8 |
                  (OM_uint32)value[3];
            if (ssf == 56 || ssf == 40)
                ki->key_bits = ssf;
        }
    } else {
        return query_status(major, minor);
    }
    if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        ki->sign_name = "HMAC-MD5";
        ki->sign_alg = SIGN_HMAC_MD5;
    } else {
        ki->sign_name = "RSADSI RC4-CRC32";
        ki->sign_alg = SIGN_RC4_CRC32;
    }
    ki->encrypt_name = "RSADSI RC4";
    ki->encrypt_alg = CALG_RC4;
    return SEC_E_OK;
}

/* The enctype from the last arc of 1.2.840.113554.1.2.2.4.<enctype>, or 0. */
static uint32_t
enctype_from_oid(const gss_buffer_desc *oid)
{
    const unsigned char *p = oid->value;
    uint32_t etype = 0;
    size_t i;

    if (oid->length <= sizeof(krb5_enctype_arc) || oid->length > sizeof(krb5_enctype_arc) + 4 ||
        memcmp(p, krb5_enctype_arc, sizeof(krb5_enctype_arc)) != 0)
        return 0;
    for (i = sizeof(krb5_enctype_arc); i < oid->length; i++) {
        etype = etype << 7 | (p[i] & 0x7f);
        if (!(p[i] & 0x80))
            return i + 1 == oid->length ? etype : 0;
    }
    return 0;
}

/* Kerberos: the session key's enctype (second buffer of the SSPI key answer) names both. */
static SECURITY_STATUS
krb5_key_info(const struct sspi_ctx *ctx, struct key_info *ki)
{
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    OM_uint32 major, minor;
    uint32_t etype = 0;
    size_t i;

    major = gss_inquire_sec_context_by_oid(&minor, ctx->gss, GSS_C_INQ_SSPI_SESSION_KEY, &set);
    if (major != GSS_S_COMPLETE)
        return query_status(major, minor);
    if (set == GSS_C_NO_BUFFER_SET || set->count < 1) {
        gss_release_buffer_set(&minor, &set);
        return SEC_E_INTERNAL_ERROR;
    }
    ki->key_bits = (ULONG)(set->elements[0].length * 8);
    if (set->count >= 2)
        etype = enctype_from_oid(&set->elements[1]);
    explicit_bzero(set->elements[0].value, set->elements[0].length);
    gss_release_buffer_set(&minor, &set);
    ki->sign_name = ki->encrypt_name = "unknown";
    ki->sign_alg = 0;
    ki->encrypt_alg = etype;
    for (i = 0; i < sizeof(krb5_etypes) / sizeof(krb5_etypes[0]); i++) {
        if (krb5_etypes[i].etype == etype) {
            ki->sign_name = krb5_etypes[i].sign;
            ki->encrypt_name = krb5_etypes[i].encrypt;
            ki->sign_alg = krb5_etypes[i].sign_alg;
        }
    }
    return SEC_E_OK;
}

static SECURITY_STATUS
query_key_info(const struct sspi_ctx *ctx, void *buffer, bool wide)
{
    struct key_info ki = {NULL, NULL, 0, 0, 0};
    SECURITY_STATUS status;
    void *sign, *encrypt;

    status = sspi_ctx_package(ctx)->id == SSPI_PKG_NTLM ? ntlm_key_info(ctx, &ki)
                                                        : krb5_key_info(ctx, &ki);
    if (status != SEC_E_OK)
        return status;
    sign = out_string(ki.sign_name, wide);
    encrypt = out_string(ki.encrypt_name, wide);
    if (sign == NULL || encrypt == NULL) {
        FreeContextBuffer(sign);
        FreeContextBuffer(encrypt);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    if (wide) {
        SecPkgContext_KeyInfoW *out = buffer;

        *out = (SecPkgContext_KeyInfoW){sign, encrypt, ki.key_bits, ki.sign_alg, ki.encrypt_alg};
    } else {
        SecPkgContext_KeyInfoA *out = buffer;

        *out = (SecPkgContext_KeyInfoA){sign, encrypt, ki.key_bits, ki.sign_alg, ki.encrypt_alg};
    }
    return SEC_E_OK;
}

/* Windows TimeStamp of t in local time: 100 ns ticks since 1601-01-01. */
static void
timestamp_at(time_t t, TimeStamp *ts)
{
    long long seconds = (long long)t + 11644473600LL;
    unsigned long long ticks;
    struct tm local;

    if (localtime_r(&t, &local) != NULL)
        seconds += local.tm_gmtoff;
    ticks = (unsigned long long)seconds * 10000000ULL;
    ts->LowPart = (ULONG)(ticks & 0xffffffffu);
    ts->HighPart = (LONG)(ticks >> 32);
}

static void
query_lifespan(const struct sspi_ctx *ctx, SecPkgContext_Lifespan *out)
{
    timestamp_at(ctx->established_at, &out->tsStart);
    if (ctx->lifetime == GSS_C_INDEFINITE) {
        /* "never", as sspi_timestamp_in reports it */
        out->tsExpiry.LowPart = 0xffffffffu;
        out->tsExpiry.HighPart = 0x7fffffff;
    } else {
        timestamp_at(ctx->established_at + (time_t)ctx->lifetime, &out->tsExpiry);
    }
}

/*
 * NEGOTIATION_INFO and PACKAGE_INFO name the package actually in use (NTLM or Kerberos under
 * Negotiate once it has chosen); the SecPkgInfo is one block with its strings.
 */
static SECURITY_STATUS
query_package(const struct sspi_ctx *ctx, ULONG attribute, void *buffer, bool wide)
{
    const struct sspi_package *pkg = sspi_ctx_package(ctx);
    ULONG state = ctx->established ? SECPKG_NEGOTIATION_COMPLETE : SECPKG_NEGOTIATION_IN_PROGRESS;
    void *info = wide ? (void *)sspi_package_info_w(pkg) : (void *)sspi_package_info_a(pkg);

    if (info == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (attribute == SECPKG_ATTR_PACKAGE_INFO && wide)
        ((SecPkgContext_PackageInfoW *)buffer)->PackageInfo = info;
    else if (attribute == SECPKG_ATTR_PACKAGE_INFO)
        ((SecPkgContext_PackageInfoA *)buffer)->PackageInfo = info;
    else if (wide)
        *(SecPkgContext_NegotiationInfoW *)buffer = (SecPkgContext_NegotiationInfoW){info, state};
    else
        *(SecPkgContext_NegotiationInfoA *)buffer = (SecPkgContext_NegotiationInfoA){info, state};
    return SEC_E_OK;
}

/*
 * Levels that ask the mechanism need an established context; before that they are
 * SEC_E_INVALID_HANDLE, as the message calls are (and as GSS_S_NO_CONTEXT maps).
 */
static SECURITY_STATUS
query_context(struct sspi_ctx *ctx, ULONG attribute, void *buffer, bool wide)
{
    bool ready = ctx->established;

    if (buffer == NULL)
        return SEC_E_INVALID_PARAMETER;
    switch (attribute) {
    case SECPKG_ATTR_FLAGS:
        ((SecPkgContext_Flags *)buffer)->Flags = ctx->attrs;
        return SEC_E_OK;
    case SECPKG_ATTR_NEGOTIATION_INFO:
    case SECPKG_ATTR_PACKAGE_INFO:
        return query_package(ctx, attribute, buffer, wide);
    case SECPKG_ATTR_SIZES:
        return ready ? query_sizes(ctx, buffer) : SEC_E_INVALID_HANDLE;
    case SECPKG_ATTR_NAMES:
        return ready ? query_names(ctx, buffer, wide) : SEC_E_INVALID_HANDLE;
    case SECPKG_ATTR_NATIVE_NAMES:
        return ready ? query_native_names(ctx, buffer, wide) : SEC_E_INVALID_HANDLE;
    case SECPKG_ATTR_SESSION_KEY:
        return ready ? query_session_key(ctx, buffer) : SEC_E_INVALID_HANDLE;
    case SECPKG_ATTR_KEY_INFO:
        return ready ? query_key_info(ctx, buffer, wide) : SEC_E_INVALID_HANDLE;
    case SECPKG_ATTR_LIFESPAN:
        if (!ready)
            return SEC_E_INVALID_HANDLE;
        query_lifespan(ctx, buffer);
        return SEC_E_OK;
    /* Connection packages have no stream sizes (Windows' and Wine's NTLM say so too). */
    case SECPKG_ATTR_STREAM_SIZES:
    /* The token is QuerySecurityContextToken's business. */
    case SECPKG_ATTR_ACCESS_TOKEN:
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

/* The reference taken keeps the context alive against a concurrent DeleteSecurityContext. */
static SECURITY_STATUS
query(PCtxtHandle phContext, ULONG attribute, void *buffer, bool wide)
{
    struct sspi_ctx *ctx = sspi_ctx_from_handle(phContext);
    SECURITY_STATUS status;

    if (ctx == NULL)
        return SEC_E_INVALID_HANDLE;
    status = query_context(ctx, attribute, buffer, wide);
    sspi_ctx_unref(ctx);
    return status;
}

SECURITY_STATUS SEC_ENTRY
QueryContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer)
{
    return query(phContext, ulAttribute, pBuffer, false);
}

SECURITY_STATUS SEC_ENTRY
QueryContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer)
{
    return query(phContext, ulAttribute, pBuffer, true);
}

/* None of the three packages has a level a caller may set. */
SECURITY_STATUS SEC_ENTRY
SetContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer, ULONG cbBuffer)
{
    return sspi_handle_live(phContext, SSPI_HANDLE_CONTEXT) ? SEC_E_UNSUPPORTED_FUNCTION
                                                            : SEC_E_INVALID_HANDLE;
}

SECURITY_STATUS SEC_ENTRY
SetContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer, ULONG cbBuffer)
{
    return sspi_handle_live(phContext, SSPI_HANDLE_CONTEXT) ? SEC_E_UNSUPPORTED_FUNCTION
                                                            : SEC_E_INVALID_HANDLE;
}
