/*
 * page_login.c: the door of district mode (login.h): the login page (GET /login, a plain form),
 * logging in by the form (POST /login) and by the API (POST /api/login, JSON), logging out
 * (POST /logout, POST /api/logout), and the start page (GET /), which sends an account to where its
 * work is. auth.c does the checking; these only read the request and answer.
 *
 * Every refusal of a login says the same words with the same status, whether the account is
 * unknown, the password wrong or the account disabled; too many failures are 429 with Retry-After.
 */
#include "auth.h"
#include "login.h"
#include "pages_form.h"
#include "pages_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char JSON[] = "application/json; charset=utf-8";

/* The words of every refused login, and of the limiter's refusal. */
static const char *refused_message(void)
{
	return _("The user name or the password is not correct.");
}

static void limited_message(char *buf, size_t size, unsigned seconds)
{
	snprintf(buf, size, _("Too many failed logins. Try again in %u minutes."), (seconds + 59) / 60);
}

int page_home(srv *s, const srv_request *rq, srv_response *rs)
{
	if (!rq->who)
		return page_new(s, rq, rs);
	char where[128];
	return srv_respond_redirect(rs, srv_home_of(s, rq->who, where, sizeof where));
}

/* The login page, with an error above the form (NULL: none). */
static int login_page(const srv_request *rq, srv_response *rs, int status, const char *error,
		      const char *next, const char *user)
{
	html_page p;
	srv_request nobody = *rq; /* the form is for someone not logged in: no token, no account */
	nobody.who = NULL;
	int rc = html_page_new(&p, &nobody, _("Log in"));
	if (rc < 0)
		return rc;
	/* nobody is logged in: the navigation would lead only back here */
	for (xmlNodePtr n = p.main ? p.main->prev : NULL; n; n = n->prev)
		if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, (const xmlChar *)"header") == 0)
			for (xmlNodePtr c = n->children; c; c = c->next)
				if (c->type == XML_ELEMENT_NODE &&
				    xmlStrcmp(c->name, (const xmlChar *)"nav") == 0) {
					xmlUnlinkNode(c);
					xmlFreeNode(c);
					break;
				}
	if (error) {
		xmlNodePtr m = html_el(&p, p.main, "p", error);
		html_attr(&p, m, "class", "error");
		html_attr(&p, m, "role", "alert");
	}
	xmlNodePtr form = html_form(&p, p.main, "post", "/login");
	html_attr(&p, form, "class", "login");
	const char *ids[] = {"user", "password"};
	const char *labels[] = {_("User name"), _("Password")};
	for (size_t i = 0; i < 2; i++) {
		xmlNodePtr div = html_el(&p, form, "div", NULL);
		html_attr(&p, div, "class", "field");
		html_attr(&p, html_el(&p, div, "label", labels[i]), "for", ids[i]);
		xmlNodePtr in = html_el(&p, div, "input", NULL);
		html_attr(&p, in, "id", ids[i]);
		html_attr(&p, in, "name", ids[i]);
		html_attr(&p, in, "type", i ? "password" : "text");
		html_attr(&p, in, "autocomplete", i ? "current-password" : "username");
		html_attr(&p, in, "required", NULL);
		html_attr(&p, in, "maxlength", i ? "256" : "63");
		if (i == 0 && user && *user)
			html_attr(&p, in, "value", user);
		if (i == 0 && !(user && *user))
			html_attr(&p, in, "autofocus", NULL);
	}
	if (next && srv_local_path(next)) {
		xmlNodePtr hidden = html_el(&p, form, "input", NULL);
		html_attr(&p, hidden, "type", "hidden");
		html_attr(&p, hidden, "name", "next");
		html_attr(&p, hidden, "value", next);
	}
	xmlNodePtr go = html_el(&p, form, "button", _("Log in"));
	html_attr(&p, go, "type", "submit");
	html_attr(&p, go, "class", "primary");
	html_el(&p, p.main, "p",
		_("Accounts are given by the district's bureau. A session ends after 8 hours, or when "
		  "you log out."));
	return html_finish(&p, rs, status);
}

