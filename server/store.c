/*
 * store_sqlite.c: the workbench's store of answer sheets (store.h) in one SQLite file.
 *
 * The file: WAL mode, synchronous=FULL (a commit returns once the WAL is on disk, so a put that
 * returned 0 survives kill -9 and a power cut), foreign keys on, a busy timeout for other processes
 * (`serve --export` beside a running server). It is known as a digilevel store by its application
 * id (PRAGMA application_id, "DLST") and holds a schema_version table, one row per migration
 * applied. The migrations are the array MIGRATIONS below, forward only, each applied in its own
 * transaction with its row; a file that is not a store, or one a newer digilevel migrated further
 * than this one knows, is refused before anything is written to it.
 *
 * Append only: triggers refuse deleting a row and changing anything but the derived score (level,
 * total, questionnaire_sha256), which dl_store_set_score alone updates.
 *
 * This file holds the file, its migrations and the sheets; the district's tables (accounts,
 * sessions, enterprises, assignments, documents, reviews, the audit chain) and the backup are in
 * store_district.c, and what the two share in store_sqlite.h. A put writes its audit entry
 * ("sheet.save" or "sheet.submit") in its own transaction, and refuses to continue a submitted
 * evaluation without a reason (DL_EFROZEN).
 *
 * Threads: one writer connection behind a mutex (SQLite has one writer at a time anyway, and
 * serialising our own writers here means they never meet SQLITE_BUSY), and reader connections
 * taken from a small pool, one per calling thread for the call: in WAL mode readers see the last
 * commit and never wait for the writer. Every connection is used by one thread at a time, so they
 * are opened SQLITE_OPEN_NOMUTEX. docs/store.md says why.
 *
 * Every statement is prepared with its values bound; no SQL is ever made from input.
 */
#include "store_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "DLST": PRAGMA application_id of a digilevel store. */
#define STORE_APPLICATION_ID 0x444c5354
/* How long a connection waits for another process's lock before giving up, milliseconds. */
#define STORE_BUSY_TIMEOUT_MS 5000

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

static const char *const *const MIGRATIONS[] = {MIGRATION_1, MIGRATION_2};
#define SCHEMA_VERSION ((int)(sizeof(MIGRATIONS) / sizeof(MIGRATIONS[0])))

/* The columns of a dl_store_row, in the order read_row reads them. */
#define ROW_COLUMNS                                                                                \
	"id, lineage, version, credit_code, name, phase, date, questionnaire_id,"                  \
	" questionnaire_version, questionnaire_sha256, draft, level, total, sha256, received,"     \
	" length(xml), author, reason"
/* The column after ROW_COLUMNS: the XML, when a query selects it. */
#define ROW_XML 18

/* --- errors ---------------------------------------------------------------------------------- */

/* err->file stays empty: the caller knows which store it opened and says so itself. */
int store_fail(dl_error *err, int code, const char *fmt, ...)
{
	if (err) {
		memset(err, 0, sizeof(*err));
		err->code = code;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return code;
}

/* The DL_E* code of an SQLite result code. */
int store_code_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return DL_ENOMEM;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_TOOBIG:
	case SQLITE_RANGE:
		return DL_EINVALID;
	default:
		return DL_EIO;
	}
}

/* Fail with what SQLite says about db's last error, after what (a few words: "saving a sheet"). */
int store_fail_db(dl_error *err, sqlite3 *db, int rc, const char *what)
{
	return store_fail(err, store_code_of(rc), _("the store failed while %s: %s"), what,
		    db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

static int not_a_store(dl_error *err)
{
	return store_fail(
	    err, DL_EINVALID,
	    _("this file is not a digilevel store (it is not a database); it was left as it "
	      "is: give another --db file"));
}

/* --- connections ----------------------------------------------------------------------------- */

int store_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Prepare sql (a constant of this file) on db. */
int store_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt)
{
	return sqlite3_prepare_v2(db, sql, -1, stmt, NULL);
}

/* The integer of a one-row, one-column query, in *value. Returns an SQLite code. */
int store_query_int(sqlite3 *db, const char *sql, int64_t *value)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(db, sql, &stmt);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			*value = sqlite3_column_int64(stmt, 0);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			rc = SQLITE_NOTFOUND;
		}
	}
	sqlite3_finalize(stmt);
	return rc;
}

