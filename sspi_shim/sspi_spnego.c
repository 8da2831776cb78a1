/*
 * Negotiate over an MIT krb5 with the SPNEGO mechListMIC bug (ticket 9183): finds the
 * mechListMIC in a peer's negTokenResp and, on an affected library only, re-tags it [4] so that
 * SPNEGO reads and verifies it. Nothing is accepted that SPNEGO would not verify.
 */
#include "sspi_spnego.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spnego_probe.h"

/* DER tags of RFC 4178's NegotiationToken choice negTokenResp and of its fields. */
#define TAG_NEG_TOKEN_RESP 0xa1
#define TAG_SEQUENCE 0x30
#define TAG_MECH_LIST_MIC 0xa3 /* [3] */
#define TAG_BUGGY_MIC 0xa4     /* [4]: where krb5 1.21.0-1.22.1 look */

/* A bounds-checked reader over DER: a read past the end sets the sticky error flag. */
struct der {
    const uint8_t *p;
    size_t left;
    bool error;
};

/* Reads one tag and its definite length; returns the tag, 0 with the flag set on error. */
static uint8_t
der_header(struct der *d, size_t *len)
{
    uint8_t tag, first;
    size_t n, i;

    if (d->error || d->left < 2)
        goto bad;
    tag = d->p[0];
    first = d->p[1];
    d->p += 2;
    d->left -= 2;
    if (first < 0x80) {
        *len = first;
    } else {
        /* Long form: 1 to 4 length bytes (no token here comes near 4 GiB). */
        n = first & 0x7f;
        if (n == 0 || n > 4 || d->left < n)
            goto bad;
        *len = 0;
        for (i = 0; i < n; i++)
            *len = (*len << 8) | d->p[i];
        d->p += n;
        d->left -= n;
    }
    if (*len > d->left)
        goto bad;
    return tag;
bad:
    d->error = true;
    return 0;
}

/*
 * The offset in token of the [3] mechListMIC's tag byte, or -1 when token is not a well-formed
 * negTokenResp with exactly one [3] and no [4] at the top of its SEQUENCE:
 *
 *   a1 len                [1] negTokenResp
 *     30 len                SEQUENCE
 *       a0 len ...            [0] negState        (optional)
 *       a1 len ...            [1] supportedMech   (optional)
 *       a2 len ...            [2] responseToken   (optional)
 *       a3 len ...            [3] mechListMIC     (optional)
 */
static long
mech_list_mic_offset(const gss_buffer_desc *token)
{
    struct der d = {token->value, token->length, false}, seq;
    size_t len;
    long found = -1;
    uint8_t tag;

    if (token->value == NULL || der_header(&d, &len) != TAG_NEG_TOKEN_RESP || len != d.left)
        return -1;
    if (der_header(&d, &len) != TAG_SEQUENCE || len != d.left)
        return -1;
    seq = d;
    while (seq.left > 0) {
        const uint8_t *at = seq.p;

        tag = der_header(&seq, &len);
        if (seq.error || tag == TAG_BUGGY_MIC || (tag == TAG_MECH_LIST_MIC && found >= 0))
            return -1;
        if (tag == TAG_MECH_LIST_MIC)
            found = (long)(at - (const uint8_t *)token->value);
        seq.p += len;
        seq.left -= len;
    }
    return found;
}

/* The probe's answer for this process: asked once it can tell, then kept. */
static pthread_mutex_t probe_lock = PTHREAD_MUTEX_INITIALIZER;
static enum spnego_mic_probe probe_result = SPNEGO_MIC_UNKNOWN;

static enum spnego_mic_probe
library_reads_mic(gss_cred_id_t acceptor_cred)
{
    enum spnego_mic_probe result;

    pthread_mutex_lock(&probe_lock);
    if (probe_result == SPNEGO_MIC_UNKNOWN)
        probe_result = spnego_mic_probe(acceptor_cred);
    result = probe_result;
    pthread_mutex_unlock(&probe_lock);
    return result;
}

bool
sspi_spnego_adapt(gss_cred_id_t acceptor_cred, const gss_buffer_desc *token, gss_buffer_desc *copy)
{
    long at = mech_list_mic_offset(token);

    *copy = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
    if (at < 0 || library_reads_mic(acceptor_cred) != SPNEGO_MIC_TICKET_9183)
        return false;
    copy->value = malloc(token->length);
    if (copy->value == NULL)
        return false;
    memcpy(copy->value, token->value, token->length);
    copy->length = token->length;
    ((uint8_t *)copy->value)[at] = TAG_BUGGY_MIC;
    return true;
}

bool
sspi_spnego_failure_is_9183(const gss_buffer_desc *token)
{
    enum spnego_mic_probe result;

    if (mech_list_mic_offset(token) < 0)
        return false;
    pthread_mutex_lock(&probe_lock);
    result = probe_result;
    pthread_mutex_unlock(&probe_lock);
    return result != SPNEGO_MIC_READ;
}
