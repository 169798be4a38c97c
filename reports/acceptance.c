/*
 * acceptance.c: the acceptance opinion (验收意见): what the third-party evaluator issues after a
 * retrofit, and what the district pays the subsidy on.
 *
 * No public template exists; acceptance notices of the pilot cities record (docs/sources.md
 * section 3): the enterprise and the project (contract, provider, scope, dates), the level before
 * and after with the 基础/管理/成效 scores and the scenario counts, the verified eligible
 * investment, the evidence of results, the verdict with its reasons, the subsidy, and the
 * evaluating organisation, evaluators and date. Read top-down the document follows that order; the
 * charts put before and after side by side. Every decision and number comes from the comparison
 * (dl_compare with a policy): this file only lays it out, in the wording of the comparison's texts.
 */
#include "acceptance_checks.h"
#include "policy_model.h"
#include "i18n.h"
#include "report_common.h"

#include <stdio.h>
#include <string.h>

/* The policy's title for an investment category id, or the id. */
static const char *dl__category_title(const dl_policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < dl_policy_category_count(p); i++)
		if (strcmp(dl_policy_category_id(p, i), id) == 0)
			return dl_policy_category_title(p, i);
	return id;
}

/* "提升 2 级", "下降 1 级" or "未变". */
static void dl__level_change(int before, int after, char *buf, size_t size)
{
	if (after > before)
		snprintf(buf, size, "提升 %d 级", after - before);
	else if (after < before)
		snprintf(buf, size, "下降 %d 级", before - after);
	else
		snprintf(buf, size, "未变");
}

static void dl__cover_page(dl__rp *rp, const dl_comparison *c, const dl_sheet *after,
			   const char *date, const char *number)
{
	dl__rp_pair(rp, "报告编号：", "%s", number);
	dl__rp_enterprise_pair(rp, after, DL_ENTERPRISE_NAME);
	dl__rp_enterprise_pair(rp, after, DL_ENTERPRISE_CREDIT_CODE);
	dl__rp_pair(rp, "改造合同：", "%s", dl__rp_or_dash(dl_sheet_retrofit_contract(after)));
	dl__rp_pair(rp, "服务商：", "%s", dl__rp_or_dash(dl_sheet_retrofit_provider(after)));
	dl__rp_pair(rp, "评测机构：", "%s", dl__rp_or_dash(dl_sheet_organisation(after)));
	dl__rp_pair(rp, "验收结论：", "%s", dl_verdict_title(dl_comparison_verdict(c)));
	dl__rp_cover(rp, "数字化改造验收意见", dl_policy_title(dl_comparison_policy(c)), date);
}

/* The statement page (声明) and the contents. */
static void dl__statement(dl__rp *rp, const dl_comparison *c)
{
	const dl_policy *p = dl_comparison_policy(c);
	char c0[700];
	const char *clauses[5];

	snprintf(c0, sizeof(c0),
		 "本验收意见依据《%s》和改造前后的评测表出具，结论仅对本次验收的改造项目有效。",
		 dl_policy_title(p));
	clauses[0] = c0;
	clauses[1] = "改造合同、投资凭证和佐证材料由企业和服务商提供，提供方对其真实性、完整性负责；"
		     "评测机构对现场评测和资料核验的结果负责。";
	clauses[2] = "等级、得分、可补助投资和补助金额按评测指标和验收政策的规则计算，可由评测表"
		     "（SHA-256 见页脚）复核。";
	clauses[3] = "本验收意见未加盖评测机构公章、无评测人员签字无效；涂改、增删无效。补助以区（县）"
		     "主管部门审核确认并拨付为准。";
	clauses[4] = "对验收结论有异议的，可向评测机构或区（县）中小企业主管部门申请复核。";
	dl__rp_statement(rp, clauses, 5);
}

