/*
 * libFuzzer target in the manner of MIT's fuzz_gss: gss_accept_sec_context(GSS_C_NO_CREDENTIAL)
 * through the real mechglue, which loads the module from a one-line GSS_MECH_CONFIG, so raw
 * NTLMSSP and SPNEGO-wrapped tokens both reach it. Input layout:
 *
 *   offset  size  field
 *   ------  ----  -------------------------------------------------------------------------
 *        0     1  options: bit 0 pass channel bindings, bit 1 ask for the optional outputs
 *                 (source name, mech, flags, time, delegated cred), bit 2 export and
 *                 re-import an established context
 *        1     -  up to MAX_PIECES pieces, each a 2-byte big-endian length and that many bytes
 *                 (a length past the end takes what is left)
 *
 * Pieces go to gss_accept_sec_context on one context while it asks for more (at most
 * MAX_ACCEPT_TOKENS); once it is established, each further piece is given to gss_unwrap and to
 * gss_verify_mic (as signature || message). The context is deleted after every input.
 *
 * The acceptor's server challenge comes from RAND_bytes, which this program defines (and
 * exports, see fuzz/build.sh) so that the module's calls bind to it: a fixed stream restarted
 * for every input makes runs deterministic, and makes the MS-NLMP 4.2 example AUTHENTICATE
 * messages (server challenge 0123456789abcdef, Domain\User, "Password") authenticate, so the
 * fuzzer starts past the password check.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gssapi/gssapi.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Visible (the build hides everything else) so that the link can export it to the module. */
__attribute__((visibility("default"))) int RAND_bytes(unsigned char *buf, int num);

#ifndef SSPIGSS_FUZZ_MODULE
#define SSPIGSS_FUZZ_MODULE ""
#endif

#define MAX_PIECES 5
#define MAX_ACCEPT_TOKENS 3

#define OPT_BINDINGS 1u
#define OPT_OUTPUTS 2u
#define OPT_EXPORT 4u

/* The MS-NLMP 4.2.1 user, and the one of the interop captures in the seeds. */
static const char users_text[] = "Domain:User:Password\n"
                                 "TESTDOM:alice:Passw0rd!\n";
/*
 * Every acceptor path on: NTLMv1 and anonymous allowed. No timestamp window, replay cache or
 * lockout, which would make the outcome depend on the clock and on earlier inputs; no audit
 * lines.
 */
static const char config_text[] = "netbios_name = SERVER\n"
                                  "netbios_domain = DOMAIN\n"
                                  "dns_name = server.domain.test\n"
                                  "dns_domain = domain.test\n"
                                  "ntlmv1 = yes\n"
                                  "anonymous = yes\n"
                                  "replay_window = 0\n"
                                  "lockout_threshold = 0\n"
                                  "audit = none\n";
static const char krb5_text[] = "[libdefaults]\n dns_lookup_kdc = false\n";
static const char *const file_names[] = {"mech.conf", "users", "ntlm.conf", "krb5.conf"};

static char dir[256];
static size_t rand_pos;
/* FUZZ_GSS_TRACE=1 prints each call's status: for checking what a seed reaches. */
static bool trace;

