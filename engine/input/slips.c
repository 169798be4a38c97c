/*
 * slips.c: recognising the usual slips in a number, a date, a level or an option, and the exact value
 * to write instead (see slips.h).
 *
 * Each recogniser rewrites the text the one way the slip allows and offers the result only when it
 * reads as a value of the field (the one number parser, dl__number_parse, decides): "3,000" becomes
 * 3000 because every comma is followed by three digits, "0,5" becomes 0.5 because it is not, and a
 * text with both or with a unit nobody can convert ("1.2万人") gets no suggestion at all.
 */
#include "slips.h"

#include "decimal.h"
#include "i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * text with full-width forms (U+FF01..U+FF5E: digits, letters, '％', '，', '．', '－') as ASCII and
 * the ideographic space as a space, into out; *changed says whether any was. False: out too small.
 */
static bool half_width(const char *text, char *out, size_t size, bool *changed)
{
	size_t n = 0;
	*changed = false;
	for (const unsigned char *u = (const unsigned char *)text; *u;) {
		if (n + 2 > size)
			return false;
		if (u[0] == 0xEF && (u[1] == 0xBC || u[1] == 0xBD) && u[2] >= 0x80 && u[2] <= 0xBF) {
			unsigned cp = 0xFF00u + ((unsigned)(u[1] - 0xBC) << 6) + (u[2] - 0x80u);
			if (cp >= 0xFF01 && cp <= 0xFF5E) {
				out[n++] = (char)(cp - 0xFF01 + 0x21);
				u += 3;
				*changed = true;
				continue;
			}
		}
		if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) { /* U+3000 */
			out[n++] = ' ';
			u += 3;
			*changed = true;
			continue;
		}
		out[n++] = (char)*u++;
	}
	out[n] = '\0';
	return true;
}

/* Whether text holds a full-width digit or letter (U+FF10..U+FF19, U+FF21..U+FF3A, U+FF41..U+FF5A). */
static bool full_width_alnum(const char *text)
{
	for (const unsigned char *u = (const unsigned char *)text; *u; u++) {
		if (u[0] != 0xEF || !u[1] || !u[2])
			continue;
		unsigned cp = u[1] == 0xBC || u[1] == 0xBD ? 0xFF00u + ((unsigned)(u[1] - 0xBC) << 6) + (u[2] - 0x80u) : 0;
		if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A))
			return true;
	}
	return false;
}

/* s with the white space at both ends cut, in place. */
static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "3,000,000": every comma between digits and followed by exactly three. */
static bool thousands_commas(const char *s)
{
	for (const char *c = strchr(s, ','); c; c = strchr(c + 1, ',')) {
		if (c == s || !is_digit(c[-1]))
			return false;
		size_t k = 0;
		while (is_digit(c[1 + k]))
			k++;
		if (k != 3)
			return false;
	}
	const char *dot = strchr(s, '.');
	return !dot || !strchr(dot, ','); /* no comma after the point */
}

dl__slip dl__slip_number(const char *text, dl__number_kind kind, char *fix, size_t size)
{
	char half[128], num[128];
	bool full = false, percent = false, wan = false, unit = false, thousands = false, comma = false;
	fix[0] = '\0';
	if (!text || !half_width(text, half, sizeof(half), &full))
		return DL__SLIP_NONE;
	full = full && full_width_alnum(text); /* "3，000" is a thousands separator, not a letter */
	char *t = trim(half);
	size_t n = strlen(t);
	if (n > 1 && t[n - 1] == '%') {
		if (kind != DL__NUMBER_DECIMAL4)
			return DL__SLIP_NONE; /* a percentage is no count and no amount */
		t[--n] = '\0';
		percent = true;
	}
	/* the number, then perhaps a unit: 45人, 86 台, 12.6万元 */
	size_t k = 0;
	while (t[k] && (is_digit(t[k]) || strchr(",.+- ", t[k])))
		k++;
	const char *rest = t + k;
	if (*rest) {
		if (k == 0 || strpbrk(rest, "0123456789"))
			return DL__SLIP_NONE;
		bool ten_thousand = strncmp(rest, "万", strlen("万")) == 0;
		if (ten_thousand && kind == DL__NUMBER_YUAN &&
		    (strcmp(rest, "万") == 0 || strcmp(rest, "万元") == 0))
			wan = true;
		else if (ten_thousand && !(kind == DL__NUMBER_WAN && strcmp(rest, "万元") == 0))
			return DL__SLIP_NONE; /* 1.2万人: no certain number */
		else
			unit = true;
	}
	snprintf(num, sizeof(num), "%.*s", (int)k, t);
	char *v = trim(num);
	if (strchr(v, ',')) {
		thousands = thousands_commas(v);
		comma = !thousands && strchr(v, ',') == strrchr(v, ',') && !strchr(v, '.');
		if (!thousands && !comma)
			return DL__SLIP_NONE;
		size_t m = 0;
		for (const char *p = v; *p; p++)
			if (*p != ',')
				v[m++] = *p;
			else if (comma)
				v[m++] = '.';
		v[m] = '\0';
	}
	if (!(full || percent || wan || unit || thousands || comma))
		return DL__SLIP_NONE;
	int64_t value = 0;
	int frac = kind == DL__NUMBER_WHOLE ? 0 : kind == DL__NUMBER_YUAN && !wan ? 2 : 4;
	int64_t max = kind == DL__NUMBER_YUAN ? INT64_C(99999999999999) : DL__DECIMAL_MAX;
	if (dl__number_parse(v, frac, max, &value) != 0)
		return DL__SLIP_NONE;
	if (value < 0 && kind != DL__NUMBER_DECIMAL4 && kind != DL__NUMBER_WAN)
		return DL__SLIP_NONE;
	if (wan) /* 万元 in units of 10^-4: yuan */
		snprintf(fix, size, "%lld", (long long)value);
	else
		snprintf(fix, size, "%s", v[0] == '+' ? v + 1 : v);
	return full ? DL__SLIP_FULL_WIDTH
	       : percent ? DL__SLIP_PERCENT
	       : wan ? DL__SLIP_WAN
	       : unit ? DL__SLIP_UNIT
	       : thousands ? DL__SLIP_THOUSANDS
			   : DL__SLIP_DECIMAL_COMMA;
}

