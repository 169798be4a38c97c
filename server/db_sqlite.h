/*
 * db_sqlite.h: what the SQLite engine (db_sqlite.c) shares with the SQLite half of the store's
 * schema (store_schema_sqlite.c), and nothing else does. Internal to the db layer.
 */
#ifndef DL_SERVER_DB_SQLITE_H
#define DL_SERVER_DB_SQLITE_H

#include "db_engine.h"

/* "DLST": PRAGMA application_id of a digilevel store. The engine turns write-ahead logging on,
 * and lets closing checkpoint, only in a database that is empty or has this id, so that a file
 * that is not a store is left as it is; store_schema_sqlite.c marks and knows a store by it. */
#define DB_SQLITE_APPLICATION_ID 0x444c5354

/** The sentence for a file that is not an SQLite database: DL_EINVALID in err. */
int db_sqlite_not_a_store(dl_error *err);

/** Did c's last failure say the file is not a database (SQLITE_NOTADB)? */
bool db_sqlite_not_a_database(const db_conn *c);

#endif
