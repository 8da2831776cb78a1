/*
 * The configuration values with a syntax of their own: booleans, the policy keywords, the
 * replay window and winbind timeout in seconds, the minimum session security, and the audit
 * and debug destinations.
 */
#include "ntlm_config_values.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ntlm_errors.h"
#include "ntlm_unicode.h"

bool
ntlm_config_parse_bool(const char *value, bool *out)
{
    if (strcasecmp(value, "yes") == 0 || strcasecmp(value, "true") == 0 ||
        strcmp(value, "1") == 0) {
        *out = true;
        return true;
    }
    if (strcasecmp(value, "no") == 0 || strcasecmp(value, "false") == 0 ||
        strcmp(value, "0") == 0) {
        *out = false;
        return true;
    }
    return false;
}

struct keyword {
    const char *name;
    int value;
};

/* The value of the keyword that value spells (in any case), or -1. */
static int
keyword_value(const struct keyword *words, size_t count, const char *value)
{
    size_t i;

    for (i = 0; i < count; i++) {
        if (strcasecmp(words[i].name, value) == 0)
            return words[i].value;
    }
    return -1;
}

uint32_t
ntlm_config_value_mic(const char *value, struct ntlm_config *cfg, const char **reason)
{
    static const struct keyword words[] = {
        {"when_present", NTLM_MIC_WHEN_PRESENT},
        {"always", NTLM_MIC_ALWAYS},
    };
    int v = keyword_value(words, sizeof(words) / sizeof(words[0]), value);

    if (v < 0) {
        *reason = "expected when_present or always";
        return NTLM_ERR_CONFIG;
    }
    cfg->mic = (enum ntlm_mic_policy)v;
    return 0;
}

uint32_t
ntlm_config_value_channel_bindings(const char *value, struct ntlm_config *cfg, const char **reason)
{
    static const struct keyword words[] = {
        {"never", NTLM_CB_NEVER},
        {"when_supported", NTLM_CB_WHEN_SUPPORTED},
        {"always", NTLM_CB_ALWAYS},
    };
    int v = keyword_value(words, sizeof(words) / sizeof(words[0]), value);

    if (v < 0) {
        *reason = "expected never, when_supported or always";
        return NTLM_ERR_CONFIG;
    }
    cfg->channel_bindings = (enum ntlm_cb_policy)v;
    return 0;
}

/* Decimal digits only, no sign, unit or blank, from min to max: false otherwise. */
static bool
parse_seconds(const char *value, unsigned long min, unsigned long max, unsigned *out)
{
    unsigned long seconds = 0;
    const char *p;

    if (*value == '\0')
        return false;
    for (p = value; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return false;
        seconds = seconds * 10 + (unsigned long)(*p - '0');
        /* Checked at every digit, so the product above never overflows. */
        if (seconds > max)
            return false;
    }
    if (seconds < min)
        return false;
    *out = (unsigned)seconds;
    return true;
}

/* 0 turns the checks off. */
uint32_t
ntlm_config_value_replay_window(const char *value, struct ntlm_config *cfg, const char **reason)
{
    if (!parse_seconds(value, 0, NTLM_MAX_REPLAY_WINDOW, &cfg->replay_window)) {
        *reason = "expected a number of seconds from 0 to 86400";
        return NTLM_ERR_CONFIG;
    }
    return 0;
}

/* A build without libwbclient refuses any mode that would need it, rather than ignore it. */
uint32_t
ntlm_config_value_winbind(const char *value, struct ntlm_config *cfg, const char **reason)
{
    static const struct keyword words[] = {
        {"no", NTLM_WINBIND_NO},
        {"fallback", NTLM_WINBIND_FALLBACK},
        {"only", NTLM_WINBIND_ONLY},
    };
    int v = keyword_value(words, sizeof(words) / sizeof(words[0]), value);

    if (v < 0) {
        *reason = "expected no, fallback or only";
        return NTLM_ERR_CONFIG;
    }
#ifndef HAVE_WBCLIENT
    if (v != NTLM_WINBIND_NO) {
        *reason = "this build has no winbind support (configure --with-wbclient)";
        return NTLM_ERR_CONFIG;
    }
#endif
    cfg->winbind = (enum ntlm_winbind_mode)v;
    return 0;
}

