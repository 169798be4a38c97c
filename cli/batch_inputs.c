/*
 * batch_inputs.c: reading a cohort's inputs into a dl_batch, for the commands that score many
 * sheets (`digilevel batch`, `digilevel cohort`).
 *
 * Inputs are sheet files, directories of them (their *.xml files, in name order), stream files
 * holding many sheets (<answer-sheets>), or "-" for a list of paths on standard input. This file is
 * the dl_batch's feed function: the batch's reader thread runs it and reads them in order; the
 * calling thread takes the scored sheets back in the same order and hands each to the command, so
 * what a command makes of them is the same whatever -j says. A broken stream is remembered and
 * reported at the end; a bad sheet comes back with its diagnostics, for the command to report.
 *
 * Nothing is read twice and nothing blocks: every directory and every file is known by device and
 * inode, and one met again (a link to ".", a hard link, a path given twice) is skipped with a note;
 * symbolic links to directories inside a directory are followed only when asked; only regular files
 * are opened, anything else comes back as a failed sheet. A file that is one of the command's outputs
 * stops the run before any output is moved into place, and so does running out of memory: an input
 * is never dropped silently.
 */
#include "batch_commands.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A set of files or directories, known by device and inode (open addressing). */
typedef struct file_key {
	dev_t dev;
	ino_t ino;
} file_key;

typedef struct key_set {
	file_key *keys;
	unsigned char *used;
	size_t len, cap;
} key_set;

