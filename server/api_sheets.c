/*
 * api_sheets.c: the stored sheets in the JSON API (docs/api.md): POST /api/sheets stores a sheet
 * (a new version when ?replaces=ID), GET /api/sheets lists them, GET /api/sheets/{id} gives the XML
 * as stored or its score, GET /api/sheets/{id}/report.pdf the 数字化诊断报告.
 *
 * A sheet is stored only when it reads and scores (a draft: scores provisionally); otherwise 422
 * with every problem and nothing stored. What is served from a stored sheet is computed from its
 * XML as stored, with the calls the CLI makes, so the bytes are the CLI's.
 */
#include "access.h"
#include "api.h"
#include "api_sheet.h"
#include "auth.h"
#include "derive.h"

#include <stdlib.h>
#include <string.h>

static const char JSON[] = "application/json; charset=utf-8";

/* A positive row id from text, or 0. */
static int64_t parse_id(const char *text)
{
	if (!text || !*text || strlen(text) > 18)
		return 0;
	int64_t id = 0;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		id = id * 10 + (*p - '0');
	}
	return id;
}

int api_row_json(srv_buf *b, const dl_store_row *r)
{
	srv_buf_printf(b, "{\"id\": %lld, \"lineage\": %lld, \"version\": %lld, \"credit_code\": ",
		       (long long)r->id, (long long)r->lineage, (long long)r->version);
	srv_json_string(b, r->credit_code);
	srv_buf_puts(b, ", \"name\": ");
	srv_json_string(b, r->name);
	srv_buf_puts(b, ", \"phase\": ");
	srv_json_string(b, r->phase);
	srv_buf_puts(b, ", \"date\": ");
	srv_json_string(b, r->date);
	srv_buf_puts(b, ", \"questionnaire\": ");
	srv_json_string(b, r->questionnaire_id);
	srv_buf_puts(b, ", \"questionnaire_version\": ");
	srv_json_string(b, r->questionnaire_version);
	srv_buf_printf(b, ", \"draft\": %s, \"level\": ", r->draft ? "true" : "false");
	if (r->level >= 0)
		srv_buf_printf(b, "%d", r->level);
	else
		srv_buf_puts(b, "null");
	srv_buf_puts(b, ", \"total\": ");
	srv_buf_puts(b, r->total[0] ? r->total : "null");
	srv_buf_puts(b, ", \"sha256\": ");
	srv_json_string(b, r->sha256);
	srv_buf_puts(b, ", \"received\": ");
	srv_json_string(b, r->received);
	srv_buf_puts(b, ", \"author\": ");
	srv_json_string(b, r->author);
	srv_buf_puts(b, ", \"reason\": ");
	srv_json_string(b, r->reason);
	return srv_buf_puts(b, "}");
}

/* 409: someone else saved version newer of the lineage since the version this put replaces was
 * read; nothing was stored. The JSON names the newer version, so that a client can open it. */
static int api_respond_conflict(srv_response *rs, const dl_store_row *newer)
{
	char message[512];
	snprintf(message, sizeof message,
		 _("someone else saved version %lld of this sheet meanwhile (sheet %lld), so yours was "
		   "not stored: open that version again, make your changes there and save them as its "
		   "next version (replaces=%lld)"),
		 (long long)newer->version, (long long)newer->id, (long long)newer->id);
	srv_buf b = {0};
	srv_buf_puts(&b, "{\"error\": ");
	srv_json_string(&b, message);
	srv_buf_printf(&b, ", \"newest\": %lld, \"newest_version\": %lld}\n", (long long)newer->id,
		       (long long)newer->version);
	return srv_respond_buf(rs, 409, JSON, &b);
}

