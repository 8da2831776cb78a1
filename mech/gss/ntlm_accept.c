/*
 * The acceptor state machine: NEGOTIATE -> CHALLENGE, then AUTHENTICATE verified against the
 * user database or by a domain controller through winbindd (NTLMv2; NTLMv1 only when
 * configured) or accepted as a NULL session (when configured), with key exchange, MIC, channel
 * bindings, the target name (service binding and reflection, ntlm_binding.h) and freshness
 * checked under the policies of ntlm_policy.h before the session keys are derived, and one
 * audit line.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ntlm_audit.h"
#include "ntlm_auth.h"
#include "ntlm_binding.h"
#include "ntlm_config.h"
#include "ntlm_debug.h"
#include "ntlm_errors.h"
#include "ntlm_gss_context.h"
#include "ntlm_gss_creds.h"
#include "ntlm_gss_mech.h"
#include "ntlm_gss_names.h"
#include "ntlm_lockout.h"
#include "ntlm_message.h"
#include "ntlm_policy.h"
#include "ntlm_unicode.h"
#include "ntlm_userdb.h"
#include "ntlm_winbind.h"

/* What the acceptor is willing to grant; the client's NEGOTIATE flags pick from these. */
#define ACCEPT_OFFERABLE                                                                           \
    (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_ALWAYS_SIGN |             \
     NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_IDENTIFY |                     \
     NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_KEY_EXCH |                   \
     NTLMSSP_NEGOTIATE_VERSION | NTLMSSP_REQUEST_TARGET)

/* Flags the AUTHENTICATE message may withdraw (never add). */
#define SESSION_FLAGS                                                                              \
    (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_ALWAYS_SIGN |             \
     NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_IDENTIFY |                     \
     NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_KEY_EXCH)

static uint32_t
build_challenge(struct ntlm_ctx *ctx, const struct ntlm_config *cfg,
                const struct ntlm_negotiate *neg)
{
    struct ntlm_av_info av = {0};
    struct ntlm_buf ti = NTLM_BUF_INIT;
    struct ntlm_challenge_fields chal = {0};
    uint32_t flags, ret;

    flags = (neg->flags & ACCEPT_OFFERABLE) | NTLMSSP_NEGOTIATE_NTLM |
            NTLMSSP_NEGOTIATE_TARGET_INFO | NTLMSSP_TARGET_TYPE_DOMAIN;
    if (neg->flags & NTLMSSP_NEGOTIATE_UNICODE)
        flags |= NTLMSSP_NEGOTIATE_UNICODE;
    else if (neg->flags & NTLMSSP_NEGOTIATE_OEM)
        flags |= NTLMSSP_NEGOTIATE_OEM;
    else {
        ntlm_debug("accept: client offers neither UNICODE nor OEM");
        ret = NTLM_ERR_FLAGS_UNACCEPTABLE;
        goto done;
    }
    /* Sealing implies signing. */
    if (flags & NTLMSSP_NEGOTIATE_SEAL)
        flags |= NTLMSSP_NEGOTIATE_SIGN;
    /*
     * A client (or a man in the middle) that withholds 128-bit keys or ESS gets no signing or
     * sealing rather than weak keys: a man in the middle could strip SIGN as easily, and the
     * logon itself still works (Heimdal 7.8 asks for SIGN and SEAL without 128 or 56).
     */
    if (ntlm_policy_session_security(cfg->min_session_security, flags) != 0) {
        ntlm_debug_flags("accept: min_session_security: no signing or sealing for flags", flags);
        flags &= ~(NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL);
    }
    ret = ntlm_random(ctx->server_challenge, sizeof(ctx->server_challenge));
    if (ret)
        goto done;
    /* No MsvAvFlags here: an empty one made Windows clients' MICs fail (gss-ntlmssp PR 98). */
    av.nb_domain = cfg->netbios_domain;
    av.nb_computer = cfg->netbios_name;
    av.dns_domain = cfg->dns_domain != NULL && cfg->dns_domain[0] != '\0' ? cfg->dns_domain : NULL;
    av.dns_computer = cfg->dns_name;
    av.has_timestamp = true;
    av.timestamp = ntlm_filetime_now();
    ret = ntlm_av_encode(&av, &ti);
    if (ret)
        goto done;
    chal.flags = flags;
    /*
     * TargetName names the realm whether or not the client asked for it (REQUEST_TARGET is
     * echoed only when asked): Windows does so (the MS-NLMP 4.2.4 CHALLENGE carries TargetName
     * "Server" under flags 0xe28a8233, without REQUEST_TARGET), and clients that never ask
     * depend on it. Apache HttpClient 4.5 answers NTLMv2 only when TargetName is non-empty,
     * NTLMv1 otherwise; go-ntlmssp and Heimdal take the AUTHENTICATE's domain from it.
     * TARGET_TYPE_DOMAIN says the name is our domain.
     */
    chal.target_name = cfg->netbios_domain;
    memcpy(chal.server_challenge, ctx->server_challenge, 8);
    chal.target_info = ti.data;
    chal.target_info_len = ti.len;
    chal.has_version = true;
    chal.version = ntlm_our_version;
    ret = ntlm_challenge_encode(&chal, &ctx->challenge_msg);
    if (ret)
        goto done;
    ctx->neg_flags = flags;
    ntlm_debug_flags("accept: CHALLENGE sent, flags", flags);
    ntlm_debug("accept: CHALLENGE target info: NbDomain=%s NbComputer=%s DnsDomain=%s "
               "DnsComputer=%s Timestamp",
               av.nb_domain, av.nb_computer, av.dns_domain != NULL ? av.dns_domain : "-",
               av.dns_computer);
done:
    ntlm_buf_free(&ti);
    return ret;
}

