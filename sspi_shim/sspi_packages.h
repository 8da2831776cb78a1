/*
 * The three security packages (Negotiate, NTLM, Kerberos): their SecPkgInfo facts and the
 * GSS mechanism behind each, and the SecPkgInfo blocks handed to callers.
 */
#ifndef SSPI_PACKAGES_H
#define SSPI_PACKAGES_H

#include <gssapi/gssapi.h>

#include "sspi.h"

enum sspi_package_id { SSPI_PKG_NEGOTIATE, SSPI_PKG_NTLM, SSPI_PKG_KERBEROS, SSPI_PKG_COUNT };

struct sspi_package {
    enum sspi_package_id id;
    const char *name;
    const char *comment;
    ULONG capabilities;
    USHORT rpcid;
    ULONG max_token;
    gss_OID mech; /* SPNEGO for Negotiate */
};

extern gss_OID sspi_mech_spnego;
extern gss_OID sspi_mech_ntlm;
extern gss_OID sspi_mech_krb5;

/* By name, case-insensitively as Windows does; NULL when unknown. */
const struct sspi_package *sspi_package_find(const char *name);
/* The package a negotiated mechanism belongs to (krb5 under either OID, NTLM), or NULL. */
const struct sspi_package *sspi_package_for_mech(gss_const_OID mech);

/* One allocation holding the struct and its strings, freed with FreeContextBuffer. */
SecPkgInfoA *sspi_package_info_a(const struct sspi_package *pkg);
SecPkgInfoW *sspi_package_info_w(const struct sspi_package *pkg);

#endif
