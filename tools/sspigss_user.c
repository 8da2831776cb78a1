/*
 * sspigss-user: adds, re-keys, deletes and lists users of an sspigss-format user file
 * ("#sspigss-users 1", then DOMAIN:USER:NTHASH), rewriting it atomically; never stores a password.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unistr.h>

#include "ntlm_auth.h"
#include "ntlm_errors.h"
#include "ntlm_unicode.h"
#include "tool_secret.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

#define OWN_FORMAT_HEADER "#sspigss-users 1"
/* Bytes, for user and domain names; Windows allows far less, this only bounds the file. */
#define NAME_MAX_BYTES 256
/* Windows passwords are at most 256 characters; 4 bytes each in UTF-8 at worst. */
#define PASSWORD_MAX_BYTES 1024
#define FILE_MAX_BYTES (64u << 20)
#define NT_HASH_HEX_LEN 32

/* Exit statuses, and the status every function here returns. */
enum status { ST_OK = 0, ST_USER = 1, ST_SYSTEM = 2 };

enum command { CMD_ADD, CMD_PASSWD, CMD_DEL, CMD_LIST };

/* The user file split into lines; entries point into text, which the lines cut in place. */
struct user_file {
    char *text;
    size_t text_len;
    char **lines; /* without their "\n" (and "\r") */
    size_t count;
    bool exists;
    struct stat st;
};

static const char *progname = "sspigss-user";

static enum status
complain(enum status st, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return st;
}

static void
usage(FILE *out)
{
    fprintf(out,
            "usage: %s [-f FILE] add|passwd [DOMAIN\\]USER\n"
            "       %s [-f FILE] del [DOMAIN\\]USER\n"
            "       %s [-f FILE] list\n"
            "FILE: -f, else $NTLM_USER_FILE, else %s/sspigss/users\n",
            progname, progname, progname, SYSCONFDIR);
}

/*
 * A user or domain must survive the round trip through a "DOMAIN:USER:NTHASH" line and be
 * read back as itself: no separators, no control characters (a newline would start a new
 * entry), no blanks at the ends and no leading '#' (either could turn the line into a comment).
 */
static enum status
check_name(const char *what, const char *s)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t len = strlen(s);
    ucs4_t uc;

    if (len == 0)
        return complain(ST_USER, "the %s name is empty", what);
    if (len > NAME_MAX_BYTES)
        return complain(ST_USER, "the %s name is longer than %d bytes", what, NAME_MAX_BYTES);
    if (u8_check(p, len) != NULL)
        return complain(ST_USER, "the %s name is not valid UTF-8", what);
    if (s[0] == ' ' || s[len - 1] == ' ')
        return complain(ST_USER, "the %s name starts or ends with a space", what);
    if (s[0] == '#')
        return complain(ST_USER, "the %s name starts with '#'", what);
    while (*p != 0) {
        p += u8_mbtouc(&uc, p, len - (size_t)(p - (const uint8_t *)s));
        if (uc == ':' || uc == '\\')
            return complain(ST_USER, "the %s name contains '%c'", what, (int)uc);
        if (uc < 0x20 || (uc >= 0x7f && uc <= 0x9f))
            return complain(ST_USER, "the %s name contains a control character", what);
    }
    /* The module leaves such entries out (sspigss-users(5)): one could never log on. */
    if (strcmp(what, "user") == 0 && s[len - 1] == '$')
        return complain(ST_USER, "the user name ends in '$', as machine and trust accounts do, "
                                 "which never log on");
    return ST_OK;
}

/* "DOMAIN\USER" or "USER" (any domain: domain set to ""); user and domain point into arg. */
static enum status
split_name(char *arg, char **domain, char **user)
{
    char *sep = strchr(arg, '\\');
    enum status st;

    *domain = arg + strlen(arg); /* "" */
    *user = arg;
    if (sep != NULL) {
        *sep = '\0';
        *domain = arg;
        *user = sep + 1;
        st = check_name("domain", *domain);
        if (st)
            return st;
    }
    return check_name("user", *user);
}

/* One password line (see tool_secret.h) into buf. */
static enum status
read_password(const char *prompt, char *buf, size_t size)
{
    const char *why = NULL;
    bool system_error = false;

    if (tool_read_secret(prompt, buf, size, &why, &system_error) != 0)
        return complain(system_error ? ST_SYSTEM : ST_USER, "reading the password: %s", why);
    return ST_OK;
}

