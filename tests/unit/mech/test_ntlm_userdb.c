/* Tests of mech/core/ntlm_userdb.c: the three file formats, name matching, and reloading. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ntlm_auth.h"
#include "ntlm_errors.h"
#include "ntlm_userdb.h"
#include "test_util.h"

/* NT hash of "Password" (MS-NLMP 4.2.2.1.2). */
#define PASSWORD_NT_HASH "a4f49c406510bdcab6824ee7c30fd852"
#define HASH_1 "11111111111111111111111111111111"
#define HASH_2 "22222222222222222222222222222222"
#define HASH_3 "33333333333333333333333333333333"

/* A scratch directory holding one user file, removed by fixture_end. */
struct fixture {
    char dir[64];
    char path[128];
};

static void
fixture_begin(struct fixture *fx)
{
    strcpy(fx->dir, "/tmp/test_ntlm_userdb.XXXXXX");
    CU_ASSERT_FATAL(mkdtemp(fx->dir) != NULL);
    snprintf(fx->path, sizeof(fx->path), "%s/users", fx->dir);
}

static void
fixture_end(struct fixture *fx)
{
    char other[160];

    snprintf(other, sizeof(other), "%s/users.new", fx->dir);
    unlink(other);
    unlink(fx->path);
    rmdir(fx->dir);
}

/* Writes text to path in place (same inode, truncated first). */
static void
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT_FATAL(fputs(text, f) >= 0);
    CU_ASSERT_FATAL(fclose(f) == 0);
}

static struct ntlm_userdb_index *
parse_ok(const char *text)
{
    struct ntlm_userdb_index *index = NULL;
    unsigned bad_line = 0;

    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_parse(text, strlen(text), &index, &bad_line, NULL), 0);
    CU_ASSERT_FATAL(index != NULL);
    return index;
}

/* Parses len bytes of text expecting a syntax error and returns the line it names. */
static unsigned
parse_bad_line_n(const char *text, size_t len)
{
    struct ntlm_userdb_index *index = NULL;
    unsigned bad_line = 0;
    const char *reason = NULL;

    CU_ASSERT_EQUAL(ntlm_userdb_parse(text, len, &index, &bad_line, &reason),
                    NTLM_ERR_USERDB_SYNTAX);
    CU_ASSERT_PTR_NULL(index);
    /* The log names the line and says what is wrong with it. */
    CU_ASSERT(reason != NULL && reason[0] != '\0');
    return bad_line;
}

static unsigned
parse_bad_line(const char *text)
{
    return parse_bad_line_n(text, strlen(text));
}

static void
check_hash(const uint8_t hash[16], const char *hex)
{
    size_t len;
    uint8_t *want = test_hex(hex, &len);

    CU_ASSERT_EQUAL(len, 16);
    CU_ASSERT_EQUAL(memcmp(hash, want, 16), 0);
    free(want);
}

/* Looks up (user, domain) and checks the hash and the domain as written in the file. */
static void
check_index_entry(const struct ntlm_userdb_index *index, const char *user, const char *domain,
                  const char *want_hex, const char *want_domain)
{
    struct ntlm_user_entry entry = {0};

    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_index_lookup(index, user, domain, &entry), 0);
    check_hash(entry.nt_hash, want_hex);
    CU_ASSERT_STRING_EQUAL(entry.domain, want_domain);
    ntlm_user_entry_clear(&entry);
}

static void
check_index_unknown(const struct ntlm_userdb_index *index, const char *user, const char *domain)
{
    struct ntlm_user_entry entry = {0};

    CU_ASSERT_EQUAL(ntlm_userdb_index_lookup(index, user, domain, &entry), NTLM_ERR_UNKNOWN_USER);
    CU_ASSERT_PTR_NULL(entry.user);
}

static void
check_db_hash(struct ntlm_userdb *db, const char *user, const char *domain, const char *want_hex)
{
    struct ntlm_user_entry entry = {0};

    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_lookup(db, user, domain, &entry), 0);
    check_hash(entry.nt_hash, want_hex);
    ntlm_user_entry_clear(&entry);
}

static void
test_own_format_maps_user_and_domain_to_the_nt_hash(void)
{
    struct ntlm_userdb_index *index = parse_ok("#sspigss-users 1\n"
                                               "CORP:alice:" HASH_1 "\n"
                                               "LAB:alice:" HASH_2 "\n"
                                               ":bob:" HASH_3 "\n");
    struct ntlm_user_entry entry = {0};

    CU_ASSERT_EQUAL(ntlm_userdb_index_count(index), 3);
    check_index_entry(index, "alice", "CORP", HASH_1, "CORP");
    check_index_entry(index, "alice", "LAB", HASH_2, "LAB");
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_index_lookup(index, "bob", "ANY", &entry), 0);
    CU_ASSERT_STRING_EQUAL(entry.user, "bob");
    CU_ASSERT_STRING_EQUAL(entry.domain, "");
    ntlm_user_entry_clear(&entry);
    ntlm_userdb_index_free(index);
}

