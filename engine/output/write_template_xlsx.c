/*
 * write_template_xlsx.c: the blank self-assessment workbook (自评表.xlsx) of a questionnaire, for a
 * person to fill in Excel, WPS or LibreOffice (include/digilevel/xlsx.h). The only user of
 * libxlsxwriter.
 *
 * Everything in it comes from the loaded questionnaire: questions, options, points, figures,
 * scenarios and their level texts; the layout (which column holds what, the row ids the reader goes
 * by) is workbook_layout.h, shared with the reader (engine/model/sheet_workbook.c). Cells people
 * fill are yellow and unlocked; every sheet is protected, so the rest cannot be edited; each answer
 * cell checks what is typed (a drop-down, numbers only, a date). Row heights are set from the text
 * (CJK characters count two columns), so the wrapped texts show whole in every program.
 *
 * libxlsxwriter 1.1.4 writes to a file name only: the workbook is written to a temporary file
 * (mkstemp in $TMPDIR or /tmp), read back, handed to write and removed. The document's creation time
 * is fixed, so the same questionnaire gives the same bytes.
 */
#include "alloc.h"
#include "decimal.h"
#include "diag.h"
#include "i18n.h"
#include "model.h"
#include "workbook_layout.h"
#include "digilevel/xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

typedef struct styles {
	lxw_format *title, *subtitle, *header, *text, *center, *section, *answer, *answer_text,
		*number, *date, *label_required, *hint, *locked_answer;
} styles;

/* How many columns (of the width unit: one digit) text takes: CJK and other wide characters two. */
static size_t display_width(const char *s, size_t *longest_line, size_t *lines)
{
	size_t w = 0, line = 0;
	*longest_line = 0;
	*lines = 1;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (*p == '\n') {
			(*lines)++;
			line = 0;
			p++;
			continue;
		}
		size_t n = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
		size_t cw = n >= 3 ? 2 : 1;
		w += cw;
		line += cw;
		if (line > *longest_line)
			*longest_line = line;
		while (n-- && *p)
			p++;
	}
	return w;
}

/* The rows wrapped text takes in a column of width cols. */
static int text_rows(const char *s, double cols)
{
	int rows = 0;
	const char *p = s;
	for (;;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char piece[8192];
		if (len >= sizeof(piece))
			len = sizeof(piece) - 1;
		memcpy(piece, p, len);
		piece[len] = '\0';
		size_t longest, lines;
		size_t w = display_width(piece, &longest, &lines);
		int r = (int)((double)w / (cols - 1.5)) + 1;
		rows += r;
		if (!end)
			break;
		p = end + 1;
	}
	return rows;
}

/* Grow the row's height so that text shows whole in a column of width cols. */
static void fit(double *height, const char *text, double cols)
{
	double h = 15.0 * text_rows(text, cols) + 3;
	if (h > *height)
		*height = h;
}

static lxw_format *add_format(lxw_workbook *wb, bool border)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_font_name(f, "宋体");
	format_set_font_size(f, 10.5);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	format_set_text_wrap(f);
	if (border) {
		format_set_border(f, LXW_BORDER_THIN);
		format_set_border_color(f, 0xA6A6A6);
	}
	return f;
}

static void make_styles(lxw_workbook *wb, styles *st)
{
	st->title = add_format(wb, false);
	format_set_font_size(st->title, 16);
	format_set_bold(st->title);
	format_set_align(st->title, LXW_ALIGN_VERTICAL_CENTER);
	st->subtitle = add_format(wb, false);
	format_set_font_color(st->subtitle, 0x595959);
	st->header = add_format(wb, true);
	format_set_bold(st->header);
	format_set_bg_color(st->header, 0xD9E1F2);
	format_set_align(st->header, LXW_ALIGN_CENTER);
	format_set_align(st->header, LXW_ALIGN_VERTICAL_CENTER);
	st->text = add_format(wb, true);
	st->center = add_format(wb, true);
	format_set_align(st->center, LXW_ALIGN_CENTER);
	st->section = add_format(wb, true);
	format_set_bold(st->section);
	format_set_bg_color(st->section, 0xF2F2F2);
	st->answer = add_format(wb, true);
	format_set_unlocked(st->answer);
	format_set_bg_color(st->answer, 0xFFF2CC);
	st->answer_text = add_format(wb, true);
	format_set_unlocked(st->answer_text);
	format_set_bg_color(st->answer_text, 0xFFF2CC);
	format_set_num_format(st->answer_text, "@");
	st->number = add_format(wb, true);
	format_set_unlocked(st->number);
	format_set_bg_color(st->number, 0xFFF2CC);
	format_set_num_format(st->number, "General");
	format_set_align(st->number, LXW_ALIGN_RIGHT);
	st->date = add_format(wb, true);
	format_set_unlocked(st->date);
	format_set_bg_color(st->date, 0xFFF2CC);
	format_set_num_format(st->date, "yyyy-mm-dd");
	format_set_align(st->date, LXW_ALIGN_LEFT);
	st->label_required = add_format(wb, true);
	format_set_bold(st->label_required);
	st->hint = add_format(wb, true);
	format_set_font_color(st->hint, 0x595959);
	st->locked_answer = add_format(wb, true);
	format_set_font_color(st->locked_answer, 0x595959);
	format_set_bg_color(st->locked_answer, 0xF2F2F2);
}

