/*
 * AcquireCredentialsHandle, FreeCredentialsHandle, QueryCredentialsAttributes. An explicit
 * identity becomes a GSS credential at once (acquire with password); without one the
 * mechanism's default credential is found when a context first needs it, so acquiring never
 * fails for lack of a user database or a ticket, as on Windows.
 */
#include "sspi_credentials.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi_ext.h>

#include "sspi_handles.h"
#include "sspi_objects.h"
#include "sspi_strings.h"
#include "sspi_translate.h"

void
sspi_identity_clear(struct sspi_identity *id)
{
    free(id->user);
    free(id->domain);
    sspi_free_secret(id->password);
    memset(id, 0, sizeof(*id));
}

/* One string of an identity: 8-bit (UTF-8) or 16-bit units as Flags say. */
static SECURITY_STATUS
identity_string(const void *s, ULONG len, bool unicode, char **out)
{
    *out = NULL;
    if (s == NULL || len == 0)
        return SEC_E_OK;
    *out = unicode ? sspi_utf8_from_wide(s, len) : sspi_utf8_from_ansi(s, len);
    return *out != NULL ? SEC_E_OK : SEC_E_UNKNOWN_CREDENTIALS;
}

SECURITY_STATUS
sspi_identity_read(const void *auth_data, struct sspi_identity *id)
{
    const void *user, *domain, *password;
    ULONG user_len, domain_len, password_len, flags;
    SECURITY_STATUS status;
    bool unicode;

    memset(id, 0, sizeof(*id));
    if (auth_data == NULL)
        return SEC_E_OK;
    /*
     * The packed EX2 form (Windows' SspiEncodeStringsAsAuthIdentity output) holds offsets and a
     * marshalled password, which this shim does not read; taken for a plain identity, its
     * header would be followed as a string pointer.
     */
    if (*(const ULONG *)auth_data == SEC_WINNT_AUTH_IDENTITY_VERSION_2)
        return SEC_E_UNKNOWN_CREDENTIALS;
    /* The EX forms start with a version; the plain ones with a pointer, never 0x200. */
    if (*(const ULONG *)auth_data == SEC_WINNT_AUTH_IDENTITY_VERSION) {
        const SEC_WINNT_AUTH_IDENTITY_EXA *ex = auth_data;

        user = ex->User, user_len = ex->UserLength;
        domain = ex->Domain, domain_len = ex->DomainLength;
        password = ex->Password, password_len = ex->PasswordLength;
        flags = ex->Flags;
    } else {
        const SEC_WINNT_AUTH_IDENTITY_A *plain = auth_data;

        user = plain->User, user_len = plain->UserLength;
        domain = plain->Domain, domain_len = plain->DomainLength;
        password = plain->Password, password_len = plain->PasswordLength;
        flags = plain->Flags;
    }
    if ((flags & (SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE)) == 0 ||
        (flags & SEC_WINNT_AUTH_IDENTITY_ANSI && flags & SEC_WINNT_AUTH_IDENTITY_UNICODE))
        return SEC_E_INVALID_PARAMETER;
    unicode = flags & SEC_WINNT_AUTH_IDENTITY_UNICODE;
    status = identity_string(user, user_len, unicode, &id->user);
    if (status == SEC_E_OK)
        status = identity_string(domain, domain_len, unicode, &id->domain);
    if (status == SEC_E_OK)
        status = identity_string(password, password_len, unicode, &id->password);
    if (status != SEC_E_OK)
        sspi_identity_clear(id);
    return status;
}

/* "DOMAIN\user" for NTLM; "user@REALM" for Kerberos (a Windows domain is its realm). */
static char *
identity_name(const struct sspi_identity *id, bool kerberos)
{
    size_t ul = strlen(id->user), dl = id->domain != NULL ? strlen(id->domain) : 0, i;
    char *name;

    if (dl == 0 || (kerberos && strchr(id->user, '@') != NULL))
        return strdup(id->user);
    name = malloc(ul + dl + 2);
    if (name == NULL)
        return NULL;
    if (kerberos) {
        memcpy(name, id->user, ul);
        name[ul] = '@';
        for (i = 0; i < dl; i++)
            name[ul + 1 + i] = (char)toupper((unsigned char)id->domain[i]);
        name[ul + 1 + dl] = '\0';
    } else {
        memcpy(name, id->domain, dl);
        name[dl] = '\\';
        memcpy(name + dl + 1, id->user, ul + 1);
    }
    return name;
}

