/*
 * svg_backend.c: the SVG back end: draws the content of a laid-out page as a standalone SVG 1.1
 * document, for the web workbench's pages.
 *
 * It is the third reader of the same dl__layout the PDF and text back ends read, so a chart on a
 * page has the very geometry of the chart in the PDF: the layout computes every bar, point and
 * label once. What differs is only how the items are written:
 * - coordinates are the layout's points (top-down, as SVG's are); the viewBox is the box around
 *   what is drawn, with a margin, and there is no width or height, so the picture scales to its
 *   container (a phone's screen as well as a desk's);
 * - text is written as text, anchored where the layout anchored it (start, middle, end), in the
 *   Chinese fonts browsers have; every text and attribute is escaped (& < > " ');
 * - a shape a chart tagged (layout_pages.h: role and datum) carries its role as class and its value
 *   as data-value, so a page can style it and a test can read the numbers back;
 * - hatching is a pattern; dashes are stroke-dasharray with the PDF's patterns;
 * - the page's furniture (header, footer rule, footer note, page number, draft mark) lies outside
 *   the content area and is left out: what is drawn is what the blocks placed.
 * Numbers are written with integer arithmetic, never printf's %f, so the locale cannot turn a point
 * into a comma; the same layout gives the same bytes.
 */
#include "buffer.h"
#include "layout_pages.h"
#include "i18n.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/*
 * The content area in y, with room for the tops of the first line's glyphs: the layout places the
 * header at y 38..56 and the footer at 786..821 (layout.c, dl__furnish), its content in 74..772.
 */
#define DL__SVG_CONTENT_TOP    (DL__CONTENT_TOP - 12.0)
#define DL__SVG_CONTENT_BOTTOM (DL__CONTENT_BOTTOM + 8.0)
#define DL__SVG_MARGIN         4.0 /* points around what is drawn */
/* different hatch paints in one picture (more: drawn without hatching) */
#define DL__SVG_PATTERNS       32u

static const char dl__svg_fonts[] =
    "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Zen Hei','Microsoft YaHei','PingFang SC',"
    "sans-serif";

/* Appends s escaped for XML text and attribute values; control characters (none reach here from
 * the layout, which refuses them) are dropped, since XML 1.0 cannot hold them. */
static void dl__sbuf_escaped(dl__buffer *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *rep;
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			if ((unsigned char)*s >= 0x20 && *s != 0x7F)
				continue;
			rep = "";
			break;
		}
		dl__buffer_add(b, run, (size_t)(s - run));
		dl__buffer_str(b, rep);
		run = s + 1;
	}
	dl__buffer_add(b, run, (size_t)(s - run));
}

/*
 * Appends v rounded to `decimals` (0..4) decimal places, without trailing zeros ("57.5", "40",
 * "-3.25"), by integer arithmetic (locale-independent).
 */
static void dl__sbuf_num(dl__buffer *b, double v, int decimals)
{
	static const long long scale[5] = {1, 10, 100, 1000, 10000};
	char buf[48];
	long long q;
	int d = decimals;

	if (!isfinite(v) || fabs(v) > 1e12)
		v = 0.0; /* the layout never places such a number; keep the output well-formed */
	q = llround(v * (double)scale[d]);
	while (d > 0 && q % 10 == 0) {
		q /= 10;
		d--;
	}
	if (d == 0) {
		snprintf(buf, sizeof(buf), "%lld", q);
	} else {
		long long a = q < 0 ? -q : q;
		snprintf(buf, sizeof(buf), "%s%lld.%0*lld", q < 0 ? "-" : "", a / scale[d], d,
			 a % scale[d]);
	}
	dl__buffer_str(b, buf);
}

/* Appends ` name="v"` with v a coordinate (two decimals). */
static void dl__sbuf_coord(dl__buffer *b, const char *name, double v)
{
	dl__buffer_str(b, " ");
	dl__buffer_str(b, name);
	dl__buffer_str(b, "=\"");
	dl__sbuf_num(b, v, 2);
	dl__buffer_str(b, "\"");
}

