/*
 * test_csv.c: unit tests for the one CSV cell writer every CSV goes through (dl_csv_write_cell,
 * engine/base/out.c): quoting by RFC 4180, and the guard against spreadsheet formulas, which applies to
 * text from the input and never to the numbers the program writes.
 */
#include "digilevel/common.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

/* The cell written for s as kind, not the last of its row. */
static void check_cell(const char *s, dl_csv_cell kind, const char *want)
{
	gathered g = {NULL, 0};
	int rc = dl_csv_write_cell(s, kind, 0, gather, &g);
	check(rc == 0 && g.data && strcmp(g.data, want) == 0, "%s cell [%s] is written [%s] (got [%s])",
	      kind == DL_CSV_TEXT ? "text" : "number", s ? s : "(null)", want, g.data ? g.data : "");
	free(g.data);
}

static int refuse(void *userdata, const char *data, size_t len)
{
	(void)userdata;
	(void)data;
	(void)len;
	return -1;
}

int main(void)
{
	/* text from the input: a cell a spreadsheet would run is made text with an apostrophe */
	check_cell("=HYPERLINK(\"http://x\",\"y\")", DL_CSV_TEXT, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",");
	check_cell("+cmd|' /C calc'!A0", DL_CSV_TEXT, "'+cmd|' /C calc'!A0,");
	check_cell("-2+3", DL_CSV_TEXT, "'-2+3,");
	check_cell("@SUM(1+1)", DL_CSV_TEXT, "'@SUM(1+1),");
	check_cell("\t=1+1", DL_CSV_TEXT, "'\t=1+1,");
	check_cell("\r=1+1", DL_CSV_TEXT, "\"'\r=1+1\",");
	check_cell("-3.5", DL_CSV_TEXT, "'-3.5,"); /* a name that looks like a number is still a name */
	/* what is not a formula is written as it is */
	check_cell("宁夏红寺堡杞润枸杞食品有限公司", DL_CSV_TEXT, "宁夏红寺堡杞润枸杞食品有限公司,");
	check_cell("a=b", DL_CSV_TEXT, "a=b,");
	check_cell("", DL_CSV_TEXT, ",");
	check_cell(NULL, DL_CSV_TEXT, ",");
	check_cell("a,b", DL_CSV_TEXT, "\"a,b\",");
	check_cell("say \"hi\"", DL_CSV_TEXT, "\"say \"\"hi\"\"\",");
	check_cell("two\nlines", DL_CSV_TEXT, "\"two\nlines\",");
	/* numbers the program wrote stay numbers, negative ones too */
	check_cell("-3.5", DL_CSV_NUMBER, "-3.5,");
	check_cell("-0.05", DL_CSV_NUMBER, "-0.05,");
	check_cell("550100.00", DL_CSV_NUMBER, "550100.00,");
	/* the last cell of a row ends it */
	gathered g = {NULL, 0};
	int rc = dl_csv_write_cell("=1", DL_CSV_TEXT, 1, gather, &g);
	check(rc == 0 && g.data && strcmp(g.data, "'=1\n") == 0, "the last cell ends the row");
	free(g.data);
	check(dl_csv_write_cell("x", DL_CSV_TEXT, 0, refuse, NULL) == DL_EIO, "a failed write is DL_EIO");
	return test_done();
}
