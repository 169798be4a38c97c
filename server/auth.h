/*
 * auth.h: accounts, passwords and sessions of district mode (docs/security.md "The workbench").
 *
 * Passwords: Argon2id (libargon2), parameters in auth.c and docs/security.md; the store keeps only
 * the encoded hash. Sessions: a random 256-bit token in an HttpOnly, SameSite=Strict cookie
 * (Secure under TLS); the store keeps its SHA-256, so a copy of the database opens no session.
 * A session expires, and ends on logout, on a password change and when its account is disabled.
 * CSRF: every state-changing request that carries the session cookie must also carry the
 * session's CSRF token (a form field "csrf" or the header X-CSRF-Token). Failed logins are
 * limited per account and per address; a refusal never says whether the account exists.
 */
#ifndef DL_SERVER_AUTH_H
#define DL_SERVER_AUTH_H

#include "server.h"

/** The size of an Argon2id encoded hash buffer. */
#define SRV_PASSWORD_HASH_MAX 160
/** The longest password accepted, and the shortest. */
#define SRV_PASSWORD_MAX 256
#define SRV_PASSWORD_MIN 8

/** Hash password into hash (Argon2id with a random salt, encoded "$argon2id$v=19$m=...").
 * Returns 0, or DL_EINVALID (length outside the bounds) / DL_ENOMEM with err saying why. */
int srv_password_hash(const char *password, char hash[SRV_PASSWORD_HASH_MAX], dl_error *err);
/** Does password match the encoded hash? Takes the same time for a wrong password. */
bool srv_password_verify(const char *hash, const char *password);

/** Start and stop the failed-login limiter of s (s->limiter). */
int srv_limiter_start(srv *s);
void srv_limiter_stop(srv *s);

/**
 * Who sends rq: in district mode, read the session cookie, find the live session and fill who;
 * returns true when there is one. Personal mode: false, who untouched.
 */
bool srv_session_of(srv *s, const srv_request *rq, srv_who *who);

/** Does a state-changing request carry its session's CSRF token? Personal mode: true. */
bool srv_csrf_ok(const srv_request *rq);

/** A role's name for people, in the language of messages ("主管部门" for "bureau"); an unknown
 * role as it is. */
const char *srv_role_title(const char *role);

/** The audit actor of rq: its account, role and address (personal mode: the address only). */
void srv_actor(const srv_request *rq, dl_store_actor *by);

#endif
