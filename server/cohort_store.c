/*
 * cohort_store.c: the dashboard from the store (cohort_store.h). The steps are those of
 * cli/cmd_cohort.c and cli/batch_commands.c, through the same library calls in the same order:
 * check the targets and the policy against their edition, make the cohort, join it to a batch,
 * feed the sheets in order, note each sheet for the join and pair it, finish the batch, add each
 * row's entry, check the payments. Only where the sheets come from differs (memory, not paths),
 * and where the messages go (a list the page shows, not standard error).
 */
#include "cohort_store.h"
#include "export.h"
#include "standing.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An enterprise whose pair was compared under the cohort's policy, and the verdict. */
typedef struct verdict_entry {
	char credit_code[32];
	dl_verdict verdict;
} verdict_entry;

struct srv_cohort {
	dl_cohort *cohort;
	size_t sheets, failed;
	verdict_entry *verdicts; /* the pairs compared, by credit code once built */
	size_t verdict_count, verdict_cap;
	bool verdicts_failed; /* out of memory: srv_cohort_verdict_of answers -1 */
	srv_buf notes;
	pthread_mutex_t lock; /* the batch may warn from its threads */
	srv_cohort_cache *cache; /* kept there (NULL: the caller's alone) */
	unsigned refs;           /* the cache's and the requests': under cache->lock */
};

/* --- the cache: one build for many requests --------------------------------------------------- */

#define CACHE_SLOTS 8 /* targets x policy x as_of the bureau looks at; more are built uncached */

/* A dashboard built, or being built, for one (targets, policy, as_of) at one sheet mark. */
typedef struct cache_slot {
	const dl_targets *targets;
	const dl_policy *policy;
	char as_of[16];
	int64_t mark;
	bool used, building;
	unsigned long last_used;
	srv_cohort *cohort; /* NULL while building */
} cache_slot;

struct srv_cohort_cache {
	pthread_mutex_t lock;
	pthread_cond_t built;
	unsigned long tick;
	cache_slot slot[CACHE_SLOTS];
};

int srv_cohort_cache_start(srv *s)
{
	srv_cohort_cache *cache = calloc(1, sizeof *cache);
	if (!cache)
		return DL_ENOMEM;
	pthread_mutex_init(&cache->lock, NULL);
	pthread_cond_init(&cache->built, NULL);
	s->cohort_cache = cache;
	return 0;
}

static void cohort_destroy(srv_cohort *c)
{
	dl_cohort_free(c->cohort);
	free(c->verdicts);
	srv_buf_free(&c->notes);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* Drop one reference; the last one frees. Called with cache->lock held when c->cache is set. */
static void cohort_unref_locked(srv_cohort *c)
{
	if (--c->refs == 0)
		cohort_destroy(c);
}

void srv_cohort_cache_stop(srv *s)
{
	srv_cohort_cache *cache = s->cohort_cache;
	if (!cache)
		return;
	/* the server has stopped: no request holds a cohort and none is being built */
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (cache->slot[i].cohort)
			cohort_unref_locked(cache->slot[i].cohort);
	pthread_cond_destroy(&cache->built);
	pthread_mutex_destroy(&cache->lock);
	free(cache);
	s->cohort_cache = NULL;
}

static bool same_key(const cache_slot *slot, const dl_targets *t, const dl_policy *policy,
		     const char *as_of)
{
	return slot->used && slot->targets == t && slot->policy == policy &&
	       strcmp(slot->as_of, as_of) == 0;
}

/* The slot a new build of this key takes, under the lock: the key's own (an older mark), else a
 * free one, else the least recently used; never one being built. NULL: all are being built. */
static cache_slot *slot_for_build(srv_cohort_cache *cache, const dl_targets *t,
				  const dl_policy *policy, const char *as_of)
{
	cache_slot *pick = NULL;
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		cache_slot *slot = &cache->slot[i];
		if (slot->building)
			continue;
		if (same_key(slot, t, policy, as_of))
			return slot;
		if (!pick || (pick->used && (!slot->used || slot->last_used < pick->last_used)))
			pick = slot;
	}
	return pick;
}

