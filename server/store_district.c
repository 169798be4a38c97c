/*
 * store_district.c: the district half of the store (store.h, "District mode"): accounts,
 * sessions, enterprises and their assignments, documents, the supervisor's reviews, the audit
 * chain and the backup; written once over db.h for either engine, as store.c.
 *
 * Why one file beside store.c: these are the tables a district adds to the sheets (schema
 * migration 2), and every change here goes with an audit entry written in the same transaction
 * (store_audit_append), so that the log and the data can never disagree: either both are
 * committed or neither is.
 *
 * The audit chain: each entry's hash is the SHA-256 of a canonical byte string of the previous
 * entry's hash and every field of its own (audit_hash below; docs/store.md gives the exact bytes),
 * so changing, removing or reordering an entry breaks every hash after it, and
 * dl_store_audit_verify names the first entry that does not hold. Triggers refuse UPDATE and
 * DELETE on the audit, assignment, review and document tables; what a person with the file (or
 * the database's owner account) can still do (drop a trigger, rewrite an entry) the chain shows.
 *
 * Sessions keep the SHA-256 of the token only (auth.c makes and hashes tokens), so a copy of the
 * database opens no session; a session's liveness is decided in SQL against the current UTC time,
 * made in C (db_now) and bound, as every time the store writes.
 */
#include "store_impl.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A growing array of n elements of size bytes each. */
static int grow(void **items, size_t *cap, size_t n, size_t size, dl_error *err)
{
	if (n < *cap)
		return 0;
	size_t grown_cap = *cap ? *cap * 2 : 16;
	void *grown = realloc(*items, grown_cap * size);
	if (!grown)
		return db_failf(err, DL_ENOMEM, _("out of memory"));
	*items = grown;
	*cap = grown_cap;
	return 0;
}

/* Read one row of a list into the element elem (a dl_store_audit, _user, _document, _review). */
typedef void (*read_row_fn)(db_stmt *stmt, void *elem);

/*
 * The rows of sql (by_code: its parameter ?1 is credit_code, NULL binding NULL), each read by read
 * into an element of size bytes, in the query's order. *out is malloc'ed (free()); none: NULL and
 * *count 0. what names the reading in a failure's message.
 */
static int list_rows(dl_store *st, const char *sql, bool by_code, const char *credit_code,
		     size_t size, read_row_fn read, const char *what, void **out, size_t *count,
		     dl_error *err)
{
	db_conn *c = NULL;
	db_stmt *stmt = NULL;
	void *list = NULL;
	size_t n = 0, cap = 0;
	*out = NULL;
	*count = 0;
	int code = db_acquire(st->db, &c, err);
	if (code < 0)
		return code;
	int rc = db_prepare(c, sql, &stmt);
	if (rc == 0 && by_code)
		rc = credit_code ? db_bind_cstr(stmt, 1, credit_code) : db_bind_null(stmt, 1);
	while (rc == 0 && (rc = db_step(stmt)) == DB_ROW) {
		if ((code = grow(&list, &cap, n, size, err)) < 0)
			goto done;
		read(stmt, (char *)list + n++ * size);
		rc = 0;
	}
	if (rc != DB_DONE) {
		code = db_fail(err, c, rc, what);
		goto done;
	}
	*out = n ? list : NULL;
	*count = n;
	list = n ? NULL : list;
done:
	free(list);
	db_finalize(stmt);
	db_release(st->db, c);
	return code;
}

/* --- the audit chain --------------------------------------------------------------------------- */

/* The columns of an audit entry, in the order read_audit reads them and audit_hash hashes them
 * (after prev). */
#define AUDIT_COLUMNS                                                                              \
	"seq, at, \"user\", role, remote, action, credit_code, sheet_id, sheet_version, sha256,"       \
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

int store_audit_append(db_conn *c, const dl_store_audit *e, const dl_store_actor *by,
		       dl_error *err)
{
	dl_store_audit x;
	memset(&x, 0, sizeof(x));
	if (empty(e->action))
		return db_failf(err, DL_EINVALID, _("an audit entry needs an action"));
	db_stmt *stmt = NULL;
	int rc = db_prepare(c, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &stmt);
	if (rc == 0)
		rc = db_step(stmt);
	if (rc == DB_ROW) {
		x.seq = db_column_int64(stmt, 0) + 1;
		store_copy_text(x.prev, sizeof(x.prev), stmt, 1);
		rc = 0;
	} else if (rc == DB_DONE) {
		x.seq = 1;
		rc = 0;
	}
	db_finalize(stmt);
	stmt = NULL;
	if (rc != 0)
		return db_fail(err, c, rc, _("writing the audit log"));

	db_now(x.at, 0);
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

	rc = db_prepare(c,
			   "INSERT INTO audit (" AUDIT_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
			   " ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
			   &stmt);
	if (rc == 0)
		rc = db_bind_int64(stmt, 1, x.seq);
	const char *text[] = {x.at, x.user, x.role, x.remote, x.action, x.credit_code};
	for (int i = 0; rc == 0 && i < 6; i++)
		rc = db_bind_cstr(stmt, 2 + i, text[i]);
	if (rc == 0)
		rc = db_bind_int64(stmt, 8, x.sheet_id);
	if (rc == 0)
		rc = db_bind_int64(stmt, 9, x.sheet_version);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 10, x.sha256);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 11, x.detail);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 12, x.prev);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 13, x.hash);
	if (rc == 0)
		rc = store_step_done(stmt);
	db_finalize(stmt);
	return rc == 0 ? 0 : db_fail(err, c, rc, _("writing the audit log"));
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
	db_conn *c = NULL;
	int code = db_begin(st->db, &c, _("writing the audit log"), err);
	if (code < 0)
		return code;
	if ((code = store_audit_append(c, e, by, err)) < 0) {
		db_rollback(st->db, c);
		return code;
	}
	return db_commit(st->db, c, _("writing the audit log"), err);
}

int dl_store_audit_add(dl_store *st, const dl_store_audit *e, const dl_store_actor *by,
		       dl_error *err)
{
	dl_store_audit x = entry(e->action, e->credit_code, e->sheet_id, e->sheet_version,
				 e->sha256, e->detail);
	return audit_alone(st, &x, by, err);
}

