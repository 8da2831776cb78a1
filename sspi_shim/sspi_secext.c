/*
 * secext.h: GetUserNameEx and GetComputerObjectName, the account and computer names Windows
 * programs ask for in an EXTENDED_NAME_FORMAT, found here through NSS and the GSS-API.
 */
#include <ctype.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gssapi/gssapi_krb5.h>

#include "secext.h"
#include "sspi_strings.h"

/* A NetBIOS computer name is at most 15 characters (Windows' MAX_COMPUTERNAME_LENGTH). */
#define NETBIOS_NAME_MAX 15

/* The calling thread's passwd entry (its effective uid: an impersonating thread's client). */
static bool
own_account(struct passwd *pw, char **storage)
{
    long size = sysconf(_SC_GETPW_R_SIZE_MAX);
    struct passwd *found = NULL;

    *storage = malloc(size > 0 ? (size_t)size : 16384);
    if (*storage == NULL)
        return false;
    if (getpwuid_r(geteuid(), pw, *storage, size > 0 ? (size_t)size : 16384, &found) != 0 ||
        found == NULL) {
        free(*storage);
        *storage = NULL;
        return false;
    }
    return true;
}

/* The first label of s, upper-cased and cut to a NetBIOS name, appended to out at *len. */
static void
append_netbios(char *out, size_t *len, const char *s)
{
    size_t i;

    for (i = 0; s[i] != '\0' && s[i] != '.' && i < NETBIOS_NAME_MAX; i++)
        out[(*len)++] = (char)toupper((unsigned char)s[i]);
}

/*
 * NameSamCompatible: "DOMAIN\user". A winbind account is named so already; an SSSD one
 * ("user@ad.example.com") has its domain's first label as NetBIOS name; a local account is
 * qualified by the computer's name, as Windows qualifies its local accounts.
 */
static char *
sam_compatible(const char *account)
{
    char host[256] = "", *out;
    const char *at = strchr(account, '@');
    size_t len = 0;

    if (strchr(account, '\\') != NULL)
        return strdup(account);
    if (at == NULL && gethostname(host, sizeof(host) - 1) != 0)
        return NULL;
    out = malloc(NETBIOS_NAME_MAX + 1 + strlen(account) + 1);
    if (out == NULL)
        return NULL;
    append_netbios(out, &len, at != NULL ? at + 1 : host);
    out[len++] = '\\';
    memcpy(out + len, account, at != NULL ? (size_t)(at - account) : strlen(account));
    len += at != NULL ? (size_t)(at - account) : strlen(account);
    out[len] = '\0';
    return out;
}

/* NameDisplay: the full name, the first GECOS field. */
static char *
display_name(const struct passwd *pw)
{
    size_t n = pw->pw_gecos != NULL ? strcspn(pw->pw_gecos, ",") : 0;

    return n > 0 ? strndup(pw->pw_gecos, n) : NULL;
}

/* NameUserPrincipal: the principal of the caller's Kerberos credentials, if it has any. */
static char *
user_principal(void)
{
    gss_OID_set_desc krb5 = {1, (gss_OID)gss_mech_krb5};
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_name_t name = GSS_C_NO_NAME;
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;
    char *out = NULL;

    if (gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &krb5, GSS_C_INITIATE, &cred,
                         NULL, NULL) == GSS_S_COMPLETE &&
        gss_inquire_cred(&minor, cred, &name, NULL, NULL, NULL) == GSS_S_COMPLETE &&
        gss_display_name(&minor, name, &text, NULL) == GSS_S_COMPLETE && text.length > 0)
        out = strndup(text.value, text.length);
    gss_release_buffer(&minor, &text);
    gss_release_name(&minor, &name);
    gss_release_cred(&minor, &cred);
    return out;
}

static bool
format_known(EXTENDED_NAME_FORMAT format)
{
    switch (format) {
    case NameFullyQualifiedDN:
    case NameSamCompatible:
    case NameDisplay:
    case NameUniqueId:
    case NameCanonical:
    case NameUserPrincipal:
    case NameCanonicalEx:
    case NameServicePrincipal:
    case NameDnsDomain:
    case NameGivenName:
    case NameSurname:
        return true;
    default:
        return false;
    }
}

