/*
 * digilevel/catalogue.h: the solution catalogue, typical "小快轻准" retrofit solution types as data.
 *
 * A catalogue file (questionnaires/solutions-2024.xml, checked against questionnaires/catalogue.xsd;
 * docs/catalogue.md) names the questionnaire edition it is written for and lists solution types:
 * what each is, which question options and scenario levels it lifts, a typical cost range (exact,
 * in fen) and delivery time (weeks), the investment category it is declared under, whether it is
 * usually subsidy-eligible, its sources and their confidence, and which providers offer it. Every
 * cost and duration in it is indicative: reports print them as 参考区间（估算）.
 *
 * The planner uses a catalogue to prefer the cheapest of equally short plans (dl_plan_make_with),
 * and the recommended retrofit (digilevel/retrofit.h) chooses solutions from it. A loaded catalogue
 * is immutable: any number of threads may read it at once.
 */
#ifndef DIGILEVEL_CATALOGUE_H
#define DIGILEVEL_CATALOGUE_H

#include "common.h"
#include "questionnaire.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dl_catalogue dl_catalogue;

/** Whether a solution type is usually counted as subsidisable investment (the policy decides). */
typedef enum dl_subsidy_eligibility {
	DL_SUBSIDY_ELIGIBLE = 0,  /**< usually eligible (software, cloud, data-collection hardware) */
	DL_SUBSIDY_DEPENDS = 1,   /**< depends on the city's rules (assessment fees, cabling) */
	DL_SUBSIDY_INELIGIBLE = 2 /**< usually not eligible (equipment, consulting, training) */
} dl_subsidy_eligibility;

/**
 * Load a catalogue file and check it against the catalogue schema, then its own consistency
 * (unique ids, low not above high, providers and sources referenced are declared). Every problem
 * goes to opts->diag as file:line:column; the first is stored in err (may be NULL).
 * Returns 0, DL_EINVALID, DL_EIO, DL_ENOTFOUND, DL_ENOMEM or DL_ELIMIT.
 * On success, caller owns the result; free with dl_catalogue_free().
 */
DL_EXTERN int dl_catalogue_load(dl_catalogue **out, const char *path, const dl_load_options *opts,
				dl_error *err);

/** As dl_catalogue_load, from memory; name is used in diagnostics. */
DL_EXTERN int dl_catalogue_load_memory(dl_catalogue **out, const char *data, size_t len,
				       const char *name, const dl_load_options *opts,
				       dl_error *err);

/**
 * Check the catalogue against questionnaire q: q is the edition it is written for, and every
 * question, option and scenario it names exists (a scenario level within q's levels). Outcome
 * questions (dl_questionnaire_question_is_outcome) cannot be lifted. Every problem goes to
 * opts->diag at its place in the catalogue file; the first is stored in err.
 * Returns 0, DL_EMISMATCH (another edition) or DL_EINVALID.
 */
DL_EXTERN int dl_catalogue_check(const dl_catalogue *c, const dl_questionnaire *q,
				 const dl_load_options *opts, dl_error *err);

/**
 * Find the catalogue for q next to its file: the first *.xml, by file name, in the directory of
 * dl_questionnaire_path(q) whose root is <solution-catalogue> and whose <questionnaire> names q's
 * id and version; load it and check it against q (dl_catalogue_check). Returns 0, DL_ENOTFOUND
 * (none there: not an error for callers that can do without one), or the code of the load or
 * check of the file found. On success, caller owns the result; free with dl_catalogue_free().
 */
DL_EXTERN int dl_catalogue_find(dl_catalogue **out, const dl_questionnaire *q,
				const dl_load_options *opts, dl_error *err);

/** Free a catalogue. Accepts NULL. */
DL_EXTERN void dl_catalogue_free(dl_catalogue *c);

/* Identity. Borrowed: valid until dl_catalogue_free(). The note is "" when absent. */
DL_EXTERN const char *dl_catalogue_path(const dl_catalogue *c);
DL_EXTERN const char *dl_catalogue_id(const dl_catalogue *c);
DL_EXTERN const char *dl_catalogue_version(const dl_catalogue *c);
DL_EXTERN const char *dl_catalogue_title(const dl_catalogue *c);
DL_EXTERN const char *dl_catalogue_note(const dl_catalogue *c);
/** The questionnaire edition the catalogue is written for. */
DL_EXTERN const char *dl_catalogue_questionnaire_id(const dl_catalogue *c);
DL_EXTERN const char *dl_catalogue_questionnaire_version(const dl_catalogue *c);

