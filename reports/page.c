/*
 * page.c: the flow cursor and the item emitters that fill the laid-out pages.
 *
 * Every layouter places content through these few functions, so the page model has one writer: items
 * and their strings go into the layout's arena, pages are counted against DL__PAGES_MAX, and the cursor
 * rules (what "fits", when a page breaks) are defined once.
 */
#include "layout_pages.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text_measure.h"
#include "i18n.h"

int dl__flow_new_page(dl__flow *f, int cover)
{
	dl__layout *lay = f->lay;
	dl__page *pg;

	if (lay->npages >= DL__PAGES_MAX)
		return dl__error_message(f->err, DL_EINVALID, _("the report is longer than %u pages"),
				      DL__PAGES_MAX);
	pg = dl__arena_alloc(lay->arena, sizeof(*pg));
	if (pg == NULL)
		return dl__error_nomem(f->err, _("adding a page"));
	pg->index = ++lay->npages;
	pg->cover = cover;
	if (lay->last != NULL)
		lay->last->next = pg;
	else
		lay->first = pg;
	lay->last = pg;
	f->page = pg;
	f->y = DL__CONTENT_TOP;
	f->fresh = 1;
	return 0;
}

int dl__flow_reserve(dl__flow *f, double h)
{
	int rc;

	if (f->page == NULL || (!f->fresh && f->y + h > DL__CONTENT_BOTTOM + 1e-6)) {
		if ((rc = dl__flow_new_page(f, 0)) < 0)
			return rc;
	}
	f->fresh = 0;
	return 0;
}

double dl__flow_room(const dl__flow *f)
{
	return DL__CONTENT_BOTTOM - f->y;
}

/* Appends a zeroed item of the given kind to the current page. */
static dl__item *dl__push(dl__flow *f, dl__item_kind kind)
{
	dl__item *it = dl__arena_alloc(f->lay->arena, sizeof(*it));

	if (it == NULL) {
		dl__error_nomem(f->err, _("placing report content"));
		return NULL;
	}
	it->kind = kind;
	it->paint.stroke = -1.0;
	it->paint.fill = -1.0;
	if (f->page->last != NULL)
		f->page->last->next = it;
	else
		f->page->first = it;
	f->page->last = it;
	return it;
}

int dl__put_text(dl__flow *f, const char *role, int dump, double x, double y, int align, double size,
		 int bold, double grey, const char *s, size_t len)
{
	dl__item *it = dl__push(f, DL__ITEM_TEXT);

	if (it == NULL)
		return DL_ENOMEM;
	it->role = role;
	it->dump = dump;
	it->w = dl__text_width(s, len, size);
	it->x = align == DL__ALIGN_CENTER ? x - it->w / 2.0 : align == DL__ALIGN_RIGHT ? x - it->w : x;
	it->y = y;
	it->align = align;
	it->size = size;
	it->bold = bold;
	it->paint.fill = grey;
	it->text = dl__arena_strndup(f->lay->arena, s, len);
	if (it->text == NULL)
		return dl__error_nomem(f->err, _("placing report text"));
	return 0;
}

int dl__put_line(dl__flow *f, double x1, double y1, double x2, double y2, double width, double grey,
		 int dash)
{
	dl__item *it = dl__push(f, DL__ITEM_LINE);

	if (it == NULL)
		return DL_ENOMEM;
	it->x = x1;
	it->y = y1;
	it->x2 = x2;
	it->y2 = y2;
	it->paint.stroke = grey;
	it->paint.width = width;
	it->paint.dash = dash;
	return 0;
}

int dl__put_rect(dl__flow *f, double x, double y, double w, double h, const dl__paint *paint)
{
	dl__item *it = dl__push(f, DL__ITEM_RECT);

	if (it == NULL)
		return DL_ENOMEM;
	it->x = x;
	it->y = y;
	it->w = w;
	it->h = h;
	it->paint = *paint;
	return 0;
}

int dl__put_poly(dl__flow *f, const double *pts, size_t npts, int closed, const dl__paint *paint)
{
	dl__item *it = dl__push(f, DL__ITEM_POLY);
	double *copy;

	if (it == NULL)
		return DL_ENOMEM;
	copy = dl__arena_alloc(f->lay->arena, 2 * npts * sizeof(double));
	if (copy == NULL)
		return dl__error_nomem(f->err, _("placing a chart"));
	memcpy(copy, pts, 2 * npts * sizeof(double));
	it->pts = copy;
	it->npts = npts;
	it->closed = closed;
	it->paint = *paint;
	return 0;
}

int dl__put_circle(dl__flow *f, double cx, double cy, double r, const dl__paint *paint)
{
	dl__item *it = dl__push(f, DL__ITEM_CIRCLE);

	if (it == NULL)
		return DL_ENOMEM;
	it->x = cx;
	it->y = cy;
	it->w = r;
	it->paint = *paint;
	return 0;
}

int dl__put_note(dl__flow *f, const char *role, double y, const char *fmt, ...)
{
	dl__item *it = dl__push(f, DL__ITEM_NOTE);
	va_list ap;
	int n;
	char *s;

	if (it == NULL)
		return DL_ENOMEM;
	it->role = role;
	it->dump = 1;
	it->y = y;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	s = dl__arena_alloc(f->lay->arena, (size_t)n + 1);
	if (s == NULL)
		return dl__error_nomem(f->err, _("placing a report note"));
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	it->text = s;
	return 0;
}

const char *dl__flow_concat(dl__flow *f, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = dl__arena_alloc(f->lay->arena, la + lb + 1);

	if (s == NULL) {
		dl__error_nomem(f->err, _("placing report text"));
		return NULL;
	}
	memcpy(s, a, la);
	memcpy(s + la, b, lb);
	s[la + lb] = '\0';
	return s;
}

void dl__format_number(double v, char *buf, size_t size)
{
	size_t n;

	if (size == 0)
		return;
	snprintf(buf, size, "%.4f", v);
	if (strchr(buf, '.') == NULL)
		return;
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, size, "0");
}
