/*
 * digilevel/cohort.h: a pilot cohort's progress against its targets (targets.h): the pilot dashboard.
 *
 * A cohort is fed one enterprise at a time, each described by a dl_cohort_entry: identity, the level
 * and date of its sheet before the retrofit and of its evaluation after it, the verdict and subsidy
 * under the policy, its tags (称号) before and after, the investment categories of its retrofit.
 * The cohort keeps only running figures, never the enterprises, so its memory does not grow with
 * their number:
 *
 * - per target and deadline, the enterprises that meet the target's counting rule and whose
 *   evaluation is dated in the period ending on that deadline (after the previous one); evaluations
 *   after the last deadline are counted apart ("late");
 * - per 细分行业: enterprises, 规上/规下, evaluated, retrofitted, levels before and after, and the share
 *   of the <share> scale at the <share> level or above (each enterprise at its latest level: the
 *   evaluation's if it has one, else the level before the retrofit);
 * - the levels before × after;
 * - per policy phase: enterprises granted a subsidy, their eligible investment and subsidy; and the
 *   enterprises that failed acceptance.
 *
 * An enterprise's retrofit is done ("retrofitted") when its evaluation reaches the targets'
 * retrofitted level and, when the cohort has a policy, its acceptance passed (a verdict of 通过).
 * Which targets are measured and how is the targets file's business (docs/cohort.md).
 *
 * The dashboard is written as text for people (Chinese, aligned for a terminal), as CSV and JSON with
 * the same figures (docs/cohort.md), and rendered as a PDF report with tables and bar charts.
 */
#ifndef DIGILEVEL_COHORT_H
#define DIGILEVEL_COHORT_H

#include "common.h"
#include "policy.h"
#include "questionnaire.h"
#include "report.h"
#include "targets.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dl_cohort dl_cohort;
typedef struct dl_cohort_entry dl_cohort_entry;

/** Whether an enterprise's tag is from its sheets before the retrofit or from its evaluation. */
typedef enum dl_cohort_when {
	DL_COHORT_BEFORE = 0, /**< on a sheet made before the evaluation (diagnosis, self-check) */
	DL_COHORT_AFTER = 1   /**< on the evaluation sheet */
} dl_cohort_when;

/** How a target stands, for one period or for the whole pilot. */
typedef enum dl_target_status {
	DL_STATUS_DONE = 0,         /**< 已完成: achieved at least the goal (the goal is above 0) */
	DL_STATUS_IN_PROGRESS = 1,  /**< 进行中: short of the goal, and the deadline is not past */
	DL_STATUS_MISSED = 2,       /**< 未完成: short of the goal, and the deadline is past */
	DL_STATUS_NO_GOAL = 3,      /**< 无目标: the goal is 0 */
	DL_STATUS_NOT_MEASURED = 4  /**< 无法由答卷统计: the target is not measurable from sheets */
} dl_target_status;

/** Limits: a string given to an entry, tags per side, investment categories per entry. */
#define DL_COHORT_TEXT_MAX 1024
#define DL_COHORT_TAGS_MAX 64
#define DL_COHORT_CATEGORIES_MAX 64
/** 细分行业 not listed in the targets beyond this many are counted together as "（其他行业）". */
#define DL_COHORT_INDUSTRIES_MAX 100

/* --- the cohort -------------------------------------------------------------------------------- */

/**
 * Start an empty cohort counted against targets t, with levels of questionnaire q and, if policy is
 * not NULL, acceptance and subsidies by the policy. Checks that q is the targets' edition (and the
 * policy's), and resolves every level the targets name (use dl_targets_check first to have every
 * problem reported with its position). Returns 0, DL_EMISMATCH, DL_EINVALID (a level name q does
 * not have) or DL_ENOMEM; err (may be NULL) says which.
 * On success, caller owns the result; free with dl_cohort_free(). The cohort borrows t, q and policy:
 * each must outlive it.
 */
DL_EXTERN int dl_cohort_new(dl_cohort **out, const dl_targets *t, const dl_questionnaire *q,
			    const dl_policy *policy, dl_error *err);

/** Free a cohort. Accepts NULL. */
DL_EXTERN void dl_cohort_free(dl_cohort *c);

