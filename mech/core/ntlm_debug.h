/*
 * The debug trace: one short line per step and decision of the mechanism, appended to the
 * file named by SSPIGSS_NTLM_DEBUG (read once, with secure_getenv) or by the debug key of the
 * configuration the current call runs under (ntlm_debug_enter). This file never reads a
 * configuration itself. Names, flags, lengths and error texts only: never a password, hash, key or proof.
 */
#ifndef NTLM_DEBUG_H
#define NTLM_DEBUG_H

#include <stdbool.h>
#include <stdint.h>

/* Bytes of one trace line, newline included; longer messages are cut and end in "...". */
#define NTLM_DEBUG_LINE_MAX 1024
/* Bytes of each %s argument written; longer ones are cut and end in "...". */
#define NTLM_DEBUG_STR_MAX 128

/*
 * Whether the trace is on for this thread now: SSPIGSS_NTLM_DEBUG (a path, or "none" to
 * override every configuration) when set, else the path of the innermost ntlm_debug_enter.
 */
bool ntlm_debug_enabled(void);

/* A call's trace destination, saved and restored around it on this thread. */
struct ntlm_debug_scope {
    const char *saved;
};

/* Until ntlm_debug_leave, this thread traces to path (NULL: nowhere), the debug key of the
 * configuration the call uses; path must stay valid until then. Scopes nest. */
void ntlm_debug_enter(const char *path, struct ntlm_debug_scope *scope);
void ntlm_debug_leave(struct ntlm_debug_scope *scope);

/*
 * Appends "2024-05-01T12:00:00.123Z pid tid: message" to the trace, in one write(2) on an
 * O_APPEND descriptor (file created 0600, never through a symbolic link). Every %s argument
 * is escaped as in the audit line (controls, non-ASCII, " % \ become %XX), so names from the
 * network may be passed as they are. Conversions: d i u x X o c s p %, with flags, width,
 * precision and the length modifiers hh h l ll z j t. When the trace is off this is one
 * branch; failures to write are ignored.
 */
void ntlm_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A line "what 0x%08x NAME|NAME|..." naming the NTLMSSP_* bits of flags. */
void ntlm_debug_flags(const char *what, uint32_t flags);

#endif
