/*
 * The initiator's state machine (mech/gss/ntlm_init.c) driven through ntlm_gss_init_sec_context
 * without the mechglue: CHALLENGE tokens are built here with the core's encoder, so each test
 * picks the flags and target info the server grants, and the AUTHENTICATE is read back with the
 * core's decoder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_auth.h"
#include "ntlm_av.h"
#include "ntlm_errors.h"
#include "ntlm_gss.h"
#include "ntlm_message.h"
#include "test_util.h"
#include "unit_files.h"

#define BASE                                                                                       \
    "netbios_name = CLIENT\ndns_name = client.example\nnetbios_domain = TESTDOM\n"                 \
    "audit = none\nstate_dir = %s\nuser_file = %s\n"

/* What a Windows server grants our NEGOTIATE (MS-NLMP 3.2.5.1.1), with target info. */
#define SERVER_FLAGS                                                                               \
    (NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_REQUEST_TARGET | NTLMSSP_NEGOTIATE_SIGN |                 \
     NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN | NTLMSSP_TARGET_TYPE_DOMAIN |         \
     NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_TARGET_INFO |                  \
     NTLMSSP_NEGOTIATE_VERSION | NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_KEY_EXCH |              \
     NTLMSSP_NEGOTIATE_56)

/* 2024-01-01T00:00:00Z as a FILETIME. */
#define SERVER_TIME 133485408000000000ULL

static const char *dir, *conf_path, *lax_conf, *users_path;
static time_t fake_clock = 1000;

static time_t
fake_now(void)
{
    return fake_clock;
}

static gss_cred_id_t
password_cred(void)
{
    static const char user[] = "TESTDOM\\alice", password[] = "Passw0rd!";
    gss_buffer_desc ubuf = {sizeof(user) - 1, (void *)user};
    gss_buffer_desc pbuf = {sizeof(password) - 1, (void *)password};
    gss_name_t name = GSS_C_NO_NAME;
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 min;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_import_name(&min, &ubuf, GSS_C_NT_USER_NAME, &name),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_acquire_cred_with_password(&min, name, &pbuf, 0,
                                                              GSS_C_NO_OID_SET, GSS_C_INITIATE,
                                                              &cred, NULL, NULL),
                          GSS_S_COMPLETE);
    ntlm_gss_release_name(&min, &name);
    return cred;
}

/* A credential for usage under the configuration at conf (an initiator's: alice's, from the
 * user file). */
static gss_cred_id_t
store_cred(const char *conf, gss_cred_usage_t usage, OM_uint32 *major, OM_uint32 *minor)
{
    static const char user[] = "TESTDOM\\alice";
    gss_buffer_desc ubuf = {sizeof(user) - 1, (void *)user};
    gss_key_value_element_desc elements[] = {{"sspigss_config", conf}};
    gss_key_value_set_desc store = {1, elements};
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 min;

    if (usage != GSS_C_ACCEPT)
        CU_ASSERT_EQUAL_FATAL(ntlm_gss_import_name(&min, &ubuf, GSS_C_NT_USER_NAME, &name),
                              GSS_S_COMPLETE);
    *major = ntlm_gss_acquire_cred_from(minor, name, 0, GSS_C_NO_OID_SET, usage, &store, &cred,
                                        NULL, NULL);
    ntlm_gss_release_name(&min, &name);
    return cred;
}

static gss_name_t
target_name(void)
{
    static const char service[] = "HTTP@server.example";
    gss_buffer_desc sbuf = {sizeof(service) - 1, (void *)service};
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 min;

    CU_ASSERT_EQUAL_FATAL(ntlm_gss_import_name(&min, &sbuf, GSS_C_NT_HOSTBASED_SERVICE, &name),
                          GSS_S_COMPLETE);
    return name;
}

