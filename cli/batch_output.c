/*
 * batch_output.c: what `digilevel batch` and `digilevel cohort` make of a dl_batch: the rows as CSV
 * and JSON Lines, the diagnostics and warnings on stderr in input order, the reports written into
 * --reports DIR, and the summary.
 *
 * The pairing, the comparisons and the rows themselves are the library's
 * (include/digilevel/batch.h); this file only prints them. The CSV and JSON Lines writers are pure
 * printing of the public row view, so they stay here (docs/architecture.md says why).
 */
#include "batch_commands.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct batch_output {
	batch_output_options opts;
	FILE *csv, *jsonl;
	cli_output csv_out, jsonl_out;
	unsigned long sheets, failed;
	unsigned long levels_after[10];
	size_t csv_dims;   /* dimension columns of the CSV, once its header is written */
	bool csv_header;   /* the CSV header is written */
	FILE *csv_pending; /* --per-sheet: path and error (each NUL-ended) of the failed sheets
			    * that came before the header */
	char *pending_text;
	size_t pending_len;
	char *failed_list;
	size_t failed_len;
};

/* --- output ----------------------------------------------------------------------------------- */

/* Text from the input (names, tags, paths, titles, reasons): guarded against formulas. */
static void csv_field(batch_output *b, const char *s, bool last)
{
	dl_csv_write_cell(s, DL_CSV_TEXT, last, cli_write_file, b->csv);
}

/* A number written here (a level, points, yuan): as it is. */
static void csv_number(batch_output *b, const char *s, bool last)
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

/* The tags of a row (joined with ';', which no tag holds: the loader refuses it) as a JSON array.
 */
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
static void csv_dims(batch_output *b, const dl_batch_side *s)
{
	char buf[32];
	for (size_t i = 0; i < b->csv_dims; i++)
		csv_number(b, s->present && i < s->dim_count ? points_text(s->dims[i], buf) : "",
			   false);
}

static void csv_side(batch_output *b, const dl_batch_side *s, bool with_retrofit)
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

static void json_differences(FILE *f, const dl_batch_row *r)
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

static void json_side(FILE *f, const dl_batch_side *s, bool with_retrofit)
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

static void write_row(batch_output *b, const dl_batch_row *r)
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
		csv_number(b,
			   r->has_verdict ? dl_money_format(r->eligible, money, sizeof(money)) : "",
			   false);
		csv_number(b,
			   r->has_verdict ? dl_money_format(r->subsidy, money, sizeof(money)) : "",
			   false);
		csv_field(b, r->reason, false);
		char differences[1200];
		csv_field(b, dl_batch_row_differences(r, differences, sizeof(differences)), false);
		const dl_batch_side *qs = r->after.present ? &r->after : &r->before;
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
			fputs(", \"passed\": null, \"phase\": \"\", \"eligible_investment\": null, "
			      "\"subsidy\": null",
			      f);
		}
		fputs(", \"reason\": ", f);
		json_string(f, r->reason);
		fputs(", \"differences\": ", f);
		json_differences(f, r);
		fputs("}\n", f);
	}
}

/* The --per-sheet row of a sheet that could not be scored: its file and why. */
static void csv_failed_row(batch_output *b, const char *path, const char *why)
{
	for (int i = 0; i < 5; i++)
		csv_field(b, "", false);
	csv_field(b, "error", false);
	csv_field(b, path, false);
	for (size_t i = 0; i < 4 + b->csv_dims;
	     i++) /* date, level, level_name, total, dimensions */
		csv_field(b, "", false);
	csv_field(b, why, false);
	csv_field(b, "", false); /* questionnaire, questionnaire_sha256 */
	csv_field(b, "", true);
}

/* The dimension columns of one side: ",PREFIXd1,...,PREFIXdN". */
static void header_dims(batch_output *b, const char *prefix)
{
	for (size_t i = 0; i < b->csv_dims; i++)
		fprintf(b->csv, ",%sd%zu", prefix, i + 1);
}

/*
 * The CSV header, with as many dimension columns as dims: the most any sheet's questionnaire has
 * (pairing, written at the end), or the first scored sheet's (--per-sheet, written as it comes).
 */
