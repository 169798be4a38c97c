/*
 * test_db_pg.c: what is PostgreSQL's own in the db layer (server/db_pg.c) and the store's schema
 * there (server/store_schema_pg.c), against the real server of the test run: tests/run.sh starts a
 * throwaway cluster (tests/scripts/pg_cluster.sh) and names it in DL_TEST_PG (and its directory in
 * DL_TEST_PG_CLUSTER, for the restart). Each part works in a database of its own, made here.
 *
 * ?N becomes $N outside quoted text only; bytea round trips with zero bytes and 1 MB; rows stream
 * one at a time (10,000 read, 100,000,000 abandoned after a few, on a reader and in a writer's
 * transaction) and two statements on one connection both stay right; two writers (two db, as two
 * processes) updating a counter read-then-write end exact (the advisory lock); a constraint is
 * DL_EINVALID and a transaction a failure ended never commits; the migrations, knowing a store,
 * refusing others, the append-only triggers and the integrity check; a server that restarts costs
 * no failed call (a reader's statement and the writer's BEGIN connect again), one that is away
 * gives DL_EUNAVAILABLE until it is back, and then every acknowledged write is there.
 */
#define _POSIX_C_SOURCE 200809L
#include "db.h"
#include "store_schema.h"
#include "test_util.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

static const char *server; /* DL_TEST_PG */

/* A new empty database of the test cluster: its URL in url. */
static bool fresh_database(char *url, size_t size)
{
	static int made;
	char name[64];
	snprintf(name, sizeof(name), "t_db_pg_%ld_%d", (long)getpid(), ++made);
	PGconn *pg = PQconnectdb(server);
	bool ok = PQstatus(pg) == CONNECTION_OK;
	if (ok) {
		char sql[128];
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
		PGresult *r = PQexec(pg, sql);
		ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			printf("# %s\n", PQresultErrorMessage(r));
		PQclear(r);
	} else {
		printf("# %s\n", PQerrorMessage(pg));
	}
	PQfinish(pg);
	/* postgresql:///postgres?host=...: the same with the new name */
	const char *at = strstr(server, "/postgres?");
	if (ok && at)
		snprintf(url, size, "%.*s/%s%s", (int)(at - server), server, name, at + 9);
	return check(ok && at, "a fresh database %s", name);
}

static db *open_fresh(void)
{
	char url[512];
	db *d = NULL;
	dl_error err = {0};
	if (!fresh_database(url, sizeof(url)))
		return NULL;
	int code = db_open(&d, url, 4, &err);
	if (!check(code == 0, "db_open %s", url)) {
		printf("# %s\n", err.message);
		return NULL;
	}
	return d;
}

/* Run sql on a reader; 0 or the error. */
static int run(db *d, const char *sql)
{
	db_conn *c = NULL;
	dl_error err = {0};
	int code = db_acquire(d, &c, &err);
	if (code == 0) {
		code = db_exec(c, sql);
		if (code < 0)
			printf("# %s: %s\n", sql, db_message(c));
		db_release(d, c);
	}
	return code;
}

