/*
 * write_batch_rows.c: a dl_batch's rows as CSV and as JSON Lines (docs/batch.md), one row per
 * enterprise or, per sheet, one row per sheet: the bytes `digilevel batch --csv/--jsonl` and
 * `digilevel cohort --rows` write, for any program that needs the same files; and, for people, as
 * CSV for a spreadsheet (--csv-excel) and as a workbook (--xlsx), with Chinese headers and words.
 *
 * The CSV, the CSV for a spreadsheet and the workbook are one walk over the rows written as a
 * table (write_table.h): every CSV cell goes through dl__out_csv_cell (text from the input guarded
 * against formulas, numbers the library wrote as they are); a workbook's cells are numbers, dates
 * and text as they are, and it is handed over whole by dl_batch_writer_finish. For people the
 * header waits for the first row, which gives the dimensions their titles (数字化基础 …); for
 * programs it is d1 … dN. The CSV header needs the number of dimension columns:
 * in pairing mode the caller gives the most any row has, before the rows; per sheet it is the first
 * scored sheet's, and the rows of sheets that failed before it wait in memory until it comes. Each
 * call hands its bytes to the write function before it returns, so what a caller prints elsewhere
 * (diagnostics on stderr) keeps its place beside them.
 */
#include "alloc.h"
#include "buffer.h"
#include "money.h"
#include "out.h"
#include "write_table.h"

#include <digilevel/batch.h>

#include <stdio.h>
#include <string.h>

struct dl_batch_writer {
	dl_batch_format format;
	bool per_sheet;
	dl_write_fn write;
	void *userdata;
	int rc;	     /* the first failure, kept */
	size_t dims; /* dimension columns of the CSV, once its header is written */
	bool header; /* the CSV header is written (for people: due, written with the first row) */
	bool header_out; /* ... and its bytes are out */
	dl__buffer pending; /* per sheet: file and why (each NUL-ended) of the sheets that failed
			     * before the header; failed: memory ran out keeping them, the header was
			     * written as it could be */
	bool table_open;   /* the table below is open (CSV, CSV for spreadsheets, workbook) */
	dl__out out;	   /* JSON Lines */
	dl__table table;   /* the others */
};

/* Whether the rows are for people (Chinese headers and words) rather than programs. */
static bool for_people(const dl_batch_writer *w)
{
	return w->format == DL_BATCH_CSV_EXCEL || w->format == DL_BATCH_XLSX;
}

int dl_batch_writer_new(dl_batch_writer **out, dl_batch_format format, bool per_sheet,
			dl_write_fn write, void *userdata)
{
	if (format != DL_BATCH_CSV && format != DL_BATCH_JSON_LINES &&
	    format != DL_BATCH_CSV_EXCEL && format != DL_BATCH_XLSX)
		return DL_EINVALID;
	dl_batch_writer *w = dl__calloc(1, sizeof(*w));
	if (!w)
		return DL_ENOMEM;
	w->format = format;
	w->per_sheet = per_sheet;
	w->write = write;
	w->userdata = userdata;
	if (format != DL_BATCH_JSON_LINES) {
		dl__table_format tf = format == DL_BATCH_CSV	     ? DL__TABLE_CSV
				      : format == DL_BATCH_CSV_EXCEL ? DL__TABLE_CSV_EXCEL
								     : DL__TABLE_XLSX;
		int rc = dl__table_open(&w->table, tf, NULL, write, userdata);
		if (rc < 0) {
			dl__table_abort(&w->table);
			dl__free(w);
			return rc;
		}
		w->table_open = true;
	}
	*out = w;
	return 0;
}

void dl_batch_writer_free(dl_batch_writer *w)
{
	if (!w)
		return;
	if (w->table_open)
		dl__table_abort(&w->table);
	dl__buffer_free(&w->pending);
	dl__free(w);
}

size_t dl_batch_writer_dims(const dl_batch_writer *w)
{
	return w->header ? w->dims : 0;
}

static dl__out *begin(dl_batch_writer *w)
{
	dl__out_init(&w->out, w->write, w->userdata);
	return &w->out;
}