/**
 * The date the dashboard is as of (YYYY-MM-DD), which decides whether a deadline is past. Without it,
 * the latest date of any sheet added is used. Returns 0 or DL_EINVALID (not a real date; err says
 * why).
 */
DL_EXTERN int dl_cohort_set_as_of(dl_cohort *c, const char *date, dl_error *err);

/**
 * Add one enterprise (each enterprise once: the cohort keeps no list to find a repeat). Checks the
 * entry first and changes nothing when it is refused: DL_EINVALID when the enterprise has no credit
 * code, a date is not a real date, a level is not a level of the questionnaire, a verdict is given
 * without a policy or names a phase the policy does not have; DL_ELIMIT when a money total would
 * overflow. err (may be NULL) names the enterprise and the problem. Returns 0 on success.
 */
DL_EXTERN int dl_cohort_add(dl_cohort *c, const dl_cohort_entry *e, dl_error *err);

/* --- entries ----------------------------------------------------------------------------------- */

/** A new empty entry. Returns 0 or DL_ENOMEM. Caller owns the result; free with dl_cohort_entry_free(). */
DL_EXTERN int dl_cohort_entry_new(dl_cohort_entry **out);
/** Free an entry. Accepts NULL. */
DL_EXTERN void dl_cohort_entry_free(dl_cohort_entry *e);
/** Empty the entry, to describe the next enterprise. */
DL_EXTERN void dl_cohort_entry_clear(dl_cohort_entry *e);

/*
 * Setters. Strings are copied (NULL counts as ""); each returns 0, DL_ENOMEM, or DL_ELIMIT for a
 * string longer than DL_COHORT_TEXT_MAX bytes or more than the maximum number of tags or categories.
 * A failed call leaves the entry as it was.
 */
/** Identity: 统一社会信用代码, name, 细分行业 and scale ("规上", "规下" or ""). */
DL_EXTERN int dl_cohort_entry_set_enterprise(dl_cohort_entry *e, const char *credit_code,
					     const char *name, const char *industry,
					     const char *scale);
/** The level and date (YYYY-MM-DD) of the sheet made before the retrofit. */
DL_EXTERN int dl_cohort_entry_set_before(dl_cohort_entry *e, int level, const char *date);
/** The level and date of the evaluation after the retrofit. */
DL_EXTERN int dl_cohort_entry_set_after(dl_cohort_entry *e, int level, const char *date);
/**
 * The acceptance under the cohort's policy: the verdict (DL_VERDICT_PASS 通过, DL_VERDICT_FAIL 不通过
 * or DL_VERDICT_RECTIFY 限期整改, as dl_comparison_verdict gives it), the id of the phase the
 * retrofit falls in ("" for none), the eligible investment and the subsidy in fen. The subsidy is
 * approved only with 通过: under 不通过 and 限期整改 it is not counted (and no payment is accepted).
 * Under 限期整改 the cohort works the deadline out as dl_compare does: the evaluation date (set by
 * dl_cohort_entry_set_after) plus the policy's rectification period (dl_cohort_roster_deadline).
 * dl_cohort_add refuses a verdict that is none of the three.
 *
 * This replaces dl_cohort_entry_set_verdict(e, bool passed, ...), whose bool could not say 限期整改
 * and counted it as 不通过 (a new name, so that an old call does not compile to another meaning).
 */
DL_EXTERN int dl_cohort_entry_set_acceptance(dl_cohort_entry *e, dl_verdict verdict,
					     const char *phase_id, int64_t eligible_fen,
					     int64_t subsidy_fen);
/** A tag (称号) held before the retrofit or at the evaluation. Repeats are ignored. */
DL_EXTERN int dl_cohort_entry_add_tag(dl_cohort_entry *e, dl_cohort_when when, const char *tag);
/** The category id of an item of the retrofit's investment ("cloud"). Repeats are ignored. */
DL_EXTERN int dl_cohort_entry_add_investment(dl_cohort_entry *e, const char *category);

/** The date an enterprise reached a stage of the pipeline (YYYY-MM-DD; "" for not reached): 诊断
 * the diagnosis sheet's date, 签约 the contract's signing, 改造 the retrofit's completion, 申请 the
 * acceptance application, 验收 the evaluation's date when it has a verdict (without a policy: any
 * evaluation). 拨付 is set by dl_cohort_check_payments from the targets' disbursements. */
