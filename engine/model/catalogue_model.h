/*
 * catalogue_model.h: the in-memory solution catalogue, as catalogue.c builds it.
 *
 * Private to the library. Every string and array lives in the catalogue's arena; positions are
 * kept so that checking against a questionnaire can name the exact place of every problem.
 */
#ifndef DL_CATALOGUE_MODEL_H
#define DL_CATALOGUE_MODEL_H

#include "arena.h"
#include "digilevel/catalogue.h"
#include "model.h"

typedef struct dl__cat_source {
	const char *id, *title, *url, *confidence;
	dl__pos pos;
} dl__cat_source;

typedef struct dl__cat_provider {
	const char *id, *name, *kind;
	dl__pos pos;
} dl__cat_provider;

/** One <lifts>: either a question and its options, or a scenario and a level (-1 when none). */
typedef struct dl__cat_lift {
	const char *question; /* "" for a scenario lift */
	const char **options;
	size_t option_count;
	const char *scenario; /* "" for a question lift */
	int level;
	dl__pos pos;
} dl__cat_lift;

typedef struct dl__cat_solution {
	const char *id, *name, *description, *category, *confidence, *sources;
	dl_subsidy_eligibility subsidy;
	int64_t cost_low, cost_high; /* fen */
	int weeks_low, weeks_high;
	dl__pos pos, cost_pos, weeks_pos;
	dl__cat_lift *lifts;
	size_t lift_count;
	const char **provider_ids;
	size_t *providers; /* resolved: indices into the catalogue's providers */
	dl__pos *provider_pos;
	size_t provider_count;
} dl__cat_solution;

struct dl_catalogue {
	dl__arena arena;
	const char *path;
	const char *id, *version, *title, *note;
	const char *questionnaire_id, *questionnaire_version;
	dl__pos questionnaire_pos;
	dl__cat_source *sources;
	size_t source_count;
	dl__cat_provider *provider_list;
	size_t provider_count;
	dl__cat_solution *solutions;
	size_t solution_count;
};

/**
 * The solution catalogue beside q's file (as dl_catalogue_find), read on first use and kept with q
 * until dl_questionnaire_free: a server or a batch scoring many sheets against one questionnaire
 * reads it once. Borrowed: *out is valid while q is. Returns what dl_catalogue_find returned the
 * first time (with its message in err), 0 with *out set. Thread-safe.
 */
int dl__catalogue_beside(const dl_catalogue **out, const dl_questionnaire *q, dl_error *err);

#endif
