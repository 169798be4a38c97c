/*
 * retrofit.c: the recommended retrofit of a diagnosed enterprise (digilevel/retrofit.h).
 *
 * Nothing here is estimated that can be computed. The solutions are chosen from the catalogue by a
 * greedy cover of the plan's steps (the solution covering most of the steps still open first; ties:
 * the lower midpoint cost, then catalogue order). The expected level is the level of a sheet written
 * from the scored answers with every step applied, scored by dl_score like any other. The expected
 * subsidy is what dl_compare decides by the policy for that sheet against the real one, with the
 * chosen solutions as its investment items, once at the low and once at the high end of their cost
 * ranges: the policy's rules (eligible categories, phases by date, rates, caps, bonuses) are applied
 * by the code that applies them at acceptance, never restated here.
 *
 * A retrofit can also be made from the solutions an integrator has chosen (the sheet's
 * <retrofit-plan>, dl_retrofit_from_sheet). Then nothing is chosen here: the expected sheet is the
 * sheet with what each item's catalogue solution lifts applied (a single choice moved one step up,
 * to the lowest-scoring lifted option that scores more than the one chosen now; a lifted option
 * added to a multiple choice; a scenario raised to the level the solution supports), each item's amount is its own (exact) or the catalogue's range, and the same
 * scoring and the same dl_compare give the level and the subsidy. What an item changes is
 * recorded per item, as the plan steps it achieves.
 */
#include "alloc.h"
#include "catalogue_index.h"
#include "catalogue_model.h"
#include "date.h"
#include "decimal.h"
#include "digilevel/retrofit.h"
#include "i18n.h"
#include "policy_model.h"
#include "sheet_model.h"
#include "texts_zh.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* One change an item makes to the answers (the shape of a plan step). */
typedef struct change {
	dl_step_kind kind;
	size_t question, from, to, scenario;
	int level_from, level_to;
} change;

struct dl_retrofit {
	const dl_catalogue *cat;
	const dl_plan *plan;
	const dl_sheet *sheet;  /* the sheet of the chosen solutions (dl_retrofit_from_sheet), else NULL */
	int64_t *item_low, *item_high; /* per item (chosen solutions only): the amount, or its range */
	change **changes;       /* per item: what it changes (from_sheet: computed; else: its steps) */
	size_t *change_count;
	bool *after_chosen;     /* the expected answers: option oi of question qi at opt_base[qi] + oi */
	size_t *opt_base;
	int *after_level;       /* the expected level of each scenario */
	dl_result *after;       /* from_sheet with a plan falling short: the expected result ... */
	dl_plan *remaining;     /* ... and the plan from it to the target */
	char start[40];
	size_t *solutions, solution_count;
	size_t **covers, *cover_count; /* per chosen solution: the plan steps it covers */
	size_t *uncovered, uncovered_count;
	size_t *providers, provider_count;
	int64_t cost_low, cost_high, revenue_share;
	int weeks_low, weeks_high;
	char completion[40];
	int expected_level;
	dl_points expected_total;
	bool has_policy, granted;
	int64_t subsidy[2], eligible[2];
	char note[DL__LANGUAGES][1024]; /* why no subsidy, or the phase: Chinese and English */
};

/* --- dates ------------------------------------------------------------------------------------- */

/* The date `days` after y-m-d, as YYYY-MM-DD (the civil-from-days inverse of dl__date_ordinal). */
static void date_after(const char *date, long days, char *out, size_t size)
{
	int y, m, d;
	out[0] = '\0';
	if (dl__date_parse(date, &y, &m, &d, NULL, 0) != 0)
		return;
	long z = (long)dl__date_ordinal(y, m, d) + days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long dd = doy - (153 * mp + 2) / 5 + 1;
	long mm = mp < 10 ? mp + 3 : mp - 9;
	long yy = yoe + era * 400 + (mm <= 2);
	snprintf(out, size, "%04ld-%02ld-%02ld", yy, mm, dd);
}

/* --- which solutions ------------------------------------------------------------------------------ */

/* Whether catalogue solution si covers step i of the plan (outcome steps are covered by none). */
static bool covers(const dl__cat_index *index, size_t si, const dl_plan *p, size_t i)
{
	if (dl_plan_step_is_outcome(p, i))
		return false;
	if (dl_plan_step_kind(p, i) == DL_STEP_RAISE_SCENARIO)
		return dl__cat_index_lifts_scenario(index, si, dl_plan_step_scenario(p, i)) >=
		       dl_plan_step_level_to(p, i);
	return dl__cat_index_lifts_option(index, si, dl_plan_step_question(p, i),
					  dl_plan_step_option_to(p, i));
}

/* The providers (rt->providers, allocated for every provider) offering any solution chosen. */
static void list_providers(dl_retrofit *rt)
{
	const dl_catalogue *cat = rt->cat;
	for (size_t pi = 0; pi < cat->provider_count; pi++) {
		bool offered = false;
		for (size_t k = 0; k < rt->solution_count && !offered; k++) {
			if (rt->solutions[k] == DL_NONE)
				continue;
			const dl__cat_solution *s = &cat->solutions[rt->solutions[k]];
			for (size_t j = 0; j < s->provider_count; j++)
				offered |= s->providers[j] == pi;
		}
		if (offered)
			rt->providers[rt->provider_count++] = pi;
	}
}

