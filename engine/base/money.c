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

int dl__money_parse(const char *s, int64_t *fen)
{
	return dl__number_parse(s, 2, DL__MONEY_MAX, fen);
}

int dl__rate_parse(const char *s, int64_t *rate)
{
	return dl__number_parse(s, 4, DL__RATE_MAX, rate);
}

int dl__money_add(int64_t *sum, int64_t fen)
{
	if ((fen > 0 && *sum > INT64_MAX - fen) || (fen < 0 && *sum < INT64_MIN - fen))
		return -1;
	*sum += fen;
	return 0;
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
	return dl__fixed_format(fen, 2, false, buf, size);
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
