/*
 * page_sheets.c: the list of stored sheets (GET /sheets, filtered by credit code and phase, drafts
 * marked), one enterprise's page (GET /enterprises/{code}: its sheets, the pair that stands for it
 * compared under a policy chosen from a list, with the links to the comparison JSON and the
 * 验收意见 PDF), and the helpers the view pages share (tables, phase and level names, error pages).
 *
 * The pair is chosen by srv_standing_pair (standing.h), the same call the API makes, so the page
 * shows what /api/enterprises/{code}/compare answers and what the dashboard counts.
 */
#include "access.h"
#include "pages_view.h"
#include "standing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages_district.h"

/* --- shared helpers ------------------------------------------------------------------------------ */

const char *view_param(const srv_request *rq, const char *name)
{
	const char *v = rq->conn ? srv_query(rq, name) : NULL;
	if (!v) {
		const srv_field *f = srv_field_get(rq, name);
		v = f && !f->filename ? f->value : NULL;
	}
	return v;
}

xmlNodePtr view_table(html_page *p, xmlNodePtr parent, const char *caption,
		      const char *const *heads, size_t count)
{
	xmlNodePtr wrap = html_el(p, parent, "div", NULL); /* scrolls sideways on a phone */
	html_attr(p, wrap, "class", "table-wrap");
	xmlNodePtr t = html_el(p, wrap, "table", NULL);
	if (caption)
		html_el(p, t, "caption", caption);
	xmlNodePtr tr = html_el(p, html_el(p, t, "thead", NULL), "tr", NULL);
	for (size_t i = 0; i < count; i++)
		html_attr(p, html_el(p, tr, "th", heads[i]), "scope", "col");
	html_el(p, t, "tbody", NULL);
	return t;
}

xmlNodePtr view_row(html_page *p, xmlNodePtr table)
{
	xmlNodePtr body = table ? xmlGetLastChild(table) : NULL;
	return html_el(p, body, "tr", NULL);
}

xmlNodePtr view_cell(html_page *p, xmlNodePtr row, const char *text)
{
	return html_el(p, row, "td", text);
}

const char *view_phase_title(const char *phase_name)
{
	static const dl_phase phases[] = {DL_PHASE_SELF_CHECK, DL_PHASE_DIAGNOSIS, DL_PHASE_EVALUATION};
	for (size_t i = 0; i < 3; i++)
		if (strcmp(phase_name, dl_phase_name(phases[i])) == 0)
			return dl_phase_title(phases[i]);
	return phase_name;
}

const char *view_level_name(const srv *s, const dl_store_row *row)
{
	const dl_questionnaire *q =
	    srv_edition_find(s, row->questionnaire_id, row->questionnaire_version);
	return q && row->level >= 0 ? dl_questionnaire_level_name(q, row->level) : "";
}

void view_rows_table(html_page *p, xmlNodePtr parent, const srv *s, const char *caption,
		     const dl_store_row *rows, size_t count)
{
	const char *heads[] = {_("sheet"),	 _("enterprise"), _("credit code"), _("phase"),
			       _("assessed on"), _("level"),	  _("total"),	    _("state"),
			       _("saved (UTC)")};
	xmlNodePtr t = view_table(p, parent, caption, heads, sizeof heads / sizeof *heads);
	for (size_t i = 0; i < count; i++) {
		const dl_store_row *r = &rows[i];
		char href[96], label[64];
		xmlNodePtr tr = view_row(p, t);
		if (r->draft)
			html_attr(p, tr, "class", "draft");
		snprintf(href, sizeof href, "/sheets/%lld", (long long)r->id);
		snprintf(label, sizeof label, _("No. %lld (version %lld)"), (long long)r->id,
			 (long long)r->version);
		html_link(p, view_cell(p, tr, NULL), href, label);
		view_cell(p, tr, r->name[0] ? r->name : _("(no name yet)"));
		if (r->credit_code[0]) {
			char code[96];
			snprintf(code, sizeof code, "/enterprises/%s", r->credit_code);
			html_link(p, view_cell(p, tr, NULL), code, r->credit_code);
		} else {
			view_cell(p, tr, "");
		}
		view_cell(p, tr, view_phase_title(r->phase));
		view_cell(p, tr, r->date);
		view_cell(p, tr, view_level_name(s, r));
		view_cell(p, tr, r->total);
		view_cell(p, tr, r->draft ? _("draft (provisional)") : _("finished"));
		view_cell(p, tr, r->received);
	}
	if (count == 0)
		html_el(p, parent, "p", _("No sheet is stored that fits."));
}

