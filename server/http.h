/*
 * http.h: the HTTP layer (http.c): start and stop the listening server, resolve and judge the
 * address it listens on.
 */
#ifndef DL_SERVER_HTTP_H
#define DL_SERVER_HTTP_H

#include "server.h"

#include <sys/socket.h>

struct MHD_Daemon;

typedef struct http_server {
	srv *srv;
	struct MHD_Daemon *daemon;
	unsigned short port; /**< the port listened on (the one chosen when 0 was asked for) */
	bool log_requests;   /**< a line per request on standard error */
} http_server;

/** Start listening on addr with s's limits; TLS when tls_key and tls_cert (PEM texts) are given. */
int http_start(http_server *h, srv *s, const struct sockaddr_storage *addr, const char *tls_key,
	       const char *tls_cert, dl_error *err);
void http_stop(http_server *h);

/** A numeric address and port into addr; DL_EINVALID when host is not a numeric address. */
int http_resolve(const char *host, unsigned short port, struct sockaddr_storage *addr);
/** Whether addr is a loopback address (127.0.0.0/8, ::1). */
bool http_is_loopback(const struct sockaddr *addr);

#endif
