/* The one bounds-checked reader for untrusted bytes: a cursor with a sticky error flag. */
#ifndef NTLM_READER_H
#define NTLM_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Reads past the end return 0 (or NULL) and set `err`; callers check the flag once after a
 * group of reads. The cursor never moves past `len`.
 */
struct ntlm_reader {
    const uint8_t *base;
    size_t len;
    size_t pos;
    bool err;
};

void ntlm_reader_init(struct ntlm_reader *r, const void *data, size_t len);
uint8_t ntlm_read_u8(struct ntlm_reader *r);
uint16_t ntlm_read_le16(struct ntlm_reader *r);
uint32_t ntlm_read_le32(struct ntlm_reader *r);
uint64_t ntlm_read_le64(struct ntlm_reader *r);
/* Returns a pointer to the next n bytes and advances, or NULL (and sets err). */
const uint8_t *ntlm_read_bytes(struct ntlm_reader *r, size_t n);
void ntlm_read_copy(struct ntlm_reader *r, void *out, size_t n);
size_t ntlm_reader_remaining(const struct ntlm_reader *r);

/*
 * Returns the n bytes at absolute offset off of the whole buffer without moving the cursor,
 * or NULL when [off, off + n) is not inside it (checked without overflow). Does not touch err:
 * offset-addressed payload needs its own error decision per field.
 */
const uint8_t *ntlm_reader_at(const struct ntlm_reader *r, size_t off, size_t n);

#endif
