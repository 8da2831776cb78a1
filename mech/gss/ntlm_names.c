/* GSS names of the NTLM mechanism: users ("DOMAIN\user", "user@DOMAIN"), host-based services
 * ("HTTP@host") and the anonymous name, and the local account a user name maps to. */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ntlm_config.h"
#include "ntlm_buf.h"
#include "ntlm_debug.h"
#include "ntlm_errors.h"
#include "ntlm_gss_mech.h"
#include "ntlm_gss_names.h"
#include "ntlm_unicode.h"
#include "ntlm_winbind.h"

/* RFC 6680 section 7.3's name attribute (GSS_C_ATTR_LOCAL_LOGIN_USER in MIT's gssapi_ext.h). */
#define LOCAL_LOGIN_USER "local-login-user"
/* getpwnam_r buffers grow to this at most. */
#define LOCAL_LOOKUP_BUFFER_MAX (1u << 20)

uint32_t
ntlm_name_new(enum ntlm_name_kind kind, const char *user, const char *domain,
              struct ntlm_name **out)
{
    struct ntlm_name *name = calloc(1, sizeof(*name));

    if (name == NULL)
        return NTLM_ERR_NOMEM;
    name->kind = kind;
    if (user != NULL && (name->user = strdup(user)) == NULL)
        goto nomem;
    if (domain != NULL && (name->domain = strdup(domain)) == NULL)
        goto nomem;
    *out = name;
    return 0;
nomem:
    ntlm_name_free(name);
    return NTLM_ERR_NOMEM;
}

uint32_t
ntlm_name_set_sids(struct ntlm_name *name, const char *sids)
{
    char *copy = strdup(sids);

    if (copy == NULL)
        return NTLM_ERR_NOMEM;
    free(name->sids);
    name->sids = copy;
    return 0;
}

uint32_t
ntlm_name_copy(const struct ntlm_name *in, struct ntlm_name **out)
{
    uint32_t ret = ntlm_name_new(in->kind, in->user, in->domain, out);

    if (ret == 0)
        (*out)->env = ntlm_env_ref(in->env);
    if (ret == 0 && in->sids != NULL) {
        ret = ntlm_name_set_sids(*out, in->sids);
        if (ret) {
            ntlm_name_free(*out);
            *out = NULL;
        }
    }
    return ret;
}

void
ntlm_name_free(struct ntlm_name *name)
{
    if (name == NULL)
        return;
    free(name->user);
    free(name->domain);
    free(name->sids);
    ntlm_env_release(name->env);
    free(name);
}

static char *
join(const char *a, char sep, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 2);

    if (s == NULL)
        return NULL;
    memcpy(s, a, la);
    s[la] = sep;
    memcpy(s + la + 1, b, lb + 1);
    return s;
}

uint32_t
ntlm_name_to_string(const struct ntlm_name *name, char **out)
{
    char *s = NULL;

    switch (name->kind) {
    case NTLM_NAME_ANONYMOUS:
        s = strdup("NT AUTHORITY\\ANONYMOUS LOGON");
        break;
    case NTLM_NAME_SERVICE:
        s = name->domain != NULL ? join(name->user, '@', name->domain) : strdup(name->user);
        break;
    case NTLM_NAME_USER:
        s = name->domain != NULL && name->domain[0] != '\0' ? join(name->domain, '\\', name->user)
                                                            : strdup(name->user);
        break;
    }
    if (s == NULL)
        return NTLM_ERR_NOMEM;
    *out = s;
    return 0;
}

uint32_t
ntlm_name_spn(const struct ntlm_name *name, char **out)
{
    *out = NULL;
    if (name == NULL || name->kind != NTLM_NAME_SERVICE || name->domain == NULL)
        return 0;
    *out = join(name->user, '/', name->domain);
    return *out == NULL ? NTLM_ERR_NOMEM : 0;
}

