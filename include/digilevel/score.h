/*
 * digilevel/score.h: scoring a sheet into a level, explaining it, planning the way to a higher level,
 * and writing the result as text or JSON.
 *
 * A result is independent of the sheet it came from (it copies what it needs) but borrows the
 * questionnaire, which must outlive it.
 */
#ifndef DIGILEVEL_SCORE_H
#define DIGILEVEL_SCORE_H

#include "catalogue.h"
#include "common.h"
#include "questionnaire.h"
#include "sheet.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dl_result dl_result;
typedef struct dl_plan dl_plan;

/**
 * Check the sheet against q (as dl_sheet_check, every problem to opts->diag) and score it. Returns 0,
 * DL_EINVALID, DL_EMISMATCH or DL_ENOMEM. On success, caller owns the result; free with
 * dl_result_free(). The result borrows q: valid until dl_questionnaire_free().
 */
DL_EXTERN int dl_score(dl_result **out, const dl_questionnaire *q, const dl_sheet *s,
		       const dl_load_options *opts, dl_error *err);

/**
 * Options for dl_score_with. Initialise with DL_SCORE_OPTIONS_INIT, then set what you need. A
 * version other than DL_SCORE_OPTIONS_VERSION is refused with DL_EINVALID, as for dl_load_options.
 */
typedef struct dl_score_options {
	unsigned version; /**< DL_SCORE_OPTIONS_VERSION */
	/**
	 * Score a partly filled sheet provisionally (docs/scoring.md, "Provisional scores"): a question
	 * not answered, a question whose figures are incomplete and a scenario without a level count as
	 * nothing (0 points, level 0) instead of being refused; everything else is checked as always.
	 * The result then says what was left out (dl_result_provisional and the functions below).
	 */
	bool partial;
	/**
	 * Also hand the questionnaire's hints that apply to the sheet (dl_result_hint_shown; also those
	 * of questions left without an option when the sheet is refused) to the load options' diag
	 * callback, as information: code DL_OK, message "hint: ...", at the <choose> or <answer> they are
	 * about. They are no problem: the return code does not change. `digilevel validate` sets it.
	 */
	bool hints;
} dl_score_options;

#define DL_SCORE_OPTIONS_VERSION 1
#define DL_SCORE_OPTIONS_INIT {DL_SCORE_OPTIONS_VERSION, false, false}

/**
 * As dl_score, with options (NULL: the defaults, which is dl_score). With options->partial, a sheet
 * that is only incomplete is scored; one that says something wrong is refused as by dl_score.
 */
DL_EXTERN int dl_score_with(dl_result **out, const dl_questionnaire *q, const dl_sheet *s,
			    const dl_load_options *opts, const dl_score_options *options,
			    dl_error *err);

/**
 * Whether the result is provisional: scored with dl_score_options.partial from a sheet that leaves
 * something unanswered. Its level is then not a finding (a draft, 草稿).
 */
DL_EXTERN bool dl_result_provisional(const dl_result *r);
/** Whether question qi was answered (always true unless the result is provisional). */
DL_EXTERN bool dl_result_question_answered(const dl_result *r, size_t qi);
/**
 * The figure (dl_questionnaire_figure_*) whose absence left question qi unanswered, when some of
 * the figures that derive it were given and others not; DL_NONE otherwise.
 */
DL_EXTERN size_t dl_result_question_missing_figure(const dl_result *r, size_t qi);
/** Whether scenario si was given a level (always true unless the result is provisional). */
DL_EXTERN bool dl_result_scenario_rated(const dl_result *r, size_t si);
/** How many questions and scenarios were left unanswered (0 unless provisional). */
DL_EXTERN size_t dl_result_unanswered_count(const dl_result *r);
/**
 * Whether hint i of question qi (dl_questionnaire_hint_*) applies to this result: its option is
 * chosen (and not every option of its unless-chosen list), or, for a hint about the question, the
 * question is unanswered (a provisional result).
 */
DL_EXTERN bool dl_result_hint_shown(const dl_result *r, size_t qi, size_t i);

/** Free a result. Accepts NULL. */
DL_EXTERN void dl_result_free(dl_result *r);

/** The questionnaire scored against. Borrowed: valid until dl_questionnaire_free(). */
DL_EXTERN const dl_questionnaire *dl_result_questionnaire(const dl_result *r);
DL_EXTERN dl_points dl_result_total(const dl_result *r);
DL_EXTERN int dl_result_level(const dl_result *r);
/** Points earned at a node of the scored tree (dimension, indicator, sub-indicator or question). */
DL_EXTERN dl_points dl_result_node_score(const dl_result *r, size_t node);
DL_EXTERN bool dl_result_option_chosen(const dl_result *r, size_t qi, size_t oi);
/**
 * How figures or a value decided question qi, for people ("35.42%: devices_digital 17 /
 * devices_total 48 × 100"), or "" when the option was picked by hand. Borrowed: valid until
 * dl_result_free().
 */
DL_EXTERN const char *dl_result_question_basis(const dl_result *r, size_t qi);

/** Where the option of a question came from. */
typedef enum dl_answer_source {
	DL_SOURCE_HAND = 0,         /**< picked by hand */
	DL_SOURCE_VALUE = 1,        /**< a <value> matched against the bands */
	DL_SOURCE_FIGURES = 2,      /**< derived from raw figures */
	DL_SOURCE_HAND_CHECKED = 3  /**< picked by hand and confirmed by a value or figures */
} dl_answer_source;

