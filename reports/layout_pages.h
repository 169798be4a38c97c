/*
 * layout_pages.h: the laid-out document (internal to reports/): pages holding placed items, in the
 * order they were placed, with top-down coordinates in points on an A4 page (x right, y down from
 * the top edge). The layout writes it; the text and PDF back ends only read it. It also declares
 * the flow cursor the block layouters share, and their entry points.
 */
#ifndef DL_REPORTS_LAYOUT_PAGES_H
#define DL_REPORTS_LAYOUT_PAGES_H

#include <stddef.h>

#include "doc_blocks.h"

/* Page geometry (points). */
#define DL__PAGE_W 595.0
#define DL__PAGE_H 842.0
#define DL__MARGIN_X 62.0
#define DL__CONTENT_TOP 74.0     /* first content line starts here */
#define DL__CONTENT_BOTTOM 772.0 /* no content below this */
#define DL__CONTENT_W (DL__PAGE_W - 2.0 * DL__MARGIN_X)

/* Type sizes and line heights (points). */
#define DL__BODY_SIZE 10.5
#define DL__BODY_LEAD 18.0
#define DL__SMALL_SIZE 9.0
#define DL__SMALL_LEAD 14.0

enum { DL__DASH_SOLID = 0, DL__DASH_DASHED = 1, DL__DASH_DOTTED = 2 };
enum { DL__HATCH_NONE = 0, DL__HATCH_DIAGONAL = 1 };

/* How a shape is painted. Grey levels run from 0 (black) to 1 (white). */
typedef struct dl__paint {
	double stroke; /* outline grey; < 0: no outline */
	double fill;   /* fill grey; < 0: no fill */
	double width;  /* outline width */
	int dash;      /* DL__DASH_* of the outline */
	int hatch;     /* RECT only: DL__HATCH_* lines in the outline grey over the fill */
} dl__paint;

typedef enum dl__item_kind {
	DL__ITEM_TEXT,   /* one line of text */
	DL__ITEM_LINE,   /* a straight line */
	DL__ITEM_RECT,   /* a rectangle */
	DL__ITEM_POLY,   /* a polyline or polygon */
	DL__ITEM_CIRCLE, /* a circle */
	DL__ITEM_NOTE    /* a line of the text dump (table row, chart datum); not drawn */
} dl__item_kind;

/* A placed item. Which fields apply depends on kind; the others are 0. */
typedef struct dl__item {
	struct dl__item *next;
	dl__item_kind kind;
	const char *role; /* static name shown by the text dump ("p", "h1", "row", ...); on a shape a chart
			     draws, what it stands for ("bar s0", "track", "point s1", "axis"), which
			     the SVG back end writes as its class; NULL on other shapes */
	int dump;         /* 1: the text dump shows this item */
	double x, y;      /* TEXT: left end of the baseline; LINE: start; RECT: top-left; CIRCLE: centre;
			     NOTE: y of what it describes */
	double x2, y2;    /* LINE: end */
	double w, h;      /* TEXT: measured width; RECT: size; CIRCLE: w is the radius */
	dl__paint paint;  /* TEXT: paint.fill is the text grey */
	const char *text; /* TEXT, NOTE: UTF-8 without control characters */
	double size;      /* TEXT: type size */
	int bold;         /* TEXT: 1 for bold (drawn as fill + thin stroke: the CJK fonts have no bold) */
	int align;        /* TEXT: DL__ALIGN_*: x + w/2 (centre) or x + w (right) is the anchor; the PDF
			     back end re-anchors with the font's real width, never moving the line */
	double justify;   /* TEXT: > 0: the PDF stretches the line to this width with letter spacing (body
			     text set flush on both sides); never changes where lines break */
	const double *pts; /* POLY: npts points as x0, y0, x1, y1, ... */
	size_t npts;
	int closed;       /* POLY: 1 to close the path */
	double datum;     /* a chart's shape with a role: the value it draws (a bar's score, its track's
			     maximum, a point's level), which the SVG back end writes as data-value */
} dl__item;

