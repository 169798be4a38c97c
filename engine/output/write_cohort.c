/*
 * write_cohort.c: the pilot dashboard as text for people, as CSV and as JSON (docs/cohort.md).
 *
 * The three show the same figures in the same order: the cohort, the targets measured from the
 * sheets period by period, the targets that cannot be, the 细分行业, the levels before and after, the
 * share target per 细分行业, the subsidies by phase. The text is for a terminal: a message, in the
 * language of messages (Chinese by default; what the targets file and the sheets say stays as
 * written), aligned by display width; CSV and JSON keep ids and numbers plain for programs (rates as
 * numbers with one decimal, money as yuan strings with two decimals, as the batch rows give them).
 */
#include "alloc.h"
#include "cohort_model.h"
#include "diag.h"
#include "i18n.h"
#include "money.h"
#include "out.h"
#include "text_both.h"
#include "write_table.h"

#include <stdio.h>
#include <string.h>

#define TITLE_WIDTH 50
#define INDUSTRY_WIDTH 22

static const char *num(size_t n, char *buf, size_t size)
{
	snprintf(buf, size, "%zu", n);
	return buf;
}

static const char *level_name(const dl_cohort *c, size_t li)
{
	return li < c->nlevels ? dl_questionnaire_level_name_at(c->q, li) : "";
}

static const char *deadline_date(const dl_cohort *c, size_t d)
{
	return c->t->deadlines[d].date;
}

static const char *last_date(const dl_cohort *c)
{
	return c->t->deadline_count ? deadline_date(c, c->t->deadline_count - 1) : "";
}

static long goal_of(const dl__target *tg, size_t d)
{
	return d == DL_NONE ? tg->total : tg->by_deadline[d];
}

/* --- text -------------------------------------------------------------------------------------- */

/* The most columns a text table has (the level tables: one per level of the questionnaire). */
#define TEXT_MAX_COLS 24

/* A column of a text table: its heading (N_() in the tables; "" when the table gives its own), the
 * width it is designed for in terminal columns, and whether it is aligned right. */
typedef struct text_col {
	const char *title;
	size_t width;
	bool right;
} text_col;

/*
 * A text table being laid out. Its rows are made twice by the table's rows function: once to
 * measure every cell (writing is false), once to write them (writing is true, the widths final), so
 * no cell needs to be kept. A rows function writes a line of its own between rows only when
 * writing, through o.
 */
typedef struct text_table {
	dl__out *o;
	size_t n;
	text_col col[TEXT_MAX_COLS];
	size_t widest[TEXT_MAX_COLS];
	bool writing;
} text_table;

typedef void text_rows_fn(text_table *t, const dl_cohort *c, const void *arg);

/* Column k holds s: measured, or (nothing is written here) just taken into account. */
static void text_measure(text_table *t, size_t k, const char *s)
{
	size_t w = dl__display_width(s);
	if (k < t->n && w > t->widest[k])
		t->widest[k] = w;
}

/* One row: cells[0 .. n-1] in the columns, then tail (not measured; may be "") and a line break. */
static void text_row(text_table *t, const char *const *cells, const char *tail)
{
	for (size_t k = 0; k < t->n; k++) {
		if (!t->writing)
			text_measure(t, k, cells[k]);
		else if (t->col[k].right)
			dl__out_right(t->o, cells[k], t->col[k].width);
		else
			dl__out_padded(t->o, cells[k], t->col[k].width);
	}
	if (t->writing)
		dl__out_printf(t->o, "%s\n", tail);
}

/*
 * Lay out and write a table of n columns: the header line titles (n cells, then head_tail; NULL: no
 * header line), then the rows rows() makes. Widths come from what the cells show, counted in
 * terminal columns (dl__display_width: a CJK character takes two), so that Chinese and English
 * headers and cells align alike: a column keeps the width it is designed for while its widest text,
 * the header's included, leaves at least a space; a wider text widens it to that text and two spaces.
 */
static void text_table_write(dl__out *o, const text_col *cols, size_t n, const char *const *titles,
			     const char *head_tail, text_rows_fn *rows, const dl_cohort *c, const void *arg)
{
	text_table t;
	memset(&t, 0, sizeof(t));
	t.o = o;
	t.n = n < TEXT_MAX_COLS ? n : TEXT_MAX_COLS;
	memcpy(t.col, cols, t.n * sizeof(*cols));
	if (titles)
		text_row(&t, titles, "");
	rows(&t, c, arg);
	for (size_t k = 0; k < t.n; k++)
		if (t.widest[k] + 1 > t.col[k].width)
			t.col[k].width = t.widest[k] + 2;
	t.writing = true;
	if (titles)
		text_row(&t, titles, head_tail);
	rows(&t, c, arg);
}

/* The same for a table whose headings are its columns' titles (translated here). */
static void text_table_titled(dl__out *o, const text_col *cols, size_t n, const char *head_tail,
			      text_rows_fn *rows, const dl_cohort *c, const void *arg)
{
	const char *titles[TEXT_MAX_COLS];
	for (size_t k = 0; k < n && k < TEXT_MAX_COLS; k++)
		titles[k] = _(cols[k].title); /* N_() in the tables */
	text_table_write(o, cols, n, titles, head_tail, rows, c, arg);
}

/*
 * A section heading numbered in the order written (sections that do not apply are left out): 一、二、…
 * in Chinese, 1. 2. … in English.
 */
static void text_section(dl__out *o, int *section, const char *title)
{
	static const char *const numerals[] = {"一", "二", "三", "四", "五", "六",
					       "七", "八", "九", "十", "十一", "十二"};
	if (dl__messages_language() == DL_LANGUAGE_ZH)
		dl__out_printf(o, "\n%s、%s\n", numerals[*section % 12], title);
	else
		dl__out_printf(o, "\n%d. %s\n", *section + 1, title);
	(*section)++;
}

/* A target's status in the language of messages (dl_target_status_title is the documents' Chinese). */
static const char *status_text(dl_target_status s)
{
	switch (s) {
	case DL_STATUS_DONE: return _("done");
	case DL_STATUS_IN_PROGRESS: return _("in progress");
	case DL_STATUS_MISSED: return _("missed");
	case DL_STATUS_NO_GOAL: return _("no goal");
	case DL_STATUS_NOT_MEASURED: return _("not measurable from the sheets");
	}
	return "";
}

/* A stage of the pilot in the language of messages (dl_stage_title is the documents' Chinese). */
static const char *stage_title(dl_stage s)
{
	static const char *const titles[DL_STAGE_COUNT] = {
	    N_("diagnosis"), N_("signing"), N_("retrofit"), N_("application"), N_("acceptance"),
	    N_("payout")};
	return (unsigned)s < DL_STAGE_COUNT ? _(titles[s]) : "";
}

static void text_header(dl__out *o, const dl_cohort *c)
{
	const dl_targets *t = c->t;
	char rule[200];
	dl__out_printf(o, "%s\n", t->title);
	dl__out_printf(o, _("Basis: %s · %s (%s %s)\n"), t->issuer, t->document, t->id, t->version);
	dl__out_printf(o, _("Questionnaire file: %s · SHA-256 %s\n"), dl_questionnaire_path(c->q),
		       dl_questionnaire_digest(c->q));
	if (c->p)
		dl__out_printf(o, _("Acceptance and subsidies: %s (%s %s)\n"), dl_policy_title(c->p), dl_policy_id(c->p),
			       dl_policy_version(c->p));
	else
		dl__out_str(o, _("Acceptance and subsidies: no policy given (--policy), so no acceptance is decided and no subsidy counted\n"));
	const char *as_of = dl__cohort_as_of(c);
	dl__out_printf(o, _("As of: %s%s\n"), as_of[0] ? as_of : "—",
		       c->as_of_set ? "" : as_of[0] ? _(" (the latest date of the sheets)") : _(" (no sheets)"));
	dl__out_printf(o, _("Enterprises: %zu (%zu with a sheet before the retrofit, %zu evaluated after it); retrofit completed: %zu (%s)\n"),
		       c->enterprises, c->with_before, c->evaluated, c->retrofitted,
		       dl__cohort_retrofitted_text_in(c, dl__messages_language(), rule, sizeof(rule)));
}

static void text_title(const dl__target *tg, char *buf, size_t size)
{
	if (tg->group[0])
		snprintf(buf, size, _("%s: %s (%s)"), tg->group, tg->title, tg->unit);
	else
		snprintf(buf, size, _("%s (%s)"), tg->title, tg->unit);
}

static void text_period_label(const dl_cohort *c, size_t d, char *buf, size_t size)
{
	char from[16];
	if (d == DL_NONE)
		snprintf(buf, size, _("overall target (by %s)"), last_date(c));
	else if (d == 0)
		snprintf(buf, size, _("%s (until %s)"), c->t->deadlines[d].title, deadline_date(c, d));
	else
		snprintf(buf, size, _("%s (%s to %s)"), c->t->deadlines[d].title,
			 dl__cohort_period_start(c, d, from, sizeof(from)), deadline_date(c, d));
}

/* A period of target i as a row: its label (indented under the target's title), goal, done, rate. */
static void text_period_row(text_table *tb, const dl_cohort *c, size_t i, size_t d)
{
	const dl__target *tg = &c->t->targets[i];
	char label[170] = "  ", a[32], b[32], r[32], status[80];
	text_period_label(c, d, label + 2, sizeof(label) - 2);
	long goal = goal_of(tg, d);
	snprintf(a, sizeof(a), "%ld", goal);
	snprintf(status, sizeof(status), "  %s", status_text(dl_cohort_status(c, i, d)));
	const char *cells[] = {"", label, a, num(dl_cohort_achieved(c, i, d), b, sizeof(b)),
			       dl__cohort_rate(dl_cohort_achieved(c, i, d), goal, r, sizeof(r))};
	text_row(tb, cells, status);
}

