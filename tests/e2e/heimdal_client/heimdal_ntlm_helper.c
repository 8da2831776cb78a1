/*
 * Heimdal's GSS-API NTLM initiator as a token source for tests/e2e/ntlm_auth_peer.py: speaks the
 * line protocol of Samba's "ntlm_auth --helper-protocol=ntlmssp-client-1" ("YR" asks for the
 * NEGOTIATE, "TT <challenge>" for the AUTHENTICATE; answers "YR <token>", "KK <token>" or
 * "BH <reason>"; tokens in base64). Built against Heimdal's libgssapi (heimdal-multidev), never
 * MIT's: the mechanism is Heimdal's own GSS_NTLM_MECHANISM, whose credentials come from the
 * file NTLM_USER_FILE names (DOMAIN:user:password lines, the domain matched against the
 * target's).
 *
 * Usage: heimdal_ntlm_helper SERVICE@HOST
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <base64.h>
#include <gssapi/gssapi.h>

#define LINE_MAX_LEN 8192

static gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
static gss_name_t target = GSS_C_NO_NAME;

/* One gss_init_sec_context step; prints the answer line. Returns 0 when the line was a token. */
static int
step(const char *verb, const char *b64_in)
{
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min, tmp;
    char *b64_out = NULL;
    void *raw = NULL;
    int n;

    if (b64_in != NULL) {
        raw = malloc(strlen(b64_in) + 1);
        if (raw == NULL || (n = rk_base64_decode(b64_in, raw)) < 0) {
            printf("BH bad base64\n");
            free(raw);
            return 1;
        }
        in.value = raw;
        in.length = (size_t)n;
    }
    maj = gss_init_sec_context(&min, GSS_C_NO_CREDENTIAL, &ctx, target, GSS_NTLM_MECHANISM,
                               GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG, 0, GSS_C_NO_CHANNEL_BINDINGS,
                               b64_in != NULL ? &in : GSS_C_NO_BUFFER, NULL, &out, NULL, NULL);
    free(raw);
    if (GSS_ERROR(maj) || out.length == 0 ||
        rk_base64_encode(out.value, (int)out.length, &b64_out) < 0) {
        printf("BH gss_init_sec_context: major %#x minor %u\n", (unsigned)maj, (unsigned)min);
        gss_release_buffer(&tmp, &out);
        return 1;
    }
    printf("%s %s\n", verb, b64_out);
    free(b64_out);
    gss_release_buffer(&tmp, &out);
    return 0;
}

int
main(int argc, char **argv)
{
    gss_buffer_desc name;
    OM_uint32 maj, min;
    char line[LINE_MAX_LEN];

    if (argc != 2) {
        fprintf(stderr, "usage: heimdal_ntlm_helper SERVICE@HOST\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    name.value = argv[1];
    name.length = strlen(argv[1]);
    maj = gss_import_name(&min, &name, GSS_C_NT_HOSTBASED_SERVICE, &target);
    if (GSS_ERROR(maj)) {
        fprintf(stderr, "gss_import_name: major %#x minor %u\n", (unsigned)maj, (unsigned)min);
        return 1;
    }
    while (fgets(line, sizeof(line), stdin) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strcmp(line, "YR") == 0) {
            gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
            step("YR", NULL);
        } else if (strncmp(line, "TT ", 3) == 0 && ctx != GSS_C_NO_CONTEXT) {
            step("KK", line + 3);
        } else {
            printf("BH unexpected request\n");
        }
    }
    gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    gss_release_name(&min, &target);
    return 0;
}
