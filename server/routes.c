/*
 * routes.c: which handler answers which method and path. One table, read top to bottom; a path
 * pattern's {name} segments match one non-empty segment each and reach the handler as
 * rq->param[0], [1], ... A path no route knows is 404; a known path with another method is 405.
 *
 * The JSON API (api_*.c) is the contract in docs/api.md; the pages (page_*.c) may evolve.
 */
#include "api.h"
#include "api_district.h"
#include "pages.h"
#include "pages_district.h"
#include "pages_form.h"
#include "pages_view.h"
#include "server.h"

#include <string.h>

typedef struct route {
	const char *method;
	const char *pattern;
	srv_handler handler;
} route;

static const route ROUTES[] = {
	/* the JSON API (docs/api.md) */
	{"GET", "/api/health", api_health},
	{"GET", "/api/questionnaires", api_questionnaires},
	{"GET", "/api/questionnaires/{id}", api_questionnaire},
	{"POST", "/api/score", api_score},
	/* the JSON API: stored sheets, reports, comparisons, the cohort */
	{"POST", "/api/sheets", api_sheets_post},
	{"GET", "/api/sheets", api_sheets_list},
	{"GET", "/api/sheets/{id}", api_sheet_get},
	{"GET", "/api/sheets/{id}/report.pdf", api_sheet_report},
	{"GET", "/api/enterprises/{credit_code}/compare", api_compare},
	{"GET", "/api/enterprises/{credit_code}/acceptance.pdf", api_acceptance},
	{"GET", "/api/cohort", api_cohort},
	{"GET", "/api/cohort.csv", api_cohort_csv},
	{"GET", "/api/cohort.pdf", api_cohort_pdf},
	/* the pages (docs/workbench.md) */
	{"GET", "/static/{file}", page_static},
	/* the pages: starting an assessment, the questionnaire form, drafts (page_form*.c) */
	{"GET", "/", page_new},
	{"GET", "/new", page_new},
	{"GET", "/new/{phase}", page_new_form},
	{"POST", "/sheets", page_sheet_save},
	{"GET", "/sheets/{id}/edit", page_sheet_edit},
	{"POST", "/form/score", page_form_score},
	/* the pages: results, sheets, uploads, comparison, dashboard (page_view*.c) */
	{"GET", "/sheets", page_sheets},
	{"GET", "/sheets/{id}", page_result},
	{"GET", "/enterprises/{credit_code}", page_enterprise},
	{"GET", "/upload", page_upload_form},
	{"POST", "/upload", page_upload},
	{"GET", "/dashboard", page_dashboard},
	/* district mode, the supervisor's part: documents, reviews, the pipeline, 一企一档
	 * (api_documents.c, api_reviews.c, archive.c, page_review.c) */
	{"POST", "/api/enterprises/{credit_code}/documents", api_documents_post},
	{"GET", "/api/enterprises/{credit_code}/documents", api_documents_list},
	{"GET", "/api/documents/{id}", api_document_get},
	{"POST", "/api/reviews", api_reviews_post},
	{"GET", "/api/enterprises/{credit_code}/reviews", api_reviews_list},
	{"GET", "/api/enterprises/{credit_code}/pipeline", api_pipeline},
	{"GET", "/api/enterprises/{credit_code}/archive.zip", api_archive},
	{"GET", "/review", page_review_queue},
	{"POST", "/reviews", page_review_post},
	{"GET", "/enterprises/{credit_code}/documents", page_documents},
	{"POST", "/enterprises/{credit_code}/documents", page_documents_post},
};

/* Match path against pattern; fill params with the {} segments (pointers into segs). */
static bool match(const char *pattern, const char *path, char segs[3][256], const char *param[3])
{
	size_t n = 0;
	while (*pattern && *path) {
		if (*pattern != '/' || *path != '/')
			return false;
		pattern++;
		path++;
		const char *pe = strchr(pattern, '/'), *se = strchr(path, '/');
		size_t pl = pe ? (size_t)(pe - pattern) : strlen(pattern);
		size_t sl = se ? (size_t)(se - path) : strlen(path);
		if (pl > 1 && pattern[0] == '{') {
			if (sl == 0 || sl >= 256 || n == 3)
				return false;
			memcpy(segs[n], path, sl);
			segs[n][sl] = '\0';
			param[n] = segs[n];
			n++;
		} else if (pl != sl || memcmp(pattern, path, pl) != 0) {
			return false;
		}
		pattern += pl;
		path += sl;
	}
	return !*pattern && !*path;
}

int srv_route(srv *s, const srv_request *rq, srv_response *rs)
{
	bool path_known = false;
	for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
		char segs[3][256];
		srv_request with = *rq;
		memset(with.param, 0, sizeof with.param);
		if (!match(ROUTES[i].pattern, rq->path, segs, with.param))
			continue;
		path_known = true;
		if (strcmp(ROUTES[i].method, rq->method) == 0)
			return ROUTES[i].handler(s, &with, rs);
	}
	if (path_known)
		return srv_respond_error(rs, 405, _("this address does not take that kind of request"));
	return srv_respond_error(rs, 404, _("there is nothing at this address"));
}
