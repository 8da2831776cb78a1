/*
 * sspigss NTLMSSP mechanism: public definitions shared by the module, libsspi and users:
 * the mechanism OID, the extension OIDs the module answers, and its minor status space.
 */
#ifndef SSPIGSS_NTLM_H
#define SSPIGSS_NTLM_H

/* NTLMSSP mechanism, 1.3.6.1.4.1.311.2.2.10 */
#define SSPIGSS_NTLM_MECH_OID_DER "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"
#define SSPIGSS_NTLM_MECH_OID_LEN 10

/* Every NTLMSSP message starts with these 8 bytes, the NUL included (MS-NLMP 2.2.1). */
#define SSPIGSS_NTLMSSP_SIGNATURE "NTLMSSP"
#define SSPIGSS_NTLMSSP_SIGNATURE_LEN 8

/* A message signature (MIC, wrap header) is 16 bytes (MS-NLMP 2.2.2.9). */
#define SSPIGSS_NTLM_SIGNATURE_SIZE 16

/*
 * The Windows version the module puts in its VERSION structures (MS-NLMP 2.2.2.10): Windows 7
 * SP1's, a version every peer knows; the revision is NTLMSSP_REVISION_W2K3 (15).
 */
#define SSPIGSS_NTLM_VERSION_MAJOR 6
#define SSPIGSS_NTLM_VERSION_MINOR 1
#define SSPIGSS_NTLM_VERSION_BUILD 7601
#define SSPIGSS_NTLM_VERSION_REVISION 15

/*
 * The name attribute (gss_get_name_attribute) in which a name validated by a domain controller
 * carries its SIDs, comma-separated, the user's first; gss-ntlmssp's name, for its users.
 */
#define SSPIGSS_NTLM_ATTR_SIDS "urn:gssntlmssp:sids"

/* Options MIT's SPNEGO uses with NTLM mechanisms (Samba arc, as gss-ntlmssp defines them). */
/* 1.3.6.1.4.1.7165.655.1.2: inquire, one 1-byte buffer, 0x01 when a mechListMIC is required */
#define SSPIGSS_NTLM_REQUIRE_MIC_OID_DER "\x2b\x06\x01\x04\x01\xb7\x7d\x85\x0f\x01\x02"
/* 1.3.6.1.4.1.7165.655.1.3: set, 4-byte host-order value, 1 = reset receive RC4, 0 = send */
#define SSPIGSS_NTLM_RESET_CRYPTO_OID_DER "\x2b\x06\x01\x04\x01\xb7\x7d\x85\x0f\x01\x03"
#define SSPIGSS_NTLM_SAMBA_OID_LEN 11

/*
 * 1.3.6.1.4.1.7165.655.2.1 (our arc under the same Samba-style prefix):
 * inquire, one 4-byte little-endian buffer holding the negotiated NTLMSSP flags.
 */
#define SSPIGSS_NTLM_NEG_FLAGS_OID_DER "\x2b\x06\x01\x04\x01\xb7\x7d\x85\x0f\x02\x01"

/* Minor status codes of the module live in [SSPIGSS_NTLM_MINOR_BASE, +0xffff]. */
#define SSPIGSS_NTLM_MINOR_BASE 0x53470000u

/*
 * The minors that say no domain controller could be asked (winbindd down or unreachable, no
 * logon server; and winbindd silent for winbind_timeout seconds). libsspi reports them as
 * SEC_E_NO_AUTHENTICATING_AUTHORITY.
 */
#define SSPIGSS_NTLM_MINOR_DOMAIN_UNAVAILABLE (SSPIGSS_NTLM_MINOR_BASE + 59u)
#define SSPIGSS_NTLM_MINOR_DOMAIN_TIMEOUT (SSPIGSS_NTLM_MINOR_BASE + 60u)
/*
 * The acceptor refused a domain logon without asking winbindd: winbind_max_inflight logons of
 * this process are already waiting for its answer (a slow or stuck DC). GSS_S_FAILURE, as the
 * two above; libsspi reports it as SEC_E_NO_AUTHENTICATING_AUTHORITY too.
 */
#define SSPIGSS_NTLM_MINOR_DOMAIN_BUSY (SSPIGSS_NTLM_MINOR_BASE + 79u)

/*
 * The acceptor's service binding (service_binding): the client's NTLMv2 target name names
 * another service or host, or none where one is required. libsspi reports both as
 * SEC_E_BAD_BINDINGS, the status of a failed Extended Protection check.
 */
#define SSPIGSS_NTLM_MINOR_TARGET_MISMATCH (SSPIGSS_NTLM_MINOR_BASE + 68u)
#define SSPIGSS_NTLM_MINOR_TARGET_MISSING (SSPIGSS_NTLM_MINOR_BASE + 69u)
/*
 * NTLM reflection: the AUTHENTICATE answers a challenge of this acceptor that this process's
 * own initiator answered for another target. libsspi reports it as SEC_E_LOGON_DENIED.
 */
#define SSPIGSS_NTLM_MINOR_REFLECTED (SSPIGSS_NTLM_MINOR_BASE + 70u)

/*
 * The acceptor's refusals that callers may want to tell apart (docs/security.md):
 * a user or domain with a backslash or control character (GSS_S_DEFECTIVE_CREDENTIAL);
 * gss_localname refusing a foreign domain or an account below local_uid_min
 * (GSS_S_UNAVAILABLE); a token for a context whose earlier step failed (GSS_S_FAILURE);
 * signing or sealing without 128-bit keys and extended session security under
 * min_session_security (GSS_S_DEFECTIVE_TOKEN); an account locked out by this server's
 * lockout_threshold (GSS_S_DEFECTIVE_CREDENTIAL; libsspi: SEC_E_LOGON_DENIED, as Windows).
 */
#define SSPIGSS_NTLM_MINOR_BAD_ACCOUNT_NAME (SSPIGSS_NTLM_MINOR_BASE + 71u)
#define SSPIGSS_NTLM_MINOR_LOCAL_DOMAIN (SSPIGSS_NTLM_MINOR_BASE + 72u)
#define SSPIGSS_NTLM_MINOR_LOCAL_UID (SSPIGSS_NTLM_MINOR_BASE + 73u)
#define SSPIGSS_NTLM_MINOR_EXCHANGE_FAILED (SSPIGSS_NTLM_MINOR_BASE + 75u)
#define SSPIGSS_NTLM_MINOR_SESSION_SECURITY_WEAK (SSPIGSS_NTLM_MINOR_BASE + 76u)
#define SSPIGSS_NTLM_MINOR_LOCKED_OUT (SSPIGSS_NTLM_MINOR_BASE + 77u)

#endif
