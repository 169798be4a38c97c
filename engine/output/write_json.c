/*
 * write_json.c: a scored result as JSON, the stable machine-readable form (docs/json.md).
 *
 * Keys appear in a fixed order and numbers are exact decimals, so the output of the same sheet is
 * byte-identical from run to run and can be compared in golden tests.
 */
#include "write_json.h"

#include "write_diagnosis.h"

#include <string.h>

const char *const dl__json_node_lists[4] = {"dimensions", "indicators", "subindicators",
					    "questions"};

bool dl__json_node_start(dl__out *o, const dl_questionnaire *q, size_t n, dl_node_kind kind,
			 bool *first)
{
	static const char *const parent_keys[] = {NULL, "dimension", "indicator", "subindicator"};
	const dl__node *node = &q->nodes[n];
	if (node->kind != kind)
		return false;
	dl__out_str(o, *first ? "\n    {" : ",\n    {");
	*first = false;
	dl__out_json_field(o, "id", node->id, true);
	dl__out_json_field(o, "title", node->title, true);
	if (parent_keys[kind])
		dl__out_json_field(o, parent_keys[kind], q->nodes[node->parent].id, true);
	return true;
}

void dl__json_scenario_start(dl__out *o, const dl_questionnaire *q, size_t si)
{
	const dl__scenario *s = &q->scenarios[si];
	dl__out_str(o, si ? ",\n    {" : "\n    {");
	dl__out_json_field(o, "id", s->id, true);
	dl__out_json_field(o, "title", s->title, true);
	dl__out_json_field(o, "group", q->groups[s->group].title, true);
	dl__out_json_key(o, "constraint");
	dl__out_str(o, s->constraint ? "true, " : "false, ");
}

void dl__json_chosen(dl__out *o, const dl_result *r, size_t qi)
{
	const dl__question *qu = &r->q->questions[qi];
	bool first = true;
	dl__out_str(o, "[");
	for (size_t oi = 0; oi < qu->option_count; oi++) {
		if (!r->chosen[r->option_offset[qi] + oi])
			continue;
		if (!first)
			dl__out_str(o, ", ");
		first = false;
		dl__out_json_string(o, qu->options[oi].id);
	}
	dl__out_str(o, "]");
}

static void write_nodes(dl__out *o, const dl_result *r, dl_node_kind kind)
{
	const dl_questionnaire *q = r->q;
	bool first = true;
	dl__out_str(o, "[");
	for (size_t n = 0; n < q->node_count; n++) {
		if (!dl__json_node_start(o, q, n, kind, &first))
			continue;
		const dl__node *node = &q->nodes[n];
		dl__out_json_key(o, "score");
		dl__out_points(o, r->node_scores[n]);
		dl__out_str(o, ", ");
		dl__out_json_key(o, "max");
		dl__out_points(o, node->points);
		if (kind == DL_NODE_QUESTION) {
			size_t qi = node->question;
			dl__out_str(o, ", ");
			dl__out_json_key(o, "chosen");
			dl__json_chosen(o, r, qi);
			dl__out_str(o, ", ");
			dl__out_json_field(o, "source", dl_answer_source_name(r->source[qi]), true);
			dl__out_json_field(o, "basis", r->basis[qi], false);
			bool any = false; /* the hints that apply, only when some do */
			for (size_t i = 0; i < r->q->questions[qi].hint_count; i++)
				if (dl_result_hint_shown(r, qi, i)) {
					dl__out_str(o, any ? ", " : ", \"hints\": [");
					dl__out_json_string(o, r->q->questions[qi].hints[i].text);
					any = true;
				}
			if (any)
				dl__out_str(o, "]");
		}
		dl__out_str(o, "}");
	}
	dl__out_str(o, "\n  ]");
}

static void write_scenarios(dl__out *o, const dl_result *r)
{
	const dl_questionnaire *q = r->q;
	dl__out_str(o, "[");
	for (size_t si = 0; si < q->scenario_count; si++) {
		dl__json_scenario_start(o, q, si);
		dl__out_json_int(o, "level", r->scenario_levels[si], false);
		dl__out_str(o, "}");
	}
	dl__out_str(o, q->scenario_count ? "\n  ]" : "]");
}

/*
 * A provisional result (docs/json.md, docs/scoring.md): "provisional": true and what was left
 * unanswered, before the level, so that nobody reads the level without seeing it is a draft. A
 * complete result has neither key.
 */
