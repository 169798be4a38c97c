/*
 * api_documents.c: an enterprise's documents that are not answer sheets, the contract (合同) and the
 * retrofit plan (改造方案) its integrator uploads and the supervisor reviews (docs/api.md):
 * POST /api/enterprises/{credit_code}/documents (the raw bytes as the body), GET .../documents,
 * GET /api/documents/{id}.
 *
 * A document is kept byte for byte as uploaded, with its SHA-256; a new version continues a lineage
 * (?replaces=ID) and the old ones stay. What is accepted is checked before anything is stored: the
 * kind, a file name a clerk's computer can save (no folder, no control characters, a known
 * extension), bytes that are what the extension says (a PDF starts as a PDF does, a text is UTF-8),
 * and a size below SRV_DOCUMENT_LIMIT. A download is always an attachment (never shown inline by
 * the browser), with an ASCII file name and the uploaded one as RFC 5987 filename*.
 */
#include "access.h"
#include "api_district.h"
#include "auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char JSON[] = "application/json; charset=utf-8";

/* How the bytes of a file type begin. */
typedef enum magic { MAGIC_PDF, MAGIC_PNG, MAGIC_JPEG, MAGIC_ZIP, MAGIC_OLE, MAGIC_TEXT } magic;

static const struct doc_type {
	const char *ext;
	const char *content_type;
	magic magic;
} TYPES[] = {
    {"pdf", "application/pdf", MAGIC_PDF},
    {"png", "image/png", MAGIC_PNG},
    {"jpg", "image/jpeg", MAGIC_JPEG},
    {"jpeg", "image/jpeg", MAGIC_JPEG},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", MAGIC_ZIP},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", MAGIC_ZIP},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", MAGIC_ZIP},
    {"odt", "application/vnd.oasis.opendocument.text", MAGIC_ZIP},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet", MAGIC_ZIP},
    {"doc", "application/msword", MAGIC_OLE},
    {"xls", "application/vnd.ms-excel", MAGIC_OLE},
    {"ppt", "application/vnd.ms-powerpoint", MAGIC_OLE},
    {"txt", "text/plain; charset=utf-8", MAGIC_TEXT},
};

static const struct doc_type *type_of(const char *filename)
{
	const char *dot = strrchr(filename, '.');
	if (!dot || dot == filename)
		return NULL;
	for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
		if (strcasecmp(dot + 1, TYPES[i].ext) == 0)
			return &TYPES[i];
	return NULL;
}

const char *srv_document_content_type(const char *filename)
{
	const struct doc_type *t = type_of(filename);
	return t ? t->content_type : NULL;
}

int64_t srv_parse_id(const char *text)
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

bool srv_credit_code_plausible(const char *code)
{
	if (!code || strlen(code) != 18)
		return false;
	for (const char *c = code; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z')))
			return false;
	return true;
}

/* The length of the UTF-8 character at s (at most n bytes), or 0 when it is not one (overlong
 * forms, surrogates and code points above U+10FFFF are not). */
static size_t utf8_char(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
	if (len == 0 || s[0] > 0xF4 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) ||
	    (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))
		return 0;
	return len;
}