/* Grey level 0 (black) .. 1 (white) as 0..255. */
static unsigned dl__svg_grey(double g)
{
	long v = lround(g * 255.0);

	return v < 0 ? 0u : v > 255 ? 255u : (unsigned)v;
}

/* Appends ` name="#rrggbb"` for grey g. */
static void dl__sbuf_grey(dl__buffer *b, const char *name, double g)
{
	char buf[48];
	unsigned v = dl__svg_grey(g);

	snprintf(buf, sizeof(buf), " %s=\"#%02x%02x%02x\"", name, v, v, v);
	dl__buffer_str(b, buf);
}

/* The hatch paints (fill grey or 256 for none, line grey) of a picture, each a <pattern>. */
typedef struct dl__svg_hatches {
	unsigned fill[DL__SVG_PATTERNS], line[DL__SVG_PATTERNS];
	size_t n;
} dl__svg_hatches;

static unsigned dl__svg_hatch_fill(const dl__item *it)
{
	return it->paint.fill < 0.0 ? 256u : dl__svg_grey(it->paint.fill);
}

static unsigned dl__svg_hatch_line(const dl__item *it)
{
	return dl__svg_grey(it->paint.stroke < 0.0 ? 0.0 : it->paint.stroke);
}

/* The index of the item's hatch paint, or -1 when it is not among them. */
static long dl__svg_hatch_find(const dl__svg_hatches *h, const dl__item *it)
{
	unsigned f = dl__svg_hatch_fill(it), l = dl__svg_hatch_line(it);

	for (size_t i = 0; i < h->n; i++)
		if (h->fill[i] == f && h->line[i] == l)
			return (long)i;
	return -1;
}

/* Appends the id of hatch paint i: "<prefix>-hatch-<i>". */
static void dl__sbuf_hatch_id(dl__buffer *b, const char *prefix, long i)
{
	char buf[32];

	dl__sbuf_escaped(b, prefix);
	snprintf(buf, sizeof(buf), "-hatch-%ld", i);
	dl__buffer_str(b, buf);
}

/* The box around what is drawn, in points. */
typedef struct dl__svg_box {
	double x0, y0, x1, y1;
	int empty;
} dl__svg_box;

static void dl__svg_box_add(dl__svg_box *bx, double x0, double y0, double x1, double y1)
{
	if (bx->empty) {
		bx->x0 = x0;
		bx->y0 = y0;
		bx->x1 = x1;
		bx->y1 = y1;
		bx->empty = 0;
		return;
	}
	bx->x0 = x0 < bx->x0 ? x0 : bx->x0;
	bx->y0 = y0 < bx->y0 ? y0 : bx->y0;
	bx->x1 = x1 > bx->x1 ? x1 : bx->x1;
	bx->y1 = y1 > bx->y1 ? y1 : bx->y1;
}

/* Whether the item is part of the page's content (not its header or footer, nor a dump note). */
static int dl__svg_drawn(const dl__item *it)
{
	double top = it->y, bottom = it->kind == DL__ITEM_LINE ? it->y2 : it->y;

	if (it->kind == DL__ITEM_NOTE || (it->kind == DL__ITEM_TEXT && it->text[0] == '\0'))
		return 0;
	if (it->kind == DL__ITEM_POLY)
		return it->npts >= 2 && it->pts[1] >= DL__SVG_CONTENT_TOP &&
		       it->pts[1] <= DL__SVG_CONTENT_BOTTOM;
	if (bottom < top) {
		double t = top;
		top = bottom;
		bottom = t;
	}
	return top >= DL__SVG_CONTENT_TOP && bottom <= DL__SVG_CONTENT_BOTTOM;
}

