/*
 * subsidy.c: applying a policy to a comparison: the verdict, the eligible investment, the phase and
 * the subsidy, each with the reasons and numbers that decided it.
 *
 * The general shape (docs/policy.md): acceptance passes when the level after the retrofit reaches the
 * policy's minimum (and, if the policy says so, exceeds the level before by enough); only then is a
 * phase looked for, by the one date the policy names; and only with a phase is money computed:
 * min(rate × eligible investment, rounded once; cap) + bonus. Every decision is kept as text in
 * Chinese for the acceptance opinion, so nothing a reader sees is recomputed elsewhere.
 */
#include "date.h"
#include "money.h"
#include "policy_model.h"
#include "result.h"
#include "sheet_model.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct ctx {
	dl_comparison *c;
	dl__diag *d;
	bool oom;
} ctx;

static const char *keep_v(dl_comparison *c, bool *oom, const char *fmt, va_list ap)
{
	char buf[4096];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		buf[0] = '\0';
	else if ((size_t)n >= sizeof(buf)) {
		char whole[sizeof(buf)];
		memcpy(whole, buf, sizeof(buf)); /* cut at a character boundary, not inside one */
		dl__copy_truncated(buf, sizeof(buf) - 4, whole);
	}
	const char *s = dl__arena_strdup(&c->arena, buf);
	if (!s) {
		*oom = true;
		return "";
	}
	return s;
}

