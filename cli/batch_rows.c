/*
 * batch_rows.c: turning scored sheets into one row per enterprise (or per sheet), as CSV and JSON
 * Lines, plus the summary.
 *
 * Pairing: an enterprise is known by its 统一社会信用代码. Its diagnosis (or, lacking one, its self-
 * check) is the "before"; its evaluation with the highest acceptance attempt (then the latest date)
 * is the "after". Each time an after meets a before they are compared (under the policy, if any)
 * and the enterprise's row is replaced; rows are written at the end in order of first appearance.
 */
#include "batch_rows.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct entry {
	char *code;
	batch_job *before; /* the diagnosis (or self-check) that stands so far */
	batch_job *after;  /* the evaluation that stands so far */
	batch_row row;     /* made at the end, from before and after */
	int report_status; /* EXIT_OK, or why this enterprise's reports were not all written */
	char *report_error;
	unsigned reports;  /* PDFs written */
} entry;

struct batch_rows {
	batch_rows_options opts;
	FILE *csv, *jsonl;
	cli_output csv_out, jsonl_out;
	entry **entries; /* in order of first appearance */
	size_t entry_count, entry_cap;
	entry **table;   /* open addressing by credit code */
	size_t table_cap;
	unsigned long sheets, failed, paired;
	batch_totals totals;  /* an overflowing total is not printed, and the run fails */
	unsigned long levels_after[10];
	size_t csv_dims;     /* dimension columns of the CSV, once its header is written */
	bool csv_header;     /* the CSV header is written */
	FILE *csv_pending;   /* --per-sheet: path and error (each NUL-ended) of the failed sheets
			      * that came before the header */
	char *pending_text;
	size_t pending_len;
	char *failed_list;
	size_t failed_len;
	atomic_size_t next_entry; /* the next entry to finish, shared by the finishing threads */
	atomic_size_t finished;   /* entries finished, for the progress line */
	bool progress;
	atomic_bool reports_stopped; /* a report failed for a reason every other one shares */
};

static char *dup_or_empty(const char *s)
{
	char *copy = strdup(s ? s : "");
	if (!copy)
		copy = calloc(1, 1); /* "" even when strdup failed: rows never hold NULL */
	return copy;
}

/* --- output ------------------------------------------------------------------------------------ */

/* Text from the input (names, tags, paths, titles, reasons): guarded against formulas. */
static void csv_field(batch_rows *b, const char *s, bool last)
{
	dl_csv_write_cell(s, DL_CSV_TEXT, last, cli_write_file, b->csv);
}

/* A number written here (a level, points, yuan): as it is. */
static void csv_number(batch_rows *b, const char *s, bool last)
{
	dl_csv_write_cell(s, DL_CSV_NUMBER, last, cli_write_file, b->csv);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The tags of a row (joined with ';', which no tag holds: the loader refuses it) as a JSON array. */
static void json_tags(FILE *f, const char *joined)
{
	fputc('[', f);
	for (const char *t = joined; t && *t;) {
		fputs(t == joined ? "\"" : ", \"", f);
		for (; *t && *t != ';'; t++) {
			unsigned char c = (unsigned char)*t;
			if (c == '"' || c == '\\')
				fprintf(f, "\\%c", c);
			else if (c < 0x20)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
		}
		fputc('"', f);
		if (*t)
			t++;
	}
	fputc(']', f);
}

static const char *points_text(dl_points p, char *buf)
{
	return dl_points_format(p, buf, 32);
}

/* The dimension scores of a side, in as many columns as the header has (dim_count is no more). */
static void csv_dims(batch_rows *b, const batch_side *s)
{
	char buf[32];
	for (size_t i = 0; i < b->csv_dims; i++)
		csv_number(b, s->present && i < s->dim_count ? points_text(s->dims[i], buf) : "", false);
}

static void csv_side(batch_rows *b, const batch_side *s, bool with_retrofit)
{
	char buf[32], lv[16];
	csv_field(b, s->present ? s->file : "", false);
	csv_field(b, s->present ? s->date : "", false);
	if (with_retrofit) {
		snprintf(lv, sizeof(lv), "%d", s->attempt);
		csv_number(b, s->present && s->attempt ? lv : "", false);
		csv_field(b, s->present ? s->applied : "", false);
	}
	snprintf(lv, sizeof(lv), "%d", s->level);
	csv_number(b, s->present ? lv : "", false);
	csv_field(b, s->present ? s->level_name : "", false);
	csv_number(b, s->present ? points_text(s->total, buf) : "", false);
	csv_dims(b, s);
}

/* Where the before sheet disagrees with the after about the enterprise, for people: "name: A → B". */
static void differences_text(const batch_row *r, char *buf, size_t size)
{
	const struct {
		dl_enterprise_field field;
		const char *key, *before, *after;
	} fields[] = {{DL_ENTERPRISE_NAME, "name", r->before_name, r->name},
		      {DL_ENTERPRISE_INDUSTRY, "industry", r->before_industry, r->industry},
		      {DL_ENTERPRISE_SCALE, "scale", r->before_scale, r->scale}};
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < 3 && len < size; i++)
		if (r->differences & (1u << fields[i].field)) {
			int n = snprintf(buf + len, size - len, "%s%s: %s → %s", len ? "; " : "", fields[i].key,
					 fields[i].before, fields[i].after);
			len += n > 0 ? (size_t)n : 0;
		}
}

