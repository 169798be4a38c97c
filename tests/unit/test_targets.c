/*
 * test_targets.c: unit tests for the targets loader (targets.h) and the cohort figures (cohort.h).
 *
 * The shipped 红寺堡区 targets are read back number by number against 附件2; broken targets files must
 * report every problem with its position; a synthetic cohort checks each counting rule (periods and
 * late evaluations, scale, level, tags and new tags, investment categories, acceptance), the
 * statuses as of a date, the share target, the subsidies by phase, that a refused enterprise
 * changes nothing, and the entry limits. Every allocation of loading, of the cohort and of its
 * writers is failed in turn. The report renders as a text dump (no font needed) and, when a CJK
 * font is installed, as a PDF that is the same twice over. Run from the top of the tree.
 */
#include "alloc.h"
#include "targets_model.h"

#include <digilevel.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

/* Diagnostics collected as "line:column: message" lines. */
typedef struct collected {
	char text[8192];
	size_t len;
	int count;
} collected;

static void collect(const dl_error *e, void *userdata)
{
	collected *c = userdata;
	int n = snprintf(c->text + c->len, sizeof(c->text) - c->len, "%lu:%lu: %s\n", e->line, e->column,
			 e->message);
	if (n > 0 && (size_t)n < sizeof(c->text) - c->len)
		c->len += (size_t)n;
	c->count++;
}

static int load_targets(dl_targets **out, const char *xml, collected *c)
{
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	opts.diag = collect;
	opts.diag_data = c;
	memset(c, 0, sizeof(*c));
	return dl_targets_load_memory(out, xml, strlen(xml), "t.xml", &opts, NULL);
}

/* --- the shipped targets ----------------------------------------------------------------------- */

static void test_hongsibu(const dl_questionnaire *q)
{
	dl_targets *t = NULL;
	dl_error err;
	int rc = dl_targets_load(&t, "policies/hongsibu-2024-targets.xml", NULL, &err);
	check(rc == 0, "policies/hongsibu-2024-targets.xml loads (%s)", rc ? err.message : "");
	if (rc)
		return;
	check(strcmp(dl_targets_id(t), "hongsibu-2024-targets") == 0 &&
		      strcmp(dl_targets_questionnaire_id(t), "miit-2024") == 0 &&
		      strcmp(dl_targets_retrofitted_level(t), "二级") == 0,
	      "identity, questionnaire and retrofitted level");
	check(dl_targets_deadline_count(t) == 2 && strcmp(dl_targets_deadline_date(t, 0), "2025-10-31") == 0 &&
		      strcmp(dl_targets_deadline_date(t, 1), "2026-10-31") == 0 &&
		      strcmp(dl_targets_deadline_title(t, 1), "2026年10月") == 0,
	      "two deadlines: the ends of October 2025 and 2026");
	check(dl_targets_industry_count(t) == 5 && strcmp(dl_targets_industry(t, 2), "装备制造及零部件制造") == 0,
	      "the five 细分行业");
	check(dl_targets_has_share(t) && dl_targets_share_percent(t) == 900000 &&
		      strcmp(dl_targets_share_scale(t), "规上") == 0,
	      "share target: 90%% of 规上 at 二级");
	/* 附件2: rows 1-13, 2025年10月 / 2026年10月 / 总目标 */
	static const long table[13][3] = {{23, 12, 35}, {11, 0, 11}, {12, 12, 24}, {0, 1, 1}, {6, 0, 6},
					  {10, 3, 13},  {1, 0, 1},   {1, 0, 1},    {1, 1, 2}, {1, 0, 1},
					  {2, 1, 3},    {0, 0, 0},   {1, 0, 1}};
	static const bool measurable[13] = {true, true, true,  true,  true,  true, false,
					    true, false, true, true, false, false};
	bool same = dl_targets_count(t) == 13;
	for (size_t i = 0; same && i < 13; i++) {
		char row[8];
		snprintf(row, sizeof(row), "%zu", i + 1);
		same = strcmp(dl_targets_target_row(t, i), row) == 0 &&
		       dl_targets_target_goal(t, i, 0) == table[i][0] &&
		       dl_targets_target_goal(t, i, 1) == table[i][1] &&
		       dl_targets_target_total(t, i) == table[i][2] &&
		       dl_targets_target_measurable(t, i) == measurable[i] &&
		       (measurable[i] ? dl_targets_target_reason(t, i)[0] == '\0'
				      : dl_targets_target_reason(t, i)[0] != '\0');
		if (!same)
			printf("# row %zu differs\n", i + 1);
	}
	check(same, "every goal and total as in 附件2, rows 7, 9, 12, 13 not measurable with a reason");
	size_t cloud = dl_targets_find(t, "cloud"), tech = dl_targets_find(t, "high-tech-new");
	size_t large = dl_targets_find(t, "retrofitted-large"), four = dl_targets_find(t, "level-4");
	check(cloud != DL_NONE && dl_targets_target_of(t, cloud) == DL_TARGET_OF_EVALUATED &&
		      dl_targets_target_category_count(t, cloud) == 1 &&
		      strcmp(dl_targets_target_category(t, cloud, 0), "cloud") == 0,
	      "上云用云: evaluated enterprises with a cloud item");
	check(tech != DL_NONE && dl_targets_target_tag_count(t, tech) == 1 &&
		      dl_targets_target_tag_is_new(t, tech, 0) &&
		      strcmp(dl_targets_target_tag(t, tech, 0), "高新技术企业") == 0,
	      "新增高新技术企业: a new tag");
	check(large != DL_NONE && strcmp(dl_targets_target_scale(t, large), "规上") == 0 &&
		      four != DL_NONE && strcmp(dl_targets_target_level(t, four), "四级") == 0 &&
		      strcmp(dl_targets_target_short(t, four), "四级试点企业") == 0,
	      "scale, level and short name");
	check(dl_targets_find(t, "nothing") == DL_NONE, "find: an unknown id is DL_NONE");
	check(q && dl_targets_check(t, q, NULL, NULL) == 0, "every level name is a level of miit-2024");
	dl_targets_free(t);
}

