/*
 * sheet_workbook.c: an answer sheet from a filled self-assessment workbook (自评表.xlsx), and the
 * public conversion to answer-sheet XML (include/digilevel/xlsx.h).
 *
 * The design: the cells (read by engine/input/workbook.c) are turned into the answer-sheet XML a
 * person would have written, one element per line, and that text is loaded like any sheet, so that a
 * workbook is checked by exactly the same schema and rules as XML and the two can never score
 * differently. Two things make the messages speak of cells: the slips people make in a spreadsheet
 * (a letter in a number, an option not in the list, a level 5, a date that is not one, full-width
 * digits, a percent sign, a unit after the number) are caught here, cell by cell, with the fix in
 * plain Chinese; and each line of the text remembers the cell it came from (dl__cell_map, diag.h),
 * so that whatever the schema, the loader or the later checks (an unanswered question, a wrong
 * 统一社会信用代码) find is reported at that cell too: "自评表.xlsx:问卷!F12: ...".
 *
 * Rows are found by the ids in each worksheet's hidden column A, options by the drop-down lists of
 * the hidden sheet (workbook_layout.h), never by the Chinese labels people see.
 */
#include "sheet_workbook.h"

#include "alloc.h"
#include "buffer.h"
#include "date.h"
#include "i18n.h"
#include "sha256.h"
#include "sheet_model.h"
#include "slips.h"
#include "workbook.h"
#include "workbook_layout.h"
#include "xmldoc.h"
#include "digilevel/xlsx.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const dl__wb_field dl__wb_fields[] = {
	{"e:name", "企业名称", "与营业执照一致", DL__WB_TEXT, 1},
	{"e:credit-code", "统一社会信用代码", "18 位，与营业执照一致", DL__WB_TEXT, 1},
	{"e:region", "所在地区", "如 宁夏回族自治区吴忠市红寺堡区", DL__WB_TEXT, 0},
	{"e:address", "地址", "", DL__WB_TEXT, 0},
	{"e:industry", "细分行业", "如 食品加工制造", DL__WB_TEXT, 1},
	{"e:scale", "企业规模", "从下拉列表选择：规上 或 规下", DL__WB_SCALE, 1},
	{"e:employees", "员工人数", "整数，单位：人（可不填）", DL__WB_COUNT, 0},
	{"e:main-products", "主要产品", "", DL__WB_TEXT, 0},
	{"e:tags", "企业称号", "如 专精特新中小企业；多个用「；」或「、」分开（可不填）", DL__WB_TAGS, 0},
	{"a:phase", "评估类型", "从下拉列表选择", DL__WB_PHASE, 1},
	{"a:date", "评估日期", "日期，如 2024-12-12", DL__WB_DATE, 1},
	{"a:organisation", "评估机构", "填写本表的单位（自评填企业名称）", DL__WB_TEXT, 1},
};
const size_t dl__wb_field_count = sizeof(dl__wb_fields) / sizeof(dl__wb_fields[0]);

const char *const dl__wb_phase_labels[3] = {"诊断（改造前）", "评测（改造后）", "自评"};
static const char *const PHASE_NAMES[3] = {"diagnosis", "evaluation", "self-check"};

/* --- the state of one conversion --------------------------------------------------------------- */

typedef struct conv {
	const dl__workbook *wb;
	dl__diag *d;
	const char *name;
	dl__buffer xml; /* the text so far */
	dl__cell_line *lines; /* one per line of xml (dl__malloc) */
	size_t line_count, line_cap;
	dl__cell_line at; /* the cell of the line being written */
	bool oom;
	int rc; /* first problem, 0 if none */
	const dl__wb_sheet *hidden;
	int max_level;
} conv;

static void put_bytes(conv *c, const char *s, size_t n)
{
	if (c->oom)
		return;
	dl__buffer_add(&c->xml, s, n);
	c->oom = c->xml.failed;
}

static void put(conv *c, const char *s)
{
	put_bytes(c, s, strlen(s));
}

/* Text as XML character data or an attribute value. */
static void put_escaped(conv *c, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': put(c, "&amp;"); break;
		case '<': put(c, "&lt;"); break;
		case '>': put(c, "&gt;"); break;
		case '"': put(c, "&quot;"); break;
		case '\n': put(c, "&#10;"); break;
		case '\r': put(c, "&#13;"); break;
		case '\t': put(c, "&#9;"); break;
		default: put_bytes(c, s, 1);
		}
	}
}

/* The cell the next line comes from (sheet NULL: none). */
static void from(conv *c, const char *sheet, unsigned long row, unsigned long col)
{
	c->at.sheet = sheet;
	c->at.row = row;
	c->at.col = col;
}

/* End the line: a newline, and its cell in the map. */
static void end_line(conv *c)
{
	put(c, "\n");
	if (c->oom)
		return;
	if (c->line_count == c->line_cap) {
		size_t cap = c->line_cap ? c->line_cap * 2 : 256;
		dl__cell_line *grown = dl__realloc(c->lines, cap * sizeof(*grown));
		if (!grown) {
			c->oom = true;
			return;
		}
		c->lines = grown;
		c->line_cap = cap;
	}
	c->lines[c->line_count++] = c->at;
}

/* A whole line of fixed markup (no cell of its own but the current one). */
static void line(conv *c, const char *markup)
{
	put(c, markup);
	end_line(c);
}

