/*
 * test_views.c: the workbench's pages that show what is stored (server/page_result.c,
 * page_sheets.c, page_upload.c, page_dashboard.c) and what they stand on (standing.c,
 * cohort_store.c), called as the router calls them, with hand-made requests, on a real store in a
 * temporary directory holding the examples/ uploaded through the upload page.
 *
 * Pages are parsed with libxml2's HTML parser and read with XPath: the level and the numbers the
 * library gives, the links, the escaping of a name holding <script>. The dashboard built from the
 * store is `digilevel cohort --format json` on the example files that count, given in the order the
 * dashboard feeds them (the export's file names), byte for byte, with and without a policy, also
 * once a draft version of an evaluation is added (a draft never counts: the finished version does);
 * and `digilevel cohort` on what `serve --export` writes gives the same bytes.
 */
#define _GNU_SOURCE /* mkdtemp, memmem */
#include "cohort_store.h"
#include "derive.h"
#include "editions.h"
#include "export.h"
#include "pages_view.h"
#include "standing.h"

#include <dirent.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <pthread.h>
#include <unistd.h>

#include "test_i18n.h"
#include "test_util.h"

static const char *const EXAMPLES[] = {
	"chemical-after.xml", "chemical-before.xml", "equipment-after.xml", "equipment-before.xml",
	"food-after.xml",     "food-before.xml",     "fuel-after.xml",	    "fuel-before.xml",
	"textile-after.xml",  "textile-before.xml"};
#define EXAMPLE_COUNT 10
#define FOOD_CODE "91640303MA76L2K45X"
#define FOOD_AFTER 5 /* ids: the examples are uploaded in this order, 1 to 10 */
#define FOOD_BEFORE 6

static char tmp[64];
static bool catalogue; /* the Chinese messages are bound, as `digilevel serve` binds them */

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	srv_buf b = {0};
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		srv_buf_write(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return b.data;
}

/* What a command prints on standard output. */
static char *run(const char *command, size_t *len)
{
	FILE *p = popen(command, "r");
	if (!p)
		return NULL;
	srv_buf b = {0};
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		srv_buf_write(&b, chunk, n);
	pclose(p);
	*len = b.len;
	return b.data;
}

/* --- calling a page and reading it --------------------------------------------------------------- */

typedef struct page {
	srv_response rs;
	htmlDocPtr doc;
	char *text; /* the whole text of the page */
} page;

static void page_free(page *p)
{
	free(p->rs.body);
	if (p->doc)
		xmlFreeDoc(p->doc);
	if (p->text)
		xmlFree(p->text);
	memset(p, 0, sizeof *p);
}