/* Read 1 to max digits at *p into *out; false when there is none. */
static bool digits(const char **p, size_t min, size_t max, int *out)
{
	size_t k = 0;
	int v = 0;
	while (k < max && is_digit((*p)[k]))
		v = v * 10 + ((*p)[k++] - '0');
	if (k < min)
		return false;
	*p += k;
	*out = v;
	return true;
}

/* Skip the separator at *p: a Chinese one (年, 月) or the one ASCII character sep (set on first use). */
static bool separator(const char **p, const char *chinese, char *sep)
{
	if (strncmp(*p, chinese, strlen(chinese)) == 0) {
		*p += strlen(chinese);
		return true;
	}
	if (**p && strchr("/.-", **p) && (!*sep || *sep == **p)) {
		*sep = *(*p)++;
		return true;
	}
	return false;
}

dl__slip dl__slip_date(const char *text, char *fix, size_t size)
{
	char half[96];
	bool full = false;
	int y = 0, m = 0, d = 0;
	char sep = '\0';
	fix[0] = '\0';
	if (!text || !half_width(text, half, sizeof(half), &full))
		return DL__SLIP_NONE;
	const char *p = trim(half);
	const char *start = p;
	if (strlen(p) == 8 && strspn(p, "0123456789") == 8) { /* 20250301 */
		digits(&p, 4, 4, &y);
		digits(&p, 2, 2, &m);
		digits(&p, 2, 2, &d);
	} else {
		if (!digits(&p, 4, 4, &y) || !separator(&p, "年", &sep) || !digits(&p, 1, 2, &m) ||
		    !separator(&p, "月", &sep) || !digits(&p, 1, 2, &d))
			return DL__SLIP_NONE;
		while (*p == ' ')
			p++;
		if (strncmp(p, "日", strlen("日")) == 0)
			p += strlen("日");
		else if (strncmp(p, "号", strlen("号")) == 0)
			p += strlen("号");
	}
	if (*p || y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
		return DL__SLIP_NONE;
	char out[48];
	snprintf(out, sizeof(out), "%04d-%02d-%02d", y, m, d);
	if (strcmp(out, start) == 0 && !full)
		return DL__SLIP_NONE; /* already so written: wrong for another reason */
	snprintf(fix, size, "%s", out);
	return DL__SLIP_DATE;
}

dl__slip dl__slip_level(const char *text, char *fix, size_t size)
{
	static const char *const numerals[] = {"零", "一", "二", "三", "四", "五",
					       "六", "七", "八", "九", "〇", "两"};
	static const int values[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 2};
	char half[64];
	bool full = false;
	fix[0] = '\0';
	if (!text || !half_width(text, half, sizeof(half), &full))
		return DL__SLIP_NONE;
	char *t = trim(half);
	size_t n = strlen(t);
	if (n > strlen("级") && strcmp(t + n - strlen("级"), "级") == 0)
		t[n -= strlen("级")] = '\0';
	if ((t[0] == 'L' || t[0] == 'l') && is_digit(t[1]))
		t++;
	t = trim(t);
	int level = -1;
	if (is_digit(t[0]) && !t[1])
		level = t[0] - '0';
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]) && level < 0; i++)
		if (strcmp(t, numerals[i]) == 0)
			level = values[i];
	if (level < 0)
		return DL__SLIP_NONE;
	char out[4] = {(char)('0' + level), '\0'};
	if (strcmp(out, text) == 0)
		return DL__SLIP_NONE;
	snprintf(fix, size, "%s", out);
	return DL__SLIP_LEVEL;
}

dl__slip dl__slip_id(const char *text, char *fix, size_t size)
{
	char half[96];
	bool full = false;
	fix[0] = '\0';
	if (!text || !half_width(text, half, sizeof(half), &full) || !full)
		return DL__SLIP_NONE;
	char *t = trim(half);
	if (!t[0])
		return DL__SLIP_NONE;
	snprintf(fix, size, "%s", t);
	return DL__SLIP_FULL_WIDTH;
}

void dl__slip_advise(char *msg, size_t size, dl__slip slip, const char *fix)
{
	const char *fmt = NULL;
	switch (slip) {
	case DL__SLIP_NONE: return;
	case DL__SLIP_FULL_WIDTH: fmt = _("; use half-width characters: write %s"); break;
	case DL__SLIP_PERCENT: fmt = _("; leave out the percent sign: write %s"); break;
	case DL__SLIP_THOUSANDS: fmt = _("; leave out the thousands separators: write %s"); break;
	case DL__SLIP_DECIMAL_COMMA: fmt = _("; the decimal point is '.': write %s"); break;
	case DL__SLIP_UNIT: fmt = _("; the number alone, without a unit: write %s"); break;
	case DL__SLIP_WAN: fmt = _("; the amount in yuan: write %s"); break;
	case DL__SLIP_DATE: fmt = _("; dates are written year-month-day: write %s"); break;
	case DL__SLIP_LEVEL: fmt = _("; the level is a digit alone: write %s"); break;
	}
	size_t n = strlen(msg);
	if (fmt && n < size)
		snprintf(msg + n, size - n, fmt, fix);
}
