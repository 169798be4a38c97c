/*
 * dashboard.h: turning the rows of a batch into a cohort's figures (`digilevel cohort`).
 *
 * The batch pairs each enterprise's sheets and hands over one final row per enterprise
 * (digilevel/batch.h). A row carries the identity, the levels and dates before and after, the verdict
 * and the subsidy, but not everything a target may count: the tags of the sheets before the
 * retrofit (for "新增" titles), the investment categories of the retrofit, and which questionnaire
 * edition each sheet answers. So the dashboard also looks at every scored sheet on its way to the
 * rows and keeps those few facts per enterprise, then joins them to the row when it comes.
 */
#ifndef DL_DASHBOARD_H
#define DL_DASHBOARD_H

#include "batch_commands.h"

typedef struct dashboard dashboard;

/**
 * Start a dashboard that adds enterprises to cohort (borrowed: must outlive the dashboard). Sheets
 * answering another edition than the cohort's questionnaire are not counted (a warning says so).
 * Returns 0 or DL_ENOMEM.
 */
int dashboard_new(dashboard **out, dl_cohort *cohort);

/** Keep what the rows leave out of a scored sheet. Call for every job before the rows take it. */
void dashboard_note_sheet(dashboard *d, const dl_batch_sheet *s);

/** A batch_row_fn: add one enterprise's final row to the cohort (userdata is the dashboard). */
void dashboard_add_row(const dl_batch_row *row, void *userdata);

/** Enterprises that could not be added (each reported on stderr when it happened). */
unsigned long dashboard_problems(const dashboard *d);

/** Free the dashboard (not the cohort). Accepts NULL. */
void dashboard_free(dashboard *d);

#endif
