/*
 * digilevel/retrofit.h: the recommended retrofit of one diagnosed enterprise.
 *
 * From an improvement plan (digilevel/score.h) and a solution catalogue (digilevel/catalogue.h) it
 * chooses the catalogue solutions that cover the plan's steps (fewest solutions first, then the
 * cheapest), adds up their indicative cost range and delivery time, and then checks rather than
 * guesses: the sheet with every step of the plan applied is scored again (the expected level), and
 * with a policy the comparison of the sheet with that expected sheet, the solutions as investment
 * items, gives the expected subsidy by the policy's own rules (dl_compare) at the low and at the
 * high end of the cost range. Steps no solution covers (a scenario level that needs several systems
 * integrated) are listed as the integrator's to settle; outcome steps as results to expect.
 *
 * A retrofit can also be made from the solutions an integrator has chosen, the sheet's
 * <retrofit-plan> (dl_retrofit_from_sheet): nothing is chosen then; what the items' solutions lift
 * is applied to the sheet, and the same scoring and dl_compare give the expected level and subsidy.
 *
 * Every amount taken from the catalogue is indicative (its ranges): reports print them as
 * 参考区间（估算）. An amount the sheet gives for a chosen item is exact.
 */
#ifndef DIGILEVEL_RETROFIT_H
#define DIGILEVEL_RETROFIT_H

#include "catalogue.h"
#include "common.h"
#include "policy.h"
#include "score.h"
#include "sheet.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dl_retrofit dl_retrofit;

/**
 * Recommend a retrofit for sheet s, scored as r, along plan (made from r). cat is the catalogue to
 * choose from; policy (may be NULL) decides the expected subsidy. Returns 0, DL_EMISMATCH (s is not
 * the sheet r was scored from, or cat is written for another edition), DL_EINVALID (the sheet with
 * the steps applied could not be scored: the message says why) or DL_ENOMEM. A policy whose rules
 * refuse the expected retrofit is no error: dl_retrofit_subsidy_note says why.
 * On success, caller owns the result; free with dl_retrofit_free(). It borrows r, s, plan, cat and
 * policy: each must outlive it.
 */
DL_EXTERN int dl_retrofit_recommend(dl_retrofit **out, const dl_result *r, const dl_sheet *s,
				    const dl_plan *plan, const dl_catalogue *cat,
				    const dl_policy *policy, dl_error *err);

/**
 * Check the <retrofit-plan> of sheet s against questionnaire q and catalogue cat: every solution id
 * names a solution of cat, the target-level is a level with a grade in q. Every problem goes to
 * opts->diag (opts may be NULL) as file:line:column of the sheet; the first is stored in err.
 * Returns 0, DL_EINVALID (a problem, or s holds no <retrofit-plan>) or DL_EMISMATCH (cat is written
 * for another edition than q).
 */
DL_EXTERN int dl_retrofit_plan_check(const dl_sheet *s, const dl_questionnaire *q,
				     const dl_catalogue *cat, const dl_load_options *opts,
				     dl_error *err);

/**
 * Make the retrofit of the solutions chosen in sheet s's <retrofit-plan> (checked first with
 * dl_retrofit_plan_check), s scored as r. Each item is one "solution" of the accessors below in
 * sheet order: dl_retrofit_solution gives its catalogue index, or DL_NONE for an item in the
 * integrator's own words; its amount is the sheet's (exact) or the catalogue's range. The expected
 * sheet is s with what each item's solution lifts applied, in item order: a single-choice question
 * moves one step up, to the lowest-scoring lifted option that scores more than the one chosen now
 * (a solution lifting "B C D E" is not assumed to reach E), a multiple choice gets
 * each lifted option added (an exclusive option dropped), a scenario is raised to the level the
 * solution supports; it is scored by dl_score, and with policy (may be NULL) compared to s by
 * dl_compare with the items as investment, at the low and the high end of the amounts.
 * plan (may be NULL) is the improvement plan to the target level, made from r: the solution steps
 * are the plan steps each item achieves, the uncovered steps those none does, and when the
 * expected level is below the plan's target, dl_retrofit_remaining gives the plan from the
 * expected result to it. The completion is the latest finish of the items (for an item without
 * one: its start, else the plan's date, plus the catalogue's longest delivery time).
 * Returns 0, DL_EINVALID (as dl_retrofit_plan_check; or the expected sheet cannot be scored),
 * DL_EMISMATCH (as dl_retrofit_recommend) or DL_ENOMEM. On success, caller owns the result; free
 * with dl_retrofit_free(). It borrows r, s, plan, cat and policy: each must outlive it.
 */