/* --- broken files ------------------------------------------------------------------------------ */

#define HEAD                                                                                     \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                           \
	"<targets id=\"t\" version=\"1\">\n"                                                     \
	"  <title>试点绩效目标</title><issuer>某区</issuer><document>附件2</document>\n"          \
	"  <questionnaire id=\"miit-2024\" version=\"2024\"/>\n"                                 \
	"  <retrofitted level=\"二级\"/>\n"

static void test_broken(const dl_questionnaire *q)
{
	collected c;
	dl_targets *t = NULL;
	int rc = load_targets(&t,
			      HEAD "  <deadlines><deadline id=\"a\" date=\"2025-02-30\">A</deadline></deadlines>\n"
				   "  <target id=\"x\" row=\"1\" unit=\"家\"><title>X</title><count/>\n"
				   "    <goal deadline=\"a\" value=\"1\"/><total value=\"2\"/></target>\n"
				   "</targets>\n",
			      &c);
	check(rc == DL_EINVALID && !t && c.count == 2 &&
		      strstr(c.text, "6:14: deadline 'a': date '2025-02-30' is not a real date") &&
		      strstr(c.text, "8:35: target 'x': the goals per deadline add up to 1, but the total is 2"),
	      "meaning: a date that does not exist and goals that do not add up, each with its position");
	if (rc == 0)
		dl_targets_free(t);

	rc = load_targets(&t, HEAD "  <deadlines/>\n</targets>\n", &c);
	check(rc == DL_EINVALID && c.count >= 1 && strstr(c.text, "6:3: "),
	      "schema: no deadline, no target (%s)", c.text);
	rc = load_targets(&t, HEAD "  <deadlines>\n", &c);
	check(rc == DL_EINVALID && c.count >= 1 && strncmp(c.text, "7:", 2) == 0,
	      "not well formed: the position where the text ends (%s)", c.text);
	rc = load_targets(&t, "<!DOCTYPE targets [<!ENTITY a \"b\">]><targets/>", &c);
	check(rc == DL_EINVALID && strstr(c.text, "DOCTYPE"), "a DOCTYPE is refused");
	rc = load_targets(&t, "", &c);
	check(rc == DL_EINVALID && !t, "an empty file is refused");

	/* levels the questionnaire does not have, found when checked against it */
	rc = load_targets(&t,
			  HEAD "  <deadlines><deadline id=\"a\" date=\"2025-10-31\">A</deadline></deadlines>\n"
			       "  <target id=\"x\" row=\"1\" unit=\"家\"><title>X</title><count level=\"五级\"/>\n"
			       "    <goal deadline=\"a\" value=\"1\"/><total value=\"1\"/></target>\n"
			       "</targets>\n",
			  &c);
	check(rc == 0, "a target of level 五级 loads (levels are names until checked)");
	if (rc == 0 && q) {
		dl_load_options opts = DL_LOAD_OPTIONS_INIT;
		dl_cohort *cohort = NULL;
		dl_error err;
		opts.diag = collect;
		opts.diag_data = &c;
		memset(&c, 0, sizeof(c));
		check(dl_targets_check(t, q, &opts, NULL) == DL_EINVALID &&
			      strstr(c.text, "7:51: target 'x': level '五级' is not a level"),
		      "check: an unknown level at its place (%s)", c.text);
		check(dl_cohort_new(&cohort, t, q, NULL, &err) == DL_EINVALID && !cohort,
		      "a cohort refuses targets with an unknown level");
	}
	dl_targets_free(t);
}

