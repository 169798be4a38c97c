/*
 * diagnostic.c: the diagnostic report (数字化诊断报告): what an integrator hands the enterprise
 * after the on-site diagnosis, and what the retrofit plan is built on.
 *
 * Read top-down it follows the order of the diagnosis platforms (docs/sources.md section 3)
 * and of `digilevel score`: the cover; the enterprise profile and who diagnosed it when; the result
 * at a glance (level, total, dimension bars, scenario counts, the radar of the 16 scenarios); why
 * this level and not the next, every condition of every grade with its numbers; every question with
 * the answer chosen, how it was decided and its points; the raw figures; every scenario with its
 * level and what that level means; the 问题、需求和场景清单 (weak points, what is missing, the
 * smallest plan to the next or the target level, as numbered items); notes and evidence; the
 * signature block. The wording of conditions and plan steps is that of the text output
 * (engine/output/write_text.c), so the report and the CLI say the same thing. Only the public API is used
 * to read the result.
 */
#include "diagnosis_sections.h"
#include "report_common.h"

#include <stdio.h>
#include <string.h>

/* One condition of a grade: its text (the text output's wording) and whether it holds. */
typedef struct dl__cond {
	char text[1024];
	int met;
} dl__cond;

/* The conditions of grade gi: 1 for a score-only grade, else 3. */
static size_t dl__conditions(const dl_result *r, size_t gi, dl__cond out[3])
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	dl_points total = dl_result_total(r), min = dl_questionnaire_grade_min_score(q, gi);
	char a[32], b[32], name[32];
	size_t all, cons, need_all, need_cons;
	int gate;

	out[0].met = total >= min;
	snprintf(out[0].text, sizeof(out[0].text), "得分 %s %s %s",
		 dl__rp_points(total, a, sizeof(a)), out[0].met ? "≥" : "<",
		 dl__rp_points(min, b, sizeof(b)));
	if (!dl_questionnaire_grade_has_gate(q, gi))
		return 1;
	gate = dl_questionnaire_grade_gate_level(q, gi);
	all = dl_result_scenarios_at_least(r, gate, false);
	cons = dl_result_scenarios_at_least(r, gate, true);
	need_all = dl_questionnaire_grade_gate_count(q, gi);
	need_cons = dl_questionnaire_grade_gate_constraint(q, gi);
	out[1].met = all >= need_all;
	snprintf(out[1].text, sizeof(out[1].text), "达到%s的场景 %zu 个%s %zu 个",
		 dl__rp_level_name(q, gate, name, sizeof(name)), all,
		 out[1].met ? "，不少于" : "，需", need_all);
	out[2].met = cons >= need_cons;
	snprintf(out[2].text, sizeof(out[2].text), "其中约束性 %zu 个%s %zu 个", cons,
		 out[2].met ? "，不少于" : "，需", need_cons);
	return 3;
}

/* How the option of question qi was decided, for people (a self-check has no on-site check). */
static const char *dl__source_label(dl_answer_source source, int self_check)
{
	switch (source) {
	case DL_SOURCE_VALUE:
		return "按填写数值落入的区间";
	case DL_SOURCE_FIGURES:
		return "由原始数据推导";
	case DL_SOURCE_HAND_CHECKED:
		return "手选，经原始数据核对一致";
	case DL_SOURCE_HAND:
		break;
	}
	return self_check ? "手选（企业自评）" : "手选（现场核查）";
}

/* The organisation that issues the report: the sheet's, or on a self-check the enterprise itself. */
static const char *dl__issuer(const dl_sheet *s)
{
	if (dl_sheet_organisation(s)[0] != '\0' || dl_sheet_phase(s) != DL_PHASE_SELF_CHECK)
		return dl_sheet_organisation(s);
	return dl_sheet_enterprise(s, DL_ENTERPRISE_NAME);
}

/* "现场诊断", "现场评测" or, on a self-check, "企业自评". */
static const char *dl__method(const dl_sheet *s)
{
	switch (dl_sheet_phase(s)) {
	case DL_PHASE_EVALUATION:
		return "现场评测";
	case DL_PHASE_SELF_CHECK:
		return "企业自评";
	case DL_PHASE_DIAGNOSIS:
		break;
	}
	return "现场诊断";
}

/*
 * Appends an engine's basis text with every figure id replaced by the figure's Chinese label, its
 * value and unit ("devices_digital 58" → "实现数字化的生产设备数量 58 台"), and the formula's
 * English words and brackets made Chinese. Returns as dl__textbuf_add.
 */
