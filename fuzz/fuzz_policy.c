/*
 * fuzz_policy.c: libFuzzer target for the policy loader (parse, schema, meaning checks) and, for a
 * policy that loads, everything a policy decides: the retrofit of examples/food-before.xml →
 * examples/food-after.xml is compared under it, once as the sheets are (first attempt) and once
 * with the after sheet's attempt changed to 2 (so that <first-attempt otherwise> is exercised), and
 * each comparison is written as JSON and as text to the checking sink (fuzz_common.h) and laid out
 * as the acceptance opinion's text dump (the PDF is left to fuzz_report.c: it is slow). The
 * questionnaire (questionnaires/miit-2024.xml) and the sheets are loaded once; run from the top of
 * the tree, as `make check` does.
 *
 * Beyond "no crash, no leak, no sanitizer report" it checks that every accessor gives valid UTF-8,
 * that dl_policy_check and dl_compare agree, and for every comparison the money: eligible
 * investment within 0..the declared investment, and equal to it minus the excluded items; a subsidy
 * only when acceptance passed and a phase applies, and then the three steps: the rate step is rate
 * × eligible rounded to a multiple of the unit as the policy says, the cap step never above the
 * rate step nor above the largest cap of the phase (and one of the phase's caps when it binds), and
 * the subsidy the cap step plus nothing or one of the phase's bonuses, never negative. The public
 * API does not expose caps and bonuses, so those bounds are read from the loaded policy's phase
 * table (engine/model/policy_model.h); everything else goes through the public API.
 */
#include "fuzz_common.h"

#include "policy_model.h"

#define QUESTIONNAIRE "questionnaires/miit-2024.xml"
#define BEFORE	      "examples/food-before.xml"
#define AFTER	      "examples/food-after.xml"

enum { AFTER_VARIANTS = 2 };

static dl_questionnaire *questionnaire;
static dl_sheet *before, *after[AFTER_VARIANTS];

static void setup_failed(const char *what, const dl_error *err)
{
	char line[1024];
	if (err)
		dl_error_format(err, line, sizeof(line));
	fprintf(stderr, "fuzz_policy: %s: %s (run from the top of the repository)\n", what,
		err ? line : "");
	abort();
}

/* The whole file at path, NUL-terminated; aborts when it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size = -1;
	if (f && fseek(f, 0, SEEK_END) == 0)
		size = ftell(f);
	if (size < 0 || fseek(f, 0, SEEK_SET) != 0 || !(buf = malloc((size_t)size + 1)) ||
	    fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr,
			"fuzz_policy: cannot read %s (run from the top of the repository)\n", path);
		abort();
	}
	fclose(f);
	buf[size] = '\0';
	*len = (size_t)size;
	return buf;
}

static void setup(void)
{
	dl_error err;
	size_t len;
	if (questionnaire)
		return;
	if (dl_questionnaire_load(&questionnaire, QUESTIONNAIRE, NULL, &err) != 0)
		setup_failed("cannot load the questionnaire", &err);
	if (dl_sheet_load(&before, BEFORE, NULL, &err) != 0)
		setup_failed("cannot load the before sheet", &err);
	char *xml = slurp(AFTER, &len);
	for (int v = 0; v < AFTER_VARIANTS; v++) {
		if (v == 1) { /* the same retrofit, accepted at the second attempt */
			char *attempt = strstr(xml, "<retrofit attempt=\"1\"");
			if (!attempt)
				setup_failed(AFTER " has no <retrofit attempt=\"1\">", NULL);
			attempt[strlen("<retrofit attempt=\"")] = '2';
		}
		if (dl_sheet_load_memory(&after[v], xml, len, AFTER, NULL, &err) != 0)
			setup_failed("cannot load the after sheet", &err);
		if (dl_sheet_retrofit_attempt(after[v]) != v + 1)
			setup_failed("the after sheet's attempt is not the one expected", NULL);
	}
	free(xml);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setup();
	return 0;
}

