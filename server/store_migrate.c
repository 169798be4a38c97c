/*
 * store_migrate.c: moving a district's workbench from its SQLite file into PostgreSQL
 * (dl_store_migrate, store.h; docs/store.md "Moving a district to PostgreSQL").
 *
 * The source file is only read: it is opened through the db layer without its writer (no
 * migration, no write-ahead-log switch, no transaction that could write), and it must already be
 * a store at this program's schema version; an older one is refused with the sentence to start the
 * workbench on it once, which brings it up to date. Its audit chain must hold before anything is
 * copied. All of it is read in one read transaction: one snapshot.
 *
 * The target is opened as a store (an empty database becomes one: the same migrations), and then,
 * in ONE writer transaction (db_begin), it is checked to hold no row in any table, every table is
 * copied row by row in the order of TABLES below (a row's foreign keys name rows copied before
 * it), every copied row is read back and compared with the source's, column by column and byte for
 * byte, with every sheet's and document's bytes against the SHA-256 its row records, and the id
 * sequences are set past the copied ids, so that db_next_id never hands out a copied id. A failure
 * anywhere rolls the transaction back: the target is left as it was. The append-only triggers stay
 * on (they refuse UPDATE and DELETE, not INSERT); schema_version and the engine's marker are each
 * store's own and not copied. After the commit the audit chain is verified on the target
 * (dl_store_audit_verify) and must hold with the source's number of entries and last hash.
 *
 * TABLES is the one list of what a store holds, with every column and its kind. The catalogs of
 * both databases are compared with it before anything is copied: a table or column it does not
 * know (a later schema step that forgot to add it here) stops the migration, so nothing can be
 * silently left behind. The catalog queries are each engine's own (the source is SQLite, the target
 * PostgreSQL, by definition of the command); the copy itself is portable SQL over db.h.
 */
#include "store_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* How a column's values are read and bound. */
typedef enum column_kind { INT, TEXT, BLOB } column_kind;

typedef struct column {
	const char *name;
	column_kind kind;
} column;

#define MAX_COLUMNS 20
/* Rows of the target read back by one statement: each stays well within the writer's statement
 * timeout (docs/store.md "PostgreSQL"), however large the district. */
#define COMPARE_BATCH 1000

/* One table of the store. */
typedef struct table {
	const char *name;  /* as the catalogs name it; quoted in SQL ("user" is reserved) */
	bool has_id;	   /* an id column with a sequence behind it in PostgreSQL (db_next_id) */
	int digest, bytes; /* a row's sha256 column and the column it is the digest of; -1: none */
	column columns[MAX_COLUMNS]; /* every column, ended by {NULL}; the first is the key, unique,
				      * in whose order rows are copied and compared */
} table;

/*
 * Every table of a store at schema version 2 (store_schema_sqlite.c, store_schema_pg.c), in the
 * order they are copied: a sheet's lineage and a document's are earlier rows of their own table
 * (copied in id order), a session names an account. A schema step that adds a table or a column
 * adds it here in the same commit (the catalog check refuses a store holding one this list lacks).
 */
