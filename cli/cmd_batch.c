/*
 * cmd_batch.c: `digilevel batch`: score a whole cohort, pair each enterprise's diagnosis with its
 * evaluation by 统一社会信用代码, decide acceptance and subsidy under a policy, and write one row per
 * enterprise as CSV and/or JSON Lines.
 *
 * Inputs are sheet files, directories of them, stream files holding many sheets (<answer-sheets>),
 * or "-" for a list of paths on standard input, read by batch_run_inputs (batch_inputs.c) into a
 * dl_batch, which scores them and hands them back in input order, so the rows come out the same
 * whatever -j says. A bad sheet is reported with its file:line:column and the batch goes on.
 *
 * Memory: each enterprise's diagnosis and evaluation that stand are kept until the end, where the
 * pairs are compared (and, with --reports, rendered) on all cores. With --per-sheet nothing is kept: one row per sheet, constant memory
 * whatever the number of sheets (docs/batch.md).
 */
#include "batch_commands.h"
#include "datadir.h"

#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
	"digilevel batch [--policy FILE] [--csv FILE] [--jsonl FILE] [--reports DIR [--font FILE]]\n"
	"                       [--per-sheet] [--follow-symlinks] [-j N] [--questionnaires DIR]\n"
	"                       PATH... (a file, a directory, a stream, or - for a list on stdin)";

static void take_row(dl_batch *batch, dl_batch_sheet *s, void *userdata)
{
	batch_output_add(userdata, batch, s); /* takes the sheet */
}

int cmd_batch(int argc, char **argv)
{
	const char *policy_path = NULL, *csv_path = NULL, *jsonl_path = NULL, *dir = NULL, *jobs = NULL;
	const char *reports_dir = NULL, *font = NULL;
	bool per_sheet = false, help = false, follow_symlinks = false;
	cli_option options[] = {{"policy", &policy_path, NULL},   {"csv", &csv_path, NULL},
				{"jsonl", &jsonl_path, NULL},     {"jobs", &jobs, NULL},
				{"questionnaires", &dir, NULL},   {"per-sheet", NULL, &per_sheet},
				{"reports", &reports_dir, NULL},  {"font", &font, NULL},
				{"follow-symlinks", NULL, &follow_symlinks},
				{"help", NULL, &help}};
	int n = cli_parse(argc, argv, options, sizeof(options) / sizeof(options[0]), USAGE);
	if (n < 0)
		return EXIT_USAGE;
	if (help) {
		printf("usage: %s\n\nScores every sheet, pairs each enterprise's diagnosis and evaluation by its\n"
		       "统一社会信用代码 and writes one row per enterprise (" DL_DOCDIR "/docs/batch.md).\n"
		       "Without --csv or --jsonl the CSV goes to standard output. With --reports DIR each enterprise's\n"
		       "数字化诊断报告 (DIR/CODE-diagnostic.pdf) and, when its pair is compared under\n"
		       "--policy, its 验收意见 (DIR/CODE-acceptance.pdf) are written too. -j N sets the\n"
		       "number of worker threads (default: one per core). A directory's *.xml files are\n"
		       "read, each file and directory once; symbolic links to directories inside it are\n"
		       "followed only with --follow-symlinks.\n", USAGE);
		return EXIT_OK;
	}
	int threads = dl_batch_default_threads();
	if (jobs && batch_parse_threads(jobs, &threads) != 0)
		return cli_usage_error(USAGE, "-j takes a number of threads from 1 to 256, not '%s'", jobs);
	if (n == 0)
		return cli_usage_error(USAGE, "no input given");
	if (csv_path && jsonl_path && strcmp(csv_path, "-") == 0 && strcmp(jsonl_path, "-") == 0)
		return cli_usage_error(USAGE, "--csv and --jsonl cannot both be standard output (-)");
	if (reports_dir && per_sheet)
		return cli_usage_error(USAGE, "--reports needs the pairing: not with --per-sheet");
	if (font && !reports_dir)
		return cli_usage_error(USAGE, "--font is for --reports DIR");
	cli_files files = {0};
	int rc = 0;
	for (int i = 0; rc == EXIT_OK && i < n; i++)
		rc = cli_files_add(&files, "the input", argv[i], false);
	if (rc == EXIT_OK)
		rc = cli_files_add(&files, "the policy", policy_path, false);
	if (rc == EXIT_OK)
		rc = cli_files_add(&files, "the font", reports_dir ? (font ? font : getenv("DIGILEVEL_FONT")) : NULL, false);
	if (rc == EXIT_OK)
		rc = cli_files_add(&files, "--csv", csv_path, true);
	if (rc == EXIT_OK)
		rc = cli_files_add(&files, "--jsonl", jsonl_path, true);
	static const char *const report_names[] = {"-diagnostic.pdf", "-acceptance.pdf", NULL};
	if (rc == EXIT_OK)
		rc = cli_files_add_output_dir(&files, "--reports", reports_dir, report_names);
	if (rc == EXIT_OK)
		rc = cli_files_check(&files, USAGE);
	if (rc != EXIT_OK) {
		cli_files_free(&files);
		return rc;
	}

	dl_policy *policy = NULL;
	batch_output *rows = NULL;
	dl_batch *batch = NULL;
	const char *questionnaire = NULL;
	const cli_file *clash = NULL;
	if (policy_path) {
		dl_load_options opts = cli_load_options();
		rc = dl_policy_load(&policy, policy_path, &opts, NULL);
		if (rc < 0)
			goto done;
	}
	batch_output_options ro = {.csv = csv_path,
				   .jsonl = jsonl_path,
				   .per_sheet = per_sheet,
				   .policy = policy != NULL,
				   .reports_dir = reports_dir,
				   .command = "batch"};
	rc = batch_output_open(&rows, &ro);
	if (rc < 0)
		goto done;
	dl_batch_options bo = DL_BATCH_OPTIONS_INIT;
	bo.threads = threads;
	bo.policy = policy;
	bo.questionnaire = batch_find_questionnaire;
	bo.questionnaire_data = (void *)dir;
	bo.font_path = font;
	batch_output_batch_options(rows, &bo);
	rc = dl_batch_new(&batch, &bo, NULL);
	if (rc < 0) {
		fprintf(stderr, "digilevel: cannot start %d worker threads\n", threads);
		goto done;
	}
	unsigned long broken_streams = 0;
	batch_input_options io = {follow_symlinks, &files};
	rc = batch_run_inputs(batch, argv, n, &io, take_row, rows, &broken_streams);
	if (rc < 0)
		goto done;
	if ((clash = batch_questionnaire_output(batch, &files, &questionnaire)) != NULL) {
		rc = cli_usage_error(USAGE, "%s '%s' is the questionnaire '%s': an output never replaces an "
				     "input; write it to another file", clash->role, clash->path, questionnaire);
		goto done;
	}
	rc = batch_output_close(rows, batch, broken_streams, NULL, NULL);
	rows = NULL;
done:
	batch_output_discard(rows);
	dl_batch_free(batch);
	dl_policy_free(policy);
	cli_files_free(&files);
	return rc > 0 ? rc : rc == DL_EMISMATCH ? EXIT_USAGE : cli_exit_code(rc);
}
