/*
 * acceptance_package.c: the checks of the acceptance package (验收材料) beside the level: the
 * pre-condition on the level before the retrofit, the contract's signing date, the materials
 * checklist, the financial check (invoices and payment proofs per item, tax-exclusive amounts,
 * totals reconciled against the contract) and the on-site check of each retrofit item.
 *
 * Which items a city requires and what a problem leads to (不通过 or 限期整改) is policy data; this
 * file only applies it and keeps every finding as a sentence with its numbers, in Chinese and in
 * English (text_both.h). What the sheet does
 * not record is not checked (the outputs say 未记录), so sheets written before the package existed
 * keep their verdicts. Money stays in fen: a tax-exclusive amount is the invoice's own figure, never
 * derived from a rate.
 */
#include "date.h"
#include "i18n.h"
#include "money.h"
#include "policy_model.h"
#include "result.h"
#include "sheet_model.h"

#include <stdio.h>
#include <string.h>

/* A sentence in both languages from language-neutral arguments; one language l of a sentence. */
#define BOTH(...) dl__text_both(&c->arena, &oom, __VA_ARGS__)
#define KEEP(l, ...) dl__keep(c, &oom, l, __VA_ARGS__)

static dl_outcome outcome_of(dl__consequence leads)
{
	return leads == DL__LEADS_FAIL ? DL_OUTCOME_FAIL
	       : leads == DL__LEADS_RECTIFY ? DL_OUTCOME_RECTIFY
					    : DL_OUTCOME_NOTE;
}

int dl__finding_add(dl_comparison *c, dl_reason_kind kind, dl_outcome outcome, dl__text text)
{
	if (outcome != DL_OUTCOME_FAIL && outcome != DL_OUTCOME_RECTIFY)
		return 0;
	if (c->finding_count == c->finding_cap) {
		size_t cap = c->finding_cap ? 2 * c->finding_cap : 16;
		dl__finding *grown = dl__arena_array(&c->arena, cap, sizeof(dl__finding));
		if (!grown)
			return DL_ENOMEM;
		if (c->finding_count)
			memcpy(grown, c->findings, c->finding_count * sizeof(dl__finding));
		c->findings = grown;
		c->finding_cap = cap;
	}
	c->findings[c->finding_count++] = (dl__finding){kind, outcome, text};
	return 0;
}

/* A reason summing up one check: met when no finding of that kind was added since `first`. */
static void add_reason(dl_comparison *c, dl_reason_kind kind, size_t first, dl__text text)
{
	dl__reason *r = &c->reasons[c->reason_count++];
	r->kind = kind;
	r->met = true;
	r->leads = DL_OUTCOME_OK;
	r->actual = (int)(c->finding_count - first);
	r->required = 0;
	for (size_t i = first; i < c->finding_count; i++) {
		r->met = false;
		if (c->findings[i].outcome > r->leads)
			r->leads = c->findings[i].outcome;
	}
	r->text = text;
}

static const char *level_name(const dl_comparison *c, int level)
{
	const char *name = dl_questionnaire_level_name(c->q, level);
	return name[0] ? name : "?";
}

const char *dl__phase_msgid(dl_phase phase)
{
	switch (phase) {
	case DL_PHASE_DIAGNOSIS: return N_("diagnosis (before the retrofit)");
	case DL_PHASE_EVALUATION: return N_("evaluation (after the retrofit)");
	case DL_PHASE_SELF_CHECK: return N_("self-check");
	}
	return "";
}

/* text, or text and the policy's note ("…；note"), in language l. */
static const char *with_note(dl_comparison *c, bool *oom, int l, const char *text, const char *note)
{
	return note[0] ? dl__keep(c, oom, l, N_("%s; %s"), text, note) : text;
}

/* --- pre-condition and contract --------------------------------------------------------------- */