int store_bind_text(sqlite3_stmt *stmt, int i, const char *text)
{
	return sqlite3_bind_text(stmt, i, text ? text : "", -1, SQLITE_TRANSIENT);
}

int store_begin(dl_store *st, const char *what, dl_error *err)
{
	pthread_mutex_lock(&st->write_lock);
	int rc = store_exec(st->writer, "BEGIN IMMEDIATE");
	if (rc == SQLITE_OK)
		return 0;
	int code = store_fail_db(err, st->writer, rc, what);
	pthread_mutex_unlock(&st->write_lock);
	return code;
}

int store_commit(dl_store *st, const char *what, dl_error *err)
{
	int rc = store_exec(st->writer, "COMMIT"), code = 0;
	if (rc != SQLITE_OK) {
		code = store_fail_db(err, st->writer, rc, what);
		store_exec(st->writer, "ROLLBACK");
	}
	pthread_mutex_unlock(&st->write_lock);
	return code;
}

void store_rollback(dl_store *st)
{
	store_exec(st->writer, "ROLLBACK");
	pthread_mutex_unlock(&st->write_lock);
}

/* Settings every connection gets: extended codes, the busy timeout, foreign keys, no trust in
 * the schema's functions, defensive mode (no writing to the schema by hand). */
static int configure(sqlite3 *db)
{
	sqlite3_extended_result_codes(db, 1);
	int rc = sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	if (rc == SQLITE_OK)
		rc = store_exec(db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL");
	return rc;
}

/* Open a connection to path; flags add to read-write and no-mutex. Returns an SQLite code. */
static int open_connection(const char *path, int flags, sqlite3 **out)
{
	sqlite3 *db = NULL;
	int rc =
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | flags, NULL);
	if (rc == SQLITE_OK)
		rc = configure(db);
	if (rc != SQLITE_OK) {
		sqlite3_close_v2(db);
		db = NULL;
	}
	*out = db;
	return rc;
}

/* A reader connection for this call: an idle one, or a new one. Give it back with release. */
int store_acquire(dl_store *st, sqlite3 **out, dl_error *err)
{
	sqlite3 *db = NULL;
	pthread_mutex_lock(&st->pool_lock);
	if (st->idle_count > 0)
		db = st->idle[--st->idle_count];
	pthread_mutex_unlock(&st->pool_lock);
	if (!db) {
		int rc = open_connection(st->path, 0, &db);
		if (rc == SQLITE_OK)
			rc = store_exec(db, "PRAGMA query_only = ON");
		if (rc != SQLITE_OK) {
			sqlite3_close_v2(db);
			return store_fail(err, store_code_of(rc), _("the store cannot open a connection: %s"),
				    sqlite3_errstr(rc));
		}
	}
	*out = db;
	return 0;
}

void store_release(dl_store *st, sqlite3 *db)
{
	pthread_mutex_lock(&st->pool_lock);
	if (st->idle_count < STORE_IDLE_READERS) {
		st->idle[st->idle_count++] = db;
		db = NULL;
	}
	pthread_mutex_unlock(&st->pool_lock);
	sqlite3_close_v2(db);
}

/* --- opening: knowing the file, migrating ---------------------------------------------------- */

/*
 * What the file behind db is, read without writing anything: 0 for an empty database (nothing
 * in it yet: it becomes a store), 1 for a digilevel store at *version, or a DL_E* code with err
 * saying why it is refused.
 */
