/*
 * test_answer_diff.c: the bureau's history and the acceptance reference.
 *
 * - The answers of two versions of one sheet compared (server/history.c, srv_answer_diff) through
 *   the library's reading of each version (dl_sheet_answer_*, dl_sheet_scenario_*): a changed
 *   option, a changed value, a changed scenario level, a changed figure, an answer given only in
 *   one version, and nothing for identical sheets or for a change outside the answers.
 * - dl_credit_code_check: a good code, a wrong check character with its reason.
 * - The 验收意见 names the evaluation it was decided on (dl_report_options.after_sha256 and
 *   after_version): shown with the version, without it, refused for another sheet's digest, and
 *   options of version 2 still read.
 */
#include "history.h"

#include "test_util.h"

#define POLICY "policies/hongsibu-2024.xml"

static char *replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	if (!at)
		return NULL;
	size_t n = strlen(text), a = (size_t)(at - text), f = strlen(from), t = strlen(to);
	char *out = malloc(n - f + t + 1);
	if (!out)
		return NULL;
	memcpy(out, text, a);
	memcpy(out + a, to, t);
	memcpy(out + a + t, at + f, n - a - f + 1);
	return out;
}

static dl_sheet *sheet_of(const char *xml)
{
	dl_sheet *s = NULL;
	if (!xml || dl_sheet_load_memory(&s, xml, strlen(xml), "v.xml", NULL, NULL) < 0)
		return NULL;
	return s;
}

static const srv_change *find(const srv_change *v, size_t n, srv_change_kind kind, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].kind == kind && strcmp(v[i].id, id) == 0)
			return &v[i];
	return NULL;
}

static void test_accessors(const dl_sheet *s)
{
	check(dl_sheet_answer_count(s) == 15, "the example holds its 15 answers (%zu)",
	      dl_sheet_answer_count(s));
	check(strcmp(dl_sheet_answer_question(s, 0), "Q01") == 0 && dl_sheet_answer_choice_count(s, 0) == 2 &&
		      strcmp(dl_sheet_answer_choice(s, 0, 0), "B") == 0 &&
		      strcmp(dl_sheet_answer_choice(s, 0, 1), "C") == 0,
	      "Q01 chooses B and C, in the sheet's order");
	check(strcmp(dl_sheet_answer_question(s, 1), "Q02") == 0 && dl_sheet_answer_choice_count(s, 1) == 0 &&
		      strcmp(dl_sheet_answer_value(s, 1), "") == 0,
	      "Q02 (derived from figures) chooses nothing and gives no value");
	check(dl_sheet_scenario_count(s) > 0 && *dl_sheet_scenario_id(s, 0) &&
		      *dl_sheet_scenario_level_text(s, 0),
	      "scenarios are listed with their levels as written");
}

