/*
 * store_district.c: the district half of the SQLite store (store.h, "District mode"): accounts,
 * sessions, enterprises and their assignments, documents, the supervisor's reviews, the audit
 * chain and the online backup.
 *
 * Why one file beside store_sqlite.c: these are the tables a district adds to the sheets (schema
 * migration 2), and every change here goes with an audit entry written in the same transaction
 * (store_audit_append), so that the log and the data can never disagree: either both are
 * committed or neither is.
 *
 * The audit chain: each entry's hash is the SHA-256 of a canonical byte string of the previous
 * entry's hash and every field of its own (audit_hash below; docs/store.md gives the exact bytes),
 * so changing, removing or reordering an entry breaks every hash after it, and
 * dl_store_audit_verify names the first entry that does not hold. Triggers refuse UPDATE and
 * DELETE on the audit, assignment, review and document tables; what a person with the file and
 * sqlite3 can still do (drop a trigger, rewrite an entry) the chain shows.
 *
 * Sessions keep the SHA-256 of the token only (auth.c makes and hashes tokens), so a copy of the
 * database opens no session; a session's liveness is decided in SQL against the current UTC time.
 */
#include "store_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* --- small helpers ----------------------------------------------------------------------------- */

/* Copy src (NULL: "") into dst of size bytes, cut at a UTF-8 character boundary. */
static void copy_cut(char *dst, size_t size, const char *src)
{
	size_t len = src ? strlen(src) : 0;
	if (len >= size) {
		len = size - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
			len--;
	}
	if (len > 0)
		memcpy(dst, src, len);
	dst[len] = '\0';
}

static bool is_blank(const char *text)
{
	if (!text)
		return true;
	for (; *text; text++)
		if (*text != ' ' && *text != '\t' && *text != '\n' && *text != '\r')
			return false;
	return true;
}

static bool empty(const char *text)
{
	return !text || !*text;
}

static bool is_role(const char *role)
{
	static const char *const roles[] = {DL_ROLE_ENTERPRISE, DL_ROLE_INTEGRATOR,
					    DL_ROLE_EVALUATOR, DL_ROLE_SUPERVISOR, DL_ROLE_BUREAU};
	for (size_t i = 0; role && i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(role, roles[i]) == 0)
			return true;
	return false;
}

/* Step a statement that returns no row; an SQLite code (SQLITE_OK when done). */
static int step_done(sqlite3_stmt *stmt)
{
	int rc = sqlite3_step(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* A growing array of n elements of size bytes each. */
static int grow(void **items, size_t *cap, size_t n, size_t size, dl_error *err)
{
	if (n < *cap)
		return 0;
	size_t grown_cap = *cap ? *cap * 2 : 16;
	void *grown = realloc(*items, grown_cap * size);
	if (!grown)
		return store_fail(err, DL_ENOMEM, _("out of memory"));
	*items = grown;
	*cap = grown_cap;
	return 0;
}

/* Read one row of a list into the element elem (a dl_store_audit, _user, _document, _review). */
typedef void (*read_row_fn)(sqlite3_stmt *stmt, void *elem);

/*
 * The rows of sql (one optional parameter ?1: credit_code, NULL binding NULL), each read by read
 * into an element of size bytes, in the query's order. *out is malloc'ed (free()); none: NULL and
 * *count 0. what names the reading in a failure's message.
 */
static int list_rows(dl_store *st, const char *sql, const char *credit_code, size_t size,
		     read_row_fn read, const char *what, void **out, size_t *count, dl_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	void *list = NULL;
	size_t n = 0, cap = 0;
	*out = NULL;
	*count = 0;
	int code = store_acquire(st, &db, err);
	if (code < 0)
		return code;
	int rc = store_prepare(db, sql, &stmt);
	if (rc == SQLITE_OK && credit_code)
		rc = sqlite3_bind_text(stmt, 1, credit_code, -1, SQLITE_STATIC);
	while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if ((code = grow(&list, &cap, n, size, err)) < 0)
			goto done;
		read(stmt, (char *)list + n++ * size);
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		code = store_fail_db(err, db, rc, what);
		goto done;
	}
	*out = n ? list : NULL;
	*count = n;
	list = n ? NULL : list;
done:
	free(list);
	sqlite3_finalize(stmt);
	store_release(st, db);
	return code;
}

/* --- the audit chain --------------------------------------------------------------------------- */

/* The columns of an audit entry, in the order read_audit reads them and audit_hash hashes them
 * (after prev). */
#define AUDIT_COLUMNS                                                                              \
	"seq, at, user, role, remote, action, credit_code, sheet_id, sheet_version, sha256,"       \
	" detail, prev, hash"

/* Feed one field into the hash: its length in bytes in decimal, ':', its bytes. */
static void hash_field(struct sha256_ctx *ctx, const char *bytes, size_t len)
{
	char head[32];
	int n = snprintf(head, sizeof(head), "%zu:", len);
	sha256_update(ctx, (size_t)n, (const uint8_t *)head);
	if (len > 0)
		sha256_update(ctx, len, (const uint8_t *)bytes);
}

static void hash_int(struct sha256_ctx *ctx, int64_t value)
{
	char text[32];
	int n = snprintf(text, sizeof(text), "%lld", (long long)value);
	hash_field(ctx, text, (size_t)n);
}

/* The text fields of an entry as bytes with their lengths: prev, at, user, role, remote, action,
 * credit_code, sha256, detail (the order of docs/store.md with the integers apart). */
typedef struct audit_bytes {
	const char *text[9];
	size_t len[9];
	int64_t seq, sheet_id, sheet_version;
} audit_bytes;

/*
 * hash = SHA-256 of: prev, seq, at, user, role, remote, action, credit_code, sheet_id,
 * sheet_version, sha256, detail, each written as its length in bytes (decimal ASCII), ':' and
 * its bytes (integers as decimal ASCII), one after another with nothing between. docs/store.md.
 */
static void audit_hash(const audit_bytes *b, char hex[65])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	hash_field(&ctx, b->text[0], b->len[0]); /* prev */
	hash_int(&ctx, b->seq);
	for (int i = 1; i <= 6; i++) /* at, user, role, remote, action, credit_code */
		hash_field(&ctx, b->text[i], b->len[i]);
	hash_int(&ctx, b->sheet_id);
	hash_int(&ctx, b->sheet_version);
	hash_field(&ctx, b->text[7], b->len[7]); /* sha256 */
	hash_field(&ctx, b->text[8], b->len[8]); /* detail */
	sha256_digest(&ctx, sizeof(digest), digest);
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

static void audit_bytes_of(const dl_store_audit *e, audit_bytes *b)
{
	const char *text[9] = {e->prev,   e->at,          e->user,   e->role,  e->remote,
			       e->action, e->credit_code, e->sha256, e->detail};
	for (int i = 0; i < 9; i++) {
		b->text[i] = text[i];
		b->len[i] = strlen(text[i]);
	}
	b->seq = e->seq;
	b->sheet_id = e->sheet_id;
	b->sheet_version = e->sheet_version;
}

int store_audit_append(dl_store *st, sqlite3 *db, const dl_store_audit *e,
		       const dl_store_actor *by, dl_error *err)
{
	(void)st;
	dl_store_audit x;
	memset(&x, 0, sizeof(x));
	if (empty(e->action))
		return store_fail(err, DL_EINVALID, _("an audit entry needs an action"));
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		x.seq = sqlite3_column_int64(stmt, 0) + 1;
		store_copy_text(x.prev, sizeof(x.prev), stmt, 1);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		x.seq = 1;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (rc != SQLITE_OK)
		return store_fail_db(err, db, rc, _("writing the audit log"));

	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(x.at, sizeof(x.at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	copy_cut(x.user, sizeof(x.user), by ? by->user : NULL);
	copy_cut(x.role, sizeof(x.role), by ? by->role : NULL);
	copy_cut(x.remote, sizeof(x.remote), by ? by->remote : NULL);
	copy_cut(x.action, sizeof(x.action), e->action);
	copy_cut(x.credit_code, sizeof(x.credit_code), e->credit_code);
	x.sheet_id = e->sheet_id;
	x.sheet_version = e->sheet_version;
	copy_cut(x.sha256, sizeof(x.sha256), e->sha256);
	copy_cut(x.detail, sizeof(x.detail), e->detail);
	audit_bytes b;
	audit_bytes_of(&x, &b);
	audit_hash(&b, x.hash);

	rc = store_prepare(db,
			   "INSERT INTO audit (" AUDIT_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
			   " ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
			   &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, x.seq);
	const char *text[] = {x.at, x.user, x.role, x.remote, x.action, x.credit_code};
	for (int i = 0; rc == SQLITE_OK && i < 6; i++)
		rc = store_bind_text(stmt, 2 + i, text[i]);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 8, x.sheet_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 9, x.sheet_version);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 10, x.sha256);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 11, x.detail);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 12, x.prev);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 13, x.hash);
	if (rc == SQLITE_OK)
		rc = step_done(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_OK ? 0 : store_fail_db(err, db, rc, _("writing the audit log"));
}

