/*
 * One side of a GSS conversation over stdin/stdout, so that two processes, each with its own
 * GSS_MECH_CONFIG (ours or gss-ntlmssp), can authenticate each other and exchange protected
 * messages. Lines are "T <hex>" for context tokens, "W <hex>" for wrap tokens and "M <hex>"
 * for a message plus its MIC. Diagnostics go to stderr; exit status 0 means every step passed.
 *
 *   gss_peer init|accept ntlm|spnego [user password]
 *
 * The acceptor prints the name it authenticated and, when the mechanism vouches for them, the
 * SIDs a domain controller gave for it (name attribute urn:gssntlmssp:sids), then the local
 * account it maps to (gss_localname) or why none.
 *
 * Without user/password the initiator uses default credentials (NTLMUSER, NTLM_USER_FILE).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

static gss_OID_desc ntlm_oid = {10, "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};
static gss_OID_desc spnego_oid = {6, "\x2b\x06\x01\x05\x05\x02"};
static const char *role = "peer";

static void
report(const char *what, OM_uint32 major, OM_uint32 minor, gss_OID mech)
{
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    OM_uint32 min, ctx = 0;

    gss_display_status(&min, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &text);
    fprintf(stderr, "%s: %s failed: %.*s", role, what, (int)text.length, (char *)text.value);
    gss_release_buffer(&min, &text);
    ctx = 0;
    gss_display_status(&min, minor, GSS_C_MECH_CODE, mech, &ctx, &text);
    fprintf(stderr, " (%.*s)\n", (int)text.length, (char *)text.value);
    gss_release_buffer(&min, &text);
}

static bool
send_line(char kind, const gss_buffer_t b)
{
    size_t i;

    printf("%c ", kind);
    for (i = 0; i < b->length; i++)
        printf("%02x", ((const unsigned char *)b->value)[i]);
    printf("\n");
    return fflush(stdout) == 0;
}

/* Reads one line of the expected kind into b (malloc'd). */
static bool
recv_line(char kind, gss_buffer_t b)
{
    static char line[1 << 17];
    size_t len, i;
    unsigned char *p;

    if (fgets(line, sizeof(line), stdin) == NULL || line[0] != kind || line[1] != ' ') {
        fprintf(stderr, "%s: expected a '%c' line\n", role, kind);
        return false;
    }
    len = strcspn(line + 2, "\r\n");
    p = malloc(len / 2 + 1);
    if (p == NULL || len % 2 != 0)
        return false;
    for (i = 0; i < len / 2; i++) {
        unsigned v;

        if (sscanf(line + 2 + 2 * i, "%2x", &v) != 1)
            return false;
        p[i] = (unsigned char)v;
    }
    b->value = p;
    b->length = len / 2;
    return true;
}

static gss_cred_id_t
password_cred(const char *user, const char *password)
{
    gss_buffer_desc nbuf = {strlen(user), (void *)user};
    gss_buffer_desc pbuf = {strlen(password), (void *)password};
    gss_OID_set_desc mechs = {1, &ntlm_oid};
    gss_name_t name = GSS_C_NO_NAME;
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 maj, min;

    maj = gss_import_name(&min, &nbuf, GSS_C_NT_USER_NAME, &name);
    if (maj == GSS_S_COMPLETE)
        maj = gss_acquire_cred_with_password(&min, name, &pbuf, 0, &mechs, GSS_C_INITIATE, &cred,
                                             NULL, NULL);
    if (maj != GSS_S_COMPLETE)
        report("acquire_cred_with_password", maj, min, &ntlm_oid);
    gss_release_name(&min, &name);
    return cred;
}