static int no_accounts_page(const srv_request *rq, srv_response *rs)
{
	return view_error_page(rq, rs, 404, _("Log in"),
			       _("This workbench has no accounts: it serves this computer only, and "
				 "nobody needs to log in."));
}

int page_login_form(srv *s, const srv_request *rq, srv_response *rs)
{
	if (!s->district)
		return no_accounts_page(rq, rs);
	const char *next = srv_query(rq, "next");
	if (rq->who) { /* logged in already */
		char where[128];
		return srv_respond_redirect(rs, next && srv_local_path(next)
							? next
							: srv_home_of(s, rq->who, where, sizeof where));
	}
	return login_page(rq, rs, 200, NULL, next, NULL);
}

static const char *field(const srv_request *rq, const char *name)
{
	const srv_field *f = srv_field_get(rq, name);
	return f && !f->filename ? f->value : "";
}

/* A login sent from another site's page: refused before any password is looked at. */
static int refuse_cross_site(const srv_request *rq, srv_response *rs)
{
	srv_log("%s login refused: sent from another site (Origin %s, Sec-Fetch-Site %s)", rq->remote,
		srv_header(rq, "Origin") ? srv_header(rq, "Origin") : "-",
		srv_header(rq, "Sec-Fetch-Site") ? srv_header(rq, "Sec-Fetch-Site") : "-");
	return srv_respond_error(rs, 403, _("a login is taken only from this workbench's own login "
					    "page"));
}

int page_login(srv *s, const srv_request *rq, srv_response *rs)
{
	if (!s->district)
		return no_accounts_page(rq, rs);
	if (!srv_login_same_site(rq))
		return refuse_cross_site(rq, rs);
	const char *user = field(rq, "user"), *next = field(rq, "next");
	srv_login in;
	int rc = srv_login_try(s, rq, user, field(rq, "password"), &in);
	if (rc < 0)
		return rc;
	if (in.status == 429) {
		char m[200];
		limited_message(m, sizeof m, in.retry_after);
		rc = login_page(rq, rs, 429, m, next, user);
		rs->retry_after = in.retry_after;
		return rc;
	}
	if (in.status != 200)
		return login_page(rq, rs, 401, refused_message(), next, user);
	srv_who who;
	memset(&who, 0, sizeof who);
	who.user = in.user;
	char where[128];
	rc = srv_respond_redirect(rs, srv_local_path(next) ? next : srv_home_of(s, &who, where, sizeof where));
	srv_session_cookie(s, in.token, rs);
	return rc;
}

int page_logout(srv *s, const srv_request *rq, srv_response *rs)
{
	int rc = srv_logout(s, rq);
	if (rc < 0)
		return rc;
	rc = srv_respond_redirect(rs, "/login");
	srv_session_cookie(s, NULL, rs);
	return rc;
}

/* --- the JSON API ------------------------------------------------------------------------------- */

/* Append code point c to out as UTF-8. */
static bool put_utf8(char *out, size_t size, size_t *n, unsigned long c)
{
	unsigned char b[4];
	size_t k;
	if (c < 0x80) {
		b[0] = (unsigned char)c;
		k = 1;
	} else if (c < 0x800) {
		b[0] = (unsigned char)(0xc0 | (c >> 6));
		b[1] = (unsigned char)(0x80 | (c & 0x3f));
		k = 2;
	} else if (c < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (c >> 12));
		b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (c & 0x3f));
		k = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (c >> 18));
		b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (c & 0x3f));
		k = 4;
	}
	if (*n + k >= size)
		return false;
	memcpy(out + *n, b, k);
	*n += k;
	return true;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static bool hex4(const char *p, const char *end, unsigned long *v)
{
	if (end - p < 4)
		return false;
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
						    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return false;
		*v = *v * 16 + (unsigned long)d;
	}
	return true;
}

