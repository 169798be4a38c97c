/*
 * login.h: logging in and out of district mode (auth.c does the work, page_login.c answers):
 * the login page and form, the JSON login, logout, and where an account goes after it logged in.
 * In personal mode (no accounts) there is nothing to log into: the login routes answer 404.
 */
#ifndef DL_SERVER_LOGIN_H
#define DL_SERVER_LOGIN_H

#include "server.h"

/** A session lasts this long from its login (docs/security.md), then the cookie opens nothing. */
#define SRV_SESSION_LIFETIME 28800 /* seconds: 8 hours */

/** What a login attempt came to. */
typedef struct srv_login {
	int status;            /**< 200 logged in, 401 refused, 429 too many failures */
	unsigned retry_after;  /**< 429: seconds until the next attempt is taken */
	dl_store_user user;    /**< 200: the account */
	char token[65];        /**< 200: the session's token, for the cookie only (never stored) */
	char csrf[65];         /**< 200: the session's CSRF token */
} srv_login;

/**
 * Try name and password (auth.c): the limiter first (per account and per client address), then the
 * password, against a fixed dummy hash when there is no such account, so that the time and the
 * answer are the same for an unknown account, a wrong password and a disabled account. Every
 * failure is an audit entry "login.failed"; a success starts a session (audit "login"). Returns 0
 * with out->status, or a DL_E* code of the store.
 */
int srv_login_try(srv *s, const srv_request *rq, const char *name, const char *password,
		  srv_login *out);
/**
 * Was rq sent by a page of this workbench, not by another site's page (a login CSRF: a hostile page
 * logging the victim's browser into an account of the attacker's)? False when the browser says so:
 * Sec-Fetch-Site other than same-origin or none (every current browser sends it). A client that
 * does not send it (curl, scripts, browsers before 2023) is let through (docs/security.md).
 */
bool srv_login_same_site(const srv_request *rq);

/** End rq's session (audit "logout"). Returns 0 or a DL_E* code of the store. */
int srv_logout(srv *s, const srv_request *rq);
/** Set rs's session cookie to token, or clear it (token NULL). */
void srv_session_cookie(const srv *s, const char *token, srv_response *rs);
/** Where who starts: its enterprise's page, the sheets, the dashboard (a local path in buf). */
const char *srv_home_of(srv *s, const srv_who *who, char *buf, size_t size);
/** Is next a path of this server (one "/", no scheme, no host, no control character)? */
bool srv_local_path(const char *next);

/* The handlers (page_login.c). */
int page_home(srv *s, const srv_request *rq, srv_response *rs);
int page_login_form(srv *s, const srv_request *rq, srv_response *rs);
int page_login(srv *s, const srv_request *rq, srv_response *rs);
int page_logout(srv *s, const srv_request *rq, srv_response *rs);
int api_login(srv *s, const srv_request *rq, srv_response *rs);
int api_logout(srv *s, const srv_request *rq, srv_response *rs);

#endif
