/*
 * write_compare_text.c: a before/after comparison as text for people, in the language of messages
 * (Chinese unless English is chosen; the reasons are kept in both, text_both.h).
 *
 * Read top-down it answers an evaluator's questions in the order of an acceptance opinion: which
 * enterprise and which two assessments, the level before and after, then (with a policy) the
 * verdict with every condition and its numbers, the retrofit project and its investment item by
 * item with the excluded ones and why, the phase and why, the subsidy step by step; then the score
 * of every dimension, indicator, sub-indicator and question before and after, and every scenario.
 * Columns are aligned by display width, so Chinese text lines up in a terminal.
 */
#include "i18n.h"
#include "money.h"
#include "out.h"
#include "policy_model.h"
#include "result.h"
#include "sheet_model.h"

#include <stdio.h>
#include <string.h>

#define NAME_WIDTH 52
#define SCENARIO_WIDTH 30
#define CATEGORY_WIDTH 18
#define ITEM_WIDTH 40

static void change_text(int64_t change, char *buf, size_t size)
{
	if (change > 0 && size > 1) {
		buf[0] = '+';
		dl__decimal_format(change, buf + 1, size - 1);
	} else {
		dl__decimal_format(change, buf, size);
	}
}

/* The verdict's title in the language of messages (dl_verdict_title is the Chinese one). */
static const char *verdict_title(dl_verdict v)
{
	switch (v) {
	case DL_VERDICT_PASS: return _("accepted");
	case DL_VERDICT_FAIL: return _("not accepted");
	case DL_VERDICT_RECTIFY: return _("rectify within a deadline");
	}
	return "";
}

static void write_header(dl__out *o, const dl_comparison *c)
{
	const dl_sheet *b = c->before, *a = c->after;
	const dl_questionnaire *q = c->q;
	dl__out_printf(o, "%s（%s）\n", dl_sheet_enterprise(a, DL_ENTERPRISE_NAME),
		       dl_sheet_enterprise(a, DL_ENTERPRISE_CREDIT_CODE));
	dl__out_printf(o, "%s · %s", dl_sheet_enterprise(a, DL_ENTERPRISE_INDUSTRY),
		       dl_sheet_enterprise(a, DL_ENTERPRISE_SCALE));
	if (dl_sheet_employees(a) >= 0)
		dl__out_printf(o, _(" · %ld employees"), dl_sheet_employees(a));
	dl__out_printf(o, _("\nBefore: %s %s · %s · %s\n"), _(dl__phase_msgid(dl_sheet_phase(b))),
		       dl_sheet_date(b), dl_sheet_organisation(b), dl_sheet_path(b));
	dl__out_printf(o, _("After: %s %s · %s · %s\n"), _(dl__phase_msgid(dl_sheet_phase(a))),
		       dl_sheet_date(a), dl_sheet_organisation(a), dl_sheet_path(a));
	dl__out_printf(o, "%s（%s %s）\n", q->title, q->id, q->version);
	dl__out_printf(o, _("Questionnaire file: %s · SHA-256 %s\n"), q->path, q->digest);
	/* What was warned on standard error is in the output too: it may be read without it. */
	for (size_t i = 0; i < c->warning_count; i++) {
		char line[DL_ERROR_FILE_MAX + DL_ERROR_MESSAGE_MAX + 64];
		dl_error_format(&c->warnings[i], line, sizeof(line));
		dl__out_printf(o, _("Note: %s\n"), line);
	}
	dl__out_str(o, "\n");

	int lb = c->rb->level, la = c->ra->level;
	char x[32], y[32], z[32];
	dl__out_printf(o, _("Level: %s → %s"), dl_questionnaire_level_name(q, lb),
		       dl_questionnaire_level_name(q, la));
	if (la > lb)
		dl__out_printf(o, _(" (up %d)\n"), la - lb);
	else if (la < lb)
		dl__out_printf(o, _(" (down %d)\n"), lb - la);
	else
		dl__out_str(o, _(" (unchanged)\n"));
	change_text(c->ra->total - c->rb->total, z, sizeof(z));
	dl__out_printf(o, _("Total score: %s → %s (%s)\n"),
		       dl__decimal_format(c->rb->total, x, sizeof(x)),
		       dl__decimal_format(c->ra->total, y, sizeof(y)), z);
}

