/*
 * diag.c: formatting and delivering diagnostics (see diag.h), and the public dl_error helpers.
 */
#include "diag.h"

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
}

int dl__diag_vreport(dl__diag *d, int code, unsigned long line, unsigned long column,
		     const char *fmt, va_list ap)
{
	dl_error e;
	fill(&e, code, d->file, line ? line + d->line_offset : 0, column, fmt, ap);
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

size_t dl_error_format(const dl_error *err, char *buf, size_t size)
{
	int n;
	if (err->file[0] && err->line && err->column)
		n = snprintf(buf, size, "%s:%lu:%lu: %s", err->file, err->line, err->column,
			     err->message);
	else if (err->file[0] && err->line)
		n = snprintf(buf, size, "%s:%lu: %s", err->file, err->line, err->message);
	else if (err->file[0])
		n = snprintf(buf, size, "%s: %s", err->file, err->message);
	else
		n = snprintf(buf, size, "%s", err->message);
	return n < 0 ? 0 : (size_t)n;
}

const char *dl_version(void)
{
	return DL_VERSION;
}
