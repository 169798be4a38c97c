/*
 * test_reasons.c: a comparison's texts and a diagnosis' findings are kept in Chinese and English
 * (engine/base/text_both.h): the public accessors follow dl_set_language, even after the comparison
 * is made, and the internal _zh accessors the documents use stay Chinese whatever the language.
 * Findings made in one language only (dl__findings_make_in, for the JSON and the text output) say
 * in that language exactly what findings made in both say, and nothing in the other.
 *
 * The Chinese needs the catalogue the build compiles (BUILD/locale, or $DIGILEVEL_LOCALEDIR); without
 * it the Chinese checks are skipped, as a program that binds no catalogue gets English.
 */
#include "policy_model.h"
#include "texts_zh.h"

#include <digilevel.h>

#include <string.h>

#include "test_i18n.h"
#include "test_util.h"

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The findings of r aiming at target made in language only equal those made in both, in it. */
static bool same_in(const dl_result *r, int target, int language)
{
	dl_findings *both = NULL, *one = NULL;
	bool same = dl_findings_make(&both, r, target, NULL) == 0 &&
		    dl__findings_make_in(&one, r, target, language, NULL) == 0 &&
		    dl_findings_count(both) == dl_findings_count(one) && dl_findings_count(one) > 0;
	dl_set_language(language);
	for (size_t i = 0; same && i < dl_findings_count(one); i++) {
		same = dl_findings_kind(both, i) == dl_findings_kind(one, i) &&
		       strcmp(dl_findings_subject(both, i), dl_findings_subject(one, i)) == 0 &&
		       strcmp(dl_findings_text(both, i), dl_findings_text(one, i)) == 0 &&
		       dl_findings_text(one, i)[0];
		/* and nothing in the other language */
		dl_set_language(language == DL_LANGUAGE_ZH ? DL_LANGUAGE_EN : DL_LANGUAGE_ZH);
		same = same && dl_findings_text(one, i)[0] == '\0';
		dl_set_language(language);
	}
	dl_set_language(DL_LANGUAGE_ZH);
	dl_findings_free(both);
	dl_findings_free(one);
	return same;
}

static void test_one_language(const dl_comparison *c)
{
	const dl_result *results[] = {dl_comparison_before(c), dl_comparison_after(c)};
	static const int targets[] = {-1, 2, 3, 4};
	static const int languages[] = {DL_LANGUAGE_ZH, DL_LANGUAGE_EN};
	for (size_t k = 0; k < 2; k++)
		for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++)
			for (size_t l = 0; l < 2; l++)
				check(same_in(results[k], targets[t], languages[l]),
				      "the %s's findings aiming at %d made in %s alone are those made in both",
				      k ? "after" : "before", targets[t], languages[l] == DL_LANGUAGE_ZH ? "Chinese" : "English");
	/* the sentence naming the questions beyond the first four, made in English alone */
	dl_findings *f = NULL;
	bool rest = false;
	if (dl__findings_make_in(&f, results[0], -1, DL_LANGUAGE_EN, NULL) == 0) {
		dl_set_language(DL_LANGUAGE_EN);
		for (size_t i = 0; i < dl_findings_count(f); i++)
			rest |= starts(dl_findings_text(f, i), "Also scoring less than half: ");
		dl_set_language(DL_LANGUAGE_ZH);
	}
	check(rest, "the fuel diagnosis in English alone names the questions beyond the first four");
	dl_findings_free(f);
}

