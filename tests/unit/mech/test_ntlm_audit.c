/* Tests of mech/core/ntlm_audit.c: the line's fields, the escaping of client-chosen names, the
 * length caps, and appending to a file. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ntlm_audit.h"
#include "ntlm_errors.h"
#include "ntlm_syslog.h"
#include "test_util.h"

/* 2024-05-01T12:34:56Z */
#define WHEN ((time_t)1714566896)

static struct ntlm_audit_record
record(const char *workstation, const char *domain, const char *user,
       enum ntlm_audit_version version, enum ntlm_mic_status mic, enum ntlm_cb_status cb,
       uint32_t result)
{
    return (struct ntlm_audit_record){.workstation = workstation,
                                      .domain = domain,
                                      .user = user,
                                      .version = version,
                                      .mic = mic,
                                      .cb = cb,
                                      .result = result};
}

static const char *
format(const struct ntlm_audit_record *rec)
{
    static char line[NTLM_AUDIT_LINE_MAX];
    size_t len = ntlm_audit_format(rec, WHEN, line, sizeof(line));

    CU_ASSERT_FATAL(len > 0);
    CU_ASSERT_EQUAL(len, strlen(line));
    CU_ASSERT_EQUAL(line[len - 1], '\n');
    /* One line, whatever the names held. */
    CU_ASSERT_PTR_NULL(memchr(line, '\n', len - 1));
    return line;
}

static void
test_success_line_has_every_field(void)
{
    struct ntlm_audit_record rec =
        record("WS1", "CORP", "alice", NTLM_AUDIT_NTLMV2, NTLM_MIC_VERIFIED, NTLM_CB_MATCHED, 0);

    ntlm_audit_set_target(&rec, "HTTP/www.example.com");
    rec.target_status = NTLM_TARGET_MATCHED;
    CU_ASSERT_STRING_EQUAL(format(&rec),
                           "2024-05-01T12:34:56Z sspigss-ntlm: workstation=\"WS1\" "
                           "user=\"CORP\\alice\" version=v2 mic=verified cb=matched "
                           "target=\"HTTP/www.example.com\" target_check=matched result=ok "
                           "reason=\"authenticated\"\n");
}

static void
test_failure_line_gives_the_minor_message_as_reason(void)
{
    struct ntlm_audit_record rec =
        record("WS1", "CORP", "alice", NTLM_AUDIT_NTLMV2, NTLM_MIC_NOT_CHECKED, NTLM_CB_NOT_CHECKED,
               NTLM_ERR_WRONG_PASSWORD);

    CU_ASSERT_STRING_EQUAL(format(&rec),
                           "2024-05-01T12:34:56Z sspigss-ntlm: workstation=\"WS1\" "
                           "user=\"CORP\\alice\" version=v2 mic=not-checked cb=not-checked "
                           "target=- target_check=not-checked result=fail "
                           "reason=\"wrong password\"\n");
}

/* The failure that locks the account out says so; a refusal while locked says "locked". */
static void
test_lockout_lines_say_locked(void)
{
    struct ntlm_audit_record rec =
        record("WS1", "CORP", "alice", NTLM_AUDIT_NTLMV2, NTLM_MIC_NOT_CHECKED, NTLM_CB_NOT_CHECKED,
               NTLM_ERR_WRONG_PASSWORD);

    rec.locked_out_now = true;
    CU_ASSERT_PTR_NOT_NULL(
        strstr(format(&rec), " result=fail reason=\"wrong password\" lockout=started\n"));
    rec.locked_out_now = false;
    rec.result = NTLM_ERR_LOCKED_OUT;
    CU_ASSERT_PTR_NOT_NULL(strstr(format(&rec), " result=fail reason=\"locked out: "));
    CU_ASSERT_PTR_NULL(strstr(format(&rec), "lockout=started"));
}

