/*
 * serve.h: `digilevel serve` as the command line calls it (serve.c): run the workbench until
 * SIGINT or SIGTERM, or export every stored sheet.
 */
#ifndef DL_SERVER_SERVE_H
#define DL_SERVER_SERVE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct serve_options {
	const char *db;             /**< the store's file */
	const char *listen;         /**< "ADDR:PORT" or "[V6ADDR]:PORT" */
	const char *questionnaires; /**< the folder of the questionnaire editions */
	const char *policies;       /**< the folder of the policies and targets (NULL: none) */
	const char *port_file;      /**< write the port listened on into this file (NULL: no) */
	const char *tls_cert, *tls_key; /**< PEM files, both or neither */
	size_t max_body;            /**< bytes; 0: the default */
	unsigned idle_timeout;      /**< seconds an idle connection stays open; 0: the default */
	bool quiet;                 /**< no line per request */
	size_t db_connections;      /**< reader connections to the database at most; 0: the default */
} serve_options;

/** Run the server; messages on standard error. Returns 0 after a clean stop, or a DL_E* code. */
int serve_run(const serve_options *o);

/** Write every sheet of the store in db into dir (docs/store.md). Returns 0 or a DL_E* code. */
int serve_export(const char *db, const char *dir);

/** Copy the store in db into the new file path with SQLite's online backup, while a server may
 * be running on it (docs/store.md "Backup and restore"). Returns 0 or a DL_E* code. */
int serve_backup(const char *db, const char *path);

/** Run the store's integrity check on db (dl_store_check) and say the result on standard error.
 * Returns 0 when it is sound, or a DL_E* code. */
int serve_check(const char *db);

/** Copy the district's store in the SQLite file from into the empty PostgreSQL database db
 * (dl_store_migrate), and say what was copied and that the audit chain holds on standard error
 * (docs/store.md "Moving a district to PostgreSQL"). from is never written. Returns 0 or a DL_E*
 * code. */
int serve_migrate(const char *from, const char *db);

#endif
