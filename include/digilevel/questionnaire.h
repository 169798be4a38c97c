/*
 * digilevel/questionnaire.h: loading an edition of the indicator system from XML and reading it.
 *
 * A questionnaire is loaded once, validated against questionnaires/questionnaire.xsd and then checked
 * for meaning (points add up, bands leave no gaps, the level rule is consistent). After loading it is
 * immutable, so any number of threads may score sheets against it at the same time.
 *
 * Everything in it is addressed by index. The scored part is a tree of nodes in document order
 * (preorder): dimensions, their indicators, their sub-indicators and their questions. Questions,
 * options, figures, scenarios and levels have their own index ranges as well.
 */
#ifndef DIGILEVEL_QUESTIONNAIRE_H
#define DIGILEVEL_QUESTIONNAIRE_H

#include "common.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dl_questionnaire dl_questionnaire;

/** Returned by index lookups that find nothing, and as the parent of a dimension. */
#define DL_NONE ((size_t)-1)

/**
 * Load and check a questionnaire file. Every problem is passed to opts->diag (if set); the first is
 * stored in err (may be NULL). Returns 0, DL_EINVALID, DL_EIO, DL_ENOMEM or DL_ELIMIT.
 * On success, caller owns the result; free with dl_questionnaire_free().
 */
DL_EXTERN int dl_questionnaire_load(dl_questionnaire **out, const char *path,
				    const dl_load_options *opts, dl_error *err);

/** As dl_questionnaire_load, from memory; name is used in diagnostics. data need not be NUL-terminated. */
DL_EXTERN int dl_questionnaire_load_memory(dl_questionnaire **out, const char *data, size_t len,
					   const char *name, const dl_load_options *opts,
					   dl_error *err);

/**
 * Find the questionnaire with this id and version among the *.xml files in dir (files whose root
 * element is not <questionnaire> are skipped) and load it. Returns DL_ENOTFOUND with a message listing
 * what the directory holds when there is none. Caller owns the result; free with dl_questionnaire_free().
 */
DL_EXTERN int dl_questionnaire_find(dl_questionnaire **out, const char *dir, const char *id,
				    const char *version, const dl_load_options *opts, dl_error *err);

/** Free a questionnaire. Accepts NULL. */
DL_EXTERN void dl_questionnaire_free(dl_questionnaire *q);

/* Identity. Borrowed: valid until dl_questionnaire_free(). Optional texts are "" when absent. */
DL_EXTERN const char *dl_questionnaire_id(const dl_questionnaire *q);
DL_EXTERN const char *dl_questionnaire_version(const dl_questionnaire *q);
DL_EXTERN const char *dl_questionnaire_title(const dl_questionnaire *q);
DL_EXTERN const char *dl_questionnaire_issuer(const dl_questionnaire *q);
DL_EXTERN const char *dl_questionnaire_document(const dl_questionnaire *q);
DL_EXTERN const char *dl_questionnaire_issued(const dl_questionnaire *q);
DL_EXTERN const char *dl_questionnaire_path(const dl_questionnaire *q);
/**
 * The SHA-256 of the questionnaire file's bytes as loaded, as 64 lowercase hex digits: with
 * dl_questionnaire_path() it names exactly which questionnaire a result was computed with.
 * Borrowed: valid until dl_questionnaire_free().
 */
DL_EXTERN const char *dl_questionnaire_digest(const dl_questionnaire *q);
/** Total points of the scored part. */
DL_EXTERN dl_points dl_questionnaire_points(const dl_questionnaire *q);

/* Notes: definitions shown to users. Borrowed: valid until dl_questionnaire_free(). */
DL_EXTERN size_t dl_questionnaire_note_count(const dl_questionnaire *q);
DL_EXTERN const char *dl_questionnaire_note_id(const dl_questionnaire *q, size_t i);
DL_EXTERN const char *dl_questionnaire_note_title(const dl_questionnaire *q, size_t i);
DL_EXTERN const char *dl_questionnaire_note_text(const dl_questionnaire *q, size_t i);