static void test_basics(void)
{
	db *d = open_fresh();
	if (!d)
		return;
	check(db_engine_of(d) == DB_POSTGRES, "a postgresql:// target is PostgreSQL");
	db_conn *c = NULL;
	dl_error err = {0};
	if (!check(db_acquire(d, &c, &err) == 0, "a reader connects"))
		goto done;
	check(strncmp(db_version(d), "postgresql 1", 12) == 0, "the version names the server: %s",
	      db_version(d));
	int64_t v = 0;
	check(db_query_int(c, "SELECT 1 = 1", &v) == 0 && v == 1, "a boolean reads as 1");
	check(db_query_int(c, "SELECT 9223372036854775807", &v) == 0 && v == INT64_MAX,
	      "a bigint reads whole");
	check(db_query_int(c, "SELECT 1 WHERE false", &v) == DL_ENOTFOUND, "no row: DL_ENOTFOUND");

	/* ?N outside quoted text and identifiers only */
	db_stmt *s = NULL;
	int rc = db_prepare(c,
			    "SELECT ?2 || '?1 ''?2''' || ?1 AS \"x?1\", 'E' || E'\\'?1' -- ?3\n"
			    ", ?1 /* '?3 */",
			    &s);
	if (check(rc == 0, "prepare with quoted ?N")) {
		check(db_bind_cstr(s, 1, "A") == 0 && db_bind_cstr(s, 2, "B") == 0, "bind ?1 ?2");
		check(db_bind_cstr(s, 3, "C") == DL_EINVALID,
		      "?3 in a comment is not a parameter: binding it is refused");
		rc = db_step(s);
		check(rc == DB_ROW && strcmp(db_column_text(s, 0), "B?1 '?2'A") == 0,
		      "quoted '?1' is left as it is: %s", rc == DB_ROW ? db_column_text(s, 0) : "-");
		check(rc == DB_ROW && strcmp(db_column_text(s, 1), "E'?1") == 0,
		      "E'...' with \\' is left as it is: %s", rc == DB_ROW ? db_column_text(s, 1) : "-");
		check(rc == DB_ROW && strcmp(db_column_text(s, 2), "A") == 0, "?1 after comments");
		check(db_step(s) == DB_DONE, "one row");
	}
	db_finalize(s);
	s = NULL;
	check(db_prepare(c, "SELECT ?70000", &s) == DL_EINVALID && !s,
	      "a parameter number beyond 65535 is refused");

	/* a failure on a reader leaves it usable */
	check(db_exec(c, "SELECT * FROM no_such_table") == DL_EIO, "an unknown table is DL_EIO");
	check(strstr(db_message(c), "no_such_table") != NULL, "the server's message: %s",
	      db_message(c));
	check(db_query_int(c, "SELECT 7", &v) == 0 && v == 7, "the connection works after a failure");

	/* next_id: the identity column's sequence, "user" quoted */
	check(db_exec(c, "CREATE TABLE \"user\" (id bigint GENERATED BY DEFAULT AS IDENTITY"
			 " PRIMARY KEY, name text)") == 0,
	      "a table named user");
	db_release(d, c);
	c = NULL;
	if (check(db_begin(d, &c, "testing", &err) == 0, "db_begin")) {
		int64_t a = 0, b = 0;
		bool counted = db_next_id(c, "user", &a) == 0 && db_next_id(c, "user", &b) == 0;
		check(counted && a == 1 && b == 2, "next_id counts up: %lld %lld", (long long)a,
		      (long long)b);
		check(db_next_id(c, "user; DROP", &a) == DL_EINVALID, "next_id of a bad name refused");
		s = NULL;
		check(db_prepare(c, "SHOW statement_timeout", &s) == 0 && db_step(s) == DB_ROW &&
			  strcmp(db_column_text(s, 0), "30s") == 0,
		      "the writer's statements are limited to 30 s");
		db_finalize(s);
		db_rollback(d, c);
	}
	if (check(db_begin(d, &c, "testing", &err) == 0, "db_begin again")) {
		int64_t a = 0;
		bool counted = db_next_id(c, "user", &a) == 0;
		check(counted && a == 3, "never reused after a rollback: %lld", (long long)a);
		s = NULL;
		rc = db_prepare(c, "INSERT INTO \"user\" (name) VALUES (?1), (?1) RETURNING id", &s);
		check(rc == 0 && db_bind_cstr(s, 1, "名字") == 0 && db_step(s) == DB_ROW &&
			  db_column_int64(s, 0) == 4 && db_step(s) == DB_ROW && db_step(s) == DB_DONE &&
			  db_changes(s) == 2,
		      "INSERT ... RETURNING: the ids, then the changes");
		db_finalize(s);
		s = NULL;
		rc = db_prepare(c, "UPDATE \"user\" SET name = ?1 WHERE name = ?2", &s);
		check(rc == 0 && db_bind_cstr(s, 1, "x") == 0 && db_bind_cstr(s, 2, "名字") == 0 &&
			  db_step(s) == DB_DONE && db_changes(s) == 2,
		      "UPDATE: changes counts the rows");
		db_finalize(s);
		check(db_commit(d, c, "testing", &err) == 0, "commit");
	}
	check(db_backup(d, "/tmp/never", &err) == DL_EINVALID && strstr(err.message, "pg_dump"),
	      "backup is refused, naming pg_dump: %s", err.message);
done:
	db_close(d);
}

