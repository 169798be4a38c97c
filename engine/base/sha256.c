/*
 * sha256.c: SHA-256 (FIPS 180-4) by nettle, behind digilevel's own names (see sha256.h).
 *
 * nettle rather than OpenSSL's EVP interface: as fast (both use the CPU's SHA extensions, nettle
 * through its run-time "fat" dispatch), and nettle's context is a plain struct, so hashing never
 * allocates (an EVP_MD_CTX is allocated per digest, and OpenSSL 3 looks the digest up in its
 * provider store under a lock). Measurements: docs/performance.md, "SHA-256".
 */
#include "sha256.h"

#include <nettle/sha2.h>

_Static_assert(sizeof(struct sha256_ctx) <= sizeof(((dl__sha256_ctx *)0)->opaque.bytes),
	       "dl__sha256_ctx too small for nettle's struct sha256_ctx");
_Static_assert(_Alignof(struct sha256_ctx) <= _Alignof(uint64_t),
	       "dl__sha256_ctx not aligned for nettle's struct sha256_ctx");
_Static_assert(DL__SHA256_SIZE == SHA256_DIGEST_SIZE, "digest sizes differ");

static struct sha256_ctx *nettle_ctx(dl__sha256_ctx *ctx)
{
	return (struct sha256_ctx *)(void *)ctx->opaque.bytes;
}

void dl__sha256_init(dl__sha256_ctx *ctx)
{
	sha256_init(nettle_ctx(ctx));
}

void dl__sha256_update(dl__sha256_ctx *ctx, const void *data, size_t len)
{
	if (len == 0)
		return; /* data may be NULL */
	sha256_update(nettle_ctx(ctx), len, data);
}

void dl__sha256_final(dl__sha256_ctx *ctx, unsigned char out[DL__SHA256_SIZE])
{
	sha256_digest(nettle_ctx(ctx), DL__SHA256_SIZE, out);
}

void dl__sha256(const void *data, size_t len, unsigned char out[DL__SHA256_SIZE])
{
	dl__sha256_ctx ctx;
	dl__sha256_init(&ctx);
	dl__sha256_update(&ctx, data, len);
	dl__sha256_final(&ctx, out);
}

void dl__sha256_hex(const void *data, size_t len, char out[DL__SHA256_HEX_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char digest[DL__SHA256_SIZE];
	dl__sha256(data, len, digest);
	for (size_t i = 0; i < DL__SHA256_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 0x0f];
	}
	out[DL__SHA256_HEX_SIZE - 1] = '\0';
}
