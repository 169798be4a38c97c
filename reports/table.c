/*
 * table.c: tables and key-value blocks, both laid out as a grid of wrapping cells.
 *
 * The grid guarantees what the reports depend on: every row of the input appears exactly once; a table
 * continues across pages with its header row repeated; a row moves whole to the next page when it does
 * not fit but would fit there; a row taller than a page is split line by line across pages. The text
 * dump gets one "row N" (or "kv") note per input row, and a "(continued)" note for each further part,
 * which is how tests count rows.
 */
#include "layout_pages.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "text_measure.h"

/* How a grid looks. */
typedef struct dl__grid {
	size_t ncols;
	double x[DL__COLS_MAX + 1];   /* column edges, x[0] left .. x[ncols] right */
	int align[DL__COLS_MAX];      /* DL__ALIGN_* per column */
	double size, lead, pad_x, pad_y;
	int borders;                  /* 1: ruled cells */
	int bold_first;               /* 1: first column in bold (keys) */
	int sign;                     /* 1: an empty second cell gets a line to sign on */
	const char *const *header;    /* header titles; NULL: no header row */
	const char *row_role;         /* dump role of the rows: "row" or "kv" */
} dl__grid;

/* Lines a row (or the header) needs: the most lines of any of its cells. */
static size_t dl__row_lines(const dl__grid *g, const char *const *cells)
{
	size_t c, n, most = 1;

	for (c = 0; c < g->ncols; c++) {
		n = dl__wrap_count(cells[c], strlen(cells[c]), g->size, g->x[c + 1] - g->x[c] - 2.0 * g->pad_x);
		if (n > most)
			most = n;
	}
	return most;
}

/* Baseline of line j of a row part whose top is `top`. */
static double dl__cell_base(const dl__grid *g, double top, size_t j)
{
	return top + g->pad_y + (double)j * g->lead + g->lead / 2.0 + 0.38 * g->size;
}

/* Adds the dump note for a row: "prefix: cell | cell ..." (just the cells when prefix is ""). */
static int dl__row_note(dl__flow *f, const dl__grid *g, const char *role, const char *prefix,
			const char *const *cells, double y)
{
	size_t c, total = strlen(prefix) + 3, at;
	char *buf;
	int rc;

	for (c = 0; c < g->ncols; c++)
		total += strlen(cells[c]) + 3;
	buf = dl__malloc(total);
	if (buf == NULL)
		return dl__error_nomem(f->err, "placing a table row");
	at = strlen(prefix);
	memcpy(buf, prefix, at);
	if (at > 0) {
		memcpy(buf + at, ": ", 2);
		at += 2;
	}
	for (c = 0; c < g->ncols; c++) {
		size_t len = strlen(cells[c]);
		if (c > 0) {
			memcpy(buf + at, " | ", 3);
			at += 3;
		}
		memcpy(buf + at, cells[c], len);
		at += len;
	}
	buf[at] = '\0';
	rc = dl__put_note(f, role, y, "%s", buf);
	dl__free(buf);
	return rc;
}

/* Rules of a row part between top and bottom: the column edges, the bottom and, if asked, the top. */
static int dl__rules(dl__flow *f, const dl__grid *g, double top, double bottom, int with_top, double bottom_w)
{
	size_t c;
	int rc;

	if (!g->borders)
		return 0;
	if (with_top &&
	    (rc = dl__put_line(f, g->x[0], top, g->x[g->ncols], top, 0.8, 0.2, DL__DASH_SOLID)) < 0)
		return rc;
	if ((rc = dl__put_line(f, g->x[0], bottom, g->x[g->ncols], bottom, bottom_w, 0.2, DL__DASH_SOLID)) < 0)
		return rc;
	for (c = 0; c <= g->ncols; c++) {
		if ((rc = dl__put_line(f, g->x[c], top, g->x[c], bottom, c == 0 || c == g->ncols ? 0.8 : 0.5, 0.2,
				       DL__DASH_SOLID)) < 0)
			return rc;
	}
	return 0;
}

/* Places the next `k` lines of every cell, advancing the per-cell iterators, in a part starting at top. */
static int dl__place_cells(dl__flow *f, const dl__grid *g, dl__wrap *w, size_t k, double top, int bold)
{
	size_t c, j, a, e;
	int rc;

	for (c = 0; c < g->ncols; c++) {
		double left = g->x[c] + g->pad_x, width = g->x[c + 1] - g->x[c] - 2.0 * g->pad_x;
		double ax = g->align[c] == DL__ALIGN_CENTER ? left + width / 2.0
			  : g->align[c] == DL__ALIGN_RIGHT  ? left + width
							    : left;
		for (j = 0; j < k; j++) {
			if (!dl__wrap_next(&w[c], g->size, width, &a, &e))
				break;
			if ((rc = dl__put_text(f, "cell", 0, ax, dl__cell_base(g, top, j), g->align[c], g->size,
					       bold || (c == 0 && g->bold_first), 0.0, w[c].s + a, e - a)) < 0)
				return rc;
		}
	}
	return 0;
}

