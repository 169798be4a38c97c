/*
 * cmd_score.c: `digilevel score SHEET`: the level, why, and what is missing for the next level.
 * With --partial, a sheet that is only partly filled gets a provisional score (docs/scoring.md).
 */
#include "cli.h"

static const char USAGE[] = N_("digilevel score [--format text|json] [--target LEVEL] [--partial] "
			       "[--questionnaires DIR] SHEET");
static const char HELP[] =
	N_("usage: %s\n\nScores SHEET against the questionnaire it names and prints the level, every\n"
	   "condition of every level with its numbers, and the fewest changes that reach the\n"
	   "next level (and --target LEVEL, 1-4, if given).\n\n"
	   "--partial  score a partly filled sheet: what is not answered yet (a question, a\n"
	   "           scenario's level, a figure a question is worked out from) counts as\n"
	   "           nothing, is listed, and the level is provisional (a draft). Without it\n"
	   "           such a sheet is refused.\n");
static const char *const FORMATS[] = {"text", "json", NULL};

int cmd_score(int argc, char **argv)
{
	bool partial = false;
	cli_option options[] = {{"partial", NULL, &partial, 0}};
	const cli_command cmd = {USAGE, HELP, OPT_DIR | OPT_TARGET, FORMATS,
				 N_("--format must be text or json, not '%s'"), options, 1};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (n != 1)
		return cli_usage_error(USAGE, "%s", n ? _("give exactly one sheet") : _("no sheet given"));

	dl_plan *plan = NULL;
	dl_load_options opts = cli_load_options();
	dl_score_options so = DL_SCORE_OPTIONS_INIT;
	so.partial = partial;
	dl_error err;
	int status = EXIT_OK, rc = cli_load_sheet(argv[0], a.dir, &a.sheet, &a.q);
	if (rc < 0 || (status = cli_check_target(USAGE, a.q, a.target)) != EXIT_OK)
		goto done;
	if ((rc = dl_score_with(&a.result, a.q, a.sheet, &opts, &so, NULL)) < 0) {
		/* refused only for what is not filled in yet: say how to get a provisional score */
		dl_score_options quiet = {DL_SCORE_OPTIONS_VERSION, true, false};
		dl_result *draft = NULL;
		if (rc == DL_EINVALID && !partial &&
		    dl_score_with(&draft, a.q, a.sheet, NULL, &quiet, NULL) == 0)
			fputs(_("digilevel: the sheet is not complete; 'digilevel score --partial' gives a "
				"provisional level\n"), stderr);
		dl_result_free(draft);
		goto done;
	}
	if (a.target >= 0 && (rc = dl_plan_make(&plan, a.result, a.target, &err)) < 0) {
		cli_print_error(&err);
		goto done;
	}
	rc = a.format == 1 ? dl_result_write_json(a.result, a.sheet, plan, cli_write_file, stdout)
			   : dl_result_write_text(a.result, a.sheet, plan, cli_write_file, stdout);
	rc = cli_finish_stdout(rc);
done:
	dl_plan_free(plan);
	return cli_end(&a, rc < 0 ? cli_exit_code(rc) : status);
}
