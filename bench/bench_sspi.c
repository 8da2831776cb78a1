/*
 * bench_sspi: what libsspi costs over calling the GSS-API directly, on our module. Handshakes
 * (InitializeSecurityContext/AcceptSecurityContext against gss_init/accept_sec_context) and 1 KiB
 * messages (EncryptMessage/DecryptMessage against gss_wrap/gss_unwrap, MakeSignature/
 * VerifySignature against gss_get_mic/gss_verify_mic), the two paths alternating in one process.
 * See bench/README.md and docs/performance.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gssapi/gssapi.h>

#include "bench_peers.h"
#include "bench_util.h"
#include "sspi.h"

#define MAX_REPS 51
#define TOKEN_SPACE 12000
#define MSG_SIZE 1024
#define SSPI_TARGET "HTTP/testhost.example"
#define ISC_FLAGS (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_CONNECTION)
#define ASC_FLAGS (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_CONNECTION)

static struct {
    int reps;
    double seconds;
    /* --profile GROUP SIDE N: one path only, N times after one warm-up, for callgrind/perf. */
    const char *group, *side;
    long count;
    bool callgrind;
} opt = {21, 0.1, NULL, NULL, 0, true};

/* ---- SSPI side ------------------------------------------------------------------------- */

struct sspi_side {
    CredHandle client_cred, server_cred;
    CtxtHandle client, server;
    bool have_client, have_server;
};

static void
report_sspi(const char *what, SECURITY_STATUS status)
{
    fprintf(stderr, "bench: %s: 0x%08x\n", what, (unsigned)status);
}

static int
sspi_credentials(struct sspi_side *s, const char *package)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {0};
    SECURITY_STATUS status;

    memset(s, 0, sizeof(*s));
    id.User = (UCHAR *)BENCH_USER;
    id.UserLength = (ULONG)strlen(BENCH_USER);
    id.Domain = (UCHAR *)BENCH_DOMAIN;
    id.DomainLength = (ULONG)strlen(BENCH_DOMAIN);
    id.Password = (UCHAR *)BENCH_PASSWORD;
    id.PasswordLength = (ULONG)strlen(BENCH_PASSWORD);
    id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    status = AcquireCredentialsHandleA(NULL, (LPSTR)package, SECPKG_CRED_OUTBOUND, NULL, &id, NULL,
                                       NULL, &s->client_cred, NULL);
    if (status == SEC_E_OK)
        status = AcquireCredentialsHandleA(NULL, (LPSTR)package, SECPKG_CRED_INBOUND, NULL, NULL,
                                           NULL, NULL, &s->server_cred, NULL);
    if (status != SEC_E_OK) {
        report_sspi("AcquireCredentialsHandleA", status);
        return -1;
    }
    return 0;
}

static void
sspi_delete_contexts(struct sspi_side *s)
{
    if (s->have_client)
        DeleteSecurityContext(&s->client);
    if (s->have_server)
        DeleteSecurityContext(&s->server);
    s->have_client = s->have_server = false;
}