/* --- a synthetic cohort ------------------------------------------------------------------------ */

static const char COHORT_TARGETS[] =
	HEAD "  <deadlines>\n"
	     "    <deadline id=\"p1\" date=\"2025-10-31\">一期</deadline>\n"
	     "    <deadline id=\"p2\" date=\"2026-10-31\">二期</deadline>\n"
	     "  </deadlines>\n"
	     "  <industries><industry>甲</industry><industry>乙</industry></industries>\n"
	     "  <share scale=\"规上\" level=\"二级\" percent=\"50\"/>\n"
	     "  <target id=\"all\" row=\"1\" unit=\"家\"><title>改造</title><count/>\n"
	     "    <goal deadline=\"p1\" value=\"2\"/><goal deadline=\"p2\" value=\"2\"/><total value=\"4\"/></target>\n"
	     "  <target id=\"large\" row=\"2\" unit=\"家\"><title>规上</title><count scale=\"规上\"/>\n"
	     "    <goal deadline=\"p1\" value=\"1\"/><goal deadline=\"p2\" value=\"0\"/><total value=\"1\"/></target>\n"
	     "  <target id=\"four\" row=\"3\" unit=\"家\"><title>四级</title><count level=\"四级\"/>\n"
	     "    <goal deadline=\"p1\" value=\"1\"/><goal deadline=\"p2\" value=\"0\"/><total value=\"1\"/></target>\n"
	     "  <target id=\"tag\" row=\"4\" unit=\"家\"><title>称号</title><count><tag>甲称号</tag><tag>乙称号</tag></count>\n"
	     "    <goal deadline=\"p1\" value=\"1\"/><goal deadline=\"p2\" value=\"1\"/><total value=\"2\"/></target>\n"
	     "  <target id=\"new\" row=\"5\" unit=\"家\"><title>新增</title><count of=\"evaluated\"><tag new=\"true\">新称号</tag></count>\n"
	     "    <goal deadline=\"p1\" value=\"1\"/><goal deadline=\"p2\" value=\"0\"/><total value=\"1\"/></target>\n"
	     "  <target id=\"cloud\" row=\"6\" unit=\"家\"><title>上云</title><count of=\"evaluated\"><investment category=\"cloud\"/></count>\n"
	     "    <goal deadline=\"p1\" value=\"2\"/><goal deadline=\"p2\" value=\"0\"/><total value=\"2\"/></target>\n"
	     "  <target id=\"none\" row=\"7\" unit=\"个\"><title>车间</title><not-measurable>不在答卷中</not-measurable>\n"
	     "    <goal deadline=\"p1\" value=\"1\"/><goal deadline=\"p2\" value=\"0\"/><total value=\"1\"/></target>\n"
	     "</targets>\n";

