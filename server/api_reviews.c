/*
 * api_reviews.c: the supervisor's reviews (docs/api.md): POST /api/reviews approves or returns a
 * finished diagnosis or a document (a contract, a retrofit plan) with a comment, GET
 * /api/enterprises/{credit_code}/reviews lists an enterprise's reviews, GET .../pipeline gives the
 * state of each step of its pipeline (pipeline.h).
 *
 * Only the supervisor reviews (SRV_REVIEW, access.h), only the newest finished version of a
 * diagnosis and the newest version of a document can be reviewed (a review of an older one would
 * decide about something already replaced), and a return must say why: the integrator reads the
 * comment on the enterprise's page and answers with a new version, which the supervisor then
 * reviews again. The store writes the audit entry with the review, in one transaction.
 */
#include "access.h"
#include "api_district.h"
#include "auth.h"
#include "pipeline.h"
#include "pages_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char JSON[] = "application/json; charset=utf-8";

/* --- a flat JSON object of strings and integers ------------------------------------------------- */

#define REVIEW_FIELD_MAX 2048 /* a comment longer than the store keeps is refused anyway */

typedef struct review_body {
	char item[16], decision[16], comment[REVIEW_FIELD_MAX];
	int64_t id;
	bool has_item, has_id, has_decision, has_comment;
} review_body;

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static size_t put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static bool hex4(const char *p, const char *end, unsigned long *v)
{
	*v = 0;
	if (end - p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
						 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return false;
		*v = *v * 16 + (unsigned long)d;
	}
	return true;
}

/* A JSON string at *at (after its opening quote) into out (size bytes, NUL-terminated). Returns
 * false on bad JSON or when it does not fit (*too_long then). */
static bool json_string(const char **at, const char *end, char *out, size_t size, bool *too_long)
{
	const char *p = *at;
	size_t n = 0;
	while (p < end && *p != '"') {
		char buf[4];
		size_t k;
		unsigned char c = (unsigned char)*p;
		if (c < 0x20)
			return false;
		if (c != '\\') {
			buf[0] = (char)c;
			k = 1;
			p++;
		} else {
			if (++p >= end)
				return false;
			const char *esc = strchr("\"\\/bfnrt", *p);
			if (*p && esc) {
				buf[0] = "\"\\/\b\f\n\r\t"[esc - "\"\\/bfnrt"];
				k = 1;
				p++;
			} else if (*p == 'u') {
				unsigned long cp, lo;
				if (!hex4(p + 1, end, &cp))
					return false;
				p += 5;
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, end, &lo) ||
					    lo < 0xDC00 || lo > 0xDFFF)
						return false;
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					p += 6;
				} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
					return false;
				}
				if (cp == 0)
					return false;
				k = put_utf8(buf, cp);
			} else {
				return false;
			}
		}
		if (n + k >= size) {
			*too_long = true;
			return false;
		}
		memcpy(out + n, buf, k);
		n += k;
	}
	if (p >= end)
		return false;
	out[n] = '\0';
	*at = p + 1;
	return true;
}

/* Parse {"item": "...", "id": N, "decision": "...", "comment": "..."}; other members are ignored
 * when they are strings, numbers, true, false or null. 0, or 400 / 413 (a field too long). */
