/*
 * test_alloc_fail.c: every allocation of the whole pipeline fails in turn, and each failure must end
 * in a clean DL_ENOMEM with nothing leaked, or give exactly the output of a run without failures.
 *
 * The pipeline is what the CLI does for `validate` and `score --target`: tell a file's kind by its
 * root element, load a questionnaire and a sheet from files, check and score the sheet, plan to a
 * target, and write the result (JSON, text) and the questionnaire (JSON, text, blank sheet; one of
 * its texts is longer than a formatted line, so the writer allocates for it). libxml2 is made to
 * allocate through the library's wrapper (xmlMemSetup), so its allocations are failed in turn too;
 * PCRE2 already allocates through it (creditcode.c), and its pattern is freed after every run so
 * that it is compiled under failure every time.
 *
 * Two passes, each failing allocation N for N = 0, 1, 2, ... until a run needs fewer than N:
 *
 * 1. every allocation: after allocation N fails, every later one fails too (dl__alloc_fail_after).
 *    The number of live libxml2 blocks must be what it was before the run. Leaks of the library's
 *    own blocks are reported by ASan and valgrind (make asan, make leakcheck run this test), with a
 *    stack; glibc's own counters (mallinfo2) count its per-thread caches as in use, so they cannot
 *    tell a leak from noise.
 * 2. libxml2 once: only libxml2's allocation N fails and everything after it succeeds, which is how
 *    a real shortage can look to a caller of libxml2 that recovers (xmlGetProp returns NULL for an
 *    attribute that is there). A run must then fail with DL_ENOMEM or give exactly the output of a
 *    run without failures: never a silently different result.
 *
 * A small synthetic questionnaire with every kind of question, scenarios, a gate and a retrofit keeps
 * each pass short enough for valgrind; the MIIT 2024 questionnaire gets pass 1 as well, every
 * allocation in a plain or ASan build and every 50th under valgrind.
 *
 * Not covered, because libxml2 2.9.14 itself cannot survive it (later releases reworked allocation
 * failure handling):
 * - allocations inside its XML Schema code (xmlSchemaNewMemParserCtxt, xmlSchemaParse,
 *   xmlSchemaNewValidCtxt, xmlSchemaValidateDoc): it crashes. xmlSchemaNewValidCtxt, for one,
 *   returns a context whose dictionary and node list are NULL when they could not be allocated, and
 *   validation then dereferences them. The test interposes those four functions and lets their
 *   allocations through.
 * - in pass 2, allocations made under xmlStringLenGetNodeList (attribute values with non-ASCII
 *   text): libxml2 drops the value without a word, and the attribute reads as "". The test does not
 *   fail those and says how many it skipped.
 *
 * Debugging: DL_ALLOC_FAIL_ONLY=N runs only allocation N of each pass; DL_ALLOC_FAIL_DUMP=1 writes
 * the output of a run that differs to /tmp/dl-alloc-output (the reference to /tmp/dl-alloc-reference).
 * libxml2 numbers its allocations differently from run to run (its dictionaries are seeded from
 * the clock), so N is reproducible only with the same seed.
 */
#define _GNU_SOURCE /* dlsym(RTLD_NEXT) */

#include "alloc.h"
#include "creditcode.h"

#include <digilevel.h>

#include <libxml/parser.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlschemas.h>
#include <dlfcn.h>
#include <execinfo.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "test_util.h"

/* --- libxml2's allocations: through dl__malloc, counted, and optionally failed once ------------- */

static long xml_live;          /* libxml2 blocks allocated and not yet freed */
static long xml_count;         /* libxml2 allocations since the counter was reset */
static long xml_fail_at = -1;  /* >= 0: fail only this libxml2 allocation (pass 3) */

/*
 * Set while libxml2 compiles or applies a schema: libxml2 2.9.14 crashes on an allocation failure
 * there (see the top), so those allocations bypass failure injection (plain malloc, not counted).
 */
static bool fragile;

static long xml_silent_skipped; /* pass 2 runs not failed: a silent site of libxml2 */

/*
 * Whether the allocation being made comes from a libxml2 function that loses data silently when it
 * fails (see the top). Only asked once per run, at the allocation chosen to fail.
 */
