/*
 * digilevel/batch.h: a whole cohort of sheets scored on all cores, each enterprise's diagnosis
 * paired with its evaluation by 统一社会信用代码, compared under a policy, and turned into one row
 * per enterprise (or, per sheet, one row per sheet), ready for any writer. What `digilevel batch`
 * and `digilevel cohort` do, for any program (a server, a workbench) that must pair and compare
 * exactly as they do.
 *
 * The life of a batch:
 *
 *   dl_batch_new       start the worker threads (and the cache of questionnaires);
 *   dl_batch_start     start the caller's feed function on a reader thread: it hands over sheets
 *                      with dl_batch_add_file, dl_batch_add_memory, dl_batch_add_stream (a stream
 *                      file of many sheets) and dl_batch_add_failed (an input the caller could not
 *                      read), in the order the rows should follow;
 *   dl_batch_next      take each sheet back, scored (or failed, with its diagnostics), in the order
 *                      it was added whatever the number of threads; then
 *   dl_batch_pair      hand it to the pairing, which keeps only the sheets that stand (below);
 *   dl_batch_finish    compare every enterprise's pair (and render its reports, and write its
 *                      folder of the archive) on all threads;
 *   dl_batch_row_at    read the rows, in order of each enterprise's first sheet, and write them
 *                      with a dl_batch_writer (CSV, JSON Lines) or turn them into a pilot cohort's
 *                      entries with a dl_batch_cohort;
 *   dl_batch_free.
 *
 * Which sheets stand for an enterprise: its diagnosis (or, lacking one, its self-check) is the
 * "before"; between two of one phase the later date stands, and on the same date the later in input
 * order. Its evaluation with the highest acceptance attempt (then the later date, then the later in
 * input order) is the "after". When two sheets of one phase meet, the warning callback says which
 * stands and why (a diagnosis replacing a self-check is the usual course and is not reported).
 *
 * Memory: at most 8 sheets per thread are in flight between dl_batch_add_* and dl_batch_next. A
 * sheet that stands is kept without its parsed form (its path, or a copy of a stream's text) and
 * loaded and scored again by dl_batch_finish, to the same result. With per_sheet nothing is kept.
 *
 * Threading: a dl_batch is driven from one thread (the one that calls dl_batch_next, dl_batch_pair
 * and dl_batch_finish); only the feed function, on the reader thread, calls dl_batch_add_*. The
 * callbacks in dl_batch_options are called on worker threads (questionnaire, report, progress: at
 * the same time, from several) or mostly on the driving thread (warning), as each says.
 *
 * The library prints nothing: diagnostics of a sheet come with the sheet, warnings through the
 * warning callback, per-enterprise problems in the row.
 */
#ifndef DIGILEVEL_BATCH_H
#define DIGILEVEL_BATCH_H

#include "cohort.h"
#include "common.h"
#include "policy.h"
#include "questionnaire.h"
#include "score.h"
#include "sheet.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dl_batch dl_batch;
typedef struct dl_batch_sheet dl_batch_sheet;

/**
 * Find and load the questionnaire a sheet names (id and version). Returns 0 with *out (the batch
 * takes ownership of it), or a negative code with err filled (DL_ENOTFOUND: not available). Called
 * once per edition (past 1024 editions not found, again for each sheet naming one), on a worker
 * thread, never twice at the same time for one batch.
 */
typedef int (*dl_batch_questionnaire_fn)(dl_questionnaire **out, const char *id,
					 const char *version, void *userdata, dl_error *err);

/**
 * A warning: file is the sheet it is about, or NULL when it is about an enterprise or the run;
 * message is one line of plain words, without a newline. Both borrowed: valid only during the call.
 * Called on the driving thread during dl_batch_pair (which sheet stands) and dl_batch_sheet_row,
 * and on dl_batch_finish's threads, several at a time (out of memory: the dimension scores of a
 * sheet are left out).
 */
