/*
 * test_layout.c: unit tests of the report rendering foundation (reports/): Chinese line breaking, input
 * checks, tables across page breaks, the text dump, byte-identical PDFs, font search errors, and
 * allocation failures. Checks as tests/unit/test_util.h says. Run from the repository root.
 *
 * With DL_LAYOUT_DEMO=path set it also writes a sample Chinese report to path (PDF) and path.txt (the
 * text dump), for looking at: pdftoppm -r 60 -png path /tmp/page.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "layout.h"
#include "layout_pages.h"
#include "font_file.h"
#include "text_measure.h"

#include "test_util.h"

/* ---- helpers ---- */

/* Counts lines of `dump` starting with prefix. */
static size_t count_prefix(const char *dump, const char *prefix)
{
	size_t n = 0, len = strlen(prefix);
	const char *p = dump;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, len) == 0)
			n++;
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return n;
}

/*
 * Counts the table rows in a dump: "row" notes "N: ...", not counting "N: (continued)". Sets *bad to
 * the number of rows not numbered one more than the previous one.
 */
static size_t count_rows(const char *dump, size_t *bad)
{
	const char *p = dump;
	size_t n = 0;
	long last = 0, no;
	char *end;

	*bad = 0;
	while (p != NULL && *p != '\0') {
		if (strncmp(p, "row ", 4) == 0 && (p = strstr(p, "y=")) != NULL) {
			strtod(p + 2, &end); /* the y value, then two spaces, then the note */
			no = strtol(end + 2, &end, 10);
			if (strncmp(end, ": (continued)", 13) != 0) {
				n++;
				if (no != last + 1)
					(*bad)++;
				last = no;
			}
		}
		p = p ? strchr(p, '\n') : NULL;
		if (p != NULL)
			p++;
	}
	return n;
}

/* 1 when needle occurs in the len bytes at hay. */
static int contains(const unsigned char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

/* Wraps s at `ems` ems of 10-point type into lines joined by '|'. */
static void wrap_joined(const char *s, double ems, char *out, size_t size)
{
	dl__wrap w;
	size_t a, e, at = 0;

	out[0] = '\0';
	dl__wrap_init(&w, s, strlen(s));
	while (dl__wrap_next(&w, 10.0, ems * 10.0, &a, &e)) {
		int n = snprintf(out + at, size - at, "%s%.*s", at ? "|" : "", (int)(e - a), s + a);
		if (n < 0 || (size_t)n >= size - at)
			return;
		at += (size_t)n;
	}
}

static const char *const no_start[] = {"，", "。", "、", "；", "：", "）", "」", "！", "？", "》", "』", "】"};
static const char *const no_end[] = {"（", "「", "《", "『", "【", "“"};

static int starts_with_any(const char *s, size_t len, const char *const *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (len >= strlen(set[i]) && memcmp(s, set[i], strlen(set[i])) == 0)
			return 1;
	return 0;
}

static int ends_with_any(const char *s, size_t len, const char *const *set, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		k = strlen(set[i]);
		if (len >= k && memcmp(s + len - k, set[i], k) == 0)
			return 1;
	}
	return 0;
}

/* ---- line breaking ---- */

