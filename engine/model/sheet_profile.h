/*
 * sheet_profile.h: the enterprise profile a diagnosis sheet may carry (<profile>): operating figures
 * per year, the process flow, certifications, the inventory of devices and industrial software, and
 * how the survey was made. Private to the library; sheet_profile.c reads it, the dl_sheet_profile_*
 * accessors (digilevel/sheet.h) show it.
 */
#ifndef DL_SHEET_PROFILE_H
#define DL_SHEET_PROFILE_H

#include "load.h"
#include "sheet_model.h"

typedef struct dl__operation_year {
	int year;
	bool has[DL_OPERATION_FIELDS];
	int64_t fen[DL_OPERATION_FIELDS];
} dl__operation_year;

typedef struct dl__inventory_item {
	dl_inventory_kind kind;
	const char *name, *vendor, *scenarios; /* scenarios: ids separated by single spaces */
	long count;
	dl_deployment deployment;
	dl__pos pos;
} dl__inventory_item;

struct dl__profile {
	dl__operation_year *years;
	size_t year_count;
	const char *process;
	const char **certifications;
	size_t certification_count;
	dl__inventory_item *inventory;
	size_t inventory_count;
	bool has_survey;
	const char *survey_method, *survey_from, *survey_to;
};

/** Read <profile> element n into the sheet being built (b->obj); problems to b->d. */
void dl__sheet_read_profile(dl__builder *b, const xmlNode *n);

#endif
