/*
 * cmd_report.c: `digilevel report diagnostic SHEET -o FILE.pdf`, `digilevel report plan SHEET -o
 * FILE.pdf` and `digilevel report acceptance BEFORE AFTER --policy FILE -o FILE.pdf`: the documents
 * people sign, as PDF (or, with --format text, the layout's text dump that the golden tests compare).
 *
 * The library renders to memory; this command decides the file. It writes a temporary file in the
 * target directory and renames it over the target only when every byte is written, so a failure
 * (no font, a full disk, an unwritable directory) never leaves a partial or empty PDF behind. An
 * output that is one of the inputs is refused before anything is read.
 */
#include "cli.h"

#include <string.h>

static const char *const USAGES[] = {
	N_("digilevel report diagnostic [--target LEVEL] [--partial] [--policy FILE] [--font FILE] "
	   "[--format pdf|text] [--questionnaires DIR] SHEET -o FILE"),
	N_("digilevel report plan [--target LEVEL] [--partial] [--policy FILE] [--font FILE] "
	   "[--format pdf|text] [--questionnaires DIR] SHEET -o FILE"),
	N_("digilevel report acceptance --policy FILE [--font FILE] [--format pdf|text] "
	   "[--questionnaires DIR] BEFORE AFTER -o FILE")};
static const char USAGE[] = N_("digilevel report diagnostic|plan|acceptance ... -o FILE (see --help)");

/* printed as a printf format: it holds no conversion; its first lines are USAGES */
static const char HELP[] = N_(
	"usage: digilevel report diagnostic [--target LEVEL] [--partial] [--policy FILE] [--font FILE] "
	"[--format pdf|text] [--questionnaires DIR] SHEET -o FILE\n"
	"       digilevel report plan [--target LEVEL] [--partial] [--policy FILE] [--font FILE] "
	"[--format pdf|text] [--questionnaires DIR] SHEET -o FILE\n"
	"       digilevel report acceptance --policy FILE [--font FILE] [--format pdf|text] "
	"[--questionnaires DIR] BEFORE AFTER -o FILE\n\n"
	"diagnostic: the 数字化诊断报告 of SHEET: enterprise profile, level and scores with\n"
	"charts, why this level and not the next, every question and scenario, weak points "
	"and\n"
	"the improvement plan to the next level (or --target LEVEL), the recommended retrofit\n"
	"from the solution catalogue beside the questionnaire (with --policy FILE: its\n"
	"expected subsidy under that policy), evidence, signatures.\n"
	"plan: the 数字化改造方案 of SHEET: the target level (--target LEVEL, else the sheet's\n"
	"<retrofit-plan target-level>, else the next level), each construction item (the\n"
	"solutions the sheet's <retrofit-plan> names, or else the recommended retrofit) with\n"
	"what it lifts and its amount, total investment, expected subsidy (--policy FILE),\n"
	"schedule, the level reached (scored), providers, responsibilities, signatures.\n"
	"acceptance: the 验收意见 of a retrofit: BEFORE and AFTER side by side with charts, "
	"the\n"
	"verdict by --policy FILE with every reason, eligible investment, the subsidy step by\n"
	"step, the evaluators' signatures.\n\n"
	"-o FILE, --output FILE  where to write (\"-\": standard output; required for PDF)\n"
	"--format pdf|text       PDF (default), or the layout's text dump (standard output\n"
	"                        when -o is not given)\n"
	"--font FILE             TrueType font to embed (default: $DIGILEVEL_FONT, then\n"
	"                        WenQuanYi Zen Hei or AR PL UMing from Debian)\n"
	"--partial               (diagnostic, plan) from a partly filled sheet: what is not\n"
	"                        answered yet counts as nothing (as score --partial) and\n"
	"                        every page is marked 草稿 (draft)\n\n"
	"The file is written through a temporary file in its directory and renamed, so a\n"
	"failure leaves no file. Exit codes: 0 written, 1 invalid input, 2 usage error (also:\n"
	"the output is one of the inputs), 3 I/O error (no font, output not writable).\n");

static const char *const FORMATS[] = {"pdf", "text", NULL};

/* Prints a rendering error: the library's message, which names the font paths tried. */
static void print_report_error(const dl_error *err)
{
	if (err->file[0])
		cli_print_error(err);
	else
		cli_line(stderr, _("digilevel: %s"), err->message);
}

enum report_kind { DIAGNOSTIC, PLAN, ACCEPTANCE };

