/*
 * score.c: from resolved answers to points, grades and a level; the public scoring entry points;
 * each grade condition as text for the writers.
 *
 * Points are integer sums of 1/10000 points, so the comparison with a threshold is exact. The level
 * is the first grade, from the highest down, whose conditions all hold (docs/scoring.md).
 */
#include "alloc.h"
#include "diag.h"
#include "i18n.h"
#include "result.h"
#include "sheet_model.h"
#include "text_both.h"

#include <assert.h>
#include <stdio.h>

dl_result *dl__result_new(const dl_questionnaire *q)
{
	dl_result *r = dl__calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->q = q;
	size_t options = 0;
	r->option_offset = dl__arena_array(&r->arena, q->question_count, sizeof(size_t));
	for (size_t i = 0; r->option_offset && i < q->question_count; i++) {
		r->option_offset[i] = options;
		options += q->questions[i].option_count;
	}
	r->chosen = dl__arena_array(&r->arena, options, sizeof(bool));
	r->basis = dl__arena_array(&r->arena, q->question_count, sizeof(char *));
	r->source = dl__arena_array(&r->arena, q->question_count, sizeof(dl_answer_source));
	r->scenario_levels = dl__arena_array(&r->arena, q->scenario_count, sizeof(int));
	r->node_scores = dl__arena_array(&r->arena, q->node_count, sizeof(dl_points));
	r->grade_met = dl__arena_array(&r->arena, q->grade_count, sizeof(bool));
	r->unanswered = dl__arena_array(&r->arena, q->question_count, sizeof(bool));
	r->missing_figure = dl__arena_array(&r->arena, q->question_count, sizeof(size_t));
	r->unrated = dl__arena_array(&r->arena, q->scenario_count, sizeof(bool));
	for (size_t i = 0; r->missing_figure && i < q->question_count; i++)
		r->missing_figure[i] = DL_NONE;
	if (!r->option_offset || !r->chosen || !r->basis || !r->source || !r->scenario_levels || !r->node_scores ||
	    !r->grade_met || !r->unanswered || !r->missing_figure || !r->unrated) {
		dl_result_free(r);
		return NULL;
	}
	return r;
}

size_t dl__grade_conditions(const dl_result *r, size_t gi, dl__condition out[3])
{
	const dl__grade *g = &r->q->grades[gi];
	out[0] = (dl__condition){DL__COND_SCORE, r->total, g->min_score, 0, 0, 0,
				 r->total >= g->min_score};
	if (!g->has_gate)
		return 1;
	size_t all = dl_result_scenarios_at_least(r, g->gate_level, false);
	size_t constraint = dl_result_scenarios_at_least(r, g->gate_level, true);
	out[1] = (dl__condition){DL__COND_SCENARIOS, 0, 0, all, g->gate_count, g->gate_level,
				 all >= g->gate_count};
	out[2] = (dl__condition){DL__COND_CONSTRAINT, 0, 0, constraint, g->gate_constraint,
				 g->gate_level, constraint >= g->gate_constraint};
	return 3;
}

void dl__condition_text(const dl_questionnaire *q, const dl__condition *c, int lang, char *buf,
			size_t size)
{
	char a[32], b[32];
	switch (c->kind) {
	case DL__COND_SCORE:
		snprintf(buf, size, dl__tr_in(lang, c->met ? N_("score %s ≥ %s") : N_("score %s < %s")),
			 dl__decimal_format(c->actual_points, a, sizeof(a)),
			 dl__decimal_format(c->required_points, b, sizeof(b)));
		break;
	case DL__COND_SCENARIOS:
		snprintf(buf, size,
			 dl__tr_in(lang, c->met ? N_("scenarios at %s or above: %zu, at least %zu")
						: N_("scenarios at %s or above: %zu, %zu needed")),
			 dl_questionnaire_level_name(q, c->min_level), c->actual, c->required);
		break;
	case DL__COND_CONSTRAINT:
		snprintf(buf, size,
			 dl__tr_in(lang, c->met ? N_("of them constraint scenarios: %zu, at least %zu")
						: N_("of them constraint scenarios: %zu, %zu needed")),
			 c->actual, c->required);
		break;
	}
}

