/*
 * libFuzzer target: the initiator's CHALLENGE parser (ntlm_challenge_decode), what the
 * initiator then does with the server's target info (ntlm_av_decode and
 * ntlm_av_rewrite_for_client), and a round trip through ntlm_challenge_encode.
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

/*
 * The client's list built from the server's must itself be a valid list that carries what the
 * client added. With av_flags 0 and no extras, the server's flags (if any) pass through.
 */
static void
rewrite_target_info(const struct ntlm_challenge *chal, const struct ntlm_av_info *server,
                    uint32_t av_flags, const uint8_t *cb_hash, const char *target_name)
{
    struct ntlm_buf list = NTLM_BUF_INIT;
    struct ntlm_av_info client = {0};

    if (ntlm_av_rewrite_for_client(chal->target_info, chal->target_info_len, &chal->av, av_flags,
                                   cb_hash, target_name, &list) != 0)
        goto done;
    check(ntlm_av_decode(list.data, list.len, &client) == 0, "the rewritten list decodes");
    check(same_string(client.nb_computer, server->nb_computer) &&
              same_string(client.nb_domain, server->nb_domain) &&
              same_string(client.dns_computer, server->dns_computer) &&
              same_string(client.dns_domain, server->dns_domain) &&
              same_string(client.dns_tree, server->dns_tree),
          "the server's names are kept");
    check(same_string(client.target_name, target_name), "the target name is ours");
    check(client.has_flags == (server->has_flags || av_flags != 0), "flags present as asked");
    if (client.has_flags)
        check(client.av_flags == (server->av_flags | av_flags), "flags are the union");
    check(client.has_channel_bindings == (cb_hash != NULL), "bindings present as asked");
    if (cb_hash != NULL)
        check(memcmp(client.channel_bindings, cb_hash, 16) == 0, "bindings are ours");
done:
    ntlm_av_free(&client);
    ntlm_buf_free(&list);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t cb_hash[16] = {0x65, 0x86, 0xe9, 0x9d, 0x81, 0xc2, 0xfc, 0x98,
                                        0x4e, 0x47, 0x17, 0x2f, 0xd4, 0xdd, 0x03, 0x10};
    struct ntlm_challenge chal = {0}, again = {0};
    struct ntlm_challenge_fields fields;
    struct ntlm_av_info server = {0};
    struct ntlm_buf enc = NTLM_BUF_INIT;

    if (ntlm_challenge_decode(data, size, &chal) != 0)
        goto done;
    /* The decoder keeps target info only once it has decoded it. */
    check(ntlm_av_decode(chal.target_info, chal.target_info_len, &server) == 0 ||
              chal.target_info_len == 0,
          "kept target info decodes");
    rewrite_target_info(&chal, &server, 0, NULL, NULL);
    rewrite_target_info(&chal, &server, NTLM_AVF_MIC_PRESENT, cb_hash, "HTTP/server.example.com");

    check(server.has_flags == chal.av.has_flags && server.av_flags == chal.av.av_flags &&
              server.has_timestamp == chal.av.has_timestamp &&
              server.timestamp == chal.av.timestamp &&
              same_string(server.nb_domain, chal.av.nb_domain) &&
              same_string(server.target_name, chal.av.target_name),
          "the decoder's AV pairs are the kept target info's");
    fields = ntlm_challenge_fields_of(&chal);
    check(ntlm_challenge_encode(&fields, &enc) == 0, "a decoded CHALLENGE encodes");
    check(ntlm_challenge_decode(enc.data, enc.len, &again) == 0, "our CHALLENGE decodes");
    check(again.flags == chal.flags, "flags survive a round trip");
    check(memcmp(again.server_challenge, chal.server_challenge, 8) == 0,
          "server challenge survives a round trip");
    check(same_string(again.target_name, chal.target_name), "target name survives a round trip");
    check(same_bytes(again.target_info, again.target_info_len, chal.target_info,
                     chal.target_info_len),
          "target info survives a round trip");
    check(again.has_version == chal.has_version || !(chal.flags & NTLMSSP_NEGOTIATE_VERSION),
          "version presence survives a round trip");

done:
    ntlm_av_free(&server);
    ntlm_challenge_free(&again);
    ntlm_challenge_free(&chal);
    ntlm_buf_free(&enc);
    return 0;
}
