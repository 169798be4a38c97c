/*
 * test_write_table.c: the tables the batch and the cohort write for programs and for people
 * (engine/output/write_table.h): the CSV for a spreadsheet (byte order mark, Chinese headers, text
 * a spreadsheet would read as a number or a date written as ="TEXT"), one table per CSV, the old
 * sections CSV, and the workbook, read back with the library's own workbook reader (a number cell
 * is a number, a date a date, a period text, money exact); the exactness rule of number cells and
 * Excel's rules for a sheet's name.
 */
#include "alloc.h"
#include "diag.h"
#include "workbook.h"
#include "write_table.h"

#include <digilevel.h>

#include "test_util.h"

#include <string.h>

static void test_exact_numbers(void)
{
	double d = 0;
	check(dl__xlsx_exact_number("38.525", &d) && d == 38.525, "38.525 is an exact number cell");
	check(dl__xlsx_exact_number("1234.56", &d) && d == 1234.56, "1234.56 yuan is exact");
	check(dl__xlsx_exact_number("0.10", &d) && d == 0.1, "0.10 (trailing zero) is 0.1");
	check(dl__xlsx_exact_number("-3.5", &d) && d == -3.5, "a negative decimal");
	check(dl__xlsx_exact_number("999999999999.99", &d),
	      "the largest policy amount (15 digits) is exact");
	check(dl__xlsx_exact_number("9999999999999.99", &d), "15 significant digits are exact");
	check(!dl__xlsx_exact_number("99999999999999.99", &d),
	      "16 significant digits are not: written as text, never a wrong digit");
	check(!dl__xlsx_exact_number("92233720368547758.07", &d),
	      "the largest fen total is not a number cell");
	check(!dl__xlsx_exact_number("1e5", &d) && !dl__xlsx_exact_number("", &d) &&
		  !dl__xlsx_exact_number("null", &d) && !dl__xlsx_exact_number("1,5", &d),
	      "only plain decimals are numbers");
}

static void test_sheet_names(void)
{
	char buf[256];
	check(strcmp(dl__xlsx_sheet_name("目标完成情况", buf, sizeof(buf)), "目标完成情况") == 0,
	      "a Chinese title is the sheet's name");
	check(strcmp(dl__xlsx_sheet_name("a[b]:c*d?e/f\\g", buf, sizeof(buf)), "a_b__c_d_e_f_g") ==
		  0,
	      "[ ] : * ? / \\ are replaced: %s", buf);
	check(strcmp(dl__xlsx_sheet_name("'x'", buf, sizeof(buf)), "_x_") == 0,
	      "no apostrophe first or last: %s", buf);
	check(strcmp(dl__xlsx_sheet_name("", buf, sizeof(buf)), "Sheet") == 0, "never empty");
	const char *long_title =
	    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五";
	dl__xlsx_sheet_name(long_title, buf, sizeof(buf));
	check(strlen(buf) == 31 * 3, "a long title is cut to 31 characters (%zu bytes)",
	      strlen(buf));
	dl__xlsx_sheet_name("\xF0\x9F\x93\x8A"
			    "abcdefghijklmnopqrstuvwxyz12345",
			    buf, sizeof(buf));
	check(strlen(buf) == 4 + 29, "a character beyond the BMP counts two, as Excel counts (%zu)",
	      strlen(buf));
}

static void test_looks_like_value(void)
{
	const char *values[] = {
	    "2025-10", "916403031234567890", "1/2", ".5", "(5)", "TRUE", "false", " 12",
	    "$5",      "2025年10月"};
	const char *texts[] = {"ABC", "合计", "../examples/a.xml", "phase-1", "truest", "", "91-"};
	bool ok = true;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		if (!dl__table_looks_like_value(values[i])) {
			printf("# not taken for a value: %s\n", values[i]);
			ok = false;
		}
	check(ok, "what a spreadsheet would read as a number, date or truth value is found");
	ok = true;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]) - 1; i++)
		if (dl__table_looks_like_value(texts[i])) {
			printf("# taken for a value: %s\n", texts[i]);
			ok = false;
		}
	check(ok, "text that stays text is left alone");
}