static void test_diff(void)
{
	size_t len;
	char *xml = read_file("examples/food-before.xml", &len);
	if (!check(xml != NULL, "read examples/food-before.xml"))
		return;
	char *a = replace(xml, "<choose option=\"C\"/>", "<choose option=\"D\"/>");
	char *b = a ? replace(a, "id=\"devices_total\">86", "id=\"devices_total\">90") : NULL;
	/* a note is not an answer: changing it changes nothing compared */
	char *c = b ? replace(b, "原浆灌装线有工控网络", "原浆灌装线有工控网络（已核实）") : NULL;
	dl_sheet *before = sheet_of(xml), *after = sheet_of(c);
	if (!check(before && after, "both versions load")) {
		free(xml), free(a), free(b), free(c);
		dl_sheet_free(before), dl_sheet_free(after);
		return;
	}
	test_accessors(before);
	srv_change *v = NULL;
	size_t n = 0;
	check(srv_answer_diff(before, before, &v, &n) == 0 && n == 0 && v == NULL,
	      "a sheet against itself: no change");
	free(v);
	int rc = srv_answer_diff(before, after, &v, &n);
	check(rc == 0 && n == 2, "two answers changed (%zu)", n);
	const srv_change *q01 = find(v, n, SRV_CHANGE_QUESTION, "Q01");
	check(q01 && strcmp(q01->before, "B、C") == 0 && strcmp(q01->after, "B、D") == 0,
	      "Q01: B、C → B、D");
	const srv_change *fig = find(v, n, SRV_CHANGE_FIGURE, "devices_total");
	check(fig && strcmp(fig->before, "86") == 0 && strcmp(fig->after, "90") == 0,
	      "the figure devices_total: 86 → 90");
	check(n == 2 && v[0].kind == SRV_CHANGE_QUESTION && v[1].kind == SRV_CHANGE_FIGURE,
	      "questions come before figures");
	free(v);

	/* a scenario's level, a value given, and an answer taken out */
	dl_sheet *first = sheet_of(c);
	const char *sid = dl_sheet_scenario_id(first, 0);
	char from[128], to[128];
	snprintf(from, sizeof from, "<scenario id=\"%s\" level=\"%s\"", sid, dl_sheet_scenario_level_text(first, 0));
	snprintf(to, sizeof to, "<scenario id=\"%s\" level=\"%s\"", sid,
		 strcmp(dl_sheet_scenario_level_text(first, 0), "1") == 0 ? "2" : "1");
	char *d = replace(c, from, to);
	char *e = d ? replace(d, "<answer question=\"Q03\">", "<answer question=\"Q03\">\n      <value>12.5</value>") : NULL;
	char *f = e ? replace(e, "<answer question=\"Q04\">\n      <choose option=\"D\"/>\n      <choose option=\"N\"/>\n    </answer>", "") : NULL;
	dl_sheet *later = sheet_of(f);
	if (check(later != NULL, "a version with a scenario, a value and one answer less loads")) {
		rc = srv_answer_diff(first, later, &v, &n);
		check(rc == 0 && n == 3, "three changes (%zu)", n);
		const srv_change *sc = find(v, n, SRV_CHANGE_SCENARIO, sid);
		check(sc && strcmp(sc->before, dl_sheet_scenario_level_text(first, 0)) == 0 &&
			      strcmp(sc->after, strcmp(sc->before, "1") == 0 ? "2" : "1") == 0,
		      "the scenario's level: %s → %s", sc ? sc->before : "", sc ? sc->after : "");
		const srv_change *q03 = find(v, n, SRV_CHANGE_QUESTION, "Q03");
		check(q03 && strcmp(q03->before, "") == 0 && strstr(q03->after, "12.5"),
		      "Q03: a value given (%s)", q03 ? q03->after : "");
		const srv_change *q04 = find(v, n, SRV_CHANGE_QUESTION, "Q04");
		check(q04 && strcmp(q04->before, "D、N") == 0 && strcmp(q04->after, "") == 0,
		      "Q04: answered only before: D、N → nothing");
		free(v);
		bool all_new = srv_answer_diff(NULL, later, &v, &n) == 0 && n > 20;
		for (size_t i = 0; all_new && i < n; i++)
			all_new = v[i].before[0] == '\0' && v[i].after[0] != '\0';
		check(all_new, "nothing before: every answer given is new (%zu)", n);
		free(v);
	}
	dl_sheet_free(first);
	dl_sheet_free(later);
	free(d), free(e), free(f);
	dl_sheet_free(before);
	dl_sheet_free(after);
	free(xml), free(a), free(b), free(c);
}

static void test_credit_code(void)
{
	char why[200];
	check(dl_credit_code_check("91640303MA76L2K45X", why, sizeof why) == 0 && why[0] == '\0',
	      "a good credit code passes");
	check(dl_credit_code_check("91640303MA76L2K45Y", why, sizeof why) == DL_EINVALID &&
		      strstr(why, "X"),
	      "a wrong check character is refused, naming the right one (%s)", why);
	check(dl_credit_code_check("", why, sizeof why) == DL_EINVALID, "an empty code is refused");
}

