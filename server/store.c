/*
 * store.c: the workbench's store of answer sheets (store.h), written once over the db layer
 * (db.h) for either engine: an SQLite file or a PostgreSQL database (docs/store.md "Two
 * engines"). What differs between them and cannot be written once (the migrations' DDL, knowing
 * a database as a store, the integrity check) is the engine's store_schema (store_schema.h),
 * chosen by the engine of the target; every statement here follows db.h's portable-SQL rules.
 *
 * A store holds a schema_version table, one row per migration applied. The migrations are the
 * schema's, forward only, each applied in its own transaction with its row; a database that is
 * not a store, or one a newer digilevel migrated further than this one knows, is refused before
 * anything is written to it.
 *
 * Append only: triggers refuse deleting a row and changing anything but the derived score (level,
 * total, questionnaire_sha256), which dl_store_set_score alone updates.
 *
 * This file holds opening, the migrations and the sheets; the district's tables (accounts,
 * sessions, enterprises, assignments, documents, reviews, the audit chain) and the backup are in
 * store_district.c, and what the two share in store_impl.h. A put writes its audit entry
 * ("sheet.save" or "sheet.submit") in its own transaction, refuses to continue a submitted
 * evaluation without a reason (DL_EFROZEN), and refuses to replace a version that is no longer
 * its lineage's newest (DL_ECONFLICT: someone else saved meanwhile; never a lost update).
 *
 * Threads: db.c's one writer per process, whose transactions wait for every other writer of the
 * database (db_begin), and reader connections from a bounded pool, one per calling thread for the
 * call. docs/store.md says why.
 *
 * Every statement is prepared with its values bound; no SQL is ever made from input.
 */
#include "store_impl.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns of a dl_store_row, in the order read_row reads them. */
#define ROW_COLUMNS                                                                                \
	"id, lineage, version, credit_code, name, phase, date, questionnaire_id,"                  \
	" questionnaire_version, questionnaire_sha256, draft, level, total, sha256, received,"     \
	" length(xml), author, reason"
/* The column after ROW_COLUMNS: the XML, when a query selects it. */
#define ROW_XML 18
/* LIMIT when the filter sets none: PostgreSQL has no LIMIT -1. */
#define NO_LIMIT INT64_MAX

int store_step_done(db_stmt *s)
{
	int rc = db_step(s);
	return rc == DB_DONE || rc == DB_ROW ? 0 : rc;
}

/* --- opening: knowing the database, migrating ------------------------------------------------ */

static int record_version(db_conn *c, int version)
{
	char now[32];
	db_now(now, 0);
	db_stmt *s = NULL;
	int rc = db_prepare(c, "INSERT INTO schema_version (version, applied) VALUES (?1, ?2)", &s);
	if (rc == 0)
		rc = db_bind_int64(s, 1, version);
	if (rc == 0)
		rc = db_bind_cstr(s, 2, now);
	if (rc == 0)
		rc = store_step_done(s);
	db_finalize(s);
	return rc;
}

/*
 * Bring the schema up to the schema's count, one step per transaction. Each transaction looks
 * again at what the database is (another process may be migrating it too), so a step is never
 * applied twice.
 */
static int migrate(dl_store *st, dl_error *err)
{
	const store_schema *schema = st->schema;
	for (;;) {
		int64_t version = 0;
		db_conn *c = NULL;
		int code = db_begin(st->db, &c, _("starting a migration"), err);
		if (code < 0)
			return code;
		int known = schema->identify(c, &version, err);
		if (known < 0) {
			db_rollback(st->db, c);
			return known;
		}
		int rc = 0;
		if (known == 0) {
			/* version 0: the database is a digilevel store with nothing in it yet */
			rc = schema->mark(c);
			if (rc == 0)
				rc = record_version(c, 0);
		} else if (version == schema->count) {
			db_rollback(st->db, c);
			st->schema_version = (int)version;
			return 0;
		} else {
			for (const char *const *part = schema->migrations[version]; rc == 0 && *part;
			     part++)
				rc = db_exec(c, *part);
			if (rc == 0)
				rc = record_version(c, (int)version + 1);
		}
		if (rc < 0) {
			code = db_fail(err, c, rc, _("migrating the schema"));
			db_rollback(st->db, c);
			return code;
		}
		if ((code = db_commit(st->db, c, _("migrating the schema"), err)) < 0)
			return code;
	}
}

bool dl_store_is_server(const char *target)
{
	return db_is_postgres(target);
}