/*
 * First leg: the NEGOTIATE message, and the acceptor's environment and user database, fixed
 * for the exchange: the credential's own user file (cred store), else the one the settings
 * name now.
 */
static uint32_t
accept_negotiate(struct ntlm_ctx *ctx, const struct ntlm_settings *settings,
                 const struct ntlm_cred *cred, const gss_buffer_t input)
{
    const struct ntlm_config *cfg = &settings->cfg;
    struct ntlm_negotiate neg = {0};
    struct ntlm_cred *fallback = NULL;
    struct ntlm_userdb *db;
    OM_uint32 tmp;
    uint32_t ret;

    if (cred == NULL) {
        ntlm_debug("accept: no acceptor credential passed, acquiring the default one");
        if (ntlm_gss_acquire_cred_from(&tmp, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET, GSS_C_ACCEPT,
                                       GSS_C_NO_CRED_STORE, (gss_cred_id_t *)&fallback, NULL,
                                       NULL) != GSS_S_COMPLETE)
            return tmp;
        cred = fallback;
    }
    db = cred->userdb != NULL ? cred->userdb : settings->userdb;
    if (cred->usage == GSS_C_INITIATE || (db == NULL && cfg->winbind == NTLM_WINBIND_NO)) {
        ntlm_debug("accept: the credential has no acceptor part (no user file)");
        ret = NTLM_ERR_WRONG_CRED_USAGE;
        goto done;
    }
    ctx->env = ntlm_env_ref(settings->env);
    ctx->userdb = ntlm_userdb_ref(db);
    if (cred->acceptor_name != NULL) {
        ret = ntlm_name_copy(cred->acceptor_name, &ctx->targ_name);
        if (ret)
            goto done;
    }
    ret = ntlm_negotiate_decode(input->value, input->length, &neg);
    if (ret) {
        ntlm_debug("accept: NEGOTIATE (%zu bytes) undecodable", (size_t)input->length);
        goto done;
    }
    ntlm_debug_flags("accept: NEGOTIATE received, client flags", neg.flags);
    if (neg.ignored)
        ntlm_debug("accept: NEGOTIATE domain, workstation and version ignored (%s)",
                   ntlm_error_message(neg.ignored));
    ntlm_buf_add(&ctx->negotiate_msg, input->value, input->length);
    ret = ntlm_buf_status(&ctx->negotiate_msg);
    if (ret)
        goto done;
    ret = build_challenge(ctx, cfg, &neg);
    if (ret)
        goto done;
    ctx->stage = NTLM_STAGE_ACCEPT_WAIT_AUTHENTICATE;
done:
    ntlm_negotiate_free(&neg);
    ntlm_cred_free(fallback);
    return ret;
}

/* NTLMv2: checks NTProofStr and yields the session base key (which is also the KXKEY). */
static uint32_t
verify_v2(struct ntlm_ctx *ctx, const struct ntlm_authenticate *auth, const uint8_t nt_hash[16],
          const struct ntlm_v2_blob *blob, uint8_t kxkey[16])
{
    uint8_t ntowf[16], proof[16], base[16];
    uint32_t ret;

    ret = ntlm_ntowfv2(nt_hash, auth->user, auth->domain, ntowf);
    if (ret == 0)
        ret = ntlm_v2_proof_and_base_key(ntowf, ctx->server_challenge, blob->blob,
                                         blob->blob_len, proof, base);
    if (ret == 0 && !ntlm_ct_equal(proof, blob->proof, 16))
        ret = NTLM_ERR_WRONG_PASSWORD;
    /* The proofs are equal, so this is also the key of the client's proof. */
    if (ret == 0)
        memcpy(kxkey, base, 16);
    ntlm_wipe(ntowf, sizeof(ntowf));
    ntlm_wipe(proof, sizeof(proof));
    ntlm_wipe(base, sizeof(base));
    return ret;
}

/* The challenge an NTLMv1 response answers: the server's, or with ESS (in the flags this
 * attempt negotiates) the one mixed with the client's (the first 8 bytes of its LM response
 * field). */
static uint32_t
v1_challenge(const struct ntlm_ctx *ctx, uint32_t flags, const struct ntlm_authenticate *auth,
             uint8_t challenge[8])
{
    if (!(flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)) {
        memcpy(challenge, ctx->server_challenge, 8);
        return 0;
    }
    if (auth->lm_response_len < 8)
        return NTLM_ERR_NT_RESPONSE_SHORT;
    return ntlm_v1_ess_challenge(ctx->server_challenge, auth->lm_response, challenge);
}

/* An NTLMv1 KXKEY from the session base key. LM_KEY and NON_NT_SESSION_KEY are never granted,
 * so no LM hash is needed. */
static uint32_t
v1_kxkey(const struct ntlm_ctx *ctx, uint32_t flags, const struct ntlm_authenticate *auth,
         const uint8_t base[16], uint8_t kxkey[16])
{
    static const uint8_t no_lm_hash[16];

    if (auth->lm_response_len != 24) {
        memcpy(kxkey, base, 16);
        return 0;
    }
    return ntlm_v1_kxkey(flags, base, auth->lm_response, no_lm_hash, ctx->server_challenge, kxkey);
}