/* Each measurable target: its number and title, a row per period, what it counts. */
static void measurable_rows(text_table *tb, const dl_cohort *c, const void *arg)
{
	const dl_targets *t = c->t;
	char title[700], rule[1200];
	(void)arg;
	for (size_t i = 0; i < t->target_count; i++) {
		const dl__target *tg = &t->targets[i];
		if (!tg->measurable)
			continue;
		if (tb->writing) {
			text_title(tg, title, sizeof(title));
			dl__out_padded(tb->o, tg->row, tb->col[0].width);
			dl__out_printf(tb->o, "%s\n", title);
		} else {
			text_measure(tb, 0, tg->row);
		}
		for (size_t d = 0; d < t->deadline_count; d++)
			text_period_row(tb, c, i, d);
		text_period_row(tb, c, i, DL_NONE);
		if (!tb->writing)
			continue;
		if (dl_cohort_late(c, i))
			dl__out_printf(tb->o, _("        Completed after the deadline: %zu %s (evaluated after %s, counted in no period above)\n"),
				       dl_cohort_late(c, i), tg->unit, last_date(c));
		dl__cohort_rule_text_in(c, i, dl__messages_language(), rule, sizeof(rule));
		dl__out_printf(tb->o, _("        Counted: %s\n"), rule);
	}
}

static void text_measurable(dl__out *o, const dl_cohort *c, int *section)
{
	static const text_col cols[] = {{N_("No."), 6, false},
					{N_("Target / period"), TITLE_WIDTH - 6, false},
					{N_("Goal"), 8, true},
					{N_("Done"), 8, true},
					{N_("Rate"), 10, true}};
	text_section(o, section, _("Targets measured from the sheets"));
	text_table_titled(o, cols, 5, _("  Status"), measurable_rows, c, NULL);
}

static void text_not_measurable(dl__out *o, const dl_cohort *c, int *section)
{
	const dl_targets *t = c->t;
	char title[700];
	bool any = false;
	for (size_t i = 0; i < t->target_count; i++)
		any = any || !t->targets[i].measurable;
	if (!any)
		return;
	text_section(o, section, _("Targets the sheets cannot measure (the authority counts them itself)"));
	for (size_t i = 0; i < t->target_count; i++) {
		const dl__target *tg = &t->targets[i];
		if (tg->measurable)
			continue;
		text_title(tg, title, sizeof(title));
		dl__out_padded(o, tg->row, 6);
		dl__out_printf(o, _("%s\n        Goal: "), title);
		for (size_t d = 0; d < t->deadline_count; d++)
			dl__out_printf(o, _("%s %ld, "), t->deadlines[d].title, tg->by_deadline[d]);
		dl__out_printf(o, _("overall %ld\n        Why: %s\n"), tg->total, tg->reason);
	}
}

/* Each 细分行业, then the total: its enterprises, then how many reached the level before → after. */
static void industry_rows(text_table *tb, const dl_cohort *c, const void *arg)
{
	char a[5][32], tail[160];
	size_t tot[7] = {0};
	(void)arg;
	for (size_t k = 0; k <= c->industry_count; k++) {
		const dl__cohort_industry *ind = k < c->industry_count ? &c->industries[k] : NULL;
		size_t v[7];
		if (ind) {
			size_t w[7] = {ind->enterprises, ind->large,          ind->small,        ind->evaluated,
				       ind->retrofitted, ind->reached_before, ind->reached_after};
			memcpy(v, w, sizeof(v));
			for (size_t j = 0; j < 7; j++)
				tot[j] += v[j];
		} else {
			memcpy(v, tot, sizeof(v));
		}
		const char *cells[] = {ind ? ind->name : _("Total"), num(v[0], a[0], sizeof(a[0])),
				       num(v[1], a[1], sizeof(a[1])),        num(v[2], a[2], sizeof(a[2])),
				       num(v[3], a[3], sizeof(a[3])),        num(v[4], a[4], sizeof(a[4]))};
		snprintf(tail, sizeof(tail), "   %zu → %zu%s", v[5], v[6],
			 !ind || ind->listed ? "" : _(" (not a pilot industry)"));
		text_row(tb, cells, tail);
	}
}

static void text_industries(dl__out *o, const dl_cohort *c, int *section)
{
	char head[64];
	static const text_col cols[] = {{N_("Industry"), INDUSTRY_WIDTH, false}, {N_("Firms"), 9, true},
					{N_("Large"), 9, true},     {N_("Small"), 9, true},
					{N_("Assessed"), 9, true},   {N_("Retrofit"), 9, true}};
	text_section(o, section, _("By industry"));
	snprintf(head, sizeof(head), _("   %s and above: before → after"), c->t->retrofitted_level);
	text_table_titled(o, cols, 6, head, industry_rows, c, NULL);
}

/* Each 细分行业, then the total: how many enterprises stood at each level before → after. */
static void level_rows(text_table *tb, const dl_cohort *c, const void *arg)
{
	char cell[TEXT_MAX_COLS][48];
	const char *cells[TEXT_MAX_COLS];
	(void)arg;
	for (size_t k = 0; k <= c->industry_count; k++) {
		const size_t *b = k < c->industry_count ? c->industries[k].before : c->levels_before;
		const size_t *f = k < c->industry_count ? c->industries[k].after : c->levels_after;
		cells[0] = k < c->industry_count ? c->industries[k].name : _("Total");
		for (size_t li = 0; li + 1 < tb->n; li++) {
			snprintf(cell[li], sizeof(cell[li]), "%zu → %zu", b[li], f[li]);
			cells[li + 1] = cell[li];
		}
		text_row(tb, cells, "");
	}
}

/* The level changes: a row per level before, a column per level after. */
static void matrix_rows(text_table *tb, const dl_cohort *c, const void *arg)
{
	size_t nl = c->nlevels;
	char cell[TEXT_MAX_COLS][32];
	const char *cells[TEXT_MAX_COLS];
	(void)arg;
	for (size_t bi = 0; bi <= nl; bi++) {
		cells[0] = bi < nl ? level_name(c, bi) : _("no sheet");
		for (size_t ai = 0; ai + 1 < tb->n; ai++)
			cells[ai + 1] = num(c->matrix[bi * (nl + 1) + ai], cell[ai], sizeof(cell[ai]));
		text_row(tb, cells, "");
	}
}

static void text_levels(dl__out *o, const dl_cohort *c, int *section)
{
	size_t nl = c->nlevels, n = nl + 2 < TEXT_MAX_COLS ? nl + 2 : TEXT_MAX_COLS;
	text_col cols[TEXT_MAX_COLS];
	const char *titles[TEXT_MAX_COLS];
	text_section(o, section, _("Levels (before → after, enterprises)"));
	for (size_t k = 0; k < n; k++) {
		cols[k] = (text_col){"", k ? 10 : INDUSTRY_WIDTH, k > 0};
		titles[k] = k == 0 ? _("Industry") : k <= nl ? level_name(c, k - 1) : _("no sheet");
	}
	text_table_write(o, cols, n, titles, "", level_rows, c, NULL);
	dl__out_str(o, _("\"no sheet\": no diagnosis or self-check before the retrofit, or no evaluation after it (also below)\n"));

	dl__out_str(o, _("\nLevel changes (rows: before, columns: after, enterprises)\n"));
	cols[0].width = 12;
	titles[0] = "";
	text_table_write(o, cols, n, titles, "", matrix_rows, c, NULL);
}

/* Each 细分行业: its enterprises of the scale, those at the level, the share, whether it is met. */
static void share_rows(text_table *tb, const dl_cohort *c, const void *arg)
{
	char a[32], b[32], pct[32], tail[160];
	(void)arg;
	for (size_t k = 0; k < c->industry_count; k++) {
		const dl__cohort_industry *ind = &c->industries[k];
		int met = dl__cohort_share_met(c, k);
		const char *cells[] = {ind->name, num(ind->share_base, a, sizeof(a)),
				       num(ind->share_reached, b, sizeof(b)),
				       dl__cohort_share(ind->share_reached, ind->share_base, pct, sizeof(pct))};
		snprintf(tail, sizeof(tail), "  %s",
			 met < 0 ? _("— (no enterprise of that scale)") : met ? _("Reached") : _("not met"));
		text_row(tb, cells, tail);
	}
}

static void text_share(dl__out *o, const dl_cohort *c, int *section)
{
	const dl_targets *t = c->t;
	char pct[32];
	if (!t->has_share)
		return;
	char title[300];
	snprintf(title, sizeof(title), _("Share of %s enterprises at %s or above (target: at least %s%% in each industry)"), t->share_scale,
		 t->share_level, dl__rate_format(t->share_percent, pct, sizeof(pct)));
	text_section(o, section, title);
	if (t->share_text[0])
		dl__out_printf(o, "%s\n", t->share_text);
	static const text_col cols[] = {
	    {"", INDUSTRY_WIDTH, false}, {"", 9, true}, {"", 9, true}, {"", 9, true}};
	const char *titles[] = {_("Industry"), t->share_scale, _("Reached"), _("Share")};
	text_table_write(o, cols, 4, titles, _("  Met"), share_rows, c, NULL);
	dl__out_str(o, _("Each enterprise counts at its latest level: its evaluation's if it has one, else that of its sheet before the retrofit.\n"));
}

static void subsidy_row(text_table *tb, const char *title, size_t n, int64_t eligible, int64_t subsidy)
{
	char a[32], m1[48], m2[48];
	const char *cells[] = {title, num(n, a, sizeof(a)),
			       dl__money_format_grouped(eligible, m1, sizeof(m1)),
			       dl__money_format_grouped(subsidy, m2, sizeof(m2))};
	text_row(tb, cells, "");
}

/* Each phase of the policy, then those passed in none, to rectify, failed, and the total. */
static void subsidy_rows(text_table *tb, const dl_cohort *c, const void *arg)
{
	(void)arg;
	for (size_t i = 0; i < dl_policy_phase_count(c->p); i++)
		subsidy_row(tb, dl_policy_phase_title(c->p, i), c->phase_count[i], c->phase_eligible[i],
			    c->phase_subsidy[i]);
	if (c->passed_no_phase)
		subsidy_row(tb, _("passed, in no phase"), c->passed_no_phase, c->no_phase_eligible, 0);
	subsidy_row(tb, _("to rectify"), c->rectify, c->rectify_eligible, 0);
	subsidy_row(tb, _("failed"), c->failed, c->failed_eligible, 0);
	subsidy_row(tb, _("Total"), c->verdicts, c->eligible_total, c->subsidy_total);
}

