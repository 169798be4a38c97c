/*
 * fuzz_form.c: libFuzzer target for the workbench's form (server/form_sheet.c): whatever fields a
 * browser (or anyone) posts become an answer sheet's XML, which the library loads and checks.
 *
 * Input: fields separated by 0x1e, each "name=value" (a value may hold anything, newlines too);
 * the first byte's low bit says draft (partial) or not. Invariants: checking never crashes; every
 * mistake has a message in valid UTF-8; a form that checks with no refusal gives XML the library
 * reads, whose fields read back (form_sheet_fields) build the very same XML again.
 * Questionnaire: questionnaires/miit-2024.xml (loaded once; run from the top of the repository).
 */
#include "fuzz_common.h"

#include "form_sheet.h"

#define QUESTIONNAIRE "questionnaires/miit-2024.xml"

static dl_questionnaire *questionnaire(void)
{
	static dl_questionnaire *q;
	dl_error err;
	if (!q && dl_questionnaire_load(&q, QUESTIONNAIRE, NULL, &err) != 0)
		fuzz_fail("cannot load the questionnaire", err.message);
	return q;
}

static void check_text(const char *what, const char *text)
{
	fuzz_utf8 u = {0, 0};
	if (fuzz_utf8_feed(&u, text, strlen(text)) != 0 || u.pending)
		fuzz_fail(what, text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 256 * 1024)
		return 0;
	const dl_questionnaire *q = questionnaire();
	bool partial = data[0] & 1;
	form_fields f = {NULL, 0, 0, false};
	char *copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	for (char *at = copy, *end; at && *at; at = end) {
		end = strchr(at, 0x1e);
		if (end)
			*end++ = '\0';
		char *eq = strchr(at, '=');
		if (!eq)
			continue;
		*eq = '\0';
		if (form_fields_add(&f, at, eq + 1) < 0)
			break;
	}
	form_check c;
	if (!f.failed && form_sheet_check(q, f.v, f.n, partial, &c) == 0) {
		for (size_t i = 0; i < c.count; i++) {
			check_text("a mistake's message", c.mistakes[i].message);
			if (!c.mistakes[i].message[0])
				fuzz_fail("a mistake without a message", c.mistakes[i].field);
		}
		if (c.refusals == 0 && c.sheet && c.xml.xml) {
			form_fields back = {NULL, 0, 0, false};
			form_xml again = {NULL, 0, NULL, 0};
			if (form_sheet_fields(c.xml.xml, c.xml.len, &back) != 0)
				fuzz_fail("a sheet the form built does not read back as fields", c.xml.xml);
			if (form_sheet_build(q, back.v, back.n, NULL, &again) == 0 &&
			    (again.len != c.xml.len || memcmp(again.xml, c.xml.xml, c.xml.len) != 0))
				fuzz_fail("the fields read back build another sheet", again.xml);
			form_xml_free(&again);
			form_fields_free(&back);
		}
		form_check_free(&c);
	}
	form_fields_free(&f);
	free(copy);
	return 0;
}