static int dl__basis_text(const dl_questionnaire *q, const char *text, dl__textbuf *out)
{
	int rc = 0;

	while (*text != '\0' && rc == 0) {
		size_t n = 0, fi, v;
		while ((text[n] >= 'a' && text[n] <= 'z') || (text[n] >= '0' && text[n] <= '9') ||
		       text[n] == '_')
			n++;
		if (n > 0 && text[n] == ' ') {
			char id[128];
			snprintf(id, sizeof(id), "%.*s", (int)(n < 127 ? n : 127), text);
			fi = dl_questionnaire_figure_find(q, id);
			if (fi != DL_NONE) {
				const char *unit = dl_questionnaire_figure_unit(q, fi);
				for (v = n + 1; (text[v] >= '0' && text[v] <= '9') || text[v] == '.' ||
						text[v] == '-';
				     v++)
					;
				rc = dl__textbuf_addf(out, "%s %.*s%s%s", dl_questionnaire_figure_label(q, fi),
						      (int)(v - n - 1), text + n + 1,
						      unit[0] && strcmp(unit, "%") != 0 ? " " : "", unit);
				text += v;
				continue;
			}
		}
		if (n > 0) {
			char word[128];
			snprintf(word, sizeof(word), "%.*s", (int)(n < 127 ? n : 127), text);
			rc = dl__textbuf_add(out, word);
			text += n;
		} else if (strncmp(text, " against ", 9) == 0) {
			rc = dl__textbuf_add(out, "，对比");
			text += 9;
		} else if (strncmp(text, ": ", 2) == 0) {
			rc = dl__textbuf_add(out, "：");
			text += 2;
		} else if (strncmp(text, " (", 2) == 0 || *text == '(') {
			rc = dl__textbuf_add(out, "（");
			text += *text == '(' ? 1 : 2;
		} else if (*text == ')') {
			rc = dl__textbuf_add(out, "）");
			text++;
		} else {
			char c[2] = {*text, '\0'};
			rc = dl__textbuf_add(out, c);
			text++;
		}
	}
	return rc;
}

/* What the organisation is called on this sheet's phase. */
static const char *dl__org_key(const dl_sheet *s, int sign)
{
	switch (dl_sheet_phase(s)) {
	case DL_PHASE_EVALUATION:
		return sign ? "评测机构（盖章）：" : "评测机构：";
	case DL_PHASE_SELF_CHECK:
		return sign ? "填报单位（盖章）：" : "填报单位：";
	case DL_PHASE_DIAGNOSIS:
		break;
	}
	return sign ? "诊断机构（盖章）：" : "诊断机构：";
}

static void dl__cover_page(dl__rp *rp, const dl_result *r, const dl_sheet *s, const char *date,
			   const char *number)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	dl__textbuf subtitle = {NULL, 0, 0};

	dl__rp_check(rp, dl__textbuf_addf(&subtitle, "依据《%s》", dl_questionnaire_title(q)));
	dl__rp_pair(rp, "报告编号：", "%s", number);
	dl__rp_enterprise_pair(rp, s, DL_ENTERPRISE_NAME);
	dl__rp_enterprise_pair(rp, s, DL_ENTERPRISE_CREDIT_CODE);
	dl__rp_enterprise_pair(rp, s, DL_ENTERPRISE_INDUSTRY);
	dl__rp_pair(rp, "评测类型：", "%s", dl_phase_title(dl_sheet_phase(s)));
	dl__rp_pair(rp, dl__org_key(s, 0), "%s", dl__rp_or_dash(dl__issuer(s)));
	dl__rp_cover(rp, dl_result_provisional(r) ? "数字化诊断报告（草稿）" : "数字化诊断报告",
		     dl__textbuf_get(&subtitle), date);
	dl__textbuf_free(&subtitle);
}

/* The statement page (声明) and the contents. */
static void dl__statement(dl__rp *rp, const dl_questionnaire *q, const dl_sheet *s)
{
	int self = dl_sheet_phase(s) == DL_PHASE_SELF_CHECK;
	const char *org = dl_sheet_phase(s) == DL_PHASE_EVALUATION ? "评测机构" : "诊断机构";
	char c[5][600];
	const char *clauses[5];
	size_t i;

	snprintf(c[0], sizeof(c[0]),
		 "本报告依据《%s》和企业填报的评测表编制，结论仅反映%s时企业的数字化水平。",
		 dl_questionnaire_title(q), self ? "自评" : "诊断");
	snprintf(c[1], sizeof(c[1]), "%s",
		 self ? "本报告为企业自评结果，由企业按评测表自行填报；填报单位对填报内容的真实性、完整性负责。"
		      : "企业基本情况、原始数据和佐证材料由企业提供，企业对其真实性、完整性负责；"
			"评测项的选定经现场核查。");
	snprintf(c[2], sizeof(c[2]),
		 "等级和得分按评测指标的判定规则计算，可由评测表（SHA-256 见页脚）复核。");
	if (self)
		snprintf(c[3], sizeof(c[3]), "%s",
			 "本报告未加盖填报单位公章无效；报告涂改、增删无效。");
	else
		snprintf(c[3], sizeof(c[3]),
			 "本报告未加盖%s公章、无诊断人员签字无效；报告涂改、增删无效，复制件未重新加盖"
			 "%s公章无效。",
			 org, org);
	snprintf(c[4], sizeof(c[4]), "%s",
		 "对本报告有异议的，可向出具单位或区（县）中小企业主管部门申请复核。");
	for (i = 0; i < 5; i++)
		clauses[i] = c[i];
	dl__rp_statement(rp, clauses, 5);
}

