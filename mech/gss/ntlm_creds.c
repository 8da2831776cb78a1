/*
 * Credentials: an initiator part (a user and its NT hash, from a password, a cred-store
 * entry or the user database) and an acceptor part (the user database it verifies against).
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ntlm_auth.h"
#include "ntlm_config.h"
#include "ntlm_debug.h"
#include "ntlm_errors.h"
#include "ntlm_gss_creds.h"
#include "ntlm_gss_mech.h"
#include "ntlm_gss_names.h"
#include "ntlm_userdb.h"

/* Cred-store keys, the same as gss-ntlmssp's so server configurations carry over. */
#define CS_KEYFILE "ntlmssp_keyfile"
#define CS_PASSWORD "ntlmssp_password"
#define CS_NTHASH "ntlmssp_nthash"
#define CS_DOMAIN "ntlmssp_domain"
/* Ours: the module configuration file this credential runs under (default: the process's). */
#define CS_CONFIG "sspigss_config"

void
ntlm_cred_free(struct ntlm_cred *cred)
{
    if (cred == NULL)
        return;
    ntlm_name_free(cred->user);
    ntlm_name_free(cred->acceptor_name);
    ntlm_userdb_release(cred->userdb);
    ntlm_env_release(cred->env);
    ntlm_wipe(cred, sizeof(*cred));
    free(cred);
}

static const char *
store_value(gss_const_key_value_set_t store, const char *key)
{
    OM_uint32 i;

    if (store == GSS_C_NO_CRED_STORE)
        return NULL;
    for (i = 0; i < store->count; i++) {
        if (store->elements[i].key != NULL && strcmp(store->elements[i].key, key) == 0)
            return store->elements[i].value;
    }
    return NULL;
}

/* Whether NTLM_USER_FILE, rather than the configuration file, set cfg->user_file. */
static bool
user_file_from_env(void)
{
    const char *env = secure_getenv("NTLM_USER_FILE");

    return env != NULL && *env != '\0';
}

/* The user database in force: cred store, then NTLM_USER_FILE, then the configuration. */
static uint32_t
user_file_path(const struct ntlm_config *cfg, gss_const_key_value_set_t store, const char **out)
{
    const char *path = store_value(store, CS_KEYFILE);

    *out = NULL;
    if (path != NULL)
        ntlm_debug("acquire_cred: user file %s (from the cred store's " CS_KEYFILE ")", path);
    else if (cfg->user_file != NULL && ntlm_debug_enabled())
        ntlm_debug("acquire_cred: user file %s (from %s)", cfg->user_file,
                   user_file_from_env() ? "NTLM_USER_FILE" : "the configuration's user_file");
    if (path == NULL)
        path = cfg->user_file;
    if (path == NULL || *path == '\0') {
        ntlm_debug("acquire_cred: no user file: none in the cred store, NTLM_USER_FILE or "
                   "user_file");
        return NTLM_ERR_USERDB_NONE;
    }
    *out = path;
    return 0;
}

/* Opens path under cfg's permission policy; the database must be readable now, so errors
 * show up at acquisition. */
static uint32_t
open_user_file(const struct ntlm_config *cfg, const char *path, struct ntlm_userdb **db)
{
    return ntlm_userdb_open(path, cfg->user_file_permissions == NTLM_PERMISSIONS_STRICT, db);
}

/* The default initiator: NTLMUSER ("DOMAIN\user" or "user"), else the login name. */
static uint32_t
default_user(gss_const_key_value_set_t store, struct ntlm_name **out)
{
    const char *env = secure_getenv("NTLMUSER");
    const char *domain = store_value(store, CS_DOMAIN);
    struct passwd pw, *result = NULL;
    char buf[1024];

    if (env != NULL && *env != '\0') {
        const char *sep = strchr(env, '\\');
        char *dom;
        uint32_t ret;

        ntlm_debug("acquire_cred: initiator name from NTLMUSER: %s", env);
        if (sep == NULL)
            return ntlm_name_new(NTLM_NAME_USER, env, domain, out);
        dom = strndup(env, (size_t)(sep - env));
        if (dom == NULL)
            return NTLM_ERR_NOMEM;
        ret = ntlm_name_new(NTLM_NAME_USER, sep + 1, dom, out);
        free(dom);
        return ret;
    }
    if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &result) != 0 || result == NULL) {
        ntlm_debug("acquire_cred: no NTLMUSER and no login name for uid %ld", (long)geteuid());
        return NTLM_ERR_NO_USER_CREDS;
    }
    ntlm_debug("acquire_cred: initiator name from the login name: %s", pw.pw_name);
    return ntlm_name_new(NTLM_NAME_USER, pw.pw_name, domain, out);
}

