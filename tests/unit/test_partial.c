/*
 * test_partial.c: provisional scores of a partly filled sheet (dl_score_with and
 * dl_score_options.partial, docs/scoring.md): what is missing counts as nothing and is listed, what
 * is wrong is refused as always, a complete sheet scores the same with or without the option, and a
 * diagnostic report made from a provisional score says 草稿 on every page of its PDF (pdftotext, page
 * by page) while one made from a complete score does not.
 *
 * Checks as tests/unit/test_util.h says ("skip - ..." when no CJK font or no pdftotext is
 * installed). Run from the repository root.
 */
#define _POSIX_C_SOURCE 200809L

#include <digilevel.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

#define PARTIAL "tests/cases/partial-score-text/sheet.xml"
#define COMPLETE "examples/food-before.xml"

static dl_questionnaire *Q;

static dl_sheet *load(const char *path)
{
	dl_sheet *s = NULL;
	if (dl_sheet_load(&s, path, NULL, NULL) < 0)
		printf("# cannot load %s\n", path);
	return s;
}

static void test_scores(void)
{
	dl_sheet *s = load(PARTIAL), *full = load(COMPLETE);
	dl_result *r = NULL, *a = NULL, *b = NULL;
	dl_score_options so = DL_SCORE_OPTIONS_INIT;
	dl_error err;
	if (!check(s && full, "the partial sheet and a complete one load"))
		goto done;
	check(dl_score(&r, Q, s, NULL, &err) == DL_EINVALID && r == NULL,
	      "without the option a partial sheet is refused (%s)", err.message);
	check(dl_score_with(&r, Q, s, NULL, NULL, &err) == DL_EINVALID,
	      "NULL options are the defaults: refused too");
	so.partial = true;
	if (!check(dl_score_with(&r, Q, s, NULL, &so, &err) == 0, "with partial it is scored"))
		goto done;
	check(dl_result_provisional(r), "the result is provisional");
	check(dl_result_unanswered_count(r) == 6, "6 items unanswered (%zu)", dl_result_unanswered_count(r));
	size_t q02 = dl_questionnaire_question_find(Q, "Q02"), q05 = dl_questionnaire_question_find(Q, "Q05");
	size_t q01 = dl_questionnaire_question_find(Q, "Q01");
	check(!dl_result_question_answered(r, q02) &&
	      dl_result_question_missing_figure(r, q02) == dl_questionnaire_figure_find(Q, "devices_total"),
	      "Q02 is unanswered for want of devices_total");
	check(!dl_result_question_answered(r, q05) && dl_result_question_missing_figure(r, q05) == DL_NONE,
	      "Q05 (no option chosen) is unanswered, no figure named");
	check(dl_result_question_answered(r, q01), "Q01 is answered");
	check(dl_result_node_score(r, dl_questionnaire_question_node(Q, q05)) == 0,
	      "an unanswered question scores 0");
	size_t s03 = dl_questionnaire_scenario_find(Q, "S03");
	check(!dl_result_scenario_rated(r, s03) && dl_result_scenario_level(r, s03) == 0,
	      "S03 (blank level) is unrated, at level 0");
	check(dl_result_scenario_rated(r, dl_questionnaire_scenario_find(Q, "S01")), "S01 is rated");

	/* a complete sheet: the same result with and without the option, not provisional */
	if (check(dl_score(&a, Q, full, NULL, NULL) == 0 && dl_score_with(&b, Q, full, NULL, &so, NULL) == 0,
		  "a complete sheet scores with and without partial")) {
		check(dl_result_total(a) == dl_result_total(b) && dl_result_level(a) == dl_result_level(b) &&
		      !dl_result_provisional(b) && dl_result_unanswered_count(b) == 0,
		      "a complete sheet is not provisional and scores the same");
	}
	so.version = 99;
	check(dl_score_with(&a, Q, full, NULL, &so, &err) == DL_EINVALID &&
	      strstr(err.message, "99") != NULL,
	      "score options of another version are refused (%s)", err.message);
done:
	dl_result_free(b);
	dl_result_free(a);
	dl_result_free(r);
	dl_sheet_free(full);
	dl_sheet_free(s);
}

