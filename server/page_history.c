/*
 * page_history.c: an enterprise's history for the bureau and the supervisor (SRV_ARCHIVE): the
 * page GET /enterprises/{credit_code}/history and its exports GET
 * /api/enterprises/{credit_code}/history.csv and .json (docs/api.md).
 *
 * Two parts, both from srv_history_build (history.h), so the page and the files cannot disagree:
 * the audit entries about the enterprise (who, role, when, from where, what, the sheet's version
 * and SHA-256), and for every new version of one of its sheets the answers that changed from the
 * version before, with who saved it, when and why ("who changed which answer when").
 */
#include "access.h"
#include "district.h"
#include "history.h"
#include "pages_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The questionnaire a stored row was scored against, for the titles of its questions. */
static const dl_questionnaire *row_edition(const srv *s, const dl_store_row *row)
{
	return srv_edition_find(s, row->questionnaire_id, row->questionnaire_version);
}

/* The history of {credit_code}, refused (403) or answered (rs set) when it cannot be given. */
static int history_of(srv *s, const srv_request *rq, srv_response *rs, srv_history *h, bool page)
{
	const char *code = rq->param[0];
	memset(h, 0, sizeof *h);
	if (!srv_may(s, rq, SRV_ARCHIVE, code))
		return srv_refuse(s, rq, rs, code);
	dl_error err = {0};
	int rc = srv_history_build(s, code, h, &err);
	if (rc < 0) {
		srv_log("history of %s: %s", code, err.message);
		return page ? view_error_page(rq, rs, 500, _("History"), _("The store could not be read."))
			    : rc;
	}
	if (h->entry_count == 0 && h->version_count == 0) {
		dl_store_enterprise e;
		dl_store_row *rows = NULL;
		size_t n = 0;
		dl_store_filter f = {0};
		f.credit_code = code;
		f.drafts = true;
		f.limit = 1;
		bool known = dl_store_enterprise_get(s->store, code, &e, &err) == 0 ||
			     (dl_store_list(s->store, &f, &rows, &n, &err) == 0 && n > 0);
		free(rows);
		if (!known) {
			srv_history_free(h);
			const char *m = _("No enterprise with this credit code is known here.");
			return page ? view_error_page(rq, rs, 404, _("History"), m)
				    : srv_respond_error(rs, 404, m);
		}
	}
	return 0;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "—";
}

/* --- the page ---------------------------------------------------------------------------------- */

static void entries_table(html_page *p, const srv_history *h)
{
	html_el(p, p->main, "h2", _("Audit entries"));
	if (h->entry_count == 0) {
		html_el(p, p->main, "p", _("No entry is recorded about this enterprise yet."));
		return;
	}
	const char *heads[] = {_("when (UTC)"), _("who"),     _("role"),    _("from"),
			       _("what"),	_("sheet"),   _("version"), _("SHA-256"),
			       _("detail")};
	xmlNodePtr t = view_table(p, p->main, _("Oldest first; every change is recorded, with who made it"),
				  heads, sizeof heads / sizeof *heads);
	html_attr(p, t, "class", "history");
	for (size_t i = 0; i < h->entry_count; i++) {
		const dl_store_audit *e = &h->entries[i];
		xmlNodePtr tr = view_row(p, t);
		view_cell(p, tr, e->at);
		view_cell(p, tr, or_dash(e->user));
		view_cell(p, tr, e->role[0] ? district_role_title(e->role) : "—");
		view_cell(p, tr, or_dash(e->remote));
		view_cell(p, tr, srv_audit_action_title(e->action));
		char buf[48];
		if (e->sheet_id > 0) {
			char href[64];
			snprintf(buf, sizeof buf, "%lld", (long long)e->sheet_id);
			snprintf(href, sizeof href, "/sheets/%lld", (long long)e->sheet_id);
			if (strncmp(e->action, "sheet.", 6) == 0)
				html_link(p, view_cell(p, tr, NULL), href, buf);
			else
				view_cell(p, tr, buf);
		} else {
			view_cell(p, tr, "");
		}
		snprintf(buf, sizeof buf, "%lld", (long long)e->sheet_version);
		view_cell(p, tr, e->sheet_version > 0 ? buf : "");
		html_attr(p, view_cell(p, tr, e->sha256), "class", "digest");
		char words[sizeof e->detail + 64];
		srv_audit_detail_words(e->action, e->detail, words, sizeof words);
		view_cell(p, tr, words);
	}
}

