/*
 * cmd_audit.c: `digilevel audit verify|list --db FILE`: check the workbench's audit chain, and
 * export its entries (docs/store.md "The audit chain").
 *
 * verify recomputes every entry's hash from its fields and the hash before it, in order, so an
 * entry changed, removed or put in behind the server's back is found and named: its number, time,
 * action and what does not hold. list writes the entries (one enterprise's with --credit-code) as
 * plain columns, CSV for a spreadsheet, or JSON, oldest first.
 *
 * Neither creates a database: a --db that does not exist is refused.
 */
#include "cli.h"
#include "store_open.h"

#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
	N_("digilevel audit verify --db FILE | digilevel audit list --db FILE [--credit-code CODE] "
	   "[--format text|csv|json]");
static const char HELP[] =
	N_("usage: %s\n\nThe audit log of the district workbench (digilevel serve): every change, "
	   "login and\nrefused access, each entry chained to the one before it by a SHA-256 hash.\n\n"
	   "  verify  recompute the chain; exit 0 when every entry holds, 1 naming the first\n"
	   "          entry that was changed, removed or inserted\n"
	   "  list    the entries, oldest first (--credit-code: one enterprise's); --format\n"
	   "          csv for a spreadsheet (a cell that would run as a formula gets a leading\n"
	   "          apostrophe), json for programs\n");

static const char *const FORMATS[] = {"text", "csv", "json", NULL};

static int audit_verify(int argc, char **argv)
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
	if (n != 0)
		return cli_usage_error(USAGE, _("audit verify takes no file names (give --db FILE)"));
	dl_store *st = NULL;
	int rc = cli_store_open(&st, db, "audit", false);
	if (rc != EXIT_OK)
		return rc;
	int64_t checked = 0, broken = 0;
	dl_error err = {0};
	int code = dl_store_audit_verify(st, &checked, &broken, &err);
	if (code == 0) {
		dl_store_close(st);
		cli_line(stdout, _("the audit chain holds: %lld entries"), (long long)checked);
		return EXIT_OK;
	}
	if (code != DL_EBROKEN) {
		dl_store_close(st);
		cli_line(stderr, "digilevel audit: %s", err.message);
		return cli_exit_code(code);
	}
	/* the broken entry's time and action, when it is there */
	dl_store_audit *entries = NULL;
	size_t count = 0;
	dl_error ignored = {0};
	const dl_store_audit *e = NULL;
	if (dl_store_audit_list(st, NULL, &entries, &count, &ignored) == 0)
		for (size_t i = 0; i < count && !e; i++)
			if (entries[i].seq == broken)
				e = &entries[i];
	dl_store_close(st);
	if (e)
		cli_line(stdout, _("the audit chain is broken at entry %lld (%s, %s): %s"),
			 (long long)broken, e->at, e->action, err.message);
	else
		cli_line(stdout, _("the audit chain is broken at entry %lld: %s"), (long long)broken,
			 err.message);
	cli_line(stdout, _("entries before it that hold: %lld"), (long long)checked);
	free(entries);
	return EXIT_INVALID;
}

/* A CSV cell: quoted when it holds a comma, quote or line end; a leading apostrophe when a
 * spreadsheet would run it as a formula (docs/batch.md). */
static void csv_cell(FILE *f, const char *s, bool last)
{
	bool guard = strchr("=+-@\t\r", s[0]) && s[0];
	bool quote = guard || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', f);
	if (guard)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	if (quote)
		fputc('"', f);
	fputc(last ? '\n' : ',', f);
}

static void print_json(const dl_store_audit *e, size_t count)
{
	cli_json_list l;
	cli_json_list_start(&l, stdout);
	for (size_t i = 0; i < count; i++) {
		cli_json_object_start(&l);
		cli_json_int(&l, "seq", e[i].seq);
		cli_json_string(&l, "at", e[i].at);
		cli_json_string(&l, "user", e[i].user);
		cli_json_string(&l, "role", e[i].role);
		cli_json_string(&l, "remote", e[i].remote);
		cli_json_string(&l, "action", e[i].action);
		cli_json_string(&l, "credit_code", e[i].credit_code);
		cli_json_int(&l, "sheet_id", e[i].sheet_id);
		cli_json_int(&l, "sheet_version", e[i].sheet_version);
		cli_json_string(&l, "sha256", e[i].sha256);
		cli_json_string(&l, "detail", e[i].detail);
		cli_json_string(&l, "prev", e[i].prev);
		cli_json_string(&l, "hash", e[i].hash);
		cli_json_object_end(&l);
	}
	cli_json_list_end(&l);
}

