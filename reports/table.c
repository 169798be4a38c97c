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
#include "i18n.h"

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
		return dl__error_nomem(f->err, _("placing a table row"));
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

/* Widest line of s when broken only at '\n', in points at size. */
static double dl__natural_width(const char *s, double size)
{
	double most = 0.0, w;
	const char *nl;

	for (;;) {
		nl = strchr(s, '\n');
		w = dl__text_width(s, nl != NULL ? (size_t)(nl - s) : strlen(s), size);
		if (w > most)
			most = w;
		if (nl == NULL)
			return most;
		s = nl + 1;
	}
}

/* A cell this short without a space is a label ("主任", "工程师", "不满足"): never broken. */
#define DL__LABEL_EM 5.0

/*
 * Width of the widest piece of s that no line may break: a word, a number, a short parenthesised
 * note, or the whole text when it is a label.
 */
static double dl__unbreakable_width(const char *s, double size)
{
	size_t len = strlen(s);
	double w;

	if (strchr(s, ' ') == NULL && strchr(s, '\n') == NULL &&
	    (w = dl__text_width(s, len, size)) <= DL__LABEL_EM * size)
		return w;
	return dl__widest_unit(s, len, size);
}

/*
 * Column widths from the content. Each column starts at its share of the width by weight. Columns
 * whose every cell fits in less give the rest to the columns that would wrap; then every column is
 * widened to its widest unbreakable piece (a word, a label, a short parenthesised note), taken from
 * the columns with room to spare. So a column of short labels is as wide as its longest label, and a
 * long label does not wrap while a numbers column beside it is half empty. A column left blank in
 * every row (a column to sign in) keeps its share.
 */
static void dl__table_widths(const dl__block *b, double size, double pad, double *w)
{
	const size_t n = b->u.table.ncols;
	double sum = 0.0, nat[DL__COLS_MAX], mn[DL__COLS_MAX], slack = 0.0, want = 0.0, deficit = 0.0,
	       spare = 0.0;
	int blank[DL__COLS_MAX];
	const dl__row *row;
	size_t c;

	for (c = 0; c < n; c++)
		sum += b->u.table.weights[c];
	for (c = 0; c < n; c++) {
		double hm = b->u.table.header ? dl__unbreakable_width(b->u.table.titles[c], size) : 0.0;
		w[c] = DL__CONTENT_W * b->u.table.weights[c] / sum;
		nat[c] = hm;
		mn[c] = hm;
		blank[c] = b->u.table.rows != NULL;
	}
	for (row = b->u.table.rows; row != NULL; row = row->next) {
		for (c = 0; c < n; c++) {
			double x = dl__natural_width(row->cells[c], size), m;
			blank[c] &= row->cells[c][strspn(row->cells[c], " \n")] == '\0';
			if (x > nat[c])
				nat[c] = x;
			if (x > mn[c] && (m = dl__unbreakable_width(row->cells[c], size)) > mn[c])
				mn[c] = m;
		}
	}
	for (c = 0; c < n; c++) {
		if (blank[c])
			nat[c] = mn[c] = w[c] - pad; /* a column left blank to write in keeps its width */
		nat[c] += pad;
		mn[c] += pad;
		if (mn[c] > DL__CONTENT_W * 0.5)
			mn[c] = DL__CONTENT_W * 0.5;
		if (nat[c] < mn[c])
			nat[c] = mn[c];
		if (nat[c] < w[c])
			slack += w[c] - nat[c];
		else
			want += nat[c] - w[c];
	}
	if (slack > 0.0 && want > 0.0) {
		double give = slack < want ? slack : want, extra = slack - give, wsum = 0.0;
		for (c = 0; c < n; c++)
			if (nat[c] > w[c])
				wsum += b->u.table.weights[c];
		for (c = 0; c < n; c++) {
			if (nat[c] <= w[c])
				w[c] = nat[c];
			else
				w[c] += give * (nat[c] - w[c]) / want +
					(wsum > 0.0 ? extra * b->u.table.weights[c] / wsum : 0.0);
		}
	}
	for (c = 0; c < n; c++) {
		if (w[c] < mn[c])
			deficit += mn[c] - w[c];
		else
			spare += w[c] - mn[c];
	}
	if (deficit > 0.0 && spare > 0.0) {
		double take = deficit < spare ? deficit : spare;
		for (c = 0; c < n; c++) {
			if (w[c] < mn[c])
				w[c] += (mn[c] - w[c]) * take / deficit;
			else
				w[c] -= (w[c] - mn[c]) * take / spare;
		}
	}
}

/* Sets up the grid of a table block. */
static void dl__table_grid(const dl__block *b, dl__grid *g)
{
	double x = DL__MARGIN_X, w[DL__COLS_MAX];
	size_t c;

	memset(g, 0, sizeof(*g));
	g->ncols = b->u.table.ncols;
	g->size = 9.0;
	g->lead = 13.5;
	g->pad_x = 4.0;
	g->pad_y = 3.5;
	dl__table_widths(b, g->size, 2.0 * g->pad_x, w);
	for (c = 0; c < g->ncols; c++) {
		g->x[c] = x;
		x += w[c];
		g->align[c] = b->u.table.aligns[c];
	}
	g->x[g->ncols] = DL__MARGIN_X + DL__CONTENT_W;
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

/* Height of a whole row of the grid. */
static double dl__row_height(const dl__grid *g, const char *const *cells)
{
	return (double)dl__row_lines(g, cells) * g->lead + 2.0 * g->pad_y;
}

/*
 * Height of what must follow the table's last row on its page: a note (a small paragraph right after
 * the table, up to four of its lines), so that it is never left at the top of a page away from its
 * table.
 */
static double dl__table_tail(const dl__block *b)
{
	const dl__block *x = b->next;
	size_t lines;

	if (x == NULL || x->kind != DL__B_PARAGRAPH || !(x->u.para.flags & DL__PARA_SMALL))
		return 0.0;
	lines = dl__wrap_count(x->u.para.text, strlen(x->u.para.text), DL__SMALL_SIZE, DL__CONTENT_W);
	return 10.0 + (double)(lines < 4 ? lines : 4) * DL__SMALL_LEAD;
}

int dl__layout_table(dl__flow *f, const dl__block *b)
{
	const double capacity = DL__CONTENT_BOTTOM - DL__CONTENT_TOP;
	dl__grid g;
	dl__grid_state st;
	const dl__row *row;
	size_t k = 0, n = b->u.table.nrows;
	double tail = dl__table_tail(b);
	int rc;

	dl__table_grid(b, &g);
	row = b->u.table.rows;
	if ((rc = dl__grid_begin(f, &g, row ? dl__row_lines(&g, row->cells) : 0, &st)) < 0)
		return rc;
	for (; row != NULL; row = row->next, k++) {
		/*
		 * The last two rows and the note share a page: the last page of a table never holds
		 * one row alone, nor a note without its table.
		 */
		double need = 0.0;
		if (k + 2 == n && k > 0)
			need = dl__row_height(&g, row->cells) + dl__row_height(&g, row->next->cells) + tail;
		else if (k + 1 == n && k > 0)
			need = dl__row_height(&g, row->cells) + tail;
		if (need > 0.0 && !st.at_top && need > dl__flow_room(f) + 1e-6 &&
		    need + dl__header_height(&g) <= capacity) {
			if ((rc = dl__grid_new_page(f, &g)) < 0)
				return rc;
			st.at_top = 1;
			st.need_top = g.header == NULL;
		}
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
