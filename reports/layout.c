/*
 * layout.c: pagination of a dl__doc on A4: the block loop, the text blocks (cover, headings,
 * paragraphs, list items, spacing, page breaks) and the page furniture added once the page count is
 * known (header, "第 X 页 共 Y 页", footer line).
 *
 * The layout runs once per document and both back ends draw its result, which is what makes the text
 * dump show exactly the PDF's lines and pages. Tables and key-value blocks are in table.c, charts in
 * charts.c.
 */
#include "layout_pages.h"

#include <stdio.h>
#include <string.h>

#include "text_measure.h"

/* Baseline of a line of type `size` centred in a line box of height `lead` starting at `top`. */
static double dl__baseline(double top, double lead, double size)
{
	/* The CJK em box spans 0.88 em above to 0.12 em below the baseline: centre it in the box. */
	return top + lead / 2.0 + 0.38 * size;
}

/* Whether text takes more than one line of type `size` in `width`. */
static int dl__wraps(const char *text, size_t len, double size, double width)
{
	return memchr(text, '\n', len) != NULL || dl__text_width(text, len, size) > width;
}

/*
 * Places text as lines of `size` / `lead`, wrapped to `width` from x (or centred in the content width),
 * the first line indented by `indent`. role names the lines in the dump. With `justify`, every line that
 * ends at a soft break is marked to be stretched to the full width (Chinese body text is set flush on
 * both sides). A text of several lines starts on a new page rather than leave one line at the bottom.
 */
static int dl__place_lines(dl__flow *f, const char *role, const char *text, double x, double width,
			   double indent, int centre, int justify, double size, double lead, int bold)
{
	size_t len = strlen(text), a, e;
	dl__wrap w;
	int first = 1, rc;

	if (!centre && dl__wraps(text, len, size, width - indent) &&
	    (rc = dl__flow_reserve(f, 2.0 * lead)) < 0)
		return rc;
	dl__wrap_init(&w, text, len);
	while (dl__wrap_next(&w, size, first ? width - indent : width, &a, &e)) {
		double lx = centre ? x + width / 2.0 : x + (first ? indent : 0.0);
		if ((rc = dl__flow_reserve(f, lead)) < 0)
			return rc;
		if ((rc = dl__put_text(f, role, 1, lx, dl__baseline(f->y, lead, size),
				       centre ? DL__ALIGN_CENTER : DL__ALIGN_LEFT, size, bold, 0.0, text + a,
				       e - a)) < 0)
			return rc;
		if (justify && w.soft && w.pos < w.len)
			f->page->last->justify = first ? width - indent : width;
		f->y += lead;
		first = 0;
	}
	return 0;
}

static int dl__layout_paragraph(dl__flow *f, const dl__block *b)
{
	unsigned flags = b->u.para.flags;
	double size = (flags & DL__PARA_SMALL) ? DL__SMALL_SIZE : DL__BODY_SIZE;
	double lead = (flags & DL__PARA_SMALL) ? DL__SMALL_LEAD : DL__BODY_LEAD;
	int rc;

	rc = dl__place_lines(f, (flags & DL__PARA_SMALL) ? "small" : "p", b->u.para.text, DL__MARGIN_X,
			     DL__CONTENT_W, (flags & DL__PARA_INDENT) ? 2.0 * size : 0.0,
			     (flags & DL__PARA_CENTER) != 0, 1, size, lead, 0);
	if (rc < 0)
		return rc;
	f->y += 5.0;
	return 0;
}

/* Height of what must stay on the page of a heading placed before block b (NULL: nothing follows). */
static double dl__keep_height(const dl__block *b)
{
	if (b == NULL)
		return 0.0;
	switch (b->kind) {
	case DL__B_TABLE:
		return dl__table_lead_height(b);
	case DL__B_RADAR:
		return dl__radar_height(b);
	case DL__B_BARS:
		return dl__bars_height(b);
	case DL__B_KEY_VALUES:
	case DL__B_ITEM:
		return DL__BODY_LEAD;
	case DL__B_KEEP:
		return dl__keep_height(b->next);
	case DL__B_PAGE_BREAK:
	case DL__B_COVER:
		return 0.0;
	default:
		return 2.0 * DL__BODY_LEAD;
	}
}

