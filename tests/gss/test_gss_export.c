/*
 * Context export and import through MIT's real mechglue (mech/gss/ntlm_serialize.c): round trips
 * that keep protecting messages whatever was sealed before, blobs of the older formats, and
 * blobs that are truncated, oversized or lie about a field.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "gss_test_env.h"
#include "ntlm_endian.h"
#include "test_util.h"

/* Offsets in the module's blob (see mech/gss/ntlm_serialize.c). */
#define OFF_VERSION 4
#define OFF_INITIATOR 8
#define OFF_NEG_FLAGS 9
#define OFF_GSS_FLAGS 13
#define OFF_EXPIRY 17
#define OFF_STREAMS 49
#define RC4_STATE_SIZE 258
#define LEGACY_MAX_POSITION (UINT64_C(1) << 24)

/* An established raw NTLM pair, and a blob as gss_export_sec_context gave it. */
struct pair {
    gss_ctx_id_t ictx;
    gss_ctx_id_t actx;
};

struct blob {
    uint8_t data[4096];
    size_t len;
    size_t module; /* where the module's bytes start, after the mechglue's OID prefix */
};

static void
put_le64(uint8_t *out, uint64_t v)
{
    ntlm_put_le32(out, (uint32_t)v);
    ntlm_put_le32(out + 4, (uint32_t)(v >> 32));
}

static void
pair_start(struct pair *p)
{
    gss_cred_id_t cred = gss_test_password_cred(TEST_DOMAIN "\\" TEST_USER, TEST_PASSWORD);
    OM_uint32 min;

    memset(p, 0, sizeof(*p));
    CU_ASSERT_FATAL(
        gss_test_establish(cred, GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, &p->ictx, &p->actx));
    gss_release_cred(&min, &cred);
}

static void
pair_free(struct pair *p)
{
    OM_uint32 min;

    gss_delete_sec_context(&min, &p->ictx, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&min, &p->actx, GSS_C_NO_BUFFER);
}

/* Sends one sealed message and one MIC from `from` to `to`; true when both verify. */
static bool
talks(gss_ctx_id_t from, gss_ctx_id_t to, const char *text)
{
    gss_buffer_desc msg = {strlen(text), (void *)text}, tok = GSS_C_EMPTY_BUFFER,
                    back = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min;
    bool ok;

    maj = gss_wrap(&min, from, 1, GSS_C_QOP_DEFAULT, &msg, NULL, &tok);
    if (maj == GSS_S_COMPLETE)
        maj = gss_unwrap(&min, to, &tok, &back, NULL, NULL);
    ok = maj == GSS_S_COMPLETE && back.length == msg.length &&
         memcmp(back.value, text, msg.length) == 0;
    gss_release_buffer(&min, &tok);
    gss_release_buffer(&min, &back);
    maj = gss_get_mic(&min, from, GSS_C_QOP_DEFAULT, &msg, &tok);
    if (maj == GSS_S_COMPLETE)
        maj = gss_verify_mic(&min, to, &msg, &tok, NULL);
    gss_release_buffer(&min, &tok);
    return ok && maj == GSS_S_COMPLETE;
}

/* Exports *ctx (which goes away) into b. */
static void
export_into(gss_ctx_id_t *ctx, struct blob *b)
{
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min;

    maj = gss_export_sec_context(&min, ctx, &tok);
    CU_ASSERT_EQUAL_FATAL(maj, GSS_S_COMPLETE);
    CU_ASSERT_FATAL(tok.length <= sizeof(b->data) && tok.length > 4);
    memcpy(b->data, tok.value, tok.length);
    b->len = tok.length;
    /* The mechglue's prefix: the OID's length (4 bytes, big-endian), then the OID. */
    b->module = 4 + ((size_t)b->data[2] << 8 | b->data[3]);
    CU_ASSERT_FATAL(b->module < b->len);
    gss_release_buffer(&min, &tok);
}

static OM_uint32
import_from(const struct blob *b, gss_ctx_id_t *ctx)
{
    gss_buffer_desc tok = {b->len, (void *)b->data};
    OM_uint32 min;

    return gss_import_sec_context(&min, &tok, ctx);
}

static uint8_t *
field(struct blob *b, size_t off)
{
    return b->data + b->module + off;
}

/* Where the names start: after two stream fields (version 3) or two positions (1 and 2). */
static size_t
names_offset(struct blob *b)
{
    size_t off = OFF_STREAMS;
    int i;

    if (ntlm_get_le32(field(b, OFF_VERSION)) != 3)
        return OFF_STREAMS + 16;
    for (i = 0; i < 2; i++)
        off += *field(b, off) == 1 ? 1 + RC4_STATE_SIZE : 1;
    return off;
}