typedef void (*dl_batch_warning_fn)(const char *file, const char *message, void *userdata);

/**
 * A report rendered by dl_batch_finish: kind is "diagnostic" (the 数字化诊断报告 of the
 * enterprise's before, or of its only sheet) or "acceptance" (the 验收意见, when its pair was
 * compared under the policy); pdf is borrowed for the call. Return 0 when it was written; DL_ENOMEM
 * to count it as not written ("out of memory"); any other negative value when writing failed and no
 * other report should be attempted (the caller has said why). Called on worker threads, several at
 * a time.
 */
typedef int (*dl_batch_report_fn)(const char *code, const char *kind, const unsigned char *pdf,
				  size_t len, void *userdata);

/** done of total enterprises compared (dl_batch_finish). Called on worker threads, in no order. */
typedef void (*dl_batch_progress_fn)(size_t done, size_t total, void *userdata);

/** Options of a batch. Initialise with DL_BATCH_OPTIONS_INIT, then set what you need. */
typedef struct dl_batch_options {
	/** DL_BATCH_OPTIONS_VERSION */
	unsigned version;
	/** worker threads, 1 to 256; 0: dl_batch_default_threads() */
	int threads;
	/** no pairing: dl_batch_sheet_row gives one row per sheet */
	bool per_sheet;
	/** the verdict and subsidy of each pair, or NULL. Borrowed: must outlive the batch */
	const dl_policy *policy;
	/** where the default finder looks ("questionnaires" if NULL) */
	const char *questionnaire_dir;
	/** the finder; NULL: dl_questionnaire_find in questionnaire_dir */
	dl_batch_questionnaire_fn questionnaire;
	void *questionnaire_data;
	/** NULL: warnings are dropped */
	dl_batch_warning_fn warning;
	void *warning_data;
	/** NULL: no reports are rendered */
	dl_batch_report_fn report;
	void *report_data;
	/** the reports' font (dl_report_options.font_path), or NULL */
	const char *font_path;
	/** NULL: none */
	dl_batch_progress_fn progress;
	void *progress_data;
	/**
	 * The archive (一企一档): dl_batch_finish writes one folder per enterprise into this
	 * directory (made if missing; its parent must exist), as described under "the archive"
	 * below. NULL: none. Not with per_sheet. Borrowed: must outlive the batch. (Version 2.)
	 */
	const char *archive_dir;
} dl_batch_options;

/* Version 1 options (without archive_dir) are still accepted. */
#define DL_BATCH_OPTIONS_VERSION 2
#define DL_BATCH_OPTIONS_INIT                                                                      \
	{DL_BATCH_OPTIONS_VERSION, 0, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, \
	 NULL}

/** The number of online CPUs, at least 1 and at most 64. */
DL_EXTERN int dl_batch_default_threads(void);

/**
 * Start a batch: its worker threads wait for sheets. Returns 0; DL_EINVALID (a wrong options
 * version, threads out of range, an archive_dir with per_sheet); DL_ENOMEM (also when no thread can be started). err may be NULL.
 * Caller owns the result; free with dl_batch_free().
 */
DL_EXTERN int dl_batch_new(dl_batch **out, const dl_batch_options *opts, dl_error *err);

/** Stop the workers and free the batch, its questionnaires, kept sheets and rows. Accepts NULL. */
DL_EXTERN void dl_batch_free(dl_batch *b);

/* --- feeding ---------------------------------------------------------------------------------- */

/**
 * The caller's reader: adds the inputs with dl_batch_add_*, in order, on the reader thread, and
 * returns 0, or a negative code to say the inputs were not all added (dl_batch_next then ends as if
 * they were, and dl_batch_feed_status returns the code).
 */
typedef int (*dl_batch_feed_fn)(dl_batch *b, void *userdata);

