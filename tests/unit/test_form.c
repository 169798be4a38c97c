/*
 * test_form.c: the workbench's questionnaire form and the answer sheet XML (server/form_sheet.c).
 *
 * Every example sheet, turned into the form's fields and written back as XML, loads and scores to
 * the same JSON as the file itself (but for the file's own digest); a wrong value is reported at
 * its own field, with the problems of the rest of the sheet in the same go; text with <, & and "
 * comes through whole; parts the form does not show are kept.
 */
#include "form_sheet.h"
#include "pages_form.h"
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

/* The form page itself: every question and scenario drawn from the questionnaire, every value as
 * typed and escaped, every input labelled, a mistake next to its field and in the summary. */
static void page(void)
{
	size_t len = 0;
	char *xml = read_file("examples/food-after.xml", &len);
	form_fields f;
	if (!xml || !check(form_sheet_fields(xml, len, &f) == 0, "food-after as fields for the page")) {
		free(xml);
		return;
	}
	set(&f, "e.name", "A<B&C\"D");
	set(&f, "e.region", "x'y\"z</textarea>");
	set(&f, "q.Q01.note", "</textarea><script>alert(1)</script>");
	set(&f, "f.devices_total", "8x8");
	form_check c;
	srv server = {0};
	srv_response rs = {0};
	html_page p;
	if (check(form_sheet_check(q, f.v, f.n, false, &c) == 0, "the page's form checks") &&
	    check(html_page_new(&p, NULL, "form") == 0, "a page")) {
		form_view v = {NULL, &server, q, "evaluation", f.v, f.n, &c, NULL, 7, NULL, false, NULL};
		page_form_draw(&p, &v);
		if (check(html_finish(&p, &rs, 422) == 0 && rs.body, "the form page is drawn")) {
			char *body = strndup((const char *)rs.body, rs.len); /* the body is not a C string */
			if (!check(body != NULL, "a copy of the page"))
				return;
			if (getenv("TEST_FORM_DUMP"))
				write_file(getenv("TEST_FORM_DUMP"), rs.body, rs.len);
			check(!strstr(body, "A<B") && strstr(body, "value='A&lt;B&amp;C\"D'"),
			      "the typed name is escaped in the page");
			check(strstr(body, "value=\"x'y&quot;z&lt;/textarea&gt;\"") != NULL,
			      "a value with both quotes is escaped in the page");
			check(strstr(body, "&lt;/textarea&gt;&lt;script&gt;") && !strstr(body, "</textarea><script>"),
			      "a note cannot close its text area");
			char needle[64];
			size_t questions = 0, scenarios = 0;
			for (size_t qi = 0; qi < dl_questionnaire_question_count(q); qi++) {
				snprintf(needle, sizeof needle, "name=\"q.%s\"", dl_questionnaire_question_id(q, qi));
				questions += strstr(body, needle) != NULL;
			}
			for (size_t si = 0; si < dl_questionnaire_scenario_count(q); si++) {
				snprintf(needle, sizeof needle, "name=\"s.%s\"", dl_questionnaire_scenario_id(q, si));
				scenarios += strstr(body, needle) != NULL;
			}
			check(questions == dl_questionnaire_question_count(q) && questions == 15,
			      "every question is in the form (%zu)", questions);
			check(scenarios == dl_questionnaire_scenario_count(q) && scenarios == 16,
			      "every scenario is in the form (%zu)", scenarios);
			check(strstr(body, "data-exclusive") != NULL, "the exclusive options are marked");
			check(strstr(body, "name=\"r.contract.amount\"") && strstr(body, "value=\"625797.00\""),
			      "an evaluation has its retrofit block, amounts as typed");
			check(strstr(body, "name=\"keep.finance\"") != NULL,
			      "the parts the form does not show travel in hidden fields");
			check(strstr(body, "name=\"replaces\" value=\"7\"") != NULL,
			      "an edit names the version it replaces");
			/* every input that is not hidden has a label for its id */
			size_t inputs = 0, labelled = 0;
			for (const char *at = body; (at = strstr(at, " id=\"f-")) != NULL; at++) {
				const char *end = strchr(at + 5, '"');
				char id[160], label[200];
				if (!end || (size_t)(end - at - 5) >= sizeof id)
					continue;
				snprintf(id, sizeof id, "%.*s", (int)(end - at - 5), at + 5);
				/* the element's tag: back to its '<' */
				const char *lt = at;
				while (lt > body && *lt != '<')
					lt--;
				bool wrapped = strncmp(lt, "<input", 6) == 0 && lt > body + 22 &&
					       strncmp(lt - 22, "<label class=\"choice\">", 22) == 0;
				if (strncmp(lt, "<input", 6) != 0 && strncmp(lt, "<select", 7) != 0 &&
				    strncmp(lt, "<textarea", 9) != 0)
					continue;
				inputs++;
				snprintf(label, sizeof label, "for=\"%s\"", id);
				labelled += wrapped || strstr(body, label) != NULL;
			}
			check(inputs > 150 && labelled == inputs, "every input has a label (%zu of %zu)",
			      labelled, inputs);
			const char *err = strstr(body, "aria-invalid=\"true\"");
			check(err && strstr(body, "id=\"f-f.devices_total\" name=\"f.devices_total\" "
						 "aria-describedby=\"e"),
			      "the wrong figure is marked and tied to its message");
			check(strstr(body, "href=\"#f-f.devices_total\"") != NULL,
			      "the summary links to the wrong figure");
			free(body);
		}
		form_check_free(&c);
	}
	free(rs.body);
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
	char names[32][300];
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
	page();
	dl_questionnaire_free(q);
	return test_done();
}
