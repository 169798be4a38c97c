/*
 * digilevel/policy.h: a city's acceptance and subsidy rules as data, and the before/after comparison
 * that applies them.
 *
 * A policy file (policies/README.md, checked against policies/policy.xsd) states the questionnaire
 * edition it requires, the minimum level after the retrofit, an optional required improvement, which
 * investment categories count, the phases or batches with their date windows, conditions, rates, caps
 * and level bonuses, and how amounts are rounded. No city's rules are in the C code.
 *
 * A comparison scores the sheet made before the retrofit and the one made after it against the same
 * questionnaire, and with a policy decides the verdict (通过 / 不通过), the eligible investment, the
 * phase and the subsidy, keeping every reason and step with its numbers.
 *
 * Money is exact: an amount is an int64_t count of fen (1/100 yuan), a rate an integer count of
 * 1/10000 percent, and their product is rounded once, as the policy says (docs/policy.md).
 */
#ifndef DIGILEVEL_POLICY_H
#define DIGILEVEL_POLICY_H

#include "common.h"
#include "questionnaire.h"
#include "score.h"
#include "sheet.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dl_policy dl_policy;
typedef struct dl_comparison dl_comparison;

/** A rate of 100% in the units rates are given in (1/10000 percent). */
#define DL_RATE_SCALE 1000000

/** Which date of the after-retrofit sheet places a retrofit in a phase. */
typedef enum dl_date_basis {
	DL_DATE_APPLIED = 0,   /**< the date the acceptance application was submitted (<applied>) */
	DL_DATE_COMPLETED = 1, /**< the date the retrofit was completed (<completed>) */
	DL_DATE_ASSESSED = 2   /**< the date of the after-retrofit evaluation (<assessment date>) */
} dl_date_basis;

/** How the product rate × eligible investment is rounded to the policy's unit. */
typedef enum dl_rounding {
	DL_ROUND_HALF_UP = 0, /**< to the nearest unit, halves up (四舍五入) */
	DL_ROUND_DOWN = 1,    /**< down to the unit (舍去) */
	DL_ROUND_UP = 2       /**< up to the unit (进位) */
} dl_rounding;

/* --- loading ----------------------------------------------------------------------------------- */

/**
 * Load a policy file, check it against the policy schema, then check its meaning: phase windows
 * that are real dates and do not overlap, rates within 0–100%, caps and bonuses not negative, every
 * category referenced is declared and decided once, phase references exist. Every problem is passed
 * to opts->diag as file:line:column; the first is stored in err (may be NULL).
 * Returns 0, DL_EINVALID, DL_EIO, DL_ENOTFOUND, DL_ENOMEM or DL_ELIMIT.
 * On success, caller owns the result; free with dl_policy_free().
 */
DL_EXTERN int dl_policy_load(dl_policy **out, const char *path, const dl_load_options *opts,
			     dl_error *err);

/** As dl_policy_load, from memory; name is used in diagnostics. data need not be NUL-terminated. */
DL_EXTERN int dl_policy_load_memory(dl_policy **out, const char *data, size_t len,
				    const char *name, const dl_load_options *opts, dl_error *err);

/** Free a policy. Accepts NULL. */
DL_EXTERN void dl_policy_free(dl_policy *p);

/**
 * Check the policy against questionnaire q: q must be the edition the policy requires, and every
 * level the policy names (minimum level, level caps, bonuses) must be a level of q. Every problem
 * goes to opts->diag, at its place in the policy file; the first is stored in err.
 * Returns 0, DL_EMISMATCH (q is another edition) or DL_EINVALID (a level name q does not have).
 */
DL_EXTERN int dl_policy_check(const dl_policy *p, const dl_questionnaire *q,
			      const dl_load_options *opts, dl_error *err);

