/*
 * fuzz_workbook.c: libFuzzer target for the workbook reader (engine/input/workbook.c, libzip and
 * libxml2) and the sheet made from a workbook's cells (engine/model/sheet_workbook.c), through
 * dl_sheet_load_memory, which takes a workbook by its content. For a workbook that loads, the sheet
 * is checked against the 2024 questionnaire, so that the diagnostics mapped to cells are exercised
 * too. Seeds: the golden cases' workbooks (tests/fuzz/workbook/).
 */
#include "fuzz_common.h"

/* A diagnostic of a workbook names the file, and a cell ("fuzz.xlsx:问卷!F12") or nothing more;
 * never a line of the XML made from it. */
static void workbook_diag(const dl_error *e, void *userdata)
{
	fuzz_diag(e, userdata);
	if (e->line != 0 || e->column != 0)
		fuzz_fail("a workbook's diagnostic has a line or column", e->message);
	if (strncmp(e->file, "fuzz.xlsx", 9) != 0 || (e->file[9] != '\0' && e->file[9] != ':'))
		fuzz_fail("a workbook's diagnostic names another file", e->file);
	if (e->file[9] == ':' && !strchr(e->file, '!'))
		fuzz_fail("a workbook's diagnostic names no cell", e->file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dl_sheet *s = NULL;
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	dl_error err;
	opts.diag = workbook_diag;
	if (!dl_workbook_recognise(data, size))
		return 0; /* an XML sheet: fuzz_sheet's */
	int rc = dl_sheet_load_memory(&s, (const char *)data, size, "fuzz.xlsx", &opts, &err);
	if (rc < 0) {
		if (s)
			fuzz_fail("a failed load set its output", NULL);
		if (err.code != rc && rc != DL_ENOMEM)
			fuzz_fail("the error code does not match the return value", err.message);
		return 0;
	}
	fuzz_check_text("date", dl_sheet_date(s));
	for (int f = DL_ENTERPRISE_NAME; f <= DL_ENTERPRISE_MAIN_PRODUCTS; f++)
		fuzz_check_text("enterprise field", dl_sheet_enterprise(s, (dl_enterprise_field)f));
	if (strlen(dl_sheet_digest(s)) != 64)
		fuzz_fail("digest is not 64 hex digits", dl_sheet_digest(s));
	const dl_questionnaire *q = fuzz_questionnaire();
	if (q) {
		dl_result *r = NULL;
		int checked = dl_sheet_check(s, q, &opts, NULL);
		int scored = dl_score(&r, q, s, &opts, NULL);
		if ((checked == 0) != (scored == 0))
			fuzz_fail("dl_sheet_check and dl_score disagree", NULL);
		dl_result_free(r);
	}
	dl_sheet_free(s);
	return 0;
}