static const table TABLES[] = {
    {"sheet",
     true,
     13,
     15,
     {{"id", INT},
      {"lineage", INT},
      {"version", INT},
      {"credit_code", TEXT},
      {"name", TEXT},
      {"phase", TEXT},
      {"date", TEXT},
      {"questionnaire_id", TEXT},
      {"questionnaire_version", TEXT},
      {"questionnaire_sha256", TEXT},
      {"draft", INT},
      {"level", INT},
      {"total", TEXT},
      {"sha256", TEXT},
      {"received", TEXT},
      {"xml", BLOB},
      {"author", TEXT},
      {"reason", TEXT},
      {NULL, INT}}},
    {"user",
     true,
     -1,
     -1,
     {{"id", INT},
      {"name", TEXT},
      {"role", TEXT},
      {"credit_code", TEXT},
      {"password_hash", TEXT},
      {"disabled", INT},
      {"created", TEXT},
      {NULL, INT}}},
    {"session",
     false,
     -1,
     -1,
     {{"token_sha256", TEXT},
      {"user_id", INT},
      {"csrf", TEXT},
      {"created", TEXT},
      {"expires", TEXT},
      {"ended", TEXT}, /* NULL while the session lasts: copied as NULL */
      {NULL, INT}}},
    {"enterprise", false, -1, -1, {{"credit_code", TEXT}, {"name", TEXT}, {NULL, INT}}},
    {"assignment",
     true,
     -1,
     -1,
     {{"id", INT},
      {"credit_code", TEXT},
      {"role", TEXT},
      {"user", TEXT},
      {"by_user", TEXT},
      {"at", TEXT},
      {NULL, INT}}},
    {"document",
     true,
     7,
     10,
     {{"id", INT},
      {"lineage", INT},
      {"version", INT},
      {"credit_code", TEXT},
      {"kind", TEXT},
      {"filename", TEXT},
      {"content_type", TEXT},
      {"sha256", TEXT},
      {"author", TEXT},
      {"received", TEXT},
      {"bytes", BLOB},
      {NULL, INT}}},
    {"review",
     true,
     -1,
     -1,
     {{"id", INT},
      {"credit_code", TEXT},
      {"item_kind", TEXT},
      {"item_id", INT},
      {"decision", TEXT},
      {"comment", TEXT},
      {"reviewer", TEXT},
      {"at", TEXT},
      {NULL, INT}}},
    {"audit",
     false,
     -1,
     -1,
     {{"seq", INT},
      {"at", TEXT},
      {"user", TEXT},
      {"role", TEXT},
      {"remote", TEXT},
      {"action", TEXT},
      {"credit_code", TEXT},
      {"sheet_id", INT},
      {"sheet_version", INT},
      {"sha256", TEXT},
      {"detail", TEXT},
      {"prev", TEXT},
      {"hash", TEXT},
      {NULL, INT}}},
};
#define TABLE_COUNT (sizeof(TABLES) / sizeof(TABLES[0]))
/* The schema version TABLES describes: a new schema step must update the list and this. */
#define TABLES_SCHEMA_VERSION 3 /* 3 added indexes only */
/* The audit table's hash column, for the chain's last hash. */
#define AUDIT_HASH 12

/* Tables each store keeps for itself: its schema versions, PostgreSQL's marker of a store. */
static bool own_table(const char *name)
{
	return strcmp(name, "schema_version") == 0 || strcmp(name, "digilevel_store") == 0;
}

/* Every (table, column) of the database's tables, but SQLite's own (sqlite_sequence, ...). */
static const char SQLITE_COLUMNS[] =
    "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p"
    " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
/* Every (table, column) of the tables of the connection's current schema. */
static const char PG_COLUMNS[] =
    "SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c"
    " JOIN information_schema.tables t ON t.table_schema = c.table_schema"
    " AND t.table_name = c.table_name"
    " WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'";

static int column_count(const table *t)
{
	int n = 0;
	while (t->columns[n].name)
		n++;
	return n;
}

/* --- the catalog check -------------------------------------------------------------------------
 */

/*
 * Compare the tables and columns of the database behind c (catalog: one of the queries above) with
 * TABLES: every one the list has must be there, and nothing else but each store's own tables.
 * where names the database in the sentences.
 */