static void text_subsidy(dl__out *o, const dl_cohort *c, int *section)
{
	static const text_col cols[] = {{N_("Phase"), INDUSTRY_WIDTH, false},
					{N_("Firms"), 6, true},
					{N_("Eligible (yuan)"), 20, true},
					{N_("Subsidies (yuan)"), 18, true}};
	text_section(o, section, _("Subsidies by phase"));
	if (!c->p) {
		dl__out_str(o, _("No subsidy policy given (--policy): no subsidy is counted.\n"));
		return;
	}
	text_table_titled(o, cols, 4, "", subsidy_rows, c, NULL);
	if (c->rectify)
		dl__out_str(o, _("An enterprise to rectify gets its subsidy only when it passes the re-inspection (see its acceptance opinion).\n"));
	if (c->enterprises > c->verdicts)
		dl__out_printf(o, _("%zu more enterprises have no acceptance verdict (no sheet before the retrofit or no evaluation after it, or the two cannot be compared).\n"),
			       c->enterprises - c->verdicts);
}

/* The stage of roster row r as of the cohort's date ("not started" before the diagnosis). */
static const char *stage_text(const dl_cohort *c, const dl__roster_row *r)
{
	int s = dl__cohort_row_stage(r, dl__cohort_as_of(c));
	return s < 0 ? _("not started") : stage_title((dl_stage)s);
}

/* Each milestone: its share of the base target due by its date, and how many reached its stage. */
static void milestone_rows(text_table *tb, const dl_cohort *c, const void *arg)
{
	const dl_targets *t = c->t;
	(void)arg;
	for (size_t m = 0; m < t->milestone_count; m++) {
		long expected = dl_targets_milestone_expected(t, m);
		size_t reached = dl_cohort_milestone_reached(c, m);
		char pct[32], due[32], got[32], r[32], status[64];
		snprintf(pct, sizeof(pct), "%ld%%", t->milestones[m].percent);
		snprintf(due, sizeof(due), "%ld", expected);
		snprintf(status, sizeof(status), "  %s", status_text(dl_cohort_milestone_status(c, m)));
		const char *cells[] = {t->milestones[m].row,
				       t->milestones[m].title,
				       stage_title(t->milestones[m].stage),
				       t->milestones[m].date,
				       pct,
				       due,
				       num(reached, got, sizeof(got)),
				       dl__cohort_rate(reached, expected, r, sizeof(r))};
		text_row(tb, cells, status);
	}
}

static void text_pipeline(dl__out *o, const dl_cohort *c, int *section)
{
	const dl_targets *t = c->t;
	text_section(o, section, _("Progress (diagnosis → signing → retrofit → application → acceptance → payout)"));
	dl__out_printf(o, _("As of %s, the enterprises that have reached each stage (or a later one):\n"),
		       dl__cohort_as_of(c)[0] ? dl__cohort_as_of(c) : "—");
	for (int s = 0; s < DL_STAGE_COUNT; s++)
		dl__out_printf(o, "%s%s %zu", s ? " → " : "", stage_title((dl_stage)s),
			       dl_cohort_stage_count(c, (dl_stage)s, NULL));
	dl__out_str(o, "\n");
	if (!c->p)
		dl__out_str(o, _("No subsidy policy given: acceptance counts as an evaluation after the retrofit.\n"));
	if (!t->milestone_count)
		return;
	dl__out_printf(o, _("\nMilestones (%s, overall target %ld enterprises)\n"), t->targets[t->milestone_base_index].title,
		       t->targets[t->milestone_base_index].total);
	static const text_col cols[] = {{N_("No."), 6, false}, {N_("Milestone"), 20, false}, {N_("Stage"), 6, false},
					{N_("Deadline"), 12, false}, {N_("Share"), 6, true},  {N_("Due"), 6, true},
					{N_("Met"), 6, true},   {N_("Rate"), 8, true}};
	text_table_titled(o, cols, 8, _("  Status"), milestone_rows, c, NULL);
}

/* Each enterprise: its stage, verdict, levels before and after, and its money. */
static void roster_rows(text_table *tb, const dl_cohort *c, const void *arg)
{
	char m1[48], m2[48], m3[48], verdict[64];
	(void)arg;
	for (size_t i = 0; i < c->roster_count; i++) {
		const dl__roster_row *r = &c->roster[i];
		size_t bi = r->has_before ? dl__cohort_level_index(c, r->before_level) : c->nlevels;
		size_t ai = r->has_after ? dl__cohort_level_index(c, r->after_level) : c->nlevels;
		const char *cells[] = {
		    r->code,
		    r->name,
		    stage_text(c, r),
		    dl__cohort_verdict_text_in(r, dl__messages_language(), verdict, sizeof(verdict)),
		    r->has_before ? level_name(c, bi) : _("no sheet"),
		    r->has_after ? level_name(c, ai) : _("no sheet"),
		    r->has_verdict ? dl__money_format_grouped(r->eligible, m1, sizeof(m1)) : "—",
		    r->has_verdict ? dl__money_format_grouped(r->subsidy, m2, sizeof(m2)) : "—",
		    dl__money_format_grouped(r->disbursed, m3, sizeof(m3))};
		text_row(tb, cells, "");
	}
}

static void text_roster(dl__out *o, const dl_cohort *c, int *section)
{
	static const text_col cols[] = {
	    {N_("Credit code"), 20, false}, {N_("Enterprise name"), 36, false},     {N_("Stage"), 8, false},
	    {N_("Verdict"), 26, false},         {N_("Before"), 10, false},       {N_("After"), 10, false},
	    {N_("Eligible (yuan)"), 16, true},    {N_("Approved (yuan)"), 16, true}, {N_("Paid (yuan)"), 16, true}};
	char a[32];
	text_section(o, section, _("Enterprise roster"));
	text_table_titled(o, cols, 9, "", roster_rows, c, NULL);
	dl_points sum;
	size_t n;
	dl__cohort_uplift(c, &sum, &n);
	dl__out_printf(o, _("Average uplift (%zu enterprises with sheets before and after): %s points of total score\n"), n,
		       dl__cohort_average_points(sum, n, a, sizeof(a)));
}

/* The subsidies approved, paid and pending, each with its share of the budget. */
static void funds_rows(text_table *tb, const dl_cohort *c, const void *arg)
{
	const dl_targets *t = c->t;
	char m[48], r[32];
	const char *labels[] = {_("subsidy approved"), _("paid"), _("pending")};
	int64_t v[] = {c->subsidy_total, c->disbursed_total, c->subsidy_total - c->disbursed_total};
	(void)arg;
	for (int k = 0; k < 3; k++) {
		const char *cells[] = {labels[k], dl__money_format_grouped(v[k], m, sizeof(m)),
				       dl__cohort_money_share(v[k], t->budget_fen, r, sizeof(r))};
		text_row(tb, cells, "");
	}
}

static void text_funds(dl__out *o, const dl_cohort *c, int *section)
{
	const dl_targets *t = c->t;
	char m[4][48];
	text_section(o, section, _("Subsidies approved and paid"));
	if (t->has_budget)
		dl__out_printf(o, _("Budget: %s yuan (%s)\n"),
			       dl__money_format_grouped(t->budget_fen, m[0], sizeof(m[0])),
			       t->budget_title);
	if (!c->p) {
		dl__out_str(o, _("No subsidy policy given (--policy): no subsidy is approved.\n"));
		return;
	}
	int64_t pending = c->subsidy_total - c->disbursed_total;
	if (!t->has_budget) {
		dl__out_printf(o, _("Approved %s yuan; paid %s yuan (%zu payment records); pending %s yuan.\n"),
			       dl__money_format_grouped(c->subsidy_total, m[1], sizeof(m[1])),
			       dl__money_format_grouped(c->disbursed_total, m[2], sizeof(m[2])),
			       t->payment_count, dl__money_format_grouped(pending, m[3], sizeof(m[3])));
		dl__out_str(o, _("The targets file gives no pilot budget: nothing is compared with one.\n"));
		return;
	}
	static const text_col cols[] = {
	    {"", 12, false}, {N_("Amount (yuan)"), 20, true}, {N_("Of budget"), 10, true}};
	const char *titles[] = {"", _(cols[1].title), _(cols[2].title)};
	text_table_write(o, cols, 3, titles, "", funds_rows, c, NULL);
	int64_t left = t->budget_fen - c->subsidy_total;
	if (left >= 0)
		dl__out_printf(o, _("Budget not yet approved: %s yuan. %zu payment records.\n"),
			       dl__money_format_grouped(left, m[0], sizeof(m[0])), t->payment_count);
	else
		dl__out_printf(o, _("Approved subsidies exceed the budget by %s yuan. %zu payment records.\n"),
			       dl__money_format_grouped(-left, m[0], sizeof(m[0])), t->payment_count);
}

/* The providers' figures (dl__cohort_providers) the provider table shows. */
typedef struct provider_list {
	const dl__provider_figures *f;
	size_t count;
} provider_list;

static void provider_rows(text_table *tb, const dl_cohort *c, const void *arg)
{
	const provider_list *pl = arg;
	char v[5][32], r[32], u[32], g[32];
	(void)c;
	for (size_t k = 0; k < pl->count; k++) {
		const dl__provider_figures *f = &pl->f[k];
		const char *cells[] = {
		    f->name,
		    num(f->enterprises, v[0], sizeof(v[0])),
		    num(f->verdicts, v[1], sizeof(v[1])),
		    num(f->passed, v[2], sizeof(v[2])),
		    num(f->rectify, v[3], sizeof(v[3])),
		    num(f->verdicts - f->passed - f->rectify, v[4], sizeof(v[4])),
		    dl__cohort_share(f->passed, f->verdicts, r, sizeof(r)),
		    dl__cohort_average_points(f->uplift_sum, f->uplifted, u, sizeof(u)),
		    dl__cohort_average_rating(f->rating_sum, f->rated, g, sizeof(g))};
		text_row(tb, cells, "");
	}
}

