/*
 * cmd_report.c: `digilevel report diagnostic SHEET -o FILE.pdf` and `digilevel report acceptance
 * BEFORE AFTER --policy FILE -o FILE.pdf`: the documents people sign, as PDF (or, with --format
 * text, the layout's text dump that the golden tests compare).
 *
 * The library renders to memory; this command decides the file. It writes a temporary file in the
 * target directory and renames it over the target only when every byte is written, so a failure
 * (no font, a full disk, an unwritable directory) never leaves a partial or empty PDF behind. An
 * output that is one of the inputs is refused before anything is read.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char USAGE_DIAGNOSTIC[] =
    "digilevel report diagnostic [--target LEVEL] [--font FILE] [--format pdf|text] "
    "[--questionnaires DIR] SHEET -o FILE";
static const char USAGE_ACCEPTANCE[] =
    "digilevel report acceptance --policy FILE [--font FILE] [--format pdf|text] "
    "[--questionnaires DIR] BEFORE AFTER -o FILE";
static const char USAGE[] = "digilevel report diagnostic|acceptance ... -o FILE (see --help)";

static void help(void)
{
	printf(
	    "usage: %s\n       %s\n\n"
	    "diagnostic: the 数字化诊断报告 of SHEET: enterprise profile, level and scores with\n"
	    "charts, why this level and not the next, every question and scenario, weak points "
	    "and\n"
	    "the improvement plan to the next level (or --target LEVEL), evidence, signatures.\n"
	    "acceptance: the 验收意见 of a retrofit: BEFORE and AFTER side by side with charts, "
	    "the\n"
	    "verdict by --policy FILE with every reason, eligible investment, the subsidy step by\n"
	    "step, the evaluators' signatures.\n\n"
	    "-o FILE, --output FILE  where to write (\"-\": standard output; required for PDF)\n"
	    "--format pdf|text       PDF (default), or the layout's text dump (standard output\n"
	    "                        when -o is not given)\n"
	    "--font FILE             TrueType font to embed (default: $DIGILEVEL_FONT, then\n"
	    "                        WenQuanYi Zen Hei or AR PL UMing from Debian)\n\n"
	    "The file is written through a temporary file in its directory and renamed, so a\n"
	    "failure leaves no file. Exit codes: 0 written, 1 invalid input, 2 usage error (also:\n"
	    "the output is one of the inputs), 3 I/O error (no font, output not writable).\n",
	    USAGE_DIAGNOSTIC, USAGE_ACCEPTANCE);
}

/*
 * Refuses an output that is one of the inputs (inputs[i] named what[i]; NULL entries are skipped)
 * or, once loaded, the questionnaire q (may be NULL). Returns EXIT_OK or EXIT_USAGE (after a
 * message), or EXIT_SYSTEM when memory ran out.
 */
static int check_output(const char *usage, const char *output, const char *const *inputs,
			const char *const *what, size_t n, const dl_questionnaire *q)
{
	cli_files files = {0};
	int rc = cli_files_add(&files, "the output", output, true);
	for (size_t i = 0; rc == EXIT_OK && i < n; i++)
		rc = cli_files_add(&files, what[i], inputs[i], false);
	if (rc == EXIT_OK && q)
		rc = cli_files_add(&files, "the questionnaire", dl_questionnaire_path(q), false);
	if (rc == EXIT_OK)
		rc = cli_files_check(&files, usage);
	cli_files_free(&files);
	return rc;
}

/* Parses --format; returns false (after a usage message) for anything but pdf or text. */
static bool parse_format(const char *usage, const char *format, dl_report_options *ro)
{
	if (!format || strcmp(format, "pdf") == 0) {
		ro->format = DL_REPORT_PDF;
		return true;
	}
	if (strcmp(format, "text") == 0) {
		ro->format = DL_REPORT_TEXT;
		return true;
	}
	cli_usage_error(usage, "--format must be pdf or text, not '%s'", format);
	return false;
}

