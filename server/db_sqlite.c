/*
 * db_sqlite.c: the SQLite engine of the db layer (db_engine.h): the store in one file.
 *
 * Every connection: extended result codes, a busy timeout for another process's lock (an export
 * beside a running server), defensive mode (no writing to the schema by hand), no trust in the
 * schema's functions, foreign keys on, synchronous=FULL (a commit returns once the write-ahead log
 * is on disk, so an acknowledged write survives kill -9 and a power cut). Each connection is used
 * by one thread at a time (db.c), so they are opened SQLITE_OPEN_NOMUTEX. Readers are query_only.
 *
 * The file: created mode 0600 when missing (it holds enterprises' data; SQLite gives its -wal and
 * -shm files the same mode), and its folder synced so that the new name survives a power cut. The
 * writer switches it to write-ahead logging (readers never wait for the writer and see the last
 * commit) only when it is empty or a digilevel store (DB_SQLITE_APPLICATION_ID): a file that is
 * not is left as it is, and no connection checkpoints into it when it closes.
 *
 * Transactions: BEGIN IMMEDIATE takes SQLite's one write lock at once, so another process's writer
 * waits (busy timeout) rather than meeting a deadlocked upgrade from reader to writer.
 */
#include "db_sqlite.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/* How long a connection waits for another process's lock before giving up, milliseconds. */
#define DB_SQLITE_BUSY_TIMEOUT_MS 5000
/* Tables whose ids db_next_id hands out (the store has five). */
#define DB_SQLITE_ID_TABLES 16

/* The engine's data of a db: the file, and the ids handed out in this process (see next_id). */
typedef struct sqlite_db {
	char *path;
	struct {
		char table[32];
		int64_t last;
	} given[DB_SQLITE_ID_TABLES]; /* used in the writer's transaction only (write_lock) */
} sqlite_db;

typedef struct sqlite_stmt {
	struct db_stmt base;
	sqlite3_stmt *stmt;
	int64_t changes;
} sqlite_stmt;

#define HANDLE(c) ((sqlite3 *)(c)->handle)
#define STMT(s) (((sqlite_stmt *)(s))->stmt)

int db_sqlite_not_a_store(dl_error *err)
{
	return db_failf(err, DL_EINVALID,
		    _("this file is not a digilevel store (it is not a database); it was left as it "
		      "is: give another --db file"));
}

bool db_sqlite_not_a_database(const db_conn *c)
{
	return c && c->handle && (sqlite3_errcode(HANDLE(c)) & 0xff) == SQLITE_NOTADB;
}

/* The DL_E* code of an SQLite result code; a busy database beyond the timeout is DL_EIO. */
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

/* Record SQLite's words about rc on c, and return rc's DL_E* code. */
static int failed(db_conn *c, int rc)
{
	db_set_message(c, "%s", c->handle ? sqlite3_errmsg(HANDLE(c)) : sqlite3_errstr(rc));
	return code_of(rc);
}

/* The folder of path, synced, so that a new file's name survives a power cut. */
static void sync_folder_of(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

static int sqlite_open(db *d, const char *target, dl_error *err)
{
	struct stat sb;
	bool created = false;
	if (stat(target, &sb) != 0) {
		if (errno != ENOENT)
			return db_failf(err, DL_EIO, _("the store cannot be opened: %s"),
				    dl_strerror(errno));
		/* the store holds enterprises' data: a new one is for its owner only */
		int fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			return db_failf(err, DL_EIO, _("the store cannot be opened: %s"),
				    dl_strerror(errno));
		if (fd >= 0) {
			close(fd);
			created = true;
		}
	} else if (!S_ISREG(sb.st_mode)) {
		return db_failf(err, DL_EIO, _("the store must be a file, and this is not one"));
	}
	sqlite_db *e = calloc(1, sizeof(*e));
	if (!e || !(e->path = strdup(target))) {
		free(e);
		return db_failf(err, DL_ENOMEM, _("out of memory"));
	}
	if (created)
		sync_folder_of(target);
	d->engine_data = e;
	snprintf(d->version, sizeof(d->version), "sqlite %s", sqlite3_libversion());
	return 0;
}

static void sqlite_close(db *d)
{
	sqlite_db *e = d->engine_data;
	if (e)
		free(e->path);
	free(e);
	d->engine_data = NULL;
}

/* The settings every connection gets (see the header comment). */
static int configure(sqlite3 *h)
{
	sqlite3_extended_result_codes(h, 1);
	int rc = sqlite3_busy_timeout(h, DB_SQLITE_BUSY_TIMEOUT_MS);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	/* until the file is known as a store, closing must not checkpoint into it; readers never
	 * do (the writer, closed last by db_close, does) */
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL", NULL, NULL,
				  NULL);
	return rc;
}