static void text_providers(dl__out *o, const dl_cohort *c, int *section)
{
	static const text_col cols[] = {{N_("Provider"), 50, false}, {N_("Firms"), 6, true},
					{N_("Acc."), 6, true},     {N_("Pass"), 6, true},
					{N_("Fix"), 6, true},     {N_("Fail"), 8, true},
					{N_("Pass %"), 8, true},   {N_("Uplift"), 10, true},
					{N_("Rating"), 12, true}};
	provider_list pl = {NULL, 0};
	dl__provider_figures *f = dl__cohort_providers(c, &pl.count);
	pl.f = f;
	text_section(o, section, _("Provider performance"));
	if (!pl.count)
		dl__out_str(o, _("No retrofit project names its provider.\n"));
	else
		text_table_titled(o, cols, 9, "", provider_rows, c, &pl);
	if (pl.count)
		dl__out_str(o, _("Pass %: enterprises passed among those with a verdict (to rectify is not "
				 "passed); uplift: of the total score, in points; rating: 非常满意 5, 满意 4, 基本满意 "
				 "3, 不满意 2, 非常不满意 1.\n"));
	dl__free(f);
}

static void text_weak(dl__out *o, const dl_cohort *c, int *section)
{
	size_t order[10], n = dl__cohort_weak_order(c, order, 10), width = 30;
	char a[32];
	text_section(o, section, _("Most common weak scenarios"));
	if (!n) {
		dl__out_str(o, _("No scenario is below the level an enterprise's next grade asks.\n"));
		return;
	}
	dl__out_str(o, _("Scenarios below the level an enterprise's next grade asks (its level plus one), by number of enterprises:\n"));
	for (size_t i = 0; i < n; i++) /* the titles' column, as wide as text_table_write makes one */
		if (dl__display_width(c->weak[order[i]].title) + 1 > width)
			width = dl__display_width(c->weak[order[i]].title) + 2;
	for (size_t i = 0; i < n; i++) {
		dl__out_padded(o, c->weak[order[i]].title, width);
		dl__out_right(o, num(c->weak[order[i]].enterprises, a, sizeof(a)), 6);
		dl__out_str(o, _(" enterprises\n"));
	}
}

int dl_cohort_write_text(const dl_cohort *c, dl_write_fn write, void *userdata)
{
	dl__out o;
	dl__out_init(&o, write, userdata);
	int section = 0;
	text_header(&o, c);
	text_measurable(&o, c, &section);
	text_not_measurable(&o, c, &section);
	text_industries(&o, c, &section);
	text_levels(&o, c, &section);
	text_share(&o, c, &section);
	text_subsidy(&o, c, &section);
	text_pipeline(&o, c, &section);
	text_roster(&o, c, &section);
	text_funds(&o, c, &section);
	text_providers(&o, c, &section);
	text_weak(&o, c, &section);
	return dl__out_finish(&o);
}

/* --- tables: CSV and the workbook --------------------------------------------------------------
 */

/*
 * The dashboard's tables, in the order the text shows them. Each is written by one walk
 * (write_table.h): one table per CSV, every table one after another for dl_cohort_write_csv (with
 * the "section" column, as before), a worksheet each in the workbook. A table that does not apply
 * (no share target, no policy, no milestones) is left out, or, asked for alone, is its header.
 */
static const char *const TABLES[][2] = {
    {"summary", "概况"},
    {"targets", "目标完成情况"},
    {"industries", "细分行业"},
    {"levels", "等级分布"},
    {"transitions", "等级变化"},
    {"share", "占比目标"},
    {"subsidy", "补助"},
    {"pipeline", "推进阶段"},
    {"milestones", "进度节点"},
    {"roster", "企业名册"},
    {"funds", "资金核定与拨付"},
    {"providers", "服务商绩效"},
    {"weak_scenarios", "薄弱场景"},
    {"uplift", "平均提升"},
};
#define TABLE_COUNT (sizeof(TABLES) / sizeof(TABLES[0]))

size_t dl_cohort_table_count(void)
{
	return TABLE_COUNT;
}

const char *dl_cohort_table_id(size_t i)
{
	return i < TABLE_COUNT ? TABLES[i][0] : NULL;
}

const char *dl_cohort_table_title(size_t i)
{
	return i < TABLE_COUNT ? TABLES[i][1] : NULL;
}

/* Whether the tables are for people: Chinese headers and words (是/否, 合计, 通过 …). */
static bool people(const dl__table *t)
{
	return t->format == DL__TABLE_CSV_EXCEL || t->format == DL__TABLE_XLSX;
}

/* A word of the library: the id for programs, its Chinese for people. */
static const char *word(const dl__table *t, const char *id, const char *chinese)
{
	return people(t) ? chinese : id;
}

/* A column: its key for programs, its title for people. */
typedef struct column {
	const char *key, *title;
} column;

/* Begin table id with its n columns; false: it is not written. */
static bool begin_columns(dl__table *t, const char *id, const column *cols, size_t n)
{
	const char *title = id;
	for (size_t i = 0; i < TABLE_COUNT; i++)
		if (strcmp(TABLES[i][0], id) == 0)
			title = TABLES[i][1];
	if (!dl__table_begin(t, id, title))
		return false;
	for (size_t i = 0; i < n; i++)
		dl__table_column(t, cols[i].key, cols[i].title);
	return true;
}

#define begin_table(t, id, cols) begin_columns(t, id, (cols), sizeof(cols) / sizeof((cols)[0]))

/* Whether a table that does not apply is still written (its header): when it was asked for alone.
 */
static bool asked_alone(const dl__table *t, const char *id)
{
	return t->format != DL__TABLE_XLSX && t->only && strcmp(t->only, id) == 0;
}

/* Text from the input (ids, titles, names): guarded against formulas (dl__out_csv_cell). */
static void csv_field(dl__table *t, const char *s, bool last)
{
	dl__table_cell(t, DL__TC_TEXT, s, last);
}

static void csv_cell(dl__table *t, dl__table_kind kind, const char *s, bool last)
{
	dl__table_cell(t, kind, s, last);
}

static void csv_num(dl__table *t, size_t n, bool last)
{
	char buf[32];
	csv_cell(t, DL__TC_INT, num(n, buf, sizeof(buf)), last);
}

/* A rate for programs: "17.4" without the % sign, "" when there is no goal. */
static const char *plain_rate(size_t achieved, long goal, char *buf, size_t size)
{
	dl__cohort_rate(achieved, goal, buf, size);
	char *pct = strchr(buf, '%');
	if (pct)
		*pct = '\0';
	else
		buf[0] = '\0';
	return buf;
}

/* part / whole of money for programs: "12.3" without the % sign; "null" when whole is 0. */
static const char *money_rate(int64_t part, int64_t whole, char *buf, size_t size)
{
	dl__cohort_money_share(part, whole, buf, size);
	char *pct = strchr(buf, '%');
	if (pct)
		*pct = '\0';
	else
		snprintf(buf, size, "null");
	return buf;
}

static void csv_target_row(dl__table *t, const dl_cohort *c, size_t i, size_t d, bool late)
{
	const dl__target *tg = &c->t->targets[i];
	char a[32], from[16], rate[32], basis[1200];
	size_t nd = c->t->deadline_count;
	csv_field(t, tg->id, false);
	csv_field(t, tg->row, false);
	csv_field(t, tg->group, false);
	csv_field(t, tg->title, false);
	csv_field(t, tg->unit, false);
	csv_cell(t, DL__TC_WORD, tg->measurable ? word(t, "yes", "是") : word(t, "no", "否"),
		 false);
	if (late) {
		csv_cell(t, DL__TC_WORD, word(t, "late", "期限后"), false);
		csv_cell(t, DL__TC_DATE, dl__cohort_period_start(c, nd, from, sizeof(from)), false);
		csv_field(t, "", false);
		csv_field(t, "", false);
		csv_num(t, dl_cohort_late(c, i), false);
		csv_field(t, "", false);
		csv_field(t, "", false);
	} else {
		long goal = goal_of(tg, d);
		csv_cell(t, DL__TC_WORD,
			 d == DL_NONE ? word(t, "total", "合计") : c->t->deadlines[d].id, false);
		csv_cell(t, DL__TC_DATE,
			 d == DL_NONE || d == 0 ? ""
						: dl__cohort_period_start(c, d, from, sizeof(from)),
			 false);
		csv_cell(t, DL__TC_DATE, d == DL_NONE ? last_date(c) : deadline_date(c, d), false);
		snprintf(a, sizeof(a), "%ld", goal);
		csv_cell(t, DL__TC_INT, a, false);
		if (tg->measurable) {
			size_t got = dl_cohort_achieved(c, i, d);
			csv_num(t, got, false);
			csv_cell(t, DL__TC_RATE, plain_rate(got, goal, rate, sizeof(rate)), false);
		} else {
			csv_field(t, "", false);
			csv_field(t, "", false);
		}
		csv_cell(t, DL__TC_WORD, dl_target_status_title(dl_cohort_status(c, i, d)), false);
	}
	if (tg->measurable)
		dl__cohort_rule_text(c, i, basis, sizeof(basis));
	csv_field(t, tg->measurable ? basis : tg->reason, true);
}

