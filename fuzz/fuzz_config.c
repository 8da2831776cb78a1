/*
 * libFuzzer target: the module's configuration parser (ntlm_config_parse), then the defaults
 * filled over what it parsed, then a second parse into the same struct (which must replace it).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_config.h"
#include "ntlm_errors.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SOURCE "fuzz.conf"

static bool
netbios_ok(const char *name)
{
    return name == NULL || (name[0] != '\0' && strlen(name) <= 15);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ntlm_config cfg = {0};
    char *text;
    uint32_t ret;

    /* The parser takes a C string, as the loader reads it. */
    text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    ret = ntlm_config_parse(text, SOURCE, &cfg);
    if (ret == 0) {
        check(cfg.error == NULL, "success carries no error");
        check(netbios_ok(cfg.netbios_name) && netbios_ok(cfg.netbios_domain),
              "NetBIOS names are 1 to 15 bytes");
        check(!cfg.obsolete_lm || cfg.obsolete_lm_line != 0, "an lm key set has its line");
        check(cfg.user_file == NULL || cfg.user_file[0] != '\0', "no empty user file");
        check(ntlm_config_defaults(&cfg) == 0, "defaults fill a parsed config");
        check(cfg.netbios_name != NULL && cfg.netbios_domain != NULL && cfg.dns_name != NULL &&
                  cfg.dns_domain != NULL,
              "defaults leave nothing unset");
    } else if (ret == NTLM_ERR_CONFIG) {
        check(cfg.error != NULL && strncmp(cfg.error, SOURCE ":", strlen(SOURCE ":")) == 0,
              "an invalid file says where");
        check(cfg.user_file == NULL && cfg.netbios_name == NULL && cfg.netbios_domain == NULL &&
                  cfg.dns_name == NULL && cfg.dns_domain == NULL,
              "an invalid file sets nothing");
    }

    /* Parsing into a used struct replaces what it held. */
    check(ntlm_config_parse("netbios_name = HOST\n", SOURCE, &cfg) == 0, "a valid file parses");
    check(cfg.error == NULL && cfg.user_file == NULL && strcmp(cfg.netbios_name, "HOST") == 0,
          "a second parse replaces the first");
    ntlm_config_clear(&cfg);
    free(text);
    return 0;
}