static void version_changes(html_page *p, const srv *s, const srv_history_version *v)
{
	const dl_store_row *r = &v->row;
	char href[64], label[200];
	xmlNodePtr sec = html_el(p, p->main, "section", NULL);
	html_attr(p, sec, "class", "version");
	snprintf(label, sizeof label, _("%s No. %lld, version %lld"), view_phase_title(r->phase),
		 (long long)r->id, (long long)r->version);
	snprintf(href, sizeof href, "/sheets/%lld", (long long)r->id);
	html_link(p, html_el(p, sec, "h3", NULL), href, label);
	xmlNodePtr dl = html_el(p, sec, "dl", NULL);
	html_attr(p, dl, "class", "figures");
	html_el(p, dl, "dt", _("saved by"));
	if (*v->role)
		html_elf(p, dl, "dd", "%s（%s）", or_dash(r->author), district_role_title(v->role));
	else
		html_el(p, dl, "dd", or_dash(r->author));
	html_el(p, dl, "dt", _("saved at (UTC)"));
	html_el(p, dl, "dd", r->received);
	html_el(p, dl, "dt", _("state"));
	html_el(p, dl, "dd", r->draft ? _("draft (provisional)") : _("finished"));
	html_el(p, dl, "dt", _("reason for the change"));
	html_el(p, dl, "dd", or_dash(r->reason));
	html_el(p, dl, "dt", "SHA-256");
	html_attr(p, html_el(p, dl, "dd", r->sha256), "class", "digest");
	if (!v->readable) {
		html_el(p, sec, "p", _("One of the two versions cannot be read any more: its answers "
				       "cannot be compared."));
		return;
	}
	if (v->change_count == 0) {
		html_el(p, sec, "p", _("No answer changed from the version before (other parts of the "
				       "sheet may have)."));
		return;
	}
	const char *heads[] = {_("kind"), _("id"), _("question"), _("before"), _("after")};
	char caption[200];
	snprintf(caption, sizeof caption, _("Answers changed from version %lld"),
		 (long long)r->version - 1);
	xmlNodePtr t = view_table(p, sec, caption, heads, 5);
	html_attr(p, t, "class", "changes");
	const dl_questionnaire *q = row_edition(s, r);
	for (size_t i = 0; i < v->change_count; i++) {
		const srv_change *c = &v->changes[i];
		xmlNodePtr tr = view_row(p, t);
		view_cell(p, tr, srv_change_kind_title(c->kind));
		view_cell(p, tr, c->id);
		view_cell(p, tr, srv_change_title(q, c));
		html_attr(p, view_cell(p, tr, or_dash(c->before)), "class", "before");
		html_attr(p, view_cell(p, tr, or_dash(c->after)), "class", "after");
	}
}

int page_history(srv *s, const srv_request *rq, srv_response *rs)
{
	srv_history h;
	int rc = history_of(s, rq, rs, &h, true);
	if (rc < 0 || rs->status)
		return rc;
	const char *code = rq->param[0];
	char title[400];
	snprintf(title, sizeof title, _("History of %s (%s)"), h.name[0] ? h.name : _("enterprise"), code);
	html_page p;
	if ((rc = html_page_new(&p, rq, title)) < 0) {
		srv_history_free(&h);
		return rc;
	}
	char href[128];
	xmlNodePtr ul = html_el(&p, p.main, "ul", NULL);
	html_attr(&p, ul, "class", "downloads");
	snprintf(href, sizeof href, "/enterprises/%s", code);
	html_link(&p, html_el(&p, ul, "li", NULL), href, _("The enterprise's sheets and comparison"));
	snprintf(href, sizeof href, "/api/enterprises/%s/history.csv", code);
	html_link(&p, html_el(&p, ul, "li", NULL), href, _("The changed answers (CSV)"));
	snprintf(href, sizeof href, "/api/enterprises/%s/history.csv?table=audit", code);
	html_link(&p, html_el(&p, ul, "li", NULL), href, _("The audit entries (CSV)"));
	snprintf(href, sizeof href, "/api/enterprises/%s/history.json", code);
	html_link(&p, html_el(&p, ul, "li", NULL), href, _("Everything (JSON)"));

	html_el(&p, p.main, "h2", _("Who changed which answer when"));
	if (h.version_count == 0)
		html_el(&p, p.main, "p", _("No sheet of this enterprise has been changed after it was "
					   "first saved."));
	for (size_t i = h.version_count; i-- > 0;) /* newest first */
		version_changes(&p, s, &h.versions[i]);
	entries_table(&p, &h);
	srv_history_free(&h);
	return html_finish(&p, rs, 200);
}

