/*
 * arena.c: bump allocation in chunks, freed all at once (see arena.h).
 */
#include "arena.h"

#include "alloc.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

struct dl__arena_chunk {
	dl__arena_chunk *next;
	alignas(max_align_t) unsigned char data[];
};

/*
 * Chunks grow from FIRST_CHUNK to CHUNK_SIZE: a score result (about 2 KiB) takes one small chunk
 * and a sheet (4 to 13 KiB) one or two, instead of 16 KiB each. It matters where many are kept at
 * once: batch pairing keeps every enterprise's "before" until the end (docs/performance.md).
 */
#define FIRST_CHUNK 4096u
#define CHUNK_SIZE  16384u

void *dl__arena_alloc(dl__arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	size_t rounded = (size + align - 1) / align * align;
	if (rounded < size || rounded > SIZE_MAX - sizeof(dl__arena_chunk))
		return NULL;
	if (rounded > CHUNK_SIZE / 4 && a->head && a->capacity - a->used < rounded) {
		/*
		 * A big block (a table's rows, a font's glyph list) gets a chunk of its own, linked
		 * behind the head, so that the head's free space stays in use for the small ones.
		 */
		dl__arena_chunk *chunk = dl__malloc(sizeof(*chunk) + rounded);
		if (!chunk)
			return NULL;
		chunk->next = a->head->next;
		a->head->next = chunk;
		memset(chunk->data, 0, size);
		return chunk->data;
	}
	if (!a->head || a->capacity - a->used < rounded) {
		size_t next = !a->head			     ? FIRST_CHUNK
			      : a->capacity < CHUNK_SIZE / 2 ? a->capacity * 2
							     : CHUNK_SIZE;
		size_t capacity = rounded > next ? rounded : next;
		dl__arena_chunk *chunk = dl__malloc(sizeof(*chunk) + capacity);
		if (!chunk)
			return NULL;
		chunk->next = a->head;
		a->head = chunk;
		a->used = 0;
		a->capacity = capacity;
	}
	void *p = a->head->data + a->used;
	a->used += rounded;
	memset(p, 0, size);
	return p;
}

void *dl__arena_array(dl__arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	return dl__arena_alloc(a, count * size);
}

char *dl__arena_strndup(dl__arena *a, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *copy = dl__arena_alloc(a, len + 1);
	if (copy) {
		if (len)
			memcpy(copy, s, len);
		copy[len] = '\0';
	}
	return copy;
}

char *dl__arena_strdup(dl__arena *a, const char *s)
{
	return dl__arena_strndup(a, s, strlen(s));
}

void dl__arena_free(dl__arena *a)
{
	dl__arena_chunk *chunk = a->head;
	while (chunk) {
		dl__arena_chunk *next = chunk->next;
		dl__free(chunk);
		chunk = next;
	}
	a->head = NULL;
	a->used = a->capacity = 0;
}

dl__arena *dl__arena_new(void)
{
	return dl__calloc(1, sizeof(dl__arena));
}

void dl__arena_delete(dl__arena *a)
{
	if (!a)
		return;
	dl__arena_free(a);
	dl__free(a);
}