static void dl__project(dl__rp *rp, const dl_comparison *c, const dl_sheet *before,
			const dl_sheet *after)
{
	const dl_questionnaire *q = dl_result_questionnaire(dl_comparison_after(c));
	const dl_policy *p = dl_comparison_policy(c);
	char d1[48], d2[48], d3[48], d4[48];

	dl__rp_heading(rp, 1, "一、企业与改造项目");
	dl__rp_enterprise_pairs(rp, after);
	dl__rp_key_values(rp, 0);
	dl__rp_heading(rp, 2, "（一）改造项目");
	dl__rp_pair(rp, "改造合同：", "%s", dl__rp_or_dash(dl_sheet_retrofit_contract(after)));
	dl__rp_pair(rp, "服务商：", "%s", dl__rp_or_dash(dl_sheet_retrofit_provider(after)));
	dl__rp_pair(rp, "改造范围：", "%s", dl__rp_or_dash(dl_sheet_retrofit_scope(after)));
	dl__rp_pair(
	    rp, "完成日期：", "%s",
	    dl__rp_or_dash(dl__rp_date(dl_sheet_retrofit_completed(after), d1, sizeof(d1))));
	dl__rp_pair(rp, "申请验收日期：", "%s",
		    dl__rp_or_dash(dl__rp_date(dl_sheet_retrofit_applied(after), d2, sizeof(d2))));
	dl__rp_pair(rp, "验收次数：", "第 %d 次验收", dl_sheet_retrofit_attempt(after));
	dl__rp_key_values(rp, 0);
	dl__rp_heading(rp, 2, "（二）评测与验收依据");
	dl__rp_pair(rp, "改造前诊断：", "%s，%s",
		    dl__rp_or_dash(dl__rp_date(dl_sheet_date(before), d3, sizeof(d3))),
		    dl__rp_or_dash(dl_sheet_organisation(before)));
	dl__rp_pair(rp, "改造后评测：", "%s，%s",
		    dl__rp_or_dash(dl__rp_date(dl_sheet_date(after), d4, sizeof(d4))),
		    dl__rp_or_dash(dl_sheet_organisation(after)));
	dl__rp_pair(rp, "评测依据：", "《%s》（%s%s）", dl_questionnaire_title(q),
		    dl_questionnaire_issuer(q), dl_questionnaire_document(q));
	dl__rp_pair(rp, "问卷文件：", "%s", dl_questionnaire_path(q));
	dl__rp_pair(rp, "SHA-256：", "%s", dl_questionnaire_digest(q)); /* of the questionnaire file */
	dl__rp_pair(rp, "验收依据：", "《%s》（版本 %s）", dl_policy_title(p), dl_policy_version(p));
	dl__rp_pair(rp, "政策来源：", "%s%s%s", dl_policy_issuer(p),
		    dl_policy_issuer(p)[0] && dl_policy_document(p)[0] ? "，" : "",
		    dl_policy_document(p));
	dl__rp_key_values(rp, 0);
}

