/*
 * test_batch_totals.c: the money in the summary of `digilevel batch` and `digilevel cohort` is added
 * up exactly, and a total too large for 64 bits of fen is an error, never a wrong (negative) number.
 *
 * The summing is cli/batch_totals.c, compiled in here: 92,300 enterprises each granted the largest
 * subsidy a policy can give (a 999,999,999,999.99 yuan cap plus as large a bonus would be more) add
 * up past INT64_MAX fen, which the summary printed as a negative total before the check.
 */
#include "../../cli/batch_totals.c"

#include "test_util.h"

static batch_row granted(int64_t fen)
{
	batch_row r;
	memset(&r, 0, sizeof(r));
	r.has_verdict = true;
	r.passed = true;
	r.subsidy = fen;
	return r;
}

static void test_exact_sum(void)
{
	batch_totals t = {0};
	batch_row a = granted(35000000), b = granted(1), c = granted(0), d = granted(45000000);
	batch_row none = granted(99);
	none.has_verdict = false;
	check(batch_totals_add(&t, &a) && batch_totals_add(&t, &b) && batch_totals_add(&t, &c) &&
		      batch_totals_add(&t, &d) && batch_totals_add(&t, &none),
	      "small sums add without overflow");
	check(t.subsidies == 3 && t.subsidy_total == 80000001 && !t.overflow,
	      "three enterprises granted, 800,000.01 yuan (got %lu, %lld)", t.subsidies,
	      (long long)t.subsidy_total);
}

static void test_overflow(void)
{
	batch_totals t = {0};
	batch_row r = granted(INT64_C(99999999999999)); /* 999,999,999,999.99 yuan */
	unsigned long first_failure = 0;
	bool negative = false;
	for (unsigned long i = 1; i <= 92300; i++) {
		if (!batch_totals_add(&t, &r) && !first_failure)
			first_failure = i;
		negative |= t.subsidy_total < 0;
	}
	check(t.overflow, "92,300 subsidies of 999,999,999,999.99 yuan overflow the total");
	check(first_failure == 92234,
	      "the first that does not fit is the 92,234th (INT64_MAX fen / 10^14; got %lu)",
	      first_failure);
	check(!negative, "the total is never negative");
	check(t.subsidies == 92300, "every granted enterprise is still counted (got %lu)", t.subsidies);
	batch_row small = granted(1);
	check(!batch_totals_add(&t, &small) && t.overflow, "once overflowed, the total stays unknown");
}

int main(void)
{
	test_exact_sum();
	test_overflow();
	printf("%d failed\n", failed);
	return failed ? 1 : 0;
}