static void test_values(void)
{
	db *d = open_fresh();
	if (!d)
		return;
	db_conn *c = NULL;
	dl_error err = {0};
	check(run(d, "CREATE TABLE t (n bigint, s text, b bytea)") == 0, "a table");
	size_t big = 1 << 20;
	unsigned char *mb = malloc(big);
	for (size_t i = 0; mb && i < big; i++)
		mb[i] = (unsigned char)((i * 2654435761u) >> 13); /* every byte value, zeros too */
	static const unsigned char zeros[] = {'a', 0, 'b', 0, 0};
	if (mb && check(db_begin(d, &c, "testing", &err) == 0, "db_begin")) {
		db_stmt *s = NULL;
		int rc = db_prepare(c, "INSERT INTO t (n, s, b) VALUES (?1, ?2, ?3)", &s);
		struct {
			int64_t n;
			const char *s;
			const void *b;
			size_t len;
		} rows[] = {{1, "零字节", zeros, sizeof(zeros)},
			    {2, "", mb, big},
			    {3, "x", "", 0},
			    {-9223372036854775807 - 1, NULL, NULL, 0}};
		for (size_t i = 0; rc == 0 && i < 4; i++) {
			rc = db_bind_int64(s, 1, rows[i].n);
			if (rc == 0)
				rc = rows[i].s ? db_bind_cstr(s, 2, rows[i].s) : db_bind_null(s, 2);
			if (rc == 0 && rows[i].b) {
				rc = db_bind_blob(s, 3, rows[i].b, rows[i].len);
			} else if (rc == 0) {
				/* a NULL is bound as text (db_pg.c): a NULL bytea is written in SQL */
				db_finalize(s);
				rc = db_prepare(c, "INSERT INTO t (n, s, b) VALUES (?1, ?2, NULL)", &s);
				if (rc == 0)
					rc = db_bind_int64(s, 1, rows[i].n);
				if (rc == 0)
					rc = db_bind_null(s, 2);
			}
			if (rc == 0 && (rc = db_step(s)) == DB_DONE)
				rc = db_reset(s);
		}
		check(rc == 0, "insert text, bytea with zeros, 1 MB, empty and NULL");
		db_finalize(s);
		check(db_commit(d, c, "testing", &err) == 0, "commit");
	}
	if (mb && check(db_acquire(d, &c, &err) == 0, "a reader")) {
		db_stmt *s = NULL;
		int rc = db_prepare(c, "SELECT n, s, b, length(b) FROM t ORDER BY n", &s);
		rc = rc == 0 ? db_step(s) : rc;
		check(rc == DB_ROW && db_column_int64(s, 0) == INT64_MIN && db_column_is_null(s, 1) &&
			  !db_column_text(s, 1) && !db_column_blob(s, 2) &&
			  db_column_bytes(s, 2) == 0 && db_column_is_null(s, 3) &&
			  db_column_int64(s, 3) == 0,
		      "NULL reads as NULL, 0 and length 0; INT64_MIN whole");
		rc = db_step(s);
		check(rc == DB_ROW && db_column_bytes(s, 2) == sizeof(zeros) &&
			  memcmp(db_column_blob(s, 2), zeros, sizeof(zeros)) == 0 &&
			  strcmp(db_column_text(s, 1), "零字节") == 0,
		      "bytea with zero bytes and UTF-8 text round trip");
		rc = db_step(s);
		check(rc == DB_ROW && db_column_bytes(s, 2) == big &&
			  memcmp(db_column_blob(s, 2), mb, big) == 0 && db_column_int64(s, 3) == (int64_t)big &&
			  ((const char *)db_column_blob(s, 2))[big] == '\0',
		      "1 MB of bytea round trips (and is NUL-terminated)");
		rc = db_step(s);
		check(rc == DB_ROW && !db_column_is_null(s, 2) && db_column_bytes(s, 2) == 0 &&
			  db_column_blob(s, 2) != NULL,
		      "an empty bytea is not NULL");
		check(db_step(s) == DB_DONE, "four rows");
		db_finalize(s);
		s = NULL;
		/* a filter that may be NULL, tested before it is compared (store.c's lists) */
		rc = db_prepare(c, "SELECT count(*) FROM t WHERE (?1 IS NULL OR s = ?1)", &s);
		check(rc == 0 && db_bind_null(s, 1) == 0 && db_step(s) == DB_ROW &&
			  db_column_int64(s, 0) == 4,
		      "?1 IS NULL OR s = ?1 with NULL: every row");
		check(db_reset(s) == 0 && db_bind_cstr(s, 1, "x") == 0 && db_step(s) == DB_ROW &&
			  db_column_int64(s, 0) == 1,
		      "with text: the rows that have it");
		db_finalize(s);
		s = NULL;
		rc = db_prepare(c, "SELECT ?1", &s);
		check(rc == 0 && db_bind_text(s, 1, "a\0b", 3) == DL_EINVALID,
		      "text with a NUL byte is refused");
		db_finalize(s);
		db_release(d, c);
	}
	free(mb);
	db_close(d);
}

