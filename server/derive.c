/*
 * derive.c: a stored row's fields from its answer sheet (derive.h). The XML is the source of
 * truth; the level, total and the rest are worked out here by the same library calls the CLI makes
 * (`digilevel score`, with --partial for a draft), so that a listed level is the CLI's level. At
 * start, rows scored against a questionnaire that has changed since are scored again.
 */
#include "derive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy src into dst (size bytes), cut at a character boundary when it is too long. */
static void copy_field(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);
	if (len >= size) {
		len = size - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
			len--; /* not inside a UTF-8 character */
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* A problem of the sheet as a whole: into err, and to opts->diag. */
static int sheet_problem(const dl_load_options *opts, dl_error *err, int code, const char *name,
			 const char *message)
{
	dl_error e;
	memset(&e, 0, sizeof(e));
	e.code = code;
	copy_field(e.file, sizeof(e.file), name);
	copy_field(e.message, sizeof(e.message), message);
	if (opts && opts->diag)
		opts->diag(&e, opts->diag_data);
	if (err)
		*err = e;
	return code;
}

int srv_derive_with(const srv *s, const char *xml, size_t len, const char *name, bool draft,
		    const dl_load_options *opts, dl_store_row *fields, dl_error *err)
{
	dl_sheet *sheet = NULL;
	dl_result *result = NULL;
	char message[DL_ERROR_MESSAGE_MAX];
	int rc;
	if (dl_workbook_recognise(xml, len)) {
		/* the loader reads workbooks too, but the store keeps XML, which the export writes
		 */
		rc = sheet_problem(
		    opts, err, DL_EINVALID, name,
		    _("this is a workbook (.xlsx): the store keeps answer sheets as XML; "
		      "convert it first ('digilevel import')"));
		goto done;
	}
	rc = dl_sheet_load_memory(&sheet, xml, len, name, opts, err);
	if (rc < 0)
		goto done;
	const char *id = dl_sheet_questionnaire_id(sheet);
	const char *version = dl_sheet_questionnaire_version(sheet);
	const dl_questionnaire *q = srv_edition_find(s, id, version[0] ? version : NULL);
	if (!q) {
		snprintf(message, sizeof(message),
			 _("the sheet is for the questionnaire '%s' version '%s', which this "
			   "server does "
			   "not have"),
			 id, version);
		rc = sheet_problem(opts, err, DL_ENOTFOUND, name, message);
		goto done;
	}
	dl_score_options so = DL_SCORE_OPTIONS_INIT;
	so.partial = draft;
	if ((rc = dl_score_with(&result, q, sheet, opts, &so, err)) < 0)
		goto done;
	rc = srv_derive_scored(sheet, q, result, draft, fields, err);
	if (rc < 0 && opts && opts->diag)
		opts->diag(err, opts->diag_data);
done:
	dl_result_free(result);
	dl_sheet_free(sheet);
	return rc;
}

int srv_derive_scored(const dl_sheet *sheet, const dl_questionnaire *q, const dl_result *result,
		      bool draft, dl_store_row *fields, dl_error *err)
{
	dl_store_row f;
	memset(&f, 0, sizeof(f));
	if (strlen(dl_questionnaire_id(q)) >= sizeof(f.questionnaire_id) ||
	    strlen(dl_questionnaire_version(q)) >= sizeof(f.questionnaire_version))
		return sheet_problem(NULL, err, DL_ELIMIT, dl_sheet_path(sheet),
				     _("the questionnaire's id or version is longer than the store "
				       "keeps"));
	copy_field(f.credit_code, sizeof(f.credit_code),
		   dl_sheet_enterprise(sheet, DL_ENTERPRISE_CREDIT_CODE));
	copy_field(f.name, sizeof(f.name), dl_sheet_enterprise(sheet, DL_ENTERPRISE_NAME));
	copy_field(f.phase, sizeof(f.phase), dl_phase_name(dl_sheet_phase(sheet)));
	copy_field(f.date, sizeof(f.date), dl_sheet_date(sheet));
	copy_field(f.questionnaire_id, sizeof(f.questionnaire_id), dl_questionnaire_id(q));
	copy_field(f.questionnaire_version, sizeof(f.questionnaire_version),
		   dl_questionnaire_version(q));
	copy_field(f.questionnaire_sha256, sizeof(f.questionnaire_sha256),
		   dl_questionnaire_digest(q));
	f.draft = draft;
	f.level = dl_result_level(result);
	dl_points_format(dl_result_total(result), f.total, sizeof(f.total));
	*fields = f;
	return 0;
}

int srv_derive(const srv *s, const char *xml, size_t len, const char *name, bool draft,
	       dl_store_row *fields, dl_error *err)
{
	return srv_derive_with(s, xml, len, name, draft, NULL, fields, err);
}

/* --- re-scoring at start --------------------------------------------------------------------- */

/* A row to give a new score once the store's rows have all been read. */
typedef struct rescore_item {
	int64_t id;
	int level;
	char total[32];
	char digest[65];
} rescore_item;

typedef struct rescore_state {
	const srv *s;
	rescore_item *items;
	size_t count, cap;
	size_t unscorable; /* rows that no longer score */
	size_t unknown;	   /* rows naming an edition not loaded */
} rescore_state;

/* A row rows_to_rescore chose (its edition is loaded, its digest is another): scored again. */
static int rescore_row(const dl_store_row *row, const char *xml, size_t xml_len, void *userdata)
{
	rescore_state *rs = userdata;
	const dl_questionnaire *q =
	    srv_edition_find(rs->s, row->questionnaire_id,
			     row->questionnaire_version[0] ? row->questionnaire_version : NULL);
	if (!q) /* rows_to_rescore found it: the editions do not change while the server runs */
		return 0;
	if (rs->count == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		rescore_item *grown = realloc(rs->items, cap * sizeof(*grown));
		if (!grown)
			return DL_ENOMEM;
		rs->items = grown;
		rs->cap = cap;
	}
	rescore_item *it = &rs->items[rs->count++];
	memset(it, 0, sizeof(*it));
	it->id = row->id;
	char name[64];
	snprintf(name, sizeof(name), "sheet-%lld.xml", (long long)row->id);
	dl_store_row fields;
	dl_error err;
	if (srv_derive(rs->s, xml, xml_len, name, row->draft, &fields, &err) == 0) {
		it->level = fields.level;
		copy_field(it->total, sizeof(it->total), fields.total);
	} else {
		it->level = -1;
		rs->unscorable++;
	}
	copy_field(it->digest, sizeof(it->digest), dl_questionnaire_digest(q));
	return 0;
}

/* The ids, oldest first, of the rows of a loaded edition whose digest is not that edition's: the
 * rows to score again. The rows' other fields are enough to tell, so only these XMLs are read (a
 * province's store holds 200,000 sheets, and a server's start should not read them all). */
static int rows_to_rescore(rescore_state *rs, int64_t **ids, size_t *count, dl_error *err)
{
	dl_store_filter f;
	memset(&f, 0, sizeof(f));
	f.history = true;
	f.drafts = true;
	dl_store_row *rows = NULL;
	size_t n = 0, k = 0;
	*ids = NULL;
	*count = 0;
	int rc = dl_store_list(rs->s->store, &f, &rows, &n, err);
	if (rc < 0 || n == 0)
		return rc;
	int64_t *list = malloc(n * sizeof(*list));
	if (!list) {
		free(rows);
		return DL_ENOMEM;
	}
	for (size_t i = n; i-- > 0;) { /* the list is newest first */
		const dl_store_row *row = &rows[i];
		const dl_questionnaire *q = srv_edition_find(
		    rs->s, row->questionnaire_id,
		    row->questionnaire_version[0] ? row->questionnaire_version : NULL);
		if (!q)
			rs->unknown++;
		else if (strcmp(row->questionnaire_sha256, dl_questionnaire_digest(q)) != 0)
			list[k++] = row->id;
	}
	free(rows);
	*ids = list;
	*count = k;
	return 0;
}

int srv_rescore(srv *s, dl_error *err)
{
	rescore_state rs;
	memset(&rs, 0, sizeof(rs));
	rs.s = s;
	int64_t *ids = NULL;
	size_t count = 0;
	/* the scores are saved after the rows have been read: no write inside the read */
	int rc = rows_to_rescore(&rs, &ids, &count, err);
	if (rc == 0 && count > 0)
		rc = dl_store_get_each(s->store, ids, count, rescore_row, &rs, err);
	free(ids);
	if (rc == DL_ENOMEM && err) {
		memset(err, 0, sizeof(*err));
		err->code = DL_ENOMEM;
		copy_field(err->message, sizeof(err->message), _("out of memory"));
	}
	size_t saved = 0;
	for (size_t i = 0; rc == 0 && i < rs.count; i++) {
		rescore_item *it = &rs.items[i];
		if ((rc = dl_store_set_score(s->store, it->id, it->level, it->total, it->digest,
					     err)) == 0)
			saved++;
	}
	if (saved || rs.unscorable || rs.unknown) /* said only when there is something to say */
		srv_log(_("store: %zu sheets scored again against changed questionnaires (%zu of them "
			  "no longer score); %zu name a questionnaire not loaded"),
			saved, rs.unscorable, rs.unknown);
	free(rs.items);
	return rc;
}
