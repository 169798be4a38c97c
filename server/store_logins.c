/*
 * store_logins.c: the failed-login limiter's memory, which is the audit log (store.h, "Failed
 * logins"; docs/security.md "The workbench").
 *
 * Every failed login is an audit entry "login.failed" (detail: the name tried, remote: the
 * client's address) and every successful one an entry "login" (user: the account). So the count
 * the limiter needs is already in the database, written in the chain's one line by whichever
 * server process took the attempt: reading it there, instead of keeping a count in memory, makes
 * every process on one database share one limiter, and a restart forget nothing.
 *
 * An account may try again once fewer than limit->account of its failures since its last login
 * are within the window; an address once fewer than limit->address of its failures are. The
 * queries look for the limit-th newest failure in the window (ORDER BY seq DESC, OFFSET limit - 1):
 * none, and the attempt is taken; one, and it is refused until that failure is window seconds
 * old. Times are the store's "YYYY-MM-DDTHH:MM:SSZ" strings, which compare as strings in the
 * order of time. Migration 3 gives both queries a partial index, so that each reads a few index
 * entries of logins, never the chain.
 */
#include "store_impl.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The name tried as its entry's detail keeps it: at most 200 bytes (cut at a character), on one
 * line. An account name has neither control characters nor '?', so a name that is changed here
 * is no account's. */
static void name_as_detail(char out[256], const char *name)
{
	size_t len = name ? strlen(name) : 0;
	if (len > 200) {
		len = 200;
		while (len > 0 && ((unsigned char)name[len] & 0xc0) == 0x80)
			len--;
	}
	for (size_t i = 0; i < len; i++)
		out[i] = (unsigned char)name[i] < 0x20 || name[i] == 0x7f ? '?' : name[i];
	out[len] = '\0';
}

/* The address as the audit entry keeps it (store_audit_append: 63 bytes at most). */
static void address_as_stored(char out[64], const char *remote)
{
	size_t len = remote ? strlen(remote) : 0;
	if (len > 63) {
		len = 63;
		while (len > 0 && ((unsigned char)remote[len] & 0xc0) == 0x80)
			len--;
	}
	if (len)
		memcpy(out, remote, len);
	out[len] = '\0';
}

int dl_store_login_failed(dl_store *st, const char *name, const dl_store_actor *by, dl_error *err)
{
	dl_store_audit e;
	memset(&e, 0, sizeof(e));
	snprintf(e.action, sizeof(e.action), "login.failed");
	char detail[256];
	name_as_detail(detail, name);
	snprintf(e.detail, sizeof(e.detail), "%s", detail);
	return dl_store_audit_add(st, &e, by, err);
}

/* Seconds since 1970 of a store time "YYYY-MM-DDTHH:MM:SSZ" (UTC); -1 if it is not one. */
static int64_t seconds_of(const char *at)
{
	int y, mo, d, h, mi, s;
	char z;
	if (!at || sscanf(at, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 ||
	    z != 'Z' || mo < 1 || mo > 12)
		return -1;
	/* days from 1970-01-01 to y-mo-d in the proleptic Gregorian calendar */
	int64_t yy = mo <= 2 ? y - 1 : y;
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	return days * 86400 + h * 3600 + mi * 60 + s;
}

/*
 * The limit-th newest failure in the window of one statement (its ?1 the name or address, ?2 the
 * window's start, ?3 the offset): *wait seconds until it leaves the window, 0 when there is none.
 */
static int wait_of(db_conn *c, const char *sql, const char *key, const char *since, int64_t limit,
		   int64_t window, int64_t *wait)
{
	*wait = 0;
	if (limit <= 0)
		return 0;
	db_stmt *s = NULL;
	int rc = db_prepare(c, sql, &s);
	if (rc == 0)
		rc = db_bind_cstr(s, 1, key);
	if (rc == 0)
		rc = db_bind_cstr(s, 2, since);
	if (rc == 0)
		rc = db_bind_int64(s, 3, limit - 1);
	if (rc == 0)
		rc = db_step(s);
	if (rc == DB_ROW) {
		int64_t at = seconds_of(db_column_text(s, 0));
		int64_t left = at < 0 ? window : at + window - (int64_t)time(NULL);
		*wait = left < 1 ? 1 : left > window ? window : left;
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_finalize(s);
	return rc;
}

/* An account's failures since its last login ("user" of a "login" entry is the account's name). */
static const char ACCOUNT_FAILURES[] =
    "SELECT f.at FROM audit f"
    " WHERE f.action = 'login.failed' AND f.detail = ?1 AND f.at >= ?2"
    " AND f.seq > (SELECT COALESCE(max(l.seq), 0) FROM audit l"
    " WHERE l.action = 'login' AND l.\"user\" = ?1)"
    " ORDER BY f.seq DESC LIMIT 1 OFFSET ?3";

/* An address's failures, whatever the names. */
static const char ADDRESS_FAILURES[] =
    "SELECT at FROM audit"
    " WHERE action = 'login.failed' AND remote = ?1 AND at >= ?2"
    " ORDER BY seq DESC LIMIT 1 OFFSET ?3";

int dl_store_login_wait(dl_store *st, const char *name, const char *remote,
			const dl_store_login_limit *limit, int64_t *wait, dl_error *err)
{
	*wait = 0;
	if (!limit || limit->window <= 0)
		return db_failf(err, DL_EINVALID, _("a login limit needs a window in seconds"));
	char detail[256], address[64], since[32];
	name_as_detail(detail, name);
	address_as_stored(address, remote);
	db_now(since, -limit->window);
	db_conn *c = NULL;
	int code = db_acquire(st->db, &c, err);
	if (code < 0)
		return code;
	int64_t account_wait = 0, address_wait = 0;
	int rc = wait_of(c, ACCOUNT_FAILURES, detail, since, limit->account, limit->window,
			 &account_wait);
	if (rc == 0)
		rc = wait_of(c, ADDRESS_FAILURES, address, since, limit->address, limit->window,
			     &address_wait);
	if (rc < 0)
		code = db_fail(err, c, rc, _("counting failed logins"));
	else
		*wait = account_wait > address_wait ? account_wait : address_wait;
	db_release(st->db, c);
	return code;
}