int api_store_sheet(srv *s, const srv_request *rq, const char *xml, size_t len, const char *name,
		    bool draft, int64_t replaces, const char *reason, srv_response *rs,
		    dl_store_row *stored)
{
	dl_store_sheet put;
	memset(&put, 0, sizeof put);
	dl_error err = {0};
	api_scored sc;
	/* read and scored once: every problem for a 422, else the row's fields */
	int rc = api_score_sheet(s, xml, len, name, draft, -1, &sc);
	if (rc == DL_EINVALID || rc == DL_ELIMIT || rc == DL_EMISMATCH)
		rc = api_respond_diagnostics(rs, &sc);
	else if (rc == 0 && (rc = srv_derive_scored(sc.sheet, sc.q, sc.result, draft, &put.fields,
						    &err)) < 0 && rc != DL_ENOMEM)
		rc = srv_respond_error(rs, 422, err.message);
	api_scored_free(&sc);
	if (rc < 0 || rs->status)
		return rc;
	if (!srv_may_store(s, rq, &put.fields, replaces))
		return srv_refuse(s, rq, rs, put.fields.credit_code);
	srv_actor(rq, &put.by);
	/* a workbook is stored as the answer-sheet XML the library makes of it: the store keeps XML */
	srv_buf converted = {0};
	if (dl_workbook_recognise(xml, len)) {
		if ((rc = dl_workbook_write_sheet_memory(xml, len, name, srv_buf_write, &converted, NULL,
							 &err)) < 0) {
			srv_buf_free(&converted);
			return rc == DL_ENOMEM ? rc : srv_respond_error(rs, 422, err.message);
		}
		xml = converted.data;
		len = converted.len;
	}
	put.xml = xml;
	put.xml_len = len;
	put.replaces = replaces;
	put.reason = reason;
	dl_store_row newer;
	if (!stored)
		stored = &newer;
	rc = dl_store_put(s->store, &put, stored, &err);
	srv_buf_free(&converted);
	if (rc == DL_ENOTFOUND)
		return srv_respond_error(rs, 404, _("the sheet to replace is not stored here"));
	if (rc == DL_ECONFLICT) /* *stored is the version saved meanwhile */
		return api_respond_conflict(rs, stored);
	if (rc == DL_EFROZEN)
		return srv_respond_error(rs, 409, _("this evaluation was submitted: a change needs a "
						    "reason"));
	if (rc < 0)
		srv_log("store: %s", err.message);
	return rc;
}

bool api_reason_ok(const char *reason)
{
	size_t n = strlen(reason);
	for (const unsigned char *p = (const unsigned char *)reason; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return n < sizeof ((dl_store_row *)0)->reason;
}

int api_sheets_post(srv *s, const srv_request *rq, srv_response *rs)
{
	if (!rq->body || rq->body_len == 0)
		return srv_respond_error(rs, 400, _("send the answer sheet (XML, or a filled workbook) as "
						    "the body of the request"));
	const char *replaces_text = srv_query(rq, "replaces");
	int64_t replaces = parse_id(replaces_text);
	if (replaces_text && !replaces)
		return srv_respond_error(rs, 400, _("replaces must be the number of a stored sheet"));
	/* why this version replaces a submitted evaluation (?reason=, the store requires one) */
	const char *reason = srv_query(rq, "reason");
	if (reason && !api_reason_ok(reason))
		return srv_respond_error(rs, 400, _("the reason must be one line of at most 255 bytes"));
	dl_store_row row;
	int rc = api_store_sheet(s, rq, (const char *)rq->body, rq->body_len, "sheet.xml",
				 api_query_flag(rq, "draft"), replaces, reason, rs, &row);
	if (rc < 0 || rs->status)
		return rc;
	srv_buf b = {0};
	api_row_json(&b, &row);
	srv_buf_puts(&b, "\n");
	snprintf(rs->location, sizeof rs->location, "/api/sheets/%lld", (long long)row.id);
	return srv_respond_buf(rs, 201, JSON, &b);
}

int api_sheets_list(srv *s, const srv_request *rq, srv_response *rs)
{
	dl_store_filter f;
	memset(&f, 0, sizeof f);
	f.credit_code = srv_query(rq, "credit_code");
	f.phase = srv_query(rq, "phase");
	f.history = api_query_flag(rq, "history");
	const char *drafts = srv_query(rq, "drafts");
	f.drafts = !drafts || api_query_flag(rq, "drafts");
	dl_store_row *rows = NULL;
	size_t count = 0;
	dl_error err = {0};
	int rc = dl_store_list(s->store, &f, &rows, &count, &err);
	if (rc < 0) {
		srv_log("store: %s", err.message);
		return rc;
	}
	srv_rows_visible(s, rq, rows, &count);
	srv_buf b = {0};
	srv_buf_puts(&b, "[");
	for (size_t i = 0; i < count; i++) {
		srv_buf_puts(&b, i ? ",\n " : "\n ");
		api_row_json(&b, &rows[i]);
	}
	srv_buf_puts(&b, count ? "\n]\n" : "]\n");
	free(rows);
	return srv_respond_buf(rs, 200, JSON, &b);
}

int api_load_stored(srv *s, const char *id_text, srv_response *rs, dl_store_row *row, char **xml,
		    size_t *len)
{
	int64_t id = parse_id(id_text);
	dl_error err = {0};
	int rc = id ? dl_store_get(s->store, id, row, xml, len, &err) : DL_ENOTFOUND;
	if (rc == DL_ENOTFOUND)
		return srv_respond_error(rs, 404, _("no sheet of that number is stored"));
	if (rc < 0)
		srv_log("store: %s", err.message);
	return rc;
}

/* The file name a download of a stored sheet gets: ASCII, from its derived fields. */
void api_sheet_filename(const dl_store_row *row, const char *ext, char *buf, size_t size)
{
	snprintf(buf, size, "%s-%s-%s-v%lld.%s", row->credit_code[0] ? row->credit_code : "draft",
		 row->phase[0] ? row->phase : "sheet", row->date[0] ? row->date : "undated",
		 (long long)row->version, ext);
	for (char *p = buf; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      *p == '-' || *p == '.'))
			*p = '_';
}

