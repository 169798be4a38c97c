/*
 * doc.c: building a dl__doc: validating the caller's blocks and copying them into the document's arena.
 *
 * All input checks of the report layer happen here, once, at the door: strings are valid UTF-8 without
 * stray control characters and within DL__TEXT_MAX, counts are within limits, numbers are finite. The
 * layout and the back ends can then trust the document. A block is linked in only when it was built
 * completely, so a failed call leaves the document as it was (its partial copies stay in the arena
 * until dl__doc_free()).
 */
#include "doc_blocks.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "text_measure.h"
#include "i18n.h"

/*
 * Copies s (NULL: "") into the arena as *out, normalising '\t' to ' ' and "\r\n", "\r" to '\n', and
 * rejecting invalid UTF-8, other control characters and texts over DL__TEXT_MAX bytes. `what` names
 * the text in messages ("paragraph text", "row 3, column 2 of the table": a msgid, translated there).
 */
static int dl__copy_text(dl__doc *doc, const char *s, const char *what, const char **out, dl_error *err)
{
	size_t len = 0, bad, i, o = 0;
	char *copy;

	if (s == NULL)
		s = "";
	while (len <= DL__TEXT_MAX && s[len] != '\0')
		len++;
	if (len > DL__TEXT_MAX)
		return dl__error_message(err, DL_EINVALID, _("%s is longer than %u bytes"), _(what), DL__TEXT_MAX);
	if (!dl__utf8_valid(s, len, &bad))
		return dl__error_message(err, DL_EINVALID, _("invalid UTF-8 in %s at byte %zu"), _(what), bad);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F)
			return dl__error_message(err, DL_EINVALID, _("control character 0x%02X in %s at byte %zu"),
					      c, _(what), i);
	}
	copy = dl__arena_alloc(doc->arena, len + 1);
	if (copy == NULL)
		return dl__error_nomem(err, _("copying report text"));
	for (i = 0; i < len; i++) {
		if (s[i] == '\t')
			copy[o++] = ' ';
		else if (s[i] == '\r') {
			copy[o++] = '\n';
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
		} else
			copy[o++] = s[i];
	}
	copy[o] = '\0';
	*out = copy;
	return 0;
}

/* Like dl__copy_text() but the text is required: NULL or "" is an error. */
static int dl__copy_required(dl__doc *doc, const char *s, const char *what, const char **out, dl_error *err)
{
	if (s == NULL || s[0] == '\0')
		return dl__error_message(err, DL_EINVALID, _("%s is missing"), _(what));
	return dl__copy_text(doc, s, what, out, err);
}

/* Allocates n zeroed elements of size bytes in the arena (n may be 0). */
static void *dl__doc_array(dl__doc *doc, size_t n, size_t size, dl_error *err)
{
	void *p = dl__arena_alloc(doc->arena, (n ? n : 1) * size);

	if (p == NULL)
		dl__error_nomem(err, _("copying a report block"));
	return p;
}

/* Allocates a zeroed block of the given kind in *out (not yet linked). */
static int dl__block_new(dl__doc *doc, dl__block_kind kind, dl__block **out, dl_error *err)
{
	dl__block *b;

	if (doc->nblocks >= DL__BLOCKS_MAX) {
		dl__error_message(err, DL_EINVALID, _("the report has more than %u blocks"), DL__BLOCKS_MAX);
		return DL_EINVALID;
	}
	b = dl__doc_array(doc, 1, sizeof(*b), err);
	if (b == NULL)
		return DL_ENOMEM;
	b->kind = kind;
	*out = b;
	return 0;
}

static void dl__block_link(dl__doc *doc, dl__block *b)
{
	if (doc->last != NULL)
		doc->last->next = b;
	else
		doc->first = b;
	doc->last = b;
	doc->nblocks++;
}

