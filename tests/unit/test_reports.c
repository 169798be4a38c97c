/*
 * test_reports.c: unit tests of the two documents (include/digilevel/report.h): the 数字化诊断报告
 * of every bundled example and the 验收意见 of every bundled pair, as text dumps (sane page counts,
 * every question, scenario, figure and investment item in exactly one table row, the header row
 * repeated on every page a table continues on, no row numbering gaps across page breaks), as PDF
 * (byte-identical on two renders, no timestamps, page count equal to the dump's, pdftotext finds
 * the enterprise, the level and the subsidy), the API's errors, every allocation failure of a
 * whole report (engine included, on an allocator the program supplies), and the CLI's promise that a failure leaves no file (missing font, unwritable
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

#include "creditcode.h" /* dl__credit_code_shutdown: the pattern is compiled under failure too */

#include <stdbool.h>
#include <valgrind/valgrind.h>

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
		if (!row_on_page && !head_on_page && no != 1) { /* row 1 starts a (headerless) table */
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
		for (size_t fi = 0; fi < dl_sheet_figure_count(p.before); fi++) {
			/* numbered 1..n, with the questionnaire's Chinese label, never the id */
			const char *id = dl_sheet_figure_id(p.before, fi);
			char no[32], labelled[300];
			snprintf(no, sizeof(no), "%zu", fi + 1);
			snprintf(labelled, sizeof(labelled), " %s | ",
				 dl_questionnaire_figure_label(Q, dl_questionnaire_figure_find(Q, id)));
			if (rows_matching((char *)d, no, labelled) != 1 || strstr((char *)d, id) != NULL)
				bad++, printf("# diagnostic: figure %s rows\n", id);
		}
		for (size_t i = 0; i < dl_sheet_investment_count(p.after); i++) {
			char no[32];
			snprintf(no, sizeof(no), "%zu", i + 1);
			/* the investment tables number the items 1..n as in the sheet: the investment
			 * check, the financial check, and the on-site check when it shows the item */
			/* (and the findings' table when its finding with that number names the item) */
			int want = 2 + (dl_comparison_onsite_recorded(p.c) &&
					(dl_comparison_onsite_check(p.c, i) != DL_NONE ||
					 dl_comparison_onsite_finding(p.c, i)[0])) +
				   (i < dl_comparison_finding_count(p.c) &&
				    strstr(dl_comparison_finding_text(p.c, i),
					   dl_sheet_investment_text(p.after, i)) != NULL);
			if (rows_matching((char *)a, no, dl_sheet_investment_text(p.after, i)) != want)
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
			contains((char *)a, al, dl_comparison_verdict(p.c) == DL_VERDICT_PASS ? "验收结论：通过"
						: dl_comparison_verdict(p.c) == DL_VERDICT_RECTIFY
						    ? "验收结论：限期整改"
						    : "验收结论：不通过"),
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

/*
 * ---- every allocation of a whole report failing in turn ----
 *
 * A run is everything from files to report bytes: load the questionnaire, the two sheets and the
 * policy, score, compare, and render the diagnostic report and the acceptance opinion as text dumps
 * and as PDFs. Every allocation of the run goes through the library's one allocator (engine,
 * reports, their arenas, libharu, PCRE2), which this test replaces with counting functions
 * (dl_set_allocator). libxml2 allocates on its own here (test_alloc_fail.c fails its allocations).
 *
 * Failing allocation N for every N by running the whole report again each time would take minutes
 * (about 7,800 allocations, 70 ms a run: 5 minutes). So the run is made once, and at every
 * allocation the allocator forks: the child gets NULL for that allocation and for every later one
 * (as after dl__alloc_fail_after), finishes the run and exits with what it found; the parent waits
 * for it (two children run at once) and goes on with the allocation granted. The cost is one run
 * plus a child per allocation (about 40 s on two cores, most of it the children's copies of the
 * parent's pages and their exits). The child checks that the run ended in
 * DL_ENOMEM, that every report rendered before the failure is byte for byte the reference (the one
 * that failed hands out nothing, or it would be freed twice or compared), and that every block it
 * allocated was freed (the allocator counts live blocks: no ASan or valgrind needed for that).
 * Under valgrind every 50th allocation is failed (valgrind's own leak check runs at every child's
 * exit).
 */
static struct {
	long live;      /* blocks allocated through the counting allocator and not yet freed */
	long count;     /* allocations since the run began */
	long stride;    /* fork at every stride-th allocation; 0: not during a run */
	bool child;     /* this is a child: every allocation fails */
	long children, problems;
	long failed_at; /* the child's failed allocation */
} fork_fail;

enum { CHILD_OK = 0, CHILD_NOT_ENOMEM = 10, CHILD_OUTPUT = 11, CHILD_LEAK = 12 };

/* Children still running (two at a time: the parent goes on while a child finishes its run). */
#define CHILDREN_AT_ONCE 2
static struct {
	pid_t pid;
	long failed_at;
} running[CHILDREN_AT_ONCE];
static int nrunning;

/* Waits for one running child and reports what it found. */
static void wait_child(void)
{
	int status = 0;
	pid_t pid = wait(&status);
	int i = 0;
	while (i < nrunning && running[i].pid != pid)
		i++;
	if (pid < 0 || i == nrunning) {
		if (fork_fail.problems++ < 10)
			printf("# cannot wait for a child\n");
		nrunning = 0; /* nothing left to wait for */
		return;
	}
	long n = running[i].failed_at;
	running[i] = running[--nrunning];
	fork_fail.children++;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != CHILD_OK) {
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
		if (fork_fail.problems++ < 10)
			printf("# failing allocation %ld: %s (child status %d)\n", n,
			       code == CHILD_NOT_ENOMEM ? "the run did not end in DL_ENOMEM"
			       : code == CHILD_OUTPUT	? "a report handed out differs"
			       : code == CHILD_LEAK	? "a block was not freed"
			       : code < 0		? "the run crashed"
							: "the run failed",
			       code);
	}
}

/* At allocation fork_fail.count: fork a child that fails it; the parent's allocation goes on. */
static bool fork_fail_here(void)
{
	if (fork_fail.child)
		return true;
	if (fork_fail.stride == 0 || fork_fail.count++ % fork_fail.stride != 0)
		return false;
	if (nrunning == CHILDREN_AT_ONCE)
		wait_child();
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		fork_fail.child = true;
		fork_fail.failed_at = fork_fail.count - 1;
		return true;
	}
	if (pid < 0) {
		if (fork_fail.problems++ < 10)
			printf("# allocation %ld: cannot fork\n", fork_fail.count - 1);
		return false;
	}
	running[nrunning].pid = pid;
	running[nrunning++].failed_at = fork_fail.count - 1;
	return false;
}

