/*
 * libFuzzer target: the user database parser (ntlm_userdb_parse, all three line formats) and
 * lookups in what it built, by fixed names and by names taken from the input's first line.
 * Invariants: an error names a line and a reason; an entry found is the user asked for, has
 * names an account can have and is never a machine or trust account ("...$").
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_errors.h"
#include "ntlm_unicode.h"
#include "ntlm_userdb.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME_MAX_LEN 64

/* A found entry is the user asked for, in the domain asked for or in any domain. */
static void
lookup(const struct ntlm_userdb_index *index, const char *user, const char *domain)
{
    struct ntlm_user_entry entry = {0};

    if (ntlm_userdb_index_lookup(index, user, domain, &entry) != 0)
        return;
    check(entry.user != NULL && entry.domain != NULL, "a found entry has names");
    check(ntlm_utf8_case_equal(entry.user, user), "the entry is the user asked for");
    check(ntlm_account_name_valid(entry.user) && ntlm_account_name_valid(entry.domain),
          "an entry's names have no backslash and no control character");
    check(entry.user[0] != '\0' && entry.user[strlen(entry.user) - 1] != '$',
          "a machine or trust account never logs on");
    if (domain != NULL && domain[0] != '\0' && entry.domain[0] != '\0')
        check(ntlm_utf8_case_equal(entry.domain, domain), "the entry is in the domain asked for");
    ntlm_user_entry_clear(&entry);
}

/* Copies the bytes of the input's first line before the n-th colon (from 0) into out. */
static void
first_line_field(const uint8_t *data, size_t size, unsigned n, char out[NAME_MAX_LEN + 1])
{
    size_t i = 0, len = 0;

    for (; i < size && data[i] != '\n' && n > 0; i++) {
        if (data[i] == ':')
            n--;
    }
    for (; i < size && data[i] != '\n' && data[i] != ':' && data[i] != '\0' && len < NAME_MAX_LEN;
         i++)
        out[len++] = (char)data[i];
    out[len] = '\0';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ntlm_userdb_index *index = NULL;
    char first[NAME_MAX_LEN + 1], second[NAME_MAX_LEN + 1];
    const char *backslash;
    unsigned bad_line = 0;
    const char *reason = NULL;
    uint8_t hash[16];
    uint32_t ret;

    (void)ntlm_nt_hash_from_hex((const char *)data, size, hash);
    ret = ntlm_userdb_parse((const char *)data, size, &index, &bad_line, &reason);
    if (ret == NTLM_ERR_USERDB_SYNTAX)
        check(bad_line > 0 && reason != NULL && reason[0] != '\0',
              "a syntax error names its line and what is wrong");
    if (ret != 0)
        return 0;
    lookup(index, "User", "Domain");
    lookup(index, "user", "");
    lookup(index, "bob", NULL);
    lookup(index, "Administrator", "WS2008R2");
    lookup(index, "\xc3\x9f", "dom\xc3\xa4ne"); /* non-ASCII: case mapping is exercised */
    lookup(index, "\xff", "\xfe");              /* not UTF-8: never a match */

    /* DOMAIN:USER:..., smbpasswd's USER:UID:... and DOMAIN\USER:UID:... */
    first_line_field(data, size, 0, first);
    first_line_field(data, size, 1, second);
    lookup(index, second, first);
    lookup(index, first, NULL);
    backslash = strchr(first, '\\');
    if (backslash != NULL)
        lookup(index, backslash + 1, "");
    (void)ntlm_userdb_index_count(index);
    ntlm_userdb_index_free(index);
    return 0;
}