static void
test_own_format_accepts_upper_case_hex(void)
{
    struct ntlm_userdb_index *index =
        parse_ok("#sspigss-users 1\nD:u:A4F49C406510BDCAB6824EE7C30FD852\n");

    check_index_entry(index, "u", "D", PASSWORD_NT_HASH, "D");
    ntlm_userdb_index_free(index);
}

static void
test_gss_ntlmssp_format_hashes_the_password_at_load(void)
{
    struct ntlm_userdb_index *index = parse_ok("CORP:user:Password\n");

    check_index_entry(index, "user", "CORP", PASSWORD_NT_HASH, "CORP");
    ntlm_userdb_index_free(index);
}

static void
test_gss_ntlmssp_password_may_contain_colons(void)
{
    struct ntlm_userdb_index *index = parse_ok("CORP:user:pass:with::colons:\n");
    struct ntlm_user_entry entry = {0};
    uint8_t want[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash("pass:with::colons:", want), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_index_lookup(index, "user", "CORP", &entry), 0);
    CU_ASSERT_EQUAL(memcmp(entry.nt_hash, want, 16), 0);
    ntlm_user_entry_clear(&entry);
    ntlm_userdb_index_free(index);
}

static void
test_smbpasswd_lines_take_an_optional_domain_prefix(void)
{
    struct ntlm_userdb_index *index =
        parse_ok("alice:1000:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:" PASSWORD_NT_HASH
                 ":[U          ]:LCT-5F3A1B2C:\n"
                 "CORP\\bob:1001:" HASH_1 ":" HASH_2 ":[U          ]:LCT-5F3A1B2C:\n");

    CU_ASSERT_EQUAL(ntlm_userdb_index_count(index), 2);
    check_index_entry(index, "alice", "ANYWHERE", PASSWORD_NT_HASH, "");
    check_index_entry(index, "bob", "CORP", HASH_2, "CORP");
    check_index_unknown(index, "bob", "OTHER");
    check_index_unknown(index, "CORP\\bob", "");
    ntlm_userdb_index_free(index);
}

static void
test_smbpasswd_accounts_without_password_or_disabled_are_unknown(void)
{
    struct ntlm_userdb_index *index = parse_ok(
        "nopw:1000:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
        ":[U          ]:LCT-5F3A1B2C:\n"
        "off:1001:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:" HASH_1 ":[UD         ]:LCT-5F3A1B2C:\n"
        "on:1002:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:" HASH_2 ":[U          ]:LCT-5F3A1B2C:\n");

    CU_ASSERT_EQUAL(ntlm_userdb_index_count(index), 1);
    check_index_unknown(index, "nopw", "");
    check_index_unknown(index, "off", "");
    check_index_entry(index, "on", "", HASH_2, "");
    ntlm_userdb_index_free(index);
}

/* What Samba writes for an account flagged N (no password needed): smbpasswd(5). */
#define SMB_NO_PASSWORD "NO PASSWORDXXXXXXXXXXXXXXXXXXXXX"
#define SMB_X32 "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"

static void
test_smbpasswd_no_password_line_is_never_read_as_a_password_line(void)
{
    static const char line[] =
        "nopw:1000:" SMB_NO_PASSWORD ":" SMB_NO_PASSWORD ":[NU         ]:LCT-5F3A1B2C:\n";
    struct ntlm_userdb_index *index = parse_ok(line);

    /* Once user "1000" of domain "nopw", whose password was the rest of the line. */
    CU_ASSERT_EQUAL(ntlm_userdb_index_count(index), 0);
    check_index_unknown(index, "1000", "nopw");
    check_index_unknown(index, "nopw", "");
    ntlm_userdb_index_free(index);
}

static void
test_machine_trust_locked_and_disabled_accounts_never_log_on(void)
{
    struct ntlm_userdb_index *index =
        parse_ok("ws1$:1000:" SMB_X32 ":" HASH_1 ":[W          ]:LCT-5F3A1B2C:\n"
                 "srv:1001:" SMB_X32 ":" HASH_1 ":[S          ]:LCT-5F3A1B2C:\n"
                 "PARTNER:1002:" SMB_X32 ":" HASH_1 ":[I          ]:LCT-5F3A1B2C:\n"
                 "locked:1003:" SMB_X32 ":" HASH_1 ":[UL         ]:LCT-5F3A1B2C:\n"
                 "off:1004:" SMB_X32 ":" HASH_1 ":[DU         ]:LCT-5F3A1B2C:\n"
                 "host$:1005:" SMB_X32 ":" HASH_1 ":[U          ]:LCT-5F3A1B2C:\n"
                 "CORP:pc$:Password\n"
                 "CORP:on:Password\n");
    struct ntlm_userdb_index *own =
        parse_ok("#sspigss-users 1\nCORP:pc$:" HASH_1 "\nCORP:on:" HASH_2 "\n");
    static const char *const never[] = {"ws1$", "srv", "PARTNER", "locked", "off", "host$", "pc$"};
    size_t i;

    for (i = 0; i < sizeof(never) / sizeof(never[0]); i++)
        check_index_unknown(index, never[i], "CORP");
    CU_ASSERT_EQUAL(ntlm_userdb_index_count(index), 1);
    check_index_entry(index, "on", "CORP", PASSWORD_NT_HASH, "CORP");
    check_index_unknown(own, "pc$", "CORP");
    check_index_entry(own, "on", "CORP", HASH_2, "CORP");
    ntlm_userdb_index_free(own);
    ntlm_userdb_index_free(index);
}