static void test_streaming(void)
{
	db *d = open_fresh();
	if (!d)
		return;
	db_conn *c = NULL;
	dl_error err = {0};
	if (!check(db_acquire(d, &c, &err) == 0, "a reader"))
		goto done;
	db_stmt *s = NULL, *t = NULL;
	int rc = db_prepare(c, "SELECT g, repeat('x', 100) FROM generate_series(1, 10000) g", &s);
	int64_t rows = 0, sum = 0;
	while (rc == 0 && (rc = db_step(s)) == DB_ROW) {
		rows++;
		sum += db_column_int64(s, 0);
		rc = db_column_bytes(s, 1) == 100 ? 0 : -1;
	}
	check(rc == DB_DONE && rows == 10000 && sum == 50005000, "10,000 rows one by one: %lld",
	      (long long)rows);
	db_finalize(s);

	/* a statement a server could never send whole, abandoned after 5 rows: cancelled */
	time_t start = time(NULL);
	rc = db_prepare(c, "SELECT generate_series(1, 100000000)", &s);
	for (int i = 0; rc == 0 && i < 5; i++)
		rc = db_step(s) == DB_ROW ? 0 : -1;
	check(rc == 0, "the first rows of 100,000,000 come at once");
	db_finalize(s);
	int64_t v = 0;
	check(db_query_int(c, "SELECT 8", &v) == 0 && v == 8,
	      "the reader works after abandoning a statement mid-stream");
	check(time(NULL) - start < 20, "abandoning it is quick (cancelled): %lld s",
	      (long long)(time(NULL) - start));

	/* two statements on one connection: the first keeps its rows */
	rc = db_prepare(c, "SELECT g FROM generate_series(1, 1000) g", &s);
	rows = 0;
	for (int i = 0; rc == 0 && i < 3; i++)
		rc = db_step(s) == DB_ROW && db_column_int64(s, 0) == ++rows ? 0 : -1;
	check(db_prepare(c, "SELECT count(*) FROM generate_series(1, 50)", &t) == 0 &&
		  db_step(t) == DB_ROW && db_column_int64(t, 0) == 50,
	      "a second statement runs while the first is mid-stream");
	db_finalize(t);
	while (rc == 0 && (rc = db_step(s)) == DB_ROW)
		rc = db_column_int64(s, 0) == ++rows ? 0 : -1;
	check(rc == DB_DONE && rows == 1000, "the first statement goes on to its end: %lld",
	      (long long)rows);
	db_finalize(s);
	db_release(d, c);

	/* in a writer's transaction an abandoned statement is drained, never cancelled */
	check(run(d, "CREATE TABLE w (n int)") == 0, "a table");
	if (check(db_begin(d, &c, "testing", &err) == 0, "db_begin")) {
		rc = db_prepare(c, "SELECT generate_series(1, 20000)", &s);
		check(rc == 0 && db_step(s) == DB_ROW, "a long statement in a transaction");
		db_finalize(s);
		check(db_exec(c, "INSERT INTO w VALUES (1)") == 0,
		      "the transaction goes on after abandoning it");
		check(db_commit(d, c, "testing", &err) == 0, "and commits");
	}
	if (check(db_acquire(d, &c, &err) == 0, "a reader")) {
		check(db_query_int(c, "SELECT count(*) FROM w", &v) == 0 && v == 1, "committed");
		db_release(d, c);
	}
done:
	db_close(d);
}