static bool grade_holds(const dl_result *r, size_t gi)
{
	dl__condition c[3];
	size_t n = dl__grade_conditions(r, gi, c);
	for (size_t i = 0; i < n; i++)
		if (!c[i].met)
			return false;
	return true;
}

void dl__result_compute(dl_result *r)
{
	const dl_questionnaire *q = r->q;
	for (size_t n = 0; n < q->node_count; n++)
		r->node_scores[n] = 0;
	r->total = 0;
	/* Questions first, then add each node into its ancestors. Nodes are in preorder, so walking
	 * backwards visits every child before its parent. */
	for (size_t qi = 0; qi < q->question_count; qi++) {
		const dl__question *qu = &q->questions[qi];
		dl_points sum = 0;
		for (size_t oi = 0; oi < qu->option_count; oi++)
			if (r->chosen[r->option_offset[qi] + oi])
				sum += qu->options[oi].points;
		r->node_scores[qu->node] = sum;
	}
	for (size_t n = q->node_count; n-- > 0;) {
		size_t parent = q->nodes[n].parent;
		if (parent != DL_NONE)
			r->node_scores[parent] += r->node_scores[n];
		else
			r->total += r->node_scores[n];
	}
	r->level = q->fallback;
	bool decided = false;
	for (size_t g = 0; g < q->grade_count; g++) {
		r->grade_met[g] = grade_holds(r, g);
		if (r->grade_met[g] && !decided) {
			r->level = q->grades[g].level;
			decided = true;
		}
	}
}