static void dl__profile(dl__rp *rp, const dl_result *r, const dl_sheet *s, const char *date)
{
	static const dl__column team[4] = {{"序号", 0.6, DL__ALIGN_CENTER},
					   {"姓名", 1.4, DL__ALIGN_LEFT},
					   {"角色", 3.6, DL__ALIGN_LEFT},
					   {"联系方式", 2.6, DL__ALIGN_LEFT}};
	const dl_questionnaire *q = dl_result_questionnaire(r);
	size_t i;

	dl__rp_heading(rp, 1, "一、企业基本情况");
	dl__rp_enterprise_pairs(rp, s);
	dl__rp_key_values(rp, 0);
	dl__rp_heading(rp, 2, "（一）诊断工作情况");
	dl__rp_pair(rp, "诊断日期：", "%s", dl__rp_or_dash(date));
	dl__rp_pair(rp, dl__org_key(s, 0), "%s", dl__rp_or_dash(dl__issuer(s)));
	dl__rp_pair(rp, "评测类型：", "%s", dl_phase_title(dl_sheet_phase(s)));
	dl__rp_pair(rp, "评测依据：", "《%s》（%s%s）", dl_questionnaire_title(q),
		    dl_questionnaire_issuer(q), dl_questionnaire_document(q));
	dl__rp_pair(rp, "问卷文件：", "%s", dl_questionnaire_path(q));
	dl__rp_pair(rp, "SHA-256：", "%s", dl_questionnaire_digest(q)); /* of the questionnaire file */
	dl__rp_key_values(rp, 0);
	if (dl_sheet_assessor_count(s) == 0)
		return;
	dl__rp_heading(rp, 2, "（二）诊断人员");
	dl__rp_table(rp, team, 4);
	for (i = 0; i < dl_sheet_assessor_count(s); i++) {
		dl__rp_cell(rp, 0, "%zu", i + 1);
		dl__rp_cell(rp, 1, "%s", dl_sheet_assessor_name(s, i));
		dl__rp_cell(rp, 2, "%s", dl__rp_or_dash(dl_sheet_assessor_role(s, i)));
		dl__rp_cell(rp, 3, "%s", dl__rp_or_dash(dl_sheet_assessor_contact(s, i)));
		dl__rp_row(rp, 4);
	}
}

/* The description of level `level` ("" when none). */
static const char *dl__level_description(const dl_questionnaire *q, int level)
{
	size_t li;

	for (li = 0; li < dl_questionnaire_level_count(q); li++)
		if (dl_questionnaire_level_value(q, li) == level)
			return dl_questionnaire_level_description_at(q, li);
	return "";
}

static void dl__glance(dl__rp *rp, const dl_result *r, const dl_sheet *s)
{
	static const dl__column counts[4] = {{"场景等级", 1.6, DL__ALIGN_LEFT},
					     {"恰为该级（个）", 1.6, DL__ALIGN_RIGHT},
					     {"达到该级及以上（个）", 2.0, DL__ALIGN_RIGHT},
					     {"其中约束性（个）", 1.8, DL__ALIGN_RIGHT}};
	const dl_questionnaire *q = dl_result_questionnaire(r);
	int level = dl_result_level(r), max = dl_questionnaire_scenario_max_level(q);
	int shown = level > 0 ? level : 1;
	size_t n, si, nsc = dl_questionnaire_scenario_count(q);
	const char *desc = dl__level_description(q, level);
	char a[32], b[32], name[32], shown_name[32];
	dl__textbuf key = {NULL, 0, 0};
	const char *lvl = dl__rp_level_name(q, level, name, sizeof(name));

	/* The result at a glance (text, the scenario table, two charts) starts a page and fills
	 * two. */
	dl__rp_page_break(rp);
	dl__rp_heading(rp, 1, "二、诊断结果概览");
	dl__rp_para(
	    rp, DL__PARA_INDENT,
	    "依据《%s》，%s%s，企业数字化水平评定为%s%s%s%s，总分 %s 分（满分 %s 分）。",
	    dl_questionnaire_title(q), dl_sheet_phase(s) == DL_PHASE_SELF_CHECK ? "按" : "经",
	    dl_sheet_phase(s) == DL_PHASE_SELF_CHECK ? "企业自评填报的评测表" : dl__method(s), lvl, desc[0] ? "（" : "", desc, desc[0] ? "）" : "",
	    dl__rp_points(dl_result_total(r), a, sizeof(a)),
	    dl__rp_points(dl_questionnaire_points(q), b, sizeof(b)));
	if (nsc > 0)
		dl__rp_para(rp, DL__PARA_INDENT,
			    "%zu 个数字化经营场景中，达到%s及以上的 %zu 个，其中约束性场景 %zu 个"
			    "（约束性场景共 %zu 个）。",
			    nsc, dl__rp_level_name(q, shown, shown_name, sizeof(shown_name)),
			    dl_result_scenarios_at_least(r, shown, false),
			    dl_result_scenarios_at_least(r, shown, true),
			    dl_questionnaire_constraint_scenario_count(q));

	dl__rp_pair(rp, "数字化水平等级：", "%s%s%s%s", lvl, desc[0] ? "（" : "", desc, desc[0] ? "）" : "");
	dl__rp_pair(rp, "总分：", "%s / %s", dl__rp_points(dl_result_total(r), a, sizeof(a)),
		    dl__rp_points(dl_questionnaire_points(q), b, sizeof(b)));
	for (n = 0; n < dl_questionnaire_node_count(q); n++) {
		if (dl_questionnaire_node_kind(q, n) != DL_NODE_DIMENSION)
			continue;
		dl__textbuf_clear(&key);
		dl__rp_check(rp, dl__textbuf_addf(&key, "%s：", dl_questionnaire_node_title(q, n)));
		dl__rp_pair(rp, dl__textbuf_get(&key), "%s / %s",
			    dl__rp_points(dl_result_node_score(r, n), a, sizeof(a)),
			    dl__rp_points(dl_questionnaire_node_points(q, n), b, sizeof(b)));
	}
	dl__rp_key_values(rp, 0);
	dl__textbuf_free(&key);
	if (nsc > 0) {
		/* A heading, not a caption: the layout keeps a heading with the table's first row.
		 */
		dl__rp_heading(rp, 2, "场景等级分布（共 %zu 个场景，其中约束性 %zu 个）", nsc,
			       dl_questionnaire_constraint_scenario_count(q));
		dl__rp_table(rp, counts, 4);
		for (int l = 0; l <= max; l++) {
			size_t exact = 0;
			for (si = 0; si < nsc; si++)
				exact += dl_result_scenario_level(r, si) == l;
			if (l == 0)
				dl__rp_cell(rp, 0, "0 级（未开展）");
			else
				dl__rp_cell(rp, 0, "%d 级", l);
			dl__rp_cell(rp, 1, "%zu", exact);
			dl__rp_cell(rp, 2, "%zu", dl_result_scenarios_at_least(r, l, false));
			dl__rp_cell(rp, 3, "%zu", dl_result_scenarios_at_least(r, l, true));
			dl__rp_row(rp, 4);
		}
	}

	dl__rp_dimension_bars(rp, "图1 各维度得分（与满分对比）", r, "得分", NULL, NULL);
	dl__rp_scenario_radar(rp, "图2 数字化经营场景等级（0–4 级）", r, "诊断结果", NULL, NULL);
}

