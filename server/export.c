/*
 * export.c: every stored sheet as the CLI's XML files (export.h has the layout and why).
 *
 * Two passes over one store: the first reads every row's fields (not its XML), decides which
 * version of each lineage stands and names every file, and checks that no file is in the way; only
 * then are the folders made and, in the second pass, the files written. The second pass writes
 * only the rows the first one saw, so a sheet saved in between waits for the next export.
 */
#include "export.h"

#include <digilevel/files.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef _
#define _(msgid) dl_translate(msgid)
#endif

/* A row as the first pass saw it. */
typedef struct entry {
	int64_t id, lineage;
	bool current; /* the newest finished version of its lineage: written to DIR */
	char name[160];
} entry;

typedef struct exporter {
	const char *dir;
	entry *entries; /* in id order, as dl_store_each gives them */
	size_t count, cap;
	int64_t last_id;
	srv_export_counts counts;
	dl_error *err;
} exporter;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail(dl_error *err, int code, const char *path, const char *fmt, ...)
{
	if (err) {
		memset(err, 0, sizeof(*err));
		err->code = code;
		snprintf(err->file, sizeof(err->file), "%s", path);
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return code;
}

/* Append text to a file name, each character that is not a letter, a digit or '-' as '_'. */
static size_t put_part(char *name, size_t at, size_t size, const char *text, const char *none)
{
	if (!text[0])
		text = none;
	for (; *text && at + 1 < size; text++) {
		char c = *text;
		bool plain = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
			     (c >= 'a' && c <= 'z') || c == '-';
		name[at++] = plain ? c : '_';
	}
	name[at] = '\0';
	return at;
}

/* CODE-PHASE-DATE-ID-vVERSION[-draft].xml */
void srv_sheet_file_name(const dl_store_row *row, char *name, size_t size)
{
	size_t at = put_part(name, 0, size, row->credit_code, "no-code");
	at = put_part(name, at, size, "-", "");
	at = put_part(name, at, size, row->phase, "no-phase");
	at = put_part(name, at, size, "-", "");
	at = put_part(name, at, size, row->date, "no-date");
	snprintf(name + at, size - at, "-%010lld-v%lld%s.xml", (long long)row->id,
		 (long long)row->version, row->draft ? "-draft" : "");
}

/* The path of e in ex->dir (or its history/), in path; false when it does not fit. */
static bool entry_path(const exporter *ex, const entry *e, char *path, size_t size)
{
	int n = snprintf(path, size, "%s/%s%s", ex->dir, e->current ? "" : "history/", e->name);
	return n > 0 && (size_t)n < size;
}

static int collect(const dl_store_row *row, const char *xml, size_t xml_len, void *userdata)
{
	(void)xml;
	(void)xml_len;
	exporter *ex = userdata;
	if (ex->count == ex->cap) {
		size_t cap = ex->cap ? ex->cap * 2 : 256;
		entry *grown = realloc(ex->entries, cap * sizeof(*grown));
		if (!grown)
			return DL_ENOMEM;
		ex->entries = grown;
		ex->cap = cap;
	}
	entry *e = &ex->entries[ex->count++];
	memset(e, 0, sizeof(*e));
	e->id = row->id;
	e->lineage = row->lineage;
	e->current = !row->draft; /* until decide_current meets a newer finished version */
	srv_sheet_file_name(row, e->name, sizeof(e->name));
	ex->last_id = row->id;
	return 0;
}

static int by_lineage_then_newest(const void *a, const void *b)
{
	const entry *x = *(entry *const *)a, *y = *(entry *const *)b;
	if (x->lineage != y->lineage)
		return x->lineage < y->lineage ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id ? 1 : 0;
}

/* Keep current only the newest finished version of each lineage (srv_finished_rows' choice). */
static int decide_current(exporter *ex)
{
	if (ex->count == 0)
		return 0;
	entry **order = malloc(ex->count * sizeof(entry *));
	if (!order)
		return DL_ENOMEM;
	for (size_t i = 0; i < ex->count; i++)
		order[i] = &ex->entries[i];
	qsort(order, ex->count, sizeof(entry *), by_lineage_then_newest);
	bool found = false; /* the lineage of order[i] has its current version already */
	for (size_t i = 0; i < ex->count; i++) {
		if (i == 0 || order[i]->lineage != order[i - 1]->lineage)
			found = false;
		if (found)
			order[i]->current = false;
		else if (order[i]->current)
			found = true; /* the newest version that is not a draft */
	}
	free(order);
	return 0;
}

/* Whether a file name is one batch reads from a folder (engine/cohort/batch_paths.c). */
static bool sheet_file(const char *name)
{
	static const char *const ext[] = {".xml", ".xlsx"};
	size_t len = strlen(name);
	if (name[0] == '~' && name[1] == '$')
		return false;
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(ext[i]), k = 0;
		if (len <= n)
			continue;
		while (k < n && (name[len - n + k] | 0x20) == ext[i][k])
			k++;
		if (k == n)
			return true;
	}
	return false;
}

