/*
 * write_compare_json.c: a before/after comparison as JSON, the stable machine-readable form
 * (docs/policy.md).
 *
 * Every key is always present, in a fixed order; what does not apply is null (no policy: passed,
 * phase, subsidy ...), so a consumer never has to guess whether a key was forgotten. Points are exact
 * decimal numbers; money is a string in yuan with two decimals ("350000.00"), so no reader turns it
 * into a binary float.
 */
#include "i18n.h"
#include "money.h"
#include "policy_model.h"
#include "sheet_model.h"
#include "write_json.h"

#include <string.h>

/* A string field that is null when v is "". */
static void opt_field(dl__out *o, const char *k, const char *v, bool comma)
{
	dl__out_json_key(o, k);
	if (v[0])
		dl__out_json_string(o, v);
	else
		dl__out_str(o, "null");
	if (comma)
		dl__out_str(o, ", ");
}

static void money_field(dl__out *o, const char *k, int64_t fen, bool comma)
{
	char buf[40];
	dl__out_json_field(o, k, dl__money_format(fen, buf, sizeof(buf)), comma);
}

static void points_field(dl__out *o, const char *k, dl_points p, bool comma)
{
	dl__out_json_key(o, k);
	dl__out_points(o, p);
	if (comma)
		dl__out_str(o, ", ");
}

static void bool_field(dl__out *o, const char *k, bool v, bool comma)
{
	dl__out_json_key(o, k);
	dl__out_str(o, v ? "true" : "false");
	if (comma)
		dl__out_str(o, ", ");
}

static void sheet_object(dl__out *o, const dl_sheet *s)
{
	dl__out_str(o, "{");
	dl__out_json_field(o, "sheet", dl_sheet_path(s), true);
	dl__out_json_field(o, "phase", dl_phase_name(dl_sheet_phase(s)), true);
	dl__out_json_field(o, "date", dl_sheet_date(s), true);
	dl__out_json_field(o, "organisation", dl_sheet_organisation(s), true);
	dl__out_json_field(o, "sheet_sha256", dl_sheet_digest(s), false);
	dl__out_str(o, "}");
}

static void write_nodes(dl__out *o, const dl_comparison *c, dl_node_kind kind)
{
	const dl_questionnaire *q = c->q;
	bool first = true;
	dl__out_str(o, "[");
	for (size_t n = 0; n < q->node_count; n++) {
		if (!dl__json_node_start(o, q, n, kind, &first))
			continue;
		const dl__node *node = &q->nodes[n];
		points_field(o, "max", node->points, true);
		points_field(o, "before", c->rb->node_scores[n], true);
		points_field(o, "after", c->ra->node_scores[n], true);
		points_field(o, "change", c->ra->node_scores[n] - c->rb->node_scores[n],
			     kind == DL_NODE_QUESTION);
		if (kind == DL_NODE_QUESTION) {
			dl__out_json_key(o, "chosen_before");
			dl__json_chosen(o, c->rb, node->question);
			dl__out_str(o, ", ");
			dl__out_json_key(o, "chosen_after");
			dl__json_chosen(o, c->ra, node->question);
		}
		dl__out_str(o, "}");
	}
	dl__out_str(o, first ? "]" : "\n  ]");
}

static void write_scenarios(dl__out *o, const dl_comparison *c)
{
	const dl_questionnaire *q = c->q;
	dl__out_str(o, "[");
	for (size_t si = 0; si < q->scenario_count; si++) {
		int lb = c->rb->scenario_levels[si], la = c->ra->scenario_levels[si];
		dl__json_scenario_start(o, q, si);
		dl__out_printf(o, "\"before\": %d, \"after\": %d, \"change\": %d}", lb, la, la - lb);
	}
	dl__out_str(o, q->scenario_count ? "\n  ]" : "]");
}

static const char *const reason_kinds[] = {"min_level", "improvement", "prior_level",
					    "contract_signed", "materials", "finance", "onsite"};