static void dl__reasons(dl__rp *rp, const dl_result *r)
{
	static const dl__column cols[3] = {{"等级", 1.4, DL__ALIGN_LEFT},
					   {"判定条件（实际 / 要求）", 5.0, DL__ALIGN_LEFT},
					   {"结果", 1.0, DL__ALIGN_CENTER}};
	const dl_questionnaire *q = dl_result_questionnaire(r);
	int level = dl_result_level(r), next = dl__rp_next_level(r);
	size_t gi, i, n, ng = dl_questionnaire_grade_count(q);
	char name[32], lname[32], nname[32];
	dl__textbuf why = {NULL, 0, 0}, list = {NULL, 0, 0};
	const char *ln;
	dl__cond c[3];

	dl__rp_heading(rp, 1, "三、等级判定依据");
	dl__rp_heading(rp, 2, "（一）判定结论");
	dl__rp_para(rp, DL__PARA_INDENT,
		    "判定规则：各等级自高而低逐级判定，取全部条件均满足的最高等级；"
		    "任一条件不满足即不能评为该级。");
	if (next >= 0) {
		gi = dl_questionnaire_grade_find(q, next);
		n = dl__conditions(r, gi, c);
		for (i = 0; i < n; i++)
			if (!c[i].met)
				dl__rp_check(rp, dl__textbuf_addf(&why, "%s%s", why.len ? "；" : "",
							       c[i].text));
	}
	ln = dl__rp_level_name(q, level, lname, sizeof(lname));
	if (next < 0)
		dl__rp_para(rp, DL__PARA_INDENT, "企业满足最高等级%s的全部条件，评为%s。", ln, ln);
	else if (dl_questionnaire_grade_find(q, level) != DL_NONE)
		dl__rp_para(rp, DL__PARA_INDENT,
			    "企业满足%s的全部条件，评为%s；未达到%s，原因是：%s。", ln, ln,
			    dl__rp_level_name(q, next, nname, sizeof(nname)), dl__textbuf_get(&why));
	else
		dl__rp_para(
		    rp, DL__PARA_INDENT, "企业未满足%s的全部条件，评为%s；未满足的条件：%s。",
		    dl__rp_level_name(q, next, nname, sizeof(nname)), ln, dl__textbuf_get(&why));
	dl__rp_heading(rp, 2, "（二）各等级的判定条件");
	dl__rp_table(rp, cols, 3);
	for (gi = 0; gi < ng; gi++) {
		int met = dl_result_grade_met(r, gi);
		n = dl__conditions(r, gi, c);
		for (i = 0; i < n; i++) {
			if (i == 0)
				dl__rp_cell(rp, 0, "%s\n（%s）",
					    dl__rp_level_name(q,
							      dl_questionnaire_grade_level(q, gi),
							      name, sizeof(name)),
					    met ? "条件全部满足" : "未达到");
			dl__rp_cell(rp, 1, "%s", c[i].text);
			dl__rp_cell(rp, 2, "%s", c[i].met ? "满足" : "未满足");
			dl__rp_row(rp, 3);
		}
	}
	for (i = 0; i < dl_questionnaire_level_count(q); i++)
		if (dl_questionnaire_level_value(q, i) > 0 &&
		    dl_questionnaire_level_description_at(q, i)[0] != '\0')
			dl__rp_check(rp, dl__textbuf_addf(&list, "%s%s：%s", list.len ? "；" : "",
						       dl_questionnaire_level_name_at(q, i),
						       dl_questionnaire_level_description_at(q, i)));
	if (list.len > 0)
		dl__rp_para(rp, DL__PARA_SMALL, "评测指标对等级的表述：%s。", dl__textbuf_get(&list));
	dl__textbuf_free(&why);
	dl__textbuf_free(&list);
}