/* A CHALLENGE granting flags, with a server timestamp in its target info or not. */
static void
challenge_token(uint32_t flags, bool timestamp, struct ntlm_buf *out)
{
    struct ntlm_av_info av = {
        .nb_domain = "SRVDOM", .nb_computer = "SERVER", .dns_computer = "server.example"};
    struct ntlm_challenge_fields chal = {
        .flags = flags, .target_name = "SRVDOM", .server_challenge = {1, 2, 3, 4, 5, 6, 7, 8}};
    struct ntlm_buf info = NTLM_BUF_INIT;

    av.has_timestamp = timestamp;
    av.timestamp = SERVER_TIME;
    CU_ASSERT_EQUAL_FATAL(ntlm_av_encode(&av, &info), 0);
    chal.target_info = info.data;
    chal.target_info_len = info.len;
    *out = (struct ntlm_buf)NTLM_BUF_INIT;
    CU_ASSERT_EQUAL_FATAL(ntlm_challenge_encode(&chal, out), 0);
    ntlm_buf_free(&info);
}

/* One initiator step; the token is the caller's to release. */
static OM_uint32
init(gss_cred_id_t cred, gss_ctx_id_t *ctx, gss_name_t target, OM_uint32 req_flags,
     gss_channel_bindings_t cb, const struct ntlm_buf *in, gss_buffer_t out, OM_uint32 *minor)
{
    gss_buffer_desc input = {in != NULL ? in->len : 0, in != NULL ? in->data : NULL};

    return ntlm_gss_init_sec_context(minor, cred, ctx, target, GSS_C_NO_OID, req_flags, 0, cb,
                                     &input, NULL, out, NULL, NULL);
}

/* NEGOTIATE, then the AUTHENTICATE for a CHALLENGE granting flags: the second step's major. */
static OM_uint32
answer(gss_cred_id_t cred, gss_ctx_id_t *ctx, uint32_t flags, bool timestamp,
       gss_channel_bindings_t cb, gss_buffer_t auth, OM_uint32 *minor)
{
    gss_buffer_desc neg = GSS_C_EMPTY_BUFFER;
    gss_name_t target = target_name();
    struct ntlm_buf chal;
    OM_uint32 min, major;

    CU_ASSERT_EQUAL_FATAL(init(cred, ctx, target, GSS_C_INTEG_FLAG, cb, NULL, &neg, &min),
                          GSS_S_CONTINUE_NEEDED);
    challenge_token(flags, timestamp, &chal);
    major = init(cred, ctx, target, GSS_C_INTEG_FLAG, cb, &chal, auth, minor);
    ntlm_buf_free(&chal);
    gss_release_buffer(&min, &neg);
    ntlm_gss_release_name(&min, &target);
    return major;
}

static const struct ntlm_ctx *
context(gss_ctx_id_t ctx)
{
    return (const struct ntlm_ctx *)ctx;
}

static void
test_a_first_call_that_cannot_start_makes_no_context(void)
{
    gss_cred_id_t acceptor, cred = password_cred();
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    struct ntlm_buf chal;
    OM_uint32 major, minor, min;

    acceptor = store_cred(conf_path, GSS_C_ACCEPT, &major, &minor);
    CU_ASSERT_EQUAL_FATAL(major, GSS_S_COMPLETE);
    CU_ASSERT_EQUAL(
        init(acceptor, &ctx, GSS_C_NO_NAME, 0, GSS_C_NO_CHANNEL_BINDINGS, NULL, &out, &minor),
        GSS_S_NO_CRED);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_WRONG_CRED_USAGE);
    CU_ASSERT_PTR_NULL(ctx);
    CU_ASSERT_EQUAL(out.length, 0);
    /* A token before our NEGOTIATE went out. */
    challenge_token(SERVER_FLAGS, true, &chal);
    CU_ASSERT_EQUAL(
        init(cred, &ctx, GSS_C_NO_NAME, 0, GSS_C_NO_CHANNEL_BINDINGS, &chal, &out, &minor),
        GSS_S_DEFECTIVE_TOKEN);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_OUT_OF_ORDER);
    CU_ASSERT_PTR_NULL(ctx);
    CU_ASSERT_EQUAL(out.length, 0);
    ntlm_buf_free(&chal);
    ntlm_gss_release_cred(&min, &cred);
    ntlm_gss_release_cred(&min, &acceptor);
}

