/*
 * common.c: the helpers every digilevel command uses (see cli.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h" /* DL_DATADIR, DL_DOCDIR: PREFIX/share/digilevel and PREFIX/share/doc/digilevel */

/* Format a line and print it escaped (dl_error_escape): whatever a path holds, it stays one line. */
static void vline(FILE *f, const char *fmt, va_list ap)
{
	char line[8192], shown[4 * sizeof(line)];
	vsnprintf(line, sizeof(line), fmt, ap);
	dl_error_escape(line, shown, sizeof(shown));
	fprintf(f, "%s\n", shown);
}

void cli_line(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline(f, fmt, ap);
	va_end(ap);
}

int cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;
	char what[8192];
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cli_line(stderr, "digilevel: %s", what);
	fprintf(stderr, _("usage: %s\n"), _(usage));
	return EXIT_USAGE;
}

/* The one-letter forms, the same in every command that has the long option. */
static const char *short_option(char letter)
{
	switch (letter) {
	case 'h': return "help";
	case 'j': return "jobs";
	case 'o': return "output";
	default: return NULL;
	}
}

/* text as a whole number from lo to hi into *out; false when it is not one */
static bool number(const char *text, long lo, long hi, int *out)
{
	char *end;
	long n = strtol(text, &end, 10);
	if (*end || end == text || n < lo || n > hi)
		return false;
	*out = (int)n;
	return true;
}

/* After the options: --help, then --format, -j and --target. Returns 0, or -1 with a->exit. */
static int finish_parse(const cli_command *cmd, cli_args *a, bool help, const char *format,
			const char *jobs, const char *target)
{
	if (help) {
		/* a command's usage and help are marked with N_() (or already translated): _() here */
		printf(_(cmd->help), _(cmd->usage), DL_DATADIR);
		a->exit = EXIT_OK;
		return -1;
	}
	a->exit = EXIT_USAGE;
	if (format) {
		for (a->format = 0; cmd->formats[a->format]; a->format++)
			if (strcmp(format, cmd->formats[a->format]) == 0)
				break;
		if (!cmd->formats[a->format])
			return cli_usage_error(cmd->usage, _(cmd->format_error), format), -1;
	}
	if (jobs && !number(jobs, 1, 256, &a->threads))
		return cli_usage_error(cmd->usage, _("-j takes a number of threads from 1 to 256, not '%s'"),
				       jobs), -1;
	if (target && !number(target, 0, 9, &a->target))
		return cli_usage_error(cmd->usage, _("--target must be a level number such as 3, not '%s'"),
				       target), -1;
	return 0;
}

