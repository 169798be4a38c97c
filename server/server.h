/*
 * server.h: what every part of the workbench (`digilevel serve`) shares: the server's state, a
 * request as a handler sees it, the response a handler fills, and the handlers the router knows.
 *
 * The HTTP layer (http.c, libmicrohttpd) reads a whole request within its limits, parses forms
 * (url-encoded and multipart) into fields, calls srv_route (routes.c), and sends the response. A
 * handler never sees libmicrohttpd, never writes SQL (store.h) and never builds HTML by pasting
 * strings (html.h): it reads the request, calls the library and the store, and fills the response.
 */
#ifndef DL_SERVER_SERVER_H
#define DL_SERVER_SERVER_H

#include "store.h"

#include <digilevel.h>

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A message for translation (docs/messages.md): _() translates it, N_() only marks a table entry. */
#define _(msgid) dl_translate(msgid)
#define N_(msgid) msgid

/** What `digilevel serve` was started with (serve.h fills it from the command line). */
typedef struct srv_config {
	const char *db_path;            /**< --db: the SQLite file */
	const char *listen_host;        /**< --listen's address: "127.0.0.1", "::1", ... */
	unsigned short listen_port;     /**< --listen's port; 0: any free port (tests) */
	const char *questionnaires_dir; /**< --questionnaires: where the editions are */
	const char *policies_dir;       /**< --policies: the policy and targets files */
	const char *port_file;          /**< --port-file: write the port listened on here (tests) */
	size_t body_limit;              /**< the largest request body accepted, bytes */
	unsigned connection_limit;      /**< connections at once (a thread each) */
	unsigned connection_timeout;    /**< seconds a connection may stay idle */
} srv_config;

/** A questionnaire edition the server loaded at start (immutable, shared by every thread). */
typedef struct srv_edition {
	dl_questionnaire *q;
	char *file; /**< its file name, for messages */
} srv_edition;

/** A policy or targets file the server loaded at start, by its id. */
typedef struct srv_policy {
	dl_policy *policy;
	char *file;
} srv_policy;
typedef struct srv_targets {
	dl_targets *targets;
	char *file;
} srv_targets;

struct srv_limiter; /* auth.c: failed logins per account and per address */

/** The server's state: read-only after start but for the store, which is thread-safe, and the
 * login limiter, which has its own lock. */
typedef struct srv {
	srv_config cfg;
	dl_store *store;
	bool district;  /**< accounts existed at start: every request needs a session (auth.h) */
	bool tls;       /**< serving HTTPS: session cookies are Secure */
	struct srv_limiter *limiter;
	struct srv_cohort_cache *cohort_cache; /**< dashboards built (cohort_store.h); NULL: none kept */
	srv_edition *editions;
	size_t edition_count;
	srv_policy *policies;
	size_t policy_count;
	srv_targets *targets;
	size_t targets_count;
} srv;

/** One form field (application/x-www-form-urlencoded or multipart/form-data). A field may repeat
 * (check boxes); a file field has a filename. value is NUL-terminated; len excludes the NUL. */
typedef struct srv_field {
	char *name;
	char *value;
	size_t len;
	char *filename; /**< NULL unless the field is an uploaded file */
} srv_field;

/** Who sends a request in district mode: the session's account (auth.c fills it). */
typedef struct srv_who {
	dl_store_user user; /**< the account: name, role, credit code */
	char csrf[65];      /**< the session's CSRF token, for the forms a page writes */
	char token_sha256[65];
} srv_who;

/** A request as a handler sees it. Everything is borrowed for the handler's call. */
typedef struct srv_request {
	const char *method;       /**< "GET", "POST", ... */
	const char *path;         /**< the path without the query, percent-decoded */
	const char *remote;       /**< the client's address, for the log */
	const unsigned char *body; /**< the raw body (not for form content types); NULL if none */
	size_t body_len;
	const srv_field *fields; /**< the form's fields in order; none: NULL, 0 */
	size_t field_count;
	const char *param[3]; /**< the path's {segments} the route matched, in order */
	const srv_who *who;   /**< district mode: the logged-in account; NULL in personal mode and
			       * for the few routes open without a session (login, health, static) */
	void *conn; /**< the HTTP layer's connection, for srv_query and srv_header only */
} srv_request;

/** A query-string argument (?name=value), or NULL. */
const char *srv_query(const srv_request *rq, const char *name);
/** A request header, or NULL. */
const char *srv_header(const srv_request *rq, const char *name);
/** The first form field called name, or NULL. */
const srv_field *srv_field_get(const srv_request *rq, const char *name);

/** A response a handler fills. The body is malloc'ed and owned by the response. */
typedef struct srv_response {
	int status;               /**< HTTP status */
	const char *content_type; /**< a static string */
	unsigned char *body;
	size_t len;
	char disposition[512]; /**< Content-Disposition, or "" */
	char location[512];    /**< Location (a redirect after a form POST), or "" */
	char set_cookie[256];  /**< Set-Cookie (the session cookie: login, logout), or "" */
	unsigned retry_after;  /**< Retry-After in seconds (a 429), or 0 */
} srv_response;

/** A growable buffer; srv_buf_write is a dl_write_fn, so the library's writers write into it. */
typedef struct srv_buf {
	char *data;
	size_t len, cap;
	bool failed; /**< an allocation failed; every later write fails */
} srv_buf;
int srv_buf_write(void *buf, const char *data, size_t len);
int srv_buf_puts(srv_buf *b, const char *s);
int srv_buf_printf(srv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void srv_buf_free(srv_buf *b);

/** Hand b's bytes to the response (b is left empty). Returns 0, or DL_ENOMEM if b failed. */
int srv_respond_buf(srv_response *rs, int status, const char *content_type, srv_buf *b);
/** Copy bytes into the response. */
int srv_respond_bytes(srv_response *rs, int status, const char *content_type, const void *data,
		      size_t len);
/** {"error": message} with status (the message is escaped for JSON). */
int srv_respond_error(srv_response *rs, int status, const char *message);
/** 303 See Other to location (after a form POST). */
int srv_respond_redirect(srv_response *rs, const char *location);

/** Append s to b as a JSON string, quotes included. */
int srv_json_string(srv_buf *b, const char *s);

/** The edition a sheet names, or NULL. */
const dl_questionnaire *srv_edition_find(const srv *s, const char *id, const char *version);
/** A policy or targets file by its id, or the first one when id is NULL or "". NULL: none. */
const dl_policy *srv_policy_find(const srv *s, const char *id);
const dl_targets *srv_targets_find(const srv *s, const char *id);

/** A handler: fills rs from rq; returns 0 (the response is sent whatever its status), or a negative
 * DL_E* code for a failure the HTTP layer turns into a 500 with a JSON error. */
typedef int (*srv_handler)(srv *s, const srv_request *rq, srv_response *rs);

/** Find and run the handler of rq's method and path (routes.c); 404 or 405 when none. */
int srv_route(srv *s, const srv_request *rq, srv_response *rs);

/** Log one line to standard error: time, remote, what happened. Thread-safe. */
void srv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
