/*
 * cmd_cohort.c: `digilevel cohort`: the pilot dashboard. Scores a whole cohort as `digilevel batch`
 * does (same inputs, same pairing by 统一社会信用代码, same verdicts under --policy), then counts every
 * target of the targets file that can be measured from the sheets, period by period, says which
 * cannot be and why, and breaks the cohort down by 细分行业, by level before and after, by the share
 * target per 细分行业 and by subsidy phase (docs/cohort.md).
 *
 * The dashboard goes to standard output as text, CSV, JSON or the PDF report's layout dump; --pdf
 * writes the PDF report through a temporary file renamed into place, so a failure leaves no file.
 * The per-enterprise rows behind the figures are written with --rows (as `batch --csv`), else to a
 * temporary file that is removed.
 */
#include "batch_commands.h"
#include "datadir.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char USAGE[] =
	"digilevel cohort --targets FILE [--policy FILE] [--format text|csv|json|layout]\n"
	"                        [--pdf FILE] [--font FILE] [--as-of DATE] [--rows FILE] [-j N]\n"
	"                        [--follow-symlinks] [--questionnaires DIR] PATH...";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Scores every sheet (files, directories, streams, or - for a list on stdin) and pairs\n"
	       "them by 统一社会信用代码 as `digilevel batch` does, then reports the pilot's progress\n"
	       "against the targets file: every measurable target period by period (目标, 完成, 完成率,\n"
	       "状态) with its counting rule, the targets that cannot be measured from sheets and why,\n"
	       "the 细分行业, the levels before and after, the share target per 细分行业 and, with\n"
	       "--policy, acceptance and subsidies by phase (" DL_DOCDIR "/docs/cohort.md).\n\n"
	       "--targets FILE   the targets (for 红寺堡区: " DL_DATADIR "/policies/hongsibu-2024-targets.xml)\n"
	       "--policy FILE    acceptance and subsidy rules; without it a retrofit counts as done\n"
	       "                 on its level alone and no subsidy is computed\n"
	       "--format F       text (default), csv, json, or layout (the PDF report's pages as text)\n"
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
	       "3 I/O error.\n",
	       USAGE);
}

typedef enum format { FORMAT_TEXT, FORMAT_CSV, FORMAT_JSON, FORMAT_LAYOUT } format;

static int parse_format(const char *text, format *out)
{
	static const char *const names[] = {"text", "csv", "json", "layout"};
	for (int i = 0; i < 4; i++)
		if (strcmp(text, names[i]) == 0) {
			*out = (format)i;
			return 0;
		}
	return -1;
}


/* --- the command ------------------------------------------------------------------------------- */

typedef struct run {
	batch_output *rows;
	dl_cohort *cohort;
	dl_batch_cohort *join; /* the rows into the cohort's entries (digilevel/batch.h) */
	unsigned long problems; /* enterprises that could not be added, each reported */
} run;

static void take(dl_batch *batch, dl_batch_sheet *s, void *userdata)
{
	run *r = userdata;
	dl_batch_cohort_note_sheet(r->join, s);
	batch_output_add(r->rows, batch, s); /* takes the sheet */
}

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
		cli_line(stderr, "digilevel: enterprise %s (%s) cannot be counted: %s", row->code,
			 row->name, rc == DL_ENOMEM ? "out of memory" : "a text or list is too long");
		r->problems++;
	} else if (dl_cohort_add(r->cohort, entry, &err) < 0) {
		cli_print_error(&err);
		r->problems++;
	}
}

/* Load the targets, the questionnaire they are counted in, and the policy; check them together. */
static int load_inputs(const char *targets_path, const char *policy_path, const char *dir,
		       dl_targets **t, dl_questionnaire **q, dl_policy **p)
{
	dl_load_options opts = cli_load_options();
	dl_error err;
	int rc = dl_targets_load(t, targets_path, &opts, NULL);
	if (rc < 0)
		return rc;
	rc = cli_questionnaire_for(q, dir, dl_targets_questionnaire_id(*t),
				   dl_targets_questionnaire_version(*t), &err);
	if (rc == DL_ENOTFOUND) {
		cli_line(stderr, "%s: the questionnaire the targets are counted in is not available: %s",
			 targets_path, err.message);
		return DL_EINVALID;
	}
	if (rc < 0)
		return rc;
	if ((rc = dl_targets_check(*t, *q, &opts, NULL)) < 0)
		return rc;
	if (policy_path) {
		if ((rc = dl_policy_load(p, policy_path, &opts, NULL)) < 0)
			return rc;
		if ((rc = dl_policy_check(*p, *q, &opts, NULL)) < 0)
			return rc;
	}
	return 0;
}