static int choose(dl_retrofit *rt, const dl_questionnaire *q)
{
	const dl_catalogue *cat = rt->cat;
	const dl_plan *p = rt->plan;
	size_t n = dl_plan_step_count(p), ns = cat->solution_count;
	bool *open = dl__calloc(n + 1, sizeof(bool)), *used = dl__calloc(ns + 1, sizeof(bool));
	rt->solutions = dl__calloc(ns + 1, sizeof(size_t));
	rt->covers = dl__calloc(ns + 1, sizeof(size_t *));
	rt->cover_count = dl__calloc(ns + 1, sizeof(size_t));
	rt->uncovered = dl__calloc(n + 1, sizeof(size_t));
	rt->providers = dl__calloc(cat->provider_count + 1, sizeof(size_t));
	rt->item_low = dl__calloc(ns + 1, sizeof(int64_t));
	rt->item_high = dl__calloc(ns + 1, sizeof(int64_t));
	/* which solution covers which step, asked once: the greedy rounds below ask again and again */
	bool *covered_by = n && ns > (SIZE_MAX - 1) / n ? NULL : dl__calloc(ns * n + 1, sizeof(bool));
	dl__cat_index *made = NULL;
	const dl__cat_index *index = dl__cat_index_for(cat, q, &made);
	int rc = 0;
	if (!open || !used || !covered_by || !index || !rt->solutions || !rt->covers ||
	    !rt->cover_count || !rt->uncovered || !rt->providers || !rt->item_low || !rt->item_high) {
		rc = DL_ENOMEM;
		goto done;
	}
	for (size_t si = 0; si < ns; si++)
		for (size_t i = 0; i < n; i++)
			covered_by[si * n + i] = covers(index, si, p, i);
	for (size_t i = 0; i < n; i++)
		open[i] = !dl_plan_step_is_outcome(p, i);
	for (;;) {
		size_t best = DL_NONE, best_count = 0;
		for (size_t si = 0; si < ns; si++) {
			size_t count = 0;
			if (used[si])
				continue;
			for (size_t i = 0; i < n; i++)
				count += open[i] && covered_by[si * n + i];
			int64_t mid = cat->solutions[si].cost_low + cat->solutions[si].cost_high;
			if (count > best_count ||
			    (count == best_count && count > 0 &&
			     mid < cat->solutions[best].cost_low + cat->solutions[best].cost_high)) {
				best = si;
				best_count = count;
			}
		}
		if (best == DL_NONE)
			break;
		size_t k = rt->solution_count++;
		used[best] = true;
		rt->solutions[k] = best;
		rt->covers[k] = dl__calloc(best_count, sizeof(size_t));
		if (!rt->covers[k]) {
			rc = DL_ENOMEM;
			goto done;
		}
		for (size_t i = 0; i < n; i++)
			if (open[i] && covered_by[best * n + i]) {
				rt->covers[k][rt->cover_count[k]++] = i;
				open[i] = false;
			}
		rt->item_low[k] = cat->solutions[best].cost_low;
		rt->item_high[k] = cat->solutions[best].cost_high;
		rt->cost_low += cat->solutions[best].cost_low;
		rt->cost_high += cat->solutions[best].cost_high;
		if (cat->solutions[best].weeks_low > rt->weeks_low)
			rt->weeks_low = cat->solutions[best].weeks_low;
		if (cat->solutions[best].weeks_high > rt->weeks_high)
			rt->weeks_high = cat->solutions[best].weeks_high;
	}
	for (size_t i = 0; i < n; i++)
		if (open[i])
			rt->uncovered[rt->uncovered_count++] = i;
	list_providers(rt);
done:
	dl__cat_index_free(made);
	dl__free(covered_by);
	dl__free(open);
	dl__free(used);
	return rc;
}

/* --- the expected answers --------------------------------------------------------------------- */

/* Starts the expected answers as r's. Returns 0 or DL_ENOMEM. */
static int state_start(dl_retrofit *rt, const dl_result *r)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	size_t nq = dl_questionnaire_question_count(q), ns = dl_questionnaire_scenario_count(q), total = 0;
	rt->opt_base = dl__calloc(nq + 1, sizeof(size_t));
	rt->after_level = dl__calloc(ns + 1, sizeof(int));
	if (!rt->opt_base || !rt->after_level)
		return DL_ENOMEM;
	for (size_t qi = 0; qi < nq; qi++) {
		rt->opt_base[qi] = total;
		total += dl_questionnaire_option_count(q, qi);
	}
	if (!(rt->after_chosen = dl__calloc(total + 1, sizeof(bool))))
		return DL_ENOMEM;
	for (size_t qi = 0; qi < nq; qi++)
		for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++)
			rt->after_chosen[rt->opt_base[qi] + oi] = dl_result_option_chosen(r, qi, oi);
	for (size_t si = 0; si < ns; si++)
		rt->after_level[si] = dl_result_scenario_level(r, si);
	return 0;
}

/* The expected answers of the recommendation: every step of the plan applied, in its order, to the
 * answers state_start copied from the result. */
