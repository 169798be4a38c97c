/*
 * test_svg.c: unit tests of the reports' charts drawn as SVG (dl_report_chart_svg,
 * dl_report_comparison_chart_svg, include/digilevel/report.h).
 *
 * For every bundled example, scored by the library: each chart parses as XML (libxml2), is an SVG
 * 1.1 root with a viewBox and no width or height, role="img", an aria-label naming every dimension
 * or scenario, a <title>; the dimension chart has one track per dimension holding its full marks
 * and one bar per series and dimension holding the result's score exactly, as long as the score's
 * share of the track (a score of 0 draws no bar); the scenario chart has one axis per scenario and
 * one point per series and scenario holding the result's level exactly, on its axis at the level's
 * share of the axis. The comparison's charts have both series (before and after). Two calls give
 * the same bytes. A dimension title with < & " ' comes out escaped and reads back as it was.
 * Errors: an unknown chart. Every allocation of a chart failing in turn ends in DL_ENOMEM with
 * nothing left allocated.
 *
 * Run from the repository root; checks as tests/unit/test_util.h says.
 */
#define _POSIX_C_SOURCE 200809L

#include <digilevel.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "creditcode.h" /* dl__credit_code_shutdown: the sheets' loader keeps a compiled pattern */
#include "test_util.h"

static const char *const SLUGS[] = {"chemical", "equipment", "food", "fuel", "textile"};
#define NSLUGS	      (sizeof(SLUGS) / sizeof(SLUGS[0]))
#define QUESTIONNAIRE "questionnaires/miit-2024.xml"
#define MAX_ELEMENTS  4096
#define BARS_MAX      16 /* the dimensions a bar chart shows (reports/layout.h, DL__BARS_MAX) */

/* ---- the counting allocator: live blocks, and an allocation to fail ---- */

static struct {
	long live;    /* blocks allocated and not yet freed */
	long count;   /* allocations so far */
	long fail_at; /* fail this allocation and every later one (0: none) */
} alloc;

static void *counting_malloc(size_t n)
{
	void *p;

	if (++alloc.count >= alloc.fail_at && alloc.fail_at > 0)
		return NULL;
	p = malloc(n);
	if (p != NULL)
		alloc.live++;
	return p;
}

static void *counting_realloc(void *old, size_t n)
{
	if (old == NULL)
		return counting_malloc(n);
	if (++alloc.count >= alloc.fail_at && alloc.fail_at > 0)
		return NULL;
	return realloc(old, n); /* on failure the old block stays alive */
}

static void counting_free(void *p)
{
	if (p != NULL)
		alloc.live--;
	free(p);
}

/* ---- reading the SVG back ---- */

/* Parses the SVG; NULL when it is not well-formed XML. */
static xmlDoc *parse(const char *svg, size_t len)
{
	return xmlReadMemory(svg, (int)len, "chart.svg", NULL,
			     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* The element's attribute as a newly allocated string (free with xmlFree), or NULL. */
static char *attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static bool attr_is(const xmlNode *n, const char *name, const char *want)
{
	char *v = attr(n, name);
	bool same = v != NULL && strcmp(v, want) == 0;

	xmlFree(v);
	return same;
}

/* The attribute as a number; NAN when absent or not a number. */
static double num(const xmlNode *n, const char *name)
{
	char *v = attr(n, name), *end = NULL;
	double d = NAN;

	if (v != NULL) {
		d = strtod(v, &end);
		if (end == v || *end != '\0')
			d = NAN;
	}
	xmlFree(v);
	return d;
}

/*
 * The attribute as an exact decimal in 1/10000 (the unit of dl_points), or LLONG_MIN when it is not
 * a decimal of at most four places ("57.5" is 575000).
 */
static long long exact(const xmlNode *n, const char *name)
{
	char *v = attr(n, name);
	const char *s = v;
	long long whole = 0, frac = 0, scale = 10000;
	bool neg = false, digits = false;

	if (s == NULL)
		return LLONG_MIN;
	if (*s == '-') {
		neg = true;
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++, digits = true)
		whole = whole * 10 + (*s - '0');
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9' && scale > 1; s++) {
			scale /= 10;
			frac += (*s - '0') * scale;
		}
	}
	if (!digits || *s != '\0') {
		xmlFree(v);
		return LLONG_MIN;
	}
	xmlFree(v);
	return (neg ? -1 : 1) * (whole * 10000 + frac);
}