static int identify(sqlite3 *db, int64_t *version, dl_error *err)
{
	int64_t app = 0, objects = 0;
	int rc = store_query_int(db, "PRAGMA application_id", &app);
	if (rc == SQLITE_OK)
		rc = store_query_int(db, "SELECT count(*) FROM sqlite_schema", &objects);
	if ((rc & 0xff) == SQLITE_NOTADB)
		return not_a_store(err);
	if (rc != SQLITE_OK)
		return store_fail_db(err, db, rc, _("reading the file"));
	if (app == 0 && objects == 0)
		return 0;
	if (app != STORE_APPLICATION_ID)
		return store_fail(
		    err, DL_EINVALID,
		    _("this file is a database of another program, not a digilevel store; it was "
		      "left as it is: give another --db file"));
	rc = store_query_int(db, "SELECT max(version) FROM schema_version", version);
	if (rc != SQLITE_OK)
		return store_fail(
		    err, DL_EINVALID,
		    _("this digilevel store has no readable schema version (%s); it was left as it "
		      "is"),
		    sqlite3_errmsg(db));
	if (*version > SCHEMA_VERSION)
		return store_fail(
		    err, DL_EINVALID,
		    _("this store was written by a newer digilevel (schema version %lld; this "
		      "program knows versions up to %d); it was left as it is: use the newer "
		      "program"),
		    (long long)*version, SCHEMA_VERSION);
	return 1;
}

static int record_version(sqlite3 *db, int version)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(db,
			 "INSERT INTO schema_version (version, applied)"
			 " VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
			 &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(stmt, 1, version);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * Bring the schema up to SCHEMA_VERSION, one step per transaction. Each transaction looks again at
 * what the file is (another process may be migrating it too), so a step is never applied twice.
 */
static int migrate(dl_store *st, dl_error *err)
{
	sqlite3 *db = st->writer;
	for (;;) {
		int64_t version = 0;
		int rc = store_exec(db, "BEGIN IMMEDIATE");
		if (rc != SQLITE_OK)
			return store_fail_db(err, db, rc, _("starting a migration"));
		int known = identify(db, &version, err);
		if (known < 0) {
			store_exec(db, "ROLLBACK");
			return known;
		}
		if (known == 0) {
			/* version 0: the file is a digilevel store with nothing in it yet */
			char sql[160];
			snprintf(sql, sizeof(sql),
				 "PRAGMA application_id = %d; CREATE TABLE schema_version"
				 " (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)",
				 STORE_APPLICATION_ID);
			rc = store_exec(db, sql);
			if (rc == SQLITE_OK)
				rc = record_version(db, 0);
		} else if (version == SCHEMA_VERSION) {
			store_exec(db, "ROLLBACK");
			st->schema_version = (int)version;
			return 0;
		} else {
			rc = SQLITE_OK;
			for (const char *const *part = MIGRATIONS[version]; rc == SQLITE_OK && *part;
			     part++)
				rc = store_exec(db, *part);
			if (rc == SQLITE_OK)
				rc = record_version(db, (int)version + 1);
		}
		if (rc == SQLITE_OK)
			rc = store_exec(db, "COMMIT");
		if (rc != SQLITE_OK) {
			store_fail_db(err, db, rc, _("migrating the schema"));
			store_exec(db, "ROLLBACK");
			return err ? err->code : store_code_of(rc);
		}
	}
}

/* The directory of path, synced, so that a new file's name survives a power cut. */
static void sync_directory(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int dl_store_open(dl_store **out, const char *path, dl_error *err)
{
	dl_store *st = NULL;
	int rc = 0, code = 0;
	struct stat sb;
	bool created = false;
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT)
			return store_fail(err, DL_EIO, _("the store cannot be opened: %s"),
				    dl_strerror(errno));
		created = true;
	} else if (!S_ISREG(sb.st_mode)) {
		return store_fail(err, DL_EIO, _("the store must be a file, and this is not one"));
	}
	if (!(st = calloc(1, sizeof(*st))) || !(st->path = strdup(path))) {
		free(st);
		return store_fail(err, DL_ENOMEM, _("out of memory"));
	}
	if (created) {
		/* the store holds enterprises' data: a new one is for its owner only (SQLite gives
		 * its -wal and -shm files the same mode) */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
	}
	pthread_mutex_init(&st->write_lock, NULL);
	pthread_mutex_init(&st->pool_lock, NULL);
	snprintf(st->backend, sizeof(st->backend), "sqlite %s", sqlite3_libversion());

	if ((rc = open_connection(path, SQLITE_OPEN_CREATE, &st->writer)) != SQLITE_OK) {
		code = (rc & 0xff) == SQLITE_NOTADB
			   ? not_a_store(err)
			   : store_fail(err, store_code_of(rc), _("the store cannot be opened: %s"),
				  sqlite3_errstr(rc));
		goto done;
	}
	/* Until the file is known to be a store, closing must not checkpoint into it. */
	sqlite3_db_config(st->writer, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	int64_t version = 0;
	if ((code = identify(st->writer, &version, err)) < 0)
		goto done;
	sqlite3_stmt *stmt = NULL;
	if ((rc = store_prepare(st->writer, "PRAGMA journal_mode = WAL", &stmt)) == SQLITE_OK &&
	    (rc = sqlite3_step(stmt)) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(stmt, 0), "wal") != 0)
		rc = SQLITE_CANTOPEN; /* a file system without shared memory: no WAL */
	else if (rc == SQLITE_ROW)
		rc = SQLITE_OK;
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK) {
		code = store_fail(err, store_code_of(rc), _("the store cannot use write-ahead logging: %s"),
			    sqlite3_errstr(rc));
		goto done;
	}
	sqlite3_db_config(st->writer, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
	if ((code = migrate(st, err)) < 0)
		goto done;
	if (created)
		sync_directory(path);
	code = 0;
done:
	if (code < 0) {
		dl_store_close(st);
		return code;
	}
	*out = st;
	return 0;
}