static int check_prior(dl_comparison *c)
{
	const dl_policy *p = c->policy;
	bool oom = false;
	if (!p->prior_level[0])
		return 0;
	int need = dl__level_value(c->q, p->prior_level), had = c->rb->level;
	dl__reason *r = &c->reasons[c->reason_count++];
	r->kind = DL_REASON_PRIOR_LEVEL;
	r->actual = had;
	r->required = need;
	r->met = had >= need;
	r->leads = r->met ? DL_OUTCOME_OK : DL_OUTCOME_FAIL;
	DL__EACH_LANGUAGE(l) {
		const char *phase = dl__tr_in(l, dl__phase_msgid(c->before->phase));
		r->text.in[l] = with_note(
			c, &oom, l,
			r->met ? KEEP(l, N_("Precondition for applying: %s of %s at level %s, at or above the "
					    "required %s"),
				      phase, dl_sheet_date(c->before), level_name(c, had), p->prior_level)
			       : KEEP(l, N_("Precondition for applying: %s of %s at level %s, below the required %s"),
				      phase, dl_sheet_date(c->before), level_name(c, had), p->prior_level),
			p->prior_note);
	}
	if (!r->met && dl__finding_add(c, DL_REASON_PRIOR_LEVEL, DL_OUTCOME_FAIL,
				       BOTH(N_("Precondition for applying not met: level before the retrofit %s, "
					       "below the required %s"),
					    level_name(c, had), p->prior_level)) < 0)
		return DL_ENOMEM;
	return oom ? DL_ENOMEM : 0;
}

/* "2024-10-18 及以后签订" and the like, in language l. */
static void window_text(const dl_policy *p, int l, char *buf, size_t size)
{
	if (p->signed_from[0] && p->signed_to[0])
		snprintf(buf, size, dl__tr_in(l, N_("signed from %s to %s")), p->signed_from, p->signed_to);
	else if (p->signed_from[0])
		snprintf(buf, size, dl__tr_in(l, N_("signed on or after %s")), p->signed_from);
	else if (p->signed_to[0])
		snprintf(buf, size, dl__tr_in(l, N_("signed on or before %s")), p->signed_to);
	else
		snprintf(buf, size, "%s", dl__tr_in(l, N_("signed on any date")));
}

static int check_contract(dl_comparison *c)
{
	const dl_policy *p = c->policy;
	const char *signed_on = c->after->contract_signed ? c->after->contract_signed : "";
	bool oom = false;
	if (!p->has_contract_window)
		return 0;
	bool outside = signed_on[0] && ((p->signed_from[0] && dl__date_compare(signed_on, p->signed_from) < 0) ||
					(p->signed_to[0] && dl__date_compare(signed_on, p->signed_to) > 0));
	dl__text finding = DL__TEXT_EMPTY, reason;
	DL__EACH_LANGUAGE(l) {
		char w[80];
		window_text(p, l, w, sizeof(w));
		if (!signed_on[0])
			finding.in[l] = KEEP(l, N_("The contract records no signing date, so it cannot be checked "
						   "against the policy (%s): add the contract's signing date"),
					     w);
		else if (outside)
			finding.in[l] = KEEP(l, N_("Contract signed on %s, outside what the policy allows (%s)"),
					     signed_on, w);
		reason.in[l] = with_note(c, &oom, l,
					 KEEP(l, N_("Contract signed on %s; the policy requires: %s"),
					      signed_on[0] ? signed_on : dl__tr_in(l, N_("not recorded")), w),
					 p->signed_note);
	}
	size_t first = c->finding_count;
	int rc = 0;
	if (!signed_on[0])
		rc = dl__finding_add(c, DL_REASON_CONTRACT_DATE,
				     p->rectify_days ? DL_OUTCOME_RECTIFY : DL_OUTCOME_FAIL, finding);
	else if (outside)
		rc = dl__finding_add(c, DL_REASON_CONTRACT_DATE, DL_OUTCOME_FAIL, finding);
	if (rc < 0)
		return rc;
	add_reason(c, DL_REASON_CONTRACT_DATE, first, reason);
	return oom ? DL_ENOMEM : 0;
}

/* --- materials --------------------------------------------------------------------------------- */

static const dl__material *sheet_material(const dl_sheet *s, const char *id)
{
	for (size_t i = 0; i < s->material_count; i++)
		if (strcmp(s->materials[i].id, id) == 0)
			return &s->materials[i];
	return NULL;
}

