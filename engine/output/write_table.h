/*
 * write_table.h: the tables the library writes for people and programs (a batch's rows, the cohort
 * dashboard's figures), written three ways from one walk over them:
 *
 * - DL__TABLE_CSV: CSV for programs, English keys in the header, cells as they are (text from the
 *   input guarded against formulas, dl__out_csv_cell);
 * - DL__TABLE_CSV_EXCEL: CSV for a spreadsheet, a UTF-8 byte order mark, Chinese headers, and text
 *   a spreadsheet would turn into a number or a date (a period "2025-10", a credit code of digits)
 *   written as the formula ="2025-10", which Excel, WPS and LibreOffice show as that text; full
 *   dates (YYYY-MM-DD) are left to become dates, which every spreadsheet reads in that order
 *   whatever its locale;
 * - DL__TABLE_XLSX: a workbook (write_table_xlsx.c, libxlsxwriter), a worksheet per table with its
 *   Chinese title as the sheet's name, numbers as numbers, dates as dates;
 * - DL__TABLE_CSV_SECTIONS: several tables in one CSV (below), kept for dl_cohort_write_csv.
 *
 * A writer walks its tables: dl__table_begin (false: the table is not wanted, skip it), a
 * dl__table_column per column, dl__table_columns_end, then the rows, a dl__table_cell per cell
 * (last ends the row), and dl__table_end. A CSV holds one table: `only` names it (NULL: every
 * table begun, for a writer that has one). Errors are sticky: dl__table_close returns the first.
 */
#ifndef DL_WRITE_TABLE_H
#define DL_WRITE_TABLE_H

#include "out.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum dl__table_format {
	DL__TABLE_CSV,
	DL__TABLE_CSV_EXCEL,
	DL__TABLE_XLSX,
	/* every table in one CSV, one after another, an empty line between them: a first column
	 * "section" holds the table's id in every row (dl_cohort_write_csv, as it always wrote) */
	DL__TABLE_CSV_SECTIONS
} dl__table_format;

/** What a cell holds, which decides how each format writes it. The value is always text. */
typedef enum dl__table_kind {
	/* text from the input (a name, a file, a reason): guarded against formulas */
	DL__TC_TEXT,
	/* a word or id the library writes (a status, a phase id, a period) */
	DL__TC_WORD,
	/* a whole number ("12"); a word in its place ("none") stays text */
	DL__TC_INT,
	/* yuan with two decimals, as dl__money_format writes fen ("1234.56") */
	DL__TC_MONEY,
	/* points, exact ("38.525") */
	DL__TC_POINTS,
	/* a percent with one decimal, without the sign ("17.4") */
	DL__TC_RATE,
	/* a date, YYYY-MM-DD; anything else in its place stays text */
	DL__TC_DATE
} dl__table_kind;

typedef struct dl__table_xlsx dl__table_xlsx;

typedef struct dl__table {
	dl__table_format format;
	const char *only; /* CSV: the one table written (NULL: any) */
	bool skip;	  /* the table begun is not written */
	bool bom;	  /* the byte order mark is written */
	size_t columns;	  /* header cells written so far */
	const char *id;	  /* the table begun (borrowed: until dl__table_end) */
	bool in_row;	  /* a row's first cell is written */
	size_t tables;	  /* tables written */
	int rc;		  /* the first failure */
	dl__table_xlsx *xlsx;
	dl__out out;
	char error[256]; /* why rc, for people (the workbook's temporary file) */
} dl__table;

/**
 * Start writing tables through write. DL__TABLE_XLSX makes a temporary file in $TMPDIR (or /tmp)
 * for the workbook, handed to write by dl__table_close. Returns 0, DL_EIO or DL_ENOMEM (t->error
 * says why); on failure the table is closed.
 */
int dl__table_open(dl__table *t, dl__table_format format, const char *only, dl_write_fn write,
		   void *userdata);

/** Begin table id (the CSV's, and the key of `only`) titled title (the worksheet's name). */
bool dl__table_begin(dl__table *t, const char *id, const char *title);
/** One column of the header: key for programs (DL__TABLE_CSV), title for people. */
void dl__table_column(dl__table *t, const char *key, const char *title);
void dl__table_columns_end(dl__table *t);
/** One cell; last ends the row. */
void dl__table_cell(dl__table *t, dl__table_kind kind, const char *value, bool last);
void dl__table_end(dl__table *t);

/**
 * Hand the bytes written so far to write (CSV); a workbook is handed over whole by
 * dl__table_close. Returns the first failure, or 0.
 */
int dl__table_flush(dl__table *t);

/** The end: the workbook written through write; free what t holds. Returns the first failure. */
int dl__table_close(dl__table *t);

/** Give up: free what t holds, write nothing more. */
void dl__table_abort(dl__table *t);

/*
 * For people reading a spreadsheet: whether a CSV cell of text would be read as something else
 * (a number, a date, a time, a truth value) by a spreadsheet, and so is written as ="TEXT" in
 * DL__TABLE_CSV_EXCEL.
 */
bool dl__table_looks_like_value(const char *s);

/*
 * The workbook back end (write_table_xlsx.c). A sheet's name is its title made fit for Excel: at
 * most 31 characters, none of [ ] : * ? / \ (each replaced by _), not starting or ending with an
 * apostrophe, never empty.
 */
int dl__xlsx_open(dl__table *t);
void dl__xlsx_begin(dl__table *t, const char *title);
void dl__xlsx_column(dl__table *t, const char *title);
void dl__xlsx_cell(dl__table *t, dl__table_kind kind, const char *value, bool last);
void dl__xlsx_end(dl__table *t);
int dl__xlsx_close(dl__table *t, dl_write_fn write, void *userdata);
void dl__xlsx_abort(dl__table *t);
char *dl__xlsx_sheet_name(const char *title, char *buf, size_t size);
/*
 * Whether value (a decimal the library wrote: "-12.5", "1234.56") is held exactly by the number
 * cell it would become: the double nearest to it, written as libxlsxwriter writes numbers (%.16G),
 * reads back as the same decimal. *number is that double.
 */
bool dl__xlsx_exact_number(const char *value, double *number);

#endif