/* NTLMv1 (policy permitting): DESL over the server or ESS challenge. */
static uint32_t
verify_v1(struct ntlm_ctx *ctx, uint32_t flags, const struct ntlm_authenticate *auth,
          const uint8_t nt_hash[16], uint8_t kxkey[16])
{
    uint8_t challenge[8], expected[24], base[16];
    uint32_t ret;

    ret = v1_challenge(ctx, flags, auth, challenge);
    if (ret == 0)
        ret = ntlm_desl(nt_hash, challenge, expected);
    if (ret == 0 && !ntlm_ct_equal(expected, auth->nt_response, 24))
        ret = NTLM_ERR_WRONG_PASSWORD;
    if (ret == 0)
        ret = ntlm_v1_session_base_key(nt_hash, base);
    if (ret == 0)
        ret = v1_kxkey(ctx, flags, auth, base, kxkey);
    ntlm_wipe(expected, sizeof(expected));
    ntlm_wipe(base, sizeof(base));
    return ret;
}

/* MIC over NEGOTIATE || CHALLENGE || AUTHENTICATE with its MIC field zeroed (as decoded). */
static uint32_t
verify_mic(struct ntlm_ctx *ctx, const uint8_t exported_key[16],
           const struct ntlm_authenticate *auth)
{
    uint8_t mic[16];
    struct ntlm_iov msgs[3];
    uint32_t ret;

    if (!auth->has_mic_space)
        return NTLM_ERR_NO_MIC_SPACE;
    msgs[0] = (struct ntlm_iov){ctx->negotiate_msg.data, ctx->negotiate_msg.len};
    msgs[1] = (struct ntlm_iov){ctx->challenge_msg.data, ctx->challenge_msg.len};
    msgs[2] = (struct ntlm_iov){auth->msg, auth->msg_len};
    ret = ntlm_mic(exported_key, msgs, mic);
    if (ret == 0 && !ntlm_ct_equal(mic, auth->mic, 16))
        ret = NTLM_ERR_MIC_MISMATCH;
    ntlm_wipe(mic, sizeof(mic));
    return ret;
}

static bool
all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;

    while (n--)
        acc |= *p++;
    return acc == 0;
}

/*
 * Channel bindings under the channel_bindings policy. av is the client's NTLMv2 AV pairs,
 * NULL when it sent none (NTLMv1, anonymous). *bound: the client proved the same channel.
 */
static uint32_t
check_bindings(const struct ntlm_config *cfg, const gss_channel_bindings_t cb,
               const struct ntlm_av_info *av, enum ntlm_cb_status *status, bool *bound)
{
    const uint8_t *client = NULL;
    uint8_t expected[16];
    bool have_expected = false;
    uint32_t ret;

    *bound = false;
    /* A zero hash is what clients without bindings send (MS-NLMP 3.1.5.1.2). */
    if (av != NULL && av->has_channel_bindings && !all_zero(av->channel_bindings, 16))
        client = av->channel_bindings;
    if (cb != GSS_C_NO_CHANNEL_BINDINGS && cfg->channel_bindings != NTLM_CB_NEVER) {
        ret = ntlm_channel_bindings_hash(
            cb->initiator_addrtype, cb->initiator_address.value, cb->initiator_address.length,
            cb->acceptor_addrtype, cb->acceptor_address.value, cb->acceptor_address.length,
            cb->application_data.value, cb->application_data.length, expected);
        if (ret)
            return ret;
        have_expected = true;
    }
    ret = ntlm_policy_bindings(cfg->channel_bindings, have_expected ? expected : NULL, client,
                               status);
    *bound = ret == 0 && *status == NTLM_CB_MATCHED;
    return ret;
}

/* The MIC of an NTLMv2 AUTHENTICATE under the mic policy, keyed with the attempt's key. */
static uint32_t
check_mic(struct ntlm_ctx *ctx, const struct ntlm_config *cfg, const uint8_t exported_key[16],
          const struct ntlm_authenticate *auth, const struct ntlm_av_info *av,
          enum ntlm_mic_status *status)
{
    bool verify;
    uint32_t ret;

    ret = ntlm_policy_mic(cfg->mic, av->has_flags && (av->av_flags & NTLM_AVF_MIC_PRESENT), &verify,
                          status);
    if (ret || !verify)
        return ret;
    ret = verify_mic(ctx, exported_key, auth);
    if (ret == 0)
        *status = NTLM_MIC_VERIFIED;
    else if (ret == NTLM_ERR_MIC_MISMATCH)
        *status = NTLM_MIC_MISMATCH;
    return ret;
}

/*
 * The target name under service_binding, and reflection. av: the client's NTLMv2 AV pairs,
 * NULL for NTLMv1, which has no room for a target name.
 */
static uint32_t
check_target(const struct ntlm_ctx *ctx, const struct ntlm_config *cfg,
             const struct ntlm_av_info *av, struct ntlm_audit_record *rec)
{
    const char *target = av != NULL ? av->target_name : NULL;
    bool untrusted = av != NULL && av->has_flags && (av->av_flags & NTLM_AVF_UNTRUSTED_SPN);
    struct ntlm_acceptor_id id = {NULL, NULL};
    bool answered_here;
    uint32_t ret;

    if (ctx->targ_name != NULL && ctx->targ_name->kind == NTLM_NAME_SERVICE)
        id = (struct ntlm_acceptor_id){ctx->targ_name->user, ctx->targ_name->domain};
    answered_here =
        ntlm_answered_take(ntlm_env_answered(ctx->env), ctx->server_challenge, time(NULL));
    ret = ntlm_policy_target(cfg, &id, target, untrusted, answered_here, &rec->target_status);
    ntlm_debug("accept: target name %s%s: %s (service_binding = %s%s)%s%s",
               target != NULL ? target : "-", untrusted ? " (untrusted)" : "",
               ntlm_audit_target_text(rec->target_status),
               cfg->service_binding == NTLM_SB_NEVER      ? "never"
               : cfg->service_binding == NTLM_SB_REQUIRED ? "required"
                                                          : "when_present",
               answered_here ? ", answered by this process's initiator" : "", ret ? ": " : "",
               ret ? ntlm_error_message(ret) : "");
    return ret;
}

