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
 * Threads: one writer connection behind a mutex (SQLite has one writer at a time anyway, and
 * serialising our own writers here means they never meet SQLITE_BUSY), and reader connections
 * taken from a small pool, one per calling thread for the call: in WAL mode readers see the last
 * commit and never wait for the writer. Every connection is used by one thread at a time, so they
 * are opened SQLITE_OPEN_NOMUTEX. docs/store.md says why.
 *
 * Every statement is prepared with its values bound; no SQL is ever made from input.
 */
#include "store.h"

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

#ifndef _
#define _(msgid) dl_translate(msgid)
#endif

/* "DLST": PRAGMA application_id of a digilevel store. */
#define STORE_APPLICATION_ID 0x444c5354
/* How long a connection waits for another process's lock before giving up, milliseconds. */
#define STORE_BUSY_TIMEOUT_MS 5000
/* Reader connections kept open between calls; more are opened while more threads read at once. */
#define STORE_IDLE_READERS 8

/*
 * The migrations: MIGRATIONS[i] brings the schema from version i to i + 1. Forward only: a released
 * step is never changed, a new one is appended. Each runs in its own transaction with its row in
 * schema_version.
 */
static const char *const MIGRATIONS[] = {
    /* 1: the sheets, as received, with the fields derived from them; append only */
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
};
#define SCHEMA_VERSION ((int)(sizeof(MIGRATIONS) / sizeof(MIGRATIONS[0])))

/* The columns of a dl_store_row, in the order read_row reads them. */
#define ROW_COLUMNS                                                                                \
	"id, lineage, version, credit_code, name, phase, date, questionnaire_id,"                  \
	" questionnaire_version, questionnaire_sha256, draft, level, total, sha256, received,"     \
	" length(xml)"

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

/* --- errors ---------------------------------------------------------------------------------- */

/* err->file stays empty: the caller knows which store it opened and says so itself. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(dl_error *err, int code, const char *fmt, ...)
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
static int code_of(int rc)
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
static int fail_db(dl_error *err, sqlite3 *db, int rc, const char *what)
{
	return fail(err, code_of(rc), _("the store failed while %s: %s"), what,
		    db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

static int not_a_store(dl_error *err)
{
	return fail(
	    err, DL_EINVALID,
	    _("this file is not a digilevel store (it is not a database); it was left as it "
	      "is: give another --db file"));
}

/* --- connections ----------------------------------------------------------------------------- */

static int exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Prepare sql (a constant of this file) on db. */
static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt)
{
	return sqlite3_prepare_v2(db, sql, -1, stmt, NULL);
}