/* --- two writers ----------------------------------------------------------------------------- */

typedef struct writer {
	const char *url;
	int rounds;
	int problems;
} writer;

/* rounds times: read the counter, then write it plus one, in one db_begin transaction, on a db of
 * its own (another process's connections) */
static void *count_up(void *arg)
{
	writer *w = arg;
	db *d = NULL;
	dl_error err = {0};
	if (db_open(&d, w->url, 2, &err) < 0) {
		w->problems++;
		return NULL;
	}
	for (int i = 0; i < w->rounds; i++) {
		db_conn *c = NULL;
		int64_t n = 0;
		if (db_begin(d, &c, "counting", &err) < 0) {
			w->problems++;
			continue;
		}
		int rc = db_query_int(c, "SELECT n FROM counter", &n);
		struct timespec pause = {0, 200000}; /* let the other writer in, if it could */
		nanosleep(&pause, NULL);
		db_stmt *s = NULL;
		if (rc == 0)
			rc = db_prepare(c, "UPDATE counter SET n = ?1", &s);
		if (rc == 0)
			rc = db_bind_int64(s, 1, n + 1);
		if (rc == 0)
			rc = db_step(s) == DB_DONE ? 0 : -1;
		db_finalize(s);
		if (rc < 0) {
			w->problems++;
			db_rollback(d, c);
		} else if (db_commit(d, c, "counting", &err) < 0) {
			w->problems++;
		}
	}
	db_close(d);
	return NULL;
}

