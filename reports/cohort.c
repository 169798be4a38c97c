/*
 * cohort.c: the pilot dashboard as a PDF report (dl_cohort_write_pdf, digilevel/cohort.h).
 *
 * It shows what the text dashboard shows, in the order a district bureau reports to the city: a
 * cover, the cohort in figures, the targets measured from the sheets period by period (a table, the
 * counting rule of each, and a progress bar per target), the targets that cannot be measured and
 * why, the 细分行业 (a table and bars of the enterprises at the retrofitted level before and after),
 * the levels before and after (per 细分行业, as bars, and the transitions), the share target per
 * 细分行业, and the subsidies by phase. Built on the layout layer (layout.h): one document, laid out
 * once, drawn as PDF or dumped as text for the golden tests.
 */
#include "cohort_model.h"
#include "cohort_pipeline.h"
#include "layout.h"
#include "money.h"
#include "report_common.h"

#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct build {
	const dl_cohort *c;
	dl__doc *doc;
	dl_error err;
	int rc;
	int section; /* sections numbered so far */
	int figure;  /* figures numbered so far */
} build;

/* Each step is skipped once one has failed, so a builder reads as a plain list of steps. */
#define STEP(b, call)                          \
	do {                                   \
		if ((b)->rc == 0)              \
			(b)->rc = (call);      \
	} while (0)

static void heading(build *b, int level, const char *text)
{
	STEP(b, dl__doc_add_heading(b->doc, level, text, &b->err));
}

/* A level-1 heading numbered 一、二、… 十三、… in order. */
static void section(build *b, const char *title)
{
	char text[300], numeral[32];
	snprintf(text, sizeof(text), "%s、%s",
		 dl__cohort_numeral(++b->section, numeral, sizeof(numeral)), title);
	heading(b, 1, text);
}

static void para(build *b, const char *text, unsigned flags)
{
	STEP(b, dl__doc_add_paragraph(b->doc, text, flags, &b->err));
}

static void row(build *b, const char *const *cells)
{
	STEP(b, dl__doc_add_row(b->doc, cells, &b->err));
}

static void table(build *b, const dl__column *cols, size_t n)
{
	STEP(b, dl__doc_add_table(b->doc, cols, n, 0, &b->err));
}

static const char *num(size_t n, char *buf, size_t size)
{
	snprintf(buf, size, "%zu", n);
	return buf;
}

/* A date as printed in every document: "2025年6月24日" ("" stays ""). */
static const char *cn_date(const char *iso, char *buf, size_t size)
{
	return dl__rp_date(iso, buf, size);
}

static const char *last_date(const dl_cohort *c, char *buf, size_t size)
{
	return cn_date(c->t->deadline_count ? c->t->deadlines[c->t->deadline_count - 1].date : "", buf,
		       size);
}

/*
 * Runs a step of the shared apparatus (report_common.h) on this document: the builder there works on
 * a dl__rp, lent the document for the call.
 */
static void with_rp(build *b, void (*step)(dl__rp *, const dl_cohort *))
{
	dl__rp rp;

	if (b->rc < 0)
		return;
	memset(&rp, 0, sizeof(rp));
	rp.doc = b->doc;
	step(&rp, b->c);
	if (rp.rc < 0) {
		b->rc = rp.rc;
		b->err = rp.err;
	}
	rp.doc = NULL; /* lent, not owned */
	dl__rp_free(&rp);
}

/* The report number: "TJ-<targets id>-<统计截至 YYYYMMDD>" (docs/reports.md, "Report numbers"). */
static void report_number(const dl_cohort *c, char *buf, size_t size)
{
	char id[128];
	size_t i;

	for (i = 0; c->t->id[i] != '\0' && i + 1 < sizeof(id); i++)
		id[i] = (char)(c->t->id[i] >= 'a' && c->t->id[i] <= 'z' ? c->t->id[i] - 'a' + 'A'
									  : c->t->id[i]);
	id[i] = '\0';
	dl__rp_report_number("TJ", id, dl__cohort_as_of(c), 0, buf, size);
}

