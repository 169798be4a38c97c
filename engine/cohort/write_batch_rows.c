/*
 * write_batch_rows.c: a dl_batch's rows as CSV and as JSON Lines (docs/batch.md), one row per
 * enterprise or, per sheet, one row per sheet: the bytes `digilevel batch --csv/--jsonl` and
 * `digilevel cohort --rows` write, for any program that needs the same files.
 *
 * Every CSV cell goes through dl__out_csv_cell (text from the input guarded against formulas,
 * numbers the library wrote as they are). The CSV header needs the number of dimension columns:
 * in pairing mode the caller gives the most any row has, before the rows; per sheet it is the first
 * scored sheet's, and the rows of sheets that failed before it wait in memory until it comes. Each
 * call hands its bytes to the write function before it returns, so what a caller prints elsewhere
 * (diagnostics on stderr) keeps its place beside them.
 */
#include "alloc.h"
#include "money.h"
#include "out.h"

#include <digilevel/batch.h>

#include <stdio.h>
#include <string.h>

struct dl_batch_writer {
	dl_batch_format format;
	bool per_sheet;
	dl_write_fn write;
	void *userdata;
	int rc;	       /* the first failure, kept */
	size_t dims;   /* dimension columns of the CSV, once its header is written */
	bool header;   /* the CSV header is written */
	char *pending; /* per sheet: file and why (each NUL-ended) of the sheets that failed before
			* the header */
	size_t pending_len, pending_cap;
	bool pending_lost; /* memory ran out keeping them: the header was written as it could be */
	dl__out out;
};

int dl_batch_writer_new(dl_batch_writer **out, dl_batch_format format, bool per_sheet,
			dl_write_fn write, void *userdata)
{
	if (format != DL_BATCH_CSV && format != DL_BATCH_JSON_LINES)
		return DL_EINVALID;
	dl_batch_writer *w = dl__calloc(1, sizeof(*w));
	if (!w)
		return DL_ENOMEM;
	w->format = format;
	w->per_sheet = per_sheet;
	w->write = write;
	w->userdata = userdata;
	*out = w;
	return 0;
}

void dl_batch_writer_free(dl_batch_writer *w)
{
	if (!w)
		return;
	dl__free(w->pending);
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
	int rc = dl__out_finish(&w->out);
	if (rc < 0 && w->rc == 0)
		w->rc = rc;
	return w->rc;
}

/* --- CSV ---------------------------------------------------------------------------------------
 */

/* Text from the input (names, tags, paths, titles, reasons): guarded against formulas. */
static void csv_field(dl__out *o, const char *s, bool last)
{
	dl__out_csv_cell(o, s, DL_CSV_TEXT, last);
}

/* A number written here (a level, points, yuan): as it is. */
static void csv_number(dl__out *o, const char *s, bool last)
{
	dl__out_csv_cell(o, s, DL_CSV_NUMBER, last);
}

static const char *points_text(dl_points p, char *buf)
{
	return dl_points_format(p, buf, 32);
}

/* The dimension scores of a side, in as many columns as the header has (dim_count is no more). */
static void csv_dims(dl__out *o, size_t columns, const dl_batch_side *s)
{
	char buf[32];
	for (size_t i = 0; i < columns; i++)
		csv_number(o, s->present && i < s->dim_count ? points_text(s->dims[i], buf) : "",
			   false);
}

/* The scenario counts of a side (the last two of the platform's six fields), or two empty cells. */
static void csv_scenarios(dl__out *o, const dl_batch_side *s, bool shown)
{
	char n[24];
	snprintf(n, sizeof(n), "%zu", s->constraint_scenarios);
	csv_number(o, shown ? n : "", false);
	snprintf(n, sizeof(n), "%zu", s->guidance_scenarios);
	csv_number(o, shown ? n : "", false);
}

static void csv_side(dl__out *o, size_t columns, const dl_batch_side *s, bool with_retrofit)
{
	char buf[32], lv[16];
	csv_field(o, s->present ? s->file : "", false);
	csv_field(o, s->present ? s->date : "", false);
	if (with_retrofit) {
		snprintf(lv, sizeof(lv), "%d", s->attempt);
		csv_number(o, s->present && s->attempt ? lv : "", false);
		csv_field(o, s->present ? s->applied : "", false);
	}
	snprintf(lv, sizeof(lv), "%d", s->level);
	csv_number(o, s->present ? lv : "", false);
	csv_field(o, s->present ? s->level_name : "", false);
	csv_number(o, s->present ? points_text(s->total, buf) : "", false);
	csv_dims(o, columns, s);
	csv_scenarios(o, s, s->present);
}

static void csv_row(dl__out *o, size_t columns, const dl_batch_row *r)
{
	char money[32], differences[1200];
	csv_field(o, r->code, false);
	csv_field(o, r->name, false);
	csv_field(o, r->industry, false);
	csv_field(o, r->scale, false);
	csv_field(o, r->tags, false);
	csv_field(o, r->status, false);
	csv_side(o, columns, &r->before, false);
	csv_side(o, columns, &r->after, true);
	csv_field(o, r->has_verdict ? dl_verdict_title(r->verdict) : "", false);
	csv_field(o, r->phase_id, false);
	csv_number(o, r->has_verdict ? dl_money_format(r->eligible, money, sizeof(money)) : "",
		   false);
	csv_number(o, r->has_verdict ? dl_money_format(r->subsidy, money, sizeof(money)) : "",
		   false);
	csv_field(o, r->reason, false);
	csv_field(o, dl_batch_row_differences(r, differences, sizeof(differences)), false);
	const dl_batch_side *qs = r->after.present ? &r->after : &r->before;
	csv_field(o, qs->present ? qs->questionnaire : "", false);
	csv_field(o, qs->present ? qs->questionnaire_sha256 : "", true);
}