static int write_stdout(void *userdata, const char *data, size_t len)
{
	(void)userdata;
	return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

/* The dashboard on standard output and the PDF; returns an exit code. */
static int write_outputs(const dl_cohort *cohort, format fmt, const char *pdf_path, const char *font)
{
	dl_error err;
	int rc = 0, exit_code = EXIT_OK;
	if (fmt == FORMAT_LAYOUT) {
		dl_report_options opts = DL_REPORT_OPTIONS_INIT;
		unsigned char *text = NULL;
		size_t len = 0;
		opts.format = DL_REPORT_TEXT;
		rc = dl_cohort_report(&text, &len, cohort, &opts, &err);
		if (rc == 0 && write_stdout(NULL, (const char *)text, len) != 0)
			rc = DL_EIO;
		dl_report_free(text);
	} else {
		rc = fmt == FORMAT_CSV    ? dl_cohort_write_csv(cohort, write_stdout, NULL)
		     : fmt == FORMAT_JSON ? dl_cohort_write_json(cohort, write_stdout, NULL)
					  : dl_cohort_write_text(cohort, write_stdout, NULL);
		if (rc < 0)
			snprintf(err.message, sizeof(err.message), "writing standard output failed");
	}
	if (fflush(stdout) != 0 && rc == 0)
		rc = DL_EIO;
	if (rc < 0) {
		cli_line(stderr, "digilevel: %s", rc == DL_EIO ? "writing standard output failed" : err.message);
		exit_code = EXIT_SYSTEM;
	}
	if (pdf_path) {
		dl_report_options opts = DL_REPORT_OPTIONS_INIT;
		unsigned char *pdf = NULL;
		size_t len = 0;
		opts.font_path = font;
		rc = dl_cohort_report(&pdf, &len, cohort, &opts, &err);
		if (rc < 0) {
			cli_line(stderr, "digilevel: cannot make the PDF report: %s", err.message);
			exit_code = rc == DL_EINVALID ? EXIT_INVALID : EXIT_SYSTEM;
		} else if (cli_write_output(pdf_path, pdf, len) != EXIT_OK) {
			exit_code = EXIT_SYSTEM;
		}
		dl_report_free(pdf);
	}
	return exit_code;
}

int cmd_cohort(int argc, char **argv)
{
	const char *targets_path = NULL, *policy_path = NULL, *format_name = NULL, *pdf_path = NULL;
	const char *font = NULL, *as_of = NULL, *rows_path = NULL, *jobs = NULL, *dir = NULL;
	bool want_help = false, follow_symlinks = false;
	cli_option options[] = {{"targets", &targets_path, NULL}, {"policy", &policy_path, NULL},
				{"format", &format_name, NULL},   {"pdf", &pdf_path, NULL},
				{"font", &font, NULL},            {"as-of", &as_of, NULL},
				{"rows", &rows_path, NULL},       {"jobs", &jobs, NULL},
				{"questionnaires", &dir, NULL},   {"help", NULL, &want_help},
				{"follow-symlinks", NULL, &follow_symlinks}};
	int n = cli_parse(argc, argv, options, sizeof(options) / sizeof(options[0]), USAGE);
	if (n < 0)
		return EXIT_USAGE;
	if (want_help) {
		help();
		return EXIT_OK;
	}
	format fmt = FORMAT_TEXT;
	int threads = dl_batch_default_threads();
	if (format_name && parse_format(format_name, &fmt) != 0)
		return cli_usage_error(USAGE, "--format takes text, csv, json or layout, not '%s'", format_name);
	if (jobs && batch_parse_threads(jobs, &threads) != 0)
		return cli_usage_error(USAGE, "-j takes a number of threads from 1 to 256, not '%s'", jobs);
	if (!targets_path)
		return cli_usage_error(USAGE, "--targets FILE is required");
	if (n == 0)
		return cli_usage_error(USAGE, "no input given");
	if ((pdf_path && strcmp(pdf_path, "-") == 0) || (rows_path && strcmp(rows_path, "-") == 0))
		return cli_usage_error(USAGE, "--pdf and --rows need a file: standard output is the dashboard's");
	cli_files files = {0};
	int exit_code = EXIT_OK;
	for (int i = 0; exit_code == EXIT_OK && i < n; i++)
		exit_code = cli_files_add(&files, "the input", argv[i], false);
	if (exit_code == EXIT_OK)
		exit_code = cli_files_add(&files, "the targets", targets_path, false);
	if (exit_code == EXIT_OK)
		exit_code = cli_files_add(&files, "the policy", policy_path, false);
	if (exit_code == EXIT_OK)
		exit_code = cli_files_add(&files, "the font", pdf_path ? (font ? font : getenv("DIGILEVEL_FONT")) : NULL, false);
	if (exit_code == EXIT_OK)
		exit_code = cli_files_add(&files, "--pdf", pdf_path, true);
	if (exit_code == EXIT_OK)
		exit_code = cli_files_add(&files, "--rows", rows_path, true);
	if (exit_code == EXIT_OK)
		exit_code = cli_files_check(&files, USAGE);
	if (exit_code != EXIT_OK) {
		cli_files_free(&files);
		return exit_code;
	}

	dl_targets *t = NULL;
	dl_questionnaire *q = NULL;
	dl_policy *policy = NULL;
	dl_cohort *cohort = NULL;
	dl_batch_cohort *join = NULL;
	batch_output *rows = NULL;
	dl_batch *batch = NULL;
	dl_error err;
	const char *questionnaire = NULL;
	const cli_file *clash = NULL;
	int rc = load_inputs(targets_path, policy_path, dir, &t, &q, &policy);
	if (rc < 0)
		goto done;
	if ((exit_code = cli_files_add(&files, "the questionnaire", dl_questionnaire_path(q), false)) != EXIT_OK ||
	    (exit_code = cli_files_check(&files, USAGE)) != EXIT_OK)
		goto done;
	if ((rc = dl_cohort_new(&cohort, t, q, policy, &err)) < 0) {
		cli_print_error(&err);
		goto done;
	}
	if (as_of && (rc = dl_cohort_set_as_of(cohort, as_of, &err)) < 0) {
		exit_code = cli_usage_error(USAGE, "--as-of: %s", err.message + (strncmp(err.message, "as-of date ", 11) == 0 ? 11 : 0));
		rc = 0;
		goto done;
	}
	batch_output_options ro = {.csv = rows_path,
				   .no_rows = !rows_path,
				   .policy = policy != NULL,
				   .command = "cohort"};
	if ((rc = dl_batch_cohort_new(&join, cohort, print_join_warning, NULL)) < 0 ||
	    (rc = batch_output_open(&rows, &ro)) < 0)
		goto done;
	dl_batch_options bo = DL_BATCH_OPTIONS_INIT;
	bo.threads = threads;
	bo.policy = policy;
	bo.questionnaire = batch_find_questionnaire;
	bo.questionnaire_data = (void *)dir;
	batch_output_batch_options(rows, &bo);
	if ((rc = dl_batch_new(&batch, &bo, NULL)) < 0) {
		fprintf(stderr, "digilevel: cannot start %d worker threads\n", threads);
		goto done;
	}
	run r = {rows, cohort, join, 0};
	unsigned long broken_streams = 0;
	batch_input_options io = {follow_symlinks, &files};
	if ((rc = batch_run_inputs(batch, argv, n, &io, take, &r, &broken_streams)) < 0) {
		if (rc == DL_EMISMATCH) {
			exit_code = EXIT_USAGE;
			rc = 0;
		}
		goto done;
	}
	if ((clash = batch_questionnaire_output(batch, &files, &questionnaire)) != NULL) {
		exit_code = cli_usage_error(USAGE, "%s '%s' is the questionnaire '%s': an output never "
					    "replaces an input; write it to another file",
					    clash->role, clash->path, questionnaire);
		goto done;
	}
	exit_code = batch_output_close(rows, batch, broken_streams, add_row, &r);
	rows = NULL;
	if (exit_code == EXIT_OK && r.problems)
		exit_code = EXIT_INVALID;
	int out = write_outputs(cohort, fmt, pdf_path, font);
	if (out > exit_code)
		exit_code = out;
done:
	batch_output_discard(rows);
	dl_batch_free(batch);
	dl_batch_cohort_free(join);
	dl_cohort_free(cohort);
	dl_policy_free(policy);
	dl_questionnaire_free(q);
	dl_targets_free(t);
	cli_files_free(&files);
	return rc < 0 ? cli_exit_code(rc) : exit_code;
}
