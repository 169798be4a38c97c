/*
 * test_reports.c: unit tests of the two documents (include/digilevel/report.h): the 数字化诊断报告
 * of every bundled example and the 验收意见 of every bundled pair, as text dumps (sane page counts,
 * every question, scenario, figure and investment item in exactly one table row, the header row
 * repeated on every page a table continues on, no row numbering gaps across page breaks), as PDF
 * (byte-identical on two renders, no timestamps, page count equal to the dump's, pdftotext finds
 * the enterprise, the level and the subsidy), the API's errors, every allocation failure of the
 * report layer, and the CLI's promise that a failure leaves no file (missing font, unwritable
 * output, output = input).
 *
 * Checks as tests/unit/test_util.h says ("skip - ..." when no CJK font or no pdftotext is
 * installed). Run from the repository root; BUILD names the build directory holding the CLI
 * (default: build).
 */
#define _POSIX_C_SOURCE 200809L

#include <digilevel.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h" /* dl__alloc_fail_after: the library's allocation-failure hook */

#include "test_util.h"

static const char *const SLUGS[] = {"chemical", "equipment", "food", "fuel", "textile"};
#define NSLUGS (sizeof(SLUGS) / sizeof(SLUGS[0]))
#define POLICY "policies/hongsibu-2024.xml"

static dl_questionnaire *Q;

/* ---- fixtures ---- */

static dl_sheet *load_sheet(const char *slug, const char *when)
{
	char path[256];
	dl_sheet *s = NULL;
	snprintf(path, sizeof(path), "examples/%s-%s.xml", slug, when);
	if (dl_sheet_load(&s, path, NULL, NULL) < 0) {
		printf("# cannot load %s\n", path);
		return NULL;
	}
	return s;
}

/* The scored example, its sheet and the policy comparison of its pair. */
typedef struct pair {
	dl_sheet *before, *after;
	dl_result *result; /* of before */
	dl_policy *policy;
	dl_comparison *c;
} pair;

static int pair_load(pair *p, const char *slug)
{
	memset(p, 0, sizeof(*p));
	p->before = load_sheet(slug, "before");
	p->after = load_sheet(slug, "after");
	if (!p->before || !p->after || dl_score(&p->result, Q, p->before, NULL, NULL) < 0 ||
	    dl_policy_load(&p->policy, POLICY, NULL, NULL) < 0 ||
	    dl_compare(&p->c, Q, p->before, p->after, p->policy, NULL, NULL) < 0)
		return -1;
	return 0;
}

static void pair_free(pair *p)
{
	dl_comparison_free(p->c);
	dl_policy_free(p->policy);
	dl_result_free(p->result);
	dl_sheet_free(p->after);
	dl_sheet_free(p->before);
}

/* ---- reading a dump ---- */

