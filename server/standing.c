/*
 * standing.c: stored sheets loaded and scored, the rows that count (the newest finished version of
 * each lineage), and which of an enterprise's sheets stand for it, by the batch's rule
 * (engine/cohort/batch_standing.c, restated in standing.h): the pages and the API pair through
 * here, so they pair as `digilevel batch` does.
 */
#include "standing.h"
#include "export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_error(dl_error *err, int code, const char *message)
{
	if (!err)
		return;
	memset(err, 0, sizeof *err);
	err->code = code;
	snprintf(err->message, sizeof err->message, "%s", message);
}

int srv_loaded_open(srv *s, int64_t id, srv_loaded *out, dl_error *err)
{
	memset(out, 0, sizeof *out);
	int rc = dl_store_get(s->store, id, &out->row, &out->xml, &out->xml_len, err);
	if (rc < 0)
		return rc;
	char name[160]; /* the name the export gives it: what `digilevel compare` would call it */
	srv_sheet_file_name(&out->row, name, sizeof name);
	if (dl_sheet_load_memory(&out->sheet, out->xml, out->xml_len, name, NULL, &out->error) < 0) {
		out->sheet = NULL;
		return 0;
	}
	out->q = srv_edition_find(s, dl_sheet_questionnaire_id(out->sheet),
				  dl_sheet_questionnaire_version(out->sheet));
	if (!out->q) {
		char m[DL_ERROR_MESSAGE_MAX];
		snprintf(m, sizeof m, _("the questionnaire %s version %s this sheet answers is not loaded"),
			 dl_sheet_questionnaire_id(out->sheet), dl_sheet_questionnaire_version(out->sheet));
		set_error(&out->error, DL_ENOTFOUND, m);
		return 0;
	}
	dl_score_options so = DL_SCORE_OPTIONS_INIT;
	so.partial = out->row.draft;
	if (dl_score_with(&out->result, out->q, out->sheet, NULL, &so, &out->error) < 0)
		out->result = NULL;
	return 0;
}

void srv_loaded_free(srv_loaded *l)
{
	dl_result_free(l->result);
	dl_sheet_free(l->sheet);
	free(l->xml);
	memset(l, 0, sizeof *l);
}