static void write_unanswered(dl__out *o, const dl_result *r)
{
	const dl_questionnaire *q = r->q;
	if (!dl_result_provisional(r))
		return;
	dl__out_json_key(o, "provisional");
	dl__out_str(o, "true,\n  ");
	dl__out_json_key(o, "unanswered");
	dl__out_str(o, "[");
	bool first = true;
	for (size_t qi = 0; qi < q->question_count; qi++) {
		if (!r->unanswered[qi])
			continue;
		dl__out_str(o, first ? "\n    {" : ",\n    {");
		first = false;
		dl__out_json_field(o, "kind", "question", true);
		dl__out_json_field(o, "id", q->questions[qi].id, true);
		dl__out_json_field(o, "title", q->questions[qi].text, r->missing_figure[qi] != DL_NONE);
		if (r->missing_figure[qi] != DL_NONE)
			dl__out_json_field(o, "missing_figure", q->figures[r->missing_figure[qi]].id, false);
		dl__out_str(o, "}");
	}
	for (size_t si = 0; si < q->scenario_count; si++) {
		if (!r->unrated[si])
			continue;
		dl__out_str(o, first ? "\n    {" : ",\n    {");
		first = false;
		dl__out_json_field(o, "kind", "scenario", true);
		dl__out_json_field(o, "id", q->scenarios[si].id, true);
		dl__out_json_field(o, "title", q->scenarios[si].title, false);
		dl__out_str(o, "}");
	}
	dl__out_str(o, "\n  ],\n  ");
}

static void write_rules(dl__out *o, const dl_result *r)
{
	static const char *const kinds[] = {"score", "scenarios", "constraint_scenarios"};
	const dl_questionnaire *q = r->q;
	dl__out_str(o, "[");
	for (size_t gi = 0; gi < q->grade_count; gi++) {
		dl__condition c[3];
		size_t n = dl__grade_conditions(r, gi, c);
		dl__out_str(o, gi ? ",\n    {" : "\n    {");
		dl__out_json_int(o, "level", q->grades[gi].level, true);
		dl__out_json_field(o, "level_name",
				   dl_questionnaire_level_name(q, q->grades[gi].level), true);
		dl__out_json_key(o, "met");
		dl__out_str(o, r->grade_met[gi] ? "true, " : "false, ");
		dl__out_json_key(o, "conditions");
		dl__out_str(o, "[");
		for (size_t i = 0; i < n; i++) {
			dl__out_str(o, i ? ", {" : "{");
			dl__out_json_field(o, "kind", kinds[c[i].kind], true);
			if (c[i].kind == DL__COND_SCORE) {
				dl__out_json_key(o, "actual");
				dl__out_points(o, c[i].actual_points);
				dl__out_str(o, ", ");
				dl__out_json_key(o, "required");
				dl__out_points(o, c[i].required_points);
			} else {
				dl__out_json_int(o, "min_level", c[i].min_level, true);
				dl__out_json_int(o, "actual", (long long)c[i].actual, true);
				dl__out_json_int(o, "required", (long long)c[i].required, false);
			}
			dl__out_str(o, ", ");
			dl__out_json_key(o, "met");
			dl__out_str(o, c[i].met ? "true}" : "false}");
		}
		dl__out_str(o, "]}");
	}
	dl__out_str(o, "\n  ]");
}