static void
test_the_context_keeps_its_own_copy_of_the_credential(void)
{
    gss_cred_id_t cred = password_cred();
    const struct ntlm_cred *given = (const struct ntlm_cred *)cred;
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_buffer_desc neg = GSS_C_EMPTY_BUFFER, auth = GSS_C_EMPTY_BUFFER;
    struct ntlm_buf chal;
    OM_uint32 minor, min;

    CU_ASSERT_EQUAL_FATAL(
        init(cred, &ctx, GSS_C_NO_NAME, 0, GSS_C_NO_CHANNEL_BINDINGS, NULL, &neg, &minor),
        GSS_S_CONTINUE_NEEDED);
    CU_ASSERT_PTR_NOT_EQUAL(context(ctx)->cred, given);
    CU_ASSERT_EQUAL(memcmp(context(ctx)->cred->nt_hash, given->nt_hash, 16), 0);
    CU_ASSERT_PTR_EQUAL(context(ctx)->cred->env, given->env);
    CU_ASSERT_STRING_EQUAL(context(ctx)->src_name->user, "alice");
    CU_ASSERT_PTR_NULL(context(ctx)->targ_name);
    /* The caller may release its credential between the steps. */
    ntlm_gss_release_cred(&min, &cred);
    challenge_token(SERVER_FLAGS, true, &chal);
    CU_ASSERT_EQUAL(init(GSS_C_NO_CREDENTIAL, &ctx, GSS_C_NO_NAME, 0, GSS_C_NO_CHANNEL_BINDINGS,
                         &chal, &auth, &minor),
                    GSS_S_COMPLETE);
    ntlm_buf_free(&chal);
    gss_release_buffer(&min, &neg);
    gss_release_buffer(&min, &auth);
    ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
}

static void
test_the_negotiate_asks_for_signing_and_sealing_as_the_caller_does(void)
{
    static const struct {
        OM_uint32 req;
        uint32_t offered, withheld;
    } rows[] = {
        {0, 0, NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_IDENTIFY},
        {GSS_C_INTEG_FLAG, NTLMSSP_NEGOTIATE_SIGN, NTLMSSP_NEGOTIATE_SEAL},
        {GSS_C_REPLAY_FLAG, NTLMSSP_NEGOTIATE_SIGN, NTLMSSP_NEGOTIATE_SEAL},
        {GSS_C_SEQUENCE_FLAG, NTLMSSP_NEGOTIATE_SIGN, NTLMSSP_NEGOTIATE_SEAL},
        {GSS_C_CONF_FLAG, NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL, 0},
        {GSS_C_IDENTIFY_FLAG, NTLMSSP_NEGOTIATE_IDENTIFY, NTLMSSP_NEGOTIATE_SIGN},
    };
    const uint32_t always = NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_NTLM |
                            NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_128 |
                            NTLMSSP_NEGOTIATE_KEY_EXCH;
    gss_cred_id_t cred = password_cred();
    OM_uint32 minor, min;
    size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
        gss_buffer_desc neg = GSS_C_EMPTY_BUFFER;
        struct ntlm_negotiate m = {0};

        CU_ASSERT_EQUAL_FATAL(init(cred, &ctx, GSS_C_NO_NAME, rows[i].req,
                                   GSS_C_NO_CHANNEL_BINDINGS, NULL, &neg, &minor),
                              GSS_S_CONTINUE_NEEDED);
        CU_ASSERT_EQUAL_FATAL(ntlm_negotiate_decode(neg.value, neg.length, &m), 0);
        CU_ASSERT_EQUAL(m.flags & (always | rows[i].offered), always | rows[i].offered);
        CU_ASSERT_EQUAL(m.flags & rows[i].withheld, 0);
        CU_ASSERT(m.has_version);
        /* What was offered is what the CHALLENGE's grant gets intersected with. */
        CU_ASSERT_EQUAL(context(ctx)->neg_flags, m.flags);
        CU_ASSERT_EQUAL(context(ctx)->req_flags, rows[i].req);
        CU_ASSERT_EQUAL(context(ctx)->stage, NTLM_STAGE_INIT_WAIT_CHALLENGE);
        ntlm_negotiate_free(&m);
        gss_release_buffer(&min, &neg);
        ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    }
    ntlm_gss_release_cred(&min, &cred);
}