/* Check s against q into a new result (the part scoring and checking share). */
static int resolve(dl_result **out, const dl_questionnaire *q, const dl_sheet *s,
		   const dl_load_options *opts, bool partial, bool hints, dl_error *err)
{
	dl__diag d;
	int rc = dl__load_options_check(opts, err);
	if (rc < 0)
		return rc;
	dl__diag_init(&d, opts, err, s->path);
	d.line_offset = s->line_offset;
	d.cells = s->cells;
	dl_result *r = dl__result_new(q);
	if (!r)
		return dl__diag_report(&d, DL_ENOMEM, 0, 0, "%s", _("out of memory"));
	r->partial = partial;
	r->hints_to_diag = hints;
	rc = dl__resolve(r, s, &d);
	if (rc < 0) {
		dl_result_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int dl_score(dl_result **out, const dl_questionnaire *q, const dl_sheet *s,
	     const dl_load_options *opts, dl_error *err)
{
	return dl_score_with(out, q, s, opts, NULL, err);
}

int dl_score_with(dl_result **out, const dl_questionnaire *q, const dl_sheet *s,
		  const dl_load_options *opts, const dl_score_options *options, dl_error *err)
{
	if (options && options->version != DL_SCORE_OPTIONS_VERSION)
		return dl__error_set(err, DL_EINVALID, "", 0, 0,
				     _("score options version %u is not supported (expected %d)"),
				     options->version, DL_SCORE_OPTIONS_VERSION);
	dl_result *r = NULL;
	int rc = resolve(&r, q, s, opts, options && options->partial, options && options->hints, err);
	if (rc < 0)
		return rc;
	dl__result_compute(r);
	*out = r;
	return 0;
}

int dl_sheet_check(const dl_sheet *s, const dl_questionnaire *q, const dl_load_options *opts,
		   dl_error *err)
{
	dl_result *r = NULL;
	int rc = resolve(&r, q, s, opts, false, false, err);
	dl_result_free(r);
	return rc;
}

void dl_result_free(dl_result *r)
{
	if (!r)
		return;
	dl__arena_free(&r->arena);
	dl__free(r);
}

const dl_questionnaire *dl_result_questionnaire(const dl_result *r) { return r->q; }
dl_points dl_result_total(const dl_result *r) { return r->total; }
bool dl_result_provisional(const dl_result *r) { return r->unanswered_count > 0; }
size_t dl_result_unanswered_count(const dl_result *r) { return r->unanswered_count; }

bool dl_result_question_answered(const dl_result *r, size_t qi)
{
	assert(qi < r->q->question_count);
	return qi < r->q->question_count && !r->unanswered[qi];
}

size_t dl_result_question_missing_figure(const dl_result *r, size_t qi)
{
	assert(qi < r->q->question_count);
	return qi < r->q->question_count ? r->missing_figure[qi] : DL_NONE;
}

bool dl__hint_applies(const dl_result *r, size_t qi, size_t i, bool unanswered)
{
	const dl__question *qu = &r->q->questions[qi];
	const dl__hint *h = &qu->hints[i];
	const bool *chosen = r->chosen + r->option_offset[qi];
	if (h->option == DL_NONE)
		return unanswered;
	if (!chosen[h->option])
		return false;
	for (size_t k = 0; k < h->unless_count; k++)
		if (!chosen[h->unless[k]])
			return true; /* one of them is not chosen: the hint applies */
	return h->unless_count == 0;
}

bool dl_result_hint_shown(const dl_result *r, size_t qi, size_t i)
{
	assert(qi < r->q->question_count && i < r->q->questions[qi].hint_count);
	if (qi >= r->q->question_count || i >= r->q->questions[qi].hint_count)
		return false;
	return dl__hint_applies(r, qi, i, r->unanswered[qi]);
}

bool dl_result_scenario_rated(const dl_result *r, size_t si)
{
	assert(si < r->q->scenario_count);
	return si < r->q->scenario_count && !r->unrated[si];
}
int dl_result_level(const dl_result *r) { return r->level; }

dl_points dl_result_node_score(const dl_result *r, size_t node)
{
	assert(node < r->q->node_count);
	return node < r->q->node_count ? r->node_scores[node] : 0;
}

bool dl_result_option_chosen(const dl_result *r, size_t qi, size_t oi)
{
	assert(qi < r->q->question_count && oi < r->q->questions[qi].option_count);
	if (qi >= r->q->question_count || oi >= r->q->questions[qi].option_count)
		return false;
	return r->chosen[r->option_offset[qi] + oi];
}

const char *dl_result_question_basis(const dl_result *r, size_t qi)
{
	assert(qi < r->q->question_count);
	return qi < r->q->question_count ? r->basis[qi] : "";
}

dl_answer_source dl_result_question_source(const dl_result *r, size_t qi)
{
	assert(qi < r->q->question_count);
	return qi < r->q->question_count ? r->source[qi] : DL_SOURCE_HAND;
}

const char *dl_answer_source_name(dl_answer_source source)
{
	switch (source) {
	case DL_SOURCE_HAND: return "hand";
	case DL_SOURCE_VALUE: return "value";
	case DL_SOURCE_FIGURES: return "figures";
	case DL_SOURCE_HAND_CHECKED: return "hand-checked";
	}
	return "";
}

int dl_result_scenario_level(const dl_result *r, size_t si)
{
	assert(si < r->q->scenario_count);
	return si < r->q->scenario_count ? r->scenario_levels[si] : 0;
}

size_t dl_result_scenarios_at_least(const dl_result *r, int level, bool constraint_only)
{
	size_t n = 0;
	for (size_t si = 0; si < r->q->scenario_count; si++)
		if (r->scenario_levels[si] >= level &&
		    (!constraint_only || r->q->scenarios[si].constraint))
			n++;
	return n;
}

bool dl_result_grade_met(const dl_result *r, size_t gi)
{
	assert(gi < r->q->grade_count);
	return gi < r->q->grade_count && r->grade_met[gi];
}