/* An amount in fen as a money string, or null when it is -1 (not known). */
static void opt_money_field(dl__out *o, const char *k, int64_t fen, bool comma)
{
	if (fen >= 0) {
		money_field(o, k, fen, comma);
		return;
	}
	dl__out_json_key(o, k);
	dl__out_str(o, comma ? "null, " : "null");
}

/*
 * The acceptance package: "materials", "finance", "onsite", "findings" and "rectification", each
 * null without a policy; a part the after sheet does not record has "recorded": false.
 */
static void write_package(dl__out *o, const dl_comparison *c)
{
	const dl_sheet *a = c->after;
	if (!c->policy) {
		dl__out_str(o, "\"materials\": null,\n  \"finance\": null,\n  \"onsite\": null,\n  "
			       "\"findings\": null,\n  \"rectification\": null");
		return;
	}
	dl__out_str(o, "\"materials\": {");
	bool_field(o, "recorded", c->materials_recorded, true);
	dl__out_json_key(o, "items");
	dl__out_str(o, "[");
	for (size_t i = 0; i < c->material_count; i++) {
		const dl__material_row *m = &c->materials[i];
		dl__out_str(o, i ? ",\n    {" : "\n    {");
		dl__out_json_field(o, "id", m->id, true);
		dl__out_json_field(o, "title", m->title, true);
		bool_field(o, "required", m->required, true);
		opt_field(o, "status", m->status, true);
		opt_field(o, "reference", m->reference, true);
		opt_field(o, "verified_by", m->verified_by, true);
		opt_field(o, "verified_on", m->verified_on, true);
		dl__out_json_field(o, "outcome", dl_outcome_name(m->outcome), true);
		opt_field(o, "finding", dl__text_get(m->finding), false);
		dl__out_str(o, "}");
	}
	dl__out_str(o, c->material_count ? "\n  ]},\n  " : "]},\n  ");

	dl__out_str(o, "\"finance\": {");
	bool_field(o, "recorded", c->finance_recorded, true);
	bool_field(o, "tax_exclusive", c->policy->has_finance && c->policy->tax_exclusive, true);
	opt_money_field(o, "contract_amount", a->contract_fen, true);
	opt_money_field(o, "invoiced", c->finance_recorded ? c->invoiced_total : -1, true);
	opt_money_field(o, "paid", c->finance_recorded ? c->paid_total : -1, true);
	money_field(o, "other_public_funds", c->funds_total, true);
	dl__out_json_key(o, "items");
	dl__out_str(o, "[");
	for (size_t i = 0; i < a->item_count; i++) {
		const dl__finance_row *f = &c->finance[i];
		dl__out_str(o, i ? ",\n    {" : "\n    {");
		opt_field(o, "id", a->items[i].id, true);
		money_field(o, "declared", f->declared, true);
		opt_money_field(o, "net", f->net, true);
		opt_money_field(o, "invoiced", f->invoiced, true);
		opt_money_field(o, "paid", f->paid, true);
		money_field(o, "counted", f->counted, true);
		dl__out_json_field(o, "outcome", dl_outcome_name(f->outcome), true);
		opt_field(o, "finding", dl__text_get(f->finding), false);
		dl__out_str(o, "}");
	}
	dl__out_str(o, a->item_count ? "\n  ], " : "], ");
	dl__out_json_key(o, "reconciliation");
	dl__out_str(o, "[");
	for (size_t i = 0; i < c->reconciliation_count; i++) {
		dl__out_str(o, i ? ", " : "");
		dl__out_json_string(o, dl__text_get(c->reconciliation[i]));
	}
	dl__out_str(o, "]},\n  ");

	dl__out_str(o, "\"onsite\": {");
	bool_field(o, "recorded", c->onsite_recorded, true);
	dl__out_json_key(o, "checks");
	dl__out_str(o, "[");
	bool first = true;
	for (size_t i = 0; i < a->item_count; i++) {
		const dl__onsite_row *r = &c->onsite[i];
		if (r->check == DL_NONE && !dl__text_get(r->finding)[0])
			continue;
		dl__out_str(o, first ? "\n    {" : ",\n    {");
		first = false;
		dl__out_json_field(o, "item", a->items[i].id, true);
		if (r->check != DL_NONE) {
			const dl__onsite_check *k = &a->checks[r->check];
			bool_field(o, "real", k->real, true);
			bool_field(o, "running", k->running, true);
			bool_field(o, "in_use", k->in_use, true);
			opt_field(o, "note", k->note, true);
		} else {
			dl__out_str(o, "\"real\": null, \"running\": null, \"in_use\": null, \"note\": null, ");
		}
		dl__out_json_field(o, "outcome", dl_outcome_name(r->outcome), true);
		opt_field(o, "finding", dl__text_get(r->finding), false);
		dl__out_str(o, "}");
	}
	dl__out_str(o, first ? "]},\n  " : "\n  ]},\n  ");

	dl__out_json_key(o, "findings");
	dl__out_str(o, "[");
	for (size_t i = 0; i < c->finding_count; i++) {
		dl__out_str(o, i ? ",\n    {" : "\n    {");
		dl__out_json_field(o, "kind", reason_kinds[c->findings[i].kind], true);
		dl__out_json_field(o, "leads_to", dl_outcome_name(c->findings[i].outcome), true);
		dl__out_json_field(o, "text", dl__text_get(c->findings[i].text), false);
		dl__out_str(o, "}");
	}
	dl__out_str(o, c->finding_count ? "\n  ],\n  " : "],\n  ");
	dl__out_json_key(o, "rectification");
	if (c->verdict == DL_VERDICT_PASS) {
		dl__out_str(o, "null");
		return;
	}
	dl__out_str(o, "{");
	opt_field(o, "deadline", c->deadline, true);
	if (c->verdict == DL_VERDICT_RECTIFY)
		dl__out_printf(o, "\"days\": %d, ", c->policy->rectify_days);
	else
		dl__out_str(o, "\"days\": null, ");
	dl__out_json_field(o, "reinspection", dl__text_get(c->reinspection), true);
	opt_field(o, "later_phase", c->later_phase != DL_NONE ? c->policy->phases[c->later_phase].id : "",
		  true);
	dl__out_json_field(o, "later", dl__text_get(c->later), false);
	dl__out_str(o, "}");
}