/* A problem at a cell, in plain words: "NAME:SHEET!D12: message". */
static void slip(conv *c, const char *sheet, unsigned long row, unsigned long col, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

static void slip(conv *c, const char *sheet, unsigned long row, unsigned long col, const char *fmt, ...)
{
	char where[DL_ERROR_FILE_MAX];
	const char *saved = c->d->file;
	c->d->file = dl__cell_where(where, sizeof(where), c->name, sheet, row, col);
	va_list ap;
	va_start(ap, fmt);
	dl__diag_vreport(c->d, DL_EINVALID, 0, 0, fmt, ap);
	va_end(ap);
	c->d->file = saved;
	if (c->rc == 0)
		c->rc = DL_EINVALID;
}

/* What a person wrote, for a message: at most about 40 bytes, cut at a character, with "…". */
static const char *quoted(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s);
	if (n < size && n <= 40)
		return s;
	size_t keep = 40 < size - 4 ? 40 : size - 4;
	while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
		keep--;
	memcpy(buf, s, keep);
	memcpy(buf + keep, "…", sizeof("…"));
	return buf;
}

/* --- reading cells ------------------------------------------------------------------------------ */

/* The row of ws whose column A holds id, or 0. */
static uint32_t row_of(const dl__wb_sheet *ws, const char *id)
{
	for (size_t i = 0; ws && i < ws->count; i++)
		if (ws->cells[i].col == DL__WB_COL_ID && strcmp(ws->cells[i].text, id) == 0)
			return ws->cells[i].row;
	return 0;
}

/* Text with white space at both ends trimmed (ASCII and U+3000), into buf. */
static const char *trimmed(const char *s, char *buf, size_t size)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || strncmp(s, "\u3000", 3) == 0)
		s += *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ? 1 : 3;
	size_t n = strlen(s);
	for (;;) {
		if (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
			n--;
		else if (n >= 3 && memcmp(s + n - 3, "\u3000", 3) == 0)
			n -= 3;
		else
			break;
	}
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/*
 * The plain decimal of a number as a spreadsheet stores it or a person types it ("4.5E-2" ->
 * "0.045", "12.60" -> "12.6"), rounded to the 15 significant digits a spreadsheet keeps (so that
 * 0.30000000000000004 is 0.3). Exact: digits are moved, never computed in binary. Returns false
 * when s is not such a number.
 */
static bool plain_number(const char *s, char *out, size_t size)
{
	char digits[64];
	size_t nd = 0;
	long point = 0; /* value = 0.digits × 10^point */
	bool neg = false, seen_digit = false, seen_point = false;
	const char *p = s;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			seen_digit = true;
			if (nd == 0 && *p == '0') {
				if (seen_point)
					point--;
				continue;
			}
			if (nd < sizeof(digits) - 1)
				digits[nd++] = *p;
			else if (!seen_point)
				point++;
			if (!seen_point)
				point++;
			continue;
		}
		if (*p == '.' && !seen_point) {
			seen_point = true;
			continue;
		}
		break;
	}
	if (!seen_digit)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		bool eneg = false;
		if (*p == '-' || *p == '+')
			eneg = *p++ == '-';
		if (!(*p >= '0' && *p <= '9'))
			return false;
		long e = 0;
		for (; *p >= '0' && *p <= '9'; p++)
			if ((e = e * 10 + (*p - '0')) > 400)
				return false;
		point += eneg ? -e : e;
	}
	if (*p)
		return false;
	/* correct the point for digits kept (digits after the first nonzero one shift nothing) */
	if (nd > 15) { /* round half up at 15 significant digits */
		bool up = digits[15] >= '5';
		nd = 15;
		for (size_t i = nd; up && i-- > 0;) {
			if (digits[i] == '9') {
				digits[i] = '0';
			} else {
				digits[i]++;
				up = false;
			}
		}
		if (up) {
			memmove(digits + 1, digits, nd - 1);
			digits[0] = '1';
			point++;
		}
	}
	while (nd > 0 && digits[nd - 1] == '0')
		nd--;
	if (nd == 0) {
		snprintf(out, size, "0");
		return true;
	}
	if (point > 30 || point < -30)
		return false;
	char buf[128];
	size_t n = 0;
	if (neg)
		buf[n++] = '-';
	if (point <= 0) {
		buf[n++] = '0';
		buf[n++] = '.';
		for (long i = 0; i < -point; i++)
			buf[n++] = '0';
		memcpy(buf + n, digits, nd);
		n += nd;
	} else if ((size_t)point >= nd) {
		memcpy(buf + n, digits, nd);
		n += nd;
		for (long i = 0; i < point - (long)nd; i++)
			buf[n++] = '0';
	} else {
		memcpy(buf + n, digits, (size_t)point);
		n += (size_t)point;
		buf[n++] = '.';
		memcpy(buf + n, digits + point, nd - (size_t)point);
		n += nd - (size_t)point;
	}
	buf[n] = '\0';
	snprintf(out, size, "%s", buf);
	return true;
}

/*
 * Why text is not a number of the kind the cell holds, and the fix, in plain words, into hint (""
 * when nothing is certain): the usual slips (slips.c: full-width digits, a percent sign, thousands
 * separators, a decimal comma, a unit after the number; a level written "2级" or "二级").
 */
static void number_hint(const char *text, bool integer, bool level, char *hint, size_t size)
{
	char fix[64];
	hint[0] = '\0';
	dl__slip slip = dl__slip_number(text, integer ? DL__NUMBER_WHOLE : DL__NUMBER_DECIMAL4, fix,
					sizeof(fix));
	if (slip == DL__SLIP_NONE && level)
		slip = dl__slip_level(text, fix, sizeof(fix));
	dl__slip_advise(hint, size, slip, fix);
}

