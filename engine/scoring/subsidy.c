/*
 * subsidy.c: applying a policy to a comparison: the verdict, the eligible investment, the phase and
 * the subsidy, each with the reasons and numbers that decided it.
 *
 * The general shape (docs/policy.md): acceptance passes when the level after the retrofit reaches the
 * policy's minimum (and, if the policy says so, exceeds the level before by enough); only then is a
 * phase looked for, by the one date the policy names; and only with a phase is money computed:
 * min(rate × eligible investment, rounded once; cap) + bonus. Every decision is kept as text, in
 * Chinese for the acceptance opinion and in English for a person reading English messages
 * (text_both.h), so nothing a reader sees is recomputed elsewhere.
 */
#include "date.h"
#include "i18n.h"
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

const char *dl__keep(dl_comparison *c, bool *oom, int lang, const char *msgid, ...)
{
	va_list ap;
	va_start(ap, msgid);
	const char *s = dl__text_vformat(&c->arena, oom, lang, msgid, ap);
	va_end(ap);
	return s;
}

/* msgid in language l, formatted into the comparison's arena. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static const char *keep(ctx *x, int l, const char *msgid, ...)
{
	va_list ap;
	va_start(ap, msgid);
	const char *s = dl__text_vformat(&x->c->arena, &x->oom, l, msgid, ap);
	va_end(ap);
	return s;
}

const char *dl__date_basis_title(dl_date_basis basis)
{
	switch (basis) {
	case DL_DATE_APPLIED: return N_("application date");
	case DL_DATE_COMPLETED: return N_("completion date");
	case DL_DATE_ASSESSED: return N_("evaluation date");
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
 * The conditions of the grade for `level` in the after result in language l, as "得分 40 ≥ 40；…",
 * into buf of at most GRADE_TEXT_MAX bytes (so that one condition is never cut before the whole is).
 */
#define GRADE_TEXT_MAX 600

