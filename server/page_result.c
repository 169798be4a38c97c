/*
 * page_result.c: GET /sheets/{id}: one stored sheet's result, as `digilevel score` gives it: the
 * level, every condition of every grade with its numbers, the gap to the next level and the plan
 * to close it (dl_plan_make; ?target=N for another level), the dimension and scenario scores, and
 * per question and scenario what was answered and the points. A draft says at the top that its
 * score is provisional and lists what is not answered yet. Then the downloads (the XML as stored,
 * the 数字化诊断报告 PDF for a chosen target level), the edit link and the versions of its lineage.
 *
 * Everything shown comes from the library's accessors on the score of the stored XML; nothing is
 * recomputed here.
 */
#include "access.h"
#include "pages_view.h"
#include "standing.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A points value as the library writes it ("38.525"). */
static const char *pts(dl_points v, char *buf, size_t size)
{
	return dl_points_format(v, buf, size);
}

/* The level and the total, and the draft's warning with what is missing. */
static void level(html_page *p, const srv_loaded *l)
{
	const dl_result *r = l->result;
	const dl_questionnaire *q = l->q;
	char a[32], b[32];
	if (dl_result_provisional(r) || l->row.draft) {
		xmlNodePtr w = html_el(p, p->main, "p", _("Draft: the score is provisional"));
		html_attr(p, w, "class", "draft-warning");
		html_attr(p, w, "role", "status");
	}
	xmlNodePtr box = html_el(p, p->main, "section", NULL);
	html_attr(p, box, "class", "level");
	html_attr(p, box, "aria-label", _("level"));
	int lv = dl_result_level(r);
	size_t li = DL_NONE;
	for (size_t i = 0; i < dl_questionnaire_level_count(q); i++)
		if (dl_questionnaire_level_value(q, i) == lv)
			li = i;
	xmlNodePtr big = html_elf(p, box, "p", _("Level: %s"), dl_questionnaire_level_name(q, lv));
	html_attr(p, big, "class", "level-name");
	if (li != DL_NONE && *dl_questionnaire_level_description_at(q, li))
		html_el(p, box, "p", dl_questionnaire_level_description_at(q, li));
	html_elf(p, box, "p", _("Total: %s of %s points"), pts(dl_result_total(r), a, sizeof a),
		 pts(dl_questionnaire_points(q), b, sizeof b));
	if (!dl_result_provisional(r))
		return;
	html_el(p, p->main, "h2", _("Not answered yet"));
	xmlNodePtr ul = html_el(p, p->main, "ul", NULL);
	html_attr(p, ul, "class", "unanswered");
	for (size_t qi = 0; qi < dl_questionnaire_question_count(q); qi++) {
		if (dl_result_question_answered(r, qi))
			continue;
		size_t fig = dl_result_question_missing_figure(r, qi);
		if (fig != DL_NONE)
			html_elf(p, ul, "li", _("%s %s (the figure \"%s\" is missing)"),
				 dl_questionnaire_question_id(q, qi), dl_questionnaire_question_text(q, qi),
				 dl_questionnaire_figure_label(q, fig));
		else
			html_elf(p, ul, "li", "%s %s", dl_questionnaire_question_id(q, qi),
				 dl_questionnaire_question_text(q, qi));
	}
	for (size_t si = 0; si < dl_questionnaire_scenario_count(q); si++)
		if (!dl_result_scenario_rated(r, si))
			html_elf(p, ul, "li", _("scenario %s %s: no level given"),
				 dl_questionnaire_scenario_id(q, si), dl_questionnaire_scenario_title(q, si));
}