/* The diagnostic report or the retrofit plan of sheet, or the acceptance report of the pair. */
static int report(int argc, char **argv, enum report_kind kind)
{
	bool acceptance = kind == ACCEPTANCE, partial = false;
	const char *usage = USAGES[kind];
	cli_option options[] = {{"partial", NULL, &partial, 0}};
	const cli_command cmd = {usage, HELP,
				 OPT_DIR | OPT_OUTPUT | OPT_FONT | OPT_POLICY | (acceptance ? 0 : OPT_TARGET),
				 FORMATS, N_("--format must be pdf or text, not '%s'"), options,
				 acceptance ? 0 : 1};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	dl_report_options ro = DL_REPORT_OPTIONS_INIT;
	ro.format = a.format == 0 ? DL_REPORT_PDF : DL_REPORT_TEXT;
	ro.target_level = a.target;
	ro.font_path = a.font;
	if (!acceptance && n != 1)
		return cli_usage_error(usage, "%s", n ? _("give exactly one sheet") : _("no sheet given"));
	if (acceptance && n != 2)
		return cli_usage_error(usage, "%s", n < 2 ? _("give the sheet before and the sheet after "
							      "the retrofit") : _("give exactly two sheets"));
	if (acceptance && !a.policy_path)
		return cli_usage_error(usage, "%s", _("no policy given (--policy FILE): the verdict and the "
						      "subsidy follow a city's rules"));
	if (!a.output && ro.format == DL_REPORT_PDF)
		return cli_usage_error(usage, "%s", _("no output file given (-o FILE.pdf)"));
	const char *output = a.output ? a.output : "-";
	const cli_file files[] = {
		{acceptance ? N_("the sheet before the retrofit") : N_("the input sheet"), argv[0], false,
		 NULL},
		{N_("the sheet after the retrofit"), acceptance ? argv[1] : NULL, false, NULL},
		{N_("the policy"), a.policy_path, false, NULL},
		{N_("the font"), cli_font_file(a.font), false, NULL},
		{N_("the output"), output, true, NULL}};
	dl_load_options opts = cli_load_options();
	dl_score_options so = DL_SCORE_OPTIONS_INIT;
	so.partial = partial;
	dl_catalogue *catalogue = NULL;
	dl_error err;
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = 0, status = cli_files_start(&a.files, usage, NULL, 0, files, 5);
	if (status != EXIT_OK)
		goto done;
	if (acceptance)
		rc = cli_load_pair(argv, &a);
	else if ((rc = cli_load_sheet(argv[0], a.dir, &a.sheet, &a.q)) == 0 &&
		 (status = cli_check_target(usage, a.q, a.target)) == EXIT_OK)
		rc = dl_score_with(&a.result, a.q, a.sheet, &opts, &so, NULL);
	if (!acceptance && rc == 0 && status == EXIT_OK && a.policy_path &&
	    (rc = dl_policy_load(&a.policy, a.policy_path, &opts, NULL)) == 0)
		ro.policy = a.policy;
	if (rc < 0 || status != EXIT_OK ||
	    (status = cli_files_add_questionnaire(a.files, usage, a.q)) != EXIT_OK)
		goto done;
	/* the chosen solutions against the catalogue: every problem printed, not just the first */
	if (kind == PLAN && dl_sheet_has_retrofit_plan(a.sheet)) {
		if ((rc = dl_catalogue_find(&catalogue, a.q, &opts, &err)) < 0) {
			if (rc == DL_ENOTFOUND) /* a broken catalogue's problems are printed already */
				print_report_error(&err);
			goto done;
		}
		ro.catalogue = catalogue;
		if ((rc = dl_retrofit_plan_check(a.sheet, a.q, catalogue, &opts, NULL)) < 0)
			goto done;
	}
	/* the 验收意见 names the evaluation it was decided on by the digest of the file read */
	if (acceptance)
		ro.after_sha256 = dl_sheet_digest(a.after);
	rc = acceptance ? dl_report_acceptance(&data, &len, a.comparison, a.sheet, a.after, &ro, &err)
	     : kind == PLAN ? dl_report_plan(&data, &len, a.result, a.sheet, &ro, &err)
			: dl_report_diagnostic(&data, &len, a.result, a.sheet, &ro, &err);
	if (rc < 0)
		print_report_error(&err);
	else
		status = cli_write_output(output, data, len);
	dl_report_free(data);
done:
	dl_catalogue_free(catalogue);
	return cli_end(&a, rc < 0 ? cli_exit_code(rc) : status);
}

int cmd_report(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(USAGE, "%s", _("say which report: diagnostic, plan or acceptance"));
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(_(HELP), stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "diagnostic") == 0)
		return report(argc - 1, argv + 1, DIAGNOSTIC);
	if (strcmp(argv[1], "plan") == 0)
		return report(argc - 1, argv + 1, PLAN);
	if (strcmp(argv[1], "acceptance") == 0)
		return report(argc - 1, argv + 1, ACCEPTANCE);
	return cli_usage_error(USAGE, _("unknown report '%s' (diagnostic, plan or acceptance)"), argv[1]);
}