static void dl__questions(dl__rp *rp, const dl_result *r, const dl_sheet *s)
{
	static const dl__column tree[5] = {{"编号", 1.2, DL__ALIGN_LEFT},
					   {"指标", 4.4, DL__ALIGN_LEFT},
					   {"得分", 1.2, DL__ALIGN_RIGHT},
					   {"满分", 1.2, DL__ALIGN_RIGHT},
					   {"得分率", 1.2, DL__ALIGN_RIGHT}};
	static const dl__column cols[6] = {
	    {"编号", 0.8, DL__ALIGN_LEFT},     {"评测项", 2.7, DL__ALIGN_LEFT},
	    {"所选答案", 3.4, DL__ALIGN_LEFT}, {"判定方式与数据依据", 2.6, DL__ALIGN_LEFT},
	    {"得分", 1.0, DL__ALIGN_RIGHT},    {"满分", 0.9, DL__ALIGN_RIGHT}};
	static const dl__column figs[4] = {{"序号", 0.6, DL__ALIGN_CENTER},
					   {"数据项", 5.0, DL__ALIGN_LEFT},
					   {"填报数值", 1.6, DL__ALIGN_RIGHT},
					   {"单位", 1.4, DL__ALIGN_LEFT}};
	const dl_questionnaire *q = dl_result_questionnaire(r);
	size_t n, i, nf = dl_sheet_figure_count(s);
	int self = dl_sheet_phase(s) == DL_PHASE_SELF_CHECK;
	char a[32], b[32], pct[32];
	dl__textbuf chosen = {NULL, 0, 0}, why = {NULL, 0, 0};

	dl__rp_heading(rp, 1, "四、评测项得分明细");
	dl__rp_heading(rp, 2, "（一）各级指标得分");
	dl__rp_table(rp, tree, 5);
	for (n = 0; n < dl_questionnaire_node_count(q); n++) {
		dl_points got = dl_result_node_score(r, n),
			  max = dl_questionnaire_node_points(q, n);
		if (dl_questionnaire_node_kind(q, n) == DL_NODE_QUESTION ||
		    !dl__rp_node_shown(q, n))
			continue;
		dl__rp_cell(rp, 0, "%s", dl_questionnaire_node_id(q, n));
		dl__rp_cell(rp, 1, "%s%s", dl__rp_indent(q, n), dl_questionnaire_node_title(q, n));
		dl__rp_cell(rp, 2, "%s", dl__rp_points(got, a, sizeof(a)));
		dl__rp_cell(rp, 3, "%s", dl__rp_points(max, b, sizeof(b)));
		dl__rp_cell(rp, 4, "%s", dl__rp_percent(got, max, pct, sizeof(pct)));
		dl__rp_row(rp, 5);
	}
	dl__rp_cell(rp, 1, "合计");
	dl__rp_cell(rp, 2, "%s", dl__rp_points(dl_result_total(r), a, sizeof(a)));
	dl__rp_cell(rp, 3, "%s", dl__rp_points(dl_questionnaire_points(q), b, sizeof(b)));
	dl__rp_cell(
	    rp, 4, "%s",
	    dl__rp_percent(dl_result_total(r), dl_questionnaire_points(q), pct, sizeof(pct)));
	dl__rp_row(rp, 5);

	dl__rp_heading(rp, 2, "（二）各评测项的答案与得分");
	dl__rp_table(rp, cols, 6);
	for (n = 0; n < dl_questionnaire_node_count(q); n++) {
		size_t qi = dl_questionnaire_node_question(q, n), oi;
		const char *basis;
		if (qi == DL_NONE)
			continue;
		basis = dl_result_question_basis(r, qi);
		dl__textbuf_clear(&chosen);
		for (oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++)
			if (dl_result_option_chosen(r, qi, oi))
				dl__rp_check(
				    rp, dl__textbuf_addf(&chosen, "%s%s %s", chosen.len ? "\n" : "",
						      dl_questionnaire_option_id(q, qi, oi),
						      dl_questionnaire_option_text(q, qi, oi)));
		dl__rp_cell(rp, 0, "%s", dl_questionnaire_node_id(q, n));
		dl__rp_cell(rp, 1, "%s", dl_questionnaire_node_title(q, n));
		dl__rp_cell(rp, 2, "%s", chosen.len ? dl__textbuf_get(&chosen) : "未作答");
		dl__textbuf_clear(&why);
		dl__rp_check(rp, dl__basis_text(q, basis, &why));
		dl__rp_cell(rp, 3, "%s%s%s", dl__source_label(dl_result_question_source(r, qi), self),
			    basis[0] ? "：" : "", dl__textbuf_get(&why));
		dl__rp_cell(rp, 4, "%s", dl__rp_points(dl_result_node_score(r, n), a, sizeof(a)));
		dl__rp_cell(rp, 5, "%s",
			    dl__rp_points(dl_questionnaire_node_points(q, n), b, sizeof(b)));
		dl__rp_row(rp, 6);
	}
	dl__rp_cell(rp, 1, "合计");
	dl__rp_cell(rp, 4, "%s", dl__rp_points(dl_result_total(r), a, sizeof(a)));
	dl__rp_cell(rp, 5, "%s", dl__rp_points(dl_questionnaire_points(q), b, sizeof(b)));
	dl__rp_row(rp, 6);
	dl__textbuf_free(&chosen);
	dl__textbuf_free(&why);
	dl__rp_para(rp, DL__PARA_SMALL,
		    "注：判定方式中，手选 = %s；由原始数据推导 = "
		    "按填报的原始数据计算后落入的区间或"
		    "变化方向；按填写数值 = 按填写的比例数值落入的区间；经原始数据核对 = "
		    "手选且与填报数据一致。",
		    self ? "企业自评时选定" : "评测人员按现场核查选定");

	dl__rp_heading(rp, 2, "（三）填报的原始数据");
	if (nf == 0) {
		dl__rp_para(rp, DL__PARA_INDENT,
			    "评测表未填报原始数据，各评测项均为手选或填写数值。");
		return;
	}
	dl__rp_table(rp, figs, 4);
	for (i = 0; i < nf; i++) {
		const char *id = dl_sheet_figure_id(s, i);
		size_t fi = dl_questionnaire_figure_find(q, id);
		dl__rp_cell(rp, 0, "%zu", i + 1);
		dl__rp_cell(rp, 1, "%s", fi != DL_NONE ? dl_questionnaire_figure_label(q, fi) : id);
		dl__rp_cell(rp, 2, "%s", dl_sheet_figure_text(s, i));
		dl__rp_cell(rp, 3, "%s",
			    fi != DL_NONE ? dl__rp_or_dash(dl_questionnaire_figure_unit(q, fi))
					  : "—");
		dl__rp_row(rp, 4);
	}
}