static int call(srv *s, srv_handler h, const char *method, const char *path, const char *param,
		const srv_field *fields, size_t nfields, page *out)
{
	memset(out, 0, sizeof *out);
	srv_request rq;
	memset(&rq, 0, sizeof rq);
	rq.method = method;
	rq.path = path;
	rq.remote = "127.0.0.1";
	rq.fields = fields;
	rq.field_count = nfields;
	rq.param[0] = param;
	int rc = h(s, &rq, &out->rs);
	if (rc == 0 && out->rs.body) {
		out->doc = htmlReadMemory((const char *)out->rs.body, (int)out->rs.len, path, "UTF-8",
					  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
		if (out->doc)
			out->text = (char *)xmlNodeGetContent(xmlDocGetRootElement(out->doc));
	}
	return rc;
}

/* How many nodes an XPath expression selects. */
static int count(const page *p, const char *xpath)
{
	if (!p->doc)
		return -1;
	xmlXPathContextPtr ctx = xmlXPathNewContext(p->doc);
	xmlXPathObjectPtr o = ctx ? xmlXPathEvalExpression((const xmlChar *)xpath, ctx) : NULL;
	int n = o && o->nodesetval ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return n;
}

static bool has_text(const page *p, const char *text)
{
	return p->text && strstr(p->text, text);
}

/* Whether the raw bytes of the page hold s (the body is not NUL-terminated). */
static bool in_body(const page *p, const char *s)
{
	return p->rs.body && memmem(p->rs.body, p->rs.len, s, strlen(s)) != NULL;
}

static bool has_link(const page *p, const char *href)
{
	char x[512];
	snprintf(x, sizeof x, "//a[@href='%s']", href);
	return count(p, x) > 0;
}

/* --- the store, filled through the upload page ------------------------------------------------- */

static void upload_examples(srv *s)
{
	srv_field fields[EXAMPLE_COUNT];
	char *data[EXAMPLE_COUNT];
	for (size_t i = 0; i < EXAMPLE_COUNT; i++) {
		char path[128];
		snprintf(path, sizeof path, "examples/%s", EXAMPLES[i]);
		fields[i].name = "sheets";
		fields[i].filename = (char *)EXAMPLES[i];
		fields[i].value = data[i] = read_all(path, &fields[i].len);
	}
	page p;
	int rc = call(s, page_upload, "POST", "/upload", NULL, fields, EXAMPLE_COUNT, &p);
	check(rc == 0 && p.rs.status == 200, "the ten examples are uploaded at once (status %d)", p.rs.status);
	check(count(&p, "//tr[@class='stored']") == EXAMPLE_COUNT, "each example is stored");
	check(has_link(&p, "/sheets/1") && has_link(&p, "/sheets/10"),
	      "the results link to each stored sheet");
	page_free(&p);
	for (size_t i = 0; i < EXAMPLE_COUNT; i++)
		free(data[i]);
}

static void upload_problems(srv *s)
{
	size_t len;
	char *good = read_all("examples/food-before.xml", &len);
	/* two problems: an unknown option of Q01, a scenario level out of range */
	srv_buf bad = {0};
	const char *q01 = strstr(good, "<choose option=\"B\"/>");
	const char *s01 = strstr(good, "<scenario id=\"S01\" level=\"1\"/>");
	srv_buf_write(&bad, good, (size_t)(q01 - good));
	srv_buf_puts(&bad, "<choose option=\"Z\"/>");
	srv_buf_write(&bad, q01 + 20, (size_t)(s01 - (q01 + 20)));
	srv_buf_puts(&bad, "<scenario id=\"S01\" level=\"9\"/>");
	srv_buf_puts(&bad, s01 + strlen("<scenario id=\"S01\" level=\"1\"/>"));
	srv_field fields[3] = {
		{"sheets", bad.data, bad.len, "dir/bad.xml"},
		{"sheets", "<answer-sheet", 13, "broken.xml"},
		{"sheets", "", 0, "empty.xml"},
	};
	page p;
	int rc = call(s, page_upload, "POST", "/upload", NULL, fields, 3, &p);
	check(rc == 0 && p.rs.status == 422, "files with problems: 422 (status %d)", p.rs.status);
	check(count(&p, "//tr[@class='refused']") == 3 && count(&p, "//tr[@class='stored']") == 0,
	      "none of them is stored");
	check(count(&p, "//table[@class='problems']") == 3, "each file has its table of problems");
	check(count(&p, "//table[@class='problems'][1]/tbody/tr") >= 2,
	      "every problem of bad.xml is listed (%d)", count(&p, "//table[@class='problems'][1]/tbody/tr"));
	check(count(&p, "//table[@class='problems'][1]/caption[starts-with(., 'bad.xml')]") == 1,
	      "a file is named without its folder");
	char line[96];
	unsigned long q01_line = 1;
	for (const char *c = bad.data; c < bad.data + (q01 - good); c++)
		q01_line += *c == '\n';
	snprintf(line, sizeof line, "//table[@class='problems'][1]//td[1][.='%lu']", q01_line);
	check(count(&p, line) == 1, "the unknown option is reported at its line %lu", q01_line);
	page_free(&p);

	dl_store_row *rows = NULL;
	size_t n = 0;
	dl_store_filter f = {0};
	f.history = true;
	f.drafts = true;
	dl_store_list(s->store, &f, &rows, &n, NULL);
	check(n == EXAMPLE_COUNT, "nothing more is stored (%zu)", n);
	free(rows);

	rc = call(s, page_upload, "POST", "/upload", NULL, NULL, 0, &p);
	check(rc == 0 && p.rs.status == 400, "an upload without a file: 400");
	page_free(&p);
	rc = call(s, page_upload_form, "GET", "/upload", NULL, NULL, 0, &p);
	check(rc == 0 && p.rs.status == 200 &&
		  count(&p, "//form[@enctype='multipart/form-data']//input[@type='file' and @id='sheets' "
			    "and @multiple]") == 1 &&
		  count(&p, "//label[@for='sheets']") == 1,
	      "the upload form: a labelled file input taking several files");
	page_free(&p);
	srv_buf_free(&bad);
	free(good);
}

/* --- the result page ------------------------------------------------------------------------------- */

static void result_page(srv *s)
{
	/* the library's own answer for food-before.xml */
	dl_sheet *sheet = NULL;
	dl_result *r = NULL;
	const dl_questionnaire *q = srv_edition_find(s, "miit-2024", "2024");
	if (!check(q && dl_sheet_load(&sheet, "examples/food-before.xml", NULL, NULL) == 0 &&
			   dl_score(&r, q, sheet, NULL, NULL) == 0,
		   "the library scores food-before.xml"))
		return;
	char total[32], id[16];
	dl_points_format(dl_result_total(r), total, sizeof total);
	snprintf(id, sizeof id, "%d", FOOD_BEFORE);
	page p;
	int rc = call(s, page_result, "GET", "/sheets/6", id, NULL, 0, &p);
	check(rc == 0 && p.rs.status == 200, "GET /sheets/6: 200 (status %d)", p.rs.status);
	check(count(&p, "//p[@class='level-name']") == 1 &&
		  strstr(p.text, dl_questionnaire_level_name(q, dl_result_level(r))),
	      "the level is the library's (%s)", dl_questionnaire_level_name(q, dl_result_level(r)));
	check(has_text(&p, total), "the total is the library's (%s)", total);
	check(count(&p, "//tr[@class='met']") > 0 && count(&p, "//tr[@class='unmet']") > 0,
	      "the conditions of every grade, met and unmet");
	check(count(&p, "//ol[@class='plan']/li") > 0, "the plan to the next level has steps");
	check(count(&p, "//section[@class='charts']//table") == 2,
	      "the dimension and scenario scores as tables");
	check(count(&p, "(//section[@class='charts']//table)[1]/tbody/tr") == 3, "three dimensions");
	check(count(&p, "(//section[@class='charts']//table)[2]/tbody/tr") ==
		  (int)dl_questionnaire_scenario_count(q),
	      "every scenario");
	check(count(&p, "//p[@class='draft-warning']") == 0, "a finished sheet is not a draft");
	check(has_link(&p, "/api/sheets/6?format=xml") && has_link(&p, "/sheets/6/edit") &&
		  count(&p, "//form[@action='/api/sheets/6/report.pdf']//select[@name='target']") == 1 &&
		  count(&p, "//label[@for='target']") == 1,
	      "links to the XML, the edit page and the PDF with a labelled target chooser");
	check(has_link(&p, "/enterprises/" FOOD_CODE), "a link to the enterprise");
	check(has_text(&p, dl_questionnaire_option_text(q, 0, 1)), "the answers are shown");
	page_free(&p);

	rc = call(s, page_result, "GET", "/sheets/99", "99", NULL, 0, &p);
	check(rc == 0 && p.rs.status == 404, "a sheet not stored: 404");
	page_free(&p);
	rc = call(s, page_result, "GET", "/sheets/x", "1x", NULL, 0, &p);
	check(rc == 0 && p.rs.status == 404, "a number that is no number: 404");
	page_free(&p);
	dl_result_free(r);
	dl_sheet_free(sheet);
}

/* A draft version of food-after: provisional, unanswered listed, never counted. */
static int64_t store_draft(srv *s)
{
	size_t len;
	char *xml = read_all("examples/food-after.xml", &len);
	char *q07 = strstr(xml, "<answer question=\"Q07\">");
	char *close = q07 ? strstr(q07, "</answer>") : NULL;
	if (!check(close != NULL, "food-after.xml answers Q07"))
		return 0;
	for (char *choose; (choose = strstr(q07, "<choose")) && choose < close;)
		memset(choose, ' ', (size_t)(strstr(choose, "/>") + 2 - choose)); /* Q07 left unanswered */
	dl_store_sheet put;
	memset(&put, 0, sizeof put);
	put.xml = xml;
	put.xml_len = len;
	put.replaces = FOOD_AFTER;
	put.reason = "Q07 answered again"; /* a submitted evaluation is frozen */
	dl_error err;
	int rc = srv_derive(s, xml, len, "draft.xml", true, &put.fields, &err);
	dl_store_row row = {0};
	if (rc == 0)
		rc = dl_store_put(s->store, &put, &row, &err);
	check(rc == 0 && row.lineage == FOOD_AFTER && row.version == 2 && row.draft,
	      "a draft is stored as version 2 of food-after (%s)", rc ? err.message : "");
	free(xml);

	char id[16];
	snprintf(id, sizeof id, "%lld", (long long)row.id);
	page p;
	rc = call(s, page_result, "GET", "/sheets/draft", id, NULL, 0, &p);
	check(rc == 0 && p.rs.status == 200 && count(&p, "//p[@class='draft-warning']") == 1 &&
		  has_text(&p, _("Draft: the score is provisional")),
	      "the draft says its score is provisional");
	if (catalogue)
		check(has_text(&p, "草稿，分数为临时结果"), "in Chinese: 草稿，分数为临时结果");
	else
		skip("the Chinese of the draft's warning: the catalogue is not built");
	check(count(&p, "//ul[@class='unanswered']/li[starts-with(., 'Q07')]") == 1,
	      "the draft lists what is not answered (Q07)");
	char self[32];
	snprintf(self, sizeof self, "/sheets/%s", id);
	check(count(&p, "//a[@href='/sheets/5']/ancestor::tr[not(@class='draft')]") == 1 &&
		  count(&p, "//a[@href='/sheets/5']/ancestor::table//tr[@class='draft']") == 1 &&
		  has_link(&p, self),
	      "the versions of the lineage are listed, the draft marked");
	page_free(&p);
	dl_set_language(DL_LANGUAGE_EN); /* `serve --lang en` */
	rc = call(s, page_result, "GET", "/sheets/draft", id, NULL, 0, &p);
	check(rc == 0 && has_text(&p, "Draft: the score is provisional") && !has_text(&p, "草稿，"),
	      "in English: Draft: the score is provisional");
	page_free(&p);
	dl_set_language(DL_LANGUAGE_ZH);
	return row.id;
}

/* --- lists and the enterprise -------------------------------------------------------------------- */

static void sheets_pages(srv *s)
{
	page p;
	int rc = call(s, page_sheets, "GET", "/sheets", NULL, NULL, 0, &p);
	check(rc == 0 && p.rs.status == 200, "GET /sheets: 200");
	check(count(&p, "//tbody/tr") == EXAMPLE_COUNT, "one row per lineage (%d)", count(&p, "//tbody/tr"));
	check(count(&p, "//tbody/tr[@class='draft']") == 1, "the draft is marked");
	check(count(&p, "//label[@for='credit_code']") == 1 && count(&p, "//label[@for='phase']") == 1,
	      "the filters are labelled");
	page_free(&p);

	srv_field by_code[2] = {{"credit_code", FOOD_CODE, strlen(FOOD_CODE), NULL},
				{"phase", "diagnosis", 9, NULL}};
	rc = call(s, page_sheets, "GET", "/sheets", NULL, by_code, 1, &p);
	check(rc == 0 && count(&p, "//tbody/tr") == 2, "filtered by credit code: its two lineages");
	page_free(&p);
	rc = call(s, page_sheets, "GET", "/sheets", NULL, by_code, 2, &p);
	check(rc == 0 && count(&p, "//tbody/tr") == 1 && has_link(&p, "/sheets/6"),
	      "and by phase: its diagnosis");
	page_free(&p);
}

static void enterprise_page(srv *s)
{
	srv_standing pair;
	int rc = srv_standing_pair(s, FOOD_CODE, &pair, NULL);
	check(rc == 0 && pair.has_before && pair.has_after && pair.before.row.id == FOOD_BEFORE &&
		  pair.after.row.id == FOOD_AFTER,
	      "the standing pair: the diagnosis and the finished evaluation (not the draft)");

	/* the library's comparison of the two files */
	const dl_policy *policy = srv_policy_find(s, "hongsibu-2024");
	dl_comparison *c = NULL;
	rc = srv_standing_compare(&pair, policy, NULL, &c, NULL);
	check(rc == 0, "the pair compares under hongsibu-2024");
	char money[48] = "";
	const char *verdict = c ? dl_verdict_title(dl_comparison_verdict(c)) : "?";
	if (c)
		dl_money_format(dl_comparison_subsidy(c), money, sizeof money);
	srv_field pol = {"policy", "hongsibu-2024", 13, NULL};
	page p;
	rc = call(s, page_enterprise, "GET", "/enterprises/" FOOD_CODE, FOOD_CODE, &pol, 1, &p);
	check(rc == 0 && p.rs.status == 200, "GET /enterprises/CODE: 200");
	check(has_text(&p, verdict) && has_text(&p, money), "the verdict (%s) and subsidy (%s)", verdict,
	      money);
	check(has_link(&p, "/api/enterprises/" FOOD_CODE "/compare?policy=hongsibu-2024") &&
		  has_link(&p, "/api/enterprises/" FOOD_CODE "/acceptance.pdf?policy=hongsibu-2024"),
	      "links to the comparison and the acceptance PDF under the chosen policy");
	check(count(&p, "//select[@name='policy']/option[@selected and @value='hongsibu-2024']") == 1 &&
		  count(&p, "//label[@for='policy']") == 1,
	      "the chosen policy is selected in a labelled list");
	check(has_link(&p, "/sheets/5") && has_link(&p, "/sheets/6"), "its sheets are linked");
	page_free(&p);
	dl_comparison_free(c);
	srv_standing_free(&pair);

	rc = call(s, page_enterprise, "GET", "/enterprises/" FOOD_CODE, FOOD_CODE, NULL, 0, &p);
	check(rc == 0 && count(&p, "//select[@name='policy']/option[@selected and @value='hongsibu-2024']") == 1 &&
		  has_text(&p, verdict),
	      "without a choice: the policy of the district's targets");
	page_free(&p);
	rc = call(s, page_enterprise, "GET", "/enterprises/X", "91000000000000000X", NULL, 0, &p);
	check(rc == 0 && p.rs.status == 404, "an enterprise with no sheet: 404");
	page_free(&p);
}

/* --- the cohort ------------------------------------------------------------------------------------ */

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void cohort_equals_cli(srv *s, const char *policy_id, const char *what)
{
	if (!catalogue) {
		skip("the dashboard against the CLI %s: the Chinese catalogue is not built", what);
		return;
	}
	const dl_targets *t = srv_targets_find(s, "hongsibu-2024-targets");
	const dl_policy *policy = policy_id ? srv_policy_find(s, policy_id) : NULL;
	srv_cohort *c = NULL;
	dl_error err;
	int rc = srv_cohort_build(s, t, policy, NULL, &c, &err);
	if (!check(rc == 0, "the dashboard is built from the store %s (%s)", what, rc ? err.message : ""))
		return;
	srv_buf json = {0};
	dl_cohort_write_json(srv_cohort_get(c), srv_buf_write, &json);
	/* the example files of the sheets that count, in the order the dashboard feeds them (the
	 * export's file names): `cohort` reads its paths in the order given */
	char cmd[2048], policy_arg[128] = "", files[1200] = "";
	dl_store_row *rows = NULL;
	size_t n = 0;
	srv_finished_rows(s, NULL, &rows, &n, NULL);
	char (*names)[200] = calloc(n ? n : 1, sizeof *names);
	for (size_t i = 0; names && i < n; i++) {
		srv_sheet_file_name(&rows[i], names[i], 160);
		if (rows[i].id >= 1 && rows[i].id <= EXAMPLE_COUNT) /* name\0path: sorted by name */
			snprintf(names[i] + strlen(names[i]) + 1, 40, "%s", EXAMPLES[rows[i].id - 1]);
	}
	if (names)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; names && i < n; i++) {
		size_t used = strlen(files);
		snprintf(files + used, sizeof files - used, " examples/%s", names[i] + strlen(names[i]) + 1);
	}
	free(names);
	free(rows);
	if (policy_id)
		snprintf(policy_arg, sizeof policy_arg, "--policy policies/%s.xml", policy_id);
	const char *build = getenv("BUILD"); /* the program of this build (tests/run.sh sets BUILD) */
	if (!build || !build[0])
		build = "build";
	snprintf(cmd, sizeof cmd,
		 "%s/digilevel --lang zh cohort --targets policies/hongsibu-2024-targets.xml %s --format json"
		 "%s 2>/dev/null",
		 build, policy_arg, files);
	size_t len = 0;
	char *cli = run(cmd, &len);
	if (!check(cli && len > 0 && len == json.len && memcmp(cli, json.data, len) == 0,
		   "the dashboard's JSON is `digilevel cohort --format json` on the examples that count %s, byte for byte",
		   what)) {
		size_t at = 0;
		while (cli && json.data && at < len && at < json.len && cli[at] == json.data[at])
			at++;
		printf("# first difference at byte %zu (cli %zu bytes, store %zu)\n# cli:   %.80s\n# store: %.80s\n",
		       at, len, json.len, cli && at < len ? cli + at : "", json.data && at < json.len ? json.data + at : "");
	}
	check(srv_cohort_sheet_count(c) == EXAMPLE_COUNT && srv_cohort_failed_count(c) == 0,
	      "ten sheets counted, none failed (the draft is not)");
	/* and `serve --export DIR` then `cohort DIR`: the same bytes */
	char dir[128];
	static int exports;
	snprintf(dir, sizeof dir, "%s/export-%d", tmp, ++exports);
	free(cli);
	cli = NULL;
	len = 0;
	if (check(srv_export(s->store, dir, NULL, &err) == 0, "the store is exported %s", what)) {
		snprintf(cmd, sizeof cmd,
			 "%s/digilevel --lang zh cohort --targets policies/hongsibu-2024-targets.xml %s "
			 "--format json %s 2>/dev/null",
			 build, policy_arg, dir);
		cli = run(cmd, &len);
		check(cli && len == json.len && memcmp(cli, json.data, len) == 0,
		      "`digilevel cohort` on the export gives the dashboard's JSON %s", what);
	}
	free(cli);
	srv_buf_free(&json);
	srv_cohort_free(c);
}