static int contains(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; n <= len && i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

/* The next line of a dump: sets *line / *len, returns the start of the following line or NULL. */
static const char *next_line(const char *p, const char **line, size_t *len)
{
	const char *nl;
	if (p == NULL || *p == '\0')
		return NULL;
	nl = strchr(p, '\n');
	*line = p;
	*len = nl ? (size_t)(nl - p) : strlen(p);
	return nl ? nl + 1 : p + *len;
}

/* The dump's page count ("digilevel layout: N pages, ..."). */
static long dump_pages(const char *dump)
{
	long n = -1;
	if (sscanf(dump, "digilevel layout: %ld pages", &n) != 1)
		return -1;
	return n;
}

/* The text of a dumped line after its role and y ("row            y= 108.2  " is 25 bytes). */
static const char *line_text(const char *line, size_t len)
{
	return len > 25 ? line + 25 : line + len;
}

/*
 * Checks the table structure of a dump: rows of a table are numbered 1, 2, 3... with no gap (a new
 * table starts again at 1; "(continued)" parts do not count), and a page whose first row continues
 * a table begun on an earlier page shows the header row ("head") before it. Returns the number of
 * problems (each printed).
 */
static int check_tables(const char *dump, const char *what)
{
	const char *p = dump, *line;
	size_t len;
	long last = 0;
	int problems = 0, head_on_page = 0, row_on_page = 0;

	while ((p = next_line(p, &line, &len)) != NULL) {
		if (strncmp(line, "=== page", 8) == 0) {
			head_on_page = row_on_page = 0;
			continue;
		}
		if (strncmp(line, "head ", 5) == 0) {
			head_on_page = 1;
			continue;
		}
		if (strncmp(line, "row ", 4) != 0)
			continue;
		const char *t = line_text(line, len);
		long no = strtol(t, NULL, 10);
		int continued =
		    strncmp(strchr(t, ':') ? strchr(t, ':') : t, ": (continued)", 13) == 0;
		if (!row_on_page && !head_on_page) {
			printf("# %s: a table continues on a page without its header row: %.*s\n",
			       what, (int)len, line);
			problems++;
		}
		row_on_page = 1;
		if (continued)
			continue;
		if (no != last + 1 && no != 1) {
			printf("# %s: row %ld follows row %ld\n", what, no, last);
			problems++;
		}
		last = no;
	}
	return problems;
}

/* How many table rows ("row" lines, not continued) have `cell` as their first cell and contain
 * `also` (NULL: anything). */
static int rows_matching(const char *dump, const char *cell, const char *also);

static int rows_with_first_cell(const char *dump, const char *cell)
{
	return rows_matching(dump, cell, NULL);
}

static int rows_matching(const char *dump, const char *cell, const char *also)
{
	const char *p = dump, *line;
	size_t len, clen = strlen(cell);
	int n = 0;

	while ((p = next_line(p, &line, &len)) != NULL) {
		const char *t, *colon;
		if (strncmp(line, "row ", 4) != 0)
			continue;
		t = line_text(line, len);
		colon = strstr(t, ": ");
		if (colon == NULL || colon >= line + len)
			continue;
		t = colon + 2;
		if ((size_t)(line + len - t) >= clen + 3 && strncmp(t, cell, clen) == 0 &&
		    strncmp(t + clen, " | ", 3) == 0 &&
		    (also == NULL || contains(t, (size_t)(line + len - t), also)))
			n++;
	}
	return n;
}

/* ---- rendering ---- */

static int render_diag(const pair *p, dl_report_format format, int target, unsigned char **out,
		       size_t *len, dl_error *err)
{
	dl_report_options o = DL_REPORT_OPTIONS_INIT;
	o.format = format;
	o.target_level = target;
	return dl_report_diagnostic(out, len, p->result, p->before, &o, err);
}

static int render_acc(const pair *p, dl_report_format format, unsigned char **out, size_t *len,
		      dl_error *err)
{
	dl_report_options o = DL_REPORT_OPTIONS_INIT;
	o.format = format;
	return dl_report_acceptance(out, len, p->c, p->before, p->after, &o, err);
}

/* ---- tests ---- */

static void test_dumps(void)
{
	for (size_t k = 0; k < NSLUGS; k++) {
		pair p;
		unsigned char *d = NULL, *a = NULL;
		size_t dl = 0, al = 0;
		dl_error err;
		char name[160];
		int rc;

		if (pair_load(&p, SLUGS[k]) < 0) {
			check(0, "load the example pair");
			pair_free(&p);
			continue;
		}
		rc = render_diag(&p, DL_REPORT_TEXT, -1, &d, &dl, &err);
		snprintf(name, sizeof(name), "%s: diagnostic text dump renders", SLUGS[k]);
		check(rc == 0 && d && strlen((char *)d) == dl, "%s", name);
		rc = render_acc(&p, DL_REPORT_TEXT, &a, &al, &err);
		snprintf(name, sizeof(name), "%s: acceptance text dump renders", SLUGS[k]);
		check(rc == 0 && a && strlen((char *)a) == al, "%s", name);
		if (!d || !a) {
			dl_report_free(d);
			dl_report_free(a);
			pair_free(&p);
			continue;
		}
		long pd = dump_pages((char *)d), pa = dump_pages((char *)a);
		snprintf(name, sizeof(name),
			 "%s: page counts are sane (diagnostic %ld, acceptance %ld)", SLUGS[k], pd,
			 pa);
		check(pd >= 6 && pd <= 20 && pa >= 6 && pa <= 20, "%s", name);
		snprintf(name, sizeof(name), "%s: tables keep every row and repeat their header",
			 SLUGS[k]);
		check(check_tables((char *)d, "diagnostic") == 0 &&
			  check_tables((char *)a, "acceptance") == 0,
		      "%s", name);

		/* every question, scenario and figure is in exactly one row of its table */
		int bad = 0;
		for (size_t qi = 0; qi < dl_questionnaire_question_count(Q); qi++) {
			const char *id = dl_questionnaire_question_id(Q, qi);
			if (rows_with_first_cell((char *)d, id) !=
			    1 + (dl_sheet_answer_note(p.before, id)[0] ||
				 dl_sheet_answer_evidence_count(p.before, id) > 0))
				bad++, printf("# diagnostic: question %s rows\n", id);
			if (rows_with_first_cell((char *)a, id) !=
			    1 + (dl_sheet_answer_note(p.after, id)[0] ||
				 dl_sheet_answer_evidence_count(p.after, id) > 0))
				bad++, printf("# acceptance: question %s rows\n", id);
		}
		for (size_t si = 0; si < dl_questionnaire_scenario_count(Q); si++) {
			const char *id = dl_questionnaire_scenario_id(Q, si);
			if (rows_with_first_cell((char *)d, id) !=
			    1 + (dl_sheet_scenario_note(p.before, id)[0] ||
				 dl_sheet_scenario_evidence_count(p.before, id) > 0))
				bad++, printf("# diagnostic: scenario %s rows\n", id);
			if (rows_with_first_cell((char *)a, id) !=
			    1 + (dl_sheet_scenario_note(p.after, id)[0] ||
				 dl_sheet_scenario_evidence_count(p.after, id) > 0))
				bad++, printf("# acceptance: scenario %s rows\n", id);
		}
		for (size_t fi = 0; fi < dl_sheet_figure_count(p.before); fi++)
			if (rows_with_first_cell((char *)d, dl_sheet_figure_id(p.before, fi)) != 1)
				bad++, printf("# diagnostic: figure %s rows\n",
					      dl_sheet_figure_id(p.before, fi));
		for (size_t i = 0; i < dl_sheet_investment_count(p.after); i++) {
			char no[32];
			snprintf(no, sizeof(no), "%zu", i + 1);
			/* the two investment tables number the items 1..n as in the sheet */
			if (rows_matching((char *)a, no, dl_sheet_investment_text(p.after, i)) != 1)
				bad++, printf("# acceptance: investment item %s rows\n", no);
		}
		snprintf(name, sizeof(name),
			 "%s: every question, scenario, figure and item is in its tables",
			 SLUGS[k]);
		check(bad == 0, "%s", name);

		/* the content people look for */
		char amount[48];
		const char *ent = dl_sheet_enterprise(p.before, DL_ENTERPRISE_NAME);
		const char *lb = dl_questionnaire_level_name(Q, dl_result_level(p.result));
		snprintf(name, sizeof(name),
			 "%s: the dumps name the enterprise, the levels, the digests", SLUGS[k]);
		check(
		    contains((char *)d, dl, ent) && contains((char *)d, dl, lb) &&
			contains((char *)d, dl, dl_sheet_digest(p.before)) &&
			contains((char *)a, al, ent) &&
			contains((char *)a, al, dl_sheet_digest(p.before)) &&
			contains((char *)a, al, dl_sheet_digest(p.after)) &&
			contains((char *)a, al,
				 dl_comparison_passed(p.c) ? "验收结论：通过" : "验收结论：不通过"),
		    "%s", name);
		dl_money_format(dl_comparison_subsidy(p.c), amount, sizeof(amount));
		snprintf(name, sizeof(name),
			 "%s: the acceptance dump states the subsidy or why none", SLUGS[k]);
		check(dl_comparison_subsidy_granted(p.c) ? contains((char *)a, al, "补助金额：") &&
							       !contains((char *)a, al, "不予补助")
							 : contains((char *)a, al, "不予补助"),
		      "%s", name);
		{
			unsigned y, m, day;
			char want[64];
			sscanf(dl_sheet_date(p.before), "%u-%u-%u", &y, &m, &day);
			snprintf(want, sizeof(want), "cover-date     y= 707.3  %u年%u月%u日\n", y,
				 m, day);
			snprintf(name, sizeof(name), "%s: the cover date is the sheet's date (%s)",
				 SLUGS[k], dl_sheet_date(p.before));
			check(contains((char *)d, dl, want), "%s", name);
		}

		dl_report_free(d);
		dl_report_free(a);
		pair_free(&p);
	}
}

static void test_targets(void)
{
	pair p;
	unsigned char *d = NULL;
	size_t len = 0;
	dl_error err;
	int rc;

	if (pair_load(&p, "food") < 0) {
		check(0, "load food");
		pair_free(&p);
		return;
	}
	rc = render_diag(&p, DL_REPORT_TEXT, 4, &d, &len, &err);
	check(rc == 0 && contains((char *)d, len, "目标等级：四级"), "--target 4 plans to 四级");
	dl_report_free(d);
	d = NULL;
	rc = render_diag(&p, DL_REPORT_TEXT, 1, &d, &len, &err);
	check(rc == 0 && contains((char *)d, len, "已达到一级"),
	      "a target already reached says so");
	dl_report_free(d);
	d = NULL;
	rc = render_diag(&p, DL_REPORT_TEXT, 7, &d, &len, &err);
	check(rc == DL_EINVALID && d == NULL && err.message[0],
	      "a target level without a grade is refused");
	pair_free(&p);

	if (pair_load(&p, "equipment") < 0) {
		pair_free(&p);
		return;
	}
	/* the after sheet is 四级: the top, no plan */
	dl_result *top = NULL;
	if (dl_score(&top, Q, p.after, NULL, NULL) == 0) {
		dl_report_options o = DL_REPORT_OPTIONS_INIT;
		o.format = DL_REPORT_TEXT;
		rc = dl_report_diagnostic(&d, &len, top, p.after, &o, &err);
		check(rc == 0 && contains((char *)d, len, "已达到最高等级四级") &&
			  contains((char *)d, len, "评测机构（盖章）："),
		      "a 四级 evaluation sheet: no plan, the evaluator's signature keys");
		dl_report_free(d);
	}
	dl_result_free(top);
	pair_free(&p);
}

static void test_api_errors(void)
{
	pair p, q2;
	unsigned char *out = NULL;
	size_t len = 0;
	dl_error err;
	dl_report_options o = DL_REPORT_OPTIONS_INIT;
	int rc;

	if (pair_load(&p, "food") < 0 || pair_load(&q2, "fuel") < 0) {
		check(0, "load food and fuel");
		return;
	}
	o.version = 99;
	rc = dl_report_diagnostic(&out, &len, p.result, p.before, &o, &err);
	check(rc == DL_EINVALID && out == NULL, "an unknown options version is refused");
	o.version = DL_REPORT_OPTIONS_VERSION;
	o.format = (dl_report_format)7;
	rc = dl_report_diagnostic(&out, &len, p.result, p.before, &o, &err);
	check(rc == DL_EINVALID && out == NULL, "an unknown format is refused");

	o = (dl_report_options)DL_REPORT_OPTIONS_INIT;
	o.font_path = "/nonexistent/font.ttc";
	rc = dl_report_diagnostic(&out, &len, p.result, p.before, &o, &err);
	check(rc == DL_EIO && out == NULL && strstr(err.message, "/nonexistent/font.ttc") &&
		  strstr(err.message, "cannot be read"),
	      "a missing font is DL_EIO, naming the path, and gives no output");
	rc = dl_report_acceptance(&out, &len, p.c, p.before, p.after, &o, &err);
	check(rc == DL_EIO && out == NULL, "the acceptance opinion too");
	o.format = DL_REPORT_TEXT;
	rc = dl_report_diagnostic(&out, &len, p.result, p.before, &o, &err);
	check(rc == 0 && out != NULL, "the text dump needs no font");
	dl_report_free(out);
	out = NULL;

	rc = dl_report_acceptance(&out, &len, p.c, q2.before, p.after, NULL, &err);
	check(rc == DL_EMISMATCH && out == NULL, "sheets of two enterprises are refused");
	rc = dl_report_acceptance(&out, &len, p.c, p.before, p.before, NULL, &err);
	check(rc == DL_EINVALID && out == NULL && strstr(err.message, "<retrofit>"),
	      "an after sheet without <retrofit> is refused");
	dl_comparison *plain = NULL;
	if (dl_compare(&plain, Q, p.before, p.after, NULL, NULL, NULL) == 0) {
		rc = dl_report_acceptance(&out, &len, plain, p.before, p.after, NULL, &err);
		check(rc == DL_EINVALID && out == NULL && strstr(err.message, "policy"),
		      "a comparison without a policy is refused");
	}
	dl_comparison_free(plain);
	dl_report_free(NULL); /* accepted: a crash here fails the program */

	/* a failed render leaves the caller's variables as they were */
	unsigned char kept = 0;
	out = &kept;
	len = 7;
	o = (dl_report_options)DL_REPORT_OPTIONS_INIT;
	o.version = 99;
	rc = dl_report_diagnostic(&out, &len, p.result, p.before, &o, &err);
	check(rc == DL_EINVALID && out == &kept && len == 7,
	      "a failed diagnostic render leaves *out and *len untouched");
	rc = dl_report_acceptance(&out, &len, p.c, p.before, p.after, &o, &err);
	check(rc == DL_EINVALID && out == &kept && len == 7,
	      "a failed acceptance render leaves *out and *len untouched");
	out = NULL;
	pair_free(&p);
	pair_free(&q2);
}

/* Every allocation of the report layer failing in turn: DL_ENOMEM, never a crash or a leak. */
static void test_allocation_failures(void)
{
	pair p;
	int all_clean = 1;
	long n, total = -1;

	if (pair_load(&p, "textile") < 0) {
		check(0, "load textile");
		pair_free(&p);
		return;
	}
	for (int which = 0; which < 2; which++) {
		for (n = 0; n < 100000; n += n < 300 ? 1 : 37) {
			unsigned char *out = NULL;
			size_t len = 0;
			dl_error err;
			int rc;
			dl__alloc_fail_after(n);
			rc = which == 0 ? render_diag(&p, DL_REPORT_TEXT, -1, &out, &len, &err)
					: render_acc(&p, DL_REPORT_TEXT, &out, &len, &err);
			dl__alloc_fail_after(-1);
			if (rc == 0) {
				dl_report_free(out);
				total = n;
				break;
			}
			if (rc != DL_ENOMEM || out != NULL) {
				all_clean = 0;
				printf("# %s: failing after %ld allocations gave %d\n",
				       which ? "acceptance" : "diagnostic", n, rc);
				break;
			}
		}
	}
	printf("# the last report needed about %ld allocations\n", total);
	check(all_clean && total > 0, "every allocation failure gives DL_ENOMEM and no output");
	pair_free(&p);
}

/* Runs pdftotext or pdfinfo on path; returns its output (malloc) or NULL. */
static char *run_tool(const char *cmd_fmt, const char *path)
{
	char cmd[512];
	char *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *fp;

	snprintf(cmd, sizeof(cmd), cmd_fmt, path);
	fp = popen(cmd, "r");
	if (fp == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap + 65536);
			if (!nb)
				break;
			buf = nb;
			cap += 65536;
		}
		size_t got = fread(buf + len, 1, cap - len - 1, fp);
		if (got == 0)
			break;
		len += got;
	}
	if (buf)
		buf[len] = '\0';
	if (pclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void test_pdf(const char *tmp)
{
	static const char *const which[] = {"equipment", "fuel"};
	int have_tools =
	    system("command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1") ==
	    0;

	for (size_t k = 0; k < 2; k++) {
		pair p;
		unsigned char *d1 = NULL, *d2 = NULL, *a1 = NULL, *a2 = NULL, *dt = NULL,
			      *at = NULL;
		size_t l1 = 0, l2 = 0, m1 = 0, m2 = 0, lt = 0, mt = 0;
		dl_error err;
		char name[200], path[300];
		int rc;

		if (pair_load(&p, which[k]) < 0) {
			check(0, "load pair");
			pair_free(&p);
			continue;
		}
		rc = render_diag(&p, DL_REPORT_PDF, -1, &d1, &l1, &err);
		if (rc == DL_EIO && strstr(err.message, "no CJK TrueType font found")) {
			skip("PDF checks: %s", err.message);
			pair_free(&p);
			return;
		}
		check(rc == 0, "diagnostic PDF renders");
		rc = render_acc(&p, DL_REPORT_PDF, &a1, &m1, &err);
		check(rc == 0, "acceptance PDF renders");
		render_diag(&p, DL_REPORT_PDF, -1, &d2, &l2, &err);
		render_acc(&p, DL_REPORT_PDF, &a2, &m2, &err);
		snprintf(name, sizeof(name),
			 "%s: two renders are byte-identical (%zu and %zu bytes)", which[k], l1,
			 m1);
		check(d1 && d2 && a1 && a2 && l1 == l2 && m1 == m2 && memcmp(d1, d2, l1) == 0 &&
			  memcmp(a1, a2, m1) == 0,
		      "%s", name);
		check(d1 && a1 && l1 > 8 && memcmp(d1, "%PDF-", 5) == 0 &&
			  !contains((char *)d1, l1, "/CreationDate") &&
			  !contains((char *)a1, m1, "/CreationDate") &&
			  !contains((char *)d1, l1, "/ID"),
		      "PDFs carry no timestamp and no random ID");
		render_diag(&p, DL_REPORT_TEXT, -1, &dt, &lt, &err);
		render_acc(&p, DL_REPORT_TEXT, &at, &mt, &err);

		if (!have_tools) {
			skip("pdftotext/pdfinfo not installed: the PDFs' text and pages");
		} else if (d1 && a1 && dt && at) {
			char level[64], amount[48];
			snprintf(path, sizeof(path), "%s/%s-diagnostic.pdf", tmp, which[k]);
			write_file(path, d1, l1);
			char *text = run_tool("pdftotext -layout '%s' - 2>/dev/null", path);
			char *info = run_tool("pdfinfo '%s' 2>/dev/null", path);
			char *pages = info ? strstr(info, "Pages:") : NULL;
			snprintf(level, sizeof(level), "数字化水平评定为%s",
				 dl_questionnaire_level_name(Q, dl_result_level(p.result)));
			snprintf(
			    name, sizeof(name),
			    "%s: pdftotext of the diagnostic report finds the enterprise and '%s'",
			    which[k], level);
			check(text &&
				  strstr(text, dl_sheet_enterprise(p.before, DL_ENTERPRISE_NAME)) &&
				  strstr(text, level),
			      "%s", name);
			snprintf(name, sizeof(name),
				 "%s: the diagnostic PDF has the dump's page count", which[k]);
			check(pages && strtol(pages + 6, NULL, 10) == dump_pages((char *)dt), "%s", name);
			free(text);
			free(info);

			snprintf(path, sizeof(path), "%s/%s-acceptance.pdf", tmp, which[k]);
			write_file(path, a1, m1);
			text = run_tool("pdftotext -layout '%s' - 2>/dev/null", path);
			info = run_tool("pdfinfo '%s' 2>/dev/null", path);
			pages = info ? strstr(info, "Pages:") : NULL;
			if (dl_comparison_subsidy_granted(p.c)) {
				char plain[40];
				size_t at2 = 0;
				dl_money_format(dl_comparison_subsidy(p.c), plain, sizeof(plain));
				/* grouped: 500000.00 -> 500,000.00 */
				size_t int_len = strcspn(plain, ".");
				for (size_t i = 0; i < strlen(plain); i++) {
					if (i > 0 && i < int_len && (int_len - i) % 3 == 0)
						amount[at2++] = ',';
					amount[at2++] = plain[i];
				}
				amount[at2] = '\0';
			} else {
				snprintf(amount, sizeof(amount), "不予补助");
			}
			snprintf(level, sizeof(level), "%s",
				 dl_questionnaire_level_name(
				     Q, dl_result_level(dl_comparison_after(p.c))));
			snprintf(name, sizeof(name),
				 "%s: pdftotext of the acceptance opinion finds the enterprise, %s "
				 "and %s",
				 which[k], level, amount);
			check(text &&
				  strstr(text, dl_sheet_enterprise(p.after, DL_ENTERPRISE_NAME)) &&
				  strstr(text, level) && strstr(text, amount),
			      "%s", name);
			snprintf(name, sizeof(name),
				 "%s: the acceptance PDF has the dump's page count", which[k]);
			check(pages && strtol(pages + 6, NULL, 10) == dump_pages((char *)at), "%s", name);
			free(text);
			free(info);
		}
		dl_report_free(d1);
		dl_report_free(d2);
		dl_report_free(a1);
		dl_report_free(a2);
		dl_report_free(dt);
		dl_report_free(at);
		pair_free(&p);
	}
}

/* ---- the CLI: no file after a failure ---- */

/* Runs the CLI with a shell command line; returns its exit status (-1 when it did not exit). */
static int run_cli(const char *args)
{
	const char *build = getenv("BUILD");
	char cmd[2048];
	int st;

	snprintf(cmd, sizeof(cmd),
		 "DIGILEVEL_QUESTIONNAIRES=questionnaires '%s/digilevel' %s >/dev/null 2>&1",
		 build && build[0] ? build : "build", args);
	st = system(cmd);
	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Number of entries in dir besides . and .. */
static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void test_cli_files(const char *tmp)
{
	char dir[300], args[1200], out[400];
	struct stat st;
	int rc;

	snprintf(dir, sizeof(dir), "%s/cli", tmp);
	mkdir(dir, 0755);
	snprintf(out, sizeof(out), "%s/report.pdf", dir);

	snprintf(args, sizeof(args),
		 "report diagnostic --font /nonexistent/font.ttc examples/food-before.xml -o '%s'",
		 out);
	rc = run_cli(args);
	check(rc == 3 && stat(out, &st) != 0 && dir_entries(dir) == 0,
	      "missing font: exit 3, no file, no temp file");

	snprintf(
	    args, sizeof(args),
	    "report diagnostic --format text examples/food-before.xml -o '%s/no-such-dir/r.txt'",
	    dir);
	rc = run_cli(args);
	check(rc == 3 && dir_entries(dir) == 0, "unwritable output: exit 3, no file");

	snprintf(args, sizeof(args),
		 "report diagnostic --format text examples/food-before.xml -o '%s'", dir);
	rc = run_cli(args);
	check(rc == 3 && dir_entries(dir) == 0, "output is a directory: exit 3, nothing written");

	/* output = input: refused before anything is read or written */
	char copy[400];
	snprintf(copy, sizeof(copy), "%s/sheet.xml", dir);
	snprintf(args, sizeof(args), "cp examples/food-before.xml '%s'", copy);
	if (system(args) == 0) {
		struct stat before, after;
		stat(copy, &before);
		snprintf(args, sizeof(args), "report diagnostic '%s' -o '%s/../cli/sheet.xml'",
			 copy, dir);
		rc = run_cli(args);
		stat(copy, &after);
		check(rc == 2 && after.st_size == before.st_size && dir_entries(dir) == 1,
		      "output = input (another spelling): exit 2, the input untouched");
		unlink(copy);
	}

	snprintf(args, sizeof(args),
		 "report diagnostic --format text examples/food-before.xml -o '%s/r.txt'", dir);
	rc = run_cli(args);
	check(rc == 0 && stat(dir, &st) == 0 && dir_entries(dir) == 1,
	      "success: exactly the output file, no temp left");
	snprintf(out, sizeof(out), "%s/r.txt", dir);
	unlink(out);
	rmdir(dir);
}

int main(void)
{
	char tmp[] = "/tmp/dl-test-reports-XXXXXX";

	if (!check(dl_questionnaire_load(&Q, "questionnaires/miit-2024.xml", NULL, NULL) == 0,
		   "load questionnaires/miit-2024.xml (run from the repository root)") ||
	    !check(mkdtemp(tmp) != NULL, "make a temporary directory")) {
		dl_questionnaire_free(Q);
		return test_done();
	}
	test_dumps();
	test_targets();
	test_api_errors();
	test_allocation_failures();
	test_pdf(tmp);
	test_cli_files(tmp);
	dl_questionnaire_free(Q);
	{
		char cmd[400];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", tmp);
	}
	return test_done();
}
