/*
 * test_batch_api.c: the cohort API (include/digilevel/batch.h) used as a program other than the CLI
 * would use it: sheets from files, memory and a stream, taken back in input order, paired by
 * 统一社会信用代码, compared under a policy, and read as rows.
 *
 * Checked: the pairing of the bundled examples; which of two evaluations stands, and the warning
 * that says so (as data, through the callback: the library prints nothing); a stream, whole and
 * broken; the policy verdict and subsidy of a pair and the exact money total; a bad sheet in the
 * middle coming back in its place with its diagnostics; a sheet from memory scoring as its file
 * does; rows identical with 1 and 4 threads; reports handed to the caller. (The refusal of a money
 * total past 64 bits is checked on the same summing in test_batch_totals.c: 92,234 enterprises
 * would be needed here.)
 */
#include <digilevel.h>

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_i18n.h"
#include "test_util.h"

/* --- a growing text --------------------------------------------------------------------------- */

typedef struct text {
	char *s;
	size_t len;
} text;

static void add(text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void add(text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *grown = realloc(t->s, t->len + (size_t)n + 1);
	if (!grown)
		abort(); /* a test program: no memory is no test */
	t->s = grown;
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* Every field of a side and a row, one line per row: two runs agree only if every field does. */
static void add_side(text *t, const dl_batch_side *s)
{
	char buf[32];
	if (!s->present) {
		add(t, " -");
		return;
	}
	add(t, " [%s %s %s %d %s %s %d %s %s %s", s->file, s->date, s->phase, s->level,
	    s->level_name, dl_points_format(s->total, buf, sizeof(buf)), s->attempt, s->applied,
	    s->questionnaire, s->questionnaire_sha256);
	for (size_t i = 0; i < s->dim_count; i++)
		add(t, " %s=%s", s->dim_titles[i], dl_points_format(s->dims[i], buf, sizeof(buf)));
	add(t, "]");
}

static void add_row(text *t, const dl_batch_row *r)
{
	add(t, "%s|%s|%s|%s|%s|%s|%s|%s|", r->code, r->name, r->industry, r->scale, r->tags,
	    r->status, r->reason, r->phase_id);
	add_side(t, &r->before);
	add_side(t, &r->after);
	add(t, "|%d %d %lld %lld|%u|%s|%d%d|%d %u\n", r->has_verdict, r->passed,
	    (long long)r->eligible, (long long)r->subsidy, r->differences,
	    r->warning ? r->warning : "-", r->has_before_sheet, r->has_after_sheet, r->report_rc,
	    r->reports);
}

/* --- one run ---------------------------------------------------------------------------------- */

/* What the feed adds: files, then a stream, then a text from memory, then an unreadable input. */
typedef struct inputs {
	const char *const *files;
	const char *stream;
	const char *memory_from; /* a file read and added as memory, named "memory.xml" */
	const char *failed;	 /* added with dl_batch_add_failed */
	int stream_rc;		 /* what dl_batch_add_stream returned */
	dl_error stream_err;
} inputs;

static int feed(dl_batch *b, void *userdata)
{
	inputs *in = userdata;
	for (size_t i = 0; in->files && in->files[i]; i++)
		if (dl_batch_add_file(b, in->files[i]) != 0)
			return DL_ENOMEM;
	if (in->stream)
		in->stream_rc = dl_batch_add_stream(b, in->stream, &in->stream_err);
	if (in->memory_from) {
		size_t len = 0;
		char *xml = read_file(in->memory_from, &len);
		int rc = xml ? dl_batch_add_memory(b, xml, len, "memory.xml", 1) : DL_EIO;
		free(xml);
		if (rc != 0)
			return rc;
	}
	if (in->failed &&
	    dl_batch_add_failed(b, in->failed, "not read: a FIFO, not a regular file") != 0)
		return DL_ENOMEM;
	return 0;
}

static void keep_warning(const char *file, const char *message, void *userdata)
{
	add(userdata, "%s: %s\n", file ? file : "-", message);
}

static int count_report(const char *code, const char *kind, const unsigned char *pdf, size_t len,
			void *userdata)
{
	(void)code;
	(void)kind;
	bool is_pdf = len > 5 && memcmp(pdf, "%PDF-", 5) == 0;
	if (is_pdf)
		atomic_fetch_add((atomic_int *)userdata, 1);
	return is_pdf ? 0 : DL_EIO;
}

typedef struct run {
	text sheets;   /* per sheet taken, in order: "path status first-error-line" */
	text rows;     /* every row, every field */
	text warnings; /* what the warning callback was handed */
	unsigned long granted;
	int64_t total;
	int total_rc;
	size_t row_count;
	atomic_int reports;  /* PDFs handed to the report callback, from worker threads */
	gathered csv, jsonl; /* the rows through the library's writers */
} run;

/* Run a whole batch over in with threads threads (and a policy, and reports, if given). */
static bool run_batch(run *out, inputs *in, int threads, const dl_policy *policy, bool reports,
		      bool per_sheet)
{
	memset(out, 0, sizeof(*out));
	dl_batch_options opts = DL_BATCH_OPTIONS_INIT;
	opts.threads = threads;
	opts.policy = policy;
	opts.per_sheet = per_sheet;
	opts.questionnaire_dir = "questionnaires";
	opts.warning = keep_warning;
	opts.warning_data = &out->warnings;
	if (reports) {
		opts.report = count_report;
		opts.report_data = &out->reports;
	}
	dl_batch *b = NULL;
	dl_batch_writer *csv = NULL, *jsonl = NULL;
	if (dl_batch_new(&b, &opts, NULL) != 0 || dl_batch_start(b, feed, in) != 0 ||
	    dl_batch_writer_new(&csv, DL_BATCH_CSV, per_sheet, gather, &out->csv) != 0 ||
	    dl_batch_writer_new(&jsonl, DL_BATCH_JSON_LINES, per_sheet, gather, &out->jsonl) != 0) {
		dl_batch_writer_free(csv);
		dl_batch_free(b);
		return false;
	}
	dl_batch_sheet *s;
	while (dl_batch_next(b, &s) > 0) {
		const char *errors = dl_batch_sheet_errors(s);
		add(&out->sheets, "%s:%lu %d %.*s\n", dl_batch_sheet_path(s),
		    dl_batch_sheet_line(s), dl_batch_sheet_status(s),
		    errors ? (int)strcspn(errors, "\n") : 1, errors ? errors : "-");
		if (per_sheet) {
			const dl_batch_row *r = dl_batch_sheet_row(s);
			char why[600];
			snprintf(why, sizeof(why), "%.*s", errors ? (int)strcspn(errors, "\n") : 0,
				 errors ? errors : "");
			if (r)
				add_row(&out->rows, r);
			dl_batch_write_sheet_row(csv, r, dl_batch_sheet_path(s), why);
			dl_batch_write_sheet_row(jsonl, r, dl_batch_sheet_path(s), why);
			dl_batch_sheet_free(s);
		} else if (dl_batch_pair(b, s) != 0) {
			dl_batch_sheet_free(s);
		}
	}
	bool ok = dl_batch_feed_status(b) == 0;
	if (!per_sheet)
		ok &= dl_batch_finish(b) == 0;
	out->row_count = dl_batch_row_count(b);
	size_t dims = 0;
	for (size_t i = 0; i < out->row_count; i++) {
		const dl_batch_row *r = dl_batch_row_at(b, i);
		dims = r->before.dim_count > dims ? r->before.dim_count : dims;
		dims = r->after.dim_count > dims ? r->after.dim_count : dims;
	}
	ok &= dl_batch_write_header(csv, dims) == 0;
	for (size_t i = 0; i < out->row_count; i++) {
		add_row(&out->rows, dl_batch_row_at(b, i));
		ok &= dl_batch_write_row(csv, dl_batch_row_at(b, i)) == 0;
		ok &= dl_batch_write_row(jsonl, dl_batch_row_at(b, i)) == 0;
	}
	ok &= dl_batch_writer_finish(csv) == 0 && dl_batch_writer_finish(jsonl) == 0;
	dl_batch_writer_free(csv);
	dl_batch_writer_free(jsonl);
	out->total_rc = dl_batch_subsidy_total(b, &out->granted, &out->total);
	dl_batch_free(b);
	return ok;
}

static void run_free(run *r)
{
	free(r->csv.data);
	free(r->jsonl.data);
	free(r->sheets.s);
	free(r->rows.s);
	free(r->warnings.s);
}

static bool has(const text *t, const char *s)
{
	return t->s && strstr(t->s, s) != NULL;
}

/* --- the checks ------------------------------------------------------------------------------- */

#define WHICH "tests/cases/batch-which-sheets-stand/sheets/"
static const char *const which_sheets[] = {
    WHICH "1-food-diagnosis.xml",     WHICH "2-food-attempt2.xml",
    WHICH "3-food-attempt1.xml",      WHICH "4-food-selfcheck.xml",
    WHICH "5-textile-evaluation.xml", WHICH "6-textile-selfcheck.xml",
    WHICH "7-textile-diagnosis.xml",  NULL};

static const char *const examples[] = {"examples/chemical-before.xml",
				       "examples/chemical-after.xml",
				       "examples/equipment-before.xml",
				       "examples/equipment-after.xml",
				       "examples/food-before.xml",
				       "examples/food-after.xml",
				       "examples/fuel-before.xml",
				       "examples/fuel-after.xml",
				       "examples/textile-before.xml",
				       "examples/textile-after.xml",
				       NULL};

static void test_pairing(const dl_policy *policy)
{
	inputs in = {examples, NULL, NULL, NULL, 0, {0}};
	run r;
	check(run_batch(&r, &in, 2, policy, false, false), "the examples run through a batch");
	check(r.row_count == 5, "five enterprises from ten sheets (got %zu)", r.row_count);
	check(!has(&r.rows, "diagnosis only") && !has(&r.rows, "evaluation only") &&
		  !has(&r.rows, "not compared"),
	      "each example's diagnosis is paired with its evaluation by credit code");
	check(has(&r.rows, "[examples/food-before.xml ") &&
		  has(&r.rows, "[examples/food-after.xml "),
	      "a row shows its before and after files");
	check(r.warnings.len == 0, "no warning when every enterprise sends one sheet per phase");
	run_free(&r);
}

static void test_which_stands(const dl_policy *policy)
{
	inputs in = {which_sheets, NULL, NULL, NULL, 0, {0}};
	run r;
	check(run_batch(&r, &in, 3, policy, false, false), "seven sheets of two enterprises run");
	check(r.row_count == 2, "two enterprises (got %zu)", r.row_count);
	check(has(&r.warnings, "-: 91640303MA76L2K45X has two evaluations, " WHICH
			       "2-food-attempt2.xml and " WHICH "3-food-attempt1.xml: " WHICH
			       "2-food-attempt2.xml stands (the later acceptance "
			       "attempt, 2 over 1); " WHICH "3-food-attempt1.xml is set aside\n"),
	      "the warning callback is handed which evaluation stands and why");
	check(has(&r.rows, "[" WHICH "2-food-attempt2.xml 2025-09-20 evaluation 2 "),
	      "the second acceptance attempt stands as the food enterprise's after");
	check(has(&r.rows, "[" WHICH "7-textile-diagnosis.xml ") &&
		  !has(&r.rows, "[" WHICH "6-textile-selfcheck.xml ") &&
		  !has(&r.rows, "[" WHICH "4-food-selfcheck.xml "),
	      "a diagnosis stands over a self-check");
	/* the verdict under the policy, as `digilevel batch` shows it (batch-which-sheets-stand) */
	check(has(&r.rows, "|paired|") && has(&r.rows, "|phase-2| [") &&
		  has(&r.rows, "|1 1 55010000 33006000|"),
	      "the food pair passes, in phase-2, 550,100.00 eligible, 330,060.00 subsidy");
	check(r.total_rc == 0 && r.granted == 2 && r.total == 56029000,
	      "the subsidies add up exactly: 2 enterprises, 560,290.00 yuan (got %d, %lu, %lld)",
	      r.total_rc, r.granted, (long long)r.total);
	run_free(&r);
}

static void test_bad_sheet_in_the_middle(void)
{
	static const char *const files[] = {
	    "tests/cases/batch-bad-sheet-in-the-middle/sheets/food-after.xml",
	    "tests/cases/batch-bad-sheet-in-the-middle/sheets/textile-after.xml",
	    "tests/cases/batch-bad-sheet-in-the-middle/sheets/food-before.xml", NULL};
	inputs in = {files, NULL, NULL, "no-such-fifo", 0, {0}};
	run r;
	check(run_batch(&r, &in, 2, NULL, false, false),
	      "a batch with a bad sheet in the middle runs");
	const char *expected =
	    "tests/cases/batch-bad-sheet-in-the-middle/sheets/food-after.xml:0 0 -\n"
	    "tests/cases/batch-bad-sheet-in-the-middle/sheets/textile-after.xml:0 -1 "
	    "tests/cases/batch-bad-sheet-in-the-middle/sheets/textile-after.xml:41:46: Comment not "
	    "terminated\n"
	    "tests/cases/batch-bad-sheet-in-the-middle/sheets/food-before.xml:0 0 -\n"
	    "no-such-fifo:0 -2 not read: a FIFO, not a regular file\n";
	check(r.sheets.s && strcmp(r.sheets.s, expected) == 0,
	      "the sheets come back in input order, the bad one in its place with its diagnostics, "
	      "the unreadable input last with its message");
	if (!r.sheets.s || strcmp(r.sheets.s, expected) != 0)
		printf("# got:\n%s", r.sheets.s ? r.sheets.s : "");
	check(r.row_count == 1 && has(&r.rows, "|paired|"), "the good sheets around it still pair");
	run_free(&r);
}

static void test_stream(void)
{
	inputs in = {NULL, "tests/cases/batch-stream-per-sheet/cohort.xml", NULL, NULL, 0, {0}};
	run r;
	check(run_batch(&r, &in, 2, NULL, false, true), "a stream runs per sheet");
	check(in.stream_rc == 0, "the whole stream was read (got %d)", in.stream_rc);
	check(has(&r.sheets, "cohort.xml:240:5: level 71 of scenario 'S02'"),
	      "its bad sheet is reported at its line in the stream");
	size_t lines = 0;
	for (const char *p = r.rows.s; p && (p = strchr(p, '\n')); p++)
		lines++;
	check(lines == 2 && has(&r.rows, "|diagnosis|") && has(&r.rows, "|evaluation|"),
	      "two rows per sheet, their status the phase (got %zu)", lines);
	check(r.row_count == 0, "per sheet, the batch keeps no enterprise");
	run_free(&r);

	inputs broken = {NULL, "tests/unit/test_batch_api.c", NULL, NULL, 0, {0}};
	check(run_batch(&r, &broken, 1, NULL, false, true), "a file that is no stream runs");
	check(broken.stream_rc == 1 && broken.stream_err.code != 0 && r.sheets.len == 0,
	      "it is reported as a broken stream, with no sheet (got %d)", broken.stream_rc);
	run_free(&r);
}

static void test_memory(void)
{
	static const char *const files[] = {"examples/fuel-before.xml", NULL};
	inputs in = {files, NULL, "examples/fuel-before.xml", NULL, 0, {0}};
	run r;
	check(run_batch(&r, &in, 2, NULL, false, true), "a sheet from memory runs");
	char *first = r.rows.s, *second = first ? strchr(first, '\n') : NULL;
	bool same = false;
	if (second) { /* the rows agree but for the file name */
		*second++ = '\0';
		second[strcspn(second, "\n")] = '\0';
		char *a = strstr(first, "[examples/fuel-before.xml "),
		     *b = strstr(second, "[memory.xml ");
		same = a && b && a - first == b - second &&
		       strncmp(first, second, (size_t)(a - first)) == 0 &&
		       strcmp(a + strlen("[examples/fuel-before.xml "),
			      b + strlen("[memory.xml ")) == 0;
	}
	check(same, "the text from memory scores as its file does");
	run_free(&r);
}

static void test_threads(const dl_policy *policy)
{
	static const char *files[32];
	size_t n = 0;
	for (size_t i = 0; examples[i]; i++)
		files[n++] = examples[i];
	for (size_t i = 0; which_sheets[i]; i++)
		files[n++] = which_sheets[i];
	files[n++] = "tests/cases/batch-bad-sheet-in-the-middle/sheets/textile-after.xml";
	files[n] = NULL;
	inputs in1 = {files, "tests/cases/batch-stream-per-sheet/cohort.xml", NULL, NULL, 0, {0}};
	inputs in4 = in1;
	run one, four;
	bool ok = run_batch(&one, &in1, 1, policy, true, false);
	ok &= run_batch(&four, &in4, 4, policy, true, false);
	check(ok, "the same inputs run on 1 and on 4 threads");
	check(one.rows.s && four.rows.s && strcmp(one.rows.s, four.rows.s) == 0,
	      "the rows are identical, field for field, with 1 and with 4 threads");
	check(one.sheets.s && four.sheets.s && strcmp(one.sheets.s, four.sheets.s) == 0 &&
		  one.warnings.s && four.warnings.s && strcmp(one.warnings.s, four.warnings.s) == 0,
	      "so are the sheets taken back and the warnings, in the same order");
	check(one.reports == four.reports && one.reports > 0,
	      "the report callback is handed as many PDFs either way (%d, %d)",
	      atomic_load(&one.reports), atomic_load(&four.reports));
	run_free(&one);
	run_free(&four);
}

/* s with every `from` replaced by `to` (caller frees), for comparing with a golden file. */
static char *replaced(const char *s, const char *from, const char *to)
{
	text t = {NULL, 0};
	add(&t, "%s", "");
	for (const char *at; (at = strstr(s, from)) != NULL; s = at + strlen(from))
		add(&t, "%.*s%s", (int)(at - s), s, to);
	add(&t, "%s", s);
	return t.s;
}

/* The lines of a golden case's expected output that start with prefix, in order. */
static char *lines_starting(const char *path, const char *prefix)
{
	size_t len = 0;
	char *all = read_file(path, &len);
	text t = {NULL, 0};
	add(&t, "%s", "");
	for (char *line = all; line && *line;) {
		char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) + 1 : strlen(line);
		if (strncmp(line, prefix, strlen(prefix)) == 0)
			add(&t, "%.*s", (int)n, line);
		line += n;
	}
	free(all);
	return t.s;
}

/* The library's writers give the bytes `digilevel batch` writes (the golden cases' rows). */
static void test_writers(const dl_policy *policy)
{
	inputs in = {which_sheets, NULL, NULL, NULL, 0, {0}};
	run r;
	check(run_batch(&r, &in, 2, policy, false, false), "the which-sheets-stand case runs");
	char *golden = lines_starting("tests/cases/batch-which-sheets-stand/expected", "9164");
	char *header =
	    lines_starting("tests/cases/batch-which-sheets-stand/expected", "credit_code,");
	text all = {NULL, 0};
	add(&all, "%s%s", header, golden);
	char *a = replaced(all.s, "../../../questionnaires/", "questionnaires/");
	char *expected = replaced(a, "sheets/", WHICH);
	check(r.csv.data && strcmp(r.csv.data, expected) == 0,
	      "the CSV through dl_batch_writer is the batch's CSV, byte for byte");
	free(golden);
	free(header);
	free(all.s);
	free(a);
	free(expected);
	run_free(&r);

	inputs stream = {NULL, "tests/cases/batch-stream-per-sheet/cohort.xml", NULL, NULL, 0, {0}};
	check(run_batch(&r, &stream, 2, NULL, false, true), "the stream-per-sheet case runs");
	golden = lines_starting("tests/cases/batch-stream-per-sheet/expected", "{");
	a = replaced(golden, "../../../questionnaires/", "questionnaires/");
	expected = replaced(a, "cohort.xml", "tests/cases/batch-stream-per-sheet/cohort.xml");
	check(r.jsonl.data && strcmp(r.jsonl.data, expected) == 0,
	      "the per-sheet JSON Lines through dl_batch_writer are the batch's, failed sheet "
	      "included");
	check(r.csv.data &&
		  strncmp(r.csv.data, "credit_code,name,industry,scale,tags,status,file,", 49) ==
		      0 &&
		  strstr(r.csv.data, ",,,,,error,tests/cases/batch-stream-per-sheet/cohort.xml,") !=
		      NULL,
	      "the per-sheet CSV has its header and the failed sheet's error row");
	free(golden);
	free(a);
	free(expected);
	run_free(&r);
}

/* Editions from the shipped folder, and the synthetic four-dimension one from its test case. */
static int find_questionnaire(dl_questionnaire **out, const char *id, const char *version,
			      void *userdata, dl_error *err)
{
	(void)userdata;
	int rc = dl_questionnaire_find(out, "questionnaires", id, version, NULL, err);
	if (rc == DL_ENOTFOUND)
		rc = dl_questionnaire_find(out, "tests/cases/batch-four-dimensions-per-sheet/q", id,
					   version, NULL, err);
	return rc;
}

/* A batch's rows into a pilot cohort (dl_batch_cohort), as `digilevel cohort` does. */
static void test_cohort_join(const dl_policy *policy)
{
	static const char *files[16];
	size_t n = 0;
	for (size_t i = 0; examples[i]; i++)
		files[n++] = examples[i];
	const size_t only_examples = n;
	files[n++] = "tests/cases/batch-four-dimensions-per-sheet/sheets/four-1-before.xml";
	files[n++] = "tests/cases/batch-four-dimensions-per-sheet/sheets/four-2-after.xml";
	files[n] = NULL;
	for (int pass = 0; pass < 2; pass++) {
		dl_questionnaire *q = NULL;
		dl_targets *t = NULL;
		dl_cohort *cohort = NULL;
		dl_batch *b = NULL;
		dl_batch_cohort *join = NULL;
		text warnings = {NULL, 0};
		gathered csv = {NULL, 0};
		inputs in = {files, NULL, NULL, NULL, 0, {0}};
		dl_batch_options opts = DL_BATCH_OPTIONS_INIT;
		opts.threads = 2;
		opts.policy = policy;
		opts.questionnaire = find_questionnaire;
		if (pass == 0)
			files[only_examples] =
			    NULL; /* the examples alone, as cohort-examples-csv */
		else
			files[only_examples] =
			    "tests/cases/batch-four-dimensions-per-sheet/sheets/four-1-before.xml";
		bool ok =
		    dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, NULL) == 0 &&
		    dl_targets_load(&t, "policies/hongsibu-2024-targets.xml", NULL, NULL) == 0 &&
		    dl_cohort_new(&cohort, t, q, policy, NULL) == 0 &&
		    dl_batch_cohort_new(&join, cohort, keep_warning, &warnings) == 0 &&
		    dl_batch_new(&b, &opts, NULL) == 0 && dl_batch_start(b, feed, &in) == 0;
		dl_batch_sheet *s;
		while (ok && dl_batch_next(b, &s) > 0) {
			dl_batch_cohort_note_sheet(join, s);
			if (dl_batch_pair(b, s) != 0)
				dl_batch_sheet_free(s);
		}
		ok = ok && dl_batch_finish(b) == 0;
		size_t added = 0;
		for (size_t i = 0; ok && i < dl_batch_row_count(b); i++) {
			const dl_cohort_entry *entry = NULL;
			if (dl_batch_cohort_entry(join, dl_batch_row_at(b, i), &entry) == 0 &&
			    dl_cohort_add(cohort, entry, NULL) == 0)
				added++;
		}
		if (pass == 0) {
			ok = ok && dl_cohort_write_table(cohort, "targets", DL_COHORT_CSV, gather, &csv) == 0;
			size_t len = 0;
			char *golden = read_file("tests/cases/cohort-examples-csv/expected", &len);
			char *body = golden;
			for (int line = 0; body && line < 3; line++) /* the summary on stderr */
				body = strchr(body, '\n') ? strchr(body, '\n') + 1 : NULL;
			char *end = body ? strstr(body, "[exit ") : NULL;
			if (end)
				*end = '\0';
			char *expected =
			    body ? replaced(body, "../../../questionnaires/", "questionnaires/")
				 : NULL;
			check(ok && added == 5 && expected && csv.data &&
				  strcmp(csv.data, expected) == 0,
			      "the examples' rows make the cohort `digilevel cohort --format csv` "
			      "shows, "
			      "byte for byte (%zu entries)",
			      added);
			free(golden);
			free(expected);
		} else {
			check(ok && added == 6 &&
				  has(&warnings,
				      "tests/cases/batch-four-dimensions-per-sheet/sheets/"
				      "four-1-before.xml: 评分规则测试企业 (91640303MA0T00001G) "
				      "answers questionnaire synthetic-four-dimensions 1; the "
				      "targets are counted in miit-2024 2024: this sheet is not "
				      "counted\n"),
			      "a sheet of another edition is not counted, and the warning callback "
			      "says "
			      "which and why");
		}
		free(csv.data);
		free(warnings.s);
		dl_batch_free(b);
		dl_batch_cohort_free(join);
		dl_cohort_free(cohort);
		dl_targets_free(t);
		dl_questionnaire_free(q);
	}
}