static void write_reasons(dl__out *o, const dl_comparison *c)
{
	dl__out_str(o, "[");
	for (size_t i = 0; i < c->reason_count; i++) {
		const dl__reason *r = &c->reasons[i];
		dl__out_str(o, i ? ",\n    {" : "\n    {");
		dl__out_json_field(o, "kind", reason_kinds[r->kind], true);
		bool_field(o, "met", r->met, true);
		opt_field(o, "leads_to", r->met ? "" : dl_outcome_name(r->leads), true);
		dl__out_printf(o, "\"actual\": %d, \"required\": %d, ", r->actual, r->required);
		dl__out_json_field(o, "text", dl__text_get(r->text), false);
		dl__out_str(o, "}");
	}
	dl__out_str(o, c->reason_count ? "\n  ]" : "]");
}

static void item_object(dl__out *o, const dl_comparison *c, size_t i, bool with_eligible)
{
	const dl__item *item = &c->after->items[i];
	dl__out_str(o, "{");
	dl__out_json_field(o, "category", item->category, true);
	dl__out_json_field(o, "text", item->text, true);
	money_field(o, "amount", item->fen, true);
	if (with_eligible)
		bool_field(o, "eligible", !dl__text_get(c->item_reason[i])[0], true);
	opt_field(o, "reason", dl__text_get(c->item_reason[i]), false);
	dl__out_str(o, "}");
}