/* Hand the call's bytes over; the first failure stays. */
static int end(dl_batch_writer *w)
{
	int rc =
	    w->format == DL_BATCH_JSON_LINES ? dl__out_finish(&w->out) : dl__table_flush(&w->table);
	if (rc < 0 && w->rc == 0)
		w->rc = rc;
	return w->rc;
}

/* --- CSV and the workbook ------------------------------------------------------------------------
 */

/* Text from the input (names, tags, paths, titles, reasons): guarded against formulas. */
static void csv_field(dl__table *t, const char *s, bool last)
{
	dl__table_cell(t, DL__TC_TEXT, s, last);
}

/* A number, a date or a word written here, as kind says. */
static void csv_cell(dl__table *t, dl__table_kind kind, const char *s, bool last)
{
	dl__table_cell(t, kind, s, last);
}

static const char *points_text(dl_points p, char *buf)
{
	return dl_points_format(p, buf, 32);
}

/* A row's status for people: the pairing's in Chinese, a sheet's phase in Chinese. */
static const char *status_text(const dl_batch_writer *w, const char *status)
{
	static const char *const words[][2] = {{"paired", "已配对"},
					       {"diagnosis only", "仅有诊断"},
					       {"evaluation only", "仅有评测"},
					       {"not compared", "未能比较"},
					       {"diagnosis", "诊断"},
					       {"evaluation", "评测"},
					       {"self-check", "自评"},
					       {"error", "出错"}};
	if (for_people(w))
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strcmp(status, words[i][0]) == 0)
				return words[i][1];
	return status;
}

/* The dimension scores of a side, in as many columns as the header has (dim_count is no more). */
static void csv_dims(dl__table *t, size_t columns, const dl_batch_side *s)
{
	char buf[32];
	for (size_t i = 0; i < columns; i++)
		csv_cell(t, DL__TC_POINTS,
			 s->present && i < s->dim_count ? points_text(s->dims[i], buf) : "", false);
}

/* The scenario counts of a side (the last two of the platform's six fields), or two empty cells. */
static void csv_scenarios(dl__table *t, const dl_batch_side *s, bool shown)
{
	char n[24];
	snprintf(n, sizeof(n), "%zu", s->constraint_scenarios);
	csv_cell(t, DL__TC_INT, shown ? n : "", false);
	snprintf(n, sizeof(n), "%zu", s->guidance_scenarios);
	csv_cell(t, DL__TC_INT, shown ? n : "", false);
}

static void csv_side(dl__table *t, size_t columns, const dl_batch_side *s, bool with_retrofit)
{
	char buf[32], lv[16];
	csv_field(t, s->present ? s->file : "", false);
	csv_cell(t, DL__TC_DATE, s->present ? s->date : "", false);
	if (with_retrofit) {
		snprintf(lv, sizeof(lv), "%d", s->attempt);
		csv_cell(t, DL__TC_INT, s->present && s->attempt ? lv : "", false);
		csv_cell(t, DL__TC_DATE, s->present ? s->applied : "", false);
	}
	snprintf(lv, sizeof(lv), "%d", s->level);
	csv_cell(t, DL__TC_INT, s->present ? lv : "", false);
	csv_field(t, s->present ? s->level_name : "", false);
	csv_cell(t, DL__TC_POINTS, s->present ? points_text(s->total, buf) : "", false);
	csv_dims(t, columns, s);
	csv_scenarios(t, s, s->present);
}

static void csv_row(const dl_batch_writer *w, dl__table *t, size_t columns, const dl_batch_row *r)
{
	char money[32], differences[1200];
	csv_field(t, r->code, false);
	csv_field(t, r->name, false);
	csv_field(t, r->industry, false);
	csv_field(t, r->scale, false);
	csv_field(t, r->tags, false);
	csv_cell(t, DL__TC_WORD, status_text(w, r->status), false);
	csv_side(t, columns, &r->before, false);
	csv_side(t, columns, &r->after, true);
	csv_cell(t, DL__TC_WORD, r->has_verdict ? dl_verdict_title(r->verdict) : "", false);
	csv_field(t, r->phase_id, false);
	csv_cell(t, DL__TC_MONEY,
		 r->has_verdict ? dl_money_format(r->eligible, money, sizeof(money)) : "", false);
	csv_cell(t, DL__TC_MONEY,
		 r->has_verdict ? dl_money_format(r->subsidy, money, sizeof(money)) : "", false);
	csv_field(t, r->reason, false);
	csv_field(t, dl_batch_row_differences(r, differences, sizeof(differences)), false);
	const dl_batch_side *qs = r->after.present ? &r->after : &r->before;
	csv_field(t, qs->present ? qs->questionnaire : "", false);
	csv_field(t, qs->present ? qs->questionnaire_sha256 : "", true);
}

