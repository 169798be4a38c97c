/*
 * api_sheet.h: a sheet received over HTTP, read and scored with every problem collected
 * (api_sheet.c). Shared by POST /api/score, POST /api/sheets, uploads and the form.
 */
#ifndef DL_SERVER_API_SHEET_H
#define DL_SERVER_API_SHEET_H

#include "server.h"

/** A sheet read and scored, or the problems that stopped it. */
typedef struct api_scored {
	dl_sheet *sheet;           /**< NULL when it could not be read at all */
	const dl_questionnaire *q; /**< the edition it names, if the server has it */
	dl_result *result;         /**< NULL unless it was scored */
	dl_plan *plan;             /**< the plan to the target level, if one was asked for */
	srv_buf diagnostics;       /**< the problems as JSON objects, comma-separated */
	size_t diagnostic_count;
	unsigned long (*at)[2];    /**< where the problems so far are, not to say one twice */
	size_t at_count, at_cap;
	bool refused;
} api_scored;

/**
 * Read data (XML or a filled workbook) named name in messages, find its edition, score it (partial:
 * a provisional score of a partly filled sheet) and make the plan to target (-1: none). Every
 * problem is collected in sc->diagnostics, a problem said once. Returns 0 (sc->result set),
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