/* The per-sheet row of a sheet that could not be scored: its file and why. */
static void csv_failed_row(dl__out *o, size_t columns, const char *file, const char *why)
{
	for (int i = 0; i < 5; i++)
		csv_field(o, "", false);
	csv_field(o, "error", false);
	csv_field(o, file, false);
	/* date, level, level_name, total, dimensions, constraint and guidance scenarios */
	for (size_t i = 0; i < 6 + columns; i++)
		csv_field(o, "", false);
	csv_field(o, why, false);
	csv_field(o, "", false); /* questionnaire, questionnaire_sha256 */
	csv_field(o, "", true);
}

/* The per-sheet row of a scored sheet; with why not empty, an "error" row that keeps its identity
 * (a sheet with more dimensions than the CSV has columns). */
static void csv_sheet_row(dl__out *o, size_t columns, const dl_batch_row *r, const char *why)
{
	char buf[32], lv[16];
	const dl_batch_side *s = &r->after;
	bool scored = !why[0];
	csv_field(o, r->code, false);
	csv_field(o, r->name, false);
	csv_field(o, r->industry, false);
	csv_field(o, r->scale, false);
	csv_field(o, r->tags, false);
	csv_field(o, scored ? r->status : "error", false);
	csv_field(o, s->file, false);
	csv_field(o, s->date, false);
	snprintf(lv, sizeof(lv), "%d", s->level);
	csv_number(o, scored ? lv : "", false);
	csv_field(o, scored ? s->level_name : "", false);
	csv_number(o, scored ? points_text(s->total, buf) : "", false);
	for (size_t i = 0; i < columns; i++)
		csv_number(o, scored && i < s->dim_count ? points_text(s->dims[i], buf) : "",
			   false);
	csv_scenarios(o, s, scored);
	csv_field(o, why, false);
	csv_field(o, s->questionnaire ? s->questionnaire : "", false);
	csv_field(o, s->questionnaire_sha256 ? s->questionnaire_sha256 : "", true);
}

/* The dimension columns of one side: ",PREFIXd1,...,PREFIXdN". */
static void header_dims(dl__out *o, size_t columns, const char *prefix)
{
	for (size_t i = 0; i < columns; i++)
		dl__out_printf(o, ",%sd%zu", prefix, i + 1);
}

int dl_batch_write_header(dl_batch_writer *w, size_t dims)
{
	if (w->format != DL_BATCH_CSV || w->header)
		return w->rc;
	dl__out *o = begin(w);
	w->dims = dims;
	w->header = true;
	if (w->per_sheet) {
		dl__out_str(
		    o, "credit_code,name,industry,scale,tags,status,file,date,level,level_name,"
		       "total");
		header_dims(o, dims, "");
		dl__out_str(o, ",constraint_scenarios,guidance_scenarios,error,questionnaire,"
			       "questionnaire_sha256\n");
	} else {
		dl__out_str(o,
			    "credit_code,name,industry,scale,tags,status,"
			    "before_file,before_date,before_level,before_level_name,before_total");
		header_dims(o, dims, "before_");
		dl__out_str(o, ",before_constraint_scenarios,before_guidance_scenarios");
		dl__out_str(o,
			    ",after_file,after_date,attempt,applied,after_level,after_level_name,"
			    "after_total");
		header_dims(o, dims, "after_");
		dl__out_str(o, ",after_constraint_scenarios,after_guidance_scenarios");
		dl__out_str(o, ",verdict,phase,eligible_investment,subsidy,reason,differences,"
			       "questionnaire,questionnaire_sha256\n");
	}
	/* the rows of the sheets that failed before the first was scored */
	for (size_t at = 0; at < w->pending_len;) {
		const char *file = w->pending + at;
		const char *why = file + strlen(file) + 1;
		csv_failed_row(o, dims, file, why);
		at = (size_t)(why + strlen(why) + 1 - w->pending);
	}
	dl__free(w->pending);
	w->pending = NULL;
	w->pending_len = w->pending_cap = 0;
	return end(w);
}

/* Keep a failed sheet's row until the header; false when memory ran out. */
static bool keep_pending(dl_batch_writer *w, const char *file, const char *why)
{
	size_t n = strlen(file) + 1, m = strlen(why) + 1;
	if (w->pending_lost)
		return false;
	if (w->pending_len + n + m > w->pending_cap) {
		size_t cap = (w->pending_len + n + m) * 2;
		char *grown = dl__realloc(w->pending, cap);
		if (!grown) {
			w->pending_lost = true;
			return false;
		}
		w->pending = grown;
		w->pending_cap = cap;
	}
	memcpy(w->pending + w->pending_len, file, n);
	memcpy(w->pending + w->pending_len + n, why, m);
	w->pending_len += n + m;
	return true;
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
	dl__out *o = begin(w);
	if (w->format == DL_BATCH_CSV)
		csv_row(o, w->dims, r);
	else
		json_row(o, r);
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
	dl__out *o = begin(w);
	if (r)
		csv_sheet_row(o, w->dims, r, why);
	else
		csv_failed_row(o, w->dims, file, why);
	return end(w);
}

int dl_batch_writer_finish(dl_batch_writer *w)
{
	return dl_batch_write_header(w, 0); /* per sheet, when no sheet was scored */
}