/* An audit entry with only what the caller says: action, credit code, item, digest, detail. */
static dl_store_audit entry(const char *action, const char *credit_code, int64_t id,
			    int64_t version, const char *sha256, const char *detail)
{
	dl_store_audit e;
	memset(&e, 0, sizeof(e));
	copy_cut(e.action, sizeof(e.action), action);
	copy_cut(e.credit_code, sizeof(e.credit_code), credit_code);
	e.sheet_id = id;
	e.sheet_version = version;
	copy_cut(e.sha256, sizeof(e.sha256), sha256);
	copy_cut(e.detail, sizeof(e.detail), detail);
	return e;
}

/* Append e in a transaction of its own. */
static int audit_alone(dl_store *st, const dl_store_audit *e, const dl_store_actor *by,
		       dl_error *err)
{
	int code = store_begin(st, _("writing the audit log"), err);
	if (code < 0)
		return code;
	if ((code = store_audit_append(st, st->writer, e, by, err)) < 0) {
		store_rollback(st);
		return code;
	}
	return store_commit(st, _("writing the audit log"), err);
}

int dl_store_audit_add(dl_store *st, const dl_store_audit *e, const dl_store_actor *by,
		       dl_error *err)
{
	dl_store_audit x = entry(e->action, e->credit_code, e->sheet_id, e->sheet_version,
				 e->sha256, e->detail);
	return audit_alone(st, &x, by, err);
}

static void read_audit(sqlite3_stmt *stmt, dl_store_audit *e)
{
	memset(e, 0, sizeof(*e));
	e->seq = sqlite3_column_int64(stmt, 0);
	store_copy_text(e->at, sizeof(e->at), stmt, 1);
	store_copy_text(e->user, sizeof(e->user), stmt, 2);
	store_copy_text(e->role, sizeof(e->role), stmt, 3);
	store_copy_text(e->remote, sizeof(e->remote), stmt, 4);
	store_copy_text(e->action, sizeof(e->action), stmt, 5);
	store_copy_text(e->credit_code, sizeof(e->credit_code), stmt, 6);
	e->sheet_id = sqlite3_column_int64(stmt, 7);
	e->sheet_version = sqlite3_column_int64(stmt, 8);
	store_copy_text(e->sha256, sizeof(e->sha256), stmt, 9);
	store_copy_text(e->detail, sizeof(e->detail), stmt, 10);
	store_copy_text(e->prev, sizeof(e->prev), stmt, 11);
	store_copy_text(e->hash, sizeof(e->hash), stmt, 12);
}

static void audit_row(sqlite3_stmt *stmt, void *elem)
{
	read_audit(stmt, elem);
}

int dl_store_audit_list(dl_store *st, const char *credit_code, dl_store_audit **entries,
			size_t *count, dl_error *err)
{
	void *list = NULL;
	int code = list_rows(st,
			 "SELECT " AUDIT_COLUMNS " FROM audit"
			 " WHERE (?1 IS NULL OR credit_code = ?1) ORDER BY seq",
			 credit_code, sizeof(**entries), audit_row, _("reading the audit log"),
			 &list, count, err);
	*entries = list;
	return code;
}

/* The bytes of column col (text), and their length. */
static const char *column_bytes(sqlite3_stmt *stmt, int col, size_t *len)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);
	*len = text ? (size_t)sqlite3_column_bytes(stmt, col) : 0;
	return text ? text : "";
}

/*
 * On db, in the verify's read transaction: each entry that stored a sheet or a document (its
 * action) against the row it names: the row is there with the version and digest the entry
 * recorded, and its bytes still have that digest. The first entry that does not hold: DL_EBROKEN.
 */
static int check_items(sqlite3 *db, const char *sql, const char *what, int64_t *broken,
		       dl_error *err)
{
	sqlite3_stmt *stmt = NULL;
	int code = 0, rc = store_prepare(db, sql, &stmt);
	while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		int64_t seq = sqlite3_column_int64(stmt, 0), id = sqlite3_column_int64(stmt, 1);
		int64_t version = sqlite3_column_int64(stmt, 2);
		size_t recorded_len = 0, stored_len = 0;
		const char *recorded = column_bytes(stmt, 3, &recorded_len);
		const char *stored = column_bytes(stmt, 5, &stored_len);
		const void *bytes = sqlite3_column_blob(stmt, 6);
		size_t len = (size_t)sqlite3_column_bytes(stmt, 6);
		char digest[65];
		store_sha256_hex(bytes ? bytes : "", len, digest);
		const char *why = NULL;
		if (sqlite3_column_type(stmt, 4) == SQLITE_NULL)
			why = _("it is not in the store");
		else if (sqlite3_column_int64(stmt, 4) != version)
			why = _("its version is not the one recorded");
		else if (recorded_len != 64 || memcmp(recorded, digest, 64) != 0)
			why = _("its bytes were changed: their SHA-256 is not the one recorded");
		else if (stored_len != 64 || memcmp(stored, digest, 64) != 0)
			why = _("its recorded SHA-256 was changed");
		if (why) {
			*broken = seq;
			code = store_fail(err, DL_EBROKEN, _("entry %lld records %s %lld version %lld, "
							     "and %s"),
					  (long long)seq, what, (long long)id, (long long)version, why);
			break;
		}
	}
	if (code == 0 && rc != SQLITE_DONE)
		code = store_fail_db(err, db, rc, _("reading the audit log"));
	sqlite3_finalize(stmt);
	return code;
}

