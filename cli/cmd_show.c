/*
 * cmd_show.c: `digilevel show Q` and `digilevel template Q`: a questionnaire for people or tools,
 * and a blank answer sheet to fill in.
 */
#include "cli.h"

static const char SHOW_USAGE[] = "digilevel show [--format text|json] [--questionnaires DIR] QUESTIONNAIRE";
static const char TEMPLATE_USAGE[] =
	"digilevel template [--phase diagnosis|evaluation|self-check] [--questionnaires DIR] QUESTIONNAIRE";

int cmd_show(int argc, char **argv)
{
	const char *format = NULL, *dir = NULL;
	bool help = false;
	cli_option options[] = {{"format", &format, NULL}, {"questionnaires", &dir, NULL}, {"help", NULL, &help}};
	int n = cli_parse(argc, argv, options, 3, SHOW_USAGE);
	if (n < 0)
		return EXIT_USAGE;
	if (help) {
		printf("usage: %s\n\nQUESTIONNAIRE is a file, or an id such as miit-2024 (id:version also works)\n"
		       "found in the questionnaire search path.\n", SHOW_USAGE);
		return EXIT_OK;
	}
	bool ok;
	bool json = cli_format_is_json(format, &ok);
	if (!ok)
		return cli_usage_error(SHOW_USAGE, "--format must be text or json, not '%s'", format);
	if (n != 1)
		return cli_usage_error(SHOW_USAGE, "give exactly one questionnaire");
	dl_questionnaire *q = NULL;
	dl_error err;
	int rc = cli_questionnaire_named(&q, dir, argv[0], &err);
	if (rc == 0) {
		rc = json ? dl_questionnaire_write_json(q, cli_write_file, stdout)
			  : dl_questionnaire_write_text(q, cli_write_file, stdout);
		rc = cli_finish_stdout(rc);
	}
	dl_questionnaire_free(q);
	return cli_exit_code(rc);
}

int cmd_template(int argc, char **argv)
{
	const char *phase = "diagnosis", *dir = NULL;
	bool help = false;
	cli_option options[] = {{"phase", &phase, NULL}, {"questionnaires", &dir, NULL}, {"help", NULL, &help}};
	int n = cli_parse(argc, argv, options, 3, TEMPLATE_USAGE);
	if (n < 0)
		return EXIT_USAGE;
	if (help) {
		printf("usage: %s > sheet.xml\n\nWrites a blank answer sheet with every question's options "
		       "and every scenario's\nlevel texts as comments beside the place to answer.\n",
		       TEMPLATE_USAGE);
		return EXIT_OK;
	}
	if (n != 1)
		return cli_usage_error(TEMPLATE_USAGE, "give exactly one questionnaire");
	dl_questionnaire *q = NULL;
	dl_error err;
	int rc = cli_questionnaire_named(&q, dir, argv[0], &err);
	if (rc == 0) {
		rc = dl_questionnaire_write_template(q, phase, cli_write_file, stdout);
		if (rc == DL_EINVALID) {
			dl_questionnaire_free(q);
			return cli_usage_error(TEMPLATE_USAGE, "unknown phase '%s'", phase);
		}
		rc = cli_finish_stdout(rc);
	}
	dl_questionnaire_free(q);
	return cli_exit_code(rc);
}