/* Identity. Borrowed: valid until dl_policy_free(). Optional texts are "" when absent. */
DL_EXTERN const char *dl_policy_path(const dl_policy *p);
DL_EXTERN const char *dl_policy_id(const dl_policy *p);
DL_EXTERN const char *dl_policy_version(const dl_policy *p);
DL_EXTERN const char *dl_policy_title(const dl_policy *p);
DL_EXTERN const char *dl_policy_issuer(const dl_policy *p);
DL_EXTERN const char *dl_policy_document(const dl_policy *p);
/** The questionnaire edition the policy requires: id and version. */
DL_EXTERN const char *dl_policy_questionnaire_id(const dl_policy *p);
DL_EXTERN const char *dl_policy_questionnaire_version(const dl_policy *p);
/** Name of the lowest level that passes acceptance, as the policy writes it ("二级"). */
DL_EXTERN const char *dl_policy_min_level(const dl_policy *p);
/** Levels the after level must exceed the before level by, or -1 when no improvement is required. */
DL_EXTERN int dl_policy_min_improvement(const dl_policy *p);
DL_EXTERN dl_date_basis dl_policy_date_basis(const dl_policy *p);
/** The rounding unit in fen (1 = to the fen, 100 = to the yuan) and its mode. */
DL_EXTERN int64_t dl_policy_rounding_unit(const dl_policy *p);
DL_EXTERN dl_rounding dl_policy_rounding_mode(const dl_policy *p);

/* Investment categories, in document order. Borrowed: valid until dl_policy_free(). */
DL_EXTERN size_t dl_policy_category_count(const dl_policy *p);
DL_EXTERN const char *dl_policy_category_id(const dl_policy *p, size_t i);
DL_EXTERN const char *dl_policy_category_title(const dl_policy *p, size_t i);
DL_EXTERN bool dl_policy_category_eligible(const dl_policy *p, size_t i);
/** Why items of an excluded category do not count; "" for an eligible one. */
DL_EXTERN const char *dl_policy_category_reason(const dl_policy *p, size_t i);

/* Phases (batches), in document order. Borrowed: valid until dl_policy_free(). */
DL_EXTERN size_t dl_policy_phase_count(const dl_policy *p);
DL_EXTERN const char *dl_policy_phase_id(const dl_policy *p, size_t i);
DL_EXTERN const char *dl_policy_phase_title(const dl_policy *p, size_t i);
/** Rate of phase i in units of 1/10000 percent (70% is 700000; DL_RATE_SCALE is 100%). */
DL_EXTERN int64_t dl_policy_phase_rate(const dl_policy *p, size_t i);

/* --- comparison -------------------------------------------------------------------------------- */

/**
 * Check that two sheets can be compared, without a questionnaire: the same enterprise (统一社会信用
 * 代码) and the same questionnaire edition. Refusals go to opts->diag at the place in after's file;
 * the first is stored in err. Returns 0 or DL_EMISMATCH.
 */
DL_EXTERN int dl_compare_check(const dl_sheet *before, const dl_sheet *after,
			       const dl_load_options *opts, dl_error *err);

/**
 * Where two sheets paired as one enterprise (by their 统一社会信用代码 alone) disagree about it: a
 * bit (1u << field) for each of DL_ENTERPRISE_NAME, DL_ENTERPRISE_INDUSTRY and DL_ENTERPRISE_SCALE
 * whose values differ, 0 when they agree. dl_compare warns of each; `digilevel batch` shows them.
 */
DL_EXTERN unsigned dl_compare_identity_differences(const dl_sheet *before, const dl_sheet *after);