/*
 * On db, in the verify's read transaction: every sheet saved since the chain began has its entry
 * (a put writes both in one transaction, and ids only grow), so a sheet without one means entries
 * were removed from the end of the log, which the chain alone cannot show. *broken: where the
 * first missing entry would be, after the last of the entries.
 */
static int check_unrecorded(sqlite3 *db, int64_t entries, int64_t *broken, dl_error *err)
{
	sqlite3_stmt *stmt = NULL;
	int code = 0, rc = store_prepare(
			  db,
			  "SELECT s.id, s.received FROM sheet s WHERE s.id >= (SELECT min(sheet_id)"
			  " FROM audit WHERE action IN ('sheet.save', 'sheet.submit'))"
			  " AND NOT EXISTS (SELECT 1 FROM audit a WHERE a.sheet_id = s.id"
			  " AND a.action IN ('sheet.save', 'sheet.submit')) ORDER BY s.id LIMIT 1",
			  &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*broken = entries + 1;
		code = store_fail(err, DL_EBROKEN,
				  _("sheet %lld (saved %s) has no entry: entries at the end of the "
				    "log were removed"),
				  (long long)sqlite3_column_int64(stmt, 0),
				  (const char *)sqlite3_column_text(stmt, 1));
	} else if (rc != SQLITE_DONE) {
		code = store_fail_db(err, db, rc, _("reading the audit log"));
	}
	sqlite3_finalize(stmt);
	return code;
}

int dl_store_audit_verify(dl_store *st, int64_t *checked, int64_t *broken, dl_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	*checked = 0;
	*broken = 0;
	int code = store_acquire(st, &db, err);
	if (code < 0)
		return code;
	/* one read transaction: the chain and the rows it names are one snapshot */
	int rc = store_exec(db, "BEGIN");
	if (rc == SQLITE_OK)
		rc = store_prepare(db, "SELECT " AUDIT_COLUMNS " FROM audit ORDER BY seq", &stmt);
	int64_t expected = 1;
	char prev[65] = "";
	while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		audit_bytes b;
		static const int cols[9] = {11, 1, 2, 3, 4, 5, 6, 9, 10};
		for (int i = 0; i < 9; i++)
			b.text[i] = column_bytes(stmt, cols[i], &b.len[i]);
		b.seq = sqlite3_column_int64(stmt, 0);
		b.sheet_id = sqlite3_column_int64(stmt, 7);
		b.sheet_version = sqlite3_column_int64(stmt, 8);
		size_t hash_len = 0;
		const char *hash = column_bytes(stmt, 12, &hash_len);
		char computed[65];
		audit_hash(&b, computed);
		if (b.seq != expected) {
			*broken = expected;
			code = store_fail(err, DL_EBROKEN,
					  _("entry %lld is missing: the entry after %lld is %lld"),
					  (long long)expected, (long long)(expected - 1),
					  (long long)b.seq);
		} else if (b.len[0] != strlen(prev) || memcmp(b.text[0], prev, b.len[0]) != 0) {
			*broken = b.seq;
			code = store_fail(err, DL_EBROKEN,
					  _("entry %lld does not carry the hash of the entry before "
					    "it: an entry before it was changed, removed or inserted"),
					  (long long)b.seq);
		} else if (hash_len != 64 || memcmp(hash, computed, 64) != 0) {
			*broken = b.seq;
			code = store_fail(err, DL_EBROKEN,
					  _("entry %lld was changed after it was written: its hash "
					    "does not match its contents"),
					  (long long)b.seq);
		}
		if (code < 0)
			break;
		memcpy(prev, hash, 64);
		prev[64] = '\0';
		expected++;
		(*checked)++;
	}
	if (code == 0 && rc != SQLITE_DONE)
		code = store_fail_db(err, db, rc, _("reading the audit log"));
	sqlite3_finalize(stmt);
	/* the chain holds: now the sheets and documents its entries recorded */
	if (code == 0)
		code = check_items(db,
				   "SELECT a.seq, a.sheet_id, a.sheet_version, a.sha256, s.version,"
				   " s.sha256, s.xml FROM audit a LEFT JOIN sheet s ON s.id = a.sheet_id"
				   " WHERE a.action IN ('sheet.save', 'sheet.submit') ORDER BY a.seq",
				   _("sheet"), broken, err);
	if (code == 0)
		code = check_items(db,
				   "SELECT a.seq, a.sheet_id, a.sheet_version, a.sha256, d.version,"
				   " d.sha256, d.bytes FROM audit a LEFT JOIN document d"
				   " ON d.id = a.sheet_id WHERE a.action = 'document.save' ORDER BY a.seq",
				   _("document"), broken, err);
	if (code == 0)
		code = check_unrecorded(db, *checked, broken, err);
	if (code == DL_EBROKEN)
		*checked = *broken - 1;
	store_exec(db, "COMMIT");
	store_release(st, db);
	return code;
}

/* --- accounts ---------------------------------------------------------------------------------- */

#define USER_COLUMNS "id, name, role, credit_code, disabled, created"

static void read_user(sqlite3_stmt *stmt, int col, dl_store_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(stmt, col);
	store_copy_text(u->name, sizeof(u->name), stmt, col + 1);
	store_copy_text(u->role, sizeof(u->role), stmt, col + 2);
	store_copy_text(u->credit_code, sizeof(u->credit_code), stmt, col + 3);
	u->disabled = sqlite3_column_int(stmt, col + 4) != 0;
	store_copy_text(u->created, sizeof(u->created), stmt, col + 5);
}

int dl_store_user_count(dl_store *st, int64_t *count, dl_error *err)
{
	sqlite3 *db = NULL;
	*count = 0;
	int code = store_acquire(st, &db, err);
	if (code < 0)
		return code;
	int rc = store_query_int(db, "SELECT count(*) FROM user", count);
	if (rc != SQLITE_OK)
		code = store_fail_db(err, db, rc, _("counting accounts"));
	store_release(st, db);
	return code;
}