typedef struct ent {
	const char *code, *industry, *scale;
	int before;
	const char *before_date;
	int after;
	const char *after_date;
	int verdict; /* -1 none, 0 failed, 1 passed */
	const char *phase;
	int64_t eligible, subsidy;
	const char *tags_before, *tags_after, *categories; /* ';'-separated */
} ent;

static int add_list(dl_cohort_entry *e, const char *list, int kind)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", list ? list : "");
	int rc = 0;
	for (char *p = buf, *semi; rc == 0 && *p; p = semi ? semi + 1 : p + strlen(p)) {
		semi = strchr(p, ';');
		if (semi)
			*semi = '\0';
		rc = kind == 2 ? dl_cohort_entry_add_investment(e, p)
			       : dl_cohort_entry_add_tag(e, kind ? DL_COHORT_AFTER : DL_COHORT_BEFORE, p);
	}
	return rc;
}

static int describe(dl_cohort_entry *e, const ent *x)
{
	dl_cohort_entry_clear(e);
	int rc = dl_cohort_entry_set_enterprise(e, x->code, x->code, x->industry, x->scale);
	if (rc == 0 && x->before >= 0)
		rc = dl_cohort_entry_set_before(e, x->before, x->before_date);
	if (rc == 0 && x->after >= 0)
		rc = dl_cohort_entry_set_after(e, x->after, x->after_date);
	if (rc == 0 && x->verdict >= 0)
		rc = dl_cohort_entry_set_acceptance(e, x->verdict == 1 ? DL_VERDICT_PASS : DL_VERDICT_FAIL,
						    x->phase, x->eligible, x->subsidy);
	if (rc == 0)
		rc = add_list(e, x->tags_before, 0);
	if (rc == 0)
		rc = add_list(e, x->tags_after, 1);
	if (rc == 0)
		rc = add_list(e, x->categories, 2);
	return rc;
}

static const ent ENTS[] = {
	/* retrofitted in period 1: 规上, 四级, holds 甲称号, cloud, phase 1 */
	{"A", "甲", "规上", 2, "2024-12-01", 4, "2025-05-01", 1, "phase-1", 100000, 70000, "甲称号", "甲称号", "cloud"},
	/* retrofitted in period 2 (the day after the first deadline), 规下, new 新称号 */
	{"B", "甲", "规下", 1, "2025-01-10", 2, "2025-11-01", 1, "phase-2", 200000, 120000, "", "新称号;乙称号", ""},
	/* evaluated on the first deadline itself, failed acceptance: counts only where level does not matter */
	{"C", "乙", "规上", 0, "2025-01-10", 1, "2025-10-31", 0, "", 50000, 0, "新称号", "新称号", "cloud;software"},
	/* retrofitted after the last deadline: late */
	{"D", "乙", "规下", 1, "2025-03-01", 3, "2026-11-01", 1, "phase-2", 10000, 6000, "", "", ""},
	/* diagnosis only, in an industry not in the targets' list */
	{"E", "丙", "规上", 2, "2025-02-02", -1, "", -1, "", 0, 0, "", "", ""},
	/* evaluation only: no verdict, tag not provably new */
	{"F", "", "规下", -1, "", 2, "2025-06-01", -1, "", 0, 0, "", "新称号", "cloud"},
};

