/*
 * batch_commands.h: the CLI's side of `digilevel batch` and `digilevel cohort`: running a dl_batch
 * over the paths given (include/digilevel/batch_paths.h) and printing what comes out of it (the rows
 * as CSV and JSON Lines, diagnostics and warnings, reports written into a directory, the summary).
 * Reading the inputs, scoring, pairing and the rows are the library's.
 */
#ifndef DL_CLI_BATCH_COMMANDS_H
#define DL_CLI_BATCH_COMMANDS_H

#include "cli.h"

#include <digilevel/batch_paths.h>

typedef struct batch_output batch_output;

/** Called for every enterprise's final row, in output order, before the files are closed. */
typedef void (*batch_row_fn)(const dl_batch_row *row, void *userdata);

/** What to write, and how. */
typedef struct batch_output_options {
	const char *csv;   /* a file, "-" (standard output) or NULL */
	const char *jsonl; /* likewise; with both NULL the CSV goes to standard output... */
	bool no_rows;	   /* ...unless no_rows: then no rows are written (only visited) */
	bool per_sheet;	   /* one row per sheet, nothing kept (no pairing, no reports) */
	const char *reports_dir; /* write each enterprise's PDF reports there (made if missing), or NULL */
	const char *command; /* the first word of the summary: "batch" or "cohort" */
} batch_output_options;

/**
 * Start the outputs (files are written through a temporary file and renamed at close, see
 * files.h). Returns 0, or DL_EIO / DL_EINVALID / DL_ENOMEM after a message.
 */
int batch_output_open(batch_output **out, const batch_output_options *opts);

/**
 * Make the batch (a's threads and font, policy, questionnaires found as every command finds them),
 * read paths[0..n) into it with a progress line on stderr when it is a terminal, and hand each sheet
 * to rows in input order (noted by join first, if not NULL). What was skipped and broken streams are
 * reported at the end. Returns EXIT_OK with *batch; else the exit code after a message (EXIT_USAGE
 * when an input or a questionnaire loaded is one of g's outputs; then nothing may be written).
 */
int batch_read(batch_output *rows, dl_batch **batch, const cli_args *a, const char *usage,
	       const dl_policy *policy, char **paths, int n, const dl_file_guard *g,
	       dl_batch_cohort *join);

/**
 * Finish batch (compare every pair and write its reports, on all its threads), write the rows in
 * order of first appearance, visit each, print the summary (stderr), move the files into place and
 * free the output. Returns the exit code: 0; 1 when some sheet or stream failed, the subsidies
 * cannot be added up, or a report could not be made from its sheets; 3 when writing failed.
 */
int batch_output_close(batch_output *b, dl_batch *batch, batch_row_fn visit, void *userdata);
/** Free without writing anything more (after an error). Accepts NULL. */
void batch_output_discard(batch_output *b);

#endif