static void statement_step(dl__rp *rp, const dl_cohort *c)
{
	char c0[600], as_of[48];
	const char *clauses[4];

	snprintf(c0, sizeof(c0),
		 "本报告依据《%s》（%s）和各试点企业的评测表统计，统计截至%s。", c->t->title,
		 c->t->document, cn_date(dl__cohort_as_of(c), as_of, sizeof(as_of)));
	clauses[0] = c0;
	clauses[1] = "目标中不是答卷能记录的事实（由主管部门遴选、认定或总结）单列，不统计其完成情况。";
	clauses[2] = c->p != NULL ? "验收结论和补助金额按补助政策的规则计算，以主管部门审核拨付为准。"
				  : "未指定补助政策：本报告不判验收、不计补助。";
	clauses[3] = "本报告未经编制单位盖章、审核人签字无效。";
	dl__rp_statement(rp, clauses, 4);
}

static void signoff_step(dl__rp *rp, const dl_cohort *c)
{
	dl__rp_approval_block(rp, NULL, "（一）编制、审核与批准");
	dl__rp_bureau_block(rp, NULL, "（二）主管部门审核", c->t->issuer);
}

static void target_title(const dl__target *tg, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s（%s）", tg->group, tg->group[0] ? "：" : "", tg->title, tg->unit);
}

/* The paragraph that says what a period is, with every period's dates. */
static void periods_text(build *b)
{
	const dl_cohort *c = b->c;
	/* every deadline's title and dates, whole */
	char text[DL__TARGETS_DEADLINES_MAX * (DL__TARGETS_SHORT_TEXT_BYTES + 96) + 400], from[16];
	size_t len = 0;
	len += (size_t)snprintf(text, sizeof(text), "%s", "各期目标是该期内应完成的数量，各期之和为总目标（");
	for (size_t d = 0; d < c->t->deadline_count && len < sizeof(text); d++) {
		char d1[48], d2[48];
		if (d == 0)
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s：截至%s", c->t->deadlines[d].title,
						cn_date(c->t->deadlines[d].date, d2, sizeof(d2)));
		else
			len += (size_t)snprintf(text + len, sizeof(text) - len, "；%s：%s至%s",
						c->t->deadlines[d].title,
						cn_date(dl__cohort_period_start(c, d, from, sizeof(from)), d1, sizeof(d1)),
						cn_date(c->t->deadlines[d].date, d2, sizeof(d2)));
	}
	if (len < sizeof(text))
		snprintf(text + len, sizeof(text) - len, "%s",
			 "）。每家企业按其改造后评测的日期计入所在的一期；评测日期在最后期限以后的，单列为“期限后完成”，"
			 "不计入各期。“统计截至”决定期限是否已过：期限未过而未达目标为“进行中”，期限已过为“未完成”。");
	para(b, text, DL__PARA_INDENT);
}

/* --- cover and overview ------------------------------------------------------------------------ */