/* In the writer's transaction: the account called name into *u (if not NULL). DL_ENOTFOUND. */
static int user_named(sqlite3 *db, const char *name, dl_store_user *u, dl_error *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(db, "SELECT " USER_COLUMNS " FROM user WHERE name = ?1", &stmt);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 1, name);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	int code = 0;
	if (rc == SQLITE_ROW) {
		if (u)
			read_user(stmt, 0, u);
	} else if (rc == SQLITE_DONE) {
		code = store_fail(err, DL_ENOTFOUND, _("there is no account '%s'"), name ? name : "");
	} else {
		code = store_fail_db(err, db, rc, _("finding an account"));
	}
	sqlite3_finalize(stmt);
	return code;
}

int dl_store_user_add(dl_store *st, const dl_store_user *user, const char *password_hash,
		      const dl_store_actor *by, dl_error *err)
{
	size_t name_len = strnlen(user->name, sizeof(user->name));
	if (name_len == 0 || name_len >= sizeof(user->name))
		return store_fail(err, DL_EINVALID, _("an account needs a name of 1 to %zu bytes"),
				  sizeof(user->name) - 1);
	if (!is_role(user->role))
		return store_fail(err, DL_EINVALID, _("'%s' is not a role"), user->role);
	bool enterprise = strcmp(user->role, DL_ROLE_ENTERPRISE) == 0;
	if (enterprise != (user->credit_code[0] != '\0'))
		return store_fail(err, DL_EINVALID,
				  enterprise ? _("an enterprise account needs its credit code")
					     : _("only an enterprise account has a credit code"));
	if (empty(password_hash))
		return store_fail(err, DL_EINVALID, _("an account needs a password hash"));
	int code = store_begin(st, _("adding an account"), err);
	if (code < 0)
		return code;
	sqlite3 *db = st->writer;
	dl_error ignored;
	if (user_named(db, user->name, NULL, &ignored) == 0) {
		code = store_fail(err, DL_EEXISTS, _("the name '%s' is taken"), user->name);
		goto failed;
	}
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(db,
			       "INSERT INTO user (name, role, credit_code, password_hash, disabled,"
			       " created) VALUES (?1, ?2, ?3, ?4, ?5, " STORE_NOW ")",
			       &stmt);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 1, user->name);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 2, user->role);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 3, user->credit_code);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 4, password_hash);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(stmt, 5, user->disabled ? 1 : 0);
	if (rc == SQLITE_OK)
		rc = step_done(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK) {
		code = store_fail_db(err, db, rc, _("adding an account"));
		goto failed;
	}
	char detail[128];
	snprintf(detail, sizeof(detail), "%s %s", user->name, user->role);
	dl_store_audit e = entry("user.add", user->credit_code, 0, 0, "", detail);
	if ((code = store_audit_append(st, db, &e, by, err)) < 0)
		goto failed;
	return store_commit(st, _("adding an account"), err);
failed:
	store_rollback(st);
	return code;
}

int dl_store_user_find(dl_store *st, const char *name, dl_store_user *user, char *hash,
		       size_t hash_size, dl_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int code = store_acquire(st, &db, err);
	if (code < 0)
		return code;
	int rc = store_prepare(
	    db, "SELECT " USER_COLUMNS ", password_hash FROM user WHERE name = ?1", &stmt);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 1, name);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		dl_store_user u;
		read_user(stmt, 0, &u);
		size_t len = 0;
		const char *h = column_bytes(stmt, 6, &len);
		if (hash && len >= hash_size) {
			code = store_fail(err, DL_EINVALID,
					  _("the password hash of account '%s' is too long"),
					  u.name);
		} else {
			if (hash) {
				memcpy(hash, h, len);
				hash[len] = '\0';
			}
			if (user)
				*user = u;
		}
	} else if (rc == SQLITE_DONE) {
		code = store_fail(err, DL_ENOTFOUND, _("there is no account '%s'"), name ? name : "");
	} else {
		code = store_fail_db(err, db, rc, _("finding an account"));
	}
	sqlite3_finalize(stmt);
	store_release(st, db);
	return code;
}

static void user_row(sqlite3_stmt *stmt, void *elem)
{
	read_user(stmt, 0, elem);
}

int dl_store_user_list(dl_store *st, dl_store_user **users, size_t *count, dl_error *err)
{
	void *list = NULL;
	int code = list_rows(st, "SELECT " USER_COLUMNS " FROM user ORDER BY name", NULL, sizeof(**users),
			 user_row, _("listing accounts"), &list, count, err);
	*users = list;
	return code;
}

/* In the writer's transaction: end every live session of user_id. */
static int end_sessions(sqlite3 *db, int64_t user_id, dl_error *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(db,
			       "UPDATE session SET ended = " STORE_NOW
			       " WHERE user_id = ?1 AND ended IS NULL",
			       &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, user_id);
	if (rc == SQLITE_OK)
		rc = step_done(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_OK ? 0 : store_fail_db(err, db, rc, _("ending sessions"));
}

/* Update one column of the account name (sql binds ?1 the value, ?2 the id), end its sessions and
 * write the audit entry action, in one transaction. */
static int user_change(dl_store *st, const char *name, const char *sql, const char *text,
		       int number, const char *action, const dl_store_actor *by, dl_error *err)
{
	int code = store_begin(st, _("changing an account"), err);
	if (code < 0)
		return code;
	sqlite3 *db = st->writer;
	dl_store_user u;
	sqlite3_stmt *stmt = NULL;
	if ((code = user_named(db, name, &u, err)) < 0)
		goto failed;
	int rc = store_prepare(db, sql, &stmt);
	if (rc == SQLITE_OK)
		rc = text ? store_bind_text(stmt, 1, text) : sqlite3_bind_int(stmt, 1, number);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 2, u.id);
	if (rc == SQLITE_OK)
		rc = step_done(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK) {
		code = store_fail_db(err, db, rc, _("changing an account"));
		goto failed;
	}
	if ((code = end_sessions(db, u.id, err)) < 0)
		goto failed;
	dl_store_audit e = entry(action, u.credit_code, 0, 0, "", u.name);
	if ((code = store_audit_append(st, db, &e, by, err)) < 0)
		goto failed;
	return store_commit(st, _("changing an account"), err);
failed:
	store_rollback(st);
	return code;
}

int dl_store_user_set_disabled(dl_store *st, const char *name, bool disabled,
			       const dl_store_actor *by, dl_error *err)
{
	return user_change(st, name, "UPDATE user SET disabled = ?1 WHERE id = ?2", NULL,
			   disabled ? 1 : 0, disabled ? "user.disable" : "user.enable", by, err);
}

int dl_store_user_set_password(dl_store *st, const char *name, const char *password_hash,
			       const dl_store_actor *by, dl_error *err)
{
	if (empty(password_hash))
		return store_fail(err, DL_EINVALID, _("an account needs a password hash"));
	return user_change(st, name, "UPDATE user SET password_hash = ?1 WHERE id = ?2",
			   password_hash, 0, "user.passwd", by, err);
}