/* Every element under n, in document order, into els (at most MAX_ELEMENTS); returns the count. */
static size_t elements(xmlNode *n, xmlNode **els, size_t k)
{
	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (k < MAX_ELEMENTS)
			els[k++] = n;
		k = elements(n->children, els, k);
	}
	return k;
}

/*
 * The root's promises: an <svg> in the SVG namespace, version 1.1, a viewBox of four numbers with
 * a positive size, no width or height, role="img", an aria-label holding every one of the names,
 * a non-empty <title> as its first child. Returns whether they all hold (printing what does not).
 */
static bool root_ok(xmlDoc *doc, const char *const *names, size_t nnames)
{
	xmlNode *root = xmlDocGetRootElement(doc), *first;
	char *vb, *label;
	double x, y, w, h;
	bool ok = true;

	if (root == NULL || strcmp((const char *)root->name, "svg") != 0 || root->ns == NULL ||
	    strcmp((const char *)root->ns->href, "http://www.w3.org/2000/svg") != 0) {
		printf("# the root is not <svg> in the SVG namespace\n");
		return false;
	}
	vb = attr(root, "viewBox");
	if (vb == NULL || sscanf(vb, "%lf %lf %lf %lf", &x, &y, &w, &h) != 4 || w <= 0 || h <= 0) {
		printf("# viewBox '%s'\n", vb ? vb : "(none)");
		ok = false;
	}
	xmlFree(vb);
	if (xmlHasProp(root, (const xmlChar *)"width") ||
	    xmlHasProp(root, (const xmlChar *)"height")) {
		printf("# the root has a fixed width or height\n");
		ok = false;
	}
	if (!attr_is(root, "version", "1.1") || !attr_is(root, "role", "img")) {
		printf("# version or role\n");
		ok = false;
	}
	label = attr(root, "aria-label");
	for (size_t i = 0; i < nnames; i++) {
		if (label == NULL || strstr(label, names[i]) == NULL) {
			printf("# the aria-label lacks '%s'\n", names[i]);
			ok = false;
		}
	}
	xmlFree(label);
	for (first = root->children; first != NULL && first->type != XML_ELEMENT_NODE;
	     first = first->next)
		;
	if (first == NULL || strcmp((const char *)first->name, "title") != 0 ||
	    first->children == NULL) {
		printf("# the first child is not a non-empty <title>\n");
		ok = false;
	}
	return ok;
}

/* ---- the dimension chart ---- */

/*
 * Checks the dimension bars of r0 (and r1): one track per dimension (the first BARS_MAX) with its
 * full marks, after it one bar per series with the score, as long as its share of the track.
 */