uint32_t
ntlm_config_value_winbind_timeout(const char *value, struct ntlm_config *cfg, const char **reason)
{
    if (!parse_seconds(value, 1, NTLM_MAX_WINBIND_TIMEOUT, &cfg->winbind_timeout)) {
        *reason = "expected a number of seconds from 1 to 300";
        return NTLM_ERR_CONFIG;
    }
    return 0;
}

uint32_t
ntlm_config_value_winbind_max_inflight(const char *value, struct ntlm_config *cfg,
                                       const char **reason)
{
    if (!parse_seconds(value, 1, NTLM_MAX_WINBIND_MAX_INFLIGHT, &cfg->winbind_max_inflight)) {
        *reason = "expected a number of logons from 1 to 1024";
        return NTLM_ERR_CONFIG;
    }
    return 0;
}

/* 0 turns lockout off. */
uint32_t
ntlm_config_value_lockout_threshold(const char *value, struct ntlm_config *cfg, const char **reason)
{
    if (!parse_seconds(value, 0, NTLM_MAX_LOCKOUT_THRESHOLD, &cfg->lockout_threshold)) {
        *reason = "expected a number of failed logons from 0 to 999";
        return NTLM_ERR_CONFIG;
    }
    return 0;
}

uint32_t
ntlm_config_value_lockout_window(const char *value, struct ntlm_config *cfg, const char **reason)
{
    if (!parse_seconds(value, 1, NTLM_MAX_LOCKOUT_SECONDS, &cfg->lockout_window)) {
        *reason = "expected a number of seconds from 1 to 5999940";
        return NTLM_ERR_CONFIG;
    }
    return 0;
}

uint32_t
ntlm_config_value_lockout_duration(const char *value, struct ntlm_config *cfg, const char **reason)
{
    if (!parse_seconds(value, 1, NTLM_MAX_LOCKOUT_SECONDS, &cfg->lockout_duration)) {
        *reason = "expected a number of seconds from 1 to 5999940";
        return NTLM_ERR_CONFIG;
    }
    return 0;
}

/* An absolute path, for the same reason as audit. */
uint32_t
ntlm_config_value_state_dir(const char *value, struct ntlm_config *cfg, const char **reason)
{
    if (value[0] != '/' || value[1] == '\0') {
        *reason = "expected the absolute path of a directory";
        return NTLM_ERR_CONFIG;
    }
    free(cfg->state_dir);
    cfg->state_dir = strdup(value);
    return cfg->state_dir == NULL ? NTLM_ERR_NOMEM : 0;
}

uint32_t
ntlm_config_value_user_file_permissions(const char *value, struct ntlm_config *cfg,
                                        const char **reason)
{
    static const struct keyword words[] = {
        {"strict", NTLM_PERMISSIONS_STRICT},
        {"relaxed", NTLM_PERMISSIONS_RELAXED},
    };
    int v = keyword_value(words, sizeof(words) / sizeof(words[0]), value);

    if (v < 0) {
        *reason = "expected strict or relaxed";
        return NTLM_ERR_CONFIG;
    }
    cfg->user_file_permissions = (enum ntlm_file_permissions)v;
    return 0;
}

/* "none", "syslog", or an absolute path: a relative one would depend on the server's cwd. */
uint32_t
ntlm_config_value_audit(const char *value, struct ntlm_config *cfg, const char **reason)
{
    static const struct keyword words[] = {
        {"none", NTLM_AUDIT_NONE},
        {"syslog", NTLM_AUDIT_SYSLOG},
    };
    int v = keyword_value(words, sizeof(words) / sizeof(words[0]), value);

    if (v >= 0) {
        cfg->audit = (enum ntlm_audit_target)v;
        return 0;
    }
    if (value[0] != '/' || value[1] == '\0') {
        *reason = "expected none, syslog or the absolute path of a file";
        return NTLM_ERR_CONFIG;
    }
    cfg->audit_file = strdup(value);
    if (cfg->audit_file == NULL)
        return NTLM_ERR_NOMEM;
    cfg->audit = NTLM_AUDIT_FILE;
    return 0;
}