/* Fills the initiator part from the store or the user database. */
static uint32_t
init_part(struct ntlm_cred *cred, const struct ntlm_config *cfg, const struct ntlm_name *desired,
          gss_const_key_value_set_t store)
{
    const char *password = store_value(store, CS_PASSWORD);
    const char *nthash = store_value(store, CS_NTHASH);
    struct ntlm_userdb *db = NULL;
    struct ntlm_user_entry entry = {0};
    const char *path = NULL;
    uint32_t ret;

    if (desired != NULL) {
        if (desired->kind != NTLM_NAME_USER)
            return NTLM_ERR_BAD_NAME;
        ret = ntlm_name_copy(desired, &cred->user);
    } else {
        ret = default_user(store, &cred->user);
    }
    if (ret)
        goto done;
    if (password != NULL) {
        ntlm_debug("acquire_cred: password from the cred store's " CS_PASSWORD);
        ret = ntlm_nt_hash(password, cred->nt_hash);
    } else if (nthash != NULL) {
        ntlm_debug("acquire_cred: NT hash from the cred store's " CS_NTHASH);
        ret =
            ntlm_nt_hash_from_hex(nthash, strlen(nthash), cred->nt_hash) ? 0 : NTLM_ERR_INVALID_ARG;
    } else {
        ret = user_file_path(cfg, store, &path);
        if (ret == NTLM_ERR_USERDB_NONE)
            ret = NTLM_ERR_NO_USER_CREDS;
        if (ret == 0)
            ret = open_user_file(cfg, path, &db);
        if (ret == 0) {
            const char *domain = cred->user->domain != NULL ? cred->user->domain : "";

            ret = ntlm_userdb_lookup(db, cred->user->user, domain, &entry);
            ntlm_debug("acquire_cred: \"%s\" in domain \"%s\" in the user file: %s",
                       cred->user->user, domain, ret == 0 ? "found" : ntlm_error_message(ret));
            if (ret == NTLM_ERR_UNKNOWN_USER)
                ret = NTLM_ERR_NO_USER_CREDS;
        }
        if (ret == 0) {
            memcpy(cred->nt_hash, entry.nt_hash, 16);
            /* A user listed under a domain authenticates in that domain. */
            if (cred->user->domain == NULL && entry.domain[0] != '\0') {
                cred->user->domain = strdup(entry.domain);
                if (cred->user->domain == NULL)
                    ret = NTLM_ERR_NOMEM;
            }
        }
    }
    if (ret == 0)
        cred->have_nt_hash = true;
done:
    ntlm_user_entry_clear(&entry);
    if (db != NULL)
        ntlm_userdb_release(db);
    return ret;
}

/*
 * Fills the acceptor part. The cred store's user file is the credential's own; the
 * configuration's is looked up at each logon in the settings then in force, so an edit of the
 * configuration moves it. Either must be readable now, so errors show up early.
 */