/* A cell's value as text for a text field ("" when empty). Error values are slips. */
static const char *cell_text(conv *c, const dl__wb_sheet *ws, const char *sheet, uint32_t row,
			     uint32_t col, char *buf, size_t size)
{
	const dl__wb_cell *cell = ws && row ? dl__workbook_cell(ws, row, col) : NULL;
	if (!cell)
		return "";
	if (cell->kind == DL__CELL_ERROR) {
		slip(c, sheet, row, col, _("the cell holds the error value '%s': replace it with what belongs here"), cell->text);
		return "";
	}
	if (cell->kind == DL__CELL_NUMBER) {
		if (!plain_number(cell->text, buf, size))
			snprintf(buf, size, "%s", cell->text);
		return buf;
	}
	if (cell->kind == DL__CELL_BOOL)
		return strcmp(cell->text, "1") == 0 ? DL__WB_YES : DL__WB_NO;
	if (strlen(cell->text) >= size) { /* never cut what a person wrote: say so */
		slip(c, sheet, row, col, _("this cell's text is too long (over %zu bytes): shorten it"), size - 1);
		return "";
	}
	return trimmed(cell->text, buf, size);
}

/* A locked label's text (a figure's name, a scenario's title), for messages: its first line, cut
 * at a character to fit; "" when empty. */
static const char *label_text(const dl__wb_sheet *ws, uint32_t row, uint32_t col, char *buf, size_t size)
{
	const dl__wb_cell *cell = ws && row ? dl__workbook_cell(ws, row, col) : NULL;
	if (!cell || cell->kind != DL__CELL_TEXT)
		return "";
	char first[1024];
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(cell->text, "\r\n"), cell->text);
	dl__copy_truncated(buf, size, first);
	return buf;
}

/*
 * A number cell: the plain decimal into out (at most 4 fractional digits), "" when empty. A slip
 * (with what was expected and the fix) otherwise; what names the field for people.
 */
static bool cell_number(conv *c, const dl__wb_sheet *ws, const char *sheet, uint32_t row,
			uint32_t col, const char *what, const char *expect, bool integer, char *out,
			size_t size)
{
	char buf[512], q[64];
	out[0] = '\0';
	const dl__wb_cell *cell = ws && row ? dl__workbook_cell(ws, row, col) : NULL;
	if (!cell)
		return true;
	if (cell->kind == DL__CELL_ERROR) {
		slip(c, sheet, row, col, _("'%s' holds the error value '%s', not a number"), what, cell->text);
		return false;
	}
	const char *text = cell->kind == DL__CELL_NUMBER ? cell->text : trimmed(cell->text, buf, sizeof(buf));
	if (!text[0])
		return true;
	if (cell->kind == DL__CELL_BOOL || !plain_number(text, out, size) ||
	    (cell->kind != DL__CELL_NUMBER && (strchr(text, 'e') || strchr(text, 'E')))) {
		char hint[160];
		number_hint(text, integer, strcmp(sheet, DL__WB_SHEET_SCENARIOS) == 0, hint, sizeof(hint));
		slip(c, sheet, row, col, _("'%s' should be %s, not '%s'%s"), what, expect,
		     quoted(text, q, sizeof(q)), hint);
		out[0] = '\0';
		return false;
	}
	const char *dot = strchr(out, '.');
	if (integer && dot) {
		slip(c, sheet, row, col, _("'%s' should be %s, not '%s'"), what, expect, quoted(text, q, sizeof(q)));
		out[0] = '\0';
		return false;
	}
	if (dot && strlen(dot + 1) > 4) {
		slip(c, sheet, row, col, _("'%s' takes at most 4 decimals, not '%s'"), what, out);
		out[0] = '\0';
		return false;
	}
	return true;
}

/*
 * A date typed as text as YYYY-MM-DD into out: written so (an ISO date stored as such, iso, may have
 * a time after a "T"), or in a form that certainly means one (2024/12/12, 2024.12.12, 2024-3-1,
 * 2024年12月12日, full-width digits: dl__slip_date).
 */
static bool parse_text_date(const char *s, bool iso, char *out, size_t size)
{
	char date[64];
	snprintf(date, sizeof(date), "%.*s", iso ? (int)strcspn(s, "T") : (int)strlen(s), s);
	if (strlen(date) == 10 && date[4] == '-' && date[7] == '-' &&
	    strspn(date, "0123456789-") == 10 && size > 10) {
		memcpy(out, date, 11); /* the ten characters and the terminator */
		return true;
	}
	return dl__slip_date(date, out, size) == DL__SLIP_DATE;
}

/* A date cell as YYYY-MM-DD into out ("" when empty): a date serial, an ISO date or a date typed as
 * text (2024-12-12, 2024/12/12, 2024.12.12, 2024年12月12日). */
static bool cell_date(conv *c, const dl__wb_sheet *ws, const char *sheet, uint32_t row, uint32_t col,
		      const char *what, char *out, size_t size)
{
	char buf[256], q[64];
	out[0] = '\0';
	const dl__wb_cell *cell = ws && row ? dl__workbook_cell(ws, row, col) : NULL;
	if (!cell)
		return true;
	int y = 0, m = 0, d = 0;
	bool ok = false;
	char typed[16] = "";
	const char *text = cell->text;
	if (cell->kind == DL__CELL_NUMBER) {
		long serial = 0;
		const char *p = text;
		for (; *p >= '0' && *p <= '9' && serial < 10000000; p++)
			serial = serial * 10 + (*p - '0');
		ok = p != text && (*p == '\0' || *p == '.') &&
		     dl__workbook_serial_date(serial, c->wb->date1904, &y, &m, &d) == 0;
	} else if (cell->kind == DL__CELL_TEXT || cell->kind == DL__CELL_DATE) {
		text = trimmed(text, buf, sizeof(buf));
		if (!text[0])
			return true;
		ok = parse_text_date(text, cell->kind == DL__CELL_DATE, typed, sizeof(typed));
	}
	if (ok) {
		if (typed[0])
			snprintf(out, size, "%s", typed);
		else
			snprintf(out, size, "%04d-%02d-%02d", y, m, d);
		char why[120];
		if (dl__date_parse(out, NULL, NULL, NULL, why, sizeof(why)) == 0)
			return true;
		slip(c, sheet, row, col, _("'%s' is not a real date: '%s'"), what, quoted(text, q, sizeof(q)));
		out[0] = '\0';
		return false;
	}
	slip(c, sheet, row, col, _("'%s' should be a date (such as 2024-12-12), not '%s'"), what, quoted(text, q, sizeof(q)));
	return false;
}

