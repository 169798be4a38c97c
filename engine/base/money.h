/*
 * money.h: amounts of money in fen, rate × amount computed exactly, rounding, and formatting in yuan.
 *
 * An amount is an int64_t count of fen (1/100 yuan); a rate is an integer count of 1/10000 percent,
 * so 70% is 700000 and DL_RATE_SCALE (1000000) is 100%. Their product, fen × rate, is an exact count
 * of 1/1000000 fen held in 128 bits; it is rounded once, to the policy's unit, and never passes
 * through floating point. See docs/policy.md.
 */
#ifndef DL_MONEY_H
#define DL_MONEY_H

#include "decimal.h"
#include "digilevel/policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Largest amount an input may give: 999999999999.99 yuan (12 integer digits, as the schemas say). */
#define DL__MONEY_MAX INT64_C(99999999999999)

/** Largest rate an input may give: 999999.9999% (the policy check then asks for 0-100%). */
#define DL__RATE_MAX INT64_C(9999999999)

/**
 * Parse yuan written "12", "500000" or "0.05" (at most 2 fractional digits) into fen, with
 * dl__number_parse. Returns 0, DL__NUMBER_MALFORMED or DL__NUMBER_RANGE (beyond DL__MONEY_MAX).
 */
int dl__money_parse(const char *s, int64_t *fen);

/**
 * Parse a percentage "70" or "12.5" (at most 4 fractional digits) into units of 1/10000 percent,
 * with dl__number_parse. Returns 0, DL__NUMBER_MALFORMED or DL__NUMBER_RANGE (beyond DL__RATE_MAX).
 */
int dl__rate_parse(const char *s, int64_t *rate);

/** *sum += fen, unless that overflows int64_t: then *sum is unchanged and -1 is returned. */
int dl__money_add(int64_t *sum, int64_t fen);

/** fen × rate exactly, in units of 1/DL_RATE_SCALE fen. */
dl__i128 dl__money_product(int64_t fen, int64_t rate);

/**
 * Round an exact product (units of 1/DL_RATE_SCALE fen, not negative) to a whole multiple of
 * unit_fen (> 0) as mode says. The result must fit in int64_t: it does when rate <= 100%.
 */
int64_t dl__money_round(dl__i128 product, int64_t unit_fen, dl_rounding mode);

/** Fen as yuan with two decimals, "350000.00". buf >= 32 bytes. Returns buf. */
char *dl__money_format(int64_t fen, char *buf, size_t size);
/** The same with thousands separators for people, "350,000.00". buf >= 40 bytes. Returns buf. */
char *dl__money_format_grouped(int64_t fen, char *buf, size_t size);
/**
 * An exact product (units of 1/DL_RATE_SCALE fen, not negative) as yuan with at least two decimals
 * and as many more as it needs, "288641.969" ("288,641.969" when grouped). buf >= 64 bytes.
 */
char *dl__money_format_exact(dl__i128 product, bool grouped, char *buf, size_t size);
/** A rate as a percentage without trailing zeros, "70", "12.5". buf >= 32 bytes. Returns buf. */
char *dl__rate_format(int64_t rate, char *buf, size_t size);

#endif
