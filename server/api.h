/*
 * api.h: the handlers of the JSON API (docs/api.md), one file per resource: api_meta.c (health,
 * questionnaires, scoring without storing), api_sheets.c (stored sheets and their reports),
 * api_pairs.c (an enterprise's comparison and acceptance, the cohort).
 */
#ifndef DL_SERVER_API_H
#define DL_SERVER_API_H

#include "server.h"

int api_health(srv *s, const srv_request *rq, srv_response *rs);
int api_questionnaires(srv *s, const srv_request *rq, srv_response *rs);
int api_questionnaire(srv *s, const srv_request *rq, srv_response *rs);
int api_score(srv *s, const srv_request *rq, srv_response *rs);

int api_sheets_post(srv *s, const srv_request *rq, srv_response *rs);
int api_sheets_list(srv *s, const srv_request *rq, srv_response *rs);
int api_sheet_get(srv *s, const srv_request *rq, srv_response *rs);
int api_sheet_report(srv *s, const srv_request *rq, srv_response *rs);

int api_compare(srv *s, const srv_request *rq, srv_response *rs);
int api_acceptance(srv *s, const srv_request *rq, srv_response *rs);
int api_cohort(srv *s, const srv_request *rq, srv_response *rs);
int api_cohort_csv(srv *s, const srv_request *rq, srv_response *rs);
int api_cohort_pdf(srv *s, const srv_request *rq, srv_response *rs);

/** A stored row as the JSON API gives it. */
int api_row_json(srv_buf *b, const dl_store_row *r);
/**
 * Read and score a sheet (a draft provisionally) and store it, a new version of replaces (0: a new
 * sheet) by rq's account. Problems: 422 with every one in rs, nothing stored; replaces unknown:
 * 404 in rs; the account may not (srv_may_store): 403 in rs, on record. Stored:
 * rs untouched (status 0) and *stored filled. Returns 0 or a DL_E* code for a server failure.
 */
int api_store_sheet(srv *s, const srv_request *rq, const char *xml, size_t len, const char *name,
		    bool draft, int64_t replaces, srv_response *rs, dl_store_row *stored);
/** A stored row and its XML by the id in text; 404 in rs when there is none. */
int api_load_stored(srv *s, const char *id_text, srv_response *rs, dl_store_row *row, char **xml,
		    size_t *len);
/** The ASCII file name for a download of row with extension ext. */
void api_sheet_filename(const dl_store_row *row, const char *ext, char *buf, size_t size);

#endif
