/*
 * Service binding and reflection: whether the SPN a client named in its NTLMv2 response
 * (MsvAvTargetName, MS-NLMP 2.2.2.1) is one of this acceptor's names under the
 * service_binding policy, and the table of server challenges this process's own initiators
 * answered, which tells a reflected AUTHENTICATE from one a remote client sent.
 */
#ifndef NTLM_BINDING_H
#define NTLM_BINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ntlm_config.h"

/* Entries in the table of answered challenges; when full, the oldest goes. */
#define NTLM_ANSWERED_TABLE_SIZE 4096

/* What became of the client's target name (for the audit line). */
enum ntlm_target_status {
    NTLM_TARGET_NOT_CHECKED = 0, /* failed before, anonymous, or service_binding = never */
    NTLM_TARGET_MATCHED,
    NTLM_TARGET_ABSENT,           /* none sent (NTLMv1 or the client's choice), let pass */
    NTLM_TARGET_UNTRUSTED,        /* ours, but flagged untrusted by the client, let pass */
    NTLM_TARGET_MISMATCH,         /* another service or host */
    NTLM_TARGET_REQUIRED_MISSING, /* none, or only an untrusted one, under required */
    NTLM_TARGET_REFLECTED,        /* our own initiator answered this challenge for another target */
};

/* The acceptor's own name, from its credential; both NULL when it has none. */
struct ntlm_acceptor_id {
    const char *service; /* "HTTP", "host"... */
    const char *host;    /* "www.example.com" */
};

/*
 * Whether target ("class/host[:port]") names what expected ("class/host[:port]") names:
 * classes and hosts compared without regard to ASCII case (as Windows compares SPNs), ports
 * and one trailing dot of a host ignored, IPv6 literals with or without brackets. An expected
 * class "host" stands for every class, as the HOST SPN of a Windows computer account does.
 */
bool ntlm_spn_matches(const char *target, const char *expected);

/*
 * Whether target is one of the acceptor's names: cfg->service_names when set; otherwise the
 * class of id (any class when it is "host" or unknown) on id's host, netbios_name, dns_name
 * (and dns_name.dns_domain), the host name, localhost and the host's addresses.
 */
bool ntlm_target_is_ours(const struct ntlm_config *cfg, const struct ntlm_acceptor_id *id,
                         const char *target);

/*
 * The verdict on target (NULL when the client sent none) under cfg->service_binding.
 * untrusted: the client's MsvAvFlags mark it as from an untrusted source. answered_here: this
 * process's initiator answered the challenge the AUTHENTICATE answers. Errors:
 * NTLM_ERR_REFLECTED (answered here, for a target not ours, whatever the policy),
 * NTLM_ERR_TARGET_MISMATCH, NTLM_ERR_TARGET_MISSING. *status is set in every case.
 */
uint32_t ntlm_policy_target(const struct ntlm_config *cfg, const struct ntlm_acceptor_id *id,
                            const char *target, bool untrusted, bool answered_here,
                            enum ntlm_target_status *status);

/*
 * The server challenges this process's initiators answered. ntlm_env.c makes one that every
 * environment of the process shares: a challenge answered under one configuration and
 * reflected to an acceptor under another is still a reflection.
 */
struct ntlm_answered_table;

uint32_t ntlm_answered_new(struct ntlm_answered_table **out);
void ntlm_answered_free(struct ntlm_answered_table *table);
/*
 * The initiator notes each server challenge it answered, until expires; the acceptor takes
 * (and forgets) the one it issued: true when this process's initiator answered it.
 */
void ntlm_answered_note(struct ntlm_answered_table *table, const uint8_t challenge[8],
                        time_t expires);
bool ntlm_answered_take(struct ntlm_answered_table *table, const uint8_t challenge[8], time_t now);

#endif
