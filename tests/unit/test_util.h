/*
 * test_util.h: what the unit test programs share: counting and printing checks, reading and writing
 * a whole file, and collecting what a dl_write_fn writes.
 *
 * Each tests/unit/test_*.c is a program of its own (the Makefile builds one per .c file), so this
 * is a header of static definitions, not a library: each program gets its own counters. The
 * functions are static inline so a program that uses only some of them gets no unused-function
 * warning. Include it after any feature-test macro (_POSIX_C_SOURCE, _GNU_SOURCE).
 *
 * One style of check for every program:
 *
 *   check(ok, fmt, ...)  one check: prints "ok - NAME" when ok holds, "not ok - NAME (file:line)"
 *                        when it does not (NAME formatted printf-style), and counts it. Returns ok,
 *                        so a step that later steps need can stop the test:
 *                            if (!check(q != NULL, "load %s", path)) return;
 *   skip(fmt, ...)       a check that cannot run here (a font or a tool not installed):
 *                        "skip - NAME", counted apart; it neither passes nor fails.
 *   printf("# ...\n")   anything else worth reading in the log (the detail of a failure).
 *   return test_done();  the end of main: prints the last line "CHECKS passed=N failed=M skipped=K"
 *                        and returns the exit status, 1 when a check failed.
 *
 * tests/run.sh adds every program's N and M to the suite's "N passed, N failed" line, and counts one
 * more failure for a program that exits non-zero without a failed check (a crash, a sanitizer or
 * valgrind report) or ends without the CHECKS line. Call check() and skip() from the main thread
 * only: threads of a test count their problems and the main thread checks the count.
 *
 * To adopt it in a new program: include this header, write each check as check(cond, "name", ...)
 * (the name says what holds, e.g. "a bad date is refused with its position"), never a check that
 * cannot fail, and end main with `return test_done();`. A program written for the earlier helper
 * converts in two steps: CHECK(cond, name) becomes check(cond, "%s", name) (or the literal name),
 * and `return failed ? 1 : 0;` becomes `return test_done();` (without it the program prints no
 * CHECKS line, which tests/run.sh counts as a failure).
 */
#ifndef DL_TESTS_TEST_UTIL_H
#define DL_TESTS_TEST_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static int passed, failed, skipped; /* checks that held, that did not, that could not run */

#define check(ok, ...) test_check_at(__FILE__, __LINE__, (ok) ? true : false, __VA_ARGS__)

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static inline bool test_check_at(const char *file, int line, bool ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(ok ? "ok - " : "not ok - ", stdout);
	vprintf(fmt, ap);
	va_end(ap);
	if (ok) {
		fputc('\n', stdout);
		passed++;
	} else {
		printf(" (%s:%d)\n", file, line);
		failed++;
	}
	fflush(stdout); /* a crash after this check still leaves it in the log */
	return ok;
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static inline void skip(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("skip - ", stdout);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	skipped++;
}

/* Prints the counts as the program's last line and returns its exit status: 0, or 1 when a check
 * failed. */
static inline int test_done(void)
{
	printf("CHECKS passed=%d failed=%d skipped=%d\n", passed, failed, skipped);
	fflush(stdout);
	return failed ? 1 : 0;
}

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

/*
 * For programs that run the CLI: sh() runs a shell command line (printf-style) and returns its exit
 * status, or -1 (killed by a signal, or no shell). test_cli_start() names the CLI built in $BUILD
 * (default build, as tests/run.sh sets it) in cli and makes a fresh directory /tmp/PREFIX-XXXXXX in
 * tmp; it returns false (after a failed check) when it cannot.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static inline int sh(const char *fmt, ...)
{
	char line[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	int status = system(line);
	return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static inline bool test_cli_start(char *cli, size_t cli_size, char *tmp, size_t tmp_size,
				  const char *prefix)
{
	const char *build = getenv("BUILD");
	snprintf(cli, cli_size, "%s/digilevel", build && build[0] ? build : "build");
	snprintf(tmp, tmp_size, "/tmp/%s-XXXXXX", prefix);
	return check(mkdtemp(tmp) != NULL, "make a temporary directory");
}

#endif