DL_EXTERN int dl_cohort_entry_set_stage_date(dl_cohort_entry *e, dl_stage stage, const char *date);
/** The retrofit's service provider and the enterprise's rating of it (满意度: 非常满意 … 非常不满意, or ""). */
DL_EXTERN int dl_cohort_entry_set_provider(dl_cohort_entry *e, const char *provider,
					   const char *satisfaction);
/** The total points before and after the retrofit (for the uplift; used when both sides are set). */
DL_EXTERN int dl_cohort_entry_set_totals(dl_cohort_entry *e, dl_points before, dl_points after);
/** A scenario of the latest sheet below the level the enterprise's next grade needs. Repeats are
 * ignored; at most DL_COHORT_CATEGORIES_MAX. */
DL_EXTERN int dl_cohort_entry_add_weak_scenario(dl_cohort_entry *e, const char *title);

/* --- figures ----------------------------------------------------------------------------------- */

/** The targets, questionnaire and policy (NULL when none) the cohort was made with. Borrowed. */
DL_EXTERN const dl_targets *dl_cohort_targets(const dl_cohort *c);
DL_EXTERN const dl_questionnaire *dl_cohort_questionnaire(const dl_cohort *c);
DL_EXTERN const dl_policy *dl_cohort_policy(const dl_cohort *c);
/** The date the figures are as of; "" when neither set nor any sheet dated. Borrowed. */
DL_EXTERN const char *dl_cohort_as_of(const dl_cohort *c);

/** Enterprises added; of them with a sheet before, with an evaluation, retrofitted (any date). */
DL_EXTERN size_t dl_cohort_enterprise_count(const dl_cohort *c);
DL_EXTERN size_t dl_cohort_before_count(const dl_cohort *c);
DL_EXTERN size_t dl_cohort_evaluated_count(const dl_cohort *c);
DL_EXTERN size_t dl_cohort_retrofitted_count(const dl_cohort *c);

/**
 * Enterprises counted for target i (an index of the targets) in the period ending on deadline d, or,
 * with d = DL_NONE, in all periods together. 0 for a target that is not measurable.
 */
DL_EXTERN size_t dl_cohort_achieved(const dl_cohort *c, size_t i, size_t d);
/** Enterprises that would count for target i but whose evaluation is after the last deadline. */
DL_EXTERN size_t dl_cohort_late(const dl_cohort *c, size_t i);
/** How target i stands for deadline d, or with d = DL_NONE against its total by the last deadline. */
DL_EXTERN dl_target_status dl_cohort_status(const dl_cohort *c, size_t i, size_t d);
/** The status in Chinese: 已完成, 进行中, 未完成, 无目标, 无法由答卷统计. Static string. */
DL_EXTERN const char *dl_target_status_title(dl_target_status s);

/**
 * The 细分行业 met: the targets' industries first, in their order (also when no enterprise is in
 * one), then the others in order of first appearance. Names borrowed: valid until dl_cohort_free().
 */
DL_EXTERN size_t dl_cohort_industry_count(const dl_cohort *c);
DL_EXTERN const char *dl_cohort_industry(const dl_cohort *c, size_t k);
/** Whether industry k is one of the targets' industries. */
DL_EXTERN bool dl_cohort_industry_listed(const dl_cohort *c, size_t k);
DL_EXTERN size_t dl_cohort_industry_enterprises(const dl_cohort *c, size_t k);
/** Enterprises of industry k of the share scale, and of them those at the share level or above. */
DL_EXTERN size_t dl_cohort_industry_share_base(const dl_cohort *c, size_t k);
DL_EXTERN size_t dl_cohort_industry_share_reached(const dl_cohort *c, size_t k);

/** Per policy phase (an index of the policy's phases): enterprises granted a subsidy in it. */
DL_EXTERN size_t dl_cohort_phase_enterprises(const dl_cohort *c, size_t phase);
/** Their eligible investment and subsidy in fen. */
DL_EXTERN int64_t dl_cohort_phase_eligible(const dl_cohort *c, size_t phase);
DL_EXTERN int64_t dl_cohort_phase_subsidy(const dl_cohort *c, size_t phase);
/** Enterprises whose acceptance failed under the policy (不通过; 限期整改 is counted apart). */
DL_EXTERN size_t dl_cohort_failed_count(const dl_cohort *c);
/** Enterprises under rectification (限期整改): neither passed nor failed yet. */
DL_EXTERN size_t dl_cohort_rectify_count(const dl_cohort *c);
/** The subsidy granted to the whole cohort, in fen. */
DL_EXTERN int64_t dl_cohort_subsidy_total(const dl_cohort *c);

