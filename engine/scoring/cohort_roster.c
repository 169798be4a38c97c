/*
 * cohort_roster.c: the roster of a cohort and what is counted from it: each enterprise's stage
 * in the pipeline 诊断 → 签约 → 改造 → 申请 → 验收 → 拨付 and the schedule's milestones against it,
 * the funds approved, disbursed and pending, the service providers' performance, the scenarios most
 * often below what an enterprise's next grade needs, and the average uplift.
 *
 * Unlike the running figures of cohort_progress.c, the roster keeps one small row per enterprise
 * (a roster is a list of enterprises): its strings live in one arena of the cohort, so memory grows
 * by about 200 bytes and the name's length per enterprise.
 */
#include "alloc.h"
#include "cohort_model.h"
#include "date.h"
#include "decimal.h"
#include "i18n.h"
#include "money.h"
#include "policy_model.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

static const char *const RATINGS[] = {"非常不满意", "不满意", "基本满意", "满意", "非常满意"};

static int rating_of(const char *satisfaction)
{
	for (int i = 0; i < 5; i++)
		if (strcmp(satisfaction, RATINGS[i]) == 0)
			return i + 1;
	return 0;
}

/* date + days as YYYY-MM-DD into buf (at least 32 bytes); "" when date is not a real date. The rule of
 * dl_compare's rectification deadline (subsidy.c), so the roster shows the date the 验收意见 does. */