static void apply_steps(dl_retrofit *rt, const dl_result *r)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	const dl_plan *p = rt->plan;
	for (size_t i = 0; i < dl_plan_step_count(p); i++) {
		if (dl_plan_step_kind(p, i) == DL_STEP_RAISE_SCENARIO) {
			rt->after_level[dl_plan_step_scenario(p, i)] = dl_plan_step_level_to(p, i);
			continue;
		}
		/* the option the step chooses; a switch leaves the question's others, an added option
		 * its exclusive ones ("none of these") */
		size_t qi = dl_plan_step_question(p, i), to = dl_plan_step_option_to(p, i);
		bool *chosen = rt->after_chosen + rt->opt_base[qi];
		bool is_switch = dl_plan_step_kind(p, i) == DL_STEP_SWITCH_OPTION;
		for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++)
			if (oi == to)
				chosen[oi] = true;
			else if (is_switch || dl_questionnaire_option_is_exclusive(q, qi, oi))
				chosen[oi] = false;
	}
}

/* The recommendation's changes: per solution, the plan steps it covers. Returns 0 or DL_ENOMEM. */
static int steps_as_changes(dl_retrofit *rt)
{
	const dl_plan *p = rt->plan;
	rt->changes = dl__calloc(rt->solution_count + 1, sizeof(change *));
	rt->change_count = dl__calloc(rt->solution_count + 1, sizeof(size_t));
	if (!rt->changes || !rt->change_count)
		return DL_ENOMEM;
	for (size_t k = 0; k < rt->solution_count; k++) {
		if (!(rt->changes[k] = dl__calloc(rt->cover_count[k] + 1, sizeof(change))))
			return DL_ENOMEM;
		for (size_t j = 0; j < rt->cover_count[k]; j++) {
			size_t i = rt->covers[k][j];
			rt->changes[k][j] = (change){dl_plan_step_kind(p, i), dl_plan_step_question(p, i),
						     dl_plan_step_option_from(p, i), dl_plan_step_option_to(p, i),
						     dl_plan_step_scenario(p, i), dl_plan_step_level_from(p, i),
						     dl_plan_step_level_to(p, i)};
		}
		rt->change_count[k] = rt->cover_count[k];
	}
	return 0;
}

/* What one catalogue lift of item k changes in the expected answers, recorded as its changes
 * (room for them is allocated by the caller: at most one per option or scenario lifted). */
static void apply_lift(dl_retrofit *rt, const dl_questionnaire *q, size_t k, const dl__cat_lift *l)
{
	change *out = rt->changes[k];
	size_t *n = &rt->change_count[k];
	if (l->scenario[0]) {
		size_t si = dl_questionnaire_scenario_find(q, l->scenario);
		if (si != DL_NONE && l->level > rt->after_level[si]) {
			out[(*n)++] = (change){DL_STEP_RAISE_SCENARIO, DL_NONE, DL_NONE, DL_NONE, si,
					       rt->after_level[si], l->level};
			rt->after_level[si] = l->level;
		}
		return;
	}
	size_t qi = dl_questionnaire_question_find(q, l->question);
	if (qi == DL_NONE || dl_questionnaire_question_is_outcome(q, qi))
		return;
	bool *chosen = rt->after_chosen + rt->opt_base[qi];
	size_t no = dl_questionnaire_option_count(q, qi), now = DL_NONE;
	for (size_t oi = 0; oi < no; oi++)
		if (chosen[oi] && (now == DL_NONE || dl_questionnaire_option_points(q, qi, oi) >
						     dl_questionnaire_option_points(q, qi, now)))
			now = oi;
	if (dl_questionnaire_question_type(q, qi) == DL_QUESTION_SINGLE) {
		/* one option: the next step up, the lowest-scoring lifted option that scores more than
		 * the one chosen now (a solution lifting "B C D E" is not assumed to reach E) */
		size_t best = DL_NONE;
		for (size_t j = 0; j < l->option_count; j++) {
			size_t oi = dl_questionnaire_option_find(q, qi, l->options[j]);
			if (oi == DL_NONE || (now != DL_NONE && dl_questionnaire_option_points(q, qi, oi) <=
								     dl_questionnaire_option_points(q, qi, now)))
				continue;
			if (best == DL_NONE || dl_questionnaire_option_points(q, qi, oi) <
						   dl_questionnaire_option_points(q, qi, best))
				best = oi;
		}
		if (best == DL_NONE)
			return;
		for (size_t oi = 0; oi < no; oi++)
			chosen[oi] = oi == best;
		out[(*n)++] = (change){DL_STEP_SWITCH_OPTION, qi, now, best, DL_NONE, 0, 0};
		return;
	}
	for (size_t j = 0; j < l->option_count; j++) {
		/* several options: each lifted one added, an exclusive one ("none of these") dropped */
		size_t oi = dl_questionnaire_option_find(q, qi, l->options[j]), dropped = DL_NONE;
		if (oi == DL_NONE || chosen[oi] || dl_questionnaire_option_is_exclusive(q, qi, oi))
			continue;
		for (size_t x = 0; x < no; x++)
			if (chosen[x] && dl_questionnaire_option_is_exclusive(q, qi, x)) {
				chosen[x] = false;
				dropped = x;
			}
		chosen[oi] = true;
		out[(*n)++] = (change){DL_STEP_ADD_OPTION, qi, dropped, oi, DL_NONE, 0, 0};
	}
}

/* Whether step i of the plan holds in the expected answers (a single choice: an option scoring at
 * least as much as the step's is chosen). */
