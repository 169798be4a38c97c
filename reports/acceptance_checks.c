/*
 * acceptance_checks.c: the sections of the 验收意见 that the acceptance package adds (contract and
 * provider, materials checklist, financial check, on-site check, rectification and re-inspection).
 *
 * Pilot cities' acceptance notices ask for these before money is paid (docs/sources.md section 3):
 * the evaluator lists every required document with its status and who verified it, reconciles the
 * invoices and payments against the contract and the investment items, checks on site that each
 * retrofit item is real, running and in use, and names what must be rectified by when. Every
 * decision and sentence comes from the comparison (dl_compare with a policy); this file lays it out.
 */
#include "acceptance_checks.h"
#include "policy_model.h"

#include <stdio.h>
#include <string.h>

static const char *outcome_text(dl_outcome o)
{
	switch (o) {
	case DL_OUTCOME_OK: return "符合";
	case DL_OUTCOME_NOTE: return "说明";
	case DL_OUTCOME_RECTIFY: return "限期整改";
	case DL_OUTCOME_FAIL: return "不通过";
	}
	return "";
}

static const char *yes_no(bool v) { return v ? "是" : "否"; }

static void contract_and_provider(dl__rp *rp, const dl_sheet *after)
{
	char m[48], d[48];
	int64_t amount = dl_sheet_retrofit_contract_fen(after);

	dl__rp_heading(rp, 2, "（一）合同与服务商");
	dl__rp_pair(rp, "合同名称：", "%s", dl__rp_or_dash(dl_sheet_retrofit_contract(after)));
	dl__rp_pair(rp, "合同编号：", "%s",
		    dl_sheet_retrofit_contract_number(after)[0] ? dl_sheet_retrofit_contract_number(after)
							       : "未记录");
	dl__rp_pair(rp, "合同金额：", "%s%s", amount >= 0 ? dl__rp_money(amount, m, sizeof(m)) : "未记录",
		    amount >= 0 ? " 元" : "");
	dl__rp_pair(rp, "签订日期：", "%s",
		    dl_sheet_retrofit_contract_signed(after)[0]
			? dl__rp_date(dl_sheet_retrofit_contract_signed(after), d, sizeof(d))
			: "未记录");
	dl__rp_pair(rp, "服务商：", "%s", dl__rp_or_dash(dl_sheet_retrofit_provider(after)));
	dl__rp_pair(rp, "企业满意度评价：", "%s",
		    dl_sheet_retrofit_satisfaction(after)[0] ? dl_sheet_retrofit_satisfaction(after)
							    : "未记录");
	dl__rp_key_values(rp, 0);
	dl__rp_para(rp, DL__PARA_SMALL,
		    "本验收意见是企业资金拨付和数字化服务商绩效评价的依据；服务商满意度由企业在验收时评价。");
}

static void materials(dl__rp *rp, const dl_comparison *c)
{
	static const dl__column cols[6] = {{"序号", 0.6, DL__ALIGN_CENTER},
					   {"材料", 2.3, DL__ALIGN_LEFT},
					   {"状态", 0.9, DL__ALIGN_CENTER},
					   {"文号", 2.3, DL__ALIGN_LEFT},
					   {"核验人及日期", 2.1, DL__ALIGN_LEFT},
					   {"核查结果", 1.0, DL__ALIGN_CENTER}};
	size_t i, n = dl_comparison_material_count(c);
	char d[48];

	dl__rp_heading(rp, 2, "（二）验收材料核查");
	if (!dl_comparison_materials_recorded(c)) {
		dl__rp_para(rp, DL__PARA_INDENT, "评测表未记录验收材料清单，须人工核查。");
		return;
	}
	dl__rp_table(rp, cols, 6);
	for (i = 0; i < n; i++) {
		const char *by = dl__comparison_material_field_zh(c, i, DL_MATERIAL_VERIFIED_BY);
		const char *on = dl__comparison_material_field_zh(c, i, DL_MATERIAL_VERIFIED_ON);
		dl__rp_cell(rp, 0, "%zu", i + 1);
		dl__rp_cell(rp, 1, "%s%s",
			    dl__comparison_material_field_zh(c, i, DL_MATERIAL_TITLE),
			    dl_comparison_material_required(c, i) ? "" : "（非必备）");
		dl__rp_cell(rp, 2, "%s",
			    dl__comparison_material_field_zh(c, i, DL_MATERIAL_STATUS_TITLE));
		dl__rp_cell(
		    rp, 3, "%s",
		    dl__rp_or_dash(dl__comparison_material_field_zh(c, i, DL_MATERIAL_REFERENCE)));
		if (by[0] || on[0])
			dl__rp_cell(rp, 4, "%s %s", by, on[0] ? dl__rp_date(on, d, sizeof(d)) : "");
		else
			dl__rp_cell(rp, 4, "—");
		dl__rp_cell(rp, 5, "%s", outcome_text(dl_comparison_material_outcome(c, i)));
		dl__rp_row(rp, 6);
	}
}