static void
test_without_a_credential_the_default_user_s_is_acquired(void)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_buffer_desc neg = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, min;

    setenv("NTLMUSER", "TESTDOM\\alice", 1);
    CU_ASSERT_EQUAL_FATAL(init(GSS_C_NO_CREDENTIAL, &ctx, GSS_C_NO_NAME, 0,
                               GSS_C_NO_CHANNEL_BINDINGS, NULL, &neg, &minor),
                          GSS_S_CONTINUE_NEEDED);
    CU_ASSERT_STRING_EQUAL(context(ctx)->cred->user->user, "alice");
    CU_ASSERT_STRING_EQUAL(context(ctx)->cred->user->domain, "TESTDOM");
    CU_ASSERT(context(ctx)->cred->have_nt_hash);
    gss_release_buffer(&min, &neg);
    ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    /* A default user the user file does not list has no credential: the acquisition's code. */
    setenv("NTLMUSER", "TESTDOM\\nobody", 1);
    CU_ASSERT_EQUAL(init(GSS_C_NO_CREDENTIAL, &ctx, GSS_C_NO_NAME, 0, GSS_C_NO_CHANNEL_BINDINGS,
                         NULL, &neg, &minor),
                    GSS_S_NO_CRED);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_NO_USER_CREDS);
    CU_ASSERT_PTR_NULL(ctx);
    unsetenv("NTLMUSER");
}

static void
answer_decoded(uint32_t flags, bool timestamp, gss_channel_bindings_t cb, gss_ctx_id_t *ctx,
               struct ntlm_authenticate *m)
{
    gss_cred_id_t cred = password_cred();
    gss_buffer_desc auth = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, min;

    CU_ASSERT_EQUAL_FATAL(answer(cred, ctx, flags, timestamp, cb, &auth, &minor), GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(auth.value, auth.length, m), 0);
    CU_ASSERT_FATAL(m->has_v2);
    gss_release_buffer(&min, &auth);
    ntlm_gss_release_cred(&min, &cred);
}

static void
test_the_lm_response_is_zero_only_when_the_server_sends_its_time(void)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    struct ntlm_authenticate m = {0};
    OM_uint32 min;

    /* MS-NLMP 3.1.5.1.2: with MsvAvTimestamp, 24 zero bytes and the server's time in the blob. */
    answer_decoded(SERVER_FLAGS, true, GSS_C_NO_CHANNEL_BINDINGS, &ctx, &m);
    CU_ASSERT_EQUAL(m.lm_response_len, 24);
    CU_ASSERT(test_all_zero(m.lm_response, m.lm_response_len));
    CU_ASSERT_EQUAL(m.v2.timestamp, SERVER_TIME);
    ntlm_authenticate_free(&m);
    ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    /* Without it, an LMv2 response and the client's own clock. */
    answer_decoded(SERVER_FLAGS, false, GSS_C_NO_CHANNEL_BINDINGS, &ctx, &m);
    CU_ASSERT_EQUAL(m.lm_response_len, 24);
    CU_ASSERT_FALSE(test_all_zero(m.lm_response, m.lm_response_len));
    CU_ASSERT(m.v2.timestamp > SERVER_TIME);
    ntlm_authenticate_free(&m);
    ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
}

static void
test_the_response_binds_the_target_and_the_channel(void)
{
    static const char app[] = "tls-server-end-point:0123456789abcdef";
    struct gss_channel_bindings_struct cb = {.initiator_addrtype = GSS_C_AF_UNSPEC,
                                             .acceptor_addrtype = GSS_C_AF_UNSPEC,
                                             .application_data = {sizeof(app) - 1, (void *)app}};
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    struct ntlm_authenticate m = {0};
    uint8_t want[16];
    OM_uint32 min;

    CU_ASSERT_EQUAL_FATAL(ntlm_channel_bindings_hash(GSS_C_AF_UNSPEC, NULL, 0, GSS_C_AF_UNSPEC,
                                                     NULL, 0, app, sizeof(app) - 1, want),
                          0);
    answer_decoded(SERVER_FLAGS, true, &cb, &ctx, &m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m.v2.av.target_name);
    CU_ASSERT_STRING_EQUAL(m.v2.av.target_name, "HTTP/server.example");
    CU_ASSERT(m.v2.av.has_channel_bindings);
    CU_ASSERT_EQUAL(memcmp(m.v2.av.channel_bindings, want, 16), 0);
    /* The server's pairs are kept for the server to check. */
    CU_ASSERT_STRING_EQUAL(m.v2.av.nb_computer, "SERVER");
    ntlm_authenticate_free(&m);
    ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    /* No bindings given: none claimed. */
    answer_decoded(SERVER_FLAGS, true, GSS_C_NO_CHANNEL_BINDINGS, &ctx, &m);
    CU_ASSERT(!m.v2.av.has_channel_bindings || test_all_zero(m.v2.av.channel_bindings, 16));
    ntlm_authenticate_free(&m);
    ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
}