static void json_differences(FILE *f, const batch_row *r)
{
	const struct {
		dl_enterprise_field field;
		const char *key, *before, *after;
	} fields[] = {{DL_ENTERPRISE_NAME, "name", r->before_name, r->name},
		      {DL_ENTERPRISE_INDUSTRY, "industry", r->before_industry, r->industry},
		      {DL_ENTERPRISE_SCALE, "scale", r->before_scale, r->scale}};
	bool first = true;
	fputc('{', f);
	for (size_t i = 0; i < 3; i++)
		if (r->differences & (1u << fields[i].field)) {
			fprintf(f, "%s\"%s\": {\"before\": ", first ? "" : ", ", fields[i].key);
			json_string(f, fields[i].before);
			fputs(", \"after\": ", f);
			json_string(f, fields[i].after);
			fputc('}', f);
			first = false;
		}
	fputc('}', f);
}

static void json_side(FILE *f, const batch_side *s, bool with_retrofit)
{
	char buf[32];
	if (!s->present) {
		fputs("null", f);
		return;
	}
	fputs("{\"file\": ", f);
	json_string(f, s->file);
	fputs(", \"phase\": ", f);
	json_string(f, s->phase);
	fputs(", \"date\": ", f);
	json_string(f, s->date);
	if (with_retrofit) {
		fprintf(f, ", \"attempt\": %d, \"applied\": ", s->attempt);
		json_string(f, s->applied);
	}
	fputs(", \"questionnaire\": ", f);
	json_string(f, s->questionnaire);
	fputs(", \"questionnaire_sha256\": ", f);
	json_string(f, s->questionnaire_sha256);
	fprintf(f, ", \"level\": %d, \"level_name\": ", s->level);
	json_string(f, s->level_name);
	fprintf(f, ", \"total\": %s, \"dimensions\": {", points_text(s->total, buf));
	for (size_t i = 0; i < s->dim_count; i++) {
		fputs(i ? ", " : "", f);
		json_string(f, s->dim_titles[i]);
		fprintf(f, ": %s", points_text(s->dims[i], buf));
	}
	fputs("}}", f);
}

static void write_row(batch_rows *b, const batch_row *r)
{
	char money[32];
	if (b->csv) {
		csv_field(b, r->code, false);
		csv_field(b, r->name, false);
		csv_field(b, r->industry, false);
		csv_field(b, r->scale, false);
		csv_field(b, r->tags, false);
		csv_field(b, r->status, false);
		csv_side(b, &r->before, false);
		csv_side(b, &r->after, true);
		csv_field(b, r->has_verdict ? (r->passed ? "通过" : "不通过") : "", false);
		csv_field(b, r->phase_id, false);
		csv_number(b, r->has_verdict ? dl_money_format(r->eligible, money, sizeof(money)) : "", false);
		csv_number(b, r->has_verdict ? dl_money_format(r->subsidy, money, sizeof(money)) : "", false);
		csv_field(b, r->reason, false);
		char differences[1200];
		differences_text(r, differences, sizeof(differences));
		csv_field(b, differences, false);
		const batch_side *qs = r->after.present ? &r->after : &r->before;
		csv_field(b, qs->present ? qs->questionnaire : "", false);
		csv_field(b, qs->present ? qs->questionnaire_sha256 : "", true);
	}
	if (b->jsonl) {
		FILE *f = b->jsonl;
		fputs("{\"credit_code\": ", f);
		json_string(f, r->code);
		fputs(", \"name\": ", f);
		json_string(f, r->name);
		fputs(", \"industry\": ", f);
		json_string(f, r->industry);
		fputs(", \"scale\": ", f);
		json_string(f, r->scale);
		fputs(", \"tags\": ", f);
		json_tags(f, r->tags);
		fputs(", \"status\": ", f);
		json_string(f, r->status);
		fputs(", \"before\": ", f);
		json_side(f, &r->before, false);
		fputs(", \"after\": ", f);
		json_side(f, &r->after, true);
		if (r->has_verdict) {
			fprintf(f, ", \"passed\": %s, \"phase\": ", r->passed ? "true" : "false");
			json_string(f, r->phase_id);
			fputs(", \"eligible_investment\": ", f);
			json_string(f, dl_money_format(r->eligible, money, sizeof(money)));
			fputs(", \"subsidy\": ", f);
			json_string(f, dl_money_format(r->subsidy, money, sizeof(money)));
		} else {
			fputs(", \"passed\": null, \"phase\": \"\", \"eligible_investment\": null, \"subsidy\": null", f);
		}
		fputs(", \"reason\": ", f);
		json_string(f, r->reason);
		fputs(", \"differences\": ", f);
		json_differences(f, r);
		fputs("}\n", f);
	}
}

/* The --per-sheet row of a sheet that could not be scored: its file and why. */
static void csv_failed_row(batch_rows *b, const char *path, const char *why)
{
	for (int i = 0; i < 5; i++)
		csv_field(b, "", false);
	csv_field(b, "error", false);
	csv_field(b, path, false);
	for (size_t i = 0; i < 4 + b->csv_dims; i++) /* date, level, level_name, total, dimensions */
		csv_field(b, "", false);
	csv_field(b, why, false);
	csv_field(b, "", false); /* questionnaire, questionnaire_sha256 */
	csv_field(b, "", true);
}

