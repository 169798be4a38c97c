/*
 * test_engine.c: unit tests for exact arithmetic, scoring and the improvement planner.
 *
 * The planner is checked as a property over many generated sheets: applying a feasible plan must
 * reach the target level when the changed sheet is scored again, and no plan with one step fewer may
 * exist (checked by brute force over every combination of moves, for small plans).
 */
#include "decimal.h"
#include "money.h"
#include "sha256.h"

#include <digilevel.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static void test_decimal(void)
{
	int64_t v = 0;
	check(dl__number_parse("0.7", 4, DL__DECIMAL_MAX, &v) == 0 && v == 7000, "0.7");
	check(dl__number_parse("1.875", 4, DL__DECIMAL_MAX, &v) == 0 && v == 18750, "1.875");
	check(dl__number_parse(" 40 ", 4, DL__DECIMAL_MAX, &v) == 0 && v == 400000, "40 with spaces");
	check(dl__number_parse("-0", 4, DL__DECIMAL_MAX, &v) == 0 && v == 0, "-0 is zero");
	check(dl__number_parse("1e3", 4, DL__DECIMAL_MAX, &v) == -1, "exponent refused");
	check(dl__number_parse("NaN", 4, DL__DECIMAL_MAX, &v) == -1, "NaN refused");
	check(dl__number_parse("1.23456", 4, DL__DECIMAL_MAX, &v) == -1, "five fractional digits refused");
	check(dl__number_parse("12.5", 0, 999, &v) == -1, "fraction refused when none allowed");
	check(dl__number_parse("99999999999999999999", 4, DL__DECIMAL_MAX, &v) == -2, "huge refused");
	check(dl__number_parse("999999999.9999", 4, DL__DECIMAL_MAX, &v) == 0, "largest accepted");
	check(dl__number_parse("1000000000", 4, DL__DECIMAL_MAX, &v) == -2, "just over the limit");
	check(dl__number_parse("1.", 4, DL__DECIMAL_MAX, &v) == -1 && dl__number_parse(".5", 4, DL__DECIMAL_MAX, &v) == -1,
	      "bare point refused");
	check(dl__number_parse("+0009", 0, 9, &v) == 0 && v == 9, "sign and leading zeros (XML Schema)");
	check(dl__number_parse("10", 0, 9, &v) == DL__NUMBER_RANGE, "whole number over its limit");
	check(dl__number_parse("1234567890", 0, 99999999, &v) == DL__NUMBER_RANGE,
	      "ten digits of employees refused, not cut to nine");
	check(dl__number_parse("12345678901234567890123", 0, 99999999, &v) == DL__NUMBER_RANGE,
	      "23 digits refused");
	check(dl__number_parse("12345678x", 0, 99999999, &v) == DL__NUMBER_MALFORMED, "tail refused");
	v = 42;
	check(dl__number_parse("oops", 2, 100, &v) == DL__NUMBER_MALFORMED && v == 42,
	      "out untouched on failure");
	check(dl__number_parse("1234567890.12", 2, INT64_C(99999999999999), &v) == 0 &&
		      v == INT64_C(123456789012),
	      "a billion yuan in fen");
	int64_t money = INT64_MAX - 1;
	check(dl__money_add(&money, 1) == 0 && money == INT64_MAX, "add up to the limit");
	check(dl__money_add(&money, 1) == -1 && money == INT64_MAX, "overflow refused, sum unchanged");

	/* 13 × 0.7 + 0.9 = 10 and 4 × 1.875 = 7.5, exactly (they would not be in binary floating point) */
	int64_t sum = 0, x;
	for (int i = 0; i < 13; i++) {
		dl__number_parse("0.7", 4, DL__DECIMAL_MAX, &x);
		sum += x;
	}
	dl__number_parse("0.9", 4, DL__DECIMAL_MAX, &x);
	check(sum + x == 10 * DL_POINTS_SCALE, "13 x 0.7 + 0.9 == 10");
	dl__number_parse("1.875", 4, DL__DECIMAL_MAX, &x);
	check(4 * x == 75000, "4 x 1.875 == 7.5");

	char buf[32];
	check(strcmp(dl_points_format(575000, buf, sizeof(buf)), "57.5") == 0, "format 57.5");
	check(strcmp(dl_points_format(18750, buf, sizeof(buf)), "1.875") == 0, "format 1.875");
	check(strcmp(dl_points_format(400000, buf, sizeof(buf)), "40") == 0, "format 40");
	check(strcmp(dl_points_format(-7000, buf, sizeof(buf)), "-0.7") == 0, "format -0.7");

	/* 10 of 50 is exactly 20 %: equal to the band edge, not above it */
	dl__frac rate = {(dl__i128)10 * 100, 50}, edge = {20, 1};
	check(dl__frac_cmp(rate, edge) == 0, "10/50*100 == 20");
	dl__frac third = {1, 3}, approx = {3333, 10000};
	check(dl__frac_cmp(third, approx) > 0, "1/3 > 0.3333");
	dl__frac big = {(dl__i128)9999999999999 * 9999999999999, 1};
	dl__frac big2 = {(dl__i128)9999999999999 * 9999999999998, 1};
	check(dl__frac_cmp(big, big2) > 0, "large products compare exactly");
	check(strcmp(dl__frac_format(third, 2, buf, sizeof(buf)), "0.33") == 0, "format 1/3");
	dl__frac two_thirds = {2, 3};
	check(strcmp(dl__frac_format(two_thirds, 2, buf, sizeof(buf)), "0.67") == 0, "round 2/3");
}