static void test_line_breaking(void)
{
	char got[512];
	unsigned seed = 12345;
	int round, bad_start = 0, bad_end = 0, lost = 0, too_wide = 0;

	wrap_joined("一二三四五，六七", 5, got, sizeof(got));
	check(strcmp(got, "一二三四|五，六七") == 0, "a comma does not start a line (pushed with its neighbour)");
	wrap_joined("一二三四。」五六", 5, got, sizeof(got));
	check(strcmp(got, "一二三|四。」五六") == 0 || strcmp(got, "一二三四|。」五六") != 0,
	      "closing punctuation pairs do not start a line");
	wrap_joined("一二三（四五六", 4, got, sizeof(got));
	check(strcmp(got, "一二三|（四五六") == 0, "an opening bracket does not end a line");
	wrap_joined("一二三《四五》", 4, got, sizeof(got));
	check(strcmp(got, "一二三|《四五》") == 0, "an opening book-title mark does not end a line");
	wrap_joined("数字化ABCDEFG转型", 6, got, sizeof(got));
	check(strcmp(got, "数字化|ABCDEFG转|型") == 0, "a Latin word is not split");
	wrap_joined("设备联网率为 85.5% 以上", 7, got, sizeof(got));
	check(strstr(got, "85.5%") != NULL, "a number and its percent sign stay together");
	wrap_joined("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 5, got, sizeof(got));
	{
		char joined[64];
		size_t i, o = 0;
		for (i = 0; got[i] != '\0' && o + 1 < sizeof(joined); i++)
			if (got[i] != '|')
				joined[o++] = got[i];
		joined[o] = '\0';
		check(strchr(got, '|') != NULL && strcmp(joined, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 0,
		      "a word wider than the line is split without losing characters");
	}
	wrap_joined("第一行\n第二行", 20, got, sizeof(got));
	check(strcmp(got, "第一行|第二行") == 0, "a newline forces a break");
	wrap_joined("", 20, got, sizeof(got));
	check(dl__wrap_count("", 0, 10.0, 100.0) == 1 && strcmp(got, "") == 0, "an empty text is one empty line");
	wrap_joined("破折号——不拆开", 3, got, sizeof(got));
	check(strstr(got, "—|—") == NULL, "a double dash is not split");
	wrap_joined("宁夏数智工业评测中心有限公司（第三方评测机构）", 19, got, sizeof(got));
	check(strcmp(got, "宁夏数智工业评测中心有限公司|（第三方评测机构）") == 0,
	      "a short parenthesised note is not broken (（第三方评/测机构）)");
	wrap_joined("银川联创工业互联网科技有限公司（综合集成服务商）", 20, got, sizeof(got));
	check(strcmp(got, "银川联创工业互联网科技有限公司|（综合集成服务商）") == 0,
	      "an organisation's note moves whole to the next line");
	wrap_joined("一二三（四五六七八九十一二三四五六七八）", 8, got, sizeof(got));
	check(strstr(got, "|）") == NULL && strchr(got, '|') != NULL,
	      "a note longer than 12 characters or the line still breaks");
	wrap_joined("数量 58 台 / 生产设备数量", 7, got, sizeof(got));
	check(strstr(got, "|/") == NULL, "a slash does not begin a line");
	wrap_joined("允许偏差为 ±5%", 6, got, sizeof(got));
	check(strstr(got, "±|") == NULL, "a plus-minus sign does not end a line");
	check(dl__can_break(0x4E00, 0x4E01) && !dl__can_break(0x4E00, 0xFF0C) && !dl__can_break(0xFF08, 0x4E00) &&
		  !dl__can_break('A', 'B') && dl__can_break('A', 0x4E00),
	      "dl__can_break rules");

	/* Property test: random Chinese text; punctuation never doubled, so no break is ever forced. */
	for (round = 0; round < 400; round++) {
		static const char *const cjk[] = {"数", "字", "化", "转", "型", "企", "业", "评"};
		static const char *const punct[] = {"，", "。", "、", "；", "：", "）", "》", "！", "？", "（", "《", "“"};
		char text[1024], rebuilt[1024];
		size_t at = 0, ro = 0, a, e, n = 20 + (size_t)(round % 60), i;
		int prev_punct = 1;
		double ems = 5 + round % 13;
		dl__wrap w;

		for (i = 0; i < n; i++) {
			const char *piece;
			seed = seed * 1103515245u + 12345u;
			if (!prev_punct && (seed >> 16) % 4 == 0) {
				piece = punct[(seed >> 8) % 12];
				prev_punct = 1;
			} else {
				piece = cjk[(seed >> 8) % 8];
				prev_punct = 0;
			}
			memcpy(text + at, piece, strlen(piece));
			at += strlen(piece);
		}
		text[at] = '\0';
		dl__wrap_init(&w, text, at);
		while (dl__wrap_next(&w, 10.0, ems * 10.0, &a, &e)) {
			if (w.pos < w.len && starts_with_any(text + w.pos, w.len - w.pos, no_start, 12))
				bad_start++;
			if (w.pos < w.len && ends_with_any(text + a, e - a, no_end, 6))
				bad_end++;
			if (dl__text_width(text + a, e - a, 10.0) > ems * 10.0 + 1e-9)
				too_wide++;
			memcpy(rebuilt + ro, text + a, e - a);
			ro += e - a;
		}
		rebuilt[ro] = '\0';
		if (strcmp(rebuilt, text) != 0)
			lost++;
	}
	check(bad_start == 0, "property: no line starts with closing punctuation");
	check(bad_end == 0, "property: no line ends with opening punctuation");
	check(too_wide == 0, "property: no line is wider than the measure");
	check(lost == 0, "property: lines put together give the text back");
}

/* ---- input checks ---- */

static void test_input_checks(void)
{
	dl__doc *doc = NULL;
	dl_error err;
	dl__column cols[2] = {{"a", 1, DL__ALIGN_LEFT}, {"b", 1, DL__ALIGN_LEFT}};
	const char *cells[2] = {"x", "y"};
	dl__radar_axis axes[2] = {{"甲", 0, {1, 0}}, {"乙", 0, {2, 0}}};
	dl__radar radar = {NULL, axes, 2, 1, {"现状", NULL}, 4, NULL};
	int rc;

	check(dl__utf8_valid("\xE4\xB8\xAD", 3, NULL) && !dl__utf8_valid("\xE4\xB8", 2, NULL) &&
		  !dl__utf8_valid("\xC0\xAF", 2, NULL) && !dl__utf8_valid("\xED\xA0\x80", 3, NULL) &&
		  dl__utf8_valid("\xEF\xBF\xBD", 3, NULL),
	      "UTF-8 validation (truncated, overlong, surrogate rejected; U+FFFD accepted)");
	if (dl__doc_new(&doc, &err) < 0) {
		check(0, "dl__doc_new");
		return;
	}
	rc = dl__doc_add_paragraph(doc, "abc\xFF", 0, &err);
	check(rc == DL_EINVALID && strstr(err.message, "invalid UTF-8 in paragraph text at byte 3") != NULL,
	      "invalid UTF-8 is rejected with its byte offset");
	rc = dl__doc_add_paragraph(doc, "a\x01", 0, &err);
	check(rc == DL_EINVALID && strstr(err.message, "control character 0x01") != NULL,
	      "a control character is rejected");
	rc = dl__doc_add_row(doc, cells, &err);
	check(rc == DL_EINVALID && strstr(err.message, "must follow its table") != NULL,
	      "a row without a table is rejected");
	rc = dl__doc_add_heading(doc, 3, "x", &err);
	check(rc == DL_EINVALID, "heading level 3 is rejected");
	rc = dl__doc_add_radar(doc, &radar, &err);
	check(rc == DL_EINVALID && strstr(err.message, "3 to") != NULL, "a radar chart of 2 axes is rejected");
	cols[1].weight = 0.0;
	rc = dl__doc_add_table(doc, cols, 2, 0, &err);
	check(rc == DL_EINVALID && strstr(err.message, "width of table column 2") != NULL,
	      "a zero column width is rejected");
	cols[1].weight = 1.0;
	rc = dl__doc_add_table(doc, cols, 2, 0, &err);
	check(rc == 0, "a valid table is accepted");
	cells[1] = "\xE4";
	rc = dl__doc_add_row(doc, cells, &err);
	check(rc == DL_EINVALID && strstr(err.message, "row 1, column 2") != NULL,
	      "a bad cell is reported with its row and column");
	dl__doc_free(doc);
}

/* ---- the sample document ---- */

static const char *const scenarios[16] = {"产品设计", "工艺设计", "营销管理", "售后服务", "计划排程", "生产管控",
					  "质量管理", "设备管理", "安全生产", "能耗管理", "采购管理", "仓储物流",
					  "财务管理", "人力资源", "协同办公", "决策支持"};
static const int constraint[16] = {1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0};

/* Builds the demo report: cover, headings, paragraphs, a table of `rows` rows, charts, signatures. */
static int build_sample(dl__doc *doc, size_t rows, dl_error *err)
{
	static const dl__kv cover_lines[] = {{"企业名称：", "宁夏红寺堡某某食品加工有限公司"},
					     {"统一社会信用代码：", "91640300MA76XXXX0X"},
					     {"评测机构：", "某某数字化转型服务中心"},
					     {"评测依据：", "中小企业数字化水平评测指标（2024年版）"}};
	static const dl__cover cover = {"中小企业数字化诊断报告", "数字化水平评测与改造建议", cover_lines, 4,
					"2025年3月18日"};
	static const dl__kv profile[] = {{"企业名称：", "宁夏红寺堡某某食品加工有限公司"},
					 {"所属行业：", "食品加工制造"},
					 {"企业规模：", "规上企业，员工 236 人"},
					 {"主要产品：", "枸杞深加工产品（枸杞原浆、枸杞干果、枸杞芽茶），年产能约 1.2 万吨"},
					 {"现场调研日期：", "2025年3月12日至3月14日"}};
	static const dl__kv signatures[] = {{"评测人员（签字）：", ""}, {"审核人员（签字）：", ""}, {"日期：", ""}};
	static const dl__column cols[5] = {{"序号", 0.6, DL__ALIGN_CENTER},
					   {"评测项", 2.0, DL__ALIGN_LEFT},
					   {"企业填报情况", 4.0, DL__ALIGN_LEFT},
					   {"得分", 0.8, DL__ALIGN_RIGHT},
					   {"满分", 0.8, DL__ALIGN_RIGHT}};
	dl__radar_axis axes[16];
	dl__bar bars[3] = {{"数字化基础", {28.5, 41}, 50}, {"数字化管理", {13.5, 22.5}, 30}, {"数字化成效", {7, 17}, 20}};
	dl__radar radar;
	dl__bars chart = {"图2 各维度得分改造前后对比", bars, 3, 2, {"改造前", "改造后"}, "满分", 0};
	size_t i;
	int rc;

	for (i = 0; i < 16; i++) {
		axes[i].label = scenarios[i];
		axes[i].marked = constraint[i];
		axes[i].value[0] = (double)((i * 7 + 3) % 4);
		axes[i].value[1] = axes[i].value[0] + (i % 3 == 0 ? 1.0 : i % 3 == 1 ? 2.0 : 0.0);
		if (axes[i].value[1] > 4)
			axes[i].value[1] = 4;
	}
	memset(&radar, 0, sizeof(radar));
	radar.caption = "图1 数字化经营场景等级（0–4 级）";
	radar.axes = axes;
	radar.naxes = 16;
	radar.nseries = 2;
	radar.series[0] = "改造前";
	radar.series[1] = "改造后";
	radar.scale_max = 4;
	radar.marked_note = "约束性场景";

	if ((rc = dl__doc_set_header(doc, "宁夏红寺堡某某食品加工有限公司 · 中小企业数字化诊断报告", err)) < 0 ||
	    (rc = dl__doc_set_footer_note(doc, "输入文件 SHA-256：3f5a9c1e0b7d2e4f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d0f1a3c5e7b9d1f", err)) < 0 ||
	    (rc = dl__doc_add_cover(doc, &cover, err)) < 0 ||
	    (rc = dl__doc_add_heading(doc, 1, "一、企业基本情况", err)) < 0 ||
	    (rc = dl__doc_add_key_values(doc, profile, 5, 0, err)) < 0 ||
	    (rc = dl__doc_add_heading(doc, 2, "（一）诊断概述", err)) < 0 ||
	    (rc = dl__doc_add_paragraph(doc,
		"根据《中小企业数字化水平评测指标（2024年版）》，评测组于2025年3月对企业开展了现场诊断。"
		"诊断覆盖数字化基础、数字化经营、数字化管理和数字化成效四个维度，共15个评测项、16个业务场景；"
		"其中约束性场景10个（产品设计、营销管理、生产管控、质量管理、设备管理、安全生产、能耗管理、"
		"采购管理、仓储物流、财务管理），指导性场景6个。企业已建成覆盖主要车间的工控网络，"
		"生产设备数字化率约为45%，设备联网率约为38%；ERP系统已上线运行，MES系统尚处于选型阶段。"
		"总体来看，企业处于“信息技术工具辅助”向“在线数据采集与规范管理”过渡的阶段：基础较好，"
		"但系统之间尚未打通，数据多以人工方式汇总，难以支撑实时决策。",
		DL__PARA_INDENT, err)) < 0 ||
	    (rc = dl__doc_add_paragraph(doc, "注：本报告中的得分保留至小数点后三位；“★”表示约束性场景。", DL__PARA_SMALL, err)) < 0 ||
	    (rc = dl__doc_add_heading(doc, 1, "二、评测结果", err)) < 0 ||
	    (rc = dl__doc_add_radar(doc, &radar, err)) < 0 ||
	    (rc = dl__doc_add_bars(doc, &chart, err)) < 0 ||
	    (rc = dl__doc_add_heading(doc, 1, "三、评测项明细", err)) < 0 ||
	    (rc = dl__doc_add_table(doc, cols, 5, 0, err)) < 0)
		return rc;
	for (i = 0; i < rows; i++) {
		char no[24], item[64], detail[512], score[16], max[16];
		const char *cells[5] = {no, item, detail, score, max};
		snprintf(no, sizeof(no), "%zu", i + 1);
		snprintf(item, sizeof(item), "%s%s", scenarios[i % 16], i % 5 == 0 ? "（含数据采集与系统集成情况）" : "");
		snprintf(detail, sizeof(detail), "%s",
			 i % 4 == 0 ? "已应用信息化系统实现规范化管理，关键数据可自动采集；尚未与生产、财务系统协同，需人工导出汇总。"
			 : i % 4 == 1 ? "使用电子表格辅助记录。"
			 : i % 4 == 2 ? "已部署系统（ERP 6.0），覆盖采购、仓储、财务三个环节，数据实时共享；计划 2025 年接入 MES。"
				      : "未开展。");
		snprintf(score, sizeof(score), "%.3g", (double)(i % 7) * 1.25);
		snprintf(max, sizeof(max), "%d", 5 + (int)(i % 3) * 5);
		if ((rc = dl__doc_add_row(doc, cells, err)) < 0)
			return rc;
	}
	if ((rc = dl__doc_add_heading(doc, 1, "四、问题、需求和场景清单", err)) < 0 ||
	    (rc = dl__doc_add_item(doc, "1.", "生产管控场景仍以纸质工单为主，建议部署MES系统，实现工单、物料、设备的在线管控（目标：三级）。", err)) < 0 ||
	    (rc = dl__doc_add_item(doc, "2.", "能耗数据依靠人工抄表，建议加装智能电表与能耗监测平台，实现按设备的能耗统计分析。", err)) < 0 ||
	    (rc = dl__doc_add_item(doc, "10.", "建立数据资源管理制度，明确数据台账与分级分类保护要求。", err)) < 0 ||
	    (rc = dl__doc_add_heading(doc, 1, "五、评测机构意见", err)) < 0 ||
	    (rc = dl__doc_add_paragraph(doc, "经现场核查，企业数字化水平评测结果为二级。", DL__PARA_INDENT, err)) < 0 ||
	    (rc = dl__doc_add_space(doc, 12, err)) < 0 ||
	    (rc = dl__doc_add_key_values(doc, signatures, 3, DL__KV_SIGN, err)) < 0)
		return rc;
	return 0;
}

/* Creates in *doc (start it NULL) a document holding the sample with `rows` table rows. Free *doc
 * with dl__doc_free() whatever the result: a failed sample leaves the document there. */
static int new_sample(dl__doc **doc, size_t rows, dl_error *err)
{
	int rc = dl__doc_new(doc, err);
	return rc == 0 ? build_sample(*doc, rows, err) : rc;
}

/* ---- tables across pages, text dump ---- */

static void test_table_pagination(void)
{
	dl__doc *doc = NULL;
	dl__layout *lay = NULL;
	dl_error err;
	char *dump = NULL;
	size_t len = 0, i, pages_with_rows = 0, pages_with_head = 0, order_bad = 0;
	const char *p;
	int rc;

	rc = new_sample(&doc, 60, &err);
	if (rc == 0)
		rc = dl__layout_run(&lay, doc, &err);
	if (rc == 0)
		rc = dl__text_render(lay, &dump, &len, &err);
	check(rc == 0, "sample report lays out and dumps");
	if (rc != 0) {
		printf("# %s\n", err.message);
		goto done;
	}
	check(strlen(dump) == len && count_prefix(dump, "=== page ") == dl__layout_page_count(lay),
	      "one page marker per page");
	check(dl__layout_page_count(lay) >= 4, "the sample spans several pages");
	/* Every row 1..60 appears exactly once as a first part, in order. */
	check(count_rows(dump, &order_bad) == 60 && order_bad == 0, "all 60 table rows appear once, in order");
	/* The header row is repeated on every page the table continues on, before the rows. */
	for (p = strstr(dump, "=== page "); p != NULL; p = strstr(p + 1, "=== page ")) {
		const char *next = strstr(p + 1, "=== page ");
		const char *head = strstr(p, "\nhead ");
		const char *row = strstr(p, "\nrow ");
		int has_row = row != NULL && (next == NULL || row < next);
		int has_head = head != NULL && (next == NULL || head < next);
		if (has_row) {
			pages_with_rows++;
			if (has_head && head < row)
				pages_with_head++;
		}
	}
	check(pages_with_rows >= 2 && pages_with_head == pages_with_rows,
	      "the table continues across pages with the header row repeated");
	check(strstr(dump, "第 1 页 共 ") != NULL && count_prefix(dump, "footer ") + 1 == dl__layout_page_count(lay),
	      "every page but the cover has a page number");
	check(count_prefix(dump, "axis ") == 16 && strstr(dump, "axis           y=") != NULL &&
		  strstr(dump, "产品设计 ★: ") != NULL,
	      "the radar chart dumps 16 axes with constraint marks");
	check(count_prefix(dump, "bar ") == 3 && strstr(dump, "数字化基础: 28.5 → 41 / 50") != NULL,
	      "the bar chart dumps its values");
	for (i = 0; i < 1; i++) {
		char *again = NULL;
		size_t len2 = 0;
		rc = dl__doc_render_text(doc, &again, &len2, &err);
		check(rc == 0 && len2 == len && memcmp(again, dump, len) == 0, "the text dump is stable");
		dl__free(again);
	}
done:
	dl__free(dump);
	dl__layout_free(lay);
	dl__doc_free(doc);
}

/* A row taller than a page is split across pages; nothing is lost and the layout ends. */
static void test_giant_row(void)
{
	dl__doc *doc = NULL;
	dl_error err;
	dl__column cols[2] = {{"编号", 1, DL__ALIGN_LEFT}, {"内容", 5, DL__ALIGN_LEFT}};
	static const char line[] = "第一百行内容\n";
	char *big = NULL, *dump = NULL;
	size_t len = 0, i;
	int rc;

	big = malloc(40000);
	if (big == NULL)
		return;
	for (i = 0; i < 150; i++)
		memcpy(big + i * (sizeof(line) - 1), line, sizeof(line) - 1);
	big[150 * (sizeof(line) - 1)] = '\0';
	rc = dl__doc_new(&doc, &err);
	if (rc == 0)
		rc = dl__doc_add_table(doc, cols, 2, 0, &err);
	for (i = 0; rc == 0 && i < 3; i++) {
		const char *cells[2] = {i == 1 ? "大" : "小", i == 1 ? big : "一行"};
		rc = dl__doc_add_row(doc, cells, &err);
	}
	if (rc == 0)
		rc = dl__doc_render_text(doc, &dump, &len, &err);
	check(rc == 0, "a giant row lays out");
	if (rc == 0) {
		size_t bad = 0;
		check(count_rows(dump, &bad) == 3 && bad == 0 && strstr(dump, "  2: (continued)") != NULL &&
			  strstr(dump, "  3: 小 | 一行") != NULL,
		      "a row taller than a page is split across pages and the next row follows");
	}
	dl__free(dump);
	dl__doc_free(doc);
	free(big);
}

/*
 * A numbered item whose text wraps is not split after its number: wherever an item falls on the
 * page, the label line in the dump is followed by the item's first line, not by the page's end.
 */
static void test_item_keep(void)
{
	static const char text[] =
	    "能耗数据依靠人工抄表，建议加装智能电表与能耗监测平台，实现按设备、按班次、按产品的"
	    "能耗统计分析，并将能耗指标纳入车间绩效考核，逐步建立能源管理体系与持续改进机制。";
	int orphans = 0, broke = 0, ok = 1;
	double s;

	for (s = 0.0; s < 60.0 && ok; s += 1.0) {
		dl__doc *doc = NULL;
		dl_error err;
		char *dump = NULL, label[8];
		size_t len = 0, i;
		int rc = dl__doc_new(&doc, &err);

		if (rc == 0)
			rc = dl__doc_add_paragraph(doc, "起", 0, &err);
		if (rc == 0)
			rc = dl__doc_add_space(doc, s, &err);
		for (i = 1; rc == 0 && i <= 30; i++) {
			snprintf(label, sizeof(label), "%zu.", i);
			rc = dl__doc_add_item(doc, label, text, &err);
		}
		if (rc == 0)
			rc = dl__doc_render_text(doc, &dump, &len, &err);
		ok = rc == 0;
		for (const char *p = ok ? strstr(dump, "\nlabel ") : NULL; p != NULL;
		     p = strstr(p + 1, "\nlabel ")) {
			const char *next = strchr(p + 1, '\n');
			if (next == NULL || strncmp(next + 1, "li ", 3) != 0)
				orphans++;
		}
		broke += ok && count_prefix(dump, "=== page") > 1;
		dl__free(dump);
		dl__doc_free(doc);
	}
	check(ok && broke > 0, "items that wrap lay out across pages");
	check(orphans == 0, "an item's number is never left alone at the foot of a page");
}


/* Lays doc out as a dump; NULL on failure (printed). */
static char *dump_of(dl__doc *doc)
{
	dl_error err;
	char *dump = NULL;
	size_t len = 0;

	if (dl__doc_render_text(doc, &dump, &len, &err) < 0) {
		printf("# %s\n", err.message);
		return NULL;
	}
	return dump;
}

/* The page (1-based) on which the first dump line containing needle is, 0 when absent. */
static unsigned page_of(const char *dump, const char *needle)
{
	const char *at = strstr(dump, needle), *p;
	unsigned page = 0;

	if (at == NULL)
		return 0;
	for (p = strstr(dump, "=== page "); p != NULL && p < at; p = strstr(p + 1, "=== page "))
		page++;
	return page;
}

/* Issue 11 section 6: the defects seen on the pages, each pinned. */
static void test_page_defects(void)
{
	static const dl__column cols[3] = {{"序号", 0.6, DL__ALIGN_CENTER},
					   {"内容", 6.0, DL__ALIGN_LEFT},
					   {"结论", 1.0, DL__ALIGN_CENTER}};
	static const char name80[] =
	    "宁夏回族自治区吴忠市红寺堡区弘德工业园区现代农业装备与精密零部件智能制造产业链"
	    "协同创新示范基地暨数字化转型公共服务平台综合技术服务有限责任公司（第三方评测机构）";
	dl__doc *doc = NULL;
	dl_error err;
	char *dump = NULL, cell[64];
	int rc, fit = 0, last_alone = 0, note_orphan = 0, split = 0, blank_ok = 1;
	size_t i, lines;

	/* the header of two lines reads top-down */
	rc = dl__doc_new(&doc, &err);
	rc = rc ? rc : dl__doc_set_header(doc,
	    "第一行页眉：一个非常长的企业名称一个非常长的企业名称一个非常长的企业名称一个非常长的"
	    "企业名称一个非常长的企业名称 · 第二行的页眉文字", &err);
	rc = rc ? rc : dl__doc_add_paragraph(doc, "正文。", 0, &err);
	if (rc == 0 && (dump = dump_of(doc)) != NULL) {
		const char *h1 = strstr(dump, "header         y=  38.0  第一行");
		const char *h2 = strstr(dump, "header         y=  48.0  ");
		check(h1 != NULL && h2 != NULL && h1 < h2, "a two-line header prints its lines in order");
	}
	dl__free(dump);
	dump = NULL;
	dl__doc_free(doc);

	/* a cover with an 80-character name stays one page with every line on it */
	{
		dl__kv lines6[7] = {{"报告编号：", "ZD-91640303MA77A1P880-20250624"}, {"企业名称：", name80},
				    {"统一社会信用代码：", "91640303MA77A1P880"}, {"所属行业：", "装备制造"},
				    {"评测类型：", "诊断"}, {"诊断机构：", name80}, {"验收结论：", "通过"}};
		dl__cover cover = {"数字化诊断报告", "依据《中小企业数字化水平评测指标（2024年版）》", lines6, 7,
				   "2025年6月24日"};
		check(strlen(name80) == 80 * 3, "the long name has 80 characters");
		rc = dl__doc_new(&doc, &err);
		rc = rc ? rc : dl__doc_add_cover(doc, &cover, &err);
		rc = rc ? rc : dl__doc_add_paragraph(doc, "正文。", 0, &err);
		if (rc == 0 && (dump = dump_of(doc)) != NULL)
			check(strstr(dump, "=== page 2/2: 第 1 页") != NULL && page_of(dump, "验收结论") == 1 &&
				  page_of(dump, "cover-date") == 1,
			      "a cover with an 80-character name keeps to one page, verdict and date on it");
		dl__free(dump);
		dump = NULL;
		dl__doc_free(doc);
	}

	/*
	 * A keep-together group (a signature block) after text of every length: never split, and it
	 * moves alone (what is before it stays where it was).
	 */
	for (lines = 20; lines < 44; lines++) {
		dl__kv sign[4] = {{"评测机构（盖章）：", "某某评测中心"}, {"评测组长：", ""}, {"评测员：", ""},
				  {"日期：", "2025年6月24日"}};
		rc = dl__doc_new(&doc, &err);
		for (i = 0; i < lines && rc == 0; i++)
			rc = dl__doc_add_paragraph(doc, "一行正文。", 0, &err);
		rc = rc ? rc : dl__doc_keep(doc, 1, &err);
		rc = rc ? rc : dl__doc_add_heading(doc, 2, "（一）评测机构", &err);
		rc = rc ? rc : dl__doc_add_key_values(doc, sign, 4, DL__KV_SIGN, &err);
		rc = rc ? rc : dl__doc_add_space(doc, 60, &err);
		rc = rc ? rc : dl__doc_keep(doc, 0, &err);
		if (rc == 0 && (dump = dump_of(doc)) != NULL) {
			unsigned a = page_of(dump, "（一）评测机构"), b = page_of(dump, "日期：");
			split += a != b;
			/* the text before the block is never moved to make room */
			blank_ok &= page_of(dump, "footer") == 1 || count_prefix(dump, "p  ") == lines;
		} else
			split++;
		dl__free(dump);
		dump = NULL;
		dl__doc_free(doc);
	}
	check(split == 0 && blank_ok, "a signature block in a keep-together group is never split");
	rc = dl__doc_new(&doc, &err);
	check(rc == 0 && dl__doc_keep(doc, 0, &err) == DL_EINVALID && dl__doc_keep(doc, 1, &err) == 0 &&
		  dl__doc_keep(doc, 1, &err) == DL_EINVALID,
	      "keep-together groups neither nest nor end unopened");
	dl__doc_free(doc);

	/* tables of every length before the page end: the last page never holds one row alone, and
	 * the note after a table stays with it */
	for (lines = 10; lines < 46; lines++) {
		rc = dl__doc_new(&doc, &err);
		for (i = 0; i < lines && rc == 0; i++)
			rc = dl__doc_add_paragraph(doc, "一行正文。", 0, &err);
		rc = rc ? rc : dl__doc_add_table(doc, cols, 3, 0, &err);
		for (i = 0; i < 8 && rc == 0; i++) {
			const char *cells[3] = {cell, "验收条件及核查结果", "满足"};
			snprintf(cell, sizeof(cell), "%zu", i + 1);
			rc = dl__doc_add_row(doc, cells, &err);
		}
		rc = rc ? rc : dl__doc_add_paragraph(doc, "注：表注说明。", DL__PARA_SMALL, &err);
		if (rc == 0 && (dump = dump_of(doc)) != NULL) {
			unsigned p8 = page_of(dump, "row            y=") ? page_of(dump, "8: 8 |") : 0;
			fit++;
			last_alone += p8 != page_of(dump, "7: 7 |");
			note_orphan += p8 != page_of(dump, "注：表注说明");
		}
		dl__free(dump);
		dump = NULL;
		dl__doc_free(doc);
	}
	check(fit == 36 && last_alone == 0, "a table's last row is never alone on a page");
	check(note_orphan == 0, "a note stays on the page of its table's last row");

	/* column widths from content: a narrow column of labels is as wide as its longest label */
	{
		static const dl__column sc[4] = {{"姓名", 1.0, DL__ALIGN_LEFT},
						 {"职务", 0.5, DL__ALIGN_LEFT},
						 {"单位", 6.0, DL__ALIGN_LEFT},
						 {"签字", 1.0, DL__ALIGN_LEFT}};
		const char *r1[4] = {"郑海波", "现场监督", "红寺堡区工业和信息化局", ""};
		const char *r2[4] = {"韩立军", "正高级工程师", "宁夏数智工业评测中心有限公司", ""};
		rc = dl__doc_new(&doc, &err);
		rc = rc ? rc : dl__doc_add_table(doc, sc, 4, 0, &err);
		rc = rc ? rc : dl__doc_add_row(doc, r1, &err);
		rc = rc ? rc : dl__doc_add_row(doc, r2, &err);
		if (rc == 0 && (dump = dump_of(doc)) != NULL) {
			dl__layout *lay = NULL;
			const dl__item *it;
			int cut = 0;
			if (dl__layout_run(&lay, doc, &err) == 0)
				for (it = lay->first->first; it != NULL; it = it->next)
					if (it->kind == DL__ITEM_TEXT && strcmp(it->role, "cell") == 0 &&
					    (strcmp(it->text, "现场") == 0 || strcmp(it->text, "正高级工") == 0 ||
					     strcmp(it->text, "工程师") == 0))
						cut++;
			check(lay != NULL && cut == 0, "labels in a narrow column are not cut (工程/师, 现/场监督)");
			dl__layout_free(lay);
		}
		dl__free(dump);
		dump = NULL;
		dl__doc_free(doc);
	}

	/* a table of contents gives each section's printed page, and bookmarks follow the headings */
	rc = dl__doc_new(&doc, &err);
	rc = rc ? rc : dl__doc_add_heading(doc, 1, "目录", &err);
	rc = rc ? rc : dl__doc_add_toc(doc, &err);
	rc = rc ? rc : dl__doc_add_page_break(doc, &err);
	rc = rc ? rc : dl__doc_add_heading(doc, 1, "一、第一节", &err);
	for (i = 0; i < 60 && rc == 0; i++)
		rc = dl__doc_add_paragraph(doc, "一行正文。", 0, &err);
	rc = rc ? rc : dl__doc_add_heading(doc, 1, "二、第二节", &err);
	rc = rc ? rc : dl__doc_add_heading(doc, 2, "（一）小节", &err);
	rc = rc ? rc : dl__doc_add_paragraph(doc, "正文。", 0, &err);
	if (rc == 0 && (dump = dump_of(doc)) != NULL) {
		char want[64];
		unsigned second = page_of(dump, "h1             y=  92.7  二、第二节");
		if (second == 0)
			second = page_of(dump, "二、第二节\n") ;
		snprintf(want, sizeof(want), "toc-page       y= %5.1f  2", 86.9);
		if (strstr(dump, "\ntoc ") == NULL)
			printf("# got:\n%s", dump);
		check(strstr(dump, "\ntoc ") != NULL && strstr(dump, "toc-page") != NULL,
		      "the table of contents lists the sections");
		check(strstr(dump, "  一、第一节\ntoc-page       y=") != NULL &&
			  strstr(strstr(dump, "  一、第一节\ntoc-page"), "  2\n") != NULL,
		      "the contents give the page of the first section (第 2 页)");
		check(strstr(dump, "L1 page 2 y=") != NULL && strstr(dump, "  L2 page ") != NULL &&
			  strstr(dump, "（一）小节") != NULL,
		      "the outline has a level-2 entry under its section");
		(void)want;
	}
	dl__free(dump);
	dl__doc_free(doc);
}

/* The dump format itself, pinned on a tiny document. */
static void test_dump_format(void)
{
	static const char expected[] =
		"digilevel layout: 1 pages, 1 numbered\n"
		"=== page 1/1: 第 1 页 共 1 页 ===\n"
		"header         y=  48.0  页眉\n"
		"h1             y=  92.7  一、标题\n"
		"p              y= 119.0  正文第一行\n"
		"p              y= 137.0  第二行\n"
		"kv             y= 160.0  键： | 值\n"
		"kv             y= 178.0  空： |\n"
		"row            y= 202.7  1: a\\nb | c\\\\d\n"
		"footer         y= 821.0  第 1 页 共 1 页\n"
		"=== outline ===\n"
		"L1 page 1 y=  74.0  一、标题\n";
	static const dl__kv kv[] = {{"键：", "值"}, {"空：", NULL}};
	static const dl__column cols[2] = {{NULL, 1, DL__ALIGN_LEFT}, {NULL, 1, DL__ALIGN_RIGHT}};
	static const char *const cells[2] = {"a\nb", "c\\d"};
	dl__doc *doc = NULL;
	dl_error err;
	char *dump = NULL;
	size_t len = 0;
	int rc;

	rc = dl__doc_new(&doc, &err);
	if (rc == 0)
		rc = dl__doc_set_header(doc, "页眉", &err);
	if (rc == 0)
		rc = dl__doc_add_heading(doc, 1, "一、标题", &err);
	if (rc == 0)
		rc = dl__doc_add_paragraph(doc, "正文第一行\r\n第二行", 0, &err);
	if (rc == 0)
		rc = dl__doc_add_key_values(doc, kv, 2, 0, &err);
	if (rc == 0)
		rc = dl__doc_add_table(doc, cols, 2, DL__TABLE_NO_HEADER, &err);
	if (rc == 0)
		rc = dl__doc_add_row(doc, cells, &err);
	if (rc == 0)
		rc = dl__doc_render_text(doc, &dump, &len, &err);
	check(rc == 0 && strcmp(dump, expected) == 0, "text dump format");
	if (rc == 0 && strcmp(dump, expected) != 0)
		printf("# got:\n%s", dump);
	dl__free(dump);
	dl__doc_free(doc);
}

/* ---- PDF ---- */

static void test_pdf(void)
{
	dl__doc *doc = NULL;
	dl__layout *lay = NULL;
	dl_error err;
	unsigned char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	struct timespec pause = {1, 100000000};
	int rc;

	rc = new_sample(&doc, 60, &err);
	if (rc == 0)
		rc = dl__layout_run(&lay, doc, &err);
	if (rc == 0)
		rc = dl__pdf_render(lay, NULL, &a, &alen, &err);
	check(rc == 0 && alen > 1000 && memcmp(a, "%PDF-", 5) == 0, "the sample renders to PDF in memory");
	if (rc != 0) {
		printf("# %s\n", err.message);
		goto done;
	}
	nanosleep(&pause, NULL); /* a time-based ID or date would now differ */
	rc = dl__pdf_render(lay, NULL, &b, &blen, &err);
	check(rc == 0 && alen == blen && memcmp(a, b, alen) == 0, "two renders are byte-identical");
	check(!contains(a, alen, "/ID") && !contains(a, alen, "/CreationDate") && !contains(a, alen, "/ModDate"),
	      "no /ID, /CreationDate or /ModDate in the PDF");
	check(contains(a, alen, "/FontFile2") && contains(a, alen, "/Identity-H"),
	      "the CJK font is embedded as a CID TrueType font");
	check(contains(a, alen, "/FlateDecode"), "content is compressed");
	/* The output buffer's allocation fails: a clean DL_ENOMEM, nothing returned. */
	{
		unsigned char *c = NULL;
		size_t clen = 0;
		dl__alloc_fail_after(0);
		rc = dl__pdf_render(lay, NULL, &c, &clen, &err);
		dl__alloc_fail_after(-1);
		check(rc == DL_ENOMEM && c == NULL, "an allocation failure in the PDF back end is reported");
	}
done:
	dl__free(a);
	dl__free(b);
	dl__layout_free(lay);
	dl__doc_free(doc);
}

/* ---- fonts ---- */

static void test_fonts(void)
{
	static const char *const nowhere[] = {"/nonexistent/wqy-zenhei.ttc", "/nonexistent/uming.ttc"};
	dl__font_choice fc;
	dl_error err;
	dl__doc *doc = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0;
	dl__pdf_options opts = {"/nonexistent/font.ttc", NULL};
	char junk[] = "/tmp/dl_test_font_XXXXXX";
	FILE *fp;
	int rc, fd;

	rc = dl__font_find_in(NULL, NULL, nowhere, 2, &fc, &err);
	check(rc == DL_EIO && strstr(err.message, "/nonexistent/wqy-zenhei.ttc") != NULL &&
		  strstr(err.message, "/nonexistent/uming.ttc") != NULL && strstr(err.message, "DIGILEVEL_FONT") != NULL,
	      "no font anywhere: a clear error naming every place tried");
	rc = dl__font_find_in(NULL, "/nonexistent/env.ttf", nowhere, 2, &fc, &err);
	check(rc == DL_EIO && strstr(err.message, "/nonexistent/env.ttf") != NULL &&
		  strstr(err.message, "DIGILEVEL_FONT") != NULL,
	      "an unusable DIGILEVEL_FONT is an error, not a silent fallback");
	rc = dl__font_find_in("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", NULL, nowhere, 2, &fc, &err);
	check(rc == DL_EINVALID && strstr(err.message, "Micro Hei") != NULL, "WenQuanYi Micro Hei is rejected");
	fd = mkstemp(junk);
	fp = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (fp != NULL) {
		fputs("not a font", fp);
		fclose(fp);
		rc = dl__font_find_in(junk, NULL, nowhere, 2, &fc, &err);
		check(rc == DL_EINVALID && strstr(err.message, "not a TrueType font") != NULL,
		      "a file that is not TrueType is rejected");
		remove(junk);
	}
	rc = dl__doc_new(&doc, &err);
	if (rc == 0)
		rc = dl__doc_add_paragraph(doc, "测试", 0, &err);
	if (rc == 0)
		rc = dl__doc_render_pdf(doc, &opts, &pdf, &len, &err);
	check(rc == DL_EIO && pdf == NULL && strstr(err.message, "/nonexistent/font.ttc") != NULL,
	      "a missing font gives an error and no PDF");
	dl__free(pdf);
	pdf = NULL;
	if (dl__font_find(NULL, &fc, &err) == 0) {
		opts.font_path = fc.path;
		rc = dl__doc_render_pdf(doc, &opts, &pdf, &len, &err);
		check(rc == 0 && len > 0, "an explicit font path is used");
		dl__free(pdf);
	} else
		printf("# no system CJK font installed: %s\n", err.message);
	dl__doc_free(doc);
}

/* ---- allocation failures ---- */

static void test_allocation_failures(void)
{
	long n;
	int clean = 1, succeeded = 0;

	for (n = 0; n < 100000 && !succeeded; n++) {
		dl__doc *doc = NULL;
		dl_error err;
		char *dump = NULL;
		size_t len = 0;
		int rc;

		dl__alloc_fail_after(n);
		rc = new_sample(&doc, 20, &err);
		if (rc == 0)
			rc = dl__doc_render_text(doc, &dump, &len, &err);
		dl__alloc_fail_after(-1);
		if (rc == 0)
			succeeded = 1;
		else if (rc != DL_ENOMEM || strstr(err.message, "out of memory") == NULL)
			clean = 0;
		dl__free(dump);
		dl__doc_free(doc);
	}
	check(clean && succeeded, "every allocation failure gives DL_ENOMEM (and no leak under valgrind)");
}

/* ---- demo ---- */

static void demo(const char *path)
{
	dl__doc *doc = NULL;
	dl_error err;
	unsigned char *pdf = NULL;
	char *dump = NULL, txt[4096];
	size_t len = 0, dlen = 0;
	dl__pdf_options opts = {getenv("DL_LAYOUT_DEMO_FONT"), "中小企业数字化诊断报告"};
	int rc;

	rc = new_sample(&doc, 60, &err);
	if (rc == 0)
		rc = dl__doc_render_pdf(doc, &opts, &pdf, &len, &err);
	if (rc == 0)
		rc = dl__doc_render_text(doc, &dump, &dlen, &err);
	snprintf(txt, sizeof(txt), "%s.txt", path);
	if (rc == 0 && (write_file(path, pdf, len) < 0 || write_file(txt, dump, dlen) < 0))
		rc = -2;
	check(rc == 0, "demo report written");
	if (rc == 0)
		printf("# demo: %s (%zu bytes), %s\n", path, len, txt);
	else
		printf("# demo failed: %s\n", err.message);
	dl__free(pdf);
	dl__free(dump);
	dl__doc_free(doc);
}

int main(void)
{
	const char *demo_path = getenv("DL_LAYOUT_DEMO");

	test_line_breaking();
	test_input_checks();
	test_dump_format();
	test_page_defects();
	test_table_pagination();
	test_giant_row();
	test_item_keep();
	test_pdf();
	test_fonts();
	test_allocation_failures();
	if (demo_path != NULL && demo_path[0] != '\0')
		demo(demo_path);
	return test_done();
}