/* The Windows loop: ISC and ASC in turn until both return SEC_E_OK. */
static int
sspi_establish(struct sspi_side *s)
{
    static unsigned char to_server[TOKEN_SPACE], to_client[TOKEN_SPACE];
    SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
    SecBuffer in_buf, out_buf;
    SecBufferDesc in = {SECBUFFER_VERSION, 1, &in_buf}, out = {SECBUFFER_VERSION, 1, &out_buf};
    ULONG attrs, to_client_len = 0;
    TimeStamp expiry;
    int round;

    for (round = 0; round < 8; round++) {
        in_buf = (SecBuffer){to_client_len, SECBUFFER_TOKEN, to_client};
        out_buf = (SecBuffer){sizeof(to_server), SECBUFFER_TOKEN, to_server};
        cs = InitializeSecurityContextA(
            &s->client_cred, s->have_client ? &s->client : NULL, (SEC_CHAR *)SSPI_TARGET, ISC_FLAGS,
            0, SECURITY_NATIVE_DREP, round == 0 ? NULL : &in, 0, &s->client, &out, &attrs, &expiry);
        if (cs != SEC_E_OK && cs != SEC_I_CONTINUE_NEEDED)
            break;
        s->have_client = true;
        if (out_buf.cbBuffer == 0)
            break;
        in_buf = (SecBuffer){out_buf.cbBuffer, SECBUFFER_TOKEN, to_server};
        out_buf = (SecBuffer){sizeof(to_client), SECBUFFER_TOKEN, to_client};
        ss = AcceptSecurityContext(&s->server_cred, s->have_server ? &s->server : NULL, &in,
                                   ASC_FLAGS, SECURITY_NATIVE_DREP, &s->server, &out, &attrs,
                                   &expiry);
        if (ss != SEC_E_OK && ss != SEC_I_CONTINUE_NEEDED)
            break;
        s->have_server = true;
        to_client_len = out_buf.cbBuffer;
        if (to_client_len == 0)
            break;
    }
    if (cs != SEC_E_OK || ss != SEC_E_OK) {
        fprintf(stderr, "bench: SSPI exchange stopped: client 0x%08x, server 0x%08x\n",
                (unsigned)cs, (unsigned)ss);
        return -1;
    }
    return 0;
}

static int
sspi_handshake_op(void *arg)
{
    struct sspi_side *s = arg;
    int ret = sspi_establish(s);

    sspi_delete_contexts(s);
    return ret;
}

/* One 1 KiB message sealed by the client and opened by the server, in place. */
struct sspi_msg {
    struct sspi_side *s;
    SecBuffer buf[2];
    SecBufferDesc desc;
    ULONG trailer;
    bool sign;
};

static int
sspi_msg_op(void *arg)
{
    struct sspi_msg *m = arg;
    SECURITY_STATUS status;
    ULONG qop;

    m->buf[0].cbBuffer = m->trailer;
    m->buf[1].cbBuffer = MSG_SIZE;
    status = m->sign ? MakeSignature(&m->s->client, 0, &m->desc, 0)
                     : EncryptMessage(&m->s->client, 0, &m->desc, 0);
    if (status == SEC_E_OK)
        status = m->sign ? VerifySignature(&m->s->server, &m->desc, 0, &qop)
                         : DecryptMessage(&m->s->server, &m->desc, 0, &qop);
    if (status != SEC_E_OK) {
        report_sspi(m->sign ? "MakeSignature/VerifySignature" : "EncryptMessage/DecryptMessage",
                    status);
        return -1;
    }
    return 0;
}

static int
sspi_msg_setup(struct sspi_msg *m, struct sspi_side *s, bool sign, unsigned char *token,
               unsigned char *data)
{
    SecPkgContext_Sizes sizes = {0};
    SECURITY_STATUS status;

    status = QueryContextAttributesA(&s->client, SECPKG_ATTR_SIZES, &sizes);
    if (status != SEC_E_OK) {
        report_sspi("QueryContextAttributesA(SIZES)", status);
        return -1;
    }
    m->s = s;
    m->sign = sign;
    m->trailer = sign ? sizes.cbMaxSignature : sizes.cbSecurityTrailer;
    if (m->trailer > 64)
        return -1;
    memset(data, 0x5a, MSG_SIZE);
    m->buf[0] = (SecBuffer){m->trailer, SECBUFFER_TOKEN, token};
    m->buf[1] = (SecBuffer){MSG_SIZE, SECBUFFER_DATA, data};
    m->desc = (SecBufferDesc){SECBUFFER_VERSION, 2, m->buf};
    return 0;
}

/* ---- direct GSS side ------------------------------------------------------------------- */

/* A GSS client importing its target per connection, as the SSPI caller hands it per call. */
static int
gss_handshake_op(void *arg)
{
    struct bench_peers *p = arg;
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    gss_name_t target = bench_import_target();
    OM_uint32 min;
    int ret = -1;

    if (target != GSS_C_NO_NAME)
        ret = bench_establish(p, target, &ictx, &actx);
    gss_delete_sec_context(&min, &ictx, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&min, &actx, GSS_C_NO_BUFFER);
    gss_release_name(&min, &target);
    return ret;
}

