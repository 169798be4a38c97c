/*
 * test_access.c: who may do what in district mode (server/access.c) and the request checks of
 * server/auth.c, called as the handlers call them, on a real store in a temporary directory with
 * two enterprises: A, assigned to the integrator "int_a" and the evaluator "eval_a", and B,
 * assigned to nobody.
 *
 * Every role × every action × (A, B, no enterprise) is asked of srv_may and compared with the
 * table of docs/security.md "Who may do what", written out again below by hand; then the rows a
 * list keeps, a draft without a credit code, replacing a version, the CSRF token of a request
 * (form field, header, missing, wrong, a file field), the audit actor, and the paths allowed
 * after a login. Personal mode allows everything.
 */
#define _GNU_SOURCE /* mkdtemp */
#include "access.h"
#include "auth.h"
#include "login.h"

#include <unistd.h>

#include "test_util.h"

#define A "91640303MA76L2K45X"
#define B "91640303MA7CK4N152"

/* The actions in srv_action's order: READ, SCORE, WRITE_SELF_CHECK, WRITE_DIAGNOSIS,
 * WRITE_EVALUATION, WRITE_DOCUMENT, REVIEW, ASSIGN, DASHBOARD, ARCHIVE, ACCOUNTS. */
#define ACTION_COUNT 11

/* The expected table: for each account, the actions allowed on A, on B and on no enterprise, as
 * strings of 11 letters in ACTIONS' order (y: allowed). */
typedef struct expected {
	const char *name, *role, *code;
	const char *on_a, *on_b, *on_none;
} expected;

static const expected TABLE[] = {
	/*                                             RSSDEDRADAA   (actions in ACTIONS' order) */
	{"ent_a", DL_ROLE_ENTERPRISE, A, "yyy........", ".y.........", ".yy........"},
	{"int_a", DL_ROLE_INTEGRATOR, "", "yy.y.y.....", ".y.........", ".y.y.y....."},
	{"eval_a", DL_ROLE_EVALUATOR, "", "yy..y......", ".y.........", ".y..y......"},
	{"int_none", DL_ROLE_INTEGRATOR, "", ".y.........", ".y.........", ".y.y.y....."},
	{"sup", DL_ROLE_SUPERVISOR, "", "yy....y.yy.", "yy....y.yy.", "yy....y.yy."},
	{"chief", DL_ROLE_BUREAU, "", "yy.....yyyy", "yy.....yyyy", "yy.....yyyy"},
};
#define ACCOUNT_COUNT (sizeof TABLE / sizeof TABLE[0])

static srv_who who_of(const expected *e)
{
	srv_who w;
	memset(&w, 0, sizeof w);
	snprintf(w.user.name, sizeof w.user.name, "%s", e->name);
	snprintf(w.user.role, sizeof w.user.role, "%s", e->role);
	snprintf(w.user.credit_code, sizeof w.user.credit_code, "%s", e->code);
	memset(w.csrf, 'c', 64);
	return w;
}

static srv_request request(const srv_who *who, const char *method)
{
	srv_request rq;
	memset(&rq, 0, sizeof rq);
	rq.method = method;
	rq.path = "/api/sheets";
	rq.remote = "192.0.2.7";
	rq.who = who;
	return rq;
}

static void table(srv *s)
{
	for (size_t i = 0; i < ACCOUNT_COUNT; i++) {
		srv_who w = who_of(&TABLE[i]);
		srv_request rq = request(&w, "GET");
		const char *codes[] = {A, B, NULL};
		const char *want[] = {TABLE[i].on_a, TABLE[i].on_b, TABLE[i].on_none};
		for (size_t c = 0; c < 3; c++) {
			char got[ACTION_COUNT + 1];
			for (int a = 0; a < ACTION_COUNT; a++)
				got[a] = srv_may(s, &rq, (srv_action)a, codes[c]) ? 'y' : '.';
			got[ACTION_COUNT] = '\0';
			check(strcmp(got, want[c]) == 0, "%s on %s: %s (got %s)", TABLE[i].name,
			      codes[c] ? (c == 0 ? "A" : "B") : "no enterprise", want[c], got);
		}
	}
	srv_request nobody = request(NULL, "GET");
	bool any = false;
	for (int a = 0; a < ACTION_COUNT; a++)
		any = any || srv_may(s, &nobody, (srv_action)a, A) || srv_may(s, &nobody, (srv_action)a, NULL);
	check(!any, "without a session nothing is allowed");
	expected stranger = {"who", "janitor", "", "", "", ""};
	srv_who w = who_of(&stranger);
	srv_request rq = request(&w, "GET");
	check(!srv_may(s, &rq, SRV_SCORE, NULL) && !srv_may(s, &rq, SRV_READ, A),
	      "an unknown role may do nothing");
	w = who_of(&TABLE[0]);
	w.user.disabled = true;
	rq = request(&w, "GET");
	check(!srv_may(s, &rq, SRV_READ, A), "a disabled account may do nothing");
}