static void
trace_status(const char *call, OM_uint32 major, OM_uint32 minor)
{
    static gss_OID_desc ntlm_oid = {10, "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    OM_uint32 tmp, context = 0;

    if (!trace)
        return;
    if (minor != 0)
        (void)gss_display_status(&tmp, minor, GSS_C_MECH_CODE, &ntlm_oid, &context, &text);
    fprintf(stderr, "fuzz_gss_accept: %s: major %#x minor %#x %.*s\n", call, major, minor,
            (int)text.length, (const char *)text.value);
    (void)gss_release_buffer(&tmp, &text);
}

/* The server challenge of MS-NLMP 4.2.1, then a counter. */
int
RAND_bytes(unsigned char *buf, int num)
{
    static const unsigned char start[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
    int i;

    for (i = 0; i < num; i++, rand_pos++)
        buf[i] = rand_pos < sizeof(start) ? start[rand_pos] : (unsigned char)(rand_pos * 0x9d);
    return 1;
}

static void
die(const char *what)
{
    fprintf(stderr, "fuzz_gss_accept: %s\n", what);
    exit(1);
}

static void
write_file(const char *name, const char *text, const char *env)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    /* Private, as the module wants a user file to be. */
    if (f == NULL || fchmod(fileno(f), 0600) != 0 || fputs(text, f) < 0 || fclose(f) != 0)
        die("cannot write the configuration files");
    if (env != NULL)
        setenv(env, path, 1);
}

static void
remove_files(void)
{
    char path[512];
    size_t i;

    for (i = 0; i < sizeof(file_names) / sizeof(file_names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, file_names[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* Splits data into pieces; returns how many. */
static size_t
split(const uint8_t *data, size_t size, gss_buffer_desc pieces[MAX_PIECES])
{
    size_t n = 0;

    while (size >= 2 && n < MAX_PIECES) {
        size_t len = (size_t)data[0] << 8 | data[1];

        data += 2;
        size -= 2;
        if (len > size)
            len = size;
        pieces[n].value = (void *)data;
        pieces[n].length = len;
        n++;
        data += len;
        size -= len;
    }
    return n;
}

/* What an application does with the peer's name: display it. */
static void
use_name(gss_name_t name)
{
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;

    if (name == GSS_C_NO_NAME)
        return;
    if (gss_display_name(&minor, name, &text, NULL) == GSS_S_COMPLETE)
        (void)gss_release_buffer(&minor, &text);
}

/* A per-message token on an established context: as a wrap token, then as signature||message. */
static void
protect_piece(gss_ctx_id_t ctx, gss_buffer_t piece)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER, sig, msg;
    OM_uint32 major, minor;
    int conf = 0;

    major = gss_unwrap(&minor, ctx, piece, &out, &conf, NULL);
    trace_status("gss_unwrap", major, minor);
    (void)gss_release_buffer(&minor, &out);
    sig.value = piece->value;
    sig.length = piece->length < 16 ? piece->length : 16;
    msg.value = (uint8_t *)piece->value + sig.length;
    msg.length = piece->length - sig.length;
    major = gss_verify_mic(&minor, ctx, &msg, &sig, NULL);
    trace_status("gss_verify_mic", major, minor);
}

/* Export and import: the module's context serializer and parser on a real established state. */
static void
export_import(gss_ctx_id_t *ctx)
{
    gss_buffer_desc token = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor;

    major = gss_export_sec_context(&minor, ctx, &token);
    trace_status("gss_export_sec_context", major, minor);
    if (major != GSS_S_COMPLETE)
        return;
    major = gss_import_sec_context(&minor, &token, ctx);
    trace_status("gss_import_sec_context", major, minor);
    (void)gss_release_buffer(&minor, &token);
}

/*
 * Loads the module and its one-time state now, so that the first input is like every other,
 * and stops here when the module refuses this setup (its configuration, say): a target that
 * only ever sees that refusal would pass every run while fuzzing nothing.
 */
static void
check_setup(void)
{
    static const uint8_t negotiate[] = "NTLMSSP\0\x01\0\0\0\x37\x82\x08\xe2"
                                       "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x06\x01\xb1\x1d\0\0\0\x0f";
    gss_buffer_desc in = {sizeof(negotiate) - 1, (void *)negotiate};
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    OM_uint32 major, minor;
    bool saved = trace;

    trace = true;
    major = gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL, &in,
                                   GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &out, NULL, NULL, NULL);
    if (major != GSS_S_CONTINUE_NEEDED) {
        trace_status("the acceptor refused a NEGOTIATE", major, minor);
        die("setup failed: is the module the one these sources describe?");
    }
    trace = saved;
    (void)gss_release_buffer(&minor, &out);
    (void)gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *module = getenv("SSPIGSS_MODULE");
    const char *tmp = getenv("TMPDIR");
    char line[1024], path[512];
    trace = getenv("FUZZ_GSS_TRACE") != NULL;
    if (module == NULL || *module == '\0')
        module = SSPIGSS_FUZZ_MODULE;
    if (*module == '\0' || access(module, R_OK) != 0)
        die("no module: set SSPIGSS_MODULE to a (sanitized) sspigss_ntlm.so");
    snprintf(dir, sizeof(dir), "%s/sspigss-fuzz-XXXXXX",
             tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        die("mkdtemp failed");
    atexit(remove_files);
    snprintf(line, sizeof(line), "sspigss_ntlm 1.3.6.1.4.1.311.2.2.10 %s\n", module);
    write_file("mech.conf", line, "GSS_MECH_CONFIG");
    write_file("users", users_text, "NTLM_USER_FILE");
    write_file("ntlm.conf", config_text, "SSPIGSS_NTLM_CONFIG");
    /* krb5 (reached through SPNEGO) must find nothing: no config, no ticket, no keytab. */
    write_file("krb5.conf", krb5_text, "KRB5_CONFIG");
    snprintf(path, sizeof(path), "FILE:%s/no-ccache", dir);
    setenv("KRB5CCNAME", path, 1);
    snprintf(path, sizeof(path), "FILE:%s/no-keytab", dir);
    setenv("KRB5_KTNAME", path, 1);
    unsetenv("NTLMUSER");
    check_setup();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t app_data[] = "tls-server-end-point:0123456789abcdef0123456789abcdef";
    struct gss_channel_bindings_struct cb;
    gss_buffer_desc pieces[MAX_PIECES];
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_name_t src = GSS_C_NO_NAME;
    gss_cred_id_t delegated = GSS_C_NO_CREDENTIAL;
    OM_uint32 major = GSS_S_CONTINUE_NEEDED, minor, flags, lifetime;
    gss_OID mech;
    size_t n, i;
    unsigned options;
    bool outputs;

    if (size < 1)
        return 0;
    options = data[0];
    outputs = options & OPT_OUTPUTS;
    n = split(data + 1, size - 1, pieces);
    memset(&cb, 0, sizeof(cb));
    cb.application_data.value = app_data;
    cb.application_data.length = sizeof(app_data) - 1;
    rand_pos = 0;

    for (i = 0; i < n && i < MAX_ACCEPT_TOKENS && major == GSS_S_CONTINUE_NEEDED; i++) {
        gss_buffer_desc out = GSS_C_EMPTY_BUFFER;

        major = gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL, &pieces[i],
                                       (options & OPT_BINDINGS) ? &cb : GSS_C_NO_CHANNEL_BINDINGS,
                                       outputs ? &src : NULL, outputs ? &mech : NULL, &out,
                                       outputs ? &flags : NULL, outputs ? &lifetime : NULL,
                                       outputs ? &delegated : NULL);
        trace_status("gss_accept_sec_context", major, minor);
        (void)gss_release_buffer(&minor, &out);
        use_name(src);
        (void)gss_release_name(&minor, &src);
        (void)gss_release_cred(&minor, &delegated);
    }
    if (major == GSS_S_COMPLETE) {
        for (; i < n; i++)
            protect_piece(ctx, &pieces[i]);
        if (options & OPT_EXPORT)
            export_import(&ctx);
    }
    (void)gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
    return 0;
}
