/*
 * sheet_workbook.h: an answer sheet read from a filled self-assessment workbook (自评表.xlsx, the
 * layout of workbook_layout.h), as sheet.c's loaders do when the bytes they are given are a zip.
 */
#ifndef DL_SHEET_WORKBOOK_H
#define DL_SHEET_WORKBOOK_H

#include "diag.h"
#include "digilevel/sheet.h"

#include <stdbool.h>
#include <stddef.h>

/** Whether the regular file at path starts as a zip does (a workbook): its first four bytes. */
bool dl__workbook_file(const char *path);

/**
 * Load the sheet a workbook's cells hold (data borrowed, len bytes, named name in messages). Every
 * problem is reported at its cell ("NAME:问卷!F12: ...") through opts->diag, the first into err.
 * The sheet's path is name, its digest the SHA-256 of the workbook's bytes, and the problems found
 * later by dl_sheet_check and dl_score are reported at the cells too. Returns as dl_sheet_load.
 */
int dl__sheet_load_workbook(dl_sheet **out, const void *data, size_t len, const char *name,
			    const dl_load_options *opts, dl_error *err);

/**
 * sheet.c: load the answer-sheet XML made from a workbook's cells (xml owned: taken, freed on
 * failure), every problem reported at the cell cells gives for its line.
 */
int dl__sheet_load_cells(dl_sheet **out, char *xml, size_t len, const char *name,
			 const dl__cell_map *cells, const dl_load_options *opts, dl_error *err);

#endif