void dl_store_close(dl_store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->idle_count; i++)
		sqlite3_close_v2(st->idle[i]);
	sqlite3_close_v2(st->writer);
	pthread_mutex_destroy(&st->write_lock);
	pthread_mutex_destroy(&st->pool_lock);
	free(st->path);
	free(st);
}

int dl_store_schema_version(dl_store *st)
{
	return st->schema_version;
}

const char *dl_store_backend(const dl_store *st)
{
	return st->backend;
}

/* --- rows ------------------------------------------------------------------------------------ */

/* Copy column col as text into dst (size bytes), cut at a character boundary when too long. */
void store_copy_text(char *dst, size_t size, sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	size_t len = text ? (size_t)sqlite3_column_bytes(stmt, col) : 0;
	if (len >= size) {
		len = size - 1;
		while (len > 0 && (text[len] & 0xc0) == 0x80)
			len--; /* not inside a UTF-8 character */
	}
	if (len > 0)
		memcpy(dst, text, len);
	dst[len] = '\0';
}

/* The row at stmt's cursor, selected with ROW_COLUMNS first. */
static void read_row(sqlite3_stmt *stmt, dl_store_row *row)
{
	memset(row, 0, sizeof(*row));
	row->id = sqlite3_column_int64(stmt, 0);
	row->lineage = sqlite3_column_int64(stmt, 1);
	row->version = sqlite3_column_int64(stmt, 2);
	store_copy_text(row->credit_code, sizeof(row->credit_code), stmt, 3);
	store_copy_text(row->name, sizeof(row->name), stmt, 4);
	store_copy_text(row->phase, sizeof(row->phase), stmt, 5);
	store_copy_text(row->date, sizeof(row->date), stmt, 6);
	store_copy_text(row->questionnaire_id, sizeof(row->questionnaire_id), stmt, 7);
	store_copy_text(row->questionnaire_version, sizeof(row->questionnaire_version), stmt, 8);
	store_copy_text(row->questionnaire_sha256, sizeof(row->questionnaire_sha256), stmt, 9);
	row->draft = sqlite3_column_int(stmt, 10) != 0;
	row->level = sqlite3_column_int(stmt, 11);
	store_copy_text(row->total, sizeof(row->total), stmt, 12);
	store_copy_text(row->sha256, sizeof(row->sha256), stmt, 13);
	store_copy_text(row->received, sizeof(row->received), stmt, 14);
	row->xml_len = (size_t)sqlite3_column_int64(stmt, 15);
	store_copy_text(row->author, sizeof(row->author), stmt, 16);
	store_copy_text(row->reason, sizeof(row->reason), stmt, 17);
}

