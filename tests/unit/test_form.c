/*
 * test_form.c: the workbench's questionnaire form and the answer sheet XML (server/form_sheet.c).
 *
 * Every example sheet, turned into the form's fields and written back as XML, loads and scores to
 * the same JSON as the file itself (but for the file's own digest); a wrong value is reported at
 * its own field, with the problems of the rest of the sheet in the same go; text with <, & and "
 * comes through whole; parts the form does not show are kept.
 */
#include "form_sheet.h"
#include "test_util.h"

#include <dirent.h>

static dl_questionnaire *q;

/* The score JSON of a sheet in memory, without the lines that name the file or its digest. */
static char *score_json(const char *xml, size_t len)
{
	dl_sheet *s = NULL;
	dl_result *r = NULL;
	gathered g = {NULL, 0};
	if (dl_sheet_load_memory(&s, xml, len, "sheet.xml", NULL, NULL) == 0 &&
	    dl_score(&r, q, s, NULL, NULL) == 0)
		dl_result_write_json(r, s, NULL, gather, &g);
	dl_result_free(r);
	dl_sheet_free(s);
	if (!g.data)
		return NULL;
	/* blank out "sheet_sha256": "..." */
	char *p = strstr(g.data, "\"sheet_sha256\": \"");
	if (p)
		memset(p + 17, 'x', 64);
	return g.data;
}

static void set(form_fields *f, const char *name, const char *value)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0) {
			free(f->v[i].value);
			f->v[i].value = strdup(value);
			f->v[i].len = strlen(value);
			return;
		}
	form_fields_add(f, name, value);
}

static void drop(form_fields *f, const char *name)
{
	for (size_t i = 0; i < f->n;)
		if (strcmp(f->v[i].name, name) == 0) {
			free(f->v[i].name);
			free(f->v[i].value);
			memmove(&f->v[i], &f->v[i + 1], (f->n - i - 1) * sizeof f->v[0]);
			f->n--;
		} else {
			i++;
		}
}

static bool mistake_at(const form_check *c, const char *field)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->mistakes[i].field, field) == 0 && !c->mistakes[i].warning)
			return true;
	return false;
}

static void round_trip(const char *path)
{
	size_t len = 0;
	char *xml = read_file(path, &len);
	if (!check(xml != NULL, "read %s", path))
		return;
	form_fields f;
	form_xml x = {0};
	char *before = score_json(xml, len), *after = NULL;
	check(before != NULL, "%s scores", path);
	if (check(form_sheet_fields(xml, len, &f) == 0, "%s as form fields", path) &&
	    check(form_sheet_build(q, f.v, f.n, NULL, &x) == 0, "%s back to XML", path)) {
		after = score_json(x.xml, x.len);
		check(after && before && strcmp(before, after) == 0,
		      "%s: the form's XML scores as the file does", path);
		if (after && before && strcmp(before, after) != 0)
			printf("# form's XML:\n%s\n", x.xml);
		/* the same fields again: nothing drifts */
		form_fields f2;
		form_xml x2 = {0};
		if (form_sheet_fields(x.xml, x.len, &f2) == 0 &&
		    form_sheet_build(q, f2.v, f2.n, NULL, &x2) == 0)
			check(x2.len == x.len && memcmp(x2.xml, x.xml, x.len) == 0,
			      "%s: fields → XML → fields → XML is the same XML", path);
		form_xml_free(&x2);
		form_fields_free(&f2);
		/* the check of the form agrees: complete and correct, nothing to mark */
		form_check c;
		if (check(form_sheet_check(q, f.v, f.n, false, &c) == 0, "%s checks", path)) {
			check(c.refusals == 0 && c.result != NULL, "%s: no mistake, a result", path);
			for (size_t i = 0; i < c.count; i++)
				printf("# %s: %s\n", c.mistakes[i].field, c.mistakes[i].message);
			form_check_free(&c);
		}
		/* parts the form does not show are kept */
		if (strstr(xml, "<finance>"))
			check(strstr(x.xml, "<finance>") && strstr(x.xml, "<materials>") &&
				      strstr(x.xml, "<onsite>"),
			      "%s: finance, materials and on-site checks are kept", path);
		if (strstr(xml, "<profile>"))
			check(strstr(x.xml, "<profile>") != NULL, "%s: the profile is kept", path);
		if (strstr(xml, "<retrofit-plan"))
			check(strstr(x.xml, "<retrofit-plan") != NULL, "%s: the retrofit plan is kept", path);
		form_fields_free(&f);
	}
	form_xml_free(&x);
	free(before);
	free(after);
	free(xml);
}

