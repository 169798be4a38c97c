/*
 * chart_svg.c: the reports' charts drawn alone as SVG for the web workbench (dl_report_chart_svg,
 * dl_report_comparison_chart_svg, include/digilevel/report.h).
 *
 * A chart is built by the very calls the reports make (report_common.c: dl__rp_dimension_bars,
 * dl__rp_scenario_radar) into a document of its own, laid out on a page as the reports are, and
 * written by the SVG back end (svg_backend.c) instead of the PDF one: one code path computes the
 * bars and points for both. What this file adds is what a picture on a web page needs and a page of
 * a PDF does not: the title, which the report prints as a caption ("图1 …") and a page gives as its
 * own heading, and a summary of every number in words for the aria-label, since a screen reader
 * cannot read bars.
 */
#include "report_common.h"
#include "doc_blocks.h"
#include "layout_pages.h"
#include "i18n.h"

#include "digilevel/policy.h"

#include <string.h>

/* The series names, as the reports' legends give them (diagnostic.c, acceptance.c). */
#define DL__SVG_SCORE  "得分"
#define DL__SVG_LEVEL  "诊断结果"
#define DL__SVG_BEFORE "改造前"
#define DL__SVG_AFTER  "改造后"

/* The summary of the dimension bars of r0 (and r1, after) into s; 0 or as dl__textbuf_addf. */
static int dl__svg_dimension_summary(dl__textbuf *s, const dl_result *r0, const dl_result *r1)
{
	const dl_questionnaire *q = dl_result_questionnaire(r0);
	char a[32], b[32], m[32];
	size_t n, shown = 0;
	int rc = 0;

	for (n = 0; n < dl_questionnaire_node_count(q) && shown < DL__BARS_MAX; n++) {
		if (dl_questionnaire_node_kind(q, n) != DL_NODE_DIMENSION)
			continue;
		dl__rp_points(dl_result_node_score(r0, n), a, sizeof(a));
		dl__rp_points(dl_questionnaire_node_points(q, n), m, sizeof(m));
		if (r1 != NULL)
			rc = dl__textbuf_addf(
			    s,
			    "%s%s " DL__SVG_BEFORE " %s 分，" DL__SVG_AFTER " %s 分（满分 %s 分）",
			    shown ? "；" : "", dl_questionnaire_node_title(q, n), a,
			    dl__rp_points(dl_result_node_score(r1, n), b, sizeof(b)), m);
		else
			rc = dl__textbuf_addf(s, "%s%s %s 分（满分 %s 分）", shown ? "；" : "",
					      dl_questionnaire_node_title(q, n), a, m);
		if (rc < 0)
			return rc;
		shown++;
	}
	return 0;
}

