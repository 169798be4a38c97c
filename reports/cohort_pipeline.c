/*
 * cohort_pipeline.c: the dashboard's report sections added by issue 11: the pipeline 诊断 → 签约 →
 * 改造 → 申请 → 验收 → 拨付 with the schedule's milestones, the roster of every enterprise with its
 * stage, levels and money, the funds approved, disbursed and pending, the service providers'
 * performance and the most common weak scenarios. The figures are the cohort's (cohort_pipeline.c
 * in engine/scoring), the same as the text and JSON dashboards show. Conventions of the cohort
 * report: percentages as 11.4%, dates as 2025年6月24日, one label per state.
 */
#include "cohort_pipeline.h"
#include "alloc.h"
#include "money.h"

#include <stdio.h>
#include <string.h>

typedef struct build {
	const dl_cohort *c;
	dl__doc *doc;
	dl_error *err;
	int rc;
	int *section;
} build;

#define STEP(b, call)                     \
	do {                              \
		if ((b)->rc == 0)         \
			(b)->rc = (call); \
	} while (0)

static void section(build *b, const char *title)
{
	static const char *const numerals[] = {"一", "二", "三", "四", "五", "六", "七", "八",
					       "九", "十", "十一", "十二", "十三", "十四", "十五"};
	char text[300];
	snprintf(text, sizeof(text), "%s、%s", numerals[*b->section % 15], title);
	(*b->section)++;
	STEP(b, dl__doc_add_heading(b->doc, 1, text, b->err));
}

static void para(build *b, const char *text, unsigned flags)
{
	STEP(b, dl__doc_add_paragraph(b->doc, text, flags, b->err));
}

static void table(build *b, const dl__column *cols, size_t n)
{
	STEP(b, dl__doc_add_table(b->doc, cols, n, 0, b->err));
}

static void row(build *b, const char *const *cells)
{
	STEP(b, dl__doc_add_row(b->doc, cells, b->err));
}

/* YYYY-MM-DD as 2025年6月24日; "—" for none. */
static const char *date_text(const char *iso, char *buf, size_t size)
{
	int y, m, d;
	if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
		snprintf(buf, size, "—");
	else
		snprintf(buf, size, "%d年%d月%d日", y, m, d);
	return buf;
}

static const char *stage_text(const dl_cohort *c, const dl__roster_row *r)
{
	int s = dl__cohort_row_stage(r, dl__cohort_as_of(c));
	return s < 0 ? "未进入" : dl_stage_title((dl_stage)s);
}

static const char *level_text(const dl_cohort *c, bool has, int level)
{
	if (!has)
		return "无答卷";
	size_t li = dl__cohort_level_index(c, level);
	return li < c->nlevels ? dl_questionnaire_level_name_at(c->q, li) : "";
}

