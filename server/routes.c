/*
 * routes.c: which handler answers which method and path. One table, read top to bottom; a path
 * pattern's {name} segments match one non-empty segment each and reach the handler as
 * rq->param[0], [1], ... A path no route knows is 404; a known path with another method is 405.
 *
 * The JSON API (api_*.c) is the contract in docs/api.md; the pages (page_*.c) may evolve.
 *
 * District mode (docs/security.md "The workbench"): every route but the few marked OPEN needs a
 * live session; without one the API answers 401 and a page sends the browser to /login. A request
 * that changes something (POST, PUT, DELETE) with a session must carry the session's CSRF token,
 * checked here once for every route. The handler then gets the account in rq->who and asks
 * srv_may (access.h) about the enterprise it reads or changes.
 */
#include "access.h"
#include "api.h"
#include "api_district.h"
#include "auth.h"
#include "district.h"
#include "login.h"
#include "pages.h"
#include "pages_district.h"
#include "pages_form.h"
#include "pages_view.h"
#include "server.h"

#include <libxml/uri.h>

#include <stdio.h>
#include <string.h>

/* Who may reach a route. In personal mode everyone; in district mode an OPEN route is answered
 * without a session (logging in, the health check, the style sheet and script), every other one
 * needs a live session, and then the handler asks srv_may (access.h) about what it touches. */
typedef enum gate { SESSION, OPEN } gate;

typedef struct route {
	const char *method;
	const char *pattern;
	srv_handler handler;
	gate gate;
} route;