/* Bind a field of a dl_store_row (a char array, NUL-terminated within its size). */
static int bind_field(sqlite3_stmt *stmt, int i, const char *field, size_t size)
{
	return sqlite3_bind_text(stmt, i, field, (int)strnlen(field, size - 1), SQLITE_TRANSIENT);
}
#define BIND_FIELD(stmt, i, f) bind_field(stmt, i, f, sizeof(f))

/* The lower-case hex SHA-256 of data. */
void store_sha256_hex(const void *data, size_t len, char hex[65])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)data);
	sha256_digest(&ctx, sizeof(digest), digest);
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

/* The row id from the writer (under write_lock), as stored. */
static int read_back(dl_store *st, int64_t id, dl_store_row *row, dl_error *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(st->writer, "SELECT " ROW_COLUMNS " FROM sheet WHERE id = ?1", &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, id);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		read_row(stmt, row);
		rc = SQLITE_OK;
	}
	int code = rc == SQLITE_OK ? 0 : store_fail_db(err, st->writer, rc, _("reading a saved sheet"));
	sqlite3_finalize(stmt);
	return code;
}

/* Is text NULL or nothing but white space? */
static bool blank(const char *text)
{
	if (!text)
		return true;
	for (; *text; text++)
		if (*text != ' ' && *text != '\t' && *text != '\n' && *text != '\r')
			return false;
	return true;
}

/* In the writer's transaction: the new row's id, lineage and version for put, and the frozen
 * rule: a lineage whose newest version is a submitted evaluation continues only with a reason. */
static int place(dl_store *st, const dl_store_sheet *put, int64_t *id, int64_t *lineage,
		 int64_t *version, dl_error *err)
{
	sqlite3 *db = st->writer;
	int rc = store_query_int(
	    db,
	    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'sheet'), 0),"
	    " coalesce((SELECT max(id) FROM sheet), 0)) + 1",
	    id);
	if (rc != SQLITE_OK)
		return store_fail_db(err, db, rc, _("saving a sheet"));
	*lineage = *id;
	*version = 1;
	if (put->replaces == 0)
		return 0;
	sqlite3_stmt *stmt = NULL;
	rc = store_prepare(
	    db,
	    "SELECT n.lineage, n.version, n.phase, n.draft FROM sheet s JOIN sheet n"
	    " ON n.id = (SELECT max(t.id) FROM sheet t WHERE t.lineage = s.lineage)"
	    " WHERE s.id = ?1",
	    &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, put->replaces);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	int code = 0;
	if (rc == SQLITE_ROW) {
		*lineage = sqlite3_column_int64(stmt, 0);
		*version = sqlite3_column_int64(stmt, 1) + 1;
		const char *phase = (const char *)sqlite3_column_text(stmt, 2);
		bool frozen = phase && strcmp(phase, "evaluation") == 0 &&
			      sqlite3_column_int(stmt, 3) == 0;
		if (frozen && blank(put->reason))
			code = store_fail(
			    err, DL_EFROZEN,
			    _("sheet %lld is a submitted evaluation: a new version of it needs a "
			      "reason"),
			    (long long)sqlite3_column_int64(stmt, 0));
	} else if (rc == SQLITE_DONE) {
		code = store_fail(err, DL_ENOTFOUND,
				  _("sheet %lld, which this one would replace, is not in the store"),
				  (long long)put->replaces);
	} else {
		code = store_fail_db(err, db, rc, _("saving a sheet"));
	}
	sqlite3_finalize(stmt);
	return code;
}

