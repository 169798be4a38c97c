/*
 * policy_model.h: the in-memory policy, as policy.c builds it, and the comparison compare.c fills.
 *
 * Private to the library. A policy lives in one arena and keeps the position of every element that a
 * later check (level names against a questionnaire) may have to point at. Level names stay names:
 * they are resolved against the questionnaire when a comparison is made, so one policy file can be
 * loaded before its questionnaire.
 */
#ifndef DL_POLICY_MODEL_H
#define DL_POLICY_MODEL_H

#include "arena.h"
#include "decimal.h"
#include "diag.h"
#include "digilevel/policy.h"
#include "model.h"
#include "text_both.h"

/* One <include> or <exclude> line of <eligible>, kept so the checker can report it in place. */
typedef struct dl__eligible_entry {
	const char *category;
	bool include;
	dl__pos pos;
} dl__eligible_entry;

typedef struct dl__category {
	const char *id, *title;
	bool decided, eligible;
	const char *reason; /* why excluded; "" when eligible */
	dl__pos pos;
} dl__category;

/* An amount that depends on the level reached: a level cap or a bonus. */
typedef struct dl__level_amount {
	const char *level; /* as written */
	int64_t fen;
	dl__pos pos;
} dl__level_amount;

typedef struct dl__policy_phase {
	const char *id, *title;
	const char *from, *to; /* window, inclusive; "" = open */
	bool first_attempt;
	const char *otherwise_id; /* "" = no subsidy when only the first-attempt condition fails */
	size_t otherwise;         /* index of that phase, or DL_NONE */
	const char *note;         /* text of <first-attempt>, "" when none */
	int64_t rate;             /* 1/10000 percent */
	bool has_cap;
	int64_t cap; /* fen, the cap for any level */
	size_t plain_caps; /* how many <cap> without a level (more than one is an error) */
	dl__pos second_cap_pos;
	dl__level_amount *level_caps;
	size_t level_cap_count;
	dl__level_amount *bonuses;
	size_t bonus_count;
	dl__pos pos, window_pos, first_attempt_pos, rate_pos, cap_pos;
} dl__policy_phase;

/* What a finding of the acceptance package leads to. */
typedef enum dl__consequence {
	DL__LEADS_FAIL = 0,    /* 不通过 */
	DL__LEADS_RECTIFY = 1, /* 限期整改 */
	DL__LEADS_REDUCE = 2   /* (finance only) count only what is evidenced */
} dl__consequence;

typedef struct dl__required_material {
	const char *id, *title;
	dl__consequence missing;
	dl__pos pos;
} dl__required_material;

struct dl_policy {
	dl__arena arena;
	const char *path, *id, *version, *title, *issuer, *document, *issued, *source;
	const char *questionnaire_id, *questionnaire_version;
	dl__pos pos, questionnaire_pos;
	const char *min_level;
	dl__pos min_level_pos;
	int improvement; /* -1 = not required */
	dl__category *categories;
	size_t category_count;
	dl__eligible_entry *entries;
	size_t entry_count;
	const char *other_reason; /* for categories the policy does not list */
	dl_date_basis basis;
	dl__policy_phase *phases;
	size_t phase_count;
	int64_t rounding_unit; /* fen */
	dl_rounding rounding;
	dl__pos rounding_pos;

	/* the acceptance package (all optional) */
	const char *prior_level, *prior_note; /* "" when no pre-condition */
	dl__pos prior_pos;
	bool has_contract_window;
	const char *signed_from, *signed_to, *signed_note; /* "" = open */
	dl__pos contract_pos;
	dl__required_material *materials;
	size_t material_count;
	bool has_materials;
	bool has_finance, tax_exclusive;
	dl__consequence shortfall;
	dl__pos finance_pos;
	bool has_onsite;
	dl__consequence not_real, not_running, not_in_use;
	dl__pos onsite_pos;
	int rectify_days; /* 0 when the policy has no <rectification> */
	const char *rectify_note;
	dl__pos rectify_pos;
	bool has_ceiling;
	int64_t ceiling_rate; /* 1/10000 percent */
	const char *ceiling_note;
	dl__pos ceiling_pos;
};

