/*
 * access.c: who may do what in district mode (access.h): one table, role × action, read top to
 * bottom. Each role has the actions it may take on every enterprise (and on none: the dashboard,
 * scoring), those it may take on its own enterprise only (the enterprise role, by the credit code
 * its account is bound to), and those on the enterprises the bureau assigned to it (the store's
 * assignment: the enterprise's integrator or evaluator is this account).
 *
 * A write with no enterprise yet (a draft whose credit code is still empty) is allowed to a role
 * that may write that phase for some enterprise: the store records the account as its author, and
 * only the author reads it (srv_may_read_row) until it names an enterprise, when the rule above
 * decides again at its next save.
 */
#include "access.h"

#include "auth.h"
#include "pages_view.h"

#include <stdio.h>
#include <string.h>

#define A(action) (1u << (action))

typedef struct role_rights {
	const char *role;
	unsigned every;    /* on every enterprise, and on none */
	unsigned own;      /* on its own credit code */
	unsigned assigned; /* on the enterprises assigned to it */
} role_rights;

static const role_rights RIGHTS[] = {
	{DL_ROLE_ENTERPRISE, A(SRV_SCORE), A(SRV_READ) | A(SRV_WRITE_SELF_CHECK), 0},
	{DL_ROLE_INTEGRATOR, A(SRV_SCORE), 0, A(SRV_READ) | A(SRV_WRITE_DIAGNOSIS) | A(SRV_WRITE_DOCUMENT)},
	{DL_ROLE_EVALUATOR, A(SRV_SCORE), 0, A(SRV_READ) | A(SRV_WRITE_EVALUATION)},
	{DL_ROLE_SUPERVISOR,
	 A(SRV_SCORE) | A(SRV_READ) | A(SRV_REVIEW) | A(SRV_DASHBOARD) | A(SRV_ARCHIVE), 0, 0},
	{DL_ROLE_BUREAU,
	 A(SRV_SCORE) | A(SRV_READ) | A(SRV_ASSIGN) | A(SRV_DASHBOARD) | A(SRV_ARCHIVE) | A(SRV_ACCOUNTS),
	 0, 0},
};

static const unsigned WRITES = A(SRV_WRITE_SELF_CHECK) | A(SRV_WRITE_DIAGNOSIS) |
			       A(SRV_WRITE_EVALUATION) | A(SRV_WRITE_DOCUMENT);

static const role_rights *rights_of(const char *role)
{
	for (size_t i = 0; i < sizeof RIGHTS / sizeof RIGHTS[0]; i++)
		if (strcmp(RIGHTS[i].role, role) == 0)
			return &RIGHTS[i];
	return NULL;
}

/* Is the enterprise credit_code assigned to the account who (as its integrator or evaluator)? */
static bool assigned_to(srv *s, const srv_who *who, const char *credit_code)
{
	dl_store_enterprise e;
	dl_error err = {0};
	int rc = dl_store_enterprise_get(s->store, credit_code, &e, &err);
	if (rc < 0) {
		if (rc != DL_ENOTFOUND)
			srv_log("access: %s", err.message);
		return false;
	}
	const char *name = who->user.name;
	if (strcmp(who->user.role, DL_ROLE_INTEGRATOR) == 0)
		return strcmp(e.integrator, name) == 0;
	if (strcmp(who->user.role, DL_ROLE_EVALUATOR) == 0)
		return strcmp(e.evaluator, name) == 0;
	return false;
}

bool srv_may(srv *s, const srv_request *rq, srv_action action, const char *credit_code)
{
	if (!s->district)
		return true;
	const srv_who *who = rq->who;
	const role_rights *r = who && !who->user.disabled ? rights_of(who->user.role) : NULL;
	if (!r)
		return false;
	unsigned want = A(action);
	if (r->every & want)
		return true;
	if (!credit_code || !*credit_code) /* a draft naming no enterprise yet */
		return (want & WRITES) && ((r->own | r->assigned) & want);
	if ((r->own & want) && who->user.credit_code[0] &&
	    strcmp(who->user.credit_code, credit_code) == 0)
		return true;
	return (r->assigned & want) && assigned_to(s, who, credit_code);
}