/* Print on A4, one page wide, the header row on every page (landscape for the wide sheets). */
static void page(lxw_worksheet *ws, bool landscape, bool header)
{
	worksheet_set_paper(ws, 9);
	if (landscape)
		worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
	if (header)
		worksheet_repeat_rows(ws, 0, 0);
}

/* Protect ws: only unlocked cells can be edited; columns and rows may be resized. */
static void protect(lxw_worksheet *ws)
{
	lxw_protection p;
	memset(&p, 0, sizeof(p));
	p.format_columns = 1;
	p.format_rows = 1;
	worksheet_protect(ws, NULL, &p);
}

/*
 * A drop-down of the cells row, col (0-based) from a range of the hidden sheet. (libxlsxwriter 1.1.4
 * loses the copy of the range it makes here, a few bytes per drop-down: tests/lsan.supp and
 * tests/valgrind.supp name it, docs/security.md says so.)
 */
static void list_from(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *range,
		      const char *title, const char *message)
{
	lxw_data_validation v;
	memset(&v, 0, sizeof(v));
	v.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
	v.value_formula = (char *)range;
	v.input_title = (char *)title;
	v.input_message = (char *)message;
	v.error_title = (char *)"请从下拉列表中选择";
	v.error_message = (char *)"只能选择下拉列表中的一项。";
	worksheet_data_validation_cell(ws, row, col, &v);
}

static void list_of(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char **items,
		    const char *title, const char *message)
{
	lxw_data_validation v;
	memset(&v, 0, sizeof(v));
	v.validate = LXW_VALIDATION_TYPE_LIST;
	v.value_list = (char **)items;
	v.input_title = (char *)title;
	v.input_message = (char *)message;
	v.error_title = (char *)"请从下拉列表中选择";
	v.error_message = (char *)"只能选择下拉列表中的一项。";
	worksheet_data_validation_cell(ws, row, col, &v);
}

static void numbers_only(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, bool integer, double min,
			 double max, const char *title)
{
	lxw_data_validation v;
	memset(&v, 0, sizeof(v));
	v.validate = integer ? LXW_VALIDATION_TYPE_INTEGER : LXW_VALIDATION_TYPE_DECIMAL;
	v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
	v.minimum_number = min;
	v.maximum_number = max;
	v.input_title = (char *)title;
	v.input_message = (char *)(integer ? "填整数，不带单位。" : "填数字（最多 4 位小数），不带单位、百分号或千位分隔符。");
	v.error_title = (char *)(integer ? "应为整数" : "应为数字");
	v.error_message = (char *)(integer ? "这里只能填整数，不带单位。"
					   : "这里只能填数字（如 12.5），不带单位、百分号或千位分隔符。");
	worksheet_data_validation_cell(ws, row, col, &v);
}

static void dates_only(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col)
{
	lxw_data_validation v;
	memset(&v, 0, sizeof(v));
	v.validate = LXW_VALIDATION_TYPE_DATE;
	v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
	lxw_datetime lo = {2000, 1, 1, 0, 0, 0}, hi = {2099, 12, 31, 0, 0, 0};
	v.minimum_datetime = lo;
	v.maximum_datetime = hi;
	v.input_title = (char *)"评估日期";
	v.input_message = (char *)"填日期，如 2024-12-12。";
	v.error_title = (char *)"应为日期";
	v.error_message = (char *)"这里只能填 2000 至 2099 年间的日期，如 2024-12-12。";
	worksheet_data_validation_cell(ws, row, col, &v);
}

/* --- the sheets ---------------------------------------------------------------------------------- */