static void read_audit(db_stmt *stmt, dl_store_audit *e)
{
	memset(e, 0, sizeof(*e));
	e->seq = db_column_int64(stmt, 0);
	store_copy_text(e->at, sizeof(e->at), stmt, 1);
	store_copy_text(e->user, sizeof(e->user), stmt, 2);
	store_copy_text(e->role, sizeof(e->role), stmt, 3);
	store_copy_text(e->remote, sizeof(e->remote), stmt, 4);
	store_copy_text(e->action, sizeof(e->action), stmt, 5);
	store_copy_text(e->credit_code, sizeof(e->credit_code), stmt, 6);
	e->sheet_id = db_column_int64(stmt, 7);
	e->sheet_version = db_column_int64(stmt, 8);
	store_copy_text(e->sha256, sizeof(e->sha256), stmt, 9);
	store_copy_text(e->detail, sizeof(e->detail), stmt, 10);
	store_copy_text(e->prev, sizeof(e->prev), stmt, 11);
	store_copy_text(e->hash, sizeof(e->hash), stmt, 12);
}

static void audit_row(db_stmt *stmt, void *elem)
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
			 true, credit_code, sizeof(**entries), audit_row, _("reading the audit log"),
			 &list, count, err);
	*entries = list;
	return code;
}

/* The bytes of column col (text), and their length. */
static const char *column_bytes(db_stmt *stmt, int col, size_t *len)
{
	const char *text = (const char *)db_column_text(stmt, col);
	*len = text ? (size_t)db_column_bytes(stmt, col) : 0;
	return text ? text : "";
}

/*
 * On c, in the verify's read transaction: each entry that stored a sheet or a document (its
 * action) against the row it names: the row is there with the version and digest the entry
 * recorded, and its bytes still have that digest. The first entry that does not hold: DL_EBROKEN.
 */
/* The item ids the audit entries record (check_items), for check_unrecorded. */
typedef struct id_list {
	int64_t *ids;
	size_t count, cap;
} id_list;

static int id_list_add(id_list *l, int64_t id, dl_error *err)
{
	int code = grow((void **)&l->ids, &l->cap, l->count, sizeof *l->ids, err);
	if (code == 0)
		l->ids[l->count++] = id;
	return code;
}

static int by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Each entry of sql (seq, item id, version, recorded SHA-256, stored version and SHA-256, bytes)
 * against the item it records; the ids go to ids (if not NULL). */
static int check_items(db_conn *c, const char *sql, const char *what, id_list *ids,
		       int64_t *broken, dl_error *err)
{
	db_stmt *stmt = NULL;
	int code = 0, rc = db_prepare(c, sql, &stmt);
	while (rc == 0 && (rc = db_step(stmt)) == DB_ROW) {
		rc = 0;
		int64_t seq = db_column_int64(stmt, 0), id = db_column_int64(stmt, 1);
		if (ids && (code = id_list_add(ids, id, err)) < 0)
			break;
		int64_t version = db_column_int64(stmt, 2);
		size_t recorded_len = 0, stored_len = 0;
		const char *recorded = column_bytes(stmt, 3, &recorded_len);
		const char *stored = column_bytes(stmt, 5, &stored_len);
		const void *bytes = db_column_blob(stmt, 6);
		size_t len = (size_t)db_column_bytes(stmt, 6);
		char digest[65];
		store_sha256_hex(bytes ? bytes : "", len, digest);
		const char *why = NULL;
		if (db_column_is_null(stmt, 4))
			why = _("it is not in the store");
		else if (db_column_int64(stmt, 4) != version)
			why = _("its version is not the one recorded");
		else if (recorded_len != 64 || memcmp(recorded, digest, 64) != 0)
			why = _("its bytes were changed: their SHA-256 is not the one recorded");
		else if (stored_len != 64 || memcmp(stored, digest, 64) != 0)
			why = _("its recorded SHA-256 was changed");
		if (why) {
			*broken = seq;
			code = db_failf(err, DL_EBROKEN, _("entry %lld records %s %lld version %lld, "
							   "and %s"),
					(long long)seq, what, (long long)id, (long long)version, why);
			break;
		}
	}
	if (code == 0 && rc != DB_DONE)
		code = db_fail(err, c, rc, _("reading the audit log"));
	db_finalize(stmt);
	return code;
}

/*
 * On c, in the verify's read transaction: every sheet saved since the chain began has its entry
 * (a put writes both in one transaction, and ids only grow), so a sheet without one means entries
 * were removed from the end of the log, which the chain alone cannot show. *broken: where the
 * first missing entry would be, after the last of the entries. Found by a merge of the stored ids
 * with those the entries record (sorted here), not by a query per sheet: a province has 200,000 of
 * each (an anti-join without an index on audit.sheet_id took PostgreSQL hours).
 */
static int check_unrecorded(db_conn *c, int64_t entries, id_list *recorded, int64_t *broken,
			    dl_error *err)
{
	if (recorded->count == 0)
		return 0;
	qsort(recorded->ids, recorded->count, sizeof *recorded->ids, by_value);
	db_stmt *stmt = NULL;
	int code = 0, rc = db_prepare(c, "SELECT id, received FROM sheet WHERE id >= ?1 ORDER BY id",
				      &stmt);
	if (rc == 0)
		rc = db_bind_int64(stmt, 1, recorded->ids[0]);
	size_t at = 0;
	while (rc == 0 && (rc = db_step(stmt)) == DB_ROW) {
		rc = 0;
		int64_t id = db_column_int64(stmt, 0);
		while (at < recorded->count && recorded->ids[at] < id)
			at++;
		if (at == recorded->count || recorded->ids[at] != id) {
			*broken = entries + 1;
			code = db_failf(err, DL_EBROKEN,
					_("sheet %lld (saved %s) has no entry: entries at the end of the "
					  "log were removed"),
					(long long)id, (const char *)db_column_text(stmt, 1));
			break;
		}
	}
	if (code == 0 && rc != DB_DONE)
		code = db_fail(err, c, rc, _("reading the audit log"));
	db_finalize(stmt);
	return code;
}

