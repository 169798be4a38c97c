/*
 * buffer.h: a growing text in memory, for output written whole later (a rendered page, a file of
 * an archive, a sheet converted from a workbook).
 *
 * Appending never fails loudly: an allocation failure is remembered (failed) and every later append
 * does nothing, so a writer appends without checking and looks once at the end. The text is always
 * NUL-terminated once anything is appended. Memory comes from dl__malloc (allocation failure
 * injection reaches it). Not for the server (server/ sees only include/ and its own headers).
 */
#ifndef DL_BUFFER_H
#define DL_BUFFER_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct dl__buffer {
	char *data; /* NULL until something is appended; the caller frees it (dl__buffer_free) */
	size_t len, cap;
	bool failed; /* an allocation failed: appends do nothing more */
} dl__buffer;

#define DL__BUFFER_INIT {NULL, 0, 0, false}

/** Append the n bytes at s. */
void dl__buffer_add(dl__buffer *b, const char *s, size_t n);

/** Append the string s. */
void dl__buffer_str(dl__buffer *b, const char *s);

/** Append what printf would write. A failure of vsnprintf counts as a failed append. */
void dl__buffer_printf(dl__buffer *b, const char *fmt, ...) DL__PRINTF(2, 3);

/** A dl_write_fn appending to the dl__buffer userdata: 0, or -1 once an append has failed. */
int dl__buffer_write(void *userdata, const char *data, size_t len);

/** Free the text; the buffer is empty and usable again. */
void dl__buffer_free(dl__buffer *b);

#endif