/* Records an outline entry for a heading about to be placed at the cursor. */
static int dl__add_mark(dl__flow *f, int level, const char *text)
{
	dl__mark *m = dl__arena_alloc(f->lay->arena, sizeof(*m));
	char *copy;
	size_t n = strlen(text), i;

	if (m == NULL || (copy = dl__arena_alloc(f->lay->arena, n + 1)) == NULL)
		return dl__error_nomem(f->err, "recording a heading");
	for (i = 0; i <= n; i++)
		copy[i] = text[i] == '\n' ? ' ' : text[i];
	m->level = level;
	m->text = copy;
	m->page = f->page;
	m->y = f->y;
	if (f->lay->last_mark != NULL)
		f->lay->last_mark->next = m;
	else
		f->lay->marks = m;
	f->lay->last_mark = m;
	return 0;
}

static int dl__layout_heading(dl__flow *f, const dl__block *b)
{
	int h1 = b->u.heading.level == 1;
	double size = h1 ? 15.0 : 12.0, lead = h1 ? 26.0 : 21.0, before = h1 ? 12.0 : 6.0;
	double height = lead * (double)dl__wrap_count(b->u.heading.text, strlen(b->u.heading.text), size,
						      DL__CONTENT_W);
	double keep = dl__keep_height(b->next);
	int rc;

	/* Keep the heading with the start of what follows (two lines of text, a table's first row, a chart). */
	if (before + height + keep > DL__CONTENT_BOTTOM - DL__CONTENT_TOP)
		keep = 0.0;
	if ((rc = dl__flow_reserve(f, before + height + keep)) < 0)
		return rc;
	if (f->y > DL__CONTENT_TOP)
		f->y += before;
	if ((rc = dl__add_mark(f, b->u.heading.level, b->u.heading.text)) < 0)
		return rc;
	if ((rc = dl__place_lines(f, h1 ? "h1" : "h2", b->u.heading.text, DL__MARGIN_X, DL__CONTENT_W, 0.0,
				  0, 0, size, lead, 1)) < 0)
		return rc;
	if (h1 && (rc = dl__put_line(f, DL__MARGIN_X, f->y - 2.0, DL__MARGIN_X + DL__CONTENT_W, f->y - 2.0,
				     0.8, 0.25, DL__DASH_SOLID)) < 0)
		return rc;
	f->y += h1 ? 6.0 : 3.0;
	return 0;
}

/*
 * A list item: its label ("1.", "•") in the margin, the text hanging beside it. The label is kept
 * with the text's first two lines (the whole text when it is one line), so it is never left alone
 * at the foot of a page while its text starts on the next.
 */
static int dl__layout_item(dl__flow *f, const dl__block *b)
{
	const char *label = b->u.item.label, *text = b->u.item.text;
	double lw = dl__text_width(label, strlen(label), DL__BODY_SIZE);
	double hang = lw + 0.5 * DL__BODY_SIZE, keep;
	int rc;

	if (hang < 2.5 * DL__BODY_SIZE)
		hang = 2.5 * DL__BODY_SIZE; /* labels up to "99." line up */
	if (hang > DL__CONTENT_W / 3.0)
		hang = DL__CONTENT_W / 3.0;
	keep = dl__wraps(text, strlen(text), DL__BODY_SIZE, DL__CONTENT_W - hang)
		   ? 2.0 * DL__BODY_LEAD
		   : DL__BODY_LEAD;
	if ((rc = dl__flow_reserve(f, keep)) < 0)
		return rc;
	if (label[0] != '\0' &&
	    (rc = dl__put_text(f, "label", 1, DL__MARGIN_X, dl__baseline(f->y, DL__BODY_LEAD, DL__BODY_SIZE),
			       DL__ALIGN_LEFT, DL__BODY_SIZE, 0, 0.0, label, strlen(label))) < 0)
		return rc;
	if ((rc = dl__place_lines(f, "li", text, DL__MARGIN_X + hang, DL__CONTENT_W - hang, 0.0, 0,
				  1, DL__BODY_SIZE, DL__BODY_LEAD, 0)) < 0)
		return rc;
	f->y += 3.0;
	return 0;
}