static void check_dimensions(const char *what, const char *svg, size_t len, const dl_result *r0,
			     const dl_result *r1)
{
	const dl_questionnaire *q = dl_result_questionnaire(r0);
	const dl_result *rs[2] = {r0, r1};
	size_t dims[BARS_MAX], ndims = 0, nels, k, bad = 0;
	const char *names[BARS_MAX];
	unsigned nbars[BARS_MAX][2];
	double track_x = 0, track_w = 0;
	long i = -1;
	static xmlNode *els[MAX_ELEMENTS];
	xmlDoc *doc = parse(svg, len);

	if (!check(doc != NULL, "%s: the dimension chart is well-formed XML", what))
		return;
	for (size_t n = 0; n < dl_questionnaire_node_count(q) && ndims < BARS_MAX; n++)
		if (dl_questionnaire_node_kind(q, n) == DL_NODE_DIMENSION) {
			names[ndims] = dl_questionnaire_node_title(q, n);
			dims[ndims++] = n;
		}
	check(root_ok(doc, names, ndims),
	      "%s: the dimension chart is an SVG 1.1 image with a viewBox, a title "
	      "and an aria-label naming every dimension",
	      what);
	memset(nbars, 0, sizeof(nbars));
	nels = elements(xmlDocGetRootElement(doc), els, 0);
	for (k = 0; k < nels; k++) {
		xmlNode *e = els[k];
		if (attr_is(e, "class", "track")) {
			if (++i >= (long)ndims) {
				bad++;
				break;
			}
			track_x = num(e, "x");
			track_w = num(e, "width");
			if (exact(e, "data-value") != dl_questionnaire_node_points(q, dims[i])) {
				printf("# track %ld: data-value is not the full marks\n", i);
				bad++;
			}
		} else if (attr_is(e, "class", "bar s0") || attr_is(e, "class", "bar s1")) {
			int s = attr_is(e, "class", "bar s1");
			dl_points score, max;
			if (i < 0 || rs[s] == NULL) {
				printf("# a bar of series %d outside a track or of a series not "
				       "drawn\n",
				       s);
				bad++;
				continue;
			}
			score = dl_result_node_score(rs[s], dims[i]);
			max = dl_questionnaire_node_points(q, dims[i]);
			nbars[i][s]++;
			if (exact(e, "data-value") != score) {
				printf("# dimension %ld, series %d: data-value is not the score\n",
				       i, s);
				bad++;
			}
			/* as long as the score's share of the full marks' track (coordinates have 2
			 * decimals) */
			if (fabs(num(e, "x") - track_x) > 0.011 ||
			    fabs(num(e, "width") - track_w * (double)score / (double)max) > 0.02) {
				printf("# dimension %ld, series %d: width %g, track %g, score %g "
				       "of %g\n",
				       i, s, num(e, "width"), track_w, (double)score / 10000,
				       (double)max / 10000);
				bad++;
			}
		}
	}
	check(i + 1 == (long)ndims, "%s: one track per dimension (%ld of %zu)", what, i + 1, ndims);
	for (k = 0; k < ndims; k++)
		for (int s = 0; s < 2; s++) {
			unsigned want =
			    rs[s] != NULL && dl_result_node_score(rs[s], dims[k]) > 0 ? 1 : 0;
			if (nbars[k][s] != want) {
				printf("# dimension %zu, series %d: %u bars, expected %u\n", k, s,
				       nbars[k][s], want);
				bad++;
			}
		}
	check(bad == 0,
	      "%s: one bar per series and dimension, holding the result's score and as long as "
	      "its share of the full marks",
	      what);
	xmlFreeDoc(doc);
}

/* ---- the scenario chart ---- */

/*
 * Checks the scenario radar of r0 (and r1): one axis per scenario (from the centre, holding the
 * highest level), one point per series and scenario with its level, on its axis at the level's
 * share of the axis's length.
 */
static void check_scenarios(const char *what, const char *svg, size_t len, const dl_result *r0,
			    const dl_result *r1)
{
	const dl_questionnaire *q = dl_result_questionnaire(r0);
	const dl_result *rs[2] = {r0, r1};
	size_t nsc = dl_questionnaire_scenario_count(q), nels, k, naxes = 0, npts[2] = {0, 0},
	       bad = 0;
	int max = dl_questionnaire_scenario_max_level(q);
	double ax[64][4];
	const char *names[64];
	static xmlNode *els[MAX_ELEMENTS];
	xmlDoc *doc = parse(svg, len);

	if (!check(doc != NULL, "%s: the scenario chart is well-formed XML", what))
		return;
	if (!check(nsc >= 3 && nsc <= 32, "%s: the questionnaire has 3 to 32 scenarios (%zu)", what,
		   nsc)) {
		xmlFreeDoc(doc);
		return;
	}
	for (size_t si = 0; si < nsc; si++)
		names[si] = dl_questionnaire_scenario_title(q, si);
	check(root_ok(doc, names, nsc),
	      "%s: the scenario chart is an SVG 1.1 image with a viewBox, a title "
	      "and an aria-label naming every scenario",
	      what);
	nels = elements(xmlDocGetRootElement(doc), els, 0);
	for (k = 0; k < nels; k++) {
		xmlNode *e = els[k];
		if (attr_is(e, "class", "axis")) {
			if (naxes >= nsc) {
				bad++;
				continue;
			}
			ax[naxes][0] = num(e, "x1");
			ax[naxes][1] = num(e, "y1");
			ax[naxes][2] = num(e, "x2");
			ax[naxes][3] = num(e, "y2");
			if (exact(e, "data-value") != (long long)max * 10000) {
				printf("# axis %zu: data-value is not the highest level\n", naxes);
				bad++;
			}
			naxes++;
		}
	}
	check(naxes == nsc, "%s: one axis per scenario (%zu of %zu)", what, naxes, nsc);
	for (k = 0; k < nels && naxes == nsc; k++) {
		xmlNode *e = els[k];
		int s = attr_is(e, "class", "point s1")	  ? 1
			: attr_is(e, "class", "point s0") ? 0
							  : -1;
		double px, py, cx, cy, ex, ey, r, d, cross;
		size_t i;
		int level;
		if (s < 0)
			continue;
		i = npts[s]++;
		if (i >= nsc || rs[s] == NULL) {
			printf("# a point of series %d beyond the scenarios or of a series not "
			       "drawn\n",
			       s);
			bad++;
			continue;
		}
		level = dl_result_scenario_level(rs[s], i);
		if (exact(e, "data-value") != (long long)level * 10000) {
			printf("# scenario %zu, series %d: data-value is not the level %d\n", i, s,
			       level);
			bad++;
		}
		if (s == 0) { /* a square: its centre */
			px = num(e, "x") + num(e, "width") / 2;
			py = num(e, "y") + num(e, "height") / 2;
		} else {
			px = num(e, "cx");
			py = num(e, "cy");
		}
		cx = ax[i][0];
		cy = ax[i][1];
		ex = ax[i][2] - cx;
		ey = ax[i][3] - cy;
		r = hypot(ex, ey);
		d = hypot(px - cx, py - cy);
		cross = fabs(ex * (py - cy) - ey * (px - cx)) / r;
		if (fabs(d - r * level / max) > 0.03 || cross > 0.03) {
			printf("# scenario %zu, series %d: %.3f from the centre, %.3f off the "
			       "axis; expected %.3f\n",
			       i, s, d, cross, r * level / max);
			bad++;
		}
	}
	check(npts[0] == nsc && npts[1] == (r1 != NULL ? nsc : 0),
	      "%s: one point per series and scenario (%zu and %zu of %zu)", what, npts[0], npts[1],
	      nsc);
	check(bad == 0,
	      "%s: every point holds the result's level and sits on its axis at the level's share "
	      "of the axis",
	      what);
	xmlFreeDoc(doc);
}