/* A text that goes on one line of the sheet may not hold control characters (a tab, a line break
 * where the sheet allows none is left to the loader, which reports it at the cell). */
static bool plain_text(conv *c, const char *sheet, uint32_t row, uint32_t col, const char *what,
		       const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') {
			slip(c, sheet, row, col, _("'%s' holds invisible control characters: type this cell again"), what);
			return false;
		}
	return true;
}

/* --- the parts of the sheet --------------------------------------------------------------------- */

/* <element>value</element> on a line of its own, from the cell. */
static void element(conv *c, const char *indent, const char *name, const char *value)
{
	put(c, indent);
	put(c, "<");
	put(c, name);
	put(c, ">");
	put_escaped(c, value);
	put(c, "</");
	put(c, name);
	put(c, ">");
	end_line(c);
}

/* attribute="value" */
static void attribute(conv *c, const char *name, const char *value)
{
	put(c, " ");
	put(c, name);
	put(c, "=\"");
	put_escaped(c, value);
	put(c, "\"");
}

/* The field of 企业信息 with this id: its value (read and checked by its kind) into out. */
static void field(conv *c, const dl__wb_sheet *ws, const char *id, char *out, size_t size,
		  uint32_t *row_out)
{
	const dl__wb_field *f = NULL;
	for (size_t i = 0; i < dl__wb_field_count; i++)
		if (strcmp(dl__wb_fields[i].id, id) == 0)
			f = &dl__wb_fields[i];
	uint32_t row = row_of(ws, id);
	*row_out = row;
	out[0] = '\0';
	if (!f || !row)
		return;
	const char *sheet = DL__WB_SHEET_ENTERPRISE;
	char buf[1024], q[64];
	if (f->kind == DL__WB_COUNT) {
		cell_number(c, ws, sheet, row, DL__WB_ENT_VALUE, f->label, _("a whole number (such as 120)"), true, out, size);
		if (out[0] == '-') {
			slip(c, sheet, row, DL__WB_ENT_VALUE, _("'%s' cannot be negative"), f->label);
			out[0] = '\0';
		}
		return;
	}
	if (f->kind == DL__WB_DATE) {
		cell_date(c, ws, sheet, row, DL__WB_ENT_VALUE, f->label, out, size);
		return;
	}
	const char *text = cell_text(c, ws, sheet, row, DL__WB_ENT_VALUE, buf, sizeof(buf));
	if (!plain_text(c, sheet, row, DL__WB_ENT_VALUE, f->label, text))
		return;
	if (f->kind == DL__WB_SCALE && text[0] && strcmp(text, "规上") != 0 && strcmp(text, "规下") != 0) {
		slip(c, sheet, row, DL__WB_ENT_VALUE, _("'%s' should be chosen from the drop-down list, 规上 or 规下, not '%s'"),
		     f->label, quoted(text, q, sizeof(q)));
		return;
	}
	if (f->kind == DL__WB_PHASE) {
		for (int i = 0; i < 3; i++)
			if (strcmp(text, dl__wb_phase_labels[i]) == 0 || strcmp(text, PHASE_NAMES[i]) == 0) {
				snprintf(out, size, "%s", PHASE_NAMES[i]);
				return;
			}
		if (!text[0])
			slip(c, sheet, row, DL__WB_ENT_VALUE, _("choose '%s' from the drop-down list"), f->label);
		else
			slip(c, sheet, row, DL__WB_ENT_VALUE,
			     _("'%s' should be chosen from the drop-down list (%s, %s or %s), not '%s'"), f->label,
			     dl__wb_phase_labels[0], dl__wb_phase_labels[1], dl__wb_phase_labels[2],
			     quoted(text, q, sizeof(q)));
		return;
	}
	snprintf(out, size, "%s", text);
}

static void write_enterprise(conv *c)
{
	const dl__wb_sheet *ws = dl__workbook_sheet(c->wb, DL__WB_SHEET_ENTERPRISE);
	static const struct {
		const char *id, *element;
	} FIELDS[] = {{"e:name", "name"},	  {"e:credit-code", "credit-code"}, {"e:region", "region"},
		      {"e:address", "address"}, {"e:industry", "industry"},	     {"e:scale", "scale"},
		      {"e:employees", "employees"}, {"e:main-products", "main-products"}};
	char value[1024];
	uint32_t row;
	from(c, NULL, 0, 0);
	line(c, "  <enterprise>");
	for (size_t i = 0; i < sizeof(FIELDS) / sizeof(FIELDS[0]); i++) {
		field(c, ws, FIELDS[i].id, value, sizeof(value), &row);
		if (strcmp(FIELDS[i].element, "employees") == 0 && !value[0])
			continue;
		from(c, row ? DL__WB_SHEET_ENTERPRISE : NULL, row, DL__WB_ENT_VALUE);
		element(c, "    ", FIELDS[i].element, value);
	}
	field(c, ws, "e:tags", value, sizeof(value), &row);
	if (value[0]) {
		from(c, DL__WB_SHEET_ENTERPRISE, row, DL__WB_ENT_VALUE);
		line(c, "    <tags>");
		/* split at ；;、， and line breaks */
		char *p = value;
		while (*p) {
			size_t n = 0;
			while (p[n] && p[n] != ';' && p[n] != ',' && p[n] != '\n' && p[n] != '\r' &&
			       strncmp(p + n, "；", 3) != 0 && strncmp(p + n, "、", 3) != 0 &&
			       strncmp(p + n, "，", 3) != 0)
				n++;
			char tag[1024], t[1024];
			snprintf(tag, sizeof(tag), "%.*s", (int)(n < sizeof(tag) - 1 ? n : sizeof(tag) - 1), p);
			trimmed(tag, t, sizeof(t));
			if (t[0])
				element(c, "      ", "tag", t);
			p += n;
			if (*p)
				p += (*p == ';' || *p == ',' || *p == '\n' || *p == '\r') ? 1 : 3;
		}
		line(c, "    </tags>");
	}
	from(c, NULL, 0, 0);
	line(c, "  </enterprise>");
}

