/*
 * Text conversions for the wire: UTF-16LE and OEM (taken as ISO-8859-1) to and from UTF-8,
 * with Windows-style simple 1:1 upper-casing. Built on libunistring.
 */
#ifndef NTLM_UNICODE_H
#define NTLM_UNICODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decodes len bytes of UTF-16LE into a NUL-terminated malloc'd UTF-8 string.
 * Errors: NTLM_ERR_UTF16_ODD_LENGTH, NTLM_ERR_UTF16_SURROGATE (unpaired),
 * NTLM_ERR_EMBEDDED_NUL, NTLM_ERR_NOMEM.
 */
uint32_t ntlm_utf16le_to_utf8(const uint8_t *in, size_t len, char **out);
/* Decodes OEM bytes (ISO-8859-1). Errors: NTLM_ERR_EMBEDDED_NUL, NTLM_ERR_NOMEM. */
uint32_t ntlm_oem_to_utf8(const uint8_t *in, size_t len, char **out);

/*
 * Encodes UTF-8 into malloc'd UTF-16LE (no terminator), upper-cased first when `upper`.
 * An empty string gives *out == NULL, *out_len == 0. Errors: NTLM_ERR_BAD_UTF8, NTLM_ERR_NOMEM.
 */
uint32_t ntlm_utf8_to_utf16le(const char *in, bool upper, uint8_t **out, size_t *out_len);
/* Encodes UTF-8 into OEM (ISO-8859-1). Errors: NTLM_ERR_BAD_UTF8, NTLM_ERR_NOT_OEM, NOMEM. */
uint32_t ntlm_utf8_to_oem(const char *in, bool upper, uint8_t **out, size_t *out_len);

/* Upper-cases UTF-8 code point by code point (simple mapping). Errors: BAD_UTF8, NOMEM. */
uint32_t ntlm_utf8_upper(const char *in, char **out);
/* Windows-style case-insensitive equality of two UTF-8 strings (false on invalid UTF-8). */
bool ntlm_utf8_case_equal(const char *a, const char *b);
/*
 * Whether a user or domain name is one an account can have: valid UTF-8 without a backslash
 * (it would make "DOMAIN\user" ambiguous) or a control character (C0, DEL, C1), which could
 * forge lines in logs and files. The empty string is valid (no domain).
 */
bool ntlm_account_name_valid(const char *s);

#endif
