/*
 * cmd_cohort.c: `digilevel cohort`: the pilot dashboard. Scores a whole cohort as `digilevel batch`
 * does (same inputs, same pairing by 统一社会信用代码, same verdicts under --policy), then counts every
 * target of the targets file that can be measured from the sheets, period by period, says which
 * cannot be and why, and breaks the cohort down by 细分行业, by level before and after, by the share
 * target per 细分行业 and by subsidy phase (docs/cohort.md).
 *
 * The dashboard goes to standard output as text, one table as CSV (--table), JSON or the PDF
 * report's layout dump; --pdf writes the PDF report, --xlsx a workbook with a worksheet per table,
 * --csv-dir a CSV file per table, each through a temporary file renamed into place, so a failure
 * leaves no file. --csv-excel makes every CSV one for a spreadsheet (docs/spreadsheets.md).
 * The per-enterprise rows behind the figures are written with --rows (as `batch --csv`), else to a
 * temporary file that is removed.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char USAGE[] =
	N_("digilevel cohort --targets FILE [--policy FILE] [--format text|csv|json|layout]\n"
	   "                        [--table NAME] [--csv-excel] [--csv-dir DIR] [--xlsx FILE]\n"
	   "                        [--pdf FILE] [--font FILE] [--as-of DATE] [--rows FILE] [-j N]\n"
	   "                        [--follow-symlinks] [--questionnaires DIR] PATH...");

static const char HELP[] =
	N_("usage: %s\n\n"
	   "Scores every sheet (files, directories, streams, or - for a list on stdin) and pairs\n"
	   "them by 统一社会信用代码 as `digilevel batch` does, then reports the pilot's progress\n"
	   "against the targets file: every measurable target period by period (目标, 完成, 完成率,\n"
	   "状态) with its counting rule, the targets that cannot be measured from sheets and why,\n"
	   "the 细分行业, the levels before and after, the share target per 细分行业 and, with\n"
	   "--policy, acceptance and subsidies by phase (docs/cohort.md).\n\n"
	   "--targets FILE   the targets (for 红寺堡区: %s/policies/hongsibu-2024-targets.xml)\n"
	   "--policy FILE    acceptance and subsidy rules; without it a retrofit counts as done\n"
	   "                 on its level alone and no subsidy is computed\n"
	   "--format F       text (default), csv (one table: --table), json, or layout (the PDF\n"
	   "                 report's pages as text)\n"
	   "--table NAME     the table --format csv writes (default: targets): summary, targets,\n"
	   "                 industries, levels, transitions, share, subsidy, pipeline, milestones,\n"
	   "                 roster, funds, providers, weak_scenarios, uplift\n"
	   "--csv-dir DIR    also write every table as DIR/NAME.csv (DIR is made if missing)\n"
	   "--csv-excel      CSV for a spreadsheet (--format csv, --csv-dir, --rows): a UTF-8 byte\n"
	   "                 order mark, Chinese headers, periods such as 2025-10 kept text\n"
	   "--xlsx FILE      also write the dashboard as an Excel workbook, a worksheet per table\n"
	   "--pdf FILE       also write the PDF report (written to a temporary file, then renamed)\n"
	   "--font FILE      TrueType font for the PDF (default: $DIGILEVEL_FONT, then WenQuanYi\n"
	   "                 Zen Hei or AR PL UMing from Debian)\n"
	   "--as-of DATE     the date deadlines are judged against (default: the latest sheet's)\n"
	   "--rows FILE      also write the per-enterprise rows, as `digilevel batch --csv`\n"
	   "-j N             worker threads (default: one per core)\n"
	   "--follow-symlinks\n"
	   "                 also read directories that symbolic links inside a directory lead\n"
	   "                 to (each file and directory is read once in any case)\n\n"
	   "Exit codes: 0 done, 1 some sheet or enterprise could not be counted (the rest are),\n"
	   "or an invalid targets/policy file, 2 usage error (also: an output over an input),\n"
	   "3 I/O error.\n");

typedef enum format { FORMAT_TEXT, FORMAT_CSV, FORMAT_JSON, FORMAT_LAYOUT } format;
static const char *const FORMATS[] = {"text", "csv", "json", "layout", NULL};

typedef struct run {
	dl_cohort *cohort;
	dl_batch_cohort *join; /* the rows into the cohort's entries (digilevel/batch.h) */
	unsigned long problems; /* enterprises that could not be added, each reported */
} run;