static void sheet_help(lxw_worksheet *ws, const styles *st, const dl_questionnaire *q)
{
	char buf[2048], pts[32];
	worksheet_set_column(ws, 0, 0, 2, NULL);
	worksheet_set_column(ws, 1, 1, 90, NULL);
	page(ws, false, false);
	snprintf(buf, sizeof(buf), "%s · 自评表", q->title);
	worksheet_set_row(ws, 0, 30, NULL);
	worksheet_write_string(ws, 0, 1, buf, st->title);
	snprintf(buf, sizeof(buf), "问卷：%s %s · %s %s %s · 满分 %s 分", q->id, q->version, q->issuer,
		 q->document, q->issued, dl__decimal_format(q->points, pts, sizeof(pts)));
	worksheet_write_string(ws, 1, 1, buf, st->subtitle);
	const char *steps[] = {
		"怎样填写",
		"1. 只填黄色的格子。其他格子受保护，不能修改；请不要增删行列、不要改工作表的名称。可以在 Excel、WPS "
		"或 LibreOffice 中填写，保存为 .xlsx 格式。",
		"2.「" DL__WB_SHEET_ENTERPRISE "」：企业和本次评估的情况，加粗的项目必须填写。统一社会信用代码为 18 位，"
		"与营业执照一致；评估日期填日期，如 2024-12-12。评估人员每人一行，可不填。",
		"3.「" DL__WB_SHEET_FIGURES "」：企业的原始数据。只填数字，不带单位、百分号或千位分隔符（如 3000，"
		"不要写 3,000 或 3000台）。填了数据的题目由数据得出选项，不用再选；手工选的选项会与数据核对。",
		"4.「" DL__WB_SHEET_QUESTIONS "」：单选题在「选项」一列的下拉列表中选一项。多选题的每个选项占一行，"
		"在该行选「是」或「否」（不选视为「否」）；标有「排他」的选项只能单独选择。数值题也可以在「数值」一列直接填数值。"
		"「备注」「佐证材料」可不填，佐证材料多项时每项一行（Alt+Enter 换行）。",
		"5.「" DL__WB_SHEET_SCENARIOS "」：对照每个场景各等级的说明，在「等级」一列选择企业达到的等级"
		"（0 = 未开展）。★ 为约束性场景。",
		"6. 填好后检查：digilevel validate 自评表.xlsx；计算得分和等级：digilevel score 自评表.xlsx；"
		"也可以转换为答题表 XML：digilevel import 自评表.xlsx -o sheet.xml。",
		"7. 有问题时，提示会指出工作表和单元格，如「自评表.xlsx:问卷!F12: 「Q05 选项」应从下拉列表中选择，"
		"填写的是「…」」：打开该工作表，找到该单元格（F 列第 12 行）改正即可。",
	};
	lxw_row_t row = 3;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++, row++) {
		double h = 16;
		fit(&h, steps[i], 90);
		worksheet_set_row(ws, row, h, NULL);
		worksheet_write_string(ws, row, 1, steps[i], i == 0 ? st->section : st->text);
	}
	row++;
	worksheet_write_string(ws, row++, 1, "等级规则", st->section);
	for (size_t i = 0; i < q->grade_count; i++, row++) {
		const dl__grade *g = &q->grades[i];
		int n = snprintf(buf, sizeof(buf), "%s：得分 ≥ %s", dl_questionnaire_level_name(q, g->level),
				 dl__decimal_format(g->min_score, pts, sizeof(pts)));
		if (g->has_gate && n > 0 && (size_t)n < sizeof(buf))
			snprintf(buf + n, sizeof(buf) - (size_t)n, "，且达到 %d 级的场景不少于 %zu 个，其中约束性场景不少于 %zu 个",
				 g->gate_level, g->gate_count, g->gate_constraint);
		worksheet_write_string(ws, row, 1, buf, st->text);
	}
	protect(ws);
}

