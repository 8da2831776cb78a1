/*
 * Files for suites that drive module code directly: a private temp directory (umask 077, so
 * user files pass the module's permission check), files written into it, and their removal.
 * Set up before the suite runs: failures print why and exit 99 (a hard error for automake).
 */
#ifndef UNIT_FILES_H
#define UNIT_FILES_H

/* Creates /tmp/<suite>.XXXXXX; returns its path. */
const char *unit_files_begin(const char *suite);
/* Writes text to <dir>/name (replacing it); returns the path, valid until unit_files_end. */
const char *unit_files_write(const char *name, const char *text);
/* Makes path the module's default configuration (SSPIGSS_NTLM_CONFIG) and clears what would
 * override it or the default user: NTLM_USER_FILE, NTLMUSER, SSPIGSS_NTLM_DEBUG. */
void unit_files_use_config(const char *path);
/* Removes every file written, the lockout database the module keeps there, and the dir. */
void unit_files_end(void);

#endif
