/*
 * digilevel/targets.h: a pilot's performance targets (绩效目标) as data: what is to be achieved by
 * which deadline, and how each target is counted from the cohort's answer sheets, or why it cannot be.
 *
 * A targets file (docs/cohort.md, checked against policies/targets.xsd) names the questionnaire
 * edition, the level at which a retrofit counts as done, the deadlines (the columns of the plan's
 * table), the 细分行业 of the pilot, an optional share target per 细分行业 (the national "90% of 规上
 * enterprises at 二级 or above"), and the targets, each with a goal per deadline and a total. A target
 * is either measurable, with a counting rule (which enterprises, which scale, which level, which
 * tags, which investment categories), or not measurable from sheets, with the reason. No pilot's
 * numbers are in the C code.
 *
 * The goal of a deadline is what is to be achieved in the period that ends on it (after the previous
 * deadline); the goals add up to the total. progress is computed by a dl_cohort (cohort.h).
 */
#ifndef DIGILEVEL_TARGETS_H
#define DIGILEVEL_TARGETS_H

#include "common.h"
#include "questionnaire.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dl_targets dl_targets;

/** A share in units of 1/10000 percent, as policy rates are (90% is 900000). */
#define DL_SHARE_SCALE 1000000

/** Which enterprises a measurable target counts. */
typedef enum dl_target_of {
	/** Retrofit done: the evaluation reaches the targets' retrofitted level and, when a policy
	    is applied, acceptance passed. */
	DL_TARGET_OF_RETROFITTED = 0,
	/** Any enterprise with an evaluation after its retrofit, whatever the level reached. */
	DL_TARGET_OF_EVALUATED = 1
} dl_target_of;

/** The pipeline of an enterprise through the pilot, in order (docs/cohort.md, "Pipeline"). */
typedef enum dl_stage {
	DL_STAGE_DIAGNOSIS = 0,   /**< 诊断: a diagnosis sheet */
	DL_STAGE_CONTRACT = 1,    /**< 签约: the retrofit contract is signed */
	DL_STAGE_RETROFIT = 2,    /**< 改造: the retrofit is completed */
	DL_STAGE_APPLICATION = 3, /**< 申请: acceptance applied for */
	DL_STAGE_ACCEPTANCE = 4,  /**< 验收: an evaluation with a verdict */
	DL_STAGE_PAYMENT = 5      /**< 拨付: the subsidy paid (a payment recorded) */
} dl_stage;
#define DL_STAGE_COUNT 6

/** The stage's Chinese name (诊断, 签约, 改造, 申请, 验收, 拨付) and its id in the file. Static. */
DL_EXTERN const char *dl_stage_title(dl_stage s);
DL_EXTERN const char *dl_stage_id(dl_stage s);

/* --- loading ----------------------------------------------------------------------------------- */

/**
 * Load a targets file, check it against the targets schema, then check its meaning: deadline dates
 * that are real days in strictly increasing order, unique ids for deadlines and targets, one goal
 * per deadline for every target and nothing else, goals that add up to the total, a share percent
 * above 0 and at most 100, industries and tags listed once, a budget above 0. Every problem is passed to opts->diag as
 * file:line:column; the first is stored in err (may be NULL).
 * Returns 0, DL_EINVALID, DL_EIO, DL_ENOTFOUND, DL_ENOMEM or DL_ELIMIT.
 * On success, caller owns the result; free with dl_targets_free().
 */
DL_EXTERN int dl_targets_load(dl_targets **out, const char *path, const dl_load_options *opts,
			      dl_error *err);

/** As dl_targets_load, from memory; name is used in diagnostics. data need not be NUL-terminated. */
DL_EXTERN int dl_targets_load_memory(dl_targets **out, const char *data, size_t len,
				     const char *name, const dl_load_options *opts, dl_error *err);

/** Free targets. Accepts NULL. */
DL_EXTERN void dl_targets_free(dl_targets *t);

/**
 * Check the targets against questionnaire q: q must be the edition the targets name, and every
 * level the targets name (retrofitted level, share level, a target's level) must be a level of q.
 * Every problem goes to opts->diag at its place in the targets file; the first is stored in err.
 * Returns 0, DL_EMISMATCH (q is another edition) or DL_EINVALID (a level name q does not have).
 */
