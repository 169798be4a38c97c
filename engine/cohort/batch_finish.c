/*
 * batch_finish.c: the end of a dl_batch: every enterprise's sheets that stand are loaded and scored
 * again, the pair compared under the policy, the row made and, when the caller asked for them, the
 * enterprise's documents (batch_documents.c) rendered and handed over and its folder of the archive
 * written (batch_archive.c); on all the batch's threads, since comparing and rendering is most of
 * the work. Then the rows are read in order of first appearance.
 *
 * The threads take enterprises one at a time from a shared counter, so the rows are the same
 * whatever the number of threads; only the order in which reports are handed over changes.
 */
#include "alloc.h"
#include "batch_model.h"
#include "i18n.h"

#include <digilevel/report.h>

#include <stdio.h>
#include <string.h>

/* Load and score a kept sheet again. Returns 0, or a negative code with why filled in. */
static int take_up(dl_batch_sheet *s, char *why, size_t size)
{
	dl_error err;
	int rc = 0;
	if (!s->sheet) {
		if (s->source) {
			char *text = s->source;
			s->source = NULL; /* the loader takes it */
			rc = dl_sheet_load_from_stream(&s->sheet, text, s->len, s->path, s->line,
						       NULL, &err);
		} else {
			rc = dl_sheet_load(&s->sheet, s->path, NULL, &err);
		}
	}
	if (rc == 0 && !s->result)
		rc = dl_score(&s->result, s->q, s->sheet, NULL, &err);
	if (rc < 0)
		snprintf(why, size, "%s: %s",
			 rc == DL_ENOMEM ? _("out of memory") : _("cannot read it again"), err.message);
	return rc;
}

static void set_aside(dl_batch_sheet *s)
{
	dl_result_free(s->result);
	s->result = NULL;
	dl_sheet_free(s->sheet);
	s->sheet = NULL;
}

/* A report of e not written: its code (the last one wins) and the first message. */
static void note_report_failure(dl__batch_entry *e, int rc, const dl_error *err)
{
	e->row.report_rc = rc;
	if (!e->report_error) {
		e->report_error = dl__strdup(err ? err->message : _("out of memory"));
		e->row.report_error = e->report_error ? e->report_error : _("out of memory");
	}
}

/* Hand one rendered report to the caller's report callback. */
static void hand_over(dl_batch *b, dl__batch_entry *e, const char *kind, const unsigned char *pdf,
		      size_t len)
{
	int written = b->opts.report(e->code, kind, pdf, len, b->opts.report_data);
	if (written == 0) {
		e->row.reports++;
	} else if (written == DL_ENOMEM) {
		note_report_failure(e, DL_ENOMEM, NULL);
	} else {
		e->row.report_rc = DL_EIO; /* the caller said why */
		atomic_store(&b->reports_stopped, true);
	}
}

/*
 * An enterprise's documents (batch_documents.c: the diagnostic report of its before, or of its only
 * sheet, and, when it was compared under the policy, the acceptance opinion), each rendered once,
 * handed to the report callback and, with an archive, kept in pdfs[] for the enterprise's folder
 * (why[]: a document that could not be made from its sheets). Returns 0; DL_ENOMEM when a document
 * found no memory; or DL_EIO, a failure every other document would share (no font), after which
 * nothing more is rendered.
 */
static int render_documents(dl_batch *b, dl__batch_entry *e, const dl__batch_enterprise *x,
			    unsigned char **pdfs, size_t *lens, char **why)
{
	dl_report_options ro = DL_REPORT_OPTIONS_INIT;
	ro.font_path = b->opts.font_path;
	int status = 0;
	for (size_t i = 0; i < dl__batch_document_count; i++) {
		const dl__batch_document *doc = &dl__batch_documents[i];
		if (!doc->applies(x))
			continue;
		if (atomic_load(&b->reports_stopped)) {
			e->row.report_rc = DL_EIO; /* skipped: the reason was given for another */
			return DL_EIO;
		}
		dl_error err;
		unsigned char *pdf = NULL;
		size_t len = 0;
		int rc = doc->render(&pdf, &len, x, &ro, &err);
		if (rc == DL_ENOTFOUND) { /* what it is made from is not installed: not made */
			if (why)
				why[i] = dl__strdup(err.message);
			continue;
		}
		if (rc != 0) {
			note_report_failure(e, rc, &err);
			if (rc == DL_EIO) { /* no font, or the PDF writer failed: the others would too */
				atomic_store(&b->reports_stopped, true);
				return DL_EIO;
			}
			if (rc == DL_ENOMEM) {
				status = DL_ENOMEM;
				continue;
			}
			if (why)
				why[i] = dl__strdup(err.message); /* NULL: the index says less */
			continue;
		}
		if (b->opts.report)
			hand_over(b, e, doc->kind, pdf, len);
		if (pdfs) {
			pdfs[i] = pdf;
			lens[i] = len;
		} else {
			dl_report_free(pdf);
		}
	}
	return status;
}

