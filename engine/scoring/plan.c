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
 * - Points: only what the enterprise can do is a step. Outcome questions (outcome="true" in the
 *   questionnaire: trends and the investment-to-revenue ratio) are measured, not delivered; a trend
 *   is proposed only when nothing the enterprise can do closes the gap, and then marked as a result
 *   to expect; a value outcome (a ratio of the enterprise's own figures) never. Among the moves
 *   allowed, an exact search (a knapsack over the moves, one option per single-choice question)
 *   finds, in this order: the fewest outcome steps, the fewest steps, the fewest points over the
 *   gap, the lowest cost by the solution catalogue. When the search would be too large (points
 *   without a common step), the greedy plan of docs/planner.md is used instead: fewest steps still,
 *   the later tie-breaks approximate.
 *
 * Ties are broken by questionnaire order, so the plan is deterministic. docs/planner.md has more.
 */
#include "alloc.h"
#include "catalogue_index.h"
#include "catalogue_model.h"
#include "diag.h"
#include "i18n.h"
#include "result.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct dl__step {
	dl_step_kind kind;
	size_t question, option_from, option_to, scenario;
	int level_from, level_to;
	dl_points gain;
	bool outcome; /* a result to expect, not something to do */
	int64_t cost; /* midpoint of the cheapest catalogue solution, fen; -1 when none lifts it */
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

/* --- the moves a plan is made of ------------------------------------------------------------ */

/* One way to add points: an option of a question, with what it costs and whether it is an outcome. */
typedef struct move {
	size_t question, option, from;
	dl_points gain;
	int64_t cost;
	bool outcome;
} move;

/* A group of moves of which at most one is taken: the options of a single-choice question, or one
 * option of a multi-choice question. */
typedef struct group {
	size_t first, count;
} group;

/* What a plan with an outcome step costs more than any plan without one (far above any sum of costs). */
#define OUTCOME_WEIGHT INT64_C(10000000000000)
/* The most a search may hold (bytes of choices): beyond it the greedy plan is used. */
#define SEARCH_MAX ((size_t)48 * 1024 * 1024)

/* The cost a search weighs a move by: unknown costs rank after every known one. */
static int64_t move_weight(const move *m)
{
	if (m->outcome)
		return OUTCOME_WEIGHT;
	return m->cost >= 0 ? m->cost : INT64_C(1000000000); /* 10,000,000 yuan */
}

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* The midpoint cost of the cheapest catalogue solution lifting option oi of question qi, or -1
 * when none does or there is no catalogue. */
static int64_t move_cost(const dl__cat_index *index, size_t qi, size_t oi)
{
	return index ? dl__cat_index_cheapest(index, qi, oi) : -1;
}

/* The moves allowed, grouped; outcomes only if with_outcomes (and then only trends). */
static size_t collect_moves(const dl_result *r, const dl__cat_index *index, bool with_outcomes, move *m,
			    group *g, size_t *group_count)
{
	const dl_questionnaire *q = r->q;
	size_t n = 0, ng = 0;
	for (size_t qi = 0; qi < q->question_count; qi++) {
		const dl__question *qu = &q->questions[qi];
		const bool *chosen = r->chosen + r->option_offset[qi];
		if (qu->outcome && (!with_outcomes || qu->input != DL_INPUT_TREND))
			continue;
		if (qu->type == DL_QUESTION_SINGLE) {
			dl_points now = chosen_points(r, qi);
			size_t first = n;
			for (size_t oi = 0; oi < qu->option_count; oi++)
				if (qu->options[oi].points > now)
					m[n++] = (move){qi, oi, chosen_option(r, qi), qu->options[oi].points - now,
							move_cost(index, qi, oi), qu->outcome};
			if (n > first)
				g[ng++] = (group){first, n - first};
			continue;
		}
		size_t exclusive = DL_NONE;
		for (size_t oi = 0; oi < qu->option_count; oi++)
			if (chosen[oi] && qu->options[oi].exclusive)
				exclusive = oi;
		for (size_t oi = 0; oi < qu->option_count; oi++) {
			if (chosen[oi] || qu->options[oi].exclusive || qu->options[oi].points <= 0)
				continue;
			m[n] = (move){qi, oi, exclusive, qu->options[oi].points, move_cost(index, qi, oi),
				      qu->outcome};
			g[ng++] = (group){n++, 1};
		}
	}
	*group_count = ng;
	return n;
}

/*
 * Every step that could add points without an outcome, largest first: the best option of each
 * single-choice question, every option of a multi-choice one. Returns 0 or DL_ENOMEM; *out is
 * dl__malloc'ed.
 */
static int point_candidates(const dl_result *r, candidate **out, size_t *count)
{
	size_t total = 0;
	for (size_t qi = 0; qi < r->q->question_count; qi++)
		total += r->q->questions[qi].option_count;
	move *m = dl__calloc(total + 1, sizeof(*m));
	group *g = dl__calloc(total + 1, sizeof(*g));
	candidate *c = dl__calloc(total + 1, sizeof(*c));
	if (!m || !g || !c) {
		dl__free(m);
		dl__free(g);
		dl__free(c);
		return DL_ENOMEM;
	}
	size_t ng = 0;
	collect_moves(r, NULL, false, m, g, &ng);
	for (size_t gi = 0; gi < ng; gi++) {
		const move *best = &m[g[gi].first];
		for (size_t k = 1; k < g[gi].count; k++)
			if (m[g[gi].first + k].gain > best->gain)
				best = &m[g[gi].first + k];
		c[gi] = (candidate){best->question, best->option, best->from, best->gain,
				    r->option_offset[best->question] + best->option};
	}
	dl__free(m);
	dl__free(g);
	qsort(c, ng, sizeof(*c), by_gain);
	*out = c;
	*count = ng;
	return 0;
}

/* --- the greedy plan (when the search would be too big) ----------------------------------------- */

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
		if (qu->outcome)
			continue;
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

static int plan_points_greedy(dl_plan *p, dl_points need)
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
		s->outcome = false;
		s->cost = -1;
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

/* --- the exact search ------------------------------------------------------------------------ */

/* Steps of equal gain keep questionnaire order; larger gains first. */
static int by_step_gain(const void *a, const void *b)
{
	const dl__step *x = a, *y = b;
	if (x->gain != y->gain)
		return x->gain > y->gain ? -1 : 1;
	if (x->question != y->question)
		return x->question < y->question ? -1 : 1;
	return (x->option_to > y->option_to) - (x->option_to < y->option_to);
}

enum { SEARCH_FOUND = 0, SEARCH_NONE = 1, SEARCH_TOO_BIG = 2 };

/* The index of the lowest bit set in bits (not 0). */
static unsigned lowest_bit(uint64_t bits)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctzll(bits);
#else
	unsigned n = 0;
	while (!(bits & 1)) {
		bits >>= 1;
		n++;
	}
	return n;
#endif
}