/* A line has one format, by its shape; a line that fits none is an error, never a guess. */
static void
test_a_line_that_fits_no_format_is_an_error_naming_it(void)
{
    struct ntlm_userdb_index *index;

    /* smbpasswd's shape (a numeric UID, four colons or more) with fields smbpasswd never writes. */
    CU_ASSERT_EQUAL(parse_bad_line("CORP:a:Password\nnopw:1000:NO PASSWORD:NO PASSWORD:[NU]:\n"),
                    2);
    CU_ASSERT_EQUAL(parse_bad_line("u:1000:" SMB_X32 ":" HASH_1 "0:[U          ]:LCT-1:\n"), 1);
    CU_ASSERT_EQUAL(parse_bad_line("u:1000:" SMB_X32 ":" HASH_1 ":[U          :LCT-1:\n"), 1);
    CU_ASSERT_EQUAL(parse_bad_line("u:1000:" SMB_X32 ":" HASH_1 ":[u          ]:LCT-1:\n"), 1);
    CU_ASSERT_EQUAL(
        parse_bad_line("u:1000:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX1:" HASH_1 ":[U          ]:LCT-1:\n"),
        1);
    CU_ASSERT_EQUAL(parse_bad_line("\\u:1000:" SMB_X32 ":" HASH_1 ":[U          ]:LCT-1:\n"), 1);
    /* A password line stays one even when its password has colons, if the user is no UID. */
    index = parse_ok("CORP:u:a:b:c:d\n");
    /* The NT hash of "a:b:c:d". */
    check_index_entry(index, "u", "CORP", "5a31502b03937a57a143cffb279d59cc", "CORP");
    ntlm_userdb_index_free(index);
}

/* A backslash or a control character in a name would make the authenticated name ambiguous
 * or forge log lines: in every format, such a line is an error. */
static void
test_names_with_a_backslash_or_control_character_are_errors(void)
{
    CU_ASSERT_EQUAL(parse_bad_line("CORP:a\\b:Password\n"), 1);
    CU_ASSERT_EQUAL(parse_bad_line("CO\\RP:a:Password\n"), 1);
    CU_ASSERT_EQUAL(parse_bad_line("CORP:a\tb:Password\n"), 1);
    CU_ASSERT_EQUAL(parse_bad_line("CORP:a\x7f:Password\n"), 1);
    CU_ASSERT_EQUAL(parse_bad_line("CORP:a\xc2\x85:Password\n"), 1);
    CU_ASSERT_EQUAL(parse_bad_line("#sspigss-users 1\nCO\x1bRP:a:" HASH_1 "\n"), 2);
    CU_ASSERT_EQUAL(parse_bad_line("A\\b\\c:1000:" SMB_X32 ":" HASH_1 ":[U          ]:LCT-1:\n"),
                    1);
}

static void
test_lookup_ignores_the_case_of_user_and_domain_beyond_ascii(void)
{
    struct ntlm_userdb_index *index = parse_ok("#sspigss-users 1\n"
                                               "Dömäne:müller:" HASH_1 "\n");

    check_index_entry(index, "MÜLLER", "DÖMÄNE", HASH_1, "Dömäne");
    check_index_entry(index, "Müller", "dömäne", HASH_1, "Dömäne");
    check_index_unknown(index, "MULLER", "DÖMÄNE");
    ntlm_userdb_index_free(index);
}

static void
test_any_domain_entry_matches_every_domain(void)
{
    struct ntlm_userdb_index *index = parse_ok(":carol:Password\n");

    check_index_entry(index, "carol", "CORP", PASSWORD_NT_HASH, "");
    check_index_entry(index, "CAROL", "lab.example.com", PASSWORD_NT_HASH, "");
    check_index_entry(index, "carol", "", PASSWORD_NT_HASH, "");
    ntlm_userdb_index_free(index);
}

