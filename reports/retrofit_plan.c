/*
 * retrofit_plan.c: the retrofit plan (数字化改造方案): what the integrator issues after the diagnosis, and
 * what the district's 全过程监督服务单位 reviews together with the diagnosis and the contract. The
 * district's plan asks it to "明确改造目标、改造项目投资金额、项目建设内容".
 *
 * The retrofit is the engine's (digilevel/retrofit.h): the solutions the sheet's <retrofit-plan>
 * names (dl_retrofit_from_sheet) or, without one, the recommended retrofit of the diagnosis
 * (dl_retrofit_recommend), and the document says which. Nothing is estimated here: the expected
 * level is the expected sheet scored, the expected subsidy the policy's own computation, the
 * amounts the sheet's (exact) or the catalogue's ranges (参考区间（估算）).
 *
 * Read top-down: the cover; 声明 and 目录; the basis (enterprise, diagnosis); the target (level and
 * the scenarios and questions to reach it); the construction items (what, what each lifts, the
 * amount); the investment and the expected subsidy; the schedule; the expected result, scored, and
 * what is still missing if it falls short; the providers of the 供需适配库; the responsibilities;
 * the sign-off blocks.
 */
#include "report_common.h"
#include "texts_zh.h"

#include "catalogue_model.h"

#include "digilevel/retrofit.h"

#include <stdio.h>
#include <string.h>

static const char *const SUBSIDY[] = {"通常可补助", "视政策", "通常不补助"};

/* What the retrofit is made of, for the document. */
typedef struct plan_doc {
	const dl_result *r;
	const dl_sheet *s;
	const dl_questionnaire *q;
	const dl_catalogue *cat;
	const dl_plan *plan; /* to the target; NULL at the top level */
	const dl_retrofit *rt; /* NULL when there is nothing to do */
	int target;            /* -1 at the top level */
	int sections;          /* level-1 headings so far */
	const char *integrator;
	char date[48], number[160], diagnosis[160];
} plan_doc;

