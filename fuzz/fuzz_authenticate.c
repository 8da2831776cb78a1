/*
 * libFuzzer target: the acceptor's AUTHENTICATE parser (ntlm_authenticate_decode), the NTLMv2
 * blob and client AV pairs inside its NT response (ntlm_v2_blob_parse, ntlm_av_decode), and a
 * round trip through ntlm_authenticate_encode.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_av.h"
#include "ntlm_message.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the acceptor does with an NTLMv2 response before it knows the password. */
static void
parse_v2_response(const struct ntlm_authenticate *auth)
{
    struct ntlm_v2_blob blob;
    struct ntlm_av_info av = {0};

    if (ntlm_v2_blob_parse(auth->nt_response, auth->nt_response_len, &blob) != 0)
        return;
    check(inside(blob.blob, blob.blob_len, auth->nt_response, auth->nt_response_len),
          "the blob lies inside the NT response");
    check(inside(blob.av_pairs, blob.av_pairs_len, blob.blob, blob.blob_len),
          "the AV pairs lie inside the blob");
    (void)ntlm_av_decode(blob.av_pairs, blob.av_pairs_len, &av);
    ntlm_av_free(&av);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ntlm_authenticate auth = {0}, again = {0};
    struct ntlm_buf enc = NTLM_BUF_INIT;

    if (ntlm_authenticate_decode(data, size, &auth) != 0)
        goto done;
    check(auth.domain != NULL && auth.user != NULL && auth.workstation != NULL,
          "names are never NULL");
    /* The acceptor zeroes the MIC field of the received message in place to check it. */
    if (auth.has_mic_space)
        check(size >= NTLM_MIC_OFFSET + 16, "MIC space lies inside the message");
    if (auth.nt_response_len > 24)
        parse_v2_response(&auth);

    check(ntlm_authenticate_encode(&auth, auth.has_mic_space, &enc) == 0,
          "a decoded AUTHENTICATE encodes");
    check(ntlm_authenticate_decode(enc.data, enc.len, &again) == 0, "our AUTHENTICATE decodes");
    check(again.flags == auth.flags, "flags survive a round trip");
    check(same_string(again.domain, auth.domain) && same_string(again.user, auth.user) &&
              same_string(again.workstation, auth.workstation),
          "names survive a round trip");
    check(same_bytes(again.lm_response, again.lm_response_len, auth.lm_response,
                     auth.lm_response_len) &&
              same_bytes(again.nt_response, again.nt_response_len, auth.nt_response,
                         auth.nt_response_len) &&
              same_bytes(again.session_key, again.session_key_len, auth.session_key,
                         auth.session_key_len),
          "responses and session key survive a round trip");
    check(again.has_mic_space == auth.has_mic_space, "MIC space survives a round trip");

done:
    ntlm_authenticate_free(&again);
    ntlm_authenticate_free(&auth);
    ntlm_buf_free(&enc);
    return 0;
}
