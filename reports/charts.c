/*
 * charts.c: the radar chart of scenario levels and the horizontal bar chart of scores against their
 * maxima, drawn as vector items (lines, polygons, rectangles, text) on the page model.
 *
 * Both are made to be read in black and white: series differ by line style (solid vs dashed), marker
 * (square vs circle) and fill (grey vs hatched), never by colour alone; every value is also printed as
 * a number. For the text dump each chart adds a summary note and one note per axis or bar, so golden
 * tests see the data without looking at geometry. For the SVG back end the shapes that carry data
 * (bars, tracks, points, axes, series) are tagged with what they stand for and the value they draw
 * (dl__tag); the PDF and the text dump ignore the tags.
 */
#include "layout_pages.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "text_measure.h"

#define DL__PI 3.14159265358979323846

static const char dl__star[] = "\xE2\x98\x85";  /* ★ */
static const char dl__arrow[] = "\xE2\x86\x92"; /* → */

/* Tags the shape just placed: its role ("bar s0") and the value it draws (layout_pages.h). */
static void dl__tag(dl__flow *f, const char *role, double datum)
{
	f->page->last->role = role;
	f->page->last->datum = datum;
}

/* Baseline for type `size` whose em box is centred on y. */
static double dl__centre_base(double y, double size)
{
	return y + 0.38 * size;
}

/* Places a caption line (dumped) centred above a chart; returns its height. */
static int dl__caption(dl__flow *f, const char *caption, double top)
{
	if (caption[0] == '\0')
		return 0;
	return dl__put_text(f, "caption", 1, DL__MARGIN_X + DL__CONTENT_W / 2.0, dl__centre_base(top + 10.0, 10.5),
			    DL__ALIGN_CENTER, 10.5, 1, 0.0, caption, strlen(caption));
}

/* Places text wrapped to width as lines `lead` apart from baseline `base`, anchored per align at x. */
static int dl__label_lines(dl__flow *f, const char *s, double x, double base, int align, double size,
			   double lead, double width, int bold)
{
	dl__wrap w;
	size_t a, e;
	int rc;

	dl__wrap_init(&w, s, strlen(s));
	while (dl__wrap_next(&w, size, width, &a, &e)) {
		if ((rc = dl__put_text(f, "chart", 0, x, base, align, size, bold, 0.0, s + a, e - a)) < 0)
			return rc;
		base += lead;
	}
	return 0;
}

/* Legend entry styles. */
enum { DL__KEY_LINE_SOLID, DL__KEY_LINE_DASHED, DL__KEY_BAR_GREY, DL__KEY_BAR_HATCH, DL__KEY_TRACK, DL__KEY_STAR };

/* Draws one legend swatch of the given style at x, centred on y; returns its width. */
static int dl__swatch(dl__flow *f, int style, double x, double y)
{
	dl__paint square = {-1.0, 0.0, 0.0, DL__DASH_SOLID, DL__HATCH_NONE};
	dl__paint circle = {0.0, 1.0, 0.8, DL__DASH_SOLID, DL__HATCH_NONE};
	dl__paint grey = {0.0, 0.7, 0.5, DL__DASH_SOLID, DL__HATCH_NONE};
	dl__paint hatch = {0.0, 1.0, 0.5, DL__DASH_SOLID, DL__HATCH_DIAGONAL};
	dl__paint track = {0.35, -1.0, 0.6, DL__DASH_DASHED, DL__HATCH_NONE};
	int rc;

	switch (style) {
	case DL__KEY_LINE_SOLID:
		if ((rc = dl__put_line(f, x, y, x + 24.0, y, 1.3, 0.0, DL__DASH_SOLID)) < 0)
			return rc;
		return dl__put_rect(f, x + 10.0, y - 2.0, 4.0, 4.0, &square);
	case DL__KEY_LINE_DASHED:
		if ((rc = dl__put_line(f, x, y, x + 24.0, y, 1.3, 0.0, DL__DASH_DASHED)) < 0)
			return rc;
		return dl__put_circle(f, x + 12.0, y, 2.4, &circle);
	case DL__KEY_BAR_GREY:
		return dl__put_rect(f, x + 4.0, y - 4.5, 16.0, 9.0, &grey);
	case DL__KEY_BAR_HATCH:
		return dl__put_rect(f, x + 4.0, y - 4.5, 16.0, 9.0, &hatch);
	case DL__KEY_TRACK:
		if ((rc = dl__put_rect(f, x + 2.0, y - 6.0, 20.0, 12.0, &track)) < 0)
			return rc;
		return dl__put_line(f, x + 22.0, y - 7.5, x + 22.0, y + 7.5, 1.4, 0.0, DL__DASH_SOLID);
	default: /* DL__KEY_STAR */
		return dl__put_text(f, "legend", 0, x + 12.0, dl__centre_base(y, 10.0), DL__ALIGN_CENTER, 10.0, 1, 0.0,
				    dl__star, strlen(dl__star));
	}
}