static void cover(build *b)
{
	const dl_cohort *c = b->c;
	char ents[96], done[96], rule[200], policy[300], title[300], number[160], as_of_cn[48];
	const char *as_of = dl__cohort_as_of(c);
	cn_date(as_of, as_of_cn, sizeof(as_of_cn));
	report_number(c, number, sizeof(number));
	snprintf(ents, sizeof(ents), "%zu 家（有改造后评测 %zu 家）", c->enterprises, c->evaluated);
	snprintf(done, sizeof(done), "%zu 家", c->retrofitted);
	if (c->p)
		snprintf(policy, sizeof(policy), "%s（版本 %s）", dl_policy_title(c->p), dl_policy_version(c->p));
	else
		snprintf(policy, sizeof(policy), "未指定（不判验收、不计补助）");
	dl__kv lines[7];
	size_t n = 0;
	lines[n++] = (dl__kv){"报告编号：", number};
	lines[n++] = (dl__kv){"发布：", c->t->issuer};
	lines[n++] = (dl__kv){"目标依据：", c->t->document};
	lines[n++] = (dl__kv){"补助政策：", policy};
	lines[n++] = (dl__kv){"统计截至：", as_of[0] ? as_of_cn : "—"};
	lines[n++] = (dl__kv){"试点企业：", ents};
	lines[n++] = (dl__kv){"改造完成：", done};
	/* the national programme's name, "…中小企业数字化转型城市试点…", reads best broken before 城市试点 */
	const char *at = strstr(c->t->title, "城市试点");
	if (at && at - c->t->title >= 12)
		snprintf(title, sizeof(title), "%.*s\n%s", (int)(at - c->t->title), c->t->title, at);
	else
		snprintf(title, sizeof(title), "%s", c->t->title);
	dl__cover cv = {title, "完成情况报告", lines, n, as_of[0] ? as_of_cn : NULL};
	STEP(b, dl__doc_add_cover(b->doc, &cv, &b->err));
	with_rp(b, statement_step);

	section(b, "总体情况");
	char before[32], eval[32], dates[300];
	dl__kv kv[10];
	n = 0;
	kv[n++] = (dl__kv){"目标：", c->t->title};
	kv[n++] = (dl__kv){"依据：", c->t->document};
	kv[n++] = (dl__kv){"评测问卷：", dl_questionnaire_title(c->q)};
	kv[n++] = (dl__kv){"验收与补助：", c->p ? dl_policy_title(c->p) : "未指定政策，不判验收、不计补助"};
	snprintf(dates, sizeof(dates), "%s%s", as_of[0] ? as_of_cn : "—",
		 c->as_of_set ? "" : as_of[0] ? "（答卷中最晚的日期）" : "（没有答卷）");
	kv[n++] = (dl__kv){"统计截至：", dates};
	kv[n++] = (dl__kv){"试点企业：", ents};
	kv[n++] = (dl__kv){"有改造前答卷：", num(c->with_before, before, sizeof(before))};
	kv[n++] = (dl__kv){"有改造后评测：", num(c->evaluated, eval, sizeof(eval))};
	kv[n++] = (dl__kv){"改造完成：", done};
	kv[n++] = (dl__kv){"改造完成的口径：", dl__cohort_retrofitted_text(c, rule, sizeof(rule))};
	STEP(b, dl__doc_add_key_values(b->doc, kv, n, 0, &b->err));
	periods_text(b);
}

/* --- measurable targets ------------------------------------------------------------------------ */

static void period_label(const dl_cohort *c, size_t d, char *buf, size_t size)
{
	snprintf(buf, size, "%s", d == DL_NONE ? "总目标" : c->t->deadlines[d].title);
}