/* The library prints nothing: warnings and diagnostics are data for the caller. */
static void test_prints_nothing(const dl_policy *policy)
{
	static const char *files[16];
	size_t n = 0;
	for (size_t i = 0; which_sheets[i]; i++)
		files[n++] = which_sheets[i];
	files[n++] = "tests/cases/batch-bad-sheet-in-the-middle/sheets/textile-after.xml";
	files[n] = NULL;
	inputs in = {files, "tests/unit/test_batch_api.c", NULL, "no-such-fifo", 0, {0}};
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	fflush(stderr);
	if (!tmp || saved < 0 || dup2(fileno(tmp), STDERR_FILENO) < 0) {
		check(false, "standard error can be caught");
		return;
	}
	run r;
	bool ok = run_batch(&r, &in, 2, policy, false, false);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	fseek(tmp, 0, SEEK_END);
	long written = ftell(tmp);
	fclose(tmp);
	check(ok && r.warnings.len > 0 && written == 0,
	      "a batch with a warning, a bad sheet and a broken stream writes nothing on stderr "
	      "(%ld bytes)",
	      written);
	run_free(&r);
}

static void test_options(void)
{
	dl_batch *b = NULL;
	dl_batch_options opts = DL_BATCH_OPTIONS_INIT;
	dl_error err;
	opts.threads = 257;
	check(dl_batch_new(&b, &opts, &err) == DL_EINVALID && b == NULL && err.code == DL_EINVALID,
	      "257 threads are refused with a message");
	opts.threads = 0;
	opts.version = 99;
	check(dl_batch_new(&b, &opts, &err) == DL_EINVALID,
	      "options of another version are refused");
	opts.version = DL_BATCH_OPTIONS_VERSION;
	check(dl_batch_new(&b, &opts, &err) == 0 && dl_batch_finish(b) == 0 &&
		  dl_batch_row_count(b) == 0 && dl_batch_finish(b) == DL_EINVALID,
	      "an empty batch finishes with no rows, once");
	dl_batch_free(b);
	dl_batch_free(NULL);
}

int main(void)
{
	dl_policy *policy = NULL;
	/* rows made in-process are compared with the program's, whose texts are Chinese */
	if (!test_bind_catalogue())
		skip("the Chinese catalogue is not built: the rows' texts are the English msgids");
	/* ... and the messages checked are the English ones */
	dl_set_language(DL_LANGUAGE_EN);
	if (dl_policy_load(&policy, "policies/hongsibu-2024.xml", NULL, NULL) != 0) {
		check(false, "the shipped policy loads");
		return 1;
	}
	test_pairing(policy);
	test_which_stands(policy);
	test_bad_sheet_in_the_middle();
	test_stream();
	test_memory();
	test_threads(policy);
	test_prints_nothing(policy);
	test_writers(policy);
	test_cohort_join(policy);
	test_options();
	dl_policy_free(policy);
	return test_done();
}