static bool step_holds(const dl_retrofit *rt, const dl_questionnaire *q, size_t i)
{
	const dl_plan *p = rt->plan;
	if (dl_plan_step_kind(p, i) == DL_STEP_RAISE_SCENARIO)
		return rt->after_level[dl_plan_step_scenario(p, i)] >= dl_plan_step_level_to(p, i);
	size_t qi = dl_plan_step_question(p, i), to = dl_plan_step_option_to(p, i);
	const bool *chosen = rt->after_chosen + rt->opt_base[qi];
	if (dl_plan_step_kind(p, i) == DL_STEP_ADD_OPTION)
		return chosen[to];
	for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++)
		if (chosen[oi] && dl_questionnaire_option_points(q, qi, oi) >= dl_questionnaire_option_points(q, qi, to))
			return true;
	return false;
}

/*
 * The chosen solutions of the sheet: items, amounts, what each changes, the plan steps each
 * achieves (the first item achieving a step gets it) and those none does. Returns 0 or DL_ENOMEM.
 */
static int apply_items(dl_retrofit *rt, const dl_result *r, const dl_sheet *s)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	const dl_catalogue *cat = rt->cat;
	size_t n = dl_sheet_plan_item_count(s), steps = rt->plan ? dl_plan_step_count(rt->plan) : 0;
	bool *held = dl__calloc(steps + 1, sizeof(bool));
	rt->solutions = dl__calloc(n + 1, sizeof(size_t));
	rt->item_low = dl__calloc(n + 1, sizeof(int64_t));
	rt->item_high = dl__calloc(n + 1, sizeof(int64_t));
	rt->changes = dl__calloc(n + 1, sizeof(change *));
	rt->change_count = dl__calloc(n + 1, sizeof(size_t));
	rt->covers = dl__calloc(n + 1, sizeof(size_t *));
	rt->cover_count = dl__calloc(n + 1, sizeof(size_t));
	rt->uncovered = dl__calloc(steps + 1, sizeof(size_t));
	rt->providers = dl__calloc(cat->provider_count + 1, sizeof(size_t));
	int rc = 0;
	if (!held || !rt->solutions || !rt->item_low || !rt->item_high || !rt->changes ||
	    !rt->change_count || !rt->covers || !rt->cover_count || !rt->uncovered || !rt->providers) {
		rc = DL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < steps; i++)
		held[i] = step_holds(rt, q, i);
	rt->solution_count = n;
	for (size_t k = 0; k < n; k++) {
		size_t si = dl_catalogue_solution_find(cat, dl_sheet_plan_item_solution(s, k));
		const dl__cat_solution *sol = si != DL_NONE ? &cat->solutions[si] : NULL;
		int64_t fen = dl_sheet_plan_item_fen(s, k);
		size_t room = 1;
		rt->solutions[k] = si;
		rt->item_low[k] = fen >= 0 ? fen : sol ? sol->cost_low : 0;
		rt->item_high[k] = fen >= 0 ? fen : sol ? sol->cost_high : 0;
		rt->cost_low += rt->item_low[k];
		rt->cost_high += rt->item_high[k];
		for (size_t j = 0; sol && j < sol->lift_count; j++)
			room += sol->lifts[j].scenario[0] ? 1 : sol->lifts[j].option_count;
		rt->changes[k] = dl__calloc(room, sizeof(change));
		rt->covers[k] = dl__calloc(steps + 1, sizeof(size_t));
		if (!rt->changes[k] || !rt->covers[k]) {
			rc = DL_ENOMEM;
			goto done;
		}
		for (size_t j = 0; sol && j < sol->lift_count; j++)
			apply_lift(rt, q, k, &sol->lifts[j]);
		for (size_t i = 0; i < steps; i++)
			if (!held[i] && !dl_plan_step_is_outcome(rt->plan, i) && step_holds(rt, q, i)) {
				held[i] = true;
				rt->covers[k][rt->cover_count[k]++] = i;
			}
		if (sol && sol->weeks_low > rt->weeks_low)
			rt->weeks_low = sol->weeks_low;
		if (sol && sol->weeks_high > rt->weeks_high)
			rt->weeks_high = sol->weeks_high;
	}
	for (size_t i = 0; i < steps; i++)
		if (!held[i] && !dl_plan_step_is_outcome(rt->plan, i))
			rt->uncovered[rt->uncovered_count++] = i;
	list_providers(rt);
done:
	dl__free(held);
	return rc;
}

/*
 * The schedule of the chosen solutions: the earliest start, and the completion: the latest finish,
 * or for an item without one the plan's date plus the catalogue's longest delivery time.
 */
static void schedule(dl_retrofit *rt, const dl_sheet *s)
{
	const char *base = dl_sheet_plan_date(s);
	for (size_t k = 0; k < rt->solution_count; k++) {
		const char *start = dl_sheet_plan_item_start(s, k), *finish = dl_sheet_plan_item_finish(s, k);
		char end[40] = "";
		if (start[0] && (!rt->start[0] || dl__date_compare(start, rt->start) < 0))
			snprintf(rt->start, sizeof(rt->start), "%s", start);
		if (finish[0])
			snprintf(end, sizeof(end), "%s", finish);
		else if (rt->solutions[k] != DL_NONE)
			date_after(start[0] ? start : base,
				   7L * rt->cat->solutions[rt->solutions[k]].weeks_high, end, sizeof(end));
		if (end[0] && (!rt->completion[0] || dl__date_compare(end, rt->completion) > 0))
			snprintf(rt->completion, sizeof(rt->completion), "%s", end);
	}
}

