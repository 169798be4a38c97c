/*
 * store_impl.h: what the two halves of the store share (store.c: opening, the migrations and the
 * sheets; store_district.c: accounts, sessions, enterprises, assignments, documents, reviews and
 * the audit chain), written once over the db layer (db.h) for either engine. Internal to the
 * store: handlers include store.h only.
 *
 * Writers: db_begin, change, store_audit_append for the change, then db_commit (or db_rollback);
 * so every change and its audit entry are one transaction, and the chain one line even with
 * several processes on one database (db_begin waits for every other writer).
 */
#ifndef DL_SERVER_STORE_IMPL_H
#define DL_SERVER_STORE_IMPL_H

#include "db.h"
#include "store.h"
#include "store_schema.h"

#ifndef _
#define _(msgid) dl_translate(msgid)
#endif

struct dl_store {
	db *db;
	const store_schema *schema; /* the engine's DDL and questions */
	int schema_version;
};

/** The lower-case hex SHA-256 of data. */
void store_sha256_hex(const void *data, size_t len, char hex[65]);
/** Copy column col as text into dst (size bytes), cut at a UTF-8 character boundary. */
void store_copy_text(char *dst, size_t size, db_stmt *s, int col);
/** The integer of a one-row, one-column query without parameters (db_query_int) on a reader's
 * connection; what (for people: "counting accounts") names it in err when it fails. */
int store_query_int(dl_store *st, const char *sql, int64_t *value, const char *what,
		    dl_error *err);
/** Step a statement that returns no row wanted: 0 when it ran, or a DL_E* code. */
int store_step_done(db_stmt *s);

/**
 * Append an audit entry inside the writer's open transaction on c: e's action, credit_code,
 * sheet_id, sheet_version, sha256 and detail; seq, at, prev and hash from the chain; user, role
 * and remote from by (NULL or NULL fields: ""). docs/store.md gives the bytes hashed.
 */
int store_audit_append(db_conn *c, const dl_store_audit *e, const dl_store_actor *by,
		       dl_error *err);

#endif