/* Adds the item's extent to the box: text by the layout's measured width and the type's em box. */
static void dl__svg_extent(dl__svg_box *bx, const dl__item *it)
{
	double half = it->paint.stroke >= 0.0 ? it->paint.width / 2.0 : 0.0;
	size_t i;

	switch (it->kind) {
	case DL__ITEM_TEXT:
		dl__svg_box_add(bx, it->x, it->y - 0.9 * it->size, it->x + it->w,
				it->y + 0.25 * it->size);
		return;
	case DL__ITEM_LINE:
		half = it->paint.width / 2.0;
		dl__svg_box_add(bx, (it->x < it->x2 ? it->x : it->x2) - half,
				(it->y < it->y2 ? it->y : it->y2) - half,
				(it->x > it->x2 ? it->x : it->x2) + half,
				(it->y > it->y2 ? it->y : it->y2) + half);
		return;
	case DL__ITEM_RECT:
		dl__svg_box_add(bx, it->x - half, it->y - half, it->x + it->w + half,
				it->y + it->h + half);
		return;
	case DL__ITEM_CIRCLE:
		dl__svg_box_add(bx, it->x - it->w - half, it->y - it->w - half,
				it->x + it->w + half, it->y + it->w + half);
		return;
	case DL__ITEM_POLY:
		for (i = 0; i < it->npts; i++)
			dl__svg_box_add(bx, it->pts[2 * i] - half, it->pts[2 * i + 1] - half,
					it->pts[2 * i] + half, it->pts[2 * i + 1] + half);
		return;
	case DL__ITEM_NOTE:
		return;
	}
}

/* Appends ` class="role" data-value="datum"` for a tagged shape, ` class="role"` for text. */
static void dl__svg_tag(dl__buffer *b, const dl__item *it)
{
	if (it->role == NULL || it->role[0] == '\0')
		return;
	dl__buffer_str(b, " class=\"");
	dl__sbuf_escaped(b, it->role);
	dl__buffer_str(b, "\"");
	if (it->kind != DL__ITEM_TEXT) {
		dl__buffer_str(b, " data-value=\"");
		dl__sbuf_num(b, it->datum, 4);
		dl__buffer_str(b, "\"");
	}
}

/* Appends the fill and outline attributes of a shape (hatch: the index of its pattern, or -1). */
static void dl__svg_paint(dl__buffer *b, const dl__item *it, const char *prefix, long hatch)
{
	if (hatch >= 0) {
		dl__buffer_str(b, " fill=\"url(#");
		dl__sbuf_hatch_id(b, prefix, hatch);
		dl__buffer_str(b, ")\"");
	} else if (it->paint.fill >= 0.0 && it->kind != DL__ITEM_LINE) {
		dl__sbuf_grey(b, "fill", it->paint.fill);
	} else if (it->kind != DL__ITEM_LINE) {
		dl__buffer_str(b, " fill=\"none\"");
	}
	if (it->paint.stroke >= 0.0) {
		dl__sbuf_grey(b, "stroke", it->paint.stroke);
		dl__sbuf_coord(b, "stroke-width", it->paint.width);
		if (it->paint.dash == DL__DASH_DASHED)
			dl__buffer_str(b, " stroke-dasharray=\"4 2\"");
		else if (it->paint.dash == DL__DASH_DOTTED)
			dl__buffer_str(b, " stroke-dasharray=\"1 2\"");
	}
}

