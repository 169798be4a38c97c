/*
 * db_pg.c: the PostgreSQL engine of the db layer (db.h, db_engine.h) over libpq, for several
 * workbench processes on one shared database (docs/store.md "PostgreSQL").
 *
 * Connections: the target is libpq's connection URI (postgresql://... or postgres://...); the PG*
 * environment variables fill in what it leaves out (libpq does that). Each connection waits at
 * most 5 seconds to connect, and is set up for the store: UTF8, time zone UTC, synchronous_commit
 * on (a commit returns once it is durable), TCP keepalives, a 60-second limit on a transaction left
 * idle and a 30-second limit on the writer's statements, so that a server that went away, or a
 * writer that hangs holding the lock, gives an error and not a wait without end.
 *
 * Writers: db_begin is BEGIN then pg_advisory_xact_lock on the store's key ("DLST"), so every writer
 * of the database, in this process or another, waits for the one before it to commit: a change and
 * its audit entry are appended to one unbroken chain whatever the number of servers.
 *
 * Statements: the store's ?N parameters become $N outside quoted text and identifiers; a statement
 * is sent with its values (text, except blobs, sent as binary bytea) on its first db_step, and its
 * rows are read one at a time (single-row mode), so that a statement over every sheet never holds
 * them all. libpq has one statement in flight per connection: when another statement (or db_exec)
 * needs the connection while one is still streaming, the rest of the first one's rows are read into
 * it, so both stay correct. A statement abandoned mid-stream leaves the connection usable: its rows
 * are drained, and a reader's long query is cancelled (never a writer's: that would end its
 * transaction).
 *
 * Errors: a connection that failed (SQLSTATE class 08, the server shutting down or starting up, or
 * libpq's CONNECTION_BAD) is DL_EUNAVAILABLE and marked broken, so db.c drops it and the next call
 * connects again; a statement timeout is DL_EUNAVAILABLE too (the database is too busy to answer);
 * a constraint or data error (classes 23 and 22: the append-only triggers raise 23000) is
 * DL_EINVALID, as SQLite's are; anything else DL_EIO. The message is the server's primary message.
 */
#include "db_engine.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _
#define _(msgid) dl_translate(msgid)
#endif

/* The advisory lock every writer of the store takes: "DLST", the SQLite store's application id. */
#define PG_WRITER_LOCK_KEY 0x444c5354
/* The type of a parameter: bytea for a blob, bigint for an integer, text for text and for NULL
 * (the store binds NULL only where text goes: `?1 IS NULL OR credit_code = ?1`, which an untyped
 * parameter would not pass: PostgreSQL takes its type from its first use). */
#define PG_BYTEA_OID 17
#define PG_INT8_OID 20
#define PG_TEXT_OID 25
/* The rows a reader drains of a statement abandoned mid-stream before it cancels the rest. */
#define PG_DRAIN_BEFORE_CANCEL 64
/* libpq's limit on parameters */
#define PG_MAX_PARAMS 65535

/* The session every connection is set to (docs/store.md "PostgreSQL"). */
static const char SESSION_SQL[] =
    "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; SET synchronous_commit = on;"
    " SET idle_in_transaction_session_timeout = '60s'; SET bytea_output = 'hex'";
/* The writer's statements are short, and waiting for the lock longer than this means the database
 * is too busy to answer now (503). A reader's statement may stream rows to a caller that works on
 * each (rescoring every sheet at start): it has no limit of ours, since the server counts the time
 * it waits for the caller to read; a server that went away is found by TCP keepalives. */
static const char WRITER_SQL[] = "SET statement_timeout = '30s'";

typedef struct pg_engine {
	char *target;       /**< the connection string as given */
	bool server_known;  /**< d->version names the server's version (after a first connection) */
} pg_engine;

typedef struct pg_stmt pg_stmt;

/** c->handle: the libpq connection and the statement whose results are in flight on it. */
typedef struct pg_link {
	PGconn *pg;
	pg_stmt *active;
} pg_link;

typedef struct pg_param {
	const char *value; /**< NULL: SQL NULL (also a parameter never bound: of no type) */
	int length;
	int format; /**< 0 text, 1 binary (a blob) */
	unsigned int type;
	char *owned;      /**< a copy of bound text */
	char number[24];  /**< a bound integer, as text */
} pg_param;

