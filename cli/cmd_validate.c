/*
 * cmd_validate.c: `digilevel validate FILE...`: check questionnaires and answer sheets.
 *
 * The kind of each file is told by its root element. Every problem of every file is printed as
 * file:line:column: message; a file without problems gets one "ok" line on stdout. Going on past a
 * bad file is the point: an evaluator validates a whole folder at once.
 */
#include "cli.h"

#include <string.h>

static const char USAGE[] = "digilevel validate [--questionnaires DIR] FILE...";

static int validate_questionnaire(const char *path)
{
	dl_questionnaire *q = NULL;
	dl_load_options opts = cli_load_options();
	int rc = dl_questionnaire_load(&q, path, &opts, NULL);
	if (rc == 0)
		printf("%s: ok: questionnaire %s %s, %zu questions, %zu scenarios\n", path,
		       dl_questionnaire_id(q), dl_questionnaire_version(q),
		       dl_questionnaire_question_count(q), dl_questionnaire_scenario_count(q));
	dl_questionnaire_free(q);
	return rc;
}

static int validate_sheet(const char *path, const char *dir)
{
	dl_sheet *s = NULL;
	dl_questionnaire *q = NULL;
	dl_load_options opts = cli_load_options();
	int rc = cli_load_sheet(path, dir, &s, &q);
	if (rc < 0)
		goto done;
	rc = dl_sheet_check(s, q, &opts, NULL);
	if (rc == 0)
		printf("%s: ok: answer sheet of %s, %s\n", path,
		       dl_sheet_enterprise(s, DL_ENTERPRISE_NAME), dl_phase_name(dl_sheet_phase(s)));
done:
	dl_questionnaire_free(q);
	dl_sheet_free(s);
	return rc;
}

int cmd_validate(int argc, char **argv)
{
	const char *dir = NULL;
	bool help = false;
	cli_option options[] = {{"questionnaires", &dir, NULL}, {"help", NULL, &help}};
	int n = cli_parse(argc, argv, options, 2, USAGE);
	if (n < 0)
		return EXIT_USAGE;
	if (help) {
		printf("usage: %s\n\nChecks each FILE (a questionnaire or an answer sheet, told by its root "
		       "element)\nand prints every problem as file:line:column: message.\n", USAGE);
		return EXIT_OK;
	}
	if (n == 0)
		return cli_usage_error(USAGE, "no file given");
	int worst = EXIT_OK;
	for (int i = 0; i < n; i++) {
		char root[64];
		dl_error err;
		int rc = dl_document_root(argv[i], root, sizeof(root), &err);
		if (rc < 0) {
			cli_print_error(&err);
		} else if (strcmp(root, "questionnaire") == 0) {
			rc = validate_questionnaire(argv[i]);
		} else if (strcmp(root, "answer-sheet") == 0) {
			rc = validate_sheet(argv[i], dir);
		} else {
			fprintf(stderr, "%s:1:1: root element is <%s>, expected <questionnaire> or <answer-sheet>\n",
				argv[i], root);
			rc = DL_EINVALID;
		}
		int code = cli_exit_code(rc);
		if (code > worst)
			worst = code;
	}
	if (cli_finish_stdout(0) < 0) /* the "ok" lines */
		worst = EXIT_SYSTEM;
	return worst;
}