static const char *const dl__group_numbers[] = {"（一）", "（二）", "（三）", "（四）", "（五）",
						"（六）", "（七）", "（八）", "（九）", "（十）"};

static void dl__scenarios(dl__rp *rp, const dl_result *r)
{
	static const dl__column cols[5] = {{"编号", 0.7, DL__ALIGN_LEFT},
					   {"场景", 1.5, DL__ALIGN_LEFT},
					   {"类型", 1.1, DL__ALIGN_LEFT},
					   {"等级", 0.8, DL__ALIGN_CENTER},
					   {"当前等级的含义", 5.6, DL__ALIGN_LEFT}};
	const dl_questionnaire *q = dl_result_questionnaire(r);
	size_t g, si, nsc = dl_questionnaire_scenario_count(q);

	if (nsc == 0)
		return;
	dl__rp_heading(rp, 1, "五、%s场景评估", dl_questionnaire_scenarios_title(q));
	dl__rp_para(rp, DL__PARA_SMALL,
		    "★ 约束性场景（%zu 个），其余为指导性场景。等级 0 表示该场景未开展；"
		    "“当前等级的含义”摘自评测指标中该场景对应等级的描述。",
		    dl_questionnaire_constraint_scenario_count(q));
	for (g = 0; g < dl_questionnaire_group_count(q); g++) {
		int any = 0;
		for (si = 0; si < nsc; si++) {
			int level;
			if (dl_questionnaire_scenario_group(q, si) != g)
				continue;
			if (!any) {
				dl__rp_heading(rp, 2, "%s%s", g < 10 ? dl__group_numbers[g] : "",
					       dl_questionnaire_group_title(q, g));
				dl__rp_table(rp, cols, 5);
				any = 1;
			}
			level = dl_result_scenario_level(r, si);
			dl__rp_cell(rp, 0, "%s", dl_questionnaire_scenario_id(q, si));
			dl__rp_cell(rp, 1, "%s", dl_questionnaire_scenario_title(q, si));
			dl__rp_cell(rp, 2, "%s",
				    dl_questionnaire_scenario_is_constraint(q, si) ? "约束性 ★"
										   : "指导性");
			dl__rp_cell(rp, 3, "%d 级", level);
			dl__rp_cell(rp, 4, "%s",
				    level > 0 ? dl__rp_or_dash(dl_questionnaire_scenario_level_text(
						    q, si, level))
					      : "未开展");
			dl__rp_row(rp, 5);
		}
	}
}

/* Whether text ends with a full stop already (the level texts do). */
static int dl__ends_with_stop(const char *text)
{
	size_t n = strlen(text);

	return n >= 3 && strcmp(text + n - 3, "。") == 0;
}

/* Appends a plan step in the text output's wording, with the question's or the scenario's title
 * (and for a scenario what the target level means). Returns as dl__textbuf_addf. */
static int dl__step_text(const dl_plan *p, size_t i, const dl_questionnaire *q, dl__textbuf *out)
{
	char gain[32];
	size_t qi, from, to;

	if (dl_plan_step_kind(p, i) == DL_STEP_RAISE_SCENARIO) {
		size_t si = dl_plan_step_scenario(p, i);
		int lt = dl_plan_step_level_to(p, i);
		const char *goal = dl_questionnaire_scenario_level_text(q, si, lt);
		return dl__textbuf_addf(
		    out, "场景 %s %s%s：%d 级 → %d 级%s%s%s", dl_questionnaire_scenario_id(q, si),
		    dl_questionnaire_scenario_title(q, si),
		    dl_questionnaire_scenario_is_constraint(q, si) ? "（约束性）" : "",
		    dl_plan_step_level_from(p, i), lt, goal[0] ? "。目标等级的要求：" : "", goal,
		    goal[0] && !dl__ends_with_stop(goal) ? "。" : "");
	}
	qi = dl_plan_step_question(p, i);
	from = dl_plan_step_option_from(p, i);
	to = dl_plan_step_option_to(p, i);
	dl__rp_points(dl_plan_step_gain(p, i), gain, sizeof(gain));
#define QID    dl_questionnaire_question_id(q, qi), dl_questionnaire_question_text(q, qi)
#define OPT(o) dl_questionnaire_option_id(q, qi, o), dl_questionnaire_option_text(q, qi, o)
	if (dl_plan_step_kind(p, i) == DL_STEP_SWITCH_OPTION && from != DL_NONE &&
	    dl_questionnaire_question_input(q, qi) == DL_INPUT_VALUE)
		return dl__textbuf_addf(out, "问题 %s %s：数值由 %s「%s」提高到 %s「%s」（+%s 分）",
				     QID, OPT(from), OPT(to), gain);
	else if (dl_plan_step_kind(p, i) == DL_STEP_SWITCH_OPTION && from != DL_NONE &&
		 dl_questionnaire_question_input(q, qi) == DL_INPUT_TREND)
		return dl__textbuf_addf(out, "问题 %s %s：变化由「%s」转为「%s」（+%s 分）", QID,
				     dl_questionnaire_option_text(q, qi, from),
				     dl_questionnaire_option_text(q, qi, to), gain);
	else if (dl_plan_step_kind(p, i) == DL_STEP_SWITCH_OPTION && from != DL_NONE)
		return dl__textbuf_addf(out, "问题 %s %s：由 %s「%s」改为 %s「%s」（+%s 分）", QID,
				     OPT(from), OPT(to), gain);
	else if (dl_plan_step_kind(p, i) == DL_STEP_SWITCH_OPTION)
		return dl__textbuf_addf(out, "问题 %s %s：选 %s「%s」（+%s 分）", QID, OPT(to), gain);
	else if (from != DL_NONE)
		return dl__textbuf_addf(out, "问题 %s %s：增选 %s「%s」，取消 %s「%s」（+%s 分）", QID,
				     OPT(to), OPT(from), gain);
	return dl__textbuf_addf(out, "问题 %s %s：增选 %s「%s」（+%s 分）", QID, OPT(to), gain);
#undef QID
#undef OPT
}