/* Sources of the figures. Borrowed: valid until dl_catalogue_free(). */
DL_EXTERN size_t dl_catalogue_source_count(const dl_catalogue *c);
DL_EXTERN const char *dl_catalogue_source_id(const dl_catalogue *c, size_t i);
DL_EXTERN const char *dl_catalogue_source_title(const dl_catalogue *c, size_t i);
/** The source's address, "" when it has none (a document not online). */
DL_EXTERN const char *dl_catalogue_source_url(const dl_catalogue *c, size_t i);
/** "H" (official text), "M" (one good secondary source) or "L" (inferred or commercial page). */
DL_EXTERN const char *dl_catalogue_source_confidence(const dl_catalogue *c, size_t i);

/* Providers (the 供需适配库). Borrowed: valid until dl_catalogue_free(). */
DL_EXTERN size_t dl_catalogue_provider_count(const dl_catalogue *c);
DL_EXTERN const char *dl_catalogue_provider_id(const dl_catalogue *c, size_t i);
DL_EXTERN const char *dl_catalogue_provider_name(const dl_catalogue *c, size_t i);
/** "integrator", "product", "chain-leader", "platform", "telecom" or "security". */
DL_EXTERN const char *dl_catalogue_provider_kind(const dl_catalogue *c, size_t i);

/* Solutions, in file order. Borrowed strings: valid until dl_catalogue_free(). */
DL_EXTERN size_t dl_catalogue_solution_count(const dl_catalogue *c);
/** The index of the solution with this id, or DL_NONE. */
DL_EXTERN size_t dl_catalogue_solution_find(const dl_catalogue *c, const char *id);
DL_EXTERN const char *dl_catalogue_solution_id(const dl_catalogue *c, size_t i);
DL_EXTERN const char *dl_catalogue_solution_name(const dl_catalogue *c, size_t i);
DL_EXTERN const char *dl_catalogue_solution_description(const dl_catalogue *c, size_t i);
/** The investment category it is declared under (the policy files' category ids: "software"). */
DL_EXTERN const char *dl_catalogue_solution_category(const dl_catalogue *c, size_t i);
DL_EXTERN dl_subsidy_eligibility dl_catalogue_solution_subsidy(const dl_catalogue *c, size_t i);
/** "H", "M" or "L": the confidence of its figures. */
DL_EXTERN const char *dl_catalogue_solution_confidence(const dl_catalogue *c, size_t i);
/** The ids of its sources, separated by single spaces ("S20 seed"). */
DL_EXTERN const char *dl_catalogue_solution_sources(const dl_catalogue *c, size_t i);
/** Typical cost range in fen (1/100 yuan), exact; low <= high. */
DL_EXTERN int64_t dl_catalogue_solution_cost_low(const dl_catalogue *c, size_t i);
DL_EXTERN int64_t dl_catalogue_solution_cost_high(const dl_catalogue *c, size_t i);
/** Typical delivery time, in weeks from contract to in use; low <= high. */
DL_EXTERN int dl_catalogue_solution_weeks_low(const dl_catalogue *c, size_t i);
DL_EXTERN int dl_catalogue_solution_weeks_high(const dl_catalogue *c, size_t i);
/** Whether solution i lifts option option_id of question question_id. */
DL_EXTERN bool dl_catalogue_solution_lifts_option(const dl_catalogue *c, size_t i,
						  const char *question_id, const char *option_id);
/** The highest level solution i supports scenario scenario_id at by itself, or -1. */
DL_EXTERN int dl_catalogue_solution_lifts_scenario(const dl_catalogue *c, size_t i,
						   const char *scenario_id);
/** The providers offering solution i: indices for dl_catalogue_provider_*. */
DL_EXTERN size_t dl_catalogue_solution_provider_count(const dl_catalogue *c, size_t i);
DL_EXTERN size_t dl_catalogue_solution_provider(const dl_catalogue *c, size_t i, size_t k);

/**
 * Format fen as 万元 with no trailing zeros ("12.5", "0.8", "1790", "-3.25") into buf, always
 * NUL-terminated; exact (up to 6 decimals). buf should hold at least 32 bytes. Returns buf.
 */
DL_EXTERN char *dl_wan_format(int64_t fen, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
