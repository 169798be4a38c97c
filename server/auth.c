/*
 * auth.c: sessions, CSRF and the failed-login limiter of district mode (auth.h, login.h); the
 * passwords themselves are password.c's.
 *
 * A session is a 256-bit token from getrandom(), given to the browser once, in the cookie
 * "dl_session" (HttpOnly, SameSite=Strict, Path=/, Secure under TLS), and kept by the store only as
 * its SHA-256: a copy of the database opens no session. It lasts SRV_SESSION_LIFETIME (8 hours)
 * from the login and ends earlier on logout, on a password change and when its account is
 * disabled (the store's dl_store_session_find sees to the last two).
 *
 * Failed logins are counted in the database, not in memory: each is an audit entry "login.failed"
 * (the name tried, the client's address) and each success an entry "login", and the limiter reads
 * them there (dl_store_login_wait, store_logins.c), so that every server process on one database
 * shares one count and a restart forgets nothing. After LIMIT_ACCOUNT failures of one account since
 * its last login, or LIMIT_ADDRESS from one address, within LIMIT_WINDOW seconds, further attempts
 * are answered 429 with Retry-After, without a password being tried, until the oldest of those
 * failures is LIMIT_WINDOW seconds old. A success ends its account's count (not its address's).
 * Attempts in flight at the same moment are counted once they are answered, so a burst may pass
 * the limit by the attempts a server takes at once; Argon2id makes each of them slow.
 */
#include "auth.h"
#include "login.h"

#include <nettle/memops.h>
#include <nettle/sha2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define COOKIE_NAME "dl_session"
#define LIMIT_ACCOUNT 5
#define LIMIT_ADDRESS 20 /* higher: the people of one office share an address behind its NAT */
#define LIMIT_WINDOW 900 /* seconds: 15 minutes */

struct srv_limiter {
	/* a hash of a password nobody has, with the parameters of real ones: an unknown account's
	 * login is verified against it, so that it takes the time a known one takes */
	char dummy_hash[SRV_PASSWORD_HASH_MAX];
};

int srv_limiter_start(srv *s)
{
	struct srv_limiter *l = calloc(1, sizeof *l);
	if (!l)
		return DL_ENOMEM;
	dl_error err = {0};
	int rc = srv_password_hash("digilevel: no account has this password", l->dummy_hash, &err);
	if (rc < 0) {
		free(l);
		return rc;
	}
	s->limiter = l;
	return 0;
}

void srv_limiter_stop(srv *s)
{
	free(s->limiter);
	s->limiter = NULL;
}

/* --- tokens -------------------------------------------------------------------------------------- */

static void hex(const unsigned char *bytes, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * n] = '\0';
}

/* 256 random bits as 64 hex digits. */
static int random_token(char out[65])
{
	unsigned char bytes[32];
	size_t got = 0;
	while (got < sizeof bytes) {
		ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
		if (n <= 0)
			return DL_EIO;
		got += (size_t)n;
	}
	hex(bytes, sizeof bytes, out);
	return 0;
}

static void sha256_hex(const char *text, char out[65])
{
	struct sha256_ctx ctx;
	unsigned char digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, strlen(text), (const uint8_t *)text);
	sha256_digest(&ctx, sizeof digest, digest);
	hex(digest, sizeof digest, out);
}

static bool is_token(const char *p, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return false;
	return true;
}

/* The session token of a Cookie header ("a=b; dl_session=TOKEN"), if it holds a well-formed one. */
static bool cookie_token(const char *header, char token[65])
{
	const size_t name_len = strlen(COOKIE_NAME);
	for (const char *p = header; p && *p;) {
		while (*p == ' ' || *p == ';')
			p++;
		size_t n = strcspn(p, ";");
		if (n > name_len && strncmp(p, COOKIE_NAME, name_len) == 0 && p[name_len] == '=' &&
		    is_token(p + name_len + 1, n - name_len - 1)) {
			memcpy(token, p + name_len + 1, 64);
			token[64] = '\0';
			return true;
		}
		p += n;
	}
	return false;
}

bool srv_session_of(srv *s, const srv_request *rq, srv_who *who)
{
	char token[65];
	if (!s->district || !cookie_token(srv_header(rq, "Cookie"), token))
		return false;
	char sha[65];
	sha256_hex(token, sha);
	dl_store_session session;
	dl_error err = {0};
	int rc = dl_store_session_find(s->store, sha, &session, &err);
	if (rc < 0) {
		if (rc != DL_ENOTFOUND)
			srv_log("session: %s", err.message);
		return false;
	}
	memset(who, 0, sizeof *who);
	who->user = session.user;
	memcpy(who->csrf, session.csrf, sizeof who->csrf);
	who->csrf[64] = '\0';
	memcpy(who->token_sha256, sha, sizeof who->token_sha256);
	return true;
}

bool srv_csrf_ok(const srv_request *rq)
{
	if (!rq->who || strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0 ||
	    strcmp(rq->method, "OPTIONS") == 0)
		return true;
	const srv_field *f = srv_field_get(rq, "csrf");
	const char *token = f && !f->filename ? f->value : srv_header(rq, "X-CSRF-Token");
	if (!token || strlen(token) != 64 || strlen(rq->who->csrf) != 64)
		return false;
	return memeql_sec(token, rq->who->csrf, 64) != 0;
}

void srv_actor(const srv_request *rq, dl_store_actor *by)
{
	memset(by, 0, sizeof *by);
	if (rq->who) {
		by->user = rq->who->user.name;
		by->role = rq->who->user.role;
	}
	by->remote = rq->remote;
}

