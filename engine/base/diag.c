/*
 * diag.c: formatting and delivering diagnostics (see diag.h), and the public dl_error helpers.
 */
#include "diag.h"
#include "i18n.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void dl__copy_truncated(char *dst, size_t size, const char *src)
{
	if (size == 0)
		return;
	size_t len = strlen(src);
	if (len >= size) {
		len = size - 1;
		/* do not cut a UTF-8 sequence in half */
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* vsnprintf may cut a UTF-8 character in half when the message is too long: trim the tail. */
static void trim_partial_utf8(char *s)
{
	size_t len = strlen(s);
	size_t i = len;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (len - (i - 1) < need)
		s[i - 1] = '\0';
}

static void fill(dl_error *e, int code, const char *file, unsigned long line, unsigned long column,
		 const char *fmt, va_list ap)
{
	e->code = code;
	dl__copy_truncated(e->file, sizeof(e->file), file ? file : "");
	e->line = line;
	e->column = column;
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	trim_partial_utf8(e->message);
}

void dl__diag_init(dl__diag *d, const dl_load_options *opts, dl_error *err, const char *file)
{
	d->opts = opts;
	d->err = err;
	d->file = file;
	d->count = 0;
	d->first_code = 0;
	d->line_offset = 0;
	d->cells = NULL;
}

char *dl__cell_name(unsigned long row, unsigned long col, char *buf, size_t size)
{
	char letters[8], rev[8] = {0}; /* rev: "" for column 0 */
	size_t n = 0;
	for (unsigned long c = col; c > 0 && n < sizeof(letters); c = (c - 1) / 26)
		letters[n++] = (char)('A' + (c - 1) % 26);
	for (size_t i = 0; i < n; i++)
		rev[i] = letters[n - 1 - i];
	snprintf(buf, size, "%.*s%lu", (int)n, rev, row);
	return buf;
}

char *dl__cell_where(char *buf, size_t size, const char *name, const char *sheet, unsigned long row,
		     unsigned long col)
{
	char cell[32], tail[160];
	snprintf(tail, sizeof(tail), ":%s!%s", sheet, dl__cell_name(row, col, cell, sizeof(cell)));
	/* keep the cell whole: cut the name, not the cell */
	size_t tl = strlen(tail);
	if (size <= tl) {
		dl__copy_truncated(buf, size, tail);
		return buf;
	}
	dl__copy_truncated(buf, size - tl, name);
	memcpy(buf + strlen(buf), tail, tl + 1);
	return buf;
}

int dl__diag_vreport(dl__diag *d, int code, unsigned long line, unsigned long column,
		     const char *fmt, va_list ap)
{
	dl_error e;
	char where[DL_ERROR_FILE_MAX];
	const char *file = d->file;
	if (d->cells) {
		if (line && line <= d->cells->count && d->cells->lines[line - 1].sheet) {
			const dl__cell_line *c = &d->cells->lines[line - 1];
			file = dl__cell_where(where, sizeof(where), d->file, c->sheet, c->row, c->col);
		}
		line = column = 0;
	}
	fill(&e, code, file, line ? line + d->line_offset : 0, column, fmt, ap);
	if (d->count == 0) {
		d->first_code = code;
		if (d->err)
			*d->err = e;
	}
	d->count++;
	if (d->opts && d->opts->diag)
		d->opts->diag(&e, d->opts->diag_data);
	return code;
}

int dl__diag_report(dl__diag *d, int code, unsigned long line, unsigned long column,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dl__diag_vreport(d, code, line, column, fmt, ap);
	va_end(ap);
	return code;
}

int dl__error_set(dl_error *err, int code, const char *file, unsigned long line,
		  unsigned long column, const char *fmt, ...)
{
	if (!err)
		return code;
	va_list ap;
	va_start(ap, fmt);
	fill(err, code, file, line, column, fmt, ap);
	va_end(ap);
	return code;
}

int dl__error_message(dl_error *err, int code, const char *fmt, ...)
{
	if (!err)
		return code;
	va_list ap;
	va_start(ap, fmt);
	fill(err, code, "", 0, 0, fmt, ap);
	va_end(ap);
	return code;
}

int dl__error_nomem(dl_error *err, const char *what)
{
	return dl__error_message(err, DL_ENOMEM, _("out of memory while %s"), what);
}

/* Text written into a fixed buffer: what fits is kept whole, len counts the full text. */
typedef struct sink {
	char *buf;
	size_t size, len;
	bool full;
} sink;

static void put(sink *k, const char *s, size_t n)
{
	if (!k->full && k->len + n < k->size)
		memcpy(k->buf + k->len, s, n);
	else
		k->full = true; /* nothing more: the text ends before the first piece that did not fit */
	if (!k->full && k->size)
		k->buf[k->len + n] = '\0';
	k->len += n;
}

/* The length of the UTF-8 character at s (1 to 4) and its code point, or 0 if it is not one. */
static size_t utf8_char(const unsigned char *s, unsigned long *cp)
{
	size_t n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2 : 0;
	if (n == 0 || s[0] >= 0xF5)
		return 0;
	unsigned long c = s[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

static bool shown_escaped(unsigned long cp)
{
	return (cp >= 0x80 && cp <= 0x9F) || cp == 0x61C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

static void put_escaped(sink *k, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	char esc[8];
	while (*s) {
		unsigned long cp = 0;
		size_t n = *s < 0x80 ? 1 : utf8_char(s, &cp);
		if (*s == '\n' || *s == '\r' || *s == '\t') {
			esc[0] = '\\';
			esc[1] = *s == '\n' ? 'n' : *s == '\r' ? 'r' : 't';
			put(k, esc, 2);
		} else if (*s < 0x20 || *s == 0x7F || n == 0) {
			snprintf(esc, sizeof(esc), "\\x%02X", *s);
			put(k, esc, 4);
			n = 1;
		} else if (n > 1 && shown_escaped(cp)) {
			snprintf(esc, sizeof(esc), "\\u%04lX", cp);
			put(k, esc, 6);
		} else {
			put(k, (const char *)s, n);
		}
		s += n;
	}
}

size_t dl_error_escape(const char *text, char *buf, size_t size)
{
	sink k = {buf, size, 0, false};
	if (size)
		buf[0] = '\0';
	put_escaped(&k, text ? text : "");
	return k.len;
}

size_t dl_error_format(const dl_error *err, char *buf, size_t size)
{
	sink k = {buf, size, 0, false};
	char at[64];
	if (size)
		buf[0] = '\0';
	if (err->file[0]) {
		put_escaped(&k, err->file);
		if (err->line && err->column)
			snprintf(at, sizeof(at), ":%lu:%lu: ", err->line, err->column);
		else if (err->line)
			snprintf(at, sizeof(at), ":%lu: ", err->line);
		else
			snprintf(at, sizeof(at), ": ");
		put(&k, at, strlen(at));
	}
	put_escaped(&k, err->message);
	return k.len;
}

const char *dl_version(void)
{
	return DL_VERSION;
}

int dl_version_number(void)
{
	return DL_VERSION_NUMBER;
}

int dl__load_options_check(const dl_load_options *opts, dl_error *err)
{
	if (opts && opts->version != DL_LOAD_OPTIONS_VERSION)
		return dl__error_set(err, DL_EINVALID, "", 0, 0,
				     _("load options version %u is not supported (expected %d)"),
				     opts->version, DL_LOAD_OPTIONS_VERSION);
	return 0;
}