/* --- generated sheets ---------------------------------------------------------------------- */

static unsigned long long rng = 88172645463325252ULL;

static unsigned next_random(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

typedef struct answers {
	bool chosen[16][20];
	int levels[16];
} answers;

static int append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - *len)
		return -1;
	*len += (size_t)n;
	return 0;
}

static char *sheet_xml(const dl_questionnaire *q, const answers *a)
{
	size_t size = 1 << 16, len = 0;
	char *buf = malloc(size);
	if (!buf)
		return NULL;
	append(buf, size, &len,
	       "<answer-sheet questionnaire=\"miit-2024\" version=\"2024\"><enterprise>"
	       "<name>测试</name><credit-code>91350100M000100Y43</credit-code>"
	       "<industry>纺织服装</industry><scale>规上</scale></enterprise>"
	       "<assessment phase=\"diagnosis\" date=\"2025-01-01\"><organisation>T</organisation>"
	       "</assessment><answers>");
	for (size_t qi = 0; qi < dl_questionnaire_question_count(q); qi++) {
		append(buf, size, &len, "<answer question=\"%s\">", dl_questionnaire_question_id(q, qi));
		for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++)
			if (a->chosen[qi][oi])
				append(buf, size, &len, "<choose option=\"%s\"/>",
				       dl_questionnaire_option_id(q, qi, oi));
		append(buf, size, &len, "</answer>");
	}
	append(buf, size, &len, "</answers><scenarios>");
	for (size_t si = 0; si < dl_questionnaire_scenario_count(q); si++)
		append(buf, size, &len, "<scenario id=\"%s\" level=\"%d\"/>",
		       dl_questionnaire_scenario_id(q, si), a->levels[si]);
	append(buf, size, &len, "</scenarios></answer-sheet>");
	return buf;
}

static void random_answers(const dl_questionnaire *q, answers *a, int bias)
{
	memset(a, 0, sizeof(*a));
	for (size_t qi = 0; qi < dl_questionnaire_question_count(q); qi++) {
		size_t n = dl_questionnaire_option_count(q, qi);
		if (dl_questionnaire_question_type(q, qi) == DL_QUESTION_SINGLE) {
			a->chosen[qi][next_random((unsigned)n)] = true;
			continue;
		}
		bool any = false;
		for (size_t oi = 0; oi < n; oi++)
			if (!dl_questionnaire_option_is_exclusive(q, qi, oi) && next_random(10) < (unsigned)bias)
				any = a->chosen[qi][oi] = true;
		if (!any)
			for (size_t oi = 0; oi < n; oi++)
				a->chosen[qi][oi] = dl_questionnaire_option_is_exclusive(q, qi, oi);
	}
	for (size_t si = 0; si < dl_questionnaire_scenario_count(q); si++)
		a->levels[si] = (int)next_random(5) * bias / 10 + (int)next_random(2);
	for (size_t si = 0; si < dl_questionnaire_scenario_count(q); si++)
		if (a->levels[si] > 4)
			a->levels[si] = 4;
}

static dl_result *score_answers(const dl_questionnaire *q, const answers *a)
{
	char *xml = sheet_xml(q, a);
	dl_sheet *s = NULL;
	dl_result *r = NULL;
	dl_error err;
	if (xml && dl_sheet_load_memory(&s, xml, strlen(xml), "generated.xml", NULL, &err) == 0 &&
	    dl_score(&r, q, s, NULL, &err) != 0)
		printf("# score failed: %s\n", err.message);
	free(xml);
	dl_sheet_free(s);
	return r;
}

