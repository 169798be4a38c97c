/*
 * acceptance_package.c: the checks of the acceptance package (验收材料) beside the level: the
 * pre-condition on the level before the retrofit, the contract's signing date, the materials
 * checklist, the financial check (invoices and payment proofs per item, tax-exclusive amounts,
 * totals reconciled against the contract) and the on-site check of each retrofit item.
 *
 * Which items a city requires and what a problem leads to (不通过 or 限期整改) is policy data; this
 * file only applies it and keeps every finding as a sentence with its numbers. What the sheet does
 * not record is not checked (the outputs say 未记录), so sheets written before the package existed
 * keep their verdicts. Money stays in fen: a tax-exclusive amount is the invoice's own figure, never
 * derived from a rate.
 */
#include "date.h"
#include "money.h"
#include "policy_model.h"
#include "result.h"
#include "sheet_model.h"

#include <stdio.h>
#include <string.h>

#define KEEP(...) dl__keep(c, &oom, __VA_ARGS__)

static dl_outcome outcome_of(dl__consequence leads)
{
	return leads == DL__LEADS_FAIL ? DL_OUTCOME_FAIL
	       : leads == DL__LEADS_RECTIFY ? DL_OUTCOME_RECTIFY
					    : DL_OUTCOME_NOTE;
}

int dl__finding_add(dl_comparison *c, dl_reason_kind kind, dl_outcome outcome, const char *text)
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
static void add_reason(dl_comparison *c, dl_reason_kind kind, size_t first, const char *text)
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
	r->text = KEEP("申报前提：%s %s 等级 %s，%s要求的 %s%s%s%s",
		       dl_phase_title(c->before->phase), dl_sheet_date(c->before), level_name(c, had),
		       r->met ? "达到" : "低于", p->prior_level, r->met ? " 及以上" : "",
		       p->prior_note[0] ? "；" : "", p->prior_note);
	if (!r->met && dl__finding_add(c, DL_REASON_PRIOR_LEVEL, DL_OUTCOME_FAIL,
				       KEEP("不符合申报前提：改造前等级 %s，低于要求的 %s",
					    level_name(c, had), p->prior_level)) < 0)
		return DL_ENOMEM;
	return oom ? DL_ENOMEM : 0;
}

/* "2024-10-18 及以后签订" and the like. */
static void window_text(const dl_policy *p, char *buf, size_t size)
{
	if (p->signed_from[0] && p->signed_to[0])
		snprintf(buf, size, "%s 至 %s 期间签订", p->signed_from, p->signed_to);
	else if (p->signed_from[0])
		snprintf(buf, size, "%s 及以后签订", p->signed_from);
	else if (p->signed_to[0])
		snprintf(buf, size, "%s 及以前签订", p->signed_to);
	else
		snprintf(buf, size, "签订日期不限");
}