static void dl__svg_text(dl__buffer *b, const dl__item *it)
{
	double x = it->align == DL__ALIGN_CENTER  ? it->x + it->w / 2.0
		   : it->align == DL__ALIGN_RIGHT ? it->x + it->w
						  : it->x;

	dl__buffer_str(b, "<text");
	dl__svg_tag(b, it);
	dl__sbuf_coord(b, "x", x);
	dl__sbuf_coord(b, "y", it->y);
	dl__sbuf_coord(b, "font-size", it->size);
	if (it->align == DL__ALIGN_CENTER)
		dl__buffer_str(b, " text-anchor=\"middle\"");
	else if (it->align == DL__ALIGN_RIGHT)
		dl__buffer_str(b, " text-anchor=\"end\"");
	if (it->bold)
		dl__buffer_str(b, " font-weight=\"bold\"");
	if (dl__svg_grey(it->paint.fill) != 0)
		dl__sbuf_grey(b, "fill", it->paint.fill);
	dl__buffer_str(b, ">");
	dl__sbuf_escaped(b, it->text);
	dl__buffer_str(b, "</text>\n");
}

static void dl__svg_item(dl__buffer *b, const dl__item *it, const char *prefix,
			 const dl__svg_hatches *h)
{
	long hatch = it->kind == DL__ITEM_RECT && it->paint.hatch == DL__HATCH_DIAGONAL
			 ? dl__svg_hatch_find(h, it)
			 : -1;
	size_t i;

	switch (it->kind) {
	case DL__ITEM_TEXT:
		dl__svg_text(b, it);
		return;
	case DL__ITEM_LINE:
		dl__buffer_str(b, "<line");
		dl__svg_tag(b, it);
		dl__sbuf_coord(b, "x1", it->x);
		dl__sbuf_coord(b, "y1", it->y);
		dl__sbuf_coord(b, "x2", it->x2);
		dl__sbuf_coord(b, "y2", it->y2);
		break;
	case DL__ITEM_RECT:
		dl__buffer_str(b, "<rect");
		dl__svg_tag(b, it);
		dl__sbuf_coord(b, "x", it->x);
		dl__sbuf_coord(b, "y", it->y);
		dl__sbuf_coord(b, "width", it->w);
		dl__sbuf_coord(b, "height", it->h);
		break;
	case DL__ITEM_CIRCLE:
		dl__buffer_str(b, "<circle");
		dl__svg_tag(b, it);
		dl__sbuf_coord(b, "cx", it->x);
		dl__sbuf_coord(b, "cy", it->y);
		dl__sbuf_coord(b, "r", it->w);
		break;
	case DL__ITEM_POLY:
		dl__buffer_str(b, it->closed ? "<polygon" : "<polyline");
		dl__svg_tag(b, it);
		dl__buffer_str(b, " points=\"");
		for (i = 0; i < it->npts; i++) {
			if (i > 0)
				dl__buffer_str(b, " ");
			dl__sbuf_num(b, it->pts[2 * i], 2);
			dl__buffer_str(b, ",");
			dl__sbuf_num(b, it->pts[2 * i + 1], 2);
		}
		dl__buffer_str(b, "\"");
		break;
	case DL__ITEM_NOTE:
		return;
	}
	dl__svg_paint(b, it, prefix, hatch);
	dl__buffer_str(b, "/>\n");
}

/*
 * The <defs>: a pattern per hatch paint, diagonal lines 3 points apart at 0.6 points rising to the
 * right over the fill, as the PDF draws them (pdf_backend.c, dl__pdf_hatch).
 */
static void dl__svg_defs(dl__buffer *b, const char *prefix, const dl__svg_hatches *h)
{
	char buf[96];

	if (h->n == 0)
		return;
	dl__buffer_str(b, "<defs>\n");
	for (size_t i = 0; i < h->n; i++) {
		dl__buffer_str(b, "<pattern id=\"");
		dl__sbuf_hatch_id(b, prefix, (long)i);
		dl__buffer_str(b, "\" patternUnits=\"userSpaceOnUse\" width=\"3\" height=\"3\">");
		if (h->fill[i] <= 255u) {
			snprintf(buf, sizeof(buf),
				 "<rect width=\"3\" height=\"3\" fill=\"#%02x%02x%02x\"/>",
				 h->fill[i], h->fill[i], h->fill[i]);
			dl__buffer_str(b, buf);
		}
		snprintf(buf, sizeof(buf),
			 "<path d=\"M-0.75,0.75 L0.75,-0.75 M0,3 L3,0 M2.25,3.75 L3.75,2.25\" "
			 "stroke=\"#%02x%02x%02x\"",
			 h->line[i], h->line[i], h->line[i]);
		dl__buffer_str(b, buf);
		dl__buffer_str(b, " stroke-width=\"0.6\"/></pattern>\n");
	}
	dl__buffer_str(b, "</defs>\n");
}