/* --- sessions ---------------------------------------------------------------------------------- */

static bool is_hex64(const char *text)
{
	if (!text || strnlen(text, 65) != 64)
		return false;
	for (int i = 0; i < 64; i++)
		if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')))
			return false;
	return true;
}

int dl_store_session_start(dl_store *st, int64_t user_id, const char token_sha256[65],
			   const char csrf[65], int64_t lifetime, const dl_store_actor *by,
			   dl_error *err)
{
	if (!is_hex64(token_sha256) || empty(csrf) || lifetime <= 0 || lifetime > INT32_MAX)
		return store_fail(err, DL_EINVALID,
				  _("a session needs a token digest (64 hex digits), a CSRF token "
				    "and a lifetime in seconds"));
	int code = store_begin(st, _("starting a session"), err);
	if (code < 0)
		return code;
	sqlite3 *db = st->writer;
	sqlite3_stmt *stmt = NULL;
	char credit_code[32] = "", name[64] = "";
	int rc = store_prepare(db, "SELECT credit_code, name FROM user WHERE id = ?1", &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, user_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		store_copy_text(credit_code, sizeof(credit_code), stmt, 0);
		store_copy_text(name, sizeof(name), stmt, 1);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		sqlite3_finalize(stmt);
		code = store_fail(err, DL_ENOTFOUND, _("there is no account %lld"),
				  (long long)user_id);
		goto failed;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (rc == SQLITE_OK)
		rc = store_prepare(db,
				   "INSERT INTO session (token_sha256, user_id, csrf, created, expires)"
				   " VALUES (?1, ?2, ?3, " STORE_NOW ", strftime('%Y-%m-%dT%H:%M:%SZ',"
				   " CAST(strftime('%s', 'now') AS INTEGER) + ?4, 'unixepoch'))",
				   &stmt);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 1, token_sha256);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 2, user_id);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 3, csrf);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 4, lifetime);
	if (rc == SQLITE_OK)
		rc = step_done(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK) {
		code = store_fail_db(err, db, rc, _("starting a session"));
		goto failed;
	}
	dl_store_audit e = entry("login", credit_code, 0, 0, "", name);
	if ((code = store_audit_append(st, db, &e, by, err)) < 0)
		goto failed;
	return store_commit(st, _("starting a session"), err);
failed:
	store_rollback(st);
	return code;
}

int dl_store_session_find(dl_store *st, const char token_sha256[65], dl_store_session *session,
			  dl_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int code = store_acquire(st, &db, err);
	if (code < 0)
		return code;
	int rc = store_prepare(
	    db,
	    "SELECT u.id, u.name, u.role, u.credit_code, u.disabled, u.created, s.csrf, s.expires"
	    " FROM session s JOIN user u ON u.id = s.user_id"
	    " WHERE s.token_sha256 = ?1 AND s.ended IS NULL AND s.expires > " STORE_NOW
	    " AND u.disabled = 0",
	    &stmt);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 1, token_sha256);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		dl_store_session s;
		memset(&s, 0, sizeof(s));
		read_user(stmt, 0, &s.user);
		store_copy_text(s.csrf, sizeof(s.csrf), stmt, 6);
		store_copy_text(s.expires, sizeof(s.expires), stmt, 7);
		if (session)
			*session = s;
	} else if (rc == SQLITE_DONE) {
		code = store_fail(err, DL_ENOTFOUND, _("no live session has this token"));
	} else {
		code = store_fail_db(err, db, rc, _("finding a session"));
	}
	sqlite3_finalize(stmt);
	store_release(st, db);
	return code;
}

int dl_store_session_end(dl_store *st, const char token_sha256[65], const dl_store_actor *by,
			 dl_error *err)
{
	int code = store_begin(st, _("ending a session"), err);
	if (code < 0)
		return code;
	sqlite3 *db = st->writer;
	sqlite3_stmt *stmt = NULL;
	char credit_code[32] = "", name[64] = "";
	bool live = false;
	int rc = store_prepare(db,
			       "SELECT u.credit_code, u.name FROM session s JOIN user u"
			       " ON u.id = s.user_id WHERE s.token_sha256 = ?1 AND s.ended IS NULL",
			       &stmt);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 1, token_sha256);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		live = true;
		store_copy_text(credit_code, sizeof(credit_code), stmt, 0);
		store_copy_text(name, sizeof(name), stmt, 1);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (rc == SQLITE_OK && live)
		rc = store_prepare(db,
				   "UPDATE session SET ended = " STORE_NOW
				   " WHERE token_sha256 = ?1 AND ended IS NULL",
				   &stmt);
	if (rc == SQLITE_OK && live)
		rc = store_bind_text(stmt, 1, token_sha256);
	if (rc == SQLITE_OK && live)
		rc = step_done(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK) {
		code = store_fail_db(err, db, rc, _("ending a session"));
		goto failed;
	}
	if (!live) {
		store_rollback(st); /* nothing to end, nothing written */
		return 0;
	}
	dl_store_audit e = entry("logout", credit_code, 0, 0, "", name);
	if ((code = store_audit_append(st, db, &e, by, err)) < 0)
		goto failed;
	return store_commit(st, _("ending a session"), err);
failed:
	store_rollback(st);
	return code;
}

/* --- enterprises and assignments --------------------------------------------------------------- */

/* Every enterprise the store knows (?1 NULL), or one: registered, assigned, named by a sheet or
 * an account; its name as registered, else its newest sheet's; its current assignments (the
 * newest per role). */
static const char ENTERPRISE_SQL[] =
    "WITH codes(code) AS (SELECT credit_code FROM enterprise"
    " UNION SELECT credit_code FROM assignment"
    " UNION SELECT credit_code FROM sheet WHERE credit_code <> ''"
    " UNION SELECT credit_code FROM user WHERE credit_code <> '')"
    " SELECT c.code,"
    " coalesce(nullif((SELECT e.name FROM enterprise e WHERE e.credit_code = c.code), ''),"
    " (SELECT s.name FROM sheet s WHERE s.credit_code = c.code AND s.name <> ''"
    " ORDER BY s.id DESC LIMIT 1), ''),"
    " coalesce((SELECT a.user FROM assignment a WHERE a.credit_code = c.code"
    " AND a.role = 'integrator' ORDER BY a.id DESC LIMIT 1), ''),"
    " coalesce((SELECT a.user FROM assignment a WHERE a.credit_code = c.code"
    " AND a.role = 'evaluator' ORDER BY a.id DESC LIMIT 1), '')"
    " FROM codes c WHERE (?1 IS NULL OR c.code = ?1) ORDER BY c.code";

