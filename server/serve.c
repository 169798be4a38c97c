/*
 * serve.c: `digilevel serve`: load the editions, policies and targets, open the store, listen, and
 * stop cleanly on SIGINT or SIGTERM (serve.h).
 *
 * Personal mode (no accounts) serves this machine only: an address other than a loopback one is
 * refused before the server listens, so that a workbench without accounts can never be reached
 * from the network by mistake. With accounts in the store (district mode) every request needs a
 * session (auth.h), and the server may listen on any address.
 */
#include "serve.h"

#include "auth.h"
#include "cohort_store.h"
#include "derive.h"
#include "editions.h"
#include "export.h"
#include "http.h"
#include "server.h"
#include "store.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Defaults (docs/workbench.md): a sheet is tens of kilobytes and a workbook a few hundred, so 32
 * MiB takes a district's whole cohort in one upload; an idle connection is dropped after 30 s. */
#define DEFAULT_BODY_LIMIT ((size_t)32 * 1024 * 1024)
#define DEFAULT_CONNECTIONS 256
#define DEFAULT_TIMEOUT 30
#define MAX_PEM_SIZE ((size_t)1024 * 1024)

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void srv_log(const char *fmt, ...)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_list ap;
	va_start(ap, fmt);
	pthread_mutex_lock(&log_lock);
	fprintf(stderr, "%s ", when);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&log_lock);
	va_end(ap);
}

static void say_error(const char *what, const dl_error *err)
{
	char buf[DL_ERROR_FILE_MAX + DL_ERROR_MESSAGE_MAX + 64];
	if (err->file[0] || err->line)
		dl_error_format(err, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "%s", err->message);
	fprintf(stderr, "digilevel serve: %s: %s\n", what, buf);
}

/* "ADDR:PORT", "[V6ADDR]:PORT" or "localhost:PORT" into host and port. */
static int parse_listen(const char *listen, char *host, size_t size, unsigned short *port)
{
	const char *colon;
	size_t hl;
	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');
		if (!close || close[1] != ':')
			return DL_EINVALID;
		hl = (size_t)(close - listen - 1);
		memcpy(host, listen + 1, hl < size ? hl : 0);
		colon = close + 1;
	} else {
		colon = strrchr(listen, ':');
		if (!colon)
			return DL_EINVALID;
		hl = (size_t)(colon - listen);
		memcpy(host, listen, hl < size ? hl : 0);
	}
	if (hl == 0 || hl >= size)
		return DL_EINVALID;
	host[hl] = '\0';
	if (strcmp(host, "localhost") == 0)
		snprintf(host, size, "127.0.0.1");
	char *end;
	errno = 0;
	unsigned long p = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || p > 65535)
		return DL_EINVALID;
	*port = (unsigned short)p;
	return 0;
}