static void write_plan(dl__out *o, const dl_plan *p, const dl_questionnaire *q)
{
	if (!p) {
		dl__out_str(o, "null");
		return;
	}
	dl__out_str(o, "{");
	dl__out_json_int(o, "level", dl_plan_target(p), true);
	dl__out_json_field(o, "level_name", dl_questionnaire_level_name(q, dl_plan_target(p)),
			   true);
	dl__out_json_key(o, "feasible");
	dl__out_str(o, dl_plan_feasible(p) ? "true, " : "false, ");
	dl__out_json_key(o, "missing_points");
	dl__out_points(o, dl_plan_missing_points(p));
	dl__out_str(o, ", ");
	dl__out_json_int(o, "missing_scenarios", (long long)dl_plan_missing_scenarios(p), true);
	dl__out_json_int(o, "missing_constraint_scenarios",
			 (long long)dl_plan_missing_constraint_scenarios(p), true);
	dl__out_json_key(o, "plan");
	dl__out_str(o, "[");
	for (size_t i = 0; i < dl_plan_step_count(p); i++) {
		dl__out_str(o, i ? ",\n      {" : "\n      {");
		size_t qi = dl_plan_step_question(p, i);
		switch (dl_plan_step_kind(p, i)) {
		case DL_STEP_RAISE_SCENARIO: {
			size_t si = dl_plan_step_scenario(p, i);
			dl__out_json_field(o, "kind", "raise_scenario", true);
			dl__out_json_field(o, "scenario", q->scenarios[si].id, true);
			dl__out_json_field(o, "title", q->scenarios[si].title, true);
			dl__out_json_key(o, "constraint");
			dl__out_str(o, q->scenarios[si].constraint ? "true, " : "false, ");
			dl__out_json_int(o, "from", dl_plan_step_level_from(p, i), true);
			dl__out_json_int(o, "to", dl_plan_step_level_to(p, i), false);
			dl__out_str(o, "}");
			continue;
		}
		case DL_STEP_SWITCH_OPTION:
			dl__out_json_field(o, "kind", "switch_option", true);
			break;
		case DL_STEP_ADD_OPTION:
			dl__out_json_field(o, "kind", "add_option", true);
			break;
		}
		const dl__question *qu = &q->questions[qi];
		size_t from = dl_plan_step_option_from(p, i);
		dl__out_json_field(o, "question", qu->id, true);
		dl__out_json_key(o, "from");
		if (from == DL_NONE)
			dl__out_str(o, "null");
		else
			dl__out_json_string(o, qu->options[from].id);
		dl__out_str(o, ", ");
		dl__out_json_field(o, "to", qu->options[dl_plan_step_option_to(p, i)].id, true);
		dl__out_json_key(o, "gain");
		dl__out_points(o, dl_plan_step_gain(p, i));
		dl__out_str(o, dl_plan_step_is_outcome(p, i) ? ", \"outcome\": true}" : ", \"outcome\": false}");
	}
	dl__out_str(o, dl_plan_step_count(p) ? "\n    ]}" : "]}");
}

/* The level above the result's that has a grade, or DL_NONE at the top. */
static int next_level(const dl_result *r)
{
	int next = -1;
	for (size_t gi = 0; gi < r->q->grade_count; gi++) {
		int level = r->q->grades[gi].level;
		if (level > r->level && (next < 0 || level < next))
			next = level;
	}
	return next;
}

int dl__make_next_plan(const dl_result *r, dl_plan **out)
{
	*out = NULL;
	int next = next_level(r);
	if (next < 0)
		return 0;
	return dl_plan_make(out, r, next, NULL);
}