static int query_int(sqlite3 *h, const char *sql, int64_t *value)
{
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(h, sql, -1, &stmt, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*value = sqlite3_column_int64(stmt, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* The writer: when the file is empty or a store, switch it to write-ahead logging and let
 * closing checkpoint; otherwise leave it untouched (the store's identify refuses it). */
static int writer_setup(db_conn *c, dl_error *err)
{
	sqlite3 *h = HANDLE(c);
	int64_t app = 0, objects = 0;
	int rc = query_int(h, "PRAGMA application_id", &app);
	if (rc == SQLITE_OK)
		rc = query_int(h, "SELECT count(*) FROM sqlite_schema", &objects);
	if ((rc & 0xff) == SQLITE_NOTADB)
		return db_sqlite_not_a_store(err);
	if (rc != SQLITE_OK)
		return db_failf(err, code_of(rc), _("the store cannot be opened: %s"),
			    sqlite3_errmsg(h));
	if (app != DB_SQLITE_APPLICATION_ID && (app != 0 || objects != 0))
		return 0;
	sqlite3_stmt *stmt = NULL;
	if ((rc = sqlite3_prepare_v2(h, "PRAGMA journal_mode = WAL", -1, &stmt, NULL)) == SQLITE_OK &&
	    (rc = sqlite3_step(stmt)) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(stmt, 0), "wal") != 0)
		rc = SQLITE_CANTOPEN; /* a file system without shared memory: no WAL */
	else if (rc == SQLITE_ROW)
		rc = SQLITE_OK;
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK)
		return db_failf(err, code_of(rc), _("the store cannot use write-ahead logging: %s"),
			    sqlite3_errstr(rc));
	sqlite3_db_config(h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
	return 0;
}

static int sqlite_connect(db *d, db_conn *c, dl_error *err)
{
	const sqlite_db *e = d->engine_data;
	sqlite3 *h = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (c->writer ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(e->path, &h, flags, NULL);
	if (rc == SQLITE_OK)
		rc = configure(h);
	if (rc == SQLITE_OK && !c->writer)
		rc = sqlite3_exec(h, "PRAGMA query_only = ON", NULL, NULL, NULL);
	int code = 0;
	if ((rc & 0xff) == SQLITE_NOTADB)
		code = db_sqlite_not_a_store(err);
	else if (rc != SQLITE_OK)
		code = db_failf(err, code_of(rc), _("the store cannot open a connection: %s"),
			    sqlite3_errstr(rc));
	c->handle = h;
	if (code == 0 && c->writer)
		code = writer_setup(c, err);
	if (code < 0) {
		sqlite3_close_v2(h);
		c->handle = NULL;
	}
	return code;
}

static void sqlite_disconnect(db_conn *c)
{
	sqlite3_close_v2(HANDLE(c));
	c->handle = NULL;
}

static int sqlite_exec(db_conn *c, const char *sql)
{
	int rc = sqlite3_exec(HANDLE(c), sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : failed(c, rc);
}

static int sqlite_begin(db_conn *c)
{
	return sqlite_exec(c, "BEGIN IMMEDIATE");
}

static int sqlite_prepare(db_conn *c, const char *sql, db_stmt **out)
{
	sqlite_stmt *s = calloc(1, sizeof(*s));
	if (!s) {
		db_set_message(c, "out of memory");
		return DL_ENOMEM;
	}
	int rc = sqlite3_prepare_v2(HANDLE(c), sql, -1, &s->stmt, NULL);
	if (rc != SQLITE_OK) {
		int code = failed(c, rc);
		sqlite3_finalize(s->stmt);
		free(s);
		return code;
	}
	s->base.conn = c;
	*out = &s->base;
	return 0;
}

/* The result of a bind call: 0, or SQLite's words on the statement's connection. */
static int bound(db_stmt *s, int rc)
{
	return rc == SQLITE_OK ? 0 : failed(s->conn, rc);
}

static int sqlite_bind_int64(db_stmt *s, int i, int64_t value)
{
	return bound(s, sqlite3_bind_int64(STMT(s), i, value));
}

static int sqlite_bind_text(db_stmt *s, int i, const char *text, size_t len)
{
	return bound(s, sqlite3_bind_text64(STMT(s), i, text, len, SQLITE_TRANSIENT, SQLITE_UTF8));
}

static int sqlite_bind_blob(db_stmt *s, int i, const void *data, size_t len)
{
	return bound(s, sqlite3_bind_blob64(STMT(s), i, data, len, SQLITE_STATIC));
}

static int sqlite_bind_null(db_stmt *s, int i)
{
	return bound(s, sqlite3_bind_null(STMT(s), i));
}

static int sqlite_step(db_stmt *s)
{
	sqlite_stmt *x = (sqlite_stmt *)s;
	int rc = sqlite3_step(x->stmt);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		x->changes = sqlite3_changes64(HANDLE(s->conn));
		return rc == SQLITE_ROW ? DB_ROW : DB_DONE;
	}
	return failed(s->conn, rc);
}

static int64_t sqlite_column_int64(db_stmt *s, int col)
{
	return sqlite3_column_int64(STMT(s), col);
}

/* Text, and a blob read as text: SQLite ends both with a NUL. */
static const char *sqlite_column_text(db_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(STMT(s), col);
}

static const void *sqlite_column_blob(db_stmt *s, int col)
{
	return sqlite3_column_blob(STMT(s), col);
}

static size_t sqlite_column_bytes(db_stmt *s, int col)
{
	return (size_t)sqlite3_column_bytes(STMT(s), col);
}

static bool sqlite_column_is_null(db_stmt *s, int col)
{
	return sqlite3_column_type(STMT(s), col) == SQLITE_NULL;
}

static int64_t sqlite_changes(db_stmt *s)
{
	return ((sqlite_stmt *)s)->changes;
}

static int sqlite_reset(db_stmt *s)
{
	sqlite_stmt *x = (sqlite_stmt *)s;
	x->changes = 0;
	sqlite3_reset(x->stmt); /* returns the last step's error again: that was reported then */
	return bound(s, sqlite3_clear_bindings(x->stmt));
}

static void sqlite_finalize(db_stmt *s)
{
	sqlite3_finalize(STMT(s));
	free(s);
}

/* Is name one of the store's table names (letters and '_'), safe to put into SQL quoted? */
static bool table_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= sizeof(((sqlite_db *)0)->given[0].table))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || name[i] == '_'))
			return false;
	return true;
}