static bool policy_requires(const dl_policy *p, const char *id)
{
	for (size_t i = 0; i < p->material_count; i++)
		if (strcmp(p->materials[i].id, id) == 0)
			return true;
	return false;
}

static void fill_row(dl__material_row *row, const dl__material *m)
{
	row->status = m ? m->status : "";
	row->reference = m ? m->reference : "";
	row->verified_by = m ? m->verified_by : "";
	row->verified_on = m ? m->verified_on : "";
}

static int check_materials(dl_comparison *c)
{
	const dl_policy *p = c->policy;
	const dl_sheet *s = c->after;
	bool oom = false;
	c->materials_recorded = s->has_materials;
	if (!s->has_materials)
		return 0;
	size_t n = p->material_count;
	for (size_t i = 0; i < s->material_count; i++)
		n += !policy_requires(p, s->materials[i].id);
	c->materials = dl__arena_array(&c->arena, n, sizeof(dl__material_row));
	if (n && !c->materials)
		return DL_ENOMEM;
	size_t first = c->finding_count;
	for (size_t i = 0; i < p->material_count; i++) {
		const dl__required_material *req = &p->materials[i];
		const dl__material *m = sheet_material(s, req->id);
		dl__material_row *row = &c->materials[c->material_count++];
		row->id = req->id;
		/* the policy names the item; the sheet's text is kept when it only adds to that name */
		row->title = m && strncmp(m->title, req->title, strlen(req->title)) == 0 ? m->title
											   : req->title;
		row->required = true;
		fill_row(row, m);
		row->outcome = DL_OUTCOME_OK;
		row->finding = DL__TEXT_EMPTY;
		if (m && strcmp(m->status, "missing") != 0) {
			if (strcmp(m->status, "provided") == 0) {
				row->outcome = DL_OUTCOME_NOTE;
				row->finding = dl__text_tr(N_("provided, not yet verified"));
			}
			continue;
		}
		row->outcome = outcome_of(req->missing);
		row->finding = m ? BOTH(N_("Required material “%s” is missing"), req->title)
				 : BOTH(N_("Required material “%s” is not on the materials list"), req->title);
		dl__text finding;
		DL__EACH_LANGUAGE(l)
		finding.in[l] = row->outcome == DL_OUTCOME_FAIL
					? KEEP(l, N_("Material missing: %s"), row->finding.in[l])
					: KEEP(l, N_("Material to be submitted: %s"), row->finding.in[l]);
		if (dl__finding_add(c, DL_REASON_MATERIALS, row->outcome, finding) < 0)
			return DL_ENOMEM;
	}
	for (size_t i = 0; i < s->material_count; i++) {
		const dl__material *m = &s->materials[i];
		if (policy_requires(p, m->id))
			continue;
		dl__material_row *row = &c->materials[c->material_count++];
		row->id = m->id;
		row->title = m->title;
		row->required = false;
		fill_row(row, m);
		row->outcome = strcmp(m->status, "missing") == 0 ? DL_OUTCOME_NOTE : DL_OUTCOME_OK;
		row->finding = row->outcome == DL_OUTCOME_NOTE
				       ? dl__text_tr(N_("missing (not required by this policy)"))
				       : DL__TEXT_EMPTY;
	}
	if (p->has_materials) {
		size_t missing = c->finding_count - first;
		add_reason(c, DL_REASON_MATERIALS, first,
			   missing ? BOTH(N_("Acceptance materials: this policy requires %zu, %zu missing"),
					  p->material_count, missing)
				   : BOTH(N_("Acceptance materials: all %zu this policy requires are present"),
					  p->material_count));
	}
	return oom ? DL_ENOMEM : 0;
}

/* --- finance ----------------------------------------------------------------------------------- */

static bool item_eligible(const dl_policy *p, const dl__item *item)
{
	size_t ci = dl__policy_category_find(p, item->category);
	return ci != DL_NONE && p->categories[ci].eligible;
}

static int64_t min3(int64_t a, int64_t b, int64_t c)
{
	int64_t m = a < b ? a : b;
	return m < c ? m : c;
}

