/*
 * pages_view.h: the handlers of the workbench's pages that show what is stored: a sheet's result,
 * the list of sheets, uploads, an enterprise's comparison and the dashboard (routes.c lists their
 * paths), and the few helpers these pages share (page_sheets.c).
 */
#ifndef DL_SERVER_PAGES_VIEW_H
#define DL_SERVER_PAGES_VIEW_H

#include "html.h"
#include "server.h"

/* GET /sheets/{id}: the level, its conditions, the plan, every answer (page_result.c). */
int page_result(srv *s, const srv_request *rq, srv_response *rs);
/* GET /sheets: the stored sheets, newest first (page_sheets.c). */
int page_sheets(srv *s, const srv_request *rq, srv_response *rs);
/* GET /enterprises/{credit_code}: its sheets, its standing pair compared under a policy. */
int page_enterprise(srv *s, const srv_request *rq, srv_response *rs);
/* GET /upload: the form; POST /upload: each file checked, the good ones stored (page_upload.c). */
int page_upload_form(srv *s, const srv_request *rq, srv_response *rs);
int page_upload(srv *s, const srv_request *rq, srv_response *rs);
/* GET /dashboard: the cohort's targets, levels and subsidies (page_dashboard.c). */
int page_dashboard(srv *s, const srv_request *rq, srv_response *rs);

/* --- shared by the view pages (page_sheets.c) ------------------------------------------------ */

/** A query argument, or (a hand-made request, a form) the form field of that name; NULL: none. */
const char *view_param(const srv_request *rq, const char *name);
/** A table under parent with a caption and a header row; rows go in with view_row. */
xmlNodePtr view_table(html_page *p, xmlNodePtr parent, const char *caption,
		      const char *const *heads, size_t count);
xmlNodePtr view_row(html_page *p, xmlNodePtr table);
/** A cell holding text (NULL or "": empty); returns it. */
xmlNodePtr view_cell(html_page *p, xmlNodePtr row, const char *text);
/** The phase's title for a stored phase name ("diagnosis" → 诊断（改造前）). */
const char *view_phase_title(const char *phase_name);
/** The name of a stored row's level in its edition ("二级"), or "" when it has none. */
const char *view_level_name(const srv *s, const dl_store_row *row);
/** The stored rows as a table: version, enterprise, phase, date, level, total, links. */
void view_rows_table(html_page *p, xmlNodePtr parent, const srv *s, const char *caption,
		     const dl_store_row *rows, size_t count);
/**
 * The policy a page uses when none is chosen: the one the targets' issuer set for their edition
 * (t NULL: the first targets file's), so a district's targets and its subsidy rules go together;
 * else the first policy (srv_policy_find); NULL when none is loaded.
 */
const dl_policy *view_default_policy(const srv *s, const dl_targets *t);
/** The report's chart `which` of r (or, if c is not NULL, of the comparison c) as SVG in a
 * <figure> under parent (page_charts.c). A chart the questionnaire has nothing for is left out. */
int view_chart(html_page *p, xmlNodePtr parent, const dl_result *r, const dl_comparison *c,
	       dl_report_chart which);
/** A page saying what went wrong (404, 422, 500 ...), with title and one sentence. */
int view_error_page(const srv_request *rq, srv_response *rs, int status, const char *title, const char *message);

#endif