static void sheet_enterprise(lxw_worksheet *ws, const styles *st, const char *phase_label)
{
	lxw_row_col_options hidden = {1, 0, 0};
	worksheet_set_column_opt(ws, 0, 0, 8, NULL, &hidden);
	worksheet_set_column(ws, 1, 1, 18, NULL);
	worksheet_set_column(ws, 2, 2, 40, NULL);
	worksheet_set_column(ws, 3, 3, 46, NULL);
	worksheet_set_column(ws, 4, 5, 22, NULL);
	page(ws, true, true);
	worksheet_write_string(ws, 0, 0, "id", st->header);
	worksheet_write_string(ws, 0, 1, "项目", st->header);
	worksheet_write_string(ws, 0, 2, "填写", st->header);
	worksheet_write_string(ws, 0, 3, "说明", st->header);
	worksheet_set_row(ws, 0, 20, NULL);
	lxw_row_t row = 1;
	static const char *scales[] = {"规上", "规下", NULL};
	const char *phases[] = {dl__wb_phase_labels[0], dl__wb_phase_labels[1], dl__wb_phase_labels[2], NULL};
	for (size_t i = 0; i < dl__wb_field_count; i++, row++) {
		const dl__wb_field *f = &dl__wb_fields[i];
		double h = 18;
		fit(&h, f->hint, 46);
		worksheet_set_row(ws, row, h, NULL);
		worksheet_write_string(ws, row, 0, f->id, st->text);
		worksheet_write_string(ws, row, 1, f->label, f->required ? st->label_required : st->text);
		worksheet_write_string(ws, row, 3, f->hint, st->hint);
		lxw_col_t col = DL__WB_ENT_VALUE - 1;
		switch (f->kind) {
		case DL__WB_SCALE:
			worksheet_write_blank(ws, row, col, st->answer_text);
			list_of(ws, row, col, scales, "企业规模", "规上：规模以上工业企业；规下：规模以下。");
			break;
		case DL__WB_PHASE:
			worksheet_write_string(ws, row, col, phase_label, st->answer_text);
			list_of(ws, row, col, phases, "评估类型", "诊断：改造前；评测：改造后；自评：企业自己评估。");
			break;
		case DL__WB_COUNT:
			worksheet_write_blank(ws, row, col, st->number);
			numbers_only(ws, row, col, true, 0, 99999999, f->label);
			break;
		case DL__WB_DATE:
			worksheet_write_blank(ws, row, col, st->date);
			dates_only(ws, row, col);
			break;
		default:
			worksheet_write_blank(ws, row, col, st->answer_text);
		}
	}
	row++;
	worksheet_write_string(ws, row, 1, "评估人员", st->header);
	worksheet_write_string(ws, row, DL__WB_ASSESSOR_NAME - 1, "姓名", st->header);
	worksheet_write_string(ws, row, DL__WB_ASSESSOR_ROLE - 1, "角色（如 诊断组长）", st->header);
	worksheet_write_string(ws, row, DL__WB_ASSESSOR_TITLE - 1, "职称", st->header);
	worksheet_write_string(ws, row, DL__WB_ASSESSOR_CONTACT - 1, "联系方式", st->header);
	row++;
	for (int i = 1; i <= DL__WB_ASSESSORS; i++, row++) {
		char id[16], label[32];
		snprintf(id, sizeof(id), "r:%d", i);
		snprintf(label, sizeof(label), "第 %d 位", i);
		worksheet_write_string(ws, row, 0, id, st->text);
		worksheet_write_string(ws, row, 1, label, st->text);
		for (int c = DL__WB_ASSESSOR_NAME; c <= DL__WB_ASSESSOR_CONTACT; c++)
			worksheet_write_blank(ws, row, (lxw_col_t)(c - 1), st->answer_text);
	}
	worksheet_freeze_panes(ws, 1, 0);
	protect(ws);
}