/* --- logging in and out ---------------------------------------------------------------------------- */

bool srv_login_same_site(const srv_request *rq)
{
	/* Sec-Fetch-Site, not Origin against Host: a reverse proxy may rewrite Host (nginx sends the
	 * upstream's address by default), while the browser's own Sec-Fetch-Site passes through */
	const char *site = srv_header(rq, "Sec-Fetch-Site");
	return !site || strcmp(site, "same-origin") == 0 || strcmp(site, "none") == 0;
}

int srv_login_try(srv *s, const srv_request *rq, const char *name, const char *password,
		  srv_login *out)
{
	memset(out, 0, sizeof *out);
	struct srv_limiter *l = s->limiter;
	static const dl_store_login_limit limit = {LIMIT_ACCOUNT, LIMIT_ADDRESS, LIMIT_WINDOW};
	dl_error err = {0};
	int64_t wait = 0;
	int rc = dl_store_login_wait(s->store, name, rq->remote, &limit, &wait, &err);
	if (rc < 0) {
		srv_log("login: %s", err.message);
		return rc;
	}
	if (wait) {
		out->status = 429;
		out->retry_after = (unsigned)wait;
		srv_log("%s login of '%.64s' refused: too many failed attempts", rq->remote, name);
		return 0;
	}
	dl_store_user user;
	char hash[SRV_PASSWORD_HASH_MAX] = "";
	rc = strlen(name) < sizeof user.name
			 ? dl_store_user_find(s->store, name, &user, hash, sizeof hash, &err)
			 : DL_ENOTFOUND;
	if (rc < 0 && rc != DL_ENOTFOUND) {
		srv_log("login: %s", err.message);
		return rc;
	}
	bool known = rc == 0;
	bool match = strlen(password) <= SRV_PASSWORD_MAX &&
		     srv_password_verify(known ? hash : l->dummy_hash, password);
	if (!known || !match || user.disabled) {
		/* the failure is the limiter's count: one that cannot be recorded is no plain 401 */
		dl_store_actor by;
		srv_actor(rq, &by);
		if ((rc = dl_store_login_failed(s->store, name, &by, &err)) < 0) {
			srv_log("login: %s", err.message);
			return rc;
		}
		out->status = 401;
		return 0;
	}
	char sha[65];
	if ((rc = random_token(out->token)) < 0 || (rc = random_token(out->csrf)) < 0)
		return rc;
	sha256_hex(out->token, sha);
	dl_store_actor by = {user.name, user.role, rq->remote};
	if ((rc = dl_store_session_start(s->store, user.id, sha, out->csrf, SRV_SESSION_LIFETIME, &by,
					 &err)) < 0) {
		srv_log("login: %s", err.message);
		return rc;
	}
	out->user = user;
	out->status = 200;
	return 0;
}

int srv_logout(srv *s, const srv_request *rq)
{
	if (!rq->who)
		return 0;
	dl_store_actor by;
	srv_actor(rq, &by);
	dl_error err = {0};
	int rc = dl_store_session_end(s->store, rq->who->token_sha256, &by, &err);
	if (rc < 0)
		srv_log("logout: %s", err.message);
	return rc;
}

void srv_session_cookie(const srv *s, const char *token, srv_response *rs)
{
	snprintf(rs->set_cookie, sizeof rs->set_cookie,
		 "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", COOKIE_NAME,
		 token ? token : "", token ? SRV_SESSION_LIFETIME : 0, s->tls ? "; Secure" : "");
}

const char *srv_home_of(srv *s, const srv_who *who, char *buf, size_t size)
{
	const char *role = who->user.role;
	if (strcmp(role, DL_ROLE_ENTERPRISE) == 0 && who->user.credit_code[0]) {
		/* its page once something of it is stored; before that, the start of a self-check */
		dl_store_filter f;
		memset(&f, 0, sizeof f);
		f.credit_code = who->user.credit_code;
		f.drafts = true;
		f.limit = 1;
		dl_store_row *rows = NULL;
		size_t count = 0;
		dl_error err = {0};
		if (dl_store_list(s->store, &f, &rows, &count, &err) == 0 && count)
			snprintf(buf, size, "/enterprises/%s", who->user.credit_code);
		else
			snprintf(buf, size, "/new");
		free(rows);
	} else if (strcmp(role, DL_ROLE_BUREAU) == 0) {
		snprintf(buf, size, "/dashboard");
	} else if (strcmp(role, DL_ROLE_ENTERPRISE) == 0) {
		snprintf(buf, size, "/new");
	} else { /* integrator, evaluator, supervisor (its review queue will come) */
		snprintf(buf, size, "/sheets");
	}
	return buf;
}

bool srv_local_path(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || strlen(next) > 400)
		return false;
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '\\')
			return false;
	return true;
}

const char *srv_role_title(const char *role)
{
	static const char *const titles[][2] = {
	    {DL_ROLE_ENTERPRISE, N_("Enterprise")},
	    {DL_ROLE_INTEGRATOR, N_("Service provider")},
	    {DL_ROLE_EVALUATOR, N_("Evaluation agency")},
	    {DL_ROLE_SUPERVISOR, N_("Supervising unit")},
	    {DL_ROLE_BUREAU, N_("Competent bureau")},
	};
	for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
		if (strcmp(titles[i][0], role) == 0)
			return _(titles[i][1]);
	return role;
}
