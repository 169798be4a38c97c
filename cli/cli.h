/*
 * cli.h: what the digilevel commands share: option parsing, diagnostics on stderr, finding
 * questionnaires, the files a command reads and writes, and the exit codes; and what `digilevel
 * batch` and `digilevel cohort` share (batch_commands.c): running a dl_batch over the paths given
 * and printing what comes out of it.
 *
 * Exit codes (documented in README and the man page): 0 success, 1 invalid input, 2 usage error,
 * 3 I/O or system error.
 */
#ifndef DL_CLI_H
#define DL_CLI_H

#include <digilevel.h>

#include <stdbool.h>
#include <stdio.h>

/* A message for translation (docs/messages.md): _() translates it, N_() only marks a table entry. */
#define _(msgid) dl_translate(msgid)
#define N_(msgid) msgid

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_SYSTEM = 3 };

/** One command-line option: --name VALUE (or --name=VALUE), or a --name flag. */
typedef struct cli_option {
	const char *name;
	const char **value; /* for options that take a value */
	bool *flag;         /* for flags */
	unsigned need;      /* a shared option: the OPT_* a command names to take it; its own: 0 */
} cli_option;

/** The options several commands share, which a command takes by naming them in cli_command.shared. */
enum {
	OPT_DIR = 1 << 0,    /* --questionnaires DIR */
	OPT_JOBS = 1 << 1,   /* -j N, --jobs N: threads from 1 to 256 */
	OPT_OUTPUT = 1 << 2, /* -o FILE, --output FILE */
	OPT_POLICY = 1 << 3, /* --policy FILE */
	OPT_FONT = 1 << 4,   /* --font FILE */
	OPT_TARGET = 1 << 5, /* --target LEVEL: a level from 0 to 9 */
	OPT_FOLLOW = 1 << 6  /* --follow-symlinks */
};

/**
 * A command: its usage line, its --help text, the options it takes. usage, help and format_error are
 * English msgids marked with N_() (docs/messages.md): cli_parse and cli_usage_error translate them.
 */
typedef struct cli_command {
	const char *usage;
	const char *help;  /* printed by --help: a printf format given usage, then DL_DATADIR (if it
			      wants it: the folder of the questionnaires, policies and examples) */
	unsigned shared;   /* OPT_* */
	const char *const *formats; /* what --format takes (NULL-terminated, the default first), or NULL */
	const char *format_error;   /* the usage error for another --format, given it */
	cli_option *options; /* the command's own, count of them */
	size_t count;
} cli_command;

/** A command's run: what cli_parse read of the shared options, and what the command loads. */
typedef struct cli_args {
	const char *dir, *output, *policy_path, *font; /* NULL when not given */
	int format;          /* index in cli_command.formats */
	int threads;         /* -j, or dl_batch_default_threads() */
	int target;          /* --target, or -1 */
	bool follow_symlinks;
	int exit;            /* when cli_parse returns -1: the exit code */
	/* what the command loads (NULL until then), freed by cli_end */
	dl_file_guard *files;
	dl_questionnaire *q;
	dl_sheet *sheet, *after; /* a sheet, or the sheets before and after a retrofit */
	dl_policy *policy;
	dl_result *result;
	dl_comparison *comparison;
} cli_args;

/**
 * Parse argv[1..] (argv[0] is the command name). Options may come anywhere; "--" ends them. -h,
 * -j N (or -jN) and -o FILE are the short forms of --help, --jobs and --output wherever the command
 * has that long option. Then --help is printed, and --format, -j and --target checked, in that
 * order. Positional arguments are gathered into argv from index 0 and their count returned; -1 with
 * a->exit set after --help (EXIT_OK) or a usage error (EXIT_USAGE).
 */
int cli_parse(int argc, char **argv, const cli_command *cmd, cli_args *a);

/** Free what a holds and return exit (an exit code). */
int cli_end(cli_args *a, int exit);

/**
 * Print a usage error for the command (escaped as by cli_line), then the usage line (a msgid,
 * translated here), and return EXIT_USAGE. fmt is translated by the caller: _("...").
 */