/* The documents of an enterprise and, with an archive, its folder. */
static void render_reports(dl_batch *b, dl__batch_entry *e, const dl_comparison *c)
{
	const dl_batch_sheet *diagnosed = e->before ? e->before : e->after;
	dl__batch_enterprise x = {diagnosed->sheet, diagnosed->result,
				  e->before ? e->before->sheet : NULL,
				  e->after ? e->after->sheet : NULL, c, b->opts.policy};
	enum { MAX_DOCUMENTS = 8 };
	unsigned char *pdfs[MAX_DOCUMENTS] = {NULL};
	size_t lens[MAX_DOCUMENTS] = {0};
	char *why[MAX_DOCUMENTS] = {NULL};
	bool archive = b->opts.archive_dir != NULL;
	int rc = dl__batch_document_count <= MAX_DOCUMENTS
		     ? render_documents(b, e, &x, archive ? pdfs : NULL, lens, archive ? why : NULL)
		     : DL_ENOMEM;
	if (archive)
		dl__batch_archive_write(b, e, c, pdfs, lens, (const char *const *)why, rc);
	for (size_t i = 0; i < MAX_DOCUMENTS; i++) {
		dl_report_free(pdfs[i]);
		dl__free(why[i]);
	}
}

/* The row (and the reports) of one enterprise. */
static void finish_entry(dl_batch *b, dl__batch_entry *e)
{
	dl_batch_row r;
	memset(&r, 0, sizeof(r));
	dl_comparison *c = NULL;
	char why[DL_ERROR_MESSAGE_MAX + 64] = "";
	bool loaded = (!e->before || take_up(e->before, why, sizeof(why)) == 0) &&
		      (!e->after || take_up(e->after, why, sizeof(why)) == 0);
	const dl_batch_sheet *s = e->after && e->after->sheet ? e->after : e->before;
	if (!loaded)
		dl__batch_row_not_compared(&r, e->code, s && s->sheet ? s->sheet : NULL, why);
	else if (e->before && e->after)
		dl__batch_row_pair(b, &r, e->before, e->after, &c);
	else
		dl__batch_row_single(b, &r, s, e->after ? "evaluation only" : "diagnosis only",
				     e->after != NULL);
	r.has_before_sheet = e->before != NULL;
	r.has_after_sheet = e->after != NULL;
	e->row = r;
	if (loaded && b->opts.archive_dir && !c && e->before && e->after)
		/* no policy, or one that refuses the pair: the archive still keeps the comparison
		 * without a verdict (when even that fails, the folder has none) */
		dl_compare(&c, e->after->q, e->before->sheet, e->after->sheet, NULL, NULL, NULL);
	if (loaded && (b->opts.report || b->opts.archive_dir))
		render_reports(b, e, c);
	else if (b->opts.archive_dir) /* the sheets cannot be read again: the folder says nothing */
		dl__batch_archive_write(b, e, NULL, NULL, NULL, NULL, 0);
	dl_comparison_free(c);
	if (e->before)
		set_aside(e->before);
	if (e->after)
		set_aside(e->after);
}

static void *finish_entries(void *arg)
{
	dl_batch *b = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&b->next_entry, 1);
		if (i >= b->entry_count)
			return NULL;
		finish_entry(b, b->entries[i]);
		size_t done = atomic_fetch_add(&b->entries_done, 1) + 1;
		if (b->opts.progress)
			b->opts.progress(done, b->entry_count, b->opts.progress_data);
	}
}

int dl_batch_finish(dl_batch *b)
{
	if (b->finished_rows)
		return DL_EINVALID;
	b->finished_rows = true;
	size_t want = b->opts.threads > 1 ? (size_t)b->opts.threads : 1;
	if (want > b->entry_count)
		want = b->entry_count;
	pthread_t threads[256];
	size_t started = 0;
	atomic_store(&b->next_entry, 0);
	atomic_store(&b->entries_done, 0);
	while (started + 1 < want && started < 256 &&
	       pthread_create(&threads[started], NULL, finish_entries, b) == 0)
		started++;
	finish_entries(b); /* this thread works too; with no other thread it does it all */
	for (size_t i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	return 0;
}

size_t dl_batch_row_count(const dl_batch *b)
{
	return b->finished_rows ? b->entry_count : 0;
}

const dl_batch_row *dl_batch_row_at(const dl_batch *b, size_t i)
{
	return b->finished_rows && i < b->entry_count ? &b->entries[i]->row : NULL;
}

int dl_batch_subsidy_total(const dl_batch *b, unsigned long *granted, int64_t *total)
{
	dl__batch_totals t = {0, 0, false};
	for (size_t i = 0; i < dl_batch_row_count(b); i++)
		dl__batch_totals_add(&t, &b->entries[i]->row);
	if (granted)
		*granted = t.subsidies;
	if (total)
		*total = t.overflow ? 0 : t.subsidy_total;
	return t.overflow ? DL_ELIMIT : 0;
}