static void measurable(build *b)
{
	const dl_cohort *c = b->c;
	const dl_targets *t = c->t;
	static const dl__column cols[7] = {
		{"序号", 0.5, DL__ALIGN_CENTER}, {"指标", 3.6, DL__ALIGN_LEFT},
		{"期限", 1.2, DL__ALIGN_LEFT},   {"目标", 0.6, DL__ALIGN_RIGHT},
		{"完成", 0.6, DL__ALIGN_RIGHT},  {"完成率", 0.85, DL__ALIGN_RIGHT},
		{"状态", 0.8, DL__ALIGN_CENTER}};
	char title[700], label[DL__TARGETS_SHORT_TEXT_BYTES + 1], goal[32], got[32], rate[32], rule[1200],
		late[200];
	dl__bar bars[DL__BARS_MAX];
	char bar_labels[DL__BARS_MAX][160];
	size_t nbars = 0, measured = 0;

	section(b, "可由答卷统计的目标");
	table(b, cols, 7);
	for (size_t i = 0; i < t->target_count; i++) {
		const dl__target *tg = &t->targets[i];
		if (!tg->measurable)
			continue;
		measured++;
		target_title(tg, title, sizeof(title));
		/* one row per target, a line per period in each cell: a target never splits across pages */
		char col[5][(DL__TARGETS_DEADLINES_MAX + 1) * (DL__TARGETS_SHORT_TEXT_BYTES + 2)];
		size_t used[5] = {0};
		for (size_t k = 0; k <= t->deadline_count; k++) {
			size_t d = k < t->deadline_count ? k : DL_NONE;
			long g = d == DL_NONE ? tg->total : tg->by_deadline[d];
			size_t a = dl_cohort_achieved(c, i, d);
			const char *parts[5];
			period_label(c, d, label, sizeof(label));
			snprintf(goal, sizeof(goal), "%ld", g);
			parts[0] = label;
			parts[1] = goal;
			parts[2] = num(a, got, sizeof(got));
			parts[3] = dl__cohort_rate(a, g, rate, sizeof(rate));
			parts[4] = dl_target_status_title(dl_cohort_status(c, i, d));
			for (size_t j = 0; j < 5; j++) {
				int w = snprintf(col[j] + used[j], sizeof(col[j]) - used[j], "%s%s", k ? "\n" : "",
						 parts[j]);
				if (w > 0 && (size_t)w < sizeof(col[j]) - used[j])
					used[j] += (size_t)w;
			}
		}
		char seq[32];
		const char *cells[7] = {num(measured, seq, sizeof(seq)), title, col[0], col[1], col[2], col[3],
					col[4]};
		row(b, cells);
		if (tg->total > 0 && nbars < DL__BARS_MAX) {
			size_t a = dl_cohort_achieved(c, i, DL_NONE);
			unsigned long long permille =
				((unsigned long long)a * 1000u + (unsigned long long)tg->total / 2) /
				(unsigned long long)tg->total;
			snprintf(bar_labels[nbars], sizeof(bar_labels[nbars]), "%zu. %s（%zu/%ld）", measured,
				 tg->short_name, a, tg->total);
			bars[nbars].label = bar_labels[nbars];
			bars[nbars].value[0] = (double)permille / 10.0; /* the rate as printed: 11.4 */
			bars[nbars].value[1] = 0.0;
			bars[nbars].max = 100.0;
			nbars++;
		}
	}
	if (measured == 0)
		para(b, "目标文件中没有可由答卷统计的目标。", 0);
	heading(b, 2, "统计口径");
	size_t k = 0;
	for (size_t i = 0; i < t->target_count; i++) {
		const dl__target *tg = &t->targets[i];
		char last[48];
		if (!tg->measurable)
			continue;
		dl__cohort_rule_text(c, i, rule, sizeof(rule));
		size_t n = dl_cohort_late(c, i);
		if (n) {
			snprintf(late, sizeof(late), "另有 %zu %s评测日期在%s以后，不计入各期。", n, tg->unit,
				 last_date(c, last, sizeof(last)));
			size_t len = strlen(rule);
			snprintf(rule + len, sizeof(rule) - len, "。%s", late);
		}
		snprintf(label, sizeof(label), "%zu.", ++k);
		STEP(b, dl__doc_add_item(b->doc, label, rule, &b->err));
	}
	if (nbars) {
		char caption[160];
		snprintf(caption, sizeof(caption), "图%d 各目标总体完成率（括号内为完成数 / 总目标）", ++b->figure);
		dl__bars chart = {caption, bars, nbars, 1, {"完成率", NULL}, "100%", DL__BARS_PERCENT};
		STEP(b, dl__doc_add_bars(b->doc, &chart, &b->err));
	}
}

/* The table of the targets that cannot be measured has a column per deadline. */
_Static_assert(DL__TARGETS_DEADLINES_MAX + 4 <= DL__COLS_MAX, "a column for every deadline");

/* --- targets that cannot be measured ----------------------------------------------------------- */

