/*
 * libFuzzer target: libsspi's PAC decoder (sspi_pac.c), on the input as a PAC_LOGON_INFO
 * buffer (MS-PAC 2.5 KERB_VALIDATION_INFO in NDR type serialization), copied to an exact-size
 * allocation so that any read past it is caught. A decoded PAC must name a valid user and
 * primary group and list valid groups, the primary group among them; a refused one must be
 * SEC_E_INVALID_TOKEN.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "sspi_pac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sspi_logon_sids sids;
    char text[SSPI_SID_STRING_MAX];
    uint8_t *copy = malloc(size > 0 ? size : 1);
    SECURITY_STATUS status;
    size_t i;

    if (copy == NULL)
        return 0;
    if (size > 0)
        memcpy(copy, data, size);
    status = sspi_pac_logon_info(copy, size, &sids);
    check(status == SEC_E_OK || status == SEC_E_INVALID_TOKEN ||
              status == SEC_E_INSUFFICIENT_MEMORY,
          "a PAC is decoded or refused as invalid");
    if (status == SEC_E_OK) {
        check(sspi_sid_valid(&sids.user) && sspi_sid_valid(&sids.primary_group),
              "the user and primary group SIDs are valid");
        check(sspi_sid_list_has(&sids.groups, &sids.primary_group),
              "the primary group is among the groups");
        check(sids.groups.count <= SSPI_TOKEN_MAX_SIDS, "no more groups than a token holds");
        for (i = 0; i < sids.groups.count; i++) {
            check(sspi_sid_valid(&sids.groups.items[i].sid), "every group SID is valid");
            sspi_sid_format(&sids.groups.items[i].sid, text);
            check(strlen(text) < sizeof(text), "a SID's text fits its buffer");
        }
        sspi_sid_list_free(&sids.groups);
    }
    free(copy);
    return 0;
}
