/*
 * fuzz_report.c: libFuzzer target for the two signed documents: a fuzzed answer sheet is scored
 * against questionnaires/miit-2024.xml and its diagnostic report (数字化诊断报告) rendered to
 * memory, as the layout's text dump (with the default plan and towards every graded level) and as
 * PDF; and when it scores, the acceptance opinion (验收意见) of examples/food-before.xml → the
 * fuzzed sheet under policies/hongsibu-2024.xml, as text dump and PDF; and its retrofit plan
 * (数字化改造方案) under that policy, as text dump: from the sheet's <retrofit-plan> if it has one
 * (an unknown solution id or a target without a grade is DL_EINVALID), else the recommendation. The
 * questionnaire, its catalogue, the before sheet and the policy are loaded once; run from the top of
 * the tree, as `make check` does.
 *
 * Checked beyond "no crash, no leak, no sanitizer report": a render fails only for a reason the API
 * documents (a text the layout rejects: DL_EINVALID; DL_ENOMEM), the text dump and the PDF agree on
 * whether the layout can be made, a target level without a grade is refused, a text dump is valid
 * UTF-8 with exactly one NUL after it, a PDF starts "%PDF-" and ends with "%%EOF", and every
 * message is valid UTF-8.
 *
 * A PDF render takes about 0.15 s (ASan: more), a text dump a few ms. Without a CJK font
 * (DIGILEVEL_FONT or the Debian fonts, see docs/reports.md) PDFs are skipped after one note on
 * stderr; with DL_FUZZ_REPORT_TEXT=1 they are skipped from the start, for a faster session on the
 * layout alone.
 */
#include "fuzz_common.h"

#define QUESTIONNAIRE "questionnaires/miit-2024.xml"
#define BEFORE	      "examples/food-before.xml"
#define POLICY	      "policies/hongsibu-2024.xml"

/* A level of no grade in any questionnaire (levels are 0..9): a target there must be refused. */
#define NO_SUCH_LEVEL 10

static dl_questionnaire *questionnaire;
static dl_sheet *before;
static dl_policy *policy;
static dl_catalogue *catalogue;
static int skip_pdf;

static void setup_failed(const char *what, const dl_error *err)
{
	char line[1024];
	dl_error_format(err, line, sizeof(line));
	fprintf(stderr, "fuzz_report: %s: %s (run from the top of the repository)\n", what, line);
	abort();
}

static void setup(void)
{
	dl_error err;
	if (questionnaire)
		return;
	if (dl_questionnaire_load(&questionnaire, QUESTIONNAIRE, NULL, &err) != 0)
		setup_failed("cannot load the questionnaire", &err);
	if (dl_sheet_load(&before, BEFORE, NULL, &err) != 0)
		setup_failed("cannot load the before sheet", &err);
	if (dl_policy_load(&policy, POLICY, NULL, &err) != 0)
		setup_failed("cannot load the policy", &err);
	if (dl_catalogue_find(&catalogue, questionnaire, NULL, &err) != 0)
		setup_failed("cannot load the catalogue", &err);
	const char *text_only = getenv("DL_FUZZ_REPORT_TEXT");
	skip_pdf = text_only && strcmp(text_only, "1") == 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setup();
	return 0;
}

/* A render failed: only for a documented reason, and with a well-formed message. */
static void check_failure(const char *what, int rc, const dl_error *err)
{
	if (err->code != rc)
		fuzz_fail(what, "the error code does not match the return value");
	if (!memchr(err->message, '\0', sizeof(err->message)))
		fuzz_fail(what, "the error message is not NUL-terminated");
	fuzz_check_text("report error message is not valid UTF-8", err->message);
	if (rc != DL_EINVALID && rc != DL_ENOMEM)
		fuzz_fail(what, err->message);
}

static void check_text_dump(const char *what, const unsigned char *dump, size_t len)
{
	fuzz_utf8 u = {0, 0};
	if (dump[len] != '\0' || memchr(dump, '\0', len))
		fuzz_fail(what, "the text dump is not one NUL-terminated string");
	fuzz_sink(&u, (const char *)dump, len);
	fuzz_output_done(what, 0, &u);
}

/* Whether the PDF render failed for want of a font (then PDFs are skipped from now on). */
static int no_font(int rc, const dl_error *err)
{
	if (rc != DL_EIO || (strncmp(err->message, "no CJK TrueType font found", 26) != 0 &&
			     strncmp(err->message, "cannot read font", 16) != 0))
		return 0;
	fprintf(stderr, "fuzz_report: no usable font, PDFs are not rendered: %s\n", err->message);
	skip_pdf = 1;
	return 1;
}

/*
 * Render a report as PDF after its text dump returned text_rc: both must succeed or fail alike,
 * unless no font is available.
 */
