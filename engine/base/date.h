/*
 * date.h: calendar dates written YYYY-MM-DD, as answer sheets give them.
 *
 * Assessment, completion and application dates decide which subsidy phase a retrofit falls in, so a
 * date must be a real day of the Gregorian calendar (2024-02-29 yes, 2025-02-29 and 2024-04-31 no),
 * and dates must compare exactly.
 */
#ifndef DL_DATE_H
#define DL_DATE_H

#include <stddef.h>
#include <stdint.h>

#define DL__DATE_YEAR_MIN 1900 /**< earliest year dl__date_parse accepts */
#define DL__DATE_YEAR_MAX 2999 /**< latest year dl__date_parse accepts */

/**
 * Parse s, which must be exactly "YYYY-MM-DD" (10 ASCII characters, no surrounding white space), a
 * real date with a year from DL__DATE_YEAR_MIN to DL__DATE_YEAR_MAX.
 *
 * Returns 0 and sets *y, *m, *d (each may be NULL) on success. Returns -1 (DL_EINVALID) otherwise,
 * leaving *y, *m, *d untouched and writing a short English reason to why (at most why_size bytes,
 * always NUL-terminated; why may be NULL when why_size is 0), such as
 * "day 29 does not exist in February 2025". The reason does not repeat s. s must not be NULL.
 */
int dl__date_parse(const char *s, int *y, int *m, int *d, char *why, size_t why_size);

/**
 * Days from 1970-01-01 to the date y-m-d of the proleptic Gregorian calendar (negative before 1970),
 * so that one date is later than another exactly when its ordinal is larger and the difference is
 * the number of days between them. y-m-d must be a real date as dl__date_parse accepts it.
 */
int32_t dl__date_ordinal(int y, int m, int d);

/**
 * Compare two dates written YYYY-MM-DD: negative if a is earlier than b, 0 if the same day,
 * positive if later. Meant for dates dl__date_parse accepts; so that the order stays total, a
 * string that is not such a date sorts before every valid date, and two of them compare as strcmp.
 */
int dl__date_compare(const char *a, const char *b);

#endif
