/*
 * date.c: parsing, checking and ordering YYYY-MM-DD dates (see date.h).
 *
 * Only the one written form is accepted, and every failure says which part is wrong and why, since
 * the reason ends up in a diagnostic a person fixes the answer sheet from. Ordering goes through a
 * day count (the days-from-civil arithmetic of Howard Hinnant's "chrono-Compatible Low-Level Date
 * Algorithms") rather than string comparison, so the order is that of the calendar by construction.
 */
#include "date.h"
#include "i18n.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const month_names[12] = {
	N_("January"), N_("February"), N_("March"),	N_("April"),   N_("May"),	   N_("June"),
	N_("July"),    N_("August"),   N_("September"), N_("October"), N_("November"), N_("December")};

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* The value of the n ASCII digits at s (already checked to be digits). */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Check the YYYY-MM-DD shape; on failure write why and return -1. */
static int check_shape(const char *s, char *why, size_t why_size)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len; i++) {
		/* Every byte before the first non-ASCII one is a character, so i + 1 is its position. */
		if ((unsigned char)s[i] >= 0x80) {
			snprintf(why, why_size,
				 _("character at position %zu is not ASCII (write YYYY-MM-DD with ASCII digits "
				 "and '-')"),
				 i + 1);
			return -1;
		}
	}
	if (len != 10) {
		snprintf(why, why_size, _("must be YYYY-MM-DD (10 characters), got %zu characters"), len);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		bool dash = i == 4 || i == 7;
		unsigned char c = (unsigned char)s[i];
		if (dash ? c == '-' : (c >= '0' && c <= '9'))
			continue;
		if (c >= 0x20 && c < 0x7f)
			snprintf(why, why_size,
				 dash ? _("character '%c' at position %zu must be '-' (YYYY-MM-DD)")
				      : _("character '%c' at position %zu must be a digit (YYYY-MM-DD)"),
				 c, i + 1);
		else
			snprintf(why, why_size,
				 dash ? _("byte 0x%02X at position %zu must be '-' (YYYY-MM-DD)")
				      : _("byte 0x%02X at position %zu must be a digit (YYYY-MM-DD)"),
				 c, i + 1);
		return -1;
	}
	return 0;
}

int dl__date_parse(const char *s, int *y, int *m, int *d, char *why, size_t why_size)
{
	assert(s != NULL);
	if (why_size == 0)
		why = NULL; /* snprintf(NULL, 0, ...) writes nothing */
	if (check_shape(s, why, why_size) < 0)
		return -1;
	int year = digits(s, 4), month = digits(s + 5, 2), day = digits(s + 8, 2);
	if (year < DL__DATE_YEAR_MIN || year > DL__DATE_YEAR_MAX) {
		snprintf(why, why_size, _("year %d is outside %d-%d"), year, DL__DATE_YEAR_MIN,
			 DL__DATE_YEAR_MAX);
		return -1;
	}
	if (month < 1 || month > 12) {
		snprintf(why, why_size, _("month %d does not exist (months are 01-12)"), month);
		return -1;
	}
	if (day < 1 || day > days_in_month(year, month)) {
		snprintf(why, why_size, _("day %d does not exist in %s %d"), day, _(month_names[month - 1]),
			 year);
		return -1;
	}
	if (y)
		*y = year;
	if (m)
		*m = month;
	if (d)
		*d = day;
	return 0;
}

int32_t dl__date_ordinal(int y, int m, int d)
{
	/* Count from 0000-03-01 so that the leap day ends the year, in 400-year eras of 146097 days. */
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;                                  /* [0, 399] */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
	return (int32_t)(era * 146097 + doe - 719468); /* 719468: days from 0000-03-01 to 1970-01-01 */
}

int dl__date_compare(const char *a, const char *b)
{
	int ay, am, ad, by, bm, bd;
	bool a_ok = dl__date_parse(a, &ay, &am, &ad, NULL, 0) == 0;
	bool b_ok = dl__date_parse(b, &by, &bm, &bd, NULL, 0) == 0;
	if (!a_ok || !b_ok) {
		if (a_ok != b_ok)
			return a_ok ? 1 : -1;
		int c = strcmp(a, b);
		return (c > 0) - (c < 0);
	}
	int32_t oa = dl__date_ordinal(ay, am, ad), ob = dl__date_ordinal(by, bm, bd);
	return (oa > ob) - (oa < ob);
}