int dl_store_audit_verify(dl_store *st, int64_t *checked, int64_t *broken, dl_error *err)
{
	db_conn *c = NULL;
	db_stmt *stmt = NULL;
	*checked = 0;
	*broken = 0;
	int code = db_acquire(st->db, &c, err);
	if (code < 0)
		return code;
	/* one read transaction: the chain and the rows it names are one snapshot */
	int rc = db_exec(c, "BEGIN");
	if (rc == 0)
		rc = db_prepare(c, "SELECT " AUDIT_COLUMNS " FROM audit ORDER BY seq", &stmt);
	int64_t expected = 1;
	char prev[65] = "";
	while (rc == 0 && (rc = db_step(stmt)) == DB_ROW) {
		rc = 0;
		audit_bytes b;
		static const int cols[9] = {11, 1, 2, 3, 4, 5, 6, 9, 10};
		for (int i = 0; i < 9; i++)
			b.text[i] = column_bytes(stmt, cols[i], &b.len[i]);
		b.seq = db_column_int64(stmt, 0);
		b.sheet_id = db_column_int64(stmt, 7);
		b.sheet_version = db_column_int64(stmt, 8);
		size_t hash_len = 0;
		const char *hash = column_bytes(stmt, 12, &hash_len);
		char computed[65];
		audit_hash(&b, computed);
		if (b.seq != expected) {
			*broken = expected;
			code = db_failf(err, DL_EBROKEN,
					_("entry %lld is missing: the entry after %lld is %lld"),
					(long long)expected, (long long)(expected - 1),
					(long long)b.seq);
		} else if (b.len[0] != strlen(prev) || memcmp(b.text[0], prev, b.len[0]) != 0) {
			*broken = b.seq;
			code = db_failf(err, DL_EBROKEN,
					_("entry %lld does not carry the hash of the entry before "
					  "it: an entry before it was changed, removed or inserted"),
					(long long)b.seq);
		} else if (hash_len != 64 || memcmp(hash, computed, 64) != 0) {
			*broken = b.seq;
			code = db_failf(err, DL_EBROKEN,
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
	if (code == 0 && rc != DB_DONE)
		code = db_fail(err, c, rc, _("reading the audit log"));
	db_finalize(stmt);
	/* the chain holds: now the sheets and documents its entries recorded */
	id_list sheets = {NULL, 0, 0};
	if (code == 0)
		code = check_items(c,
				   "SELECT a.seq, a.sheet_id, a.sheet_version, a.sha256, s.version,"
				   " s.sha256, s.xml FROM audit a LEFT JOIN sheet s ON s.id = a.sheet_id"
				   " WHERE a.action IN ('sheet.save', 'sheet.submit') ORDER BY a.seq",
				   _("sheet"), &sheets, broken, err);
	if (code == 0)
		code = check_items(c,
				   "SELECT a.seq, a.sheet_id, a.sheet_version, a.sha256, d.version,"
				   " d.sha256, d.bytes FROM audit a LEFT JOIN document d"
				   " ON d.id = a.sheet_id WHERE a.action = 'document.save' ORDER BY a.seq",
				   _("document"), NULL, broken, err);
	if (code == 0)
		code = check_unrecorded(c, *checked, &sheets, broken, err);
	free(sheets.ids);
	if (code == DL_EBROKEN)
		*checked = *broken - 1;
	db_exec(c, "COMMIT");
	db_release(st->db, c);
	return code;
}

/* --- accounts ---------------------------------------------------------------------------------- */

#define USER_COLUMNS "id, name, role, credit_code, disabled, created"

static void read_user(db_stmt *stmt, int col, dl_store_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = db_column_int64(stmt, col);
	store_copy_text(u->name, sizeof(u->name), stmt, col + 1);
	store_copy_text(u->role, sizeof(u->role), stmt, col + 2);
	store_copy_text(u->credit_code, sizeof(u->credit_code), stmt, col + 3);
	u->disabled = (int)db_column_int64(stmt, col + 4) != 0;
	store_copy_text(u->created, sizeof(u->created), stmt, col + 5);
}

int dl_store_user_count(dl_store *st, int64_t *count, dl_error *err)
{
	return store_query_int(st, "SELECT count(*) FROM \"user\"", count, _("counting accounts"), err);
}

/* In the writer's transaction: the account called name into *u (if not NULL). DL_ENOTFOUND. */
static int user_named(db_conn *c, const char *name, dl_store_user *u, dl_error *err)
{
	db_stmt *stmt = NULL;
	int rc = db_prepare(c, "SELECT " USER_COLUMNS " FROM \"user\" WHERE name = ?1", &stmt);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 1, name);
	if (rc == 0)
		rc = db_step(stmt);
	int code = 0;
	if (rc == DB_ROW) {
		if (u)
			read_user(stmt, 0, u);
	} else if (rc == DB_DONE) {
		code = db_failf(err, DL_ENOTFOUND, _("there is no account '%s'"), name ? name : "");
	} else {
		code = db_fail(err, c, rc, _("finding an account"));
	}
	db_finalize(stmt);
	return code;
}

int dl_store_user_add(dl_store *st, const dl_store_user *user, const char *password_hash,
		      const dl_store_actor *by, dl_error *err)
{
	size_t name_len = strnlen(user->name, sizeof(user->name));
	if (name_len == 0 || name_len >= sizeof(user->name))
		return db_failf(err, DL_EINVALID, _("an account needs a name of 1 to %zu bytes"),
				sizeof(user->name) - 1);
	if (!is_role(user->role))
		return db_failf(err, DL_EINVALID, _("'%s' is not a role"), user->role);
	bool enterprise = strcmp(user->role, DL_ROLE_ENTERPRISE) == 0;
	if (enterprise != (user->credit_code[0] != '\0'))
		return db_failf(err, DL_EINVALID,
				enterprise ? _("an enterprise account needs its credit code")
					   : _("only an enterprise account has a credit code"));
	if (empty(password_hash))
		return db_failf(err, DL_EINVALID, _("an account needs a password hash"));
	db_conn *c = NULL;
	int code = db_begin(st->db, &c, _("adding an account"), err);
	if (code < 0)
		return code;
	dl_error ignored;
	if (user_named(c, user->name, NULL, &ignored) == 0) {
		code = db_failf(err, DL_EEXISTS, _("the name '%s' is taken"), user->name);
		goto failed;
	}
	db_stmt *stmt = NULL;
	char now[32];
	db_now(now, 0);
	int rc = db_prepare(c,
			    "INSERT INTO \"user\" (name, role, credit_code, password_hash, disabled,"
			    " created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			    &stmt);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 1, user->name);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 2, user->role);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 3, user->credit_code);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 4, password_hash);
	if (rc == 0)
		rc = db_bind_int64(stmt, 5, user->disabled ? 1 : 0);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 6, now);
	if (rc == 0)
		rc = store_step_done(stmt);
	db_finalize(stmt);
	if (rc != 0) {
		code = db_fail(err, c, rc, _("adding an account"));
		goto failed;
	}
	char detail[128];
	snprintf(detail, sizeof(detail), "%s %s", user->name, user->role);
	dl_store_audit e = entry("user.add", user->credit_code, 0, 0, "", detail);
	if ((code = store_audit_append(c, &e, by, err)) < 0)
		goto failed;
	return db_commit(st->db, c, _("adding an account"), err);
failed:
	db_rollback(st->db, c);
	return code;
}

int dl_store_user_find(dl_store *st, const char *name, dl_store_user *user, char *hash,
		       size_t hash_size, dl_error *err)
{
	db_conn *c = NULL;
	db_stmt *stmt = NULL;
	int code = db_acquire(st->db, &c, err);
	if (code < 0)
		return code;
	int rc = db_prepare(
	    c, "SELECT " USER_COLUMNS ", password_hash FROM \"user\" WHERE name = ?1", &stmt);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 1, name);
	if (rc == 0)
		rc = db_step(stmt);
	if (rc == DB_ROW) {
		dl_store_user u;
		read_user(stmt, 0, &u);
		size_t len = 0;
		const char *h = column_bytes(stmt, 6, &len);
		if (hash && len >= hash_size) {
			code = db_failf(err, DL_EINVALID,
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
	} else if (rc == DB_DONE) {
		code = db_failf(err, DL_ENOTFOUND, _("there is no account '%s'"), name ? name : "");
	} else {
		code = db_fail(err, c, rc, _("finding an account"));
	}
	db_finalize(stmt);
	db_release(st->db, c);
	return code;
}

static void user_row(db_stmt *stmt, void *elem)
{
	read_user(stmt, 0, elem);
}

int dl_store_user_list(dl_store *st, dl_store_user **users, size_t *count, dl_error *err)
{
	void *list = NULL;
	int code = list_rows(st, "SELECT " USER_COLUMNS " FROM \"user\" ORDER BY name", false, NULL,
			 sizeof(**users),
			 user_row, _("listing accounts"), &list, count, err);
	*users = list;
	return code;
}

/* In the writer's transaction: end every live session of user_id. */
static int end_sessions(db_conn *c, int64_t user_id, dl_error *err)
{
	db_stmt *stmt = NULL;
	char now[32];
	db_now(now, 0);
	int rc = db_prepare(c, "UPDATE session SET ended = ?2 WHERE user_id = ?1 AND ended IS NULL",
			    &stmt);
	if (rc == 0)
		rc = db_bind_int64(stmt, 1, user_id);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 2, now);
	if (rc == 0)
		rc = store_step_done(stmt);
	db_finalize(stmt);
	return rc == 0 ? 0 : db_fail(err, c, rc, _("ending sessions"));
}

/* Update one column of the account name (sql binds ?1 the value, ?2 the id), end its sessions and
 * write the audit entry action, in one transaction. */
static int user_change(dl_store *st, const char *name, const char *sql, const char *text,
		       int number, const char *action, const dl_store_actor *by, dl_error *err)
{
	db_conn *c = NULL;
	int code = db_begin(st->db, &c, _("changing an account"), err);
	if (code < 0)
		return code;
	dl_store_user u;
	db_stmt *stmt = NULL;
	if ((code = user_named(c, name, &u, err)) < 0)
		goto failed;
	int rc = db_prepare(c, sql, &stmt);
	if (rc == 0)
		rc = text ? db_bind_cstr(stmt, 1, text) : db_bind_int64(stmt, 1, number);
	if (rc == 0)
		rc = db_bind_int64(stmt, 2, u.id);
	if (rc == 0)
		rc = store_step_done(stmt);
	db_finalize(stmt);
	if (rc != 0) {
		code = db_fail(err, c, rc, _("changing an account"));
		goto failed;
	}
	if ((code = end_sessions(c, u.id, err)) < 0)
		goto failed;
	dl_store_audit e = entry(action, u.credit_code, 0, 0, "", u.name);
	if ((code = store_audit_append(c, &e, by, err)) < 0)
		goto failed;
	return db_commit(st->db, c, _("changing an account"), err);
failed:
	db_rollback(st->db, c);
	return code;
}

int dl_store_user_set_disabled(dl_store *st, const char *name, bool disabled,
			       const dl_store_actor *by, dl_error *err)
{
	return user_change(st, name, "UPDATE \"user\" SET disabled = ?1 WHERE id = ?2", NULL,
			   disabled ? 1 : 0, disabled ? "user.disable" : "user.enable", by, err);
}

int dl_store_user_set_password(dl_store *st, const char *name, const char *password_hash,
			       const dl_store_actor *by, dl_error *err)
{
	if (empty(password_hash))
		return db_failf(err, DL_EINVALID, _("an account needs a password hash"));
	return user_change(st, name, "UPDATE \"user\" SET password_hash = ?1 WHERE id = ?2",
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
		return db_failf(err, DL_EINVALID,
				_("a session needs a token digest (64 hex digits), a CSRF token "
				  "and a lifetime in seconds"));
	db_conn *c = NULL;
	int code = db_begin(st->db, &c, _("starting a session"), err);
	if (code < 0)
		return code;
	db_stmt *stmt = NULL;
	char credit_code[32] = "", name[64] = "";
	int rc = db_prepare(c, "SELECT credit_code, name FROM \"user\" WHERE id = ?1", &stmt);
	if (rc == 0)
		rc = db_bind_int64(stmt, 1, user_id);
	if (rc == 0)
		rc = db_step(stmt);
	if (rc == DB_ROW) {
		store_copy_text(credit_code, sizeof(credit_code), stmt, 0);
		store_copy_text(name, sizeof(name), stmt, 1);
		rc = 0;
	} else if (rc == DB_DONE) {
		db_finalize(stmt);
		code = db_failf(err, DL_ENOTFOUND, _("there is no account %lld"),
				(long long)user_id);
		goto failed;
	}
	db_finalize(stmt);
	stmt = NULL;
	char now[32], expires[32];
	db_now(now, 0);
	db_now(expires, lifetime);
	if (rc == 0)
		rc = db_prepare(c,
				"INSERT INTO session (token_sha256, user_id, csrf, created, expires)"
				" VALUES (?1, ?2, ?3, ?4, ?5)",
				&stmt);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 1, token_sha256);
	if (rc == 0)
		rc = db_bind_int64(stmt, 2, user_id);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 3, csrf);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 4, now);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 5, expires);
	if (rc == 0)
		rc = store_step_done(stmt);
	db_finalize(stmt);
	if (rc != 0) {
		code = db_fail(err, c, rc, _("starting a session"));
		goto failed;
	}
	dl_store_audit e = entry("login", credit_code, 0, 0, "", name);
	if ((code = store_audit_append(c, &e, by, err)) < 0)
		goto failed;
	return db_commit(st->db, c, _("starting a session"), err);