static void write_header(batch_output *b, size_t dims)
{
	if (!b->csv || b->csv_header)
		return;
	b->csv_dims = dims;
	b->csv_header = true;
	if (b->opts.per_sheet) {
		fputs(
		    "credit_code,name,industry,scale,tags,status,file,date,level,level_name,total",
		    b->csv);
		header_dims(b, "");
		fputs(",error,questionnaire,questionnaire_sha256\n", b->csv);
	} else {
		fputs("credit_code,name,industry,scale,tags,status,"
		      "before_file,before_date,before_level,before_level_name,before_total",
		      b->csv);
		header_dims(b, "before_");
		fputs(",after_file,after_date,attempt,applied,after_level,after_level_name,after_"
		      "total",
		      b->csv);
		header_dims(b, "after_");
		fputs(",verdict,phase,eligible_investment,subsidy,reason,differences,"
		      "questionnaire,questionnaire_sha256\n",
		      b->csv);
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

/* --- sheets, in input order ------------------------------------------------------------------- */

/* Count a sheet as failed and list it in the summary. */
static void note_failure_path(batch_output *b, const char *path)
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

static void note_failure(batch_output *b, const dl_batch_sheet *s)
{
	if (dl_batch_sheet_errors(s))
		fputs(dl_batch_sheet_errors(s), stderr);
	else
		cli_line(stderr, "%s: cannot be scored", dl_batch_sheet_path(s));
	note_failure_path(b, dl_batch_sheet_path(s));
}

/*
 * The CSV row of one sheet (--per-sheet). The header's dimension columns are those of the first
 * scored sheet's questionnaire; until it comes, the rows of failed sheets wait in memory. A later
 * sheet whose questionnaire has more dimensions than there are columns cannot be shown whole: its
 * row says so and the sheet counts as failed.
 */
static void csv_per_sheet(batch_output *b, const dl_batch_sheet *sheet, const dl_batch_row *r,
			  const char *why)
{
	char buf[32], lv[16], too_many[600];
	const dl_batch_side *s = &r->after;
	const char *path = dl_batch_sheet_path(sheet);
	bool scored = dl_batch_sheet_status(sheet) == 0;
	if (scored) {
		write_header(b, s->dim_count);
	} else if (!b->csv_header) { /* the header waits for the first scored sheet; so does this
					row */
		if (!b->csv_pending)
			b->csv_pending = open_memstream(&b->pending_text, &b->pending_len);
		if (b->csv_pending) {
			fwrite(path, 1, strlen(path) + 1, b->csv_pending);
			fwrite(why, 1, strlen(why) + 1, b->csv_pending);
			return;
		}
		write_header(b, 0); /* no memory to wait: the header as it can be */
	}
	if (!scored) {
		csv_failed_row(b, path, why);
		return;
	}
	if (scored && s->dim_count > b->csv_dims) {
		const dl_sheet *sh = dl_batch_sheet_sheet(sheet);
		snprintf(too_many, sizeof(too_many),
			 "its questionnaire '%s' version '%s' has %zu dimensions, more than the "
			 "%zu columns "
			 "of this CSV (set by the first sheet scored); score it in a batch of its "
			 "own or "
			 "read it from --jsonl",
			 dl_sheet_questionnaire_id(sh), dl_sheet_questionnaire_version(sh),
			 s->dim_count, b->csv_dims);
		fprintf(stderr, "%s: %s\n", path, too_many);
		note_failure_path(b, path);
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
		csv_number(b, scored && i < s->dim_count ? points_text(s->dims[i], buf) : "",
			   false);
	csv_field(b, why, false);
	csv_field(b, s->questionnaire ? s->questionnaire : "", false);
	csv_field(b, s->questionnaire_sha256 ? s->questionnaire_sha256 : "", true);
}

static void add_per_sheet(batch_output *b, dl_batch_sheet *s)
{
	dl_batch_row failed;
	const dl_batch_row *r = NULL;
	char why[600] = "";
	const char *errors = dl_batch_sheet_errors(s);
	if (dl_batch_sheet_status(s) == 0 && (r = dl_batch_sheet_row(s)) != NULL) {
		b->levels_after[r->after.level < 10 && r->after.level >= 0 ? r->after.level : 0]++;
	} else {
		if (dl_batch_sheet_status(s) == 0)
			errors = "out of memory\n"; /* no row could be made of a scored sheet */
		else
			note_failure(b, s);
		if (errors)
			snprintf(why, sizeof(why), "%.*s", (int)strcspn(errors, "\n"), errors);
		memset(&failed, 0, sizeof(failed));
		failed.status = "error";
		failed.after.present = true;
		failed.after.file = dl_batch_sheet_path(s);
		r = &failed;
	}
	bool scored = r != &failed;
	if (b->csv)
		csv_per_sheet(b, s, r, why);
	if (b->jsonl) {
		FILE *f = b->jsonl;
		fputs("{\"credit_code\": ", f);
		json_string(f, r->code);
		fputs(", \"name\": ", f);
		json_string(f, r->name);
		fputs(", \"status\": ", f);
		json_string(f, r->status);
		fputs(", \"sheet\": ", f);
		if (scored)
			json_side(f, &r->after, true);
		else
			json_string(f, dl_batch_sheet_path(s));
		fputs(", \"error\": ", f);
		json_string(f, why);
		fputs("}\n", f);
	}
}

void batch_output_add(batch_output *b, dl_batch *batch, dl_batch_sheet *s)
{
	b->sheets++;
	if (b->opts.per_sheet) {
		add_per_sheet(b, s);
		dl_batch_sheet_free(s);
		return;
	}
	if (dl_batch_sheet_status(s) != 0) {
		note_failure(b, s);
		dl_batch_sheet_free(s);
		return;
	}
	if (dl_batch_pair(batch, s) != 0) { /* the pairing keeps the sheet, or frees it */
		cli_line(stderr, "digilevel: out of memory pairing %s", dl_batch_sheet_path(s));
		b->failed++;
		dl_batch_sheet_free(s);
	}
}

/* --- what the batch says while it works ------------------------------------------------------- */

static void print_warning(const char *file, const char *message, void *userdata)
{
	(void)userdata;
	if (file)
		fprintf(stderr, "%s: warning: %s\n", file, message);
	else
		fprintf(stderr, "digilevel: %s\n", message);
}

/* Write one enterprise's report as DIR/CODE-KIND.pdf (on a worker thread). */
static int write_report(const char *code, const char *kind, const unsigned char *pdf, size_t len,
			void *userdata)
{
	const char *dir = userdata;
	size_t size = strlen(dir) + strlen(code) + strlen(kind) + 8;
	char *path = malloc(size);
	if (!path)
		return DL_ENOMEM;
	snprintf(path, size, "%s/%s-%s.pdf", dir, code, kind);
	int rc = cli_write_output(path, pdf, len) == EXIT_OK ? 0 : DL_EIO; /* it said why */
	free(path);
	return rc;
}

/* A progress line while the pairs are compared, when it takes a while and stderr is a terminal. */
static void show_progress(size_t done, size_t total, void *userdata)
{
	if (total >= 50 && (done % 10 == 0 || done == total) && isatty(STDERR_FILENO))
		fprintf(stderr, "\r%zu of %zu enterprises compared%s", done, total,
			userdata ? " and their reports written" : "");
}

void batch_output_batch_options(const batch_output *b, dl_batch_options *opts)
{
	opts->per_sheet = b->opts.per_sheet;
	opts->warning = print_warning;
	opts->progress = show_progress;
	opts->progress_data = (void *)b->opts.reports_dir;
	if (b->opts.reports_dir) {
		opts->report = write_report;
		opts->report_data = (void *)b->opts.reports_dir;
	}
}

/* --- files ------------------------------------------------------------------------------------ */

int batch_output_open(batch_output **out, const batch_output_options *opts)
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
	batch_output *b = calloc(1, sizeof(*b));
	if (!b)
		return DL_ENOMEM;
	b->opts = *opts;
	if (!csv && !jsonl && !opts->no_rows)
		csv = "-"; /* the CSV on standard output */
	if (csv) {
		if (cli_output_open(&b->csv_out, csv) != EXIT_OK) {
			batch_output_discard(b);
			return DL_EIO;
		}
		b->csv = b->csv_out.f;
	}
	if (jsonl) {
		if (cli_output_open(&b->jsonl_out, jsonl) != EXIT_OK) {
			batch_output_discard(b);
			return DL_EIO;
		}
		b->jsonl = b->jsonl_out.f;
	}
	*out = b; /* the CSV header comes with the first row, when the dimensions are known */
	return 0;
}

/* --- the end ---------------------------------------------------------------------------------- */

/* Compare every pair (on all threads), with a progress line that is wiped when done. */
static void finish_pairs(dl_batch *batch)
{
	dl_batch_finish(batch);
	if (isatty(STDERR_FILENO) && dl_batch_row_count(batch) >= 50)
		fprintf(stderr, "\r%*s\r", 72, "");
}

/* The exit code of a report that was not written: an input the report refuses, or the system. */
static int report_exit_code(int rc)
{
	return rc == DL_EINVALID || rc == DL_EMISMATCH ? EXIT_INVALID : EXIT_SYSTEM;
}

int batch_output_close(batch_output *b, dl_batch *batch, unsigned long broken_streams,
		       batch_row_fn visit, void *userdata)
{
	unsigned long paired = 0, only_before = 0, only_after = 0, reports = 0, reports_failed = 0;
	int report_status = EXIT_OK;
	const char *last_error = NULL;
	if (!b->opts.per_sheet)
		finish_pairs(batch);
	size_t rows = dl_batch_row_count(batch); /* 0 with --per-sheet */
	size_t dims = 0; /* as many dimension columns as the largest questionnaire in use has */
	for (size_t i = 0; i < rows; i++) {
		const dl_batch_row *r = dl_batch_row_at(batch, i);
		if (r->before.dim_count > dims)
			dims = r->before.dim_count;
		if (r->after.dim_count > dims)
			dims = r->after.dim_count;
	}
	write_header(b, dims); /* (--per-sheet: if no sheet was scored) */
	for (size_t i = 0; i < rows; i++) {
		const dl_batch_row *r = dl_batch_row_at(batch, i);
		if (r->warning)
			fprintf(stderr, "%s: warning: %s\n", r->after.file, r->warning);
		if (r->has_before_sheet && r->has_after_sheet)
			paired++;
		else if (r->has_after_sheet)
			only_after++;
		else
			only_before++;
		const dl_batch_side *last = r->after.present ? &r->after : &r->before;
		if (last->present && last->level >= 0 && last->level < 10)
			b->levels_after[last->level]++;
		reports += r->reports;
		if (r->report_rc != 0) {
			int status = report_exit_code(r->report_rc);
			reports_failed++;
			/* A failure all reports share (no font) may reach several threads at once:
			 * say it once. */
			bool repeated = status == EXIT_SYSTEM && r->report_error && last_error &&
					strcmp(r->report_error, last_error) == 0;
			if (r->report_error && !repeated)
				cli_line(stderr, "digilevel: %s: report not written: %s", r->code,
					 r->report_error);
			if (r->report_error)
				last_error = r->report_error;
			if (status > report_status)
				report_status = status;
		}
		write_row(b, r);
		if (visit)
			visit(r, userdata);
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
		fprintf(stderr, ", %lu broken stream%s", broken_streams,
			broken_streams > 1 ? "s" : "");
	if (!b->opts.per_sheet)
		fprintf(stderr, "; %zu %s: %lu paired, %lu diagnosis only, %lu evaluation only",
			rows, rows == 1 ? "enterprise" : "enterprises", paired, only_before,
			only_after);
	fputs("\nlevels (latest sheet):", stderr);
	for (int level = 9; level >= 0; level--)
		if (b->levels_after[level])
			fprintf(stderr, " %d: %lu", level, b->levels_after[level]);
	fputc('\n', stderr);
	unsigned long subsidies = 0;
	int64_t total = 0;
	bool overflow = dl_batch_subsidy_total(batch, &subsidies, &total) == DL_ELIMIT;
	if (b->opts.policy && !overflow)
		fprintf(stderr, "subsidy: %lu %s, %s yuan in all\n", subsidies,
			subsidies == 1 ? "enterprise" : "enterprises",
			dl_money_format(total, money, sizeof(money)));
	else if (b->opts.policy)
		fprintf(stderr,
			"subsidy: %lu %s; the subsidies add up to more than %s yuan, more than "
			"can be counted exactly: no total is given (check the policy's amounts)\n",
			subsidies, subsidies == 1 ? "enterprise" : "enterprises",
			dl_money_format(INT64_MAX, money, sizeof(money)));
	if (b->opts.reports_dir) {
		char shown[4 * DL_ERROR_FILE_MAX];
		dl_error_escape(b->opts.reports_dir, shown, sizeof(shown));
		fprintf(stderr, "reports: %lu PDF%s written into %s", reports,
			reports == 1 ? "" : "s", shown);
		if (reports_failed)
			fprintf(stderr, "; %lu enterprise%s without %s reports", reports_failed,
				reports_failed == 1 ? "" : "s",
				reports_failed == 1 ? "its" : "their");
		fputc('\n', stderr);
	}
	if (b->failed_list)
		fprintf(stderr, "failed:\n%s", b->failed_list);
	if (rc == 0 && (b->failed || broken_streams || overflow))
		rc = EXIT_INVALID;
	if (report_status > rc)
		rc = report_status;
	free(b->failed_list);
	free(b);
	return rc;
}

void batch_output_discard(batch_output *b)
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
	free(b->failed_list);
	free(b);
}
