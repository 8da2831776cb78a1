/*
 * sspigss-spnego-probe: says whether this process's MIT krb5 reads SPNEGO's mechListMIC (a
 * behavioural probe for MIT ticket 9183, common/spnego_probe.c). Used by the test scripts and
 * scripts/demo.sh; an administrator can run it too.
 *
 *   sspigss-spnego-probe                  probe with the default acceptor credentials
 *   sspigss-spnego-probe --module PATH    probe in a private world: PATH (our module) as the
 *                                         only registered mechanism, a throw-away user file
 *
 * Exit status: 0 the library reads it, 1 it has the bug, 2 the probe could not tell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spnego_probe.h"

static char dir[64];

static int
write_file(const char *name, const char *text, char *path, size_t path_size)
{
    FILE *f;

    snprintf(path, path_size, "%s/%s", dir, name);
    f = fopen(path, "w");
    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

/* Registers module alone for this process, with an acceptor user file and no Kerberos. */
static int
private_world(const char *module)
{
    char path[128], line[4200];
    const char *tmp = getenv("TMPDIR");

    if (strlen(module) > 4000) {
        fprintf(stderr, "sspigss-spnego-probe: module path too long\n");
        return -1;
    }
    snprintf(dir, sizeof(dir), "%s/spnego-probe.XXXXXX",
             tmp != NULL && *tmp != '\0' && strlen(tmp) < 40 ? tmp : "/tmp");
    umask(077);
    if (mkdtemp(dir) == NULL) {
        perror(dir);
        return -1;
    }
    snprintf(line, sizeof(line), "sspigss_ntlm 1.3.6.1.4.1.311.2.2.10 %s\n", module);
    if (write_file("mech.conf", line, path, sizeof(path)) || setenv("GSS_MECH_CONFIG", path, 1))
        return -1;
    if (write_file("users", "PROBE:probe:Probe-0nly\n", path, sizeof(path)) ||
        setenv("NTLM_USER_FILE", path, 1))
        return -1;
    if (write_file("ntlm.conf", "audit = none\n", path, sizeof(path)) ||
        setenv("SSPIGSS_NTLM_CONFIG", path, 1))
        return -1;
    if (write_file("krb5.conf", "", path, sizeof(path)) || setenv("KRB5_CONFIG", path, 1))
        return -1;
    snprintf(path, sizeof(path), "FILE:%s/no-keytab", dir);
    return setenv("KRB5_KTNAME", path, 1);
}

static void
remove_world(void)
{
    static const char *const names[] = {"mech.conf", "users", "ntlm.conf", "krb5.conf"};
    char path[128];
    size_t i;

    if (dir[0] == '\0')
        return;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

int
main(int argc, char **argv)
{
    enum spnego_mic_probe result;

    if (argc == 3 && strcmp(argv[1], "--module") == 0) {
        if (private_world(argv[2]) != 0) {
            remove_world();
            return SPNEGO_MIC_UNKNOWN;
        }
    } else if (argc != 1) {
        fprintf(stderr, "usage: sspigss-spnego-probe [--module PATH]\n");
        return SPNEGO_MIC_UNKNOWN;
    }
    result = spnego_mic_probe(GSS_C_NO_CREDENTIAL);
    remove_world();
    switch (result) {
    case SPNEGO_MIC_READ:
        printf("SPNEGO reads the mechListMIC: this MIT krb5 does not have ticket 9183's bug\n");
        break;
    case SPNEGO_MIC_TICKET_9183:
        printf("%s: this MIT krb5 (1.21.0 to 1.22.1) drops SPNEGO's mechListMIC; NTLM under "
               "Negotiate fails where the MIC is required (fixed in krb5 1.22.2)\n",
               SPNEGO_MIC_9183_REASON);
        break;
    default:
        printf("cannot tell whether SPNEGO reads the mechListMIC (no acceptor credential?)\n");
        break;
    }
    return result;
}