/*
 * The authenticated name: the user as the database spells it, in the entry's domain, or for
 * an entry that matches any domain in the acceptor's own NetBIOS domain, as Windows names a
 * local account (COMPUTER\user) whatever domain the client typed. Never the client's domain:
 * CORP\carol and BANK\carol would otherwise be two names for one account, the client
 * choosing which (and gss_localname's domain rule would follow the client's choice).
 */
static uint32_t
authenticated_name(const struct ntlm_user_entry *entry, const struct ntlm_config *cfg,
                   struct ntlm_name **out)
{
    const char *domain = entry->domain[0] != '\0' ? entry->domain : cfg->netbios_domain;

    return ntlm_name_new(NTLM_NAME_USER, entry->user, domain, out);
}

/*
 * The lockout policy's verdict on a response checked against the user file. ret is the
 * verification's outcome, entry the account (NULL for an unknown user). Only the user file's
 * accounts are counted, under the names the file gives them, so that a client cannot start
 * a fresh count by spelling the domain or the case differently; an unknown user is read as if
 * it were one (the same work) but never counted, so that made-up names cannot fill the table.
 */
static uint32_t
lockout_verdict(const struct ntlm_ctx *ctx, const struct ntlm_config *cfg,
                const struct ntlm_authenticate *auth, const struct ntlm_user_entry *entry,
                uint32_t ret, struct ntlm_audit_record *rec)
{
    const struct ntlm_lockout_policy policy = {cfg->lockout_threshold, cfg->lockout_window,
                                               cfg->lockout_duration};
    struct ntlm_lockout *table;
    struct ntlm_lockout_key key;
    time_t now = time(NULL);
    uint32_t verdict;

    if (policy.threshold == 0 || (ret != 0 && ret != NTLM_ERR_WRONG_PASSWORD))
        return ret;
    table = ntlm_env_lockout(ctx->env, cfg);
    if (table == NULL)
        return NTLM_ERR_NOMEM;
    verdict = entry != NULL ? ntlm_lockout_key(table, entry->domain, entry->user, &key)
                            : ntlm_lockout_key(table, auth->domain, auth->user, &key);
    if (verdict)
        return verdict;
    if (entry == NULL) {
        (void)ntlm_lockout_check(table, &policy, &key, now);
        return ret;
    }
    if (ret == 0)
        verdict = ntlm_lockout_success(table, &policy, &key, now);
    else
        verdict = ntlm_lockout_failure(table, &policy, &key, now, &rec->locked_out_now);
    if (verdict == NTLM_ERR_LOCKED_OUT)
        ntlm_debug("accept: account locked out (lockout_threshold %u, lockout_duration %us): "
                   "refused whatever the password",
                   policy.threshold, policy.duration);
    else if (rec->locked_out_now)
        ntlm_debug("accept: failed logon %u in a row: the account is now locked out for %us",
                   policy.threshold, policy.duration);
    return verdict != 0 ? verdict : ret;
}

/*
 * The response checked against the acceptor's user file: *who and the KXKEY on success. An
 * unknown user costs what a wrong password does (the same proof computed, against a hash that
 * no account has, and the same lockout read), so that timing does not tell which names exist.
 */
static uint32_t
check_with_user_file(struct ntlm_ctx *ctx, const struct ntlm_config *cfg, uint32_t flags,
                     const struct ntlm_authenticate *auth, const struct ntlm_v2_blob *blob,
                     uint8_t kxkey[16], struct ntlm_name **who, struct ntlm_audit_record *rec)
{
    static const uint8_t no_account_hash[16];
    struct ntlm_user_entry entry = {0};
    uint32_t ret, found;

    /* The logon's one look at the file: a stat, and a read only when it changed. */
    found = ntlm_userdb_lookup(ctx->userdb, auth->user, auth->domain, &entry);
    if (found && found != NTLM_ERR_UNKNOWN_USER) {
        ntlm_debug("accept: user file %s unusable: %s", ntlm_userdb_path(ctx->userdb),
                   ntlm_error_message(found));
        ret = found;
        goto done;
    }
    if (found)
        ntlm_debug("accept: user lookup for \"%s\" in domain \"%s\": %s", auth->user, auth->domain,
                   ntlm_error_message(found));
    else
        ntlm_debug("accept: user lookup: found as \"%s\" in domain \"%s\"", entry.user,
                   entry.domain[0] != '\0' ? entry.domain : "(any)");
    ret = blob != NULL ? verify_v2(ctx, auth, found ? no_account_hash : entry.nt_hash, blob, kxkey)
                       : verify_v1(ctx, flags, auth, found ? no_account_hash : entry.nt_hash, kxkey);
    ntlm_debug("accept: password verification (%s): %s", blob != NULL ? "NTLMv2" : "NTLMv1",
               found      ? "unknown user"
               : ret == 0 ? "ok"
                          : ntlm_error_message(ret));
    ret = lockout_verdict(ctx, cfg, auth, found ? NULL : &entry, ret, rec);
    /* Whatever the proof says (a client can compute one from the all-zero hash), an unknown
     * user stays unknown, which is also what sends it on to the domain under winbind. */
    if (found)
        ret = found;
    if (ret == 0)
        ret = authenticated_name(&entry, cfg, who);
done:
    ntlm_user_entry_clear(&entry);
    return ret;
}

