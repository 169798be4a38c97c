/*
 * cmd_validate.c: `digilevel validate FILE...`: check questionnaires, answer sheets, policies,
 * targets and solution catalogues.
 *
 * The kind of each file is told by its root element. A sheet, a policy, targets or a catalogue is
 * also checked against the questionnaire edition it names (found as for `score`), so that a level
 * name the questionnaire does not have is reported too; a sheet's <retrofit-plan> against the
 * solution catalogue beside that questionnaire. Every problem of every file is printed as
 * file:line:column: message; a file without problems gets one "ok" line on stdout. Going on past a
 * bad file is the point: an evaluator validates a whole folder at once.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char USAGE[] = N_("digilevel validate [--questionnaires DIR] FILE...");

/*
 * The sheet's <retrofit-plan> against the solution catalogue beside questionnaire q: every problem
 * printed. Without a catalogue there is nothing to check its solutions against: said, not failed.
 */
static int check_retrofit_plan(const dl_sheet *s, const dl_questionnaire *q, const dl_load_options *opts)
{
	dl_catalogue *cat = NULL;
	dl_error err;
	int rc = dl_catalogue_find(&cat, q, opts, &err);
	if (rc == DL_ENOTFOUND) {
		cli_line(stderr, _("%s: warning: the <retrofit-plan>'s solutions are not checked: no solution "
			   "catalogue for questionnaire '%s' version '%s' beside %s"), dl_sheet_path(s),
			 dl_questionnaire_id(q), dl_questionnaire_version(q), dl_questionnaire_path(q));
		return 0;
	}
	if (rc == 0)
		rc = dl_retrofit_plan_check(s, q, cat, opts, NULL);
	dl_catalogue_free(cat);
	return rc; /* a broken catalogue's problems were printed by its loader */
}

/* Why the sheet was filled in, for the "ok" line. */
static const char *phase_text(dl_phase phase)
{
	switch (phase) {
	case DL_PHASE_DIAGNOSIS: return _("a diagnosis");
	case DL_PHASE_EVALUATION: return _("an evaluation");
	case DL_PHASE_SELF_CHECK: return _("a self-check");
	}
	return "";
}

/* Where the problems printed so far are (line, column), so a later check does not say one twice. */
typedef struct printed {
	unsigned long (*at)[2];
	size_t count, cap;
	bool refused; /* the sheet was refused: a later problem without a place is of a missing element */
} printed;

static void print_and_remember(const dl_error *diag, void *userdata)
{
	printed *p = userdata;
	cli_print_error(diag);
	if (p->count == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 32;
		void *at = realloc(p->at, cap * sizeof(*p->at));
		if (!at)
			return; /* then only a repeat more */
		p->at = at;
		p->cap = cap;
	}
	p->at[p->count][0] = diag->line;
	p->at[p->count][1] = diag->column;
	p->count++;
}

static void print_unless_printed(const dl_error *diag, void *userdata)
{
	const printed *p = userdata;
	if (!diag->line && p->refused)
		return; /* an element the schema said is missing (its fields have no place) */
	for (size_t i = 0; diag->line && i < p->count; i++)
		if (p->at[i][0] == diag->line && p->at[i][1] == diag->column)
			return;
	cli_print_error(diag);
}

/*
 * An answer sheet: every problem in one run. What the schema and the reading refuse comes first;
 * then, even when the sheet was refused, its meaning is checked against the questionnaire (two
 * options on a single-choice question, 无 with another option, a scenario without a level), and
 * a problem already said at the same place is not said again. Then the <retrofit-plan>.
 */
static int validate_sheet(const char *path, const char *dir, dl_sheet **s, dl_questionnaire **q)
{
	printed seen = {NULL, 0, 0, false};
	dl_load_options opts = cli_load_options();
	opts.diag = print_and_remember;
	opts.diag_data = &seen;
	int load_rc = dl_sheet_load_to_check(s, path, &opts, NULL);
	int rc = load_rc;
	seen.refused = load_rc < 0;
	if (*s)
		rc = cli_questionnaire_of(q, path, N_("it answers"), dir, dl_sheet_questionnaire_id(*s),
					  dl_sheet_questionnaire_version(*s));
	if (*s && *q) {
		/* every problem, and the questionnaire's hints that apply (information) */
		opts.diag = print_unless_printed;
		dl_score_options so = DL_SCORE_OPTIONS_INIT;
		dl_result *r = NULL;
		so.hints = true;
		rc = dl_score_with(&r, *q, *s, &opts, &so, NULL);
		dl_result_free(r);
		if (dl_sheet_has_retrofit_plan(*s)) { /* its problems too, in the same run */
			int plan_rc = check_retrofit_plan(*s, *q, &opts);
			rc = rc < 0 ? rc : plan_rc;
		}
	}
	free(seen.at);
	return load_rc < 0 ? load_rc : rc;
}

