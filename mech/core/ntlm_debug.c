/*
 * The debug trace: where it goes (SSPIGSS_NTLM_DEBUG, decided once, else the configuration of
 * the call under way), the line layout, and a small formatter that escapes every string
 * argument.
 */
#include "ntlm_debug.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "ntlm_audit.h"
#include "ntlm_buf.h"
#include "ntlm_message.h"

#define TRUNCATION_MARK "...\n"

enum debug_state { DEBUG_UNKNOWN = 0, DEBUG_OFF, DEBUG_ON };

/* What SSPIGSS_NTLM_DEBUG says, decided once: no trace, or a path that overrides every
 * configuration, or nothing (then the configuration of the call under way decides).
 *
 * Read by every ntlm_debug call of every thread and written once, so on a cache line of
 * their own: the linker had put them beside the user database's cache lock, which every logon
 * takes, and each trace call that found tracing off then waited for that line (perf,
 * bench_scale with 2 threads). */
static struct {
    _Alignas(NTLM_CACHE_LINE) atomic_int state;
    pthread_once_t once;
    /* Set once by env_init, never freed: the process may trace until its last instruction. */
    const char *path;
    bool decides;
} debug_env = {DEBUG_UNKNOWN, PTHREAD_ONCE_INIT, NULL, false};

/* The destination of the call this thread is running: the debug key of the configuration
 * its credential uses (ntlm_debug_enter), NULL outside such a call or without the key. */
static __thread const char *call_path;

/* The environment wins over the configuration, so a trace can be had without editing it and
 * an unwanted one stopped with SSPIGSS_NTLM_DEBUG=none. */
static void
env_init(void)
{
    const char *value = secure_getenv("SSPIGSS_NTLM_DEBUG");

    if (value != NULL && *value != '\0') {
        debug_env.decides = true;
        if (strcasecmp(value, "none") != 0)
            debug_env.path = strdup(value);
    }
    atomic_store_explicit(&debug_env.state, debug_env.path != NULL ? DEBUG_ON : DEBUG_OFF,
                          memory_order_release);
}

/* Where this thread's lines go now: NULL for nowhere. */
static const char *
trace_path(void)
{
    if (atomic_load_explicit(&debug_env.state, memory_order_acquire) == DEBUG_UNKNOWN)
        pthread_once(&debug_env.once, env_init);
    return debug_env.decides ? debug_env.path : call_path;
}

bool
ntlm_debug_enabled(void)
{
    return trace_path() != NULL;
}

void
ntlm_debug_enter(const char *path, struct ntlm_debug_scope *scope)
{
    scope->saved = call_path;
    call_path = path;
}

void
ntlm_debug_leave(struct ntlm_debug_scope *scope)
{
    call_path = scope->saved;
}

/* The line being built; room for TRUNCATION_MARK is always kept back. */
struct trace_line {
    char text[NTLM_DEBUG_LINE_MAX];
    size_t len;
    bool cut;
};

static void
line_add(struct trace_line *l, const char *s, size_t n)
{
    size_t room = sizeof(l->text) - sizeof(TRUNCATION_MARK) - l->len;

    if (l->cut)
        return;
    if (n > room) {
        n = room;
        l->cut = true;
    }
    memcpy(l->text + l->len, s, n);
    l->len += n;
}

static void
line_str(struct trace_line *l, const char *s)
{
    line_add(l, s, strlen(s));
}

