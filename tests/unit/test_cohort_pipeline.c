/*
 * test_cohort_pipeline.c: the arithmetic of the cohort's pipeline, milestones and funds: the
 * milestones' expected counts rounded up (65% of 35 is 23, not 22.75 cut to 22), averages of points
 * to one decimal rounded once, exactly, with halves away from zero (rounding to 1/10000 first would
 * turn 1.04995 into 1.0500 and then 1.1), stages as of a date, a milestone counted against its own
 * date, payments matched to the approved subsidy to the fen, and 限期整改 counted apart from 不通过
 * with its deadline.
 */
#include "cohort_model.h"
#include "test_util.h"

#include <digilevel.h>
#include <string.h>

static const char PAID[] =
    "<targets id=\"t\" version=\"1\"><title>T</title><issuer>I</issuer><document>D</document>"
    "<questionnaire id=\"miit-2024\" version=\"2024\"/><retrofitted level=\"二级\"/>"
    "<deadlines><deadline id=\"d\" date=\"2026-10-31\">D</deadline></deadlines>"
    "<target id=\"all\" row=\"1\" unit=\"家\"><title>改造</title><count/>"
    "<goal deadline=\"d\" value=\"3\"/><total value=\"3\"/></target>"
    "<milestones base=\"all\">"
    "<milestone row=\"5\" stage=\"diagnosis\" date=\"2025-01-31\" percent=\"65\">M1</milestone>"
    "<milestone row=\"6\" stage=\"retrofit\" date=\"2025-05-31\" percent=\"100\">M2</milestone>"
    "</milestones><disbursements>"
    "<payment credit-code=\"91640303MA76L2K45X\" date=\"2025-07-01\" amount=\"0.01\" document=\"a\"/>"
    "<payment credit-code=\"91640303MA76L2K45X\" date=\"2025-07-02\" amount=\"99.99\" document=\"b\"/>"
    "<payment credit-code=\"91640303MA76L2K45X\" date=\"2025-07-03\" amount=\"0.01\" document=\"c\"/>"
    "</disbursements></targets>";

static void milestones_shipped(void)
{
	dl_targets *t = NULL;
	check(dl_targets_load(&t, "policies/hongsibu-2024-targets.xml", NULL, NULL) == 0,
	      "the shipped targets load");
	if (!t)
		return;
	check(dl_targets_milestone_count(t) == 6, "附件3: six milestones with a share");
	check(dl_targets_milestone_base(t) == dl_targets_find(t, "retrofitted"),
	      "the percents are of row 1, 拟改造企业数量");
	check(dl_targets_milestone_expected(t, 0) == 23, "65%%以上 of 35 is 23 (22.75 rounded up)");
	check(dl_targets_milestone_expected(t, 3) == 35, "所有试点企业: 35");
	check(dl_targets_milestone_stage(t, 2) == DL_STAGE_ACCEPTANCE &&
		  strcmp(dl_targets_milestone_date(t, 2), "2025-07-31") == 0,
	      "序号8: 评测验收 by the end of July 2025");
	dl_targets_free(t);
}

static void averages(void)
{
	char buf[32];
	check(strcmp(dl__cohort_average_points(20999, 2, buf, sizeof(buf)), "1.0") == 0,
	      "1.04995 points is 1.0: rounded once (to 1/10000 first it would be 1.0500, then 1.1)");
	check(strcmp(dl__cohort_average_points(21000, 2, buf, sizeof(buf)), "1.1") == 0,
	      "1.05 rounds half away from zero to 1.1");
	check(strcmp(dl__cohort_average_points(-21000, 2, buf, sizeof(buf)), "-1.1") == 0,
	      "and a fall of 1.05 to -1.1");
	check(strcmp(dl__cohort_average_points(-999, 1, buf, sizeof(buf)), "-0.1") == 0,
	      "a fall of 0.0999 is -0.1");
	check(strcmp(dl__cohort_average_points(-499, 1, buf, sizeof(buf)), "0.0") == 0,
	      "a fall of 0.0499 rounds to 0.0, without a sign");
	check(strcmp(dl__cohort_average_points(10000, 3, buf, sizeof(buf)), "0.3") == 0,
	      "1 point over 3 enterprises");
	check(strcmp(dl__cohort_average_points(0, 0, buf, sizeof(buf)), "—") == 0,
	      "no enterprise: no average");
	check(strcmp(dl__cohort_average_rating(9, 2, buf, sizeof(buf)), "4.5") == 0 &&
		  strcmp(dl__cohort_average_rating(13, 3, buf, sizeof(buf)), "4.3") == 0 &&
		  strcmp(dl__cohort_average_rating(0, 0, buf, sizeof(buf)), "—") == 0,
	      "ratings: 4.5, 4.33 as 4.3, none as —");
}

static void entry(dl_cohort_entry *e, const char *code, const char *diag, const char *done,
		  dl_verdict verdict, int64_t subsidy)
{
	dl_cohort_entry_clear(e);
	dl_cohort_entry_set_enterprise(e, code, code, "食品加工制造", "规上");
	dl_cohort_entry_set_before(e, 1, diag);
	dl_cohort_entry_set_stage_date(e, DL_STAGE_DIAGNOSIS, diag);
	if (done) {
		dl_cohort_entry_set_after(e, 2, done);
		dl_cohort_entry_set_stage_date(e, DL_STAGE_RETROFIT, done);
		dl_cohort_entry_set_stage_date(e, DL_STAGE_ACCEPTANCE, done);
		dl_cohort_entry_set_acceptance(e, verdict, verdict == DL_VERDICT_PASS ? "phase-1" : "",
					       100000, subsidy);
		dl_cohort_entry_set_totals(e, 300000, 410001);
	}
}

