/*
 * diagnosis_sections.c: the sections of the diagnostic report that show the diagnosis data, as
 * diagnostic.c calls them (diagnosis_sections.h).
 *
 * The words are those of the text output (engine/output/write_diagnosis.c) and of the library's
 * findings and recommendation, so the report, `digilevel score` and the JSON say the same thing.
 * The 问题、需求和场景清单 says in the questionnaire's own words what the target level requires of
 * each scenario, and for each question what the plan asks for. Every cost and duration of the
 * recommendation is the catalogue's indicative range and is printed as 参考区间（估算）.
 */
#include "diagnosis_sections.h"
#include "texts_zh.h"

#include "catalogue_model.h"

#include <stdio.h>
#include <string.h>

static const char *const ORDINALS[] = {"（一）", "（二）", "（三）", "（四）", "（五）",
				       "（六）", "（七）", "（八）", "（九）", "（十）"};

static const char *ordinal(int n) { return n >= 1 && n <= 10 ? ORDINALS[n - 1] : ""; }

/* 万元 for print: "1,790" is not used (amounts are small); "12.5". */
static const char *wan(int64_t fen, char *buf, size_t size) { return dl_wan_format(fen, buf, size); }

void dl__diag_profile_sections(dl__rp *rp, const dl_sheet *s, int first)
{
	static const dl__column years[5] = {{"年度", 1.0, DL__ALIGN_CENTER},
					    {"营业收入（万元）", 1.8, DL__ALIGN_RIGHT},
					    {"利润总额（万元）", 1.8, DL__ALIGN_RIGHT},
					    {"资产总额（万元）", 1.8, DL__ALIGN_RIGHT},
					    {"研发投入（万元）", 1.8, DL__ALIGN_RIGHT}};
	static const dl__column inventory[7] = {
	    {"序号", 0.5, DL__ALIGN_CENTER}, {"类别", 0.6, DL__ALIGN_CENTER},
	    {"名称", 2.2, DL__ALIGN_LEFT},   {"供应商", 1.9, DL__ALIGN_LEFT},
	    {"数量", 0.6, DL__ALIGN_RIGHT},  {"部署方式", 0.9, DL__ALIGN_CENTER},
	    {"支撑场景", 1.3, DL__ALIGN_LEFT}};
	char a[32];
	int n = first;

	if (!dl_sheet_has_profile(s))
		return;
	/* The profile starts a page: what is above it (the questionnaire's path) varies in length
	 * with where it was found, and must not move these tables from one page to the next. */
	dl__rp_page_break(rp);
	if (dl_sheet_operation_count(s)) {
		dl__rp_heading(rp, 2, "%s经营情况", ordinal(n++));
		dl__rp_table(rp, years, 5);
		for (size_t i = 0; i < dl_sheet_operation_count(s); i++) {
			dl__rp_cell(rp, 0, "%d", dl_sheet_operation_year(s, i));
			for (int f = 0; f < DL_OPERATION_FIELDS; f++)
				dl__rp_cell(rp, (size_t)f + 1, "%s",
					    dl_sheet_operation_has(s, i, (dl_operation_field)f)
						? wan(dl_sheet_operation_fen(s, i, (dl_operation_field)f), a, sizeof(a))
						: "—");
			dl__rp_row(rp, 5);
		}
	}
	if (dl_sheet_process(s)[0] || dl_sheet_enterprise(s, DL_ENTERPRISE_MAIN_PRODUCTS)[0]) {
		dl__rp_heading(rp, 2, "%s主要产品与工艺流程", ordinal(n++));
		dl__rp_pair(rp, "主要产品：", "%s", dl__rp_or_dash(dl_sheet_enterprise(s, DL_ENTERPRISE_MAIN_PRODUCTS)));
		dl__rp_pair(rp, "工艺流程：", "%s", dl__rp_or_dash(dl_sheet_process(s)));
		dl__rp_key_values(rp, 0);
	}
	if (dl_sheet_certification_count(s)) {
		dl__textbuf list = {NULL, 0, 0};
		for (size_t i = 0; i < dl_sheet_certification_count(s); i++)
			dl__rp_check(rp, dl__textbuf_addf(&list, "%s%s", i ? "；" : "", dl_sheet_certification(s, i)));
		dl__rp_heading(rp, 2, "%s资质认证", ordinal(n++));
		dl__rp_para(rp, DL__PARA_INDENT, "%s。", dl__textbuf_get(&list));
		dl__textbuf_free(&list);
	}
	if (dl_sheet_inventory_count(s)) {
		size_t devices = 0, cloud = 0;
		for (size_t i = 0; i < dl_sheet_inventory_count(s); i++) {
			devices += dl_sheet_inventory_kind(s, i) == DL_INVENTORY_DEVICE;
			cloud += dl_sheet_inventory_deployment(s, i) == DL_DEPLOYMENT_CLOUD;
		}
		dl__rp_heading(rp, 2, "%s主要设备与工业软件", ordinal(n++));
		dl__rp_para(rp, DL__PARA_INDENT,
			    "现场登记设备 %zu 项、工业软件与信息系统 %zu 项，其中云部署 %zu 项。", devices,
			    dl_sheet_inventory_count(s) - devices, cloud);
		dl__rp_table(rp, inventory, 7);
		for (size_t i = 0; i < dl_sheet_inventory_count(s); i++) {
			dl_deployment d = dl_sheet_inventory_deployment(s, i);
			dl__rp_cell(rp, 0, "%zu", i + 1);
			dl__rp_cell(rp, 1, "%s", dl_sheet_inventory_kind(s, i) == DL_INVENTORY_SOFTWARE ? "软件" : "设备");
			dl__rp_cell(rp, 2, "%s", dl_sheet_inventory_name(s, i));
			dl__rp_cell(rp, 3, "%s", dl__rp_or_dash(dl_sheet_inventory_vendor(s, i)));
			dl__rp_cell(rp, 4, "%ld", dl_sheet_inventory_number(s, i));
			dl__rp_cell(rp, 5, "%s", d == DL_DEPLOYMENT_LOCAL ? "本地" : d == DL_DEPLOYMENT_CLOUD ? "云端" : "—");
			dl__rp_cell(rp, 6, "%s", dl__rp_or_dash(dl_sheet_inventory_scenarios(s, i)));
			dl__rp_row(rp, 7);
		}
	}
	if (dl_sheet_has_survey(s)) {
		char from[48], to[48];
		dl__rp_heading(rp, 2, "%s调研方式与时间", ordinal(n++));
		dl__rp_pair(rp, "调研时间：", "%s至%s", dl__rp_date(dl_sheet_survey_from(s), from, sizeof(from)),
			    dl__rp_date(dl_sheet_survey_to(s), to, sizeof(to)));
		dl__rp_pair(rp, "调研方式：", "%s", dl_sheet_survey_method(s));
		dl__rp_pair(rp, "调研人员：", "%s", dl_sheet_assessor_count(s) ? "见“诊断人员”" : "—");
		dl__rp_key_values(rp, 0);
	}
}