int dl_store_open(dl_store **out, const char *path, dl_error *err)
{
	return dl_store_open_pool(out, path, 0, err);
}

int dl_store_open_pool(dl_store **out, const char *path, size_t max_readers, dl_error *err)
{
	dl_store *st = calloc(1, sizeof(*st));
	if (!st)
		return db_failf(err, DL_ENOMEM, _("out of memory"));
	int code = db_open(&st->db, path, max_readers, err);
	if (code == 0) {
		st->schema = db_engine_of(st->db) == DB_POSTGRES ? &store_schema_pg
								  : &store_schema_sqlite;
		code = migrate(st, err);
	}
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
	db_close(st->db);
	free(st);
}

int dl_store_schema_version(dl_store *st)
{
	return st->schema_version;
}

const char *dl_store_backend(const dl_store *st)
{
	return db_version(st->db);
}

/* --- rows ------------------------------------------------------------------------------------ */

/* Copy column col as text into dst (size bytes), cut at a character boundary when too long. */
void store_copy_text(char *dst, size_t size, db_stmt *s, int col)
{
	const unsigned char *text = (const unsigned char *)db_column_text(s, col);
	size_t len = text ? db_column_bytes(s, col) : 0;
	if (len >= size) {
		len = size - 1;
		while (len > 0 && (text[len] & 0xc0) == 0x80)
			len--; /* not inside a UTF-8 character */
	}
	if (len > 0)
		memcpy(dst, text, len);
	dst[len] = '\0';
}

/* The row at s's cursor, selected with ROW_COLUMNS first. */
static void read_row(db_stmt *s, dl_store_row *row)
{
	memset(row, 0, sizeof(*row));
	row->id = db_column_int64(s, 0);
	row->lineage = db_column_int64(s, 1);
	row->version = db_column_int64(s, 2);
	store_copy_text(row->credit_code, sizeof(row->credit_code), s, 3);
	store_copy_text(row->name, sizeof(row->name), s, 4);
	store_copy_text(row->phase, sizeof(row->phase), s, 5);
	store_copy_text(row->date, sizeof(row->date), s, 6);
	store_copy_text(row->questionnaire_id, sizeof(row->questionnaire_id), s, 7);
	store_copy_text(row->questionnaire_version, sizeof(row->questionnaire_version), s, 8);
	store_copy_text(row->questionnaire_sha256, sizeof(row->questionnaire_sha256), s, 9);
	row->draft = db_column_int64(s, 10) != 0;
	row->level = (int)db_column_int64(s, 11);
	store_copy_text(row->total, sizeof(row->total), s, 12);
	store_copy_text(row->sha256, sizeof(row->sha256), s, 13);
	store_copy_text(row->received, sizeof(row->received), s, 14);
	row->xml_len = (size_t)db_column_int64(s, 15);
	store_copy_text(row->author, sizeof(row->author), s, 16);
	store_copy_text(row->reason, sizeof(row->reason), s, 17);
}

/* Bind a field of a dl_store_row (a char array, NUL-terminated within its size). */
static int bind_field(db_stmt *s, int i, const char *field, size_t size)
{
	return db_bind_text(s, i, field, strnlen(field, size - 1));
}
#define BIND_FIELD(s, i, f) bind_field(s, i, f, sizeof(f))

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