/* Places the header row at the cursor (the caller made room). */
static int dl__place_header(dl__flow *f, const dl__grid *g)
{
	dl__wrap w[DL__COLS_MAX];
	dl__paint shade = {-1.0, 0.88, 0.0, DL__DASH_SOLID, DL__HATCH_NONE};
	size_t c, n = dl__row_lines(g, g->header);
	double top = f->y, h = (double)n * g->lead + 2.0 * g->pad_y;
	int rc;

	for (c = 0; c < g->ncols; c++)
		dl__wrap_init(&w[c], g->header[c], strlen(g->header[c]));
	if ((rc = dl__put_rect(f, g->x[0], top, g->x[g->ncols] - g->x[0], h, &shade)) < 0 ||
	    (rc = dl__row_note(f, g, "head", "", g->header, dl__cell_base(g, top, 0))) < 0 ||
	    (rc = dl__place_cells(f, g, w, n, top, 1)) < 0 ||
	    (rc = dl__rules(f, g, top, top + h, 1, 0.8)) < 0)
		return rc;
	f->y = top + h;
	return 0;
}

/* Height of the header row, 0 without one. */
static double dl__header_height(const dl__grid *g)
{
	return g->header ? (double)dl__row_lines(g, g->header) * g->lead + 2.0 * g->pad_y : 0.0;
}

/* Starts a new page for the grid and repeats the header there. */
static int dl__grid_new_page(dl__flow *f, const dl__grid *g)
{
	int rc;

	if ((rc = dl__flow_new_page(f, 0)) < 0)
		return rc;
	f->fresh = 0;
	return g->header ? dl__place_header(f, g) : 0;
}

/* Where a grid stands while its rows are placed. */
typedef struct dl__grid_state {
	int at_top;   /* nothing but the header of this grid is on the page yet: moving on would not help */
	int need_top; /* the next part starts a ruled headerless grid on its page: draw its top rule */
	size_t rowno; /* rows placed so far */
} dl__grid_state;

/* Starts a grid: finds room for the header and the first row (first_lines lines), places the header. */
static int dl__grid_begin(dl__flow *f, const dl__grid *g, size_t first_lines, dl__grid_state *st)
{
	const double capacity = DL__CONTENT_BOTTOM - DL__CONTENT_TOP;
	double need = dl__header_height(g) + (double)first_lines * g->lead + 2.0 * g->pad_y;
	int rc;

	if ((rc = dl__flow_reserve(f, need > capacity ? capacity : need)) < 0)
		return rc;
	st->at_top = f->y <= DL__CONTENT_TOP + 1e-6;
	st->need_top = g->header == NULL;
	st->rowno = 0;
	if (g->header != NULL) {
		if ((rc = dl__place_header(f, g)) < 0)
			return rc;
		st->at_top = 1;
	}
	return 0;
}

/*
 * Places one row. Moves it whole to the next page when it does not fit here but fits on a fresh page;
 * splits it line by line when it is taller than a page (or when it is at the top already).
 */
static int dl__grid_row(dl__flow *f, const dl__grid *g, dl__grid_state *st, const char *const *cells)
{
	const double capacity = DL__CONTENT_BOTTOM - DL__CONTENT_TOP - dl__header_height(g) - 2.0 * g->pad_y;
	const size_t fresh_fit = capacity >= g->lead ? (size_t)floor(capacity / g->lead + 1e-9) : 1;
	dl__wrap w[DL__COLS_MAX];
	size_t total = dl__row_lines(g, cells), done = 0, part = 0, c;
	char prefix[48];
	int rc;

	st->rowno++;
	for (c = 0; c < g->ncols; c++)
		dl__wrap_init(&w[c], cells[c], strlen(cells[c]));
	while (done < total) {
		double room = dl__flow_room(f) - 2.0 * g->pad_y, top, h;
		size_t fit = room >= g->lead ? (size_t)floor(room / g->lead + 1e-9) : 0;
		size_t need = total - done, k;

		if (need > fit && !st->at_top && (part > 0 || need <= fresh_fit || fit == 0)) {
			if ((rc = dl__grid_new_page(f, g)) < 0)
				return rc;
			st->at_top = 1;
			st->need_top = g->header == NULL;
			continue;
		}
		k = need <= fit ? need : (fit > 0 ? fit : 1);
		top = f->y;
		h = (double)k * g->lead + 2.0 * g->pad_y;
		if (part == 0) {
			if (g->header == NULL && g->borders == 0)
				prefix[0] = '\0';
			else
				snprintf(prefix, sizeof(prefix), "%zu", st->rowno);
			rc = dl__row_note(f, g, g->row_role, prefix, cells, dl__cell_base(g, top, 0));
		} else
			rc = dl__put_note(f, g->row_role, dl__cell_base(g, top, 0), "%zu: (continued)", st->rowno);
		if (rc < 0 || (rc = dl__place_cells(f, g, w, k, top, 0)) < 0 ||
		    (rc = dl__rules(f, g, top, top + h, st->need_top, 0.5)) < 0)
			return rc;
		if (g->sign && g->ncols == 2 && cells[1][0] == '\0' && part == 0) {
			double base = dl__cell_base(g, top, 0) + 3.0;
			if ((rc = dl__put_line(f, g->x[1] + g->pad_x, base, g->x[2] - g->pad_x, base, 0.6, 0.0,
					       DL__DASH_SOLID)) < 0)
				return rc;
		}
		f->fresh = 0;
		f->y = top + h;
		st->at_top = 0;
		st->need_top = 0;
		done += k;
		part++;
	}
	return 0;
}