static void test_cohort(const dl_questionnaire *q, const dl_policy *policy)
{
	collected c;
	dl_targets *t = NULL;
	dl_cohort *cohort = NULL;
	dl_cohort_entry *e = NULL;
	dl_error err;
	int rc = load_targets(&t, COHORT_TARGETS, &c);
	check(rc == 0, "synthetic targets load (%s)", c.text);
	if (rc || !q || !policy) {
		dl_targets_free(t);
		return;
	}
	rc = dl_cohort_new(&cohort, t, q, policy, &err);
	check(rc == 0, "a cohort is made (%s)", rc ? err.message : "");
	check(dl_cohort_entry_new(&e) == 0, "an entry is made");
	if (rc || !e)
		goto done;
	bool all_added = true;
	for (size_t i = 0; i < sizeof(ENTS) / sizeof(ENTS[0]); i++) {
		rc = describe(e, &ENTS[i]);
		if (rc == 0)
			rc = dl_cohort_add(cohort, e, &err);
		if (rc)
			printf("# %s: %d %s\n", ENTS[i].code, rc, err.message);
		all_added = all_added && rc == 0;
	}
	check(all_added, "six enterprises added");
	size_t all = dl_targets_find(t, "all"), large = dl_targets_find(t, "large");
	size_t four = dl_targets_find(t, "four"), tag = dl_targets_find(t, "tag");
	size_t fresh = dl_targets_find(t, "new"), cloud = dl_targets_find(t, "cloud");
	size_t none = dl_targets_find(t, "none");
	check(dl_cohort_enterprise_count(cohort) == 6 && dl_cohort_before_count(cohort) == 5 &&
		      dl_cohort_evaluated_count(cohort) == 5 && dl_cohort_retrofitted_count(cohort) == 3,
	      "6 enterprises, 5 with a sheet before, 5 evaluated, 3 retrofitted (A, B, D)");
	check(dl_cohort_achieved(cohort, all, 0) == 1 && dl_cohort_achieved(cohort, all, 1) == 1 &&
		      dl_cohort_achieved(cohort, all, DL_NONE) == 2 && dl_cohort_late(cohort, all) == 1,
	      "retrofitted: 1 in each period, D late; C failed, F has no verdict");
	check(dl_cohort_achieved(cohort, large, 0) == 1 && dl_cohort_achieved(cohort, large, DL_NONE) == 1,
	      "规上: A only (C failed, E not evaluated)");
	check(dl_cohort_achieved(cohort, four, DL_NONE) == 1, "四级: A");
	check(dl_cohort_achieved(cohort, tag, 0) == 1 && dl_cohort_achieved(cohort, tag, 1) == 1,
	      "any of two tags: A (甲称号) in period 1, B (乙称号) in period 2");
	check(dl_cohort_achieved(cohort, fresh, 0) == 0 && dl_cohort_achieved(cohort, fresh, 1) == 1,
	      "new tag: B only (C held it before, F has no sheet before)");
	check(dl_cohort_achieved(cohort, cloud, 0) == 3 && dl_cohort_achieved(cohort, cloud, DL_NONE) == 3,
	      "cloud among evaluated: A, C (failed but evaluated on the deadline) and F");
	check(dl_cohort_achieved(cohort, none, 0) == 0 &&
		      dl_cohort_status(cohort, none, 0) == DL_STATUS_NOT_MEASURED,
	      "a target that is not measurable counts nothing");
	check(strcmp(dl_cohort_as_of(cohort), "2026-11-01") == 0, "as of the latest sheet by default");
	check(dl_cohort_status(cohort, all, 0) == DL_STATUS_MISSED &&
		      dl_cohort_status(cohort, all, DL_NONE) == DL_STATUS_MISSED &&
		      dl_cohort_status(cohort, large, 0) == DL_STATUS_DONE &&
		      dl_cohort_status(cohort, large, 1) == DL_STATUS_NO_GOAL,
	      "statuses after the last deadline: missed, done, no goal");
	check(dl_cohort_set_as_of(cohort, "2025-12-31", NULL) == 0 &&
		      dl_cohort_status(cohort, all, 0) == DL_STATUS_MISSED &&
		      dl_cohort_status(cohort, all, 1) == DL_STATUS_IN_PROGRESS &&
		      dl_cohort_status(cohort, all, DL_NONE) == DL_STATUS_IN_PROGRESS,
	      "as of 2025-12-31: the first period missed, the second in progress");
	check(dl_cohort_set_as_of(cohort, "2025-13-01", &err) == DL_EINVALID &&
		      strcmp(dl_cohort_as_of(cohort), "2025-12-31") == 0,
	      "an impossible as-of date is refused and changes nothing");
	check(dl_cohort_industry_count(cohort) == 4 && strcmp(dl_cohort_industry(cohort, 2), "丙") == 0 &&
		      !dl_cohort_industry_listed(cohort, 2) && dl_cohort_industry_listed(cohort, 1) &&
		      strcmp(dl_cohort_industry(cohort, 3), "（未填写行业）") == 0,
	      "industries: the listed first, then others as met, an empty one named");
	check(dl_cohort_industry_share_base(cohort, 0) == 1 && dl_cohort_industry_share_reached(cohort, 0) == 1 &&
		      dl_cohort_industry_share_base(cohort, 1) == 1 && dl_cohort_industry_share_reached(cohort, 1) == 0 &&
		      dl_cohort_industry_share_reached(cohort, 2) == 1,
	      "share: 甲 1 of 1 (A at 四级), 乙 0 of 1 (C at 一级), 丙 1 of 1 (E at 二级 before)");
	check(dl_cohort_phase_enterprises(cohort, 0) == 1 && dl_cohort_phase_subsidy(cohort, 0) == 70000 &&
		      dl_cohort_phase_enterprises(cohort, 1) == 2 && dl_cohort_phase_eligible(cohort, 1) == 210000 &&
		      dl_cohort_failed_count(cohort) == 1 && dl_cohort_subsidy_total(cohort) == 196000,
	      "subsidies: phase 1 A, phase 2 B and D, C failed");

	/* refusals change nothing */
	static const ent bad[] = {
		{"G", "甲", "规上", 9, "2025-01-01", -1, "", -1, "", 0, 0, "", "", ""},
		{"H", "甲", "规上", 1, "2025-02-29", -1, "", -1, "", 0, 0, "", "", ""},
		{"I", "甲", "规上", 1, "2025-01-01", 2, "2025-06-01", 1, "phase-9", 0, 0, "", "", ""},
		{"", "甲", "规上", 1, "2025-01-01", -1, "", -1, "", 0, 0, "", "", ""},
		{"J", "甲", "规上", 1, "2025-01-01", 2, "2025-06-01", 1, "phase-1", INT64_MAX, 0, "", "", ""},
	};
	static const int expect[] = {DL_EINVALID, DL_EINVALID, DL_EINVALID, DL_EINVALID, DL_ELIMIT};
	bool refused = true;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = describe(e, &bad[i]);
		if (rc == 0)
			rc = dl_cohort_add(cohort, e, &err);
		if (rc != expect[i])
			printf("# bad entry %zu: %d (%s)\n", i, rc, err.message);
		refused = refused && rc == expect[i];
	}
	check(refused && dl_cohort_enterprise_count(cohort) == 6 && dl_cohort_achieved(cohort, all, 0) == 1 &&
		      dl_cohort_phase_enterprises(cohort, 0) == 1,
	      "an unknown level, an impossible date, an unknown phase, no credit code, an overflowing "
	      "amount: refused, nothing counted");

	/* writers */
	gathered text = {NULL, 0}, csv = {NULL, 0}, json = {NULL, 0};
	/* the text is a message: English here (the Chinese in tests/cases/cohort-*) */
	check(dl_cohort_write_text(cohort, gather, &text) == 0 && text.data &&
		      strstr(text.data, "Completed after the deadline: 1 家") &&
		      strstr(text.data, "2. Targets the sheets cannot measure") &&
		      strstr(text.data, "Why: 不在答卷中"),
	      "text: late evaluations, the reason of a target that is not measurable");
	check(dl_cohort_write_csv(cohort, gather, &csv) == 0 && csv.data &&
		      strstr(csv.data, "targets,all,1,,改造,家,yes,p1,,2025-10-31,2,1,50.0,未完成,") &&
		      strstr(csv.data, "targets,all,1,,改造,家,yes,late,2026-11-01,,,1,,,") &&
		      strstr(csv.data, "subsidy,total,合计,4,3600.00,1960.00"),
	      "CSV: a period, the late row, the subsidy total");
	check(dl_cohort_write_json(cohort, gather, &json) == 0 && json.data &&
		      strstr(json.data, "\"as_of\": \"2025-12-31\"") && strstr(json.data, "\"late\": 1") &&
		      strstr(json.data, "\"industry\": \"丙\", \"listed\": false"),
	      "JSON: as of, late, an industry not listed");
	check(dl_cohort_write_text(cohort, gather, &text) == 0, "writing twice appends");
	free(text.data);
	free(csv.data);
	free(json.data);

	/* the report, as a text dump (no font needed) */
	dl_report_options opts = DL_REPORT_OPTIONS_INIT;
	unsigned char *dump = NULL;
	size_t len = 0;
	opts.format = DL_REPORT_TEXT;
	rc = dl_cohort_report(&dump, &len, cohort, &opts, &err);
	check(rc == 0 && dump && strstr((char *)dump, "digilevel layout:") &&
		      strstr((char *)dump, "bar            y=") && strlen((char *)dump) == len,
	      "the report's layout dump, with bar charts");
	dl_report_free(dump);
	opts.version = 99;
	check(dl_cohort_report(&dump, &len, cohort, &opts, &err) == DL_EINVALID, "unknown options version");

