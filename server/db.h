/*
 * db.h: the SQL the store speaks, over either engine: SQLite (db_sqlite.c, one file) or PostgreSQL
 * (db_pg.c, libpq, for several workbench processes on one shared database).
 *
 * The store (store_*.c) writes each statement once and runs it through this narrow interface,
 * shaped after SQLite's own (prepare, bind, step, column, finalize), so that the store's logic (the
 * lineages, the frozen evaluations, the audit chain) exists once. What differs between the engines
 * and cannot be written once (the migrations' DDL, knowing a database as a store, the integrity
 * check, the online backup) is chosen by db_engine_of(); nothing else is.
 *
 * Portable SQL, the rules every statement of the store follows (docs/store.md "Two engines"):
 *   - parameters are ?1, ?2, ... (db_pg.c rewrites them to $1, $2, ... outside quoted text);
 *   - "user" is a reserved word in PostgreSQL: the table and columns of that name are always quoted;
 *   - booleans are the integers 0 and 1, tested with = 0 / <> 0 (never a bare `?4 OR ...`);
 *   - times are made in C (db_now) and bound, never computed in SQL;
 *   - no LIMIT -1 (bind a large number), no sqlite_* tables, no strftime/julianday/printf;
 *   - a new row's id comes from db_next_id (or INSERT ... RETURNING id), never last_insert_rowid.
 *
 * Threads and transactions: a db is shared by all threads of a process. Readers take a connection
 * from a bounded pool for one call (db_acquire / db_release). Writers go one at a time: db_begin
 * locks the process's writer connection and opens a transaction in which every other writer of the
 * database, in this process or another, waits (SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN and
 * pg_advisory_xact_lock on the store's key), so a change and its audit entry are appended to one
 * unbroken chain. db_commit returns once the commit is durable (SQLite synchronous=FULL,
 * PostgreSQL synchronous_commit=on).
 *
 * Errors: every function returns 0 (or DB_ROW / DB_DONE from db_step) or a negative DL_E* code;
 * the connection keeps the engine's message for db_fail. A database that cannot be reached (a
 * PostgreSQL server that went away) is DL_EUNAVAILABLE (store.h); the next call tries to connect
 * again, so the store serves again once the server is back.
 */
#ifndef DL_SERVER_DB_H
#define DL_SERVER_DB_H

#include "store.h" /* the store's error codes: DL_EUNAVAILABLE, DL_ECONFLICT */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum db_engine { DB_SQLITE, DB_POSTGRES } db_engine;

/** A database: its connections (a bounded pool of readers, one writer) and what it is. */
typedef struct db db;
/** One connection; used by one thread at a time, between acquire/begin and release/commit. */
typedef struct db_conn db_conn;
/** A prepared statement on one connection, with its bound values and its result cursor. */
typedef struct db_stmt db_stmt;

/** What db_step returns besides errors (negative DL_E* codes). */
enum { DB_ROW = 100, DB_DONE = 101 };

/** Is target a PostgreSQL connection string (postgresql://... or postgres://...)? Anything else
 * is the path of an SQLite file. */
bool db_is_postgres(const char *target);

/**
 * Open the database named by target: a PostgreSQL URI (libpq's; the PG* environment variables fill
 * in what it leaves out: postgresql:///digilevel uses PGHOST, PGUSER, ...) or an SQLite file path
 * (created when missing, mode 0600, WAL). max_readers bounds the reader connections open at once
 * (0: a default); a reader beyond it waits for one to be released. Nothing is read or written but
 * the connection itself: knowing the database as a store is the store's job.
 */
int db_open(db **out, const char *target, size_t max_readers, dl_error *err);
void db_close(db *d);

db_engine db_engine_of(const db *d);
/** A short description of the engine and its version: "sqlite 3.40.1", "postgresql 15.18". */
const char *db_version(const db *d);
/** The target it was opened with, with any password in it replaced by "***" (for logs). */
const char *db_target(const db *d);

