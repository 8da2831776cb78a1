/*
 * sspigss-doctor: tells an administrator why NTLM logons through sspigss fail, one verdict per
 * line with its fix: which module MIT loads for NTLM, the module's configuration, the user file
 * against the server's user, winbind, known platform bugs and versions, and optionally a real
 * logon. Exit status 0 only when nothing stands in the way of a logon.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef HAVE_WBCLIENT
#include <wbclient.h>
#endif

#include "doctor.h"
#include "ntlm_errors.h"
#include "ntlm_userdb.h"
#include "spnego_probe.h"
#include "tool_secret.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

#define USER_FILE_MAX_BYTES (64u << 20)
#define PASSWORD_MAX_BYTES 1024

static unsigned failures;

void
doctor_say(enum doctor_verdict v, const char *check, const char *fix, const char *fmt, ...)
{
    static const char *const words[] = {"ok", "info", "WARN", "FAIL"};
    va_list ap;

    printf("%-4s %s: ", words[v], check);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if ((v == DOCTOR_WARN || v == DOCTOR_FAIL) && fix != NULL)
        printf("; fix: %s", fix);
    putchar('\n');
    if (v == DOCTOR_FAIL)
        failures++;
}

static void
usage(FILE *out)
{
    fprintf(out, "usage: sspigss-doctor [--as USER] [--config FILE] [--user-file FILE]\n"
                 "                      [--login [DOMAIN\\]USER] [--gss-dir DIR]\n"
                 "Checks what an NTLM logon through sspigss needs; see sspigss-doctor(8).\n");
}

/* Whether the account (uid, its groups) may do what bits (r=4, x=1) says on st. */
static bool
may_access(const struct stat *st, uid_t uid, const gid_t *groups, int ngroups, unsigned bits)
{
    int i;

    if (uid == 0)
        return (bits & 1) == 0 || (st->st_mode & 0111) != 0 || S_ISDIR(st->st_mode);
    if (st->st_uid == uid)
        return ((st->st_mode >> 6) & bits) == bits;
    for (i = 0; i < ngroups; i++) {
        if (groups[i] == st->st_gid)
            return ((st->st_mode >> 3) & bits) == bits;
    }
    return (st->st_mode & bits) == bits;
}

/*
 * Whether the server's account can read path: every directory above it searchable and the
 * file readable. *blocker is set to the path that stops it.
 */
static bool
server_can_read(const char *path, const struct passwd *pw, char *blocker, size_t size)
{
    gid_t groups[256];
    int ngroups = 256;
    char dir[4096];
    struct stat st;
    char *slash;

    if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &ngroups) < 0)
        ngroups = 256;
    snprintf(dir, sizeof(dir), "%s", path);
    for (slash = strchr(dir + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (stat(dir, &st) == 0 && !may_access(&st, pw->pw_uid, groups, ngroups, 1)) {
            snprintf(blocker, size, "%s", dir);
            return false;
        }
        *slash = '/';
    }
    if (stat(path, &st) == 0 && !may_access(&st, pw->pw_uid, groups, ngroups, 4)) {
        snprintf(blocker, size, "%s", path);
        return false;
    }
    return true;
}

static const char *
owner_name(uid_t uid, char *buf, size_t size)
{
    struct passwd *pw = getpwuid(uid);

    if (pw != NULL)
        snprintf(buf, size, "%s", pw->pw_name);
    else
        snprintf(buf, size, "%lu", (unsigned long)uid);
    return buf;
}

static const char *
group_name(gid_t gid, char *buf, size_t size)
{
    struct group *gr = getgrgid(gid);

    if (gr != NULL)
        snprintf(buf, size, "%s", gr->gr_name);
    else
        snprintf(buf, size, "%lu", (unsigned long)gid);
    return buf;
}

/* Reads the user file as the module would parse it. */
static void
check_user_file_syntax(const char *path)
{
    struct ntlm_userdb_index *index = NULL;
    const char *reason = NULL;
    unsigned bad_line = 0;
    char *text = NULL;
    size_t len = 0;
    ssize_t r;
    int fd;

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        doctor_say(DOCTOR_FAIL, "user file", "run sspigss-doctor as root, or fix the access",
                   "%s: %s", path, strerror(errno));
        return;
    }
    text = malloc(USER_FILE_MAX_BYTES + 1);
    while (text != NULL && len < USER_FILE_MAX_BYTES &&
           (r = read(fd, text + len, USER_FILE_MAX_BYTES - len)) > 0)
        len += (size_t)r;
    close(fd);
    if (text == NULL) {
        doctor_say(DOCTOR_FAIL, "user file", "retry", "out of memory");
        return;
    }
    if (ntlm_userdb_parse(text, len, &index, &bad_line, &reason) != 0) {
        doctor_say(DOCTOR_FAIL, "user file",
                   "correct that line (sspigss-users(5)), or write the file with sspigss-user",
                   "%s:%u: %s", path, bad_line, reason != NULL ? reason : "cannot be parsed");
    } else if (ntlm_userdb_index_count(index) == 0) {
        doctor_say(DOCTOR_FAIL, "user file", "add one: sspigss-user -f FILE add 'DOMAIN\\USER'",
                   "%s lists no user who may log on", path);
    } else {
        doctor_say(DOCTOR_OK, "user file", NULL, "%s parses: %zu users", path,
                   ntlm_userdb_index_count(index));
    }
    ntlm_userdb_index_free(index);
    explicit_bzero(text, len);
    free(text);
}

