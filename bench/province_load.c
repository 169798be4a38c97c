/*
 * province_load.c: loads a synthetic province into a workbench store for the benchmark
 * (bench/province.sh, docs/performance.md "A province on PostgreSQL"). Not a test and not part of
 * the program.
 *
 *   gen -n SHEETS -o /dev/stdout | province_load -d URL [-q DIR] [-j THREADS] [-c CITIES]
 *                                                [-f FIRST] [-a]
 *
 * Reads the <answer-sheets> stream bench/gen.c writes (enterprise by enterprise, a "before" sheet
 * immediately followed by its "after" sheet) from standard input and stores every pair the way the
 * server would: each sheet is read and scored with the public library against the questionnaires
 * of DIR (srv_derive, the server's own derivation of a row's fields, as POST /api/sheets does), then
 * stored with dl_store_put, with the account that saves it as the actor, so that each save writes
 * its audit entry in its transaction. Enterprise i (1, 2, ...) belongs to city (i - 1) % CITIES + 1
 * (default 100 cities); before its sheets are stored the bureau assigns it its city's integrator
 * and evaluator (dl_store_assign twice: the enterprise is registered by the first), the integrator
 * saves its diagnosis (or self-check) and the evaluator its evaluation. Every change is one
 * transaction of the store with its audit entry: four per enterprise.
 *
 * -a first adds the accounts (every one with the password "province-bench-password", hashed once):
 * "bureau", "supervisor", and per city C: integrators "int-C-1".."int-C-4" and evaluators
 * "eval-C-1", "eval-C-2" (enterprise i of a city gets integrator (i / CITIES) % 4 + 1 and evaluator
 * (i / CITIES) % 2 + 1). An account that exists already is kept.
 * -f FIRST: the stream's first pair is enterprise FIRST (default 1), for loading a province in
 * steps (enterprises 1-1,000, then 1,001-10,000, ...: give gen the same -n as the whole and skip
 * nothing; pairs before FIRST are read and skipped).
 * THREADS workers (default 4) each take the next pair from the stream and store it; the store's one
 * writer (and PostgreSQL's advisory lock) serialises the transactions, the scoring runs in
 * parallel.
 *
 * Prints progress to stderr, and at the end one line of name=value pairs to stdout: enterprises,
 * sheets, seconds, sheets_per_s, tx_per_s (transactions of the store per second), and the level
 * distribution. Exit status 0 when every sheet scored and was stored, 1 otherwise, 2 for a usage
 * error.
 */
#define _POSIX_C_SOURCE 200809L

#include "auth.h"
#include "derive.h"
#include "editions.h"
#include "server.h"
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PASSWORD "province-bench-password"
#define INTEGRATORS 4 /* per city */
#define EVALUATORS 2

static srv server;
static dl_store *store;
static long cities = 100, first = 1;

static pthread_mutex_t input_lock = PTHREAD_MUTEX_INITIALIZER;
static char *line;
static size_t line_cap;
static long next_enterprise = 1; /* the index of the next pair in the stream */
static int input_done;

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long stored_enterprises, stored_sheets, failures, levels[5];
static struct timespec started;

typedef struct text {
	char *data;
	size_t len, cap;
} text;

static void append(text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16384;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *d = realloc(t->data, cap);
		if (!d) {
			fputs("province_load: out of memory\n", stderr);
			exit(1);
		}
		t->data = d;
		t->cap = cap;
	}
	memcpy(t->data + t->len, s, n);
	t->len += n;
	t->data[t->len] = '\0';
}

/* The next sheet of the stream into t (its lines from <answer-sheet to </answer-sheet>); 0 at the
 * end. Called with input_lock held. */
static int read_sheet(text *t)
{
	t->len = 0;
	int in = 0;
	ssize_t n;
	while ((n = getline(&line, &line_cap, stdin)) > 0) {
		if (!in && strncmp(line, "<answer-sheet ", 14) == 0)
			in = 1;
		if (!in)
			continue;
		append(t, line, (size_t)n);
		if (strncmp(line, "</answer-sheet>", 15) == 0)
			return 1;
	}
	return 0;
}

