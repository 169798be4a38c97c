/*
 * pages.h: the handlers of the workbench's pages (docs/workbench.md) and of the files the pages
 * use (/static/: the style sheet and the optional script, compiled into the program).
 */
#ifndef DL_SERVER_PAGES_H
#define DL_SERVER_PAGES_H

#include "server.h"

int page_static(srv *s, const srv_request *rq, srv_response *rs);

#endif