static void
check_user_file(const struct ntlm_config *cfg, const struct passwd *server)
{
    char blocker[4096], owner[64], fix[4200];
    bool strict = cfg->user_file_permissions == NTLM_PERMISSIONS_STRICT;
    const char *path = cfg->user_file;
    struct stat st;

    if (cfg->winbind == NTLM_WINBIND_ONLY) {
        doctor_say(DOCTOR_OK, "user file", NULL, "not used: winbind = only");
        return;
    }
    if (path == NULL) {
        if (cfg->winbind == NTLM_WINBIND_FALLBACK) {
            doctor_say(DOCTOR_OK, "user file", NULL, "none: every logon goes to winbind");
            return;
        }
        doctor_say(DOCTOR_FAIL, "user file",
                   "sspigss-user -f " SYSCONFDIR "/sspigss/users add 'DOMAIN\\USER', then "
                   "user_file = " SYSCONFDIR "/sspigss/users in the module configuration",
                   "no user database configured (user_file, NTLM_USER_FILE) and winbind = no: "
                   "nobody can log on");
        return;
    }
    if (lstat(path, &st) != 0) {
        snprintf(fix, sizeof(fix), "create it: sspigss-user -f %s add 'DOMAIN\\USER'", path);
        doctor_say(DOCTOR_FAIL, "user file", fix, "%s: %s", path, strerror(errno));
        return;
    }
    if (S_ISLNK(st.st_mode) && stat(path, &st) != 0) {
        doctor_say(DOCTOR_FAIL, "user file", "point user_file at the real file",
                   "%s is a dangling symbolic link", path);
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        doctor_say(DOCTOR_FAIL, "user file", "point user_file at a regular file",
                   "%s is not a regular file", path);
        return;
    }
    if ((st.st_mode & 0026) != 0) {
        snprintf(fix, sizeof(fix), "chmod 600 %s (640 with the server's group)%s", path,
                 strict ? ", or user_file_permissions = relaxed" : "");
        doctor_say(strict ? DOCTOR_FAIL : DOCTOR_WARN, "user file", fix, "%s has mode %04o: %s%s",
                   path, (unsigned)(st.st_mode & 07777),
                   (st.st_mode & 0004) ? "others can read the hashes" : "others can write it",
                   strict ? " (user_file_permissions = strict refuses it)" : "");
    } else {
        doctor_say(DOCTOR_OK, "user file", NULL, "%s: mode %04o, owner %s", path,
                   (unsigned)(st.st_mode & 07777), owner_name(st.st_uid, owner, sizeof(owner)));
    }
    if (server != NULL) {
        if (st.st_uid != 0 && st.st_uid != server->pw_uid) {
            snprintf(fix, sizeof(fix), "chown root %s", path);
            doctor_say(DOCTOR_WARN, "user file", fix,
                       "%s belongs to %s, who can change every password in it", path,
                       owner_name(st.st_uid, owner, sizeof(owner)));
        }
        if (!server_can_read(path, server, blocker, sizeof(blocker))) {
            if (strcmp(blocker, path) == 0)
                snprintf(fix, sizeof(fix), "chgrp %s %s && chmod 640 %s",
                         group_name(server->pw_gid, owner, sizeof(owner)), path, path);
            else
                snprintf(fix, sizeof(fix), "let %s search %s (chmod o+x, or its group)",
                         server->pw_name, blocker);
            doctor_say(DOCTOR_FAIL, "user file", fix, "%s cannot read %s (stopped at %s)",
                       server->pw_name, path, blocker);
        } else {
            doctor_say(DOCTOR_OK, "user file", NULL, "%s can read %s", server->pw_name, path);
        }
    } else if (geteuid() == 0) {
        doctor_say(DOCTOR_INFO, "user file", NULL,
                   "checked as root; --as SERVER_USER checks the server's own access");
    }
    check_user_file_syntax(path);
}