/**
 * Run feed on a reader thread, once per batch. Returns 0, or DL_ENOMEM when the thread cannot start
 * (nothing was fed), or DL_EINVALID when the batch was started already.
 */
DL_EXTERN int dl_batch_start(dl_batch *b, dl_batch_feed_fn feed, void *userdata);

/**
 * Add a sheet file, read and scored by a worker. Only from the feed function: blocks while as many
 * sheets as the batch holds in flight wait to be taken. Returns 0 or DL_ENOMEM.
 */
DL_EXTERN int dl_batch_add_file(dl_batch *b, const char *path);

/**
 * Add a sheet from memory (copied): name is what diagnostics and rows call it, line the line its
 * text starts on in that file (1 for a whole file, 0 if unknown). Only from the feed function.
 * Returns 0 or DL_ENOMEM.
 */
DL_EXTERN int dl_batch_add_memory(dl_batch *b, const char *xml, size_t len, const char *name,
				  unsigned long line);

/**
 * Add every sheet of a stream file (<answer-sheets>, dl_sheet_stream_open), one at a time. Only
 * from the feed function. Returns 0 when the whole stream was read; 1 when the stream cannot be
 * opened or is broken: err (required) says where, and the sheets before the break were added;
 * DL_ENOMEM when a sheet could not be added (stop feeding).
 */
DL_EXTERN int dl_batch_add_stream(dl_batch *b, const char *path, dl_error *err);

/**
 * Add an input the caller could not read (not a regular file, a directory it cannot list): it comes
 * back from dl_batch_next as a failed sheet with status DL_EIO and message (one line, copied) as
 * its diagnostics. Only from the feed function. Returns 0 or DL_ENOMEM.
 */
DL_EXTERN int dl_batch_add_failed(dl_batch *b, const char *path, const char *message);

/**
 * The next sheet, in the order sheets were added. Blocks until it is scored. Returns 1 with *out
 * (caller owns it; free with dl_batch_sheet_free(), or hand it to dl_batch_pair); 0 when every
 * sheet was taken and the feed function has returned (then the reader thread is joined).
 */
DL_EXTERN int dl_batch_next(dl_batch *b, dl_batch_sheet **out);

/** What the feed function returned (0 until it has), once dl_batch_next has returned 0. */
DL_EXTERN int dl_batch_feed_status(const dl_batch *b);

/* --- one sheet -------------------------------------------------------------------------------- */

/** Free a sheet taken with dl_batch_next. Accepts NULL. */
DL_EXTERN void dl_batch_sheet_free(dl_batch_sheet *s);

/* Borrowed below: valid until dl_batch_sheet_free(). */

/** The file the sheet came from (for a stream, the stream file). */
DL_EXTERN const char *dl_batch_sheet_path(const dl_batch_sheet *s);
/** The line the sheet starts on in a stream or memory text; 0 for a sheet file. */
DL_EXTERN unsigned long dl_batch_sheet_line(const dl_batch_sheet *s);
/** 0 when the sheet was loaded and scored; else DL_EINVALID, DL_EIO, DL_ENOMEM, ... */
DL_EXTERN int dl_batch_sheet_status(const dl_batch_sheet *s);
/**
 * Why a failed sheet failed: every diagnostic as "file:line:column: message" (dl_error_format), one
 * per line, each ending in '\n' (at most 4 KiB in all); NULL when there are none.
 */
DL_EXTERN const char *dl_batch_sheet_errors(const dl_batch_sheet *s);
/** The loaded sheet, its score and its questionnaire; NULL when the sheet failed. */
DL_EXTERN const dl_sheet *dl_batch_sheet_sheet(const dl_batch_sheet *s);
DL_EXTERN const dl_result *dl_batch_sheet_result(const dl_batch_sheet *s);
/** Borrowed: valid until dl_batch_free(). */
DL_EXTERN const dl_questionnaire *dl_batch_sheet_questionnaire(const dl_batch_sheet *s);

