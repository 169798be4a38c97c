/*
 * alloc.h: the one allocation wrapper every part of the library goes through.
 *
 * A single entry point lets tests fail the Nth allocation (dl__alloc_fail_after) and check that every
 * path ends in a clean DL_ENOMEM with nothing leaked. Not thread-safe to change while other threads
 * allocate: set it only in single-threaded tests.
 *
 * Who goes through it: the engine, the reports (their arenas too: arena.h), libharu (HPDF_NewEx in
 * reports/pdf_backend.c) and PCRE2 (a general context in engine/creditcode.c). libxml2 does not:
 * its allocator is process-wide (xmlMemSetup) and belongs to the program (docs/architecture.md).
 * The functions allocate with what dl_set_allocator gave (the C library's by default).
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