#ifdef HAVE_WBCLIENT
static void
check_winbind(const struct ntlm_config *cfg)
{
    wbcErr err;

    if (cfg->winbind == NTLM_WINBIND_NO) {
        doctor_say(DOCTOR_OK, "winbind", NULL, "not used (winbind = no)");
        return;
    }
    err = wbcPing();
    if (!WBC_ERROR_IS_OK(err)) {
        doctor_say(DOCTOR_FAIL, "winbind",
                   "start winbindd (systemctl start winbind) and join the domain "
                   "(net ads join), or set winbind = no",
                   "winbindd does not answer: %s", wbcErrorString(err));
        return;
    }
    doctor_say(DOCTOR_OK, "winbind", NULL, "winbindd answers (winbind = %s)",
               cfg->winbind == NTLM_WINBIND_ONLY ? "only" : "fallback");
}
#else
static void
check_winbind(const struct ntlm_config *cfg)
{
    if (cfg->winbind == NTLM_WINBIND_NO) {
        doctor_say(DOCTOR_OK, "winbind", NULL, "not used (winbind = no)");
        return;
    }
    doctor_say(DOCTOR_FAIL, "winbind", "rebuild with libwbclient-dev installed, or winbind = no",
               "this build of sspigss has no winbind support");
}
#endif