static OM_uint32
password_cred(const struct sspi_identity *id, gss_OID mech, bool kerberos_name,
              gss_cred_usage_t usage, gss_cred_id_t *out, OM_uint32 *minor)
{
    char *text = identity_name(id, kerberos_name);
    gss_buffer_desc name_buf, pw = {strlen(id->password), id->password};
    gss_OID_set_desc mechs = {1, mech};
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 major, tmp;

    if (text == NULL) {
        *minor = 0;
        return GSS_S_FAILURE;
    }
    name_buf = (gss_buffer_desc){strlen(text), text};
    major = gss_import_name(minor, &name_buf, GSS_C_NT_USER_NAME, &name);
    if (major == GSS_S_COMPLETE)
        major = gss_acquire_cred_with_password(minor, name, &pw, GSS_C_INDEFINITE, &mechs, usage,
                                               out, NULL, NULL);
    gss_release_name(&tmp, &name);
    free(text);
    return major;
}

/*
 * Negotiate with an explicit identity: Kerberos is tried once, here, by getting a ticket for
 * the identity; only if that works does SPNEGO keep krb5 (and the name takes the user@REALM
 * form both mechanisms read). Otherwise the credential is NTLM only, so later contexts never
 * go back to a KDC that already failed.
 */
static OM_uint32
negotiate_cred(const struct sspi_identity *id, gss_cred_usage_t usage, gss_cred_id_t *out,
               OM_uint32 *minor)
{
    gss_OID_desc allowed[2];
    gss_OID_set_desc neg = {0, allowed};
    gss_cred_id_t krb5 = GSS_C_NO_CREDENTIAL;
    OM_uint32 major, tmp, lifetime = 0;

    if (password_cred(id, sspi_mech_krb5, true, GSS_C_INITIATE, &krb5, &tmp) == GSS_S_COMPLETE &&
        gss_inquire_cred(&tmp, krb5, NULL, &lifetime, NULL, NULL) == GSS_S_COMPLETE && lifetime > 0)
        allowed[neg.count++] = *sspi_mech_krb5;
    gss_release_cred(&tmp, &krb5);
    allowed[neg.count++] = *sspi_mech_ntlm;
    major = password_cred(id, sspi_mech_spnego, neg.count == 2, usage, out, minor);
    if (major == GSS_S_COMPLETE) {
        major = gss_set_neg_mechs(minor, *out, &neg);
        if (major != GSS_S_COMPLETE)
            gss_release_cred(&tmp, out);
    }
    return major;
}

static SECURITY_STATUS
acquire(const char *principal, const char *package, ULONG use, const void *auth_data,
        PCredHandle phCredential, PTimeStamp ptsExpiry)
{
    const struct sspi_package *pkg = sspi_package_find(package);
    struct sspi_identity id = {0};
    struct sspi_cred *cred = NULL;
    SECURITY_STATUS status;
    OM_uint32 major = GSS_S_COMPLETE, minor = 0, lifetime = GSS_C_INDEFINITE, tmp;
    gss_cred_usage_t usage;

    if (phCredential == NULL)
        return SEC_E_INVALID_PARAMETER;
    if (pkg == NULL)
        return SEC_E_SECPKG_NOT_FOUND;
    use &= SECPKG_CRED_BOTH;
    if (use == 0)
        return SEC_E_INVALID_PARAMETER;
    usage = use == SECPKG_CRED_BOTH      ? GSS_C_BOTH
            : use == SECPKG_CRED_INBOUND ? GSS_C_ACCEPT
                                         : GSS_C_INITIATE;
    status = sspi_identity_read(auth_data, &id);
    if (status != SEC_E_OK)
        return status;
    cred = sspi_cred_new(pkg, use);
    if (cred == NULL) {
        status = SEC_E_INSUFFICIENT_MEMORY;
        goto done;
    }
    if (id.user != NULL && id.password != NULL && (use & SECPKG_CRED_OUTBOUND)) {
        cred->user = identity_name(&id, false);
        if (pkg->id == SSPI_PKG_NEGOTIATE)
            major = negotiate_cred(&id, usage, &cred->gss, &minor);
        else
            major = password_cred(&id, pkg->mech, pkg->id == SSPI_PKG_KERBEROS, usage, &cred->gss,
                                  &minor);
        if (major == GSS_S_COMPLETE)
            gss_inquire_cred(&tmp, cred->gss, NULL, &lifetime, NULL, NULL);
    } else if (principal != NULL && (use & SECPKG_CRED_INBOUND)) {
        cred->user = strdup(principal);
    }
    if (major != GSS_S_COMPLETE) {
        status = sspi_status_from_gss(major, minor, SSPI_CALL_ACQUIRE);
        goto done;
    }
    /* The handle takes a reference of its own; done: drops this call's. */
    status = sspi_handle_new(SSPI_HANDLE_CREDENTIAL, &cred->ref, phCredential);
    if (status != SEC_E_OK)
        goto done;
    if (ptsExpiry != NULL)
        sspi_timestamp_in(lifetime, ptsExpiry);
done:
    sspi_identity_clear(&id);
    sspi_cred_unref(cred);
    return status;
}

SECURITY_STATUS SEC_ENTRY
AcquireCredentialsHandleA(LPSTR pszPrincipal, LPSTR pszPackage, ULONG fCredentialUse,
                          void *pvLogonId, void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                          void *pvGetKeyArgument, PCredHandle phCredential, PTimeStamp ptsExpiry)
{
    return acquire(pszPrincipal, pszPackage, fCredentialUse, pAuthData, phCredential, ptsExpiry);
}

