/*
 * password.c: hashing and checking the passwords of district accounts (auth.h) with Argon2id
 * (libargon2, the reference implementation, Debian libargon2-dev).
 *
 * Why these parameters: Argon2id with t = 2 passes over m = 19456 KiB (19 MiB) of memory on
 * p = 1 lane is OWASP's recommended minimum (Password Storage Cheat Sheet): about 30 ms on one
 * core here, so a login costs little, while guessing from a stolen database costs 19 MiB and two
 * passes per guess. The salt is 16 random bytes from getrandom(); the hash 32 bytes. The store
 * keeps the encoded string ("$argon2id$v=19$m=19456,t=2,p=1$SALT$HASH"), which names its own
 * parameters, so stronger ones later still verify the old hashes. docs/security.md "Passwords".
 *
 * srv_password_verify takes as long for an account that does not exist (hash NULL or empty) as
 * for a wrong password: it checks against a dummy hash made with the same parameters, so the time
 * of a refusal does not tell whether the account exists.
 */
#include "auth.h"

#include <argon2.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/random.h>

/* OWASP Password Storage Cheat Sheet: Argon2id, m = 19 MiB, t = 2, p = 1. */
#define PASSWORD_T_COST 2
#define PASSWORD_M_COST 19456 /* KiB */
#define PASSWORD_LANES 1
#define PASSWORD_SALT_LEN 16
#define PASSWORD_HASH_LEN 32

/* The number of UTF-8 characters in s (bytes that do not continue a character). */
static size_t characters(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int random_bytes(unsigned char *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = getrandom(buf + got, len - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
	}
	return 0;
}

int srv_password_hash(const char *password, char hash[SRV_PASSWORD_HASH_MAX], dl_error *err)
{
	size_t len = strlen(password);
	if (len > SRV_PASSWORD_MAX || characters(password) < SRV_PASSWORD_MIN) {
		if (err) {
			memset(err, 0, sizeof(*err));
			err->code = DL_EINVALID;
			snprintf(err->message, sizeof(err->message),
				 _("a password has at least %d characters and at most %d bytes"),
				 SRV_PASSWORD_MIN, SRV_PASSWORD_MAX);
		}
		return DL_EINVALID;
	}
	unsigned char salt[PASSWORD_SALT_LEN];
	int rc = random_bytes(salt, sizeof(salt)) == 0 ? ARGON2_OK : ARGON2_MISSING_ARGS;
	if (rc == ARGON2_OK)
		rc = argon2id_hash_encoded(PASSWORD_T_COST, PASSWORD_M_COST, PASSWORD_LANES, password,
					   len, salt, sizeof(salt), PASSWORD_HASH_LEN, hash,
					   SRV_PASSWORD_HASH_MAX);
	if (rc == ARGON2_OK)
		return 0;
	int code = rc == ARGON2_MEMORY_ALLOCATION_ERROR ? DL_ENOMEM : DL_EIO;
	if (err) {
		memset(err, 0, sizeof(*err));
		err->code = code;
		snprintf(err->message, sizeof(err->message), _("cannot hash the password: %s"),
			 rc == ARGON2_MISSING_ARGS ? _("no random numbers") : argon2_error_message(rc));
	}
	return code;
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy[SRV_PASSWORD_HASH_MAX];

static void make_dummy(void)
{
	if (srv_password_hash("not any account's password", dummy, NULL) != 0)
		dummy[0] = '\0';
}

bool srv_password_verify(const char *hash, const char *password)
{
	bool known = hash && strncmp(hash, "$argon2id$", 10) == 0;
	if (!password)
		password = "";
	size_t len = strnlen(password, SRV_PASSWORD_MAX + 1);
	if (!known || len > SRV_PASSWORD_MAX) {
		/* as long as a real check, and false whatever the result */
		pthread_once(&dummy_once, make_dummy);
		if (dummy[0])
			(void)argon2id_verify(dummy, password, len);
		return false;
	}
	return argon2id_verify(hash, password, len) == ARGON2_OK;
}
