/*
 * batch_rows.h: pairing scored sheets by enterprise and writing the rows of `digilevel batch`.
 */
#ifndef DL_BATCH_ROWS_H
#define DL_BATCH_ROWS_H

#include "batch.h"

#include <digilevel/policy.h>

/* What a row shows of one scored sheet: its file, dates, level and scores (every dimension, in
 * questionnaire order: 数字化基础, 数字化管理, 数字化成效 in the 2024 edition). */
typedef struct batch_side {
	bool present;
	char *file, *date, *phase, *level_name, *applied;
	char *questionnaire, *questionnaire_sha256; /* the file the sheet was scored with, its SHA-256 */
	int level, attempt;
	dl_points total;
	dl_points *dims;   /* dim_count scores (owned) */
	char **dim_titles; /* dim_count titles (owned) */
	size_t dim_count;
} batch_side;

/* One enterprise (or, with --per-sheet, one sheet): identity, before and after, and the verdict
 * under the policy. status is "paired", "diagnosis only", "evaluation only" or "not compared".
 * differences says where the before sheet's 企业名称, 细分行业 or 规模 differ from the after
 * sheet's (whose identity the row shows): a bit (1u << field) each, with the before's values. */
typedef struct batch_row {
	char *code, *name, *industry, *scale, *tags, *status, *reason, *phase_id;
	batch_side before, after;
	bool has_verdict, passed;
	int64_t eligible, subsidy;
	unsigned differences;
	char *before_name, *before_industry, *before_scale;
} batch_row;

typedef struct batch_rows batch_rows;

/** The money of the summary (batch_totals.c). Start it as {0}. */
typedef struct batch_totals {
	unsigned long subsidies; /* enterprises granted a subsidy */
	int64_t subsidy_total;   /* their sum in fen, valid only while !overflow */
	bool overflow;           /* the sum does not fit in int64_t: no total can be given */
} batch_totals;

/** Add a row's subsidy (if granted) exactly. Returns false once the total overflows. */
bool batch_totals_add(batch_totals *t, const batch_row *r);

/** Called for every enterprise's final row, in output order, before the files are closed. */
typedef void (*batch_row_fn)(const batch_row *row, void *userdata);

/** What to write, and how. */
typedef struct batch_rows_options {
	const char *csv;         /* a file, "-" (standard output) or NULL */
	const char *jsonl;       /* likewise; with both NULL the CSV goes to standard output... */
	bool no_rows;            /* ...unless no_rows: then no rows are written (only visited) */
	bool per_sheet;          /* one row per sheet, nothing kept (no pairing, no reports) */
	const dl_policy *policy; /* the verdict and subsidy of each pair, or NULL */
	const char *reports_dir; /* write each enterprise's PDF reports there (made if missing), or NULL */
	const char *font;        /* the reports' font, or NULL for the default search */
	int threads;             /* threads for the comparisons and reports at the end */
	const char *command;     /* the first word of the summary: "batch" or "cohort" */
} batch_rows_options;

/**
 * Start the outputs (files are written through a temporary file and renamed at close, see
 * cli_output_open). Returns 0, or DL_EIO / DL_EINVALID / DL_ENOMEM after a message.
 */
int batch_rows_open(batch_rows **out, const batch_rows_options *opts);
/** Take a scored (or failed) sheet, in input order. Takes ownership of job. */
void batch_rows_add(batch_rows *rows, batch_job *job);
/**
 * Compare every enterprise's pair and render its reports (on opts.threads threads), write the rows
 * in order of first appearance, visit each, print the summary (stderr), move the files into place
 * and free everything. Returns the exit code: 0; 1 when some sheet or stream failed
 * (broken_streams adds to it) or a report could not be made from its sheets; 3 when writing failed.
 */
int batch_rows_close(batch_rows *rows, unsigned long broken_streams, batch_row_fn visit,
		     void *userdata);
/** Free without writing anything more (after an error). Accepts NULL. */
void batch_rows_discard(batch_rows *rows);

#endif
