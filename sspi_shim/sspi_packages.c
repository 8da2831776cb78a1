/* Package table, EnumerateSecurityPackages and QuerySecurityPackageInfo. */
#include "sspi_packages.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sspi_buffers.h"
#include "sspi_strings.h"
#include "sspigss_ntlm.h"

/* wRPCID values; Windows declares them in rpcdce.h, which ported code does not need here. */
#define RPC_C_AUTHN_GSS_NEGOTIATE 9
#define RPC_C_AUTHN_WINNT 10
#define RPC_C_AUTHN_GSS_KERBEROS 16

static gss_OID_desc spnego_desc = {6, "\x2b\x06\x01\x05\x05\x02"};
static gss_OID_desc ntlm_desc = {SSPIGSS_NTLM_MECH_OID_LEN, SSPIGSS_NTLM_MECH_OID_DER};
static gss_OID_desc krb5_desc = {9, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"};
static gss_OID_desc ms_krb5_desc = {9, "\x2a\x86\x48\x82\xf7\x12\x01\x02\x02"};

gss_OID sspi_mech_spnego = &spnego_desc;
gss_OID sspi_mech_ntlm = &ntlm_desc;
gss_OID sspi_mech_krb5 = &krb5_desc;

/* Capabilities and token sizes as Windows reports them for the same packages. */
static const struct sspi_package packages[SSPI_PKG_COUNT] = {
    {SSPI_PKG_NEGOTIATE, "Negotiate", "Microsoft Package Negotiator",
     SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION |
         SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_EXTENDED_ERROR | SECPKG_FLAG_IMPERSONATION |
         SECPKG_FLAG_ACCEPT_WIN32_NAME | SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_GSS_COMPATIBLE |
         SECPKG_FLAG_LOGON,
     RPC_C_AUTHN_GSS_NEGOTIATE, 48256, &spnego_desc},
    {SSPI_PKG_NTLM, "NTLM", "NTLM Security Package",
     SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_TOKEN_ONLY | SECPKG_FLAG_CONNECTION |
         SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_IMPERSONATION | SECPKG_FLAG_ACCEPT_WIN32_NAME |
         SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_LOGON,
     RPC_C_AUTHN_WINNT, 2888, &ntlm_desc},
    {SSPI_PKG_KERBEROS, "Kerberos", "Microsoft Kerberos V1.0",
     SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_TOKEN_ONLY | SECPKG_FLAG_DATAGRAM |
         SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_EXTENDED_ERROR |
         SECPKG_FLAG_IMPERSONATION | SECPKG_FLAG_ACCEPT_WIN32_NAME | SECPKG_FLAG_NEGOTIABLE |
         SECPKG_FLAG_GSS_COMPATIBLE | SECPKG_FLAG_LOGON | SECPKG_FLAG_MUTUAL_AUTH |
         SECPKG_FLAG_DELEGATION | SECPKG_FLAG_READONLY_WITH_CHECKSUM,
     RPC_C_AUTHN_GSS_KERBEROS, 48000, &krb5_desc},
};

static int
oid_equal(gss_const_OID a, const gss_OID_desc *b)
{
    return a != GSS_C_NO_OID && a->length == b->length &&
           memcmp(a->elements, b->elements, b->length) == 0;
}

const struct sspi_package *
sspi_package_find(const char *name)
{
    size_t i;

    for (i = 0; name != NULL && i < SSPI_PKG_COUNT; i++) {
        if (strcasecmp(name, packages[i].name) == 0)
            return &packages[i];
    }
    return NULL;
}

const struct sspi_package *
sspi_package_for_mech(gss_const_OID mech)
{
    if (oid_equal(mech, &ntlm_desc))
        return &packages[SSPI_PKG_NTLM];
    if (oid_equal(mech, &krb5_desc) || oid_equal(mech, &ms_krb5_desc))
        return &packages[SSPI_PKG_KERBEROS];
    if (oid_equal(mech, &spnego_desc))
        return &packages[SSPI_PKG_NEGOTIATE];
    return NULL;
}

static void
fill_common(const struct sspi_package *pkg, ULONG *caps, USHORT *version, USHORT *rpcid,
            ULONG *max_token)
{
    *caps = pkg->capabilities;
    *version = 1;
    *rpcid = pkg->rpcid;
    *max_token = pkg->max_token;
}

SecPkgInfoA *
sspi_package_info_a(const struct sspi_package *pkg)
{
    size_t name_len = strlen(pkg->name) + 1, comment_len = strlen(pkg->comment) + 1;
    SecPkgInfoA *info = sspi_context_buffer_alloc(sizeof(*info) + name_len + comment_len);
    char *strings;

    if (info == NULL)
        return NULL;
    strings = (char *)(info + 1);
    fill_common(pkg, &info->fCapabilities, &info->wVersion, &info->wRPCID, &info->cbMaxToken);
    info->Name = memcpy(strings, pkg->name, name_len);
    info->Comment = memcpy(strings + name_len, pkg->comment, comment_len);
    return info;
}

SecPkgInfoW *
sspi_package_info_w(const struct sspi_package *pkg)
{
    size_t name_len, comment_len;
    SEC_WCHAR *name = sspi_wide_from_utf8(pkg->name, &name_len);
    SEC_WCHAR *comment = sspi_wide_from_utf8(pkg->comment, &comment_len);
    SecPkgInfoW *info = NULL;
    SEC_WCHAR *strings;

    if (name == NULL || comment == NULL)
        goto done;
    info = sspi_context_buffer_alloc(sizeof(*info) +
                                     (name_len + 1 + comment_len + 1) * sizeof(SEC_WCHAR));
    if (info == NULL)
        goto done;
    strings = (SEC_WCHAR *)(info + 1);
    fill_common(pkg, &info->fCapabilities, &info->wVersion, &info->wRPCID, &info->cbMaxToken);
    info->Name = memcpy(strings, name, (name_len + 1) * sizeof(SEC_WCHAR));
    info->Comment = memcpy(strings + name_len + 1, comment, (comment_len + 1) * sizeof(SEC_WCHAR));
done:
    free(name);
    free(comment);
    return info;
}

/* The whole package list in one block: the structs, then every name and comment. */
SECURITY_STATUS SEC_ENTRY
EnumerateSecurityPackagesA(ULONG *pcPackages, PSecPkgInfoA *ppPackageInfo)
{
    size_t size = SSPI_PKG_COUNT * sizeof(SecPkgInfoA), i;
    SecPkgInfoA *list;
    char *strings;

    if (pcPackages == NULL || ppPackageInfo == NULL)
        return SEC_E_INVALID_PARAMETER;
    for (i = 0; i < SSPI_PKG_COUNT; i++)
        size += strlen(packages[i].name) + 1 + strlen(packages[i].comment) + 1;
    list = sspi_context_buffer_alloc(size);
    if (list == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    strings = (char *)(list + SSPI_PKG_COUNT);
    for (i = 0; i < SSPI_PKG_COUNT; i++) {
        size_t n = strlen(packages[i].name) + 1, c = strlen(packages[i].comment) + 1;

        fill_common(&packages[i], &list[i].fCapabilities, &list[i].wVersion, &list[i].wRPCID,
                    &list[i].cbMaxToken);
        list[i].Name = memcpy(strings, packages[i].name, n);
        list[i].Comment = memcpy(strings + n, packages[i].comment, c);
        strings += n + c;
    }
    *pcPackages = SSPI_PKG_COUNT;
    *ppPackageInfo = list;
    return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY
EnumerateSecurityPackagesW(ULONG *pcPackages, PSecPkgInfoW *ppPackageInfo)
{
    SEC_WCHAR *text[SSPI_PKG_COUNT][2] = {{NULL}};
    size_t len[SSPI_PKG_COUNT][2], size = SSPI_PKG_COUNT * sizeof(SecPkgInfoW), i;
    SECURITY_STATUS status = SEC_E_INSUFFICIENT_MEMORY;
    SecPkgInfoW *list = NULL;
    SEC_WCHAR *strings;

    if (pcPackages == NULL || ppPackageInfo == NULL)
        return SEC_E_INVALID_PARAMETER;
    for (i = 0; i < SSPI_PKG_COUNT; i++) {
        text[i][0] = sspi_wide_from_utf8(packages[i].name, &len[i][0]);
        text[i][1] = sspi_wide_from_utf8(packages[i].comment, &len[i][1]);
        if (text[i][0] == NULL || text[i][1] == NULL)
            goto done;
        size += (len[i][0] + 1 + len[i][1] + 1) * sizeof(SEC_WCHAR);
    }
    list = sspi_context_buffer_alloc(size);
    if (list == NULL)
        goto done;
    strings = (SEC_WCHAR *)(list + SSPI_PKG_COUNT);
    for (i = 0; i < SSPI_PKG_COUNT; i++) {
        fill_common(&packages[i], &list[i].fCapabilities, &list[i].wVersion, &list[i].wRPCID,
                    &list[i].cbMaxToken);
        list[i].Name = memcpy(strings, text[i][0], (len[i][0] + 1) * sizeof(SEC_WCHAR));
        strings += len[i][0] + 1;
        list[i].Comment = memcpy(strings, text[i][1], (len[i][1] + 1) * sizeof(SEC_WCHAR));
        strings += len[i][1] + 1;
    }
    *pcPackages = SSPI_PKG_COUNT;
    *ppPackageInfo = list;
    status = SEC_E_OK;
done:
    for (i = 0; i < SSPI_PKG_COUNT; i++) {
        free(text[i][0]);
        free(text[i][1]);
    }
    return status;
}

SECURITY_STATUS SEC_ENTRY
QuerySecurityPackageInfoA(LPSTR pszPackageName, PSecPkgInfoA *ppPackageInfo)
{
    const struct sspi_package *pkg;

    if (ppPackageInfo == NULL)
        return SEC_E_INVALID_PARAMETER;
    pkg = sspi_package_find(pszPackageName);
    if (pkg == NULL)
        return SEC_E_SECPKG_NOT_FOUND;
    *ppPackageInfo = sspi_package_info_a(pkg);
    return *ppPackageInfo != NULL ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

SECURITY_STATUS SEC_ENTRY
QuerySecurityPackageInfoW(LPWSTR pszPackageName, PSecPkgInfoW *ppPackageInfo)
{
    const struct sspi_package *pkg;
    char *name;

    if (ppPackageInfo == NULL)
        return SEC_E_INVALID_PARAMETER;
    name = sspi_utf8_from_wide(pszPackageName, (size_t)-1);
    pkg = sspi_package_find(name);
    free(name);
    if (pkg == NULL)
        return SEC_E_SECPKG_NOT_FOUND;
    *ppPackageInfo = sspi_package_info_w(pkg);
    return *ppPackageInfo != NULL ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}