static void print_csv(const dl_store_audit *e, size_t count)
{
	fputs("seq,at,user,role,remote,action,credit_code,sheet_id,sheet_version,sha256,detail,prev,"
	      "hash\n",
	      stdout);
	for (size_t i = 0; i < count; i++) {
		printf("%lld,", (long long)e[i].seq);
		csv_cell(stdout, e[i].at, false);
		csv_cell(stdout, e[i].user, false);
		csv_cell(stdout, e[i].role, false);
		csv_cell(stdout, e[i].remote, false);
		csv_cell(stdout, e[i].action, false);
		csv_cell(stdout, e[i].credit_code, false);
		printf("%lld,%lld,", (long long)e[i].sheet_id, (long long)e[i].sheet_version);
		csv_cell(stdout, e[i].sha256, false);
		csv_cell(stdout, e[i].detail, false);
		csv_cell(stdout, e[i].prev, false);
		csv_cell(stdout, e[i].hash, true);
	}
}

/* Plain columns separated by spaces (the detail, which may hold spaces, last); an empty field
 * shows as "-". */
static void print_text(const dl_store_audit *e, size_t count)
{
	printf("%s %s %s %s %s %s %s %s %s\n", _("entry"), _("time"), _("account"), _("role"),
	       _("address"), _("action"), _("credit code"), _("sheet"), _("detail"));
	for (size_t i = 0; i < count; i++) {
		char sheet[48] = "-";
		if (e[i].sheet_id)
			snprintf(sheet, sizeof sheet, "%lld/%lld", (long long)e[i].sheet_id,
				 (long long)e[i].sheet_version);
#define OR_DASH(s) ((s)[0] ? (s) : "-")
		/* cli_line escapes the control characters a detail may hold */
		cli_line(stdout, "%lld %s %s %s %s %s %s %s %s", (long long)e[i].seq, e[i].at,
			 OR_DASH(e[i].user), OR_DASH(e[i].role), OR_DASH(e[i].remote), e[i].action,
			 OR_DASH(e[i].credit_code), sheet, OR_DASH(e[i].detail));
#undef OR_DASH
	}
}

static int audit_list(int argc, char **argv)
{
	const char *db = NULL, *code = NULL;
	cli_option options[] = {{"db", &db, NULL, 0}, {"credit-code", &code, NULL, 0}};
	const cli_command cmd = {USAGE, HELP, 0, FORMATS,
				 N_("--format takes text, csv or json, not '%s'"), options, 2};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (!db)
		return cli_usage_error(USAGE, _("give the database: --db FILE"));
	if (n != 0)
		return cli_usage_error(USAGE, _("audit list takes no file names (give --db FILE)"));
	dl_store *st = NULL;
	int rc = cli_store_open(&st, db, "audit", false);
	if (rc != EXIT_OK)
		return rc;
	dl_store_audit *entries = NULL;
	size_t count = 0;
	dl_error err = {0};
	int c = dl_store_audit_list(st, code, &entries, &count, &err);
	dl_store_close(st);
	if (c < 0) {
		cli_line(stderr, "digilevel audit: %s", err.message);
		return cli_exit_code(c);
	}
	if (a.format == 1)
		print_csv(entries, count);
	else if (a.format == 2)
		print_json(entries, count);
	else
		print_text(entries, count);
	free(entries);
	return cli_finish_stdout(0) == 0 ? EXIT_OK : EXIT_SYSTEM;
}

int cmd_audit(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;
	if (sub && (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)) {
		printf(_(HELP), _(USAGE));
		return EXIT_OK;
	}
	if (!sub)
		return cli_usage_error(USAGE, _("say what to do: verify or list"));
	if (strcmp(sub, "verify") == 0)
		return audit_verify(argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0)
		return audit_list(argc - 1, argv + 1);
	return cli_usage_error(USAGE, _("'%s' is not something audit does: give verify or list"),
			       sub);
}
