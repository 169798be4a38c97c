/*
 * batch_paths.c: a dl_batch fed from paths (include/digilevel/batch_paths.h): files, directories
 * walked in name order (their *.xml and *.xlsx files), stream files, and a list of paths read from a stream, each file and
 * directory once, nothing opened that could block.
 *
 * This is a dl_batch's feed function: it runs on the batch's reader thread and adds the sheets in
 * order; the driving thread takes them back in the same order, so what a program makes of them is
 * the same whatever the number of threads. What was skipped and the broken streams are kept as text
 * for the program to report at the end; a failure (memory, an input that is an output) stops the
 * feed with its line.
 */
#include "alloc.h"
#include "digilevel/batch_paths.h"

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
		file_key *keys = dl__malloc(cap * sizeof(*keys));
		unsigned char *used = dl__calloc(cap, 1);
		if (!keys || !used) {
			dl__free(keys);
			dl__free(used);
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
		dl__free(s->keys);
		dl__free(s->used);
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
	dl__free(s->keys);
	dl__free(s->used);
}

struct dl_batch_paths {
	dl_batch *batch;
	const char *const *paths;
	size_t count;
	dl_batch_paths_options opts;
	key_set files, dirs; /* every file and directory read so far */
	unsigned long streams, stream_errors;
	char *stream_error_text; /* broken streams, reported at the end */
	size_t stream_error_len;
	char *notes;             /* what was skipped and why, reported at the end */
	size_t notes_len;
	int fatal;               /* DL_ENOMEM or DL_EMISMATCH: stop reading, write nothing */
	char fatal_text[DL_ERROR_FORMAT_MAX];
};

typedef dl_batch_paths producer;

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
	char *grown = dl__realloc(*text, *len + n + 2);
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

/*
 * Whether a directory's entry is read as a sheet: *.xml (a sheet or a stream of them) and *.xlsx (a
 * filled workbook, docs/spreadsheets.md), the extension in any case (X.XLSX from Windows). What is
 * inside decides how it is read (dl_sheet_load recognises a workbook by its content), not the name.
 * Excel's lock files (~$自评表.xlsx, left while a workbook is open) are not workbooks: skipped.
 */
static bool sheet_name(const char *name)
{
	static const char *const ext[] = {".xml", ".xlsx"};
	size_t len = strlen(name);
	if (name[0] == '~' && name[1] == '$')
		return false;
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(ext[i]), k = 0;
		if (len <= n)
			continue;
		while (k < n && (name[len - n + k] | 0x20) == ext[i][k])
			k++;
		if (k == n)
			return true;
	}
	return false;
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
		format_line(line, sizeof(line), dir, "cannot read the directory: %s", dl_strerror(errno));
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
		if (!sheet_name(e->d_name))
			continue;
		if (count == cap) {
			size_t grown_cap = cap ? cap * 2 : 64;
			char **grown = dl__realloc(names, grown_cap * sizeof(*names));
			if (!grown) {
				out_of_memory(pr, dir);
				break;
			}
			names = grown;
			cap = grown_cap;
		}
		size_t size = dir_len + len + 2;
		if (!(names[count] = dl__malloc(size))) {
			out_of_memory(pr, dir);
			break;
		}
		snprintf(names[count++], size, "%.*s/%s", (int)dir_len, dir, e->d_name);
		errno = 0;
	}
	if (!pr->fatal && errno != 0) {
		format_line(line, sizeof(line), dir, "cannot read the directory: %s", dl_strerror(errno));
		submit_file(pr, dir, line);
	}
	closedir(dp);
	if (count > 0)
		qsort(names, count, sizeof(*names), compare_names); /* the order of the rows */
	for (size_t i = 0; i < count; i++) {
		if (!pr->fatal)
			submit_path(pr, names[i], false);
		dl__free(names[i]);
	}
	dl__free(names);
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
		format_line(line, sizeof(line), path, "cannot open: %s", dl_strerror(errno));
		submit_file(pr, path, line);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!named && !pr->opts.follow_symlinks && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
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
	const char *role, *output;
	bool into_dir;
	if (dl_file_guard_output_at(pr->opts.guard, path, &role, &output, &into_dir)) {
		format_line(line, sizeof(line), path, "this input is %s%s '%s': an output never replaces "
			    "an input, so nothing is written", into_dir ? "a file written by " : "",
			    role, output);
		fail(pr, DL_EMISMATCH, line);
		return;
	}
	char root[64];
	if (dl_document_root(path, root, sizeof(root), NULL) == 0 && strcmp(root, "answer-sheets") == 0)
		submit_stream(pr, path);
	else
		submit_file(pr, path, NULL); /* sheets, and anything broken: the worker reports it */
}

/* The list of paths, one a line ("\r\n" too; empty lines are skipped), read from pr->opts.list. */
static void submit_list(producer *pr)
{
	char *line = NULL;
	size_t len = 0, cap = 0;
	int c = 0;
	while (!pr->fatal && c != EOF) {
		c = getc(pr->opts.list);
		if (c != EOF && c != '\n') {
			if (len + 2 > cap) {
				size_t grown_cap = cap ? cap * 2 : 256;
				char *grown = dl__realloc(line, grown_cap);
				if (!grown) {
					out_of_memory(pr, "-");
					break;
				}
				line = grown;
				cap = grown_cap;
			}
			line[len++] = (char)c;
			continue;
		}
		while (len > 0 && line[len - 1] == '\r')
			len--;
		if (len > 0) {
			line[len] = '\0';
			submit_path(pr, line, true);
		}
		len = 0;
	}
	dl__free(line);
}

int dl_batch_paths_new(dl_batch_paths **out, const char *const *paths, size_t count,
		       const dl_batch_paths_options *opts)
{
	dl_batch_paths_options defaults = DL_BATCH_PATHS_OPTIONS_INIT;
	if (opts && opts->version != DL_BATCH_PATHS_OPTIONS_VERSION)
		return DL_EINVALID;
	producer *pr = dl__calloc(1, sizeof(*pr));
	if (!pr)
		return DL_ENOMEM;
	pr->paths = paths;
	pr->count = count;
	pr->opts = opts ? *opts : defaults;
	*out = pr;
	return 0;
}

/* The batch's feed: runs on its reader thread. */
int dl_batch_paths_feed(dl_batch *batch, void *arg)
{
	producer *pr = arg;
	pr->batch = batch;
	for (size_t i = 0; i < pr->count && !pr->fatal; i++) {
		if (pr->opts.list && strcmp(pr->paths[i], "-") == 0)
			submit_list(pr);
		else
			submit_path(pr, pr->paths[i], true);
	}
	return pr->fatal;
}

const char *dl_batch_paths_notes(const dl_batch_paths *p)
{
	return p->notes;
}

const char *dl_batch_paths_stream_errors(const dl_batch_paths *p)
{
	return p->stream_error_text;
}

unsigned long dl_batch_paths_broken_streams(const dl_batch_paths *p)
{
	return p->stream_errors;
}

const char *dl_batch_paths_failure(const dl_batch_paths *p)
{
	return p->fatal ? p->fatal_text : NULL;
}

void dl_batch_paths_free(dl_batch_paths *p)
{
	if (!p)
		return;
	dl__free(p->notes);
	dl__free(p->stream_error_text);
	key_set_free(&p->files);
	key_set_free(&p->dirs);
	dl__free(p);
}