/* The per-sheet row of a sheet that could not be scored: its file and why. */
static void csv_failed_row(const dl_batch_writer *w, dl__table *t, size_t columns, const char *file,
			   const char *why)
{
	for (int i = 0; i < 5; i++)
		csv_field(t, "", false);
	csv_cell(t, DL__TC_WORD, status_text(w, "error"), false);
	csv_field(t, file, false);
	/* date, level, level_name, total, dimensions, constraint and guidance scenarios */
	for (size_t i = 0; i < 6 + columns; i++)
		csv_field(t, "", false);
	csv_field(t, why, false);
	csv_field(t, "", false); /* questionnaire, questionnaire_sha256 */
	csv_field(t, "", true);
}

/* The per-sheet row of a scored sheet; with why not empty, an "error" row that keeps its identity
 * (a sheet with more dimensions than the CSV has columns). */
static void csv_sheet_row(const dl_batch_writer *w, dl__table *t, size_t columns,
			  const dl_batch_row *r, const char *why)
{
	char buf[32], lv[16];
	const dl_batch_side *s = &r->after;
	bool scored = !why[0];
	csv_field(t, r->code, false);
	csv_field(t, r->name, false);
	csv_field(t, r->industry, false);
	csv_field(t, r->scale, false);
	csv_field(t, r->tags, false);
	csv_cell(t, DL__TC_WORD, status_text(w, scored ? r->status : "error"), false);
	csv_field(t, s->file, false);
	csv_cell(t, DL__TC_DATE, s->date, false);
	snprintf(lv, sizeof(lv), "%d", s->level);
	csv_cell(t, DL__TC_INT, scored ? lv : "", false);
	csv_field(t, scored ? s->level_name : "", false);
	csv_cell(t, DL__TC_POINTS, scored ? points_text(s->total, buf) : "", false);
	for (size_t i = 0; i < columns; i++)
		csv_cell(t, DL__TC_POINTS,
			 scored && i < s->dim_count ? points_text(s->dims[i], buf) : "", false);
	csv_scenarios(t, s, scored);
	csv_field(t, why, false);
	csv_field(t, s->questionnaire ? s->questionnaire : "", false);
	csv_field(t, s->questionnaire_sha256 ? s->questionnaire_sha256 : "", true);
}

/* The header's columns: key for programs, title for people. */
typedef struct column {
	const char *key, *title;
} column;

static void columns(dl__table *t, const column *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dl__table_column(t, c[i].key, c[i].title);
}

/*
 * The dimension columns of one side: PREFIXd1 ... PREFIXdN for programs; for people the title of
 * each dimension (from side when it has one, else "维度N") after side_title.
 */
static void header_dims(dl__table *t, size_t n, const char *prefix, const char *side_title,
			const dl_batch_side *side)
{
	char key[64], title[600];
	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%sd%zu", prefix, i + 1);
		if (side && side->present && i < side->dim_count)
			snprintf(title, sizeof(title), "%s%s", side_title, side->dim_titles[i]);
		else
			snprintf(title, sizeof(title), "%s维度%zu", side_title, i + 1);
		dl__table_column(t, key, title);
	}
}

/* A side with as many dimensions as the header has, for their titles; or NULL. */
static const dl_batch_side *titled(const dl_batch_row *r, size_t dims)
{
	if (!r)
		return NULL;
	if (r->after.present && r->after.dim_count >= dims)
		return &r->after;
	if (r->before.present && r->before.dim_count >= dims)
		return &r->before;
	return r->after.present ? &r->after : r->before.present ? &r->before : NULL;
}