static int check_catalog(db_conn *c, const char *catalog, const char *where, dl_error *err)
{
	int seen[TABLE_COUNT] = {0};
	db_stmt *s = NULL;
	int code = 0, rc = db_prepare(c, catalog, &s);
	while (rc == 0 && code == 0 && (rc = db_step(s)) == DB_ROW) {
		rc = 0;
		const char *name = db_column_text(s, 0), *col = db_column_text(s, 1);
		name = name ? name : "";
		col = col ? col : "";
		if (own_table(name))
			continue;
		size_t i = 0;
		while (i < TABLE_COUNT && strcmp(TABLES[i].name, name) != 0)
			i++;
		int j = 0;
		if (i < TABLE_COUNT)
			while (TABLES[i].columns[j].name &&
			       strcmp(TABLES[i].columns[j].name, col) != 0)
				j++;
		if (i == TABLE_COUNT)
			code = db_failf(
			    err, DL_EINVALID,
			    _("%s holds a table %s that the migration does not know how to copy; "
			      "nothing was copied, so that nothing is left behind (a table or "
			      "column a new schema step adds must be added to the migration's "
			      "list in server/store_migrate.c)"),
			    where, name);
		else if (!TABLES[i].columns[j].name)
			code = db_failf(
			    err, DL_EINVALID,
			    _("%s holds a column %s.%s that the migration does not know how to "
			      "copy; nothing was copied, so that nothing is left behind (a table "
			      "or column a new schema step adds must be added to the migration's "
			      "list in server/store_migrate.c)"),
			    where, name, col);
		else
			seen[i]++;
	}
	if (code == 0 && rc != DB_DONE)
		code = db_fail(err, c, rc, _("reading the list of tables"));
	db_finalize(s);
	for (size_t i = 0; code == 0 && i < TABLE_COUNT; i++)
		if (seen[i] != column_count(&TABLES[i]))
			code =
			    db_failf(err, DL_EINVALID,
				     _("%s lacks columns of the table %s that a store at schema "
				       "version %d has; nothing was copied"),
				     where, TABLES[i].name, TABLES_SCHEMA_VERSION);
	return code;
}

/* --- SQL of a table ------------------------------------------------------------------------------
 */

/* "SELECT "c1", "c2", ... FROM "t" ORDER BY "key"" into sql (size bytes). */
static void select_sql(char *sql, size_t size, const table *t)
{
	size_t n = (size_t)snprintf(sql, size, "SELECT ");
	for (int j = 0; t->columns[j].name && n < size; j++)
		n += (size_t)snprintf(sql + n, size - n, "%s\"%s\"", j ? ", " : "",
				      t->columns[j].name);
	if (n < size)
		snprintf(sql + n, size - n, " FROM \"%s\" ORDER BY \"%s\"", t->name,
			 t->columns[0].name);
}

/* The same in batches: the rows after key ?1, at most COMPARE_BATCH of them. */
static void select_after_sql(char *sql, size_t size, const table *t)
{
	size_t n = (size_t)snprintf(sql, size, "SELECT ");
	for (int j = 0; t->columns[j].name && n < size; j++)
		n += (size_t)snprintf(sql + n, size - n, "%s\"%s\"", j ? ", " : "",
				      t->columns[j].name);
	if (n < size)
		snprintf(sql + n, size - n,
			 " FROM \"%s\" WHERE \"%s\" > ?1 ORDER BY \"%s\" LIMIT %d", t->name,
			 t->columns[0].name, t->columns[0].name, COMPARE_BATCH);
}

/* "INSERT INTO "t" ("c1", ...) VALUES (?1, ...)" into sql (size bytes). */
static void insert_sql(char *sql, size_t size, const table *t)
{
	size_t n = (size_t)snprintf(sql, size, "INSERT INTO \"%s\" (", t->name);
	int count = column_count(t);
	for (int j = 0; j < count && n < size; j++)
		n += (size_t)snprintf(sql + n, size - n, "%s\"%s\"", j ? ", " : "",
				      t->columns[j].name);
	for (int j = 0; j < count && n < size; j++)
		n += (size_t)snprintf(sql + n, size - n, "%s?%d", j ? ", " : ") VALUES (", j + 1);
	if (n < size)
		snprintf(sql + n, size - n, ")");
}

/* What err says a statement on table t failed while doing. */
static const char *doing(char *buf, size_t size, const char *fmt, const table *t)
{
	snprintf(buf, size, fmt, t->name);
	return buf;
}

/* --- copying and comparing -----------------------------------------------------------------------
 */