/*
 * The exact search over the moves of r (outcomes only if with_outcomes) with at most max_steps
 * steps: fewest outcome steps, then fewest steps, then fewest points over need, then the lowest
 * cost. Appends the steps found to p. Returns SEARCH_FOUND, SEARCH_NONE (no set closes the gap),
 * SEARCH_TOO_BIG or DL_ENOMEM.
 */
static int search(dl_plan *p, dl_points need, const dl__cat_index *index, bool with_outcomes,
		  size_t max_steps)
{
	const dl_questionnaire *q = p->r->q;
	size_t total = 0;
	for (size_t qi = 0; qi < q->question_count; qi++)
		total += q->questions[qi].option_count;
	move *m = dl__calloc(total + 1, sizeof(*m));
	group *g = dl__calloc(total + 1, sizeof(*g));
	int64_t *key = NULL;
	unsigned char *choice = NULL; /* per group and state: the index of the move taken ... */
	uint64_t *taken = NULL;       /* ... where this bit is set; other bytes are never written */
	uint64_t *reached = NULL; /* per row of steps, a bit per sum: whether key holds a way to it */
	int rc = SEARCH_NONE;
	if (!m || !g) {
		rc = DL_ENOMEM;
		goto done;
	}
	size_t ng = 0, n = collect_moves(p->r, index, with_outcomes, m, g, &ng);
	int64_t unit = 0;
	dl_points max_gain = 0;
	for (size_t i = 0; i < n; i++) {
		unit = gcd64(unit, m[i].gain);
		if (m[i].gain > max_gain)
			max_gain = m[i].gain;
	}
	if (n == 0 || unit <= 0)
		goto done;
	if (max_steps > ng)
		max_steps = ng;
	/* a sum at or above need + the largest gain has a step too many: it is never the best */
	size_t sums = (size_t)((need + max_gain) / unit) + 1, states = (max_steps + 1) * sums;
	if (states > SEARCH_MAX / (ng + 8)) {
		rc = SEARCH_TOO_BIG;
		goto done;
	}
	size_t words = (sums + 63) / 64;
	key = dl__malloc(states * sizeof(*key));
	choice = dl__malloc(ng * states);
	taken = dl__calloc((ng * states + 63) / 64, sizeof(*taken));
	reached = dl__calloc((max_steps + 1) * words, sizeof(*reached));
	if (!key || !choice || !taken || !reached) {
		rc = DL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < states; i++)
		key[i] = INT64_MAX;
	key[0] = 0;
	reached[0] = 1;
	/*
	 * Each group relaxes row j (sums with j steps) from row j - 1, j downwards, so a row is read
	 * before this group writes it. Only the sums row j - 1 has reached can lead anywhere: they
	 * are walked in the bitmap (few while few groups are in, so most of the table is never
	 * touched). A sum is still offered its group's moves in their order, and taken only when
	 * strictly better: the table is the one a walk over every sum would fill.
	 */
	for (size_t gi = 0; gi < ng; gi++) {
		size_t row0 = gi * states; /* this group's part of choice and taken */
		for (size_t j = max_steps; j >= 1; j--) {
			const uint64_t *from_row = reached + (j - 1) * words;
			uint64_t *to_row = reached + j * words;
			for (size_t k = 0; k < g[gi].count && k < 255; k++) { /* a byte holds k */
				const move *mv = &m[g[gi].first + k];
				size_t step = (size_t)(mv->gain / unit);
				int64_t weight = move_weight(mv);
				for (size_t w = 0; w < words && w * 64 + step < sums; w++)
					for (uint64_t bits = from_row[w]; bits; bits &= bits - 1) {
						size_t s = w * 64 + lowest_bit(bits) + step;
						if (s >= sums)
							break;
						int64_t to = key[(j - 1) * sums + s - step] + weight;
						if (to < key[j * sums + s]) {
							size_t at = row0 + j * sums + s;
							key[j * sums + s] = to;
							choice[at] = (unsigned char)k;
							taken[at / 64] |= UINT64_C(1) << (at % 64);
							to_row[s / 64] |= UINT64_C(1) << (s % 64);
						}
					}
			}
		}
	}
	/* the best end state: fewest outcomes, fewest steps, fewest points, lowest cost */
	size_t best_j = 0, best_s = 0;
	int64_t best_outcomes = INT64_MAX;
	for (size_t j = 1; j <= max_steps; j++)
		for (size_t s = 0; s < sums; s++) {
			int64_t v = key[j * sums + s];
			if (v == INT64_MAX || (dl_points)s * unit < need)
				continue;
			int64_t outcomes = v / OUTCOME_WEIGHT;
			if (outcomes < best_outcomes) {
				best_outcomes = outcomes;
				best_j = j;
				best_s = s;
			}
		}
	for (size_t j = 1; j <= max_steps && best_j; j++) /* then fewest steps, points, cost */
		for (size_t s = 0; s < sums; s++) {
			int64_t v = key[j * sums + s];
			if (v == INT64_MAX || (dl_points)s * unit < need || v / OUTCOME_WEIGHT != best_outcomes)
				continue;
			int64_t best = key[best_j * sums + best_s];
			if (j < best_j || (j == best_j && (s < best_s || (s == best_s && v < best)))) {
				best_j = j;
				best_s = s;
			}
		}
	if (!best_j)
		goto done;
	size_t first = p->step_count, j = best_j, s = best_s;
	for (size_t gi = ng; gi-- > 0 && j > 0;) {
		size_t at = gi * states + j * sums + s;
		if (!(taken[at / 64] & (UINT64_C(1) << (at % 64))))
			continue;
		const move *mv = &m[g[gi].first + choice[at]];
		dl__step *st = &p->steps[p->step_count++];
		st->kind = q->questions[mv->question].type == DL_QUESTION_SINGLE ? DL_STEP_SWITCH_OPTION
										 : DL_STEP_ADD_OPTION;
		st->question = mv->question;
		st->option_to = mv->option;
		st->option_from = mv->from;
		st->scenario = DL_NONE;
		st->gain = mv->gain;
		st->outcome = mv->outcome;
		st->cost = mv->cost;
		j--;
		s -= (size_t)(mv->gain / unit);
	}
	qsort(p->steps + first, p->step_count - first, sizeof(dl__step), by_step_gain);
	/* an exclusive option ("无") is dropped once, by the first option added to its question */
	for (size_t i = first; i < p->step_count; i++)
		for (size_t k = first; k < i; k++)
			if (p->steps[k].question == p->steps[i].question)
				p->steps[i].option_from = DL_NONE;
	rc = SEARCH_FOUND;
done:
	dl__free(m);
	dl__free(g);
	dl__free(key);
	dl__free(choice);
	dl__free(taken);
	dl__free(reached);
	return rc;
}