/*
 * The next id of table: after the largest ever given, by AUTOINCREMENT's record (sqlite_sequence,
 * which an explicit id moves on too) and by the rows themselves. A rolled-back transaction undoes
 * sqlite_sequence as well, so the ids this process handed out are remembered too: an id is never
 * given twice by one process, even after a rollback (a row that was rolled back was never seen).
 */
static int sqlite_next_id(db_conn *c, const char *table, int64_t *id)
{
	sqlite_db *e = c->owner->engine_data;
	if (!table_name(table)) {
		db_set_message(c, "no table '%s' has ids", table);
		return DL_EINVALID;
	}
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '%s'), 0),"
		 " coalesce((SELECT max(id) FROM \"%s\"), 0)) + 1",
		 table, table);
	int64_t next = 0;
	int rc = query_int(HANDLE(c), sql, &next);
	if (rc != SQLITE_OK)
		return failed(c, rc);
	size_t i = 0;
	while (i < DB_SQLITE_ID_TABLES && e->given[i].table[0] && strcmp(e->given[i].table, table))
		i++;
	if (i < DB_SQLITE_ID_TABLES) {
		if (!e->given[i].table[0])
			snprintf(e->given[i].table, sizeof(e->given[i].table), "%s", table);
		if (next <= e->given[i].last)
			next = e->given[i].last + 1;
		e->given[i].last = next;
	}
	*id = next;
	return 0;
}