static void *counting_malloc(size_t size)
{
	void *p = fork_fail_here() ? NULL : malloc(size);
	fork_fail.live += p != NULL;
	return p;
}

static void *counting_realloc(void *ptr, size_t size)
{
	void *p = fork_fail_here() ? NULL : realloc(ptr, size);
	fork_fail.live += p != NULL && ptr == NULL;
	return p;
}

static void counting_free(void *ptr)
{
	fork_fail.live -= ptr != NULL;
	free(ptr);
}

typedef struct report_run {
	dl_report_format formats[2]; /* DL_REPORT_TEXT, then DL_REPORT_PDF when a font is installed */
	size_t nformats;
	unsigned char *out[2][2]; /* [diagnostic, acceptance][format] */
	size_t len[2][2];
	dl_error err; /* of the step that failed */
} report_run;

/* The whole run; frees all it made except the reports in r->out. Returns 0 or the first error. */
static int run_reports(report_run *r)
{
	dl_questionnaire *q = NULL;
	dl_sheet *before = NULL, *after = NULL;
	dl_policy *policy = NULL;
	dl_result *result = NULL;
	dl_comparison *c = NULL;
	dl_report_options o = DL_REPORT_OPTIONS_INIT;
	int rc;

	memset(r->out, 0, sizeof(r->out));
	memset(&r->err, 0, sizeof(r->err));
	if ((rc = dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, &r->err)) < 0 ||
	    (rc = dl_sheet_load(&before, "examples/textile-before.xml", NULL, &r->err)) < 0 ||
	    (rc = dl_sheet_load(&after, "examples/textile-after.xml", NULL, &r->err)) < 0 ||
	    (rc = dl_policy_load(&policy, POLICY, NULL, &r->err)) < 0 ||
	    (rc = dl_score(&result, q, before, NULL, &r->err)) < 0 ||
	    (rc = dl_compare(&c, q, before, after, policy, NULL, &r->err)) < 0)
		goto done;
	for (size_t f = 0; f < r->nformats; f++) {
		o.format = r->formats[f];
		if ((rc = dl_report_diagnostic(&r->out[0][f], &r->len[0][f], result, before, &o,
					       &r->err)) < 0 ||
		    (rc = dl_report_acceptance(&r->out[1][f], &r->len[1][f], c, before, after, &o,
					       &r->err)) < 0)
			goto done;
	}
