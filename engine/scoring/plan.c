/*
 * plan.c: the fewest changes to a sheet's answers that reach a target level.
 *
 * A level's grade asks for three things at once: enough points, enough scenarios at the level, and
 * enough constraint scenarios among them. Points come only from questions and scenario counts only
 * from scenarios, so the two halves are planned separately and each half is minimal on its own:
 *
 * - Scenarios: raise the constraint scenarios that are closest to the level first, as many as the
 *   constraint count lacks, then any scenarios closest to the level for the rest. Each raise is one
 *   step and adds one to the count, so no plan can use fewer steps.
 * - Points: every possible step (switch a single-choice question to its best option, or add one
 *   option to a multi-choice question) is sorted by what it adds, largest first, and taken until the
 *   gap is closed. No set of k steps adds more than the k largest, so this uses the fewest steps.
 *   Then, keeping the number of steps, each switch is lowered to the least option that still closes
 *   the gap, so the plan asks for no more than it must.
 *
 * Ties are broken by questionnaire order, so the plan is deterministic. docs/planner.md has more.
 */
#include "alloc.h"
#include "diag.h"
#include "result.h"

#include <assert.h>
#include <stdlib.h>

typedef struct dl__step {
	dl_step_kind kind;
	size_t question, option_from, option_to, scenario;
	int level_from, level_to;
	dl_points gain;
} dl__step;

struct dl_plan {
	const dl_result *r;
	int target;
	bool feasible;
	dl_points missing_points;
	size_t missing_scenarios, missing_constraint;
	dl__step *steps;
	size_t step_count;
};

typedef struct candidate {
	size_t question, option, from;
	dl_points gain;
	size_t order; /* questionnaire order, for ties */
} candidate;