static int parse_body(const char *p, size_t len, review_body *b)
{
	const char *end = p + len;
	memset(b, 0, sizeof *b);
	p = skip_space(p, end);
	if (p >= end || *p++ != '{')
		return 400;
	p = skip_space(p, end);
	if (p < end && *p == '}')
		return skip_space(p + 1, end) == end ? 0 : 400;
	for (;;) {
		char key[64];
		bool too_long = false;
		p = skip_space(p, end);
		if (p >= end || *p++ != '"' || !json_string(&p, end, key, sizeof key, &too_long))
			return 400;
		p = skip_space(p, end);
		if (p >= end || *p++ != ':')
			return 400;
		p = skip_space(p, end);
		if (p >= end)
			return 400;
		char *target = NULL;
		size_t size = 0;
		bool *seen = NULL;
		if (strcmp(key, "item") == 0) {
			target = b->item;
			size = sizeof b->item;
			seen = &b->has_item;
		} else if (strcmp(key, "decision") == 0) {
			target = b->decision;
			size = sizeof b->decision;
			seen = &b->has_decision;
		} else if (strcmp(key, "comment") == 0) {
			target = b->comment;
			size = sizeof b->comment;
			seen = &b->has_comment;
		}
		if (*p == '"') {
			char scratch[REVIEW_FIELD_MAX] = "";
			p++;
			if (!json_string(&p, end, target ? target : scratch, target ? size : sizeof scratch,
					 &too_long))
				return too_long && seen == &b->has_comment ? 413 : 400;
			if (seen)
				*seen = true;
			else if (strcmp(key, "id") == 0)
				return 400;
		} else if (*p == '-' || (*p >= '0' && *p <= '9')) {
			const char *start = p;
			if (*p == '-')
				p++;
			while (p < end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' ||
					   *p == '+' || *p == '-'))
				p++;
			if (strcmp(key, "id") == 0) {
				char digits[24];
				size_t n = (size_t)(p - start);
				if (n >= sizeof digits)
					return 400;
				memcpy(digits, start, n);
				digits[n] = '\0';
				b->id = srv_parse_id(digits);
				b->has_id = true;
			} else if (target) {
				return 400;
			}
		} else {
			const char *words[] = {"true", "false", "null"};
			size_t w = 0;
			while (w < 3 && !((size_t)(end - p) >= strlen(words[w]) &&
					  memcmp(p, words[w], strlen(words[w])) == 0))
				w++;
			if (w == 3 || target || strcmp(key, "id") == 0)
				return 400;
			p += strlen(words[w]);
		}
		p = skip_space(p, end);
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p < end && *p == '}')
			return skip_space(p + 1, end) == end ? 0 : 400;
		return 400;
	}
}

/* --- the decision, shared with the page (page_review.c) ------------------------------------------ */

static void refuse(srv_refusal *why, int status, const char *message, const char *credit_code)
{
	why->status = status;
	why->message = message;
	snprintf(why->credit_code, sizeof why->credit_code, "%s", credit_code ? credit_code : "");
}

/* Is text empty or only white space? */
static bool blank(const char *text)
{
	for (; text && *text; text++)
		if (*text != ' ' && *text != '\t' && *text != '\n' && *text != '\r')
			return false;
	return true;
}

/* Is version id of a sheet lineage the newest finished one (nothing finished came after it)? */
static int sheet_current(srv *s, const dl_store_row *row, bool *current, dl_error *err)
{
	dl_store_filter f;
	memset(&f, 0, sizeof f);
	f.lineage = row->lineage;
	f.history = true;
	f.drafts = true;
	dl_store_row *rows = NULL;
	size_t count = 0;
	int rc = dl_store_list(s->store, &f, &rows, &count, err);
	*current = true;
	for (size_t i = 0; rc == 0 && i < count; i++)
		if (rows[i].lineage == row->lineage && !rows[i].draft && rows[i].id > row->id)
			*current = false;
	free(rows);
	return rc;
}

static int document_current(srv *s, const dl_store_document *doc, bool *current, dl_error *err)
{
	dl_store_document *docs = NULL;
	size_t count = 0;
	int rc = dl_store_document_list(s->store, doc->credit_code, &docs, &count, err);
	*current = true;
	for (size_t i = 0; rc == 0 && i < count; i++)
		if (docs[i].lineage == doc->lineage && docs[i].id > doc->id)
			*current = false;
	free(docs);
	return rc;
}

