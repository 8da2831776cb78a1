/*
 * sspigss-doctor --login: one NTLM logon through the real mechglue (initiator and acceptor in
 * this process, raw NTLMSSP), as the server's user when asked, with the audit line it produced.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "doctor.h"

static gss_OID_desc ntlm_oid = {10, "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};

/* The minor status in the module's words, into buf. */
static void
status_text(OM_uint32 major, OM_uint32 minor, char *buf, size_t size)
{
    gss_buffer_desc maj_text = GSS_C_EMPTY_BUFFER, min_text = GSS_C_EMPTY_BUFFER;
    OM_uint32 tmp, ctx = 0;

    gss_display_status(&tmp, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &maj_text);
    ctx = 0;
    gss_display_status(&tmp, minor, GSS_C_MECH_CODE, &ntlm_oid, &ctx, &min_text);
    snprintf(buf, size, "%.*s (%.*s)", (int)maj_text.length, (char *)maj_text.value,
             (int)min_text.length, (char *)min_text.value);
    gss_release_buffer(&tmp, &maj_text);
    gss_release_buffer(&tmp, &min_text);
}

/* The service the initiator names: the first of service_names ("class/host"), else HTTP on
 * the acceptor's own DNS name, so that service_binding accepts it. */
static void
target_service(const struct ntlm_config *cfg, char *buf, size_t size)
{
    const char *spn = cfg->service_names != NULL ? cfg->service_names[0] : NULL;
    const char *slash = spn != NULL ? strchr(spn, '/') : NULL;

    if (slash != NULL)
        snprintf(buf, size, "%.*s@%s", (int)(slash - spn), spn, slash + 1);
    else
        snprintf(buf, size, "HTTP@%s", cfg->dns_name != NULL ? cfg->dns_name : "localhost");
}

/* The fix a failed logon points to, from the words of its minor status. */
static const char *
login_fix(const char *why)
{
    if (strstr(why, "wrong password") != NULL)
        return "check the password, or set it again with sspigss-user passwd";
    if (strstr(why, "unknown user") != NULL)
        return "add the user with sspigss-user add, or check its domain";
    if (strstr(why, "locked") != NULL)
        return "wait lockout_duration, or remove the lockout table in state_dir";
    return "read the audit line, and the trace SSPIGSS_NTLM_DEBUG=/tmp/trace writes";
}

/* The logon itself; in the child, after it became the server's user. Returns 0 on success. */
static int
logon(const struct ntlm_config *cfg, const char *user, const char *password)
{
    gss_buffer_desc name_buf, pw_buf, svc_buf, in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc shown = GSS_C_EMPTY_BUFFER;
    gss_OID_set_desc mechs = {1, &ntlm_oid};
    gss_name_t name = GSS_C_NO_NAME, target = GSS_C_NO_NAME, peer = GSS_C_NO_NAME;
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    OM_uint32 maj, imaj = GSS_S_CONTINUE_NEEDED, amaj = GSS_S_CONTINUE_NEEDED, min, tmp;
    char service[512], why[512];
    const char *step = "acquire_cred_with_password";
    int ret = 1, round;

    name_buf.value = (void *)user;
    name_buf.length = strlen(user);
    pw_buf.value = (void *)password;
    pw_buf.length = strlen(password);
    target_service(cfg, service, sizeof(service));
    svc_buf.value = service;
    svc_buf.length = strlen(service);
    maj = gss_import_name(&min, &name_buf, GSS_C_NT_USER_NAME, &name);
    if (maj == GSS_S_COMPLETE)
        maj = gss_acquire_cred_with_password(&min, name, &pw_buf, 0, &mechs, GSS_C_INITIATE, &cred,
                                             NULL, NULL);
    if (maj == GSS_S_COMPLETE) {
        step = "import_name";
        maj = gss_import_name(&min, &svc_buf, GSS_C_NT_HOSTBASED_SERVICE, &target);
    }
    for (round = 0; maj == GSS_S_COMPLETE && round < 4; round++) {
        step = "init_sec_context";
        imaj = gss_init_sec_context(&min, cred, &ictx, target, &ntlm_oid,
                                    GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG, 0,
                                    GSS_C_NO_CHANNEL_BINDINGS, &in, NULL, &out, NULL, NULL);
        gss_release_buffer(&tmp, &in);
        if (GSS_ERROR(imaj)) {
            maj = imaj;
            break;
        }
        if (out.length == 0)
            break;
        step = "accept_sec_context";
        amaj =
            gss_accept_sec_context(&min, &actx, GSS_C_NO_CREDENTIAL, &out,
                                   GSS_C_NO_CHANNEL_BINDINGS, &peer, NULL, &in, NULL, NULL, NULL);
        gss_release_buffer(&tmp, &out);
        if (GSS_ERROR(amaj)) {
            maj = amaj;
            break;
        }
        if (amaj == GSS_S_COMPLETE && imaj == GSS_S_COMPLETE)
            break;
    }
    if (maj == GSS_S_COMPLETE && amaj == GSS_S_COMPLETE) {
        gss_display_name(&tmp, peer, &shown, NULL);
        doctor_say(DOCTOR_OK, "login", NULL,
                   "%s logged in through the mechglue, as \"%.*s\" "
                   "(target %s)",
                   user, (int)shown.length, (char *)shown.value, service);
        ret = 0;
    } else {
        status_text(maj, min, why, sizeof(why));
        doctor_say(DOCTOR_FAIL, "login", login_fix(why), "%s could not log in: %s failed: %s", user,
                   step, why);
    }
    gss_release_buffer(&tmp, &shown);
    gss_release_buffer(&tmp, &in);
    gss_release_buffer(&tmp, &out);
    gss_delete_sec_context(&tmp, &ictx, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&tmp, &actx, GSS_C_NO_BUFFER);
    gss_release_cred(&tmp, &cred);
    gss_release_name(&tmp, &name);
    gss_release_name(&tmp, &target);
    gss_release_name(&tmp, &peer);
    return ret;
}

