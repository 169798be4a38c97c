/*
 * questionnaire_check.c: the checks a questionnaire must pass beyond its schema.
 *
 * An edited questionnaire is data a person typed, and a wrong number silently changes every level
 * computed from it. So the loader refuses a questionnaire whose points do not add up, whose bands
 * leave a gap, or whose level rule cannot be met, and names every such problem with its position.
 */
#include "i18n.h"
#include "model.h"

#include <string.h>

#define REPORT(pos, ...) dl__diag_report(d, DL_EINVALID, (pos).line, (pos).column, __VA_ARGS__)

static const char *fmt(dl_points p, char *buf)
{
	return dl__decimal_format(p, buf, 32);
}

static void check_unique_nodes(const dl_questionnaire *q, dl__diag *d)
{
	for (size_t i = 0; i < q->node_count; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(q->nodes[i].id, q->nodes[j].id) == 0) {
				REPORT(q->nodes[i].pos, _("duplicate id '%s' (first used at line %lu)"),
				       q->nodes[i].id, q->nodes[j].pos.line);
				break;
			}
	for (size_t i = 0; i < q->figure_count; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(q->figures[i].id, q->figures[j].id) == 0) {
				REPORT(q->figures[i].pos, _("duplicate figure id '%s' (first at line %lu)"),
				       q->figures[i].id, q->figures[j].pos.line);
				break;
			}
	for (size_t i = 0; i < q->note_count; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(q->notes[i].id, q->notes[j].id) == 0) {
				REPORT(q->notes[i].pos, _("duplicate note id '%s' (first at line %lu)"),
				       q->notes[i].id, q->notes[j].pos.line);
				break;
			}
}

static void check_children_sum(const dl_questionnaire *q, dl__diag *d)
{
	/* by the node's kind: a dimension's children are indicators, and so on */
	static const char *const messages[] = {
		N_("dimension '%s' (%s) has %s points but its indicators add up to %s"),
		N_("indicator '%s' (%s) has %s points but its sub-indicators add up to %s"),
		N_("sub-indicator '%s' (%s) has %s points but its questions add up to %s"), ""};
	char a[32], b[32];
	dl_points dimensions = 0;
	for (size_t i = 0; i < q->node_count; i++) {
		const dl__node *n = &q->nodes[i];
		if (n->kind == DL_NODE_DIMENSION)
			dimensions += n->points;
		if (n->kind == DL_NODE_QUESTION)
			continue;
		dl_points sum = 0;
		for (size_t j = i + 1; j < q->node_count; j++)
			if (q->nodes[j].parent == i)
				sum += q->nodes[j].points;
		if (sum != n->points)
			REPORT(n->pos, _(messages[n->kind]), n->id, n->title, fmt(n->points, a),
			       fmt(sum, b));
	}
	if (dimensions != q->points)
		REPORT(q->pos, _("questionnaire '%s' has %s points but its dimensions add up to %s"), q->id,
		       fmt(q->points, a), fmt(dimensions, b));
}

static void check_option_points(const dl__question *qu, dl__diag *d)
{
	char a[32], b[32];
	dl_points sum = 0, max = 0;
	for (size_t i = 0; i < qu->option_count; i++) {
		const dl__option *o = &qu->options[i];
		for (size_t j = 0; j < i; j++)
			if (strcmp(o->id, qu->options[j].id) == 0) {
				REPORT(o->pos, _("duplicate option id '%s' in question '%s'"), o->id,
				       qu->id);
				break;
			}
		if (o->exclusive && qu->type == DL_QUESTION_SINGLE)
			REPORT(o->pos,
			       _("option '%s' of question '%s': exclusive is only meaningful in a "
			       "multi-choice question"),
			       o->id, qu->id);
		if (o->exclusive && o->points > qu->points)
			REPORT(o->pos, _("option '%s' of question '%s' has %s points, more than the question's %s"),
			       o->id, qu->id, fmt(o->points, a), fmt(qu->points, b));
		if (!o->exclusive)
			sum += o->points;
		if (o->points > max)
			max = o->points;
	}
	if (qu->type == DL_QUESTION_MULTI && sum != qu->points)
		REPORT(qu->pos, _("multi-choice question '%s' has %s points but its options add up to %s"),
		       qu->id, fmt(qu->points, a), fmt(sum, b));
	if (qu->type == DL_QUESTION_SINGLE && max != qu->points)
		REPORT(qu->pos, _("single-choice question '%s' has %s points but its best option gives %s"),
		       qu->id, fmt(qu->points, a), fmt(max, b));
}

