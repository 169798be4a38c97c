/*
 * test_catalogue.c: the solution catalogue, the sheet's <profile> and the recommended retrofit.
 *
 * - the shipped catalogue loads, checks against miit-2024 and reads its amounts exactly;
 * - a broken catalogue reports every problem, each at its line and column, first alone, then
 *   against the questionnaire (unknown ids, a level out of range, an outcome lifted);
 * - for every example sheet before its retrofit: the recommendation along the plan to the next
 *   level reaches that level when its steps are applied (scored again, independently here), never
 *   proposes Q11, covers no outcome step, and with the district's policy gives a subsidy range no
 *   larger than the eligible investment and within the policy's caps;
 * - the diagnostic report's text shows the expected subsidy when given the policy;
 * - the catalogue's index by position (catalogue_index.h) answers as the accessors by identifier do,
 *   for every solution, option and scenario, and gives each option its cheapest solution; the
 *   questionnaire keeps the index of the catalogue beside it, and any other catalogue gets its own.
 */
#include <digilevel.h>

#include "catalogue_index.h"
#include "catalogue_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

typedef struct seen {
	char lines[32][600];
	size_t count;
} seen;

static void collect(const dl_error *e, void *data)
{
	seen *s = data;
	if (s->count < 32)
		dl_error_format(e, s->lines[s->count++], sizeof(s->lines[0]));
}

static bool has(const seen *s, const char *line)
{
	for (size_t i = 0; i < s->count; i++)
		if (strcmp(s->lines[i], line) == 0)
			return true;
	for (size_t i = 0; i < s->count; i++)
		printf("# got: %s\n", s->lines[i]);
	return false;
}

static void test_shipped(const dl_questionnaire *q)
{
	dl_catalogue *c = NULL;
	dl_error err = {0};
	if (!check(dl_catalogue_find(&c, q, NULL, &err) == 0, "the catalogue is found next to miit-2024"))
		return;
	check(strcmp(dl_catalogue_path(c), "questionnaires/solutions-2024.xml") == 0, "it is solutions-2024.xml");
	check(dl_catalogue_solution_count(c) == 24, "24 solution types");
	size_t erp = dl_catalogue_solution_find(c, "cloud-erp"), hrm = dl_catalogue_solution_find(c, "hrm-saas");
	check(erp != DL_NONE && dl_catalogue_solution_cost_low(c, erp) == 1000000 &&
		      dl_catalogue_solution_cost_high(c, erp) == 8000000,
	      "cloud-erp costs 1–8 万元, in fen exactly");
	check(hrm != DL_NONE && dl_catalogue_solution_cost_low(c, hrm) == 500000, "0.5 万元 is 5,000.00 yuan");
	check(dl_catalogue_solution_lifts_option(c, erp, "Q04", "N") &&
		      !dl_catalogue_solution_lifts_option(c, erp, "Q04", "O"),
	      "cloud-erp lifts Q04 N, not O");
	check(dl_catalogue_solution_lifts_scenario(c, erp, "S13") == 2 &&
		      dl_catalogue_solution_lifts_scenario(c, erp, "S01") == -1,
	      "cloud-erp supports S13 at level 2 and not S01");
	char buf[32];
	check(strcmp(dl_wan_format(1234567, buf, sizeof(buf)), "1.234567") == 0 &&
		      strcmp(dl_wan_format(-1260000, buf, sizeof(buf)), "-1.26") == 0 &&
		      strcmp(dl_wan_format(17900000000, buf, sizeof(buf)), "17900") == 0,
	      "万元 formatted exactly");
	dl_catalogue_free(c);
}