static void dl__side_by_side(dl__rp *rp, const dl_comparison *c, const dl_sheet *before,
			     const dl_sheet *after)
{
	static const dl__column cols[4] = {{"项目", 3.6, DL__ALIGN_LEFT},
					   {"改造前", 1.8, DL__ALIGN_RIGHT},
					   {"改造后", 1.8, DL__ALIGN_RIGHT},
					   {"变化", 1.6, DL__ALIGN_RIGHT}};
	const dl_result *rb = dl_comparison_before(c), *ra = dl_comparison_after(c);
	const dl_questionnaire *q = dl_result_questionnaire(ra);
	int lb = dl_result_level(rb), la = dl_result_level(ra),
	    max = dl_questionnaire_scenario_max_level(q);
	size_t n;
	char a[32], b[32], d[32], n1[32], n2[32], n3[32];

	/* The comparison is a table and two charts: start it on a page of its own. */
	dl__rp_page_break(rp);
	dl__rp_heading(rp, 1, "二、改造前后评测结果对比");
	dl__level_change(lb, la, n3, sizeof(n3));
	dl__rp_para(
	    rp, DL__PARA_INDENT,
	    "企业数字化水平由改造前的%s变为改造后的%s（%s），总分由 %s 分变为 %s 分（%s）。",
	    dl__rp_level_name(q, lb, n1, sizeof(n1)), dl__rp_level_name(q, la, n2, sizeof(n2)), n3,
	    dl__rp_points(dl_result_total(rb), a, sizeof(a)),
	    dl__rp_points(dl_result_total(ra), b, sizeof(b)),
	    dl__rp_change(dl_result_total(ra) - dl_result_total(rb), d, sizeof(d)));
	dl__rp_heading(rp, 2, "（一）主要指标对比");
	dl__rp_table(rp, cols, 4);
	dl__rp_cell(rp, 0, "评测日期");
	dl__rp_cell(rp, 1, "%s", dl__rp_date(dl_sheet_date(before), n1, sizeof(n1)));
	dl__rp_cell(rp, 2, "%s", dl__rp_date(dl_sheet_date(after), n2, sizeof(n2)));
	dl__rp_cell(rp, 3, "—");
	dl__rp_row(rp, 4);
	dl__rp_cell(rp, 0, "数字化水平等级");
	dl__rp_cell(rp, 1, "%s", dl__rp_level_name(q, lb, n1, sizeof(n1)));
	dl__rp_cell(rp, 2, "%s", dl__rp_level_name(q, la, n2, sizeof(n2)));
	dl__level_change(lb, la, n3, sizeof(n3));
	dl__rp_cell(rp, 3, "%s", n3);
	dl__rp_row(rp, 4);
	dl__rp_cell(rp, 0, "总分（满分 %s）",
		    dl__rp_points(dl_questionnaire_points(q), d, sizeof(d)));
	dl__rp_cell(rp, 1, "%s", dl__rp_points(dl_result_total(rb), a, sizeof(a)));
	dl__rp_cell(rp, 2, "%s", dl__rp_points(dl_result_total(ra), b, sizeof(b)));
	dl__rp_cell(rp, 3, "%s",
		    dl__rp_change(dl_result_total(ra) - dl_result_total(rb), d, sizeof(d)));
	dl__rp_row(rp, 4);
	for (n = 0; n < dl_questionnaire_node_count(q); n++) {
		dl_points sb = dl_result_node_score(rb, n), sa = dl_result_node_score(ra, n);
		if (dl_questionnaire_node_kind(q, n) != DL_NODE_DIMENSION)
			continue;
		dl__rp_cell(rp, 0, "%s（满分 %s）", dl_questionnaire_node_title(q, n),
			    dl__rp_points(dl_questionnaire_node_points(q, n), d, sizeof(d)));
		dl__rp_cell(rp, 1, "%s", dl__rp_points(sb, a, sizeof(a)));
		dl__rp_cell(rp, 2, "%s", dl__rp_points(sa, b, sizeof(b)));
		dl__rp_cell(rp, 3, "%s", dl__rp_change(sa - sb, d, sizeof(d)));
		dl__rp_row(rp, 4);
	}
	for (int l = 1; l <= max; l++) {
		size_t xb = dl_result_scenarios_at_least(rb, l, false),
		       xa = dl_result_scenarios_at_least(ra, l, false);
		size_t cb = dl_result_scenarios_at_least(rb, l, true),
		       ca = dl_result_scenarios_at_least(ra, l, true);
		dl__rp_cell(rp, 0, "达到%s及以上的场景（其中约束性）",
			    dl__rp_level_name(q, l, n1, sizeof(n1)));
		dl__rp_cell(rp, 1, "%zu（%zu）", xb, cb);
		dl__rp_cell(rp, 2, "%zu（%zu）", xa, ca);
		dl__rp_cell(rp, 3, "%s%lld（%s%lld）", xa > xb ? "+" : "",
			    (long long)xa - (long long)xb, ca > cb ? "+" : "",
			    (long long)ca - (long long)cb);
		dl__rp_row(rp, 4);
	}
	dl__rp_dimension_bars(rp, "图1 各维度得分改造前后对比", rb, "改造前", ra, "改造后");
	dl__rp_scenario_radar(rp, "图2 数字化经营场景等级改造前后对比（0–4 级）", rb, "改造前", ra,
			      "改造后");
}

/* Appends the ids of the options chosen for question qi, "B C", or "—". Returns as dl__textbuf_addf.
 */
static int dl__chosen(const dl_result *r, size_t qi, dl__textbuf *out)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	size_t oi, n = 0;
	int rc = 0;

	for (oi = 0; oi < dl_questionnaire_option_count(q, qi) && rc == 0; oi++)
		if (dl_result_option_chosen(r, qi, oi))
			rc = dl__textbuf_addf(out, "%s%s", n++ ? " " : "",
					   dl_questionnaire_option_id(q, qi, oi));
	if (rc == 0 && n == 0)
		rc = dl__textbuf_add(out, "—");
	return rc;
}