/* The next pair to store: its enterprise index, or 0 at the end. */
static long next_pair(text *before, text *after)
{
	long e = 0;
	pthread_mutex_lock(&input_lock);
	while (!input_done) {
		if (!read_sheet(before) || !read_sheet(after)) {
			input_done = 1;
			break;
		}
		long i = next_enterprise++;
		if (i >= first) {
			e = i;
			break;
		}
	}
	pthread_mutex_unlock(&input_lock);
	return e;
}

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void fail(long e, const char *what, const dl_error *err)
{
	fprintf(stderr, "province_load: enterprise %ld: %s: %s\n", e, what, err->message);
	pthread_mutex_lock(&count_lock);
	failures++;
	pthread_mutex_unlock(&count_lock);
}

/* Score one sheet as the server does and store it as user (role). */
static int store_sheet(long e, const text *t, const char *user, const char *role)
{
	dl_error err = {0};
	dl_store_sheet put;
	memset(&put, 0, sizeof put);
	if (srv_derive(&server, t->data, t->len, "sheet.xml", false, &put.fields, &err) < 0) {
		fail(e, "the sheet does not score", &err);
		return -1;
	}
	put.xml = t->data;
	put.xml_len = t->len;
	put.by.user = user;
	put.by.role = role;
	dl_store_row row;
	if (dl_store_put(store, &put, &row, &err) < 0) {
		fail(e, "the sheet was not stored", &err);
		return -1;
	}
	pthread_mutex_lock(&count_lock);
	stored_sheets++;
	if (row.level >= 0 && row.level <= 4)
		levels[row.level]++;
	pthread_mutex_unlock(&count_lock);
	return 0;
}

/* The credit code of a sheet's text, into code. */
static int credit_code_of(const text *t, char code[32])
{
	const char *p = strstr(t->data, "<credit-code>");
	const char *q = p ? strstr(p, "</credit-code>") : NULL;
	if (!p || !q || q - p - 13 >= 32 || q - p - 13 < 1)
		return -1;
	memcpy(code, p + 13, (size_t)(q - p - 13));
	code[q - p - 13] = '\0';
	return 0;
}

static void *worker(void *unused)
{
	(void)unused;
	text before = {0}, after = {0};
	const dl_store_actor bureau = {"bureau", DL_ROLE_BUREAU, NULL};
	long e;
	while ((e = next_pair(&before, &after)) > 0) {
		long city = (e - 1) % cities + 1, k = (e - 1) / cities;
		char integrator[64], evaluator[64], code[32];
		snprintf(integrator, sizeof integrator, "int-%ld-%ld", city, k % INTEGRATORS + 1);
		snprintf(evaluator, sizeof evaluator, "eval-%ld-%ld", city, k % EVALUATORS + 1);
		dl_error err = {0};
		if (credit_code_of(&before, code) < 0) {
			snprintf(err.message, sizeof err.message, "no credit code");
			fail(e, "the sheet", &err);
			continue;
		}
		if (dl_store_assign(store, code, DL_ROLE_INTEGRATOR, integrator, &bureau, &err) < 0 ||
		    dl_store_assign(store, code, DL_ROLE_EVALUATOR, evaluator, &bureau, &err) < 0) {
			fail(e, "assigning", &err);
			continue;
		}
		if (store_sheet(e, &before, integrator, DL_ROLE_INTEGRATOR) < 0 ||
		    store_sheet(e, &after, evaluator, DL_ROLE_EVALUATOR) < 0)
			continue;
		pthread_mutex_lock(&count_lock);
		long done = ++stored_enterprises;
		pthread_mutex_unlock(&count_lock);
		if (done % 5000 == 0)
			fprintf(stderr, "province_load: %ld enterprises, %.0f s\n", done, since(&started));
	}
	free(before.data);
	free(after.data);
	return NULL;
}