static dl_store_row row(int64_t id, const char *code, const char *phase, const char *author)
{
	dl_store_row r;
	memset(&r, 0, sizeof r);
	r.id = id;
	snprintf(r.credit_code, sizeof r.credit_code, "%s", code);
	snprintf(r.phase, sizeof r.phase, "%s", phase);
	snprintf(r.author, sizeof r.author, "%s", author);
	return r;
}

static void rows(srv *s)
{
	srv_who ent = who_of(&TABLE[0]), integrator = who_of(&TABLE[1]), none = who_of(&TABLE[3]);
	dl_store_row list[] = {row(1, A, "diagnosis", "int_a"), row(2, B, "diagnosis", "x"),
			       row(3, "", "diagnosis", "int_a"), row(4, "", "self-check", "ent_a"),
			       row(5, A, "self-check", "ent_a"), row(6, B, "evaluation", "y")};
	dl_store_row copy[6];
	size_t n = 6;
	memcpy(copy, list, sizeof list);
	srv_request rq = request(&integrator, "GET");
	srv_rows_visible(s, &rq, copy, &n);
	check(n == 3 && copy[0].id == 1 && copy[1].id == 3 && copy[2].id == 5,
	      "int_a's list: A's rows and its own draft without a credit code, in order (%zu)", n);
	n = 6;
	memcpy(copy, list, sizeof list);
	rq = request(&ent, "GET");
	srv_rows_visible(s, &rq, copy, &n);
	check(n == 3 && copy[0].id == 1 && copy[1].id == 4 && copy[2].id == 5,
	      "ent_a's list: its own rows and its own draft (%zu)", n);
	n = 6;
	memcpy(copy, list, sizeof list);
	rq = request(&none, "GET");
	srv_rows_visible(s, &rq, copy, &n);
	check(n == 0, "int_none's list: nothing (%zu)", n);

	rq = request(&integrator, "POST");
	check(srv_may_replace(s, &rq, &list[0]), "int_a may replace A's diagnosis");
	check(!srv_may_replace(s, &rq, &list[4]), "int_a may not replace A's self-check");
	check(!srv_may_replace(s, &rq, &list[1]), "int_a may not replace B's diagnosis");
	check(srv_may_replace(s, &rq, &list[2]), "int_a may replace its own draft without a code");
	check(!srv_may_replace(s, &rq, &list[3]), "int_a may not replace ent_a's draft without a code");
	dl_store_row fields = row(0, A, "diagnosis", "");
	check(srv_may_store(s, &rq, &fields, 0), "int_a may store a diagnosis of A");
	fields = row(0, B, "diagnosis", "");
	check(!srv_may_store(s, &rq, &fields, 0), "int_a may not store a diagnosis of B");
	fields = row(0, "", "diagnosis", "");
	check(srv_may_store(s, &rq, &fields, 0), "int_a may store a diagnosis draft naming no enterprise");
	fields = row(0, "", "evaluation", "");
	check(!srv_may_store(s, &rq, &fields, 0), "int_a may not store an evaluation draft");
	check(srv_write_action("self-check") == SRV_WRITE_SELF_CHECK &&
	      srv_write_action("diagnosis") == SRV_WRITE_DIAGNOSIS &&
	      srv_write_action("evaluation") == SRV_WRITE_EVALUATION,
	      "each phase's write action");
}