static void apply_plan(const dl_questionnaire *q, const dl_plan *p, answers *a)
{
	for (size_t i = 0; i < dl_plan_step_count(p); i++) {
		size_t qi = dl_plan_step_question(p, i);
		switch (dl_plan_step_kind(p, i)) {
		case DL_STEP_RAISE_SCENARIO:
			a->levels[dl_plan_step_scenario(p, i)] = dl_plan_step_level_to(p, i);
			break;
		case DL_STEP_SWITCH_OPTION:
			for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++)
				a->chosen[qi][oi] = false;
			a->chosen[qi][dl_plan_step_option_to(p, i)] = true;
			break;
		case DL_STEP_ADD_OPTION:
			for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++)
				if (dl_questionnaire_option_is_exclusive(q, qi, oi))
					a->chosen[qi][oi] = false;
			a->chosen[qi][dl_plan_step_option_to(p, i)] = true;
			break;
		}
	}
}

/* A move the enterprise can make (outcome questions are left out): its gain and catalogue cost. */
typedef struct move {
	size_t question;
	dl_points gain;
	int64_t cost; /* the planner's weight: midpoint of the cheapest solution, unknown ranks last */
	bool single;
} move;

/* The weight the planner gives a move (see plan.c): the midpoint of the cheapest catalogue solution
 * that lifts the option, unknown last. */
static int64_t cost_of(const dl_catalogue *cat, const dl_questionnaire *q, size_t qi, size_t oi)
{
	int64_t best = -1;
	for (size_t si = 0; cat && si < dl_catalogue_solution_count(cat); si++) {
		bool lifts = false;
		lifts = dl_catalogue_solution_lifts_option(cat, si, dl_questionnaire_question_id(q, qi),
							   dl_questionnaire_option_id(q, qi, oi));
		int64_t mid = (dl_catalogue_solution_cost_low(cat, si) + dl_catalogue_solution_cost_high(cat, si)) / 2;
		if (lifts && (best < 0 || mid < best))
			best = mid;
	}
	return best >= 0 ? best : INT64_C(1000000000);
}

/* The best k-move sets, by brute force: the most points any set reaches, and among the sets that
 * close the gap the fewest points, then the lowest cost. */
typedef struct best_sets {
	dl_points most, least_closing;
	int64_t cheapest; /* cost of the cheapest set among those with least_closing points */
	bool closes;
} best_sets;

static void brute(const move *moves, size_t n, size_t start, int steps, bool *used_q, dl_points sum,
		  int64_t cost, dl_points need, best_sets *b)
{
	if (steps == 0) {
		if (sum > b->most)
			b->most = sum;
		if (sum >= need && (!b->closes || sum < b->least_closing ||
				    (sum == b->least_closing && cost < b->cheapest))) {
			b->closes = true;
			b->least_closing = sum;
			b->cheapest = cost;
		}
		return;
	}
	for (size_t i = start; i < n; i++) {
		if (moves[i].single && used_q[moves[i].question])
			continue;
		if (moves[i].single)
			used_q[moves[i].question] = true;
		brute(moves, n, i + 1, steps - 1, used_q, sum + moves[i].gain, cost + moves[i].cost, need, b);
		if (moves[i].single)
			used_q[moves[i].question] = false;
	}
}

/*
 * Plans made with the catalogue: applying one reaches the target; it proposes no outcome while
 * moves the enterprise can make close the gap, and never the investment-to-revenue ratio (Q11); by
 * brute force over every set of moves, no set with one move fewer closes the gap, none of the same
 * size asks for fewer points, and none of those is cheaper.
 */
