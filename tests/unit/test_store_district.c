/*
 * test_store_district.c: the district half of the store (server/store.h "District mode",
 * server/store_district.c) and the passwords (server/password.c), on real files: accounts and
 * their names, sessions that expire and end on logout, a new password and disabling, assignments
 * that replace each other, documents' versions, reviews of another enterprise's items refused,
 * the frozen evaluation, the audit chain after a mix of changes and after tampering, each change
 * and its entry in one transaction, the migration of a version-1 store, and the online backup
 * taken while another thread writes.
 */
#define _DEFAULT_SOURCE /* usleep */
#include "auth.h"
#include "store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <unistd.h>

#include "test_util.h"

static char tmp[64];

static void path_in(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", tmp, name);
}

static const dl_store_actor BUREAU = {"boss", DL_ROLE_BUREAU, "127.0.0.1"};
static const dl_store_actor SUPERVISOR = {"sup", DL_ROLE_SUPERVISOR, "127.0.0.2"};
static const dl_store_actor INTEGRATOR = {"lin", DL_ROLE_INTEGRATOR, "127.0.0.3"};

static dl_store_user user(const char *name, const char *role, const char *code)
{
	dl_store_user u;
	memset(&u, 0, sizeof(u));
	snprintf(u.name, sizeof(u.name), "%s", name);
	snprintf(u.role, sizeof(u.role), "%s", role);
	snprintf(u.credit_code, sizeof(u.credit_code), "%s", code);
	return u;
}

static dl_store_sheet sheet(const char *xml, int64_t replaces, const char *code, const char *phase,
			    bool draft)
{
	dl_store_sheet s;
	memset(&s, 0, sizeof(s));
	s.xml = xml;
	s.xml_len = strlen(xml);
	s.replaces = replaces;
	snprintf(s.fields.credit_code, sizeof(s.fields.credit_code), "%s", code);
	snprintf(s.fields.name, sizeof(s.fields.name), "企业 %s", code);
	snprintf(s.fields.phase, sizeof(s.fields.phase), "%s", phase);
	snprintf(s.fields.questionnaire_id, sizeof(s.fields.questionnaire_id), "miit-2024");
	s.fields.draft = draft;
	s.fields.level = 2;
	s.by = INTEGRATOR;
	return s;
}

