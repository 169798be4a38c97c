/*
 * write_text.c: a scored result as text for people, in the language of messages.
 *
 * Read top-down it answers the questions an evaluator asks in order: which level, why this level
 * and not the next (every condition with its numbers), what is missing and the smallest plan to get
 * there, then the score of every dimension, indicator and question, then every scenario. Columns are
 * aligned by display width, so Chinese text lines up in a terminal.
 */
#include "i18n.h"
#include "out.h"
#include "result.h"
#include "text_both.h"
#include "write_diagnosis.h"

#include <stdio.h>
#include <string.h>

#define NAME_WIDTH 58

static void write_reasons(dl__out *o, const dl_result *r)
{
	const dl_questionnaire *q = r->q;
	dl__out_str(o, _("Reasons (from the highest level down; the level is the highest whose "
			 "conditions all hold):\n"));
	for (size_t gi = 0; gi < q->grade_count; gi++) {
		dl__condition c[3];
		size_t n = dl__grade_conditions(r, gi, c);
		dl__out_printf(o, "  %s ", r->grade_met[gi] ? "✓" : "✗");
		dl__out_padded(o, dl_questionnaire_level_name(q, q->grades[gi].level), 8);
		for (size_t i = 0; i < n; i++) {
			char text[200];
			dl__condition_text(q, &c[i], dl__messages_language(), text, sizeof(text));
			dl__out_printf(o, "%s%s%s", i ? _("; ") : "", c[i].met ? "" : "✗ ", text);
		}
		dl__out_str(o, "\n");
	}
}

static void step_text(const dl_plan *p, size_t i, const dl_questionnaire *q, char *buf, size_t size)
{
	char gain[32], t1[120], t2[120];
	if (dl_plan_step_kind(p, i) == DL_STEP_RAISE_SCENARIO) {
		const dl__scenario *s = &q->scenarios[dl_plan_step_scenario(p, i)];
		snprintf(buf, size, _("scenario %s %s%s: level %d → level %d"), s->id, s->title,
			 s->constraint ? _(" (constraint)") : "", dl_plan_step_level_from(p, i),
			 dl_plan_step_level_to(p, i));
		return;
	}
	const dl__question *qu = &q->questions[dl_plan_step_question(p, i)];
	size_t from = dl_plan_step_option_from(p, i), to = dl_plan_step_option_to(p, i);
	dl__truncate_display(qu->options[to].text, 36, t2, sizeof(t2));
	dl__decimal_format(dl_plan_step_gain(p, i), gain, sizeof(gain));
	if (dl_plan_step_kind(p, i) == DL_STEP_SWITCH_OPTION && from != DL_NONE &&
	    qu->input == DL_INPUT_VALUE) {
		snprintf(buf, size, _("question %s: raise the value from %s '%s' to %s '%s' (+%s points)"), qu->id,
			 qu->options[from].id, qu->options[from].text, qu->options[to].id,
			 qu->options[to].text, gain);
	} else if (dl_plan_step_kind(p, i) == DL_STEP_SWITCH_OPTION && from != DL_NONE &&
		   qu->input == DL_INPUT_TREND) {
		snprintf(buf, size, _("question %s: turn the change from '%s' to '%s' (+%s points)"), qu->id,
			 qu->options[from].text, qu->options[to].text, gain);
	} else if (dl_plan_step_kind(p, i) == DL_STEP_SWITCH_OPTION && from != DL_NONE) {
		dl__truncate_display(qu->options[from].text, 36, t1, sizeof(t1));
		snprintf(buf, size, _("question %s: change from %s '%s' to %s '%s' (+%s points)"), qu->id,
			 qu->options[from].id, t1, qu->options[to].id, t2, gain);
	} else if (dl_plan_step_kind(p, i) == DL_STEP_SWITCH_OPTION) {
		snprintf(buf, size, _("question %s: choose %s '%s' (+%s points)"), qu->id, qu->options[to].id, t2, gain);
	} else if (from != DL_NONE) {
		snprintf(buf, size, _("question %s: add %s '%s' and drop %s '%s' (+%s points)"), qu->id,
			 qu->options[to].id, t2, qu->options[from].id, qu->options[from].text, gain);
	} else {
		snprintf(buf, size, _("question %s: add %s '%s' (+%s points)"), qu->id, qu->options[to].id, t2,
			 gain);
	}
}