DL_EXTERN int dl_retrofit_from_sheet(dl_retrofit **out, const dl_result *r, const dl_sheet *s,
				     const dl_plan *plan, const dl_catalogue *cat,
				     const dl_policy *policy, dl_error *err);

/** Free a recommendation. Accepts NULL. */
DL_EXTERN void dl_retrofit_free(dl_retrofit *rt);

/** Whether the retrofit was made from the sheet's chosen solutions (dl_retrofit_from_sheet). */
DL_EXTERN bool dl_retrofit_is_chosen(const dl_retrofit *rt);

/** The catalogue and the plan it was made from (the plan may be NULL from the sheet). Borrowed. */
DL_EXTERN const dl_catalogue *dl_retrofit_catalogue(const dl_retrofit *rt);
DL_EXTERN const dl_plan *dl_retrofit_plan(const dl_retrofit *rt);

/** The solutions chosen, in the order chosen: catalogue indices (dl_catalogue_solution_*). */
DL_EXTERN size_t dl_retrofit_solution_count(const dl_retrofit *rt);
DL_EXTERN size_t dl_retrofit_solution(const dl_retrofit *rt, size_t i);
/**
 * The amount of solution (item) i in fen: the catalogue's range, or from the sheet an exact amount
 * (then low = high and dl_retrofit_item_exact is true).
 */
DL_EXTERN int64_t dl_retrofit_item_cost_low(const dl_retrofit *rt, size_t i);
DL_EXTERN int64_t dl_retrofit_item_cost_high(const dl_retrofit *rt, size_t i);
DL_EXTERN bool dl_retrofit_item_exact(const dl_retrofit *rt, size_t i);
/**
 * What solution (item) i changes in the answers, in the shape of plan steps (digilevel/score.h):
 * a question's option switched or added (question, option_from (DL_NONE: none dropped),
 * option_to), or a scenario raised (scenario, level_from, level_to). Recommended: the plan steps
 * it covers; chosen: what its catalogue lifts change that no earlier item changed.
 */
DL_EXTERN size_t dl_retrofit_change_count(const dl_retrofit *rt, size_t i);
DL_EXTERN dl_step_kind dl_retrofit_change_kind(const dl_retrofit *rt, size_t i, size_t k);
DL_EXTERN size_t dl_retrofit_change_question(const dl_retrofit *rt, size_t i, size_t k);
DL_EXTERN size_t dl_retrofit_change_option_from(const dl_retrofit *rt, size_t i, size_t k);
DL_EXTERN size_t dl_retrofit_change_option_to(const dl_retrofit *rt, size_t i, size_t k);
DL_EXTERN size_t dl_retrofit_change_scenario(const dl_retrofit *rt, size_t i, size_t k);
DL_EXTERN int dl_retrofit_change_level_from(const dl_retrofit *rt, size_t i, size_t k);
DL_EXTERN int dl_retrofit_change_level_to(const dl_retrofit *rt, size_t i, size_t k);
/** The plan steps (indices) solution i covers (chosen: the steps it achieves). */
DL_EXTERN size_t dl_retrofit_solution_step_count(const dl_retrofit *rt, size_t i);
DL_EXTERN size_t dl_retrofit_solution_step(const dl_retrofit *rt, size_t i, size_t k);
/** Plan steps (indices) no solution of the catalogue covers by itself (outcome steps excluded). */
DL_EXTERN size_t dl_retrofit_uncovered_count(const dl_retrofit *rt);
DL_EXTERN size_t dl_retrofit_uncovered_step(const dl_retrofit *rt, size_t i);
/** The providers (catalogue indices) offering any chosen solution, in catalogue order. */
DL_EXTERN size_t dl_retrofit_provider_count(const dl_retrofit *rt);
DL_EXTERN size_t dl_retrofit_provider(const dl_retrofit *rt, size_t i);

/** The estimated investment: the sum of the chosen solutions' ranges, in fen. */
DL_EXTERN int64_t dl_retrofit_cost_low(const dl_retrofit *rt);
DL_EXTERN int64_t dl_retrofit_cost_high(const dl_retrofit *rt);
/**
 * The investment's high end as a share of the enterprise's latest known annual revenue (the
 * profile's latest year, else the figure revenue_y1), in units of 1/100 percent; -1 when no revenue
 * is known. docs/planner.md says how it is read (above 10% needs a financing note).
 */
DL_EXTERN int64_t dl_retrofit_revenue_share(const dl_retrofit *rt);