typedef enum { ST_IDLE, ST_RUNNING, ST_DONE } pg_state;

struct pg_stmt {
	struct db_stmt base; /* first: db.c finds the connection (db_engine.h) */
	char *sql;           /**< with $N for ?N */
	int nparams;
	pg_param *params;
	const char **values;
	int *lengths, *formats;
	unsigned int *types;
	pg_state state;
	bool in_transaction; /**< sent inside a transaction: never cancelled when abandoned */
	bool parked;         /**< its remaining results were read into queue (another statement
			      * needed the connection) */
	struct pg_queued {
		PGresult *result;
	} *queue; /**< results read ahead (parked) */
	size_t queue_head, queue_count, queue_size;
	PGresult *row; /**< the current row (single-row mode), or NULL */
	int ncols;
	unsigned char **decoded; /**< bytea columns of the current row, decoded, NUL-terminated */
	size_t *decoded_len;
	int64_t changes;
	int failure; /**< the error the statement ended with, returned again by a later step */
	bool retried; /**< run again on a new connection after its first was lost (retry) */
};

static PGconn *pg_of(const db_conn *c)
{
	return ((const pg_link *)c->handle)->pg;
}

/* --- errors ---------------------------------------------------------------------------------- */

/* libpq's own message on one line (it writes several, indented, ending with a newline). */
static void libpq_message(db_conn *c)
{
	const char *m = c->handle && pg_of(c) ? PQerrorMessage(pg_of(c)) : "";
	size_t o = 0;
	for (; *m && o + 1 < sizeof(c->message); m++) {
		if (*m == '\n' || *m == '\t') {
			if (o > 0 && c->message[o - 1] != ' ')
				c->message[o++] = ' ';
		} else {
			c->message[o++] = *m;
		}
	}
	while (o > 0 && c->message[o - 1] == ' ')
		o--;
	c->message[o] = '\0';
	if (o == 0)
		db_set_message(c, "%s", "the connection failed");
}

/*
 * The DL_E* code of a failure on c, r its result (or NULL: libpq's own failure), with c->message
 * the server's primary message; a connection that failed is marked broken.
 */
static int failure(db_conn *c, const PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (primary)
		db_set_message(c, "%s", primary);
	else
		libpq_message(c);
	/* a failure without a SQLSTATE is libpq's own: the connection was lost (libpq may say
	 * CONNECTION_BAD only at the next call) or can no longer be trusted; either way it is
	 * dropped and the next call connects again */
	if (!state || PQstatus(pg_of(c)) == CONNECTION_BAD || strncmp(state, "08", 2) == 0 ||
	    strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 ||
	    strcmp(state, "57P03") == 0) {
		c->broken = true;
		return DL_EUNAVAILABLE;
	}
	if (strcmp(state, "57014") == 0) /* statement_timeout: too busy to answer now */
		return DL_EUNAVAILABLE;
	if (strncmp(state, "23", 2) == 0 || strncmp(state, "22", 2) == 0)
		return DL_EINVALID;
	return DL_EIO;
}

/* --- the engine and its connections ---------------------------------------------------------- */

static int pg_open(db *d, const char *target, dl_error *err)
{
	char *why = NULL;
	PQconninfoOption *parsed = PQconninfoParse(target, &why);
	if (!parsed) {
		size_t n = why ? strlen(why) : 0;
		while (n > 0 && (why[n - 1] == '\n' || why[n - 1] == ' '))
			why[--n] = '\0'; /* libpq ends its message with a newline */
		if (err) {
			memset(err, 0, sizeof(*err));
			err->code = DL_EINVALID;
			snprintf(err->message, sizeof(err->message),
				 _("this is not a PostgreSQL connection string (%s): %s"), d->target,
				 why ? why : _("out of memory"));
		}
		PQfreemem(why);
		return DL_EINVALID;
	}
	PQconninfoFree(parsed);
	pg_engine *e = calloc(1, sizeof(*e));
	if (e)
		e->target = strdup(target);
	if (!e || !e->target) {
		free(e);
		if (err) {
			memset(err, 0, sizeof(*err));
			err->code = DL_ENOMEM;
			snprintf(err->message, sizeof(err->message), "%s", _("out of memory"));
		}
		return DL_ENOMEM;
	}
	d->engine_data = e;
	/* until a first connection says which server it is: the client library's version */
	int v = PQlibVersion();
	snprintf(d->version, sizeof(d->version), "postgresql (libpq %d.%d)", v / 10000, v % 10000);
	return 0;
}