/* A centred row of legend entries (style, text) at y. */
static int dl__legend(dl__flow *f, const int *styles, const char *const *texts, size_t n, double y)
{
	const double size = 8.5, swatch = 24.0, gap = 4.0, sep = 18.0;
	double total = 0.0, x;
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		total += swatch + gap +
			 dl__text_width(texts[i], strlen(texts[i]), size) + (i + 1 < n ? sep : 0.0);
	x = DL__MARGIN_X + (DL__CONTENT_W - total) / 2.0;
	for (i = 0; i < n; i++) {
		if ((rc = dl__swatch(f, styles[i], x, y)) < 0)
			return rc;
		x += swatch + gap;
		if ((rc = dl__put_text(f, "legend", 0, x, dl__centre_base(y, size), DL__ALIGN_LEFT, size, 0, 0.0,
				       texts[i], strlen(texts[i]))) < 0)
			return rc;
		x += dl__text_width(texts[i], strlen(texts[i]), size) + sep;
	}
	return 0;
}

/* ---- radar ---- */

/* Vertical extents of the radar chart: caption, drawing, legend. */
#define DL__RADAR_CHART_H 320.0
#define DL__RADAR_LEGEND_H 24.0

double dl__radar_height(const dl__block *b)
{
	return (b->u.radar.caption[0] ? 24.0 : 0.0) + DL__RADAR_CHART_H + DL__RADAR_LEGEND_H;
}

