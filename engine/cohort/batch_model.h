/*
 * batch_model.h: the insides of a dl_batch (include/digilevel/batch.h), shared by the files that
 * make it: the workers (batch_workers.c), the questionnaire cache (batch_questionnaires.c), the
 * reader thread and the ways sheets come in (batch_feed.c), which sheets stand (batch_standing.c),
 * the rows (batch_rows.c), the end (batch_finish.c), the documents of an enterprise
 * (batch_documents.c) and its folder of the archive (batch_archive.c).
 */
#ifndef DL_BATCH_MODEL_H
#define DL_BATCH_MODEL_H

#include <digilevel/batch.h>
#include <digilevel/report.h>

#include <pthread.h>
#include <stdatomic.h>

/* One sheet to score, then scored (or failed). */
struct dl_batch_sheet {
	unsigned long index;   /* its place in input order */
	const dl_batch *batch; /* the batch it came into (for warnings) */
	char *path;	       /* the file, or the stream file the text came from */
	char *xml;	       /* NULL for a file; else the sheet's text, until loaded (owned) */
	size_t len;
	unsigned long line; /* where the text starts in the stream */
	/* filled by the worker */
	int rc;
	char *errors; /* the diagnostics, one per line (owned), or NULL */
	dl_sheet *sheet;
	dl_result *result;
	const dl_questionnaire *q; /* borrowed from the cache */
	/* kept by the pairing without its sheet: what to load it again from and what decides
	 * whether it stands */
	char *source; /* a copy of the text (owned), or NULL for a file */
	dl_phase phase;
	int attempt;
	char date[32];
	dl_batch_row *row; /* dl_batch_sheet_row, made on demand (owned) */
};

/* The questionnaire of one edition, found or not. */
typedef struct dl__batch_edition {
	char *id, *version;
	dl_questionnaire *q;
	int rc;
	char error[DL_ERROR_FORMAT_MAX];
} dl__batch_edition;

/* A sheet of an enterprise, noted for the archive whether it stands or not (batch_archive.c). */
typedef struct dl__archived_sheet {
	char *path;	      /* the sheet file, or the stream file (owned) */
	char *text;	      /* NULL for a file; else a copy of the sheet's text (owned) */
	size_t len;	      /* of text */
	unsigned long line;   /* where the text starts in the stream (0 for a file) */
	unsigned long index;  /* its place in input order */
	dl_phase phase;
	int attempt;
	char date[32];
	char digest[65];      /* the SHA-256 of the bytes that were scored */
} dl__archived_sheet;

/* One enterprise: the sheets that stand for it, then its row. */
typedef struct dl__batch_entry {
	char *code;
	dl_batch_sheet *before; /* the diagnosis (or self-check) that stands so far */
	dl_batch_sheet *after;	/* the evaluation that stands so far */
	dl_batch_row row;	/* made by dl_batch_finish */
	char *report_error;	/* row.report_error (owned) */
	/* with an archive: every sheet of the enterprise, in input order (owned) */
	dl__archived_sheet *archived;
	size_t archived_count, archived_cap;
	char *archive_folder, *archive_error; /* row.archive_folder and row.archive_error (owned) */
} dl__batch_entry;

struct dl_batch {
	dl_batch_options opts;
	/* the workers (batch_workers.c) */
	pthread_mutex_t lock;
	pthread_cond_t work;   /* for the workers: a sheet is queued, or no more will come */
	pthread_cond_t result; /* for dl_batch_next: its sheet is in, or no more will come */
	pthread_cond_t room;   /* for dl_batch_add_*: half the window is free */
	pthread_t *threads;
	int thread_count;
	dl_batch_sheet **queue; /* added, not yet taken by a worker: a ring from queue_head */
	size_t queue_head, queue_len, queue_cap;
	dl_batch_sheet **done; /* finished, indexed by input order modulo window */
	size_t window;
	unsigned long submitted, next_out;
	bool finished, stopping;
	/* the questionnaires (batch_questionnaires.c) */
	pthread_mutex_t cache_lock;
	dl__batch_edition *cache; /* every edition asked for, found or not */
	size_t cache_len, cache_cap, missing;
	/* the reader (batch_feed.c) */
	pthread_t reader;
	bool started, reader_joined;
	dl_batch_feed_fn feed;
	void *feed_data;
	int feed_status;
	/* the pairing (batch_standing.c) */
	dl__batch_entry **entries; /* in order of first appearance */
	size_t entry_count, entry_cap;
	dl__batch_entry **table; /* open addressing by credit code */
	size_t table_cap;
	/* the end (batch_finish.c) */
	bool finished_rows;
	atomic_size_t next_entry, entries_done;
	atomic_bool reports_stopped; /* a report failed for a reason every other one shares */
};