/* ---- the examples ---- */

static dl_sheet *load_sheet(const char *slug, const char *when)
{
	char path[256];
	dl_sheet *s = NULL;

	snprintf(path, sizeof(path), "examples/%s-%s.xml", slug, when);
	if (dl_sheet_load(&s, path, NULL, NULL) < 0) {
		printf("# cannot load %s\n", path);
		return NULL;
	}
	return s;
}

/* Draws chart which of r (c NULL) or of c twice; checks the bytes are the same. */
static int draw_twice(const char *what, const dl_result *r, const dl_comparison *c,
		      dl_report_chart which, char **out, size_t *len)
{
	char *again = NULL;
	size_t n = 0;
	dl_error err;
	int rc;

	rc = c != NULL ? dl_report_comparison_chart_svg(out, len, c, which, &err)
		       : dl_report_chart_svg(out, len, r, which, &err);
	if (!check(rc == 0, "%s: drawn%s%s", what, rc == 0 ? "" : ": ", rc == 0 ? "" : err.message))
		return rc;
	rc = c != NULL ? dl_report_comparison_chart_svg(&again, &n, c, which, &err)
		       : dl_report_chart_svg(&again, &n, r, which, &err);
	check(rc == 0 && n == *len && memcmp(again, *out, n) == 0 && strlen(*out) == *len,
	      "%s: drawn again, the same bytes (%zu), NUL-terminated", what, *len);
	dl_report_svg_free(again);
	return 0;
}