/* Reconcile totals: each difference a sentence. */
static void reconcile(dl_comparison *c, bool *oomp)
{
	const dl_sheet *s = c->after;
	bool oom = false;
	char a[48], b[48], d[48];
	int64_t items = 0;
	for (size_t i = 0; i < s->item_count; i++)
		items += s->items[i].fen;
	if (s->contract_fen >= 0) {
		int64_t diff = s->contract_fen - items;
		dl__money_format_grouped(s->contract_fen, a, sizeof(a));
		dl__money_format_grouped(items, b, sizeof(b));
		dl__money_format_grouped(diff < 0 ? -diff : diff, d, sizeof(d));
		c->reconciliation[c->reconciliation_count++] =
			diff == 0 ? BOTH(N_("Contract amount %s yuan, equal to the investment items' total of "
					    "%s yuan"),
					 a, b)
			: diff > 0
				? BOTH(N_("Contract amount %s yuan, investment items' total %s yuan: the contract "
					  "is %s yuan more (not all carried out, or otherwise agreed; please check)"),
				       a, b, d)
				: BOTH(N_("Contract amount %s yuan, investment items' total %s yuan: the items are "
					  "%s yuan more (purchases outside the contract; please check)"),
				       a, b, d);
	}
	if (s->has_finance) {
		int64_t diff = c->invoiced_total - items;
		dl__money_format_grouped(c->invoiced_total, a, sizeof(a));
		dl__money_format_grouped(items, b, sizeof(b));
		dl__money_format_grouped(diff < 0 ? -diff : diff, d, sizeof(d));
		c->reconciliation[c->reconciliation_count++] =
			diff == 0 ? BOTH(N_("Invoices total %s yuan, equal to the investment items' total"), a)
			: diff > 0 ? BOTH(N_("Invoices total %s yuan, investment items' total %s yuan: invoices "
					     "%s yuan more"),
					  a, b, d)
				   : BOTH(N_("Invoices total %s yuan, investment items' total %s yuan: invoices "
					     "%s yuan less"),
					  a, b, d);
		if (s->contract_fen >= 0 && c->invoiced_total != s->contract_fen) {
			diff = c->invoiced_total - s->contract_fen;
			dl__money_format_grouped(s->contract_fen, b, sizeof(b));
			dl__money_format_grouped(diff < 0 ? -diff : diff, d, sizeof(d));
			c->reconciliation[c->reconciliation_count++] =
				diff > 0 ? BOTH(N_("Invoices total %s yuan, contract amount %s yuan: invoices %s "
						   "yuan more"),
						a, b, d)
					 : BOTH(N_("Invoices total %s yuan, contract amount %s yuan: invoices %s "
						   "yuan less"),
						a, b, d);
		}
		diff = c->paid_total - c->invoiced_total;
		dl__money_format_grouped(c->paid_total, b, sizeof(b));
		dl__money_format_grouped(diff < 0 ? -diff : diff, d, sizeof(d));
		c->reconciliation[c->reconciliation_count++] =
			diff == 0 ? BOTH(N_("Payment proofs total %s yuan, equal to the invoices' total"), b)
			: diff > 0 ? BOTH(N_("Payment proofs total %s yuan, invoices total %s yuan: payments "
					     "%s yuan more"),
					  b, a, d)
				   : BOTH(N_("Payment proofs total %s yuan, invoices total %s yuan: payments "
					     "%s yuan less"),
					  b, a, d);
	}
	*oomp |= oom;
}

