/*
 * batch_rows.h: pairing scored sheets by enterprise and writing the rows of `digilevel batch`.
 */
#ifndef DL_BATCH_ROWS_H
#define DL_BATCH_ROWS_H

#include "batch.h"

#include <digilevel/policy.h>

typedef struct batch_rows batch_rows;

/**
 * Start the outputs: csv and jsonl are file paths (written to a temporary file, renamed at close)
 * or NULL; with both NULL the CSV goes to standard output. Returns 0 or DL_EIO (message printed).
 */
int batch_rows_open(batch_rows **out, const char *csv, const char *jsonl, bool per_sheet,
		    const dl_policy *policy);
/** Take a scored (or failed) sheet, in input order. Takes ownership of job. */
void batch_rows_add(batch_rows *rows, batch_job *job);
unsigned long batch_rows_failed(const batch_rows *rows);
/**
 * Write the remaining rows and the summary (stderr), move the files into place, free everything.
 * Returns the exit code: 0, 1 when some sheet or stream failed (broken_streams adds to it), 3 when
 * writing failed.
 */
int batch_rows_close(batch_rows *rows, unsigned long broken_streams);
/** Free without writing anything more (after an error). Accepts NULL. */
void batch_rows_discard(batch_rows *rows);

#endif
