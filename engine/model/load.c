/*
 * load.c: the load steps and builder helpers the four XML loaders share (see load.h).
 *
 * One copy of the sequence read, parse and validate, build into an arena, check, so that every
 * format frees the same things on every failure and reports running out of memory the same way.
 */
#include "load.h"

#include "alloc.h"
#include "i18n.h"
#include "decimal.h"
#include "sheet_fields.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

static dl__arena *arena_of(const dl__loader *l, void *obj)
{
	return (dl__arena *)((char *)obj + l->arena_at);
}

static void free_object(const dl__loader *l, void *obj)
{
	if (!obj)
		return;
	dl__arena_free(arena_of(l, obj));
	dl__free(obj);
}

/* keep: a document refused for what it says (DL_EINVALID) is handed back all the same */
static int load_owned(const dl__loader *l, void **out, char *data, size_t len, const char *name,
		      unsigned long line_offset, const dl__cell_map *cells, bool keep,
		      const dl_load_options *opts, dl_error *err)
{
	assert(l && out && name);
	dl__xml x = {NULL, NULL, 0, 0, NULL, 0, false, l->schema};
	dl__builder b = {NULL, NULL, NULL, false, 0, &x, keep};
	dl__diag d;
	int rc = dl__load_options_check(opts, err);
	if (rc < 0) {
		dl__free(data);
		return rc;
	}
	dl__diag_init(&d, opts, err, name);
	d.line_offset = line_offset;
	d.cells = cells;
	rc = dl__xml_load(&x, data, len, l->root, l->schema, opts ? opts->max_file_size : 0, &d);
	if (rc < 0)
		goto done;
	b.obj = dl__calloc(1, l->size);
	if (!b.obj) {
		rc = dl__diag_report(&d, DL_ENOMEM, 0, 0, _("out of memory"));
		goto done;
	}
	b.arena = arena_of(l, b.obj);
	b.d = &d;
	const char *path = dl__arena_strdup(b.arena, name);
	*(const char **)((char *)b.obj + l->path_at) = path;
	if (!path)
		b.oom = true;
	else
		l->build(&b, &x);
	if (b.oom) {
		rc = dl__diag_report(&d, DL_ENOMEM, 0, 0, _("out of memory"));
		goto done;
	}
	if (x.invalid < 0) { /* the schema's problems and the builder's are reported: refused */
		rc = x.invalid;
	} else {
		rc = l->check ? l->check(b.obj, &d) : 0;
		if (b.rc < 0 && rc == 0)
			rc = b.rc;
	}
	if (rc < 0 && !(keep && rc == DL_EINVALID && l->refused))
		goto done;
	if (rc < 0)
		l->refused(b.obj);
	*out = b.obj;
	b.obj = NULL;
done:
	free_object(l, b.obj);
	dl__xml_free(&x);
	return rc;
}

int dl__load_owned(const dl__loader *l, void **out, char *data, size_t len, const char *name,
		   unsigned long line_offset, const dl_load_options *opts, dl_error *err)
{
	return load_owned(l, out, data, len, name, line_offset, NULL, false, opts, err);
}

int dl__load_owned_keeping(const dl__loader *l, void **out, char *data, size_t len, const char *name,
			   const dl_load_options *opts, dl_error *err)
{
	return load_owned(l, out, data, len, name, 0, NULL, true, opts, err);
}

int dl__load_owned_cells(const dl__loader *l, void **out, char *data, size_t len, const char *name,
			 const dl__cell_map *cells, const dl_load_options *opts, dl_error *err)
{
	return load_owned(l, out, data, len, name, 0, cells, false, opts, err);
}

int dl__load_memory(const dl__loader *l, void **out, const char *data, size_t len, const char *name,
		    const dl_load_options *opts, dl_error *err)
{
	assert(out && (data || len == 0) && name);
	char *copy = dl__malloc(len + 1);
	if (!copy)
		return dl__error_set(err, DL_ENOMEM, name, 0, 0, _("out of memory"));
	if (len)
		memcpy(copy, data, len);
	copy[len] = '\0';
	return dl__load_owned(l, out, copy, len, name, 0, opts, err);
}

int dl__load_file(const dl__loader *l, void **out, const char *path, const dl_load_options *opts,
		  dl_error *err)
{
	assert(out && path);
	char *data = NULL;
	size_t len = 0;
	dl__diag d;
	int rc = dl__load_options_check(opts, err);
	if (rc < 0)
		return rc;
	dl__diag_init(&d, opts, err, path);
	rc = dl__xml_read_file(path, opts ? opts->max_file_size : 0, &data, &len, &d);
	if (rc < 0)
		return rc;
	return dl__load_owned(l, out, data, len, path, 0, opts, err);
}