static bool
initiate(gss_OID mech, gss_cred_id_t cred, gss_ctx_id_t *ctx)
{
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc service = {21, "HTTP@testhost.example"};
    gss_name_t target = GSS_C_NO_NAME;
    OM_uint32 maj, min;
    bool ok = false;

    maj = gss_import_name(&min, &service, GSS_C_NT_HOSTBASED_SERVICE, &target);
    if (maj != GSS_S_COMPLETE) {
        report("import_name", maj, min, mech);
        return false;
    }

    for (;;) {
        maj =
            gss_init_sec_context(&min, cred, ctx, target, mech, GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG,
                                 0, GSS_C_NO_CHANNEL_BINDINGS, &in, NULL, &out, NULL, NULL);
        free(in.value);
        in = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
        if (GSS_ERROR(maj)) {
            report("init_sec_context", maj, min, mech);
            break;
        }
        if (out.length > 0 && !send_line('T', &out))
            break;
        gss_release_buffer(&min, &out);
        if (maj == GSS_S_COMPLETE) {
            ok = true;
            break;
        }
        if (!recv_line('T', &in))
            break;
    }
    gss_release_buffer(&min, &out);
    gss_release_name(&min, &target);
    return ok;
}

/* The SIDs a domain controller gave for the client, when the mechanism vouches for them. */
static void
print_sids(gss_name_t src, const char *label)
{
    gss_buffer_desc attr = {sizeof("urn:gssntlmssp:sids") - 1, "urn:gssntlmssp:sids"};
    gss_buffer_desc value = GSS_C_EMPTY_BUFFER;
    int authenticated = 0, complete = 0, more = -1;
    OM_uint32 maj, min;

    maj = gss_get_name_attribute(&min, src, &attr, &authenticated, &complete, &value, NULL, &more);
    if (maj == GSS_S_COMPLETE)
        fprintf(stderr, "%s: %ssids%s %.*s\n", role, label, authenticated ? " (authenticated)" : "",
                (int)value.length, (char *)value.value);
    gss_release_buffer(&min, &value);
}

/* The local account the client maps to (gss_localname), or why there is none. */
static void
print_local_account(gss_name_t src)
{
    gss_buffer_desc local = GSS_C_EMPTY_BUFFER, text = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min, tmp, more = 0;

    maj = gss_localname(&min, src, GSS_C_NO_OID, &local);
    if (maj == GSS_S_COMPLETE) {
        fprintf(stderr, "%s: local account %.*s\n", role, (int)local.length, (char *)local.value);
    } else {
        gss_display_status(&tmp, min, GSS_C_MECH_CODE, &ntlm_oid, &more, &text);
        fprintf(stderr, "%s: no local account (%.*s)\n", role, (int)text.length,
                (char *)text.value);
    }
    gss_release_buffer(&tmp, &text);
    gss_release_buffer(&tmp, &local);
}

/*
 * GSS_PEER_REIMPORT set: the established context goes through gss_export_sec_context and
 * gss_import_sec_context, and the messages then use the imported one; its client is printed
 * again, prefixed "reimported".
 */
static bool
reimport(gss_ctx_id_t *ctx)
{
    gss_buffer_desc token = GSS_C_EMPTY_BUFFER, text;
    gss_name_t src = GSS_C_NO_NAME;
    OM_uint32 maj, min;

    maj = gss_export_sec_context(&min, ctx, &token);
    if (maj != GSS_S_COMPLETE) {
        report("export_sec_context", maj, min, &ntlm_oid);
        return false;
    }
    maj = gss_import_sec_context(&min, &token, ctx);
    gss_release_buffer(&min, &token);
    if (maj != GSS_S_COMPLETE) {
        report("import_sec_context", maj, min, &ntlm_oid);
        return false;
    }
    maj = gss_inquire_context(&min, *ctx, &src, NULL, NULL, NULL, NULL, NULL, NULL);
    if (maj != GSS_S_COMPLETE) {
        report("inquire_context", maj, min, &ntlm_oid);
        return false;
    }
    if (gss_display_name(&min, src, &text, NULL) == GSS_S_COMPLETE) {
        fprintf(stderr, "%s: reimported: authenticated %.*s\n", role, (int)text.length,
                (char *)text.value);
        gss_release_buffer(&min, &text);
    }
    print_sids(src, "reimported: ");
    gss_release_name(&min, &src);
    return true;
}