SECURITY_STATUS SEC_ENTRY
AcquireCredentialsHandleW(LPWSTR pszPrincipal, LPWSTR pszPackage, ULONG fCredentialUse,
                          void *pvLogonId, void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                          void *pvGetKeyArgument, PCredHandle phCredential, PTimeStamp ptsExpiry)
{
    char *principal = NULL, *package = sspi_utf8_from_wide(pszPackage, (size_t)-1);
    SECURITY_STATUS status;

    if (package == NULL)
        return SEC_E_SECPKG_NOT_FOUND;
    if (pszPrincipal != NULL && (principal = sspi_utf8_from_wide(pszPrincipal, (size_t)-1)) == NULL)
        status = SEC_E_UNKNOWN_CREDENTIALS;
    else
        status = acquire(principal, package, fCredentialUse, pAuthData, phCredential, ptsExpiry);
    free(principal);
    free(package);
    return status;
}

/*
 * Contexts made with the credential keep it, as Windows allows (sspi_objects.h), and so does a
 * call using it on another thread until it returns.
 */
SECURITY_STATUS SEC_ENTRY
FreeCredentialsHandle(PCredHandle phCredential)
{
    return sspi_cred_handle_free(phCredential) ? SEC_E_OK : SEC_E_INVALID_HANDLE;
}

/* The user a credential stands for: the identity given, else the default credential's. */
static SECURITY_STATUS
credential_user(const struct sspi_cred *cred, char **out)
{
    gss_OID_set_desc mechs = {1, cred->pkg->mech};
    gss_cred_id_t def = GSS_C_NO_CREDENTIAL;
    gss_name_t name = GSS_C_NO_NAME;
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor, tmp;

    if (cred->user != NULL) {
        *out = strdup(cred->user);
        return *out != NULL ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
    }
    major = gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs,
                             cred->use & SECPKG_CRED_OUTBOUND ? GSS_C_INITIATE : GSS_C_ACCEPT, &def,
                             NULL, NULL);
    if (major == GSS_S_COMPLETE)
        major = gss_inquire_cred(&minor, def, &name, NULL, NULL, NULL);
    if (major == GSS_S_COMPLETE && name == GSS_C_NO_NAME)
        major = GSS_S_UNAVAILABLE;
    if (major == GSS_S_COMPLETE)
        major = gss_display_name(&minor, name, &text, NULL);
    if (major == GSS_S_COMPLETE)
        *out = strndup(text.value, text.length);
    gss_release_buffer(&tmp, &text);
    gss_release_name(&tmp, &name);
    gss_release_cred(&tmp, &def);
    if (major != GSS_S_COMPLETE)
        return sspi_status_from_gss(major, minor, SSPI_CALL_QUERY);
    return *out != NULL ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

static SECURITY_STATUS
query_names(const struct sspi_cred *cred, ULONG ulAttribute, void *pBuffer, bool wide)
{
    SECURITY_STATUS status;
    char *user = NULL;

    if (ulAttribute != SECPKG_CRED_ATTR_NAMES)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (pBuffer == NULL)
        return SEC_E_INVALID_PARAMETER;
    status = credential_user(cred, &user);
    if (status != SEC_E_OK)
        return status;
    if (wide) {
        SecPkgCredentials_NamesW *names = pBuffer;

        names->sUserName = sspi_wide_buffer_from_utf8(user);
        if (names->sUserName == NULL)
            status = SEC_E_INSUFFICIENT_MEMORY;
    } else {
        SecPkgCredentials_NamesA *names = pBuffer;

        names->sUserName = sspi_utf8_buffer_dup(user);
        if (names->sUserName == NULL)
            status = SEC_E_INSUFFICIENT_MEMORY;
    }
    free(user);
    return status;
}

/* The reference taken keeps the credential alive against a concurrent FreeCredentialsHandle. */
static SECURITY_STATUS
query(PCredHandle phCredential, ULONG ulAttribute, void *pBuffer, bool wide)
{
    struct sspi_cred *cred = sspi_cred_from_handle(phCredential);
    SECURITY_STATUS status;

    if (cred == NULL)
        return SEC_E_INVALID_HANDLE;
    status = query_names(cred, ulAttribute, pBuffer, wide);
    sspi_cred_unref(cred);
    return status;
}

SECURITY_STATUS SEC_ENTRY
QueryCredentialsAttributesA(PCredHandle phCredential, ULONG ulAttribute, void *pBuffer)
{
    return query(phCredential, ulAttribute, pBuffer, false);
}

SECURITY_STATUS SEC_ENTRY
QueryCredentialsAttributesW(PCredHandle phCredential, ULONG ulAttribute, void *pBuffer)
{
    return query(phCredential, ulAttribute, pBuffer, true);
}
