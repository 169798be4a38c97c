/*
 * pipeline.c: the district's pipeline of one enterprise (pipeline.h), computed from what is stored:
 * the newest finished diagnosis, the newest contract and retrofit plan, each with the supervisor's
 * newest review of that very version, whether an evaluation is finished, and the acceptance verdict
 * of the pair that stands (standing.h, the same choice as the dashboard and the API).
 */
#include "pipeline.h"
#include "standing.h"

#include <stdlib.h>
#include <string.h>

int srv_district_load(srv *s, const char *credit_code, srv_district *d, dl_error *err)
{
	memset(d, 0, sizeof *d);
	dl_store_filter f;
	memset(&f, 0, sizeof f);
	f.credit_code = credit_code;
	f.history = true;
	f.drafts = true;
	int rc = dl_store_list(s->store, &f, &d->rows, &d->row_count, err);
	if (rc == 0)
		rc = dl_store_document_list(s->store, credit_code, &d->docs, &d->doc_count, err);
	if (rc == 0)
		rc = dl_store_review_list(s->store, credit_code, &d->reviews, &d->review_count, err);
	return rc;
}

void srv_district_free(srv_district *d)
{
	free(d->rows);
	free(d->docs);
	free(d->reviews);
	memset(d, 0, sizeof *d);
}

const dl_store_review *srv_district_review_of(const srv_district *d, const char *item_kind,
					      int64_t item_id)
{
	const dl_store_review *newest = NULL;
	for (size_t i = 0; i < d->review_count; i++) {
		const dl_store_review *r = &d->reviews[i];
		if (r->item_id == item_id && strcmp(r->item_kind, item_kind) == 0 &&
		    (!newest || r->id > newest->id))
			newest = r;
	}
	return newest;
}

bool srv_district_row_current(const srv_district *d, const dl_store_row *row)
{
	if (row->draft)
		return false;
	for (size_t i = 0; i < d->row_count; i++) {
		const dl_store_row *r = &d->rows[i];
		if (r->lineage == row->lineage && !r->draft && r->id > row->id)
			return false;
	}
	return true;
}

bool srv_district_doc_current(const srv_district *d, const dl_store_document *doc)
{
	for (size_t i = 0; i < d->doc_count; i++)
		if (d->docs[i].lineage == doc->lineage && d->docs[i].id > doc->id)
			return false;
	return true;
}

/* A reviewed step: its state from the newest review of item id. */
static void reviewed(const srv_district *d, srv_pipeline_step *st, const char *kind, int64_t id,
		     int64_t version, srv_state waiting)
{
	st->item_id = id;
	st->version = version;
	st->review = srv_district_review_of(d, kind, id);
	if (!st->review)
		st->state = waiting;
	else if (strcmp(st->review->decision, "approved") == 0)
		st->state = SRV_STATE_APPROVED;
	else
		st->state = SRV_STATE_RETURNED;
}

/* The verdict of the pair that stands, or PENDING. */
static int acceptance(srv *s, const char *credit_code, const dl_policy *policy, srv_pipeline_step *st,
		      dl_error *err)
{
	st->state = SRV_STATE_PENDING;
	srv_standing pair;
	int rc = srv_standing_pair(s, credit_code, &pair, err);
	if (rc == 0 && pair.has_after) {
		st->item_id = pair.after.row.id;
		st->version = pair.after.row.version;
	}
	if (rc == 0 && policy && pair.has_before && pair.has_after) {
		dl_comparison *c = NULL;
		dl_error why;
		int cr = srv_standing_compare(&pair, policy, NULL, &c, &why);
		if (cr == 0) {
			dl_verdict v = dl_comparison_verdict(c);
			st->state = v == DL_VERDICT_PASS   ? SRV_STATE_PASSED
				    : v == DL_VERDICT_FAIL ? SRV_STATE_FAILED
							   : SRV_STATE_RECTIFY;
		} else if (cr == DL_ENOMEM) {
			rc = cr;
		}
		dl_comparison_free(c);
	}
	srv_standing_free(&pair);
	return rc;
}