static void write_header(dl_batch_writer *w, const dl_batch_row *first)
{
	dl__table *t = &w->table;
	size_t dims = w->dims;
	const dl_batch_side *side = titled(first, dims);
	w->header_out = true;
	if (w->per_sheet) {
		static const column head[] = {{"credit_code", "统一社会信用代码"},
					      {"name", "企业名称"},
					      {"industry", "细分行业"},
					      {"scale", "企业规模"},
					      {"tags", "企业称号"},
					      {"status", "答卷类型"},
					      {"file", "答卷文件"},
					      {"date", "评估日期"},
					      {"level", "等级"},
					      {"level_name", "等级名称"},
					      {"total", "总分"}};
		static const column tail[] = {{"constraint_scenarios", "约束性场景数"},
					      {"guidance_scenarios", "指导性场景数"},
					      {"error", "问题"},
					      {"questionnaire", "问卷文件"},
					      {"questionnaire_sha256", "问卷SHA-256"}};
		dl__table_begin(t, "sheets", "答卷");
		columns(t, head, sizeof(head) / sizeof(head[0]));
		header_dims(t, dims, "", "", side);
		columns(t, tail, sizeof(tail) / sizeof(tail[0]));
	} else {
		static const column identity[] = {{"credit_code", "统一社会信用代码"},
						  {"name", "企业名称"},
						  {"industry", "细分行业"},
						  {"scale", "企业规模"},
						  {"tags", "企业称号"},
						  {"status", "配对情况"}};
		static const column before[] = {{"before_file", "改造前答卷"},
						{"before_date", "改造前评估日期"},
						{"before_level", "改造前等级"},
						{"before_level_name", "改造前等级名称"},
						{"before_total", "改造前总分"}};
		static const column before_tail[] = {
		    {"before_constraint_scenarios", "改造前约束性场景数"},
		    {"before_guidance_scenarios", "改造前指导性场景数"}};
		static const column after[] = {
		    {"after_file", "改造后答卷"},  {"after_date", "改造后评测日期"},
		    {"attempt", "验收次数"},	   {"applied", "申请验收日期"},
		    {"after_level", "改造后等级"}, {"after_level_name", "改造后等级名称"},
		    {"after_total", "改造后总分"}};
		static const column after_tail[] = {
		    {"after_constraint_scenarios", "改造后约束性场景数"},
		    {"after_guidance_scenarios", "改造后指导性场景数"},
		    {"verdict", "验收结论"},
		    {"phase", "补助阶段"},
		    {"eligible_investment", "可补助投资额（元）"},
		    {"subsidy", "补助金额（元）"},
		    {"reason", "说明"},
		    {"differences", "前后答卷不一致之处"},
		    {"questionnaire", "问卷文件"},
		    {"questionnaire_sha256", "问卷SHA-256"}};
		dl__table_begin(t, "enterprises", "企业");
		columns(t, identity, sizeof(identity) / sizeof(identity[0]));
		columns(t, before, sizeof(before) / sizeof(before[0]));
		header_dims(t, dims, "before_", "改造前",
			    first && first->before.present && first->before.dim_count >= dims
				? &first->before
				: side);
		columns(t, before_tail, sizeof(before_tail) / sizeof(before_tail[0]));
		columns(t, after, sizeof(after) / sizeof(after[0]));
		header_dims(t, dims, "after_", "改造后", side);
		columns(t, after_tail, sizeof(after_tail) / sizeof(after_tail[0]));
	}
	dl__table_columns_end(t);
	/* the rows of the sheets that failed before the first was scored */
	for (size_t at = 0; at < w->pending.len;) {
		const char *file = w->pending.data + at;
		const char *why = file + strlen(file) + 1;
		csv_failed_row(w, t, dims, file, why);
		at = (size_t)(why + strlen(why) + 1 - w->pending.data);
	}
	dl__buffer_free(&w->pending);
}

int dl_batch_write_header(dl_batch_writer *w, size_t dims)
{
	if (w->format == DL_BATCH_JSON_LINES || w->header)
		return w->rc;
	w->dims = dims;
	w->header = true;
	/* for people the dimensions' titles come with the first row: the header waits for it */
	if (for_people(w))
		return w->rc;
	write_header(w, NULL);
	return end(w);
}