static void
test_every_status_has_its_word(void)
{
    struct ntlm_audit_record rec = record("", "", "", NTLM_AUDIT_NTLMV1, NTLM_MIC_ABSENT,
                                          NTLM_CB_ABSENT, NTLM_ERR_MIC_MISSING);
    const char *line;

    line = format(&rec);
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " version=v1 mic=absent cb=absent target=- "));
    rec.version = NTLM_AUDIT_ANONYMOUS;
    rec.mic = NTLM_MIC_REQUIRED_MISSING;
    rec.cb = NTLM_CB_MISMATCH;
    line = format(&rec);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(line, "user=\"\\\" version=anonymous mic=required-missing cb=mismatch "));
    rec.version = NTLM_AUDIT_LM;
    rec.mic = NTLM_MIC_MISMATCH;
    line = format(&rec);
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " version=lm mic=mismatch "));
}

static void
test_undecodable_message_logs_dashes(void)
{
    struct ntlm_audit_record rec =
        record(NULL, NULL, NULL, NTLM_AUDIT_VERSION_UNKNOWN, NTLM_MIC_NOT_CHECKED,
               NTLM_CB_NOT_CHECKED, NTLM_ERR_USER_FIELD);

    CU_ASSERT_PTR_NOT_NULL(strstr(format(&rec), "sspigss-ntlm: workstation=- user=- version=- "
                                                "mic=not-checked cb=not-checked target=- "
                                                "target_check=not-checked result=fail "));
}

static void
test_every_target_verdict_has_its_word(void)
{
    static const struct {
        enum ntlm_target_status status;
        const char *word;
    } verdicts[] = {
        {NTLM_TARGET_NOT_CHECKED, " target_check=not-checked "},
        {NTLM_TARGET_MATCHED, " target_check=matched "},
        {NTLM_TARGET_ABSENT, " target_check=absent "},
        {NTLM_TARGET_UNTRUSTED, " target_check=untrusted "},
        {NTLM_TARGET_MISMATCH, " target_check=mismatch "},
        {NTLM_TARGET_REQUIRED_MISSING, " target_check=required-missing "},
        {NTLM_TARGET_REFLECTED, " target_check=reflected "},
    };
    struct ntlm_audit_record rec = record("WS1", "CORP", "alice", NTLM_AUDIT_NTLMV2,
                                          NTLM_MIC_VERIFIED, NTLM_CB_ABSENT, NTLM_ERR_REFLECTED);
    size_t i;

    ntlm_audit_set_target(&rec, "cifs/evil.example");
    for (i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
        rec.target_status = verdicts[i].status;
        CU_ASSERT_PTR_NOT_NULL(strstr(format(&rec), verdicts[i].word));
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(format(&rec), " target=\"cifs/evil.example\" "));
    CU_ASSERT_PTR_NOT_NULL(strstr(format(&rec), " reason=\"reflected logon refused"));
}

static void
test_a_target_name_is_escaped_and_cut_like_the_other_names(void)
{
    char name[300], want[NTLM_AUDIT_NAME_MAX + 16];
    struct ntlm_audit_record rec =
        record("WS1", "CORP", "alice", NTLM_AUDIT_NTLMV2, NTLM_MIC_VERIFIED, NTLM_CB_ABSENT, 0);

    ntlm_audit_set_target(&rec, "HTTP/x\" result=ok \nfake");
    CU_ASSERT_PTR_NOT_NULL(strstr(format(&rec), " target=\"HTTP/x%22 result=ok %0Afake\" "));
    memset(name, 'x', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    ntlm_audit_set_target(&rec, name);
    memset(want, 'x', NTLM_AUDIT_NAME_MAX);
    strcpy(want + NTLM_AUDIT_NAME_MAX, "...\" ");
    CU_ASSERT_PTR_NOT_NULL(strstr(format(&rec), want));
    /* Exactly as long as the line shows: nothing cut, nothing marked. */
    name[NTLM_AUDIT_NAME_MAX] = '\0';
    ntlm_audit_set_target(&rec, name);
    strcpy(want + NTLM_AUDIT_NAME_MAX, "\" ");
    CU_ASSERT_PTR_NOT_NULL(strstr(format(&rec), want));
}

static void
test_names_are_escaped_so_a_client_cannot_forge_a_line(void)
{
    struct ntlm_audit_record rec = record("WS\n2024-01-01T00:00:00Z sspigss-ntlm: fake", "DOM\\AIN",
                                          "al\"ice\r%\x1b\x7f\xc3\xa9", NTLM_AUDIT_NTLMV2,
                                          NTLM_MIC_VERIFIED, NTLM_CB_ABSENT, 0);
    const char *line = format(&rec);

    CU_ASSERT_PTR_NOT_NULL(
        strstr(line, "workstation=\"WS%0A2024-01-01T00:00:00Z sspigss-ntlm: fake\" "));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "user=\"DOM%5CAIN\\al%22ice%0D%25%1B%7F%C3%A9\" "));
}

