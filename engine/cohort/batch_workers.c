/*
 * batch_workers.c: the workers of a dl_batch: threads that load and score sheets in parallel, the
 * sheets handed back in input order.
 *
 * The reader thread submits numbered sheets and the driving thread takes them with dl__batch_take,
 * which waits for the next number: whatever the number of threads, the order is the input's. At
 * most a window of 8 sheets per thread is in flight, so memory does not grow with the number of
 * sheets.
 *
 * Each kind of waiter has its own condition and is woken only when it can go on: a worker when a
 * sheet is queued, the taker when a burst of sheets is ready for it in order (or the queue ran dry),
 * the submitter when half the window is free again (so it refills in bursts). A wake-up costs a context switch, and broadcasting every
 * change to every thread cost about as many switches per sheet as there are threads
 * (docs/performance.md).
 */
#include "alloc.h"
#include "batch_model.h"

#include <string.h>
#include <unistd.h>

#define WINDOW_PER_THREAD 8
/*
 * The taker is woken when this many sheets in a row are ready for it, or when the sheet it waits
 * for is done and no other is queued (nothing more may come soon): one wake-up per burst, not per
 * sheet. At most half the smallest window, so a full window always wakes it.
 */
#define TAKE_BURST 4

int dl_batch_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

void dl_batch_sheet_free(dl_batch_sheet *s)
{
	if (!s)
		return;
	dl__free(s->path);
	dl__free(s->xml);
	dl__free(s->source);
	dl__free(s->errors);
	dl_result_free(s->result);
	dl_sheet_free(s->sheet);
	if (s->row) {
		dl__batch_row_free(s->row);
		dl__free(s->row);
	}
	dl__free(s);
}

const char *dl_batch_sheet_path(const dl_batch_sheet *s)
{
	return s->path;
}

unsigned long dl_batch_sheet_line(const dl_batch_sheet *s)
{
	return s->line;
}

int dl_batch_sheet_status(const dl_batch_sheet *s)
{
	return s->rc;
}

const char *dl_batch_sheet_errors(const dl_batch_sheet *s)
{
	return s->errors;
}

const dl_sheet *dl_batch_sheet_sheet(const dl_batch_sheet *s)
{
	return s->rc == 0 ? s->sheet : NULL;
}

const dl_result *dl_batch_sheet_result(const dl_batch_sheet *s)
{
	return s->rc == 0 ? s->result : NULL;
}

const dl_questionnaire *dl_batch_sheet_questionnaire(const dl_batch_sheet *s)
{
	return s->rc == 0 ? s->q : NULL;
}

/* Diagnostics of one sheet are kept as text, for the caller to print in input order. */
typedef struct error_text {
	char *text;
	size_t len;
} error_text;

static void collect(const dl_error *diag, void *userdata)
{
	error_text *e = userdata;
	dl__batch_errors_add(&e->text, &e->len, diag);
}

/* Load and score one sheet, on a worker thread. */
static void run(dl_batch *b, dl_batch_sheet *s)
{
	if (s->rc != 0)
		return; /* refused by the reader (dl_batch_add_failed): its message is in s->errors
			 */
	error_text errors = {NULL, 0};
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	opts.diag = collect;
	opts.diag_data = &errors;
	if (s->xml) {
		char *xml = s->xml;
		s->xml = NULL; /* the loader takes it */
		/* the pairing keeps this copy instead of the parsed sheet (a third of the memory)
		 */
		if ((s->source = dl__malloc(s->len + 1)) != NULL)
			memcpy(s->source, xml, s->len + 1);
		s->rc = dl_sheet_load_from_stream(&s->sheet, xml, s->len, s->path, s->line, &opts,
						  NULL);
	} else {
		s->rc = dl_sheet_load(&s->sheet, s->path, &opts, NULL);
	}
	if (s->rc == 0) {
		s->q = dl__batch_questionnaire_for(b, s, dl_sheet_questionnaire_id(s->sheet),
						   dl_sheet_questionnaire_version(s->sheet),
						   &errors.text, &errors.len);
		if (!s->q)
			s->rc = DL_EINVALID;
	}
	if (s->rc == 0)
		s->rc = dl_score(&s->result, s->q, s->sheet, &opts, NULL);
	s->errors = errors.text;
}

/* How many sheets from the next one to take on are done, in a row (the lock is held). */
static size_t ready_run(const dl_batch *b)
{
	size_t n = 0;
	for (size_t i = b->next_out; i < b->submitted && n < b->window; i++, n++) {
		const dl_batch_sheet *d = b->done[i % b->window];
		if (!d || d->index != i)
			break;
	}
	return n;
}