static void
test_exact_domain_entry_wins_over_an_earlier_any_domain_entry(void)
{
    struct ntlm_userdb_index *index = parse_ok("#sspigss-users 1\n"
                                               ":dave:" HASH_1 "\n"
                                               "CORP:dave:" HASH_2 "\n");

    check_index_entry(index, "dave", "corp", HASH_2, "CORP");
    check_index_entry(index, "dave", "LAB", HASH_1, "");
    ntlm_userdb_index_free(index);
}

static void
test_empty_client_domain_takes_the_first_entry_for_the_user(void)
{
    struct ntlm_userdb_index *index = parse_ok("#sspigss-users 1\n"
                                               "LAB:erin:" HASH_1 "\n"
                                               ":erin:" HASH_2 "\n"
                                               "CORP:erin:" HASH_3 "\n");

    check_index_entry(index, "erin", "", HASH_1, "LAB");
    check_index_entry(index, "ERIN", NULL, HASH_1, "LAB");
    ntlm_userdb_index_free(index);
}

static void
test_first_of_duplicate_lines_wins(void)
{
    struct ntlm_userdb_index *index = parse_ok("#sspigss-users 1\n"
                                               "CORP:frank:" HASH_1 "\n"
                                               "corp:FRANK:" HASH_2 "\n");

    check_index_entry(index, "frank", "CORP", HASH_1, "CORP");
    ntlm_userdb_index_free(index);
}

static void
test_unknown_user_or_domain_is_not_found(void)
{
    struct ntlm_userdb_index *index = parse_ok("CORP:grace:Password\n");

    check_index_unknown(index, "heidi", "CORP");
    check_index_unknown(index, "grace", "LAB");
    check_index_unknown(index, "", "CORP");
    check_index_unknown(index, "\xff", "CORP");
    ntlm_userdb_index_free(index);
}

static void
test_blank_comment_and_crlf_lines_are_accepted(void)
{
    struct ntlm_userdb_index *index = parse_ok("# users\r\n"
                                               "\r\n"
                                               "   \t\n"
                                               "  # indented comment\n"
                                               "CORP:ivan:Password\r\n"
                                               "CORP:judy:Password");

    CU_ASSERT_EQUAL(ntlm_userdb_index_count(index), 2);
    /* The CR is not part of the password. */
    check_index_entry(index, "ivan", "CORP", PASSWORD_NT_HASH, "CORP");
    check_index_entry(index, "judy", "CORP", PASSWORD_NT_HASH, "CORP");
    ntlm_userdb_index_free(index);
}

static void
test_own_format_crlf_lines_are_accepted(void)
{
    struct ntlm_userdb_index *index = parse_ok("#sspigss-users 1\r\nCORP:kim:" HASH_1 "\r\n");

    check_index_entry(index, "kim", "CORP", HASH_1, "CORP");
    ntlm_userdb_index_free(index);
}

static void
test_empty_file_is_a_valid_empty_database(void)
{
    struct ntlm_userdb_index *index = parse_ok("");

    CU_ASSERT_EQUAL(ntlm_userdb_index_count(index), 0);
    check_index_unknown(index, "anyone", "");
    ntlm_userdb_index_free(index);
}

static void
test_a_5000_character_line_is_one_entry(void)
{
    size_t pw_len = 5000 - strlen("CORP:long:");
    char *password = malloc(pw_len + 1), *text = malloc(5000 + 64);
    struct ntlm_userdb_index *index;
    struct ntlm_user_entry entry = {0};
    uint8_t want[16];

    CU_ASSERT_FATAL(password != NULL && text != NULL);
    memset(password, 'p', pw_len);
    password[pw_len] = '\0';
    snprintf(text, 5000 + 64, "CORP:long:%s\nCORP:next:Password\n", password);
    CU_ASSERT_EQUAL(strchr(text, '\n') - text, 5000);
    index = parse_ok(text);
    CU_ASSERT_EQUAL(ntlm_userdb_index_count(index), 2);
    CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash(password, want), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_index_lookup(index, "long", "CORP", &entry), 0);
    CU_ASSERT_EQUAL(memcmp(entry.nt_hash, want, 16), 0);
    ntlm_user_entry_clear(&entry);
    check_index_entry(index, "next", "CORP", PASSWORD_NT_HASH, "CORP");
    ntlm_userdb_index_free(index);
    free(text);
    free(password);
}

