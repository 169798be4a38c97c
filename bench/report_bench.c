/*
 * report_bench.c: time and size of the two PDF reports (include/digilevel/report.h), per bundled
 * example: the 数字化诊断报告 of each -before sheet and the 验收意见 of each pair under the
 * district's policy. Not a test: it prints a Markdown table for docs/reports.md.
 *
 *   report_bench [RUNS]      (default 20 renders of each report; run from the repository root)
 *
 * Each report is rendered RUNS times as PDF and RUNS times as the text dump, after one warm-up
 * render; the table gives the median wall and CPU time of a render, the PDF's bytes and pages.
 * Loading and scoring the sheets are outside the timing (they are the engine's, and take well under
 * 1 ms). The font is found as the CLI finds it (DIGILEVEL_FONT, then the Debian paths).
 */
#define _POSIX_C_SOURCE 200809L

#include <digilevel.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const SLUGS[] = {"chemical", "equipment", "food", "fuel", "textile"};
#define NSLUGS (sizeof(SLUGS) / sizeof(SLUGS[0]))

/* Milliseconds on clock `id`: CLOCK_MONOTONIC (wall) or CLOCK_PROCESS_CPUTIME_ID (CPU). */
static double now_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* What one report needs to be rendered. */
typedef struct job {
	const dl_result *r;
	const dl_comparison *c;
	const dl_sheet *before, *after;
} job;

static int render(const job *j, dl_report_format format, unsigned char **out, size_t *len,
		  dl_error *err)
{
	dl_report_options o = DL_REPORT_OPTIONS_INIT;
	o.format = format;
	if (j->c)
		return dl_report_acceptance(out, len, j->c, j->before, j->after, &o, err);
	return dl_report_diagnostic(out, len, j->r, j->before, &o, err);
}

/*
 * Median wall and CPU milliseconds of runs renders; sets *bytes and *pages from the last one. CPU
 * time is the steadier figure on a shared machine: other processes lengthen the wall time only.
 */
static int measure(const job *j, dl_report_format format, int runs, double *median, double *cpu,
		   size_t *bytes, long *pages)
{
	double *t = calloc(2 * (size_t)runs, sizeof(*t)), *c;
	unsigned char *out = NULL;
	size_t len = 0;
	dl_error err;

	if (t == NULL)
		return -1;
	c = t + runs;
	if (render(j, format, &out, &len, &err) < 0) { /* warm-up; also the error check */
		fprintf(stderr, "report_bench: %s\n", err.message);
		free(t);
		return -1;
	}
	dl_report_free(out);
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
		if (render(j, format, &out, &len, &err) < 0) {
			free(t);
			return -1;
		}
		t[i] = now_ms(CLOCK_MONOTONIC) - t0;
		c[i] = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
		*bytes = len;
		if (format == DL_REPORT_TEXT) {
			*pages = -1;
			sscanf((const char *)out, "digilevel layout: %ld pages", pages);
		}
		dl_report_free(out);
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp_double);
	qsort(c, (size_t)runs, sizeof(*c), cmp_double);
	*median = t[runs / 2];
	*cpu = c[runs / 2];
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 20;
	dl_questionnaire *q = NULL;
	dl_policy *policy = NULL;
	int status = 0;

	if (runs < 1)
		runs = 1;
	if (dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, NULL) < 0 ||
	    dl_policy_load(&policy, "policies/hongsibu-2024.xml", NULL, NULL) < 0) {
		fprintf(stderr, "report_bench: run from the repository root\n");
		return 1;
	}
	printf("| report | example | pages | PDF bytes | PDF wall ms | PDF CPU ms | text dump CPU "
	       "ms |\n");
	printf("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
	for (size_t k = 0; k < NSLUGS && status == 0; k++) {
		char pb[128], pa[128];
		dl_sheet *before = NULL, *after = NULL;
		dl_result *r = NULL;
		dl_comparison *c = NULL;
		snprintf(pb, sizeof(pb), "examples/%s-before.xml", SLUGS[k]);
		snprintf(pa, sizeof(pa), "examples/%s-after.xml", SLUGS[k]);
		if (dl_sheet_load(&before, pb, NULL, NULL) < 0 ||
		    dl_sheet_load(&after, pa, NULL, NULL) < 0 ||
		    dl_score(&r, q, before, NULL, NULL) < 0 ||
		    dl_compare(&c, q, before, after, policy, NULL, NULL) < 0) {
			fprintf(stderr, "report_bench: cannot load or score %s\n", SLUGS[k]);
			status = 1;
		}
		for (int which = 0; which < 2 && status == 0; which++) {
			job j = {r, which ? c : NULL, before, after};
			double pdf_ms = 0, pdf_cpu = 0, text_ms = 0, text_cpu = 0;
			size_t bytes = 0, text_bytes = 0;
			long pages = -1, unused = -1;
			if (measure(&j, DL_REPORT_TEXT, runs, &text_ms, &text_cpu, &text_bytes,
				    &pages) < 0 ||
			    measure(&j, DL_REPORT_PDF, runs, &pdf_ms, &pdf_cpu, &bytes, &unused) <
				0) {
				status = 1;
				break;
			}
			printf("| %s | %s | %ld | %zu | %.0f | %.0f | %.1f |\n",
			       which ? "验收意见" : "诊断报告", SLUGS[k], pages, bytes, pdf_ms,
			       pdf_cpu, text_cpu);
		}
		dl_comparison_free(c);
		dl_result_free(r);
		dl_sheet_free(after);
		dl_sheet_free(before);
	}
	dl_policy_free(policy);
	dl_questionnaire_free(q);
	return status;
}