static void csv_summary(dl__table *t, const dl_cohort *c)
{
	char a[32];
	static const column cols[] = {{"key", "项目"}, {"value", "内容"}};
	if (!begin_table(t, "summary", cols))
		return;
	dl__table_columns_end(t);
	static const char *const keys[][2] = {{"targets", "目标文件"},
					      {"targets_version", "目标文件版本"},
					      {"policy", "政策"},
					      {"as_of", "统计截止日期"},
					      {"questionnaire", "问卷文件"},
					      {"questionnaire_sha256", "问卷SHA-256"}};
	const char *values[] = {c->t->id,
				c->t->version,
				c->p ? dl_policy_id(c->p) : "",
				dl__cohort_as_of(c),
				dl_questionnaire_path(c->q),
				dl_questionnaire_digest(c->q)};
	for (size_t k = 0; k < 6; k++) {
		csv_cell(t, DL__TC_WORD, word(t, keys[k][0], keys[k][1]), false);
		csv_cell(t, k == 3 ? DL__TC_DATE : DL__TC_TEXT, values[k], true);
	}
	static const char *const counts[][2] = {{"enterprises", "企业数"},
						{"with_before", "有改造前答卷的企业"},
						{"evaluated", "已评测的企业"},
						{"retrofitted", "改造完成的企业"}};
	size_t v[] = {c->enterprises, c->with_before, c->evaluated, c->retrofitted};
	for (size_t k = 0; k < 4; k++) {
		csv_cell(t, DL__TC_WORD, word(t, counts[k][0], counts[k][1]), false);
		csv_cell(t, DL__TC_INT, num(v[k], a, sizeof(a)), true);
	}
	dl__table_end(t);
}

static void csv_targets(dl__table *t, const dl_cohort *c)
{
	static const column cols[] = {
	    {"target", "目标编号"}, {"row", "序号"},	  {"group", "分组"},
	    {"title", "目标"},	    {"unit", "单位"},	  {"measurable", "可由答卷统计"},
	    {"period", "期限"},	    {"from", "起始日期"}, {"to", "截止日期"},
	    {"goal", "目标值"},	    {"achieved", "完成"}, {"rate", "完成率（%）"},
	    {"status", "状态"},	    {"basis", "统计口径"}};
	if (!begin_table(t, "targets", cols))
		return;
	dl__table_columns_end(t);
	for (size_t i = 0; i < c->t->target_count; i++) {
		for (size_t d = 0; d < c->t->deadline_count; d++)
			csv_target_row(t, c, i, d, false);
		csv_target_row(t, c, i, DL_NONE, false);
		if (c->t->targets[i].measurable)
			csv_target_row(t, c, i, DL_NONE, true);
	}
	dl__table_end(t);
}

/* The columns PREFIX_VALUE ... PREFIX_none of the levels, titled SIDE LEVELNAME for people. */
static void level_columns(dl__table *t, const dl_cohort *c, const char *prefix, const char *side)
{
	char key[64], title[256];
	for (size_t li = 0; li <= c->nlevels; li++) {
		if (li < c->nlevels)
			snprintf(key, sizeof(key), "%s_%d", prefix, c->level_values[li]);
		else
			snprintf(key, sizeof(key), "%s_none", prefix);
		snprintf(title, sizeof(title), "%s%s", side,
			 li < c->nlevels ? level_name(c, li) : "无答卷");
		dl__table_column(t, key, title);
	}
}

static void csv_industries(dl__table *t, const dl_cohort *c)
{
	size_t nl = c->nlevels;
	static const column cols[] = {{"industry", "细分行业"},
				      {"listed", "试点细分行业"},
				      {"enterprises", "企业数"},
				      {"large", "规上"},
				      {"small", "规下"},
				      {"evaluated", "已评测"},
				      {"retrofitted", "改造完成"},
				      {"reached_before", "改造前达标"},
				      {"reached_after", "改造后达标"}};
	if (!begin_table(t, "industries", cols))
		return;
	level_columns(t, c, "before", "改造前");
	level_columns(t, c, "after", "改造后");
	dl__table_columns_end(t);
	for (size_t k = 0; k < c->industry_count; k++) {
		const dl__cohort_industry *ind = &c->industries[k];
		csv_field(t, ind->name, false);
		csv_cell(t, DL__TC_WORD, ind->listed ? word(t, "yes", "是") : word(t, "no", "否"),
			 false);
		size_t v[] = {ind->enterprises,	 ind->large,	   ind->small,
			      ind->evaluated,	 ind->retrofitted, ind->reached_before,
			      ind->reached_after};
		for (size_t j = 0; j < 7; j++)
			csv_num(t, v[j], false);
		for (size_t li = 0; li <= nl; li++)
			csv_num(t, ind->before[li], false);
		for (size_t li = 0; li <= nl; li++)
			csv_num(t, ind->after[li], li == nl);
	}
	dl__table_end(t);
}

static void csv_levels(dl__table *t, const dl_cohort *c)
{
	size_t nl = c->nlevels;
	char a[32];
	static const column cols[] = {
	    {"level", "等级"}, {"name", "等级名称"}, {"before", "改造前"}, {"after", "改造后"}};
	if (begin_table(t, "levels", cols)) {
		dl__table_columns_end(t);
		for (size_t li = 0; li <= nl; li++) {
			if (li < nl) {
				snprintf(a, sizeof(a), "%d", c->level_values[li]);
				csv_cell(t, DL__TC_INT, a, false);
			} else {
				csv_cell(t, DL__TC_WORD, word(t, "none", "无答卷"), false);
			}
			csv_field(t, li < nl ? level_name(c, li) : "无答卷", false);
			csv_num(t, c->levels_before[li], false);
			csv_num(t, c->levels_after[li], true);
		}
		dl__table_end(t);
	}
	static const column moves[] = {{"before_level", "改造前等级"},
				       {"after_level", "改造后等级"},
				       {"enterprises", "企业数"}};
	if (!begin_table(t, "transitions", moves))
		return;
	dl__table_columns_end(t);
	for (size_t bi = 0; bi <= nl; bi++)
		for (size_t ai = 0; ai <= nl; ai++) {
			size_t n = c->matrix[bi * (nl + 1) + ai];
			if (!n)
				continue;
			snprintf(a, sizeof(a), "%d", bi < nl ? c->level_values[bi] : 0);
			csv_cell(t, DL__TC_INT, bi < nl ? a : word(t, "none", "无答卷"), false);
			snprintf(a, sizeof(a), "%d", ai < nl ? c->level_values[ai] : 0);
			csv_cell(t, DL__TC_INT, ai < nl ? a : word(t, "none", "无答卷"), false);
			csv_num(t, n, true);
		}
	dl__table_end(t);
}

static void csv_share(dl__table *t, const dl_cohort *c)
{
	const dl_targets *tg = c->t;
	char pct[32], rate[32];
	static const column cols[] = {{"industry", "细分行业"}, {"scale", "规模"},
				      {"level", "等级"},	{"enterprises", "企业数"},
				      {"reached", "达到等级"},	{"share", "占比（%）"},
				      {"target", "目标（%）"},	{"met", "是否达到"}};
	if ((!tg->has_share && !asked_alone(t, "share")) || !begin_table(t, "share", cols))
		return;
	dl__table_columns_end(t);
	dl__rate_format(tg->share_percent, pct, sizeof(pct));
	for (size_t k = 0; tg->has_share && k < c->industry_count; k++) {
		const dl__cohort_industry *ind = &c->industries[k];
		int met = dl__cohort_share_met(c, k);
		csv_field(t, ind->name, false);
		csv_field(t, tg->share_scale, false);
		csv_field(t, tg->share_level, false);
		csv_num(t, ind->share_base, false);
		csv_num(t, ind->share_reached, false);
		csv_cell(t, DL__TC_RATE,
			 plain_rate(ind->share_reached, (long)ind->share_base, rate, sizeof(rate)),
			 false);
		csv_cell(t, DL__TC_RATE, pct, false);
		csv_cell(t, DL__TC_WORD,
			 met < 0 ? ""
			 : met	 ? word(t, "yes", "是")
				 : word(t, "no", "否"),
			 true);
	}
	dl__table_end(t);
}

static void csv_money(dl__table *t, int64_t fen, bool last)
{
	char m[48];
	csv_cell(t, DL__TC_MONEY, dl__money_format(fen, m, sizeof(m)), last);
}

static void csv_subsidy_row(dl__table *t, const char *id, const char *title, size_t n,
			    int64_t eligible, int64_t subsidy)
{
	csv_field(t, id, false);
	csv_field(t, title, false);
	csv_num(t, n, false);
	csv_money(t, eligible, false);
	csv_money(t, subsidy, true);
}

static void csv_subsidy(dl__table *t, const dl_cohort *c)
{
	static const column cols[] = {{"phase", "阶段"},
				      {"title", "名称"},
				      {"enterprises", "企业数"},
				      {"eligible_investment", "可补助投资额（元）"},
				      {"subsidy", "补助金额（元）"}};
	if ((!c->p && !asked_alone(t, "subsidy")) || !begin_table(t, "subsidy", cols))
		return;
	dl__table_columns_end(t);
	for (size_t i = 0; c->p && i < dl_policy_phase_count(c->p); i++)
		csv_subsidy_row(t, dl_policy_phase_id(c->p, i), dl_policy_phase_title(c->p, i),
				c->phase_count[i], c->phase_eligible[i], c->phase_subsidy[i]);
	if (c->p && c->passed_no_phase)
		csv_subsidy_row(t, "passed-no-phase", "验收通过、不属任何阶段", c->passed_no_phase,
				c->no_phase_eligible, 0);
	if (c->p) {
		csv_subsidy_row(t, "rectify", "限期整改", c->rectify, c->rectify_eligible, 0);
		csv_subsidy_row(t, "failed", "验收不通过", c->failed, c->failed_eligible, 0);
		csv_subsidy_row(t, "total", "合计", c->verdicts, c->eligible_total,
				c->subsidy_total);
	}
	dl__table_end(t);
}

