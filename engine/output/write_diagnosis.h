/*
 * write_diagnosis.h: the diagnosis' sections of the result's text and JSON (write_diagnosis.c):
 * the enterprise profile, the pain points and the recommended retrofit. write_text.c and
 * write_json.c call them; the PDF report shows the same data (reports/diagnosis_sections.c).
 */
#ifndef DL_WRITE_DIAGNOSIS_H
#define DL_WRITE_DIAGNOSIS_H

#include "digilevel/retrofit.h"
#include "out.h"
#include "result.h"

/** The enterprise profile of s (nothing when s holds none), as text. */
void dl__text_profile(dl__out *o, const dl_sheet *s);
/** The pain points of r aiming at target (-1: the next level), as numbered text. Returns 0 or DL_ENOMEM. */
int dl__text_findings(dl__out *o, const dl_result *r, int target);
/**
 * The recommended retrofit along plan p, with the catalogue beside the questionnaire (nothing
 * when there is none; a line saying why when it cannot be used), as text. Returns 0 or DL_ENOMEM.
 */
int dl__text_retrofit(dl__out *o, const dl_result *r, const dl_sheet *s, const dl_plan *p);

/* The same as JSON members, each written as `"key": value,\n  ` (nothing for an absent profile). */
void dl__json_profile(dl__out *o, const dl_sheet *s);
int dl__json_findings(dl__out *o, const dl_result *r, int target);
int dl__json_retrofit(dl__out *o, const dl_result *r, const dl_sheet *s, const dl_plan *p);

#endif