/* Prints a rendering error: the library's message, which names the font paths tried. */
static void print_report_error(const dl_error *err)
{
	if (err->file[0])
		cli_print_error(err);
	else
		cli_line(stderr, "digilevel: %s", err->message);
}

/* Writes the rendered report, or prints why it could not be rendered. */
static int finish(int rc, const dl_error *err, const char *output, unsigned char *data, size_t len)
{
	int status;

	if (rc < 0) {
		print_report_error(err);
		return cli_exit_code(rc);
	}
	status = cli_write_output(output, data, len);
	dl_report_free(data);
	return status;
}

static int report_diagnostic(int argc, char **argv)
{
	const char *target = NULL, *font = NULL, *format = NULL, *dir = NULL, *output = NULL;
	bool help_flag = false;
	cli_option options[] = {{"target", &target, NULL}, {"font", &font, NULL},
				{"format", &format, NULL}, {"questionnaires", &dir, NULL},
				{"output", &output, NULL}, {"help", NULL, &help_flag}};
	dl_report_options ro = DL_REPORT_OPTIONS_INIT;
	int n = cli_parse(argc, argv, options, 6, USAGE_DIAGNOSTIC);
	if (n < 0)
		return EXIT_USAGE;
	if (help_flag) {
		help();
		return EXIT_OK;
	}
	if (!parse_format(USAGE_DIAGNOSTIC, format, &ro))
		return EXIT_USAGE;
	if (target) {
		char *end;
		long level = strtol(target, &end, 10);
		if (*end || end == target || level < 0 || level > 9)
			return cli_usage_error(
			    USAGE_DIAGNOSTIC, "--target must be a level number such as 3, not '%s'",
			    target);
		ro.target_level = (int)level;
	}
	if (n != 1)
		return cli_usage_error(USAGE_DIAGNOSTIC,
				       n ? "give exactly one sheet" : "no sheet given");
	if (!output && ro.format == DL_REPORT_PDF)
		return cli_usage_error(USAGE_DIAGNOSTIC, "no output file given (-o FILE.pdf)");
	if (!output)
		output = "-";
	const char *inputs[] = {argv[0], font ? font : getenv("DIGILEVEL_FONT")};
	const char *what[] = {"the input sheet", "the font"};
	int checked = check_output(USAGE_DIAGNOSTIC, output, inputs, what, 2, NULL);
	if (checked != EXIT_OK)
		return checked;
	ro.font_path = font;

	dl_sheet *s = NULL;
	dl_questionnaire *q = NULL;
	dl_result *r = NULL;
	dl_load_options opts = cli_load_options();
	dl_error err;
	unsigned char *data = NULL;
	size_t len = 0;
	int status;
	int rc = cli_load_sheet(argv[0], dir, &s, &q);
	if (rc < 0) {
		status = cli_exit_code(rc);
		goto done;
	}
	if (ro.target_level >= 0 && dl_questionnaire_grade_find(q, ro.target_level) == DL_NONE) {
		status = cli_usage_error(
		    USAGE_DIAGNOSTIC, "--target %d: questionnaire %s %s has no grade for level %d",
		    ro.target_level, dl_questionnaire_id(q), dl_questionnaire_version(q),
		    ro.target_level);
		goto done;
	}
	rc = dl_score(&r, q, s, &opts, NULL);
	if (rc < 0) {
		status = cli_exit_code(rc);
		goto done;
	}
	if ((status = check_output(USAGE_DIAGNOSTIC, output, inputs, what, 2, q)) != EXIT_OK)
		goto done;
	rc = dl_report_diagnostic(&data, &len, r, s, &ro, &err);
	status = finish(rc, &err, output, data, len);
done:
	dl_result_free(r);
	dl_questionnaire_free(q);
	dl_sheet_free(s);
	return status;
}