static void
check_state_dir(const struct ntlm_config *cfg)
{
    char fix[4200];
    struct stat st;

    if (cfg->lockout_threshold == 0)
        return;
    if (stat(cfg->state_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(fix, sizeof(fix), "mkdir -m 1733 %s", cfg->state_dir);
        doctor_say(DOCTOR_WARN, "lockout", fix,
                   "state_dir %s is missing: each process counts failures on its own",
                   cfg->state_dir);
        return;
    }
    doctor_say(DOCTOR_OK, "lockout", NULL, "state_dir %s (threshold %u)", cfg->state_dir,
               cfg->lockout_threshold);
}

/* Loads the configuration as the module would. Returns the path it came from, or NULL. */
static const char *
check_config(struct ntlm_config *cfg)
{
    bool named = false;
    const char *source = ntlm_config_default_path(&named);
    struct stat st;
    uint32_t ret;

    ret = ntlm_config_load(source, named, cfg);
    if (ret != 0) {
        doctor_say(DOCTOR_FAIL, "config", "correct it; sspigss-ntlm.conf(5) lists every key",
                   "%s", cfg->error != NULL ? cfg->error : "out of memory");
        return NULL;
    }
    if (stat(source, &st) != 0)
        doctor_say(DOCTOR_OK, "config", NULL, "%s is absent: every key has its default",
                   source);
    else
        doctor_say(DOCTOR_OK, "config", NULL, "%s is valid", source);
    return source;
}

/* The installed version of a Debian package, or "not installed". */
static void
package_version(const char *package, char *buf, size_t size)
{
    char cmd[256];
    FILE *p;

    snprintf(buf, size, "not installed");
    snprintf(cmd, sizeof(cmd), "dpkg-query -W -f '${db:Status-Abbrev} ${Version}' %s 2>/dev/null",
             package);
    p = popen(cmd, "r");
    if (p == NULL)
        return;
    if (fgets(cmd, sizeof(cmd), p) != NULL && strncmp(cmd, "ii ", 3) == 0) {
        cmd[strcspn(cmd, "\n")] = '\0';
        snprintf(buf, size, "%s", cmd + 3 + strspn(cmd + 3, " "));
    }
    pclose(p);
}

/* The SPNEGO probe, in a child so that this process never loads the module before --login. */
static void
check_platform(void)
{
    static const char *const packages[] = {"libgssapi-krb5-2", "sspigss-ntlm", "gss-ntlmssp"};
    char version[128];
    int wstatus, result = SPNEGO_MIC_UNKNOWN;
    size_t i;
    pid_t pid;

    doctor_say(DOCTOR_INFO, "versions", NULL, "sspigss-doctor %s", PACKAGE_VERSION);
    for (i = 0; i < sizeof(packages) / sizeof(packages[0]); i++) {
        package_version(packages[i], version, sizeof(version));
        doctor_say(DOCTOR_INFO, "versions", NULL, "%s: %s", packages[i], version);
    }
    fflush(stdout);
    pid = fork();
    if (pid == 0)
        _exit((int)spnego_mic_probe(GSS_C_NO_CREDENTIAL));
    if (pid > 0 && waitpid(pid, &wstatus, 0) == pid && WIFEXITED(wstatus))
        result = WEXITSTATUS(wstatus);
    if (result == SPNEGO_MIC_READ)
        doctor_say(DOCTOR_OK, "spnego", NULL, "MIT krb5's SPNEGO reads the mechListMIC");
    else if (result == SPNEGO_MIC_TICKET_9183)
        doctor_say(DOCTOR_WARN, "spnego",
                   "upgrade krb5 to 1.22.2 or later; meanwhile offer raw NTLM "
                   "(WWW-Authenticate: NTLM) or use libsspi's Negotiate",
                   "%s: krb5 1.21.0 to 1.22.1 drop SPNEGO's mechListMIC, so NTLM under "
                   "Negotiate fails where the MIC is required",
                   SPNEGO_MIC_9183_REASON);
    else
        doctor_say(DOCTOR_INFO, "spnego", NULL,
                   "cannot tell whether SPNEGO reads the mechListMIC (no acceptor credential)");
}

/* A private mech config naming only the module found in --gss-dir, so that the probe and the
 * logon load what the check found. */
static char mech_conf_dir[] = "/tmp/sspigss-doctor-mech.XXXXXX";
static char mech_conf[64];

static void
use_found_module(const struct doctor_mech *m)
{
    FILE *f;

    if (mkdtemp(mech_conf_dir) == NULL) {
        mech_conf_dir[0] = '\0';
        return;
    }
    chmod(mech_conf_dir, 0755);
    snprintf(mech_conf, sizeof(mech_conf), "%s/mech.conf", mech_conf_dir);
    f = fopen(mech_conf, "w");
    if (f == NULL)
        return;
    fprintf(f, "sspigss_ntlm 1.3.6.1.4.1.311.2.2.10 %s\n", m->module);
    fclose(f);
    chmod(mech_conf, 0644);
    setenv("GSS_MECH_CONFIG", mech_conf, 1);
}

int
main(int argc, char **argv)
{
    static const struct option options[] = {
        {"as", required_argument, NULL, 'a'},
        {"config", required_argument, NULL, 'c'},
        {"user-file", required_argument, NULL, 'u'},
        {"login", required_argument, NULL, 'l'},
        {"gss-dir", required_argument, NULL, 'g'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static char password[PASSWORD_MAX_BYTES + 2];
    const char *as = NULL, *login = NULL, *gss_dir = "/etc/gss", *source, *why = NULL;
    struct ntlm_config cfg;
    struct doctor_mech mech;
    struct passwd *server = NULL;
    bool system_error;
    int opt;

    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (opt) {
        case 'a':
            as = optarg;
            break;
        case 'c':
            setenv("SSPIGSS_NTLM_CONFIG", optarg, 1);
            break;
        case 'u':
            setenv("NTLM_USER_FILE", optarg, 1);
            break;
        case 'l':
            login = optarg;
            break;
        case 'g':
            gss_dir = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    if (login != NULL && tool_read_secret("Password for the test logon: ", password,
                                          sizeof(password), &why, &system_error) != 0) {
        fprintf(stderr, "sspigss-doctor: reading the password: %s\n", why);
        return 2;
    }
    if (as != NULL) {
        server = getpwnam(as);
        if (server == NULL)
            doctor_say(DOCTOR_FAIL, "server user", "name the account the server runs as",
                       "no such user: %s", as);
        else if (login != NULL && geteuid() != 0 && geteuid() != server->pw_uid)
            doctor_say(DOCTOR_FAIL, "server user", "run sspigss-doctor as root",
                       "only root can log in as %s for --login", as);
    }
    doctor_check_mechglue(gss_dir, &mech);
    if (mech.module != NULL && mech.ours && strcmp(gss_dir, "/etc/gss") != 0 &&
        secure_getenv("GSS_MECH_CONFIG") == NULL)
        use_found_module(&mech);
    source = check_config(&cfg);
    if (source != NULL) {
        check_user_file(&cfg, server);
        check_winbind(&cfg);
        check_state_dir(&cfg);
    }
    check_platform();
    if (login != NULL && source != NULL && mech.ours && failures == 0) {
        if (doctor_login(&cfg, source, login, password, server != NULL ? as : NULL) != 0)
            failures++;
    } else if (login != NULL) {
        doctor_say(DOCTOR_FAIL, "login", "fix the failures above first",
                   "not attempted: a logon cannot succeed yet");
    }
    explicit_bzero(password, sizeof(password));
    if (mech_conf[0] != '\0') {
        unlink(mech_conf);
        rmdir(mech_conf_dir);
    }
    doctor_mech_clear(&mech);
    ntlm_config_clear(&cfg);
    if (failures == 0)
        printf("everything a logon needs is in order\n");
    else
        printf("%u problem%s stand%s in the way of a logon\n", failures, failures == 1 ? "" : "s",
               failures == 1 ? "s" : "");
    return failures == 0 ? 0 : 1;
}