static void
test_syntax_errors_name_the_line(void)
{
    static const char nul_line[] = "CORP:a:Password\nCORP:b:Pass\0word\n";

    CU_ASSERT_EQUAL(parse_bad_line("# c\nCORP:a:Password\nno colons here\n"), 3);
    CU_ASSERT_EQUAL(parse_bad_line("CORP:only-one-colon\n"), 1);
    CU_ASSERT_EQUAL(parse_bad_line("CORP::Password\n"), 1);
    CU_ASSERT_EQUAL(parse_bad_line("CORP:a:Password\nCORP:\xc3\x28:Password\n"), 2);
    CU_ASSERT_EQUAL(parse_bad_line("CORP:a:Pass\xe2\x82word\n"), 1);
    CU_ASSERT_EQUAL(parse_bad_line_n(nul_line, sizeof(nul_line) - 1), 2);
    /* Our format takes hashes only: a password, a short hash or a bad digit is an error. */
    CU_ASSERT_EQUAL(parse_bad_line("#sspigss-users 1\nCORP:a:Password\n"), 2);
    CU_ASSERT_EQUAL(parse_bad_line("#sspigss-users 1\n\nCORP:a:a4f49c40\n"), 3);
    CU_ASSERT_EQUAL(parse_bad_line("#sspigss-users 1\nCORP:a:g4f49c406510bdcab6824ee7c30fd852\n"),
                    2);
    CU_ASSERT_EQUAL(parse_bad_line("#sspigss-users 1\n:" PASSWORD_NT_HASH ":x\n"), 2);
    CU_ASSERT_EQUAL(parse_bad_line("#sspigss-users 1\n:" PASSWORD_NT_HASH "\n"), 2);
    /* A header of another version must not pass as a comment. */
    CU_ASSERT_EQUAL(parse_bad_line("#sspigss-users 2\nCORP:a:" HASH_1 "\n"), 1);
    /* An smbpasswd line with an empty user after the domain prefix. */
    CU_ASSERT_EQUAL(parse_bad_line("CORP\\:1000:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:" HASH_1
                                   ":[U          ]:LCT-5F3A1B2C:\n"),
                    1);
}

static void
test_index_of_100000_entries_finds_every_user(void)
{
    const size_t count = 100000;
    size_t cap = 32 + count * 64, len, i;
    char *text = malloc(cap);
    struct ntlm_userdb_index *index;
    unsigned bad_line = 0;

    CU_ASSERT_FATAL(text != NULL);
    len = (size_t)snprintf(text, cap, "#sspigss-users 1\n");
    for (i = 0; i < count; i++)
        len += (size_t)snprintf(text + len, cap - len, "DOM%zu:user%zu:%032zx\n", i % 7, i, i);
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_parse(text, len, &index, &bad_line, NULL), 0);
    CU_ASSERT_EQUAL(ntlm_userdb_index_count(index), count);
    for (i = 0; i < count; i++) {
        struct ntlm_user_entry entry = {0};
        char user[32], domain[16], hex[40];
        uint32_t ret;

        snprintf(user, sizeof(user), "USER%zu", i);
        snprintf(domain, sizeof(domain), "dom%zu", i % 7);
        snprintf(hex, sizeof(hex), "%032zx", i);
        ret = ntlm_userdb_index_lookup(index, user, domain, &entry);
        if (ret != 0) {
            CU_FAIL("a user of the large index was not found");
            break;
        }
        check_hash(entry.nt_hash, hex);
        ntlm_user_entry_clear(&entry);
    }
    check_index_unknown(index, "user5", "DOM6");
    check_index_unknown(index, "user100000", "DOM0");
    ntlm_userdb_index_free(index);
    free(text);
}

static void
test_open_tells_missing_file_from_syntax_error_from_unknown_user(void)
{
    struct fixture fx;
    struct ntlm_userdb *db = NULL;
    struct ntlm_user_entry entry = {0};

    fixture_begin(&fx);
    CU_ASSERT_EQUAL(ntlm_userdb_open(fx.path, false, &db), NTLM_ERR_USERDB_UNREADABLE);
    CU_ASSERT_EQUAL(ntlm_userdb_open(fx.dir, false, &db), NTLM_ERR_USERDB_UNREADABLE);
    write_file(fx.path, "CORP:a:Password\nbroken\n");
    CU_ASSERT_EQUAL(ntlm_userdb_open(fx.path, false, &db), NTLM_ERR_USERDB_SYNTAX);
    CU_ASSERT_PTR_NULL(db);
    write_file(fx.path, "CORP:a:Password\n");
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_open(fx.path, false, &db), 0);
    CU_ASSERT_EQUAL(ntlm_userdb_lookup(db, "b", "CORP", &entry), NTLM_ERR_UNKNOWN_USER);
    check_db_hash(db, "A", "corp", PASSWORD_NT_HASH);
    ntlm_userdb_release(db);
    fixture_end(&fx);
}

static void
test_opening_a_path_twice_shares_one_database(void)
{
    struct fixture fx;
    struct ntlm_userdb *db1 = NULL, *db2 = NULL;

    fixture_begin(&fx);
    write_file(fx.path, "CORP:a:Password\n");
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_open(fx.path, false, &db1), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_open(fx.path, false, &db2), 0);
    CU_ASSERT_PTR_EQUAL(db1, db2);
    ntlm_userdb_release(db1);
    check_db_hash(db2, "a", "CORP", PASSWORD_NT_HASH);
    ntlm_userdb_release(db2);
    fixture_end(&fx);
}

