/*
 * pipeline.h: where an enterprise stands in the district's pipeline (docs/workbench.md "The
 * supervisor"): its diagnosis, contract and retrofit plan, each reviewed by the supervisor
 * (全过程监督服务单位), its evaluation, and the acceptance decided on the pair that stands.
 *
 * The states come from what is stored, never from a field someone sets: a step is "returned" when
 * the newest review of its newest version returned it, so a new version of a returned item (a new
 * id) is "submitted" (or "uploaded") again and waits for review. The review queue (page_review.c),
 * the enterprise page and the dashboard's pipeline table (page_district.c) all read these.
 */
#ifndef DL_SERVER_PIPELINE_H
#define DL_SERVER_PIPELINE_H

#include "server.h"

/** What the district has stored about one enterprise (or every one): loaded once per page. */
typedef struct srv_district {
	dl_store_row *rows;           /**< every version of every sheet, drafts too, newest first */
	size_t row_count;
	dl_store_document *docs;      /**< every version of every document, newest first */
	size_t doc_count;
	dl_store_review *reviews;     /**< every review, newest first */
	size_t review_count;
	/* indexes into the arrays above, each newest first within its key: a province loads 200,000
	 * rows, and a page asks about each of them (pipeline.c) */
	const dl_store_row **rows_by_code, **rows_by_lineage;
	const dl_store_document **docs_by_code, **docs_by_lineage;
	const dl_store_review **reviews_by_item; /**< by item kind, then item id */
} srv_district;

/** Load the sheets, documents and reviews of credit_code (NULL: of every enterprise). Returns 0 or
 * the store's DL_E* code with err; free d with srv_district_free whatever it returns. */
int srv_district_load(srv *s, const char *credit_code, srv_district *d, dl_error *err);
void srv_district_free(srv_district *d);

/** The newest review of one item ("sheet" or "document", its id), or NULL: not reviewed. Borrowed
 * from d. */
const dl_store_review *srv_district_review_of(const srv_district *d, const char *item_kind,
					      int64_t item_id);

/** The name on credit_code's newest sheet that has one, or "". Borrowed from d. */
const char *srv_district_name_of(const srv_district *d, const char *credit_code);

/** Is row the newest finished version of its lineage (what a review is about)? */
bool srv_district_row_current(const srv_district *d, const dl_store_row *row);
/** Is doc the newest version of its lineage? */
bool srv_district_doc_current(const srv_district *d, const dl_store_document *doc);

/** The steps, in the order the district's plan runs them. */
typedef enum srv_step {
	SRV_STEP_DIAGNOSIS,  /**< 诊断: the newest finished diagnosis, reviewed */
	SRV_STEP_CONTRACT,   /**< 合同: the newest contract, reviewed */
	SRV_STEP_PLAN,       /**< 改造方案: the newest retrofit plan, reviewed */
	SRV_STEP_EVALUATION, /**< 评测: a finished evaluation exists */
	SRV_STEP_ACCEPTANCE, /**< 验收: the verdict on the pair that stands */
	SRV_STEP_COUNT
} srv_step;

/** A step's state. */
typedef enum srv_state {
	SRV_STATE_NONE,      /**< nothing stored yet */
	SRV_STATE_SUBMITTED, /**< a finished diagnosis waits for review */
	SRV_STATE_UPLOADED,  /**< a document waits for review */
	SRV_STATE_APPROVED,  /**< the supervisor approved the newest version */
	SRV_STATE_RETURNED,  /**< the supervisor returned the newest version, with a comment */
	SRV_STATE_EVALUATED, /**< evaluation: a finished one is stored (its API name: "submitted") */
	SRV_STATE_PENDING,   /**< acceptance: an evaluation is stored, no verdict can be given yet */
	SRV_STATE_PASSED,    /**< acceptance: 通过 */
	SRV_STATE_FAILED,    /**< acceptance: 不通过 */
	SRV_STATE_RECTIFY,   /**< acceptance: 限期整改 */
	SRV_STATE_COUNT
} srv_state;

/** One step of an enterprise. */
typedef struct srv_pipeline_step {
	srv_state state;
	int64_t item_id;                /**< the sheet's or document's id the state is about, or 0 */
	int64_t version;                /**< its version in its lineage, or 0 */
	const dl_store_review *review;  /**< the newest review of it (borrowed from the district), or NULL */
} srv_pipeline_step;

typedef struct srv_pipeline {
	srv_pipeline_step step[SRV_STEP_COUNT];
} srv_pipeline;

/**
 * The pipeline of credit_code from d (loaded for it or for every enterprise). The acceptance is
 * the verdict of the standing pair (standing.h) compared under policy; no policy, or a pair that
 * does not stand or compare: PENDING when an evaluation is stored. Returns 0, or DL_ENOMEM / the
 * store's code (err says why).
 */
int srv_pipeline_make(srv *s, const srv_district *d, const char *credit_code, const dl_policy *policy,
		      srv_pipeline *out, dl_error *err);

/**
 * The steps up to the evaluation, as srv_pipeline_make, without the acceptance (left NONE). True
 * when an evaluation is stored: then the acceptance is due, and the caller gives it (the
 * dashboard takes every enterprise's from the cohort it built, instead of comparing each pair
 * again).
 */
bool srv_pipeline_steps(const srv_district *d, const char *credit_code, srv_pipeline *out);

/** The acceptance state of a verdict: PASSED, FAILED or RECTIFY. */
srv_state srv_state_of_verdict(dl_verdict v);

/** A step's and a state's name in the API ("diagnosis", "returned") and title on a page (translated). */
const char *srv_step_name(srv_step step);
const char *srv_step_title(srv_step step);
const char *srv_state_name(srv_state state);
const char *srv_state_title(srv_state state);

/** Append the pipeline as a JSON object {"diagnosis": {"state", "id", "version", "review"}, ...}. */
int srv_pipeline_json(srv_buf *b, const srv_pipeline *p);
/** Append a review as a JSON object. */
int srv_review_json(srv_buf *b, const dl_store_review *r);

#endif
