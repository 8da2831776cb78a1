/*
 * Tests of mech/core/ntlm_winbind_none.c, the domain logon of a build without libwbclient,
 * compiled here whatever the build has: every call says why it cannot help, and leaves
 * nothing a caller could mistake for a logon.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "ntlm_errors.h"
#include "ntlm_winbind.h"
#include "test_util.h"

static void
test_domain_logons_are_refused_as_unsupported(void)
{
    static const uint8_t nt_response[24];
    const struct ntlm_domain_logon in = {
        .user = "alice",
        .domain = "CORP",
        .workstation = "WS1",
        .challenge = {1, 2, 3, 4, 5, 6, 7, 8},
        .nt_response = nt_response,
        .nt_response_len = sizeof(nt_response),
        .timeout = 15,
    };
    struct ntlm_domain_user out;

    memset(&out, 0, sizeof(out));
    CU_ASSERT_EQUAL(ntlm_domain_logon(&in, &out), NTLM_ERR_DOMAIN_UNSUPPORTED);
    CU_ASSERT_TRUE(test_all_zero(&out, sizeof(out)));
}

static void
test_no_sid_maps_to_a_local_account(void)
{
    char *name = NULL;
    uid_t uid = 4242;

    CU_ASSERT_EQUAL(ntlm_domain_local_account("S-1-5-21-1-2-3-1104", &name, &uid),
                    NTLM_ERR_LOCAL_LOOKUP);
    CU_ASSERT_PTR_NULL(name);
    CU_ASSERT_EQUAL(uid, 4242);
}

static void
test_clearing_a_domain_user_zeroes_it(void)
{
    struct ntlm_domain_user user;

    memset(&user, 0x5a, sizeof(user));
    user.user = user.domain = user.sids = NULL;
    ntlm_domain_user_clear(&user);
    CU_ASSERT_TRUE(test_all_zero(&user, sizeof(user)));
}

static CU_TestInfo tests[] = {
    {"domain logons are refused as unsupported", test_domain_logons_are_refused_as_unsupported},
    {"no SID maps to a local account", test_no_sid_maps_to_a_local_account},
    {"clearing a domain user zeroes it", test_clearing_a_domain_user_zeroes_it},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("ntlm_winbind_none", tests);
}
