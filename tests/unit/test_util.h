/*
 * test_util.h: what the unit test programs share: counting and printing checks, reading and writing
 * a whole file, and collecting what a dl_write_fn writes.
 *
 * Each tests/unit/test_*.c is a program of its own (the Makefile builds one per .c file), so this
 * is a header of static definitions, not a library: each program gets its own counters. The
 * functions are static inline so a program that uses only some of them gets no unused-function
 * warning. Include it after any feature-test macro (_POSIX_C_SOURCE, _GNU_SOURCE).
 *
 * Two styles of check, both one line per check, "ok - name" when it holds:
 * - check(ok, fmt, ...): "not ok - name" when it does not (name formatted printf-style);
 * - CHECK(cond, name): "FAIL - name (file:line)" when it does not.
 * Each adds one to passed or failed; the program prints its summary and sets its exit status.
 */
#ifndef DL_TESTS_TEST_UTIL_H
#define DL_TESTS_TEST_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed; /* checks that held, and that did not */

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static inline void check(bool ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(ok ? "ok - " : "not ok - ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	if (ok)
		passed++;
	else
		failed++;
}

#define CHECK(cond, name)                                                                          \
	do {                                                                                       \
		if (cond) {                                                                        \
			passed++;                                                                  \
			printf("ok - %s\n", (name));                                               \
		} else {                                                                           \
			failed++;                                                                  \
			printf("FAIL - %s (%s:%d)\n", (name), __FILE__, __LINE__);                 \
		}                                                                                  \
	} while (0)

/* The first MiB of the file at path, NUL-terminated, its length in *len; NULL when it cannot be
 * read. Caller frees with free(). */
static inline char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *data = malloc(1 << 20);
	*len = data ? fread(data, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (data)
		data[*len] = '\0';
	return data;
}

/* Writes len bytes of data to the file at path. Returns 0 or -1. */
static inline int write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	if (!fp)
		return -1;
	size_t w = fwrite(data, 1, len, fp);
	return fclose(fp) == 0 && w == len ? 0 : -1;
}

/* What a dl_write_fn wrote, in memory: start it as {NULL, 0}; free data with free(). */
typedef struct gathered {
	char *data; /* NUL-terminated */
	size_t len;
} gathered;

/* A dl_write_fn appending to the gathered userdata. Returns 0, or -1 when memory runs out. */
static inline int gather(void *userdata, const char *data, size_t len)
{
	gathered *b = userdata;
	char *grown = realloc(b->data, b->len + len + 1);
	if (!grown)
		return -1;
	memcpy(grown + b->len, data, len);
	b->data = grown;
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

/* A dl_write_fn that drops what it is given. */
static inline int discard(void *userdata, const char *data, size_t len)
{
	(void)userdata;
	(void)data;
	(void)len;
	return 0;
}

#endif
