/*
 * store_schema_sqlite.c: the SQLite half of what the store writes twice (store_schema.h): the
 * migrations' DDL, knowing a file as a digilevel store, and the integrity check.
 *
 * A store is known by its application id (PRAGMA application_id, "DLST") and a table
 * schema_version, one row per migration applied. The migrations are the arrays below, forward
 * only: a released step is never changed (existing store files must open unchanged), a new one is
 * appended here and to store_schema_pg.c at once. Append only: triggers refuse deleting a row and
 * changing anything the store never changes.
 */
#include "db_sqlite.h"
#include "store_schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#ifndef _
#define _(msgid) dl_translate(msgid)
#endif

/*
 * The migrations: MIGRATIONS[i] brings the schema from version i to i + 1. Forward only: a released
 * step is never changed, a new one is appended. Each runs in its own transaction with its row in
 * schema_version. A step is a NULL-terminated list of SQL texts run in order.
 */

/* 1: the sheets, as received, with the fields derived from them; append only */
static const char *const MIGRATION_1[] = {
    "CREATE TABLE sheet ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " lineage INTEGER NOT NULL REFERENCES sheet(id),"
    " version INTEGER NOT NULL CHECK (version >= 1),"
    " credit_code TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " phase TEXT NOT NULL,"
    " date TEXT NOT NULL,"
    " questionnaire_id TEXT NOT NULL,"
    " questionnaire_version TEXT NOT NULL,"
    " questionnaire_sha256 TEXT NOT NULL,"
    " draft INTEGER NOT NULL CHECK (draft IN (0, 1)),"
    " level INTEGER NOT NULL CHECK (level BETWEEN -1 AND 4),"
    " total TEXT NOT NULL,"
    " sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
    " received TEXT NOT NULL,"
    " xml BLOB NOT NULL,"
    " UNIQUE (lineage, version),"
    " CHECK ((version = 1) = (lineage = id))"
    ");"
    "CREATE INDEX sheet_by_lineage ON sheet(lineage, id);"
    "CREATE INDEX sheet_by_credit_code ON sheet(credit_code, id);"
    "CREATE TRIGGER sheet_never_deleted BEFORE DELETE ON sheet"
    " BEGIN SELECT RAISE(ABORT, 'a stored sheet is never deleted'); END;"
    "CREATE TRIGGER sheet_never_changed BEFORE UPDATE OF id, lineage, version, credit_code, name,"
    " phase, date, questionnaire_id, questionnaire_version, draft, sha256, received, xml ON sheet"
    " BEGIN SELECT RAISE(ABORT, 'a stored sheet is never changed: save a new version'); END;",
    NULL,
};

/* 2: district mode (docs/store.md "District mode"): accounts, sessions, enterprises, assignments,
 * documents, reviews and the audit chain; a sheet's author and reason. In parts, each a string C
 * compilers must take (4095 bytes), run one after another in the migration's transaction. */
