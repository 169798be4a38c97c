/*
 * test_reasons.c: a comparison's texts and a diagnosis' findings are kept in Chinese and English
 * (engine/base/text_both.h): the public accessors follow dl_set_language, even after the comparison
 * is made, and the internal _zh accessors the documents use stay Chinese whatever the language.
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
done:
	dl_findings_free(f);
	dl_comparison_free(c);
	dl_policy_free(p);
	dl_sheet_free(after);
	dl_sheet_free(before);
	dl_questionnaire_free(q);
	return test_done();
}