int cli_parse(int argc, char **argv, const cli_command *cmd, cli_args *a)
{
	const char *format = NULL, *jobs = NULL, *target = NULL;
	bool help = false;
	*a = (cli_args){.threads = cmd->shared & OPT_JOBS ? dl_batch_default_threads() : 0, .target = -1};
	/* the shared options, each taken when the command names it (--format: has formats) */
	const cli_option shared[] = {
		{"questionnaires", &a->dir, NULL, OPT_DIR}, {"jobs", &jobs, NULL, OPT_JOBS},
		{"output", &a->output, NULL, OPT_OUTPUT},   {"policy", &a->policy_path, NULL, OPT_POLICY},
		{"font", &a->font, NULL, OPT_FONT},         {"target", &target, NULL, OPT_TARGET},
		{"follow-symlinks", NULL, &a->follow_symlinks, OPT_FOLLOW},
		{"format", &format, NULL, cmd->formats ? 0 : ~0u}, {"help", NULL, &help, 0}};
	size_t count = cmd->count + sizeof(shared) / sizeof(shared[0]);
	int positional = 0;
	bool options_done = false;
	char **args = argv + 1;
	int n = argc - 1;
	a->exit = EXIT_USAGE;
	for (int i = 0; i < n; i++) {
		char *arg = args[i];
		if (options_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
			argv[positional++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			options_done = true;
			continue;
		}
		const char *name, *eq;
		size_t name_len;
		if (strncmp(arg, "--", 2) == 0) {
			name = arg + 2;
			eq = strchr(name, '=');
			name_len = eq ? (size_t)(eq - name) : strlen(name);
		} else if ((name = short_option(arg[1])) != NULL) {
			/* -j 4, -j4, -o FILE, -h: the value may follow the letter directly */
			name_len = strlen(name);
			eq = arg[2] ? arg + 1 : NULL;
		} else {
			return cli_usage_error(cmd->usage, _("unknown option '%s'"), arg), -1;
		}
		const cli_option *opt = NULL;
		for (size_t k = 0; !opt && k < count; k++) {
			const cli_option *o = k < cmd->count ? &cmd->options[k] : &shared[k - cmd->count];
			if ((o->need & cmd->shared) == o->need && strlen(o->name) == name_len &&
			    strncmp(o->name, name, name_len) == 0)
				opt = o;
		}
		if (!opt && arg[1] == '-')
			return cli_usage_error(cmd->usage, _("unknown option '--%.*s'"), (int)name_len,
					       name), -1;
		if (!opt || (opt->flag && arg[1] != '-' && arg[2]))
			return cli_usage_error(cmd->usage, _("unknown option '%s'"), arg), -1;
		if (opt->flag) {
			if (eq)
				return cli_usage_error(cmd->usage, _("option '--%s' takes no value"), opt->name),
				       -1;
			*opt->flag = true;
		} else if (eq) {
			*opt->value = eq + 1;
		} else if (i + 1 < n) {
			*opt->value = args[++i];
		} else {
			return cli_usage_error(cmd->usage, _("option '--%s' needs a value"), opt->name),
			       -1;
		}
	}
	return finish_parse(cmd, a, help, format, jobs, target) < 0 ? -1 : positional;
}

int cli_end(cli_args *a, int exit)
{
	dl_comparison_free(a->comparison);
	dl_result_free(a->result);
	dl_policy_free(a->policy);
	dl_sheet_free(a->after);
	dl_sheet_free(a->sheet);
	dl_questionnaire_free(a->q);
	dl_file_guard_free(a->files);
	return exit;
}

void cli_print_error(const dl_error *err)
{
	char line[DL_ERROR_FORMAT_MAX];
	dl_error_format(err, line, sizeof(line));
	fprintf(stderr, "%s\n", line);
}

static void print_diag(const dl_error *diag, void *userdata)
{
	(void)userdata;
	cli_print_error(diag);
}

dl_load_options cli_load_options(void)
{
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	opts.diag = print_diag;
	return opts;
}

int cli_exit_code(int rc)
{
	switch (rc) {
	case DL_OK: return EXIT_OK;
	case DL_EINVALID:
	case DL_ELIMIT:
	case DL_EMISMATCH: return EXIT_INVALID;
	default: return EXIT_SYSTEM;
	}
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* One folder of the search path. installed: it comes with the program (beside the executable or
 * the installed share directory), not from the user's current directory or environment. */
typedef struct search_dir {
	char path[PATH_MAX];
	bool installed;
} search_dir;

enum { SEARCH_MAX = 6 };

static bool same_dir(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Add path to dirs if it is a directory (or always, for an explicit one) not already there. */
static void add_dir(search_dir *dirs, size_t *n, const char *path, bool installed, bool always)
{
	if (*n >= SEARCH_MAX || strlen(path) >= PATH_MAX || (!always && !is_dir(path)))
		return;
	for (size_t i = 0; i < *n; i++)
		if (same_dir(dirs[i].path, path))
			return;
	snprintf(dirs[*n].path, PATH_MAX, "%s", path);
	dirs[*n].installed = installed;
	(*n)++;
}

/* The folders that come with the program, in order: questionnaires/ of the checkout the executable
 * was built in (build/digilevel), share/digilevel/questionnaires beside a moved installation's bin/,
 * and the installed share directory. */
bool cli_program_dir(char *buf, size_t size)
{
	ssize_t len = size > 1 ? readlink("/proc/self/exe", buf, size - 1) : -1;
	if (len <= 0)
		return false;
	buf[len] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return true;
}

static void installed_dirs(search_dir *dirs, size_t *n)
{
	char exe[PATH_MAX];
	if (cli_program_dir(exe, sizeof(exe))) {
		static const char *const suffixes[] = {"/../questionnaires",
						       "/../share/digilevel/questionnaires"};
		for (size_t i = 0; i < 2; i++) {
			char path[PATH_MAX], resolved[PATH_MAX];
			int w = snprintf(path, sizeof(path), "%s%s", exe, suffixes[i]);
			/* named without "bin/..": results print the questionnaire's path */
			if (w > 0 && (size_t)w < sizeof(path))
				add_dir(dirs, n, realpath(path, resolved) ? resolved : path, true, false);
		}
	}
	add_dir(dirs, n, DL_DATADIR "/questionnaires", true, false);
}

/* The search path for questionnaires, in order (cli.h); returns how many entries were filled. */
static size_t search_path(const char *dir, search_dir *dirs)
{
	size_t n = 0;
	if (dir) {
		add_dir(dirs, &n, dir, false, true);
		return n; /* an explicit directory is the only one searched */
	}
	const char *env = getenv("DIGILEVEL_QUESTIONNAIRES");
	if (env && env[0])
		add_dir(dirs, &n, env, false, true);
	add_dir(dirs, &n, "questionnaires", false, false);
	installed_dirs(dirs, &n);
	return n;
}

/*
 * q was found in dir, a folder the user chose: when the questionnaire of the same id and version
 * that comes with the program differs from it, say so on stderr, naming both files. A copy in
 * ./questionnaires would otherwise silently change every level and subsidy.
 */
static void warn_if_not_installed(const dl_questionnaire *q, const char *dir, const char *id,
				  const char *version)
{
	search_dir dirs[SEARCH_MAX];
	size_t n = 0;
	installed_dirs(dirs, &n);
	for (size_t i = 0; i < n; i++) {
		if (same_dir(dirs[i].path, dir))
			return; /* it is the installed one */
		dl_questionnaire *ref = NULL;
		dl_load_options quiet = DL_LOAD_OPTIONS_INIT;
		int rc = dl_questionnaire_find(&ref, dirs[i].path, id, version, &quiet, NULL);
		if (rc == DL_ENOTFOUND)
			continue;
		if (rc == 0 && strcmp(dl_questionnaire_digest(ref), dl_questionnaire_digest(q)) != 0)
			cli_line(stderr,
				 _("%s: warning: questionnaire '%s' version '%s' differs from the installed %s "
				   "(SHA-256 %s here, %s installed); the results use this one"),
				 dl_questionnaire_path(q), id, version, dl_questionnaire_path(ref),
				 dl_questionnaire_digest(q), dl_questionnaire_digest(ref));
		dl_questionnaire_free(ref);
		return;
	}
}

/*
 * What a folder holds, from the message of dl_questionnaire_find that found nothing there ("... here
 * (found: miit-2024 2024, ...)"), in the language of messages: "(holds miit-2024 2024, ...)", "(no
 * questionnaire there)", or "(no such folder)" when the message lists nothing.
 */
static void folder_holds(const char *message, char *out, size_t size)
{
	const char *found = strstr(message, "(found: ");
	const char *end = found ? strrchr(found, ')') : NULL;
	if (!found) {
		found = strstr(message, "（"); /* the message translated: shown as it is */
		snprintf(out, size, "%s", found ? found : _("(no such folder)"));
		return;
	}
	found += strlen("(found: ");
	int len = end ? (int)(end - found) : (int)strlen(found);
	if (len == 4 && strncmp(found, "none", 4) == 0)
		snprintf(out, size, "%s", _("(no questionnaire there)"));
	else
		snprintf(out, size, _("(holds %.*s)"), len, found);
}

int cli_find_questionnaire(dl_questionnaire **out, const char *id, const char *version,
			   void *userdata, dl_error *err)
{
	const char *dir = userdata;
	search_dir dirs[SEARCH_MAX];
	size_t n = search_path(dir, dirs);
	dl_load_options opts = cli_load_options();
	/* Not found anywhere: one message naming every folder searched and what each holds. */
	char searched[DL_ERROR_MESSAGE_MAX] = "";
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		dl_error local;
		int rc = dl_questionnaire_find(out, dirs[i].path, id, version, &opts, &local);
		if (rc == 0 && !dirs[i].installed)
			warn_if_not_installed(*out, dirs[i].path, id, version);
		if (rc != DL_ENOTFOUND) {
			if (rc < 0 && err)
				*err = local;
			return rc;
		}
		char holds[DL_ERROR_MESSAGE_MAX];
		folder_holds(local.message, holds, sizeof(holds));
		int w = snprintf(searched + used, sizeof(searched) - used, "%s%s %s", i ? ", " : "",
				 dirs[i].path, holds);
		if (w > 0)
			used = (size_t)w < sizeof(searched) - used ? used + (size_t)w : sizeof(searched) - 1;
	}
	if (n == 0)
		snprintf(searched, sizeof(searched),
			 _("any folder (there is no ./questionnaires, and %s/questionnaires is not installed)"),
			 DL_DATADIR);
	if (err) {
		err->code = DL_ENOTFOUND;
		err->file[0] = '\0';
		err->line = err->column = 0;
		if (snprintf(err->message, sizeof(err->message),
			     _("no questionnaire '%.64s' version '%.32s' in %s; give the folder that holds "
			       "it with --questionnaires DIR or DIGILEVEL_QUESTIONNAIRES=DIR"),
			     id, version, searched) < 0)
			err->message[0] = '\0';
	}
	return DL_ENOTFOUND;
}

int cli_questionnaire_of(dl_questionnaire **out, const char *path, const char *what,
			 const char *dir, const char *id, const char *version)
{
	dl_error err;
	int rc = cli_find_questionnaire(out, id, version, (void *)dir, &err);
	if (rc == DL_ENOTFOUND) {
		cli_line(stderr, _("%s: the questionnaire %s is not available: %s"), path, _(what),
			 err.message);
		rc = DL_EINVALID;
	}
	return rc;
}

int cli_load_sheet(const char *path, const char *dir, dl_sheet **sheet, dl_questionnaire **q)
{
	dl_load_options opts = cli_load_options();
	*sheet = NULL;
	*q = NULL;
	int rc = dl_sheet_load(sheet, path, &opts, NULL);
	if (rc < 0)
		return rc;
	return cli_questionnaire_of(q, path, N_("it answers"), dir, dl_sheet_questionnaire_id(*sheet),
				    dl_sheet_questionnaire_version(*sheet));
}

int cli_load_pair(char **paths, cli_args *a)
{
	dl_load_options opts = cli_load_options();
	dl_error err;
	int rc = dl_sheet_load(&a->sheet, paths[0], &opts, NULL);
	int rc_after = dl_sheet_load(&a->after, paths[1], &opts, NULL);
	int rc_policy = a->policy_path ? dl_policy_load(&a->policy, a->policy_path, &opts, NULL) : 0;
	if (rc == 0)
		rc = rc_after;
	if (rc == 0)
		rc = rc_policy;
	if (rc == 0)
		rc = dl_compare_check(a->sheet, a->after, &opts, NULL);
	if (rc == 0) {
		rc = cli_find_questionnaire(&a->q, dl_sheet_questionnaire_id(a->after),
					    dl_sheet_questionnaire_version(a->after), (void *)a->dir, &err);
		if (rc == DL_ENOTFOUND) {
			char line[DL_ERROR_FORMAT_MAX];
			dl_error_format(&err, line, sizeof(line));
			cli_line(stderr, "%s: %s", paths[1], line);
			rc = DL_EINVALID; /* the sheet names a questionnaire not at hand, as for score */
		}
	}
	return rc == 0 ? dl_compare(&a->comparison, a->q, a->sheet, a->after, a->policy, &opts, NULL)
		       : rc;
}

int cli_check_target(const char *usage, const dl_questionnaire *q, int target)
{
	if (target < 0 || dl_questionnaire_grade_find(q, target) != DL_NONE)
		return EXIT_OK;
	return cli_usage_error(usage, _("--target %d: questionnaire %s %s has no grade for level %d"),
			       target, dl_questionnaire_id(q), dl_questionnaire_version(q), target);
}

int cli_questionnaire_named(dl_questionnaire **out, const char *dir, const char *name)
{
	dl_error err;
	dl_load_options opts = cli_load_options();
	struct stat st;
	if (stat(name, &st) == 0 || strchr(name, '/') || strstr(name, ".xml"))
		return dl_questionnaire_load(out, name, &opts, NULL);
	char id[128];
	snprintf(id, sizeof(id), "%s", name);
	char *colon = strchr(id, ':');
	const char *version = NULL;
	if (colon) {
		*colon = '\0';
		version = colon + 1;
	} else {
		/* "miit-2024" names its edition: the version is what follows the last '-' */
		char *dash = strrchr(id, '-');
		version = dash ? dash + 1 : "";
	}
	int rc = cli_find_questionnaire(out, id, version, (void *)dir, &err);
	if (rc == DL_ENOTFOUND) /* the only problem no diagnostic has printed */
		cli_print_error(&err);
	return rc;
}

int cli_finish_stdout(int rc)
{
	int saved = errno; /* from the write that failed, if one did */
	if (rc == 0 && fflush(stdout) != 0) {
		saved = errno;
		rc = DL_EIO;
	}
	if (rc == DL_EIO)
		fprintf(stderr, _("digilevel: cannot write to standard output: %s\n"),
			dl_strerror(saved ? saved : EIO));
	else if (rc == DL_ENOMEM)
		fputs(_("digilevel: out of memory\n"), stderr);
	return rc;
}

int cli_write_file(void *userdata, const char *data, size_t len)
{
	return fwrite(data, 1, len, (FILE *)userdata) == len ? 0 : -1;
}

int cli_buffer_write(void *userdata, const char *data, size_t len)
{
	cli_buffer *b = userdata;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		while (cap < b->len + len)
			cap *= 2;
		char *grown = realloc(b->data, cap);
		if (!grown)
			return -1;
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

/* --- files ----------------------------------------------------------------------------------- */

int cli_output_failed(const char *path, const dl_error *err)
{
	if (strcmp(path, "-") == 0)
		fprintf(stderr, _("digilevel: cannot write to standard output: %s\n"), err->message);
	else
		cli_line(stderr, _("digilevel: cannot write '%s': %s"), path, err->message);
	return EXIT_SYSTEM;
}

int cli_write_output(const char *path, const void *data, size_t len)
{
	dl_error err;
	return dl_output_file_save(path, data, len, &err) == 0 ? EXIT_OK : cli_output_failed(path, &err);
}

/* EXIT_OK, or the usage error of an output over an input. */
static int files_check(const dl_file_guard *g, const char *usage)
{
	char message[8192];
	return dl_file_guard_check(g, message, sizeof(message)) == 0 ? EXIT_OK
								     : cli_usage_error(usage, "%s", message);
}

static int out_of_memory(void)
{
	fputs(_("digilevel: out of memory\n"), stderr);
	return EXIT_SYSTEM;
}

int cli_files_start(dl_file_guard **g, const char *usage, char **paths, int n, const cli_file *files,
		    size_t count)
{
	if (dl_file_guard_new(g) != 0)
		return out_of_memory();
	for (int i = 0; i < n; i++)
		if (dl_file_guard_add(*g, N_("the input"), paths[i], false) != 0)
			return out_of_memory();
	for (size_t i = 0; i < count; i++)
		if ((files[i].suffixes ? dl_file_guard_add_output_dir(*g, files[i].role, files[i].path,
								      files[i].suffixes)
				       : dl_file_guard_add(*g, files[i].role, files[i].path,
							   files[i].output)) != 0)
			return out_of_memory();
	return files_check(*g, usage);
}

int cli_files_add_questionnaire(dl_file_guard *g, const char *usage, const dl_questionnaire *q)
{
	if (dl_file_guard_add(g, N_("the questionnaire"), dl_questionnaire_path(q), false) != 0)
		return out_of_memory();
	return files_check(g, usage);
}

const char *cli_font_file(const char *font)
{
	return font ? font : getenv("DIGILEVEL_FONT");
}