static void pg_close(db *d)
{
	pg_engine *e = d->engine_data;
	if (e)
		free(e->target);
	free(e);
	d->engine_data = NULL;
}

/* The server's notices (a WARNING before an immediate shutdown, "no transaction in progress")
 * are not failures; the failures that follow them are reported. */
static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Set c's new session up for the store. */
static int set_up(db_conn *c)
{
	PGconn *pg = pg_of(c);
	int code = 0;
	PGresult *r = PQexec(pg, SESSION_SQL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		code = failure(c, r);
	PQclear(r);
	if (code == 0 && c->writer) {
		r = PQexec(pg, WRITER_SQL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			code = failure(c, r);
		PQclear(r);
	}
	return code;
}

static int pg_connect(db *d, db_conn *c, dl_error *err)
{
	pg_engine *e = d->engine_data;
	pg_link *l = calloc(1, sizeof(*l));
	if (!l) {
		if (err) {
			memset(err, 0, sizeof(*err));
			err->code = DL_ENOMEM;
			snprintf(err->message, sizeof(err->message), "%s", _("out of memory"));
		}
		return DL_ENOMEM;
	}
	/* ours first, so that the connection string may say otherwise (libpq: the last one wins) */
	static const char *const keys[] = {"connect_timeout",     "keepalives",
					   "keepalives_idle",     "keepalives_interval",
					   "keepalives_count",    "tcp_user_timeout",
					   "fallback_application_name", "dbname", NULL};
	const char *values[] = {"5", "1", "30", "10", "3", "30000", "digilevel", e->target, NULL};
	l->pg = PQconnectdbParams(keys, values, 1);
	c->handle = l;
	int code = 0;
	if (!l->pg) {
		code = DL_ENOMEM;
		db_set_message(c, "%s", _("out of memory"));
	} else if (PQstatus(l->pg) != CONNECTION_OK) {
		code = DL_EUNAVAILABLE;
		libpq_message(c);
	} else {
		PQsetNoticeProcessor(l->pg, ignore_notice, NULL);
		code = set_up(c);
	}
	if (code < 0) {
		if (err) {
			memset(err, 0, sizeof(*err));
			err->code = code;
			snprintf(err->message, sizeof(err->message),
				 _("the database cannot be reached: %s"), c->message);
		}
		PQfinish(l->pg);
		free(l);
		c->handle = NULL;
		return code;
	}
	pthread_mutex_lock(&d->lock);
	if (!e->server_known) {
		/* "15.18 (Debian 15.18-0+deb12u1)": the version is the first word */
		const char *v = PQparameterStatus(l->pg, "server_version");
		if (v) {
			snprintf(d->version, sizeof(d->version), "postgresql %.*s",
				 (int)strcspn(v, " "), v);
			e->server_known = true;
		}
	}
	pthread_mutex_unlock(&d->lock);
	return 0;
}

static void park(pg_stmt *s);

static void pg_disconnect(db_conn *c)
{
	pg_link *l = c->handle;
	if (!l)
		return;
	if (l->active) { /* its results go with the connection */
		l->active->state = ST_DONE;
		l->active->failure = DL_EUNAVAILABLE;
	}
	PQfinish(l->pg);
	free(l);
	c->handle = NULL;
}

/* Free the connection for a new command: a statement still streaming keeps its rows for itself. */
static void make_way(pg_link *l)
{
	if (l->active)
		park(l->active);
}

static int pg_exec(db_conn *c, const char *sql)
{
	pg_link *l = c->handle;
	make_way(l);
	bool commit = strcmp(sql, "COMMIT") == 0;
	PGresult *r = PQexec(l->pg, sql);
	ExecStatusType status = PQresultStatus(r);
	int code = 0;
	if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
		code = failure(c, r);
	} else if (commit && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
		/* COMMIT of a transaction an earlier failure ended rolls it back */
		db_set_message(c, "%s",
			       _("the transaction was rolled back after an earlier failure in it"));
		code = DL_EIO;
	}
	PQclear(r);
	return code;
}

/*
 * Connect c again after it was lost (a server that restarted): 0, or DL_EUNAVAILABLE while the
 * server is still away. Only where nothing can have been done on the lost connection that the
 * caller still counts on: a writer's BEGIN, a reader's statement that returned nothing yet.
 */
static int reconnect(db_conn *c)
{
	pg_link *l = c->handle;
	if (l->active) { /* its results went with the connection */
		l->active->state = ST_DONE;
		l->active->failure = DL_EUNAVAILABLE;
		l->active = NULL;
	}
	PQreset(l->pg);
	if (PQstatus(l->pg) != CONNECTION_OK) {
		libpq_message(c);
		c->broken = true;
		return DL_EUNAVAILABLE;
	}
	int code = set_up(c);
	if (code == 0)
		c->broken = false;
	return code;
}

static int pg_begin(db_conn *c)
{
	PGTransactionStatusType status = PQtransactionStatus(pg_of(c));
	if (status == PQTRANS_INTRANS || status == PQTRANS_INERROR) {
		int code = pg_exec(c, "ROLLBACK"); /* left open by a failure: start afresh */
		if (code < 0)
			return code;
	}
	int code = pg_exec(c, "BEGIN");
	if (code == DL_EUNAVAILABLE && c->broken && reconnect(c) == 0)
		code = pg_exec(c, "BEGIN"); /* the writer's connection was lost while it waited */
	if (code == 0) {
		char sql[64];
		snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(%d)", PG_WRITER_LOCK_KEY);
		if ((code = pg_exec(c, sql)) < 0 && !c->broken)
			pg_exec(c, "ROLLBACK");
	}
	return code;
}

/* --- statements ------------------------------------------------------------------------------ */

/*
 * sql with each ?N (or a bare ?, the next number) outside '...', "...", E'...' and comments
 * written $N; *count is the largest N. NULL when out of memory or N is out of range.
 */
static char *rewrite(const char *sql, int *count)
{
	size_t n = strlen(sql);
	char *out = malloc(n + 1); /* "?N" and "$N" have the same length; a bare ? grows */
	size_t size = n + 1, o = 0;
	int max = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		char ch = sql[i];
		size_t end = i + 1;
		if (ch == '\'' || ch == '"') {
			/* a quoted text or identifier: up to its closing quote (doubled quotes stay in) */
			bool backslash = ch == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e');
			while (end < n) {
				if (backslash && sql[end] == '\\' && end + 1 < n) {
					end += 2;
				} else if (sql[end] == ch) {
					end++;
					if (end < n && sql[end] == ch)
						end++;
					else
						break;
				} else {
					end++;
				}
			}
		} else if (ch == '-' && i + 1 < n && sql[i + 1] == '-') {
			while (end < n && sql[end] != '\n')
				end++;
		} else if (ch == '/' && i + 1 < n && sql[i + 1] == '*') {
			const char *close = strstr(sql + i + 2, "*/");
			end = close ? (size_t)(close - sql) + 2 : n;
		} else if (ch == '?') {
			long number = 0;
			while (end < n && sql[end] >= '0' && sql[end] <= '9' && number <= PG_MAX_PARAMS)
				number = number * 10 + (sql[end++] - '0');
			if (end == i + 1)
				number = max + 1; /* a bare ?: the next number, as in SQLite */
			if (number < 1 || number > PG_MAX_PARAMS) {
				free(out);
				return NULL;
			}
			if (number > max)
				max = (int)number;
			char text[16];
			int len = snprintf(text, sizeof(text), "$%ld", number);
			if (o + (size_t)len + (n - end) + 1 > size) {
				size = o + (size_t)len + (n - end) + 16;
				char *grown = realloc(out, size);
				if (!grown) {
					free(out);
					return NULL;
				}
				out = grown;
			}
			memcpy(out + o, text, (size_t)len);
			o += (size_t)len;
			i = end;
			continue;
		}
		if (end > n)
			end = n;
		memcpy(out + o, sql + i, end - i);
		o += end - i;
		i = end;
	}
	out[o] = '\0';
	*count = max;
	return out;
}