/* The new password's NT hash: asked twice on a terminal, else one line of stdin. */
static enum status
get_nt_hash(uint8_t nt_hash[16])
{
    static char first[PASSWORD_MAX_BYTES + 2], again[PASSWORD_MAX_BYTES + 2];
    enum status st;

    st = read_password("New password: ", first, sizeof(first));
    if (st == ST_OK && isatty(STDIN_FILENO)) {
        st = read_password("Retype new password: ", again, sizeof(again));
        if (st == ST_OK && strcmp(first, again) != 0)
            st = complain(ST_USER, "the passwords do not match");
    }
    if (st)
        goto done;
    if (first[0] == '\0') {
        st = complain(ST_USER, "the password is empty");
        goto done;
    }
    if (u8_check((const uint8_t *)first, strlen(first)) != NULL) {
        st = complain(ST_USER, "the password is not valid UTF-8");
        goto done;
    }
    if (ntlm_nt_hash(first, nt_hash) != 0)
        st = complain(ST_SYSTEM, "hashing the password failed");
done:
    explicit_bzero(first, sizeof(first));
    explicit_bzero(again, sizeof(again));
    return st;
}

static enum status
read_all(int fd, const char *path, struct user_file *uf)
{
    size_t cap = 0;
    ssize_t r;
    char *p;

    for (;;) {
        if (uf->text_len + 4096 + 1 > cap) {
            if (cap > FILE_MAX_BYTES)
                return complain(ST_USER, "%s: larger than %u bytes", path, FILE_MAX_BYTES);
            cap = cap * 2 + 8192;
            p = malloc(cap);
            if (p == NULL)
                return complain(ST_SYSTEM, "out of memory");
            if (uf->text != NULL) {
                memcpy(p, uf->text, uf->text_len);
                explicit_bzero(uf->text, uf->text_len);
            }
            free(uf->text);
            uf->text = p;
        }
        r = read(fd, uf->text + uf->text_len, cap - uf->text_len - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return complain(ST_SYSTEM, "%s: %s", path, strerror(errno));
        if (r == 0)
            break;
        uf->text_len += (size_t)r;
    }
    uf->text[uf->text_len] = '\0';
    return ST_OK;
}

/* Cuts the text into lines in place; the last line may lack its "\n". */
static enum status
split_lines(struct user_file *uf, const char *path)
{
    size_t pos = 0, n;
    char *nl;

    if (memchr(uf->text, '\0', uf->text_len) != NULL)
        return complain(ST_USER, "%s: contains a NUL byte; not a user file", path);
    uf->lines = calloc(uf->text_len / 2 + 2, sizeof(*uf->lines));
    if (uf->lines == NULL)
        return complain(ST_SYSTEM, "out of memory");
    while (pos < uf->text_len) {
        nl = strchr(uf->text + pos, '\n');
        n = nl != NULL ? (size_t)(nl - (uf->text + pos)) : uf->text_len - pos;
        uf->text[pos + n] = '\0';
        if (n > 0 && uf->text[pos + n - 1] == '\r')
            uf->text[pos + n - 1] = '\0';
        uf->lines[uf->count++] = uf->text + pos;
        pos += n + 1;
    }
    return ST_OK;
}

/* Loads path; a missing or empty file is an empty database (when may_create). */
static enum status
load(const char *path, bool may_create, struct user_file *uf)
{
    enum status st;
    int fd;

    fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        if (may_create)
            return ST_OK;
        return complain(ST_USER, "%s: no such file (add a user to create it)", path);
    }
    if (fd < 0 && errno == ELOOP)
        return complain(ST_USER, "%s: is a symbolic link; give the file it points to", path);
    if (fd < 0)
        return complain(ST_SYSTEM, "%s: %s", path, strerror(errno));
    uf->exists = true;
    if (fstat(fd, &uf->st) != 0) {
        st = complain(ST_SYSTEM, "%s: %s", path, strerror(errno));
    } else if (!S_ISREG(uf->st.st_mode)) {
        st = complain(ST_USER, "%s: not a regular file", path);
    } else {
        st = read_all(fd, path, uf);
    }
    close(fd);
    if (st == ST_OK && uf->text_len > 0)
        st = split_lines(uf, path);
    if (st == ST_OK && uf->count > 0 && strcmp(uf->lines[0], OWN_FORMAT_HEADER) != 0)
        st = complain(ST_USER,
                      "%s: not an sspigss user file (its first line is not \"%s\"); it may be "
                      "a gss-ntlmssp or smbpasswd file, which this tool does not modify or "
                      "convert: add its users to a new file instead",
                      path, OWN_FORMAT_HEADER);
    return st;
}

static bool
is_blank_or_comment(const char *line)
{
    line += strspn(line, " \t");
    return *line == '\0' || *line == '#';
}

/*
 * Copies the domain and user of entry line i, checking the line as the module would parse it
 * (DOMAIN:USER:NTHASH, non-empty USER, 32 hex digits, no backslash or control character in
 * the names): a file it rejects is not modified.
 */
