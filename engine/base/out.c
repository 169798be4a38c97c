/*
 * out.c: buffered output, JSON string and CSV cell escaping and terminal width (see out.h).
 */
#include "out.h"

#include "alloc.h"
#include "decimal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void dl__out_init(dl__out *o, dl_write_fn write, void *userdata)
{
	o->write = write;
	o->userdata = userdata;
	o->rc = 0;
	o->len = 0;
}

static void flush(dl__out *o)
{
	if (o->rc == 0 && o->len > 0 && o->write(o->userdata, o->buf, o->len) < 0)
		o->rc = DL_EIO;
	o->len = 0;
}

void dl__out_bytes_slow(dl__out *o, const char *data, size_t len)
{
	if (o->rc)
		return;
	if (len > sizeof(o->buf) - o->len) {
		flush(o);
		if (len > sizeof(o->buf)) {
			if (o->rc == 0 && o->write(o->userdata, data, len) < 0)
				o->rc = DL_EIO;
			return;
		}
	}
	memcpy(o->buf + o->len, data, len);
	o->len += len;
}

void dl__out_printf(dl__out *o, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(line)) {
		dl__out_bytes(o, line, (size_t)n);
		return;
	}
	/* a long text (up to 4000 characters in a questionnaire): never cut it, in a character or
	 * otherwise */
	char *big = dl__malloc((size_t)n + 1);
	if (!big) {
		if (o->rc == 0)
			o->rc = DL_ENOMEM;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	dl__out_bytes(o, big, (size_t)n);
	dl__free(big);
}

void dl__out_csv_cell(dl__out *o, const char *s, dl_csv_cell kind, bool last)
{
	if (!s)
		s = "";
	/* A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK, +cmd|...,
	 * -2+3, @SUM, and a tab or CR before them); an apostrophe makes it text. Numbers the program
	 * wrote itself ("-3.5") must stay numbers, so only text from the input is guarded. */
	bool guard = kind == DL_CSV_TEXT && s[0] && strchr("=+-@\t\r", s[0]) != NULL;
	bool quote = strpbrk(s, ",\"\n\r") != NULL;
	if (quote)
		dl__out_bytes(o, "\"", 1);
	if (guard)
		dl__out_bytes(o, "'", 1);
	if (quote) {
		const char *run = s;
		for (const char *p = s; *p; p++)
			if (*p == '"') {
				dl__out_bytes(o, run, (size_t)(p - run) + 1);
				run = p; /* the quote again: doubled */
			}
		dl__out_str(o, run);
		dl__out_bytes(o, "\"", 1);
	} else {
		dl__out_str(o, s);
	}
	dl__out_bytes(o, last ? "\n" : ",", 1);
}

int dl_csv_write_cell(const char *s, dl_csv_cell kind, int last, dl_write_fn write, void *userdata)
{
	dl__out o;
	dl__out_init(&o, write, userdata);
	dl__out_csv_cell(&o, s, kind, last != 0);
	return dl__out_finish(&o);
}

/* Whether byte c must be escaped in a JSON string: a control character, a quote or a backslash.
 * Every byte of a UTF-8 character (0x80 and above) is written as it is. */
static bool json_special(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/*
 * The first byte in [s, end) that must be escaped, or end. Eight bytes are tested at once while
 * none must (the usual case: long runs of Chinese text), by the bit tests for "a byte below 0x20"
 * and "a byte equal to c" that tell exactly whether one of the eight is (not which one: then they
 * are looked at one by one).
 */
static const unsigned char *json_plain_end(const unsigned char *s, const unsigned char *end)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	while (end - s >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
		uint64_t special = ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) |
				   ((backslash - ones) & ~backslash);
		if (special & highs)
			break;
		s += 8;
	}
	while (s < end && !json_special(*s))
		s++;
	return s;
}

void dl__out_json_string_len(dl__out *o, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	dl__out_bytes(o, "\"", 1);
	for (;;) {
		const unsigned char *run = p;
		p = json_plain_end(p, end);
		dl__out_bytes(o, (const char *)run, (size_t)(p - run));
		if (p == end)
			break;
		char esc[8];
		switch (*p) {
		case '"': dl__out_bytes(o, "\\\"", 2); break;
		case '\\': dl__out_bytes(o, "\\\\", 2); break;
		case '\n': dl__out_bytes(o, "\\n", 2); break;
		case '\t': dl__out_bytes(o, "\\t", 2); break;
		case '\r': dl__out_bytes(o, "\\r", 2); break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			dl__out_bytes(o, esc, 6);
		}
		p++;
	}
	dl__out_bytes(o, "\"", 1);
}

void dl__out_int(dl__out *o, long long v)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	dl__out_bytes(o, p, (size_t)(buf + sizeof(buf) - p));
}

void dl__out_points(dl__out *o, dl_points p)
{
	char buf[32];
	dl__out_str(o, dl__decimal_format(p, buf, sizeof(buf)));
}

/* Decode one UTF-8 character; returns its length (1 for a malformed byte). */
static size_t decode(const char *s, unsigned long *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	size_t n = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 1;
	if (n == 1) {
		*cp = 0xFFFD;
		return 1;
	}
	unsigned long v = u[0] & (0x3F >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return i;
		}
		v = (v << 6) | (u[i] & 0x3F);
	}
	*cp = v;
	return n;
}

static size_t char_width(unsigned long cp)
{
	/* East Asian Wide and Fullwidth ranges that occur in Chinese text */
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
	    (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

size_t dl__display_width(const char *s)
{
	size_t width = 0;
	while (*s) {
		unsigned long cp;
		s += decode(s, &cp);
		width += char_width(cp);
	}
	return width;
}

void dl__truncate_display(const char *s, size_t width, char *buf, size_t size)
{
	size_t used = 0, len = 0;
	const char *p = s;
	if (dl__display_width(s) <= width) {
		snprintf(buf, size, "%s", s);
		return;
	}
	while (*p) {
		unsigned long cp;
		size_t n = decode(p, &cp);
		size_t w = char_width(cp);
		if (used + w + 1 > width || len + n + 4 > size)
			break;
		used += w;
		len += n;
		p += n;
	}
	snprintf(buf, size, "%.*s…", (int)len, s);
}

void dl__out_padded(dl__out *o, const char *s, size_t width)
{
	dl__out_str(o, s);
	for (size_t w = dl__display_width(s); w < width; w++)
		dl__out_bytes(o, " ", 1);
}

void dl__out_right(dl__out *o, const char *s, size_t width)
{
	for (size_t w = dl__display_width(s); w < width; w++)
		dl__out_bytes(o, " ", 1);
	dl__out_str(o, s);
}

void dl__out_label(dl__out *o, const char *s, size_t indent, size_t width)
{
	char cut[400];
	dl__truncate_display(s, width - indent, cut, sizeof(cut));
	for (size_t i = 0; i < indent; i++)
		dl__out_str(o, " ");
	dl__out_padded(o, cut, width - indent + 2);
}

int dl__out_finish(dl__out *o)
{
	flush(o);
	return o->rc;
}