static uint32_t
accept_part(struct ntlm_cred *cred, const struct ntlm_settings *settings,
            const struct ntlm_name *desired, gss_const_key_value_set_t store)
{
    const struct ntlm_config *cfg = &settings->cfg;
    struct ntlm_name *name = NULL;
    struct ntlm_userdb *db = NULL;
    const char *path = NULL;
    uint32_t ret;

    /* Without a name the acceptor is "host@<this host>": callers such as mod_auth_gssapi's
     * Basic path ask the credential for its name and use it as a target. */
    if (desired != NULL)
        ret = ntlm_name_copy(desired, &name);
    else
        ret = ntlm_name_new(NTLM_NAME_SERVICE, "host", cfg->dns_name, &name);
    if (ret)
        goto done;
    /* Logons that go to the domain need no user file; one named is still checked now. */
    if (cfg->winbind == NTLM_WINBIND_ONLY) {
        ntlm_debug("acquire_cred: acceptor validates every logon through winbind");
        goto done;
    }
    ret = user_file_path(cfg, store, &path);
    if (ret == NTLM_ERR_USERDB_NONE && cfg->winbind == NTLM_WINBIND_FALLBACK) {
        ntlm_debug("acquire_cred: acceptor without a user file validates through winbind");
        ret = 0;
        goto done;
    }
    if (ret)
        goto done;
    ret = open_user_file(cfg, path, &db);
    ntlm_debug("acquire_cred: acceptor user file %s: %s", path,
               ret == 0 ? "readable" : ntlm_error_message(ret));
    if (ret == 0 && store_value(store, CS_KEYFILE) != NULL) {
        cred->userdb = db;
        db = NULL;
    }
done:
    /* A failed part leaves the credential as it was: an initiator whose BOTH acquisition
     * found no usable acceptor part carries no acceptor name either. */
    ntlm_userdb_release(db);
    if (ret == 0)
        cred->acceptor_name = name;
    else
        ntlm_name_free(name);
    return ret;
}

/*
 * The env of the configuration the cred store names (CS_CONFIG), else the default one, and
 * the acquisition's step under its settings. A file that is unusable now fails the
 * acquisition with its file and line.
 */
static uint32_t
cred_env(struct ntlm_cred *cred, gss_const_key_value_set_t store, struct ntlm_step *step)
{
    const char *path = store_value(store, CS_CONFIG);
    uint32_t ret;

    /* A relative path would name a file by whatever directory the server runs in. */
    if (path != NULL && path[0] != '/') {
        ntlm_debug("acquire_cred: " CS_CONFIG " %s is not an absolute path", path);
        ntlm_gss_config_detail(path, "not an absolute path (cred store key " CS_CONFIG ")");
        return NTLM_ERR_CONFIG;
    }
    ret = path != NULL ? ntlm_env_get(path, &cred->env) : ntlm_gss_default_env(&cred->env);
    if (ret == 0)
        ret = ntlm_step_begin(step, cred->env);
    return ret;
}

static OM_uint32
acquire_done(OM_uint32 *minor, struct ntlm_cred *cred, gss_cred_id_t *output,
             gss_OID_set *actual_mechs, OM_uint32 *time_rec)
{
    OM_uint32 major;

    if (actual_mechs != NULL) {
        major = ntlm_gss_indicate_mechs(minor, actual_mechs);
        if (major != GSS_S_COMPLETE) {
            ntlm_cred_free(cred);
            return major;
        }
    }
    if (time_rec != NULL)
        *time_rec = GSS_C_INDEFINITE;
    *output = (gss_cred_id_t)cred;
    *minor = 0;
    return GSS_S_COMPLETE;
}

static OM_uint32
acquire_failed_major(OM_uint32 *minor, uint32_t ret)
{
    switch (ret) {
    case NTLM_ERR_NOMEM:
    case NTLM_ERR_CRYPTO:
        return ntlm_gss_error(minor, GSS_S_FAILURE, ret);
    case NTLM_ERR_BAD_NAME:
        return ntlm_gss_error(minor, GSS_S_BAD_NAME, ret);
    default:
        return ntlm_gss_error(minor, GSS_S_NO_CRED, ret);
    }
}

/* Ends the acquisition that cred_env began: the credential on success, else its failure. */
static OM_uint32
acquire_end(OM_uint32 *minor, struct ntlm_step *step, struct ntlm_cred *cred, uint32_t ret,
            gss_cred_id_t *output, gss_OID_set *actual_mechs, OM_uint32 *time_rec)
{
    if (ret)
        ntlm_debug("acquire_cred: failed: %s", ntlm_error_message(ret));
    ntlm_step_end(step);
    if (ret) {
        ntlm_cred_free(cred);
        return acquire_failed_major(minor, ret);
    }
    return acquire_done(minor, cred, output, actual_mechs, time_rec);
}

