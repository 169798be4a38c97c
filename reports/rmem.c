/*
 * rmem.c: the single allocation wrapper of the report layer and its bump arena.
 *
 * Why one wrapper: the library must never crash or leak when memory runs out, and the only way to test
 * that is to make the Nth allocation fail. Every allocation in reports/ is made here, so a test can do
 * exactly that with dl__rmem_fail_after(), and the lead can later route these four functions through
 * the library-wide failure-injection allocator without touching any other file.
 *
 * Why an arena: a document and its layout are thousands of small strings and nodes that live and die
 * together; one arena per object makes the destructor one call and leaks impossible by construction.
 */
#include "rbase.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static long dl__fail_countdown = -1; /* <0: never fail; otherwise allocations left before failing */

void dl__rmem_fail_after(long allowed)
{
	dl__fail_countdown = allowed;
}

/* Returns 1 when the failure injection says this allocation must fail. */
static int dl__rmem_should_fail(void)
{
	if (dl__fail_countdown < 0)
		return 0;
	if (dl__fail_countdown == 0)
		return 1;
	dl__fail_countdown--;
	return 0;
}

void *dl__rmalloc(size_t size)
{
	if (dl__rmem_should_fail())
		return NULL;
	return malloc(size ? size : 1);
}

void *dl__rcalloc(size_t count, size_t size)
{
	if (dl__rmem_should_fail())
		return NULL;
	if (count == 0 || size == 0)
		return calloc(1, 1);
	return calloc(count, size);
}

void *dl__rrealloc(void *ptr, size_t size)
{
	if (dl__rmem_should_fail())
		return NULL;
	return realloc(ptr, size ? size : 1);
}

void dl__rfree(void *ptr)
{
	free(ptr);
}

/* ---- arena ---- */

#define DL__ARENA_CHUNK 16384u
#define DL__ARENA_ALIGN (alignof(max_align_t))

typedef struct dl__rchunk {
	struct dl__rchunk *next;
	size_t size; /* usable bytes in data */
	size_t used;
	alignas(max_align_t) unsigned char data[];
} dl__rchunk;

struct dl__rarena {
	dl__rchunk *head; /* the chunk allocations are carved from; older chunks follow */
};

dl__rarena *dl__rarena_new(void)
{
	return dl__rcalloc(1, sizeof(dl__rarena));
}

void dl__rarena_free(dl__rarena *arena)
{
	dl__rchunk *c, *next;

	if (arena == NULL)
		return;
	for (c = arena->head; c != NULL; c = next) {
		next = c->next;
		dl__rfree(c);
	}
	dl__rfree(arena);
}

void *dl__rarena_alloc(dl__rarena *arena, size_t size)
{
	dl__rchunk *c = arena->head;
	size_t need;
	void *p;

	if (size > SIZE_MAX / 2)
		return NULL;
	need = (size + DL__ARENA_ALIGN - 1) / DL__ARENA_ALIGN * DL__ARENA_ALIGN;
	if (need == 0)
		need = DL__ARENA_ALIGN;
	if (need > DL__ARENA_CHUNK / 4) {
		/* A big block gets a chunk of its own, linked behind the head so the head stays in use. */
		c = dl__rmalloc(sizeof(dl__rchunk) + need);
		if (c == NULL)
			return NULL;
		c->size = need;
		c->used = need;
		if (arena->head == NULL) {
			c->next = NULL;
			arena->head = c;
		} else {
			c->next = arena->head->next;
			arena->head->next = c;
		}
		memset(c->data, 0, size);
		return c->data;
	}
	if (c == NULL || c->size - c->used < need) {
		c = dl__rmalloc(sizeof(dl__rchunk) + DL__ARENA_CHUNK);
		if (c == NULL)
			return NULL;
		c->size = DL__ARENA_CHUNK;
		c->used = 0;
		c->next = arena->head;
		arena->head = c;
	}
	p = c->data + c->used;
	c->used += need;
	memset(p, 0, size);
	return p;
}

char *dl__rarena_strndup(dl__rarena *arena, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = dl__rarena_alloc(arena, len + 1);
	if (p == NULL)
		return NULL;
	if (len > 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
