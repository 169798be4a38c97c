/*
 * test_policy.c: unit tests for the money arithmetic of subsidies (money.c), for loading a policy
 * (policy.c, policy_check.c), and for the comparison under allocation failure (compare.c,
 * subsidy.c).
 *
 * The money tests pin every fen: parsing yuan into fen, rate × amount computed exactly, each rounding
 * mode at and around the half, rounding units from the fen to the 10,000 yuan, the largest amounts an
 * input can hold, and formatting. Policy tests load a small policy from memory and check what the
 * loader reports for bad ones, by exact message. The allocation test fails every allocation of
 * loading a policy and of comparing two sheets in turn; each must end in DL_ENOMEM, and ASan or
 * valgrind (make asan, make leakcheck) report any leak. Prints one "ok - ..." or "not ok - ..." line
 * per check and exits 1 if any check failed.
 */
#include "alloc.h"
#include "money.h"

#include <digilevel.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

/* --- money ------------------------------------------------------------------------------------- */

static void test_money_parse(void)
{
	static const struct {
		const char *text;
		int rc;
		int64_t fen;
	} cases[] = {
		{"0", 0, 0},
		{"500000", 0, 50000000},
		{"0.05", 0, 5},
		{"0.5", 0, 50},
		{"123456.78", 0, 12345678},
		{"-1", 0, -100},
		{"-0.01", 0, -1},
		{"999999999999.99", 0, INT64_C(99999999999999)},
		{"1234567890.12", 0, INT64_C(123456789012)}, /* past 9 digits: once read as 0 */
		{"1000000000", 0, INT64_C(100000000000)},
		{"+5", 0, 500},                          /* a sign and leading zeros, as XML Schema */
		{"0007.5", 0, 750},
		{"1000000000000", DL__NUMBER_RANGE, 0}, /* 13 integer digits: beyond DL__MONEY_MAX */
		{"99999999999999999999999", DL__NUMBER_RANGE, 0},
		{"1.234", -1, 0},         /* fractions of a fen */
		{"", -1, 0},
		{"-", -1, 0},
		{".5", -1, 0},
		{"5.", -1, 0},
		{"1e3", -1, 0},
		{" 1", 0, 100}, /* white space around, as XML Schema collapses it */
		{"1 ", 0, 100},
		{"1 0", -1, 0},
		{"+-1", -1, 0},
		{"五十万", -1, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t fen = -12345;
		int rc = dl__money_parse(cases[i].text, &fen);
		check(rc == cases[i].rc && (rc != 0 || fen == cases[i].fen),
		      "money parse '%s' -> rc %d, %lld fen", cases[i].text, rc, (long long)fen);
	}
}

static void test_rate_parse(void)
{
	static const struct {
		const char *text;
		int rc;
		int64_t rate;
	} cases[] = {
		{"70", 0, 700000},       {"100", 0, DL_RATE_SCALE}, {"12.3456", 0, 123456},
		{"0.0001", 0, 1},        {"120", 0, 1200000},       {"-5", 0, -50000},
		{"12.34567", -1, 0},     {"", -1, 0},               {"70%", -1, 0},
		{"999999.9999", 0, INT64_C(9999999999)}, {"1000000", DL__NUMBER_RANGE, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t rate = -1;
		int rc = dl__rate_parse(cases[i].text, &rate);
		check(rc == cases[i].rc && (rc != 0 || rate == cases[i].rate),
		      "rate parse '%s' -> rc %d, %lld", cases[i].text, rc, (long long)rate);
	}
}

static void test_money_format(void)
{
	static const struct {
		int64_t fen;
		const char *plain, *grouped;
	} cases[] = {
		{0, "0.00", "0.00"},
		{5, "0.05", "0.05"},
		{-5, "-0.05", "-0.05"},
		{100, "1.00", "1.00"},
		{99900, "999.00", "999.00"},
		{100000, "1000.00", "1,000.00"},
		{35000000, "350000.00", "350,000.00"},
		{123456789, "1234567.89", "1,234,567.89"},
		{-123456789, "-1234567.89", "-1,234,567.89"},
		{INT64_C(99999999999999), "999999999999.99", "999,999,999,999.99"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char plain[40], grouped[48], pub[40];
		dl__money_format(cases[i].fen, plain, sizeof(plain));
		dl__money_format_grouped(cases[i].fen, grouped, sizeof(grouped));
		dl_money_format(cases[i].fen, pub, sizeof(pub));
		check(strcmp(plain, cases[i].plain) == 0 && strcmp(grouped, cases[i].grouped) == 0 &&
			      strcmp(pub, plain) == 0,
		      "money format %lld fen -> '%s', '%s'", (long long)cases[i].fen, plain, grouped);
	}
	char small[8];
	dl__money_format(INT64_C(123456789), small, sizeof(small));
	check(strlen(small) == sizeof(small) - 1, "money format truncates to the buffer ('%s')", small);

	/* written by hand: the same as printf's "%s%llu.%02llu" for every kind of amount */
	size_t wrong = 0, tried = 0;
	uint64_t u = 1;
	for (int i = 0; i < 64; i++, u = u * 3 + (uint64_t)i) {
		int64_t v = (int64_t)(u >> 1); /* 0 .. INT64_MAX: every amount below stays in range */
		const int64_t amounts[] = {v, -v, v % 100, -(v % 1000), INT64_MAX - v, INT64_MIN + v};
		for (size_t k = 0; k < sizeof(amounts) / sizeof(amounts[0]); k++) {
			int64_t fen = amounts[k];
			uint64_t m = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
			char want[40], got[40];
			snprintf(want, sizeof(want), "%s%llu.%02llu", fen < 0 ? "-" : "",
				 (unsigned long long)(m / 100), (unsigned long long)(m % 100));
			dl__money_format(fen, got, sizeof(got));
			tried++;
			if (strcmp(want, got) != 0 && wrong++ < 3)
				printf("# %lld fen: got %s, want %s\n", (long long)fen, got, want);
		}
	}
	/* cut to every size of buffer as snprintf cuts: the same bytes, the same terminator */
	static const int64_t cut[] = {0, 5, -5, 123456789, -123456789, INT64_MAX, INT64_MIN};
	for (size_t k = 0; k < sizeof(cut) / sizeof(cut[0]); k++)
		for (size_t size = 0; size <= 24; size++) {
			uint64_t m = cut[k] < 0 ? (uint64_t)0 - (uint64_t)cut[k] : (uint64_t)cut[k];
			char want[32], got[32];
			memset(want, '#', sizeof(want));
			memset(got, '#', sizeof(got));
			snprintf(want, size, "%s%llu.%02llu", cut[k] < 0 ? "-" : "", (unsigned long long)(m / 100),
				 (unsigned long long)(m % 100));
			dl__money_format(cut[k], got, size);
			tried++;
			if (memcmp(want, got, sizeof(want)) != 0 && wrong++ < 3)
				printf("# %lld fen in %zu bytes: got %.*s\n", (long long)cut[k], size, (int)size, got);
		}
	char least[40];
	dl__money_format(INT64_MIN, least, sizeof(least));
	check(wrong == 0 && strcmp(least, "-92233720368547758.08") == 0,
	      "money format agrees with printf on %zu amounts, the least int64 too (%s)", tried, least);
}

static void test_product_and_exact(void)
{
	static const struct {
		int64_t fen, rate;
		const char *exact;
	} cases[] = {
		{40000000, 700000, "280000.00"},     /* 400,000 yuan × 70% */
		{12345675, 700000, "86419.725"},     /* 123,456.75 × 70% */
		{1, 500000, "0.005"},                /* one fen × 50% */
		{1, 1, "0.00000001"},                /* one fen × 0.0001% */
		{33333333, 333333, "111110.99888889"}, /* 333,333.33 × 33.3333% */
		{0, 700000, "0.00"},
		{INT64_C(99999999999999), DL_RATE_SCALE, "999999999999.99"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64];
		dl__money_format_exact(dl__money_product(cases[i].fen, cases[i].rate), false, buf,
				       sizeof(buf));
		check(strcmp(buf, cases[i].exact) == 0, "%lld fen × %lld/10000%% = %s yuan (got %s)",
		      (long long)cases[i].fen, (long long)cases[i].rate, cases[i].exact, buf);
	}
	char grouped[64];
	dl__money_format_exact(dl__money_product(12345675, 700000), true, grouped, sizeof(grouped));
	check(strcmp(grouped, "86,419.725") == 0, "exact product grouped: %s", grouped);
	/* 500 items of the largest amount, all eligible, at 100%: the sum fits int64_t, the product 128 bits */
	int64_t sum = INT64_C(99999999999999) * 500;
	dl__i128 product = dl__money_product(sum, DL_RATE_SCALE);
	check(dl__money_round(product, 1, DL_ROUND_HALF_UP) == sum,
	      "largest eligible sum at 100%% rounds back to itself");
}

static void test_rounding(void)
{
	static const struct {
		int64_t fen, rate, unit;
		dl_rounding mode;
		int64_t expected;
	} cases[] = {
		/* half a fen */
		{1, 500000, 1, DL_ROUND_HALF_UP, 1},
		{1, 500000, 1, DL_ROUND_DOWN, 0},
		{1, 500000, 1, DL_ROUND_UP, 1},
		/* just below half a fen */
		{1, 499999, 1, DL_ROUND_HALF_UP, 0},
		{1, 499999, 1, DL_ROUND_UP, 1},
		/* just above half a fen */
		{1, 500001, 1, DL_ROUND_HALF_UP, 1},
		{1, 500001, 1, DL_ROUND_DOWN, 0},
		/* 86,419.725 yuan */
		{12345675, 700000, 1, DL_ROUND_HALF_UP, 8641973},
		{12345675, 700000, 1, DL_ROUND_DOWN, 8641972},
		{12345675, 700000, 1, DL_ROUND_UP, 8641973},
		{12345675, 700000, 100, DL_ROUND_HALF_UP, 8642000},
		{12345675, 700000, 100, DL_ROUND_DOWN, 8641900},
		{12345675, 700000, 100, DL_ROUND_UP, 8642000},
		/* exact results are never moved */
		{40000000, 700000, 1, DL_ROUND_UP, 28000000},
		{40000000, 700000, 100, DL_ROUND_DOWN, 28000000},
		{40000000, 700000, 1000000, DL_ROUND_HALF_UP, 28000000},
		/* half a yuan, and half of 10,000 yuan */
		{150, DL_RATE_SCALE, 100, DL_ROUND_HALF_UP, 200},
		{150, DL_RATE_SCALE, 100, DL_ROUND_DOWN, 100},
		{149, DL_RATE_SCALE, 100, DL_ROUND_HALF_UP, 100},
		{500000, DL_RATE_SCALE, 1000000, DL_ROUND_HALF_UP, 1000000},
		{499999, DL_RATE_SCALE, 1000000, DL_ROUND_HALF_UP, 0},
		/* a unit that is not a power of ten: 0.05 yuan */
		{12, DL_RATE_SCALE, 5, DL_ROUND_HALF_UP, 10},
		{13, DL_RATE_SCALE, 5, DL_ROUND_HALF_UP, 15},
		{0, 700000, 100, DL_ROUND_UP, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t got = dl__money_round(dl__money_product(cases[i].fen, cases[i].rate),
					      cases[i].unit, cases[i].mode);
		check(got == cases[i].expected,
		      "round %lld fen × %lld to %lld fen, mode %d -> %lld (expected %lld)",
		      (long long)cases[i].fen, (long long)cases[i].rate, (long long)cases[i].unit,
		      (int)cases[i].mode, (long long)got, (long long)cases[i].expected);
	}
	char buf[32];
	check(strcmp(dl__rate_format(700000, buf, sizeof(buf)), "70") == 0, "rate 70%% shown as 70");
	check(strcmp(dl__rate_format(123456, buf, sizeof(buf)), "12.3456") == 0,
	      "rate 12.3456%% shown as 12.3456");
}

/* --- policies ---------------------------------------------------------------------------------- */

typedef struct collected {
	char text[4096];
	size_t count;
} collected;

static void collect(const dl_error *e, void *userdata)
{
	collected *c = userdata;
	char line[1024];
	dl_error_format(e, line, sizeof(line));
	size_t n = strlen(c->text);
	snprintf(c->text + n, sizeof(c->text) - n, "%s\n", line);
	c->count++;
}

static const char POLICY[] =
	"<policy id=\"t\" version=\"1\"><title>T</title><issuer>I</issuer><document>D</document>"
	"<questionnaire id=\"miit-2024\" version=\"2024\"/>"
	"<acceptance><min-level level=\"二级\"/><improvement levels=\"1\"/></acceptance>"
	"<categories><category id=\"software\">软件</category><category id=\"office-pc\">电脑</category>"
	"</categories>"
	"<eligible><include category=\"software\"/><exclude category=\"office-pc\">不计入</exclude>"
	"</eligible>"
	"<phases by=\"completed\"><phase id=\"p1\" title=\"一\"><window to=\"2025-05-31\"/>"
	"<rate percent=\"12.5\"/><cap yuan=\"1.05\"/></phase>"
	"<phase id=\"p2\" title=\"二\"><window from=\"2025-06-01\"/><rate percent=\"%s\"/></phase>"
	"</phases><rounding unit=\"%s\" mode=\"down\"/></policy>";

static int load_policy(dl_policy **out, const char *rate, const char *unit, collected *c)
{
	char xml[2048];
	snprintf(xml, sizeof(xml), POLICY, rate, unit);
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	opts.diag = collect;
	opts.diag_data = c;
	memset(c, 0, sizeof(*c));
	return dl_policy_load_memory(out, xml, strlen(xml), "t.xml", &opts, NULL);
}

static void test_policy_load(void)
{
	dl_policy *p = NULL;
	collected c;
	int rc = load_policy(&p, "60", "1", &c);
	check(rc == 0 && c.count == 0, "a small policy loads (rc %d, %zu problems)", rc, c.count);
	if (rc == 0) {
		check(strcmp(dl_policy_id(p), "t") == 0 && strcmp(dl_policy_min_level(p), "二级") == 0 &&
			      dl_policy_min_improvement(p) == 1,
		      "identity, minimum level and improvement are read");
		check(dl_policy_date_basis(p) == DL_DATE_COMPLETED &&
			      dl_policy_rounding_unit(p) == 100 &&
			      dl_policy_rounding_mode(p) == DL_ROUND_DOWN,
		      "date basis and rounding are read");
		check(dl_policy_phase_count(p) == 2 && dl_policy_phase_rate(p, 0) == 125000 &&
			      dl_policy_phase_rate(p, 1) == 600000 &&
			      strcmp(dl_policy_phase_id(p, 1), "p2") == 0,
		      "phases and exact rates are read");
		check(dl_policy_category_count(p) == 2 && dl_policy_category_eligible(p, 0) &&
			      !dl_policy_category_eligible(p, 1) &&
			      strcmp(dl_policy_category_reason(p, 1), "不计入") == 0 &&
			      strcmp(dl_policy_category_reason(p, 0), "") == 0,
		      "categories are decided by <eligible>");
	}
	dl_policy_free(p);
	dl_policy_free(NULL);

	p = NULL;
	rc = load_policy(&p, "100.0001", "0.001", &c);
	check(rc == DL_EINVALID && p == NULL, "a rate over 100%% and a unit of 0.001 yuan are refused");
	check(strncmp(c.text, "t.xml:1:", 8) == 0 && strstr(c.text, "<rounding>") &&
		      strstr(c.text, "'0.001'"),
	      "the unit is reported by the schema, at its element: %s", c.text);

	p = NULL;
	rc = load_policy(&p, "100.0001", "1", &c);
	check(rc == DL_EINVALID && c.count == 1 &&
		      strcmp(c.text, "t.xml:1:570: phase 'p2': rate 100.0001% is outside 0–100%\n") ==
			      0,
	      "a rate just over 100%% is reported with its position: %s", c.text);
	dl_policy_free(p);
}

/* --- allocation failure ------------------------------------------------------------------------ */

static void test_policy_alloc_failure(void)
{
	size_t len = 0;
	char *xml = read_file("policies/hongsibu-2024.xml", &len);
	check(xml != NULL, "read policies/hongsibu-2024.xml");
	if (!xml)
		return;
	bool clean = true;
	long n;
	for (n = 0;; n++) {
		dl_policy *p = NULL;
		dl__alloc_fail_after(n);
		int rc = dl_policy_load_memory(&p, xml, len, "hongsibu-2024.xml", NULL, NULL);
		dl__alloc_fail_after(-1);
		dl_policy_free(p);
		if (rc == 0)
			break;
		if (rc != DL_ENOMEM)
			clean = false;
	}
	check(clean && n > 0, "loading a policy: each of %ld allocations failed in turn ends in DL_ENOMEM",
	      n);
	free(xml);
}

static void test_compare_alloc_failure(void)
{
	dl_questionnaire *q = NULL;
	dl_sheet *before = NULL, *after = NULL;
	dl_policy *p = NULL;
	int rc = dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, NULL);
	if (rc == 0)
		rc = dl_sheet_load(&before, "tests/cases/compare-json-granted/before.xml", NULL, NULL);
	if (rc == 0)
		rc = dl_sheet_load(&after, "tests/cases/compare-json-granted/after.xml", NULL, NULL);
	if (rc == 0)
		rc = dl_policy_load(&p, "policies/hongsibu-2024.xml", NULL, NULL);
	check(rc == 0, "load the questionnaire, two sheets and a policy");
	bool clean = true;
	long n = 0;
	for (; rc == 0; n++) {
		dl_comparison *c = NULL;
		dl__alloc_fail_after(n);
		int r = dl_compare(&c, q, before, after, p, NULL, NULL);
		dl__alloc_fail_after(-1);
		if (r == 0) {
			check(dl_comparison_passed(c) && dl_comparison_subsidy(c) == 28000000 &&
				      dl_comparison_excluded_count(c) == 6,
			      "the comparison that succeeds is the full one: passed, 280,000.00 yuan, "
			      "6 items excluded");
			check(dl_comparison_write_text(c, discard, NULL) == 0 &&
				      dl_comparison_write_json(c, discard, NULL) == 0,
			      "the writers need no allocation");
			dl_comparison_free(c);
			break;
		}
		if (r != DL_ENOMEM || c != NULL)
			clean = false;
	}
	check(clean && n > 0, "comparing: each of %ld allocations failed in turn ends in DL_ENOMEM", n);
	dl_comparison_free(NULL);
	dl_policy_free(p);
	dl_sheet_free(after);
	dl_sheet_free(before);
	dl_questionnaire_free(q);
}

/* Compare the package case `dir` with the after sheet's text changed by (from, to) pairs. */
static dl_comparison *package_compare(dl_questionnaire *q, const char *dir, const char *policy,
				      const char *const *edits, size_t nedits, dl_sheet **before,
				      dl_sheet **after, dl_policy **p)
{
	char path[256];
	size_t len = 0;
	snprintf(path, sizeof(path), "tests/cases/%s/after.xml", dir);
	char *xml = read_file(path, &len);
	for (size_t i = 0; xml && i + 1 < nedits; i += 2) {
		char *at = strstr(xml, edits[i]);
		if (!at)
			continue;
		size_t a = strlen(edits[i]), b = strlen(edits[i + 1]);
		char *grown = malloc(len - a + b + 1);
		if (!grown)
			break;
		memcpy(grown, xml, (size_t)(at - xml));
		memcpy(grown + (at - xml), edits[i + 1], b);
		memcpy(grown + (at - xml) + b, at + a, len - (size_t)(at - xml) - a + 1);
		len = len - a + b;
		free(xml);
		xml = grown;
	}
	snprintf(path, sizeof(path), "tests/cases/%s/before.xml", dir);
	dl_comparison *c = NULL;
	if (xml && dl_sheet_load(before, path, NULL, NULL) == 0 &&
	    dl_sheet_load_memory(after, xml, len, "after.xml", NULL, NULL) == 0 &&
	    dl_policy_load(p, policy, NULL, NULL) == 0 &&
	    dl_compare(&c, q, *before, *after, *p, NULL, NULL) < 0)
		c = NULL;
	free(xml);
	return c;
}

static void package_free(dl_comparison *c, dl_sheet *before, dl_sheet *after, dl_policy *p)
{
	dl_comparison_free(c);
	dl_policy_free(p);
	dl_sheet_free(after);
	dl_sheet_free(before);
}

static void test_package_arithmetic(void)
{
	dl_questionnaire *q = NULL;
	if (dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, NULL) < 0) {
		check(false, "load the questionnaire");
		return;
	}
	dl_sheet *b = NULL, *a = NULL;
	dl_policy *p = NULL;
	/* the combined ceiling is rounded down to the fen: 333,333.33 × 50% = 166,666.665 → 166,666.66,
	 * less 100,000.00 of provincial money: 66,666.66 (rounding half up would pay 0.01 too much) */
	static const char *const ceiling[] = {"net=\"200000.00\"", "net=\"133333.33\"",
					      "net=\"200000.00\"", "net=\"133333.33\""};
	dl_comparison *c = package_compare(q, "compare-package-combined-ceiling",
					   "policies/guangdong-pilot-2026.xml", ceiling, 4, &b, &a, &p);
	check(c && dl_comparison_eligible_investment(c) == 33333333 &&
		  dl_comparison_subsidy(c) == 6666666 &&
		  dl_comparison_step_kind(c, dl_comparison_step_count(c) - 1) == DL_SUBSIDY_CEILING,
	      "the combined ceiling: 50%% of 333,333.33 rounded down, less other funds: 66,666.66 yuan");
	package_free(c, b, a, p);
	b = a = NULL, p = NULL;

	/* the deadline counts calendar days: 30 days from 2028-02-10 cross 2028-02-29 (a leap year) */
	static const char *const leap[] = {"date=\"2025-06-10\"", "date=\"2028-02-10\""};
	c = package_compare(q, "compare-package-rectify-deadline", "policies/hongsibu-2024.xml", leap,
			    2, &b, &a, &p);
	check(c && dl_comparison_verdict(c) == DL_VERDICT_RECTIFY &&
		  strcmp(dl_comparison_deadline(c), "2028-03-11") == 0,
	      "30 days after 2028-02-10 is 2028-03-11 (leap year)");
	package_free(c, b, a, p);
	b = a = NULL, p = NULL;
	static const char *const year[] = {"date=\"2025-06-10\"", "date=\"2025-12-15\""};
	c = package_compare(q, "compare-package-rectify-deadline", "policies/hongsibu-2024.xml", year,
			    2, &b, &a, &p);
	check(c && strcmp(dl_comparison_deadline(c), "2026-01-14") == 0 &&
		  dl_comparison_later_phase(c) == 1 && dl_comparison_subsidy(c) == 0,
	      "30 days after 2025-12-15 is 2026-01-14; a later pass is 第二阶段, nothing paid now");
	package_free(c, b, a, p);
	b = a = NULL, p = NULL;

	/* a payment short of the invoice: the item counts what both cover, exactly */
	static const char *const short_pay[] = {"<payment item=\"i2\" reference=\"PAY-i2\" date=\"2025-05-12\" amount=\"50000.00\"",
						"<payment item=\"i2\" reference=\"PAY-i2\" date=\"2025-05-12\" amount=\"33333.34\""};
	c = package_compare(q, "compare-package-rectify-deadline", "policies/hongsibu-2024.xml",
			    short_pay, 2, &b, &a, &p);
	check(c && dl_comparison_finance_amount(c, 1, DL_FINANCE_COUNTED) == 3333334 &&
		  dl_comparison_finance_outcome(c, 1) == DL_OUTCOME_RECTIFY &&
		  dl_comparison_eligible_investment(c) == 38333334,
	      "a payment of 33,333.34 on a 50,000.00 item counts 33,333.34 and must be rectified");
	package_free(c, b, a, p);

	/* every allocation of a comparison with a full package fails cleanly */
	bool clean = true;
	long n = 0;
	for (;; n++) {
		b = a = NULL, p = NULL;
		dl__alloc_fail_after(-1);
		if (dl_sheet_load(&b, "tests/cases/compare-package-rectify-deadline/before.xml", NULL, NULL) < 0 ||
		    dl_sheet_load(&a, "tests/cases/compare-package-rectify-deadline/after.xml", NULL, NULL) < 0 ||
		    dl_policy_load(&p, "policies/hongsibu-2024.xml", NULL, NULL) < 0) {
			clean = false;
			package_free(NULL, b, a, p);
			break;
		}
		dl_comparison *r = NULL;
		dl__alloc_fail_after(n);
		int rc = dl_compare(&r, q, b, a, p, NULL, NULL);
		dl__alloc_fail_after(-1);
		bool done = rc == 0;
		if (rc == 0)
			clean = clean && dl_comparison_write_text(r, discard, NULL) == 0 &&
				dl_comparison_write_json(r, discard, NULL) == 0;
		else if (rc != DL_ENOMEM || r != NULL)
			clean = false;
		package_free(r, b, a, p);
		if (done)
			break;
	}
	check(clean && n > 0, "a comparison with a package: each of %ld allocations failed in turn ends in DL_ENOMEM", n);
	dl_questionnaire_free(q);
}

int main(void)
{
	/* the messages checked are the English ones, whatever the library's default (docs/messages.md) */
	dl_set_language(DL_LANGUAGE_EN);
	test_money_parse();
	test_rate_parse();
	test_money_format();
	test_product_and_exact();
	test_rounding();
	test_policy_load();
	test_policy_alloc_failure();
	test_compare_alloc_failure();
	test_package_arithmetic();
	return test_done();
}