static int report_acceptance(int argc, char **argv)
{
	const char *policy_path = NULL, *font = NULL, *format = NULL, *dir = NULL, *output = NULL;
	bool help_flag = false;
	cli_option options[] = {{"policy", &policy_path, NULL}, {"font", &font, NULL},
				{"format", &format, NULL},	{"questionnaires", &dir, NULL},
				{"output", &output, NULL},	{"help", NULL, &help_flag}};
	dl_report_options ro = DL_REPORT_OPTIONS_INIT;
	int n = cli_parse(argc, argv, options, 6, USAGE_ACCEPTANCE);
	if (n < 0)
		return EXIT_USAGE;
	if (help_flag) {
		help();
		return EXIT_OK;
	}
	if (!parse_format(USAGE_ACCEPTANCE, format, &ro))
		return EXIT_USAGE;
	if (n != 2)
		return cli_usage_error(USAGE_ACCEPTANCE,
				       n < 2 ? "give the sheet before and the sheet after "
					       "the retrofit"
					     : "give exactly two sheets");
	if (!policy_path)
		return cli_usage_error(USAGE_ACCEPTANCE,
				       "no policy given (--policy FILE): the verdict and "
				       "the subsidy follow a city's rules");
	if (!output && ro.format == DL_REPORT_PDF)
		return cli_usage_error(USAGE_ACCEPTANCE, "no output file given (-o FILE.pdf)");
	if (!output)
		output = "-";
	const char *inputs[] = {argv[0], argv[1], policy_path, font ? font : getenv("DIGILEVEL_FONT")};
	const char *what[] = {"the sheet before the retrofit", "the sheet after the retrofit",
			      "the policy", "the font"};
	int checked = check_output(USAGE_ACCEPTANCE, output, inputs, what, 4, NULL);
	if (checked != EXIT_OK)
		return checked;
	ro.font_path = font;

	dl_sheet *before = NULL, *after = NULL;
	dl_policy *policy = NULL;
	dl_questionnaire *q = NULL;
	dl_comparison *c = NULL;
	dl_load_options opts = cli_load_options();
	dl_error err;
	unsigned char *data = NULL;
	size_t len = 0;
	int status;
	/* Load all three even when one fails, so that every problem is reported at once. */
	int rc = dl_sheet_load(&before, argv[0], &opts, NULL);
	int rc_after = dl_sheet_load(&after, argv[1], &opts, NULL);
	int rc_policy = dl_policy_load(&policy, policy_path, &opts, NULL);
	if (rc == 0)
		rc = rc_after;
	if (rc == 0)
		rc = rc_policy;
	if (rc == 0)
		rc = dl_compare_check(before, after, &opts, NULL);
	if (rc == 0) {
		rc = cli_questionnaire_for(&q, dir, dl_sheet_questionnaire_id(after),
					   dl_sheet_questionnaire_version(after), &err);
		if (rc == DL_ENOTFOUND) {
			char line[DL_ERROR_FORMAT_MAX];
			dl_error_format(&err, line, sizeof(line));
			cli_line(stderr, "%s: %s", argv[1], line);
			rc = DL_EINVALID; /* the sheet names a questionnaire not at hand, as for score */
		}
	}
	if (rc == 0)
		rc = dl_compare(&c, q, before, after, policy, &opts, NULL);
	if (rc < 0) {
		status = cli_exit_code(rc);
		goto done;
	}
	if ((status = check_output(USAGE_ACCEPTANCE, output, inputs, what, 4, q)) != EXIT_OK)
		goto done;
	rc = dl_report_acceptance(&data, &len, c, before, after, &ro, &err);
	status = finish(rc, &err, output, data, len);
done:
	dl_comparison_free(c);
	dl_questionnaire_free(q);
	dl_policy_free(policy);
	dl_sheet_free(after);
	dl_sheet_free(before);
	return status;
}

int cmd_report(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(USAGE, "say which report: diagnostic or acceptance");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		help();
		return EXIT_OK;
	}
	if (strcmp(argv[1], "diagnostic") == 0)
		return report_diagnostic(argc - 1, argv + 1);
	if (strcmp(argv[1], "acceptance") == 0)
		return report_acceptance(argc - 1, argv + 1);
	return cli_usage_error(USAGE, "unknown report '%s' (diagnostic or acceptance)", argv[1]);
}