/* The dimension columns of one side: ",PREFIXd1,...,PREFIXdN". */
static void header_dims(batch_rows *b, const char *prefix)
{
	for (size_t i = 0; i < b->csv_dims; i++)
		fprintf(b->csv, ",%sd%zu", prefix, i + 1);
}

/*
 * The CSV header, with as many dimension columns as dims: the most any sheet's questionnaire has
 * (pairing, written at the end), or the first scored sheet's (--per-sheet, written as it comes).
 */
static void write_header(batch_rows *b, size_t dims)
{
	if (!b->csv || b->csv_header)
		return;
	b->csv_dims = dims;
	b->csv_header = true;
	if (b->opts.per_sheet) {
		fputs("credit_code,name,industry,scale,tags,status,file,date,level,level_name,total", b->csv);
		header_dims(b, "");
		fputs(",error,questionnaire,questionnaire_sha256\n", b->csv);
	} else {
		fputs("credit_code,name,industry,scale,tags,status,"
		      "before_file,before_date,before_level,before_level_name,before_total", b->csv);
		header_dims(b, "before_");
		fputs(",after_file,after_date,attempt,applied,after_level,after_level_name,after_total", b->csv);
		header_dims(b, "after_");
		fputs(",verdict,phase,eligible_investment,subsidy,reason,differences,"
		      "questionnaire,questionnaire_sha256\n", b->csv);
	}
	if (b->csv_pending) { /* the rows of the sheets that failed before the first was scored */
		if (fclose(b->csv_pending) == 0)
			for (size_t at = 0; at < b->pending_len;) {
				const char *path = b->pending_text + at;
				const char *why = path + strlen(path) + 1;
				csv_failed_row(b, path, why);
				at = (size_t)(why + strlen(why) + 1 - b->pending_text);
			}
		b->csv_pending = NULL;
		free(b->pending_text);
		b->pending_text = NULL;
	}
}

/* --- rows -------------------------------------------------------------------------------------- */

static void side_free(batch_side *s)
{
	free(s->file);
	free(s->date);
	free(s->phase);
	free(s->level_name);
	free(s->applied);
	free(s->questionnaire);
	free(s->questionnaire_sha256);
	for (size_t i = 0; s->dim_titles && i < s->dim_count; i++)
		free(s->dim_titles[i]);
	free(s->dim_titles);
	free(s->dims);
	memset(s, 0, sizeof(*s));
}

static void row_free(batch_row *r)
{
	free(r->code);
	free(r->name);
	free(r->industry);
	free(r->scale);
	free(r->tags);
	free(r->status);
	free(r->reason);
	free(r->phase_id);
	free(r->before_name);
	free(r->before_industry);
	free(r->before_scale);
	side_free(&r->before);
	side_free(&r->after);
	memset(r, 0, sizeof(*r));
}

static void fill_side(batch_side *s, const batch_job *job)
{
	const dl_questionnaire *q = job->q;
	const dl_sheet *sh = job->sheet;
	s->present = true;
	s->file = dup_or_empty(job->path);
	s->date = dup_or_empty(dl_sheet_date(sh));
	s->phase = dup_or_empty(dl_phase_name(dl_sheet_phase(sh)));
	s->level = dl_result_level(job->result);
	s->level_name = dup_or_empty(dl_questionnaire_level_name(q, s->level));
	s->total = dl_result_total(job->result);
	s->attempt = dl_sheet_retrofit_attempt(sh);
	s->applied = dup_or_empty(dl_sheet_retrofit_applied(sh));
	s->questionnaire = dup_or_empty(dl_questionnaire_path(q));
	s->questionnaire_sha256 = dup_or_empty(dl_questionnaire_digest(q));
	size_t dims = 0;
	for (size_t n = 0; n < dl_questionnaire_node_count(q); n++)
		dims += dl_questionnaire_node_kind(q, n) == DL_NODE_DIMENSION;
	s->dims = calloc(dims ? dims : 1, sizeof(*s->dims));
	s->dim_titles = calloc(dims ? dims : 1, sizeof(*s->dim_titles));
	if (!s->dims || !s->dim_titles) {
		fprintf(stderr, "digilevel: out of memory: the dimension scores of %s are left out\n",
			job->path);
		return;
	}
	for (size_t n = 0; n < dl_questionnaire_node_count(q); n++)
		if (dl_questionnaire_node_kind(q, n) == DL_NODE_DIMENSION) {
			s->dim_titles[s->dim_count] = dup_or_empty(dl_questionnaire_node_title(q, n));
			s->dims[s->dim_count++] = dl_result_node_score(job->result, n);
		}
}

static void fill_identity(batch_row *r, const dl_sheet *s, const char *status)
{
	r->code = dup_or_empty(dl_sheet_enterprise(s, DL_ENTERPRISE_CREDIT_CODE));
	r->name = dup_or_empty(dl_sheet_enterprise(s, DL_ENTERPRISE_NAME));
	r->industry = dup_or_empty(dl_sheet_enterprise(s, DL_ENTERPRISE_INDUSTRY));
	r->scale = dup_or_empty(dl_sheet_enterprise(s, DL_ENTERPRISE_SCALE));
	size_t len = 0;
	for (size_t i = 0; i < dl_sheet_tag_count(s); i++)
		len += strlen(dl_sheet_tag(s, i)) + 1;
	r->tags = calloc(1, len + 1);
	for (size_t i = 0; r->tags && i < dl_sheet_tag_count(s); i++) {
		if (i)
			strncat(r->tags, ";", len);
		strncat(r->tags, dl_sheet_tag(s, i), len);
	}
	if (!r->tags)
		r->tags = dup_or_empty("");
	r->status = dup_or_empty(status);
	r->reason = dup_or_empty("");
	r->phase_id = dup_or_empty("");
}