/*
 * "none", or one or both of "128bit" and "ess" separated by a comma and/or blanks, each once:
 * the two requirements are independent, as the bits of Windows' NtlmMinServerSec are.
 */
uint32_t
ntlm_config_value_min_session_security(const char *value, struct ntlm_config *cfg,
                                       const char **reason)
{
    static const struct keyword words[] = {
        {"128bit", (int)NTLM_MINSEC_128},
        {"ess", (int)NTLM_MINSEC_ESS},
    };
    static const char *const expected = "expected none, or 128bit and/or ess";
    uint32_t bits = 0;
    char word[8];
    size_t len;
    int v;

    if (strcasecmp(value, "none") == 0) {
        cfg->min_session_security = 0;
        return 0;
    }
    for (;;) {
        value += strspn(value, ", \t");
        if (*value == '\0')
            break;
        len = strcspn(value, ", \t");
        v = len < sizeof(word) ? 0 : -1;
        if (v == 0) {
            memcpy(word, value, len);
            word[len] = '\0';
            v = keyword_value(words, sizeof(words) / sizeof(words[0]), word);
        }
        if (v < 0 || (bits & (uint32_t)v) != 0) {
            *reason = expected;
            return NTLM_ERR_CONFIG;
        }
        bits |= (uint32_t)v;
        value += len;
    }
    if (bits == 0) {
        *reason = expected;
        return NTLM_ERR_CONFIG;
    }
    cfg->min_session_security = bits;
    return 0;
}

/* "none" or an absolute path, for the same reason as audit. */
uint32_t
ntlm_config_value_debug(const char *value, struct ntlm_config *cfg, const char **reason)
{
    if (strcasecmp(value, "none") == 0) {
        free(cfg->debug_file);
        cfg->debug_file = NULL;
        return 0;
    }
    if (value[0] != '/' || value[1] == '\0') {
        *reason = "expected none or the absolute path of a file";
        return NTLM_ERR_CONFIG;
    }
    cfg->debug_file = strdup(value);
    return cfg->debug_file == NULL ? NTLM_ERR_NOMEM : 0;
}

uint32_t
ntlm_config_value_service_binding(const char *value, struct ntlm_config *cfg, const char **reason)
{
    static const struct keyword words[] = {
        {"never", NTLM_SB_NEVER},
        {"when_present", NTLM_SB_WHEN_PRESENT},
        {"required", NTLM_SB_REQUIRED},
    };
    int v = keyword_value(words, sizeof(words) / sizeof(words[0]), value);

    if (v < 0) {
        *reason = "expected never, when_present or required";
        return NTLM_ERR_CONFIG;
    }
    cfg->service_binding = (enum ntlm_sb_policy)v;
    return 0;
}

/* Decimal digits up to 4294967295 (uid_t is 32 bits on Linux); 0 lets names map to root. */
uint32_t
ntlm_config_value_local_uid_min(const char *value, struct ntlm_config *cfg, const char **reason)
{
    unsigned long uid = 0;
    const char *p;

    for (p = value; *p >= '0' && *p <= '9'; p++) {
        uid = uid * 10 + (unsigned long)(*p - '0');
        if (uid > 4294967295ul)
            break;
    }
    if (p == value || *p != '\0') {
        *reason = "expected a uid from 0 to 4294967295";
        return NTLM_ERR_CONFIG;
    }
    cfg->local_uid_min = uid;
    return 0;
}