static void write_verdict(dl__out *o, const dl_comparison *c)
{
	const dl_policy *p = c->policy;
	dl__out_printf(o, _("\nAcceptance: %s (%s %s)\n"), p->title, p->id, p->version);
	dl__out_printf(o, _("Basis: %s · %s\n"), p->issuer, p->document);
	dl__out_printf(o, _("Verdict: %s\n"), verdict_title(c->verdict));
	for (size_t i = 0; i < c->reason_count; i++)
	{
		dl__out_str(o, c->reasons[i].met ? "  ✓ " : "  ✗ ");
		dl__out_str(o, dl__text_get(c->reasons[i].text));
		if (!c->reasons[i].met && c->reasons[i].leads == DL_OUTCOME_RECTIFY)
			dl__out_str(o, _(" (rectify within a deadline)"));
		dl__out_str(o, "\n");
	}
}

static const char *mark(dl_outcome o)
{
	switch (o) {
	case DL_OUTCOME_OK: return "  ✓ ";
	case DL_OUTCOME_NOTE: return "  · ";
	case DL_OUTCOME_RECTIFY: return "  △ ";
	case DL_OUTCOME_FAIL: return "  ✗ ";
	}
	return "    ";
}

static const char *consequence(dl_outcome o)
{
	return o == DL_OUTCOME_FAIL	 ? _(" → not accepted")
	       : o == DL_OUTCOME_RECTIFY ? _(" → rectify within a deadline")
					 : "";
}

/* The materials checklist, the financial check and the on-site check (docs/policy.md). */
static void write_package(dl__out *o, const dl_comparison *c)
{
	const dl_policy *p = c->policy;
	const dl_sheet *a = c->after;
	char x[48], y[48], z[48], w[48];
	if (!c->materials_recorded) {
		if (p->has_materials)
			dl__out_printf(o,
				       _("\nAcceptance materials: not recorded (this policy "
					 "requires %zu; to be checked by hand)\n"),
				       p->material_count);
		else
			dl__out_str(o, _("\nAcceptance materials: not recorded\n"));
	} else {
		dl__out_printf(o, _("\nAcceptance materials (this policy requires %zu):\n"),
			       p->material_count);
		for (size_t i = 0; i < c->material_count; i++) {
			const dl__material_row *m = &c->materials[i];
			dl__out_str(o, mark(m->outcome));
			dl__out_printf(
			    o, "%s%s · %s", m->title, m->required ? "" : _(" (not required)"),
			    dl_comparison_material_field(c, i, DL_MATERIAL_STATUS_TITLE));
			if (m->reference[0])
				dl__out_printf(o, " · %s", m->reference);
			if (m->verified_by[0] || m->verified_on[0])
				dl__out_printf(o, _(" · verified by %s %s"), m->verified_by,
					       m->verified_on);
			const char *finding = dl__text_get(m->finding);
			if (finding[0] && m->outcome >= DL_OUTCOME_RECTIFY)
				dl__out_printf(o, "%s", consequence(m->outcome));
			else if (finding[0])
				dl__out_printf(o, _(" (%s)"), finding);
			dl__out_str(o, "\n");
		}
	}

	bool tax = p->has_finance && p->tax_exclusive;
	if (!c->finance_recorded && !tax) {
		dl__out_str(o, _("\nFinancial check: no invoices or payment proofs recorded\n"));
	} else {
		dl__out_printf(
		    o, _("\nFinancial check%s%s:\n"), tax ? _(" (counted without tax)") : "",
		    c->finance_recorded ? "" : _(" (no invoices or payment proofs recorded)"));
		for (size_t i = 0; i < a->item_count; i++) {
			const dl__finance_row *f = &c->finance[i];
			dl__out_str(o, mark(f->outcome));
			dl__out_printf(o, _("%zu %s: declared %s"), i + 1, a->items[i].text,
				       dl__money_format_grouped(f->declared, x, sizeof(x)));
			if (f->net >= 0)
				dl__out_printf(o, _(" · without tax %s"),
					       dl__money_format_grouped(f->net, y, sizeof(y)));
			if (f->invoiced >= 0)
				dl__out_printf(o, _(" · invoices %s (%zu) · payments %s (%zu)"),
					       dl__money_format_grouped(f->invoiced, z, sizeof(z)),
					       f->invoices,
					       dl__money_format_grouped(f->paid, w, sizeof(w)),
					       f->payments);
			dl__out_printf(o, _(" · counted %s"),
				       dl__money_format_grouped(f->counted, x, sizeof(x)));
			if (dl__text_get(c->item_reason[i])[0])
				dl__out_str(o, _(" (category not counted)"));
			if (dl__text_get(f->finding)[0])
				dl__out_printf(o, " · %s%s", dl__text_get(f->finding),
					       consequence(f->outcome));
			dl__out_str(o, "\n");
		}
	}
	for (size_t i = 0; i < c->reconciliation_count; i++)
		dl__out_printf(o, _("  Reconciliation: %s\n"), dl__text_get(c->reconciliation[i]));
	for (size_t i = 0; i < a->fund_count; i++)
		dl__out_printf(o, _("  Other public funds: %s %s yuan · %s\n"), a->funds[i].source,
			       dl__money_format_grouped(a->funds[i].fen, x, sizeof(x)),
			       a->funds[i].text);

	if (!c->onsite_recorded) {
		dl__out_str(o, _("\nOn-site check: not recorded\n"));
		return;
	}
	dl__out_str(o, _("\nOn-site check (real · running · in use):\n"));
	for (size_t i = 0; i < a->item_count; i++) {
		const dl__onsite_row *r = &c->onsite[i];
		if (r->check == DL_NONE && !dl__text_get(r->finding)[0])
			continue;
		dl__out_str(o, mark(r->outcome));
		dl__out_printf(o, "%zu %s: ", i + 1, a->items[i].text);
		if (r->check != DL_NONE) {
			const dl__onsite_check *k = &a->checks[r->check];
			dl__out_printf(o, "%s%s · %s%s · %s%s", k->real ? "" : "✗", _("real"),
				       k->running ? "" : "✗", _("running"), k->in_use ? "" : "✗",
				       _("in use"));
			if (k->note[0])
				dl__out_printf(o, " · %s", k->note);
		} else {
			dl__out_str(o, dl__text_get(r->finding));
		}
		dl__out_printf(o, "%s\n", consequence(r->outcome));
	}
}