static void csv_pipeline(dl__table *t, const dl_cohort *c)
{
	const dl_targets *tg = c->t;
	char a[32], rate[32];
	static const column cols[] = {
	    {"stage", "阶段代码"}, {"title", "阶段"}, {"enterprises", "企业数"}};
	if (begin_table(t, "pipeline", cols)) {
		dl__table_columns_end(t);
		for (int st = 0; st < DL_STAGE_COUNT; st++) {
			csv_field(t, dl_stage_id((dl_stage)st), false);
			csv_field(t, dl_stage_title((dl_stage)st), false);
			csv_num(t, dl_cohort_stage_count(c, (dl_stage)st, NULL), true);
		}
		dl__table_end(t);
	}
	static const column milestones[] = {
	    {"row", "序号"},	   {"title", "节点"},	     {"stage", "阶段"},
	    {"date", "日期"},	   {"percent", "比例（%）"}, {"expected", "应达到"},
	    {"reached", "已达到"}, {"rate", "完成率（%）"},  {"status", "状态"}};
	if ((!tg->milestone_count && !asked_alone(t, "milestones")) ||
	    !begin_table(t, "milestones", milestones))
		return;
	dl__table_columns_end(t);
	for (size_t m = 0; m < tg->milestone_count; m++) {
		long expected = dl_targets_milestone_expected(tg, m);
		size_t reached = dl_cohort_milestone_reached(c, m);
		dl_stage st = tg->milestones[m].stage;
		csv_field(t, tg->milestones[m].row, false);
		csv_field(t, tg->milestones[m].title, false);
		csv_cell(t, DL__TC_WORD, word(t, dl_stage_id(st), dl_stage_title(st)), false);
		csv_cell(t, DL__TC_DATE, tg->milestones[m].date, false);
		snprintf(a, sizeof(a), "%ld", tg->milestones[m].percent);
		csv_cell(t, DL__TC_INT, a, false);
		snprintf(a, sizeof(a), "%ld", expected);
		csv_cell(t, DL__TC_INT, a, false);
		csv_num(t, reached, false);
		csv_cell(t, DL__TC_RATE, plain_rate(reached, expected, rate, sizeof(rate)), false);
		csv_cell(t, DL__TC_WORD, dl_target_status_title(dl_cohort_milestone_status(c, m)),
			 true);
	}
	dl__table_end(t);
}

static void csv_level(dl__table *t, bool has, int level)
{
	char a[32];
	snprintf(a, sizeof(a), "%d", level);
	csv_cell(t, DL__TC_INT, has ? a : "", false);
}

static void csv_roster(dl__table *t, const dl_cohort *c)
{
	static const column head[] = {
	    {"credit_code", "统一社会信用代码"}, {"name", "企业名称"}, {"stage", "当前阶段"}};
	static const column tail[] = {{"level_before", "改造前等级"},
				      {"level_after", "改造后等级"},
				      {"provider", "服务商"},
				      {"verdict", "验收结论"},
				      {"rectify_deadline", "整改期限"},
				      {"eligible_investment", "可补助投资额（元）"},
				      {"subsidy_approved", "核定补助（元）"},
				      {"disbursed", "已拨付（元）"}};
	if (!begin_table(t, "roster", head))
		return;
	char title[64];
	for (int k = 0; k < DL_STAGE_COUNT; k++) {
		snprintf(title, sizeof(title), "%s日期", dl_stage_title((dl_stage)k));
		dl__table_column(t, dl_stage_id((dl_stage)k), title);
	}
	for (size_t i = 0; i < sizeof(tail) / sizeof(tail[0]); i++)
		dl__table_column(t, tail[i].key, tail[i].title);
	dl__table_columns_end(t);
	for (size_t i = 0; i < c->roster_count; i++) {
		const dl__roster_row *r = &c->roster[i];
		int st = dl__cohort_row_stage(r, dl__cohort_as_of(c));
		csv_field(t, r->code, false);
		csv_field(t, r->name, false);
		csv_cell(t, DL__TC_WORD,
			 st < 0 ? word(t, "", "未进入")
				: word(t, dl_stage_id((dl_stage)st), dl_stage_title((dl_stage)st)),
			 false);
		for (int k = 0; k < DL_STAGE_COUNT; k++)
			csv_cell(t, DL__TC_DATE, r->stage_date[k], false);
		csv_level(t, r->has_before, r->before_level);
		csv_level(t, r->has_after, r->after_level);
		csv_field(t, r->provider, false);
		csv_cell(t, DL__TC_WORD,
			 !r->has_verdict ? ""
			 : people(t)	 ? dl_verdict_title(r->verdict)
					 : dl_verdict_name(r->verdict),
			 false);
		csv_cell(t, DL__TC_DATE, r->deadline, false);
		if (r->has_verdict) {
			csv_money(t, r->eligible, false);
			csv_money(t, r->subsidy, false);
		} else {
			csv_field(t, "", false);
			csv_field(t, "", false);
		}
		csv_money(t, r->disbursed, true);
	}
	dl__table_end(t);
}

static void csv_funds(dl__table *t, const dl_cohort *c)
{
	const dl_targets *tg = c->t;
	char r[32];
	static const column cols[] = {{"budget", "预算（元）"},
				      {"approved", "已核定补助（元）"},
				      {"disbursed", "已拨付（元）"},
				      {"pending", "待拨付（元）"},
				      {"payments", "拨付笔数"},
				      {"approved_rate", "核定占预算（%）"},
				      {"disbursed_rate", "拨付占预算（%）"}};
	if (!begin_table(t, "funds", cols))
		return;
	dl__table_columns_end(t);
	if (tg->has_budget)
		csv_money(t, tg->budget_fen, false);
	else
		csv_field(t, "", false);
	if (c->p) {
		csv_money(t, c->subsidy_total, false);
		csv_money(t, c->disbursed_total, false);
		csv_money(t, c->subsidy_total - c->disbursed_total, false);
	} else {
		for (int k = 0; k < 3; k++)
			csv_field(t, "", false);
	}
	csv_num(t, tg->payment_count, false);
	bool rated = c->p && tg->has_budget;
	csv_cell(t, DL__TC_RATE,
		 rated ? money_rate(c->subsidy_total, tg->budget_fen, r, sizeof(r)) : "", false);
	csv_cell(t, DL__TC_RATE,
		 rated ? money_rate(c->disbursed_total, tg->budget_fen, r, sizeof(r)) : "", true);
	dl__table_end(t);
}

static void csv_providers(dl__table *t, const dl_cohort *c)
{
	char rate[32], avg[32];
	static const column cols[] = {
	    {"provider", "服务商"},	     {"enterprises", "企业数"},
	    {"verdicts", "已验收"},	     {"passed", "通过"},
	    {"rectify", "限期整改"},	     {"failed", "不通过"},
	    {"pass_rate", "通过率（%）"},    {"average_uplift", "平均提升（分）"},
	    {"average_rating", "平均满意度"}};
	if (!begin_table(t, "providers", cols))
		return;
	dl__table_columns_end(t);
	size_t count = 0;
	dl__provider_figures *f = dl__cohort_providers(c, &count);
	for (size_t k = 0; k < count; k++) {
		csv_field(t, f[k].name, false);
		csv_num(t, f[k].enterprises, false);
		csv_num(t, f[k].verdicts, false);
		csv_num(t, f[k].passed, false);
		csv_num(t, f[k].rectify, false);
		csv_num(t, f[k].verdicts - f[k].passed - f[k].rectify, false);
		csv_cell(t, DL__TC_RATE,
			 plain_rate(f[k].passed, (long)f[k].verdicts, rate, sizeof(rate)), false);
		csv_cell(t, DL__TC_POINTS,
			 f[k].uplifted ? dl__cohort_average_points(f[k].uplift_sum, f[k].uplifted,
								   avg, sizeof(avg))
				       : "",
			 false);
		csv_cell(t, DL__TC_POINTS,
			 f[k].rated ? dl__cohort_average_rating(f[k].rating_sum, f[k].rated, avg,
								sizeof(avg))
				    : "",
			 true);
	}
	dl__free(f);
	dl__table_end(t);
}

static void csv_weak_uplift(dl__table *t, const dl_cohort *c)
{
	char avg[32];
	static const column cols[] = {{"title", "场景"}, {"enterprises", "企业数"}};
	if (begin_table(t, "weak_scenarios", cols)) {
		dl__table_columns_end(t);
		size_t order[10], n = dl__cohort_weak_order(c, order, 10);
		for (size_t i = 0; i < n; i++) {
			csv_field(t, c->weak[order[i]].title, false);
			csv_num(t, c->weak[order[i]].enterprises, true);
		}
		dl__table_end(t);
	}
	static const column uplift[] = {{"enterprises", "企业数"},
					{"average_total", "平均总分提升（分）"}};
	if (!begin_table(t, "uplift", uplift))
		return;
	dl__table_columns_end(t);
	dl_points sum;
	size_t with;
	dl__cohort_uplift(c, &sum, &with);
	csv_num(t, with, false);
	csv_cell(t, DL__TC_POINTS,
		 with ? dl__cohort_average_points(sum, with, avg, sizeof(avg)) : "", true);
	dl__table_end(t);
}

/* Every table, in order, through t. Returns what closing it returns. */
static int write_tables(dl__table *t, const dl_cohort *c)
{
	csv_summary(t, c);
	csv_targets(t, c);
	csv_industries(t, c);
	csv_levels(t, c);
	csv_share(t, c);
	csv_subsidy(t, c);
	csv_pipeline(t, c);
	csv_roster(t, c);
	csv_funds(t, c);
	csv_providers(t, c);
	csv_weak_uplift(t, c);
	return dl__table_close(t);
}

int dl_cohort_write_csv(const dl_cohort *c, dl_write_fn write, void *userdata)
{
	dl__table t;
	dl__table_open(&t, DL__TABLE_CSV_SECTIONS, NULL, write, userdata);
	return write_tables(&t, c);
}

int dl_cohort_write_table(const dl_cohort *c, const char *table, dl_cohort_csv flavour,
			  dl_write_fn write, void *userdata)
{
	size_t i = 0;
	while (i < TABLE_COUNT && (!table || strcmp(TABLES[i][0], table) != 0))
		i++;
	if (i == TABLE_COUNT || (flavour != DL_COHORT_CSV && flavour != DL_COHORT_CSV_EXCEL))
		return DL_EINVALID;
	dl__table t;
	dl__table_open(&t, flavour == DL_COHORT_CSV ? DL__TABLE_CSV : DL__TABLE_CSV_EXCEL, table,
		       write, userdata);
	return write_tables(&t, c);
}