/* Figures: named raw numbers an enterprise enters. Borrowed: valid until dl_questionnaire_free(). */
DL_EXTERN size_t dl_questionnaire_figure_count(const dl_questionnaire *q);
DL_EXTERN const char *dl_questionnaire_figure_id(const dl_questionnaire *q, size_t i);
DL_EXTERN const char *dl_questionnaire_figure_label(const dl_questionnaire *q, size_t i);
DL_EXTERN const char *dl_questionnaire_figure_unit(const dl_questionnaire *q, size_t i);
DL_EXTERN bool dl_questionnaire_figure_is_integer(const dl_questionnaire *q, size_t i);
/** Index of the figure with this id, or DL_NONE. */
DL_EXTERN size_t dl_questionnaire_figure_find(const dl_questionnaire *q, const char *id);

/** Kinds of node in the scored tree. */
typedef enum dl_node_kind {
	DL_NODE_DIMENSION = 0,
	DL_NODE_INDICATOR = 1,
	DL_NODE_SUBINDICATOR = 2,
	DL_NODE_QUESTION = 3
} dl_node_kind;

/* The scored tree, in document order. Borrowed strings: valid until dl_questionnaire_free(). */
DL_EXTERN size_t dl_questionnaire_node_count(const dl_questionnaire *q);
DL_EXTERN dl_node_kind dl_questionnaire_node_kind(const dl_questionnaire *q, size_t node);
DL_EXTERN const char *dl_questionnaire_node_id(const dl_questionnaire *q, size_t node);
/** Title of a node; for a question, its text. */
DL_EXTERN const char *dl_questionnaire_node_title(const dl_questionnaire *q, size_t node);
DL_EXTERN dl_points dl_questionnaire_node_points(const dl_questionnaire *q, size_t node);
/** Parent node index, or DL_NONE for a dimension. */
DL_EXTERN size_t dl_questionnaire_node_parent(const dl_questionnaire *q, size_t node);
/** For a question node, its question index; otherwise DL_NONE. */
DL_EXTERN size_t dl_questionnaire_node_question(const dl_questionnaire *q, size_t node);

/** How a question is answered and scored. */
typedef enum dl_question_type {
	DL_QUESTION_SINGLE = 0, /**< one option */
	DL_QUESTION_MULTI = 1   /**< any options, each adds its points; an exclusive option stands alone */
} dl_question_type;

/** How a question's option can follow from numbers. */
typedef enum dl_question_input {
	DL_INPUT_CHOICE = 0, /**< options are picked by hand only */
	DL_INPUT_VALUE = 1,  /**< a value (given, or a ratio of figures) picks the option whose band holds it */
	DL_INPUT_TREND = 2   /**< the change between two ratios of figures picks the up/flat/down option */
} dl_question_input;

/** Direction of a trend option. */
typedef enum dl_trend { DL_TREND_NONE = 0, DL_TREND_UP, DL_TREND_FLAT, DL_TREND_DOWN } dl_trend;

/* Questions. Borrowed strings: valid until dl_questionnaire_free(). */
DL_EXTERN size_t dl_questionnaire_question_count(const dl_questionnaire *q);
DL_EXTERN size_t dl_questionnaire_question_find(const dl_questionnaire *q, const char *id);
/** The node index of question qi. */
DL_EXTERN size_t dl_questionnaire_question_node(const dl_questionnaire *q, size_t qi);
DL_EXTERN const char *dl_questionnaire_question_id(const dl_questionnaire *q, size_t qi);
DL_EXTERN const char *dl_questionnaire_question_text(const dl_questionnaire *q, size_t qi);
DL_EXTERN dl_points dl_questionnaire_question_points(const dl_questionnaire *q, size_t qi);
DL_EXTERN dl_question_type dl_questionnaire_question_type(const dl_questionnaire *q, size_t qi);
DL_EXTERN dl_question_input dl_questionnaire_question_input(const dl_questionnaire *q, size_t qi);
/**
 * Whether question qi is an outcome (outcome="true" in the file): something the enterprise can only
 * measure, such as a trend or a ratio to its revenue, not deliver. Plans never propose it as a step.
 */
