/*
 * Tests of sspi_shim/sspi_spnego.c: which negTokenResp tokens get their mechListMIC re-tagged
 * for an MIT krb5 with ticket 9183's bug, and that nothing is touched on any other library. The
 * probe is replaced by this file's spnego_mic_probe, which answers what the test sets.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spnego_probe.h"
#include "sspi_spnego.h"
#include "test_util.h"

static enum spnego_mic_probe fake_answer = SPNEGO_MIC_UNKNOWN;
static unsigned probes;

enum spnego_mic_probe
spnego_mic_probe(gss_cred_id_t acceptor_cred)
{
    probes++;
    return fake_answer;
}

/*
 * A client's last negTokenResp: responseToken (4 bytes) and mechListMIC (16 bytes).
 *   a1 24 / 30 22 / a0 03 0a 01 01 / a2 07 04 05 de ad be ef 00 / a3 12 04 10 <16 x 0x11>
 */
#define RESP_HEX                                                                                   \
    "a1 24 30 22 a0 03 0a 01 01 a2 07 04 05 de ad be ef 00 a3 12 04 10"                            \
    "11111111 11111111 11111111 11111111"
#define MIC_TAG_AT 18

static gss_buffer_desc
token(const char *hex, uint8_t **mem)
{
    size_t len;

    *mem = test_hex(hex, &len);
    return (gss_buffer_desc){len, *mem};
}

/* Whether adapt makes a copy of hex; a copy must differ only in the tag byte at at. */
static bool
adapted(const char *hex, size_t at)
{
    gss_buffer_desc copy, in;
    uint8_t *mem;
    bool made;

    in = token(hex, &mem);
    made = sspi_spnego_adapt(GSS_C_NO_CREDENTIAL, &in, &copy);
    if (made) {
        CU_ASSERT_EQUAL_FATAL(copy.length, in.length);
        CU_ASSERT_EQUAL(((uint8_t *)copy.value)[at], 0xa4);
        ((uint8_t *)copy.value)[at] = 0xa3;
        CU_ASSERT_EQUAL(memcmp(copy.value, in.value, in.length), 0);
        free(copy.value);
    } else {
        CU_ASSERT_PTR_NULL(copy.value);
        CU_ASSERT_EQUAL(copy.length, 0);
    }
    free(mem);
    return made;
}

static void
test_a_library_the_probe_cannot_judge_gets_the_token_unchanged(void)
{
    gss_buffer_desc in;
    uint8_t *mem;

    fake_answer = SPNEGO_MIC_UNKNOWN;
    CU_ASSERT_FALSE(adapted(RESP_HEX, MIC_TAG_AT));
    /* A failure on such a token may be the bug: the error path says so. */
    in = token(RESP_HEX, &mem);
    CU_ASSERT_TRUE(sspi_spnego_failure_is_9183(&in));
    free(mem);
}

static void
test_a_library_that_reads_the_mic_gets_the_token_unchanged(void)
{
    pid_t pid = fork();
    int status = 0;

    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        /* In a child: the answer is kept for the process once the probe gives one. */
        gss_buffer_desc in;
        uint8_t *mem;
        bool ok;

        fake_answer = SPNEGO_MIC_READ;
        ok = !adapted(RESP_HEX, MIC_TAG_AT) && !adapted(RESP_HEX, MIC_TAG_AT) && probes == 1;
        in = token(RESP_HEX, &mem);
        ok = ok && !sspi_spnego_failure_is_9183(&in);
        _exit(ok ? 0 : 1);
    }
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void
test_an_affected_library_gets_the_mic_retagged_four(void)
{
    fake_answer = SPNEGO_MIC_TICKET_9183;
    CU_ASSERT_TRUE(adapted(RESP_HEX, MIC_TAG_AT));
    /* The acceptor's accept-completed token: negState and mechListMIC only. */
    CU_ASSERT_TRUE(adapted("a1 1b 30 19 a0 03 0a 01 00 a3 12 04 10"
                           "22222222 22222222 22222222 22222222",
                           9));
    /* Long-form lengths, as a large responseToken makes them. */
    CU_ASSERT_TRUE(adapted("a1 81 1b 30 81 18 a3 81 15 04 81 12"
                           "3333333333 3333333333 3333333333 333333",
                           6));
}

static void
test_tokens_that_are_not_one_well_formed_neg_token_resp_are_left_alone(void)
{
    static const char *const tokens[] = {
        /* No mechListMIC. */
        "a1 0e 30 0c a0 03 0a 01 01 a2 05 04 03 01 02 03",
        /* Already [4] (no conforming peer sends it): ambiguous, left as it is. */
        "a1 0c 30 0a a4 08 04 06 01 02 03 04 05 06",
        /* [3] and [4] both: re-tagging would make two [4] fields. */
        "a1 0e 30 0c a3 04 04 02 01 02 a4 04 04 02 03 04",
        /* Two [3] fields. */
        "a1 0c 30 0a a3 03 04 01 01 a3 03 04 01 02",
        /* A [3] that claims more bytes than the SEQUENCE holds. */
        "a1 08 30 06 a3 09 04 07 01 02",
        /* The outer length short of the token (trailing bytes). */
        "a1 06 30 04 a3 02 04 00 ff",
        /* The outer length past the end. */
        "a1 30 30 04 a3 02 04 00",
        /* The SEQUENCE shorter than its container. */
        "a1 07 30 04 a3 02 04 00 00",
        /* No SEQUENCE tag. */
        "a1 04 a3 02 04 00",
        /* A negTokenInit, the first token, is not adapted. */
        "60 0a 06 06 2b 06 01 05 05 02 a0 00",
        /* A five-byte long-form length. */
        "a1 85 00 00 00 00 04",
        /* Truncated header. */
        "a1",
        /* Raw NTLMSSP under Negotiate. */
        "4e544c4d53535000 03000000",
    };
    size_t i;

    fake_answer = SPNEGO_MIC_TICKET_9183;
    for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
        gss_buffer_desc in;
        uint8_t *mem;

        CU_ASSERT_FALSE(adapted(tokens[i], 0));
        in = token(tokens[i], &mem);
        CU_ASSERT_FALSE(sspi_spnego_failure_is_9183(&in));
        free(mem);
    }
}

static void
test_an_empty_token_is_left_alone(void)
{
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, copy;

    fake_answer = SPNEGO_MIC_TICKET_9183;
    CU_ASSERT_FALSE(sspi_spnego_adapt(GSS_C_NO_CREDENTIAL, &in, &copy));
    CU_ASSERT_FALSE(sspi_spnego_failure_is_9183(&in));
}

static CU_TestInfo tests[] = {
    {"a library that reads the MIC gets the token unchanged",
     test_a_library_that_reads_the_mic_gets_the_token_unchanged},
    {"a library the probe cannot judge gets the token unchanged",
     test_a_library_the_probe_cannot_judge_gets_the_token_unchanged},
    {"an affected library gets the mechListMIC re-tagged [4]",
     test_an_affected_library_gets_the_mic_retagged_four},
    {"tokens that are not one well-formed negTokenResp are left alone",
     test_tokens_that_are_not_one_well_formed_neg_token_resp_are_left_alone},
    {"an empty token is left alone", test_an_empty_token_is_left_alone},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("sspi_spnego", tests);
}