static void test_writers(void)
{
	char url[512];
	if (!fresh_database(url, sizeof(url)))
		return;
	db *d = NULL;
	dl_error err = {0};
	if (!check(db_open(&d, url, 2, &err) == 0, "db_open"))
		return;
	check(run(d, "CREATE TABLE counter (n bigint); INSERT INTO counter VALUES (0)") == 0,
	      "a counter");
	writer w[2] = {{url, 150, 0}, {url, 150, 0}};
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, count_up, &w[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	db_conn *c = NULL;
	int64_t n = 0;
	if (check(db_acquire(d, &c, &err) == 0, "a reader")) {
		check(db_query_int(c, "SELECT n FROM counter", &n) == 0 && n == 300,
		      "two writers, read then write, 150 times each: the counter is 300 (%lld): the "
		      "advisory lock serialises them",
		      (long long)n);
		db_release(d, c);
	}
	check(w[0].problems + w[1].problems == 0, "no writer failed");
	db_close(d);
}

/* --- errors and transactions ----------------------------------------------------------------- */

static void test_failures(void)
{
	db *d = open_fresh();
	if (!d)
		return;
	db_conn *c = NULL;
	dl_error err = {0};
	check(run(d, "CREATE TABLE k (n int CHECK (n > 0))") == 0, "a table with a check");
	if (check(db_begin(d, &c, "testing", &err) == 0, "db_begin")) {
		check(db_exec(c, "INSERT INTO k VALUES (1)") == 0, "a good row");
		check(db_exec(c, "INSERT INTO k VALUES (-1)") == DL_EINVALID,
		      "a constraint violation is DL_EINVALID: %s", db_message(c));
		check(db_commit(d, c, "testing", &err) < 0,
		      "a transaction a failure ended does not commit: %s", err.message);
	}
	int64_t v = -1;
	if (check(db_acquire(d, &c, &err) == 0, "a reader")) {
		check(db_query_int(c, "SELECT count(*) FROM k", &v) == 0 && v == 0,
		      "nothing of it was kept");
		db_release(d, c);
	}
	if (check(db_begin(d, &c, "testing", &err) == 0, "the writer begins again")) {
		check(db_exec(c, "INSERT INTO k VALUES (2)") == 0, "a good row");
		check(db_commit(d, c, "testing", &err) == 0, "commits");
	}
	db_close(d);

	db *bad = NULL;
	check(db_open(&bad, "postgresql://[::1", 1, &err) == DL_EINVALID,
	      "a malformed URI is refused: %s", err.message);
	check(db_open(&bad, "postgresql:///x?host=/nonexistent-dir", 1, &err) == 0,
	      "db_open connects to nothing");
	if (bad) {
		check(db_acquire(bad, &c, &err) == DL_EUNAVAILABLE,
		      "no server there: DL_EUNAVAILABLE: %s", err.message);
		db_close(bad);
	}
}

/* --- the store's schema ---------------------------------------------------------------------- */

static int migrate(db *d, dl_error *err)
{
	for (;;) {
		db_conn *c = NULL;
		int64_t version = 0;
		char now[32], sql[160];
		int code = db_begin(d, &c, "migrating", err);
		if (code < 0)
			return code;
		int known = store_schema_pg.identify(c, &version, err);
		if (known < 0) {
			db_rollback(d, c);
			return known;
		}
		if (known == 1 && version == store_schema_pg.count) {
			db_rollback(d, c);
			return 0;
		}
		if (known == 0) {
			code = store_schema_pg.mark(c);
			version = -1;
		} else {
			for (const char *const *part = store_schema_pg.migrations[version];
			     code == 0 && *part; part++)
				code = db_exec(c, *part);
		}
		db_now(now, 0);
		snprintf(sql, sizeof(sql), "INSERT INTO schema_version VALUES (%lld, '%s')",
			 (long long)version + 1, now);
		if (code == 0)
			code = db_exec(c, sql);
		if (code < 0) {
			printf("# %s\n", db_message(c));
			db_rollback(d, c);
			return code;
		}
		if ((code = db_commit(d, c, "migrating", err)) < 0)
			return code;
	}
}

static int identify(db *d, int64_t *version, dl_error *err)
{
	db_conn *c = NULL;
	int code = db_acquire(d, &c, err);
	if (code == 0) {
		code = store_schema_pg.identify(c, version, err);
		db_release(d, c);
	}
	return code;
}

static int check_store(db *d, dl_error *err)
{
	db_conn *c = NULL;
	int code = db_acquire(d, &c, err);
	if (code == 0) {
		code = (store_schema_pg.check)(c, err); /* not test_util.h's check() */
		db_release(d, c);
	}
	return code;
}

#define AUDIT_ROW(seq)                                                                             \
	"INSERT INTO audit VALUES (" #seq ", 't', 'u', 'r', '', 'a', '', 0, 0, '', '', '',"        \
	" repeat('0', 64))"

static void test_schema(void)
{
	db *d = open_fresh();
	if (!d)
		return;
	dl_error err = {0};
	int64_t version = -1;
	check(store_schema_pg.count == 3 && store_schema_sqlite.count == 3, "three migrations, as in SQLite");
	check(identify(d, &version, &err) == 0, "an empty database is 0 (it becomes a store)");
	check(migrate(d, &err) == 0, "the migrations run: %s", err.message);
	check(identify(d, &version, &err) == 1 && version == 3, "then it is a store at version 3");
	check(migrate(d, &err) == 0, "migrating again does nothing");
	check(check_store(d, &err) == 0, "a new store is sound: %s", err.message);

	static const char sheet[] =
	    "INSERT INTO sheet (id, lineage, version, credit_code, name, phase, date,"
	    " questionnaire_id, questionnaire_version, questionnaire_sha256, draft, level, total,"
	    " sha256, received, xml) VALUES (1, 1, 1, 'c', 'n', 'p', 'd', 'q', 'v', 'h', 0, 2, '1',"
	    " repeat('a', 64), 'r', '\\x00'::bytea)";
	check(run(d, sheet) == 0, "a sheet");
	check(run(d, "UPDATE sheet SET level = 3, total = '2'") == 0, "its score may change");
	db_conn *c = NULL;
	if (check(db_acquire(d, &c, &err) == 0, "a reader")) {
		check(db_exec(c, "DELETE FROM sheet") == DL_EINVALID &&
			  strcmp(db_message(c), "a stored sheet is never deleted") == 0,
		      "a sheet is never deleted: %s", db_message(c));
		check(db_exec(c, "UPDATE sheet SET name = 'x'") == DL_EINVALID &&
			  strcmp(db_message(c),
				 "a stored sheet is never changed: save a new version") == 0,
		      "a sheet is never changed: %s", db_message(c));
		check(db_exec(c, "TRUNCATE audit") == DL_EINVALID &&
			  strcmp(db_message(c), "an audit entry is never deleted") == 0,
		      "the audit log is never truncated: %s", db_message(c));
		check(db_exec(c, "INSERT INTO \"user\" (name, role, credit_code, password_hash,"
				 " created) VALUES ('a', 'enterprise', '', 'h', 'c')") == DL_EINVALID,
		      "an enterprise account needs its code (a CHECK): %s", db_message(c));
		db_release(d, c);
	}
	check(run(d, AUDIT_ROW(1)) == 0 && run(d, AUDIT_ROW(3)) == 0, "audit entries 1 and 3");
	check(check_store(d, &err) == DL_EINVALID && strstr(err.message, "entry 2 "),
	      "a gap in the audit log is found: %s", err.message);
	check(run(d, AUDIT_ROW(2)) == 0, "entry 2");
	check(check_store(d, &err) == 0, "no gap: sound");
	check(run(d, "ALTER TABLE review DISABLE TRIGGER review_never_deleted") == 0,
	      "a trigger switched off");
	check(check_store(d, &err) == DL_EINVALID && strstr(err.message, "review_never_deleted"),
	      "is found: %s", err.message);
	check(run(d, "ALTER TABLE review ENABLE TRIGGER review_never_deleted") == 0, "and on");
	check(run(d, "SET session_replication_role = replica;"
		     " INSERT INTO document (id, lineage, version, credit_code, kind, filename,"
		     " content_type, sha256, author, received, bytes) VALUES (5, 9, 2, 'c', 'plan',"
		     " 'f', 't', repeat('b', 64), 'a', 'r', '')") == 0,
	      "a document naming a missing lineage, foreign keys bypassed");
	check(check_store(d, &err) == DL_EINVALID && strstr(err.message, "row 5 of table document"),
	      "is found: %s", err.message);

	check(run(d, "INSERT INTO schema_version VALUES (4, 'later')") == 0, "a newer version");
	check(identify(d, &version, &err) == DL_EINVALID && strstr(err.message, "newer digilevel"),
	      "a store a newer program migrated is refused: %s", err.message);
	db_close(d);

	if (!(d = open_fresh()))
		return;
	check(run(d, "CREATE TABLE invoices (id int)") == 0, "another program's table");
	check(identify(d, &version, &err) == DL_EINVALID && strstr(err.message, "another program"),
	      "another program's database is refused: %s", err.message);
	check(migrate(d, &err) == DL_EINVALID, "and never migrated");
	db_close(d);
}

/* --- a server that restarts, and one that goes away ----------------------------------------- */

static int cluster(const char *what)
{
	return sh("sh tests/scripts/pg_cluster.sh %s '%s'", what, getenv("DL_TEST_PG_CLUSTER"));
}

/* A reader's query: its result, 0 or the error; *v its value. */
static int read_int(db *d, const char *sql, int64_t *v, dl_error *err)
{
	db_conn *c = NULL;
	int code = db_acquire(d, &c, err);
	if (code == 0) {
		if ((code = db_query_int(c, sql, v)) < 0)
			db_fail(err, c, code, "testing");
		db_release(d, c);
	}
	return code;
}

/* A write in a db_begin transaction: 0 or the error. */
static int write_row(db *d, int n, dl_error *err)
{
	db_conn *c = NULL;
	char sql[64];
	int code = db_begin(d, &c, "testing", err);
	if (code < 0)
		return code;
	snprintf(sql, sizeof(sql), "INSERT INTO r VALUES (%d)", n);
	if ((code = db_exec(c, sql)) < 0) {
		db_fail(err, c, code, "testing");
		db_rollback(d, c);
		return code;
	}
	return db_commit(d, c, "testing", err);
}

static void test_restart(void)
{
	const char *dir = getenv("DL_TEST_PG_CLUSTER");
	if (!dir || !dir[0]) {
		skip("a server restart: DL_TEST_PG_CLUSTER does not name the test cluster");
		return;
	}
	db *d = open_fresh();
	if (!d)
		return;
	dl_error err = {0};
	int64_t v = 0;
	check(run(d, "CREATE TABLE r (n int)") == 0, "a table");
	check(write_row(d, 1, &err) == 0, "a write (the writer is connected)");
	check(read_int(d, "SELECT 1", &v, &err) == 0, "a read (a reader is kept in the pool)");

	/* a restart between two requests: the old connections are found lost, and connected again
	 * within the call (a reader's statement and the writer's BEGIN had done nothing yet) */
	check(cluster("restart") == 0, "the server restarts (pg_ctl restart -m immediate)");
	check(read_int(d, "SELECT count(*) FROM r", &v, &err) == 0 && v == 1,
	      "the pooled reader's query answers after the restart: %s", err.message);
	check(write_row(d, 2, &err) == 0, "the writer writes after the restart: %s", err.message);

	/* a server that is away: DL_EUNAVAILABLE, then served again once it is back */
	check(cluster("halt") == 0, "the server stops");
	memset(&err, 0, sizeof(err));
	check(read_int(d, "SELECT 1", &v, &err) == DL_EUNAVAILABLE,
	      "a read while it is away is DL_EUNAVAILABLE: %s", err.message);
	check(read_int(d, "SELECT 1", &v, &err) == DL_EUNAVAILABLE,
	      "so is the next (a new connection cannot be made)");
	check(write_row(d, 3, &err) == DL_EUNAVAILABLE,
	      "a write while it is away is DL_EUNAVAILABLE: %s", err.message);
	check(cluster("resume") == 0, "the server starts again");
	check(write_row(d, 4, &err) == 0, "the writer writes again: %s", err.message);
	int code = read_int(d, "SELECT count(*) FROM r", &v, &err);
	check(code == 0 && v == 3,
	      "a reader answers again, and every acknowledged write is there (%lld of 3)",
	      (long long)v);

	/* a reader's statement whose connection is lost mid-stream is not run again */
	db_conn *c = NULL;
	db_stmt *s = NULL;
	if (check(db_acquire(d, &c, &err) == 0, "a reader")) {
		int rc = db_prepare(c, "SELECT generate_series(1, 100000000)", &s);
		check(rc == 0 && db_step(s) == DB_ROW, "a long statement streams");
		check(cluster("restart") == 0, "the server restarts meanwhile");
		while (rc == 0 && (rc = db_step(s)) == DB_ROW)
			rc = 0;
		check(rc == DL_EUNAVAILABLE, "the statement fails DL_EUNAVAILABLE, not run again: %d",
		      rc);
		db_finalize(s);
		db_release(d, c);
	}
	check(read_int(d, "SELECT count(*) FROM r", &v, &err) == 0 && v == 3, "served again");
	db_close(d);
}

int main(void)
{
	server = getenv("DL_TEST_PG");
	if (!check(server && server[0],
		   "DL_TEST_PG names the test PostgreSQL server (make check starts one with "
		   "tests/scripts/pg_cluster.sh; PostgreSQL comes with sh scripts/install-deps.sh --test)"))
		return test_done();
	test_basics();
	test_values();
	test_streaming();
	test_writers();
	test_failures();
	test_schema();
	test_restart();
	return test_done();
}
