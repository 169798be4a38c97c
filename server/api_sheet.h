/*
 * api_sheet.h: a sheet received over HTTP, read and scored with every problem collected
 * (api_sheet.c). Shared by POST /api/score, POST /api/sheets, uploads and the form.
 */
#ifndef DL_SERVER_API_SHEET_H
#define DL_SERVER_API_SHEET_H

#include "server.h"

/**
 * Check data (XML or a filled workbook, named name in messages) as `digilevel validate` does: read
 * it; find the edition it names among the server's; score it (partial: provisionally, a partly
 * filled sheet); every problem and warning to say(diag, userdata), in order, each place once:
 * what the reading refuses first, then, even for a refused sheet, what its answers mean, but not
 * again at a place the reading named, nor a refused sheet's missing elements (they have no place).
 * Sets *sheet, *q and *result as far as it got (each NULL before), and returns:
 * - 0: all three set;
 * - a DL_E* code with *sheet NULL: it could not be read (err: why, maybe not said);
 * - DL_ENOTFOUND with *sheet set and *q NULL: the server has no such edition (nothing said);
 * - the reading's code with *result NULL: the reading refused it (every problem said);
 * - the scoring's code with *result NULL: the scoring failed (err: why, maybe not said).
 * The caller frees *sheet (dl_sheet_free) and *result (dl_result_free) whatever it returns.
 */
int api_check_sheet(srv *s, const char *data, size_t len, const char *name, bool partial,
		    dl_diag_fn say, void *userdata, dl_sheet **sheet, const dl_questionnaire **q,
		    dl_result **result, dl_error *err);

/** A sheet read and scored, or the problems that stopped it. */
typedef struct api_scored {
	dl_sheet *sheet;           /**< NULL when it could not be read at all */
	const dl_questionnaire *q; /**< the edition it names, if the server has it */
	dl_result *result;         /**< NULL unless it was scored */
	dl_plan *plan;             /**< the plan to the target level, if one was asked for */
	srv_buf diagnostics;       /**< the problems as JSON objects, comma-separated */
	size_t diagnostic_count;
} api_scored;

/**
 * Check data as api_check_sheet does and make the plan to target (-1: none). Every problem is
 * collected in sc->diagnostics, a problem said once. Returns 0 (sc->result set),
 * DL_EINVALID (problems), DL_ELIMIT, DL_ENOMEM. Free sc with api_scored_free whatever it returns.
 */
int api_score_sheet(srv *s, const char *data, size_t len, const char *name, bool partial, int target,
		    api_scored *sc);
void api_scored_free(api_scored *sc);

/** 422 {"diagnostics": [{"line", "column", "message"}...]}. */
int api_respond_diagnostics(srv_response *rs, const api_scored *sc);

/** Whether a query argument is "1", "true" or "yes". */
bool api_query_flag(const srv_request *rq, const char *name);

#endif