/* A small table of every kind, twice (two tables), through format. */
static int two_tables(dl__table_format format, const char *only, gathered *out)
{
	dl__table t;
	int rc = dl__table_open(&t, format, only, gather, out);
	if (rc < 0) {
		dl__table_abort(&t);
		return rc;
	}
	if (dl__table_begin(&t, "first", "第一表")) {
		dl__table_column(&t, "period", "期限");
		dl__table_column(&t, "date", "日期");
		dl__table_column(&t, "money", "金额（元）");
		dl__table_column(&t, "score", "总分");
		dl__table_column(&t, "name", "名称");
		dl__table_column(&t, "level", "等级");
		dl__table_columns_end(&t);
		dl__table_cell(&t, DL__TC_WORD, "2025-10", false);
		dl__table_cell(&t, DL__TC_DATE, "2025-10-31", false);
		dl__table_cell(&t, DL__TC_MONEY, "434760.10", false);
		dl__table_cell(&t, DL__TC_POINTS, "38.525", false);
		dl__table_cell(&t, DL__TC_TEXT, "=HYPERLINK(\"x\")", false);
		dl__table_cell(&t, DL__TC_INT, "2", true);
		dl__table_cell(&t, DL__TC_WORD, "1\"x", false);
		dl__table_cell(&t, DL__TC_DATE, "", false);
		dl__table_cell(&t, DL__TC_MONEY, "99999999999999.99", false);
		dl__table_cell(&t, DL__TC_POINTS, "40", false);
		dl__table_cell(&t, DL__TC_TEXT, "合计", false);
		dl__table_cell(&t, DL__TC_INT, "none", true);
		dl__table_end(&t);
	}
	if (dl__table_begin(&t, "second", "第二表")) {
		dl__table_column(&t, "n", "数");
		dl__table_columns_end(&t);
		dl__table_cell(&t, DL__TC_INT, "7", true);
		dl__table_end(&t);
	}
	return dl__table_close(&t);
}

static void test_csv(void)
{
	gathered g = {NULL, 0};
	check(two_tables(DL__TABLE_CSV, "first", &g) == 0 &&
		  strcmp(g.data,
			 "period,date,money,score,name,level\n"
			 "2025-10,2025-10-31,434760.10,38.525,\"'=HYPERLINK(\"\"x\"\")\",2\n"
			 "\"1\"\"x\",,99999999999999.99,40,合计,none\n") == 0,
	      "CSV for programs: one table, English keys, cells as they are");
	printf("# %s", g.data ? g.data : "(none)\n");
	free(g.data);
	g = (gathered){NULL, 0};
	check(two_tables(DL__TABLE_CSV_EXCEL, "first", &g) == 0 &&
		  strcmp(g.data, "\xEF\xBB\xBF期限,日期,金额（元）,总分,名称,等级\n"
				 "\"=\"\"2025-10\"\"\",2025-10-31,434760.10,38.525,\"'=HYPERLINK("
				 "\"\"x\"\")\",2\n"
				 "\"=\"\"1\"\"\"\"x\"\"\",,99999999999999.99,40,合计,none\n") == 0,
	      "CSV for a spreadsheet: BOM, Chinese header, the period as =\"2025-10\", the date "
	      "and numbers as they are");
	printf("# %s", g.data ? g.data : "(none)\n");
	free(g.data);
	g = (gathered){NULL, 0};
	check(two_tables(DL__TABLE_CSV, "second", &g) == 0 && strcmp(g.data, "n\n7\n") == 0,
	      "only the table asked for");
	free(g.data);
	g = (gathered){NULL, 0};
	check(two_tables(DL__TABLE_CSV_SECTIONS, NULL, &g) == 0 &&
		  strncmp(g.data, "section,period,date,", 20) == 0 &&
		  strstr(g.data, "\nfirst,2025-10,2025-10-31,") &&
		  strstr(g.data, "\n\nsection,n\nsecond,7\n"),
	      "the sections CSV: every table, a section column, an empty line between");
	free(g.data);
}