/* A sheet not counted, or memory running out keeping the sheets' tags. */
static void print_join_warning(const char *file, const char *message, void *userdata)
{
	(void)userdata;
	if (file)
		cli_line(stderr, "%s: %s", file, message);
	else
		cli_line(stderr, "digilevel: %s", message);
}

/* A batch_row_fn: add one enterprise's final row to the cohort. */
static void add_row(const dl_batch_row *row, void *userdata)
{
	run *r = userdata;
	const dl_cohort_entry *entry = NULL;
	dl_error err;
	int rc = dl_batch_cohort_entry(r->join, row, &entry);
	if (rc < 0) {
		cli_line(stderr, _("digilevel: enterprise %s (%s) cannot be counted: %s"), row->code,
			 row->name, rc == DL_ENOMEM ? _("out of memory") : _("a text or list is too long"));
		r->problems++;
	} else if (dl_cohort_add(r->cohort, entry, &err) < 0) {
		cli_print_error(&err);
		r->problems++;
	}
}

/* Load the targets, the questionnaire they are counted in, and the policy; check them together. */
static int load_inputs(const char *targets_path, cli_args *a, dl_targets **t)
{
	dl_load_options opts = cli_load_options();
	int rc = dl_targets_load(t, targets_path, &opts, NULL);
	if (rc == 0)
		rc = cli_questionnaire_of(&a->q, targets_path, N_("the targets are counted in"), a->dir,
					  dl_targets_questionnaire_id(*t), dl_targets_questionnaire_version(*t));
	if (rc == 0)
		rc = dl_targets_check(*t, a->q, &opts, NULL);
	if (rc == 0 && a->policy_path && (rc = dl_policy_load(&a->policy, a->policy_path, &opts, NULL)) == 0)
		rc = dl_policy_check(a->policy, a->q, &opts, NULL);
	return rc;
}

/* What the dashboard is written as, besides standard output's format. */
typedef struct outputs {
	const char *table;   /* --format csv: the table */
	dl_cohort_csv csv;   /* the flavour of every CSV */
	const char *csv_dir; /* every table as DIR/NAME.csv, or NULL */
	const char *xlsx;    /* the workbook, or NULL */
	const char *pdf, *font;
} outputs;

/* Every table as DIR/NAME.csv, each written whole. Returns an exit code. */
static int write_csv_dir(const dl_cohort *cohort, const outputs *out)
{
	if (mkdir(out->csv_dir, 0777) != 0 && errno != EEXIST) {
		cli_line(stderr, _("digilevel: cannot make the directory '%s': %s"), out->csv_dir,
			 dl_strerror(errno));
		return EXIT_SYSTEM;
	}
	int exit_code = EXIT_OK;
	for (size_t i = 0; i < dl_cohort_table_count() && exit_code == EXIT_OK; i++) {
		const char *id = dl_cohort_table_id(i);
		size_t size = strlen(out->csv_dir) + strlen(id) + 8;
		char *path = malloc(size);
		cli_buffer b = {NULL, 0, 0};
		if (!path || dl_cohort_write_table(cohort, id, out->csv, cli_buffer_write, &b) != 0) {
			fprintf(stderr, "%s\n", _("digilevel: out of memory"));
			exit_code = EXIT_SYSTEM;
		} else {
			snprintf(path, size, "%s/%s.csv", out->csv_dir, id);
			exit_code = cli_write_output(path, b.data, b.len);
		}
		free(b.data);
		free(path);
	}
	return exit_code;
}

/* The workbook, written whole. Returns an exit code. */
static int write_xlsx(const dl_cohort *cohort, const char *path)
{
	cli_buffer b = {NULL, 0, 0};
	dl_error err;
	int exit_code = EXIT_OK;
	if (dl_cohort_write_xlsx(cohort, cli_buffer_write, &b, &err) < 0) {
		cli_line(stderr, _("digilevel: cannot make the workbook '%s': %s"), path, err.message);
		exit_code = EXIT_SYSTEM;
	} else {
		exit_code = cli_write_output(path, b.data, b.len);
	}
	free(b.data);
	return exit_code;
}

