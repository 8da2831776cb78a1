/*
 * MS-NLMP authentication math (3.3 and 3.4.5.1): the one-way functions, NTLMv1/LM and NTLMv2
 * responses, key exchange keys, the MIC and the channel-binding hash.
 */
#include "ntlm_auth.h"

#include <stdlib.h>
#include <string.h>

#include "ntlm_endian.h"
#include "ntlm_errors.h"
#include "ntlm_message.h"
#include "ntlm_unicode.h"

/* LM hashes pad or truncate the OEM password to this many bytes (two DES keys). */
#define LM_PASSWORD_LEN 14

uint32_t
ntlm_nt_hash(const char *password, uint8_t out[16])
{
    uint8_t *utf16 = NULL;
    size_t utf16_len = 0;
    uint32_t ret;

    ret = ntlm_utf8_to_utf16le(password, false, &utf16, &utf16_len);
    if (ret)
        goto done;
    ret = ntlm_md4(utf16, utf16_len, out);
done:
    if (utf16 != NULL)
        ntlm_wipe(utf16, utf16_len);
    free(utf16);
    return ret;
}

uint32_t
ntlm_lm_hash(const char *password, uint8_t out[16])
{
    static const uint8_t magic[8] = {'K', 'G', 'S', '!', '@', '#', '$', '%'};
    uint8_t padded[LM_PASSWORD_LEN] = {0};
    uint8_t hash[16];
    uint8_t *oem = NULL;
    size_t oem_len = 0;
    uint32_t ret;

    /* A password with characters outside OEM has no LM hash; say so rather than guess one. */
    ret = ntlm_utf8_to_oem(password, true, &oem, &oem_len);
    if (ret)
        goto done;
    /* An empty password converts to no buffer at all (oem == NULL). */
    if (oem_len > 0)
        memcpy(padded, oem, oem_len < LM_PASSWORD_LEN ? oem_len : LM_PASSWORD_LEN);
    ret = ntlm_des7(padded, magic, hash);
    if (ret)
        goto done;
    ret = ntlm_des7(padded + 7, magic, hash + 8);
    if (ret)
        goto done;
    memcpy(out, hash, 16);
done:
    ntlm_wipe(hash, sizeof(hash));
    ntlm_wipe(padded, sizeof(padded));
    if (oem != NULL)
        ntlm_wipe(oem, oem_len);
    free(oem);
    return ret;
}

uint32_t
ntlm_ntowfv2(const uint8_t nt_hash[16], const char *user, const char *domain, uint8_t out[16])
{
    struct ntlm_iov iov[2];
    uint8_t *user16 = NULL, *domain16 = NULL;
    size_t user16_len = 0, domain16_len = 0;
    uint32_t ret;

    ret = ntlm_utf8_to_utf16le(user, true, &user16, &user16_len);
    if (ret)
        goto done;
    ret = ntlm_utf8_to_utf16le(domain, false, &domain16, &domain16_len);
    if (ret)
        goto done;
    iov[0] = (struct ntlm_iov){user16, user16_len};
    iov[1] = (struct ntlm_iov){domain16, domain16_len};
    ret = ntlm_hmac_md5(nt_hash, 16, iov, 2, out);
done:
    free(domain16);
    free(user16);
    return ret;
}

uint32_t
ntlm_v2_nt_proof(const uint8_t ntowfv2[16], const uint8_t server_challenge[8], const uint8_t *blob,
                 size_t blob_len, uint8_t proof[16])
{
    const struct ntlm_iov iov[2] = {{server_challenge, 8}, {blob, blob_len}};

    return ntlm_hmac_md5(ntowfv2, 16, iov, 2, proof);
}

uint32_t
ntlm_v2_lm_response(const uint8_t ntowfv2[16], const uint8_t server_challenge[8],
                    const uint8_t client_challenge[8], uint8_t out[24])
{
    const struct ntlm_iov iov[2] = {{server_challenge, 8}, {client_challenge, 8}};
    uint32_t ret;

    ret = ntlm_hmac_md5(ntowfv2, 16, iov, 2, out);
    if (ret)
        return ret;
    memcpy(out + 16, client_challenge, 8);
    return 0;
}

uint32_t
ntlm_v2_session_base_key(const uint8_t ntowfv2[16], const uint8_t proof[16], uint8_t out[16])
{
    const struct ntlm_iov iov = {proof, 16};

    return ntlm_hmac_md5(ntowfv2, 16, &iov, 1, out);
}