/**
 * Compare the sheet made before the retrofit with the one made after it, both scored against q,
 * and, when policy is not NULL, decide acceptance and the subsidy by the policy.
 *
 * Refuses (DL_EMISMATCH) sheets of different enterprises or editions, a q that is not their edition
 * and a policy that requires another edition. With a policy the after sheet must hold a <retrofit>
 * block (DL_EINVALID otherwise). Every problem of either sheet or of the policy goes to opts->diag as
 * file:line:column; the first is stored in err. Warnings (the before sheet is not a diagnosis, the
 * after sheet not an evaluation, the sheets give the enterprise different names, 细分行业 or 规模,
 * an investment category the policy does not list) also go to opts->diag, with code DL_OK and a
 * message starting "warning: "; they never stop the comparison and are never stored in err. The
 * warnings about the sheets are also kept in the comparison (dl_comparison_warning) and written by
 * dl_comparison_write_text and dl_comparison_write_json.
 *
 * Returns 0, DL_EMISMATCH, DL_EINVALID or DL_ENOMEM. On success, caller owns the result; free with
 * dl_comparison_free(). The comparison borrows q, before, after and policy: each must outlive it.
 */
DL_EXTERN int dl_compare(dl_comparison **out, const dl_questionnaire *q, const dl_sheet *before,
			 const dl_sheet *after, const dl_policy *policy,
			 const dl_load_options *opts, dl_error *err);

/** Free a comparison. Accepts NULL. */
DL_EXTERN void dl_comparison_free(dl_comparison *c);

/**
 * The scored sheets: before and after the retrofit. Per node, scenario and level use the dl_result_*
 * accessors. Borrowed: valid until dl_comparison_free().
 */
DL_EXTERN const dl_result *dl_comparison_before(const dl_comparison *c);
DL_EXTERN const dl_result *dl_comparison_after(const dl_comparison *c);
/** The policy applied, or NULL when none was given. Borrowed: valid until dl_policy_free(). */
DL_EXTERN const dl_policy *dl_comparison_policy(const dl_comparison *c);

/**
 * The warnings about the two sheets, in the order they were found (see dl_compare): code DL_OK, the
 * file, line and column they point at and a message starting "warning: ". Borrowed: valid until
 * dl_comparison_free().
 */
DL_EXTERN size_t dl_comparison_warning_count(const dl_comparison *c);
DL_EXTERN const dl_error *dl_comparison_warning(const dl_comparison *c, size_t i);

/** Whether acceptance passed: every reason met (the verdict is 通过). false when no policy was given. */
DL_EXTERN bool dl_comparison_passed(const dl_comparison *c);

/** The verdict of an acceptance. */
typedef enum dl_verdict {
	DL_VERDICT_PASS = 0,   /**< 通过 */
	DL_VERDICT_FAIL = 1,   /**< 不通过: a condition the policy treats as failing is not met */
	DL_VERDICT_RECTIFY = 2 /**< 限期整改: only conditions the policy lets be rectified are not met */
} dl_verdict;

/** The verdict (DL_VERDICT_FAIL when no policy was given). */
DL_EXTERN dl_verdict dl_comparison_verdict(const dl_comparison *c);
/** 通过, 不通过 or 限期整改. Static storage. */
DL_EXTERN const char *dl_verdict_title(dl_verdict v);
/** "pass", "fail" or "rectify". Static storage. */
DL_EXTERN const char *dl_verdict_name(dl_verdict v);

/** The outcome of one check of the acceptance package. */
typedef enum dl_outcome {
	DL_OUTCOME_OK = 0,      /**< in order */
	DL_OUTCOME_NOTE = 1,    /**< shown, changes nothing (or only the amount counted) */
	DL_OUTCOME_RECTIFY = 2, /**< must be rectified by the deadline (限期整改) */
	DL_OUTCOME_FAIL = 3     /**< fails acceptance (不通过) */
} dl_outcome;

/** "ok", "note", "rectify" or "fail". Static storage. */
DL_EXTERN const char *dl_outcome_name(dl_outcome o);

