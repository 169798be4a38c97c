/*
 * page_charts.c: the reports' charts on a page. The SVG is drawn by the library from the PDF's own
 * layout (dl_report_chart_svg, dl_report_comparison_chart_svg), so a page and a report cannot show
 * different bars; it carries its numbers in words for screen readers (aria-label), and the page
 * keeps the tables beside it.
 */
#include "html.h"
#include "pages_view.h"

int view_chart(html_page *p, xmlNodePtr parent, const dl_result *r, const dl_comparison *c,
	       dl_report_chart which)
{
	char *svg = NULL;
	size_t len = 0;
	dl_error err = {0};
	int rc = c ? dl_report_comparison_chart_svg(&svg, &len, c, which, &err)
		   : dl_report_chart_svg(&svg, &len, r, which, &err);
	if (rc == DL_ENOTFOUND || rc == DL_EINVALID)
		return 0; /* the questionnaire gives this chart nothing to draw: the tables say it all */
	if (rc < 0)
		return rc;
	xmlNodePtr fig = html_el(p, parent, "figure", NULL);
	html_attr(p, fig, "class", "chart");
	rc = html_svg(p, fig, svg, len);
	dl_report_svg_free(svg);
	if (rc < 0)
		return rc == DL_ENOMEM ? rc : 0;
	const char *caption = which == DL_REPORT_CHART_DIMENSIONS
				      ? (c ? _("Scores by dimension, before and after the retrofit")
					   : _("Scores by dimension against full marks"))
				      : (c ? _("Every scenario's level, before and after the retrofit")
					   : _("Every scenario's level (★ a constraint scenario)"));
	html_el(p, fig, "figcaption", caption);
	return p->failed ? DL_ENOMEM : 0;
}