static void
test_a_grant_the_credential_s_policy_forbids_ends_the_exchange(void)
{
    static const struct {
        uint32_t grant;
        bool lax; /* the credential of min_session_security = none */
        OM_uint32 major, minor;
    } rows[] = {
        {SERVER_FLAGS & ~NTLMSSP_NEGOTIATE_NTLM, false, GSS_S_DEFECTIVE_TOKEN,
         NTLM_ERR_FLAGS_UNACCEPTABLE},
        {SERVER_FLAGS & ~(NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_OEM), false,
         GSS_S_DEFECTIVE_TOKEN, NTLM_ERR_FLAGS_UNACCEPTABLE},
        /* The default configuration asks for 128-bit keys (min_session_security's default)... */
        {SERVER_FLAGS & ~NTLMSSP_NEGOTIATE_128, false, GSS_S_DEFECTIVE_TOKEN,
         NTLM_ERR_SESSION_SECURITY_WEAK},
        /* ...a credential of a configuration that asks for none takes the same grant. */
        {SERVER_FLAGS & ~NTLMSSP_NEGOTIATE_128, true, GSS_S_COMPLETE, 0},
    };
    gss_cred_id_t strict = password_cred(), lax;
    OM_uint32 major, minor, min;
    size_t i;

    lax = store_cred(lax_conf, GSS_C_INITIATE, &major, &minor);
    CU_ASSERT_EQUAL_FATAL(major, GSS_S_COMPLETE);
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
        gss_buffer_desc auth = GSS_C_EMPTY_BUFFER;
        bool failed = rows[i].major != GSS_S_COMPLETE;

        CU_ASSERT_EQUAL(answer(rows[i].lax ? lax : strict, &ctx, rows[i].grant, true,
                               GSS_C_NO_CHANNEL_BINDINGS, &auth, &minor),
                        rows[i].major);
        CU_ASSERT_EQUAL(minor, rows[i].minor);
        CU_ASSERT_EQUAL(auth.length == 0, failed);
        CU_ASSERT_EQUAL(context(ctx)->stage, failed ? NTLM_STAGE_FAILED : NTLM_STAGE_ESTABLISHED);
        CU_ASSERT_EQUAL(context(ctx)->have_key, !failed);
        gss_release_buffer(&min, &auth);
        ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    }
    ntlm_gss_release_cred(&min, &lax);
    ntlm_gss_release_cred(&min, &strict);
}

static void
test_the_flags_in_force_are_what_both_sides_allow_with_unicode_over_oem(void)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    struct ntlm_authenticate m = {0};
    OM_uint32 min;

    /* Sealing we did not ask for, OEM beside Unicode, and no key exchange. */
    answer_decoded((SERVER_FLAGS | NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_OEM) &
                       ~NTLMSSP_NEGOTIATE_KEY_EXCH,
                   true, GSS_C_NO_CHANNEL_BINDINGS, &ctx, &m);
    CU_ASSERT(m.flags & NTLMSSP_NEGOTIATE_UNICODE);
    CU_ASSERT_FALSE(m.flags & NTLMSSP_NEGOTIATE_OEM);
    CU_ASSERT_FALSE(m.flags & NTLMSSP_NEGOTIATE_SEAL);
    CU_ASSERT_FALSE(m.flags & NTLMSSP_NEGOTIATE_KEY_EXCH);
    CU_ASSERT_PTR_NULL(m.session_key);
    CU_ASSERT_EQUAL(context(ctx)->neg_flags, m.flags);
    ntlm_authenticate_free(&m);
    ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    /* Under KEY_EXCH the session key travels RC4-encrypted. */
    answer_decoded(SERVER_FLAGS, true, GSS_C_NO_CHANNEL_BINDINGS, &ctx, &m);
    CU_ASSERT(m.flags & NTLMSSP_NEGOTIATE_KEY_EXCH);
    CU_ASSERT_EQUAL(m.session_key_len, 16);
    CU_ASSERT_STRING_EQUAL(m.user, "alice");
    CU_ASSERT_STRING_EQUAL(m.domain, "TESTDOM");
    CU_ASSERT_STRING_EQUAL(m.workstation, "CLIENT");
    ntlm_authenticate_free(&m);
    ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
}