/* Check the file at path, whose root element is root, and print "ok" with what it holds. */
static int validate(const char *path, const char *root, const char *dir)
{
	dl_load_options opts = cli_load_options();
	dl_questionnaire *q = NULL;
	dl_sheet *s = NULL;
	dl_policy *p = NULL;
	dl_targets *t = NULL;
	dl_catalogue *c = NULL;
	int rc = DL_EINVALID;
	if (strcmp(root, "questionnaire") == 0) {
		if ((rc = dl_questionnaire_load(&q, path, &opts, NULL)) == 0)
			cli_line(stdout, _("%s: ok: questionnaire %s %s, %zu questions, %zu scenarios"), path,
				 dl_questionnaire_id(q), dl_questionnaire_version(q),
				 dl_questionnaire_question_count(q), dl_questionnaire_scenario_count(q));
	} else if (strcmp(root, "answer-sheet") == 0) {
		rc = validate_sheet(path, dir, &s, &q);
		if (rc == 0)
			cli_line(stdout, _("%s: ok: answer sheet of %s, %s%s"), path,
				 dl_sheet_enterprise(s, DL_ENTERPRISE_NAME), phase_text(dl_sheet_phase(s)),
				 dl_sheet_has_retrofit_plan(s) ? _(", with a retrofit plan") : "");
	} else if (strcmp(root, "solution-catalogue") == 0) {
		if ((rc = dl_catalogue_load(&c, path, &opts, NULL)) == 0 &&
		    (rc = cli_questionnaire_of(&q, path, N_("it is written for"), dir,
					       dl_catalogue_questionnaire_id(c),
					       dl_catalogue_questionnaire_version(c))) == 0 &&
		    (rc = dl_catalogue_check(c, q, &opts, NULL)) == 0)
			cli_line(stdout, _("%s: ok: solution catalogue %s %s, %zu solutions, %zu providers"), path,
				 dl_catalogue_id(c), dl_catalogue_version(c), dl_catalogue_solution_count(c),
				 dl_catalogue_provider_count(c));
	} else if (strcmp(root, "policy") == 0) {
		if ((rc = dl_policy_load(&p, path, &opts, NULL)) == 0 &&
		    (rc = cli_questionnaire_of(&q, path, N_("it names"), dir, dl_policy_questionnaire_id(p),
					       dl_policy_questionnaire_version(p))) == 0 &&
		    (rc = dl_policy_check(p, q, &opts, NULL)) == 0)
			cli_line(stdout, _("%s: ok: policy %s %s, phases: %zu, investment categories: %zu"),
				 path, dl_policy_id(p), dl_policy_version(p), dl_policy_phase_count(p),
				 dl_policy_category_count(p));
	} else if (strcmp(root, "targets") == 0) {
		if ((rc = dl_targets_load(&t, path, &opts, NULL)) == 0 &&
		    (rc = cli_questionnaire_of(&q, path, N_("it names"), dir, dl_targets_questionnaire_id(t),
					       dl_targets_questionnaire_version(t))) == 0 &&
		    (rc = dl_targets_check(t, q, &opts, NULL)) == 0)
			cli_line(stdout, _("%s: ok: targets %s %s, targets: %zu, deadlines: %zu"), path,
				 dl_targets_id(t), dl_targets_version(t), dl_targets_count(t),
				 dl_targets_deadline_count(t));
	} else {
		cli_line(stderr, _("%s:1:1: root element is <%s>, expected <questionnaire>, <answer-sheet>, "
				   "<policy>, <targets> or <solution-catalogue>"), path, root);
	}
	dl_catalogue_free(c);
	dl_targets_free(t);
	dl_policy_free(p);
	dl_sheet_free(s);
	dl_questionnaire_free(q);
	return rc;
}

static const char HELP[] =
	N_("usage: %s\n\nChecks each FILE (a questionnaire, an answer sheet, a policy, targets\n"
	   "or a solution catalogue, told by its root element) and prints every problem as\n"
	   "file:line:column: message. A sheet, a policy, targets or a catalogue is also\n"
	   "checked against the questionnaire it names; a sheet's <retrofit-plan> against\n"
	   "the solution catalogue beside that questionnaire. Warnings (a tag that is not a\n"
	   "title the cohort counts) and hints (advice the questionnaire gives on an answer)\n"
	   "do not change the exit code.\n");

int cmd_validate(int argc, char **argv)
{
	const cli_command cmd = {USAGE, HELP, OPT_DIR, NULL, NULL, NULL, 0};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (n == 0)
		return cli_usage_error(USAGE, "%s", _("no file given"));
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
