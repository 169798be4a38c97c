/*
 * cohort_pipeline.h: the dashboard's sections about the pipeline, the roster, the funds, the
 * providers and the weak scenarios (cohort_pipeline.c), appended by cohort.c's report.
 */
#ifndef DL_COHORT_PIPELINE_H
#define DL_COHORT_PIPELINE_H

#include "cohort_model.h"
#include "layout.h"

/** Section n's numeral (1 一, 13 十三, 21 二十一; 1–99) into buf. */
const char *dl__cohort_numeral(int n, char *buf, size_t size);

/** Append the sections to doc, numbered from *section on (advanced). Returns 0 or the layout's code. */
int dl__cohort_pipeline_sections(const dl_cohort *c, dl__doc *doc, int *section, dl_error *err);

#endif