/* Under 不通过 or 限期整改: what must be put right, by when, and what a later pass brings. */
static void write_rectification(dl__out *o, const dl_comparison *c)
{
	if (c->verdict == DL_VERDICT_PASS)
		return;
	dl__out_printf(o, "\n%s:\n",
		       c->verdict == DL_VERDICT_RECTIFY
			   ? _("To rectify")
			   : _("Why not accepted, and what to rectify"));
	for (size_t i = 0; i < c->finding_count; i++)
		dl__out_printf(o, "  %zu. %s%s\n", i + 1, dl__text_get(c->findings[i].text),
			       c->findings[i].outcome == DL_OUTCOME_FAIL
				   ? _(" (not accepted)")
				   : _(" (rectify within a deadline)"));
	if (c->deadline[0])
		dl__out_printf(o, _("Rectification deadline: %s\n"), c->deadline);
	dl__out_printf(o, _("Re-inspection: %s\n"), dl__text_get(c->reinspection));
	dl__out_printf(o, _("After the re-inspection passes: %s\n"), dl__text_get(c->later));
}

static void write_retrofit(dl__out *o, const dl_comparison *c)
{
	const dl_sheet *a = c->after;
	char amount[48];
	dl__out_printf(o, _("\nRetrofit project: acceptance attempt %d\n"), a->attempt);
	dl__out_printf(o, _("  Contract: %s · provider: %s\n"), dl_sheet_retrofit_contract(a),
		       dl_sheet_retrofit_provider(a));
	if (a->contract_number[0] || a->contract_fen >= 0 || a->contract_signed[0]) {
		dl__out_printf(
		    o, _("  Contract number: %s · contract amount: %s · signed on: %s\n"),
		    a->contract_number[0] ? a->contract_number : _("not recorded"),
		    a->contract_fen >= 0
			? dl__money_format_grouped(a->contract_fen, amount, sizeof(amount))
			: _("not recorded"),
		    a->contract_signed[0] ? a->contract_signed : _("not recorded"));
	}
	dl__out_printf(o, _("  Satisfaction with the provider: %s\n"),
		       a->satisfaction[0] ? a->satisfaction : _("not recorded"));
	if (dl_sheet_retrofit_scope(a)[0]) {
		/* the scope may run over lines (its type is "text"): folded into one here, so that no
		 * line of it can stand in the output as a line of the verdict */
		dl__out_str(o, _("  Scope: "));
		for (const char *p = dl_sheet_retrofit_scope(a); *p;) {
			size_t n = strcspn(p, "\r\n\t");
			dl__out_bytes(o, p, n);
			p += n;
			if (*p) {
				p += strspn(p, " \r\n\t");
				dl__out_str(o, " ");
			}
		}
		dl__out_str(o, "\n");
	}
	dl__out_printf(o, _("  Completed: %s · acceptance applied for: %s\n"),
		       dl_sheet_retrofit_completed(a), dl_sheet_retrofit_applied(a));

	dl__out_str(o, "\n");
	dl__out_padded(o, _("Investment items"), 4 + CATEGORY_WIDTH + ITEM_WIDTH);
	dl__out_str(o, _("    amount (yuan)\n"));
	for (size_t i = 0; i < a->item_count; i++) {
		const dl__item *item = &a->items[i];
		char cut[300];
		const char *excluded = dl__text_get(c->item_reason[i]);
		dl__out_str(o, excluded[0] ? "  ✗ " : "  ✓ ");
		dl__truncate_display(item->category, CATEGORY_WIDTH - 1, cut, sizeof(cut));
		dl__out_padded(o, cut, CATEGORY_WIDTH);
		dl__truncate_display(item->text, ITEM_WIDTH - 1, cut, sizeof(cut));
		dl__out_padded(o, cut, ITEM_WIDTH);
		dl__out_right(o, dl__money_format_grouped(item->fen, amount, sizeof(amount)), 14);
		if (excluded[0]) {
			dl__out_str(o, _("  not counted: "));
			dl__out_str(o, excluded);
		} else if (c->finance[i].counted != item->fen) {
			dl__out_printf(o, _("  counted %s"),
				       dl__money_format_grouped(c->finance[i].counted, amount,
								sizeof(amount)));
		}
		dl__out_str(o, "\n");
	}
	char total[48], eligible[48], excluded[48];
	dl__out_printf(
	    o,
	    _("  Investment total %s yuan · eligible %s yuan · not counted %s yuan (%zu items)\n"),
	    dl__money_format_grouped(c->investment, total, sizeof(total)),
	    dl__money_format_grouped(c->eligible, eligible, sizeof(eligible)),
	    dl__money_format_grouped(c->investment - c->eligible, excluded, sizeof(excluded)),
	    c->excluded_count);
}

