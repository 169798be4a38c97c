/*
 * district.h: the bureau's part of district mode (docs/workbench.md "District mode"): the
 * district's enterprises and who is assigned to each (api_enterprises.c, page_district_admin.c),
 * and an enterprise's history, who changed which answer when (page_history.c, history.c).
 */
#ifndef DL_SERVER_DISTRICT_H
#define DL_SERVER_DISTRICT_H

#include "html.h"
#include "server.h"

/** The bureau's page, for the header's navigation (the bureau's accounts). */
#define SRV_DISTRICT_PATH "/district"

/* --- the JSON API (docs/api.md) -------------------------------------------------------------- */

/** GET /api/enterprises: the enterprises the caller may read, with their assignments and the
 * newest level of each phase. */
int api_enterprises_list(srv *s, const srv_request *rq, srv_response *rs);
/** POST /api/enterprises {"credit_code", "name"}: register an enterprise (SRV_ASSIGN). */
int api_enterprise_register(srv *s, const srv_request *rq, srv_response *rs);
/** POST /api/enterprises/{credit_code}/assignment {"integrator", "evaluator"} (SRV_ASSIGN). */
int api_enterprise_assign(srv *s, const srv_request *rq, srv_response *rs);
/** GET /api/enterprises/{credit_code}/history.csv and .json (SRV_ARCHIVE). */
int api_enterprise_history_csv(srv *s, const srv_request *rq, srv_response *rs);
int api_enterprise_history_json(srv *s, const srv_request *rq, srv_response *rs);

/* --- the pages ------------------------------------------------------------------------------- */

/** GET /district: the enterprises with their integrator and evaluator, registering, accounts. */
int page_district(srv *s, const srv_request *rq, srv_response *rs);
/** POST /district/assign (credit_code, integrator, evaluator) and POST /district/register
 * (credit_code, name): the forms of /district; back to /district with a notice, or the page
 * again (422) saying what is wrong. */
int page_district_assign(srv *s, const srv_request *rq, srv_response *rs);
int page_district_register(srv *s, const srv_request *rq, srv_response *rs);
/** GET /enterprises/{credit_code}/history: the audit entries and the changed answers. */
int page_history(srv *s, const srv_request *rq, srv_response *rs);

/* --- shared by them (api_enterprises.c) ------------------------------------------------------ */

/** A role's words for people ("integrator" → 集成商); an unknown role as it is. */
const char *district_role_title(const char *role);
/** Check a credit code as a sheet's is checked: 0, or DL_EINVALID with a sentence in msg. */
int district_check_code(const char *code, char *msg, size_t size);
/** Register, or assign one role's account (user NULL or "": nobody): 0, or an HTTP status (404,
 * 422) with a sentence in msg, or a negative DL_E* code of the store. */
int district_assign(srv *s, const srv_request *rq, const char *code, const char *role,
		    const char *user, char *msg, size_t size);
/** Whether user (NULL or "": nobody, fine) may be assigned as role: 0, 422 with msg, or DL_E*. */
int district_check_account(srv *s, const char *role, const char *user, char *msg, size_t size);
int district_register(srv *s, const srv_request *rq, const char *code, const char *name,
		      char *msg, size_t size);

#endif