static int by_gain(const void *a, const void *b)
{
	const candidate *x = a, *y = b;
	if (x->gain != y->gain)
		return x->gain > y->gain ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

typedef struct scenario_candidate {
	size_t scenario;
	int level;
	bool constraint;
} scenario_candidate;

/* Closest to the level first; among equals, constraint scenarios first (they count twice over). */
static int by_closeness(const void *a, const void *b)
{
	const scenario_candidate *x = a, *y = b;
	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	if (x->constraint != y->constraint)
		return x->constraint ? -1 : 1;
	return (x->scenario > y->scenario) - (x->scenario < y->scenario);
}

static size_t chosen_option(const dl_result *r, size_t qi)
{
	for (size_t oi = 0; oi < r->q->questions[qi].option_count; oi++)
		if (r->chosen[r->option_offset[qi] + oi])
			return oi;
	return DL_NONE;
}

static dl_points chosen_points(const dl_result *r, size_t qi)
{
	size_t oi = chosen_option(r, qi);
	return oi == DL_NONE ? 0 : r->q->questions[qi].options[oi].points;
}

/* Every step that could add points, largest first. Returns the count; *cands is dl__malloc'ed. */
static int point_candidates(const dl_result *r, candidate **out, size_t *count)
{
	const dl_questionnaire *q = r->q;
	size_t total_options = 0;
	for (size_t qi = 0; qi < q->question_count; qi++)
		total_options += q->questions[qi].option_count;
	candidate *c = dl__calloc(total_options + 1, sizeof(*c));
	if (!c)
		return DL_ENOMEM;
	size_t n = 0;
	for (size_t qi = 0; qi < q->question_count; qi++) {
		const dl__question *qu = &q->questions[qi];
		const bool *chosen = r->chosen + r->option_offset[qi];
		if (qu->type == DL_QUESTION_SINGLE) {
			size_t cur = chosen_option(r, qi), best = DL_NONE;
			dl_points now = chosen_points(r, qi);
			for (size_t oi = 0; oi < qu->option_count; oi++)
				if (qu->options[oi].points > now &&
				    (best == DL_NONE || qu->options[oi].points > qu->options[best].points))
					best = oi;
			if (best != DL_NONE)
				c[n++] = (candidate){qi, best, cur, qu->options[best].points - now,
						     r->option_offset[qi] + best};
			continue;
		}
		size_t exclusive = DL_NONE;
		for (size_t oi = 0; oi < qu->option_count; oi++)
			if (chosen[oi] && qu->options[oi].exclusive)
				exclusive = oi;
		for (size_t oi = 0; oi < qu->option_count; oi++) {
			if (chosen[oi] || qu->options[oi].exclusive || qu->options[oi].points <= 0)
				continue;
			c[n++] = (candidate){qi, oi, exclusive, qu->options[oi].points,
					     r->option_offset[qi] + oi};
		}
	}
	qsort(c, n, sizeof(*c), by_gain);
	*out = c;
	*count = n;
	return 0;
}

/* Lower a switch to the least option that keeps the sum at or above need. */
static void lower_switch(const dl_result *r, dl__step *s, dl_points *sum, dl_points need)
{
	const dl__question *qu = &r->q->questions[s->question];
	dl_points now = chosen_points(r, s->question);
	size_t best = s->option_to;
	for (size_t oi = 0; oi < qu->option_count; oi++) {
		dl_points gain = qu->options[oi].points - now;
		if (gain <= 0 || gain >= qu->options[best].points - now)
			continue;
		if (*sum - s->gain + gain >= need)
			best = oi;
	}
	if (best != s->option_to) {
		dl_points gain = qu->options[best].points - now;
		*sum += gain - s->gain;
		s->gain = gain;
		s->option_to = best;
	}
}

static bool question_planned(const dl_plan *p, size_t from, size_t to, size_t qi, size_t oi)
{
	for (size_t k = from; k < to; k++)
		if (p->steps[k].question == qi &&
		    (p->steps[k].kind == DL_STEP_SWITCH_OPTION || p->steps[k].option_to == oi))
			return true;
	return false;
}

/*
 * Replace the last step with the smallest single move that still closes the gap: with the number
 * of steps fixed, the last step need only cover what the others leave.
 */
static void shrink_last_step(dl_plan *p, size_t first, dl_points need)
{
	const dl_result *r = p->r;
	const dl_questionnaire *q = r->q;
	dl__step *last = &p->steps[p->step_count - 1];
	dl_points others = 0;
	for (size_t k = first; k + 1 < p->step_count; k++)
		others += p->steps[k].gain;
	dl_points rest = need - others;
	for (size_t qi = 0; qi < q->question_count; qi++) {
		const dl__question *qu = &q->questions[qi];
		dl_points now = qu->type == DL_QUESTION_SINGLE ? chosen_points(r, qi) : 0;
		for (size_t oi = 0; oi < qu->option_count; oi++) {
			const dl__option *o = &qu->options[oi];
			dl_points gain = o->points - now;
			if (gain <= 0 || gain < rest || gain >= last->gain || o->exclusive ||
			    r->chosen[r->option_offset[qi] + oi] ||
			    question_planned(p, first, p->step_count - 1, qi, oi))
				continue;
			last->kind = qu->type == DL_QUESTION_SINGLE ? DL_STEP_SWITCH_OPTION : DL_STEP_ADD_OPTION;
			last->question = qi;
			last->option_to = oi;
			last->option_from = DL_NONE;
			if (qu->type == DL_QUESTION_SINGLE)
				last->option_from = chosen_option(r, qi);
			else
				for (size_t x = 0; x < qu->option_count; x++)
					if (r->chosen[r->option_offset[qi] + x] && qu->options[x].exclusive)
						last->option_from = x;
			last->gain = gain;
		}
	}
}

static int plan_points(dl_plan *p, dl_points need)
{
	candidate *c = NULL;
	size_t n = 0;
	int rc = point_candidates(p->r, &c, &n);
	if (rc < 0)
		return rc;
	dl_points sum = 0;
	size_t first = p->step_count;
	for (size_t i = 0; i < n && sum < need; i++) {
		dl__step *s = &p->steps[p->step_count++];
		const dl__question *qu = &p->r->q->questions[c[i].question];
		s->kind = qu->type == DL_QUESTION_SINGLE ? DL_STEP_SWITCH_OPTION : DL_STEP_ADD_OPTION;
		s->question = c[i].question;
		s->option_to = c[i].option;
		s->option_from = c[i].from;
		s->scenario = DL_NONE;
		s->gain = c[i].gain;
		/* an exclusive option ("无") is dropped once, by the first option added to its question */
		for (size_t k = first; k + 1 < p->step_count && s->option_from != DL_NONE; k++)
			if (p->steps[k].question == s->question)
				s->option_from = DL_NONE;
		sum += s->gain;
	}
	if (sum < need) {
		p->feasible = false;
	} else {
		shrink_last_step(p, first, need);
		sum = 0;
		for (size_t i = first; i < p->step_count; i++)
			sum += p->steps[i].gain;
		for (size_t i = p->step_count; i-- > first;)
			if (p->steps[i].kind == DL_STEP_SWITCH_OPTION)
				lower_switch(p->r, &p->steps[i], &sum, need);
	}
	dl__free(c);
	return 0;
}

static void plan_scenarios(dl_plan *p, const dl__grade *g, scenario_candidate *cand)
{
	const dl_result *r = p->r;
	const dl_questionnaire *q = r->q;
	size_t have = dl_result_scenarios_at_least(r, g->gate_level, false);
	size_t have_constraint = dl_result_scenarios_at_least(r, g->gate_level, true);
	p->missing_scenarios = have < g->gate_count ? g->gate_count - have : 0;
	p->missing_constraint = have_constraint < g->gate_constraint ? g->gate_constraint - have_constraint : 0;

	for (int pass = 0; pass < 2; pass++) {
		size_t n = 0;
		for (size_t si = 0; si < q->scenario_count; si++) {
			if (r->scenario_levels[si] >= g->gate_level)
				continue;
			if (pass == 0 && !q->scenarios[si].constraint)
				continue;
			bool planned = false;
			for (size_t k = 0; k < p->step_count; k++)
				planned |= p->steps[k].scenario == si;
			if (!planned)
				cand[n++] = (scenario_candidate){si, r->scenario_levels[si],
								 q->scenarios[si].constraint};
		}
		qsort(cand, n, sizeof(*cand), by_closeness);
		/* the constraint raises of pass 0 count towards the total of pass 1 */
		size_t want = pass == 0 ? p->missing_constraint
			      : p->missing_scenarios > p->step_count ? p->missing_scenarios - p->step_count
								     : 0;
		if (n < want)
			p->feasible = false;
		for (size_t i = 0; i < n && i < want; i++) {
			dl__step *s = &p->steps[p->step_count++];
			s->kind = DL_STEP_RAISE_SCENARIO;
			s->question = s->option_from = s->option_to = DL_NONE;
			s->scenario = cand[i].scenario;
			s->level_from = cand[i].level;
			s->level_to = g->gate_level;
		}
	}
}

int dl_plan_make(dl_plan **out, const dl_result *r, int target, dl_error *err)
{
	const dl_questionnaire *q = r->q;
	size_t gi = dl_questionnaire_grade_find(q, target);
	if (gi == DL_NONE)
		return dl__error_set(err, DL_EINVALID, q->path, 0, 0,
				     "no grade of questionnaire '%s' gives level %d", q->id, target);
	const dl__grade *g = &q->grades[gi];
	size_t options = 0;
	for (size_t qi = 0; qi < q->question_count; qi++)
		options += q->questions[qi].option_count;
	dl_plan *p = dl__calloc(1, sizeof(*p));
	scenario_candidate *cand = dl__calloc(q->scenario_count + 1, sizeof(*cand));
	if (p)
		p->steps = dl__calloc(options + q->scenario_count + 1, sizeof(dl__step));
	if (!p || !cand || !p->steps) {
		dl__free(cand);
		dl_plan_free(p);
		return dl__error_set(err, DL_ENOMEM, q->path, 0, 0, "out of memory");
	}
	p->r = r;
	p->target = target;
	p->feasible = true;
	if (r->level < target) {
		p->missing_points = r->total < g->min_score ? g->min_score - r->total : 0;
		if (g->has_gate)
			plan_scenarios(p, g, cand);
		if (p->missing_points > 0 && plan_points(p, p->missing_points) < 0) {
			dl__free(cand);
			dl_plan_free(p);
			return dl__error_set(err, DL_ENOMEM, q->path, 0, 0, "out of memory");
		}
	}
	dl__free(cand);
	*out = p;
	return 0;
}

void dl_plan_free(dl_plan *p)
{
	if (!p)
		return;
	dl__free(p->steps);
	dl__free(p);
}

int dl_plan_target(const dl_plan *p) { return p->target; }
bool dl_plan_feasible(const dl_plan *p) { return p->feasible; }
dl_points dl_plan_missing_points(const dl_plan *p) { return p->missing_points; }
size_t dl_plan_missing_scenarios(const dl_plan *p) { return p->missing_scenarios; }
size_t dl_plan_missing_constraint_scenarios(const dl_plan *p) { return p->missing_constraint; }
size_t dl_plan_step_count(const dl_plan *p) { return p->step_count; }

#define STEP(i, fallback) \
	assert((i) < p->step_count); \
	if ((i) >= p->step_count) \
		return fallback; \
	const dl__step *s = &p->steps[i]

dl_step_kind dl_plan_step_kind(const dl_plan *p, size_t i)
{
	STEP(i, DL_STEP_SWITCH_OPTION);
	return s->kind;
}

size_t dl_plan_step_question(const dl_plan *p, size_t i)
{
	STEP(i, DL_NONE);
	return s->question;
}

size_t dl_plan_step_option_from(const dl_plan *p, size_t i)
{
	STEP(i, DL_NONE);
	return s->option_from;
}

size_t dl_plan_step_option_to(const dl_plan *p, size_t i)
{
	STEP(i, DL_NONE);
	return s->option_to;
}

size_t dl_plan_step_scenario(const dl_plan *p, size_t i)
{
	STEP(i, DL_NONE);
	return s->scenario;
}

int dl_plan_step_level_from(const dl_plan *p, size_t i)
{
	STEP(i, 0);
	return s->level_from;
}

int dl_plan_step_level_to(const dl_plan *p, size_t i)
{
	STEP(i, 0);
	return s->level_to;
}

dl_points dl_plan_step_gain(const dl_plan *p, size_t i)
{
	STEP(i, 0);
	return s->gain;
}