static int pg_prepare(db_conn *c, const char *sql, db_stmt **out)
{
	pg_stmt *s = calloc(1, sizeof(*s));
	if (!s) {
		db_set_message(c, "%s", _("out of memory"));
		return DL_ENOMEM;
	}
	s->base.conn = c;
	s->sql = rewrite(sql, &s->nparams);
	size_t n = s->sql && s->nparams > 0 ? (size_t)s->nparams : 1;
	s->params = calloc(n, sizeof(*s->params));
	s->values = calloc(n, sizeof(*s->values));
	s->lengths = calloc(n, sizeof(*s->lengths));
	s->formats = calloc(n, sizeof(*s->formats));
	s->types = calloc(n, sizeof(*s->types));
	if (!s->sql || !s->params || !s->values || !s->lengths || !s->formats || !s->types) {
		db_set_message(c, "%s", s->sql ? _("out of memory")
					       : _("a statement has a parameter number out of range"));
		int code = s->sql ? DL_ENOMEM : DL_EINVALID;
		free(s->sql);
		free(s->params);
		free(s->values);
		free(s->lengths);
		free(s->formats);
		free(s->types);
		free(s);
		return code;
	}
	*out = &s->base;
	return 0;
}

/* Parameter i of s (1-based), emptied of what it held, or NULL when there is none. */
static pg_param *param(pg_stmt *s, int i)
{
	if (i < 1 || i > s->nparams) {
		db_set_message(s->base.conn, "parameter %d is not in the statement (it has %d)", i,
			       s->nparams);
		return NULL;
	}
	pg_param *p = &s->params[i - 1];
	free(p->owned);
	memset(p, 0, sizeof(*p));
	return p;
}

