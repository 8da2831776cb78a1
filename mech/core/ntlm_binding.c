/*
 * Service binding (the client's MsvAvTargetName against this acceptor's names) and the table
 * of server challenges this process's own initiator answered, for reflection.
 */
#include "ntlm_binding.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ntlm_buf.h"
#include "ntlm_errors.h"
#include "ntlm_keyring.h"

/* A piece of a string: SPN parts are compared in place. */
struct span {
    const char *p;
    size_t len;
};

static char
ascii_fold(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Windows compares SPNs without regard to case; only ASCII folds, never by locale. */
static bool
span_equal(struct span a, struct span b)
{
    size_t i;

    if (a.len != b.len)
        return false;
    for (i = 0; i < a.len; i++) {
        if (ascii_fold(a.p[i]) != ascii_fold(b.p[i]))
            return false;
    }
    return true;
}

static struct span
span_of(const char *s)
{
    return (struct span){s, strlen(s)};
}

/* ":digits", or nothing. */
static bool
is_port_or_empty(const char *p, size_t n)
{
    size_t i;

    if (n == 0)
        return true;
    if (p[0] != ':' || n == 1)
        return false;
    for (i = 1; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
    }
    return true;
}

/*
 * The bare host of "host", "host:port", "[v6]", "[v6]:port", "v6" or "host.": what names the
 * machine, not the port of one of its services. False for an empty host or a port that is
 * not digits.
 */
static bool
bare_host(const char *h, size_t n, struct span *out)
{
    const char *colon, *close;

    if (n > 0 && h[0] == '[') {
        close = memchr(h, ']', n);
        if (close == NULL || !is_port_or_empty(close + 1, n - (size_t)(close + 1 - h)))
            return false;
        *out = (struct span){h + 1, (size_t)(close - h - 1)};
        return out->len > 0;
    }
    /* One colon is a port; more make an IPv6 literal without brackets. */
    colon = memchr(h, ':', n);
    if (colon != NULL && memchr(colon + 1, ':', n - (size_t)(colon + 1 - h)) == NULL) {
        if (!is_port_or_empty(colon, n - (size_t)(colon - h)))
            return false;
        n = (size_t)(colon - h);
    }
    if (n > 1 && h[n - 1] == '.')
        n--;
    *out = (struct span){h, n};
    return n > 0;
}

/* "class/host...": false when either part is empty. */
static bool
split_spn(const char *spn, struct span *service, struct span *host)
{
    const char *slash = strchr(spn, '/');

    if (slash == NULL || slash == spn)
        return false;
    *service = (struct span){spn, (size_t)(slash - spn)};
    return bare_host(slash + 1, strlen(slash + 1), host);
}

/* An expected class of "host" (or none known) accepts any class, like Windows' HOST SPN. */
static bool
service_accepts(struct span expected, struct span service)
{
    return expected.len == 0 || span_equal(expected, span_of("host")) ||
           span_equal(expected, service);
}

static bool
host_equal(struct span host, const char *candidate)
{
    struct span bare;

    return candidate != NULL && bare_host(candidate, strlen(candidate), &bare) &&
           span_equal(host, bare);
}

bool
ntlm_spn_matches(const char *target, const char *expected)
{
    struct span ts, th, es, eh;

    return target != NULL && expected != NULL && split_spn(target, &ts, &th) &&
           split_spn(expected, &es, &eh) && service_accepts(es, ts) && span_equal(th, eh);
}

/* dns_name.dns_domain, when dns_name is a single label and the domain is known. */
static bool
is_fqdn_of(struct span host, const struct ntlm_config *cfg)
{
    size_t n;

    if (cfg->dns_name == NULL || cfg->dns_domain == NULL || cfg->dns_domain[0] == '\0' ||
        strchr(cfg->dns_name, '.') != NULL)
        return false;
    n = strlen(cfg->dns_name);
    return host.len > n + 1 && host.p[n] == '.' &&
           span_equal((struct span){host.p, n}, span_of(cfg->dns_name)) &&
           host_equal((struct span){host.p + n + 1, host.len - n - 1}, cfg->dns_domain);
}

/* One of the addresses of this host's interfaces, written as inet_ntop writes them. */
static bool
is_local_address(struct span host)
{
    struct ifaddrs *all = NULL, *ifa;
    char text[INET6_ADDRSTRLEN];
    bool found = false;

    if (getifaddrs(&all) != 0)
        return false;
    for (ifa = all; ifa != NULL && !found; ifa = ifa->ifa_next) {
        const void *addr;

        if (ifa->ifa_addr == NULL)
            continue;
        if (ifa->ifa_addr->sa_family == AF_INET)
            addr = &((const struct sockaddr_in *)(const void *)ifa->ifa_addr)->sin_addr;
        else if (ifa->ifa_addr->sa_family == AF_INET6)
            addr = &((const struct sockaddr_in6 *)(const void *)ifa->ifa_addr)->sin6_addr;
        else
            continue;
        if (inet_ntop(ifa->ifa_addr->sa_family, addr, text, sizeof(text)) != NULL)
            found = host_equal(host, text);
    }
    freeifaddrs(all);
    return found;
}

/*
 * The host's names. Loopback names are among them, for clients on this machine (the test
 * suites' among them); a client elsewhere that names localhost meant its own machine, so a
 * server that wants relays from there refused too pins its names in service_names.
 */
static bool
host_is_ours(struct span host, const struct ntlm_config *cfg, const struct ntlm_acceptor_id *id)
{
    char name[HOST_NAME_MAX + 1];

    if (host_equal(host, id->host) || host_equal(host, cfg->netbios_name) ||
        host_equal(host, cfg->dns_name) || is_fqdn_of(host, cfg) || host_equal(host, "localhost"))
        return true;
    if (gethostname(name, sizeof(name)) == 0) {
        name[HOST_NAME_MAX] = '\0';
        if (host_equal(host, name))
            return true;
    }
    return is_local_address(host);
}

bool
ntlm_target_is_ours(const struct ntlm_config *cfg, const struct ntlm_acceptor_id *id,
                    const char *target)
{
    struct span service, host;
    size_t i;

    if (target == NULL || !split_spn(target, &service, &host))
        return false;
    if (cfg->service_names != NULL) {
        for (i = 0; cfg->service_names[i] != NULL; i++) {
            if (ntlm_spn_matches(target, cfg->service_names[i]))
                return true;
        }
        return false;
    }
    return service_accepts(span_of(id->service != NULL ? id->service : ""), service) &&
           host_is_ours(host, cfg, id);
}

uint32_t
ntlm_policy_target(const struct ntlm_config *cfg, const struct ntlm_acceptor_id *id,
                   const char *target, bool untrusted, bool answered_here,
                   enum ntlm_target_status *status)
{
    bool ours;

    *status = NTLM_TARGET_NOT_CHECKED;
    if (target == NULL && cfg->service_binding != NTLM_SB_NEVER) {
        *status = cfg->service_binding == NTLM_SB_REQUIRED ? NTLM_TARGET_REQUIRED_MISSING
                                                           : NTLM_TARGET_ABSENT;
        return *status == NTLM_TARGET_ABSENT ? 0 : NTLM_ERR_TARGET_MISSING;
    }
    if (target == NULL || (cfg->service_binding == NTLM_SB_NEVER && !answered_here))
        return 0;
    ours = ntlm_target_is_ours(cfg, id, target);
    /* Our initiator meant another machine, yet its answer came back here: whatever the
     * policy, that is the answer bounced back by whoever it was sent to. */
    if (answered_here && !ours) {
        *status = NTLM_TARGET_REFLECTED;
        return NTLM_ERR_REFLECTED;
    }
    if (cfg->service_binding == NTLM_SB_NEVER)
        return 0;
    if (!ours) {
        *status = NTLM_TARGET_MISMATCH;
        return NTLM_ERR_TARGET_MISMATCH;
    }
    /* MS-NLMP 2.2.2.1 MsvAvFlags 0x4: the client took the name from a source it does not trust
     * (DNS, say), so a match proves nothing; only required insists on a trusted one. */
    if (untrusted) {
        *status = cfg->service_binding == NTLM_SB_REQUIRED ? NTLM_TARGET_REQUIRED_MISSING
                                                           : NTLM_TARGET_UNTRUSTED;
        return *status == NTLM_TARGET_UNTRUSTED ? 0 : NTLM_ERR_TARGET_MISSING;
    }
    *status = NTLM_TARGET_MATCHED;
    return 0;
}

/* The answered challenges are a keyring of 8-byte server challenges (ntlm_keyring.h): one
 * is noted per answer, so a challenge a server hands two of our contexts counts twice. */
struct ntlm_answered_table {
    struct ntlm_keyring *ring;
};

uint32_t
ntlm_answered_new(struct ntlm_answered_table **out)
{
    struct ntlm_answered_table *t = ntlm_calloc_lines(sizeof(*t));
    uint32_t ret;

    if (t == NULL)
        return NTLM_ERR_NOMEM;
    ret = ntlm_keyring_new(NTLM_ANSWERED_TABLE_SIZE, 8, &t->ring);
    if (ret) {
        free(t);
        return ret;
    }
    *out = t;
    return 0;
}

void
ntlm_answered_free(struct ntlm_answered_table *table)
{
    if (table == NULL)
        return;
    ntlm_keyring_free(table->ring);
    free(table);
}

void
ntlm_answered_note(struct ntlm_answered_table *table, const uint8_t challenge[8], time_t expires)
{
    /* Not unique: "now" plays no part. */
    ntlm_keyring_add(table->ring, challenge, 0, expires, false);
}

bool
ntlm_answered_take(struct ntlm_answered_table *table, const uint8_t challenge[8], time_t now)
{
    return ntlm_keyring_take(table->ring, challenge, now);
}