/* --- the dashboard kept between requests (cohort_store.h) ------------------------------------ */

static bool same_json(const srv_cohort *a, const srv_cohort *b)
{
	srv_buf ja = {0}, jb = {0};
	dl_cohort_write_json(srv_cohort_get(a), srv_buf_write, &ja);
	dl_cohort_write_json(srv_cohort_get(b), srv_buf_write, &jb);
	bool same = ja.len > 0 && ja.len == jb.len && memcmp(ja.data, jb.data, ja.len) == 0;
	srv_buf_free(&ja);
	srv_buf_free(&jb);
	return same;
}

typedef struct build_call {
	srv *s;
	const dl_targets *t;
	const dl_policy *policy;
	srv_cohort *c;
	int rc;
} build_call;

static void *build_thread(void *arg)
{
	build_call *b = arg;
	dl_error err;
	b->rc = srv_cohort_build(b->s, b->t, b->policy, NULL, &b->c, &err);
	return NULL;
}

/* Store examples/NAME as a new finished sheet, scored as the server scores it. */
static int store_finished(srv *s, const char *name, dl_error *err)
{
	char path[128];
	snprintf(path, sizeof path, "examples/%s", name);
	size_t len;
	char *xml = read_all(path, &len);
	dl_store_sheet put;
	memset(&put, 0, sizeof put);
	put.xml = xml;
	put.xml_len = len;
	int rc = srv_derive(s, xml, len, name, false, &put.fields, err);
	if (rc == 0)
		rc = dl_store_put(s->store, &put, NULL, err);
	free(xml);
	return rc;
}

