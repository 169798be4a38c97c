/*
 * test_store.c: the workbench's store (server/store.h over SQLite, server/store_sqlite.c) on real
 * files in a temporary directory: saving, reading and listing sheets, lineages and versions, the
 * schema's migration and the files it refuses, many threads at once, and kill -9 while saving.
 */
#define _DEFAULT_SOURCE /* usleep */
#include "store.h"

#include <errno.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "test_util.h"

static char tmp[64];

static void path_in(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", tmp, name);
}

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

/* A sheet to put: xml (borrowed) and its fields. */
static dl_store_sheet sheet(const char *xml, int64_t replaces, const char *code, const char *phase,
			    bool draft, int level)
{
	dl_store_sheet s;
	memset(&s, 0, sizeof(s));
	s.xml = xml;
	s.xml_len = strlen(xml);
	s.replaces = replaces;
	snprintf(s.fields.credit_code, sizeof(s.fields.credit_code), "%s", code);
	snprintf(s.fields.name, sizeof(s.fields.name), "企业 %s", code);
	snprintf(s.fields.phase, sizeof(s.fields.phase), "%s", phase);
	snprintf(s.fields.date, sizeof(s.fields.date), "2026-03-01");
	snprintf(s.fields.questionnaire_id, sizeof(s.fields.questionnaire_id), "miit-2024");
	snprintf(s.fields.questionnaire_version, sizeof(s.fields.questionnaire_version), "1.0");
	memset(s.fields.questionnaire_sha256, 'a', 64);
	s.fields.draft = draft;
	s.fields.level = level;
	snprintf(s.fields.total, sizeof(s.fields.total), "%d.5", level * 20);
	return s;
}

/* The ids of a list, "6 5 3", into buf. */
static const char *ids(dl_store *st, dl_store_filter f, char *buf, size_t size)
{
	dl_store_row *rows = NULL;
	size_t count = 99;
	dl_error err;
	buf[0] = '\0';
	if (dl_store_list(st, &f, &rows, &count, &err) < 0) {
		snprintf(buf, size, "error: %.200s", err.message);
		return buf;
	}
	size_t len = 0;
	for (size_t i = 0; i < count && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%lld", i ? " " : "",
					(long long)rows[i].id);
	if (count == 0 && rows != NULL)
		snprintf(buf, size, "rows not NULL when none");
	free(rows);
	return buf;
}

static bool same_file(const char *path, const char *bytes, size_t len)
{
	size_t now_len = 0;
	char *now = read_file(path, &now_len);
	bool same = now && now_len == len && memcmp(now, bytes, len) == 0;
	free(now);
	return same;
}

