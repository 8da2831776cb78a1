/* Little-endian loads and stores for wire fields built or read outside ntlm_buf/ntlm_reader. */
#ifndef NTLM_ENDIAN_H
#define NTLM_ENDIAN_H

#include <stdint.h>

static inline void
ntlm_put_le32(uint8_t out[4], uint32_t v)
{
    out[0] = (uint8_t)v;
    out[1] = (uint8_t)(v >> 8);
    out[2] = (uint8_t)(v >> 16);
    out[3] = (uint8_t)(v >> 24);
}

static inline uint32_t
ntlm_get_le32(const uint8_t in[4])
{
    return (uint32_t)in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 24;
}

#endif