static void
test_long_names_are_cut_and_marked(void)
{
    char name[300];
    struct ntlm_audit_record rec =
        record(name, name, name, NTLM_AUDIT_NTLMV2, NTLM_MIC_VERIFIED, NTLM_CB_ABSENT, 0);
    char want[NTLM_AUDIT_NAME_MAX + 16];
    const char *line;

    memset(name, 'x', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    memset(want, 'x', NTLM_AUDIT_NAME_MAX);
    strcpy(want + NTLM_AUDIT_NAME_MAX, "...\"");
    line = format(&rec);
    CU_ASSERT_PTR_NOT_NULL(strstr(line, want));
    CU_ASSERT(strlen(line) < 3 * (NTLM_AUDIT_NAME_MAX + 8) + 200);
}

static void
test_worst_case_names_still_fit_the_line(void)
{
    char name[300];
    struct ntlm_audit_record rec = record(name, name, name, NTLM_AUDIT_NTLMV2, NTLM_MIC_VERIFIED,
                                          NTLM_CB_ABSENT, NTLM_ERR_USERDB_PERMISSIONS);

    /* Every byte escaped to three. */
    memset(name, '\x01', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    CU_ASSERT_PTR_NOT_NULL(strstr(format(&rec), "result=fail reason=\"user database is"));
}

static void
test_format_refuses_a_small_buffer(void)
{
    struct ntlm_audit_record rec =
        record("WS1", "CORP", "alice", NTLM_AUDIT_NTLMV2, NTLM_MIC_VERIFIED, NTLM_CB_ABSENT, 0);
    char small[64];

    CU_ASSERT_EQUAL(ntlm_audit_format(&rec, WHEN, small, sizeof(small)), 0);
}

static unsigned
count_lines(const char *text)
{
    unsigned n = 0;

    for (; *text != '\0'; text++)
        n += *text == '\n';
    return n;
}

static void
test_write_appends_one_line_per_attempt_to_a_private_file(void)
{
    char dir[] = "/tmp/test_ntlm_audit.XXXXXX";
    struct ntlm_audit_record rec =
        record("WS1", "CORP", "alice", NTLM_AUDIT_NTLMV2, NTLM_MIC_VERIFIED, NTLM_CB_ABSENT, 0);
    char path[64], link_path[64], text[4096];
    struct stat st;
    size_t n;
    FILE *f;

    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/audit.log", dir);
    snprintf(link_path, sizeof(link_path), "%s/link.log", dir);
    CU_ASSERT_EQUAL(ntlm_audit_write(NTLM_AUDIT_FILE, path, NULL, &rec), 0);
    rec.result = NTLM_ERR_WRONG_PASSWORD;
    CU_ASSERT_EQUAL(ntlm_audit_write(NTLM_AUDIT_FILE, path, NULL, &rec), 0);
    CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
    f = fopen(path, "r");
    CU_ASSERT_FATAL(f != NULL);
    n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "result=ok reason=\"authenticated\"\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "result=fail reason=\"wrong password\"\n"));
    CU_ASSERT_EQUAL(count_lines(text), 2);
    /* Never through a symbolic link; none and a missing path write nothing. */
    CU_ASSERT_EQUAL_FATAL(symlink(path, link_path), 0);
    CU_ASSERT_NOT_EQUAL(ntlm_audit_write(NTLM_AUDIT_FILE, link_path, NULL, &rec), 0);
    CU_ASSERT_EQUAL(ntlm_audit_write(NTLM_AUDIT_NONE, path, NULL, &rec), 0);
    CU_ASSERT_NOT_EQUAL(ntlm_audit_write(NTLM_AUDIT_FILE, NULL, NULL, &rec), 0);
    CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
    CU_ASSERT_EQUAL((size_t)st.st_size, n);
    unlink(link_path);
    unlink(path);
    rmdir(dir);
}