/* The chosen options of question qi, "B 文本" one per line ("未作答" when none). */
static void chosen(dl__rp *rp, const dl_result *r, size_t qi, dl__textbuf *out)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	dl__textbuf_clear(out);
	for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++)
		if (dl_result_option_chosen(r, qi, oi))
			dl__rp_check(rp, dl__textbuf_addf(out, "%s%s %s", out->len ? "\n" : "",
							 dl_questionnaire_option_id(q, qi, oi),
							 dl_questionnaire_option_text(q, qi, oi)));
	if (!out->len)
		dl__rp_check(rp, dl__textbuf_add(out, "未作答"));
}

void dl__diag_problems(dl__rp *rp, const dl_result *r, const dl_plan *plan, int target)
{
	static const dl__column cols[5] = {{"序号", 0.5, DL__ALIGN_CENTER},
					   {"编号", 0.7, DL__ALIGN_LEFT},
					   {"场景 / 评测项", 1.5, DL__ALIGN_LEFT},
					   {"现状", 2.8, DL__ALIGN_LEFT},
					   {"要求（目标等级）", 3.6, DL__ALIGN_LEFT}};
	const dl_questionnaire *q = dl_result_questionnaire(r);
	dl_findings *f = NULL;
	dl_error err;
	dl__textbuf now = {NULL, 0, 0};
	char name[32], gain[32];
	size_t count = 0;
	int aim = plan ? dl_plan_target(plan) : -1, gate = -1;

	dl__rp_heading(rp, 2, "（一）主要问题");
	if (dl_findings_make(&f, r, target, &err) < 0) {
		dl__rp_check(rp, DL_ENOMEM);
		return;
	}
	if (dl_findings_count(f) == 0)
		dl__rp_para(rp, DL__PARA_INDENT, "未发现明显薄弱环节。");
	for (size_t i = 0; i < dl_findings_count(f); i++)
		dl__rp_para(rp, DL__PARA_INDENT, "%zu. %s", i + 1, dl__findings_text_zh(f, i));
	dl_findings_free(f);
	if (!plan || dl_plan_step_count(plan) == 0)
		return;

	size_t gi = dl_questionnaire_grade_find(q, aim);
	if (gi != DL_NONE && dl_questionnaire_grade_has_gate(q, gi))
		gate = dl_questionnaire_grade_gate_level(q, gi);
	dl__rp_heading(rp, 2, "需求和场景清单（目标：%s）", dl__rp_level_name(q, aim, name, sizeof(name)));
	dl__rp_table(rp, cols, 5);
	for (size_t si = 0; gate > 0 && si < dl_questionnaire_scenario_count(q); si++) {
		int level = dl_result_scenario_level(r, si);
		const char *want = dl_questionnaire_scenario_level_text(q, si, gate);
		if (level >= gate)
			continue;
		dl__rp_cell(rp, 0, "%zu", ++count);
		dl__rp_cell(rp, 1, "%s", dl_questionnaire_scenario_id(q, si));
		dl__rp_cell(rp, 2, "%s%s", dl_questionnaire_scenario_title(q, si),
			    dl_questionnaire_scenario_is_constraint(q, si) ? "（约束性 ★）" : "");
		if (level > 0)
			dl__rp_cell(rp, 3, "%d 级：%s", level,
				    dl__rp_or_dash(dl_questionnaire_scenario_level_text(q, si, level)));
		else
			dl__rp_cell(rp, 3, "0 级：未开展");
		dl__rp_cell(rp, 4, "%d 级：%s", gate, dl__rp_or_dash(want));
		dl__rp_row(rp, 5);
	}
	for (size_t i = 0; i < dl_plan_step_count(plan); i++) {
		size_t qi = dl_plan_step_question(plan, i), to = dl_plan_step_option_to(plan, i);
		if (dl_plan_step_kind(plan, i) == DL_STEP_RAISE_SCENARIO)
			continue;
		chosen(rp, r, qi, &now);
		dl__rp_cell(rp, 0, "%zu", ++count);
		dl__rp_cell(rp, 1, "%s", dl_questionnaire_question_id(q, qi));
		dl__rp_cell(rp, 2, "%s", dl_questionnaire_question_text(q, qi));
		dl__rp_cell(rp, 3, "%s", dl__textbuf_get(&now));
		dl__rp_cell(rp, 4, "%s%s %s（+%s 分）%s",
			    dl_plan_step_kind(plan, i) == DL_STEP_ADD_OPTION ? "增选 " : "达到 ",
			    dl_questionnaire_option_id(q, qi, to), dl_questionnaire_option_text(q, qi, to),
			    dl__rp_points(dl_plan_step_gain(plan, i), gain, sizeof(gain)),
			    dl_plan_step_is_outcome(plan, i) ? "；预期成效，改造后实测，不作为改造内容" : "");
		dl__rp_row(rp, 5);
	}
	dl__textbuf_free(&now);
	dl__rp_para(rp, DL__PARA_SMALL,
		    "注：“要求”栏摘自评测指标中该场景目标等级的描述；评测项列出改进计划所需的选项。");
}