done:
	dl_comparison_free(c);
	dl_result_free(result);
	dl_policy_free(policy);
	dl_sheet_free(after);
	dl_sheet_free(before);
	dl_questionnaire_free(q);
	dl__credit_code_shutdown(); /* compiled again by the next run, under failure too */
	return rc;
}

static void run_free(report_run *r)
{
	for (size_t i = 0; i < 2; i++)
		for (size_t f = 0; f < 2; f++) {
			dl_report_free(r->out[i][f]);
			r->out[i][f] = NULL;
		}
}

static void test_allocation_failures(void)
{
	report_run want = {{DL_REPORT_TEXT, DL_REPORT_PDF}, 2, {{NULL}}, {{0}}, {0}}, got = want;

	/* The reference run, before the allocator changes: blocks made now are freed by free(). */
	int rc = run_reports(&want);
	if (rc < 0) {
		skip("whole reports under allocation failure: no PDF without a CJK font (rc %d)", rc);
		run_free(&want);
		want.nformats = got.nformats = 1;
		if (!check(run_reports(&want) == 0, "the text reports render"))
			return;
	}
	dl_questionnaire_free(Q); /* made with free(): freed before the allocator changes */
	Q = NULL;
	if (!check(dl_set_allocator(counting_malloc, counting_realloc, counting_free) == 0,
		   "a program can give the library its allocator"))
		goto done;
	check(dl_set_allocator(counting_malloc, NULL, counting_free) == DL_EINVALID,
	      "an allocator without realloc is refused");

	/* The same run on the counting allocator gives the same bytes and frees every block. */
	rc = run_reports(&got);
	bool same = rc == 0;
	for (size_t i = 0; i < 2; i++)
		for (size_t f = 0; same && f < got.nformats; f++)
			same = got.len[i][f] == want.len[i][f] &&
			       memcmp(got.out[i][f], want.out[i][f], got.len[i][f]) == 0;
	run_free(&got);
	check(same && fork_fail.live == 0,
	      "on the program's allocator the reports are byte for byte the same and every block is "
	      "freed (%ld live)", fork_fail.live);

	long stride = RUNNING_ON_VALGRIND ? 50 : 1;
	fork_fail.stride = stride;
	fork_fail.count = 0;
	rc = run_reports(&got);
	fork_fail.stride = 0;
	if (!fork_fail.child)
		while (nrunning > 0)
			wait_child();
	if (fork_fail.child) {
		int status = rc != DL_ENOMEM ? CHILD_NOT_ENOMEM : CHILD_OK;
		if (status != CHILD_OK && fork_fail.problems < 10) {
			printf("# failing allocation %ld gave %d: %s\n", fork_fail.failed_at, rc,
			       got.err.message);
			fflush(stdout);
		}
		for (size_t i = 0; i < 2; i++)
			for (size_t f = 0; f < got.nformats; f++)
				if (got.out[i][f] &&
				    (got.len[i][f] != want.len[i][f] ||
				     memcmp(got.out[i][f], want.out[i][f], got.len[i][f]) != 0))
					status = CHILD_OUTPUT;
		run_free(&got);
		if (status == CHILD_OK && fork_fail.live != 0)
			status = CHILD_LEAK;
		_exit(status);
	}
	run_free(&got);
	printf("# a whole report (text%s) makes %ld allocations; %ld were failed in turn\n",
	       want.nformats == 2 ? " and PDF" : "", fork_fail.count, fork_fail.children);
	check(rc == 0 && fork_fail.count > 1000 &&
		      fork_fail.children == (fork_fail.count + stride - 1) / stride &&
		      fork_fail.problems == 0,
	      "every allocation of a whole report failing in turn (%ld of them, engine, reports, "
	      "libharu and PCRE2) ends in DL_ENOMEM, no output and no block left", fork_fail.children);
done:
	check(dl_set_allocator(NULL, NULL, NULL) == 0 && fork_fail.live == 0,
	      "the C library's allocator back, with no block of the counting one alive");
	run_free(&want);
	check(dl_questionnaire_load(&Q, "questionnaires/miit-2024.xml", NULL, NULL) == 0,
	      "load the questionnaire again for the tests that follow");
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