/* What is missing for the plan's target and the plan itself, in the text output's wording. */
static void dl__plan_items(dl__rp *rp, const dl_result *r, const dl_plan *plan)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	static const dl__column cols[3] = {{"序号", 0.6, DL__ALIGN_CENTER},
					   {"改进内容", 7.0, DL__ALIGN_LEFT},
					   {"预期效果", 1.5, DL__ALIGN_CENTER}};
	dl__textbuf text = {NULL, 0, 0};
	char a[32], name[32];
	const char *tn;
	size_t n;

	dl__rp_heading(rp, 2, "（二）改造需求");
	if (plan == NULL) {
		dl__rp_para(rp, DL__PARA_INDENT, "企业已达到最高等级%s，无更高等级的改进计划。",
			    dl__rp_level_name(q, dl_result_level(r), name, sizeof(name)));
		return;
	}
	tn = dl__rp_level_name(q, dl_plan_target(plan), name, sizeof(name));
	if (dl_plan_step_count(plan) == 0 && dl_plan_feasible(plan)) {
		dl__rp_para(rp, DL__PARA_INDENT, "已达到%s。", tn);
		return;
	}
	dl__rp_para(rp, DL__PARA_INDENT,
		    "目标等级：%s。距%s还差：%s 分；%zu 个场景；%zu 个约束性场景。", tn, tn,
		    dl__rp_points(dl_plan_missing_points(plan), a, sizeof(a)),
		    dl_plan_missing_scenarios(plan), dl_plan_missing_constraint_scenarios(plan));
	if (!dl_plan_feasible(plan))
		dl__rp_para(rp, DL__PARA_INDENT,
			    "按本问卷无法达到%s；下表为尽力而为的改进（%zu 项）。", tn,
			    dl_plan_step_count(plan));
	else
		dl__rp_para(rp, DL__PARA_INDENT, "达到%s的最少改进步骤共 %zu 步，见下表。", tn,
			    dl_plan_step_count(plan));
	dl__rp_heading(rp, 2, "（三）改进计划（场景清单）");
	if (dl_plan_step_count(plan) > 0)
		dl__rp_table(rp, cols, 3);
	for (n = 0; n < dl_plan_step_count(plan); n++) {
		dl__textbuf_clear(&text);
		dl__rp_check(rp, dl__step_text(plan, n, q, &text));
		dl__rp_cell(rp, 0, "%zu", n + 1);
		dl__rp_cell(rp, 1, "%s", dl__textbuf_get(&text));
		if (dl_plan_step_is_outcome(plan, n))
			dl__rp_cell(rp, 2, "预期成效（须实测）");
		else if (dl_plan_step_kind(plan, n) == DL_STEP_RAISE_SCENARIO)
			dl__rp_cell(rp, 2, "%d 级 → %d 级", dl_plan_step_level_from(plan, n),
				    dl_plan_step_level_to(plan, n));
		else
			dl__rp_cell(rp, 2, "+%s 分",
				    dl__rp_points(dl_plan_step_gain(plan, n), a, sizeof(a)));
		dl__rp_row(rp, 3);
	}
	dl__textbuf_free(&text);
}

/* The diagnosis in two sentences: the level and total, and what the plan would reach. */
static void dl__conclusion(dl__rp *rp, const dl_result *r, const dl_plan *plan)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	char a[32], n1[32], n2[32];
	const char *level = dl__rp_level_name(q, dl_result_level(r), n1, sizeof(n1));

	dl__rp_points(dl_result_total(r), a, sizeof(a));
	if (plan == NULL || (dl_plan_step_count(plan) == 0 && dl_plan_feasible(plan)))
		dl__rp_para(rp, DL__PARA_INDENT, "诊断结论：企业数字化水平评定为%s，总分 %s 分。",
			    level, a);
	else if (dl_plan_feasible(plan))
		dl__rp_para(
		    rp, DL__PARA_INDENT,
		    "诊断结论：企业数字化水平评定为%s，总分 %s 分；完成场景清单所列 %zu 项改进，"
		    "可达到%s。",
		    level, a, dl_plan_step_count(plan),
		    dl__rp_level_name(q, dl_plan_target(plan), n2, sizeof(n2)));
	else
		dl__rp_para(rp, DL__PARA_INDENT,
			    "诊断结论：企业数字化水平评定为%s，总分 %s 分；按本评测指标无法达到%s，"
			    "场景清单列出尽力而为的 %zu 项改进。",
			    level, a, dl__rp_level_name(q, dl_plan_target(plan), n2, sizeof(n2)),
			    dl_plan_step_count(plan));
}

