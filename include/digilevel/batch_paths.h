/*
 * digilevel/batch_paths.h: a dl_batch fed from paths, as `digilevel batch` and `digilevel cohort`
 * read their inputs: sheet files, directories of them (their *.xml and *.xlsx files, in name
 * order), stream files of many sheets (<answer-sheets>, told by their root element), and "-" for a
 * list of paths, one a line, read from a stream (the program's standard input).
 *
 * Nothing is read twice and nothing blocks: every directory and every file is known by device and
 * inode, and one met again (a link to ".", a hard link, a path given twice) is skipped with a note;
 * symbolic links to directories found inside a directory are followed only when asked; only regular
 * files are opened, anything else (a FIFO, a device, a directory that cannot be listed) comes back
 * from dl_batch_next as a failed sheet saying why. A broken stream is noted and the sheets before
 * its break are scored. A file that is one of the program's outputs (a dl_file_guard, files.h)
 * stops the feed before any output is moved into place, and so does running out of memory: an
 * input is never dropped silently.
 *
 * Use:
 *
 *   dl_batch_paths_new(&p, paths, count, &opts);
 *   dl_batch_start(batch, dl_batch_paths_feed, p);
 *   while (dl_batch_next(batch, &s) > 0) ...;
 *   then read dl_batch_paths_notes, _stream_errors, _broken_streams and _failure, and free p.
 *
 * Threading: dl_batch_paths_feed runs on the batch's reader thread; read the results on the driving
 * thread once dl_batch_next has returned 0 (the reader thread is joined then).
 */
#ifndef DIGILEVEL_BATCH_PATHS_H
#define DIGILEVEL_BATCH_PATHS_H

#include "batch.h"
#include "common.h"
#include "files.h"

#include <stdbool.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dl_batch_paths dl_batch_paths;

/** How the paths are read. Initialise with DL_BATCH_PATHS_OPTIONS_INIT. */
typedef struct dl_batch_paths_options {
	/** DL_BATCH_PATHS_OPTIONS_VERSION */
	unsigned version;
	/** follow symbolic links to directories found inside directories */
	bool follow_symlinks;
	/** where the path "-" reads its list of paths from (stdin), or NULL: "-" is a file name */
	FILE *list;
	/** the program's outputs: an input that is one of them stops the feed, or NULL. Borrowed */
	const dl_file_guard *guard;
} dl_batch_paths_options;

#define DL_BATCH_PATHS_OPTIONS_VERSION 1
#define DL_BATCH_PATHS_OPTIONS_INIT {DL_BATCH_PATHS_OPTIONS_VERSION, false, NULL, NULL}

/**
 * Prepare to feed paths[0..count) with opts (NULL: the defaults). The array, its strings and
 * opts->guard are borrowed: they must stay valid until the feed has returned. Returns 0, DL_EINVALID
 * (options of another version) or DL_ENOMEM. Caller owns the result; free with
 * dl_batch_paths_free().
 */
DL_EXTERN int dl_batch_paths_new(dl_batch_paths **out, const char *const *paths, size_t count,
				 const dl_batch_paths_options *opts);

/**
 * A dl_batch_feed_fn: pass it to dl_batch_start with the dl_batch_paths as userdata. Adds every
 * sheet, in order. Returns 0; DL_ENOMEM (memory ran out reading the inputs) or DL_EMISMATCH (an
 * input is one of the guard's outputs): then dl_batch_paths_failure says why and the program should
 * write nothing.
 */
DL_EXTERN int dl_batch_paths_feed(dl_batch *b, void *paths);

/**
 * What was skipped and why (a file or directory met again, a symbolic link to a directory), one
 * "path: message" line each, escaped as dl_error_format does, each ending in '\n'; NULL when
 * nothing was. Borrowed: valid until dl_batch_paths_free().
 */
DL_EXTERN const char *dl_batch_paths_notes(const dl_batch_paths *p);

/** The broken streams (or streams that cannot be opened), one diagnostic line each as above. */
DL_EXTERN const char *dl_batch_paths_stream_errors(const dl_batch_paths *p);

/** How many streams were broken. */
DL_EXTERN unsigned long dl_batch_paths_broken_streams(const dl_batch_paths *p);

/** Why the feed stopped (one line, without '\n'), or NULL when it did not. Borrowed, as above. */
DL_EXTERN const char *dl_batch_paths_failure(const dl_batch_paths *p);

/** Free p (after the feed has returned). Accepts NULL. */
DL_EXTERN void dl_batch_paths_free(dl_batch_paths *p);

#ifdef __cplusplus
}
#endif

#endif