/* The header for people, with the titles of row's dimensions, when it waits. */
static void header_due(dl_batch_writer *w, const dl_batch_row *r)
{
	if (w->header && !w->header_out)
		write_header(w, r);
}

/* Keep a failed sheet's row until the header; false when memory ran out. */
static bool keep_pending(dl_batch_writer *w, const char *file, const char *why)
{
	size_t kept = w->pending.len;
	dl__buffer_add(&w->pending, file, strlen(file) + 1);
	dl__buffer_add(&w->pending, why, strlen(why) + 1);
	if (!w->pending.failed)
		return true;
	w->pending.len = kept; /* a row is kept whole or not at all */
	return false;
}

/* --- JSON Lines --------------------------------------------------------------------------------
 */

/* A JSON string: '"' and '\' escaped, other bytes below 0x20 as \u00XX, the rest as it is. */
/* A string of a row, "" for none (as the CLI wrote them, a missing value is an empty string). */
static void json_string(dl__out *o, const char *s)
{
	dl__out_json_string(o, s ? s : "");
}

/* The tags of a row (joined with ';', which no tag holds: the loader refuses it) as a JSON array. */
static void json_tags(dl__out *o, const char *joined)
{
	dl__out_bytes(o, "[", 1);
	for (const char *t = joined; t && *t;) {
		size_t len = strcspn(t, ";");
		if (t != joined)
			dl__out_str(o, ", ");
		dl__out_json_string_len(o, t, len);
		t += len + (t[len] == ';');
	}
	dl__out_bytes(o, "]", 1);
}

static void json_differences(dl__out *o, const dl_batch_row *r)
{
	const struct {
		dl_enterprise_field field;
		const char *key, *before, *after;
	} fields[] = {{DL_ENTERPRISE_NAME, "name", r->before_name, r->name},
		      {DL_ENTERPRISE_INDUSTRY, "industry", r->before_industry, r->industry},
		      {DL_ENTERPRISE_SCALE, "scale", r->before_scale, r->scale}};
	bool first = true;
	dl__out_bytes(o, "{", 1);
	for (size_t i = 0; i < 3; i++)
		if (r->differences & (1u << fields[i].field)) {
			dl__out_printf(o, "%s\"%s\": {\"before\": ", first ? "" : ", ",
				       fields[i].key);
			json_string(o, fields[i].before);
			dl__out_str(o, ", \"after\": ");
			json_string(o, fields[i].after);
			dl__out_bytes(o, "}", 1);
			first = false;
		}
	dl__out_bytes(o, "}", 1);
}

static void json_side(dl__out *o, const dl_batch_side *s, bool with_retrofit)
{
	char buf[32];
	if (!s->present) {
		dl__out_str(o, "null");
		return;
	}
	dl__out_str(o, "{\"file\": ");
	json_string(o, s->file);
	dl__out_str(o, ", \"phase\": ");
	json_string(o, s->phase);
	dl__out_str(o, ", \"date\": ");
	json_string(o, s->date);
	if (with_retrofit) {
		dl__out_printf(o, ", \"attempt\": %d, \"applied\": ", s->attempt);
		json_string(o, s->applied);
	}
	dl__out_str(o, ", \"questionnaire\": ");
	json_string(o, s->questionnaire);
	dl__out_str(o, ", \"questionnaire_sha256\": ");
	json_string(o, s->questionnaire_sha256);
	dl__out_printf(o, ", \"level\": %d, \"level_name\": ", s->level);
	json_string(o, s->level_name);
	dl__out_printf(o, ", \"total\": %s, \"dimensions\": {", points_text(s->total, buf));
	for (size_t i = 0; i < s->dim_count; i++) {
		dl__out_str(o, i ? ", " : "");
		json_string(o, s->dim_titles[i]);
		dl__out_printf(o, ": %s", points_text(s->dims[i], buf));
	}
	dl__out_printf(o, "}, \"scenario_level\": %d, \"constraint_scenarios\": %zu, "
			  "\"guidance_scenarios\": %zu}",
		       s->scenario_level, s->constraint_scenarios, s->guidance_scenarios);
}