static void cohort_cache(srv *s)
{
	const dl_targets *t = srv_targets_find(s, "hongsibu-2024-targets");
	const dl_policy *policy = srv_policy_find(s, "hongsibu-2024");
	dl_error err;
	srv_cohort *alone = NULL, *a = NULL, *b = NULL, *other = NULL, *dated = NULL;
	if (!check(srv_cohort_build(s, t, policy, NULL, &alone, &err) == 0,
		   "the dashboard is built without a cache (%s)", err.message) ||
	    !check(srv_cohort_cache_start(s) == 0, "the dashboard cache starts")) {
		srv_cohort_free(alone);
		return;
	}
	int rc = srv_cohort_build(s, t, policy, NULL, &a, &err);
	if (rc == 0)
		rc = srv_cohort_build(s, t, policy, NULL, &b, &err);
	check(rc == 0 && a && a == b, "a second request shares the first one's build");
	check(rc == 0 && same_json(alone, a), "the kept dashboard is the one built without it, byte for byte");
	rc = srv_cohort_build(s, t, NULL, NULL, &other, &err);
	check(rc == 0 && other != a, "without the policy: a build of its own");
	rc = srv_cohort_build(s, t, policy, "2027-12-31", &dated, &err);
	check(rc == 0 && dated != a && dated != other, "as of another date: a build of its own");

	/* a sheet added moves the store's mark: the next request builds again, once for all who ask */
	rc = store_finished(s, "food-before.xml", &err);
	check(rc == 0, "food-before.xml is stored again, finished (%s)", rc ? err.message : "");
	build_call calls[4];
	pthread_t threads[4];
	for (size_t i = 0; i < 4; i++) {
		calls[i] = (build_call){s, t, policy, NULL, -1};
		pthread_create(&threads[i], NULL, build_thread, &calls[i]);
	}
	for (size_t i = 0; i < 4; i++)
		pthread_join(threads[i], NULL);
	bool shared = true;
	for (size_t i = 0; i < 4; i++)
		shared = shared && calls[i].rc == 0 && calls[i].c == calls[0].c;
	check(shared && calls[0].c != a, "four requests at once after the save share one new build");
	check(shared && srv_cohort_sheet_count(calls[0].c) == srv_cohort_sheet_count(a) + 1,
	      "the new build counts the sheet added (%zu sheets, %zu before)",
	      shared ? srv_cohort_sheet_count(calls[0].c) : 0, srv_cohort_sheet_count(a));
	check(srv_cohort_sheet_count(a) == srv_cohort_sheet_count(alone) && same_json(alone, a),
	      "a request holding the old build still reads it whole");

	/* a save while a build runs: a request after the save is given every sheet it saw */
	size_t seen = shared ? srv_cohort_sheet_count(calls[0].c) : 0;
	build_call during = {s, t, policy, NULL, -1}, after = {s, t, policy, NULL, -1};
	pthread_t first, second;
	pthread_create(&first, NULL, build_thread, &during);
	rc = store_finished(s, "fuel-before.xml", &err);
	pthread_create(&second, NULL, build_thread, &after);
	pthread_join(first, NULL);
	pthread_join(second, NULL);
	check(rc == 0 && during.rc == 0 && after.rc == 0 &&
		  srv_cohort_sheet_count(after.c) == seen + 1 &&
		  (srv_cohort_sheet_count(during.c) == seen ||
		   srv_cohort_sheet_count(during.c) == seen + 1),
	      "a request after a save made during a build counts the sheet saved (%zu sheets)",
	      after.rc == 0 ? srv_cohort_sheet_count(after.c) : 0);
	srv_cohort_free(during.c);
	srv_cohort_free(after.c);
	for (size_t i = 0; i < 4; i++)
		srv_cohort_free(calls[i].c);
	srv_cohort_free(a);
	srv_cohort_free(b);
	srv_cohort_free(other);
	srv_cohort_free(dated);
	srv_cohort_free(alone);
	srv_cohort_cache_stop(s);
	check(s->cohort_cache == NULL, "the cache stops");
}