static void test_basics(void)
{
	char db[128], buf[256];
	path_in(db, sizeof(db), "basics.db");
	dl_store *st = NULL;
	dl_error err = {0};
	if (!check(dl_store_open(&st, db, &err) == 0, "a new store opens (%s)", err.message))
		return;
	check(dl_store_schema_version(st) == 3, "a new store is at schema version 3");
	struct stat sb;
	memset(&sb, 0, sizeof(sb));
	int found = stat(db, &sb);
	check(found == 0 && (sb.st_mode & 077) == 0, "a new store is for its owner only (%o)",
	      (unsigned)(sb.st_mode & 0777));
	check(strncmp(dl_store_backend(st), "sqlite 3.", 9) == 0, "the back end is named: %s",
	      dl_store_backend(st));

	/* 1 C1 diagnosis; 2 C2 self-check draft; 3 = 1 again; 4 C1 evaluation; 5 = 2 finished;
	 * 6 = 4 again as a draft */
	dl_store_row row;
	dl_store_sheet s = sheet("abc", 0, "C1", "diagnosis", false, 2);
	check(dl_store_put(st, &s, &row, &err) == 0 && row.id == 1 && row.lineage == 1 &&
		  row.version == 1,
	      "the first sheet is id 1, its own lineage, version 1");
	check(strcmp(row.sha256,
		     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0,
	      "the store computes the SHA-256 of the XML: %s", row.sha256);
	check(row.xml_len == 3 && strlen(row.received) == 20 && row.received[19] == 'Z',
	      "the row has the XML's length and the time it was received (%s)", row.received);
	check(strcmp(row.name, "企业 C1") == 0 && strcmp(row.total, "40.5") == 0 &&
		  row.level == 2 && !row.draft,
	      "the fields come back as they were put");
	s = sheet("<two/>", 0, "C2", "self-check", true, 0);
	check(dl_store_put(st, &s, &row, &err) == 0 && row.id == 2 && row.draft,
	      "a draft is saved");
	s = sheet("<one again/>", 1, "C1", "diagnosis", false, 3);
	check(dl_store_put(st, &s, &row, &err) == 0 && row.id == 3 && row.lineage == 1 &&
		  row.version == 2,
	      "replacing sheet 1 makes version 2 of lineage 1");
	s = sheet("<four/>", 0, "C1", "evaluation", false, 3);
	check(dl_store_put(st, &s, NULL, &err) == 0, "a put without a row to fill");
	s = sheet("<two finished/>", 2, "C2", "self-check", false, 1);
	check(dl_store_put(st, &s, &row, &err) == 0 && row.id == 5 && row.lineage == 2 &&
		  row.version == 2 && !row.draft,
	      "a draft's lineage goes on with a finished version");
	s = sheet("<four as a draft/>", 4, "C1", "evaluation", true, 2);
	s.reason = "a corrected answer"; /* 4 is a submitted evaluation: frozen (test_store_district) */
	check(dl_store_put(st, &s, &row, &err) == 0 && row.id == 6 && row.lineage == 4 &&
		  strcmp(row.reason, "a corrected answer") == 0,
	      "a finished sheet's lineage goes on with a draft");

	s = sheet("<nowhere/>", 99, "C1", "diagnosis", false, 1);
	memset(&err, 0, sizeof(err));
	check(dl_store_put(st, &s, &row, &err) == DL_ENOTFOUND && strstr(err.message, "99"),
	      "replacing an unknown id is DL_ENOTFOUND: %s", err.message);
	s = sheet("<one a third time/>", 1, "C1", "diagnosis", false, 4);
	s.fields.level = 5;
	check(dl_store_put(st, &s, &row, &err) == DL_EINVALID, "a level of 5 is refused");
	s.fields.level = 4;
	memset(&row, 0, sizeof(row));
	check(dl_store_put(st, &s, &row, &err) == DL_ECONFLICT && strstr(err.message, "sheet 3") &&
		  row.id == 3 && row.version == 2,
	      "replacing an older version of a lineage (1, not its newest 3) is DL_ECONFLICT, and "
	      "the row is the newer version: %s",
	      err.message);
	s.replaces = 3;
	check(dl_store_put(st, &s, &row, &err) == 0 && row.id == 7 && row.lineage == 1 &&
		  row.version == 3,
	      "replacing the newest version (3) adds the lineage's next version (3), id 7: the "
	      "refused put took no id");

	dl_store_filter f;
	memset(&f, 0, sizeof(f));
	check(strcmp(ids(st, f, buf, sizeof(buf)), "7 5") == 0,
	      "the list: newest version of each lineage, newest first, no draft lineage: %s", buf);
	f.drafts = true;
	check(strcmp(ids(st, f, buf, sizeof(buf)), "7 6 5") == 0, "with drafts: %s", buf);
	f.history = true;
	check(strcmp(ids(st, f, buf, sizeof(buf)), "7 6 5 4 3 2 1") == 0,
	      "with drafts and history: every version: %s", buf);
	f.drafts = false;
	check(strcmp(ids(st, f, buf, sizeof(buf)), "7 5 3 2 1") == 0,
	      "history without draft lineages: %s", buf);
	memset(&f, 0, sizeof(f));
	f.credit_code = "C1";
	f.drafts = true;
	check(strcmp(ids(st, f, buf, sizeof(buf)), "7 6") == 0, "one enterprise: %s", buf);
	f.phase = "evaluation";
	check(strcmp(ids(st, f, buf, sizeof(buf)), "6") == 0, "one enterprise and phase: %s", buf);
	f.credit_code = "C3";
	f.phase = NULL;
	check(strcmp(ids(st, f, buf, sizeof(buf)), "") == 0, "an enterprise with no sheet: none");
	memset(&f, 0, sizeof(f));
	f.lineage = 1;
	f.history = true;
	check(strcmp(ids(st, f, buf, sizeof(buf)), "7 3 1") == 0, "one lineage's versions: %s",
	      buf);
	memset(&f, 0, sizeof(f));
	f.history = true;
	f.drafts = true;
	f.limit = 2;
	check(strcmp(ids(st, f, buf, sizeof(buf)), "7 6") == 0, "a limit: %s", buf);

	char *xml = NULL;
	size_t len = 0;
	check(dl_store_get(st, 3, &row, &xml, &len, &err) == 0 && xml && len == 12 &&
		  strcmp(xml, "<one again/>") == 0 && row.id == 3 && row.version == 2,
	      "get: the row and its XML, NUL-terminated");
	free(xml);
	xml = NULL;
	check(dl_store_get(st, 8, &row, &xml, &len, &err) == DL_ENOTFOUND && !xml,
	      "get of an unknown id: DL_ENOTFOUND");
	check(dl_store_get(st, 2, &row, NULL, NULL, &err) == 0 && row.draft && row.xml_len == 6,
	      "get without the XML");

	char digest[65];
	memset(digest, 'b', 64);
	digest[64] = '\0';
	check(dl_store_set_score(st, 3, 1, "20", digest, &err) == 0, "set_score (%s)", err.message);
	check(dl_store_get(st, 3, &row, &xml, &len, &err) == 0 && row.level == 1 &&
		  strcmp(row.total, "20") == 0 && strcmp(row.questionnaire_sha256, digest) == 0 &&
		  strcmp(xml, "<one again/>") == 0 && row.version == 2,
	      "set_score changes the derived score only");
	free(xml);
	check(dl_store_set_score(st, 42, 1, "20", digest, &err) == DL_ENOTFOUND,
	      "set_score of an unknown id: DL_ENOTFOUND");
	check(dl_store_check(st, &err) == 0, "the file is sound (%s)", err.message);
	dl_store_close(st);

	/* nothing is changed in place but the score: the schema's triggers say so too */
	sqlite3 *raw = NULL;
	check(sqlite3_open(db, &raw) == SQLITE_OK &&
		  sqlite3_exec(raw, "DELETE FROM sheet WHERE id = 1", NULL, NULL, NULL) !=
		      SQLITE_OK &&
		  sqlite3_exec(raw, "UPDATE sheet SET xml = 'x' WHERE id = 1", NULL, NULL, NULL) !=
		      SQLITE_OK,
	      "the schema refuses deleting a sheet or changing its XML");
	sqlite3_close(raw);

	/* persistence, and the order of dl_store_each */
	st = NULL;
	if (!check(dl_store_open(&st, db, &err) == 0, "the store opens again (%s)", err.message))
		return;
	check(dl_store_schema_version(st) == 3, "still at schema version 3");
	check(dl_store_get(st, 3, &row, NULL, NULL, &err) == 0 && row.level == 1 &&
		  strcmp(row.total, "20") == 0,
	      "the rows are there after closing and opening");
	memset(&f, 0, sizeof(f));
	check(strcmp(ids(st, f, buf, sizeof(buf)), "7 5") == 0, "the same list after opening: %s",
	      buf);
	dl_store_close(st);
}

/* dl_store_each: the ids seen and each XML's digest against its row's. */
typedef struct each_seen {
	char order[1024];
	size_t len;
	int bad_digest;
	int stop_at;
} each_seen;

static int each_row(const dl_store_row *row, const char *xml, size_t xml_len, void *userdata)
{
	each_seen *seen = userdata;
	char hex[65];
	sha256_hex(xml, xml_len, hex);
	if (strcmp(hex, row->sha256) != 0 || xml[xml_len] != '\0' || xml_len != row->xml_len)
		seen->bad_digest++;
	seen->len += (size_t)snprintf(seen->order + seen->len, sizeof(seen->order) - seen->len,
				      "%s%lld", seen->len ? " " : "", (long long)row->id);
	return row->id == seen->stop_at ? -7 : 0;
}

static void test_each(void)
{
	char db[128];
	path_in(db, sizeof(db), "basics.db");
	dl_store *st = NULL;
	dl_error err = {0};
	if (!check(dl_store_open(&st, db, &err) == 0, "open for each (%s)", err.message))
		return;
	each_seen seen = {{0}, 0, 0, 0};
	check(dl_store_each(st, each_row, &seen, &err) == 0 &&
		  strcmp(seen.order, "1 2 3 4 5 6 7") == 0 && seen.bad_digest == 0,
	      "each: every version, oldest first, with its XML: %s", seen.order);
	each_seen stopped = {{0}, 0, 0, 3};
	check(dl_store_each(st, each_row, &stopped, &err) == -7 &&
		  strcmp(stopped.order, "1 2 3") == 0,
	      "each stops when the callback returns a negative value, and returns it");
	dl_store_close(st);
}

/* dl_store_get_each in chunks of 64 and dl_store_sheet_mark: 150 rows, asked out of order. */
static void test_get_each(void)
{
	char db[128];
	path_in(db, sizeof(db), "get_each.db");
	dl_store *st = NULL;
	dl_error err = {0};
	int64_t mark = -1;
	if (!check(dl_store_open(&st, db, &err) == 0, "open for get_each (%s)", err.message))
		return;
	check(dl_store_sheet_mark(st, &mark, &err) == 0 && mark == 0, "an empty store's mark is 0");
	bool stored = true;
	for (int i = 1; i <= 150 && stored; i++) {
		char xml[32];
		snprintf(xml, sizeof(xml), "<sheet n=\"%d\"/>", i);
		dl_store_sheet s = sheet(xml, 0, "C9", "diagnosis", false, 1);
		stored = dl_store_put(st, &s, NULL, &err) == 0;
	}
	int rc = stored ? dl_store_sheet_mark(st, &mark, &err) : -1;
	check(rc == 0 && mark == 150, "150 sheets stored; the mark is the newest id (%lld)",
	      (long long)mark);
	int64_t asked[200];
	size_t n = 0;
	for (int64_t id = 150; id >= 1; id -= 2) /* the even ids from the top, then the odd ones */
		asked[n++] = id;
	for (int64_t id = 1; id <= 149; id += 2)
		asked[n++] = id;
	asked[n++] = 7; /* twice, in another chunk */
	each_seen seen = {{0}, 0, 0, 0};
	check(dl_store_get_each(st, asked, n, each_row, &seen, &err) == 0 && seen.bad_digest == 0,
	      "get_each reads 151 ids in chunks (%s)", err.message);
	char want[sizeof(seen.order)];
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(want + len, sizeof(want) - len, "%s%lld", i ? " " : "",
					(long long)asked[i]);
	check(strcmp(seen.order, want) == 0, "each row comes in the order asked, with its own XML");
	int64_t missing[3] = {5, 999, 6};
	each_seen part = {{0}, 0, 0, 0};
	check(dl_store_get_each(st, missing, 3, each_row, &part, &err) == DL_ENOTFOUND &&
		  strcmp(part.order, "5") == 0 && strstr(err.message, "999"),
	      "an id with no row: DL_ENOTFOUND after the rows before it (%s)", err.message);
	each_seen stopped = {{0}, 0, 0, 70};
	check(dl_store_get_each(st, asked, n, each_row, &stopped, &err) == -7,
	      "get_each stops when the callback returns a negative value, and returns it");
	dl_store_close(st);
}

static void test_files(void)
{
	char db[128];
	dl_store *st = NULL;
	dl_error err = {0};

	path_in(db, sizeof(db), "empty.db");
	check(write_file(db, "", 0) == 0, "make an empty file");
	check(dl_store_open(&st, db, &err) == 0 && dl_store_schema_version(st) == 3,
	      "an empty file becomes a store at the newest schema (%s)", err.message);
	dl_store_close(st);
	st = NULL;

	sqlite3 *raw = NULL;
	path_in(db, sizeof(db), "bare.db");
	check(sqlite3_open(db, &raw) == SQLITE_OK &&
		  sqlite3_exec(raw, "PRAGMA user_version = 0; VACUUM", NULL, NULL, NULL) ==
		      SQLITE_OK,
	      "make an SQLite database with nothing in it");
	sqlite3_close(raw);
	check(dl_store_open(&st, db, &err) == 0, "a database with nothing in it becomes a store");
	dl_store_close(st);
	st = NULL;

	/* refused and left as they are */
	path_in(db, sizeof(db), "other.db");
	check(sqlite3_open(db, &raw) == SQLITE_OK &&
		  sqlite3_exec(raw, "CREATE TABLE t (x); INSERT INTO t VALUES (1)", NULL, NULL,
			       NULL) == SQLITE_OK,
	      "make another program's database");
	sqlite3_close(raw);
	size_t len = 0;
	char *before = read_file(db, &len);
	memset(&err, 0, sizeof(err));
	check(dl_store_open(&st, db, &err) == DL_EINVALID && !st && strstr(err.message, "another"),
	      "another program's database is refused: %s", err.message);
	check(before && same_file(db, before, len), "and left as it was");
	free(before);

	path_in(db, sizeof(db), "text.db");
	check(write_file(db, "not a database at all, but long enough to have a header. ", 58) == 0,
	      "make a text file");
	before = read_file(db, &len);
	memset(&err, 0, sizeof(err));
	check(dl_store_open(&st, db, &err) == DL_EINVALID && !st &&
		  strstr(err.message, "not a database"),
	      "a text file is refused: %s", err.message);
	check(before && same_file(db, before, len), "and left as it was");
	free(before);

	path_in(db, sizeof(db), "newer.db");
	check(dl_store_open(&st, db, &err) == 0, "make a store");
	dl_store_close(st);
	st = NULL;
	check(sqlite3_open(db, &raw) == SQLITE_OK &&
		  sqlite3_exec(raw, "INSERT INTO schema_version VALUES (4, 'later')", NULL, NULL,
			       NULL) == SQLITE_OK,
	      "a newer digilevel migrates it to schema version 4");
	sqlite3_close(raw);
	before = read_file(db, &len);
	memset(&err, 0, sizeof(err));
	check(dl_store_open(&st, db, &err) == DL_EINVALID && !st && strstr(err.message, "newer"),
	      "a store of a newer schema is refused: %s", err.message);
	check(before && same_file(db, before, len), "and left as it was");
	free(before);

	memset(&err, 0, sizeof(err));
	check(dl_store_open(&st, tmp, &err) == DL_EIO && !st, "a directory is refused: %s",
	      err.message);
	path_in(db, sizeof(db), "no/such/folder.db");
	check(dl_store_open(&st, db, &err) == DL_EIO && !st, "a file in no folder: DL_EIO: %s",
	      err.message);
}

/* --- threads --------------------------------------------------------------------------------- */

#define THREADS		8
#define PUTS_PER_THREAD 12

typedef struct worker {
	dl_store *st;
	int index;
	int problems;
	int64_t ids[PUTS_PER_THREAD];
} worker;

static void *work(void *arg)
{
	worker *w = arg;
	char xml[64], code[32];
	snprintf(code, sizeof(code), "T%d", w->index);
	for (int i = 0; i < PUTS_PER_THREAD; i++) {
		snprintf(xml, sizeof(xml), "<sheet thread='%d' n='%d'/>", w->index, i);
		dl_store_sheet s =
		    sheet(xml, i == 0 ? 0 : w->ids[i - 1], code, "diagnosis", false, i % 5);
		dl_store_row row;
		dl_error err;
		if (dl_store_put(w->st, &s, &row, &err) != 0 || row.version != i + 1) {
			w->problems++;
			continue;
		}
		w->ids[i] = row.id;
		dl_store_filter f;
		memset(&f, 0, sizeof(f));
		f.credit_code = code;
		f.history = true;
		dl_store_row *rows = NULL;
		size_t count = 0;
		if (dl_store_list(w->st, &f, &rows, &count, &err) != 0 || count != (size_t)i + 1 ||
		    rows[0].id != row.id)
			w->problems++;
		free(rows);
		char *back = NULL;
		if (dl_store_get(w->st, row.id, NULL, &back, NULL, &err) != 0 ||
		    strcmp(back, xml) != 0)
			w->problems++;
		free(back);
	}
	return NULL;
}

static void test_threads(void)
{
	char db[128];
	path_in(db, sizeof(db), "threads.db");
	dl_store *st = NULL;
	dl_error err = {0};
	if (!check(dl_store_open(&st, db, &err) == 0, "open for threads (%s)", err.message))
		return;
	worker w[THREADS];
	pthread_t t[THREADS];
	int started = 0;
	for (int i = 0; i < THREADS; i++) {
		w[i] = (worker){st, i, 0, {0}};
		if (pthread_create(&t[i], NULL, work, &w[i]) == 0)
			started++;
	}
	check(started == THREADS, "%d threads started", THREADS);
	int problems = 0;
	for (int i = 0; i < started; i++) {
		pthread_join(t[i], NULL);
		problems += w[i].problems;
	}
	check(problems == 0, "%d threads put, list and get at once without a problem (%d)", THREADS,
	      problems);
	dl_store_filter f;
	memset(&f, 0, sizeof(f));
	f.history = true;
	dl_store_row *rows = NULL;
	size_t count = 0;
	int rc = dl_store_list(st, &f, &rows, &count, &err);
	check(rc == 0 && count == THREADS * PUTS_PER_THREAD, "every sheet is there: %zu", count);
	bool ordered = true;
	for (size_t i = 1; i < count; i++)
		if (rows[i].id != rows[i - 1].id - 1)
			ordered = false;
	check(ordered && count && rows[0].id == THREADS * PUTS_PER_THREAD,
	      "ids are 1 to %d, none lost or twice", THREADS * PUTS_PER_THREAD);
	free(rows);
	f.history = false;
	rc = dl_store_list(st, &f, &rows, &count, &err);
	check(rc == 0 && count == THREADS, "one lineage per thread: %zu", count);
	bool newest = true;
	for (size_t i = 0; i < count; i++)
		if (rows[i].version != PUTS_PER_THREAD)
			newest = false;
	check(newest, "each lineage's newest version is version %d", PUTS_PER_THREAD);
	free(rows);
	check(dl_store_check(st, &err) == 0, "the file is sound after the threads");
	dl_store_close(st);
}

/* --- lost updates: a put replacing a version someone else replaced meanwhile ------------------- */

#define RACE_THREADS 8
#define RACE_ROUNDS 10

typedef struct race {
	dl_store *st;
	pthread_barrier_t start, done;
	pthread_mutex_t lock;
	int64_t newest; /* set by main between rounds (barriers order it) */
	int64_t winner[RACE_ROUNDS];
	int wins[RACE_ROUNDS], conflicts[RACE_ROUNDS], others;
	int named; /* conflicts whose message and row named the round's winner */
} race;

typedef struct racer_arg {
	race *r;
	int index;
} racer_arg;

static void *racer(void *arg)
{
	racer_arg *a = arg;
	race *r = a->r;
	char xml[64];
	for (int round = 0; round < RACE_ROUNDS; round++) {
		pthread_barrier_wait(&r->start);
		snprintf(xml, sizeof(xml), "<edit round='%d' by='%d'/>", round, a->index);
		dl_store_sheet s = sheet(xml, r->newest, "R1", "diagnosis", false, 1);
		dl_store_row row;
		dl_error err = {0};
		memset(&row, 0, sizeof(row));
		int rc = dl_store_put(r->st, &s, &row, &err);
		pthread_mutex_lock(&r->lock);
		if (rc == 0) {
			r->wins[round]++;
			r->winner[round] = row.id;
		} else if (rc == DL_ECONFLICT) {
			r->conflicts[round]++;
		} else {
			r->others++;
		}
		pthread_mutex_unlock(&r->lock);
		pthread_barrier_wait(&r->done);
		/* the winner is known once every put of the round returned */
		if (rc == DL_ECONFLICT) {
			char id[32];
			snprintf(id, sizeof(id), "sheet %lld", (long long)r->winner[round]);
			pthread_mutex_lock(&r->lock);
			if (strstr(err.message, id) && row.id == r->winner[round])
				r->named++;
			pthread_mutex_unlock(&r->lock);
		}
	}
	return NULL;
}

/* RACE_THREADS threads each round replace the same version at once: exactly one wins, every
 * other one is DL_ECONFLICT naming the winner, and the lineage gains one version per round. */
static void test_lost_updates(void)
{
	char db[128];
	path_in(db, sizeof(db), "race.db");
	dl_store *st = NULL;
	dl_error err = {0};
	if (!check(dl_store_open(&st, db, &err) == 0, "open for the race (%s)", err.message))
		return;
	dl_store_row first, row;
	dl_store_sheet s = sheet("<first/>", 0, "R1", "diagnosis", false, 1);
	check(dl_store_put(st, &s, &first, &err) == 0, "the first version");
	s = sheet("<second/>", first.id, "R1", "diagnosis", false, 1);
	check(dl_store_put(st, &s, &row, &err) == 0 && row.version == 2, "a second replacing it");
	s = sheet("<stale/>", first.id, "R1", "diagnosis", false, 1);
	dl_store_row newer;
	memset(&newer, 0, sizeof(newer));
	check(dl_store_put(st, &s, &newer, &err) == DL_ECONFLICT && newer.id == row.id &&
		  newer.version == 2,
	      "a second put replacing the same version is DL_ECONFLICT, naming version 2: %s",
	      err.message);
	dl_store_filter f;
	memset(&f, 0, sizeof(f));
	f.lineage = first.id;
	f.history = true;
	dl_store_row *rows = NULL;
	size_t count = 0;
	check(dl_store_list(st, &f, &rows, &count, &err) == 0 && count == 2,
	      "the refused put stored nothing: %zu versions", count);
	free(rows);

	race r;
	memset(&r, 0, sizeof(r));
	r.st = st;
	r.newest = row.id;
	pthread_barrier_init(&r.start, NULL, RACE_THREADS + 1);
	pthread_barrier_init(&r.done, NULL, RACE_THREADS + 1);
	pthread_mutex_init(&r.lock, NULL);
	pthread_t t[RACE_THREADS];
	racer_arg args[RACE_THREADS];
	for (int i = 0; i < RACE_THREADS; i++) {
		args[i] = (racer_arg){&r, i};
		if (pthread_create(&t[i], NULL, racer, &args[i]) != 0) {
			check(false, "start racer %d", i);
			return; /* the barriers would wait for ever */
		}
	}
	for (int round = 0; round < RACE_ROUNDS; round++) {
		pthread_barrier_wait(&r.start);
		pthread_barrier_wait(&r.done);
		r.newest = r.winner[round];
	}
	for (int i = 0; i < RACE_THREADS; i++)
		pthread_join(t[i], NULL);
	bool one = r.others == 0;
	for (int round = 0; round < RACE_ROUNDS; round++)
		if (r.wins[round] != 1 || r.conflicts[round] != RACE_THREADS - 1)
			one = false;
	check(one, "%d rounds of %d threads replacing the same version at once: exactly one wins "
		   "each round, the others are DL_ECONFLICT",
	      RACE_ROUNDS, RACE_THREADS);
	check(r.named == RACE_ROUNDS * (RACE_THREADS - 1),
	      "every conflict names the version that won (%d)", r.named);
	check(dl_store_list(st, &f, &rows, &count, &err) == 0 && count == 2 + RACE_ROUNDS &&
		  rows[0].version == 2 + RACE_ROUNDS,
	      "the lineage has one new version per round: %zu", count);
	free(rows);
	pthread_barrier_destroy(&r.start);
	pthread_barrier_destroy(&r.done);
	pthread_mutex_destroy(&r.lock);
	dl_store_close(st);
}

/* --- kill -9 while saving -------------------------------------------------------------------- */

#define CRASH_WRITERS 3

/* The XML of sheet n of writer w: its length varies so that pages fill differently. */
static size_t crash_xml(char *buf, size_t size, int w, int n)
{
	int len = snprintf(buf, size, "<answer-sheet writer='%d' n='%d'>", w, n);
	int pad = (n * 37 + w * 101) % 3000;
	for (int i = 0; i < pad && (size_t)len + 20 < size; i++)
		buf[len++] = (char)('a' + (n + i) % 26);
	len += snprintf(buf + len, size - (size_t)len, "</answer-sheet>");
	return (size_t)len;
}

typedef struct crash_writer {
	dl_store *st;
	int index;
	int fd;
} crash_writer;

/* In the child: put sheets forever, and write each acknowledged (id, writer, n) to the pipe. */
static void *crash_work(void *arg)
{
	crash_writer *cw = arg;
	char xml[4096];
	for (int n = 0;; n++) {
		size_t len = crash_xml(xml, sizeof(xml), cw->index, n);
		dl_store_sheet s = sheet(xml, 0, "CRASH", "diagnosis", false, n % 5);
		s.xml_len = len;
		dl_store_row row;
		if (dl_store_put(cw->st, &s, &row, NULL) != 0)
			_exit(3);
		int64_t ack[3] = {row.id, cw->index, n};
		if (write(cw->fd, ack, sizeof(ack)) != (ssize_t)sizeof(ack))
			_exit(4);
	}
	return NULL;
}

static void test_crash(void)
{
	char db[128];
	path_in(db, sizeof(db), "crash.db");
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	size_t acked_total = 0;
	for (int round = 0; round < 4; round++) {
		int fds[2];
		if (!check(pipe(fds) == 0, "a pipe"))
			return;
		pid_t pid = fork();
		if (pid == 0) {
			close(fds[0]);
			dl_store *st = NULL;
			if (dl_store_open(&st, db, NULL) != 0)
				_exit(2);
			crash_writer cw[CRASH_WRITERS];
			pthread_t t[CRASH_WRITERS];
			for (int i = 0; i < CRASH_WRITERS; i++) {
				cw[i] = (crash_writer){st, i, fds[1]};
				pthread_create(&t[i], NULL, crash_work, &cw[i]);
			}
			for (;;)
				pause();
		}
		close(fds[1]);
		/* kill it at a random moment once it is saving (the first acknowledgement) */
		int64_t first[3];
		bool started = read(fds[0], first, sizeof(first)) == (ssize_t)sizeof(first);
		usleep((useconds_t)(rand() % 100000));
		kill(pid, SIGKILL);
		int status = 0;
		waitpid(pid, &status, 0);
		check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		      "round %d: the writer was killed while saving (not ended: status %d)", round,
		      status);

		int64_t ack[3];
		size_t acked = 0, lost = 0, wrong = 0;
		dl_store *st = NULL;
		dl_error err = {0};
		if (!check(dl_store_open(&st, db, &err) == 0,
			   "round %d: the store opens after kill -9 (%s)", round, err.message)) {
			close(fds[0]);
			return;
		}
		bool more = started;
		if (started)
			memcpy(ack, first, sizeof(ack));
		while (more || read(fds[0], ack, sizeof(ack)) == (ssize_t)sizeof(ack)) {
			more = false;
			acked++;
			char want[4096], hex[65];
			size_t want_len = crash_xml(want, sizeof(want), (int)ack[1], (int)ack[2]);
			sha256_hex(want, want_len, hex);
			char *xml = NULL;
			size_t len = 0;
			dl_store_row row;
			if (dl_store_get(st, ack[0], &row, &xml, &len, &err) != 0)
				lost++;
			else if (len != want_len || memcmp(xml, want, len) != 0 ||
				 strcmp(row.sha256, hex) != 0)
				wrong++;
			free(xml);
		}
		close(fds[0]);
		acked_total += acked;
		check(acked > 0, "round %d: %zu sheets were acknowledged before the kill", round,
		      acked);
		check(lost == 0 && wrong == 0,
		      "round %d: every acknowledged sheet is there with its bytes and digest (%zu "
		      "lost, "
		      "%zu wrong)",
		      round, lost, wrong);
		check(dl_store_check(st, &err) == 0, "round %d: integrity_check is ok (%s)", round,
		      err.message);
		dl_store_close(st);
	}
	printf("# %zu acknowledged sheets in all\n", acked_total);
}

int main(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/test_store-XXXXXX");
	if (!check(mkdtemp(tmp) != NULL, "make a temporary directory"))
		return test_done();
	test_basics();
	test_each();
	test_get_each();
	test_files();
	test_threads();
	test_lost_updates();
	test_crash();
	sh("rm -rf '%s'", tmp);
	return test_done();
}
