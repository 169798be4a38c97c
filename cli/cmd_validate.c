/*
 * cmd_validate.c: `digilevel validate FILE...`: check questionnaires, answer sheets, policies and
 * targets.
 *
 * The kind of each file is told by its root element. A sheet, a policy or targets is also checked
 * against the questionnaire edition it names (found as for `score`), so that a level name the
 * questionnaire does not have is reported too. Every problem of every file is printed as
 * file:line:column: message; a file without problems gets one "ok" line on stdout. Going on past a
 * bad file is the point: an evaluator validates a whole folder at once.
 */
#include "cli.h"

#include <string.h>

static const char USAGE[] = "digilevel validate [--questionnaires DIR] FILE...";

/* Check the file at path, whose root element is root, and print "ok" with what it holds. */
static int validate(const char *path, const char *root, const char *dir)
{
	dl_load_options opts = cli_load_options();
	dl_questionnaire *q = NULL;
	dl_sheet *s = NULL;
	dl_policy *p = NULL;
	dl_targets *t = NULL;
	int rc = DL_EINVALID;
	if (strcmp(root, "questionnaire") == 0) {
		if ((rc = dl_questionnaire_load(&q, path, &opts, NULL)) == 0)
			cli_line(stdout, "%s: ok: questionnaire %s %s, %zu questions, %zu scenarios", path,
				 dl_questionnaire_id(q), dl_questionnaire_version(q),
				 dl_questionnaire_question_count(q), dl_questionnaire_scenario_count(q));
	} else if (strcmp(root, "answer-sheet") == 0) {
		if ((rc = cli_load_sheet(path, dir, &s, &q)) == 0 && (rc = dl_sheet_check(s, q, &opts, NULL)) == 0)
			cli_line(stdout, "%s: ok: answer sheet of %s, %s", path,
				 dl_sheet_enterprise(s, DL_ENTERPRISE_NAME), dl_phase_name(dl_sheet_phase(s)));
	} else if (strcmp(root, "policy") == 0) {
		if ((rc = dl_policy_load(&p, path, &opts, NULL)) == 0 &&
		    (rc = cli_questionnaire_of(&q, path, "it names", dir, dl_policy_questionnaire_id(p),
					       dl_policy_questionnaire_version(p))) == 0 &&
		    (rc = dl_policy_check(p, q, &opts, NULL)) == 0)
			cli_line(stdout, "%s: ok: policy %s %s, %zu %s, %zu investment %s", path,
				 dl_policy_id(p), dl_policy_version(p), dl_policy_phase_count(p),
				 dl_policy_phase_count(p) == 1 ? "phase" : "phases", dl_policy_category_count(p),
				 dl_policy_category_count(p) == 1 ? "category" : "categories");
	} else if (strcmp(root, "targets") == 0) {
		if ((rc = dl_targets_load(&t, path, &opts, NULL)) == 0 &&
		    (rc = cli_questionnaire_of(&q, path, "it names", dir, dl_targets_questionnaire_id(t),
					       dl_targets_questionnaire_version(t))) == 0 &&
		    (rc = dl_targets_check(t, q, &opts, NULL)) == 0)
			cli_line(stdout, "%s: ok: targets %s %s, %zu %s, %zu %s", path, dl_targets_id(t),
				 dl_targets_version(t), dl_targets_count(t),
				 dl_targets_count(t) == 1 ? "target" : "targets", dl_targets_deadline_count(t),
				 dl_targets_deadline_count(t) == 1 ? "deadline" : "deadlines");
	} else {
		cli_line(stderr, "%s:1:1: root element is <%s>, expected <questionnaire>, <answer-sheet>, "
			 "<policy> or <targets>", path, root);
	}
	dl_targets_free(t);
	dl_policy_free(p);
	dl_sheet_free(s);
	dl_questionnaire_free(q);
	return rc;
}

static const char HELP[] =
	"usage: %s\n\nChecks each FILE (a questionnaire, an answer sheet, a policy or\n"
	"targets, told by its root element) and prints every problem as\n"
	"file:line:column: message. A sheet, a policy or targets is also checked\n"
	"against the questionnaire it names.\n";

int cmd_validate(int argc, char **argv)
{
	const cli_command cmd = {USAGE, HELP, OPT_DIR, NULL, NULL, NULL, 0};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (n == 0)
		return cli_usage_error(USAGE, "no file given");
	int worst = EXIT_OK;
	for (int i = 0; i < n; i++) {
		char root[64];
		dl_error err;
		int rc = dl_document_root(argv[i], root, sizeof(root), &err);
		if (rc < 0)
			cli_print_error(&err);
		else
			rc = validate(argv[i], root, a.dir);
		int code = cli_exit_code(rc);
		if (code > worst)
			worst = code;
	}
	if (cli_finish_stdout(0) < 0) /* the "ok" lines */
		worst = EXIT_SYSTEM;
	return worst;
}
