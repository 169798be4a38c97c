/*
 * page_form.c: the pages a person fills a sheet in with: choosing what to start (GET /new), the
 * blank form (GET /new/{phase}), the form of a stored sheet (GET /sheets/{id}/edit), saving
 * (POST /sheets) and the provisional score while typing (POST /form/score).
 *
 * Saving checks the form exactly as `digilevel validate` checks a file (form_sheet.c). A draft
 * ("保存草稿") is kept whenever its values can be read, scored provisionally; a finished sheet
 * ("提交") only when it is complete and correct. Otherwise the same form comes back (422) with every
 * mistake next to its field and every value as typed: nothing a person typed is lost.
 */
#include "pages_form.h"

#include "access.h"
#include "api.h"
#include "auth.h"
#include "derive.h"

#include <libxml/uri.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool known_phase(const char *phase)
{
	return phase && (strcmp(phase, "self-check") == 0 || strcmp(phase, "diagnosis") == 0 ||
			 strcmp(phase, "evaluation") == 0);
}

/* An error page (a person's browser gets a page, not JSON). */
static int error_page(const srv_request *rq, srv_response *rs, int status, const char *message)
{
	html_page p;
	int rc = html_page_new(&p, rq, _("This page cannot be shown"));
	if (rc)
		return rc;
	html_el(&p, p.main, "p", message);
	html_link(&p, html_el(&p, p.main, "p", NULL), "/new", _("Start an assessment"));
	return html_finish(&p, rs, status);
}

int page_new(srv *s, const srv_request *rq, srv_response *rs)
{
	(void)rq;
	html_page p;
	int rc = html_page_new(&p, rq, _("Start an assessment"));
	if (rc)
		return rc;
	html_el(&p, p.main, "p",
		_("Choose what to fill in. Every question of the questionnaire is on one page; you can "
		  "save a draft at any time and come back to it."));
	static const char *const phases[] = {"self-check", "diagnosis", "evaluation"};
	const char *about[] = {
		_("the enterprise assesses itself"),
		_("the integrator's diagnosis before the retrofit"),
		_("the third-party evaluation after the retrofit, with the retrofit project"),
	};
	for (size_t e = 0; e < s->edition_count; e++) {
		const dl_questionnaire *q = s->editions[e].q;
		xmlNodePtr sec = html_el(&p, p.main, "section", NULL);
		html_attr(&p, sec, "class", "part");
		html_elf(&p, sec, "h2", "%s（%s）", dl_questionnaire_title(q), dl_questionnaire_version(q));
		xmlNodePtr ul = html_el(&p, sec, "ul", NULL);
		html_attr(&p, ul, "class", "starts");
		for (size_t k = 0; k < 3; k++) {
			if (!srv_may(s, rq, srv_write_action(phases[k]), NULL))
				continue;
			xmlNodePtr li = html_el(&p, ul, "li", NULL);
			xmlChar *qid = xmlURIEscapeStr((const xmlChar *)dl_questionnaire_id(q), NULL);
			xmlChar *ver = xmlURIEscapeStr((const xmlChar *)dl_questionnaire_version(q), NULL);
			char href[512];
			snprintf(href, sizeof href, "/new/%s?q=%s&v=%s", phases[k], qid ? (char *)qid : "",
				 ver ? (char *)ver : "");
			xmlFree(qid);
			xmlFree(ver);
			xmlNodePtr a = html_link(&p, li, href, page_form_phase_title(phases[k]));
			html_attr(&p, a, "class", "button");
			html_attr(&p, html_el(&p, li, "span", about[k]), "class", "hint");
		}
	}
	return html_finish(&p, rs, 200);
}

/* The edition a form or a link names: by id and version, or the only one. */
static const dl_questionnaire *edition(const srv *s, const char *id, const char *version)
{
	if (id && *id)
		return srv_edition_find(s, id, version && *version ? version : NULL);
	return s->edition_count == 1 ? s->editions[0].q : NULL;
}

static int form_page(srv_response *rs, int status, const form_view *v)
{
	html_page p;
	char title[200];
	snprintf(title, sizeof title, _("%s: the questionnaire"), page_form_phase_title(v->phase));
	int rc = html_page_new(&p, v->rq, title);
	if (rc)
		return rc;
	page_form_draw(&p, v);
	return html_finish(&p, rs, status);
}