static void dl__scores(dl__rp *rp, const dl_comparison *c)
{
	static const dl__column tree[5] = {{"编号", 1.2, DL__ALIGN_LEFT},
					   {"指标（满分）", 4.2, DL__ALIGN_LEFT},
					   {"改造前", 1.3, DL__ALIGN_RIGHT},
					   {"改造后", 1.3, DL__ALIGN_RIGHT},
					   {"变化", 1.3, DL__ALIGN_RIGHT}};
	static const dl__column cols[7] = {{"编号", 0.8, DL__ALIGN_LEFT},
					   {"评测项", 3.7, DL__ALIGN_LEFT},
					   {"满分", 0.8, DL__ALIGN_RIGHT},
					   {"改造前", 1.0, DL__ALIGN_RIGHT},
					   {"改造后", 1.0, DL__ALIGN_RIGHT},
					   {"变化", 1.0, DL__ALIGN_RIGHT},
					   {"所选答案（改造前 → 改造后）", 2.3, DL__ALIGN_LEFT}};
	const dl_result *rb = dl_comparison_before(c), *ra = dl_comparison_after(c);
	const dl_questionnaire *q = dl_result_questionnaire(ra);
	size_t n;
	char a[32], b[32], d[32], m[32];
	dl__textbuf ob = {NULL, 0, 0}, oa = {NULL, 0, 0};

	dl__rp_heading(rp, 2, "（二）各级指标得分对比");
	dl__rp_table(rp, tree, 5);
	for (n = 0; n < dl_questionnaire_node_count(q); n++) {
		dl_points sb = dl_result_node_score(rb, n), sa = dl_result_node_score(ra, n);
		if (dl_questionnaire_node_kind(q, n) == DL_NODE_QUESTION ||
		    !dl__rp_node_shown(q, n))
			continue;
		dl__rp_cell(rp, 0, "%s", dl_questionnaire_node_id(q, n));
		dl__rp_cell(rp, 1, "%s%s（%s）", dl__rp_indent(q, n),
			    dl_questionnaire_node_title(q, n),
			    dl__rp_points(dl_questionnaire_node_points(q, n), m, sizeof(m)));
		dl__rp_cell(rp, 2, "%s", dl__rp_points(sb, a, sizeof(a)));
		dl__rp_cell(rp, 3, "%s", dl__rp_points(sa, b, sizeof(b)));
		dl__rp_cell(rp, 4, "%s", dl__rp_change(sa - sb, d, sizeof(d)));
		dl__rp_row(rp, 5);
	}
	dl__rp_cell(rp, 1, "合计（%s）", dl__rp_points(dl_questionnaire_points(q), m, sizeof(m)));
	dl__rp_cell(rp, 2, "%s", dl__rp_points(dl_result_total(rb), a, sizeof(a)));
	dl__rp_cell(rp, 3, "%s", dl__rp_points(dl_result_total(ra), b, sizeof(b)));
	dl__rp_cell(rp, 4, "%s",
		    dl__rp_change(dl_result_total(ra) - dl_result_total(rb), d, sizeof(d)));
	dl__rp_row(rp, 5);

	dl__rp_heading(rp, 2, "（三）各评测项得分对比");
	dl__rp_table(rp, cols, 7);
	for (n = 0; n < dl_questionnaire_node_count(q); n++) {
		size_t qi = dl_questionnaire_node_question(q, n);
		dl_points sb = dl_result_node_score(rb, n), sa = dl_result_node_score(ra, n);
		if (qi == DL_NONE)
			continue;
		dl__textbuf_clear(&ob);
		dl__textbuf_clear(&oa);
		dl__rp_check(rp, dl__chosen(rb, qi, &ob));
		dl__rp_check(rp, dl__chosen(ra, qi, &oa));
		dl__rp_cell(rp, 0, "%s", dl_questionnaire_node_id(q, n));
		dl__rp_cell(rp, 1, "%s", dl_questionnaire_node_title(q, n));
		dl__rp_cell(rp, 2, "%s",
			    dl__rp_points(dl_questionnaire_node_points(q, n), m, sizeof(m)));
		dl__rp_cell(rp, 3, "%s", dl__rp_points(sb, a, sizeof(a)));
		dl__rp_cell(rp, 4, "%s", dl__rp_points(sa, b, sizeof(b)));
		dl__rp_cell(rp, 5, "%s", dl__rp_change(sa - sb, d, sizeof(d)));
		if (strcmp(dl__textbuf_get(&ob), dl__textbuf_get(&oa)) == 0)
			dl__rp_cell(rp, 6, "%s（未变）", dl__textbuf_get(&oa));
		else
			dl__rp_cell(rp, 6, "%s → %s", dl__textbuf_get(&ob), dl__textbuf_get(&oa));
		dl__rp_row(rp, 7);
	}
	dl__textbuf_free(&ob);
	dl__textbuf_free(&oa);
}