/* Copy every row of t from the source reader r into the target writer w; *rows: how many. */
static int copy_table(db_conn *r, db_conn *w, const table *t, int64_t *rows, dl_error *err)
{
	char sql[2048], what[96];
	db_stmt *from = NULL, *to = NULL;
	int count = column_count(t), code = 0;
	*rows = 0;
	select_sql(sql, sizeof(sql), t);
	int rc = db_prepare(r, sql, &from);
	if (rc < 0)
		return db_fail(err, r, rc, doing(what, sizeof(what), _("reading the table %s"), t));
	insert_sql(sql, sizeof(sql), t);
	if ((rc = db_prepare(w, sql, &to)) < 0) {
		code = db_fail(err, w, rc, doing(what, sizeof(what), _("copying the table %s"), t));
		goto done;
	}
	while ((rc = db_step(from)) == DB_ROW) {
		rc = 0;
		for (int j = 0; rc == 0 && j < count; j++) {
			if (db_column_is_null(from, j))
				rc = db_bind_null(to, j + 1);
			else if (t->columns[j].kind == INT)
				rc = db_bind_int64(to, j + 1, db_column_int64(from, j));
			else if (t->columns[j].kind == TEXT)
				rc = db_bind_text(to, j + 1, db_column_text(from, j),
						  db_column_bytes(from, j));
			else
				rc = db_bind_blob(to, j + 1, db_column_blob(from, j),
						  db_column_bytes(from, j));
		}
		if (rc == 0)
			rc = store_step_done(to);
		if (rc == 0)
			rc = db_reset(to);
		if (rc < 0) {
			code = db_fail(err, w, rc,
				       doing(what, sizeof(what), _("copying the table %s"), t));
			goto done;
		}
		(*rows)++;
	}
	if (rc != DB_DONE)
		code = db_fail(err, r, rc, doing(what, sizeof(what), _("reading the table %s"), t));
done:
	db_finalize(from);
	db_finalize(to);
	return code;
}

/* Do column j of the rows at a's and b's cursors hold the same value, byte for byte? */
static bool same_value(db_stmt *a, db_stmt *b, const table *t, int j)
{
	if (db_column_is_null(a, j) || db_column_is_null(b, j))
		return db_column_is_null(a, j) && db_column_is_null(b, j);
	if (t->columns[j].kind == INT)
		return db_column_int64(a, j) == db_column_int64(b, j);
	const void *x =
	    t->columns[j].kind == TEXT ? (const void *)db_column_text(a, j) : db_column_blob(a, j);
	const void *y =
	    t->columns[j].kind == TEXT ? (const void *)db_column_text(b, j) : db_column_blob(b, j);
	size_t n = db_column_bytes(a, j);
	return n == db_column_bytes(b, j) && (n == 0 || (x && y && memcmp(x, y, n) == 0));
}

/* The key of the row at s's cursor as text, for a sentence. */
static void key_of(db_stmt *s, const table *t, char *out, size_t size)
{
	if (t->columns[0].kind == INT)
		snprintf(out, size, "%lld", (long long)db_column_int64(s, 0));
	else
		snprintf(out, size, "%.64s", db_column_text(s, 0) ? db_column_text(s, 0) : "");
}

/* Bind the key after which the next batch of t's rows is read: an integer, or text. */
static int bind_after(db_stmt *s, const table *t, int64_t after, const char *after_text)
{
	return t->columns[0].kind == INT ? db_bind_int64(s, 1, after)
					 : db_bind_cstr(s, 1, after_text);
}

/*
 * Read t back from the target w and compare it with the source r, row by row in key order (both
 * engines order the keys, integers and ASCII codes, alike); check every digest against its bytes.
 * The target is read in batches of COMPARE_BATCH rows after the last key seen. *rows: the rows
 * compared; last_hash (the audit table only): the last row's hash.
 */