static void test_index(const dl_questionnaire *q)
{
	dl_catalogue *c = NULL;
	dl__cat_index *x = NULL;
	dl_error err = {0};
	if (!check(dl_catalogue_find(&c, q, NULL, &err) == 0 && dl__cat_index_make(&x, c, q) == 0,
		   "the shipped catalogue is indexed for miit-2024"))
		goto done;
	size_t wrong = 0, lifted = 0, raised = 0, priced = 0;
	for (size_t si = 0; si < dl_catalogue_solution_count(c); si++) {
		for (size_t qi = 0; qi < dl_questionnaire_question_count(q); qi++)
			for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++) {
				bool want = dl_catalogue_solution_lifts_option(c, si, dl_questionnaire_question_id(q, qi),
									       dl_questionnaire_option_id(q, qi, oi));
				wrong += dl__cat_index_lifts_option(x, si, qi, oi) != want;
				lifted += want;
			}
		for (size_t sc = 0; sc < dl_questionnaire_scenario_count(q); sc++) {
			int want = dl_catalogue_solution_lifts_scenario(c, si, dl_questionnaire_scenario_id(q, sc));
			wrong += dl__cat_index_lifts_scenario(x, si, sc) != want;
			raised += want >= 0;
		}
	}
	for (size_t qi = 0; qi < dl_questionnaire_question_count(q); qi++)
		for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++) {
			int64_t want = -1;
			for (size_t si = 0; si < dl_catalogue_solution_count(c); si++) {
				int64_t mid = (dl_catalogue_solution_cost_low(c, si) + dl_catalogue_solution_cost_high(c, si)) / 2;
				if (dl_catalogue_solution_lifts_option(c, si, dl_questionnaire_question_id(q, qi),
								       dl_questionnaire_option_id(q, qi, oi)) &&
				    (want < 0 || mid < want))
					want = mid;
			}
			wrong += dl__cat_index_cheapest(x, qi, oi) != want;
			priced += want >= 0;
		}
	check(wrong == 0 && lifted > 50 && raised > 10 && priced > 20,
	      "the index answers as the accessors do (%zu wrong; %zu options lifted, %zu scenarios raised, "
	      "%zu options priced)",
	      wrong, lifted, raised, priced);

	/* a catalogue loaded apart gets an index of its own; the one beside q is kept with q */
	dl__cat_index *made = NULL;
	const dl__cat_index *got = dl__cat_index_for(c, q, &made);
	check(got && got == made, "a catalogue that is not q's own gets an index made for the call");
	dl__cat_index_free(made);
	const dl_catalogue *beside = NULL;
	if (check(dl__catalogue_beside(&beside, q, &err) == 0 && beside, "q finds the catalogue beside it")) {
		const dl__cat_index *kept = dl__cat_index_for(beside, q, &made);
		check(kept && !made && dl__cat_index_for(beside, q, &made) == kept,
		      "the catalogue beside q has its index kept with q, the same every time");
	}
done:
	dl__cat_index_free(x);
	dl_catalogue_free(c);
}

