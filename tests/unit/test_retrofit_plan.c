/*
 * test_retrofit_plan.c: the sheet's <retrofit-plan> (the solutions an integrator has chosen) and the
 * retrofit made from it (dl_retrofit_from_sheet), and that the recommended retrofit is unchanged by
 * it.
 *
 * Run from the top of the tree (as `make check` does): it reads questionnaires/miit-2024.xml, the
 * catalogue beside it, examples/food-before.xml (which carries a <retrofit-plan>) and
 * policies/hongsibu-2024.xml. Variants of the food sheet are made in memory by replacing its
 * <retrofit-plan>.
 */
#include "digilevel.h"
#include "test_util.h"

static dl_questionnaire *q;
static dl_catalogue *cat;
static dl_policy *policy;
static char *food; /* examples/food-before.xml */

/* The food sheet with its <retrofit-plan> replaced by plan ("" for none), loaded; NULL on failure
 * (err says why). */
static dl_sheet *variant(const char *plan, dl_error *err)
{
	const char *from = strstr(food, "  <retrofit-plan"), *to = strstr(food, "</retrofit-plan>\n");
	dl_sheet *s = NULL;
	if (!check(from && to, "the food sheet holds a <retrofit-plan>"))
		return NULL;
	to += strlen("</retrofit-plan>\n");
	size_t n = (size_t)(from - food), m = strlen(plan), rest = strlen(to);
	char *text = malloc(n + m + rest + 1);
	if (!text)
		return NULL;
	memcpy(text, food, n);
	memcpy(text + n, plan, m);
	memcpy(text + n + m, to, rest + 1);
	if (dl_sheet_load_memory(&s, text, n + m + rest, "variant.xml", NULL, err) != 0)
		s = NULL;
	free(text);
	return s;
}

static size_t problems;
static void count_problem(const dl_error *e, void *data)
{
	(void)e;
	(void)data;
	problems++;
}

/* The sheet model: every attribute of the food sheet's plan, exactly. */
static void test_sheet(const dl_sheet *s)
{
	check(dl_sheet_has_retrofit_plan(s), "the food sheet has a retrofit plan");
	check(strcmp(dl_sheet_plan_date(s), "2024-12-20") == 0, "plan date");
	check(strcmp(dl_sheet_plan_number(s), "YQSZ-FA-2024-017") == 0, "plan number");
	check(dl_sheet_plan_target(s) == 2, "target level 2");
	check(strstr(dl_sheet_plan_integrator(s), "宁夏云启数智") != NULL, "integrator");
	check(strstr(dl_sheet_plan_supervision(s), "全过程监督服务单位") != NULL, "supervision unit");
	check(dl_sheet_plan_item_count(s) == 5, "five items");
	check(strcmp(dl_sheet_plan_item_solution(s, 0), "iot-gateway") == 0, "item 1's solution");
	check(dl_sheet_plan_item_fen(s, 0) == 16800000, "item 1's amount in fen, exact");
	check(dl_sheet_plan_item_fen(s, 2) == -1, "item 3 has no amount");
	check(strcmp(dl_sheet_plan_item_start(s, 0), "2025-01-06") == 0 &&
		  strcmp(dl_sheet_plan_item_finish(s, 0), "2025-03-14") == 0,
	      "item 1's schedule");
	check(dl_sheet_plan_item_solution(s, 4)[0] == '\0' &&
		  strcmp(dl_sheet_plan_item_category(s, 4), "training") == 0 &&
		  dl_sheet_plan_item_text(s, 4)[0] != '\0',
	      "item 5 is the integrator's own, with category and text");
	check(dl_sheet_plan_responsibility(s, DL_PLAN_ENTERPRISE)[0] != '\0' &&
		  dl_sheet_plan_responsibility(s, DL_PLAN_INTEGRATOR)[0] == '\0',
	      "the enterprise's responsibility is given, the integrator's is not");
}

