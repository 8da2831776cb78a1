/* The test client of ntlm_craft.h: NTLMv2 responses built from the core's functions. */
#include "ntlm_craft.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gss_test_env.h"
#include "ntlm_auth.h"
#include "ntlm_errors.h"
#include "ntlm_message.h"

static const struct ntlm_version craft_version = {10, 0, 19041, 15};

uint32_t
craft_negotiate(struct ntlm_buf *out)
{
    return craft_negotiate_without(0, out);
}

uint32_t
craft_negotiate_without(uint32_t drop, struct ntlm_buf *out)
{
    struct ntlm_negotiate_fields neg = {0};

    neg.flags = NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_REQUEST_TARGET | NTLMSSP_NEGOTIATE_NTLM |
                NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_ALWAYS_SIGN |
                NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_128 |
                NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_KEY_EXCH | NTLMSSP_NEGOTIATE_VERSION;
    neg.flags &= ~drop;
    neg.has_version = true;
    neg.version = craft_version;
    return ntlm_negotiate_encode(&neg, out);
}

static uint64_t
filetime_at(long offset)
{
    return ((uint64_t)(time(NULL) + offset) + 11644473600ULL) * 10000000ULL;
}

/* The responses an AUTHENTICATE borrows: the NT response in nt, the LM one in lm. */
struct craft_responses {
    struct ntlm_buf nt;
    uint8_t lm[24];
    uint8_t nt_v1[24];
};

static uint32_t
craft_v2_responses(const struct craft *c, const struct ntlm_challenge *chal,
                   struct ntlm_authenticate_fields *auth, struct craft_responses *r,
                   uint8_t base_key[16])
{
    const char *user = c->user ? c->user : TEST_USER;
    const char *domain = c->domain ? c->domain : TEST_DOMAIN;
    struct ntlm_buf av = NTLM_BUF_INIT, blob = NTLM_BUF_INIT;
    struct ntlm_buf *nt = &r->nt;
    uint8_t nt_hash[16], ntowf[16], proof[16], client_challenge[8];
    uint32_t ret;

    ret = ntlm_nt_hash(c->password ? c->password : TEST_PASSWORD, nt_hash);
    if (ret == 0)
        ret = ntlm_ntowfv2(nt_hash, user, domain, ntowf);
    if (ret == 0)
        ret = ntlm_random(client_challenge, sizeof(client_challenge));
    if (ret == 0)
        ret = ntlm_av_rewrite_for_client(chal->target_info, chal->target_info_len, &chal->av,
                                         (c->with_mic ? NTLM_AVF_MIC_PRESENT : 0) | c->av_flags,
                                         c->cb_hash,
                                         c->no_target        ? NULL
                                         : c->target != NULL ? c->target
                                                             : CRAFT_TARGET,
                                         &av);
    if (ret == 0)
        ret = ntlm_v2_blob_encode(filetime_at(c->time_offset), client_challenge, av.data, av.len,
                                  &blob);
    if (ret == 0)
        ret = ntlm_v2_nt_proof(ntowf, chal->server_challenge, blob.data, blob.len, proof);
    if (ret == 0)
        ret = ntlm_v2_session_base_key(ntowf, proof, base_key);
    ntlm_buf_add(nt, proof, sizeof(proof));
    ntlm_buf_add(nt, blob.data, blob.len);
    if (ret == 0)
        ret = ntlm_buf_status(nt);
    if (ret == 0) {
        auth->nt_response = nt->data;
        auth->nt_response_len = nt->len;
        auth->lm_response = r->lm;
        auth->lm_response_len = 24;
        auth->user = user;
        auth->domain = domain;
    }
    ntlm_buf_free(&av);
    ntlm_buf_free(&blob);
    return ret;
}

