/*
 * sheet_model.h: the in-memory answer sheet, as sheet.c builds it.
 *
 * Private to the library. Values are kept as the text the sheet holds, with their positions, so
 * that checking against a questionnaire can name the exact place of every problem.
 */
#ifndef DL_SHEET_MODEL_H
#define DL_SHEET_MODEL_H

#include "arena.h"
#include "digilevel/sheet.h"
#include "model.h"

typedef struct dl__annotation {
	const char *note;
	const char **evidence;
	size_t evidence_count;
} dl__annotation;

typedef struct dl__choice {
	const char *option;
	dl__pos pos;
} dl__choice;

typedef struct dl__answer {
	const char *question;
	dl__pos pos;
	dl__choice *choices;
	size_t choice_count;
	const char *value; /* NULL when no <value> */
	dl__pos value_pos;
	dl__annotation notes;
} dl__answer;

typedef struct dl__figure_value {
	const char *id;
	const char *text;
	dl__pos pos;
} dl__figure_value;

typedef struct dl__scenario_answer {
	const char *id;
	const char *level; /* as written; "" when blank */
	dl__pos pos;
	dl__annotation notes;
} dl__scenario_answer;

typedef struct dl__assessor {
	const char *name, *role, *contact, *organisation, *title;
	unsigned duties; /* DL_DUTY_* bits */
} dl__assessor;

typedef struct dl__item {
	const char *category, *text;
	int64_t fen;
	dl__pos pos;
	const char *id;  /* "" when none */
	int64_t net_fen; /* tax-exclusive amount, -1 when not given */
} dl__item;

/* The acceptance package of <retrofit> (all optional): invoices, payments, other public money,
 * the materials checklist and the on-site checks. */
typedef struct dl__finance_doc {
	bool invoice; /* false: a payment proof */
	const char *item, *number, *date; /* number: invoice number or payment reference */
	int64_t fen, net_fen;             /* net_fen -1 when not given (payments: always) */
	dl__pos pos;
} dl__finance_doc;

typedef struct dl__fund {
	const char *source, *text;
	int64_t fen;
	dl__pos pos;
} dl__fund;

typedef struct dl__material {
	const char *id, *title, *status, *reference, *verified_by, *verified_on;
	dl__pos pos;
} dl__material;

typedef struct dl__onsite_check {
	const char *item, *note;
	bool real, running, in_use;
	dl__pos pos;
} dl__onsite_check;

#define DL__ENTERPRISE_FIELDS 7

/** What joins the tags of a sheet in one CSV cell; no tag may hold it, so the cell splits back exactly. */
#define DL__TAG_SEPARATOR ';'

/** Largest <employees> read (8 digits, far above any enterprise); more is refused as a typo. */
#define DL__EMPLOYEES_MAX 99999999

/*
 * How many <figure>, <answer>, <choose> (per answer) and <scenario> elements a sheet may hold. The
 * schema leaves these counts unbounded because a bounded maxOccurs makes libxml2 validate with a
 * counting automaton, 6% of a sheet's load (docs/performance.md); the builder refuses more
 * (dl__build_count). Each is far above what any questionnaire asks (MIIT 2024: 11 figures, 39
 * questions, 16 scenarios).
 */
#define DL__SHEET_FIGURES_MAX 200
#define DL__SHEET_ANSWERS_MAX 500
#define DL__SHEET_CHOICES_MAX 64
#define DL__SHEET_SCENARIOS_MAX 500

struct dl_sheet {
	dl__arena arena;
	const char *path;
	unsigned long line_offset; /* lines before the sheet in the stream it was read from */
	const dl__cell_map *cells; /* read from a workbook: the cell of each line (diag.h), else NULL */
	char digest[65];
	const char *questionnaire_id, *questionnaire_version;
	dl__pos pos;
	const char *enterprise[DL__ENTERPRISE_FIELDS];
	dl__pos enterprise_pos[DL__ENTERPRISE_FIELDS];
	dl__pos enterprise_element;
	long employees;
	const char **tags;
	size_t tag_count;
	dl_phase phase;
	const char *date;
	dl__pos assessment_pos;
	const char *organisation;
	dl__assessor *assessors;
	size_t assessor_count;
	dl__figure_value *figures;
	size_t figure_count;
	dl__answer *answers;
	size_t answer_count;
	dl__pos answers_pos, scenarios_pos; /* where missing answers are reported */
	dl__scenario_answer *scenarios;
	size_t scenario_count;
	bool has_retrofit;
	int attempt;
	const char *contract, *provider, *scope, *completed, *applied;
	dl__pos completed_pos, applied_pos, retrofit_pos;
	dl__item *items;
	size_t item_count;
	const char *contract_number, *contract_signed, *satisfaction; /* "" when not given */
	int64_t contract_fen;                                         /* -1 when not given */
	dl__pos contract_pos;
	bool has_finance, has_funds, has_materials, has_onsite;
	dl__finance_doc *finance;
	size_t finance_count;
	dl__fund *funds;
	size_t fund_count;
	dl__material *materials;
	size_t material_count;
	dl__onsite_check *checks;
	size_t check_count;
	struct dl__profile *profile; /* NULL without <profile> (sheet_profile.h) */
	struct dl__retrofit_plan *plan; /* NULL without <retrofit-plan> (sheet_plan.h) */
};

/** Check the acceptance package of <retrofit> (references, ids, dates, net amounts): every problem to d. */
void dl__retrofit_package_check(const dl_sheet *s, dl__diag *d);

/** Load a sheet from data (owned: taken, freed on failure) that starts at line line_offset + 1. */
int dl__sheet_load_chunk(dl_sheet **out, char *data, size_t len, const char *name,
			 unsigned long line_offset, const dl_load_options *opts, dl_error *err);

/** dl_sheet_load_to_check from memory (data copied): a refused sheet is set in *out as well. */
int dl__sheet_load_memory_keeping(dl_sheet **out, const char *data, size_t len, const char *name,
				  const dl_load_options *opts, dl_error *err);

#endif
