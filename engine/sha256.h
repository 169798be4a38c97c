/*
 * sha256.h: SHA-256 (FIPS 180-4), one-shot and incremental.
 *
 * The library fingerprints every input it loads so that a report can name exactly which answer
 * sheet it was made from. A small self-contained implementation keeps that free of a crypto
 * dependency; it is for identification, not for secrets (no constant-time or wiping guarantees).
 */
#ifndef DL_SHA256_H
#define DL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define DL__SHA256_SIZE 32 /**< bytes in a digest */
#define DL__SHA256_HEX_SIZE 65 /**< 64 lowercase hex digits and the terminating NUL */

/** Incremental state. Plain data: copy it to fork a computation; nothing to free. */
typedef struct dl__sha256_ctx {
	uint32_t state[8];
	uint64_t length;          /* bytes hashed so far (the message length, mod 2^64) */
	unsigned char block[64];  /* the partial block not yet compressed */
	size_t used;              /* bytes in block, 0..63 */
} dl__sha256_ctx;

/** Start a new digest. */
void dl__sha256_init(dl__sha256_ctx *ctx);

/** Hash len more bytes of data (data may be NULL when len is 0). */
void dl__sha256_update(dl__sha256_ctx *ctx, const void *data, size_t len);

/** Finish: write the 32-byte digest to out. ctx must be re-initialised before it is used again. */
void dl__sha256_final(dl__sha256_ctx *ctx, unsigned char out[DL__SHA256_SIZE]);

/** The digest of len bytes of data, in one call. */
void dl__sha256(const void *data, size_t len, unsigned char out[DL__SHA256_SIZE]);

/** The digest of len bytes of data as 64 lowercase hex digits and a NUL. */
void dl__sha256_hex(const void *data, size_t len, char out[DL__SHA256_HEX_SIZE]);

#endif