DL_EXTERN bool dl_questionnaire_question_is_outcome(const dl_questionnaire *q, size_t qi);
DL_EXTERN size_t dl_questionnaire_question_definition_count(const dl_questionnaire *q, size_t qi);
DL_EXTERN const char *dl_questionnaire_question_definition(const dl_questionnaire *q, size_t qi,
							   size_t i);
/** Figures listed as the question's fill-in fields (figure indices). */
DL_EXTERN size_t dl_questionnaire_question_field_count(const dl_questionnaire *q, size_t qi);
DL_EXTERN size_t dl_questionnaire_question_field(const dl_questionnaire *q, size_t qi, size_t i);
/**
 * Describe how a value or trend question derives its input, as text for people, e.g.
 * "devices_digital / devices_total × 100" or "change of energy_y1 / revenue_y1 against
 * energy_y0 / revenue_y0, tolerance ±1%". Borrowed: valid until dl_questionnaire_free(). "" for
 * choice questions and value questions without a ratio.
 */
DL_EXTERN const char *dl_questionnaire_question_derivation(const dl_questionnaire *q, size_t qi);
/** Unit and range of a value question; "" and 0 otherwise. */
DL_EXTERN const char *dl_questionnaire_question_unit(const dl_questionnaire *q, size_t qi);

/* Options of question qi, in document order. Borrowed strings: valid until dl_questionnaire_free(). */
DL_EXTERN size_t dl_questionnaire_option_count(const dl_questionnaire *q, size_t qi);
DL_EXTERN size_t dl_questionnaire_option_find(const dl_questionnaire *q, size_t qi, const char *id);
DL_EXTERN const char *dl_questionnaire_option_id(const dl_questionnaire *q, size_t qi, size_t oi);
DL_EXTERN const char *dl_questionnaire_option_text(const dl_questionnaire *q, size_t qi, size_t oi);
DL_EXTERN dl_points dl_questionnaire_option_points(const dl_questionnaire *q, size_t qi, size_t oi);
DL_EXTERN bool dl_questionnaire_option_is_exclusive(const dl_questionnaire *q, size_t qi, size_t oi);
/** The option's band in interval notation as written ("(10,20]"), or "" when it has none. */
DL_EXTERN const char *dl_questionnaire_option_band(const dl_questionnaire *q, size_t qi, size_t oi);
DL_EXTERN dl_trend dl_questionnaire_option_trend(const dl_questionnaire *q, size_t qi, size_t oi);

/*
 * Hints the questionnaire gives on question qi (<hint>, docs/scoring.md "Hints"): advice for the
 * person filling the sheet, never part of a score. Borrowed strings: valid until
 * dl_questionnaire_free(). dl_result_hint_shown (score.h) says whether one applies to a result.
 */
DL_EXTERN size_t dl_questionnaire_hint_count(const dl_questionnaire *q, size_t qi);
DL_EXTERN const char *dl_questionnaire_hint_text(const dl_questionnaire *q, size_t qi, size_t i);
/**
 * The option hint i is about (shown when it is chosen, unless every option of its unless-chosen
 * list is chosen too), or DL_NONE for a hint about the question (shown when it is unanswered).
 */
DL_EXTERN size_t dl_questionnaire_hint_option(const dl_questionnaire *q, size_t qi, size_t i);