const char *dl__keep(dl_comparison *c, bool *oom, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *s = keep_v(c, oom, fmt, ap);
	va_end(ap);
	return s;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static const char *keep(ctx *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *s = keep_v(x->c, &x->oom, fmt, ap);
	va_end(ap);
	return s;
}

const char *dl__date_basis_title(dl_date_basis basis)
{
	switch (basis) {
	case DL_DATE_APPLIED: return "申请验收日期";
	case DL_DATE_COMPLETED: return "改造完成日期";
	case DL_DATE_ASSESSED: return "评测日期";
	}
	return "";
}

static const char *level_name(const dl_comparison *c, int level)
{
	const char *name = dl_questionnaire_level_name(c->q, level);
	return name[0] ? name : "?";
}

/* --- acceptance -------------------------------------------------------------------------------- */

/*
 * The conditions of the grade for `level` in the after result, as "得分 40 ≥ 40；…", into buf of
 * at most GRADE_TEXT_MAX bytes (so that one condition is never cut before the whole is).
 */
#define GRADE_TEXT_MAX 600

static void grade_text(const dl_comparison *c, int level, char *buf, size_t size)
{
	buf[0] = '\0';
	size_t gi = dl_questionnaire_grade_find(c->q, level);
	if (gi == DL_NONE)
		return;
	dl__condition cond[3];
	size_t n = dl__grade_conditions(c->ra, gi, cond), used = 0;
	for (size_t i = 0; i < n && used < size; i++) {
		char text[GRADE_TEXT_MAX];
		dl__condition_text(c->q, &cond[i], text, sizeof(text));
		int w = snprintf(buf + used, size - used, "%s%s%s", i ? "；" : "",
				 cond[i].met ? "" : "✗ ", text);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* Short form of the first unmet reason, for "no subsidy because …". */
static const char *decide_acceptance(ctx *x)
{
	dl_comparison *c = x->c;
	const dl_policy *p = c->policy;
	int before = c->rb->level, after = c->ra->level;
	int min = dl__level_value(c->q, p->min_level);
	const char *failed = "";
	char conditions[GRADE_TEXT_MAX];
	grade_text(c, min, conditions, sizeof(conditions));

	dl__reason *r = &c->reasons[c->reason_count++];
	r->kind = DL_REASON_MIN_LEVEL;
	r->actual = after;
	r->required = min;
	r->met = after >= min;
	r->leads = r->met ? DL_OUTCOME_OK : DL_OUTCOME_FAIL;
	bool shown = conditions[0] != '\0';
	r->text = keep(x, "改造后等级 %s，%s要求的 %s%s%s%s%s%s%s", level_name(c, after),
		       r->met ? "达到" : "低于", p->min_level, r->met ? " 及以上" : "",
		       shown ? "（" : "", shown ? p->min_level : "", shown ? "条件: " : "", conditions,
		       shown ? "）" : "");
	if (!r->met) {
		failed = keep(x, "改造后等级 %s，低于要求的 %s", level_name(c, after), p->min_level);
		if (dl__finding_add(c, DL_REASON_MIN_LEVEL, DL_OUTCOME_FAIL, failed) < 0)
			x->oom = true;
	}

	if (p->improvement >= 0) {
		r = &c->reasons[c->reason_count++];
		r->kind = DL_REASON_IMPROVEMENT;
		r->actual = after - before;
		r->required = p->improvement;
		r->met = r->actual >= r->required;
		r->leads = r->met ? DL_OUTCOME_OK : DL_OUTCOME_FAIL;
		char change[64];
		if (r->actual > 0)
			snprintf(change, sizeof(change), "提升 %d 级", r->actual);
		else if (r->actual < 0)
			snprintf(change, sizeof(change), "下降 %d 级", -r->actual);
		else
			snprintf(change, sizeof(change), "未提升");
		r->text = keep(x, "等级由改造前 %s 到改造后 %s，%s，要求至少提升 %d 级",
			       level_name(c, before), level_name(c, after), change, r->required);
		if (!r->met) {
			const char *why = keep(x, "等级%s，要求至少提升 %d 级", change, r->required);
			if (!failed[0])
				failed = why;
			if (dl__finding_add(c, DL_REASON_IMPROVEMENT, DL_OUTCOME_FAIL, why) < 0)
				x->oom = true;
		}
	}
	if (dl__package_decide(c) < 0)
		x->oom = true;
	/* 不通过 when a failing condition is not met; 限期整改 when only rectifiable ones are not. */
	c->verdict = DL_VERDICT_PASS;
	for (size_t i = 0; i < c->reason_count; i++) {
		if (c->reasons[i].met)
			continue;
		if (c->reasons[i].leads == DL_OUTCOME_FAIL)
			c->verdict = DL_VERDICT_FAIL;
		else if (c->verdict == DL_VERDICT_PASS)
			c->verdict = DL_VERDICT_RECTIFY;
	}
	c->passed = c->verdict == DL_VERDICT_PASS;
	for (size_t i = 0; !failed[0] && i < c->finding_count; i++)
		if (c->findings[i].outcome == (c->verdict == DL_VERDICT_FAIL ? DL_OUTCOME_FAIL
									  : DL_OUTCOME_RECTIFY))
			failed = c->findings[i].text;
	return failed;
}

/* --- investment -------------------------------------------------------------------------------- */

static int decide_investment(ctx *x)
{
	dl_comparison *c = x->c;
	const dl_policy *p = c->policy;
	const dl_sheet *s = c->after;
	c->item_reason = dl__arena_array(&c->arena, s->item_count, sizeof(char *));
	c->excluded = dl__arena_array(&c->arena, s->item_count, sizeof(size_t));
	if (!c->item_reason || !c->excluded)
		return DL_ENOMEM;
	for (size_t i = 0; i < s->item_count; i++) {
		const dl__item *item = &s->items[i];
		size_t ci = dl__policy_category_find(p, item->category);
		c->investment += item->fen;
		if (ci != DL_NONE && p->categories[ci].eligible) {
			c->eligible += c->finance[i].counted; /* the financial check's amount */
			c->item_reason[i] = "";
			continue;
		}
		if (ci != DL_NONE) {
			c->item_reason[i] = p->categories[ci].reason;
		} else {
			dl__diag_warn(x->d, item->pos.line, item->pos.column,
				      "investment category '%s' is not one policy '%s' lists; the item "
				      "is excluded",
				      item->category, p->id);
			c->item_reason[i] = p->other_reason[0]
						    ? keep(x, "类别 %s：%s", item->category, p->other_reason)
						    : keep(x, "类别 %s 不在本政策的投资类别中", item->category);
		}
		c->excluded[c->excluded_count++] = i;
	}
	return 0;
}

/* --- phase ------------------------------------------------------------------------------------- */

static void window_text(const dl__policy_phase *ph, char *buf, size_t size)
{
	if (ph->from[0] && ph->to[0])
		snprintf(buf, size, "%s 至 %s", ph->from, ph->to);
	else if (ph->to[0])
		snprintf(buf, size, "%s 及以前", ph->to);
	else if (ph->from[0])
		snprintf(buf, size, "%s 及以后", ph->from);
	else
		snprintf(buf, size, "不限日期");
}

static bool in_window(const dl__policy_phase *ph, const char *date)
{
	return (!ph->from[0] || dl__date_compare(date, ph->from) >= 0) &&
	       (!ph->to[0] || dl__date_compare(date, ph->to) <= 0);
}

static const char *basis_date(const dl_comparison *c)
{
	switch (c->policy->basis) {
	case DL_DATE_APPLIED: return dl_sheet_retrofit_applied(c->after);
	case DL_DATE_COMPLETED: return dl_sheet_retrofit_completed(c->after);
	case DL_DATE_ASSESSED: return dl_sheet_date(c->after);
	}
	return "";
}

static int decide_phase(ctx *x)
{
	dl_comparison *c = x->c;
	const dl_policy *p = c->policy;
	c->phase_matched = dl__arena_array(&c->arena, p->phase_count, sizeof(bool));
	c->phase_basis = dl__arena_array(&c->arena, p->phase_count, sizeof(char *));
	if (!c->phase_matched || !c->phase_basis)
		return DL_ENOMEM;
	for (size_t i = 0; i < p->phase_count; i++)
		c->phase_basis[i] = "";
	if (!c->passed) {
		c->phase_reason = c->verdict == DL_VERDICT_RECTIFY ? "限期整改，复验通过后确定补助阶段"
								   : "验收不通过，不确定补助阶段";
		return 0;
	}
	const char *label = dl__date_basis_title(p->basis), *date = basis_date(c);
	int attempt = c->after->attempt;
	size_t window = DL_NONE;
	for (size_t i = 0; i < p->phase_count; i++) {
		const dl__policy_phase *ph = &p->phases[i];
		char w[80];
		window_text(ph, w, sizeof(w));
		bool inside = in_window(ph, date);
		if (inside)
			window = i;
		c->phase_matched[i] = inside && (!ph->first_attempt || attempt == 1);
		if (!inside) {
			c->phase_basis[i] = keep(x, "%s %s 不在时间窗（%s）内", label, date, w);
		} else if (!ph->first_attempt) {
			c->phase_basis[i] = keep(x, "%s %s 在时间窗（%s）内", label, date, w);
		} else if (attempt == 1) {
			c->phase_basis[i] = keep(x, "%s %s 在时间窗（%s）内；第 1 次验收即通过（一次性通过）",
						 label, date, w);
		} else {
			const char *then = ph->otherwise != DL_NONE
						   ? keep(x, "按政策设定归入%s", p->phases[ph->otherwise].title)
						   : "政策未设定此情形的阶段";
			c->phase_basis[i] = keep(x, "%s %s 在时间窗（%s）内；✗ 第 %d 次验收才通过，不是一次性通过 → %s",
						 label, date, w, attempt, then);
		}
	}
	if (window == DL_NONE) {
		c->phase_reason = keep(x, "%s %s 不在任何阶段的时间窗内", label, date);
		return 0;
	}
	const dl__policy_phase *ph = &p->phases[window];
	char w[80];
	window_text(ph, w, sizeof(w));
	if (c->phase_matched[window]) {
		c->phase = window;
		c->phase_reason = keep(x, "%s %s 在%s时间窗（%s）内%s", label, date, ph->title, w,
				       ph->first_attempt ? "，且第 1 次验收即通过（一次性通过）" : "");
		return 0;
	}
	const char *note = ph->note[0] ? keep(x, "（%s）", ph->note) : "";
	if (ph->otherwise != DL_NONE) {
		c->phase = ph->otherwise;
		c->phase_reason = keep(x, "%s %s 在%s时间窗（%s）内，但第 %d 次验收才通过，不是一次性通过；按政策设定归入%s%s",
				       label, date, ph->title, w, attempt,
				       p->phases[ph->otherwise].title, note);
	} else {
		c->phase_reason = keep(x, "%s %s 在%s时间窗（%s）内，但第 %d 次验收才通过，不是一次性通过；政策未设定此情形的阶段%s",
				       label, date, ph->title, w, attempt, note);
	}
	return 0;
}

/* --- money ------------------------------------------------------------------------------------- */

static const char *rounding_text(const dl_policy *p, char *buf, size_t size)
{
	static const struct {
		int64_t fen;
		const char *name;
	} units[] = {{1, "分"}, {10, "角"}, {100, "元"}, {1000, "十元"}, {10000, "百元"},
		     {100000, "千元"}, {1000000, "万元"}};
	const char *verb = p->rounding == DL_ROUND_HALF_UP ? "四舍五入"
			   : p->rounding == DL_ROUND_DOWN  ? "向下舍去"
							   : "向上进位";
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (units[i].fen == p->rounding_unit) {
			snprintf(buf, size, "%s到%s", verb, units[i].name);
			return buf;
		}
	char unit[40];
	snprintf(buf, size, "%s到 %s 元的整数倍", verb,
		 dl__money_format(p->rounding_unit, unit, sizeof(unit)));
	return buf;
}

/* The entry of a level table that applies at `level`: the one with the highest level not above it. */
static const dl__level_amount *for_level(const dl_comparison *c, const dl__level_amount *a,
					 size_t count, int level)
{
	const dl__level_amount *best = NULL;
	int best_value = -1;
	for (size_t i = 0; i < count; i++) {
		int v = dl__level_value(c->q, a[i].level);
		if (v >= 0 && v <= level && v > best_value) {
			best = &a[i];
			best_value = v;
		}
	}
	return best;
}

/*
 * The combined ceiling: central + provincial + city money together at most a share of the eligible
 * investment. The share is rounded down to the fen (a ceiling is never rounded past), the other
 * public funds the sheet records are taken off, and what is left bounds this subsidy.
 */
static void ceiling_step(ctx *x)
{
	dl_comparison *c = x->c;
	const dl_policy *p = c->policy;
	char a[64], b[64], e[64], f[64], rate[32];
	if (!p->has_ceiling)
		return;
	int64_t share = dl__money_round(dl__money_product(c->eligible, p->ceiling_rate), 1, DL_ROUND_DOWN);
	int64_t room = share - c->funds_total;
	if (room < 0)
		room = 0;
	c->has_ceiling = true;
	c->ceiling = room;
	dl__subsidy_step *s = &c->steps[c->step_count++];
	s->kind = DL_SUBSIDY_CEILING;
	dl__money_format_grouped(c->eligible, a, sizeof(a));
	dl__money_format_grouped(share, b, sizeof(b));
	dl__money_format_grouped(c->funds_total, e, sizeof(e));
	dl__money_format_grouped(room, f, sizeof(f));
	const char *head = keep(x, "各级财政资金合计上限：可补助投资 %s 元 × %s%% = %s 元，已获其他财政资金 %s 元，本项至多 %s 元",
				a, dl__rate_format(p->ceiling_rate, rate, sizeof(rate)), b, e, f);
	dl__money_format_grouped(c->subsidy, a, sizeof(a));
	if (c->subsidy > room) {
		c->subsidy = room;
		s->text = keep(x, "%s：%s 元超过，按上限 → %s 元", head, a, f);
	} else {
		s->text = keep(x, "%s：%s 元未超过 → %s 元", head, a, a);
	}
	s->amount = c->subsidy;
}

static void compute(ctx *x)
{
	dl_comparison *c = x->c;
	const dl_policy *p = c->policy;
	const dl__policy_phase *ph = &p->phases[c->phase];
	int level = c->ra->level;
	char a[64], b[64], e[64], rate[32], how[80];

	c->granted = true;
	c->rate = ph->rate;
	c->product = dl__money_product(c->eligible, ph->rate);
	c->rounded = dl__money_round(c->product, p->rounding_unit, p->rounding);
	dl__money_format_exact(c->product, true, e, sizeof(e));
	dl__money_format_grouped(c->rounded, b, sizeof(b));
	dl__subsidy_step *s = &c->steps[c->step_count++];
	s->kind = DL_SUBSIDY_RATE;
	s->amount = c->rounded;
	bool exact = c->product == (dl__i128)c->rounded * DL_RATE_SCALE;
	s->text = keep(x, "可补助投资 %s 元 × %s%% = %s 元%s%s%s%s",
		       dl__money_format_grouped(c->eligible, a, sizeof(a)),
		       dl__rate_format(ph->rate, rate, sizeof(rate)), e, exact ? "" : "，",
		       exact ? "" : rounding_text(p, how, sizeof(how)), exact ? "" : " → ",
		       exact ? "" : keep(x, "%s 元", b));

	const dl__level_amount *lc = for_level(c, ph->level_caps, ph->level_cap_count, level);
	c->has_cap = lc || ph->has_cap;
	c->cap = lc ? lc->fen : ph->cap;
	c->cap_level = lc ? lc->level : "";
	c->capped = c->rounded;
	s = &c->steps[c->step_count++];
	s->kind = DL_SUBSIDY_CAP;
	if (!c->has_cap) {
		s->text = keep(x, "%s不设补助上限 → %s 元", ph->title, b);
	} else {
		char scope[120];
		if (lc)
			snprintf(scope, sizeof(scope), "达到%s", lc->level);
		else
			snprintf(scope, sizeof(scope), "%s", ph->title);
		dl__money_format_grouped(c->cap, a, sizeof(a));
		c->cap_binding = c->rounded > c->cap;
		if (c->cap_binding) {
			c->capped = c->cap;
			s->text = keep(x, "上限 %s 元（%s）：%s 元超过上限，按上限 → %s 元", a, scope, b, a);
		} else {
			s->text = keep(x, "上限 %s 元（%s）：%s 元未超过上限 → %s 元", a, scope, b, b);
		}
	}
	s->amount = c->capped;

	const dl__level_amount *bonus = for_level(c, ph->bonuses, ph->bonus_count, level);
	c->bonus = bonus ? bonus->fen : 0;
	c->bonus_level = bonus ? bonus->level : "";
	c->subsidy = c->capped + c->bonus;
	s = &c->steps[c->step_count++];
	s->kind = DL_SUBSIDY_BONUS;
	s->amount = c->subsidy;
	dl__money_format_grouped(c->subsidy, b, sizeof(b));
	const dl__level_amount *lowest = NULL; /* the bonus that is easiest to reach */
	for (size_t i = 0; i < ph->bonus_count; i++)
		if (!lowest || dl__level_value(c->q, ph->bonuses[i].level) <
				       dl__level_value(c->q, lowest->level))
			lowest = &ph->bonuses[i];
	if (bonus)
		s->text = keep(x, "等级奖励（达到%s）：+%s 元 → %s 元", bonus->level,
			       dl__money_format_grouped(c->bonus, a, sizeof(a)), b);
	else if (lowest)
		s->text = keep(x, "无等级奖励（改造后等级 %s，未达到%s）→ %s 元", level_name(c, level),
			       lowest->level, b);
	else
		s->text = keep(x, "%s不设等级奖励 → %s 元", ph->title, b);

	ceiling_step(x);

	/* A subsidy is a share of the eligible investment (rate <= 100%): a bonus that takes it past the
	 * investment, or that would be paid on none, is no number to pay. See docs/policy.md. */
	if (c->bonus > 0 && c->subsidy > c->eligible) {
		dl__money_format_grouped(c->eligible, e, sizeof(e));
		dl__money_format_grouped(c->bonus, a, sizeof(a));
		if (c->eligible == 0)
			c->no_subsidy_reason = keep(x, "不予补助：可补助投资为 0.00 元，等级奖励 %s 元无投资可依；"
						       "请人工核定",
						    a);
		else
			c->no_subsidy_reason = keep(x, "不予补助：补助 %s 元（含等级奖励 %s 元）超过可补助投资 %s "
						       "元，补助不应超过投资本身；请人工核定",
						    b, a, e);
		c->granted = false;
		c->step_count = 0;
		c->subsidy = c->rounded = c->capped = c->bonus = 0;
	}
}

/* --- rectification and a later pass ------------------------------------------------------------ */

static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* date + days as YYYY-MM-DD into buf; "" when date is not a real date. */
static void add_days(const char *date, int days, char *buf, size_t size)
{
	int y, m, d;
	buf[0] = '\0';
	if (dl__date_parse(date, &y, &m, &d, NULL, 0) != 0)
		return;
	for (int i = 0; i < days; i++) {
		bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		int last = m == 2 && leap ? 29 : month_days[m - 1];
		if (++d > last) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

/* The phase a pass at this date and attempt falls in, or DL_NONE. */
static size_t phase_for(const dl_policy *p, const char *date, int attempt)
{
	for (size_t i = 0; i < p->phase_count; i++) {
		const dl__policy_phase *ph = &p->phases[i];
		if (!in_window(ph, date))
			continue;
		if (!ph->first_attempt || attempt == 1)
			return i;
		return ph->otherwise;
	}
	return DL_NONE;
}

/* The subsidy a pass in phase ph at `level` would bring: rate, cap, bonus and ceiling as compute(). */
static int64_t estimate(const dl_comparison *c, const dl__policy_phase *ph, int level)
{
	const dl_policy *p = c->policy;
	int64_t v = dl__money_round(dl__money_product(c->eligible, ph->rate), p->rounding_unit, p->rounding);
	const dl__level_amount *lc = for_level(c, ph->level_caps, ph->level_cap_count, level);
	if (lc && v > lc->fen)
		v = lc->fen;
	else if (!lc && ph->has_cap && v > ph->cap)
		v = ph->cap;
	const dl__level_amount *bonus = for_level(c, ph->bonuses, ph->bonus_count, level);
	v += bonus ? bonus->fen : 0;
	if (p->has_ceiling) {
		int64_t room = dl__money_round(dl__money_product(c->eligible, p->ceiling_rate), 1, DL_ROUND_DOWN) -
			       c->funds_total;
		if (v > room)
			v = room < 0 ? 0 : room;
	}
	return v > c->eligible ? c->eligible : v;
}

static const char *phase_terms(ctx *x, const dl__policy_phase *ph)
{
	char rate[32], cap[64];
	dl__rate_format(ph->rate, rate, sizeof(rate));
	if (ph->level_cap_count)
		return keep(x, "补助比例 %s%%，上限按改造后等级", rate);
	if (ph->has_cap)
		return keep(x, "补助比例 %s%%，上限 %s 元", rate, dl__money_format_grouped(ph->cap, cap, sizeof(cap)));
	return keep(x, "补助比例 %s%%，不设上限", rate);
}

static void rectification(ctx *x)
{
	dl_comparison *c = x->c;
	const dl_policy *p = c->policy;
	const dl_sheet *a = c->after;
	char deadline[16] = "", m[64];
	int next = a->attempt + 1;
	c->later_phase = DL_NONE;
	c->deadline = c->reinspection = c->later = "";
	if (c->verdict == DL_VERDICT_PASS)
		return;
	if (c->verdict == DL_VERDICT_RECTIFY) {
		add_days(dl_sheet_date(a), p->rectify_days, deadline, sizeof(deadline));
		c->deadline = keep(x, "%s", deadline);
		c->reinspection = keep(x, "限期整改：自评测日期 %s 起 %d 日内（%s 前）完成整改事项，向评测机构申请复验（第 %d 次验收）%s%s",
				       dl_sheet_date(a), p->rectify_days, deadline, next,
				       p->rectify_note[0] ? "；" : "", p->rectify_note);
	} else {
		c->reinspection = keep(x, "验收不通过：整改后重新提交验收申请，按第 %d 次验收评测%s%s", next,
				       p->rectify_note[0] ? "；" : "", p->rectify_note);
	}
	/* Which phase a later pass falls in: the same dates, one attempt more; a phase placed by the
	 * evaluation date is looked up at the deadline (or today's evaluation date after 不通过). */
	const char *label = dl__date_basis_title(p->basis), *date = basis_date(c);
	if (p->basis == DL_DATE_ASSESSED && deadline[0])
		date = c->deadline, label = "整改期限";
	size_t now = phase_for(p, date, a->attempt), later = phase_for(p, date, next);
	c->later_phase = later;
	if (later == DL_NONE) {
		c->later = keep(x, "第 %d 次验收通过时（按%s %s）不属任何补助阶段，不予补助", next, label, date);
		return;
	}
	const dl__policy_phase *ph = &p->phases[later];
	int level = c->ra->level, min = dl__level_value(c->q, p->min_level);
	if (level < min)
		level = min; /* a later pass reaches at least the minimum level */
	const char *change = "";
	if (now != DL_NONE && now != later)
		change = keep(x, "；本次若一次性通过应为%s（%s）", p->phases[now].title, phase_terms(x, &p->phases[now]));
	char e[64];
	dl__money_format_grouped(c->eligible, m, sizeof(m));
	dl__money_format_grouped(estimate(c, ph, level), e, sizeof(e));
	c->later = keep(x, "第 %d 次验收通过时按%s %s 归入%s（%s）%s；按可补助投资 %s 元、等级 %s 估算补助 %s 元",
			next, label, date, ph->title, phase_terms(x, ph), change, m, level_name(c, level), e);
}

int dl__subsidy_decide(dl_comparison *c, dl__diag *d)
{
	ctx x = {c, d, false};
	const char *failed = decide_acceptance(&x);
	if (decide_investment(&x) < 0 || decide_phase(&x) < 0)
		x.oom = true;
	if (!x.oom) {
		for (size_t i = 0; i < c->after->fund_count; i++)
			c->funds_total += c->after->funds[i].fen;
		if (c->verdict == DL_VERDICT_RECTIFY)
			c->no_subsidy_reason = keep(&x, "限期整改，整改复验通过前不予补助：%s", failed);
		else if (!c->passed)
			c->no_subsidy_reason = keep(&x, "验收不通过，不予补助：%s", failed);
		else if (c->phase == DL_NONE)
			c->no_subsidy_reason = keep(&x, "不予补助：%s", c->phase_reason);
		else
			compute(&x);
		rectification(&x);
	}
	if (x.oom)
		return dl__diag_report(d, DL_ENOMEM, 0, 0, "out of memory");
	return 0;
}
