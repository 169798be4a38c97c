/*
 * cmd_batch.c: `digilevel batch`: score a whole cohort, pair each enterprise's diagnosis with its
 * evaluation by 统一社会信用代码, decide acceptance and subsidy under a policy, and write one row per
 * enterprise as CSV (for programs, or --csv-excel for a spreadsheet), JSON Lines and/or an Excel
 * workbook (--xlsx).
 *
 * Inputs are sheet files (XML, or filled workbooks), directories of them, stream files holding many sheets (<answer-sheets>),
 * or "-" for a list of paths on standard input, read into a dl_batch by the library
 * (digilevel/batch_paths.h), which scores them and hands them back in input order, so the rows come
 * out the same whatever -j says. A bad sheet is reported with its file:line:column and the batch
 * goes on.
 *
 * Memory: each enterprise's diagnosis and evaluation that stand are kept until the end, where the
 * pairs are compared (and, with --reports, rendered; with --archive, every enterprise's folder
 * written: docs/batch.md) on all cores. With --per-sheet nothing is
 * kept: one row per sheet, constant memory whatever the number of sheets (docs/batch.md).
 */
#include "cli.h"

#include <string.h>

static const char USAGE[] =
	N_("digilevel batch [--policy FILE] [--csv FILE] [--csv-excel] [--jsonl FILE] [--xlsx FILE]\n"
	   "                       [--reports DIR] [--archive DIR] [--font FILE] [--per-sheet]\n"
	   "                       [--follow-symlinks] [-j N] [--questionnaires DIR]\n"
	   "                       PATH... (a file, a directory, a stream, or - for a list on stdin)");

static const char HELP[] =
	N_("usage: %s\n\nScores every sheet, pairs each enterprise's diagnosis and evaluation by its\n"
	   "统一社会信用代码 and writes one row per enterprise (docs/batch.md).\n"
	   "Without --csv, --jsonl or --xlsx the CSV goes to standard output. --csv-excel writes\n"
	   "the CSV for a spreadsheet (a UTF-8 byte order mark, Chinese headers, text such as\n"
	   "a period kept text); --xlsx FILE writes the rows as an Excel workbook (numbers,\n"
	   "dates, frozen and filtered header; docs/spreadsheets.md). With --reports DIR each enterprise's\n"
	   "数字化诊断报告 (DIR/CODE-diagnostic.pdf), 数字化改造方案 (DIR/CODE-plan.pdf) and, when\n"
	   "its pair is compared under --policy, its 验收意见 (DIR/CODE-acceptance.pdf) are\n"
	   "written too. With --archive DIR each enterprise gets a folder DIR/CODE-NAME\n"
	   "(一企一档): every sheet of it as scored, its reports, the comparison\n"
	   "(comparison.json), under --policy the materials checklist (materials.csv), an\n"
	   "index (index.txt) and MANIFEST.sha256 for `sha256sum -c`; a folder holding a file\n"
	   "the archive did not write is left alone.\n"
	   "-j N sets the number of worker threads (default: one per core). A directory's\n"
	   "*.xml and *.xlsx files are read, each file and directory once; symbolic links to\n"
	   "directories inside it are followed only with --follow-symlinks.\n");

/* The archive directory is written as a whole: no input and no other output may lie inside it. */
static int archive_guard(dl_file_guard *g, const char *dir)
{
	char message[8192];
	if (dl_file_guard_add_output_tree(g, "--archive", dir) != 0) {
		fputs(_("digilevel: out of memory\n"), stderr);
		return EXIT_SYSTEM;
	}
	return dl_file_guard_check(g, message, sizeof(message)) == 0
		   ? EXIT_OK
		   : cli_usage_error(USAGE, "%s", message);
}

int cmd_batch(int argc, char **argv)
{
	const char *csv_path = NULL, *jsonl_path = NULL, *reports_dir = NULL, *archive_dir = NULL;
	const char *xlsx_path = NULL;
	bool per_sheet = false, csv_excel = false;
	cli_option options[] = {{"csv", &csv_path, NULL, 0},	      {"jsonl", &jsonl_path, NULL, 0},
				{"per-sheet", NULL, &per_sheet, 0}, {"reports", &reports_dir, NULL, 0},
				{"archive", &archive_dir, NULL, 0}, {"xlsx", &xlsx_path, NULL, 0},
				{"csv-excel", NULL, &csv_excel, 0}};
	const cli_command cmd = {USAGE, HELP, OPT_DIR | OPT_JOBS | OPT_POLICY | OPT_FONT | OPT_FOLLOW,
				 NULL, NULL, options, 7};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (n == 0)
		return cli_usage_error(USAGE, "%s", _("no input given"));
	if (csv_path && jsonl_path && strcmp(csv_path, "-") == 0 && strcmp(jsonl_path, "-") == 0)
		return cli_usage_error(USAGE, "%s", _("--csv and --jsonl cannot both be standard output (-)"));
	if (xlsx_path && (!xlsx_path[0] || strcmp(xlsx_path, "-") == 0))
		return cli_usage_error(USAGE, _("--xlsx needs a file name: a workbook is not written "
						"to standard output (-)"));
	if (csv_excel && !csv_path && (jsonl_path || xlsx_path))
		return cli_usage_error(USAGE, _("--csv-excel is for the CSV: give --csv FILE (or - for "
						"standard output)"));
	if (reports_dir && per_sheet)
		return cli_usage_error(USAGE, "%s", _("--reports needs the pairing: not with --per-sheet"));
	if (archive_dir && per_sheet)
		return cli_usage_error(USAGE, "%s", _("--archive needs the pairing: not with --per-sheet"));
	if (archive_dir && !archive_dir[0])
		return cli_usage_error(USAGE, "%s", _("--archive needs a directory"));
	if (a.font && !reports_dir && !archive_dir)
		return cli_usage_error(USAGE, "%s", _("--font is for --reports DIR and --archive DIR"));
	static const char *const report_names[] = {"-diagnostic.pdf", "-plan.pdf", "-acceptance.pdf", NULL};
	const cli_file files[] = {{N_("the policy"), a.policy_path, false, NULL},
				  {N_("the font"), reports_dir || archive_dir ? cli_font_file(a.font) : NULL, false,
				   NULL},
				  {"--csv", csv_path, true, NULL},
				  {"--jsonl", jsonl_path, true, NULL},
				  {"--reports", reports_dir, true, report_names},
				  {"--xlsx", xlsx_path, true, NULL}};
	dl_batch *batch = NULL;
	int rc = cli_files_start(&a.files, USAGE, argv, n, files, 6);
	if (rc == EXIT_OK)
		rc = batch_output_in_input_dir(USAGE, "--xlsx", xlsx_path, argv, n);
	if (rc == EXIT_OK && archive_dir)
		rc = archive_guard(a.files, archive_dir);
	if (rc != EXIT_OK)
		return cli_end(&a, rc);
	dl_load_options opts = cli_load_options();
	if (a.policy_path &&
	    (rc = cli_exit_code(dl_policy_load(&a.policy, a.policy_path, &opts, NULL))) != EXIT_OK)
		return cli_end(&a, rc);
	batch_output_options ro = {.csv = csv_path, .jsonl = jsonl_path, .xlsx = xlsx_path,
				   .csv_excel = csv_excel, .per_sheet = per_sheet,
				   .reports_dir = reports_dir, .archive_dir = archive_dir,
				   .command = "batch"};
	rc = batch_run(&batch, &ro, &a, USAGE, argv, n, NULL, NULL, NULL);
	dl_batch_free(batch);
	return cli_end(&a, rc);
}