int dl__layout_radar(dl__flow *f, const dl__block *b)
{
	const size_t n = b->u.radar.naxes;
	const unsigned ns = b->u.radar.nseries, smax = b->u.radar.scale_max;
	const double cap_h = b->u.radar.caption[0] ? 24.0 : 0.0, chart_h = DL__RADAR_CHART_H;
	const double legend_h = DL__RADAR_LEGEND_H;
	const double radius = 108.0, label_r = radius + 12.0;
	dl__paint fill = {-1.0, 0.86, 0.0, DL__DASH_SOLID, DL__HATCH_NONE};
	dl__paint ring = {0.6, -1.0, 0.5, DL__DASH_SOLID, DL__HATCH_NONE};
	dl__paint stroke[2] = {{0.0, -1.0, 1.3, DL__DASH_SOLID, DL__HATCH_NONE},
			       {0.0, -1.0, 1.3, DL__DASH_DASHED, DL__HATCH_NONE}};
	dl__paint square = {-1.0, 0.0, 0.0, DL__DASH_SOLID, DL__HATCH_NONE};
	dl__paint circle = {0.0, 1.0, 0.8, DL__DASH_SOLID, DL__HATCH_NONE};
	double pts[2][2 * DL__AXES_MAX], ringpts[2 * DL__AXES_MAX], cosv[DL__AXES_MAX], sinv[DL__AXES_MAX];
	double top, cx, cy;
	char v0[32], v1[32], values[80];
	int styles[3];
	const char *texts[3];
	size_t i, nl;
	unsigned s, k;
	int rc;

	if ((rc = dl__flow_reserve(f, dl__radar_height(b))) < 0)
		return rc;
	top = f->y;
	cx = DL__MARGIN_X + DL__CONTENT_W / 2.0;
	cy = top + cap_h + chart_h / 2.0;
	if ((rc = dl__caption(f, b->u.radar.caption, top)) < 0)
		return rc;
	if ((rc = dl__put_note(f, "radar", top, "%zu axes, scale 0-%u, series: %s%s%s", n, smax,
			       b->u.radar.series[0], ns == 2 ? " / " : "", ns == 2 ? b->u.radar.series[1] : "")) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		double a = -DL__PI / 2.0 + 2.0 * DL__PI * (double)i / (double)n;
		cosv[i] = cos(a);
		sinv[i] = sin(a);
		for (s = 0; s < ns; s++) {
			double v = b->u.radar.values[s][i];
			double r = radius * (v < 0.0 ? 0.0 : v > smax ? smax : v) / (double)smax;
			pts[s][2 * i] = cx + r * cosv[i];
			pts[s][2 * i + 1] = cy + r * sinv[i];
		}
	}
	/* The first series' area, under the grid so the rings stay visible inside it. */
	if ((rc = dl__put_poly(f, pts[0], n, 1, &fill)) < 0)
		return rc;
	for (k = 1; k <= smax; k++) {
		double r = radius * (double)k / (double)smax;
		for (i = 0; i < n; i++) {
			ringpts[2 * i] = cx + r * cosv[i];
			ringpts[2 * i + 1] = cy + r * sinv[i];
		}
		ring.stroke = k == smax ? 0.3 : 0.62;
		ring.width = k == smax ? 0.8 : 0.45;
		if ((rc = dl__put_poly(f, ringpts, n, 1, &ring)) < 0)
			return rc;
	}
	for (i = 0; i < n; i++) {
		if ((rc = dl__put_line(f, cx, cy, cx + radius * cosv[i], cy + radius * sinv[i], 0.4, 0.62,
				       DL__DASH_SOLID)) < 0)
			return rc;
		dl__tag(f, "axis", (double)smax);
	}
	/* Ring numbers on the bisector of the first two axes, away from the data points on the axes. */
	for (k = 0; k <= smax; k++) {
		double a = -DL__PI / 2.0 + DL__PI / (double)n, r = radius * (double)k / (double)smax * cos(DL__PI / (double)n);
		char num[16];
		snprintf(num, sizeof(num), "%u", k);
		double off = k == 0 ? 7.0 : 4.0;
		if ((rc = dl__put_text(f, "chart", 0, cx + (r + off) * cos(a), dl__centre_base(cy + (r + off) * sin(a), 7.0),
				       DL__ALIGN_CENTER, 7.0, 0, 0.35, num, strlen(num))) < 0)
			return rc;
	}
	for (s = 0; s < ns; s++) {
		if ((rc = dl__put_poly(f, pts[s], n, 1, &stroke[s])) < 0)
			return rc;
		dl__tag(f, s == 0 ? "series s0" : "series s1", 0.0);
	}
	for (s = 0; s < ns; s++) {
		for (i = 0; i < n; i++) {
			double x = pts[s][2 * i], y = pts[s][2 * i + 1];
			rc = s == 0 ? dl__put_rect(f, x - 2.0, y - 2.0, 4.0, 4.0, &square)
				    : dl__put_circle(f, x, y, 2.4, &circle);
			if (rc < 0)
				return rc;
			dl__tag(f, s == 0 ? "point s0" : "point s1", b->u.radar.values[s][i]);
		}
	}
	/* Axis labels: the name (★ and bold when marked) and the values, outside the outer ring. */
	for (i = 0; i < n; i++) {
		const char *label = b->u.radar.labels[i];
		int marked = b->u.radar.marked[i];
		int align = cosv[i] > 0.25 ? DL__ALIGN_LEFT : cosv[i] < -0.25 ? DL__ALIGN_RIGHT : DL__ALIGN_CENTER;
		double px = cx + label_r * cosv[i], py = cy + label_r * sinv[i], block, btop;
		const char *shown = marked ? dl__flow_concat(f, dl__star, label) : label;

		dl__format_number(b->u.radar.values[0][i], v0, sizeof(v0));
		dl__format_number(b->u.radar.values[1][i], v1, sizeof(v1));
		if (shown == NULL)
			return DL_ENOMEM;
		nl = dl__wrap_count(shown, strlen(shown), 9.0, 84.0);
		block = (double)nl * 11.0 + 10.0;
		btop = py - block / 2.0 + sinv[i] * (block / 2.0 + 2.0);
		if ((rc = dl__label_lines(f, shown, px, dl__centre_base(btop + 5.5, 9.0), align, 9.0, 11.0, 84.0,
					  marked)) < 0)
			return rc;
		if (ns == 2)
			snprintf(values, sizeof(values), "%s %s %s", v0, dl__arrow, v1);
		else
			snprintf(values, sizeof(values), "%s", v0);
		if ((rc = dl__put_text(f, "chart", 0, px, dl__centre_base(btop + (double)nl * 11.0 + 5.0, 7.5), align,
				       7.5, 0, 0.3, values, strlen(values))) < 0)
			return rc;
		if ((rc = dl__put_note(f, "axis", top, "%s%s%s: %s", label, marked ? " " : "", marked ? dl__star : "",
				       values)) < 0)
			return rc;
	}
	styles[0] = DL__KEY_LINE_SOLID;
	texts[0] = b->u.radar.series[0];
	nl = 1;
	if (ns == 2) {
		styles[nl] = DL__KEY_LINE_DASHED;
		texts[nl++] = b->u.radar.series[1];
	}
	if (b->u.radar.marked_note[0] != '\0') {
		styles[nl] = DL__KEY_STAR;
		texts[nl++] = b->u.radar.marked_note;
	}
	if ((rc = dl__legend(f, styles, texts, nl, top + cap_h + chart_h + legend_h / 2.0)) < 0)
		return rc;
	f->y = top + cap_h + chart_h + legend_h + 8.0;
	return 0;
}