static void write_assessment(conv *c)
{
	const dl__wb_sheet *ws = dl__workbook_sheet(c->wb, DL__WB_SHEET_ENTERPRISE);
	char phase[32], date[32], organisation[1024];
	uint32_t phase_row, date_row, org_row;
	field(c, ws, "a:phase", phase, sizeof(phase), &phase_row);
	field(c, ws, "a:date", date, sizeof(date), &date_row);
	field(c, ws, "a:organisation", organisation, sizeof(organisation), &org_row);
	/* a missing date and a missing organisation are both reported at the assessment's position:
	 * the date's cell, or the organisation's when only that one is missing */
	uint32_t at = date[0] && !organisation[0] ? org_row : date_row;
	from(c, at ? DL__WB_SHEET_ENTERPRISE : NULL, at, DL__WB_ENT_VALUE);
	put(c, "  <assessment");
	attribute(c, "phase", phase[0] ? phase : "self-check");
	attribute(c, "date", date);
	put(c, ">");
	end_line(c);
	from(c, org_row ? DL__WB_SHEET_ENTERPRISE : NULL, org_row, DL__WB_ENT_VALUE);
	element(c, "    ", "organisation", organisation);
	for (int i = 1; i <= DL__WB_ASSESSORS; i++) {
		char id[16];
		snprintf(id, sizeof(id), "r:%d", i);
		uint32_t row = row_of(ws, id);
		if (!row)
			continue;
		static const struct {
			int col;
			const char *attr, *label;
		} PARTS[] = {{DL__WB_ASSESSOR_NAME, "name", "姓名"},
			     {DL__WB_ASSESSOR_ROLE, "role", "角色"},
			     {DL__WB_ASSESSOR_TITLE, "title", "职称"},
			     {DL__WB_ASSESSOR_CONTACT, "contact", "联系方式"}};
		char values[4][1024];
		bool any = false;
		for (size_t k = 0; k < 4; k++) {
			const char *v = cell_text(c, ws, DL__WB_SHEET_ENTERPRISE, row, (uint32_t)PARTS[k].col,
						  values[k], sizeof(values[k]));
			if (v != values[k])
				snprintf(values[k], sizeof(values[k]), "%s", v);
			plain_text(c, DL__WB_SHEET_ENTERPRISE, row, (uint32_t)PARTS[k].col, PARTS[k].label,
				   values[k]);
			any = any || values[k][0];
		}
		if (!any)
			continue;
		if (!values[0][0]) {
			slip(c, DL__WB_SHEET_ENTERPRISE, row, DL__WB_ASSESSOR_NAME,
			     _("assessor %d has a role, a title or a contact but no name"), i);
			continue;
		}
		from(c, DL__WB_SHEET_ENTERPRISE, row, DL__WB_ASSESSOR_NAME);
		put(c, "    <assessor");
		for (size_t k = 0; k < 4; k++)
			if (values[k][0])
				attribute(c, PARTS[k].attr, values[k]);
		put(c, "/>");
		end_line(c);
	}
	from(c, NULL, 0, 0);
	line(c, "  </assessment>");
}

static void write_figures(conv *c)
{
	const dl__wb_sheet *ws = dl__workbook_sheet(c->wb, DL__WB_SHEET_FIGURES);
	bool open = false;
	for (size_t i = 0; ws && i < ws->count; i++) {
		const dl__wb_cell *id = &ws->cells[i];
		if (id->col != DL__WB_COL_ID || strncmp(id->text, "f:", 2) != 0)
			continue;
		char value[64], label[256];
		const char *what = label_text(ws, id->row, 3, label, sizeof(label));
		if (!what[0])
			what = id->text + 2;
		if (!cell_number(c, ws, DL__WB_SHEET_FIGURES, id->row, DL__WB_FIG_VALUE, what,
				 _("a number (such as 120 or 12.5)"), false, value, sizeof(value)) ||
		    !value[0])
			continue;
		if (!open) {
			from(c, NULL, 0, 0);
			line(c, "  <figures>");
			open = true;
		}
		from(c, DL__WB_SHEET_FIGURES, id->row, DL__WB_FIG_VALUE);
		put(c, "    <figure");
		attribute(c, "id", id->text + 2);
		put(c, ">");
		put_escaped(c, value);
		put(c, "</figure>");
		end_line(c);
	}
	if (open) {
		from(c, NULL, 0, 0);
		line(c, "  </figures>");
	}
}