/* Copies the configuration file at from (absent: empty) to to, its audit line replaced by one
 * that appends to audit. */
static int
write_config(const char *from, const char *to, const char *audit)
{
    char line[8192];
    const char *p;
    FILE *in, *out;
    int ret = 0;

    out = fopen(to, "w");
    if (out == NULL)
        return -1;
    in = fopen(from, "r");
    while (in != NULL && fgets(line, sizeof(line), in) != NULL) {
        p = line + strspn(line, " \t");
        if (strncmp(p, "audit", 5) == 0 && strchr(" \t=", p[5]) != NULL)
            continue;
        fputs(line, out);
        if (strchr(line, '\n') == NULL)
            fputc('\n', out);
    }
    if (in != NULL)
        fclose(in);
    fprintf(out, "audit = %s\n", audit);
    if (fclose(out) != 0)
        ret = -1;
    return ret;
}

static void
print_audit(const char *audit)
{
    char line[4096];
    FILE *f = fopen(audit, "r");
    bool any = false;

    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        doctor_say(DOCTOR_INFO, "login", NULL, "audit: %s", line);
        any = true;
    }
    if (f != NULL)
        fclose(f);
    if (!any)
        doctor_say(DOCTOR_INFO, "login", NULL,
                   "no audit line was written (the attempt did "
                   "not reach the AUTHENTICATE step)");
}

int
doctor_login(const struct ntlm_config *cfg, const char *config_path, const char *user,
             const char *password, const char *server_user)
{
    char dir[] = "/tmp/sspigss-doctor.XXXXXX", conf[64], audit[64];
    struct passwd *pw = NULL;
    int status = 1, wstatus;
    pid_t pid;

    if (server_user != NULL) {
        pw = getpwnam(server_user);
        if (pw == NULL) /* the caller has said so already */
            return 1;
    }
    if (mkdtemp(dir) == NULL) {
        doctor_say(DOCTOR_FAIL, "login", "check /tmp", "mkdtemp: %s", strerror(errno));
        return 1;
    }
    snprintf(conf, sizeof(conf), "%s/ntlm.conf", dir);
    snprintf(audit, sizeof(audit), "%s/audit.log", dir);
    if (write_config(config_path, conf, audit) != 0 ||
        (pw != NULL &&
         (chown(dir, pw->pw_uid, pw->pw_gid) != 0 || chown(conf, pw->pw_uid, pw->pw_gid) != 0))) {
        doctor_say(DOCTOR_FAIL, "login", "check /tmp", "%s: %s", dir, strerror(errno));
        goto done;
    }
    setenv("SSPIGSS_NTLM_CONFIG", conf, 1);
    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        doctor_say(DOCTOR_FAIL, "login", "retry", "fork: %s", strerror(errno));
        goto done;
    }
    if (pid == 0) {
        if (pw != NULL && (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
                           setuid(pw->pw_uid) != 0)) {
            doctor_say(DOCTOR_FAIL, "login", "run sspigss-doctor as root for --as",
                       "cannot become %s: %s", server_user, strerror(errno));
            fflush(stdout);
            _exit(1);
        }
        status = logon(cfg, user, password);
        fflush(stdout);
        _exit(status);
    }
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 1;
    if (WIFSIGNALED(wstatus))
        doctor_say(DOCTOR_FAIL, "login", "report it, with the trace SSPIGSS_NTLM_DEBUG writes",
                   "the logon process died of signal %d", WTERMSIG(wstatus));
    print_audit(audit);
done:
    unlink(audit);
    unlink(conf);
    rmdir(dir);
    return status;
}
