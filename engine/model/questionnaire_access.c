/*
 * questionnaire_access.c: the public read-only accessors of a loaded questionnaire.
 *
 * Indices out of range are programming errors and are asserted; they return a harmless value in a
 * build without assertions.
 */
#include "model.h"

#include <assert.h>
#include <string.h>

const char *dl_questionnaire_id(const dl_questionnaire *q) { return q->id; }
const char *dl_questionnaire_version(const dl_questionnaire *q) { return q->version; }
const char *dl_questionnaire_title(const dl_questionnaire *q) { return q->title; }
const char *dl_questionnaire_issuer(const dl_questionnaire *q) { return q->issuer; }
const char *dl_questionnaire_document(const dl_questionnaire *q) { return q->document; }
const char *dl_questionnaire_issued(const dl_questionnaire *q) { return q->issued; }
const char *dl_questionnaire_path(const dl_questionnaire *q) { return q->path; }
const char *dl_questionnaire_digest(const dl_questionnaire *q) { return q->digest; }
dl_points dl_questionnaire_points(const dl_questionnaire *q) { return q->points; }

size_t dl_questionnaire_note_count(const dl_questionnaire *q) { return q->note_count; }

const char *dl_questionnaire_note_id(const dl_questionnaire *q, size_t i)
{
	DL__CHECK_INDEX(i, q->note_count, "");
	return q->notes[i].id;
}

const char *dl_questionnaire_note_title(const dl_questionnaire *q, size_t i)
{
	DL__CHECK_INDEX(i, q->note_count, "");
	return q->notes[i].title;
}

const char *dl_questionnaire_note_text(const dl_questionnaire *q, size_t i)
{
	DL__CHECK_INDEX(i, q->note_count, "");
	return q->notes[i].text;
}

size_t dl_questionnaire_figure_count(const dl_questionnaire *q) { return q->figure_count; }

const char *dl_questionnaire_figure_id(const dl_questionnaire *q, size_t i)
{
	DL__CHECK_INDEX(i, q->figure_count, "");
	return q->figures[i].id;
}

const char *dl_questionnaire_figure_label(const dl_questionnaire *q, size_t i)
{
	DL__CHECK_INDEX(i, q->figure_count, "");
	return q->figures[i].label;
}

const char *dl_questionnaire_figure_unit(const dl_questionnaire *q, size_t i)
{
	DL__CHECK_INDEX(i, q->figure_count, "");
	return q->figures[i].unit;
}

bool dl_questionnaire_figure_is_integer(const dl_questionnaire *q, size_t i)
{
	DL__CHECK_INDEX(i, q->figure_count, false);
	return q->figures[i].integer;
}

size_t dl_questionnaire_figure_find(const dl_questionnaire *q, const char *id)
{
	for (size_t i = 0; i < q->figure_count; i++)
		if (strcmp(q->figures[i].id, id) == 0)
			return i;
	return DL_NONE;
}

size_t dl_questionnaire_node_count(const dl_questionnaire *q) { return q->node_count; }

dl_node_kind dl_questionnaire_node_kind(const dl_questionnaire *q, size_t node)
{
	DL__CHECK_INDEX(node, q->node_count, DL_NODE_DIMENSION);
	return q->nodes[node].kind;
}

const char *dl_questionnaire_node_id(const dl_questionnaire *q, size_t node)
{
	DL__CHECK_INDEX(node, q->node_count, "");
	return q->nodes[node].id;
}

const char *dl_questionnaire_node_title(const dl_questionnaire *q, size_t node)
{
	DL__CHECK_INDEX(node, q->node_count, "");
	return q->nodes[node].title;
}

dl_points dl_questionnaire_node_points(const dl_questionnaire *q, size_t node)
{
	DL__CHECK_INDEX(node, q->node_count, 0);
	return q->nodes[node].points;
}

size_t dl_questionnaire_node_parent(const dl_questionnaire *q, size_t node)
{
	DL__CHECK_INDEX(node, q->node_count, DL_NONE);
	return q->nodes[node].parent;
}

size_t dl_questionnaire_node_question(const dl_questionnaire *q, size_t node)
{
	DL__CHECK_INDEX(node, q->node_count, DL_NONE);
	return q->nodes[node].question;
}

size_t dl_questionnaire_question_count(const dl_questionnaire *q) { return q->question_count; }

size_t dl_questionnaire_question_find(const dl_questionnaire *q, const char *id)
{
	for (size_t i = 0; i < q->question_count; i++)
		if (strcmp(q->questions[i].id, id) == 0)
			return i;
	return DL_NONE;
}

#define QUESTION(qi, fallback) \
	DL__CHECK_INDEX(qi, q->question_count, fallback); \
	const dl__question *qu = &q->questions[qi]

size_t dl_questionnaire_question_node(const dl_questionnaire *q, size_t qi)
{
	QUESTION(qi, DL_NONE);
	return qu->node;
}

