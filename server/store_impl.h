/*
 * store_sqlite.h: what the two halves of the SQLite store share (store_sqlite.c: opening, the
 * migrations and the sheets; store_district.c: accounts, sessions, enterprises, assignments,
 * documents, reviews and the audit chain). Internal to the store: handlers include store.h only.
 *
 * Writers: take st->write_lock, store_begin, change, store_audit_append for the change, then
 * store_commit (or store_rollback); so every change and its audit entry are one transaction.
 */
#ifndef DL_SERVER_STORE_SQLITE_H
#define DL_SERVER_STORE_SQLITE_H

#include "store.h"

#include <pthread.h>
#include <sqlite3.h>

#ifndef _
#define _(msgid) dl_translate(msgid)
#endif

/* Reader connections kept open between calls; more are opened while more threads read at once. */
#define STORE_IDLE_READERS 8

/* The current UTC time in SQL, as the store writes every time: "YYYY-MM-DDTHH:MM:SSZ". */
#define STORE_NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

struct dl_store {
	char *path;
	sqlite3 *writer; /* used under write_lock only */
	pthread_mutex_t write_lock;
	pthread_mutex_t pool_lock; /* guards idle[] and idle_count */
	sqlite3 *idle[STORE_IDLE_READERS];
	size_t idle_count;
	int schema_version;
	char backend[48];
};

/** Fill err (if not NULL) with code and the printf-style message; return code. */
int store_fail(dl_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/** The DL_E* code of an SQLite result code. */
int store_code_of(int rc);
/** Fail with what SQLite says about db's last error, after what ("saving a sheet"). */
int store_fail_db(dl_error *err, sqlite3 *db, int rc, const char *what);

/** sqlite3_exec without callbacks; an SQLite code. */
int store_exec(sqlite3 *db, const char *sql);
/** Prepare sql (a constant of the store's files, never made from input) on db. */
int store_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt);
/** The integer of a one-row, one-column query; SQLITE_NOTFOUND when there is no row. */
int store_query_int(sqlite3 *db, const char *sql, int64_t *value);

/** A reader connection for this call (query_only); give it back with store_release. */
int store_acquire(dl_store *st, sqlite3 **out, dl_error *err);
void store_release(dl_store *st, sqlite3 *db);

/** Lock the writer and BEGIN IMMEDIATE; on failure the lock is released again. what: for err. */
int store_begin(dl_store *st, const char *what, dl_error *err);
/** COMMIT (durable when it returns: synchronous = FULL) and unlock; on failure roll back. */
int store_commit(dl_store *st, const char *what, dl_error *err);
/** ROLLBACK and unlock. */
void store_rollback(dl_store *st);

/** The lower-case hex SHA-256 of data. */
void store_sha256_hex(const void *data, size_t len, char hex[65]);
/** Copy column col as text into dst (size bytes), cut at a UTF-8 character boundary. */
void store_copy_text(char *dst, size_t size, sqlite3_stmt *stmt, int col);
/** Bind text (NULL: "") to parameter i. */
int store_bind_text(sqlite3_stmt *stmt, int i, const char *text);

/**
 * Append an audit entry inside the writer's open transaction on db: e's action, credit_code,
 * sheet_id, sheet_version, sha256 and detail; seq, at, prev and hash from the chain; user, role
 * and remote from by (NULL or NULL fields: ""). docs/store.md gives the bytes hashed.
 */
int store_audit_append(dl_store *st, sqlite3 *db, const dl_store_audit *e,
		       const dl_store_actor *by, dl_error *err);

#endif
