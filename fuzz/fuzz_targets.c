/*
 * fuzz_targets.c: libFuzzer target for the targets loader (parse, schema, meaning checks) and, for
 * targets that load and whose levels the 2024 questionnaire has, the whole dashboard: a cohort of a
 * few enterprises built from the targets' own industries, tags and categories (so that the counting
 * rules are exercised, not just skipped), every writer (text, CSV, JSON) and the report's layout
 * dump.
 *
 * Beyond "no crash, no leak, no sanitizer report" it checks that every accessor gives a string, that
 * goals add up to the total as the loader promised, that figures stay within the enterprises added,
 * and that diagnostics and output are valid UTF-8 (fuzz_common.h). The questionnaire is read once,
 * from questionnaires/miit-2024.xml (run from the top of the tree, as `make check` does) or from
 * $DL_FUZZ_QUESTIONNAIRE; without it only loading and reading are fuzzed.
 */
#include "fuzz_common.h"

static void read_everything(const dl_targets *t)
{
	fuzz_check_text("path", dl_targets_path(t));
	fuzz_check_text("id", dl_targets_id(t));
	fuzz_check_text("title", dl_targets_title(t));
	fuzz_check_text("source", dl_targets_source(t));
	fuzz_check_text("retrofitted level", dl_targets_retrofitted_level(t));
	for (size_t d = 0; d < dl_targets_deadline_count(t); d++) {
		fuzz_check_text("deadline title", dl_targets_deadline_title(t, d));
		if (strlen(dl_targets_deadline_date(t, d)) != 10)
			fuzz_fail("a deadline date is not YYYY-MM-DD", dl_targets_deadline_date(t, d));
		if (d && strcmp(dl_targets_deadline_date(t, d - 1), dl_targets_deadline_date(t, d)) >= 0)
			fuzz_fail("deadlines out of order", dl_targets_deadline_date(t, d));
	}
	for (size_t i = 0; i < dl_targets_industry_count(t); i++)
		fuzz_check_text("industry", dl_targets_industry(t, i));
	fuzz_check_text("share text", dl_targets_share_text(t));
	if (dl_targets_has_share(t) &&
	    (dl_targets_share_percent(t) <= 0 || dl_targets_share_percent(t) > DL_SHARE_SCALE))
		fuzz_fail("a share percent out of range loaded", NULL);
	for (size_t i = 0; i < dl_targets_count(t); i++) {
		long sum = 0;
		if (dl_targets_find(t, dl_targets_target_id(t, i)) != i)
			fuzz_fail("find does not find a target by its own id", dl_targets_target_id(t, i));
		fuzz_check_text("target title", dl_targets_target_title(t, i));
		fuzz_check_text("target short", dl_targets_target_short(t, i));
		fuzz_check_text("target group", dl_targets_target_group(t, i));
		fuzz_check_text("target reason", dl_targets_target_reason(t, i));
		for (size_t d = 0; d < dl_targets_deadline_count(t); d++)
			sum += dl_targets_target_goal(t, i, d);
		if (sum != dl_targets_target_total(t, i))
			fuzz_fail("goals do not add up to the total", dl_targets_target_id(t, i));
		for (size_t k = 0; k < dl_targets_target_tag_count(t, i); k++)
			fuzz_check_text("tag", dl_targets_target_tag(t, i, k));
		for (size_t k = 0; k < dl_targets_target_category_count(t, i); k++)
			fuzz_check_text("category", dl_targets_target_category(t, i, k));
	}
	for (size_t m = 0; m < dl_targets_milestone_count(t); m++) {
		fuzz_check_text("milestone title", dl_targets_milestone_title(t, m));
		if (dl_targets_milestone_expected(t, m) < 0)
			fuzz_fail("a milestone expects fewer than no enterprises", NULL);
	}
	fuzz_check_text("budget title", dl_targets_budget_title(t));
	if (dl_targets_has_budget(t) ? dl_targets_budget_fen(t) <= 0 : dl_targets_budget_fen(t) != 0)
		fuzz_fail("a budget that is not above 0 loaded", dl_targets_budget_title(t));
	for (size_t p = 0; p < dl_targets_payment_count(t); p++) {
		fuzz_check_text("payment document", dl_targets_payment_document(t, p));
		if (dl_targets_payment_fen(t, p) <= 0)
			fuzz_fail("a payment that is not above 0 loaded", dl_targets_payment_document(t, p));
	}
}

/* The first tag and category any target names, so that the cohort's entries can match them. */
static const char *some_tag(const dl_targets *t)
{
	for (size_t i = 0; i < dl_targets_count(t); i++)
		if (dl_targets_target_tag_count(t, i))
			return dl_targets_target_tag(t, i, 0);
	return "专精特新中小企业";
}