const char *dl_questionnaire_question_id(const dl_questionnaire *q, size_t qi)
{
	QUESTION(qi, "");
	return qu->id;
}

const char *dl_questionnaire_question_text(const dl_questionnaire *q, size_t qi)
{
	QUESTION(qi, "");
	return qu->text;
}

dl_points dl_questionnaire_question_points(const dl_questionnaire *q, size_t qi)
{
	QUESTION(qi, 0);
	return qu->points;
}

dl_question_type dl_questionnaire_question_type(const dl_questionnaire *q, size_t qi)
{
	QUESTION(qi, DL_QUESTION_SINGLE);
	return qu->type;
}

dl_question_input dl_questionnaire_question_input(const dl_questionnaire *q, size_t qi)
{
	QUESTION(qi, DL_INPUT_CHOICE);
	return qu->input;
}

bool dl_questionnaire_question_is_outcome(const dl_questionnaire *q, size_t qi)
{
	QUESTION(qi, false);
	return qu->outcome;
}

size_t dl_questionnaire_question_definition_count(const dl_questionnaire *q, size_t qi)
{
	QUESTION(qi, 0);
	return qu->definition_count;
}

const char *dl_questionnaire_question_definition(const dl_questionnaire *q, size_t qi, size_t i)
{
	QUESTION(qi, "");
	DL__CHECK_INDEX(i, qu->definition_count, "");
	return qu->definitions[i];
}

size_t dl_questionnaire_question_field_count(const dl_questionnaire *q, size_t qi)
{
	QUESTION(qi, 0);
	return qu->field_count;
}

size_t dl_questionnaire_question_field(const dl_questionnaire *q, size_t qi, size_t i)
{
	QUESTION(qi, DL_NONE);
	DL__CHECK_INDEX(i, qu->field_count, DL_NONE);
	return qu->fields[i];
}

const char *dl_questionnaire_question_derivation(const dl_questionnaire *q, size_t qi)
{
	QUESTION(qi, "");
	return qu->derivation;
}

const char *dl_questionnaire_question_unit(const dl_questionnaire *q, size_t qi)
{
	QUESTION(qi, "");
	return qu->unit;
}

size_t dl_questionnaire_option_count(const dl_questionnaire *q, size_t qi)
{
	QUESTION(qi, 0);
	return qu->option_count;
}

size_t dl_questionnaire_option_find(const dl_questionnaire *q, size_t qi, const char *id)
{
	QUESTION(qi, DL_NONE);
	for (size_t i = 0; i < qu->option_count; i++)
		if (strcmp(qu->options[i].id, id) == 0)
			return i;
	return DL_NONE;
}

#define OPTION(qi, oi, fallback) \
	QUESTION(qi, fallback); \
	DL__CHECK_INDEX(oi, qu->option_count, fallback); \
	const dl__option *o = &qu->options[oi]

size_t dl_questionnaire_hint_count(const dl_questionnaire *q, size_t qi)
{
	QUESTION(qi, 0);
	return qu->hint_count;
}

const char *dl_questionnaire_hint_text(const dl_questionnaire *q, size_t qi, size_t i)
{
	QUESTION(qi, "");
	DL__CHECK_INDEX(i, qu->hint_count, "");
	return qu->hints[i].text;
}

size_t dl_questionnaire_hint_option(const dl_questionnaire *q, size_t qi, size_t i)
{
	QUESTION(qi, DL_NONE);
	DL__CHECK_INDEX(i, qu->hint_count, DL_NONE);
	return qu->hints[i].option;
}

const char *dl_questionnaire_option_id(const dl_questionnaire *q, size_t qi, size_t oi)
{
	OPTION(qi, oi, "");
	return o->id;
}

const char *dl_questionnaire_option_text(const dl_questionnaire *q, size_t qi, size_t oi)
{
	OPTION(qi, oi, "");
	return o->text;
}

dl_points dl_questionnaire_option_points(const dl_questionnaire *q, size_t qi, size_t oi)
{
	OPTION(qi, oi, 0);
	return o->points;
}

bool dl_questionnaire_option_is_exclusive(const dl_questionnaire *q, size_t qi, size_t oi)
{
	OPTION(qi, oi, false);
	return o->exclusive;
}

const char *dl_questionnaire_option_band(const dl_questionnaire *q, size_t qi, size_t oi)
{
	OPTION(qi, oi, "");
	return o->band;
}

dl_trend dl_questionnaire_option_trend(const dl_questionnaire *q, size_t qi, size_t oi)
{
	OPTION(qi, oi, DL_TREND_NONE);
	return o->trend;
}

const char *dl_questionnaire_scenarios_title(const dl_questionnaire *q) { return q->scenarios_title; }
int dl_questionnaire_scenario_max_level(const dl_questionnaire *q) { return q->max_level; }
size_t dl_questionnaire_group_count(const dl_questionnaire *q) { return q->group_count; }

