/*
 * The module's own configuration: a file of "key = value" lines, its environment overrides,
 * and defaults derived from the host name. When and how often a file is read is ntlm_env.c's
 * business; this file only turns one file into one struct ntlm_config.
 */
#include "ntlm_config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unistr.h>

#include "ntlm_config_values.h"
#include "ntlm_errors.h"
#include "ntlm_unicode.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

#ifndef LOCALSTATEDIR
#define LOCALSTATEDIR "/var"
#endif

#define DEFAULT_CONFIG_PATH SYSCONFDIR "/sspigss/ntlm.conf"
#define DEFAULT_STATE_DIR LOCALSTATEDIR "/lib/sspigss"
#define NETBIOS_NAME_MAX 15

struct config_key {
    const char *name;
    size_t offset; /* of the char * or bool member of struct ntlm_config */
    bool is_bool;
    bool may_be_empty;
    size_t max_len;             /* in bytes; 0: no limit */
    ntlm_config_value_fn parse; /* keys with a syntax of their own; NULL for the others */
};

static const struct config_key config_keys[] = {
    {"user_file", offsetof(struct ntlm_config, user_file), false, false, 0, NULL},
    {"netbios_name", offsetof(struct ntlm_config, netbios_name), false, false, NETBIOS_NAME_MAX,
     NULL},
    {"netbios_domain", offsetof(struct ntlm_config, netbios_domain), false, false, NETBIOS_NAME_MAX,
     NULL},
    {"dns_name", offsetof(struct ntlm_config, dns_name), false, false, 0, NULL},
    /* A host in no DNS domain says so with an empty value. */
    {"dns_domain", offsetof(struct ntlm_config, dns_domain), false, true, 0, NULL},
    {"ntlmv1", offsetof(struct ntlm_config, allow_ntlmv1), true, false, 0, NULL},
    {"lm", offsetof(struct ntlm_config, obsolete_lm), true, false, 0, NULL},
    /* The acceptor policy; the defaults are in ntlm_config_init, the syntax in
     * ntlm_config_values.c. */
    {"anonymous", offsetof(struct ntlm_config, allow_anonymous), true, false, 0, NULL},
    {"mic", 0, false, false, 0, ntlm_config_value_mic},
    {"channel_bindings", 0, false, false, 0, ntlm_config_value_channel_bindings},
    {"replay_window", 0, false, false, 0, ntlm_config_value_replay_window},
    {"service_binding", 0, false, false, 0, ntlm_config_value_service_binding},
    {"service_names", 0, false, false, 0, ntlm_config_value_service_names},
    {"user_file_permissions", 0, false, false, 0, ntlm_config_value_user_file_permissions},
    {"audit", 0, false, false, 0, ntlm_config_value_audit},
    {"debug", 0, false, false, 0, ntlm_config_value_debug},
    {"winbind", 0, false, false, 0, ntlm_config_value_winbind},
    {"winbind_timeout", 0, false, false, 0, ntlm_config_value_winbind_timeout},
    {"winbind_max_inflight", 0, false, false, 0, ntlm_config_value_winbind_max_inflight},
    {"local_uid_min", 0, false, false, 0, ntlm_config_value_local_uid_min},
    {"local_map_domains", 0, false, false, 0, ntlm_config_value_local_map_domains},
    {"min_session_security", 0, false, false, 0, ntlm_config_value_min_session_security},
    {"lockout_threshold", 0, false, false, 0, ntlm_config_value_lockout_threshold},
    {"lockout_window", 0, false, false, 0, ntlm_config_value_lockout_window},
    {"lockout_duration", 0, false, false, 0, ntlm_config_value_lockout_duration},
    {"state_dir", 0, false, false, 0, ntlm_config_value_state_dir},
};

#define CONFIG_KEY_COUNT (sizeof(config_keys) / sizeof(config_keys[0]))

/* Builds "source:line: reason" (or "source: reason" for line 0) into *error.
 * Returns NTLM_ERR_CONFIG, or NTLM_ERR_NOMEM. */