/* The fewest steps any plan of moves without outcomes needs (the greedy count), or 0 if none does. */
static size_t fewest_steps(const dl_result *r, dl_points need, int *rc)
{
	candidate *c = NULL;
	size_t n = 0, k = 0;
	dl_points sum = 0;
	*rc = point_candidates(r, &c, &n);
	if (*rc < 0)
		return 0;
	while (k < n && sum < need)
		sum += c[k++].gain;
	dl__free(c);
	return sum >= need ? k : 0;
}

static int plan_points(dl_plan *p, dl_points need, const dl_catalogue *cat)
{
	int rc = 0;
	size_t k = fewest_steps(p->r, need, &rc), first = p->step_count;
	if (rc < 0)
		return rc;
	dl__cat_index *made = NULL;
	const dl__cat_index *index = cat ? dl__cat_index_for(cat, p->r->q, &made) : NULL;
	if (cat && !index)
		return DL_ENOMEM;
	if (k > 0)
		rc = search(p, need, index, false, k);
	else /* nothing the enterprise can do closes the gap: results to expect, the fewest */
		rc = search(p, need, index, true, (size_t)-1);
	dl__cat_index_free(made);
	if (rc < 0)
		return rc;
	if (rc == SEARCH_FOUND)
		return 0;
	p->step_count = first;
	return plan_points_greedy(p, need);
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
			s->gain = 0;
			s->outcome = false;
			s->cost = -1;
		}
	}
}