static void write_phase_and_subsidy(dl__out *o, const dl_comparison *c)
{
	const dl_policy *p = c->policy;
	dl__out_printf(o, _("\nSubsidy phase: %s\n"),
		       c->phase != DL_NONE ? p->phases[c->phase].title : _("none"));
	dl__out_str(o, "  ");
	dl__out_str(o, dl__text_get(c->phase_reason));
	dl__out_str(o, "\n");
	if (c->passed)
		for (size_t i = 0; i < p->phase_count; i++) {
			dl__out_printf(o, "  %s ", c->phase_matched[i] ? "✓" : "✗");
			dl__out_padded(o, p->phases[i].title, 10);
			dl__out_str(o, dl__text_get(c->phase_basis[i]));
			dl__out_str(o, "\n");
		}
	char amount[48];
	if (!c->granted) {
		dl__out_str(o, _("\nSubsidy: none\n  "));
		dl__out_str(o, dl__text_get(c->no_subsidy_reason));
		dl__out_str(o, "\n");
		return;
	}
	dl__out_printf(o, _("\nSubsidy computation (%s):\n"), p->phases[c->phase].title);
	for (size_t i = 0; i < c->step_count; i++) {
		dl__out_printf(o, "  %zu. ", i + 1);
		dl__out_str(o, dl__text_get(c->steps[i].text));
		dl__out_str(o, "\n");
	}
	dl__out_printf(o, _("Subsidy: %s yuan\n"),
		       dl__money_format_grouped(c->subsidy, amount, sizeof(amount)));
}

static void chosen_text(const dl_result *r, size_t qi, char *buf, size_t size)
{
	const dl__question *qu = &r->q->questions[qi];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t oi = 0; oi < qu->option_count && n < size; oi++)
		if (r->chosen[r->option_offset[qi] + oi]) {
			int w = snprintf(buf + n, size - n, "%s%s", n ? " " : "", qu->options[oi].id);
			if (w < 0)
				break;
			n += (size_t)w;
		}
	if (!buf[0])
		snprintf(buf, size, "-");
}