static void dl__scenario_changes(dl__rp *rp, const dl_comparison *c)
{
	static const dl__column cols[7] = {
	    {"编号", 0.7, DL__ALIGN_LEFT},     {"场景", 1.5, DL__ALIGN_LEFT},
	    {"所属类别", 2.4, DL__ALIGN_LEFT}, {"类型", 1.1, DL__ALIGN_LEFT},
	    {"改造前", 0.9, DL__ALIGN_CENTER}, {"改造后", 0.9, DL__ALIGN_CENTER},
	    {"变化", 0.8, DL__ALIGN_CENTER}};
	const dl_result *rb = dl_comparison_before(c), *ra = dl_comparison_after(c);
	const dl_questionnaire *q = dl_result_questionnaire(ra);
	size_t si, nsc = dl_questionnaire_scenario_count(q), up = 0, up_cons = 0, same = 0,
		   down = 0;

	if (nsc == 0)
		return;
	dl__rp_heading(rp, 1, "三、%s场景变化", dl_questionnaire_scenarios_title(q));
	dl__rp_table(rp, cols, 7);
	for (si = 0; si < nsc; si++) {
		int lb = dl_result_scenario_level(rb, si), la = dl_result_scenario_level(ra, si);
		int cons = dl_questionnaire_scenario_is_constraint(q, si);
		up += la > lb;
		up_cons += la > lb && cons;
		same += la == lb;
		down += la < lb;
		dl__rp_cell(rp, 0, "%s", dl_questionnaire_scenario_id(q, si));
		dl__rp_cell(rp, 1, "%s", dl_questionnaire_scenario_title(q, si));
		dl__rp_cell(
		    rp, 2, "%s",
		    dl_questionnaire_group_title(q, dl_questionnaire_scenario_group(q, si)));
		dl__rp_cell(rp, 3, "%s", cons ? "约束性 ★" : "指导性");
		dl__rp_cell(rp, 4, "%d 级", lb);
		dl__rp_cell(rp, 5, "%d 级", la);
		dl__rp_cell(rp, 6, "%s%d", la > lb ? "+" : "", la - lb);
		dl__rp_row(rp, 7);
	}
	dl__rp_para(rp, DL__PARA_INDENT,
		    "改造后等级提升的场景 %zu 个（其中约束性 %zu 个），持平 %zu 个，下降 %zu 个。",
		    up, up_cons, same, down);
}

static void dl__verdict(dl__rp *rp, const dl_comparison *c)
{
	static const dl__column cols[3] = {{"序号", 0.6, DL__ALIGN_CENTER},
					   {"验收条件及核查结果", 7.4, DL__ALIGN_LEFT},
					   {"结论", 1.0, DL__ALIGN_CENTER}};
	const dl_policy *p = dl_comparison_policy(c);
	size_t i, n = dl_comparison_reason_count(c);

	dl__rp_heading(rp, 1, "四、验收结论");
	dl__rp_heading(rp, 2, "验收结论：%s", dl_verdict_title(dl_comparison_verdict(c)));
	if (n > 0)
		dl__rp_table(rp, cols, 3);
	for (i = 0; i < n; i++) {
		dl__rp_cell(rp, 0, "%zu", i + 1);
		dl__rp_cell(rp, 1, "%s", dl__comparison_reason_text_zh(c, i));
		dl__rp_cell(rp, 2, "%s", dl_comparison_reason_met(c, i) ? "满足" : "不满足");
		dl__rp_row(rp, 3);
	}
	if (n == 0)
		dl__rp_para(rp, DL__PARA_INDENT, "验收政策未设验收条件。");
	else
		dl__rp_para(rp, DL__PARA_INDENT, "依据《%s》逐项核查验收条件，%s。",
			    dl_policy_title(p),
			    dl_comparison_passed(c) ? "全部满足，验收通过"
			    : dl_comparison_verdict(c) == DL_VERDICT_RECTIFY ? "未全部满足，限期整改"
						    : "未全部满足，验收不通过");
}