/* The cover: title, subtitle, key-value lines with writing lines under the values, date. */
static int dl__layout_cover(dl__flow *f, const dl__block *b)
{
	const dl__kvs *kv = &b->u.cover.lines;
	double block_w = 380.0, x0 = (DL__PAGE_W - block_w) / 2.0, key_w = 0.0, vx, vw;
	double rows = 0.0, pitch = 30.0, top, bottom = b->u.cover.date[0] != '\0' ? 680.0 : 760.0;
	size_t i;
	int rc;

	if (f->page == NULL || !f->fresh) {
		if ((rc = dl__flow_new_page(f, 1)) < 0)
			return rc;
	}
	f->page->cover = 1;
	f->fresh = 0;
	f->y = 200.0;
	if ((rc = dl__place_lines(f, "cover-title", b->u.cover.title, DL__MARGIN_X + 20.0,
				  DL__CONTENT_W - 40.0, 0.0, 1, 0, 26.0, 40.0, 1)) < 0)
		return rc;
	if (b->u.cover.subtitle[0] != '\0') {
		f->y += 10.0;
		if ((rc = dl__place_lines(f, "cover-subtitle", b->u.cover.subtitle, DL__MARGIN_X + 20.0,
					  DL__CONTENT_W - 40.0, 0.0, 1, 0, 15.0, 24.0, 0)) < 0)
			return rc;
	}
	for (i = 0; i < kv->n; i++) {
		double kw = dl__text_width(kv->keys[i], strlen(kv->keys[i]), 13.0);
		if (kw > key_w)
			key_w = kw;
	}
	if (key_w > block_w * 0.4)
		key_w = block_w * 0.4;
	vx = x0 + key_w + 8.0;
	vw = x0 + block_w - vx;
	/*
	 * The lines sit between y 420 and the date (690) at 30 pt a line. Long values (an enterprise
	 * name of 80 characters takes four lines) first move the block up, then tighten the lines to
	 * 22 pt, so the cover stays one page and the verdict stays on it.
	 */
	for (i = 0; i < kv->n; i++) {
		size_t kl = dl__wrap_count(kv->keys[i], strlen(kv->keys[i]), 13.0, key_w);
		size_t vl = dl__wrap_count(kv->values[i], strlen(kv->values[i]), 13.0, vw);
		rows += (double)(kl > vl ? kl : vl);
	}
	top = f->y + 24.0 > 420.0 ? f->y + 24.0 : 420.0;
	if (top + rows * pitch > bottom)
		top = f->y + 24.0 > bottom - rows * pitch ? f->y + 24.0 : bottom - rows * pitch;
	if (top + rows * pitch > bottom && rows > 0.0)
		pitch = (bottom - top) / rows < 22.0 ? 22.0 : (bottom - top) / rows;
	f->y = top;
	for (i = 0; i < kv->n; i++) {
		const char *v = kv->values[i];
		dl__wrap kw, vwr;
		size_t ka, ke, va, ve;
		int kmore = 1, vmore = 1;

		if ((rc = dl__put_note(f, "cover-line", dl__baseline(f->y, pitch, 13.0), "%s | %s", kv->keys[i], v)) < 0)
			return rc;
		dl__wrap_init(&kw, kv->keys[i], strlen(kv->keys[i]));
		dl__wrap_init(&vwr, v, strlen(v));
		while (kmore || vmore) {
			double base;
			if (f->y + pitch > DL__CONTENT_BOTTOM) {
				/* A cover too long for one page even so continues on another cover page. */
				if ((rc = dl__flow_new_page(f, 1)) < 0)
					return rc;
				f->fresh = 0;
			}
			base = dl__baseline(f->y, pitch, 13.0);
			kmore = kmore && dl__wrap_next(&kw, 13.0, key_w, &ka, &ke);
			vmore = vmore && dl__wrap_next(&vwr, 13.0, vw, &va, &ve);
			if (!kmore && !vmore)
				break;
			if (kmore && (rc = dl__put_text(f, "cover-key", 0, x0 + key_w, base, DL__ALIGN_RIGHT, 13.0,
							1, 0.0, kv->keys[i] + ka, ke - ka)) < 0)
				return rc;
			if (vmore && (rc = dl__put_text(f, "cover-value", 0, vx + vw / 2.0, base, DL__ALIGN_CENTER,
							13.0, 0, 0.0, v + va, ve - va)) < 0)
				return rc;
			if ((rc = dl__put_line(f, vx, base + 5.0, vx + vw, base + 5.0, 0.6, 0.0, DL__DASH_SOLID)) < 0)
				return rc;
			f->y += pitch;
		}
	}
	if (b->u.cover.date[0] != '\0') {
		f->y = f->y < 690.0 ? 690.0 : f->y + 20.0;
		if ((rc = dl__place_lines(f, "cover-date", b->u.cover.date, DL__MARGIN_X, DL__CONTENT_W, 0.0, 1, 0,
					  14.0, 24.0, 0)) < 0)
			return rc;
	}
	/* The next block starts on a new page. */
	f->y = DL__CONTENT_BOTTOM + 1.0;
	return 0;
}

