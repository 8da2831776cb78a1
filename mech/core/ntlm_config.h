/*
 * The module's own configuration: a key = value file. The default one is named by
 * SSPIGSS_NTLM_CONFIG (read with secure_getenv), else $(sysconfdir)/sspigss/ntlm.conf; a
 * credential may name another (the sspigss_config cred-store key). ntlm_env.c decides when a
 * file is (re)read. Environment overrides: NTLM_USER_FILE (user database path),
 * SSPIGSS_NTLM_DEBUG (the debug trace, read by ntlm_debug.c).
 */
#ifndef NTLM_CONFIG_H
#define NTLM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

/* mic: when the acceptor insists on the AUTHENTICATE message's MIC. */
enum ntlm_mic_policy {
    NTLM_MIC_WHEN_PRESENT = 0, /* verify it whenever MsvAvFlags announce it (default) */
    NTLM_MIC_ALWAYS,           /* an NTLMv2 response without a MIC fails */
};

/* channel_bindings: Extended Protection for Authentication, as Windows names its levels. */
enum ntlm_cb_policy {
    NTLM_CB_WHEN_SUPPORTED = 0, /* a mismatch fails when both sides have bindings (default) */
    NTLM_CB_NEVER,              /* the client's hash is ignored */
    NTLM_CB_ALWAYS,             /* both sides must have bindings, and they must match */
};

/*
 * service_binding: whether the SPN the client meant (MsvAvTargetName in its NTLMv2 response)
 * must name this acceptor: the relay defence of Extended Protection where no TLS channel
 * bindings reach the acceptor (behind Apache they never do).
 */
enum ntlm_sb_policy {
    NTLM_SB_WHEN_PRESENT = 0, /* a target name that is not ours fails (default) */
    NTLM_SB_NEVER,            /* the target name is only logged */
    NTLM_SB_REQUIRED,         /* a response without a (trusted) target name fails too */
};

/* audit: where the line per authentication attempt goes. */
enum ntlm_audit_target {
    NTLM_AUDIT_SYSLOG = 0, /* syslog, facility authpriv (default) */
    NTLM_AUDIT_NONE,
    NTLM_AUDIT_FILE, /* appended to audit_file */
};

/* user_file_permissions: whether a user file others can read or anyone but the owner write
 * is refused. */
enum ntlm_file_permissions {
    NTLM_PERMISSIONS_STRICT = 0, /* mode & 0026 must be 0 (default) */
    NTLM_PERMISSIONS_RELAXED,
};

/* winbind: whether logons go to the Active Directory domain through winbindd. */
enum ntlm_winbind_mode {
    NTLM_WINBIND_NO = 0,   /* the user file only (default) */
    NTLM_WINBIND_FALLBACK, /* users the user file does not list (or all, without one) */
    NTLM_WINBIND_ONLY,     /* every logon; no user file is read */
};

/*
 * min_session_security: what signing or sealing needs, as NTLMSSP flags that must be
 * negotiated (the bits of Windows' NtlmMinServerSec / NtlmMinClientSec). Without a MIC a man
 * in the middle can strip these flags from the messages and leave weak keys.
 */
#define NTLM_MINSEC_128 0x20000000u /* 128-bit keys (NTLMSSP_NEGOTIATE_128) */
#define NTLM_MINSEC_ESS 0x00080000u /* extended session security (ESS, "NTLM2") */
#define NTLM_DEFAULT_MIN_SESSION_SECURITY (NTLM_MINSEC_128 | NTLM_MINSEC_ESS)

/* How long an acceptor waits for winbindd's answer, in seconds (winbind_timeout). */
#define NTLM_DEFAULT_WINBIND_TIMEOUT 15
#define NTLM_MAX_WINBIND_TIMEOUT 300

/*
 * How many domain logons one process may have handed to winbindd and not yet had answered,
 * the ones abandoned after winbind_timeout included (winbind_max_inflight). Each holds a
 * thread and a winbindd connection until winbindd answers (libwbclient waits up to 300 s):
 * the bound keeps a slow DC from piling them up. 32 is above the 25 threads of an Apache
 * event or worker child (ThreadsPerChild's default), so a healthy DC never meets it.
 */
#define NTLM_DEFAULT_WINBIND_MAX_INFLIGHT 32
#define NTLM_MAX_WINBIND_MAX_INFLIGHT 1024

/* Local accounts below this uid are never an authenticated name's (local_uid_min): root and
 * the system accounts. 1000 is Debian's first regular user (adduser.conf FIRST_UID). */
#define NTLM_DEFAULT_LOCAL_UID_MIN 1000

/* The client timestamp window and replay cache lifetime, in seconds (replay_window). */
#define NTLM_DEFAULT_REPLAY_WINDOW 300
#define NTLM_MAX_REPLAY_WINDOW 86400

/* The most SPNs service_names may list. */
#define NTLM_MAX_SERVICE_NAMES 64

/* Account lockout (lockout_threshold, lockout_window, lockout_duration): Windows 11's defaults. */
#define NTLM_DEFAULT_LOCKOUT_THRESHOLD 10
#define NTLM_MAX_LOCKOUT_THRESHOLD 999
#define NTLM_DEFAULT_LOCKOUT_WINDOW 600
#define NTLM_DEFAULT_LOCKOUT_DURATION 600
/* Windows' limit, 99999 minutes. */
#define NTLM_MAX_LOCKOUT_SECONDS 5999940