/* The dashboard on standard output, the PDF, the workbook and the CSV files; returns an exit code. */
static int write_outputs(const dl_cohort *cohort, format fmt, const outputs *out)
{
	const char *pdf_path = out->pdf, *font = out->font;
	dl_error err;
	int rc = 0, exit_code = EXIT_OK;
	if (fmt == FORMAT_LAYOUT) {
		dl_report_options opts = DL_REPORT_OPTIONS_INIT;
		unsigned char *text = NULL;
		size_t len = 0;
		opts.format = DL_REPORT_TEXT;
		rc = dl_cohort_report(&text, &len, cohort, &opts, &err);
		if (rc == 0 && cli_write_file(stdout, (const char *)text, len) != 0)
			rc = DL_EIO;
		dl_report_free(text);
	} else {
		rc = fmt == FORMAT_CSV ? dl_cohort_write_table(cohort, out->table, out->csv, cli_write_file,
							       stdout)
		     : fmt == FORMAT_JSON ? dl_cohort_write_json(cohort, cli_write_file, stdout)
					  : dl_cohort_write_text(cohort, cli_write_file, stdout);
		if (rc < 0)
			snprintf(err.message, sizeof(err.message), "%s", _("writing standard output failed"));
	}
	if (fflush(stdout) != 0 && rc == 0)
		rc = DL_EIO;
	if (rc < 0) {
		cli_line(stderr, "digilevel: %s",
			 rc == DL_EIO ? _("writing standard output failed") : err.message);
		exit_code = EXIT_SYSTEM;
	}
	if (pdf_path) {
		dl_report_options opts = DL_REPORT_OPTIONS_INIT;
		unsigned char *pdf = NULL;
		size_t len = 0;
		opts.font_path = font;
		rc = dl_cohort_report(&pdf, &len, cohort, &opts, &err);
		if (rc < 0) {
			cli_line(stderr, _("digilevel: cannot make the PDF report: %s"), err.message);
			exit_code = rc == DL_EINVALID ? EXIT_INVALID : EXIT_SYSTEM;
		} else if (cli_write_output(pdf_path, pdf, len) != EXIT_OK) {
			exit_code = EXIT_SYSTEM;
		}
		dl_report_free(pdf);
	}
	int more = out->xlsx ? write_xlsx(cohort, out->xlsx) : EXIT_OK;
	if (more > exit_code)
		exit_code = more;
	more = out->csv_dir ? write_csv_dir(cohort, out) : EXIT_OK;
	if (more > exit_code)
		exit_code = more;
	return exit_code;
}

/* Whether name is a table of the dashboard. */
static bool known_table(const char *name)
{
	for (size_t i = 0; i < dl_cohort_table_count(); i++)
		if (strcmp(dl_cohort_table_id(i), name) == 0)
			return true;
	return false;
}