static int dl__layout_block(dl__flow *f, const dl__block *b);

/*
 * The start of a keep-together group: lays the group's blocks out on a scratch page to learn its
 * height, then makes that much room (a new page when the rest of this one is too short). The blocks
 * themselves are then laid out by the main loop as usual. A group taller than a page reserves
 * nothing.
 */
static int dl__layout_keep(dl__flow *f, const dl__block *b)
{
	dl__layout scratch;
	dl__flow g;
	const dl__block *x;
	double h;
	int rc = 0;

	memset(&scratch, 0, sizeof(scratch));
	scratch.arena = dl__arena_new();
	if (scratch.arena == NULL)
		return dl__error_nomem(f->err, "measuring a keep-together group");
	memset(&g, 0, sizeof(g));
	g.lay = &scratch;
	g.err = f->err;
	g.measuring = 1;
	if ((rc = dl__flow_new_page(&g, 0)) < 0)
		goto done;
	for (x = b->next; x != NULL && x->kind != DL__B_KEEP && rc >= 0; x = x->next)
		rc = dl__layout_block(&g, x);
	if (rc < 0)
		goto done;
	/* 12 pt: the space a heading leaves above itself except at the top of a page */
	h = g.y - DL__CONTENT_TOP + 12.0;
	if (scratch.npages == 1 && h <= DL__CONTENT_BOTTOM - DL__CONTENT_TOP)
		rc = dl__flow_reserve(f, h);
	if (rc >= 0 && f->page != NULL && f->y <= DL__CONTENT_TOP + 1e-6)
		f->fresh = 1; /* a group at the top of a page: still fresh for a page break */
done:
	dl__arena_delete(scratch.arena);
	return rc;
}

/*
 * A table of contents: every level-1 heading after block b, with a dotted leader and its page number
 * (known on the layout's second pass; the first pass prints the same lines with a placeholder).
 */
static int dl__layout_toc(dl__flow *f, const dl__block *b)
{
	const double size = DL__BODY_SIZE, lead = 24.0, num_w = 60.0;
	const dl__block *x;
	size_t k = 0;
	int rc;

	for (x = b->next; x != NULL; x = x->next) {
		char number[32];
		const char *text;
		double base = 0.0, tw = 0.0;
		size_t len, a, e;
		dl__wrap w;

		if (x->kind != DL__B_HEADING || x->u.heading.level != 1)
			continue;
		text = x->u.heading.text;
		len = strlen(text);
		if (f->toc_pages != NULL && k < f->toc_count)
			snprintf(number, sizeof(number), "%u", f->toc_pages[k]);
		else
			snprintf(number, sizeof(number), "%s", "…");
		k++;
		dl__wrap_init(&w, text, len);
		while (dl__wrap_next(&w, size, DL__CONTENT_W - num_w, &a, &e)) {
			if ((rc = dl__flow_reserve(f, lead)) < 0)
				return rc;
			base = dl__baseline(f->y, lead, size);
			if ((rc = dl__put_text(f, "toc", 1, DL__MARGIN_X, base, DL__ALIGN_LEFT, size, 0, 0.0,
					       text + a, e - a)) < 0)
				return rc;
			tw = dl__text_width(text + a, e - a, size);
			f->y += lead;
		}
		if ((rc = dl__put_line(f, DL__MARGIN_X + tw + 6.0, base + 1.0,
				       DL__MARGIN_X + DL__CONTENT_W - 30.0, base + 1.0, 0.8, 0.35,
				       DL__DASH_DOTTED)) < 0 ||
		    (rc = dl__put_text(f, "toc-page", 1, DL__MARGIN_X + DL__CONTENT_W, base, DL__ALIGN_RIGHT,
				       size, 0, 0.0, number, strlen(number))) < 0)
			return rc;
	}
	f->y += 6.0;
	return 0;
}

static int dl__layout_block(dl__flow *f, const dl__block *b)
{
	switch (b->kind) {
	case DL__B_COVER:
		return dl__layout_cover(f, b);
	case DL__B_HEADING:
		return dl__layout_heading(f, b);
	case DL__B_PARAGRAPH:
		return dl__layout_paragraph(f, b);
	case DL__B_ITEM:
		return dl__layout_item(f, b);
	case DL__B_KEY_VALUES:
		return dl__layout_key_values(f, b);
	case DL__B_TABLE:
		return dl__layout_table(f, b);
	case DL__B_RADAR:
		return dl__layout_radar(f, b);
	case DL__B_BARS:
		return dl__layout_bars(f, b);
	case DL__B_PAGE_BREAK:
		if (f->page != NULL && !f->fresh)
			return dl__flow_new_page(f, 0);
		return 0;
	case DL__B_SPACE:
		if (f->page != NULL && !f->fresh)
			f->y += b->u.space.points;
		return 0;
	case DL__B_KEEP:
		return b->u.keep.begin ? dl__layout_keep(f, b) : 0;
	case DL__B_TOC:
		return dl__layout_toc(f, b);
	}
	return dl__error_message(f->err, DL_EINVALID, "unknown report block kind %d", (int)b->kind);
}

