/*
 * http.c: the workbench's HTTP layer over libmicrohttpd (its internal thread pool). It reads a
 * whole request within bounds, parses forms into fields, hands the request to the router, and
 * sends the response with the headers every answer carries.
 *
 * Bounds (docs/workbench.md): a request body larger than the limit is refused with 413 as soon as
 * its Content-Length says so (a chunked body when it passes the limit); headers are bounded by the
 * connection's memory pool (libmicrohttpd answers 431 itself); connections at once, per client
 * address and idle time are limited, so a slow client holds one connection and no thread. Every
 * error a handler or this layer decides is JSON {"error": ...}; nothing a client sends reaches the
 * disk but through the store.
 *
 * Every answer carries the same security headers (docs/security.md "The workbench"): a
 * Content-Security-Policy without inline script that forbids framing, form targets elsewhere and
 * <base>; nosniff; no Referer; X-Frame-Options: DENY; and Cache-Control: no-store but for the
 * static files. The session cookie a handler sets (Set-Cookie) and a 429's Retry-After go out here.
 */
#include "http.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* At most this many form fields in one request (the questionnaire form has a few hundred). */
#define MAX_FIELDS 20000

typedef struct request_state {
	srv_buf body;
	struct MHD_PostProcessor *form;
	srv_field *fields;
	size_t field_count, field_cap;
	size_t received;
	bool bad_form, answered;
	struct timespec start;
} request_state;

static double elapsed_ms(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 + (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static void remote_of(struct MHD_Connection *c, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(buf, size, "?");
	if (!info || !info->client_addr)
		return;
	socklen_t len = info->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
								  : sizeof(struct sockaddr_in);
	getnameinfo(info->client_addr, len, buf, (socklen_t)size, NULL, 0, NI_NUMERICHOST);
}

const char *srv_query(const srv_request *rq, const char *name)
{
	return rq->conn ? MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name) : NULL;
}

const char *srv_header(const srv_request *rq, const char *name)
{
	return rq->conn ? MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name) : NULL;
}

const srv_field *srv_field_get(const srv_request *rq, const char *name)
{
	for (size_t i = 0; i < rq->field_count; i++)
		if (strcmp(rq->fields[i].name, name) == 0)
			return &rq->fields[i];
	return NULL;
}

