/*
 * derive.h: the fields of a stored row (store.h) derived from an answer sheet's XML, by scoring it
 * with the library against the edition the server loaded, and re-deriving them at start for the
 * rows scored against a questionnaire that has changed since (derive.c).
 */
#ifndef DL_SERVER_DERIVE_H
#define DL_SERVER_DERIVE_H

#include "server.h"

#include <stdbool.h>
#include <stddef.h>

/**
 * Load the sheet in xml[0..len) (name is the file name diagnostics give), find the edition it names
 * among s's (srv_edition_find), score it (a draft provisionally, as `digilevel score --partial`)
 * and fill *fields: credit code, name, phase (dl_phase_name), date, the edition's id, version and
 * digest, draft, level and total (dl_points_format). The row's id, lineage, version, sha256,
 * received and xml_len are left 0 / "" (the store sets them). *fields is written only on success.
 *
 * A sheet that does not load, names an edition the server does not have (DL_ENOTFOUND), or does not
 * score returns the library's code with its first problem in err: the caller answers 422. A
 * workbook (.xlsx) is refused (DL_EINVALID): the store keeps XML, so convert it first.
 * Thread-safe: s is only read.
 */
int srv_derive(const srv *s, const char *xml, size_t len, const char *name, bool draft,
	       dl_store_row *fields, dl_error *err);

/**
 * As srv_derive, with load options (NULL: the defaults): opts->diag is given every problem of the
 * sheet, in document order, so that a 422 can list them all; an edition the server does not have
 * is given to it too.
 */
int srv_derive_with(const srv *s, const char *xml, size_t len, const char *name, bool draft,
		    const dl_load_options *opts, dl_store_row *fields, dl_error *err);

/**
 * The fields of a sheet already read and scored (result from dl_score_with on sheet against q, a
 * draft provisionally): what srv_derive fills after its own reading and scoring, for a caller that
 * has read and scored the sheet already (POST /api/sheets). DL_ELIMIT: the edition's id or version
 * is longer than the store keeps.
 */
int srv_derive_scored(const dl_sheet *sheet, const dl_questionnaire *q, const dl_result *result,
		      bool draft, dl_store_row *fields, dl_error *err);

/**
 * At start: every stored row whose questionnaire_sha256 differs from the digest of its edition as
 * loaded now is scored again from its XML, and its score replaced (dl_store_set_score). A row that
 * no longer scores gets level -1 and total "" (with the new digest, so it is not tried on every
 * start); a row naming an edition the server has not loaded is left as it is. Logs one line with
 * the counts (srv_log). Returns 0, or the store's code with err filled.
 */
int srv_rescore(srv *s, dl_error *err);

#endif
