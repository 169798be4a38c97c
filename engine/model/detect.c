/*
 * detect.c: telling what kind of document a file is, and finding a questionnaire by id and version
 * in a directory, both by reading only the root element (and only as much of the file as holds it,
 * so that a stream of many sheets is recognised without reading it all).
 */
#include "alloc.h"
#include "i18n.h"
#include "diag.h"
#include "model.h"
#include "sheet_workbook.h"
#include "xmldoc.h"

#include <dirent.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/*
 * A file that is not XML because it is in another encoding than it says (a sheet Notepad saved as
 * "ANSI"): the same advice as loading it gives (dl__xml_encoding_check), from its first 64 KiB.
 * Returns DL_EINVALID with the advice reported to d, or 0 when the encoding is not the problem.
 */
static int encoding_problem(const char *path, dl__diag *d)
{
	char buf[64 * 1024];
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf), f);
	bool partial = n == sizeof(buf) && fgetc(f) != EOF;
	fclose(f);
	return n ? dl__xml_encoding_check(buf, n, partial, d) : 0;
}

int dl_document_root(const char *path, char *root, size_t size, dl_error *err)
{
	char *name = NULL, *id = NULL, *version = NULL;
	size_t len = 0;
	int status;
	dl__diag d;
	dl__diag_init(&d, NULL, err, path);
	int rc = dl__xml_peek_file(path, 0, &name, &id, &version, &status, &len, &d);
	if (rc < 0)
		return rc;
	if (name)
		dl__copy_truncated(root, size, name);
	else if (dl__workbook_file(path)) /* not XML: an .xlsx workbook holds an answer sheet */
		dl__copy_truncated(root, size, "answer-sheet");
	else if (status == DL__PEEK_NOMEM)
		rc = dl__error_set(err, DL_ENOMEM, path, 0, 0, _("out of memory"));
	else if (status == DL__PEEK_DOCTYPE)
		rc = dl__error_set(err, DL_EINVALID, path, 0, 0,
				   _("a DOCTYPE is not allowed: digilevel reads no DTDs and no entities"));
	else if (len && (rc = encoding_problem(path, &d)) < 0)
		; /* reported */
	else
		rc = dl__error_set(err, DL_EINVALID, path, 1, 1,
				   len ? _("not an XML document") : _("empty file: expected an XML document"));
	dl__free(name);
	dl__free(id);
	dl__free(version);
	return rc;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dl_questionnaire_find(dl_questionnaire **out, const char *dir, const char *id,
			  const char *version, const dl_load_options *opts, dl_error *err)
{
	if (dl__load_options_check(opts, err) < 0)
		return DL_EINVALID;
	DIR *dp = opendir(dir);
	if (!dp)
		return dl__error_set(err, DL_ENOTFOUND, dir, 0, 0,
				     _("cannot read questionnaire directory"));
	char found[1024] = "", seen[400] = "";
	struct dirent *e;
	char *names[256] = {NULL};
	size_t count = 0;
	bool nomem = false; /* a file skipped for want of memory: not finding it is then no answer */
	while ((e = readdir(dp)) && count < 256) {
		size_t len = strlen(e->d_name);
		if (len <= 4 || strcmp(e->d_name + len - 4, ".xml") != 0)
			continue;
		names[count] = dl__strdup(e->d_name);
		if (names[count]) /* out of memory: the file is skipped, and the lookup may fail */
			count++;
		else
			nomem = true;
	}
	closedir(dp);
	qsort(names, count, sizeof(char *), compare_names); /* deterministic: first match by name */
	for (size_t i = 0; i < count; i++) {
		char path[1024], *root = NULL, *qid = NULL, *qversion = NULL;
		size_t len = 0;
		int status = DL__PEEK_NOT_XML;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		dl__diag quiet;
		dl__diag_init(&quiet, NULL, NULL, path);
		int read = dl__xml_peek_file(path, opts ? opts->max_file_size : 0, &root, &qid,
					     &qversion, &status, &len, &quiet);
		if (read == DL_ENOMEM || status == DL__PEEK_NOMEM)
			nomem = true;
		if (root && strcmp(root, "questionnaire") == 0 && qid && qversion) {
			if (strcmp(qid, id) == 0 && strcmp(qversion, version) == 0 && !found[0])
				snprintf(found, sizeof(found), "%s", path);
			size_t n = strlen(seen);
			if (n < sizeof(seen) - 1)
				snprintf(seen + n, sizeof(seen) - n, "%s%s %s", n ? ", " : "", qid,
					 qversion);
		}
		dl__free(root);
		dl__free(qid);
		dl__free(qversion);
	}
	for (size_t i = 0; i < count; i++)
		dl__free(names[i]);
	if (!found[0] && nomem)
		return dl__error_set(err, DL_ENOMEM, dir, 0, 0, _("out of memory"));
	if (!found[0])
		return dl__error_set(err, DL_ENOTFOUND, dir, 0, 0,
				     /* not translated: the program reads "(found: " out of it */
				     "no questionnaire '%s' version '%s' here (found: %s)", id, version,
				     seen[0] ? seen : "none");
	return dl_questionnaire_load(out, found, opts, err);
}