done:
	dl_cohort_entry_free(e);
	dl_cohort_free(cohort);
	dl_targets_free(t);
}

static void test_entry_limits(void)
{
	dl_cohort_entry *e = NULL;
	char long_text[DL_COHORT_TEXT_MAX + 2];
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	check(dl_cohort_entry_new(&e) == 0, "an entry");
	if (!e)
		return;
	check(dl_cohort_entry_set_enterprise(e, long_text, "n", "i", "规上") == DL_ELIMIT,
	      "a text longer than DL_COHORT_TEXT_MAX is refused");
	bool ok = true;
	char tag[16];
	for (int i = 0; i < DL_COHORT_TAGS_MAX; i++) {
		snprintf(tag, sizeof(tag), "t%d", i);
		ok = ok && dl_cohort_entry_add_tag(e, DL_COHORT_AFTER, tag) == 0;
	}
	check(ok && dl_cohort_entry_add_tag(e, DL_COHORT_AFTER, "t0") == 0 &&
		      dl_cohort_entry_add_tag(e, DL_COHORT_AFTER, "one more") == DL_ELIMIT,
	      "up to DL_COHORT_TAGS_MAX tags, repeats ignored, then refused");
	dl_cohort_entry_clear(e);
	check(dl_cohort_entry_add_tag(e, DL_COHORT_AFTER, "again") == 0, "a cleared entry takes tags again");
	dl_cohort_entry_free(e);
	dl_cohort_entry_free(NULL);
	dl_cohort_free(NULL);
	dl_targets_free(NULL);
}