static char *read_pem(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(MAX_PEM_SIZE + 1);
	size_t n = buf ? fread(buf, 1, MAX_PEM_SIZE + 1, f) : 0;
	fclose(f);
	if (!buf || n == 0 || n > MAX_PEM_SIZE) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* The port file is written whole (a temporary file renamed), so a test never reads half of it. */
static int write_port_file(const char *path, unsigned short port)
{
	size_t n = strlen(path) + 8;
	char *tmp = malloc(n);
	if (!tmp)
		return DL_ENOMEM;
	snprintf(tmp, n, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	int rc = f && fprintf(f, "%u\n", port) > 0 ? 0 : DL_EIO;
	if (f && fclose(f) != 0)
		rc = DL_EIO;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = DL_EIO;
	if (rc)
		remove(tmp);
	free(tmp);
	return rc;
}

static int refuse_listen(const serve_options *o)
{
	fprintf(stderr, _("digilevel serve: --listen %s is refused: without accounts the workbench "
			  "serves this machine only (127.0.0.1 or [::1]); to reach it from elsewhere, "
			  "add accounts first (`digilevel user add`), or put it behind the district's "
			  "reverse proxy\n"),
		o->listen);
	return DL_EINVALID;
}

/* The mode (docs/security.md "The workbench"): district when the store has accounts, and then the
 * server may listen on any address; personal otherwise, on loopback only. */
static int choose_mode(srv *s, const serve_options *o, const struct sockaddr_storage *addr)
{
	int64_t accounts = 0;
	dl_error err = {0};
	int rc = dl_store_user_count(s->store, &accounts, &err);
	if (rc < 0) {
		say_error(o->db, &err);
		return rc;
	}
	s->district = accounts > 0;
	s->tls = o->tls_key != NULL;
	if (!s->district && !http_is_loopback((const struct sockaddr *)addr))
		return refuse_listen(o);
	if (s->district && (rc = srv_limiter_start(s)) < 0) {
		fprintf(stderr, _("digilevel serve: cannot start the login limiter (%s)\n"), dl_strerror(rc));
		return rc;
	}
	if (s->district)
		fprintf(stderr, _("digilevel serve: district mode: %lld accounts; every page asks to log "
				  "in\n"),
			(long long)accounts);
	else
		fputs(_("digilevel serve: personal mode: no accounts, this machine only\n"), stderr);
	return 0;
}

static int serve_loaded(srv *s, const serve_options *o, const struct sockaddr_storage *addr)
{
	dl_error err = {0};
	int rc;
	/* scores derived under a questionnaire that changed since are derived again */
	if ((rc = srv_rescore(s, &err)) < 0) {
		say_error(o->db, &err);
		srv_limiter_stop(s);
		dl_store_close(s->store);
		return rc;
	}
	char *key = NULL, *cert = NULL;
	if (o->tls_key && (!(key = read_pem(o->tls_key)) || !(cert = read_pem(o->tls_cert)))) {
		fprintf(stderr, _("digilevel serve: cannot read the TLS key %s or certificate %s (PEM "
				  "files of at most 1 MiB)\n"),
			o->tls_key, o->tls_cert);
		free(key);
		srv_limiter_stop(s);
		dl_store_close(s->store);
		return DL_EIO;
	}
	/* SIGINT and SIGTERM are taken by sigwait below: blocked before any thread starts */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	http_server h = {0};
	h.log_requests = !o->quiet;
	rc = http_start(&h, s, addr, key, cert, &err);
	if (rc < 0) {
		fprintf(stderr, "digilevel serve: %s: %s\n", o->listen, err.message);
	} else {
		fprintf(stderr,
			_("digilevel serve: the workbench is at %s://%s%s%s:%u/ (database %s; %zu "
			  "questionnaire editions, %zu policies, %zu targets files); Ctrl-C stops it\n"),
			key ? "https" : "http", addr->ss_family == AF_INET6 ? "[" : "",
			s->cfg.listen_host, addr->ss_family == AF_INET6 ? "]" : "", h.port, o->db,
			s->edition_count, s->policy_count, s->targets_count);
		if (o->port_file && write_port_file(o->port_file, h.port) < 0) {
			fprintf(stderr, _("digilevel serve: cannot write the port file %s\n"), o->port_file);
			rc = DL_EIO;
		}
		int sig = 0;
		while (rc == 0 && sigwait(&stop, &sig) != 0)
			;
		if (rc == 0)
			fprintf(stderr, _("digilevel serve: stopping (signal %d)\n"), sig);
		http_stop(&h);
	}
	free(key);
	free(cert);
	srv_limiter_stop(s);
	dl_store_close(s->store);
	s->store = NULL;
	return rc;
}

/* Is db a file that does not exist? (A PostgreSQL database is there or not; opening says which.) */
static bool no_store_at(const char *db)
{
	return !dl_store_is_server(db) && access(db, F_OK) != 0;
}

int serve_run(const serve_options *o)
{
	srv s;
	memset(&s, 0, sizeof s);
	char host[128];
	unsigned short port;
	if (parse_listen(o->listen, host, sizeof host, &port) < 0) {
		fprintf(stderr, _("digilevel serve: --listen %s: give an address and a port, such as "
				  "127.0.0.1:8080 or [::1]:8080\n"),
			o->listen);
		return DL_EINVALID;
	}
	struct sockaddr_storage addr;
	if (http_resolve(host, port, &addr) < 0) {
		fprintf(stderr, _("digilevel serve: --listen %s: '%s' is not an IP address of this "
				  "machine (give a number such as 127.0.0.1)\n"),
			o->listen, host);
		return DL_EINVALID;
	}
	/* a database file that does not exist has no accounts: refused before anything is made (a
	 * PostgreSQL database is opened first; the mode is chosen by its accounts, as for a file) */
	if (!http_is_loopback((const struct sockaddr *)&addr) && no_store_at(o->db))
		return refuse_listen(o);
	if ((o->tls_cert == NULL) != (o->tls_key == NULL)) {
		fputs(_("digilevel serve: give both --tls-cert and --tls-key, or neither\n"), stderr);
		return DL_EINVALID;
	}
	s.cfg.db_path = o->db;
	s.cfg.listen_host = host;
	s.cfg.listen_port = port;
	s.cfg.questionnaires_dir = o->questionnaires;
	s.cfg.policies_dir = o->policies;
	s.cfg.port_file = o->port_file;
	s.cfg.body_limit = o->max_body ? o->max_body : DEFAULT_BODY_LIMIT;
	s.cfg.connection_limit = DEFAULT_CONNECTIONS;
	s.cfg.connection_timeout = o->idle_timeout ? o->idle_timeout : DEFAULT_TIMEOUT;

	/* the store and the mode first: an address refused is said before anything slower */
	dl_error err = {0};
	int rc = dl_store_open_pool(&s.store, o->db, o->db_connections, &err);
	if (rc < 0) {
		say_error(o->db, &err);
		return rc;
	}
	if ((rc = choose_mode(&s, o, &addr)) < 0) {
		dl_store_close(s.store);
		return rc;
	}
	rc = srv_editions_load(&s, &err);
	if (rc < 0) {
		say_error(_("cannot load the questionnaires and policies"), &err);
		srv_limiter_stop(&s);
		dl_store_close(s.store);
	} else if ((rc = srv_cohort_cache_start(&s)) < 0) {
		fprintf(stderr, "digilevel serve: %s\n", dl_strerror(rc));
		srv_limiter_stop(&s);
		dl_store_close(s.store);
	} else {
		rc = serve_loaded(&s, o, &addr);
	}
	srv_cohort_cache_stop(&s);
	srv_editions_free(&s);
	return rc;
}


int serve_export(const char *db, const char *dir)
{
	dl_error err = {0};
	dl_store *st = NULL;
	if (no_store_at(db)) { /* opening would make an empty store, and export nothing */
		fprintf(stderr, _("digilevel serve: there is no database %s to export (give --db FILE)\n"),
			db);
		return DL_ENOTFOUND;
	}
	int rc = dl_store_open(&st, db, &err);
	if (rc < 0) {
		say_error(db, &err);
		return rc;
	}
	srv_export_counts counts = {0, 0};
	rc = srv_export(st, dir, &counts, &err);
	dl_store_close(st);
	if (rc < 0) {
		say_error(_("export"), &err);
		return rc;
	}
	fprintf(stderr,
		_("digilevel serve: wrote %zu sheets into %s (and %zu older versions and drafts into "
		  "%s/history)\n"),
		counts.current, dir, counts.history, dir);
	return 0;
}

int serve_backup(const char *db, const char *path)
{
	dl_error err = {0};
	dl_store *st = NULL;
	if (no_store_at(db)) { /* opening would make an empty store, and back up nothing */
		fprintf(stderr, _("digilevel serve: there is no database %s to back up (give --db FILE)\n"),
			db);
		return DL_ENOTFOUND;
	}
	int rc = dl_store_open(&st, db, &err);
	if (rc < 0) {
		say_error(db, &err);
		return rc;
	}
	rc = dl_store_backup(st, path, &err);
	dl_store_close(st);
	if (rc < 0) {
		say_error(_("backup"), &err);
		return rc;
	}
	fprintf(stderr, _("digilevel serve: backed up %s into %s; check it with 'digilevel audit verify "
			  "--db %s'\n"),
		db, path, path);
	return 0;
}

int serve_check(const char *db)
{
	dl_error err = {0};
	dl_store *st = NULL;
	if (no_store_at(db)) {
		fprintf(stderr, _("digilevel serve: there is no database %s to check (give --db FILE)\n"),
			db);
		return DL_ENOTFOUND;
	}
	int rc = dl_store_open(&st, db, &err);
	if (rc < 0) {
		say_error(db, &err);
		return rc;
	}
	rc = dl_store_check(st, &err);
	dl_store_close(st);
	if (rc < 0) {
		say_error(db, &err);
		return rc;
	}
	fprintf(stderr, _("digilevel serve: the store %s is sound (its integrity check passed); "
			  "'digilevel audit verify --db %s' checks its audit chain\n"),
		db, db);
	return 0;
}

int serve_migrate(const char *from, const char *db)
{
	if (!dl_store_is_server(db)) {
		fprintf(stderr,
			_("digilevel serve: --migrate-from copies the district into a PostgreSQL "
			  "database, and --db %s is not one: give the new, empty database's address, "
			  "--db postgresql://...\n"),
			db);
		return DL_EINVALID;
	}
	if (dl_store_is_server(from)) {
		fprintf(stderr,
			_("digilevel serve: --migrate-from takes the workbench's SQLite file, and %s is "
			  "a PostgreSQL database\n"),
			from);
		return DL_EINVALID;
	}
	dl_error err = {0};
	dl_store_migrated done;
	int rc = dl_store_migrate(from, db, &done, &err);
	if (rc < 0) {
		say_error(_("migration"), &err);
		return rc;
	}
	fprintf(stderr,
		_("digilevel serve: copied %lld sheets (%lld versions), %lld accounts, %lld "
		  "enterprises, %lld documents (%lld versions), %lld reviews and %lld audit entries "
		  "from %s into %s\n"),
		(long long)done.sheets, (long long)done.versions, (long long)done.users,
		(long long)done.enterprises, (long long)done.documents,
		(long long)done.document_versions, (long long)done.reviews, (long long)done.audit,
		from, done.target);
	fprintf(stderr,
		_("digilevel serve: the audit chain holds on the copy: %lld entries, the same as in "
		  "the file, last hash %s; start the workbench with --db %s and keep %s as the "
		  "archive\n"),
		(long long)done.audit, done.last_hash[0] ? done.last_hash : "-", done.target, from);
	return 0;
}