/* A message of the batch, the join or the payments check: one line of notes. */
static void add_note(srv_cohort *c, const char *file, const char *message)
{
	pthread_mutex_lock(&c->lock);
	if (file)
		srv_buf_printf(&c->notes, "%s: %s\n", file, message);
	else
		srv_buf_printf(&c->notes, "%s\n", message);
	pthread_mutex_unlock(&c->lock);
}

static void on_warning(const char *file, const char *message, void *userdata)
{
	add_note(userdata, file, message);
}

static void on_diag(const dl_error *d, void *userdata)
{
	char line[DL_ERROR_FORMAT_MAX];
	dl_error_format(d, line, sizeof line);
	add_note(userdata, NULL, line);
}

/* The batch's questionnaire finder: a copy of the server's edition, loaded from its file (the
 * batch owns what it is given; the server's editions are shared). */
static int find_edition(dl_questionnaire **out, const char *id, const char *version, void *userdata,
			dl_error *err)
{
	const srv *s = userdata;
	for (size_t i = 0; i < s->edition_count; i++) {
		const dl_questionnaire *q = s->editions[i].q;
		if (strcmp(dl_questionnaire_id(q), id) == 0 &&
		    strcmp(dl_questionnaire_version(q), version) == 0)
			return dl_questionnaire_load(out, dl_questionnaire_path(q), NULL, err);
	}
	if (err) {
		memset(err, 0, sizeof *err);
		err->code = DL_ENOTFOUND;
		snprintf(err->message, sizeof err->message,
			 _("the questionnaire %s version %s is not loaded by the server"), id, version);
	}
	return DL_ENOTFOUND;
}

/* --- feeding: from the store, or from memory ------------------------------------------------- */

typedef struct store_feed {
	srv *s;
	dl_store_row *rows;
	size_t count;
	dl_batch *batch; /* while feeding */
} store_feed;

static int feed_one(const dl_store_row *row, const char *xml, size_t len, void *userdata)
{
	store_feed *f = userdata;
	char name[160];
	srv_sheet_file_name(row, name, sizeof name);
	return dl_batch_add_memory(f->batch, xml, len, name, 1);
}

/* The rows in their order, read a few dozen a query (dl_store_get_each). A store that cannot be
 * read stops the feed: the dashboard says so (and a PostgreSQL server away is a 503), rather than
 * listing every sheet as failed. */
static int feed_store(dl_batch *b, void *userdata)
{
	store_feed *f = userdata;
	int64_t *ids = malloc((f->count ? f->count : 1) * sizeof *ids);
	if (!ids)
		return DL_ENOMEM;
	for (size_t i = 0; i < f->count; i++)
		ids[i] = f->rows[i].id;
	f->batch = b;
	dl_error err = {0};
	int rc = dl_store_get_each(f->s->store, ids, f->count, feed_one, f, &err);
	if (rc < 0 && err.message[0])
		srv_log("dashboard: %s", err.message);
	free(ids);
	return rc;
}

typedef struct memory_feed {
	const srv_cohort_sheet *sheets;
	size_t count;
} memory_feed;

