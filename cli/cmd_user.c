/*
 * cmd_user.c: `digilevel user add|list|disable|enable|passwd --db FILE ...`: the accounts of a
 * district workbench (docs/workbench.md "District mode"), kept in the store (server/store.h).
 *
 * A password is never an argument (it would show in `ps` and the shell's history): it is read
 * from standard input, one line; on a terminal it is asked twice with the echo off. What is
 * stored is its Argon2id hash (server/password.c). Every change is written to the store's audit
 * log with the operating-system account that ran the command (role "cli").
 *
 * Only `user add` may create the database file: the others refuse a --db that does not exist,
 * so that a mistyped name never leaves an empty store behind.
 */
#include "cli.h"

#include "auth.h"
#include "store_open.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

static const char USAGE[] =
	N_("digilevel user add --db FILE --role ROLE [--credit-code CODE] NAME | digilevel user list "
	   "--db FILE [--format text|json] | digilevel user disable|enable|passwd --db FILE NAME");
static const char HELP[] =
	N_("usage: %s\n\nThe accounts of the district workbench (digilevel serve), kept in its "
	   "database\n(--db FILE). With an account in it the workbench asks everyone to log in.\n\n"
	   "  add NAME      a new account; ROLE is enterprise (with --credit-code, its\n"
	   "                统一社会信用代码), integrator, evaluator, supervisor or bureau\n"
	   "  list          every account: name, role, credit code, disabled, created\n"
	   "  disable NAME  the account can no longer log in; its sessions end\n"
	   "  enable NAME   it can again\n"
	   "  passwd NAME   a new password; its sessions end\n\n"
	   "The password is read from standard input (one line), never from an argument; on\n"
	   "a terminal it is asked twice and not shown. It has at least 8 characters.\n"
	   "A name has letters, digits, '.', '-' and '_', and starts with a letter or digit.\n"
	   "Every change is written to the audit log (digilevel audit verify).\n");

static const char *const FORMATS[] = {"text", "json", NULL};

#define NAME_MAX_LEN 63

/* The command line's actor for the audit log: the operating-system account, role "cli". */
static dl_store_actor actor(void)
{
	const char *name = getenv("USER");
	if (!name || !*name) {
		struct passwd *pw = getpwuid(getuid());
		name = pw && pw->pw_name ? pw->pw_name : "";
	}
	dl_store_actor by = {name, "cli", ""};
	return by;
}

static bool valid_name(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > NAME_MAX_LEN)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '.' && c != '-' && c != '_')))
			return false;
	}
	return true;
}

static bool valid_role(const char *role)
{
	static const char *const roles[] = {DL_ROLE_ENTERPRISE, DL_ROLE_INTEGRATOR,
					    DL_ROLE_EVALUATOR, DL_ROLE_SUPERVISOR, DL_ROLE_BUREAU};
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(role, roles[i]) == 0)
			return true;
	return false;
}