static void test_chosen(const dl_sheet *s, const dl_result *r, const dl_plan *p)
{
	dl_retrofit *rt = NULL, *rp = NULL;
	dl_error err = {0};
	if (!check(dl_retrofit_from_sheet(&rt, r, s, p, cat, NULL, &err) == 0, "a retrofit from the sheet (%s)",
		   err.message))
		return;
	check(dl_retrofit_is_chosen(rt), "it is the chosen one");
	check(dl_retrofit_solution_count(rt) == 5, "one solution per item");
	check(dl_retrofit_solution(rt, 0) == dl_catalogue_solution_find(cat, "iot-gateway"), "item 1 is the gateway");
	check(dl_retrofit_solution(rt, 4) == DL_NONE, "item 5 is in no catalogue");
	size_t plm = dl_catalogue_solution_find(cat, "plm-cad");
	/* 168,000 + 96,000 + 45,000 + 12,000 exact, plus the PLM range */
	check(dl_retrofit_cost_low(rt) == 32100000 + dl_catalogue_solution_cost_low(cat, plm) &&
		  dl_retrofit_cost_high(rt) == 32100000 + dl_catalogue_solution_cost_high(cat, plm),
	      "total: the exact amounts plus the catalogue's range for the item without one (%lld–%lld)",
	      (long long)dl_retrofit_cost_low(rt), (long long)dl_retrofit_cost_high(rt));
	check(dl_retrofit_item_exact(rt, 0) && !dl_retrofit_item_exact(rt, 2) &&
		  dl_retrofit_item_cost_low(rt, 0) == dl_retrofit_item_cost_high(rt, 0),
	      "an item with an amount is exact, one without is a range");
	check(strcmp(dl_retrofit_start(rt), "2025-01-06") == 0, "earliest start");
	check(strcmp(dl_retrofit_completion(rt), "2025-04-18") == 0, "completion: the latest finish");
	check(dl_retrofit_expected_level(rt) >= 2 && dl_retrofit_remaining(rt) == NULL,
	      "the plan reaches its target (level %d)", dl_retrofit_expected_level(rt));
	check(dl_retrofit_uncovered_count(rt) == 0, "every step of the plan is achieved");
	/* the gateway raises S06 to the level it supports by itself, and Q03 one step only */
	size_t s06 = dl_questionnaire_scenario_find(q, "S06"), q03 = dl_questionnaire_question_find(q, "Q03");
	int raised = 0, q03_to_b = 0;
	for (size_t k = 0; k < dl_retrofit_change_count(rt, 0); k++) {
		if (dl_retrofit_change_kind(rt, 0, k) == DL_STEP_RAISE_SCENARIO &&
		    dl_retrofit_change_scenario(rt, 0, k) == s06)
			raised = dl_retrofit_change_level_to(rt, 0, k) ==
				 dl_catalogue_solution_lifts_scenario(cat, dl_retrofit_solution(rt, 0), "S06");
		if (dl_retrofit_change_kind(rt, 0, k) == DL_STEP_SWITCH_OPTION &&
		    dl_retrofit_change_question(rt, 0, k) == q03)
			q03_to_b = strcmp(dl_questionnaire_option_id(q, q03, dl_retrofit_change_option_to(rt, 0, k)),
					  "B") == 0;
	}
	check(raised, "the gateway raises S06 to the catalogue's level");
	check(q03_to_b, "a single choice moves one step up (Q03 A → B), not to the best lifted option");
	check(dl_retrofit_change_count(rt, 4) == 0, "the integrator's own item changes no answer");
	check(!dl_retrofit_has_policy(rt) && dl_retrofit_subsidy_high(rt) == 0, "no policy, no subsidy");

	if (check(dl_retrofit_from_sheet(&rp, r, s, p, cat, policy, &err) == 0, "with the policy (%s)", err.message)) {
		check(dl_retrofit_has_policy(rp) && dl_retrofit_subsidy_granted(rp), "the policy grants a subsidy");
		/* consulting (45,000) and training (12,000) are not eligible under the district's policy */
		check(dl_retrofit_eligible_low(rp) == dl_retrofit_cost_low(rp) - 5700000 &&
			  dl_retrofit_eligible_high(rp) == dl_retrofit_cost_high(rp) - 5700000,
		      "eligible: all but consulting and training (%lld)", (long long)dl_retrofit_eligible_low(rp));
		check(dl_retrofit_subsidy_low(rp) > 0 && dl_retrofit_subsidy_low(rp) <= dl_retrofit_subsidy_high(rp) &&
			  dl_retrofit_subsidy_high(rp) <= dl_retrofit_eligible_high(rp),
		      "subsidy within the eligible investment (%lld–%lld)", (long long)dl_retrofit_subsidy_low(rp),
		      (long long)dl_retrofit_subsidy_high(rp));
		check(dl_retrofit_expected_level(rp) == dl_retrofit_expected_level(rt) &&
			  dl_retrofit_expected_total(rp) == dl_retrofit_expected_total(rt),
		      "the policy changes nothing but the subsidy");
	}
	dl_retrofit_free(rp);
	dl_retrofit_free(rt);
}

