/*
 * page_review.c: the supervisor's review queue and the integrator's document upload (pages of
 * district mode, docs/workbench.md "The supervisor"):
 *
 * - GET /review: every item that waits for the supervisor, across enterprises: the newest finished
 *   version of each diagnosis and the newest version of each contract and retrofit plan, when no
 *   review of that version exists yet; each with a link to what it is (the result page, the file)
 *   and a form to approve it or return it with a comment. Below, the returned items no new
 *   version has answered yet.
 * - POST /reviews: one decision (srv_review_decide, the checks the API makes), then back to the
 *   queue with a notice; a refused decision shows the queue again with the reason.
 * - GET /enterprises/{credit_code}/documents: the documents and, for its integrator, the upload
 *   form (a file, its kind, and which document it replaces, if any); POST: stored as the API's
 *   POST /api/enterprises/{credit_code}/documents stores it (srv_document_accept).
 */
#include "access.h"
#include "api_district.h"
#include "pages_district.h"
#include "pages_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the queue ------------------------------------------------------------------------------------ */

/* The approve / return form of one item. */
static void decision_form(html_page *p, xmlNodePtr cell, const char *item, int64_t id)
{
	xmlNodePtr form = html_form(p, cell, "post", "/reviews");
	html_attr(p, form, "class", "review");
	char num[24], field_id[48];
	snprintf(num, sizeof num, "%lld", (long long)id);
	snprintf(field_id, sizeof field_id, "comment-%s-%lld", item, (long long)id);
	xmlNodePtr h = html_el(p, form, "input", NULL);
	html_attr(p, h, "type", "hidden");
	html_attr(p, h, "name", "item");
	html_attr(p, h, "value", item);
	h = html_el(p, form, "input", NULL);
	html_attr(p, h, "type", "hidden");
	html_attr(p, h, "name", "id");
	html_attr(p, h, "value", num);
	xmlNodePtr div = html_el(p, form, "div", NULL);
	html_attr(p, div, "class", "field");
	html_attr(p, html_el(p, div, "label", _("Comment (required when returning)")), "for", field_id);
	xmlNodePtr ta = html_el(p, div, "textarea", NULL);
	html_attr(p, ta, "id", field_id);
	html_attr(p, ta, "name", "comment");
	html_attr(p, ta, "maxlength", "330");
	html_attr(p, ta, "rows", "2");
	xmlNodePtr actions = html_el(p, form, "div", NULL);
	html_attr(p, actions, "class", "actions");
	xmlNodePtr b = html_el(p, actions, "button", _("Approve"));
	html_attr(p, b, "type", "submit");
	html_attr(p, b, "name", "decision");
	html_attr(p, b, "value", "approved");
	html_attr(p, b, "class", "primary");
	b = html_el(p, actions, "button", _("Return to the integrator"));
	html_attr(p, b, "type", "submit");
	html_attr(p, b, "name", "decision");
	html_attr(p, b, "value", "returned");
}

/* One row of the queue. */
static void queue_row(html_page *p, srv *s, const srv_request *rq, xmlNodePtr t, const srv_district *d,
		      const char *code, const char *what, const char *href, const char *link_text,
		      const char *author, const char *when, const char *item, int64_t id)
{
	xmlNodePtr tr = view_row(p, t);
	char ent[96];
	snprintf(ent, sizeof ent, "/enterprises/%s", code);
	const char *name = srv_district_name_of(d, code);
	html_link(p, view_cell(p, tr, NULL), ent, *name ? name : code);
	view_cell(p, tr, what);
	html_link(p, view_cell(p, tr, NULL), href, link_text);
	view_cell(p, tr, *author ? author : "-");
	view_cell(p, tr, when);
	xmlNodePtr cell = view_cell(p, tr, NULL);
	if (srv_may(s, rq, SRV_REVIEW, code))
		decision_form(p, cell, item, id);
	else
		html_text(p, cell, _("(only the supervisor decides)"));
}

static bool wanted(srv *s, const srv_request *rq, const char *only, const char *code)
{
	return code[0] && (!only || strcmp(only, code) == 0) && srv_may(s, rq, SRV_READ, code);
}