static void write_investment(dl__out *o, const dl_comparison *c)
{
	const dl_sheet *a = c->after;
	dl__out_json_key(o, "retrofit");
	if (a->has_retrofit) {
		dl__out_str(o, "{");
		dl__out_printf(o, "\"attempt\": %d, ", a->attempt);
		dl__out_json_field(o, "contract", dl_sheet_retrofit_contract(a), true);
		dl__out_json_field(o, "provider", dl_sheet_retrofit_provider(a), true);
		dl__out_json_field(o, "scope", dl_sheet_retrofit_scope(a), true);
		dl__out_json_field(o, "completed", dl_sheet_retrofit_completed(a), true);
		dl__out_json_field(o, "applied", dl_sheet_retrofit_applied(a), true);
		opt_field(o, "contract_number", dl_sheet_retrofit_contract_number(a), true);
		opt_money_field(o, "contract_amount", a->contract_fen, true);
		opt_field(o, "contract_signed", dl_sheet_retrofit_contract_signed(a), true);
		opt_field(o, "satisfaction", dl_sheet_retrofit_satisfaction(a), false);
		dl__out_str(o, "},\n  ");
	} else {
		dl__out_str(o, "null,\n  ");
	}
	if (!c->policy) {
		dl__out_str(o, "\"investment\": null,\n  \"eligible_investment\": null,\n  "
			       "\"items\": null,\n  \"excluded\": null");
		return;
	}
	money_field(o, "investment", c->investment, false);
	dl__out_str(o, ",\n  ");
	money_field(o, "eligible_investment", c->eligible, false);
	dl__out_str(o, ",\n  ");
	dl__out_json_key(o, "items");
	dl__out_str(o, "[");
	for (size_t i = 0; i < a->item_count; i++) {
		dl__out_str(o, i ? ",\n    " : "\n    ");
		item_object(o, c, i, true);
	}
	dl__out_str(o, a->item_count ? "\n  ],\n  " : "],\n  ");
	dl__out_json_key(o, "excluded");
	dl__out_str(o, "[");
	for (size_t i = 0; i < c->excluded_count; i++) {
		dl__out_str(o, i ? ",\n    " : "\n    ");
		item_object(o, c, c->excluded[i], false);
	}
	dl__out_str(o, c->excluded_count ? "\n  ]" : "]");
}

static void write_phase(dl__out *o, const dl_comparison *c)
{
	const dl_policy *p = c->policy;
	dl__out_json_key(o, "phase");
	if (!p) {
		dl__out_str(o, "null");
		return;
	}
	dl__out_str(o, "{");
	opt_field(o, "id", c->phase != DL_NONE ? p->phases[c->phase].id : "", true);
	opt_field(o, "title", c->phase != DL_NONE ? p->phases[c->phase].title : "", true);
	const char *by = p->basis == DL_DATE_APPLIED     ? "applied"
			 : p->basis == DL_DATE_COMPLETED ? "completed"
							 : "assessed";
	dl__out_json_field(o, "by", by, true);
	dl__out_json_field(o, "reason", dl__text_get(c->phase_reason), true);
	dl__out_json_key(o, "checks");
	dl__out_str(o, "[");
	for (size_t i = 0; c->passed && i < p->phase_count; i++) {
		dl__out_str(o, i ? ",\n    {" : "\n    {");
		dl__out_json_field(o, "id", p->phases[i].id, true);
		dl__out_json_field(o, "title", p->phases[i].title, true);
		bool_field(o, "matched", c->phase_matched[i], true);
		dl__out_json_field(o, "basis", dl__text_get(c->phase_basis[i]), false);
		dl__out_str(o, "}");
	}
	dl__out_str(o, c->passed && p->phase_count ? "\n  ]}" : "]}");
}

