/*
 * cohort_model.h: the running figures of a cohort (cohort.c fills them, the writers and the PDF
 * report read them) and the entry that describes one enterprise.
 *
 * Private to the library. Levels are kept by index into the questionnaire's declared levels, lowest
 * first; index nlevels stands for "no sheet" (no sheet before the retrofit, or no evaluation).
 */
#ifndef DL_COHORT_MODEL_H
#define DL_COHORT_MODEL_H

#include "arena.h"
#include "digilevel/cohort.h"
#include "targets_model.h"

/** The label of 细分行业 folded together beyond DL_COHORT_INDUSTRIES_MAX, and of an empty one. */
#define DL__COHORT_OTHER_INDUSTRY "（其他行业）"
#define DL__COHORT_NO_INDUSTRY "（未填写行业）"

typedef struct dl__cohort_industry {
	char *name; /* dl__malloc'ed */
	bool listed;
	size_t enterprises, large, small, evaluated, retrofitted;
	size_t reached_before, reached_after; /* at the retrofitted level or above */
	size_t share_base, share_reached;
	size_t *before, *after; /* per level index, nlevels + 1 entries (the last: no sheet) */
} dl__cohort_industry;

/* One enterprise of the roster: what the pipeline, the funds and the providers are counted from. */
typedef struct dl__roster_row {
	const char *code, *name, *provider; /* in the cohort's roster arena */
	char stage_date[DL_STAGE_COUNT][11]; /* "" when the stage is not reached */
	bool has_before, has_after, has_verdict, passed, has_totals;
	dl_verdict verdict;                 /* when has_verdict; passed is verdict == DL_VERDICT_PASS */
	char deadline[11];                  /* 限期整改: the rectification deadline, or "" */
	int before_level, after_level;
	int rating;                         /* 5 非常满意 … 1 非常不满意, 0 none */
	dl_points before_total, after_total;
	int64_t eligible, subsidy, disbursed; /* fen */
} dl__roster_row;

/* A scenario below the level an enterprise's next grade needs, and how many enterprises. */
typedef struct dl__weak_scenario {
	const char *title; /* in the roster arena */
	size_t enterprises;
} dl__weak_scenario;

struct dl_cohort {
	const dl_targets *t;
	const dl_questionnaire *q;
	const dl_policy *p;
	size_t nlevels;
	int *level_values;        /* per level index, lowest first */
	int retrofitted_level;    /* a level value */
	int share_level;          /* a level value, -1 without a share target */
	int *target_level;        /* per target: the level value its rule needs, -1 for none */
	char as_of[11], latest[11];
	bool as_of_set;

	size_t enterprises, with_before, evaluated, retrofitted, verdicts;
	size_t *achieved;         /* target_count x (deadline_count + 1); the last column: late */
	dl__cohort_industry *industries;
	size_t industry_count, industry_cap;
	size_t unlisted;          /* industries not in the targets' list, "other" excluded */
	size_t *matrix;           /* (nlevels + 1) x (nlevels + 1): [before][after] */
	size_t *levels_before, *levels_after; /* per level index + 1 */

	size_t *phase_count;      /* per policy phase */
	int64_t *phase_eligible, *phase_subsidy;
	size_t passed, passed_no_phase, failed, rectify;
	int64_t no_phase_eligible, failed_eligible, rectify_eligible, eligible_total, subsidy_total;

	dl__arena roster_arena;
	dl__roster_row *roster;
	size_t roster_count, roster_cap;
	dl__weak_scenario *weak;
	size_t weak_count, weak_cap;
	int64_t disbursed_total;   /* payments matched to an enterprise (dl_cohort_check_payments) */
	bool payments_checked;
};

typedef struct dl__strnode {
	const char *s;
	struct dl__strnode *next;
} dl__strnode;

struct dl_cohort_entry {
	dl__arena arena;
	const char *code, *name, *industry, *scale;
	bool has_before, has_after, has_verdict;
	dl_verdict verdict;
	int before_level, after_level;
	const char *before_date, *after_date, *phase_id;
	int64_t eligible, subsidy;
	dl__strnode *tags[2];
	size_t tag_count[2];
	dl__strnode *categories;
	size_t category_count;
	const char *stage_date[DL_STAGE_COUNT]; /* "" when not given */
	const char *provider, *satisfaction;
	bool has_totals;
	dl_points before_total, after_total;
	dl__strnode *weak;
	size_t weak_count;
};