/** The acceptance conditions a policy can set. */
typedef enum dl_reason_kind {
	DL_REASON_MIN_LEVEL = 0,    /**< the after level reaches the policy's minimum level */
	DL_REASON_IMPROVEMENT = 1,  /**< the after level exceeds the before level by enough levels */
	DL_REASON_PRIOR_LEVEL = 2,  /**< pre-condition: the level before the retrofit (self-check or
				         the provider's diagnosis) reaches the policy's <prior-level> */
	DL_REASON_CONTRACT_DATE = 3, /**< the contract was signed within <contract-signed> */
	DL_REASON_MATERIALS = 4,    /**< every required material is provided, verified or not applicable */
	DL_REASON_FINANCE = 5,      /**< invoices and payment proofs cover every eligible item */
	DL_REASON_ONSITE = 6        /**< every retrofit item checked on site is real, running and in use */
} dl_reason_kind;

/* Every acceptance condition checked, met or not, in a fixed order (0 without a policy). */
DL_EXTERN size_t dl_comparison_reason_count(const dl_comparison *c);
DL_EXTERN dl_reason_kind dl_comparison_reason_kind(const dl_comparison *c, size_t i);
DL_EXTERN bool dl_comparison_reason_met(const dl_comparison *c, size_t i);
/** What an unmet condition leads to: DL_OUTCOME_FAIL or DL_OUTCOME_RECTIFY (DL_OUTCOME_OK when met). */
DL_EXTERN dl_outcome dl_comparison_reason_outcome(const dl_comparison *c, size_t i);
/**
 * The level reached (DL_REASON_MIN_LEVEL, PRIOR_LEVEL: the level before) or the levels gained,
 * possibly negative (IMPROVEMENT); for the other kinds, the number of problems found.
 */
DL_EXTERN int dl_comparison_reason_actual(const dl_comparison *c, size_t i);
/** The level required (DL_REASON_MIN_LEVEL) or the levels to gain (DL_REASON_IMPROVEMENT). */
DL_EXTERN int dl_comparison_reason_required(const dl_comparison *c, size_t i);
/**
 * The condition with its numbers, in the language of messages (dl_get_language(): Chinese unless
 * DL_LANGUAGE_EN is set; every text of a comparison is kept in both, so the language may be changed
 * after dl_compare()). Borrowed: valid until dl_comparison_free().
 */
DL_EXTERN const char *dl_comparison_reason_text(const dl_comparison *c, size_t i);

/* --- the acceptance package ------------------------------------------------------------------- */

/**
 * Whether the after sheet records a materials checklist, invoices and payment proofs, and on-site
 * checks. What is not recorded is not checked: the outputs say "未记录" and the verdict does not
 * depend on it.
 */
DL_EXTERN bool dl_comparison_materials_recorded(const dl_comparison *c);
DL_EXTERN bool dl_comparison_finance_recorded(const dl_comparison *c);
DL_EXTERN bool dl_comparison_onsite_recorded(const dl_comparison *c);

/** Fields of a line of the materials checklist. */
typedef enum dl_material_field {
	DL_MATERIAL_ID = 0,
	DL_MATERIAL_TITLE,
	DL_MATERIAL_STATUS,      /**< "provided", "verified", "missing", "not-applicable"; "" not listed */
	DL_MATERIAL_STATUS_TITLE, /**< 已提供, 已核验, 缺失, 不适用, 未列入清单 */
	DL_MATERIAL_REFERENCE,   /**< the document reference */
	DL_MATERIAL_VERIFIED_BY,
	DL_MATERIAL_VERIFIED_ON,
	DL_MATERIAL_FINDING      /**< what is wrong, in the language of messages; "" when fine */
} dl_material_field;

/* The materials checklist: the policy's required items in its order, then the sheet's others. */
DL_EXTERN size_t dl_comparison_material_count(const dl_comparison *c);
/** A field of line i. Borrowed: valid until dl_comparison_free(). */
DL_EXTERN const char *dl_comparison_material_field(const dl_comparison *c, size_t i,
						   dl_material_field field);
