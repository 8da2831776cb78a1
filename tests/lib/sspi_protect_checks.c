/*
 * Message protection and context attribute checks on an established client/server pair, through
 * the public SSPI API only. Expectations follow the Windows documentation and Wine's ntlm.c
 * (testSignSeal, testAuth); sspi_protect_checks.h says what each function covers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "sspi.h"
#include "sspi_protect_checks.h"

#define QOP_UNTOUCHED 0xdeadbeefu
#define SPACE 256 /* room for any TOKEN these packages produce */
#define PACKAGE_NAME_MAX 32
/* ISC_RET_* and ASC_RET_* share these bits. */
#define RET_REPLAY_OR_SEQUENCE (ISC_RET_REPLAY_DETECT | ISC_RET_SEQUENCE_DETECT)

struct sspi_check_limits sspi_check_limits;

int
sspi_check_limits_for_module(void)
{
    const char *module = getenv("SSPIGSS_MODULE");
    int incumbent = module != NULL && strstr(module, "gssntlmssp") != NULL;

    if (incumbent)
        sspi_check_limits = (struct sspi_check_limits){1, 1};
    return incumbent;
}

static const char hello[] = "Hello, world!";

/* A message of up to four buffers, each with its own storage. Pass by pointer only. */
struct msg {
    SecBuffer buf[4];
    SecBufferDesc desc;
    unsigned char space[4][SPACE];
};

static void
msg_data(struct msg *m, int i, ULONG type, const char *text)
{
    size_t len = strlen(text);

    memcpy(m->space[i], text, len);
    m->buf[i] = (SecBuffer){(ULONG)len, type, m->space[i]};
}

/* A TOKEN of size bytes, filled with 0xaa so a write into it shows. */
static void
msg_token(struct msg *m, int i, ULONG size)
{
    memset(m->space[i], 0xaa, SPACE);
    m->buf[i] = (SecBuffer){size, SECBUFFER_TOKEN, m->space[i]};
}

static void
msg_done(struct msg *m, ULONG count)
{
    m->desc = (SecBufferDesc){SECBUFFER_VERSION, count, m->buf};
}

/* dst becomes a copy of src whose buffers point into dst's own storage. */
static void
msg_copy(struct msg *dst, const struct msg *src)
{
    int i;

    memcpy(dst, src, sizeof(*dst));
    for (i = 0; i < 4; i++)
        dst->buf[i].pvBuffer = dst->space[i];
    dst->desc.pBuffers = dst->buf;
}

static int
buf_is(const SecBuffer *b, const char *text)
{
    return b->cbBuffer == strlen(text) && memcmp(b->pvBuffer, text, b->cbBuffer) == 0;
}

static int
untouched_token(const struct msg *m, int i)
{
    return m->space[i][0] == 0xaa && m->space[i][SPACE - 1] == 0xaa;
}