static int add_account(const char *name, const char *role, const char *hash)
{
	dl_store_user u;
	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.role, sizeof u.role, "%s", role);
	const dl_store_actor cli = {NULL, "cli", NULL};
	dl_error err = {0};
	int rc = dl_store_user_add(store, &u, hash, &cli, &err);
	if (rc < 0 && rc != DL_EEXISTS) {
		fprintf(stderr, "province_load: account %s: %s\n", name, err.message);
		return -1;
	}
	return 0;
}

static int add_accounts(void)
{
	char hash[SRV_PASSWORD_HASH_MAX], name[64];
	dl_error err = {0};
	if (srv_password_hash(PASSWORD, hash, &err) < 0) {
		fprintf(stderr, "province_load: %s\n", err.message);
		return -1;
	}
	if (add_account("bureau", DL_ROLE_BUREAU, hash) < 0 ||
	    add_account("supervisor", DL_ROLE_SUPERVISOR, hash) < 0)
		return -1;
	for (long c = 1; c <= cities; c++) {
		for (int i = 1; i <= INTEGRATORS; i++) {
			snprintf(name, sizeof name, "int-%ld-%d", c, i);
			if (add_account(name, DL_ROLE_INTEGRATOR, hash) < 0)
				return -1;
		}
		for (int i = 1; i <= EVALUATORS; i++) {
			snprintf(name, sizeof name, "eval-%ld-%d", c, i);
			if (add_account(name, DL_ROLE_EVALUATOR, hash) < 0)
				return -1;
		}
	}
	return 0;
}

static void usage(void)
{
	fputs("usage: province_load -d URL [-q DIR] [-j THREADS] [-c CITIES] [-f FIRST] [-a] "
	      "< STREAM\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *url = NULL, *dir = "questionnaires";
	long threads = 4;
	int accounts = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
			url = argv[++i];
		else if (strcmp(argv[i], "-q") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "-j") == 0 && i + 1 < argc)
			threads = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			cities = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc)
			first = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-a") == 0)
			accounts = 1;
		else
			usage();
	}
	if (!url || threads < 1 || threads > 64 || cities < 1 || first < 1)
		usage();
	dl_error err = {0};
	server.cfg.questionnaires_dir = dir;
	if (srv_editions_load(&server, &err) < 0) {
		fprintf(stderr, "province_load: %s: %s\n", dir, err.message);
		return 1;
	}
	if (dl_store_open(&store, url, &err) < 0) {
		fprintf(stderr, "province_load: %s\n", err.message);
		return 1;
	}
	int rc = 0;
	if (accounts && add_accounts() < 0)
		rc = 1;
	clock_gettime(CLOCK_MONOTONIC, &started);
	pthread_t tid[64];
	long started_threads = 0;
	for (long t = 0; rc == 0 && t < threads; t++, started_threads++)
		if (pthread_create(&tid[t], NULL, worker, NULL) != 0) {
			fputs("province_load: cannot start a thread\n", stderr);
			rc = 1;
		}
	for (long t = 0; t < started_threads; t++)
		pthread_join(tid[t], NULL);
	double seconds = since(&started);
	if (failures)
		rc = 1;
	printf("enterprises=%ld sheets=%ld seconds=%.1f sheets_per_s=%.0f tx_per_s=%.0f "
	       "failures=%ld level0=%ld level1=%ld level2=%ld level3=%ld level4=%ld\n",
	       stored_enterprises, stored_sheets, seconds,
	       seconds > 0 ? (double)stored_sheets / seconds : 0.0,
	       seconds > 0 ? (double)(stored_sheets + 2 * stored_enterprises) / seconds : 0.0,
	       failures, levels[0], levels[1], levels[2], levels[3], levels[4]);
	dl_store_close(store);
	srv_editions_free(&server);
	free(line);
	return rc;
}