DL_EXTERN int dl_targets_check(const dl_targets *t, const dl_questionnaire *q,
			       const dl_load_options *opts, dl_error *err);

/* --- reading ----------------------------------------------------------------------------------- */

/* Identity. Borrowed: valid until dl_targets_free(). Optional texts are "" when absent. */
DL_EXTERN const char *dl_targets_path(const dl_targets *t);
DL_EXTERN const char *dl_targets_id(const dl_targets *t);
DL_EXTERN const char *dl_targets_version(const dl_targets *t);
DL_EXTERN const char *dl_targets_title(const dl_targets *t);
DL_EXTERN const char *dl_targets_issuer(const dl_targets *t);
DL_EXTERN const char *dl_targets_document(const dl_targets *t);
DL_EXTERN const char *dl_targets_source(const dl_targets *t);
/** The questionnaire edition the targets are counted in: id and version. */
DL_EXTERN const char *dl_targets_questionnaire_id(const dl_targets *t);
DL_EXTERN const char *dl_targets_questionnaire_version(const dl_targets *t);
/** Name of the lowest level at which a retrofit counts as done, as written ("二级"). */
DL_EXTERN const char *dl_targets_retrofitted_level(const dl_targets *t);

/* Deadlines, in date order. Borrowed: valid until dl_targets_free(). */
DL_EXTERN size_t dl_targets_deadline_count(const dl_targets *t);
DL_EXTERN const char *dl_targets_deadline_id(const dl_targets *t, size_t d);
/** As the plan writes the column ("2025年10月"). */
DL_EXTERN const char *dl_targets_deadline_title(const dl_targets *t, size_t d);
/** The last day of the period, YYYY-MM-DD, inclusive. */
DL_EXTERN const char *dl_targets_deadline_date(const dl_targets *t, size_t d);

/* The pilot's 细分行业, in document order (none when the file lists none). Borrowed. */
DL_EXTERN size_t dl_targets_industry_count(const dl_targets *t);
DL_EXTERN const char *dl_targets_industry(const dl_targets *t, size_t i);

/** Whether the file sets a share target per 细分行业 (<share>). */
DL_EXTERN bool dl_targets_has_share(const dl_targets *t);
/** Its scale ("规上" or "规下"), level name and text; "" without a share target. Borrowed. */
DL_EXTERN const char *dl_targets_share_scale(const dl_targets *t);
DL_EXTERN const char *dl_targets_share_level(const dl_targets *t);
DL_EXTERN const char *dl_targets_share_text(const dl_targets *t);
/** The share in units of 1/10000 percent (DL_SHARE_SCALE is 100%); 0 without a share target. */
DL_EXTERN int64_t dl_targets_share_percent(const dl_targets *t);

/* Targets, in document order. Borrowed strings: valid until dl_targets_free(). */
DL_EXTERN size_t dl_targets_count(const dl_targets *t);
/** Index of the target with this id, or DL_NONE. */
DL_EXTERN size_t dl_targets_find(const dl_targets *t, const char *id);
DL_EXTERN const char *dl_targets_target_id(const dl_targets *t, size_t i);
/** The row number in the plan's table, as printed ("1"). */
DL_EXTERN const char *dl_targets_target_row(const dl_targets *t, size_t i);
/** The heading the row sits under ("其中"), or "". */
DL_EXTERN const char *dl_targets_target_group(const dl_targets *t, size_t i);
DL_EXTERN const char *dl_targets_target_title(const dl_targets *t, size_t i);
/** A short name for charts ("上云用云企业"); the title when the file gives none. */
DL_EXTERN const char *dl_targets_target_short(const dl_targets *t, size_t i);
/** What is counted ("家", "个"). */
DL_EXTERN const char *dl_targets_target_unit(const dl_targets *t, size_t i);
/** The goal for the period ending on deadline d, and the total. */
DL_EXTERN long dl_targets_target_goal(const dl_targets *t, size_t i, size_t d);
DL_EXTERN long dl_targets_target_total(const dl_targets *t, size_t i);

/** Whether the target is counted from the sheets. */
DL_EXTERN bool dl_targets_target_measurable(const dl_targets *t, size_t i);
/** Why it cannot be counted from the sheets; "" for a measurable target. */
DL_EXTERN const char *dl_targets_target_reason(const dl_targets *t, size_t i);