static void cohort(void)
{
	dl_targets *t = NULL;
	dl_questionnaire *q = NULL;
	dl_policy *p = NULL;
	dl_cohort *c = NULL;
	dl_cohort_entry *e = NULL;
	dl_error err;
	check(dl_targets_load_memory(&t, PAID, sizeof(PAID) - 1, "paid.xml", NULL, &err) == 0,
	      "targets with milestones and payments load");
	check(dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, NULL) == 0,
	      "the questionnaire loads");
	check(dl_policy_load(&p, "policies/hongsibu-2024.xml", NULL, NULL) == 0, "the policy loads");
	if (!t || !q || !p || dl_cohort_new(&c, t, q, p, NULL) != 0 || dl_cohort_entry_new(&e) != 0)
		goto done;
	dl_cohort_set_as_of(c, "2025-06-30", NULL);
	entry(e, "91640303MA76L2K45X", "2025-01-10", "2025-05-20", DL_VERDICT_PASS, 10000); /* 100.00 */
	check(dl_cohort_add(c, e, NULL) == 0, "a passed enterprise is added");
	entry(e, "91640303MA76Y08D81", "2025-02-10", "2025-06-20", DL_VERDICT_FAIL, 0);
	check(dl_cohort_add(c, e, NULL) == 0, "a failed one");
	entry(e, "91640303MA76RT3C9U", "2025-07-10", NULL, DL_VERDICT_FAIL, 0);
	check(dl_cohort_add(c, e, NULL) == 0, "one diagnosed after the as-of date");
	entry(e, "91640303MA77A1P880", "2025-02-15", "2025-06-10", DL_VERDICT_RECTIFY, 5000);
	check(dl_cohort_add(c, e, NULL) == 0, "one under rectification");
	entry(e, "91640303MA7CK4N152", "2025-01-15", "2025-06-10", (dl_verdict)7, 0);
	check(dl_cohort_add(c, e, &err) == DL_EINVALID && strstr(err.message, "verdict 7"),
	      "a verdict that is none of the three is refused");
	check(dl_cohort_enterprise_count(c) == 4, "and changes nothing");
	check(dl_cohort_failed_count(c) == 1 && dl_cohort_rectify_count(c) == 1,
	      "限期整改 is counted apart from 不通过");
	check(dl_cohort_roster_verdict(c, 3) == DL_VERDICT_RECTIFY &&
		  strcmp(dl_cohort_roster_deadline(c, 3), "2025-07-10") == 0,
	      "its deadline: the evaluation date 2025-06-10 plus the policy's 30 days");
	check(dl_cohort_roster_verdict(c, 1) == DL_VERDICT_FAIL &&
		  dl_cohort_roster_deadline(c, 1)[0] == '\0' && dl_cohort_roster_verdict(c, 2) == -1,
	      "不通过 has no deadline; no evaluation, no verdict");
	check(dl_cohort_roster_stage(c, 3) == DL_STAGE_ACCEPTANCE, "a rectifying enterprise is at 验收");
	check(dl_cohort_subsidy_total(c) == 10000 && dl_cohort_retrofitted_count(c) == 1,
	      "its subsidy is not approved and its retrofit is not done");
	check(dl_cohort_stage_count(c, DL_STAGE_DIAGNOSIS, NULL) == 3,
	      "as of 2025-06-30 three are diagnosed");
	check(dl_cohort_roster_stage(c, 2) == -1, "the third has reached no stage yet");
	check(dl_cohort_milestone_reached(c, 0) == 1,
	      "by 2025-01-31 one was diagnosed: the milestone counts at its own date");
	check(dl_targets_milestone_expected(t, 0) == 2, "65%% of 3 is 2");
	check(dl_cohort_milestone_status(c, 0) == DL_STATUS_MISSED, "1 of 2 after the date: 未完成");
	check(dl_cohort_milestone_reached(c, 1) == 1, "retrofitted by 2025-05-31: one");
	check(dl_cohort_milestone_status(c, 1) == DL_STATUS_MISSED, "1 of 3, past its date: 未完成");
	check(dl_cohort_check_payments(c, NULL, &err) == DL_EINVALID && err.line > 0,
	      "0.01 + 99.99 + 0.01 is one fen over 100.00: refused with its position");
	check(dl_cohort_disbursed_total(c) == 10000 && dl_cohort_roster_disbursed(c, 0) == 10000,
	      "the two payments within the subsidy count, to the fen");
	check(dl_cohort_roster_stage(c, 0) == DL_STAGE_ACCEPTANCE,
	      "paid on 2025-07-01, after the as-of date: still 验收 as of 2025-06-30");
done:
	dl_cohort_entry_free(e);
	dl_cohort_free(c);
	dl_policy_free(p);
	dl_questionnaire_free(q);
	dl_targets_free(t);
}

int main(void)
{
	milestones_shipped();
	averages();
	cohort();
	return test_done();
}
