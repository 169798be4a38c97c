/*
 * archive.c: 一企一档, an enterprise's whole file as one ZIP (GET
 * /api/enterprises/{credit_code}/archive.zip; the bureau and the supervisor, SRV_ARCHIVE):
 *
 *   manifest.json   the enterprise, when the archive was made and for whom, the policy of the
 *                   验收意见, and every other file with its size and SHA-256
 *   sheets/         every version of every sheet (drafts too) as stored, byte for byte, under
 *                   the name `digilevel serve --export` gives it (srv_sheet_file_name)
 *   reports/        the 数字化诊断报告 of each diagnosis and evaluation that counts (the newest
 *                   finished version of each), the bytes GET /api/sheets/{id}/report.pdf gives;
 *                   and acceptance-POLICY.pdf, the 验收意见 of the pair that stands, when one does
 *   documents/      every version of every contract and retrofit plan, as uploaded
 *   reviews.json    the supervisor's reviews, newest first
 *   audit.json      the audit entries about the enterprise, oldest first, with their chain hashes
 *
 * Built in memory (libzip on a buffer source) and bounded (ARCHIVE_LIMIT). The download is itself
 * audited ("archive", with the manifest's SHA-256), and served only when that entry is written, so
 * no one takes a copy of the file without a trace.
 */
#include "access.h"
#include "api.h"
#include "api_district.h"
#include "api_sheet.h"
#include "auth.h"
#include "export.h"
#include "pages_view.h"
#include "pipeline.h"
#include "standing.h"

#include <nettle/sha2.h>
#include <zip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What one archive may hold before compression: far above a pilot enterprise's file (a few
 * sheets, reports and documents of at most SRV_DOCUMENT_LIMIT each), and well inside memory. */
#define ARCHIVE_LIMIT ((size_t)512 * 1024 * 1024)

typedef struct entry {
	char name[400];
	unsigned char *data; /* malloc'ed */
	size_t len;
	char sha256[65];
} entry;

typedef struct archive {
	entry *entries;
	size_t count, cap;
	size_t total;
	bool too_large;
	srv_buf notes; /* what could not be put in, as JSON strings, comma-separated */
} archive;