static void not_measurable(build *b)
{
	const dl_cohort *c = b->c;
	const dl_targets *t = c->t;
	size_t nd = t->deadline_count; /* every one: their goals add up to 总目标 */
	assert(nd <= DL__TARGETS_DEADLINES_MAX);
	dl__column cols[DL__TARGETS_DEADLINES_MAX + 4];
	char title[700], goals[DL__TARGETS_DEADLINES_MAX + 1][32], seqbuf[32];
	size_t n = 0, count = 0, seq = 0;
	for (size_t i = 0; i < t->target_count; i++)
		count += !t->targets[i].measurable;
	if (!count)
		return;
	section(b, "无法由答卷统计的目标");
	para(b, "以下目标不是答卷能记录的事实（由主管部门遴选、认定或总结），本报告不统计其完成情况，须另行统计。",
	     DL__PARA_INDENT);
	cols[n++] = (dl__column){"序号", 0.5, DL__ALIGN_CENTER};
	cols[n++] = (dl__column){"指标", 2.4, DL__ALIGN_LEFT};
	for (size_t d = 0; d < nd; d++)
		cols[n++] = (dl__column){t->deadlines[d].title, 1.25, DL__ALIGN_RIGHT};
	cols[n++] = (dl__column){"总目标", 0.7, DL__ALIGN_RIGHT};
	cols[n++] = (dl__column){"原因", 2.8, DL__ALIGN_LEFT};
	table(b, cols, n);
	for (size_t i = 0; i < t->target_count; i++) {
		const dl__target *tg = &t->targets[i];
		const char *cells[DL__TARGETS_DEADLINES_MAX + 4];
		size_t k = 0;
		if (tg->measurable)
			continue;
		target_title(tg, title, sizeof(title));
		cells[k++] = num(++seq, seqbuf, sizeof(seqbuf));
		cells[k++] = title;
		for (size_t d = 0; d < nd; d++) {
			snprintf(goals[d], sizeof(goals[d]), "%ld", tg->by_deadline[d]);
			cells[k++] = goals[d];
		}
		snprintf(goals[nd], sizeof(goals[nd]), "%ld", tg->total);
		cells[k++] = goals[nd];
		cells[k++] = tg->reason;
		row(b, cells);
	}
}

/* --- industries and levels --------------------------------------------------------------------- */

static void industries(build *b)
{
	const dl_cohort *c = b->c;
	const char *lv = c->t->retrofitted_level;
	char h5[64], h6[64], v[7][32];
	snprintf(h5, sizeof(h5), "改造前\n%s及以上", lv);
	snprintf(h6, sizeof(h6), "改造后\n%s及以上", lv);
	dl__column cols[8] = {{"细分行业", 2.2, DL__ALIGN_LEFT}, {"企业", 0.6, DL__ALIGN_RIGHT},
			      {"规上", 0.6, DL__ALIGN_RIGHT},     {"规下", 0.6, DL__ALIGN_RIGHT},
			      {"已评测", 0.7, DL__ALIGN_RIGHT},   {"改造完成", 0.8, DL__ALIGN_RIGHT},
			      {h5, 1.0, DL__ALIGN_RIGHT},         {h6, 1.0, DL__ALIGN_RIGHT}};
	section(b, "各细分行业");
	table(b, cols, 8);
	size_t tot[7] = {0};
	dl__bar bars[DL__BARS_MAX];
	size_t nbars = 0;
	for (size_t k = 0; k < c->industry_count; k++) {
		const dl__cohort_industry *ind = &c->industries[k];
		size_t x[7] = {ind->enterprises, ind->large,          ind->small,       ind->evaluated,
			       ind->retrofitted, ind->reached_before, ind->reached_after};
		char name[300];
		snprintf(name, sizeof(name), "%s%s", ind->name, ind->listed ? "" : "\n（不在试点细分行业内）");
		const char *cells[8] = {name};
		for (size_t j = 0; j < 7; j++) {
			cells[j + 1] = num(x[j], v[j], sizeof(v[j]));
			tot[j] += x[j];
		}
		row(b, cells);
		if (ind->enterprises && nbars < DL__BARS_MAX) {
			bars[nbars].label = ind->name;
			bars[nbars].value[0] = (double)ind->reached_before;
			bars[nbars].value[1] = (double)ind->reached_after;
			bars[nbars].max = (double)ind->enterprises;
			nbars++;
		}
	}
	const char *cells[8] = {"合计"};
	for (size_t j = 0; j < 7; j++)
		cells[j + 1] = num(tot[j], v[j], sizeof(v[j]));
	row(b, cells);
	if (nbars) {
		char caption[160];
		snprintf(caption, sizeof(caption),
			 "图%d 各细分行业达到%s及以上的企业数（改造前 / 改造后，满格为该行业企业数）", ++b->figure, lv);
		dl__bars chart = {caption, bars, nbars, 2, {"改造前", "改造后"}, "企业数", DL__BARS_COUNT};
		STEP(b, dl__doc_add_bars(b->doc, &chart, &b->err));
	}
}