/* The note and evidence columns of a row: <note> and one <evidence> per line of the cell. */
static void annotation(conv *c, const dl__wb_sheet *ws, const char *sheet, uint32_t row,
		       uint32_t note_col, uint32_t evidence_col, const char *indent)
{
	char buf[32768];
	const char *note = cell_text(c, ws, sheet, row, note_col, buf, sizeof(buf));
	if (note[0] && plain_text(c, sheet, row, note_col, "备注", note)) {
		from(c, sheet, row, note_col);
		element(c, indent, "note", note);
	}
	const char *evidence = cell_text(c, ws, sheet, row, evidence_col, buf, sizeof(buf));
	if (!evidence[0] || !plain_text(c, sheet, row, evidence_col, "佐证材料", evidence))
		return;
	from(c, sheet, row, evidence_col);
	for (const char *p = evidence; *p;) {
		size_t n = strcspn(p, "\r\n");
		char item[4096], t[4096];
		snprintf(item, sizeof(item), "%.*s", (int)(n < sizeof(item) - 1 ? n : sizeof(item) - 1), p);
		if (trimmed(item, t, sizeof(t))[0])
			element(c, indent, "evidence", t);
		p += n;
		while (*p == '\r' || *p == '\n')
			p++;
	}
}

/* The drop-down labels and option ids of question qid (the hidden sheet's two rows). */
typedef struct option_list {
	const char *labels[64], *ids[64];
	size_t count;
} option_list;

static void options_of(conv *c, const char *qid, option_list *ol)
{
	char key[96];
	ol->count = 0;
	snprintf(key, sizeof(key), "labels:%s", qid);
	uint32_t lrow = row_of(c->hidden, key);
	snprintf(key, sizeof(key), "ids:%s", qid);
	uint32_t irow = row_of(c->hidden, key);
	if (!lrow || !irow)
		return;
	for (uint32_t col = 2; col < 2 + 64; col++) {
		const dl__wb_cell *l = dl__workbook_cell(c->hidden, lrow, col);
		const dl__wb_cell *i = dl__workbook_cell(c->hidden, irow, col);
		if (!l || !i)
			break;
		ol->labels[ol->count] = l->text;
		ol->ids[ol->count] = i->text;
		ol->count++;
	}
}

/* The option a single-choice cell names: its drop-down text, or its id typed by hand. */
static const char *single_choice(conv *c, const option_list *ol, uint32_t row, const char *qid,
				 const char *text)
{
	char half[256], q[64];
	for (size_t i = 0; i < ol->count; i++)
		if (strcmp(text, ol->labels[i]) == 0 || strcmp(text, ol->ids[i]) == 0)
			return ol->ids[i];
	if (dl__slip_id(text, half, sizeof(half)) == DL__SLIP_FULL_WIDTH)
		for (size_t i = 0; i < ol->count; i++)
			if (strcmp(half, ol->ids[i]) == 0) {
				slip(c, DL__WB_SHEET_QUESTIONS, row, DL__WB_Q_CHOICE,
				     _("the option of %s should be chosen from the drop-down list, not typed as the full-width letter '%s': choose '%s'"),
				     qid, quoted(text, q, sizeof(q)), ol->labels[i]);
				return NULL;
			}
	slip(c, DL__WB_SHEET_QUESTIONS, row, DL__WB_Q_CHOICE,
	     _("the option of %s should be chosen from the drop-down list, not '%s'"), qid, quoted(text, q, sizeof(q)));
	return NULL;
}

static void write_answers(conv *c)
{
	const dl__wb_sheet *ws = dl__workbook_sheet(c->wb, DL__WB_SHEET_QUESTIONS);
	const char *sheet = DL__WB_SHEET_QUESTIONS;
	from(c, NULL, 0, 0);
	line(c, "  <answers>");
	for (size_t i = 0; ws && i < ws->count; i++) {
		const dl__wb_cell *id = &ws->cells[i];
		if (id->col != DL__WB_COL_ID || strncmp(id->text, "q:", 2) != 0)
			continue;
		const char *qid = id->text + 2;
		uint32_t row = id->row;
		option_list ol;
		options_of(c, qid, &ol);
		from(c, sheet, row, DL__WB_Q_CHOICE);
		put(c, "    <answer");
		attribute(c, "question", qid);
		put(c, ">");
		end_line(c);
		/* a multi-choice question: its options on the rows "o:QID:OPTION" below, 是 or 否 each */
		char prefix[96];
		snprintf(prefix, sizeof(prefix), "o:%s:", qid);
		size_t plen = strlen(prefix);
		bool multi = false;
		for (size_t k = 0; k < ws->count; k++) {
			const dl__wb_cell *o = &ws->cells[k];
			if (o->col != DL__WB_COL_ID || strncmp(o->text, prefix, plen) != 0)
				continue;
			multi = true;
			char buf[256], q[64];
			const char *v = cell_text(c, ws, sheet, o->row, DL__WB_Q_CHOICE, buf, sizeof(buf));
			if (!v[0] || strcmp(v, DL__WB_NO) == 0)
				continue;
			if (strcmp(v, DL__WB_YES) != 0) {
				slip(c, sheet, o->row, DL__WB_Q_CHOICE,
				     _("%s option %s should be chosen from the drop-down list, 是 or 否, not '%s'"), qid,
				     o->text + plen, quoted(v, q, sizeof(q)));
				continue;
			}
			from(c, sheet, o->row, DL__WB_Q_CHOICE);
			put(c, "      <choose");
			attribute(c, "option", o->text + plen);
			put(c, "/>");
			end_line(c);
		}
		/* a single-choice question: its option in the drop-down of its own row */
		char buf[512];
		const char *v = ol.count && !multi ? cell_text(c, ws, sheet, row, DL__WB_Q_CHOICE, buf, sizeof(buf)) : "";
		const char *option = v[0] ? single_choice(c, &ol, row, qid, v) : NULL;
		if (option) {
			from(c, sheet, row, DL__WB_Q_CHOICE);
			put(c, "      <choose");
			attribute(c, "option", option);
			put(c, "/>");
			end_line(c);
		}
		char value[64], what[96];
		snprintf(what, sizeof(what), _("%s value"), qid);
		if (cell_number(c, ws, sheet, row, DL__WB_Q_VALUE, what, _("a number (such as 35)"), false, value,
				sizeof(value)) &&
		    value[0]) {
			from(c, sheet, row, DL__WB_Q_VALUE);
			element(c, "      ", "value", value);
		}
		annotation(c, ws, sheet, row, DL__WB_Q_NOTE, DL__WB_Q_EVIDENCE, "      ");
		from(c, sheet, row, DL__WB_Q_CHOICE);
		line(c, "    </answer>");
	}
	from(c, NULL, 0, 0);
	line(c, "  </answers>");
}

