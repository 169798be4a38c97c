/*
 * page_district.c: what the enterprise page and the dashboard show of the supervisor's work
 * (pages_district.h): the pipeline (诊断 → 合同 → 改造方案 → 评测 → 验收) with the state of each
 * step, the documents with their versions and download links, and the reviews; a returned item with
 * its comment set apart at the top of the page, under its title, so that its integrator sees first
 * what to change.
 *
 * Everything comes from pipeline.h (srv_district, srv_pipeline_make), the same states the API's
 * GET /api/enterprises/{code}/pipeline answers.
 */
#include "access.h"
#include "pages_district.h"
#include "pages_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The class a state's cell gets (review.css colours them). */
static void state_cell(html_page *p, xmlNodePtr tr, srv_state state)
{
	char cls[32];
	snprintf(cls, sizeof cls, "state %s", srv_state_name(state));
	html_attr(p, view_cell(p, tr, srv_state_title(state)), "class", cls);
}

static const char *kind_title(const char *kind)
{
	return strcmp(kind, "contract") == 0 ? _("Contract") : _("Retrofit plan");
}

static const char *decision_title(const char *decision)
{
	return strcmp(decision, "approved") == 0 ? _("approved by the supervisor")
					     : _("returned to the integrator");
}

/* How a page names a reviewed item: "诊断 No. 5 (version 2)", "合同 name.pdf (version 1)". */
static void item_label(const srv_district *d, const char *kind, int64_t id, char *buf, size_t size)
{
	if (strcmp(kind, "document") == 0) {
		for (size_t i = 0; i < d->doc_count; i++)
			if (d->docs[i].id == id) {
				snprintf(buf, size, _("%s %s (version %lld)"), kind_title(d->docs[i].kind),
					 d->docs[i].filename, (long long)d->docs[i].version);
				return;
			}
		snprintf(buf, size, _("document No. %lld"), (long long)id);
		return;
	}
	for (size_t i = 0; i < d->row_count; i++)
		if (d->rows[i].id == id) {
			snprintf(buf, size, _("%s No. %lld (version %lld)"), view_phase_title(d->rows[i].phase),
				 (long long)id, (long long)d->rows[i].version);
			return;
		}
	snprintf(buf, size, _("sheet No. %lld"), (long long)id);
}

static void item_href(const char *kind, int64_t id, char *buf, size_t size)
{
	snprintf(buf, size, strcmp(kind, "document") == 0 ? "/api/documents/%lld" : "/sheets/%lld",
		 (long long)id);
}

void district_documents_table(html_page *p, xmlNodePtr parent, const srv_district *d)
{
	if (d->doc_count == 0) {
		html_el(p, parent, "p", _("No contract or retrofit plan is uploaded yet."));
		return;
	}
	const char *heads[] = {_("Which document"), _("file"), _("version"), _("size (bytes)"),
			       _("uploaded by"), _("uploaded (UTC)"), _("review")};
	xmlNodePtr t = view_table(p, parent, _("Every version, newest first"), heads, 7);
	for (size_t i = 0; i < d->doc_count; i++) {
		const dl_store_document *doc = &d->docs[i];
		const dl_store_review *r = srv_district_review_of(d, "document", doc->id);
		xmlNodePtr tr = view_row(p, t);
		if (r && strcmp(r->decision, "returned") == 0)
			html_attr(p, tr, "class", "returned");
		view_cell(p, tr, kind_title(doc->kind));
		char href[64], num[32];
		snprintf(href, sizeof href, "/api/documents/%lld", (long long)doc->id);
		html_link(p, view_cell(p, tr, NULL), href, doc->filename);
		snprintf(num, sizeof num, "%lld", (long long)doc->version);
		xmlNodePtr v = view_cell(p, tr, num);
		if (!srv_district_doc_current(d, doc))
			html_text(p, v, _(" (replaced)"));
		snprintf(num, sizeof num, "%zu", doc->len);
		view_cell(p, tr, num);
		view_cell(p, tr, doc->author[0] ? doc->author : "-");
		view_cell(p, tr, doc->received);
		view_cell(p, tr, r ? decision_title(r->decision) : _("not reviewed"));
	}
}