typedef struct dl__page {
	struct dl__page *next;
	unsigned index;  /* 1-based position in the document */
	int cover;       /* 1 on a cover page: no header, footer or number */
	unsigned number; /* "第 number 页" (0 on cover pages) */
	dl__item *first, *last;
} dl__page;

/* An outline entry (a PDF bookmark): a heading, where it is placed. */
typedef struct dl__mark {
	struct dl__mark *next;
	int level;         /* 1 or 2 */
	const char *text;  /* the heading, its lines joined */
	const dl__page *page;
	double y;          /* top of the heading's first line */
} dl__mark;

struct dl__layout {
	dl__arena *arena; /* owns pages, items and their strings */
	dl__page *first, *last;
	unsigned npages;
	unsigned numbered; /* "共 numbered 页": pages that are not covers */
	dl__mark *marks, *last_mark; /* every heading, in order */
	dl__doc_info info;           /* copied from the document; fields "" when absent */
};

/* The cursor the block layouters share while paginating. */
typedef struct dl__flow {
	dl__layout *lay;
	dl__page *page; /* current page; NULL before the first */
	double y;       /* next free y on the page */
	int fresh;      /* 1 while nothing has been placed on the page */
	dl_error *err;
	/* the table of contents: the printed page of each level-1 heading after it (second pass), or
	 * NULL (first pass: numbers not known yet) */
	const unsigned *toc_pages;
	size_t toc_count;
	int measuring; /* 1 while a keep-together group is measured on a scratch layout */
} dl__flow;

/* Starts a new page (a cover page when cover is 1). Fails beyond DL__PAGES_MAX pages. */
int dl__flow_new_page(dl__flow *f, int cover);

/*
 * Makes room for h points of content: starts a new page unless h fits below y or the page is fresh
 * (content taller than a page is placed on a fresh page anyway; the layouters keep below that). Marks
 * the page as used.
 */
int dl__flow_reserve(dl__flow *f, double h);

/* Points left between y and the bottom of the content area. */
double dl__flow_room(const dl__flow *f);

/* Item emitters: each appends one item to the current page; 0 or DL_ENOMEM. */

/* Text s[0..len) with its anchor at x (left end, centre or right end per align) and baseline y. */
int dl__put_text(dl__flow *f, const char *role, int dump, double x, double y, int align, double size,
		 int bold, double grey, const char *s, size_t len);
int dl__put_line(dl__flow *f, double x1, double y1, double x2, double y2, double width, double grey,
		 int dash);
int dl__put_rect(dl__flow *f, double x, double y, double w, double h, const dl__paint *paint);
/* pts is copied. */
int dl__put_poly(dl__flow *f, const double *pts, size_t npts, int closed, const dl__paint *paint);
int dl__put_circle(dl__flow *f, double cx, double cy, double r, const dl__paint *paint);
/* A dump-only line, printf-style (the text back end escapes any '\n' in it). */
int dl__put_note(dl__flow *f, const char *role, double y, const char *fmt, ...) DL__PRINTF(4, 5);

/* Returns a + b as a string in the layout's arena, or NULL (error set) when out of memory. */
const char *dl__flow_concat(dl__flow *f, const char *a, const char *b);

/* Formats a number for printing: up to four decimals, no trailing zeros ("57.5", "1.875", "40"). */
void dl__format_number(double v, char *buf, size_t size);

/*
 * Height of the part of a block that must follow a heading on its page: the header and first row of a
 * table, a whole chart.
 */
double dl__table_lead_height(const dl__block *b);
double dl__radar_height(const dl__block *b);
double dl__bars_height(const dl__block *b);

/* Block layouters (table.c, charts.c): place one block at the cursor, breaking pages as needed. */
int dl__layout_table(dl__flow *f, const dl__block *b);
int dl__layout_key_values(dl__flow *f, const dl__block *b);
int dl__layout_radar(dl__flow *f, const dl__block *b);
int dl__layout_bars(dl__flow *f, const dl__block *b);

#endif