/** The timeline: solutions delivered in parallel, weeks from contract to all in use. */
DL_EXTERN int dl_retrofit_weeks_low(const dl_retrofit *rt);
DL_EXTERN int dl_retrofit_weeks_high(const dl_retrofit *rt);
/**
 * The date all is in use at the latest (YYYY-MM-DD, "" unknown): recommended, the assessment date
 * + weeks_high; chosen, as dl_retrofit_from_sheet says.
 */
DL_EXTERN const char *dl_retrofit_completion(const dl_retrofit *rt);
/** Chosen: the earliest start of an item (YYYY-MM-DD); "" when none is given or recommended. */
DL_EXTERN const char *dl_retrofit_start(const dl_retrofit *rt);

/** The level and total the sheet scores with every step of the plan applied (scored, not guessed). */
DL_EXTERN int dl_retrofit_expected_level(const dl_retrofit *rt);
DL_EXTERN dl_points dl_retrofit_expected_total(const dl_retrofit *rt);

/**
 * Chosen, with a plan whose target the expected level falls short of: the plan from the expected
 * result to that target (what is still missing); NULL otherwise. Borrowed: valid until
 * dl_retrofit_free().
 */
DL_EXTERN const dl_plan *dl_retrofit_remaining(const dl_retrofit *rt);

/** Whether a policy was given. */
DL_EXTERN bool dl_retrofit_has_policy(const dl_retrofit *rt);
/** Whether the policy grants a subsidy to the expected retrofit (at both ends of the range). */
DL_EXTERN bool dl_retrofit_subsidy_granted(const dl_retrofit *rt);
/** The expected subsidy in fen at the low and at the high end of the cost range (0 when none). */
DL_EXTERN int64_t dl_retrofit_subsidy_low(const dl_retrofit *rt);
DL_EXTERN int64_t dl_retrofit_subsidy_high(const dl_retrofit *rt);
/** The eligible part of the investment by the policy, low and high end, in fen (0 without one). */
DL_EXTERN int64_t dl_retrofit_eligible_low(const dl_retrofit *rt);
DL_EXTERN int64_t dl_retrofit_eligible_high(const dl_retrofit *rt);
/**
 * Why no subsidy is expected (the policy's reason), or the phase it would fall in, in the language
 * of messages (dl_get_language(); kept in both, as a comparison's texts are); "" without a policy.
 * Borrowed: valid until dl_retrofit_free().
 */
DL_EXTERN const char *dl_retrofit_subsidy_note(const dl_retrofit *rt);

/* --- Pain points (主要问题): what the diagnosis finds, in prose --------------------------------- */

typedef struct dl_findings dl_findings;

/** What a finding is about. */
typedef enum dl_finding_kind {
	DL_FINDING_DIMENSION = 0, /**< a dimension scoring below the total's rate, with its weakest questions */
	DL_FINDING_SCENARIOS = 1, /**< scenarios below the level the target asks for (constraint first) */
	DL_FINDING_QUESTION = 2,  /**< a question the enterprise can act on, far from its full points */
	DL_FINDING_OUTCOME = 3    /**< an outcome that fell or sits in the lowest band (measured, not done) */
} dl_finding_kind;

/**
 * The pain points of result r, aiming at level target (-1: the next level with a grade), derived
 * from the data: dimensions weaker than the whole, the scenarios (constraint first) below the level
 * target asks for, questions the enterprise can act on that earn less than half their points, and
 * outcomes that fell. Each is one sentence naming its numbers, kept in Chinese and English and given
 * by dl_findings_text in the language of messages (dl_get_language()). Returns 0, DL_EINVALID
 * (target has no grade) or DL_ENOMEM. Caller owns the result; free with dl_findings_free(). It
 * copies what it needs.
 */
DL_EXTERN int dl_findings_make(dl_findings **out, const dl_result *r, int target, dl_error *err);
/** Free findings. Accepts NULL. */
DL_EXTERN void dl_findings_free(dl_findings *f);
DL_EXTERN size_t dl_findings_count(const dl_findings *f);
DL_EXTERN dl_finding_kind dl_findings_kind(const dl_findings *f, size_t i);
/** The id the finding is about ("D1", "Q05", "S06"; "" for the scenario summary). Borrowed. */
DL_EXTERN const char *dl_findings_subject(const dl_findings *f, size_t i);
/** The sentence, in the language of messages. Borrowed: valid until dl_findings_free(). */
DL_EXTERN const char *dl_findings_text(const dl_findings *f, size_t i);

#ifdef __cplusplus
}
#endif

#endif
