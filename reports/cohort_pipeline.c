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
#include "report_common.h"

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

const char *dl__cohort_numeral(int n, char *buf, size_t size)
{
	static const char *const digits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
	n = n < 1 ? 1 : n > 99 ? 99 : n;
	snprintf(buf, size, "%s%s%s", n >= 20 ? digits[n / 10] : "", n >= 10 ? "十" : "",
		 digits[n % 10]);
	return buf;
}

static void section(build *b, const char *title)
{
	char text[300], numeral[32];
	snprintf(text, sizeof(text), "%s、%s",
		 dl__cohort_numeral(++*b->section, numeral, sizeof(numeral)), title);
	STEP(b, dl__doc_add_heading(b->doc, 1, text, b->err));
}

static void keep(build *b, int begin)
{
	STEP(b, dl__doc_keep(b->doc, begin, b->err));
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

/* YYYY-MM-DD as 2025年6月24日, as every document prints dates; "—" for none. */
static const char *date_text(const char *iso, char *buf, size_t size)
{
	if (!iso || !iso[0])
		snprintf(buf, size, "—");
	else
		dl__rp_date(iso, buf, size);
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
	/* a schedule of a few rows stays whole with its note (附件3 has six): no row alone */
	bool whole = t->milestone_count <= 10;
	if (whole)
		keep(b, 1);
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
	if (whole)
		keep(b, 0);
}

/* A roster row's stage and, from 验收 on, its verdict below it; under 限期整改 the deadline too:
 * "验收\n限期整改\n2025年7月13日" (the note under the table says the date is the deadline). */
static const char *stage_verdict(const dl_cohort *c, const dl__roster_row *r, char *buf,
				 size_t size)
{
	char date[40];
	int st = dl__cohort_row_stage(r, dl__cohort_as_of(c));
	if (!r->has_verdict || st < DL_STAGE_ACCEPTANCE)
		snprintf(buf, size, "%s", stage_text(c, r));
	else if (r->verdict == DL_VERDICT_RECTIFY && r->deadline[0])
		snprintf(buf, size, "%s\n%s\n%s", stage_text(c, r), dl_verdict_title(r->verdict),
			 date_text(r->deadline, date, sizeof(date)));
	else
		snprintf(buf, size, "%s\n%s", stage_text(c, r), dl_verdict_title(r->verdict));
	return buf;
}

/* The name and credit code of a roster row, one under the other. A long name (above 14
 * characters) is broken before its company-form suffix (有限公司, 有限责任公司, 股份有限公司),
 * where a reader breaks it, rather than wherever the column ends ("…有限公 / 司"). */
static void name_cell(const char *name, const char *code, char *buf, size_t size)
{
	static const char *const forms[] = {"股份有限公司", "有限责任公司", "有限公司"};
	size_t len = strlen(name), chars = 0;
	for (size_t i = 0; i < len; i++)
		chars += ((unsigned char)name[i] & 0xC0) != 0x80;
	for (size_t k = 0; chars > 14 && k < 3; k++) {
		size_t n = strlen(forms[k]);
		if (len > n && strcmp(name + len - n, forms[k]) == 0) {
			snprintf(buf, size, "%.*s\n%s\n%s", (int)(len - n), name, forms[k], code);
			return;
		}
	}
	snprintf(buf, size, "%s\n%s", name, code);
}

static void roster(build *b)
{
	const dl_cohort *c = b->c;
	static const dl__column cols[7] = {
	    {"企业", 2.3, DL__ALIGN_LEFT},          {"环节（结论）", 1.0, DL__ALIGN_LEFT},
	    {"改造前", 0.8, DL__ALIGN_LEFT},        {"改造后", 0.8, DL__ALIGN_LEFT},
	    {"合规投资（元）", 1.3, DL__ALIGN_RIGHT}, {"核定补助（元）", 1.3, DL__ALIGN_RIGHT},
	    {"已拨付（元）", 1.15, DL__ALIGN_RIGHT}};
	section(b, "企业名册");
	table(b, cols, 7);
	for (size_t i = 0; i < c->roster_count; i++) {
		const dl__roster_row *r = &c->roster[i];
		char m1[48], m2[48], m3[48], who[1200], stage[128];
		name_cell(r->name, r->code, who, sizeof(who));
		const char *cells[7] = {
		    who,
		    stage_verdict(c, r, stage, sizeof(stage)),
		    level_text(c, r->has_before, r->before_level),
		    level_text(c, r->has_after, r->after_level),
		    r->has_verdict ? dl__money_format_grouped(r->eligible, m1, sizeof(m1)) : "—",
		    r->has_verdict ? dl__money_format_grouped(r->subsidy, m2, sizeof(m2)) : "—",
		    dl__money_format_grouped(r->disbursed, m3, sizeof(m3))};
		row(b, cells);
	}
	dl_points sum = 0;
	size_t n = 0;
	dl__cohort_uplift(c, &sum, &n);
	char avg[32], text[300];
	snprintf(text, sizeof(text),
		 "环节为统计截至日已到达的最后一个环节，其下为验收结论；限期整改的企业停在验收环节，其下的日期为整改期限，期限前整改后复验。平均提升：改造前后均有答卷的 %zu 家企业，总分平均提升 %s 分。",
		 n, dl__cohort_average_points(sum, n, avg, sizeof(avg)));
	para(b, text, DL__PARA_SMALL);
}

static void funds(build *b)
{
	const dl_cohort *c = b->c;
	const dl_targets *t = c->t;
	char m[4][48], text[600];
	section(b, "资金核定与拨付");
	if (!c->p) {
		if (t->has_budget) {
			snprintf(text, sizeof(text), "预算 %s 元（%s）。未指定补助政策，不核定补助。",
				 dl__money_format_grouped(t->budget_fen, m[0], sizeof(m[0])),
				 t->budget_title);
			para(b, text, DL__PARA_INDENT);
		} else {
			para(b, "未指定补助政策，不核定补助。", DL__PARA_INDENT);
		}
		return;
	}
	int64_t pending = c->subsidy_total - c->disbursed_total;
	if (!t->has_budget) {
		snprintf(text, sizeof(text),
			 "核定补助 %s 元，已拨付 %s 元（%zu 笔拨付记录），待拨付 %s 元。目标文件未给出试点资金预算，不作预算对比。",
			 dl__money_format_grouped(c->subsidy_total, m[1], sizeof(m[1])),
			 dl__money_format_grouped(c->disbursed_total, m[2], sizeof(m[2])),
			 t->payment_count, dl__money_format_grouped(pending, m[3], sizeof(m[3])));
		para(b, text, DL__PARA_INDENT);
		return;
	}
	static const dl__column cols[3] = {{"项目", 1.6, DL__ALIGN_LEFT},
					   {"金额（元）", 1.6, DL__ALIGN_RIGHT},
					   {"占预算", 1.0, DL__ALIGN_RIGHT}};
	table(b, cols, 3);
	const char *labels[4] = {"预算", "核定补助", "已拨付", "待拨付"};
	int64_t v[4] = {t->budget_fen, c->subsidy_total, c->disbursed_total, pending};
	for (int k = 0; k < 4; k++) {
		char share[32];
		const char *cells[3] = {labels[k], dl__money_format_grouped(v[k], m[k], sizeof(m[k])),
					k ? dl__cohort_money_share(v[k], t->budget_fen, share,
								   sizeof(share))
					  : "100.0%"};
		row(b, cells);
	}
	int64_t left = t->budget_fen - c->subsidy_total;
	snprintf(text, sizeof(text), "预算为%s。%s %s 元；拨付记录 %zu 笔。待拨付为核定补助减已拨付。",
		 t->budget_title, left >= 0 ? "预算尚未核定" : "核定补助超出预算",
		 dl__money_format_grouped(left >= 0 ? left : -left, m[0], sizeof(m[0])),
		 t->payment_count);
	para(b, text, DL__PARA_SMALL);
}

static void providers(build *b)
{
	const dl_cohort *c = b->c;
	static const dl__column cols[9] = {
	    {"服务商", 2.6, DL__ALIGN_LEFT},     {"企业", 0.5, DL__ALIGN_RIGHT},
	    {"验收", 0.5, DL__ALIGN_RIGHT},      {"通过", 0.5, DL__ALIGN_RIGHT},
	    {"整改", 0.5, DL__ALIGN_RIGHT},      {"不通过", 0.6, DL__ALIGN_RIGHT},
	    {"通过率", 0.75, DL__ALIGN_RIGHT},   {"平均提升", 0.9, DL__ALIGN_RIGHT},
	    {"平均满意度", 0.9, DL__ALIGN_RIGHT}};
	size_t count = 0;
	dl__provider_figures *f = dl__cohort_providers(c, &count);
	section(b, "服务商绩效");
	if (!count) {
		para(b, "没有记录服务商的改造项目。", DL__PARA_INDENT);
		dl__free(f);
		return;
	}
	table(b, cols, 9);
	for (size_t k = 0; k < count; k++) {
		char v[5][32], r[32], u[32], g[32];
		snprintf(v[0], sizeof(v[0]), "%zu", f[k].enterprises);
		snprintf(v[1], sizeof(v[1]), "%zu", f[k].verdicts);
		snprintf(v[2], sizeof(v[2]), "%zu", f[k].passed);
		snprintf(v[3], sizeof(v[3]), "%zu", f[k].rectify);
		snprintf(v[4], sizeof(v[4]), "%zu", f[k].verdicts - f[k].passed - f[k].rectify);
		const char *cells[9] = {
		    f[k].name, v[0], v[1], v[2], v[3], v[4],
		    dl__cohort_share(f[k].passed, f[k].verdicts, r, sizeof(r)),
		    dl__cohort_average_points(f[k].uplift_sum, f[k].uplifted, u, sizeof(u)),
		    dl__cohort_average_rating(f[k].rating_sum, f[k].rated, g, sizeof(g))};
		row(b, cells);
	}
	dl__free(f);
	para(b, "通过率为验收通过的企业占有验收结论企业的比例，限期整改的不算通过；平均提升为改造前后总分之差的平均（分）；满意度按非常满意 5、满意 4、基本满意 3、不满意 2、非常不满意 1 计。",
	     DL__PARA_SMALL);
}

static void weak(build *b)
{
	const dl_cohort *c = b->c;
	static const dl__column cols[2] = {{"场景", 2.5, DL__ALIGN_LEFT},
					   {"企业（家）", 1.0, DL__ALIGN_RIGHT}};
	size_t order[10], n = dl__cohort_weak_order(c, order, 10);
	section(b, "最常见的薄弱场景");
	if (!n) {
		para(b, "没有低于下一等级所需场景等级的场景。", DL__PARA_INDENT);
		return;
	}
	table(b, cols, 2);
	for (size_t i = 0; i < n; i++) {
		char e[32];
		snprintf(e, sizeof(e), "%zu", c->weak[order[i]].enterprises);
		const char *cells[2] = {c->weak[order[i]].title, e};
		row(b, cells);
	}
	para(b, "各企业最近一次答卷中低于下一等级所需场景等级（当前等级加一级）的场景，按企业数排列，至多十个。",
	     DL__PARA_SMALL);
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