/*
 * Places up to max_lines lines of text in type `size`, centred, the first baseline at `base` and the
 * next ones `step` further (negative: upwards). When text needs more lines, the last one shown ends
 * with "…".
 */
static int dl__furniture_lines(dl__flow *f, const char *role, const char *text, double base, double step,
			       unsigned max_lines, double size)
{
	static const char ellipsis[] = "\xE2\x80\xA6";
	char buf[1024];
	dl__wrap w;
	size_t a, e;
	unsigned n;
	int rc;

	dl__wrap_init(&w, text, strlen(text));
	for (n = 0; n < max_lines; n++) {
		int last = n + 1 == max_lines;
		if (!dl__wrap_next(&w, size, DL__CONTENT_W - (last ? size : 0.0), &a, &e))
			break;
		if (last && w.pos < w.len && e - a + sizeof(ellipsis) <= sizeof(buf)) {
			memcpy(buf, text + a, e - a);
			memcpy(buf + (e - a), ellipsis, sizeof(ellipsis));
			rc = dl__put_text(f, role, 1, DL__PAGE_W / 2.0, base, DL__ALIGN_CENTER, size, 0, 0.3, buf,
					  strlen(buf));
		} else
			rc = dl__put_text(f, role, 1, DL__PAGE_W / 2.0, base, DL__ALIGN_CENTER, size, 0, 0.3,
					  text + a, e - a);
		if (rc < 0)
			return rc;
		base += step;
	}
	return 0;
}

/* Moves the items appended after `mark` (NULL: all) to the front of the page's list. */
static void dl__move_to_front(dl__page *pg, dl__item *mark)
{
	dl__item *head = mark != NULL ? mark->next : pg->first;
	dl__item *tail = pg->last;

	if (mark == NULL || head == NULL)
		return; /* nothing new, or the new items already are the whole list */
	mark->next = NULL;
	pg->last = mark;
	tail->next = pg->first;
	pg->first = head;
}

void dl__doc_set_draft(dl__doc *doc)
{
	doc->draft = 1;
}

/* The draft mark in the top right corner of page pg, above the header (every page of a draft). */
static int dl__draft_mark(dl__flow *f, dl__page *pg)
{
	static const char mark[] = "草稿";
	dl__item *before = pg->last;
	int rc;

	f->page = pg;
	if ((rc = dl__put_text(f, "draft", 1, DL__PAGE_W - DL__MARGIN_X, 28.0, DL__ALIGN_RIGHT, 14.0, 1,
			       0.0, mark, strlen(mark))) < 0)
		return rc;
	dl__move_to_front(pg, before);
	return 0;
}

/*
 * Adds the header, the footer line and the page number to every page that is not a cover; to a
 * draft, the draft mark to every page.
 */
static int dl__furnish(dl__flow *f, const dl__doc *doc)
{
	char number[64];
	dl__page *pg;
	unsigned n = 0;
	int rc;

	for (pg = f->lay->first; pg != NULL; pg = pg->next)
		if (!pg->cover)
			pg->number = ++n;
	f->lay->numbered = n;
	for (pg = f->lay->first; pg != NULL; pg = pg->next) {
		dl__item *mark = pg->last;
		if (doc->draft && (rc = dl__draft_mark(f, pg)) < 0)
			return rc;
		if (pg->cover)
			continue;
		mark = pg->last;
		f->page = pg;
		if (doc->header[0] != '\0') {
			/* one line at 48; two lines at 38 and 48, read top-down */
			size_t lines = dl__wrap_count(doc->header, strlen(doc->header), 8.5, DL__CONTENT_W);
			if ((rc = dl__furniture_lines(f, "header", doc->header, lines > 1 ? 38.0 : 48.0, 10.0, 2,
						      8.5)) < 0 ||
			    (rc = dl__put_line(f, DL__MARGIN_X, 56.0, DL__PAGE_W - DL__MARGIN_X, 56.0, 0.5, 0.45,
					       DL__DASH_SOLID)) < 0)
				return rc;
			dl__move_to_front(pg, mark);
		}
		if ((rc = dl__put_line(f, DL__MARGIN_X, 786.0, DL__PAGE_W - DL__MARGIN_X, 786.0, 0.5, 0.45,
				       DL__DASH_SOLID)) < 0)
			return rc;
		if (doc->footer_note[0] != '\0' &&
		    (rc = dl__furniture_lines(f, "footer-note", doc->footer_note, 798.0, 9.0, 2, 7.0)) < 0)
			return rc;
		snprintf(number, sizeof(number), "%s第 %u 页 共 %u 页", doc->draft ? "草稿 · " : "",
			 pg->number, n);
		if ((rc = dl__put_text(f, "footer", 1, DL__PAGE_W / 2.0, 821.0, DL__ALIGN_CENTER, 9.0, 0, 0.2,
				       number, strlen(number))) < 0)
			return rc;
	}
	return 0;
}