static enum status
entry_at(const struct user_file *uf, size_t i, const char *path, char **domain, char **user)
{
    const char *line = uf->lines[i], *c1 = strchr(line, ':'), *c2;
    static const char hex[] = "0123456789abcdefABCDEF";

    c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL;
    if (c2 == NULL || c1 + 1 == c2 || strlen(c2 + 1) != NT_HASH_HEX_LEN ||
        strspn(c2 + 1, hex) != NT_HASH_HEX_LEN ||
        u8_check((const uint8_t *)line, strlen(line)) != NULL)
        return complain(ST_USER, "%s:%zu: not a DOMAIN:USER:NTHASH line; fix the file first", path,
                        i + 1);
    *domain = strndup(line, (size_t)(c1 - line));
    *user = strndup(c1 + 1, (size_t)(c2 - c1 - 1));
    if (*domain == NULL || *user == NULL) {
        free(*domain);
        free(*user);
        return complain(ST_SYSTEM, "out of memory");
    }
    if (!ntlm_account_name_valid(*domain) || !ntlm_account_name_valid(*user)) {
        free(*domain);
        free(*user);
        return complain(ST_USER,
                        "%s:%zu: a name with a backslash or a control character; fix the file "
                        "first",
                        path, i + 1);
    }
    return ST_OK;
}

/* Finds the line of (domain, user), compared as the module does; *found = 0 when absent. */
static enum status
find_entry(const struct user_file *uf, const char *path, const char *domain, const char *user,
           size_t *found)
{
    char *d, *u;
    enum status st;
    size_t i;
    bool match;

    *found = 0;
    for (i = 1; i < uf->count; i++) {
        if (is_blank_or_comment(uf->lines[i]))
            continue;
        st = entry_at(uf, i, path, &d, &u);
        if (st)
            return st;
        match = ntlm_utf8_case_equal(d, domain) && ntlm_utf8_case_equal(u, user);
        free(d);
        free(u);
        if (match && *found == 0)
            *found = i;
    }
    return ST_OK;
}