/* Row id on c, as stored (in the writer's transaction: the row being committed). */
static int read_back(db_conn *c, int64_t id, dl_store_row *row, dl_error *err)
{
	db_stmt *s = NULL;
	int rc = db_prepare(c, "SELECT " ROW_COLUMNS " FROM sheet WHERE id = ?1", &s);
	if (rc == 0)
		rc = db_bind_int64(s, 1, id);
	if (rc == 0 && (rc = db_step(s)) == DB_ROW) {
		read_row(s, row);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = DL_ENOTFOUND;
	}
	int code = rc == 0 ? 0 : db_fail(err, c, rc, _("reading a saved sheet"));
	db_finalize(s);
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

/*
 * In the writer's transaction: the new row's lineage and version for put, and the rules of a
 * replacing put: it must replace its lineage's newest version (DL_ECONFLICT otherwise: someone
 * else saved one meanwhile; *newest is then that version), and a lineage whose newest version is
 * a submitted evaluation continues only with a reason (DL_EFROZEN). The id comes last, so that a
 * refused put takes none.
 */
static int place(db_conn *c, const dl_store_sheet *put, int64_t *id, int64_t *lineage,
		 int64_t *version, dl_store_row *newest, dl_error *err)
{
	int code = 0, rc = 0;
	if (put->replaces != 0) {
		db_stmt *s = NULL;
		rc = db_prepare(c,
				"SELECT " ROW_COLUMNS " FROM sheet WHERE id = (SELECT max(t.id)"
				" FROM sheet t JOIN sheet r ON t.lineage = r.lineage WHERE r.id = ?1)",
				&s);
		if (rc == 0)
			rc = db_bind_int64(s, 1, put->replaces);
		if (rc == 0)
			rc = db_step(s);
		if (rc == DB_ROW) {
			dl_store_row n;
			read_row(s, &n);
			*lineage = n.lineage;
			*version = n.version + 1;
			bool frozen = strcmp(n.phase, "evaluation") == 0 && !n.draft;
			if (n.id != put->replaces) {
				if (newest)
					*newest = n;
				code = db_failf(err, DL_ECONFLICT,
						_("sheet %lld is not the newest version of its lineage: "
						  "version %lld (sheet %lld) was saved meanwhile"),
						(long long)put->replaces, (long long)n.version,
						(long long)n.id);
			} else if (frozen && blank(put->reason)) {
				code = db_failf(
				    err, DL_EFROZEN,
				    _("sheet %lld is a submitted evaluation: a new version of it needs a "
				      "reason"),
				    (long long)n.lineage);
			}
		} else if (rc == DB_DONE) {
			code = db_failf(err, DL_ENOTFOUND,
					_("sheet %lld, which this one would replace, is not in the store"),
					(long long)put->replaces);
		} else {
			code = db_fail(err, c, rc, _("saving a sheet"));
		}
		db_finalize(s);
		if (code < 0)
			return code;
	}
	if ((rc = db_next_id(c, "sheet", id)) < 0)
		return db_fail(err, c, rc, _("saving a sheet"));
	if (put->replaces == 0) {
		*lineage = *id;
		*version = 1;
	}
	return 0;
}

static int insert(db_conn *c, const dl_store_sheet *put, int64_t id, int64_t lineage,
		  int64_t version, const char sha256[65], dl_error *err)
{
	const dl_store_row *f = &put->fields;
	char now[32];
	db_now(now, 0);
	db_stmt *s = NULL;
	int rc = db_prepare(
	    c,
	    "INSERT INTO sheet (id, lineage, version, credit_code, name, phase, date,"
	    " questionnaire_id, questionnaire_version, questionnaire_sha256, draft, level,"
	    " total, sha256, received, xml, author, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	    " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
	    &s);
	if (rc == 0)
		rc = db_bind_int64(s, 1, id);
	if (rc == 0)
		rc = db_bind_int64(s, 2, lineage);
	if (rc == 0)
		rc = db_bind_int64(s, 3, version);
	if (rc == 0)
		rc = BIND_FIELD(s, 4, f->credit_code);
	if (rc == 0)
		rc = BIND_FIELD(s, 5, f->name);
	if (rc == 0)
		rc = BIND_FIELD(s, 6, f->phase);
	if (rc == 0)
		rc = BIND_FIELD(s, 7, f->date);
	if (rc == 0)
		rc = BIND_FIELD(s, 8, f->questionnaire_id);
	if (rc == 0)
		rc = BIND_FIELD(s, 9, f->questionnaire_version);
	if (rc == 0)
		rc = BIND_FIELD(s, 10, f->questionnaire_sha256);
	if (rc == 0)
		rc = db_bind_int64(s, 11, f->draft ? 1 : 0);
	if (rc == 0)
		rc = db_bind_int64(s, 12, f->level);
	if (rc == 0)
		rc = BIND_FIELD(s, 13, f->total);
	if (rc == 0)
		rc = db_bind_text(s, 14, sha256, 64);
	if (rc == 0)
		rc = db_bind_cstr(s, 15, now);
	if (rc == 0)
		rc = db_bind_blob(s, 16, put->xml, put->xml_len);
	if (rc == 0)
		rc = db_bind_cstr(s, 17, put->by.user);
	if (rc == 0)
		rc = db_bind_cstr(s, 18, put->reason);
	if (rc == 0)
		rc = store_step_done(s);
	int code = rc == 0 ? 0 : db_fail(err, c, rc, _("saving a sheet"));
	db_finalize(s);
	return code;
}

int dl_store_put(dl_store *st, const dl_store_sheet *put, dl_store_row *row, dl_error *err)
{
	if (!put->xml && put->xml_len > 0)
		return db_failf(err, DL_EINVALID, _("a sheet to save has no text"));
	if (put->fields.level < -1 || put->fields.level > 4)
		return db_failf(err, DL_EINVALID, _("a sheet to save has level %d, not -1 to 4"),
				put->fields.level);
	if (put->reason && strlen(put->reason) >= sizeof(put->fields.reason))
		return db_failf(err, DL_EINVALID,
				_("the reason for a new version is longer than %zu bytes"),
				sizeof(put->fields.reason) - 1);
	int64_t id = 0, lineage = 0, version = 0;
	dl_store_audit e;
	memset(&e, 0, sizeof(e));
	store_sha256_hex(put->xml_len ? put->xml : "", put->xml_len, e.sha256);
	db_conn *c = NULL;
	int code = db_begin(st->db, &c, _("saving a sheet"), err);
	if (code < 0)
		return code;
	if ((code = place(c, put, &id, &lineage, &version, row, err)) < 0 ||
	    (code = insert(c, put, id, lineage, version, e.sha256, err)) < 0)
		goto failed;
	snprintf(e.action, sizeof(e.action), "%s", put->fields.draft ? "sheet.save" : "sheet.submit");
	snprintf(e.credit_code, sizeof(e.credit_code), "%.*s",
		 (int)strnlen(put->fields.credit_code, sizeof(put->fields.credit_code) - 1),
		 put->fields.credit_code);
	e.sheet_id = id;
	e.sheet_version = version;
	snprintf(e.detail, sizeof(e.detail), "%s", put->reason ? put->reason : "");
	if ((code = store_audit_append(c, &e, &put->by, err)) < 0)
		goto failed;
	/* read inside the transaction, so that the row is the one committed */
	if (row && (code = read_back(c, id, row, err)) < 0)
		goto failed;
	/* durable once COMMIT returns (SQLite: synchronous = FULL; PostgreSQL: synchronous_commit) */
	return db_commit(st->db, c, _("saving a sheet"), err);
failed:
	db_rollback(st->db, c);
	return code;
}

int dl_store_get(dl_store *st, int64_t id, dl_store_row *row, char **xml, size_t *xml_len,
		 dl_error *err)
{
	db_conn *c = NULL;
	db_stmt *s = NULL;
	dl_store_row found;
	char *copy = NULL;
	int code = db_acquire(st->db, &c, err);
	if (code < 0)
		return code;
	int rc = db_prepare(c, "SELECT " ROW_COLUMNS ", xml FROM sheet WHERE id = ?1", &s);
	if (rc == 0)
		rc = db_bind_int64(s, 1, id);
	if (rc == 0)
		rc = db_step(s);
	if (rc == DB_DONE) {
		code = db_failf(err, DL_ENOTFOUND, _("sheet %lld is not in the store"), (long long)id);
		goto done;
	}
	if (rc != DB_ROW) {
		code = db_fail(err, c, rc, _("reading a sheet"));
		goto done;
	}
	read_row(s, &found);
	if (xml) {
		const void *blob = db_column_blob(s, ROW_XML);
		size_t len = db_column_bytes(s, ROW_XML);
		if (!(copy = malloc(len + 1))) {
			code = db_failf(err, DL_ENOMEM, _("out of memory"));
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
	db_finalize(s);
	db_release(st->db, c);
	return code;
}

/* Bind text, or NULL when text is NULL. */
static int bind_or_null(db_stmt *s, int i, const char *text)
{
	return text ? db_bind_cstr(s, i, text) : db_bind_null(s, i);
}

int dl_store_list(dl_store *st, const dl_store_filter *f, dl_store_row **rows, size_t *count,
		  dl_error *err)
{
	db_conn *c = NULL;
	db_stmt *s = NULL;
	dl_store_row *list = NULL;
	size_t n = 0, cap = 0;
	const dl_store_filter none = {NULL, NULL, 0, false, false, 0};
	if (!f)
		f = &none; /* no filter: as a zeroed one */
	*rows = NULL;
	*count = 0;
	int code = db_acquire(st->db, &c, err);
	if (code < 0)
		return code;
	/* the newest version of a lineage is its highest id; filters apply to the rows returned */
	int rc = db_prepare(
	    c,
	    "SELECT " ROW_COLUMNS " FROM sheet s"
	    " WHERE (?1 IS NULL OR s.credit_code = ?1)"
	    " AND (?2 IS NULL OR s.phase = ?2)"
	    " AND (?3 = 0 OR s.lineage = ?3)"
	    " AND (?4 <> 0 OR s.id = (SELECT max(t.id) FROM sheet t WHERE t.lineage = s.lineage))"
	    " AND (?5 <> 0 OR (SELECT t.draft FROM sheet t WHERE t.lineage = s.lineage"
	    " ORDER BY t.id DESC LIMIT 1) = 0)"
	    " ORDER BY s.id DESC LIMIT ?6",
	    &s);
	if (rc == 0)
		rc = bind_or_null(s, 1, f->credit_code);
	if (rc == 0)
		rc = bind_or_null(s, 2, f->phase);
	if (rc == 0)
		rc = db_bind_int64(s, 3, f->lineage);
	if (rc == 0)
		rc = db_bind_int64(s, 4, f->history ? 1 : 0);
	if (rc == 0)
		rc = db_bind_int64(s, 5, f->drafts ? 1 : 0);
	if (rc == 0)
		rc = db_bind_int64(s, 6,
				   f->limit == 0 || f->limit > INT64_MAX ? NO_LIMIT : (int64_t)f->limit);
	while (rc == 0 && (rc = db_step(s)) == DB_ROW) {
		rc = 0;
		if (n == cap) {
			size_t grown_cap = cap ? cap * 2 : 16;
			dl_store_row *grown = realloc(list, grown_cap * sizeof(*grown));
			if (!grown) {
				code = db_failf(err, DL_ENOMEM, _("out of memory"));
				goto done;
			}
			list = grown;
			cap = grown_cap;
		}
		read_row(s, &list[n++]);
	}
	if (rc != DB_DONE) {
		code = db_fail(err, c, rc, _("listing sheets"));
		goto done;
	}
	*rows = n ? list : NULL;
	*count = n;
	if (!n)
		free(list);
	list = NULL;
done:
	free(list);
	db_finalize(s);
	db_release(st->db, c);
	return code;
}

int dl_store_each(dl_store *st, dl_store_each_fn fn, void *userdata, dl_error *err)
{
	db_conn *c = NULL;
	db_stmt *s = NULL;
	int code = db_acquire(st->db, &c, err);
	if (code < 0)
		return code;
	/* one statement: one snapshot of the store */
	int rc = db_prepare(c, "SELECT " ROW_COLUMNS ", xml FROM sheet ORDER BY id", &s);
	while (rc == 0 && (rc = db_step(s)) == DB_ROW) {
		rc = 0;
		dl_store_row row;
		read_row(s, &row);
		/* as text, so that the borrowed XML ends in a NUL as well */
		const char *xml = db_column_text(s, ROW_XML);
		size_t len = db_column_bytes(s, ROW_XML);
		if (!xml) {
			code = db_failf(err, DL_ENOMEM, _("out of memory"));
			goto done;
		}
		if ((code = fn(&row, xml, len, userdata)) < 0)
			goto done;
	}
	if (rc != DB_DONE)
		code = db_fail(err, c, rc, _("reading the sheets"));
done:
	db_finalize(s);
	db_release(st->db, c);
	return code;
}

int dl_store_set_score(dl_store *st, int64_t id, int level, const char *total,
		       const char *questionnaire_sha256, dl_error *err)
{
	if (level < -1 || level > 4)
		return db_failf(err, DL_EINVALID, _("a score to save has level %d, not -1 to 4"),
				level);
	db_conn *c = NULL;
	db_stmt *s = NULL;
	int code = db_begin(st->db, &c, _("saving a score"), err);
	if (code < 0)
		return code;
	int rc = db_prepare(c,
			    "UPDATE sheet SET level = ?2, total = ?3, questionnaire_sha256 = ?4"
			    " WHERE id = ?1",
			    &s);
	if (rc == 0)
		rc = db_bind_int64(s, 1, id);
	if (rc == 0)
		rc = db_bind_int64(s, 2, level);
	if (rc == 0)
		rc = db_bind_cstr(s, 3, total);
	if (rc == 0)
		rc = db_bind_cstr(s, 4, questionnaire_sha256);
	if (rc == 0)
		rc = store_step_done(s);
	if (rc < 0)
		code = db_fail(err, c, rc, _("saving a score"));
	else if (db_changes(s) == 0)
		code = db_failf(err, DL_ENOTFOUND, _("sheet %lld is not in the store"), (long long)id);
	db_finalize(s);
	if (code < 0) {
		db_rollback(st->db, c);
		return code;
	}
	return db_commit(st->db, c, _("saving a score"), err);
}

/* dl_store_get_each: ids asked per query. The placeholders ?1..?64 of GET_EACH_SQL; a chunk of
 * fewer ids binds 0, which no row has. */
#define GET_EACH_CHUNK 64
#define GET_EACH_SQL                                                                               \
	"SELECT " ROW_COLUMNS ", xml FROM sheet WHERE id IN ("                                     \
	"?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "                  \
	"?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, "         \
	"?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42, ?43, ?44, ?45, ?46, ?47, ?48, "         \
	"?49, ?50, ?51, ?52, ?53, ?54, ?55, ?56, ?57, ?58, ?59, ?60, ?61, ?62, ?63, ?64)"

/* One row of a chunk, its XML copied: the rows come in the engine's order, fn wants the asked one. */
typedef struct fetched {
	dl_store_row row;
	char *xml;
	size_t len;
} fetched;

/* Read the rows of ids[0..n) (n <= GET_EACH_CHUNK) into got[], *found of them. */
static int get_chunk(db_conn *c, db_stmt *s, const int64_t *ids, size_t n, fetched *got,
		     size_t *found, dl_error *err)
{
	int rc = db_reset(s);
	for (size_t i = 0; rc == 0 && i < GET_EACH_CHUNK; i++)
		rc = db_bind_int64(s, (int)i + 1, i < n ? ids[i] : 0);
	*found = 0;
	while (rc == 0 && *found < GET_EACH_CHUNK && (rc = db_step(s)) == DB_ROW) {
		rc = 0;
		fetched *f = &got[*found];
		read_row(s, &f->row);
		f->len = db_column_bytes(s, ROW_XML);
		const void *blob = db_column_blob(s, ROW_XML);
		if (!(f->xml = malloc(f->len + 1)))
			return db_failf(err, DL_ENOMEM, _("out of memory"));
		if (f->len > 0)
			memcpy(f->xml, blob, f->len);
		f->xml[f->len] = '\0';
		(*found)++;
	}
	if (rc != DB_DONE && rc != 0)
		return db_fail(err, c, rc, _("reading the sheets"));
	return 0;
}

int dl_store_get_each(dl_store *st, const int64_t *ids, size_t count, dl_store_each_fn fn,
		      void *userdata, dl_error *err)
{
	db_conn *c = NULL;
	db_stmt *s = NULL;
	fetched got[GET_EACH_CHUNK];
	size_t found = 0;
	int code = db_acquire(st->db, &c, err);
	if (code < 0)
		return code;
	int rc = db_prepare(c, GET_EACH_SQL, &s);
	if (rc < 0)
		code = db_fail(err, c, rc, _("reading the sheets"));
	for (size_t at = 0; code == 0 && at < count; at += GET_EACH_CHUNK) {
		size_t n = count - at < GET_EACH_CHUNK ? count - at : GET_EACH_CHUNK;
		code = get_chunk(c, s, ids + at, n, got, &found, err);
		for (size_t i = 0; code == 0 && i < n; i++) {
			const fetched *f = NULL;
			for (size_t j = 0; j < found && !f; j++)
				if (got[j].row.id == ids[at + i])
					f = &got[j];
			if (!f)
				code = db_failf(err, DL_ENOTFOUND, _("sheet %lld is not in the store"),
						(long long)ids[at + i]);
			else
				code = fn(&f->row, f->xml, f->len, userdata);
		}
		for (size_t j = 0; j < found; j++)
			free(got[j].xml);
		found = 0;
	}
	db_finalize(s);
	db_release(st->db, c);
	return code;
}

int store_query_int(dl_store *st, const char *sql, int64_t *value, const char *what,
		    dl_error *err)
{
	db_conn *c = NULL;
	*value = 0;
	int code = db_acquire(st->db, &c, err);
	if (code < 0)
		return code;
	int rc = db_query_int(c, sql, value);
	if (rc != 0)
		code = db_fail(err, c, rc, what);
	db_release(st->db, c);
	return code;
}

int dl_store_sheet_mark(dl_store *st, int64_t *mark, dl_error *err)
{
	return store_query_int(st, "SELECT coalesce(max(id), 0) FROM sheet", mark,
			       _("reading the sheets"), err);
}

int dl_store_check(dl_store *st, dl_error *err)
{
	db_conn *c = NULL;
	int code = db_acquire(st->db, &c, err);
	if (code < 0)
		return code;
	code = st->schema->check(c, err);
	db_release(st->db, c);
	return code;
}
