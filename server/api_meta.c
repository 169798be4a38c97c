/*
 * api_meta.c: the JSON API's stateless part (docs/api.md): the server's health, the questionnaire
 * editions it knows, and scoring a sheet without storing it (POST /api/score), which answers with
 * the very bytes `digilevel score --format json` prints, or 422 with every problem of the sheet.
 */
#include "access.h"
#include "api.h"
#include "api_sheet.h"

#include <stdlib.h>
#include <string.h>

static const char JSON[] = "application/json; charset=utf-8";

int api_health(srv *s, const srv_request *rq, srv_response *rs)
{
	(void)rq;
	srv_buf b = {0};
	srv_buf_puts(&b, "{\"status\": \"ok\", \"version\": ");
	srv_json_string(&b, dl_version());
	srv_buf_puts(&b, ", \"db\": ");
	srv_json_string(&b, dl_store_backend(s->store));
	srv_buf_printf(&b, ", \"schema\": %d, \"questionnaires\": %zu, \"policies\": %zu}\n",
		       dl_store_schema_version(s->store), s->edition_count, s->policy_count);
	return srv_respond_buf(rs, 200, JSON, &b);
}

int api_questionnaires(srv *s, const srv_request *rq, srv_response *rs)
{
	(void)rq;
	srv_buf b = {0};
	srv_buf_puts(&b, "[");
	for (size_t i = 0; i < s->edition_count; i++) {
		const dl_questionnaire *q = s->editions[i].q;
		srv_buf_puts(&b, i ? ",\n {\"id\": " : "\n {\"id\": ");
		srv_json_string(&b, dl_questionnaire_id(q));
		srv_buf_puts(&b, ", \"version\": ");
		srv_json_string(&b, dl_questionnaire_version(q));
		srv_buf_puts(&b, ", \"title\": ");
		srv_json_string(&b, dl_questionnaire_title(q));
		srv_buf_puts(&b, ", \"sha256\": ");
		srv_json_string(&b, dl_questionnaire_digest(q));
		srv_buf_puts(&b, "}");
	}
	srv_buf_puts(&b, "\n]\n");
	return srv_respond_buf(rs, 200, JSON, &b);
}

/* {id} is an edition's id, or id:version. */
int api_questionnaire(srv *s, const srv_request *rq, srv_response *rs)
{
	char id[256];
	snprintf(id, sizeof id, "%s", rq->param[0]);
	char *colon = strchr(id, ':');
	if (colon)
		*colon++ = '\0';
	const dl_questionnaire *q = srv_edition_find(s, id, colon);
	if (!q)
		return srv_respond_error(rs, 404, _("this server has no questionnaire of that name"));
	srv_buf b = {0};
	if (dl_questionnaire_write_json(q, srv_buf_write, &b) < 0) {
		srv_buf_free(&b);
		return DL_ENOMEM;
	}
	return srv_respond_buf(rs, 200, JSON, &b);
}

int api_score(srv *s, const srv_request *rq, srv_response *rs)
{
	if (!srv_may(s, rq, SRV_SCORE, NULL))
		return srv_refuse(s, rq, rs, NULL);
	if (!rq->body || rq->body_len == 0)
		return srv_respond_error(rs, 400, _("send the answer sheet (XML, or a filled workbook) as "
						    "the body of the request"));
	int target = -1;
	const char *t = srv_query(rq, "target");
	if (t && *t) {
		char *end;
		long n = strtol(t, &end, 10);
		if (*end || n < 0 || n > 9)
			return srv_respond_error(rs, 400, _("target must be a level from 0 to 4"));
		target = (int)n;
	}
	api_scored sc;
	int rc = api_score_sheet(s, (const char *)rq->body, rq->body_len, "sheet.xml",
				 api_query_flag(rq, "partial"), target, &sc);
	if (rc == 0) {
		srv_buf b = {0};
		rc = dl_result_write_json(sc.result, sc.sheet, sc.plan, srv_buf_write, &b) < 0 ? DL_ENOMEM
												   : 0;
		if (rc == 0)
			rc = srv_respond_buf(rs, 200, JSON, &b);
		else
			srv_buf_free(&b);
	} else if (rc == DL_EINVALID || rc == DL_ELIMIT || rc == DL_EMISMATCH) {
		rc = api_respond_diagnostics(rs, &sc);
	}
	api_scored_free(&sc);
	return rc;
}