static void dl__investment(dl__rp *rp, const dl_comparison *c, const dl_sheet *after)
{
	static const dl__column in_cols[4] = {{"序号", 0.6, DL__ALIGN_CENTER},
					      {"投资类别", 2.4, DL__ALIGN_LEFT},
					      {"内容", 4.6, DL__ALIGN_LEFT},
					      {"金额（元）", 1.6, DL__ALIGN_RIGHT}};
	static const dl__column out_cols[5] = {{"序号", 0.6, DL__ALIGN_CENTER},
					       {"投资类别", 1.9, DL__ALIGN_LEFT},
					       {"内容", 2.4, DL__ALIGN_LEFT},
					       {"金额（元）", 1.5, DL__ALIGN_RIGHT},
					       {"不计入原因", 3.2, DL__ALIGN_LEFT}};
	const dl_policy *p = dl_comparison_policy(c);
	size_t i, k, ni = dl_sheet_investment_count(after), nx = dl_comparison_excluded_count(c),
		     shown = 0;
	int64_t total = dl_comparison_investment(c),
		eligible = dl_comparison_eligible_investment(c);
	char m[48];

	dl__rp_heading(rp, 1, "五、改造投资核定");
	if (ni == 0) {
		dl__rp_para(rp, DL__PARA_INDENT, "改造项目未列明投资。");
		return;
	}
	dl__rp_para(rp, DL__PARA_INDENT,
		    "改造项目共列明投资 %zu 项，合计 %s 元；按验收政策，计入可补助投资 %zu 项，"
		    "不计入 %zu 项。",
		    ni, dl__rp_money(total, m, sizeof(m)), ni - nx, nx);
	dl__rp_heading(rp, 2, "（一）计入可补助投资的项目");
	for (i = 0; i < ni; i++) {
		int excluded = 0;
		for (k = 0; k < nx; k++)
			excluded |= dl_comparison_excluded_item(c, k) == i;
		if (excluded)
			continue;
		if (shown++ == 0)
			dl__rp_table(rp, in_cols, 4);
		dl__rp_cell(rp, 0, "%zu", i + 1);
		dl__rp_cell(rp, 1, "%s",
			    dl__category_title(p, dl_sheet_investment_category(after, i)));
		dl__rp_cell(rp, 2, "%s", dl_sheet_investment_text(after, i));
		dl__rp_cell(rp, 3, "%s",
			    dl__rp_money(dl_sheet_investment_fen(after, i), m, sizeof(m)));
		dl__rp_row(rp, 4);
	}
	if (shown > 0) {
		dl__rp_cell(rp, 2, "小计（可补助投资）");
		dl__rp_cell(rp, 3, "%s", dl__rp_money(eligible, m, sizeof(m)));
		dl__rp_row(rp, 4);
	} else {
		dl__rp_para(rp, DL__PARA_INDENT, "无。");
	}
	dl__rp_heading(rp, 2, "（二）不计入可补助投资的项目");
	if (nx == 0) {
		dl__rp_para(rp, DL__PARA_INDENT, "无。");
	} else {
		dl__rp_table(rp, out_cols, 5);
		for (k = 0; k < nx; k++) {
			i = dl_comparison_excluded_item(c, k);
			dl__rp_cell(rp, 0, "%zu", i + 1);
			dl__rp_cell(rp, 1, "%s",
				    dl__category_title(p, dl_sheet_investment_category(after, i)));
			dl__rp_cell(rp, 2, "%s", dl_sheet_investment_text(after, i));
			dl__rp_cell(rp, 3, "%s",
				    dl__rp_money(dl_sheet_investment_fen(after, i), m, sizeof(m)));
			dl__rp_cell(rp, 4, "%s", dl__comparison_excluded_reason_zh(c, k));
			dl__rp_row(rp, 5);
		}
		dl__rp_cell(rp, 2, "小计（不计入）");
		dl__rp_cell(rp, 3, "%s", dl__rp_money(total - eligible, m, sizeof(m)));
		dl__rp_row(rp, 5);
	}
	dl__rp_pair(rp, "投资合计：", "%s 元", dl__rp_money(total, m, sizeof(m)));
	dl__rp_pair(rp, "核定可补助投资：", "%s 元", dl__rp_money(eligible, m, sizeof(m)));
	dl__rp_pair(rp, "不计入：", "%s 元（%zu 项）", dl__rp_money(total - eligible, m, sizeof(m)),
		    nx);
	dl__rp_key_values(rp, 0);
}