/* A JSON string at *at (its opening quote) into out; NULL out: skipped. */
static bool json_string(const char **at, const char *end, char *out, size_t size)
{
	const char *p = *at;
	size_t n = 0;
	if (p >= end || *p++ != '"')
		return false;
	while (p < end && *p != '"') {
		unsigned long c = (unsigned char)*p++;
		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (p >= end)
				return false;
			char e = *p++;
			const char *simple = strchr("\"\\/bfnrt", e);
			if (e && simple) {
				c = (unsigned char)"\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
			} else if (e == 'u' && hex4(p, end, &c)) {
				p += 4;
				unsigned long low;
				if (c >= 0xd800 && c < 0xdc00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
				    hex4(p + 2, end, &low) && low >= 0xdc00 && low < 0xe000) {
					c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
					p += 6;
				} else if (c >= 0xd800 && c < 0xe000) {
					return false;
				}
				if (c == 0)
					return false;
				if (out && !put_utf8(out, size, &n, c))
					return false;
				continue;
			} else {
				return false;
			}
		}
		if (out) {
			if (n + 1 >= size)
				return false;
			out[n++] = (char)c;
		}
	}
	if (p >= end)
		return false;
	if (out)
		out[n] = '\0';
	*at = p + 1;
	return true;
}

/* {"user": "...", "password": "..."}: an object of strings; other members are ignored. */
static bool login_body(const srv_request *rq, char *user, size_t user_size, char *password,
		       size_t password_size)
{
	const char *p = (const char *)rq->body, *end = p ? p + rq->body_len : NULL;
	bool have_user = false, have_password = false;
	if (!p || (p = skip_space(p, end)) >= end || *p++ != '{')
		return false;
	for (bool first = true;; first = false) {
		p = skip_space(p, end);
		if (p < end && *p == '}' && first)
			break;
		char key[32];
		if (!json_string(&p, end, key, sizeof key) || (p = skip_space(p, end)) >= end || *p++ != ':')
			return false;
		p = skip_space(p, end);
		if (strcmp(key, "user") == 0) {
			if (!json_string(&p, end, user, user_size))
				return false;
			have_user = true;
		} else if (strcmp(key, "password") == 0) {
			if (!json_string(&p, end, password, password_size))
				return false;
			have_password = true;
		} else if (!json_string(&p, end, NULL, 0)) {
			return false;
		}
		p = skip_space(p, end);
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p < end && *p == '}')
			break;
		return false;
	}
	p = skip_space(p + 1, end);
	return p == end && have_user && have_password;
}

int api_login(srv *s, const srv_request *rq, srv_response *rs)
{
	if (!s->district)
		return srv_respond_error(rs, 404, _("this workbench has no accounts: nobody needs to log in"));
	if (!srv_login_same_site(rq))
		return refuse_cross_site(rq, rs);
	char user[128], password[SRV_PASSWORD_MAX + 8];
	if (!login_body(rq, user, sizeof user, password, sizeof password))
		return srv_respond_error(rs, 400, _("send {\"user\": NAME, \"password\": PASSWORD} as JSON"));
	srv_login in;
	int rc = srv_login_try(s, rq, user, password, &in);
	memset(password, 0, sizeof password);
	if (rc < 0)
		return rc;
	if (in.status == 429) {
		char m[200];
		limited_message(m, sizeof m, in.retry_after);
		rc = srv_respond_error(rs, 429, m);
		rs->retry_after = in.retry_after;
		return rc;
	}
	if (in.status != 200)
		return srv_respond_error(rs, 401, refused_message());
	srv_buf b = {0};
	srv_buf_puts(&b, "{\"user\": ");
	srv_json_string(&b, in.user.name);
	srv_buf_puts(&b, ", \"role\": ");
	srv_json_string(&b, in.user.role);
	srv_buf_puts(&b, ", \"credit_code\": ");
	srv_json_string(&b, in.user.credit_code);
	srv_buf_puts(&b, ", \"csrf\": ");
	srv_json_string(&b, in.csrf);
	srv_buf_puts(&b, "}\n");
	rc = srv_respond_buf(rs, 200, JSON, &b);
	srv_session_cookie(s, in.token, rs);
	return rc;
}

int api_logout(srv *s, const srv_request *rq, srv_response *rs)
{
	int rc = srv_logout(s, rq);
	if (rc < 0)
		return rc;
	static const char body[] = "{\"status\": \"logged out\"}\n";
	rc = srv_respond_bytes(rs, 200, JSON, body, sizeof body - 1);
	srv_session_cookie(s, NULL, rs);
	return rc;
}