static bool file_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* Read one line of at most SRV_PASSWORD_MAX bytes from f into buf, without its line end. */
static int read_line(FILE *f, char *buf, size_t size)
{
	if (!fgets(buf, (int)size, f))
		return -1;
	size_t len = strlen(buf);
	bool whole = len > 0 && buf[len - 1] == '\n';
	if (!whole && !feof(f))
		return -2; /* longer than the buffer */
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

/* Ask for a password on the terminal, echo off. */
static int ask(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
	fputs(prompt, stderr);
	fflush(stderr);
	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	int rc = read_line(stdin, buf, size);
	if (tty)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	return rc;
}

/* The new password: from standard input, or asked twice on a terminal. Returns an exit code. */
static int read_password(char *buf, size_t size)
{
	int rc;
	if (isatty(STDIN_FILENO)) {
		char again[SRV_PASSWORD_MAX + 2];
		rc = ask(_("New password: "), buf, size);
		if (rc == 0)
			rc = ask(_("The same password again: "), again, sizeof again);
		if (rc == 0 && strcmp(buf, again) != 0) {
			memset(again, 0, sizeof again);
			cli_line(stderr, _("digilevel user: the two passwords differ; nothing was "
					   "changed"));
			return EXIT_INVALID;
		}
		memset(again, 0, sizeof again);
	} else {
		rc = read_line(stdin, buf, size);
	}
	if (rc == -1) {
		cli_line(stderr, _("digilevel user: no password on standard input (give it as one "
				   "line: it is never an argument)"));
		return EXIT_INVALID;
	}
	if (rc == -2) {
		cli_line(stderr, _("digilevel user: the password is longer than %d bytes"),
			 SRV_PASSWORD_MAX);
		return EXIT_INVALID;
	}
	return EXIT_OK;
}

/* Read the password and hash it into hash. Returns an exit code. */
static int new_hash(char hash[SRV_PASSWORD_HASH_MAX])
{
	char password[SRV_PASSWORD_MAX + 2];
	int rc = read_password(password, sizeof password);
	if (rc != EXIT_OK)
		return rc;
	dl_error err = {0};
	int code = srv_password_hash(password, hash, &err);
	memset(password, 0, sizeof password);
	if (code == DL_EINVALID) {
		cli_line(stderr,
			 _("digilevel user: a password has at least %d characters (and at most %d "
			   "bytes); nothing was changed"),
			 SRV_PASSWORD_MIN, SRV_PASSWORD_MAX);
		return EXIT_INVALID;
	}
	if (code < 0) {
		cli_line(stderr, "digilevel user: %s", err.message);
		return EXIT_SYSTEM;
	}
	return EXIT_OK;
}

/* A store error of a change to the account name, in plain words. Returns an exit code. */
static int store_failed(int rc, const dl_error *err, const char *name)
{
	if (rc == DL_ENOTFOUND)
		cli_line(stderr, _("digilevel user: there is no account '%s'"), name);
	else if (rc == DL_EEXISTS)
		cli_line(stderr, _("digilevel user: the name '%s' is already taken; choose another"),
			 name);
	else
		cli_line(stderr, "digilevel user: %s", err->message);
	return rc == DL_ENOTFOUND || rc == DL_EEXISTS ? EXIT_INVALID : cli_exit_code(rc);
}

static int user_add(int argc, char **argv)
{
	const char *db = NULL, *role = NULL, *code = NULL;
	cli_option options[] = {{"db", &db, NULL, 0},
				{"role", &role, NULL, 0},
				{"credit-code", &code, NULL, 0}};
	const cli_command cmd = {USAGE, HELP, 0, NULL, NULL, options,
				 sizeof options / sizeof options[0]};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (!db)
		return cli_usage_error(USAGE, _("give the database: --db FILE"));
	if (n != 1)
		return cli_usage_error(USAGE, _("user add takes one account name"));
	if (!role)
		return cli_usage_error(USAGE, _("give the account's role: --role enterprise, "
						"integrator, evaluator, supervisor or bureau"));
	if (!valid_role(role))
		return cli_usage_error(USAGE, _("'%s' is not a role: give enterprise, integrator, "
						"evaluator, supervisor or bureau"),
				       role);
	const char *name = argv[0];
	if (!valid_name(name)) {
		cli_line(stderr, _("digilevel user: '%s' cannot be an account name: give 1 to %d "
				   "letters, digits, '.', '-' or '_', starting with a letter or digit"),
			 name, NAME_MAX_LEN);
		return EXIT_INVALID;
	}
	bool enterprise = strcmp(role, DL_ROLE_ENTERPRISE) == 0;
	if (enterprise && !code)
		return cli_usage_error(USAGE, _("an enterprise account needs --credit-code CODE, the "
						"enterprise's 统一社会信用代码"));
	if (!enterprise && code)
		return cli_usage_error(USAGE, _("only an enterprise account has a credit code: leave "
						"out --credit-code for a %s account"),
				       role);
	char why[160];
	if (code && dl_credit_code_check(code, why, sizeof why) < 0) {
		/* the library's rule (GB 32100-2015), as a sheet's credit code is checked */
		cli_line(stderr, _("digilevel user: --credit-code %s is not a valid 统一社会信用代码: %s"),
			 code, why);
		return EXIT_INVALID;
	}
	dl_store_user u;
	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.role, sizeof u.role, "%s", role);
	snprintf(u.credit_code, sizeof u.credit_code, "%s", code ? code : "");

	dl_store *st = NULL;
	dl_error err = {0};
	int rc;
	/* a name taken is said before the password is asked */
	if (file_exists(db)) {
		if ((rc = cli_store_open(&st, db, "user", false)) != EXIT_OK)
			return rc;
		bool taken = dl_store_user_find(st, name, NULL, NULL, 0, &err) == 0;
		dl_store_close(st);
		st = NULL;
		if (taken)
			return store_failed(DL_EEXISTS, &err, name);
	}
	/* and the database is made only once there is a password to store */
	char hash[SRV_PASSWORD_HASH_MAX];
	if ((rc = new_hash(hash)) != EXIT_OK)
		return rc;
	if ((rc = cli_store_open(&st, db, "user", true)) != EXIT_OK)
		return rc;
	dl_store_actor by = actor();
	int code_rc = dl_store_user_add(st, &u, hash, &by, &err);
	dl_store_close(st);
	if (code_rc < 0)
		return store_failed(code_rc, &err, name);
	if (enterprise)
		cli_line(stdout, _("added the account %s: %s (%s), credit code %s"), name,
			 srv_role_title(role), role, code);
	else
		cli_line(stdout, _("added the account %s: %s (%s)"), name, srv_role_title(role), role);
	return EXIT_OK;
}

