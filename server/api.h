/*
 * api.h: the handlers of the JSON API (docs/api.md), one file per resource: api_meta.c (health,
 * questionnaires, scoring without storing).
 */
#ifndef DL_SERVER_API_H
#define DL_SERVER_API_H

#include "server.h"

int api_health(srv *s, const srv_request *rq, srv_response *rs);
int api_questionnaires(srv *s, const srv_request *rq, srv_response *rs);
int api_questionnaire(srv *s, const srv_request *rq, srv_response *rs);
int api_score(srv *s, const srv_request *rq, srv_response *rs);

#endif