/* A level of at most 3 digits ("2"), as a number. */
static int level_value(const char *s)
{
	int v = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	return v;
}

static void write_scenarios(conv *c)
{
	const dl__wb_sheet *ws = dl__workbook_sheet(c->wb, DL__WB_SHEET_SCENARIOS);
	const char *sheet = DL__WB_SHEET_SCENARIOS;
	if (!ws)
		return;
	from(c, NULL, 0, 0);
	line(c, "  <scenarios>");
	uint32_t note_col = (uint32_t)(DL__WB_S_TEXTS + c->max_level);
	for (size_t i = 0; i < ws->count; i++) {
		const dl__wb_cell *id = &ws->cells[i];
		if (id->col != DL__WB_COL_ID || strncmp(id->text, "s:", 2) != 0)
			continue;
		uint32_t row = id->row;
		char title[256], what[320], level[64], expect[96];
		snprintf(what, sizeof(what), _("%s %s level"), id->text + 2, label_text(ws, row, 3, title, sizeof(title)));
		snprintf(expect, sizeof(expect), _("a whole number from 0 to %d (chosen from the drop-down list)"), c->max_level);
		if (cell_number(c, ws, sheet, row, DL__WB_S_LEVEL, what, expect, true, level, sizeof(level)) &&
		    level[0] && (level[0] == '-' || strlen(level) > 3 || level_value(level) > c->max_level)) {
			slip(c, sheet, row, DL__WB_S_LEVEL,
			     _("'%s' should be %s, not '%s'"), what, expect, level);
			level[0] = '\0';
		}
		from(c, sheet, row, DL__WB_S_LEVEL);
		put(c, "    <scenario");
		attribute(c, "id", id->text + 2);
		attribute(c, "level", level);
		put(c, ">");
		end_line(c);
		annotation(c, ws, sheet, row, note_col, note_col + 1, "      ");
		from(c, sheet, row, DL__WB_S_LEVEL);
		line(c, "    </scenario>");
	}
	from(c, NULL, 0, 0);
	line(c, "  </scenarios>");
}

/* --- the whole sheet ---------------------------------------------------------------------------- */

/*
 * The answer-sheet XML of the workbook in data, with the cell of each line. Slips are reported at
 * their cells to d. Returns 0, or DL_EINVALID after slips (their cells left empty), with *xml and
 * map->lines (dl__malloc'ed: the caller frees both); or DL_EINVALID (not a workbook of this
 * layout), DL_ELIMIT or DL_ENOMEM with nothing set.
 */
