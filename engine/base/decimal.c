/*
 * decimal.c: parsing, formatting and comparing exact decimals (see decimal.h).
 */
#include "decimal.h"

#include "digilevel/common.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int dl__number_parse(const char *s, int frac, int64_t max, int64_t *out)
{
	assert(s && out && frac >= 0 && frac <= 4 && max >= 0);
	while (is_space(*s))
		s++;
	bool negative = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	if (*s < '0' || *s > '9')
		return DL__NUMBER_MALFORMED;
	int64_t scale = 1;
	for (int i = 0; i < frac; i++)
		scale *= 10;
	bool beyond = false;
	int64_t whole = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (!beyond && whole > (max / scale - (*s - '0')) / 10)
			beyond = true; /* keep reading: a malformed tail is the better message */
		if (!beyond)
			whole = whole * 10 + (*s - '0');
	}
	int64_t part = 0, place = scale / 10;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return DL__NUMBER_MALFORMED;
		for (int digits = 0; *s >= '0' && *s <= '9'; s++) {
			if (++digits > frac)
				return DL__NUMBER_MALFORMED;
			part += (*s - '0') * place;
			place /= 10;
		}
	}
	while (is_space(*s))
		s++;
	if (*s != '\0')
		return DL__NUMBER_MALFORMED;
	if (beyond || whole * scale > max - part)
		return DL__NUMBER_RANGE;
	int64_t value = whole * scale + part;
	*out = negative ? -value : value;
	return 0;
}

/* Put the len bytes of text into buf as snprintf would: cut to fit size, always NUL-terminated. */
static void copy_out(char *buf, size_t size, const char *text, size_t len)
{
	if (size == 0)
		return;
	if (len >= size)
		len = size - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
}

/*
 * Formatted by hand, not with snprintf: scoring a sheet formats a few dozen points (a tenth of the
 * cost), and its JSON a dozen amounts of money.
 */
char *dl__fixed_format(int64_t value, int places, bool trim, char *buf, size_t size)
{
	assert(places >= 0 && places <= 8);
	uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value, scale = 1;
	for (int i = 0; i < places; i++)
		scale *= 10;
	uint64_t whole = magnitude / scale, frac = magnitude % scale;
	char text[40], *end = text + sizeof(text), *p = end;
	int shown = places;
	for (; trim && shown > 0 && frac % 10 == 0; shown--) /* no trailing zeros: "57.5", "57" */
		frac /= 10;
	for (int i = 0; i < shown; i++, frac /= 10)
		*--p = (char)('0' + frac % 10);
	if (shown)
		*--p = '.';
	do {
		*--p = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole > 0);
	if (value < 0)
		*--p = '-';
	copy_out(buf, size, p, (size_t)(end - p));
	return buf;
}

char *dl__decimal_format(int64_t value, char *buf, size_t size)
{
	return dl__fixed_format(value, 4, true, buf, size);
}

char *dl__decimal_format_places(int64_t value, int places, char *buf, size_t size)
{
	dl__frac f = {value, DL_POINTS_SCALE};
	if (value < 0) {
		f.num = -f.num;
		char inner[48];
		dl__frac_format(f, places, inner, sizeof(inner));
		snprintf(buf, size, "-%s", inner);
		return buf;
	}
	return dl__frac_format(f, places, buf, size);
}

int dl__frac_cmp(dl__frac a, dl__frac b)
{
	dl__i128 left = a.num * b.den;
	dl__i128 right = b.num * a.den;
	return (left > right) - (left < right);
}

char *dl__frac_format(dl__frac f, int places, char *buf, size_t size)
{
	dl__i128 scale = 1;
	for (int i = 0; i < places; i++)
		scale *= 10;
	bool negative = f.num < 0;
	dl__i128 num = negative ? -f.num : f.num;
	dl__i128 scaled = (num * scale * 2 + f.den) / (2 * f.den); /* round half up */
	/* the whole part can pass 2^64 (a ratio of the largest figure to the smallest is 10^26) */
	dl__i128 whole = scaled / scale;
	char digits[48], *d = digits + sizeof(digits) - 1;
	*d = '\0';
	do {
		*--d = (char)('0' + (int)(whole % 10));
		whole /= 10;
	} while (whole > 0 && d > digits);
	unsigned long long frac = (unsigned long long)(scaled % scale);
	if (places > 32) { /* not asked for: the general way */
		snprintf(buf, size, "%s%s.%0*llu", negative ? "-" : "", d, places, frac);
		return buf;
	}
	/* "%s%s.%0*llu" by hand: the sign, the whole part, and frac with at least places digits */
	char text[112], *end = text + sizeof(text), *p = end;
	if (places > 0) {
		int n = 0;
		do {
			*--p = (char)('0' + frac % 10);
			frac /= 10;
			n++;
		} while (frac > 0);
		for (; n < places; n++)
			*--p = '0';
		*--p = '.';
	}
	size_t whole_len = strlen(d);
	p -= whole_len;
	memcpy(p, d, whole_len);
	if (negative)
		*--p = '-';
	copy_out(buf, size, p, (size_t)(end - p));
	return buf;
}

char *dl_points_format(dl_points value, char *buf, size_t size)
{
	return dl__decimal_format(value, buf, size);
}
