/*
 * batch_pool.c: workers that load and score sheets in parallel, results returned in input order.
 *
 * The main thread submits numbered jobs and takes results with batch_pool_next, which waits for the
 * next number. Questionnaires are loaded once, on first use, and shared read-only by all workers
 * (a loaded questionnaire is immutable, see docs/architecture.md).
 *
 * Each kind of waiter has its own condition and is woken only when it can go on: a worker when a
 * job is queued, the taker when the result it waits for is in, the submitter when half the window
 * is free again (so it refills in bursts). A wake-up costs a context switch, and broadcasting every
 * change to every thread cost about as many switches per sheet as there are threads
 * (docs/performance.md).
 */
#include "batch.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WINDOW_PER_THREAD 8
#define MAX_ERRORS_TEXT 4096
#define MAX_MISSING 1024 /* editions not found that are remembered */

typedef struct cached_questionnaire {
	char *id, *version;
	dl_questionnaire *q;
	int rc;
	char error[DL_ERROR_FORMAT_MAX];
} cached_questionnaire;

struct batch_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;   /* for the workers: a job is queued, or no more will come */
	pthread_cond_t result; /* for batch_pool_next: its result is in, or no more will come */
	pthread_cond_t room;   /* for batch_pool_submit: half the window is free */
	pthread_t *threads;
	int thread_count;
	const char *dir;
	batch_job **queue; /* submitted, not yet taken by a worker: a ring from queue_head */
	size_t queue_head, queue_len, queue_cap;
	batch_job **done;  /* finished, indexed by job index modulo window */
	size_t window;
	unsigned long submitted, next_out;
	bool finished, stopping;
	pthread_mutex_t cache_lock;
	cached_questionnaire *cache; /* every edition asked for, found or not (no limit) */
	size_t cache_len, cache_cap, missing;
};

int batch_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

void batch_job_free(batch_job *job)
{
	if (!job)
		return;
	free(job->path);
	free(job->xml);
	free(job->source);
	free(job->errors);
	dl_result_free(job->result);
	dl_sheet_free(job->sheet);
	free(job);
}

/* Diagnostics of one job are kept as text, printed later in input order. */
typedef struct error_text {
	char *text;
	size_t len;
} error_text;

static void collect(const dl_error *diag, void *userdata)
{
	error_text *e = userdata;
	char line[DL_ERROR_FORMAT_MAX];
	size_t n = dl_error_format(diag, line, sizeof(line));
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	if (e->len + n + 2 > MAX_ERRORS_TEXT)
		return;
	char *grown = realloc(e->text, e->len + n + 2);
	if (!grown)
		return;
	e->text = grown;
	memcpy(e->text + e->len, line, n);
	e->len += n;
	e->text[e->len++] = '\n';
	e->text[e->len] = '\0';
}

/* The report of a sheet whose questionnaire cannot be had: "path[:line]: the questionnaire ...: why". */
static void not_available(const char *path, unsigned long line, const char *why, error_text *errors)
{
	dl_error e = {DL_EINVALID, "", line, 0, ""};
	snprintf(e.file, sizeof(e.file), "%s", path);
	snprintf(e.message, sizeof(e.message), "the questionnaire it answers is not available: %.400s", why);
	collect(&e, errors);
}

/*
 * The questionnaire of a sheet, loaded on first use and kept; NULL after a report into errors. Every
 * edition found is kept (there are only as many as questionnaire files); an edition not found is
 * remembered up to MAX_MISSING times, so that a batch naming thousands of unknown editions neither
 * grows the cache without bound nor searches it for ever; past that it is looked for each time.
 */
static const dl_questionnaire *questionnaire_for(batch_pool *p, const batch_job *job, const char *id,
						 const char *version, error_text *errors)
{
	const dl_questionnaire *found = NULL;
	pthread_mutex_lock(&p->cache_lock);
	cached_questionnaire *c = NULL, fresh;
	for (size_t i = 0; i < p->cache_len && !c; i++)
		if (strcmp(p->cache[i].id, id) == 0 && strcmp(p->cache[i].version, version) == 0)
			c = &p->cache[i];
	if (!c) {
		dl_error err;
		memset(&fresh, 0, sizeof(fresh));
		fresh.rc = cli_questionnaire_for(&fresh.q, p->dir, id, version, &err);
		if (fresh.rc < 0)
			dl_error_format(&err, fresh.error, sizeof(fresh.error));
		c = &fresh;
		bool keep = fresh.rc == 0 || p->missing < MAX_MISSING;
		if (keep && p->cache_len == p->cache_cap) {
			size_t cap = p->cache_cap ? p->cache_cap * 2 : 16;
			cached_questionnaire *grown = realloc(p->cache, cap * sizeof(*grown));
			if (grown) {
				p->cache = grown;
				p->cache_cap = cap;
			}
		}
		if (keep && p->cache_len < p->cache_cap && (fresh.id = strdup(id)) &&
		    (fresh.version = strdup(version))) {
			p->missing += fresh.rc != 0;
			c = &p->cache[p->cache_len++];
			*c = fresh;
		} else if (keep) { /* out of memory: the questionnaire cannot be kept for the sheet */
			free(fresh.id);
			dl_questionnaire_free(fresh.q);
			fresh.q = NULL;
			fresh.rc = DL_ENOMEM;
			snprintf(fresh.error, sizeof(fresh.error), "out of memory");
		}
	}
	if (c->rc == 0)
		found = c->q;
	else
		not_available(job->path, job->line, c->error, errors);
	pthread_mutex_unlock(&p->cache_lock);
	return found;
}

