/*
 * batch_feed.c: a dl_batch's life and the ways sheets come into it: made and freed, fed by the
 * caller's reader on a thread of its own (files, text in memory, stream files of many sheets,
 * inputs the caller could not read), and taken back in input order.
 *
 * The reader runs on its own thread so that reading the inputs (walking directories, splitting
 * streams) goes on while the driving thread takes the scored sheets: the two meet only in the
 * workers' window (batch_workers.c).
 */
#include "alloc.h"
#include "batch_model.h"
#include "i18n.h"

#include <stdio.h>
#include <stddef.h>
#include <string.h>

int dl_batch_new(dl_batch **out, const dl_batch_options *opts, dl_error *err)
{
	dl_batch_options defaults = DL_BATCH_OPTIONS_INIT;
	if (!opts)
		opts = &defaults;
	/* version 1 is version 2 without archive_dir */
	bool known = opts->version == DL_BATCH_OPTIONS_VERSION || opts->version == 1;
	bool archive = opts->version != 1 && opts->archive_dir;
	if (!known || opts->threads < 0 || opts->threads > 256 || (archive && opts->per_sheet)) {
		if (err) {
			memset(err, 0, sizeof(*err));
			err->code = DL_EINVALID;
			snprintf(err->message, sizeof(err->message), "%s",
				 !known ? _("batch options of another version (use DL_BATCH_OPTIONS_INIT)")
				 : archive && opts->per_sheet
				     ? _("an archive needs the pairing: not with per_sheet")
				     : _("a batch takes 1 to 256 threads"));
		}
		return DL_EINVALID;
	}
	dl_batch *b = dl__calloc(1, sizeof(*b));
	if (!b)
		goto nomem;
	if (opts->version == 1) {
		memcpy(&b->opts, opts, offsetof(dl_batch_options, archive_dir));
		b->opts.archive_dir = NULL;
	} else {
		b->opts = *opts;
	}
	if (b->opts.threads == 0)
		b->opts.threads = dl_batch_default_threads();
	pthread_mutex_init(&b->lock, NULL);
	pthread_mutex_init(&b->cache_lock, NULL);
	pthread_cond_init(&b->work, NULL);
	pthread_cond_init(&b->result, NULL);
	pthread_cond_init(&b->room, NULL);
	if (dl__batch_workers_start(b) != 0) {
		dl_batch_free(b);
		goto nomem;
	}
	*out = b;
	return 0;
nomem:
	if (err) {
		memset(err, 0, sizeof(*err));
		err->code = DL_ENOMEM;
		snprintf(err->message, sizeof(err->message),
			 "%s", _("out of memory, or no worker thread can start"));
	}
	return DL_ENOMEM;
}

void dl_batch_free(dl_batch *b)
{
	if (!b)
		return;
	dl__batch_stopping(b);
	if (b->started && !b->reader_joined)
		pthread_join(b->reader, NULL);
	dl__batch_workers_stop(b);
	dl__batch_entries_free(b);
	dl__batch_cache_free(b);
	pthread_mutex_destroy(&b->lock);
	pthread_mutex_destroy(&b->cache_lock);
	pthread_cond_destroy(&b->work);
	pthread_cond_destroy(&b->result);
	pthread_cond_destroy(&b->room);
	dl__free(b);
}

static void *read_inputs(void *arg)
{
	dl_batch *b = arg;
	int rc = b->feed(b, b->feed_data);
	pthread_mutex_lock(&b->lock);
	b->feed_status = rc < 0 ? rc : 0;
	pthread_mutex_unlock(&b->lock);
	dl__batch_input_done(b);
	return NULL;
}

int dl_batch_start(dl_batch *b, dl_batch_feed_fn feed, void *userdata)
{
	if (b->started)
		return DL_EINVALID;
	b->feed = feed;
	b->feed_data = userdata;
	if (pthread_create(&b->reader, NULL, read_inputs, b) != 0)
		return DL_ENOMEM;
	b->started = true;
	return 0;
}

int dl_batch_next(dl_batch *b, dl_batch_sheet **out)
{
	if (!b->started)
		return 0;
	dl_batch_sheet *s = dl__batch_take(b);
	if (!s) {
		if (!b->reader_joined)
			pthread_join(b->reader, NULL);
		b->reader_joined = true;
		return 0;
	}
	*out = s;
	return 1;
}

int dl_batch_feed_status(const dl_batch *b)
{
	return b->reader_joined ? b->feed_status : 0;
}

static dl_batch_sheet *new_sheet(const dl_batch *b, const char *path)
{
	dl_batch_sheet *s = dl__calloc(1, sizeof(*s));
	if (s)
		s->batch = b;
	if (s && !(s->path = dl__strdup(path))) {
		dl__free(s);
		s = NULL;
	}
	return s;
}

int dl_batch_add_file(dl_batch *b, const char *path)
{
	dl_batch_sheet *s = new_sheet(b, path);
	if (!s)
		return DL_ENOMEM;
	dl__batch_submit(b, s);
	return 0;
}

int dl_batch_add_memory(dl_batch *b, const char *xml, size_t len, const char *name,
			unsigned long line)
{
	dl_batch_sheet *s = new_sheet(b, name);
	if (!s || !(s->xml = dl__malloc(len + 1))) {
		dl_batch_sheet_free(s);
		return DL_ENOMEM;
	}
	memcpy(s->xml, xml, len);
	s->xml[len] = '\0';
	s->len = len;
	s->line = line;
	dl__batch_submit(b, s);
	return 0;
}

int dl_batch_add_failed(dl_batch *b, const char *path, const char *message)
{
	dl_batch_sheet *s = new_sheet(b, path);
	size_t n = strlen(message);
	if (!s || !(s->errors = dl__malloc(n + 2))) {
		dl_batch_sheet_free(s);
		return DL_ENOMEM;
	}
	memcpy(s->errors, message, n);
	memcpy(s->errors + n, "\n", 2);
	s->rc = DL_EIO; /* the worker leaves it as it is */
	dl__batch_submit(b, s);
	return 0;
}

int dl_batch_add_stream(dl_batch *b, const char *path, dl_error *err)
{
	dl_sheet_stream *st = NULL;
	if (dl_sheet_stream_open(&st, path, NULL, err) != 0)
		return 1;
	int result = 0;
	for (;;) {
		char *xml = NULL;
		size_t len = 0;
		unsigned long at = 0;
		int rc = dl_sheet_stream_next(st, &xml, &len, &at, err);
		if (rc <= 0) {
			result = rc < 0 ? 1 : 0;
			break;
		}
		dl_batch_sheet *s = new_sheet(b, path);
		if (!s) {
			dl__free(xml);
			result = DL_ENOMEM;
			break;
		}
		s->xml = xml;
		s->len = len;
		s->line = at;
		dl__batch_submit(b, s);
	}
	dl_sheet_stream_close(st);
	return result;
}