/* Formats one non-string conversion; spec is a complete, compiler-checked conversion. */
static void
add_number(struct trace_line *l, const char *spec, char conv, const char *length, va_list *ap)
{
    char out[64];
    int n;

    if (conv == 'd' || conv == 'i' || conv == 'c') {
        if (strcmp(length, "l") == 0)
            n = snprintf(out, sizeof(out), spec, va_arg(*ap, long));
        else if (strcmp(length, "ll") == 0)
            n = snprintf(out, sizeof(out), spec, va_arg(*ap, long long));
        else if (strcmp(length, "z") == 0)
            n = snprintf(out, sizeof(out), spec, va_arg(*ap, ssize_t));
        else if (strcmp(length, "j") == 0)
            n = snprintf(out, sizeof(out), spec, va_arg(*ap, intmax_t));
        else if (strcmp(length, "t") == 0)
            n = snprintf(out, sizeof(out), spec, va_arg(*ap, ptrdiff_t));
        else
            n = snprintf(out, sizeof(out), spec, va_arg(*ap, int));
    } else if (conv == 'p') {
        n = snprintf(out, sizeof(out), spec, va_arg(*ap, void *));
    } else {
        if (strcmp(length, "l") == 0)
            n = snprintf(out, sizeof(out), spec, va_arg(*ap, unsigned long));
        else if (strcmp(length, "ll") == 0)
            n = snprintf(out, sizeof(out), spec, va_arg(*ap, unsigned long long));
        else if (strcmp(length, "z") == 0)
            n = snprintf(out, sizeof(out), spec, va_arg(*ap, size_t));
        else if (strcmp(length, "j") == 0)
            n = snprintf(out, sizeof(out), spec, va_arg(*ap, uintmax_t));
        else if (strcmp(length, "t") == 0)
            n = snprintf(out, sizeof(out), spec, va_arg(*ap, ptrdiff_t));
        else
            n = snprintf(out, sizeof(out), spec, va_arg(*ap, unsigned));
    }
    if (n > 0)
        line_add(l, out, (size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1);
}

/*
 * printf for the trace: literal text is ours and copied; %s arguments may come from the wire
 * and are escaped. A conversion this does not know ends the message, since its argument's
 * type, and so every later one, is unknown.
 */
static void
format_message(struct trace_line *l, const char *fmt, va_list *ap)
{
    const char *p = fmt;

    while (*p != '\0') {
        const char *start = p, *len_start;
        char spec[16], length[3];
        size_t n;

        if (*p != '%') {
            n = strcspn(p, "%");
            line_add(l, p, n);
            p += n;
            continue;
        }
        p++;
        if (*p == '%') {
            line_add(l, "%", 1);
            p++;
            continue;
        }
        p += strspn(p, "-+ #0");
        p += strspn(p, "0123456789");
        if (*p == '.') {
            p++;
            p += strspn(p, "0123456789");
        }
        len_start = p;
        if ((p[0] == 'h' && p[1] == 'h') || (p[0] == 'l' && p[1] == 'l'))
            p += 2;
        else if (*p != '\0' && strchr("hlzjt", *p) != NULL)
            p++;
        n = (size_t)(p - len_start);
        memcpy(length, len_start, n);
        length[n] = '\0';
        if (*p == '\0' || strchr("diuxXocsp", *p) == NULL ||
            (size_t)(p + 1 - start) >= sizeof(spec)) {
            line_str(l, "?");
            return;
        }
        if (*p == 's') {
            const char *s = va_arg(*ap, const char *);
            char escaped[NTLM_DEBUG_STR_MAX * 3 + 8];

            ntlm_audit_escape(s != NULL ? s : "(null)", NTLM_DEBUG_STR_MAX, escaped,
                              sizeof(escaped));
            line_str(l, escaped);
        } else {
            memcpy(spec, start, (size_t)(p + 1 - start));
            spec[p + 1 - start] = '\0';
            add_number(l, spec, *p, length, ap);
        }
        p++;
    }
}

/* "2024-05-01T12:00:00.123Z 4242 4243: " */
static void
line_prefix(struct trace_line *l)
{
    struct timespec ts;
    struct tm tm;
    char stamp[32], head[96];

    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        ts = (struct timespec){0, 0};
    if (gmtime_r(&ts.tv_sec, &tm) == NULL ||
        strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
        snprintf(stamp, sizeof(stamp), "@%lld", (long long)ts.tv_sec);
    snprintf(head, sizeof(head), "%s.%03ldZ %ld %ld: ", stamp, ts.tv_nsec / 1000000L,
             (long)getpid(), (long)gettid());
    line_str(l, head);
}

static void
line_write(struct trace_line *l, const char *path)
{
    const char *end = l->cut ? TRUNCATION_MARK : "\n";

    /* line_add kept room for the mark. */
    memcpy(l->text + l->len, end, strlen(end));
    l->len += strlen(end);
    (void)ntlm_audit_append_line(path, l->text, l->len);
}

void
ntlm_debug(const char *fmt, ...)
{
    const char *path = trace_path();
    struct trace_line l;
    va_list ap;

    if (path == NULL)
        return;
    l.len = 0;
    l.cut = false;
    line_prefix(&l);
    va_start(ap, fmt);
    format_message(&l, fmt, &ap);
    va_end(ap);
    line_write(&l, path);
}

static const struct {
    uint32_t bit;
    const char *name;
} flag_names[] = {
    {NTLMSSP_NEGOTIATE_UNICODE, "UNICODE"},
    {NTLMSSP_NEGOTIATE_OEM, "OEM"},
    {NTLMSSP_REQUEST_TARGET, "REQUEST_TARGET"},
    {NTLMSSP_NEGOTIATE_SIGN, "SIGN"},
    {NTLMSSP_NEGOTIATE_SEAL, "SEAL"},
    {NTLMSSP_NEGOTIATE_DATAGRAM, "DATAGRAM"},
    {NTLMSSP_NEGOTIATE_LM_KEY, "LM_KEY"},
    {NTLMSSP_NEGOTIATE_NTLM, "NTLM"},
    {NTLMSSP_ANONYMOUS, "ANONYMOUS"},
    {NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED, "OEM_DOMAIN_SUPPLIED"},
    {NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED, "OEM_WORKSTATION_SUPPLIED"},
    {NTLMSSP_NEGOTIATE_ALWAYS_SIGN, "ALWAYS_SIGN"},
    {NTLMSSP_TARGET_TYPE_DOMAIN, "TARGET_TYPE_DOMAIN"},
    {NTLMSSP_TARGET_TYPE_SERVER, "TARGET_TYPE_SERVER"},
    {NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, "ESS"},
    {NTLMSSP_NEGOTIATE_IDENTIFY, "IDENTIFY"},
    {NTLMSSP_REQUEST_NON_NT_SESSION_KEY, "NON_NT_SESSION_KEY"},
    {NTLMSSP_NEGOTIATE_TARGET_INFO, "TARGET_INFO"},
    {NTLMSSP_NEGOTIATE_VERSION, "VERSION"},
    {NTLMSSP_NEGOTIATE_128, "128"},
    {NTLMSSP_NEGOTIATE_KEY_EXCH, "KEY_EXCH"},
    {NTLMSSP_NEGOTIATE_56, "56"},
};

void
ntlm_debug_flags(const char *what, uint32_t flags)
{
    char names[512];
    size_t i, len = 0;

    if (!ntlm_debug_enabled())
        return;
    names[0] = '\0';
    for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
        if (!(flags & flag_names[i].bit))
            continue;
        /* The table's names add up to well under sizeof(names). */
        len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s", len > 0 ? "|" : "",
                                flag_names[i].name);
    }
    ntlm_debug("%s 0x%08x %s", what, flags, len > 0 ? names : "-");
}
