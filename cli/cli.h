/*
 * cli.h: what the digilevel commands share: option parsing, diagnostics on stderr, finding
 * questionnaires, writing output, and the exit codes.
 *
 * Exit codes (documented in README and the man page): 0 success, 1 invalid input, 2 usage error,
 * 3 I/O or system error.
 */
#ifndef DL_CLI_H
#define DL_CLI_H

#include <digilevel.h>

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_SYSTEM = 3 };

/** One command-line option: --name VALUE (or --name=VALUE), or a --name flag. */
typedef struct cli_option {
	const char *name;
	const char **value; /* for options that take a value */
	bool *flag;         /* for flags */
} cli_option;

/**
 * Parse argv[1..] (argv[0] is the command name). Options may come anywhere; "--" ends them.
 * -h, -j N (or -jN) and -o FILE are the short forms of --help, --jobs and --output wherever the
 * command has that long option.
 * Positional arguments are gathered into argv from index 0 and their count returned; -1 after
 * printing a usage error.
 */
int cli_parse(int argc, char **argv, const cli_option *options, size_t count, const char *usage);

/** Print a usage error for the command (escaped as by cli_line) and return EXIT_USAGE. */
int cli_usage_error(const char *usage, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/** Load options whose diagnostics are printed on stderr as "file:line:column: message". */
dl_load_options cli_load_options(void);

/**
 * Print one line (printf-style, without its '\n') on f with every control character, bidi control and
 * byte that is not UTF-8 escaped (dl_error_escape): a path or text an input controls can never start
 * a line of its own or drive the terminal. Every line naming a file goes through here or through
 * cli_print_error.
 */
void cli_line(FILE *f, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/** Print one diagnostic on stderr. */
void cli_print_error(const dl_error *err);

/** Map a library error code to an exit code. */
int cli_exit_code(int rc);

/**
 * Load the questionnaire a sheet names: from --questionnaires DIR (only there), else
 * $DIGILEVEL_QUESTIONNAIRES, ./questionnaires, then the folders that come with the program: the
 * checkout beside the executable (../questionnaires), ../share/digilevel/questionnaires beside it,
 * and the installed DL_DATADIR/questionnaires. dir may be NULL. When it is found in a folder the user
 * chose and the one that comes with the program differs (SHA-256), a warning on stderr names both.
 * DL_ENOTFOUND: err (no file) names every folder searched and what each holds, and the options.
 */
int cli_questionnaire_for(dl_questionnaire **out, const char *dir, const char *id,
			  const char *version, dl_error *err);

/**
 * Load a questionnaire named by path, or by id ("miit-2024") or id:version in the search path.
 * Every problem is printed on stderr (once).
 */
int cli_questionnaire_named(dl_questionnaire **out, const char *dir, const char *name,
			    dl_error *err);

/**
 * Load the sheet at path and the questionnaire it names (search path as above). Problems are printed
 * on stderr. Returns 0 or a library error code; a questionnaire that cannot be found is DL_EINVALID
 * (the sheet names something unknown). Caller frees both.
 */
int cli_load_sheet(const char *path, const char *dir, dl_sheet **sheet, dl_questionnaire **q);

/**
 * After writing a command's output to stdout with cli_write_file (rc: what the writer returned):
 * flush stdout if rc is 0, say on stderr why the output failed (DL_EIO: the write's errno, such as
 * "No space left on device"; DL_ENOMEM), and return rc, or DL_EIO when only the flush failed.
 */
int cli_finish_stdout(int rc);

/** A dl_write_fn writing to a FILE *. */
int cli_write_file(void *userdata, const char *data, size_t len);

/* --- output files (output_file.c) ------------------------------------------------------------- */

/** An output file being written: through a temporary file renamed at the end (docs/batch.md). */
typedef struct cli_output {
	FILE *f;
	const char *path; /* borrowed */
	char *target;     /* what the symbolic link path names (owned), or NULL: path itself */
	char *tmp;        /* the temporary file, or NULL (standard output, a device, a FIFO) */
	int slot;         /* where tmp is registered for removal on a signal, or -1 */
} cli_output;

/**
 * Once, before any thread starts (main): read the umask (the mode of new outputs) and catch SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT so that they remove the temporary files of outputs being written.
 */
void cli_output_init(void);
/**
 * Start writing path: "-" is standard output; an existing character device or FIFO is written
 * directly (a FIFO only if something reads it already: never waits); a symbolic link is written
 * through (the file it names is replaced); anything else through a temporary file beside the file
 * replaced, which keeps its mode. Returns EXIT_OK, or EXIT_SYSTEM after a message on stderr.
 */
int cli_output_open(cli_output *o, const char *path);
/** Flush, sync and rename into place. Returns EXIT_OK, or EXIT_SYSTEM after a message (no file left). */
int cli_output_commit(cli_output *o);
/** Give up: close and remove the temporary file. */
void cli_output_abort(cli_output *o);
/** Write all of data to path as above. Returns EXIT_OK or EXIT_SYSTEM after a message. */
int cli_write_output(const char *path, const void *data, size_t len);
/* --- outputs never over inputs (output_guard.c) ------------------------------------------------ */

/** How a path is known: its device and inode, or (not made yet) its directory's and its name. */
typedef struct cli_file_id {
	bool exists, is_dir, parent_known;
	dev_t dev, parent_dev;
	ino_t ino, parent_ino;
	const char *base; /* points into the path */
	size_t base_len;
} cli_file_id;

/** A file a command reads or writes. */
typedef struct cli_file {
	const char *role; /* in messages: "--csv", "the policy", "an input" (borrowed) */
	const char *path; /* borrowed */
	bool output;
	/* an output directory: its files whose names end in one of these (NULL-terminated) are outputs */
	const char *const *suffixes;
	cli_file_id id;   /* taken when added */
} cli_file;

/** Everything a command reads and writes; start it as {0}. */
typedef struct cli_files {
	cli_file *v;
	size_t len, cap;
} cli_files;

/**
 * Register a file the command reads (output false) or writes; NULL and "-" are ignored. Returns
 * EXIT_OK, or EXIT_SYSTEM after a message when memory ran out. role and path must outlive f.
 */
int cli_files_add(cli_files *f, const char *role, const char *path, bool output);
/**
 * Register a directory the command writes files into, named NAME followed by one of suffixes
 * (NULL-terminated, borrowed), such as batch --reports DIR's CODE-diagnostic.pdf: an input or
 * another output there whose name ends in a suffix is refused as if it were one of them.
 */
int cli_files_add_output_dir(cli_files *f, const char *role, const char *dir, const char *const *suffixes);
/**
 * EXIT_OK, or EXIT_USAGE after a usage error when an output is one of the inputs or another output
 * (the same path, the same device and inode, or the same directory and name), or an *.xml file in
 * an input directory. Call it before anything is written, and again after adding inputs found late
 * (the questionnaires loaded).
 */
int cli_files_check(const cli_files *f, const char *usage);
/** The output that path names (as cli_files_check judges), or NULL; f may be NULL. */
const cli_file *cli_files_output_at(const cli_files *f, const char *path);
void cli_files_free(cli_files *f);

/** Parse "text" or "json"; returns false for anything else. */
bool cli_format_is_json(const char *format, bool *ok);

/* The commands: each returns an exit code. */
int cmd_validate(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_cohort(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
