/*
 * slips.h: the usual slips people make when they fill a number, a date, a level or an option into
 * an answer sheet, recognised so that a message can name the exact value to write instead.
 *
 * A slip is never accepted silently: the caller refuses the value and shows the fix (a wrong guess
 * would change a figure, an amount or a score without anyone seeing it). Only a fix that is certain
 * is offered: "3,000" is 3000 and "0,5" is 0.5 (three digits after the comma or not), "12.6万元" in
 * a field of yuan is 126000, "2025年3月1日" is 2025-03-01, "二级" is 2, "Ｃ" is C.
 */
#ifndef DL_SLIPS_H
#define DL_SLIPS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum dl__slip {
	DL__SLIP_NONE = 0,      /* no slip recognised: nothing to suggest */
	DL__SLIP_FULL_WIDTH,    /* ３５, Ｃ: full-width digits or letters */
	DL__SLIP_PERCENT,       /* 35% */
	DL__SLIP_THOUSANDS,     /* 3,000 or 3，000 */
	DL__SLIP_DECIMAL_COMMA, /* 0,5 */
	DL__SLIP_UNIT,          /* 45人, 86台, 12.6万元 in a field of 万元 */
	DL__SLIP_WAN,           /* 12.6万元 in a field of yuan: 126000 */
	DL__SLIP_DATE,          /* 2025年3月1日, 2025/3/1, 2025.3.1, 2025-3-1 */
	DL__SLIP_LEVEL          /* 2级, 二级, 二 */
} dl__slip;

/** What a number field holds: the fix must fit it. */
typedef enum dl__number_kind {
	DL__NUMBER_DECIMAL4 = 0, /* a figure or value: up to 4 decimals, may be negative */
	DL__NUMBER_WHOLE,        /* a count or a year: digits only */
	DL__NUMBER_YUAN,         /* money in yuan: up to 2 decimals, not negative */
	DL__NUMBER_WAN           /* money in 万元: up to 4 decimals, may be negative */
} dl__number_kind;

/**
 * The slip in text (a value that is not a number of kind), and the value to write instead in fix
 * (size bytes); DL__SLIP_NONE, fix "", when there is no certain fix.
 */
dl__slip dl__slip_number(const char *text, dl__number_kind kind, char *fix, size_t size);

/** A date not written YYYY-MM-DD that certainly means one: DL__SLIP_DATE and fix "2025-03-01". */
dl__slip dl__slip_date(const char *text, char *fix, size_t size);

/** A scenario level written with its unit or in Chinese ("2级", "二级", "２"): fix "2". */
dl__slip dl__slip_level(const char *text, char *fix, size_t size);

/** An option or id with full-width letters or digits ("Ｃ"): DL__SLIP_FULL_WIDTH and fix "C". */
dl__slip dl__slip_id(const char *text, char *fix, size_t size);

/**
 * Append to msg (a NUL-terminated message in a buffer of size bytes) the advice for slip with its
 * fix, in the language of messages ("; write it without the percent sign: 35"). Nothing for
 * DL__SLIP_NONE.
 */
void dl__slip_advise(char *msg, size_t size, dl__slip slip, const char *fix);

#endif