static void
test_the_mic_covers_the_three_messages_under_the_exported_key(void)
{
    gss_cred_id_t cred = password_cred();
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_buffer_desc neg = GSS_C_EMPTY_BUFFER, auth = GSS_C_EMPTY_BUFFER;
    struct ntlm_authenticate m = {0};
    struct ntlm_iov msgs[3];
    struct ntlm_buf chal;
    uint8_t mic[16];
    OM_uint32 minor, min;

    CU_ASSERT_EQUAL_FATAL(init(cred, &ctx, GSS_C_NO_NAME, GSS_C_INTEG_FLAG,
                               GSS_C_NO_CHANNEL_BINDINGS, NULL, &neg, &minor),
                          GSS_S_CONTINUE_NEEDED);
    challenge_token(SERVER_FLAGS, true, &chal);
    CU_ASSERT_EQUAL_FATAL(init(cred, &ctx, GSS_C_NO_NAME, GSS_C_INTEG_FLAG,
                               GSS_C_NO_CHANNEL_BINDINGS, &chal, &auth, &minor),
                          GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(ntlm_authenticate_decode(auth.value, auth.length, &m), 0);
    CU_ASSERT(context(ctx)->sent_mic);
    CU_ASSERT(m.has_v2 && (m.v2.av.av_flags & NTLM_AVF_MIC_PRESENT));
    /* MS-NLMP 3.1.5.1.2: HMAC_MD5(ExportedSessionKey, NEGOTIATE | CHALLENGE | AUTHENTICATE). */
    msgs[0] = (struct ntlm_iov){neg.value, neg.length};
    msgs[1] = (struct ntlm_iov){chal.data, chal.len};
    msgs[2] = (struct ntlm_iov){m.msg, m.msg_len};
    CU_ASSERT_EQUAL_FATAL(ntlm_mic(context(ctx)->exported_key, msgs, mic), 0);
    CU_ASSERT_EQUAL(memcmp(m.mic, mic, 16), 0);
    CU_ASSERT_EQUAL(memcmp(context(ctx)->server_challenge, chal.data + 24, 8), 0);
    ntlm_authenticate_free(&m);
    ntlm_buf_free(&chal);
    gss_release_buffer(&min, &neg);
    gss_release_buffer(&min, &auth);
    ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    ntlm_gss_release_cred(&min, &cred);
}

static void
test_a_bad_challenge_ends_the_exchange_for_good(void)
{
    static const struct {
        const char *name;
        size_t keep; /* bytes of a good CHALLENGE kept; 0: the NEGOTIATE sent back */
        uint32_t minor;
    } rows[] = {
        {"empty", 0, NTLM_ERR_TOKEN_EMPTY},
        {"cut inside its header", 20, NTLM_ERR_TRUNCATED},
        {"our own NEGOTIATE", 0, NTLM_ERR_BAD_MESSAGE_TYPE},
    };
    gss_cred_id_t cred = password_cred();
    OM_uint32 minor, min;
    size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
        gss_buffer_desc neg = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
        struct ntlm_buf chal, bad = NTLM_BUF_INIT;

        CU_ASSERT_EQUAL_FATAL(
            init(cred, &ctx, GSS_C_NO_NAME, 0, GSS_C_NO_CHANNEL_BINDINGS, NULL, &neg, &minor),
            GSS_S_CONTINUE_NEEDED);
        challenge_token(SERVER_FLAGS, true, &chal);
        if (rows[i].minor == NTLM_ERR_BAD_MESSAGE_TYPE)
            ntlm_buf_add(&bad, neg.value, neg.length);
        else
            ntlm_buf_add(&bad, chal.data, rows[i].keep);
        CU_ASSERT_EQUAL(
            init(cred, &ctx, GSS_C_NO_NAME, 0, GSS_C_NO_CHANNEL_BINDINGS, &bad, &out, &minor),
            GSS_S_DEFECTIVE_TOKEN);
        if (minor != rows[i].minor)
            fprintf(stderr, "row \"%s\": minor %u\n", rows[i].name, (unsigned)minor);
        CU_ASSERT_EQUAL(minor, rows[i].minor);
        CU_ASSERT_EQUAL(out.length, 0);
        CU_ASSERT_EQUAL(context(ctx)->stage, NTLM_STAGE_FAILED);
        CU_ASSERT_PTR_NULL(context(ctx)->cred);
        CU_ASSERT_EQUAL(context(ctx)->negotiate_msg.len, 0);
        /* The good CHALLENGE that follows finds nothing to answer with. */
        CU_ASSERT_EQUAL(
            init(cred, &ctx, GSS_C_NO_NAME, 0, GSS_C_NO_CHANNEL_BINDINGS, &chal, &out, &minor),
            GSS_S_FAILURE);
        CU_ASSERT_EQUAL(minor, NTLM_ERR_EXCHANGE_FAILED);
        CU_ASSERT_EQUAL(out.length, 0);
        ntlm_buf_free(&bad);
        ntlm_buf_free(&chal);
        gss_release_buffer(&min, &neg);
        ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    }
    ntlm_gss_release_cred(&min, &cred);
}