static int feed_memory(dl_batch *b, void *userdata)
{
	memory_feed *f = userdata;
	for (size_t i = 0; i < f->count; i++) {
		int rc = dl_batch_add_memory(b, f->sheets[i].xml, f->sheets[i].len, f->sheets[i].name, 1);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* --- the build ---------------------------------------------------------------------------------- */

static void set_error(dl_error *err, int code, const char *message)
{
	if (!err)
		return;
	memset(err, 0, sizeof *err);
	err->code = code;
	snprintf(err->message, sizeof err->message, "%s", message);
}

/* The cohort's edition, and the targets and policy checked against it (cmd_cohort.c, load_inputs). */
static int inputs(srv *s, const dl_targets *t, const dl_policy *policy, srv_cohort *c,
		  const dl_questionnaire **q, dl_error *err)
{
	*q = srv_edition_find(s, dl_targets_questionnaire_id(t), dl_targets_questionnaire_version(t));
	if (!*q) {
		char m[DL_ERROR_MESSAGE_MAX];
		snprintf(m, sizeof m, _("the targets are counted in the questionnaire %s version %s, "
					"which the server has not loaded"),
			 dl_targets_questionnaire_id(t), dl_targets_questionnaire_version(t));
		set_error(err, DL_ENOTFOUND, m);
		return DL_ENOTFOUND;
	}
	dl_load_options lo = DL_LOAD_OPTIONS_INIT;
	lo.diag = on_diag;
	lo.diag_data = c;
	int rc = dl_targets_check(t, *q, &lo, err);
	if (rc == 0 && policy)
		rc = dl_policy_check(policy, *q, &lo, err);
	return rc;
}

/* Take every sheet back in order, note it for the join and pair it (batch_commands.c, take_sheets
 * and add_sheet). */
static void take_sheets(srv_cohort *c, dl_batch *batch, dl_batch_cohort *join)
{
	dl_batch_sheet *sheet;
	while (dl_batch_next(batch, &sheet) > 0) {
		c->sheets++;
		dl_batch_cohort_note_sheet(join, sheet);
		if (dl_batch_sheet_status(sheet) != 0) {
			c->failed++;
			const char *errors = dl_batch_sheet_errors(sheet);
			if (errors) {
				pthread_mutex_lock(&c->lock);
				srv_buf_puts(&c->notes, errors);
				pthread_mutex_unlock(&c->lock);
			} else {
				add_note(c, dl_batch_sheet_path(sheet), _("cannot be scored"));
			}
			dl_batch_sheet_free(sheet);
		} else if (dl_batch_pair(batch, sheet) != 0) {
			add_note(c, dl_batch_sheet_path(sheet), _("out of memory"));
			c->failed++;
			dl_batch_sheet_free(sheet);
		}
	}
}

static int by_credit_code(const void *a, const void *b)
{
	return strcmp(((const verdict_entry *)a)->credit_code, ((const verdict_entry *)b)->credit_code);
}

/* Keep row's verdict, for srv_cohort_verdict_of. */
static void keep_verdict(srv_cohort *c, const dl_batch_row *row)
{
	if (!row->has_verdict || c->verdicts_failed)
		return;
	if (c->verdict_count == c->verdict_cap) {
		size_t cap = c->verdict_cap ? c->verdict_cap * 2 : 64;
		verdict_entry *grown = realloc(c->verdicts, cap * sizeof *grown);
		if (!grown) {
			c->verdicts_failed = true;
			return;
		}
		c->verdicts = grown;
		c->verdict_cap = cap;
	}
	verdict_entry *v = &c->verdicts[c->verdict_count++];
	memset(v, 0, sizeof *v);
	snprintf(v->credit_code, sizeof v->credit_code, "%s", row->code);
	v->verdict = row->verdict;
}

/* Each enterprise's row into the cohort (cmd_cohort.c, add_row). */
static void add_rows(srv_cohort *c, dl_batch *batch, dl_batch_cohort *join)
{
	for (size_t i = 0; i < dl_batch_row_count(batch); i++) {
		const dl_batch_row *row = dl_batch_row_at(batch, i);
		keep_verdict(c, row);
		const dl_cohort_entry *entry = NULL;
		dl_error err;
		int rc = dl_batch_cohort_entry(join, row, &entry);
		if (rc < 0) {
			char m[DL_ERROR_MESSAGE_MAX];
			snprintf(m, sizeof m, _("enterprise %s (%s) cannot be counted: %s"), row->code,
				 row->name, rc == DL_ENOMEM ? _("out of memory") : _("a text or list is too long"));
			add_note(c, NULL, m);
		} else if (dl_cohort_add(c->cohort, entry, &err) < 0) {
			add_note(c, NULL, err.message);
		}
	}
}

static int build(srv *s, const dl_targets *t, const dl_policy *policy, const char *as_of,
		 dl_batch_feed_fn feed, void *feed_data, srv_cohort **out, dl_error *err)
{
	*out = NULL;
	srv_cohort *c = calloc(1, sizeof *c);
	if (!c) {
		set_error(err, DL_ENOMEM, _("out of memory"));
		return DL_ENOMEM;
	}
	pthread_mutex_init(&c->lock, NULL);
	dl_batch_cohort *join = NULL;
	dl_batch *batch = NULL;
	const dl_questionnaire *q = NULL;
	int rc = inputs(s, t, policy, c, &q, err);
	if (rc == 0)
		rc = dl_cohort_new(&c->cohort, t, q, policy, err);
	if (rc == 0 && as_of && *as_of)
		rc = dl_cohort_set_as_of(c->cohort, as_of, err);
	if (rc == 0 && (rc = dl_batch_cohort_new(&join, c->cohort, on_warning, c)) < 0)
		set_error(err, rc, _("out of memory"));
	if (rc < 0)
		goto done;
	dl_batch_options bo = DL_BATCH_OPTIONS_INIT;
	int threads = dl_batch_default_threads();
	bo.threads = threads > 4 ? 4 : threads; /* a request shares the machine with the others */
	bo.policy = policy;
	bo.questionnaire = find_edition;
	bo.questionnaire_data = s;
	bo.warning = on_warning;
	bo.warning_data = c;
	if ((rc = dl_batch_new(&batch, &bo, err)) < 0)
		goto done;
	if ((rc = dl_batch_start(batch, feed, feed_data)) < 0) {
		set_error(err, rc, _("out of memory"));
		goto done;
	}
	take_sheets(c, batch, join);
	if ((rc = dl_batch_feed_status(batch)) < 0) {
		set_error(err, rc, rc == DL_ENOMEM ? _("out of memory") : _("the stored sheets could not be read"));
		goto done;
	}
	dl_batch_finish(batch);
	add_rows(c, batch, join);
	if (c->verdict_count > 1)
		qsort(c->verdicts, c->verdict_count, sizeof *c->verdicts, by_credit_code);
	dl_load_options lo = DL_LOAD_OPTIONS_INIT; /* payments refused: each a note */
	lo.diag = on_diag;
	lo.diag_data = c;
	dl_cohort_check_payments(c->cohort, &lo, NULL);
	if (c->notes.failed) {
		rc = DL_ENOMEM;
		set_error(err, rc, _("out of memory"));
	}
done:
	dl_batch_free(batch);
	dl_batch_cohort_free(join);
	if (rc < 0)
		cohort_destroy(c);
	else
		*out = c;
	return rc;
}

/* The order of the export's file names (export.h), which is the order `digilevel cohort` reads an
 * exported folder in: so the dashboard lists enterprises as the command does, byte for byte. */
static int by_export_name(const void *a, const void *b)
{
	char na[160], nb[160];
	srv_sheet_file_name(a, na, sizeof na);
	srv_sheet_file_name(b, nb, sizeof nb);
	return strcmp(na, nb);
}

static int build_from_store(srv *s, const dl_targets *t, const dl_policy *policy, const char *as_of,
			    srv_cohort **out, dl_error *err)
{
	store_feed f = {s, NULL, 0, NULL};
	int rc = srv_finished_rows(s, NULL, &f.rows, &f.count, err);
	if (rc == 0 && f.count)
		qsort(f.rows, f.count, sizeof *f.rows, by_export_name);
	if (rc == 0)
		rc = build(s, t, policy, as_of, feed_store, &f, out, err);
	else
		*out = NULL;
	free(f.rows);
	return rc;
}

/* The dashboard depends on the sheets alone (and on t, policy, as_of, which the server keeps
 * unchanged while it runs): a build is kept until the store's sheet mark moves (store.h). A key is
 * built by one request at a time: the others wait for that build, take it when it holds every
 * sheet they saw, and otherwise one of them builds again; so a burst of saves costs one build
 * after another, never many side by side. */
int srv_cohort_build(srv *s, const dl_targets *t, const dl_policy *policy, const char *as_of,
		     srv_cohort **out, dl_error *err)
{
	srv_cohort_cache *cache = s->cohort_cache;
	int64_t mark = 0;
	*out = NULL;
	if (!as_of)
		as_of = "";
	if (!cache || strlen(as_of) >= sizeof cache->slot[0].as_of)
		return build_from_store(s, t, policy, as_of, out, err);
	int rc = dl_store_sheet_mark(s->store, &mark, err);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&cache->lock);
	cache_slot *slot;
	for (;;) { /* one build of a key at a time: a request while it runs waits for it */
		bool busy = false;
		slot = NULL;
		for (size_t i = 0; i < CACHE_SLOTS; i++) {
			cache_slot *k = &cache->slot[i];
			if (!same_key(k, t, policy, as_of))
				continue;
			if (k->building)
				busy = true;
			else if (k->cohort && k->mark >= mark && (!slot || k->mark > slot->mark))
				slot = k;
		}
		if (slot || !busy)
			break;
		pthread_cond_wait(&cache->built, &cache->lock);
	}
	if (slot) { /* built with every sheet this request saw (and maybe newer ones): shared */
		slot->last_used = ++cache->tick;
		slot->cohort->refs++;
		*out = slot->cohort;
		pthread_mutex_unlock(&cache->lock);
		return 0;
	}
	if (!(slot = slot_for_build(cache, t, policy, as_of))) {
		pthread_mutex_unlock(&cache->lock);
		return build_from_store(s, t, policy, as_of, out, err);
	}
	if (slot->cohort)
		cohort_unref_locked(slot->cohort);
	*slot = (cache_slot){.targets = t, .policy = policy, .mark = mark, .used = true,
			     .building = true, .last_used = ++cache->tick};
	snprintf(slot->as_of, sizeof slot->as_of, "%s", as_of);
	pthread_mutex_unlock(&cache->lock);

	srv_cohort *c = NULL;
	rc = build_from_store(s, t, policy, as_of, &c, err);

	pthread_mutex_lock(&cache->lock);
	slot->building = false;
	if (rc == 0) {
		c->cache = cache;
		c->refs = 2; /* the slot's and the caller's */
		slot->cohort = c;
		*out = c;
	} else {
		slot->used = false; /* a failure is not kept: the next request tries again */
	}
	pthread_cond_broadcast(&cache->built);
	pthread_mutex_unlock(&cache->lock);
	return rc;
}

int srv_cohort_from_memory(srv *s, const dl_targets *t, const dl_policy *policy, const char *as_of,
			   const srv_cohort_sheet *sheets, size_t count, srv_cohort **out,
			   dl_error *err)
{
	memory_feed f = {sheets, count};
	return build(s, t, policy, as_of, feed_memory, &f, out, err);
}

const dl_cohort *srv_cohort_get(const srv_cohort *c)
{
	return c->cohort;
}

size_t srv_cohort_sheet_count(const srv_cohort *c)
{
	return c->sheets;
}

size_t srv_cohort_failed_count(const srv_cohort *c)
{
	return c->failed;
}

int srv_cohort_verdict_of(const srv_cohort *c, const char *credit_code, dl_verdict *verdict)
{
	if (c->verdicts_failed)
		return -1;
	verdict_entry key;
	snprintf(key.credit_code, sizeof key.credit_code, "%s", credit_code);
	const verdict_entry *v =
	    c->verdict_count ? bsearch(&key, c->verdicts, c->verdict_count, sizeof key, by_credit_code)
			     : NULL;
	if (v)
		*verdict = v->verdict;
	return v != NULL;
}

const char *srv_cohort_notes(const srv_cohort *c)
{
	return c->notes.data ? c->notes.data : "";
}

void srv_cohort_free(srv_cohort *c)
{
	if (!c)
		return;
	srv_cohort_cache *cache = c->cache;
	if (!cache) {
		cohort_destroy(c);
		return;
	}
	pthread_mutex_lock(&cache->lock);
	cohort_unref_locked(c);
	pthread_mutex_unlock(&cache->lock);
}