/* --- rows ------------------------------------------------------------------------------------- */

/**
 * What a row shows of one sheet. A read-only view: every pointer is borrowed from the row, and the
 * strings are never NULL when present is set ("" when the sheet leaves them out).
 */
typedef struct dl_batch_side {
	/** false: the row has no sheet on this side */
	bool present;
	/** the sheet file (or stream file) */
	const char *file;
	const char *date, *phase, *level_name;
	/** the retrofit's application date (an evaluation), or "" */
	const char *applied;
	/** the questionnaire file the sheet was scored against, and its SHA-256 */
	const char *questionnaire, *questionnaire_sha256;
	/** attempt: the acceptance attempt (0 when none) */
	int level, attempt;
	dl_points total;
	/** dimensions, in questionnaire order */
	size_t dim_count;
	/** dim_count scores */
	const dl_points *dims;
	/** dim_count titles */
	const char *const *dim_titles;
	/**
	 * The scenarios of 数字化经营 at scenario_level or above, the constraint (约束性) ones and the
	 * others (指导性): with the level and the dimension scores, the six result fields a city
	 * platform stores per evaluation. scenario_level is the sheet's level, 1 for level 0.
	 */
	size_t constraint_scenarios, guidance_scenarios;
	int scenario_level;
} dl_batch_side;

/**
 * One enterprise (or, per sheet, one sheet). A read-only view, like dl_batch_side; strings are
 * never NULL unless said. The identity (code, name, industry, scale, tags joined with ';') is the
 * after sheet's when there is one.
 */
typedef struct dl_batch_row {
	const char *code, *name, *industry, *scale, *tags;
	/** "paired", "diagnosis only", "evaluation only", "not compared"; per sheet, the phase */
	const char *status;
	/** under a policy: why the subsidy was granted or not; "not compared": why not; else "" */
	const char *reason;
	/** the policy phase of the subsidy, or "" */
	const char *phase_id;
	/** per sheet, the sheet is after */
	dl_batch_side before, after;
	/** has_verdict: compared under the policy */
	bool has_verdict, passed;
	/** valid when has_verdict: 通过, 不通过 or 限期整改 (passed is verdict == DL_VERDICT_PASS) */
	dl_verdict verdict;
	/** fen; valid when has_verdict */
	int64_t eligible, subsidy;
	/**
	 * Where the before sheet's 企业名称, 细分行业 or 规模 differ from the after's: a bit
	 * (1u << dl_enterprise_field) each, with the before's values (NULL when differences is 0).
	 */
	unsigned differences;
	const char *before_name, *before_industry, *before_scale;
	/**
	 * The warning about differences for people, or NULL: "paired with BEFORE by
	 * 统一社会信用代码 CODE, but they differ (...); the row shows the enterprise as this sheet
	 * does" (about after.file).
	 */
	const char *warning;
	/** a sheet stands on that side (even one that could not be read again: "not compared") */
	bool has_before_sheet, has_after_sheet;
	/** 0, or why the enterprise's reports were not all written (DL_EINVALID: its sheets) */
	int report_rc;
	/** the message of report_rc, or NULL (given for another enterprise, or none) */
	const char *report_error;
	/** reports written (the report callback returned 0) */
	unsigned reports;
	/**
	 * With opts.archive_dir: the enterprise's folder (its name inside the archive directory,
	 * dl_batch_archive_folder); else NULL.
	 */
	const char *archive_folder;
	/**
	 * 0 when the folder was written (a document that could not be made from the sheets is left
	 * out, and report_rc says why); else why it was not, with archive_error: DL_EMISMATCH (the
	 * folder holds a file the archive did not write, or is not a directory), DL_EINVALID (a
	 * sheet's bytes changed after it was scored), DL_EIO (a file could not be read or written, or
	 * the reports could not be rendered at all), DL_ENOMEM.
	 */
	int archive_rc;
	/** the message of archive_rc, in plain words, or NULL */
	const char *archive_error;
	/** files written into the folder, MANIFEST.sha256 included (0 when archive_rc) */
	unsigned archive_files;
} dl_batch_row;