/* Every grade, highest first, with each of its conditions, the numbers and whether it holds. */
static void conditions(html_page *p, const srv_loaded *l)
{
	const dl_result *r = l->result;
	const dl_questionnaire *q = l->q;
	const char *heads[] = {_("level"), _("condition"), _("this sheet"), _("required"), _("met")};
	xmlNodePtr t = view_table(p, p->main, _("Why this level: the highest level whose conditions all hold"),
				  heads, 5);
	for (size_t gi = 0; gi < dl_questionnaire_grade_count(q); gi++) {
		int lv = dl_questionnaire_grade_level(q, gi);
		const char *name = dl_questionnaire_level_name(q, lv);
		char have[32], need[32];
		dl_points total = dl_result_total(r), min = dl_questionnaire_grade_min_score(q, gi);
		xmlNodePtr tr = view_row(p, t);
		html_attr(p, tr, "class", dl_result_grade_met(r, gi) ? "met" : "unmet");
		view_cell(p, tr, name);
		view_cell(p, tr, _("total points"));
		view_cell(p, tr, pts(total, have, sizeof have));
		html_elf(p, tr, "td", "≥ %s", pts(min, need, sizeof need));
		view_cell(p, tr, total >= min ? _("yes") : _("no"));
		if (!dl_questionnaire_grade_has_gate(q, gi))
			continue;
		int gate = dl_questionnaire_grade_gate_level(q, gi);
		size_t all = dl_result_scenarios_at_least(r, gate, false);
		size_t cons = dl_result_scenarios_at_least(r, gate, true);
		size_t need_all = dl_questionnaire_grade_gate_count(q, gi);
		size_t need_cons = dl_questionnaire_grade_gate_constraint(q, gi);
		tr = view_row(p, t);
		html_attr(p, tr, "class", dl_result_grade_met(r, gi) ? "met" : "unmet");
		view_cell(p, tr, name);
		html_elf(p, tr, "td", _("scenarios at level %d or above"), gate);
		html_elf(p, tr, "td", "%zu", all);
		html_elf(p, tr, "td", "≥ %zu", need_all);
		view_cell(p, tr, all >= need_all ? _("yes") : _("no"));
		tr = view_row(p, t);
		html_attr(p, tr, "class", dl_result_grade_met(r, gi) ? "met" : "unmet");
		view_cell(p, tr, name);
		html_elf(p, tr, "td", _("of them constraint (约束性) scenarios"));
		html_elf(p, tr, "td", "%zu", cons);
		html_elf(p, tr, "td", "≥ %zu", need_cons);
		view_cell(p, tr, cons >= need_cons ? _("yes") : _("no"));
	}
}

/* The level the plan aims at: ?target=N when it is a level with a grade, else the next level up
 * that has one; -1 when there is none (the top). */
static int plan_target(const srv_request *rq, const srv_loaded *l)
{
	const char *arg = view_param(rq, "target");
	if (arg && *arg) {
		char *end;
		errno = 0;
		long v = strtol(arg, &end, 10);
		if (!*end && errno == 0 && v >= 0 && v < 100 &&
		    dl_questionnaire_grade_find(l->q, (int)v) != DL_NONE)
			return (int)v;
	}
	int now = dl_result_level(l->result), best = -1;
	for (size_t gi = 0; gi < dl_questionnaire_grade_count(l->q); gi++) {
		int lv = dl_questionnaire_grade_level(l->q, gi);
		if (lv > now && (best < 0 || lv < best))
			best = lv;
	}
	return best;
}

/* What one step of the plan asks, in words. */
static void step_text(html_page *p, xmlNodePtr li, const dl_questionnaire *q, const dl_plan *plan,
		      size_t i)
{
	char gain[32];
	size_t si = dl_plan_step_scenario(plan, i);
	if (dl_plan_step_kind(plan, i) == DL_STEP_RAISE_SCENARIO) {
		char buf[600];
		snprintf(buf, sizeof buf, _("scenario %s %s%s: from level %d to level %d"),
			 dl_questionnaire_scenario_id(q, si), dl_questionnaire_scenario_title(q, si),
			 dl_questionnaire_scenario_is_constraint(q, si) ? _(" (constraint)") : "",
			 dl_plan_step_level_from(plan, i), dl_plan_step_level_to(plan, i));
		html_text(p, li, buf);
		return;
	}
	size_t qi = dl_plan_step_question(plan, i);
	size_t from = dl_plan_step_option_from(plan, i), to = dl_plan_step_option_to(plan, i);
	char buf[1200];
	if (from != DL_NONE)
		snprintf(buf, sizeof buf, _("question %s: instead of %s \"%s\", %s \"%s\" (+%s points)"),
			 dl_questionnaire_question_id(q, qi), dl_questionnaire_option_id(q, qi, from),
			 dl_questionnaire_option_text(q, qi, from), dl_questionnaire_option_id(q, qi, to),
			 dl_questionnaire_option_text(q, qi, to), pts(dl_plan_step_gain(plan, i), gain, sizeof gain));
	else
		snprintf(buf, sizeof buf, _("question %s: add %s \"%s\" (+%s points)"),
			 dl_questionnaire_question_id(q, qi), dl_questionnaire_option_id(q, qi, to),
			 dl_questionnaire_option_text(q, qi, to), pts(dl_plan_step_gain(plan, i), gain, sizeof gain));
	html_text(p, li, buf);
	if (dl_plan_step_is_outcome(plan, i))
		html_text(p, li, _(" (an outcome the retrofit is expected to bring about, then measured)"));
}