/* --- allocation failures ----------------------------------------------------------------------- */

static void test_alloc_failures(const dl_questionnaire *q, const dl_policy *policy)
{
	size_t len = 0;
	char *xml = read_file("policies/hongsibu-2024-targets.xml", &len);
	check(xml != NULL, "read the shipped targets");
	if (!xml)
		return;
	bool clean = true;
	long n;
	for (n = 0;; n++) {
		dl_targets *t = NULL;
		dl__alloc_fail_after(n);
		int rc = dl_targets_load_memory(&t, xml, len, "t.xml", NULL, NULL);
		dl__alloc_fail_after(-1);
		dl_targets_free(t);
		if (rc == 0)
			break;
		if (rc != DL_ENOMEM || t)
			clean = false;
	}
	check(clean && n > 0, "loading targets: each of %ld allocations failed in turn ends in DL_ENOMEM", n);

	dl_targets *t = NULL;
	if (!q || !policy || dl_targets_load_memory(&t, xml, len, "t.xml", NULL, NULL) != 0) {
		free(xml);
		return;
	}
	clean = true;
	for (n = 0;; n++) {
		dl_cohort *cohort = NULL;
		dl_cohort_entry *e = NULL;
		dl__alloc_fail_after(n);
		int rc = dl_cohort_new(&cohort, t, q, policy, NULL);
		if (rc == 0)
			rc = dl_cohort_entry_new(&e);
		for (size_t i = 0; rc == 0 && i < sizeof(ENTS) / sizeof(ENTS[0]); i++) {
			rc = describe(e, &ENTS[i]);
			if (rc == 0)
				rc = dl_cohort_add(cohort, e, NULL);
		}
		if (rc == 0)
			rc = dl_cohort_write_json(cohort, discard, NULL);
		unsigned char *report = NULL;
		size_t report_len = 0;
		if (rc == 0) {
			dl_report_options o = DL_REPORT_OPTIONS_INIT;
			o.format = DL_REPORT_TEXT; /* the PDF back end: test_reports.c */
			rc = dl_cohort_report(&report, &report_len, cohort, &o, NULL);
			if (rc < 0 && report)
				clean = false;
		}
		dl__alloc_fail_after(-1);
		dl_report_free(report);
		dl_cohort_entry_free(e);
		dl_cohort_free(cohort);
		if (rc == 0)
			break;
		if (rc != DL_ENOMEM)
			clean = false;
	}
	check(clean && n > 0, "a cohort and its report: each of %ld allocations failed in turn ends in "
	      "DL_ENOMEM", n);
	dl_targets_free(t);
	free(xml);
}