static void check_example(const dl_questionnaire *q, const char *slug)
{
	dl_sheet *before = load_sheet(slug, "before"), *after = load_sheet(slug, "after");
	dl_result *r = NULL;
	dl_comparison *c = NULL;
	char what[96], *svg = NULL;
	size_t len = 0;

	if (!check(before != NULL && after != NULL && dl_score(&r, q, before, NULL, NULL) == 0 &&
		       dl_compare(&c, q, before, after, NULL, NULL, NULL) == 0,
		   "%s: the example is scored and compared", slug))
		goto done;
	snprintf(what, sizeof(what), "%s dimensions", slug);
	if (draw_twice(what, r, NULL, DL_REPORT_CHART_DIMENSIONS, &svg, &len) == 0)
		check_dimensions(what, svg, len, r, NULL);
	dl_report_svg_free(svg);
	svg = NULL;
	snprintf(what, sizeof(what), "%s scenarios", slug);
	if (draw_twice(what, r, NULL, DL_REPORT_CHART_SCENARIOS, &svg, &len) == 0)
		check_scenarios(what, svg, len, r, NULL);
	dl_report_svg_free(svg);
	svg = NULL;
	snprintf(what, sizeof(what), "%s comparison dimensions", slug);
	if (draw_twice(what, NULL, c, DL_REPORT_CHART_DIMENSIONS, &svg, &len) == 0)
		check_dimensions(what, svg, len, dl_comparison_before(c), dl_comparison_after(c));
	dl_report_svg_free(svg);
	svg = NULL;
	snprintf(what, sizeof(what), "%s comparison scenarios", slug);
	if (draw_twice(what, NULL, c, DL_REPORT_CHART_SCENARIOS, &svg, &len) == 0)
		check_scenarios(what, svg, len, dl_comparison_before(c), dl_comparison_after(c));
	dl_report_svg_free(svg);
done:
	dl_comparison_free(c);
	dl_result_free(r);
	dl_sheet_free(after);
	dl_sheet_free(before);
}

/* ---- escaping ---- */

/* Whether a <text> element under root reads want. */
static bool has_text(xmlNode *root, const char *want)
{
	static xmlNode *els[MAX_ELEMENTS];
	size_t nels = elements(root, els, 0);
	bool found = false;

	for (size_t k = 0; k < nels && !found; k++) {
		xmlChar *t;
		if (strcmp((const char *)els[k]->name, "text") != 0)
			continue;
		t = xmlNodeGetContent(els[k]);
		found = t != NULL && strcmp((const char *)t, want) == 0;
		xmlFree(t);
	}
	return found;
}

/*
 * A questionnaire whose first dimension is called 数字化<&"'>基础: the chart escapes every one of
 * the characters, and the text and the aria-label read back as the title.
 */
static void check_escaping(void)
{
	static const char from[] = "title=\"数字化基础\"";
	static const char to[] = "title=\"数字化&lt;&amp;&quot;&apos;&gt;基础\"";
	static const char title[] = "数字化<&\"'>基础";
	char *text = NULL, *edited = NULL, *svg = NULL, *at = NULL, *label;
	size_t n = 0, len = 0;
	dl_questionnaire *q = NULL;
	dl_sheet *s = NULL;
	dl_result *r = NULL;
	xmlDoc *doc = NULL;
	dl_error err;

	if (!check((text = read_file(QUESTIONNAIRE, &n)) != NULL &&
		       (at = strstr(text, from)) != NULL,
		   "the questionnaire names a dimension 数字化基础"))
		goto done;
	edited = malloc(n + sizeof(to));
	if (edited == NULL)
		goto done;
	memcpy(edited, text, (size_t)(at - text));
	memcpy(edited + (at - text), to, strlen(to));
	memcpy(edited + (at - text) + strlen(to), at + strlen(from),
	       n - (size_t)(at - text) - strlen(from));
	n = n - strlen(from) + strlen(to);
	if (!check(dl_questionnaire_load_memory(&q, edited, n, "escape.xml", NULL, &err) == 0 &&
		       (s = load_sheet("equipment", "before")) != NULL &&
		       dl_score(&r, q, s, NULL, &err) == 0,
		   "a questionnaire with a dimension called %s scores the equipment example",
		   title))
		goto done;
	if (!check(dl_report_chart_svg(&svg, &len, r, DL_REPORT_CHART_DIMENSIONS, &err) == 0,
		   "its chart is drawn"))
		goto done;
	check(strstr(svg, "数字化&lt;&amp;&quot;&#39;&gt;基础") != NULL &&
		  strstr(svg, "<&") == NULL && strstr(svg, "\"'>") == NULL,
	      "< & \" ' > are written as &lt; &amp; &quot; &#39; &gt;, in the text and in the "
	      "attributes");
	doc = parse(svg, len);
	if (!check(doc != NULL, "the chart with those characters is well-formed XML"))
		goto done;
	check(has_text(xmlDocGetRootElement(doc), title), "the bar's label reads back as %s",
	      title);
	label = attr(xmlDocGetRootElement(doc), "aria-label");
	check(label != NULL && strstr(label, title) != NULL, "the aria-label reads back with %s",
	      title);
	xmlFree(label);
done:
	xmlFreeDoc(doc);
	dl_report_svg_free(svg);
	dl_result_free(r);
	dl_sheet_free(s);
	dl_questionnaire_free(q);
	free(edited);
	free(text);
}

