/*
 * pipeline.c: the district's pipeline of one enterprise (pipeline.h), computed from what is stored:
 * the newest finished diagnosis, the newest contract and retrofit plan, each with the supervisor's
 * newest review of that very version, whether an evaluation is finished, and the acceptance verdict
 * of the pair that stands (standing.h, the same choice as the dashboard and the API).
 */
#include "pipeline.h"
#include "standing.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the indexes ----------------------------------------------------------------------------- */

/* Each orders pointers by its key, the newest (highest id) first within a key. */
static int newest_first(int64_t a, int64_t b)
{
	return a > b ? -1 : a < b ? 1 : 0;
}

static int rows_by_code(const void *a, const void *b)
{
	const dl_store_row *x = *(const dl_store_row *const *)a, *y = *(const dl_store_row *const *)b;
	int c = strcmp(x->credit_code, y->credit_code);
	return c ? c : newest_first(x->id, y->id);
}

static int rows_by_lineage(const void *a, const void *b)
{
	const dl_store_row *x = *(const dl_store_row *const *)a, *y = *(const dl_store_row *const *)b;
	return x->lineage != y->lineage ? (x->lineage < y->lineage ? -1 : 1) : newest_first(x->id, y->id);
}

static int docs_by_code(const void *a, const void *b)
{
	const dl_store_document *x = *(const dl_store_document *const *)a;
	const dl_store_document *y = *(const dl_store_document *const *)b;
	int c = strcmp(x->credit_code, y->credit_code);
	return c ? c : newest_first(x->id, y->id);
}

static int docs_by_lineage(const void *a, const void *b)
{
	const dl_store_document *x = *(const dl_store_document *const *)a;
	const dl_store_document *y = *(const dl_store_document *const *)b;
	return x->lineage != y->lineage ? (x->lineage < y->lineage ? -1 : 1) : newest_first(x->id, y->id);
}

static int reviews_by_item(const void *a, const void *b)
{
	const dl_store_review *x = *(const dl_store_review *const *)a;
	const dl_store_review *y = *(const dl_store_review *const *)b;
	int c = strcmp(x->item_kind, y->item_kind);
	if (c == 0 && x->item_id != y->item_id)
		c = x->item_id < y->item_id ? -1 : 1;
	return c ? c : newest_first(x->id, y->id);
}

/* An index of the n elements of size bytes at base, sorted by cmp; NULL only when out of memory. */
static const void **make_index(const void *base, size_t n, size_t size,
			       int (*cmp)(const void *, const void *))
{
	const void **index = malloc((n ? n : 1) * sizeof *index);
	if (!index)
		return NULL;
	for (size_t i = 0; i < n; i++)
		index[i] = (const char *)base + i * size;
	if (n > 1)
		qsort(index, n, sizeof *index, cmp);
	return index;
}

/* The first position of index[0..n) whose element is not before key by cmp (both sides are
 * pointers to elements: key is a made-up element holding the searched fields and the highest
 * id, so that it comes first among its equals). */
