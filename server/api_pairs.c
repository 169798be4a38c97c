/*
 * api_pairs.c: an enterprise's before and after, and the whole cohort, in the JSON API
 * (docs/api.md): GET /api/enterprises/{credit_code}/compare, .../acceptance.pdf, GET /api/cohort,
 * /api/cohort.pdf, /api/cohort.csv.
 *
 * Which sheets stand for an enterprise, and how the cohort is counted, is decided once, in
 * standing.c and cohort_store.c (the batch's rules through the library), so the API, the pages and
 * `digilevel cohort` on an export cannot disagree.
 */
#include "access.h"
#include "api.h"
#include "api_sheet.h"
#include "cohort_store.h"
#include "standing.h"

#include <stdlib.h>
#include <string.h>

static const char JSON[] = "application/json; charset=utf-8";

/* The policy ?policy= names; required: 400 naming the ones there are, or 404 for an unknown one. */
static int chosen_policy(srv *s, const srv_request *rq, srv_response *rs, bool required,
			 const dl_policy **out)
{
	const char *id = srv_query(rq, "policy");
	*out = NULL;
	if ((!id || !*id) && !required)
		return 0;
	if (!id || !*id) {
		char list[1024] = "";
		for (size_t i = 0; i < s->policy_count; i++) {
			size_t n = strlen(list);
			snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "",
				 dl_policy_id(s->policies[i].policy));
		}
		char message[1400];
		snprintf(message, sizeof message,
			 _("say which city's policy decides (?policy=ID; this server has: %s)"), list);
		return srv_respond_error(rs, 400, message);
	}
	if (!(*out = srv_policy_find(s, id)))
		return srv_respond_error(rs, 404, _("this server has no policy of that name"));
	return 0;
}

/* The standing pair of {credit_code}; 404 in rs when a side is missing. */
static int standing(srv *s, const srv_request *rq, srv_response *rs, srv_standing *p)
{
	dl_error err = {0};
	int rc = srv_standing_pair(s, rq->param[0], p, &err);
	if (rc < 0) {
		srv_log("standing pair of %s: %s", rq->param[0], err.message);
		return rc;
	}
	if (!p->has_before && !p->has_after)
		return srv_respond_error(rs, 404, _("no finished sheet of this enterprise is stored"));
	if (!p->has_before)
		return srv_respond_error(rs, 404, _("this enterprise has no diagnosis (or self-check) "
						    "stored to compare with"));
	if (!p->has_after)
		return srv_respond_error(rs, 404, _("this enterprise has no evaluation stored yet"));
	return 0;
}

/*
 * What compare and acceptance.pdf both start from, once the caller may see the enterprise: the
 * policy ?policy= names (policy_required: 400 without one) and the standing pair of {credit_code},
 * loaded and scored. Returns 0 with *policy and *p ready to compare, or with rs->status set (the
 * answer is given), or a DL_E* code. Free p with srv_standing_free whatever it returns.
 */
static int pair_under_policy(srv *s, const srv_request *rq, srv_response *rs, bool policy_required,
			     const dl_policy **policy, srv_standing *p)
{
	memset(p, 0, sizeof *p);
	int rc = chosen_policy(s, rq, rs, policy_required, policy);
	if (rc < 0 || rs->status)
		return rc;
	return standing(s, rq, rs, p);
}

/* A comparison that failed for what the sheets say: 422 with the reason. */
static int compare_refused(srv_response *rs, const dl_error *err)
{
	srv_buf b = {0};
	srv_buf_printf(&b, "{\"diagnostics\": [\n  {\"line\": %lu, \"column\": %lu, \"message\": ",
		       err->line, err->column);
	srv_json_string(&b, err->message);
	srv_buf_puts(&b, ", \"where\": ");
	srv_json_string(&b, err->file);
	srv_buf_puts(&b, "}\n]}\n");
	return srv_respond_buf(rs, 422, JSON, &b);
}

int api_compare(srv *s, const srv_request *rq, srv_response *rs)
{
	if (!srv_may(s, rq, SRV_READ, rq->param[0]))
		return srv_refuse(s, rq, rs, rq->param[0]);
	const dl_policy *policy;
	srv_standing p;
	int rc = pair_under_policy(s, rq, rs, false, &policy, &p);
	dl_comparison *c = NULL;
	dl_error err = {0};
	if (rc == 0 && !rs->status) {
		rc = srv_standing_compare(&p, policy, NULL, &c, &err);
		if (rc == 0) {
			srv_buf b = {0};
			rc = dl_comparison_write_json(c, srv_buf_write, &b) < 0 ? DL_ENOMEM : 0;
			rc = rc ? rc : srv_respond_buf(rs, 200, JSON, &b);
			srv_buf_free(&b);
		} else if (rc != DL_ENOMEM) {
			rc = compare_refused(rs, &err);
		}
	}
	dl_comparison_free(c);
	srv_standing_free(&p);
	return rc;
}

