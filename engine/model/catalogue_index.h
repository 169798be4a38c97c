/*
 * catalogue_index.h: a solution catalogue's lifts as positions in one questionnaire.
 *
 * Private to the library. The catalogue names what a solution lifts by identifiers ("Q03",
 * options "B C"); the planner and the retrofit ask "does solution si lift option oi of question
 * qi?" hundreds of times for every sheet, and each answer by identifiers compares strings. The
 * index answers by position, from tables made once: kept with the questionnaire for the catalogue
 * beside it (a server or a batch makes it once), made for the call for any other catalogue.
 */
#ifndef DL_CATALOGUE_INDEX_H
#define DL_CATALOGUE_INDEX_H

#include "digilevel/catalogue.h"
#include "digilevel/questionnaire.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct dl__cat_index {
	size_t solution_count, option_total, scenario_count;
	size_t *option_base; /* per question: where its options start in the per-option tables */
	bool *lifts_option;  /* [si * option_total + option_base[qi] + oi] */
	int *lifts_scenario; /* [si * scenario_count + sc]: the highest level si raises sc to, or -1 */
	int64_t *cheapest;   /* [option_base[qi] + oi]: midpoint cost of the cheapest solution lifting
			      * the option, fen; -1 when none does */
} dl__cat_index;

/** Make cat's index for q. Returns 0 or DL_ENOMEM. */
int dl__cat_index_make(dl__cat_index **out, const dl_catalogue *cat, const dl_questionnaire *q);

void dl__cat_index_free(dl__cat_index *x);

/**
 * cat's index for q: the one kept with q when cat is the catalogue beside it
 * (dl__catalogue_beside), else one made into *made, which the caller frees with
 * dl__cat_index_free (*made is NULL when nothing was made). NULL when out of memory. Defined in
 * catalogue.c, beside the lock that guards what q keeps.
 */
const dl__cat_index *dl__cat_index_for(const dl_catalogue *cat, const dl_questionnaire *q,
				       dl__cat_index **made);

/** Whether solution si lifts option oi of question qi. */
static inline bool dl__cat_index_lifts_option(const dl__cat_index *x, size_t si, size_t qi, size_t oi)
{
	return x->lifts_option[si * x->option_total + x->option_base[qi] + oi];
}

/** The highest level solution si raises scenario sc to, or -1. */
static inline int dl__cat_index_lifts_scenario(const dl__cat_index *x, size_t si, size_t sc)
{
	return x->lifts_scenario[si * x->scenario_count + sc];
}

/** The midpoint cost of the cheapest solution lifting option oi of question qi, or -1. */
static inline int64_t dl__cat_index_cheapest(const dl__cat_index *x, size_t qi, size_t oi)
{
	return x->cheapest[x->option_base[qi] + oi];
}

#endif