static void
test_lookup_rereads_a_file_rewritten_in_place(void)
{
    struct fixture fx;
    struct ntlm_userdb *db = NULL;

    fixture_begin(&fx);
    write_file(fx.path, "#sspigss-users 1\nCORP:a:" HASH_1 "\n");
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_open(fx.path, false, &db), 0);
    check_db_hash(db, "a", "CORP", HASH_1);
    write_file(fx.path, "#sspigss-users 1\n# now longer\nCORP:a:" HASH_2 "\n");
    check_db_hash(db, "a", "CORP", HASH_2);
    ntlm_userdb_release(db);
    fixture_end(&fx);
}

static void
test_lookup_rereads_a_file_replaced_by_rename(void)
{
    struct fixture fx;
    struct ntlm_userdb *db = NULL;
    char next[160];

    fixture_begin(&fx);
    snprintf(next, sizeof(next), "%s/users.new", fx.dir);
    write_file(fx.path, "#sspigss-users 1\nCORP:a:" HASH_1 "\n");
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_open(fx.path, false, &db), 0);
    check_db_hash(db, "a", "CORP", HASH_1);
    /* Same size as the first file: only the inode tells them apart. */
    write_file(next, "#sspigss-users 1\nCORP:a:" HASH_3 "\n");
    CU_ASSERT_EQUAL_FATAL(rename(next, fx.path), 0);
    check_db_hash(db, "a", "CORP", HASH_3);
    ntlm_userdb_release(db);
    fixture_end(&fx);
}

static void
test_lookup_fails_closed_while_the_file_is_missing_and_recovers(void)
{
    struct fixture fx;
    struct ntlm_userdb *db = NULL;
    struct ntlm_user_entry entry = {0};

    fixture_begin(&fx);
    write_file(fx.path, "CORP:a:Password\n");
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_open(fx.path, false, &db), 0);
    check_db_hash(db, "a", "CORP", PASSWORD_NT_HASH);
    CU_ASSERT_EQUAL_FATAL(unlink(fx.path), 0);
    CU_ASSERT_EQUAL(ntlm_userdb_lookup(db, "a", "CORP", &entry), NTLM_ERR_USERDB_UNREADABLE);
    CU_ASSERT_EQUAL(ntlm_userdb_lookup(db, "a", "CORP", &entry), NTLM_ERR_USERDB_UNREADABLE);
    CU_ASSERT_PTR_NULL(entry.user);
    write_file(fx.path, "#sspigss-users 1\nCORP:a:" HASH_2 "\n");
    check_db_hash(db, "a", "CORP", HASH_2);
    ntlm_userdb_release(db);
    fixture_end(&fx);
}

static void
test_lookup_fails_closed_while_the_file_is_invalid_and_recovers(void)
{
    struct fixture fx;
    struct ntlm_userdb *db = NULL;
    struct ntlm_user_entry entry = {0};

    fixture_begin(&fx);
    write_file(fx.path, "CORP:a:Password\n");
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_open(fx.path, false, &db), 0);
    write_file(fx.path, "CORP:a:Password\ngarbage\n");
    CU_ASSERT_EQUAL(ntlm_userdb_lookup(db, "a", "CORP", &entry), NTLM_ERR_USERDB_SYNTAX);
    CU_ASSERT_EQUAL(ntlm_userdb_lookup(db, "a", "CORP", &entry), NTLM_ERR_USERDB_SYNTAX);
    write_file(fx.path, "#sspigss-users 1\nCORP:a:" HASH_1 "\n");
    check_db_hash(db, "a", "CORP", HASH_1);
    ntlm_userdb_release(db);
    fixture_end(&fx);
}

struct thread_job {
    struct ntlm_userdb *db;
    unsigned failures;
};

static void *
lookup_many(void *arg)
{
    struct thread_job *job = arg;
    unsigned i;

    for (i = 0; i < 200; i++) {
        struct ntlm_user_entry entry = {0};
        const char *user = i % 2 ? "a" : "b";

        if (ntlm_userdb_lookup(job->db, user, "CORP", &entry) != 0 || strcmp(entry.user, user) != 0)
            job->failures++;
        ntlm_user_entry_clear(&entry);
    }
    return NULL;
}

static void
test_lookups_from_many_threads_all_succeed(void)
{
    struct fixture fx;
    struct thread_job jobs[8];
    pthread_t threads[8];
    struct ntlm_userdb *db = NULL;
    size_t i;

    fixture_begin(&fx);
    write_file(fx.path, "CORP:a:Password\nCORP:b:Password\n");
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_open(fx.path, false, &db), 0);
    for (i = 0; i < 8; i++) {
        jobs[i].db = db;
        jobs[i].failures = 0;
        CU_ASSERT_EQUAL_FATAL(pthread_create(&threads[i], NULL, lookup_many, &jobs[i]), 0);
    }
    for (i = 0; i < 8; i++) {
        CU_ASSERT_EQUAL(pthread_join(threads[i], NULL), 0);
        CU_ASSERT_EQUAL(jobs[i].failures, 0);
    }
    ntlm_userdb_release(db);
    fixture_end(&fx);
}