int dl_cohort_write_xlsx(const dl_cohort *c, dl_write_fn write, void *userdata, dl_error *err)
{
	dl__table t;
	if (dl__table_open(&t, DL__TABLE_XLSX, NULL, write, userdata) < 0) {
		dl__table_abort(&t);
		return dl__error_message(err, t.rc, "%s", t.error);
	}
	int rc = write_tables(&t, c);
	return rc < 0 ? dl__error_message(err, rc, "%s", t.error[0] ? t.error : _("write failed"))
		      : 0;
}

/* --- JSON -------------------------------------------------------------------------------------- */

static void json_rate(dl__out *o, size_t achieved, long goal)
{
	char rate[32];
	plain_rate(achieved, goal, rate, sizeof(rate));
	dl__out_str(o, rate[0] ? rate : "null");
}

static void json_progress(dl__out *o, const dl_cohort *c, size_t i, size_t d)
{
	const dl__target *tg = &c->t->targets[i];
	char from[16];
	long goal = goal_of(tg, d);
	dl__out_str(o, "{");
	if (d != DL_NONE) {
		dl__out_json_field(o, "deadline", c->t->deadlines[d].id, true);
		dl__out_json_field(o, "title", c->t->deadlines[d].title, true);
		dl__out_json_field(o, "from", dl__cohort_period_start(c, d, from, sizeof(from)),
				   true);
	}
	dl__out_json_field(o, "to", d == DL_NONE ? last_date(c) : deadline_date(c, d), true);
	dl__out_printf(o, "\"goal\": %ld", goal);
	if (tg->measurable) {
		size_t got = dl_cohort_achieved(c, i, d);
		dl__out_printf(o, ", \"achieved\": %zu, \"rate\": ", got);
		json_rate(o, got, goal);
	}
	dl__out_str(o, ", ");
	dl__out_json_field(o, "status", dl_target_status_title(dl_cohort_status(c, i, d)), false);
	dl__out_str(o, "}");
}

static void json_targets(dl__out *o, const dl_cohort *c, bool measurable)
{
	char basis[1200];
	bool first = true;
	dl__out_str(o, "[");
	for (size_t i = 0; i < c->t->target_count; i++) {
		const dl__target *tg = &c->t->targets[i];
		if (tg->measurable != measurable)
			continue;
		dl__out_str(o, first ? "\n    {" : ",\n    {");
		first = false;
		dl__out_json_field(o, "id", tg->id, true);
		dl__out_json_field(o, "row", tg->row, true);
		dl__out_json_field(o, "group", tg->group, true);
		dl__out_json_field(o, "title", tg->title, true);
		dl__out_json_field(o, "short", tg->short_name, true);
		dl__out_json_field(o, "unit", tg->unit, true);
		if (measurable) {
			dl__cohort_rule_text(c, i, basis, sizeof(basis));
			dl__out_json_field(o, "basis", basis, true);
		} else {
			dl__out_json_field(o, "reason", tg->reason, true);
		}
		dl__out_json_key(o, "periods");
		dl__out_str(o, "[");
		for (size_t d = 0; d < c->t->deadline_count; d++) {
			dl__out_str(o, d ? ", " : "");
			json_progress(o, c, i, d);
		}
		dl__out_str(o, "], ");
		dl__out_json_key(o, "total");
		json_progress(o, c, i, DL_NONE);
		if (measurable)
			dl__out_printf(o, ", \"late\": %zu", dl_cohort_late(c, i));
		dl__out_str(o, "}");
	}
	dl__out_str(o, first ? "]" : "\n  ]");
}

static void json_level_counts(dl__out *o, const dl_cohort *c, const size_t *counts)
{
	dl__out_str(o, "{");
	for (size_t li = 0; li <= c->nlevels; li++) {
		dl__out_str(o, li ? ", " : "");
		if (li < c->nlevels)
			dl__out_printf(o, "\"%d\": %zu", c->level_values[li], counts[li]);
		else
			dl__out_printf(o, "\"none\": %zu", counts[li]);
	}
	dl__out_str(o, "}");
}

static void json_industries(dl__out *o, const dl_cohort *c)
{
	char rate[32];
	dl__out_str(o, "[");
	for (size_t k = 0; k < c->industry_count; k++) {
		const dl__cohort_industry *ind = &c->industries[k];
		dl__out_str(o, k ? ",\n    {" : "\n    {");
		dl__out_json_field(o, "industry", ind->name, true);
		dl__out_printf(o,
			       "\"listed\": %s, \"enterprises\": %zu, \"large\": %zu, \"small\": %zu, "
			       "\"evaluated\": %zu, \"retrofitted\": %zu, \"reached_before\": %zu, "
			       "\"reached_after\": %zu, \"before\": ",
			       ind->listed ? "true" : "false", ind->enterprises, ind->large, ind->small,
			       ind->evaluated, ind->retrofitted, ind->reached_before, ind->reached_after);
		json_level_counts(o, c, ind->before);
		dl__out_str(o, ", \"after\": ");
		json_level_counts(o, c, ind->after);
		if (c->t->has_share) {
			int met = dl__cohort_share_met(c, k);
			plain_rate(ind->share_reached, (long)ind->share_base, rate, sizeof(rate));
			dl__out_printf(o, ", \"share\": {\"enterprises\": %zu, \"reached\": %zu, \"share\": %s, "
					  "\"met\": %s}",
				       ind->share_base, ind->share_reached, rate[0] ? rate : "null",
				       met < 0 ? "null" : met ? "true" : "false");
		}
		dl__out_str(o, "}");
	}
	dl__out_str(o, c->industry_count ? "\n  ]" : "]");
}

static void json_levels(dl__out *o, const dl_cohort *c)
{
	size_t nl = c->nlevels;
	dl__out_str(o, "{\"levels\": [");
	for (size_t li = 0; li < nl; li++) {
		dl__out_printf(o, "%s{\"level\": %d, \"name\": ", li ? ", " : "", c->level_values[li]);
		dl__out_json_string(o, level_name(c, li));
		dl__out_str(o, "}");
	}
	dl__out_str(o, "],\n    \"before\": ");
	json_level_counts(o, c, c->levels_before);
	dl__out_str(o, ",\n    \"after\": ");
	json_level_counts(o, c, c->levels_after);
	dl__out_str(o, ",\n    \"transitions\": [");
	bool first = true;
	for (size_t bi = 0; bi <= nl; bi++)
		for (size_t ai = 0; ai <= nl; ai++) {
			size_t n = c->matrix[bi * (nl + 1) + ai];
			if (!n)
				continue;
			dl__out_str(o, first ? "" : ", ");
			first = false;
			dl__out_str(o, "{\"before\": ");
			if (bi < nl)
				dl__out_printf(o, "%d", c->level_values[bi]);
			else
				dl__out_str(o, "null");
			dl__out_str(o, ", \"after\": ");
			if (ai < nl)
				dl__out_printf(o, "%d", c->level_values[ai]);
			else
				dl__out_str(o, "null");
			dl__out_printf(o, ", \"enterprises\": %zu}", n);
		}
	dl__out_str(o, "]}");
}

static void json_money(dl__out *o, const char *key, int64_t fen, bool comma)
{
	char m[48];
	dl__out_json_field(o, key, dl__money_format(fen, m, sizeof(m)), comma);
}

static void json_subsidy(dl__out *o, const dl_cohort *c)
{
	if (!c->p) {
		dl__out_str(o, "null");
		return;
	}
	dl__out_str(o, "{\"phases\": [");
	for (size_t i = 0; i < dl_policy_phase_count(c->p); i++) {
		dl__out_str(o, i ? ", {" : "{");
		dl__out_json_field(o, "id", dl_policy_phase_id(c->p, i), true);
		dl__out_json_field(o, "title", dl_policy_phase_title(c->p, i), true);
		dl__out_printf(o, "\"enterprises\": %zu, ", c->phase_count[i]);
		json_money(o, "eligible_investment", c->phase_eligible[i], true);
		json_money(o, "subsidy", c->phase_subsidy[i], false);
		dl__out_str(o, "}");
	}
	dl__out_printf(o, "],\n    \"passed_no_phase\": {\"enterprises\": %zu, ", c->passed_no_phase);
	json_money(o, "eligible_investment", c->no_phase_eligible, false);
	dl__out_printf(o, "},\n    \"rectify\": {\"enterprises\": %zu, ", c->rectify);
	json_money(o, "eligible_investment", c->rectify_eligible, false);
	dl__out_printf(o, "},\n    \"failed\": {\"enterprises\": %zu, ", c->failed);
	json_money(o, "eligible_investment", c->failed_eligible, false);
	dl__out_printf(o, "},\n    \"total\": {\"enterprises\": %zu, ", c->verdicts);
	json_money(o, "eligible_investment", c->eligible_total, true);
	json_money(o, "subsidy", c->subsidy_total, false);
	dl__out_str(o, "}}");
}