const dl_policy *view_default_policy(const srv *s, const dl_targets *t)
{
	if (!t && s->targets_count)
		t = s->targets[0].targets;
	for (size_t i = 0; t && i < s->policy_count; i++) {
		const dl_policy *p = s->policies[i].policy;
		if (*dl_targets_issuer(t) && strcmp(dl_policy_issuer(p), dl_targets_issuer(t)) == 0 &&
		    strcmp(dl_policy_questionnaire_id(p), dl_targets_questionnaire_id(t)) == 0 &&
		    strcmp(dl_policy_questionnaire_version(p), dl_targets_questionnaire_version(t)) == 0)
			return p;
	}
	return srv_policy_find(s, NULL);
}

int view_error_page(const srv_request *rq, srv_response *rs, int status, const char *title, const char *message)
{
	html_page p;
	if (html_page_new(&p, rq, title) < 0)
		return srv_respond_error(rs, status, message);
	xmlNodePtr m = html_el(&p, p.main, "p", message);
	html_attr(&p, m, "class", "error");
	html_attr(&p, m, "role", "alert");
	return html_finish(&p, rs, status);
}

/* --- GET /sheets ------------------------------------------------------------------------------- */

/* A <label> and its control, in a div of the form. */
static xmlNodePtr labelled(html_page *p, xmlNodePtr form, const char *id, const char *label,
			   const char *tag)
{
	xmlNodePtr div = html_el(p, form, "div", NULL);
	html_attr(p, div, "class", "field");
	html_attr(p, html_el(p, div, "label", label), "for", id);
	xmlNodePtr c = html_el(p, div, tag, NULL);
	html_attr(p, c, "id", id);
	html_attr(p, c, "name", id);
	return c;
}

static void option(html_page *p, xmlNodePtr select, const char *value, const char *text,
		   const char *current)
{
	xmlNodePtr o = html_el(p, select, "option", text);
	html_attr(p, o, "value", value);
	if (current && strcmp(current, value) == 0)
		html_attr(p, o, "selected", NULL);
}

/* District mode: an integrator's or evaluator's enterprises, as the bureau assigned them, so that
 * its work is in sight before anything of it is stored. */
static void assigned_enterprises(html_page *p, srv *s, const srv_request *rq)
{
	const char *role = rq->who ? rq->who->user.role : "";
	if (!s->district || (strcmp(role, DL_ROLE_INTEGRATOR) != 0 && strcmp(role, DL_ROLE_EVALUATOR) != 0))
		return;
	dl_store_enterprise *list = NULL;
	size_t count = 0, shown = 0;
	dl_error err = {0};
	if (dl_store_enterprise_list(s->store, &list, &count, &err) < 0) {
		srv_log("GET /sheets: %s", err.message);
		return;
	}
	html_el(p, p->main, "h2", _("The enterprises assigned to you"));
	xmlNodePtr ul = html_el(p, p->main, "ul", NULL);
	html_attr(p, ul, "id", "assigned");
	for (size_t i = 0; i < count; i++) {
		const dl_store_enterprise *e = &list[i];
		if (strcmp(role, DL_ROLE_INTEGRATOR) == 0 ? strcmp(e->integrator, rq->who->user.name) != 0
							  : strcmp(e->evaluator, rq->who->user.name) != 0)
			continue;
		char href[96], label[320];
		snprintf(href, sizeof href, "/enterprises/%s", e->credit_code);
		snprintf(label, sizeof label, "%s（%s）", e->name[0] ? e->name : _("(no name yet)"),
			 e->credit_code);
		html_link(p, html_el(p, ul, "li", NULL), href, label);
		shown++;
	}
	if (!shown)
		html_el(p, p->main, "p", _("No enterprise is assigned to you yet: the district's bureau "
					   "assigns them."));
	free(list);
}

