/*
 * db_engine.h: what an engine (db_sqlite.c, db_pg.c) gives db.c, which holds what both share: the
 * bounded pool of reader connections, the one writer per process and its lock, dropping a broken
 * connection so that the next call connects again, the times, the error sentences. Internal to the
 * db layer: the store includes db.h only.
 *
 * An engine's statement struct begins with a struct db_stmt (its connection), so that db.c can
 * find the engine of any statement.
 */
#ifndef DL_SERVER_DB_ENGINE_H
#define DL_SERVER_DB_ENGINE_H

#include "db.h"

#include <pthread.h>

#define DB_MESSAGE_MAX 512

struct db_conn {
	db *owner;
	void *handle;  /**< the engine's connection: sqlite3 *, PGconn * */
	bool writer;   /**< the writer connection (SQLite: the one not query_only) */
	bool broken;   /**< the engine saw the connection fail (DL_EUNAVAILABLE): db.c drops it */
	char message[DB_MESSAGE_MAX]; /**< the engine's words about the last failure */
};

struct db_stmt {
	db_conn *conn;
};

typedef struct db_ops {
	db_engine engine;
	/** Set up d->engine_data and d->version for target; no connection is made yet. */
	int (*open)(db *d, const char *target, dl_error *err);
	void (*close)(db *d);
	/** A new connection in c (c->owner and c->writer are set by db.c; fill c->handle). */
	int (*connect)(db *d, db_conn *c, dl_error *err);
	void (*disconnect)(db_conn *c);
	/** Open c's transaction, waiting for every other writer of the database. */
	int (*begin)(db_conn *c);
	int (*exec)(db_conn *c, const char *sql);
	int (*prepare)(db_conn *c, const char *sql, db_stmt **out);
	int (*bind_int64)(db_stmt *s, int i, int64_t value);
	int (*bind_text)(db_stmt *s, int i, const char *text, size_t len);
	int (*bind_blob)(db_stmt *s, int i, const void *data, size_t len);
	int (*bind_null)(db_stmt *s, int i);
	int (*step)(db_stmt *s);
	int64_t (*column_int64)(db_stmt *s, int col);
	const char *(*column_text)(db_stmt *s, int col);
	const void *(*column_blob)(db_stmt *s, int col);
	size_t (*column_bytes)(db_stmt *s, int col);
	bool (*column_is_null)(db_stmt *s, int col);
	int64_t (*changes)(db_stmt *s);
	int (*reset)(db_stmt *s);
	void (*finalize)(db_stmt *s);
	int (*next_id)(db_conn *c, const char *table, int64_t *id);
	int (*backup)(db *d, const char *path, dl_error *err);
} db_ops;

struct db {
	const db_ops *ops;
	void *engine_data; /**< the engine's own (the file's path, the connection string) */
	char version[48];  /**< db_version */
	char target[512];  /**< db_target: the password, if any, replaced by *** */
	size_t max_readers;
	pthread_mutex_t lock; /**< guards the pool */
	pthread_cond_t released;
	db_conn **idle; /**< idle reader connections, at most max_readers */
	size_t idle_count, open_readers;
	pthread_mutex_t write_lock; /**< held from db_begin to db_commit / db_rollback */
	db_conn *writer;            /**< connected on first use; NULL after it broke */
};

extern const db_ops db_sqlite_ops;
extern const db_ops db_pg_ops;

/** Record the engine's words about a failure in c->message (printf-style). */
void db_set_message(db_conn *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
