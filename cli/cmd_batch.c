/*
 * cmd_batch.c: `digilevel batch`: score a whole cohort, pair each enterprise's diagnosis with its
 * evaluation by 统一社会信用代码, decide acceptance and subsidy under a policy, and write one row per
 * enterprise as CSV and/or JSON Lines.
 *
 * Inputs are sheet files, directories of them, stream files holding many sheets (<answer-sheets>),
 * or "-" for a list of paths on standard input. A producer thread reads them in order and feeds the
 * worker pool; this thread takes the scored sheets back in the same order, so the rows come out the
 * same whatever -j says. A bad sheet is reported with its file:line:column and the batch goes on.
 *
 * Memory: each enterprise's diagnosis is kept until the end (an evaluation may come later), and
 * one small row per enterprise. With --per-sheet nothing is kept: one row per sheet, constant memory
 * whatever the number of sheets (docs/batch.md).
 */
#include "batch.h"
#include "batch_rows.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char USAGE[] =
	"digilevel batch [--policy FILE] [--csv FILE] [--jsonl FILE] [--per-sheet] [-j N]\n"
	"                       [--questionnaires DIR] PATH... (a file, a directory, a stream, or - for a list on stdin)";

typedef struct producer {
	batch_pool *pool;
	char **paths;
	int count;
	unsigned long streams, stream_errors;
	char *stream_error_text; /* broken streams, reported at the end */
	size_t stream_error_len;
} producer;

static void append_text(char **text, size_t *len, const char *line)
{
	size_t n = strlen(line);
	char *grown = realloc(*text, *len + n + 2);
	if (!grown)
		return;
	*text = grown;
	memcpy(*text + *len, line, n);
	*len += n;
	(*text)[(*len)++] = '\n';
	(*text)[*len] = '\0';
}

static void submit_file(producer *pr, const char *path)
{
	batch_job *job = calloc(1, sizeof(*job));
	if (!job)
		return;
	job->path = strdup(path);
	if (!job->path) {
		free(job);
		return;
	}
	batch_pool_submit(pr->pool, job);
}

static void submit_stream(producer *pr, const char *path)
{
	dl_sheet_stream *st = NULL;
	dl_error err;
	char line[DL_ERROR_FILE_MAX + DL_ERROR_MESSAGE_MAX + 64];
	pr->streams++;
	if (dl_sheet_stream_open(&st, path, NULL, &err) != 0) {
		dl_error_format(&err, line, sizeof(line));
		append_text(&pr->stream_error_text, &pr->stream_error_len, line);
		pr->stream_errors++;
		return;
	}
	for (;;) {
		char *xml = NULL;
		size_t len = 0;
		unsigned long at = 0;
		int rc = dl_sheet_stream_next(st, &xml, &len, &at, &err);
		if (rc <= 0) {
			if (rc < 0) {
				dl_error_format(&err, line, sizeof(line));
				append_text(&pr->stream_error_text, &pr->stream_error_len, line);
				pr->stream_errors++;
			}
			break;
		}
		batch_job *job = calloc(1, sizeof(*job));
		if (!job || !(job->path = strdup(path))) {
			free(job);
			free(xml);
			continue;
		}
		job->xml = xml;
		job->len = len;
		job->line = at;
		batch_pool_submit(pr->pool, job);
	}
	dl_sheet_stream_close(st);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void submit_path(producer *pr, const char *path);

static void submit_directory(producer *pr, const char *dir)
{
	DIR *dp = opendir(dir);
	if (!dp) {
		submit_file(pr, dir); /* the worker reports why it cannot be read */
		return;
	}
	char **names = NULL;
	size_t count = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		size_t len = strlen(e->d_name);
		if (len <= 4 || strcmp(e->d_name + len - 4, ".xml") != 0)
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			char **grown = realloc(names, cap * sizeof(*names));
			if (!grown)
				break;
			names = grown;
		}
		size_t size = strlen(dir) + len + 2;
		if ((names[count] = malloc(size)))
			snprintf(names[count++], size, "%s/%s", dir, e->d_name);
	}
	closedir(dp);
	qsort(names, count, sizeof(*names), compare_names); /* the order of the rows */
	for (size_t i = 0; i < count; i++) {
		submit_path(pr, names[i]);
		free(names[i]);
	}
	free(names);
}

static void submit_path(producer *pr, const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		submit_directory(pr, path);
		return;
	}
	char root[64];
	if (dl_document_root(path, root, sizeof(root), NULL) == 0 && strcmp(root, "answer-sheets") == 0)
		submit_stream(pr, path);
	else
		submit_file(pr, path); /* sheets, and anything broken: the worker reports it */
}

