/*
 * digilevel/xlsx.h: the spreadsheet route: a self-assessment workbook (自评表.xlsx) to fill in Excel,
 * WPS or LibreOffice instead of XML, and reading a filled one back (docs/spreadsheets.md).
 *
 * Reading needs no function of its own: dl_sheet_load and dl_sheet_load_memory recognise a workbook
 * by its content (the zip signature "PK\3\4", whatever the file is called) and read it into a sheet,
 * so every program that loads sheets (validate, score, report, compare, batch, cohort) takes a
 * workbook wherever it takes a sheet. Problems in a workbook are reported at their cells: the
 * dl_error's file is "NAME:SHEET!CELL" (e.g. "自评表.xlsx:问卷!F12") and its line and column are 0;
 * this holds for the loader and for dl_sheet_check and dl_score on a sheet read from a workbook.
 * The messages about cells are in Chinese.
 *
 * Threading: every function here may run in any number of threads at once on different arguments.
 * The writer uses libxlsxwriter, which allocates with the C library's malloc (not dl_set_allocator's)
 * and writes through a temporary file in $TMPDIR (or /tmp) that it removes.
 */
#ifndef DIGILEVEL_XLSX_H
#define DIGILEVEL_XLSX_H

#include "common.h"
#include "questionnaire.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Write a blank self-assessment workbook for q (an .xlsx file's bytes) to write: instructions in
 * Chinese, the enterprise's and the assessment's fields, the figures (numbers only), one row per
 * question with its options in a drop-down (a multi-choice question: one row per option with 是/否),
 * the scenarios with their level texts and a 0..max drop-down, every structure cell protected so
 * that only answer cells can be edited. phase ("diagnosis", "evaluation" or "self-check") is
 * preselected. The same q and phase give the same bytes. Returns 0, DL_EINVALID (unknown phase),
 * DL_EIO (write failed, or the temporary file could not be made: err says why) or DL_ENOMEM.
 * err may be NULL.
 */
DL_EXTERN int dl_questionnaire_write_template_xlsx(const dl_questionnaire *q, const char *phase,
						   dl_write_fn write, void *userdata, dl_error *err);

/** Whether len bytes of data are a workbook as the sheet loaders recognise one (a zip file). */
DL_EXTERN bool dl_workbook_recognise(const void *data, size_t len);

/**
 * Convert the filled workbook at path into answer-sheet XML, written to write only when it loads as
 * a sheet (the schema's checks; the questionnaire's are dl_sheet_check's). Every problem goes to
 * opts->diag at its cell, the first into err (may be NULL). Returns 0, DL_EINVALID, DL_EIO (cannot
 * read path, or write failed), DL_ENOTFOUND, DL_ELIMIT (docs/security.md) or DL_ENOMEM.
 */
DL_EXTERN int dl_workbook_write_sheet(const char *path, dl_write_fn write, void *userdata,
				      const dl_load_options *opts, dl_error *err);

/** As dl_workbook_write_sheet, for the len bytes of a workbook in memory; name is what messages call
 * it. A workbook larger than opts->max_file_size (default DL_DEFAULT_MAX_FILE_SIZE): DL_ELIMIT. */
DL_EXTERN int dl_workbook_write_sheet_memory(const void *data, size_t len, const char *name,
					     dl_write_fn write, void *userdata,
					     const dl_load_options *opts, dl_error *err);

#ifdef __cplusplus
}
#endif

#endif