static const char *const MIGRATION_2[] = {
    "ALTER TABLE sheet ADD COLUMN author TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE sheet ADD COLUMN reason TEXT NOT NULL DEFAULT '';"
    "DROP TRIGGER sheet_never_changed;"
    "CREATE TRIGGER sheet_never_changed BEFORE UPDATE OF id, lineage, version, credit_code, name,"
    " phase, date, questionnaire_id, questionnaire_version, draft, sha256, received, xml,"
    " author, reason ON sheet"
    " BEGIN SELECT RAISE(ABORT, 'a stored sheet is never changed: save a new version'); END;",

    "CREATE TABLE user ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 63),"
    " role TEXT NOT NULL CHECK (role IN"
    " ('enterprise', 'integrator', 'evaluator', 'supervisor', 'bureau')),"
    " credit_code TEXT NOT NULL DEFAULT '',"
    " password_hash TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
    " created TEXT NOT NULL,"
    " CHECK ((role = 'enterprise') = (credit_code <> ''))"
    ");"
    "CREATE TRIGGER user_never_deleted BEFORE DELETE ON user"
    " BEGIN SELECT RAISE(ABORT, 'an account is never deleted: disable it'); END;"
    "CREATE TRIGGER user_never_renamed BEFORE UPDATE OF id, name, role, credit_code, created"
    " ON user BEGIN SELECT RAISE(ABORT, 'an account keeps its name, role and code'); END;"

    "CREATE TABLE session ("
    " token_sha256 TEXT PRIMARY KEY CHECK (length(token_sha256) = 64),"
    " user_id INTEGER NOT NULL REFERENCES user(id),"
    " csrf TEXT NOT NULL,"
    " created TEXT NOT NULL,"
    " expires TEXT NOT NULL,"
    " ended TEXT"
    ");"
    "CREATE INDEX session_by_user ON session(user_id);",

    "CREATE TABLE enterprise ("
    " credit_code TEXT PRIMARY KEY CHECK (credit_code <> ''),"
    " name TEXT NOT NULL"
    ");"

    "CREATE TABLE assignment ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " credit_code TEXT NOT NULL CHECK (credit_code <> ''),"
    " role TEXT NOT NULL CHECK (role IN ('integrator', 'evaluator')),"
    " user TEXT NOT NULL,"
    " by_user TEXT NOT NULL,"
    " at TEXT NOT NULL"
    ");"
    "CREATE INDEX assignment_by_code ON assignment(credit_code, role, id);"
    "CREATE TRIGGER assignment_never_deleted BEFORE DELETE ON assignment"
    " BEGIN SELECT RAISE(ABORT, 'an assignment is never deleted: assign again'); END;"
    "CREATE TRIGGER assignment_never_changed BEFORE UPDATE ON assignment"
    " BEGIN SELECT RAISE(ABORT, 'an assignment is never changed: assign again'); END;",

    "CREATE TABLE document ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " lineage INTEGER NOT NULL REFERENCES document(id),"
    " version INTEGER NOT NULL CHECK (version >= 1),"
    " credit_code TEXT NOT NULL CHECK (credit_code <> ''),"
    " kind TEXT NOT NULL CHECK (kind IN ('contract', 'plan')),"
    " filename TEXT NOT NULL,"
    " content_type TEXT NOT NULL,"
    " sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
    " author TEXT NOT NULL,"
    " received TEXT NOT NULL,"
    " bytes BLOB NOT NULL,"
    " UNIQUE (lineage, version),"
    " CHECK ((version = 1) = (lineage = id))"
    ");"
    "CREATE INDEX document_by_credit_code ON document(credit_code, id);"
    "CREATE TRIGGER document_never_deleted BEFORE DELETE ON document"
    " BEGIN SELECT RAISE(ABORT, 'a stored document is never deleted'); END;"
    "CREATE TRIGGER document_never_changed BEFORE UPDATE ON document"
    " BEGIN SELECT RAISE(ABORT, 'a stored document is never changed: save a new version'); END;"

    "CREATE TABLE review ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " credit_code TEXT NOT NULL,"
    " item_kind TEXT NOT NULL CHECK (item_kind IN ('sheet', 'document')),"
    " item_id INTEGER NOT NULL,"
    " decision TEXT NOT NULL CHECK (decision IN ('approved', 'returned')),"
    " comment TEXT NOT NULL,"
    " reviewer TEXT NOT NULL,"
    " at TEXT NOT NULL"
    ");"
    "CREATE INDEX review_by_credit_code ON review(credit_code, id);"
    "CREATE TRIGGER review_never_deleted BEFORE DELETE ON review"
    " BEGIN SELECT RAISE(ABORT, 'a review is never deleted'); END;"
    "CREATE TRIGGER review_never_changed BEFORE UPDATE ON review"
    " BEGIN SELECT RAISE(ABORT, 'a review is never changed: review again'); END;",

    "CREATE TABLE audit ("
    " seq INTEGER PRIMARY KEY CHECK (seq >= 1),"
    " at TEXT NOT NULL,"
    " user TEXT NOT NULL,"
    " role TEXT NOT NULL,"
    " remote TEXT NOT NULL,"
    " action TEXT NOT NULL CHECK (action <> ''),"
    " credit_code TEXT NOT NULL,"
    " sheet_id INTEGER NOT NULL,"
    " sheet_version INTEGER NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " detail TEXT NOT NULL,"
    " prev TEXT NOT NULL,"
    " hash TEXT NOT NULL CHECK (length(hash) = 64)"
    ");"
    "CREATE INDEX audit_by_credit_code ON audit(credit_code, seq);"
    "CREATE TRIGGER audit_never_deleted BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'an audit entry is never deleted'); END;"
    "CREATE TRIGGER audit_never_changed BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'an audit entry is never changed'); END;",
    NULL,
};

