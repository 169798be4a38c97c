/*
 * cmd_score.c: `digilevel score SHEET`: the level, why, and what is missing for the next level.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
	"digilevel score [--format text|json] [--target LEVEL] [--questionnaires DIR] SHEET";

int cmd_score(int argc, char **argv)
{
	const char *format = NULL, *target = NULL, *dir = NULL;
	bool help = false;
	cli_option options[] = {{"format", &format, NULL},
				{"target", &target, NULL},
				{"questionnaires", &dir, NULL},
				{"help", NULL, &help}};
	int n = cli_parse(argc, argv, options, 4, USAGE);
	if (n < 0)
		return EXIT_USAGE;
	if (help) {
		printf("usage: %s\n\nScores SHEET against the questionnaire it names and prints the level, "
		       "every\ncondition of every level with its numbers, and the fewest changes that "
		       "reach the\nnext level (and --target LEVEL, 1-4, if given).\n", USAGE);
		return EXIT_OK;
	}
	bool format_ok;
	bool json = cli_format_is_json(format, &format_ok);
	if (!format_ok)
		return cli_usage_error(USAGE, "--format must be text or json, not '%s'", format);
	long target_level = -1;
	if (target) {
		char *end;
		target_level = strtol(target, &end, 10);
		if (*end || end == target || target_level < 0 || target_level > 9)
			return cli_usage_error(USAGE, "--target must be a level number such as 3, not '%s'",
					       target);
	}
	if (n != 1)
		return cli_usage_error(USAGE, n ? "give exactly one sheet" : "no sheet given");

	dl_sheet *s = NULL;
	dl_questionnaire *q = NULL;
	dl_result *r = NULL;
	dl_plan *plan = NULL;
	dl_load_options opts = cli_load_options();
	dl_error err;
	int rc = cli_load_sheet(argv[0], dir, &s, &q);
	if (rc < 0)
		goto done;
	if (target_level >= 0 && dl_questionnaire_grade_find(q, (int)target_level) == DL_NONE) {
		cli_usage_error(USAGE, "--target %ld: questionnaire %s %s has no grade for level %ld",
				target_level, dl_questionnaire_id(q), dl_questionnaire_version(q),
				target_level);
		dl_questionnaire_free(q);
		dl_sheet_free(s);
		return EXIT_USAGE;
	}
	rc = dl_score(&r, q, s, &opts, NULL);
	if (rc < 0)
		goto done;
	if (target_level >= 0) {
		rc = dl_plan_make(&plan, r, (int)target_level, &err);
		if (rc < 0) {
			cli_print_error(&err);
			goto done;
		}
	}
	rc = json ? dl_result_write_json(r, s, plan, cli_write_file, stdout)
		  : dl_result_write_text(r, s, plan, cli_write_file, stdout);
	rc = cli_finish_stdout(rc);
done:
	dl_plan_free(plan);
	dl_result_free(r);
	dl_questionnaire_free(q);
	dl_sheet_free(s);
	return cli_exit_code(rc);
}