failed:
	db_rollback(st->db, c);
	return code;
}

int dl_store_session_find(dl_store *st, const char token_sha256[65], dl_store_session *session,
			  dl_error *err)
{
	db_conn *c = NULL;
	db_stmt *stmt = NULL;
	char now[32];
	db_now(now, 0);
	int code = db_acquire(st->db, &c, err);
	if (code < 0)
		return code;
	int rc = db_prepare(
	    c,
	    "SELECT u.id, u.name, u.role, u.credit_code, u.disabled, u.created, s.csrf, s.expires"
	    " FROM session s JOIN \"user\" u ON u.id = s.user_id"
	    " WHERE s.token_sha256 = ?1 AND s.ended IS NULL AND s.expires > ?2"
	    " AND u.disabled = 0",
	    &stmt);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 1, token_sha256);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 2, now);
	if (rc == 0)
		rc = db_step(stmt);
	if (rc == DB_ROW) {
		dl_store_session s;
		memset(&s, 0, sizeof(s));
		read_user(stmt, 0, &s.user);
		store_copy_text(s.csrf, sizeof(s.csrf), stmt, 6);
		store_copy_text(s.expires, sizeof(s.expires), stmt, 7);
		if (session)
			*session = s;
	} else if (rc == DB_DONE) {
		code = db_failf(err, DL_ENOTFOUND, _("no live session has this token"));
	} else {
		code = db_fail(err, c, rc, _("finding a session"));
	}
	db_finalize(stmt);
	db_release(st->db, c);
	return code;
}