struct gss_msg {
    gss_ctx_id_t ictx, actx;
    gss_buffer_desc msg;
    bool sign;
};

static int
gss_msg_op(void *arg)
{
    struct gss_msg *g = arg;
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, back = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min;
    int conf = 0;

    if (g->sign) {
        maj = gss_get_mic(&min, g->ictx, GSS_C_QOP_DEFAULT, &g->msg, &tok);
        if (maj == GSS_S_COMPLETE)
            maj = gss_verify_mic(&min, g->actx, &g->msg, &tok, NULL);
    } else {
        maj = gss_wrap(&min, g->ictx, 1, GSS_C_QOP_DEFAULT, &g->msg, &conf, &tok);
        if (maj == GSS_S_COMPLETE)
            maj = gss_unwrap(&min, g->actx, &tok, &back, &conf, NULL);
    }
    gss_release_buffer(&min, &tok);
    gss_release_buffer(&min, &back);
    if (maj != GSS_S_COMPLETE) {
        bench_report_gss(g->sign ? "gss_get_mic/gss_verify_mic" : "gss_wrap/gss_unwrap", maj, min);
        return -1;
    }
    return 0;
}

/* ---- the comparison -------------------------------------------------------------------- */

/*
 * Alternates the two paths opt.reps times (the first one changing each repetition) and prints
 * both medians and the overhead: the median of the per-repetition ratios, each taken between
 * neighbouring runs, so that a slow minute on a shared machine hits both sides of a ratio.
 */
static int
compare(const char *sspi_name, bench_op sspi_op, void *sspi_arg, const char *gss_name,
        bench_op gss_op, void *gss_arg, const char *unit, const char *overhead_name,
        double *overhead)
{
    double sspi_rates[MAX_REPS], gss_rates[MAX_REPS], ratios[MAX_REPS];
    struct bench_timing t;
    bench_op op = sspi_op;
    void *arg = sspi_arg;
    long i;
    int r, k;

    if (opt.side != NULL) {
        if (strcmp(opt.side, "gss") == 0) {
            op = gss_op;
            arg = gss_arg;
        }
        for (i = 0; i <= opt.count; i++) {
            if (op(arg) != 0)
                return -1;
        }
        return 0;
    }
    /* Warm-up: lazy initialisation on both paths happens before any timing. */
    if (bench_time(0.05, sspi_op, sspi_arg, &t) != 0 || bench_time(0.05, gss_op, gss_arg, &t) != 0)
        return -1;
    for (r = 0; r < opt.reps; r++) {
        for (k = 0; k < 2; k++) {
            bool sspi = (k + r) % 2 == 0;

            if (bench_time(opt.seconds, sspi ? sspi_op : gss_op, sspi ? sspi_arg : gss_arg, &t) !=
                0)
                return -1;
            (sspi ? sspi_rates : gss_rates)[r] = bench_rate(&t);
        }
        ratios[r] = gss_rates[r] / sspi_rates[r];
    }
    bench_print(sspi_name, NULL, bench_median(sspi_rates, (size_t)opt.reps), unit);
    bench_print(gss_name, NULL, bench_median(gss_rates, (size_t)opt.reps), unit);
    *overhead = (bench_median(ratios, (size_t)opt.reps) - 1) * 100;
    bench_print(overhead_name, NULL, *overhead, "percent");
    return 0;
}

static int
bench_handshakes(const char *package, bool spnego, const char *what, bool target)
{
    static char names[2][3][64];
    struct bench_peers peers;
    struct sspi_side s;
    double overhead;
    int ret = -1;

    snprintf(names[spnego][0], sizeof(names[0][0]), "sspi_%s_handshakes", what);
    snprintf(names[spnego][1], sizeof(names[0][1]), "gss_%s_handshakes",
             spnego ? "spnego" : "ntlm");
    snprintf(names[spnego][2], sizeof(names[0][2]), "sspi_%s_handshake_overhead", what);
    if (sspi_credentials(&s, package) != 0)
        return -1;
    if (bench_peers_setup(&peers, spnego) != 0)
        goto done;
    if (compare(names[spnego][0], sspi_handshake_op, &s, names[spnego][1], gss_handshake_op, &peers,
                "per_s", names[spnego][2], &overhead) != 0)
        goto free_peers;
    if (target && opt.side == NULL)
        bench_target(names[spnego][2], overhead, false, 5);
    ret = 0;
free_peers:
    bench_peers_free(&peers);
done:
    FreeCredentialsHandle(&s.client_cred);
    FreeCredentialsHandle(&s.server_cred);
    return ret;
}