static void read_everything(const dl_policy *p)
{
	fuzz_check_text("path", dl_policy_path(p));
	fuzz_check_text("id", dl_policy_id(p));
	fuzz_check_text("version", dl_policy_version(p));
	fuzz_check_text("title", dl_policy_title(p));
	fuzz_check_text("issuer", dl_policy_issuer(p));
	fuzz_check_text("document", dl_policy_document(p));
	fuzz_check_text("questionnaire id", dl_policy_questionnaire_id(p));
	fuzz_check_text("questionnaire version", dl_policy_questionnaire_version(p));
	fuzz_check_text("minimum level", dl_policy_min_level(p));
	if (dl_policy_min_improvement(p) < -1 || dl_policy_min_improvement(p) > 9)
		fuzz_fail("improvement outside -1..9", NULL);
	if (dl_policy_rounding_unit(p) <= 0)
		fuzz_fail("a rounding unit that is not positive loaded", NULL);
	for (size_t i = 0; i < dl_policy_category_count(p); i++) {
		fuzz_check_text("category id", dl_policy_category_id(p, i));
		fuzz_check_text("category title", dl_policy_category_title(p, i));
		const char *reason = dl_policy_category_reason(p, i);
		fuzz_check_text("category reason", reason);
		if (dl_policy_category_eligible(p, i) != (reason[0] == '\0'))
			fuzz_fail("an eligible category with a reason, or an excluded one without",
				  dl_policy_category_id(p, i));
	}
	if (dl_policy_phase_count(p) == 0)
		fuzz_fail("a policy without phases loaded", NULL);
	for (size_t i = 0; i < dl_policy_phase_count(p); i++) {
		fuzz_check_text("phase id", dl_policy_phase_id(p, i));
		fuzz_check_text("phase title", dl_policy_phase_title(p, i));
		if (dl_policy_phase_rate(p, i) < 0 || dl_policy_phase_rate(p, i) > DL_RATE_SCALE)
			fuzz_fail("a rate outside 0..100% loaded", dl_policy_phase_id(p, i));
	}
}

/* Whether amount is one of count level amounts. */
static int one_of(int64_t amount, const dl__level_amount *a, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (a[i].fen == amount)
			return 1;
	return 0;
}

/* The rate step: rate × eligible, rounded once to a multiple of the unit as the policy says. */
static void check_rounding(const dl_policy *p, int64_t eligible, int64_t rate, int64_t amount)
{
	int64_t unit = dl_policy_rounding_unit(p);
	dl__i128 product = (dl__i128)eligible * rate, s = DL_RATE_SCALE;
	dl__i128 lo = (dl__i128)amount * s, u = (dl__i128)unit * s;
	int ok = 0;
	if (amount < 0 || amount % unit != 0)
		fuzz_fail("the rate step is not a multiple of the rounding unit", NULL);
	switch (dl_policy_rounding_mode(p)) {
	case DL_ROUND_DOWN:
		ok = lo <= product && product < lo + u;
		break;
	case DL_ROUND_UP:
		ok = lo - u < product && product <= lo;
		break;
	case DL_ROUND_HALF_UP:
		ok = 2 * lo - u <= 2 * product && 2 * product < 2 * lo + u;
		break;
	}
	if (!ok)
		fuzz_fail(
		    "the rate step is not rate × eligible investment rounded as the policy says",
		    NULL);
}