int dl_store_session_end(dl_store *st, const char token_sha256[65], const dl_store_actor *by,
			 dl_error *err)
{
	db_conn *c = NULL;
	int code = db_begin(st->db, &c, _("ending a session"), err);
	if (code < 0)
		return code;
	db_stmt *stmt = NULL;
	char credit_code[32] = "", name[64] = "";
	bool live = false;
	int rc = db_prepare(c,
			       "SELECT u.credit_code, u.name FROM session s JOIN \"user\" u"
			       " ON u.id = s.user_id WHERE s.token_sha256 = ?1 AND s.ended IS NULL",
			       &stmt);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 1, token_sha256);
	if (rc == 0)
		rc = db_step(stmt);
	if (rc == DB_ROW) {
		live = true;
		store_copy_text(credit_code, sizeof(credit_code), stmt, 0);
		store_copy_text(name, sizeof(name), stmt, 1);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_finalize(stmt);
	stmt = NULL;
	char now[32];
	db_now(now, 0);
	if (rc == 0 && live)
		rc = db_prepare(c, "UPDATE session SET ended = ?2 WHERE token_sha256 = ?1"
				" AND ended IS NULL",
				&stmt);
	if (rc == 0 && live)
		rc = db_bind_cstr(stmt, 1, token_sha256);
	if (rc == 0 && live)
		rc = db_bind_cstr(stmt, 2, now);
	if (rc == 0 && live)
		rc = store_step_done(stmt);
	db_finalize(stmt);
	if (rc != 0) {
		code = db_fail(err, c, rc, _("ending a session"));
		goto failed;
	}
	if (!live) {
		db_rollback(st->db, c); /* nothing to end, nothing written */
		return 0;
	}
	dl_store_audit e = entry("logout", credit_code, 0, 0, "", name);
	if ((code = store_audit_append(c, &e, by, err)) < 0)
		goto failed;
	return db_commit(st->db, c, _("ending a session"), err);
failed:
	db_rollback(st->db, c);
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
    " UNION SELECT credit_code FROM \"user\" WHERE credit_code <> '')"
    " SELECT c.code,"
    " coalesce(nullif((SELECT e.name FROM enterprise e WHERE e.credit_code = c.code), ''),"
    " (SELECT s.name FROM sheet s WHERE s.credit_code = c.code AND s.name <> ''"
    " ORDER BY s.id DESC LIMIT 1), ''),"
    " coalesce((SELECT a.\"user\" FROM assignment a WHERE a.credit_code = c.code"
    " AND a.role = 'integrator' ORDER BY a.id DESC LIMIT 1), ''),"
    " coalesce((SELECT a.\"user\" FROM assignment a WHERE a.credit_code = c.code"
    " AND a.role = 'evaluator' ORDER BY a.id DESC LIMIT 1), '')"
    " FROM codes c WHERE (?1 IS NULL OR c.code = ?1) ORDER BY c.code";

static int enterprises(dl_store *st, const char *credit_code, dl_store_enterprise **list,
		       size_t *count, dl_error *err)
{
	db_conn *c = NULL;
	db_stmt *stmt = NULL;
	dl_store_enterprise *items = NULL;
	size_t n = 0, cap = 0;
	*list = NULL;
	*count = 0;
	int code = db_acquire(st->db, &c, err);
	if (code < 0)
		return code;
	int rc = db_prepare(c, ENTERPRISE_SQL, &stmt);
	if (rc == 0 && credit_code)
		rc = db_bind_cstr(stmt, 1, credit_code);
	while (rc == 0 && (rc = db_step(stmt)) == DB_ROW) {
		if ((code = grow((void **)&items, &cap, n, sizeof(*items), err)) < 0)
			goto done;
		dl_store_enterprise *e = &items[n++];
		memset(e, 0, sizeof(*e));
		store_copy_text(e->credit_code, sizeof(e->credit_code), stmt, 0);
		store_copy_text(e->name, sizeof(e->name), stmt, 1);
		store_copy_text(e->integrator, sizeof(e->integrator), stmt, 2);
		store_copy_text(e->evaluator, sizeof(e->evaluator), stmt, 3);
		rc = 0;
	}
	if (rc != DB_DONE) {
		code = db_fail(err, c, rc, _("listing enterprises"));
		goto done;
	}
	*list = n ? items : NULL;
	*count = n;
	items = n ? NULL : items;
done:
	free(items);
	db_finalize(stmt);
	db_release(st->db, c);
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
		code = db_failf(err, DL_ENOTFOUND, _("the store knows no enterprise %s"),
				credit_code ? credit_code : "");
	if (code == 0 && e)
		*e = list[0];
	free(list);
	return code;
}

static int check_code(const char *credit_code, dl_error *err)
{
	if (empty(credit_code) || strlen(credit_code) >= sizeof(((dl_store_enterprise *)0)->credit_code))
		return db_failf(err, DL_EINVALID, _("an enterprise needs its credit code"));
	return 0;
}

int dl_store_enterprise_register(dl_store *st, const char *credit_code, const char *name,
				 const dl_store_actor *by, dl_error *err)
{
	int code = check_code(credit_code, err);
	if (code < 0)
		return code;
	db_conn *c = NULL;
	if ((code = db_begin(st->db, &c, _("registering an enterprise"), err)) < 0)
		return code;
	db_stmt *stmt = NULL;
	int rc = db_prepare(c,
			       "INSERT INTO enterprise (credit_code, name) VALUES (?1, ?2)"
			       " ON CONFLICT (credit_code) DO UPDATE SET name = excluded.name",
			       &stmt);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 1, credit_code);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 2, name);
	if (rc == 0)
		rc = store_step_done(stmt);
	db_finalize(stmt);
	if (rc != 0) {
		code = db_fail(err, c, rc, _("registering an enterprise"));
		goto failed;
	}
	dl_store_audit e = entry("enterprise.register", credit_code, 0, 0, "", name);
	if ((code = store_audit_append(c, &e, by, err)) < 0)
		goto failed;
	return db_commit(st->db, c, _("registering an enterprise"), err);