static void json_pipeline(dl__out *o, const dl_cohort *c)
{
	const dl_targets *t = c->t;
	dl__out_str(o, "{\"stages\": [");
	for (int st = 0; st < DL_STAGE_COUNT; st++) {
		dl__out_str(o, st ? ", {" : "{");
		dl__out_json_field(o, "stage", dl_stage_id((dl_stage)st), true);
		dl__out_json_field(o, "title", dl_stage_title((dl_stage)st), true);
		dl__out_printf(o, "\"enterprises\": %zu}", dl_cohort_stage_count(c, (dl_stage)st, NULL));
	}
	dl__out_str(o, "],\n    \"milestones\": [");
	for (size_t m = 0; m < t->milestone_count; m++) {
		long expected = dl_targets_milestone_expected(t, m);
		size_t reached = dl_cohort_milestone_reached(c, m);
		dl__out_str(o, m ? ",\n      {" : "\n      {");
		dl__out_json_field(o, "row", t->milestones[m].row, true);
		dl__out_json_field(o, "title", t->milestones[m].title, true);
		dl__out_json_field(o, "stage", dl_stage_id(t->milestones[m].stage), true);
		dl__out_json_field(o, "date", t->milestones[m].date, true);
		dl__out_printf(o, "\"percent\": %ld, \"expected\": %ld, \"reached\": %zu, \"rate\": ",
			       t->milestones[m].percent, expected, reached);
		json_rate(o, reached, expected);
		dl__out_str(o, ", ");
		dl__out_json_field(o, "status",
				   dl_target_status_title(dl_cohort_milestone_status(c, m)), false);
		dl__out_str(o, "}");
	}
	dl__out_str(o, "]}");
}

static void json_roster(dl__out *o, const dl_cohort *c)
{
	dl__out_str(o, "[");
	for (size_t i = 0; i < c->roster_count; i++) {
		const dl__roster_row *r = &c->roster[i];
		int st = dl__cohort_row_stage(r, dl__cohort_as_of(c));
		dl__out_str(o, i ? ",\n    {" : "\n    {");
		dl__out_json_field(o, "credit_code", r->code, true);
		dl__out_json_field(o, "name", r->name, true);
		dl__out_json_field(o, "stage", st < 0 ? "" : dl_stage_id((dl_stage)st), true);
		dl__out_str(o, "\"dates\": {");
		for (int k = 0; k < DL_STAGE_COUNT; k++)
			dl__out_json_field(o, dl_stage_id((dl_stage)k), r->stage_date[k],
					   k + 1 < DL_STAGE_COUNT);
		dl__out_str(o, "}, \"level_before\": ");
		if (r->has_before)
			dl__out_printf(o, "%d", r->before_level);
		else
			dl__out_str(o, "null");
		dl__out_str(o, ", \"level_after\": ");
		if (r->has_after)
			dl__out_printf(o, "%d", r->after_level);
		else
			dl__out_str(o, "null");
		dl__out_str(o, ", ");
		dl__out_json_field(o, "provider", r->provider, true);
		dl__out_str(o, "\"verdict\": ");
		if (r->has_verdict)
			dl__out_json_string(o, dl_verdict_name(r->verdict));
		else
			dl__out_str(o, "null");
		dl__out_str(o, ", \"rectify_deadline\": ");
		if (r->deadline[0])
			dl__out_json_string(o, r->deadline);
		else
			dl__out_str(o, "null");
		dl__out_str(o, ", ");
		if (r->has_verdict) {
			json_money(o, "eligible_investment", r->eligible, true);
			json_money(o, "subsidy_approved", r->subsidy, true);
		} else {
			dl__out_str(o, "\"eligible_investment\": null, \"subsidy_approved\": null, ");
		}
		json_money(o, "disbursed", r->disbursed, false);
		dl__out_str(o, "}");
	}
	dl__out_str(o, "]");
}

static void json_budget(dl__out *o, const dl_cohort *c)
{
	const dl_targets *t = c->t;
	char r[32];
	if (!t->has_budget) {
		dl__out_str(o, "null");
		return;
	}
	dl__out_str(o, "{");
	json_money(o, "amount", t->budget_fen, true);
	dl__out_json_field(o, "title", t->budget_title, !!c->p);
	if (c->p) {
		json_money(o, "unapproved", t->budget_fen - c->subsidy_total, true);
		dl__out_printf(o, "\"approved_rate\": %s, ",
			       money_rate(c->subsidy_total, t->budget_fen, r, sizeof(r)));
		dl__out_printf(o, "\"disbursed_rate\": %s",
			       money_rate(c->disbursed_total, t->budget_fen, r, sizeof(r)));
	}
	dl__out_str(o, "}");
}

static void json_funds_providers(dl__out *o, const dl_cohort *c)
{
	char avg[32];
	dl_points sum;
	size_t n;
	dl__out_str(o, "{");
	if (c->p) {
		json_money(o, "approved", c->subsidy_total, true);
		json_money(o, "disbursed", c->disbursed_total, true);
		json_money(o, "pending", c->subsidy_total - c->disbursed_total, true);
	} else {
		dl__out_str(o, "\"approved\": null, \"disbursed\": null, \"pending\": null, ");
	}
	dl__out_printf(o, "\"payments\": %zu, \"budget\": ", c->t->payment_count);
	json_budget(o, c);
	dl__out_str(o, "},\n  \"providers\": [");
	size_t count = 0;
	dl__provider_figures *f = dl__cohort_providers(c, &count);
	for (size_t k = 0; k < count; k++) {
		dl__out_str(o, k ? ", {" : "{");
		dl__out_json_field(o, "name", f[k].name, true);
		dl__out_printf(o, "\"enterprises\": %zu, \"verdicts\": %zu, \"passed\": %zu, "
				  "\"rectify\": %zu, \"failed\": %zu, \"pass_rate\": ",
			       f[k].enterprises, f[k].verdicts, f[k].passed, f[k].rectify,
			       f[k].verdicts - f[k].passed - f[k].rectify);
		json_rate(o, f[k].passed, (long)f[k].verdicts);
		dl__out_printf(o, ", \"average_uplift\": %s, ",
			       f[k].uplifted ? dl__cohort_average_points(f[k].uplift_sum, f[k].uplifted,
									 avg, sizeof(avg))
					     : "null");
		dl__out_printf(o, "\"average_rating\": %s}",
			       f[k].rated ? dl__cohort_average_rating(f[k].rating_sum, f[k].rated, avg,
								      sizeof(avg))
					  : "null");
	}
	dl__free(f);
	size_t order[10], wn = dl__cohort_weak_order(c, order, 10);
	dl__out_str(o, "],\n  \"weak_scenarios\": [");
	for (size_t i = 0; i < wn; i++) {
		dl__out_str(o, i ? ", {" : "{");
		dl__out_json_field(o, "title", c->weak[order[i]].title, true);
		dl__out_printf(o, "\"enterprises\": %zu}", c->weak[order[i]].enterprises);
	}
	dl__cohort_uplift(c, &sum, &n);
	dl__out_printf(o, "],\n  \"uplift\": {\"enterprises\": %zu, \"average_total\": %s}", n,
		       n ? dl__cohort_average_points(sum, n, avg, sizeof(avg)) : "null");
}

int dl_cohort_write_json(const dl_cohort *c, dl_write_fn write, void *userdata)
{
	const dl_targets *t = c->t;
	char rule[200], pct[32];
	dl__out o;
	dl__out_init(&o, write, userdata);
	dl__out_str(&o, "{\n  \"targets\": {");
	dl__out_json_field(&o, "id", t->id, true);
	dl__out_json_field(&o, "version", t->version, true);
	dl__out_json_field(&o, "title", t->title, true);
	dl__out_json_field(&o, "issuer", t->issuer, true);
	dl__out_json_field(&o, "document", t->document, false);
	dl__out_str(&o, "},\n  \"policy\": ");
	if (c->p) {
		dl__out_str(&o, "{");
		dl__out_json_field(&o, "id", dl_policy_id(c->p), true);
		dl__out_json_field(&o, "version", dl_policy_version(c->p), true);
		dl__out_json_field(&o, "title", dl_policy_title(c->p), false);
		dl__out_str(&o, "}");
	} else {
		dl__out_str(&o, "null");
	}
	dl__out_str(&o, ",\n  \"questionnaire\": {");
	dl__out_json_field(&o, "id", dl_questionnaire_id(c->q), true);
	dl__out_json_field(&o, "version", dl_questionnaire_version(c->q), true);
	dl__out_json_field(&o, "file", dl_questionnaire_path(c->q), true);
	dl__out_json_field(&o, "sha256", dl_questionnaire_digest(c->q), false);
	dl__out_str(&o, "},\n  ");
	dl__out_json_field(&o, "as_of", dl__cohort_as_of(c), false);
	dl__out_printf(&o, ",\n  \"as_of_given\": %s,\n  \"cohort\": {\"enterprises\": %zu, "
			   "\"with_before\": %zu, \"evaluated\": %zu, \"retrofitted\": %zu, ",
		       c->as_of_set ? "true" : "false", c->enterprises, c->with_before, c->evaluated,
		       c->retrofitted);
	dl__out_json_field(&o, "retrofitted_level", t->retrofitted_level, true);
	dl__out_json_field(&o, "retrofitted_rule",
			   dl__cohort_retrofitted_text(c, rule, sizeof(rule)), false);
	dl__out_str(&o, "},\n  \"measurable\": ");
	json_targets(&o, c, true);
	dl__out_str(&o, ",\n  \"not_measurable\": ");
	json_targets(&o, c, false);
	dl__out_str(&o, ",\n  \"industries\": ");
	json_industries(&o, c);
	dl__out_str(&o, ",\n  \"share_target\": ");
	if (t->has_share) {
		dl__out_str(&o, "{");
		dl__out_json_field(&o, "scale", t->share_scale, true);
		dl__out_json_field(&o, "level", t->share_level, true);
		dl__out_printf(&o, "\"percent\": %s, ", dl__rate_format(t->share_percent, pct, sizeof(pct)));
		dl__out_json_field(&o, "text", t->share_text, false);
		dl__out_str(&o, "}");
	} else {
		dl__out_str(&o, "null");
	}
	dl__out_str(&o, ",\n  \"levels\": ");
	json_levels(&o, c);
	dl__out_str(&o, ",\n  \"subsidy\": ");
	json_subsidy(&o, c);
	dl__out_str(&o, ",\n  \"pipeline\": ");
	json_pipeline(&o, c);
	dl__out_str(&o, ",\n  \"roster\": ");
	json_roster(&o, c);
	dl__out_str(&o, ",\n  \"funds\": ");
	json_funds_providers(&o, c);
	dl__out_str(&o, "\n}\n");
	return dl__out_finish(&o);
}