static void levels(build *b)
{
	const dl_cohort *c = b->c;
	size_t nl = c->nlevels;
	if (nl + 2 > DL__COLS_MAX || nl + 1 > DL__BARS_MAX)
		return; /* a questionnaire with more levels than a page can show */
	dl__column cols[DL__COLS_MAX];
	char cells_text[DL__COLS_MAX][48];
	const char *cells[DL__COLS_MAX];
	size_t n = 0;

	section(b, "等级分布");
	para(b, "每格为“改造前 → 改造后”的企业数。“无答卷”：改造前没有诊断或自评答卷，或改造后没有评测答卷。",
	     DL__PARA_SMALL);
	cols[n++] = (dl__column){"细分行业", 2.0, DL__ALIGN_LEFT};
	for (size_t li = 0; li < nl; li++)
		cols[n++] = (dl__column){dl_questionnaire_level_name_at(c->q, li), 1.0, DL__ALIGN_CENTER};
	cols[n++] = (dl__column){"无答卷", 1.0, DL__ALIGN_CENTER};
	table(b, cols, n);
	for (size_t k = 0; k <= c->industry_count; k++) {
		const size_t *bf = k < c->industry_count ? c->industries[k].before : c->levels_before;
		const size_t *af = k < c->industry_count ? c->industries[k].after : c->levels_after;
		cells[0] = k < c->industry_count ? c->industries[k].name : "合计";
		for (size_t li = 0; li <= nl; li++) {
			snprintf(cells_text[li], sizeof(cells_text[li]), "%zu → %zu", bf[li], af[li]);
			cells[li + 1] = cells_text[li];
		}
		row(b, cells);
	}

	dl__bar bars[DL__BARS_MAX];
	for (size_t li = 0; li <= nl; li++) {
		bars[li].label = li < nl ? dl_questionnaire_level_name_at(c->q, li) : "无答卷";
		bars[li].value[0] = (double)c->levels_before[li];
		bars[li].value[1] = (double)c->levels_after[li];
		bars[li].max = (double)c->enterprises;
	}
	char caption[160];
	dl__bars chart = {caption, bars, nl + 1, 2, {"改造前", "改造后"}, "企业总数", DL__BARS_COUNT};
	if (c->enterprises) { /* no chart of nothing */
		snprintf(caption, sizeof(caption), "图%d 全部试点企业的等级分布（改造前 / 改造后，满格为企业总数）",
			 ++b->figure);
		STEP(b, dl__doc_add_bars(b->doc, &chart, &b->err));
	}

	heading(b, 2, "等级变化（行为改造前，列为改造后）");
	n = 0;
	cols[n++] = (dl__column){"改造前 \\ 改造后", 2.0, DL__ALIGN_LEFT};
	for (size_t li = 0; li < nl; li++)
		cols[n++] = (dl__column){dl_questionnaire_level_name_at(c->q, li), 1.0, DL__ALIGN_RIGHT};
	cols[n++] = (dl__column){"无答卷", 1.0, DL__ALIGN_RIGHT};
	table(b, cols, n);
	for (size_t bi = 0; bi <= nl; bi++) {
		cells[0] = bi < nl ? dl_questionnaire_level_name_at(c->q, bi) : "无答卷";
		for (size_t ai = 0; ai <= nl; ai++) {
			num(c->matrix[bi * (nl + 1) + ai], cells_text[ai], sizeof(cells_text[ai]));
			cells[ai + 1] = cells_text[ai];
		}
		row(b, cells);
	}
}