static int
bench_messages(bool sign)
{
    static unsigned char token[64], data[MSG_SIZE];
    struct bench_peers peers;
    struct sspi_side s;
    struct sspi_msg m;
    struct gss_msg g = {GSS_C_NO_CONTEXT, GSS_C_NO_CONTEXT, {MSG_SIZE, NULL}, sign};
    double overhead;
    OM_uint32 min;
    int ret = -1;

    if (sspi_credentials(&s, "NTLM") != 0)
        return -1;
    if (bench_peers_setup(&peers, false) != 0)
        goto done;
    g.msg.value = malloc(MSG_SIZE);
    if (g.msg.value == NULL || sspi_establish(&s) != 0 ||
        sspi_msg_setup(&m, &s, sign, token, data) != 0 ||
        bench_establish(&peers, peers.target, &g.ictx, &g.actx) != 0)
        goto free_all;
    memset(g.msg.value, 0x5a, MSG_SIZE);
    if (sign)
        ret = compare("sspi_sign_verify_1KiB", sspi_msg_op, &m, "gss_get_mic_verify_mic_1KiB",
                      gss_msg_op, &g, "msg_per_s", "sspi_sign_overhead_1KiB", &overhead);
    else
        ret = compare("sspi_encrypt_decrypt_1KiB", sspi_msg_op, &m, "gss_wrap_unwrap_1KiB",
                      gss_msg_op, &g, "msg_per_s", "sspi_message_overhead_1KiB", &overhead);
    if (ret == 0 && !sign && opt.side == NULL)
        bench_target("sspi_message_overhead_1KiB", overhead, false, 5);
free_all:
    free(g.msg.value);
    gss_delete_sec_context(&min, &g.ictx, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&min, &g.actx, GSS_C_NO_BUFFER);
    sspi_delete_contexts(&s);
    bench_peers_free(&peers);
done:
    FreeCredentialsHandle(&s.client_cred);
    FreeCredentialsHandle(&s.server_cred);
    return ret;
}

/* Per-operation Ir of one path under callgrind: (Ir(200) - Ir(0)) / 200, or NAN. */
static double
path_ir(const char *dir, const char *group, const char *side)
{
    char self[512], file[600], count[16];
    char *argv[] = {self, "--profile", (char *)group, (char *)side, count, NULL};
    double ir[2];
    ssize_t n;
    int i;

    n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
        return NAN;
    self[n] = '\0';
    for (i = 0; i < 2; i++) {
        snprintf(count, sizeof(count), "%d", i * 200);
        snprintf(file, sizeof(file), "%s/callgrind.%s.%s.%s.out", dir, group, side, count);
        ir[i] = bench_callgrind_ir(argv, NULL, file, false);
    }
    return (ir[1] - ir[0]) / 200;
}

/* The same comparisons counted in instructions: deterministic, where timings on a busy machine
 * are not. */
static int
bench_instructions(const char *dir)
{
    static const char *const groups[][4] = {
        {"ntlm", "sspi_ntlm_handshake_Ir", "gss_ntlm_handshake_Ir",
         "sspi_ntlm_handshake_overhead_Ir"},
        {"negotiate", "sspi_negotiate_handshake_Ir", "gss_spnego_handshake_Ir",
         "sspi_negotiate_handshake_overhead_Ir"},
        {"encrypt", "sspi_encrypt_decrypt_1KiB_Ir", "gss_wrap_unwrap_1KiB_Ir",
         "sspi_message_overhead_1KiB_Ir"},
    };
    double sspi, gss;
    size_t i;
    int failures = 0;

    if (!bench_have_valgrind()) {
        printf("# instruction counts skipped: valgrind is not installed\n");
        return 0;
    }
    for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
        sspi = path_ir(dir, groups[i][0], "sspi");
        gss = path_ir(dir, groups[i][0], "gss");
        failures += isnan(sspi) || isnan(gss);
        bench_print(groups[i][1], NULL, sspi, "Ir");
        bench_print(groups[i][2], NULL, gss, "Ir");
        bench_print(groups[i][3], NULL, (sspi / gss - 1) * 100, "percent");
    }
    return failures;
}