/*
 * The response handed to a domain controller through winbindd. Only the NT response goes: it
 * proves the password alone, and an LM response would let the DC accept LM. NTLMv1 with ESS
 * is checked against the challenge ESS mixes in, as the DC computes DESL over what it is given.
 */
static uint32_t
check_with_domain(struct ntlm_ctx *ctx, const struct ntlm_config *cfg, uint32_t flags,
                  const struct ntlm_authenticate *auth, bool v2, uint8_t kxkey[16],
                  struct ntlm_name **who)
{
    struct ntlm_domain_logon in = {0};
    struct ntlm_domain_user dc = {0};
    uint32_t ret = 0;

    in.user = auth->user;
    in.domain = auth->domain;
    in.workstation = auth->workstation;
    in.nt_response = auth->nt_response;
    in.nt_response_len = auth->nt_response_len;
    in.timeout = cfg->winbind_timeout;
    in.max_inflight = cfg->winbind_max_inflight;
    if (v2)
        memcpy(in.challenge, ctx->server_challenge, 8);
    else
        ret = v1_challenge(ctx, flags, auth, in.challenge);
    if (ret == 0)
        ret = ntlm_domain_logon(&in, &dc);
    ntlm_debug("accept: domain logon of \"%s\" in domain \"%s\" through winbind (%s): %s",
               auth->user, auth->domain, v2 ? "NTLMv2" : "NTLMv1",
               ret == 0 ? "ok" : ntlm_error_message(ret));
    if (ret)
        goto done;
    /* The DC's user session key is the session base key, and NTLMv2's KXKEY. */
    if (v2)
        memcpy(kxkey, dc.session_base_key, 16);
    else
        ret = v1_kxkey(ctx, flags, auth, dc.session_base_key, kxkey);
    if (ret == 0)
        ret = ntlm_name_new(NTLM_NAME_USER, dc.user, dc.domain, who);
    if (ret == 0)
        ret = ntlm_name_set_sids(*who, dc.sids);
done:
    ntlm_domain_user_clear(&dc);
    return ret;
}

/* The user file first (unless winbind = only), then the domain for users it does not list. */
static uint32_t
check_response(struct ntlm_ctx *ctx, const struct ntlm_config *cfg, uint32_t flags,
               const struct ntlm_authenticate *auth, const struct ntlm_v2_blob *blob,
               uint8_t kxkey[16], struct ntlm_name **who, struct ntlm_audit_record *rec)
{
    uint32_t ret = NTLM_ERR_UNKNOWN_USER;

    if (ctx->userdb != NULL && cfg->winbind != NTLM_WINBIND_ONLY) {
        ret = check_with_user_file(ctx, cfg, flags, auth, blob, kxkey, who, rec);
        if (ret != NTLM_ERR_UNKNOWN_USER || cfg->winbind == NTLM_WINBIND_NO)
            return ret;
    }
    if (cfg->winbind == NTLM_WINBIND_NO)
        return ret;
    rec->by_domain = true;
    return check_with_domain(ctx, cfg, flags, auth, blob != NULL, kxkey, who);
}

/* MS-NLMP 3.2.5.1.2: no user and no NT response is a NULL session (anonymous) request. */
static bool
is_anonymous(const struct ntlm_authenticate *auth)
{
    return auth->user[0] == '\0' && auth->nt_response_len == 0;
}

/*
 * A NULL session, policy permitting. No password means no session key: the context gets
 * neither signing nor sealing (MS-NLMP 3.2.5.1.2), only GSS_C_ANON_FLAG and the anonymous
 * name.
 */
static uint32_t
accept_anonymous(struct ntlm_ctx *ctx, const struct ntlm_config *cfg, uint32_t flags,
                 const struct ntlm_authenticate *auth, const gss_channel_bindings_t bindings,
                 struct ntlm_audit_record *rec)
{
    struct ntlm_name *anonymous = NULL;
    bool bound;
    uint32_t ret;

    rec->version = NTLM_AUDIT_ANONYMOUS;
    if (!cfg->allow_anonymous) {
        ntlm_debug("accept: anonymous (NULL session) request refused (anonymous = no)");
        return NTLM_ERR_ANONYMOUS_DISABLED;
    }
    /* Anything but an empty or a single zero byte LM response is an LM logon attempt. */
    if (auth->lm_response_len > 1 || (auth->lm_response_len == 1 && auth->lm_response[0] != 0))
        return NTLM_ERR_LM_DISABLED;
    rec->mic = NTLM_MIC_ABSENT;
    ret = check_bindings(cfg, bindings, NULL, &rec->cb, &bound);
    if (ret)
        return ret;
    ret = ntlm_name_new(NTLM_NAME_ANONYMOUS, NULL, NULL, &anonymous);
    if (ret)
        return ret;
    ctx->src_name = anonymous;
    ctx->neg_flags = (flags & ~(NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL |
                                NTLMSSP_NEGOTIATE_ALWAYS_SIGN | NTLMSSP_NEGOTIATE_KEY_EXCH)) |
                     NTLMSSP_ANONYMOUS;
    ntlm_wipe(ctx->exported_key, sizeof(ctx->exported_key));
    ctx->ret_flags = ntlm_ctx_gss_flags(ctx->neg_flags, 0);
    ntlm_ctx_established(ctx);
    ntlm_debug("accept: anonymous session established, no signing or sealing");
    return 0;
}