static const char BROKEN[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                   /* 1 */
    "<solution-catalogue id=\"x\" version=\"1\">\n"                                  /* 2 */
    "  <title>t</title>\n"                                                           /* 3 */
    "  <questionnaire id=\"miit-2024\" version=\"2024\"/>\n"                         /* 4 */
    "  <sources><source id=\"s\" confidence=\"L\">s</source>"                        /* 5 */
    "<source id=\"s\" confidence=\"M\">again</source></sources>\n"
    "  <providers><provider id=\"p\" kind=\"product\">p</provider></providers>\n"    /* 6 */
    "  <solution id=\"a\" category=\"software\" subsidy=\"eligible\" confidence=\"L\" sources=\"s nope\">\n" /* 7 */
    "    <name>a</name><description>d</description>\n"                               /* 8 */
    "    <cost low=\"8\" high=\"1\"/>\n"                                              /* 9 */
    "    <weeks low=\"9\" high=\"2\"/>\n"                                             /* 10 */
    "    <lifts question=\"Q04\" scenario=\"S01\" level=\"2\"/>\n"                   /* 11 */
    "    <offered-by provider=\"ghost\"/>\n"                                         /* 12 */
    "  </solution>\n"                                                                /* 13 */
    "  <solution id=\"a\" category=\"software\" subsidy=\"eligible\" confidence=\"L\" sources=\"s\">\n" /* 14 */
    "    <name>b</name><description>d</description>\n"
    "    <cost low=\"1\" high=\"2\"/><weeks low=\"1\" high=\"2\"/>\n"
    "    <lifts question=\"Q04\" options=\"D\"/>\n"
    "  </solution>\n"
    "</solution-catalogue>\n";

static const char UNKNOWN_IDS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<solution-catalogue id=\"x\" version=\"1\">\n"
    "  <title>t</title>\n"
    "  <questionnaire id=\"miit-2024\" version=\"2024\"/>\n"
    "  <sources><source id=\"s\" confidence=\"L\">s</source></sources>\n"
    "  <solution id=\"a\" category=\"software\" subsidy=\"eligible\" confidence=\"L\" sources=\"s\">\n"
    "    <name>a</name><description>d</description>\n"
    "    <cost low=\"1\" high=\"2\"/><weeks low=\"1\" high=\"2\"/>\n"
    "    <lifts question=\"Q99\" options=\"A\"/>\n"                                  /* 9 */
    "    <lifts question=\"Q04\" options=\"D Z\"/>\n"                                /* 10 */
    "    <lifts scenario=\"S99\" level=\"2\"/>\n"                                    /* 11 */
    "    <lifts scenario=\"S01\" level=\"7\"/>\n"                                    /* 12 */
    "    <lifts question=\"Q11\" options=\"B\"/>\n"                                  /* 13 */
    "  </solution>\n"
    "</solution-catalogue>\n";

static void test_broken(const dl_questionnaire *q)
{
	seen s = {{{0}}, 0};
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	dl_catalogue *c = NULL;
	dl_error err = {0};
	opts.diag = collect;
	opts.diag_data = &s;
	check(dl_catalogue_load_memory(&c, BROKEN, strlen(BROKEN), "broken.xml", &opts, &err) == DL_EINVALID,
	      "a broken catalogue is refused");
	check(has(&s, "broken.xml:5:52: duplicate source id 's' (first at line 5)"), "a duplicate source, at its place");
	check(has(&s, "broken.xml:9:5: solution 'a': cost low is above high"), "cost upside down");
	check(has(&s, "broken.xml:10:5: solution 'a': weeks low (9) is above high (2)"), "weeks upside down");
	check(has(&s, "broken.xml:7:3: solution 'a': source 'nope' is not declared in <sources>"), "an unknown source");
	check(has(&s, "broken.xml:11:5: solution 'a': a <lifts> names either a question or a scenario"),
	      "a lift of both kinds");
	check(has(&s, "broken.xml:12:5: solution 'a': provider 'ghost' is not declared in <providers>"),
	      "an unknown provider");
	check(has(&s, "broken.xml:14:3: duplicate solution id 'a' (first at line 7)"), "a duplicate solution");

	s.count = 0;
	static const char BAD_SCHEMA[] = "<?xml version=\"1.0\"?>\n<solution-catalogue id=\"x\" version=\"1\">\n"
					 "  <title>t</title>\n  <questionnaire id=\"miit-2024\" version=\"2024\"/>\n"
					 "  <sources><source id=\"s\" confidence=\"X\">s</source></sources>\n"
					 "</solution-catalogue>\n";
	check(dl_catalogue_load_memory(&c, BAD_SCHEMA, strlen(BAD_SCHEMA), "schema.xml", &opts, &err) ==
		      DL_EINVALID && s.count >= 2 && strncmp(s.lines[0], "schema.xml:5:12: ", 17) == 0,
	      "schema errors at their place (%s)", s.count ? s.lines[0] : "none");

	s.count = 0;
	if (!check(dl_catalogue_load_memory(&c, UNKNOWN_IDS, strlen(UNKNOWN_IDS), "ids.xml", &opts, &err) == 0,
		   "a catalogue with unknown ids loads (they are checked against a questionnaire)"))
		return;
	check(dl_catalogue_check(c, q, &opts, &err) == DL_EINVALID, "and is refused against miit-2024");
	check(has(&s, "ids.xml:9:5: solution 'a': question 'Q99' is not in questionnaire miit-2024 2024"), "unknown question");
	check(has(&s, "ids.xml:10:5: solution 'a': question 'Q04' has no option 'Z'"), "unknown option");
	check(has(&s, "ids.xml:11:5: solution 'a': scenario 'S99' is not in questionnaire miit-2024 2024"), "unknown scenario");
	check(has(&s, "ids.xml:12:5: solution 'a': scenario 'S01' has levels 1 to 4, not 7"), "level out of range");
	check(has(&s, "ids.xml:13:5: solution 'a': question 'Q11' is an outcome, measured and not delivered: "
		      "no solution lifts it"),
	      "an outcome cannot be lifted");
	dl_catalogue_free(c);
}

static void test_examples(const dl_questionnaire *q)
{
	static const char *const names[] = {"chemical", "equipment", "food", "fuel", "textile"};
	dl_policy *policy = NULL;
	dl_catalogue *cat = NULL;
	dl_error err = {0};
	if (!check(dl_policy_load(&policy, "policies/hongsibu-2024.xml", NULL, &err) == 0, "the district's policy") ||
	    !check(dl_catalogue_find(&cat, q, NULL, &err) == 0, "the catalogue"))
		goto done;
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		char path[128];
		dl_sheet *s = NULL;
		dl_result *r = NULL;
		dl_plan *p = NULL;
		dl_retrofit *rt = NULL;
		snprintf(path, sizeof(path), "examples/%s-before.xml", names[k]);
		if (!check(dl_sheet_load(&s, path, NULL, &err) == 0 && dl_score(&r, q, s, NULL, &err) == 0,
			   "%s scores", path) ||
		    !check(dl_plan_make(&p, r, dl_result_level(r) + 1, &err) == 0, "%s: a plan", path) ||
		    !check(dl_retrofit_recommend(&rt, r, s, p, cat, policy, &err) == 0, "%s: a recommendation (%s)",
			   path, err.message))
			goto next;
		check(dl_sheet_has_profile(s) && dl_sheet_inventory_count(s) > 0 && dl_sheet_has_survey(s),
		      "%s has a profile, an inventory and a survey", path);
		check(dl_retrofit_expected_level(rt) >= dl_plan_target(p),
		      "%s: with the steps applied the sheet scores level %d (expected at least %d)", path,
		      dl_retrofit_expected_level(rt), dl_plan_target(p));
		for (size_t i = 0; i < dl_plan_step_count(p); i++)
			if (dl_plan_step_kind(p, i) != DL_STEP_RAISE_SCENARIO)
				check(strcmp(dl_questionnaire_question_id(q, dl_plan_step_question(p, i)), "Q11") != 0,
				      "%s: no step asks for a share of revenue", path);
		for (size_t j = 0; j < dl_retrofit_solution_count(rt); j++)
			for (size_t i = 0; i < dl_retrofit_solution_step_count(rt, j); i++)
				check(!dl_plan_step_is_outcome(p, dl_retrofit_solution_step(rt, j, i)),
				      "%s: no solution is bought for an outcome", path);
		check(dl_retrofit_cost_low(rt) <= dl_retrofit_cost_high(rt) && dl_retrofit_weeks_low(rt) <= dl_retrofit_weeks_high(rt),
		      "%s: ranges in order", path);
		check(dl_retrofit_has_policy(rt), "%s: the policy was applied", path);
		if (dl_retrofit_subsidy_granted(rt))
			check(dl_retrofit_subsidy_low(rt) <= dl_retrofit_subsidy_high(rt) &&
				      dl_retrofit_subsidy_high(rt) <= dl_retrofit_eligible_high(rt) &&
				      dl_retrofit_subsidy_high(rt) <= 50000000,
			      "%s: subsidy %lld–%lld fen within the eligible investment and the 500,000 yuan cap", path,
			      (long long)dl_retrofit_subsidy_low(rt), (long long)dl_retrofit_subsidy_high(rt));
		else
			check(dl_retrofit_subsidy_note(rt)[0] != '\0', "%s: says why no subsidy (%s)", path,
			      dl_retrofit_subsidy_note(rt));
		if (strcmp(names[k], "equipment") == 0) {
			/* the report shows the subsidy when given the policy */
			dl_report_options ro = DL_REPORT_OPTIONS_INIT;
			unsigned char *text = NULL;
			size_t len = 0;
			ro.format = DL_REPORT_TEXT;
			ro.policy = policy;
			check(dl_retrofit_subsidy_granted(rt), "equipment: a subsidy is expected (%s)", dl_retrofit_subsidy_note(rt));
			if (check(dl_report_diagnostic(&text, &len, r, s, &ro, &err) == 0, "the report renders"))
				check(strstr((char *)text, "预计补助： | ") && !strstr((char *)text, "未指定补助政策") &&
					      strstr((char *)text, "119,000.00–500,000.00 元") != NULL && strstr((char *)text, "（四）推荐改造方案（参考）"),
				      "the report shows the expected subsidy: 119,000.00–500,000.00 元 (70%% of 170,000.00 to the cap)");
			dl_report_free(text);
		}
	next:
		dl_retrofit_free(rt);
		dl_plan_free(p);
		dl_result_free(r);
		dl_sheet_free(s);
	}
done:
	dl_catalogue_free(cat);
	dl_policy_free(policy);
}

int main(void)
{
	/* the messages checked are the English ones, whatever the library's default (docs/messages.md) */
	dl_set_language(DL_LANGUAGE_EN);
	dl_questionnaire *q = NULL;
	dl_error err = {0};
	if (!check(dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, &err) == 0, "load miit-2024"))
		return test_done();
	test_shipped(q);
	test_index(q);
	test_broken(q);
	test_examples(q);
	dl_questionnaire_free(q);
	return test_done();
}