static void csrf(void)
{
	srv_who w = who_of(&TABLE[5]);
	char token[65];
	memset(token, 'c', 64);
	token[64] = '\0';
	char wrong[65];
	memcpy(wrong, token, sizeof wrong);
	wrong[63] = 'd';
	srv_field field = {(char *)"csrf", token, 64, NULL};
	srv_request rq = request(&w, "POST");
	check(!srv_csrf_ok(&rq), "a POST with a session and no token is refused");
	rq.fields = &field;
	rq.field_count = 1;
	check(srv_csrf_ok(&rq), "the token as the form field csrf is taken");
	field.value = wrong;
	check(!srv_csrf_ok(&rq), "a token one character off is refused");
	field.value = token;
	field.len = 63;
	token[63] = '\0';
	check(!srv_csrf_ok(&rq), "a token one character short is refused");
	token[63] = 'c';
	field.len = 64;
	field.filename = (char *)"csrf.txt";
	check(!srv_csrf_ok(&rq), "a file called csrf is not a token");
	srv_request get = request(&w, "GET");
	check(srv_csrf_ok(&get), "a GET needs no token");
	srv_request anonymous = request(NULL, "POST");
	check(srv_csrf_ok(&anonymous), "a request without a session needs no token");
	dl_store_actor by;
	srv_actor(&rq, &by);
	check(by.user && strcmp(by.user, "chief") == 0 && strcmp(by.role, "bureau") == 0 &&
	      strcmp(by.remote, "192.0.2.7") == 0, "the actor: the account, its role, the address");
	srv_actor(&anonymous, &by);
	check(!by.user && !by.role && by.remote, "personal mode's actor: the address only");
}

static void paths(void)
{
	const char *good[] = {"/sheets", "/enterprises/91640303MA76L2K45X", "/sheets/3/edit?x=1", "/"};
	const char *bad[] = {"//evil.example/x", "http://evil.example/", "/\\evil.example", "evil", "",
			     "/a b", "/a\tb", "/\x7f"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		check(srv_local_path(good[i]), "%s is a path of this server", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		check(!srv_local_path(bad[i]), "'%s' is not one", bad[i]);
	check(!srv_local_path(NULL), "nothing is not one");
}

int main(void)
{
	char dir[] = "/tmp/dl-access-XXXXXX";
	if (!check(mkdtemp(dir) != NULL, "a temporary directory"))
		return test_done();
	char db[64];
	snprintf(db, sizeof db, "%s/store.db", dir);
	srv s;
	memset(&s, 0, sizeof s);
	dl_error err = {0};
	if (!check(dl_store_open(&s.store, db, &err) == 0, "open a store (%s)", err.message))
		return test_done();
	dl_store_actor by = {"test", "cli", ""};
	char hash[SRV_PASSWORD_HASH_MAX];
	int rc = srv_password_hash("a password of the test", hash, &err);
	for (size_t i = 0; rc == 0 && i < ACCOUNT_COUNT; i++) {
		dl_store_user u;
		memset(&u, 0, sizeof u);
		snprintf(u.name, sizeof u.name, "%s", TABLE[i].name);
		snprintf(u.role, sizeof u.role, "%s", TABLE[i].role);
		snprintf(u.credit_code, sizeof u.credit_code, "%s", TABLE[i].code);
		rc = dl_store_user_add(s.store, &u, hash, &by, &err);
	}
	if (rc == 0)
		rc = dl_store_assign(s.store, A, DL_ROLE_INTEGRATOR, "int_a", &by, &err);
	if (rc == 0)
		rc = dl_store_assign(s.store, A, DL_ROLE_EVALUATOR, "eval_a", &by, &err);
	if (rc == 0)
		rc = dl_store_enterprise_register(s.store, B, "", &by, &err);
	if (check(rc == 0, "the accounts and A's assignments (%s)", err.message)) {
		srv_who w = who_of(&TABLE[3]);
		srv_request rq = request(&w, "GET");
		check(srv_may(&s, &rq, SRV_ASSIGN, A) && srv_may(&s, &rq, SRV_WRITE_SELF_CHECK, B),
		      "personal mode allows everything");
		s.district = true;
		table(&s);
		rows(&s);
	}
	csrf();
	paths();
	dl_store_close(s.store);
	unlink(db);
	char wal[80];
	snprintf(wal, sizeof wal, "%s-wal", db);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", db);
	unlink(wal);
	rmdir(dir);
	return test_done();
}