/* Refuse when dir already holds a sheet file, or a file to be written exists. */
static int check_clear(exporter *ex)
{
	char path[PATH_MAX];
	DIR *d = opendir(ex->dir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)))
			if (sheet_file(de->d_name)) {
				snprintf(path, sizeof(path), "%s/%s", ex->dir, de->d_name);
				closedir(d);
				return fail(
				    ex->err, DL_EMISMATCH, path,
				    _("the folder already holds this sheet file; the export "
				      "writes only into a new folder or one without sheets, so "
				      "that batch reads the exported sheets alone and nothing is "
				      "replaced"));
			}
		closedir(d);
	}
	struct stat sb;
	for (size_t i = 0; i < ex->count; i++) {
		if (!entry_path(ex, &ex->entries[i], path, sizeof(path)))
			return fail(ex->err, DL_EIO, ex->dir, _("the folder's name is too long"));
		if (lstat(path, &sb) == 0)
			return fail(ex->err, DL_EMISMATCH, path,
				    _("this file exists already; the export never replaces a file: "
				      "export into a new folder"));
	}
	return 0;
}

static int make_dir(dl_error *err, const char *path)
{
	struct stat sb;
	if (mkdir(path, 0777) == 0)
		return 0;
	int e = errno;
	if (e == EEXIST && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return 0;
	return fail(err, DL_EIO, path, _("cannot make the folder: %s"),
		    e == EEXIST ? _("a file of that name is in the way") : dl_strerror(e));
}

static int by_id(const void *key, const void *e)
{
	int64_t id = *(const int64_t *)key, other = ((const entry *)e)->id;
	return id < other ? -1 : id > other;
}

static int write_row(const dl_store_row *row, const char *xml, size_t xml_len, void *userdata)
{
	exporter *ex = userdata;
	if (row->id > ex->last_id)
		return 0; /* saved after the first pass: the next export has it */
	const entry *e = bsearch(&row->id, ex->entries, ex->count, sizeof(entry), by_id);
	if (!e)
		return 0;
	char path[PATH_MAX];
	struct stat sb;
	if (!entry_path(ex, e, path, sizeof(path)))
		return fail(ex->err, DL_EIO, ex->dir, _("the folder's name is too long"));
	if (lstat(path, &sb) == 0)
		return fail(ex->err, DL_EMISMATCH, path,
			    _("this file exists already; the export never replaces a file: export "
			      "into a new folder"));
	dl_error why;
	memset(&why, 0, sizeof(why));
	if (dl_output_file_save(path, xml, xml_len, &why) < 0)
		return fail(ex->err, why.code ? why.code : DL_EIO, path,
			    _("cannot write the file: %s"), why.message);
	if (e->current)
		ex->counts.current++;
	else
		ex->counts.history++;
	return 0;
}

int srv_export(dl_store *st, const char *dir, srv_export_counts *counts, dl_error *err)
{
	exporter ex;
	memset(&ex, 0, sizeof(ex));
	ex.dir = dir;
	ex.err = err;
	char history[PATH_MAX];
	int rc = dl_store_each(st, collect, &ex, err);
	if (rc == 0)
		rc = decide_current(&ex);
	if (rc == DL_ENOMEM)
		fail(err, DL_ENOMEM, dir, "%s", _("out of memory"));
	if (rc == 0)
		rc = check_clear(&ex);
	if (rc == 0 &&
	    (size_t)snprintf(history, sizeof(history), "%s/history", dir) >= sizeof(history))
		rc = fail(err, DL_EIO, dir, _("the folder's name is too long"));
	if (rc == 0)
		rc = make_dir(err, dir);
	if (rc == 0)
		rc = make_dir(err, history);
	if (rc == 0)
		rc = dl_store_each(st, write_row, &ex, err);
	if (rc == DL_ENOMEM && err && err->code != DL_ENOMEM)
		fail(err, DL_ENOMEM, dir, "%s", _("out of memory"));
	if (rc == 0 && counts)
		*counts = ex.counts;
	free(ex.entries);
	return rc;
}
