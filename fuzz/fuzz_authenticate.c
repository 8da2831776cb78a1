/*
 * libFuzzer target: the acceptor's AUTHENTICATE parser (ntlm_authenticate_decode) with the
 * NTLMv2 blob and client AV pairs it parses out of the NT response, the MIC input it gives (the
 * message with its MIC zeroed), and a round trip through ntlm_authenticate_encode.
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

/* The NTLMv2 response the decoder parsed, which the acceptor uses before it knows the
 * password. */
static void
check_v2_response(const struct ntlm_authenticate *auth)
{
    const struct ntlm_v2_blob *blob = &auth->v2;

    check(auth->has_v2 == (auth->nt_response_len > 24), "longer NT responses are NTLMv2");
    if (!auth->has_v2)
        return;
    check(inside(auth->nt_response, auth->nt_response_len, auth->msg, auth->msg_len),
          "the NT response lies inside the decoder's copy");
    check(inside(blob->blob, blob->blob_len, auth->nt_response, auth->nt_response_len),
          "the blob lies inside the NT response");
    check(inside(blob->av_pairs, blob->av_pairs_len, blob->blob, blob->blob_len),
          "the AV pairs lie inside the blob");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ntlm_authenticate auth = {0}, again = {0};
    struct ntlm_authenticate_fields fields;
    struct ntlm_buf enc = NTLM_BUF_INIT;

    if (ntlm_authenticate_decode(data, size, &auth) != 0)
        goto done;
    check(auth.domain != NULL && auth.user != NULL && auth.workstation != NULL,
          "names are never NULL");
    /* The decoder's copy is the MIC input: the message with its MIC field zeroed. */
    check(auth.msg_len == size, "the copy is the whole message");
    if (auth.has_mic_space) {
        check(auth.mic_offset + 16 <= size, "MIC space lies inside the message");
        check(memcmp(data + auth.mic_offset, auth.mic, 16) == 0, "the MIC is the one received");
        check(memcmp(auth.msg, data, auth.mic_offset) == 0 &&
                  memcmp(auth.msg + auth.mic_offset + 16, data + auth.mic_offset + 16,
                         size - auth.mic_offset - 16) == 0,
              "the MIC input is the message but for the MIC field");
    }
    check_v2_response(&auth);

    fields = ntlm_authenticate_fields_of(&auth);
    check(ntlm_authenticate_encode(&fields, auth.has_mic_space, &enc, NULL) == 0,
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
