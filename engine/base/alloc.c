/*
 * alloc.c: the allocation wrapper, with a failure-injection counter for tests, and the allocator a
 * caller may supply (dl_set_allocator).
 *
 * Every allocation in the library comes through here: the engine's, the reports', libharu's
 * (HPDF_NewEx) and PCRE2's (a general context), so that an allocation-failure test can fail each one
 * in turn and a program can put the whole library on its own allocator. The counter is atomic so
 * that multi-threaded batch scoring stays well defined, but failure injection itself is meant for
 * single-threaded tests.
 */
#include "alloc.h"

#include "digilevel/common.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static atomic_long fail_countdown = -1; /* < 0: never fail */
static atomic_long allocations;

/*
 * The allocator: the C library's unless dl_set_allocator gave another. Plain pointers, not atomics:
 * they are set once, before any other call of the library (and so before any thread uses them).
 */
static void *(*use_malloc)(size_t) = malloc;
static void *(*use_realloc)(void *, size_t) = realloc;
static void (*use_free)(void *) = free;

int dl_set_allocator(void *(*malloc_fn)(size_t), void *(*realloc_fn)(void *, size_t),
		     void (*free_fn)(void *))
{
	if (!malloc_fn && !realloc_fn && !free_fn) {
		malloc_fn = malloc;
		realloc_fn = realloc;
		free_fn = free;
	} else if (!malloc_fn || !realloc_fn || !free_fn) {
		return DL_EINVALID;
	}
	use_malloc = malloc_fn;
	use_realloc = realloc_fn;
	use_free = free_fn;
	return 0;
}

static int should_fail(void)
{
	atomic_fetch_add(&allocations, 1);
	long left = atomic_load(&fail_countdown);
	if (left < 0)
		return 0;
	if (left == 0)
		return 1; /* stays failed: every later allocation fails too */
	atomic_fetch_sub(&fail_countdown, 1);
	return 0;
}

void *dl__malloc(size_t size)
{
	if (should_fail())
		return NULL;
	return use_malloc(size ? size : 1);
}

void *dl__calloc(size_t count, size_t size)
{
	if (should_fail())
		return NULL;
	if (count == 0 || size == 0)
		count = size = 1;
	if (use_malloc == malloc)
		return calloc(count, size); /* the C library's: may skip zeroing fresh pages */
	if (count > SIZE_MAX / size)
		return NULL;
	void *p = use_malloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

void *dl__realloc(void *ptr, size_t size)
{
	if (should_fail())
		return NULL;
	return use_realloc(ptr, size ? size : 1);
}

void dl__free(void *ptr)
{
	use_free(ptr);
}

char *dl__strdup(const char *s)
{
	size_t len = strlen(s);
	char *copy = dl__malloc(len + 1);
	if (copy)
		memcpy(copy, s, len + 1);
	return copy;
}

long dl__alloc_fail_after(long n)
{
	long count = atomic_exchange(&allocations, 0);
	atomic_store(&fail_countdown, n);
	return count;
}
