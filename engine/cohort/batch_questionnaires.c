/*
 * batch_questionnaires.c: the questionnaires of a dl_batch, each edition loaded once, on first use,
 * and shared read-only by every worker (a loaded questionnaire is immutable, docs/architecture.md).
 *
 * Finding the file is the caller's business (dl_batch_options.questionnaire: the CLI searches its
 * folders); by default it is dl_questionnaire_find in one folder. Every edition found is kept
 * (there are only as many as questionnaire files); an edition not found is remembered up to
 * MAX_MISSING times, so that a batch naming thousands of unknown editions neither grows the cache
 * without bound nor searches it for ever; past that it is looked for each time.
 */
#include "alloc.h"
#include "batch_model.h"
#include "i18n.h"

#include <stdio.h>
#include <string.h>

#define MAX_ERRORS_TEXT 4096
#define MAX_MISSING	1024 /* editions not found that are remembered */

void dl__batch_errors_add(char **errors, size_t *len, const dl_error *diag)
{
	char line[DL_ERROR_FORMAT_MAX];
	size_t n = dl_error_format(diag, line, sizeof(line));
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	if (*len + n + 2 > MAX_ERRORS_TEXT)
		return;
	char *grown = dl__realloc(*errors, *len + n + 2);
	if (!grown)
		return;
	*errors = grown;
	memcpy(*errors + *len, line, n);
	*len += n;
	(*errors)[(*len)++] = '\n';
	(*errors)[*len] = '\0';
}

/* The report of a sheet whose questionnaire cannot be had: "path[:line]: the questionnaire ...:
 * why". */
static void not_available(const dl_batch_sheet *s, const char *why, char **errors, size_t *len)
{
	dl_error e = {DL_EINVALID, "", s->line, 0, ""};
	snprintf(e.file, sizeof(e.file), "%s", s->path);
	snprintf(e.message, sizeof(e.message),
		 _("the questionnaire it answers is not available: %.400s"), why);
	dl__batch_errors_add(errors, len, &e);
}

static int find(dl_batch *b, dl_questionnaire **out, const char *id, const char *version,
		dl_error *err)
{
	if (b->opts.questionnaire)
		return b->opts.questionnaire(out, id, version, b->opts.questionnaire_data, err);
	const char *dir = b->opts.questionnaire_dir ? b->opts.questionnaire_dir : "questionnaires";
	return dl_questionnaire_find(out, dir, id, version, NULL, err);
}

const dl_questionnaire *dl__batch_questionnaire_for(dl_batch *b, const dl_batch_sheet *s,
						    const char *id, const char *version,
						    char **errors, size_t *errors_len)
{
	const dl_questionnaire *found = NULL;
	pthread_mutex_lock(&b->cache_lock);
	dl__batch_edition *c = NULL, fresh;
	for (size_t i = 0; i < b->cache_len && !c; i++)
		if (strcmp(b->cache[i].id, id) == 0 && strcmp(b->cache[i].version, version) == 0)
			c = &b->cache[i];
	if (!c) {
		dl_error err;
		memset(&fresh, 0, sizeof(fresh));
		fresh.rc = find(b, &fresh.q, id, version, &err);
		if (fresh.rc < 0)
			dl_error_format(&err, fresh.error, sizeof(fresh.error));
		c = &fresh;
		bool keep = fresh.rc == 0 || b->missing < MAX_MISSING;
		if (keep && b->cache_len == b->cache_cap) {
			size_t cap = b->cache_cap ? b->cache_cap * 2 : 16;
			dl__batch_edition *grown = dl__realloc(b->cache, cap * sizeof(*grown));
			if (grown) {
				b->cache = grown;
				b->cache_cap = cap;
			}
		}
		if (keep && b->cache_len < b->cache_cap && (fresh.id = dl__strdup(id)) &&
		    (fresh.version = dl__strdup(version))) {
			b->missing += fresh.rc != 0;
			c = &b->cache[b->cache_len++];
			*c = fresh;
		} else if (keep) { /* out of memory: the questionnaire cannot be kept for the sheet
				    */
			dl__free(fresh.id);
			dl_questionnaire_free(fresh.q);
			fresh.q = NULL;
			fresh.rc = DL_ENOMEM;
			snprintf(fresh.error, sizeof(fresh.error), "%s", _("out of memory"));
		}
	}
	if (c->rc == 0)
		found = c->q;
	else
		not_available(s, c->error, errors, errors_len);
	pthread_mutex_unlock(&b->cache_lock);
	return found;
}

size_t dl_batch_questionnaire_count(dl_batch *b)
{
	pthread_mutex_lock(&b->cache_lock);
	size_t n = b->cache_len;
	pthread_mutex_unlock(&b->cache_lock);
	return n;
}

const dl_questionnaire *dl_batch_questionnaire_at(dl_batch *b, size_t i)
{
	pthread_mutex_lock(&b->cache_lock);
	const dl_questionnaire *q = i < b->cache_len ? b->cache[i].q : NULL;
	pthread_mutex_unlock(&b->cache_lock);
	return q;
}

void dl__batch_cache_free(dl_batch *b)
{
	for (size_t i = 0; i < b->cache_len; i++) {
		dl_questionnaire_free(b->cache[i].q);
		dl__free(b->cache[i].id);
		dl__free(b->cache[i].version);
	}
	dl__free(b->cache);
	b->cache = NULL;
	b->cache_len = b->cache_cap = 0;
}
