/*
 * cmd_compare.c: `digilevel compare BEFORE AFTER`: the sheets before and after a retrofit side by
 * side, and with --policy FILE the acceptance verdict and the subsidy by that city's rules.
 *
 * The two sheets are checked to belong together (one enterprise, one edition) before any
 * questionnaire is looked for, so that a mix-up is reported as such and not as a missing edition.
 */
#include "cli.h"

static const char USAGE[] = N_("digilevel compare [--format text|json] [--policy FILE] "
			       "[--questionnaires DIR] BEFORE AFTER");
static const char HELP[] =
	N_("usage: %s\n\nCompares the sheet made BEFORE the retrofit (a diagnosis) with the one made AFTER "
	   "it\n(an evaluation): the level, every score and every scenario before and after.\nWith "
	   "--policy FILE (see %s/policies/) it also decides acceptance (通过/不通过) with\n"
	   "every reason, the eligible investment, the phase and the subsidy, step by step.\nThe AFTER "
	   "sheet then needs its <retrofit> block.\n");
static const char *const FORMATS[] = {"text", "json", NULL};

int cmd_compare(int argc, char **argv)
{
	const cli_command cmd = {USAGE, HELP, OPT_DIR | OPT_POLICY, FORMATS,
				 N_("--format must be text or json, not '%s'"), NULL, 0};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (n != 2)
		return cli_usage_error(USAGE, n < 2 ? _("give the sheet before and the sheet after the "
							"retrofit")
						    : _("give exactly two sheets"));
	int rc = cli_load_pair(argv, &a);
	if (rc == 0) {
		rc = a.format == 1 ? dl_comparison_write_json(a.comparison, cli_write_file, stdout)
				   : dl_comparison_write_text(a.comparison, cli_write_file, stdout);
		if (rc == 0 && fflush(stdout) != 0)
			rc = DL_EIO;
		if (rc < 0)
			fputs(_("digilevel: cannot write the comparison to standard output\n"), stderr);
	}
	return cli_end(&a, cli_exit_code(rc));
}