static void write_scores(dl__out *o, const dl_comparison *c)
{
	const dl_questionnaire *q = c->q;
	dl__out_str(o, "\n");
	dl__out_padded(o, _("Scores compared"), NAME_WIDTH + 2);
	dl__out_str(o, _("    max  before   after  change  options\n"));
	for (size_t n = 0; n < q->node_count; n++) {
		const dl__node *node = &q->nodes[n];
		char label[400], v[32];
		if (node->kind == DL_NODE_QUESTION)
			snprintf(label, sizeof(label), "%s %s", node->id, node->title);
		else
			snprintf(label, sizeof(label), "%s", node->title);
		dl__out_label(o, label, 2 + 2 * (size_t)node->kind, NAME_WIDTH);
		dl__out_right(o, dl__decimal_format(node->points, v, sizeof(v)), 7);
		dl__out_right(o, dl__decimal_format(c->rb->node_scores[n], v, sizeof(v)), 8);
		dl__out_right(o, dl__decimal_format(c->ra->node_scores[n], v, sizeof(v)), 8);
		change_text(c->ra->node_scores[n] - c->rb->node_scores[n], v, sizeof(v));
		dl__out_right(o, v, 8);
		if (node->kind == DL_NODE_QUESTION) {
			char before[200], after[200];
			chosen_text(c->rb, node->question, before, sizeof(before));
			chosen_text(c->ra, node->question, after, sizeof(after));
			if (strcmp(before, after) == 0)
				dl__out_printf(o, "  %s", after);
			else
				dl__out_printf(o, "  %s → %s", before, after);
		}
		dl__out_str(o, "\n");
	}
}

static void write_scenarios(dl__out *o, const dl_comparison *c)
{
	const dl_questionnaire *q = c->q;
	if (q->scenario_count == 0)
		return;
	char title[200], v[32];
	snprintf(title, sizeof(title), _("%s (★ constraint scenarios)"), q->scenarios_title);
	dl__out_str(o, "\n");
	dl__out_padded(o, title, SCENARIO_WIDTH);
	dl__out_str(o, _("  before   after  change\n"));
	for (size_t g = 0; g < q->group_count; g++) {
		dl__out_printf(o, "  %s\n", q->groups[g].title);
		for (size_t si = 0; si < q->scenario_count; si++) {
			const dl__scenario *s = &q->scenarios[si];
			if (s->group != g)
				continue;
			char label[200];
			int lb = c->rb->scenario_levels[si], la = c->ra->scenario_levels[si];
			snprintf(label, sizeof(label), "%s %s%s", s->id, s->title,
				 s->constraint ? " ★" : "");
			dl__out_str(o, "    ");
			dl__out_padded(o, label, SCENARIO_WIDTH - 4);
			snprintf(v, sizeof(v), _("level %d"), lb);
			dl__out_right(o, v, 8);
			snprintf(v, sizeof(v), _("level %d"), la);
			dl__out_right(o, v, 8);
			snprintf(v, sizeof(v), "%s%d", la > lb ? "+" : "", la - lb);
			dl__out_right(o, v, 8);
			dl__out_str(o, "\n");
		}
	}
	dl__out_str(o, _("  Scenarios at each level or above (before → after):\n"));
	for (int level = 1; level <= q->max_level; level++)
		dl__out_printf(o, _("    ≥ level %d: %zu → %zu (constraint %zu → %zu)\n"), level,
			       dl_result_scenarios_at_least(c->rb, level, false),
			       dl_result_scenarios_at_least(c->ra, level, false),
			       dl_result_scenarios_at_least(c->rb, level, true),
			       dl_result_scenarios_at_least(c->ra, level, true));
}

int dl_comparison_write_text(const dl_comparison *c, dl_write_fn write, void *userdata)
{
	dl__out o;
	dl__out_init(&o, write, userdata);
	write_header(&o, c);
	if (c->policy) {
		write_verdict(&o, c);
		write_retrofit(&o, c);
		write_package(&o, c);
		write_phase_and_subsidy(&o, c);
		write_rectification(&o, c);
	}
	write_scores(&o, c);
	write_scenarios(&o, c);
	return dl__out_finish(&o);
}