/* Bands must tile [min, max]: sorted by lower edge, each meeting the next with exactly one closed edge. */
static void check_bands(const dl__question *qu, dl__diag *d)
{
	char a[32], b[32];
	size_t order[64];
	size_t n = 0;
	for (size_t i = 0; i < qu->option_count && n < 64; i++) {
		const dl__option *o = &qu->options[i];
		if (!o->band[0]) {
			REPORT(o->pos, _("option '%s' of value question '%s' has no band"), o->id, qu->id);
			return;
		}
		if (o->lower > o->upper ||
		    (o->lower == o->upper && !(o->lower_closed && o->upper_closed))) {
			REPORT(o->pos, _("option '%s' of question '%s': band %s is empty"), o->id, qu->id,
			       o->band);
			return;
		}
		size_t j = n++;
		while (j > 0 && qu->options[order[j - 1]].lower > o->lower) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	if (qu->min >= qu->max) {
		REPORT(qu->pos, _("question '%s': value range min %s must be below max %s"), qu->id,
		       fmt(qu->min, a), fmt(qu->max, b));
		return;
	}
	const dl__option *first = &qu->options[order[0]];
	const dl__option *last = &qu->options[order[n - 1]];
	if (first->lower != qu->min || !first->lower_closed)
		REPORT(first->pos, _("question '%s': bands leave a gap: the lowest band %s does not start at %s (closed)"),
		       qu->id, first->band, fmt(qu->min, a));
	if (last->upper != qu->max || !last->upper_closed)
		REPORT(last->pos, _("question '%s': bands leave a gap: the highest band %s does not end at %s (closed)"),
		       qu->id, last->band, fmt(qu->max, a));
	for (size_t k = 1; k < n; k++) {
		const dl__option *p = &qu->options[order[k - 1]];
		const dl__option *o = &qu->options[order[k]];
		if (p->upper < o->lower || (p->upper == o->lower && !p->upper_closed && !o->lower_closed))
			REPORT(o->pos, _("question '%s': gap between band %s (option '%s') and band %s (option '%s')"),
			       qu->id, p->band, p->id, o->band, o->id);
		else if (p->upper > o->lower || (p->upper_closed && o->lower_closed))
			REPORT(o->pos, _("question '%s': band %s (option '%s') overlaps band %s (option '%s')"),
			       qu->id, o->band, o->id, p->band, p->id);
	}
}

static void check_trends(const dl__question *qu, dl__diag *d)
{
	static const char *const names[] = {"", "up", "flat", "down"};
	int seen[4] = {0, 0, 0, 0};
	for (size_t i = 0; i < qu->option_count; i++) {
		const dl__option *o = &qu->options[i];
		if (o->trend == DL_TREND_NONE)
			REPORT(o->pos, _("option '%s' of trend question '%s' has no trend (up, flat or down)"),
			       o->id, qu->id);
		else if (seen[o->trend]++)
			REPORT(o->pos, _("question '%s': two options have trend '%s'"), qu->id,
			       names[o->trend]);
	}
	for (int t = DL_TREND_UP; t <= DL_TREND_DOWN; t++)
		if (!seen[t])
			REPORT(qu->pos, _("trend question '%s' has no option with trend '%s'"), qu->id, names[t]);
}

/* Largest trend tolerance, in percent (units of 10^-4). */
#define DL__TOLERANCE_MAX INT64_C(10000000)

static void check_question(const dl__question *qu, dl__diag *d)
{
	char a[32], b[32];
	check_option_points(qu, d);
	if (qu->input == DL_INPUT_VALUE) {
		check_bands(qu, d);
	} else {
		for (size_t i = 0; i < qu->option_count; i++)
			if (qu->options[i].band[0])
				REPORT(qu->options[i].pos,
				       _("option '%s' of question '%s' has a band but the question has no <value>"),
				       qu->options[i].id, qu->id);
	}
	if (qu->input == DL_INPUT_TREND) {
		check_trends(qu, d);
		/* also keeps the exact comparison of a change with the tolerance within 128 bits */
		if (qu->tolerance < 0 || qu->tolerance > DL__TOLERANCE_MAX)
			REPORT(qu->pos, _("trend question '%s': tolerance %s%% is outside 0–%s%%"), qu->id,
			       fmt(qu->tolerance, a), fmt(DL__TOLERANCE_MAX, b));
	} else {
		for (size_t i = 0; i < qu->option_count; i++)
			if (qu->options[i].trend != DL_TREND_NONE)
				REPORT(qu->options[i].pos,
				       _("option '%s' of question '%s' has a trend but the question has no <trend>"),
				       qu->options[i].id, qu->id);
	}
	if (qu->input == DL_INPUT_VALUE && qu->type == DL_QUESTION_MULTI)
		REPORT(qu->pos, _("value question '%s' must be single-choice"), qu->id);
	if (qu->input == DL_INPUT_TREND && qu->type == DL_QUESTION_MULTI)
		REPORT(qu->pos, _("trend question '%s' must be single-choice"), qu->id);
}

static void check_scenarios(const dl_questionnaire *q, dl__diag *d)
{
	for (size_t g = 0; g < q->group_count; g++)
		for (size_t j = 0; j < g; j++)
			if (strcmp(q->groups[g].id, q->groups[j].id) == 0) {
				REPORT(q->groups[g].pos, _("duplicate group id '%s'"), q->groups[g].id);
				break;
			}
	for (size_t i = 0; i < q->scenario_count; i++) {
		const dl__scenario *s = &q->scenarios[i];
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->id, q->scenarios[j].id) == 0) {
				REPORT(s->pos, _("duplicate scenario id '%s' (first at line %lu)"), s->id,
				       q->scenarios[j].pos.line);
				break;
			}
		for (int l = 1; l <= q->max_level; l++)
			if (!s->level_texts[l][0])
				REPORT(s->pos, _("scenario '%s' (%s) does not describe level %d"), s->id,
				       s->title, l);
	}
}

