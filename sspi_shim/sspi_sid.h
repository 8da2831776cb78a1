/*
 * SIDs inside libsspi: a fixed-size buffer in Windows' in-memory layout (the SID struct with
 * room for SID_MAX_SUB_AUTHORITIES), its text form "S-1-5-21-...", and lists of SIDs with
 * their group attributes, of which tokens are made.
 */
#ifndef SSPI_SID_H
#define SSPI_SID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sspi.h"

/* Any SID fits: what the token keeps and the PAC decoder produces. */
typedef union sspi_sid {
    SID sid;
    BYTE bytes[SECURITY_MAX_SID_SIZE];
} sspi_sid;

/* "S-1-" + "0x" and 12 hex digits + 15 times "-" and 10 digits, and the NUL. */
#define SSPI_SID_STRING_MAX 192

/* Revision 1 and at most 15 sub-authorities. */
bool sspi_sid_valid(const void *sid);
/* 8 + 4 * SubAuthorityCount: the bytes a valid SID occupies. */
size_t sspi_sid_length(const void *sid);
bool sspi_sid_equal(const void *a, const void *b);
/* Sub-authority i (below SubAuthorityCount) of a valid SID. */
uint32_t sspi_sid_sub_authority(const void *sid, size_t i);
/* A SID of authority (48 bits) and count sub-authorities (at most 15: false otherwise). */
bool sspi_sid_make(sspi_sid *out, uint64_t authority, size_t count, const uint32_t *subs);
/* domain + rid, false when domain already has 15 sub-authorities. */
bool sspi_sid_append_rid(sspi_sid *out, const sspi_sid *domain, uint32_t rid);
/* Writes the text form of a valid SID into out (SSPI_SID_STRING_MAX bytes). */
void sspi_sid_format(const void *sid, char out[SSPI_SID_STRING_MAX]);
/* Parses the text form (or a domain-independent SDDL abbreviation); false if malformed. */
bool sspi_sid_parse(const char *text, sspi_sid *out);

/* MANDATORY | ENABLED_BY_DEFAULT | ENABLED: what Windows gives a network logon's groups. */
#define SSPI_GROUP_DEFAULT_ATTRIBUTES                                                              \
    (SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED)
/* More SIDs than this in one logon is refused rather than built into a token. */
#define SSPI_TOKEN_MAX_SIDS 4096

struct sspi_token_sid {
    DWORD attributes;
    sspi_sid sid;
};

/* A list of SIDs, each once (a repeat ORs its attributes into the first). */
struct sspi_sid_list {
    size_t count, cap;
    struct sspi_token_sid *items;
};

/* SEC_E_OK, SEC_E_INSUFFICIENT_MEMORY, or SEC_E_INVALID_TOKEN past SSPI_TOKEN_MAX_SIDS. */
SECURITY_STATUS sspi_sid_list_add(struct sspi_sid_list *list, const sspi_sid *sid,
                                  DWORD attributes);
bool sspi_sid_list_has(const struct sspi_sid_list *list, const sspi_sid *sid);
void sspi_sid_list_free(struct sspi_sid_list *list);
/* Everyone, NETWORK and Authenticated Users, which every network logon has on Windows. */
SECURITY_STATUS sspi_sid_list_add_network_groups(struct sspi_sid_list *list);

/* The SIDs of one logon, as a PAC or a domain controller gives them. */
struct sspi_logon_sids {
    sspi_sid user;
    sspi_sid primary_group;
    struct sspi_sid_list groups; /* the primary group among them */
};

/* The local unix SIDs S-1-22-1-uid and S-1-22-2-gid (Samba's scheme). */
void sspi_sid_unix_user(sspi_sid *out, uid_t uid);
void sspi_sid_unix_group(sspi_sid *out, gid_t gid);

#endif