/* Sets up the grid of a table block. */
static void dl__table_grid(const dl__block *b, dl__grid *g)
{
	double sum = 0.0, x = DL__MARGIN_X;
	size_t c;

	memset(g, 0, sizeof(*g));
	g->ncols = b->u.table.ncols;
	for (c = 0; c < g->ncols; c++)
		sum += b->u.table.weights[c];
	for (c = 0; c < g->ncols; c++) {
		g->x[c] = x;
		x += DL__CONTENT_W * b->u.table.weights[c] / sum;
		g->align[c] = b->u.table.aligns[c];
	}
	g->x[g->ncols] = DL__MARGIN_X + DL__CONTENT_W;
	g->size = 9.0;
	g->lead = 13.5;
	g->pad_x = 4.0;
	g->pad_y = 3.5;
	g->borders = 1;
	g->header = b->u.table.header ? b->u.table.titles : NULL;
	g->row_role = "row";
}

double dl__table_lead_height(const dl__block *b)
{
	dl__grid g;
	const dl__row *row = b->u.table.rows;

	dl__table_grid(b, &g);
	return dl__header_height(&g) + (row ? (double)dl__row_lines(&g, row->cells) * g.lead + 2.0 * g.pad_y : 0.0);
}

int dl__layout_table(dl__flow *f, const dl__block *b)
{
	dl__grid g;
	dl__grid_state st;
	const dl__row *row;
	int rc;

	dl__table_grid(b, &g);
	row = b->u.table.rows;
	if ((rc = dl__grid_begin(f, &g, row ? dl__row_lines(&g, row->cells) : 0, &st)) < 0)
		return rc;
	for (; row != NULL; row = row->next) {
		if ((rc = dl__grid_row(f, &g, &st, row->cells)) < 0)
			return rc;
	}
	f->y += 10.0;
	return 0;
}

/* Key-value blocks up to this height are not split between pages. */
#define DL__KV_KEEP 180.0

int dl__layout_key_values(dl__flow *f, const dl__block *b)
{
	const dl__kvs *kv = &b->u.kv.pairs;
	dl__grid g;
	dl__grid_state st;
	double key_w = 0.0, total = 0.0;
	size_t i;
	int rc;

	memset(&g, 0, sizeof(g));
	g.ncols = 2;
	g.size = DL__BODY_SIZE;
	g.lead = DL__BODY_LEAD;
	g.pad_x = 0.0;
	g.pad_y = (b->u.kv.flags & DL__KV_SIGN) ? 5.0 : 0.0;
	g.bold_first = 1;
	g.sign = (b->u.kv.flags & DL__KV_SIGN) != 0;
	g.row_role = "kv";
	for (i = 0; i < kv->n; i++) {
		double w = dl__text_width(kv->keys[i], strlen(kv->keys[i]), g.size);
		if (w > key_w)
			key_w = w;
	}
	key_w += g.size; /* a one-character gap before the values */
	if (key_w > DL__CONTENT_W * 0.4)
		key_w = DL__CONTENT_W * 0.4;
	g.x[0] = DL__MARGIN_X;
	g.x[1] = DL__MARGIN_X + key_w;
	g.x[2] = DL__MARGIN_X + (g.sign ? DL__CONTENT_W * 0.75 : DL__CONTENT_W);
	/* A signature block, or any short block, is kept on one page. */
	for (i = 0; i < kv->n; i++) {
		const char *cells[2] = {kv->keys[i], kv->values[i]};
		total += (double)dl__row_lines(&g, cells) * g.lead + 2.0 * g.pad_y;
	}
	if ((g.sign || total <= DL__KV_KEEP) && total <= DL__CONTENT_BOTTOM - DL__CONTENT_TOP &&
	    (rc = dl__flow_reserve(f, total)) < 0)
		return rc;
	{
		const char *first[2] = {kv->keys[0], kv->values[0]};
		if ((rc = dl__grid_begin(f, &g, dl__row_lines(&g, first), &st)) < 0)
			return rc;
	}
	for (i = 0; i < kv->n; i++) {
		const char *cells[2] = {kv->keys[i], kv->values[i]};
		if ((rc = dl__grid_row(f, &g, &st, cells)) < 0)
			return rc;
	}
	f->y += 6.0;
	return 0;
}