static void json_row(dl__out *o, const dl_batch_row *r)
{
	char money[32];
	dl__out_str(o, "{\"credit_code\": ");
	json_string(o, r->code);
	dl__out_str(o, ", \"name\": ");
	json_string(o, r->name);
	dl__out_str(o, ", \"industry\": ");
	json_string(o, r->industry);
	dl__out_str(o, ", \"scale\": ");
	json_string(o, r->scale);
	dl__out_str(o, ", \"tags\": ");
	json_tags(o, r->tags);
	dl__out_str(o, ", \"status\": ");
	json_string(o, r->status);
	dl__out_str(o, ", \"before\": ");
	json_side(o, &r->before, false);
	dl__out_str(o, ", \"after\": ");
	json_side(o, &r->after, true);
	if (r->has_verdict) {
		dl__out_printf(o, ", \"passed\": %s, \"verdict\": \"%s\", \"phase\": ",
			       r->passed ? "true" : "false", dl_verdict_name(r->verdict));
		json_string(o, r->phase_id);
		dl__out_str(o, ", \"eligible_investment\": ");
		json_string(o, dl_money_format(r->eligible, money, sizeof(money)));
		dl__out_str(o, ", \"subsidy\": ");
		json_string(o, dl_money_format(r->subsidy, money, sizeof(money)));
	} else {
		dl__out_str(o,
			    ", \"passed\": null, \"verdict\": null, \"phase\": \"\", \"eligible_investment\": null, "
			    "\"subsidy\": null");
	}
	dl__out_str(o, ", \"reason\": ");
	json_string(o, r->reason);
	dl__out_str(o, ", \"differences\": ");
	json_differences(o, r);
	dl__out_str(o, "}\n");
}

/* --- rows --------------------------------------------------------------------------------------
 */

int dl_batch_write_row(dl_batch_writer *w, const dl_batch_row *r)
{
	if (w->format == DL_BATCH_JSON_LINES) {
		json_row(begin(w), r);
		return end(w);
	}
	header_due(w, r);
	csv_row(w, &w->table, w->dims, r);
	return end(w);
}

int dl_batch_write_sheet_row(dl_batch_writer *w, const dl_batch_row *r, const char *file,
			     const char *why)
{
	if (!why)
		why = "";
	if (w->format == DL_BATCH_JSON_LINES) {
		dl__out *o = begin(w);
		dl__out_str(o, "{\"credit_code\": ");
		json_string(o, r ? r->code : "");
		dl__out_str(o, ", \"name\": ");
		json_string(o, r ? r->name : "");
		dl__out_str(o, ", \"status\": ");
		json_string(o, r ? r->status : "error");
		dl__out_str(o, ", \"sheet\": ");
		if (r)
			json_side(o, &r->after, true);
		else
			json_string(o, file);
		dl__out_str(o, ", \"error\": ");
		json_string(o, why);
		dl__out_str(o, "}\n");
		return end(w);
	}
	if (r) {
		dl_batch_write_header(w, r->after.dim_count);
	} else if (!w->header) { /* the header waits for the first scored sheet; so does this row */
		if (keep_pending(w, file, why))
			return w->rc;
		dl_batch_write_header(w, 0); /* no memory to wait: the header as it can be */
	}
	header_due(w, r);
	if (r)
		csv_sheet_row(w, &w->table, w->dims, r, why);
	else
		csv_failed_row(w, &w->table, w->dims, file, why);
	return end(w);
}

int dl_batch_writer_finish(dl_batch_writer *w)
{
	if (w->format == DL_BATCH_JSON_LINES)
		return w->rc;
	dl_batch_write_header(w, 0); /* per sheet, when no sheet was scored */
	header_due(w, NULL);
	end(w);
	if (w->format == DL_BATCH_XLSX && w->table_open) {
		dl__table_end(&w->table);
		int rc = dl__table_close(&w->table); /* the workbook, written whole */
		w->table_open = false;
		if (rc < 0 && w->rc == 0)
			w->rc = rc;
	}
	return w->rc;
}