/* The integer of a one-row, one-column query, in *value. Returns an SQLite code. */
static int query_int(sqlite3 *db, const char *sql, int64_t *value)
{
	sqlite3_stmt *stmt = NULL;
	int rc = prepare(db, sql, &stmt);
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
		rc = exec(db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL");
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
static int acquire(dl_store *st, sqlite3 **out, dl_error *err)
{
	sqlite3 *db = NULL;
	pthread_mutex_lock(&st->pool_lock);
	if (st->idle_count > 0)
		db = st->idle[--st->idle_count];
	pthread_mutex_unlock(&st->pool_lock);
	if (!db) {
		int rc = open_connection(st->path, 0, &db);
		if (rc == SQLITE_OK)
			rc = exec(db, "PRAGMA query_only = ON");
		if (rc != SQLITE_OK) {
			sqlite3_close_v2(db);
			return fail(err, code_of(rc), _("the store cannot open a connection: %s"),
				    sqlite3_errstr(rc));
		}
	}
	*out = db;
	return 0;
}

static void release(dl_store *st, sqlite3 *db)
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
	int rc = query_int(db, "PRAGMA application_id", &app);
	if (rc == SQLITE_OK)
		rc = query_int(db, "SELECT count(*) FROM sqlite_schema", &objects);
	if ((rc & 0xff) == SQLITE_NOTADB)
		return not_a_store(err);
	if (rc != SQLITE_OK)
		return fail_db(err, db, rc, _("reading the file"));
	if (app == 0 && objects == 0)
		return 0;
	if (app != STORE_APPLICATION_ID)
		return fail(
		    err, DL_EINVALID,
		    _("this file is a database of another program, not a digilevel store; it was "
		      "left as it is: give another --db file"));
	rc = query_int(db, "SELECT max(version) FROM schema_version", version);
	if (rc != SQLITE_OK)
		return fail(
		    err, DL_EINVALID,
		    _("this digilevel store has no readable schema version (%s); it was left as it "
		      "is"),
		    sqlite3_errmsg(db));
	if (*version > SCHEMA_VERSION)
		return fail(
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
	int rc = prepare(db,
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
		int rc = exec(db, "BEGIN IMMEDIATE");
		if (rc != SQLITE_OK)
			return fail_db(err, db, rc, _("starting a migration"));
		int known = identify(db, &version, err);
		if (known < 0) {
			exec(db, "ROLLBACK");
			return known;
		}
		if (known == 0) {
			/* version 0: the file is a digilevel store with nothing in it yet */
			char sql[160];
			snprintf(sql, sizeof(sql),
				 "PRAGMA application_id = %d; CREATE TABLE schema_version"
				 " (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)",
				 STORE_APPLICATION_ID);
			rc = exec(db, sql);
			if (rc == SQLITE_OK)
				rc = record_version(db, 0);
		} else if (version == SCHEMA_VERSION) {
			exec(db, "ROLLBACK");
			st->schema_version = (int)version;
			return 0;
		} else {
			rc = exec(db, MIGRATIONS[version]);
			if (rc == SQLITE_OK)
				rc = record_version(db, (int)version + 1);
		}
		if (rc == SQLITE_OK)
			rc = exec(db, "COMMIT");
		if (rc != SQLITE_OK) {
			fail_db(err, db, rc, _("migrating the schema"));
			exec(db, "ROLLBACK");
			return err ? err->code : code_of(rc);
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
			return fail(err, DL_EIO, _("the store cannot be opened: %s"),
				    dl_strerror(errno));
		created = true;
	} else if (!S_ISREG(sb.st_mode)) {
		return fail(err, DL_EIO, _("the store must be a file, and this is not one"));
	}
	if (!(st = calloc(1, sizeof(*st))) || !(st->path = strdup(path))) {
		free(st);
		return fail(err, DL_ENOMEM, _("out of memory"));
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
			   : fail(err, code_of(rc), _("the store cannot be opened: %s"),
				  sqlite3_errstr(rc));
		goto done;
	}
	/* Until the file is known to be a store, closing must not checkpoint into it. */
	sqlite3_db_config(st->writer, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	int64_t version = 0;
	if ((code = identify(st->writer, &version, err)) < 0)
		goto done;
	sqlite3_stmt *stmt = NULL;
	if ((rc = prepare(st->writer, "PRAGMA journal_mode = WAL", &stmt)) == SQLITE_OK &&
	    (rc = sqlite3_step(stmt)) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(stmt, 0), "wal") != 0)
		rc = SQLITE_CANTOPEN; /* a file system without shared memory: no WAL */
	else if (rc == SQLITE_ROW)
		rc = SQLITE_OK;
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK) {
		code = fail(err, code_of(rc), _("the store cannot use write-ahead logging: %s"),
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
static void copy_text(char *dst, size_t size, sqlite3_stmt *stmt, int col)
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
	copy_text(row->credit_code, sizeof(row->credit_code), stmt, 3);
	copy_text(row->name, sizeof(row->name), stmt, 4);
	copy_text(row->phase, sizeof(row->phase), stmt, 5);
	copy_text(row->date, sizeof(row->date), stmt, 6);
	copy_text(row->questionnaire_id, sizeof(row->questionnaire_id), stmt, 7);
	copy_text(row->questionnaire_version, sizeof(row->questionnaire_version), stmt, 8);
	copy_text(row->questionnaire_sha256, sizeof(row->questionnaire_sha256), stmt, 9);
	row->draft = sqlite3_column_int(stmt, 10) != 0;
	row->level = sqlite3_column_int(stmt, 11);
	copy_text(row->total, sizeof(row->total), stmt, 12);
	copy_text(row->sha256, sizeof(row->sha256), stmt, 13);
	copy_text(row->received, sizeof(row->received), stmt, 14);
	row->xml_len = (size_t)sqlite3_column_int64(stmt, 15);
}

/* Bind a field of a dl_store_row (a char array, NUL-terminated within its size). */
static int bind_field(sqlite3_stmt *stmt, int i, const char *field, size_t size)
{
	return sqlite3_bind_text(stmt, i, field, (int)strnlen(field, size - 1), SQLITE_TRANSIENT);
}
#define BIND_FIELD(stmt, i, f) bind_field(stmt, i, f, sizeof(f))

/* The lower-case hex SHA-256 of data. */
static void sha256_hex(const char *data, size_t len, char hex[65])
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
	int rc = prepare(st->writer, "SELECT " ROW_COLUMNS " FROM sheet WHERE id = ?1", &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, id);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		read_row(stmt, row);
		rc = SQLITE_OK;
	}
	int code = rc == SQLITE_OK ? 0 : fail_db(err, st->writer, rc, _("reading a saved sheet"));
	sqlite3_finalize(stmt);
	return code;
}

/* In the writer's transaction: the new row's id, lineage and version for put. */
static int place(dl_store *st, const dl_store_sheet *put, int64_t *id, int64_t *lineage,
		 int64_t *version, dl_error *err)
{
	sqlite3 *db = st->writer;
	int rc = query_int(
	    db,
	    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'sheet'), 0),"
	    " coalesce((SELECT max(id) FROM sheet), 0)) + 1",
	    id);
	if (rc != SQLITE_OK)
		return fail_db(err, db, rc, _("saving a sheet"));
	*lineage = *id;
	*version = 1;
	if (put->replaces == 0)
		return 0;
	sqlite3_stmt *stmt = NULL;
	rc = prepare(
	    db,
	    "SELECT s.lineage, (SELECT max(version) FROM sheet t WHERE t.lineage = s.lineage)"
	    " FROM sheet s WHERE s.id = ?1",
	    &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, put->replaces);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	int code = 0;
	if (rc == SQLITE_ROW) {
		*lineage = sqlite3_column_int64(stmt, 0);
		*version = sqlite3_column_int64(stmt, 1) + 1;
	} else if (rc == SQLITE_DONE) {
		code = fail(err, DL_ENOTFOUND,
			    _("sheet %lld, which this one would replace, is not in the store"),
			    (long long)put->replaces);
	} else {
		code = fail_db(err, db, rc, _("saving a sheet"));
	}
	sqlite3_finalize(stmt);
	return code;
}