static void
test_an_established_context_reports_its_flags_and_takes_no_more_tokens(void)
{
    gss_cred_id_t cred = password_cred();
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_buffer_desc neg = GSS_C_EMPTY_BUFFER, auth = GSS_C_EMPTY_BUFFER;
    struct ntlm_buf chal;
    gss_OID mech = GSS_C_NO_OID;
    gss_buffer_desc input;
    OM_uint32 minor, min, flags = 0, lifetime = 0;

    CU_ASSERT_EQUAL_FATAL(init(cred, &ctx, GSS_C_NO_NAME, GSS_C_INTEG_FLAG,
                               GSS_C_NO_CHANNEL_BINDINGS, NULL, &neg, &minor),
                          GSS_S_CONTINUE_NEEDED);
    challenge_token(SERVER_FLAGS, true, &chal);
    input = (gss_buffer_desc){chal.len, chal.data};
    CU_ASSERT_EQUAL_FATAL(ntlm_gss_init_sec_context(&minor, cred, &ctx, GSS_C_NO_NAME, GSS_C_NO_OID,
                                                    GSS_C_INTEG_FLAG, 0, GSS_C_NO_CHANNEL_BINDINGS,
                                                    &input, &mech, &auth, &flags, &lifetime),
                          GSS_S_COMPLETE);
    CU_ASSERT(flags & GSS_C_INTEG_FLAG);
    CU_ASSERT_FALSE(flags & GSS_C_CONF_FLAG);
    CU_ASSERT_EQUAL(flags, context(ctx)->ret_flags);
    CU_ASSERT_EQUAL(lifetime, NTLM_CONTEXT_LIFETIME);
    CU_ASSERT_PTR_EQUAL(mech, NTLM_MECH_OID);
    CU_ASSERT_EQUAL(context(ctx)->stage, NTLM_STAGE_ESTABLISHED);
    CU_ASSERT(context(ctx)->have_key);
    gss_release_buffer(&min, &auth);
    /* The same CHALLENGE again is out of order and changes nothing. */
    CU_ASSERT_EQUAL(init(cred, &ctx, GSS_C_NO_NAME, GSS_C_INTEG_FLAG, GSS_C_NO_CHANNEL_BINDINGS,
                         &chal, &auth, &minor),
                    GSS_S_FAILURE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_OUT_OF_ORDER);
    CU_ASSERT_EQUAL(auth.length, 0);
    CU_ASSERT_EQUAL(context(ctx)->stage, NTLM_STAGE_ESTABLISHED);
    CU_ASSERT(context(ctx)->have_key);
    ntlm_buf_free(&chal);
    gss_release_buffer(&min, &neg);
    ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    ntlm_gss_release_cred(&min, &cred);
}

