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
#include <string.h>

typedef struct dl__out {
	dl_write_fn write;
	void *userdata;
	int rc;
	size_t len;
	char buf[8192];
} dl__out;

void dl__out_init(dl__out *o, dl_write_fn write, void *userdata);
/** dl__out_bytes when the bytes do not fit in the buffer, or after an error. */
void dl__out_bytes_slow(dl__out *o, const char *data, size_t len);

/* Inline: writers call it for every few bytes, and mostly they just fit. */
static inline void dl__out_bytes(dl__out *o, const char *data, size_t len)
{
	if (o->rc == 0 && len <= sizeof(o->buf) - o->len) {
		memcpy(o->buf + o->len, data, len);
		o->len += len;
		return;
	}
	dl__out_bytes_slow(o, data, len);
}

/* Inline, with the ones below, so that the length of a literal is known when compiling. */
static inline void dl__out_str(dl__out *o, const char *s)
{
	dl__out_bytes(o, s, strlen(s));
}

void dl__out_printf(dl__out *o, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/** A JSON string literal for the first len bytes of s, quotes included. */
void dl__out_json_string_len(dl__out *o, const char *s, size_t len);

/** A JSON string literal, quotes included. */
static inline void dl__out_json_string(dl__out *o, const char *s)
{
	dl__out_json_string_len(o, s, strlen(s));
}

/** A JSON object key: the string literal k and ": ". */
static inline void dl__out_json_key(dl__out *o, const char *k)
{
	dl__out_json_string(o, k);
	dl__out_bytes(o, ": ", 2);
}

/** A JSON member "k": "v", then ", " when comma is true (more members follow). */
static inline void dl__out_json_field(dl__out *o, const char *k, const char *v, bool comma)
{
	dl__out_json_key(o, k);
	dl__out_json_string(o, v);
	if (comma)
		dl__out_bytes(o, ", ", 2);
}
/** An integer in decimal, as printf's "%lld" writes it (without its cost: JSON writers write many). */
void dl__out_int(dl__out *o, long long v);

/** A JSON member "k": v for an integer v, then ", " when comma is true (more members follow). */
static inline void dl__out_json_int(dl__out *o, const char *k, long long v, bool comma)
{
	dl__out_json_key(o, k);
	dl__out_int(o, v);
	if (comma)
		dl__out_bytes(o, ", ", 2);
}

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
