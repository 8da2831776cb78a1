/*
 * Reading a password for the command-line tools: from the terminal with echo turned off (and
 * restored on a signal), or one line of standard input when it is not a terminal (scripts).
 */
#ifndef TOOL_SECRET_H
#define TOOL_SECRET_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Reads one line into buf (NUL-terminated, without its "\n" or "\r\n"), byte by byte so that
 * no stdio buffer keeps a copy. On a terminal prompt is written to stderr first and echo is
 * off while the line is typed. Returns 0, or -1 with *why saying what went wrong (a static
 * string, or strerror's); *system_error tells a failure of the system from bad input.
 */
int tool_read_secret(const char *prompt, char *buf, size_t size, const char **why,
                     bool *system_error);

#endif