/* NTLMv1 with extended session security: DESL over MD5(server || client challenge). */
static uint32_t
craft_v1_responses(const struct craft *c, const struct ntlm_challenge *chal,
                   struct ntlm_authenticate_fields *auth, struct craft_responses *r,
                   uint8_t kxkey[16])
{
    static const uint8_t no_lm_hash[16];
    uint8_t nt_hash[16], base[16], challenge[8];
    uint32_t ret;

    memset(r->lm, 0, sizeof(r->lm));
    auth->lm_response = r->lm;
    auth->nt_response = r->nt_v1;
    auth->lm_response_len = 24;
    auth->nt_response_len = 24;
    ret = ntlm_nt_hash(c->password ? c->password : TEST_PASSWORD, nt_hash);
    if (ret == 0)
        ret = ntlm_random(r->lm, 8);
    if (ret == 0)
        ret = ntlm_v1_ess_challenge(chal->server_challenge, r->lm, challenge);
    if (ret == 0)
        ret = ntlm_desl(nt_hash, challenge, r->nt_v1);
    if (ret == 0)
        ret = ntlm_v1_session_base_key(nt_hash, base);
    if (ret == 0)
        ret = ntlm_v1_kxkey(chal->flags, base, r->lm, no_lm_hash, chal->server_challenge, kxkey);
    auth->user = c->user ? c->user : TEST_USER;
    auth->domain = c->domain ? c->domain : TEST_DOMAIN;
    return ret;
}

uint32_t
craft_authenticate(const struct craft *c, const struct ntlm_buf *negotiate,
                   const uint8_t *challenge, size_t challenge_len, struct ntlm_buf *out)
{
    static const uint8_t zeros[256];
    struct ntlm_challenge chal = {0};
    struct ntlm_authenticate_fields auth = {0};
    struct craft_responses r = {NTLM_BUF_INIT, {0}, {0}};
    struct ntlm_iov msgs[3];
    uint8_t base_key[16], exported[16], enc_key[16], mic[16];
    size_t mic_offset = 0;
    uint32_t ret;

    ret = ntlm_challenge_decode(challenge, challenge_len, &chal);
    if (ret)
        goto done;
    auth.flags = chal.flags & ~c->authenticate_drop;
    auth.workstation = CRAFT_WORKSTATION;
    auth.has_version = true;
    auth.version = craft_version;
    if (c->anonymous) {
        auth.flags |= NTLMSSP_ANONYMOUS;
        auth.user = "";
        auth.domain = "";
        if (c->anonymous_lm_len > sizeof(zeros)) {
            ret = NTLM_ERR_INVALID_ARG;
            goto done;
        }
        auth.lm_response_len = c->anonymous_lm_len;
        auth.lm_response = c->anonymous_lm_len ? zeros : NULL;
        ret = ntlm_authenticate_encode(&auth, false, out, NULL);
        goto done;
    }
    ret = c->ntlmv1 ? craft_v1_responses(c, &chal, &auth, &r, base_key)
                    : craft_v2_responses(c, &chal, &auth, &r, base_key);
    if (ret == 0)
        ret = ntlm_random(exported, sizeof(exported));
    if (ret)
        goto done;
    auth.session_key = enc_key;
    auth.session_key_len = 16;
    ret = ntlm_rc4k(base_key, 16, exported, enc_key, 16);
    if (ret == 0)
        ret = ntlm_authenticate_encode(&auth, c->with_mic, out, &mic_offset);
    if (ret || !c->with_mic)
        goto done;
    msgs[0] = (struct ntlm_iov){negotiate->data, negotiate->len};
    msgs[1] = (struct ntlm_iov){challenge, challenge_len};
    msgs[2] = (struct ntlm_iov){out->data, out->len};
    ret = ntlm_mic(exported, msgs, mic);
    if (c->corrupt_mic)
        mic[0] ^= 1;
    ntlm_buf_put_at(out, mic_offset, mic, sizeof(mic));
    if (ret == 0)
        ret = ntlm_buf_status(out);
done:
    if (ret == 0 && c->truncated)
        out->len = 60;
    ntlm_buf_free(&r.nt);
    ntlm_challenge_free(&chal);
    return ret;
}