/* The recommendation is what it was: the same with and without a <retrofit-plan> in the sheet. */
static void test_recommend_unchanged(const dl_sheet *with, const dl_result *r, const dl_plan *p)
{
	dl_error err = {0};
	dl_sheet *without = variant("", &err);
	dl_result *r2 = NULL;
	dl_plan *p2 = NULL;
	dl_retrofit *a = NULL, *b = NULL;
	if (!check(without && dl_score(&r2, q, without, NULL, &err) == 0 &&
			   dl_plan_make_with(&p2, r2, 2, cat, &err) == 0,
		   "the food sheet without its plan scores"))
		goto done;
	if (!check(dl_retrofit_recommend(&a, r, with, p, cat, policy, &err) == 0 &&
			   dl_retrofit_recommend(&b, r2, without, p2, cat, policy, &err) == 0,
		   "both recommend (%s)", err.message))
		goto done;
	check(!dl_retrofit_is_chosen(a), "a recommendation is not the chosen retrofit");
	int same = dl_retrofit_solution_count(a) == dl_retrofit_solution_count(b);
	for (size_t k = 0; same && k < dl_retrofit_solution_count(a); k++)
		same = dl_retrofit_solution(a, k) == dl_retrofit_solution(b, k) &&
		       dl_retrofit_change_count(a, k) == dl_retrofit_solution_step_count(a, k);
	check(same, "the same solutions, each with its covered steps as its changes");
	check(dl_retrofit_cost_low(a) == dl_retrofit_cost_low(b) && dl_retrofit_cost_high(a) == dl_retrofit_cost_high(b) &&
		      dl_retrofit_expected_total(a) == dl_retrofit_expected_total(b) &&
		      dl_retrofit_subsidy_low(a) == dl_retrofit_subsidy_low(b) &&
		      dl_retrofit_subsidy_high(a) == dl_retrofit_subsidy_high(b) &&
		      strcmp(dl_retrofit_completion(a), dl_retrofit_completion(b)) == 0 &&
		      strcmp(dl_retrofit_subsidy_note(a), dl_retrofit_subsidy_note(b)) == 0,
	      "the same amounts, level, subsidy and dates");
	check(dl_retrofit_remaining(a) == NULL && dl_retrofit_start(a)[0] == '\0', "no remaining plan, no start");
done:
	dl_retrofit_free(a);
	dl_retrofit_free(b);
	dl_plan_free(p2);
	dl_result_free(r2);
	dl_sheet_free(without);
}

static void test_short(void)
{
	dl_error err = {0};
	dl_sheet *s = variant("  <retrofit-plan date=\"2024-12-20\" target-level=\"2\">\n"
			      "    <item solution=\"qms-trace\" amount=\"1234.56\"/>\n"
			      "  </retrofit-plan>\n",
			      &err);
	dl_result *r = NULL;
	dl_plan *p = NULL;
	dl_retrofit *rt = NULL;
	if (!check(s && dl_score(&r, q, s, NULL, &err) == 0 && dl_plan_make_with(&p, r, 2, cat, &err) == 0,
		   "a plan of one item loads and scores"))
		goto done;
	check(dl_sheet_plan_item_fen(s, 0) == 123456, "1234.56 yuan is 123456 fen");
	if (!check(dl_retrofit_from_sheet(&rt, r, s, p, cat, policy, &err) == 0, "its retrofit (%s)", err.message))
		goto done;
	check(dl_retrofit_cost_low(rt) == 123456 && dl_retrofit_cost_high(rt) == 123456, "the exact amount");
	check(dl_retrofit_expected_level(rt) < 2, "one item does not reach level 2");
	const dl_plan *rest = dl_retrofit_remaining(rt);
	check(rest && dl_plan_target(rest) == 2 && dl_plan_step_count(rest) > 0 &&
		      dl_plan_step_count(rest) < dl_plan_step_count(p),
	      "what is still missing: a plan to level 2 from the expected result, shorter than the whole");
	check(dl_retrofit_uncovered_count(rt) > 0, "steps of the plan are not achieved");
	check(strcmp(dl_retrofit_completion(rt), "2025-03-14") == 0, /* 2024-12-20 + 12 weeks */
	      "no dates: the plan's date plus the catalogue's longest delivery (%s)", dl_retrofit_completion(rt));
done:
	dl_retrofit_free(rt);
	dl_plan_free(p);
	dl_result_free(r);
	dl_sheet_free(s);
}

