/*
 * batch.h: the parts of `digilevel batch` (and `digilevel cohort`): a pool of workers that score
 * sheets in parallel and hand the results back in input order, the reading of the inputs that feeds
 * it, and the writers of the per-enterprise rows.
 *
 * Order is what makes the output deterministic whatever the number of threads: jobs are numbered as
 * they are read, and results are taken in that order. At most a fixed window of jobs is in flight,
 * so memory does not grow with the number of sheets.
 */
#ifndef DL_BATCH_H
#define DL_BATCH_H

#include "cli.h"

#include <pthread.h>

/** One sheet to score: a file path, or a sheet's text read out of a stream file. */
typedef struct batch_job {
	unsigned long index;
	char *path;          /* the file, or the stream file the text came from */
	char *xml;           /* NULL for a file; else the sheet's text (owned) */
	size_t len;
	unsigned long line;  /* where the text starts in the stream */
	/* filled by the worker */
	int rc;
	char *errors;        /* the diagnostics, one per line (owned), or NULL */
	dl_sheet *sheet;
	dl_result *result;
	const dl_questionnaire *q; /* borrowed from the pool's cache */
	/* kept by the pairing without its sheet (batch_rows.c): what to load it again from and
	 * what decides whether it stands */
	char *source;        /* a copy of the stream text (owned), or NULL for a file */
	dl_phase phase;
	int attempt;
	char date[32];
} batch_job;

typedef struct batch_pool batch_pool;

/** Start threads workers; dir is the questionnaire directory (may be NULL). */
int batch_pool_start(batch_pool **out, int threads, const char *dir);
/** Queue a job (takes ownership); blocks while the window is full. */
void batch_pool_submit(batch_pool *p, batch_job *job);
/** No more jobs will come. */
void batch_pool_finish(batch_pool *p);
/** The next result in input order, or NULL when all are taken. Caller frees it with batch_job_free. */
batch_job *batch_pool_next(batch_pool *p);
/**
 * The output of files that is one of the questionnaire files the pool has loaded, or NULL; the
 * questionnaire's path in *questionnaire (borrowed from the pool).
 */
const cli_file *batch_pool_questionnaire_output(batch_pool *p, const cli_files *files,
						const char **questionnaire);
/** Stop the workers and free the pool and its questionnaires. */
void batch_pool_free(batch_pool *p);

void batch_job_free(batch_job *job);

/** A number of threads: the online CPUs. */
int batch_default_threads(void);

/* --- inputs (batch_inputs.c) ------------------------------------------------------------------- */

/** Called with every scored (or failed) sheet, in input order. Takes ownership of job. */
typedef void (*batch_take_fn)(batch_job *job, void *userdata);

/** How the inputs are read. */
typedef struct batch_input_options {
	bool follow_symlinks;   /* follow symbolic links to directories found inside directories */
	const cli_files *files; /* the command's outputs: an input that is one of them stops the run */
} batch_input_options;

/**
 * Read the inputs (sheet files, directories, stream files, "-" for a list of paths on stdin) on a
 * reader thread, score them with pool and hand each job to take, in input order, with a progress
 * line on stderr when it is a terminal. Each directory and each file is read once, however many
 * names lead to it (device and inode); only regular files are opened: anything else (a FIFO, a
 * device) comes back as a failed job, and so does a directory that cannot be read. What was skipped
 * (a file or directory met again, a symbolic link to a directory) and broken streams are reported on
 * stderr at the end, and the number of broken streams stored in *broken_streams. Returns 0;
 * DL_ENOMEM when memory ran out reading the inputs (or the reader thread cannot start);
 * DL_EMISMATCH when an input is one of opts->files' outputs. After a message on stderr, and then the
 * command must write nothing.
 */
int batch_run_inputs(batch_pool *pool, char **paths, int count, const batch_input_options *opts,
		     batch_take_fn take, void *userdata, unsigned long *broken_streams);

/** Parse the argument of -j: a number of threads from 1 to 256. Returns 0 or -1. */
int batch_parse_threads(const char *text, int *threads);


#endif
