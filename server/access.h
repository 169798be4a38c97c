/*
 * access.h: who may do what in district mode (docs/workbench.md "District mode"). One table of
 * role × action in access.c, and one question every handler asks before it reads or changes an
 * enterprise's things: srv_may. In personal mode (no accounts) everything is allowed, as the
 * server listens on loopback only.
 *
 * A refusal is answered 403 with a Chinese message and written to the audit log ("refused", the
 * method and path in its detail) by srv_refuse, so that probing is on record.
 */
#ifndef DL_SERVER_ACCESS_H
#define DL_SERVER_ACCESS_H

#include "server.h"

/** What a request wants to do. */
typedef enum srv_action {
	SRV_READ,             /**< an enterprise's sheets, reports, comparison, documents, reviews */
	SRV_SCORE,            /**< score a sheet without storing it (POST /api/score, the live form) */
	SRV_WRITE_SELF_CHECK, /**< save a self-check: the enterprise itself */
	SRV_WRITE_DIAGNOSIS,  /**< save a diagnosis: its assigned integrator */
	SRV_WRITE_EVALUATION, /**< save an evaluation, decide acceptance: its assigned evaluator */
	SRV_WRITE_DOCUMENT,   /**< upload a contract or retrofit plan: its assigned integrator */
	SRV_REVIEW,           /**< approve or return a diagnosis, contract or plan: the supervisor */
	SRV_ASSIGN,           /**< register enterprises, assign integrators and evaluators: bureau */
	SRV_DASHBOARD,        /**< the cohort dashboard and its files: bureau, supervisor */
	SRV_ARCHIVE,          /**< 一企一档 and the audit history: bureau, supervisor */
	SRV_ACCOUNTS          /**< see and manage accounts: bureau */
} srv_action;

/**
 * May the request's account do action on credit_code's things? credit_code NULL or "" for an
 * action about no one enterprise (the dashboard, accounts, scoring). Personal mode: always. Reads
 * the assignment from the store; a store failure is a no.
 */
bool srv_may(srv *s, const srv_request *rq, srv_action action, const char *credit_code);

/** The write action of a phase name ("self-check", "diagnosis", "evaluation"). */
srv_action srv_write_action(const char *phase);

/** May the request's account read this stored row: srv_may(SRV_READ, its credit code), or it is
 * the author's own draft without a credit code yet. */
bool srv_may_read_row(srv *s, const srv_request *rq, const dl_store_row *row);

/** Answer 403 and record the refusal in the audit log. Returns 0 (as a handler does). */
int srv_refuse(srv *s, const srv_request *rq, srv_response *rs, const char *credit_code);

/** May the request make a new version of the stored row old: the write action of its phase on
 * its credit code, or, for a draft that names no enterprise yet, being its author? */
bool srv_may_replace(srv *s, const srv_request *rq, const dl_store_row *old);

/** May the request store a sheet whose derived fields are fields (the write action of its phase
 * on its credit code), as a new version of replaces (0: a new sheet; then srv_may_replace too;
 * a replaces naming no row is allowed here and left to the store's 404)? */
bool srv_may_store(srv *s, const srv_request *rq, const dl_store_row *fields, int64_t replaces);

/** Keep only the rows the request may read (srv_may_read_row), in their order; updates *count. */
void srv_rows_visible(srv *s, const srv_request *rq, dl_store_row *rows, size_t *count);

/** Record a refusal in the audit log without answering (one file of an upload): "refused", the
 * method, path and what in its detail. */
void srv_refusal_note(srv *s, const srv_request *rq, const char *credit_code, const char *what);

#endif
