/*
 * text_backend.c: the text back end: writes a laid-out document as stable UTF-8 text.
 *
 * Golden tests compare this dump instead of parsing PDF. It shows exactly the pagination the PDF gets
 * (both come from the same dl__layout): a marker per page with its printed number, then every dumped
 * item in placement order: text lines with their baseline, table rows and key-value lines as notes,
 * chart data as notes. Geometry-only items (rules, shapes, chart labels) are left out so the dump reads
 * like the document. Format, one item per line:
 *
 *   === page 2/7: 第 1 页 共 6 页 ===
 *   h1             y=  92.7  一、企业概况
 *   row            y= 210.0  12: 12 | 网络建设 | 8
 *
 * The document information comes first ("info title …", "info lang zh-CN"), the outline (the PDF's
 * bookmarks: "L1 page 3 y= 74.0  一、…", level-2 entries indented) last.
 *
 * y is the baseline, in points from the top of the page (for chart notes: the chart's top). A '\n'
 * inside a text is written as the two characters "\n", a backslash as "\\"; trailing spaces are cut.
 */
#include "buffer.h"
#include "layout_pages.h"
#include "i18n.h"

#include <stdio.h>
#include <string.h>

/* Appends text with '\n' and '\\' escaped. */
static void dl__tbuf_escaped(dl__buffer *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		if (*s == '\n' || *s == '\\') {
			dl__buffer_add(b, run, (size_t)(s - run));
			dl__buffer_str(b, *s == '\n' ? "\\n" : "\\\\");
			run = s + 1;
		}
	}
	dl__buffer_add(b, run, (size_t)(s - run));
}

int dl__text_render(const dl__layout *lay, char **out, size_t *len, dl_error *err)
{
	dl__buffer b = DL__BUFFER_INIT;
	const dl__page *pg;
	const dl__item *it;
	char line[160];

	snprintf(line, sizeof(line), "digilevel layout: %u pages, %u numbered\n", lay->npages, lay->numbered);
	dl__buffer_str(&b, line);
	if (lay->info.title[0] != '\0' || lay->info.author[0] != '\0') {
		const char *const keys[4] = {"title", "author", "subject", "keywords"};
		const char *const values[4] = {lay->info.title, lay->info.author, lay->info.subject,
					       lay->info.keywords};
		for (size_t i = 0; i < 4; i++) {
			snprintf(line, sizeof(line), "info %-9s ", keys[i]);
			dl__buffer_str(&b, line);
			dl__tbuf_escaped(&b, values[i]);
			dl__buffer_str(&b, "\n");
		}
		dl__buffer_str(&b, "info lang      zh-CN\n");
	}
	for (pg = lay->first; pg != NULL; pg = pg->next) {
		if (pg->cover)
			snprintf(line, sizeof(line), "=== page %u/%u: cover ===\n", pg->index, lay->npages);
		else
			snprintf(line, sizeof(line), "=== page %u/%u: 第 %u 页 共 %u 页 ===\n", pg->index, lay->npages,
				 pg->number, lay->numbered);
		dl__buffer_str(&b, line);
		for (it = pg->first; it != NULL; it = it->next) {
			if (!it->dump || (it->kind != DL__ITEM_TEXT && it->kind != DL__ITEM_NOTE))
				continue;
			snprintf(line, sizeof(line), "%-14s y=%6.1f  ", it->role, it->y);
			dl__buffer_str(&b, line);
			dl__tbuf_escaped(&b, it->text);
			while (!b.failed && b.len > 0 && b.data[b.len - 1] == ' ')
				b.data[--b.len] = '\0'; /* no trailing spaces: golden files survive editors */
			dl__buffer_str(&b, "\n");
		}
	}
	if (lay->marks != NULL)
		dl__buffer_str(&b, "=== outline ===\n");
	for (const dl__mark *m = lay->marks; m != NULL; m = m->next) {
		snprintf(line, sizeof(line), "%*sL%d page %u y=%6.1f  ", 2 * (m->level - 1), "", m->level,
			 m->page->index, m->y);
		dl__buffer_str(&b, line);
		dl__tbuf_escaped(&b, m->text);
		dl__buffer_str(&b, "\n");
	}
	if (b.failed) {
		dl__free(b.data);
		return dl__error_nomem(err, _("writing the layout dump"));
	}
	*out = b.data;
	*len = b.len;
	return 0;
}

int dl__doc_render_text(const dl__doc *doc, char **out, size_t *len, dl_error *err)
{
	dl__layout *lay = NULL;
	int rc;

	if ((rc = dl__layout_run(&lay, doc, err)) < 0)
		goto done;
	rc = dl__text_render(lay, out, len, err);
done:
	dl__layout_free(lay);
	return rc;
}
