/* A growable output buffer with a sticky error; its memory is wiped on growth and free. */
#ifndef NTLM_BUF_H
#define NTLM_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ntlm_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
    bool err;
};

#define NTLM_BUF_INIT                                                                              \
    {                                                                                              \
        NULL, 0, 0, false                                                                          \
    }

void ntlm_buf_add(struct ntlm_buf *b, const void *data, size_t n);
void ntlm_buf_add_u8(struct ntlm_buf *b, uint8_t v);
void ntlm_buf_add_le16(struct ntlm_buf *b, uint16_t v);
void ntlm_buf_add_le32(struct ntlm_buf *b, uint32_t v);
void ntlm_buf_add_le64(struct ntlm_buf *b, uint64_t v);
void ntlm_buf_add_zeros(struct ntlm_buf *b, size_t n);
/* Overwrite bytes already in the buffer (for offsets known only later); sets err if outside. */
void ntlm_buf_put_le16_at(struct ntlm_buf *b, size_t off, uint16_t v);
void ntlm_buf_put_le32_at(struct ntlm_buf *b, size_t off, uint32_t v);
void ntlm_buf_put_at(struct ntlm_buf *b, size_t off, const void *data, size_t n);
/* 0, or NTLM_ERR_NOMEM when any earlier operation failed. */
uint32_t ntlm_buf_status(const struct ntlm_buf *b);
/*
 * Appends a finished buffer to out when it holds no error and at most max bytes
 * (NTLM_ERR_TOKEN_TOO_LARGE otherwise), so only complete results ever reach out.
 */
uint32_t ntlm_buf_append(struct ntlm_buf *out, const struct ntlm_buf *done, size_t max);
/* Hands the bytes to the caller (malloc'd; the caller frees) and resets the buffer. */
uint8_t *ntlm_buf_take(struct ntlm_buf *b, size_t *len);
/* Wipes and frees. */
void ntlm_buf_free(struct ntlm_buf *b);

/* The cache line size this code lays shared data out for (x86-64, and most arm64 cores). */
#define NTLM_CACHE_LINE 64

/*
 * Zeroed memory for data every thread of a server reads or writes on each logon (the user
 * database, the replay and answered rings, the settings), on whole cache lines of its own: a
 * line that also held another allocation's bytes would move between the cores whenever either
 * side wrote (bench_scale: two threads lost 4 points against two processes to this). NULL for
 * a size of 0 or out of memory; free with free().
 */
void *ntlm_calloc_lines(size_t size);

#endif