/*
 * A user logon: the response checked against the user database or by the domain, then the
 * key exchange, the MIC, the channel bindings and the freshness of the response, each under
 * its policy.
 */
static uint32_t
accept_user(struct ntlm_ctx *ctx, const struct ntlm_config *cfg, uint32_t flags,
            const struct ntlm_authenticate *auth, const gss_channel_bindings_t bindings,
            struct ntlm_audit_record *rec)
{
    /* The decoder parsed the NTLMv2 response and its AV pairs. */
    const struct ntlm_v2_blob *blob = &auth->v2;
    const struct ntlm_av_info *av = &auth->v2.av;
    struct ntlm_name *who = NULL;
    uint8_t kxkey[16], exported_key[16];
    bool v2, bound = false;
    uint32_t ret;

    v2 = auth->has_v2;
    rec->version = v2                            ? NTLM_AUDIT_NTLMV2
                   : auth->nt_response_len == 24 ? NTLM_AUDIT_NTLMV1
                                                 : NTLM_AUDIT_LM;
    if (!v2 && auth->nt_response_len != 24) {
        ntlm_debug("accept: LM-only response refused (LM is never accepted)");
        ret = NTLM_ERR_LM_DISABLED;
        goto done;
    }
    if (!v2 && !cfg->allow_ntlmv1) {
        ntlm_debug("accept: NTLMv1 response refused (ntlmv1 = no)");
        ret = NTLM_ERR_NTLMV1_DISABLED;
        goto done;
    }
    /* The AUTHENTICATE may withdraw 128-bit keys or ESS the CHALLENGE granted. */
    ret = ntlm_policy_session_security(cfg->min_session_security, flags);
    if (ret) {
        ntlm_debug_flags("accept: AUTHENTICATE refused by min_session_security, flags", flags);
        goto done;
    }
    if (v2) {
        ntlm_audit_set_target(rec, av->target_name);
        ntlm_debug("accept: NTLMv2 blob: MIC %s, channel bindings %s, target name %s",
                   av->has_flags && (av->av_flags & NTLM_AVF_MIC_PRESENT) ? "announced"
                                                                          : "not announced",
                   av->has_channel_bindings ? "present" : "absent",
                   av->target_name != NULL ? av->target_name : "-");
    }
    ret = check_response(ctx, cfg, flags, auth, v2 ? blob : NULL, kxkey, &who, rec);
    if (ret)
        goto done;
    if (flags & NTLMSSP_NEGOTIATE_KEY_EXCH) {
        if (auth->session_key_len != 16) {
            ntlm_debug("accept: key exchange: encrypted session key is %zu bytes, not 16",
                       auth->session_key_len);
            ret = NTLM_ERR_SESSION_KEY_LENGTH;
            goto done;
        }
        ret = ntlm_rc4k(kxkey, 16, auth->session_key, exported_key, 16);
    } else {
        memcpy(exported_key, kxkey, 16);
    }
    if (ret)
        goto done;
    /* NTLMv1 has no AV pairs, so neither a MIC nor channel bindings. */
    if (v2)
        ret = check_mic(ctx, cfg, exported_key, auth, av, &rec->mic);
    else
        rec->mic = NTLM_MIC_ABSENT;
    ntlm_debug("accept: MIC %s (mic = %s)%s%s", ntlm_audit_mic_text(rec->mic),
               cfg->mic == NTLM_MIC_ALWAYS ? "always" : "when_present", ret ? ": " : "",
               ret ? ntlm_error_message(ret) : "");
    if (ret == 0) {
        ret = check_bindings(cfg, bindings, v2 ? av : NULL, &rec->cb, &bound);
        ntlm_debug("accept: channel bindings %s (acceptor has %s)%s%s", ntlm_audit_cb_text(rec->cb),
                   bindings != GSS_C_NO_CHANNEL_BINDINGS ? "some" : "none", ret ? ": " : "",
                   ret ? ntlm_error_message(ret) : "");
    }
    if (ret == 0)
        ret = check_target(ctx, cfg, v2 ? av : NULL, rec);
    /* Last: only a response that passed every other check is remembered as spent. */
    if (ret == 0 && v2) {
        ret = ntlm_policy_fresh_response(ntlm_env_replay_cache(ctx->env), blob->proof,
                                         blob->timestamp, time(NULL), cfg->replay_window);
        ntlm_debug("accept: timestamp and replay check (window %us): %s", cfg->replay_window,
                   ret == 0 ? "ok" : ntlm_error_message(ret));
    }
    /* Every check passed: only now do the attempt's flags, key and name become the context's. */
    if (ret == 0)
        ret = ntlm_ctx_start_session(ctx, flags, exported_key);
    if (ret)
        goto done;
    ctx->src_name = who;
    who = NULL;
    ctx->ret_flags = ntlm_ctx_gss_flags(ctx->neg_flags, 0);
    if (bound)
        ctx->ret_flags |= GSS_C_CHANNEL_BOUND_FLAG;
    ntlm_ctx_established(ctx);
    ntlm_debug("accept: session established for \"%s\" in domain \"%s\", GSS flags 0x%x",
               ctx->src_name->user, ctx->src_name->domain != NULL ? ctx->src_name->domain : "",
               ctx->ret_flags);
    ntlm_debug_flags("accept: negotiated flags", ctx->neg_flags);
done:
    ntlm_wipe(kxkey, sizeof(kxkey));
    ntlm_wipe(exported_key, sizeof(exported_key));
    ntlm_name_free(who);
    return ret;
}