int page_sheets(srv *s, const srv_request *rq, srv_response *rs)
{
	const char *code = view_param(rq, "credit_code"), *phase = view_param(rq, "phase");
	if (code && (!*code || strlen(code) > 64))
		code = NULL;
	if (phase && strcmp(phase, "diagnosis") != 0 && strcmp(phase, "evaluation") != 0 &&
	    strcmp(phase, "self-check") != 0)
		phase = NULL;
	dl_store_filter f = {0};
	f.credit_code = code;
	f.phase = phase;
	f.drafts = true;
	f.limit = 1000;
	dl_store_row *rows = NULL;
	size_t count = 0;
	dl_error err;
	int rc = dl_store_list(s->store, &f, &rows, &count, &err);
	if (rc < 0) {
		srv_log("GET /sheets: %s", err.message);
		return view_error_page(rq, rs, 500, _("Stored sheets"), _("The store could not be read."));
	}
	srv_rows_visible(s, rq, rows, &count);
	html_page p;
	if ((rc = html_page_new(&p, rq, _("Stored sheets"))) < 0) {
		free(rows);
		return rc;
	}
	assigned_enterprises(&p, s, rq);
	xmlNodePtr form = html_form(&p, p.main, "get", "/sheets");
	html_attr(&p, form, "class", "filters");
	xmlNodePtr in = labelled(&p, form, "credit_code", _("Credit code (统一社会信用代码)"), "input");
	html_attr(&p, in, "type", "text");
	html_attr(&p, in, "maxlength", "64");
	html_attr(&p, in, "autocomplete", "off");
	if (code)
		html_attr(&p, in, "value", code);
	xmlNodePtr sel = labelled(&p, form, "phase", _("Phase"), "select");
	option(&p, sel, "", _("every phase"), phase ? phase : "");
	option(&p, sel, "self-check", dl_phase_title(DL_PHASE_SELF_CHECK), phase);
	option(&p, sel, "diagnosis", dl_phase_title(DL_PHASE_DIAGNOSIS), phase);
	option(&p, sel, "evaluation", dl_phase_title(DL_PHASE_EVALUATION), phase);
	xmlNodePtr go = html_el(&p, form, "button", _("Filter"));
	html_attr(&p, go, "type", "submit");
	view_rows_table(&p, p.main, s, _("Newest first; drafts are marked"), rows, count);
	if (count == f.limit)
		html_elf(&p, p.main, "p", _("Only the newest %zu are shown: filter to see others."), count);
	free(rows);
	return html_finish(&p, rs, 200);
}

/* --- GET /enterprises/{credit_code} -------------------------------------------------------------- */

typedef struct problems {
	html_page *p;
	xmlNodePtr list;
} problems;

static void on_problem(const dl_error *d, void *userdata)
{
	problems *pr = userdata;
	if (!pr->list) {
		pr->list = html_el(pr->p, pr->p->main, "ul", NULL);
		html_attr(pr->p, pr->list, "class", "problems");
	}
	html_el(pr->p, pr->list, "li", d->message);
}

/* One side of the pair as a column: which sheet, its phase, date, level and total. */
static void side_cells(html_page *p, xmlNodePtr table, const srv_standing *pair)
{
	const srv_loaded *side[2] = {pair->has_before ? &pair->before : NULL,
				     pair->has_after ? &pair->after : NULL};
	const char *labels[] = {_("sheet"), _("phase"), _("assessed on"), _("level"), _("total")};
	for (size_t k = 0; k < 5; k++) {
		xmlNodePtr tr = view_row(p, table);
		html_attr(p, html_el(p, tr, "th", labels[k]), "scope", "row");
		for (size_t i = 0; i < 2; i++) {
			const srv_loaded *l = side[i];
			char buf[96];
			if (!l) {
				view_cell(p, tr, k == 0 ? _("none stored") : "");
				continue;
			}
			switch (k) {
			case 0:
				snprintf(buf, sizeof buf, "/sheets/%lld", (long long)l->row.id);
				html_link(p, view_cell(p, tr, NULL), buf, l->row.name[0] ? l->row.name : buf);
				break;
			case 1: view_cell(p, tr, dl_phase_title(dl_sheet_phase(l->sheet))); break;
			case 2: view_cell(p, tr, dl_sheet_date(l->sheet)); break;
			case 3:
				view_cell(p, tr, dl_questionnaire_level_name(l->q, dl_result_level(l->result)));
				break;
			default:
				view_cell(p, tr, dl_points_format(dl_result_total(l->result), buf, sizeof buf));
			}
		}
	}
}

