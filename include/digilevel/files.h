/*
 * digilevel/files.h: writing a program's output files as `digilevel` does: never half a file, and
 * never over one of the program's inputs. For any program that writes what the library makes (a
 * server saving reports, a workbench exporting rows) and must keep the same promises.
 *
 * dl_output_file: a regular file (or a new one) is written as a temporary file ".NAME.XXXXXX" in the
 * same directory and renamed over the target once every byte is on disk, so a failure (full disk,
 * killed process) leaves the old file or none, never a partial one.
 *
 * - "-" is standard output.
 * - A file that is replaced keeps its permission bits; a new one gets 0666 less the umask, read once
 *   by dl_output_file_setup (umask cannot be read without setting it, so reading it while other
 *   threads make files would race with them).
 * - A symbolic link is written through: the file it names is replaced and the link stays a link. A
 *   link to nothing is refused.
 * - When NAME is too long for the temporary name to fit in NAME_MAX, NAME is shortened in the
 *   temporary name (never in the result).
 * - A character device (/dev/null, a terminal) or a FIFO cannot be replaced by a rename, so it is
 *   written directly; a FIFO only when something reads it already (never waits). Anything else that
 *   is not a regular file (a directory, a socket, a block device) is refused.
 * - After dl_output_file_setup, SIGINT, SIGTERM, SIGHUP and SIGQUIT remove the temporary files being
 *   written (unlink only: async-signal-safe) and then end the process as the signal would have.
 *
 * dl_file_guard: the files a program reads and the files it writes, so that no output replaces an
 * input or another output. Two paths name the same file when they are the same string, when both
 * exist and have the same device and inode (a hard link, a symbolic link, "./x" and "x"), or when
 * their directories have the same device and inode and their last components are equal (an output
 * not made yet). An output named *.xml inside an input directory is refused too (it would be read as
 * a sheet next time), and so is any input or output inside an output directory whose name ends as
 * the files written there do, or anywhere inside an output tree.
 *
 * Errors: DL_EIO with err->file the path (cut to DL_ERROR_FILE_MAX) and err->message why, without
 * the path ("No space left on device", "it is a directory"), so that a program can word the line
 * ("cannot write 'PATH': why"); DL_ENOMEM. The library prints nothing.
 */
#ifndef DIGILEVEL_FILES_H
#define DIGILEVEL_FILES_H

#include "common.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- output files ----------------------------------------------------------------------------- */

typedef struct dl_output_file dl_output_file;

/**
 * Once, before any thread starts (in main): read the umask (the mode of new files) and catch SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT (unless they are ignored, as under nohup) so that they remove the
 * temporary files of outputs being written. Without it, signals are left alone and the umask is read
 * at the first dl_output_file_open (correct only while the program has one thread). Not thread-safe;
 * later calls do nothing.
 */
DL_EXTERN void dl_output_file_setup(void);

/**
 * Start writing path as described above. Returns 0; DL_EIO (err says why: not writable, a
 * directory, a FIFO nothing reads, a link to nothing, not a file name) or DL_ENOMEM. err may be NULL.
 * Caller owns the result; end it with dl_output_file_commit() or dl_output_file_abort().
 * Threading: any thread may write its own files; one file is used by one thread at a time.
 */
DL_EXTERN int dl_output_file_open(dl_output_file **out, const char *path, dl_error *err);

/**
 * A dl_write_fn: write len bytes of data to the dl_output_file file. Returns 0, or -1 when writing
 * failed (dl_output_file_commit then says why).
 */
DL_EXTERN int dl_output_file_write(void *file, const char *data, size_t len);

/**
 * Flush, sync and rename the file into place (standard output: flush it), and free f. Returns 0, or
 * DL_EIO when any write failed or the file cannot be put in place: then no temporary file is left
 * and the target is as it was.
 */
DL_EXTERN int dl_output_file_commit(dl_output_file *f, dl_error *err);

/** Give up: close and remove the temporary file, and free f. Accepts NULL. */
DL_EXTERN void dl_output_file_abort(dl_output_file *f);

/** Write all of data to path as above (open, write, commit). Returns as dl_output_file_commit. */
DL_EXTERN int dl_output_file_save(const char *path, const void *data, size_t len, dl_error *err);

/* --- outputs never over inputs ---------------------------------------------------------------- */

typedef struct dl_file_guard dl_file_guard;

/**
 * An empty guard. Returns 0 or DL_ENOMEM. Caller owns the result; free with dl_file_guard_free().
 * A guard is used by one thread at a time; dl_file_guard_output_at only reads it, so several threads
 * may call it at once when no file is being added.
 */
DL_EXTERN int dl_file_guard_new(dl_file_guard **out);

/** Free the guard. Accepts NULL. */
DL_EXTERN void dl_file_guard_free(dl_file_guard *g);

/**
 * Add a file the program reads (output false) or writes; role names it in messages ("--csv", "the
 * policy"). NULL, "" and "-" (standard input or output) are ignored. The path is identified now
 * (device and inode, or its directory's and its name). role and path are copied. Returns 0 or
 * DL_ENOMEM.
 */
DL_EXTERN int dl_file_guard_add(dl_file_guard *g, const char *role, const char *path, bool output);

/**
 * Add a directory the program writes files into, named NAME followed by one of suffixes (a
 * NULL-terminated list, borrowed: must outlive the guard), such as CODE-diagnostic.pdf: an input or
 * another output there whose name ends in a suffix is refused as if it were one of them. Returns 0
 * or DL_ENOMEM.
 */
DL_EXTERN int dl_file_guard_add_output_dir(dl_file_guard *g, const char *role, const char *dir,
					   const char *const *suffixes);

/**
 * Add a directory the program writes a whole tree into (a folder per enterprise: `batch
 * --archive`): an input or another output that is the directory or lies inside it, at any depth,
 * is refused (dl_file_guard_check, and dl_file_guard_output_at for inputs found later, with
 * *into_dir true). Directories are compared by device and inode, climbing from the file's
 * directory through ".." at most 128 levels. Returns 0 or DL_ENOMEM.
 */
DL_EXTERN int dl_file_guard_add_output_tree(dl_file_guard *g, const char *role, const char *dir);

/**
 * 0 when no output is one of the inputs or another output; DL_EMISMATCH when one is, with a line for
 * people in message (always NUL-terminated, cut to size): "--csv 'a.xml' is the input 'a.xml': an
 * output never replaces an input; write it to another file". Call it before anything is written,
 * and again after adding inputs found later (the questionnaires loaded).
 */
DL_EXTERN int dl_file_guard_check(const dl_file_guard *g, char *message, size_t size);

/**
 * Whether path (an input found later: a file in a directory, a path on a list) is one of the
 * outputs, as dl_file_guard_check judges. Returns 1 with *role and *output (borrowed: valid until
 * dl_file_guard_free()) naming that output, and *into_dir true when it is a file written into an
 * output directory; else 0. g may be NULL (0).
 */
DL_EXTERN int dl_file_guard_output_at(const dl_file_guard *g, const char *path, const char **role,
				      const char **output, bool *into_dir);

#ifdef __cplusplus
}
#endif

#endif
