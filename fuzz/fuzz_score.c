/*
 * fuzz_score.c: libFuzzer target for everything after loading: a fuzzed answer sheet is checked and
 * scored against questionnaires/miit-2024.xml (loaded once; run from the top of the repository),
 * planned towards every level of the rule, and written as JSON and as text to a sink that discards
 * the bytes but checks they are valid UTF-8 (fuzz_common.h).
 *
 * Invariants checked for every sheet that scores: the total lies within 0..the questionnaire's
 * points and equals the sum of the dimensions, the level is the fallback or a graded level, and a
 * plan for a level already reached is empty.
 */
#include "fuzz_common.h"
#include "sheet_model.h"

#define QUESTIONNAIRE "questionnaires/miit-2024.xml"

static dl_questionnaire *questionnaire(void)
{
	static dl_questionnaire *q;
	if (!q) {
		dl_error err;
		if (dl_questionnaire_load(&q, QUESTIONNAIRE, NULL, &err) != 0) {
			char line[1024];
			dl_error_format(&err, line, sizeof(line));
			fprintf(stderr, "fuzz_score: %s (run from the top of the repository)\n", line);
			abort();
		}
	}
	return q;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	questionnaire();
	return 0;
}

static void check_result(const dl_questionnaire *q, const dl_result *r)
{
	dl_points total = dl_result_total(r), dims = 0;
	if (total < 0 || total > dl_questionnaire_points(q))
		fuzz_fail("total outside 0..points", NULL);
	for (size_t n = 0; n < dl_questionnaire_node_count(q); n++)
		if (dl_questionnaire_node_kind(q, n) == DL_NODE_DIMENSION)
			dims += dl_result_node_score(r, n);
	if (dims != total)
		fuzz_fail("total is not the sum of the dimensions", NULL);
	int level = dl_result_level(r);
	if (level != dl_questionnaire_fallback_level(q) &&
	    dl_questionnaire_grade_find(q, level) == DL_NONE)
		fuzz_fail("level is neither the fallback nor graded", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const dl_questionnaire *q = questionnaire();
	dl_sheet *s = NULL;
	dl_result *r = NULL;
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	dl_error err;
	opts.diag = fuzz_diag;
	int rc = dl_sheet_load_memory(&s, (const char *)data, size, "fuzz.xml", &opts, &err);
	if (rc < 0) {
		/* refused, but kept for `validate` to check its meaning in the same run: never a crash */
		rc = dl__sheet_load_memory_keeping(&s, (const char *)data, size, "fuzz.xml", &opts, &err);
		if (s) {
			if (rc != DL_EINVALID)
				fuzz_fail("a sheet was kept though not refused for what it says", NULL);
			dl_sheet_check(s, q, &opts, NULL);
			dl_sheet_free(s);
		}
		return 0;
	}
	rc = dl_sheet_check(s, q, &opts, NULL);
	int scored = dl_score(&r, q, s, &opts, NULL);
	if ((rc == 0) != (scored == 0))
		fuzz_fail("dl_sheet_check and dl_score disagree", NULL);
	if (scored == 0) {
		check_result(q, r);
		fuzz_utf8 u = {0, 0};
		rc = dl_result_write_json(r, s, NULL, fuzz_sink, &u);
		fuzz_output_done("result JSON", rc, &u);
		u = (fuzz_utf8){0, 0};
		rc = dl_result_write_text(r, s, NULL, fuzz_sink, &u);
		fuzz_output_done("result text", rc, &u);
		for (size_t gi = 0; gi < dl_questionnaire_grade_count(q); gi++) {
			dl_plan *p = NULL;
			int target = dl_questionnaire_grade_level(q, gi);
			rc = dl_plan_make(&p, r, target, &err);
			if (rc != 0)
				fuzz_fail("no plan for a graded level", err.message);
			if (dl_result_level(r) >= target && dl_plan_step_count(p) != 0)
				fuzz_fail("a plan for a level already reached has steps", NULL);
			u = (fuzz_utf8){0, 0};
			rc = (gi % 2 ? dl_result_write_text : dl_result_write_json)(r, s, p, fuzz_sink, &u);
			fuzz_output_done("result with a target plan", rc, &u);
			dl_plan_free(p);
		}
	}
	dl_result_free(r);
	dl_sheet_free(s);
	return 0;
}