/* Copies n key-value pairs; `what` names the block in messages. */
static int dl__copy_kvs(dl__doc *doc, const dl__kv *pairs, size_t n, const char *what, dl__kvs *out,
			dl_error *err)
{
	char name[96];
	size_t i;
	int rc;

	if (n > DL__KV_MAX)
		return dl__error_message(err, DL_EINVALID, _("%s has more than %u lines"), _(what), DL__KV_MAX);
	if (n > 0 && pairs == NULL)
		return dl__error_message(err, DL_EINVALID, _("%s has %zu lines but no array"), _(what), n);
	out->keys = dl__doc_array(doc, n, sizeof(const char *), err);
	out->values = dl__doc_array(doc, n, sizeof(char *), err);
	if (out->keys == NULL || out->values == NULL)
		return DL_ENOMEM;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), _("key of line %zu of the %s"), i + 1, _(what));
		if ((rc = dl__copy_required(doc, pairs[i].key, name, &out->keys[i], err)) < 0)
			return rc;
		snprintf(name, sizeof(name), _("value of line %zu of the %s"), i + 1, _(what));
		if ((rc = dl__copy_text(doc, pairs[i].value, name, &out->values[i], err)) < 0)
			return rc;
	}
	out->n = n;
	return 0;
}

/* Checks a number is finite and within [lo, hi]. */
static int dl__check_number(double v, double lo, double hi, const char *what, dl_error *err)
{
	if (!isfinite(v) || v < lo || v > hi)
		return dl__error_message(err, DL_EINVALID, _("%s must be a number from %g to %g"), _(what), lo, hi);
	return 0;
}

int dl__doc_new(dl__doc **out, dl_error *err)
{
	dl__doc *doc = dl__calloc(1, sizeof(*doc));

	if (doc == NULL)
		return dl__error_nomem(err, _("creating a report"));
	doc->arena = dl__arena_new();
	if (doc->arena == NULL) {
		dl__free(doc);
		return dl__error_nomem(err, _("creating a report"));
	}
	doc->header = "";
	doc->footer_note = "";
	doc->info.title = doc->info.author = doc->info.subject = doc->info.keywords = "";
	*out = doc;
	return 0;
}

void dl__doc_free(dl__doc *doc)
{
	if (doc == NULL)
		return;
	dl__arena_delete(doc->arena);
	dl__free(doc);
}

int dl__doc_set_header(dl__doc *doc, const char *text, dl_error *err)
{
	const char *copy;
	int rc = dl__copy_text(doc, text, N_("page header"), &copy, err);

	if (rc == 0)
		doc->header = copy;
	return rc;
}

int dl__doc_set_info(dl__doc *doc, const dl__doc_info *info, dl_error *err)
{
	dl__doc_info copy;
	int rc;

	if (info == NULL)
		return dl__error_message(err, DL_EINVALID, _("document information is missing"));
	if ((rc = dl__copy_text(doc, info->title, N_("document title"), &copy.title, err)) < 0 ||
	    (rc = dl__copy_text(doc, info->author, N_("document author"), &copy.author, err)) < 0 ||
	    (rc = dl__copy_text(doc, info->subject, N_("document subject"), &copy.subject, err)) < 0 ||
	    (rc = dl__copy_text(doc, info->keywords, N_("document keywords"), &copy.keywords, err)) < 0)
		return rc;
	doc->info = copy;
	return 0;
}

int dl__doc_set_footer_note(dl__doc *doc, const char *text, dl_error *err)
{
	const char *copy;
	int rc = dl__copy_text(doc, text, N_("footer line"), &copy, err);

	if (rc == 0)
		doc->footer_note = copy;
	return rc;
}

int dl__doc_add_cover(dl__doc *doc, const dl__cover *cover, dl_error *err)
{
	dl__block *b;
	int rc;

	if (cover == NULL)
		return dl__error_message(err, DL_EINVALID, _("cover is missing"));
	if ((rc = dl__block_new(doc, DL__B_COVER, &b, err)) < 0)
		return rc;
	if ((rc = dl__copy_required(doc, cover->title, N_("cover title"), &b->u.cover.title, err)) < 0 ||
	    (rc = dl__copy_text(doc, cover->subtitle, N_("cover subtitle"), &b->u.cover.subtitle, err)) < 0 ||
	    (rc = dl__copy_text(doc, cover->date, N_("cover date"), &b->u.cover.date, err)) < 0 ||
	    (rc = dl__copy_kvs(doc, cover->lines, cover->nlines, N_("cover"), &b->u.cover.lines, err)) < 0)
		return rc;
	dl__block_link(doc, b);
	return 0;
}

int dl__doc_add_heading(dl__doc *doc, int level, const char *text, dl_error *err)
{
	dl__block *b;
	int rc;

	if (level != 1 && level != 2)
		return dl__error_message(err, DL_EINVALID, _("heading level %d is not 1 or 2"), level);
	if ((rc = dl__block_new(doc, DL__B_HEADING, &b, err)) < 0)
		return rc;
	b->u.heading.level = level;
	if ((rc = dl__copy_required(doc, text, N_("heading text"), &b->u.heading.text, err)) < 0)
		return rc;
	dl__block_link(doc, b);
	return 0;
}