static void test_planner(const dl_questionnaire *q)
{
	int plans = 0, checked = 0, outcome_plans = 0;
	dl_catalogue *cat = NULL;
	dl_error err;
	if (!check(dl_catalogue_find(&cat, q, NULL, &err) == 0, "the catalogue beside miit-2024"))
		printf("# %s\n", err.message);
	for (int round = 0; round < 150; round++) {
		answers a;
		random_answers(q, &a, 2 + round % 8);
		dl_result *r = score_answers(q, &a);
		check(r != NULL, "generated sheet %d scores", round);
		if (!r)
			continue;
		for (int target = dl_result_level(r) + 1; target <= 4; target++) {
			dl_plan *p = NULL;
			if (dl_plan_make_with(&p, r, target, cat, &err) != 0) {
				check(0, "plan to %d: %s", target, err.message);
				continue;
			}
			plans++;
			check(dl_plan_feasible(p), "round %d target %d feasible with miit-2024", round, target);
			answers changed = a;
			apply_plan(q, p, &changed);
			dl_result *after = score_answers(q, &changed);
			check(after && dl_result_level(after) >= target,
			      "round %d: applying the plan reaches level %d (got %d)", round, target,
			      after ? dl_result_level(after) : -1);
			size_t option_steps = 0, outcomes = 0;
			dl_points sum = 0;
			int64_t cost = 0;
			for (size_t i = 0; i < dl_plan_step_count(p); i++) {
				if (dl_plan_step_kind(p, i) == DL_STEP_RAISE_SCENARIO)
					continue;
				size_t qi = dl_plan_step_question(p, i);
				option_steps++;
				outcomes += dl_plan_step_is_outcome(p, i);
				sum += dl_plan_step_gain(p, i);
				cost += cost_of(cat, q, qi, dl_plan_step_option_to(p, i));
				check(dl_plan_step_is_outcome(p, i) == dl_questionnaire_question_is_outcome(q, qi),
				      "round %d: a step is marked an outcome exactly when its question is one", round);
				check(strcmp(dl_questionnaire_question_id(q, qi), "Q11") != 0,
				      "round %d target %d: never the investment-to-revenue ratio", round, target);
			}
			move moves[128];
			size_t n = 0;
			for (size_t qi = 0; qi < dl_questionnaire_question_count(q); qi++) {
				bool single = dl_questionnaire_question_type(q, qi) == DL_QUESTION_SINGLE;
				dl_points now = 0;
				if (dl_questionnaire_question_is_outcome(q, qi))
					continue;
				for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++)
					if (single && a.chosen[qi][oi])
						now = dl_questionnaire_option_points(q, qi, oi);
				for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi) && n < 128; oi++) {
					dl_points g = dl_questionnaire_option_points(q, qi, oi) - now;
					if (g > 0 && !a.chosen[qi][oi])
						moves[n++] = (move){qi, g, cost_of(cat, q, qi, oi), single};
				}
			}
			bool used[16] = {false};
			dl_points need = dl_plan_missing_points(p);
			if (outcomes > 0) {
				/* only when every move the enterprise can make together falls short */
				dl_points all = 0;
				for (size_t i = 0; i < n; i++)
					all += moves[i].gain; /* more than a plan may take: an upper bound */
				best_sets b = {0, 0, 0, false};
				if (n <= 24)
					brute(moves, n, 0, (int)(n < 6 ? n : 6), used, 0, 0, need, &b);
				check(all < need || !b.closes, "round %d target %d: an outcome only when needed",
				      round, target);
				outcome_plans++;
			} else if (option_steps >= 1 && option_steps <= 4) {
				best_sets fewer = {0, 0, 0, false}, same = {0, 0, 0, false};
				brute(moves, n, 0, (int)option_steps - 1, used, 0, 0, need, &fewer);
				brute(moves, n, 0, (int)option_steps, used, 0, 0, need, &same);
				check(fewer.most < need, "round %d target %d: %zu option steps are needed", round,
				      target, option_steps);
				check(same.closes && sum == same.least_closing,
				      "round %d target %d: no plan of %zu steps asks for fewer points (%lld, best %lld)",
				      round, target, option_steps, (long long)sum, (long long)same.least_closing);
				check(cost == same.cheapest,
				      "round %d target %d: no plan of %zu steps and as many points is cheaper", round,
				      target, option_steps);
				checked++;
			}
			dl_result_free(after);
			dl_plan_free(p);
		}
		dl_result_free(r);
	}
	check(plans > 100 && checked > 20, "enough plans checked (%d, %d by brute force)", plans, checked);
	printf("# %d plans applied and re-scored, %d checked minimal, closest and cheapest by brute force, "
	       "%d with outcomes\n", plans, checked, outcome_plans);
	dl_catalogue_free(cat);
}