static void dl__subsidy(dl__rp *rp, const dl_comparison *c)
{
	static const dl__column cols[4] = {{"补助阶段", 1.4, DL__ALIGN_LEFT},
					   {"补助比例", 1.1, DL__ALIGN_RIGHT},
					   {"是否适用", 1.1, DL__ALIGN_CENTER},
					   {"核查情况", 5.6, DL__ALIGN_LEFT}};
	const dl_policy *p = dl_comparison_policy(c);
	size_t i, phase = dl_comparison_phase(c), n = dl_comparison_step_count(c);
	static const dl__column steps[3] = {{"步骤", 0.6, DL__ALIGN_CENTER},
					    {"计算过程", 6.8, DL__ALIGN_LEFT},
					    {"金额（元）", 1.6, DL__ALIGN_RIGHT}};
	char m[48], rate[32];

	dl__rp_heading(rp, 1, "六、补助核算");
	dl__rp_pair(rp, "补助阶段：", "%s",
		    phase != DL_NONE ? dl_policy_phase_title(p, phase) : "无");
	dl__rp_pair(rp, "阶段判定：", "%s", dl__rp_or_dash(dl__comparison_phase_reason_zh(c)));
	dl__rp_key_values(rp, 0);
	if (dl_comparison_passed(c) && dl_policy_phase_count(p) > 0) {
		dl__rp_table(rp, cols, 4);
		for (i = 0; i < dl_policy_phase_count(p); i++) {
			dl__rp_cell(rp, 0, "%s", dl_policy_phase_title(p, i));
			dl__rp_cell(rp, 1, "%s",
				    dl__rp_rate(dl_policy_phase_rate(p, i), rate, sizeof(rate)));
			dl__rp_cell(rp, 2, "%s",
				    dl_comparison_phase_matched(c, i) ? "适用" : "不适用");
			dl__rp_cell(rp, 3, "%s", dl__rp_or_dash(dl__comparison_phase_basis_zh(c, i)));
			dl__rp_row(rp, 4);
		}
	}
	if (!dl_comparison_subsidy_granted(c)) {
		dl__rp_heading(rp, 2, "补助金额：不予补助");
		dl__rp_para(rp, DL__PARA_INDENT, "%s",
			    dl__rp_or_dash(dl__comparison_no_subsidy_reason_zh(c)));
		return;
	}
	dl__rp_heading(rp, 2, "补助计算（%s）", dl_policy_phase_title(p, phase));
	dl__rp_table(rp, steps, 3);
	for (i = 0; i < n; i++) {
		dl__rp_cell(rp, 0, "%zu", i + 1);
		dl__rp_cell(rp, 1, "%s", dl__comparison_step_text_zh(c, i));
		dl__rp_cell(rp, 2, "%s",
			    dl__rp_money(dl_comparison_step_amount(c, i), m, sizeof(m)));
		dl__rp_row(rp, 3);
	}
	dl__rp_heading(rp, 2, "补助金额：%s 元",
		       dl__rp_money(dl_comparison_subsidy(c), m, sizeof(m)));
}

static void dl__opinion(dl__rp *rp, const dl_comparison *c, const dl_sheet *after, const char *date,
			const dl_report_options *use)
{
	const dl_result *rb = dl_comparison_before(c), *ra = dl_comparison_after(c);
	const dl_questionnaire *q = dl_result_questionnaire(ra);
	const dl_policy *p = dl_comparison_policy(c);
	size_t i, phase = dl_comparison_phase(c);
	char a[32], b[32], n1[32], n2[32], m1[48], m2[48];
	const char *failed = "";

	for (i = 0; i < dl_comparison_reason_count(c) && failed[0] == '\0'; i++)
		if (!dl_comparison_reason_met(c, i))
			failed = dl__comparison_reason_text_zh(c, i);
	dl__rp_heading(rp, 1, "八、评测机构意见");
	dl__rp_para(rp, DL__PARA_INDENT,
		    "经现场评测与资料核验，%s数字化改造后数字化水平为%s（总分 %s "
		    "分），改造前为%s（总分 %s 分）。",
		    dl_sheet_enterprise(after, DL_ENTERPRISE_NAME),
		    dl__rp_level_name(q, dl_result_level(ra), n2, sizeof(n2)),
		    dl__rp_points(dl_result_total(ra), b, sizeof(b)),
		    dl__rp_level_name(q, dl_result_level(rb), n1, sizeof(n1)),
		    dl__rp_points(dl_result_total(rb), a, sizeof(a)));
	if (dl_comparison_passed(c) && dl_comparison_subsidy_granted(c))
		dl__rp_para(rp, DL__PARA_INDENT,
			    "验收结论：通过。核定可补助投资 %s 元，按%s政策核定补助 %s 元。",
			    dl__rp_money(dl_comparison_eligible_investment(c), m1, sizeof(m1)),
			    dl_policy_phase_title(p, phase),
			    dl__rp_money(dl_comparison_subsidy(c), m2, sizeof(m2)));
	else if (dl_comparison_passed(c))
		dl__rp_para(rp, DL__PARA_INDENT, "验收结论：通过。不予补助：%s",
			    dl__rp_or_dash(dl__comparison_no_subsidy_reason_zh(c)));
	else
		dl__rp_para(rp, DL__PARA_INDENT, "验收结论：%s。%s，%s。",
			    dl_verdict_title(dl_comparison_verdict(c)), dl__rp_or_dash(failed),
			    dl_comparison_verdict(c) == DL_VERDICT_RECTIFY ? "整改复验通过前不予补助"
									   : "不予补助");
	/* the evaluation decided on, by its digest (and its version in the store it came from) */
	if (use->after_sha256 && use->after_version > 0)
		dl__rp_para(rp, DL__PARA_INDENT, "依据：评估表（存储版本第 %lld 版）SHA-256 %s。",
			    (long long)use->after_version, dl_sheet_digest(after));
	else if (use->after_sha256)
		dl__rp_para(rp, DL__PARA_INDENT, "依据：评估表 SHA-256 %s。", dl_sheet_digest(after));
	/* each sign-off block is kept whole on a page; only a block that does not fit moves */
	dl__rp_team_block(rp, after, "（一）评测机构", "评测机构（盖章）：", dl_sheet_organisation(after),
			  date);
	dl__rp_expert_block(rp, after, "（二）验收专家组", dl_sheet_organisation(after));
	dl__rp_approval_block(rp, after, "（三）编制、审核与批准");
	dl__rp_enterprise_block(rp, after, "（四）企业确认",
				"本企业已阅知本验收意见，确认改造项目、投资和佐证材料真实、完整，"
				"对验收结论无异议。");
	dl__rp_bureau_block(rp, after, "（五）区（县）主管部门审核", NULL);
}

