/*
 * workbook.h: reading the cells of an .xlsx workbook (Office Open XML, ECMA-376) from memory: the
 * only user of libzip. Nothing is extracted to disk; the parts are read by name from the zip in
 * memory, each within the limits below, and parsed with libxml2's reader (no DTD, no entities, no
 * network), so a hostile file costs at most its limits.
 *
 * What is read: the workbook's sheets (names and parts, through the relationships), its date system
 * (1900 or 1904), the shared strings, and every cell of every worksheet with a value: numbers as
 * Excel stores them (the text of <v>), shared and inline strings (rich text runs joined, phonetic
 * runs left out, _xHHHH_ escapes decoded), booleans, error values and ISO dates (t="d"). Formulas are
 * read as their cached values. Styles are not read: a caller that expects a date in a cell reads a
 * number there as a date serial (dl__workbook_serial_date).
 */
#ifndef DL_WORKBOOK_H
#define DL_WORKBOOK_H

#include "arena.h"
#include "diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits: far above a filled template (a few hundred cells, parts of a few hundred KB). */
#define DL__XLSX_MAX_ENTRIES 1000                  /* entries in the zip's directory */
#define DL__XLSX_MAX_PART ((size_t)32 * 1024 * 1024) /* uncompressed bytes of one part read */
#define DL__XLSX_MAX_TOTAL ((size_t)96 * 1024 * 1024) /* uncompressed bytes of all parts read */
#define DL__XLSX_MAX_SHEETS 64                      /* worksheets */
#define DL__XLSX_MAX_CELLS 200000                   /* cells with a value, all sheets together */
#define DL__XLSX_MAX_STRINGS 200000                 /* shared strings */
#define DL__XLSX_MAX_ROW 1048576u                    /* Excel's own limits of a cell address */
#define DL__XLSX_MAX_COL 16384u

/** What a cell holds. */
typedef enum dl__cell_kind {
	DL__CELL_NUMBER = 1, /* text: the number as stored ("98.2", "4.5E-2") */
	DL__CELL_TEXT,       /* text: the string (shared, inline or a formula's) */
	DL__CELL_BOOL,       /* text: "1" or "0" */
	DL__CELL_ERROR,      /* text: the error value ("#N/A") */
	DL__CELL_DATE        /* text: an ISO 8601 date as stored (t="d") */
} dl__cell_kind;

typedef struct dl__wb_cell {
	uint32_t row, col; /* 1-based */
	dl__cell_kind kind;
	const char *text;
} dl__wb_cell;

typedef struct dl__wb_sheet {
	const char *name;
	dl__wb_cell *cells; /* sorted by row, then column */
	size_t count;
} dl__wb_sheet;

typedef struct dl__workbook {
	dl__arena arena; /* every string and array below */
	bool date1904;   /* the workbook counts dates from 1904-01-01 */
	dl__wb_sheet *sheets;
	size_t sheet_count;
} dl__workbook;

/** Whether data starts as a zip file does ("PK\3\4"): what a workbook is recognised by. */
bool dl__workbook_magic(const void *data, size_t len);

/**
 * Read the workbook in data (len bytes, borrowed) named name in messages. Every problem (not a zip,
 * damaged, not a workbook, over a limit) is reported to d with the file name only, in Chinese.
 * Returns 0 with *out (free with dl__workbook_free), DL_EINVALID, DL_ELIMIT or DL_ENOMEM.
 */
int dl__workbook_read(dl__workbook **out, const void *data, size_t len, dl__diag *d);

void dl__workbook_free(dl__workbook *wb);

/** The worksheet named name, or NULL. */
const dl__wb_sheet *dl__workbook_sheet(const dl__workbook *wb, const char *name);

/** The cell at row, col of ws, or NULL when it holds nothing. */
const dl__wb_cell *dl__workbook_cell(const dl__wb_sheet *ws, uint32_t row, uint32_t col);

/**
 * The date of day number serial in the workbook's date system: 1900 (day 1 is 1900-01-01, and
 * Excel's day 60 is the 29 February 1900 that never was) or 1904 (day 0 is 1904-01-01). Returns 0
 * with *y, *m, *d, or -1 for a day before day 1 (day 0 in 1904), day 60 of 1900, or after
 * 9999-12-31.
 */
int dl__workbook_serial_date(long serial, bool date1904, int *y, int *m, int *d);

#endif