static void dashboard_page(srv *s)
{
	srv_field f[2] = {{"targets", "hongsibu-2024-targets", 21, NULL}, {"policy", "hongsibu-2024", 13, NULL}};
	page p;
	int rc = call(s, page_dashboard, "GET", "/dashboard", NULL, f, 2, &p);
	check(rc == 0 && p.rs.status == 200, "GET /dashboard: 200 (status %d)", p.rs.status);
	check(count(&p, "//table[@id='targets']/tbody/tr") > 0 &&
		  count(&p, "//table[@id='levels']/tbody/tr") > 0 &&
		  count(&p, "//table[@id='subsidy']/tbody/tr") > 0,
	      "targets, levels and subsidies as tables");
	check(count(&p, "//table[@id='subsidy']//td[.='1319830.00']") == 1,
	      "the subsidy total is the command line's (1319830.00)");
	check(has_link(&p, "/api/cohort.pdf?targets=hongsibu-2024-targets&policy=hongsibu-2024") &&
		  has_link(&p, "/api/cohort.csv?targets=hongsibu-2024-targets&policy=hongsibu-2024"),
	      "links to the PDF and the CSV with the same choice");
	check(count(&p, "//label[@for='targets']") == 1 && count(&p, "//label[@for='policy']") == 1 &&
		  count(&p, "//label[@for='as_of']") == 1,
	      "the choosers are labelled");
	page_free(&p);
	rc = call(s, page_dashboard, "GET", "/dashboard", NULL, NULL, 0, &p);
	check(rc == 0 && p.rs.status == 200 &&
		  count(&p, "//select[@name='policy']/option[@selected and @value='hongsibu-2024']") == 1 &&
		  count(&p, "//table[@id='subsidy']//td[.='1319830.00']") == 1,
	      "without a choice: the policy of the targets' issuer");
	page_free(&p);
	srv_field none[1] = {{"policy", "none", 4, NULL}};
	rc = call(s, page_dashboard, "GET", "/dashboard", NULL, none, 1, &p);
	check(rc == 0 && p.rs.status == 200 && count(&p, "//table[@id='subsidy']") == 0,
	      "without a policy: no subsidy table");
	page_free(&p);
	srv_field date[1] = {{"as_of", "2025-13-45", 10, NULL}};
	rc = call(s, page_dashboard, "GET", "/dashboard", NULL, date, 1, &p);
	check(rc == 0 && p.rs.status == 422 && count(&p, "//p[@class='error']") == 1 &&
		  count(&p, "//label[@for='as_of']") == 1,
	      "a date that is no date: 422, said on the page with the choosers (status %d)", p.rs.status);
	page_free(&p);
	srv_field bad[1] = {{"targets", "nope", 4, NULL}};
	rc = call(s, page_dashboard, "GET", "/dashboard", NULL, bad, 1, &p);
	check(rc == 0 && p.rs.status == 404, "unknown targets: 404");
	page_free(&p);
}