/* --- the expected sheet ------------------------------------------------------------------------ */

/*
 * The answers of r with every step of the plan applied, as an answer sheet (with a retrofit block
 * whose items are the chosen solutions at their low or high cost when end is 0 or 1, none when -1),
 * built in memory as the sheet loader builds it from XML: an evaluation of s's enterprise (its name,
 * credit code, industry and scale) dated at the completion, assessed by 推算, one answer per
 * question and one level per scenario. It has no positions (nothing in it was written by a person)
 * and no digest. Its strings are borrowed from r's questionnaire, s, the catalogue and rt, which
 * outlive it (finish and subsidies free it at once), or made in its arena.
 */
static int load_expected(dl_sheet **out, const dl_retrofit *rt, const dl_result *r,
			 const dl_sheet *s, int end, dl_error *err)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	size_t nq = dl_questionnaire_question_count(q), ns = dl_questionnaire_scenario_count(q);
	char name[300];
	dl_sheet *e = dl__calloc(1, sizeof(*e));
	if (!e)
		return dl__error_set(err, DL_ENOMEM, dl_sheet_path(s), 0, 0, _("out of memory"));
	snprintf(name, sizeof(name), "%s (expected after the %s)", dl_sheet_path(s),
		 rt->sheet ? "retrofit plan" : "recommended retrofit");
	dl__arena *a = &e->arena;
	bool ok = (e->path = dl__arena_strdup(a, name)) != NULL;
	e->questionnaire_id = dl_questionnaire_id(q);
	e->questionnaire_version = dl_questionnaire_version(q);
	for (int i = 0; i < DL__ENTERPRISE_FIELDS; i++)
		e->enterprise[i] = i == DL_ENTERPRISE_NAME || i == DL_ENTERPRISE_CREDIT_CODE ||
					   i == DL_ENTERPRISE_INDUSTRY || i == DL_ENTERPRISE_SCALE
				       ? dl_sheet_enterprise(s, (dl_enterprise_field)i)
				       : "";
	e->employees = -1;
	e->phase = DL_PHASE_EVALUATION;
	e->date = rt->completion[0] ? rt->completion : dl_sheet_date(s);
	e->organisation = "推算";
	e->answer_count = nq;
	e->answers = dl__arena_array(a, nq, sizeof(dl__answer));
	for (size_t qi = 0; ok && e->answers && qi < nq; qi++) {
		dl__answer *ans = &e->answers[qi];
		const bool *chosen = rt->after_chosen + rt->opt_base[qi];
		size_t no = dl_questionnaire_option_count(q, qi);
		ans->question = dl_questionnaire_question_id(q, qi);
		ans->notes.note = "";
		for (size_t oi = 0; oi < no; oi++)
			ans->choice_count += chosen[oi];
		ans->choices = dl__arena_array(a, ans->choice_count, sizeof(dl__choice));
		ok = ans->choices != NULL;
		for (size_t oi = 0, k = 0; ok && oi < no; oi++)
			if (chosen[oi])
				ans->choices[k++].option = dl_questionnaire_option_id(q, qi, oi);
	}
	e->scenario_count = ns;
	e->scenarios = dl__arena_array(a, ns, sizeof(dl__scenario_answer));
	for (size_t si = 0; ok && e->scenarios && si < ns; si++) {
		char level[16];
		snprintf(level, sizeof(level), "%d", rt->after_level[si]);
		e->scenarios[si].id = dl_questionnaire_scenario_id(q, si);
		e->scenarios[si].level = dl__arena_strdup(a, level);
		e->scenarios[si].notes.note = "";
		ok = e->scenarios[si].level != NULL;
	}
	if (ok && end >= 0 && rt->solution_count > 0) {
		const char *what = rt->sheet ? "改造方案（推算）" : "推荐改造方案（推算）";
		e->has_retrofit = true;
		e->attempt = 1;
		e->contract = e->scope = what;
		e->provider = "推算";
		e->completed = e->applied = e->date;
		e->contract_number = e->contract_signed = e->satisfaction = "";
		e->contract_fen = -1;
		e->item_count = rt->solution_count;
		e->items = dl__arena_array(a, rt->solution_count, sizeof(dl__item));
		for (size_t k = 0; e->items && k < rt->solution_count; k++) {
			size_t si = rt->solutions[k];
			const dl__cat_solution *sol = si != DL_NONE ? &rt->cat->solutions[si] : NULL;
			const char *category = rt->sheet ? dl_sheet_plan_item_category(rt->sheet, k) : "";
			e->items[k] = (dl__item){category[0] || !sol ? category : sol->category,
						 sol ? sol->name : dl_sheet_plan_item_text(rt->sheet, k),
						 end ? rt->item_high[k] : rt->item_low[k],
						 {0, 0},
						 "",
						 -1};
		}
		ok = e->items != NULL;
	}
	if (!ok || !e->answers || !e->scenarios) {
		dl_sheet_free(e);
		return dl__error_set(err, DL_ENOMEM, dl_sheet_path(s), 0, 0, _("out of memory"));
	}
	*out = e;
	return 0;
}

