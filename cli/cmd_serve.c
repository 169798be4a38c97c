/*
 * cmd_serve.c: `digilevel serve`: the workbench in a browser (server/, docs/workbench.md), and
 * `digilevel serve --export DIR`, every stored sheet as the XML files the other commands read.
 *
 * This file only reads the options and finds the folders; the server is server/serve.c. The
 * questionnaires and policies are found as the other commands find questionnaires: the folder
 * given, else $DIGILEVEL_QUESTIONNAIRES, ./questionnaires (./policies), then the folders that come
 * with the program.
 */
#include "cli.h"
#include "datadir.h"
#include "serve.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char USAGE[] = N_("digilevel serve [--db FILE] [--listen ADDR:PORT] [--questionnaires DIR] "
			       "[--policies DIR] [--tls-cert FILE --tls-key FILE] [--port-file FILE] "
			       "[--idle-timeout SECONDS] [--db-connections N] [--quiet] | digilevel serve --export DIR [--db FILE] | "
			       "digilevel serve --backup FILE [--db FILE] | digilevel serve --check [--db FILE] | "
			       "digilevel serve --migrate-from FILE --db postgresql://...");
static const char HELP[] =
	N_("usage: %s\n\nRuns the workbench: open the address it prints (http://127.0.0.1:8080/ by "
	   "default) in a\nbrowser to fill in a self-check, a diagnosis or an evaluation, see the level "
	   "and\nwhy, download the sheet, the 数字化诊断报告 and the 验收意见, upload sheets, and see\n"
	   "the cohort dashboard. The sheets are kept in one SQLite file (--db, default\n"
	   "./digilevel.db), created on first start, or in a PostgreSQL database shared by\n"
	   "several servers (--db postgresql://...); every saved version stays. The JSON API\n"
	   "is described in docs/api.md.\n\n"
	   "Without accounts the workbench serves this machine only: --listen takes a loopback\n"
	   "address (127.0.0.1:PORT or [::1]:PORT; port 0 picks a free one, written to\n"
	   "--port-file).\n\n"
	   "--export DIR  write every stored sheet as an XML file into DIR (a new or empty\n"
	   "              folder) and stop: 'digilevel batch DIR' and 'digilevel cohort DIR'\n"
	   "              then give the dashboard's numbers.\n"
	   "--backup FILE copy the whole database into the new file FILE (never replaced) and\n"
	   "              stop; the workbench may go on running meanwhile. Restore: stop it,\n"
	   "              check the copy with 'digilevel audit verify --db FILE', copy it over\n"
	   "              the database, start it (docs/store.md).\n"
	   "--check       run the store's integrity check and stop (0 when it is sound).\n"
	   "--migrate-from FILE  copy the district's workbench in the SQLite file FILE, every\n"
	   "              version and audit entry, into the new, empty PostgreSQL database\n"
	   "              --db postgresql://..., check the copy (its audit chain holds) and\n"
	   "              stop; FILE is only read (docs/store.md).\n"
	   "--idle-timeout SECONDS  close a connection idle this long (default 30).\n"
	   "--db-connections N  keep at most N reader connections to the database (default 16).\n"
	   "--quiet       no line per request on standard error.\n");

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The first folder of: given, $env, ./name, the program's checkout or installation, DL_DATADIR. */
static const char *find_folder(const char *given, const char *env, const char *name, char *buf,
			       size_t size)
{
	if (given)
		return given;
	const char *e = env ? getenv(env) : NULL;
	if (e && *e)
		return e;
	if (is_dir(name))
		return name;
	char exe[PATH_MAX];
	if (cli_program_dir(exe, sizeof exe)) {
		static const char *const beside[] = {"%s/../%s", "%s/../share/digilevel/%s"};
		for (size_t i = 0; i < 2; i++) {
			int w = snprintf(buf, size, beside[i], exe, name);
			if (w > 0 && (size_t)w < size && is_dir(buf))
				return buf;
		}
	}
	int w = snprintf(buf, size, "%s/%s", DL_DATADIR, name);
	return w > 0 && (size_t)w < size && is_dir(buf) ? buf : NULL;
}

int cmd_serve(int argc, char **argv)
{
	const char *db = "digilevel.db", *listen = "127.0.0.1:8080", *policies = NULL;
	const char *port_file = NULL, *tls_cert = NULL, *tls_key = NULL, *export_dir = NULL;
	const char *idle = NULL, *backup = NULL, *migrate_from = NULL, *connections = NULL;
	bool quiet = false, check = false;
	cli_option options[] = {{"db", &db, NULL, 0},
				{"listen", &listen, NULL, 0},
				{"policies", &policies, NULL, 0},
				{"port-file", &port_file, NULL, 0},
				{"tls-cert", &tls_cert, NULL, 0},
				{"tls-key", &tls_key, NULL, 0},
				{"export", &export_dir, NULL, 0},
				{"backup", &backup, NULL, 0},
				{"migrate-from", &migrate_from, NULL, 0},
				{"idle-timeout", &idle, NULL, 0},
				{"db-connections", &connections, NULL, 0},
				{"quiet", NULL, &quiet, 0},
				{"check", NULL, &check, 0}};
	const cli_command cmd = {USAGE, HELP, OPT_DIR, NULL, NULL, options,
				 sizeof options / sizeof options[0]};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (n != 0)
		return cli_usage_error(USAGE, _("serve takes no file names (did you mean --db FILE?)"));
	if ((export_dir != NULL) + (backup != NULL) + check + (migrate_from != NULL) > 1)
		return cli_end(&a, cli_usage_error(USAGE, _("give one of --export, --backup, --check and "
							     "--migrate-from")));
	if (migrate_from)
		return cli_end(&a, cli_exit_code(serve_migrate(migrate_from, db)));
	if (check)
		return cli_end(&a, cli_exit_code(serve_check(db)));
	if (export_dir)
		return cli_end(&a, cli_exit_code(serve_export(db, export_dir)));
	if (backup)
		return cli_end(&a, cli_exit_code(serve_backup(db, backup)));

	unsigned long idle_seconds = 0;
	if (idle) {
		char *end;
		idle_seconds = strtoul(idle, &end, 10);
		if (*end || end == idle || idle_seconds == 0 || idle_seconds > 3600)
			return cli_end(&a, cli_usage_error(USAGE, _("--idle-timeout must be a number of "
								     "seconds from 1 to 3600, not '%s'"),
							   idle));
	}
	unsigned long readers = 0;
	if (connections) {
		char *end;
		readers = strtoul(connections, &end, 10);
		if (*end || end == connections || readers == 0 || readers > 1000)
			return cli_end(&a, cli_usage_error(USAGE, _("--db-connections must be a number of "
								     "connections from 1 to 1000, not '%s'"),
							   connections));
	}
	char qbuf[PATH_MAX], pbuf[PATH_MAX];
	serve_options o = {0};
	o.db = db;
	o.listen = listen;
	o.questionnaires = find_folder(a.dir, "DIGILEVEL_QUESTIONNAIRES", "questionnaires", qbuf,
				       sizeof qbuf);
	o.policies = find_folder(policies, NULL, "policies", pbuf, sizeof pbuf);
	o.port_file = port_file;
	o.tls_cert = tls_cert;
	o.tls_key = tls_key;
	o.quiet = quiet;
	o.idle_timeout = (unsigned)idle_seconds;
	o.db_connections = (size_t)readers;
	if (!o.questionnaires)
		return cli_end(&a, cli_usage_error(USAGE, _("no questionnaires folder found: give "
							     "--questionnaires DIR")));
	return cli_end(&a, cli_exit_code(serve_run(&o)));
}