static bool
oid_is(const gss_OID a, const gss_OID b)
{
    return a != GSS_C_NO_OID && b != GSS_C_NO_OID && a->length == b->length &&
           memcmp(a->elements, b->elements, a->length) == 0;
}

/* Parses "DOMAIN\user", "user@domain" or "user". Empty parts are invalid names. */
static uint32_t
parse_user(const char *s, struct ntlm_name **out)
{
    const char *sep = strchr(s, '\\');
    char *domain = NULL;
    uint32_t ret;

    if (sep != NULL) {
        if (sep == s || sep[1] == '\0')
            return NTLM_ERR_BAD_NAME;
        domain = strndup(s, (size_t)(sep - s));
        if (domain == NULL)
            return NTLM_ERR_NOMEM;
        ret = ntlm_name_new(NTLM_NAME_USER, sep + 1, domain, out);
        free(domain);
        return ret;
    }
    sep = strrchr(s, '@');
    if (sep != NULL) {
        char *user;

        if (sep == s || sep[1] == '\0')
            return NTLM_ERR_BAD_NAME;
        user = strndup(s, (size_t)(sep - s));
        if (user == NULL)
            return NTLM_ERR_NOMEM;
        ret = ntlm_name_new(NTLM_NAME_USER, user, sep + 1, out);
        free(user);
        return ret;
    }
    if (*s == '\0')
        return NTLM_ERR_BAD_NAME;
    return ntlm_name_new(NTLM_NAME_USER, s, NULL, out);
}

static uint32_t
parse_service(const char *s, struct ntlm_name **out)
{
    const char *at = strchr(s, '@');
    char *service;
    uint32_t ret;

    if (at == NULL)
        return *s == '\0' ? NTLM_ERR_BAD_NAME : ntlm_name_new(NTLM_NAME_SERVICE, s, NULL, out);
    if (at == s || at[1] == '\0')
        return NTLM_ERR_BAD_NAME;
    service = strndup(s, (size_t)(at - s));
    if (service == NULL)
        return NTLM_ERR_NOMEM;
    ret = ntlm_name_new(NTLM_NAME_SERVICE, service, at + 1, out);
    free(service);
    return ret;
}

/* RFC 2743 3.2 exported name: 04 01, 2-byte OID length, OID, 4-byte name length, name. */
static uint32_t
parse_export(const uint8_t *p, size_t len, char **display)
{
    size_t oid_len, name_len;

    if (len < 4 || p[0] != 0x04 || p[1] != 0x01)
        return NTLM_ERR_BAD_NAME;
    oid_len = (size_t)p[2] << 8 | p[3];
    if (oid_len != 2 + NTLM_MECH_OID->length || len < 4 + oid_len + 4)
        return NTLM_ERR_BAD_NAME;
    if (p[4] != 0x06 || p[5] != NTLM_MECH_OID->length ||
        memcmp(p + 6, NTLM_MECH_OID->elements, NTLM_MECH_OID->length) != 0)
        return NTLM_ERR_BAD_NAME;
    p += 4 + oid_len;
    name_len = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
    if (name_len != len - 4 - oid_len - 4 || memchr(p + 4, 0, name_len) != NULL)
        return NTLM_ERR_BAD_NAME;
    *display = strndup((const char *)p + 4, name_len);
    return *display == NULL ? NTLM_ERR_NOMEM : 0;
}