static void pipeline(build *b)
{
	const dl_cohort *c = b->c;
	const dl_targets *t = c->t;
	char text[600], date[40];
	size_t len = 0;
	section(b, "推进进度");
	len += (size_t)snprintf(text, sizeof(text), "截至%s，到达各环节（含已进入其后环节）的企业：",
				date_text(dl__cohort_as_of(c), date, sizeof(date)));
	for (int s = 0; s < DL_STAGE_COUNT && len < sizeof(text); s++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s %zu 家",
					s ? " → " : "", dl_stage_title((dl_stage)s),
					dl_cohort_stage_count(c, (dl_stage)s, NULL));
	if (len < sizeof(text))
		snprintf(text + len, sizeof(text) - len, "。%s",
			 c->p ? "" : "未指定补助政策，验收按有改造后评测计。");
	para(b, text, DL__PARA_INDENT);
	if (!t->milestone_count)
		return;
	static const dl__column cols[7] = {
	    {"序号", 0.5, DL__ALIGN_LEFT},   {"节点", 1.6, DL__ALIGN_LEFT},
	    {"环节", 0.6, DL__ALIGN_LEFT},   {"时限", 1.3, DL__ALIGN_LEFT},
	    {"应达（家）", 0.9, DL__ALIGN_RIGHT}, {"已达（家）", 0.9, DL__ALIGN_RIGHT},
	    {"状态", 0.8, DL__ALIGN_LEFT}};
	table(b, cols, 7);
	for (size_t m = 0; m < t->milestone_count; m++) {
		char expected[32], reached[32], rate[32], when[40];
		long e = dl_targets_milestone_expected(t, m);
		size_t r = dl_cohort_milestone_reached(c, m);
		snprintf(expected, sizeof(expected), "%ld（%ld%%）", e, t->milestones[m].percent);
		snprintf(reached, sizeof(reached), "%zu（%s）", r,
			 dl__cohort_rate(r, e, rate, sizeof(rate)));
		const char *cells[7] = {t->milestones[m].row, t->milestones[m].title,
					dl_stage_title(t->milestones[m].stage),
					date_text(t->milestones[m].date, when, sizeof(when)), expected,
					reached, dl_target_status_title(dl_cohort_milestone_status(c, m))};
		row(b, cells);
	}
	snprintf(text, sizeof(text),
		 "应达为%s总目标 %ld 家乘以比例后向上取整；已达为节点时限前到达该环节或其后环节的企业，括号内为完成率。",
		 t->targets[t->milestone_base_index].title, t->targets[t->milestone_base_index].total);
	para(b, text, DL__PARA_SMALL);
}

static void roster(build *b)
{
	const dl_cohort *c = b->c;
	static const dl__column cols[7] = {
	    {"企业", 2.6, DL__ALIGN_LEFT},          {"环节", 0.6, DL__ALIGN_LEFT},
	    {"改造前", 0.75, DL__ALIGN_LEFT},       {"改造后", 0.75, DL__ALIGN_LEFT},
	    {"合规投资（元）", 1.35, DL__ALIGN_RIGHT}, {"核定补助（元）", 1.35, DL__ALIGN_RIGHT},
	    {"已拨付（元）", 1.2, DL__ALIGN_RIGHT}};
	section(b, "企业名册");
	table(b, cols, 7);
	for (size_t i = 0; i < c->roster_count; i++) {
		const dl__roster_row *r = &c->roster[i];
		char m1[48], m2[48], m3[48], who[1200];
		snprintf(who, sizeof(who), "%s\n%s", r->name, r->code);
		const char *cells[7] = {
		    who,
		    stage_text(c, r),
		    level_text(c, r->has_before, r->before_level),
		    level_text(c, r->has_after, r->after_level),
		    r->has_verdict ? dl__money_format_grouped(r->eligible, m1, sizeof(m1)) : "—",
		    r->has_verdict ? dl__money_format_grouped(r->subsidy, m2, sizeof(m2)) : "—",
		    dl__money_format_grouped(r->disbursed, m3, sizeof(m3))};
		row(b, cells);
	}
	dl_points sum = 0;
	size_t n = 0;
	for (size_t i = 0; i < c->roster_count; i++)
		if (c->roster[i].has_totals) {
			sum += c->roster[i].after_total - c->roster[i].before_total;
			n++;
		}
	char avg[32], text[200];
	snprintf(text, sizeof(text), "平均提升：改造前后均有答卷的 %zu 家企业，总分平均提升 %s 分。", n,
		 dl__cohort_average_points(sum, n, avg, sizeof(avg)));
	para(b, text, DL__PARA_INDENT);
}

static void funds(build *b)
{
	const dl_cohort *c = b->c;
	char m1[48], m2[48], m3[48], text[400];
	section(b, "资金核定与拨付");
	if (!c->p) {
		para(b, "未指定补助政策，不核定补助。", DL__PARA_INDENT);
		return;
	}
	snprintf(text, sizeof(text),
		 "核定补助 %s 元，已拨付 %s 元（%zu 笔拨付记录），待拨付 %s 元。目标文件未给出试点资金预算，不作预算对比。",
		 dl__money_format_grouped(c->subsidy_total, m1, sizeof(m1)),
		 dl__money_format_grouped(c->disbursed_total, m2, sizeof(m2)), c->t->payment_count,
		 dl__money_format_grouped(c->subsidy_total - c->disbursed_total, m3, sizeof(m3)));
	para(b, text, DL__PARA_INDENT);
}