static bool from_silent_site(void)
{
	static const char *const silent[] = {"xmlStringLenGetNodeList", "xmlStringGetNodeList"};
	void *frames[32];
	int n = backtrace(frames, 32);
	for (int i = 0; i < n; i++) {
		Dl_info info;
		if (!dladdr(frames[i], &info) || !info.dli_sname)
			continue;
		for (size_t k = 0; k < sizeof(silent) / sizeof(silent[0]); k++)
			if (strcmp(info.dli_sname, silent[k]) == 0)
				return true;
	}
	return false;
}

static bool xml_should_fail(void)
{
	if (fragile || xml_count++ != xml_fail_at)
		return false;
	if (from_silent_site()) {
		xml_silent_skipped++;
		return false;
	}
	return true;
}

static void *xml_malloc(size_t size)
{
	if (fragile) {
		void *p = malloc(size ? size : 1);
		xml_live += p != NULL;
		return p;
	}
	void *p = xml_should_fail() ? NULL : dl__malloc(size);
	if (p)
		xml_live++;
	return p;
}

static void *xml_realloc(void *ptr, size_t size)
{
	void *p = fragile ? realloc(ptr, size ? size : 1)
			  : xml_should_fail() ? NULL : dl__realloc(ptr, size);
	if (p && !ptr)
		xml_live++;
	return p;
}

static void xml_free(void *ptr)
{
	if (ptr)
		xml_live--;
	dl__free(ptr);
}

static char *xml_strdup(const char *s)
{
	char *p = fragile ? strdup(s) : xml_should_fail() ? NULL : dl__strdup(s);
	if (p)
		xml_live++;
	return p;
}

/*
 * The library's calls of these resolve to the definitions below (an executable's symbols come
 * first), which call libxml2's own with failure injection off.
 */