/* The latest annual revenue known, in fen, or -1. */
static int64_t latest_revenue(const dl_sheet *s)
{
	int64_t fen = -1;
	int year = 0;
	for (size_t i = 0; i < dl_sheet_operation_count(s); i++)
		if (dl_sheet_operation_has(s, i, DL_OPERATION_REVENUE) && dl_sheet_operation_year(s, i) > year) {
			year = dl_sheet_operation_year(s, i);
			fen = dl_sheet_operation_fen(s, i, DL_OPERATION_REVENUE);
		}
	for (size_t i = 0; fen < 0 && i < dl_sheet_figure_count(s); i++) {
		int64_t units = 0; /* the figure is in 万元, 10^-4 of which is a yuan */
		if (strcmp(dl_sheet_figure_id(s, i), "revenue_y1") == 0 &&
		    dl__number_parse(dl_sheet_figure_text(s, i), 4, DL__DECIMAL_MAX, &units) == 0)
			fen = units * 100;
	}
	return fen;
}

static int subsidies(dl_retrofit *rt, const dl_result *r, const dl_sheet *s, const dl_policy *policy,
		     dl_error *err)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	bool granted = true;
	rt->has_policy = true;
	if (rt->solution_count == 0) {
		DL__EACH_LANGUAGE(l)
		snprintf(
		    rt->note[l], sizeof(rt->note[l]), "%s",
		    dl__tr_in(
			l, N_("no solution of the catalogue gives an investment, so no subsidy is "
			      "estimated")));
		return 0;
	}
	for (int end = 0; end < 2; end++) {
		dl_sheet *after = NULL;
		dl_comparison *c = NULL;
		dl_error why;
		int rc = load_expected(&after, rt, r, s, end, err);
		if (rc < 0)
			return rc;
		rc = dl_compare(&c, q, s, after, policy, NULL, &why);
		if (rc == DL_ENOMEM) {
			dl_sheet_free(after);
			return dl__error_set(err, DL_ENOMEM, dl_sheet_path(s), 0, 0,
					     _("out of memory"));
		}
		if (rc < 0) {
			DL__EACH_LANGUAGE(l)
			snprintf(
			    rt->note[l], sizeof(rt->note[l]),
			    dl__tr_in(l, N_("the subsidy cannot be estimated by the policy: %s")),
			    why.message);
			granted = false;
		} else {
			rt->eligible[end] = dl_comparison_eligible_investment(c);
			rt->subsidy[end] = dl_comparison_subsidy(c);
			granted &= dl_comparison_subsidy_granted(c);
			if (!dl_comparison_subsidy_granted(c)) {
				DL__EACH_LANGUAGE(l)
				snprintf(rt->note[l], sizeof(rt->note[l]), "%s",
					 c->no_subsidy_reason.in[l]);
			} else if (!rt->note[0][0] && dl_comparison_phase(c) != DL_NONE) {
				DL__EACH_LANGUAGE(l)
				snprintf(rt->note[l], sizeof(rt->note[l]),
					 dl__tr_in(l, N_("%s (acceptance applied for on "
							 "completion, expected by %s)")),
					 dl_policy_phase_title(policy, dl_comparison_phase(c)),
					 rt->completion);
			}
		}
		dl_comparison_free(c);
		dl_sheet_free(after);
	}
	rt->granted = granted;
	return 0;
}

/* The checks both ways of making a retrofit share: the catalogue and the sheet are r's edition. */
static int check_editions(const dl_result *r, const dl_sheet *s, const dl_catalogue *cat, dl_error *err)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	if (strcmp(cat->questionnaire_id, dl_questionnaire_id(q)) != 0 ||
	    strcmp(cat->questionnaire_version, dl_questionnaire_version(q)) != 0)
		return dl__error_set(
		    err, DL_EMISMATCH, cat->path, cat->questionnaire_pos.line,
		    cat->questionnaire_pos.column,
		    _("the catalogue is written for questionnaire %s %s, not %s %s"),
		    cat->questionnaire_id, cat->questionnaire_version, dl_questionnaire_id(q),
		    dl_questionnaire_version(q));
	if (strcmp(dl_sheet_questionnaire_id(s), dl_questionnaire_id(q)) != 0 ||
	    strcmp(dl_sheet_questionnaire_version(s), dl_questionnaire_version(q)) != 0)
		return dl__error_set(
		    err, DL_EMISMATCH, dl_sheet_path(s), 0, 0,
		    _("the sheet answers questionnaire '%s' version '%s', not the result's"),
		    dl_sheet_questionnaire_id(s), dl_sheet_questionnaire_version(s));
	return 0;
}

/*
 * What both ways share once the items and the expected answers are known: the revenue share, the
 * expected level (the expected sheet scored), with keep the plan from the expected result to the
 * plan's target when it falls short, and with a policy the expected subsidy.
 */
