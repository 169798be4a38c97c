/*
 * money.c: exact money arithmetic for subsidies (see money.h).
 *
 * A subsidy is rate × eligible investment, where the investment is a sum of exact fen and the rate a
 * decimal percentage. Doing that in integers makes the result independent of the platform and lets a
 * golden test pin every fen; the one rounding is explicit, in the policy's unit and mode.
 */
#include "money.h"

#include <stdio.h>
#include <string.h>

/* Parse digits [.digits] with at most max_frac fractional digits into units of 10^-max_frac. */
static int parse_fixed(const char *s, int max_frac, int64_t limit, int64_t *out)
{
	bool negative = false;
	if (*s == '-') {
		negative = true;
		s++;
	}
	if (*s < '0' || *s > '9')
		return -1;
	int64_t scale = 1;
	for (int i = 0; i < max_frac; i++)
		scale *= 10;
	int64_t whole = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		whole = whole * 10 + (*s - '0');
		if (whole > limit / scale)
			return -1;
	}
	int64_t frac = 0, place = scale / 10;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return -1;
		for (int digits = 0; *s >= '0' && *s <= '9'; s++) {
			if (++digits > max_frac)
				return -1;
			frac += (*s - '0') * place;
			place /= 10;
		}
	}
	if (*s != '\0')
		return -1;
	int64_t value = whole * scale + frac;
	if (value > limit)
		return -1;
	*out = negative ? -value : value;
	return 0;
}

int dl__money_parse(const char *s, int64_t *fen)
{
	return parse_fixed(s, 2, DL__MONEY_MAX, fen);
}

int dl__rate_parse(const char *s, int64_t *rate)
{
	return parse_fixed(s, 4, INT64_C(9999999999), rate);
}

dl__i128 dl__money_product(int64_t fen, int64_t rate)
{
	return (dl__i128)fen * rate;
}

int64_t dl__money_round(dl__i128 product, int64_t unit_fen, dl_rounding mode)
{
	dl__i128 unit = (dl__i128)unit_fen * DL_RATE_SCALE;
	dl__i128 whole = product / unit, rest = product % unit;
	switch (mode) {
	case DL_ROUND_HALF_UP:
		if (2 * rest >= unit)
			whole++;
		break;
	case DL_ROUND_DOWN:
		break;
	case DL_ROUND_UP:
		if (rest > 0)
			whole++;
		break;
	}
	return (int64_t)(whole * unit_fen);
}

/* Insert a ',' every three digits of the integer part of digits (which has no sign). */
static void group(const char *digits, char *buf, size_t size)
{
	const char *dot = strchr(digits, '.');
	size_t int_len = dot ? (size_t)(dot - digits) : strlen(digits);
	size_t n = 0;
	for (size_t i = 0; i < int_len && n + 2 < size; i++) {
		if (i > 0 && (int_len - i) % 3 == 0)
			buf[n++] = ',';
		buf[n++] = digits[i];
	}
	buf[n] = '\0';
	if (dot && n < size)
		snprintf(buf + n, size - n, "%s", dot);
}

char *dl__money_format(int64_t fen, char *buf, size_t size)
{
	uint64_t magnitude = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	snprintf(buf, size, "%s%llu.%02llu", fen < 0 ? "-" : "",
		 (unsigned long long)(magnitude / 100), (unsigned long long)(magnitude % 100));
	return buf;
}

char *dl__money_format_grouped(int64_t fen, char *buf, size_t size)
{
	char plain[40], grouped[56];
	dl__money_format(fen, plain, sizeof(plain));
	bool negative = plain[0] == '-';
	group(plain + negative, grouped, sizeof(grouped));
	snprintf(buf, size, "%s%s", negative ? "-" : "", grouped);
	return buf;
}

char *dl__money_format_exact(dl__i128 product, bool grouped, char *buf, size_t size)
{
	/* product / DL_RATE_SCALE fen = product / 10^8 yuan: 8 fractional digits at most. */
	const dl__i128 scale = (dl__i128)DL_RATE_SCALE * 100;
	unsigned long long whole = (unsigned long long)(product / scale);
	unsigned long long frac = (unsigned long long)(product % scale);
	char digits[64];
	int n = snprintf(digits, sizeof(digits), "%llu.%08llu", whole, frac);
	const char *dot = strchr(digits, '.');
	size_t len = n > 0 ? (size_t)n : 0, keep = dot ? (size_t)(dot - digits) + 3 : len;
	while (len > keep && digits[len - 1] == '0') /* two decimals at least, then only what it needs */
		digits[--len] = '\0';
	if (grouped)
		group(digits, buf, size);
	else
		snprintf(buf, size, "%s", digits);
	return buf;
}

char *dl__rate_format(int64_t rate, char *buf, size_t size)
{
	return dl__decimal_format(rate, buf, size);
}

char *dl_money_format(int64_t fen, char *buf, size_t size)
{
	return dl__money_format(fen, buf, size);
}
