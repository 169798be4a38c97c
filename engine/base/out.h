/*
 * out.h: buffered output through a dl_write_fn, with the escaping and measuring every writer needs.
 *
 * Writers build text with dl__out_* calls and check the sticky error once at the end, which keeps
 * them readable: the first failed write stops all further output and is returned by dl__out_finish.
 */
#ifndef DL_OUT_H
#define DL_OUT_H

#include "digilevel/common.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct dl__out {
	dl_write_fn write;
	void *userdata;
	int rc;
	size_t len;
	char buf[8192];
} dl__out;

void dl__out_init(dl__out *o, dl_write_fn write, void *userdata);
void dl__out_bytes(dl__out *o, const char *data, size_t len);
void dl__out_str(dl__out *o, const char *s);
void dl__out_printf(dl__out *o, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/** A JSON string literal, quotes included. */
void dl__out_json_string(dl__out *o, const char *s);
/** The same for the first len bytes of s. */
void dl__out_json_string_len(dl__out *o, const char *s, size_t len);
/** A JSON object key: the string literal k and ": ". */
void dl__out_json_key(dl__out *o, const char *k);
/** A JSON member "k": "v", then ", " when comma is true (more members follow). */
void dl__out_json_field(dl__out *o, const char *k, const char *v, bool comma);
/**
 * One CSV cell (RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled),
 * then "," or, when last, "\n". A DL_CSV_TEXT cell that a spreadsheet would take for a formula
 * (it starts with '=', '+', '-', '@', a tab or a carriage return) gets a leading apostrophe
 * (OWASP's advice against CSV injection); a DL_CSV_NUMBER cell is written as it is. Every CSV writer
 * writes its cells through this (dl_csv_write_cell for the program's).
 */
void dl__out_csv_cell(dl__out *o, const char *s, dl_csv_cell kind, bool last);
/** Points as a JSON number / plain decimal ("57.5"). */
void dl__out_points(dl__out *o, dl_points p);
/** s padded with spaces to `width` terminal columns (CJK characters count two). */
void dl__out_padded(dl__out *o, const char *s, size_t width);
/** s right-aligned in `width` columns. */
void dl__out_right(dl__out *o, const char *s, size_t width);
/**
 * A label in a column `width` columns wide: indent spaces, then s cut to width - indent columns
 * (dl__truncate_display) and padded, so that what follows starts at column width + 2.
 */
void dl__out_label(dl__out *o, const char *s, size_t indent, size_t width);
/** Flush and return 0, DL_EIO, or DL_ENOMEM when a long dl__out_printf line found no memory. */
int dl__out_finish(dl__out *o);

/** Terminal columns s takes: 2 for East Asian wide characters, 1 for others. */
size_t dl__display_width(const char *s);
/** Copy s into buf, cut to at most `width` columns with "…" when it is longer. */
void dl__truncate_display(const char *s, size_t width, char *buf, size_t size);

#endif