failed:
	db_rollback(st->db, c);
	return code;
}

int dl_store_assign(dl_store *st, const char *credit_code, const char *role, const char *user,
		    const dl_store_actor *by, dl_error *err)
{
	int code = check_code(credit_code, err);
	if (code < 0)
		return code;
	if (!role || (strcmp(role, DL_ROLE_INTEGRATOR) != 0 && strcmp(role, DL_ROLE_EVALUATOR) != 0))
		return db_failf(err, DL_EINVALID,
				_("an enterprise is assigned an integrator or an evaluator, not "
				  "'%s'"),
				role ? role : "");
	db_conn *c = NULL;
	if ((code = db_begin(st->db, &c, _("assigning an enterprise"), err)) < 0)
		return code;
	db_stmt *stmt = NULL;
	if (!empty(user)) {
		dl_store_user u;
		if ((code = user_named(c, user, &u, err)) < 0 || strcmp(u.role, role) != 0) {
			code = db_failf(err, DL_EINVALID, _("there is no %s account '%s'"), role,
					user);
			goto failed;
		}
	}
	int rc = db_prepare(c,
			       "INSERT INTO enterprise (credit_code, name) VALUES (?1, '')"
			       " ON CONFLICT (credit_code) DO NOTHING",
			       &stmt);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 1, credit_code);
	if (rc == 0)
		rc = store_step_done(stmt);
	db_finalize(stmt);
	stmt = NULL;
	char now[32];
	db_now(now, 0);
	if (rc == 0)
		rc = db_prepare(c,
				"INSERT INTO assignment (credit_code, role, \"user\", by_user, at)"
				" VALUES (?1, ?2, ?3, ?4, ?5)",
				&stmt);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 1, credit_code);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 2, role);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 3, user);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 4, by ? by->user : NULL);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 5, now);
	if (rc == 0)
		rc = store_step_done(stmt);
	db_finalize(stmt);
	if (rc != 0) {
		code = db_fail(err, c, rc, _("assigning an enterprise"));
		goto failed;
	}
	char detail[128];
	snprintf(detail, sizeof(detail), "%s%s%s", role, empty(user) ? "" : " ", user ? user : "");
	dl_store_audit e = entry(empty(user) ? "unassign" : "assign", credit_code, 0, 0, "", detail);
	if ((code = store_audit_append(c, &e, by, err)) < 0)
		goto failed;
	return db_commit(st->db, c, _("assigning an enterprise"), err);
failed:
	db_rollback(st->db, c);
	return code;
}

/* --- documents --------------------------------------------------------------------------------- */

#define DOCUMENT_COLUMNS                                                                           \
	"id, lineage, version, credit_code, kind, filename, content_type, sha256, author,"         \
	" received, length(bytes)"

static void read_document(db_stmt *stmt, dl_store_document *d)
{
	memset(d, 0, sizeof(*d));
	d->id = db_column_int64(stmt, 0);
	d->lineage = db_column_int64(stmt, 1);
	d->version = db_column_int64(stmt, 2);
	store_copy_text(d->credit_code, sizeof(d->credit_code), stmt, 3);
	store_copy_text(d->kind, sizeof(d->kind), stmt, 4);
	store_copy_text(d->filename, sizeof(d->filename), stmt, 5);
	store_copy_text(d->content_type, sizeof(d->content_type), stmt, 6);
	store_copy_text(d->sha256, sizeof(d->sha256), stmt, 7);
	store_copy_text(d->author, sizeof(d->author), stmt, 8);
	store_copy_text(d->received, sizeof(d->received), stmt, 9);
	d->len = (size_t)db_column_int64(stmt, 10);
}