static const char *const NUMBERS[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

/* The next level-1 heading, numbered in order (the sections without content are left out). */
static void section(dl__rp *rp, plan_doc *d, const char *title)
{
	dl__rp_heading(rp, 1, "%s、%s", NUMBERS[d->sections++ % 10], title);
}

/* The organisation that writes the plan: the plan's integrator, else the diagnosing organisation. */
static const char *integrator_of(const dl_sheet *s)
{
	if (dl_sheet_plan_integrator(s)[0])
		return dl_sheet_plan_integrator(s);
	if (dl_sheet_organisation(s)[0])
		return dl_sheet_organisation(s);
	return dl_sheet_enterprise(s, DL_ENTERPRISE_NAME);
}

/* "Q05 增选 C「…」", "Q03 B → D「…」" or "S06 场景 2 级 → 3 级": one change, as one line. */
static int change_line(const dl_questionnaire *q, dl_step_kind kind, size_t qi, size_t from, size_t to,
		       size_t si, int lfrom, int lto, dl__textbuf *out)
{
	const char *sep = out->len ? "\n" : "";
	if (kind == DL_STEP_RAISE_SCENARIO)
		return dl__textbuf_addf(out, "%s%s %s%s：%d 级 → %d 级", sep, dl_questionnaire_scenario_id(q, si),
					dl_questionnaire_scenario_title(q, si),
					dl_questionnaire_scenario_is_constraint(q, si) ? "（约束性 ★）" : "", lfrom,
					lto);
	if (kind == DL_STEP_ADD_OPTION)
		return dl__textbuf_addf(out, "%s%s 增选 %s「%s」", sep, dl_questionnaire_question_id(q, qi),
					dl_questionnaire_option_id(q, qi, to),
					dl_questionnaire_option_text(q, qi, to));
	if (from != DL_NONE)
		return dl__textbuf_addf(out, "%s%s %s → %s「%s」", sep, dl_questionnaire_question_id(q, qi),
					dl_questionnaire_option_id(q, qi, from), dl_questionnaire_option_id(q, qi, to),
					dl_questionnaire_option_text(q, qi, to));
	return dl__textbuf_addf(out, "%s%s 选 %s「%s」", sep, dl_questionnaire_question_id(q, qi),
				dl_questionnaire_option_id(q, qi, to), dl_questionnaire_option_text(q, qi, to));
}

/* The steps of plan p as a table: 序号 | 编号 | 场景 / 评测项 | 现状 | 目标. */
static void steps_table(dl__rp *rp, const dl_questionnaire *q, const dl_plan *p)
{
	static const dl__column cols[5] = {{"序号", 0.6, DL__ALIGN_CENTER},
					   {"编号", 0.7, DL__ALIGN_LEFT},
					   {"场景 / 评测项", 3.4, DL__ALIGN_LEFT},
					   {"现状", 2.2, DL__ALIGN_LEFT},
					   {"目标", 2.6, DL__ALIGN_LEFT}};
	dl__rp_table(rp, cols, 5);
	for (size_t i = 0; i < dl_plan_step_count(p); i++) {
		dl__rp_cell(rp, 0, "%zu", i + 1);
		if (dl_plan_step_kind(p, i) == DL_STEP_RAISE_SCENARIO) {
			size_t si = dl_plan_step_scenario(p, i);
			dl__rp_cell(rp, 1, "%s", dl_questionnaire_scenario_id(q, si));
			dl__rp_cell(rp, 2, "%s%s", dl_questionnaire_scenario_title(q, si),
				    dl_questionnaire_scenario_is_constraint(q, si) ? "（约束性 ★）" : "");
			dl__rp_cell(rp, 3, "%d 级", dl_plan_step_level_from(p, i));
			dl__rp_cell(rp, 4, "%d 级", dl_plan_step_level_to(p, i));
		} else {
			size_t qi = dl_plan_step_question(p, i), from = dl_plan_step_option_from(p, i),
			       to = dl_plan_step_option_to(p, i);
			dl__rp_cell(rp, 1, "%s", dl_questionnaire_question_id(q, qi));
			dl__rp_cell(rp, 2, "%s", dl_questionnaire_question_text(q, qi));
			if (from != DL_NONE)
				dl__rp_cell(rp, 3, "%s %s", dl_questionnaire_option_id(q, qi, from),
					    dl_questionnaire_option_text(q, qi, from));
			else if (dl_plan_step_kind(p, i) == DL_STEP_ADD_OPTION)
				dl__rp_cell(rp, 3, "未选该项");
			else
				dl__rp_cell(rp, 3, "未作答");
			dl__rp_cell(rp, 4, "%s%s %s%s",
				    dl_plan_step_kind(p, i) == DL_STEP_ADD_OPTION ? "增选 " : "",
				    dl_questionnaire_option_id(q, qi, to), dl_questionnaire_option_text(q, qi, to),
				    dl_plan_step_is_outcome(p, i) ? "（预期成效，须实测，不作为建设内容）" : "");
		}
		dl__rp_row(rp, 5);
	}
}

static void cover_page(dl__rp *rp, const plan_doc *d)
{
	dl__textbuf subtitle = {NULL, 0, 0};
	char name[32];

	dl__rp_check(rp, dl__textbuf_addf(&subtitle, "依据《%s》", dl_questionnaire_title(d->q)));
	dl__rp_pair(rp, "方案编号：", "%s", d->number);
	if (dl_sheet_plan_number(d->s)[0])
		dl__rp_pair(rp, "服务商编号：", "%s", dl_sheet_plan_number(d->s));
	dl__rp_pair(rp, "诊断报告编号：", "%s", d->diagnosis);
	dl__rp_enterprise_pair(rp, d->s, DL_ENTERPRISE_NAME);
	dl__rp_enterprise_pair(rp, d->s, DL_ENTERPRISE_CREDIT_CODE);
	dl__rp_enterprise_pair(rp, d->s, DL_ENTERPRISE_INDUSTRY);
	dl__rp_pair(rp, "改造目标：", "%s", d->target >= 0 ? dl__rp_level_name(d->q, d->target, name, sizeof(name)) : "—");
	dl__rp_pair(rp, "编制单位：", "%s", dl__rp_or_dash(d->integrator));
	dl__rp_cover(rp, dl_result_provisional(d->r) ? "数字化改造方案（草稿）" : "数字化改造方案",
		     dl__textbuf_get(&subtitle), d->date);
	dl__textbuf_free(&subtitle);
}

static void statement(dl__rp *rp, const plan_doc *d)
{
	char c[5][700];
	const char *clauses[5];
	int chosen = d->rt && dl_retrofit_is_chosen(d->rt);

	snprintf(c[0], sizeof(c[0]),
		 "本方案依据数字化诊断报告（编号 %s）、《%s》和《%s》编制，明确改造目标、改造项目投资金额和"
		 "项目建设内容。",
		 d->diagnosis, dl_questionnaire_title(d->q), dl_catalogue_title(d->cat));
	snprintf(c[1], sizeof(c[1]), "%s",
		 chosen ? "建设内容由服务商选定；注明金额的项目按服务商确定的金额列示，未注明金额的项目按方案"
			  "目录的参考区间（估算）列示，均以合同为准。"
			: "本方案按诊断推荐的改造方案编制，服务商未另行选定解决方案；投资金额为方案目录的参考区间"
			  "（估算），非报价，以服务商报价与合同为准。");
	snprintf(c[2], sizeof(c[2]), "%s",
		 "预计等级由建设内容全部完成后的评测表按评测指标重新评分得出；预计补助按所选补助政策、以验收时"
		 "相同的规则推算，最终以验收意见和拨付为准。");
	snprintf(c[3], sizeof(c[3]), "%s",
		 "本方案经企业确认、全过程监督服务单位审核后实施；未加盖编制单位公章无效，涂改、增删无效。");
	snprintf(c[4], sizeof(c[4]), "%s",
		 "实施中调整建设内容、投资金额或进度的，应重新编制方案并履行确认和审核程序。");
	for (size_t i = 0; i < 5; i++)
		clauses[i] = c[i];
	dl__rp_statement(rp, clauses, 5);
}

static void basis(dl__rp *rp, plan_doc *d)
{
	char a[32], name[32], date[48];

	section(rp, d, "编制依据与企业现状");
	dl__rp_heading(rp, 2, "（一）企业基本情况");
	dl__rp_enterprise_pairs(rp, d->s);
	dl__rp_key_values(rp, 0);
	dl__rp_heading(rp, 2, "（二）诊断结论");
	dl__rp_pair(rp, "诊断报告编号：", "%s", d->diagnosis);
	dl__rp_pair(rp, "诊断日期：", "%s", dl__rp_date(dl_sheet_date(d->s), date, sizeof(date)));
	dl__rp_pair(rp, "诊断机构：", "%s", dl__rp_or_dash(dl_sheet_organisation(d->s)));
	dl__rp_pair(rp, "现状等级：", "%s（总分 %s 分）",
		    dl__rp_level_name(d->q, dl_result_level(d->r), name, sizeof(name)),
		    dl__rp_points(dl_result_total(d->r), a, sizeof(a)));
	dl__rp_pair(rp, "评测指标：", "《%s》（版本 %s）", dl_questionnaire_title(d->q),
		    dl_questionnaire_version(d->q));
	dl__rp_pair(rp, "方案目录：", "《%s》（版本 %s）", dl_catalogue_title(d->cat), dl_catalogue_version(d->cat));
	dl__rp_key_values(rp, 0);
	if (!dl_sheet_has_retrofit_plan(d->s))
		dl__rp_para(rp, DL__PARA_INDENT,
			    "本方案按诊断推荐的改造方案编制，服务商未另行选定解决方案。");
	else if (d->rt)
		dl__rp_para(rp, DL__PARA_INDENT, "本方案的建设内容为服务商选定的解决方案（%zu 项）。",
			    dl_retrofit_solution_count(d->rt));
}

static void target_section(dl__rp *rp, plan_doc *d)
{
	char a[32], nb[32], ab[32];
	const char *now, *aim;

	section(rp, d, "改造目标");
	if (!d->plan) {
		dl__rp_para(rp, DL__PARA_INDENT, "企业已达到最高等级%s，无更高等级的改造目标。",
			    dl__rp_level_name(d->q, dl_result_level(d->r), nb, sizeof(nb)));
		return;
	}
	now = dl__rp_level_name(d->q, dl_result_level(d->r), nb, sizeof(nb));
	aim = dl__rp_level_name(d->q, d->target, ab, sizeof(ab));
	if (dl_plan_step_count(d->plan) == 0 && dl_plan_feasible(d->plan)) {
		dl__rp_para(rp, DL__PARA_INDENT, "企业现为%s，已达到目标等级%s。", now, aim);
		return;
	}
	dl__rp_para(rp, DL__PARA_INDENT,
		    "由%s提升至%s。距%s还差：%s 分；%zu 个场景；%zu 个约束性场景。诊断的改进计划"
		    "以最少的改进达到目标，共 %zu 项，见下表。",
		    now, aim, aim, dl__rp_points(dl_plan_missing_points(d->plan), a, sizeof(a)),
		    dl_plan_missing_scenarios(d->plan), dl_plan_missing_constraint_scenarios(d->plan),
		    dl_plan_step_count(d->plan));
	if (!dl_plan_feasible(d->plan))
		dl__rp_para(rp, DL__PARA_INDENT, "按本评测指标无法达到%s；下表为尽力而为的改进。", aim);
	dl__rp_heading(rp, 2, "需达到的场景与评测项");
	steps_table(rp, d->q, d->plan);
	dl__rp_para(rp, DL__PARA_SMALL, "注：★ 为约束性场景；成效类评测项为改造后实测的预期成效，不作为建设内容。");
}

/* The amount of item k: exact in yuan, or the catalogue's range in 万元. */
static void amount_text(const plan_doc *d, size_t k, char *buf, size_t size)
{
	char a[40], b[40];
	if (dl_retrofit_item_exact(d->rt, k))
		snprintf(buf, size, "%s", dl__rp_money(dl_retrofit_item_cost_low(d->rt, k), a, sizeof(a)));
	else
		snprintf(buf, size, "%s–%s 万元\n参考区间（估算）",
			 dl_wan_format(dl_retrofit_item_cost_low(d->rt, k), a, sizeof(a)),
			 dl_wan_format(dl_retrofit_item_cost_high(d->rt, k), b, sizeof(b)));
}

static void items_section(dl__rp *rp, plan_doc *d)
{
	static const dl__column cols[4] = {{"序号", 0.6, DL__ALIGN_CENTER},
					   {"建设内容", 3.6, DL__ALIGN_LEFT},
					   {"提升的评测项与场景", 3.3, DL__ALIGN_LEFT},
					   {"金额（元）", 2.0, DL__ALIGN_RIGHT}};
	const dl_retrofit *rt = d->rt;
	dl__textbuf what = {NULL, 0, 0}, lifts = {NULL, 0, 0};
	char amount[120];

	section(rp, d, "建设内容");
	if (!rt || dl_retrofit_solution_count(rt) == 0) {
		dl__rp_para(rp, DL__PARA_INDENT, "%s",
			    !rt ? "企业已达到改造目标，本方案无建设内容。"
				: "方案目录中没有可覆盖改进计划的解决方案，建设内容由服务商另行确定。");
		return;
	}
	dl__rp_table(rp, cols, 4); /* right after the heading, so that the layout keeps them together */
	for (size_t k = 0; k < dl_retrofit_solution_count(rt); k++) {
		size_t si = dl_retrofit_solution(rt, k);
		const char *own = dl_retrofit_is_chosen(rt) ? dl_sheet_plan_item_text(d->s, k) : "";
		dl__textbuf_clear(&what);
		dl__textbuf_clear(&lifts);
		if (si != DL_NONE)
			dl__rp_check(rp, dl__textbuf_addf(&what, "%s（%s）\n%s%s%s", dl_catalogue_solution_name(d->cat, si),
							 SUBSIDY[dl_catalogue_solution_subsidy(d->cat, si)],
							 dl_catalogue_solution_description(d->cat, si),
							 own[0] ? "\n服务商说明：" : "", own));
		else
			dl__rp_check(rp, dl__textbuf_addf(&what, "%s\n（服务商自定项目，不在方案目录中）", own));
		for (size_t c = 0; c < dl_retrofit_change_count(rt, k); c++)
			dl__rp_check(rp, change_line(d->q, dl_retrofit_change_kind(rt, k, c),
						     dl_retrofit_change_question(rt, k, c),
						     dl_retrofit_change_option_from(rt, k, c),
						     dl_retrofit_change_option_to(rt, k, c),
						     dl_retrofit_change_scenario(rt, k, c),
						     dl_retrofit_change_level_from(rt, k, c),
						     dl_retrofit_change_level_to(rt, k, c), &lifts));
		amount_text(d, k, amount, sizeof(amount));
		dl__rp_cell(rp, 0, "%zu", k + 1);
		dl__rp_cell(rp, 1, "%s", dl__textbuf_get(&what));
		dl__rp_cell(rp, 2, "%s", lifts.len ? dl__textbuf_get(&lifts) : "—（不直接改变评测结果）");
		dl__rp_cell(rp, 3, "%s", amount);
		dl__rp_row(rp, 4);
	}
	dl__rp_para(rp, DL__PARA_SMALL,
		    "注：“提升的评测项与场景”为该项建设内容按《%s》可达到的评测项选项与场景等级%s；"
		    "括号内为方案目录对该类投资可补助性的一般判断，以补助政策为准。",
		    dl_catalogue_title(d->cat),
		    dl_retrofit_is_chosen(rt) ? "（前项已达到的不重复列出）" : "（即所覆盖的改进计划步骤）");
	if (dl_retrofit_uncovered_count(rt)) {
		dl__textbuf_clear(&what);
		for (size_t i = 0; i < dl_retrofit_uncovered_count(rt); i++)
			dl__rp_check(rp, dl__textbuf_addf(&what, "%s%zu", i ? "、" : "",
							 dl_retrofit_uncovered_step(rt, i) + 1));
		dl__rp_para(rp, DL__PARA_INDENT,
			    "改造目标所列第 %s 项%s，由服务商在系统集成中落实，并在验收时核查。",
			    dl__textbuf_get(&what),
			    dl_retrofit_is_chosen(rt) ? "不在上述建设内容可达到的范围内"
						      : "需多个系统集成协同，方案目录中无单一方案可以达到");
	}
	dl__textbuf_free(&what);
	dl__textbuf_free(&lifts);
}

static void investment_section(dl__rp *rp, plan_doc *d)
{
	const dl_retrofit *rt = d->rt;
	char a[40], b[40], c[40], e[40];
	int64_t low = dl_retrofit_cost_low(rt), high = dl_retrofit_cost_high(rt);

	dl__rp_keep(rp, 1); /* a heading, a few lines and a note: whole on one page */
	section(rp, d, "投资估算与预计补助");
	if (low == high)
		dl__rp_pair(rp, "项目总投资：", "%s 元", dl__rp_money(low, a, sizeof(a)));
	else
		dl__rp_pair(rp, "项目总投资：", "%s–%s 元（含参考区间，估算）", dl__rp_money(low, a, sizeof(a)),
			    dl__rp_money(high, b, sizeof(b)));
	if (dl_retrofit_revenue_share(rt) >= 0)
		dl__rp_pair(rp, "占营业收入：", "%s约 %lld.%02lld%%%s", low == high ? "" : "上限",
			    (long long)(dl_retrofit_revenue_share(rt) / 100),
			    (long long)(dl_retrofit_revenue_share(rt) % 100),
			    dl_retrofit_revenue_share(rt) > 1000 ? "，超过 10%，须说明资金安排" : "");
	if (!dl_retrofit_has_policy(rt))
		dl__rp_pair(rp, "预计补助：", "未指定补助政策，不作推算");
	else if (dl_retrofit_subsidy_granted(rt) && low == high)
		dl__rp_pair(rp, "预计补助：", "%s 元（可补助投资 %s 元；%s）",
			    dl__rp_money(dl_retrofit_subsidy_low(rt), a, sizeof(a)),
			    dl__rp_money(dl_retrofit_eligible_low(rt), b, sizeof(b)),
			    dl__retrofit_subsidy_note_zh(rt));
	else if (dl_retrofit_subsidy_granted(rt))
		dl__rp_pair(rp, "预计补助：", "%s–%s 元（可补助投资 %s–%s 元；%s）",
			    dl__rp_money(dl_retrofit_subsidy_low(rt), a, sizeof(a)),
			    dl__rp_money(dl_retrofit_subsidy_high(rt), b, sizeof(b)),
			    dl__rp_money(dl_retrofit_eligible_low(rt), c, sizeof(c)),
			    dl__rp_money(dl_retrofit_eligible_high(rt), e, sizeof(e)),
			    dl__retrofit_subsidy_note_zh(rt));
	else
		dl__rp_pair(rp, "预计补助：", "%s",
			    dl__rp_or_dash(dl__retrofit_subsidy_note_zh(rt)));
	dl__rp_key_values(rp, 0);
	dl__rp_para(rp, DL__PARA_SMALL,
		    "注：预计补助把建设内容作为投资项目，按补助政策在验收时适用的同一规则推算（可补助类别、"
		    "阶段、比例、上限），不是补助承诺；企业自筹部分为总投资减去补助。");
	dl__rp_keep(rp, 0);
}

static void schedule_section(dl__rp *rp, plan_doc *d)
{
	static const dl__column cols[4] = {{"序号", 0.6, DL__ALIGN_CENTER},
					   {"建设内容", 4.2, DL__ALIGN_LEFT},
					   {"计划开始", 2.2, DL__ALIGN_LEFT},
					   {"计划完成", 2.5, DL__ALIGN_LEFT}};
	const dl_retrofit *rt = d->rt;
	char a[48], b[48];

	if (!dl_retrofit_is_chosen(rt))
		dl__rp_keep(rp, 1); /* the heading with its few lines */
	section(rp, d, "实施进度");
	if (dl_retrofit_is_chosen(rt)) {
		dl__rp_table(rp, cols, 4);
		for (size_t k = 0; k < dl_retrofit_solution_count(rt); k++) {
			size_t si = dl_retrofit_solution(rt, k);
			const char *start = dl_sheet_plan_item_start(d->s, k), *finish = dl_sheet_plan_item_finish(d->s, k);
			dl__rp_cell(rp, 0, "%zu", k + 1);
			dl__rp_cell(rp, 1, "%s", si != DL_NONE ? dl_catalogue_solution_name(d->cat, si)
							     : dl_sheet_plan_item_text(d->s, k));
			dl__rp_cell(rp, 2, "%s", start[0] ? dl__rp_date(start, a, sizeof(a)) : "—");
			if (finish[0])
				dl__rp_cell(rp, 3, "%s", dl__rp_date(finish, b, sizeof(b)));
			else if (si != DL_NONE)
				dl__rp_cell(rp, 3, "未定（参考周期 %d–%d 周）", dl_catalogue_solution_weeks_low(d->cat, si),
					    dl_catalogue_solution_weeks_high(d->cat, si));
			else
				dl__rp_cell(rp, 3, "未定");
			dl__rp_row(rp, 4);
		}
		dl__rp_pair(rp, "方案日期：", "%s", dl__rp_date(dl_sheet_plan_date(d->s), a, sizeof(a)));
		dl__rp_pair(rp, "最早开工：", "%s", dl_retrofit_start(rt)[0] ? dl__rp_date(dl_retrofit_start(rt), a, sizeof(a)) : "未定");
	} else {
		dl__rp_pair(rp, "实施方式：", "各方案并行实施，参考周期 %d–%d 周（自合同签订起）",
			    dl_retrofit_weeks_low(rt), dl_retrofit_weeks_high(rt));
	}
	dl__rp_pair(rp, "全部完成：", "%s%s", dl_retrofit_completion(rt)[0] ? "最迟约" : "未定",
		    dl_retrofit_completion(rt)[0] ? dl__rp_date(dl_retrofit_completion(rt), b, sizeof(b)) : "");
	dl__rp_pair(rp, "申请验收：", "全部建设内容投入使用并产生实际效益后，由企业申请验收评测");
	dl__rp_key_values(rp, 0);
	if (!dl_retrofit_is_chosen(rt))
		dl__rp_keep(rp, 0);
}

static void result_section(dl__rp *rp, plan_doc *d)
{
	const dl_retrofit *rt = d->rt;
	char a[32], b[32], name[32], ab[32], nb[32];
	const char *aim;
	const dl_plan *rest = dl_retrofit_remaining(rt);

	section(rp, d, "预期成效");
	dl__rp_para(rp, DL__PARA_INDENT,
		    "将%s计入评测表后重新评分：预计%s，总分 %s 分（现状%s，%s 分）。",
		    dl_retrofit_is_chosen(rt) ? "各项建设内容可达到的评测项选项与场景等级"
					      : "改进计划各项全部完成的结果",
		    dl__rp_level_name(d->q, dl_retrofit_expected_level(rt), name, sizeof(name)),
		    dl__rp_points(dl_retrofit_expected_total(rt), a, sizeof(a)),
		    dl__rp_level_name(d->q, dl_result_level(d->r), nb, sizeof(nb)),
		    dl__rp_points(dl_result_total(d->r), b, sizeof(b)));
	if (d->target < 0)
		return;
	aim = dl__rp_level_name(d->q, d->target, ab, sizeof(ab));
	if (dl_retrofit_expected_level(rt) >= d->target) {
		dl__rp_para(rp, DL__PARA_INDENT, "可达到改造目标%s。", aim);
		return;
	}
	dl__rp_para(rp, DL__PARA_INDENT, "按本方案的建设内容，未能达到改造目标%s。", aim);
	if (!rest)
		return;
	dl__rp_para(rp, DL__PARA_INDENT, "达到%s还差：%s 分；%zu 个场景；%zu 个约束性场景。还需完成下列改进%s：",
		    aim, dl__rp_points(dl_plan_missing_points(rest), a, sizeof(a)),
		    dl_plan_missing_scenarios(rest), dl_plan_missing_constraint_scenarios(rest),
		    dl_plan_feasible(rest) ? "" : "（按本评测指标仍无法达到，列出尽力而为的改进）");
	dl__rp_heading(rp, 2, "尚缺的场景与评测项");
	steps_table(rp, d->q, rest);
}

static void providers_section(dl__rp *rp, plan_doc *d)
{
	static const dl__column cols[3] = {{"序号", 0.6, DL__ALIGN_CENTER},
					   {"服务商（供需适配库）", 5.4, DL__ALIGN_LEFT},
					   {"可承担的建设内容（序号）", 3.5, DL__ALIGN_LEFT}};
	const dl_retrofit *rt = d->rt;
	dl__textbuf items = {NULL, 0, 0};

	if (dl_retrofit_provider_count(rt) == 0) {
		section(rp, d, "可对接服务商");
		dl__rp_para(rp, DL__PARA_INDENT, "方案目录未列出可承担上述建设内容的服务商。");
		return;
	}
	dl__rp_keep(rp, 1); /* a short table: with its headings, whole on one page */
	section(rp, d, "可对接服务商");
	dl__rp_heading(rp, 2, "供需适配库中的服务商");
	dl__rp_table(rp, cols, 3);
	for (size_t i = 0; i < dl_retrofit_provider_count(rt); i++) {
		size_t pi = dl_retrofit_provider(rt, i);
		dl__textbuf_clear(&items);
		for (size_t k = 0; k < dl_retrofit_solution_count(rt); k++) {
			size_t si = dl_retrofit_solution(rt, k);
			int offers = 0;
			for (size_t j = 0; si != DL_NONE && j < dl_catalogue_solution_provider_count(d->cat, si); j++)
				offers |= dl_catalogue_solution_provider(d->cat, si, j) == pi;
			if (offers)
				dl__rp_check(rp, dl__textbuf_addf(&items, "%s%zu", items.len ? "、" : "", k + 1));
		}
		dl__rp_cell(rp, 0, "%zu", i + 1);
		dl__rp_cell(rp, 1, "%s", dl_catalogue_provider_name(d->cat, pi));
		dl__rp_cell(rp, 2, "%s", dl__textbuf_get(&items));
		dl__rp_row(rp, 3);
	}
	dl__rp_keep(rp, 0);
	dl__textbuf_free(&items);
	dl__rp_para(rp, DL__PARA_SMALL, "注：服务商类型取自《%s》的供需适配库；具体服务商由企业按规定程序选定。",
		    dl_catalogue_title(d->cat));
}

static void duties_section(dl__rp *rp, plan_doc *d)
{
	static const char *const heading[DL_PLAN_PARTIES] = {"（一）企业", "（二）服务商", "（三）全过程监督服务单位"};
	static const char *const fallback[DL_PLAN_PARTIES] = {
	    "确认改造目标和建设内容，落实自筹资金，提供场地、数据和人员配合，按合同验收付款；对提供的"
	    "企业情况和数据的真实性负责；建设内容投入使用后申请验收评测。",
	    "按本方案和合同实施建设内容，保证产品和服务质量及进度，完成系统部署、集成、数据接入和人员"
	    "培训；如实记录实施过程，配合验收评测；对方案的技术可行性和投资测算负责。",
	    "审核本方案与诊断报告、合同的一致性，对改造实施全过程进行监督，核查建设内容的真实性、进度和"
	    "资金使用，参与验收并对服务商履约情况作出评价。"};

	section(rp, d, "各方职责");
	for (int k = 0; k < DL_PLAN_PARTIES; k++) {
		const char *text = dl_sheet_plan_responsibility(d->s, (dl_plan_party)k);
		dl__rp_heading(rp, 2, "%s", heading[k]);
		dl__rp_para(rp, DL__PARA_INDENT, "%s", text[0] ? text : fallback[k]);
	}
}

/*
 * The supervision unit's review, kept whole on one page: room for the opinion, the unit with its seal
 * (the plan's <supervision-unit>, else the organisation of the first supervisor), the supervisors of
 * that unit and its head to sign, the date, room for the seal. A supervisor of another organisation
 * (the district bureau's) does not sign here.
 */
static void supervision_block(dl__rp *rp, const dl_sheet *s, const char *heading)
{
	dl__rp_review_block(rp, s, heading, dl_sheet_plan_supervision(s), true, "项目负责人（签字）：");
}

static void signoff(dl__rp *rp, plan_doc *d)
{
	char a[40], c[40], name[32];
	int64_t low = d->rt ? dl_retrofit_cost_low(d->rt) : 0, high = d->rt ? dl_retrofit_cost_high(d->rt) : 0;

	section(rp, d, "确认与签字");
	if (!d->rt || dl_retrofit_solution_count(d->rt) == 0)
		dl__rp_para(rp, DL__PARA_INDENT, "本方案无建设内容。");
	else if (low == high)
		dl__rp_para(rp, DL__PARA_INDENT, "本方案共 %zu 项建设内容，项目总投资 %s 元，建设内容全部完成后预计达到%s。",
			    dl_retrofit_solution_count(d->rt), dl__rp_money(low, a, sizeof(a)),
			    dl__rp_level_name(d->q, dl_retrofit_expected_level(d->rt), name, sizeof(name)));
	else
		dl__rp_para(rp, DL__PARA_INDENT,
			    "本方案共 %zu 项建设内容，项目总投资估算 %s–%s 元，建设内容全部完成后预计达到%s。",
			    dl_retrofit_solution_count(d->rt), dl__rp_money(low, a, sizeof(a)),
			    dl__rp_money(high, c, sizeof(c)),
			    dl__rp_level_name(d->q, dl_retrofit_expected_level(d->rt), name, sizeof(name)));
	dl__rp_team_block(rp, d->s, "（一）编制单位", "编制单位（盖章）：", d->integrator, d->date);
	dl__rp_approval_block(rp, d->s, "（二）编制、审核与批准");
	dl__rp_enterprise_block(rp, d->s, "（三）企业确认",
				"本企业已阅知本方案，确认改造目标、建设内容、投资金额和进度安排，同意按本方案实施。");
	supervision_block(rp, d->s, "（四）全过程监督服务单位审核");
}

/* Makes the retrofit of d (chosen or recommended) into *rt. Returns 0 or a DL_E* code (err set). */
static int make_retrofit(plan_doc *d, const dl_policy *policy, dl_retrofit **rt, dl_error *err)
{
	if (dl_sheet_has_retrofit_plan(d->s))
		return dl_retrofit_from_sheet(rt, d->r, d->s, d->plan, d->cat, policy, err);
	if (!d->plan || dl_plan_step_count(d->plan) == 0)
		return 0; /* at the top, or at the target already: nothing to recommend */
	return dl_retrofit_recommend(rt, d->r, d->s, d->plan, d->cat, policy, err);
}

int dl_report_plan(unsigned char **out, size_t *len, const dl_result *r, const dl_sheet *s,
		   const dl_report_options *opts, dl_error *err)
{
	dl_report_options use;
	const dl_catalogue *found = NULL;
	dl_plan *plan = NULL;
	dl_retrofit *rt = NULL;
	dl__rp rp;
	plan_doc d;
	char title[1024], keywords[1400];
	int rc;

	memset(&d, 0, sizeof(d));
	d.r = r;
	d.s = s;
	d.q = dl_result_questionnaire(r);
	if ((rc = dl__rp_options(opts, &use, err)) < 0)
		return rc;
	if (strcmp(dl_sheet_questionnaire_id(s), dl_questionnaire_id(d.q)) != 0 ||
	    strcmp(dl_sheet_questionnaire_version(s), dl_questionnaire_version(d.q)) != 0)
		return dl__error_message(
		    err, DL_EMISMATCH,
		    "the sheet answers questionnaire '%s' version '%s' but the result is of '%s' "
		    "version '%s'",
		    dl_sheet_questionnaire_id(s), dl_sheet_questionnaire_version(s),
		    dl_questionnaire_id(d.q), dl_questionnaire_version(d.q));
	d.cat = use.catalogue;
	if (!d.cat && (rc = dl__catalogue_beside(&found, d.q, err)) < 0)
		return rc;
	if (!d.cat)
		d.cat = found;
	if (dl_sheet_has_retrofit_plan(s) && (rc = dl_retrofit_plan_check(s, d.q, d.cat, NULL, err)) < 0)
		goto done;
	d.target = use.target_level >= 0 ? use.target_level
		   : dl_sheet_plan_target(s) >= 0 ? dl_sheet_plan_target(s)
						  : dl__rp_next_level(r);
	if (d.target >= 0 && (rc = dl_plan_make_with(&plan, r, d.target, d.cat, err)) < 0)
		goto done;
	d.plan = plan;
	if ((rc = make_retrofit(&d, use.policy, &rt, err)) < 0)
		goto done;
	d.rt = rt;
	d.integrator = integrator_of(s);

	const char *when = dl_sheet_has_retrofit_plan(s) ? dl_sheet_plan_date(s) : dl_sheet_date(s);
	const char *code = dl_sheet_enterprise(s, DL_ENTERPRISE_CREDIT_CODE);
	dl__rp_date(when, d.date, sizeof(d.date));
	dl__rp_report_number("FA", code, when, 0, d.number, sizeof(d.number));
	dl__rp_report_number(dl_sheet_phase(s) == DL_PHASE_SELF_CHECK   ? "ZP"
			     : dl_sheet_phase(s) == DL_PHASE_EVALUATION ? "PC"
									: "ZD",
			     code, dl_sheet_date(s), 0, d.diagnosis, sizeof(d.diagnosis));
	snprintf(title, sizeof(title), "%s 数字化改造方案%s", dl_sheet_enterprise(s, DL_ENTERPRISE_NAME),
		 dl_result_provisional(r) ? "（草稿）" : "");
	snprintf(keywords, sizeof(keywords), "数字化改造方案, 中小企业数字化转型, %s, %s",
		 dl_questionnaire_title(d.q), d.number);
	dl__rp_init(&rp);
	dl__rp_info(&rp, title, d.integrator, "中小企业数字化改造方案", keywords);
	dl__rp_header(&rp, "%s · 数字化改造方案 · %s", dl_sheet_enterprise(s, DL_ENTERPRISE_NAME), d.number);
	dl__rp_footer(&rp, "评测表 SHA-256：%s", dl_sheet_digest(s));
	if (dl_result_provisional(r) && rp.doc) /* a provisional score: 草稿 on every page */
		dl__doc_set_draft(rp.doc);
	cover_page(&rp, &d);
	statement(&rp, &d);
	basis(&rp, &d);
	target_section(&rp, &d);
	items_section(&rp, &d);
	if (rt && dl_retrofit_solution_count(rt) > 0) {
		investment_section(&rp, &d);
		schedule_section(&rp, &d);
		result_section(&rp, &d);
		providers_section(&rp, &d);
	}
	duties_section(&rp, &d);
	signoff(&rp, &d);
	rc = dl__rp_render(&rp, &use, title, out, len, err);
	dl__rp_free(&rp);
done:
	dl_retrofit_free(rt);
	dl_plan_free(plan);
	return rc;
}
