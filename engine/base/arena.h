/*
 * arena.h: a bump allocator that owns every string and array of a loaded questionnaire or sheet.
 *
 * One arena per loaded object means one free, no per-field ownership rules, and no leak on a half-
 * built object: the loader frees the arena and everything in it goes.
 */
#ifndef DL_ARENA_H
#define DL_ARENA_H

#include <stddef.h>

typedef struct dl__arena_chunk dl__arena_chunk;

typedef struct dl__arena {
	dl__arena_chunk *head;
	size_t used;     /* bytes used in head */
	size_t capacity; /* bytes available in head */
} dl__arena;

#define DL__ARENA_INIT {NULL, 0, 0}

/** Zeroed memory for size bytes, aligned for any type; NULL when out of memory. */
void *dl__arena_alloc(dl__arena *a, size_t size);
/** Zeroed array of count elements of size bytes; NULL on overflow or out of memory. */
void *dl__arena_array(dl__arena *a, size_t count, size_t size);
/** Copy of the first len bytes of s, NUL-terminated. */
char *dl__arena_strndup(dl__arena *a, const char *s, size_t len);
char *dl__arena_strdup(dl__arena *a, const char *s);
void dl__arena_free(dl__arena *a);

#endif