static void sha256_hex(const void *data, size_t len, char hex[65])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof digest, digest);
	for (size_t i = 0; i < sizeof digest; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

/* Add a file; takes ownership of data (malloc'ed). */
static int add_owned(archive *a, const char *name, unsigned char *data, size_t len)
{
	if (a->too_large || len > ARCHIVE_LIMIT - a->total) {
		a->too_large = true;
		free(data);
		return 0;
	}
	if (a->count == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;
		entry *grown = realloc(a->entries, cap * sizeof *grown);
		if (!grown) {
			free(data);
			return DL_ENOMEM;
		}
		a->entries = grown;
		a->cap = cap;
	}
	entry *e = &a->entries[a->count++];
	snprintf(e->name, sizeof e->name, "%s", name);
	e->data = data;
	e->len = len;
	sha256_hex(data ? (const void *)data : "", len, e->sha256);
	a->total += len;
	return 0;
}

/* Add a buffer's bytes (b is left empty). */
static int add_buf(archive *a, const char *name, srv_buf *b)
{
	if (b->failed)
		return DL_ENOMEM;
	unsigned char *data = (unsigned char *)b->data;
	size_t len = b->len;
	memset(b, 0, sizeof *b);
	if (!data && !(data = malloc(1)))
		return DL_ENOMEM;
	return add_owned(a, name, data, len);
}

static void note(archive *a, const char *text)
{
	srv_buf_puts(&a->notes, a->notes.len ? ",\n  " : "\n  ");
	srv_json_string(&a->notes, text);
}

static void archive_free(archive *a)
{
	for (size_t i = 0; i < a->count; i++)
		free(a->entries[i].data);
	free(a->entries);
	srv_buf_free(&a->notes);
	memset(a, 0, sizeof *a);
}

/* sheets/: every version as stored. */
static int add_sheets(srv *s, archive *a, const srv_district *d, dl_error *err)
{
	for (size_t i = d->row_count; i-- > 0;) { /* oldest first */
		const dl_store_row *r = &d->rows[i];
		char *xml = NULL;
		size_t len = 0;
		dl_store_row row;
		int rc = dl_store_get(s->store, r->id, &row, &xml, &len, err);
		if (rc < 0)
			return rc;
		char name[300] = "sheets/";
		srv_sheet_file_name(&row, name + 7, sizeof name - 7);
		if ((rc = add_owned(a, name, (unsigned char *)xml, len)) < 0)
			return rc;
	}
	return 0;
}

/* reports/: the diagnostic report of each diagnosis and evaluation that counts. */
static int add_reports(srv *s, archive *a, const char *code, dl_error *err)
{
	dl_store_row *rows = NULL;
	size_t count = 0;
	int rc = srv_finished_rows(s, code, &rows, &count, err);
	for (size_t i = 0; rc == 0 && i < count; i++) {
		const dl_store_row *r = &rows[i];
		if (strcmp(r->phase, "diagnosis") != 0 && strcmp(r->phase, "evaluation") != 0)
			continue;
		char *xml = NULL;
		size_t len = 0;
		dl_store_row row;
		if ((rc = dl_store_get(s->store, r->id, &row, &xml, &len, err)) < 0)
			break;
		api_scored sc;
		int sr = api_score_sheet(s, xml, len, "sheet.xml", row.draft, -1, &sc);
		free(xml);
		unsigned char *pdf = NULL;
		size_t pdf_len = 0;
		dl_report_options ro = DL_REPORT_OPTIONS_INIT;
		dl_error why = {0};
		char name[300] = "reports/", text[600];
		srv_sheet_file_name(&row, name + 8, sizeof name - 8);
		size_t n = strlen(name);
		if (n > 4 && strcmp(name + n - 4, ".xml") == 0)
			snprintf(name + n - 4, sizeof name - (n - 4), ".pdf");
		if (sr == 0 && (sr = dl_report_diagnostic(&pdf, &pdf_len, sc.result, sc.sheet, &ro, &why)) == 0) {
			rc = add_owned(a, name, pdf, pdf_len);
		} else if (sr == DL_ENOMEM) {
			rc = sr;
		} else {
			snprintf(text, sizeof text, _("%s: the report could not be made"), name);
			note(a, text);
		}
		api_scored_free(&sc);
	}
	free(rows);
	return rc;
}

/* reports/acceptance-POLICY.pdf: the 验收意见 of the pair that stands, under the default policy. */
static int add_acceptance(srv *s, archive *a, const char *code, const dl_policy *policy, dl_error *err)
{
	srv_standing pair;
	int rc = srv_standing_pair(s, code, &pair, err);
	if (rc == 0 && policy && pair.has_before && pair.has_after) {
		dl_error why = {0};
		unsigned char *pdf = NULL;
		size_t len = 0;
		int cr = srv_standing_acceptance_pdf(s, &pair, policy, &pdf, &len, &why);
		char name[200];
		snprintf(name, sizeof name, "reports/acceptance-%s.pdf", dl_policy_id(policy));
		if (cr == 0) {
			rc = add_owned(a, name, pdf, len);
		} else if (cr == DL_ENOMEM) {
			rc = cr;
		} else {
			char text[DL_ERROR_MESSAGE_MAX + 300];
			snprintf(text, sizeof text, _("%s: the acceptance opinion could not be made: %s"), name,
				 why.message);
			note(a, text);
		}
	}
	srv_standing_free(&pair);
	return rc;
}

/* documents/: every version as uploaded. */
static int add_documents(srv *s, archive *a, const srv_district *d, dl_error *err)
{
	for (size_t i = d->doc_count; i-- > 0;) {
		const dl_store_document *doc = &d->docs[i];
		dl_store_document got;
		void *bytes = NULL;
		int rc = dl_store_document_get(s->store, doc->id, &got, &bytes, err);
		if (rc < 0)
			return rc;
		char name[400];
		snprintf(name, sizeof name, "documents/%s-%lld-v%lld-%s", got.kind, (long long)got.lineage,
			 (long long)got.version, got.filename);
		if ((rc = add_owned(a, name, bytes, got.len)) < 0)
			return rc;
	}
	return 0;
}

static int add_reviews(archive *a, const srv_district *d)
{
	srv_buf b = {0};
	srv_buf_puts(&b, "[");
	for (size_t i = 0; i < d->review_count; i++) {
		srv_buf_puts(&b, i ? ",\n " : "\n ");
		srv_review_json(&b, &d->reviews[i]);
	}
	srv_buf_puts(&b, d->review_count ? "\n]\n" : "]\n");
	return add_buf(a, "reviews.json", &b);
}

static int add_audit(srv *s, archive *a, const char *code, dl_error *err)
{
	dl_store_audit *entries = NULL;
	size_t count = 0;
	int rc = dl_store_audit_list(s->store, code, &entries, &count, err);
	if (rc < 0)
		return rc;
	srv_buf b = {0};
	srv_buf_puts(&b, "[");
	for (size_t i = 0; i < count; i++) {
		const dl_store_audit *e = &entries[i];
		srv_buf_printf(&b, "%s{\"seq\": %lld, \"at\": ", i ? ",\n " : "\n ", (long long)e->seq);
		srv_json_string(&b, e->at);
		const char *names[] = {"user", "role", "remote", "action", "credit_code"};
		const char *values[] = {e->user, e->role, e->remote, e->action, e->credit_code};
		for (size_t k = 0; k < 5; k++) {
			srv_buf_printf(&b, ", \"%s\": ", names[k]);
			srv_json_string(&b, values[k]);
		}
		srv_buf_printf(&b, ", \"sheet_id\": %lld, \"sheet_version\": %lld, \"sha256\": ",
			       (long long)e->sheet_id, (long long)e->sheet_version);
		srv_json_string(&b, e->sha256);
		srv_buf_puts(&b, ", \"detail\": ");
		srv_json_string(&b, e->detail);
		srv_buf_puts(&b, ", \"prev\": ");
		srv_json_string(&b, e->prev);
		srv_buf_puts(&b, ", \"hash\": ");
		srv_json_string(&b, e->hash);
		srv_buf_puts(&b, "}");
	}
	srv_buf_puts(&b, count ? "\n]\n" : "]\n");
	free(entries);
	return add_buf(a, "audit.json", &b);
}

/* manifest.json: every other file, and who took the archive when. */
static int manifest(archive *a, const char *code, const char *name, const char *when,
		    const dl_store_actor *by, const dl_policy *policy, srv_buf *b)
{
	srv_buf_puts(b, "{\"credit_code\": ");
	srv_json_string(b, code);
	srv_buf_puts(b, ", \"name\": ");
	srv_json_string(b, name);
	srv_buf_puts(b, ",\n \"generated\": ");
	srv_json_string(b, when);
	srv_buf_puts(b, ", \"downloaded_by\": {\"user\": ");
	srv_json_string(b, by->user ? by->user : "");
	srv_buf_puts(b, ", \"role\": ");
	srv_json_string(b, by->role ? by->role : "");
	srv_buf_puts(b, ", \"remote\": ");
	srv_json_string(b, by->remote ? by->remote : "");
	srv_buf_puts(b, "},\n \"acceptance_policy\": ");
	if (policy)
		srv_json_string(b, dl_policy_id(policy));
	else
		srv_buf_puts(b, "null");
	srv_buf_printf(b, ",\n \"digilevel\": \"%s\",\n \"files\": [", dl_version());
	for (size_t i = 0; i < a->count; i++) {
		srv_buf_puts(b, i ? ",\n  " : "\n  ");
		srv_buf_puts(b, "{\"name\": ");
		srv_json_string(b, a->entries[i].name);
		srv_buf_printf(b, ", \"size\": %zu, \"sha256\": \"%s\"}", a->entries[i].len,
			       a->entries[i].sha256);
	}
	srv_buf_puts(b, a->count ? "\n ],\n \"notes\": [" : "],\n \"notes\": [");
	srv_buf_write(b, a->notes.data ? a->notes.data : "", a->notes.len);
	return srv_buf_puts(b, a->notes.len ? "\n ]}\n" : "]}\n");
}

/* The ZIP of manifest (first) and the entries, in memory. */
static int zip_all(const archive *a, const srv_buf *manifest_json, srv_buf *out)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	int rc = 0;
	if (!za) {
		srv_log("archive: %s", zip_error_strerror(&ze));
		zip_source_free(src);
		zip_error_fini(&ze);
		return DL_ENOMEM;
	}
	zip_source_keep(src);
	for (size_t i = 0; rc == 0 && i <= a->count; i++) {
		const char *name = i == 0 ? "manifest.json" : a->entries[i - 1].name;
		const void *data = i == 0 ? (const void *)manifest_json->data : a->entries[i - 1].data;
		size_t len = i == 0 ? manifest_json->len : a->entries[i - 1].len;
		zip_source_t *fs = zip_source_buffer(za, data, len, 0);
		if (!fs || zip_file_add(za, name, fs, ZIP_FL_ENC_UTF_8) < 0) {
			srv_log("archive: %s: %s", name, zip_strerror(za));
			zip_source_free(fs);
			rc = DL_ENOMEM;
		}
	}
	if (rc < 0 || zip_close(za) < 0) {
		if (rc == 0)
			srv_log("archive: %s", zip_strerror(za));
		zip_discard(za);
		zip_source_free(src);
		zip_error_fini(&ze);
		return DL_ENOMEM;
	}
	zip_stat_t st;
	if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(src) < 0) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return DL_ENOMEM;
	}
	char chunk[65536];
	zip_int64_t n;
	while (rc == 0 && (n = zip_source_read(src, chunk, sizeof chunk)) > 0)
		if (srv_buf_write(out, chunk, (size_t)n) < 0)
			rc = DL_ENOMEM;
	if (rc == 0 && out->len != st.size)
		rc = DL_ENOMEM;
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	return rc;
}