static void test_thresholds(const dl_questionnaire *q)
{
	/* everything at the top: 100 points, level 4; everything at nothing: level 0 */
	answers a;
	memset(&a, 0, sizeof(a));
	for (size_t qi = 0; qi < dl_questionnaire_question_count(q); qi++) {
		size_t best = 0;
		for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++) {
			if (dl_questionnaire_question_type(q, qi) == DL_QUESTION_MULTI)
				a.chosen[qi][oi] = !dl_questionnaire_option_is_exclusive(q, qi, oi);
			else if (dl_questionnaire_option_points(q, qi, oi) >
				 dl_questionnaire_option_points(q, qi, best))
				best = oi;
		}
		if (dl_questionnaire_question_type(q, qi) == DL_QUESTION_SINGLE)
			a.chosen[qi][best] = true;
	}
	for (int si = 0; si < 16; si++)
		a.levels[si] = 4;
	dl_result *r = score_answers(q, &a);
	check(r && dl_result_total(r) == 100 * DL_POINTS_SCALE, "all best options give exactly 100");
	check(r && dl_result_level(r) == 4, "everything at the top is level 4");
	dl_plan *p = NULL;
	check(r && dl_plan_make(&p, r, 4, NULL) == 0 && dl_plan_step_count(p) == 0,
	      "no plan needed at the target");
	dl_plan_free(p);
	dl_result_free(r);
}

/* The questionnaire's digest is the SHA-256 of the file's bytes: a result can name exactly which file
 * it used, and a copy that differs by one byte has another digest (docs/answer-sheet.md). */
static void test_questionnaire_digest(const dl_questionnaire *q)
{
	static char data[1 << 20];
	FILE *f = fopen("questionnaires/miit-2024.xml", "rb");
	size_t len = f ? fread(data, 1, sizeof(data), f) : 0;
	if (f)
		fclose(f);
	char want[DL__SHA256_HEX_SIZE];
	dl__sha256_hex(data, len, want);
	check(len > 0 && strcmp(dl_questionnaire_digest(q), want) == 0,
	      "the questionnaire's digest is the SHA-256 of its file (%s)", dl_questionnaire_digest(q));
	check(strcmp(dl_questionnaire_path(q), "questionnaires/miit-2024.xml") == 0,
	      "the questionnaire's path is the one it was loaded from");
	char *at = strstr(data, "min-score=\"80\"");
	dl_questionnaire *copy = NULL;
	if (at) {
		at[11] = '0'; /* 四级 from 80 points to 0: the forged copy of issue 9 */
		if (dl_questionnaire_load_memory(&copy, data, len, "copy.xml", NULL, NULL) == 0) {
			check(strcmp(dl_questionnaire_digest(copy), dl_questionnaire_digest(q)) != 0 &&
				      strlen(dl_questionnaire_digest(copy)) == 64,
			      "a copy that differs by one byte has another digest");
			dl_questionnaire_free(copy);
		} else {
			check(0, "the changed copy loads");
		}
	} else {
		check(0, "the 四级 threshold is in the file");
	}
}

/* The version macros agree with each other and with the library the program runs with. */
static void test_version(void)
{
	char parts[32];
	snprintf(parts, sizeof(parts), "%d.%d.%d", DL_VERSION_MAJOR, DL_VERSION_MINOR,
		 DL_VERSION_PATCH);
	check(strcmp(parts, DL_VERSION) == 0, "DL_VERSION is MAJOR.MINOR.PATCH (%s)", DL_VERSION);
	check(DL_VERSION_NUMBER ==
		      DL_VERSION_MAJOR * 10000 + DL_VERSION_MINOR * 100 + DL_VERSION_PATCH &&
		      DL_VERSION_MINOR < 100 && DL_VERSION_PATCH < 100,
	      "DL_VERSION_NUMBER is MAJOR * 10000 + MINOR * 100 + PATCH (%d)", DL_VERSION_NUMBER);
	check(strcmp(dl_version(), DL_VERSION) == 0 && dl_version_number() == DL_VERSION_NUMBER,
	      "dl_version() and dl_version_number() are the header's");
}

/* Options of another version are refused by every function that takes them, before it does anything
 * (as dl_report_options are); options of this version and NULL options work. */
static int refused(int rc, const dl_error *err)
{
	return rc == DL_EINVALID &&
	       strcmp(err->message, "load options version 7 is not supported (expected 1)") == 0;
}

