/*
 * diag.h: reporting problems the way every loader and checker does.
 *
 * A dl__diag collects nothing: each problem is formatted into a dl_error on the stack, handed to the
 * caller's callback, and the first one is copied into the caller's dl_error. Reporting never
 * allocates, so it works when memory has run out.
 */
#ifndef DL_DIAG_H
#define DL_DIAG_H

#include "digilevel/common.h"

#include <stdarg.h>

#if defined(__GNUC__)
#define DL__PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define DL__PRINTF(fmt, args)
#endif

/*
 * Where each line of a text made from a workbook's cells came from (engine/model/sheet_workbook.c):
 * line i + 1 is cell (row, col) of worksheet sheet; sheet NULL: no cell. A problem reported at such a
 * line is reported at the cell instead: file "NAME:SHEET!D12", line and column 0; at a line with no
 * cell, at NAME alone. The positions of the text itself mean nothing to the person who filled the
 * workbook, so they are never shown.
 */
typedef struct dl__cell_line {
	const char *sheet;
	unsigned long row, col;
} dl__cell_line;

typedef struct dl__cell_map {
	const dl__cell_line *lines;
	size_t count;
} dl__cell_map;

typedef struct dl__diag {
	const dl_load_options *opts; /* may be NULL */
	dl_error *err;               /* may be NULL */
	const char *file;            /* name used in messages */
	unsigned long count;         /* problems reported so far */
	int first_code;              /* code of the first problem, 0 if none */
	unsigned long line_offset;   /* added to every known line: a sheet read out of a stream */
	const dl__cell_map *cells;   /* a sheet read from a workbook: lines become cells (NULL: none) */
} dl__diag;

/** A cell's address as spreadsheets write it ("D12": column D, row 12) into buf. Returns buf. */
char *dl__cell_name(unsigned long row, unsigned long col, char *buf, size_t size);

/** "NAME:SHEET!D12" into buf (always NUL-terminated). Returns buf. */
char *dl__cell_where(char *buf, size_t size, const char *name, const char *sheet, unsigned long row,
		     unsigned long col);

void dl__diag_init(dl__diag *d, const dl_load_options *opts, dl_error *err, const char *file);

/** Report a problem at line:column (0 = unknown) of d->file. Returns code. */
int dl__diag_report(dl__diag *d, int code, unsigned long line, unsigned long column,
		    const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

int dl__diag_vreport(dl__diag *d, int code, unsigned long line, unsigned long column,
		     const char *fmt, va_list ap);

/** Fill err (may be NULL) with one problem, as dl__diag_report does for the first. Returns code. */
int dl__error_set(dl_error *err, int code, const char *file, unsigned long line,
		  unsigned long column, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

/**
 * Fill err (may be NULL) with code and a message that belongs to no file or position (a report
 * that cannot be laid out, a font that cannot be read): file "", line and column 0. The message is
 * truncated to fit, at a character boundary. Returns code, so a caller can write
 * `return dl__error_message(err, DL_EINVALID, "...")`.
 */
int dl__error_message(dl_error *err, int code, const char *fmt, ...) DL__PRINTF(3, 4);

/** Shorthand for an allocation failure while doing `what` ("out of memory while ..."). Returns
 * DL_ENOMEM. */
int dl__error_nomem(dl_error *err, const char *what);

/**
 * The check every public function taking a dl_load_options makes first: opts NULL (the defaults) or
 * of version DL_LOAD_OPTIONS_VERSION. Returns 0, or DL_EINVALID with err filled.
 */
int dl__load_options_check(const dl_load_options *opts, dl_error *err);

/** Copy src into a fixed buffer, truncating at a UTF-8 character boundary. */
void dl__copy_truncated(char *dst, size_t size, const char *src);

#endif