static void submit_stdin_list(producer *pr)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) > 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n > 0)
			submit_path(pr, line);
	}
	free(line);
}

static void *produce(void *arg)
{
	producer *pr = arg;
	for (int i = 0; i < pr->count; i++) {
		if (strcmp(pr->paths[i], "-") == 0)
			submit_stdin_list(pr);
		else
			submit_path(pr, pr->paths[i]);
	}
	batch_pool_finish(pr->pool);
	return NULL;
}

static int parse_threads(const char *text, int *threads)
{
	char *end;
	long n = strtol(text, &end, 10);
	if (*end || end == text || n < 1 || n > 256)
		return -1;
	*threads = (int)n;
	return 0;
}

int cmd_batch(int argc, char **argv)
{
	const char *policy_path = NULL, *csv_path = NULL, *jsonl_path = NULL, *dir = NULL, *jobs = NULL;
	bool per_sheet = false, help = false;
	/* -j N is accepted as a short form of --jobs N */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-j") == 0)
			argv[i] = "--jobs";
	cli_option options[] = {{"policy", &policy_path, NULL},   {"csv", &csv_path, NULL},
				{"jsonl", &jsonl_path, NULL},     {"jobs", &jobs, NULL},
				{"questionnaires", &dir, NULL},   {"per-sheet", NULL, &per_sheet},
				{"help", NULL, &help}};
	int n = cli_parse(argc, argv, options, sizeof(options) / sizeof(options[0]), USAGE);
	if (n < 0)
		return EXIT_USAGE;
	if (help) {
		printf("usage: %s\n\nScores every sheet, pairs each enterprise's diagnosis and evaluation by its\n"
		       "统一社会信用代码 and writes one row per enterprise (docs/batch.md). Without --csv or\n"
		       "--jsonl the CSV goes to standard output. -j N sets the number of worker threads\n"
		       "(default: one per core).\n", USAGE);
		return EXIT_OK;
	}
	int threads = batch_default_threads();
	if (jobs && parse_threads(jobs, &threads) != 0)
		return cli_usage_error(USAGE, "-j takes a number of threads from 1 to 256, not '%s'", jobs);
	if (n == 0)
		return cli_usage_error(USAGE, "no input given");
	if (csv_path && jsonl_path && strcmp(csv_path, "-") == 0 && strcmp(jsonl_path, "-") == 0)
		return cli_usage_error(USAGE, "--csv and --jsonl cannot both be standard output (-)");

	dl_policy *policy = NULL;
	batch_rows *rows = NULL;
	batch_pool *pool = NULL;
	int rc = 0;
	if (policy_path) {
		dl_load_options opts = cli_load_options();
		rc = dl_policy_load(&policy, policy_path, &opts, NULL);
		if (rc < 0)
			return cli_exit_code(rc);
	}
	rc = batch_rows_open(&rows, csv_path, jsonl_path, per_sheet, policy);
	if (rc < 0)
		goto done;
	rc = batch_pool_start(&pool, threads, dir);
	if (rc < 0) {
		fprintf(stderr, "digilevel: cannot start %d worker threads\n", threads);
		goto done;
	}
	producer pr = {pool, argv, n, 0, 0, NULL, 0};
	pthread_t producer_thread;
	if (pthread_create(&producer_thread, NULL, produce, &pr) != 0) {
		fprintf(stderr, "digilevel: cannot start the reader thread\n");
		rc = DL_ENOMEM;
		goto done;
	}
	bool progress = isatty(STDERR_FILENO);
	unsigned long seen = 0;
	batch_job *job;
	while ((job = batch_pool_next(pool))) {
		seen++;
		batch_rows_add(rows, job); /* takes the job */
		if (progress && seen % 50 == 0)
			fprintf(stderr, "\r%lu sheets scored, %lu failed", seen, batch_rows_failed(rows));
	}
	pthread_join(producer_thread, NULL);
	if (progress)
		fprintf(stderr, "\r%*s\r", 40, "");
	if (pr.stream_error_text) {
		fputs(pr.stream_error_text, stderr);
		free(pr.stream_error_text);
	}
	rc = batch_rows_close(rows, pr.stream_errors, NULL, NULL);
	rows = NULL;
done:
	batch_pool_free(pool);
	batch_rows_discard(rows);
	dl_policy_free(policy);
	return rc > 0 ? rc : cli_exit_code(rc);
}