int srv_review_decide(srv *s, const srv_request *rq, const char *item, int64_t id,
		      const char *decision, const char *comment, dl_store_review *stored,
		      srv_refusal *why)
{
	memset(why, 0, sizeof *why);
	bool sheet = item && strcmp(item, "sheet") == 0;
	if (!item || (!sheet && strcmp(item, "document") != 0)) {
		refuse(why, 400, _("say what is reviewed: item \"sheet\" (a diagnosis) or \"document\" (a "
				   "contract or retrofit plan)"), NULL);
		return 0;
	}
	if (id <= 0) {
		refuse(why, 400, _("say the number of the diagnosis or document reviewed (id)"), NULL);
		return 0;
	}
	dl_store_review r;
	memset(&r, 0, sizeof r);
	dl_error err = {0};
	bool current = true;
	int rc;
	if (sheet) {
		dl_store_row row;
		rc = dl_store_get(s->store, id, &row, NULL, NULL, &err);
		if (rc == DL_ENOTFOUND) {
			refuse(why, 404, _("no sheet of that number is stored"), NULL);
			return 0;
		}
		if (rc == 0 && !srv_may(s, rq, SRV_REVIEW, row.credit_code)) {
			refuse(why, 403, "", row.credit_code);
			return 0;
		}
		if (rc == 0 && (strcmp(row.phase, "diagnosis") != 0 || row.draft || !row.credit_code[0])) {
			refuse(why, 422, _("only a finished diagnosis is reviewed: this sheet is a draft, a "
					   "self-check or an evaluation"), row.credit_code);
			return 0;
		}
		if (rc == 0)
			rc = sheet_current(s, &row, &current, &err);
		snprintf(r.credit_code, sizeof r.credit_code, "%s", row.credit_code);
	} else {
		dl_store_document doc;
		rc = dl_store_document_get(s->store, id, &doc, NULL, &err);
		if (rc == DL_ENOTFOUND) {
			refuse(why, 404, _("no document of that number is stored"), NULL);
			return 0;
		}
		if (rc == 0 && !srv_may(s, rq, SRV_REVIEW, doc.credit_code)) {
			refuse(why, 403, "", doc.credit_code);
			return 0;
		}
		if (rc == 0)
			rc = document_current(s, &doc, &current, &err);
		snprintf(r.credit_code, sizeof r.credit_code, "%s", doc.credit_code);
	}
	if (rc < 0) {
		srv_log("store: %s", err.message);
		return rc;
	}
	if (!current) {
		refuse(why, 409, _("a newer version of this item is stored: review that one"), r.credit_code);
		return 0;
	}
	bool returned = decision && strcmp(decision, "returned") == 0;
	if (!decision || (!returned && strcmp(decision, "approved") != 0)) {
		refuse(why, 422, _("the decision must be \"approved\" or \"returned\""), r.credit_code);
		return 0;
	}
	if (returned && blank(comment)) {
		refuse(why, 422, _("say why the item is returned: the integrator reads the comment and "
				   "answers with a new version"), r.credit_code);
		return 0;
	}
	if (comment && strlen(comment) >= sizeof r.comment) {
		refuse(why, 422, _("the comment is too long: at most 1000 bytes (about 330 Chinese "
				   "characters)"), r.credit_code);
		return 0;
	}
	snprintf(r.item_kind, sizeof r.item_kind, "%s", item);
	r.item_id = id;
	snprintf(r.decision, sizeof r.decision, "%s", decision);
	snprintf(r.comment, sizeof r.comment, "%s", comment ? comment : "");
	dl_store_actor by;
	srv_actor(rq, &by);
	rc = dl_store_review_add(s->store, &r, &by, stored, &err);
	if (rc == DL_ENOTFOUND) {
		refuse(why, 404, _("the item reviewed is not stored here"), r.credit_code);
		return 0;
	}
	if (rc < 0)
		srv_log("store: %s", err.message);
	return rc;
}

/* --- the handlers ---------------------------------------------------------------------------------- */

