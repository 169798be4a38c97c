/*
 * test_batch_totals.c: the money in the summary of `digilevel batch` and `digilevel cohort` is added
 * up exactly, and a total too large for 64 bits of fen is an error, never a wrong (negative) number.
 *
 * The summing is engine/cohort/batch_totals.c (the library's dl_batch adds its rows with it), called here
 * through the library's private header: 92,300 enterprises each granted the largest
 * subsidy a policy can give (a 999,999,999,999.99 yuan cap plus as large a bonus would be more) add
 * up past INT64_MAX fen, which the summary printed as a negative total before the check.
 */
#include "batch_model.h" /* dl__batch_totals_add: engine/cohort/batch_totals.c */

#include <digilevel.h>

#include "test_util.h"

static dl_batch_row granted(int64_t fen)
{
	dl_batch_row r;
	memset(&r, 0, sizeof(r));
	r.has_verdict = true;
	r.passed = true;
	r.subsidy = fen;
	return r;
}

static void test_exact_sum(void)
{
	dl__batch_totals t = {0};
	dl_batch_row a = granted(35000000), b = granted(1), c = granted(0), d = granted(45000000);
	dl_batch_row none = granted(99);
	none.has_verdict = false;
	check(dl__batch_totals_add(&t, &a) && dl__batch_totals_add(&t, &b) && dl__batch_totals_add(&t, &c) &&
		      dl__batch_totals_add(&t, &d) && dl__batch_totals_add(&t, &none),
	      "small sums add without overflow");
	check(t.subsidies == 3 && t.subsidy_total == 80000001 && !t.overflow,
	      "three enterprises granted, 800,000.01 yuan (got %lu, %lld)", t.subsidies,
	      (long long)t.subsidy_total);
}

static void test_overflow(void)
{
	dl__batch_totals t = {0};
	dl_batch_row r = granted(INT64_C(99999999999999)); /* 999,999,999,999.99 yuan */
	unsigned long first_failure = 0;
	bool negative = false;
	for (unsigned long i = 1; i <= 92300; i++) {
		if (!dl__batch_totals_add(&t, &r) && !first_failure)
			first_failure = i;
		negative |= t.subsidy_total < 0;
	}
	check(t.overflow, "92,300 subsidies of 999,999,999,999.99 yuan overflow the total");
	check(first_failure == 92234,
	      "the first that does not fit is the 92,234th (INT64_MAX fen / 10^14; got %lu)",
	      first_failure);
	check(!negative, "the total is never negative");
	check(t.subsidies == 92300, "every granted enterprise is still counted (got %lu)", t.subsidies);
	dl_batch_row small = granted(1);
	check(!dl__batch_totals_add(&t, &small) && t.overflow, "once overflowed, the total stays unknown");
}

/* The cohort's totals (engine/scoring/cohort_progress.c), the same sums for `digilevel cohort`: checked alike. */
static void test_cohort_overflow(void)
{
	dl_questionnaire *q = NULL;
	dl_policy *policy = NULL;
	dl_targets *t = NULL;
	dl_cohort *cohort = NULL;
	dl_cohort_entry *e = NULL;
	dl_error err;
	if (dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, NULL) != 0 ||
	    dl_policy_load(&policy, "policies/hongsibu-2024.xml", NULL, NULL) != 0 ||
	    dl_targets_load(&t, "policies/hongsibu-2024-targets.xml", NULL, NULL) != 0 ||
	    dl_cohort_new(&cohort, t, q, policy, NULL) != 0 || dl_cohort_entry_new(&e) != 0) {
		check(false, "a cohort of the shipped targets and policy");
		goto done;
	}
	unsigned long refused_at = 0;
	int refused_rc = 0;
	bool negative = false;
	for (unsigned long i = 1; i <= 92300; i++) {
		char code[32];
		snprintf(code, sizeof(code), "E%lu", i);
		dl_cohort_entry_clear(e);
		int rc = dl_cohort_entry_set_enterprise(e, code, code, "甲", "规上");
		if (rc == 0)
			rc = dl_cohort_entry_set_after(e, 4, "2025-05-01");
		if (rc == 0)
			rc = dl_cohort_entry_set_acceptance(e, DL_VERDICT_PASS, "phase-1",
							    INT64_C(99999999999999),
							    INT64_C(99999999999999));
		if (rc == 0)
			rc = dl_cohort_add(cohort, e, &err);
		if (rc != 0 && !refused_at) {
			refused_at = i;
			refused_rc = rc;
		}
		negative |= dl_cohort_subsidy_total(cohort) < 0;
	}
	check(refused_at == 92234 && refused_rc == DL_ELIMIT,
	      "the cohort refuses the enterprise whose subsidy would overflow its totals (at %lu, rc %d)",
	      refused_at, refused_rc);
	check(!negative && dl_cohort_subsidy_total(cohort) == 92233 * INT64_C(99999999999999),
	      "the cohort's subsidy total is never negative and holds the 92,233 counted (%lld)",
	      (long long)dl_cohort_subsidy_total(cohort));
done:
	dl_cohort_entry_free(e);
	dl_cohort_free(cohort);
	dl_targets_free(t);
	dl_policy_free(policy);
	dl_questionnaire_free(q);
}

int main(void)
{
	test_exact_sum();
	test_overflow();
	test_cohort_overflow();
	return test_done();
}