DL_EXTERN bool dl_comparison_material_required(const dl_comparison *c, size_t i);
DL_EXTERN dl_outcome dl_comparison_material_outcome(const dl_comparison *c, size_t i);

/** Amounts of the financial check of one investment item. */
typedef enum dl_finance_amount {
	DL_FINANCE_DECLARED = 0, /**< the item's amount (tax included as invoiced) */
	DL_FINANCE_NET,          /**< its tax-exclusive amount; -1 when the sheet gives none */
	DL_FINANCE_INVOICED,     /**< the total of its invoices (-1 when no finance is recorded) */
	DL_FINANCE_PAID,         /**< the total of its payment proofs (-1 when none is recorded) */
	DL_FINANCE_COUNTED       /**< what counts towards the eligible investment if it is eligible */
} dl_finance_amount;

/* Per investment item of the after sheet (index as dl_sheet_investment_*). */
DL_EXTERN int64_t dl_comparison_finance_amount(const dl_comparison *c, size_t item,
					       dl_finance_amount which);
DL_EXTERN dl_outcome dl_comparison_finance_outcome(const dl_comparison *c, size_t item);
/** What the financial check found for the item, in the language of messages; "" when nothing. Borrowed. */
DL_EXTERN const char *dl_comparison_finance_finding(const dl_comparison *c, size_t item);
/** Totals reconciled against the contract and the items, each difference a sentence. Borrowed. */
DL_EXTERN size_t dl_comparison_reconciliation_count(const dl_comparison *c);
DL_EXTERN const char *dl_comparison_reconciliation(const dl_comparison *c, size_t i);

/**
 * The on-site check of investment item `item`: whether one is recorded, and its outcome and finding
 * (in the language of messages, "" when fine). Its points and the evaluator's note are the sheet's:
 * dl_sheet_onsite_*(after, dl_comparison_onsite_check(c, item)).
 */
DL_EXTERN size_t dl_comparison_onsite_check(const dl_comparison *c, size_t item);
DL_EXTERN dl_outcome dl_comparison_onsite_outcome(const dl_comparison *c, size_t item);
DL_EXTERN const char *dl_comparison_onsite_finding(const dl_comparison *c, size_t item);

/* Findings: every problem that fails acceptance or must be rectified, in the order checked. */
DL_EXTERN size_t dl_comparison_finding_count(const dl_comparison *c);
DL_EXTERN dl_reason_kind dl_comparison_finding_kind(const dl_comparison *c, size_t i);
DL_EXTERN dl_outcome dl_comparison_finding_outcome(const dl_comparison *c, size_t i);
DL_EXTERN const char *dl_comparison_finding_text(const dl_comparison *c, size_t i);

/** The rectification deadline (YYYY-MM-DD) under 限期整改; "" otherwise. Borrowed. */
DL_EXTERN const char *dl_comparison_deadline(const dl_comparison *c);
/** The re-inspection path after 不通过 or 限期整改, in the language of messages; "" when passed. Borrowed. */
DL_EXTERN const char *dl_comparison_reinspection(const dl_comparison *c);
/** What a later pass changes (its phase, rate and cap), in the language of messages; "" when passed. Borrowed. */
DL_EXTERN const char *dl_comparison_later_pass(const dl_comparison *c);
/** The phase a later pass would fall in, or DL_NONE. */
DL_EXTERN size_t dl_comparison_later_phase(const dl_comparison *c);

/** Total declared investment of the after sheet's items, in fen (0 without a policy). */
DL_EXTERN int64_t dl_comparison_investment(const dl_comparison *c);
/** The part of it in eligible categories, in fen. */
DL_EXTERN int64_t dl_comparison_eligible_investment(const dl_comparison *c);
/** Items of the after sheet excluded from the eligible investment, in sheet order. */
DL_EXTERN size_t dl_comparison_excluded_count(const dl_comparison *c);
/** The index of excluded item i among the after sheet's items (see dl_sheet_investment_*). */
DL_EXTERN size_t dl_comparison_excluded_item(const dl_comparison *c, size_t i);
/** Why item i is excluded (the policy's words, or ours in the language of messages). Borrowed: valid until dl_comparison_free(). */
DL_EXTERN const char *dl_comparison_excluded_reason(const dl_comparison *c, size_t i);