int api_archive(srv *s, const srv_request *rq, srv_response *rs)
{
	const char *code = rq->param[0];
	if (!srv_credit_code_plausible(code))
		return srv_respond_error(rs, 404, _("there is no enterprise with this credit code"));
	if (!srv_may(s, rq, SRV_ARCHIVE, code))
		return srv_refuse(s, rq, rs, code);
	srv_district d;
	archive a;
	memset(&a, 0, sizeof a);
	srv_buf man = {0}, zip = {0};
	dl_error err = {0};
	const dl_policy *policy = view_default_policy(s, NULL);
	int rc = srv_district_load(s, code, &d, &err);
	if (rc == 0 && d.row_count == 0 && d.doc_count == 0) {
		rc = srv_respond_error(rs, 404, _("nothing is stored about this enterprise"));
		goto done;
	}
	if (rc == 0)
		rc = add_sheets(s, &a, &d, &err);
	if (rc == 0)
		rc = add_reports(s, &a, code, &err);
	if (rc == 0)
		rc = add_acceptance(s, &a, code, policy, &err);
	if (rc == 0)
		rc = add_documents(s, &a, &d, &err);
	if (rc == 0)
		rc = add_reviews(&a, &d);
	if (rc == 0)
		rc = add_audit(s, &a, code, &err);
	if (rc < 0) {
		if (rc != DL_ENOMEM)
			srv_log("archive of %s: %s", code, err.message);
		goto done;
	}
	if (a.too_large) {
		srv_log("archive of %s: more than %zu bytes", code, ARCHIVE_LIMIT);
		rc = srv_respond_error(rs, 500, _("this enterprise's file is too large to be packed at "
						  "once; ask the administrator for `digilevel serve "
						  "--export`"));
		goto done;
	}
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	dl_store_actor by;
	srv_actor(rq, &by);
	const char *name = "";
	for (size_t i = 0; i < d.row_count && !*name; i++)
		name = d.rows[i].name;
	if ((rc = manifest(&a, code, name, when, &by, policy, &man)) < 0 || man.failed ||
	    (rc = zip_all(&a, &man, &zip)) < 0) {
		rc = rc < 0 ? rc : DL_ENOMEM;
		goto done;
	}
	dl_store_audit e;
	memset(&e, 0, sizeof e);
	snprintf(e.action, sizeof e.action, "archive");
	snprintf(e.credit_code, sizeof e.credit_code, "%s", code);
	sha256_hex(man.data, man.len, e.sha256);
	snprintf(e.detail, sizeof e.detail, "archive.zip: %zu files and manifest.json, %zu bytes",
		 a.count, zip.len);
	if ((rc = dl_store_audit_add(s->store, &e, &by, &err)) < 0) {
		srv_log("archive of %s: %s", code, err.message);
		goto done;
	}
	char stamp[20];
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	snprintf(rs->disposition, sizeof rs->disposition, "attachment; filename=\"archive-%s-%s.zip\"",
		 code, stamp);
	rc = srv_respond_buf(rs, 200, "application/zip", &zip);
done:
	srv_buf_free(&zip);
	srv_buf_free(&man);
	archive_free(&a);
	srv_district_free(&d);
	return rc;
}