static int insert(dl_store *st, const dl_store_sheet *put, int64_t id, int64_t lineage,
		  int64_t version, const char sha256[65], dl_error *err)
{
	const dl_store_row *f = &put->fields;
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(
	    st->writer,
	    "INSERT INTO sheet (id, lineage, version, credit_code, name, phase, date,"
	    " questionnaire_id, questionnaire_version, questionnaire_sha256, draft, level,"
	    " total, sha256, received, xml, author, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	    " ?8, ?9, ?10, ?11, ?12, ?13, ?14, " STORE_NOW ", ?15, ?16, ?17)",
	    &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 2, lineage);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 3, version);
	if (rc == SQLITE_OK)
		rc = BIND_FIELD(stmt, 4, f->credit_code);
	if (rc == SQLITE_OK)
		rc = BIND_FIELD(stmt, 5, f->name);
	if (rc == SQLITE_OK)
		rc = BIND_FIELD(stmt, 6, f->phase);
	if (rc == SQLITE_OK)
		rc = BIND_FIELD(stmt, 7, f->date);
	if (rc == SQLITE_OK)
		rc = BIND_FIELD(stmt, 8, f->questionnaire_id);
	if (rc == SQLITE_OK)
		rc = BIND_FIELD(stmt, 9, f->questionnaire_version);
	if (rc == SQLITE_OK)
		rc = BIND_FIELD(stmt, 10, f->questionnaire_sha256);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(stmt, 11, f->draft ? 1 : 0);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(stmt, 12, f->level);
	if (rc == SQLITE_OK)
		rc = BIND_FIELD(stmt, 13, f->total);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(stmt, 14, sha256, 64, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob64(stmt, 15, put->xml_len ? put->xml : "", put->xml_len,
					 SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 16, put->by.user);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 17, put->reason);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_DONE)
		rc = SQLITE_OK;
	int code = rc == SQLITE_OK ? 0 : store_fail_db(err, st->writer, rc, _("saving a sheet"));
	sqlite3_finalize(stmt);
	return code;
}

int dl_store_put(dl_store *st, const dl_store_sheet *put, dl_store_row *row, dl_error *err)
{
	if (!put->xml && put->xml_len > 0)
		return store_fail(err, DL_EINVALID, _("a sheet to save has no text"));
	if (put->fields.level < -1 || put->fields.level > 4)
		return store_fail(err, DL_EINVALID, _("a sheet to save has level %d, not -1 to 4"),
				  put->fields.level);
	if (put->reason && strlen(put->reason) >= sizeof(put->fields.reason))
		return store_fail(err, DL_EINVALID,
				  _("the reason for a new version is longer than %zu bytes"),
				  sizeof(put->fields.reason) - 1);
	int64_t id = 0, lineage = 0, version = 0;
	dl_store_audit e;
	memset(&e, 0, sizeof(e));
	store_sha256_hex(put->xml_len ? put->xml : "", put->xml_len, e.sha256);
	int code = store_begin(st, _("saving a sheet"), err);
	if (code < 0)
		return code;
	if ((code = place(st, put, &id, &lineage, &version, err)) < 0 ||
	    (code = insert(st, put, id, lineage, version, e.sha256, err)) < 0)
		goto failed;
	snprintf(e.action, sizeof(e.action), "%s", put->fields.draft ? "sheet.save" : "sheet.submit");
	snprintf(e.credit_code, sizeof(e.credit_code), "%.*s",
		 (int)strnlen(put->fields.credit_code, sizeof(put->fields.credit_code) - 1),
		 put->fields.credit_code);
	e.sheet_id = id;
	e.sheet_version = version;
	snprintf(e.detail, sizeof(e.detail), "%s", put->reason ? put->reason : "");
	if ((code = store_audit_append(st, st->writer, &e, &put->by, err)) < 0)
		goto failed;
	/* durable once COMMIT returns: the WAL is synced (synchronous = FULL) */
	if (row) {
		/* read inside the transaction, so that the row is the one committed */
		if ((code = read_back(st, id, row, err)) < 0)
			goto failed;
	}
	return store_commit(st, _("saving a sheet"), err);
failed:
	store_rollback(st);
	return code;
}

