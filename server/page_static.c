/*
 * page_static.c: the files the pages use, compiled into the program (scripts/embed-static.sh), so
 * that the browser gets every byte from the binary: no CDN, no font from elsewhere, nothing beside
 * the program to lose. /static/style.css is every server/static/NAME.css in name order; /static/app.js
 * is the optional script. The HTTP layer lets a browser keep them (Cache-Control on /static/).
 */
#include "pages.h"

#include <string.h>

/* scripts/embed-static.sh writes these into $(BUILD)/gen/static.c */
extern const unsigned char srv_static_style[];
extern const size_t srv_static_style_len;
extern const unsigned char srv_static_app[];
extern const size_t srv_static_app_len;

int page_static(srv *s, const srv_request *rq, srv_response *rs)
{
	(void)s;
	const char *file = rq->param[0];
	if (file && strcmp(file, "style.css") == 0)
		return srv_respond_bytes(rs, 200, "text/css; charset=utf-8", srv_static_style,
					 srv_static_style_len);
	if (file && strcmp(file, "app.js") == 0)
		return srv_respond_bytes(rs, 200, "text/javascript; charset=utf-8", srv_static_app,
					 srv_static_app_len);
	return srv_respond_error(rs, 404, _("there is nothing at this address"));
}
