/*
 * pages_district.h: the supervisor's pages of district mode (docs/workbench.md "The supervisor"):
 * the review queue and its decisions (page_review.c), the integrator's document upload, and what
 * the enterprise page and the dashboard show of the pipeline, the documents and the reviews
 * (page_district.c).
 */
#ifndef DL_SERVER_PAGES_DISTRICT_H
#define DL_SERVER_PAGES_DISTRICT_H

#include "cohort_store.h"
#include "html.h"
#include "pipeline.h"
#include "server.h"

/* GET /review: the items awaiting review, across enterprises (?credit_code= one). */
int page_review_queue(srv *s, const srv_request *rq, srv_response *rs);
/* POST /reviews: approve or return one item (form fields item, id, decision, comment). */
int page_review_post(srv *s, const srv_request *rq, srv_response *rs);
/* GET /enterprises/{credit_code}/documents: the documents and the upload form. */
int page_documents(srv *s, const srv_request *rq, srv_response *rs);
/* POST /enterprises/{credit_code}/documents: multipart, fields file, kind, replaces. */
int page_documents_post(srv *s, const srv_request *rq, srv_response *rs);

/** On the enterprise page (page_sheets.c): its pipeline, documents and reviews, returned items
 * set apart under the page's title with their comments, and the links the account may follow
 * (upload, review, 一企一档). */
void page_enterprise_district(html_page *p, srv *s, const srv_request *rq, const char *credit_code);
/** On the dashboard (page_dashboard.c): one row per enterprise with the state of each step, and how
 * many enterprises are in each state. cohort (NULL: none) is the dashboard's, built from the store
 * as of now: its acceptance verdicts are taken when it was decided under the pipeline's policy. */
void page_dashboard_pipeline(html_page *p, srv *s, const srv_request *rq, const srv_cohort *cohort);

/** The documents of d (every version, newest first) as a table with download links and the
 * review state of each. */
void district_documents_table(html_page *p, xmlNodePtr parent, const srv_district *d);

#endif