/* --- escaping ---------------------------------------------------------------------------------------- */

static void escaping(srv *s)
{
	size_t len;
	char *xml = read_all("examples/textile-before.xml", &len);
	char *name = strstr(xml, "<name>");
	char *end = name ? strstr(name, "</name>") : NULL;
	if (!check(end != NULL, "textile-before.xml has a name"))
		return;
	srv_buf b = {0};
	srv_buf_write(&b, xml, (size_t)(name - xml));
	srv_buf_puts(&b, "<name>&lt;script&gt;alert(1)&lt;/script&gt; \"&amp;\"</name>");
	srv_buf_puts(&b, end + 7);
	srv_field f = {"sheets", b.data, b.len, "<img src=x onerror=alert(1)>.xml"};
	page p;
	int rc = call(s, page_upload, "POST", "/upload", NULL, &f, 1, &p);
	check(rc == 0 && p.rs.status == 200, "a sheet whose name holds <script> is stored");
	check(count(&p, "//img") == 0 && !in_body(&p, "<img") &&
		  has_text(&p, "<img src=x onerror=alert(1)>.xml"),
	      "the file name comes out escaped");
	page_free(&p);
	rc = call(s, page_sheets, "GET", "/sheets", NULL, NULL, 0, &p);
	check(rc == 0 && count(&p, "//script") == 1 && !in_body(&p, "<script>alert") &&
		  has_text(&p, "<script>alert(1)</script> \"&\""),
	      "the name comes out escaped in the list: text, not a script");
	page_free(&p);
	free(xml);
	srv_buf_free(&b);
}