/* How many rows table has, read through a connection of its own. */
static int64_t rows_in(const char *db, const char *table)
{
	sqlite3 *raw = NULL;
	sqlite3_stmt *stmt = NULL;
	char sql[128];
	int64_t n = -1;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	if (sqlite3_open(db, &raw) == SQLITE_OK &&
	    sqlite3_prepare_v2(raw, sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(raw);
	return n;
}

/* Run sql on db through a connection of its own (as someone with the file and sqlite3 would). */
static bool raw_sql(const char *db, const char *sql)
{
	sqlite3 *raw = NULL;
	bool ok = sqlite3_open(db, &raw) == SQLITE_OK &&
		  sqlite3_exec(raw, sql, NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(raw);
	return ok;
}

/* The actions of the audit log, "user.add login ...", into buf. */
static const char *actions(dl_store *st, const char *code, char *buf, size_t size)
{
	dl_store_audit *e = NULL;
	size_t n = 0, len = 0;
	dl_error err;
	buf[0] = '\0';
	if (dl_store_audit_list(st, code, &e, &n, &err) < 0) {
		snprintf(buf, size, "error: %.200s", err.message);
		return buf;
	}
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "", e[i].action);
	free(e);
	return buf;
}

static void test_passwords(void)
{
	char hash[SRV_PASSWORD_HASH_MAX], other[SRV_PASSWORD_HASH_MAX];
	dl_error err = {0};
	check(srv_password_hash("correct horse", hash, &err) == 0 &&
		  strncmp(hash, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0,
	      "a password hashes to an Argon2id string with t=2, m=19456, p=1: %s", hash);
	check(srv_password_hash("correct horse", other, &err) == 0 && strcmp(hash, other) != 0,
	      "the same password hashes differently twice (a random salt)");
	check(srv_password_verify(hash, "correct horse"), "the right password verifies");
	check(!srv_password_verify(hash, "correct horsE"), "a wrong one does not");
	check(!srv_password_verify(NULL, "correct horse") && !srv_password_verify("", "x"),
	      "no hash (no such account) never verifies");
	check(srv_password_hash("short", hash, &err) == DL_EINVALID && err.code == DL_EINVALID,
	      "a password under 8 characters is refused: %s", err.message);
	check(srv_password_hash("八个汉字的密码呀", hash, &err) == 0,
	      "8 Chinese characters are 8 characters (24 bytes)");
	char longest[SRV_PASSWORD_MAX + 2];
	memset(longest, 'a', sizeof(longest));
	longest[SRV_PASSWORD_MAX] = '\0';
	check(srv_password_hash(longest, hash, &err) == 0, "256 bytes are taken");
	longest[SRV_PASSWORD_MAX] = 'a';
	longest[SRV_PASSWORD_MAX + 1] = '\0';
	check(srv_password_hash(longest, hash, &err) == DL_EINVALID, "257 bytes are refused");
}

static void test_users_and_sessions(void)
{
	char db[128], buf[512];
	path_in(db, sizeof(db), "users.db");
	dl_store *st = NULL;
	dl_error err = {0};
	if (!check(dl_store_open(&st, db, &err) == 0, "a new store opens (%s)", err.message))
		return;
	int64_t count = -1;
	check(dl_store_user_count(st, &count, &err) == 0 && count == 0, "no account: personal mode");

	dl_store_user u = user("boss", DL_ROLE_BUREAU, "");
	check(dl_store_user_add(st, &u, "$argon2id$h1", &BUREAU, &err) == 0, "add a bureau account");
	u = user("acme", DL_ROLE_ENTERPRISE, "91350100M000100Y43");
	check(dl_store_user_add(st, &u, "$argon2id$h2", &BUREAU, &err) == 0,
	      "add an enterprise account with its credit code");
	u = user("boss", DL_ROLE_INTEGRATOR, "");
	check(dl_store_user_add(st, &u, "$argon2id$h3", &BUREAU, &err) == DL_EEXISTS,
	      "a name taken is DL_EEXISTS: %s", err.message);
	u = user("nocode", DL_ROLE_ENTERPRISE, "");
	check(dl_store_user_add(st, &u, "$argon2id$h", &BUREAU, &err) == DL_EINVALID,
	      "an enterprise account without a credit code is refused");
	u = user("withcode", DL_ROLE_EVALUATOR, "91350100M000100Y43");
	check(dl_store_user_add(st, &u, "$argon2id$h", &BUREAU, &err) == DL_EINVALID,
	      "another role with a credit code is refused");
	u = user("king", "king", "");
	check(dl_store_user_add(st, &u, "$argon2id$h", &BUREAU, &err) == DL_EINVALID,
	      "a role that is not one of the five is refused");
	u = user("lin", DL_ROLE_INTEGRATOR, "");
	check(dl_store_user_add(st, &u, "$argon2id$h4", &BUREAU, &err) == 0, "add an integrator");
	check(dl_store_user_count(st, &count, &err) == 0 && count == 3, "three accounts");

	dl_store_user found;
	char hash[SRV_PASSWORD_HASH_MAX];
	check(dl_store_user_find(st, "acme", &found, hash, sizeof(hash), &err) == 0 &&
		  strcmp(hash, "$argon2id$h2") == 0 && strcmp(found.role, "enterprise") == 0 &&
		  strcmp(found.credit_code, "91350100M000100Y43") == 0 && !found.disabled &&
		  strlen(found.created) == 20,
	      "find an account and its hash");
	check(dl_store_user_find(st, "nobody", &found, NULL, 0, &err) == DL_ENOTFOUND,
	      "an unknown name is DL_ENOTFOUND");
	dl_store_user *list = NULL;
	size_t n = 0;
	check(dl_store_user_list(st, &list, &n, &err) == 0 && n == 3 &&
		  strcmp(list[0].name, "acme") == 0 && strcmp(list[1].name, "boss") == 0 &&
		  strcmp(list[2].name, "lin") == 0,
	      "the list is by name");
	int64_t acme_id = n == 3 ? list[0].id : 0, lin_id = n == 3 ? list[2].id : 0;
	free(list);

	/* sessions: the token's digest only; expiry decided against the current time */
	char t1[65], t2[65], t3[65], t4[65], t5[65], csrf[65];
	memset(t1, '1', 64), memset(t2, '2', 64), memset(t3, '3', 64), memset(t4, '4', 64);
	memset(t5, '5', 64), memset(csrf, 'c', 64);
	t1[64] = t2[64] = t3[64] = t4[64] = t5[64] = csrf[64] = '\0';
	dl_store_actor acme = {"acme", "enterprise", "10.0.0.9"};
	check(dl_store_session_start(st, acme_id, t1, csrf, 3600, &acme, &err) == 0,
	      "start a session");
	dl_store_session s;
	check(dl_store_session_find(st, t1, &s, &err) == 0 && strcmp(s.user.name, "acme") == 0 &&
		  strcmp(s.csrf, csrf) == 0 && strlen(s.expires) == 20,
	      "find it: its account and CSRF token");
	check(dl_store_session_find(st, t2, &s, &err) == DL_ENOTFOUND, "an unknown token finds none");
	check(dl_store_session_start(st, 999, t2, csrf, 3600, &acme, &err) == DL_ENOTFOUND,
	      "a session of no account is refused");
	char short_digest[65] = "abc";
	check(dl_store_session_start(st, acme_id, short_digest, csrf, 3600, &acme, &err) ==
		  DL_EINVALID,
	      "a token digest that is not 64 hex digits is refused");
	check(dl_store_session_start(st, acme_id, t2, csrf, 1, &acme, &err) == 0,
	      "start a session of one second");
	sleep(2);
	check(dl_store_session_find(st, t2, &s, &err) == DL_ENOTFOUND, "it has expired");
	check(dl_store_session_end(st, t1, &acme, &err) == 0 &&
		  dl_store_session_find(st, t1, &s, &err) == DL_ENOTFOUND,
	      "a session ended (logout) is found no more");
	char before[512];
	actions(st, NULL, before, sizeof(before));
	check(dl_store_session_end(st, t1, &acme, &err) == 0 &&
		  strcmp(actions(st, NULL, buf, sizeof(buf)), before) == 0,
	      "ending it again is 0 and writes nothing");

	check(dl_store_session_start(st, acme_id, t3, csrf, 3600, &acme, &err) == 0 &&
		  dl_store_session_find(st, t3, &s, &err) == 0,
	      "a new session");
	check(dl_store_user_set_password(st, "acme", "$argon2id$new", &BUREAU, &err) == 0 &&
		  dl_store_session_find(st, t3, &s, &err) == DL_ENOTFOUND,
	      "a new password ends the account's sessions");
	check(dl_store_user_find(st, "acme", NULL, hash, sizeof(hash), &err) == 0 &&
		  strcmp(hash, "$argon2id$new") == 0,
	      "and the new hash is stored");
	check(dl_store_session_start(st, lin_id, t4, csrf, 3600, &INTEGRATOR, &err) == 0 &&
		  dl_store_user_set_disabled(st, "lin", true, &BUREAU, &err) == 0 &&
		  dl_store_session_find(st, t4, &s, &err) == DL_ENOTFOUND,
	      "disabling an account ends its sessions");
	check(dl_store_session_start(st, lin_id, t5, csrf, 3600, &INTEGRATOR, &err) == 0 &&
		  dl_store_session_find(st, t5, &s, &err) == DL_ENOTFOUND,
	      "a disabled account's session is not live");
	check(dl_store_user_set_disabled(st, "lin", false, &BUREAU, &err) == 0 &&
		  dl_store_session_find(st, t4, &s, &err) == DL_ENOTFOUND,
	      "enabling it again does not bring back an ended session");
	check(dl_store_user_set_disabled(st, "nobody", true, &BUREAU, &err) == DL_ENOTFOUND &&
		  dl_store_user_set_password(st, "nobody", "$x", &BUREAU, &err) == DL_ENOTFOUND,
	      "disabling or a password for an unknown account is DL_ENOTFOUND");

	check(strcmp(actions(st, NULL, buf, sizeof(buf)),
		     "user.add user.add user.add login login logout login user.passwd login "
		     "user.disable login user.enable") == 0,
	      "every change has its entry, in order: %s", buf);
	dl_store_audit *e = NULL;
	check(dl_store_audit_list(st, NULL, &e, &n, &err) == 0 && n >= 4 &&
		  strcmp(e[3].user, "acme") == 0 && strcmp(e[3].role, "enterprise") == 0 &&
		  strcmp(e[3].remote, "10.0.0.9") == 0 &&
		  strcmp(e[3].credit_code, "91350100M000100Y43") == 0 && e[3].seq == 4 &&
		  strcmp(e[3].prev, e[2].hash) == 0 && e[0].prev[0] == '\0',
	      "an entry has who, role, address and enterprise, and the previous entry's hash");
	free(e);
	int64_t checked = 0, broken = -1;
	check(dl_store_audit_verify(st, &checked, &broken, &err) == 0 && checked == 12 &&
		  broken == 0,
	      "the chain holds: %lld entries", (long long)checked);

	/* an account is never deleted, nor renamed */
	check(!raw_sql(db, "DELETE FROM user WHERE name = 'lin'") &&
		  !raw_sql(db, "UPDATE user SET name = 'x' WHERE name = 'lin'"),
	      "the schema refuses deleting or renaming an account");
	dl_store_close(st);
}

static void test_enterprises_documents_reviews(void)
{
	char db[128], buf[1024];
	path_in(db, sizeof(db), "district.db");
	dl_store *st = NULL;
	dl_error err = {0};
	if (!check(dl_store_open(&st, db, &err) == 0, "a new store opens (%s)", err.message))
		return;
	dl_store_user u = user("lin", DL_ROLE_INTEGRATOR, "");
	dl_store_user_add(st, &u, "$h", &BUREAU, &err);
	u = user("wang", DL_ROLE_INTEGRATOR, "");
	dl_store_user_add(st, &u, "$h", &BUREAU, &err);
	u = user("eva", DL_ROLE_EVALUATOR, "");
	dl_store_user_add(st, &u, "$h", &BUREAU, &err);
	u = user("acme", DL_ROLE_ENTERPRISE, "C3");
	dl_store_user_add(st, &u, "$h", &BUREAU, &err);

	check(dl_store_enterprise_register(st, "C1", "甲企业", &BUREAU, &err) == 0,
	      "register an enterprise");
	check(dl_store_assign(st, "C1", DL_ROLE_INTEGRATOR, "lin", &BUREAU, &err) == 0 &&
		  dl_store_assign(st, "C1", DL_ROLE_EVALUATOR, "eva", &BUREAU, &err) == 0,
	      "assign an integrator and an evaluator");
	dl_store_enterprise e;
	check(dl_store_enterprise_get(st, "C1", &e, &err) == 0 && strcmp(e.name, "甲企业") == 0 &&
		  strcmp(e.integrator, "lin") == 0 && strcmp(e.evaluator, "eva") == 0,
	      "the enterprise with its assignments");
	check(dl_store_assign(st, "C1", DL_ROLE_INTEGRATOR, "wang", &BUREAU, &err) == 0 &&
		  dl_store_enterprise_get(st, "C1", &e, &err) == 0 &&
		  strcmp(e.integrator, "wang") == 0 && strcmp(e.evaluator, "eva") == 0,
	      "a new assignment replaces the one before, of its role only");
	check(dl_store_assign(st, "C1", DL_ROLE_EVALUATOR, NULL, &BUREAU, &err) == 0 &&
		  dl_store_enterprise_get(st, "C1", &e, &err) == 0 && e.evaluator[0] == '\0' &&
		  strcmp(e.integrator, "wang") == 0,
	      "unassign an evaluator");
	check(dl_store_assign(st, "C1", DL_ROLE_INTEGRATOR, "eva", &BUREAU, &err) == DL_EINVALID,
	      "an evaluator cannot be assigned as integrator: %s", err.message);
	check(dl_store_assign(st, "C1", DL_ROLE_INTEGRATOR, "ghost", &BUREAU, &err) == DL_EINVALID,
	      "nor an unknown account");
	check(dl_store_assign(st, "C1", DL_ROLE_BUREAU, "lin", &BUREAU, &err) == DL_EINVALID,
	      "only integrators and evaluators are assigned");
	check(dl_store_assign(st, "C2", DL_ROLE_INTEGRATOR, "lin", &BUREAU, &err) == 0 &&
		  dl_store_enterprise_get(st, "C2", &e, &err) == 0 && e.name[0] == '\0' &&
		  strcmp(e.integrator, "lin") == 0,
	      "assigning an unknown enterprise registers it");
	check(raw_sql(db, "SELECT 1") && !raw_sql(db, "DELETE FROM assignment") &&
		  !raw_sql(db, "UPDATE assignment SET user = 'x'"),
	      "assignments are never deleted or changed");

	/* sheets: C1 diagnosis; C4 named by a sheet only */
	dl_store_row row, c1_diag, c4;
	dl_store_sheet s = sheet("<c1 diagnosis/>", 0, "C1", "diagnosis", false);
	check(dl_store_put(st, &s, &c1_diag, &err) == 0 && strcmp(c1_diag.author, "lin") == 0,
	      "a sheet's author is who saved it");
	s = sheet("<c4/>", 0, "C4", "self-check", false);
	dl_store_put(st, &s, &c4, &err);
	dl_store_enterprise *list = NULL;
	size_t n = 0;
	check(dl_store_enterprise_list(st, &list, &n, &err) == 0 && n == 4 &&
		  strcmp(list[0].credit_code, "C1") == 0 && strcmp(list[2].credit_code, "C3") == 0 &&
		  strcmp(list[3].credit_code, "C4") == 0 && strcmp(list[3].name, "企业 C4") == 0,
	      "the enterprises: registered, assigned, of an account, of a sheet (name from it)");
	free(list);
	check(dl_store_enterprise_get(st, "C9", &e, &err) == DL_ENOTFOUND, "an unknown one");

	/* documents */
	dl_store_document d, got;
	memset(&d, 0, sizeof(d));
	snprintf(d.credit_code, sizeof(d.credit_code), "C1");
	snprintf(d.kind, sizeof(d.kind), "contract");
	snprintf(d.filename, sizeof(d.filename), "合同.pdf");
	snprintf(d.content_type, sizeof(d.content_type), "application/pdf");
	dl_store_document v1, v2;
	check(dl_store_document_put(st, &d, 0, "%PDF-1", 6, &INTEGRATOR, &v1, &err) == 0 &&
		  v1.version == 1 && v1.lineage == v1.id && v1.len == 6 &&
		  strcmp(v1.author, "lin") == 0 && strlen(v1.sha256) == 64,
	      "store a contract");
	check(dl_store_document_put(st, &d, v1.id, "%PDF-22", 7, &INTEGRATOR, &v2, &err) == 0 &&
		  v2.version == 2 && v2.lineage == v1.id,
	      "its next version");
	dl_store_document newer;
	memset(&newer, 0, sizeof(newer));
	check(dl_store_document_put(st, &d, v1.id, "%PDF-3", 6, &INTEGRATOR, &newer, &err) ==
		      DL_ECONFLICT &&
		  newer.id == v2.id && newer.version == 2 && strstr(err.message, "document") &&
		  strstr(err.message, "version 2"),
	      "a second put replacing the same version is DL_ECONFLICT, naming the newer one: %s",
	      err.message);
	dl_store_document other = d;
	snprintf(other.credit_code, sizeof(other.credit_code), "C2");
	check(dl_store_document_put(st, &other, v1.id, "x", 1, &INTEGRATOR, NULL, &err) ==
		  DL_EINVALID,
	      "another enterprise's document cannot continue it: %s", err.message);
	other = d;
	snprintf(other.kind, sizeof(other.kind), "plan");
	check(dl_store_document_put(st, &other, v1.id, "x", 1, &INTEGRATOR, NULL, &err) ==
		  DL_EINVALID,
	      "nor a document of another kind");
	check(dl_store_document_put(st, &d, 999, "x", 1, &INTEGRATOR, NULL, &err) == DL_ENOTFOUND,
	      "replacing an unknown document is DL_ENOTFOUND");
	snprintf(other.kind, sizeof(other.kind), "invoice");
	check(dl_store_document_put(st, &other, 0, "x", 1, &INTEGRATOR, NULL, &err) == DL_EINVALID,
	      "a document is a contract or a plan");
	void *bytes = NULL;
	check(dl_store_document_get(st, v2.id, &got, &bytes, &err) == 0 && got.len == 7 &&
		  bytes && memcmp(bytes, "%PDF-22", 7) == 0 && strcmp(got.filename, "合同.pdf") == 0,
	      "a document and its bytes");
	free(bytes);
	check(dl_store_document_get(st, 999, &got, NULL, &err) == DL_ENOTFOUND, "an unknown one");
	dl_store_document *docs = NULL;
	check(dl_store_document_list(st, "C1", &docs, &n, &err) == 0 && n == 2 &&
		  docs[0].id == v2.id && docs[1].id == v1.id,
	      "an enterprise's documents, every version, newest first");
	free(docs);
	check(dl_store_document_list(st, "C2", &docs, &n, &err) == 0 && n == 0 && !docs,
	      "none of another enterprise");
	check(!raw_sql(db, "UPDATE document SET bytes = 'x'") && !raw_sql(db, "DELETE FROM document"),
	      "documents are never changed or deleted");

	/* reviews */
	dl_store_review r, stored;
	memset(&r, 0, sizeof(r));
	snprintf(r.credit_code, sizeof(r.credit_code), "C1");
	snprintf(r.item_kind, sizeof(r.item_kind), "sheet");
	r.item_id = c1_diag.id;
	snprintf(r.decision, sizeof(r.decision), "approved");
	check(dl_store_review_add(st, &r, &SUPERVISOR, &stored, &err) == 0 &&
		  strcmp(stored.reviewer, "sup") == 0 && stored.id > 0 && strlen(stored.at) == 20,
	      "approve a diagnosis");
	snprintf(r.credit_code, sizeof(r.credit_code), "C4");
	check(dl_store_review_add(st, &r, &SUPERVISOR, NULL, &err) == DL_ENOTFOUND,
	      "a review naming another enterprise's sheet is refused: %s", err.message);
	snprintf(r.credit_code, sizeof(r.credit_code), "C1");
	r.item_id = c4.id;
	check(dl_store_review_add(st, &r, &SUPERVISOR, NULL, &err) == DL_ENOTFOUND,
	      "and so is a sheet of another enterprise under this one's code");
	snprintf(r.item_kind, sizeof(r.item_kind), "document");
	r.item_id = v2.id;
	snprintf(r.decision, sizeof(r.decision), "returned");
	check(dl_store_review_add(st, &r, &SUPERVISOR, NULL, &err) == DL_EINVALID,
	      "returning needs a comment");
	snprintf(r.comment, sizeof(r.comment), "金额与方案不符");
	check(dl_store_review_add(st, &r, &SUPERVISOR, NULL, &err) == 0, "return a contract");
	snprintf(r.credit_code, sizeof(r.credit_code), "C2");
	check(dl_store_review_add(st, &r, &SUPERVISOR, NULL, &err) == DL_ENOTFOUND,
	      "a review of another enterprise's document is refused");
	snprintf(r.decision, sizeof(r.decision), "maybe");
	check(dl_store_review_add(st, &r, &SUPERVISOR, NULL, &err) == DL_EINVALID,
	      "a decision is approved or returned");
	dl_store_review *reviews = NULL;
	check(dl_store_review_list(st, "C1", &reviews, &n, &err) == 0 && n == 2 &&
		  strcmp(reviews[0].decision, "returned") == 0 &&
		  strcmp(reviews[0].comment, "金额与方案不符") == 0 &&
		  strcmp(reviews[1].decision, "approved") == 0,
	      "an enterprise's reviews, newest first");
	free(reviews);

	check(strcmp(actions(st, "C1", buf, sizeof(buf)),
		     "enterprise.register assign assign assign unassign sheet.submit document.save "
		     "document.save review.approve review.return") == 0,
	      "C1's history: %s", buf);
	dl_store_audit *entries = NULL;
	check(dl_store_audit_list(st, "C1", &entries, &n, &err) == 0 && n == 10 &&
		  entries[9].sheet_id == v2.id && entries[9].sheet_version == 2 &&
		  strcmp(entries[9].sha256, v2.sha256) == 0 &&
		  strcmp(entries[9].detail, "document: 金额与方案不符") == 0 &&
		  strcmp(entries[5].sha256, c1_diag.sha256) == 0 && entries[5].sheet_id == c1_diag.id,
	      "entries name the item, its version and digest, and the comment");
	free(entries);
	(void)row;
	dl_store_close(st);
}

static void test_frozen_and_atomic(void)
{
	char db[128], buf[512];
	path_in(db, sizeof(db), "frozen.db");
	dl_store *st = NULL;
	dl_error err = {0};
	if (!check(dl_store_open(&st, db, &err) == 0, "a new store opens (%s)", err.message))
		return;
	dl_store_row eval, row;
	dl_store_sheet s = sheet("<evaluation/>", 0, "C1", "evaluation", false);
	check(dl_store_put(st, &s, &eval, &err) == 0, "submit an evaluation");
	int64_t sheets = rows_in(db, "sheet"), entries = rows_in(db, "audit");
	s = sheet("<evaluation changed/>", eval.id, "C1", "evaluation", false);
	check(dl_store_put(st, &s, &row, &err) == DL_EFROZEN, "a submitted evaluation is frozen: %s",
	      err.message);
	s.reason = "  \t";
	check(dl_store_put(st, &s, &row, &err) == DL_EFROZEN, "a blank reason is no reason");
	s.fields.draft = true;
	check(dl_store_put(st, &s, &row, &err) == DL_EFROZEN, "not even as a draft");
	check(rows_in(db, "sheet") == sheets && rows_in(db, "audit") == entries,
	      "a refused put stores nothing and writes no entry");
	s.fields.draft = false;
	s.reason = "评测机构更正了第 3 题";
	check(dl_store_put(st, &s, &row, &err) == 0 && row.version == 2 &&
		  strcmp(row.reason, "评测机构更正了第 3 题") == 0 && strcmp(row.author, "lin") == 0,
	      "with a reason it is the next version, the reason on the row");
	dl_store_audit *e = NULL;
	size_t n = 0;
	check(dl_store_audit_list(st, NULL, &e, &n, &err) == 0 && n == 2 &&
		  strcmp(e[1].action, "sheet.submit") == 0 &&
		  strcmp(e[1].detail, "评测机构更正了第 3 题") == 0 && e[1].sheet_id == row.id &&
		  e[1].sheet_version == 2 && strcmp(e[1].sha256, row.sha256) == 0,
	      "and in its audit entry with the version and digest");
	free(e);
	s = sheet("<evaluation draft/>", 0, "C2", "evaluation", true);
	check(dl_store_put(st, &s, &row, &err) == 0, "save an evaluation as a draft");
	s = sheet("<evaluation draft 2/>", row.id, "C2", "evaluation", false);
	check(dl_store_put(st, &s, &row, &err) == 0, "a draft evaluation goes on without a reason");
	s = sheet("<diagnosis/>", 0, "C2", "diagnosis", false);
	dl_store_put(st, &s, &row, &err);
	s = sheet("<diagnosis 2/>", row.id, "C2", "diagnosis", false);
	check(dl_store_put(st, &s, &row, &err) == 0, "a diagnosis goes on without a reason");
	check(strcmp(actions(st, NULL, buf, sizeof(buf)),
		     "sheet.submit sheet.submit sheet.save sheet.submit sheet.submit sheet.submit") == 0,
	      "sheet.save for a draft, sheet.submit otherwise: %s", buf);

	/* the audit entry is in the put's transaction: if it cannot be written, nothing is */
	sheets = rows_in(db, "sheet");
	entries = rows_in(db, "audit");
	check(raw_sql(db, "CREATE TRIGGER no_audit BEFORE INSERT ON audit"
			  " BEGIN SELECT RAISE(ABORT, 'no audit today'); END"),
	      "make writing an audit entry fail");
	s = sheet("<lost/>", 0, "C3", "diagnosis", false);
	check(dl_store_put(st, &s, &row, &err) < 0 && strstr(err.message, "no audit today"),
	      "the put fails with it: %s", err.message);
	dl_store_user u = user("ghost", DL_ROLE_BUREAU, "");
	check(dl_store_user_add(st, &u, "$h", &BUREAU, &err) < 0, "so does adding an account");
	check(rows_in(db, "sheet") == sheets && rows_in(db, "audit") == entries &&
		  rows_in(db, "user") == 0,
	      "and neither the sheet nor the account was stored");
	check(raw_sql(db, "DROP TRIGGER no_audit"), "writing entries works again");
	s = sheet("<nowhere/>", 999, "C3", "diagnosis", false);
	check(dl_store_put(st, &s, &row, &err) == DL_ENOTFOUND && rows_in(db, "audit") == entries,
	      "a failed put leaves no entry");
	int64_t checked = 0, broken = 0;
	check(dl_store_audit_verify(st, &checked, &broken, &err) == 0 && checked == entries,
	      "the chain holds after all of it (%s)", err.message);
	dl_store_close(st);
}

/* A store with a mix of entries; then someone edits it behind the store's back. */
static void test_tamper(void)
{
	char db[128];
	path_in(db, sizeof(db), "tamper.db");
	dl_store *st = NULL;
	dl_error err = {0};
	if (!check(dl_store_open(&st, db, &err) == 0, "a new store opens (%s)", err.message))
		return;
	dl_store_user u = user("lin", DL_ROLE_INTEGRATOR, "");
	dl_store_user_add(st, &u, "$h", &BUREAU, &err);
	dl_store_row row;
	dl_store_sheet s = sheet("<one/>", 0, "C1", "diagnosis", false);
	dl_store_put(st, &s, &row, &err);
	dl_store_assign(st, "C1", DL_ROLE_INTEGRATOR, "lin", &BUREAU, &err);
	dl_store_audit refused;
	memset(&refused, 0, sizeof(refused));
	snprintf(refused.action, sizeof(refused.action), "refused");
	snprintf(refused.detail, sizeof(refused.detail), "GET /api/sheets/1");
	check(dl_store_audit_add(st, &refused, &INTEGRATOR, &err) == 0, "add a refusal alone");
	memset(&refused, 0, sizeof(refused));
	check(dl_store_audit_add(st, &refused, &INTEGRATOR, &err) == DL_EINVALID,
	      "an entry needs an action");
	s = sheet("<two/>", row.id, "C1", "diagnosis", false);
	dl_store_put(st, &s, &row, &err);
	int64_t checked = 0, broken = 0;
	check(dl_store_audit_verify(st, &checked, &broken, &err) == 0 && checked == 5,
	      "five entries hold");
	dl_store_close(st);
	st = NULL;

	check(!raw_sql(db, "UPDATE audit SET detail = 'x' WHERE seq = 2") &&
		  !raw_sql(db, "DELETE FROM audit WHERE seq = 5"),
	      "the schema refuses changing or deleting an entry");
	char copy[128];
	path_in(copy, sizeof(copy), "tamper-copy.db");
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", db, copy);
	check(system(cmd) == 0, "keep a copy");

	check(raw_sql(db, "DROP TRIGGER audit_never_changed;"
			  " UPDATE audit SET sha256 = replace(sha256, 'a', 'b') WHERE seq = 2"),
	      "drop the trigger and change entry 2's digest");
	dl_store_open(&st, db, &err);
	check(dl_store_audit_verify(st, &checked, &broken, &err) == DL_EBROKEN && broken == 2 &&
		  checked == 1 && strstr(err.message, "2"),
	      "verify names entry 2: %s", err.message);
	dl_store_close(st);
	st = NULL;

	check(raw_sql(copy, "DROP TRIGGER audit_never_deleted; DELETE FROM audit WHERE seq = 3"),
	      "in the copy, remove entry 3");
	dl_store_open(&st, copy, &err);
	check(dl_store_audit_verify(st, &checked, &broken, &err) == DL_EBROKEN && broken == 3,
	      "verify names entry 3 as missing: %s", err.message);
	dl_store_close(st);
	st = NULL;
	check(raw_sql(copy, "DROP TRIGGER audit_never_changed;"
			    " UPDATE audit SET seq = 3 WHERE seq = 4"),
	      "renumber entry 4 as 3");
	dl_store_open(&st, copy, &err);
	check(dl_store_audit_verify(st, &checked, &broken, &err) == DL_EBROKEN && broken == 3,
	      "verify still names entry 3: %s", err.message);
	dl_store_close(st);
	st = NULL;
	check(raw_sql(copy, "UPDATE audit SET hash = printf('%064d', 5) WHERE seq = 5"), "break entry 5's hash");
	dl_store_open(&st, copy, &err);
	check(dl_store_audit_verify(st, &checked, &broken, &err) == DL_EBROKEN && broken == 3,
	      "the first broken entry is named, not a later one");
	dl_store_close(st);
	st = NULL;

	/* the newest entries removed: the chain that is left holds, but a sheet has no entry */
	check(raw_sql(db, "DROP TRIGGER audit_never_deleted; DELETE FROM audit WHERE seq = 5;"
			  " UPDATE audit SET sha256 = (SELECT sha256 FROM sheet WHERE id ="
			  " audit.sheet_id) WHERE seq = 2"),
	      "in the store, remove the last entry (the second sheet's) and undo the first change");
	dl_store_open(&st, db, &err);
	check(dl_store_audit_verify(st, &checked, &broken, &err) == DL_EBROKEN && broken == 5 &&
		  checked == 4 && strstr(err.message, "no entry"),
	      "verify finds the sheet without its entry: %s", err.message);
	dl_store_close(st);
}

/* A version-1 store (as the workbench issue made it) is migrated and keeps its rows. */
static void test_migration(void)
{
	char db[128];
	path_in(db, sizeof(db), "v1.db");
	/* migration 1 as released (store_sqlite.c), with one row */
	check(raw_sql(db,
		      "PRAGMA application_id = 1145852756;"
		      "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied TEXT NOT NULL);"
		      "INSERT INTO schema_version VALUES (0, 'then'), (1, 'then');"
		      "CREATE TABLE sheet (id INTEGER PRIMARY KEY AUTOINCREMENT,"
		      " lineage INTEGER NOT NULL REFERENCES sheet(id),"
		      " version INTEGER NOT NULL CHECK (version >= 1), credit_code TEXT NOT NULL,"
		      " name TEXT NOT NULL, phase TEXT NOT NULL, date TEXT NOT NULL,"
		      " questionnaire_id TEXT NOT NULL, questionnaire_version TEXT NOT NULL,"
		      " questionnaire_sha256 TEXT NOT NULL,"
		      " draft INTEGER NOT NULL CHECK (draft IN (0, 1)),"
		      " level INTEGER NOT NULL CHECK (level BETWEEN -1 AND 4), total TEXT NOT NULL,"
		      " sha256 TEXT NOT NULL CHECK (length(sha256) = 64), received TEXT NOT NULL,"
		      " xml BLOB NOT NULL, UNIQUE (lineage, version),"
		      " CHECK ((version = 1) = (lineage = id)));"
		      "CREATE TRIGGER sheet_never_changed BEFORE UPDATE OF id, lineage, version,"
		      " credit_code, name, phase, date, questionnaire_id, questionnaire_version, draft,"
		      " sha256, received, xml ON sheet BEGIN SELECT RAISE(ABORT, 'no'); END;"
		      "INSERT INTO sheet VALUES (1, 1, 1, 'C1', 'n', 'evaluation', '', 'miit-2024',"
		      " '1', '', 0, 2, '40', printf('%064d', 0), '2026-01-01T00:00:00Z', '<x/>')"),
	      "make a version-1 store with an evaluation");
	dl_store *st = NULL;
	dl_error err = {0};
	if (!check(dl_store_open(&st, db, &err) == 0 && dl_store_schema_version(st) == 3,
		   "it opens at version 3 (%s)", err.message))
		return;
	dl_store_row row;
	check(dl_store_get(st, 1, &row, NULL, NULL, &err) == 0 && row.author[0] == '\0' &&
		  row.reason[0] == '\0' && strcmp(row.phase, "evaluation") == 0,
	      "its row is there, without author or reason");
	dl_store_sheet s = sheet("<y/>", 1, "C1", "evaluation", false);
	check(dl_store_put(st, &s, &row, &err) == DL_EFROZEN, "its evaluation is frozen too");
	dl_store_close(st);
	check(!raw_sql(db, "UPDATE sheet SET author = 'x' WHERE id = 1") &&
		  !raw_sql(db, "UPDATE sheet SET reason = 'x' WHERE id = 1") &&
		  raw_sql(db, "UPDATE sheet SET level = 3 WHERE id = 1"),
	      "the new trigger protects author and reason; the score may still change");
}

/* A thread saving sheets while the backup is taken. */
typedef struct writer_args {
	dl_store *st;
	atomic_int stop, saved, failed;
} writer_args;

static void *writer(void *arg)
{
	writer_args *w = arg;
	while (!w->stop) {
		char xml[64];
		snprintf(xml, sizeof(xml), "<s n='%d'/>", atomic_load(&w->saved));
		dl_store_sheet s = sheet(xml, 0, "C7", "diagnosis", false);
		dl_error err;
		if (dl_store_put(w->st, &s, NULL, &err) == 0)
			atomic_fetch_add(&w->saved, 1);
		else
			atomic_fetch_add(&w->failed, 1);
	}
	return NULL;
}

static void test_backup(void)
{
	char db[128], copy[128];
	path_in(db, sizeof(db), "live.db");
	path_in(copy, sizeof(copy), "live-backup.db");
	dl_store *st = NULL;
	dl_error err = {0};
	if (!check(dl_store_open(&st, db, &err) == 0, "a new store opens (%s)", err.message))
		return;
	dl_store_user u = user("boss", DL_ROLE_BUREAU, "");
	dl_store_user_add(st, &u, "$h", &BUREAU, &err);
	writer_args w;
	w.st = st;
	atomic_init(&w.stop, 0);
	atomic_init(&w.saved, 0);
	atomic_init(&w.failed, 0);
	pthread_t t;
	pthread_create(&t, NULL, writer, &w);
	for (int waited = 0; atomic_load(&w.saved) < 20 && waited < 10000; waited++)
		usleep(1000); /* at most 10 s */
	int rc = dl_store_backup(st, copy, &err);
	int saved_at_backup = atomic_load(&w.saved);
	usleep(20000);
	atomic_store(&w.stop, 1);
	pthread_join(t, NULL);
	check(rc == 0 && atomic_load(&w.failed) == 0 && saved_at_backup >= 20 &&
		  atomic_load(&w.saved) > saved_at_backup,
	      "a backup while a thread saves (%d saved before, %d after): %s", saved_at_backup,
	      atomic_load(&w.saved), rc ? err.message : "ok");
	check(dl_store_backup(st, copy, &err) == DL_EIO && strstr(err.message, "exists"),
	      "a backup never replaces a file: %s", err.message);
	int64_t live = 0, checked = 0, broken = 0;
	dl_store_audit_verify(st, &live, &broken, &err);
	dl_store_close(st);
	st = NULL;

	char listing[256];
	snprintf(listing, sizeof(listing), "ls '%s' | grep -c tmp-", tmp);
	check(system(listing) != 0, "no temporary file is left beside it");
	if (!check(dl_store_open(&st, copy, &err) == 0, "the backup opens as a store (%s)",
		   err.message))
		return;
	check(dl_store_audit_verify(st, &checked, &broken, &err) == 0 && checked >= 21 &&
		  checked <= live,
	      "its chain holds: %lld of the live store's %lld entries", (long long)checked,
	      (long long)live);
	check(dl_store_check(st, &err) == 0, "its file is sound");
	dl_store_close(st);
}

int main(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/test_store_district-XXXXXX");
	if (!check(mkdtemp(tmp) != NULL, "make a temporary directory"))
		return test_done();
	test_passwords();
	test_users_and_sessions();
	test_enterprises_documents_reviews();
	test_frozen_and_atomic();
	test_tamper();
	test_migration();
	test_backup();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmp);
	return test_done();
}