/* Second leg: verify the AUTHENTICATE message, start the session, write the audit line. */
static uint32_t
accept_authenticate(struct ntlm_ctx *ctx, const struct ntlm_settings *settings,
                    const gss_buffer_t input, const gss_channel_bindings_t bindings)
{
    const struct ntlm_config *cfg = &settings->cfg;
    struct ntlm_authenticate auth = {0};
    struct ntlm_audit_record rec = {0};
    uint32_t flags, ret;

    ret = ntlm_authenticate_decode(input->value, input->length, &auth);
    if (ret)
        ntlm_debug("accept: AUTHENTICATE (%zu bytes) undecodable", (size_t)input->length);
    if (ret == 0) {
        ntlm_debug("accept: AUTHENTICATE received: user \"%s\" domain \"%s\" workstation \"%s\", "
                   "NT response %zu bytes (%s), LM response %zu bytes, MIC field %s",
                   auth.user, auth.domain, auth.workstation, auth.nt_response_len,
                   is_anonymous(&auth)          ? "anonymous"
                   : auth.nt_response_len > 24  ? "NTLMv2"
                   : auth.nt_response_len == 24 ? "NTLMv1"
                                                : "LM only",
                   auth.lm_response_len, auth.has_mic_space ? "present" : "absent");
        ntlm_debug_flags("accept: AUTHENTICATE flags", auth.flags);
        rec.workstation = auth.workstation;
        rec.domain = auth.domain;
        rec.user = auth.user;
        /* The client may withdraw what the CHALLENGE granted. This attempt's flags stay local
         * until it succeeds: a failed AUTHENTICATE must not narrow what a later one gets. */
        flags = ctx->neg_flags;
        if (auth.flags != 0)
            flags &= auth.flags | ~SESSION_FLAGS;
        /* A backslash would make DOMAIN\user ambiguous, a control character forge lines in
         * logs; no Windows account has either (the AD schema forbids \ in sAMAccountName). */
        if (!ntlm_account_name_valid(auth.user) || !ntlm_account_name_valid(auth.domain)) {
            ntlm_debug("accept: user or domain name with a backslash or a control character");
            ret = NTLM_ERR_BAD_ACCOUNT_NAME;
        } else if (is_anonymous(&auth)) {
            ret = accept_anonymous(ctx, cfg, flags, &auth, bindings, &rec);
        } else {
            ret = accept_user(ctx, cfg, flags, &auth, bindings, &rec);
        }
    }
    /* gss_localname maps the name under the configuration that authenticated it. */
    if (ret == 0 && ctx->src_name != NULL && ctx->src_name->env == NULL)
        ctx->src_name->env = ntlm_env_ref(ctx->env);
    rec.result = ret;
    /* The attempt's outcome does not depend on whether the log could be written. */
    if (ntlm_audit_write(cfg->audit, cfg->audit_file, ntlm_env_syslog(ctx->env), &rec) != 0)
        ntlm_debug("accept: the audit line could not be written");
    ntlm_authenticate_free(&auth);
    return ret;
}

/* Whether input is a NEGOTIATE message, the one token that may start an exchange over. */
static bool
is_negotiate(const gss_buffer_t input)
{
    uint32_t type;

    return ntlm_message_type(input->value, input->length, &type) == 0 &&
           type == NTLM_NEGOTIATE_TYPE;
}

/* The NEGOTIATE leg on a context in its start stage: the CHALLENGE goes to output. */
static OM_uint32
negotiate_leg(OM_uint32 *minor, struct ntlm_ctx *ctx, const struct ntlm_settings *settings,
              const struct ntlm_cred *cred, const gss_buffer_t input, gss_buffer_t output,
              OM_uint32 *ret_flags)
{
    OM_uint32 major;
    uint32_t ret;

    ret = accept_negotiate(ctx, settings, cred, input);
    if (ret) {
        ntlm_debug("accept: NEGOTIATE step failed: %s", ntlm_error_message(ret));
        return ntlm_gss_step_error(minor, ret, false);
    }
    major = ntlm_gss_buffer_set(minor, output, ctx->challenge_msg.data, ctx->challenge_msg.len);
    if (major != GSS_S_COMPLETE)
        return major;
    /*
     * RFC 2743 1.2.7: flags given before completion (without PROT_READY) say what the context
     * is to offer: what the CHALLENGE grants, which the AUTHENTICATE may still narrow. MIT's
     * mechglue drops ret_flags on CONTINUE_NEEDED, so gss_inquire_context is how callers read
     * them (libsspi does, as Windows reports them at this leg).
     */
    ctx->ret_flags = ntlm_ctx_gss_flags(ctx->neg_flags, 0);
    if (ret_flags != NULL)
        *ret_flags = ctx->ret_flags;
    return GSS_S_COMPLETE;
}