int dl__doc_add_paragraph(dl__doc *doc, const char *text, unsigned flags, dl_error *err)
{
	dl__block *b;
	int rc;

	if ((rc = dl__block_new(doc, DL__B_PARAGRAPH, &b, err)) < 0)
		return rc;
	b->u.para.flags = flags & (DL__PARA_INDENT | DL__PARA_SMALL | DL__PARA_CENTER);
	if ((rc = dl__copy_text(doc, text, N_("paragraph text"), &b->u.para.text, err)) < 0)
		return rc;
	dl__block_link(doc, b);
	return 0;
}

int dl__doc_add_item(dl__doc *doc, const char *label, const char *text, dl_error *err)
{
	dl__block *b;
	int rc;

	if ((rc = dl__block_new(doc, DL__B_ITEM, &b, err)) < 0)
		return rc;
	if ((rc = dl__copy_text(doc, label, N_("list item label"), &b->u.item.label, err)) < 0 ||
	    (rc = dl__copy_text(doc, text, N_("list item text"), &b->u.item.text, err)) < 0)
		return rc;
	dl__block_link(doc, b);
	return 0;
}

int dl__doc_add_key_values(dl__doc *doc, const dl__kv *pairs, size_t n, unsigned flags, dl_error *err)
{
	dl__block *b;
	int rc;

	if (n == 0)
		return dl__error_message(err, DL_EINVALID, _("key-value block has no lines"));
	if ((rc = dl__block_new(doc, DL__B_KEY_VALUES, &b, err)) < 0)
		return rc;
	b->u.kv.flags = flags & DL__KV_SIGN;
	if ((rc = dl__copy_kvs(doc, pairs, n, N_("key-value block"), &b->u.kv.pairs, err)) < 0)
		return rc;
	dl__block_link(doc, b);
	return 0;
}

int dl__doc_add_table(dl__doc *doc, const dl__column *cols, size_t ncols, unsigned flags,
		      dl_error *err)
{
	char name[64];
	dl__block *b;
	size_t i;
	int rc;

	if (ncols == 0 || ncols > DL__COLS_MAX || cols == NULL)
		return dl__error_message(err, DL_EINVALID, _("a table needs 1 to %u columns"), DL__COLS_MAX);
	if ((rc = dl__block_new(doc, DL__B_TABLE, &b, err)) < 0)
		return rc;
	b->u.table.titles = dl__doc_array(doc, ncols, sizeof(char *), err);
	b->u.table.weights = dl__doc_array(doc, ncols, sizeof(double), err);
	b->u.table.aligns = dl__doc_array(doc, ncols, sizeof(int), err);
	if (b->u.table.titles == NULL || b->u.table.weights == NULL || b->u.table.aligns == NULL)
		return DL_ENOMEM;
	for (i = 0; i < ncols; i++) {
		snprintf(name, sizeof(name), _("title of table column %zu"), i + 1);
		if ((rc = dl__copy_text(doc, cols[i].title, name, &b->u.table.titles[i], err)) < 0)
			return rc;
		snprintf(name, sizeof(name), _("width of table column %zu"), i + 1);
		if ((rc = dl__check_number(cols[i].weight, 0.01, 1000.0, name, err)) < 0)
			return rc;
		if (cols[i].align < DL__ALIGN_LEFT || cols[i].align > DL__ALIGN_RIGHT)
			return dl__error_message(err, DL_EINVALID, _("alignment of table column %zu is invalid"),
					      i + 1);
		b->u.table.weights[i] = cols[i].weight;
		b->u.table.aligns[i] = cols[i].align;
	}
	b->u.table.ncols = ncols;
	b->u.table.header = (flags & DL__TABLE_NO_HEADER) ? 0 : 1;
	dl__block_link(doc, b);
	return 0;
}