/* --- workbooks ------------------------------------------------------------------------------------ */

static void workbook_upload(srv *s)
{
	size_t len, bad_len;
	char *xlsx = read_all("tests/cases/xlsx-import-food/food-before.xlsx", &len);
	char *bad = read_all("tests/cases/xlsx-hostile-not-workbook/notes.xlsx", &bad_len);
	if (!check(xlsx && bad, "the test workbooks are there"))
		return;
	srv_field f[2] = {{"sheets", xlsx, len, "food-before.xlsx"}, {"sheets", bad, bad_len, "notes.xlsx"}};
	page p;
	int rc = call(s, page_upload, "POST", "/upload", NULL, f, 2, &p);
	check(rc == 0 && p.rs.status == 422 && count(&p, "//tr[@class='stored']") == 1 &&
		  count(&p, "//tr[@class='refused']/td[.='notes.xlsx']") == 1,
	      "a filled workbook is stored, a zip that is no workbook refused");
	page_free(&p);
	dl_store_row *rows = NULL, row;
	size_t n = 0;
	dl_store_filter fl = {0};
	dl_store_list(s->store, &fl, &rows, &n, NULL);
	char *xml = NULL;
	size_t xml_len = 0;
	rc = n ? dl_store_get(s->store, rows[0].id, &row, &xml, &xml_len, NULL) : -1;
	check(rc == 0 && strncmp(xml, "<?xml", 5) == 0,
	      "the workbook is stored as answer-sheet XML");
	dl_store_row before;
	dl_store_get(s->store, FOOD_BEFORE, &before, NULL, NULL, NULL);
	check(rc == 0 && row.level == before.level && strcmp(row.total, before.total) == 0 &&
		  strcmp(row.credit_code, FOOD_CODE) == 0,
	      "it scores as the XML it was filled from (%s, %s)", row.total, before.total);
	free(xml);
	free(rows);
	free(xlsx);
	free(bad);
}