/* Business scenarios (数字化经营). Borrowed strings: valid until dl_questionnaire_free(). */
DL_EXTERN const char *dl_questionnaire_scenarios_title(const dl_questionnaire *q);
/** Highest scenario level (4 in the 2024 edition); 0 when the edition has no scenarios. */
DL_EXTERN int dl_questionnaire_scenario_max_level(const dl_questionnaire *q);
DL_EXTERN size_t dl_questionnaire_group_count(const dl_questionnaire *q);
DL_EXTERN const char *dl_questionnaire_group_id(const dl_questionnaire *q, size_t gi);
DL_EXTERN const char *dl_questionnaire_group_title(const dl_questionnaire *q, size_t gi);
DL_EXTERN size_t dl_questionnaire_scenario_count(const dl_questionnaire *q);
DL_EXTERN size_t dl_questionnaire_scenario_find(const dl_questionnaire *q, const char *id);
DL_EXTERN const char *dl_questionnaire_scenario_id(const dl_questionnaire *q, size_t si);
DL_EXTERN const char *dl_questionnaire_scenario_title(const dl_questionnaire *q, size_t si);
/** The question put to the enterprise for this scenario, or "". */
DL_EXTERN const char *dl_questionnaire_scenario_text(const dl_questionnaire *q, size_t si);
DL_EXTERN size_t dl_questionnaire_scenario_group(const dl_questionnaire *q, size_t si);
DL_EXTERN bool dl_questionnaire_scenario_is_constraint(const dl_questionnaire *q, size_t si);
/** What level 1..max of scenario si means; "" for level 0 or out of range. */
DL_EXTERN const char *dl_questionnaire_scenario_level_text(const dl_questionnaire *q, size_t si,
							   int level);
DL_EXTERN size_t dl_questionnaire_constraint_scenario_count(const dl_questionnaire *q);

/* Levels and the level rule. Borrowed strings: valid until dl_questionnaire_free(). */
/** Declared levels, lowest first. */
DL_EXTERN size_t dl_questionnaire_level_count(const dl_questionnaire *q);
DL_EXTERN int dl_questionnaire_level_value(const dl_questionnaire *q, size_t li);
DL_EXTERN const char *dl_questionnaire_level_name_at(const dl_questionnaire *q, size_t li);
DL_EXTERN const char *dl_questionnaire_level_description_at(const dl_questionnaire *q, size_t li);
/** Name of the level with this value ("二级"), or "" when none is declared. */
DL_EXTERN const char *dl_questionnaire_level_name(const dl_questionnaire *q, int level);
/** The level given when no grade holds. */
DL_EXTERN int dl_questionnaire_fallback_level(const dl_questionnaire *q);

/** Grades of the rule, highest level first. */
DL_EXTERN size_t dl_questionnaire_grade_count(const dl_questionnaire *q);
DL_EXTERN int dl_questionnaire_grade_level(const dl_questionnaire *q, size_t gi);
DL_EXTERN dl_points dl_questionnaire_grade_min_score(const dl_questionnaire *q, size_t gi);
/** Whether the grade has a scenario gate; if not, it is score-only and the next three return 0. */
DL_EXTERN bool dl_questionnaire_grade_has_gate(const dl_questionnaire *q, size_t gi);
DL_EXTERN int dl_questionnaire_grade_gate_level(const dl_questionnaire *q, size_t gi);
DL_EXTERN size_t dl_questionnaire_grade_gate_count(const dl_questionnaire *q, size_t gi);
DL_EXTERN size_t dl_questionnaire_grade_gate_constraint(const dl_questionnaire *q, size_t gi);
/** Index of the grade for this level, or DL_NONE. */
DL_EXTERN size_t dl_questionnaire_grade_find(const dl_questionnaire *q, int level);

/**
 * Write the whole questionnaire (docs/json.md) as JSON, or as text for people: every question with
 * its options, ids, texts, points, exclusive flags and bands; every scenario with its constraint
 * flag and level texts; the level rule. Returns 0, DL_EIO (write failed) or DL_ENOMEM (no memory
 * for a long text).
 */
DL_EXTERN int dl_questionnaire_write_json(const dl_questionnaire *q, dl_write_fn write,
					  void *userdata);
DL_EXTERN int dl_questionnaire_write_text(const dl_questionnaire *q, dl_write_fn write,
					  void *userdata);

/**
 * Write a blank answer sheet for q, with every question's options, definitions and figure fields
 * and every scenario's level texts as XML comments beside the place to answer. phase is
 * "diagnosis", "evaluation" or "self-check". Returns 0, DL_EINVALID (unknown phase), DL_EIO (write
 * failed) or DL_ENOMEM (no memory for a long text).
 */
DL_EXTERN int dl_questionnaire_write_template(const dl_questionnaire *q, const char *phase,
					      dl_write_fn write, void *userdata);

#ifdef __cplusplus
}
#endif

#endif
