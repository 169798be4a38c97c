/*
 * arena.h: a bump allocator that owns every string and array of a loaded questionnaire or sheet.
 *
 * One arena per loaded object means one free, no per-field ownership rules, and no leak on a half-
 * built object: the loader frees the arena and everything in it goes. The reports use the same
 * arena for a document and its layout (thousands of small strings and nodes that live and die
 * together), made on the heap with dl__arena_new. Chunks come from dl__malloc, so allocation
 * failure injection reaches them.
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
/** Frees every chunk; the arena is empty and usable again. */
void dl__arena_free(dl__arena *a);

/** A new empty arena on the heap, or NULL when out of memory. Free with dl__arena_delete(). */
dl__arena *dl__arena_new(void);
/** Frees everything allocated from a and a itself. Accepts NULL. */
void dl__arena_delete(dl__arena *a);

#endif