int dl__diag_retrofit(dl__rp *rp, const dl_result *r, const dl_sheet *s, const dl_plan *plan,
		      const dl_catalogue *cat, const dl_policy *policy, dl_error *err)
{
	static const dl__column cols[6] = {{"序号", 0.5, DL__ALIGN_CENTER},
					   {"推荐方案", 3.0, DL__ALIGN_LEFT},
					   {"对应改进步骤", 1.2, DL__ALIGN_LEFT},
					   {"参考费用（万元）", 1.4, DL__ALIGN_RIGHT},
					   {"周期（周）", 1.0, DL__ALIGN_RIGHT},
					   {"可补助性", 1.0, DL__ALIGN_CENTER}};
	static const char *const SUBSIDY[] = {"通常可补助", "视政策", "通常不补助"};
	const dl_questionnaire *q = dl_result_questionnaire(r);
	const dl_catalogue *found = NULL;
	dl_retrofit *rt = NULL;
	dl__textbuf text = {NULL, 0, 0};
	char a[32], b[32], name[32], d[48];
	int rc;

	if (!plan || dl_plan_step_count(plan) == 0)
		return 0;
	dl__rp_heading(rp, 2, "（四）推荐改造方案（参考）");
	if (!cat) {
		rc = dl__catalogue_beside(&found, q, err);
		if (rc == DL_ENOTFOUND) {
			dl__rp_para(rp, DL__PARA_INDENT,
				    "问卷文件所在目录中没有适用于本评测指标的方案目录，本报告不给出推荐方案。");
			return 0;
		}
		if (rc < 0)
			return rc;
		cat = found;
	}
	if ((rc = dl_retrofit_recommend(&rt, r, s, plan, cat, policy, err)) < 0)
		return rc;
	dl__rp_para(rp, DL__PARA_INDENT,
		    "按《%s》，下列方案覆盖改进计划中可由企业实施的步骤；费用与周期为参考区间（估算），"
		    "非报价，以服务商报价与合同为准。",
		    dl_catalogue_title(cat));
	if (dl_retrofit_solution_count(rt))
		dl__rp_table(rp, cols, 6);
	for (size_t k = 0; k < dl_retrofit_solution_count(rt); k++) {
		size_t si = dl_retrofit_solution(rt, k);
		dl__textbuf_clear(&text);
		for (size_t j = 0; j < dl_retrofit_solution_step_count(rt, k); j++)
			dl__rp_check(rp, dl__textbuf_addf(&text, "%s%zu", j ? "、" : "",
							 dl_retrofit_solution_step(rt, k, j) + 1));
		dl__rp_cell(rp, 0, "%zu", k + 1);
		dl__rp_cell(rp, 1, "%s\n%s", dl_catalogue_solution_name(cat, si),
			    dl_catalogue_solution_description(cat, si));
		dl__rp_cell(rp, 2, "%s", dl__textbuf_get(&text));
		dl__rp_cell(rp, 3, "%s–%s", wan(dl_catalogue_solution_cost_low(cat, si), a, sizeof(a)),
			    wan(dl_catalogue_solution_cost_high(cat, si), b, sizeof(b)));
		dl__rp_cell(rp, 4, "%d–%d", dl_catalogue_solution_weeks_low(cat, si),
			    dl_catalogue_solution_weeks_high(cat, si));
		dl__rp_cell(rp, 5, "%s", SUBSIDY[dl_catalogue_solution_subsidy(cat, si)]);
		dl__rp_row(rp, 6);
	}
	if (dl_retrofit_uncovered_count(rt)) {
		dl__textbuf_clear(&text);
		for (size_t i = 0; i < dl_retrofit_uncovered_count(rt); i++)
			dl__rp_check(rp, dl__textbuf_addf(&text, "%s%zu", i ? "、" : "",
							 dl_retrofit_uncovered_step(rt, i) + 1));
		dl__rp_para(rp, DL__PARA_INDENT,
			    "改进步骤 %s 需多个系统集成协同，目录中无单一方案可以达到，由综合集成服务商在改造方案中确定。",
			    dl__textbuf_get(&text));
	}
	dl__rp_pair(rp, "估算投资：", "%s–%s 万元（参考区间，估算）", wan(dl_retrofit_cost_low(rt), a, sizeof(a)),
		    wan(dl_retrofit_cost_high(rt), b, sizeof(b)));
	if (dl_retrofit_revenue_share(rt) >= 0)
		dl__rp_pair(rp, "占营业收入：", "上限约 %lld.%02lld%%%s", (long long)(dl_retrofit_revenue_share(rt) / 100),
			    (long long)(dl_retrofit_revenue_share(rt) % 100),
			    dl_retrofit_revenue_share(rt) > 1000 ? "，超过 10%，须说明资金安排" : "");
	dl__rp_pair(rp, "实施周期：", "各方案并行实施 %d–%d 周%s%s", dl_retrofit_weeks_low(rt),
		    dl_retrofit_weeks_high(rt), dl_retrofit_completion(rt)[0] ? "，最迟约" : "",
		    dl_retrofit_completion(rt)[0] ? dl__rp_date(dl_retrofit_completion(rt), d, sizeof(d)) : "");
	dl__rp_pair(rp, "预计等级：", "%s（改进步骤全部完成后的答卷重新评分，总分 %s 分）",
		    dl__rp_level_name(q, dl_retrofit_expected_level(rt), name, sizeof(name)),
		    dl__rp_points(dl_retrofit_expected_total(rt), a, sizeof(a)));
	if (!dl_retrofit_has_policy(rt))
		dl__rp_pair(rp, "预计补助：", "未指定补助政策，不作推算");
	else if (dl_retrofit_subsidy_granted(rt))
		dl__rp_pair(rp, "预计补助：", "%s–%s 元（可补助投资 %s–%s 元；%s）",
			    dl__rp_money(dl_retrofit_subsidy_low(rt), a, sizeof(a)),
			    dl__rp_money(dl_retrofit_subsidy_high(rt), b, sizeof(b)),
			    dl__rp_money(dl_retrofit_eligible_low(rt), name, sizeof(name)),
			    dl__rp_money(dl_retrofit_eligible_high(rt), d, sizeof(d)),
			    dl__retrofit_subsidy_note_zh(rt));
	else
		dl__rp_pair(rp, "预计补助：", "%s",
			    dl__rp_or_dash(dl__retrofit_subsidy_note_zh(rt)));
	dl__rp_key_values(rp, 0);
	if (dl_retrofit_provider_count(rt)) {
		dl__textbuf_clear(&text);
		for (size_t i = 0; i < dl_retrofit_provider_count(rt); i++)
			dl__rp_check(rp, dl__textbuf_addf(&text, "%s%s", i ? "；" : "",
							 dl_catalogue_provider_name(cat, dl_retrofit_provider(rt, i))));
		dl__rp_para(rp, DL__PARA_INDENT, "可对接服务商（供需适配库）：%s。", dl__textbuf_get(&text));
	}
	dl__rp_para(rp, DL__PARA_SMALL,
		    "注：费用、周期取自《%s》，为参考区间（估算），来源与置信度见目录；预计等级按改进步骤"
		    "全部完成后的答卷重新评分得出，成效类指标除改进计划列为预期成效者外按现状计。",
		    dl_catalogue_title(cat));
	dl__textbuf_free(&text);
	dl_retrofit_free(rt);
	return 0;
}
