/*
 * export.h: `digilevel serve --export DIR`: every stored sheet written out as the XML files the CLI
 * reads, so that `digilevel batch DIR` and `digilevel cohort DIR` give the dashboard's numbers and
 * the database is never a lock-in (export.c, docs/store.md).
 *
 * The layout:
 *   DIR/CODE-PHASE-DATE-ID-vVERSION.xml          the newest finished version of each lineage
 *                                                (a draft never; a lineage whose newest version
 *                                                is a draft by its newest finished one): the
 *                                                sheets the dashboard counts (srv_finished_rows)
 *   DIR/history/CODE-PHASE-DATE-ID-vVERSION.xml  every other finished version
 *   DIR/history/...-draft.xml                    and every draft
 * batch reads a directory's *.xml files but not its subdirectories, so history/ is never counted.
 * CODE is the credit code ("no-code" for a draft without one), PHASE dl_phase_name's, DATE the
 * assessment date ("no-date"), ID the row's id in ten digits, so that names sort as ids do among
 * the sheets of one enterprise, phase and date (the later one stands, as on the dashboard, which
 * feeds its batch in the order of these names).
 *
 * Nothing is ever replaced: when DIR already holds a sheet file (*.xml, *.xlsx), or a file to be
 * written exists in history/, the export is refused before anything is written, naming that file.
 * Each file is written through a temporary file and renamed (dl_output_file_save, files.h), so a
 * file is whole or absent. The rows are read in one snapshot of the store, so a server saving
 * sheets meanwhile cannot make the export inconsistent.
 */
#ifndef DL_SERVER_EXPORT_H
#define DL_SERVER_EXPORT_H

#include "store.h"

#include <stddef.h>

/** What srv_export wrote. */
typedef struct srv_export_counts {
	size_t current; /**< files in DIR: the sheets that stand */
	size_t history; /**< files in DIR/history: older versions and drafts */
} srv_export_counts;

/**
 * The file name row is exported under (CODE-PHASE-DATE-ID-vVERSION[-draft].xml, as above): also
 * what the server calls a stored sheet in messages and documents, so that a comparison or a
 * diagnostic of the server names the sheet as `digilevel compare` on the export does.
 */
void srv_sheet_file_name(const dl_store_row *row, char *name, size_t size);

/**
 * Write every sheet of st into dir (made if missing, with history/ inside) as above. counts may be
 * NULL. Returns 0; DL_EMISMATCH (a file is in the way: err->file names it, nothing was written);
 * DL_EIO (a folder or file cannot be made or written: err->file names it, err->message why; the
 * files written before it stay, each whole); DL_ENOMEM; or the store's code. Messages go through
 * the catalogue, for a person. Call dl_output_file_setup() first in a program (files.h).
 */
int srv_export(dl_store *st, const char *dir, srv_export_counts *counts, dl_error *err);

#endif