/* Something wrong (an unknown option) is refused with partial too: only what is missing is let through. */
static void test_wrong_is_refused(void)
{
	static const char xml_fmt[] = "%.*s<choose option=\"Z\"/>%s";
	char *data = NULL, *xml = NULL;
	size_t len = 0;
	FILE *f = fopen(PARTIAL, "rb");
	if (!check(f != NULL, "read the partial sheet"))
		return;
	data = calloc(1, 1 << 20);
	if (data)
		len = fread(data, 1, (1 << 20) - 1, f);
	fclose(f);
	char *at = data ? strstr(data, "<answer question=\"Q05\">") : NULL;
	if (!check(at != NULL, "the sheet has Q05's answer")) {
		free(data);
		return;
	}
	at += strlen("<answer question=\"Q05\">");
	xml = malloc(len + 64);
	if (xml)
		snprintf(xml, len + 64, xml_fmt, (int)(at - data), data, at);
	dl_sheet *s = NULL;
	dl_result *r = NULL;
	dl_score_options so = {DL_SCORE_OPTIONS_VERSION, true, false};
	dl_error err;
	if (xml && dl_sheet_load_memory(&s, xml, strlen(xml), "wrong.xml", NULL, NULL) == 0) {
		check(dl_score_with(&r, Q, s, NULL, &so, &err) == DL_EINVALID && strstr(err.message, "Z"),
		      "an unknown option is refused with partial (%s)", err.message);
	} else {
		check(false, "the sheet with an unknown option loads");
	}
	dl_result_free(r);
	dl_sheet_free(s);
	free(xml);
	free(data);
}

/* Renders the diagnostic report of path (partial or not) to file out; returns 0 or the error. */
static int render(const char *path, bool partial, const char *out, dl_error *err)
{
	dl_sheet *s = load(path);
	dl_result *r = NULL;
	dl_score_options so = {DL_SCORE_OPTIONS_VERSION, partial, false};
	dl_report_options ro = DL_REPORT_OPTIONS_INIT;
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = s ? dl_score_with(&r, Q, s, NULL, &so, err) : DL_EIO;
	if (rc == 0)
		rc = dl_report_diagnostic(&data, &len, r, s, &ro, err);
	if (rc == 0) {
		FILE *f = fopen(out, "wb");
		rc = f && fwrite(data, 1, len, f) == len ? 0 : DL_EIO;
		if (f)
			fclose(f);
	}
	dl_report_free(data);
	dl_result_free(r);
	dl_sheet_free(s);
	return rc;
}

/* How many pages of the PDF at path show "草稿" (pdftotext page by page); *pages their number. */
static unsigned draft_pages(const char *path, unsigned *pages)
{
	char cmd[600], line[256];
	unsigned n = 0, marked = 0;
	snprintf(cmd, sizeof(cmd), "pdfinfo '%s' 2>/dev/null", path);
	FILE *p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p))
		if (sscanf(line, "Pages: %u", &n) == 1)
			break;
	if (p)
		pclose(p);
	for (unsigned i = 1; i <= n; i++) {
		snprintf(cmd, sizeof(cmd), "pdftotext -f %u -l %u '%s' - 2>/dev/null | grep -q '草稿'", i, i,
			 path);
		if (system(cmd) == 0)
			marked++;
	}
	*pages = n;
	return marked;
}

static void test_draft_pdf(void)
{
	char dir[] = "/tmp/dl-partial-XXXXXX", draft[300], final[300];
	dl_error err;
	if (!mkdtemp(dir)) {
		check(false, "make a temporary folder");
		return;
	}
	snprintf(draft, sizeof(draft), "%s/draft.pdf", dir);
	snprintf(final, sizeof(final), "%s/final.pdf", dir);
	int rc = render(PARTIAL, true, draft, &err);
	if (rc == DL_EIO && strstr(err.message, "no CJK TrueType font found")) {
		skip("the draft PDF: %s", err.message);
		goto done;
	}
	if (!check(rc == 0 && render(COMPLETE, false, final, &err) == 0,
		   "the diagnostic reports of the partial and a complete sheet render"))
		goto done;
	if (system("command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1") != 0) {
		skip("pdftotext/pdfinfo not installed: the draft mark on every page");
		goto done;
	}
	unsigned pages = 0, marked = draft_pages(draft, &pages);
	check(pages > 3 && marked == pages, "草稿 is on every page of the draft (%u of %u)", marked, pages);
	marked = draft_pages(final, &pages);
	check(pages > 3 && marked == 0, "草稿 is on no page of a complete sheet's report (%u of %u)", marked,
	      pages);
done:
	remove(draft);
	remove(final);
	rmdir(dir);
}

int main(void)
{
	dl_set_language(DL_LANGUAGE_EN);
	if (!check(dl_questionnaire_load(&Q, "questionnaires/miit-2024.xml", NULL, NULL) == 0,
		   "load the questionnaire"))
		return test_done();
	test_scores();
	test_wrong_is_refused();
	test_draft_pdf();
	dl_questionnaire_free(Q);
	return test_done();
}