/* --- builder helpers -------------------------------------------------------------------------- */

dl__pos dl__build_pos(const xmlNode *n)
{
	dl__pos p = {dl__xml_line(n), dl__xml_column(n)};
	return p;
}

const char *dl__build_attr(dl__builder *b, const xmlNode *n, const char *name, const char *fallback)
{
	const char *v = dl__xml_attr(b->arena, n, name, &b->oom);
	return v ? v : fallback;
}

bool dl__build_attr_bool(dl__builder *b, const xmlNode *n, const char *name)
{
	const char *v = dl__build_attr(b, n, name, "false");
	return strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
}

const char *dl__build_text(dl__builder *b, const xmlNode *n)
{
	return dl__xml_text(b->arena, n, &b->oom);
}

const char *dl__build_child_text(dl__builder *b, const xmlNode *n, const char *name)
{
	return dl__xml_child_text(b->arena, n, name, &b->oom);
}

bool dl__build_reported(const dl__builder *b, const xmlNode *n)
{
	return dl__xml_flagged(b->x, n);
}

int dl__build_number(dl__builder *b, const xmlNode *n, const char *what, const char *text, int frac,
		     int64_t max, int64_t *out)
{
	if (!text)
		return DL_ENOMEM; /* its copy failed: b->oom is set, and reported once */
	int rc = dl__number_parse(text, frac, max, out);
	if (rc == 0)
		return 0;
	if (dl__build_reported(b, n))
		return DL_EINVALID; /* the schema has said what is wrong with it */
	char limit[40];
	int64_t units = max;
	for (int i = frac; i < 4; i++)
		units *= 10;
	dl__decimal_format(units, limit, sizeof(limit));
	if (rc == DL__NUMBER_RANGE) {
		b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
					_("%s: '%s' is beyond the limit of %s"), what, text, limit);
	} else if (b->x && b->x->schema == DL__SCHEMA_SHEET) {
		/* what the person wrote and what was expected, with the fix of a usual slip */
		char msg[DL_ERROR_MESSAGE_MAX], fix[64];
		dl__number_kind kind = frac == 0 ? DL__NUMBER_WHOLE : frac == 2 ? DL__NUMBER_YUAN : DL__NUMBER_WAN;
		dl__slip slip = dl__slip_number(text, kind, fix, sizeof(fix));
		dl__sheet_value_message(msg, sizeof(msg), what,
					frac == 0   ? _("a whole number (e.g. 126)")
					: frac == 2 ? _("an amount in yuan with at most 2 decimals (e.g. 30000 or 12500.50)")
						    : _("an amount in 10,000 yuan with at most 4 decimals (e.g. 12.6)"),
					text, slip, fix);
		b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n), "%s", msg);
	} else if (frac == 0) {
		b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
					_("%s: '%s' is not a whole number"), what, text);
	} else {
		b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
					_("%s: '%s' is not a number with at most %d decimals"), what,
					text, frac);
	}
	return DL_EINVALID;
}

size_t dl__build_count(dl__builder *b, const xmlNode *parent, const char *name, size_t max)
{
	size_t count = 0;
	for (const xmlNode *c = dl__xml_child(parent, name); c; c = dl__xml_next(c, name))
		if (++count == max + 1)
			b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(c), dl__xml_column(c),
						_("too many <%s> elements in <%s>: at most %zu"), name,
						(const char *)parent->name, max);
	return count;
}

int64_t dl__build_attr_number(dl__builder *b, const xmlNode *n, const char *name,
			      const char *fallback, int frac, int64_t max)
{
	const char *text = dl__build_attr(b, n, name, fallback);
	int64_t value = 0;
	if (text && dl__number_parse(text, frac, max, &value) == 0)
		return value; /* the usual case: the name for a message is not needed */
	value = 0;
	char what[200];
	if (b->x && b->x->schema == DL__SCHEMA_SHEET)
		dl__sheet_field_label(n, name, what, sizeof(what));
	else
		snprintf(what, sizeof(what), _("attribute %s of <%s>"), name, (const char *)n->name);
	dl__build_number(b, n, what, text, frac, max, &value);
	return value;
}

void *dl__build_array(dl__builder *b, size_t count, size_t size)
{
	void *p = dl__arena_array(b->arena, count, size);
	if (!p)
		b->oom = true;
	return p;
}