/**
 * Hand a sheet taken with dl_batch_next to the pairing. On success takes ownership of s: a failed
 * sheet, or any sheet when per_sheet is set, is freed; a sheet that does not stand is freed (and,
 * when it meets one of its phase, the warning says which stands); one that stands is kept. Returns
 * 0, or DL_ENOMEM: then the sheet is not paired and the caller still owns it.
 */
DL_EXTERN int dl_batch_pair(dl_batch *b, dl_batch_sheet *s);

/**
 * The row of one scored sheet, for per_sheet batches (any batch, in fact): status is its phase
 * name, after its scores. NULL when the sheet failed or memory ran out. Call while its batch exists
 * (it may warn through it). Borrowed: valid until dl_batch_sheet_free().
 */
DL_EXTERN const dl_batch_row *dl_batch_sheet_row(dl_batch_sheet *s);

/**
 * Make every enterprise's row: load its sheets that stand again, compare the pair under the policy,
 * and render its reports when opts.report is set; on opts.threads threads (this one included).
 * Once, after dl_batch_next returned 0. Problems of one enterprise are in its row. Returns 0, or
 * DL_EINVALID when called twice.
 */
DL_EXTERN int dl_batch_finish(dl_batch *b);

/** The number of rows: enterprises met (0 before dl_batch_finish, and per sheet). */
DL_EXTERN size_t dl_batch_row_count(const dl_batch *b);
/** Row i, in order of each enterprise's first sheet. Borrowed: valid until dl_batch_free(). */
DL_EXTERN const dl_batch_row *dl_batch_row_at(const dl_batch *b, size_t i);

/**
 * Where the before disagrees with the after about the enterprise (row->differences), for people:
 * "name: A → B; scale: ..." into buf (always NUL-terminated, truncated to size). Returns buf.
 */
DL_EXTERN char *dl_batch_row_differences(const dl_batch_row *row, char *buf, size_t size);

/**
 * The subsidies of the rows, added up exactly: *granted enterprises (a verdict with a subsidy above
 * 0) and *total fen. Returns 0, or DL_ELIMIT when the sum does not fit in 64 bits: then *total is
 * not a total (never print it) and *granted still counts. Either pointer may be NULL.
 */
DL_EXTERN int dl_batch_subsidy_total(const dl_batch *b, unsigned long *granted, int64_t *total);

/**
 * The questionnaires the batch has loaded, for a caller that must not overwrite them: i below
 * dl_batch_questionnaire_count(); NULL for an edition that was asked for and not found.
 * Borrowed: valid until dl_batch_free(). Call from the driving thread when no sheet is in flight.
 */
DL_EXTERN size_t dl_batch_questionnaire_count(dl_batch *b);
DL_EXTERN const dl_questionnaire *dl_batch_questionnaire_at(dl_batch *b, size_t i);

/* --- writing the rows -------------------------------------------------------------------------- */

/** The formats of the rows (docs/batch.md has their columns and fields). */
typedef enum dl_batch_format {
	DL_BATCH_CSV = 0,        /**< a header, then one line per row; cells by dl_csv_write_cell */
	DL_BATCH_JSON_LINES = 1, /**< one JSON object per line */
	/**
	 * CSV for a spreadsheet, for people: a UTF-8 byte order mark, Chinese headers and words
	 * (状态: 已配对 …), and text a spreadsheet would take for a number or a date written as the
	 * formula ="TEXT" (a credit code of digits); full dates (YYYY-MM-DD) and numbers as they are.
	 * The header is written with the first row (its dimensions' titles).
	 */
	DL_BATCH_CSV_EXCEL = 2,
	/**
	 * An .xlsx workbook, for people: one worksheet (企业, or per sheet 答卷), Chinese headers,
	 * numbers as number cells (money 0.00, points with their exact digits), dates as date
	 * cells, the header row frozen and filtered. Nothing is written until
	 * dl_batch_writer_finish(), which writes the whole workbook (it is built in a temporary file
	 * in $TMPDIR or /tmp, removed then).
	 */
	DL_BATCH_XLSX = 3
} dl_batch_format;