static void add_days(const char *date, int days, char *buf, size_t size)
{
	static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;
	buf[0] = '\0';
	if (dl__date_parse(date, &y, &m, &d, NULL, 0) != 0)
		return;
	for (int i = 0; i < days; i++) {
		bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		if (++d > (m == 2 && leap ? 29 : month_days[m - 1])) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

static dl__weak_scenario *weak_find(dl_cohort *c, const char *title)
{
	for (size_t i = 0; i < c->weak_count; i++)
		if (strcmp(c->weak[i].title, title) == 0)
			return &c->weak[i];
	return NULL;
}

/* Room for one more roster row and n more weak scenarios; false when memory ran out. */
static bool reserve(dl_cohort *c, size_t n)
{
	if (c->roster_count == c->roster_cap) {
		size_t cap = c->roster_cap ? c->roster_cap * 2 : 16;
		dl__roster_row *grown = dl__realloc(c->roster, cap * sizeof(*grown));
		if (!grown)
			return false;
		c->roster = grown;
		c->roster_cap = cap;
	}
	if (c->weak_count + n > c->weak_cap) {
		size_t cap = (c->weak_count + n) * 2;
		dl__weak_scenario *grown = dl__realloc(c->weak, cap * sizeof(*grown));
		if (!grown)
			return false;
		c->weak = grown;
		c->weak_cap = cap;
	}
	return true;
}

int dl__cohort_roster_add(dl_cohort *c, const dl_cohort_entry *e)
{
	if (!reserve(c, e->weak_count))
		return DL_ENOMEM;
	dl__roster_row r;
	memset(&r, 0, sizeof(r));
	r.code = dl__arena_strdup(&c->roster_arena, e->code);
	r.name = dl__arena_strdup(&c->roster_arena, e->name);
	r.provider = dl__arena_strdup(&c->roster_arena, e->provider);
	const char *titles[DL_COHORT_CATEGORIES_MAX];
	size_t n = 0;
	for (const dl__strnode *w = e->weak; w; w = w->next)
		if (!weak_find(c, w->s) && !(titles[n++] = dl__arena_strdup(&c->roster_arena, w->s)))
			return DL_ENOMEM;
	if (!r.code || !r.name || !r.provider)
		return DL_ENOMEM; /* what the arena holds is freed with the cohort */
	for (int i = 0; i < DL_STAGE_COUNT; i++)
		snprintf(r.stage_date[i], sizeof(r.stage_date[i]), "%s", e->stage_date[i]);
	r.has_before = e->has_before;
	r.has_after = e->has_after;
	r.before_level = e->before_level;
	r.after_level = e->after_level;
	r.has_verdict = e->has_verdict;
	r.verdict = e->has_verdict ? e->verdict : DL_VERDICT_FAIL;
	r.passed = e->has_verdict && e->verdict == DL_VERDICT_PASS;
	if (r.has_verdict && r.verdict == DL_VERDICT_RECTIFY && c->p && c->p->rectify_days > 0 &&
	    e->has_after) {
		char deadline[32];
		add_days(e->after_date, c->p->rectify_days, deadline, sizeof(deadline));
		snprintf(r.deadline, sizeof(r.deadline), "%.10s", deadline);
	}
	r.eligible = e->has_verdict ? e->eligible : 0;
	r.subsidy = r.passed ? e->subsidy : 0;
	r.has_totals = e->has_totals && e->has_before && e->has_after;
	r.before_total = e->before_total;
	r.after_total = e->after_total;
	r.rating = rating_of(e->satisfaction);
	c->roster[c->roster_count++] = r;
	/* nothing can fail from here: the weak scenarios new to the cohort have their titles */
	n = 0;
	for (const dl__strnode *w = e->weak; w; w = w->next) {
		dl__weak_scenario *ws = weak_find(c, w->s);
		if (!ws) {
			ws = &c->weak[c->weak_count++];
			ws->title = titles[n++];
			ws->enterprises = 0;
		}
		ws->enterprises++;
	}
	return 0;
}

void dl__cohort_roster_free(dl_cohort *c)
{
	dl__arena_free(&c->roster_arena);
	dl__free(c->roster);
	dl__free(c->weak);
}

int dl__cohort_row_stage(const dl__roster_row *r, const char *date)
{
	for (int s = DL_STAGE_COUNT - 1; s >= 0; s--)
		if (r->stage_date[s][0] && (!date[0] || dl__date_compare(r->stage_date[s], date) <= 0))
			return s;
	return -1;
}

/* --- figures ----------------------------------------------------------------------------------- */

size_t dl_cohort_roster_count(const dl_cohort *c) { return c->roster_count; }

const char *dl_cohort_roster_code(const dl_cohort *c, size_t i)
{
	assert(i < c->roster_count);
	return c->roster[i].code;
}

int dl_cohort_roster_stage(const dl_cohort *c, size_t i)
{
	assert(i < c->roster_count);
	return dl__cohort_row_stage(&c->roster[i], dl__cohort_as_of(c));
}

int64_t dl_cohort_roster_disbursed(const dl_cohort *c, size_t i)
{
	assert(i < c->roster_count);
	return c->roster[i].disbursed;
}

int dl_cohort_roster_verdict(const dl_cohort *c, size_t i)
{
	assert(i < c->roster_count);
	return c->roster[i].has_verdict ? (int)c->roster[i].verdict : -1;
}

const char *dl_cohort_roster_deadline(const dl_cohort *c, size_t i)
{
	assert(i < c->roster_count);
	return c->roster[i].deadline;
}

size_t dl_cohort_stage_count(const dl_cohort *c, dl_stage stage, const char *date)
{
	size_t n = 0;
	if (!date)
		date = dl__cohort_as_of(c);
	for (size_t i = 0; i < c->roster_count; i++)
		n += dl__cohort_row_stage(&c->roster[i], date) >= (int)stage;
	return n;
}

size_t dl_cohort_milestone_reached(const dl_cohort *c, size_t m)
{
	return dl_cohort_stage_count(c, dl_targets_milestone_stage(c->t, m),
				     dl_targets_milestone_date(c->t, m));
}

dl_target_status dl_cohort_milestone_status(const dl_cohort *c, size_t m)
{
	if ((long)dl_cohort_milestone_reached(c, m) >= dl_targets_milestone_expected(c->t, m))
		return DL_STATUS_DONE;
	const char *as_of = dl__cohort_as_of(c);
	return as_of[0] && dl__date_compare(as_of, dl_targets_milestone_date(c->t, m)) > 0
		   ? DL_STATUS_MISSED
		   : DL_STATUS_IN_PROGRESS;
}

int64_t dl_cohort_disbursed_total(const dl_cohort *c) { return c->disbursed_total; }

static dl__roster_row *roster_find(dl_cohort *c, const char *code)
{
	for (size_t i = 0; i < c->roster_count; i++)
		if (strcmp(c->roster[i].code, code) == 0)
			return &c->roster[i];
	return NULL;
}

int dl_cohort_check_payments(dl_cohort *c, const dl_load_options *opts, dl_error *err)
{
	assert(c && !c->payments_checked);
	const dl_targets *t = c->t;
	dl__diag d;
	dl__diag_init(&d, opts, err, dl_targets_path(t));
	c->payments_checked = true;
	char paid[32], approved[32];
	for (size_t p = 0; p < dl_targets_payment_count(t); p++) {
		const char *code = dl_targets_payment_code(t, p);
		const char *doc = dl_targets_payment_document(t, p);
		unsigned long line = dl_targets_payment_line(t, p);
		unsigned long column = dl_targets_payment_column(t, p);
		int64_t fen = dl_targets_payment_fen(t, p);
		dl__roster_row *r = roster_find(c, code);
		if (!r) {
			dl__diag_report(&d, DL_EINVALID, line, column,
					_("payment '%s': %s is not an enterprise of the cohort"),
					doc, code);
			continue;
		}
		if (!r->has_verdict || !r->passed || r->disbursed + fen > r->subsidy) {
			dl_money_format(r->disbursed + fen, paid, sizeof(paid));
			dl_money_format(r->subsidy, approved, sizeof(approved));
			dl__diag_report(
			    &d, DL_EINVALID, line, column,
			    _("payment '%s' brings what %s was paid to %s yuan, over the "
			      "subsidy approved of %s yuan"),
			    doc, code, paid, approved);
			continue;
		}
		/* within the approved subsidy, which fits: the sums below cannot overflow */
		r->disbursed += fen;
		c->disbursed_total += fen;
		const char *date = dl_targets_payment_date(t, p);
		if (!r->stage_date[DL_STAGE_PAYMENT][0] ||
		    dl__date_compare(date, r->stage_date[DL_STAGE_PAYMENT]) < 0)
			snprintf(r->stage_date[DL_STAGE_PAYMENT], 11, "%s", date);
	}
	return d.count ? DL_EINVALID : 0;
}

dl__provider_figures *dl__cohort_providers(const dl_cohort *c, size_t *count)
{
	*count = 0;
	dl__provider_figures *f = c->roster_count ? dl__calloc(c->roster_count, sizeof(*f)) : NULL;
	for (size_t i = 0; f && i < c->roster_count; i++) {
		const dl__roster_row *r = &c->roster[i];
		if (!r->provider[0])
			continue;
		size_t k = 0;
		while (k < *count && strcmp(f[k].name, r->provider) != 0)
			k++;
		if (k == *count)
			f[(*count)++].name = r->provider;
		f[k].enterprises++;
		f[k].verdicts += r->has_verdict;
		f[k].passed += r->has_verdict && r->passed;
		f[k].rectify += r->has_verdict && r->verdict == DL_VERDICT_RECTIFY;
		if (r->has_totals) {
			f[k].uplifted++;
			f[k].uplift_sum += r->after_total - r->before_total;
		}
		if (r->rating) {
			f[k].rated++;
			f[k].rating_sum += r->rating;
		}
	}
	return f;
}

/* n / den rounded half away from zero (den > 0). */
static int64_t div_round(int64_t n, int64_t den)
{
	int64_t q = n / den, rem = n % den;
	if (2 * (rem < 0 ? -rem : rem) >= den)
		q += n < 0 ? -1 : 1;
	return q;
}

/* tenths as "-1.5" into buf. */
static const char *tenths_text(int64_t tenths, char *buf, size_t size)
{
	int64_t a = tenths < 0 ? -tenths : tenths;
	snprintf(buf, size, "%s%lld.%lld", tenths < 0 ? "-" : "", (long long)(a / 10),
		 (long long)(a % 10));
	return buf;
}

const char *dl__cohort_average_points(dl_points sum, size_t n, char *buf, size_t size)
{
	if (n == 0) {
		snprintf(buf, size, "—");
		return buf;
	}
	/* sum is in 1/10000 points: tenths of a point are sum / (n × 1000), rounded once */
	return tenths_text(div_round(sum, (int64_t)n * (DL_POINTS_SCALE / 10)), buf, size);
}

const char *dl__cohort_average_rating(long sum, size_t n, char *buf, size_t size)
{
	if (n == 0) {
		snprintf(buf, size, "—");
		return buf;
	}
	return tenths_text(div_round((int64_t)sum * 10, (int64_t)n), buf, size);
}

void dl__cohort_uplift(const dl_cohort *c, dl_points *sum, size_t *n)
{
	*sum = 0;
	*n = 0;
	for (size_t i = 0; i < c->roster_count; i++)
		if (c->roster[i].has_totals) {
			*sum += c->roster[i].after_total - c->roster[i].before_total;
			(*n)++;
		}
}

size_t dl__cohort_weak_order(const dl_cohort *c, size_t *order, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < c->weak_count && max > 0; i++) {
		size_t at = n;
		while (at > 0 && c->weak[order[at - 1]].enterprises < c->weak[i].enterprises)
			at--;
		if (at >= max)
			continue;
		size_t end = n < max ? n : max - 1;
		memmove(order + at + 1, order + at, (end - at) * sizeof(*order));
		order[at] = i;
		if (n < max)
			n++;
	}
	return n;
}

/* dl_verdict_title as a msgid. */
static const char *verdict_msgid(dl_verdict v)
{
	switch (v) {
	case DL_VERDICT_PASS: return N_("accepted");
	case DL_VERDICT_FAIL: return N_("not accepted");
	case DL_VERDICT_RECTIFY: return N_("rectify within a deadline");
	}
	return "";
}

const char *dl__cohort_verdict_text_in(const dl__roster_row *r, int lang, char *buf, size_t size)
{
	if (!r->has_verdict)
		snprintf(buf, size, "—");
	else if (r->verdict == DL_VERDICT_RECTIFY && r->deadline[0])
		snprintf(buf, size, dl__tr_in(lang, N_("%s (by %s)")),
			 dl__tr_in(lang, verdict_msgid(r->verdict)), r->deadline);
	else
		snprintf(buf, size, "%s", dl__tr_in(lang, verdict_msgid(r->verdict)));
	return buf;
}

const char *dl__cohort_verdict_text(const dl__roster_row *r, char *buf, size_t size)
{
	return dl__cohort_verdict_text_in(r, DL_LANGUAGE_ZH, buf, size);
}

const char *dl__cohort_money_share(int64_t part, int64_t whole, char *buf, size_t size)
{
	if (whole <= 0) {
		snprintf(buf, size, "—");
		return buf;
	}
	/* permille of whole, halves away from zero, in 128 bits: part × 1000 does not fit in 64 */
	dl__i128 n = (dl__i128)part * 1000, q = n / whole, rem = n % whole;
	if (2 * (rem < 0 ? -rem : rem) >= whole)
		q += n < 0 ? -1 : 1;
	long long permille = (long long)q, a = permille < 0 ? -permille : permille;
	snprintf(buf, size, "%s%lld.%lld%%", permille < 0 ? "-" : "", a / 10, a % 10);
	return buf;
}