/* The system log's lines: the same text without its newline, authpriv.info for a logon and
 * authpriv.notice for a refusal, through the sender the env gives (ntlm_syslog.c). */
static void
test_write_sends_the_line_to_the_system_log(void)
{
    struct ntlm_audit_record rec = {.workstation = "WS", .domain = "DOM", .user = "alice"};
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    struct timeval tv = {5, 0};
    struct ntlm_syslog *log = NULL;
    char dir[] = "/tmp/ntlm-audit-XXXXXX", got[NTLM_AUDIT_LINE_MAX + 256];
    ssize_t n;
    int fd;

    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/log", dir);
    fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL_FATAL(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    CU_ASSERT_EQUAL(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
    CU_ASSERT_EQUAL_FATAL(ntlm_syslog_new(addr.sun_path, &log), 0);
    CU_ASSERT_EQUAL(ntlm_audit_write(NTLM_AUDIT_SYSLOG, NULL, log, &rec), 0);
    n = recv(fd, got, sizeof(got) - 1, 0);
    CU_ASSERT_FATAL(n > 0);
    got[n] = '\0';
    CU_ASSERT_EQUAL(strncmp(got, "<86>", 4), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(got, "]: "));
    CU_ASSERT_PTR_NOT_NULL(strstr(got, " sspigss-ntlm: workstation=\"WS\" user=\"DOM\\alice\""));
    CU_ASSERT_PTR_NULL(strchr(got, '\n'));
    rec.result = NTLM_ERR_WRONG_PASSWORD;
    CU_ASSERT_EQUAL(ntlm_audit_write(NTLM_AUDIT_SYSLOG, NULL, log, &rec), 0);
    n = recv(fd, got, sizeof(got) - 1, 0);
    CU_ASSERT_FATAL(n > 0);
    got[n] = '\0';
    CU_ASSERT_EQUAL(strncmp(got, "<85>", 4), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(got, "result=fail reason=\"wrong password\""));
    ntlm_syslog_free(log);
    close(fd);
    unlink(addr.sun_path);
    rmdir(dir);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        {"success line has every field", test_success_line_has_every_field},
        {"failure line gives the minor message as reason",
         test_failure_line_gives_the_minor_message_as_reason},
        {"lockout lines say locked", test_lockout_lines_say_locked},
        {"every status has its word", test_every_status_has_its_word},
        {"undecodable message logs dashes", test_undecodable_message_logs_dashes},
        {"every target verdict has its word", test_every_target_verdict_has_its_word},
        {"a target name is escaped and cut like the other names",
         test_a_target_name_is_escaped_and_cut_like_the_other_names},
        {"names are escaped so a client cannot forge a line",
         test_names_are_escaped_so_a_client_cannot_forge_a_line},
        {"long names are cut and marked", test_long_names_are_cut_and_marked},
        {"worst case names still fit the line", test_worst_case_names_still_fit_the_line},
        {"format refuses a small buffer", test_format_refuses_a_small_buffer},
        {"write appends one line per attempt to a private file",
         test_write_appends_one_line_per_attempt_to_a_private_file},
        {"write sends the line to the system log", test_write_sends_the_line_to_the_system_log},
        CU_TEST_INFO_NULL,
    };

    return test_run_suite("ntlm_audit", tests);
}