static int enterprises(dl_store *st, const char *credit_code, dl_store_enterprise **list,
		       size_t *count, dl_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	dl_store_enterprise *items = NULL;
	size_t n = 0, cap = 0;
	*list = NULL;
	*count = 0;
	int code = store_acquire(st, &db, err);
	if (code < 0)
		return code;
	int rc = store_prepare(db, ENTERPRISE_SQL, &stmt);
	if (rc == SQLITE_OK && credit_code)
		rc = sqlite3_bind_text(stmt, 1, credit_code, -1, SQLITE_STATIC);
	while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if ((code = grow((void **)&items, &cap, n, sizeof(*items), err)) < 0)
			goto done;
		dl_store_enterprise *e = &items[n++];
		memset(e, 0, sizeof(*e));
		store_copy_text(e->credit_code, sizeof(e->credit_code), stmt, 0);
		store_copy_text(e->name, sizeof(e->name), stmt, 1);
		store_copy_text(e->integrator, sizeof(e->integrator), stmt, 2);
		store_copy_text(e->evaluator, sizeof(e->evaluator), stmt, 3);
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		code = store_fail_db(err, db, rc, _("listing enterprises"));
		goto done;
	}
	*list = n ? items : NULL;
	*count = n;
	items = n ? NULL : items;
done:
	free(items);
	sqlite3_finalize(stmt);
	store_release(st, db);
	return code;
}

int dl_store_enterprise_list(dl_store *st, dl_store_enterprise **list, size_t *count,
			     dl_error *err)
{
	return enterprises(st, NULL, list, count, err);
}

int dl_store_enterprise_get(dl_store *st, const char *credit_code, dl_store_enterprise *e,
			    dl_error *err)
{
	dl_store_enterprise *list = NULL;
	size_t n = 0;
	int code = enterprises(st, credit_code ? credit_code : "", &list, &n, err);
	if (code == 0 && n == 0)
		code = store_fail(err, DL_ENOTFOUND, _("the store knows no enterprise %s"),
				  credit_code ? credit_code : "");
	if (code == 0 && e)
		*e = list[0];
	free(list);
	return code;
}

static int check_code(const char *credit_code, dl_error *err)
{
	if (empty(credit_code) || strlen(credit_code) >= sizeof(((dl_store_enterprise *)0)->credit_code))
		return store_fail(err, DL_EINVALID, _("an enterprise needs its credit code"));
	return 0;
}

int dl_store_enterprise_register(dl_store *st, const char *credit_code, const char *name,
				 const dl_store_actor *by, dl_error *err)
{
	int code = check_code(credit_code, err);
	if (code < 0)
		return code;
	if ((code = store_begin(st, _("registering an enterprise"), err)) < 0)
		return code;
	sqlite3 *db = st->writer;
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(db,
			       "INSERT INTO enterprise (credit_code, name) VALUES (?1, ?2)"
			       " ON CONFLICT (credit_code) DO UPDATE SET name = excluded.name",
			       &stmt);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 1, credit_code);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 2, name);
	if (rc == SQLITE_OK)
		rc = step_done(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK) {
		code = store_fail_db(err, db, rc, _("registering an enterprise"));
		goto failed;
	}
	dl_store_audit e = entry("enterprise.register", credit_code, 0, 0, "", name);
	if ((code = store_audit_append(st, db, &e, by, err)) < 0)
		goto failed;
	return store_commit(st, _("registering an enterprise"), err);
failed:
	store_rollback(st);
	return code;
}

int dl_store_assign(dl_store *st, const char *credit_code, const char *role, const char *user,
		    const dl_store_actor *by, dl_error *err)
{
	int code = check_code(credit_code, err);
	if (code < 0)
		return code;
	if (!role || (strcmp(role, DL_ROLE_INTEGRATOR) != 0 && strcmp(role, DL_ROLE_EVALUATOR) != 0))
		return store_fail(err, DL_EINVALID,
				  _("an enterprise is assigned an integrator or an evaluator, not "
				    "'%s'"),
				  role ? role : "");
	if ((code = store_begin(st, _("assigning an enterprise"), err)) < 0)
		return code;
	sqlite3 *db = st->writer;
	sqlite3_stmt *stmt = NULL;
	if (!empty(user)) {
		dl_store_user u;
		if ((code = user_named(db, user, &u, err)) < 0 || strcmp(u.role, role) != 0) {
			code = store_fail(err, DL_EINVALID, _("there is no %s account '%s'"), role,
					  user);
			goto failed;
		}
	}
	int rc = store_prepare(db,
			       "INSERT INTO enterprise (credit_code, name) VALUES (?1, '')"
			       " ON CONFLICT (credit_code) DO NOTHING",
			       &stmt);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 1, credit_code);
	if (rc == SQLITE_OK)
		rc = step_done(stmt);
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (rc == SQLITE_OK)
		rc = store_prepare(db,
				   "INSERT INTO assignment (credit_code, role, user, by_user, at)"
				   " VALUES (?1, ?2, ?3, ?4, " STORE_NOW ")",
				   &stmt);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 1, credit_code);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 2, role);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 3, user);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 4, by ? by->user : NULL);
	if (rc == SQLITE_OK)
		rc = step_done(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK) {
		code = store_fail_db(err, db, rc, _("assigning an enterprise"));
		goto failed;
	}
	char detail[128];
	snprintf(detail, sizeof(detail), "%s%s%s", role, empty(user) ? "" : " ", user ? user : "");
	dl_store_audit e = entry(empty(user) ? "unassign" : "assign", credit_code, 0, 0, "", detail);
	if ((code = store_audit_append(st, db, &e, by, err)) < 0)
		goto failed;
	return store_commit(st, _("assigning an enterprise"), err);
failed:
	store_rollback(st);
	return code;
}

/* --- documents --------------------------------------------------------------------------------- */

#define DOCUMENT_COLUMNS                                                                           \
	"id, lineage, version, credit_code, kind, filename, content_type, sha256, author,"         \
	" received, length(bytes)"

static void read_document(sqlite3_stmt *stmt, dl_store_document *d)
{
	memset(d, 0, sizeof(*d));
	d->id = sqlite3_column_int64(stmt, 0);
	d->lineage = sqlite3_column_int64(stmt, 1);
	d->version = sqlite3_column_int64(stmt, 2);
	store_copy_text(d->credit_code, sizeof(d->credit_code), stmt, 3);
	store_copy_text(d->kind, sizeof(d->kind), stmt, 4);
	store_copy_text(d->filename, sizeof(d->filename), stmt, 5);
	store_copy_text(d->content_type, sizeof(d->content_type), stmt, 6);
	store_copy_text(d->sha256, sizeof(d->sha256), stmt, 7);
	store_copy_text(d->author, sizeof(d->author), stmt, 8);
	store_copy_text(d->received, sizeof(d->received), stmt, 9);
	d->len = (size_t)sqlite3_column_int64(stmt, 10);
}

/* In the writer's transaction: the new document's id, lineage and version; replaces must be a
 * document of the same enterprise and kind. */