OM_uint32
ntlm_gss_import_name(OM_uint32 *minor, gss_buffer_t input, gss_OID name_type, gss_name_t *output)
{
    struct ntlm_name *name = NULL;
    char *text = NULL;
    size_t len = input->length;
    uint32_t ret;

    if (oid_is(name_type, GSS_C_NT_ANONYMOUS)) {
        ret = ntlm_name_new(NTLM_NAME_ANONYMOUS, NULL, NULL, &name);
        goto done;
    }
    if (oid_is(name_type, GSS_C_NT_EXPORT_NAME)) {
        ret = parse_export(input->value, len, &text);
        if (ret == 0)
            ret = parse_user(text, &name);
        goto done;
    }
    /* Callers often count a terminating NUL; any other NUL is an invalid name. */
    if (len > 0 && ((const char *)input->value)[len - 1] == '\0')
        len--;
    if (len == 0 || memchr(input->value, 0, len) != NULL) {
        ret = NTLM_ERR_BAD_NAME;
        goto done;
    }
    text = strndup(input->value, len);
    if (text == NULL) {
        ret = NTLM_ERR_NOMEM;
        goto done;
    }
    if (name_type == GSS_C_NO_OID || oid_is(name_type, GSS_C_NT_USER_NAME)) {
        ret = parse_user(text, &name);
    } else if (oid_is(name_type, GSS_C_NT_HOSTBASED_SERVICE)) {
        ret = parse_service(text, &name);
    } else {
        free(text);
        *minor = 0;
        return GSS_S_BAD_NAMETYPE;
    }
done:
    free(text);
    if (ret)
        return ntlm_gss_error(minor, ret == NTLM_ERR_NOMEM ? GSS_S_FAILURE : GSS_S_BAD_NAME, ret);
    *output = (gss_name_t)name;
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32
ntlm_gss_display_name(OM_uint32 *minor, gss_name_t input, gss_buffer_t output, gss_OID *name_type)
{
    const struct ntlm_name *name = (const struct ntlm_name *)input;
    char *text = NULL;
    OM_uint32 major;
    uint32_t ret;

    if (name == NULL)
        return ntlm_gss_error(minor, GSS_S_BAD_NAME, NTLM_ERR_BAD_NAME);
    ret = ntlm_name_to_string(name, &text);
    if (ret)
        return ntlm_gss_error(minor, GSS_S_FAILURE, ret);
    major = ntlm_gss_buffer_set(minor, output, text, strlen(text));
    free(text);
    if (major != GSS_S_COMPLETE)
        return major;
    /* The mechglue frees any name type that is not one of its own statics (MIT 1.20). */
    if (name_type != NULL) {
        switch (name->kind) {
        case NTLM_NAME_USER:
            *name_type = GSS_C_NT_USER_NAME;
            break;
        case NTLM_NAME_SERVICE:
            *name_type = GSS_C_NT_HOSTBASED_SERVICE;
            break;
        case NTLM_NAME_ANONYMOUS:
            *name_type = GSS_C_NT_ANONYMOUS;
            break;
        }
    }
    return GSS_S_COMPLETE;
}

OM_uint32
ntlm_gss_release_name(OM_uint32 *minor, gss_name_t *name)
{
    *minor = 0;
    if (name == NULL)
        return GSS_S_COMPLETE;
    ntlm_name_free((struct ntlm_name *)*name);
    *name = GSS_C_NO_NAME;
    return GSS_S_COMPLETE;
}

static bool
text_equal(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    /* The user database matches accounts under Unicode's simple case mapping, so "Émile"
     * must equal "émile" here too; strcasecmp folds ASCII only. Bytes that are not UTF-8
     * still equal themselves. */
    return strcmp(a, b) == 0 || ntlm_utf8_case_equal(a, b);
}

OM_uint32
ntlm_gss_compare_name(OM_uint32 *minor, gss_name_t a_in, gss_name_t b_in, int *equal)
{
    const struct ntlm_name *a = (const struct ntlm_name *)a_in, *b = (const struct ntlm_name *)b_in;

    *minor = 0;
    if (a == NULL || b == NULL)
        return GSS_S_BAD_NAME;
    /* Account names compare case-insensitively, as Windows does. */
    *equal = a->kind == b->kind && a->kind != NTLM_NAME_ANONYMOUS && text_equal(a->user, b->user) &&
             text_equal(a->domain, b->domain);
    return GSS_S_COMPLETE;
}

OM_uint32
ntlm_gss_duplicate_name(OM_uint32 *minor, const gss_name_t in, gss_name_t *out)
{
    struct ntlm_name *copy = NULL;
    uint32_t ret;

    if (in == GSS_C_NO_NAME)
        return ntlm_gss_error(minor, GSS_S_BAD_NAME, NTLM_ERR_BAD_NAME);
    ret = ntlm_name_copy((const struct ntlm_name *)in, &copy);
    if (ret)
        return ntlm_gss_error(minor, GSS_S_FAILURE, ret);
    *out = (gss_name_t)copy;
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32
ntlm_gss_export_name(OM_uint32 *minor, const gss_name_t in, gss_buffer_t out)
{
    const struct ntlm_name *name = (const struct ntlm_name *)in;
    struct ntlm_buf b = NTLM_BUF_INIT;
    char *text = NULL;
    size_t len;
    OM_uint32 major;
    uint32_t ret;

    if (name == NULL || name->kind != NTLM_NAME_USER)
        return ntlm_gss_error(minor, GSS_S_NAME_NOT_MN, NTLM_ERR_BAD_NAME);
    ret = ntlm_name_to_string(name, &text);
    if (ret)
        return ntlm_gss_error(minor, GSS_S_FAILURE, ret);
    len = strlen(text);
    ntlm_buf_add_u8(&b, 0x04);
    ntlm_buf_add_u8(&b, 0x01);
    ntlm_buf_add_u8(&b, 0);
    ntlm_buf_add_u8(&b, (uint8_t)(2 + NTLM_MECH_OID->length));
    ntlm_buf_add_u8(&b, 0x06);
    ntlm_buf_add_u8(&b, (uint8_t)NTLM_MECH_OID->length);
    ntlm_buf_add(&b, NTLM_MECH_OID->elements, NTLM_MECH_OID->length);
    ntlm_buf_add_u8(&b, (uint8_t)(len >> 24));
    ntlm_buf_add_u8(&b, (uint8_t)(len >> 16));
    ntlm_buf_add_u8(&b, (uint8_t)(len >> 8));
    ntlm_buf_add_u8(&b, (uint8_t)len);
    ntlm_buf_add(&b, text, len);
    free(text);
    ret = ntlm_buf_status(&b);
    if (ret) {
        ntlm_buf_free(&b);
        return ntlm_gss_error(minor, GSS_S_FAILURE, ret);
    }
    major = ntlm_gss_buffer_set(minor, out, b.data, b.len);
    ntlm_buf_free(&b);
    return major;
}

/* A name that maps to no account is GSS_S_UNAVAILABLE (RFC 6680's "no such mapping"). */
static OM_uint32
localname_major(uint32_t ret)
{
    switch (ret) {
    case NTLM_ERR_BAD_NAME:
        return GSS_S_BAD_NAME;
    case NTLM_ERR_NOMEM:
    case NTLM_ERR_CONFIG:
        return GSS_S_FAILURE;
    default:
        return GSS_S_UNAVAILABLE;
    }
}

/*
 * Looks up a local account by name through NSS: *found false when there is none. Errors:
 * NTLM_ERR_LOCAL_LOOKUP (NSS failed: refusing is safer than guessing), NTLM_ERR_NOMEM.
 */
static uint32_t
local_uid(const char *user, bool *found, uid_t *uid)
{
    long hint = sysconf(_SC_GETPW_R_SIZE_MAX);
    size_t size = hint > 0 ? (size_t)hint : 1024;
    struct passwd pw, *result = NULL;
    char *buf = NULL, *bigger;
    int err;

    for (;;) {
        bigger = realloc(buf, size);
        if (bigger == NULL) {
            free(buf);
            return NTLM_ERR_NOMEM;
        }
        buf = bigger;
        err = getpwnam_r(user, &pw, buf, size, &result);
        if (err != ERANGE || size >= LOCAL_LOOKUP_BUFFER_MAX)
            break;
        size *= 2;
    }
    *found = result != NULL;
    if (result != NULL)
        *uid = pw.pw_uid;
    free(buf);
    /* getpwnam_r(3): 0, ENOENT, ESRCH, EBADF and EPERM all mean "no such user". */
    if (result != NULL || err == 0 || err == ENOENT || err == ESRCH || err == EBADF || err == EPERM)
        return 0;
    return err == ENOMEM ? NTLM_ERR_NOMEM : NTLM_ERR_LOCAL_LOOKUP;
}

/*
 * The local account an authenticated name maps to, under the configuration's rules:
 *  - a user a domain controller validated (it has SIDs) maps to the account winbindd gives its
 *    SID, named as winbindd's NSS module names it: never to a local account that merely shares
 *    its user part;
 *  - any other user maps to the account named like its user part, only when the name has no
 *    domain or the acceptor's own or one local_map_domains lists: PARTNER\daemon is not the
 *    local daemon;
 *  - either way, never to an existing account whose uid is below local_uid_min (root and the
 *    system accounts, by default). A user part that names no account maps to itself, which
 *    gives access to no account (libsspi, for one, then finds none).
 */
static uint32_t
local_account(const struct ntlm_config *cfg, const struct ntlm_name *name, char **out)
{
    char *account = NULL;
    bool found = true;
    uid_t uid = 0;
    uint32_t ret;

    if (name->sids != NULL && name->sids[0] != '\0') {
        char *user_sid = strndup(name->sids, strcspn(name->sids, ","));

        if (user_sid == NULL)
            return NTLM_ERR_NOMEM;
        ret = ntlm_domain_local_account(user_sid, &account, &uid);
        free(user_sid);
    } else if (!ntlm_config_domain_maps_locally(cfg, name->domain)) {
        ret = NTLM_ERR_LOCAL_DOMAIN;
    } else {
        account = strdup(name->user);
        ret = account == NULL ? NTLM_ERR_NOMEM : local_uid(account, &found, &uid);
    }
    if (ret == 0 && found && (unsigned long)uid < cfg->local_uid_min)
        ret = NTLM_ERR_LOCAL_UID;
    ntlm_debug("localname: \"%s\" in domain \"%s\": %s%s", name->user,
               name->domain != NULL ? name->domain : "", ret == 0 ? "maps to " : "",
               ret == 0 ? account : ntlm_error_message(ret));
    if (ret) {
        free(account);
        return ret;
    }
    *out = account;
    return 0;
}

/* local_account under the configuration the name was authenticated under (the default
 * configuration's for other names), tracing where it says. */
static uint32_t
name_local_account(const struct ntlm_name *name, char **out)
{
    struct ntlm_step step;
    uint32_t ret;

    if (name == NULL || name->kind != NTLM_NAME_USER)
        return NTLM_ERR_BAD_NAME;
    ret = ntlm_step_begin(&step, name->env);
    if (ret)
        return ret;
    ret = local_account(&step.settings->cfg, name, out);
    ntlm_step_end(&step);
    return ret;
}

OM_uint32
ntlm_gss_localname(OM_uint32 *minor, const gss_name_t in, gss_const_OID mech,
                   gss_buffer_t localname)
{
    char *account = NULL;
    OM_uint32 major;
    uint32_t ret;

    ret = name_local_account((const struct ntlm_name *)in, &account);
    if (ret)
        return ntlm_gss_error(minor, localname_major(ret), ret);
    major = ntlm_gss_buffer_set(minor, localname, account, strlen(account));
    free(account);
    return major;
}

OM_uint32
ntlm_gss_inquire_name(OM_uint32 *minor, gss_name_t in, int *name_is_mn, gss_OID *mn_mech,
                      gss_buffer_set_t *attrs)
{
    *minor = 0;
    if (in == GSS_C_NO_NAME)
        return GSS_S_BAD_NAME;
    if (name_is_mn != NULL)
        *name_is_mn = 1;
    if (mn_mech != NULL)
        *mn_mech = NTLM_MECH_OID;
    if (attrs != NULL)
        *attrs = GSS_C_NO_BUFFER_SET;
    if (attrs != NULL && ((const struct ntlm_name *)in)->sids != NULL) {
        gss_buffer_desc attr = {sizeof(NTLM_ATTR_SIDS) - 1, (void *)NTLM_ATTR_SIDS};

        return gss_add_buffer_set_member(minor, &attr, attrs);
    }
    return GSS_S_COMPLETE;
}

static bool
attr_is(const gss_buffer_t attr, const char *want)
{
    return attr != GSS_C_NO_BUFFER && attr->length == strlen(want) &&
           memcmp(attr->value, want, attr->length) == 0;
}

/*
 * RFC 6680's local-login-user: the mechglue asks for it when gss_localname failed, and
 * whatever it answers is what the caller gets. It answers with the same mapping, so a refusal
 * reaches the caller with its own minor code ("below local_uid_min", ...) instead of this
 * attribute's absence.
 */
static OM_uint32
local_login_user(OM_uint32 *minor, const struct ntlm_name *name, int *authenticated, int *complete,
                 gss_buffer_t value, gss_buffer_t display_value, int *more)
{
    char *account = NULL;
    OM_uint32 major, tmp;
    uint32_t ret;

    ret = name_local_account(name, &account);
    if (ret)
        return ntlm_gss_error(minor, localname_major(ret), ret);
    major = value != GSS_C_NO_BUFFER ? ntlm_gss_buffer_set(minor, value, account, strlen(account))
                                     : GSS_S_COMPLETE;
    if (major == GSS_S_COMPLETE && display_value != GSS_C_NO_BUFFER) {
        major = ntlm_gss_buffer_set(minor, display_value, account, strlen(account));
        if (major != GSS_S_COMPLETE && value != GSS_C_NO_BUFFER)
            gss_release_buffer(&tmp, value);
    }
    free(account);
    if (major != GSS_S_COMPLETE)
        return major;
    if (authenticated != NULL)
        *authenticated = 1;
    if (complete != NULL)
        *complete = 1;
    if (more != NULL)
        *more = 0;
    return GSS_S_COMPLETE;
}

/*
 * The SID list of a user a domain controller validated: one value, authenticated (it came
 * from the DC through winbindd, not from the client) and complete. And local-login-user.
 */
OM_uint32
ntlm_gss_get_name_attribute(OM_uint32 *minor, gss_name_t in, gss_buffer_t attr, int *authenticated,
                            int *complete, gss_buffer_t value, gss_buffer_t display_value,
                            int *more)
{
    const struct ntlm_name *name = (const struct ntlm_name *)in;
    OM_uint32 major, tmp;

    if (name == NULL)
        return ntlm_gss_error(minor, GSS_S_BAD_NAME, NTLM_ERR_BAD_NAME);
    if (attr_is(attr, LOCAL_LOGIN_USER) && name->kind == NTLM_NAME_USER &&
        (more == NULL || *more == -1))
        return local_login_user(minor, name, authenticated, complete, value, display_value, more);
    if (!attr_is(attr, NTLM_ATTR_SIDS) || name->sids == NULL || (more != NULL && *more != -1)) {
        *minor = 0;
        return GSS_S_UNAVAILABLE;
    }
    if (authenticated != NULL)
        *authenticated = 1;
    if (complete != NULL)
        *complete = 1;
    if (more != NULL)
        *more = 0;
    if (value != GSS_C_NO_BUFFER) {
        major = ntlm_gss_buffer_set(minor, value, name->sids, strlen(name->sids));
        if (major != GSS_S_COMPLETE)
            return major;
    }
    if (display_value != GSS_C_NO_BUFFER) {
        major = ntlm_gss_buffer_set(minor, display_value, name->sids, strlen(name->sids));
        if (major != GSS_S_COMPLETE) {
            if (value != GSS_C_NO_BUFFER)
                gss_release_buffer(&tmp, value);
            return major;
        }
    }
    *minor = 0;
    return GSS_S_COMPLETE;
}
