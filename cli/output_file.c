/*
 * output_file.c: how every command writes a file it was asked to write (a PDF, a CSV, JSON Lines):
 * never half of it.
 *
 * A regular file (or a new one) is written as a temporary file in the same directory and renamed
 * over the target once every byte is on disk, so a failure (full disk, killed process) leaves the
 * old file or none, never a partial one. "-" is standard output. A path that names something other
 * than a regular file (/dev/null, /dev/full, a pipe) cannot be replaced by a rename, so it is
 * written directly, and a write error there is reported like any other.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int report_failure(const cli_output *o, int error)
{
	if (strcmp(o->path, "-") == 0)
		fprintf(stderr, "digilevel: cannot write to standard output: %s\n",
			strerror(error ? error : EIO));
	else
		fprintf(stderr, "digilevel: cannot write '%s': %s\n", o->path,
			strerror(error ? error : EIO));
	return EXIT_SYSTEM;
}

/* "dir/.name.XXXXXX" for "dir/name"; NULL when path has no file name or memory ran out. */
static char *temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (base[0] == '\0')
		return NULL;
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	size_t size = strlen(path) + sizeof(".") + sizeof(".XXXXXX");
	char *tmp = malloc(size);
	if (tmp)
		snprintf(tmp, size, "%.*s.%s.XXXXXX", (int)dir_len, path, base);
	return tmp;
}

int cli_output_open(cli_output *o, const char *path)
{
	struct stat st;
	memset(o, 0, sizeof(*o));
	o->path = path;
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		return EXIT_OK;
	}
	bool exists = stat(path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "digilevel: cannot write '%s': it is a directory\n", path);
		return EXIT_SYSTEM;
	}
	if (exists && !S_ISREG(st.st_mode)) {
		o->f = fopen(path, "w");
		return o->f ? EXIT_OK : report_failure(o, errno);
	}
	o->tmp = temp_name(path);
	if (!o->tmp) {
		fprintf(stderr, "digilevel: cannot write '%s': not a file name\n", path);
		return EXIT_SYSTEM;
	}
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		int saved = errno;
		free(o->tmp);
		o->tmp = NULL;
		return report_failure(o, saved);
	}
	/* mkstemp makes the file 0600; give it the mode a plain new file would have */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 || !(o->f = fdopen(fd, "w"))) {
		int saved = errno;
		close(fd);
		cli_output_abort(o);
		return report_failure(o, saved);
	}
	return EXIT_OK;
}

int cli_output_commit(cli_output *o)
{
	if (o->f == stdout) {
		o->f = NULL;
		return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : report_failure(o, errno);
	}
	errno = 0;
	bool ok = !ferror(o->f) && fflush(o->f) == 0;
	if (ok && o->tmp)
		ok = fsync(fileno(o->f)) == 0;
	int saved = errno;
	ok = fclose(o->f) == 0 && ok;
	o->f = NULL;
	if (!saved)
		saved = errno;
	if (ok && o->tmp && rename(o->tmp, o->path) != 0) {
		ok = false;
		saved = errno;
	}
	if (!ok) {
		cli_output_abort(o);
		return report_failure(o, saved);
	}
	free(o->tmp);
	o->tmp = NULL;
	return EXIT_OK;
}

void cli_output_abort(cli_output *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp) {
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
}

int cli_write_output(const char *path, const void *data, size_t len)
{
	cli_output o;
	int rc = cli_output_open(&o, path);
	if (rc != EXIT_OK)
		return rc;
	if (len > 0 && fwrite(data, 1, len, o.f) != len) {
		int saved = errno;
		cli_output_abort(&o);
		return report_failure(&o, saved);
	}
	return cli_output_commit(&o);
}

bool cli_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (strcmp(a, b) == 0)
		return true;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* Whether output is an *.xml file in directory dir, which batch and cohort read as a sheet. */
static bool read_from_directory(const char *output, const char *dir)
{
	struct stat sd, so;
	size_t len = strlen(output);
	if (len < 4 || strcmp(output + len - 4, ".xml") != 0 || stat(dir, &sd) != 0 || !S_ISDIR(sd.st_mode))
		return false;
	const char *slash = strrchr(output, '/');
	char *parent = slash ? strndup(output, slash == output ? 1 : (size_t)(slash - output)) : strdup(".");
	bool same = parent && stat(parent, &so) == 0 && so.st_dev == sd.st_dev && so.st_ino == sd.st_ino;
	free(parent);
	return same;
}

int cli_refuse_output_over_input(const char *usage, const char *option, const char *output,
				 char **paths, int count, const char *const *others)
{
	if (!output || strcmp(output, "-") == 0)
		return EXIT_OK;
	for (int i = 0; i < count; i++)
		if (strcmp(paths[i], "-") != 0 &&
		    (cli_same_file(output, paths[i]) || read_from_directory(output, paths[i])))
			return cli_usage_error(usage, "%s '%s' is one of the inputs; write it to another file",
					       option, output);
	for (; others && *others; others++)
		if (cli_same_file(output, *others))
			return cli_usage_error(usage, "%s '%s' is one of the inputs; write it to another file",
					       option, output);
	return EXIT_OK;
}