static void share(build *b)
{
	const dl_cohort *c = b->c;
	const dl_targets *t = c->t;
	char heading_text[200], pct[32], base[32], reached[32], rate[32];
	if (!t->has_share)
		return;
	dl__rate_format(t->share_percent, pct, sizeof(pct));
	snprintf(heading_text, sizeof(heading_text), "%s企业达到%s及以上的比例", t->share_scale,
		 t->share_level);
	section(b, heading_text);
	if (t->share_text[0])
		para(b, t->share_text, DL__PARA_INDENT);
	char h1[64], h2[64], h3[64];
	snprintf(h1, sizeof(h1), "%s企业", t->share_scale);
	snprintf(h2, sizeof(h2), "%s及以上", t->share_level);
	snprintf(h3, sizeof(h3), "目标 %s%%", pct);
	dl__column cols[5] = {{"细分行业", 2.4, DL__ALIGN_LEFT},
			      {h1, 0.9, DL__ALIGN_RIGHT},
			      {h2, 0.9, DL__ALIGN_RIGHT},
			      {"比例", 0.9, DL__ALIGN_RIGHT},
			      {h3, 1.4, DL__ALIGN_CENTER}};
	table(b, cols, 5);
	for (size_t k = 0; k < c->industry_count; k++) {
		const dl__cohort_industry *ind = &c->industries[k];
		int met = dl__cohort_share_met(c, k);
		const char *cells[5] = {ind->name, num(ind->share_base, base, sizeof(base)),
					num(ind->share_reached, reached, sizeof(reached)),
					dl__cohort_share(ind->share_reached, ind->share_base, rate, sizeof(rate)),
					met < 0 ? "—（无该规模企业）" : met ? "达到" : "未达到"};
		row(b, cells);
	}
	para(b, "每家企业按最新的等级计：有改造后评测用评测等级，否则用改造前答卷的等级。比例只就本报告的试点企业计算。",
	     DL__PARA_SMALL);
}

static void subsidy_row(build *b, const char *title, size_t n, int64_t eligible, int64_t paid)
{
	char count[32], m1[48], m2[48];
	const char *cells[4] = {title, num(n, count, sizeof(count)),
				dl__money_format_grouped(eligible, m1, sizeof(m1)),
				dl__money_format_grouped(paid, m2, sizeof(m2))};
	row(b, cells);
}

static void subsidy(build *b)
{
	const dl_cohort *c = b->c;
	static const dl__column cols[4] = {{"阶段", 2.2, DL__ALIGN_LEFT},
					   {"企业", 0.7, DL__ALIGN_RIGHT},
					   {"合规投资（元）", 1.6, DL__ALIGN_RIGHT},
					   {"补助（元）", 1.6, DL__ALIGN_RIGHT}};
	section(b, "补助（按阶段）");
	if (!c->p) {
		para(b, "未指定补助政策，不判验收、不计补助。", DL__PARA_INDENT);
		return;
	}
	table(b, cols, 4);
	for (size_t i = 0; i < dl_policy_phase_count(c->p); i++)
		subsidy_row(b, dl_policy_phase_title(c->p, i), c->phase_count[i], c->phase_eligible[i],
			    c->phase_subsidy[i]);
	if (c->passed_no_phase)
		subsidy_row(b, "验收通过、不属任何阶段", c->passed_no_phase, c->no_phase_eligible, 0);
	subsidy_row(b, "限期整改", c->rectify, c->rectify_eligible, 0);
	subsidy_row(b, "验收不通过", c->failed, c->failed_eligible, 0);
	subsidy_row(b, "合计", c->verdicts, c->eligible_total, c->subsidy_total);
	if (c->enterprises > c->verdicts) {
		char text[200];
		snprintf(text, sizeof(text), "另有 %zu 家企业没有验收结论（缺改造前答卷或改造后评测，或无法比较）。",
			 c->enterprises - c->verdicts);
		para(b, text, DL__PARA_SMALL);
	}
	char source[600];
	snprintf(source, sizeof(source), "补助按《%s》（版本 %s）计算。%s", dl_policy_title(c->p),
		 dl_policy_version(c->p),
		 c->rectify ? "限期整改的企业整改后复验通过才核定补助，见其验收意见。" : "");
	para(b, source, DL__PARA_SMALL);
}