/* The reviews, newest first; a returned one marked. */
static void reviews_table(html_page *p, const srv_district *d)
{
	if (d->review_count == 0) {
		html_el(p, p->main, "p", _("Nothing has been reviewed yet."));
		return;
	}
	const char *heads[] = {_("when (UTC)"), _("item"), _("decision"), _("comment"), _("reviewer")};
	xmlNodePtr t = view_table(p, p->main, _("The supervisor's reviews, newest first"), heads, 5);
	for (size_t i = 0; i < d->review_count; i++) {
		const dl_store_review *r = &d->reviews[i];
		xmlNodePtr tr = view_row(p, t);
		bool returned = strcmp(r->decision, "returned") == 0;
		if (returned)
			html_attr(p, tr, "class", "returned");
		view_cell(p, tr, r->at);
		char label[400], href[64];
		item_label(d, r->item_kind, r->item_id, label, sizeof label);
		item_href(r->item_kind, r->item_id, href, sizeof href);
		html_link(p, view_cell(p, tr, NULL), href, label);
		html_el(p, view_cell(p, tr, NULL), returned ? "strong" : "span", decision_title(r->decision));
		view_cell(p, tr, r->comment);
		view_cell(p, tr, r->reviewer[0] ? r->reviewer : "-");
	}
}

/* The pipeline as a table: step, state, which version, the review's comment. */
static void pipeline_table(html_page *p, const srv_district *d, const srv_pipeline *pl)
{
	const char *heads[] = {_("step"), _("state"), _("item"), _("review")};
	xmlNodePtr t = view_table(p, p->main, _("Where the enterprise stands"), heads, 4);
	for (size_t i = 0; i < SRV_STEP_COUNT; i++) {
		const srv_pipeline_step *st = &pl->step[i];
		xmlNodePtr tr = view_row(p, t);
		if (st->state == SRV_STATE_RETURNED)
			html_attr(p, tr, "class", "returned");
		html_attr(p, html_el(p, tr, "th", srv_step_title((srv_step)i)), "scope", "row");
		state_cell(p, tr, st->state);
		xmlNodePtr item = view_cell(p, tr, NULL);
		if (st->item_id) {
			char label[400], href[64];
			const char *kind = i == SRV_STEP_CONTRACT || i == SRV_STEP_PLAN ? "document" : "sheet";
			item_label(d, kind, st->item_id, label, sizeof label);
			item_href(kind, st->item_id, href, sizeof href);
			html_link(p, item, href, label);
		}
		xmlNodePtr rev = view_cell(p, tr, NULL);
		if (st->review) {
			char by[200];
			snprintf(by, sizeof by, _("%s by %s at %s"), decision_title(st->review->decision),
				 st->review->reviewer[0] ? st->review->reviewer : "-", st->review->at);
			html_el(p, rev, "div", by);
			if (st->review->comment[0])
				html_el(p, rev, "div", st->review->comment);
		}
	}
}

/*
 * A new element under main, moved to just below the page's title (its h1), so that what it says is
 * the first thing a person reads on the page, above the comparison and the tables.
 */
static xmlNodePtr under_title(html_page *p, xmlNodePtr main, const char *tag)
{
	xmlNodePtr el = html_el(p, main, tag, NULL);
	if (!el)
		return NULL;
	for (xmlNodePtr n = main->children; n && n != el; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "h1")) {
			xmlUnlinkNode(el);
			xmlAddNextSibling(n, el);
			break;
		}
	return el;
}

/*
 * Each returned item that still stands, set apart under the page's title: what was returned, by
 * whom and when, the reviewer's comment, and what its integrator does next.
 */
static void returned_notices(html_page *p, xmlNodePtr main, const srv_district *d,
			     const srv_pipeline *pl)
{
	xmlNodePtr parent = NULL;
	for (size_t i = 0; i < SRV_STEP_COUNT; i++) {
		const srv_pipeline_step *st = &pl->step[i];
		if (st->state != SRV_STATE_RETURNED || !st->review)
			continue;
		const char *kind = i == SRV_STEP_CONTRACT || i == SRV_STEP_PLAN ? "document" : "sheet";
		char label[400];
		item_label(d, kind, st->item_id, label, sizeof label);
		if (!parent) {
			parent = under_title(p, main, "div");
			if (!parent)
				return;
			html_attr(p, parent, "id", "returned");
		}
		xmlNodePtr box = html_el(p, parent, "div", NULL);
		html_attr(p, box, "class", "returned-notice");
		html_attr(p, box, "role", "alert");
		html_elf(p, box, "p", _("Returned by the supervisor (%s, %s): %s"),
			 st->review->reviewer[0] ? st->review->reviewer : "-", st->review->at, label);
		html_elf(p, box, "p", _("Comment: %s"), st->review->comment);
		html_el(p, box, "p", i == SRV_STEP_DIAGNOSIS
					 ? _("Save a new version of the diagnosis: it will be reviewed again.")
					 : _("Upload a new version of the document: it will be reviewed again."));
	}
}

