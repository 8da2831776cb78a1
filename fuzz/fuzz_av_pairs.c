/*
 * libFuzzer target: AV_PAIR lists and the NTLMv2 client blob on their own (ntlm_av_decode,
 * ntlm_av_encode, ntlm_av_rewrite_for_client, ntlm_v2_blob_parse), with the input taken both as
 * a bare list and as an NT response.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_av.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
same_info(const struct ntlm_av_info *a, const struct ntlm_av_info *b)
{
    return same_string(a->nb_computer, b->nb_computer) && same_string(a->nb_domain, b->nb_domain) &&
           same_string(a->dns_computer, b->dns_computer) &&
           same_string(a->dns_domain, b->dns_domain) && same_string(a->dns_tree, b->dns_tree) &&
           same_string(a->target_name, b->target_name) && a->has_flags == b->has_flags &&
           (!a->has_flags || a->av_flags == b->av_flags) && a->has_timestamp == b->has_timestamp &&
           (!a->has_timestamp || a->timestamp == b->timestamp) &&
           a->has_channel_bindings == b->has_channel_bindings &&
           (!a->has_channel_bindings ||
            memcmp(a->channel_bindings, b->channel_bindings, sizeof(a->channel_bindings)) == 0);
}

/* A decoded list re-encodes to one that decodes to the same thing. */
static void
round_trip(const uint8_t *data, size_t size)
{
    struct ntlm_av_info av = {0}, again = {0};
    struct ntlm_buf enc = NTLM_BUF_INIT;

    if (ntlm_av_decode(data, size, &av) != 0)
        goto done;
    check(ntlm_av_encode(&av, &enc) == 0, "a decoded list encodes");
    check(ntlm_av_decode(enc.data, enc.len, &again) == 0, "our list decodes");
    check(same_info(&av, &again), "the list survives a round trip");
done:
    ntlm_av_free(&again);
    ntlm_av_free(&av);
    ntlm_buf_free(&enc);
}

static void
rewrite(const uint8_t *data, size_t size)
{
    static const uint8_t cb_hash[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    struct ntlm_buf list = NTLM_BUF_INIT;
    struct ntlm_av_info server = {0}, client = {0};

    /* As the initiator does: only a list that decodes is rewritten. */
    if (ntlm_av_decode(data, size, &server) != 0)
        goto done;
    if (ntlm_av_rewrite_for_client(data, size, &server, NTLM_AVF_MIC_PRESENT, cb_hash,
                                   "cifs/fileserver", &list) != 0)
        goto done;
    check(ntlm_av_decode(list.data, list.len, &client) == 0, "the rewritten list decodes");
    check(client.has_flags && (client.av_flags & NTLM_AVF_MIC_PRESENT), "our flag is there");
    check(same_string(client.target_name, "cifs/fileserver"), "our target name is there");
done:
    ntlm_av_free(&server);
    ntlm_av_free(&client);
    ntlm_buf_free(&list);
}

static void
v2_blob(const uint8_t *data, size_t size)
{
    struct ntlm_v2_blob blob;
    struct ntlm_av_info av = {0};
    struct ntlm_buf enc = NTLM_BUF_INIT;

    if (ntlm_v2_blob_parse(data, size, &blob) != 0)
        return;
    check(blob.av_pairs >= data && blob.av_pairs_len <= size - (size_t)(blob.av_pairs - data),
          "the AV pairs lie inside the response");
    /* The blob's pairs were decoded in the same pass, as ntlm_av_decode decodes them. */
    check(ntlm_av_decode(blob.av_pairs, blob.av_pairs_len, &av) == 0,
          "the blob's AV pairs decode on their own");
    check(same_info(&av, &blob.av), "the blob's AV pairs are the list's");
    (void)ntlm_v2_blob_encode(blob.timestamp, blob.client_challenge, blob.av_pairs,
                              blob.av_pairs_len, &enc);
    ntlm_v2_blob_free(&blob);
    ntlm_av_free(&av);
    ntlm_buf_free(&enc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    round_trip(data, size);
    rewrite(data, size);
    v2_blob(data, size);
    return 0;
}
