/*
 * api_sheet.c: reading and scoring a sheet that came over HTTP with every problem collected in one
 * run, as `digilevel validate` prints them: what the reading refuses first, then, even for a
 * refused sheet, what its answers mean against the questionnaire, a problem at one place said once.
 * The check (api_check_sheet) says each problem to its caller: the API collects them as JSON here,
 * the upload page (page_upload.c) as the rows of its table.
 */
#include "api_sheet.h"

#include <stdlib.h>
#include <string.h>

/* A check while it runs: where its problems go, and the places the reading named. */
typedef struct check_run {
	dl_diag_fn say;
	void *userdata;
	bool refused;           /* the reading refused the sheet */
	unsigned long (*at)[2]; /* (line, column) of each of the reading's problems */
	size_t at_count, at_cap;
} check_run;

static void remember(check_run *run, const dl_error *diag)
{
	if (run->at_count == run->at_cap) {
		size_t cap = run->at_cap ? 2 * run->at_cap : 32;
		void *at = realloc(run->at, cap * sizeof *run->at);
		if (!at)
			return; /* then at worst a problem said twice */
		run->at = at;
		run->at_cap = cap;
	}
	run->at[run->at_count][0] = diag->line;
	run->at[run->at_count][1] = diag->column;
	run->at_count++;
}

static void on_load_problem(const dl_error *diag, void *userdata)
{
	check_run *run = userdata;
	run->say(diag, run->userdata);
	remember(run, diag);
}

static void on_check_problem(const dl_error *diag, void *userdata)
{
	check_run *run = userdata;
	if (!diag->line && run->refused)
		return; /* an element the reading said is missing (its fields have no place) */
	for (size_t i = 0; diag->line && i < run->at_count; i++)
		if (run->at[i][0] == diag->line && run->at[i][1] == diag->column)
			return;
	run->say(diag, run->userdata);
}

int api_check_sheet(srv *s, const char *data, size_t len, const char *name, bool partial,
		    dl_diag_fn say, void *userdata, dl_sheet **sheet, const dl_questionnaire **q,
		    dl_result **result, dl_error *err)
{
	*sheet = NULL;
	*q = NULL;
	*result = NULL;
	check_run run = {say, userdata, false, NULL, 0, 0};
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	opts.diag = on_load_problem;
	opts.diag_data = &run;
	int load_rc = dl_sheet_load_memory_to_check(sheet, data, len, name, &opts, err);
	int rc;
	if (!*sheet) {
		rc = load_rc < 0 ? load_rc : DL_EINVALID;
		goto done;
	}
	run.refused = load_rc < 0;
	*q = srv_edition_find(s, dl_sheet_questionnaire_id(*sheet),
			      dl_sheet_questionnaire_version(*sheet));
	if (!*q) {
		rc = DL_ENOTFOUND;
		goto done;
	}
	opts.diag = on_check_problem;
	dl_score_options so = DL_SCORE_OPTIONS_INIT;
	so.partial = partial;
	rc = dl_score_with(result, *q, *sheet, &opts, &so, err);
	if (run.refused) { /* the scoring only said what its answers mean */
		dl_result_free(*result);
		*result = NULL;
		rc = load_rc;
	}
done:
	free(run.at);
	return rc;
}

/* A problem or warning as one JSON object of sc->diagnostics. */
static void add(const dl_error *diag, void *userdata)
{
	api_scored *sc = userdata;
	srv_buf *b = &sc->diagnostics;
	srv_buf_puts(b, sc->diagnostic_count ? ",\n  " : "\n  ");
	srv_buf_printf(b, "{\"line\": %lu, \"column\": %lu, \"message\": ", diag->line, diag->column);
	srv_json_string(b, diag->message);
	srv_buf_puts(b, ", \"where\": ");
	srv_json_string(b, diag->file);
	srv_buf_puts(b, "}");
	sc->diagnostic_count++;
}

int api_score_sheet(srv *s, const char *data, size_t len, const char *name, bool partial, int target,
		    api_scored *sc)
{
	memset(sc, 0, sizeof *sc);
	dl_error err = {0};
	int rc = api_check_sheet(s, data, len, name, partial, add, sc, &sc->sheet, &sc->q,
				 &sc->result, &err);
	if (sc->sheet && !sc->q) {
		dl_error e = {0};
		snprintf(e.file, sizeof e.file, "%s", name);
		snprintf(e.message, sizeof e.message,
			 _("the sheet answers questionnaire '%s' version '%s', which this server does "
			   "not have"),
			 dl_sheet_questionnaire_id(sc->sheet), dl_sheet_questionnaire_version(sc->sheet));
		add(&e, sc);
		return DL_EINVALID;
	}
	if (rc < 0) {
		/* why it could not be read or scored, unless a problem said it (a refused sheet's
		 * problems always do) */
		if (sc->diagnostic_count == 0 && (!sc->sheet || rc != DL_ENOMEM))
			add(&err, sc);
		return rc;
	}
	if (target >= 0 && (rc = dl_plan_make(&sc->plan, sc->result, target, &err)) < 0) {
		add(&err, sc);
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