/* The counting rule of a measurable target: enterprises that meet every condition given. */
DL_EXTERN dl_target_of dl_targets_target_of(const dl_targets *t, size_t i);
/** Scale the enterprise must have ("规上", "规下"), or "" for any. */
DL_EXTERN const char *dl_targets_target_scale(const dl_targets *t, size_t i);
/** Level name the evaluation must reach, or "" for the retrofitted level (see dl_targets_target_of). */
DL_EXTERN const char *dl_targets_target_level(const dl_targets *t, size_t i);
/** Tags of which the evaluation sheet must hold at least one (none: no condition). */
DL_EXTERN size_t dl_targets_target_tag_count(const dl_targets *t, size_t i);
DL_EXTERN const char *dl_targets_target_tag(const dl_targets *t, size_t i, size_t k);
/** Whether tag k must also be new: on none of the enterprise's sheets made before the evaluation. */
DL_EXTERN bool dl_targets_target_tag_is_new(const dl_targets *t, size_t i, size_t k);
/** Investment categories of which the retrofit project must hold at least one item (none: none). */
DL_EXTERN size_t dl_targets_target_category_count(const dl_targets *t, size_t i);
DL_EXTERN const char *dl_targets_target_category(const dl_targets *t, size_t i, size_t k);

/* --- milestones: the schedule (附件3), optional --------------------------------------------- */

/** Milestones given (0 without <milestones>), in document order. */
DL_EXTERN size_t dl_targets_milestone_count(const dl_targets *t);
/** The target whose 总目标 the milestones' percents are of (an index), DL_NONE without milestones. */
DL_EXTERN size_t dl_targets_milestone_base(const dl_targets *t);
/** Milestone m: its row in the schedule (序号), its title, the stage, the date (YYYY-MM-DD). */
DL_EXTERN const char *dl_targets_milestone_row(const dl_targets *t, size_t m);
DL_EXTERN const char *dl_targets_milestone_title(const dl_targets *t, size_t m);
DL_EXTERN dl_stage dl_targets_milestone_stage(const dl_targets *t, size_t m);
DL_EXTERN const char *dl_targets_milestone_date(const dl_targets *t, size_t m);
/** The share of the base's 总目标 expected at the stage by the date, a whole percent (1–100). */
DL_EXTERN long dl_targets_milestone_percent(const dl_targets *t, size_t m);
/** The enterprises that share is: percent × 总目标 / 100, rounded up ("65%以上" of 35 is 23). */
DL_EXTERN long dl_targets_milestone_expected(const dl_targets *t, size_t m);

/* --- the budget: the funds available for subsidies, optional --------------------------------- */

/** Whether the file states the pilot's budget (<budget>). */
DL_EXTERN bool dl_targets_has_budget(const dl_targets *t);
/** The budget in fen, exact; 0 without <budget>. */
DL_EXTERN int64_t dl_targets_budget_fen(const dl_targets *t);
/** What the funds are, as the file names them ("试点企业数字化改造补助资金"); "" without <budget>.
 * Borrowed: valid until dl_targets_free(). */
DL_EXTERN const char *dl_targets_budget_title(const dl_targets *t);

/* --- disbursements: subsidies paid (拨付), optional ------------------------------------------ */

/** Payments recorded (0 without <disbursements>), in document order. */
DL_EXTERN size_t dl_targets_payment_count(const dl_targets *t);
/** Payment p: the enterprise's 统一社会信用代码, the date, the payment document. Borrowed. */
DL_EXTERN const char *dl_targets_payment_code(const dl_targets *t, size_t p);
DL_EXTERN const char *dl_targets_payment_date(const dl_targets *t, size_t p);
DL_EXTERN const char *dl_targets_payment_document(const dl_targets *t, size_t p);
/** The amount in fen, exact. */
DL_EXTERN int64_t dl_targets_payment_fen(const dl_targets *t, size_t p);
/** Where payment p is in its file (for a message about it). */
DL_EXTERN unsigned long dl_targets_payment_line(const dl_targets *t, size_t p);
DL_EXTERN unsigned long dl_targets_payment_column(const dl_targets *t, size_t p);

#ifdef __cplusplus
}
#endif

#endif