static void write_plan(dl__out *o, const dl_plan *p, const dl_questionnaire *q)
{
	char pts[32];
	const char *name = dl_questionnaire_level_name(q, dl_plan_target(p));
	if (dl_plan_step_count(p) == 0 && dl_plan_feasible(p)) {
		dl__out_printf(o, _("%s is reached.\n"), name);
		return;
	}
	dl__out_printf(o, _("Short of %s: %s points; %zu scenarios; %zu constraint scenarios\n"), name,
		       dl__decimal_format(dl_plan_missing_points(p), pts, sizeof(pts)),
		       dl_plan_missing_scenarios(p), dl_plan_missing_constraint_scenarios(p));
	if (!dl_plan_feasible(p))
		dl__out_printf(o, _("%s cannot be reached with this questionnaire; the best that can be done:\n"), name);
	else
		dl__out_printf(o, _("Fewest improvement steps (%zu):\n"), dl_plan_step_count(p));
	for (size_t i = 0; i < dl_plan_step_count(p); i++) {
		char text[600];
		step_text(p, i, q, text, sizeof(text));
		dl__out_printf(o, "  %2zu. %s%s\n", i + 1, text,
			       dl_plan_step_is_outcome(p, i)
				       ? _(" (an expected outcome, measured after the retrofit, not part of it)")
				       : "");
	}
}

/*
 * A provisional result: the notice that it is a draft, and every item left unanswered (a question,
 * with the figure that is missing when some of its figures are given; a scenario without a level).
 */
static void write_unanswered(dl__out *o, const dl_result *r)
{
	const dl_questionnaire *q = r->q;
	dl__out_printf(o, _("DRAFT: the sheet is not complete, so the level and the scores are provisional. "
			    "The %zu items not answered yet count as nothing (0 points; a scenario at level 0).\n"),
		       r->unanswered_count);
	dl__out_printf(o, _("Not answered yet (%zu):\n"), r->unanswered_count);
	for (size_t qi = 0; qi < q->question_count; qi++) {
		const dl__question *qu = &q->questions[qi];
		size_t fi = r->missing_figure[qi];
		if (!r->unanswered[qi])
			continue;
		if (fi == DL_NONE)
			dl__out_printf(o, _("  question %s %s\n"), qu->id, qu->text);
		else
			dl__out_printf(o, _("  question %s %s (figure %s \"%s\" is missing)\n"), qu->id,
				       qu->text, q->figures[fi].id, q->figures[fi].label);
	}
	for (size_t si = 0; si < q->scenario_count; si++)
		if (r->unrated[si])
			dl__out_printf(o, _("  scenario %s %s: no level yet\n"), q->scenarios[si].id,
				       q->scenarios[si].title);
	dl__out_str(o, "\n");
}

/*
 * " ← " and the basis of a question's answer: its formula ("devices_digital 10 / devices_total 50
 * × 100", the figures by id, as in JSON) with the word between a trend's two ratios in the language
 * of messages.
 */
static void write_basis(dl__out *o, const char *basis)
{
	static const char AGAINST[] = " against ";
	dl__out_str(o, " ← ");
	for (const char *p = basis, *at; *p; p = at + sizeof(AGAINST) - 1) {
		at = strstr(p, AGAINST);
		if (!at) {
			dl__out_str(o, p);
			break;
		}
		dl__out_printf(o, "%.*s%s", (int)(at - p), p, _(" against "));
	}
}

static void write_scores(dl__out *o, const dl_result *r)
{
	const dl_questionnaire *q = r->q;
	dl__out_padded(o, _("Scores"), NAME_WIDTH + 2);
	dl__out_str(o, _("  points / of  options\n"));
	for (size_t n = 0; n < q->node_count; n++) {
		const dl__node *node = &q->nodes[n];
		char label[400], a[32], b[32];
		if (node->kind == DL_NODE_QUESTION)
			snprintf(label, sizeof(label), "%s %s", node->id, node->title);
		else
			snprintf(label, sizeof(label), "%s", node->title);
		dl__out_label(o, label, 2 + 2 * (size_t)node->kind, NAME_WIDTH);
		dl__out_right(o, dl__decimal_format(r->node_scores[n], a, sizeof(a)), 6);
		dl__out_str(o, " / ");
		dl__decimal_format(node->points, b, sizeof(b));
		if (node->kind != DL_NODE_QUESTION)
			dl__out_str(o, b);
		else
			dl__out_padded(o, b, 5);
		if (node->kind == DL_NODE_QUESTION) {
			size_t qi = node->question;
			const dl__question *qu = &q->questions[qi];
			const char *sep = "  ";
			for (size_t oi = 0; oi < qu->option_count; oi++)
				if (r->chosen[r->option_offset[qi] + oi]) {
					dl__out_printf(o, "%s%s", sep, qu->options[oi].id);
					sep = " ";
				}
			if (r->basis[qi][0])
				write_basis(o, r->basis[qi]);
			if (r->unanswered[qi])
				dl__out_printf(o, "  %s", _("(not answered yet)"));
			dl__out_str(o, "\n");
			for (size_t i = 0; i < qu->hint_count; i++) /* the questionnaire's advice */
				if (dl_result_hint_shown(r, qi, i))
					dl__out_printf(o, _("        hint: %s\n"), qu->hints[i].text);
			continue;
		}
		dl__out_str(o, "\n");
	}
}