static void mistakes(void)
{
	size_t len = 0;
	char *xml = read_file("examples/food-after.xml", &len);
	form_fields f;
	if (!xml || !check(form_sheet_fields(xml, len, &f) == 0, "food-after as fields")) {
		free(xml);
		return;
	}
	set(&f, "f.devices_total", "8x8");
	set(&f, "e.employees", "1x1");
	set(&f, "r.contract.amount", "62x.00");
	set(&f, "a.date", "2025-02-30");
	drop(&f, "q.Q05");
	set(&f, "s.S03", "7");
	form_check c;
	if (check(form_sheet_check(q, f.v, f.n, false, &c) == 0, "a form with mistakes checks")) {
		for (size_t i = 0; i < c.count; i++)
			printf("# %s: %s\n", c.mistakes[i].field, c.mistakes[i].message);
		check(c.result == NULL, "a form with mistakes has no result");
		check(mistake_at(&c, "f.devices_total"), "a figure that is not a number: at its field");
		check(mistake_at(&c, "e.employees"), "employees that are not a number: at their field");
		check(mistake_at(&c, "r.contract.amount"),
		      "a wrong amount on the contract's line: at the amount, not the contract's name");
		check(!mistake_at(&c, "r.contract"), "and not at the contract's name");
		check(mistake_at(&c, "a.date"), "a date that does not exist: at its field");
		check(mistake_at(&c, "q.Q05"),
		      "an unanswered question is found in the same go as the values that cannot be read");
		check(mistake_at(&c, "s.S03"), "a scenario level out of range: at its scenario");
		check(c.refusals >= 6, "every mistake at once (%zu)", c.refusals);
		form_check_free(&c);
	}
	/* the same gaps in a draft: scored provisionally once the values are right */
	set(&f, "f.devices_total", "88");
	set(&f, "e.employees", "131");
	set(&f, "r.contract.amount", "625797.00");
	set(&f, "a.date", "2025-06-03");
	set(&f, "s.S03", "");
	if (check(form_sheet_check(q, f.v, f.n, true, &c) == 0, "a draft checks")) {
		check(c.refusals == 0 && c.result && dl_result_provisional(c.result),
		      "a partly filled draft has a provisional result");
		form_check_free(&c);
	}
	if (check(form_sheet_check(q, f.v, f.n, false, &c) == 0, "the same sheet submitted")) {
		check(c.result == NULL && mistake_at(&c, "q.Q05") && mistake_at(&c, "s.S03"),
		      "submitted, the unanswered question and scenario are mistakes at their fields");
		form_check_free(&c);
	}
	/* a control character cannot reach the XML */
	set(&f, "e.name", "bad\001name");
	if (check(form_sheet_check(q, f.v, f.n, true, &c) == 0, "a control character checks")) {
		check(mistake_at(&c, "e.name"), "a control character is a mistake at its field");
		form_check_free(&c);
	}
	form_fields_free(&f);
	free(xml);
}

static void escaping(void)
{
	size_t len = 0;
	char *xml = read_file("examples/textile-before.xml", &len);
	form_fields f;
	if (!xml || !check(form_sheet_fields(xml, len, &f) == 0, "textile-before as fields")) {
		free(xml);
		return;
	}
	const char *name = "A<B>&C\"D'E &amp; <!-- x -->";
	set(&f, "e.name", name);
	set(&f, "q.Q01.note", "line one <b>\r\nline two & \"three\"");
	set(&f, "q.Q01.evidence", "photo <1>\r\n\r\n  ledger & co  \n");
	form_xml x;
	if (check(form_sheet_build(q, f.v, f.n, NULL, &x) == 0, "text with <&\" builds")) {
		check(strstr(x.xml, "A&lt;B&gt;&amp;C\"D'E &amp;amp; &lt;!-- x --&gt;") != NULL,
		      "the name is escaped in the XML");
		dl_sheet *s = NULL;
		if (check(dl_sheet_load_memory(&s, x.xml, x.len, "form.xml", NULL, NULL) == 0,
			  "the escaped sheet loads")) {
			check(strcmp(dl_sheet_enterprise(s, DL_ENTERPRISE_NAME), name) == 0,
			      "the library reads the name as typed");
			check(strcmp(dl_sheet_answer_note(s, "Q01"), "line one <b>\nline two & \"three\"") == 0,
			      "a note keeps its line break (CR LF as LF) and its characters");
			check(dl_sheet_answer_evidence_count(s, "Q01") == 2 &&
				      strcmp(dl_sheet_answer_evidence(s, "Q01", 0), "photo <1>") == 0 &&
				      strcmp(dl_sheet_answer_evidence(s, "Q01", 1), "ledger & co") == 0,
			      "evidence: one a line, blank lines left out");
		}
		dl_sheet_free(s);
		form_fields back;
		if (check(form_sheet_fields(x.xml, x.len, &back) == 0, "and back to fields")) {
			const char *v = form_value(back.v, back.n, "e.name");
			check(v && strcmp(v, name) == 0, "the name comes back as typed");
			form_fields_free(&back);
		}
		/* a line of the name is the name's */
		char buf[96];
		const char *field = NULL;
		for (unsigned long line = 1; line <= x.line_count && !field; line++)
			if (x.line_fields[line - 1] && strncmp(x.line_fields[line - 1], "e.name", 6) == 0)
				field = form_xml_field(&x, f.v, f.n, line, "", buf, sizeof buf);
		check(field && strcmp(field, "e.name") == 0, "the name's line maps to e.name");
		form_xml_free(&x);
	}
	/* a kept part that is not XML any more is a mistake, not a crash */
	set(&f, "keep.profile", "<profile><process>x</process>");
	form_check c;
	if (check(form_sheet_check(q, f.v, f.n, true, &c) == 0, "a broken kept part checks")) {
		check(mistake_at(&c, "keep.profile"), "a broken kept part is a mistake at its field");
		form_check_free(&c);
	}
	form_fields_free(&f);
	free(xml);
}

int main(void)
{
	if (!check(dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, NULL) == 0,
		   "load the questionnaire"))
		return test_done();
	DIR *d = opendir("examples");
	struct dirent *e;
	char names[32][256];
	size_t count = 0;
	while (d && (e = readdir(d)) && count < 32) {
		size_t n = strlen(e->d_name);
		if (n > 4 && strcmp(e->d_name + n - 4, ".xml") == 0)
			snprintf(names[count++], sizeof names[0], "examples/%s", e->d_name);
	}
	if (d)
		closedir(d);
	check(count >= 10, "the examples are there (%zu)", count);
	for (size_t i = 0; i < count; i++)
		round_trip(names[i]);
	mistakes();
	escaping();
	dl_questionnaire_free(q);
	return test_done();
}