/* The summary of the scenario radar of r0 (and r1, after) into s; 0 or as dl__textbuf_addf. */
static int dl__svg_scenario_summary(dl__textbuf *s, const dl_result *r0, const dl_result *r1)
{
	const dl_questionnaire *q = dl_result_questionnaire(r0);
	size_t si, nsc = dl_questionnaire_scenario_count(q);
	int rc;

	for (si = 0; si < nsc; si++) {
		const char *mark =
		    dl_questionnaire_scenario_is_constraint(q, si) ? "（约束性场景）" : "";
		if (r1 != NULL)
			rc = dl__textbuf_addf(
			    s, "%s%s%s " DL__SVG_BEFORE " %d 级，" DL__SVG_AFTER " %d 级",
			    si ? "；" : "", dl_questionnaire_scenario_title(q, si), mark,
			    dl_result_scenario_level(r0, si), dl_result_scenario_level(r1, si));
		else
			rc = dl__textbuf_addf(s, "%s%s%s %d 级", si ? "；" : "",
					      dl_questionnaire_scenario_title(q, si), mark,
					      dl_result_scenario_level(r0, si));
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * Draws chart `which` of r0 alone (r1 NULL) or of r0 before and r1 after, as SVG. Returns 0 or a
 * negative DL_E* code with err filled.
 */
static int dl__chart_svg(char **out, size_t *len, const dl_result *r0, const dl_result *r1,
			 dl_report_chart which, dl_error *err)
{
	const dl_questionnaire *q = dl_result_questionnaire(r0);
	dl__rp rp;
	dl__textbuf title = {NULL, 0, 0}, summary = {NULL, 0, 0};
	dl__layout *lay = NULL;
	dl__svg_options so;
	char *svg = NULL;
	size_t n = 0;
	int rc;

	if (which != DL_REPORT_CHART_DIMENSIONS && which != DL_REPORT_CHART_SCENARIOS)
		return dl__error_message(err, DL_EINVALID,
					 _("unknown chart %d: the charts are the dimensions (%d) "
					   "and the scenarios (%d)"),
					 (int)which, (int)DL_REPORT_CHART_DIMENSIONS,
					 (int)DL_REPORT_CHART_SCENARIOS);
	dl__rp_init(&rp); /* a failure stays in rp.rc, and the builder's calls do nothing */
	if (which == DL_REPORT_CHART_DIMENSIONS) {
		dl__rp_check(&rp, dl__textbuf_add(&title, r1 != NULL ? "各维度得分改造前后对比"
								     : "各维度得分（与满分对比）"));
		dl__rp_dimension_bars(&rp, NULL, r0, r1 != NULL ? DL__SVG_BEFORE : DL__SVG_SCORE,
				      r1, DL__SVG_AFTER);
		dl__rp_check(&rp, dl__svg_dimension_summary(&summary, r0, r1));
	} else {
		dl__rp_check(&rp, dl__textbuf_addf(&title, "数字化经营场景等级%s（0–%d 级）",
						   r1 != NULL ? "改造前后对比" : "",
						   dl_questionnaire_scenario_max_level(q)));
		dl__rp_scenario_radar(&rp, NULL, r0, r1 != NULL ? DL__SVG_BEFORE : DL__SVG_LEVEL,
				      r1, DL__SVG_AFTER);
		dl__rp_check(&rp, dl__svg_scenario_summary(&summary, r0, r1));
	}
	if (rp.rc < 0) {
		rc = dl__error_message(err, rp.err.code < 0 ? rp.err.code : DL_EINVALID, "%s",
				       rp.err.message);
		goto done;
	}
	if (rp.doc->first == NULL) {
		rc = which == DL_REPORT_CHART_DIMENSIONS
			 ? dl__error_message(err, DL_ENOTFOUND,
					     _("questionnaire '%s' has no dimensions to draw"),
					     dl_questionnaire_id(q))
			 : dl__error_message(
			       err, DL_ENOTFOUND,
			       _("questionnaire '%s' has no scenario chart: a radar needs 3 to %u "
				 "scenarios and 1 to 10 levels"),
			       dl_questionnaire_id(q), DL__AXES_MAX);
		goto done;
	}
	if ((rc = dl__layout_run(&lay, rp.doc, err)) < 0)
		goto done;
	memset(&so, 0, sizeof(so));
	so.title = dl__textbuf_get(&title);
	so.summary = dl__textbuf_get(&summary);
	so.id = which == DL_REPORT_CHART_DIMENSIONS
		    ? (r1 != NULL ? "dl-compare-dimensions" : "dl-dimensions")
		    : (r1 != NULL ? "dl-compare-scenarios" : "dl-scenarios");
	if ((rc = dl__svg_render(lay, &so, &svg, &n, err)) < 0)
		goto done;
	*out = svg;
	*len = n;
done:
	dl__layout_free(lay);
	dl__textbuf_free(&summary);
	dl__textbuf_free(&title);
	dl__rp_free(&rp);
	return rc;
}

int dl_report_chart_svg(char **out, size_t *len, const dl_result *r, dl_report_chart which,
			dl_error *err)
{
	return dl__chart_svg(out, len, r, NULL, which, err);
}

int dl_report_comparison_chart_svg(char **out, size_t *len, const dl_comparison *c,
				   dl_report_chart which, dl_error *err)
{
	return dl__chart_svg(out, len, dl_comparison_before(c), dl_comparison_after(c), which, err);
}

void dl_report_svg_free(char *svg)
{
	dl__free(svg);
}
