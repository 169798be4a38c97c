/*
 * test_logins.c: the failed-login limiter's count read from the audit log (server/store.h "Failed
 * logins", server/store_logins.c), on a real file: an account's failures since its last login, an
 * address's failures whatever the names, the window (failures older than it no longer count, put
 * there through SQLite directly), Retry-After from the oldest failure that makes the limit, a name
 * with control characters counted as its entry keeps it, and two store handles on one file (two
 * server processes) seeing one count.
 */
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test_util.h"

static const dl_store_login_limit LIMIT = {5, 20, 900};

static int64_t wait_of(dl_store *st, const char *name, const char *remote)
{
	int64_t wait = -1;
	dl_error err = {0};
	if (dl_store_login_wait(st, name, remote, &LIMIT, &wait, &err) != 0)
		return -2;
	return wait;
}

static int fail_login(dl_store *st, const char *name, const char *remote)
{
	dl_store_actor by = {NULL, NULL, remote};
	dl_error err = {0};
	return dl_store_login_failed(st, name, &by, &err);
}

/* n failed logins of name from remote, seconds_ago in the past, written as a tamperer would (the
 * chain does not matter to the limiter). */
static bool old_failures(const char *db, const char *name, const char *remote, int n, int seconds_ago)
{
	sqlite3 *raw = NULL;
	bool good = sqlite3_open(db, &raw) == SQLITE_OK;
	time_t t = time(NULL) - seconds_ago;
	struct tm tm;
	gmtime_r(&t, &tm);
	char at[32];
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (int i = 0; good && i < n; i++) {
		char *sql = sqlite3_mprintf(
		    "INSERT INTO audit (seq, at, \"user\", role, remote, action, credit_code, sheet_id,"
		    " sheet_version, sha256, detail, prev, hash) SELECT coalesce(max(seq), 0) + 1, %Q,"
		    " '', '', %Q, 'login.failed', '', 0, 0, '', %Q, '', printf('%%064d', 0) FROM audit",
		    at, remote, name);
		good = sql && sqlite3_exec(raw, sql, NULL, NULL, NULL) == SQLITE_OK;
		sqlite3_free(sql);
	}
	sqlite3_close(raw);
	return good;
}

int main(void)
{
	char tmp[64] = "/tmp/test_logins-XXXXXX", db[128];
	if (!check(mkdtemp(tmp) != NULL, "make a temporary directory"))
		return test_done();
	snprintf(db, sizeof(db), "%s/logins.db", tmp);
	dl_store *st = NULL, *other = NULL;
	dl_error err = {0};
	if (!check(dl_store_open(&st, db, &err) == 0 && dl_store_open(&other, db, &err) == 0,
		   "two store handles on one file (%s)", err.message))
		return test_done();
	dl_store_user u;
	memset(&u, 0, sizeof(u));
	snprintf(u.name, sizeof(u.name), "clerk");
	snprintf(u.role, sizeof(u.role), DL_ROLE_INTEGRATOR);
	check(dl_store_user_add(st, &u, "$argon2id$h", NULL, &err) == 0, "an account");
	check(dl_store_user_find(st, "clerk", &u, NULL, 0, &err) == 0, "found");

	/* per account: four failures leave it open, the fifth closes it for the window */
	for (int i = 0; i < 4; i++)
		fail_login(i % 2 ? st : other, "clerk", i % 2 ? "10.0.0.1" : "10.0.0.2");
	check(wait_of(st, "clerk", "10.0.0.9") == 0, "four failures: the account may try");
	fail_login(other, "clerk", "10.0.0.3");
	int64_t w = wait_of(st, "clerk", "10.0.0.9");
	check(w >= 895 && w <= 900, "the fifth closes it for the window's rest: %lld s", (long long)w);
	check(wait_of(other, "clerk", "10.0.0.9") > 0, "the other handle sees the same count");
	check(wait_of(st, "Clerk", "10.0.0.9") == 0 && wait_of(st, "clerk2", "10.0.0.9") == 0,
	      "other names are open");

	/* a login ends the account's count */
	char sha[65], csrf[65];
	memset(sha, 'a', 64);
	sha[64] = '\0';
	memset(csrf, 'b', 64);
	csrf[64] = '\0';
	dl_store_actor by = {"clerk", DL_ROLE_INTEGRATOR, "10.0.0.4"};
	check(dl_store_session_start(st, u.id, sha, csrf, 60, &by, &err) == 0, "a login (%s)",
	      err.message);
	check(wait_of(other, "clerk", "10.0.0.9") == 0, "after a login the account may try again");
	for (int i = 0; i < 4; i++)
		fail_login(st, "clerk", "10.0.0.5");
	check(wait_of(st, "clerk", "10.0.0.9") == 0, "four failures since the login: open");
	fail_login(st, "clerk", "10.0.0.5");
	check(wait_of(st, "clerk", "10.0.0.9") > 0, "five since the login: closed");

	/* per address: twenty failures of any names from one address */
	char name[32];
	for (int i = 0; i < 19; i++) {
		snprintf(name, sizeof(name), "name%d", i);
		fail_login(i % 2 ? st : other, name, "192.0.2.7");
	}
	check(wait_of(st, "anyone", "192.0.2.7") == 0, "nineteen from an address: open");
	fail_login(st, "name19", "192.0.2.7");
	w = wait_of(other, "anyone", "192.0.2.7");
	check(w >= 895 && w <= 900, "twenty: closed for any name: %lld s", (long long)w);
	check(wait_of(st, "anyone", "192.0.2.8") == 0, "another address is open");

	/* the window: failures older than it do not count; Retry-After from the oldest that counts */
	check(old_failures(db, "late", "198.51.100.1", 5, 901), "five failures 901 s ago");
	check(wait_of(st, "late", "198.51.100.9") == 0, "failures older than the window do not count");
	check(old_failures(db, "late", "198.51.100.1", 1, 600) &&
		  old_failures(db, "late", "198.51.100.1", 3, 100),
	      "one failure 600 s ago and three 100 s ago");
	check(wait_of(st, "late", "198.51.100.9") == 0, "four within the window: open");
	fail_login(st, "late", "198.51.100.1");
	w = wait_of(st, "late", "198.51.100.9");
	check(w >= 295 && w <= 300, "five: closed until the one of 600 s ago is 900 s old: %lld s",
	      (long long)w);

	/* a name as typed: control characters, long names */
	for (int i = 0; i < 5; i++)
		fail_login(st, "bad\nname", "203.0.113.1");
	check(wait_of(st, "bad\nname", "203.0.113.9") > 0, "a name with a line break is counted");
	char long_name[400];
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	for (int i = 0; i < 5; i++)
		fail_login(st, long_name, "203.0.113.2");
	check(wait_of(st, long_name, "203.0.113.9") > 0, "a name of 399 bytes is counted (as its first 200)");

	dl_store_login_limit bad = {5, 20, 0};
	check(dl_store_login_wait(st, "x", "y", &bad, &w, &err) == DL_EINVALID, "a window of 0 is refused");
	check(dl_store_schema_version(st) == 3, "the store is at schema version 3");
	dl_store_close(other);
	dl_store_close(st);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmp);
	return test_done();
}