static void grade_text(const dl_comparison *c, int level, int l, char *buf, size_t size)
{
	buf[0] = '\0';
	size_t gi = dl_questionnaire_grade_find(c->q, level);
	if (gi == DL_NONE)
		return;
	dl__condition cond[3];
	size_t n = dl__grade_conditions(c->ra, gi, cond), used = 0;
	for (size_t i = 0; i < n && used < size; i++) {
		char text[GRADE_TEXT_MAX];
		dl__condition_text(c->q, &cond[i], l, text, sizeof(text));
		int w = snprintf(buf + used, size - used, "%s%s%s", i ? dl__tr_in(l, N_("; ")) : "",
				 cond[i].met ? "" : "✗ ", text);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* Short form of the first unmet reason, for "no subsidy because …". */
static dl__text decide_acceptance(ctx *x)
{
	dl_comparison *c = x->c;
	const dl_policy *p = c->policy;
	int before = c->rb->level, after = c->ra->level;
	int min = dl__level_value(c->q, p->min_level);
	dl__text failed = DL__TEXT_EMPTY;

	dl__reason *r = &c->reasons[c->reason_count++];
	r->kind = DL_REASON_MIN_LEVEL;
	r->actual = after;
	r->required = min;
	r->met = after >= min;
	r->leads = r->met ? DL_OUTCOME_OK : DL_OUTCOME_FAIL;
	DL__EACH_LANGUAGE(l) {
		char conditions[GRADE_TEXT_MAX];
		grade_text(c, min, l, conditions, sizeof(conditions));
		const char *name = level_name(c, after);
		if (!conditions[0])
			r->text.in[l] = r->met ? keep(x, l, N_("Level after the retrofit %s, at or above the required %s"),
						      name, p->min_level)
					       : keep(x, l, N_("Level after the retrofit %s, below the required %s"),
						      name, p->min_level);
		else if (r->met)
			r->text.in[l] = keep(x, l, N_("Level after the retrofit %s, at or above the required %s "
						      "(conditions of %s: %s)"),
					     name, p->min_level, p->min_level, conditions);
		else
			r->text.in[l] = keep(x, l, N_("Level after the retrofit %s, below the required %s "
						      "(conditions of %s: %s)"),
					     name, p->min_level, p->min_level, conditions);
		if (!r->met)
			failed.in[l] = keep(x, l, N_("Level after the retrofit %s, below the required %s"), name,
					    p->min_level);
	}
	if (!r->met && dl__finding_add(c, DL_REASON_MIN_LEVEL, DL_OUTCOME_FAIL, failed) < 0)
		x->oom = true;

	if (p->improvement >= 0) {
		r = &c->reasons[c->reason_count++];
		r->kind = DL_REASON_IMPROVEMENT;
		r->actual = after - before;
		r->required = p->improvement;
		r->met = r->actual >= r->required;
		r->leads = r->met ? DL_OUTCOME_OK : DL_OUTCOME_FAIL;
		const char *b = level_name(c, before), *a = level_name(c, after);
		dl__text why;
		DL__EACH_LANGUAGE(l) {
			if (r->actual > 0) {
				r->text.in[l] = keep(x, l, N_("Level from %s before the retrofit to %s after, up %d; "
							      "a rise of at least %d required"),
						     b, a, r->actual, r->required);
				why.in[l] = keep(x, l, N_("Level up %d; a rise of at least %d required"),
						 r->actual, r->required);
			} else if (r->actual < 0) {
				r->text.in[l] = keep(x, l, N_("Level from %s before the retrofit to %s after, down %d; "
							      "a rise of at least %d required"),
						     b, a, -r->actual, r->required);
				why.in[l] = keep(x, l, N_("Level down %d; a rise of at least %d required"),
						 -r->actual, r->required);
			} else {
				r->text.in[l] = keep(x, l, N_("Level from %s before the retrofit to %s after, no rise; "
							      "a rise of at least %d required"),
						     b, a, r->required);
				why.in[l] = keep(x, l, N_("Level did not rise; a rise of at least %d required"),
						 r->required);
			}
		}
		if (!r->met) {
			if (!failed.in[0][0])
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
	for (size_t i = 0; !failed.in[0][0] && i < c->finding_count; i++)
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
	c->item_reason = dl__arena_array(&c->arena, s->item_count, sizeof(dl__text));
	c->excluded = dl__arena_array(&c->arena, s->item_count, sizeof(size_t));
	if (!c->item_reason || !c->excluded)
		return DL_ENOMEM;
	for (size_t i = 0; i < s->item_count; i++) {
		const dl__item *item = &s->items[i];
		size_t ci = dl__policy_category_find(p, item->category);
		c->investment += item->fen;
		if (ci != DL_NONE && p->categories[ci].eligible) {
			c->eligible += c->finance[i].counted; /* the financial check's amount */
			c->item_reason[i] = DL__TEXT_EMPTY;
			continue;
		}
		if (ci != DL_NONE) {
			c->item_reason[i] = dl__text_same(p->categories[ci].reason);
		} else {
			dl__diag_warn(x->d, item->pos.line, item->pos.column,
				      _("investment category '%s' is not one policy '%s' lists; the item "
					"is excluded"),
				      item->category, p->id);
			DL__EACH_LANGUAGE(l)
			c->item_reason[i].in[l] =
				p->other_reason[0]
					? keep(x, l, N_("Category %s: %s"), item->category, p->other_reason)
					: keep(x, l, N_("Category %s is not among this policy's investment categories"),
					       item->category);
		}
		c->excluded[c->excluded_count++] = i;
	}
	return 0;
}

/* --- phase ------------------------------------------------------------------------------------- */

static void window_text(const dl__policy_phase *ph, int l, char *buf, size_t size)
{
	if (ph->from[0] && ph->to[0])
		snprintf(buf, size, dl__tr_in(l, N_("%s to %s")), ph->from, ph->to);
	else if (ph->to[0])
		snprintf(buf, size, dl__tr_in(l, N_("%s or before")), ph->to);
	else if (ph->from[0])
		snprintf(buf, size, dl__tr_in(l, N_("%s or after")), ph->from);
	else
		snprintf(buf, size, "%s", dl__tr_in(l, N_("any date")));
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
	c->phase_basis = dl__arena_array(&c->arena, p->phase_count, sizeof(dl__text));
	if (!c->phase_matched || !c->phase_basis)
		return DL_ENOMEM;
	for (size_t i = 0; i < p->phase_count; i++)
		c->phase_basis[i] = DL__TEXT_EMPTY;
	if (!c->passed) {
		c->phase_reason = dl__text_tr(
			c->verdict == DL_VERDICT_RECTIFY
				? N_("Rectification within a deadline: the subsidy phase is decided when the "
				     "re-inspection passes")
				: N_("Acceptance failed: no subsidy phase is decided"));
		return 0;
	}
	const char *date = basis_date(c);
	int attempt = c->after->attempt;
	size_t window = DL_NONE;
	for (size_t i = 0; i < p->phase_count; i++) {
		const dl__policy_phase *ph = &p->phases[i];
		bool inside = in_window(ph, date);
		if (inside)
			window = i;
		c->phase_matched[i] = inside && (!ph->first_attempt || attempt == 1);
		DL__EACH_LANGUAGE(l) {
			const char *label = dl__tr_in(l, dl__date_basis_title(p->basis));
			char w[80];
			window_text(ph, l, w, sizeof(w));
			const char **basis = &c->phase_basis[i].in[l];
			if (!inside) {
				*basis = keep(x, l, N_("The %s %s is outside the window (%s)"), label, date, w);
			} else if (!ph->first_attempt) {
				*basis = keep(x, l, N_("The %s %s is within the window (%s)"), label, date, w);
			} else if (attempt == 1) {
				*basis = keep(x, l, N_("The %s %s is within the window (%s); acceptance passed at the "
						       "first attempt (first-time pass)"),
					      label, date, w);
			} else {
				const char *then =
					ph->otherwise != DL_NONE
						? keep(x, l, N_("placed in %s as the policy sets"),
						       p->phases[ph->otherwise].title)
						: dl__tr_in(l, N_("the policy sets no phase for this case"));
				*basis = keep(x, l, N_("The %s %s is within the window (%s); ✗ acceptance passed only at "
						       "attempt %d, not the first time → %s"),
					      label, date, w, attempt, then);
			}
		}
	}
	if (window == DL_NONE) {
		DL__EACH_LANGUAGE(l)
		c->phase_reason.in[l] = keep(x, l, N_("The %s %s is outside the window of every phase"),
					     dl__tr_in(l, dl__date_basis_title(p->basis)), date);
		return 0;
	}
	const dl__policy_phase *ph = &p->phases[window];
	if (c->phase_matched[window])
		c->phase = window;
	else if (ph->otherwise != DL_NONE)
		c->phase = ph->otherwise;
	DL__EACH_LANGUAGE(l) {
		const char *label = dl__tr_in(l, dl__date_basis_title(p->basis));
		char w[80];
		window_text(ph, l, w, sizeof(w));
		const char **reason = &c->phase_reason.in[l];
		if (c->phase_matched[window]) {
			*reason = ph->first_attempt
					  ? keep(x, l, N_("The %s %s is within the window of %s (%s), and acceptance passed "
							  "at the first attempt (first-time pass)"),
						 label, date, ph->title, w)
					  : keep(x, l, N_("The %s %s is within the window of %s (%s)"), label, date,
						 ph->title, w);
			continue;
		}
		const char *note = ph->note[0] ? keep(x, l, N_(" (%s)"), ph->note) : "";
		if (ph->otherwise != DL_NONE)
			*reason = keep(x, l, N_("The %s %s is within the window of %s (%s), but acceptance passed only "
						"at attempt %d, not the first time; placed in %s as the policy sets%s"),
				       label, date, ph->title, w, attempt, p->phases[ph->otherwise].title, note);
		else
			*reason = keep(x, l, N_("The %s %s is within the window of %s (%s), but acceptance passed only "
						"at attempt %d, not the first time; the policy sets no phase for this "
						"case%s"),
				       label, date, ph->title, w, attempt, note);
	}
	return 0;
}

/* --- money ------------------------------------------------------------------------------------- */

static const char *rounding_text(const dl_policy *p, int l, char *buf, size_t size)
{
	static const struct {
		int64_t fen;
		const char *name;
	} units[] = {{1, N_("fen")},	     {10, N_("jiao")},		{100, N_("yuan")},
		     {1000, N_("ten yuan")}, {10000, N_("hundred yuan")}, {100000, N_("thousand yuan")},
		     {1000000, N_("ten thousand yuan")}};
	const char *to_unit = p->rounding == DL_ROUND_HALF_UP ? N_("rounded half up to the %s")
			      : p->rounding == DL_ROUND_DOWN  ? N_("rounded down to the %s")
							      : N_("rounded up to the %s");
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (units[i].fen == p->rounding_unit) {
			snprintf(buf, size, dl__tr_in(l, to_unit), dl__tr_in(l, units[i].name));
			return buf;
		}
	const char *to_multiple = p->rounding == DL_ROUND_HALF_UP ? N_("rounded half up to a multiple of %s yuan")
				  : p->rounding == DL_ROUND_DOWN  ? N_("rounded down to a multiple of %s yuan")
								  : N_("rounded up to a multiple of %s yuan");
	char unit[40];
	snprintf(buf, size, dl__tr_in(l, to_multiple), dl__money_format(p->rounding_unit, unit, sizeof(unit)));
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
	dl__rate_format(p->ceiling_rate, rate, sizeof(rate));
	char g[64];
	dl__money_format_grouped(c->subsidy, g, sizeof(g));
	DL__EACH_LANGUAGE(l) {
		const char *head = keep(x, l, N_("Ceiling of all public funds together: eligible investment %s "
						 "yuan × %s%% = %s yuan, other public funds received %s yuan, "
						 "so this subsidy at most %s yuan"),
					a, rate, b, e, f);
		s->text.in[l] = c->subsidy > room
					? keep(x, l, N_("%s: %s yuan exceeds it, the ceiling applies → %s yuan"), head, g, f)
					: keep(x, l, N_("%s: %s yuan does not exceed it → %s yuan"), head, g, g);
	}
	if (c->subsidy > room)
		c->subsidy = room;
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
	dl__money_format_grouped(c->eligible, a, sizeof(a));
	dl__rate_format(ph->rate, rate, sizeof(rate));
	DL__EACH_LANGUAGE(l)
	s->text.in[l] = exact ? keep(x, l, N_("Eligible investment %s yuan × %s%% = %s yuan"), a, rate, e)
			      : keep(x, l, N_("Eligible investment %s yuan × %s%% = %s yuan, %s → %s yuan"), a,
				     rate, e, rounding_text(p, l, how, sizeof(how)), b);

	const dl__level_amount *lc = for_level(c, ph->level_caps, ph->level_cap_count, level);
	c->has_cap = lc || ph->has_cap;
	c->cap = lc ? lc->fen : ph->cap;
	c->cap_level = lc ? lc->level : "";
	c->capped = c->rounded;
	s = &c->steps[c->step_count++];
	s->kind = DL_SUBSIDY_CAP;
	if (!c->has_cap) {
		DL__EACH_LANGUAGE(l)
		s->text.in[l] = keep(x, l, N_("%s has no cap on the subsidy → %s yuan"), ph->title, b);
	} else {
		dl__money_format_grouped(c->cap, a, sizeof(a));
		c->cap_binding = c->rounded > c->cap;
		if (c->cap_binding)
			c->capped = c->cap;
		DL__EACH_LANGUAGE(l) {
			char scope[120];
			if (lc)
				snprintf(scope, sizeof(scope), dl__tr_in(l, N_("reaching %s")), lc->level);
			else
				snprintf(scope, sizeof(scope), "%s", ph->title);
			s->text.in[l] = c->cap_binding
						? keep(x, l, N_("Cap %s yuan (%s): %s yuan exceeds the cap, the cap "
								"applies → %s yuan"),
						       a, scope, b, a)
						: keep(x, l, N_("Cap %s yuan (%s): %s yuan does not exceed the cap → "
								"%s yuan"),
						       a, scope, b, b);
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
	dl__money_format_grouped(c->bonus, a, sizeof(a));
	DL__EACH_LANGUAGE(l)
	s->text.in[l] = bonus	 ? keep(x, l, N_("Level bonus (reaching %s): +%s yuan → %s yuan"), bonus->level, a, b)
			: lowest ? keep(x, l, N_("No level bonus (level after the retrofit %s, %s not reached) → %s yuan"),
					level_name(c, level), lowest->level, b)
				 : keep(x, l, N_("%s has no level bonus → %s yuan"), ph->title, b);

	ceiling_step(x);

	/* A subsidy is a share of the eligible investment (rate <= 100%): a bonus that takes it past the
	 * investment, or that would be paid on none, is no number to pay. See docs/policy.md. */
	if (c->bonus > 0 && c->subsidy > c->eligible) {
		dl__money_format_grouped(c->eligible, e, sizeof(e));
		dl__money_format_grouped(c->bonus, a, sizeof(a));
		DL__EACH_LANGUAGE(l)
		c->no_subsidy_reason.in[l] =
			c->eligible == 0
				? keep(x, l, N_("No subsidy: the eligible investment is 0.00 yuan, so the level bonus "
						"of %s yuan rests on no investment; to be decided by hand"),
				       a)
				: keep(x, l, N_("No subsidy: the subsidy of %s yuan (level bonus of %s yuan included) "
						"exceeds the eligible investment of %s yuan, and a subsidy may not exceed "
						"the investment itself; to be decided by hand"),
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

static const char *phase_terms(ctx *x, int l, const dl__policy_phase *ph)
{
	char rate[32], cap[64];
	dl__rate_format(ph->rate, rate, sizeof(rate));
	if (ph->level_cap_count)
		return keep(x, l, N_("rate %s%%, cap by the level after the retrofit"), rate);
	if (ph->has_cap)
		return keep(x, l, N_("rate %s%%, cap %s yuan"), rate,
			    dl__money_format_grouped(ph->cap, cap, sizeof(cap)));
	return keep(x, l, N_("rate %s%%, no cap"), rate);
}

/* text, or text and the policy's note in language l ("…；note"). */
static const char *with_note(ctx *x, int l, const char *text, const char *note)
{
	return note[0] ? keep(x, l, N_("%s; %s"), text, note) : text;
}

static void rectification(ctx *x)
{
	dl_comparison *c = x->c;
	const dl_policy *p = c->policy;
	const dl_sheet *a = c->after;
	char deadline[16] = "", m[64];
	int next = a->attempt + 1;
	c->later_phase = DL_NONE;
	c->deadline = "";
	c->reinspection = c->later = DL__TEXT_EMPTY;
	if (c->verdict == DL_VERDICT_PASS)
		return;
	if (c->verdict == DL_VERDICT_RECTIFY) {
		add_days(dl_sheet_date(a), p->rectify_days, deadline, sizeof(deadline));
		c->deadline = keep(x, DL_LANGUAGE_EN, "%s", deadline);
		DL__EACH_LANGUAGE(l)
		c->reinspection.in[l] = with_note(
			x, l,
			keep(x, l, N_("Rectify within a deadline: from the evaluation date %s, within %d days "
				      "(before %s), complete the rectification and apply to the evaluation body "
				      "for re-inspection (acceptance attempt %d)"),
			     dl_sheet_date(a), p->rectify_days, deadline, next),
			p->rectify_note);
	} else {
		DL__EACH_LANGUAGE(l)
		c->reinspection.in[l] = with_note(
			x, l,
			keep(x, l, N_("Acceptance failed: after rectifying, apply for acceptance again, to be "
				      "evaluated as acceptance attempt %d"),
			     next),
			p->rectify_note);
	}
	/* Which phase a later pass falls in: the same dates, one attempt more; a phase placed by the
	 * evaluation date is looked up at the deadline (or today's evaluation date after 不通过). */
	const char *label = dl__date_basis_title(p->basis), *date = basis_date(c);
	if (p->basis == DL_DATE_ASSESSED && deadline[0])
		date = c->deadline, label = N_("rectification deadline");
	size_t now = phase_for(p, date, a->attempt), later = phase_for(p, date, next);
	c->later_phase = later;
	if (later == DL_NONE) {
		DL__EACH_LANGUAGE(l)
		c->later.in[l] = keep(x, l, N_("A pass at acceptance attempt %d (by the %s %s) falls in no "
					       "subsidy phase: no subsidy"),
				      next, dl__tr_in(l, label), date);
		return;
	}
	const dl__policy_phase *ph = &p->phases[later];
	int level = c->ra->level, min = dl__level_value(c->q, p->min_level);
	if (level < min)
		level = min; /* a later pass reaches at least the minimum level */
	char e[64];
	dl__money_format_grouped(c->eligible, m, sizeof(m));
	dl__money_format_grouped(estimate(c, ph, level), e, sizeof(e));
	DL__EACH_LANGUAGE(l) {
		const char *change = "";
		if (now != DL_NONE && now != later)
			change = keep(x, l, N_("; had this acceptance passed the first time, it would be %s (%s)"),
				      p->phases[now].title, phase_terms(x, l, &p->phases[now]));
		c->later.in[l] = keep(x, l, N_("A pass at acceptance attempt %d is placed by the %s %s in %s "
					       "(%s)%s; with the eligible investment of %s yuan and level %s the "
					       "subsidy is estimated at %s yuan"),
				      next, dl__tr_in(l, label), date, ph->title, phase_terms(x, l, ph), change,
				      m, level_name(c, level), e);
	}
}

int dl__subsidy_decide(dl_comparison *c, dl__diag *d)
{
	ctx x = {c, d, false};
	dl__text failed = decide_acceptance(&x);
	if (decide_investment(&x) < 0 || decide_phase(&x) < 0)
		x.oom = true;
	if (!x.oom) {
		for (size_t i = 0; i < c->after->fund_count; i++)
			c->funds_total += c->after->funds[i].fen;
		if (c->verdict == DL_VERDICT_RECTIFY)
			DL__EACH_LANGUAGE(l)
			c->no_subsidy_reason.in[l] = keep(&x, l, N_("Rectification within a deadline, no subsidy "
								    "until the re-inspection passes: %s"),
							  failed.in[l]);
		else if (!c->passed)
			DL__EACH_LANGUAGE(l)
			c->no_subsidy_reason.in[l] = keep(&x, l, N_("Acceptance failed, no subsidy: %s"), failed.in[l]);
		else if (c->phase == DL_NONE)
			DL__EACH_LANGUAGE(l)
			c->no_subsidy_reason.in[l] = keep(&x, l, N_("No subsidy: %s"), c->phase_reason.in[l]);
		else
			compute(&x);
		rectification(&x);
	}
	if (x.oom)
		return dl__diag_report(d, DL_ENOMEM, 0, 0, _("out of memory"));
	return 0;
}