/* Diagnostics of a comparison, kept as the row's reason. */
typedef struct reason_text {
	char text[600];
} reason_text;

static void keep_reason(const dl_error *diag, void *userdata)
{
	reason_text *rt = userdata;
	if (diag->code == DL_OK || rt->text[0])
		return; /* warnings are not reasons; keep the first problem */
	dl_error_format(diag, rt->text, sizeof(rt->text));
}

/*
 * The row of an enterprise with a before and an after: both sides and, under a policy, the verdict.
 * The comparison is handed back in *comparison (for the acceptance opinion), or NULL.
 */
static batch_row pair_row(const batch_rows *b, const batch_job *before, const batch_job *after,
			  dl_comparison **comparison)
{
	batch_row r;
	memset(&r, 0, sizeof(r));
	*comparison = NULL;
	fill_identity(&r, after->sheet, "paired");
	fill_side(&r.before, before);
	fill_side(&r.after, after);
	/* paired by the credit code alone: keep where the before disagrees, to show it */
	r.differences = dl_compare_identity_differences(before->sheet, after->sheet);
	if (r.differences) {
		r.before_name = dup_or_empty(dl_sheet_enterprise(before->sheet, DL_ENTERPRISE_NAME));
		r.before_industry = dup_or_empty(dl_sheet_enterprise(before->sheet, DL_ENTERPRISE_INDUSTRY));
		r.before_scale = dup_or_empty(dl_sheet_enterprise(before->sheet, DL_ENTERPRISE_SCALE));
	}
	if (!b->opts.policy)
		return r;
	dl_comparison *c = NULL;
	reason_text rt = {""};
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	opts.diag = keep_reason;
	opts.diag_data = &rt;
	int rc = dl_compare(&c, after->q, before->sheet, after->sheet, b->opts.policy, &opts, NULL);
	if (rc == 0) {
		r.has_verdict = true;
		r.passed = dl_comparison_passed(c);
		r.eligible = dl_comparison_eligible_investment(c);
		r.subsidy = dl_comparison_subsidy(c);
		size_t phase = dl_comparison_phase(c);
		free(r.phase_id);
		r.phase_id = dup_or_empty(phase == DL_NONE ? "" : dl_policy_phase_id(b->opts.policy, phase));
		free(r.reason);
		r.reason = dup_or_empty(dl_comparison_subsidy_granted(c) ? dl_comparison_phase_reason(c)
									  : dl_comparison_no_subsidy_reason(c));
		*comparison = c;
	} else {
		free(r.status);
		r.status = dup_or_empty("not compared");
		free(r.reason);
		r.reason = dup_or_empty(rc == DL_ENOMEM ? "out of memory" : rt.text);
	}
	return r;
}

/* Whether evaluation a should replace b as the enterprise's "after": higher attempt, later date. */
static bool later_evaluation(const batch_job *a, const batch_job *b)
{
	if (a->attempt != b->attempt)
		return a->attempt > b->attempt;
	return strcmp(a->date, b->date) >= 0;
}

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static entry *find_entry(batch_rows *b, const char *code)
{
	if (b->entry_count * 2 >= b->table_cap) {
		size_t cap = b->table_cap ? b->table_cap * 2 : 256;
		entry **table = calloc(cap, sizeof(entry *));
		if (!table)
			return NULL;
		for (size_t i = 0; i < b->entry_count; i++) {
			size_t h = hash(b->entries[i]->code) & (cap - 1);
			while (table[h])
				h = (h + 1) & (cap - 1);
			table[h] = b->entries[i];
		}
		free(b->table);
		b->table = table;
		b->table_cap = cap;
	}
	size_t h = hash(code) & (b->table_cap - 1);
	while (b->table[h]) {
		if (strcmp(b->table[h]->code, code) == 0)
			return b->table[h];
		h = (h + 1) & (b->table_cap - 1);
	}
	if (b->entry_count == b->entry_cap) {
		size_t cap = b->entry_cap ? b->entry_cap * 2 : 64;
		entry **grown = realloc(b->entries, cap * sizeof(entry *));
		if (!grown)
			return NULL;
		b->entries = grown;
		b->entry_cap = cap;
	}
	entry *e = calloc(1, sizeof(*e));
	if (!e || !(e->code = strdup(code))) {
		free(e);
		return NULL;
	}
	b->entries[b->entry_count++] = e;
	b->table[h] = e;
	return e;
}

/* Count a sheet as failed and list it in the summary. */
static void note_failure_path(batch_rows *b, const char *path)
{
	b->failed++;
	size_t n = dl_error_escape(path, NULL, 0); /* the length of the escaped path */
	char *grown = realloc(b->failed_list, b->failed_len + n + 4);
	if (!grown)
		return;
	b->failed_list = grown;
	memcpy(b->failed_list + b->failed_len, "  ", 2);
	dl_error_escape(path, b->failed_list + b->failed_len + 2, n + 1);
	memcpy(b->failed_list + b->failed_len + 2 + n, "\n", 2);
	b->failed_len += n + 3;
}

static void note_failure(batch_rows *b, const batch_job *job)
{
	if (job->errors)
		fputs(job->errors, stderr);
	else
		cli_line(stderr, "%s: cannot be scored", job->path);
	note_failure_path(b, job->path);
}