int main(void)
{
	dl_questionnaire *q = NULL;
	dl_sheet *before = NULL, *after = NULL;
	dl_policy *p = NULL;
	dl_comparison *c = NULL;
	dl_findings *f = NULL;
	bool zh = test_bind_catalogue();
	dl_set_language(DL_LANGUAGE_ZH);
	int rc = dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, NULL);
	if (rc == 0)
		rc = dl_sheet_load(&before, "examples/fuel-before.xml", NULL, NULL);
	if (rc == 0)
		rc = dl_sheet_load(&after, "examples/fuel-after.xml", NULL, NULL);
	if (rc == 0)
		rc = dl_policy_load(&p, "policies/hongsibu-2024.xml", NULL, NULL);
	if (rc == 0)
		rc = dl_compare(&c, q, before, after, p, NULL, NULL);
	check(rc == 0, "the fuel pair compares under hongsibu-2024");
	if (rc != 0)
		goto done;

	/* English: the msgids, whatever the catalogue */
	dl_set_language(DL_LANGUAGE_EN);
	check(starts(dl_comparison_reason_text(c, 0), "Level after the retrofit 一级, below the required 二级"),
	      "English reason: %s", dl_comparison_reason_text(c, 0));
	check(starts(dl_comparison_no_subsidy_reason(c), "Acceptance failed, no subsidy: Level after"),
	      "English no-subsidy reason: %s", dl_comparison_no_subsidy_reason(c));
	check(starts(dl_comparison_later_pass(c), "A pass at acceptance attempt 2 is placed by the application date"),
	      "English later pass: %s", dl_comparison_later_pass(c));
	bool finding = false;
	for (size_t i = 0; i < dl_comparison_finding_count(c); i++)
		finding |= strstr(dl_comparison_finding_text(c, i), "on-site check: not running normally") != NULL;
	check(finding, "an English on-site finding");

	if (!zh) {
		skip("the Chinese catalogue is not built (run make): Chinese texts not checked");
		goto done;
	}
	/* the documents' Chinese, while messages are English */
	check(starts(dl__comparison_reason_text_zh(c, 0), "改造后等级 一级，低于要求的 二级（二级条件: 得分 40.475 ≥ 40"),
	      "Chinese reason under English messages: %s", dl__comparison_reason_text_zh(c, 0));
	check(strcmp(dl__comparison_no_subsidy_reason_zh(c), "验收不通过，不予补助：改造后等级 一级，低于要求的 二级") == 0,
	      "Chinese no-subsidy reason: %s", dl__comparison_no_subsidy_reason_zh(c));
	check(strcmp(dl__comparison_phase_reason_zh(c), "验收不通过，不确定补助阶段") == 0,
	      "Chinese phase reason: %s", dl__comparison_phase_reason_zh(c));

	/* back to Chinese: the same comparison, no recomputation */
	dl_set_language(DL_LANGUAGE_ZH);
	check(strcmp(dl_comparison_reason_text(c, 0), dl__comparison_reason_text_zh(c, 0)) == 0,
	      "Chinese messages give the Chinese reason");
	check(starts(dl_comparison_later_pass(c), "第 2 次验收通过时按申请验收日期 2025-05-25 归入第二阶段"),
	      "Chinese later pass: %s", dl_comparison_later_pass(c));

	/* the findings of the diagnosis before the retrofit */
	rc = dl_findings_make(&f, dl_comparison_before(c), -1, NULL);
	check(rc == 0 && dl_findings_count(f) > 0, "findings of the fuel diagnosis");
	if (rc == 0 && dl_findings_count(f) > 0) {
		check(strstr(dl_findings_text(f, 0), "维度得分") != NULL, "Chinese finding: %s",
		      dl_findings_text(f, 0));
		dl_set_language(DL_LANGUAGE_EN);
		check(starts(dl_findings_text(f, 0), "Dimension “"), "English finding: %s", dl_findings_text(f, 0));
		check(strstr(dl__findings_text_zh(f, 0), "维度得分") != NULL, "Chinese finding under English: %s",
		      dl__findings_text_zh(f, 0));
		dl_set_language(DL_LANGUAGE_ZH);
	}
	test_one_language(c);
done:
	dl_findings_free(f);
	dl_comparison_free(c);
	dl_policy_free(p);
	dl_sheet_free(after);
	dl_sheet_free(before);
	dl_questionnaire_free(q);
	return test_done();
}