/* --- backup ------------------------------------------------------------------------------------ */

static int sync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * SQLite's online backup into a new file: all pages in one step from a reader connection (one
 * snapshot; writers go on, WAL), written beside path, switched to a rollback journal (one file),
 * synced, then linked to path, which fails rather than replace a file made meanwhile.
 */
static int sqlite_backup(db *d, const char *path, dl_error *err)
{
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return db_failf(err, DL_EIO,
			    _("%s already exists: a backup never replaces a file; give a new name"),
			    path);
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		return db_failf(err, DL_ENOMEM, _("out of memory"));
	snprintf(tmp, n, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp); /* beside path: link() below stays on one file system; mode 0600 */
	if (fd < 0) {
		int e = errno;
		free(tmp);
		return db_failf(err, DL_EIO, _("cannot write a backup beside %s: %s"), path,
			    dl_strerror(e));
	}
	close(fd);
	db_conn *src = NULL;
	sqlite3 *dst = NULL;
	int code = db_acquire(d, &src, err);
	if (code < 0)
		goto done;
	int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(dst, "main", HANDLE(src), "main")
					    : NULL;
	if (!b) {
		code = db_failf(err, code_of(rc == SQLITE_OK ? sqlite3_errcode(dst) : rc),
			    _("the store failed while %s: %s"), _("starting a backup"),
			    dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	} else {
		rc = sqlite3_backup_step(b, -1);
		int finish = sqlite3_backup_finish(b);
		if (rc == SQLITE_DONE)
			rc = finish;
		if (rc != SQLITE_OK)
			code = db_failf(err, code_of(rc), _("the backup failed: %s"), sqlite3_errstr(rc));
	}
	/* the copy in rollback-journal mode: one file, nothing beside it */
	if (code == 0 &&
	    sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
		code = db_failf(err, code_of(sqlite3_errcode(dst)), _("the store failed while %s: %s"),
			    _("finishing a backup"), sqlite3_errmsg(dst));
	if (sqlite3_close(dst) != SQLITE_OK && code == 0)
		code = db_failf(err, DL_EIO, _("finishing a backup failed"));
	dst = NULL;
	db_release(d, src);
	if (code == 0 && sync_file(tmp) != 0)
		code = db_failf(err, DL_EIO, _("cannot write the backup to disk: %s"),
			    dl_strerror(errno));
	/* link, not rename: fails rather than replace a file made meanwhile at path */
	if (code == 0 && link(tmp, path) != 0)
		code = db_failf(err, DL_EIO,
			    errno == EEXIST ? _("%s already exists: a backup never replaces a file; "
						"give a new name")
					    : _("cannot put the backup at %s"),
			    path);
	if (code == 0)
		sync_folder_of(path);
done:
	sqlite3_close(dst);
	unlink(tmp);
	free(tmp);
	return code;
}

const db_ops db_sqlite_ops = {
    .engine = DB_SQLITE,
    .open = sqlite_open,
    .close = sqlite_close,
    .connect = sqlite_connect,
    .disconnect = sqlite_disconnect,
    .begin = sqlite_begin,
    .exec = sqlite_exec,
    .prepare = sqlite_prepare,
    .bind_int64 = sqlite_bind_int64,
    .bind_text = sqlite_bind_text,
    .bind_blob = sqlite_bind_blob,
    .bind_null = sqlite_bind_null,
    .step = sqlite_step,
    .column_int64 = sqlite_column_int64,
    .column_text = sqlite_column_text,
    .column_blob = sqlite_column_blob,
    .column_bytes = sqlite_column_bytes,
    .column_is_null = sqlite_column_is_null,
    .changes = sqlite_changes,
    .reset = sqlite_reset,
    .finalize = sqlite_finalize,
    .next_id = sqlite_next_id,
    .backup = sqlite_backup,
};
