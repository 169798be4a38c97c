/*
 * test_slips.c: the usual slips in a number, a date, a level or an option, and the fix offered
 * (engine/input/slips.c): a fix only when it is certain, and the exact value otherwise refused.
 */
#include "slips.h"

#include "test_util.h"

#include <string.h>

static void number(const char *text, dl__number_kind kind, dl__slip want, const char *fix)
{
	char got[64];
	dl__slip slip = dl__slip_number(text, kind, got, sizeof(got));
	check(slip == want && strcmp(got, fix) == 0, "number '%s' (kind %d): slip %d, fix '%s' (got %d '%s')",
	      text, (int)kind, (int)want, fix, (int)slip, got);
}

static void date(const char *text, const char *fix)
{
	char got[64];
	dl__slip slip = dl__slip_date(text, got, sizeof(got));
	check(fix[0] ? slip == DL__SLIP_DATE && strcmp(got, fix) == 0 : slip == DL__SLIP_NONE && !got[0],
	      "date '%s': fix '%s' (got '%s')", text, fix, got);
}

static void level(const char *text, const char *fix)
{
	char got[16];
	dl__slip slip = dl__slip_level(text, got, sizeof(got));
	check(fix[0] ? slip == DL__SLIP_LEVEL && strcmp(got, fix) == 0 : slip == DL__SLIP_NONE,
	      "level '%s': fix '%s' (got '%s')", text, fix, got);
}

int main(void)
{
	number("35%", DL__NUMBER_DECIMAL4, DL__SLIP_PERCENT, "35");
	number("35%", DL__NUMBER_YUAN, DL__SLIP_NONE, ""); /* no amount is a percentage */
	number("３５", DL__NUMBER_DECIMAL4, DL__SLIP_FULL_WIDTH, "35");
	number("3,000", DL__NUMBER_YUAN, DL__SLIP_THOUSANDS, "3000");
	number("3，000", DL__NUMBER_WHOLE, DL__SLIP_THOUSANDS, "3000");
	number("1,234,567.5", DL__NUMBER_DECIMAL4, DL__SLIP_THOUSANDS, "1234567.5");
	number("0,5", DL__NUMBER_DECIMAL4, DL__SLIP_DECIMAL_COMMA, "0.5");
	number("0,5", DL__NUMBER_WHOLE, DL__SLIP_NONE, ""); /* 0.5 is no count */
	number("1,2,3", DL__NUMBER_DECIMAL4, DL__SLIP_NONE, "");
	number("1,23.4", DL__NUMBER_DECIMAL4, DL__SLIP_NONE, "");
	number("45人", DL__NUMBER_WHOLE, DL__SLIP_UNIT, "45");
	number("86 台", DL__NUMBER_DECIMAL4, DL__SLIP_UNIT, "86");
	number("12.6万元", DL__NUMBER_YUAN, DL__SLIP_WAN, "126000");
	number("12.34567万元", DL__NUMBER_YUAN, DL__SLIP_NONE, ""); /* not a whole yuan in 4 decimals */
	number("12.6万元", DL__NUMBER_WAN, DL__SLIP_UNIT, "12.6");
	number("12.6万元", DL__NUMBER_DECIMAL4, DL__SLIP_NONE, ""); /* the figure's unit is unknown */
	number("1.2万人", DL__NUMBER_WHOLE, DL__SLIP_NONE, "");
	number("八十六", DL__NUMBER_DECIMAL4, DL__SLIP_NONE, "");
	number("-5人", DL__NUMBER_WHOLE, DL__SLIP_NONE, ""); /* no negative count is suggested */
	number("126", DL__NUMBER_WHOLE, DL__SLIP_NONE, ""); /* not a slip */
	date("2025年3月1日", "2025-03-01");
	date("2025/3/1", "2025-03-01");
	date("2025.03.01", "2025-03-01");
	date("2025-3-1", "2025-03-01");
	date("20250301", "2025-03-01");
	date("２０２５年３月１日", "2025-03-01");
	date("2025-03-01", ""); /* already right */
	date("2025/13/1", "");
	date("2025/3-1", ""); /* two different separators */
	date("去年12月", "");
	level("2级", "2");
	level("二级", "2");
	level("二", "2");
	level("２", "2");
	level("L3", "3");
	level("2", "");
	level("十二级", "");
	char fix[16];
	check(dl__slip_id("Ｃ", fix, sizeof(fix)) == DL__SLIP_FULL_WIDTH && strcmp(fix, "C") == 0,
	      "option 'Ｃ' is C");
	check(dl__slip_id("C", fix, sizeof(fix)) == DL__SLIP_NONE, "option 'C' is no slip");
	char msg[80] = "x";
	dl__slip_advise(msg, sizeof(msg), DL__SLIP_PERCENT, "35");
	check(strcmp(msg, "x; leave out the percent sign: write 35") == 0, "advice appended (%s)", msg);
	return test_done();
}
