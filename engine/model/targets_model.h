/*
 * targets_model.h: the in-memory targets file, as targets.c builds it and the cohort reads it.
 *
 * Private to the library. Everything lives in one arena; every element a later check may point at
 * keeps its position. Level names stay names: they are resolved against the questionnaire when the
 * targets are checked (dl_targets_check) or a cohort is made, so a targets file can be loaded before
 * its questionnaire.
 */
#ifndef DL_TARGETS_MODEL_H
#define DL_TARGETS_MODEL_H

#include "arena.h"
#include "diag.h"
#include "digilevel/targets.h"
#include "model.h"

/*
 * The most deadlines a targets file may have: maxOccurs of <deadline> in policies/targets.xsd, which
 * must say the same (tests/unit/test_targets.c checks). targets.c refuses more, so the cohort report
 * can size its tables by it and show every deadline whose goals count in 总目标.
 */
#define DL__TARGETS_DEADLINES_MAX 10
/* The most bytes of a shortText (a deadline's title): 200 characters of up to 4 bytes. */
#define DL__TARGETS_SHORT_TEXT_BYTES (200 * 4)

typedef struct dl__deadline {
	const char *id, *title, *date;
	dl__pos pos;
} dl__deadline;

typedef struct dl__target_tag {
	const char *name;
	bool is_new;
	dl__pos pos;
} dl__target_tag;

typedef struct dl__target_goal {
	const char *deadline_id; /* as written */
	long value;
	dl__pos pos;
} dl__target_goal;

typedef struct dl__target {
	const char *id, *row, *group, *title, *short_name, *unit;
	bool measurable;
	const char *reason; /* not measurable: why; "" otherwise */
	dl_target_of of;
	const char *scale; /* "" = any */
	const char *level; /* "" = the retrofitted level */
	dl__pos count_pos, level_pos;
	dl__target_tag *tags;
	size_t tag_count;
	const char **categories;
	dl__pos *category_pos;
	size_t category_count;
	dl__target_goal *goals; /* as written, in document order */
	size_t goal_count;
	long *by_deadline;      /* per deadline (index), resolved from goals; 0 when missing */
	long total;
	dl__pos pos, total_pos;
} dl__target;

typedef struct dl__milestone {
	const char *row, *title, *date;
	dl_stage stage;
	long percent;
	dl__pos pos;
} dl__milestone;

typedef struct dl__payment {
	const char *code, *date, *document;
	int64_t fen;
	dl__pos pos;
} dl__payment;

struct dl_targets {
	dl__arena arena;
	const char *path, *id, *version, *title, *issuer, *document, *source;
	const char *questionnaire_id, *questionnaire_version;
	dl__pos pos, questionnaire_pos;
	const char *retrofitted_level;
	dl__pos retrofitted_pos;
	dl__deadline *deadlines;
	size_t deadline_count;
	const char **industries;
	dl__pos *industry_pos;
	size_t industry_count;
	bool has_share;
	const char *share_scale, *share_level, *share_text;
	int64_t share_percent; /* 1/10000 percent */
	dl__pos share_pos;
	dl__target *targets;
	size_t target_count;
	const char *milestone_base; /* a target id, "" without milestones */
	size_t milestone_base_index; /* resolved by the checks; DL_NONE without milestones */
	dl__pos milestones_pos;
	dl__milestone *milestones;
	size_t milestone_count;
	bool has_budget;
	int64_t budget_fen;         /* -1 when the amount could not be read (reported) */
	const char *budget_title;   /* "" without <budget> */
	dl__pos budget_pos;
	dl__payment *payments;
	size_t payment_count;
};

/** The value of the level named name in q, or -1 when q has no such level. */
int dl__targets_level_value(const dl_questionnaire *q, const char *name);

#endif