/* Whether investment item i is of a category the policy excludes. */
static int excluded(const dl_comparison *c, size_t i)
{
	size_t k;
	for (k = 0; k < dl_comparison_excluded_count(c); k++)
		if (dl_comparison_excluded_item(c, k) == i)
			return 1;
	return 0;
}

static void finance(dl__rp *rp, const dl_comparison *c, const dl_sheet *after)
{
	static const dl__column cols[7] = {{"序号", 0.6, DL__ALIGN_CENTER},
					   {"投资项目", 2.6, DL__ALIGN_LEFT},
					   {"申报金额", 1.3, DL__ALIGN_RIGHT},
					   {"发票合计", 1.3, DL__ALIGN_RIGHT},
					   {"付款合计", 1.3, DL__ALIGN_RIGHT},
					   {"核定金额", 1.3, DL__ALIGN_RIGHT},
					   {"核查结果", 0.9, DL__ALIGN_CENTER}};
	size_t i, n = dl_sheet_investment_count(after);
	char m[48];
	int notes = 0;

	dl__rp_heading(rp, 2, "（三）财务核查");
	if (!dl_comparison_finance_recorded(c))
		dl__rp_para(rp, DL__PARA_INDENT, "评测表未记录发票与付款凭证，须人工核查；下表按申报金额列示。");
	if (n == 0) {
		dl__rp_para(rp, DL__PARA_INDENT, "改造项目未列明投资。");
		return;
	}
	dl__rp_table(rp, cols, 7);
	for (i = 0; i < n; i++) {
		int64_t inv = dl_comparison_finance_amount(c, i, DL_FINANCE_INVOICED);
		int64_t paid = dl_comparison_finance_amount(c, i, DL_FINANCE_PAID);
		dl__rp_cell(rp, 0, "%zu", i + 1);
		dl__rp_cell(rp, 1, "%s", dl_sheet_investment_text(after, i));
		dl__rp_cell(rp, 2, "%s", dl__rp_money(dl_sheet_investment_fen(after, i), m, sizeof(m)));
		dl__rp_cell(rp, 3, "%s", inv >= 0 ? dl__rp_money(inv, m, sizeof(m)) : "—");
		dl__rp_cell(rp, 4, "%s", paid >= 0 ? dl__rp_money(paid, m, sizeof(m)) : "—");
		dl__rp_cell(rp, 5, "%s",
			    dl__rp_money(dl_comparison_finance_amount(c, i, DL_FINANCE_COUNTED), m, sizeof(m)));
		dl__rp_cell(rp, 6, "%s",
			    excluded(c, i) ? "不计入" : outcome_text(dl_comparison_finance_outcome(c, i)));
		dl__rp_row(rp, 7);
		notes += dl__comparison_finance_finding_zh(c, i)[0] != '\0';
	}
	dl__rp_para(rp, DL__PARA_SMALL,
		    "金额单位：元。核定金额为申报金额（政策要求时为不含税金额）、发票合计与付款合计中的最小者；"
		    "“不计入”的项目属政策不计入的类别，见“五、改造投资核定”。");
	for (i = 0; notes && i < n; i++)
		if (dl__comparison_finance_finding_zh(c, i)[0])
			dl__rp_para(rp, DL__PARA_INDENT, "第 %zu 项“%s”：%s。", i + 1,
				    dl_sheet_investment_text(after, i),
				    dl__comparison_finance_finding_zh(c, i));
	for (i = 0; i < dl_comparison_reconciliation_count(c); i++)
		dl__rp_para(rp, DL__PARA_INDENT, "对账：%s。",
			    dl__comparison_reconciliation_zh(c, i));
	for (i = 0; i < dl_sheet_fund_count(after); i++)
		dl__rp_para(rp, DL__PARA_INDENT, "已获其他财政资金：%s %s 元（%s）。",
			    dl_sheet_fund_source(after, i), dl__rp_money(dl_sheet_fund_fen(after, i), m, sizeof(m)),
			    dl__rp_or_dash(dl_sheet_fund_text(after, i)));
}

