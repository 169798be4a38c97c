/*
 * batch_commands.c: what `digilevel batch` and `digilevel cohort` make of a dl_batch: the inputs
 * read into it, the rows as CSV and JSON Lines, the diagnostics and warnings on stderr in input
 * order, the reports written into --reports DIR, what the archive (--archive DIR) says, and the
 * summary.
 *
 * Reading the paths, the pairing, the comparisons, the rows and their CSV and JSON Lines are the
 * library's (include/digilevel/batch.h, batch_paths.h); this file opens the files, writes the rows
 * into them, prints what the batch says on stderr and the summary, and decides the exit code.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct batch_output {
	batch_output_options opts;
	dl_output_file *csv, *jsonl, *xlsx;
	dl_batch_writer *csv_rows, *jsonl_rows, *xlsx_rows; /* the library's writers, into those */
	bool policy;                            /* the summary gives the subsidies */
	unsigned long sheets, failed, broken_streams;
	unsigned long levels_after[10];
	char *failed_list;
	size_t failed_len;
} batch_output;

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
		cli_line(stderr, _("%s: cannot be scored"), dl_batch_sheet_path(s));
	note_failure_path(b, dl_batch_sheet_path(s));
}

/*
 * The CSV row of one sheet (--per-sheet), r NULL when it failed. The header's dimension columns are
 * those of the first scored sheet's questionnaire (the library's writer keeps the rows of failed
 * sheets until it comes). A later sheet whose questionnaire has more dimensions than there are
 * columns cannot be shown whole: its row says so and the sheet counts as failed.
 */
static void csv_per_sheet(batch_output *b, const dl_batch_sheet *sheet, const dl_batch_row *r,
			  const char *why)
{
	char too_many[600];
	const char *path = dl_batch_sheet_path(sheet);
	dl_batch_writer *table = b->csv_rows ? b->csv_rows : b->xlsx_rows; /* the same columns */
	if (r) {
		dl_batch_write_header(table, r->after.dim_count);
		size_t columns = dl_batch_writer_dims(table);
		if (r->after.dim_count > columns) {
			const dl_sheet *sh = dl_batch_sheet_sheet(sheet);
			snprintf(too_many, sizeof(too_many),
				 _("its questionnaire '%s' version '%s' has %zu dimensions, more than "
				   "the %zu columns of this CSV (set by the first sheet scored); score it "
				   "in a batch of its own or read it from --jsonl"),
				 dl_sheet_questionnaire_id(sh), dl_sheet_questionnaire_version(sh),
				 r->after.dim_count, columns);
			cli_line(stderr, "%s: %s", path, too_many);
			note_failure_path(b, path);
			why = too_many;
		}
	}
	if (b->csv_rows)
		dl_batch_write_sheet_row(b->csv_rows, r, path, why);
	if (b->xlsx_rows)
		dl_batch_write_sheet_row(b->xlsx_rows, r, path, why);
}

static void add_per_sheet(batch_output *b, dl_batch_sheet *s)
{
	char why[600] = "";
	const char *errors = dl_batch_sheet_errors(s);
	const dl_batch_row *r = dl_batch_sheet_status(s) == 0 ? dl_batch_sheet_row(s) : NULL;
	if (r) {
		b->levels_after[r->after.level < 10 && r->after.level >= 0 ? r->after.level : 0]++;
	} else if (dl_batch_sheet_status(s) == 0) { /* scored, but no memory for its row */
		cli_line(stderr, _("%s: out of memory"), dl_batch_sheet_path(s));
		note_failure_path(b, dl_batch_sheet_path(s));
		snprintf(why, sizeof(why), "%s", _("out of memory"));
	} else {
		note_failure(b, s);
		if (errors)
			snprintf(why, sizeof(why), "%.*s", (int)strcspn(errors, "\n"), errors);
	}
	if (b->csv_rows || b->xlsx_rows)
		csv_per_sheet(b, s, r, why);
	if (b->jsonl_rows)
		dl_batch_write_sheet_row(b->jsonl_rows, r, dl_batch_sheet_path(s), why);
}

static void add_sheet(batch_output *b, dl_batch *batch, dl_batch_sheet *s)
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
		cli_line(stderr, _("digilevel: out of memory pairing %s"), dl_batch_sheet_path(s));
		b->failed++;
		dl_batch_sheet_free(s);
	}
}

/* --- what the batch says while it works ------------------------------------------------------- */