DL_EXTERN dl_answer_source dl_result_question_source(const dl_result *r, size_t qi);
/** "hand", "value", "figures" or "hand-checked". */
DL_EXTERN const char *dl_answer_source_name(dl_answer_source source);
DL_EXTERN int dl_result_scenario_level(const dl_result *r, size_t si);
/** How many scenarios are at level >= level; only constraint scenarios if constraint_only. */
DL_EXTERN size_t dl_result_scenarios_at_least(const dl_result *r, int level, bool constraint_only);
/** Whether all conditions of grade gi (see dl_questionnaire_grade_*) hold. */
DL_EXTERN bool dl_result_grade_met(const dl_result *r, size_t gi);

/** Kinds of step in an improvement plan. */
typedef enum dl_step_kind {
	DL_STEP_SWITCH_OPTION = 0, /**< single choice: pick option_to instead of option_from */
	DL_STEP_ADD_OPTION = 1,    /**< multi choice: add option_to (dropping an exclusive option_from) */
	DL_STEP_RAISE_SCENARIO = 2 /**< raise scenario from level_from to level_to */
} dl_step_kind;

/**
 * Plan the fewest changes to the sheet's answers that reach level target (see docs/planner.md).
 * target must be a level with a grade. If the result is already at or above target, the plan is
 * empty. Only what the enterprise can do is proposed: outcome questions
 * (dl_questionnaire_question_is_outcome) are left alone, unless nothing else closes the gap, and
 * then only trends, each marked (dl_plan_step_is_outcome); a value outcome (a ratio of the
 * enterprise's own figures, such as investment to revenue) never. Among the plans with the fewest
 * steps it takes the one asking for the fewest points over the gap, then the cheapest by catalogue
 * cat (may be NULL: then questionnaire order decides).
 * Returns 0, DL_EINVALID (no grade for target; message says so) or DL_ENOMEM.
 * Caller owns the result; free with dl_plan_free(). The plan borrows r: valid until dl_result_free().
 */
DL_EXTERN int dl_plan_make_with(dl_plan **out, const dl_result *r, int target,
				const dl_catalogue *cat, dl_error *err);

/**
 * As dl_plan_make_with, with the catalogue found next to the questionnaire file (dl_catalogue_find);
 * without one, or when it cannot be read, with none (it only breaks ties).
 */
DL_EXTERN int dl_plan_make(dl_plan **out, const dl_result *r, int target, dl_error *err);
/** Free a plan. Accepts NULL. */
DL_EXTERN void dl_plan_free(dl_plan *p);
DL_EXTERN int dl_plan_target(const dl_plan *p);
/** Whether the target can be reached at all with this questionnaire (false: steps list the best effort). */
DL_EXTERN bool dl_plan_feasible(const dl_plan *p);
DL_EXTERN dl_points dl_plan_missing_points(const dl_plan *p);
DL_EXTERN size_t dl_plan_missing_scenarios(const dl_plan *p);
DL_EXTERN size_t dl_plan_missing_constraint_scenarios(const dl_plan *p);
DL_EXTERN size_t dl_plan_step_count(const dl_plan *p);
DL_EXTERN dl_step_kind dl_plan_step_kind(const dl_plan *p, size_t i);
/** Question index of an option step, DL_NONE for a scenario step. */
DL_EXTERN size_t dl_plan_step_question(const dl_plan *p, size_t i);
/** Option indices of an option step; option_from is DL_NONE when nothing is dropped. */
DL_EXTERN size_t dl_plan_step_option_from(const dl_plan *p, size_t i);
DL_EXTERN size_t dl_plan_step_option_to(const dl_plan *p, size_t i);
/** Scenario index of a scenario step, DL_NONE otherwise. */
DL_EXTERN size_t dl_plan_step_scenario(const dl_plan *p, size_t i);
DL_EXTERN int dl_plan_step_level_from(const dl_plan *p, size_t i);
DL_EXTERN int dl_plan_step_level_to(const dl_plan *p, size_t i);
/** Points an option step adds (0 for a scenario step). */
DL_EXTERN dl_points dl_plan_step_gain(const dl_plan *p, size_t i);
/**
 * Whether step i is an outcome (a trend question) the retrofit is expected to bring about and that
 * is then measured, not something to do; only proposed when nothing else closes the gap.
 */
DL_EXTERN bool dl_plan_step_is_outcome(const dl_plan *p, size_t i);

/**
 * Write the result as JSON (docs/json.md), with the plan to the next level and, if target_plan is
 * not NULL, the plan to that target. Returns 0, DL_EIO (write failed) or DL_ENOMEM.
 */
DL_EXTERN int dl_result_write_json(const dl_result *r, const dl_sheet *s, const dl_plan *target_plan,
				   dl_write_fn write, void *userdata);

/** Write the result as text for people, in Chinese, level and reasons first. Returns as above. */
DL_EXTERN int dl_result_write_text(const dl_result *r, const dl_sheet *s, const dl_plan *target_plan,
				   dl_write_fn write, void *userdata);

#ifdef __cplusplus
}
#endif

#endif