static void
test_a_configuration_broken_between_steps_fails_the_context(void)
{
    const char *path;
    char text[512];
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT, next = GSS_C_NO_CONTEXT;
    gss_buffer_desc neg = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_cred_id_t cred;
    struct ntlm_buf chal;
    OM_uint32 major, minor, min;

    snprintf(text, sizeof(text), BASE, dir, users_path);
    path = unit_files_write("breaks.conf", text);
    cred = store_cred(path, GSS_C_INITIATE, &major, &minor);
    CU_ASSERT_EQUAL_FATAL(major, GSS_S_COMPLETE);
    CU_ASSERT_EQUAL_FATAL(
        init(cred, &ctx, GSS_C_NO_NAME, 0, GSS_C_NO_CHANNEL_BINDINGS, NULL, &neg, &minor),
        GSS_S_CONTINUE_NEEDED);
    /* Each step reads its credential's file, not the default one. */
    unit_files_write("breaks.conf", "min_session_security = sometimes\n");
    fake_clock += 10 * NTLM_ENV_CHECK_INTERVAL;
    challenge_token(SERVER_FLAGS, true, &chal);
    CU_ASSERT_EQUAL(init(GSS_C_NO_CREDENTIAL, &ctx, GSS_C_NO_NAME, 0, GSS_C_NO_CHANNEL_BINDINGS,
                         &chal, &out, &minor),
                    GSS_S_FAILURE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_CONFIG);
    CU_ASSERT_EQUAL(out.length, 0);
    CU_ASSERT_EQUAL(context(ctx)->stage, NTLM_STAGE_FAILED);
    CU_ASSERT_PTR_NULL(context(ctx)->cred);
    /* A new exchange with the credential fails at once, and makes no context. */
    CU_ASSERT_EQUAL(
        init(cred, &next, GSS_C_NO_NAME, 0, GSS_C_NO_CHANNEL_BINDINGS, NULL, &out, &minor),
        GSS_S_FAILURE);
    CU_ASSERT_EQUAL(minor, NTLM_ERR_CONFIG);
    CU_ASSERT_PTR_NULL(next);
    CU_ASSERT_EQUAL(out.length, 0);
    ntlm_buf_free(&chal);
    gss_release_buffer(&min, &neg);
    ntlm_gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    ntlm_gss_release_cred(&min, &cred);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"a first call that cannot start makes no context",
         test_a_first_call_that_cannot_start_makes_no_context},
        {"the context keeps its own copy of the credential",
         test_the_context_keeps_its_own_copy_of_the_credential},
        {"the negotiate asks for signing and sealing as the caller does",
         test_the_negotiate_asks_for_signing_and_sealing_as_the_caller_does},
        {"without a credential the default user's is acquired",
         test_without_a_credential_the_default_user_s_is_acquired},
        {"the lm response is zero only when the server sends its time",
         test_the_lm_response_is_zero_only_when_the_server_sends_its_time},
        {"the response binds the target and the channel",
         test_the_response_binds_the_target_and_the_channel},
        {"a grant the credential's policy forbids ends the exchange",
         test_a_grant_the_credential_s_policy_forbids_ends_the_exchange},
        {"the flags in force are what both sides allow, with unicode over oem",
         test_the_flags_in_force_are_what_both_sides_allow_with_unicode_over_oem},
        {"the mic covers the three messages under the exported key",
         test_the_mic_covers_the_three_messages_under_the_exported_key},
        {"a bad challenge ends the exchange for good",
         test_a_bad_challenge_ends_the_exchange_for_good},
        {"an established context reports its flags and takes no more tokens",
         test_an_established_context_reports_its_flags_and_takes_no_more_tokens},
        {"a configuration broken between steps fails the context",
         test_a_configuration_broken_between_steps_fails_the_context},
        CU_TEST_INFO_NULL,
    };
    char text[512];
    int status;

    dir = unit_files_begin("test_ntlm_init");
    users_path = unit_files_write("users", "TESTDOM:alice:Passw0rd!\n");
    snprintf(text, sizeof(text), BASE, dir, users_path);
    conf_path = unit_files_write("ntlm.conf", text);
    snprintf(text, sizeof(text), BASE "min_session_security = none\n", dir, users_path);
    lax_conf = unit_files_write("lax.conf", text);
    unit_files_use_config(conf_path);
    /* Reloads happen when a test moves this clock, never by the wall clock. */
    ntlm_env_set_clock(fake_now);

    status = test_run_suite("ntlm_init", tests);

    unit_files_end();
    return status;
}
