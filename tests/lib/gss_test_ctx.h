/* Established NTLM contexts built by hand for the GSS layer's unit suites: the state an
 * exchange leaves, from a session key and flags, without running one. */
#ifndef GSS_TEST_CTX_H
#define GSS_TEST_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "ntlm_gss_context.h"

/* An established context of one role under NTLMSSP flags, keyed with the MS-NLMP 4.2.4
 * exported session key (55..55), granting what those flags grant, expiring in an hour. */
struct ntlm_ctx *gss_test_ctx(bool initiator, uint32_t flags);

#endif