static void write_scenarios(dl__out *o, const dl_result *r)
{
	const dl_questionnaire *q = r->q;
	if (q->scenario_count == 0)
		return;
	dl__out_printf(o, _("\n%s (★ constraint scenario)\n"), q->scenarios_title);
	for (size_t g = 0; g < q->group_count; g++) {
		dl__out_printf(o, "  %s\n", q->groups[g].title);
		for (size_t si = 0; si < q->scenario_count; si++) {
			const dl__scenario *s = &q->scenarios[si];
			if (s->group != g)
				continue;
			char label[200];
			snprintf(label, sizeof(label), "%s %s%s", s->id, s->title,
				 s->constraint ? " ★" : "");
			dl__out_str(o, "    ");
			dl__out_padded(o, label, 22);
			dl__out_printf(o, _("level %d%s\n"), r->scenario_levels[si],
				       r->unrated[si] ? _(" (no level yet)") : "");
		}
	}
	dl__out_str(o, _("  Scenarios at each level: "));
	for (int level = 1; level <= q->max_level; level++)
		dl__out_printf(o, level > 1 ? _(", ≥ level %d: %zu (constraint %zu)")
					    : _("≥ level %d: %zu (constraint %zu)"),
			       level,
			       dl_result_scenarios_at_least(r, level, false),
			       dl_result_scenarios_at_least(r, level, true));
	dl__out_str(o, "\n");
}

int dl_result_write_text(const dl_result *r, const dl_sheet *s, const dl_plan *target_plan,
			 dl_write_fn write, void *userdata)
{
	const dl_questionnaire *q = r->q;
	dl_plan *next = NULL;
	int rc = dl__make_next_plan(r, &next);
	if (rc < 0)
		return rc;
	dl__out o;
	dl__out_init(&o, write, userdata);
	char a[32], b[32];
	if (s) {
		dl__out_printf(&o, "%s（%s）\n", dl_sheet_enterprise(s, DL_ENTERPRISE_NAME),
			       dl_sheet_enterprise(s, DL_ENTERPRISE_CREDIT_CODE));
		dl__out_printf(&o, "%s · %s", dl_sheet_enterprise(s, DL_ENTERPRISE_INDUSTRY),
			       dl_sheet_enterprise(s, DL_ENTERPRISE_SCALE));
		if (dl_sheet_employees(s) >= 0)
			dl__out_printf(&o, _(" · %ld employees"), dl_sheet_employees(s));
		dl__out_printf(&o, "\n%s %s · %s\n", dl_phase_title(dl_sheet_phase(s)), dl_sheet_date(s),
			       dl_sheet_organisation(s));
	}
	dl__out_printf(&o, "%s（%s %s）\n", q->title, q->id, q->version);
	dl__out_printf(&o, _("Questionnaire file: %s · SHA-256 %s\n"), q->path, q->digest);
	dl__out_str(&o, "\n");
	dl__text_profile(&o, s);
	const char *description = "";
	for (size_t i = 0; i < q->level_count; i++)
		if (q->levels[i].value == r->level)
			description = q->levels[i].description;
	if (r->unanswered_count > 0)
		write_unanswered(&o, r);
	dl__out_printf(&o, "%s%s%s%s\n", r->unanswered_count > 0 ? _("Provisional level: ") : _("Level: "),
		       dl_questionnaire_level_name(q, r->level), description[0] ? " — " : "", description);
	dl__out_printf(&o, _("Total: %s / %s\n\n"), dl__decimal_format(r->total, a, sizeof(a)),
		       dl__decimal_format(q->points, b, sizeof(b)));
	write_reasons(&o, r);
	if ((rc = dl__text_findings(&o, r, target_plan ? dl_plan_target(target_plan) : -1)) < 0) {
		dl_plan_free(next);
		return rc;
	}
	if (next) {
		dl__out_str(&o, "\n");
		write_plan(&o, next, q);
	}
	if (target_plan && (!next || dl_plan_target(target_plan) != dl_plan_target(next))) {
		dl__out_str(&o, "\n");
		write_plan(&o, target_plan, q);
	}
	if ((rc = dl__text_retrofit(&o, r, s, target_plan ? target_plan : next)) < 0) {
		dl_plan_free(next);
		return rc;
	}
	dl__out_str(&o, "\n");
	write_scores(&o, r);
	write_scenarios(&o, r);
	dl_plan_free(next);
	return dl__out_finish(&o);
}