int dl__doc_add_row(dl__doc *doc, const char *const *cells, dl_error *err)
{
	char name[80];
	dl__block *t = doc->last;
	dl__row *row;
	size_t i;
	int rc;

	if (t == NULL || t->kind != DL__B_TABLE)
		return dl__error_message(err, DL_EINVALID, _("a table row must follow its table"));
	if (t->u.table.nrows >= DL__ROWS_MAX)
		return dl__error_message(err, DL_EINVALID, _("a table has more than %u rows"), DL__ROWS_MAX);
	if (cells == NULL)
		return dl__error_message(err, DL_EINVALID, _("table row %zu has no cells"), t->u.table.nrows + 1);
	row = dl__doc_array(doc, 1, sizeof(*row), err);
	if (row == NULL || (row->cells = dl__doc_array(doc, t->u.table.ncols, sizeof(char *), err)) == NULL)
		return DL_ENOMEM;
	for (i = 0; i < t->u.table.ncols; i++) {
		snprintf(name, sizeof(name), _("row %zu, column %zu of the table"), t->u.table.nrows + 1, i + 1);
		if ((rc = dl__copy_text(doc, cells[i], name, &row->cells[i], err)) < 0)
			return rc;
	}
	if (t->u.table.last != NULL)
		t->u.table.last->next = row;
	else
		t->u.table.rows = row;
	t->u.table.last = row;
	t->u.table.nrows++;
	return 0;
}

/* Copies the legend names of nseries series (each required). */
static int dl__copy_series(dl__doc *doc, const char *const names[2], unsigned nseries, const char *what,
			   const char *out[2], dl_error *err)
{
	char name[64];
	unsigned s;
	int rc;

	out[0] = out[1] = "";
	if (nseries != 1 && nseries != 2)
		return dl__error_message(err, DL_EINVALID, _("%s must have 1 or 2 series"), _(what));
	for (s = 0; s < nseries; s++) {
		snprintf(name, sizeof(name), _("name of series %u of the %s"), s + 1, _(what));
		if ((rc = dl__copy_required(doc, names[s], name, &out[s], err)) < 0)
			return rc;
	}
	return 0;
}

int dl__doc_add_radar(dl__doc *doc, const dl__radar *spec, dl_error *err)
{
	char name[64];
	dl__block *b;
	size_t i;
	unsigned s;
	int rc;

	if (spec == NULL || spec->axes == NULL || spec->naxes < 3 || spec->naxes > DL__AXES_MAX)
		return dl__error_message(err, DL_EINVALID, _("a radar chart needs 3 to %u axes"), DL__AXES_MAX);
	if (spec->scale_max < 1 || spec->scale_max > 10)
		return dl__error_message(err, DL_EINVALID, _("radar scale maximum %u is not 1 to 10"),
				      spec->scale_max);
	if ((rc = dl__block_new(doc, DL__B_RADAR, &b, err)) < 0)
		return rc;
	if ((rc = dl__copy_series(doc, spec->series, spec->nseries, N_("radar chart"), b->u.radar.series, err)) < 0 ||
	    (rc = dl__copy_text(doc, spec->caption, N_("radar caption"), &b->u.radar.caption, err)) < 0 ||
	    (rc = dl__copy_text(doc, spec->marked_note, N_("radar legend"), &b->u.radar.marked_note, err)) < 0)
		return rc;
	b->u.radar.labels = dl__doc_array(doc, spec->naxes, sizeof(char *), err);
	b->u.radar.marked = dl__doc_array(doc, spec->naxes, sizeof(int), err);
	b->u.radar.values[0] = dl__doc_array(doc, spec->naxes, sizeof(double), err);
	b->u.radar.values[1] = dl__doc_array(doc, spec->naxes, sizeof(double), err);
	if (b->u.radar.labels == NULL || b->u.radar.marked == NULL || b->u.radar.values[0] == NULL ||
	    b->u.radar.values[1] == NULL)
		return DL_ENOMEM;
	for (i = 0; i < spec->naxes; i++) {
		snprintf(name, sizeof(name), _("label of radar axis %zu"), i + 1);
		if ((rc = dl__copy_required(doc, spec->axes[i].label, name, &b->u.radar.labels[i], err)) < 0)
			return rc;
		b->u.radar.marked[i] = spec->axes[i].marked != 0;
		for (s = 0; s < spec->nseries; s++) {
			snprintf(name, sizeof(name), _("value %u of radar axis %zu"), s + 1, i + 1);
			if ((rc = dl__check_number(spec->axes[i].value[s], -1e6, 1e6, name, err)) < 0)
				return rc;
			b->u.radar.values[s][i] = spec->axes[i].value[s];
		}
	}
	b->u.radar.naxes = spec->naxes;
	b->u.radar.nseries = spec->nseries;
	b->u.radar.scale_max = spec->scale_max;
	dl__block_link(doc, b);
	return 0;
}

