/*
 * api_enterprises.c: the district's enterprises in the JSON API (docs/api.md): GET /api/enterprises
 * (those the caller may read, with who is assigned and the newest level of each phase),
 * POST /api/enterprises (the bureau registers one), POST /api/enterprises/{code}/assignment (the
 * bureau assigns its integrator and evaluator), and the checks the bureau's page shares.
 *
 * A credit code is checked as the library checks a sheet's (dl_credit_code_check); an account
 * assigned must exist, be of the role it is assigned as, and not be disabled. Every change goes
 * to the store with the request's actor, so its audit entry is written with it.
 */
#include "access.h"
#include "auth.h"
#include "district.h"
#include "standing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char JSON[] = "application/json; charset=utf-8";

/* --- checks shared with the page ---------------------------------------------------------------- */

const char *district_role_title(const char *role)
{
	static const char *const roles[][2] = {
		{DL_ROLE_ENTERPRISE, N_("enterprise")}, {DL_ROLE_INTEGRATOR, N_("integrator")},
		{DL_ROLE_EVALUATOR, N_("evaluator")},   {DL_ROLE_SUPERVISOR, N_("supervisor")},
		{DL_ROLE_BUREAU, N_("bureau")},
	};
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(role, roles[i][0]) == 0)
			return _(roles[i][1]);
	return role;
}

int district_check_code(const char *code, char *msg, size_t size)
{
	char why[200];
	if (!code || !*code) {
		snprintf(msg, size, "%s", _("give the enterprise's unified social credit code (统一社会信用代码)"));
		return DL_EINVALID;
	}
	int rc = dl_credit_code_check(code, why, sizeof why);
	if (rc == DL_ENOMEM)
		return rc;
	if (rc < 0) {
		snprintf(msg, size, _("the credit code '%s' is not valid: %s"), code, why);
		return DL_EINVALID;
	}
	return 0;
}