/* --- the exports -------------------------------------------------------------------------------- */

static void cell(srv_buf *b, const char *text, bool last)
{
	dl_csv_write_cell(text, DL_CSV_TEXT, last, srv_buf_write, b);
}

static void number_cell(srv_buf *b, int64_t n, bool last)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", (long long)n);
	dl_csv_write_cell(n > 0 ? buf : "", DL_CSV_NUMBER, last, srv_buf_write, b);
}

int api_enterprise_history_csv(srv *s, const srv_request *rq, srv_response *rs)
{
	const char *table = srv_query(rq, "table");
	bool audit = table && strcmp(table, "audit") == 0;
	if (table && *table && !audit && strcmp(table, "changes") != 0)
		return srv_respond_error(rs, 400, _("the history has the tables changes and audit"));
	srv_history h;
	int rc = history_of(s, rq, rs, &h, false);
	if (rc < 0 || rs->status)
		return rc;
	srv_buf b = {0};
	srv_buf_puts(&b, "\xEF\xBB\xBF"); /* UTF-8 with a BOM, as the archive's CSV: Excel reads it */
	if (audit) {
		const char *heads[] = {_("seq"),  _("when (UTC)"), _("who"),	 _("role"),
				       _("from"), _("what"),	   _("action code"),	 _("sheet"),
				       _("version"), _("SHA-256"), _("detail")};
		for (size_t k = 0; k < 11; k++)
			cell(&b, heads[k], k == 10);
		for (size_t i = 0; i < h.entry_count; i++) {
			const dl_store_audit *e = &h.entries[i];
			number_cell(&b, e->seq, false);
			cell(&b, e->at, false);
			cell(&b, e->user, false);
			cell(&b, e->role, false);
			cell(&b, e->remote, false);
			cell(&b, srv_audit_action_title(e->action), false);
			cell(&b, e->action, false);
			number_cell(&b, e->sheet_id, false);
			number_cell(&b, e->sheet_version, false);
			cell(&b, e->sha256, false);
			cell(&b, e->detail, true);
		}
	} else {
		const char *heads[] = {_("when (UTC)"), _("who"),     _("role"),     _("sheet"),
				       _("version"),    _("SHA-256"), _("reason for the change"),
				       _("kind"),       _("id"),      _("question"), _("before"),
				       _("after")};
		for (size_t k = 0; k < 12; k++)
			cell(&b, heads[k], k == 11);
		for (size_t i = 0; i < h.version_count; i++) {
			const srv_history_version *v = &h.versions[i];
			const dl_questionnaire *q = row_edition(s, &v->row);
			for (size_t j = 0; j < v->change_count; j++) {
				const srv_change *c = &v->changes[j];
				cell(&b, v->row.received, false);
				cell(&b, v->row.author, false);
				cell(&b, v->role, false);
				number_cell(&b, v->row.id, false);
				number_cell(&b, v->row.version, false);
				cell(&b, v->row.sha256, false);
				cell(&b, v->row.reason, false);
				cell(&b, srv_change_kind_name(c->kind), false);
				cell(&b, c->id, false);
				cell(&b, srv_change_title(q, c), false);
				cell(&b, c->before, false);
				cell(&b, c->after, true);
			}
		}
	}
	srv_history_free(&h);
	snprintf(rs->disposition, sizeof rs->disposition,
		 "attachment; filename=\"history-%.32s-%s.csv\"", rq->param[0], audit ? "audit" : "changes");
	return srv_respond_buf(rs, 200, "text/csv; charset=utf-8", &b);
}

