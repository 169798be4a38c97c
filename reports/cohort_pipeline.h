/*
 * cohort_pipeline.h: the dashboard's sections about the pipeline, the roster, the funds, the
 * providers and the weak scenarios (cohort_pipeline.c), appended by cohort.c's report.
 */
#ifndef DL_COHORT_PIPELINE_H
#define DL_COHORT_PIPELINE_H

#include "cohort_model.h"
#include "layout.h"

/** Append the sections to doc, numbered from *section on (advanced). Returns 0 or the layout's code. */
int dl__cohort_pipeline_sections(const dl_cohort *c, dl__doc *doc, int *section, dl_error *err);

#endif