int dl__svg_render(const dl__layout *lay, const dl__svg_options *opts, char **out, size_t *len,
		   dl_error *err)
{
	const char *title = opts != NULL && opts->title != NULL ? opts->title : "";
	const char *summary = opts != NULL && opts->summary != NULL ? opts->summary : "";
	const char *prefix =
	    opts != NULL && opts->id != NULL && opts->id[0] != '\0' ? opts->id : "dl";
	const dl__page *pg = lay->first;
	const dl__item *it;
	dl__svg_hatches hatches;
	dl__svg_box box = {0.0, 0.0, 0.0, 0.0, 1};
	dl__buffer b = DL__BUFFER_INIT;
	double x0, y0;

	memset(&hatches, 0, sizeof(hatches));
	for (it = pg != NULL ? pg->first : NULL; it != NULL; it = it->next) {
		if (!dl__svg_drawn(it))
			continue;
		dl__svg_extent(&box, it);
		if (it->kind == DL__ITEM_RECT && it->paint.hatch == DL__HATCH_DIAGONAL &&
		    dl__svg_hatch_find(&hatches, it) < 0 && hatches.n < DL__SVG_PATTERNS) {
			hatches.fill[hatches.n] = dl__svg_hatch_fill(it);
			hatches.line[hatches.n++] = dl__svg_hatch_line(it);
		}
	}
	if (box.empty)
		box.x1 = box.y1 = 1.0;
	x0 = floor(box.x0 - DL__SVG_MARGIN);
	y0 = floor(box.y0 - DL__SVG_MARGIN);
	dl__buffer_str(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"");
	dl__sbuf_num(&b, x0, 0);
	dl__buffer_str(&b, " ");
	dl__sbuf_num(&b, y0, 0);
	dl__buffer_str(&b, " ");
	dl__sbuf_num(&b, ceil(box.x1 + DL__SVG_MARGIN) - x0, 0);
	dl__buffer_str(&b, " ");
	dl__sbuf_num(&b, ceil(box.y1 + DL__SVG_MARGIN) - y0, 0);
	dl__buffer_str(&b, "\" role=\"img\" aria-label=\"");
	dl__sbuf_escaped(&b, title);
	if (title[0] != '\0' && summary[0] != '\0')
		dl__buffer_str(&b, "：");
	dl__sbuf_escaped(&b, summary);
	dl__buffer_str(&b, "\" xml:lang=\"zh-CN\" font-family=\"");
	dl__buffer_str(&b, dl__svg_fonts);
	dl__buffer_str(&b, "\" stroke-linejoin=\"round\">\n<title>");
	dl__sbuf_escaped(&b, title);
	dl__buffer_str(&b, "</title>\n");
	if (summary[0] != '\0') {
		dl__buffer_str(&b, "<desc>");
		dl__sbuf_escaped(&b, summary);
		dl__buffer_str(&b, "</desc>\n");
	}
	dl__svg_defs(&b, prefix, &hatches);
	for (it = pg != NULL ? pg->first : NULL; it != NULL; it = it->next) {
		if (dl__svg_drawn(it))
			dl__svg_item(&b, it, prefix, &hatches);
	}
	dl__buffer_str(&b, "</svg>\n");
	if (b.failed) {
		dl__free(b.data);
		return dl__error_nomem(err, _("writing the chart as SVG"));
	}
	*out = b.data;
	*len = b.len;
	return 0;
}