/* The gap to the target level and the fewest steps that close it. */
static void plan(html_page *p, const srv_request *rq, const srv_loaded *l)
{
	int target = plan_target(rq, l);
	if (target < 0) {
		html_el(p, p->main, "h2", _("The next level"));
		html_el(p, p->main, "p", _("This is the highest level: there is no next level to plan for."));
		return;
	}
	dl_plan *pl = NULL;
	dl_error err;
	html_elf(p, p->main, "h2", _("The way to %s"), dl_questionnaire_level_name(l->q, target));
	if (dl_plan_make(&pl, l->result, target, &err) < 0) {
		html_el(p, p->main, "p", err.message);
		return;
	}
	char miss[32];
	xmlNodePtr dl = html_el(p, p->main, "dl", NULL);
	html_attr(p, dl, "class", "gap");
	html_el(p, dl, "dt", _("Points missing"));
	html_el(p, dl, "dd", pts(dl_plan_missing_points(pl), miss, sizeof miss));
	html_el(p, dl, "dt", _("Scenarios missing"));
	html_elf(p, dl, "dd", "%zu", dl_plan_missing_scenarios(pl));
	html_el(p, dl, "dt", _("Of them constraint scenarios"));
	html_elf(p, dl, "dd", "%zu", dl_plan_missing_constraint_scenarios(pl));
	if (dl_plan_step_count(pl) == 0) {
		html_el(p, p->main, "p", _("Nothing is missing: the sheet reaches this level."));
	} else {
		if (!dl_plan_feasible(pl))
			html_el(p, p->main, "p", _("This level cannot be reached with this questionnaire; the "
						  "steps below are the best that can be done."));
		html_elf(p, p->main, "h3", _("The fewest steps (%zu)"), dl_plan_step_count(pl));
		xmlNodePtr ol = html_el(p, p->main, "ol", NULL);
		html_attr(p, ol, "class", "plan");
		for (size_t i = 0; i < dl_plan_step_count(pl); i++)
			step_text(p, html_el(p, ol, "li", NULL), l->q, pl, i);
	}
	dl_plan_free(pl);
}

/*
 * The charts of the diagnostic report (the library's SVG, from the PDF's layout), then the same
 * numbers as tables a screen reader reads well.
 */
static int charts(html_page *p, const srv_loaded *l)
{
	const dl_result *r = l->result;
	const dl_questionnaire *q = l->q;
	xmlNodePtr sec = html_el(p, p->main, "section", NULL);
	html_attr(p, sec, "class", "charts");
	html_el(p, sec, "h2", _("Scores by dimension and scenario"));
	int rc = view_chart(p, sec, r, NULL, DL_REPORT_CHART_DIMENSIONS);
	if (rc == 0)
		rc = view_chart(p, sec, r, NULL, DL_REPORT_CHART_SCENARIOS);
	if (rc < 0)
		return rc;
	const char *dh[] = {_("dimension"), _("points"), _("of"), _("share")};
	xmlNodePtr t = view_table(p, sec, _("Dimensions"), dh, 4);
	for (size_t n = 0; n < dl_questionnaire_node_count(q); n++) {
		if (dl_questionnaire_node_kind(q, n) != DL_NODE_DIMENSION)
			continue;
		char a[32], b[32];
		dl_points got = dl_result_node_score(r, n), max = dl_questionnaire_node_points(q, n);
		xmlNodePtr tr = view_row(p, t);
		view_cell(p, tr, dl_questionnaire_node_title(q, n));
		view_cell(p, tr, pts(got, a, sizeof a));
		view_cell(p, tr, pts(max, b, sizeof b));
		/* a share in tenths of a percent, rounded half up, exactly */
		long long tenths = max > 0 ? (long long)((got * 2000 / max + 1) / 2) : 0;
		html_elf(p, tr, "td", "%lld.%lld%%", tenths / 10, tenths % 10);
	}
	const char *sh[] = {_("scenario"), _("constraint"), _("level"), _("what the level means")};
	t = view_table(p, sec, dl_questionnaire_scenarios_title(q), sh, 4);
	for (size_t si = 0; si < dl_questionnaire_scenario_count(q); si++) {
		xmlNodePtr tr = view_row(p, t);
		html_elf(p, tr, "td", "%s %s", dl_questionnaire_scenario_id(q, si),
			 dl_questionnaire_scenario_title(q, si));
		view_cell(p, tr, dl_questionnaire_scenario_is_constraint(q, si) ? _("yes") : "");
		if (!dl_result_scenario_rated(r, si)) {
			view_cell(p, tr, _("not given"));
			view_cell(p, tr, "");
			continue;
		}
		int lv = dl_result_scenario_level(r, si);
		html_elf(p, tr, "td", "%d", lv);
		view_cell(p, tr, dl_questionnaire_scenario_level_text(q, si, lv));
	}
	return p->failed ? DL_ENOMEM : 0;
}

