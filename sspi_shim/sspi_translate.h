/*
 * The translation tables between SSPI and GSS-API: ISC_REQ/ASC_REQ flags to GSS request
 * flags, GSS returned flags to ISC_RET and ASC_RET (two different tables: the bit positions
 * differ above 0x800), and GSS major/minor status to SECURITY_STATUS.
 */
#ifndef SSPI_TRANSLATE_H
#define SSPI_TRANSLATE_H

#include <gssapi/gssapi.h>

#include "sspi.h"

/* Which call a status comes from: the same GSS failure means different things in each. */
enum sspi_call {
    SSPI_CALL_ACQUIRE,      /* AcquireCredentialsHandle */
    SSPI_CALL_INITIATE,     /* InitializeSecurityContext */
    SSPI_CALL_ACCEPT,       /* AcceptSecurityContext, first leg */
    SSPI_CALL_ACCEPT_FINAL, /* AcceptSecurityContext after the first leg */
    SSPI_CALL_MESSAGE,      /* Make/VerifySignature, Encrypt/DecryptMessage */
    SSPI_CALL_QUERY,        /* attributes, export, identity */
};

OM_uint32 sspi_isc_req_to_gss(ULONG isc_req);
OM_uint32 sspi_asc_req_to_gss(ULONG asc_req);
ULONG sspi_gss_to_isc_ret(OM_uint32 gss_flags);
/*
 * The ISC_RET bits Windows reports while a context is still being established: those the
 * caller asked for (CONFIDENTIALITY bringing INTEGRITY), before the peer has agreed to them.
 */
ULONG sspi_isc_ret_requested(ULONG isc_req);
ULONG sspi_gss_to_asc_ret(OM_uint32 gss_flags);

SECURITY_STATUS sspi_status_from_gss(OM_uint32 major, OM_uint32 minor, enum sspi_call call);
/* The same for a context of mechanism mech (SPNEGO's minor codes need it). */
SECURITY_STATUS sspi_status_from_gss_in(OM_uint32 major, OM_uint32 minor, enum sspi_call call,
                                        gss_OID mech);

/* Windows TimeStamp for "now + seconds", in local time, 100 ns since 1601-01-01. */
void sspi_timestamp_in(OM_uint32 seconds, TimeStamp *ts);

#endif