uint32_t
ntlm_v2_proof_and_base_key(const uint8_t ntowfv2[16], const uint8_t server_challenge[8],
                           const uint8_t *blob, size_t blob_len, uint8_t proof[16],
                           uint8_t base_key[16])
{
    const struct ntlm_iov iov[2] = {{server_challenge, 8}, {blob, blob_len}};
    struct ntlm_hmac_md5_key k;
    struct ntlm_iov proof_iov;
    uint8_t p[16];
    uint32_t ret;

    ret = ntlm_hmac_md5_key(ntowfv2, 16, &k);
    if (ret == 0)
        ret = ntlm_hmac_md5_keyed(&k, iov, 2, p);
    proof_iov = (struct ntlm_iov){p, sizeof(p)};
    if (ret == 0)
        ret = ntlm_hmac_md5_keyed(&k, &proof_iov, 1, base_key);
    if (ret == 0)
        memcpy(proof, p, sizeof(p));
    ntlm_wipe(&k, sizeof(k));
    ntlm_wipe(p, sizeof(p));
    return ret;
}

uint32_t
ntlm_desl(const uint8_t key[16], const uint8_t challenge[8], uint8_t out[24])
{
    uint8_t key21[21] = {0};
    uint8_t resp[24];
    uint32_t ret;
    int i;

    memcpy(key21, key, 16);
    for (i = 0; i < 3; i++) {
        ret = ntlm_des7(key21 + 7 * i, challenge, resp + 8 * i);
        if (ret)
            goto done;
    }
    memcpy(out, resp, sizeof(resp));
done:
    ntlm_wipe(resp, sizeof(resp));
    ntlm_wipe(key21, sizeof(key21));
    return ret;
}

uint32_t
ntlm_v1_ess_challenge(const uint8_t server_challenge[8], const uint8_t client_challenge[8],
                      uint8_t out[8])
{
    const struct ntlm_iov iov[2] = {{server_challenge, 8}, {client_challenge, 8}};
    uint8_t hash[16];
    uint32_t ret;

    ret = ntlm_md5(iov, 2, hash);
    if (ret == 0)
        memcpy(out, hash, 8);
    return ret;
}

uint32_t
ntlm_v1_session_base_key(const uint8_t nt_hash[16], uint8_t out[16])
{
    return ntlm_md4(nt_hash, 16, out);
}

uint32_t
ntlm_v1_kxkey(uint32_t flags, const uint8_t session_base_key[16], const uint8_t lm_response[24],
              const uint8_t lm_hash[16], const uint8_t server_challenge[8], uint8_t out[16])
{
    uint8_t key[16] = {0};
    uint8_t second_des_key[7];
    uint32_t ret = 0;

    if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        const struct ntlm_iov iov[2] = {{server_challenge, 8}, {lm_response, 8}};

        ret = ntlm_hmac_md5(session_base_key, 16, iov, 2, key);
    } else if (flags & NTLMSSP_NEGOTIATE_LM_KEY) {
        second_des_key[0] = lm_hash[7];
        memset(second_des_key + 1, 0xBD, 6);
        ret = ntlm_des7(lm_hash, lm_response, key);
        if (ret == 0)
            ret = ntlm_des7(second_des_key, lm_response, key + 8);
    } else if (flags & NTLMSSP_REQUEST_NON_NT_SESSION_KEY) {
        memcpy(key, lm_hash, 8);
    } else {
        memcpy(key, session_base_key, 16);
    }
    if (ret == 0)
        memcpy(out, key, 16);
    ntlm_wipe(second_des_key, sizeof(second_des_key));
    ntlm_wipe(key, sizeof(key));
    return ret;
}

uint32_t
ntlm_mic(const uint8_t exported_session_key[16], const struct ntlm_iov messages[3], uint8_t out[16])
{
    return ntlm_hmac_md5(exported_session_key, 16, messages, 3, out);
}

uint32_t
ntlm_channel_bindings_hash(uint32_t initiator_type, const void *initiator, size_t initiator_len,
                           uint32_t acceptor_type, const void *acceptor, size_t acceptor_len,
                           const void *application, size_t application_len, uint8_t out[16])
{
    uint8_t init_type[4], init_len[4], acc_type[4], acc_len[4], app_len[4];
    const struct ntlm_iov iov[8] = {
        {init_type, 4},
        {init_len, 4},
        {initiator, initiator_len},
        {acc_type, 4},
        {acc_len, 4},
        {acceptor, acceptor_len},
        {app_len, 4},
        {application, application_len},
    };

    /* The layout has 32-bit length fields; longer buffers cannot be represented. */
    if (initiator_len > UINT32_MAX || acceptor_len > UINT32_MAX || application_len > UINT32_MAX)
        return NTLM_ERR_INVALID_ARG;
    ntlm_put_le32(init_type, initiator_type);
    ntlm_put_le32(init_len, (uint32_t)initiator_len);
    ntlm_put_le32(acc_type, acceptor_type);
    ntlm_put_le32(acc_len, (uint32_t)acceptor_len);
    ntlm_put_le32(app_len, (uint32_t)application_len);
    return ntlm_md5(iov, 8, out);
}