static int pg_bind_int64(db_stmt *base, int i, int64_t value)
{
	pg_param *p = param((pg_stmt *)base, i);
	if (!p)
		return DL_EINVALID;
	p->length = snprintf(p->number, sizeof(p->number), "%lld", (long long)value);
	p->value = p->number;
	p->type = PG_INT8_OID;
	return 0;
}

static int pg_bind_text(db_stmt *base, int i, const char *text, size_t len)
{
	pg_param *p = param((pg_stmt *)base, i);
	if (!p)
		return DL_EINVALID;
	if (memchr(text, '\0', len)) {
		db_set_message(base->conn, "parameter %d is text with a NUL byte in it", i);
		return DL_EINVALID;
	}
	if (len > (size_t)INT32_MAX || !(p->owned = malloc(len + 1))) {
		db_set_message(base->conn, "%s", _("out of memory"));
		return DL_ENOMEM;
	}
	memcpy(p->owned, text, len);
	p->owned[len] = '\0';
	p->value = p->owned;
	p->length = (int)len;
	p->type = PG_TEXT_OID;
	return 0;
}

static int pg_bind_blob(db_stmt *base, int i, const void *data, size_t len)
{
	pg_param *p = param((pg_stmt *)base, i);
	if (!p)
		return DL_EINVALID;
	if (len > (size_t)INT32_MAX) {
		db_set_message(base->conn, "parameter %d is too large", i);
		return DL_EINVALID;
	}
	p->value = data; /* borrowed until the next step (db.h) */
	p->length = (int)len;
	p->format = 1;
	p->type = PG_BYTEA_OID;
	return 0;
}

static int pg_bind_null(db_stmt *base, int i)
{
	pg_param *p = param((pg_stmt *)base, i);
	if (!p)
		return DL_EINVALID;
	p->type = PG_TEXT_OID;
	return 0;
}

/* Forget the current row and its decoded columns. */
static void clear_row(pg_stmt *s)
{
	for (int i = 0; i < s->ncols && s->decoded; i++)
		free(s->decoded[i]);
	free(s->decoded);
	free(s->decoded_len);
	s->decoded = NULL;
	s->decoded_len = NULL;
	s->ncols = 0;
	PQclear(s->row);
	s->row = NULL;
}