int dl__doc_add_bars(dl__doc *doc, const dl__bars *spec, dl_error *err)
{
	char name[64];
	dl__block *b;
	size_t i;
	unsigned s;
	int rc;

	if (spec == NULL || spec->bars == NULL || spec->nbars < 1 || spec->nbars > DL__BARS_MAX)
		return dl__error_message(err, DL_EINVALID, _("a bar chart needs 1 to %u bars"), DL__BARS_MAX);
	if ((rc = dl__block_new(doc, DL__B_BARS, &b, err)) < 0)
		return rc;
	if ((rc = dl__copy_series(doc, spec->series, spec->nseries, N_("bar chart"), b->u.bars.series, err)) < 0 ||
	    (rc = dl__copy_text(doc, spec->caption, N_("bar chart caption"), &b->u.bars.caption, err)) < 0 ||
	    (rc = dl__copy_text(doc, spec->max_note, N_("bar chart legend"), &b->u.bars.max_note, err)) < 0)
		return rc;
	b->u.bars.flags = spec->flags & (DL__BARS_PERCENT | DL__BARS_COUNT);
	b->u.bars.labels = dl__doc_array(doc, spec->nbars, sizeof(char *), err);
	b->u.bars.max = dl__doc_array(doc, spec->nbars, sizeof(double), err);
	b->u.bars.values[0] = dl__doc_array(doc, spec->nbars, sizeof(double), err);
	b->u.bars.values[1] = dl__doc_array(doc, spec->nbars, sizeof(double), err);
	if (b->u.bars.labels == NULL || b->u.bars.max == NULL || b->u.bars.values[0] == NULL ||
	    b->u.bars.values[1] == NULL)
		return DL_ENOMEM;
	for (i = 0; i < spec->nbars; i++) {
		snprintf(name, sizeof(name), _("label of bar %zu"), i + 1);
		if ((rc = dl__copy_required(doc, spec->bars[i].label, name, &b->u.bars.labels[i], err)) < 0)
			return rc;
		snprintf(name, sizeof(name), _("maximum of bar %zu"), i + 1);
		if ((rc = dl__check_number(spec->bars[i].max, 1e-9, 1e9, name, err)) < 0)
			return rc;
		b->u.bars.max[i] = spec->bars[i].max;
		for (s = 0; s < spec->nseries; s++) {
			snprintf(name, sizeof(name), _("value %u of bar %zu"), s + 1, i + 1);
			if ((rc = dl__check_number(spec->bars[i].value[s], 0.0, 1e9, name, err)) < 0)
				return rc;
			b->u.bars.values[s][i] = spec->bars[i].value[s];
		}
	}
	b->u.bars.nbars = spec->nbars;
	b->u.bars.nseries = spec->nseries;
	dl__block_link(doc, b);
	return 0;
}

int dl__doc_add_page_break(dl__doc *doc, dl_error *err)
{
	dl__block *b;
	int rc;

	if ((rc = dl__block_new(doc, DL__B_PAGE_BREAK, &b, err)) < 0)
		return rc;
	dl__block_link(doc, b);
	return 0;
}

int dl__doc_add_space(dl__doc *doc, double points, dl_error *err)
{
	dl__block *b;
	int rc;

	if ((rc = dl__check_number(points, 0.0, 400.0, N_("vertical space"), err)) < 0)
		return rc;
	if ((rc = dl__block_new(doc, DL__B_SPACE, &b, err)) < 0)
		return rc;
	b->u.space.points = points;
	dl__block_link(doc, b);
	return 0;
}

int dl__doc_keep(dl__doc *doc, int begin, dl_error *err)
{
	dl__block *b;
	int rc;

	if ((begin != 0) == (doc->in_keep != 0))
		return dl__error_message(err, DL_EINVALID, begin ? _("keep-together groups do not nest")
								 : _("no keep-together group to end"));
	if ((rc = dl__block_new(doc, DL__B_KEEP, &b, err)) < 0)
		return rc;
	b->u.keep.begin = begin != 0;
	dl__block_link(doc, b);
	doc->in_keep = begin != 0;
	return 0;
}

int dl__doc_add_toc(dl__doc *doc, dl_error *err)
{
	dl__block *b;
	int rc;

	if ((rc = dl__block_new(doc, DL__B_TOC, &b, err)) < 0)
		return rc;
	dl__block_link(doc, b);
	return 0;
}