static void test_load_options_version(const dl_questionnaire *q)
{
	dl_load_options bad = DL_LOAD_OPTIONS_INIT, good = DL_LOAD_OPTIONS_INIT;
	dl_sheet *before = NULL, *after = NULL, *s = NULL;
	dl_policy *policy = NULL;
	dl_targets *targets = NULL;
	dl_questionnaire *other = NULL;
	dl_sheet_stream *st = NULL;
	dl_result *r = NULL;
	dl_comparison *c = NULL;
	dl_error err;
	bad.version = 7;
	check(dl_sheet_load(&before, "examples/food-before.xml", &good, &err) == 0 &&
		      dl_sheet_load(&after, "examples/food-after.xml", NULL, &err) == 0 &&
		      dl_policy_load(&policy, "policies/hongsibu-2024.xml", &good, &err) == 0 &&
		      dl_targets_load(&targets, "policies/hongsibu-2024-targets.xml", &good, &err) == 0,
	      "load options of this version load");
	if (!before || !after || !policy || !targets)
		goto done;
	check(refused(dl_sheet_load(&s, "examples/food-before.xml", &bad, &err), &err) && !s,
	      "dl_sheet_load refuses load options of another version");
	check(refused(dl_sheet_load_memory(&s, "<x/>", 4, "x.xml", &bad, &err), &err) && !s,
	      "dl_sheet_load_memory refuses them");
	char *xml = malloc(5);
	if (xml)
		memcpy(xml, "<x/>", 5);
	check(xml && refused(dl_sheet_load_from_stream(&s, xml, 4, "x.xml", 1, &bad, &err), &err) &&
		      !s,
	      "dl_sheet_load_from_stream refuses them (and frees the text it owns)");
	check(refused(dl_sheet_stream_open(&st, "examples/food-before.xml", &bad, &err), &err) && !st,
	      "dl_sheet_stream_open refuses them");
	check(refused(dl_questionnaire_load(&other, "questionnaires/miit-2024.xml", &bad, &err), &err) &&
		      !other,
	      "dl_questionnaire_load refuses them");
	check(refused(dl_questionnaire_load_memory(&other, "<x/>", 4, "x.xml", &bad, &err), &err) &&
		      !other,
	      "dl_questionnaire_load_memory refuses them");
	check(refused(dl_questionnaire_find(&other, "questionnaires", "miit-2024", "2024", &bad, &err),
		      &err) &&
		      !other,
	      "dl_questionnaire_find refuses them");
	dl_policy *p2 = NULL;
	check(refused(dl_policy_load(&p2, "policies/hongsibu-2024.xml", &bad, &err), &err) && !p2,
	      "dl_policy_load refuses them");
	check(refused(dl_policy_load_memory(&p2, "<x/>", 4, "x.xml", &bad, &err), &err) && !p2,
	      "dl_policy_load_memory refuses them");
	dl_targets *t2 = NULL;
	check(refused(dl_targets_load(&t2, "policies/hongsibu-2024-targets.xml", &bad, &err), &err) &&
		      !t2,
	      "dl_targets_load refuses them");
	check(refused(dl_targets_load_memory(&t2, "<x/>", 4, "x.xml", &bad, &err), &err) && !t2,
	      "dl_targets_load_memory refuses them");
	check(refused(dl_sheet_check(before, q, &bad, &err), &err), "dl_sheet_check refuses them");
	check(refused(dl_score(&r, q, before, &bad, &err), &err) && !r, "dl_score refuses them");
	check(refused(dl_policy_check(policy, q, &bad, &err), &err), "dl_policy_check refuses them");
	check(refused(dl_targets_check(targets, q, &bad, &err), &err), "dl_targets_check refuses them");
	check(refused(dl_compare_check(before, after, &bad, &err), &err),
	      "dl_compare_check refuses them");
	check(refused(dl_compare(&c, q, before, after, policy, &bad, &err), &err) && !c,
	      "dl_compare refuses them");
	check(dl_score(&r, q, before, &good, &err) == 0 &&
		      dl_compare(&c, q, before, after, policy, &good, &err) == 0,
	      "scoring and comparing take options of this version");
done:
	dl_comparison_free(c);
	dl_result_free(r);
	dl_targets_free(targets);
	dl_policy_free(policy);
	dl_sheet_free(after);
	dl_sheet_free(before);
}

int main(void)
{
	dl_questionnaire *q = NULL;
	dl_error err;
	test_version();
	test_decimal();
	if (!check(dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, &err) == 0,
		   "load miit-2024")) {
		printf("# %s\n", err.message);
		return test_done();
	}
	test_thresholds(q);
	test_planner(q);
	test_questionnaire_digest(q);
	test_load_options_version(q);
	dl_questionnaire_free(q);
	return test_done();
}