static void run(batch_pool *p, batch_job *job)
{
	if (job->rc != 0)
		return; /* refused by the reader (not a regular file): its message is in job->errors */
	error_text errors = {NULL, 0};
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	opts.diag = collect;
	opts.diag_data = &errors;
	if (job->xml) {
		char *xml = job->xml;
		job->xml = NULL; /* the loader takes it */
		/* the pairing keeps this copy instead of the parsed sheet (a third of the memory) */
		if ((job->source = malloc(job->len + 1)) != NULL)
			memcpy(job->source, xml, job->len + 1);
		job->rc = dl_sheet_load_from_stream(&job->sheet, xml, job->len, job->path, job->line,
						    &opts, NULL);
	} else {
		job->rc = dl_sheet_load(&job->sheet, job->path, &opts, NULL);
	}
	if (job->rc == 0) {
		job->q = questionnaire_for(p, job, dl_sheet_questionnaire_id(job->sheet),
					   dl_sheet_questionnaire_version(job->sheet), &errors);
		if (!job->q)
			job->rc = DL_EINVALID;
	}
	if (job->rc == 0)
		job->rc = dl_score(&job->result, job->q, job->sheet, &opts, NULL);
	job->errors = errors.text;
}

static void *worker(void *arg)
{
	batch_pool *p = arg;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->queue_len == 0 && !p->stopping && !p->finished)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->queue_len == 0)
			break;
		batch_job *job = p->queue[p->queue_head];
		p->queue_head = (p->queue_head + 1) % p->queue_cap;
		p->queue_len--;
		pthread_mutex_unlock(&p->lock);
		run(p, job);
		pthread_mutex_lock(&p->lock);
		p->done[job->index % p->window] = job;
		if (job->index == p->next_out)
			pthread_cond_signal(&p->result);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int batch_pool_start(batch_pool **out, int threads, const char *dir)
{
	batch_pool *p = calloc(1, sizeof(*p));
	if (!p)
		return DL_ENOMEM;
	p->thread_count = threads;
	p->dir = dir;
	p->window = (size_t)threads * WINDOW_PER_THREAD;
	p->queue_cap = p->window;
	p->queue = calloc(p->queue_cap, sizeof(batch_job *));
	p->done = calloc(p->window, sizeof(batch_job *));
	p->threads = calloc((size_t)threads, sizeof(*p->threads));
	if (!p->queue || !p->done || !p->threads) {
		free(p->queue);
		free(p->done);
		free(p->threads);
		free(p);
		return DL_ENOMEM;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_mutex_init(&p->cache_lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->result, NULL);
	pthread_cond_init(&p->room, NULL);
	for (int i = 0; i < threads; i++)
		if (pthread_create(&p->threads[i], NULL, worker, p) != 0) {
			p->thread_count = i;
			break;
		}
	if (p->thread_count == 0) {
		batch_pool_free(p);
		return DL_ENOMEM;
	}
	*out = p;
	return 0;
}

void batch_pool_submit(batch_pool *p, batch_job *job)
{
	pthread_mutex_lock(&p->lock);
	/* keep at most `window` jobs between the next result taken and the newest submitted */
	while (p->submitted - p->next_out >= p->window)
		pthread_cond_wait(&p->room, &p->lock);
	job->index = p->submitted++;
	p->queue[(p->queue_head + p->queue_len++) % p->queue_cap] = job;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
}

void batch_pool_finish(batch_pool *p)
{
	pthread_mutex_lock(&p->lock);
	p->finished = true;
	pthread_cond_broadcast(&p->work);
	pthread_cond_broadcast(&p->result);
	pthread_mutex_unlock(&p->lock);
}

batch_job *batch_pool_next(batch_pool *p)
{
	batch_job *job = NULL;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		if (p->next_out == p->submitted && p->finished)
			break;
		size_t slot = p->next_out % p->window;
		if (p->next_out < p->submitted && p->done[slot] && p->done[slot]->index == p->next_out) {
			job = p->done[slot];
			p->done[slot] = NULL;
			p->next_out++;
			/* a full window drains one by one, so it passes through half exactly */
			if (p->submitted - p->next_out == p->window / 2)
				pthread_cond_signal(&p->room);
			break;
		}
		pthread_cond_wait(&p->result, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return job;
}

const cli_file *batch_pool_questionnaire_output(batch_pool *p, const cli_files *files,
						const char **questionnaire)
{
	const cli_file *out = NULL;
	pthread_mutex_lock(&p->cache_lock);
	for (size_t i = 0; i < p->cache_len && !out; i++)
		if (p->cache[i].q &&
		    (out = cli_files_output_at(files, dl_questionnaire_path(p->cache[i].q))) != NULL)
			*questionnaire = dl_questionnaire_path(p->cache[i].q);
	pthread_mutex_unlock(&p->cache_lock);
	return out;
}

void batch_pool_free(batch_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->thread_count; i++)
		pthread_join(p->threads[i], NULL);
	for (size_t i = 0; i < p->queue_len; i++)
		batch_job_free(p->queue[(p->queue_head + i) % p->queue_cap]);
	for (size_t i = 0; i < p->window; i++)
		batch_job_free(p->done[i]);
	for (size_t i = 0; i < p->cache_len; i++) {
		dl_questionnaire_free(p->cache[i].q);
		free(p->cache[i].id);
		free(p->cache[i].version);
	}
	free(p->cache);
	pthread_mutex_destroy(&p->lock);
	pthread_mutex_destroy(&p->cache_lock);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->result);
	pthread_cond_destroy(&p->room);
	free(p->queue);
	free(p->done);
	free(p->threads);
	free(p);
}
