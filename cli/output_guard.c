/*
 * output_guard.c: no output of a command ever replaces one of its inputs or another of its outputs.
 *
 * Every command that writes a file registers everything it reads (sheets and directories named on
 * the command line, the policy, the targets, the font, the questionnaires it loaded) and everything
 * it writes (cli_files_add), and checks them all before anything is written (cli_files_check). Inputs
 * found later -- paths listed on standard input, files in directories, questionnaires loaded on
 * demand -- are checked against the outputs as they come (cli_files_output_at), before any output
 * is moved into place.
 *
 * Two paths name the same file when they are the same string, when both exist and have the same
 * device and inode (a hard link, a symbolic link, "./x" and "x"), or when their directories have the
 * same device and inode and their last components are equal (an output not made yet). An output
 * named *.xml inside an input directory is refused too: it would be read as a sheet next time.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef cli_file_id file_id;

/* What identifies a path: its own inode if it exists, else its directory's inode and its name. */
static file_id identify(const char *path)
{
	file_id id;
	struct stat st;
	memset(&id, 0, sizeof(id));
	if (stat(path, &st) == 0) {
		id.exists = true;
		id.is_dir = S_ISDIR(st.st_mode);
		id.dev = st.st_dev;
		id.ino = st.st_ino;
	}
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	size_t start = len;
	while (start > 0 && path[start - 1] != '/')
		start--;
	id.base = path + start;
	id.base_len = len - start;
	if (id.base_len == 0 || (id.base_len == 1 && id.base[0] == '.') ||
	    (id.base_len == 2 && strncmp(id.base, "..", 2) == 0))
		return id;
	char *parent = start == 0 ? strdup(".") : strndup(path, start == 1 ? 1 : start - 1);
	if (parent && stat(parent, &st) == 0) {
		id.parent_known = true;
		id.parent_dev = st.st_dev;
		id.parent_ino = st.st_ino;
	}
	free(parent);
	return id;
}

static bool same_file(const char *a, const file_id *ia, const char *b, const file_id *ib)
{
	if (strcmp(a, b) == 0)
		return true;
	if (ia->exists && ib->exists)
		return ia->dev == ib->dev && ia->ino == ib->ino;
	return ia->parent_known && ib->parent_known && ia->parent_dev == ib->parent_dev &&
	       ia->parent_ino == ib->parent_ino && ia->base_len == ib->base_len &&
	       memcmp(ia->base, ib->base, ia->base_len) == 0;
}

/* Whether path is directly inside the output directory out and ends in one of its suffixes. */
static bool written_into(const cli_file *out, const file_id *path)
{
	if (!out->suffixes || !out->id.exists || !path->parent_known || out->id.dev != path->parent_dev ||
	    out->id.ino != path->parent_ino)
		return false;
	for (const char *const *suffix = out->suffixes; *suffix; suffix++) {
		size_t n = strlen(*suffix);
		if (path->base_len > n && memcmp(path->base + path->base_len - n, *suffix, n) == 0)
			return true;
	}
	return false;
}

/* Whether output (a file) is an *.xml file directly inside directory dir, which batch would read. */
static bool inside_directory(const file_id *output, const file_id *dir)
{
	return dir->exists && dir->is_dir && output->parent_known && output->base_len > 4 &&
	       memcmp(output->base + output->base_len - 4, ".xml", 4) == 0 &&
	       output->parent_dev == dir->dev && output->parent_ino == dir->ino;
}

int cli_files_add(cli_files *f, const char *role, const char *path, bool output)
{
	if (!path || !path[0] || strcmp(path, "-") == 0)
		return EXIT_OK;
	if (f->len == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		cli_file *grown = realloc(f->v, cap * sizeof(*grown));
		if (!grown) {
			fprintf(stderr, "digilevel: out of memory\n");
			return EXIT_SYSTEM;
		}
		f->v = grown;
		f->cap = cap;
	}
	f->v[f->len++] = (cli_file){role, path, output, NULL, identify(path)};
	return EXIT_OK;
}

int cli_files_add_output_dir(cli_files *f, const char *role, const char *dir, const char *const *suffixes)
{
	int rc = cli_files_add(f, role, dir, true);
	if (rc == EXIT_OK && dir && dir[0] && strcmp(dir, "-") != 0)
		f->v[f->len - 1].suffixes = suffixes;
	return rc;
}

int cli_files_check(const cli_files *f, const char *usage)
{
	for (size_t i = 0; i < f->len; i++) {
		const cli_file *out = &f->v[i];
		if (!out->output)
			continue;
		const file_id io = out->id;
		for (size_t k = 0; k < f->len; k++) {
			const cli_file *other = &f->v[k];
			if (k == i || (other->output && k < i))
				continue; /* each pair of outputs once */
			const file_id ik = other->id;
			if (written_into(out, &ik) || written_into(other, &io))
				return cli_usage_error(usage, "%s '%s' is where %s '%s' writes its files: %s",
						       written_into(out, &ik) ? other->role : out->role,
						       written_into(out, &ik) ? other->path : out->path,
						       written_into(out, &ik) ? out->role : other->role,
						       written_into(out, &ik) ? out->path : other->path,
						       "give each output its own file, and never write over an input");
			if (out->suffixes || other->suffixes)
				continue; /* a directory written into is judged by the files it gets */
			if (other->output && same_file(out->path, &io, other->path, &ik))
				return cli_usage_error(usage, "%s '%s' is also %s '%s': give each output its own file",
						       out->role, out->path, other->role, other->path);
			if (other->output || io.is_dir)
				continue;
			if (same_file(out->path, &io, other->path, &ik))
				return cli_usage_error(usage, "%s '%s' is %s '%s': an output never replaces an "
						       "input; write it to another file",
						       out->role, out->path, other->role, other->path);
			if (inside_directory(&io, &ik))
				return cli_usage_error(usage, "%s '%s' %s the input directory '%s': an "
						       "output never replaces an input; write it to another file",
						       out->role, out->path,
						       io.exists ? "is a file of" : "would be read as a sheet of",
						       other->path);
		}
	}
	return EXIT_OK;
}

const cli_file *cli_files_output_at(const cli_files *f, const char *path)
{
	if (!f)
		return NULL;
	file_id ip = identify(path);
	for (size_t i = 0; i < f->len; i++)
		if (f->v[i].output && (f->v[i].suffixes ? written_into(&f->v[i], &ip)
							 : same_file(path, &ip, f->v[i].path, &f->v[i].id)))
			return &f->v[i];
	return NULL;
}

void cli_files_free(cli_files *f)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
}