static const char *some_category(const dl_targets *t)
{
	for (size_t i = 0; i < dl_targets_count(t); i++)
		if (dl_targets_target_category_count(t, i))
			return dl_targets_target_category(t, i, 0);
	return "cloud";
}

static void dashboard(const dl_targets *t, const dl_questionnaire *q)
{
	dl_cohort *c = NULL;
	dl_cohort_entry *e = NULL;
	dl_error err;
	if (dl_cohort_new(&c, t, q, NULL, &err) != 0 || dl_cohort_entry_new(&e) != 0)
		goto done;
	const char *industry = dl_targets_industry_count(t) ? dl_targets_industry(t, 0) : "食品加工制造";
	const char *last = dl_targets_deadline_date(t, dl_targets_deadline_count(t) - 1);
	static const char *const dates[] = {"2024-12-31", "2025-10-31", "2026-06-30", "2999-12-31"};
	for (int i = 0; i < 5; i++) {
		char code[32];
		snprintf(code, sizeof(code), "91640303MA7%07d", i);
		dl_cohort_entry_clear(e);
		int rc = dl_cohort_entry_set_enterprise(e, code, "企业", i == 4 ? "" : industry, i % 2 ? "规上" : "规下");
		if (rc == 0 && i != 3)
			rc = dl_cohort_entry_set_before(e, i % 3, "2024-12-01");
		if (rc == 0 && i != 2)
			rc = dl_cohort_entry_set_after(e, 1 + i % 4, i == 4 ? last : dates[i % 4]);
		if (rc == 0 && i % 2)
			rc = dl_cohort_entry_add_tag(e, DL_COHORT_BEFORE, some_tag(t));
		if (rc == 0)
			rc = dl_cohort_entry_add_tag(e, DL_COHORT_AFTER, some_tag(t));
		if (rc == 0)
			rc = dl_cohort_entry_add_investment(e, some_category(t));
		if (rc == 0 && dl_cohort_add(c, e, &err) != 0)
			fuzz_diag(&err, NULL);
	}
	/* without a policy nothing is approved: every payment is refused, none counted */
	if (dl_cohort_check_payments(c, NULL, NULL) == 0 ? dl_targets_payment_count(t) != 0
							  : dl_cohort_disbursed_total(c) != 0)
		fuzz_fail("a payment was accepted without an approved subsidy", NULL);
	for (size_t i = 0; i < dl_targets_count(t); i++) {
		size_t all = dl_cohort_achieved(c, i, DL_NONE) + dl_cohort_late(c, i);
		if (all > dl_cohort_evaluated_count(c))
			fuzz_fail("a target counts more enterprises than were evaluated", dl_targets_target_id(t, i));
		fuzz_check_text("status", dl_target_status_title(dl_cohort_status(c, i, DL_NONE)));
	}
	fuzz_utf8 u = {0, 0};
	fuzz_output_done("text", dl_cohort_write_text(c, fuzz_sink, &u), &u);
	u = (fuzz_utf8){0, 0};
	fuzz_output_done("csv", dl_cohort_write_csv(c, fuzz_sink, &u), &u);
	u = (fuzz_utf8){0, 0};
	fuzz_output_done("json", dl_cohort_write_json(c, fuzz_sink, &u), &u);

	dl_report_options opts = DL_REPORT_OPTIONS_INIT;
	unsigned char *dump = NULL;
	size_t len = 0;
	opts.format = DL_REPORT_TEXT;
	if (dl_cohort_report(&dump, &len, c, &opts, &err) == 0) {
		u = (fuzz_utf8){0, 0};
		fuzz_sink(&u, (const char *)dump, len);
		fuzz_output_done("layout", 0, &u);
	} else if (err.code != DL_EINVALID && err.code != DL_ENOMEM) {
		fuzz_fail("the layout dump failed without a font or input reason", err.message);
	} else {
		fuzz_check_text("report error", err.message);
	}
	dl_report_free(dump);
done:
	dl_cohort_entry_free(e);
	dl_cohort_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dl_targets *t = NULL;
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	dl_error err;
	opts.diag = fuzz_diag;
	int rc = dl_targets_load_memory(&t, (const char *)data, size, "fuzz.xml", &opts, &err);
	if (rc < 0) {
		if (t)
			fuzz_fail("a failed load set its output", NULL);
		if (err.code != rc && rc != DL_ENOMEM)
			fuzz_fail("the error code does not match the return value", err.message);
		return 0;
	}
	read_everything(t);
	const dl_questionnaire *q = fuzz_questionnaire();
	if (q && dl_targets_check(t, q, &opts, NULL) == 0)
		dashboard(t, q);
	dl_targets_free(t);
	return 0;
}
