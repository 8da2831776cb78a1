/*
 * A behavioural probe for MIT krb5's SPNEGO mechListMIC bug (MIT ticket 9183): krb5 1.21.0 to
 * 1.22.1 look for a negTokenResp's mechListMIC under the tag [4] instead of [3], so a peer's
 * correct mechListMIC is silently dropped. Shared by libsspi and tools/sspigss-spnego-probe.
 */
#ifndef SPNEGO_PROBE_H
#define SPNEGO_PROBE_H

#include <gssapi/gssapi.h>

enum spnego_mic_probe {
    SPNEGO_MIC_READ = 0,        /* the library reads mechListMIC under [3], as RFC 4178 says */
    SPNEGO_MIC_TICKET_9183 = 1, /* it reads [4] and ignores [3]: the bug */
    SPNEGO_MIC_UNKNOWN = 2,     /* the probe could not tell (no acceptor credential, ...) */
};

/* The reason tests print with SKIP, and the words users search for. */
#define SPNEGO_MIC_9183_REASON "MIT krb5 SPNEGO mechListMIC bug (ticket 9183)"

/*
 * Asks the GSS library's own SPNEGO acceptor, in process and without calling any mechanism:
 * two fresh contexts each get a negTokenInit without a mechanism token, then a negTokenResp
 * that holds nothing but a mechListMIC, under [3] for one and [4] for the other. SPNEGO refuses a
 * negTokenResp in which it finds neither a responseToken nor a mechListMIC, so the one it
 * refuses shows which tag it reads. acceptor_cred is a SPNEGO (or default) acceptor credential
 * for any mechanism; GSS_C_NO_CREDENTIAL uses the default ones. Never touches the network.
 */
enum spnego_mic_probe spnego_mic_probe(gss_cred_id_t acceptor_cred);

#endif