/*
 * The CSV row of one sheet (--per-sheet). The header's dimension columns are those of the first
 * scored sheet's questionnaire; until it comes, the rows of failed sheets wait in memory. A later
 * sheet whose questionnaire has more dimensions than there are columns cannot be shown whole: its
 * row says so and the sheet counts as failed.
 */
static void csv_per_sheet(batch_rows *b, const batch_job *job, const batch_row *r, const char *why)
{
	char buf[32], lv[16], too_many[600];
	const batch_side *s = &r->after;
	bool scored = job->rc == 0;
	if (scored) {
		write_header(b, s->dim_count);
	} else if (!b->csv_header) { /* the header waits for the first scored sheet; so does this row */
		if (!b->csv_pending)
			b->csv_pending = open_memstream(&b->pending_text, &b->pending_len);
		if (b->csv_pending) {
			fwrite(job->path, 1, strlen(job->path) + 1, b->csv_pending);
			fwrite(why, 1, strlen(why) + 1, b->csv_pending);
			return;
		}
		write_header(b, 0); /* no memory to wait: the header as it can be */
	}
	if (!scored) {
		csv_failed_row(b, job->path, why);
		return;
	}
	if (scored && s->dim_count > b->csv_dims) {
		snprintf(too_many, sizeof(too_many),
			 "its questionnaire '%s' version '%s' has %zu dimensions, more than the %zu columns "
			 "of this CSV (set by the first sheet scored); score it in a batch of its own or "
			 "read it from --jsonl",
			 dl_sheet_questionnaire_id(job->sheet), dl_sheet_questionnaire_version(job->sheet),
			 s->dim_count, b->csv_dims);
		fprintf(stderr, "%s: %s\n", job->path, too_many);
		note_failure_path(b, job->path);
		why = too_many;
		scored = false;
	}
	csv_field(b, r->code, false);
	csv_field(b, r->name, false);
	csv_field(b, r->industry, false);
	csv_field(b, r->scale, false);
	csv_field(b, r->tags, false);
	csv_field(b, scored ? r->status : "error", false);
	csv_field(b, s->file, false);
	csv_field(b, s->date, false);
	snprintf(lv, sizeof(lv), "%d", s->level);
	csv_number(b, scored ? lv : "", false);
	csv_field(b, scored ? s->level_name : "", false);
	csv_number(b, scored ? points_text(s->total, buf) : "", false);
	for (size_t i = 0; i < b->csv_dims; i++)
		csv_number(b, scored && i < s->dim_count ? points_text(s->dims[i], buf) : "", false);
	csv_field(b, why, false);
	csv_field(b, s->questionnaire ? s->questionnaire : "", false);
	csv_field(b, s->questionnaire_sha256 ? s->questionnaire_sha256 : "", true);
}

static void add_per_sheet(batch_rows *b, batch_job *job)
{
	batch_row r;
	char why[600] = "";
	memset(&r, 0, sizeof(r));
	if (job->rc == 0) {
		fill_identity(&r, job->sheet, dl_phase_name(dl_sheet_phase(job->sheet)));
		fill_side(&r.after, job);
		b->levels_after[r.after.level < 10 && r.after.level >= 0 ? r.after.level : 0]++;
	} else {
		note_failure(b, job);
		if (job->errors)
			snprintf(why, sizeof(why), "%.*s", (int)strcspn(job->errors, "\n"), job->errors);
		r.status = dup_or_empty("error");
		r.after.present = true;
		r.after.file = dup_or_empty(job->path);
	}
	if (b->csv)
		csv_per_sheet(b, job, &r, why);
	if (b->jsonl) {
		FILE *f = b->jsonl;
		fputs("{\"credit_code\": ", f);
		json_string(f, r.code);
		fputs(", \"name\": ", f);
		json_string(f, r.name);
		fputs(", \"status\": ", f);
		json_string(f, r.status);
		fputs(", \"sheet\": ", f);
		if (job->rc == 0)
			json_side(f, &r.after, true);
		else
			json_string(f, job->path);
		fputs(", \"error\": ", f);
		json_string(f, why);
		fputs("}\n", f);
	}
	row_free(&r);
	batch_job_free(job);
}

/* What decides whether a sheet stands, noted while its sheet is at hand. */
static void note_standing(batch_job *job)
{
	job->phase = dl_sheet_phase(job->sheet);
	job->attempt = dl_sheet_retrofit_attempt(job->sheet);
	snprintf(job->date, sizeof(job->date), "%s", dl_sheet_date(job->sheet));
}

/*
 * A kept sheet gives up its parsed form and its score until the end: what stays is its path (and,
 * from a stream, a copy of its text), about a third of the memory for a stream and almost nothing
 * for a file (docs/performance.md). The end loads and scores it again, to the same result.
 */
static void set_aside(batch_job *job)
{
	dl_result_free(job->result);
	job->result = NULL;
	dl_sheet_free(job->sheet);
	job->sheet = NULL;
}

