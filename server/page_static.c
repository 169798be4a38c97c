#include "pages.h"
int page_static(srv *s, const srv_request *rq, srv_response *rs) { (void)s; (void)rq; return srv_respond_error(rs, 404, "x"); }