int dl_store_get(dl_store *st, int64_t id, dl_store_row *row, char **xml, size_t *xml_len,
		 dl_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	dl_store_row found;
	char *copy = NULL;
	int code = store_acquire(st, &db, err);
	if (code < 0)
		return code;
	int rc = store_prepare(db, "SELECT " ROW_COLUMNS ", xml FROM sheet WHERE id = ?1", &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		code = store_fail(err, DL_ENOTFOUND, _("sheet %lld is not in the store"), (long long)id);
		goto done;
	}
	if (rc != SQLITE_ROW) {
		code = store_fail_db(err, db, rc, _("reading a sheet"));
		goto done;
	}
	read_row(stmt, &found);
	if (xml) {
		const void *blob = sqlite3_column_blob(stmt, ROW_XML);
		size_t len = (size_t)sqlite3_column_bytes(stmt, ROW_XML);
		if (!(copy = malloc(len + 1))) {
			code = store_fail(err, DL_ENOMEM, _("out of memory"));
			goto done;
		}
		if (len > 0)
			memcpy(copy, blob, len);
		copy[len] = '\0';
		*xml = copy;
		if (xml_len)
			*xml_len = len;
	}
	if (row)
		*row = found;
done:
	sqlite3_finalize(stmt);
	store_release(st, db);
	return code;
}

int dl_store_list(dl_store *st, const dl_store_filter *f, dl_store_row **rows, size_t *count,
		  dl_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	dl_store_row *list = NULL;
	size_t n = 0, cap = 0;
	const dl_store_filter none = {NULL, NULL, 0, false, false, 0};
	if (!f)
		f = &none; /* no filter: as a zeroed one */
	*rows = NULL;
	*count = 0;
	int code = store_acquire(st, &db, err);
	if (code < 0)
		return code;
	/* the newest version of a lineage is its highest id; filters apply to the rows returned */
	int rc = store_prepare(
	    db,
	    "SELECT " ROW_COLUMNS " FROM sheet s"
	    " WHERE (?1 IS NULL OR s.credit_code = ?1)"
	    " AND (?2 IS NULL OR s.phase = ?2)"
	    " AND (?3 = 0 OR s.lineage = ?3)"
	    " AND (?4 OR s.id = (SELECT max(t.id) FROM sheet t WHERE t.lineage = s.lineage))"
	    " AND (?5 OR NOT (SELECT t.draft FROM sheet t WHERE t.lineage = s.lineage"
	    " ORDER BY t.id DESC LIMIT 1))"
	    " ORDER BY s.id DESC LIMIT ?6",
	    &stmt);
	if (rc == SQLITE_OK)
		rc = f->credit_code ? sqlite3_bind_text(stmt, 1, f->credit_code, -1, SQLITE_STATIC)
				    : sqlite3_bind_null(stmt, 1);
	if (rc == SQLITE_OK)
		rc = f->phase ? sqlite3_bind_text(stmt, 2, f->phase, -1, SQLITE_STATIC)
			      : sqlite3_bind_null(stmt, 2);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 3, f->lineage);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(stmt, 4, f->history ? 1 : 0);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(stmt, 5, f->drafts ? 1 : 0);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(
		    stmt, 6, f->limit == 0 || f->limit > INT64_MAX ? -1 : (int64_t)f->limit);
	while (rc == SQLITE_OK || rc == SQLITE_ROW) {
		if ((rc = sqlite3_step(stmt)) != SQLITE_ROW)
			break;
		if (n == cap) {
			size_t grown_cap = cap ? cap * 2 : 16;
			dl_store_row *grown = realloc(list, grown_cap * sizeof(*grown));
			if (!grown) {
				code = store_fail(err, DL_ENOMEM, _("out of memory"));
				goto done;
			}
			list = grown;
			cap = grown_cap;
		}
		read_row(stmt, &list[n++]);
	}
	if (rc != SQLITE_DONE) {
		code = store_fail_db(err, db, rc, _("listing sheets"));
		goto done;
	}
	*rows = n ? list : NULL;
	*count = n;
	if (!n)
		free(list);
	list = NULL;
