/*
 * The module's own configuration: a key = value file (path from SSPIGSS_NTLM_CONFIG, read
 * with secure_getenv, else $(sysconfdir)/sspigss/ntlm.conf), loaded once per process.
 * Environment overrides: NTLM_USER_FILE (user database path).
 */
#ifndef NTLM_CONFIG_H
#define NTLM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

struct ntlm_config {
    char *user_file;      /* user_file: acceptor user database; NULL when none */
    char *netbios_name;   /* netbios_name: our NetBIOS computer name (default: host name) */
    char *netbios_domain; /* netbios_domain: default WORKGROUP */
    char *dns_name;       /* dns_name: default: the host's name */
    char *dns_domain;     /* dns_domain: default: empty */
    bool allow_ntlmv1;    /* ntlmv1 = yes|no (default no) */
    bool allow_lm;        /* lm = yes|no (default no; needs ntlmv1) */
    char *error;          /* non-NULL when the file was invalid: "path:line: reason" */
};

/*
 * The process-wide configuration (never NULL after success). Errors: NTLM_ERR_CONFIG when the
 * file exists but is invalid (cfg->error says where), NTLM_ERR_NOMEM.
 */
uint32_t ntlm_config_get(const struct ntlm_config **cfg);

/* Parses a configuration text (for tests). source names it in error messages. */
uint32_t ntlm_config_parse(const char *text, const char *source, struct ntlm_config *cfg);
/* Fills defaults for the fields the file left unset. */
uint32_t ntlm_config_defaults(struct ntlm_config *cfg);
void ntlm_config_clear(struct ntlm_config *cfg);

#endif