int cmd_cohort(int argc, char **argv)
{
	const char *targets_path = NULL, *pdf_path = NULL, *as_of = NULL, *rows_path = NULL;
	const char *table = NULL, *xlsx_path = NULL, *csv_dir = NULL;
	bool csv_excel = false;
	cli_option options[] = {{"targets", &targets_path, NULL, 0}, {"pdf", &pdf_path, NULL, 0},
				{"as-of", &as_of, NULL, 0},	      {"rows", &rows_path, NULL, 0},
				{"table", &table, NULL, 0},	      {"xlsx", &xlsx_path, NULL, 0},
				{"csv-dir", &csv_dir, NULL, 0},	      {"csv-excel", NULL, &csv_excel, 0}};
	const cli_command cmd = {USAGE, HELP, OPT_DIR | OPT_JOBS | OPT_POLICY | OPT_FONT | OPT_FOLLOW,
				 FORMATS, N_("--format takes text, csv, json or layout, not '%s'"), options, 8};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (!targets_path)
		return cli_usage_error(USAGE, "%s", _("--targets FILE is required"));
	if (n == 0)
		return cli_usage_error(USAGE, "%s", _("no input given"));
	if ((pdf_path && strcmp(pdf_path, "-") == 0) || (rows_path && strcmp(rows_path, "-") == 0))
		return cli_usage_error(USAGE, "%s", _("--pdf and --rows need a file: standard output is "
							"the dashboard's"));
	if (xlsx_path && (!xlsx_path[0] || strcmp(xlsx_path, "-") == 0))
		return cli_usage_error(USAGE, _("--xlsx needs a file name: a workbook is not written "
						"to standard output (-)"));
	if (csv_dir && (!csv_dir[0] || strcmp(csv_dir, "-") == 0))
		return cli_usage_error(USAGE, _("--csv-dir needs a directory"));
	if (table && a.format != FORMAT_CSV)
		return cli_usage_error(USAGE, _("--table is for --format csv (the workbook, --xlsx, has "
						"every table; --csv-dir writes every table)"));
	if (table && !known_table(table))
		return cli_usage_error(USAGE, _("--table takes summary, targets, industries, levels, "
						"transitions, share, subsidy, pipeline, milestones, roster, "
						"funds, providers, weak_scenarios or uplift, not '%s'"),
				       table);
	if (csv_excel && a.format != FORMAT_CSV && !csv_dir && !rows_path)
		return cli_usage_error(USAGE, _("--csv-excel is for a CSV: --format csv, --csv-dir or --rows"));
	static const char *const csv_names[] = {".csv", NULL};
	const cli_file files[] = {{N_("the targets"), targets_path, false, NULL},
				  {N_("the policy"), a.policy_path, false, NULL},
				  {N_("the font"), pdf_path ? cli_font_file(a.font) : NULL, false, NULL},
				  {"--pdf", pdf_path, true, NULL},
				  {"--rows", rows_path, true, NULL},
				  {"--xlsx", xlsx_path, true, NULL},
				  {"--csv-dir", csv_dir, true, csv_names}};
	dl_targets *t = NULL;
	run r = {NULL, NULL, 0};
	dl_batch *batch = NULL;
	dl_error err;
	int rc = 0, exit_code = cli_files_start(&a.files, USAGE, argv, n, files, 7);
	if (exit_code == EXIT_OK)
		exit_code = batch_output_in_input_dir(USAGE, "--xlsx", xlsx_path, argv, n);
	if (exit_code != EXIT_OK)
		goto done;
	if ((rc = load_inputs(targets_path, &a, &t)) < 0 ||
	    (exit_code = cli_files_add_questionnaire(a.files, USAGE, a.q)) != EXIT_OK)
		goto done;
	if ((rc = dl_cohort_new(&r.cohort, t, a.q, a.policy, &err)) < 0) {
		cli_print_error(&err);
		goto done;
	}
	if (as_of && (rc = dl_cohort_set_as_of(r.cohort, as_of, &err)) < 0) {
		exit_code = cli_usage_error(USAGE, "--as-of: %s", err.message +
					    (strncmp(err.message, "as-of date ", 11) == 0 ? 11 : 0));
		rc = 0;
		goto done;
	}
	batch_output_options ro = {.csv = rows_path, .csv_excel = csv_excel, .no_rows = !rows_path,
				   .command = "cohort"};
	if ((rc = dl_batch_cohort_new(&r.join, r.cohort, print_join_warning, NULL)) < 0)
		goto done;
	exit_code = batch_run(&batch, &ro, &a, USAGE, argv, n, r.join, add_row, &r);
	if (!batch) /* stopped before the rows: nothing is written */
		goto done;
	dl_load_options lo = cli_load_options(); /* payments refused: file:line:column each */
	if (dl_cohort_check_payments(r.cohort, &lo, &err) < 0)
		r.problems++;
	if (exit_code == EXIT_OK && r.problems)
		exit_code = EXIT_INVALID;
	const outputs out_files = {table ? table : "targets",
				   csv_excel ? DL_COHORT_CSV_EXCEL : DL_COHORT_CSV,
				   csv_dir, xlsx_path, pdf_path, a.font};
	int out = write_outputs(r.cohort, (format)a.format, &out_files);
	if (out > exit_code)
		exit_code = out;
done:
	dl_batch_free(batch);
	dl_batch_cohort_free(r.join);
	dl_cohort_free(r.cohort);
	dl_targets_free(t);
	return cli_end(&a, rc < 0 ? cli_exit_code(rc) : exit_code);
}