int page_new_form(srv *s, const srv_request *rq, srv_response *rs)
{
	const char *phase = rq->param[0];
	if (!known_phase(phase))
		return error_page(rq, rs, 404, _("There is no such kind of assessment: choose a self-check, a "
					     "diagnosis or an evaluation."));
	if (!srv_may(s, rq, srv_write_action(phase), NULL))
		return srv_refuse(s, rq, rs, NULL);
	const dl_questionnaire *q = edition(s, srv_query(rq, "q"), srv_query(rq, "v"));
	if (!q)
		return error_page(rq, rs, 404, _("There is no such questionnaire edition."));
	form_view v = {rq, s, q, phase, NULL, 0, NULL, NULL, 0, NULL, false, NULL};
	return form_page(rs, 200, &v);
}

/* Copy src into dst, cut at a character boundary when it is too long. */
static void copy_text(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);
	if (len >= size)
		for (len = size - 1; len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80; len--)
			;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* The derived fields of a stored row, as every stored sheet gets them (srv_derive). A draft that
 * can be read but not scored yet (the enterprise's name still missing, say) is kept all the same,
 * without a score (level -1). Returns 0 or the library's code. */
static int derive(const srv *s, const form_check *c, const dl_questionnaire *q, bool draft,
		  dl_store_row *row)
{
	dl_error err = {0};
	int rc = srv_derive(s, c->xml.xml, c->xml.len, "form.xml", draft, row, &err);
	if (rc == 0 || !draft || rc == DL_ENOMEM)
		return rc;
	memset(row, 0, sizeof *row);
	copy_text(row->credit_code, sizeof row->credit_code,
		  dl_sheet_enterprise(c->sheet, DL_ENTERPRISE_CREDIT_CODE));
	copy_text(row->name, sizeof row->name, dl_sheet_enterprise(c->sheet, DL_ENTERPRISE_NAME));
	copy_text(row->phase, sizeof row->phase, dl_phase_name(dl_sheet_phase(c->sheet)));
	copy_text(row->date, sizeof row->date, dl_sheet_date(c->sheet));
	copy_text(row->questionnaire_id, sizeof row->questionnaire_id, dl_questionnaire_id(q));
	copy_text(row->questionnaire_version, sizeof row->questionnaire_version,
		  dl_questionnaire_version(q));
	copy_text(row->questionnaire_sha256, sizeof row->questionnaire_sha256,
		  dl_questionnaire_digest(q));
	row->draft = true;
	row->level = -1;
	return 0;
}

static int64_t parse_id(const char *s)
{
	if (!s || !*s)
		return 0;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	return (*end || errno || v <= 0) ? -1 : (int64_t)v;
}

/* Whether the lineage of version id ends in a submitted evaluation: a new version of it needs a
 * reason (the store refuses one without, DL_EFROZEN). */
static bool frozen_lineage(srv *s, const srv_request *rq, int64_t id)
{
	dl_store_row row;
	dl_error err = {0};
	/* a version the account may not replace says nothing: the refusal (403) comes later */
	if (id <= 0 || dl_store_get(s->store, id, &row, NULL, NULL, &err) < 0 ||
	    !srv_may_replace(s, rq, &row))
		return false;
	dl_store_filter f = {0};
	f.lineage = row.lineage;
	f.drafts = true;
	dl_store_row *rows = NULL;
	size_t count = 0;
	bool frozen = false;
	if (dl_store_list(s->store, &f, &rows, &count, &err) == 0 && count > 0)
		frozen = strcmp(rows[0].phase, "evaluation") == 0 && !rows[0].draft;
	free(rows);
	return frozen;
}

/* 409: someone else saved version newer of the lineage since this form was opened, and nothing
 * was stored. The form again, with what was typed, and a sentence saying so; it still replaces the
 * version it was opened from, so that saving it again cannot silently undo the other's work.
 * Frees c. */
static int conflict_page(srv_response *rs, const srv_request *rq, srv *s, const dl_questionnaire *q,
			 const char *phase, form_check *c, int64_t replaces, bool frozen,
			 const dl_store_row *newer)
{
	dl_result *bands = NULL;
	int rc = 0;
	if (!c->result && (rc = form_sheet_bands(q, rq->fields, rq->field_count, &bands)) != 0) {
		form_check_free(c);
		return rc;
	}
	char notice[512];
	snprintf(notice, sizeof notice,
		 _("Someone else saved version %lld of this sheet meanwhile, so this was not saved. "
		   "What you typed is kept below: open version %lld again (sheet %lld) and make your "
		   "changes there."),
		 (long long)newer->version, (long long)newer->version, (long long)newer->id);
	form_view v = {rq, s, q, phase, rq->fields, rq->field_count, c, bands, replaces, notice,
		       frozen, NULL};
	rc = form_page(rs, 409, &v);
	dl_result_free(bands);
	form_check_free(c);
	return rc;
}

int page_sheet_save(srv *s, const srv_request *rq, srv_response *rs)
{
	const srv_field *f = rq->fields;
	size_t n = rq->field_count;
	const char *phase = form_value(f, n, "phase");
	const dl_questionnaire *q = edition(s, form_value(f, n, "questionnaire"), form_value(f, n, "version"));
	int64_t replaces = parse_id(form_value(f, n, "replaces"));
	if (!q || !known_phase(phase) || replaces < 0)
		return error_page(rq, rs, 400, _("The form is incomplete: start the assessment again from "
					     "the start page."));
	const char *action = form_value(f, n, "action");
	bool draft = !action || strcmp(action, "submit") != 0;
	/* a new version of a submitted evaluation says why (修改原因) */
	const char *reason = form_value(f, n, "reason");
	bool frozen = frozen_lineage(s, rq, replaces);
	const char *reason_error = NULL;
	if (reason && !api_reason_ok(reason))
		reason_error = _("Write the reason on one line, in at most 255 bytes.");
	else if (frozen && (!reason || !reason[strspn(reason, " \t")]))
		reason_error = _("This evaluation was submitted: write why it is changed.");
	form_check c;
	int rc = form_sheet_check(q, f, n, draft, &c);
	if (rc)
		return rc;
	/* a draft is kept when it can be read; a finished sheet when nothing is wrong or missing */
	bool store = draft ? c.sheet != NULL
			   : c.refusals == 0 && c.result && !dl_result_provisional(c.result);
	if (!store || reason_error) {
		dl_result *bands = NULL;
		if (!c.result && (rc = form_sheet_bands(q, f, n, &bands)) != 0) {
			form_check_free(&c);
			return rc;
		}
		form_view v = {rq, s, q, phase, f, n, &c, bands, replaces, draft ? _("The draft was not saved: some "
									   "values cannot be read as they "
									   "are. They are marked below.")
								       : NULL, false, NULL};
		v.frozen = frozen;
		v.reason_error = reason_error;
		if (store) /* only the reason is missing */
			v.notice = NULL;
		rc = form_page(rs, store ? 409 : 422, &v);
		dl_result_free(bands);
		form_check_free(&c);
		return rc;
	}
	dl_store_sheet put = {c.xml.xml, c.xml.len, replaces, {0}, {NULL, NULL, NULL}, NULL};
	put.reason = reason;
	dl_store_row row;
	dl_error err = {0};
	rc = derive(s, &c, q, draft, &put.fields);
	if (rc == 0 && !srv_may_store(s, rq, &put.fields, replaces)) {
		form_check_free(&c);
		return srv_refuse(s, rq, rs, put.fields.credit_code);
	}
	srv_actor(rq, &put.by);
	if (rc == 0)
		rc = dl_store_put(s->store, &put, &row, &err);
	if (rc == DL_ECONFLICT) /* row: the version someone else saved since this form was opened */
		return conflict_page(rs, rq, s, q, phase, &c, replaces, frozen, &row);
	form_check_free(&c);
	if (rc == DL_ENOTFOUND)
		return error_page(rq, rs, 404, _("The sheet this form was editing is not in the store."));
	if (rc == DL_EFROZEN) /* submitted meanwhile, by someone else */
		return error_page(rq, rs, 409, _("This evaluation was submitted meanwhile: open it again "
					     "and write why it is changed."));
	if (rc) {
		srv_log("store: %s", err.message);
		return rc;
	}
	char where[64];
	if (draft)
		snprintf(where, sizeof where, "/sheets/%lld/edit?saved=1", (long long)row.id);
	else
		snprintf(where, sizeof where, "/sheets/%lld", (long long)row.id);
	srv_log("%s stored sheet %lld (%s)", rq->remote ? rq->remote : "-", (long long)row.id,
		draft ? "draft" : "finished");
	return srv_respond_redirect(rs, where);
}

int page_sheet_edit(srv *s, const srv_request *rq, srv_response *rs)
{
	int64_t id = parse_id(rq->param[0]);
	if (id <= 0)
		return error_page(rq, rs, 404, _("There is no such sheet."));
	char *xml = NULL;
	size_t len = 0;
	dl_store_row row;
	dl_error err = {0};
	int rc = dl_store_get(s->store, id, &row, &xml, &len, &err);
	if (rc == DL_ENOTFOUND)
		return error_page(rq, rs, 404, _("There is no such sheet."));
	if (rc) {
		srv_log("store: %s", err.message);
		return rc;
	}
	if (!srv_may_replace(s, rq, &row)) {
		free(xml);
		return srv_refuse(s, rq, rs, row.credit_code);
	}
	form_fields f;
	rc = form_sheet_fields(xml, len, &f);
	free(xml);
	if (rc == DL_EINVALID)
		return error_page(rq, rs, 422, _("This sheet cannot be shown as a form."));
	if (rc)
		return rc;
	const char *phase = form_value(f.v, f.n, "phase");
	const dl_questionnaire *q = edition(s, form_value(f.v, f.n, "questionnaire"),
					    form_value(f.v, f.n, "version"));
	if (!q || !known_phase(phase)) {
		form_fields_free(&f);
		return error_page(rq, rs, 422, _("The questionnaire edition of this sheet is not loaded."));
	}
	form_check c;
	dl_result *bands = NULL;
	rc = form_sheet_check(q, f.v, f.n, true, &c);
	if (rc == 0 && !c.result)
		rc = form_sheet_bands(q, f.v, f.n, &bands);
	if (rc == 0) {
		const char *saved = srv_query(rq, "saved");
		char notice[300];
		snprintf(notice, sizeof notice, _("The draft was saved (sheet %lld, version %lld)."),
			 (long long)row.id, (long long)row.version);
		form_view v = {rq, s, q, phase, f.v, f.n, &c, bands, id, saved ? notice : NULL, false, NULL};
		v.frozen = frozen_lineage(s, rq, id);
		rc = form_page(rs, 200, &v);
	}
	dl_result_free(bands);
	form_check_free(&c);
	form_fields_free(&f);
	return rc;
}

int page_form_score(srv *s, const srv_request *rq, srv_response *rs)
{
	if (!srv_may(s, rq, SRV_SCORE, NULL))
		return srv_refuse(s, rq, rs, NULL);
	const srv_field *f = rq->fields;
	size_t n = rq->field_count;
	const dl_questionnaire *q = edition(s, form_value(f, n, "questionnaire"), form_value(f, n, "version"));
	if (!q)
		return srv_respond_error(rs, 400, _("the form names no questionnaire edition the server has"));
	form_check c;
	dl_result *bands = NULL;
	int rc = form_sheet_check(q, f, n, true, &c);
	if (rc)
		return rc;
	if (!c.result && (rc = form_sheet_bands(q, f, n, &bands)) != 0) {
		form_check_free(&c);
		return rc;
	}
	srv_buf b = {0};
	const dl_result *r = c.result;
	if (r) {
		char total[32], t[600];
		dl_points_format(dl_result_total(r), total, sizeof total);
		snprintf(t, sizeof t,
			 dl_result_provisional(r)
				 ? _("Provisional score: %s points, %s (%zu questions and scenarios not "
				     "answered yet count as nothing)")
				 : _("Score: %s points, %s"),
			 total, dl_questionnaire_level_name(q, dl_result_level(r)),
			 dl_result_unanswered_count(r));
		srv_buf_printf(&b, "{\"total\": \"%s\", \"level\": %d, \"text\": ", total, dl_result_level(r));
		srv_json_string(&b, t);
	} else {
		srv_buf_puts(&b, "{\"total\": null, \"level\": null, \"text\": ");
		srv_json_string(&b, _("No provisional score yet: the sheet has mistakes."));
	}
	srv_buf_printf(&b, ", \"mistakes\": %zu, \"bands\": {", c.refusals);
	for (size_t qi = 0, first = 1; qi < dl_questionnaire_question_count(q); qi++) {
		if (dl_questionnaire_question_input(q, qi) == DL_INPUT_CHOICE &&
		    dl_questionnaire_question_field_count(q, qi) == 0)
			continue;
		char band[1024];
		page_form_band(r ? r : bands, qi, band, sizeof band);
		if (!first)
			srv_buf_puts(&b, ", ");
		first = 0;
		srv_json_string(&b, dl_questionnaire_question_id(q, qi));
		srv_buf_puts(&b, ": ");
		srv_json_string(&b, band);
	}
	srv_buf_puts(&b, "}}\n");
	dl_result_free(bands);
	form_check_free(&c);
	return srv_respond_buf(rs, 200, "application/json; charset=utf-8", &b);
}