static void check_money(const dl_policy *p, const dl_comparison *c, const dl_sheet *s)
{
	int64_t declared = 0, excluded = 0, eligible = dl_comparison_eligible_investment(c);
	for (size_t i = 0; i < dl_sheet_investment_count(s); i++)
		declared += dl_sheet_investment_fen(s, i);
	for (size_t i = 0; i < dl_comparison_excluded_count(c); i++) {
		size_t item = dl_comparison_excluded_item(c, i);
		if (item >= dl_sheet_investment_count(s) ||
		    (i && item <= dl_comparison_excluded_item(c, i - 1)))
			fuzz_fail("excluded items out of range or out of order", NULL);
		excluded += dl_sheet_investment_fen(s, item);
		fuzz_check_text("exclusion reason", dl_comparison_excluded_reason(c, i));
	}
	if (dl_comparison_investment(c) != declared)
		fuzz_fail("the investment is not the sum of the items", NULL);
	/* the financial check may count less than an item declares, never more */
	if (eligible < 0 || eligible > declared || eligible > declared - excluded)
		fuzz_fail("the eligible investment is more than the declared minus the excluded", NULL);
	for (size_t i = 0; i < dl_sheet_investment_count(s); i++) {
		int64_t counted = dl_comparison_finance_amount(c, i, DL_FINANCE_COUNTED);
		if (counted < 0 || counted > dl_sheet_investment_fen(s, i))
			fuzz_fail("an item counts less than nothing or more than it declares", NULL);
		fuzz_check_text("finance finding", dl_comparison_finance_finding(c, i));
		fuzz_check_text("on-site finding", dl_comparison_onsite_finding(c, i));
	}

	size_t phase = dl_comparison_phase(c);
	bool granted = dl_comparison_subsidy_granted(c);
	int64_t subsidy = dl_comparison_subsidy(c);
	fuzz_check_text("phase reason", dl_comparison_phase_reason(c));
	fuzz_check_text("no subsidy reason", dl_comparison_no_subsidy_reason(c));
	if (phase != DL_NONE && phase >= dl_policy_phase_count(p))
		fuzz_fail("a phase out of range", NULL);
	if (phase != DL_NONE && !dl_comparison_passed(c))
		fuzz_fail("a phase although acceptance failed", NULL);
	if (granted != (dl_comparison_passed(c) && phase != DL_NONE))
		fuzz_fail("a subsidy granted without acceptance and a phase, or refused with both",
			  NULL);
	if (!granted) {
		if (subsidy != 0 || dl_comparison_step_count(c) != 0)
			fuzz_fail("no subsidy granted, but an amount or steps", NULL);
		if (dl_comparison_no_subsidy_reason(c)[0] == '\0')
			fuzz_fail("no subsidy granted, and no reason given", NULL);
		return;
	}
	if (dl_comparison_no_subsidy_reason(c)[0] != '\0')
		fuzz_fail("a subsidy granted with a reason for none",
			  dl_comparison_no_subsidy_reason(c));
	size_t steps = 3 + (p->has_ceiling ? 1 : 0);
	if (dl_comparison_step_count(c) != steps || dl_comparison_step_kind(c, 0) != DL_SUBSIDY_RATE ||
	    dl_comparison_step_kind(c, 1) != DL_SUBSIDY_CAP ||
	    dl_comparison_step_kind(c, 2) != DL_SUBSIDY_BONUS ||
	    (steps == 4 && dl_comparison_step_kind(c, 3) != DL_SUBSIDY_CEILING))
		fuzz_fail("a subsidy is not computed in the steps rate, cap, bonus (, ceiling)", NULL);
	for (size_t i = 0; i < steps; i++)
		fuzz_check_text("step", dl_comparison_step_text(c, i));
	int64_t rated = dl_comparison_step_amount(c, 0), capped = dl_comparison_step_amount(c, 1);
	check_rounding(p, eligible, dl_policy_phase_rate(p, phase), rated);

	const dl__policy_phase *ph = &p->phases[phase];
	int64_t max_cap = ph->has_cap ? ph->cap : -1;
	for (size_t i = 0; i < ph->level_cap_count; i++)
		if (ph->level_caps[i].fen > max_cap)
			max_cap = ph->level_caps[i].fen;
	if (capped < 0 || capped > rated)
		fuzz_fail("the cap step is negative or above the rate step", NULL);
	if (max_cap < 0 && capped != rated)
		fuzz_fail("a phase without a cap capped the subsidy", NULL);
	if (max_cap >= 0 && capped > max_cap)
		fuzz_fail("the cap step is above every cap of the phase", NULL);
	if (capped != rated && !(ph->has_cap && capped == ph->cap) &&
	    !one_of(capped, ph->level_caps, ph->level_cap_count))
		fuzz_fail("the cap step binds at an amount that is none of the phase's caps", NULL);
	int64_t bonused = dl_comparison_step_amount(c, 2);
	if (subsidy != dl_comparison_step_amount(c, steps - 1) || subsidy < 0 || subsidy > bonused)
		fuzz_fail("the subsidy is not the last step, is negative or above the bonus step", NULL);
	if (bonused != capped && !one_of(bonused - capped, ph->bonuses, ph->bonus_count))
		fuzz_fail("the bonus step adds an amount that is none of the phase's bonuses",
			  NULL);
}