void page_enterprise_district(html_page *p, srv *s, const srv_request *rq, const char *credit_code)
{
	srv_district d;
	srv_pipeline pl;
	dl_error err = {0};
	const char *policy_id = view_param(rq, "policy");
	const dl_policy *policy = policy_id && *policy_id ? srv_policy_find(s, policy_id)
							  : view_default_policy(s, NULL);
	int rc = srv_district_load(s, credit_code, &d, &err);
	if (rc == 0)
		rc = srv_pipeline_make(s, &d, credit_code, policy, &pl, &err);
	xmlNodePtr section = html_el(p, p->main, "section", NULL);
	html_attr(p, section, "id", "supervision");
	html_el(p, section, "h2", _("Supervision: diagnosis, contract, retrofit plan"));
	if (rc < 0) {
		srv_log("district part of /enterprises/%s: %s", credit_code, err.message);
		xmlNodePtr m = html_el(p, section, "p", _("The store could not be read."));
		html_attr(p, m, "class", "error");
		srv_district_free(&d);
		return;
	}
	returned_notices(p, p->main, &d, &pl);
	xmlNodePtr saved_main = p->main;
	p->main = section; /* the tables below go into the section */
	pipeline_table(p, &d, &pl);
	xmlNodePtr ul = html_el(p, section, "ul", NULL);
	html_attr(p, ul, "class", "downloads");
	char href[160];
	snprintf(href, sizeof href, "/enterprises/%s/documents", credit_code);
	html_link(p, html_el(p, ul, "li", NULL), href,
		  srv_may(s, rq, SRV_WRITE_DOCUMENT, credit_code) ? _("Upload a contract or retrofit plan")
								  : _("The documents"));
	if (srv_may(s, rq, SRV_REVIEW, credit_code)) {
		snprintf(href, sizeof href, "/review?credit_code=%s", credit_code);
		html_link(p, html_el(p, ul, "li", NULL), href, _("Review this enterprise's items"));
	}
	if (srv_may(s, rq, SRV_ARCHIVE, credit_code)) {
		snprintf(href, sizeof href, "/api/enterprises/%s/archive.zip", credit_code);
		html_link(p, html_el(p, ul, "li", NULL), href,
			  _("Download the enterprise's file 一企一档 (ZIP)"));
	}
	html_el(p, section, "h3", _("Contracts and retrofit plans"));
	district_documents_table(p, section, &d);
	html_el(p, section, "h3", _("Reviews"));
	reviews_table(p, &d);
	p->main = saved_main;
	srv_district_free(&d);
}

/* --- the dashboard's pipeline ------------------------------------------------------------------- */

/* The enterprises anything is stored about, by credit code, with a name: registered ones with
 * their registered name, then those of the sheets (the newest sheet's name) and documents. */
typedef struct firm {
	char code[32];
	const char *name;
	size_t order; /* where it was met: the first met of a code gives its name */
} firm;

static int by_code_then_order(const void *a, const void *b)
{
	const firm *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	return c ? c : x->order < y->order ? -1 : x->order > y->order;
}

static size_t add_firm(firm *list, size_t n, const char *code, const char *name)
{
	if (!code[0])
		return n;
	snprintf(list[n].code, sizeof list[n].code, "%s", code);
	list[n].name = name;
	list[n].order = n;
	return n + 1;
}

/* One firm per code, named by the first of its entries that has a name. */
static size_t unique_firms(firm *list, size_t n)
{
	if (n > 1)
		qsort(list, n, sizeof *list, by_code_then_order);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (kept > 0 && strcmp(list[kept - 1].code, list[i].code) == 0) {
			if (!*list[kept - 1].name)
				list[kept - 1].name = list[i].name;
			continue;
		}
		list[kept++] = list[i];
	}
	return kept;
}

/* The pipeline of code; its verdict from the dashboard's cohort c when there is one (the decision
 * srv_pipeline_make takes, made once for every enterprise when the cohort was built). The table
 * shows states only: the acceptance step's item is left 0. */
static int firm_pipeline(srv *s, const srv_district *d, const srv_cohort *c, const char *code,
			 const dl_policy *policy, srv_pipeline *pl, dl_error *err)
{
	dl_verdict verdict;
	int compared = 0;
	if (!c || (compared = srv_cohort_verdict_of(c, code, &verdict)) < 0)
		return srv_pipeline_make(s, d, code, policy, pl, err);
	if (srv_pipeline_steps(d, code, pl))
		pl->step[SRV_STEP_ACCEPTANCE].state =
		    compared ? srv_state_of_verdict(verdict) : SRV_STATE_PENDING;
	return 0;
}