/* Rewrites b as the version 2 blob of the same context with the two keystream positions. */
static void
make_version_2(struct blob *b, uint64_t send_pos, uint64_t recv_pos)
{
    size_t names = names_offset(b), names_len = b->len - b->module - names;
    uint8_t tail[4096];

    memcpy(tail, field(b, names), names_len);
    ntlm_put_le32(field(b, OFF_VERSION), 2);
    put_le64(field(b, OFF_STREAMS), send_pos);
    put_le64(field(b, OFF_STREAMS + 8), recv_pos);
    memcpy(field(b, OFF_STREAMS + 16), tail, names_len);
    b->len = b->module + OFF_STREAMS + 16 + names_len;
}

static void
test_contexts_that_sealed_many_messages_keep_talking_after_import(void)
{
    struct pair p;
    struct blob b;
    int i;

    pair_start(&p);
    /* Past 256 bytes of keystream in each direction, so RC4's indices have wrapped. */
    for (i = 0; i < 40; i++) {
        CU_ASSERT(talks(p.ictx, p.actx, "from the initiator, before any export"));
        CU_ASSERT(talks(p.actx, p.ictx, "from the acceptor, before any export"));
    }
    export_into(&p.actx, &b);
    CU_ASSERT_EQUAL_FATAL(import_from(&b, &p.actx), GSS_S_COMPLETE);
    export_into(&p.ictx, &b);
    CU_ASSERT_EQUAL_FATAL(import_from(&b, &p.ictx), GSS_S_COMPLETE);
    CU_ASSERT(talks(p.ictx, p.actx, "after import, initiator to acceptor"));
    CU_ASSERT(talks(p.actx, p.ictx, "after import, acceptor to initiator"));
    pair_free(&p);
}

static void
test_an_imported_context_exports_the_same_blob_again(void)
{
    struct pair p;
    struct blob first, second;

    pair_start(&p);
    CU_ASSERT(talks(p.ictx, p.actx, "one message, so that one stream has moved"));
    export_into(&p.actx, &first);
    CU_ASSERT_EQUAL_FATAL(import_from(&first, &p.actx), GSS_S_COMPLETE);
    export_into(&p.actx, &second);
    CU_ASSERT_EQUAL(first.len, second.len);
    CU_ASSERT(first.len == second.len && memcmp(first.data, second.data, first.len) == 0);
    pair_free(&p);
}

static void
test_a_context_without_ess_travels_with_its_one_shared_stream(void)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    struct pair p;
    struct blob b, again;
    size_t recv = OFF_STREAMS + 1 + RC4_STATE_SIZE, tail;
    uint32_t flags;

    pair_start(&p);
    CU_ASSERT(talks(p.ictx, p.actx, "so that both stream fields carry a state"));
    CU_ASSERT(talks(p.actx, p.ictx, "so that both stream fields carry a state"));
    export_into(&p.actx, &b);
    CU_ASSERT_FATAL(*field(&b, OFF_STREAMS) == 1 && *field(&b, recv) == 1);
    /* The same context as if negotiated without ESS: one stream, sent as the send one. */
    flags = ntlm_get_le32(field(&b, OFF_NEG_FLAGS)) & ~(0x00080000u | 0x40000000u);
    ntlm_put_le32(field(&b, OFF_NEG_FLAGS), flags);
    tail = b.len - b.module - recv - 1 - RC4_STATE_SIZE;
    *field(&b, recv) = 0;
    memmove(field(&b, recv + 1), field(&b, recv + 1 + RC4_STATE_SIZE), tail);
    b.len -= RC4_STATE_SIZE;
    CU_ASSERT_EQUAL_FATAL(import_from(&b, &ctx), GSS_S_COMPLETE);
    export_into(&ctx, &again);
    CU_ASSERT(b.len == again.len && memcmp(b.data, again.data, b.len) == 0);
    pair_free(&p);
}

static void
test_import_refuses_an_old_blob_with_a_huge_rc4_position(void)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    struct pair p;
    struct blob b;

    pair_start(&p);
    export_into(&p.actx, &b);
    /* 2^40 bytes of keystream to replay: minutes of CPU before streams were stored. */
    make_version_2(&b, UINT64_C(1) << 40, 0);
    CU_ASSERT_EQUAL(GSS_ROUTINE_ERROR(import_from(&b, &ctx)), GSS_S_DEFECTIVE_TOKEN);
    CU_ASSERT_PTR_NULL(ctx);
    make_version_2(&b, 0, LEGACY_MAX_POSITION + 1);
    CU_ASSERT_EQUAL(GSS_ROUTINE_ERROR(import_from(&b, &ctx)), GSS_S_DEFECTIVE_TOKEN);
    CU_ASSERT_PTR_NULL(ctx);
    pair_free(&p);
}