static const dl__level *find_level(const dl_questionnaire *q, int value)
{
	for (size_t i = 0; i < q->level_count; i++)
		if (q->levels[i].value == value)
			return &q->levels[i];
	return NULL;
}

static void check_rule(const dl_questionnaire *q, dl__diag *d)
{
	char a[32], b[32];
	for (size_t i = 1; i < q->level_count; i++)
		if (q->levels[i].value == q->levels[i - 1].value)
			REPORT(q->levels[i].pos, _("level %d is declared twice"), q->levels[i].value);
	if (!find_level(q, q->fallback))
		REPORT(q->pos, _("the rule's fallback level %d is not declared in <levels>"), q->fallback);
	for (size_t i = 0; i < q->grade_count; i++) {
		const dl__grade *g = &q->grades[i];
		if (!find_level(q, g->level))
			REPORT(g->pos, _("grade refers to level %d, which is not declared in <levels>"),
			       g->level);
		if (i > 0 && g->level >= q->grades[i - 1].level)
			REPORT(g->pos, _("grades must go from the highest level down: level %d follows level %d"),
			       g->level, q->grades[i - 1].level);
		if (g->level == q->fallback)
			REPORT(g->pos, _("level %d is the fallback and cannot have a grade"), g->level);
		if (g->min_score > q->points)
			REPORT(g->pos, _("level %d is unreachable: it needs %s points, the questionnaire has %s"),
			       g->level, fmt(g->min_score, a), fmt(q->points, b));
		if (!g->has_gate)
			continue;
		if (g->gate_level < 1 || g->gate_level > q->max_level)
			REPORT(g->pos, _("level %d is unreachable: scenarios at level %d are asked for, scenario levels go from 1 to %d"),
			       g->level, g->gate_level, q->max_level);
		if (g->gate_count > q->scenario_count)
			REPORT(g->pos, _("level %d is unreachable: it needs %zu scenarios, the questionnaire has %zu"),
			       g->level, g->gate_count, q->scenario_count);
		if (g->gate_constraint > q->constraint_count)
			REPORT(g->pos, _("level %d is unreachable: it needs %zu constraint scenarios, the questionnaire has %zu"),
			       g->level, g->gate_constraint, q->constraint_count);
		if (g->gate_constraint > g->gate_count)
			REPORT(g->pos, _("level %d: constraint scenarios needed (%zu) exceed scenarios needed (%zu)"),
			       g->level, g->gate_constraint, g->gate_count);
	}
	for (size_t i = 0; i < q->level_count; i++) {
		const dl__level *l = &q->levels[i];
		if (l->value == q->fallback)
			continue;
		bool graded = false;
		for (size_t j = 0; j < q->grade_count; j++)
			graded |= q->grades[j].level == l->value;
		if (!graded)
			REPORT(l->pos, _("level %d (%s) is unreachable: no grade of the rule gives it"),
			       l->value, l->name);
	}
}

int dl__questionnaire_check(const dl_questionnaire *q, dl__diag *d)
{
	unsigned long before = d->count;
	check_unique_nodes(q, d);
	check_children_sum(q, d);
	for (size_t i = 0; i < q->question_count; i++)
		check_question(&q->questions[i], d);
	check_scenarios(q, d);
	check_rule(q, d);
	return d->count > before ? DL_EINVALID : 0;
}
