/*
 * fuzz_questionnaire.c: libFuzzer target for the questionnaire loader (parse, schema, meaning checks)
 * and, for every questionnaire that loads, every writer: JSON, text and the blank answer sheet.
 *
 * Beyond "no crash, no leak, no sanitizer report" it checks that diagnostics and output are valid
 * UTF-8 (fuzz_common.h), and that the blank sheet written for a loadable questionnaire loads as an
 * answer sheet itself: the template writer puts questionnaire text inside XML comments and must
 * never produce a file that the sheet loader refuses (within the sheet schema's own counts).
 */
#include "fuzz_common.h"

static void read_everything(const dl_questionnaire *q)
{
	fuzz_check_text("id", dl_questionnaire_id(q));
	for (size_t n = 0; n < dl_questionnaire_node_count(q); n++) {
		fuzz_check_text("node title", dl_questionnaire_node_title(q, n));
		size_t parent = dl_questionnaire_node_parent(q, n);
		if (parent != DL_NONE && parent >= n)
			fuzz_fail("a node's parent comes after it", dl_questionnaire_node_id(q, n));
	}
	for (size_t qi = 0; qi < dl_questionnaire_question_count(q); qi++) {
		if (dl_questionnaire_question_find(q, dl_questionnaire_question_id(q, qi)) != qi)
			fuzz_fail("question_find does not find a question by its own id", NULL);
		fuzz_check_text("derivation", dl_questionnaire_question_derivation(q, qi));
		for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++)
			fuzz_check_text("band", dl_questionnaire_option_band(q, qi, oi));
	}
	for (size_t si = 0; si < dl_questionnaire_scenario_count(q); si++)
		for (int l = 0; l <= dl_questionnaire_scenario_max_level(q) + 1; l++)
			fuzz_check_text("level text", dl_questionnaire_scenario_level_text(q, si, l));
	for (size_t gi = 0; gi < dl_questionnaire_grade_count(q); gi++)
		fuzz_check_text("level name", dl_questionnaire_level_name(q, dl_questionnaire_grade_level(q, gi)));
}

/* The sheet schema's counts (questionnaires/sheet.xsd): beyond them no sheet can answer q. */
#define SHEET_MAX_ANSWERS 500
#define SHEET_MAX_SCENARIOS 500
#define SHEET_MAX_FIGURES 200

typedef struct buffer {
	fuzz_utf8 u;
	char *data;
	size_t len, cap;
	int oom;
} buffer;

static int buffer_sink(void *userdata, const char *data, size_t len)
{
	buffer *b = userdata;
	fuzz_sink(&b->u, data, len);
	if (b->len + len > b->cap) {
		size_t cap = (b->cap ? b->cap * 2 : 65536) + len;
		char *grown = realloc(b->data, cap);
		if (!grown) {
			b->oom = 1;
			return -1;
		}
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

static void check_template(const dl_questionnaire *q)
{
	static const char *const phases[] = {"diagnosis", "evaluation", "self-check"};
	buffer b = {{0, 0}, NULL, 0, 0, 0};
	int rc = dl_questionnaire_write_template(q, phases[dl_questionnaire_question_count(q) % 3],
						 buffer_sink, &b);
	if (b.oom) {
		free(b.data);
		return;
	}
	fuzz_output_done("template", rc, &b.u);
	if (rc == 0 && dl_questionnaire_question_count(q) <= SHEET_MAX_ANSWERS &&
	    dl_questionnaire_scenario_count(q) <= SHEET_MAX_SCENARIOS &&
	    dl_questionnaire_figure_count(q) <= SHEET_MAX_FIGURES) {
		dl_sheet *s = NULL;
		dl_load_options opts = DL_LOAD_OPTIONS_INIT;
		dl_error err;
		opts.diag = fuzz_diag;
		rc = dl_sheet_load_memory(&s, b.data, b.len, "template.xml", &opts, &err);
		if (rc == DL_EINVALID || rc == DL_ELIMIT) {
			fprintf(stderr, "%.*s\n", (int)b.len, b.data);
			fuzz_fail("the blank sheet of a valid questionnaire does not load", err.message);
		}
		if (rc == 0) {
			rc = dl_sheet_check(s, q, &opts, NULL);
			if (rc != DL_EINVALID && rc != DL_ENOMEM)
				fuzz_fail("a blank sheet passes the check", NULL);
		}
		dl_sheet_free(s);
	}
	free(b.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dl_questionnaire *q = NULL;
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	dl_error err;
	opts.diag = fuzz_diag;
	int rc = dl_questionnaire_load_memory(&q, (const char *)data, size, "fuzz.xml", &opts, &err);
	if (rc < 0) {
		if (q)
			fuzz_fail("a failed load set its output", NULL);
		if (err.code != rc && rc != DL_ENOMEM)
			fuzz_fail("the error code does not match the return value", err.message);
		return 0;
	}
	read_everything(q);
	fuzz_utf8 u = {0, 0};
	rc = dl_questionnaire_write_json(q, fuzz_sink, &u);
	fuzz_output_done("questionnaire JSON", rc, &u);
	u = (fuzz_utf8){0, 0};
	rc = dl_questionnaire_write_text(q, fuzz_sink, &u);
	fuzz_output_done("questionnaire text", rc, &u);
	check_template(q);
	dl_questionnaire_free(q);
	return 0;
}
