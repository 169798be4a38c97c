/*
 * catalogue_index.c: a solution catalogue's lifts as positions in one questionnaire (see
 * catalogue_index.h).
 *
 * Identifiers the questionnaire does not have are left out: the catalogue checker reports them
 * when the catalogue is found for a questionnaire, and a lift nobody can answer lifts nothing.
 * (dl__cat_index_for, which hands out the index kept with a questionnaire, is in catalogue.c,
 * beside the lock that guards it.)
 */
#include "catalogue_index.h"

#include "alloc.h"
#include "catalogue_model.h"
#include "model.h"

#include <stdint.h>

int dl__cat_index_make(dl__cat_index **out, const dl_catalogue *cat, const dl_questionnaire *q)
{
	*out = NULL;
	dl__cat_index *x = dl__calloc(1, sizeof(*x));
	if (!x)
		return DL_ENOMEM;
	size_t ns = cat->solution_count, nsc = q->scenario_count, total = 0;
	x->option_base = dl__calloc(q->question_count + 1, sizeof(size_t));
	for (size_t qi = 0; x->option_base && qi < q->question_count; qi++) {
		x->option_base[qi] = total;
		total += q->questions[qi].option_count;
	}
	x->solution_count = ns;
	x->option_total = total;
	x->scenario_count = nsc;
	if ((total && ns > (SIZE_MAX - 1) / total) || (nsc && ns > (SIZE_MAX - 1) / nsc)) {
		dl__cat_index_free(x);
		return DL_ENOMEM;
	}
	x->lifts_option = dl__calloc(ns * total + 1, sizeof(bool));
	x->lifts_scenario = dl__calloc(ns * nsc + 1, sizeof(int));
	x->cheapest = dl__calloc(total + 1, sizeof(int64_t));
	if (!x->option_base || !x->lifts_option || !x->lifts_scenario || !x->cheapest) {
		dl__cat_index_free(x);
		return DL_ENOMEM;
	}
	for (size_t i = 0; i < ns * nsc; i++)
		x->lifts_scenario[i] = -1;
	for (size_t i = 0; i < total; i++)
		x->cheapest[i] = -1;
	for (size_t si = 0; si < ns; si++) {
		const dl__cat_solution *s = &cat->solutions[si];
		int64_t mid = (s->cost_low + s->cost_high) / 2;
		for (size_t k = 0; k < s->lift_count; k++) {
			const dl__cat_lift *l = &s->lifts[k];
			if (l->scenario[0]) {
				size_t sc = dl_questionnaire_scenario_find(q, l->scenario);
				if (sc != DL_NONE && l->level > x->lifts_scenario[si * nsc + sc])
					x->lifts_scenario[si * nsc + sc] = l->level;
				continue;
			}
			size_t qi = dl_questionnaire_question_find(q, l->question);
			for (size_t o = 0; qi != DL_NONE && o < l->option_count; o++) {
				size_t oi = dl_questionnaire_option_find(q, qi, l->options[o]);
				if (oi == DL_NONE)
					continue;
				size_t at = x->option_base[qi] + oi;
				x->lifts_option[si * total + at] = true;
				if (x->cheapest[at] < 0 || mid < x->cheapest[at])
					x->cheapest[at] = mid;
			}
		}
	}
	*out = x;
	return 0;
}

void dl__cat_index_free(dl__cat_index *x)
{
	if (!x)
		return;
	dl__free(x->option_base);
	dl__free(x->lifts_option);
	dl__free(x->lifts_scenario);
	dl__free(x->cheapest);
	dl__free(x);
}