done:
	free(list);
	sqlite3_finalize(stmt);
	store_release(st, db);
	return code;
}

int dl_store_each(dl_store *st, dl_store_each_fn fn, void *userdata, dl_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int code = store_acquire(st, &db, err);
	if (code < 0)
		return code;
	/* one statement: one read transaction, so the rows are one snapshot of the store */
	int rc = store_prepare(db, "SELECT " ROW_COLUMNS ", xml FROM sheet ORDER BY id", &stmt);
	while (rc == SQLITE_OK || rc == SQLITE_ROW) {
		if ((rc = sqlite3_step(stmt)) != SQLITE_ROW)
			break;
		dl_store_row row;
		read_row(stmt, &row);
		/* as text, so that the borrowed XML ends in a NUL as well */
		const char *xml = (const char *)sqlite3_column_text(stmt, ROW_XML);
		size_t len = (size_t)sqlite3_column_bytes(stmt, ROW_XML);
		if (!xml) {
			rc = SQLITE_NOMEM;
			break;
		}
		if ((code = fn(&row, xml, len, userdata)) < 0)
			goto done;
	}
	if (rc != SQLITE_DONE)
		code = store_fail_db(err, db, rc, _("reading the sheets"));
done:
	sqlite3_finalize(stmt);
	store_release(st, db);
	return code;
}

int dl_store_set_score(dl_store *st, int64_t id, int level, const char *total,
		       const char *questionnaire_sha256, dl_error *err)
{
	if (level < -1 || level > 4)
		return store_fail(err, DL_EINVALID, _("a score to save has level %d, not -1 to 4"),
			    level);
	pthread_mutex_lock(&st->write_lock);
	sqlite3_stmt *stmt = NULL;
	int code = 0,
	    rc = store_prepare(st->writer,
			 "UPDATE sheet SET level = ?2, total = ?3, questionnaire_sha256 = ?4"
			 " WHERE id = ?1",
			 &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(stmt, 2, level);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(stmt, 3, total ? total : "", -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(stmt, 4, questionnaire_sha256 ? questionnaire_sha256 : "",
				       -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_DONE)
		rc = SQLITE_OK;
	if (rc != SQLITE_OK)
		code = store_fail_db(err, st->writer, rc, _("saving a score"));
	else if (sqlite3_changes(st->writer) == 0)
		code = store_fail(err, DL_ENOTFOUND, _("sheet %lld is not in the store"), (long long)id);
	sqlite3_finalize(stmt);
	pthread_mutex_unlock(&st->write_lock);
	return code;
}

int dl_store_check(dl_store *st, dl_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int code = store_acquire(st, &db, err);
	if (code < 0)
		return code;
	int rc = store_prepare(db, "PRAGMA integrity_check", &stmt);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *result = (const char *)sqlite3_column_text(stmt, 0);
		if (!result || strcmp(result, "ok") != 0)
			code = store_fail(err, DL_EINVALID, _("the store is damaged: %s"),
				    result ? result : "?");
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (code == 0 && rc == SQLITE_OK) {
		/* a row whose lineage names no row */
		rc = store_prepare(db, "PRAGMA foreign_key_check", &stmt);
		if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			code = store_fail(
			    err, DL_EINVALID,
			    _("the store is damaged: row %lld of table %s names a missing row"),
			    (long long)sqlite3_column_int64(stmt, 1),
			    (const char *)sqlite3_column_text(stmt, 0));
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			rc = SQLITE_OK;
		}
		sqlite3_finalize(stmt);
	}
	if (code == 0 && rc != SQLITE_OK)
		code = store_fail_db(err, db, rc, _("checking the file"));
	store_release(st, db);
	return code;
}
