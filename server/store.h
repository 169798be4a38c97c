/*
 * store.h: the workbench's store of answer sheets (dl_store), a narrow interface so that handlers
 * never write SQL and a PostgreSQL implementation can follow the SQLite one (store_sqlite.c).
 *
 * The answer sheet XML is the source of truth: it is kept byte for byte as received, with its
 * SHA-256. Everything else in a row (credit code, phase, date, name, edition, level, total) is
 * derived from the XML for listing and filtering, and is recomputed when the questionnaire it was
 * scored against changes (dl_store_stale, dl_store_set_score). Nothing is updated in place: saving
 * a sheet again makes a new version; every version stays.
 *
 * Lineage: the versions of one sheet share a lineage, the first version's id. A put with
 * replaces = 0 starts a new lineage; replaces = ID (any version of a lineage) adds the next version
 * to ID's lineage. A row's version is its number in its lineage, 1, 2, ...
 *
 * Every function is safe to call from several threads at once on one dl_store. A put that returned
 * 0 is durable: it survives the process being killed at any moment (SQLite WAL, synchronous=FULL).
 * Functions return 0 or a negative DL_E* code (digilevel/common.h) and then fill err->message with
 * a sentence for the server's log (never shown to a client as it is).
 */
#ifndef DL_SERVER_STORE_H
#define DL_SERVER_STORE_H

#include <digilevel.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dl_store dl_store;

/** The fields of a stored row derived from the XML, for listing and filtering. */
typedef struct dl_store_row {
	int64_t id;       /**< this version's id, unique in the store, never reused */
	int64_t lineage;  /**< the id of the lineage's first version */
	int64_t version;  /**< 1, 2, ... within the lineage */
	char credit_code[32];         /**< 统一社会信用代码, "" if the sheet has none yet (a draft) */
	char name[256];               /**< the enterprise's name, "" if none */
	char phase[32];               /**< dl_phase_name(): "self-check", "diagnosis", "evaluation" */
	char date[16];                /**< the assessment date YYYY-MM-DD, "" if none */
	char questionnaire_id[64];    /**< the edition the sheet names */
	char questionnaire_version[32];
	char questionnaire_sha256[65]; /**< the digest of the questionnaire the score came from */
	bool draft;                   /**< saved as a draft: the score is provisional */
	int level;                    /**< 0-4, or -1 when the sheet could not be scored */
	char total[32];               /**< the total points as dl_points_format writes them, or "" */
	char sha256[65];              /**< of the XML as stored, lower-case hex */
	char received[32];            /**< when it was stored, UTC, "YYYY-MM-DDTHH:MM:SSZ" */
	size_t xml_len;               /**< the XML's length in bytes */
} dl_store_row;

/** What a put stores: the XML and the fields derived from it (the row's id, lineage, version,
 * sha256 (of xml), received and xml_len are set by the store and ignored here). */
typedef struct dl_store_sheet {
	const char *xml;
	size_t xml_len;
	int64_t replaces; /**< 0: a new lineage; otherwise a version whose lineage this continues */
	dl_store_row fields;
} dl_store_sheet;

/** Which rows dl_store_list returns. Zero-initialise, then set what you need. */
typedef struct dl_store_filter {
	const char *credit_code; /**< only this enterprise's rows; NULL: every enterprise */
	const char *phase;       /**< only this phase; NULL: every phase */
	int64_t lineage;         /**< only this lineage (all its versions); 0: every lineage */
	bool history;            /**< every version; false: the newest version of each lineage only */
	bool drafts;             /**< include lineages whose newest version is a draft */
	size_t limit;            /**< at most this many rows; 0: no limit */
} dl_store_filter;

/**
 * Open the store in FILE, creating it and bringing its schema up to date (a schema version table,
 * forward-only migrations) as needed. A file that is not a digilevel store, or one written by a
 * newer digilevel, is refused (DL_EINVALID) and left untouched.
 */
int dl_store_open(dl_store **out, const char *path, dl_error *err);
void dl_store_close(dl_store *st);

/** Store a sheet. On success fills *row (if not NULL) with the stored row. replaces naming no row:
 * DL_ENOTFOUND. */
int dl_store_put(dl_store *st, const dl_store_sheet *put, dl_store_row *row, dl_error *err);

/** One row by id, and its XML if xml is not NULL (malloc'ed, NUL-terminated, *xml_len without the
 * NUL; free with free()). No such id: DL_ENOTFOUND. */
int dl_store_get(dl_store *st, int64_t id, dl_store_row *row, char **xml, size_t *xml_len,
		 dl_error *err);

/** The rows the filter selects, newest first (by id). *rows is malloc'ed (free with free()), *count
 * rows; none: *rows NULL and *count 0. */
int dl_store_list(dl_store *st, const dl_store_filter *f, dl_store_row **rows, size_t *count,
		  dl_error *err);

/** Called for each row by dl_store_each with its XML (borrowed for the call). Return 0 to go on, a
 * negative value to stop (dl_store_each then returns it). */
typedef int (*dl_store_each_fn)(const dl_store_row *row, const char *xml, size_t xml_len,
				void *userdata);

/** Every row (every version, drafts too), oldest first, with its XML: for export and re-scoring. */
int dl_store_each(dl_store *st, dl_store_each_fn fn, void *userdata, dl_error *err);

/** Replace the derived score of row id (level, total, the questionnaire's digest): the only update
 * the store allows, used when a questionnaire changed. The XML is never changed. */
int dl_store_set_score(dl_store *st, int64_t id, int level, const char *total,
		       const char *questionnaire_sha256, dl_error *err);

/** Check the database file (PRAGMA integrity_check); 0 when it is sound, DL_EINVALID otherwise
 * with the first problem in err->message. */
int dl_store_check(dl_store *st, dl_error *err);

/** The schema version the store is at, and a short description of the back end ("sqlite 3.40.1"),
 * for GET /api/health. */
int dl_store_schema_version(dl_store *st);
const char *dl_store_backend(const dl_store *st);

#endif