/** Index of the category with this id, or DL_NONE. */
size_t dl__policy_category_find(const dl_policy *p, const char *id);

/** Check what the schema cannot (see dl_policy_load): every problem to d. Returns 0 or DL_EINVALID. */
int dl__policy_check_meaning(const dl_policy *p, dl__diag *d);

/** The value of the level named name in q, or -1 when q has no such level. */
int dl__level_value(const dl_questionnaire *q, const char *name);

/* min level, improvement, prior level, contract date, materials, finance, on-site */
#define DL__REASONS_MAX 7

typedef struct dl__reason {
	dl_reason_kind kind;
	bool met;
	dl_outcome leads; /* when not met: DL_OUTCOME_FAIL or DL_OUTCOME_RECTIFY */
	int actual, required;
	dl__text text;
} dl__reason;

/* One line of the materials checklist: a policy's required item, or one the sheet lists besides. */
typedef struct dl__material_row {
	const char *id, *title, *status; /* status as the sheet writes it; "" when not listed */
	const char *reference, *verified_by, *verified_on;
	bool required;
	dl_outcome outcome;
	dl__text finding; /* "" when fine */
} dl__material_row;

/* The financial check of one investment item (amounts in fen; -1 = not known). */
typedef struct dl__finance_row {
	int64_t declared, net, invoiced, paid, counted;
	size_t invoices, payments;
	dl_outcome outcome;
	dl__text finding;
} dl__finance_row;

/* The on-site check of one investment item (index into the sheet's <onsite> checks, or DL_NONE). */
typedef struct dl__onsite_row {
	size_t item, check;
	dl_outcome outcome;
	dl__text finding;
} dl__onsite_row;

/* A finding that fails acceptance or must be rectified. */
typedef struct dl__finding {
	dl_reason_kind kind;
	dl_outcome outcome; /* DL_OUTCOME_FAIL or DL_OUTCOME_RECTIFY */
	dl__text text;
} dl__finding;

typedef struct dl__subsidy_step {
	dl_subsidy_step_kind kind;
	int64_t amount; /* fen, after the step */
	dl__text text;
} dl__subsidy_step;

/* phase of the before, phase of the after, dates out of order, name, industry, scale */
#define DL__COMPARE_WARNINGS_MAX 6

struct dl_comparison {
	dl__arena arena;
	const dl_questionnaire *q;
	const dl_sheet *before, *after;
	const dl_policy *policy;
	dl_result *rb, *ra; /* owned */

	/* warnings about the sheets (compare.c), as they went to the diag callback */
	dl_error warnings[DL__COMPARE_WARNINGS_MAX];
	size_t warning_count;

	/* acceptance */
	bool passed; /* verdict == DL_VERDICT_PASS */
	dl_verdict verdict;
	dl__reason reasons[DL__REASONS_MAX];
	size_t reason_count;

	/* the acceptance package (acceptance_package.c) */
	bool materials_recorded, finance_recorded, onsite_recorded;
	dl__material_row *materials;
	size_t material_count;
	dl__finance_row *finance; /* per after-sheet item */
	dl__onsite_row *onsite;   /* per after-sheet item */
	int64_t invoiced_total, paid_total, funds_total;
	dl__text reconciliation[4]; /* totals against the contract and the items */
	size_t reconciliation_count;
	dl__finding *findings;
	size_t finding_count, finding_cap;
	const char *deadline;    /* YYYY-MM-DD, "" when no rectification */
	dl__text reinspection;    /* the path after 不通过 or 限期整改; "" when passed */
	dl__text later;           /* what a later pass changes; "" when passed */
	size_t later_phase;       /* the phase a later pass falls in, or DL_NONE */