srv_action srv_write_action(const char *phase)
{
	if (phase && strcmp(phase, "self-check") == 0)
		return SRV_WRITE_SELF_CHECK;
	if (phase && strcmp(phase, "evaluation") == 0)
		return SRV_WRITE_EVALUATION;
	return SRV_WRITE_DIAGNOSIS;
}

bool srv_may_read_row(srv *s, const srv_request *rq, const dl_store_row *row)
{
	if (!s->district)
		return true;
	if (row->credit_code[0])
		return srv_may(s, rq, SRV_READ, row->credit_code);
	return rq->who && row->author[0] && strcmp(row->author, rq->who->user.name) == 0;
}

bool srv_may_replace(srv *s, const srv_request *rq, const dl_store_row *old)
{
	if (!s->district)
		return true;
	if (old->credit_code[0])
		return srv_may(s, rq, srv_write_action(old->phase), old->credit_code);
	return srv_may_read_row(s, rq, old);
}

bool srv_may_store(srv *s, const srv_request *rq, const dl_store_row *fields, int64_t replaces)
{
	if (!s->district)
		return true;
	if (!srv_may(s, rq, srv_write_action(fields->phase), fields->credit_code))
		return false;
	dl_store_row old;
	dl_error err = {0};
	if (replaces <= 0 || dl_store_get(s->store, replaces, &old, NULL, NULL, &err) < 0)
		return true; /* nothing to replace, or the store's put answers (404) */
	return srv_may_replace(s, rq, &old);
}

void srv_rows_visible(srv *s, const srv_request *rq, dl_store_row *rows, size_t *count)
{
	if (!s->district)
		return;
	/* one question per enterprise: the rows of one enterprise are many */
	char seen[32][32];
	bool may[32];
	size_t seen_count = 0, kept = 0;
	for (size_t i = 0; i < *count; i++) {
		const dl_store_row *r = &rows[i];
		bool ok;
		size_t k = 0;
		while (k < seen_count && (!r->credit_code[0] || strcmp(seen[k], r->credit_code) != 0))
			k++;
		if (r->credit_code[0] && k < seen_count) {
			ok = may[k];
		} else {
			ok = srv_may_read_row(s, rq, r);
			if (r->credit_code[0]) {
				size_t slot = seen_count < 32 ? seen_count++ : i % 32;
				snprintf(seen[slot], sizeof seen[slot], "%s", r->credit_code);
				may[slot] = ok;
			}
		}
		if (ok)
			rows[kept++] = *r;
	}
	*count = kept;
}

void srv_refusal_note(srv *s, const srv_request *rq, const char *credit_code, const char *what)
{
	dl_store_audit e;
	memset(&e, 0, sizeof e);
	snprintf(e.action, sizeof e.action, "refused");
	snprintf(e.credit_code, sizeof e.credit_code, "%s", credit_code ? credit_code : "");
	snprintf(e.detail, sizeof e.detail, "%s %.300s%s%.160s", rq->method, rq->path,
		 what && *what ? " " : "", what ? what : "");
	dl_store_actor by;
	srv_actor(rq, &by);
	dl_error err = {0};
	if (dl_store_audit_add(s->store, &e, &by, &err) < 0)
		srv_log("audit: %s", err.message);
}

int srv_refuse(srv *s, const srv_request *rq, srv_response *rs, const char *credit_code)
{
	srv_refusal_note(s, rq, credit_code, NULL);
	const char *message = _("Your account may not do this. Ask the district's bureau if it should.");
	if (strncmp(rq->path, "/api/", 5) == 0)
		return srv_respond_error(rs, 403, message);
	return view_error_page(rq, rs, 403, _("Not allowed"), message);
}