/* The verdict, its reasons and the subsidy. */
static void verdict(html_page *p, const dl_comparison *c)
{
	char money[48];
	html_el(p, p->main, "h2", _("Acceptance and subsidy"));
	xmlNodePtr v = html_elf(p, p->main, "p", _("Verdict: %s"),
				dl_verdict_title(dl_comparison_verdict(c)));
	html_attr(p, v, "class", dl_comparison_passed(c) ? "verdict pass" : "verdict fail");
	const char *heads[] = {_("condition"), _("met")};
	xmlNodePtr t = view_table(p, p->main, _("Acceptance conditions"), heads, 2);
	for (size_t i = 0; i < dl_comparison_reason_count(c); i++) {
		xmlNodePtr tr = view_row(p, t);
		view_cell(p, tr, dl_comparison_reason_text(c, i));
		view_cell(p, tr, dl_comparison_reason_met(c, i) ? _("yes") : _("no"));
	}
	xmlNodePtr dl = html_el(p, p->main, "dl", NULL);
	html_attr(p, dl, "class", "figures");
	html_el(p, dl, "dt", _("Declared investment (yuan)"));
	html_el(p, dl, "dd", dl_money_format(dl_comparison_investment(c), money, sizeof money));
	html_el(p, dl, "dt", _("Eligible investment (yuan)"));
	html_el(p, dl, "dd", dl_money_format(dl_comparison_eligible_investment(c), money, sizeof money));
	html_el(p, dl, "dt", _("Subsidy (yuan)"));
	html_el(p, dl, "dd", dl_money_format(dl_comparison_subsidy(c), money, sizeof money));
	if (!dl_comparison_subsidy_granted(c))
		html_el(p, dl, "dd", dl_comparison_no_subsidy_reason(c));
	for (size_t i = 0; i < dl_comparison_step_count(c); i++) {
		if (i == 0)
			html_el(p, p->main, "h3", _("How the subsidy is computed"));
		html_el(p, p->main, "p", dl_comparison_step_text(c, i));
	}
}

/* The pair that stands, compared under the chosen policy, with its downloads. */
static void comparison(html_page *p, srv *s, const char *code, const char *policy_id,
		       const srv_standing *pair)
{
	html_el(p, p->main, "h2", _("Before and after the retrofit"));
	xmlNodePtr form = html_el(p, p->main, "form", NULL);
	html_attr(p, form, "method", "get");
	html_attr(p, form, "class", "filters");
	xmlNodePtr sel = labelled(p, form, "policy", _("Policy"), "select");
	const dl_policy *policy =
	    policy_id && *policy_id ? srv_policy_find(s, policy_id) : view_default_policy(s, NULL);
	for (size_t i = 0; i < s->policy_count; i++) {
		const dl_policy *pi = s->policies[i].policy;
		option(p, sel, dl_policy_id(pi), dl_policy_title(pi)[0] ? dl_policy_title(pi) : dl_policy_id(pi),
		       policy ? dl_policy_id(policy) : NULL);
	}
	html_attr(p, html_el(p, form, "button", _("Compare")), "type", "submit");
	const char *heads[] = {"", _("before the retrofit"), _("after the retrofit")};
	xmlNodePtr t = view_table(p, p->main, _("The sheets that stand for the enterprise"), heads, 3);
	side_cells(p, t, pair);
	if (pair->notes[0]) {
		xmlNodePtr ul = html_el(p, p->main, "ul", NULL);
		html_attr(p, ul, "class", "notes");
		for (const char *line = pair->notes; *line;) {
			size_t n = strcspn(line, "\n");
			char buf[512];
			snprintf(buf, sizeof buf, "%.*s", (int)n, line);
			html_el(p, ul, "li", buf);
			line += n + (line[n] == '\n');
		}
	}
	if (!pair->has_before || !pair->has_after) {
		html_el(p, p->main, "p",
			_("A comparison needs a finished diagnosis (or self-check) and a finished "
			  "evaluation of the enterprise."));
		return;
	}
	if (!policy) {
		html_el(p, p->main, "p", policy_id && *policy_id
			? _("There is no policy with this id: choose one from the list.")
			: _("No policy is loaded: the verdict and the subsidy cannot be decided."));
		return;
	}
	problems pr = {p, NULL};
	dl_load_options lo = DL_LOAD_OPTIONS_INIT;
	lo.diag = on_problem;
	lo.diag_data = &pr;
	dl_comparison *c = NULL;
	dl_error err;
	if (srv_standing_compare(pair, policy, &lo, &c, &err) < 0) {
		if (!pr.list)
			on_problem(&err, &pr);
		html_el(p, p->main, "p", _("The pair cannot be compared under this policy (above: why)."));
	} else {
		verdict(p, c);
		xmlNodePtr charts = html_el(p, p->main, "section", NULL);
		html_attr(p, charts, "class", "charts");
		view_chart(p, charts, NULL, c, DL_REPORT_CHART_DIMENSIONS);
		view_chart(p, charts, NULL, c, DL_REPORT_CHART_SCENARIOS);
		dl_comparison_free(c);
	}
	char href[256];
	xmlNodePtr ul = html_el(p, p->main, "ul", NULL);
	html_attr(p, ul, "class", "downloads");
	snprintf(href, sizeof href, "/api/enterprises/%s/compare?policy=%s", code, dl_policy_id(policy));
	html_link(p, html_el(p, ul, "li", NULL), href, _("The comparison (JSON)"));
	snprintf(href, sizeof href, "/api/enterprises/%s/acceptance.pdf?policy=%s", code,
		 dl_policy_id(policy));
	html_link(p, html_el(p, ul, "li", NULL), href, _("The acceptance opinion 验收意见 (PDF)"));
}