static size_t first_of(const void *const *index, size_t n, const void *key,
		       int (*cmp)(const void *, const void *))
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp(&index[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

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
	if (rc < 0)
		return rc;
	d->rows_by_code = (const dl_store_row **)make_index(d->rows, d->row_count, sizeof *d->rows,
							     rows_by_code);
	d->rows_by_lineage = (const dl_store_row **)make_index(d->rows, d->row_count,
								sizeof *d->rows, rows_by_lineage);
	d->docs_by_code = (const dl_store_document **)make_index(d->docs, d->doc_count,
								  sizeof *d->docs, docs_by_code);
	d->docs_by_lineage = (const dl_store_document **)make_index(d->docs, d->doc_count,
								     sizeof *d->docs, docs_by_lineage);
	d->reviews_by_item = (const dl_store_review **)make_index(
	    d->reviews, d->review_count, sizeof *d->reviews, reviews_by_item);
	if (!d->rows_by_code || !d->rows_by_lineage || !d->docs_by_code || !d->docs_by_lineage ||
	    !d->reviews_by_item) {
		if (err) {
			memset(err, 0, sizeof *err);
			err->code = DL_ENOMEM;
			snprintf(err->message, sizeof err->message, "%s", _("out of memory"));
		}
		return DL_ENOMEM;
	}
	return 0;
}

void srv_district_free(srv_district *d)
{
	free(d->rows);
	free(d->docs);
	free(d->reviews);
	free(d->rows_by_code);
	free(d->rows_by_lineage);
	free(d->docs_by_code);
	free(d->docs_by_lineage);
	free(d->reviews_by_item);
	memset(d, 0, sizeof *d);
}

/* The rows of credit_code: rows_by_code[*first .. return), newest first. */
static size_t code_rows(const srv_district *d, const char *credit_code, size_t *first)
{
	dl_store_row key;
	memset(&key, 0, sizeof key);
	snprintf(key.credit_code, sizeof key.credit_code, "%s", credit_code);
	key.id = INT64_MAX;
	size_t at = first_of((const void *const *)d->rows_by_code, d->row_count, &key, rows_by_code);
	*first = at;
	while (at < d->row_count && strcmp(d->rows_by_code[at]->credit_code, credit_code) == 0)
		at++;
	return at;
}

const dl_store_review *srv_district_review_of(const srv_district *d, const char *item_kind,
					      int64_t item_id)
{
	dl_store_review key;
	memset(&key, 0, sizeof key);
	snprintf(key.item_kind, sizeof key.item_kind, "%s", item_kind);
	key.item_id = item_id;
	key.id = INT64_MAX;
	size_t at = first_of((const void *const *)d->reviews_by_item, d->review_count, &key,
			     reviews_by_item);
	if (at == d->review_count)
		return NULL;
	const dl_store_review *r = d->reviews_by_item[at]; /* the newest of the item, if any */
	return r->item_id == item_id && strcmp(r->item_kind, item_kind) == 0 ? r : NULL;
}

const char *srv_district_name_of(const srv_district *d, const char *credit_code)
{
	size_t first;
	size_t end = code_rows(d, credit_code, &first);
	for (size_t i = first; i < end; i++)
		if (d->rows_by_code[i]->name[0])
			return d->rows_by_code[i]->name;
	return "";
}

bool srv_district_row_current(const srv_district *d, const dl_store_row *row)
{
	if (row->draft)
		return false;
	dl_store_row key;
	memset(&key, 0, sizeof key);
	key.lineage = row->lineage;
	key.id = INT64_MAX;
	for (size_t at = first_of((const void *const *)d->rows_by_lineage, d->row_count, &key,
				  rows_by_lineage);
	     at < d->row_count && d->rows_by_lineage[at]->lineage == row->lineage; at++)
		if (!d->rows_by_lineage[at]->draft) /* the newest finished version */
			return d->rows_by_lineage[at]->id <= row->id;
	return true;
}

bool srv_district_doc_current(const srv_district *d, const dl_store_document *doc)
{
	dl_store_document key;
	memset(&key, 0, sizeof key);
	key.lineage = doc->lineage;
	key.id = INT64_MAX;
	size_t at = first_of((const void *const *)d->docs_by_lineage, d->doc_count, &key,
			     docs_by_lineage);
	return at == d->doc_count || d->docs_by_lineage[at]->lineage != doc->lineage ||
	       d->docs_by_lineage[at]->id <= doc->id;
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

srv_state srv_state_of_verdict(dl_verdict v)
{
	return v == DL_VERDICT_PASS ? SRV_STATE_PASSED
	       : v == DL_VERDICT_FAIL ? SRV_STATE_FAILED
				      : SRV_STATE_RECTIFY;
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
			st->state = srv_state_of_verdict(dl_comparison_verdict(c));
		} else if (cr == DL_ENOMEM) {
			rc = cr;
		}
		dl_comparison_free(c);
	}
	srv_standing_free(&pair);
	return rc;
}

bool srv_pipeline_steps(const srv_district *d, const char *credit_code, srv_pipeline *out)
{
	memset(out, 0, sizeof *out);
	const dl_store_row *diagnosis = NULL, *evaluation = NULL;
	size_t first;
	size_t end = code_rows(d, credit_code, &first);
	for (size_t i = first; i < end; i++) { /* newest first: the first of each phase counts */
		const dl_store_row *r = d->rows_by_code[i];
		if (r->draft)
			continue;
		if (!diagnosis && strcmp(r->phase, "diagnosis") == 0)
			diagnosis = r;
		if (!evaluation && strcmp(r->phase, "evaluation") == 0)
			evaluation = r;
	}
	if (diagnosis)
		reviewed(d, &out->step[SRV_STEP_DIAGNOSIS], "sheet", diagnosis->id, diagnosis->version,
			 SRV_STATE_SUBMITTED);
	dl_store_document key;
	memset(&key, 0, sizeof key);
	snprintf(key.credit_code, sizeof key.credit_code, "%s", credit_code);
	key.id = INT64_MAX;
	const char *kinds[2] = {"contract", "plan"};
	for (size_t k = 0; k < 2; k++) {
		const dl_store_document *newest = NULL;
		for (size_t at = first_of((const void *const *)d->docs_by_code, d->doc_count, &key,
					  docs_by_code);
		     !newest && at < d->doc_count &&
		     strcmp(d->docs_by_code[at]->credit_code, credit_code) == 0;
		     at++)
			if (strcmp(d->docs_by_code[at]->kind, kinds[k]) == 0)
				newest = d->docs_by_code[at];
		if (newest)
			reviewed(d, &out->step[SRV_STEP_CONTRACT + k], "document", newest->id,
				 newest->version, SRV_STATE_UPLOADED);
	}
	if (!evaluation)
		return false;
	out->step[SRV_STEP_EVALUATION].state = SRV_STATE_EVALUATED;
	out->step[SRV_STEP_EVALUATION].item_id = evaluation->id;
	out->step[SRV_STEP_EVALUATION].version = evaluation->version;
	return true;
}

int srv_pipeline_make(srv *s, const srv_district *d, const char *credit_code, const dl_policy *policy,
		      srv_pipeline *out, dl_error *err)
{
	if (!srv_pipeline_steps(d, credit_code, out))
		return 0;
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