int api_reviews_post(srv *s, const srv_request *rq, srv_response *rs)
{
	review_body body;
	int bad = rq->body ? parse_body((const char *)rq->body, rq->body_len, &body) : 400;
	if (bad == 413 || (bad == 0 && body.has_comment && strlen(body.comment) > 1000))
		return srv_respond_error(rs, 422, _("the comment is too long: at most 1000 bytes (about "
						    "330 Chinese characters)"));
	if (bad)
		return srv_respond_error(rs, 400, _("send the review as JSON: {\"item\": \"sheet\" or "
						    "\"document\", \"id\": its number, \"decision\": "
						    "\"approved\" or \"returned\", \"comment\": why}"));
	dl_store_review stored;
	srv_refusal why;
	int rc = srv_review_decide(s, rq, body.has_item ? body.item : NULL, body.has_id ? body.id : 0,
				   body.has_decision ? body.decision : NULL, body.comment, &stored, &why);
	if (rc < 0)
		return rc;
	if (why.status == 403)
		return srv_refuse(s, rq, rs, why.credit_code);
	if (why.status)
		return srv_respond_error(rs, why.status, why.message);
	srv_buf b = {0};
	srv_review_json(&b, &stored);
	srv_buf_puts(&b, "\n");
	return srv_respond_buf(rs, 201, JSON, &b);
}

int api_reviews_list(srv *s, const srv_request *rq, srv_response *rs)
{
	const char *code = rq->param[0];
	if (!srv_credit_code_plausible(code))
		return srv_respond_error(rs, 404, _("there is no enterprise with this credit code"));
	if (!srv_may(s, rq, SRV_READ, code))
		return srv_refuse(s, rq, rs, code);
	dl_store_review *reviews = NULL;
	size_t count = 0;
	dl_error err = {0};
	int rc = dl_store_review_list(s->store, code, &reviews, &count, &err);
	if (rc < 0) {
		srv_log("store: %s", err.message);
		return rc;
	}
	srv_buf b = {0};
	srv_buf_puts(&b, "[");
	for (size_t i = 0; i < count; i++) {
		srv_buf_puts(&b, i ? ",\n " : "\n ");
		srv_review_json(&b, &reviews[i]);
	}
	srv_buf_puts(&b, count ? "\n]\n" : "]\n");
	free(reviews);
	return srv_respond_buf(rs, 200, JSON, &b);
}

int api_pipeline(srv *s, const srv_request *rq, srv_response *rs)
{
	const char *code = rq->param[0];
	if (!srv_credit_code_plausible(code))
		return srv_respond_error(rs, 404, _("there is no enterprise with this credit code"));
	if (!srv_may(s, rq, SRV_READ, code))
		return srv_refuse(s, rq, rs, code);
	const char *policy_id = srv_query(rq, "policy");
	const dl_policy *policy = policy_id && *policy_id ? srv_policy_find(s, policy_id)
							  : view_default_policy(s, NULL);
	if (policy_id && *policy_id && !policy)
		return srv_respond_error(rs, 404, _("this server has no policy of that name"));
	srv_district d;
	srv_pipeline p;
	dl_error err = {0};
	int rc = srv_district_load(s, code, &d, &err);
	if (rc == 0)
		rc = srv_pipeline_make(s, &d, code, policy, &p, &err);
	if (rc < 0) {
		srv_log("pipeline of %s: %s", code, err.message);
		srv_district_free(&d);
		return rc;
	}
	srv_buf b = {0};
	srv_buf_puts(&b, "{\"credit_code\": ");
	srv_json_string(&b, code);
	srv_buf_puts(&b, ", \"policy\": ");
	if (policy)
		srv_json_string(&b, dl_policy_id(policy));
	else
		srv_buf_puts(&b, "null");
	srv_buf_puts(&b, ", \"steps\": ");
	srv_pipeline_json(&b, &p);
	srv_buf_puts(&b, "}\n");
	srv_district_free(&d);
	return srv_respond_buf(rs, 200, JSON, &b);
}