static void onsite(dl__rp *rp, const dl_comparison *c, const dl_sheet *after)
{
	static const dl__column cols[7] = {{"序号", 0.6, DL__ALIGN_CENTER},
					   {"改造项目", 2.5, DL__ALIGN_LEFT},
					   {"真实", 0.6, DL__ALIGN_CENTER},
					   {"运行", 0.6, DL__ALIGN_CENTER},
					   {"使用", 0.6, DL__ALIGN_CENTER},
					   {"评测人员说明", 3.2, DL__ALIGN_LEFT},
					   {"核查结果", 1.1, DL__ALIGN_CENTER}};
	size_t i, k, n = dl_sheet_investment_count(after), shown = 0;

	dl__rp_heading(rp, 2, "（四）现场核查");
	if (!dl_comparison_onsite_recorded(c)) {
		dl__rp_para(rp, DL__PARA_INDENT, "评测表未记录现场核查结果，须人工核查。");
		return;
	}
	dl__rp_para(rp, DL__PARA_INDENT,
		    "逐项核查改造项目是否真实存在、是否正常运行、是否投入使用并已产生实际经济效益。");
	for (i = 0; i < n; i++) {
		k = dl_comparison_onsite_check(c, i);
		if (k == DL_NONE && !dl__comparison_onsite_finding_zh(c, i)[0])
			continue;
		if (shown++ == 0)
			dl__rp_table(rp, cols, 7);
		dl__rp_cell(rp, 0, "%zu", i + 1);
		dl__rp_cell(rp, 1, "%s", dl_sheet_investment_text(after, i));
		if (k != DL_NONE) {
			dl__rp_cell(rp, 2, "%s", yes_no(dl_sheet_onsite_real(after, k)));
			dl__rp_cell(rp, 3, "%s", yes_no(dl_sheet_onsite_running(after, k)));
			dl__rp_cell(rp, 4, "%s", yes_no(dl_sheet_onsite_in_use(after, k)));
			dl__rp_cell(rp, 5, "%s", dl__rp_or_dash(dl_sheet_onsite_note(after, k)));
		} else {
			dl__rp_cell(rp, 2, "—");
			dl__rp_cell(rp, 3, "—");
			dl__rp_cell(rp, 4, "—");
			dl__rp_cell(rp, 5, "%s", dl__comparison_onsite_finding_zh(c, i));
		}
		dl__rp_cell(rp, 6, "%s", outcome_text(dl_comparison_onsite_outcome(c, i)));
		dl__rp_row(rp, 7);
	}
	if (shown == 0)
		dl__rp_para(rp, DL__PARA_INDENT, "无可核查的改造项目。");
}

static void rectification(dl__rp *rp, const dl_comparison *c)
{
	static const dl__column cols[3] = {{"序号", 0.6, DL__ALIGN_CENTER},
					   {"问题及整改要求", 7.4, DL__ALIGN_LEFT},
					   {"处理", 1.2, DL__ALIGN_CENTER}};
	dl_verdict v = dl_comparison_verdict(c);
	size_t i, n = dl_comparison_finding_count(c);
	char d[48];

	if (v == DL_VERDICT_PASS)
		return;
	dl__rp_heading(rp, 2, "（五）%s", v == DL_VERDICT_RECTIFY ? "整改事项与复验" : "不通过原因与复验");
	if (n > 0)
		dl__rp_table(rp, cols, 3);
	for (i = 0; i < n; i++) {
		dl__rp_cell(rp, 0, "%zu", i + 1);
		dl__rp_cell(rp, 1, "%s", dl__comparison_finding_text_zh(c, i));
		dl__rp_cell(rp, 2, "%s", outcome_text(dl_comparison_finding_outcome(c, i)));
		dl__rp_row(rp, 3);
	}
	if (dl_comparison_deadline(c)[0])
		dl__rp_pair(rp, "整改期限：", "%s 前",
			    dl__rp_date(dl_comparison_deadline(c), d, sizeof(d)));
	dl__rp_pair(rp, "复验路径：", "%s", dl__rp_or_dash(dl__comparison_reinspection_zh(c)));
	dl__rp_pair(rp, "复验通过后：", "%s", dl__rp_or_dash(dl__comparison_later_pass_zh(c)));
	dl__rp_key_values(rp, 0);
}

void dl__acceptance_checks(dl__rp *rp, const dl_comparison *c, const dl_sheet *after)
{
	contract_and_provider(rp, after);
	materials(rp, c);
	finance(rp, c, after);
	onsite(rp, c, after);
	rectification(rp, c);
}