/* Send rs on c with the headers every answer carries; frees rs's body (libmicrohttpd owns it). */
static enum MHD_Result send_response(struct MHD_Connection *c, srv_response *rs, bool cacheable)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(rs->len, rs->body ? rs->body : (void *)"",
								  rs->body ? MHD_RESPMEM_MUST_FREE
									   : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(rs->body);
		rs->body = NULL;
		return MHD_NO;
	}
	rs->body = NULL;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				rs->content_type ? rs->content_type : "application/octet-stream");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; style-src 'self'; "
				"script-src 'self'; frame-ancestors 'none'; form-action 'self'; "
				"base-uri 'none'");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
				cacheable ? "public, max-age=86400" : "no-store");
	if (rs->disposition[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, rs->disposition);
	if (rs->location[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, rs->location);
	if (rs->set_cookie[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, rs->set_cookie);
	if (rs->retry_after) {
		char seconds[16];
		snprintf(seconds, sizeof seconds, "%u", rs->retry_after);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
	}
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *message)
{
	srv_response rs = {0};
	if (srv_respond_error(&rs, status, message) < 0)
		return MHD_NO;
	return send_response(c, &rs, false);
}

/* libmicrohttpd's form parser gives each field in pieces: a piece at offset 0 starts a field. */
static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *filename, const char *content_type,
				const char *transfer_encoding, const char *data, uint64_t off, size_t size)
{
	(void)kind, (void)content_type, (void)transfer_encoding;
	request_state *st = cls;
	if (!key)
		return MHD_YES;
	srv_field *f = st->field_count ? &st->fields[st->field_count - 1] : NULL;
	if (off == 0 || !f || strcmp(f->name, key) != 0) {
		if (st->field_count == MAX_FIELDS) {
			st->bad_form = true;
			return MHD_NO;
		}
		if (st->field_count == st->field_cap) {
			size_t cap = st->field_cap ? st->field_cap * 2 : 64;
			srv_field *grown = realloc(st->fields, cap * sizeof *grown);
			if (!grown)
				return MHD_NO;
			st->fields = grown;
			st->field_cap = cap;
		}
		f = &st->fields[st->field_count];
		memset(f, 0, sizeof *f);
		if (!(f->name = strdup(key)) || !(f->value = calloc(1, 1)) ||
		    (filename && !(f->filename = strdup(filename)))) {
			free(f->name);
			free(f->value);
			return MHD_NO;
		}
		st->field_count++;
	}
	if (size) {
		char *grown = realloc(f->value, f->len + size + 1);
		if (!grown)
			return MHD_NO;
		memcpy(grown + f->len, data, size);
		f->len += size;
		grown[f->len] = '\0';
		f->value = grown;
	}
	return MHD_YES;
}

static void free_state(request_state *st)
{
	if (!st)
		return;
	if (st->form)
		MHD_destroy_post_processor(st->form);
	for (size_t i = 0; i < st->field_count; i++) {
		free(st->fields[i].name);
		free(st->fields[i].value);
		free(st->fields[i].filename);
	}
	free(st->fields);
	srv_buf_free(&st->body);
	free(st);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	free_state(*con_cls);
	*con_cls = NULL;
}

static bool is_form(const char *type)
{
	return type && (strncasecmp(type, MHD_HTTP_POST_ENCODING_FORM_URLENCODED,
				    strlen(MHD_HTTP_POST_ENCODING_FORM_URLENCODED)) == 0 ||
			strncasecmp(type, MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA,
				    strlen(MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA)) == 0);
}

static enum MHD_Result count_length(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	(void)kind, (void)value;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
		++*(unsigned *)cls;
	return MHD_YES;
}

/* The first call of a request: its state, and what can be refused before its body is read. */
static enum MHD_Result begin(http_server *h, struct MHD_Connection *c, const char *url,
			     const char *method, void **con_cls)
{
	request_state *st = calloc(1, sizeof *st);
	if (!st)
		return MHD_NO;
	clock_gettime(CLOCK_MONOTONIC, &st->start);
	*con_cls = st;
	const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_CONTENT_LENGTH);
	unsigned lengths = 0;
	MHD_get_connection_values(c, MHD_HEADER_KIND, count_length, &lengths);
	if (lengths > 1) { /* which one is meant? a proxy may have read the other */
		st->answered = true;
		return send_error(c, 400, _("the request gives its length twice"));
	}
	if (length) {
		char *end;
		unsigned long long n = strtoull(length, &end, 10);
		if (*end || n > h->srv->cfg.body_limit) {
			st->answered = true;
			return send_error(c, 413, _("the request is larger than the server accepts"));
		}
	}
	const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	/* the API takes documents as they are (curl sends XML as a url-encoded "form" by default) */
	bool api = url && strncmp(url, "/api/", 5) == 0;
	if (strcmp(method, "POST") == 0 && !api && is_form(type)) {
		st->form = MHD_create_post_processor(c, (size_t)64 * 1024, on_field, st);
		if (!st->form) {
			st->answered = true;
			return send_error(c, 400, _("the form could not be read (its content type has no "
						    "boundary, or an unknown one)"));
		}
	}
	return MHD_YES;
}

/* A piece of the body: kept within the limit, or fed to the form parser. */
static enum MHD_Result piece(http_server *h, request_state *st, const char *data, size_t size)
{
	size_t limit = h->srv->cfg.body_limit;
	st->received += size;
	if (st->received > limit) /* a chunked body past the limit: the connection is closed */
		return MHD_NO;
	if (st->bad_form)
		return MHD_YES;
	if (st->form) {
		if (MHD_post_process(st->form, data, size) != MHD_YES)
			st->bad_form = true;
		return MHD_YES;
	}
	if (srv_buf_write(&st->body, data, size) < 0)
		return MHD_NO;
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	(void)version;
	http_server *h = cls;
	request_state *st = *con_cls;
	if (!st)
		return begin(h, c, url, method, con_cls);
	if (st->answered) { /* refused at the start: drop the rest */
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		enum MHD_Result ok = piece(h, st, upload_data, *upload_size);
		*upload_size = 0;
		return ok;
	}
	st->answered = true;
	if (st->bad_form)
		return send_error(c, 400, _("the form could not be read: it is cut off or malformed"));
	if (!url || url[0] != '/' || strlen(url) > 2048)
		return send_error(c, 400, _("the address is not valid"));