static void sheet_figures(lxw_worksheet *ws, const styles *st, const dl_questionnaire *q)
{
	lxw_row_col_options hidden = {1, 0, 0};
	worksheet_set_column_opt(ws, 0, 0, 8, NULL, &hidden);
	worksheet_set_column(ws, 1, 1, 6, NULL);
	worksheet_set_column(ws, 2, 2, 44, NULL);
	worksheet_set_column(ws, 3, 3, 14, NULL);
	worksheet_set_column(ws, 4, 4, 16, NULL);
	worksheet_set_column(ws, 5, 5, 34, NULL);
	page(ws, false, true);
	const char *heads[] = {"id", "序号", "数据项", "单位", "填写", "说明"};
	for (lxw_col_t c = 0; c < 6; c++)
		worksheet_write_string(ws, 0, c, heads[c], st->header);
	worksheet_set_row(ws, 0, 20, NULL);
	for (size_t i = 0; i < q->figure_count; i++) {
		const dl__figure *f = &q->figures[i];
		lxw_row_t row = (lxw_row_t)(i + 1);
		char id[96], hint[512];
		snprintf(id, sizeof(id), "f:%s", f->id);
		int n = snprintf(hint, sizeof(hint), "%s", f->integer ? "整数" : "数字，最多 4 位小数");
		const char *sep = "；用于 ";
		for (size_t k = 0; k < q->question_count; k++)
			for (size_t j = 0; j < q->questions[k].field_count; j++)
				if (q->questions[k].fields[j] == i && n > 0 && (size_t)n < sizeof(hint)) {
					n += snprintf(hint + n, sizeof(hint) - (size_t)n, "%s%s", sep, q->questions[k].id);
					sep = "、";
				}
		double h = 18;
		fit(&h, f->label, 44);
		fit(&h, hint, 34);
		worksheet_set_row(ws, row, h, NULL);
		worksheet_write_string(ws, row, 0, id, st->text);
		worksheet_write_number(ws, row, 1, (double)(i + 1), st->center);
		worksheet_write_string(ws, row, 2, f->label, st->text);
		worksheet_write_string(ws, row, 3, f->unit, st->center);
		worksheet_write_blank(ws, row, DL__WB_FIG_VALUE - 1, st->number);
		numbers_only(ws, row, DL__WB_FIG_VALUE - 1, f->integer, f->integer ? -999999999 : -999999999.9999,
			     f->integer ? 999999999 : 999999999.9999, "只填数字");
		worksheet_write_string(ws, row, 5, hint, st->hint);
	}
	worksheet_freeze_panes(ws, 1, 0);
	protect(ws);
}

/* The drop-down text of an option: its id and text ("C 多个（≥2）"). */
static void option_label(const dl__option *op, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s", op->id, op->text);
}