typedef struct dl_batch_writer dl_batch_writer;

/**
 * Start writing rows in format through write (userdata is passed to it): per_sheet selects the
 * columns of one row per sheet. Nothing is written yet. Returns 0, DL_EINVALID (an unknown format),
 * DL_EIO (DL_BATCH_XLSX: no temporary file can be made) or DL_ENOMEM. Caller owns the result; free with dl_batch_writer_free(). A writer is used from one
 * thread at a time.
 */
DL_EXTERN int dl_batch_writer_new(dl_batch_writer **out, dl_batch_format format, bool per_sheet,
				  dl_write_fn write, void *userdata);

/** Free a writer (what it was handed is written already). Accepts NULL. */
DL_EXTERN void dl_batch_writer_free(dl_batch_writer *w);

/**
 * The CSV header, once, with dims dimension columns per side: in pairing mode the most any row has
 * (a side with fewer leaves the rest empty), before the rows; per sheet, dl_batch_write_sheet_row
 * writes it with the first scored sheet's. Nothing for JSON Lines. Returns 0, or DL_EIO / DL_ENOMEM
 * (the first failure of this writer, kept).
 */
DL_EXTERN int dl_batch_write_header(dl_batch_writer *w, size_t dims);

/** The dimension columns of the CSV, once its header is written; else 0. */
DL_EXTERN size_t dl_batch_writer_dims(const dl_batch_writer *w);

/** One enterprise's row (dl_batch_row_at). Returns as dl_batch_write_header. */
DL_EXTERN int dl_batch_write_row(dl_batch_writer *w, const dl_batch_row *r);

/**
 * Per sheet, the row of one sheet: r its row (dl_batch_sheet_row) when it was scored, with why ""
 * (or NULL); r with a why, an error row that keeps the sheet's identity (a sheet with more
 * dimensions than the CSV's columns, dl_batch_writer_dims: the caller says why); r NULL, the row of
 * a sheet that failed: file and why (its first diagnostic). In CSV, the rows of sheets that failed
 * before the first scored one wait (in memory) for the header. Returns as dl_batch_write_header.
 */
DL_EXTERN int dl_batch_write_sheet_row(dl_batch_writer *w, const dl_batch_row *r, const char *file,
				       const char *why);

/**
 * The end: per sheet, when no sheet was scored, the CSV header (with no dimension columns) and the
 * rows that waited for it; DL_BATCH_XLSX: the workbook, whole. Call it once, after the last row.
 * Returns as dl_batch_write_header.
 */
DL_EXTERN int dl_batch_writer_finish(dl_batch_writer *w);

/* --- the archive: one folder per enterprise (一企一档) ------------------------------------------ */

