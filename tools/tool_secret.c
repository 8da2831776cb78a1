/*
 * Reading a password for the command-line tools: from the terminal without echo, or a line of
 * standard input.
 */
#include "tool_secret.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved_tty;
static volatile sig_atomic_t tty_echo_off;

/* A signal while echo is off must not leave the user's terminal without it. */
static void
restore_tty(int sig)
{
    if (tty_echo_off)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
    signal(sig, SIG_DFL);
    raise(sig);
}

static int
read_line(char *buf, size_t size, const char **why, bool *system_error)
{
    size_t n = 0;
    ssize_t r;
    char c;

    *system_error = false;
    for (;;) {
        r = read(STDIN_FILENO, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            *system_error = true;
            *why = strerror(errno);
            return -1;
        }
        if (r == 0 || c == '\n')
            break;
        if (n + 2 >= size) {
            *why = "the password is too long";
            return -1;
        }
        buf[n++] = c;
    }
    if (r == 0 && n == 0) {
        *why = "no password on standard input";
        return -1;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    if (memchr(buf, '\0', n) != NULL) {
        *why = "the password contains a NUL byte";
        return -1;
    }
    return 0;
}

int
tool_read_secret(const char *prompt, char *buf, size_t size, const char **why, bool *system_error)
{
    struct termios quiet;
    int ret;

    if (!isatty(STDIN_FILENO))
        return read_line(buf, size, why, system_error);
    if (tcgetattr(STDIN_FILENO, &saved_tty) != 0) {
        *system_error = true;
        *why = strerror(errno);
        return -1;
    }
    signal(SIGINT, restore_tty);
    signal(SIGTERM, restore_tty);
    signal(SIGHUP, restore_tty);
    signal(SIGQUIT, restore_tty);
    quiet = saved_tty;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    fputs(prompt, stderr);
    fflush(stderr);
    tty_echo_off = 1;
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0) {
        tty_echo_off = 0;
        *system_error = true;
        *why = strerror(errno);
        return -1;
    }
    ret = read_line(buf, size, why, system_error);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
    tty_echo_off = 0;
    return ret;
}