/* The text dump of the food pair's 验收意见 with options o. */
static int acceptance(const dl_report_options *o, char **text, dl_error *err)
{
	dl_questionnaire *q = NULL;
	dl_sheet *before = NULL, *after = NULL;
	dl_policy *policy = NULL;
	dl_comparison *c = NULL;
	unsigned char *out = NULL;
	size_t len = 0;
	int rc = dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, err);
	if (rc == 0)
		rc = dl_sheet_load(&before, "examples/food-before.xml", NULL, err);
	if (rc == 0)
		rc = dl_sheet_load(&after, "examples/food-after.xml", NULL, err);
	if (rc == 0)
		rc = dl_policy_load(&policy, POLICY, NULL, err);
	if (rc == 0)
		rc = dl_compare(&c, q, before, after, policy, NULL, err);
	if (rc == 0)
		rc = dl_report_acceptance(&out, &len, c, before, after, o, err);
	*text = (char *)out;
	dl_comparison_free(c);
	dl_policy_free(policy);
	dl_sheet_free(after);
	dl_sheet_free(before);
	dl_questionnaire_free(q);
	return rc;
}

static void test_acceptance_reference(void)
{
	size_t len;
	char *xml = read_file("examples/food-after.xml", &len);
	dl_sheet *after = xml ? sheet_of(xml) : NULL;
	if (!check(after != NULL, "read examples/food-after.xml")) {
		free(xml);
		return;
	}
	char digest[65], upper[65];
	snprintf(digest, sizeof digest, "%s", dl_sheet_digest(after));
	for (size_t i = 0; i < sizeof upper; i++)
		upper[i] = (char)(digest[i] >= 'a' && digest[i] <= 'f' ? digest[i] - 'a' + 'A' : digest[i]);
	dl_sheet_free(after);
	free(xml);

	dl_report_options o = DL_REPORT_OPTIONS_INIT;
	o.format = DL_REPORT_TEXT;
	char *text = NULL;
	dl_error err = {0};
	check(acceptance(&o, &text, &err) == 0 && text && !strstr(text, "依据：评估表"),
	      "without a digest the opinion names none");
	dl_report_free((unsigned char *)text);

	o.after_sha256 = digest;
	check(acceptance(&o, &text, &err) == 0 && text && strstr(text, "依据：评估表 SHA-256") &&
		      strstr(text, digest) && !strstr(text, "存储版本"),
	      "with the digest: 依据：评估表 SHA-256 and the digest, no version");
	dl_report_free((unsigned char *)text);

	o.after_sha256 = upper;
	o.after_version = 3;
	check(acceptance(&o, &text, &err) == 0 && text && strstr(text, "依据：评估表（存储版本第 3 版）SHA-256"),
	      "with a version (the digest in capitals is the same digest): 依据：评估表（存储版本第 3 版）SHA-256");
	dl_report_free((unsigned char *)text);

	char other[65];
	snprintf(other, sizeof other, "%s", digest);
	other[0] = other[0] == '0' ? '1' : '0';
	o.after_sha256 = other;
	text = NULL;
	check(acceptance(&o, &text, &err) == DL_EMISMATCH && !text && strstr(err.message, other),
	      "another sheet's digest is refused (DL_EMISMATCH) and named: %s", err.message);
	o.after_sha256 = "abc";
	check(acceptance(&o, &text, &err) == DL_EMISMATCH, "a short digest is refused");

	o.after_sha256 = digest;
	o.after_version = -1;
	check(acceptance(&o, &text, &err) == DL_EINVALID, "a negative version is refused");

	/* a caller built against version 2 of the options: read without the new fields */
	dl_report_options v2 = DL_REPORT_OPTIONS_INIT;
	v2.version = 2;
	v2.format = DL_REPORT_TEXT;
	v2.after_sha256 = other; /* not part of a version-2 struct: must not be read */
	check(acceptance(&v2, &text, &err) == 0 && text && !strstr(text, "依据：评估表"),
	      "options of version 2 are read, without the fields added after them");
	dl_report_free((unsigned char *)text);
}

int main(void)
{
	test_diff();
	test_credit_code();
	test_acceptance_reference();
	return test_done();
}