static int compare_table(db_conn *r, db_conn *w, const table *t, int64_t *rows, char last_hash[65],
			 dl_error *err)
{
	char sql[2048], what[96], key[80],
	    after_text[80] = ""; /* keys: ids, codes, 64 hex digits */
	int64_t after = INT64_MIN, in_batch = 0;
	db_stmt *a = NULL, *b = NULL;
	int count = column_count(t), code = 0, ra = 0, rb = 0;
	*rows = 0;
	select_sql(sql, sizeof(sql), t);
	if ((ra = db_prepare(r, sql, &a)) < 0)
		return db_fail(err, r, ra, doing(what, sizeof(what), _("reading the table %s"), t));
	select_after_sql(sql, sizeof(sql), t);
	if ((rb = db_prepare(w, sql, &b)) == 0)
		rb = bind_after(b, t, after, after_text);
	if (rb < 0) {
		code =
		    db_fail(err, w, rb, doing(what, sizeof(what), _("checking the copy of %s"), t));
		goto done;
	}
	for (;;) {
		ra = db_step(a);
		rb = db_step(b);
		if (rb == DB_DONE && in_batch == COMPARE_BATCH) { /* the next batch */
			in_batch = 0;
			rb = db_reset(b);
			if (rb == 0)
				rb = bind_after(b, t, after, after_text);
			if (rb == 0)
				rb = db_step(b);
		}
		if (ra < 0 || rb < 0) {
			code =
			    ra < 0
				? db_fail(err, r, ra,
					  doing(what, sizeof(what), _("reading the table %s"), t))
				: db_fail(
				      err, w, rb,
				      doing(what, sizeof(what), _("checking the copy of %s"), t));
			goto done;
		}
		if (ra != rb) {
			if (ra == DB_ROW)
				code =
				    db_failf(err, DL_EIO,
					     _("the copy of the table %s has fewer rows than the "
					       "file; nothing was copied"),
					     t->name);
			else
				code =
				    db_failf(err, DL_EIO,
					     _("the copy of the table %s has more rows than the "
					       "file; nothing was copied"),
					     t->name);
			goto done;
		}
		if (ra == DB_DONE)
			break;
		(*rows)++;
		for (int j = 0; j < count; j++)
			if (!same_value(a, b, t, j)) {
				key_of(a, t, key, sizeof(key));
				code = db_failf(
				    err, DL_EIO,
				    _("the copy of row %s of the table %s differs from the "
				      "file in its column %s; nothing was copied"),
				    key, t->name, t->columns[j].name);
				goto done;
			}
		if (t->digest >= 0) {
			char hex[65];
			const void *bytes = db_column_blob(b, t->bytes);
			size_t len = db_column_bytes(b, t->bytes);
			store_sha256_hex(len ? bytes : "", len, hex);
			const char *recorded = db_column_text(b, t->digest);
			if (!recorded || strcmp(recorded, hex) != 0) {
				key_of(a, t, key, sizeof(key));
				code = db_failf(
				    err, DL_EINVALID,
				    _("the bytes of row %s of the table %s do not have the "
				      "SHA-256 its row records: the file is damaged; nothing "
				      "was copied"),
				    key, t->name);
				goto done;
			}
		}
		if (last_hash)
			store_copy_text(last_hash, 65, b, AUDIT_HASH);
		in_batch++;
		if (t->columns[0].kind == INT)
			after = db_column_int64(b, 0);
		else
			store_copy_text(after_text, sizeof(after_text), b, 0);
	}
done:
	db_finalize(a);
	db_finalize(b);
	return code;
}

/* --- the target ---------------------------------------------------------------------------------
 */

/* Refuse a target holding any row (checked in the writer's transaction: no writer runs meanwhile).
 */
static int check_empty(db_conn *w, const char *target, dl_error *err)
{
	for (size_t i = 0; i < TABLE_COUNT; i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"", TABLES[i].name);
		int64_t n = 0;
		int rc = db_query_int(w, sql, &n);
		if (rc < 0)
			return db_fail(err, w, rc, _("looking into the database"));
		if (n > 0)
			return db_failf(err, DL_EINVALID,
					_("%s is not empty (its table %s holds %lld rows): a "
					  "district is copied only into a new, empty database, "
					  "never merged into a store in use; it was left as it "
					  "is: create a new database (createdb -E UTF8 NAME) and "
					  "give it"),
					target, TABLES[i].name, (long long)n);
	}
	return 0;
}