static bool wants_xml(const srv_request *rq)
{
	const char *format = srv_query(rq, "format"), *accept = srv_header(rq, "Accept");
	if (format)
		return strcmp(format, "xml") == 0;
	return accept && (strstr(accept, "application/xml") || strstr(accept, "text/xml")) &&
	       !strstr(accept, "application/json");
}

int api_sheet_get(srv *s, const srv_request *rq, srv_response *rs)
{
	dl_store_row row;
	char *xml = NULL;
	size_t len = 0;
	int rc = api_load_stored(s, rq->param[0], rs, &row, &xml, &len);
	if (rc < 0 || rs->status) {
		free(xml);
		return rc;
	}
	if (!srv_may_read_row(s, rq, &row)) {
		free(xml);
		return srv_refuse(s, rq, rs, row.credit_code);
	}
	if (wants_xml(rq)) {
		char name[160];
		api_sheet_filename(&row, "xml", name, sizeof name);
		snprintf(rs->disposition, sizeof rs->disposition, "attachment; filename=\"%s\"", name);
		rc = srv_respond_bytes(rs, 200, "application/xml; charset=utf-8", xml, len);
		free(xml);
		return rc;
	}
	api_scored sc;
	rc = api_score_sheet(s, xml, len, "sheet.xml", row.draft, -1, &sc);
	free(xml);
	if (rc == 0) {
		srv_buf b = {0};
		if (dl_result_write_json(sc.result, sc.sheet, NULL, srv_buf_write, &b) < 0)
			rc = DL_ENOMEM;
		else
			rc = srv_respond_buf(rs, 200, JSON, &b);
		srv_buf_free(&b);
	} else if (rc == DL_EINVALID) { /* stored under another questionnaire than the server's now */
		rc = api_respond_diagnostics(rs, &sc);
	}
	api_scored_free(&sc);
	return rc;
}

/* The PDF options a query asks for: ?target=N, ?policy=ID. */
static int report_options(srv *s, const srv_request *rq, srv_response *rs, dl_report_options *ro)
{
	const char *target = srv_query(rq, "target"), *policy = srv_query(rq, "policy");
	if (target && *target) {
		char *end;
		long n = strtol(target, &end, 10);
		if (*end || n < 0 || n > 9)
			return srv_respond_error(rs, 400, _("target must be a level from 0 to 4"));
		ro->target_level = (int)n;
	}
	if (policy && *policy && !(ro->policy = srv_policy_find(s, policy)))
		return srv_respond_error(rs, 404, _("this server has no policy of that name"));
	return 0;
}

static bool has_grade(const dl_questionnaire *q, int level)
{
	for (size_t i = 0; i < dl_questionnaire_grade_count(q); i++)
		if (dl_questionnaire_grade_level(q, i) == level)
			return true;
	return false;
}

int api_sheet_report(srv *s, const srv_request *rq, srv_response *rs)
{
	dl_report_options ro = DL_REPORT_OPTIONS_INIT;
	int rc = report_options(s, rq, rs, &ro);
	if (rc < 0 || rs->status)
		return rc;
	dl_store_row row;
	char *xml = NULL;
	size_t len = 0;
	rc = api_load_stored(s, rq->param[0], rs, &row, &xml, &len);
	if (rc < 0 || rs->status) {
		free(xml);
		return rc;
	}
	if (!srv_may_read_row(s, rq, &row)) {
		free(xml);
		return srv_refuse(s, rq, rs, row.credit_code);
	}
	api_scored sc;
	rc = api_score_sheet(s, xml, len, "sheet.xml", row.draft, -1, &sc);
	free(xml);
	if (rc == 0 && ro.target_level >= 0 && !has_grade(sc.q, ro.target_level)) {
		rc = srv_respond_error(rs, 400, _("the questionnaire has no such level"));
	} else if (rc == 0) {
		unsigned char *pdf = NULL;
		size_t pdf_len = 0;
		dl_error err = {0};
		rc = dl_report_diagnostic(&pdf, &pdf_len, sc.result, sc.sheet, &ro, &err);
		if (rc == 0) {
			char name[160];
			api_sheet_filename(&row, "pdf", name, sizeof name);
			snprintf(rs->disposition, sizeof rs->disposition, "attachment; filename=\"%s\"",
				 name);
			rc = srv_respond_bytes(rs, 200, "application/pdf", pdf, pdf_len);
		} else {
			srv_log("report of sheet %s: %s", rq->param[0], err.message);
			rc = srv_respond_error(rs, 500, _("the report could not be made (is a Chinese font "
							  "installed on the server?)"));
		}
		dl_report_free(pdf);
	} else if (rc == DL_EINVALID) {
		rc = api_respond_diagnostics(rs, &sc);
	}
	api_scored_free(&sc);
	return rc;
}