/* Load and score a kept sheet again. Returns 0, or a negative code with why filled in. */
static int take_up(batch_job *job, char *why, size_t size)
{
	dl_error err;
	int rc = 0;
	if (!job->sheet) {
		if (job->source) {
			char *text = job->source;
			job->source = NULL; /* the loader takes it */
			rc = dl_sheet_load_from_stream(&job->sheet, text, job->len, job->path, job->line, NULL,
						       &err);
		} else {
			rc = dl_sheet_load(&job->sheet, job->path, NULL, &err);
		}
	}
	if (rc == 0 && !job->result)
		rc = dl_score(&job->result, job->q, job->sheet, NULL, &err);
	if (rc < 0)
		snprintf(why, size, "%s: %s", rc == DL_ENOMEM ? "out of memory" : "cannot read it again",
			 err.message);
	return rc;
}

/* Whether a diagnosis or self-check should replace the kept one: a diagnosis beats a self-check;
 * between equals, the later date (or, on the same date, the later in input order) stands. */
static bool better_before(const batch_job *candidate, const batch_job *kept)
{
	if (candidate->phase != kept->phase)
		return candidate->phase == DL_PHASE_DIAGNOSIS;
	return strcmp(candidate->date, kept->date) >= 0;
}

/*
 * Two sheets of one phase for one enterprise (two diagnoses, two evaluations): only one stands, so
 * say on standard error which and why. (A diagnosis that replaces a self-check is the usual course.)
 */
static void say_which_stands(const char *code, const batch_job *kept, const batch_job *job,
			     bool replaces)
{
	static const char *const plural[] = {"diagnoses", "evaluations", "self-checks"};
	if (kept->phase != job->phase)
		return;
	const batch_job *stands = replaces ? job : kept, *aside = replaces ? kept : job;
	char why[160];
	if (stands->phase == DL_PHASE_EVALUATION && stands->attempt != aside->attempt)
		snprintf(why, sizeof(why), "the later acceptance attempt, %d over %d", stands->attempt,
			 aside->attempt);
	else if (strcmp(stands->date, aside->date) != 0)
		snprintf(why, sizeof(why), "the later date, %s over %s", stands->date, aside->date);
	else
		snprintf(why, sizeof(why), "the same date, %s, and later in the input", stands->date);
	fprintf(stderr, "digilevel: %s has two %s, %s and %s: %s stands (%s); %s is set aside\n", code,
		(size_t)job->phase < 3 ? plural[job->phase] : "sheets of one phase", kept->path,
		job->path, stands->path, why, aside->path);
}

void batch_rows_add(batch_rows *b, batch_job *job)
{
	b->sheets++;
	if (b->opts.per_sheet) {
		add_per_sheet(b, job);
		return;
	}
	if (job->rc != 0) {
		note_failure(b, job);
		batch_job_free(job);
		return;
	}
	entry *e = find_entry(b, dl_sheet_enterprise(job->sheet, DL_ENTERPRISE_CREDIT_CODE));
	if (!e) {
		cli_line(stderr, "digilevel: out of memory pairing %s", job->path);
		b->failed++;
		batch_job_free(job);
		return;
	}
	/* Only the sheets that stand are kept; the pairs are compared at the end (batch_rows_close). */
	note_standing(job);
	batch_job **slot = job->phase == DL_PHASE_EVALUATION ? &e->after : &e->before;
	bool replaces = !*slot || (slot == &e->after ? later_evaluation(job, *slot) : better_before(job, *slot));
	if (*slot)
		say_which_stands(e->code, *slot, job, replaces);
	if (!replaces) {
		batch_job_free(job);
		return;
	}
	batch_job_free(*slot);
	set_aside(job);
	*slot = job;
}

/* --- files ------------------------------------------------------------------------------------- */

int batch_rows_open(batch_rows **out, const batch_rows_options *opts)
{
	const char *csv = opts->csv, *jsonl = opts->jsonl;
	if (csv && jsonl && strcmp(csv, "-") == 0 && strcmp(jsonl, "-") == 0) {
		fprintf(stderr, "digilevel: --csv and --jsonl cannot both be standard output\n");
		return DL_EINVALID;
	}
	if (opts->reports_dir && mkdir(opts->reports_dir, 0777) != 0 && errno != EEXIST) {
		cli_line(stderr, "digilevel: cannot make the reports directory '%s': %s",
			 opts->reports_dir, strerror(errno));
		return DL_EIO;
	}
	batch_rows *b = calloc(1, sizeof(*b));
	if (!b)
		return DL_ENOMEM;
	b->opts = *opts;
	if (!csv && !jsonl && !opts->no_rows)
		csv = "-"; /* the CSV on standard output */
	if (csv) {
		if (cli_output_open(&b->csv_out, csv) != EXIT_OK) {
			batch_rows_discard(b);
			return DL_EIO;
		}
		b->csv = b->csv_out.f;
	}
	if (jsonl) {
		if (cli_output_open(&b->jsonl_out, jsonl) != EXIT_OK) {
			batch_rows_discard(b);
			return DL_EIO;
		}
		b->jsonl = b->jsonl_out.f;
	}
	*out = b; /* the CSV header comes with the first row, when the dimensions are known */
	return 0;
}

static void free_entries(batch_rows *b)
{
	for (size_t i = 0; i < b->entry_count; i++) {
		entry *e = b->entries[i];
		batch_job_free(e->before);
		batch_job_free(e->after);
		row_free(&e->row);
		free(e->report_error);
		free(e->code);
		free(e);
	}
	free(b->entries);
	free(b->table);
	free(b->failed_list);
}

/* --- the end: every enterprise's row and reports, on all threads ------------------------------- */