/* Set t's id sequence past the largest copied id (PostgreSQL; never back: a larger one stays). */
static int sequence_past(db_conn *w, const table *t, dl_error *err)
{
	char sql[128], quoted[40], what[96];
	int64_t largest = 0, next = 0;
	snprintf(sql, sizeof(sql), "SELECT coalesce(max(id), 0) FROM \"%s\"", t->name);
	int rc = db_query_int(w, sql, &largest);
	if (rc == 0 && largest > 0)
		rc = db_next_id(w, t->name, &next);
	if (rc == 0 && largest > 0 && next <= largest) {
		db_stmt *s = NULL;
		snprintf(quoted, sizeof(quoted), "\"%s\"", t->name);
		rc = db_prepare(w, "SELECT setval(pg_get_serial_sequence(?1, 'id'), ?2)", &s);
		if (rc == 0)
			rc = db_bind_cstr(s, 1, quoted);
		if (rc == 0)
			rc = db_bind_int64(s, 2, largest);
		if (rc == 0)
			rc = store_step_done(s);
		db_finalize(s);
		/* and see it: the next id is past every copied one */
		if (rc == 0)
			rc = db_next_id(w, t->name, &next);
	}
	if (rc < 0)
		return db_fail(err, w, rc,
			       doing(what, sizeof(what), _("setting the ids of %s"), t));
	if (largest > 0 && next <= largest)
		return db_failf(
		    err, DL_EIO,
		    _("the ids of the table %s cannot be set past the copied ones; nothing "
		      "was copied"),
		    t->name);
	return 0;
}

/* The counts of done from the copied rows, and the lineages, read in the target's transaction. */
static int count_lineages(db_conn *w, dl_store_migrated *done, dl_error *err)
{
	int rc = db_query_int(w, "SELECT count(*) FROM sheet WHERE version = 1", &done->sheets);
	if (rc == 0)
		rc = db_query_int(w, "SELECT count(*) FROM document WHERE version = 1",
				  &done->documents);
	return rc < 0 ? db_fail(err, w, rc, _("counting the copied rows")) : 0;
}

static void set_count(dl_store_migrated *done, const char *name, int64_t rows)
{
	struct {
		const char *name;
		int64_t *count;
	} const map[] = {{"sheet", &done->versions},	     {"user", &done->users},
			 {"session", &done->sessions},	     {"enterprise", &done->enterprises},
			 {"assignment", &done->assignments}, {"document", &done->document_versions},
			 {"review", &done->reviews},	     {"audit", &done->audit}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].name, name) == 0)
			*map[i].count = rows;
}

/*
 * The copy, in one transaction of the target (see the header comment). src_audit and src_hash are
 * what the source's chain verified with: the snapshot copied must be that one.
 */
static int copy_all(dl_store *src, dl_store *dst, const char *from_file, const char *to_target,
		    int64_t src_audit, const char *src_hash, dl_store_migrated *done, dl_error *err)
{
	db_conn *r = NULL, *w = NULL;
	int code = db_acquire(src->db, &r, err);
	if (code < 0)
		return code;
	int rc = db_exec(r, "BEGIN"); /* one snapshot of the file */
	if (rc < 0) {
		code = db_fail(err, r, rc, _("reading the file"));
		db_release(src->db, r);
		return code;
	}
	if ((code = db_begin(dst->db, &w, _("copying the store"), err)) < 0)
		goto read_done;
	if ((code = check_catalog(r, SQLITE_COLUMNS, from_file, err)) < 0 ||
	    (code = check_catalog(w, PG_COLUMNS, to_target, err)) < 0 ||
	    (code = check_empty(w, to_target, err)) < 0)
		goto failed;
	for (size_t i = 0; i < TABLE_COUNT; i++) {
		int64_t rows = 0;
		if ((code = copy_table(r, w, &TABLES[i], &rows, err)) < 0)
			goto failed;
	}
	for (size_t i = 0; i < TABLE_COUNT; i++) {
		int64_t rows = 0;
		bool audit = strcmp(TABLES[i].name, "audit") == 0;
		if ((code = compare_table(r, w, &TABLES[i], &rows, audit ? done->last_hash : NULL,
					  err)) < 0)
			goto failed;
		set_count(done, TABLES[i].name, rows);
		if (TABLES[i].has_id && (code = sequence_past(w, &TABLES[i], err)) < 0)
			goto failed;
	}
	if ((code = count_lineages(w, done, err)) < 0)
		goto failed;
	if (done->audit != src_audit || strcmp(done->last_hash, src_hash) != 0) {
		code = db_failf(
		    err, DL_EIO,
		    _("%s changed while it was being copied (a workbench still running on "
		      "it?); nothing was copied: stop the workbench and migrate again"),
		    from_file);
		goto failed;
	}
	code = db_commit(dst->db, w, _("copying the store"), err);
	goto read_done;
failed:
	db_rollback(dst->db, w);
read_done:
	db_exec(r, "COMMIT");
	db_release(src->db, r);
	return code;
}