#define FRAGILE(ret, name, params, args)                                                        \
	ret name params                                                                         \
	{                                                                                       \
		static ret(*real) params;                                                       \
		if (!real)                                                                      \
			*(void **)&real = dlsym(RTLD_NEXT, #name);                              \
		fragile = true;                                                                 \
		ret result = real args;                                                         \
		fragile = false;                                                                \
		return result;                                                                  \
	}

FRAGILE(xmlSchemaParserCtxtPtr, xmlSchemaNewMemParserCtxt, (const char *buffer, int size),
	(buffer, size))
FRAGILE(xmlSchemaPtr, xmlSchemaParse, (xmlSchemaParserCtxtPtr ctxt), (ctxt))
FRAGILE(xmlSchemaValidCtxtPtr, xmlSchemaNewValidCtxt, (xmlSchemaPtr schema), (schema))
FRAGILE(int, xmlSchemaValidateDoc, (xmlSchemaValidCtxtPtr ctxt, xmlDocPtr doc), (ctxt, doc))

/* --- the inputs -------------------------------------------------------------------------------- */

/*
 * The questionnaire is QUESTIONNAIRE_HEAD, a definition longer than one formatted line (1024
 * bytes, so that the text writer allocates for it), then QUESTIONNAIRE_TAIL.
 */
#define LONG_TEXT_PART "数字化设备数除以设备总数再乘以一百；"
#define LONG_TEXT_REPEAT 24

static const char QUESTIONNAIRE_HEAD[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<!-- synthetic: one question of each kind, scenarios with a gate; not official -->\n"
	"<questionnaire id=\"alloc-test\" version=\"1\" points=\"20\">\n"
	"  <title>分配失败测试问卷</title>\n"
	"  <issuer>测试</issuer>\n"
	"  <notes><note id=\"n1\" title=\"说明\">合成数据，非官方。</note></notes>\n"
	"  <figures>\n"
	"    <figure id=\"total\" unit=\"台\" integer=\"true\">设备总数</figure>\n"
	"    <figure id=\"digital\" unit=\"台\" integer=\"true\">数字化设备数</figure>\n"
	"    <figure id=\"rev_y1\" unit=\"万元\">上年营收</figure>\n"
	"    <figure id=\"rev_y0\" unit=\"万元\">前年营收</figure>\n"
	"  </figures>\n"
	"  <dimension id=\"D1\" title=\"基础\" points=\"20\">\n"
	"    <indicator id=\"D1.1\" title=\"设备\" points=\"20\">\n"
	"      <subindicator id=\"D1.1.1\" title=\"系统\" points=\"20\">\n"
	"        <question id=\"Q1\" type=\"multi\" points=\"5\">\n"
	"          <text>已用系统</text>\n"
	"          <option id=\"A\" points=\"0\" exclusive=\"true\">无</option>\n"
	"          <option id=\"B\" points=\"2.5\">财务</option>\n"
	"          <option id=\"C\" points=\"2.5\">生产</option>\n"
	"        </question>\n"
	"        <question id=\"Q2\" type=\"single\" points=\"5\">\n"
	"          <text>数字化率</text>\n"
	"          <definition>";

static const char QUESTIONNAIRE_TAIL[] =
	"</definition>\n"
	"          <value unit=\"%\" min=\"0\" max=\"100\">\n"
	"            <ratio numerator=\"digital\" denominator=\"total\" scale=\"100\"/>\n"
	"          </value>\n"
	"          <field figure=\"total\"/><field figure=\"digital\"/>\n"
	"          <option id=\"A\" points=\"0\" band=\"[0,50]\">低</option>\n"
	"          <option id=\"B\" points=\"5\" band=\"(50,100]\">高</option>\n"
	"        </question>\n"
	"        <question id=\"Q3\" type=\"single\" points=\"5\">\n"
	"          <text>营收变化</text>\n"
	"          <trend tolerance=\"1\">\n"
	"            <current numerator=\"rev_y1\"/><previous numerator=\"rev_y0\"/>\n"
	"          </trend>\n"
	"          <field figure=\"rev_y1\"/><field figure=\"rev_y0\"/>\n"
	"          <option id=\"A\" points=\"0\" trend=\"down\">降</option>\n"
	"          <option id=\"B\" points=\"2\" trend=\"flat\">平</option>\n"
	"          <option id=\"C\" points=\"5\" trend=\"up\">升</option>\n"
	"        </question>\n"
	"        <question id=\"Q4\" type=\"single\" points=\"5\">\n"
	"          <text>管理制度</text>\n"
	"          <option id=\"A\" points=\"0\">无</option>\n"
	"          <option id=\"B\" points=\"5\">有</option>\n"
	"        </question>\n"
	"      </subindicator>\n"
	"    </indicator>\n"
	"  </dimension>\n"
	"  <scenarios title=\"经营\" max-level=\"2\">\n"
	"    <group id=\"G1\" title=\"组一\">\n"
	"      <scenario id=\"S1\" title=\"采购\" constraint=\"true\"><text>采购</text>"
	"<level value=\"1\">工具</level><level value=\"2\">系统</level></scenario>\n"
	"      <scenario id=\"S2\" title=\"销售\"><level value=\"1\">工具</level>"
	"<level value=\"2\">系统</level></scenario>\n"
	"    </group>\n"
	"    <group id=\"G2\" title=\"组二\">\n"
	"      <scenario id=\"S3\" title=\"仓储\" constraint=\"true\"><level value=\"1\">工具</level>"
	"<level value=\"2\">系统</level></scenario>\n"
	"    </group>\n"
	"  </scenarios>\n"
	"  <levels>\n"
	"    <level value=\"0\" name=\"未达\">未达到一级</level>\n"
	"    <level value=\"1\" name=\"一级\">起步</level>\n"
	"    <level value=\"2\" name=\"二级\">集成</level>\n"
	"  </levels>\n"
	"  <rule fallback=\"0\">\n"
	"    <grade level=\"2\" min-score=\"15\"><scenarios min-level=\"2\" count=\"2\" constraint=\"1\"/></grade>\n"
	"    <grade level=\"1\" min-score=\"5\"><scenarios min-level=\"1\" count=\"1\"/></grade>\n"
	"  </rule>\n"
	"</questionnaire>\n";

static const char SHEET[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<answer-sheet questionnaire=\"alloc-test\" version=\"1\">\n"
	"  <enterprise>\n"
	"    <name>测试企业</name>\n"
	"    <credit-code>91350100M000100Y43</credit-code>\n"
	"    <industry>食品</industry>\n"
	"    <scale>规下</scale>\n"
	"    <employees>50</employees>\n"
	"    <tags><tag>专精特新中小企业</tag></tags>\n"
	"  </enterprise>\n"
	"  <assessment phase=\"evaluation\" date=\"2025-03-01\">\n"
	"    <organisation>评测机构</organisation>\n"
	"    <assessor name=\"张三\" role=\"评测员\" contact=\"123\"/>\n"
	"  </assessment>\n"
	"  <figures>\n"
	"    <figure id=\"total\">10</figure><figure id=\"digital\">4</figure>\n"
	"    <figure id=\"rev_y1\">105</figure><figure id=\"rev_y0\">100</figure>\n"
	"  </figures>\n"
	"  <answers>\n"
	"    <answer question=\"Q1\"><choose option=\"B\"/><note>财务系统</note><evidence>截图</evidence></answer>\n"
	"    <answer question=\"Q2\"/>\n"
	"    <answer question=\"Q3\"/>\n"
	"    <answer question=\"Q4\"><choose option=\"A\"/></answer>\n"
	"  </answers>\n"
	"  <scenarios>\n"
	"    <scenario id=\"S1\" level=\"1\"><note>在用</note></scenario>\n"
	"    <scenario id=\"S2\" level=\"0\"/>\n"
	"    <scenario id=\"S3\" level=\"2\"/>\n"
	"  </scenarios>\n"
	"  <retrofit attempt=\"1\">\n"
	"    <contract>HT-1</contract><provider>服务商</provider><scope>范围</scope>\n"
	"    <completed>2025-01-10</completed><applied>2025-02-01</applied>\n"
	"    <investment><item category=\"software\" amount=\"12000.50\">软件</item></investment>\n"
	"  </retrofit>\n"
	"</answer-sheet>\n";

/* --- output into a fixed buffer (the test must not allocate between heap measurements) ---------- */

#define OUT_MAX (512 * 1024)

typedef struct capture {
	char data[OUT_MAX];
	size_t len;
	bool overflow;
} capture;

static capture out, reference;

static int capture_write(void *userdata, const char *data, size_t len)
{
	capture *c = userdata;
	if (len > OUT_MAX - c->len) {
		c->overflow = true;
		return -1;
	}
	memcpy(c->data + c->len, data, len);
	c->len += len;
	return 0;
}

/* --- the pipeline ------------------------------------------------------------------------------ */

typedef struct inputs {
	const char *questionnaire; /* path */
	const char *sheet;         /* path */
	int target;
} inputs;

/* Every diagnostic's code must be negative, and the message must be there. */
static int bad_diagnostics;

static void on_diag(const dl_error *e, void *userdata)
{
	(void)userdata;
	if (e->code >= 0 || !e->message[0])
		bad_diagnostics++;
}

static dl_error last_error; /* of the last pipeline run, for the log */

/* Run everything into out; returns 0 or the first error. Frees all it made. */
static int pipeline(const inputs *in)
{
	dl_questionnaire *q = NULL;
	dl_sheet *s = NULL;
	dl_result *r = NULL;
	dl_plan *p = NULL;
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	dl_error err;
	char root[64];
	int rc;

	opts.diag = on_diag;
	memset(&err, 0, sizeof(err));
	out.len = 0;
	out.overflow = false;
	rc = dl_document_root(in->sheet, root, sizeof(root), &err);
	if (rc < 0)
		goto done;
	capture_write(&out, root, strlen(root));
	rc = dl_questionnaire_load(&q, in->questionnaire, &opts, &err);
	if (rc < 0)
		goto done;
	rc = dl_sheet_load(&s, in->sheet, &opts, &err);
	if (rc < 0)
		goto done;
	rc = dl_sheet_check(s, q, &opts, &err);
	if (rc < 0)
		goto done;
	rc = dl_score(&r, q, s, &opts, &err);
	if (rc < 0)
		goto done;
	rc = dl_plan_make(&p, r, in->target, &err);
	if (rc < 0)
		goto done;
	if ((rc = dl_result_write_json(r, s, p, capture_write, &out)) < 0 ||
	    (rc = dl_result_write_text(r, s, p, capture_write, &out)) < 0 ||
	    (rc = dl_questionnaire_write_json(q, capture_write, &out)) < 0 ||
	    (rc = dl_questionnaire_write_text(q, capture_write, &out)) < 0 ||
	    (rc = dl_questionnaire_write_template(q, "evaluation", capture_write, &out)) < 0)
		goto done;
done:
	dl_plan_free(p);
	dl_result_free(r);
	dl_sheet_free(s);
	dl_questionnaire_free(q);
	/* the pattern is compiled again by the next run, under failure too */
	dl__credit_code_shutdown();
	/* libxml2 keeps a copy of the last error in a global: not a leak of the run */
	xmlResetLastError();
	last_error = err;
	return rc;
}

typedef enum pass_kind { PASS_STICKY, PASS_XML_ONCE } pass_kind;

/*
 * Fail allocation n for n = 0, 1, ... (every stride-th n) until a run completes without reaching
 * it. Returns how many runs failed as they should.
 */
static void fail_each(const char *name, const inputs *in, pass_kind kind, long stride)
{
	long runs = 0, problems = 0, n = 0;
	/* DL_ALLOC_FAIL_ONLY=N runs only N in each pass, to debug one failure under gdb or valgrind */
	const char *only = getenv("DL_ALLOC_FAIL_ONLY");
	if (only)
		n = strtol(only, NULL, 10);
	xmlResetLastError();
	for (;; n += stride) {
		long live_before = xml_live;
		long used;
		bool reached;
		if (kind == PASS_XML_ONCE) {
			xml_count = 0;
			xml_fail_at = n;
		} else {
			dl__alloc_fail_after(n);
		}
		int rc = pipeline(in);
		if (kind == PASS_XML_ONCE) {
			used = xml_count;
			reached = xml_count > n;
			xml_fail_at = -1;
		} else {
			used = dl__alloc_fail_after(-1);
			reached = used > n;
		}
		if (!reached) {
			/* the run needed fewer allocations than n: every site has been failed */
			if (rc != 0 || out.len != reference.len || memcmp(out.data, reference.data, out.len))
				problems++, printf("# %s: the run without failure differs (rc %d)\n", name, rc);
			break;
		}
		runs++;
		bool ok = rc == DL_ENOMEM ||
			  (rc == 0 && !out.overflow && out.len == reference.len &&
			   memcmp(out.data, reference.data, out.len) == 0);
		if (!ok && rc == 0 && getenv("DL_ALLOC_FAIL_DUMP")) { /* debugging: diff the two */
			FILE *f = fopen("/tmp/dl-alloc-output", "wb");
			FILE *g = fopen("/tmp/dl-alloc-reference", "wb");
			if (f && g) {
				fwrite(out.data, 1, out.len, f);
				fwrite(reference.data, 1, reference.len, g);
			}
			if (f)
				fclose(f);
			if (g)
				fclose(g);
		}
		if (!ok && problems++ < 10)
			printf("# %s: failing allocation %ld of %ld gave %d%s: %s:%lu: %s\n", name, n,
			       used, rc, rc == 0 ? " and a different output" : " instead of DL_ENOMEM",
			       last_error.file, last_error.line, last_error.message);
		if (kind == PASS_STICKY && xml_live != live_before && problems++ < 10)
			printf("# %s: failing allocation %ld leaks %ld libxml2 blocks\n", name, n,
			       xml_live - live_before);
		if (only)
			return;
	}
	if (kind == PASS_XML_ONCE)
		printf("# %s: %ld allocations at silent sites of libxml2 not failed\n", name,
		       xml_silent_skipped);
	check(runs > 0 && problems == 0, "%s: %ld runs, each failing allocation gave DL_ENOMEM or the "
	      "same output%s", name, runs, kind == PASS_STICKY ? ", and no libxml2 block leaked" : "");
}

/* The output of a run without failures, into reference. Returns the pipeline's result. */
static int reference_run(const inputs *in)
{
	int rc = pipeline(in);
	reference = out;
	return reference.overflow ? DL_ELIMIT : rc;
}

/*
 * A questionnaire of RATIO_QUESTIONS questions each decided by a ratio of two figures with long
 * ids, and a sheet that gives the figures: each answer's basis (the figures it was computed from)
 * is a few hundred bytes, so the result's arena must grow while the bases are copied into it.
 */
#define RATIO_QUESTIONS 100
#define LONG_ID "_of_equipment_counted_the_long_way_for_this_test_only"

static void ratio_inputs(char *questionnaire, size_t qsize, char *sheet, size_t ssize)
{
	size_t n = (size_t)snprintf(questionnaire, qsize,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<questionnaire id=\"alloc-test\" version=\"1\" points=\"%d\">\n"
		"  <title>分配失败测试问卷</title><issuer>测试</issuer>\n"
		"  <figures>\n"
		"    <figure id=\"total%s\" unit=\"台\" integer=\"true\">总数</figure>\n"
		"    <figure id=\"digital%s\" unit=\"台\" integer=\"true\">数字化</figure>\n"
		"  </figures>\n"
		"  <dimension id=\"D1\" title=\"基础\" points=\"%d\">\n"
		"    <indicator id=\"D1.1\" title=\"设备\" points=\"%d\">\n"
		"      <subindicator id=\"D1.1.1\" title=\"系统\" points=\"%d\">\n",
		RATIO_QUESTIONS, LONG_ID, LONG_ID,
		RATIO_QUESTIONS, RATIO_QUESTIONS, RATIO_QUESTIONS);
	for (int i = 1; i <= RATIO_QUESTIONS; i++)
		n += (size_t)snprintf(questionnaire + n, qsize - n,
			"        <question id=\"Q%d\" type=\"single\" points=\"1\">\n"
			"          <text>数字化率</text>\n"
			"          <value unit=\"%%\" min=\"0\" max=\"100\">"
			"<ratio numerator=\"digital%s\" denominator=\"total%s\" scale=\"100\"/></value>\n"
			"          <field figure=\"total%s\"/><field figure=\"digital%s\"/>\n"
			"          <option id=\"A\" points=\"0\" band=\"[0,50]\">低</option>\n"
			"          <option id=\"B\" points=\"1\" band=\"(50,100]\">高</option>\n"
			"        </question>\n", i, LONG_ID, LONG_ID, LONG_ID, LONG_ID);
	snprintf(questionnaire + n, qsize - n,
		"      </subindicator>\n    </indicator>\n  </dimension>\n"
		"  <scenarios title=\"经营\" max-level=\"2\">\n"
		"    <group id=\"G1\" title=\"组一\">\n"
		"      <scenario id=\"S1\" title=\"采购\"><level value=\"1\">工具</level>"
		"<level value=\"2\">系统</level></scenario>\n"
		"    </group>\n  </scenarios>\n"
		"  <levels>\n"
		"    <level value=\"0\" name=\"未达\">未达到一级</level>\n"
		"    <level value=\"1\" name=\"一级\">起步</level>\n"
		"  </levels>\n"
		"  <rule fallback=\"0\"><grade level=\"1\" min-score=\"5\"/></rule>\n"
		"</questionnaire>\n");
	n = (size_t)snprintf(sheet, ssize, "%.*s", (int)(strstr(SHEET, "  <figures>") - SHEET), SHEET);
	n += (size_t)snprintf(sheet + n, ssize - n,
		"  <figures><figure id=\"total%s\">10</figure><figure id=\"digital%s\">7</figure>"
		"</figures>\n  <answers>\n", LONG_ID, LONG_ID);
	for (int i = 1; i <= RATIO_QUESTIONS; i++)
		n += (size_t)snprintf(sheet + n, ssize - n, "    <answer question=\"Q%d\"/>\n", i);
	snprintf(sheet + n, ssize - n,
		"  </answers>\n  <scenarios><scenario id=\"S1\" level=\"1\"/></scenarios>\n"
		"</answer-sheet>\n");
}

/*
 * Scoring alone, with every allocation in it failed in turn and allocation working again as soon as
 * dl_score returns: a failure inside scoring must be DL_ENOMEM, never a result that merely looks
 * complete (engine/scoring/resolve.c once turned a failed copy of an answer's basis into "").
 */
static void fail_each_in_score(const char *name, const inputs *in)
{
	dl_questionnaire *q = NULL;
	dl_sheet *s = NULL;
	dl_result *r = NULL;
	static capture want; /* too large for the stack */
	long runs = 0, problems = 0;
	if (dl_questionnaire_load(&q, in->questionnaire, NULL, NULL) != 0 ||
	    dl_sheet_load(&s, in->sheet, NULL, NULL) != 0 || dl_score(&r, q, s, NULL, NULL) != 0) {
		check(false, "%s: the inputs load and score", name);
		goto done;
	}
	out.len = 0;
	dl_result_write_text(r, s, NULL, capture_write, &out);
	dl_result_write_json(r, s, NULL, capture_write, &out);
	want = out;
	dl_result_free(r);
	r = NULL;
	for (long n = 0;; n++) {
		dl__alloc_fail_after(n);
		int rc = dl_score(&r, q, s, NULL, NULL);
		long used = dl__alloc_fail_after(-1);
		if (used <= n) {
			dl_result_free(r);
			r = NULL;
			break;
		}
		runs++;
		out.len = 0;
		out.overflow = false;
		if (rc == 0) {
			dl_result_write_text(r, s, NULL, capture_write, &out);
			dl_result_write_json(r, s, NULL, capture_write, &out);
		}
		bool ok = rc == DL_ENOMEM || (rc == 0 && !out.overflow && out.len == want.len &&
					      memcmp(out.data, want.data, out.len) == 0);
		if (!ok && problems++ < 10)
			printf("# %s: failing allocation %ld of %ld in dl_score gave %d%s\n", name, n, used,
			       rc, rc == 0 ? " and a different result" : " instead of DL_ENOMEM");
		dl_result_free(r);
		r = NULL;
	}
	check(runs > 0 && problems == 0,
	      "%s: %ld runs, each failing allocation in dl_score gave DL_ENOMEM or the same result",
	      name, runs);
done:
	dl_result_free(r);
	dl_sheet_free(s);
	dl_questionnaire_free(q);
	out.len = 0;
}

/* libxml2 reports some failures (a reader it cannot allocate) on stderr: keep the log readable. */
static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Write data to a new temporary file; returns its path in buf. */
static const char *temp_file(const char *data, char *buf, size_t size)
{
	snprintf(buf, size, "/tmp/dl-alloc-XXXXXX");
	int fd = mkstemp(buf);
	if (fd < 0)
		return NULL;
	size_t len = strlen(data);
	bool ok = write(fd, data, len) == (ssize_t)len;
	if (close(fd) != 0 || !ok)
		return NULL;
	return buf;
}

int main(void)
{
	char qpath[64], spath[64];
	if (!check(xmlMemSetup(xml_free, xml_malloc, xml_realloc, xml_strdup) == 0,
		   "libxml2 allocates through the library's wrapper (xmlMemSetup)"))
		return test_done();
	static char questionnaire[8192];
	size_t used = (size_t)snprintf(questionnaire, sizeof(questionnaire), "%s", QUESTIONNAIRE_HEAD);
	for (int i = 0; i < LONG_TEXT_REPEAT; i++)
		used += (size_t)snprintf(questionnaire + used, sizeof(questionnaire) - used, "%s",
					 LONG_TEXT_PART);
	snprintf(questionnaire + used, sizeof(questionnaire) - used, "%s", QUESTIONNAIRE_TAIL);
	if (!check(temp_file(questionnaire, qpath, sizeof(qpath)) && temp_file(SHEET, spath, sizeof(spath)),
		   "write the inputs to /tmp"))
		return test_done();
	inputs small = {qpath, spath, 2};
	inputs miit = {"questionnaires/miit-2024.xml", "tests/cases/score-target-plan/sheet.xml", 4};

	xmlSetGenericErrorFunc(NULL, quiet);
	/* The reference output; it also compiles and caches the embedded schemas (see the top). */
	int rc = reference_run(&small);
	check(rc == 0 && reference.len > 0,
	      "the synthetic pipeline runs without failures (rc %d)", rc);
	check(bad_diagnostics == 0, "no diagnostics without failures");
	if (rc != 0)
		return test_done();
	fail_each("every allocation", &small, PASS_STICKY, 1);
	fail_each("libxml2 once", &small, PASS_XML_ONCE, 1);

	rc = reference_run(&miit);
	check(rc == 0, "the MIIT 2024 pipeline runs without failures (rc %d)", rc);
	if (rc == 0)
		fail_each("MIIT 2024, every allocation", &miit, PASS_STICKY, RUNNING_ON_VALGRIND ? 50 : 1);
	static char ratio_questionnaire[128 * 1024], ratio_sheet[16 * 1024];
	char rqpath[64], rspath[64];
	ratio_inputs(ratio_questionnaire, sizeof(ratio_questionnaire), ratio_sheet,
		     sizeof(ratio_sheet));
	inputs ratios = {temp_file(ratio_questionnaire, rqpath, sizeof(rqpath)),
			 temp_file(ratio_sheet, rspath, sizeof(rspath)), 1};
	if (ratios.questionnaire && ratios.sheet)
		fail_each_in_score("answers decided by long ratios, scoring alone", &ratios);
	else
		check(false, "cannot write the ratio inputs to /tmp");
	fail_each_in_score("MIIT 2024, scoring alone", &miit);
	unlink(rqpath);
	unlink(rspath);
	check(bad_diagnostics == 0, "every diagnostic has a negative code and a message");

	unlink(qpath);
	unlink(spath);
	xmlCleanupParser();
	return test_done();
}