/*
 * The caller's name in format, as UTF-8, or NULL with *error. The forms that only a directory
 * knows (DNs, GUIDs, canonical names) are ERROR_NONE_MAPPED, as for a Windows local account.
 */
static char *
user_name(EXTENDED_NAME_FORMAT format, DWORD *error)
{
    struct passwd pw;
    char *storage = NULL, *name = NULL;

    *error = ERROR_NONE_MAPPED;
    if (format == NameUserPrincipal) {
        name = user_principal();
    } else if (format == NameSamCompatible || format == NameDisplay) {
        if (!own_account(&pw, &storage))
            return NULL;
        name = format == NameSamCompatible ? sam_compatible(pw.pw_name) : display_name(&pw);
        free(storage);
    }
    return name;
}

/*
 * Hands name out the Win32 way: *size counts characters; too small is ERROR_MORE_DATA with the
 * size needed, terminator included; success leaves the length written, terminator excluded.
 */
static BOOLEAN
give_narrow(const char *name, LPSTR buf, PULONG size)
{
    size_t need = strlen(name) + 1;

    if (buf == NULL || *size < need) {
        *size = (ULONG)need;
        SetLastError(ERROR_MORE_DATA);
        return 0;
    }
    memcpy(buf, name, need);
    *size = (ULONG)(need - 1);
    return 1;
}

static BOOLEAN
give_wide(const char *name, LPWSTR buf, PULONG size)
{
    size_t units = 0;
    SEC_WCHAR *wide = sspi_wide_from_utf8(name, &units);
    BOOLEAN done = 0;

    if (wide == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    if (buf == NULL || *size < units + 1) {
        *size = (ULONG)(units + 1);
        SetLastError(ERROR_MORE_DATA);
    } else {
        memcpy(buf, wide, (units + 1) * sizeof(*wide));
        *size = (ULONG)units;
        done = 1;
    }
    free(wide);
    return done;
}

/* The name in format for the A (wide false) or W entry point; the buffer is LPSTR or LPWSTR. */
static BOOLEAN
get_user_name(EXTENDED_NAME_FORMAT format, void *buf, PULONG size, bool wide)
{
    DWORD error;
    char *name;
    BOOLEAN done;

    if (size == NULL || !format_known(format)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    name = user_name(format, &error);
    if (name == NULL) {
        SetLastError(error);
        return 0;
    }
    done = wide ? give_wide(name, buf, size) : give_narrow(name, buf, size);
    free(name);
    return done;
}

BOOLEAN SEC_ENTRY
GetUserNameExA(EXTENDED_NAME_FORMAT NameFormat, LPSTR lpNameBuffer, PULONG nSize)
{
    return get_user_name(NameFormat, lpNameBuffer, nSize, false);
}

BOOLEAN SEC_ENTRY
GetUserNameExW(EXTENDED_NAME_FORMAT NameFormat, LPWSTR lpNameBuffer, PULONG nSize)
{
    return get_user_name(NameFormat, lpNameBuffer, nSize, true);
}

/*
 * A computer's object names live in its domain's directory, which libsspi cannot reach through
 * the GSS-API: every format fails as on a Windows computer outside a domain (Wine's secur32
 * answers ERROR_CANT_ACCESS_DOMAIN_INFO there too).
 */
static BOOLEAN
get_computer_object_name(EXTENDED_NAME_FORMAT format, PULONG size)
{
    SetLastError(size == NULL || !format_known(format) ? ERROR_INVALID_PARAMETER
                                                       : ERROR_CANT_ACCESS_DOMAIN_INFO);
    return 0;
}

BOOLEAN SEC_ENTRY
GetComputerObjectNameA(EXTENDED_NAME_FORMAT NameFormat, LPSTR lpNameBuffer, PULONG nSize)
{
    (void)lpNameBuffer;
    return get_computer_object_name(NameFormat, nSize);
}

BOOLEAN SEC_ENTRY
GetComputerObjectNameW(EXTENDED_NAME_FORMAT NameFormat, LPWSTR lpNameBuffer, PULONG nSize)
{
    (void)lpNameBuffer;
    return get_computer_object_name(NameFormat, nSize);
}