static int check_finance(dl_comparison *c)
{
	const dl_policy *p = c->policy;
	const dl_sheet *s = c->after;
	bool oom = false, tax_exclusive = p->has_finance && p->tax_exclusive;
	bool evidence = p->has_finance && s->has_finance;
	dl_outcome leads = p->has_finance ? outcome_of(p->shortfall) : DL_OUTCOME_NOTE;
	char a[48], b[48], d[48];
	c->finance_recorded = s->has_finance;
	c->finance = dl__arena_array(&c->arena, s->item_count, sizeof(dl__finance_row));
	if (s->item_count && !c->finance)
		return DL_ENOMEM;
	size_t first = c->finding_count;
	for (size_t i = 0; i < s->item_count; i++) {
		const dl__item *item = &s->items[i];
		dl__finance_row *row = &c->finance[i];
		row->declared = item->fen;
		row->net = item->net_fen;
		row->invoiced = row->paid = s->has_finance ? 0 : -1;
		row->finding = DL__TEXT_EMPTY;
		for (size_t k = 0; item->id[0] && k < s->finance_count; k++) {
			const dl__finance_doc *f = &s->finance[k];
			if (strcmp(f->item, item->id) != 0)
				continue;
			if (f->invoice) {
				row->invoices++;
				/* under a tax-exclusive policy an invoice counts at its net amount */
				row->invoiced += tax_exclusive && f->net_fen >= 0 ? f->net_fen : f->fen;
				c->invoiced_total += f->fen;
			} else {
				row->payments++;
				row->paid += f->fen;
				c->paid_total += f->fen;
			}
		}
		int64_t basis = tax_exclusive ? item->net_fen : item->fen;
		bool eligible = item_eligible(p, item);
		if (basis < 0) {
			row->counted = 0;
			row->outcome = eligible ? leads : DL_OUTCOME_NOTE;
			row->finding = BOTH(N_("Only the amount with tax (%s yuan) is recorded, and this policy "
					       "counts amounts without tax: add the invoices' amounts without tax"),
					    dl__money_format_grouped(item->fen, a, sizeof(a)));
		} else if (!evidence) {
			row->counted = basis;
			row->outcome = DL_OUTCOME_OK;
			if (tax_exclusive && basis != item->fen)
				row->finding = BOTH(N_("Counted at %s yuan without tax (%s yuan with tax)"),
						    dl__money_format_grouped(basis, a, sizeof(a)),
						    dl__money_format_grouped(item->fen, b, sizeof(b)));
		} else {
			row->counted = min3(basis, row->invoiced, row->paid);
			row->outcome = DL_OUTCOME_OK;
			if (row->invoices == 0 || row->payments == 0) {
				row->finding = dl__text_tr(row->invoices    ? N_("no payment proof")
							   : row->payments ? N_("no invoice")
									   : N_("no invoice, no payment proof"));
			} else if (row->counted < basis) {
				bool invoices_short = row->invoiced <= row->paid;
				dl__money_format_grouped(row->counted, b, sizeof(b));
				dl__money_format_grouped(basis, a, sizeof(a));
				dl__money_format_grouped(basis - row->counted, d, sizeof(d));
				const char *shortfall =
					invoices_short
						? (tax_exclusive ? N_("Invoices without tax total %s yuan, less than the "
								      "amount without tax of %s yuan: %s yuan short, "
								      "only %s yuan counted")
								 : N_("Invoices total %s yuan, less than the declared "
								      "amount of %s yuan: %s yuan short, only %s yuan "
								      "counted"))
					: tax_exclusive ? N_("Payment proofs total %s yuan, less than the amount "
							     "without tax of %s yuan: %s yuan short, only %s yuan "
							     "counted")
							: N_("Payment proofs total %s yuan, less than the declared "
							     "amount of %s yuan: %s yuan short, only %s yuan counted");
				row->finding = BOTH(shortfall, b, a, d, b);
			}
			if (row->finding.in[0][0])
				row->outcome = eligible ? leads : DL_OUTCOME_NOTE;
		}
		if (row->outcome >= DL_OUTCOME_RECTIFY) {
			dl__text finding;
			DL__EACH_LANGUAGE(l)
			finding.in[l] = KEEP(l, N_("Item %zu “%s”: %s"), i + 1, item->text, row->finding.in[l]);
			if (dl__finding_add(c, DL_REASON_FINANCE, row->outcome, finding) < 0)
				return DL_ENOMEM;
		}
	}
	reconcile(c, &oom);
	if (p->has_finance && (s->has_finance || c->finding_count > first))
		add_reason(c, DL_REASON_FINANCE, first,
			   c->finding_count > first
				   ? BOTH(N_("Financial check: invoices, payment proofs or amounts without tax "
					     "incomplete for %zu investment items"),
					  c->finding_count - first)
			   : tax_exclusive ? dl__text_tr(N_("Financial check: invoices and payment proofs of the "
							    "eligible items complete, counted without tax"))
					   : dl__text_tr(N_("Financial check: invoices and payment proofs of the "
							    "eligible items complete")));
	return oom ? DL_ENOMEM : 0;
}