static void print_warning(const char *file, const char *message, void *userdata)
{
	(void)userdata;
	if (file)
		cli_line(stderr, _("%s: warning: %s"), file, message);
	else
		cli_line(stderr, "digilevel: %s", message);
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
	if (total >= 50 && (done % 10 == 0 || done == total) && isatty(STDERR_FILENO)) {
		fputc('\r', stderr); /* over the line before */
		fprintf(stderr, userdata ? _("%zu of %zu enterprises compared and their reports written")
					 : _("%zu of %zu enterprises compared"),
			done, total);
	}
}

/* --- the inputs -------------------------------------------------------------------------------- */

/* Make the batch, with what it needs to print through b. Returns 0, or the exit code. */
static int new_batch(batch_output *b, dl_batch **batch, const cli_args *a)
{
	dl_batch_options bo = DL_BATCH_OPTIONS_INIT;
	bo.threads = a->threads;
	bo.policy = a->policy;
	bo.questionnaire = cli_find_questionnaire;
	bo.questionnaire_data = (void *)a->dir;
	bo.font_path = a->font;
	bo.per_sheet = b->opts.per_sheet;
	bo.warning = print_warning;
	bo.progress = show_progress;
	bo.progress_data = (void *)b->opts.reports_dir;
	bo.archive_dir = b->opts.archive_dir;
	if (b->opts.reports_dir) {
		bo.report = write_report;
		bo.report_data = (void *)b->opts.reports_dir;
	}
	b->policy = a->policy != NULL;
	int rc = dl_batch_new(batch, &bo, NULL);
	if (rc < 0)
		fprintf(stderr, _("digilevel: cannot start %d worker threads\n"), a->threads);
	return rc < 0 ? cli_exit_code(rc) : EXIT_OK;
}

/* Take the sheets in input order, with a progress line when stderr is a terminal. */
static void take_sheets(batch_output *b, dl_batch *batch, dl_batch_cohort *join)
{
	bool progress = isatty(STDERR_FILENO);
	unsigned long seen = 0, failed = 0;
	dl_batch_sheet *s;
	while (dl_batch_next(batch, &s) > 0) {
		seen++;
		failed += dl_batch_sheet_status(s) != 0;
		if (join)
			dl_batch_cohort_note_sheet(join, s);
		add_sheet(b, batch, s); /* takes the sheet */
		if (progress && seen % 50 == 0) {
			fputc('\r', stderr); /* over the line before */
			fprintf(stderr, _("%lu sheets scored, %lu failed"), seen, failed);
		}
	}
	if (progress)
		fprintf(stderr, "\r%*s\r", 40, "");
}

/* An output that is one of the questionnaires the batch loaded: the usage error; else EXIT_OK. */
static int questionnaire_clash(dl_batch *batch, const dl_file_guard *g, const char *usage)
{
	for (size_t i = 0; i < dl_batch_questionnaire_count(batch); i++) {
		const dl_questionnaire *q = dl_batch_questionnaire_at(batch, i);
		const char *role, *output;
		bool into_dir;
		if (q && dl_file_guard_output_at(g, dl_questionnaire_path(q), &role, &output, &into_dir))
			return cli_usage_error(usage, _("%s '%s' is the questionnaire '%s': an output never "
							"replaces an input; write it to another file"),
					       _(role), output, dl_questionnaire_path(q));
	}
	return EXIT_OK;
}

/* Make the batch, read the paths into it and hand each sheet to rows. Returns the exit code. */
static int read_inputs(batch_output *rows, dl_batch **batch, const cli_args *a, const char *usage,
		       char **paths, int n, dl_batch_cohort *join)
{
	int rc = new_batch(rows, batch, a);
	if (rc != EXIT_OK)
		return rc;
	dl_batch_paths *p = NULL;
	dl_batch_paths_options po = DL_BATCH_PATHS_OPTIONS_INIT;
	po.follow_symlinks = a->follow_symlinks;
	po.list = stdin;
	po.guard = a->files;
	if (dl_batch_paths_new(&p, (const char *const *)paths, (size_t)n, &po) != 0 ||
	    dl_batch_start(*batch, dl_batch_paths_feed, p) != 0) {
		fputs(_("digilevel: cannot start the reader thread\n"), stderr);
		dl_batch_paths_free(p);
		return EXIT_SYSTEM;
	}
	take_sheets(rows, *batch, join);
	if (dl_batch_paths_notes(p))
		fputs(dl_batch_paths_notes(p), stderr);
	if (dl_batch_paths_stream_errors(p))
		fputs(dl_batch_paths_stream_errors(p), stderr);
	rows->broken_streams = dl_batch_paths_broken_streams(p);
	rc = dl_batch_feed_status(*batch);
	if (rc < 0)
		fprintf(stderr, "%s\n", dl_batch_paths_failure(p));
	dl_batch_paths_free(p);
	if (rc < 0)
		return rc == DL_EMISMATCH ? EXIT_USAGE : cli_exit_code(rc);
	return questionnaire_clash(*batch, a->files, usage);
}

