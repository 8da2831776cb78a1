/*
 * Text at the SSPI boundary: W strings are 16-bit UTF-16 in host order (WCHAR), A strings are
 * taken as UTF-8 (the Linux "code page"); inside, everything is UTF-8.
 */
#ifndef SSPI_STRINGS_H
#define SSPI_STRINGS_H

#include <stddef.h>

#include "sspi.h"

size_t sspi_wcslen(const SEC_WCHAR *s);
/* malloc'd UTF-8 copy of len 16-bit units (len (size_t)-1: up to the terminator), or NULL
 * (bad UTF-16 or no memory). */
char *sspi_utf8_from_wide(const SEC_WCHAR *s, size_t len);
/* malloc'd UTF-8 copy of len bytes of an A string (checked to be UTF-8), or NULL. */
char *sspi_utf8_from_ansi(const char *s, size_t len);
/* malloc'd NUL-terminated UTF-16 of a UTF-8 string; *units (if not NULL) gets its length. */
SEC_WCHAR *sspi_wide_from_utf8(const char *s, size_t *units);
/* The same as a context buffer (released with FreeContextBuffer), for handing to a caller. */
SEC_WCHAR *sspi_wide_buffer_from_utf8(const char *s);
/* A context-buffer copy of a UTF-8 string, or NULL. */
char *sspi_utf8_buffer_dup(const char *s);
/* Wipes a NUL-terminated string (for passwords) and frees it. */
void sspi_free_secret(char *s);

#endif