static const route ROUTES[] = {
	/* the JSON API (docs/api.md) */
	{"GET", "/api/health", api_health, OPEN},
	{"POST", "/api/login", api_login, OPEN},
	{"POST", "/api/logout", api_logout, SESSION},
	{"GET", "/api/questionnaires", api_questionnaires, SESSION},
	{"GET", "/api/questionnaires/{id}", api_questionnaire, SESSION},
	{"POST", "/api/score", api_score, SESSION},
	/* the JSON API: stored sheets, reports, comparisons, the cohort */
	{"POST", "/api/sheets", api_sheets_post, SESSION},
	{"GET", "/api/sheets", api_sheets_list, SESSION},
	{"GET", "/api/sheets/{id}", api_sheet_get, SESSION},
	{"GET", "/api/sheets/{id}/report.pdf", api_sheet_report, SESSION},
	{"GET", "/api/enterprises/{credit_code}/compare", api_compare, SESSION},
	{"GET", "/api/enterprises/{credit_code}/acceptance.pdf", api_acceptance, SESSION},
	{"GET", "/api/cohort", api_cohort, SESSION},
	{"GET", "/api/cohort.csv", api_cohort_csv, SESSION},
	{"GET", "/api/cohort.pdf", api_cohort_pdf, SESSION},
	/* the pages (docs/workbench.md) */
	{"GET", "/static/{file}", page_static, OPEN},
	{"GET", "/login", page_login_form, OPEN},
	{"POST", "/login", page_login, OPEN},
	{"POST", "/logout", page_logout, SESSION},
	/* the pages: starting an assessment, the questionnaire form, drafts (page_form*.c) */
	{"GET", "/", page_home, SESSION},
	{"GET", "/new", page_new, SESSION},
	{"GET", "/new/{phase}", page_new_form, SESSION},
	{"POST", "/sheets", page_sheet_save, SESSION},
	{"GET", "/sheets/{id}/edit", page_sheet_edit, SESSION},
	{"POST", "/form/score", page_form_score, SESSION},
	/* the pages: results, sheets, uploads, comparison, dashboard (page_view*.c) */
	{"GET", "/sheets", page_sheets, SESSION},
	{"GET", "/sheets/{id}", page_result, SESSION},
	{"GET", "/enterprises/{credit_code}", page_enterprise, SESSION},
	{"GET", "/upload", page_upload_form, SESSION},
	{"POST", "/upload", page_upload, SESSION},
	{"GET", "/dashboard", page_dashboard, SESSION},
	/* district mode, the bureau's part: enterprises and their assignments, an enterprise's
	 * history (api_enterprises.c, page_district_admin.c, page_history.c; district.h) */
	{"GET", "/api/enterprises", api_enterprises_list, SESSION},
	{"POST", "/api/enterprises", api_enterprise_register, SESSION},
	{"POST", "/api/enterprises/{credit_code}/assignment", api_enterprise_assign, SESSION},
	{"GET", "/api/enterprises/{credit_code}/history.csv", api_enterprise_history_csv, SESSION},
	{"GET", "/api/enterprises/{credit_code}/history.json", api_enterprise_history_json, SESSION},
	{"GET", "/district", page_district, SESSION},
	{"POST", "/district/assign", page_district_assign, SESSION},
	{"POST", "/district/register", page_district_register, SESSION},
	{"GET", "/enterprises/{credit_code}/history", page_history, SESSION},
	/* district mode, the supervisor's part: documents, reviews, the pipeline, 一企一档
	 * (api_documents.c, api_reviews.c, archive.c, page_review.c) */
	{"POST", "/api/enterprises/{credit_code}/documents", api_documents_post, SESSION},
	{"GET", "/api/enterprises/{credit_code}/documents", api_documents_list, SESSION},
	{"GET", "/api/documents/{id}", api_document_get, SESSION},
	{"POST", "/api/reviews", api_reviews_post, SESSION},
	{"GET", "/api/enterprises/{credit_code}/reviews", api_reviews_list, SESSION},
	{"GET", "/api/enterprises/{credit_code}/pipeline", api_pipeline, SESSION},
	{"GET", "/api/enterprises/{credit_code}/archive.zip", api_archive, SESSION},
	{"GET", "/review", page_review_queue, SESSION},
	{"POST", "/reviews", page_review_post, SESSION},
	{"GET", "/enterprises/{credit_code}/documents", page_documents, SESSION},
	{"POST", "/enterprises/{credit_code}/documents", page_documents_post, SESSION},
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

static bool is_api(const char *path)
{
	return strncmp(path, "/api/", 5) == 0;
}

/* No session for a route that needs one: the API says 401, a page sends the browser to the login
 * form, which comes back here after (a GET's path only: a form's POST cannot be repeated). */
static int unauthenticated(const srv_request *rq, srv_response *rs)
{
	if (is_api(rq->path))
		return srv_respond_error(rs, 401, _("log in first (POST /api/login), then send the "
						    "session cookie with each request"));
	if (strcmp(rq->method, "GET") != 0 || !srv_local_path(rq->path) || strcmp(rq->path, "/") == 0)
		return srv_respond_redirect(rs, "/login");
	xmlChar *next = xmlURIEscapeStr((const xmlChar *)rq->path, (const xmlChar *)"/");
	char where[512];
	int n = next ? snprintf(where, sizeof where, "/login?next=%s", (const char *)next) : -1;
	xmlFree(next);
	return srv_respond_redirect(rs, n > 0 && (size_t)n < sizeof where ? where : "/login");
}

/* A state-changing request with a session but without its CSRF token: 403, on record. */
static int forged(srv *s, const srv_request *rq, srv_response *rs)
{
	srv_refusal_note(s, rq, NULL, "(no CSRF token)");
	const char *message = _("This request did not come from a page of the workbench (its form "
				"token is missing or wrong). Reload the page and try again.");
	if (is_api(rq->path))
		return srv_respond_error(rs, 403, message);
	return view_error_page(rq, rs, 403, _("Not allowed"), message);
}

/* Run route r for (a copy of) rq: in district mode find the session, check the gate and the CSRF
 * token, and hand the account to the handler. */
static int run(srv *s, const route *r, const srv_request *matched, srv_response *rs)
{
	srv_who who;
	srv_request rq = *matched;
	rq.who = NULL;
	if (!s->district)
		return r->handler(s, &rq, rs);
	if (r->gate == OPEN) {
		/* the login pages show who is logged in already; health and files need nobody */
		if (r->handler != page_static && r->handler != api_health && srv_session_of(s, &rq, &who))
			rq.who = &who;
		return r->handler(s, &rq, rs);
	}
	if (!srv_session_of(s, &rq, &who))
		return unauthenticated(&rq, rs);
	rq.who = &who;
	if (!srv_csrf_ok(&rq))
		return forged(s, &rq, rs);
	return r->handler(s, &rq, rs);
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
			return run(s, &ROUTES[i], &with, rs);
	}
	if (path_known)
		return srv_respond_error(rs, 405, _("this address does not take that kind of request"));
	return srv_respond_error(rs, 404, _("there is nothing at this address"));
}