static void sheet_questions(lxw_worksheet *ws, const styles *st, const dl_questionnaire *q,
			    lxw_worksheet *hidden)
{
	lxw_row_col_options hide = {1, 0, 0};
	const double widths[] = {8, 7, 56, 7, 7, 34, 10, 28, 28};
	worksheet_set_column_opt(ws, 0, 0, widths[0], NULL, &hide);
	for (lxw_col_t c = 1; c < 9; c++)
		worksheet_set_column(ws, c, c, widths[c], NULL);
	page(ws, true, true);
	const char *heads[] = {"id", "题号", "题目", "类型", "分值", "选项（从下拉列表选择）", "数值", "备注",
			       "佐证材料"};
	for (lxw_col_t c = 0; c < 9; c++)
		worksheet_write_string(ws, 0, c, heads[c], st->header);
	worksheet_set_row(ws, 0, 20, NULL);
	lxw_row_t row = 1, list_row = DL__WB_LIST_ROW - 1;
	char buf[8192], pts[32], id[128], range[64];
	for (size_t n = 0; n < q->node_count; n++) {
		const dl__node *node = &q->nodes[n];
		if (node->kind == DL_NODE_DIMENSION || node->kind == DL_NODE_INDICATOR) {
			snprintf(buf, sizeof(buf), "%s %s（%s 分）", node->id, node->title,
				 dl__decimal_format(node->points, pts, sizeof(pts)));
			worksheet_merge_range(ws, row, 1, row, 8, buf, st->section);
			worksheet_set_row(ws, row, 18, NULL);
			row++;
			continue;
		}
		if (node->kind != DL_NODE_QUESTION)
			continue;
		const dl__question *qu = &q->questions[node->question];
		/* the question's text, its definitions and how it follows from figures */
		int len = snprintf(buf, sizeof(buf), "%s", qu->text);
		for (size_t i = 0; i < qu->definition_count && len > 0 && (size_t)len < sizeof(buf); i++)
			len += snprintf(buf + len, sizeof(buf) - (size_t)len, "\n说明：%s", qu->definitions[i]);
		/* how it follows from figures, by the figures' names (the derivation text is for tools) */
		for (size_t i = 0; i < qu->field_count && len > 0 && (size_t)len < sizeof(buf); i++)
			len += snprintf(buf + len, sizeof(buf) - (size_t)len, "%s%s",
					i == 0 ? "\n可由「" DL__WB_SHEET_FIGURES "」表的数据得出：" : "、",
					q->figures[qu->fields[i]].label);
		double h = 18;
		fit(&h, buf, widths[2]);
		snprintf(id, sizeof(id), "q:%s", qu->id);
		worksheet_write_string(ws, row, 0, id, st->text);
		worksheet_write_string(ws, row, 1, qu->id, st->center);
		worksheet_write_string(ws, row, 2, buf, st->text);
		worksheet_write_string(ws, row, 3, qu->type == DL_QUESTION_MULTI ? "多选" : "单选", st->center);
		worksheet_write_string(ws, row, 4, dl__decimal_format(qu->points, pts, sizeof(pts)), st->center);
		lxw_col_t choice = DL__WB_Q_CHOICE - 1, value = DL__WB_Q_VALUE - 1;
		/* the drop-down's texts and the option ids under them, on the hidden sheet */
		snprintf(id, sizeof(id), "labels:%s", qu->id);
		worksheet_write_string(hidden, list_row, 0, id, NULL);
		snprintf(id, sizeof(id), "ids:%s", qu->id);
		worksheet_write_string(hidden, list_row + 1, 0, id, NULL);
		for (size_t i = 0; i < qu->option_count; i++) {
			option_label(&qu->options[i], buf, sizeof(buf));
			worksheet_write_string(hidden, list_row, (lxw_col_t)(i + 1), buf, NULL);
			worksheet_write_string(hidden, list_row + 1, (lxw_col_t)(i + 1), qu->options[i].id, NULL);
		}
		if (qu->type == DL_QUESTION_MULTI) {
			worksheet_write_string(ws, row, choice, "（多选：在下面各选项的行中选「是」或「否」）",
					       st->locked_answer);
		} else {
			worksheet_write_blank(ws, row, choice, st->answer_text);
			lxw_rowcol_to_range_abs(range, list_row, 1, list_row, (lxw_col_t)qu->option_count);
			char formula[96];
			snprintf(formula, sizeof(formula), "'%s'!%s", DL__WB_SHEET_HIDDEN, range);
			const char *msg = qu->input == DL_INPUT_CHOICE
						  ? "从下拉列表中选择一项。"
						  : "从下拉列表中选择一项；也可以不选，填了「数据」表的相关数据即由数据得出。";
			list_from(ws, row, choice, formula, "选择一项", msg);
		}
		fit(&h, qu->type == DL_QUESTION_MULTI ? "（多选：在下面各选项的行中选「是」或「否」）" : "",
		    widths[5]);
		if (qu->input == DL_INPUT_VALUE) {
			worksheet_write_blank(ws, row, value, st->number);
			numbers_only(ws, row, value, false, -999999999.9999, 999999999.9999, qu->unit[0] ? qu->unit : "数值");
		} else {
			worksheet_write_blank(ws, row, value, st->locked_answer);
		}
		worksheet_write_blank(ws, row, DL__WB_Q_NOTE - 1, st->answer_text);
		worksheet_write_blank(ws, row, DL__WB_Q_EVIDENCE - 1, st->answer_text);
		worksheet_set_row(ws, row, h, NULL);
		row++;
		list_row += 2;
		if (qu->type != DL_QUESTION_MULTI)
			continue;
		static const char *yes_no[] = {DL__WB_YES, DL__WB_NO, NULL};
		for (size_t i = 0; i < qu->option_count; i++, row++) {
			const dl__option *op = &qu->options[i];
			snprintf(id, sizeof(id), "o:%s:%s", qu->id, op->id);
			snprintf(buf, sizeof(buf), "    %s %s%s", op->id, op->text, op->exclusive ? "（排他：选此项则不能选其他项）" : "");
			double oh = 16;
			fit(&oh, buf, widths[2]);
			worksheet_set_row(ws, row, oh, NULL);
			worksheet_write_string(ws, row, 0, id, st->text);
			worksheet_write_blank(ws, row, 1, st->text);
			worksheet_write_string(ws, row, 2, buf, st->text);
			worksheet_write_blank(ws, row, 3, st->text);
			worksheet_write_string(ws, row, 4, dl__decimal_format(op->points, pts, sizeof(pts)), st->center);
			worksheet_write_blank(ws, row, choice, st->answer_text);
			list_of(ws, row, choice, yes_no, "是否具备", "选「是」或「否」；不选视为「否」。");
			for (lxw_col_t c = value; c <= DL__WB_Q_EVIDENCE - 1; c++)
				worksheet_write_blank(ws, row, c, st->locked_answer);
		}
	}
	worksheet_freeze_panes(ws, 1, 0);
	protect(ws);
}