static void *worker(void *arg)
{
	dl_batch *b = arg;
	pthread_mutex_lock(&b->lock);
	for (;;) {
		while (b->queue_len == 0 && !b->stopping && !b->finished)
			pthread_cond_wait(&b->work, &b->lock);
		if (b->queue_len == 0)
			break;
		dl_batch_sheet *s = b->queue[b->queue_head];
		b->queue_head = (b->queue_head + 1) % b->queue_cap;
		b->queue_len--;
		pthread_mutex_unlock(&b->lock);
		run(b, s);
		pthread_mutex_lock(&b->lock);
		b->done[s->index % b->window] = s;
		if (s->index >= b->next_out && ready_run(b) >= (b->queue_len == 0 ? 1 : TAKE_BURST))
			pthread_cond_signal(&b->result);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

int dl__batch_workers_start(dl_batch *b)
{
	int threads = b->opts.threads;
	b->window = (size_t)threads * WINDOW_PER_THREAD;
	b->queue_cap = b->window;
	b->queue = dl__calloc(b->queue_cap, sizeof(dl_batch_sheet *));
	b->done = dl__calloc(b->window, sizeof(dl_batch_sheet *));
	b->threads = dl__calloc((size_t)threads, sizeof(*b->threads));
	if (!b->queue || !b->done || !b->threads)
		return DL_ENOMEM;
	for (int i = 0; i < threads; i++) {
		if (pthread_create(&b->threads[i], NULL, worker, b) != 0)
			break;
		b->thread_count++;
	}
	return b->thread_count == 0 ? DL_ENOMEM : 0;
}

void dl__batch_submit(dl_batch *b, dl_batch_sheet *s)
{
	pthread_mutex_lock(&b->lock);
	/* keep at most `window` sheets between the next one taken and the newest submitted */
	while (b->submitted - b->next_out >= b->window && !b->stopping)
		pthread_cond_wait(&b->room, &b->lock);
	if (b->stopping) { /* dl_batch_free while the reader still feeds: nobody will take it */
		pthread_mutex_unlock(&b->lock);
		dl_batch_sheet_free(s);
		return;
	}
	s->index = b->submitted++;
	b->queue[(b->queue_head + b->queue_len++) % b->queue_cap] = s;
	pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->lock);
}

void dl__batch_input_done(dl_batch *b)
{
	pthread_mutex_lock(&b->lock);
	b->finished = true;
	pthread_cond_broadcast(&b->work);
	pthread_cond_broadcast(&b->result);
	pthread_mutex_unlock(&b->lock);
}

dl_batch_sheet *dl__batch_take(dl_batch *b)
{
	dl_batch_sheet *s = NULL;
	pthread_mutex_lock(&b->lock);
	for (;;) {
		if (b->next_out == b->submitted && b->finished)
			break;
		size_t slot = b->next_out % b->window;
		if (b->next_out < b->submitted && b->done[slot] &&
		    b->done[slot]->index == b->next_out) {
			s = b->done[slot];
			b->done[slot] = NULL;
			b->next_out++;
			/* a full window drains one by one, so it passes through half exactly */
			if (b->submitted - b->next_out == b->window / 2)
				pthread_cond_signal(&b->room);
			break;
		}
		pthread_cond_wait(&b->result, &b->lock);
	}
	pthread_mutex_unlock(&b->lock);
	return s;
}

void dl__batch_stopping(dl_batch *b)
{
	pthread_mutex_lock(&b->lock);
	b->stopping = true;
	pthread_cond_broadcast(&b->work);
	pthread_cond_broadcast(&b->room);
	pthread_mutex_unlock(&b->lock);
}

void dl__batch_workers_stop(dl_batch *b)
{
	dl__batch_stopping(b);
	for (int i = 0; i < b->thread_count; i++)
		pthread_join(b->threads[i], NULL);
	for (size_t i = 0; b->queue && i < b->queue_len; i++)
		dl_batch_sheet_free(b->queue[(b->queue_head + i) % b->queue_cap]);
	for (size_t i = 0; b->done && i < b->window; i++)
		dl_batch_sheet_free(b->done[i]);
	dl__free(b->queue);
	dl__free(b->done);
	dl__free(b->threads);
	b->queue = b->done = NULL;
	b->threads = NULL;
	b->thread_count = 0;
}
