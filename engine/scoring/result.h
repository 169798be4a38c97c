/*
 * result.h: the scored result, private layout.
 *
 * resolve.c fills the answers (which options count, each scenario's level, how figures decided an
 * option); score.c adds the sums and the level. One arena holds it all.
 */
#ifndef DL_RESULT_H
#define DL_RESULT_H

#include "digilevel/score.h"
#include "model.h"

struct dl_result {
	dl__arena arena;
	const dl_questionnaire *q;
	size_t *option_offset; /* per question: index of its first option in chosen[] */
	bool *chosen;          /* per option of every question */
	const char **basis;    /* per question: how figures/value decided it, or "" */
	dl_answer_source *source; /* per question */
	int *scenario_levels;  /* per scenario */
	dl_points *node_scores;/* per node */
	bool *grade_met;       /* per grade */
	dl_points total;
	int level;
	/* a provisional score (dl_score_options.partial): what the sheet left unanswered */
	bool partial;          /* asked for: unanswered items count as nothing instead of refused */
	bool *unanswered;      /* per question */
	size_t *missing_figure;/* per question: the figure that left it unanswered, or DL_NONE */
	bool *unrated;         /* per scenario */
	size_t unanswered_count; /* questions and scenarios; > 0 makes the result provisional */
	bool hints_to_diag;    /* dl_score_options.hints: the hints that apply go to the diag callback */
};

/** Whether hint i of question qi applies, the question being unanswered or not (docs/scoring.md). */
bool dl__hint_applies(const dl_result *r, size_t qi, size_t i, bool unanswered);

/** A result with zeroed arrays sized for q; NULL when out of memory. */
dl_result *dl__result_new(const dl_questionnaire *q);

/**
 * Check sheet s against q and record the answers in r. Every problem goes to d. With r->partial,
 * what is only missing is recorded in r (unanswered, missing_figure, unrated) instead.
 * Returns 0, DL_EINVALID, DL_EMISMATCH or DL_ENOMEM.
 */
int dl__resolve(dl_result *r, const dl_sheet *s, dl__diag *d);

/** Compute node scores, total, grades and level from the resolved answers. */
void dl__result_compute(dl_result *r);

/** The plan to the next level with a grade, or *out = NULL at the top. Returns 0 or DL_ENOMEM. */
int dl__make_next_plan(const dl_result *r, dl_plan **out);

/** One condition of a grade, with the numbers that decide it. */
typedef enum dl__condition_kind {
	DL__COND_SCORE = 0,      /* total >= min-score */
	DL__COND_SCENARIOS = 1,  /* scenarios at >= level */
	DL__COND_CONSTRAINT = 2  /* constraint scenarios at >= level */
} dl__condition_kind;

typedef struct dl__condition {
	dl__condition_kind kind;
	dl_points actual_points, required_points; /* DL__COND_SCORE */
	size_t actual, required;                  /* the scenario conditions */
	int min_level;
	bool met;
} dl__condition;

/** The conditions of grade gi (1 for a score-only grade, else 3). Returns how many. */
size_t dl__grade_conditions(const dl_result *r, size_t gi, dl__condition out[3]);

/**
 * One condition with its numbers in the language with index lang (DL_LANGUAGE_ZH "得分 40 ≥ 40",
 * DL_LANGUAGE_EN "score 40 ≥ 40") into buf, truncated to size.
 */
void dl__condition_text(const dl_questionnaire *q, const dl__condition *c, int lang, char *buf,
			size_t size);

#endif