static enum status
list_users(const struct user_file *uf, const char *path)
{
    char *d, *u;
    enum status st;
    size_t i;

    for (i = 1; i < uf->count; i++) {
        if (is_blank_or_comment(uf->lines[i]))
            continue;
        st = entry_at(uf, i, path, &d, &u);
        if (st)
            return st;
        printf("%s%s%s\n", d, *d != '\0' ? "\\" : "", u);
        free(d);
        free(u);
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        return complain(ST_SYSTEM, "writing the list: %s", strerror(errno));
    return ST_OK;
}

static enum status
write_all(int fd, const char *s, size_t len, const char *tmp)
{
    ssize_t w;

    while (len > 0) {
        w = write(fd, s, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return complain(ST_SYSTEM, "%s: %s", tmp, strerror(errno));
        s += w;
        len -= (size_t)w;
    }
    return ST_OK;
}

/*
 * Writes the file with line `skip` left out and `entry` (when not NULL) in its place, or
 * appended when skip is 0: to a temporary file in the same directory, synced, then renamed
 * over, so that readers see the old file or the new one, never a part.
 */
static enum status
save(const char *path, const struct user_file *uf, size_t skip, const char *entry)
{
    char *tmp = NULL, *dir_copy = NULL;
    mode_t mode = 0600;
    enum status st = ST_OK;
    int fd = -1, dfd = -1;
    size_t i;

    if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
        tmp = NULL;
        st = complain(ST_SYSTEM, "out of memory");
        goto done;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        st = complain(ST_SYSTEM, "creating a file next to %s: %s", path, strerror(errno));
        free(tmp);
        tmp = NULL;
        goto done;
    }
    /* Keep an existing file's owner and group (read access for a service's group), but never
     * more than owner read-write, group read: the module's strict check refuses wider. */
    if (uf->exists) {
        mode = uf->st.st_mode & 0640;
        if (geteuid() == 0 && fchown(fd, uf->st.st_uid, uf->st.st_gid) != 0) {
            st = complain(ST_SYSTEM, "%s: %s", tmp, strerror(errno));
            goto done;
        }
    }
    if (fchmod(fd, mode) != 0) {
        st = complain(ST_SYSTEM, "%s: %s", tmp, strerror(errno));
        goto done;
    }
    st = write_all(fd, OWN_FORMAT_HEADER "\n", strlen(OWN_FORMAT_HEADER) + 1, tmp);
    for (i = 1; st == ST_OK && i < uf->count; i++) {
        if (i == skip && entry != NULL)
            st = write_all(fd, entry, strlen(entry), tmp);
        else if (i != skip)
            st = write_all(fd, uf->lines[i], strlen(uf->lines[i]), tmp);
        if (st == ST_OK && (i != skip || entry != NULL))
            st = write_all(fd, "\n", 1, tmp);
    }
    if (st == ST_OK && skip == 0 && entry != NULL) {
        st = write_all(fd, entry, strlen(entry), tmp);
        if (st == ST_OK)
            st = write_all(fd, "\n", 1, tmp);
    }
    if (st)
        goto done;
    if (fsync(fd) != 0 || close(fd) != 0) {
        fd = -1;
        st = complain(ST_SYSTEM, "%s: %s", tmp, strerror(errno));
        goto done;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        st = complain(ST_SYSTEM, "replacing %s: %s", path, strerror(errno));
        goto done;
    }
    free(tmp);
    tmp = NULL;
    /* The rename itself is durable only once the directory is synced. */
    dir_copy = strdup(path);
    if (dir_copy != NULL)
        dfd = open(dirname(dir_copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0)
        fsync(dfd);
done:
    if (dfd >= 0)
        close(dfd);
    if (fd >= 0)
        close(fd);
    if (tmp != NULL)
        unlink(tmp);
    free(tmp);
    free(dir_copy);
    return st;
}

/* Serialises writers: a lock on the file's directory, held until the process exits. */
static enum status
lock_directory(const char *path)
{
    char *copy = strdup(path);
    enum status st = ST_OK;
    const char *dir;
    int fd;

    if (copy == NULL)
        return complain(ST_SYSTEM, "out of memory");
    dir = dirname(copy);
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        st = complain(ST_SYSTEM, "%s: %s", dir, strerror(errno));
    else if (flock(fd, LOCK_EX) != 0)
        st = complain(ST_SYSTEM, "locking %s: %s", dir, strerror(errno));
    free(copy);
    return st;
}

static enum status
run(enum command cmd, const char *path, char *name)
{
    struct user_file uf = {0};
    char *domain = NULL, *user = NULL, entry[2 * NAME_MAX_BYTES + 2 + 32 + 1];
    uint8_t nt_hash[16];
    enum status st;
    size_t found = 0;
    int i;

    if (name != NULL) {
        st = split_name(name, &domain, &user);
        if (st)
            goto done;
    }
    if (cmd != CMD_LIST) {
        st = lock_directory(path);
        if (st)
            goto done;
    }
    st = load(path, cmd == CMD_ADD, &uf);
    if (st)
        goto done;
    if (cmd == CMD_LIST) {
        st = list_users(&uf, path);
        goto done;
    }
    st = find_entry(&uf, path, domain, user, &found);
    if (st)
        goto done;
    if (cmd == CMD_ADD && found != 0) {
        st = complain(ST_USER, "%s%s%s: already in %s (use passwd to change the password)", domain,
                      *domain ? "\\" : "", user, path);
        goto done;
    }
    if (cmd != CMD_ADD && found == 0) {
        st = complain(ST_USER, "%s%s%s: no such user in %s", domain, *domain ? "\\" : "", user,
                      path);
        goto done;
    }
    if (cmd == CMD_DEL) {
        st = save(path, &uf, found, NULL);
        goto done;
    }
    st = get_nt_hash(nt_hash);
    if (st)
        goto done;
    i = snprintf(entry, sizeof(entry), "%s:%s:", domain, user);
    for (size_t b = 0; b < sizeof(nt_hash); b++)
        i += snprintf(entry + i, sizeof(entry) - (size_t)i, "%02x", nt_hash[b]);
    st = save(path, &uf, found, entry);
done:
    explicit_bzero(nt_hash, sizeof(nt_hash));
    explicit_bzero(entry, sizeof(entry));
    if (uf.text != NULL)
        explicit_bzero(uf.text, uf.text_len);
    free(uf.text);
    free(uf.lines);
    return st;
}

int
main(int argc, char **argv)
{
    static const char *const names[] = {"add", "passwd", "del", "list"};
    const char *path = NULL;
    enum command cmd;
    int opt, want;

    while ((opt = getopt(argc, argv, "+f:h")) != -1) {
        if (opt == 'f') {
            path = optarg;
        } else if (opt == 'h') {
            usage(stdout);
            return ST_OK;
        } else {
            usage(stderr);
            return ST_USER;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return ST_USER;
    }
    for (cmd = CMD_ADD; cmd <= CMD_LIST; cmd++) {
        if (strcmp(argv[optind], names[cmd]) == 0)
            break;
    }
    if (cmd > CMD_LIST)
        return complain(ST_USER, "unknown command \"%s\" (add, passwd, del or list)", argv[optind]);
    want = cmd == CMD_LIST ? 1 : 2;
    if (argc - optind != want)
        return complain(ST_USER, "%s takes %s", names[cmd],
                        want == 1 ? "no argument" : "one argument, [DOMAIN\\]USER");
    if (path == NULL)
        path = secure_getenv("NTLM_USER_FILE");
    if (path == NULL || *path == '\0')
        path = SYSCONFDIR "/sspigss/users";
    return run(cmd, path, want == 2 ? argv[optind + 1] : NULL);
}