static SecPkgContext_Sizes
sizes_of(CtxtHandle *ctx)
{
    SecPkgContext_Sizes sizes = {0};

    CU_ASSERT_EQUAL(QueryContextAttributesA(ctx, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    return sizes;
}

static ULONG
flags_of(CtxtHandle *ctx)
{
    SecPkgContext_Flags flags = {0};

    CU_ASSERT_EQUAL(QueryContextAttributesA(ctx, SECPKG_ATTR_FLAGS, &flags), SEC_E_OK);
    return flags.Flags;
}

static int
package_is(CtxtHandle *ctx, const char *name)
{
    SecPkgContext_NegotiationInfoA info = {0};
    int same;

    CU_ASSERT_EQUAL_FATAL(QueryContextAttributesA(ctx, SECPKG_ATTR_NEGOTIATION_INFO, &info),
                          SEC_E_OK);
    same = strcmp(info.PackageInfo->Name, name) == 0;
    FreeContextBuffer(info.PackageInfo);
    return same;
}

/*
 * *pfQOP after DecryptMessage of a sealed message: Windows' NTLM leaves it as the caller set it
 * (Wine's ntlm.c test_Encrypt: still 0xdeadbeef), Kerberos writes 0 (sealed).
 */
static ULONG
sealed_qop(CtxtHandle *to)
{
    return package_is(to, "NTLM") ? QOP_UNTOUCHED : 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Signatures                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void
signature_round_trip(CtxtHandle *from, CtxtHandle *to, ULONG sig_size)
{
    struct msg m;
    ULONG qop = QOP_UNTOUCHED;

    msg_data(&m, 0, SECBUFFER_DATA, hello);
    msg_token(&m, 1, sig_size);
    msg_done(&m, 2);
    CU_ASSERT_EQUAL(MakeSignature(from, 0, &m.desc, 0), SEC_E_OK);
    CU_ASSERT(m.buf[1].cbBuffer > 0 && m.buf[1].cbBuffer <= sig_size);
    CU_ASSERT(buf_is(&m.buf[0], hello));
    CU_ASSERT_EQUAL(VerifySignature(to, &m.desc, 0, &qop), SEC_E_OK);
    /* Windows' NTLM leaves *pfQOP alone (Wine's testSignSeal checks it). */
    CU_ASSERT_EQUAL(qop, QOP_UNTOUCHED);
}

/* Signs a message nobody will verify: the sender spends a sequence number. */
static void
sign_and_drop(CtxtHandle *from, ULONG sig_size)
{
    struct msg m;

    msg_data(&m, 0, SECBUFFER_DATA, "dropped");
    msg_token(&m, 1, sig_size);
    msg_done(&m, 2);
    CU_ASSERT_EQUAL(MakeSignature(from, 0, &m.desc, 0), SEC_E_OK);
}

/* READONLY_WITH_CHECKSUM buffers are signed (Wine's 4-buffer layout); READONLY ones are not. */
static void
check_signature_layouts(CtxtHandle *from, CtxtHandle *to, ULONG sig_size)
{
    struct msg m;
    ULONG qop = QOP_UNTOUCHED;

    msg_data(&m, 0, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, "header");
    msg_data(&m, 1, SECBUFFER_DATA, hello);
    msg_data(&m, 2, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, "trailer");
    msg_token(&m, 3, sig_size);
    msg_done(&m, 4);
    CU_ASSERT_EQUAL(MakeSignature(from, 0, &m.desc, 0), SEC_E_OK);
    CU_ASSERT_EQUAL(VerifySignature(to, &m.desc, 0, &qop), SEC_E_OK);

    msg_data(&m, 0, SECBUFFER_DATA, hello);
    msg_data(&m, 1, SECBUFFER_DATA | SECBUFFER_READONLY, "not signed");
    msg_token(&m, 2, sig_size);
    msg_done(&m, 3);
    CU_ASSERT_EQUAL(MakeSignature(from, 0, &m.desc, 0), SEC_E_OK);
    m.space[1][0] ^= 0x01;
    CU_ASSERT_EQUAL(VerifySignature(to, &m.desc, 0, &qop), SEC_E_OK);
    CU_ASSERT_EQUAL(qop, QOP_UNTOUCHED);
}

/* Refusals that come before the context moves: a round trip afterwards still works. */
static void
check_signature_refusals(CtxtHandle *from, CtxtHandle *to, ULONG sig_size)
{
    CtxtHandle zero = {0, 0};
    struct msg m;
    ULONG qop = QOP_UNTOUCHED;

    /* Wine's testSignSeal: two DATA buffers and no TOKEN. */
    msg_data(&m, 0, SECBUFFER_DATA, hello);
    msg_data(&m, 1, SECBUFFER_DATA, hello);
    msg_done(&m, 2);
    CU_ASSERT_EQUAL(MakeSignature(from, 0, &m.desc, 0), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(VerifySignature(to, &m.desc, 0, &qop), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(qop, QOP_UNTOUCHED);

    msg_data(&m, 0, SECBUFFER_DATA, hello);
    msg_token(&m, 1, sig_size - 1);
    msg_done(&m, 2);
    CU_ASSERT_EQUAL(MakeSignature(from, 0, &m.desc, 0), SEC_E_BUFFER_TOO_SMALL);
    CU_ASSERT(untouched_token(&m, 1));
    CU_ASSERT_EQUAL(m.buf[1].cbBuffer, sig_size - 1);

    msg_token(&m, 1, sig_size);
    m.desc.ulVersion = 1;
    CU_ASSERT_EQUAL(MakeSignature(from, 0, &m.desc, 0), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(MakeSignature(from, 0, NULL, 0), SEC_E_INVALID_PARAMETER);
    m.desc.ulVersion = SECBUFFER_VERSION;
    CU_ASSERT_EQUAL(MakeSignature(&zero, 0, &m.desc, 0), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(VerifySignature(&zero, &m.desc, 0, &qop), SEC_E_INVALID_HANDLE);
    CU_ASSERT(untouched_token(&m, 1));
    signature_round_trip(from, to, sig_size);
}

static void
check_tampered_signature(CtxtHandle *from, CtxtHandle *to, ULONG sig_size)
{
    struct msg m;
    ULONG qop = QOP_UNTOUCHED;

    msg_data(&m, 0, SECBUFFER_DATA, hello);
    msg_token(&m, 1, sig_size);
    msg_done(&m, 2);
    CU_ASSERT_EQUAL(MakeSignature(from, 0, &m.desc, 0), SEC_E_OK);
    m.space[0][0] ^= 0x01;
    CU_ASSERT_EQUAL(VerifySignature(to, &m.desc, 0, &qop), SEC_E_MESSAGE_ALTERED);
    CU_ASSERT_EQUAL(qop, QOP_UNTOUCHED);
    m.space[0][0] ^= 0x01;
    /* A forgery must not cost the genuine message its place; without sequence checks the
     * forgery used that place up, on both sides alike. */
    if (!sspi_check_limits.no_sequence_checks)
        CU_ASSERT_EQUAL(VerifySignature(to, &m.desc, 0, &qop), SEC_E_OK);
}

static void
check_replayed_signature(CtxtHandle *from, CtxtHandle *to, ULONG sig_size)
{
    struct msg m;
    ULONG qop = QOP_UNTOUCHED;
    SECURITY_STATUS status;

    msg_data(&m, 0, SECBUFFER_DATA, hello);
    msg_token(&m, 1, sig_size);
    msg_done(&m, 2);
    CU_ASSERT_EQUAL(MakeSignature(from, 0, &m.desc, 0), SEC_E_OK);
    CU_ASSERT_EQUAL(VerifySignature(to, &m.desc, 0, &qop), SEC_E_OK);
    status = VerifySignature(to, &m.desc, 0, &qop);
    if (sspi_check_limits.no_sequence_checks) {
        CU_ASSERT_EQUAL(status, SEC_E_MESSAGE_ALTERED);
        sign_and_drop(from, sig_size); /* the receiver spent a number on the replay */
    } else if (flags_of(to) & RET_REPLAY_OR_SEQUENCE) {
        CU_ASSERT_EQUAL(status, SEC_E_OUT_OF_SEQUENCE);
    } else {
        /* no detection asked for: a mechanism may still refuse, but only as out of sequence */
        CU_ASSERT(status == SEC_E_OK || status == SEC_E_OUT_OF_SEQUENCE);
    }
    CU_ASSERT_EQUAL(qop, QOP_UNTOUCHED);
}

void
sspi_check_signatures(CtxtHandle *from, CtxtHandle *to)
{
    ULONG sig_size = sizes_of(from).cbMaxSignature;

    CU_ASSERT_FATAL(sig_size > 1 && sig_size <= SPACE);
    signature_round_trip(from, to, sig_size);
    signature_round_trip(to, from, sig_size);
    check_signature_layouts(from, to, sig_size);
    check_signature_refusals(from, to, sig_size);
    check_tampered_signature(from, to, sig_size);
    check_replayed_signature(from, to, sig_size);
    signature_round_trip(from, to, sig_size);
    signature_round_trip(to, from, sig_size);
}

/* ------------------------------------------------------------------------------------------ */
/* Encryption                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* [DATA, TOKEN] (or [TOKEN, DATA]) sealed and opened; returns the TOKEN length used. */
static ULONG
encryption_round_trip(CtxtHandle *from, CtxtHandle *to, ULONG trailer, int token_first)
{
    struct msg m;
    int d = token_first ? 1 : 0, t = 1 - d;
    ULONG qop = QOP_UNTOUCHED, used;

    msg_data(&m, d, SECBUFFER_DATA, hello);
    msg_token(&m, t, trailer);
    msg_done(&m, 2);
    CU_ASSERT_EQUAL(EncryptMessage(from, 0, &m.desc, 0), SEC_E_OK);
    used = m.buf[t].cbBuffer;
    CU_ASSERT(used > 0 && used <= trailer);
    CU_ASSERT_EQUAL(m.buf[d].cbBuffer, strlen(hello));
    CU_ASSERT(!buf_is(&m.buf[d], hello));
    CU_ASSERT_EQUAL(DecryptMessage(to, &m.desc, 0, &qop), SEC_E_OK);
    CU_ASSERT_EQUAL(qop, sealed_qop(to));
    CU_ASSERT(buf_is(&m.buf[d], hello));
    return used;
}

/* Refusals that come before the context moves: a round trip afterwards still works. */
static void
check_encryption_refusals(CtxtHandle *from, CtxtHandle *to, ULONG trailer, ULONG used)
{
    CtxtHandle zero = {0, 0};
    struct msg m;
    ULONG qop = QOP_UNTOUCHED;

    msg_data(&m, 0, SECBUFFER_DATA, hello);
    msg_token(&m, 1, used - 1);
    msg_done(&m, 2);
    CU_ASSERT_EQUAL(EncryptMessage(from, 0, &m.desc, 0), SEC_E_BUFFER_TOO_SMALL);
    CU_ASSERT(buf_is(&m.buf[0], hello));
    CU_ASSERT(untouched_token(&m, 1));
    CU_ASSERT_EQUAL(m.buf[1].cbBuffer, used - 1);

    msg_token(&m, 1, trailer);
    CU_ASSERT_EQUAL(EncryptMessage(from, 0x12345, &m.desc, 0), SEC_E_QOP_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(EncryptMessage(&zero, 0, &m.desc, 0), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(DecryptMessage(&zero, &m.desc, 0, &qop), SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(EncryptMessage(from, 0, NULL, 0), SEC_E_INVALID_PARAMETER);
    CU_ASSERT(untouched_token(&m, 1));

    msg_done(&m, 1); /* DATA alone: nowhere to put the trailer */
    CU_ASSERT_EQUAL(EncryptMessage(from, 0, &m.desc, 0), SEC_E_INVALID_TOKEN);
    CU_ASSERT_EQUAL(DecryptMessage(to, &m.desc, 0, &qop), SEC_E_INVALID_TOKEN);
    CU_ASSERT(buf_is(&m.buf[0], hello));
    CU_ASSERT_EQUAL(qop, QOP_UNTOUCHED);
    encryption_round_trip(from, to, trailer, 0);
}

/*
 * READONLY_WITH_CHECKSUM buffers are signed but stay clear; with four_buffers, Wine's layout
 * [DATA|RO_CHECKSUM, DATA, DATA|RO_CHECKSUM, TOKEN].
 */
static void
check_readonly_with_checksum(CtxtHandle *from, CtxtHandle *to, ULONG trailer, int four_buffers)
{
    struct msg m, saved;
    ULONG qop = QOP_UNTOUCHED, count = four_buffers ? 4 : 3;
    SECURITY_STATUS status;

    msg_data(&m, 0, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, "header");
    msg_data(&m, 1, SECBUFFER_DATA, hello);
    if (four_buffers)
        msg_data(&m, 2, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, "trailer");
    msg_token(&m, (int)count - 1, trailer);
    msg_done(&m, count);
    status = EncryptMessage(from, 0, &m.desc, 0);
    if (sspi_check_limits.no_iov) {
        CU_ASSERT_EQUAL(status, SEC_E_UNSUPPORTED_FUNCTION);
        CU_ASSERT(buf_is(&m.buf[1], hello));
        CU_ASSERT(untouched_token(&m, (int)count - 1));
        return;
    }
    CU_ASSERT_EQUAL(status, SEC_E_OK);
    CU_ASSERT(buf_is(&m.buf[0], "header"));
    CU_ASSERT(!buf_is(&m.buf[1], hello));
    CU_ASSERT(!four_buffers || buf_is(&m.buf[2], "trailer"));
    /* The clear header is covered by the signature. */
    if (!sspi_check_limits.no_sequence_checks) {
        msg_copy(&saved, &m);
        m.space[0][0] ^= 0x01;
        CU_ASSERT_EQUAL(DecryptMessage(to, &m.desc, 0, &qop), SEC_E_MESSAGE_ALTERED);
        CU_ASSERT_EQUAL(qop, QOP_UNTOUCHED);
        msg_copy(&m, &saved);
    }
    CU_ASSERT_EQUAL(DecryptMessage(to, &m.desc, 0, &qop), SEC_E_OK);
    CU_ASSERT_EQUAL(qop, sealed_qop(to));
    CU_ASSERT(buf_is(&m.buf[0], "header"));
    CU_ASSERT(buf_is(&m.buf[1], hello));
    CU_ASSERT(!four_buffers || buf_is(&m.buf[2], "trailer"));
}

/*
 * SECQOP_WRAP_NO_ENCRYPT: integrity only, reported by DecryptMessage. NTLMSSP tokens do not say
 * whether they are sealed, so a sealing NTLM context refuses it, touching nothing.
 */
static void
check_integrity_only(CtxtHandle *from, CtxtHandle *to, ULONG trailer, int ntlm)
{
    struct msg m;
    ULONG qop = QOP_UNTOUCHED;
    SECURITY_STATUS status;

    msg_data(&m, 0, SECBUFFER_DATA, hello);
    msg_token(&m, 1, trailer);
    msg_done(&m, 2);
    status = EncryptMessage(from, SECQOP_WRAP_NO_ENCRYPT, &m.desc, 0);
    CU_ASSERT(buf_is(&m.buf[0], hello));
    if (ntlm) {
        CU_ASSERT_EQUAL(status, SEC_E_QOP_NOT_SUPPORTED);
        CU_ASSERT(untouched_token(&m, 1));
        return;
    }
    CU_ASSERT_EQUAL(status, SEC_E_OK);
    CU_ASSERT_EQUAL(DecryptMessage(to, &m.desc, 0, &qop), SEC_E_OK);
    CU_ASSERT_EQUAL(qop, SECQOP_WRAP_NO_ENCRYPT);
    CU_ASSERT(buf_is(&m.buf[0], hello));
}

/* A whole token (TOKEN then DATA) as one SECBUFFER_STREAM: DATA ends up pointing into it. */
static void
check_stream(CtxtHandle *from, CtxtHandle *to, ULONG trailer)
{
    unsigned char stream[2 * SPACE];
    struct msg m;
    SecBuffer bufs[2];
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    ULONG qop = QOP_UNTOUCHED, len;
    unsigned char *data;

    msg_token(&m, 0, trailer);
    msg_data(&m, 1, SECBUFFER_DATA, hello);
    msg_done(&m, 2);
    CU_ASSERT_EQUAL_FATAL(EncryptMessage(from, 0, &m.desc, 0), SEC_E_OK);
    len = m.buf[0].cbBuffer + m.buf[1].cbBuffer;
    memcpy(stream, m.buf[0].pvBuffer, m.buf[0].cbBuffer);
    memcpy(stream + m.buf[0].cbBuffer, m.buf[1].pvBuffer, m.buf[1].cbBuffer);
    bufs[0] = (SecBuffer){len, SECBUFFER_STREAM, stream};
    bufs[1] = (SecBuffer){0, SECBUFFER_DATA, NULL};
    CU_ASSERT_EQUAL(DecryptMessage(to, &desc, 0, &qop), SEC_E_OK);
    CU_ASSERT_EQUAL(qop, sealed_qop(to));
    data = bufs[1].pvBuffer;
    CU_ASSERT_FATAL(data >= stream && data + bufs[1].cbBuffer <= stream + len);
    CU_ASSERT(buf_is(&bufs[1], hello));
}

void
sspi_check_encryption(CtxtHandle *from, CtxtHandle *to)
{
    ULONG trailer = sizes_of(from).cbSecurityTrailer, used;
    int ntlm = package_is(from, "NTLM");

    CU_ASSERT_FATAL(trailer > 1 && trailer <= SPACE);
    CU_ASSERT(flags_of(from) & ISC_RET_CONFIDENTIALITY); /* same bit as ASC_RET_ */
    used = encryption_round_trip(from, to, trailer, 0);
    encryption_round_trip(to, from, trailer, 1);
    CU_ASSERT_FATAL(used > 1);
    check_encryption_refusals(from, to, trailer, used);
    check_readonly_with_checksum(from, to, trailer, 0);
    check_integrity_only(from, to, trailer, ntlm);
    check_readonly_with_checksum(from, to, trailer, 1);
    check_stream(from, to, trailer);
    encryption_round_trip(from, to, trailer, 1);
    encryption_round_trip(to, from, trailer, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Attributes                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static int
wide_is(const SEC_WCHAR *w, const char *ascii)
{
    size_t i;

    if (w == NULL)
        return 0;
    for (i = 0; ascii[i] != '\0'; i++) {
        if (w[i] != (SEC_WCHAR)(unsigned char)ascii[i])
            return 0;
    }
    return w[i] == 0;
}

/* The UTF-16 string as ASCII (non-ASCII units as '?'), for comparing names. */
static void
narrow(const SEC_WCHAR *w, char *out, size_t size)
{
    size_t i;

    for (i = 0; w != NULL && w[i] != 0 && i + 1 < size; i++)
        out[i] = w[i] < 0x80 ? (char)w[i] : '?';
    out[i] = '\0';
}

static void
check_sizes(CtxtHandle *ctx, const char *want_package)
{
    SecPkgContext_Sizes sizes = sizes_of(ctx);

    CU_ASSERT(sizes.cbMaxToken > 0);
    CU_ASSERT(sizes.cbMaxSignature > 0);
    CU_ASSERT(sizes.cbSecurityTrailer >= sizes.cbMaxSignature);
    if (strcmp(want_package, "NTLM") == 0) {
        /* Wine's negotiate.c and ntlm.c: Windows' NTLM numbers. */
        CU_ASSERT(sizes.cbMaxToken == 2888 || sizes.cbMaxToken == 1904);
        CU_ASSERT_EQUAL(sizes.cbMaxSignature, 16);
        CU_ASSERT_EQUAL(sizes.cbSecurityTrailer, 16);
        CU_ASSERT_EQUAL(sizes.cbBlockSize, 0);
    }
}

/* The SecPkgInfo is one block: its strings follow the struct (Wine checks the HeapSize). */
static void
check_package_info_a(const SecPkgInfoA *pi, const char *want_package)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(pi);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pi->Name);
    CU_ASSERT_STRING_EQUAL(pi->Name, want_package);
    CU_ASSERT_EQUAL(pi->wVersion, 1);
    CU_ASSERT(pi->Name == (SEC_CHAR *)(pi + 1));
    CU_ASSERT(pi->Comment == pi->Name + strlen(pi->Name) + 1);
}

static void
check_package_info_w(const SecPkgInfoW *pi, const char *want_package)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(pi);
    CU_ASSERT(wide_is(pi->Name, want_package));
    CU_ASSERT_EQUAL(pi->wVersion, 1);
    CU_ASSERT(pi->Name == (SEC_WCHAR *)(pi + 1));
    CU_ASSERT(pi->Comment == pi->Name + strlen(want_package) + 1);
}

static void
check_package_levels(CtxtHandle *ctx, const char *want_package)
{
    SecPkgContext_NegotiationInfoA nia = {0};
    SecPkgContext_NegotiationInfoW niw = {0};
    SecPkgContext_PackageInfoA pia = {0};
    SecPkgContext_PackageInfoW piw = {0};

    CU_ASSERT_EQUAL_FATAL(QueryContextAttributesA(ctx, SECPKG_ATTR_NEGOTIATION_INFO, &nia),
                          SEC_E_OK);
    CU_ASSERT_EQUAL(nia.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    check_package_info_a(nia.PackageInfo, want_package);
    CU_ASSERT_EQUAL(FreeContextBuffer(nia.PackageInfo), SEC_E_OK);

    CU_ASSERT_EQUAL_FATAL(QueryContextAttributesW(ctx, SECPKG_ATTR_NEGOTIATION_INFO, &niw),
                          SEC_E_OK);
    CU_ASSERT_EQUAL(niw.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    check_package_info_w(niw.PackageInfo, want_package);
    CU_ASSERT_EQUAL(FreeContextBuffer(niw.PackageInfo), SEC_E_OK);

    CU_ASSERT_EQUAL_FATAL(QueryContextAttributesA(ctx, SECPKG_ATTR_PACKAGE_INFO, &pia), SEC_E_OK);
    check_package_info_a(pia.PackageInfo, want_package);
    CU_ASSERT_EQUAL(FreeContextBuffer(pia.PackageInfo), SEC_E_OK);

    CU_ASSERT_EQUAL_FATAL(QueryContextAttributesW(ctx, SECPKG_ATTR_PACKAGE_INFO, &piw), SEC_E_OK);
    check_package_info_w(piw.PackageInfo, want_package);
    CU_ASSERT_EQUAL(FreeContextBuffer(piw.PackageInfo), SEC_E_OK);
}

/* NAMES in A and W: the same non-empty name; want (if not NULL) is what it must be. */
static void
check_names(CtxtHandle *ctx, const char *want)
{
    SecPkgContext_NamesA na = {0};
    SecPkgContext_NamesW nw = {0};
    char wide_as_ascii[256];

    CU_ASSERT_EQUAL_FATAL(QueryContextAttributesA(ctx, SECPKG_ATTR_NAMES, &na), SEC_E_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(na.sUserName);
    CU_ASSERT(na.sUserName[0] != '\0');
    if (want != NULL)
        CU_ASSERT_STRING_EQUAL(na.sUserName, want);
    CU_ASSERT_EQUAL_FATAL(QueryContextAttributesW(ctx, SECPKG_ATTR_NAMES, &nw), SEC_E_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nw.sUserName);
    narrow(nw.sUserName, wide_as_ascii, sizeof(wide_as_ascii));
    CU_ASSERT_STRING_EQUAL(wide_as_ascii, na.sUserName);
    CU_ASSERT_EQUAL(FreeContextBuffer(na.sUserName), SEC_E_OK);
    CU_ASSERT_EQUAL(FreeContextBuffer(nw.sUserName), SEC_E_OK);
}

/* NATIVE_NAMES: two strings, each its own allocation; the client's is known on both sides. */
static void
check_native_names(CtxtHandle *ctx)
{
    SecPkgContext_NativeNamesA na = {0};
    SecPkgContext_NativeNamesW nw = {0};

    CU_ASSERT_EQUAL_FATAL(QueryContextAttributesA(ctx, SECPKG_ATTR_NATIVE_NAMES, &na), SEC_E_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(na.sClientName);
    CU_ASSERT_PTR_NOT_NULL_FATAL(na.sServerName);
    CU_ASSERT(na.sClientName[0] != '\0');
    CU_ASSERT_EQUAL_FATAL(QueryContextAttributesW(ctx, SECPKG_ATTR_NATIVE_NAMES, &nw), SEC_E_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nw.sClientName);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nw.sServerName);
    CU_ASSERT(nw.sClientName[0] != 0);
    FreeContextBuffer(na.sClientName);
    FreeContextBuffer(na.sServerName);
    FreeContextBuffer(nw.sClientName);
    FreeContextBuffer(nw.sServerName);
}

static void
check_session_keys(CtxtHandle *client, CtxtHandle *server)
{
    SecPkgContext_SessionKey ck = {0}, sk = {0};

    CU_ASSERT_EQUAL_FATAL(QueryContextAttributesA(client, SECPKG_ATTR_SESSION_KEY, &ck), SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(QueryContextAttributesW(server, SECPKG_ATTR_SESSION_KEY, &sk), SEC_E_OK);
    CU_ASSERT(ck.SessionKeyLength > 0 && ck.SessionKey != NULL);
    CU_ASSERT_EQUAL(ck.SessionKeyLength, sk.SessionKeyLength);
    if (ck.SessionKeyLength == sk.SessionKeyLength && ck.SessionKey != NULL &&
        sk.SessionKey != NULL)
        CU_ASSERT(memcmp(ck.SessionKey, sk.SessionKey, ck.SessionKeyLength) == 0);
    CU_ASSERT_EQUAL(FreeContextBuffer(ck.SessionKey), SEC_E_OK);
    CU_ASSERT_EQUAL(FreeContextBuffer(sk.SessionKey), SEC_E_OK);
}

static long long
ticks(const TimeStamp *ts)
{
    return (long long)((unsigned long long)(ULONG)ts->HighPart << 32 | ts->LowPart);
}

static void
check_lifespan(CtxtHandle *ctx)
{
    SecPkgContext_Lifespan life;

    memset(&life, 0, sizeof(life));
    CU_ASSERT_EQUAL_FATAL(QueryContextAttributesA(ctx, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    CU_ASSERT(ticks(&life.tsStart) > 0);
    CU_ASSERT(ticks(&life.tsStart) < ticks(&life.tsExpiry));
}

/* NTLM: Wine's testAuth numbers for a real (NTLMv2) server; Kerberos: an enctype and its key. */
static void
check_key_info(CtxtHandle *ctx, const char *want_package)
{
    SecPkgContext_KeyInfoA ka = {0};
    SecPkgContext_KeyInfoW kw = {0};
    char sign_w[PACKAGE_NAME_MAX * 2];

    CU_ASSERT_EQUAL_FATAL(QueryContextAttributesA(ctx, SECPKG_ATTR_KEY_INFO, &ka), SEC_E_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ka.sSignatureAlgorithmName);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ka.sEncryptAlgorithmName);
    if (strcmp(want_package, "NTLM") == 0) {
        CU_ASSERT_STRING_EQUAL(ka.sSignatureAlgorithmName, "HMAC-MD5");
        CU_ASSERT_EQUAL(ka.SignatureAlgorithm, 0xffffff76);
        CU_ASSERT_STRING_EQUAL(ka.sEncryptAlgorithmName, "RSADSI RC4");
        CU_ASSERT_EQUAL(ka.EncryptAlgorithm, 0x6801); /* CALG_RC4 */
        CU_ASSERT_EQUAL(ka.KeySize, 128);
    } else {
        CU_ASSERT(ka.sEncryptAlgorithmName[0] != '\0');
        CU_ASSERT(ka.EncryptAlgorithm != 0);
        CU_ASSERT(ka.KeySize >= 128);
    }
    CU_ASSERT_EQUAL_FATAL(QueryContextAttributesW(ctx, SECPKG_ATTR_KEY_INFO, &kw), SEC_E_OK);
    narrow(kw.sSignatureAlgorithmName, sign_w, sizeof(sign_w));
    CU_ASSERT_STRING_EQUAL(sign_w, ka.sSignatureAlgorithmName);
    CU_ASSERT(kw.sEncryptAlgorithmName != NULL && kw.sEncryptAlgorithmName[0] != 0);
    CU_ASSERT_EQUAL(kw.KeySize, ka.KeySize);
    CU_ASSERT_EQUAL(kw.SignatureAlgorithm, ka.SignatureAlgorithm);
    CU_ASSERT_EQUAL(kw.EncryptAlgorithm, ka.EncryptAlgorithm);
    FreeContextBuffer(ka.sSignatureAlgorithmName);
    FreeContextBuffer(ka.sEncryptAlgorithmName);
    FreeContextBuffer(kw.sSignatureAlgorithmName);
    FreeContextBuffer(kw.sEncryptAlgorithmName);
}

static void
check_attribute_refusals(CtxtHandle *ctx)
{
    SecPkgContext_StreamSizes stream;
    SecPkgContext_Flags flags = {0};
    CtxtHandle zero = {0, 0};
    unsigned char any[64];

    /* Connection packages: Windows' and Wine's NTLM refuse STREAM_SIZES too. */
    CU_ASSERT_EQUAL(QueryContextAttributesA(ctx, SECPKG_ATTR_STREAM_SIZES, &stream),
                    SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(QueryContextAttributesW(ctx, SECPKG_ATTR_STREAM_SIZES, &stream),
                    SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(QueryContextAttributesA(ctx, SECPKG_ATTR_ACCESS_TOKEN, any),
                    SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(QueryContextAttributesA(ctx, 0x7777, any), SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(QueryContextAttributesA(ctx, SECPKG_ATTR_SIZES, NULL), SEC_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(QueryContextAttributesW(&zero, SECPKG_ATTR_FLAGS, &flags),
                    SEC_E_INVALID_HANDLE);
    CU_ASSERT_EQUAL(SetContextAttributesA(ctx, SECPKG_ATTR_FLAGS, &flags, sizeof(flags)),
                    SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(SetContextAttributesW(ctx, SECPKG_ATTR_FLAGS, &flags, sizeof(flags)),
                    SEC_E_UNSUPPORTED_FUNCTION);
    CU_ASSERT_EQUAL(SetContextAttributesA(&zero, SECPKG_ATTR_FLAGS, &flags, sizeof(flags)),
                    SEC_E_INVALID_HANDLE);
}

void
sspi_check_attributes(CtxtHandle *client, CtxtHandle *server, const char *want_package,
                      const char *want_user)
{
    CtxtHandle *side[2] = {client, server};
    int i;

    for (i = 0; i < 2; i++) {
        check_sizes(side[i], want_package);
        check_package_levels(side[i], want_package);
        check_native_names(side[i]);
        check_lifespan(side[i]);
        check_key_info(side[i], want_package);
        check_attribute_refusals(side[i]);
    }
    /* Every test asks for integrity; the two sides report it in their own bit. */
    CU_ASSERT(flags_of(client) & ISC_RET_INTEGRITY);
    CU_ASSERT(flags_of(server) & ASC_RET_INTEGRITY);
    check_names(server, want_user);
    check_names(client, NULL);
    check_session_keys(client, server);
}
