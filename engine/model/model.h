/*
 * model.h: the in-memory questionnaire, as the loader builds it and the scorer reads it.
 *
 * Private to the library. Everything lives in the questionnaire's arena; positions (line, column) are
 * kept so that checks can point at the element a problem comes from.
 */
#ifndef DL_MODEL_H
#define DL_MODEL_H

#include "arena.h"
#include "decimal.h"
#include "diag.h"
#include "digilevel/questionnaire.h"

#include <assert.h>

typedef struct dl__pos {
	unsigned long line, column;
} dl__pos;

/*
 * In a public accessor: an index out of range is a programming error, asserted; a build without
 * assertions returns fallback instead of reading out of bounds.
 */
#define DL__CHECK_INDEX(i, n, fallback)    \
	do {                               \
		assert((i) < (n));         \
		if ((i) >= (n))            \
			return (fallback); \
	} while (0)

typedef struct dl__note {
	const char *id, *title, *text;
	dl__pos pos;
} dl__note;

typedef struct dl__figure {
	const char *id, *label, *unit;
	bool integer;
	dl__pos pos;
} dl__figure;

/* numerator / denominator × scale; denominator DL_NONE means 1. */
typedef struct dl__ratio {
	size_t numerator, denominator;
	int64_t scale; /* units of 10^-4 */
} dl__ratio;

typedef struct dl__option {
	const char *id, *text;
	dl_points points;
	bool exclusive;
	const char *band; /* "" when none */
	int64_t lower, upper; /* band edges, units of 10^-4 */
	bool lower_closed, upper_closed;
	dl_trend trend;
	dl__pos pos;
} dl__option;

/*
 * A hint the questionnaire gives on a question (docs/scoring.md, "Hints"): about one of its options
 * (shown when the sheet chooses it, unless every option of `unless` is chosen too), or about the
 * question (option DL_NONE: shown when it is left unanswered).
 */
typedef struct dl__hint {
	const char *text;
	size_t option;        /* DL_NONE: the question */
	size_t *unless;       /* option indices */
	size_t unless_count;
	dl__pos pos;
} dl__hint;

typedef struct dl__question {
	const char *id, *text;
	dl_points points;
	dl_question_type type;
	dl_question_input input;
	bool outcome;           /* measured, not delivered: never a plan step */
	const char *unit;
	int64_t min, max;       /* value range, units of 10^-4 */
	bool has_ratio;         /* value question whose value can be derived */
	dl__ratio ratio;        /* value = ratio */
	dl__ratio current, previous; /* trend */
	int64_t tolerance;      /* trend tolerance in percent, units of 10^-4 */
	const char *derivation;
	const char **definitions;
	size_t definition_count;
	size_t *fields;
	size_t field_count;
	dl__option *options;
	size_t option_count;
	dl__hint *hints;
	size_t hint_count;
	size_t node;
	dl__pos pos;
} dl__question;

typedef struct dl__node {
	dl_node_kind kind;
	const char *id, *title;
	dl_points points;
	size_t parent;
	size_t question; /* DL_NONE unless kind is DL_NODE_QUESTION */
	dl__pos pos;
} dl__node;

typedef struct dl__group {
	const char *id, *title;
	dl__pos pos;
} dl__group;

typedef struct dl__scenario {
	const char *id, *title, *text;
	size_t group;
	bool constraint;
	const char **level_texts; /* max_level + 1 entries; [0] is "" */
	dl__pos pos;
} dl__scenario;

typedef struct dl__level {
	int value;
	const char *name, *description;
	dl__pos pos;
} dl__level;

typedef struct dl__grade {
	int level;
	dl_points min_score;
	bool has_gate;
	int gate_level;
	size_t gate_count, gate_constraint;
	dl__pos pos;
} dl__grade;

struct dl_questionnaire {
	dl__arena arena;
	const char *path, *id, *version, *title, *issuer, *document, *issued;
	char digest[65]; /* SHA-256 of the file's bytes, hex */
	dl_points points;
	dl__pos pos;
	dl__note *notes;
	size_t note_count;
	dl__figure *figures;
	size_t figure_count;
	dl__node *nodes;
	size_t node_count;
	dl__question *questions;
	size_t question_count;
	const char *scenarios_title;
	int max_level;
	dl__group *groups;
	size_t group_count;
	dl__scenario *scenarios;
	size_t scenario_count;
	size_t constraint_count;
	dl__level *levels; /* sorted by value, lowest first */
	size_t level_count;
	dl__grade *grades; /* as written; the checker requires highest level first */
	size_t grade_count;
	int fallback;
	/* the solution catalogue beside the file, found on first use (dl__catalogue_beside) and kept:
	 * a server or a batch scores many sheets against one questionnaire */
	struct dl_catalogue *catalogue;
	struct dl__cat_index *catalogue_index; /* its lifts by position (catalogue_index.h); NULL if
						* there was no memory for it */
	int catalogue_rc;
	bool catalogue_tried;
	dl_error catalogue_err;
};

/** Check what the schema cannot: every problem to d. Returns 0 or DL_EINVALID. */
int dl__questionnaire_check(const dl_questionnaire *q, dl__diag *d);

/** Evaluate a ratio from figure values (units of 10^-4; have[i] false = missing). */
bool dl__ratio_eval(const dl__ratio *r, const int64_t *values, const bool *have, dl__frac *out);

#endif
