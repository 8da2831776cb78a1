/*
 * libFuzzer target: the acceptor's NEGOTIATE parser (ntlm_negotiate_decode), then a round
 * trip through ntlm_negotiate_encode that must decode again to the same strings and version.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_message.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
same_version(const struct ntlm_version *a, const struct ntlm_version *b)
{
    return a->major == b->major && a->minor == b->minor && a->build == b->build &&
           a->revision == b->revision;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ntlm_negotiate neg = {0}, again = {0};
    struct ntlm_negotiate_fields fields;
    struct ntlm_buf enc = NTLM_BUF_INIT;
    uint32_t type;

    (void)ntlm_message_type(data, size, &type);
    if (ntlm_negotiate_decode(data, size, &neg) != 0)
        goto done;
    fields = ntlm_negotiate_fields_of(&neg);
    check(ntlm_negotiate_encode(&fields, &enc) == 0, "a decoded NEGOTIATE encodes");
    check(ntlm_negotiate_decode(enc.data, enc.len, &again) == 0, "our NEGOTIATE decodes");
    check(same_string(neg.domain, again.domain), "domain survives a round trip");
    check(same_string(neg.workstation, again.workstation), "workstation survives a round trip");
    /* The encoder always writes a version, so only a version that was there must come back. */
    if (neg.has_version && (again.flags & NTLMSSP_NEGOTIATE_VERSION))
        check(again.has_version && same_version(&neg.version, &again.version),
              "version survives a round trip");

done:
    ntlm_negotiate_free(&again);
    ntlm_negotiate_free(&neg);
    ntlm_buf_free(&enc);
    return 0;
}
