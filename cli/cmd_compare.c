/*
 * cmd_compare.c: `digilevel compare BEFORE AFTER`: the sheets before and after a retrofit side by
 * side, and with --policy FILE the acceptance verdict and the subsidy by that city's rules.
 *
 * The two sheets are checked to belong together (one enterprise, one edition) before any
 * questionnaire is looked for, so that a mix-up is reported as such and not as a missing edition.
 */
#include "cli.h"
#include "datadir.h"

#include <string.h>

static const char USAGE[] = "digilevel compare [--format text|json] [--policy FILE] "
			    "[--questionnaires DIR] BEFORE AFTER";

int cmd_compare(int argc, char **argv)
{
	const char *format = NULL, *policy_path = NULL, *dir = NULL;
	bool help = false;
	cli_option options[] = {{"format", &format, NULL},
				{"policy", &policy_path, NULL},
				{"questionnaires", &dir, NULL},
				{"help", NULL, &help}};
	int n = cli_parse(argc, argv, options, 4, USAGE);
	if (n < 0)
		return EXIT_USAGE;
	if (help) {
		printf("usage: %s\n\nCompares the sheet made BEFORE the retrofit (a diagnosis) with the one "
		       "made AFTER it\n(an evaluation): the level, every score and every scenario before "
		       "and after.\nWith --policy FILE (see " DL_DATADIR "/policies/) it also decides acceptance "
		       "(通过/不通过) with\nevery reason, the eligible investment, the phase and the "
		       "subsidy, step by step.\nThe AFTER sheet then needs its <retrofit> block.\n",
		       USAGE);
		return EXIT_OK;
	}
	bool format_ok;
	bool json = cli_format_is_json(format, &format_ok);
	if (!format_ok)
		return cli_usage_error(USAGE, "--format must be text or json, not '%s'", format);
	if (n != 2)
		return cli_usage_error(USAGE, n < 2 ? "give the sheet before and the sheet after the "
						      "retrofit"
						    : "give exactly two sheets");

	dl_sheet *before = NULL, *after = NULL;
	dl_policy *policy = NULL;
	dl_questionnaire *q = NULL;
	dl_comparison *c = NULL;
	dl_load_options opts = cli_load_options();
	dl_error err;
	/* Load all three even when one fails, so that every problem is reported at once. */
	int rc = dl_sheet_load(&before, argv[0], &opts, NULL);
	int rc_after = dl_sheet_load(&after, argv[1], &opts, NULL);
	int rc_policy = policy_path ? dl_policy_load(&policy, policy_path, &opts, NULL) : 0;
	if (rc == 0)
		rc = rc_after;
	if (rc == 0)
		rc = rc_policy;
	if (rc < 0)
		goto done;
	rc = dl_compare_check(before, after, &opts, NULL);
	if (rc < 0)
		goto done;
	rc = cli_questionnaire_for(&q, dir, dl_sheet_questionnaire_id(after),
				   dl_sheet_questionnaire_version(after), &err);
	if (rc < 0) {
		if (rc == DL_ENOTFOUND) {
			char line[DL_ERROR_FORMAT_MAX];
			dl_error_format(&err, line, sizeof(line));
			cli_line(stderr, "%s: %s", argv[1], line);
			rc = DL_EINVALID; /* the sheet names a questionnaire not at hand, as for score */
		}
		goto done;
	}
	rc = dl_compare(&c, q, before, after, policy, &opts, NULL);
	if (rc < 0)
		goto done;
	rc = json ? dl_comparison_write_json(c, cli_write_file, stdout)
		  : dl_comparison_write_text(c, cli_write_file, stdout);
	if (rc == 0 && fflush(stdout) != 0)
		rc = DL_EIO;
	if (rc < 0)
		fprintf(stderr, "digilevel: cannot write the comparison to standard output\n");
done:
	dl_comparison_free(c);
	dl_questionnaire_free(q);
	dl_policy_free(policy);
	dl_sheet_free(after);
	dl_sheet_free(before);
	return cli_exit_code(rc);
}