/* 1 if st's file was added, 0 if it was there already, -1 when memory ran out. */
static int key_set_add(key_set *s, const struct stat *st)
{
	if ((s->len + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		file_key *keys = malloc(cap * sizeof(*keys));
		unsigned char *used = calloc(cap, 1);
		if (!keys || !used) {
			free(keys);
			free(used);
			return -1;
		}
		for (size_t i = 0; i < s->cap; i++)
			if (s->used[i]) {
				size_t h = ((size_t)s->keys[i].ino * 31 + (size_t)s->keys[i].dev) & (cap - 1);
				while (used[h])
					h = (h + 1) & (cap - 1);
				keys[h] = s->keys[i];
				used[h] = 1;
			}
		free(s->keys);
		free(s->used);
		s->keys = keys;
		s->used = used;
		s->cap = cap;
	}
	size_t h = ((size_t)st->st_ino * 31 + (size_t)st->st_dev) & (s->cap - 1);
	for (; s->used[h]; h = (h + 1) & (s->cap - 1))
		if (s->keys[h].dev == st->st_dev && s->keys[h].ino == st->st_ino)
			return 0;
	s->keys[h] = (file_key){st->st_dev, st->st_ino};
	s->used[h] = 1;
	s->len++;
	return 1;
}

static void key_set_free(key_set *s)
{
	free(s->keys);
	free(s->used);
}

typedef struct producer {
	dl_batch *batch;
	char **paths;
	int count;
	const batch_input_options *opts;
	key_set files, dirs; /* every file and directory read so far */
	unsigned long streams, stream_errors;
	char *stream_error_text; /* broken streams, reported at the end */
	size_t stream_error_len;
	char *notes;             /* what was skipped and why, reported at the end */
	size_t notes_len;
	int fatal;               /* DL_ENOMEM or DL_EMISMATCH: stop reading, write nothing */
	char fatal_text[DL_ERROR_FORMAT_MAX];
} producer;

/* One line, "path: message" escaped as every diagnostic is, into buf. */
static void format_line(char *buf, size_t size, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;
static void format_line(char *buf, size_t size, const char *path, const char *fmt, ...)
{
	dl_error e = {DL_EINVALID, "", 0, 0, ""};
	snprintf(e.file, sizeof(e.file), "%s", path);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof(e.message), fmt, ap);
	va_end(ap);
	dl_error_format(&e, buf, size);
}

static void fail(producer *pr, int code, const char *line)
{
	if (pr->fatal)
		return;
	pr->fatal = code;
	snprintf(pr->fatal_text, sizeof(pr->fatal_text), "%s", line);
}

static void out_of_memory(producer *pr, const char *path)
{
	char line[DL_ERROR_FORMAT_MAX];
	format_line(line, sizeof(line), path, "out of memory while reading the inputs: nothing is written");
	fail(pr, DL_ENOMEM, line);
}

/* Append a line; false when memory ran out (then the run fails: nothing is dropped silently). */
static bool append_text(producer *pr, char **text, size_t *len, const char *line)
{
	size_t n = strlen(line);
	char *grown = realloc(*text, *len + n + 2);
	if (!grown) {
		out_of_memory(pr, "");
		return false;
	}
	*text = grown;
	memcpy(*text + *len, line, n);
	*len += n;
	(*text)[(*len)++] = '\n';
	(*text)[*len] = '\0';
	return true;
}

static void note(producer *pr, const char *path, const char *why)
{
	char line[DL_ERROR_FORMAT_MAX];
	format_line(line, sizeof(line), path, "%s", why);
	append_text(pr, &pr->notes, &pr->notes_len, line);
}

/* Queue path as a sheet file, or (errors not NULL) as a failed one: errors is its diagnostic line. */
static void submit_file(producer *pr, const char *path, const char *errors)
{
	if ((errors ? dl_batch_add_failed(pr->batch, path, errors) : dl_batch_add_file(pr->batch, path)) != 0)
		out_of_memory(pr, path);
}

static void submit_stream(producer *pr, const char *path)
{
	dl_error err;
	char line[DL_ERROR_FORMAT_MAX];
	pr->streams++;
	int rc = dl_batch_add_stream(pr->batch, path, &err);
	if (rc == 1) { /* broken, or cannot be opened: the sheets before the break are in */
		dl_error_format(&err, line, sizeof(line));
		append_text(pr, &pr->stream_error_text, &pr->stream_error_len, line);
		pr->stream_errors++;
	} else if (rc < 0) {
		out_of_memory(pr, path);
	}
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void submit_path(producer *pr, const char *path, bool named);

static void submit_directory(producer *pr, const char *dir)
{
	char line[DL_ERROR_FORMAT_MAX];
	DIR *dp = opendir(dir);
	if (!dp) {
		format_line(line, sizeof(line), dir, "cannot read the directory: %s", strerror(errno));
		submit_file(pr, dir, line);
		return;
	}
	char **names = NULL;
	size_t count = 0, cap = 0;
	struct dirent *e;
	size_t dir_len = strlen(dir);
	while (dir_len > 1 && dir[dir_len - 1] == '/')
		dir_len--; /* "examples/" names its files examples/NAME, not examples//NAME */
	errno = 0;
	while (!pr->fatal && (e = readdir(dp))) {
		size_t len = strlen(e->d_name);
		if (len <= 4 || strcmp(e->d_name + len - 4, ".xml") != 0)
			continue;
		if (count == cap) {
			size_t grown_cap = cap ? cap * 2 : 64;
			char **grown = realloc(names, grown_cap * sizeof(*names));
			if (!grown) {
				out_of_memory(pr, dir);
				break;
			}
			names = grown;
			cap = grown_cap;
		}
		size_t size = dir_len + len + 2;
		if (!(names[count] = malloc(size))) {
			out_of_memory(pr, dir);
			break;
		}
		snprintf(names[count++], size, "%.*s/%s", (int)dir_len, dir, e->d_name);
		errno = 0;
	}
	if (!pr->fatal && errno != 0) {
		format_line(line, sizeof(line), dir, "cannot read the directory: %s", strerror(errno));
		submit_file(pr, dir, line);
	}
	closedir(dp);
	if (count > 0)
		qsort(names, count, sizeof(*names), compare_names); /* the order of the rows */
	for (size_t i = 0; i < count; i++) {
		if (!pr->fatal)
			submit_path(pr, names[i], false);
		free(names[i]);
	}
	free(names);
}

/*
 * A path named on the command line or on standard input (named), or found in a directory. Each
 * directory and each file is read once, whatever names lead to it (device and inode); a symbolic
 * link to a directory found inside a directory is followed only with --follow-symlinks; only
 * regular files are opened, so a FIFO or a device cannot block the batch.
 */
static void submit_path(producer *pr, const char *path, bool named)
{
	char line[DL_ERROR_FORMAT_MAX];
	struct stat st, lst;
	if (stat(path, &st) != 0) {
		format_line(line, sizeof(line), path, "cannot open: %s", strerror(errno));
		submit_file(pr, path, line);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!named && !pr->opts->follow_symlinks && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
			note(pr, path, "skipped: a symbolic link to a directory (--follow-symlinks follows them)");
			return;
		}
		int added = key_set_add(&pr->dirs, &st);
		if (added < 0)
			out_of_memory(pr, path);
		else if (added == 0)
			note(pr, path, "skipped: a directory already read (under this or another name)");
		else
			submit_directory(pr, path);
		return;
	}
	int added = key_set_add(&pr->files, &st);
	if (added < 0) {
		out_of_memory(pr, path);
		return;
	}
	if (added == 0) {
		note(pr, path, "skipped: a file already read (under this or another name)");
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		format_line(line, sizeof(line), path, "not read: %s, not a regular file",
			    S_ISFIFO(st.st_mode)   ? "a FIFO"
			    : S_ISSOCK(st.st_mode) ? "a socket"
			    : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
								     : "something else");
		submit_file(pr, path, line);
		return;
	}
	const cli_file *out = cli_files_output_at(pr->opts->files, path);
	if (out) {
		format_line(line, sizeof(line), path, "this input is %s%s '%s': an output never replaces "
			    "an input, so nothing is written", out->suffixes ? "a file written by " : "",
			    out->role, out->path);
		fail(pr, DL_EMISMATCH, line);
		return;
	}
	char root[64];
	if (dl_document_root(path, root, sizeof(root), NULL) == 0 && strcmp(root, "answer-sheets") == 0)
		submit_stream(pr, path);
	else
		submit_file(pr, path, NULL); /* sheets, and anything broken: the worker reports it */
}

static void submit_stdin_list(producer *pr)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	errno = 0;
	while (!pr->fatal && (n = getline(&line, &cap, stdin)) > 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n > 0)
			submit_path(pr, line, true);
		errno = 0;
	}
	if (!pr->fatal && errno == ENOMEM)
		out_of_memory(pr, "-");
	free(line);
}