/* Runs the --profile group quietly; the world is removed afterwards. */
static int
profile(struct bench_world *world)
{
    int ret = 2;

    if (strcmp(opt.group, "ntlm") == 0)
        ret = bench_handshakes("NTLM", false, "ntlm", false);
    else if (strcmp(opt.group, "negotiate") == 0)
        ret = bench_handshakes("Negotiate", true, "negotiate", false);
    else if (strcmp(opt.group, "encrypt") == 0 || strcmp(opt.group, "sign") == 0)
        ret = bench_messages(strcmp(opt.group, "sign") == 0);
    else
        fprintf(stderr, "bench: unknown profile group %s\n", opt.group);
    bench_world_remove(world);
    return ret == 0 ? 0 : ret == 2 ? 2 : 1;
}

static int
usage(void)
{
    fprintf(stderr, "usage: bench_sspi [--reps N] [--seconds S] [--no-callgrind]\n"
                    "       bench_sspi --profile ntlm|negotiate|encrypt|sign sspi|gss N\n"
                    "environment: SSPIGSS_MODULE, BENCH_CLOCK=cpu|wall\n");
    return 2;
}

int
main(int argc, char **argv)
{
    struct bench_world world;
    char module_buf[600];
    const char *module, *clock = getenv("BENCH_CLOCK");
    int i, failures = 0;

    for (i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--reps") == 0)
            opt.reps = atoi(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--seconds") == 0)
            opt.seconds = strtod(argv[++i], NULL);
        else if (strcmp(argv[i], "--no-callgrind") == 0)
            opt.callgrind = false;
        else if (i + 3 < argc && strcmp(argv[i], "--profile") == 0) {
            opt.group = argv[++i];
            opt.side = argv[++i];
            opt.count = atol(argv[++i]);
            if (strcmp(opt.side, "sspi") != 0 && strcmp(opt.side, "gss") != 0)
                return usage();
        } else
            return usage();
    }
    if (opt.reps < 1 || opt.reps > MAX_REPS || !(opt.seconds > 0))
        return usage();
    module = bench_module_path(module_buf, sizeof(module_buf));
    if (module == NULL || access(module, R_OK) != 0) {
        fprintf(stderr, "bench: module %s not found: build it or set SSPIGSS_MODULE\n",
                module != NULL ? module : "(unknown)");
        return 1;
    }
    /* One module for the whole process: GSS_MECH_CONFIG is set before the first GSS call. */
    bench_world_remove_on_signal(&world);
    if (bench_world_create(&world, module, NULL, false) != 0) {
        bench_world_remove(&world);
        return 1;
    }
    if (opt.group != NULL)
        return profile(&world);
    printf("# bench_sspi: libsspi over %s\n", module);
    printf("# median of %d alternating runs of %g s per path; %s time; overhead = direct/shim - "
           "1\n",
           opt.reps, opt.seconds, clock != NULL && strcmp(clock, "wall") == 0 ? "wall" : "CPU");
    fflush(stdout);
    failures += bench_handshakes("NTLM", false, "ntlm", true) != 0;
    failures += bench_handshakes("Negotiate", true, "negotiate", false) != 0;
    failures += bench_messages(false) != 0;
    failures += bench_messages(true) != 0;
    if (opt.callgrind)
        failures += bench_instructions(world.dir);
    bench_print_targets();
    bench_world_remove(&world);
    if (failures > 0) {
        fprintf(stderr, "bench: %d measurement(s) failed\n", failures);
        return 1;
    }
    return 0;
}
