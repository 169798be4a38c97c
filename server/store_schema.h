/*
 * store_schema.h: what each engine's schema file gives the store (store_schema_sqlite.c,
 * store_schema_pg.c): its migrations, how it knows a database as a digilevel store, and its
 * integrity check. The store's logic (store.c, store_district.c) is written once over db.h; only
 * the DDL and these few engine questions are written twice.
 *
 * Both engines have the same migrations in number and meaning: step i brings the schema from
 * version i to i + 1, forward only, each step run in its own db_begin transaction with its row in
 * schema_version (version, applied). A released step is never changed; a new one is appended to
 * both files at once.
 */
#ifndef DL_SERVER_STORE_SCHEMA_H
#define DL_SERVER_STORE_SCHEMA_H

#include "db.h"

typedef struct store_schema {
	/** migrations[i]: the SQL texts (NULL-terminated) of step i + 1, run in order by db_exec */
	const char *const *const *migrations;
	int count; /**< the number of steps: the schema version this program writes */
	/**
	 * What the database behind c is, read without writing anything: 0 for an empty database
	 * (it becomes a store), 1 for a digilevel store at *version (schema_version's largest), or a
	 * negative DL_E* code with err saying why it is refused (another program's database, ...).
	 */
	int (*identify)(db_conn *c, int64_t *version, dl_error *err);
	/** In the first migration's transaction: mark an empty database as a digilevel store and
	 * create schema_version. */
	int (*mark)(db_conn *c);
	/** The engine's integrity check: 0 when sound, DL_EINVALID with the first problem. */
	int (*check)(db_conn *c, dl_error *err);
} store_schema;

extern const store_schema store_schema_sqlite;
extern const store_schema store_schema_pg;

#endif
