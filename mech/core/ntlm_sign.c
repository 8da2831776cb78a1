/*
 * NTLMSSP message integrity and confidentiality (MS-NLMP 3.4.4 and 3.4.5.2 - 3.4.5.3):
 * key derivation per direction, the RC4 handles and the 16-byte message signature.
 */
#include "ntlm_sign.h"

#include <stdlib.h>
#include <string.h>

#include "ntlm_endian.h"
#include "ntlm_errors.h"
#include "ntlm_message.h"

#define SIGNATURE_VERSION 1

/* The magic constants are hashed including their terminating NUL (sizeof, not strlen). */
static const char client_sign_magic[] =
    "session key to client-to-server signing key magic constant";
static const char server_sign_magic[] =
    "session key to server-to-client signing key magic constant";
static const char client_seal_magic[] =
    "session key to client-to-server sealing key magic constant";
static const char server_seal_magic[] =
    "session key to server-to-client sealing key magic constant";

uint32_t
ntlm_sign_key(uint32_t flags, const uint8_t exported_session_key[16], bool client, uint8_t out[16])
{
    struct ntlm_iov iov[2] = {{exported_session_key, 16}};

    /* Without extended session security the signature is a CRC and there is no sign key. */
    if (!(flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)) {
        memset(out, 0, 16);
        return 0;
    }
    if (client)
        iov[1] = (struct ntlm_iov){client_sign_magic, sizeof(client_sign_magic)};
    else
        iov[1] = (struct ntlm_iov){server_sign_magic, sizeof(server_sign_magic)};
    return ntlm_md5(iov, 2, out);
}

uint32_t
ntlm_seal_key(uint32_t flags, const uint8_t exported_session_key[16], bool client, uint8_t out[16],
              size_t *out_len)
{
    uint8_t key[16] = {0};
    size_t key_len;
    uint32_t ret = 0;

    if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        struct ntlm_iov iov[2] = {{exported_session_key, 16}};

        if (flags & NTLMSSP_NEGOTIATE_128)
            iov[0].len = 16;
        else if (flags & NTLMSSP_NEGOTIATE_56)
            iov[0].len = 7;
        else
            iov[0].len = 5;
        if (client)
            iov[1] = (struct ntlm_iov){client_seal_magic, sizeof(client_seal_magic)};
        else
            iov[1] = (struct ntlm_iov){server_seal_magic, sizeof(server_seal_magic)};
        ret = ntlm_md5(iov, 2, key);
        key_len = 16;
    } else if (flags & (NTLMSSP_NEGOTIATE_LM_KEY | NTLMSSP_NEGOTIATE_DATAGRAM)) {
        /* Weakened 8-byte keys; the fixed suffix bytes come from MS-NLMP 3.4.5.3. */
        if (flags & NTLMSSP_NEGOTIATE_56) {
            memcpy(key, exported_session_key, 7);
            key[7] = 0xA0;
        } else {
            memcpy(key, exported_session_key, 5);
            key[5] = 0xE5;
            key[6] = 0x38;
            key[7] = 0xB0;
        }
        key_len = 8;
    } else {
        memcpy(key, exported_session_key, 16);
        key_len = 16;
    }
    if (ret == 0) {
        memcpy(out, key, 16);
        *out_len = key_len;
    }
    ntlm_wipe(key, sizeof(key));
    return ret;
}

/* Fills one direction's keys and RC4 handle; *dir is left for the caller to free on error. */
static uint32_t
dir_init(struct ntlm_sign_dir *dir, uint32_t flags, const uint8_t exported_session_key[16],
         bool client_to_server)
{
    uint32_t ret;

    ret = ntlm_sign_key(flags, exported_session_key, client_to_server, dir->sign_key);
    if (ret)
        return ret;
    return ntlm_seal_key(flags, exported_session_key, client_to_server, dir->seal_key,
                         &dir->seal_key_len);
}

/*
 * A direction's RC4 stream, keyed on first use: OpenSSL's RC4 state costs over a kilobyte per
 * handle, and most held contexts (HTTP logins) never sign or seal anything.
 */
static uint32_t
dir_stream(struct ntlm_sign_dir *dir)
{
    if (dir->rc4 != NULL)
        return 0;
    return ntlm_rc4_new(dir->seal_key, dir->seal_key_len, &dir->rc4);
}

uint32_t
ntlm_sign_state_init(struct ntlm_sign_state *st, uint32_t flags,
                     const uint8_t exported_session_key[16], bool client)
{
    struct ntlm_sign_state tmp;
    uint32_t ret;

    memset(&tmp, 0, sizeof(tmp));
    tmp.flags = flags;
    /* We send client-to-server when we are the client; the peer's direction is the other. */
    ret = dir_init(&tmp.send, flags, exported_session_key, client);
    if (ret)
        goto done;
    if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        ret = dir_init(&tmp.recv, flags, exported_session_key, !client);
        if (ret)
            goto done;
    } else {
        /* Without ESS both directions draw from one keystream (MS-NLMP 3.4.4.1), keyed now so
         * that neither direction can start a second one. */
        ret = dir_stream(&tmp.send);
        if (ret)
            goto done;
        memcpy(tmp.recv.seal_key, tmp.send.seal_key, sizeof(tmp.recv.seal_key));
        tmp.recv.seal_key_len = tmp.send.seal_key_len;
        tmp.recv.rc4 = tmp.send.rc4;
        tmp.recv.shared = true;
    }
    *st = tmp;
    memset(&tmp, 0, sizeof(tmp));
