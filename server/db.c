/*
 * db.c: what both engines share (db.h): choosing the engine by the target's form, the bounded pool
 * of reader connections, the process's one writer behind a lock, dropping a connection the engine
 * saw break (so that the next call connects again, and a database that went away and came back
 * serves again without a restart), times, and the error sentences. The engines (db_sqlite.c,
 * db_pg.c) do the SQL; calls on statements are passed to the statement's engine.
 */
#include "db_engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef _
#define _(msgid) dl_translate(msgid)
#endif

/* Reader connections when db_open is given 0: enough for the server's worker threads. */
#define DB_DEFAULT_READERS 16

int db_failf(dl_error *err, int code, const char *fmt, ...)
{
	if (err) {
		memset(err, 0, sizeof(*err));
		err->code = code;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return code;
}

void db_set_message(db_conn *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->message, sizeof(c->message), fmt, ap);
	va_end(ap);
}

const char *db_message(const db_conn *c)
{
	return c ? c->message : "";
}

int db_fail(dl_error *err, const db_conn *c, int code, const char *what)
{
	if (code == DL_EUNAVAILABLE)
		return db_failf(err, code, _("the database cannot be reached while %s: %s"), what,
			    db_message(c));
	return db_failf(err, code, _("the store failed while %s: %s"), what, db_message(c));
}

bool db_is_postgres(const char *target)
{
	return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
}

/* target with the password of a URI's user-info (scheme://user:PASSWORD@host) replaced by ***. */
static void masked(char *out, size_t size, const char *target)
{
	const char *scheme = strstr(target, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
	if (at && colon && colon < at)
		snprintf(out, size, "%.*s***%s", (int)(colon + 1 - target), target, at);
	else
		snprintf(out, size, "%s", target);
}

int db_open(db **out, const char *target, size_t max_readers, dl_error *err)
{
	db *d = calloc(1, sizeof(*d));
	if (!d)
		return db_failf(err, DL_ENOMEM, _("out of memory"));
	d->ops = db_is_postgres(target) ? &db_pg_ops : &db_sqlite_ops;
	d->max_readers = max_readers ? max_readers : DB_DEFAULT_READERS;
	if (!(d->idle = calloc(d->max_readers, sizeof(*d->idle)))) {
		free(d);
		return db_failf(err, DL_ENOMEM, _("out of memory"));
	}
	masked(d->target, sizeof(d->target), target);
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->released, NULL);
	pthread_mutex_init(&d->write_lock, NULL);
	int code = d->ops->open(d, target, err);
	if (code < 0) {
		d->ops = NULL; /* nothing of the engine's to close */
		db_close(d);
		return code;
	}
	*out = d;
	return 0;
}

static void drop(db_conn *c)
{
	if (!c)
		return;
	if (c->handle)
		c->owner->ops->disconnect(c);
	free(c);
}

void db_close(db *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->idle_count; i++)
		drop(d->idle[i]);
	drop(d->writer);
	if (d->ops)
		d->ops->close(d);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->released);
	pthread_mutex_destroy(&d->write_lock);
	free(d->idle);
	free(d);
}

db_engine db_engine_of(const db *d)
{
	return d->ops->engine;
}

const char *db_version(const db *d)
{
	return d->version;
}

const char *db_target(const db *d)
{
	return d->target;
}

/* A new connection of d: a reader or the writer. */
static int connect_new(db *d, bool writer, db_conn **out, dl_error *err)
{
	db_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return db_failf(err, DL_ENOMEM, _("out of memory"));
	c->owner = d;
	c->writer = writer;
	int code = d->ops->connect(d, c, err);
	if (code < 0) {
		free(c);
		return code;
	}
	*out = c;
	return 0;
}

int db_acquire(db *d, db_conn **out, dl_error *err)
{
	db_conn *c = NULL;
	pthread_mutex_lock(&d->lock);
	/* at most max_readers open at once: beyond that, wait for one to come back */
	while (d->idle_count == 0 && d->open_readers >= d->max_readers)
		pthread_cond_wait(&d->released, &d->lock);
	if (d->idle_count > 0)
		c = d->idle[--d->idle_count];
	else
		d->open_readers++; /* a place for the new one, taken before connecting unlocked */
	pthread_mutex_unlock(&d->lock);
	if (c) {
		*out = c;
		return 0;
	}
	int code = connect_new(d, false, &c, err);
	if (code < 0) {
		pthread_mutex_lock(&d->lock);
		d->open_readers--;
		pthread_cond_signal(&d->released);
		pthread_mutex_unlock(&d->lock);
		return code;
	}
	*out = c;
	return 0;
}