static void clear_queue(pg_stmt *s)
{
	for (size_t i = s->queue_head; i < s->queue_count; i++)
		PQclear(s->queue[i].result);
	free(s->queue);
	s->queue = NULL;
	s->queue_head = s->queue_count = s->queue_size = 0;
	s->parked = false;
}

/* Read every remaining result of s, the connection's active statement, into s->queue. When they
 * cannot all be kept (out of memory), none is: s fails with DL_ENOMEM at its next step. */
static void park(pg_stmt *s)
{
	pg_link *l = s->base.conn->handle;
	PGresult *r;
	bool lost = false;
	while ((r = PQgetResult(l->pg))) {
		if (!lost && s->queue_count == s->queue_size) {
			size_t size = s->queue_size ? 2 * s->queue_size : 16;
			struct pg_queued *grown = realloc(s->queue, size * sizeof(s->queue[0]));
			if (grown) {
				s->queue = grown;
				s->queue_size = size;
			} else {
				lost = true;
			}
		}
		if (lost)
			PQclear(r);
		else
			s->queue[s->queue_count++].result = r;
	}
	s->parked = true;
	l->active = NULL;
	if (lost) {
		clear_queue(s);
		s->parked = true;
		s->state = ST_DONE;
		s->failure = DL_ENOMEM;
		db_set_message(s->base.conn, "%s", _("out of memory"));
	}
}

/* Give up s's results: drain them; a reader's long statement is cancelled after a few rows. */
static void abandon(pg_stmt *s)
{
	pg_link *l = s->base.conn->handle;
	if (s->state != ST_RUNNING || s->parked || !l || l->active != s)
		return;
	PGresult *r;
	int drained = 0;
	while ((r = PQgetResult(l->pg))) {
		PQclear(r);
		if (++drained == PG_DRAIN_BEFORE_CANCEL && !s->in_transaction) {
			PGcancel *cancel = PQgetCancel(l->pg);
			char why[256];
			if (cancel)
				PQcancel(cancel, why, sizeof(why));
			PQfreeCancel(cancel);
		}
	}
	l->active = NULL;
}

static int send_statement(pg_stmt *s)
{
	db_conn *c = s->base.conn;
	pg_link *l = c->handle;
	make_way(l);
	for (int i = 0; i < s->nparams; i++) {
		s->values[i] = s->params[i].value;
		s->lengths[i] = s->params[i].length;
		s->formats[i] = s->params[i].format;
		/* a parameter never bound is NULL, as in SQLite, and typed text as db_bind_null's */
		s->types[i] = s->params[i].type ? s->params[i].type : PG_TEXT_OID;
	}
	PGTransactionStatusType status = PQtransactionStatus(l->pg);
	s->in_transaction = status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
	if (!PQsendQueryParams(l->pg, s->sql, s->nparams, s->types, s->values, s->lengths,
			       s->formats, 0))
		return failure(c, NULL);
	l->active = s;
	s->state = ST_RUNNING;
	if (!PQsetSingleRowMode(l->pg)) { /* libpq allows it right after sending: never seen */
		abandon(s);
		s->state = ST_DONE;
		db_set_message(c, "%s", "libpq refused single-row mode");
		return DL_EIO;
	}
	return 0;
}

/* The statement's next result, NULL when there is none. */
static PGresult *next_result(pg_stmt *s)
{
	if (s->parked)
		return s->queue_head < s->queue_count ? s->queue[s->queue_head++].result : NULL;
	return PQgetResult(pg_of(s->base.conn));
}

/* The statement has ended: its remaining results (none, normally) are read and dropped. */
static void finish(pg_stmt *s)
{
	PGresult *r;
	while ((r = next_result(s)))
		PQclear(r);
	pg_link *l = s->base.conn->handle;
	if (l && l->active == s)
		l->active = NULL;
	s->state = ST_DONE;
}