/*
 * With opts.archive_dir set, dl_batch_finish writes, for each enterprise (on its threads, one
 * enterprise per thread at a time), the folder dl_batch_archive_folder names inside that directory,
 * holding (docs/batch.md has the layout and the rules):
 *
 *   sheet-NN-PHASE.xml   every sheet of the enterprise the batch paired (NN from 01: by date, then
 *                        self-check, diagnosis, evaluation, then acceptance attempt, then input
 *                        order), the exact bytes that were scored (a sheet of a stream file: its
 *                        text in the stream); a file whose bytes no longer have the SHA-256 they
 *                        had when scored is refused (archive_rc DL_EINVALID);
 *   report-KIND.pdf      each enterprise document (the table in batch_documents.c):
 *                        report-diagnostic.pdf (数字化诊断报告 of the before, or of the only sheet),
 *                        report-plan.pdf (数字化改造方案 of the diagnosis; none when the
 *                        questionnaire has no solution catalogue: the index says why),
 *                        report-acceptance.pdf (验收意见, when the pair was compared under a policy),
 *                        byte for byte what the report callback is given;
 *   comparison.json      the pair's comparison (paired enterprises), as dl_comparison_write_json
 *                        (digilevel compare --format json) writes it; without a verdict when there is
 *                        no policy or the policy cannot compare the pair;
 *   materials.csv        under a policy: the acceptance package's materials checklist (UTF-8 with a
 *                        byte order mark, for spreadsheets);
 *   index.txt            索引: the enterprise, its verdict, and each file with its size, SHA-256
 *                        and what it is;
 *   MANIFEST.sha256      "SHA256  NAME" for every other file, for `sha256sum -c MANIFEST.sha256`.
 *
 * Every file goes through a temporary file renamed into place. An existing folder is updated only
 * when every file in it is one its MANIFEST.sha256 lists (or the manifest itself): files listed
 * there and not written again are removed, nothing else is ever touched; otherwise the folder is
 * left as it is and the row says why. The same sheets give byte-identical folders.
 */

/**
 * The name of an enterprise's folder in the archive: the credit code, then "-" and the enterprise's
 * name when the name is safe as a file name on Linux and Windows (1 to 40 characters, none of
 * < > : " / \ | ? * or a control character, not ending in "." or a space); else the code alone.
 * Writes into buf (always NUL-terminated, cut to size; 200 bytes hold any). Returns buf. Reads
 * only its arguments: any thread, any time.
 */
DL_EXTERN char *dl_batch_archive_folder(const char *code, const char *name, char *buf, size_t size);

/* --- a cohort from a batch -------------------------------------------------------------------- */

/**
 * The join between a batch and a pilot cohort (cohort.h), as `digilevel cohort` makes it: the rows
 * carry identity, levels, dates, verdict and subsidy, but not the tags of the sheets before the
 * retrofit, the investment categories, or which edition each sheet answers; so every scored sheet
 * is noted on its way to the pairing (a few strings per sheet), and each final row becomes a
 * dl_cohort_entry with them. A sheet answering another edition than the cohort's questionnaire is
 * not counted: the warning callback says so (file: the sheet).
 */
typedef struct dl_batch_cohort dl_batch_cohort;

/**
 * Start a join for cohort (borrowed: must outlive the join); warning (may be NULL) is called on the
 * calling thread. Returns 0 or DL_ENOMEM. Caller owns the result; free with dl_batch_cohort_free().
 */
DL_EXTERN int dl_batch_cohort_new(dl_batch_cohort **out, dl_cohort *cohort,
				  dl_batch_warning_fn warning, void *userdata);

/**
 * Note what the rows leave out of a sheet taken with dl_batch_next: call for every sheet, before
 * dl_batch_pair (failed sheets are ignored). Memory running out is a warning (some targets may be
 * counted short), once.
 */
DL_EXTERN void dl_batch_cohort_note_sheet(dl_batch_cohort *c, const dl_batch_sheet *s);

/**
 * The cohort entry of one final row (dl_batch_row_at), for dl_cohort_add. Returns 0 with *entry
 * (borrowed: valid until the next call or dl_batch_cohort_free()); DL_ENOMEM; or the code of
 * dl_cohort_entry_* when a text or list of the row is over its limit (DL_COHORT_TEXT_MAX, ...).
 */
DL_EXTERN int dl_batch_cohort_entry(dl_batch_cohort *c, const dl_batch_row *row,
				    const dl_cohort_entry **entry);

/** Free the join (not the cohort). Accepts NULL. */
DL_EXTERN void dl_batch_cohort_free(dl_batch_cohort *c);

#ifdef __cplusplus
}
#endif

#endif
