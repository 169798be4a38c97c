/*
 * api_district.h: the supervisor's part of district mode in the JSON API (docs/api.md): documents
 * (contracts, retrofit plans: api_documents.c), reviews and the pipeline (api_reviews.c), and the
 * 一企一档 archive (archive.c); and the checks the API and the pages share, so that a page's form
 * and an API call cannot accept different things.
 */
#ifndef DL_SERVER_API_DISTRICT_H
#define DL_SERVER_API_DISTRICT_H

#include "server.h"

/** The largest document accepted, bytes (below the request body limit; docs/api.md says why). */
#define SRV_DOCUMENT_LIMIT ((size_t)12 * 1024 * 1024)
/** The longest document file name accepted, bytes of UTF-8 (40 Chinese characters and more). */
#define SRV_DOCUMENT_NAME_MAX 120

/* POST /api/enterprises/{credit_code}/documents?kind=...&filename=...[&replaces=ID]: 201. */
int api_documents_post(srv *s, const srv_request *rq, srv_response *rs);
/* GET /api/enterprises/{credit_code}/documents: every version, newest first. */
int api_documents_list(srv *s, const srv_request *rq, srv_response *rs);
/* GET /api/documents/{id}: the bytes, as an attachment. */
int api_document_get(srv *s, const srv_request *rq, srv_response *rs);

/* POST /api/reviews {"item", "id", "decision", "comment"}: 201. */
int api_reviews_post(srv *s, const srv_request *rq, srv_response *rs);
/* GET /api/enterprises/{credit_code}/reviews: newest first. */
int api_reviews_list(srv *s, const srv_request *rq, srv_response *rs);
/* GET /api/enterprises/{credit_code}/pipeline: the state of each step. */
int api_pipeline(srv *s, const srv_request *rq, srv_response *rs);

/* GET /api/enterprises/{credit_code}/archive.zip: 一企一档 (archive.c). */
int api_archive(srv *s, const srv_request *rq, srv_response *rs);

/** Whether code can be a 统一社会信用代码 as a path names it: 18 digits and capital letters. */
bool srv_credit_code_plausible(const char *code);

/** The content type a document of this file name is served with (by its extension, which the
 * upload checked against its bytes), or NULL for a name no upload accepts. */
const char *srv_document_content_type(const char *filename);

/** What a refused upload or review says: the HTTP status and a sentence (translated, static, or
 * in text when it names numbers). status 403: the caller answers with srv_refuse (the refusal is
 * audited); credit_code says whose. */
typedef struct srv_refusal {
	int status;
	const char *message;
	char credit_code[32];
	char text[320]; /**< the sentence when it is made for this refusal (message points here) */
} srv_refusal;

/**
 * Check and store a document uploaded for credit_code: kind "contract" or "plan", filename as the
 * user's computer named it, replaces_text NULL or the id of a version of the same enterprise's
 * same kind. On success fills *stored and leaves why->status 0; a refusal fills *why. Returns 0,
 * or a DL_E* code for a failure of the server (answer 500).
 */
int srv_document_accept(srv *s, const srv_request *rq, const char *credit_code, const char *kind,
			const char *filename, const char *replaces_text, const void *bytes, size_t len,
			dl_store_document *stored, srv_refusal *why);

/**
 * Check and record the supervisor's review of item ("sheet": a finished diagnosis; "document")
 * number id: decision "approved" or "returned" (which needs a comment). As srv_document_accept.
 */
int srv_review_decide(srv *s, const srv_request *rq, const char *item, int64_t id,
		      const char *decision, const char *comment, dl_store_review *stored,
		      srv_refusal *why);

/** A positive id from text, or 0. */
int64_t srv_parse_id(const char *text);

/** Append a document as a JSON object. */
int srv_document_json(srv_buf *b, const dl_store_document *d);

#endif