static void note_report_failure(entry *e, int rc, const dl_error *err)
{
	e->report_status = rc == DL_EINVALID || rc == DL_EMISMATCH ? EXIT_INVALID : EXIT_SYSTEM;
	if (!e->report_error)
		e->report_error = dup_or_empty(err ? err->message : "out of memory");
}

/* Render one report and write it as DIR/CODE-KIND.pdf. */
static void write_report(batch_rows *b, entry *e, const char *kind, int rc, unsigned char *pdf,
			 size_t len, const dl_error *err)
{
	if (rc == 0) {
		char *path = NULL;
		size_t size = strlen(b->opts.reports_dir) + strlen(e->code) + strlen(kind) + 8;
		if ((path = malloc(size)) != NULL) {
			snprintf(path, size, "%s/%s-%s.pdf", b->opts.reports_dir, e->code, kind);
			if (cli_write_output(path, pdf, len) == EXIT_OK) {
				e->reports++;
			} else {
				e->report_status = EXIT_SYSTEM;
				atomic_store(&b->reports_stopped, true); /* the message is printed */
			}
		} else {
			note_report_failure(e, DL_ENOMEM, NULL);
		}
		free(path);
	} else {
		note_report_failure(e, rc, err);
		if (rc == DL_EIO) /* no font, or the PDF writer failed: the others would fail alike */
			atomic_store(&b->reports_stopped, true);
	}
	dl_report_free(pdf);
}

/*
 * An enterprise's PDFs: the diagnostic report of its before (or of its only sheet) and, when it was
 * compared under the policy, the acceptance opinion.
 */
static void write_reports(batch_rows *b, entry *e, const dl_comparison *c)
{
	dl_report_options ro = DL_REPORT_OPTIONS_INIT;
	dl_error err;
	unsigned char *pdf = NULL;
	size_t len = 0;
	ro.font_path = b->opts.font;
	batch_job *diagnosed = e->before ? e->before : e->after;
	if (atomic_load(&b->reports_stopped)) {
		e->report_status = EXIT_SYSTEM; /* skipped: the reason was printed for another */
		return;
	}
	int rc = dl_report_diagnostic(&pdf, &len, diagnosed->result, diagnosed->sheet, &ro, &err);
	write_report(b, e, "diagnostic", rc, pdf, len, &err);
	if (!c)
		return;
	if (atomic_load(&b->reports_stopped)) {
		e->report_status = EXIT_SYSTEM;
		return;
	}
	pdf = NULL;
	rc = dl_report_acceptance(&pdf, &len, c, e->before->sheet, e->after->sheet, &ro, &err);
	write_report(b, e, "acceptance", rc, pdf, len, &err);
}

/* The row (and the reports) of one enterprise. */
static void finish_entry(batch_rows *b, entry *e)
{
	batch_row r;
	memset(&r, 0, sizeof(r));
	dl_comparison *c = NULL;
	char why[DL_ERROR_MESSAGE_MAX + 64] = "";
	bool loaded = (!e->before || take_up(e->before, why, sizeof(why)) == 0) &&
		      (!e->after || take_up(e->after, why, sizeof(why)) == 0);
	const batch_job *job = e->after && e->after->sheet ? e->after : e->before;
	if (!loaded && !(job && job->sheet)) {
		r.code = dup_or_empty(e->code);
		r.name = dup_or_empty("");
		r.industry = dup_or_empty("");
		r.scale = dup_or_empty("");
		r.tags = dup_or_empty("");
		r.status = dup_or_empty("not compared");
		r.reason = dup_or_empty(why);
		r.phase_id = dup_or_empty("");
	} else if (!loaded) {
		fill_identity(&r, job->sheet, "not compared");
		free(r.reason);
		r.reason = dup_or_empty(why);
	} else if (e->before && e->after) {
		r = pair_row(b, e->before, e->after, &c);
	} else {
		fill_identity(&r, job->sheet, e->after ? "evaluation only" : "diagnosis only");
		fill_side(e->after ? &r.after : &r.before, job);
	}
	e->row = r;
	if (loaded && b->opts.reports_dir)
		write_reports(b, e, c);
	dl_comparison_free(c);
	if (e->before)
		set_aside(e->before);
	if (e->after)
		set_aside(e->after);
}

static void *finish_entries(void *arg)
{
	batch_rows *b = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&b->next_entry, 1);
		if (i >= b->entry_count)
			return NULL;
		finish_entry(b, b->entries[i]);
		size_t done = atomic_fetch_add(&b->finished, 1) + 1;
		if (b->progress && (done % 10 == 0 || done == b->entry_count))
			fprintf(stderr, "\r%zu of %zu enterprises compared%s", done, b->entry_count,
				b->opts.reports_dir ? " and their reports written" : "");
	}
}