static uint32_t __attribute__((format(printf, 4, 5)))
config_error(char **error, const char *source, unsigned line, const char *fmt, ...)
{
    char *reason = NULL;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&reason, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NTLM_ERR_NOMEM;
    if (line != 0)
        n = asprintf(error, "%s:%u: %s", source, line, reason);
    else
        n = asprintf(error, "%s: %s", source, reason);
    free(reason);
    if (n < 0) {
        *error = NULL;
        return NTLM_ERR_NOMEM;
    }
    return NTLM_ERR_CONFIG;
}

/* Trims spaces and tabs at both ends, in place. */
static char *
trim(char *s, char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    *end = '\0';
    return s;
}

static const struct config_key *
find_key(const char *name)
{
    size_t i;

    for (i = 0; i < CONFIG_KEY_COUNT; i++) {
        if (strcmp(config_keys[i].name, name) == 0)
            return &config_keys[i];
    }
    return NULL;
}

/* Stores one "key = value" pair into cfg; *reason says why it was refused. */
static uint32_t
config_set(struct ntlm_config *cfg, const struct config_key *key, const char *value,
           const char **reason)
{
    char **field = (char **)((char *)cfg + key->offset);

    if (key->parse != NULL)
        return key->parse(value, cfg, reason);
    if (key->is_bool) {
        if (!ntlm_config_parse_bool(value, (bool *)((char *)cfg + key->offset))) {
            *reason = "expected yes, no, true, false, 1 or 0";
            return NTLM_ERR_CONFIG;
        }
        return 0;
    }
    if (*value == '\0' && !key->may_be_empty) {
        *reason = "empty value";
        return NTLM_ERR_CONFIG;
    }
    if (key->max_len != 0 && strlen(value) > key->max_len) {
        *reason = "longer than 15 bytes (the NetBIOS limit)";
        return NTLM_ERR_CONFIG;
    }
    *field = strdup(value);
    return *field == NULL ? NTLM_ERR_NOMEM : 0;
}

void
ntlm_config_init(struct ntlm_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->allow_ntlmv1 = false;
    cfg->allow_anonymous = false;
    cfg->mic = NTLM_MIC_WHEN_PRESENT;
    cfg->channel_bindings = NTLM_CB_WHEN_SUPPORTED;
    cfg->replay_window = NTLM_DEFAULT_REPLAY_WINDOW;
    cfg->service_binding = NTLM_SB_WHEN_PRESENT;
    cfg->service_names = NULL;
    cfg->user_file_permissions = NTLM_PERMISSIONS_STRICT;
    cfg->audit = NTLM_AUDIT_SYSLOG;
    cfg->winbind = NTLM_WINBIND_NO;
    cfg->winbind_timeout = NTLM_DEFAULT_WINBIND_TIMEOUT;
    cfg->winbind_max_inflight = NTLM_DEFAULT_WINBIND_MAX_INFLIGHT;
    cfg->local_uid_min = NTLM_DEFAULT_LOCAL_UID_MIN;
    cfg->min_session_security = NTLM_DEFAULT_MIN_SESSION_SECURITY;
    cfg->lockout_threshold = NTLM_DEFAULT_LOCKOUT_THRESHOLD;
    cfg->lockout_window = NTLM_DEFAULT_LOCKOUT_WINDOW;
    cfg->lockout_duration = NTLM_DEFAULT_LOCKOUT_DURATION;
}

/*
 * Replaces *cfg by the settings in text. On failure *cfg holds only the error message (unless
 * memory ran out), so a caller cannot act on half a file.
 */
