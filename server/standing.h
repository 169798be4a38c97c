/*
 * standing.h: stored sheets as the engine sees them, and which of an enterprise's sheets stand for
 * it, chosen exactly as `digilevel batch` and `digilevel cohort` choose (include/digilevel/batch.h):
 *
 * - the sheets that count are the newest finished version of each lineage (a draft is never
 *   counted; a lineage whose newest version is a draft counts by its newest finished one); a tie
 *   is settled by the order they were stored (the later stands), as the batch settles it by input
 *   order (the dashboard feeds them in export-name order, which keeps that order within a phase
 *   and date: cohort_store.c);
 * - the "before" is the enterprise's diagnosis, or lacking one its self-check: a diagnosis beats
 *   a self-check, and between two of one phase the later date stands, on the same date the later
 *   stored;
 * - the "after" is its evaluation with the highest acceptance attempt, then the later date, then
 *   the later stored.
 *
 * The pages (the comparison) and the API (compare, acceptance.pdf) both call srv_standing_pair, so
 * that they cannot pair differently from each other or from the dashboard (cohort_store.h).
 */
#ifndef DL_SERVER_STANDING_H
#define DL_SERVER_STANDING_H

#include "server.h"

/** A stored sheet loaded and scored against its edition. */
typedef struct srv_loaded {
	dl_store_row row;
	char *xml; /**< as stored (NUL-terminated), xml_len bytes */
	size_t xml_len;
	dl_sheet *sheet;           /**< NULL when the XML could not be read */
	const dl_questionnaire *q; /**< its edition (borrowed from the server), NULL when not loaded */
	dl_result *result;         /**< provisional for a draft (dl_result_provisional); may be NULL */
	dl_error error;            /**< why sheet or result is NULL (a sentence for people) */
} srv_loaded;

/**
 * Load version id from the store, read its XML and score it (a draft provisionally). Returns 0
 * (check out->sheet and out->result: a stored sheet that no longer scores, for instance because
 * its edition is not loaded, is returned with out->error saying why), DL_ENOTFOUND (no such id) or
 * another DL_E* code of the store, with err. Free with srv_loaded_free (also after a failure).
 */
int srv_loaded_open(srv *s, int64_t id, srv_loaded *out, dl_error *err);
void srv_loaded_free(srv_loaded *l);

/**
 * The rows that count: the newest finished version of each lineage (of the enterprise credit_code,
 * or of every enterprise when it is NULL), oldest stored first. *rows is malloc'ed (free with
 * free()); none: NULL and 0. Returns 0 or a DL_E* code of the store, with err.
 */
int srv_finished_rows(srv *s, const char *credit_code, dl_store_row **rows, size_t *count,
		      dl_error *err);

/** An enterprise's standing pair. Either side may be missing (has_*: false, loaded zeroed). */
typedef struct srv_standing {
	bool has_before, has_after;
	srv_loaded before, after;
	/** what the batch would warn: two sheets of one phase met, which stands and why ("" none) */
	char notes[2048];
} srv_standing;

/**
 * Choose and load the sheets that stand for the enterprise credit_code. A sheet that cannot be
 * read or scored again is passed over, as the batch passes over a failed sheet. Returns 0 (also
 * when nothing stands: has_before and has_after false) or a DL_E* code of the store, with err.
 * Free with srv_standing_free (also after a failure).
 */
int srv_standing_pair(srv *s, const char *credit_code, srv_standing *out, dl_error *err);
void srv_standing_free(srv_standing *p);

/**
 * Compare the pair under policy (NULL: none), as `digilevel compare` does. Both sides must stand.
 * Every problem goes to opts->diag (opts may be NULL). Caller owns *out (dl_comparison_free()); it
 * borrows p's sheets and the policy. Returns 0 or the code of dl_compare, with err.
 */
int srv_standing_compare(const srv_standing *p, const dl_policy *policy, const dl_load_options *opts,
			 dl_comparison **out, dl_error *err);

/**
 * The 验收意见 of the pair under policy, as GET /api/enterprises/{code}/acceptance.pdf and the
 * 一企一档 give it: the same bytes as `digilevel report acceptance` on the two stored files, naming
 * the evaluation's SHA-256, and in district mode (s->district) its stored version too. *pdf is
 * the caller's (dl_report_free()). Returns 0 or the code of the comparison or the report, with err.
 */
int srv_standing_acceptance_pdf(const srv *s, const srv_standing *p, const dl_policy *policy,
				unsigned char **pdf, size_t *len, dl_error *err);

#endif