/** A reader connection for one call (SQLite: query_only). Give it back with db_release. */
int db_acquire(db *d, db_conn **out, dl_error *err);
void db_release(db *d, db_conn *c);

/** The writer connection in an open transaction that no other writer of the database shares (see
 * above); what: a few words for err ("saving a sheet"). On failure nothing is held. */
int db_begin(db *d, db_conn **out, const char *what, dl_error *err);
/** COMMIT, durable when it returns 0; on failure rolled back. Either way the writer is released. */
int db_commit(db *d, db_conn *c, const char *what, dl_error *err);
/** ROLLBACK and release the writer. */
void db_rollback(db *d, db_conn *c);

/** Run sql (one or more statements, no parameters, no rows wanted): migrations, pragmas. */
int db_exec(db_conn *c, const char *sql);
/** Prepare sql (a constant of the store, never made from input) on c. */
int db_prepare(db_conn *c, const char *sql, db_stmt **out);
/** Bind parameter i (1-based). Text is copied; a blob is borrowed until the statement's next
 * db_step or db_finalize. text NULL binds "". */
int db_bind_int64(db_stmt *s, int i, int64_t value);
int db_bind_text(db_stmt *s, int i, const char *text, size_t len);
int db_bind_cstr(db_stmt *s, int i, const char *text); /**< NUL-terminated; NULL binds "" */
int db_bind_blob(db_stmt *s, int i, const void *data, size_t len);
int db_bind_null(db_stmt *s, int i);
/** The next row: DB_ROW, DB_DONE when there is none, or a negative DL_E* code. The first step runs
 * the statement with the values bound; rows are fetched one at a time (PostgreSQL single-row mode)
 * so a statement over every sheet does not hold them all in memory. */
int db_step(db_stmt *s);
/** Columns of the current row (0-based). Text and blobs are valid until the next step or finalize;
 * text is NUL-terminated; a NULL value reads as 0, NULL (text and blob) and length 0. */
int64_t db_column_int64(db_stmt *s, int col);
const char *db_column_text(db_stmt *s, int col);
const void *db_column_blob(db_stmt *s, int col);
size_t db_column_bytes(db_stmt *s, int col);
bool db_column_is_null(db_stmt *s, int col);
/** The rows the statement's last step changed (UPDATE, INSERT, DELETE). */
int64_t db_changes(db_stmt *s);
/** Clear the bindings and the cursor so that the statement can run again. */
int db_reset(db_stmt *s);
void db_finalize(db_stmt *s);

/** The integer of a one-row, one-column query without parameters: 0, DL_ENOTFOUND (no row), or an
 * error. */
int db_query_int(db_conn *c, const char *sql, int64_t *value);
/** The id the next row of table (one of the store's tables with an id column) will get, inside a
 * db_begin transaction: never reused, even after a rollback or a process's death. */
int db_next_id(db_conn *c, const char *table, int64_t *id);
/** The current UTC time as the store writes every time: "YYYY-MM-DDTHH:MM:SSZ". seconds_ahead: 0
 * for now, or so many seconds later (a session's expiry). */
void db_now(char out[32], int64_t seconds_ahead);

/** An online copy of the whole database into the new file path (SQLite's backup API; written
 * beside path and renamed into place, never over an existing file). A PostgreSQL database is
 * refused (DL_EINVALID): it is backed up with PostgreSQL's own means (pg_dump, base backups). */
int db_backup(db *d, const char *path, dl_error *err);

/** The engine's message about c's last failure ("" if none). */
const char *db_message(const db_conn *c);
/** Fill err (if not NULL) with code and the printf-style message; return code. The one error
 * filler of the db layer, its engines and the engines' schema files. */
int db_failf(dl_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/** Fill err with code and "the store failed while WHAT: MESSAGE" (c's message); return code. */
int db_fail(dl_error *err, const db_conn *c, int code, const char *what);

#endif