static int check_contract(dl_comparison *c)
{
	const dl_policy *p = c->policy;
	const char *signed_on = c->after->contract_signed ? c->after->contract_signed : "";
	bool oom = false;
	char w[80];
	if (!p->has_contract_window)
		return 0;
	window_text(p, w, sizeof(w));
	size_t first = c->finding_count;
	int rc = 0;
	if (!signed_on[0])
		rc = dl__finding_add(c, DL_REASON_CONTRACT_DATE,
				     p->rectify_days ? DL_OUTCOME_RECTIFY : DL_OUTCOME_FAIL,
				     KEEP("合同未记录签订日期，无法核对是否符合政策要求（%s）：补正合同签订日期", w));
	else if ((p->signed_from[0] && dl__date_compare(signed_on, p->signed_from) < 0) ||
		 (p->signed_to[0] && dl__date_compare(signed_on, p->signed_to) > 0))
		rc = dl__finding_add(c, DL_REASON_CONTRACT_DATE, DL_OUTCOME_FAIL,
				     KEEP("合同签订日期 %s，不符合政策要求（%s）", signed_on, w));
	if (rc < 0)
		return rc;
	add_reason(c, DL_REASON_CONTRACT_DATE, first,
		   KEEP("合同签订日期 %s，政策要求 %s%s%s", signed_on[0] ? signed_on : "未记录", w,
			p->signed_note[0] ? "；" : "", p->signed_note));
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
		row->finding = "";
		if (m && strcmp(m->status, "missing") != 0) {
			if (strcmp(m->status, "provided") == 0) {
				row->outcome = DL_OUTCOME_NOTE;
				row->finding = "已提供，尚未核验";
			}
			continue;
		}
		row->outcome = outcome_of(req->missing);
		row->finding = KEEP("必备材料“%s”%s", req->title, m ? "缺失" : "未列入材料清单");
		if (dl__finding_add(c, DL_REASON_MATERIALS, row->outcome,
				    KEEP("%s：%s", row->outcome == DL_OUTCOME_FAIL ? "材料缺失" : "补交材料",
					 row->finding)) < 0)
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
		row->finding = row->outcome == DL_OUTCOME_NOTE ? "缺失（本政策不要求）" : "";
	}
	if (p->has_materials) {
		size_t missing = c->finding_count - first;
		add_reason(c, DL_REASON_MATERIALS, first,
			   missing ? KEEP("验收材料：本政策要求 %zu 项，%zu 项缺失", p->material_count, missing)
				   : KEEP("验收材料：本政策要求的 %zu 项齐全", p->material_count));
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
		    diff == 0 ? KEEP("合同金额 %s 元，与投资明细合计 %s 元一致", a, b)
			      : KEEP("合同金额 %s 元，投资明细合计 %s 元，%s %s 元（合同%s）", a, b,
				     diff > 0 ? "合同多" : "明细多", d,
				     diff > 0 ? "未全部实施或另有约定，请核对" : "外另有采购，请核对");
	}
	if (s->has_finance) {
		int64_t diff = c->invoiced_total - items;
		dl__money_format_grouped(c->invoiced_total, a, sizeof(a));
		dl__money_format_grouped(items, b, sizeof(b));
		dl__money_format_grouped(diff < 0 ? -diff : diff, d, sizeof(d));
		c->reconciliation[c->reconciliation_count++] =
		    diff == 0 ? KEEP("发票合计 %s 元，与投资明细合计一致", a)
			      : KEEP("发票合计 %s 元，投资明细合计 %s 元，发票%s %s 元", a, b,
				     diff > 0 ? "多" : "少", d);
		if (s->contract_fen >= 0 && c->invoiced_total != s->contract_fen) {
			diff = c->invoiced_total - s->contract_fen;
			dl__money_format_grouped(s->contract_fen, b, sizeof(b));
			dl__money_format_grouped(diff < 0 ? -diff : diff, d, sizeof(d));
			c->reconciliation[c->reconciliation_count++] =
			    KEEP("发票合计 %s 元，合同金额 %s 元，发票%s %s 元", a, b, diff > 0 ? "多" : "少", d);
		}
		diff = c->paid_total - c->invoiced_total;
		dl__money_format_grouped(c->paid_total, b, sizeof(b));
		dl__money_format_grouped(diff < 0 ? -diff : diff, d, sizeof(d));
		c->reconciliation[c->reconciliation_count++] =
		    diff == 0 ? KEEP("付款凭证合计 %s 元，与发票合计一致", b)
			      : KEEP("付款凭证合计 %s 元，发票合计 %s 元，付款%s %s 元", b, a,
				     diff > 0 ? "多" : "少", d);
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
		row->finding = "";
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
			row->finding = KEEP("仅记录含税金额 %s 元，本政策按不含税金额核定：补录发票不含税金额",
					    dl__money_format_grouped(item->fen, a, sizeof(a)));
		} else if (!evidence) {
			row->counted = basis;
			row->outcome = DL_OUTCOME_OK;
			if (tax_exclusive && basis != item->fen)
				row->finding = KEEP("按不含税金额 %s 元计（含税 %s 元）",
						    dl__money_format_grouped(basis, a, sizeof(a)),
						    dl__money_format_grouped(item->fen, b, sizeof(b)));
		} else {
			row->counted = min3(basis, row->invoiced, row->paid);
			row->outcome = DL_OUTCOME_OK;
			if (row->invoices == 0 || row->payments == 0) {
				row->finding = KEEP("%s%s%s", row->invoices ? "" : "无发票",
						    !row->invoices && !row->payments ? "、" : "",
						    row->payments ? "" : "无付款凭证");
			} else if (row->counted < basis) {
				bool invoices_short = row->invoiced <= row->paid;
				dl__money_format_grouped(row->counted, b, sizeof(b));
				dl__money_format_grouped(basis, a, sizeof(a));
				dl__money_format_grouped(basis - row->counted, d, sizeof(d));
				row->finding = KEEP("%s %s 元少于%s金额 %s 元，差额 %s 元，只计 %s 元",
						    invoices_short ? (tax_exclusive ? "发票不含税合计" : "发票合计")
								   : "付款凭证合计",
						    b, tax_exclusive ? "不含税" : "申报", a, d, b);
			}
			if (row->finding[0])
				row->outcome = eligible ? leads : DL_OUTCOME_NOTE;
		}
		if (row->outcome >= DL_OUTCOME_RECTIFY &&
		    dl__finding_add(c, DL_REASON_FINANCE, row->outcome,
				    KEEP("第 %zu 项“%s”：%s", i + 1, item->text, row->finding)) < 0)
			return DL_ENOMEM;
	}
	reconcile(c, &oom);
	if (p->has_finance && (s->has_finance || c->finding_count > first))
		add_reason(c, DL_REASON_FINANCE, first,
			   c->finding_count > first
			       ? KEEP("财务核查：%zu 项投资的发票、付款凭证或不含税金额不全", c->finding_count - first)
			       : KEEP("财务核查：可补助项目的发票与付款凭证齐全%s",
				      tax_exclusive ? "，按不含税金额核定" : ""));
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
		row->finding = "";
		for (size_t k = 0; item->id[0] && k < s->check_count; k++)
			if (strcmp(s->checks[k].item, item->id) == 0)
				row->check = k;
		if (!s->has_onsite)
			continue;
		bool eligible = item_eligible(p, item);
		if (row->check == DL_NONE) {
			if (eligible) {
				row->outcome = DL_OUTCOME_NOTE;
				row->finding = "未现场核查";
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
		} points[3] = {{k->real, p->not_real, "未见实物或系统（不真实）"},
			       {k->running, p->not_running, "未正常运行"},
			       {k->in_use, p->not_in_use, "未投入使用、未产生实际经济效益"}};
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
		row->finding = KEEP("%s%s%s%s%s", what[0], n > 1 ? "；" : "", what[1], n > 2 ? "；" : "",
				    what[2]);
		if (dl__finding_add(c, DL_REASON_ONSITE, worst,
				    KEEP("第 %zu 项“%s”现场核查：%s%s%s", i + 1, item->text, row->finding,
					 k->note[0] ? "（" : "", k->note[0] ? "见核查记录）" : "")) < 0)
			return DL_ENOMEM;
	}
	if (p->has_onsite && s->has_onsite) {
		size_t bad = c->finding_count - first;
		add_reason(c, DL_REASON_ONSITE, first,
			   bad ? KEEP("现场核查：核查 %zu 项，%zu 项不真实、未运行或未投入使用", s->check_count, bad)
			       : KEEP("现场核查：核查 %zu 项，均真实、正常运行并投入使用", s->check_count));
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