static int insert(dl_store *st, const dl_store_sheet *put, int64_t id, int64_t lineage,
		  int64_t version, dl_error *err)
{
	const dl_store_row *f = &put->fields;
	char sha256[65];
	sha256_hex(put->xml, put->xml_len, sha256);
	sqlite3_stmt *stmt = NULL;
	int rc = prepare(
	    st->writer,
	    "INSERT INTO sheet (id, lineage, version, credit_code, name, phase, date,"
	    " questionnaire_id, questionnaire_version, questionnaire_sha256, draft, level,"
	    " total, sha256, received, xml) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?11, ?12, ?13, ?14, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?15)",
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
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_DONE)
		rc = SQLITE_OK;
	int code = rc == SQLITE_OK ? 0 : fail_db(err, st->writer, rc, _("saving a sheet"));
	sqlite3_finalize(stmt);
	return code;
}

int dl_store_put(dl_store *st, const dl_store_sheet *put, dl_store_row *row, dl_error *err)
{
	if (!put->xml && put->xml_len > 0)
		return fail(err, DL_EINVALID, _("a sheet to save has no text"));
	if (put->fields.level < -1 || put->fields.level > 4)
		return fail(err, DL_EINVALID, _("a sheet to save has level %d, not -1 to 4"),
			    put->fields.level);
	pthread_mutex_lock(&st->write_lock);
	sqlite3 *db = st->writer;
	int64_t id = 0, lineage = 0, version = 0;
	int code = 0, rc = exec(db, "BEGIN IMMEDIATE");
	if (rc != SQLITE_OK) {
		code = fail_db(err, db, rc, _("saving a sheet"));
		goto done;
	}
	if ((code = place(st, put, &id, &lineage, &version, err)) < 0 ||
	    (code = insert(st, put, id, lineage, version, err)) < 0) {
		exec(db, "ROLLBACK");
		goto done;
	}
	/* durable once COMMIT returns: the WAL is synced (synchronous = FULL) */
	if ((rc = exec(db, "COMMIT")) != SQLITE_OK) {
		code = fail_db(err, db, rc, _("saving a sheet"));
		exec(db, "ROLLBACK");
		goto done;
	}
	if (row)
		code = read_back(st, id, row, err);
done:
	pthread_mutex_unlock(&st->write_lock);
	return code;
}