/* batch_workers.c */
int dl__batch_workers_start(dl_batch *b);
/* Wake everything that waits: the batch is being freed (the reader's submits are dropped). */
void dl__batch_stopping(dl_batch *b);
void dl__batch_workers_stop(dl_batch *b);
/* Queue a sheet (takes ownership); blocks while the window is full. */
void dl__batch_submit(dl_batch *b, dl_batch_sheet *s);
/* No more sheets will come. */
void dl__batch_input_done(dl_batch *b);
/* The next sheet in input order, or NULL when all are taken. */
dl_batch_sheet *dl__batch_take(dl_batch *b);

/* batch_questionnaires.c: the questionnaire of id and version, NULL after a line in *errors. */
const dl_questionnaire *dl__batch_questionnaire_for(dl_batch *b, const dl_batch_sheet *s,
						    const char *id, const char *version,
						    char **errors, size_t *errors_len);
/* Append a diagnostic line to a sheet's errors (at most 4 KiB in all; dropped past that). */
void dl__batch_errors_add(char **errors, size_t *len, const dl_error *diag);
void dl__batch_cache_free(dl_batch *b);

/* batch_standing.c */
/*
 * Hand a warning to the caller's warning function (NULL: dropped), formatted printf-style (dropped
 * when memory ran out). The batch and the cohort join both warn through it.
 */
void dl__batch_warn(dl_batch_warning_fn warning, void *userdata, const char *file, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void dl__batch_entries_free(dl_batch *b);

/* batch_rows.c */
/* Fill a row from one or two scored sheets (a kind of row each); strings never NULL after. */
void dl__batch_row_single(const dl_batch *b, dl_batch_row *r, const dl_batch_sheet *s,
			  const char *status, bool as_after);
void dl__batch_row_pair(const dl_batch *b, dl_batch_row *r, const dl_batch_sheet *before,
			const dl_batch_sheet *after, dl_comparison **comparison);
void dl__batch_row_not_compared(dl_batch_row *r, const char *code, const dl_sheet *identity,
				const char *why);
void dl__batch_row_free(dl_batch_row *r);

/* batch_documents.c: the documents of an enterprise, rendered by dl_batch_finish. */

/* What a document is made from: the enterprise's sheets that stand, loaded and scored again. */
typedef struct dl__batch_enterprise {
	const dl_sheet *diagnosed;	    /* the before, or the only sheet */
	const dl_result *diagnosed_result;
	const dl_sheet *before, *after;	    /* NULL when that side has no sheet */
	const dl_comparison *comparison;    /* the pair's, or NULL */
	const dl_policy *policy;	    /* the batch's, or NULL */
} dl__batch_enterprise;

typedef struct dl__batch_document {
	const char *kind;  /* the report callback's kind; the archive's file is report-KIND.pdf */
	const char *title; /* what it is, for people (the archive's index) */
	/* Whether the enterprise has this document (false: it is not rendered). */
	bool (*applies)(const dl__batch_enterprise *x);
	/* Render it, as the dl_report_* functions do. */
	int (*render)(unsigned char **pdf, size_t *len, const dl__batch_enterprise *x,
		      const dl_report_options *ro, dl_error *err);
} dl__batch_document;

/* The documents, in the order they are rendered and listed. */
extern const dl__batch_document dl__batch_documents[];
extern const size_t dl__batch_document_count;

/* batch_archive.c */
/* Note a scored sheet of entry e for the archive. Returns 0 or DL_ENOMEM. */
int dl__batch_archive_note(dl__batch_entry *e, const dl_batch_sheet *s);
/*
 * Write the folder of entry e (its row made) into the archive directory: pdfs[i] (len lens[i]) is
 * document i of dl__batch_documents, NULL when the enterprise has none or it could not be made
 * (why[i], or NULL); c the pair's comparison or NULL. render_rc: the reports could not be rendered
 * at all (a missing font: DL_EIO), 0 otherwise. Sets the row's archive fields.
 */
void dl__batch_archive_write(const dl_batch *b, dl__batch_entry *e, const dl_comparison *c,
			     unsigned char *const *pdfs, const size_t *lens, const char *const *why,
			     int render_rc);
void dl__batch_archive_entry_free(dl__batch_entry *e);

/* batch_totals.c: add a row's subsidy (if granted) exactly; false once the total overflows. */
typedef struct dl__batch_totals {
	unsigned long subsidies; /* enterprises granted a subsidy */
	int64_t subsidy_total;	 /* their sum in fen, valid only while !overflow */
	bool overflow;		 /* the sum does not fit in int64_t: no total can be given */
} dl__batch_totals;
bool dl__batch_totals_add(dl__batch_totals *t, const dl_batch_row *r);

#endif