static void
test_import_still_reads_version_2_blobs_within_the_replay_bound(void)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    struct pair p;
    struct blob b, at_bound;
    OM_uint32 min;

    pair_start(&p);
    export_into(&p.actx, &b);
    at_bound = b;
    /* Nothing sealed yet: positions 0, and the context goes on with its peer. */
    make_version_2(&b, 0, 0);
    CU_ASSERT_EQUAL_FATAL(import_from(&b, &p.actx), GSS_S_COMPLETE);
    CU_ASSERT(talks(p.ictx, p.actx, "to a context imported from version 2"));
    CU_ASSERT(talks(p.actx, p.ictx, "from a context imported from version 2"));
    make_version_2(&at_bound, LEGACY_MAX_POSITION, LEGACY_MAX_POSITION);
    CU_ASSERT_EQUAL(import_from(&at_bound, &ctx), GSS_S_COMPLETE);
    gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    pair_free(&p);
}

static void
test_import_refuses_every_truncation_and_extension_of_a_blob(void)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    struct pair p;
    struct blob b, cut;
    size_t len;

    pair_start(&p);
    CU_ASSERT(talks(p.ictx, p.actx, "so that both stream fields carry a state"));
    CU_ASSERT(talks(p.actx, p.ictx, "so that both stream fields carry a state"));
    export_into(&p.actx, &b);
    for (len = b.module; len < b.len; len++) {
        cut = b;
        cut.len = len;
        CU_ASSERT_EQUAL(GSS_ROUTINE_ERROR(import_from(&cut, &ctx)), GSS_S_DEFECTIVE_TOKEN);
        CU_ASSERT_PTR_NULL(ctx);
    }
    cut = b;
    cut.data[cut.len++] = 0;
    CU_ASSERT_EQUAL(GSS_ROUTINE_ERROR(import_from(&cut, &ctx)), GSS_S_DEFECTIVE_TOKEN);
    CU_ASSERT_PTR_NULL(ctx);
    pair_free(&p);
}

/* One lie told by an otherwise good blob. */
struct blob_lie {
    const char *what;
    void (*tell)(struct blob *b);
};

static void
bad_magic(struct blob *b)
{
    *field(b, 0) = 'X';
}

static void
version_0(struct blob *b)
{
    ntlm_put_le32(field(b, OFF_VERSION), 0);
}

static void
version_4(struct blob *b)
{
    ntlm_put_le32(field(b, OFF_VERSION), 4);
}

static void
version_all_ones(struct blob *b)
{
    ntlm_put_le32(field(b, OFF_VERSION), 0xffffffffu);
}

static void
initiator_2(struct blob *b)
{
    *field(b, OFF_INITIATOR) = 2;
}

static void
reserved_ntlm_flag(struct blob *b)
{
    /* 0x8 is r10 in MS-NLMP 2.2.2.5: reserved, never negotiated. */
    ntlm_put_le32(field(b, OFF_NEG_FLAGS), ntlm_get_le32(field(b, OFF_NEG_FLAGS)) | 0x8);
}

static void
gss_flag_ntlm_cannot_grant(struct blob *b)
{
    ntlm_put_le32(field(b, OFF_GSS_FLAGS),
                  ntlm_get_le32(field(b, OFF_GSS_FLAGS)) | GSS_C_DELEG_FLAG);
}

static void
expiry_beyond_a_context_lifetime(struct blob *b)
{
    put_le64(field(b, OFF_EXPIRY), (uint64_t)time(NULL) + 10 * 36 * 3600);
}

static void
negative_expiry(struct blob *b)
{
    put_le64(field(b, OFF_EXPIRY), UINT64_MAX);
}

static void
unknown_stream_tag(struct blob *b)
{
    *field(b, OFF_STREAMS) = 2;
}

static void
rc4_state_not_a_permutation(struct blob *b)
{
    /* After the tag and i, j: S[0] = S[1]. */
    *field(b, OFF_STREAMS + 3) = *field(b, OFF_STREAMS + 4);
}

static void
no_ess_but_a_stream_each_way(struct blob *b)
{
    ntlm_put_le32(field(b, OFF_NEG_FLAGS), ntlm_get_le32(field(b, OFF_NEG_FLAGS)) & ~0x00080000u);
}

