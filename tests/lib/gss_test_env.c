/* A private world for tests that go through MIT's mechglue. */
#include "gss_test_env.h"
#include "spnego_probe.h"
#include "test_util.h"

#include <CUnit/CUnit.h>
#include <gssapi/gssapi_ext.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static gss_OID_desc ntlm_oid_desc = {10, "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};
static gss_OID_desc spnego_oid_desc = {6, "\x2b\x06\x01\x05\x05\x02"};
gss_OID gss_test_ntlm_oid = &ntlm_oid_desc;
gss_OID gss_test_spnego_oid = &spnego_oid_desc;

static char dir[256];

static int
write_file(const char *name, const char *text, char *path_out, size_t path_size)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        return -1;
    }
    if (path_out != NULL)
        snprintf(path_out, path_size, "%s", path);
    return 0;
}

const char *
gss_test_env_setup(void)
{
    const char *module = getenv("SSPIGSS_MODULE");
    char line[1024], path[512];

    if (module == NULL) {
        fprintf(stderr, "SSPIGSS_MODULE is not set: run through make check\n");
        return NULL;
    }
    /* User files hold passwords: private, as user_file_permissions = strict demands. */
    umask(077);
    snprintf(dir, sizeof(dir), "%s/sspigss-test-XXXXXX", P_tmpdir);
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return NULL;
    }
    snprintf(line, sizeof(line), "sspigss_ntlm 1.3.6.1.4.1.311.2.2.10 %s\n", module);
    if (write_file("mech.conf", line, path, sizeof(path)) != 0)
        return NULL;
    setenv("GSS_MECH_CONFIG", path, 1);
    if (write_file("users",
                   TEST_DOMAIN ":" TEST_USER ":" TEST_PASSWORD "\n" TEST_DOMAIN ":bob:Secret-2\n",
                   path, sizeof(path)) != 0)
        return NULL;
    setenv("NTLM_USER_FILE", path, 1);
    if (gss_test_env_write_config("netbios_name = TESTHOST\ndns_name = testhost.example\n"
                                  "netbios_domain = TESTDOM\naudit = none\n") != 0)
        return NULL;
    snprintf(path, sizeof(path), "%s/ntlm.conf", dir);
    setenv("SSPIGSS_NTLM_CONFIG", path, 1);
    /* krb5 must find nothing: no config, no ticket, no keytab, no DNS. */
    if (write_file("krb5.conf", "[libdefaults]\n dns_lookup_kdc = false\n", path, sizeof(path)) !=
        0)
        return NULL;
    setenv("KRB5_CONFIG", path, 1);
    snprintf(path, sizeof(path), "FILE:%s/no-ccache", dir);
    setenv("KRB5CCNAME", path, 1);
    snprintf(path, sizeof(path), "FILE:%s/no-keytab", dir);
    setenv("KRB5_KTNAME", path, 1);
    setenv("NTLMUSER", TEST_DOMAIN "\\" TEST_USER, 1);
    return dir;
}

/* Unless text names one, the lockout table lives in the world, never in the installed
 * state_dir that other runs (or a real server) share. */
int
gss_test_env_write_config(const char *text)
{
    char *full = NULL;
    int ret;

    if (strstr(text, "state_dir") != NULL)
        return write_file("ntlm.conf", text, NULL, 0);
    if (asprintf(&full, "%s\nstate_dir = %s/state\n", text, dir) < 0)
        return -1;
    ret = write_file("ntlm.conf", full, NULL, 0);
    free(full);
    return ret;
}

/* Removes the state directory the module may have created, with its files. */
static void
remove_state_dir(void)
{
    char path[512], file[1024];
    struct dirent *e;
    DIR *d;

    snprintf(path, sizeof(path), "%s/state", dir);
    d = opendir(path);
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
        unlink(file);
    }
    closedir(d);
    rmdir(path);
}

void
gss_test_env_teardown(void)
{
    static const char *const files[] = {"mech.conf", "users", "ntlm.conf", "krb5.conf"};
    char path[512];
    size_t i;

    if (dir[0] == '\0')
        return;
    remove_state_dir();
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    dir[0] = '\0';
}