/* --- files ------------------------------------------------------------------------------------ */

int batch_output_in_input_dir(const char *usage, const char *role, const char *path, char **paths,
			      int n)
{
	if (!path)
		return EXIT_OK;
	/* the directory the output is in: what precedes its last '/', or "." */
	size_t cut = strlen(path);
	while (cut > 0 && path[cut - 1] != '/')
		cut--;
	char *dir = malloc(cut + 2);
	if (!dir)
		return EXIT_SYSTEM;
	if (cut == 0)
		memcpy(dir, ".", 2);
	else {
		memcpy(dir, path, cut);
		dir[cut] = '\0';
	}
	struct stat out, in;
	int rc = EXIT_OK;
	for (int i = 0; i < n && rc == EXIT_OK && stat(dir, &out) == 0; i++)
		if (stat(paths[i], &in) == 0 && S_ISDIR(in.st_mode) && in.st_dev == out.st_dev &&
		    in.st_ino == out.st_ino)
			rc = cli_usage_error(usage, _("%s '%s' is in the input directory '%s', whose "
						      "*.xlsx files are read as answer sheets: write it to "
						      "another directory"),
					     role, path, paths[i]);
	free(dir);
	return rc;
}

static void discard(batch_output *b);

/* Open the outputs. Returns 0, or the exit code after a message. */
static int open_outputs(batch_output **out, const batch_output_options *opts)
{
	const char *csv = opts->csv, *jsonl = opts->jsonl; /* not both "-": the commands see to it */
	if (opts->reports_dir && mkdir(opts->reports_dir, 0777) != 0 && errno != EEXIST) {
		cli_line(stderr, _("digilevel: cannot make the reports directory '%s': %s"),
			 opts->reports_dir, dl_strerror(errno));
		return EXIT_SYSTEM;
	}
	struct stat st;
	if (opts->archive_dir && ((mkdir(opts->archive_dir, 0777) != 0 && errno != EEXIST) ||
				  stat(opts->archive_dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		cli_line(stderr, _("digilevel: cannot make the archive directory '%s': %s"),
			 opts->archive_dir,
			 errno == EEXIST ? _("it is not a directory") : dl_strerror(errno));
		return EXIT_SYSTEM;
	}
	batch_output *b = calloc(1, sizeof(*b));
	if (!b)
		return EXIT_SYSTEM;
	b->opts = *opts;
	if (!csv && !jsonl && !opts->xlsx && !opts->no_rows)
		csv = "-"; /* the CSV on standard output */
	int rc = EXIT_OK;
	const char *failed = NULL; /* the file that cannot be written */
	dl_error err;
	if (csv && dl_output_file_open(&b->csv, csv, &err) != 0)
		failed = csv;
	else if (csv && dl_batch_writer_new(&b->csv_rows,
					    opts->csv_excel ? DL_BATCH_CSV_EXCEL : DL_BATCH_CSV,
					    opts->per_sheet, dl_output_file_write, b->csv) != 0)
		rc = EXIT_SYSTEM;
	else if (opts->xlsx && dl_output_file_open(&b->xlsx, opts->xlsx, &err) != 0)
		failed = opts->xlsx;
	else if (opts->xlsx && (rc = dl_batch_writer_new(&b->xlsx_rows, DL_BATCH_XLSX, opts->per_sheet,
							 dl_output_file_write, b->xlsx)) != 0) {
		cli_line(stderr, _("digilevel: cannot write '%s': %s"), opts->xlsx,
			 rc == DL_ENOMEM ? _("out of memory")
					 : _("no temporary file can be made (TMPDIR)"));
		rc = EXIT_SYSTEM;
	}
	else if (jsonl && dl_output_file_open(&b->jsonl, jsonl, &err) != 0)
		failed = jsonl;
	else if (jsonl && dl_batch_writer_new(&b->jsonl_rows, DL_BATCH_JSON_LINES, opts->per_sheet,
					      dl_output_file_write, b->jsonl) != 0)
		rc = EXIT_SYSTEM;
	if (failed)
		rc = cli_output_failed(failed, &err);
	if (rc != EXIT_OK) {
		discard(b);
		return rc;
	}
	*out = b; /* the CSV header comes with the first row, when the dimensions are known */
	return 0;
}

/* --- the end ---------------------------------------------------------------------------------- */

/* Move an output file into place; false after a message when that failed. */
static bool commit(dl_output_file *f, const char *path)
{
	dl_error err;
	return !f || dl_output_file_commit(f, &err) == 0 || cli_output_failed(path, &err) == EXIT_OK;
}

/* Compare, write and visit the rows, put the files in place, print the summary; free b. */
static int close_outputs(batch_output *b, dl_batch *batch, batch_row_fn visit, void *userdata)
{
	unsigned long broken_streams = b->broken_streams;
	unsigned long paired = 0, only_before = 0, only_after = 0, reports = 0, reports_failed = 0;
	unsigned long folders = 0, folders_failed = 0;
	int report_status = EXIT_OK;
	const char *last_error = NULL;
	if (!b->opts.per_sheet) { /* compare every pair on all threads; wipe the progress line */
		dl_batch_finish(batch);
		if (isatty(STDERR_FILENO) && dl_batch_row_count(batch) >= 50)
			fprintf(stderr, "\r%*s\r", 72, "");
	}
	size_t rows = dl_batch_row_count(batch); /* 0 with --per-sheet */
	size_t dims = 0; /* as many dimension columns as the largest questionnaire in use has */
	for (size_t i = 0; i < rows; i++) {
		const dl_batch_row *r = dl_batch_row_at(batch, i);
		if (r->before.dim_count > dims)
			dims = r->before.dim_count;
		if (r->after.dim_count > dims)
			dims = r->after.dim_count;
	}
	if (b->csv_rows) /* (--per-sheet: dims is 0, and the header is written if no sheet was) */
		dl_batch_write_header(b->csv_rows, dims);
	if (b->xlsx_rows)
		dl_batch_write_header(b->xlsx_rows, dims);
	for (size_t i = 0; i < rows; i++) {
		const dl_batch_row *r = dl_batch_row_at(batch, i);
		if (r->warning)
			cli_line(stderr, _("%s: warning: %s"), r->after.file, r->warning);
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
			/* an input the report refuses, or the system */
			int status = r->report_rc == DL_EINVALID || r->report_rc == DL_EMISMATCH
					 ? EXIT_INVALID : EXIT_SYSTEM;
			reports_failed++;
			/* A failure all reports share (no font) may reach several threads at once:
			 * say it once. */
			bool repeated = status == EXIT_SYSTEM && r->report_error && last_error &&
					strcmp(r->report_error, last_error) == 0;
			if (r->report_error && !repeated)
				cli_line(stderr, _("digilevel: %s: report not written: %s"), r->code,
					 r->report_error);
			if (r->report_error)
				last_error = r->report_error;
			if (status > report_status)
				report_status = status;
		}
		if (b->opts.archive_dir && r->archive_rc == 0) {
			folders++;
		} else if (b->opts.archive_dir) {
			/* the folder's own problem (a foreign file, a sheet changed) is the input's */
			int status = r->archive_rc == DL_EMISMATCH || r->archive_rc == DL_EINVALID
					 ? EXIT_INVALID : EXIT_SYSTEM;
			folders_failed++;
			if (r->report_rc == 0 || r->archive_rc == DL_EMISMATCH || r->archive_rc == DL_EINVALID)
				cli_line(stderr, _("digilevel: %s: archive folder not written: %s"), r->code,
					 r->archive_error ? r->archive_error : _("out of memory"));
			if (status > report_status)
				report_status = status;
		}
		if (b->csv_rows)
			dl_batch_write_row(b->csv_rows, r);
		if (b->xlsx_rows)
			dl_batch_write_row(b->xlsx_rows, r);
		if (b->jsonl_rows)
			dl_batch_write_row(b->jsonl_rows, r);
		if (visit)
			visit(r, userdata);
	}
	int rc = 0;
	const char *csv = b->opts.csv ? b->opts.csv : "-";
	if (b->csv_rows)
		dl_batch_writer_finish(b->csv_rows); /* a failure is the file's: commit says it */
	int made = b->xlsx_rows ? dl_batch_writer_finish(b->xlsx_rows) : 0; /* the workbook, whole */
	if (made != 0) { /* no half a workbook: the file is left as it was */
		cli_line(stderr, _("digilevel: cannot write '%s': %s"), b->opts.xlsx,
			 made == DL_ENOMEM ? _("out of memory")
					   : _("the workbook could not be made or written (is there room "
					       "in the temporary directory and on the disk?)"));
		dl_output_file_abort(b->xlsx);
		b->xlsx = NULL;
		rc = EXIT_SYSTEM;
	}
	if (!commit(b->csv, csv) | !commit(b->jsonl, b->opts.jsonl) | !commit(b->xlsx, b->opts.xlsx))
		rc = EXIT_SYSTEM;
	dl_batch_writer_free(b->csv_rows);
	dl_batch_writer_free(b->jsonl_rows);
	dl_batch_writer_free(b->xlsx_rows);

	char money[32];
	fprintf(stderr, _("%s: %lu sheets, %lu scored, %lu failed"), b->opts.command, b->sheets,
		b->sheets - b->failed, b->failed);
	if (broken_streams)
		fprintf(stderr, broken_streams > 1 ? _(", %lu broken streams") : _(", %lu broken stream"),
			broken_streams);
	if (!b->opts.per_sheet)
		fprintf(stderr,
			rows == 1 ? _("; %zu enterprise: %lu paired, %lu diagnosis only, %lu evaluation only")
				  : _("; %zu enterprises: %lu paired, %lu diagnosis only, %lu evaluation only"),
			rows, paired, only_before, only_after);
	fputs(_("\nlevels (latest sheet):"), stderr);
	for (int level = 9; level >= 0; level--)
		if (b->levels_after[level])
			fprintf(stderr, _(" %d: %lu"), level, b->levels_after[level]);
	fputc('\n', stderr);
	unsigned long subsidies = 0;
	int64_t total = 0;
	bool overflow = dl_batch_subsidy_total(batch, &subsidies, &total) == DL_ELIMIT;
	if (b->policy && !overflow)
		fprintf(stderr,
			subsidies == 1 ? _("subsidy: %lu enterprise, %s yuan in all\n")
				       : _("subsidy: %lu enterprises, %s yuan in all\n"),
			subsidies, dl_money_format(total, money, sizeof(money)));
	else if (b->policy)
		fprintf(stderr,
			subsidies == 1
				? _("subsidy: %lu enterprise; the subsidies add up to more than %s yuan, more "
				    "than can be counted exactly: no total is given (check the policy's "
				    "amounts)\n")
				: _("subsidy: %lu enterprises; the subsidies add up to more than %s yuan, more "
				    "than can be counted exactly: no total is given (check the policy's "
				    "amounts)\n"),
			subsidies, dl_money_format(INT64_MAX, money, sizeof(money)));
	if (b->opts.reports_dir) {
		char shown[4 * DL_ERROR_FILE_MAX];
		dl_error_escape(b->opts.reports_dir, shown, sizeof(shown));
		fprintf(stderr, reports == 1 ? _("reports: %lu PDF written into %s")
					     : _("reports: %lu PDFs written into %s"),
			reports, shown);
		if (reports_failed)
			fprintf(stderr, reports_failed == 1 ? _("; %lu enterprise without its reports")
							    : _("; %lu enterprises without their reports"),
				reports_failed);
		fputc('\n', stderr);
	}
	if (b->opts.archive_dir) {
		char shown[4 * DL_ERROR_FILE_MAX];
		dl_error_escape(b->opts.archive_dir, shown, sizeof(shown));
		fprintf(stderr, folders == 1 ? _("archive: %lu enterprise folder written into %s")
					     : _("archive: %lu enterprise folders written into %s"),
			folders, shown);
		if (folders_failed)
			fprintf(stderr, folders_failed == 1 ? _("; %lu enterprise without its folder")
							    : _("; %lu enterprises without their folder"),
				folders_failed);
		fputc('\n', stderr);
	}
	if (b->failed_list)
		fprintf(stderr, _("failed:\n%s"), b->failed_list);
	if (rc == 0 && (b->failed || broken_streams || overflow))
		rc = EXIT_INVALID;
	if (report_status > rc)
		rc = report_status;
	free(b->failed_list);
	free(b);
	return rc;
}

static void discard(batch_output *b)
{
	dl_batch_writer_free(b->csv_rows);
	dl_batch_writer_free(b->jsonl_rows);
	dl_batch_writer_free(b->xlsx_rows);
	dl_output_file_abort(b->csv);
	dl_output_file_abort(b->jsonl);
	dl_output_file_abort(b->xlsx);
	free(b->failed_list);
	free(b);
}

int batch_run(dl_batch **batch, const batch_output_options *opts, const cli_args *a,
	      const char *usage, char **paths, int n, dl_batch_cohort *join, batch_row_fn visit,
	      void *userdata)
{
	batch_output *rows = NULL;
	int rc = open_outputs(&rows, opts);
	if (rc == EXIT_OK && (rc = read_inputs(rows, batch, a, usage, paths, n, join)) == EXIT_OK)
		return close_outputs(rows, *batch, visit, userdata);
	if (rows)
		discard(rows);
	dl_batch_free(*batch);
	*batch = NULL;
	return rc;
}
