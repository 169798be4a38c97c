/*
 * batch_inputs.c: reading a cohort's inputs and running them through the worker pool, for the
 * commands that score many sheets (`digilevel batch`, `digilevel cohort`).
 *
 * Inputs are sheet files, directories of them (their *.xml files, in name order), stream files
 * holding many sheets (<answer-sheets>), or "-" for a list of paths on standard input. A reader
 * thread reads them in order and feeds the pool; the calling thread takes the scored sheets back in
 * the same order and hands each to the command, so what a command makes of them is the same
 * whatever -j says. A broken stream is remembered and reported at the end; a bad sheet comes back
 * as a job with its diagnostics, for the command to report.
 */
#include "batch.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
		size_t dir_len = strlen(dir);
		while (dir_len > 1 && dir[dir_len - 1] == '/')
			dir_len--; /* "examples/" names its files examples/NAME, not examples//NAME */
		size_t size = dir_len + len + 2;
		if ((names[count] = malloc(size)))
			snprintf(names[count++], size, "%.*s/%s", (int)dir_len, dir, e->d_name);
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

int batch_run_inputs(batch_pool *pool, char **paths, int count, batch_take_fn take, void *userdata,
		     unsigned long *broken_streams)
{
	producer pr = {pool, paths, count, 0, 0, NULL, 0};
	pthread_t producer_thread;
	*broken_streams = 0;
	if (pthread_create(&producer_thread, NULL, produce, &pr) != 0) {
		fprintf(stderr, "digilevel: cannot start the reader thread\n");
		return DL_ENOMEM;
	}
	bool progress = isatty(STDERR_FILENO);
	unsigned long seen = 0, failed = 0;
	batch_job *job;
	while ((job = batch_pool_next(pool))) {
		seen++;
		failed += job->rc != 0;
		take(job, userdata); /* takes the job */
		if (progress && seen % 50 == 0)
			fprintf(stderr, "\r%lu sheets scored, %lu failed", seen, failed);
	}
	pthread_join(producer_thread, NULL);
	if (progress)
		fprintf(stderr, "\r%*s\r", 40, "");
	if (pr.stream_error_text) {
		fputs(pr.stream_error_text, stderr);
		free(pr.stream_error_text);
	}
	*broken_streams = pr.stream_errors;
	return 0;
}

int batch_parse_threads(const char *text, int *threads)
{
	char *end;
	long n = strtol(text, &end, 10);
	if (*end || end == text || n < 1 || n > 256)
		return -1;
	*threads = (int)n;
	return 0;
}