gss_cred_id_t
gss_test_password_cred(const char *user, const char *password)
{
    gss_buffer_desc nbuf = {strlen(user), (void *)user},
                    pbuf = {strlen(password), (void *)password};
    gss_OID_set_desc mechs = {1, gss_test_ntlm_oid};
    gss_name_t name = GSS_C_NO_NAME;
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 maj, min;

    maj = gss_import_name(&min, &nbuf, GSS_C_NT_USER_NAME, &name);
    CU_ASSERT_EQUAL_FATAL(maj, GSS_S_COMPLETE);
    maj = gss_acquire_cred_with_password(&min, name, &pbuf, 0, &mechs, GSS_C_INITIATE, &cred, NULL,
                                         NULL);
    CU_ASSERT_EQUAL(maj, GSS_S_COMPLETE);
    gss_release_name(&min, &name);
    return cred;
}

static unsigned skipped_for_9183;

bool
gss_test_needs_spnego_mic(void)
{
    static int probed = -1;
    CU_pTest test = CU_get_current_test();

    if (probed < 0)
        probed = spnego_mic_probe(GSS_C_NO_CREDENTIAL);
    if (probed != SPNEGO_MIC_TICKET_9183)
        return true;
    printf("\nSKIP: %s: %s\n", test != NULL ? test->pName : "?", SPNEGO_MIC_9183_REASON);
    skipped_for_9183++;
    return false;
}

int
gss_test_establish(gss_cred_id_t icred, OM_uint32 req_flags, gss_ctx_id_t *ictx, gss_ctx_id_t *actx)
{
    gss_buffer_desc tbuf = {21, "HTTP@testhost.example"};
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_name_t target = GSS_C_NO_NAME;
    OM_uint32 imaj = GSS_S_CONTINUE_NEEDED, amaj = GSS_S_CONTINUE_NEEDED, min;
    int legs;

    if (gss_import_name(&min, &tbuf, GSS_C_NT_HOSTBASED_SERVICE, &target) != GSS_S_COMPLETE)
        return 0;
    /* NEGOTIATE, CHALLENGE, AUTHENTICATE: a few legs at most, whatever goes wrong. */
    for (legs = 0; legs < 4 && !(imaj == GSS_S_COMPLETE && amaj == GSS_S_COMPLETE); legs++) {
        imaj = gss_init_sec_context(&min, icred, ictx, target, gss_test_ntlm_oid, req_flags, 0,
                                    GSS_C_NO_CHANNEL_BINDINGS, &in, NULL, &out, NULL, NULL);
        gss_release_buffer(&min, &in);
        if (GSS_ERROR(imaj) || out.length == 0)
            break;
        amaj = gss_accept_sec_context(&min, actx, GSS_C_NO_CREDENTIAL, &out,
                                      GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &in, NULL, NULL, NULL);
        gss_release_buffer(&min, &out);
        if (GSS_ERROR(amaj))
            break;
    }
    gss_release_buffer(&min, &in);
    gss_release_buffer(&min, &out);
    gss_release_name(&min, &target);
    return imaj == GSS_S_COMPLETE && amaj == GSS_S_COMPLETE;
}

int
gss_test_env_run_suite(const char *name, CU_TestInfo *tests)
{
    int status;

    if (gss_test_env_setup() == NULL)
        return 99;
    status = test_run_suite(name, tests);
    gss_test_env_teardown();
    /* automake's SKIP when a test was skipped and none failed: never a silent pass. */
    if (status == 0 && skipped_for_9183 > 0) {
        printf("%u test(s) skipped: %s\n", skipped_for_9183, SPNEGO_MIC_9183_REASON);
        status = 77;
    }
    return status;
}

char *
gss_test_minor_text(OM_uint32 minor)
{
    gss_buffer_desc b = GSS_C_EMPTY_BUFFER;
    OM_uint32 min, ctx = 0;
    char *s;

    if (gss_display_status(&min, minor, GSS_C_MECH_CODE, gss_test_ntlm_oid, &ctx, &b) !=
        GSS_S_COMPLETE)
        return strdup("");
    s = strndup(b.value, b.length);
    gss_release_buffer(&min, &b);
    return s;
}