/*
 * Zero-initialised, every policy field below is its default except replay_window,
 * winbind_timeout, winbind_max_inflight, local_uid_min, min_session_security, the lockout numbers and
 * state_dir: start from
 * ntlm_config_init() (ntlm_config_parse and ntlm_config_load do).
 */
struct ntlm_config {
    char *user_file;      /* user_file: acceptor user database; NULL when none */
    char *netbios_name;   /* netbios_name: our NetBIOS computer name (default: host name) */
    char *netbios_domain; /* netbios_domain: default WORKGROUP */
    char *dns_name;       /* dns_name: default: the host's name */
    char *dns_domain;     /* dns_domain: default: empty */
    bool allow_ntlmv1;    /* ntlmv1 = yes|no (default no) */
    /* lm = yes|no: obsolete (LM responses are always refused); accepted so that files that
     * set it keep working, and traced by each step (ntlm_step_begin). Its line, 0: absent. */
    bool obsolete_lm;
    unsigned obsolete_lm_line;

    /* The acceptor's policy; README's configuration table says what each setting does. */
    bool allow_anonymous;                 /* anonymous = yes|no (default no) */
    enum ntlm_mic_policy mic;             /* mic = when_present (default)|always */
    enum ntlm_cb_policy channel_bindings; /* channel_bindings = never|when_supported|always */
    unsigned replay_window;               /* replay_window = seconds (default 300; 0: off) */
    enum ntlm_sb_policy service_binding;  /* service_binding = never|when_present|required */
    /* service_names = SPN[, SPN...]: the target names that are ours, "class/host" each; NULL
     * (the default) derives them from the acceptor credential's name and the host's names. */
    char **service_names;
    enum ntlm_file_permissions user_file_permissions; /* = strict (default)|relaxed */
    enum ntlm_audit_target audit;   /* audit = none|syslog (default)|/absolute/path */
    char *audit_file;               /* that path, when audit is NTLM_AUDIT_FILE */
    enum ntlm_winbind_mode winbind; /* winbind = no (default)|fallback|only */
    unsigned winbind_timeout;       /* winbind_timeout = 1..300 seconds (default 15) */
    unsigned winbind_max_inflight;  /* winbind_max_inflight = 1..1024 logons (default 32) */
    /* gss_localname: the lowest uid a name maps to (local_uid_min, default 1000; 0 lets
     * names map to root), and the domains besides our own whose users map to the local
     * account of their user part (local_map_domains = DOM[, DOM...], or * for any; default
     * none). Users a domain controller validated map as winbindd names them instead. */
    unsigned long local_uid_min;
    char **local_map_domains; /* NULL-terminated; NULL when none */
    bool local_map_any_domain;
    /* min_session_security = 128bit, ess (default) | 128bit | ess | none: NTLM_MINSEC_* bits,
     * for both roles */
    uint32_t min_session_security;
    unsigned lockout_threshold;     /* = 0..999 consecutive failures (default 10; 0: off) */
    unsigned lockout_window;        /* = seconds after which failures are forgotten (600) */
    unsigned lockout_duration;      /* = seconds a lockout lasts (600) */
    char *state_dir; /* state_dir = /absolute/path (default $(localstatedir)/lib/sspigss) */
    /* debug = none (default)|/absolute/path: the step-by-step trace of ntlm_debug.h, never a
     * secret; NULL when none. The SSPIGSS_NTLM_DEBUG environment variable overrides it. */
    char *debug_file;

    char *error; /* non-NULL when the file was invalid: "path:line: reason" */
};

/* The default file: SSPIGSS_NTLM_CONFIG when set (*named true: it must exist), else the
 * sysconfdir file (which may be absent: all defaults). */
const char *ntlm_config_default_path(bool *named);
/*
 * Reads the file at path into *cfg (initialised here; clear it with ntlm_config_clear),
 * applies NTLM_USER_FILE and fills the host-derived defaults. A missing file is all defaults
 * unless named. Errors: NTLM_ERR_CONFIG (cfg->error says "path:line: reason" or
 * "path: cannot read: ..."), NTLM_ERR_NOMEM.
 */
uint32_t ntlm_config_load(const char *path, bool named, struct ntlm_config *cfg);

/* Sets every field to its default, except those derived from the host name. */
void ntlm_config_init(struct ntlm_config *cfg);
/* Parses a configuration text (for tests). source names it in error messages. Keys the text
 * leaves out get their ntlm_config_init defaults. */
uint32_t ntlm_config_parse(const char *text, const char *source, struct ntlm_config *cfg);
/* Fills defaults for the fields the file left unset. */
uint32_t ntlm_config_defaults(struct ntlm_config *cfg);
void ntlm_config_clear(struct ntlm_config *cfg);
/*
 * Whether users of domain (an authenticated name's, NULL or "" for none) map to the local
 * account of their user part: no domain, the acceptor's own (netbios_domain or dns_domain),
 * or one local_map_domains lists, compared case-insensitively.
 */
bool ntlm_config_domain_maps_locally(const struct ntlm_config *cfg, const char *domain);

#endif