/** Keep the entry in the roster (and its weak scenarios). Returns 0 or DL_ENOMEM, then unchanged. */
int dl__cohort_roster_add(dl_cohort *c, const dl_cohort_entry *e);
void dl__cohort_roster_free(dl_cohort *c);
/** The furthest stage row r reached by date ("" for as of any date), or -1 for none. */
int dl__cohort_row_stage(const dl__roster_row *r, const char *date);

/** A provider's performance (dl__cohort_providers fills an array of them, caller frees it). */
typedef struct dl__provider_figures {
	const char *name;
	size_t enterprises, verdicts, passed, rectify, uplifted, rated;
	dl_points uplift_sum;
	long rating_sum;
} dl__provider_figures;
/** Providers in order of first appearance; *count of them. NULL with count 0 on no memory/none. */
dl__provider_figures *dl__cohort_providers(const dl_cohort *c, size_t *count);
/** sum / n (points) with one decimal, as every average of the dashboard: rounded once, exactly,
 * halves away from zero, into buf; "—" when n is 0. */
const char *dl__cohort_average_points(dl_points sum, size_t n, char *buf, size_t size);
/** The mean rating (1–5) with one decimal, halves up, into buf; "—" when n is 0. */
const char *dl__cohort_average_rating(long sum, size_t n, char *buf, size_t size);
/** The uplift over the roster: the sum of (after − before) totals and the enterprises with both. */
void dl__cohort_uplift(const dl_cohort *c, dl_points *sum, size_t *n);
/** The weak scenarios, most enterprises first (first met on ties), at most max: indexes into
 * c->weak in order[]; returns how many. */
size_t dl__cohort_weak_order(const dl_cohort *c, size_t *order, size_t max);
/** part / whole of money as a percentage with one decimal ("12.3%"), halves away from zero; "—"
 * when whole is not above 0. */
const char *dl__cohort_money_share(int64_t part, int64_t whole, char *buf, size_t size);
/** The verdict of row r in Chinese: 通过, 不通过, 限期整改 (with its deadline when known:
 * "限期整改（2025-07-13 前）"), or "—" without a verdict. */
const char *dl__cohort_verdict_text(const dl__roster_row *r, char *buf, size_t size);
/** The same in language lang (text_both.h): DL_LANGUAGE_ZH for documents, the language of messages
 * (dl_get_language) for what a person reads at the terminal. */
const char *dl__cohort_verdict_text_in(const dl__roster_row *r, int lang, char *buf, size_t size);

/** Index of level value v among the questionnaire's levels, or nlevels when there is none. */
size_t dl__cohort_level_index(const dl_cohort *c, int v);

/** The counting rule of measurable target i in Chinese ("改造完成（…）；规上；…"), into buf. */
void dl__cohort_rule_text(const dl_cohort *c, size_t i, char *buf, size_t size);
/** The same in language lang (see dl__cohort_verdict_text_in). */
void dl__cohort_rule_text_in(const dl_cohort *c, size_t i, int lang, char *buf, size_t size);

/** The date the figures are as of: the one set, else the latest sheet's; "" when neither. */
const char *dl__cohort_as_of(const dl_cohort *c);

/** The retrofitted rule in Chinese ("改造后评测达到二级及以上，且验收通过"). */
const char *dl__cohort_retrofitted_text(const dl_cohort *c, char *buf, size_t size);
/** The same in language lang (see dl__cohort_verdict_text_in). */
const char *dl__cohort_retrofitted_text_in(const dl_cohort *c, int lang, char *buf, size_t size);

/** achieved x 100 / goal as "17.4%" (one decimal, halves up) into buf; "—" when goal is 0. */
const char *dl__cohort_rate(size_t achieved, long goal, char *buf, size_t size);

/** achieved / base as a percentage with one decimal into buf; "—" when base is 0. */
const char *dl__cohort_share(size_t reached, size_t base, char *buf, size_t size);

/** Whether the share target holds for industry k: 1 yes, 0 no, -1 no enterprise of that scale. */
int dl__cohort_share_met(const dl_cohort *c, size_t k);

/** The first day of the period ending on deadline d ("" for the first period). */
const char *dl__cohort_period_start(const dl_cohort *c, size_t d, char *buf, size_t size);

#endif