int api_acceptance(srv *s, const srv_request *rq, srv_response *rs)
{
	/* its evaluator decides it, the enterprise reads its own, the bureau and the supervisor all */
	const char *code = rq->param[0];
	if (!srv_may(s, rq, SRV_WRITE_EVALUATION, code) && !srv_may(s, rq, SRV_WRITE_SELF_CHECK, code) &&
	    !srv_may(s, rq, SRV_ARCHIVE, code))
		return srv_refuse(s, rq, rs, code);
	const dl_policy *policy;
	srv_standing p;
	int rc = pair_under_policy(s, rq, rs, true, &policy, &p);
	dl_error err = {0};
	if (rc == 0 && !rs->status) {
		unsigned char *pdf = NULL;
		size_t len = 0;
		if ((rc = srv_standing_acceptance_pdf(s, &p, policy, &pdf, &len, &err)) == 0) {
			char name[160];
			snprintf(name, sizeof name, "acceptance-%s.pdf", p.after.row.credit_code);
			snprintf(rs->disposition, sizeof rs->disposition, "attachment; filename=\"%s\"",
				 name);
			rc = srv_respond_bytes(rs, 200, "application/pdf", pdf, len);
		} else if (rc == DL_EINVALID || rc == DL_EMISMATCH) {
			rc = compare_refused(rs, &err);
		} else if (rc != DL_ENOMEM) {
			srv_log("acceptance of %s: %s", rq->param[0], err.message);
			rc = srv_respond_error(rs, 500, _("the report could not be made (is a Chinese font "
							  "installed on the server?)"));
		}
		dl_report_free(pdf);
	}
	srv_standing_free(&p);
	return rc;
}

/* The cohort of ?targets= (default: the first targets file) under ?policy= (default: none, as
 * `cohort` without --policy), as of ?as_of=. */
static int cohort(srv *s, const srv_request *rq, srv_response *rs, srv_cohort **out)
{
	*out = NULL;
	const dl_policy *policy;
	int rc = chosen_policy(s, rq, rs, false, &policy);
	if (rc < 0 || rs->status)
		return rc;
	const char *tid = srv_query(rq, "targets");
	const dl_targets *t = srv_targets_find(s, tid);
	if (!t)
		return srv_respond_error(rs, 404, tid && *tid ? _("this server has no targets file of that name")
							      : _("this server has no targets file (put one in "
								  "the policies folder)"));
	dl_error err = {0};
	rc = srv_cohort_build(s, t, policy, srv_query(rq, "as_of"), out, &err);
	if (rc == DL_EINVALID || rc == DL_EMISMATCH || rc == DL_ENOTFOUND)
		return srv_respond_error(rs, 422, err.message);
	if (rc < 0)
		srv_log("cohort: %s", err.message);
	return rc;
}

int api_cohort(srv *s, const srv_request *rq, srv_response *rs)
{
	if (!srv_may(s, rq, SRV_DASHBOARD, NULL))
		return srv_refuse(s, rq, rs, NULL);
	srv_cohort *c;
	int rc = cohort(s, rq, rs, &c);
	if (rc == 0 && c) {
		srv_buf b = {0};
		rc = dl_cohort_write_json(srv_cohort_get(c), srv_buf_write, &b) < 0 ? DL_ENOMEM : 0;
		rc = rc ? rc : srv_respond_buf(rs, 200, JSON, &b);
		srv_buf_free(&b);
	}
	srv_cohort_free(c);
	return rc;
}

int api_cohort_csv(srv *s, const srv_request *rq, srv_response *rs)
{
	if (!srv_may(s, rq, SRV_DASHBOARD, NULL))
		return srv_refuse(s, rq, rs, NULL);
	const char *table = srv_query(rq, "table");
	if (!table || !*table)
		table = "targets";
	bool known = false;
	for (size_t i = 0; i < dl_cohort_table_count(); i++)
		known = known || strcmp(dl_cohort_table_id(i), table) == 0;
	if (!known)
		return srv_respond_error(rs, 400, _("the dashboard has no table of that name"));
	srv_cohort *c;
	int rc = cohort(s, rq, rs, &c);
	if (rc == 0 && c) {
		srv_buf b = {0};
		dl_cohort_csv flavour = api_query_flag(rq, "excel") ? DL_COHORT_CSV_EXCEL : DL_COHORT_CSV;
		rc = dl_cohort_write_table(srv_cohort_get(c), table, flavour, srv_buf_write, &b) < 0
			     ? DL_ENOMEM
			     : 0;
		snprintf(rs->disposition, sizeof rs->disposition, "attachment; filename=\"cohort-%s.csv\"",
			 table);
		rc = rc ? rc : srv_respond_buf(rs, 200, "text/csv; charset=utf-8", &b);
		srv_buf_free(&b);
	}
	srv_cohort_free(c);
	return rc;
}

int api_cohort_pdf(srv *s, const srv_request *rq, srv_response *rs)
{
	if (!srv_may(s, rq, SRV_DASHBOARD, NULL))
		return srv_refuse(s, rq, rs, NULL);
	srv_cohort *c;
	int rc = cohort(s, rq, rs, &c);
	if (rc == 0 && c) {
		unsigned char *pdf = NULL;
		size_t len = 0;
		dl_error err = {0};
		rc = dl_cohort_report(&pdf, &len, srv_cohort_get(c), NULL, &err);
		if (rc == 0) {
			snprintf(rs->disposition, sizeof rs->disposition,
				 "attachment; filename=\"cohort.pdf\"");
			rc = srv_respond_bytes(rs, 200, "application/pdf", pdf, len);
		} else if (rc != DL_ENOMEM) {
			srv_log("cohort PDF: %s", err.message);
			rc = srv_respond_error(rs, 500, _("the report could not be made (is a Chinese font "
							  "installed on the server?)"));
		}
		dl_report_free(pdf);
	}
	srv_cohort_free(c);
	return rc;
}
