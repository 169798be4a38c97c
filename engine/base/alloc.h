/*
 * alloc.h: the one allocation wrapper every part of the library goes through.
 *
 * A single entry point lets tests fail the Nth allocation (dl__alloc_fail_after) and check that every
 * path ends in a clean DL_ENOMEM with nothing leaked. Not thread-safe to change while other threads
 * allocate: set it only in single-threaded tests.
 */
#ifndef DL_ALLOC_H
#define DL_ALLOC_H

#include <stddef.h>

void *dl__malloc(size_t size);
void *dl__calloc(size_t count, size_t size);
void *dl__realloc(void *ptr, size_t size);
void dl__free(void *ptr);
/** A copy of s (NULL stays NULL... and returns NULL on failure: check). */
char *dl__strdup(const char *s);

/**
 * Test hook: make the allocation after the next n succeed fail (n = 0 fails the next one); a
 * negative n turns failure injection off. Returns how many allocations happened since the last call.
 */
long dl__alloc_fail_after(long n);

#endif