/* ---- bars ---- */

/* Bar chart geometry: bar thickness, gap between a category's bars, band per category. */
#define DL__BAR_H(ns) ((ns) == 2 ? 11.0 : 14.0)
#define DL__BAR_GAP 2.0
#define DL__BAR_STACK(ns) ((double)(ns) * DL__BAR_H(ns) + (double)((ns) - 1) * DL__BAR_GAP)
#define DL__BAR_BAND(ns) (DL__BAR_STACK(ns) + 16.0)
#define DL__BAR_AXIS_H 20.0
#define DL__BAR_LEGEND_H 24.0

double dl__bars_height(const dl__block *b)
{
	return (b->u.bars.caption[0] ? 24.0 : 0.0) + 6.0 + (double)b->u.bars.nbars * DL__BAR_BAND(b->u.bars.nseries) +
	       DL__BAR_AXIS_H + DL__BAR_LEGEND_H;
}

/* A round tick step giving at most about five intervals up to m. */
static double dl__nice_step(double m)
{
	double raw = m / 5.0, mag = pow(10.0, floor(log10(raw))), norm = raw / mag;

	return (norm <= 1.0 ? 1.0 : norm <= 2.0 ? 2.0 : norm <= 5.0 ? 5.0 : 10.0) * mag;
}

