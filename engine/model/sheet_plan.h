/*
 * sheet_plan.h: the retrofit plan a diagnosis sheet may carry (<retrofit-plan>): the solutions an
 * integrator has chosen for the enterprise, each a construction item with its amount and schedule,
 * and who answers for what. Private to the library; sheet_plan.c reads it, the dl_sheet_plan_*
 * accessors (digilevel/sheet.h) show it, engine/scoring/retrofit.c turns it into a retrofit
 * (dl_retrofit_from_sheet), which is where the solution ids are checked against the catalogue.
 */
#ifndef DL_SHEET_PLAN_H
#define DL_SHEET_PLAN_H

#include "load.h"
#include "sheet_model.h"

typedef struct dl__plan_item {
	const char *solution; /* catalogue id, "" for an item in the integrator's own words */
	const char *category; /* policy category id, "" when not given (then the catalogue's) */
	const char *text;     /* the integrator's description, "" when none */
	const char *start, *finish; /* YYYY-MM-DD, "" when not given */
	int64_t fen;                /* the amount, -1 when not given (the catalogue's range applies) */
	dl__pos pos;
} dl__plan_item;

struct dl__retrofit_plan {
	const char *date, *number, *integrator, *supervision;
	int target; /* -1 when not given */
	dl__plan_item *items;
	size_t item_count;
	const char *duty[DL_PLAN_PARTIES]; /* responsibilities, "" when not given */
	dl__pos pos;
};

/** Read <retrofit-plan> element n into the sheet being built (b->obj); problems to b->d. */
void dl__sheet_read_plan(dl__builder *b, const xmlNode *n);

#endif