void db_release(db *d, db_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&d->lock);
	if (c->broken) {
		d->open_readers--;
	} else {
		d->idle[d->idle_count++] = c;
		c = NULL;
	}
	pthread_cond_signal(&d->released);
	pthread_mutex_unlock(&d->lock);
	drop(c); /* a broken connection: the next acquire connects again */
}

/* After the writer's transaction: keep it, or drop it when it broke (connect again next time). */
static void writer_done(db *d)
{
	if (d->writer && d->writer->broken) {
		drop(d->writer);
		d->writer = NULL;
	}
	pthread_mutex_unlock(&d->write_lock);
}

int db_begin(db *d, db_conn **out, const char *what, dl_error *err)
{
	pthread_mutex_lock(&d->write_lock);
	int code = 0;
	if (!d->writer && (code = connect_new(d, true, &d->writer, err)) < 0) {
		pthread_mutex_unlock(&d->write_lock);
		return code;
	}
	d->writer->message[0] = '\0';
	if ((code = d->ops->begin(d->writer)) < 0) {
		db_fail(err, d->writer, code, what);
		writer_done(d);
		return code;
	}
	*out = d->writer;
	return 0;
}

int db_commit(db *d, db_conn *c, const char *what, dl_error *err)
{
	int code = d->ops->exec(c, "COMMIT");
	if (code < 0) {
		db_fail(err, c, code, what);
		if (!c->broken)
			d->ops->exec(c, "ROLLBACK");
	}
	writer_done(d);
	return code;
}

void db_rollback(db *d, db_conn *c)
{
	if (!c->broken)
		d->ops->exec(c, "ROLLBACK");
	writer_done(d);
}

int db_exec(db_conn *c, const char *sql)
{
	return c->owner->ops->exec(c, sql);
}

int db_prepare(db_conn *c, const char *sql, db_stmt **out)
{
	*out = NULL;
	return c->owner->ops->prepare(c, sql, out);
}

#define OPS(s) ((s)->conn->owner->ops)

int db_bind_int64(db_stmt *s, int i, int64_t value)
{
	return OPS(s)->bind_int64(s, i, value);
}

int db_bind_text(db_stmt *s, int i, const char *text, size_t len)
{
	return OPS(s)->bind_text(s, i, text ? text : "", text ? len : 0);
}

int db_bind_cstr(db_stmt *s, int i, const char *text)
{
	return db_bind_text(s, i, text ? text : "", text ? strlen(text) : 0);
}

int db_bind_blob(db_stmt *s, int i, const void *data, size_t len)
{
	return OPS(s)->bind_blob(s, i, len ? data : "", len);
}

int db_bind_null(db_stmt *s, int i)
{
	return OPS(s)->bind_null(s, i);
}

int db_step(db_stmt *s)
{
	return OPS(s)->step(s);
}

int64_t db_column_int64(db_stmt *s, int col)
{
	return OPS(s)->column_int64(s, col);
}

const char *db_column_text(db_stmt *s, int col)
{
	return OPS(s)->column_text(s, col);
}

const void *db_column_blob(db_stmt *s, int col)
{
	return OPS(s)->column_blob(s, col);
}

size_t db_column_bytes(db_stmt *s, int col)
{
	return OPS(s)->column_bytes(s, col);
}

bool db_column_is_null(db_stmt *s, int col)
{
	return OPS(s)->column_is_null(s, col);
}

int64_t db_changes(db_stmt *s)
{
	return OPS(s)->changes(s);
}

int db_reset(db_stmt *s)
{
	return OPS(s)->reset(s);
}

void db_finalize(db_stmt *s)
{
	if (s)
		OPS(s)->finalize(s);
}

int db_query_int(db_conn *c, const char *sql, int64_t *value)
{
	db_stmt *s = NULL;
	int rc = db_prepare(c, sql, &s);
	if (rc == 0) {
		rc = db_step(s);
		if (rc == DB_ROW) {
			*value = db_column_int64(s, 0);
			rc = 0;
		} else if (rc == DB_DONE) {
			rc = DL_ENOTFOUND;
		}
	}
	db_finalize(s);
	return rc;
}

int db_next_id(db_conn *c, const char *table, int64_t *id)
{
	return c->owner->ops->next_id(c, table, id);
}

void db_now(char out[32], int64_t seconds_ahead)
{
	time_t t = time(NULL) + (time_t)seconds_ahead;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int db_backup(db *d, const char *path, dl_error *err)
{
	return d->ops->backup(d, path, err);
}