static int convert(const void *data, size_t len, const char *name, dl__diag *d, char **xml,
		   size_t *xml_len, dl__cell_map *map)
{
	dl__workbook *wb = NULL;
	int rc = dl__workbook_read(&wb, data, len, d);
	if (rc < 0)
		return rc;
	conv c;
	memset(&c, 0, sizeof(c));
	c.wb = wb;
	c.d = d;
	c.name = name;
	c.hidden = dl__workbook_sheet(wb, DL__WB_SHEET_HIDDEN);
	const dl__wb_cell *mark = c.hidden ? dl__workbook_cell(c.hidden, 1, 1) : NULL;
	const dl__wb_cell *format = c.hidden ? dl__workbook_cell(c.hidden, 1, 2) : NULL;
	const dl__wb_cell *qid = c.hidden ? dl__workbook_cell(c.hidden, 2, 2) : NULL;
	const dl__wb_cell *qversion = c.hidden ? dl__workbook_cell(c.hidden, 2, 3) : NULL;
	const dl__wb_cell *max = c.hidden ? dl__workbook_cell(c.hidden, 3, 2) : NULL;
	if (!mark || strcmp(mark->text, DL__WB_MARK) != 0 || !qid || !qversion || !max) {
		rc = dl__diag_report(d, DL_EINVALID, 0, 0,
				     _("this is not a digilevel self-assessment workbook: it has no hidden worksheet '%s' (fill in a workbook made by digilevel template --format xlsx)"),
				     DL__WB_SHEET_HIDDEN);
		goto done;
	}
	if (!format || strcmp(format->text, DL__WB_FORMAT) != 0) {
		rc = dl__diag_report(d, DL_EINVALID, 0, 0,
				     _("the workbook's format version is '%s', and this digilevel reads version %s only: make it again with digilevel template --format xlsx"),
				     format ? format->text : "", DL__WB_FORMAT);
		goto done;
	}
	if (!dl__workbook_sheet(wb, DL__WB_SHEET_QUESTIONS) || !dl__workbook_sheet(wb, DL__WB_SHEET_ENTERPRISE)) {
		rc = dl__diag_report(d, DL_EINVALID, 0, 0,
				     _("the workbook has no worksheet '%s' or '%s': make it again with digilevel template --format xlsx"),
				     DL__WB_SHEET_ENTERPRISE, DL__WB_SHEET_QUESTIONS);
		goto done;
	}
	c.max_level = level_value(max->text);
	from(&c, NULL, 0, 0);
	line(&c, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
	put(&c, "<answer-sheet");
	attribute(&c, "questionnaire", qid->text);
	attribute(&c, "version", qversion->text);
	put(&c, ">");
	end_line(&c);
	write_enterprise(&c);
	write_assessment(&c);
	write_figures(&c);
	write_answers(&c);
	write_scenarios(&c);
	from(&c, NULL, 0, 0);
	line(&c, "</answer-sheet>");
	if (c.oom)
		rc = dl__diag_report(d, DL_ENOMEM, 0, 0, "%s", _("out of memory"));
	else
		rc = c.rc;
done:
	dl__workbook_free(wb);
	if (rc < 0 && rc != c.rc) { /* not read, or out of memory: nothing to load */
		dl__buffer_free(&c.xml);
		dl__free(c.lines);
		return rc;
	}
	*xml = c.xml.data;
	*xml_len = c.xml.len;
	map->lines = c.lines;
	map->count = c.line_count;
	return rc;
}

int dl__sheet_load_workbook(dl_sheet **out, const void *data, size_t len, const char *name,
			    const dl_load_options *opts, dl_error *err)
{
	dl__diag d;
	int rc = dl__load_options_check(opts, err);
	if (rc < 0)
		return rc;
	dl__diag_init(&d, opts, err, name);
	char *xml = NULL;
	size_t xml_len = 0;
	dl__cell_map map = {NULL, 0};
	rc = convert(data, len, name, &d, &xml, &xml_len, &map);
	if (rc < 0 && !xml)
		return rc;
	dl_sheet *s = NULL;
	int slips = rc;
	/* with slips, the cells left empty are still loaded, so every other problem is reported too */
	rc = dl__sheet_load_cells(&s, xml, xml_len, name, &map, opts, slips < 0 ? NULL : err);
	if (slips < 0) {
		dl_sheet_free(s);
		dl__free((void *)map.lines);
		return slips;
	}
	if (rc == 0) {
		/* the sheet keeps the map, so later checks report at the cells too */
		dl__cell_line *lines = dl__arena_array(&s->arena, map.count, sizeof(*lines));
		dl__cell_map *kept = dl__arena_alloc(&s->arena, sizeof(*kept));
		if (!lines || !kept) {
			dl_sheet_free(s);
			dl__free((void *)map.lines);
			return dl__error_set(err, DL_ENOMEM, name, 0, 0, "%s", _("out of memory"));
		}
		memcpy(lines, map.lines, map.count * sizeof(*lines));
		kept->lines = lines;
		kept->count = map.count;
		s->cells = kept;
		dl__sha256_hex(data, len, s->digest); /* the bytes read: the workbook's */
		*out = s;
	}
	dl__free((void *)map.lines);
	return rc;
}

bool dl__workbook_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	unsigned char magic[4];
	bool zip = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read(fd, magic, 4) == 4 &&
		   dl__workbook_magic(magic, 4);
	close(fd);
	return zip;
}

/* --- the public API (xlsx.h) -------------------------------------------------------------------- */

bool dl_workbook_recognise(const void *data, size_t len)
{
	return data && dl__workbook_magic(data, len);
}

/* The workbook's bytes data (named name in messages) as answer-sheet XML, written only when it loads
 * as a sheet; data is the caller's. */
static int write_sheet(const char *data, size_t len, const char *name, dl__diag *d, dl_write_fn write,
		       void *userdata, const dl_load_options *opts, dl_error *err)
{
	char *xml = NULL;
	size_t xml_len = 0;
	dl__cell_map map = {NULL, 0};
	int rc = convert(data, len, name, d, &xml, &xml_len, &map);
	if (rc < 0 && !xml)
		return rc;
	int slips = rc;
	/* the text must load as a sheet (the schema, its limits) before it is written */
	char *copy = dl__malloc(xml_len + 1);
	if (!copy) {
		dl__free(xml);
		dl__free((void *)map.lines);
		return dl__diag_report(d, DL_ENOMEM, 0, 0, "%s", _("out of memory"));
	}
	memcpy(copy, xml, xml_len + 1);
	dl_sheet *s = NULL;
	rc = dl__sheet_load_cells(&s, copy, xml_len, name, &map, opts, slips < 0 ? NULL : err);
	dl_sheet_free(s);
	if (slips < 0)
		rc = slips;
	if (rc == 0 && write(userdata, xml, xml_len) < 0)
		rc = DL_EIO;
	dl__free(xml);
	dl__free((void *)map.lines);
	return rc;
}

int dl_workbook_write_sheet(const char *path, dl_write_fn write, void *userdata,
			    const dl_load_options *opts, dl_error *err)
{
	dl__diag d;
	int rc = dl__load_options_check(opts, err);
	if (rc < 0)
		return rc;
	dl__diag_init(&d, opts, err, path);
	char *data = NULL;
	size_t len = 0;
	rc = dl__xml_read_file(path, opts ? opts->max_file_size : 0, &data, &len, &d);
	if (rc == 0)
		rc = write_sheet(data, len, path, &d, write, userdata, opts, err);
	dl__free(data);
	return rc;
}

int dl_workbook_write_sheet_memory(const void *data, size_t len, const char *name, dl_write_fn write,
				   void *userdata, const dl_load_options *opts, dl_error *err)
{
	dl__diag d;
	int rc = dl__load_options_check(opts, err);
	if (rc < 0)
		return rc;
	dl__diag_init(&d, opts, err, name);
	size_t max = opts && opts->max_file_size ? opts->max_file_size : DL_DEFAULT_MAX_FILE_SIZE;
	if (len > max)
		return dl__diag_report(&d, DL_ELIMIT, 0, 0,
				       _("file is %llu bytes, larger than the limit of %zu bytes"),
				       (unsigned long long)len, max);
	return write_sheet(data, len, name, &d, write, userdata, opts, err);
}