int dl_report_diagnostic(unsigned char **out, size_t *len, const dl_result *r, const dl_sheet *s,
			 const dl_report_options *opts, dl_error *err)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	dl_report_options use;
	dl_plan *plan = NULL;
	dl__rp rp;
	char date[48], title[1024], number[160], keywords[1400];
	int rc, target, self = dl_sheet_phase(s) == DL_PHASE_SELF_CHECK;

	if ((rc = dl__rp_options(opts, &use, err)) < 0)
		return rc;
	if (strcmp(dl_sheet_questionnaire_id(s), dl_questionnaire_id(q)) != 0 ||
	    strcmp(dl_sheet_questionnaire_version(s), dl_questionnaire_version(q)) != 0)
		return dl__error_message(
		    err, DL_EMISMATCH,
		    "the sheet answers questionnaire '%s' version '%s' but the result is of '%s' "
		    "version '%s'",
		    dl_sheet_questionnaire_id(s), dl_sheet_questionnaire_version(s),
		    dl_questionnaire_id(q), dl_questionnaire_version(q));
	target = use.target_level >= 0 ? use.target_level : dl__rp_next_level(r);
	if (target >= 0 && (rc = dl_plan_make(&plan, r, target, err)) < 0)
		return rc;

	dl__rp_date(dl_sheet_date(s), date, sizeof(date));
	dl__rp_report_number(dl_sheet_phase(s) == DL_PHASE_SELF_CHECK   ? "ZP"
			     : dl_sheet_phase(s) == DL_PHASE_EVALUATION ? "PC"
									: "ZD",
			     dl_sheet_enterprise(s, DL_ENTERPRISE_CREDIT_CODE), dl_sheet_date(s), 0,
			     number, sizeof(number));
	snprintf(title, sizeof(title), "%s 数字化诊断报告%s",
		 dl_sheet_enterprise(s, DL_ENTERPRISE_NAME), dl_result_provisional(r) ? "（草稿）" : "");
	snprintf(keywords, sizeof(keywords), "数字化诊断报告, 中小企业数字化转型, %s, %s",
		 dl_questionnaire_title(q), number);
	dl__rp_init(&rp);
	dl__rp_info(&rp, title, dl__issuer(s), "中小企业数字化水平诊断", keywords);
	dl__rp_header(&rp, "%s · 数字化诊断报告 · %s", dl_sheet_enterprise(s, DL_ENTERPRISE_NAME),
		      number);
	dl__rp_footer(&rp, "评测表 SHA-256：%s", dl_sheet_digest(s));
	if (dl_result_provisional(r) && rp.doc) /* a provisional score: 草稿 on every page */
		dl__doc_set_draft(rp.doc);
	dl__cover_page(&rp, r, s, date, number);
	dl__statement(&rp, q, s);
	dl__profile(&rp, r, s, date);
	dl__diag_profile_sections(&rp, s, dl_sheet_assessor_count(s) ? 3 : 2);
	dl__glance(&rp, r, s);
	dl__reasons(&rp, r);
	dl__questions(&rp, r, s);
	dl__scenarios(&rp, r);
	dl__rp_heading(&rp, 1, "六、问题、需求和场景清单");
	dl__diag_problems(&rp, r, plan, use.target_level);
	dl__plan_items(&rp, r, plan);
	if ((rc = dl__diag_retrofit(&rp, r, s, plan, use.catalogue, use.policy, err)) < 0) {
		dl__rp_free(&rp);
		dl_plan_free(plan);
		return rc;
	}
	dl__rp_heading(&rp, 1, "七、说明与佐证材料");
	dl__rp_evidence(&rp, s, q);
	dl__rp_heading(&rp, 1, "八、诊断意见与签字");
	dl__conclusion(&rp, r, plan);
	if (self)
		dl__rp_para(&rp, DL__PARA_INDENT,
			    "本报告依据企业自评填报的评测表（SHA-256 见页脚）编制，等级按《%s》判定。"
			    "问题、需求和场景清单可作为企业数字化改造方案的参考。",
			    dl_questionnaire_title(q));
	else
		dl__rp_para(&rp, DL__PARA_INDENT,
			    "本报告依据企业填报的评测表（SHA-256 见页脚）及%s情况编制，等级按《%s》判定。"
			    "问题、需求和场景清单可作为企业数字化改造方案的依据。",
			    dl_sheet_phase(s) == DL_PHASE_EVALUATION ? "现场评测" : "现场核查",
			    dl_questionnaire_title(q));
	dl__rp_team_block(&rp, s, self ? "（一）填报单位" : dl_sheet_phase(s) == DL_PHASE_EVALUATION
									  ? "（一）评测机构"
									  : "（一）诊断机构",
			  dl__org_key(s, 1), dl__issuer(s), date);
	dl__rp_expert_block(&rp, s, "（二）专家组", dl__issuer(s));
	dl__rp_approval_block(&rp, s, "（三）编制、审核与批准");
	if (!self)
		dl__rp_enterprise_block(&rp, s, "（四）企业确认",
					"本企业已阅知本报告，确认报告所载企业基本情况、填报数据和佐证材料"
					"真实、完整，对诊断结论无异议。");
	dl__rp_bureau_block(&rp, s, self ? "（四）区（县）主管部门审核" : "（五）区（县）主管部门审核",
			    NULL);
	rc = dl__rp_render(&rp, &use, title, out, len, err);
	dl__rp_free(&rp);
	dl_plan_free(plan);
	return rc;
}