int main(void)
{
	snprintf(tmp, sizeof tmp, "/tmp/digilevel-views-XXXXXX");
	if (!mkdtemp(tmp))
		return 1;
	catalogue = test_bind_catalogue();
	dl_set_language(DL_LANGUAGE_ZH);
	srv s;
	memset(&s, 0, sizeof s);
	s.cfg.questionnaires_dir = "questionnaires";
	s.cfg.policies_dir = "policies";
	dl_error err = {0};
	char db[128];
	snprintf(db, sizeof db, "%s/views.db", tmp);
	if (!check(srv_editions_load(&s, &err) == 0, "the editions and policies load (%s)", err.message) ||
	    !check(dl_store_open(&s.store, db, &err) == 0, "the store opens"))
		return test_done();
	upload_examples(&s);
	upload_problems(&s);
	result_page(&s);
	cohort_equals_cli(&s, "hongsibu-2024", "under hongsibu-2024");
	cohort_equals_cli(&s, NULL, "without a policy");
	store_draft(&s);
	cohort_equals_cli(&s, "hongsibu-2024", "with a draft stored");
	sheets_pages(&s);
	enterprise_page(&s);
	dashboard_page(&s);
	escaping(&s);
	workbook_upload(&s);
	cohort_cache(&s);
	dl_store_close(s.store);
	srv_editions_free(&s);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmp);
	xmlCleanupParser();
	return test_done();
}