/* The queue page with status; error (NULL: none) says why a decision was refused. */
static int queue_page(srv *s, const srv_request *rq, srv_response *rs, int status, const char *error)
{
	const char *only = view_param(rq, "credit_code");
	if (only && !srv_credit_code_plausible(only))
		only = NULL;
	srv_district d;
	dl_error err = {0};
	int rc = srv_district_load(s, NULL, &d, &err);
	if (rc < 0) {
		srv_log("GET /review: %s", err.message);
		srv_district_free(&d);
		return view_error_page(rq, rs, 500, _("Review queue"), _("The store could not be read."));
	}
	html_page p;
	if ((rc = html_page_new(&p, rq, _("Review queue"))) < 0) {
		srv_district_free(&d);
		return rc;
	}
	const char *notice = error ? NULL : view_param(rq, "notice");
	if (error) {
		xmlNodePtr m = html_el(&p, p.main, "p", error);
		html_attr(&p, m, "class", "error");
		html_attr(&p, m, "role", "alert");
	} else if (notice && (strcmp(notice, "approved") == 0 || strcmp(notice, "returned") == 0)) {
		xmlNodePtr m = html_el(&p, p.main, "p", strcmp(notice, "approved") == 0
							     ? _("Approved. The decision is recorded.")
							     : _("Returned to the integrator with your comment."));
		html_attr(&p, m, "class", "notice");
		html_attr(&p, m, "role", "status");
	}
	html_el(&p, p.main, "p", _("Diagnoses, contracts and retrofit plans that wait for the supervisor: "
				    "the newest version of each, not yet reviewed. Approve it, or return "
				    "it to its integrator with a comment saying what to change."));
	if (only) {
		char all[32];
		snprintf(all, sizeof all, "/review");
		html_elf(&p, p.main, "p", _("Only the enterprise %s is shown."), only);
		html_link(&p, html_el(&p, p.main, "p", NULL), all, _("Show every enterprise"));
	}
	const char *heads[] = {_("enterprise"), _("item"), _("open"), _("by"), _("saved (UTC)"),
			       _("decision")};
	xmlNodePtr t = view_table(&p, p.main, _("Awaiting review, oldest first"), heads, 6);
	html_attr(&p, t, "id", "queue");
	size_t waiting = 0;
	/* both lists are newest first: walk them from their ends, the older of the two next, so that
	 * the longest waiting is on top whatever it is */
	size_t i = d.row_count, j = d.doc_count;
	while (i > 0 || j > 0) {
		bool sheet = j == 0 || (i > 0 && strcmp(d.rows[i - 1].received, d.docs[j - 1].received) <= 0);
		if (sheet) {
			const dl_store_row *r = &d.rows[--i];
			if (strcmp(r->phase, "diagnosis") != 0 || !wanted(s, rq, only, r->credit_code) ||
			    !srv_district_row_current(&d, r) || srv_district_review_of(&d, "sheet", r->id))
				continue;
			char href[64], label[96];
			snprintf(href, sizeof href, "/sheets/%lld", (long long)r->id);
			snprintf(label, sizeof label, _("No. %lld (version %lld)"), (long long)r->id,
				 (long long)r->version);
			queue_row(&p, s, rq, t, &d, r->credit_code, view_phase_title(r->phase), href, label,
				  r->author, r->received, "sheet", r->id);
		} else {
			const dl_store_document *doc = &d.docs[--j];
			if (!wanted(s, rq, only, doc->credit_code) || !srv_district_doc_current(&d, doc) ||
			    srv_district_review_of(&d, "document", doc->id))
				continue;
			char href[64], what[160];
			snprintf(href, sizeof href, "/api/documents/%lld", (long long)doc->id);
			snprintf(what, sizeof what, _("%s (version %lld)"),
				 strcmp(doc->kind, "contract") == 0 ? _("Contract") : _("Retrofit plan"),
				 (long long)doc->version);
			queue_row(&p, s, rq, t, &d, doc->credit_code, what, href, doc->filename, doc->author,
				  doc->received, "document", doc->id);
		}
		waiting++;
	}
	if (waiting == 0)
		html_el(&p, p.main, "p", _("Nothing waits for review."));

	/* returned items no new version has answered yet */
	html_el(&p, p.main, "h2", _("Returned, waiting for a new version"));
	const char *rheads[] = {_("enterprise"), _("item"), _("comment"), _("reviewer"), _("when (UTC)")};
	xmlNodePtr rt = view_table(&p, p.main, NULL, rheads, 5);
	html_attr(&p, rt, "id", "returned");
	size_t returned = 0;
	for (size_t k = 0; k < d.review_count; k++) {
		const dl_store_review *r = &d.reviews[k];
		if (strcmp(r->decision, "returned") != 0 || !wanted(s, rq, only, r->credit_code) ||
		    srv_district_review_of(&d, r->item_kind, r->item_id) != r)
			continue;
		bool current = false;
		char label[400] = "", href[64];
		bool doc = strcmp(r->item_kind, "document") == 0;
		for (size_t m = 0; doc && m < d.doc_count; m++)
			if (d.docs[m].id == r->item_id) {
				current = srv_district_doc_current(&d, &d.docs[m]);
				snprintf(label, sizeof label, "%s", d.docs[m].filename);
			}
		for (size_t m = 0; !doc && m < d.row_count; m++)
			if (d.rows[m].id == r->item_id) {
				current = srv_district_row_current(&d, &d.rows[m]);
				snprintf(label, sizeof label, _("%s No. %lld (version %lld)"),
					 view_phase_title(d.rows[m].phase), (long long)r->item_id,
					 (long long)d.rows[m].version);
			}
		if (!current)
			continue;
		xmlNodePtr tr = view_row(&p, rt);
		html_attr(&p, tr, "class", "returned");
		char ent[96];
		snprintf(ent, sizeof ent, "/enterprises/%s", r->credit_code);
		const char *name = srv_district_name_of(&d, r->credit_code);
		html_link(&p, view_cell(&p, tr, NULL), ent, *name ? name : r->credit_code);
		snprintf(href, sizeof href, doc ? "/api/documents/%lld" : "/sheets/%lld", (long long)r->item_id);
		html_link(&p, view_cell(&p, tr, NULL), href, label);
		view_cell(&p, tr, r->comment);
		view_cell(&p, tr, r->reviewer[0] ? r->reviewer : "-");
		view_cell(&p, tr, r->at);
		returned++;
	}
	if (returned == 0)
		html_el(&p, p.main, "p", _("No returned item waits for a new version."));
	srv_district_free(&d);
	return html_finish(&p, rs, status);
}