static void write_subsidy(dl__out *o, const dl_comparison *c)
{
	static const char *const kinds[] = {"rate", "cap", "bonus", "ceiling"};
	static const char *const modes[] = {"half-up", "down", "up"};
	const dl_policy *p = c->policy;
	dl__out_json_key(o, "subsidy");
	if (!p) {
		dl__out_str(o, "null");
		return;
	}
	char buf[80];
	dl__out_str(o, "{");
	bool_field(o, "granted", c->granted, true);
	money_field(o, "amount", c->subsidy, true);
	opt_field(o, "reason", dl__text_get(c->no_subsidy_reason), true);
	dl__out_json_key(o, "rounding");
	dl__out_str(o, "{");
	money_field(o, "unit", p->rounding_unit, true);
	dl__out_json_field(o, "mode", modes[p->rounding], false);
	dl__out_str(o, "},");
	if (!c->granted) {
		dl__out_str(o, "\n    \"rate_percent\": null, \"eligible\": null, \"product\": null, "
			       "\"rounded\": null,\n    \"cap\": null, \"cap_level\": null, "
			       "\"cap_binding\": null, \"capped\": null,\n    \"bonus\": null, "
			       "\"bonus_level\": null, \"ceiling\": null, \"steps\": []}");
		return;
	}
	dl__out_str(o, "\n    ");
	dl__out_json_field(o, "rate_percent", dl__rate_format(c->rate, buf, sizeof(buf)), true);
	money_field(o, "eligible", c->eligible, true);
	dl__out_json_field(o, "product",
			   dl__money_format_exact(c->product, false, buf, sizeof(buf)), true);
	money_field(o, "rounded", c->rounded, false);
	dl__out_str(o, ",\n    ");
	dl__out_json_key(o, "cap");
	if (c->has_cap)
		dl__out_json_string(o, dl__money_format(c->cap, buf, sizeof(buf)));
	else
		dl__out_str(o, "null");
	dl__out_str(o, ", ");
	opt_field(o, "cap_level", c->cap_level, true);
	bool_field(o, "cap_binding", c->cap_binding, true);
	money_field(o, "capped", c->capped, false);
	dl__out_str(o, ",\n    ");
	money_field(o, "bonus", c->bonus, true);
	opt_field(o, "bonus_level", c->bonus_level, true);
	opt_money_field(o, "ceiling", c->has_ceiling ? c->ceiling : -1, true);
	dl__out_json_key(o, "steps");
	dl__out_str(o, "[");
	for (size_t i = 0; i < c->step_count; i++) {
		dl__out_str(o, i ? ",\n      {" : "\n      {");
		dl__out_json_field(o, "kind", kinds[c->steps[i].kind], true);
		money_field(o, "amount", c->steps[i].amount, true);
		dl__out_json_field(o, "text", dl__text_get(c->steps[i].text), false);
		dl__out_str(o, "}");
	}
	dl__out_str(o, "]}");
}

/* message without the "warning: " (警告：) the comparison put before it, in either language. */
static const char *without_prefix(const char *message)
{
	static const char FORMAT[] = N_("warning: %s");
	const char *formats[] = {FORMAT, dl__tr_zh(FORMAT)};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		const char *arg = strstr(formats[i], "%s");
		size_t n = arg ? (size_t)(arg - formats[i]) : 0;
		if (n && strncmp(message, formats[i], n) == 0)
			return message + n;
	}
	return message;
}

/* The warnings about the sheets: [{file, line, column, message}], message without "warning: ". */
static void write_warnings(dl__out *o, const dl_comparison *c)
{
	dl__out_json_key(o, "warnings");
	dl__out_str(o, "[");
	for (size_t i = 0; i < c->warning_count; i++) {
		const dl_error *w = &c->warnings[i];
		const char *message = without_prefix(w->message);
		dl__out_str(o, i ? ",\n    {" : "\n    {");
		dl__out_json_field(o, "file", w->file, false);
		dl__out_printf(o, ", \"line\": %lu, \"column\": %lu, ", w->line, w->column);
		dl__out_json_field(o, "message", message, false);
		dl__out_str(o, "}");
	}
	dl__out_str(o, c->warning_count ? "\n  ],\n  " : "],\n  ");
}