/* --- the document ------------------------------------------------------------------------------ */

static int make_doc(const dl_cohort *c, dl__doc **out, dl_error *err)
{
	build b = {c, NULL, {0}, 0, 0, 0};
	char header[400], footer[500];
	if ((b.rc = dl__doc_new(&b.doc, &b.err)) < 0) {
		*err = b.err;
		return b.rc;
	}
	const char *as_of = dl__cohort_as_of(c);
	char as_of_cn[48], number[160], keywords[700], doc_title[400];
	cn_date(as_of, as_of_cn, sizeof(as_of_cn));
	report_number(c, number, sizeof(number));
	snprintf(header, sizeof(header), "%s · 完成情况 · %s", c->t->title, number);
	snprintf(footer, sizeof(footer), "统计截至%s\n评测问卷 SHA-256：%s", as_of[0] ? as_of_cn : "—",
		 dl_questionnaire_digest(c->q));
	snprintf(keywords, sizeof(keywords), "中小企业数字化转型城市试点, 完成情况, %s", number);
	snprintf(doc_title, sizeof(doc_title), "%s 完成情况报告", c->t->title);
	dl__doc_info info = {doc_title, c->t->issuer, "中小企业数字化转型城市试点完成情况", keywords};
	STEP(&b, dl__doc_set_info(b.doc, &info, &b.err));
	STEP(&b, dl__doc_set_header(b.doc, header, &b.err));
	STEP(&b, dl__doc_set_footer_note(b.doc, footer, &b.err));
	cover(&b);
	measurable(&b);
	not_measurable(&b);
	industries(&b);
	levels(&b);
	share(&b);
	subsidy(&b);
	STEP(&b, dl__cohort_pipeline_sections(c, b.doc, &b.section, &b.err));
	section(&b, "编制与审核");
	with_rp(&b, signoff_step);
	if (b.rc < 0) {
		dl__doc_free(b.doc);
		*err = b.err;
		return b.rc;
	}
	*out = b.doc;
	return 0;
}

int dl_cohort_report(unsigned char **out, size_t *len, const dl_cohort *c,
		     const dl_report_options *opts, dl_error *err)
{
	dl_report_options use = DL_REPORT_OPTIONS_INIT;
	dl__doc *doc = NULL;
	dl_error rerr = {0};
	char *text = NULL;
	unsigned char *pdf = NULL;
	size_t n = 0;
	int rc;
	assert(out && len && c);
	if (opts && opts->version == 2) { /* built against version 2: no fields after catalogue */
		memcpy(&use, opts, offsetof(dl_report_options, after_sha256));
		use.version = DL_REPORT_OPTIONS_VERSION;
	} else if (opts) {
		use = *opts;
	}
	if (use.version != DL_REPORT_OPTIONS_VERSION)
		return dl__error_set(err, DL_EINVALID, "", 0, 0,
				     "report options version %u, expected %u", use.version,
				     DL_REPORT_OPTIONS_VERSION);
	if (use.format != DL_REPORT_PDF && use.format != DL_REPORT_TEXT)
		return dl__error_set(err, DL_EINVALID, "", 0, 0, "unknown report format %d",
				     (int)use.format);
	rc = make_doc(c, &doc, &rerr);
	if (rc == 0 && use.format == DL_REPORT_TEXT) {
		rc = dl__doc_render_text(doc, &text, &n, &rerr);
	} else if (rc == 0) {
		dl__pdf_options po = {use.font_path && use.font_path[0] ? use.font_path : NULL, NULL};
		rc = dl__doc_render_pdf(doc, &po, &pdf, &n, &rerr);
	}
	dl__doc_free(doc);
	if (rc < 0)
		return dl__error_set(err, rc, "", 0, 0, "cohort report: %s", rerr.message);
	*out = text ? (unsigned char *)text : pdf;
	*len = n;
	return 0;
}