/* The batch's feed: runs on its reader thread. */
static int produce(dl_batch *batch, void *arg)
{
	producer *pr = arg;
	(void)batch;
	for (int i = 0; i < pr->count && !pr->fatal; i++) {
		if (strcmp(pr->paths[i], "-") == 0)
			submit_stdin_list(pr);
		else
			submit_path(pr, pr->paths[i], true);
	}
	return pr->fatal;
}

int batch_run_inputs(dl_batch *batch, char **paths, int count, const batch_input_options *opts,
		     batch_take_fn take, void *userdata, unsigned long *broken_streams)
{
	producer pr;
	memset(&pr, 0, sizeof(pr));
	pr.batch = batch;
	pr.paths = paths;
	pr.count = count;
	pr.opts = opts;
	*broken_streams = 0;
	if (dl_batch_start(batch, produce, &pr) != 0) {
		fprintf(stderr, "digilevel: cannot start the reader thread\n");
		return DL_ENOMEM;
	}
	bool progress = isatty(STDERR_FILENO);
	unsigned long seen = 0, failed = 0;
	dl_batch_sheet *s;
	while (dl_batch_next(batch, &s) > 0) {
		seen++;
		failed += dl_batch_sheet_status(s) != 0;
		take(batch, s, userdata); /* takes the sheet */
		if (progress && seen % 50 == 0)
			fprintf(stderr, "\r%lu sheets scored, %lu failed", seen, failed);
	}
	if (progress)
		fprintf(stderr, "\r%*s\r", 40, "");
	if (pr.notes)
		fputs(pr.notes, stderr);
	if (pr.stream_error_text)
		fputs(pr.stream_error_text, stderr);
	free(pr.notes);
	free(pr.stream_error_text);
	key_set_free(&pr.files);
	key_set_free(&pr.dirs);
	*broken_streams = pr.stream_errors;
	if (pr.fatal)
		fprintf(stderr, "%s\n", pr.fatal_text);
	return pr.fatal;
}

int batch_parse_threads(const char *text, int *threads)
{
	char *end;
	long n = strtol(text, &end, 10);
	if (*end || end == text || n < 1 || n > 256)
		return -1;
	*threads = (int)n;
	return 0;
}


int batch_find_questionnaire(dl_questionnaire **out, const char *id, const char *version,
			     void *userdata, dl_error *err)
{
	return cli_questionnaire_for(out, userdata, id, version, err);
}

const cli_file *batch_questionnaire_output(dl_batch *batch, const cli_files *files,
					   const char **questionnaire)
{
	for (size_t i = 0; i < dl_batch_questionnaire_count(batch); i++) {
		const dl_questionnaire *q = dl_batch_questionnaire_at(batch, i);
		const cli_file *out = q ? cli_files_output_at(files, dl_questionnaire_path(q)) : NULL;
		if (out) {
			*questionnaire = dl_questionnaire_path(q);
			return out;
		}
	}
	return NULL;
}