/* Finish every entry, on up to opts.threads threads: comparing and rendering is most of the work. */
static void finish_all(batch_rows *b)
{
	size_t want = b->opts.threads > 1 ? (size_t)b->opts.threads : 1;
	if (want > b->entry_count)
		want = b->entry_count;
	pthread_t threads[256];
	size_t started = 0;
	atomic_store(&b->next_entry, 0);
	atomic_store(&b->finished, 0);
	b->progress = isatty(STDERR_FILENO) && b->entry_count >= 50; /* a progress line when it takes a while */
	while (started + 1 < want && started < 256 &&
	       pthread_create(&threads[started], NULL, finish_entries, b) == 0)
		started++;
	finish_entries(b); /* this thread works too; with no other thread it does it all */
	for (size_t i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	if (b->progress)
		fprintf(stderr, "\r%*s\r", 72, "");
}

int batch_rows_close(batch_rows *b, unsigned long broken_streams, batch_row_fn visit,
		     void *userdata)
{
	unsigned long only_before = 0, only_after = 0, reports = 0, reports_failed = 0;
	int report_status = EXIT_OK;
	const char *last_error = NULL;
	if (!b->opts.per_sheet)
		finish_all(b);
	size_t dims = 0; /* as many dimension columns as the largest questionnaire in use has */
	for (size_t i = 0; !b->opts.per_sheet && i < b->entry_count; i++) {
		const batch_row *r = &b->entries[i]->row;
		if (r->before.dim_count > dims)
			dims = r->before.dim_count;
		if (r->after.dim_count > dims)
			dims = r->after.dim_count;
	}
	write_header(b, dims); /* (--per-sheet: if no sheet was scored) */
	for (size_t i = 0; !b->opts.per_sheet && i < b->entry_count; i++) {
		entry *e = b->entries[i];
		if (e->row.differences) {
			char differences[1200];
			differences_text(&e->row, differences, sizeof(differences));
			fprintf(stderr, "%s: warning: paired with %s by 统一社会信用代码 %s, but they differ "
				"(%s); the row shows the enterprise as this sheet does\n",
				e->after->path, e->before->path, e->code, differences);
		}
		if (e->before && e->after)
			b->paired++;
		else if (e->after)
			only_after++;
		else
			only_before++;
		batch_totals_add(&b->totals, &e->row);
		const batch_side *last = e->row.after.present ? &e->row.after : &e->row.before;
		if (last->present && last->level >= 0 && last->level < 10)
			b->levels_after[last->level]++;
		reports += e->reports;
		if (e->report_status != EXIT_OK) {
			reports_failed++;
			/* A failure all reports share (no font) may reach several threads at once: say it once. */
			bool repeated = e->report_status == EXIT_SYSTEM && e->report_error && last_error &&
					strcmp(e->report_error, last_error) == 0;
			if (e->report_error && !repeated)
				cli_line(stderr, "digilevel: %s: report not written: %s", e->code,
					 e->report_error);
			if (e->report_error)
				last_error = e->report_error;
			if (e->report_status > report_status)
				report_status = e->report_status;
		}
		write_row(b, &e->row);
		if (visit)
			visit(&e->row, userdata);
	}
	int rc = 0;
	if ((b->csv && cli_output_commit(&b->csv_out) != EXIT_OK) |
	    (b->jsonl && cli_output_commit(&b->jsonl_out) != EXIT_OK))
		rc = EXIT_SYSTEM;
	b->csv = b->jsonl = NULL;

	char money[32];
	fprintf(stderr, "%s: %lu sheets, %lu scored, %lu failed", b->opts.command, b->sheets,
		b->sheets - b->failed, b->failed);
	if (broken_streams)
		fprintf(stderr, ", %lu broken stream%s", broken_streams, broken_streams > 1 ? "s" : "");
	if (!b->opts.per_sheet)
		fprintf(stderr, "; %zu %s: %lu paired, %lu diagnosis only, %lu evaluation only",
			b->entry_count, b->entry_count == 1 ? "enterprise" : "enterprises", b->paired,
			only_before, only_after);
	fputs("\nlevels (latest sheet):", stderr);
	for (int level = 9; level >= 0; level--)
		if (b->levels_after[level])
			fprintf(stderr, " %d: %lu", level, b->levels_after[level]);
	fputc('\n', stderr);
	const batch_totals *t = &b->totals;
	if (b->opts.policy && !t->overflow)
		fprintf(stderr, "subsidy: %lu %s, %s yuan in all\n", t->subsidies,
			t->subsidies == 1 ? "enterprise" : "enterprises",
			dl_money_format(t->subsidy_total, money, sizeof(money)));
	else if (b->opts.policy)
		fprintf(stderr, "subsidy: %lu %s; the subsidies add up to more than %s yuan, more than "
			"can be counted exactly: no total is given (check the policy's amounts)\n",
			t->subsidies, t->subsidies == 1 ? "enterprise" : "enterprises",
			dl_money_format(INT64_MAX, money, sizeof(money)));
	if (b->opts.reports_dir) {
		char shown[4 * DL_ERROR_FILE_MAX];
		dl_error_escape(b->opts.reports_dir, shown, sizeof(shown));
		fprintf(stderr, "reports: %lu PDF%s written into %s", reports, reports == 1 ? "" : "s",
			shown);
		if (reports_failed)
			fprintf(stderr, "; %lu enterprise%s without %s reports", reports_failed,
				reports_failed == 1 ? "" : "s", reports_failed == 1 ? "its" : "their");
		fputc('\n', stderr);
	}
	if (b->failed_list)
		fprintf(stderr, "failed:\n%s", b->failed_list);
	if (rc == 0 && (b->failed || broken_streams || b->totals.overflow))
		rc = EXIT_INVALID;
	if (report_status > rc)
		rc = report_status;
	free_entries(b);
	free(b);
	return rc;
}

void batch_rows_discard(batch_rows *b)
{
	if (!b)
		return;
	if (b->csv_pending)
		fclose(b->csv_pending);
	free(b->pending_text);
	if (b->csv)
		cli_output_abort(&b->csv_out);
	if (b->jsonl)
		cli_output_abort(&b->jsonl_out);
	free_entries(b);
	free(b);
}