	/* investment: per after-sheet item */
	int64_t investment, eligible;
	dl__text *item_reason;    /* "" for an eligible item */
	size_t *excluded;         /* indices of excluded items */
	size_t excluded_count;

	/* phase */
	size_t phase;
	dl__text phase_reason;
	bool *phase_matched;      /* per policy phase */
	dl__text *phase_basis;    /* per policy phase */

	/* subsidy */
	bool granted;
	dl__text no_subsidy_reason;
	int64_t rate;
	dl__i128 product;     /* rate × eligible, exact, units of 1/DL_RATE_SCALE fen */
	int64_t rounded;      /* product rounded */
	bool has_cap;
	int64_t cap;
	const char *cap_level; /* level cap that applied, "" for the plain cap */
	bool cap_binding;
	int64_t capped;
	int64_t bonus;
	const char *bonus_level; /* "" when no bonus */
	int64_t subsidy;
	bool has_ceiling;
	int64_t ceiling; /* the most the combined ceiling leaves for this subsidy, fen */
	dl__subsidy_step steps[4];
	size_t step_count;
};

/**
 * Decide acceptance, eligible investment, phase and subsidy for c (results already scored) by
 * c->policy; warnings go to d's callback. Returns 0 or DL_ENOMEM.
 */
int dl__subsidy_decide(dl_comparison *c, dl__diag *d);

/**
 * The acceptance package of c by c->policy: the rows of the materials, finance and on-site checks,
 * their reasons and findings, and each item's counted amount (c->finance[i].counted). Call after
 * the level reasons and before the investment is summed. Returns 0 or DL_ENOMEM.
 */
int dl__package_decide(dl_comparison *c);

/** Add a finding (text in c's arena); only DL_OUTCOME_FAIL and RECTIFY are kept. 0 or DL_ENOMEM. */
int dl__finding_add(dl_comparison *c, dl_reason_kind kind, dl_outcome outcome, dl__text text);

/**
 * msgid in language lang (text_both.h) formatted into c's arena; on no memory "" and *oom set.
 * The texts of a comparison are kept in both languages: a caller loops over them.
 */
const char *dl__keep(dl_comparison *c, bool *oom, int lang, const char *msgid, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/** Pass a warning (code DL_OK, "warning: " prefixed) to d's callback without touching d->err. */
void dl__diag_warn(dl__diag *d, unsigned long line, unsigned long column, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/** dl_phase_title as a msgid ("diagnosis (before the retrofit)"): translate it. */
const char *dl__phase_msgid(dl_phase phase);

/** Name of the date a policy places phases by ("申请验收日期", ...), a msgid (translate it). */
const char *dl__date_basis_title(dl_date_basis basis);

/*
 * The comparison's texts in Chinese, whatever the language of messages, for the documents (验收意见,
 * the batch rows and archive): as the public accessors of the same name without _zh, which give the
 * language of messages.
 */
const char *dl__comparison_reason_text_zh(const dl_comparison *c, size_t i);
const char *dl__comparison_excluded_reason_zh(const dl_comparison *c, size_t i);
const char *dl__comparison_phase_reason_zh(const dl_comparison *c);
const char *dl__comparison_phase_basis_zh(const dl_comparison *c, size_t i);
const char *dl__comparison_no_subsidy_reason_zh(const dl_comparison *c);
const char *dl__comparison_step_text_zh(const dl_comparison *c, size_t i);
const char *dl__comparison_finding_text_zh(const dl_comparison *c, size_t i);
const char *dl__comparison_finance_finding_zh(const dl_comparison *c, size_t item);
const char *dl__comparison_onsite_finding_zh(const dl_comparison *c, size_t item);
const char *dl__comparison_reconciliation_zh(const dl_comparison *c, size_t i);
const char *dl__comparison_material_field_zh(const dl_comparison *c, size_t i, dl_material_field f);
const char *dl__comparison_reinspection_zh(const dl_comparison *c);
const char *dl__comparison_later_pass_zh(const dl_comparison *c);

#endif