static bool contains(const unsigned char *data, size_t len, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(data + i, s, n) == 0)
			return true;
	return false;
}

/* --- the PDF ----------------------------------------------------------------------------------- */

static void test_pdf(const dl_questionnaire *q, const dl_policy *policy)
{
	dl_targets *t = NULL;
	dl_cohort *cohort = NULL;
	dl_cohort_entry *e = NULL;
	dl_error err;
	if (!q || dl_targets_load(&t, "policies/hongsibu-2024-targets.xml", NULL, NULL) != 0 ||
	    dl_cohort_new(&cohort, t, q, policy, NULL) != 0 || dl_cohort_entry_new(&e) != 0) {
		check(false, "a cohort of the shipped targets");
		goto done;
	}
	unsigned char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	int rc = dl_cohort_report(&a, &alen, cohort, NULL, &err);
	if (rc == DL_EIO && strstr(err.message, "no CJK TrueType font")) {
		printf("# no CJK font installed: PDF not rendered (%s)\n", err.message);
		goto done;
	}
	check(rc == 0 && alen > 1000 && memcmp(a, "%PDF-", 5) == 0, "an empty cohort renders as a PDF");
	rc = dl_cohort_report(&b, &blen, cohort, NULL, &err);
	check(rc == 0 && alen == blen && memcmp(a, b, alen) == 0, "the same PDF twice, byte for byte");
	check(!contains(a, alen, "/CreationDate") && !contains(a, alen, "/ID "), "no date, no /ID");
	dl_report_free(a);
	dl_report_free(b);
	dl_report_options opts = DL_REPORT_OPTIONS_INIT;
	opts.font_path = "/nonexistent/font.ttf";
	a = NULL;
	check(dl_cohort_report(&a, &alen, cohort, &opts, &err) == DL_EIO && !a,
	      "a font that cannot be read: DL_EIO, nothing rendered");
done:
	dl_cohort_entry_free(e);
	dl_cohort_free(cohort);
	dl_targets_free(t);
}

/* The cohort report sizes its tables by DL__TARGETS_DEADLINES_MAX: the schema must allow no more. */
static void test_deadlines_limit(void)
{
	size_t len = 0;
	char *xsd = read_file("policies/targets.xsd", &len);
	const char *at = xsd ? strstr(xsd, "<xs:element name=\"deadline\" maxOccurs=\"") : NULL;
	long max = at ? strtol(at + strlen("<xs:element name=\"deadline\" maxOccurs=\""), NULL, 10) : -1;
	check(max == DL__TARGETS_DEADLINES_MAX, "policies/targets.xsd allows %ld deadlines, the code %d", max,
	      DL__TARGETS_DEADLINES_MAX);
	free(xsd);
}

int main(void)
{
	/* the messages checked are the English ones, whatever the library's default (docs/messages.md) */
	dl_set_language(DL_LANGUAGE_EN);
	dl_questionnaire *q = NULL;
	dl_policy *policy = NULL;
	test_deadlines_limit();
	check(dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, NULL) == 0,
	      "load questionnaires/miit-2024.xml");
	check(dl_policy_load(&policy, "policies/hongsibu-2024.xml", NULL, NULL) == 0,
	      "load policies/hongsibu-2024.xml");
	test_hongsibu(q);
	test_broken(q);
	test_cohort(q, policy);
	test_entry_limits();
	test_alloc_failures(q, policy);
	test_pdf(q, policy);
	dl_policy_free(policy);
	dl_questionnaire_free(q);
	return test_done();
}