/* 3: the failed-login limiter reads the audit log (store_logins.c): an account's failures since
 * its last login, an address's failures, each within a window of time; partial indexes hold only
 * the entries of logins */
static const char *const MIGRATION_3[] = {
    "CREATE INDEX audit_login_failed_by_name ON audit(detail, at)"
    " WHERE action = 'login.failed';"
    "CREATE INDEX audit_login_failed_by_remote ON audit(remote, at)"
    " WHERE action = 'login.failed';"
    "CREATE INDEX audit_login_by_user ON audit(\"user\", seq) WHERE action = 'login';",
    NULL,
};

static const char *const *const MIGRATIONS[] = {MIGRATION_1, MIGRATION_2, MIGRATION_3};
#define SCHEMA_VERSION ((int)(sizeof(MIGRATIONS) / sizeof(MIGRATIONS[0])))

/*
 * What the file behind c is, read without writing anything: 0 for an empty database (nothing in
 * it yet: it becomes a store), 1 for a digilevel store at *version, or a DL_E* code with err
 * saying why it is refused.
 */
static int identify(db_conn *c, int64_t *version, dl_error *err)
{
	int64_t app = 0, objects = 0;
	int code = db_query_int(c, "PRAGMA application_id", &app);
	if (code == 0)
		code = db_query_int(c, "SELECT count(*) FROM sqlite_schema", &objects);
	if (code < 0 && db_sqlite_not_a_database(c))
		return db_sqlite_not_a_store(err);
	if (code < 0)
		return db_fail(err, c, code, _("reading the file"));
	if (app == 0 && objects == 0)
		return 0;
	if (app != DB_SQLITE_APPLICATION_ID)
		return db_failf(
		    err, DL_EINVALID,
		    _("this file is a database of another program, not a digilevel store; it was "
		      "left as it is: give another --db file"));
	code = db_query_int(c, "SELECT max(version) FROM schema_version", version);
	if (code < 0)
		return db_failf(
		    err, DL_EINVALID,
		    _("this digilevel store has no readable schema version (%s); it was left as it "
		      "is"),
		    db_message(c));
	if (*version > SCHEMA_VERSION)
		return db_failf(
		    err, DL_EINVALID,
		    _("this store was written by a newer digilevel (schema version %lld; this "
		      "program knows versions up to %d); it was left as it is: use the newer "
		      "program"),
		    (long long)*version, SCHEMA_VERSION);
	return 1;
}

/* In the first migration's transaction: the application id, and the table of versions. */
static int mark(db_conn *c)
{
	char sql[160];
	snprintf(sql, sizeof(sql),
		 "PRAGMA application_id = %d; CREATE TABLE schema_version"
		 " (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)",
		 DB_SQLITE_APPLICATION_ID);
	return db_exec(c, sql);
}

/* PRAGMA integrity_check, then PRAGMA foreign_key_check (a row whose lineage names no row). */
static int check(db_conn *c, dl_error *err)
{
	db_stmt *s = NULL;
	int rc = db_prepare(c, "PRAGMA integrity_check", &s), code = 0;
	if (rc == 0 && (rc = db_step(s)) == DB_ROW) {
		const char *result = db_column_text(s, 0);
		if (!result || strcmp(result, "ok") != 0)
			code = db_failf(err, DL_EINVALID, _("the store is damaged: %s"),
				    result ? result : "?");
		rc = 0;
	}
	db_finalize(s);
	s = NULL;
	if (code == 0 && rc == 0) {
		rc = db_prepare(c, "PRAGMA foreign_key_check", &s);
		if (rc == 0 && (rc = db_step(s)) == DB_ROW) {
			const char *table = db_column_text(s, 0);
			code = db_failf(err, DL_EINVALID,
				    _("the store is damaged: row %lld of table %s names a missing row"),
				    (long long)db_column_int64(s, 1), table ? table : "?");
			rc = 0;
		} else if (rc == DB_DONE) {
			rc = 0;
		}
		db_finalize(s);
	}
	if (code == 0 && rc < 0)
		code = db_fail(err, c, rc, _("checking the file"));
	return code;
}

const store_schema store_schema_sqlite = {
    .migrations = MIGRATIONS,
    .count = SCHEMA_VERSION,
    .identify = identify,
    .mark = mark,
    .check = check,
};