/*
 * A reload that is under way (held inside the load hook, after the read and before the parse)
 * and a logon on another thread: the logon must be answered from the table in hand. The
 * watchdog only keeps a regression from hanging the suite: with the lock held across the
 * reload, the second lookup never returns until the reload does, which the hook forbids.
 */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool loading, may_finish, logon_done;
} reload_gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, false, false};

static void
hold_the_reload(const char *path)
{
    (void)path;
    pthread_mutex_lock(&reload_gate.lock);
    reload_gate.loading = true;
    pthread_cond_broadcast(&reload_gate.changed);
    while (!reload_gate.may_finish)
        pthread_cond_wait(&reload_gate.changed, &reload_gate.lock);
    pthread_mutex_unlock(&reload_gate.lock);
}

struct lookup_job {
    struct ntlm_userdb *db;
    const char *user;
    uint32_t ret;
};

static void *
lookup_one(void *arg)
{
    struct lookup_job *job = arg;
    struct ntlm_user_entry entry = {0};

    job->ret = ntlm_userdb_lookup(job->db, job->user, "CORP", &entry);
    ntlm_user_entry_clear(&entry);
    pthread_mutex_lock(&reload_gate.lock);
    if (strcmp(job->user, "a") == 0)
        reload_gate.logon_done = true;
    pthread_cond_broadcast(&reload_gate.changed);
    pthread_mutex_unlock(&reload_gate.lock);
    return NULL;
}

static void
test_a_logon_is_answered_while_a_reload_is_under_way(void)
{
    struct fixture fx;
    struct ntlm_userdb *db = NULL;
    struct lookup_job reloader = {NULL, "b", 1}, logon = {NULL, "a", 1};
    pthread_t reload_thread, logon_thread;
    struct timespec deadline;
    bool answered;

    fixture_begin(&fx);
    write_file(fx.path, "#sspigss-users 1\nCORP:a:" HASH_1 "\n");
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_open(fx.path, false, &db), 0);
    write_file(fx.path, "#sspigss-users 1\n# b added\nCORP:a:" HASH_1 "\nCORP:b:" HASH_2 "\n");
    reloader.db = logon.db = db;
    ntlm_userdb_set_load_hook(hold_the_reload);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&reload_thread, NULL, lookup_one, &reloader), 0);
    pthread_mutex_lock(&reload_gate.lock);
    while (!reload_gate.loading)
        pthread_cond_wait(&reload_gate.changed, &reload_gate.lock);
    pthread_mutex_unlock(&reload_gate.lock);

    CU_ASSERT_EQUAL_FATAL(pthread_create(&logon_thread, NULL, lookup_one, &logon), 0);
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 30;
    pthread_mutex_lock(&reload_gate.lock);
    while (!reload_gate.logon_done &&
           pthread_cond_timedwait(&reload_gate.changed, &reload_gate.lock, &deadline) == 0)
        ;
    answered = reload_gate.logon_done;
    reload_gate.may_finish = true;
    pthread_cond_broadcast(&reload_gate.changed);
    pthread_mutex_unlock(&reload_gate.lock);
    CU_ASSERT_TRUE(answered);

    CU_ASSERT_EQUAL(pthread_join(logon_thread, NULL), 0);
    CU_ASSERT_EQUAL(pthread_join(reload_thread, NULL), 0);
    ntlm_userdb_set_load_hook(NULL);
    CU_ASSERT_EQUAL(logon.ret, 0);
    /* The reload finished: the user it added is there. */
    CU_ASSERT_EQUAL(reloader.ret, 0);
    check_db_hash(db, "b", "CORP", HASH_2);
    ntlm_userdb_release(db);
    fixture_end(&fx);
}

static void
test_the_permission_policy_belongs_to_the_handle(void)
{
    struct fixture fx;
    struct ntlm_userdb *relaxed = NULL, *strict = NULL;
    struct ntlm_user_entry entry = {0};

    fixture_begin(&fx);
    write_file(fx.path, "CORP:a:Password\n");
    CU_ASSERT_EQUAL_FATAL(chmod(fx.path, 0644), 0);
    CU_ASSERT_EQUAL(ntlm_userdb_open(fx.path, true, &strict), NTLM_ERR_USERDB_PERMISSIONS);
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_open(fx.path, false, &relaxed), 0);
    check_db_hash(relaxed, "a", "CORP", PASSWORD_NT_HASH);
    CU_ASSERT_EQUAL_FATAL(chmod(fx.path, 0640), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_open(fx.path, true, &strict), 0);
    CU_ASSERT_PTR_NOT_EQUAL(strict, relaxed);
    /* Made readable to others again: the strict handle refuses at the next lookup, the
     * relaxed one does not. */
    CU_ASSERT_EQUAL_FATAL(chmod(fx.path, 0604), 0);
    CU_ASSERT_EQUAL(ntlm_userdb_lookup(strict, "a", "CORP", &entry), NTLM_ERR_USERDB_PERMISSIONS);
    check_db_hash(relaxed, "a", "CORP", PASSWORD_NT_HASH);
    ntlm_userdb_release(strict);
    ntlm_userdb_release(relaxed);
    fixture_end(&fx);
}