/*
 * In the writer's transaction: the new document's id, lineage and version. replaces must be a
 * document of the same enterprise and kind, and its lineage's newest version (DL_ECONFLICT
 * otherwise: someone else saved one meanwhile; *newest is then that version). The id comes last,
 * so that a refused put takes none.
 */
static int place_document(db_conn *c, const dl_store_document *doc, int64_t replaces,
			  int64_t *id, int64_t *lineage, int64_t *version,
			  dl_store_document *newest, dl_error *err)
{
	int rc = 0, code = 0;
	if (replaces != 0) {
		db_stmt *stmt = NULL;
		rc = db_prepare(c,
				"SELECT d.id, d.lineage, d.version, d.credit_code, d.kind, d.filename,"
				" d.content_type, d.sha256, d.author, d.received, length(d.bytes),"
				" CASE WHEN r.credit_code = ?2 AND"
				" r.kind = ?3 THEN 1 ELSE 0 END FROM document r JOIN document d"
				" ON d.id = (SELECT max(t.id) FROM document t WHERE t.lineage = r.lineage)"
				" WHERE r.id = ?1",
				&stmt);
		if (rc == 0)
			rc = db_bind_int64(stmt, 1, replaces);
		if (rc == 0)
			rc = db_bind_cstr(stmt, 2, doc->credit_code);
		if (rc == 0)
			rc = db_bind_cstr(stmt, 3, doc->kind);
		if (rc == 0)
			rc = db_step(stmt);
		if (rc == DB_ROW) {
			dl_store_document n;
			read_document(stmt, &n);
			*lineage = n.lineage;
			*version = n.version + 1;
			if (db_column_int64(stmt, 11) == 0) {
				code = db_failf(err, DL_EINVALID,
						_("document %lld, which this one would replace, is "
						  "another enterprise's or of another kind"),
						(long long)replaces);
			} else if (n.id != replaces) {
				if (newest)
					*newest = n;
				code = db_failf(err, DL_ECONFLICT,
						_("document %lld is not the newest version of its "
						  "lineage: version %lld (document %lld) was saved "
						  "meanwhile"),
						(long long)replaces, (long long)n.version,
						(long long)n.id);
			}
		} else if (rc == DB_DONE) {
			code = db_failf(err, DL_ENOTFOUND,
					_("document %lld, which this one would replace, is not in the "
					  "store"),
					(long long)replaces);
		} else {
			code = db_fail(err, c, rc, _("saving a document"));
		}
		db_finalize(stmt);
		if (code < 0)
			return code;
	}
	if ((rc = db_next_id(c, "document", id)) < 0)
		return db_fail(err, c, rc, _("saving a document"));
	if (replaces == 0) {
		*lineage = *id;
		*version = 1;
	}
	return 0;
}

int dl_store_document_put(dl_store *st, const dl_store_document *doc, int64_t replaces,
			  const void *bytes, size_t len, const dl_store_actor *by,
			  dl_store_document *stored, dl_error *err)
{
	int code = check_code(doc->credit_code, err);
	if (code < 0)
		return code;
	if (strcmp(doc->kind, "contract") != 0 && strcmp(doc->kind, "plan") != 0)
		return db_failf(err, DL_EINVALID,
				_("a document is a contract or a plan, not '%s'"), doc->kind);
	if (!bytes && len > 0)
		return db_failf(err, DL_EINVALID, _("a document to save has no bytes"));
	char sha256[65];
	store_sha256_hex(len ? bytes : "", len, sha256);
	db_conn *c = NULL;
	if ((code = db_begin(st->db, &c, _("saving a document"), err)) < 0)
		return code;
	db_stmt *stmt = NULL;
	int64_t id = 0, lineage = 0, version = 0;
	char now[32];
	db_now(now, 0);
	if ((code = place_document(c, doc, replaces, &id, &lineage, &version, stored, err)) < 0)
		goto failed;
	int rc = db_prepare(c,
			    "INSERT INTO document (id, lineage, version, credit_code, kind,"
			    " filename, content_type, sha256, author, received, bytes) VALUES"
			    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
			    &stmt);
	if (rc == 0)
		rc = db_bind_int64(stmt, 1, id);
	if (rc == 0)
		rc = db_bind_int64(stmt, 2, lineage);
	if (rc == 0)
		rc = db_bind_int64(stmt, 3, version);
	const char *text[] = {doc->credit_code, doc->kind, doc->filename, doc->content_type,
			      sha256, by ? by->user : NULL, now};
	for (int i = 0; rc == 0 && i < 7; i++)
		rc = db_bind_cstr(stmt, 4 + i, text[i]);
	if (rc == 0)
		rc = db_bind_blob(stmt, 11, bytes, len);
	if (rc == 0)
		rc = store_step_done(stmt);
	db_finalize(stmt);
	stmt = NULL;
	if (rc != 0) {
		code = db_fail(err, c, rc, _("saving a document"));
		goto failed;
	}
	char detail[320];
	snprintf(detail, sizeof(detail), "%s %s", doc->kind, doc->filename);
	dl_store_audit e = entry("document.save", doc->credit_code, id, version, sha256, detail);
	if ((code = store_audit_append(c, &e, by, err)) < 0)
		goto failed;
	if (stored) {
		rc = db_prepare(c, "SELECT " DOCUMENT_COLUMNS " FROM document WHERE id = ?1",
				   &stmt);
		if (rc == 0)
			rc = db_bind_int64(stmt, 1, id);
		if (rc == 0 && (rc = db_step(stmt)) == DB_ROW) {
			read_document(stmt, stored);
			rc = 0;
		} else if (rc == DB_DONE) {
			rc = DL_ENOTFOUND;
		}
		db_finalize(stmt);
		if (rc != 0) {
			code = db_fail(err, c, rc, _("saving a document"));
			goto failed;
		}
	}
	return db_commit(st->db, c, _("saving a document"), err);
failed:
	db_rollback(st->db, c);
	return code;
}