/* --- the source ----------------------------------------------------------------------------------
 */

/*
 * The store in from_file, opened for reading only: the db layer's readers, never its writer (which
 * would switch the file to write-ahead logging and migrate it). It must be a store at this
 * program's schema version.
 */
static int open_source(const char *from_file, dl_store **out, dl_error *err)
{
	struct stat sb;
	if (stat(from_file, &sb) != 0)
		return db_failf(err, errno == ENOENT ? DL_ENOTFOUND : DL_EIO,
				_("there is no file %s to copy the district from (%s)"),
				from_file, dl_strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return db_failf(err, DL_EINVALID,
				_("%s is not a file: give the workbench's database file"),
				from_file);
	dl_store *st = calloc(1, sizeof(*st));
	if (!st)
		return db_failf(err, DL_ENOMEM, _("out of memory"));
	st->schema = &store_schema_sqlite;
	int code = db_open(&st->db, from_file, 2, err);
	db_conn *c = NULL;
	if (code == 0)
		code = db_acquire(st->db, &c, err);
	int64_t version = 0;
	int known = code == 0 ? st->schema->identify(c, &version, err) : code;
	db_release(st->db, c);
	if (known == 0)
		code = db_failf(err, DL_EINVALID,
				_("%s is empty: it holds no workbench store to copy"), from_file);
	else if (known == DL_EINVALID && version <= st->schema->count)
		code = db_failf(
		    err, DL_EINVALID,
		    _("%s is not a digilevel workbench store, so there is nothing to copy "
		      "from it: give the workbench's database file (the --db it runs "
		      "with)"),
		    from_file);
	else if (known < 0)
		code = known; /* a store of a newer digilevel, or a file that cannot be read */
	else if (version < st->schema->count)
		code = db_failf(
		    err, DL_EINVALID,
		    _("%s is a store of an older digilevel (schema version %lld; this program's is "
		      "%d), and the migration never writes to it: start the workbench on it once "
		      "(digilevel serve --db %s), which brings it up to date, stop it, and migrate "
		      "again; nothing was copied"),
		    from_file, (long long)version, st->schema->count, from_file);
	else if (st->schema->count != TABLES_SCHEMA_VERSION)
		code = db_failf(
		    err, DL_EINVALID,
		    _("the migration knows the tables of schema version %d, and this "
		      "program writes version %d: server/store_migrate.c must be brought "
		      "up to date; nothing was copied"),
		    TABLES_SCHEMA_VERSION, st->schema->count);
	if (code < 0) {
		if (st->db)
			db_close(st->db);
		free(st);
		return code;
	}
	st->schema_version = (int)version;
	*out = st;
	return 0;
}

static void close_source(dl_store *st)
{
	if (st) {
		db_close(st->db);
		free(st);
	}
}

/* The hash of the last audit entry of st ("" with none), read now. */
static int last_hash_of(dl_store *st, char hash[65], dl_error *err)
{
	db_conn *c = NULL;
	db_stmt *s = NULL;
	hash[0] = '\0';
	int code = db_acquire(st->db, &c, err);
	if (code < 0)
		return code;
	int rc = db_prepare(c, "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1", &s);
	if (rc == 0 && (rc = db_step(s)) == DB_ROW)
		store_copy_text(hash, 65, s, 0);
	if (rc != DB_ROW && rc != DB_DONE)
		code = db_fail(err, c, rc, _("reading the audit log"));
	db_finalize(s);
	db_release(st->db, c);
	return code;
}

/* --- the whole -----------------------------------------------------------------------------------
 */

int dl_store_migrate(const char *from_file, const char *to_target, dl_store_migrated *done,
		     dl_error *err)
{
	dl_store_migrated counts;
	memset(&counts, 0, sizeof(counts));
	if (done)
		memset(done, 0, sizeof(*done));
	if (db_is_postgres(from_file))
		return db_failf(err, DL_EINVALID,
				_("the district is copied from its SQLite file, and %s is a "
				  "PostgreSQL database: give the workbench's database file"),
				from_file);
	if (!db_is_postgres(to_target))
		return db_failf(
		    err, DL_EINVALID,
		    _("a district is copied into a PostgreSQL database, and %s is not one: "
		      "give its address, postgresql://..."),
		    to_target);
	dl_store *src = NULL, *dst = NULL;
	int code = open_source(from_file, &src, err);
	if (code < 0)
		return code;
	/* the source's chain must hold before anything is copied */
	int64_t src_audit = 0, broken = 0;
	char src_hash[65];
	dl_error why = {0};
	code = dl_store_audit_verify(src, &src_audit, &broken, &why);
	if (code == DL_EBROKEN)
		code = db_failf(
		    err, DL_EINVALID,
		    _("the audit chain of %s does not hold (%s); nothing was copied: look "
		      "into it first (digilevel audit verify --db %s)"),
		    from_file, why.message, from_file);
	else if (code < 0 && err)
		*err = why;
	if (code == 0)
		code = last_hash_of(src, src_hash, err);
	if (code == 0)
		code = dl_store_open(&dst, to_target, err);
	const char *shown = dst ? db_target(dst->db) : to_target; /* without its password */
	snprintf(counts.target, sizeof(counts.target), "%s", shown);
	if (code == 0 && dl_store_schema_version(dst) != src->schema_version)
		code =
		    db_failf(err, DL_EINVALID,
			     _("%s is at schema version %d and %s at %d; nothing was copied"),
			     shown, dl_store_schema_version(dst), from_file, src->schema_version);
	if (code == 0)
		code = copy_all(src, dst, from_file, shown, src_audit, src_hash, &counts, err);
	if (code < 0) {
		close_source(src);
		dl_store_close(dst);
		return code;
	}
	/* committed: the chain verified on the target, as anyone will verify it */
	int64_t checked = 0;
	char hash[65];
	code = dl_store_audit_verify(dst, &checked, &broken, err);
	if (code == 0)
		code = last_hash_of(dst, hash, err);
	if (code == 0 && (checked != counts.audit || strcmp(hash, counts.last_hash) != 0))
		code =
		    db_failf(err, DL_EBROKEN,
			     _("the audit chain of the copy holds %lld entries ending in %s, and "
			       "the file's %lld entries end in %s"),
			     (long long)checked, hash, (long long)counts.audit, counts.last_hash);
	if (code == 0)
		code = dl_store_check(dst, err);
	/* the file as it is now: a workbench that saved into it meanwhile made the copy stale */
	if (code == 0)
		code = last_hash_of(src, hash, err);
	if (code == 0 && strcmp(hash, counts.last_hash) != 0)
		code = db_failf(
		    err, DL_EIO,
		    _("%s changed during the migration (a workbench still running on "
		      "it?): the copy in %s holds it as it was when the copy began; stop "
		      "the workbench, create a new database and migrate again"),
		    from_file, shown);
	close_source(src);
	dl_store_close(dst);
	if (code == 0 && done)
		*done = counts;
	return code;
}