static void
test_entry_clear_wipes_the_hash(void)
{
    struct ntlm_userdb_index *index = parse_ok("CORP:a:Password\n");
    struct ntlm_user_entry entry = {0};
    static const uint8_t zero[16];

    CU_ASSERT_EQUAL_FATAL(ntlm_userdb_index_lookup(index, "a", "CORP", &entry), 0);
    ntlm_user_entry_clear(&entry);
    CU_ASSERT_EQUAL(memcmp(entry.nt_hash, zero, 16), 0);
    CU_ASSERT_PTR_NULL(entry.user);
    CU_ASSERT_PTR_NULL(entry.domain);
    ntlm_userdb_index_free(index);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"a logon is answered while a reload is under way",
         test_a_logon_is_answered_while_a_reload_is_under_way},
        {"the permission policy belongs to the handle",
         test_the_permission_policy_belongs_to_the_handle},
        {"own format maps user and domain to the NT hash",
         test_own_format_maps_user_and_domain_to_the_nt_hash},
        {"own format accepts upper-case hex", test_own_format_accepts_upper_case_hex},
        {"gss-ntlmssp format hashes the password at load",
         test_gss_ntlmssp_format_hashes_the_password_at_load},
        {"gss-ntlmssp password may contain colons", test_gss_ntlmssp_password_may_contain_colons},
        {"smbpasswd lines take an optional domain prefix",
         test_smbpasswd_lines_take_an_optional_domain_prefix},
        {"smbpasswd accounts without password or disabled are unknown",
         test_smbpasswd_accounts_without_password_or_disabled_are_unknown},
        {"smbpasswd NO PASSWORD line is never read as a password line",
         test_smbpasswd_no_password_line_is_never_read_as_a_password_line},
        {"machine, trust, locked and disabled accounts never log on",
         test_machine_trust_locked_and_disabled_accounts_never_log_on},
        {"a line that fits no format is an error naming it",
         test_a_line_that_fits_no_format_is_an_error_naming_it},
        {"names with a backslash or control character are errors",
         test_names_with_a_backslash_or_control_character_are_errors},
        {"lookup ignores the case of user and domain beyond ASCII",
         test_lookup_ignores_the_case_of_user_and_domain_beyond_ascii},
        {"any-domain entry matches every domain", test_any_domain_entry_matches_every_domain},
        {"exact domain entry wins over an earlier any-domain entry",
         test_exact_domain_entry_wins_over_an_earlier_any_domain_entry},
        {"empty client domain takes the first entry for the user",
         test_empty_client_domain_takes_the_first_entry_for_the_user},
        {"first of duplicate lines wins", test_first_of_duplicate_lines_wins},
        {"unknown user or domain is not found", test_unknown_user_or_domain_is_not_found},
        {"blank, comment and CRLF lines are accepted",
         test_blank_comment_and_crlf_lines_are_accepted},
        {"own format CRLF lines are accepted", test_own_format_crlf_lines_are_accepted},
        {"empty file is a valid empty database", test_empty_file_is_a_valid_empty_database},
        {"a 5000-character line is one entry", test_a_5000_character_line_is_one_entry},
        {"syntax errors name the line", test_syntax_errors_name_the_line},
        {"index of 100000 entries finds every user", test_index_of_100000_entries_finds_every_user},
        {"open tells missing file from syntax error from unknown user",
         test_open_tells_missing_file_from_syntax_error_from_unknown_user},
        {"opening a path twice shares one database", test_opening_a_path_twice_shares_one_database},
        {"lookup rereads a file rewritten in place", test_lookup_rereads_a_file_rewritten_in_place},
        {"lookup rereads a file replaced by rename", test_lookup_rereads_a_file_replaced_by_rename},
        {"lookup fails closed while the file is missing and recovers",
         test_lookup_fails_closed_while_the_file_is_missing_and_recovers},
        {"lookup fails closed while the file is invalid and recovers",
         test_lookup_fails_closed_while_the_file_is_invalid_and_recovers},
        {"lookups from many threads all succeed", test_lookups_from_many_threads_all_succeed},
        {"entry clear wipes the hash", test_entry_clear_wipes_the_hash},
        CU_TEST_INFO_NULL,
    };

    return test_run_suite("ntlm_userdb", tests);
}