/* Text a person may give as a name: 1 to 255 bytes, no control characters. */
static bool plain_text(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

int district_register(srv *s, const srv_request *rq, const char *code, const char *name,
		      char *msg, size_t size)
{
	int rc = district_check_code(code, msg, size);
	if (rc == DL_EINVALID)
		return 422;
	if (rc < 0)
		return rc;
	if (!name || !plain_text(name, 255)) {
		snprintf(msg, size, "%s", _("give the enterprise's name (at most 255 bytes, on one line)"));
		return 422;
	}
	dl_store_actor by;
	srv_actor(rq, &by);
	dl_error err = {0};
	if ((rc = dl_store_enterprise_register(s->store, code, name, &by, &err)) < 0)
		srv_log("store: %s", err.message);
	return rc;
}

int district_check_account(srv *s, const char *role, const char *user, char *msg, size_t size)
{
	if (!user || !*user)
		return 0;
	const char *as = district_role_title(role);
	dl_store_user u;
	dl_error err = {0};
	int rc = dl_store_user_find(s->store, user, &u, NULL, 0, &err);
	if (rc == DL_ENOTFOUND) {
		snprintf(msg, size, _("there is no account called '%s' to assign as %s"), user, as);
		return 422;
	}
	if (rc < 0) {
		srv_log("store: %s", err.message);
		return rc;
	}
	if (strcmp(u.role, role) != 0) {
		snprintf(msg, size, _("'%s' is an account of the role %s: only an account of the role "
				      "%s can be assigned as the enterprise's %s"),
			 user, district_role_title(u.role), as, as);
		return 422;
	}
	if (u.disabled) {
		snprintf(msg, size, _("the account '%s' is disabled: it cannot be assigned"), user);
		return 422;
	}
	return 0;
}

int district_assign(srv *s, const srv_request *rq, const char *code, const char *role,
		    const char *user, char *msg, size_t size)
{
	int rc = district_check_code(code, msg, size);
	if (rc == DL_EINVALID)
		return 422;
	if (rc < 0 || (rc = district_check_account(s, role, user, msg, size)) != 0)
		return rc;
	dl_store_actor by;
	srv_actor(rq, &by);
	dl_error err = {0};
	rc = dl_store_assign(s->store, code, role, user && *user ? user : NULL, &by, &err);
	if (rc == DL_EINVALID) { /* changed between the check and the assignment */
		snprintf(msg, size, _("the account '%s' cannot be assigned as %s"), user ? user : "",
			 district_role_title(role));
		return 422;
	}
	if (rc < 0)
		srv_log("store: %s", err.message);
	return rc;
}

/* --- a flat JSON object of strings and nulls ---------------------------------------------------- */

typedef struct jfield {
	const char *name;
	bool present, null;
	char value[512];
} jfield;

static void skip_space(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r'))
		(*p)++;
}

static int hex4(const char *p, const char *end, unsigned *out)
{
	if (end - p < 4)
		return -1;
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* A JSON string at *p (its opening quote) into buf as UTF-8; -1 when malformed or too long. */
static int json_string(const char **p, const char *end, char *buf, size_t size)
{
	size_t n = 0;
	const char *q = *p + 1;
	while (q < end && *q != '"') {
		unsigned cp = (unsigned char)*q;
		if (cp < 0x20)
			return -1;
		if (*q == '\\') {
			if (++q >= end)
				return -1;
			switch (*q) {
			case '"': case '\\': case '/': cp = (unsigned char)*q; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u':
				if (hex4(q + 1, end, &cp) < 0)
					return -1;
				q += 4;
				if (cp >= 0xd800 && cp < 0xdc00) {
					unsigned lo;
					if (end - q < 7 || q[1] != '\\' || q[2] != 'u' || hex4(q + 3, end, &lo) < 0 ||
					    lo < 0xdc00 || lo > 0xdfff)
						return -1;
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					q += 6;
				} else if (cp >= 0xdc00 && cp < 0xe000) {
					return -1;
				}
				break;
			default: return -1;
			}
			char u[4];
			size_t k;
			if (cp < 0x80) {
				u[0] = (char)cp;
				k = 1;
			} else if (cp < 0x800) {
				u[0] = (char)(0xc0 | (cp >> 6));
				u[1] = (char)(0x80 | (cp & 0x3f));
				k = 2;
			} else if (cp < 0x10000) {
				u[0] = (char)(0xe0 | (cp >> 12));
				u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
				u[2] = (char)(0x80 | (cp & 0x3f));
				k = 3;
			} else {
				u[0] = (char)(0xf0 | (cp >> 18));
				u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
				u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
				u[3] = (char)(0x80 | (cp & 0x3f));
				k = 4;
			}
			if (cp == 0 || n + k >= size)
				return -1;
			memcpy(buf + n, u, k);
			n += k;
			q++;
			continue;
		}
		if (n + 1 >= size)
			return -1;
		buf[n++] = *q++;
	}
	if (q >= end)
		return -1;
	buf[n] = '\0';
	*p = q + 1;
	return 0;
}

/* Read {"name": "text" | null, ...} into fields (names not among them: -1, as malformed JSON). */
static int json_flat(const unsigned char *body, size_t len, jfield *fields, size_t count)
{
	const char *p = (const char *)body, *end = p + len;
	skip_space(&p, end);
	if (p >= end || *p++ != '{')
		return -1;
	skip_space(&p, end);
	if (p < end && *p == '}')
		p++;
	else
		for (;;) {
			char name[64];
			skip_space(&p, end);
			if (p >= end || *p != '"' || json_string(&p, end, name, sizeof name) < 0)
				return -1;
			skip_space(&p, end);
			if (p >= end || *p++ != ':')
				return -1;
			skip_space(&p, end);
			jfield *f = NULL;
			for (size_t i = 0; i < count; i++)
				if (strcmp(fields[i].name, name) == 0)
					f = &fields[i];
			if (!f || f->present)
				return -1;
			f->present = true;
			if (end - p >= 4 && memcmp(p, "null", 4) == 0) {
				f->null = true;
				p += 4;
			} else if (p >= end || *p != '"' || json_string(&p, end, f->value, sizeof f->value) < 0) {
				return -1;
			}
			skip_space(&p, end);
			if (p < end && *p == ',') {
				p++;
				continue;
			}
			if (p < end && *p == '}') {
				p++;
				break;
			}
			return -1;
		}
	skip_space(&p, end);
	return p == end ? 0 : -1;
}

/* --- the enterprise as JSON ------------------------------------------------------------------- */

static void json_name_or_null(srv_buf *b, const char *s)
{
	if (*s)
		srv_json_string(b, s);
	else
		srv_buf_puts(b, "null");
}

static void enterprise_json(srv_buf *b, const dl_store_enterprise *e, const dl_store_row *rows,
			    size_t count)
{
	srv_buf_puts(b, "{\"credit_code\": ");
	srv_json_string(b, e->credit_code);
	srv_buf_puts(b, ", \"name\": ");
	srv_json_string(b, e->name);
	srv_buf_puts(b, ", \"integrator\": ");
	json_name_or_null(b, e->integrator);
	srv_buf_puts(b, ", \"evaluator\": ");
	json_name_or_null(b, e->evaluator);
	srv_buf_puts(b, ", \"levels\": {");
	static const char *const phases[] = {"self-check", "diagnosis", "evaluation"};
	for (size_t k = 0; k < 3; k++) {
		const dl_store_row *newest = NULL; /* rows are oldest stored first: the last one */
		for (size_t i = 0; i < count; i++)
			if (strcmp(rows[i].credit_code, e->credit_code) == 0 &&
			    strcmp(rows[i].phase, phases[k]) == 0)
				newest = &rows[i];
		srv_buf_printf(b, "%s\"%s\": ", k ? ", " : "", phases[k]);
		if (!newest) {
			srv_buf_puts(b, "null");
			continue;
		}
		srv_buf_printf(b, "{\"sheet\": %lld, \"version\": %lld, \"date\": ", (long long)newest->id,
			       (long long)newest->version);
		srv_json_string(b, newest->date);
		srv_buf_puts(b, ", \"level\": ");
		if (newest->level >= 0)
			srv_buf_printf(b, "%d", newest->level);
		else
			srv_buf_puts(b, "null");
		srv_buf_puts(b, ", \"total\": ");
		srv_buf_puts(b, newest->total[0] ? newest->total : "null");
		srv_buf_puts(b, "}");
	}
	srv_buf_puts(b, "}}");
}

/* One enterprise's JSON as the answer of a change (status 200 or 201). */
static int respond_enterprise(srv *s, const char *code, int status, srv_response *rs)
{
	dl_store_enterprise e;
	dl_error err = {0};
	int rc = dl_store_enterprise_get(s->store, code, &e, &err);
	dl_store_row *rows = NULL;
	size_t count = 0;
	if (rc == 0)
		rc = srv_finished_rows(s, code, &rows, &count, &err);
	if (rc < 0) {
		srv_log("store: %s", err.message);
		free(rows);
		return rc;
	}
	srv_buf b = {0};
	enterprise_json(&b, &e, rows, count);
	srv_buf_puts(&b, "\n");
	free(rows);
	return srv_respond_buf(rs, status, JSON, &b);
}

static int by_credit_code_then_id(const void *a, const void *b)
{
	const dl_store_row *x = a, *y = b;
	int c = strcmp(x->credit_code, y->credit_code);
	if (c)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The first of rows (sorted by by_credit_code_then_id) with credit code code, or n if none. */
static size_t rows_from(const dl_store_row *rows, size_t n, const char *code)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(rows[mid].credit_code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* --- the handlers ------------------------------------------------------------------------------- */

int api_enterprises_list(srv *s, const srv_request *rq, srv_response *rs)
{
	dl_store_enterprise *list = NULL;
	size_t count = 0, nrows = 0;
	dl_store_row *rows = NULL;
	dl_error err = {0};
	int rc = dl_store_enterprise_list(s->store, &list, &count, &err);
	if (rc == 0)
		rc = srv_finished_rows(s, NULL, &rows, &nrows, &err);
	if (rc < 0) {
		srv_log("store: %s", err.message);
		free(list);
		free(rows);
		return rc;
	}
	/* each enterprise reads only its own rows: sorted by credit code (ids in order within one),
	 * its range found by binary search, so a province's list is n log n, not enterprises x rows */
	if (nrows > 1)
		qsort(rows, nrows, sizeof *rows, by_credit_code_then_id);
	srv_buf b = {0};
	srv_buf_puts(&b, "[");
	size_t shown = 0;
	for (size_t i = 0; i < count; i++) {
		if (!srv_may(s, rq, SRV_READ, list[i].credit_code))
			continue;
		size_t first = rows_from(rows, nrows, list[i].credit_code), last = first;
		while (last < nrows && strcmp(rows[last].credit_code, list[i].credit_code) == 0)
			last++;
		srv_buf_puts(&b, shown++ ? ",\n " : "\n ");
		enterprise_json(&b, &list[i], rows + first, last - first);
	}
	srv_buf_puts(&b, shown ? "\n]\n" : "]\n");
	free(list);
	free(rows);
	return srv_respond_buf(rs, 200, JSON, &b);
}

int api_enterprise_register(srv *s, const srv_request *rq, srv_response *rs)
{
	jfield f[] = {{"credit_code", false, false, ""}, {"name", false, false, ""}};
	if (!rq->body || json_flat(rq->body, rq->body_len, f, 2) < 0)
		return srv_respond_error(rs, 400, _("send a JSON object {\"credit_code\": \"…\", \"name\": "
						    "\"…\"}"));
	if (!srv_may(s, rq, SRV_ASSIGN, f[0].value))
		return srv_refuse(s, rq, rs, f[0].value);
	dl_store_enterprise old;
	dl_error err = {0};
	bool known = dl_store_enterprise_get(s->store, f[0].value, &old, &err) == 0;
	char msg[600];
	int rc = district_register(s, rq, f[0].value, f[1].value, msg, sizeof msg);
	if (rc > 0)
		return srv_respond_error(rs, rc, msg);
	if (rc < 0)
		return rc;
	snprintf(rs->location, sizeof rs->location, "/api/enterprises/%.32s", f[0].value);
	return respond_enterprise(s, f[0].value, known ? 200 : 201, rs);
}

int api_enterprise_assign(srv *s, const srv_request *rq, srv_response *rs)
{
	const char *code = rq->param[0];
	if (!srv_may(s, rq, SRV_ASSIGN, code))
		return srv_refuse(s, rq, rs, code);
	jfield f[] = {{"integrator", false, false, ""}, {"evaluator", false, false, ""}};
	if (!rq->body || json_flat(rq->body, rq->body_len, f, 2) < 0 || (!f[0].present && !f[1].present))
		return srv_respond_error(rs, 400, _("send a JSON object {\"integrator\": NAME or null, "
						    "\"evaluator\": NAME or null}"));
	char msg[600];
	int rc = district_check_code(code, msg, sizeof msg);
	if (rc == DL_EINVALID)
		return srv_respond_error(rs, 404, msg);
	if (rc < 0)
		return rc;
	/* both accounts checked before either is assigned: a refusal changes nothing */
	static const char *const roles[] = {DL_ROLE_INTEGRATOR, DL_ROLE_EVALUATOR};
	for (size_t k = 0; k < 2; k++) {
		rc = f[k].present && !f[k].null ? district_check_account(s, roles[k], f[k].value, msg,
									 sizeof msg)
						: 0;
		if (rc > 0)
			return srv_respond_error(rs, rc, msg);
		if (rc < 0)
			return rc;
	}
	for (size_t k = 0; k < 2; k++) {
		if (!f[k].present)
			continue;
		rc = district_assign(s, rq, code, roles[k], f[k].null ? NULL : f[k].value, msg, sizeof msg);
		if (rc > 0)
			return srv_respond_error(rs, rc, msg);
		if (rc < 0)
			return rc;
	}
	return respond_enterprise(s, code, 200, rs);
}