static void check_comparison(const dl_policy *p, const dl_comparison *c, const dl_sheet *s)
{
	size_t reasons = dl_comparison_reason_count(c);
	bool all_met = true;
	if (dl_comparison_policy(c) != p)
		fuzz_fail("the comparison does not keep its policy", NULL);
	if (reasons < 1 || dl_comparison_reason_kind(c, 0) != DL_REASON_MIN_LEVEL ||
	    (reasons >= 2 && dl_comparison_reason_kind(c, 1) == DL_REASON_IMPROVEMENT) !=
		(dl_policy_min_improvement(p) >= 0))
		fuzz_fail("the reasons are not the minimum level and the improvement asked for",
			  NULL);
	bool failing = false;
	for (size_t i = 0; i < reasons; i++) {
		fuzz_check_text("reason", dl_comparison_reason_text(c, i));
		dl_reason_kind kind = dl_comparison_reason_kind(c, i);
		/* the level conditions compare numbers; the package's count their problems */
		bool met = kind <= DL_REASON_PRIOR_LEVEL
			       ? dl_comparison_reason_actual(c, i) >= dl_comparison_reason_required(c, i)
			       : dl_comparison_reason_actual(c, i) == 0;
		failing = failing || (!met && dl_comparison_reason_outcome(c, i) == DL_OUTCOME_FAIL);
		if (met != dl_comparison_reason_met(c, i))
			fuzz_fail("a reason is met when its numbers say not, or the reverse",
				  dl_comparison_reason_text(c, i));
		all_met = all_met && met;
	}
	if (all_met != dl_comparison_passed(c))
		fuzz_fail("the verdict is not every reason met", NULL);
	dl_verdict v = dl_comparison_verdict(c);
	if ((v == DL_VERDICT_PASS) != all_met || (v == DL_VERDICT_FAIL) != failing)
		fuzz_fail("the verdict is not 通过 / 不通过 / 限期整改 as the unmet reasons lead", NULL);
	if ((v == DL_VERDICT_RECTIFY) != (dl_comparison_deadline(c)[0] != '\0'))
		fuzz_fail("a deadline without 限期整改, or 限期整改 without one", NULL);
	for (size_t i = 0; i < dl_comparison_finding_count(c); i++)
		fuzz_check_text("finding", dl_comparison_finding_text(c, i));
	fuzz_check_text("re-inspection", dl_comparison_reinspection(c));
	fuzz_check_text("later pass", dl_comparison_later_pass(c));
	for (size_t i = 0; i < dl_policy_phase_count(p); i++)
		fuzz_check_text("phase basis", dl_comparison_phase_basis(c, i));
	check_money(p, c, s);

	fuzz_utf8 u = {0, 0};
	fuzz_output_done("comparison JSON", dl_comparison_write_json(c, fuzz_sink, &u), &u);
	u = (fuzz_utf8){0, 0};
	fuzz_output_done("comparison text", dl_comparison_write_text(c, fuzz_sink, &u), &u);

	/* the acceptance opinion's layout, which places the policy's own texts (no PDF: slow) */
	dl_report_options ro = DL_REPORT_OPTIONS_INIT;
	unsigned char *dump = NULL;
	size_t len = 0;
	dl_error err;
	ro.format = DL_REPORT_TEXT;
	int rc = dl_report_acceptance(&dump, &len, c, before, s, &ro, &err);
	if (rc == 0) {
		if (dump[len] != '\0' || memchr(dump, '\0', len))
			fuzz_fail("the acceptance layout is not one NUL-terminated string", NULL);
		u = (fuzz_utf8){0, 0};
		fuzz_sink(&u, (const char *)dump, len);
		fuzz_output_done("acceptance layout", 0, &u);
	} else {
		fuzz_check_text("acceptance layout error", err.message);
		if (rc != DL_EINVALID && rc != DL_ENOMEM)
			fuzz_fail("the acceptance layout failed for an undocumented reason",
				  err.message);
	}
	dl_report_free(dump);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dl_policy *p = NULL;
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	dl_error err;
	setup();
	opts.diag = fuzz_diag;
	int rc = dl_policy_load_memory(&p, (const char *)data, size, "fuzz.xml", &opts, &err);
	if (rc < 0) {
		if (p)
			fuzz_fail("a failed load set its output", NULL);
		if (err.code != rc && rc != DL_ENOMEM)
			fuzz_fail("the error code does not match the return value", err.message);
		return 0;
	}
	read_everything(p);
	int checked = dl_policy_check(p, questionnaire, &opts, &err);
	if (checked != 0 && checked != DL_EMISMATCH && checked != DL_EINVALID)
		fuzz_fail("dl_policy_check failed for another reason than a mismatch", err.message);
	opts.diag = fuzz_diag_or_warning;
	for (int v = 0; v < AFTER_VARIANTS; v++) {
		dl_comparison *c = NULL;
		rc = dl_compare(&c, questionnaire, before, after[v], p, &opts, &err);
		if ((rc == 0) != (checked == 0) && rc != DL_ENOMEM)
			fuzz_fail("dl_policy_check and dl_compare disagree",
				  rc ? err.message : NULL);
		if (rc == 0)
			check_comparison(p, c, after[v]);
		dl_comparison_free(c);
	}
	dl_policy_free(p);
	return 0;
}