static int finish(dl_retrofit *rt, const dl_result *r, const dl_sheet *s, const dl_policy *policy,
		  bool keep, dl_error *err)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	int64_t revenue = latest_revenue(s);
	if (revenue > 0)
		rt->revenue_share = (int64_t)((dl__i128)rt->cost_high * 10000 / revenue);
	dl_sheet *after = NULL;
	dl_result *ra = NULL;
	int rc = load_expected(&after, rt, r, s, -1, err);
	if (rc < 0)
		return rc;
	dl_score_options so = {DL_SCORE_OPTIONS_VERSION, dl_result_provisional(r), false}; /* a draft: still */
	rc = dl_score_with(&ra, q, after, NULL, &so, err);
	if (rc == 0) {
		rt->expected_level = dl_result_level(ra);
		rt->expected_total = dl_result_total(ra);
	}
	dl_sheet_free(after);
	if (rc == 0 && keep && rt->plan && rt->expected_level < dl_plan_target(rt->plan)) {
		rt->after = ra;
		ra = NULL;
		rc = dl_plan_make_with(&rt->remaining, rt->after, dl_plan_target(rt->plan), rt->cat, err);
	}
	dl_result_free(ra);
	if (rc < 0)
		return rc;
	if (policy && (rc = subsidies(rt, r, s, policy, err)) < 0)
		return rc;
	return 0;
}

int dl_retrofit_recommend(dl_retrofit **out, const dl_result *r, const dl_sheet *s,
			  const dl_plan *plan, const dl_catalogue *cat, const dl_policy *policy,
			  dl_error *err)
{
	assert(out && r && s && plan && cat);
	const dl_questionnaire *q = dl_result_questionnaire(r);
	int rc = check_editions(r, s, cat, err);
	if (rc < 0)
		return rc;
	dl_retrofit *rt = dl__calloc(1, sizeof(*rt));
	if (!rt)
		return dl__error_set(err, DL_ENOMEM, dl_sheet_path(s), 0, 0, _("out of memory"));
	rt->cat = cat;
	rt->plan = plan;
	rt->revenue_share = -1;
	if (choose(rt, q) < 0 || state_start(rt, r) < 0 || steps_as_changes(rt) < 0) {
		rc = dl__error_set(err, DL_ENOMEM, dl_sheet_path(s), 0, 0, _("out of memory"));
		goto fail;
	}
	apply_steps(rt, r);
	date_after(dl_sheet_date(s), 7L * rt->weeks_high, rt->completion, sizeof(rt->completion));
	if ((rc = finish(rt, r, s, policy, false, err)) < 0)
		goto fail;
	*out = rt;
	return 0;
fail:
	dl_retrofit_free(rt);
	return rc;
}

int dl_retrofit_from_sheet(dl_retrofit **out, const dl_result *r, const dl_sheet *s,
			   const dl_plan *plan, const dl_catalogue *cat, const dl_policy *policy,
			   dl_error *err)
{
	assert(out && r && s && cat);
	const dl_questionnaire *q = dl_result_questionnaire(r);
	int rc = check_editions(r, s, cat, err);
	if (rc == 0)
		rc = dl_retrofit_plan_check(s, q, cat, NULL, err);
	if (rc < 0)
		return rc;
	dl_retrofit *rt = dl__calloc(1, sizeof(*rt));
	if (!rt)
		return dl__error_set(err, DL_ENOMEM, dl_sheet_path(s), 0, 0, _("out of memory"));
	rt->cat = cat;
	rt->plan = plan;
	rt->sheet = s;
	rt->revenue_share = -1;
	if (state_start(rt, r) < 0 || apply_items(rt, r, s) < 0) {
		rc = dl__error_set(err, DL_ENOMEM, dl_sheet_path(s), 0, 0, _("out of memory"));
		goto fail;
	}
	schedule(rt, s);
	if ((rc = finish(rt, r, s, policy, true, err)) < 0)
		goto fail;
	*out = rt;
	return 0;
fail:
	dl_retrofit_free(rt);
	return rc;
}

void dl_retrofit_free(dl_retrofit *rt)
{
	if (!rt)
		return;
	for (size_t k = 0; rt->covers && k < rt->solution_count; k++)
		dl__free(rt->covers[k]);
	for (size_t k = 0; rt->changes && k < rt->solution_count; k++)
		dl__free(rt->changes[k]);
	dl_plan_free(rt->remaining);
	dl_result_free(rt->after);
	dl__free(rt->changes);
	dl__free(rt->change_count);
	dl__free(rt->after_chosen);
	dl__free(rt->opt_base);
	dl__free(rt->after_level);
	dl__free(rt->item_low);
	dl__free(rt->item_high);
	dl__free(rt->covers);
	dl__free(rt->cover_count);
	dl__free(rt->solutions);
	dl__free(rt->uncovered);
	dl__free(rt->providers);
	dl__free(rt);
}

/* --- accessors --------------------------------------------------------------------------------- */

const dl_catalogue *dl_retrofit_catalogue(const dl_retrofit *rt) { return rt->cat; }
const dl_plan *dl_retrofit_plan(const dl_retrofit *rt) { return rt->plan; }
size_t dl_retrofit_solution_count(const dl_retrofit *rt) { return rt->solution_count; }

size_t dl_retrofit_solution(const dl_retrofit *rt, size_t i)
{
	assert(i < rt->solution_count);
	return i < rt->solution_count ? rt->solutions[i] : DL_NONE;
}

size_t dl_retrofit_solution_step_count(const dl_retrofit *rt, size_t i)
{
	assert(i < rt->solution_count);
	return i < rt->solution_count ? rt->cover_count[i] : 0;
}