uint32_t
ntlm_config_parse(const char *text, const char *source, struct ntlm_config *cfg)
{
    struct ntlm_config parsed;
    unsigned key_line[CONFIG_KEY_COUNT] = {0};
    char *copy = NULL, *line, *next;
    unsigned line_no = 0;
    char *error = NULL;
    uint32_t ret = 0;

    if (text == NULL || source == NULL || cfg == NULL)
        return NTLM_ERR_INVALID_ARG;
    ntlm_config_init(&parsed);
    copy = strdup(text);
    if (copy == NULL) {
        ret = NTLM_ERR_NOMEM;
        goto done;
    }
    for (line = copy; line != NULL; line = next) {
        const struct config_key *key;
        const char *reason = NULL;
        char *eq, *name, *value;
        size_t k;

        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        line_no++;
        if (u8_check((const uint8_t *)line, strlen(line)) != NULL) {
            ret = config_error(&error, source, line_no, "not valid UTF-8");
            goto done;
        }
        line = trim(line, line + strlen(line));
        /* Only whole-line comments: a '#' inside a value (a path, say) is kept. */
        if (*line == '\0' || *line == '#')
            continue;
        eq = strchr(line, '=');
        if (eq == NULL) {
            ret = config_error(&error, source, line_no, "expected \"key = value\"");
            goto done;
        }
        name = trim(line, eq);
        value = trim(eq + 1, eq + 1 + strlen(eq + 1));
        key = find_key(name);
        if (key == NULL) {
            ret = config_error(&error, source, line_no, "unknown key \"%s\"", name);
            goto done;
        }
        k = (size_t)(key - config_keys);
        if (key_line[k] != 0) {
            ret = config_error(&error, source, line_no, "\"%s\" already set on line %u", name,
                               key_line[k]);
            goto done;
        }
        key_line[k] = line_no;
        ret = config_set(&parsed, key, value, &reason);
        if (ret == NTLM_ERR_CONFIG)
            ret = config_error(&error, source, line_no, "%s: %s", name, reason);
        if (ret)
            goto done;
    }
    parsed.obsolete_lm_line = key_line[find_key("lm") - config_keys];
    /* Windows' rule too: a count that outlived the lockout would lock again at the next
     * failure. */
    if (parsed.lockout_threshold != 0 && parsed.lockout_window > parsed.lockout_duration) {
        unsigned window_line = key_line[find_key("lockout_window") - config_keys];

        ret = config_error(&error, source,
                           window_line != 0 ? window_line
                                            : key_line[find_key("lockout_duration") - config_keys],
                           "lockout_window must not exceed lockout_duration");
        goto done;
    }
done:
    free(copy);
    ntlm_config_clear(cfg);
    if (ret) {
        ntlm_config_clear(&parsed);
        cfg->error = error;
    } else {
        *cfg = parsed;
    }
    return ret;
}

static void
ascii_lower(char *s)
{
    for (; *s != '\0'; s++) {
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
    }
}

static void
ascii_upper(char *s)
{
    for (; *s != '\0'; s++) {
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
    }
}

/* Unset fields get values derived from the host name; strings already set are kept. */
uint32_t
ntlm_config_defaults(struct ntlm_config *cfg)
{
    char host[HOST_NAME_MAX + 1];
    const char *dot;

    /* A host name that is unusable as a first label must not give an empty NetBIOS name. */
    if (gethostname(host, sizeof(host)) != 0 || host[0] == '\0' || host[0] == '.')
        strcpy(host, "localhost");
    /* gethostname may truncate without a terminator. */
    host[HOST_NAME_MAX] = '\0';
    /* Case is done by hand: tolower and toupper depend on the caller's locale. */
    ascii_lower(host);
    if (cfg->netbios_name == NULL) {
        size_t label_len = strcspn(host, ".");

        cfg->netbios_name =
            strndup(host, label_len < NETBIOS_NAME_MAX ? label_len : NETBIOS_NAME_MAX);
        if (cfg->netbios_name == NULL)
            return NTLM_ERR_NOMEM;
        ascii_upper(cfg->netbios_name);
    }
    if (cfg->netbios_domain == NULL) {
        cfg->netbios_domain = strdup("WORKGROUP");
        if (cfg->netbios_domain == NULL)
            return NTLM_ERR_NOMEM;
    }
    if (cfg->dns_name == NULL) {
        cfg->dns_name = strdup(host);
        if (cfg->dns_name == NULL)
            return NTLM_ERR_NOMEM;
    }
    if (cfg->state_dir == NULL) {
        cfg->state_dir = strdup(DEFAULT_STATE_DIR);
        if (cfg->state_dir == NULL)
            return NTLM_ERR_NOMEM;
    }
    if (cfg->dns_domain == NULL) {
        dot = strchr(host, '.');
        cfg->dns_domain = strdup(dot != NULL ? dot + 1 : "");
        if (cfg->dns_domain == NULL)
            return NTLM_ERR_NOMEM;
    }
    return 0;
}