static int place_document(sqlite3 *db, const dl_store_document *doc, int64_t replaces,
			  int64_t *id, int64_t *lineage, int64_t *version, dl_error *err)
{
	int rc = store_query_int(
	    db,
	    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'document'), 0),"
	    " coalesce((SELECT max(id) FROM document), 0)) + 1",
	    id);
	if (rc != SQLITE_OK)
		return store_fail_db(err, db, rc, _("saving a document"));
	*lineage = *id;
	*version = 1;
	if (replaces == 0)
		return 0;
	sqlite3_stmt *stmt = NULL;
	rc = store_prepare(db,
			   "SELECT d.lineage, (SELECT max(version) FROM document t WHERE"
			   " t.lineage = d.lineage), d.credit_code = ?2 AND d.kind = ?3"
			   " FROM document d WHERE d.id = ?1",
			   &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, replaces);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 2, doc->credit_code);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 3, doc->kind);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	int code = 0;
	if (rc == SQLITE_ROW && sqlite3_column_int(stmt, 2)) {
		*lineage = sqlite3_column_int64(stmt, 0);
		*version = sqlite3_column_int64(stmt, 1) + 1;
	} else if (rc == SQLITE_ROW) {
		code = store_fail(err, DL_EINVALID,
				  _("document %lld, which this one would replace, is another "
				    "enterprise's or of another kind"),
				  (long long)replaces);
	} else if (rc == SQLITE_DONE) {
		code = store_fail(err, DL_ENOTFOUND,
				  _("document %lld, which this one would replace, is not in the "
				    "store"),
				  (long long)replaces);
	} else {
		code = store_fail_db(err, db, rc, _("saving a document"));
	}
	sqlite3_finalize(stmt);
	return code;
}

int dl_store_document_put(dl_store *st, const dl_store_document *doc, int64_t replaces,
			  const void *bytes, size_t len, const dl_store_actor *by,
			  dl_store_document *stored, dl_error *err)
{
	int code = check_code(doc->credit_code, err);
	if (code < 0)
		return code;
	if (strcmp(doc->kind, "contract") != 0 && strcmp(doc->kind, "plan") != 0)
		return store_fail(err, DL_EINVALID,
				  _("a document is a contract or a plan, not '%s'"), doc->kind);
	if (!bytes && len > 0)
		return store_fail(err, DL_EINVALID, _("a document to save has no bytes"));
	char sha256[65];
	store_sha256_hex(len ? bytes : "", len, sha256);
	if ((code = store_begin(st, _("saving a document"), err)) < 0)
		return code;
	sqlite3 *db = st->writer;
	sqlite3_stmt *stmt = NULL;
	int64_t id = 0, lineage = 0, version = 0;
	if ((code = place_document(db, doc, replaces, &id, &lineage, &version, err)) < 0)
		goto failed;
	int rc = store_prepare(db,
			       "INSERT INTO document (id, lineage, version, credit_code, kind,"
			       " filename, content_type, sha256, author, received, bytes) VALUES"
			       " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, " STORE_NOW ", ?10)",
			       &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 2, lineage);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 3, version);
	const char *text[] = {doc->credit_code, doc->kind, doc->filename, doc->content_type,
			      sha256, by ? by->user : NULL};
	for (int i = 0; rc == SQLITE_OK && i < 6; i++)
		rc = store_bind_text(stmt, 4 + i, text[i]);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob64(stmt, 10, len ? bytes : "", len, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = step_done(stmt);
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (rc != SQLITE_OK) {
		code = store_fail_db(err, db, rc, _("saving a document"));
		goto failed;
	}
	char detail[320];
	snprintf(detail, sizeof(detail), "%s %s", doc->kind, doc->filename);
	dl_store_audit e = entry("document.save", doc->credit_code, id, version, sha256, detail);
	if ((code = store_audit_append(st, db, &e, by, err)) < 0)
		goto failed;
	if (stored) {
		rc = store_prepare(db, "SELECT " DOCUMENT_COLUMNS " FROM document WHERE id = ?1",
				   &stmt);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int64(stmt, 1, id);
		if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			read_document(stmt, stored);
			rc = SQLITE_OK;
		}
		sqlite3_finalize(stmt);
		if (rc != SQLITE_OK) {
			code = store_fail_db(err, db, rc, _("saving a document"));
			goto failed;
		}
	}
	return store_commit(st, _("saving a document"), err);
failed:
	store_rollback(st);
	return code;
}

int dl_store_document_get(dl_store *st, int64_t id, dl_store_document *doc, void **bytes,
			  dl_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int code = store_acquire(st, &db, err);
	if (code < 0)
		return code;
	int rc = store_prepare(db, "SELECT " DOCUMENT_COLUMNS ", bytes FROM document WHERE id = ?1",
			       &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		dl_store_document d;
		read_document(stmt, &d);
		if (bytes) {
			const void *blob = sqlite3_column_blob(stmt, 11);
			size_t len = (size_t)sqlite3_column_bytes(stmt, 11);
			void *copy = malloc(len ? len : 1);
			if (!copy) {
				code = store_fail(err, DL_ENOMEM, _("out of memory"));
				goto done;
			}
			if (len)
				memcpy(copy, blob, len);
			*bytes = copy;
		}
		if (doc)
			*doc = d;
	} else if (rc == SQLITE_DONE) {
		code = store_fail(err, DL_ENOTFOUND, _("document %lld is not in the store"),
				  (long long)id);
	} else {
		code = store_fail_db(err, db, rc, _("reading a document"));
	}
done:
	sqlite3_finalize(stmt);
	store_release(st, db);
	return code;
}

static void document_row(sqlite3_stmt *stmt, void *elem)
{
	read_document(stmt, elem);
}

int dl_store_document_list(dl_store *st, const char *credit_code, dl_store_document **docs,
			   size_t *count, dl_error *err)
{
	void *list = NULL;
	int code = list_rows(st,
			 "SELECT " DOCUMENT_COLUMNS " FROM document"
			 " WHERE (?1 IS NULL OR credit_code = ?1) ORDER BY id DESC",
			 credit_code, sizeof(**docs), document_row, _("listing documents"), &list, count, err);
	*docs = list;
	return code;
}

/* --- reviews ----------------------------------------------------------------------------------- */

#define REVIEW_COLUMNS "id, credit_code, item_kind, item_id, decision, comment, reviewer, at"

static void read_review(sqlite3_stmt *stmt, dl_store_review *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(stmt, 0);
	store_copy_text(r->credit_code, sizeof(r->credit_code), stmt, 1);
	store_copy_text(r->item_kind, sizeof(r->item_kind), stmt, 2);
	r->item_id = sqlite3_column_int64(stmt, 3);
	store_copy_text(r->decision, sizeof(r->decision), stmt, 4);
	store_copy_text(r->comment, sizeof(r->comment), stmt, 5);
	store_copy_text(r->reviewer, sizeof(r->reviewer), stmt, 6);
	store_copy_text(r->at, sizeof(r->at), stmt, 7);
}