/* Traces and frees a credential that could not be had; the major status for ret. */
static OM_uint32
acquire_failed(OM_uint32 *minor, struct ntlm_cred *cred, uint32_t ret)
{
    ntlm_debug("acquire_cred: failed: %s", ntlm_error_message(ret));
    ntlm_cred_free(cred);
    return acquire_failed_major(minor, ret);
}

OM_uint32
ntlm_gss_acquire_cred_from(OM_uint32 *minor, gss_name_t desired_name, OM_uint32 time_req,
                           gss_OID_set desired_mechs, gss_cred_usage_t usage,
                           gss_const_key_value_set_t cred_store, gss_cred_id_t *output,
                           gss_OID_set *actual_mechs, OM_uint32 *time_rec)
{
    const struct ntlm_name *desired = (const struct ntlm_name *)desired_name;
    struct ntlm_step step;
    struct ntlm_cred *cred;
    uint32_t ret = 0;

    if (output == NULL)
        return ntlm_gss_error(minor, GSS_S_CALL_INACCESSIBLE_WRITE, NTLM_ERR_INVALID_ARG);
    if (usage != GSS_C_INITIATE && usage != GSS_C_ACCEPT && usage != GSS_C_BOTH)
        return ntlm_gss_error(minor, GSS_S_FAILURE, NTLM_ERR_WRONG_CRED_USAGE);
    cred = calloc(1, sizeof(*cred));
    if (cred == NULL)
        return ntlm_gss_error(minor, GSS_S_FAILURE, NTLM_ERR_NOMEM);
    cred->usage = usage;
    ret = cred_env(cred, cred_store, &step);
    if (ret) {
        ntlm_debug("acquire_cred: configuration unusable: %s", ntlm_error_message(ret));
        return acquire_failed(minor, cred, ret);
    }
    ntlm_debug("acquire_cred: usage %s, %s name, %s cred store, configuration %s",
               usage == GSS_C_INITIATE ? "initiate"
               : usage == GSS_C_ACCEPT ? "accept"
                                       : "both",
               desired != NULL ? "a desired" : "the default",
               cred_store != GSS_C_NO_CRED_STORE ? "a" : "no", ntlm_env_path(cred->env));
    if (usage == GSS_C_INITIATE || usage == GSS_C_BOTH)
        ret = init_part(cred, &step.settings->cfg, desired, cred_store);
    /* A BOTH credential without user secrets still serves as an acceptor. */
    if (ret && usage == GSS_C_BOTH && ret != NTLM_ERR_NOMEM) {
        ntlm_debug("acquire_cred: no initiator secrets (%s), acceptor part only",
                   ntlm_error_message(ret));
        ntlm_name_free(cred->user);
        cred->user = NULL;
        cred->usage = GSS_C_ACCEPT;
        ret = 0;
    }
    if (ret == 0 && (usage == GSS_C_ACCEPT || usage == GSS_C_BOTH))
        ret = accept_part(cred, step.settings, cred->usage == GSS_C_BOTH ? NULL : desired,
                          cred_store);
    return acquire_end(minor, &step, cred, ret, output, actual_mechs, time_rec);
}