static int by_id(const void *a, const void *b)
{
	const dl_store_row *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int by_lineage_newest_first(const void *a, const void *b)
{
	const dl_store_row *x = a, *y = b;
	if (x->lineage != y->lineage)
		return x->lineage < y->lineage ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id;
}

int srv_finished_rows(srv *s, const char *credit_code, dl_store_row **rows, size_t *count,
		      dl_error *err)
{
	*rows = NULL;
	*count = 0;
	dl_store_filter f = {0};
	f.credit_code = credit_code;
	f.history = true; /* every version, newest first: the first finished one of a lineage counts */
	f.drafts = true;
	dl_store_row *all = NULL;
	size_t n = 0;
	int rc = dl_store_list(s->store, &f, &all, &n, err);
	if (rc < 0)
		return rc;
	/* the newest finished version of each lineage: drafts out, then by lineage with the newest
	 * first, the first of each lineage kept (n log n: a province holds 200,000 rows) */
	size_t finished = 0, kept = 0;
	for (size_t i = 0; i < n; i++)
		if (!all[i].draft)
			all[finished++] = all[i];
	if (finished > 0)
		qsort(all, finished, sizeof *all, by_lineage_newest_first);
	for (size_t i = 0; i < finished; i++)
		if (kept == 0 || all[kept - 1].lineage != all[i].lineage)
			all[kept++] = all[i];
	if (kept == 0) {
		free(all);
		return 0;
	}
	qsort(all, kept, sizeof *all, by_id);
	*rows = all;
	*count = kept;
	return 0;
}

/* What decides whether a sheet stands (batch_standing.c, note_standing). */
typedef struct candidate {
	srv_loaded l;
	dl_phase phase;
	int attempt;
	const char *date;
} candidate;

/* Whether evaluation a replaces b: higher attempt, then the later (or same) date. */
static bool later_evaluation(const candidate *a, const candidate *b)
{
	if (a->attempt != b->attempt)
		return a->attempt > b->attempt;
	return strcmp(a->date, b->date) >= 0;
}

/* Whether a replaces the kept before: a diagnosis beats a self-check; then the later date. */
static bool better_before(const candidate *a, const candidate *b)
{
	if (a->phase != b->phase)
		return a->phase == DL_PHASE_DIAGNOSIS;
	return strcmp(a->date, b->date) >= 0;
}

/* Two of one phase met: say which stands and why, as the batch's warning does. */
static void note(srv_standing *p, const candidate *kept, const candidate *c, bool replaces)
{
	if (kept->phase != c->phase)
		return;
	const candidate *stands = replaces ? c : kept, *aside = replaces ? kept : c;
	char why[200], line[400];
	if (stands->phase == DL_PHASE_EVALUATION && stands->attempt != aside->attempt)
		snprintf(why, sizeof why, _("the later acceptance attempt, %d over %d"), stands->attempt,
			 aside->attempt);
	else if (strcmp(stands->date, aside->date) != 0)
		snprintf(why, sizeof why, _("the later date, %s over %s"), stands->date, aside->date);
	else
		snprintf(why, sizeof why, _("the same date, %s, and stored later"), stands->date);
	snprintf(line, sizeof line, _("sheet %lld stands (%s); sheet %lld is set aside"),
		 (long long)stands->l.row.id, why, (long long)aside->l.row.id);
	size_t used = strlen(p->notes);
	snprintf(p->notes + used, sizeof p->notes - used, "%s%s", used ? "\n" : "", line);
}

int srv_standing_pair(srv *s, const char *credit_code, srv_standing *out, dl_error *err)
{
	memset(out, 0, sizeof *out);
	dl_store_row *rows = NULL;
	size_t n = 0;
	int rc = srv_finished_rows(s, credit_code, &rows, &n, err);
	candidate before = {0}, after = {0}, c;
	bool has_before = false, has_after = false;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		memset(&c, 0, sizeof c);
		rc = srv_loaded_open(s, rows[i].id, &c.l, err);
		if (rc == DL_ENOTFOUND) { /* removed meanwhile: the store never removes, but be safe */
			srv_loaded_free(&c.l);
			rc = 0;
			continue;
		}
		if (rc < 0 || !c.l.result) { /* a sheet that does not score does not stand */
			srv_loaded_free(&c.l);
			continue;
		}
		c.phase = dl_sheet_phase(c.l.sheet);
		c.attempt = dl_sheet_retrofit_attempt(c.l.sheet);
		c.date = dl_sheet_date(c.l.sheet);
		bool evaluation = c.phase == DL_PHASE_EVALUATION;
		candidate *slot = evaluation ? &after : &before;
		bool *has = evaluation ? &has_after : &has_before;
		bool replaces = !*has || (evaluation ? later_evaluation(&c, slot) : better_before(&c, slot));
		if (*has)
			note(out, slot, &c, replaces);
		if (replaces) {
			if (*has)
				srv_loaded_free(&slot->l);
			*slot = c;
			*has = true;
		} else {
			srv_loaded_free(&c.l);
		}
	}
	free(rows);
	out->has_before = has_before;
	out->has_after = has_after;
	out->before = before.l;
	out->after = after.l;
	return rc;
}

void srv_standing_free(srv_standing *p)
{
	srv_loaded_free(&p->before);
	srv_loaded_free(&p->after);
	p->has_before = p->has_after = false;
}

int srv_standing_compare(const srv_standing *p, const dl_policy *policy, const dl_load_options *opts,
			 dl_comparison **out, dl_error *err)
{
	if (!p->has_before || !p->has_after) {
		set_error(err, DL_ENOTFOUND,
			  _("a comparison needs a diagnosis (or self-check) and an evaluation of the "
			    "enterprise"));
		return DL_ENOTFOUND;
	}
	return dl_compare(out, p->after.q, p->before.sheet, p->after.sheet, policy, opts, err);
}

int srv_standing_acceptance_pdf(const srv *s, const srv_standing *p, const dl_policy *policy,
				unsigned char **pdf, size_t *len, dl_error *err)
{
	*pdf = NULL;
	*len = 0;
	dl_comparison *c = NULL;
	int rc = srv_standing_compare(p, policy, NULL, &c, err);
	if (rc == 0) {
		dl_report_options ro = DL_REPORT_OPTIONS_INIT;
		/* the evaluation decided on, by the stored row's digest, and in district mode its
		 * version (personal mode's PDF stays the bytes of `digilevel report acceptance`) */
		ro.after_sha256 = p->after.row.sha256;
		if (s->district)
			ro.after_version = p->after.row.version;
		rc = dl_report_acceptance(pdf, len, c, p->before.sheet, p->after.sheet, &ro, err);
	}
	dl_comparison_free(c);
	return rc;
}
