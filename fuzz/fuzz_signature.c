/*
 * libFuzzer target: wrap and MIC tokens (MS-NLMP 3.4.4) against ntlm_sign. One server-side
 * and one client-side ntlm_sign_state per flag set are derived once per process; every input
 * rewinds them, so runs are deterministic. Input layout:
 *
 *   offset  size  field
 *   ------  ----  ------------------------------------------------------------------------
 *        0     1  selector: bits 0-1 the flag set below, bit 2 MIC (else wrap), bits 3-7 the
 *                 sequence number expected
 *        1    16  the signature as received
 *       17     -  the message: sealed data (wrap) or plain data (MIC)
 *
 * The server unseals a copy, recomputes the MAC and compares; the client, fed the recovered
 * plaintext, must produce the very same ciphertext and MAC (both sides share keys and stream).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_crypto.h"
#include "ntlm_message.h"
#include "ntlm_sign.h"
#include "fuzz_check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SIG NTLM_SIGNATURE_SIZE
#define SIGN_SEAL (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL)
#define ESS NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY

/* The exported session keys of the MS-NLMP examples, so that their tokens are valid seeds. */
static const uint8_t key_55[16] = {0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
                                   0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55};
static const uint8_t key_ess_v1[16] = {0xeb, 0x93, 0x42, 0x9a, 0x8b, 0xd9, 0x52, 0xf8,
                                       0xb8, 0x9c, 0x55, 0xb8, 0x7f, 0x47, 0x5e, 0xdc};

static const struct {
    uint32_t flags;
    const uint8_t *key;
} flag_sets[4] = {
    /* MS-NLMP 4.2.4.4: NTLMv2, ESS and key exchange (the RC4 also covers the checksum) */
    {NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_128 | SIGN_SEAL | ESS | NTLMSSP_NEGOTIATE_KEY_EXCH,
     key_55},
    /* MS-NLMP 4.2.3.4: ESS without key exchange */
    {NTLMSSP_NEGOTIATE_56 | SIGN_SEAL | ESS, key_ess_v1},
    /* MS-NLMP 4.2.2.4: no ESS: CRC32 signature, one RC4 stream for both directions */
    {NTLMSSP_NEGOTIATE_56 | SIGN_SEAL, key_55},
    /* no ESS with LM_KEY: the weakened 8-byte seal key */
    {NTLMSSP_NEGOTIATE_56 | SIGN_SEAL | NTLMSSP_NEGOTIATE_LM_KEY, key_55},
};

static struct ntlm_sign_state server[4], client[4];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    size_t i;

    for (i = 0; i < 4; i++) {
        check(ntlm_sign_state_init(&server[i], flag_sets[i].flags, flag_sets[i].key, false) == 0,
              "server state");
        check(ntlm_sign_state_init(&client[i], flag_sets[i].flags, flag_sets[i].key, true) == 0,
              "client state");
    }
    return 0;
}

/* Puts the client-to-server stream of both states back at its start. */
static void
rewind_states(size_t set)
{
    check(ntlm_sign_state_reset_rc4(&server[set], true) == 0, "server rewind");
    check(ntlm_sign_state_reset_rc4(&client[set], false) == 0, "client rewind");
    server[set].recv.seq = 0;
    client[set].send.seq = 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t expected[SIG], resent[SIG];
    uint8_t *plain = NULL, *resealed = NULL;
    struct ntlm_iov piece;
    const uint8_t *sig, *msg;
    size_t set, msg_len;
    uint32_t seq;
    bool mic, match;

    if (size < 1 + SIG)
        return 0;
    set = data[0] & 3u;
    mic = data[0] & 4u;
    seq = data[0] >> 3;
    sig = data + 1;
    msg = data + 1 + SIG;
    msg_len = size - 1 - SIG;
    rewind_states(set);

    /* Exact-size copies, so that reading past the message is caught. */
    plain = malloc(msg_len + 1);
    resealed = malloc(msg_len + 1);
    if (plain == NULL || resealed == NULL)
        goto done;
    memcpy(plain, msg, msg_len);
    if (!mic)
        check(ntlm_sign_crypt(&server[set].recv, plain, msg_len) == 0, "unseal");
    piece = (struct ntlm_iov){plain, msg_len};
    check(ntlm_sign_mac(&server[set], &server[set].recv, seq, &piece, 1, expected) == 0, "MAC");
    match = sig[0] == 1 && sig[1] == 0 && sig[2] == 0 && sig[3] == 0 &&
            ntlm_ct_equal(expected, sig, SIG);

    /* The client sends what the server just received: same bytes, same MAC. */
    memcpy(resealed, plain, msg_len);
    if (!mic)
        check(ntlm_sign_crypt(&client[set].send, resealed, msg_len) == 0, "seal");
    check(ntlm_sign_mac(&client[set], &client[set].send, seq, &piece, 1, resent) == 0, "MAC");
    check(memcmp(resent, expected, SIG) == 0, "client and server agree on the MAC");
    check(msg_len == 0 || memcmp(resealed, msg, msg_len) == 0,
          "sealing the unsealed data gives the data back");
    if (match)
        check(memcmp(resent, sig, SIG) == 0, "a verified signature is the one the client makes");

done:
    free(resealed);
    free(plain);
    return 0;
}