static bool
accept(gss_ctx_id_t *ctx)
{
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER, text;
    gss_name_t src = GSS_C_NO_NAME;
    OM_uint32 maj, min;

    for (;;) {
        if (!recv_line('T', &in))
            return false;
        maj = gss_accept_sec_context(&min, ctx, GSS_C_NO_CREDENTIAL, &in, GSS_C_NO_CHANNEL_BINDINGS,
                                     &src, NULL, &out, NULL, NULL, NULL);
        free(in.value);
        if (GSS_ERROR(maj)) {
            report("accept_sec_context", maj, min, &ntlm_oid);
            return false;
        }
        if (out.length > 0 && !send_line('T', &out))
            return false;
        gss_release_buffer(&min, &out);
        if (maj == GSS_S_COMPLETE)
            break;
    }
    if (gss_display_name(&min, src, &text, NULL) == GSS_S_COMPLETE) {
        fprintf(stderr, "%s: authenticated %.*s\n", role, (int)text.length, (char *)text.value);
        gss_release_buffer(&min, &text);
    }
    print_sids(src, "");
    print_local_account(src);
    gss_release_name(&min, &src);
    if (getenv("GSS_PEER_REIMPORT") != NULL)
        return reimport(ctx);
    return true;
}

static bool
send_messages(gss_ctx_id_t ctx, const char *text)
{
    gss_buffer_desc msg = {strlen(text), (void *)text}, tok = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min;
    bool ok;

    maj = gss_wrap(&min, ctx, 1, GSS_C_QOP_DEFAULT, &msg, NULL, &tok);
    if (maj != GSS_S_COMPLETE) {
        report("wrap", maj, min, &ntlm_oid);
        return false;
    }
    ok = send_line('W', &tok);
    gss_release_buffer(&min, &tok);
    maj = gss_get_mic(&min, ctx, GSS_C_QOP_DEFAULT, &msg, &tok);
    if (maj != GSS_S_COMPLETE) {
        report("get_mic", maj, min, &ntlm_oid);
        return false;
    }
    ok = ok && send_line('M', &tok);
    gss_release_buffer(&min, &tok);
    return ok;
}

static bool
receive_messages(gss_ctx_id_t ctx, const char *expected)
{
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc msg = {strlen(expected), (void *)expected};
    OM_uint32 maj, min;
    bool ok;

    if (!recv_line('W', &tok))
        return false;
    maj = gss_unwrap(&min, ctx, &tok, &out, NULL, NULL);
    free(tok.value);
    if (maj != GSS_S_COMPLETE) {
        report("unwrap", maj, min, &ntlm_oid);
        return false;
    }
    ok = out.length == msg.length && memcmp(out.value, expected, msg.length) == 0;
    gss_release_buffer(&min, &out);
    if (!ok) {
        fprintf(stderr, "%s: unwrapped message differs\n", role);
        return false;
    }
    if (!recv_line('M', &tok))
        return false;
    maj = gss_verify_mic(&min, ctx, &msg, &tok, NULL);
    free(tok.value);
    if (maj != GSS_S_COMPLETE) {
        report("verify_mic", maj, min, &ntlm_oid);
        return false;
    }
    return true;
}

int
main(int argc, char **argv)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_OID mech;
    OM_uint32 min;
    bool ok;

    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: gss_peer init|accept ntlm|spnego [user password]\n");
        return 2;
    }
    role = argv[1];
    mech = strcmp(argv[2], "spnego") == 0 ? &spnego_oid : &ntlm_oid;
    if (strcmp(role, "init") == 0) {
        if (argc == 5 && (cred = password_cred(argv[3], argv[4])) == GSS_C_NO_CREDENTIAL)
            return 1;
        ok = initiate(mech, cred, &ctx) && send_messages(ctx, "from the initiator") &&
             receive_messages(ctx, "from the acceptor");
    } else {
        ok = accept(&ctx) && receive_messages(ctx, "from the initiator") &&
             send_messages(ctx, "from the acceptor");
    }
    gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    gss_release_cred(&min, &cred);
    fprintf(stderr, "%s: %s\n", role, ok ? "all steps passed" : "FAILED");
    return ok ? 0 : 1;
}
