/*
 * Parsers for the configuration values that are more than a string or a yes/no: each turns
 * the text after "key =" into its field of struct ntlm_config. Used by ntlm_config.c only.
 */
#ifndef NTLM_CONFIG_VALUES_H
#define NTLM_CONFIG_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "ntlm_config.h"

/*
 * Stores the value into cfg. Returns 0, NTLM_ERR_CONFIG with *reason saying what was
 * expected (a static string), or NTLM_ERR_NOMEM.
 */
typedef uint32_t (*ntlm_config_value_fn)(const char *value, struct ntlm_config *cfg,
                                         const char **reason);

/* yes, no, true, false, 1 or 0, in any case. */
bool ntlm_config_parse_bool(const char *value, bool *out);

uint32_t ntlm_config_value_mic(const char *value, struct ntlm_config *cfg, const char **reason);
uint32_t ntlm_config_value_channel_bindings(const char *value, struct ntlm_config *cfg,
                                            const char **reason);
uint32_t ntlm_config_value_replay_window(const char *value, struct ntlm_config *cfg,
                                         const char **reason);
uint32_t ntlm_config_value_service_binding(const char *value, struct ntlm_config *cfg,
                                           const char **reason);
uint32_t ntlm_config_value_service_names(const char *value, struct ntlm_config *cfg,
                                         const char **reason);
/* Frees a NULL-terminated list such as service_names or local_map_domains (NULL is fine). */
void ntlm_config_free_list(char **list);
uint32_t ntlm_config_value_user_file_permissions(const char *value, struct ntlm_config *cfg,
                                                 const char **reason);
uint32_t ntlm_config_value_audit(const char *value, struct ntlm_config *cfg, const char **reason);
uint32_t ntlm_config_value_winbind(const char *value, struct ntlm_config *cfg, const char **reason);
uint32_t ntlm_config_value_winbind_timeout(const char *value, struct ntlm_config *cfg,
                                           const char **reason);
uint32_t ntlm_config_value_winbind_max_inflight(const char *value, struct ntlm_config *cfg,
                                                const char **reason);
uint32_t ntlm_config_value_min_session_security(const char *value, struct ntlm_config *cfg,
                                                const char **reason);
uint32_t ntlm_config_value_lockout_threshold(const char *value, struct ntlm_config *cfg,
                                             const char **reason);
uint32_t ntlm_config_value_lockout_window(const char *value, struct ntlm_config *cfg,
                                          const char **reason);
uint32_t ntlm_config_value_lockout_duration(const char *value, struct ntlm_config *cfg,
                                            const char **reason);
uint32_t ntlm_config_value_state_dir(const char *value, struct ntlm_config *cfg,
                                     const char **reason);
uint32_t ntlm_config_value_debug(const char *value, struct ntlm_config *cfg, const char **reason);
uint32_t ntlm_config_value_local_uid_min(const char *value, struct ntlm_config *cfg,
                                         const char **reason);
uint32_t ntlm_config_value_local_map_domains(const char *value, struct ntlm_config *cfg,
                                             const char **reason);

#endif
