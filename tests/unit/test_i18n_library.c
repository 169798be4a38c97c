/*
 * test_i18n_library.c: a program that uses the library and sets nothing of gettext up (no
 * setlocale, no LANGUAGE, no bindtextdomain, as tests/unit/test_i18n.h and cli/language.c do) still
 * gets Chinese documents: the library reads its catalogue itself (engine/base/mo_file.c), here
 * BUILD/locale found beside this program (BUILD/tests/../locale). Its messages keep the documented
 * contract: English until the program binds the catalogue.
 */
#include <digilevel.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

/* Whether the build compiled the catalogue this program should find (BUILD/locale). */
static bool catalogue_built(void)
{
	const char *build = getenv("BUILD");
	char mo[4200];
	snprintf(mo, sizeof(mo), "%s/locale/zh_CN/LC_MESSAGES/%s.mo", build && build[0] ? build : "build",
		 DL_TEXT_DOMAIN);
	return access(mo, R_OK) == 0;
}

int main(void)
{
	dl_questionnaire *q = NULL;
	dl_sheet *before = NULL, *after = NULL;
	dl_policy *p = NULL;
	dl_comparison *c = NULL;
	unsigned char *text = NULL;
	size_t len = 0;
	/* a machine whose locale says English and C: what a container or a server has */
	unsetenv("DIGILEVEL_LOCALEDIR");
	setenv("LANGUAGE", "en", 1);
	setenv("LC_ALL", "C", 1);
	if (!catalogue_built()) {
		skip("the Chinese catalogue is not built (run make): nothing to find");
		return test_done();
	}
	int rc = dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, NULL);
	if (rc == 0)
		rc = dl_sheet_load(&before, "examples/textile-before.xml", NULL, NULL);
	if (rc == 0)
		rc = dl_sheet_load(&after, "examples/textile-after.xml", NULL, NULL);
	if (rc == 0)
		rc = dl_policy_load(&p, "policies/hongsibu-2024.xml", NULL, NULL);
	if (rc == 0)
		rc = dl_compare(&c, q, before, after, p, NULL, NULL);
	check(rc == 0, "the textile pair compares under hongsibu-2024 (%d)", rc);
	if (rc != 0)
		goto done;

	/* messages: English without the program's catalogue, as dl_set_language documents */
	dl_set_language(DL_LANGUAGE_ZH);
	check(strcmp(dl_translate("warning: %s"), "warning: %s") == 0,
	      "a message is English when the program set gettext up not at all: %s",
	      dl_translate("warning: %s"));
	check(strncmp(dl_comparison_reason_text(c, 0), "Level after the retrofit", 24) == 0,
	      "so is a verdict's reason at the terminal: %s", dl_comparison_reason_text(c, 0));

	/* the 验收意见: Chinese all the same, in either language of messages */
	dl_language langs[] = {DL_LANGUAGE_ZH, DL_LANGUAGE_EN};
	for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		dl_set_language(langs[i]);
		dl_report_options o = DL_REPORT_OPTIONS_INIT;
		o.format = DL_REPORT_TEXT;
		dl_error err = {0};
		rc = dl_report_acceptance(&text, &len, c, before, after, &o, &err);
		check(rc == 0, "the acceptance opinion renders (%d %s)", rc, err.message);
		if (rc != 0)
			continue;
		char *s = malloc(len + 1);
		if (!s) {
			dl_report_free(text);
			text = NULL;
			continue;
		}
		memcpy(s, text, len);
		s[len] = '\0';
		check(strstr(s, "改造后等级二级，达到要求的二级及以上（二级条件：得分 52.65 ≥ 40") != NULL,
		      "the verdict's reason is Chinese in the document (language %d)", (int)langs[i]);
		check(!strstr(s, "Level after the retrofit") && !strstr(s, "scenarios at"),
		      "no English sentence in the document (language %d)", (int)langs[i]);
		free(s);
		dl_report_free(text);
		text = NULL;
	}

done:
	dl_comparison_free(c);
	dl_policy_free(p);
	dl_sheet_free(after);
	dl_sheet_free(before);
	dl_questionnaire_free(q);
	return test_done();
}