int dl_store_get(dl_store *st, int64_t id, dl_store_row *row, char **xml, size_t *xml_len,
		 dl_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	dl_store_row found;
	char *copy = NULL;
	int code = acquire(st, &db, err);
	if (code < 0)
		return code;
	int rc = prepare(db, "SELECT " ROW_COLUMNS ", xml FROM sheet WHERE id = ?1", &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		code = fail(err, DL_ENOTFOUND, _("sheet %lld is not in the store"), (long long)id);
		goto done;
	}
	if (rc != SQLITE_ROW) {
		code = fail_db(err, db, rc, _("reading a sheet"));
		goto done;
	}
	read_row(stmt, &found);
	if (xml) {
		const void *blob = sqlite3_column_blob(stmt, 16);
		size_t len = (size_t)sqlite3_column_bytes(stmt, 16);
		if (!(copy = malloc(len + 1))) {
			code = fail(err, DL_ENOMEM, _("out of memory"));
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
	release(st, db);
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
	int code = acquire(st, &db, err);
	if (code < 0)
		return code;
	/* the newest version of a lineage is its highest id; filters apply to the rows returned */
	int rc = prepare(
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
				code = fail(err, DL_ENOMEM, _("out of memory"));
				goto done;
			}
			list = grown;
			cap = grown_cap;
		}
		read_row(stmt, &list[n++]);
	}
	if (rc != SQLITE_DONE) {
		code = fail_db(err, db, rc, _("listing sheets"));
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
	release(st, db);
	return code;
}

int dl_store_each(dl_store *st, dl_store_each_fn fn, void *userdata, dl_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int code = acquire(st, &db, err);
	if (code < 0)
		return code;
	/* one statement: one read transaction, so the rows are one snapshot of the store */
	int rc = prepare(db, "SELECT " ROW_COLUMNS ", xml FROM sheet ORDER BY id", &stmt);
	while (rc == SQLITE_OK || rc == SQLITE_ROW) {
		if ((rc = sqlite3_step(stmt)) != SQLITE_ROW)
			break;
		dl_store_row row;
		read_row(stmt, &row);
		/* as text, so that the borrowed XML ends in a NUL as well */
		const char *xml = (const char *)sqlite3_column_text(stmt, 16);
		size_t len = (size_t)sqlite3_column_bytes(stmt, 16);
		if (!xml) {
			rc = SQLITE_NOMEM;
			break;
		}
		if ((code = fn(&row, xml, len, userdata)) < 0)
			goto done;
	}
	if (rc != SQLITE_DONE)
		code = fail_db(err, db, rc, _("reading the sheets"));
done:
	sqlite3_finalize(stmt);
	release(st, db);
	return code;
}

int dl_store_set_score(dl_store *st, int64_t id, int level, const char *total,
		       const char *questionnaire_sha256, dl_error *err)
{
	if (level < -1 || level > 4)
		return fail(err, DL_EINVALID, _("a score to save has level %d, not -1 to 4"),
			    level);
	pthread_mutex_lock(&st->write_lock);
	sqlite3_stmt *stmt = NULL;
	int code = 0,
	    rc = prepare(st->writer,
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
		code = fail_db(err, st->writer, rc, _("saving a score"));
	else if (sqlite3_changes(st->writer) == 0)
		code = fail(err, DL_ENOTFOUND, _("sheet %lld is not in the store"), (long long)id);
	sqlite3_finalize(stmt);
	pthread_mutex_unlock(&st->write_lock);
	return code;
}

int dl_store_check(dl_store *st, dl_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int code = acquire(st, &db, err);
	if (code < 0)
		return code;
	int rc = prepare(db, "PRAGMA integrity_check", &stmt);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *result = (const char *)sqlite3_column_text(stmt, 0);
		if (!result || strcmp(result, "ok") != 0)
			code = fail(err, DL_EINVALID, _("the store is damaged: %s"),
				    result ? result : "?");
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (code == 0 && rc == SQLITE_OK) {
		/* a row whose lineage names no row */
		rc = prepare(db, "PRAGMA foreign_key_check", &stmt);
		if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			code = fail(
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
		code = fail_db(err, db, rc, _("checking the file"));
	release(st, db);
	return code;
}
