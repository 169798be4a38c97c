/*
 * alloc.c: the allocation wrapper, with a failure-injection counter for tests.
 *
 * Every allocation in the library comes through here so that an allocation-failure test can fail
 * each one in turn. The counter is atomic so that multi-threaded batch scoring stays well defined,
 * but failure injection itself is meant for single-threaded tests.
 */
#include "alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_long fail_countdown = -1; /* < 0: never fail */
static atomic_long allocations;

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
	return malloc(size ? size : 1);
}

void *dl__calloc(size_t count, size_t size)
{
	if (should_fail())
		return NULL;
	if (count == 0 || size == 0)
		count = size = 1;
	return calloc(count, size);
}

void *dl__realloc(void *ptr, size_t size)
{
	if (should_fail())
		return NULL;
	return realloc(ptr, size ? size : 1);
}

void dl__free(void *ptr)
{
	free(ptr);
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