/*
 * After s's first step found its connection lost: whether it runs again on a new connection. Only
 * a reader's statement outside a transaction, and once: it changes nothing, so running it again is
 * what the caller asked for, and a server that restarted costs no failed request. A writer's
 * statement never (its transaction and lock went with the connection).
 */
static bool retry(pg_stmt *s)
{
	db_conn *c = s->base.conn;
	if (s->retried || c->writer || s->in_transaction || !c->broken || s->parked)
		return false;
	s->retried = true;
	if (reconnect(c) < 0)
		return false;
	s->state = ST_IDLE;
	s->failure = 0;
	return true;
}

static int pg_step(db_stmt *base)
{
	pg_stmt *s = (pg_stmt *)base;
	db_conn *c = base->conn;
	clear_row(s);
	if (s->state == ST_DONE)
		return s->failure ? s->failure : DB_DONE;
	if (!c->handle)
		return DL_EUNAVAILABLE;
	bool first = s->state == ST_IDLE;
	if (first) {
		int code = send_statement(s);
		if (code < 0 && retry(s))
			return pg_step(base);
		if (code < 0)
			return s->failure = code;
	}
	PGresult *r = next_result(s);
	switch (PQresultStatus(r)) {
	case PGRES_SINGLE_TUPLE:
		s->row = r;
		s->ncols = PQnfields(r);
		s->decoded = calloc((size_t)s->ncols + 1, sizeof(*s->decoded));
		s->decoded_len = calloc((size_t)s->ncols + 1, sizeof(*s->decoded_len));
		if (!s->decoded || !s->decoded_len) {
			clear_row(s);
			abandon(s);
			finish(s);
			db_set_message(c, "%s", _("out of memory"));
			return s->failure = DL_ENOMEM;
		}
		return DB_ROW;
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		s->changes = strtoll(PQcmdTuples(r), NULL, 10);
		PQclear(r);
		finish(s);
		return DB_DONE;
	default:
		finish(s); /* first: libpq knows the connection is lost once it read to the end */
		s->failure = failure(c, r);
		PQclear(r);
		if (first && retry(s))
			return pg_step(base);
		return s->failure;
	}
}

static bool has_column(pg_stmt *s, int col)
{
	return s->row && col >= 0 && col < s->ncols && !PQgetisnull(s->row, 0, col);
}

/* A bytea column of the current row as bytes (hex decoded), kept until the next step. */
static const unsigned char *bytea(pg_stmt *s, int col, size_t *len)
{
	if (s->decoded[col]) {
		*len = s->decoded_len[col];
		return s->decoded[col];
	}
	const char *text = PQgetvalue(s->row, 0, col);
	size_t n = (size_t)PQgetlength(s->row, 0, col);
	unsigned char *out = NULL;
	size_t o = 0;
	if (n >= 2 && text[0] == '\\' && text[1] == 'x') {
		out = malloc((n - 2) / 2 + 1);
		for (size_t i = 2; out && i + 1 < n; i += 2) {
			unsigned hi = (unsigned)text[i], lo = (unsigned)text[i + 1];
			hi = hi <= '9' ? hi - '0' : (hi | 0x20) - 'a' + 10;
			lo = lo <= '9' ? lo - '0' : (lo | 0x20) - 'a' + 10;
			out[o++] = (unsigned char)(hi << 4 | lo);
		}
	} else { /* the older escape format */
		unsigned char *raw = PQunescapeBytea((const unsigned char *)text, &o);
		if (raw && (out = malloc(o + 1)))
			memcpy(out, raw, o);
		PQfreemem(raw);
	}
	if (!out) {
		*len = 0;
		return NULL;
	}
	out[o] = '\0';
	s->decoded[col] = out;
	s->decoded_len[col] = o;
	*len = o;
	return out;
}

static bool is_bytea(pg_stmt *s, int col)
{
	return PQftype(s->row, col) == PG_BYTEA_OID;
}