static void providers(build *b)
{
	const dl_cohort *c = b->c;
	static const dl__column cols[6] = {
	    {"服务商", 2.6, DL__ALIGN_LEFT},     {"企业", 0.6, DL__ALIGN_RIGHT},
	    {"验收", 0.6, DL__ALIGN_RIGHT},      {"通过率", 0.8, DL__ALIGN_RIGHT},
	    {"平均提升（分）", 1.1, DL__ALIGN_RIGHT}, {"平均满意度", 1.0, DL__ALIGN_RIGHT}};
	size_t count = 0;
	dl__provider_figures *f = dl__cohort_providers(c, &count);
	section(b, "服务商绩效");
	if (!count) {
		para(b, "没有记录服务商的改造项目。", DL__PARA_INDENT);
		dl__free(f);
		return;
	}
	table(b, cols, 6);
	for (size_t k = 0; k < count; k++) {
		char e[32], v[32], r[32], u[32], g[32] = "—";
		snprintf(e, sizeof(e), "%zu", f[k].enterprises);
		snprintf(v, sizeof(v), "%zu", f[k].verdicts);
		if (f[k].rated) {
			long tenths = (f[k].rating_sum * 20 + (long)f[k].rated) / (2 * (long)f[k].rated);
			snprintf(g, sizeof(g), "%ld.%ld", tenths / 10, tenths % 10);
		}
		const char *cells[6] = {f[k].name, e, v,
					dl__cohort_share(f[k].passed, f[k].verdicts, r, sizeof(r)),
					dl__cohort_average_points(f[k].uplift_sum, f[k].uplifted, u,
								  sizeof(u)),
					g};
		row(b, cells);
	}
	dl__free(f);
	para(b, "通过率为验收通过的企业占有验收结论企业的比例；满意度按非常满意 5、满意 4、基本满意 3、不满意 2、非常不满意 1 计。",
	     DL__PARA_SMALL);
}

static void weak(build *b)
{
	const dl_cohort *c = b->c;
	static const dl__column cols[2] = {{"场景", 2.5, DL__ALIGN_LEFT},
					   {"企业（家）", 1.0, DL__ALIGN_RIGHT}};
	size_t order[10], n = 0;
	for (size_t i = 0; i < c->weak_count; i++) { /* the ten most common, first met on ties */
		size_t at = n < 10 ? n : 10;
		while (at > 0 && c->weak[order[at - 1]].enterprises < c->weak[i].enterprises)
			at--;
		if (at >= 10)
			continue;
		size_t end = n < 10 ? n : 9;
		memmove(order + at + 1, order + at, (end - at) * sizeof(*order));
		order[at] = i;
		n += n < 10;
	}
	section(b, "最常见的薄弱场景");
	if (!n) {
		para(b, "没有低于下一等级所需场景等级的场景。", DL__PARA_INDENT);
		return;
	}
	para(b, "各企业最近一次答卷中低于下一等级所需场景等级（当前等级加一级）的场景，按企业数排列：",
	     DL__PARA_INDENT);
	table(b, cols, 2);
	for (size_t i = 0; i < n; i++) {
		char e[32];
		snprintf(e, sizeof(e), "%zu", c->weak[order[i]].enterprises);
		const char *cells[2] = {c->weak[order[i]].title, e};
		row(b, cells);
	}
}

int dl__cohort_pipeline_sections(const dl_cohort *c, dl__doc *doc, int *section_no, dl_error *err)
{
	build b = {c, doc, err, 0, section_no};
	pipeline(&b);
	roster(&b);
	funds(&b);
	providers(&b);
	weak(&b);
	return b.rc;
}