done:
    ntlm_sign_state_free(&tmp);
    return ret;
}

void
ntlm_sign_state_set_stream(struct ntlm_sign_state *st, bool recv, struct ntlm_rc4 *rc4)
{
    struct ntlm_sign_dir *dir = recv ? &st->recv : &st->send;

    ntlm_rc4_free(dir->rc4);
    dir->rc4 = rc4;
    /* Without ESS the one keystream serves both directions, so both move together. */
    if (st->recv.shared) {
        st->send.rc4 = rc4;
        st->recv.rc4 = rc4;
    }
}

uint32_t
ntlm_sign_state_reset_rc4(struct ntlm_sign_state *st, bool recv)
{
    struct ntlm_sign_dir *dir = recv ? &st->recv : &st->send;
    struct ntlm_rc4 *fresh = NULL;
    uint32_t ret;

    /* A stream never used is still at its start. */
    if (dir->rc4 == NULL)
        return 0;
    ret = ntlm_rc4_new(dir->seal_key, dir->seal_key_len, &fresh);
    if (ret)
        return ret;
    ntlm_sign_state_set_stream(st, recv, fresh);
    return 0;
}

void
ntlm_sign_state_free(struct ntlm_sign_state *st)
{
    if (!st->recv.shared)
        ntlm_rc4_free(st->recv.rc4);
    ntlm_rc4_free(st->send.rc4);
    ntlm_wipe(st, sizeof(*st));
}

/* Pieces one signature may cover; the GSS layer caps its IOV arrays below this. */
#define MAX_PIECES 64

/* With ESS: HMAC_MD5(SignKey, SeqNum || Message)[0..7]. */
static uint32_t
checksum_ess(struct ntlm_sign_dir *dir, const uint8_t seq_le[4], const struct ntlm_iov *iov,
             size_t n, uint8_t checksum[8])
{
    struct ntlm_iov all[MAX_PIECES + 1];
    uint8_t hmac[16];
    uint32_t ret;

    if (n > MAX_PIECES)
        return NTLM_ERR_INVALID_ARG;
    /* Keyed on first use: most contexts (HTTP logins) never sign anything. */
    if (!dir->mac_keyed) {
        ret = ntlm_hmac_md5_key(dir->sign_key, sizeof(dir->sign_key), &dir->mac);
        if (ret)
            return ret;
        dir->mac_keyed = true;
    }
    all[0] = (struct ntlm_iov){seq_le, 4};
    if (n > 0)
        memcpy(all + 1, iov, n * sizeof(*iov));
    ret = ntlm_hmac_md5_keyed(&dir->mac, all, n + 1, hmac);
    if (ret == 0)
        memcpy(checksum, hmac, 8);
    ntlm_wipe(hmac, sizeof(hmac));
    return ret;
}

uint32_t
ntlm_sign_checksum(const struct ntlm_sign_state *st, struct ntlm_sign_dir *dir, uint32_t seq,
                   const struct ntlm_iov *iov, size_t n, uint8_t sig[NTLM_SIGNATURE_SIZE])
{
    ntlm_put_le32(sig, SIGNATURE_VERSION);
    ntlm_put_le32(sig + 12, seq);
    if (st->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)
        return checksum_ess(dir, sig + 12, iov, n, sig + 4);
    /* Without ESS: RandomPad (0), CRC32, SeqNum; all three pass through RC4 later. */
    memset(sig + 4, 0, 4);
    ntlm_put_le32(sig + 8, ntlm_crc32(iov, n));
    return 0;
}

uint32_t
ntlm_sign_seal_signature(const struct ntlm_sign_state *st, struct ntlm_sign_dir *dir,
                         uint8_t sig[NTLM_SIGNATURE_SIZE])
{
    uint32_t ret;

    if (st->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        if (!(st->flags & NTLMSSP_NEGOTIATE_KEY_EXCH))
            return 0;
        ret = dir_stream(dir);
        return ret ? ret : ntlm_rc4_update(dir->rc4, sig + 4, sig + 4, 8);
    }
    /* RandomPad, CRC32 and SeqNum are sealed in that order; RandomPad is then sent as 0. */
    ret = ntlm_rc4_update(dir->rc4, sig + 4, sig + 4, 12);
    memset(sig + 4, 0, 4);
    return ret;
}

uint32_t
ntlm_sign_mac(const struct ntlm_sign_state *st, struct ntlm_sign_dir *dir, uint32_t seq,
              const struct ntlm_iov *iov, size_t n, uint8_t sig[NTLM_SIGNATURE_SIZE])
{
    uint8_t out[NTLM_SIGNATURE_SIZE];
    uint32_t ret;

    ret = ntlm_sign_checksum(st, dir, seq, iov, n, out);
    if (ret == 0)
        ret = ntlm_sign_seal_signature(st, dir, out);
    if (ret == 0)
        memcpy(sig, out, sizeof(out));
    ntlm_wipe(out, sizeof(out));
    return ret;
}

uint32_t
ntlm_sign_crypt(struct ntlm_sign_dir *dir, uint8_t *data, size_t len)
{
    uint32_t ret = dir_stream(dir);

    return ret ? ret : ntlm_rc4_update(dir->rc4, data, data, len);
}