/* Per question: what was answered, how the figures decided it, and the points. */
static void answers(html_page *p, const srv_loaded *l)
{
	const dl_result *r = l->result;
	const dl_questionnaire *q = l->q;
	html_el(p, p->main, "h2", _("The answers"));
	const char *heads[] = {_("question"), _("answer"), _("points"), _("of")};
	xmlNodePtr t = view_table(p, p->main, _("Questions"), heads, 4);
	for (size_t qi = 0; qi < dl_questionnaire_question_count(q); qi++) {
		char a[32], b[32];
		xmlNodePtr tr = view_row(p, t);
		html_elf(p, tr, "td", "%s %s", dl_questionnaire_question_id(q, qi),
			 dl_questionnaire_question_text(q, qi));
		xmlNodePtr td = view_cell(p, tr, NULL);
		if (!dl_result_question_answered(r, qi)) {
			html_text(p, td, _("not answered"));
			html_attr(p, tr, "class", "draft");
		} else {
			xmlNodePtr ul = html_el(p, td, "ul", NULL);
			for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++)
				if (dl_result_option_chosen(r, qi, oi))
					html_elf(p, ul, "li", "%s %s", dl_questionnaire_option_id(q, qi, oi),
						 dl_questionnaire_option_text(q, qi, oi));
			const char *basis = dl_result_question_basis(r, qi);
			if (*basis)
				html_attr(p, html_el(p, td, "p", basis), "class", "basis");
		}
		view_cell(p, tr, pts(dl_result_node_score(r, dl_questionnaire_question_node(q, qi)), a, sizeof a));
		view_cell(p, tr, pts(dl_questionnaire_question_points(q, qi), b, sizeof b));
	}
}

/* The XML, the PDF with a target level, the edit page. */
static void downloads(html_page *p, const srv_loaded *l)
{
	char href[128];
	long long id = (long long)l->row.id;
	html_el(p, p->main, "h2", _("Downloads and changes"));
	xmlNodePtr ul = html_el(p, p->main, "ul", NULL);
	html_attr(p, ul, "class", "downloads");
	snprintf(href, sizeof href, "/api/sheets/%lld?format=xml", id);
	xmlNodePtr a = html_link(p, html_el(p, ul, "li", NULL), href, _("The answer sheet (XML, as the command line reads it)"));
	html_attr(p, a, "download", NULL);
	snprintf(href, sizeof href, "/sheets/%lld/edit", id);
	html_link(p, html_el(p, ul, "li", NULL), href, _("Edit (saves a new version)"));
	if (!l->q)
		return;
	snprintf(href, sizeof href, "/api/sheets/%lld/report.pdf", id);
	xmlNodePtr form = html_form(p, p->main, "get", href);
	html_attr(p, form, "class", "filters");
	xmlNodePtr div = html_el(p, form, "div", NULL);
	html_attr(p, div, "class", "field");
	html_attr(p, html_el(p, div, "label", _("Target level of the plan in the report")), "for", "target");
	xmlNodePtr sel = html_el(p, div, "select", NULL);
	html_attr(p, sel, "id", "target");
	html_attr(p, sel, "name", "target");
	html_attr(p, html_el(p, sel, "option", _("the next level")), "value", "");
	for (size_t gi = dl_questionnaire_grade_count(l->q); gi-- > 0;) {
		char v[16];
		int lv = dl_questionnaire_grade_level(l->q, gi);
		snprintf(v, sizeof v, "%d", lv);
		html_attr(p, html_el(p, sel, "option", dl_questionnaire_level_name(l->q, lv)), "value", v);
	}
	html_attr(p, html_el(p, form, "button", _("Download the diagnostic report 数字化诊断报告 (PDF)")),
		  "type", "submit");
}

