/*
 * fuzz_sheet.c: libFuzzer target for the answer-sheet loader (parse, schema, copy into the model)
 * and for the root-element peek that `digilevel validate` runs on every file before loading it.
 *
 * Every accessor is read back for a sheet that loads, so that a half-filled model (a NULL where a
 * string belongs) shows up here rather than in a report. Scoring is fuzz_score.c's job. A sheet the
 * schema refuses is built too (every problem in one run): the builder meets any well-formed
 * document here. The encoding check and the slip recognisers get the raw input as well.
 */
#include "fuzz_common.h"

#include "alloc.h"
#include "slips.h"
#include "xmldoc.h"

/* The slip recognisers on the input's first line, as the text of a field. */
static void read_slips(const uint8_t *data, size_t size)
{
	char text[160], fix[64];
	size_t n = 0;
	while (n < size && n + 1 < sizeof(text) && data[n] != '\n' && data[n] != '\0')
		n++;
	memcpy(text, data, n);
	text[n] = '\0';
	for (int k = DL__NUMBER_DECIMAL4; k <= DL__NUMBER_WAN; k++)
		if (dl__slip_number(text, (dl__number_kind)k, fix, sizeof(fix)) != DL__SLIP_NONE && !fix[0])
			fuzz_fail("a number slip without its fix", text);
	if (dl__slip_date(text, fix, sizeof(fix)) != DL__SLIP_NONE && strlen(fix) != 10)
		fuzz_fail("a date slip whose fix is not YYYY-MM-DD", fix);
	if (dl__slip_level(text, fix, sizeof(fix)) != DL__SLIP_NONE && strlen(fix) != 1)
		fuzz_fail("a level slip whose fix is not one digit", fix);
	if (dl__slip_id(text, fix, sizeof(fix)) != DL__SLIP_NONE && !fix[0])
		fuzz_fail("an id slip without its fix", text);
	char msg[DL_ERROR_MESSAGE_MAX] = "x";
	dl__slip_advise(msg, sizeof(msg), DL__SLIP_UNIT, "35");
	fuzz_check_text("advice", msg);
}

static void read_everything(const dl_sheet *s)
{
	fuzz_check_text("path", dl_sheet_path(s));
	if (strlen(dl_sheet_digest(s)) != 64)
		fuzz_fail("digest is not 64 hex digits", dl_sheet_digest(s));
	fuzz_check_text("questionnaire id", dl_sheet_questionnaire_id(s));
	fuzz_check_text("questionnaire version", dl_sheet_questionnaire_version(s));
	for (int f = DL_ENTERPRISE_NAME; f <= DL_ENTERPRISE_MAIN_PRODUCTS; f++)
		fuzz_check_text("enterprise field", dl_sheet_enterprise(s, (dl_enterprise_field)f));
	(void)dl_sheet_employees(s);
	for (size_t i = 0; i < dl_sheet_tag_count(s); i++)
		if (!dl_sheet_has_tag(s, dl_sheet_tag(s, i)))
			fuzz_fail("has_tag does not find a tag", dl_sheet_tag(s, i));
	fuzz_check_text("phase", dl_phase_title(dl_sheet_phase(s)));
	fuzz_check_text("date", dl_sheet_date(s));
	fuzz_check_text("organisation", dl_sheet_organisation(s));
	for (size_t i = 0; i < dl_sheet_assessor_count(s); i++) {
		fuzz_check_text("assessor", dl_sheet_assessor_name(s, i));
		fuzz_check_text("assessor", dl_sheet_assessor_role(s, i));
		fuzz_check_text("assessor", dl_sheet_assessor_contact(s, i));
	}
	for (size_t i = 0; i < dl_sheet_figure_count(s); i++) {
		fuzz_check_text("figure id", dl_sheet_figure_id(s, i));
		fuzz_check_text("figure text", dl_sheet_figure_text(s, i));
		const char *id = dl_sheet_figure_id(s, i);
		/* the same lookups the report writers make, keyed by ids the sheet itself holds */
		fuzz_check_text("note", dl_sheet_answer_note(s, id));
		for (size_t k = 0; k < dl_sheet_answer_evidence_count(s, id); k++)
			fuzz_check_text("evidence", dl_sheet_answer_evidence(s, id, k));
		fuzz_check_text("note", dl_sheet_scenario_note(s, id));
		for (size_t k = 0; k < dl_sheet_scenario_evidence_count(s, id); k++)
			fuzz_check_text("evidence", dl_sheet_scenario_evidence(s, id, k));
	}
	if (dl_sheet_has_retrofit(s)) {
		int attempt = dl_sheet_retrofit_attempt(s);
		if (attempt < 1 || attempt > 99)
			fuzz_fail("retrofit attempt outside the schema's 1..99", NULL);
		fuzz_check_text("contract", dl_sheet_retrofit_contract(s));
		fuzz_check_text("provider", dl_sheet_retrofit_provider(s));
		fuzz_check_text("scope", dl_sheet_retrofit_scope(s));
		fuzz_check_text("completed", dl_sheet_retrofit_completed(s));
		fuzz_check_text("applied", dl_sheet_retrofit_applied(s));
		for (size_t i = 0; i < dl_sheet_investment_count(s); i++) {
			fuzz_check_text("category", dl_sheet_investment_category(s, i));
			fuzz_check_text("item", dl_sheet_investment_text(s, i));
			if (dl_sheet_investment_fen(s, i) < 0)
				fuzz_fail("negative investment", NULL);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *id = NULL, *version = NULL;
	int status;
	char *root = dl__xml_peek_root((const char *)data, size, &id, &version, &status);
	if ((root != NULL) != (status == DL__PEEK_OK) || (!root && (id || version)))
		fuzz_fail("peek_root: status does not match the result", NULL);
	dl__free(root);
	dl__free(id);
	dl__free(version);
	read_slips(data, size);
	dl__diag quiet;
	dl__diag_init(&quiet, NULL, NULL, "fuzz.xml");
	int enc = dl__xml_encoding_check((const char *)data, size, false, &quiet);
	if (enc != 0 && enc != DL_EINVALID && enc != DL_ENOMEM)
		fuzz_fail("encoding check: an unexpected code", NULL);

	dl_sheet *s = NULL;
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	dl_error err;
	opts.diag = fuzz_diag;
	int rc = dl_sheet_load_memory(&s, (const char *)data, size, "fuzz.xml", &opts, &err);
	if (rc < 0) {
		if (s)
			fuzz_fail("a failed load set its output", NULL);
		if (err.code != rc && rc != DL_ENOMEM)
			fuzz_fail("the error code does not match the return value", err.message);
		return 0;
	}
	read_everything(s);
	dl_sheet_free(s);
	return 0;
}