int srv_pipeline_make(srv *s, const srv_district *d, const char *credit_code, const dl_policy *policy,
		      srv_pipeline *out, dl_error *err)
{
	memset(out, 0, sizeof *out);
	const dl_store_row *diagnosis = NULL, *evaluation = NULL;
	for (size_t i = 0; i < d->row_count; i++) {
		const dl_store_row *r = &d->rows[i];
		if (r->draft || strcmp(r->credit_code, credit_code) != 0)
			continue;
		if (strcmp(r->phase, "diagnosis") == 0 && (!diagnosis || r->id > diagnosis->id))
			diagnosis = r;
		if (strcmp(r->phase, "evaluation") == 0 && (!evaluation || r->id > evaluation->id))
			evaluation = r;
	}
	if (diagnosis)
		reviewed(d, &out->step[SRV_STEP_DIAGNOSIS], "sheet", diagnosis->id, diagnosis->version,
			 SRV_STATE_SUBMITTED);
	const char *kinds[2] = {"contract", "plan"};
	for (size_t k = 0; k < 2; k++) {
		const dl_store_document *newest = NULL;
		for (size_t i = 0; i < d->doc_count; i++) {
			const dl_store_document *doc = &d->docs[i];
			if (strcmp(doc->credit_code, credit_code) == 0 && strcmp(doc->kind, kinds[k]) == 0 &&
			    (!newest || doc->id > newest->id))
				newest = doc;
		}
		if (newest)
			reviewed(d, &out->step[SRV_STEP_CONTRACT + k], "document", newest->id,
				 newest->version, SRV_STATE_UPLOADED);
	}
	if (!evaluation)
		return 0;
	out->step[SRV_STEP_EVALUATION].state = SRV_STATE_EVALUATED;
	out->step[SRV_STEP_EVALUATION].item_id = evaluation->id;
	out->step[SRV_STEP_EVALUATION].version = evaluation->version;
	return acceptance(s, credit_code, policy, &out->step[SRV_STEP_ACCEPTANCE], err);
}

static const char *const STEP_NAMES[SRV_STEP_COUNT] = {"diagnosis", "contract", "plan", "evaluation",
							"acceptance"};
static const char *const STEP_TITLES[SRV_STEP_COUNT] = {
    N_("Diagnosis"), N_("Contract"), N_("Retrofit plan"), N_("Evaluation"), N_("Acceptance")};
static const char *const STATE_NAMES[SRV_STATE_COUNT] = {
    "none",	"submitted", "uploaded", "approved", "returned",
    "submitted", "pending",   "passed",	 "failed",   "rectify"};
static const char *const STATE_TITLES[SRV_STATE_COUNT] = {
    N_("not yet"),	       N_("awaiting review"), N_("uploaded, awaiting review"),
    N_("approved by the supervisor"), N_("returned to the integrator"), N_("submitted"),
    N_("awaiting a verdict"),
    N_("passed (通过)"), N_("failed (不通过)"), N_("to be rectified (限期整改)")};

const char *srv_step_name(srv_step step)
{
	return step < SRV_STEP_COUNT ? STEP_NAMES[step] : "";
}

const char *srv_step_title(srv_step step)
{
	return step < SRV_STEP_COUNT ? _(STEP_TITLES[step]) : "";
}

const char *srv_state_name(srv_state state)
{
	return state < SRV_STATE_COUNT ? STATE_NAMES[state] : "";
}

const char *srv_state_title(srv_state state)
{
	return state < SRV_STATE_COUNT ? _(STATE_TITLES[state]) : "";
}

int srv_review_json(srv_buf *b, const dl_store_review *r)
{
	srv_buf_printf(b, "{\"id\": %lld, \"credit_code\": ", (long long)r->id);
	srv_json_string(b, r->credit_code);
	srv_buf_puts(b, ", \"item\": ");
	srv_json_string(b, r->item_kind);
	srv_buf_printf(b, ", \"item_id\": %lld, \"decision\": ", (long long)r->item_id);
	srv_json_string(b, r->decision);
	srv_buf_puts(b, ", \"comment\": ");
	srv_json_string(b, r->comment);
	srv_buf_puts(b, ", \"reviewer\": ");
	srv_json_string(b, r->reviewer);
	srv_buf_puts(b, ", \"at\": ");
	srv_json_string(b, r->at);
	return srv_buf_puts(b, "}");
}

int srv_pipeline_json(srv_buf *b, const srv_pipeline *p)
{
	srv_buf_puts(b, "{");
	for (size_t i = 0; i < SRV_STEP_COUNT; i++) {
		const srv_pipeline_step *st = &p->step[i];
		srv_buf_printf(b, "%s\"%s\": {\"state\": \"%s\", \"id\": ", i ? ", " : "",
			       STEP_NAMES[i], STATE_NAMES[st->state]);
		if (st->item_id)
			srv_buf_printf(b, "%lld, \"version\": %lld", (long long)st->item_id,
				       (long long)st->version);
		else
			srv_buf_puts(b, "null, \"version\": null");
		srv_buf_puts(b, ", \"review\": ");
		if (st->review)
			srv_review_json(b, st->review);
		else
			srv_buf_puts(b, "null");
		srv_buf_puts(b, "}");
	}
	return srv_buf_puts(b, "}");
}