/* Every version of the sheet's lineage. */
static void history(html_page *p, srv *s, const srv_request *rq, const srv_loaded *l)
{
	dl_store_filter f = {0};
	f.lineage = l->row.lineage;
	f.history = true;
	f.drafts = true;
	dl_store_row *rows = NULL;
	size_t count = 0;
	dl_error err;
	html_el(p, p->main, "h2", _("Versions"));
	if (dl_store_list(s->store, &f, &rows, &count, &err) < 0) {
		srv_log("versions of %lld: %s", (long long)l->row.lineage, err.message);
		html_el(p, p->main, "p", _("The versions could not be read."));
		return;
	}
	srv_rows_visible(s, rq, rows, &count);
	view_rows_table(p, p->main, s, _("Every saved version, newest first"), rows, count);
	free(rows);
}

static bool parse_id(const char *text, int64_t *id)
{
	if (!text || !*text || strlen(text) > 18)
		return false;
	int64_t v = 0;
	for (const char *c = text; *c; c++) {
		if (*c < '0' || *c > '9')
			return false;
		v = v * 10 + (*c - '0');
	}
	*id = v;
	return v > 0;
}

int page_result(srv *s, const srv_request *rq, srv_response *rs)
{
	int64_t id;
	if (!parse_id(rq->param[0], &id))
		return view_error_page(rq, rs, 404, _("Result"), _("There is no sheet with this number."));
	srv_loaded l;
	dl_error err;
	int rc = srv_loaded_open(s, id, &l, &err);
	if (rc == DL_ENOTFOUND) {
		srv_loaded_free(&l);
		return view_error_page(rq, rs, 404, _("Result"), _("There is no sheet with this number."));
	}
	if (rc < 0) {
		srv_log("GET /sheets/%lld: %s", (long long)id, err.message);
		srv_loaded_free(&l);
		return view_error_page(rq, rs, 500, _("Result"), _("The store could not be read."));
	}
	if (!srv_may_read_row(s, rq, &l.row)) {
		char code[sizeof l.row.credit_code];
		memcpy(code, l.row.credit_code, sizeof code);
		srv_loaded_free(&l);
		return srv_refuse(s, rq, rs, code);
	}
	char title[400];
	snprintf(title, sizeof title, _("%s: %s of %s"), l.row.name[0] ? l.row.name : _("(no name yet)"),
		 view_phase_title(l.row.phase), l.row.date[0] ? l.row.date : _("no date yet"));
	html_page p;
	if ((rc = html_page_new(&p, rq, title)) < 0) {
		srv_loaded_free(&l);
		return rc;
	}
	xmlNodePtr who = html_el(&p, p.main, "p", NULL);
	html_attr(&p, who, "class", "identity");
	if (l.row.credit_code[0]) {
		char href[96];
		snprintf(href, sizeof href, "/enterprises/%s", l.row.credit_code);
		html_text(&p, who, _("Credit code: "));
		html_link(&p, who, href, l.row.credit_code);
		html_text(&p, who, " · ");
	}
	char line[300];
	snprintf(line, sizeof line, _("sheet No. %lld, version %lld, saved %s (UTC)"), (long long)l.row.id,
		 (long long)l.row.version, l.row.received);
	html_text(&p, who, line);
	if (l.q) {
		xmlNodePtr ed = html_elf(&p, p.main, "p", "%s（%s %s）", dl_questionnaire_title(l.q),
					 dl_questionnaire_id(l.q), dl_questionnaire_version(l.q));
		html_attr(&p, ed, "class", "edition");
	}
	if (l.result) {
		level(&p, &l);
		conditions(&p, &l);
		plan(&p, rq, &l);
		charts(&p, &l);
		answers(&p, &l);
	} else {
		if (l.row.draft)
			html_attr(&p, html_el(&p, p.main, "p", _("Draft: the score is provisional")), "class",
				  "draft-warning");
		xmlNodePtr m = html_elf(&p, p.main, "p", _("This sheet cannot be scored: %s"), l.error.message);
		html_attr(&p, m, "class", "error");
		html_attr(&p, m, "role", "alert");
	}
	downloads(&p, &l);
	history(&p, s, rq, &l);
	srv_loaded_free(&l);
	return html_finish(&p, rs, 200);
}