void page_dashboard_pipeline(html_page *p, srv *s, const srv_request *rq, const srv_cohort *cohort)
{
	srv_district d;
	dl_error err = {0};
	xmlNodePtr section = html_el(p, p->main, "section", NULL);
	html_attr(p, section, "id", "review-pipeline");
	html_el(p, section, "h2", _("Supervision pipeline: reviews of diagnoses, contracts and plans"));
	int rc = srv_district_load(s, NULL, &d, &err);
	dl_store_enterprise *registered = NULL;
	size_t reg_count = 0;
	if (rc == 0 && dl_store_enterprise_list(s->store, &registered, &reg_count, &err) < 0) {
		registered = NULL; /* the names of registered enterprises only: go on without them */
		reg_count = 0;
	}
	firm *firms = rc == 0 ? calloc(d.row_count + d.doc_count + reg_count + 1, sizeof *firms) : NULL;
	if (rc < 0 || !firms) {
		if (rc < 0)
			srv_log("dashboard pipeline: %s", err.message);
		xmlNodePtr m = html_el(p, section, "p", _("The store could not be read."));
		html_attr(p, m, "class", "error");
		free(registered);
		srv_district_free(&d);
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < reg_count; i++)
		n = add_firm(firms, n, registered[i].credit_code, registered[i].name);
	for (size_t i = 0; i < d.row_count; i++)
		n = add_firm(firms, n, d.rows[i].credit_code, d.rows[i].name);
	for (size_t i = 0; i < d.doc_count; i++)
		n = add_firm(firms, n, d.docs[i].credit_code, "");
	n = unique_firms(firms, n);

	const char *targets_id = view_param(rq, "targets"), *policy_id = view_param(rq, "policy");
	const dl_policy *policy = NULL;
	if (!(policy_id && strcmp(policy_id, "none") == 0))
		policy = policy_id && *policy_id ? srv_policy_find(s, policy_id)
						 : view_default_policy(s, srv_targets_find(s, targets_id));
	if (cohort && dl_cohort_policy(srv_cohort_get(cohort)) != policy)
		cohort = NULL; /* decided under another policy: each enterprise's is decided here */
	size_t counts[SRV_STEP_COUNT][SRV_STATE_COUNT];
	memset(counts, 0, sizeof counts);
	const char *heads[] = {_("enterprise"), _("credit code"), srv_step_title(SRV_STEP_DIAGNOSIS),
			       srv_step_title(SRV_STEP_CONTRACT), srv_step_title(SRV_STEP_PLAN),
			       srv_step_title(SRV_STEP_EVALUATION), srv_step_title(SRV_STEP_ACCEPTANCE)};
	xmlNodePtr t = view_table(p, section, _("Each enterprise's steps"), heads, 7);
	html_attr(p, t, "id", "pipeline-enterprises");
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		if (!srv_may(s, rq, SRV_READ, firms[i].code))
			continue;
		srv_pipeline pl;
		if (firm_pipeline(s, &d, cohort, firms[i].code, policy, &pl, &err) < 0) {
			srv_log("dashboard pipeline of %s: %s", firms[i].code, err.message);
			continue;
		}
		shown++;
		xmlNodePtr tr = view_row(p, t);
		char href[96];
		snprintf(href, sizeof href, "/enterprises/%s", firms[i].code);
		html_link(p, view_cell(p, tr, NULL), href,
			  *firms[i].name ? firms[i].name : _("(no name yet)"));
		view_cell(p, tr, firms[i].code);
		for (size_t k = 0; k < SRV_STEP_COUNT; k++) {
			state_cell(p, tr, pl.step[k].state);
			counts[k][pl.step[k].state]++;
		}
	}
	if (shown == 0)
		html_el(p, section, "p", _("Nothing is stored about any enterprise yet."));
	/* the counts: a row per state that occurs, a column per step */
	const char *count_heads[] = {_("state"), srv_step_title(SRV_STEP_DIAGNOSIS),
				     srv_step_title(SRV_STEP_CONTRACT), srv_step_title(SRV_STEP_PLAN),
				     srv_step_title(SRV_STEP_EVALUATION), srv_step_title(SRV_STEP_ACCEPTANCE)};
	xmlNodePtr ct = view_table(p, section, _("Enterprises per state"), count_heads, 6);
	html_attr(p, ct, "id", "pipeline-counts");
	for (size_t st = 0; st < SRV_STATE_COUNT; st++) {
		size_t any = 0;
		for (size_t k = 0; k < SRV_STEP_COUNT; k++)
			any += counts[k][st];
		if (!any && st != SRV_STATE_NONE)
			continue;
		xmlNodePtr tr = view_row(p, ct);
		html_attr(p, html_el(p, tr, "th", srv_state_title((srv_state)st)), "scope", "row");
		for (size_t k = 0; k < SRV_STEP_COUNT; k++) {
			char num[24];
			snprintf(num, sizeof num, "%zu", counts[k][st]);
			view_cell(p, tr, num);
		}
	}
	if (srv_may(s, rq, SRV_REVIEW, NULL))
		html_link(p, html_el(p, section, "p", NULL), "/review", _("The review queue"));
	free(firms);
	free(registered);
	srv_district_free(&d);
}