int cli_usage_error(const char *usage, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/** The folder the running program is in (/proc/self/exe without its name) into buf; false if unknown. */
bool cli_program_dir(char *buf, size_t size);

/**
 * Choose the language of messages (--lang, else the environment) and bind the Chinese catalogue
 * (cli/language.c); remove --lang from argv. Returns EXIT_OK, or EXIT_USAGE after printing why.
 */
int cli_language_setup(int *argc, char **argv);

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
 * A dl_batch_questionnaire_fn: load the questionnaire a sheet names from --questionnaires DIR
 * (userdata; only there), else $DIGILEVEL_QUESTIONNAIRES, ./questionnaires, then the folders that
 * come with the program: the checkout beside the executable (../questionnaires),
 * ../share/digilevel/questionnaires beside it, and the installed DL_DATADIR/questionnaires. When it
 * is found in a folder the user chose and the one that comes with the program differs (SHA-256), a
 * warning on stderr names both. DL_ENOTFOUND: err (no file) names every folder searched and what
 * each holds, and the options. Every command finds its questionnaires so.
 */
int cli_find_questionnaire(dl_questionnaire **out, const char *id, const char *version,
			   void *userdata, dl_error *err);

/**
 * cli_find_questionnaire, for the file at path that names the questionnaire: not found is bad input
 * (DL_EINVALID), after "PATH: the questionnaire WHAT is not available: ..." on stderr. what is a
 * msgid marked with N_() ("it answers"), translated here.
 */
int cli_questionnaire_of(dl_questionnaire **out, const char *path, const char *what,
			 const char *dir, const char *id, const char *version);

/**
 * Load a questionnaire named by path, or by id ("miit-2024") or id:version in the search path.
 * Every problem is printed on stderr (once).
 */
int cli_questionnaire_named(dl_questionnaire **out, const char *dir, const char *name);

/**
 * Load the sheet at path and the questionnaire it names (search path as above). Problems are printed
 * on stderr. Returns 0 or a library error code; a questionnaire that cannot be found is DL_EINVALID
 * (the sheet names something unknown). Caller frees both.
 */
int cli_load_sheet(const char *path, const char *dir, dl_sheet **sheet, dl_questionnaire **q);

/**
 * Load the sheets before (paths[0]) and after (paths[1]) a retrofit into a->sheet and a->after and
 * the policy (if a->policy_path), all three even when one fails so that every problem is printed
 * at once; check that the sheets belong together, find the questionnaire the after sheet answers
 * and compare (a->comparison). Returns 0 or a library error code after printing every problem.
 */
int cli_load_pair(char **paths, cli_args *a);

/** The usage error of a --target level that questionnaire q has no grade for; else EXIT_OK. */
int cli_check_target(const char *usage, const dl_questionnaire *q, int target);

/**
 * After writing a command's output to stdout with cli_write_file (rc: what the writer returned):
 * flush stdout if rc is 0, say on stderr why the output failed (DL_EIO: the write's errno, such as
 * "No space left on device"; DL_ENOMEM), and return rc, or DL_EIO when only the flush failed.
 */
int cli_finish_stdout(int rc);

/** A dl_write_fn writing to a FILE *. */
int cli_write_file(void *userdata, const char *data, size_t len);

/** A growing buffer in memory (malloc'ed: the caller frees data), for output written whole later. */
typedef struct cli_buffer {
	char *data;
	size_t len, cap;
} cli_buffer;

/** A dl_write_fn appending to a cli_buffer; -1 when out of memory. */
int cli_buffer_write(void *userdata, const char *data, size_t len);

/* --- files (include/digilevel/files.h) ---------------------------------------------------------- */

/** Print why output file path cannot be written (err from files.h) and return EXIT_SYSTEM. */
int cli_output_failed(const char *path, const dl_error *err);

/** Write all of data to path (dl_output_file_save). Returns EXIT_OK or EXIT_SYSTEM after a message. */
int cli_write_output(const char *path, const void *data, size_t len);

/** A file a command reads or writes, for cli_files_start. */
typedef struct cli_file {
	const char *role; /* in messages: "--csv", "the policy" */
	const char *path; /* NULL and "-" are left out */
	bool output;
	const char *const *suffixes; /* an output directory: the ends of the names written there */
} cli_file;

/**
 * A guard (files.h) with the inputs paths[0..n) (each "the input"), then files[0..count), checked.
 * Returns EXIT_OK with *g, or EXIT_USAGE after the usage error (an output over an input), or
 * EXIT_SYSTEM when memory ran out.
 */
int cli_files_start(dl_file_guard **g, const char *usage, char **paths, int n, const cli_file *files,
		    size_t count);

/** Add the questionnaire q as an input and check again. Returns as cli_files_start. */
int cli_files_add_questionnaire(dl_file_guard *g, const char *usage, const dl_questionnaire *q);

/** The font a command will read: font, or $DIGILEVEL_FONT, or NULL. */
const char *cli_font_file(const char *font);

/* --- JSON lists (json_list.c) ----------------------------------------------------------------- */

/**
 * A list of records written as a JSON array on f, one object a line: "[", each object as "\n {...}"
 * after a "," but the first, then "\n]\n" ("[]\n" when there is none). Fields are written in the
 * order given; in a string, '"' and '\\' are escaped, and each control character and DEL as
 * \u00XX.
 */
typedef struct cli_json_list {
	FILE *f;
	size_t objects;   /* begun so far */
	bool first_field; /* no field of the current object written yet */
} cli_json_list;

void cli_json_list_start(cli_json_list *l, FILE *f);
void cli_json_object_start(cli_json_list *l);
/** A field "name": value of the current object (name is plain ASCII, written as it is). */
void cli_json_string(cli_json_list *l, const char *name, const char *value);
void cli_json_int(cli_json_list *l, const char *name, long long value);
void cli_json_bool(cli_json_list *l, const char *name, bool value);
void cli_json_object_end(cli_json_list *l);
void cli_json_list_end(cli_json_list *l);

/* --- batch and cohort (batch_commands.c) ------------------------------------------------------ */

/** Called for every enterprise's final row, in output order, before the files are closed. */
typedef void (*batch_row_fn)(const dl_batch_row *row, void *userdata);

/** What batch_run writes, and how. */
typedef struct batch_output_options {
	const char *csv;   /* a file, "-" (standard output) or NULL */
	const char *jsonl; /* likewise; with both NULL (and no xlsx) the CSV goes to standard output... */
	const char *xlsx;  /* the rows as a workbook (a file, never "-"), or NULL */
	bool csv_excel;	   /* the CSV for a spreadsheet: BOM, Chinese headers (DL_BATCH_CSV_EXCEL) */
	bool no_rows;	   /* ...unless no_rows: then no rows are written (only visited) */
	bool per_sheet;	   /* one row per sheet, nothing kept (no pairing, no reports) */
	const char *reports_dir; /* write each enterprise's PDF reports there (made if missing), or NULL */
	const char *archive_dir; /* write each enterprise's folder there (一企一档; made if missing), or NULL */
	const char *command; /* the first word of the summary: "batch" or "cohort" */
} batch_output_options;

/**
 * The usage error when output path (--xlsx) lies directly in one of the input directories among
 * paths[0..n), whose *.xlsx files the next run would read as sheets; else EXIT_OK.
 */
int batch_output_in_input_dir(const char *usage, const char *role, const char *path, char **paths,
			      int n);

/**
 * Run a batch over paths[0..n): open the outputs (through a temporary file each, renamed at the
 * end: files.h), make the batch (a's threads, font and policy; questionnaires found as every
 * command finds them), read the paths into it (digilevel/batch_paths.h) with a progress line on
 * stderr when it is a terminal, print each sheet's problems in input order and pair it (noted by
 * join first, if not NULL), then compare every pair and write its reports on all threads, write the
 * rows in order of first appearance, visit each, move the files into place and print the summary
 * on stderr. *batch is the caller's to free, or NULL when the run stopped before the rows (nothing
 * written). Returns the exit code: 0; 1 when some sheet or stream failed, the subsidies cannot be
 * added up, or a report could not be made from its sheets; 2 when an input or a questionnaire
 * loaded is one of a->files' outputs (then nothing is written); 3 when writing failed.
 */
int batch_run(dl_batch **batch, const batch_output_options *opts, const cli_args *a,
	      const char *usage, char **paths, int n, dl_batch_cohort *join, batch_row_fn visit,
	      void *userdata);

/* The commands: each returns an exit code. */
int cmd_validate(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_cohort(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);

#endif
