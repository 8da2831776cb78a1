/*
 * sspigss-doctor: the checks an administrator runs when NTLM logons fail, each printed as one
 * verdict line that names the fix. Shared by the files of the tool.
 */
#ifndef DOCTOR_H
#define DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "ntlm_config.h"

enum doctor_verdict {
    DOCTOR_OK = 0, /* in order */
    DOCTOR_INFO,   /* a fact worth knowing (versions, where a setting came from) */
    DOCTOR_WARN,   /* logins work, but something is weaker or likely to break */
    DOCTOR_FAIL,   /* a login cannot succeed until this is fixed */
};

/*
 * Prints "<verdict> <check>: <finding>" and, for WARN and FAIL, "; fix: <fix>" on the same
 * line. Every FAIL makes the exit status non-zero.
 */
void doctor_say(enum doctor_verdict v, const char *check, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* What the mechglue check found: the module MIT loads for the NTLM OID. */
struct doctor_mech {
    char *module; /* absolute path of the winning line's library; NULL when none */
    char *source; /* "file:line" of that line */
    bool ours;    /* it is sspigss_ntlm.so */
};

/*
 * Reads the mechglue configuration exactly as MIT krb5 does: only GSS_MECH_CONFIG when the
 * environment names it, else gss_dir/mech and then gss_dir/mech.d/ *.conf in glob order; the
 * last line for the NTLM OID wins. Prints the verdicts; fills *out.
 */
void doctor_check_mechglue(const char *gss_dir, struct doctor_mech *out);
void doctor_mech_clear(struct doctor_mech *m);

/*
 * A logon of user with password through the real mechglue, as server_user when given (the
 * caller is root then). The configuration is the module's own (config_path, as loaded into
 * cfg) except that the audit line goes to a private file, which is printed. Prints the
 * verdicts; returns 0 when the user logged in.
 */
int doctor_login(const struct ntlm_config *cfg, const char *config_path, const char *user,
                 const char *password, const char *server_user);

#endif