int dl_store_document_get(dl_store *st, int64_t id, dl_store_document *doc, void **bytes,
			  dl_error *err)
{
	db_conn *c = NULL;
	db_stmt *stmt = NULL;
	int code = db_acquire(st->db, &c, err);
	if (code < 0)
		return code;
	int rc = db_prepare(c, "SELECT " DOCUMENT_COLUMNS ", bytes FROM document WHERE id = ?1",
			       &stmt);
	if (rc == 0)
		rc = db_bind_int64(stmt, 1, id);
	if (rc == 0)
		rc = db_step(stmt);
	if (rc == DB_ROW) {
		dl_store_document d;
		read_document(stmt, &d);
		if (bytes) {
			const void *blob = db_column_blob(stmt, 11);
			size_t len = (size_t)db_column_bytes(stmt, 11);
			void *copy = malloc(len ? len : 1);
			if (!copy) {
				code = db_failf(err, DL_ENOMEM, _("out of memory"));
				goto done;
			}
			if (len)
				memcpy(copy, blob, len);
			*bytes = copy;
		}
		if (doc)
			*doc = d;
	} else if (rc == DB_DONE) {
		code = db_failf(err, DL_ENOTFOUND, _("document %lld is not in the store"),
				(long long)id);
	} else {
		code = db_fail(err, c, rc, _("reading a document"));
	}
done:
	db_finalize(stmt);
	db_release(st->db, c);
	return code;
}

static void document_row(db_stmt *stmt, void *elem)
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
			 true, credit_code, sizeof(**docs), document_row, _("listing documents"), &list, count, err);
	*docs = list;
	return code;
}

/* --- reviews ----------------------------------------------------------------------------------- */

#define REVIEW_COLUMNS "id, credit_code, item_kind, item_id, decision, comment, reviewer, at"

static void read_review(db_stmt *stmt, dl_store_review *r)
{
	memset(r, 0, sizeof(*r));
	r->id = db_column_int64(stmt, 0);
	store_copy_text(r->credit_code, sizeof(r->credit_code), stmt, 1);
	store_copy_text(r->item_kind, sizeof(r->item_kind), stmt, 2);
	r->item_id = db_column_int64(stmt, 3);
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
		return db_failf(err, DL_EINVALID, _("a review is of a sheet or a document, not '%s'"),
				r->item_kind);
	if (!returned && strcmp(r->decision, "approved") != 0)
		return db_failf(err, DL_EINVALID, _("a review approves or returns, not '%s'"),
				r->decision);
	if (returned && is_blank(r->comment))
		return db_failf(err, DL_EINVALID, _("a returned item needs a comment saying why"));
	if (strnlen(r->comment, sizeof(r->comment)) >= sizeof(r->comment))
		return db_failf(err, DL_EINVALID, _("a review's comment is too long"));
	db_conn *c = NULL;
	int code = db_begin(st->db, &c, _("saving a review"), err);
	if (code < 0)
		return code;
	db_stmt *stmt = NULL;
	char sha256[65] = "";
	int64_t version = 0, id = 0;
	char now[32];
	db_now(now, 0);
	int rc = db_prepare(c,
			       sheet ? "SELECT version, sha256 FROM sheet WHERE id = ?1"
				       " AND credit_code = ?2"
				     : "SELECT version, sha256 FROM document WHERE id = ?1"
				       " AND credit_code = ?2",
			       &stmt);
	if (rc == 0)
		rc = db_bind_int64(stmt, 1, r->item_id);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 2, r->credit_code);
	if (rc == 0)
		rc = db_step(stmt);
	if (rc == DB_ROW) {
		version = db_column_int64(stmt, 0);
		store_copy_text(sha256, sizeof(sha256), stmt, 1);
		rc = 0;
	} else if (rc == DB_DONE) {
		db_finalize(stmt);
		code = db_failf(err, DL_ENOTFOUND,
				sheet ? _("sheet %lld of enterprise %s is not in the store")
				      : _("document %lld of enterprise %s is not in the store"),
				(long long)r->item_id, r->credit_code);
		goto failed;
	}
	db_finalize(stmt);
	stmt = NULL;
	if (rc == 0)
		rc = db_next_id(c, "review", &id);
	if (rc == 0)
		rc = db_prepare(c,
				"INSERT INTO review (id, credit_code, item_kind, item_id, decision,"
				" comment, reviewer, at) VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6, ?8)",
				&stmt);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 1, r->credit_code);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 2, r->item_kind);
	if (rc == 0)
		rc = db_bind_int64(stmt, 3, r->item_id);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 4, r->decision);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 5, r->comment);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 6, by ? by->user : NULL);
	if (rc == 0)
		rc = db_bind_int64(stmt, 7, id);
	if (rc == 0)
		rc = db_bind_cstr(stmt, 8, now);
	if (rc == 0)
		rc = store_step_done(stmt);
	db_finalize(stmt);
	stmt = NULL;
	if (rc != 0) {
		code = db_fail(err, c, rc, _("saving a review"));
		goto failed;
	}
	char detail[sizeof(r->comment) + sizeof(r->item_kind) + 8];
	snprintf(detail, sizeof(detail), "%s%s%s", r->item_kind, is_blank(r->comment) ? "" : ": ",
		 is_blank(r->comment) ? "" : r->comment);
	dl_store_audit e = entry(returned ? "review.return" : "review.approve", r->credit_code,
				 r->item_id, version, sha256, detail);
	if ((code = store_audit_append(c, &e, by, err)) < 0)
		goto failed;
	if (stored) {
		rc = db_prepare(c, "SELECT " REVIEW_COLUMNS " FROM review WHERE id = ?1", &stmt);
		if (rc == 0)
			rc = db_bind_int64(stmt, 1, id);
		if (rc == 0 && (rc = db_step(stmt)) == DB_ROW) {
			read_review(stmt, stored);
			rc = 0;
		} else if (rc == DB_DONE) {
			rc = DL_ENOTFOUND;
		}
		db_finalize(stmt);
		if (rc != 0) {
			code = db_fail(err, c, rc, _("saving a review"));
			goto failed;
		}
	}
	return db_commit(st->db, c, _("saving a review"), err);
failed:
	db_rollback(st->db, c);
	return code;
}

static void review_row(db_stmt *stmt, void *elem)
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
			 true, credit_code, sizeof(**reviews), review_row, _("listing reviews"),
			 &list, count, err);
	*reviews = list;
	return code;
}

/* --- backup ------------------------------------------------------------------------------------ */

int dl_store_backup(dl_store *st, const char *path, dl_error *err)
{
	return db_backup(st->db, path, err);
}