/* Whether the digest a caller gives is the sheet's (hex digits in either case). */
static bool dl__same_digest(const char *given, const char *digest)
{
	size_t i;
	for (i = 0; digest[i]; i++) {
		char g = given[i];
		if (g >= 'A' && g <= 'F')
			g = (char)(g - 'A' + 'a');
		if (g != digest[i])
			return false;
	}
	return given[i] == '\0';
}

int dl_report_acceptance(unsigned char **out, size_t *len, const dl_comparison *c,
			 const dl_sheet *before, const dl_sheet *after,
			 const dl_report_options *opts, dl_error *err)
{
	dl_report_options use;
	dl__rp rp;
	char date[48], title[1024], number[160], keywords[1400];
	int rc;

	if ((rc = dl__rp_options(opts, &use, err)) < 0)
		return rc;
	if (dl_comparison_policy(c) == NULL)
		return dl__error_message(err, DL_EINVALID,
				   "the acceptance opinion needs a comparison made with a policy "
				   "(the verdict and the subsidy follow it)");
	if ((rc = dl_compare_check(before, after, NULL, err)) < 0)
		return rc;
	if (!dl_sheet_has_retrofit(after))
		return dl__error_message(err, DL_EINVALID,
				   "%s: the sheet after the retrofit holds no <retrofit> block",
				   dl_sheet_path(after));
	if (use.after_sha256 && !dl__same_digest(use.after_sha256, dl_sheet_digest(after)))
		return dl__error_message(err, DL_EMISMATCH,
				   _("%s: the evaluation's SHA-256 is %s, not the %s the acceptance was "
				     "asked to name"),
				   dl_sheet_path(after), dl_sheet_digest(after), use.after_sha256);

	dl__rp_date(dl_sheet_date(after), date, sizeof(date));
	dl__rp_report_number("YS", dl_sheet_enterprise(after, DL_ENTERPRISE_CREDIT_CODE),
			     dl_sheet_date(after), dl_sheet_retrofit_attempt(after), number,
			     sizeof(number));
	snprintf(title, sizeof(title), "%s 数字化改造验收意见",
		 dl_sheet_enterprise(after, DL_ENTERPRISE_NAME));
	snprintf(keywords, sizeof(keywords), "数字化改造验收意见, 中小企业数字化转型, %s, %s",
		 dl_policy_title(dl_comparison_policy(c)), number);
	dl__rp_init(&rp);
	dl__rp_info(&rp, title, dl_sheet_organisation(after), "中小企业数字化改造验收", keywords);
	dl__rp_header(&rp, "%s · 数字化改造验收意见 · %s",
		      dl_sheet_enterprise(after, DL_ENTERPRISE_NAME), number);
	dl__rp_footer(&rp, "改造前评测表 SHA-256：%s\n改造后评测表 SHA-256：%s",
		      dl_sheet_digest(before), dl_sheet_digest(after));
	dl__cover_page(&rp, c, after, date, number);
	dl__statement(&rp, c);
	dl__project(&rp, c, before, after);
	dl__side_by_side(&rp, c, before, after);
	dl__scores(&rp, c);
	dl__scenario_changes(&rp, c);
	dl__verdict(&rp, c);
	dl__acceptance_checks(&rp, c, after);
	dl__investment(&rp, c, after);
	dl__subsidy(&rp, c);
	dl__rp_heading(&rp, 1, "七、改造成效佐证");
	dl__rp_evidence(&rp, after, dl_result_questionnaire(dl_comparison_after(c)));
	dl__opinion(&rp, c, after, date, &use);
	rc = dl__rp_render(&rp, &use, title, out, len, err);
	dl__rp_free(&rp);
	return rc;
}