int dl__layout_bars(dl__flow *f, const dl__block *b)
{
	const size_t n = b->u.bars.nbars;
	const unsigned ns = b->u.bars.nseries;
	const double cap_h = b->u.bars.caption[0] ? 24.0 : 0.0, axis_h = DL__BAR_AXIS_H, legend_h = DL__BAR_LEGEND_H;
	const double bar_h = DL__BAR_H(ns), gap = DL__BAR_GAP, label_size = 9.5, value_size = 8.0;
	const double stack = DL__BAR_STACK(ns), band = DL__BAR_BAND(ns);
	dl__paint bar_paint[2] = {{0.0, 0.7, 0.5, DL__DASH_SOLID, DL__HATCH_NONE},
				  {0.0, 1.0, 0.5, DL__DASH_SOLID, DL__HATCH_DIAGONAL}};
	dl__paint track = {0.35, -1.0, 0.6, DL__DASH_DASHED, DL__HATCH_NONE};
	double top, label_w = 0.0, x0, width, m = 0.0, step, bars_top, bars_bottom;
	char num[32], mx[32], text[96];
	int styles[3];
	const char *texts[3];
	size_t i, nk;
	unsigned s, k;
	int rc;

	if ((rc = dl__flow_reserve(f, dl__bars_height(b))) < 0)
		return rc;
	top = f->y;
	if ((rc = dl__caption(f, b->u.bars.caption, top)) < 0)
		return rc;
	if ((rc = dl__put_note(f, "bars", top, "%zu categories, series: %s%s%s", n, b->u.bars.series[0],
			       ns == 2 ? " / " : "", ns == 2 ? b->u.bars.series[1] : "")) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		double w = dl__text_width(b->u.bars.labels[i], strlen(b->u.bars.labels[i]), label_size);
		if (w > label_w)
			label_w = w;
		if (b->u.bars.max[i] > m)
			m = b->u.bars.max[i];
	}
	label_w += 12.0;
	if (label_w > DL__CONTENT_W * 0.3)
		label_w = DL__CONTENT_W * 0.3;
	x0 = DL__MARGIN_X + label_w;
	width = DL__CONTENT_W - label_w - 96.0; /* room on the right for "value / max" */
	bars_top = top + cap_h + 6.0;
	bars_bottom = bars_top + (double)n * band;
	/* Scale: grid lines and tick labels. */
	step = dl__nice_step(m);
	if ((b->u.bars.flags & DL__BARS_COUNT) && step < 1.0)
		step = 1.0; /* no tick at 0.2 enterprises */
	for (k = 0; (double)k * step <= m * (1.0 + 1e-9); k++) {
		double t = (double)k * step, x = x0 + width * t / m;
		dl__format_number(t, num, sizeof(num));
		if ((k > 0 && (rc = dl__put_line(f, x, bars_top, x, bars_bottom, 0.4, 0.7, DL__DASH_DOTTED)) < 0) ||
		    (rc = dl__put_text(f, "chart", 0, x, bars_bottom + 11.0, DL__ALIGN_CENTER, 7.5, 0, 0.3, num,
				       strlen(num))) < 0)
			return rc;
	}
	if ((rc = dl__put_line(f, x0, bars_top, x0, bars_bottom, 0.8, 0.2, DL__DASH_SOLID)) < 0 ||
	    (rc = dl__put_line(f, x0, bars_bottom, x0 + width, bars_bottom, 0.6, 0.2, DL__DASH_SOLID)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		double max = b->u.bars.max[i], track_w = width * max / m;
		double bt = bars_top + (double)i * band + (band - stack) / 2.0;
		size_t nl = dl__wrap_count(b->u.bars.labels[i], strlen(b->u.bars.labels[i]), label_size,
					   label_w - 12.0);

		if ((rc = dl__label_lines(f, b->u.bars.labels[i], x0 - 8.0,
					  dl__centre_base(bt + stack / 2.0 - (double)(nl - 1) * 5.5, label_size),
					  DL__ALIGN_RIGHT, label_size, 11.0, label_w - 12.0, 0)) < 0)
			return rc;
		if ((rc = dl__put_rect(f, x0, bt - 2.5, track_w, stack + 5.0, &track)) < 0)
			return rc;
		dl__tag(f, "track", max);
		if ((rc = dl__put_line(f, x0 + track_w, bt - 4.5, x0 + track_w, bt + stack + 4.5, 1.4, 0.0,
				       DL__DASH_SOLID)) < 0)
			return rc;
		dl__format_number(max, mx, sizeof(mx));
		for (s = 0; s < ns; s++) {
			double v = b->u.bars.values[s][i], y = bt + (double)s * (bar_h + gap);
			double bw = width * (v > m ? m : v) / m;
			double tx = x0 + (bw > track_w ? bw : track_w) + 6.0;
			if (bw > 0.0) {
				if ((rc = dl__put_rect(f, x0, y, bw, bar_h, &bar_paint[s])) < 0)
					return rc;
				dl__tag(f, s == 0 ? "bar s0" : "bar s1", v);
			}
			dl__format_number(v, num, sizeof(num));
			if (b->u.bars.flags & DL__BARS_PERCENT)
				snprintf(text, sizeof(text), "%s%%", num);
			else
				snprintf(text, sizeof(text), "%s / %s", num, mx);
			if ((rc = dl__put_text(f, "chart", 0, tx, dl__centre_base(y + bar_h / 2.0, value_size),
					       DL__ALIGN_LEFT, value_size, s == ns - 1, 0.0, text, strlen(text))) < 0)
				return rc;
		}
		dl__format_number(b->u.bars.values[0][i], num, sizeof(num));
		if (ns == 2) {
			char num1[32];
			dl__format_number(b->u.bars.values[1][i], num1, sizeof(num1));
			rc = dl__put_note(f, "bar", top, "%s: %s %s %s / %s", b->u.bars.labels[i], num, dl__arrow, num1, mx);
		} else if (b->u.bars.flags & DL__BARS_PERCENT)
			rc = dl__put_note(f, "bar", top, "%s: %s%%", b->u.bars.labels[i], num);
		else
			rc = dl__put_note(f, "bar", top, "%s: %s / %s", b->u.bars.labels[i], num, mx);
		if (rc < 0)
			return rc;
	}
	nk = 0;
	for (s = 0; s < ns; s++) {
		styles[nk] = s == 0 ? DL__KEY_BAR_GREY : DL__KEY_BAR_HATCH;
		texts[nk++] = b->u.bars.series[s];
	}
	if (b->u.bars.max_note[0] != '\0') {
		styles[nk] = DL__KEY_TRACK;
		texts[nk++] = b->u.bars.max_note;
	}
	if ((rc = dl__legend(f, styles, texts, nk, bars_bottom + axis_h + legend_h / 2.0)) < 0)
		return rc;
	f->y = bars_bottom + axis_h + legend_h + 8.0;
	return 0;
}