/* --- on-site ----------------------------------------------------------------------------------- */

static int check_onsite(dl_comparison *c)
{
	const dl_policy *p = c->policy;
	const dl_sheet *s = c->after;
	bool oom = false;
	c->onsite_recorded = s->has_onsite;
	c->onsite = dl__arena_array(&c->arena, s->item_count, sizeof(dl__onsite_row));
	if (s->item_count && !c->onsite)
		return DL_ENOMEM;
	size_t first = c->finding_count;
	for (size_t i = 0; i < s->item_count; i++) {
		const dl__item *item = &s->items[i];
		dl__onsite_row *row = &c->onsite[i];
		row->item = i;
		row->check = DL_NONE;
		row->outcome = DL_OUTCOME_OK;
		row->finding = DL__TEXT_EMPTY;
		for (size_t k = 0; item->id[0] && k < s->check_count; k++)
			if (strcmp(s->checks[k].item, item->id) == 0)
				row->check = k;
		if (!s->has_onsite)
			continue;
		bool eligible = item_eligible(p, item);
		if (row->check == DL_NONE) {
			if (eligible) {
				row->outcome = DL_OUTCOME_NOTE;
				row->finding = dl__text_tr(N_("not checked on site"));
			}
			continue;
		}
		const dl__onsite_check *k = &s->checks[row->check];
		dl_outcome worst = DL_OUTCOME_OK;
		const char *what[3] = {"", "", ""};
		size_t n = 0;
		struct {
			bool ok;
			dl__consequence leads;
			const char *text;
		} points[3] = {{k->real, p->not_real, N_("no equipment or system seen (not real)")},
			       {k->running, p->not_running, N_("not running normally")},
			       {k->in_use, p->not_in_use, N_("not in use, no real economic benefit")}};
		for (size_t j = 0; j < 3; j++) {
			if (points[j].ok)
				continue;
			what[n++] = points[j].text;
			dl_outcome o = p->has_onsite && eligible ? outcome_of(points[j].leads) : DL_OUTCOME_NOTE;
			if (o > worst)
				worst = o;
		}
		if (n == 0)
			continue;
		row->outcome = worst;
		dl__text finding;
		DL__EACH_LANGUAGE(l) {
			const char *sep = dl__tr_in(l, N_("; "));
			row->finding.in[l] = KEEP(l, "%s%s%s%s%s", dl__tr_in(l, what[0]), n > 1 ? sep : "",
						  what[1][0] ? dl__tr_in(l, what[1]) : "", n > 2 ? sep : "",
						  what[2][0] ? dl__tr_in(l, what[2]) : "");
			finding.in[l] = k->note[0] ? KEEP(l, N_("Item %zu “%s” on-site check: %s (see the check "
								"record)"),
							  i + 1, item->text, row->finding.in[l])
						   : KEEP(l, N_("Item %zu “%s” on-site check: %s"), i + 1,
							  item->text, row->finding.in[l]);
		}
		if (dl__finding_add(c, DL_REASON_ONSITE, worst, finding) < 0)
			return DL_ENOMEM;
	}
	if (p->has_onsite && s->has_onsite) {
		size_t bad = c->finding_count - first;
		add_reason(c, DL_REASON_ONSITE, first,
			   bad ? BOTH(N_("On-site check: %zu items checked, %zu not real, not running or not in use"),
				      s->check_count, bad)
			       : BOTH(N_("On-site check: %zu items checked, all real, running and in use"),
				      s->check_count));
	}
	return oom ? DL_ENOMEM : 0;
}

int dl__package_decide(dl_comparison *c)
{
	int rc;
	if ((rc = check_prior(c)) < 0 || (rc = check_contract(c)) < 0 ||
	    (rc = check_materials(c)) < 0 || (rc = check_finance(c)) < 0 ||
	    (rc = check_onsite(c)) < 0)
		return rc;
	return 0;
}
