/*
 * cmd_show.c: `digilevel show Q` and `digilevel template Q`: a questionnaire for people or tools,
 * and a blank answer sheet to fill in.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char SHOW_USAGE[] =
	N_("digilevel show [--format text|json] [--questionnaires DIR] QUESTIONNAIRE");
static const char SHOW_HELP[] =
	N_("usage: %s\n\nQUESTIONNAIRE is a file, or an id such as miit-2024 (id:version also works)\n"
	   "found in the questionnaire search path.\n");
static const char *const FORMATS[] = {"text", "json", NULL};
static const char TEMPLATE_USAGE[] =
	N_("digilevel template [--format xml|xlsx] [--phase diagnosis|evaluation|self-check] "
	   "[--questionnaires DIR] [-o FILE] QUESTIONNAIRE");
static const char TEMPLATE_HELP[] =
	N_("usage: %s\n\nWrites a blank answer sheet: XML (default, to standard output or -o FILE) with\n"
	   "every question's options and every scenario's level texts as comments beside\n"
	   "the place to answer; or, with --format xlsx, a workbook (自评表.xlsx, -o FILE\n"
	   "required) to fill in Excel, WPS or LibreOffice: drop-downs for the options and\n"
	   "levels, numbers-only figure cells, everything but the answer cells protected.\n"
	   "Read a filled workbook with validate, score, report or compare, or convert it\n"
	   "with 'digilevel import' (docs/spreadsheets.md).\n");
static const char *const TEMPLATE_FORMATS[] = {"xml", "xlsx", NULL};

/* A dl_write_fn gathering the output in memory. */
int cmd_show(int argc, char **argv)
{
	const cli_command cmd = {SHOW_USAGE, SHOW_HELP, OPT_DIR, FORMATS,
				 N_("--format must be text or json, not '%s'"), NULL, 0};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (n != 1)
		return cli_usage_error(SHOW_USAGE, _("give exactly one questionnaire"));
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
	const cli_command cmd = {TEMPLATE_USAGE, TEMPLATE_HELP, OPT_DIR | OPT_OUTPUT, TEMPLATE_FORMATS,
				 N_("--format must be xml or xlsx, not '%s'"), options, 1};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (n != 1)
		return cli_usage_error(TEMPLATE_USAGE, _("give exactly one questionnaire"));
	bool xlsx = a.format == 1;
	if (xlsx && (!a.output || strcmp(a.output, "-") == 0))
		return cli_usage_error(TEMPLATE_USAGE, _("no output file given (-o 自评表.xlsx): a workbook is "
							 "not for a terminal"));
	if (strcmp(phase, "diagnosis") != 0 && strcmp(phase, "evaluation") != 0 &&
	    strcmp(phase, "self-check") != 0)
		return cli_usage_error(TEMPLATE_USAGE,
				       _("unknown phase '%s': give diagnosis, evaluation or self-check"), phase);
	const char *output = a.output ? a.output : "-";
	const cli_file files[] = {{"the output", output, true, NULL}};
	int status = cli_files_start(&a.files, TEMPLATE_USAGE, NULL, 0, files, 1);
	if (status != EXIT_OK)
		return cli_end(&a, status);
	int rc = cli_questionnaire_named(&a.q, a.dir, argv[0]);
	if (rc < 0)
		return cli_end(&a, cli_exit_code(rc));
	if ((status = cli_files_add_questionnaire(a.files, TEMPLATE_USAGE, a.q)) != EXIT_OK)
		return cli_end(&a, status);
	if (!a.output) /* XML on standard output, as before */
		return cli_end(&a, cli_exit_code(cli_finish_stdout(
					   dl_questionnaire_write_template(a.q, phase, cli_write_file, stdout))));
	/* a file: made whole in memory, then written through a temporary file renamed into place */
	cli_buffer b = {NULL, 0, 0};
	dl_error err;
	err.message[0] = '\0';
	rc = xlsx ? dl_questionnaire_write_template_xlsx(a.q, phase, cli_buffer_write, &b, &err)
		  : dl_questionnaire_write_template(a.q, phase, cli_buffer_write, &b);
	if (rc == 0)
		status = cli_write_output(output, b.data, b.len);
	else if (err.message[0])
		cli_line(stderr, "digilevel: %s", err.message);
	else
		fputs(_("digilevel: out of memory\n"), stderr);
	free(b.data);
	return cli_end(&a, rc < 0 ? cli_exit_code(rc) : status);
}