/* The roster: every enterprise added, in order, with its stage (dl_stage, or -1 for none) as of the
 * cohort's date and the subsidy paid to it (fen). */
DL_EXTERN size_t dl_cohort_roster_count(const dl_cohort *c);
DL_EXTERN const char *dl_cohort_roster_code(const dl_cohort *c, size_t i);
DL_EXTERN int dl_cohort_roster_stage(const dl_cohort *c, size_t i);
DL_EXTERN int64_t dl_cohort_roster_disbursed(const dl_cohort *c, size_t i);
/** The verdict of roster enterprise i (a dl_verdict), or -1 when it has none. */
DL_EXTERN int dl_cohort_roster_verdict(const dl_cohort *c, size_t i);
/** Its rectification deadline (YYYY-MM-DD) under 限期整改 when the policy sets a period and the
 * evaluation is dated; "" otherwise. Borrowed: valid until dl_cohort_free(). */
DL_EXTERN const char *dl_cohort_roster_deadline(const dl_cohort *c, size_t i);
/** Enterprises at stage or beyond by date (YYYY-MM-DD; NULL: the cohort's as-of date). */
DL_EXTERN size_t dl_cohort_stage_count(const dl_cohort *c, dl_stage stage, const char *date);
/** Enterprises that reached milestone m's stage (or a later one) by its date, and its status
 * (已完成 when at least dl_targets_milestone_expected; else 未完成 once the date is past). */
DL_EXTERN size_t dl_cohort_milestone_reached(const dl_cohort *c, size_t m);
DL_EXTERN dl_target_status dl_cohort_milestone_status(const dl_cohort *c, size_t m);

/**
 * Match the targets' disbursements to the enterprises, once, after the last dl_cohort_add. A payment
 * counts toward its enterprise's disbursed money and its 拨付 date; it is refused, reported as
 * file:line:column of the targets file to opts->diag (every one, the first in err), when its credit
 * code is no enterprise of the cohort or when it would bring what the enterprise was paid above
 * the subsidy approved (no subsidy: not passed, or no verdict). Returns 0 or DL_EINVALID.
 */
DL_EXTERN int dl_cohort_check_payments(dl_cohort *c, const dl_load_options *opts, dl_error *err);
/** The subsidies paid, in fen (payments accepted by dl_cohort_check_payments). */
DL_EXTERN int64_t dl_cohort_disbursed_total(const dl_cohort *c);

/* --- output ------------------------------------------------------------------------------------ */

/**
 * Write the dashboard as text for people, in Chinese: the measurable targets period by period with
 * goal, achieved, rate and status and their counting rule; the targets that cannot be measured from
 * sheets with the reason; the 细分行业; the levels before and after; the share target per 细分行业;
 * the subsidies by phase (限期整改 apart from 不通过); the pipeline against the milestones; the
 * roster with each enterprise's stage, verdict and money; the funds approved, disbursed and pending
 * (against the targets' budget when it states one); the providers; the weak scenarios. Columns are
 * aligned by display width. Returns 0, DL_EIO (write failed) or DL_ENOMEM (no memory for a long
 * text).
 */
DL_EXTERN int dl_cohort_write_text(const dl_cohort *c, dl_write_fn write, void *userdata);

/**
 * Write the same figures as CSV (UTF-8, RFC 4180 quoting): several tables one after another, each
 * with its own header row whose first column is "section", every row starting with its section's
 * name (summary, targets, industries, levels, transitions, share, subsidy, pipeline, milestones,
 * roster, funds, providers, weak_scenarios, uplift), tables separated by an empty line
 * (docs/cohort.md). For a program that reads the sections; a spreadsheet cannot: one table per
 * file is dl_cohort_write_table, and `digilevel cohort --format csv` writes that. Returns as
 * dl_cohort_write_text.
 */
DL_EXTERN int dl_cohort_write_csv(const dl_cohort *c, dl_write_fn write, void *userdata);