/* Whether code is something a credit code may be: 18 letters and digits (checked properly by the
 * library when a sheet is loaded; here it only keeps a link sane). */
static bool plausible_code(const char *code)
{
	size_t n = strlen(code);
	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((code[i] >= '0' && code[i] <= '9') || (code[i] >= 'A' && code[i] <= 'Z') ||
		      (code[i] >= 'a' && code[i] <= 'z')))
			return false;
	return true;
}

int page_enterprise(srv *s, const srv_request *rq, srv_response *rs)
{
	const char *code = rq->param[0];
	if (!code || !plausible_code(code))
		return view_error_page(rq, rs, 404, _("Enterprise"), _("There is no enterprise with this credit code."));
	if (!srv_may(s, rq, SRV_READ, code))
		return srv_refuse(s, rq, rs, code);
	dl_store_filter f = {0};
	f.credit_code = code;
	f.drafts = true;
	dl_store_row *rows = NULL;
	size_t count = 0;
	dl_error err;
	int rc = dl_store_list(s->store, &f, &rows, &count, &err);
	if (rc < 0) {
		srv_log("GET /enterprises/%s: %s", code, err.message);
		return view_error_page(rq, rs, 500, _("Enterprise"), _("The store could not be read."));
	}
	dl_store_enterprise known;
	if (count == 0 && (!s->district || dl_store_enterprise_get(s->store, code, &known, &err) != 0)) {
		free(rows);
		return view_error_page(rq, rs, 404, _("Enterprise"),
				       _("No sheet of an enterprise with this credit code is stored."));
	}
	if (count == 0) { /* registered by the bureau, nothing stored yet: its documents and steps */
		char title[400];
		snprintf(title, sizeof title, "%s（%s）", known.name[0] ? known.name : _("enterprise"), code);
		html_page p;
		if ((rc = html_page_new(&p, rq, title)) < 0) {
			free(rows);
			return rc;
		}
		html_el(&p, p.main, "p", _("No sheet of this enterprise is stored yet."));
		page_enterprise_district(&p, s, rq, code);
		free(rows);
		return html_finish(&p, rs, 200);
	}
	srv_standing pair;
	if ((rc = srv_standing_pair(s, code, &pair, &err)) < 0) {
		srv_log("GET /enterprises/%s: %s", code, err.message);
		srv_standing_free(&pair);
		free(rows);
		return view_error_page(rq, rs, 500, _("Enterprise"), _("The store could not be read."));
	}
	char title[400];
	snprintf(title, sizeof title, "%s（%s）", rows[0].name[0] ? rows[0].name : _("enterprise"), code);
	html_page p;
	if ((rc = html_page_new(&p, rq, title)) == 0) {
		comparison(&p, s, code, view_param(rq, "policy"), &pair);
		html_el(&p, p.main, "h2", _("Its sheets"));
		view_rows_table(&p, p.main, s, _("Newest first; drafts are marked"), rows, count);
		page_enterprise_district(&p, s, rq, code);
		rc = html_finish(&p, rs, 200);
	}
	srv_standing_free(&pair);
	free(rows);
	return rc;
}