	char remote[64];
	remote_of(c, remote, sizeof remote);
	srv_request rq = {0};
	rq.method = method;
	rq.path = url;
	rq.remote = remote;
	rq.body = st->form ? NULL : (const unsigned char *)st->body.data;
	rq.body_len = st->form ? 0 : st->body.len;
	rq.fields = st->fields;
	rq.field_count = st->field_count;
	rq.conn = c;
	srv_response rs = {0};
	int rc = srv_route(h->srv, &rq, &rs);
	if (rc < 0) {
		free(rs.body);
		memset(&rs, 0, sizeof rs);
		srv_log("%s %s %s: %s", remote, method, url, dl_strerror(rc));
		int rc_status = rc == DL_ENOMEM || rc == DL_EUNAVAILABLE ? 503
				: rc == DL_ECONFLICT			     ? 409
									     : 500;
		const char *words =
		    rc == DL_ENOMEM	   ? _("the server is short of memory; try again")
		    : rc == DL_EUNAVAILABLE ? _("the database cannot be reached just now; try again "
						"in a minute (nothing was lost)")
		    : rc == DL_ECONFLICT    ? _("someone saved a newer version meanwhile: open it "
						"again and make the change there")
					    : _("the server could not answer this request");
		if (srv_respond_error(&rs, rc_status, words) < 0)
			return MHD_NO;
		if (rc_status == 503)
			rs.retry_after = 30;
	}
	int status = rs.status;
	bool cacheable = strncmp(url, "/static/", 8) == 0 && status == 200;
	enum MHD_Result ok = send_response(c, &rs, cacheable);
	if (h->log_requests)
		srv_log("%s %s %s %d %.1f ms", remote, method, url, status, elapsed_ms(&st->start));
	return ok;
}

/* libmicrohttpd's own messages (a client that broke the protocol, a socket error) go to the log. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char buf[512];
	vsnprintf(buf, sizeof buf, fmt, ap);
	size_t n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	srv_log("libmicrohttpd: %s", buf);
}

bool http_is_loopback(const struct sockaddr *addr)
{
	if (addr->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (addr->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	return false;
}

int http_resolve(const char *host, unsigned short port, struct sockaddr_storage *addr)
{
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	char service[8];
	snprintf(service, sizeof service, "%u", port);
	if (getaddrinfo(host, service, &hints, &res) != 0 || !res)
		return DL_EINVALID;
	memset(addr, 0, sizeof *addr);
	memcpy(addr, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

int http_start(http_server *h, srv *s, const struct sockaddr_storage *addr, const char *tls_key,
	       const char *tls_cert, dl_error *err)
{
	h->srv = s;
	/* A thread per connection, not a pool of workers each owning its connections: a handler is
	 * CPU-bound and may take 30 ms (a PDF), and a pooled connection waits behind the other
	 * connections of its worker however idle the rest are (docs/performance.md, section 6). The
	 * threads are bounded by the connection limit, and an idle one ends with the idle timeout. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_AUTO |
			 MHD_USE_ERROR_LOG;
	if (addr->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (tls_key)
		flags |= MHD_USE_TLS;
	/* The options common to both: TLS adds its key and certificate (PEM, in memory). */
	struct MHD_OptionItem tls[] = {
		{tls_key ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, (void *)tls_key},
		{tls_key ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, (void *)tls_cert},
		{MHD_OPTION_END, 0, NULL},
	};
	h->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, h, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)addr,
		MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)s->cfg.connection_limit, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)s->cfg.connection_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_STRICT_FOR_CLIENT, 1,
		MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
	if (!h->daemon) {
		snprintf(err->message, sizeof err->message,
			 _("cannot listen on that address (is the port in use, or the address not one of "
			   "this machine's?)"));
		return DL_EIO;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : 0;
	return 0;
}

void http_stop(http_server *h)
{
	if (h->daemon)
		MHD_stop_daemon(h->daemon);
	h->daemon = NULL;
}