OM_uint32
ntlm_gss_acquire_cred_with_password(OM_uint32 *minor, const gss_name_t desired_name,
                                    const gss_buffer_t password, OM_uint32 time_req,
                                    const gss_OID_set desired_mechs, gss_cred_usage_t usage,
                                    gss_cred_id_t *output, gss_OID_set *actual_mechs,
                                    OM_uint32 *time_rec)
{
    const struct ntlm_name *desired = (const struct ntlm_name *)desired_name;
    struct ntlm_step step;
    struct ntlm_cred *cred;
    char *text = NULL;
    uint32_t ret;

    if (output == NULL)
        return ntlm_gss_error(minor, GSS_S_CALL_INACCESSIBLE_WRITE, NTLM_ERR_INVALID_ARG);
    if (desired == NULL || desired->kind != NTLM_NAME_USER)
        return ntlm_gss_error(minor, GSS_S_BAD_NAME, NTLM_ERR_BAD_NAME);
    if (password == GSS_C_NO_BUFFER || usage == GSS_C_ACCEPT ||
        memchr(password->value, 0, password->length) != NULL)
        return ntlm_gss_error(minor, GSS_S_FAILURE, NTLM_ERR_INVALID_ARG);
    cred = calloc(1, sizeof(*cred));
    if (cred == NULL)
        return ntlm_gss_error(minor, GSS_S_FAILURE, NTLM_ERR_NOMEM);
    cred->usage = GSS_C_INITIATE;
    ret = cred_env(cred, GSS_C_NO_CRED_STORE, &step);
    if (ret)
        return acquire_failed(minor, cred, ret);
    ntlm_debug("acquire_cred_with_password: \"%s\" in domain \"%s\", usage %s", desired->user,
               desired->domain != NULL ? desired->domain : "",
               usage == GSS_C_BOTH ? "both" : "initiate");
    ret = ntlm_name_copy(desired, &cred->user);
    if (ret == 0) {
        text = strndup(password->value, password->length);
        ret = text == NULL ? NTLM_ERR_NOMEM : ntlm_nt_hash(text, cred->nt_hash);
    }
    if (text != NULL) {
        ntlm_wipe(text, password->length);
        free(text);
    }
    cred->have_nt_hash = ret == 0;
    /* BOTH adds the default acceptor part when one can be had (HTTP Basic inside httpd). */
    if (ret == 0 && usage == GSS_C_BOTH &&
        accept_part(cred, step.settings, NULL, GSS_C_NO_CRED_STORE) == 0)
        cred->usage = GSS_C_BOTH;
    return acquire_end(minor, &step, cred, ret, output, actual_mechs, time_rec);
}

OM_uint32
ntlm_gss_release_cred(OM_uint32 *minor, gss_cred_id_t *cred)
{
    *minor = 0;
    if (cred == NULL)
        return GSS_S_COMPLETE;
    ntlm_cred_free((struct ntlm_cred *)*cred);
    *cred = GSS_C_NO_CREDENTIAL;
    return GSS_S_COMPLETE;
}

OM_uint32
ntlm_gss_inquire_cred_by_mech(OM_uint32 *minor, gss_cred_id_t cred_handle, gss_OID mech,
                              gss_name_t *name, OM_uint32 *init_lifetime,
                              OM_uint32 *accept_lifetime, gss_cred_usage_t *usage)
{
    const struct ntlm_cred *cred = (const struct ntlm_cred *)cred_handle;
    const struct ntlm_name *who;
    struct ntlm_name *copy = NULL;
    uint32_t ret;

    if (cred == NULL)
        return ntlm_gss_error(minor, GSS_S_NO_CRED, NTLM_ERR_INVALID_ARG);
    who = cred->user != NULL ? cred->user : cred->acceptor_name;
    if (name != NULL) {
        *name = GSS_C_NO_NAME;
        if (who != NULL) {
            ret = ntlm_name_copy(who, &copy);
            if (ret)
                return ntlm_gss_error(minor, GSS_S_FAILURE, ret);
            *name = (gss_name_t)copy;
        }
    }
    if (init_lifetime != NULL)
        *init_lifetime = cred->usage != GSS_C_ACCEPT ? GSS_C_INDEFINITE : 0;
    if (accept_lifetime != NULL)
        *accept_lifetime = cred->usage != GSS_C_INITIATE ? GSS_C_INDEFINITE : 0;
    if (usage != NULL)
        *usage = cred->usage;
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32
ntlm_gss_inquire_cred(OM_uint32 *minor, gss_cred_id_t cred, gss_name_t *name, OM_uint32 *lifetime,
                      gss_cred_usage_t *usage, gss_OID_set *mechs)
{
    OM_uint32 major, tmp, init_life = 0, accept_life = 0;

    major = ntlm_gss_inquire_cred_by_mech(minor, cred, NTLM_MECH_OID, name, &init_life,
                                          &accept_life, usage);
    if (major != GSS_S_COMPLETE)
        return major;
    if (lifetime != NULL)
        *lifetime = init_life > accept_life ? init_life : accept_life;
    if (mechs == NULL)
        return major;
    major = ntlm_gss_indicate_mechs(minor, mechs);
    if (major != GSS_S_COMPLETE && name != NULL)
        ntlm_gss_release_name(&tmp, name);
    return major;
}