/* Text a clerk wrote: UTF-8 without control characters but tab and line ends. */
static bool plain_text(const unsigned char *s, size_t n)
{
	size_t i = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	while (i < n) {
		if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f')
			return false;
		if (s[i] == 0x7F)
			return false;
		size_t k = utf8_char(s + i, n - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

static bool begins(const unsigned char *s, size_t n, const char *head, size_t head_len)
{
	return n >= head_len && memcmp(s, head, head_len) == 0;
}

static bool bytes_fit(const struct doc_type *t, const unsigned char *s, size_t n)
{
	switch (t->magic) {
	case MAGIC_PDF: return begins(s, n, "%PDF-", 5);
	case MAGIC_PNG: return begins(s, n, "\x89PNG\r\n\x1A\n", 8);
	case MAGIC_JPEG: return begins(s, n, "\xFF\xD8\xFF", 3);
	case MAGIC_ZIP: return begins(s, n, "PK\x03\x04", 4);
	case MAGIC_OLE: return begins(s, n, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
	default: return plain_text(s, n);
	}
}

/* A file name to keep: UTF-8, no folder, nothing a file system or a header refuses. */
static bool good_filename(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > SRV_DOCUMENT_NAME_MAX || name[0] == '.' || name[0] == ' ' ||
	    name[n - 1] == ' ' || name[n - 1] == '.')
		return false;
	const unsigned char *s = (const unsigned char *)name;
	for (size_t i = 0; i < n;) {
		if (s[i] < 0x20 || s[i] == 0x7F || strchr("/\\:*?\"<>|", s[i]))
			return false;
		size_t k = utf8_char(s + i, n - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

static void refuse(srv_refusal *why, int status, const char *message, const char *credit_code)
{
	why->status = status;
	why->message = message;
	snprintf(why->credit_code, sizeof why->credit_code, "%s", credit_code ? credit_code : "");
}

int srv_document_accept(srv *s, const srv_request *rq, const char *credit_code, const char *kind,
			const char *filename, const char *replaces_text, const void *bytes, size_t len,
			dl_store_document *stored, srv_refusal *why)
{
	memset(why, 0, sizeof *why);
	if (!srv_credit_code_plausible(credit_code)) {
		refuse(why, 404, _("there is no enterprise with this credit code"), NULL);
		return 0;
	}
	if (!srv_may(s, rq, SRV_WRITE_DOCUMENT, credit_code)) {
		refuse(why, 403, "", credit_code);
		return 0;
	}
	if (!kind || (strcmp(kind, "contract") != 0 && strcmp(kind, "plan") != 0)) {
		refuse(why, 400, _("say which document this is: kind=contract (the retrofit contract) or "
				   "kind=plan (the retrofit plan)"), credit_code);
		return 0;
	}
	const struct doc_type *t = filename ? type_of(filename) : NULL;
	if (!filename || !*filename) {
		refuse(why, 400, _("say the document's file name (filename=...)"), credit_code);
		return 0;
	}
	if (!good_filename(filename) || !t) {
		refuse(why, 422, _("the file name is not accepted: it must end in .pdf, .png, .jpg, .docx, "
				   ".xlsx, .pptx, .odt, .ods, .doc, .xls, .ppt or .txt, be at most 120 "
				   "bytes long and hold no folder or any of / \\ : * ? \" < > |"),
		       credit_code);
		return 0;
	}
	if (len == 0) {
		refuse(why, 400, _("the document is empty: send the file's bytes"), credit_code);
		return 0;
	}
	if (len > SRV_DOCUMENT_LIMIT) {
		refuse(why, 413, _("the document is larger than 12 MiB: send a smaller file (a scan at "
				   "a lower resolution, or the pages in several files)"), credit_code);
		return 0;
	}
	if (!bytes_fit(t, bytes, len)) {
		refuse(why, 422, _("the file's contents are not what its name says (a .pdf must be a PDF, "
				   "a .txt plain UTF-8 text, and so on): check that the right file was "
				   "chosen"), credit_code);
		return 0;
	}
	int64_t replaces = srv_parse_id(replaces_text);
	if (replaces_text && *replaces_text && !replaces) {
		refuse(why, 400, _("replaces must be the number of a stored document"), credit_code);
		return 0;
	}
	dl_error err = {0};
	if (replaces) {
		dl_store_document old;
		int rc = dl_store_document_get(s->store, replaces, &old, NULL, &err);
		if (rc == DL_ENOTFOUND || (rc == 0 && (strcmp(old.credit_code, credit_code) != 0 ||
						       strcmp(old.kind, kind) != 0))) {
			refuse(why, rc == DL_ENOTFOUND ? 404 : 422,
			       _("the document to replace is not a stored document of this enterprise "
				 "and kind"), credit_code);
			return 0;
		}
		if (rc < 0) {
			srv_log("store: %s", err.message);
			return rc;
		}
	}
	dl_store_document doc;
	memset(&doc, 0, sizeof doc);
	snprintf(doc.credit_code, sizeof doc.credit_code, "%s", credit_code);
	snprintf(doc.kind, sizeof doc.kind, "%s", kind);
	snprintf(doc.filename, sizeof doc.filename, "%s", filename);
	snprintf(doc.content_type, sizeof doc.content_type, "%s", t->content_type);
	dl_store_actor by;
	srv_actor(rq, &by);
	int rc = dl_store_document_put(s->store, &doc, replaces, bytes, len, &by, stored, &err);
	if (rc == DL_ECONFLICT) { /* *stored is the version saved meanwhile; nothing was stored */
		snprintf(why->text, sizeof why->text,
			 _("someone else saved version %lld of this document meanwhile (document %lld), "
			   "so this file was not stored: look at that version, then upload yours as its "
			   "new version"),
			 (long long)stored->version, (long long)stored->id);
		refuse(why, 409, why->text, credit_code);
		return 0;
	}
	if (rc == DL_ENOTFOUND) {
		refuse(why, 404, _("the document to replace is not a stored document of this enterprise "
				   "and kind"), credit_code);
		return 0;
	}
	if (rc < 0)
		srv_log("store: %s", err.message);
	return rc;
}

int srv_document_json(srv_buf *b, const dl_store_document *d)
{
	const char *type = srv_document_content_type(d->filename);
	srv_buf_printf(b, "{\"id\": %lld, \"lineage\": %lld, \"version\": %lld, \"credit_code\": ",
		       (long long)d->id, (long long)d->lineage, (long long)d->version);
	srv_json_string(b, d->credit_code);
	srv_buf_puts(b, ", \"kind\": ");
	srv_json_string(b, d->kind);
	srv_buf_puts(b, ", \"filename\": ");
	srv_json_string(b, d->filename);
	srv_buf_puts(b, ", \"content_type\": ");
	srv_json_string(b, type ? type : d->content_type);
	srv_buf_printf(b, ", \"size\": %zu, \"sha256\": ", d->len);
	srv_json_string(b, d->sha256);
	srv_buf_puts(b, ", \"author\": ");
	srv_json_string(b, d->author);
	srv_buf_puts(b, ", \"received\": ");
	srv_json_string(b, d->received);
	return srv_buf_puts(b, "}");
}

int api_documents_post(srv *s, const srv_request *rq, srv_response *rs)
{
	dl_store_document stored;
	srv_refusal why;
	int rc = srv_document_accept(s, rq, rq->param[0], srv_query(rq, "kind"),
				     srv_query(rq, "filename"), srv_query(rq, "replaces"), rq->body,
				     rq->body ? rq->body_len : 0, &stored, &why);
	if (rc < 0)
		return rc;
	if (why.status == 403)
		return srv_refuse(s, rq, rs, why.credit_code);
	if (why.status)
		return srv_respond_error(rs, why.status, why.message);
	srv_buf b = {0};
	srv_document_json(&b, &stored);
	srv_buf_puts(&b, "\n");
	snprintf(rs->location, sizeof rs->location, "/api/documents/%lld", (long long)stored.id);
	return srv_respond_buf(rs, 201, JSON, &b);
}

int api_documents_list(srv *s, const srv_request *rq, srv_response *rs)
{
	const char *code = rq->param[0];
	if (!srv_credit_code_plausible(code))
		return srv_respond_error(rs, 404, _("there is no enterprise with this credit code"));
	if (!srv_may(s, rq, SRV_READ, code))
		return srv_refuse(s, rq, rs, code);
	dl_store_document *docs = NULL;
	size_t count = 0;
	dl_error err = {0};
	int rc = dl_store_document_list(s->store, code, &docs, &count, &err);
	if (rc < 0) {
		srv_log("store: %s", err.message);
		return rc;
	}
	srv_buf b = {0};
	srv_buf_puts(&b, "[");
	for (size_t i = 0; i < count; i++) {
		srv_buf_puts(&b, i ? ",\n " : "\n ");
		srv_document_json(&b, &docs[i]);
	}
	srv_buf_puts(&b, count ? "\n]\n" : "]\n");
	free(docs);
	return srv_respond_buf(rs, 200, JSON, &b);
}

/* Content-Disposition: an ASCII name, and the uploaded one (UTF-8) as RFC 5987 filename*. */
static void disposition(const dl_store_document *d, char *out, size_t size)
{
	const char *dot = strrchr(d->filename, '.');
	char ascii[128], ext[16] = "";
	if (dot)
		for (size_t i = 0; dot[i + 1] && i + 1 < sizeof ext; i++)
			ext[i] = (char)((dot[i + 1] >= 'A' && dot[i + 1] <= 'Z') ? dot[i + 1] + 32 : dot[i + 1]);
	snprintf(ascii, sizeof ascii, "%s-%s-%lld-v%lld%s%s", d->credit_code, d->kind,
		 (long long)d->lineage, (long long)d->version, ext[0] ? "." : "", ext);
	int n = snprintf(out, size, "attachment; filename=\"%s\"; filename*=UTF-8''", ascii);
	if (n < 0 || (size_t)n >= size)
		return;
	size_t at = (size_t)n, mark = at;
	static const char HEX[] = "0123456789ABCDEF";
	for (const unsigned char *c = (const unsigned char *)d->filename; *c; c++) {
		bool plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			     (*c >= '0' && *c <= '9') || strchr("!#$&+-.^_`|~", *c);
		if (at + (plain ? 1 : 3) >= size) { /* does not fit: the ASCII name alone */
			out[mark - strlen("; filename*=UTF-8''")] = '\0';
			return;
		}
		if (plain) {
			out[at++] = (char)*c;
		} else {
			out[at++] = '%';
			out[at++] = HEX[*c >> 4];
			out[at++] = HEX[*c & 15];
		}
	}
	out[at] = '\0';
}

int api_document_get(srv *s, const srv_request *rq, srv_response *rs)
{
	int64_t id = srv_parse_id(rq->param[0]);
	dl_store_document d;
	void *bytes = NULL;
	dl_error err = {0};
	int rc = id ? dl_store_document_get(s->store, id, &d, &bytes, &err) : DL_ENOTFOUND;
	if (rc == DL_ENOTFOUND)
		return srv_respond_error(rs, 404, _("no document of that number is stored"));
	if (rc < 0) {
		srv_log("store: %s", err.message);
		return rc;
	}
	if (!srv_may(s, rq, SRV_READ, d.credit_code)) {
		free(bytes);
		return srv_refuse(s, rq, rs, d.credit_code);
	}
	const char *type = srv_document_content_type(d.filename);
	disposition(&d, rs->disposition, sizeof rs->disposition);
	rc = srv_respond_bytes(rs, 200, type ? type : "application/octet-stream", bytes, d.len);
	free(bytes);
	return rc;
}
