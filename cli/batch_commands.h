/*
 * batch_commands.h: the CLI's side of `digilevel batch` and `digilevel cohort`: reading the inputs
 * (files, directories, streams, a list on stdin) into a dl_batch, and printing what comes out of it
 * (the rows as CSV and JSON Lines, diagnostics and warnings, reports written into a directory, the
 * summary). Scoring, pairing and the rows are the library's (include/digilevel/batch.h).
 */
#ifndef DL_CLI_BATCH_COMMANDS_H
#define DL_CLI_BATCH_COMMANDS_H

#include "cli.h"

/* --- inputs (batch_inputs.c) ------------------------------------------------------------------ */

/** Called with every scored (or failed) sheet, in input order. Takes ownership of s. */
typedef void (*batch_take_fn)(dl_batch *batch, dl_batch_sheet *s, void *userdata);

/** How the inputs are read. */
typedef struct batch_input_options {
	bool follow_symlinks; /* follow symbolic links to directories found inside directories */
	const cli_files
	    *files; /* the command's outputs: an input that is one of them stops the run */
} batch_input_options;

/**
 * Read the inputs (sheet files, directories, stream files, "-" for a list of paths on stdin) as the
 * feed of batch, and hand each sheet to take, in input order, with a progress line on stderr when
 * it is a terminal. Each directory and each file is read once, however many names lead to it
 * (device and inode); only regular files are opened: anything else (a FIFO, a device) comes back as
 * a failed sheet, and so does a directory that cannot be read. What was skipped (a file or
 * directory met again, a symbolic link to a directory) and broken streams are reported on stderr at
 * the end, and the number of broken streams stored in *broken_streams. Returns 0; DL_ENOMEM when
 * memory ran out reading the inputs (or the reader thread cannot start); DL_EMISMATCH when an input
 * is one of opts->files' outputs. After a message on stderr, and then the command must write
 * nothing.
 */
int batch_run_inputs(dl_batch *batch, char **paths, int count, const batch_input_options *opts,
		     batch_take_fn take, void *userdata, unsigned long *broken_streams);

/** Parse the argument of -j: a number of threads from 1 to 256. Returns 0 or -1. */
int batch_parse_threads(const char *text, int *threads);

/** A dl_batch_questionnaire_fn finding questionnaires as every command does (cli_questionnaire_for;
 *  userdata: the --questionnaires DIR or NULL). */
int batch_find_questionnaire(dl_questionnaire **out, const char *id, const char *version,
			     void *userdata, dl_error *err);

/** The output of files that is one of the questionnaires batch loaded, or NULL; its path in
 *  *questionnaire (borrowed from the batch). */
const cli_file *batch_questionnaire_output(dl_batch *batch, const cli_files *files,
					   const char **questionnaire);

/* --- output (batch_output.c) ------------------------------------------------------------------ */

typedef struct batch_output batch_output;

/** Called for every enterprise's final row, in output order, before the files are closed. */
typedef void (*batch_row_fn)(const dl_batch_row *row, void *userdata);

/** What to write, and how. */
typedef struct batch_output_options {
	const char *csv;   /* a file, "-" (standard output) or NULL */
	const char *jsonl; /* likewise; with both NULL the CSV goes to standard output... */
	bool no_rows;	   /* ...unless no_rows: then no rows are written (only visited) */
	bool per_sheet;	   /* one row per sheet, nothing kept (no pairing, no reports) */
	bool policy;	   /* the batch has a policy: the summary gives the subsidies */
	const char
	    *reports_dir; /* write each enterprise's PDF reports there (made if missing), or NULL */
	const char *command; /* the first word of the summary: "batch" or "cohort" */
} batch_output_options;

/**
 * Start the outputs (files are written through a temporary file and renamed at close, see
 * cli_output_open). Returns 0, or DL_EIO / DL_EINVALID / DL_ENOMEM after a message.
 */
int batch_output_open(batch_output **out, const batch_output_options *opts);
/** Set what the batch needs to print through this output: warnings, reports, progress, per_sheet.
 */
void batch_output_batch_options(const batch_output *b, dl_batch_options *opts);
/** Take a scored (or failed) sheet, in input order: print its problems, write or pair it. Takes s.
 */
void batch_output_add(batch_output *b, dl_batch *batch, dl_batch_sheet *s);
/**
 * Finish batch (compare every pair and write its reports, on all its threads), write the rows in
 * order of first appearance, visit each, print the summary (stderr), move the files into place and
 * free the output. Returns the exit code: 0; 1 when some sheet or stream failed (broken_streams
 * adds to it), the subsidies cannot be added up, or a report could not be made from its sheets; 3
 * when writing failed.
 */
int batch_output_close(batch_output *b, dl_batch *batch, unsigned long broken_streams,
		       batch_row_fn visit, void *userdata);
/** Free without writing anything more (after an error). Accepts NULL. */
void batch_output_discard(batch_output *b);

#endif
