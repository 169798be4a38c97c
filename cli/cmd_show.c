/*
 * cmd_show.c: `digilevel show Q` and `digilevel template Q`: a questionnaire for people or tools,
 * and a blank answer sheet to fill in.
 */
#include "cli.h"

static const char SHOW_USAGE[] = "digilevel show [--format text|json] [--questionnaires DIR] QUESTIONNAIRE";
static const char SHOW_HELP[] =
	"usage: %s\n\nQUESTIONNAIRE is a file, or an id such as miit-2024 (id:version also works)\n"
	"found in the questionnaire search path.\n";
static const char *const FORMATS[] = {"text", "json", NULL};
static const char TEMPLATE_USAGE[] =
	"digilevel template [--phase diagnosis|evaluation|self-check] [--questionnaires DIR] QUESTIONNAIRE";
static const char TEMPLATE_HELP[] =
	"usage: %s > sheet.xml\n\nWrites a blank answer sheet with every question's options and every "
	"scenario's\nlevel texts as comments beside the place to answer.\n";

int cmd_show(int argc, char **argv)
{
	const cli_command cmd = {SHOW_USAGE, SHOW_HELP, OPT_DIR, FORMATS,
				 "--format must be text or json, not '%s'", NULL, 0};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (n != 1)
		return cli_usage_error(SHOW_USAGE, "give exactly one questionnaire");
	int rc = cli_questionnaire_named(&a.q, a.dir, argv[0]);
	if (rc == 0)
		rc = cli_finish_stdout(a.format == 1 ? dl_questionnaire_write_json(a.q, cli_write_file, stdout)
						     : dl_questionnaire_write_text(a.q, cli_write_file, stdout));
	return cli_end(&a, cli_exit_code(rc));
}

int cmd_template(int argc, char **argv)
{
	const char *phase = "diagnosis";
	cli_option options[] = {{"phase", &phase, NULL, 0}};
	const cli_command cmd = {TEMPLATE_USAGE, TEMPLATE_HELP, OPT_DIR, NULL, NULL, options, 1};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (n != 1)
		return cli_usage_error(TEMPLATE_USAGE, "give exactly one questionnaire");
	int rc = cli_questionnaire_named(&a.q, a.dir, argv[0]);
	if (rc == 0 && (rc = dl_questionnaire_write_template(a.q, phase, cli_write_file, stdout)) ==
			   DL_EINVALID)
		return cli_end(&a, cli_usage_error(TEMPLATE_USAGE, "unknown phase '%s'", phase));
	if (a.q) /* loaded: the template was written (or failed to be) */
		rc = cli_finish_stdout(rc);
	return cli_end(&a, cli_exit_code(rc));
}