static int user_list(int argc, char **argv)
{
	const char *db = NULL;
	cli_option options[] = {{"db", &db, NULL, 0}};
	const cli_command cmd = {USAGE, HELP, 0, FORMATS, N_("--format takes text or json, not '%s'"),
				 options, 1};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (!db)
		return cli_usage_error(USAGE, _("give the database: --db FILE"));
	if (n != 0)
		return cli_usage_error(USAGE, _("user list takes no names"));
	dl_store *st = NULL;
	int rc = cli_store_open(&st, db, "user", false);
	if (rc != EXIT_OK)
		return rc;
	dl_store_user *users = NULL;
	size_t count = 0;
	dl_error err = {0};
	int code = dl_store_user_list(st, &users, &count, &err);
	dl_store_close(st);
	if (code < 0) {
		cli_line(stderr, "digilevel user: %s", err.message);
		return cli_exit_code(code);
	}
	if (a.format == 1) {
		cli_json_list l;
		cli_json_list_start(&l, stdout);
		for (size_t i = 0; i < count; i++) {
			cli_json_object_start(&l);
			cli_json_string(&l, "name", users[i].name);
			cli_json_string(&l, "role", users[i].role);
			cli_json_string(&l, "credit_code", users[i].credit_code);
			cli_json_bool(&l, "disabled", users[i].disabled);
			cli_json_string(&l, "created", users[i].created);
			cli_json_object_end(&l);
		}
		cli_json_list_end(&l);
	} else {
		/* plain columns separated by spaces (no field has one): a header, then one account
		 * a line; cli_line escapes whatever control character a name might hold */
		printf("%s %s %s %s %s\n", _("account"), _("role"), _("credit code"), _("disabled"),
		       _("created"));
		for (size_t i = 0; i < count; i++)
			cli_line(stdout, "%s %s %s %s %s", users[i].name, users[i].role,
				 users[i].credit_code[0] ? users[i].credit_code : "-",
				 users[i].disabled ? _("yes") : _("no"), users[i].created);
	}
	free(users);
	return cli_finish_stdout(0) == 0 ? EXIT_OK : EXIT_SYSTEM;
}

/* disable, enable, passwd: one account by name. */
static int user_change(int argc, char **argv, const char *what)
{
	const char *db = NULL;
	cli_option options[] = {{"db", &db, NULL, 0}};
	const cli_command cmd = {USAGE, HELP, 0, NULL, NULL, options, 1};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (!db)
		return cli_usage_error(USAGE, _("give the database: --db FILE"));
	if (n != 1)
		return cli_usage_error(USAGE, _("user %s takes one account name"), what);
	const char *name = argv[0];
	dl_store *st = NULL;
	int rc = cli_store_open(&st, db, "user", false);
	if (rc != EXIT_OK)
		return rc;
	dl_error err = {0};
	dl_store_actor by = actor();
	int code;
	if (strcmp(what, "passwd") == 0) {
		if ((code = dl_store_user_find(st, name, NULL, NULL, 0, &err)) < 0) {
			dl_store_close(st);
			return store_failed(code, &err, name);
		}
		char hash[SRV_PASSWORD_HASH_MAX];
		if ((rc = new_hash(hash)) != EXIT_OK) {
			dl_store_close(st);
			return rc;
		}
		code = dl_store_user_set_password(st, name, hash, &by, &err);
	} else {
		code = dl_store_user_set_disabled(st, name, strcmp(what, "disable") == 0, &by, &err);
	}
	dl_store_close(st);
	if (code < 0)
		return store_failed(code, &err, name);
	if (strcmp(what, "passwd") == 0)
		cli_line(stdout, _("the password of %s is changed; its sessions have ended"), name);
	else if (strcmp(what, "disable") == 0)
		cli_line(stdout, _("%s is disabled: it cannot log in, and its sessions have ended"),
			 name);
	else
		cli_line(stdout, _("%s is enabled: it can log in again"), name);
	return EXIT_OK;
}

int cmd_user(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;
	if (sub && (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)) {
		printf(_(HELP), _(USAGE));
		return EXIT_OK;
	}
	if (!sub)
		return cli_usage_error(USAGE, _("say what to do: add, list, disable, enable or passwd"));
	if (strcmp(sub, "add") == 0)
		return user_add(argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0)
		return user_list(argc - 1, argv + 1);
	if (strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0 ||
	    strcmp(sub, "passwd") == 0)
		return user_change(argc - 1, argv + 1, sub);
	return cli_usage_error(USAGE, _("'%s' is not something user does: give add, list, disable, "
					"enable or passwd"),
			       sub);
}
