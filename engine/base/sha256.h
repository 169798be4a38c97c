/*
 * sha256.h: SHA-256 (FIPS 180-4), one-shot and incremental.
 *
 * The library fingerprints every input it loads so that a report can name exactly which answer
 * sheet it was made from. The digest is nettle's (sha256.c is the only file that includes a nettle
 * header): it uses the CPU's SHA extensions where they exist, never allocates and keeps no global
 * state, so any number of threads may hash at once, each with its own context. It is for
 * identification, not for secrets (no wiping guarantees).
 */
#ifndef DL_SHA256_H
#define DL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define DL__SHA256_SIZE 32 /**< bytes in a digest */
#define DL__SHA256_HEX_SIZE 65 /**< 64 lowercase hex digits and the terminating NUL */

/** Incremental state: room for nettle's struct sha256_ctx, which only sha256.c sees (it checks
 * the size and alignment at compile time). Plain data: copy it to fork a computation; nothing to
 * free. */
typedef struct dl__sha256_ctx {
	union {
		uint64_t align;           /* nettle's context holds a uint64_t */
		unsigned char bytes[128]; /* struct sha256_ctx is 112 bytes in nettle 3.8 */
	} opaque;
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