static void test_workbook(void)
{
	gathered g = {NULL, 0};
	if (!check(two_tables(DL__TABLE_XLSX, NULL, &g) == 0 && g.len > 4 &&
		       memcmp(g.data, "PK\3\4", 4) == 0,
		   "a workbook is written"))
		return;
	dl__workbook *wb = NULL;
	dl__diag d;
	dl_error err = {0};
	dl__diag_init(&d, NULL, &err, "t.xlsx");
	if (!check(dl__workbook_read(&wb, g.data, g.len, &d) == 0, "the library reads it back: %s",
		   err.message)) {
		free(g.data);
		return;
	}
	const dl__wb_sheet *first = dl__workbook_sheet(wb, "第一表");
	const dl__wb_sheet *second = dl__workbook_sheet(wb, "第二表");
	check(first && second && wb->sheet_count == 2, "a worksheet per table, named by its title");
	if (first) {
		const dl__wb_cell *c = dl__workbook_cell(first, 1, 1);
		check(c && c->kind == DL__CELL_TEXT && strcmp(c->text, "期限") == 0,
		      "the header is Chinese");
		c = dl__workbook_cell(first, 2, 1);
		check(c && c->kind == DL__CELL_TEXT && strcmp(c->text, "2025-10") == 0,
		      "a period is text");
		c = dl__workbook_cell(first, 2, 2);
		check(c && c->kind == DL__CELL_NUMBER && strcmp(c->text, "45961") == 0,
		      "a date is a date serial (2025-10-31 is day 45961)");
		c = dl__workbook_cell(first, 2, 3);
		check(c && c->kind == DL__CELL_NUMBER && strcmp(c->text, "434760.1") == 0,
		      "money is an exact number");
		c = dl__workbook_cell(first, 2, 4);
		check(c && c->kind == DL__CELL_NUMBER && strcmp(c->text, "38.525") == 0,
		      "a score keeps its digits");
		c = dl__workbook_cell(first, 2, 5);
		check(c && c->kind == DL__CELL_TEXT && strcmp(c->text, "=HYPERLINK(\"x\")") == 0,
		      "text that looks like a formula is a text cell, no apostrophe needed");
		c = dl__workbook_cell(first, 3, 3);
		check(c && c->kind == DL__CELL_TEXT && strcmp(c->text, "99999999999999.99") == 0,
		      "money beyond 15 digits is text, not a wrong number");
		check(dl__workbook_cell(first, 3, 2) == NULL, "an empty cell is no cell");
		c = dl__workbook_cell(first, 3, 6);
		check(c && c->kind == DL__CELL_TEXT && strcmp(c->text, "none") == 0,
		      "a word in a number column is text");
	}
	dl__workbook_free(wb);
	gathered again = {NULL, 0};
	check(two_tables(DL__TABLE_XLSX, NULL, &again) == 0 && again.len == g.len &&
		  memcmp(again.data, g.data, g.len) == 0,
	      "the same tables give the same bytes");
	free(again.data);
	free(g.data);
	g = (gathered){NULL, 0};
	dl__table t;
	dl__table_open(&t, DL__TABLE_XLSX, NULL, gather, &g);
	check(dl__table_close(&t) == DL_EINVALID && g.len == 0,
	      "a workbook without a table is refused, nothing written");
	free(g.data);
}