/** The index of the policy phase the retrofit falls in, or DL_NONE (failed, or no phase applies). */
DL_EXTERN size_t dl_comparison_phase(const dl_comparison *c);
/** Why that phase, or why none, in the language of messages. Borrowed: valid until dl_comparison_free(). */
DL_EXTERN const char *dl_comparison_phase_reason(const dl_comparison *c);
/**
 * For policy phase i: whether its window and conditions hold, and each checked with its dates, in
 * the language of messages ("" when acceptance failed and no phase was examined). Borrowed: valid until
 * dl_comparison_free().
 */
DL_EXTERN bool dl_comparison_phase_matched(const dl_comparison *c, size_t i);
DL_EXTERN const char *dl_comparison_phase_basis(const dl_comparison *c, size_t i);

/** Whether a subsidy is granted: acceptance passed and a phase applies. */
DL_EXTERN bool dl_comparison_subsidy_granted(const dl_comparison *c);
/**
 * The subsidy in fen: min(min(rate × eligible, rounded; cap) + bonus; combined ceiling − other public
 * funds); 0 when not granted.
 */
DL_EXTERN int64_t dl_comparison_subsidy(const dl_comparison *c);
/**
 * Why no subsidy is granted, in the language of messages; "" when one is. Borrowed: valid until
 * dl_comparison_free().
 */
DL_EXTERN const char *dl_comparison_no_subsidy_reason(const dl_comparison *c);

/** The steps of the subsidy computation. */
typedef enum dl_subsidy_step_kind {
	DL_SUBSIDY_RATE = 0,  /**< rate × eligible investment, rounded */
	DL_SUBSIDY_CAP = 1,   /**< the cap of the phase (for the level reached), if any */
	DL_SUBSIDY_BONUS = 2, /**< the bonus for the level reached, if any */
	DL_SUBSIDY_CEILING = 3 /**< central + provincial + city money together, if the policy caps it */
} dl_subsidy_step_kind;

/* The computation, step by step (none when no subsidy is granted). */
DL_EXTERN size_t dl_comparison_step_count(const dl_comparison *c);
DL_EXTERN dl_subsidy_step_kind dl_comparison_step_kind(const dl_comparison *c, size_t i);
/** The running amount after step i, in fen. */
DL_EXTERN int64_t dl_comparison_step_amount(const dl_comparison *c, size_t i);
/** The step with its numbers, in the language of messages. Borrowed: valid until dl_comparison_free(). */
DL_EXTERN const char *dl_comparison_step_text(const dl_comparison *c, size_t i);

/**
 * Write the comparison as JSON (docs/policy.md): per dimension, indicator, sub-indicator, question
 * and scenario before, after and change; the levels; with a policy the verdict, reasons, eligible
 * investment, excluded items, phase and subsidy. Amounts are strings in yuan with two decimals.
 * Returns 0, DL_EIO (write failed) or DL_ENOMEM (no memory for a long text).
 */
DL_EXTERN int dl_comparison_write_json(const dl_comparison *c, dl_write_fn write, void *userdata);

/**
 * Write the comparison as text for people, in the language of messages, verdict and subsidy first.
 * Returns as above.
 */
DL_EXTERN int dl_comparison_write_text(const dl_comparison *c, dl_write_fn write, void *userdata);

/**
 * Format fen as yuan with two decimals ("350000.00", "-0.05") into buf, always NUL-terminated.
 * buf should hold at least 32 bytes. Returns buf.
 */
DL_EXTERN char *dl_money_format(int64_t fen, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