static void test_errors(const dl_result *r)
{
	dl_error err = {0};
	dl_retrofit *rt = NULL;
	dl_sheet *s = variant("  <retrofit-plan date=\"2024-12-20\">\n"
			      "    <item solution=\"no-such\"/>\n"
			      "    <item solution=\"iot-gateway\"/>\n"
			      "    <item solution=\"nor-this\"/>\n"
			      "  </retrofit-plan>\n",
			      &err);
	dl_load_options lo = DL_LOAD_OPTIONS_INIT;
	lo.diag = count_problem;
	if (check(s != NULL, "unknown ids load (the catalogue checks them)")) {
		problems = 0;
		check(dl_retrofit_plan_check(s, q, cat, &lo, &err) == DL_EINVALID && problems == 2,
		      "both unknown ids are reported (%zu)", problems);
		check(dl_retrofit_from_sheet(&rt, r, s, NULL, cat, NULL, &err) == DL_EINVALID && rt == NULL &&
			      strcmp(err.file, "variant.xml") == 0 && err.line > 0 && err.column > 0 &&
			      strstr(err.message, "no-such") != NULL,
		      "the retrofit is refused at file:line:column (%s:%lu:%lu: %s)", err.file, err.line, err.column,
		      err.message);
	}
	dl_sheet_free(s);
	s = variant("", &err);
	if (check(s != NULL, "a sheet without a plan loads"))
		check(dl_retrofit_from_sheet(&rt, r, s, NULL, cat, NULL, &err) == DL_EINVALID && rt == NULL,
		      "no <retrofit-plan>: refused (%s)", err.message);
	dl_sheet_free(s);
	s = variant("  <retrofit-plan date=\"2024-12-20\">\n"
		    "    <item solution=\"iot-gateway\" start=\"2025-03-01\" finish=\"2025-02-01\"/>\n"
		    "  </retrofit-plan>\n",
		    &err);
	check(s == NULL && err.code == DL_EINVALID && err.line > 0 && strstr(err.message, "before it starts"),
	      "finish before start is refused with its position (%s)", err.message);
	dl_sheet_free(s);
	s = variant("  <retrofit-plan date=\"2024-12-20\">\n"
		    "    <item solution=\"iot-gateway\" amount=\"12.345\"/>\n"
		    "  </retrofit-plan>\n",
		    &err);
	check(s == NULL && err.code == DL_EINVALID, "an amount with three decimals is refused (%s)", err.message);
	dl_sheet_free(s);
}

int main(void)
{
	dl_error err = {0};
	dl_sheet *s = NULL;
	dl_result *r = NULL;
	dl_plan *p = NULL;
	size_t len = 0;
	if (!check(dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, &err) == 0, "questionnaire") ||
	    !check(dl_catalogue_find(&cat, q, NULL, &err) == 0, "catalogue") ||
	    !check(dl_policy_load(&policy, "policies/hongsibu-2024.xml", NULL, &err) == 0, "policy") ||
	    !check((food = read_file("examples/food-before.xml", &len)) != NULL, "read the food sheet") ||
	    !check(dl_sheet_load(&s, "examples/food-before.xml", NULL, &err) == 0 && dl_score(&r, q, s, NULL, &err) == 0 &&
			   dl_plan_make_with(&p, r, 2, cat, &err) == 0,
		   "the food sheet scores (%s)", err.message))
		goto done;
	test_sheet(s);
	test_chosen(s, r, p);
	test_recommend_unchanged(s, r, p);
	test_short();
	test_errors(r);
done:
	dl_plan_free(p);
	dl_result_free(r);
	dl_sheet_free(s);
	free(food);
	dl_policy_free(policy);
	dl_catalogue_free(cat);
	dl_questionnaire_free(q);
	return test_done();
}