/* One layout pass over doc; toc_pages (NULL on the first pass) as dl__flow says. */
static int dl__layout_pass(dl__layout **out, const dl__doc *doc, const unsigned *toc_pages,
			   size_t toc_count, dl_error *err)
{
	dl__layout *lay;
	dl__flow f;
	const dl__block *b;
	int rc;

	lay = dl__calloc(1, sizeof(*lay));
	if (lay == NULL)
		return dl__error_nomem(err, "laying out a report");
	lay->arena = dl__arena_new();
	if (lay->arena == NULL) {
		rc = dl__error_nomem(err, "laying out a report");
		goto done;
	}
	memset(&f, 0, sizeof(f));
	f.lay = lay;
	f.err = err;
	f.toc_pages = toc_pages;
	f.toc_count = toc_count;
	for (b = doc->first; b != NULL; b = b->next) {
		if ((rc = dl__layout_block(&f, b)) < 0)
			goto done;
	}
	if (lay->npages == 0 && (rc = dl__flow_new_page(&f, 0)) < 0)
		goto done;
	if ((rc = dl__furnish(&f, doc)) < 0)
		goto done;
	lay->info.title = dl__flow_concat(&f, doc->info.title, "");
	lay->info.author = dl__flow_concat(&f, doc->info.author, "");
	lay->info.subject = dl__flow_concat(&f, doc->info.subject, "");
	lay->info.keywords = dl__flow_concat(&f, doc->info.keywords, "");
	if (lay->info.title == NULL || lay->info.author == NULL || lay->info.subject == NULL ||
	    lay->info.keywords == NULL) {
		rc = DL_ENOMEM;
		goto done;
	}
	*out = lay;
	lay = NULL;
	rc = 0;
done:
	dl__layout_free(lay);
	return rc;
}

int dl__layout_run(dl__layout **out, const dl__doc *doc, dl_error *err)
{
	dl__layout *lay = NULL;
	const dl__block *b;
	const dl__mark *m;
	unsigned *pages = NULL;
	size_t before = 0, n = 0, k = 0;
	int toc = 0, rc;

	for (b = doc->first; b != NULL; b = b->next) {
		if (b->kind == DL__B_TOC)
			toc = 1;
		else if (b->kind == DL__B_HEADING && b->u.heading.level == 1)
			*(toc ? &n : &before) += 1;
	}
	if ((rc = dl__layout_pass(&lay, doc, NULL, 0, err)) < 0 || !toc || n == 0)
		goto done;
	/* The contents need the page of each heading: the second pass prints the first pass's. */
	pages = dl__calloc(n, sizeof(*pages));
	if (pages == NULL) {
		rc = dl__error_nomem(err, "laying out the table of contents");
		goto done;
	}
	for (m = lay->marks; m != NULL; m = m->next) {
		if (m->level != 1)
			continue;
		if (k >= before && k - before < n)
			pages[k - before] = m->page->number;
		k++;
	}
	dl__layout_free(lay);
	lay = NULL;
	rc = dl__layout_pass(&lay, doc, pages, n, err);
done:
	dl__free(pages);
	if (rc < 0) {
		dl__layout_free(lay);
		return rc;
	}
	*out = lay;
	return 0;
}

void dl__layout_free(dl__layout *lay)
{
	if (lay == NULL)
		return;
	dl__arena_delete(lay->arena);
	dl__free(lay);
}

size_t dl__layout_page_count(const dl__layout *lay)
{
	return lay->npages;
}
