/*
 * rbase.h: the report layer's base: error codes and the error struct, the one allocation wrapper every
 * reports/ file goes through, and a bump arena that owns the strings and nodes of a document and of a
 * layout, so that one free releases everything.
 *
 * The error struct is a thin adapter point: the public API maps it to dl_error (same codes, same
 * message) in one place. Reporting an error never allocates.
 */
#ifndef DL_REPORTS_RBASE_H
#define DL_REPORTS_RBASE_H

#include <stddef.h>

/* Error codes; the same values as the public DL_EINVALID, DL_EIO and DL_ENOMEM. */
enum {
	DL__R_OK = 0,
	DL__R_EINVALID = -1, /* bad input: invalid UTF-8, a missing field, a limit exceeded, a bad font */
	DL__R_EIO = -2,      /* a file (the font) could not be read, or the PDF writer failed */
	DL__R_ENOMEM = -3    /* an allocation failed */
};

#define DL__RERROR_MESSAGE_MAX 512

/* A diagnostic filled by value. code is 0 or one of the codes above; message is always NUL-terminated. */
typedef struct dl__rerror {
	int code;
	char message[DL__RERROR_MESSAGE_MAX];
} dl__rerror;

#if defined(__GNUC__)
#define DL__PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define DL__PRINTF(fmt, args)
#endif

/*
 * Fill *err (NULL allowed: then nothing is written) with code and a printf-style message, truncated to
 * fit. Returns code, so a caller can write `return dl__rerror_set(err, DL__R_EINVALID, "...")`.
 */
int dl__rerror_set(dl__rerror *err, int code, const char *fmt, ...) DL__PRINTF(3, 4);

/* Shorthand for an allocation failure while doing `what`. Returns DL__R_ENOMEM. */
int dl__rerror_nomem(dl__rerror *err, const char *what);

/*
 * The allocation wrapper: every allocation in reports/ goes through these four functions and nothing
 * else, so one place decides how memory is obtained (and a test can make the Nth allocation fail).
 * They behave like malloc/calloc/realloc/free; a NULL return means out of memory and callers turn it
 * into DL__R_ENOMEM. dl__rmalloc(0) returns a unique non-NULL pointer.
 */
void *dl__rmalloc(size_t size);
void *dl__rcalloc(size_t count, size_t size);
void *dl__rrealloc(void *ptr, size_t size);
void dl__rfree(void *ptr);

/*
 * Test hook: after `allowed` more successful allocations, every later one fails. A negative value turns
 * failure injection off (the default). Not thread-safe; tests only.
 */
void dl__rmem_fail_after(long allowed);

/* A bump arena: many small allocations, released together by dl__rarena_free(). */
typedef struct dl__rarena dl__rarena;

/* Returns a new empty arena, or NULL when out of memory. Free with dl__rarena_free(). */
dl__rarena *dl__rarena_new(void);

/* Frees the arena and everything allocated from it. Accepts NULL. */
void dl__rarena_free(dl__rarena *arena);

/*
 * Returns size zeroed bytes aligned for any object type, valid until dl__rarena_free(); NULL when out of
 * memory (the arena stays usable).
 */
void *dl__rarena_alloc(dl__rarena *arena, size_t size);

/* Copies len bytes of s and a terminating NUL into the arena. NULL when out of memory. */
char *dl__rarena_strndup(dl__rarena *arena, const char *s, size_t len);

#endif