/* The cohort's tables through the public API (digilevel/cohort.h), on an empty cohort. */
static void test_cohort_tables(void)
{
	dl_targets *t = NULL;
	dl_questionnaire *q = NULL;
	dl_cohort *c = NULL;
	if (!check(dl_targets_load(&t, "policies/hongsibu-2024-targets.xml", NULL, NULL) == 0 &&
		       dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, NULL) == 0 &&
		       dl_cohort_new(&c, t, q, NULL, NULL) == 0,
		   "an empty cohort")) {
		dl_targets_free(t);
		dl_questionnaire_free(q);
		return;
	}
	check(dl_cohort_table_count() == 14 && strcmp(dl_cohort_table_id(0), "summary") == 0 &&
		  strcmp(dl_cohort_table_title(9), "企业名册") == 0 &&
		  dl_cohort_table_id(14) == NULL,
	      "fourteen tables, each with an id and a Chinese title");
	gathered g = {NULL, 0};
	check(dl_cohort_write_table(c, "rows", DL_COHORT_CSV, gather, &g) == DL_EINVALID &&
		  g.len == 0,
	      "an unknown table is refused, nothing written");
	check(dl_cohort_write_table(c, "subsidy", DL_COHORT_CSV, gather, &g) == 0 &&
		  strcmp(g.data, "phase,title,enterprises,eligible_investment,subsidy\n") == 0,
	      "a table that does not apply (no policy) asked for alone is its header");
	free(g.data);
	g = (gathered){NULL, 0};
	check(dl_cohort_write_table(c, "summary", DL_COHORT_CSV_EXCEL, gather, &g) == 0 &&
		  strncmp(g.data, "\xEF\xBB\xBF项目,内容\n目标文件,", 28) == 0,
	      "the summary for a spreadsheet: BOM, Chinese header and keys");
	free(g.data);
	g = (gathered){NULL, 0};
	check(dl_cohort_write_csv(c, gather, &g) == 0 &&
		  strncmp(g.data, "section,key,value\nsummary,", 26) == 0 &&
		  strstr(g.data, "\n\nsection,target,row,") != NULL &&
		  strstr(g.data, "section,phase,") == NULL,
	      "dl_cohort_write_csv keeps its sections (no subsidy without a policy)");
	free(g.data);
	g = (gathered){NULL, 0};
	dl_error err = {0};
	dl__workbook *wb = NULL;
	dl__diag d;
	dl__diag_init(&d, NULL, &err, "c.xlsx");
	if (check(dl_cohort_write_xlsx(c, gather, &g, &err) == 0 &&
		      dl__workbook_read(&wb, g.data, g.len, &d) == 0,
		  "the dashboard's workbook")) {
		check(wb->sheet_count == 13 && dl__workbook_sheet(wb, "补助") == NULL &&
			  dl__workbook_sheet(wb, "进度节点") != NULL,
		      "a worksheet per table that applies (%zu)", wb->sheet_count);
		dl__workbook_free(wb);
	}
	free(g.data);
	dl_cohort_free(c);
	dl_targets_free(t);
	dl_questionnaire_free(q);
}

/* Every allocation of writing the tables and the cohort's workbook fails in turn: a clean error. */
static void test_allocation_failures(void)
{
	bool clean = true;
	long n = 0;
	for (;; n++) {
		gathered g = {NULL, 0};
		dl__alloc_fail_after(n);
		int rc = two_tables(DL__TABLE_XLSX, NULL, &g);
		long used = dl__alloc_fail_after(-1);
		free(g.data);
		if (rc == 0)
			break; /* no allocation failed: every one was tried */
		if (rc != DL_ENOMEM || g.len != 0) {
			printf("# allocation %ld: rc %d, %zu bytes written\n", n, rc, g.len);
			clean = false;
		}
		if (used < n)
			break;
	}
	check(clean && n > 0, "each failed allocation (%ld) gives DL_ENOMEM and no bytes", n);
	dl_batch_writer *w = NULL;
	gathered g = {NULL, 0};
	dl__alloc_fail_after(0);
	int rc = dl_batch_writer_new(&w, DL_BATCH_XLSX, false, gather, &g);
	dl__alloc_fail_after(-1);
	check(rc == DL_ENOMEM && w == NULL, "a batch writer without memory: DL_ENOMEM");
	check(dl_batch_writer_new(&w, (dl_batch_format)9, false, gather, &g) == DL_EINVALID,
	      "an unknown format is refused");
}

int main(void)
{
	test_exact_numbers();
	test_sheet_names();
	test_looks_like_value();
	test_csv();
	test_workbook();
	test_cohort_tables();
	test_allocation_failures();
	return test_done();
}
