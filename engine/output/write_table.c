/*
 * write_table.c: a table written as CSV for programs, as CSV for a spreadsheet, or into a workbook
 * (write_table.h). The CSV for programs is byte for byte what the writers wrote before tables were
 * one walk for three formats; the workbook is write_table_xlsx.c's.
 *
 * Why ="TEXT" in the CSV for a spreadsheet: a cell is text or a number in a CSV file only by its
 * characters, and a spreadsheet opening one guesses. Excel turns 2025-10 into a date (Oct-25), a
 * credit code of 18 digits into 9.16403E+17 (its last digits lost), "1/2" into 2 January. A cell
 * holding the formula ="2025-10" is shown as the text 2025-10 by Excel, WPS and LibreOffice (tried
 * with LibreOffice 7.4 headless), so only such cells get it; the program's numbers stay numbers
 * and full dates (2025-10-31) become dates, unambiguously, in any locale.
 */
#include "write_table.h"

#include <string.h>

/* The byte order mark: Excel opens a CSV as UTF-8 only when it starts with one. */
static const char BOM[] = "\xEF\xBB\xBF";

int dl__table_open(dl__table *t, dl__table_format format, const char *only, dl_write_fn write,
		   void *userdata)
{
	memset(t, 0, sizeof(*t));
	t->format = format;
	t->only = only;
	dl__out_init(&t->out, write, userdata);
	if (format == DL__TABLE_XLSX)
		t->rc = dl__xlsx_open(t);
	return t->rc;
}

bool dl__table_begin(dl__table *t, const char *id, const char *title)
{
	t->skip =
	    (t->format != DL__TABLE_XLSX && t->only && strcmp(t->only, id) != 0) || t->rc != 0;
	if (t->skip)
		return false;
	t->id = id;
	t->in_row = false;
	if (t->format == DL__TABLE_CSV_SECTIONS && t->tables > 0)
		dl__out_bytes(&t->out, "\n", 1); /* an empty line between tables */
	t->tables++;
	if (t->format == DL__TABLE_XLSX)
		dl__xlsx_begin(t, title);
	else if (t->format == DL__TABLE_CSV_EXCEL && !t->bom) {
		dl__out_str(&t->out, BOM);
		t->bom = true;
	}
	return !t->skip;
}

/* A header cell as dl__out_csv_cell writes one, without the separator after it. */
static void header_cell(dl__out *o, const char *s)
{
	bool quote = strpbrk(s, ",\"\n\r") != NULL;
	if (quote)
		dl__out_bytes(o, "\"", 1);
	if (s[0] && strchr("=+-@\t\r", s[0]))
		dl__out_bytes(o, "'", 1);
	for (const char *p = s; *p; p++) {
		dl__out_bytes(o, p, 1);
		if (*p == '"')
			dl__out_bytes(o, "\"", 1); /* doubled (a quote makes the cell quoted) */
	}
	if (quote)
		dl__out_bytes(o, "\"", 1);
}

void dl__table_column(dl__table *t, const char *key, const char *title)
{
	if (t->skip)
		return;
	if (t->format == DL__TABLE_XLSX) {
		dl__xlsx_column(t, title);
		return;
	}
	if (t->format == DL__TABLE_CSV_SECTIONS && t->columns == 0)
		dl__out_str(&t->out, "section");
	if (t->columns++ || t->format == DL__TABLE_CSV_SECTIONS)
		dl__out_bytes(&t->out, ",", 1);
	header_cell(&t->out, t->format == DL__TABLE_CSV_EXCEL ? title : key);
}

void dl__table_columns_end(dl__table *t)
{
	if (!t->skip && t->format != DL__TABLE_XLSX)
		dl__out_bytes(&t->out, "\n", 1);
	t->columns = 0;
}

bool dl__table_looks_like_value(const char *s)
{
	while (*s == ' ')
		s++;
	bool digit = *s >= '0' && *s <= '9';
	if (digit || (*s == '.' && s[1] >= '0' && s[1] <= '9') || *s == '(' || *s == '$')
		return true; /* 12, 2025-10, 1/2, .5, (5) (a negative number), $5 */
	static const char *const truth[] = {"true", "false"};
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(truth[i]), k = 0;
		while (k < n && s[k] && (s[k] | 0x20) == truth[i][k])
			k++;
		if (k == n && s[k] == '\0')
			return true;
	}
	return false;
}

/* Whether s is a date as the library writes one: YYYY-MM-DD. */
static bool full_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-')
			return false;
	return s[sizeof(shape) - 1] == '\0';
}

/* A CSV cell for a spreadsheet: text it would read as a value becomes ="TEXT". */
static void excel_cell(dl__out *o, dl__table_kind kind, const char *s, bool last)
{
	bool number = kind == DL__TC_INT || kind == DL__TC_MONEY || kind == DL__TC_POINTS ||
		      kind == DL__TC_RATE;
	/* a number cell holding a word ("none") is text like any other */
	if (number && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9'))) {
		dl__out_csv_cell(o, s, DL_CSV_NUMBER, last);
		return;
	}
	if (kind == DL__TC_DATE && full_date(s)) {
		dl__out_csv_cell(o, s, DL_CSV_NUMBER, last);
		return;
	}
	/* Excel keeps at most 255 characters of text in a formula; longer text is no number */
	if (!dl__table_looks_like_value(s) || strlen(s) > 255) {
		dl__out_csv_cell(o, s, DL_CSV_TEXT, last);
		return;
	}
	char formula[2 * 255 + 8];
	size_t n = 0;
	formula[n++] = '=';
	formula[n++] = '"';
	for (const char *p = s; *p; p++) {
		formula[n++] = *p;
		if (*p == '"')
			formula[n++] = '"';
	}
	formula[n++] = '"';
	formula[n] = '\0';
	dl__out_csv_cell(o, formula, DL_CSV_NUMBER, last);
}

void dl__table_cell(dl__table *t, dl__table_kind kind, const char *value, bool last)
{
	if (t->skip)
		return;
	if (!value)
		value = "";
	switch (t->format) {
	case DL__TABLE_XLSX:
		dl__xlsx_cell(t, kind, value, last);
		break;
	case DL__TABLE_CSV_EXCEL:
		excel_cell(&t->out, kind, value, last);
		break;
	case DL__TABLE_CSV_SECTIONS:
		if (!t->in_row)
			dl__out_csv_cell(&t->out, t->id, DL_CSV_TEXT, false);
		/* fall through */
	case DL__TABLE_CSV: {
		bool text = kind == DL__TC_TEXT || kind == DL__TC_WORD || kind == DL__TC_DATE;
		dl__out_csv_cell(&t->out, value, text ? DL_CSV_TEXT : DL_CSV_NUMBER, last);
		break;
	}
	}
	t->in_row = !last;
}

void dl__table_end(dl__table *t)
{
	if (!t->skip && t->format == DL__TABLE_XLSX)
		dl__xlsx_end(t);
	t->skip = false;
}

int dl__table_flush(dl__table *t)
{
	if (t->format != DL__TABLE_XLSX) {
		int rc = dl__out_finish(&t->out);
		if (rc < 0 && t->rc == 0)
			t->rc = rc;
	}
	return t->rc;
}

int dl__table_close(dl__table *t)
{
	if (t->format != DL__TABLE_XLSX)
		return dl__table_flush(t);
	int rc = dl__xlsx_close(t, t->out.write, t->out.userdata);
	if (rc < 0 && t->rc == 0)
		t->rc = rc;
	return t->rc;
}

void dl__table_abort(dl__table *t)
{
	if (t->format == DL__TABLE_XLSX)
		dl__xlsx_abort(t);
}