void
ntlm_config_clear(struct ntlm_config *cfg)
{
    if (cfg == NULL)
        return;
    free(cfg->user_file);
    free(cfg->netbios_name);
    free(cfg->netbios_domain);
    free(cfg->dns_name);
    free(cfg->dns_domain);
    free(cfg->audit_file);
    free(cfg->debug_file);
    ntlm_config_free_list(cfg->service_names);
    ntlm_config_free_list(cfg->local_map_domains);
    free(cfg->state_dir);
    free(cfg->error);
    memset(cfg, 0, sizeof(*cfg));
}

bool
ntlm_config_domain_maps_locally(const struct ntlm_config *cfg, const char *domain)
{
    char *const *listed;

    if (domain == NULL || *domain == '\0' || cfg->local_map_any_domain)
        return true;
    if ((cfg->netbios_domain != NULL && ntlm_utf8_case_equal(domain, cfg->netbios_domain)) ||
        (cfg->dns_domain != NULL && cfg->dns_domain[0] != '\0' &&
         ntlm_utf8_case_equal(domain, cfg->dns_domain)))
        return true;
    for (listed = cfg->local_map_domains; listed != NULL && *listed != NULL; listed++) {
        if (ntlm_utf8_case_equal(domain, *listed))
            return true;
    }
    return false;
}

/*
 * Reads the regular file at path into a NUL-terminated string. Returns 0 or an errno value
 * (EINVAL for a file that is not regular or holds a NUL byte).
 */
static int
read_text_file(const char *path, char **text)
{
    struct stat st;
    char *buf = NULL;
    size_t cap = 0, len = 0;
    int fd, err = 0;

    /* O_NONBLOCK: a FIFO at path must not hang us before the regular-file check. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        err = errno;
        goto done;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        err = EINVAL;
        goto done;
    }
    for (;;) {
        ssize_t n;

        if (cap - len < 2) {
            char *bigger = realloc(buf, cap == 0 ? 4096 : cap * 2);

            if (bigger == NULL) {
                err = ENOMEM;
                goto done;
            }
            buf = bigger;
            cap = cap == 0 ? 4096 : cap * 2;
        }
        n = read(fd, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            err = errno;
            goto done;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    if (memchr(buf, '\0', len) != NULL) {
        err = EINVAL;
        goto done;
    }
    buf[len] = '\0';
    *text = buf;
    buf = NULL;
done:
    free(buf);
    if (fd >= 0)
        close(fd);
    return err;
}

const char *
ntlm_config_default_path(bool *named)
{
    const char *path = secure_getenv("SSPIGSS_NTLM_CONFIG");

    *named = path != NULL && *path != '\0';
    return *named ? path : DEFAULT_CONFIG_PATH;
}

uint32_t
ntlm_config_load(const char *path, bool named, struct ntlm_config *cfg)
{
    const char *user_file = secure_getenv("NTLM_USER_FILE");
    char *text = NULL;
    uint32_t ret = 0;
    int err;

    ntlm_config_init(cfg);
    err = read_text_file(path, &text);
    if (err == ENOMEM) {
        ret = NTLM_ERR_NOMEM;
        goto done;
    }
    /* Only the default file may be absent: a file someone named must be there. */
    if (err != 0 && !(err == ENOENT && !named)) {
        ret = config_error(&cfg->error, path, 0, "cannot read: %s",
                           err == EINVAL ? "not a regular text file" : strerror(err));
        goto done;
    }
    if (text != NULL) {
        ret = ntlm_config_parse(text, path, cfg);
        if (ret)
            goto done;
    }
    if (user_file != NULL && *user_file != '\0') {
        free(cfg->user_file);
        cfg->user_file = strdup(user_file);
        if (cfg->user_file == NULL) {
            ret = NTLM_ERR_NOMEM;
            goto done;
        }
    }
    ret = ntlm_config_defaults(cfg);
done:
    free(text);
    return ret;
}