int dl_plan_make_with(dl_plan **out, const dl_result *r, int target, const dl_catalogue *cat,
		      dl_error *err)
{
	const dl_questionnaire *q = r->q;
	size_t gi = dl_questionnaire_grade_find(q, target);
	if (gi == DL_NONE)
		return dl__error_set(err, DL_EINVALID, q->path, 0, 0,
				     _("no grade of questionnaire '%s' gives level %d"), q->id, target);
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
		return dl__error_set(err, DL_ENOMEM, q->path, 0, 0, _("out of memory"));
	}
	p->r = r;
	p->target = target;
	p->feasible = true;
	if (r->level < target) {
		p->missing_points = r->total < g->min_score ? g->min_score - r->total : 0;
		if (g->has_gate)
			plan_scenarios(p, g, cand);
		if (p->missing_points > 0 && plan_points(p, p->missing_points, cat) < 0) {
			dl__free(cand);
			dl_plan_free(p);
			return dl__error_set(err, DL_ENOMEM, q->path, 0, 0, _("out of memory"));
		}
	}
	dl__free(cand);
	*out = p;
	return 0;
}

int dl_plan_make(dl_plan **out, const dl_result *r, int target, dl_error *err)
{
	const dl_catalogue *cat = NULL;
	dl_error ignored;
	/* the catalogue beside the questionnaire only breaks ties: without one (or with a broken one,
	 * which dl_retrofit_recommend reports) the plan is as short and as close to the gap */
	int found = dl__catalogue_beside(&cat, r->q, &ignored);
	if (found == DL_ENOMEM)
		return dl__error_set(err, DL_ENOMEM, r->q->path, 0, 0, _("out of memory"));
	if (found < 0)
		cat = NULL;
	return dl_plan_make_with(out, r, target, cat, err);
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

bool dl_plan_step_is_outcome(const dl_plan *p, size_t i)
{
	STEP(i, false);
	return s->outcome;
}
