/*
 * cohort_store.h: the pilot dashboard (a dl_cohort) built from the store, exactly as
 * `digilevel cohort` builds it from files: the sheets that count (standing.h: the newest finished
 * version of each lineage), in the order of their export file names (export.h: the order
 * `digilevel cohort` reads a `serve --export` folder in), are fed to a dl_batch from memory, scored, paired
 * by 统一社会信用代码 and compared under the policy, and each enterprise's row becomes a cohort entry
 * (dl_batch_cohort). The same sheets in the same order give the same figures, byte for byte in
 * dl_cohort_write_json, as the command line.
 *
 * The dashboard page and the API (/api/cohort, .pdf, .csv) both call srv_cohort_build. Scoring every
 * sheet is the costly part (a province's 200,000 take minutes), and the result depends on the
 * sheets alone: so a server keeps what it built (srv_cohort_cache_start) until a sheet is added
 * (dl_store_sheet_mark), and requests that come while a build is under way wait for it and share
 * it instead of each starting their own (docs/scale.md).
 */
#ifndef DL_SERVER_COHORT_STORE_H
#define DL_SERVER_COHORT_STORE_H

#include "server.h"

typedef struct srv_cohort srv_cohort;
typedef struct srv_cohort_cache srv_cohort_cache;

/** Keep the dashboards s builds, in s->cohort_cache (at most 8: targets x policy x as_of), until a
 * sheet is added to the store. 0 or DL_ENOMEM. Without it every build is the caller's alone. */
int srv_cohort_cache_start(srv *s);
/** Free what is kept; call when no request runs any more. */
void srv_cohort_cache_stop(srv *s);

/** One sheet given from memory (srv_cohort_from_memory): name is what messages call it. */
typedef struct srv_cohort_sheet {
	const char *name;
	const char *xml;
	size_t len;
} srv_cohort_sheet;

/**
 * Build the dashboard of the stored sheets against targets t, under policy (NULL: none, as
 * `cohort` without --policy), as of the date as_of (YYYY-MM-DD; NULL or "": the latest sheet's).
 * t and policy are the server's (srv_targets_find, srv_policy_find) and must outlive the result.
 *
 * Returns 0 with *out (caller owns it; free with srv_cohort_free()), or: DL_ENOTFOUND (the
 * questionnaire edition the targets are counted in is not loaded), DL_EMISMATCH or DL_EINVALID (the
 * targets or the policy do not fit that edition, each other, or as_of is not a date), DL_ENOMEM,
 * or a code of the store; err says why in words for people.
 */
int srv_cohort_build(srv *s, const dl_targets *t, const dl_policy *policy, const char *as_of,
		     srv_cohort **out, dl_error *err);

/** The same from sheets in memory, in this order (tests; `serve --export` equivalence). */
int srv_cohort_from_memory(srv *s, const dl_targets *t, const dl_policy *policy, const char *as_of,
			   const srv_cohort_sheet *sheets, size_t count, srv_cohort **out,
			   dl_error *err);

/** The cohort: read only, since other requests may share it. Borrowed: valid until
 * srv_cohort_free(). */
const dl_cohort *srv_cohort_get(const srv_cohort *c);
/**
 * The acceptance verdict of credit_code's pair under the cohort's policy: 1 with *verdict, 0 when
 * it was not compared (no policy, no pair standing, or a pair that does not compare), -1 when the
 * cohort could not keep the verdicts (out of memory: decide it otherwise). The choice of sheets and
 * the comparison are those of srv_standing_pair and srv_standing_compare, done once for every
 * enterprise (the dashboard's pipeline table asks for each).
 */
int srv_cohort_verdict_of(const srv_cohort *c, const char *credit_code, dl_verdict *verdict);

/** Sheets fed, and of them those that could not be scored. */
size_t srv_cohort_sheet_count(const srv_cohort *c);
size_t srv_cohort_failed_count(const srv_cohort *c);
/**
 * What the batch said while it worked (which sheet stands, a sheet not counted, a sheet that
 * failed and why, a payment refused), one message per line, or "" when nothing. Borrowed.
 */
const char *srv_cohort_notes(const srv_cohort *c);

/** Let go of c (a cohort shared with the cache is freed once nobody holds it). */
void srv_cohort_free(srv_cohort *c);

#endif