int dl_comparison_write_json(const dl_comparison *c, dl_write_fn write, void *userdata)
{
	const dl_questionnaire *q = c->q;
	const dl_sheet *a = c->after;
	const dl_policy *p = c->policy;
	int lb = c->rb->level, la = c->ra->level;
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
	dl__out_json_key(&o, "enterprise");
	dl__out_str(&o, "{");
	dl__out_json_field(&o, "name", dl_sheet_enterprise(a, DL_ENTERPRISE_NAME), true);
	dl__out_json_field(&o, "credit_code", dl_sheet_enterprise(a, DL_ENTERPRISE_CREDIT_CODE),
			   true);
	dl__out_json_field(&o, "industry", dl_sheet_enterprise(a, DL_ENTERPRISE_INDUSTRY), true);
	dl__out_json_field(&o, "scale", dl_sheet_enterprise(a, DL_ENTERPRISE_SCALE), false);
	dl__out_str(&o, "},\n  ");
	dl__out_json_key(&o, "before");
	sheet_object(&o, c->before);
	dl__out_str(&o, ",\n  ");
	dl__out_json_key(&o, "after");
	sheet_object(&o, a);
	dl__out_str(&o, ",\n  ");
	write_warnings(&o, c);
	dl__out_printf(&o, "\"level_before\": %d,\n  ", lb);
	dl__out_json_field(&o, "level_before_name", dl_questionnaire_level_name(q, lb), false);
	dl__out_printf(&o, ",\n  \"level_after\": %d,\n  ", la);
	dl__out_json_field(&o, "level_after_name", dl_questionnaire_level_name(q, la), false);
	dl__out_printf(&o, ",\n  \"level_change\": %d,\n  ", la - lb);
	dl__out_json_key(&o, "total");
	dl__out_str(&o, "{");
	points_field(&o, "max", q->points, true);
	points_field(&o, "before", c->rb->total, true);
	points_field(&o, "after", c->ra->total, true);
	points_field(&o, "change", c->ra->total - c->rb->total, false);
	dl__out_str(&o, "},\n  ");
	for (int k = DL_NODE_DIMENSION; k <= DL_NODE_QUESTION; k++) {
		dl__out_json_key(&o, dl__json_node_lists[k]);
		write_nodes(&o, c, (dl_node_kind)k);
		dl__out_str(&o, ",\n  ");
	}
	dl__out_json_key(&o, "scenarios");
	write_scenarios(&o, c);
	dl__out_str(&o, ",\n  ");
	dl__out_json_key(&o, "scenario_counts");
	dl__out_str(&o, "[");
	for (int level = 1; level <= q->max_level; level++)
		dl__out_printf(&o,
			       "%s{\"level\": %d, \"before\": %zu, \"after\": %zu, "
			       "\"constraint_before\": %zu, \"constraint_after\": %zu}",
			       level > 1 ? ",\n    " : "\n    ", level,
			       dl_result_scenarios_at_least(c->rb, level, false),
			       dl_result_scenarios_at_least(c->ra, level, false),
			       dl_result_scenarios_at_least(c->rb, level, true),
			       dl_result_scenarios_at_least(c->ra, level, true));
	dl__out_str(&o, q->max_level > 0 ? "\n  ],\n  " : "],\n  ");
	dl__out_json_key(&o, "policy");
	if (p) {
		dl__out_str(&o, "{");
		dl__out_json_field(&o, "id", p->id, true);
		dl__out_json_field(&o, "version", p->version, true);
		dl__out_json_field(&o, "title", p->title, true);
		dl__out_json_field(&o, "issuer", p->issuer, true);
		dl__out_json_field(&o, "document", p->document, true);
		dl__out_json_field(&o, "min_level", p->min_level, true);
		dl__out_json_key(&o, "min_improvement");
		if (p->improvement >= 0)
			dl__out_printf(&o, "%d", p->improvement);
		else
			dl__out_str(&o, "null");
		dl__out_str(&o, "},\n  ");
		bool_field(&o, "passed", c->passed, false);
		dl__out_str(&o, ",\n  ");
		dl__out_json_field(&o, "verdict", dl_verdict_name(c->verdict), true);
		dl__out_json_field(&o, "verdict_title", dl_verdict_title(c->verdict), false);
	} else {
		dl__out_str(&o, "null,\n  \"passed\": null,\n  \"verdict\": null, \"verdict_title\": null");
	}
	dl__out_str(&o, ",\n  ");
	dl__out_json_key(&o, "reasons");
	write_reasons(&o, c);
	dl__out_str(&o, ",\n  ");
	write_investment(&o, c);
	dl__out_str(&o, ",\n  ");
	write_package(&o, c);
	dl__out_str(&o, ",\n  ");
	write_phase(&o, c);
	dl__out_str(&o, ",\n  ");
	write_subsidy(&o, c);
	dl__out_str(&o, "\n}\n");
	return dl__out_finish(&o);
}