size_t dl_retrofit_solution_step(const dl_retrofit *rt, size_t i, size_t k)
{
	assert(i < rt->solution_count && k < rt->cover_count[i]);
	return i < rt->solution_count && k < rt->cover_count[i] ? rt->covers[i][k] : DL_NONE;
}

size_t dl_retrofit_uncovered_count(const dl_retrofit *rt) { return rt->uncovered_count; }

size_t dl_retrofit_uncovered_step(const dl_retrofit *rt, size_t i)
{
	assert(i < rt->uncovered_count);
	return i < rt->uncovered_count ? rt->uncovered[i] : DL_NONE;
}

size_t dl_retrofit_provider_count(const dl_retrofit *rt) { return rt->provider_count; }

size_t dl_retrofit_provider(const dl_retrofit *rt, size_t i)
{
	assert(i < rt->provider_count);
	return i < rt->provider_count ? rt->providers[i] : DL_NONE;
}

int64_t dl_retrofit_cost_low(const dl_retrofit *rt) { return rt->cost_low; }
int64_t dl_retrofit_cost_high(const dl_retrofit *rt) { return rt->cost_high; }
int64_t dl_retrofit_revenue_share(const dl_retrofit *rt) { return rt->revenue_share; }
int dl_retrofit_weeks_low(const dl_retrofit *rt) { return rt->weeks_low; }
int dl_retrofit_weeks_high(const dl_retrofit *rt) { return rt->weeks_high; }
const char *dl_retrofit_completion(const dl_retrofit *rt) { return rt->completion; }
int dl_retrofit_expected_level(const dl_retrofit *rt) { return rt->expected_level; }
dl_points dl_retrofit_expected_total(const dl_retrofit *rt) { return rt->expected_total; }
bool dl_retrofit_has_policy(const dl_retrofit *rt) { return rt->has_policy; }
bool dl_retrofit_subsidy_granted(const dl_retrofit *rt) { return rt->granted; }
int64_t dl_retrofit_subsidy_low(const dl_retrofit *rt) { return rt->granted ? rt->subsidy[0] : 0; }
int64_t dl_retrofit_subsidy_high(const dl_retrofit *rt) { return rt->granted ? rt->subsidy[1] : 0; }
int64_t dl_retrofit_eligible_low(const dl_retrofit *rt) { return rt->eligible[0]; }
int64_t dl_retrofit_eligible_high(const dl_retrofit *rt) { return rt->eligible[1]; }
const char *dl_retrofit_subsidy_note(const dl_retrofit *rt)
{
	return rt->note[dl__messages_language()];
}

const char *dl__retrofit_subsidy_note_zh(const dl_retrofit *rt)
{
	return rt->note[DL_LANGUAGE_ZH];
}

bool dl_retrofit_is_chosen(const dl_retrofit *rt) { return rt->sheet != NULL; }
const char *dl_retrofit_start(const dl_retrofit *rt) { return rt->start; }
const dl_plan *dl_retrofit_remaining(const dl_retrofit *rt) { return rt->remaining; }

int64_t dl_retrofit_item_cost_low(const dl_retrofit *rt, size_t i)
{
	assert(i < rt->solution_count);
	return i < rt->solution_count ? rt->item_low[i] : 0;
}

int64_t dl_retrofit_item_cost_high(const dl_retrofit *rt, size_t i)
{
	assert(i < rt->solution_count);
	return i < rt->solution_count ? rt->item_high[i] : 0;
}

bool dl_retrofit_item_exact(const dl_retrofit *rt, size_t i)
{
	assert(i < rt->solution_count);
	return rt->sheet && i < rt->solution_count && dl_sheet_plan_item_fen(rt->sheet, i) >= 0;
}

/* Change k of item i, or a change of nothing when out of range (asserted). */
static const change *change_at(const dl_retrofit *rt, size_t i, size_t k)
{
	static const change none = {DL_STEP_SWITCH_OPTION, DL_NONE, DL_NONE, DL_NONE, DL_NONE, 0, 0};
	assert(i < rt->solution_count && k < rt->change_count[i]);
	return i < rt->solution_count && k < rt->change_count[i] ? &rt->changes[i][k] : &none;
}

size_t dl_retrofit_change_count(const dl_retrofit *rt, size_t i)
{
	assert(i < rt->solution_count);
	return i < rt->solution_count ? rt->change_count[i] : 0;
}

dl_step_kind dl_retrofit_change_kind(const dl_retrofit *rt, size_t i, size_t k) { return change_at(rt, i, k)->kind; }
size_t dl_retrofit_change_question(const dl_retrofit *rt, size_t i, size_t k) { return change_at(rt, i, k)->question; }
size_t dl_retrofit_change_option_from(const dl_retrofit *rt, size_t i, size_t k) { return change_at(rt, i, k)->from; }
size_t dl_retrofit_change_option_to(const dl_retrofit *rt, size_t i, size_t k) { return change_at(rt, i, k)->to; }
size_t dl_retrofit_change_scenario(const dl_retrofit *rt, size_t i, size_t k) { return change_at(rt, i, k)->scenario; }
int dl_retrofit_change_level_from(const dl_retrofit *rt, size_t i, size_t k) { return change_at(rt, i, k)->level_from; }
int dl_retrofit_change_level_to(const dl_retrofit *rt, size_t i, size_t k) { return change_at(rt, i, k)->level_to; }
