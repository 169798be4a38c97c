/*
 * api_sheet.c: reading and scoring a sheet that came over HTTP with every problem collected in one
 * run, as `digilevel validate` prints them: what the reading refuses first, then, even for a
 * refused sheet, what its answers mean against the questionnaire, a problem at one place said once.
 */
#include "api_sheet.h"

#include <stdlib.h>
#include <string.h>

static void remember(api_scored *sc, const dl_error *diag)
{
	if (sc->at_count == sc->at_cap) {
		size_t cap = sc->at_cap ? 2 * sc->at_cap : 32;
		void *at = realloc(sc->at, cap * sizeof *sc->at);
		if (!at)
			return; /* then at worst a problem said twice */
		sc->at = at;
		sc->at_cap = cap;
	}
	sc->at[sc->at_count][0] = diag->line;
	sc->at[sc->at_count][1] = diag->column;
	sc->at_count++;
}

static void add(api_scored *sc, const dl_error *diag)
{
	srv_buf *b = &sc->diagnostics;
	srv_buf_puts(b, sc->diagnostic_count ? ",\n  " : "\n  ");
	srv_buf_printf(b, "{\"line\": %lu, \"column\": %lu, \"message\": ", diag->line, diag->column);
	srv_json_string(b, diag->message);
	srv_buf_puts(b, ", \"where\": ");
	srv_json_string(b, diag->file);
	srv_buf_puts(b, "}");
	sc->diagnostic_count++;
}

static void on_load_problem(const dl_error *diag, void *userdata)
{
	api_scored *sc = userdata;
	add(sc, diag);
	remember(sc, diag);
}

static void on_check_problem(const dl_error *diag, void *userdata)
{
	api_scored *sc = userdata;
	if (!diag->line && sc->refused)
		return; /* an element the reading said is missing (its fields have no place) */
	for (size_t i = 0; diag->line && i < sc->at_count; i++)
		if (sc->at[i][0] == diag->line && sc->at[i][1] == diag->column)
			return;
	add(sc, diag);
}

int api_score_sheet(srv *s, const char *data, size_t len, const char *name, bool partial, int target,
		    api_scored *sc)
{
	memset(sc, 0, sizeof *sc);
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	opts.diag = on_load_problem;
	opts.diag_data = sc;
	dl_error err = {0};
	int load_rc = dl_sheet_load_memory_to_check(&sc->sheet, data, len, name, &opts, &err);
	if (!sc->sheet) {
		if (sc->diagnostic_count == 0)
			add(sc, &err);
		return load_rc < 0 ? load_rc : DL_EINVALID;
	}
	sc->refused = load_rc < 0;
	sc->q = srv_edition_find(s, dl_sheet_questionnaire_id(sc->sheet),
				 dl_sheet_questionnaire_version(sc->sheet));
	if (!sc->q) {
		dl_error e = {0};
		snprintf(e.file, sizeof e.file, "%s", name);
		snprintf(e.message, sizeof e.message,
			 _("the sheet answers questionnaire '%s' version '%s', which this server does "
			   "not have"),
			 dl_sheet_questionnaire_id(sc->sheet), dl_sheet_questionnaire_version(sc->sheet));
		add(sc, &e);
		return DL_EINVALID;
	}
	opts.diag = on_check_problem;
	dl_score_options so = DL_SCORE_OPTIONS_INIT;
	so.partial = partial;
	int rc = dl_score_with(&sc->result, sc->q, sc->sheet, &opts, &so, &err);
	if (load_rc < 0) { /* refused: the check above only added what it means */
		dl_result_free(sc->result);
		sc->result = NULL;
		return load_rc;
	}
	if (rc < 0) {
		if (sc->diagnostic_count == 0 && rc != DL_ENOMEM)
			add(sc, &err);
		return rc;
	}
	if (target >= 0 && (rc = dl_plan_make(&sc->plan, sc->result, target, &err)) < 0) {
		add(sc, &err);
		return rc;
	}
	return sc->diagnostics.failed ? DL_ENOMEM : 0;
}

void api_scored_free(api_scored *sc)
{
	dl_plan_free(sc->plan);
	dl_result_free(sc->result);
	dl_sheet_free(sc->sheet);
	srv_buf_free(&sc->diagnostics);
	free(sc->at);
	memset(sc, 0, sizeof *sc);
}

int api_respond_diagnostics(srv_response *rs, const api_scored *sc)
{
	srv_buf b = {0};
	srv_buf_puts(&b, "{\"diagnostics\": [");
	if (sc->diagnostics.data)
		srv_buf_write(&b, sc->diagnostics.data, sc->diagnostics.len);
	srv_buf_puts(&b, "\n]}\n");
	return srv_respond_buf(rs, 422, "application/json; charset=utf-8", &b);
}

bool api_query_flag(const srv_request *rq, const char *name)
{
	const char *v = srv_query(rq, name);
	return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0);
}