/* ---- errors and allocation failures ---- */

static void check_errors(const dl_result *r, const dl_comparison *c)
{
	char sentinel[] = "untouched", *out = sentinel;
	size_t len = 7;
	dl_error err;

	memset(&err, 0, sizeof(err));
	check(dl_report_chart_svg(&out, &len, r, (dl_report_chart)7, &err) == DL_EINVALID &&
		  out == sentinel && len == 7 && err.code == DL_EINVALID && err.message[0] != '\0',
	      "an unknown chart is DL_EINVALID with a message, and no output (%s)", err.message);
	memset(&err, 0, sizeof(err));
	check(dl_report_comparison_chart_svg(&out, &len, c, (dl_report_chart)-1, &err) ==
		      DL_EINVALID &&
		  out == sentinel,
	      "an unknown chart of a comparison is DL_EINVALID, no output");
}

/*
 * Every allocation of each chart failing in turn (and every later one): DL_ENOMEM, no output, no
 * block left. The charts are drawn on the counting allocator from the start of the program.
 */
static void check_alloc_failures(const dl_result *r, const dl_comparison *c)
{
	long total = 0, wrong = 0;

	for (int k = 0; k < 4; k++) {
		dl_report_chart which =
		    k % 2 ? DL_REPORT_CHART_SCENARIOS : DL_REPORT_CHART_DIMENSIONS;
		char *ref = NULL;
		size_t ref_len = 0;
		long live = alloc.live, count;
		int rc;

		alloc.count = 0;
		rc = k < 2 ? dl_report_chart_svg(&ref, &ref_len, r, which, NULL)
			   : dl_report_comparison_chart_svg(&ref, &ref_len, c, which, NULL);
		count = alloc.count;
		dl_report_svg_free(ref);
		if (rc != 0 || alloc.live != live) {
			wrong++;
			continue;
		}
		for (long at = 1; at <= count; at++) {
			char *out = NULL;
			size_t len = 0;
			dl_error err;
			alloc.count = 0;
			alloc.fail_at = at;
			rc = k < 2 ? dl_report_chart_svg(&out, &len, r, which, &err)
				   : dl_report_comparison_chart_svg(&out, &len, c, which, &err);
			alloc.fail_at = 0;
			total++;
			if (rc != DL_ENOMEM || out != NULL || alloc.live != live) {
				printf("# chart %d, allocation %ld of %ld failing: %d, %ld blocks "
				       "left\n",
				       k, at, count, rc, alloc.live - live);
				if (out != NULL)
					dl_report_svg_free(out);
				wrong++;
			}
		}
	}
	check(total > 0 && wrong == 0,
	      "every allocation of the four charts failing in turn (%ld) is DL_ENOMEM, no output, "
	      "no block left",
	      total);
}

int main(void)
{
	dl_questionnaire *q = NULL;
	dl_sheet *before = NULL, *after = NULL;
	dl_result *r = NULL;
	dl_comparison *c = NULL;

	if (!check(dl_set_allocator(counting_malloc, counting_realloc, counting_free) == 0,
		   "the library allocates through the test's counting allocator"))
		return test_done();
	if (!check(dl_questionnaire_load(&q, QUESTIONNAIRE, NULL, NULL) == 0, "load %s",
		   QUESTIONNAIRE))
		return test_done();
	for (size_t i = 0; i < NSLUGS; i++)
		check_example(q, SLUGS[i]);
	check_escaping();
	before = load_sheet("food", "before");
	after = load_sheet("food", "after");
	if (check(before != NULL && after != NULL && dl_score(&r, q, before, NULL, NULL) == 0 &&
		      dl_compare(&c, q, before, after, NULL, NULL, NULL) == 0,
		  "the food example is scored and compared")) {
		check_errors(r, c);
		check_alloc_failures(r, c);
	}
	dl_comparison_free(c);
	dl_result_free(r);
	dl_sheet_free(after);
	dl_sheet_free(before);
	dl_questionnaire_free(q);
	dl__credit_code_shutdown();
	check(alloc.live == 0, "every block the library allocated is freed (%ld left)", alloc.live);
	xmlCleanupParser();
	return test_done();
}