static int64_t pg_column_int64(db_stmt *base, int col)
{
	pg_stmt *s = (pg_stmt *)base;
	if (!has_column(s, col) || is_bytea(s, col))
		return 0;
	const char *v = PQgetvalue(s->row, 0, col);
	if (v[0] == 't' || v[0] == 'f') /* a boolean */
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const char *pg_column_text(db_stmt *base, int col)
{
	pg_stmt *s = (pg_stmt *)base;
	if (!has_column(s, col))
		return NULL;
	size_t len;
	return is_bytea(s, col) ? (const char *)bytea(s, col, &len) : PQgetvalue(s->row, 0, col);
}

static const void *pg_column_blob(db_stmt *base, int col)
{
	pg_stmt *s = (pg_stmt *)base;
	if (!has_column(s, col))
		return NULL;
	size_t len;
	return is_bytea(s, col) ? (const void *)bytea(s, col, &len) : PQgetvalue(s->row, 0, col);
}

static size_t pg_column_bytes(db_stmt *base, int col)
{
	pg_stmt *s = (pg_stmt *)base;
	if (!has_column(s, col))
		return 0;
	size_t len = 0;
	if (is_bytea(s, col))
		bytea(s, col, &len);
	else
		len = (size_t)PQgetlength(s->row, 0, col);
	return len;
}

static bool pg_column_is_null(db_stmt *base, int col)
{
	pg_stmt *s = (pg_stmt *)base;
	return !has_column(s, col);
}

static int64_t pg_changes(db_stmt *base)
{
	return ((pg_stmt *)base)->changes;
}

static int pg_reset(db_stmt *base)
{
	pg_stmt *s = (pg_stmt *)base;
	clear_row(s);
	abandon(s);
	clear_queue(s);
	for (int i = 0; i < s->nparams; i++) {
		free(s->params[i].owned);
		memset(&s->params[i], 0, sizeof(s->params[i]));
	}
	s->state = ST_IDLE;
	s->changes = 0;
	s->failure = 0;
	s->retried = false;
	return 0;
}

static void pg_finalize(db_stmt *base)
{
	pg_stmt *s = (pg_stmt *)base;
	pg_reset(base);
	free(s->sql);
	free(s->params);
	free(s->values);
	free(s->lengths);
	free(s->formats);
	free(s->types);
	free(s);
}

/* The next value of table's id sequence (identity columns have one, named by the server). */
static int pg_next_id(db_conn *c, const char *table, int64_t *id)
{
	if (!table[0] || strspn(table, "abcdefghijklmnopqrstuvwxyz_") != strlen(table) ||
	    strlen(table) > 60) {
		db_set_message(c, "\"%s\" is not a table of the store", table);
		return DL_EINVALID;
	}
	char quoted[64];
	snprintf(quoted, sizeof(quoted), "\"%s\"", table); /* "user" is a reserved word */
	db_stmt *s = NULL;
	int code = pg_prepare(c, "SELECT nextval(pg_get_serial_sequence(?1, 'id'))", &s);
	if (code == 0)
		code = pg_bind_text(s, 1, quoted, strlen(quoted));
	if (code == 0)
		code = pg_step(s);
	if (code == DB_ROW && !pg_column_is_null(s, 0)) {
		*id = pg_column_int64(s, 0);
		code = 0;
	} else if (code == DB_ROW || code == DB_DONE) {
		db_set_message(c, "table %s has no id sequence", table);
		code = DL_EINVALID;
	}
	if (s)
		pg_finalize(s);
	return code;
}

static int pg_backup(db *d, const char *path, dl_error *err)
{
	(void)d;
	(void)path;
	if (err) {
		memset(err, 0, sizeof(*err));
		err->code = DL_EINVALID;
		snprintf(err->message, sizeof(err->message), "%s",
			 _("a store in PostgreSQL is backed up with PostgreSQL's own tools (pg_dump, "
			   "or base backups with archived WAL), not with this command: see "
			   "docs/store.md"));
	}
	return DL_EINVALID;
}

const db_ops db_pg_ops = {
    .engine = DB_POSTGRES,
    .open = pg_open,
    .close = pg_close,
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .begin = pg_begin,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_int64 = pg_bind_int64,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .column_int64 = pg_column_int64,
    .column_text = pg_column_text,
    .column_blob = pg_column_blob,
    .column_bytes = pg_column_bytes,
    .column_is_null = pg_column_is_null,
    .changes = pg_changes,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .next_id = pg_next_id,
    .backup = pg_backup,
};