int dl_result_write_json(const dl_result *r, const dl_sheet *s, const dl_plan *target_plan,
			 dl_write_fn write, void *userdata)
{
	const dl_questionnaire *q = r->q;
	dl_plan *next = NULL;
	int rc = dl__make_next_plan(r, &next);
	if (rc < 0)
		return rc;
	dl__out o;
	dl__out_init(&o, write, userdata);
	dl__out_str(&o, "{\n  ");
	dl__out_json_key(&o, "questionnaire");
	dl__out_str(&o, "{");
	dl__out_json_field(&o, "id", q->id, true);
	dl__out_json_field(&o, "version", q->version, true);
	dl__out_json_field(&o, "title", q->title, true);
	dl__out_json_field(&o, "file", q->path, true);
	dl__out_json_field(&o, "sha256", q->digest, false);
	dl__out_str(&o, "},\n  ");
	if (s) {
		dl__out_json_key(&o, "enterprise");
		dl__out_str(&o, "{");
		dl__out_json_field(&o, "name", dl_sheet_enterprise(s, DL_ENTERPRISE_NAME), true);
		dl__out_json_field(&o, "credit_code",
				   dl_sheet_enterprise(s, DL_ENTERPRISE_CREDIT_CODE), true);
		dl__out_json_field(&o, "industry", dl_sheet_enterprise(s, DL_ENTERPRISE_INDUSTRY),
				   true);
		dl__out_json_field(&o, "scale", dl_sheet_enterprise(s, DL_ENTERPRISE_SCALE), true);
		dl__out_json_field(&o, "region", dl_sheet_enterprise(s, DL_ENTERPRISE_REGION),
				   true);
		dl__out_json_key(&o, "employees");
		if (dl_sheet_employees(s) >= 0)
			dl__out_printf(&o, "%ld, ", dl_sheet_employees(s));
		else
			dl__out_str(&o, "null, ");
		dl__out_json_key(&o, "tags");
		dl__out_str(&o, "[");
		for (size_t i = 0; i < dl_sheet_tag_count(s); i++) {
			if (i)
				dl__out_str(&o, ", ");
			dl__out_json_string(&o, dl_sheet_tag(s, i));
		}
		dl__out_str(&o, "]},\n  ");
		dl__out_json_key(&o, "assessment");
		dl__out_str(&o, "{");
		dl__out_json_field(&o, "phase", dl_phase_name(dl_sheet_phase(s)), true);
		dl__out_json_field(&o, "date", dl_sheet_date(s), true);
		dl__out_json_field(&o, "organisation", dl_sheet_organisation(s), true);
		dl__out_json_key(&o, "assessors");
		dl__out_str(&o, "[");
		for (size_t i = 0; i < dl_sheet_assessor_count(s); i++) {
			dl__out_str(&o, i ? ", {" : "{");
			unsigned duties = dl_sheet_assessor_duties(s, i);
			dl__out_json_field(&o, "name", dl_sheet_assessor_name(s, i), true);
			dl__out_json_field(&o, "role", dl_sheet_assessor_role(s, i), false);
			if (dl_sheet_assessor_organisation(s, i)[0]) {
				dl__out_str(&o, ", ");
				dl__out_json_field(&o, "organisation", dl_sheet_assessor_organisation(s, i),
						   false);
			}
			if (dl_sheet_assessor_title(s, i)[0]) {
				dl__out_str(&o, ", ");
				dl__out_json_field(&o, "title", dl_sheet_assessor_title(s, i), false);
			}
			if (duties) {
				dl__out_str(&o, ", ");
				dl__out_json_key(&o, "duty");
				dl__out_str(&o, "[");
				for (unsigned bit = DL_DUTY_LEAD, k = 0; bit <= DL_DUTY_SUPERVISOR; bit <<= 1)
					if (duties & bit) {
						dl__out_str(&o, k++ ? ", " : "");
						dl__out_json_string(&o, dl_duty_name(bit));
					}
				dl__out_str(&o, "]");
			}
			dl__out_str(&o, "}");
		}
		dl__out_str(&o, "], ");
		dl__out_json_field(&o, "sheet_sha256", dl_sheet_digest(s), false);
		dl__out_str(&o, "},\n  ");
	}
	dl__json_profile(&o, s);
	write_unanswered(&o, r);
	dl__out_json_key(&o, "total");
	dl__out_points(&o, r->total);
	dl__out_str(&o, ",\n  ");
	dl__out_json_key(&o, "max");
	dl__out_points(&o, q->points);
	dl__out_str(&o, ",\n  ");
	dl__out_json_int(&o, "level", r->level, false);
	dl__out_str(&o, ",\n  ");
	dl__out_json_field(&o, "level_name", dl_questionnaire_level_name(q, r->level), false);
	dl__out_str(&o, ",\n  ");
	for (int k = DL_NODE_DIMENSION; k <= DL_NODE_QUESTION; k++) {
		dl__out_json_key(&o, dl__json_node_lists[k]);
		write_nodes(&o, r, (dl_node_kind)k);
		dl__out_str(&o, ",\n  ");
	}
	dl__out_json_key(&o, "scenarios");
	write_scenarios(&o, r);
	dl__out_str(&o, ",\n  ");
	dl__out_json_key(&o, "scenario_counts");
	dl__out_str(&o, "[");
	for (int level = 1; level <= q->max_level; level++) {
		dl__out_str(&o, level > 1 ? ", {" : "{");
		dl__out_json_int(&o, "level", level, true);
		dl__out_json_int(&o, "total", (long long)dl_result_scenarios_at_least(r, level, false), true);
		dl__out_json_int(&o, "constraint", (long long)dl_result_scenarios_at_least(r, level, true),
				 false);
		dl__out_str(&o, "}");
	}
	dl__out_str(&o, "],\n  ");
	dl__out_json_key(&o, "rules");
	write_rules(&o, r);
	dl__out_str(&o, ",\n  ");
	if ((rc = dl__json_findings(&o, r, target_plan ? dl_plan_target(target_plan) : -1)) < 0 ||
	    (rc = dl__json_retrofit(&o, r, s, target_plan ? target_plan : next)) < 0) {
		dl_plan_free(next);
		return rc;
	}
	dl__out_json_key(&o, "next_level");
	write_plan(&o, next, q);
	if (target_plan) {
		dl__out_str(&o, ",\n  ");
		dl__out_json_key(&o, "target");
		write_plan(&o, target_plan, q);
	}
	dl__out_str(&o, "\n}\n");
	dl_plan_free(next);
	return dl__out_finish(&o);
}
