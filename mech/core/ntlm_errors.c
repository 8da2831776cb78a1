/*
 * The minor status table of the NTLM mechanism, built from NTLM_ERRORS (ntlm_errors.h): each
 * message says what happened and, where it helps, what to fix.
 */
#include "ntlm_errors.h"

#include <stddef.h>

struct ntlm_error_row {
    const char *message;
    enum ntlm_major accept;
    enum ntlm_major init;
};

/*
 * Complete at compile time: two rows with one number are a duplicate case label here, and a
 * number outside 1..NTLM_ERROR_COUNT is an index outside rows[] below; both are errors, so the
 * NTLM_ERROR_COUNT rows hold exactly the numbers 1..NTLM_ERROR_COUNT, each with a message and
 * both majors (the macro takes all five arguments).
 */
#define NTLM_ERROR_CASE(code, number, accept, init, message)                                       \
    case code:                                                                                     \
        return true;
static bool
is_code(uint32_t code)
{
    switch (code) {
        NTLM_ERRORS(NTLM_ERROR_CASE)
    default:
        return false;
    }
}
#undef NTLM_ERROR_CASE

#define NTLM_ERROR_ROW(code, number, accept, init, message)                                        \
    [number - 1] = {message, NTLM_MAJOR_##accept, NTLM_MAJOR_##init},
static const struct ntlm_error_row rows[NTLM_ERROR_COUNT] = {NTLM_ERRORS(NTLM_ERROR_ROW)};
#undef NTLM_ERROR_ROW

static const struct ntlm_error_row *
row(uint32_t code)
{
    if (code <= SSPIGSS_NTLM_MINOR_BASE || code > SSPIGSS_NTLM_MINOR_BASE + NTLM_ERROR_COUNT ||
        !is_code(code))
        return NULL;
    return &rows[code - SSPIGSS_NTLM_MINOR_BASE - 1];
}

const char *
ntlm_error_message(uint32_t code)
{
    const struct ntlm_error_row *r = row(code);

    return r != NULL ? r->message : NULL;
}

enum ntlm_major
ntlm_error_major(uint32_t code, bool initiator)
{
    const struct ntlm_error_row *r = row(code);

    if (r == NULL)
        return NTLM_MAJOR_FAILURE;
    return initiator ? r->init : r->accept;
}