int dl_store_review_add(dl_store *st, const dl_store_review *r, const dl_store_actor *by,
			dl_store_review *stored, dl_error *err)
{
	bool sheet = strcmp(r->item_kind, "sheet") == 0;
	bool returned = strcmp(r->decision, "returned") == 0;
	if (!sheet && strcmp(r->item_kind, "document") != 0)
		return store_fail(err, DL_EINVALID, _("a review is of a sheet or a document, not '%s'"),
				  r->item_kind);
	if (!returned && strcmp(r->decision, "approved") != 0)
		return store_fail(err, DL_EINVALID, _("a review approves or returns, not '%s'"),
				  r->decision);
	if (returned && is_blank(r->comment))
		return store_fail(err, DL_EINVALID, _("a returned item needs a comment saying why"));
	if (strnlen(r->comment, sizeof(r->comment)) >= sizeof(r->comment))
		return store_fail(err, DL_EINVALID, _("a review's comment is too long"));
	int code = store_begin(st, _("saving a review"), err);
	if (code < 0)
		return code;
	sqlite3 *db = st->writer;
	sqlite3_stmt *stmt = NULL;
	char sha256[65] = "";
	int64_t version = 0, id = 0;
	int rc = store_prepare(db,
			       sheet ? "SELECT version, sha256 FROM sheet WHERE id = ?1"
				       " AND credit_code = ?2"
				     : "SELECT version, sha256 FROM document WHERE id = ?1"
				       " AND credit_code = ?2",
			       &stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, r->item_id);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 2, r->credit_code);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		version = sqlite3_column_int64(stmt, 0);
		store_copy_text(sha256, sizeof(sha256), stmt, 1);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		sqlite3_finalize(stmt);
		code = store_fail(err, DL_ENOTFOUND,
				  sheet ? _("sheet %lld of enterprise %s is not in the store")
					: _("document %lld of enterprise %s is not in the store"),
				  (long long)r->item_id, r->credit_code);
		goto failed;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (rc == SQLITE_OK)
		rc = store_prepare(db,
				   "INSERT INTO review (credit_code, item_kind, item_id, decision,"
				   " comment, reviewer, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, " STORE_NOW
				   ")",
				   &stmt);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 1, r->credit_code);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 2, r->item_kind);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 3, r->item_id);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 4, r->decision);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 5, r->comment);
	if (rc == SQLITE_OK)
		rc = store_bind_text(stmt, 6, by ? by->user : NULL);
	if (rc == SQLITE_OK)
		rc = step_done(stmt);
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (rc != SQLITE_OK) {
		code = store_fail_db(err, db, rc, _("saving a review"));
		goto failed;
	}
	id = sqlite3_last_insert_rowid(db);
	char detail[sizeof(r->comment) + sizeof(r->item_kind) + 8];
	snprintf(detail, sizeof(detail), "%s%s%s", r->item_kind, is_blank(r->comment) ? "" : ": ",
		 is_blank(r->comment) ? "" : r->comment);
	dl_store_audit e = entry(returned ? "review.return" : "review.approve", r->credit_code,
				 r->item_id, version, sha256, detail);
	if ((code = store_audit_append(st, db, &e, by, err)) < 0)
		goto failed;
	if (stored) {
		rc = store_prepare(db, "SELECT " REVIEW_COLUMNS " FROM review WHERE id = ?1", &stmt);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int64(stmt, 1, id);
		if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			read_review(stmt, stored);
			rc = SQLITE_OK;
		}
		sqlite3_finalize(stmt);
		if (rc != SQLITE_OK) {
			code = store_fail_db(err, db, rc, _("saving a review"));
			goto failed;
		}
	}
	return store_commit(st, _("saving a review"), err);
failed:
	store_rollback(st);
	return code;
}

static void review_row(sqlite3_stmt *stmt, void *elem)
{
	read_review(stmt, elem);
}

int dl_store_review_list(dl_store *st, const char *credit_code, dl_store_review **reviews,
			 size_t *count, dl_error *err)
{
	void *list = NULL;
	int code = list_rows(st,
			 "SELECT " REVIEW_COLUMNS " FROM review"
			 " WHERE (?1 IS NULL OR credit_code = ?1) ORDER BY id DESC",
			 credit_code, sizeof(**reviews), review_row, _("listing reviews"),
			 &list, count, err);
	*reviews = list;
	return code;
}

/* --- backup ------------------------------------------------------------------------------------ */

/* fsync the file at path, and its folder. */
static int sync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

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

int dl_store_backup(dl_store *st, const char *path, dl_error *err)
{
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return store_fail(err, DL_EIO,
				  _("%s already exists: a backup never replaces a file; give a new "
				    "name"),
				  path);
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		return store_fail(err, DL_ENOMEM, _("out of memory"));
	snprintf(tmp, n, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp); /* beside path: link() below stays on one file system; mode 0600 */
	if (fd < 0) {
		int e = errno;
		free(tmp);
		return store_fail(err, DL_EIO, _("cannot write a backup beside %s: %s"), path,
				  dl_strerror(e));
	}
	close(fd);
	sqlite3 *src = NULL, *dst = NULL;
	int code = store_acquire(st, &src, err);
	if (code < 0)
		goto done;
	int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(dst, "main", src, "main") : NULL;
	if (!b) {
		code = store_fail_db(err, dst, rc == SQLITE_OK ? sqlite3_errcode(dst) : rc,
				     _("starting a backup"));
	} else {
		/* all pages in one step: one read transaction, one snapshot; writers go on (WAL) */
		rc = sqlite3_backup_step(b, -1);
		int finish = sqlite3_backup_finish(b);
		if (rc == SQLITE_DONE)
			rc = finish;
		if (rc != SQLITE_OK)
			code = store_fail(err, store_code_of(rc), _("the backup failed: %s"),
					  sqlite3_errstr(rc));
	}
	/* the copy in rollback-journal mode: one file, nothing beside it */
	if (code == 0 && store_exec(dst, "PRAGMA journal_mode = DELETE") != SQLITE_OK)
		code = store_fail_db(err, dst, sqlite3_errcode(dst), _("finishing a backup"));
	if (sqlite3_close(dst) != SQLITE_OK && code == 0)
		code = store_fail(err, DL_EIO, _("finishing a backup failed"));
	dst = NULL;
	store_release(st, src);
	if (code == 0 && sync_file(tmp) != 0)
		code = store_fail(err, DL_EIO, _("cannot write the backup to disk: %s"),
				  dl_strerror(errno));
	/* link, not rename: fails rather than replace a file made meanwhile at path */
	if (code == 0 && link(tmp, path) != 0)
		code = store_fail(err, DL_EIO,
				  errno == EEXIST ? _("%s already exists: a backup never replaces a "
						      "file; give a new name")
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
