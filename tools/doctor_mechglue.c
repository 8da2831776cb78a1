/*
 * Which module MIT krb5's mechglue loads for NTLMSSP (1.3.6.1.4.1.311.2.2.10), read the way
 * loadConfigFiles() and loadConfigFile() in MIT's g_initialize.c read it: GSS_MECH_CONFIG
 * (through secure_getenv) as the only file, else /etc/gss/mech and then every mech.d/ *.conf in
 * glob(3) order. A line whose first character is '#' is a comment; a line needs a name, an OID
 * and a library, separated by white space (so a line starting with a blank shifts its fields and
 * is dropped for its bad OID); a relative library is looked up under $(libdir)/gss/; the last
 * line read for an OID replaces the library of the earlier ones, silently.
 */
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doctor.h"

#ifndef GSSDIR
#define GSSDIR "/usr/lib/gss"
#endif

#define NTLM_OID "1.3.6.1.4.1.311.2.2.10"
/* MIT reads lines with fgets(buf, BUFSIZ). */
#define MECH_LINE_MAX 8192

/*
 * Whether text is the NTLM OID. generic_gss_str_to_oid also takes "{ 1 3 6 ... }", but MIT cuts
 * the OID field at the first blank, so only the dotted form can name an OID in these files.
 */
static bool
is_ntlm_oid(const char *text)
{
    static const unsigned long arcs[] = {1, 3, 6, 1, 4, 1, 311, 2, 2, 10};
    size_t n = 0, want = sizeof(arcs) / sizeof(arcs[0]);
    const char *p = text;
    char *end;
    unsigned long v;

    for (;;) {
        if (!isdigit((unsigned char)*p))
            return false;
        errno = 0;
        v = strtoul(p, &end, 10);
        if (errno != 0 || n >= want || v != arcs[n])
            return false;
        n++;
        p = end;
        if (*p == '\0')
            return n == want;
        if (*p++ != '.')
            return false;
    }
}

/* Cuts the next white-space-separated field of *p in place; NULL when there is none. */
static char *
next_field(char **p)
{
    char *start = *p, *end;

    while (*start != '\0' && isspace((unsigned char)*start))
        start++;
    if (*start == '\0')
        return NULL;
    end = start;
    while (*end != '\0' && !isspace((unsigned char)*end))
        end++;
    if (*end != '\0')
        *end++ = '\0';
    *p = end;
    return start;
}

/* The name field: everything up to the first blank, possibly empty (a line starting with one). */
static char *
name_field(char **p)
{
    char *start = *p, *end = start;

    while (*end != '\0' && !isspace((unsigned char)*end))
        end++;
    if (*end != '\0')
        *end++ = '\0';
    *p = end;
    return start;
}

/* Reads one file; every NTLM line replaces *module and *source, as it does in MIT. */
static void
read_mech_file(const char *file, char **module, char **source, unsigned *ntlm_lines)
{
    char line[MECH_LINE_MAX], *p, *oid, *lib;
    unsigned lineno = 0;
    FILE *f;

    f = fopen(file, "r");
    if (f == NULL)
        return;
    while (fgets(line, sizeof(line), f) != NULL) {
        lineno++;
        if (line[0] == '#')
            continue;
        p = line;
        name_field(&p);
        oid = next_field(&p);
        if (oid == NULL || !is_ntlm_oid(oid))
            continue;
        lib = next_field(&p);
        if (lib == NULL)
            continue;
        free(*module);
        free(*source);
        *module = NULL;
        *source = NULL;
        if (lib[0] == '/') {
            *module = strdup(lib);
        } else if (asprintf(module, "%s/%s", GSSDIR, lib) < 0) {
            *module = NULL;
        }
        if (asprintf(source, "%s:%u", file, lineno) < 0)
            *source = NULL;
        (*ntlm_lines)++;
    }
    fclose(f);
}

/* Ours: sspigss_ntlm.so by name, or the very file installed as $(libdir)/gss/sspigss_ntlm.so. */
static bool
is_ours(const char *module)
{
    const char *base = strrchr(module, '/');
    struct stat a, b;

    base = base != NULL ? base + 1 : module;
    if (strcmp(base, "sspigss_ntlm.so") == 0)
        return true;
    return stat(module, &a) == 0 && stat(GSSDIR "/sspigss_ntlm.so", &b) == 0 &&
           a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static void
check_loadable(const char *module, const char *source)
{
    struct stat st;
    void *handle;

    if (stat(module, &st) != 0) {
        doctor_say(DOCTOR_FAIL, "mechglue",
                   "install the module's package, or correct or remove that line",
                   "%s (named at %s) does not exist: MIT does not fall back to an earlier "
                   "line, so NTLM is unusable (acceptors see GSS_S_NO_CRED)",
                   module, source);
        return;
    }
    /* The flags MIT's krb5int_open_plugin uses, so that a missing library shows now. */
    handle = dlopen(module, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (handle == NULL) {
        doctor_say(DOCTOR_FAIL, "mechglue", "install what the module needs (ldd shows it)",
                   "%s cannot be loaded: %s", module, dlerror());
        return;
    }
    dlclose(handle);
}

void
doctor_check_mechglue(const char *gss_dir, struct doctor_mech *out)
{
    const char *env = secure_getenv("GSS_MECH_CONFIG");
    char pattern[PATH_MAX], file[PATH_MAX];
    char *module = NULL, *source = NULL;
    unsigned lines = 0;
    glob_t g;
    size_t i;

    memset(out, 0, sizeof(*out));
    if (env != NULL && *env != '\0') {
        doctor_say(DOCTOR_INFO, "mechglue", NULL,
                   "GSS_MECH_CONFIG=%s: processes with this environment read only that file", env);
        read_mech_file(env, &module, &source, &lines);
    } else {
        snprintf(file, sizeof(file), "%s/mech", gss_dir);
        read_mech_file(file, &module, &source, &lines);
        snprintf(pattern, sizeof(pattern), "%s/mech.d/*.conf", gss_dir);
        if (glob(pattern, 0, NULL, &g) == 0) {
            for (i = 0; i < g.gl_pathc; i++)
                read_mech_file(g.gl_pathv[i], &module, &source, &lines);
            globfree(&g);
        }
    }
    if (module == NULL || source == NULL) {
        doctor_say(DOCTOR_FAIL, "mechglue",
                   "install the sspigss-ntlm package, or put the line \"sspigss_ntlm " NTLM_OID
                   " sspigss_ntlm.so\" in /etc/gss/mech.d/sspigss.conf",
                   "no line registers NTLM (" NTLM_OID ") in %s",
                   env != NULL && *env != '\0' ? env : gss_dir);
        free(module);
        free(source);
        return;
    }
    out->module = module;
    out->source = source;
    out->ours = is_ours(module);
    if (lines > 1)
        doctor_say(DOCTOR_INFO, "mechglue", NULL,
                   "%u lines register NTLM; the last one read wins, silently", lines);
    if (!out->ours) {
        doctor_say(DOCTOR_FAIL, "mechglue",
                   "remove that line or its package (apt-get remove gss-ntlmssp), or install "
                   "sspigss-ntlm, whose mech.d/sspigss.conf sorts after mech.ntlmssp.conf",
                   "NTLM goes to %s (from %s), not to sspigss", module, source);
        return;
    }
    doctor_say(DOCTOR_OK, "mechglue", NULL, "NTLM (" NTLM_OID ") loads %s (sspigss), from %s",
               module, source);
    check_loadable(module, source);
}

void
doctor_mech_clear(struct doctor_mech *m)
{
    free(m->module);
    free(m->source);
    memset(m, 0, sizeof(*m));
}