static void
unknown_name_kind(struct blob *b)
{
    *field(b, names_offset(b)) = 7;
}

static void
user_length_past_the_end(struct blob *b)
{
    ntlm_put_le32(field(b, names_offset(b) + 1), 0x7fffffff);
}

static void
user_with_a_nul(struct blob *b)
{
    *field(b, names_offset(b) + 5) = 0;
}

static void
sid_list_with_other_characters(struct blob *b)
{
    static const char sids[] = "S-1-5-21;rm";
    size_t name = names_offset(b), user_len, domain_len, sids_off, tail_len;
    uint8_t tail[4096];

    /* kind, user, domain, then the SID list (none here): put a bad one in its place. */
    user_len = ntlm_get_le32(field(b, name + 1));
    domain_len = ntlm_get_le32(field(b, name + 5 + user_len));
    sids_off = name + 9 + user_len + (domain_len == 0xffffffffu ? 0 : domain_len);
    CU_ASSERT_EQUAL_FATAL(ntlm_get_le32(field(b, sids_off)), 0xffffffffu);
    tail_len = b->len - b->module - sids_off - 4;
    memcpy(tail, field(b, sids_off + 4), tail_len);
    ntlm_put_le32(field(b, sids_off), sizeof(sids) - 1);
    memcpy(field(b, sids_off + 4), sids, sizeof(sids) - 1);
    memcpy(field(b, sids_off + 4 + sizeof(sids) - 1), tail, tail_len);
    b->len += sizeof(sids) - 1;
}

static const struct blob_lie lies[] = {
    {"magic", bad_magic},
    {"version 0", version_0},
    {"version 4", version_4},
    {"version 0xffffffff", version_all_ones},
    {"initiator byte 2", initiator_2},
    {"reserved NTLMSSP flag", reserved_ntlm_flag},
    {"GSS flag NTLM cannot grant", gss_flag_ntlm_cannot_grant},
    {"expiry beyond a context lifetime", expiry_beyond_a_context_lifetime},
    {"negative expiry", negative_expiry},
    {"unknown stream tag", unknown_stream_tag},
    {"RC4 state not a permutation", rc4_state_not_a_permutation},
    {"no ESS but a stream each way", no_ess_but_a_stream_each_way},
    {"unknown name kind", unknown_name_kind},
    {"user length past the end", user_length_past_the_end},
    {"user with a NUL", user_with_a_nul},
    {"SID list with other characters", sid_list_with_other_characters},
};

static void
test_import_refuses_a_blob_that_lies_about_any_field(void)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    struct pair p;
    struct blob b, bad;
    OM_uint32 maj, min;
    size_t i;

    pair_start(&p);
    CU_ASSERT(talks(p.ictx, p.actx, "so that the receive stream carries a state"));
    CU_ASSERT(talks(p.actx, p.ictx, "so that the send stream carries a state"));
    export_into(&p.actx, &b);
    CU_ASSERT_EQUAL_FATAL(*field(&b, OFF_STREAMS), 1);
    for (i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
        bad = b;
        lies[i].tell(&bad);
        maj = import_from(&bad, &ctx);
        if (GSS_ROUTINE_ERROR(maj) != GSS_S_DEFECTIVE_TOKEN)
            fprintf(stderr, "\n  %s: import gave 0x%x\n", lies[i].what, maj);
        CU_ASSERT_EQUAL(GSS_ROUTINE_ERROR(maj), GSS_S_DEFECTIVE_TOKEN);
        gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    }
    /* The untouched blob still imports: the refusals were the lies'. */
    CU_ASSERT_EQUAL(import_from(&b, &ctx), GSS_S_COMPLETE);
    gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    pair_free(&p);
}

static CU_TestInfo tests[] = {
    {"contexts that sealed many messages keep talking after import",
     test_contexts_that_sealed_many_messages_keep_talking_after_import},
    {"an imported context exports the same blob again",
     test_an_imported_context_exports_the_same_blob_again},
    {"a context without ESS travels with its one shared stream",
     test_a_context_without_ess_travels_with_its_one_shared_stream},
    {"import refuses an old blob with a huge RC4 position",
     test_import_refuses_an_old_blob_with_a_huge_rc4_position},
    {"import still reads version 2 blobs within the replay bound",
     test_import_still_reads_version_2_blobs_within_the_replay_bound},
    {"import refuses every truncation and extension of a blob",
     test_import_refuses_every_truncation_and_extension_of_a_blob},
    {"import refuses a blob that lies about any field",
     test_import_refuses_a_blob_that_lies_about_any_field},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return gss_test_env_run_suite("gss export", tests);
}