int api_enterprise_history_json(srv *s, const srv_request *rq, srv_response *rs)
{
	srv_history h;
	int rc = history_of(s, rq, rs, &h, false);
	if (rc < 0 || rs->status)
		return rc;
	srv_buf b = {0};
	srv_buf_puts(&b, "{\"credit_code\": ");
	srv_json_string(&b, rq->param[0]);
	srv_buf_puts(&b, ", \"name\": ");
	srv_json_string(&b, h.name);
	srv_buf_puts(&b, ",\n \"changes\": [");
	for (size_t i = 0; i < h.version_count; i++) {
		const srv_history_version *v = &h.versions[i];
		const dl_questionnaire *q = row_edition(s, &v->row);
		srv_buf_printf(&b, "%s\n  {\"sheet\": %lld, \"version\": %lld, \"replaces\": %lld, \"phase\": ",
			       i ? "," : "", (long long)v->row.id, (long long)v->row.version,
			       (long long)v->previous_id);
		srv_json_string(&b, v->row.phase);
		srv_buf_puts(&b, ", \"author\": ");
		srv_json_string(&b, v->row.author);
		srv_buf_puts(&b, ", \"role\": ");
		srv_json_string(&b, v->role);
		srv_buf_puts(&b, ", \"received\": ");
		srv_json_string(&b, v->row.received);
		srv_buf_printf(&b, ", \"draft\": %s, \"sha256\": ", v->row.draft ? "true" : "false");
		srv_json_string(&b, v->row.sha256);
		srv_buf_puts(&b, ", \"reason\": ");
		srv_json_string(&b, v->row.reason);
		srv_buf_printf(&b, ", \"readable\": %s, \"answers\": [", v->readable ? "true" : "false");
		for (size_t j = 0; j < v->change_count; j++) {
			const srv_change *c = &v->changes[j];
			srv_buf_printf(&b, "%s\n    {\"kind\": \"%s\", \"id\": ", j ? "," : "",
				       srv_change_kind_name(c->kind));
			srv_json_string(&b, c->id);
			srv_buf_puts(&b, ", \"question\": ");
			srv_json_string(&b, srv_change_title(q, c));
			srv_buf_puts(&b, ", \"before\": ");
			srv_json_string(&b, c->before);
			srv_buf_puts(&b, ", \"after\": ");
			srv_json_string(&b, c->after);
			srv_buf_puts(&b, "}");
		}
		srv_buf_puts(&b, v->change_count ? "\n  ]}" : "]}");
	}
	srv_buf_puts(&b, h.version_count ? "\n ],\n \"audit\": [" : "],\n \"audit\": [");
	for (size_t i = 0; i < h.entry_count; i++) {
		const dl_store_audit *e = &h.entries[i];
		srv_buf_printf(&b, "%s\n  {\"seq\": %lld, \"at\": ", i ? "," : "", (long long)e->seq);
		srv_json_string(&b, e->at);
		srv_buf_puts(&b, ", \"user\": ");
		srv_json_string(&b, e->user);
		srv_buf_puts(&b, ", \"role\": ");
		srv_json_string(&b, e->role);
		srv_buf_puts(&b, ", \"remote\": ");
		srv_json_string(&b, e->remote);
		srv_buf_puts(&b, ", \"action\": ");
		srv_json_string(&b, e->action);
		srv_buf_printf(&b, ", \"sheet\": %lld, \"version\": %lld, \"sha256\": ",
			       (long long)e->sheet_id, (long long)e->sheet_version);
		srv_json_string(&b, e->sha256);
		srv_buf_puts(&b, ", \"detail\": ");
		srv_json_string(&b, e->detail);
		srv_buf_puts(&b, ", \"hash\": ");
		srv_json_string(&b, e->hash);
		srv_buf_puts(&b, "}");
	}
	srv_buf_puts(&b, h.entry_count ? "\n ]}\n" : "]}\n");
	srv_history_free(&h);
	return srv_respond_buf(rs, 200, "application/json; charset=utf-8", &b);
}