static void sheet_scenarios(lxw_worksheet *ws, const styles *st, const dl_questionnaire *q)
{
	lxw_row_col_options hide = {1, 0, 0};
	int max = q->max_level;
	lxw_col_t texts = DL__WB_S_TEXTS - 1, note = (lxw_col_t)(texts + max);
	worksheet_set_column_opt(ws, 0, 0, 8, NULL, &hide);
	worksheet_set_column(ws, 1, 1, 6, NULL);
	worksheet_set_column(ws, 2, 2, 22, NULL);
	worksheet_set_column(ws, 3, 3, 6, NULL);
	worksheet_set_column(ws, 4, 4, 8, NULL);
	worksheet_set_column(ws, texts, (lxw_col_t)(note - 1), 30, NULL);
	worksheet_set_column(ws, note, (lxw_col_t)(note + 1), 24, NULL);
	page(ws, true, true);
	const char *heads[] = {"id", "编号", "场景", "约束性", "等级"};
	for (lxw_col_t c = 0; c < 5; c++)
		worksheet_write_string(ws, 0, c, heads[c], st->header);
	char buf[8192], id[96];
	const char *names[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
	for (int l = 1; l <= max; l++) {
		snprintf(buf, sizeof(buf), "%d 级（%s级）", l, l < 10 ? names[l] : "");
		worksheet_write_string(ws, 0, (lxw_col_t)(texts + l - 1), buf, st->header);
	}
	worksheet_write_string(ws, 0, note, "备注", st->header);
	worksheet_write_string(ws, 0, (lxw_col_t)(note + 1), "佐证材料", st->header);
	worksheet_set_row(ws, 0, 20, NULL);
	/* the level drop-down: 0..max, a short list of its own (max is at most 9, the schema's) */
	char level_names[10][12];
	const char *levels[11];
	int nl = 0;
	for (; nl <= max && nl < 10; nl++) {
		snprintf(level_names[nl], sizeof(level_names[nl]), "%d", nl);
		levels[nl] = level_names[nl];
	}
	levels[nl] = NULL;
	char message[160];
	snprintf(message, sizeof(message), "对照右边各等级的说明，选择达到的等级 0–%d（0 = 未开展）。", max);
	lxw_row_t row = 1;
	for (size_t g = 0; g < q->group_count; g++) {
		snprintf(buf, sizeof(buf), "%s %s", q->groups[g].id, q->groups[g].title);
		worksheet_merge_range(ws, row, 1, row, (lxw_col_t)(note + 1), buf, st->section);
		worksheet_set_row(ws, row, 18, NULL);
		row++;
		for (size_t si = 0; si < q->scenario_count; si++) {
			const dl__scenario *s = &q->scenarios[si];
			if (s->group != g)
				continue;
			snprintf(id, sizeof(id), "s:%s", s->id);
			if (s->text[0])
				snprintf(buf, sizeof(buf), "%s\n%s", s->title, s->text);
			else
				snprintf(buf, sizeof(buf), "%s", s->title);
			double h = 18;
			fit(&h, buf, 22);
			worksheet_write_string(ws, row, 0, id, st->text);
			worksheet_write_string(ws, row, 1, s->id, st->center);
			worksheet_write_string(ws, row, 2, buf, st->text);
			worksheet_write_string(ws, row, 3, s->constraint ? "★" : "", st->center);
			worksheet_write_blank(ws, row, DL__WB_S_LEVEL - 1, st->answer);
			list_of(ws, row, DL__WB_S_LEVEL - 1, levels, "选择等级", message);
			for (int l = 1; l <= max; l++) {
				worksheet_write_string(ws, row, (lxw_col_t)(texts + l - 1), s->level_texts[l], st->text);
				fit(&h, s->level_texts[l], 30);
			}
			worksheet_write_blank(ws, row, note, st->answer_text);
			worksheet_write_blank(ws, row, (lxw_col_t)(note + 1), st->answer_text);
			worksheet_set_row(ws, row, h > 409 ? 409 : h, NULL);
			row++;
		}
	}
	worksheet_freeze_panes(ws, 1, DL__WB_S_LEVEL);
	protect(ws);
}

/* --- the workbook --------------------------------------------------------------------------------- */

static int build(const dl_questionnaire *q, const char *phase_label, const char *path,
		 const char *tmpdir)
{
	lxw_workbook_options options = {0, (char *)tmpdir, 0};
	lxw_workbook *wb = workbook_new_opt(path, &options);
	if (!wb)
		return DL_EIO;
	lxw_doc_properties props;
	memset(&props, 0, sizeof(props));
	props.title = (char *)q->title;
	props.subject = (char *)"自评表";
	props.author = (char *)"digilevel";
	props.comments = (char *)"digilevel template --format xlsx";
	props.created = 1704067200; /* 2024-01-01: fixed, so the same questionnaire gives the same bytes */
	workbook_set_properties(wb, &props);
	styles st;
	make_styles(wb, &st);
	/* the sheets in the order people see them; the hidden one last (the questions fill it) */
	lxw_worksheet *help = workbook_add_worksheet(wb, DL__WB_SHEET_HELP);
	lxw_worksheet *enterprise = workbook_add_worksheet(wb, DL__WB_SHEET_ENTERPRISE);
	lxw_worksheet *figures = q->figure_count ? workbook_add_worksheet(wb, DL__WB_SHEET_FIGURES) : NULL;
	lxw_worksheet *questions = workbook_add_worksheet(wb, DL__WB_SHEET_QUESTIONS);
	lxw_worksheet *scenarios = q->scenario_count ? workbook_add_worksheet(wb, DL__WB_SHEET_SCENARIOS) : NULL;
	lxw_worksheet *hidden = workbook_add_worksheet(wb, DL__WB_SHEET_HIDDEN);
	if (!help || !enterprise || (q->figure_count && !figures) || !questions ||
	    (q->scenario_count && !scenarios) || !hidden) {
		workbook_close(wb);
		return DL_ENOMEM;
	}
	char buf[32];
	worksheet_write_string(hidden, 0, 0, DL__WB_MARK, NULL);
	worksheet_write_string(hidden, 0, 1, DL__WB_FORMAT, NULL);
	worksheet_write_string(hidden, 1, 0, "questionnaire", NULL);
	worksheet_write_string(hidden, 1, 1, q->id, NULL);
	worksheet_write_string(hidden, 1, 2, q->version, NULL);
	worksheet_write_string(hidden, 2, 0, "max-level", NULL);
	snprintf(buf, sizeof(buf), "%d", q->max_level);
	worksheet_write_string(hidden, 2, 1, buf, NULL);
	worksheet_write_string(hidden, 3, 0, "levels", NULL);
	for (int l = 0; l <= q->max_level; l++)
		worksheet_write_number(hidden, 3, (lxw_col_t)(l + 1), l, NULL);
	worksheet_hide(hidden);
	sheet_help(help, &st, q);
	sheet_enterprise(enterprise, &st, phase_label);
	if (figures)
		sheet_figures(figures, &st, q);
	sheet_questions(questions, &st, q, hidden);
	if (scenarios)
		sheet_scenarios(scenarios, &st, q);
	worksheet_activate(enterprise);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : DL_EIO;
}

int dl_questionnaire_write_template_xlsx(const dl_questionnaire *q, const char *phase,
					 dl_write_fn write, void *userdata, dl_error *err)
{
	static const char *const PHASES[3] = {"diagnosis", "evaluation", "self-check"};
	const char *label = NULL;
	for (int i = 0; i < 3; i++)
		if (phase && strcmp(phase, PHASES[i]) == 0)
			label = dl__wb_phase_labels[i];
	if (!label)
		return dl__error_message(err, DL_EINVALID, _("unknown phase '%s'"), phase ? phase : "");
	const char *tmpdir = getenv("TMPDIR");
	if (!tmpdir || !tmpdir[0])
		tmpdir = "/tmp";
	char path[4096];
	if (snprintf(path, sizeof(path), "%s/digilevel-xlsx-XXXXXX", tmpdir) >= (int)sizeof(path))
		return dl__error_message(err, DL_EIO, "%s", _("the temporary directory's name is too long"));
	int fd = mkstemp(path);
	if (fd < 0)
		return dl__error_message(err, DL_EIO, _("cannot make a temporary file in %s: %s"), tmpdir,
					 dl_strerror(errno));
	close(fd);
	int rc = build(q, label, path, tmpdir);
	if (rc < 0) {
		unlink(path);
		return rc == DL_ENOMEM ? dl__error_nomem(err, _("writing the workbook"))
				       : dl__error_message(err, rc, _("cannot write the workbook in %s"), tmpdir);
	}
	FILE *f = fopen(path, "rb");
	unlink(path);
	if (!f)
		return dl__error_message(err, DL_EIO, _("cannot read the workbook back: %s"), dl_strerror(errno));
	char block[65536];
	size_t n;
	while ((n = fread(block, 1, sizeof(block), f)) > 0)
		if (write(userdata, block, n) < 0) {
			rc = dl__error_message(err, DL_EIO, "%s", _("write failed"));
			break;
		}
	if (rc == 0 && ferror(f))
		rc = dl__error_message(err, DL_EIO, "%s", _("cannot read the workbook back"));
	fclose(f);
	return rc;
}
