/*
 * main.c: the digilevel command line: dispatch to a command, --help and --version.
 *
 * The CLI is thin: each command parses its options strictly, calls the library through
 * include/digilevel.h only, prints results on stdout and diagnostics on stderr, and returns one of
 * the documented exit codes (cli.h).
 */
#include "cli.h"
#include "datadir.h"

#include <string.h>

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} command;

static const command COMMANDS[] = {
	{"validate", cmd_validate, N_("check questionnaires and answer sheets, report every problem")},
	{"score", cmd_score, N_("score an answer sheet: level, reasons, and the plan to the next level")},
	{"show", cmd_show, N_("show a questionnaire: every question, option, scenario and the level rule")},
	{"template", cmd_template, N_("write a blank answer sheet to fill in (XML, or an xlsx workbook)")},
	{"import", cmd_import, N_("convert a filled xlsx workbook into an answer sheet in XML")},
	{"batch", cmd_batch, N_("score a whole cohort: one row per enterprise, pairs, verdicts, subsidies")},
	{"cohort", cmd_cohort, N_("the pilot dashboard: a cohort's progress against its targets, as text, CSV, JSON, PDF")},
	{"compare", cmd_compare, N_("compare before/after sheets; with --policy: acceptance and subsidy")},
	{"report", cmd_report, N_("write the 数字化诊断报告, 数字化改造方案 or 验收意见 as PDF")},
	{"serve", cmd_serve, N_("the workbench: fill in, score and report in a browser (http://127.0.0.1:8080)")},
	{"user", cmd_user, N_("the workbench's accounts: add, list, disable, enable, change a password")},
	{"audit", cmd_audit, N_("check the workbench's audit chain, and export its entries")},
};

/* files: also say where the installed data and documentation are (--help, not a usage error) */
static void help(FILE *out, bool files)
{
	fputs(_("digilevel — rate an SME's digital level by MIIT's 中小企业数字化水平评测指标（2024年版）\n\n"
		"usage: digilevel COMMAND [OPTIONS] ARGS...\n\ncommands:\n"),
	      out);
	for (size_t i = 0; i < sizeof(COMMANDS) / sizeof(COMMANDS[0]); i++)
		fprintf(out, "  %-10s %s\n", COMMANDS[i].name, _(COMMANDS[i].summary));
	fputs(_("\n'digilevel COMMAND --help' describes a command; --lang en (or zh) before or after\n"
		"it chooses the language of messages (Chinese unless the locale is English).\n"
		"exit codes: 0 success, 1 invalid input, 2 usage error, 3 I/O or system error\n"),
	      out);
	if (files)
		fprintf(out,
			_("\nquestionnaires:  %s/questionnaires (unless --questionnaires DIR,\n"
			  "                 $DIGILEVEL_QUESTIONNAIRES or ./questionnaires holds the edition)\n"
			  "policies:        %s/policies (hongsibu-2024.xml: 红寺堡区)\n"
			  "examples:        %s/examples\n"
			  "documentation:   %s (README.md, docs/), man digilevel\n"),
			DL_DATADIR, DL_DATADIR, DL_DATADIR, DL_DOCDIR);
}

int main(int argc, char **argv)
{
	dl_output_file_setup(); /* before any thread: the umask, and no temporary file left by a signal */
	int rc = cli_language_setup(&argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (argc < 2) {
		help(stderr, false);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		help(stdout, true);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("digilevel %s\n", dl_version());
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(COMMANDS) / sizeof(COMMANDS[0]); i++)
		if (strcmp(argv[1], COMMANDS[i].name) == 0)
			return COMMANDS[i].run(argc - 1, argv + 1);
	cli_line(stderr, _("digilevel: unknown command '%s'"), argv[1]);
	help(stderr, false);
	return EXIT_USAGE;
}