void
ntlm_config_free_list(char **list)
{
    size_t i;

    if (list == NULL)
        return;
    for (i = 0; list[i] != NULL; i++)
        free(list[i]);
    free(list);
}

/* "class/host": both parts non-empty, printable ASCII or UTF-8, no blank, no second class. */
static bool
spn_syntax_ok(const char *spn, size_t len)
{
    const char *slash = memchr(spn, '/', len);
    size_t i;

    if (slash == NULL || slash == spn || (size_t)(slash - spn) + 1 == len)
        return false;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)spn[i];

        if (c <= 0x20 || c == 0x7f || c == ',')
            return false;
    }
    return true;
}

/* Comma-separated SPNs (MS-NLMP's MsvAvTargetName form, "HTTP/www.example.com"). */
uint32_t
ntlm_config_value_service_names(const char *value, struct ntlm_config *cfg, const char **reason)
{
    char **list = NULL;
    const char *p = value;
    size_t count = 0;
    uint32_t ret = 0;

    *reason = "expected SPNs of the form class/host, separated by commas";
    for (;;) {
        size_t len;
        char **bigger;

        while (*p == ' ' || *p == '\t')
            p++;
        len = strcspn(p, ",");
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (!spn_syntax_ok(p, len) || count >= NTLM_MAX_SERVICE_NAMES) {
            if (count >= NTLM_MAX_SERVICE_NAMES)
                *reason = "more than 64 SPNs";
            ret = NTLM_ERR_CONFIG;
            goto done;
        }
        bigger = realloc(list, (count + 2) * sizeof(*list));
        if (bigger == NULL) {
            ret = NTLM_ERR_NOMEM;
            goto done;
        }
        list = bigger;
        list[count + 1] = NULL;
        list[count] = strndup(p, len);
        if (list[count] == NULL) {
            ret = NTLM_ERR_NOMEM;
            goto done;
        }
        count++;
        p += strcspn(p, ",");
        if (*p == '\0')
            break;
        p++;
    }
    ntlm_config_free_list(cfg->service_names);
    cfg->service_names = list;
    list = NULL;
done:
    ntlm_config_free_list(list);
    return ret;
}

/* Trims spaces and tabs around [start, end) and copies what is left. */
static char *
trimmed_copy(const char *start, const char *end)
{
    while (start < end && (*start == ' ' || *start == '\t'))
        start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    return strndup(start, (size_t)(end - start));
}

/*
 * "DOM[, DOM...]": NetBIOS or DNS domain names whose users map to local accounts, "*" for any
 * domain (the behaviour before this key existed), or nothing for none (the default). Each
 * must be a name an account's domain can have; an empty item is an error, so a stray comma
 * is noticed.
 */
uint32_t
ntlm_config_value_local_map_domains(const char *value, struct ntlm_config *cfg, const char **reason)
{
    char **list = NULL, *item;
    size_t count = 1, n = 0;
    const char *p, *end;
    uint32_t ret = 0;

    if (strcmp(value, "*") == 0) {
        cfg->local_map_any_domain = true;
        return 0;
    }
    if (*value == '\0')
        return 0;
    for (p = value; *p != '\0'; p++)
        count += *p == ',';
    list = calloc(count + 1, sizeof(*list));
    if (list == NULL)
        return NTLM_ERR_NOMEM;
    for (p = value; n < count; p = end + 1) {
        end = p + strcspn(p, ",");
        item = trimmed_copy(p, end);
        if (item == NULL) {
            ret = NTLM_ERR_NOMEM;
            goto done;
        }
        list[n++] = item;
        if (*item == '\0' || strcmp(item, "*") == 0 || !ntlm_account_name_valid(item)) {
            *reason = "expected *, or domain names separated by commas (no empty name, "
                      "backslash or control character)";
            ret = NTLM_ERR_CONFIG;
            goto done;
        }
    }
    ntlm_config_free_list(cfg->local_map_domains);
    cfg->local_map_domains = list;
    list = NULL;
done:
    ntlm_config_free_list(list);
    return ret;
}