static void check_pdf(const char *what, int rc, const dl_error *err, int text_rc,
		      const unsigned char *pdf, size_t len)
{
	if (rc < 0 && no_font(rc, err))
		return;
	if ((rc == 0) != (text_rc == 0) && rc != DL_ENOMEM && text_rc != DL_ENOMEM)
		fuzz_fail(what,
			  "the PDF and the text dump disagree on whether the layout can be made");
	if (rc < 0) {
		check_failure(what, rc, err);
		return;
	}
	static const char eof[] = "%%EOF";
	size_t tail = len < 32 ? len : 32;
	if (len < 5 || memcmp(pdf, "%PDF-", 5) != 0)
		fuzz_fail(what, "the PDF does not start with %PDF-");
	int found = 0;
	for (size_t i = len - tail; i + sizeof(eof) - 1 <= len && !found; i++)
		found = memcmp(pdf + i, eof, sizeof(eof) - 1) == 0;
	if (!found)
		fuzz_fail(what, "the PDF does not end with %%EOF");
}

static void diagnostic(const dl_result *r, const dl_sheet *s)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	dl_report_options opts = DL_REPORT_OPTIONS_INIT;
	unsigned char *out = NULL;
	size_t len = 0;
	dl_error err;

	/* the text dump towards the default target, then towards every graded level */
	opts.format = DL_REPORT_TEXT;
	int text_rc = dl_report_diagnostic(&out, &len, r, s, &opts, &err);
	if (text_rc == 0)
		check_text_dump("diagnostic text dump", out, len);
	else
		check_failure("diagnostic text dump", text_rc, &err);
	dl_report_free(out);
	for (size_t gi = 0; gi < dl_questionnaire_grade_count(q); gi++) {
		out = NULL;
		opts.target_level = dl_questionnaire_grade_level(q, gi);
		int rc = dl_report_diagnostic(&out, &len, r, s, &opts, &err);
		if (rc == 0)
			check_text_dump("diagnostic text dump towards a level", out, len);
		else
			check_failure("diagnostic text dump towards a level", rc, &err);
		dl_report_free(out);
	}
	out = NULL;
	opts.target_level = NO_SUCH_LEVEL;
	if (dl_report_diagnostic(&out, &len, r, s, &opts, &err) != DL_EINVALID || out)
		fuzz_fail("diagnostic report", "a target level without a grade was not refused");

	if (skip_pdf)
		return;
	opts = (dl_report_options)DL_REPORT_OPTIONS_INIT;
	out = NULL;
	int rc = dl_report_diagnostic(&out, &len, r, s, &opts, &err);
	check_pdf("diagnostic PDF", rc, &err, text_rc, out, len);
	dl_report_free(out);
}

/* The retrofit plan's text dump, with the policy: it renders or fails for a documented reason. */
static void plan(const dl_result *r, const dl_sheet *s)
{
	dl_report_options opts = DL_REPORT_OPTIONS_INIT;
	unsigned char *out = NULL;
	size_t len = 0;
	dl_error err;

	opts.format = DL_REPORT_TEXT;
	opts.policy = policy;
	opts.catalogue = catalogue;
	int rc = dl_report_plan(&out, &len, r, s, &opts, &err);
	if (rc == 0)
		check_text_dump("plan text dump", out, len);
	else
		check_failure("plan text dump", rc, &err);
	dl_report_free(out);
}

static void acceptance(const dl_sheet *after)
{
	dl_load_options lo = DL_LOAD_OPTIONS_INIT;
	dl_report_options opts = DL_REPORT_OPTIONS_INIT;
	dl_comparison *c = NULL;
	unsigned char *out = NULL;
	size_t len = 0;
	dl_error err;

	lo.diag = fuzz_diag_or_warning;
	int rc = dl_compare(&c, questionnaire, before, after, policy, &lo, &err);
	if (rc < 0) {
		if (rc != DL_EMISMATCH && rc != DL_EINVALID && rc != DL_ENOMEM)
			fuzz_fail("comparison failed for an undocumented reason", err.message);
		return;
	}
	opts.format = DL_REPORT_TEXT;
	int text_rc = dl_report_acceptance(&out, &len, c, before, after, &opts, &err);
	if (text_rc == 0)
		check_text_dump("acceptance text dump", out, len);
	else
		check_failure("acceptance text dump", text_rc, &err);
	dl_report_free(out);
	if (!skip_pdf) {
		opts.format = DL_REPORT_PDF;
		out = NULL;
		rc = dl_report_acceptance(&out, &len, c, before, after, &opts, &err);
		check_pdf("acceptance PDF", rc, &err, text_rc, out, len);
		dl_report_free(out);
	}
	dl_comparison_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dl_sheet *s = NULL;
	dl_result *r = NULL;
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	dl_error err;
	setup();
	opts.diag = fuzz_diag;
	if (dl_sheet_load_memory(&s, (const char *)data, size, "fuzz.xml", &opts, &err) < 0)
		return 0;
	if (dl_score(&r, questionnaire, s, &opts, NULL) == 0) {
		diagnostic(r, s);
		plan(r, s);
		acceptance(s);
	}
	dl_result_free(r);
	dl_sheet_free(s);
	return 0;
}