int page_review_queue(srv *s, const srv_request *rq, srv_response *rs)
{
	return queue_page(s, rq, rs, 200, NULL);
}

int page_review_post(srv *s, const srv_request *rq, srv_response *rs)
{
	const srv_field *item = srv_field_get(rq, "item"), *id = srv_field_get(rq, "id");
	const srv_field *decision = srv_field_get(rq, "decision"), *comment = srv_field_get(rq, "comment");
	dl_store_review stored;
	srv_refusal why;
	int rc = srv_review_decide(s, rq, item ? item->value : NULL, id ? srv_parse_id(id->value) : 0,
				   decision ? decision->value : NULL, comment ? comment->value : NULL,
				   &stored, &why);
	if (rc < 0)
		return rc;
	if (why.status == 403)
		return srv_refuse(s, rq, rs, why.credit_code); /* a page for a page's path */
	if (why.status)
		return queue_page(s, rq, rs, why.status, why.message);
	return srv_respond_redirect(rs, strcmp(stored.decision, "approved") == 0
					    ? "/review?notice=approved"
					    : "/review?notice=returned");
}

/* --- documents ------------------------------------------------------------------------------------ */

static void upload_form(html_page *p, const srv_district *d, const char *code)
{
	char action[96];
	snprintf(action, sizeof action, "/enterprises/%s/documents", code);
	html_el(p, p->main, "h2", _("Upload a contract or retrofit plan"));
	xmlNodePtr form = html_form(p, p->main, "post", action);
	html_attr(p, form, "enctype", "multipart/form-data");
	html_attr(p, form, "class", "upload");
	xmlNodePtr div = html_el(p, form, "div", NULL);
	html_attr(p, div, "class", "field");
	html_attr(p, html_el(p, div, "label", _("Which document")), "for", "kind");
	xmlNodePtr sel = html_el(p, div, "select", NULL);
	html_attr(p, sel, "id", "kind");
	html_attr(p, sel, "name", "kind");
	html_attr(p, html_el(p, sel, "option", _("Contract (数字化改造合同)")), "value", "contract");
	html_attr(p, html_el(p, sel, "option", _("Retrofit plan (改造方案)")), "value", "plan");
	div = html_el(p, form, "div", NULL);
	html_attr(p, div, "class", "field");
	html_attr(p, html_el(p, div, "label", _("New version of")), "for", "replaces");
	sel = html_el(p, div, "select", NULL);
	html_attr(p, sel, "id", "replaces");
	html_attr(p, sel, "name", "replaces");
	html_attr(p, html_el(p, sel, "option", _("none: a new document")), "value", "");
	for (size_t i = 0; i < d->doc_count; i++) {
		if (!srv_district_doc_current(d, &d->docs[i]))
			continue;
		char label[400], num[24];
		snprintf(label, sizeof label, _("%s %s (version %lld)"),
			 strcmp(d->docs[i].kind, "contract") == 0 ? _("Contract") : _("Retrofit plan"),
			 d->docs[i].filename, (long long)d->docs[i].version);
		snprintf(num, sizeof num, "%lld", (long long)d->docs[i].id);
		html_attr(p, html_el(p, sel, "option", label), "value", num);
	}
	div = html_el(p, form, "div", NULL);
	html_attr(p, div, "class", "field");
	html_attr(p, html_el(p, div, "label", _("The file")), "for", "file");
	xmlNodePtr in = html_el(p, div, "input", NULL);
	html_attr(p, in, "type", "file");
	html_attr(p, in, "id", "file");
	html_attr(p, in, "name", "file");
	html_attr(p, in, "required", NULL);
	html_attr(p, in, "accept", ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.odt,.ods,.doc,.xls,.ppt,.txt");
	html_attr(p, in, "aria-describedby", "file-help");
	xmlNodePtr help = html_el(p, div, "p", _("PDF, a picture (PNG, JPEG), an Office or OpenDocument "
						 "file, or plain text; at most 12 MiB. The file is kept "
						 "as it is; the supervisor reviews the newest version."));
	html_attr(p, help, "id", "file-help");
	html_attr(p, help, "class", "help");
	html_attr(p, html_el(p, form, "button", _("Upload")), "type", "submit");
}

/* The documents page with status; error (NULL: none) says why an upload was refused. */
static int documents_page(srv *s, const srv_request *rq, srv_response *rs, int status, const char *error)
{
	const char *code = rq->param[0];
	srv_district d;
	dl_error err = {0};
	int rc = srv_district_load(s, code, &d, &err);
	if (rc < 0) {
		srv_log("documents of %s: %s", code, err.message);
		srv_district_free(&d);
		return view_error_page(rq, rs, 500, _("Documents"), _("The store could not be read."));
	}
	char title[400];
	const char *name = srv_district_name_of(&d, code);
	snprintf(title, sizeof title, _("Documents of %s (%s)"), *name ? name : _("enterprise"), code);
	html_page p;
	if ((rc = html_page_new(&p, rq, title)) < 0) {
		srv_district_free(&d);
		return rc;
	}
	const char *notice = error ? NULL : view_param(rq, "notice");
	if (error) {
		xmlNodePtr m = html_el(&p, p.main, "p", error);
		html_attr(&p, m, "class", "error");
		html_attr(&p, m, "role", "alert");
	} else if (notice && strcmp(notice, "uploaded") == 0) {
		xmlNodePtr m = html_el(&p, p.main, "p", _("Uploaded. The supervisor will review it."));
		html_attr(&p, m, "class", "notice");
		html_attr(&p, m, "role", "status");
	}
	char back[96];
	snprintf(back, sizeof back, "/enterprises/%s", code);
	html_link(&p, html_el(&p, p.main, "p", NULL), back, _("Back to the enterprise"));
	if (srv_may(s, rq, SRV_WRITE_DOCUMENT, code))
		upload_form(&p, &d, code);
	html_el(&p, p.main, "h2", _("Contracts and retrofit plans"));
	district_documents_table(&p, p.main, &d);
	srv_district_free(&d);
	return html_finish(&p, rs, status);
}

int page_documents(srv *s, const srv_request *rq, srv_response *rs)
{
	const char *code = rq->param[0];
	if (!srv_credit_code_plausible(code))
		return view_error_page(rq, rs, 404, _("Documents"), _("There is no enterprise with this credit code."));
	if (!srv_may(s, rq, SRV_READ, code))
		return srv_refuse(s, rq, rs, code);
	return documents_page(s, rq, rs, 200, NULL);
}

/* A name without a folder (some browsers send one). */
static const char *base_name(const char *filename)
{
	const char *b = filename;
	for (const char *c = filename; *c; c++)
		if (*c == '/' || *c == '\\')
			b = c + 1;
	return b;
}

int page_documents_post(srv *s, const srv_request *rq, srv_response *rs)
{
	const char *code = rq->param[0];
	if (!srv_credit_code_plausible(code))
		return view_error_page(rq, rs, 404, _("Documents"), _("There is no enterprise with this credit code."));
	const srv_field *file = srv_field_get(rq, "file"), *kind = srv_field_get(rq, "kind");
	const srv_field *replaces = srv_field_get(rq, "replaces");
	dl_store_document stored;
	srv_refusal why;
	int rc;
	if (!file || !file->filename) {
		if (!srv_may(s, rq, SRV_WRITE_DOCUMENT, code))
			return srv_refuse(s, rq, rs, code);
		return documents_page(s, rq, rs, 400, _("Choose the file to upload."));
	}
	rc = srv_document_accept(s, rq, code, kind ? kind->value : NULL, base_name(file->filename),
				 replaces && replaces->value[0] ? replaces->value : NULL, file->value,
				 file->len, &stored, &why);
	if (rc < 0)
		return rc;
	if (why.status == 403)
		return srv_refuse(s, rq, rs, why.credit_code);
	if (why.status)
		return documents_page(s, rq, rs, why.status, why.message);
	char location[128];
	snprintf(location, sizeof location, "/enterprises/%s/documents?notice=uploaded", code);
	return srv_respond_redirect(rs, location);
}
