/*
 * decimal.h: exact decimal numbers for points, figures, band edges and money.
 *
 * Every number an input can hold is a decimal with at most 4 fractional digits, stored as an integer
 * count of 1/10000 (DL_POINTS_SCALE). Sums are integer sums, so 13 × 0.7 + 0.9 is exactly 10.
 * Ratios of figures are compared by cross-multiplying in 128-bit integers, never by dividing, so a
 * value exactly on a band edge lands in the band the edge's bracket says. See docs/arithmetic.md.
 */
#ifndef DL_DECIMAL_H
#define DL_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Largest magnitude of a figure or value: 999999999.9999 (keeps every product within 128 bits). */
#define DL__DECIMAL_MAX INT64_C(9999999999999)

__extension__ typedef __int128 dl__i128;

/** Why dl__number_parse refused its text. */
enum { DL__NUMBER_MALFORMED = -1, DL__NUMBER_RANGE = -2 };

/**
 * The one parser of numbers written in the inputs (figures, values, band edges, points, money,
 * rates, counts, levels): optional white space, an optional sign ('+' or '-', as XML Schema's
 * decimal and integer types allow), digits (leading zeros allowed), optionally '.' and 1 to frac
 * digits, optional white space. The result is in units of 10^-frac (frac 0..4): "12.5" with frac 2
 * is 1250. Its magnitude must be at most max (in those units).
 * Returns 0, DL__NUMBER_MALFORMED or DL__NUMBER_RANGE; *out is set only on success. Every caller
 * reports a failure with the position of the number (load.h: dl__build_number).
 */
int dl__number_parse(const char *s, int frac, int64_t max, int64_t *out);

/**
 * Format value / 10^places (places 0..8) as a plain decimal: every place, or without the trailing
 * zeros (and without the point when none is left) when trim. Cut to size as snprintf cuts.
 * Returns buf.
 */
char *dl__fixed_format(int64_t value, int places, bool trim, char *buf, size_t size);

/** Format units of 10^-4 as a plain decimal with no trailing zeros. buf >= 32 bytes. Returns buf. */
char *dl__decimal_format(int64_t value, char *buf, size_t size);

/** Format v / 10^4 rounded half away from zero to `places` decimals (0..4), e.g. for shares. */
char *dl__decimal_format_places(int64_t value, int places, char *buf, size_t size);

/** A non-negative fraction num/den (den > 0), both in any common unit. */
typedef struct dl__frac {
	dl__i128 num;
	dl__i128 den;
} dl__frac;

/** Compare a and b: negative, 0 or positive. */
int dl__frac_cmp(dl__frac a, dl__frac b);

/** Format a fraction as a decimal rounded to `places` (0..6) places. */
char *dl__frac_format(dl__frac f, int places, char *buf, size_t size);

#endif