const char *dl_questionnaire_group_id(const dl_questionnaire *q, size_t gi)
{
	DL__CHECK_INDEX(gi, q->group_count, "");
	return q->groups[gi].id;
}

const char *dl_questionnaire_group_title(const dl_questionnaire *q, size_t gi)
{
	DL__CHECK_INDEX(gi, q->group_count, "");
	return q->groups[gi].title;
}

size_t dl_questionnaire_scenario_count(const dl_questionnaire *q) { return q->scenario_count; }

size_t dl_questionnaire_scenario_find(const dl_questionnaire *q, const char *id)
{
	for (size_t i = 0; i < q->scenario_count; i++)
		if (strcmp(q->scenarios[i].id, id) == 0)
			return i;
	return DL_NONE;
}

const char *dl_questionnaire_scenario_id(const dl_questionnaire *q, size_t si)
{
	DL__CHECK_INDEX(si, q->scenario_count, "");
	return q->scenarios[si].id;
}

const char *dl_questionnaire_scenario_title(const dl_questionnaire *q, size_t si)
{
	DL__CHECK_INDEX(si, q->scenario_count, "");
	return q->scenarios[si].title;
}

const char *dl_questionnaire_scenario_text(const dl_questionnaire *q, size_t si)
{
	DL__CHECK_INDEX(si, q->scenario_count, "");
	return q->scenarios[si].text;
}

size_t dl_questionnaire_scenario_group(const dl_questionnaire *q, size_t si)
{
	DL__CHECK_INDEX(si, q->scenario_count, DL_NONE);
	return q->scenarios[si].group;
}

bool dl_questionnaire_scenario_is_constraint(const dl_questionnaire *q, size_t si)
{
	DL__CHECK_INDEX(si, q->scenario_count, false);
	return q->scenarios[si].constraint;
}

const char *dl_questionnaire_scenario_level_text(const dl_questionnaire *q, size_t si, int level)
{
	DL__CHECK_INDEX(si, q->scenario_count, "");
	if (level < 1 || level > q->max_level)
		return "";
	return q->scenarios[si].level_texts[level];
}

size_t dl_questionnaire_constraint_scenario_count(const dl_questionnaire *q)
{
	return q->constraint_count;
}

size_t dl_questionnaire_level_count(const dl_questionnaire *q) { return q->level_count; }

int dl_questionnaire_level_value(const dl_questionnaire *q, size_t li)
{
	DL__CHECK_INDEX(li, q->level_count, 0);
	return q->levels[li].value;
}

const char *dl_questionnaire_level_name_at(const dl_questionnaire *q, size_t li)
{
	DL__CHECK_INDEX(li, q->level_count, "");
	return q->levels[li].name;
}

const char *dl_questionnaire_level_description_at(const dl_questionnaire *q, size_t li)
{
	DL__CHECK_INDEX(li, q->level_count, "");
	return q->levels[li].description;
}

const char *dl_questionnaire_level_name(const dl_questionnaire *q, int level)
{
	for (size_t i = 0; i < q->level_count; i++)
		if (q->levels[i].value == level)
			return q->levels[i].name;
	return "";
}

int dl_questionnaire_fallback_level(const dl_questionnaire *q) { return q->fallback; }
size_t dl_questionnaire_grade_count(const dl_questionnaire *q) { return q->grade_count; }

#define GRADE(gi, fallback) \
	DL__CHECK_INDEX(gi, q->grade_count, fallback); \
	const dl__grade *g = &q->grades[gi]

int dl_questionnaire_grade_level(const dl_questionnaire *q, size_t gi)
{
	GRADE(gi, 0);
	return g->level;
}

dl_points dl_questionnaire_grade_min_score(const dl_questionnaire *q, size_t gi)
{
	GRADE(gi, 0);
	return g->min_score;
}

bool dl_questionnaire_grade_has_gate(const dl_questionnaire *q, size_t gi)
{
	GRADE(gi, false);
	return g->has_gate;
}

int dl_questionnaire_grade_gate_level(const dl_questionnaire *q, size_t gi)
{
	GRADE(gi, 0);
	return g->gate_level;
}

size_t dl_questionnaire_grade_gate_count(const dl_questionnaire *q, size_t gi)
{
	GRADE(gi, 0);
	return g->gate_count;
}

size_t dl_questionnaire_grade_gate_constraint(const dl_questionnaire *q, size_t gi)
{
	GRADE(gi, 0);
	return g->gate_constraint;
}

size_t dl_questionnaire_grade_find(const dl_questionnaire *q, int level)
{
	for (size_t i = 0; i < q->grade_count; i++)
		if (q->grades[i].level == level)
			return i;
	return DL_NONE;
}