/** The two kinds of CSV of dl_cohort_write_table. */
typedef enum dl_cohort_csv {
	/** for programs: UTF-8, English keys in the header row, ids as they are ("yes", "total") */
	DL_COHORT_CSV = 0,
	/**
	 * for a spreadsheet: a UTF-8 byte order mark, Chinese headers and words (是, 合计, 通过),
	 * and text a spreadsheet would take for a number or a date (a period "2025-10") written as
	 * the formula ="2025-10", which it shows as that text; full dates (YYYY-MM-DD) and numbers
	 * as they are
	 */
	DL_COHORT_CSV_EXCEL = 1
} dl_cohort_csv;

/**
 * The dashboard's tables, in order: i from 0 to dl_cohort_table_count() - 1; the id ("summary",
 * "targets", "industries", "levels", "transitions", "share", "subsidy", "pipeline", "milestones",
 * "roster", "funds", "providers", "weak_scenarios", "uplift") names it for dl_cohort_write_table,
 * the title (概况, 目标完成情况 …) is its worksheet's name in dl_cohort_write_xlsx. NULL past the
 * last. Static strings.
 */
DL_EXTERN size_t dl_cohort_table_count(void);
DL_EXTERN const char *dl_cohort_table_id(size_t i);
DL_EXTERN const char *dl_cohort_table_title(size_t i);

/**
 * Write one table of the dashboard as CSV (RFC 4180 quoting), in flavour: a header row and its
 * rows, the same columns as that section of dl_cohort_write_csv without "section" (docs/cohort.md).
 * A table that does not apply (share without a share target, subsidy without a policy, milestones
 * without any) is its header alone. Returns 0, DL_EINVALID (no such table or flavour), DL_EIO
 * (write failed) or DL_ENOMEM.
 */
DL_EXTERN int dl_cohort_write_table(const dl_cohort *c, const char *table, dl_cohort_csv flavour,
				    dl_write_fn write, void *userdata);

/**
 * Write the dashboard as an .xlsx workbook: a worksheet per table that applies, named by its
 * title, with Chinese headers, numbers as number cells (money 0.00, points with their exact
 * digits, rates 0.0), dates as date cells (yyyy-mm-dd), periods as text, the header row frozen
 * and filtered. The workbook is built in a temporary file in $TMPDIR (or /tmp), removed before
 * this returns, and written whole to write. The same cohort gives the same bytes. Returns 0,
 * DL_EIO (err says why: the temporary file, or write failed) or DL_ENOMEM. err may be NULL.
 * libxlsxwriter allocates with the C library's malloc.
 */
DL_EXTERN int dl_cohort_write_xlsx(const dl_cohort *c, dl_write_fn write, void *userdata,
				   dl_error *err);

/** Write the same figures as one JSON object (docs/cohort.md). Returns as dl_cohort_write_text. */
DL_EXTERN int dl_cohort_write_json(const dl_cohort *c, dl_write_fn write, void *userdata);

/**
 * Render the dashboard as a report on A4, in Chinese: a cover, the cohort in figures, the measurable
 * targets period by period with their counting rules and a progress bar each, the targets that
 * cannot be measured and why, the 细分行业 with bars of the enterprises at the retrofitted level
 * before and after, the levels before and after (per 细分行业, as bars, and the transitions), the
 * share target per 细分行业, the subsidies by phase, then the pipeline, roster, funds, providers and
 * weak scenarios as the text shows them, and the sign-off blocks. As PDF (embedded CJK font) or, with
 * opts->format DL_REPORT_TEXT, as the layout's text dump (report.h). Nothing depends on the current
 * time: the same cohort and font give the same bytes. opts may be NULL; opts->target_level is not
 * used.
 *
 * On success sets *out and *len (bytes, without a terminator; a text dump is also NUL-terminated).
 * Caller owns the result; free with dl_report_free().
 *
 * Returns 0, or on failure leaves *out untouched and returns DL_EINVALID (opts->version or format
 * unknown, the font is not usable, or a text the layout rejects), DL_EIO (no font found, the font
 * cannot be read, or the PDF writer failed) or DL_ENOMEM; err (may be NULL) says why.
 */
DL_EXTERN int dl_cohort_report(unsigned char **out, size_t *len, const dl_cohort *c,
			       const dl_report_options *opts, dl_error *err);

#ifdef __cplusplus
}
#endif

#endif