OM_uint32
ntlm_accept_step(OM_uint32 *minor, const struct ntlm_settings *settings, gss_ctx_id_t *context,
                 gss_cred_id_t cred, gss_buffer_t input, gss_channel_bindings_t bindings,
                 gss_name_t *src_name, gss_buffer_t output, OM_uint32 *ret_flags,
                 OM_uint32 *time_rec)
{
    struct ntlm_ctx *ctx = (struct ntlm_ctx *)*context;
    struct ntlm_name *name = NULL;
    OM_uint32 major;
    uint32_t ret;

    if (ctx == NULL) {
        ctx = calloc(1, sizeof(*ctx));
        if (ctx == NULL)
            return ntlm_gss_error(minor, GSS_S_FAILURE, NTLM_ERR_NOMEM);
        ctx->stage = NTLM_STAGE_ACCEPT_START;
        major = negotiate_leg(minor, ctx, settings, (const struct ntlm_cred *)cred, input, output,
                              ret_flags);
        if (major != GSS_S_COMPLETE) {
            ntlm_ctx_free(ctx);
            return major;
        }
        *context = (gss_ctx_id_t)ctx;
        return GSS_S_CONTINUE_NEEDED;
    }
    /*
     * A client that failed (a mistyped password) or gave up starts again with a NEGOTIATE on
     * the same context: mod_auth_gssapi keeps one context per keep-alive connection, as
     * browsers keep the connection. Nothing of the old exchange survives.
     */
    if (ctx->stage != NTLM_STAGE_ESTABLISHED && is_negotiate(input)) {
        ntlm_debug("accept: NEGOTIATE on a context that %s: starting over",
                   ctx->stage == NTLM_STAGE_FAILED ? "failed" : "waits for AUTHENTICATE");
        ntlm_ctx_restart_acceptor(ctx);
        major = negotiate_leg(minor, ctx, settings, (const struct ntlm_cred *)cred, input, output,
                              ret_flags);
        if (major != GSS_S_COMPLETE) {
            ntlm_ctx_fail(ctx);
            return major;
        }
        return GSS_S_CONTINUE_NEEDED;
    }
    if (ctx->stage == NTLM_STAGE_FAILED) {
        ntlm_debug("accept: token for a context whose exchange failed (only a NEGOTIATE restarts)");
        return ntlm_gss_step_error(minor, NTLM_ERR_EXCHANGE_FAILED, false);
    }
    if (ctx->stage != NTLM_STAGE_ACCEPT_WAIT_AUTHENTICATE) {
        ntlm_debug("accept: token for a context that expects none");
        return ntlm_gss_error(minor, GSS_S_FAILURE, NTLM_ERR_OUT_OF_ORDER);
    }
    ret = accept_authenticate(ctx, settings, input, bindings);
    if (ret) {
        ntlm_debug("accept: AUTHENTICATE step failed: %s", ntlm_error_message(ret));
        ntlm_ctx_fail(ctx);
        return ntlm_gss_step_error(minor, ret, false);
    }
    if (src_name != NULL) {
        ret = ntlm_name_copy(ctx->src_name, &name);
        if (ret)
            return ntlm_gss_error(minor, GSS_S_FAILURE, ret);
        *src_name = (gss_name_t)name;
    }
    if (ret_flags != NULL)
        *ret_flags = ctx->ret_flags;
    if (time_rec != NULL)
        *time_rec = NTLM_CONTEXT_LIFETIME;
    *minor = 0;
    return GSS_S_COMPLETE;
}

/*
 * The step runs under one reading of one configuration: the context's (fixed by its
 * NEGOTIATE), else the credential's, else the default one.
 */
OM_uint32
ntlm_gss_accept_sec_context(OM_uint32 *minor, gss_ctx_id_t *context, gss_cred_id_t cred,
                            gss_buffer_t input, gss_channel_bindings_t bindings,
                            gss_name_t *src_name, gss_OID *mech, gss_buffer_t output,
                            OM_uint32 *ret_flags, OM_uint32 *time_rec, gss_cred_id_t *delegated)
{
    struct ntlm_ctx *ctx = (struct ntlm_ctx *)*context;
    const struct ntlm_cred *given = (const struct ntlm_cred *)cred;
    struct ntlm_env *env = NULL;
    struct ntlm_step step;
    OM_uint32 major;
    uint32_t ret;

    output->length = 0;
    output->value = NULL;
    if (src_name != NULL)
        *src_name = GSS_C_NO_NAME;
    if (delegated != NULL)
        *delegated = GSS_C_NO_CREDENTIAL;
    if (mech != NULL)
        *mech = NTLM_MECH_OID;
    if (input == GSS_C_NO_BUFFER || input->length == 0) {
        /* An exchange under way fails; an established context is not the token's to end. */
        if (ctx != NULL && ctx->stage != NTLM_STAGE_ESTABLISHED)
            ntlm_ctx_fail(ctx);
        return ntlm_gss_error(minor, GSS_S_DEFECTIVE_TOKEN, NTLM_ERR_TOKEN_EMPTY);
    }
    if (ctx != NULL && ctx->env != NULL)
        env = ctx->env;
    else if (given != NULL)
        env = given->env;
    ret = ntlm_step_begin(&step, env);
    if (ret) {
        /* Fail closed: no policy to apply, so no exchange goes on under this file. */
        if (ctx != NULL && ctx->stage != NTLM_STAGE_ESTABLISHED)
            ntlm_ctx_fail(ctx);
        return ntlm_gss_step_error(minor, ret, false);
    }
    major = ntlm_accept_step(minor, step.settings, context, cred, input, bindings, src_name, output,
                             ret_flags, time_rec);
    ntlm_step_end(&step);
    return major;
}
