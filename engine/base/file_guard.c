/*
 * file_guard.c: no output of a program ever replaces one of its inputs or another of its outputs
 * (include/digilevel/files.h).
 *
 * A program registers everything it reads (sheets and directories named on its command line, the
 * policy, the targets, the font, the questionnaires it loaded) and everything it writes, and checks
 * them all before anything is written (dl_file_guard_check). Inputs found later -- paths listed on
 * standard input, files in directories -- are checked against the outputs as they come
 * (dl_file_guard_output_at), before any output is moved into place.
 *
 * Each path is identified once, when added: its own device and inode if it exists, and its
 * directory's device and inode and its last component (what an output not made yet will be).
 */
#include "alloc.h"
#include "i18n.h"
#include "digilevel/files.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* How a path is known: its device and inode, or (not made yet) its directory's and its name. */
typedef struct file_id {
	bool exists, is_dir, parent_known;
	dev_t dev, parent_dev;
	ino_t ino, parent_ino;
	const char *base; /* points into the path */
	size_t base_len;
} file_id;

typedef struct guarded {
	char *role, *path; /* owned, one allocation (role first) */
	bool output;
	const char *const *suffixes; /* an output directory: its files ending so are outputs */
	bool tree;		     /* an output directory written whole, at any depth */
	file_id id;
} guarded;

struct dl_file_guard {
	guarded *v;
	size_t len, cap;
};

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
	/* the directory: ".", "/", or the path up to the last '/' */
	size_t parent_len = start == 0 ? 1 : start == 1 ? 1 : start - 1;
	char *parent = dl__malloc(parent_len + 1);
	if (parent) {
		memcpy(parent, start == 0 ? "." : path, parent_len);
		parent[parent_len] = '\0';
	}
	if (parent && stat(parent, &st) == 0) {
		id.parent_known = true;
		id.parent_dev = st.st_dev;
		id.parent_ino = st.st_ino;
	}
	dl__free(parent);
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
static bool written_into(const guarded *out, const file_id *path)
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

/* How many directories lies_within climbs at most. */
#define CLIMB_MAX 128

/*
 * Whether path (a file or a directory, made or not) is the directory (dev, ino) or lies inside it at
 * any depth: climbs from path (a directory) or its directory through "..", which the system resolves
 * after any symbolic link, until the root.
 */
static bool lies_within(const char *path, dev_t dev, ino_t ino)
{
	size_t len = strlen(path);
	char *buf = dl__malloc(len + (size_t)3 * CLIMB_MAX + 3);
	if (!buf)
		return false;
	memcpy(buf, path, len + 1);
	struct stat st;
	if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) { /* a file, or not made yet: its directory */
		while (len > 1 && buf[len - 1] == '/')
			len--;
		while (len > 0 && buf[len - 1] != '/')
			len--;
		while (len > 1 && buf[len - 1] == '/')
			len--;
		if (len == 0)
			buf[len++] = '.';
		buf[len] = '\0';
	}
	bool found = false, first = true;
	dev_t last_dev = 0;
	ino_t last_ino = 0;
	for (int depth = 0; depth < CLIMB_MAX && stat(buf, &st) == 0; depth++) {
		if (st.st_dev == dev && st.st_ino == ino) {
			found = true;
			break;
		}
		if (!first && st.st_dev == last_dev && st.st_ino == last_ino)
			break; /* the root is its own parent */
		first = false;
		last_dev = st.st_dev;
		last_ino = st.st_ino;
		memcpy(buf + len, "/..", 4);
		len += 3;
	}
	dl__free(buf);
	return found;
}

/* Whether other (an input or another output) lies inside the output tree; if so, why in message. */
static bool tree_clash(const guarded *tree, const guarded *other, char *message, size_t size)
{
	if (tree->id.exists && tree->id.is_dir && lies_within(other->path, tree->id.dev, tree->id.ino)) {
		snprintf(message, size,
			 other->output ? _("%s '%s' is inside %s '%s', which is written as a whole: give "
					   "each output its own place")
				       : _("%s '%s' is inside %s '%s', which is written as a whole: an "
					   "output never replaces an input; write it elsewhere"),
			 _(other->role), other->path, _(tree->role), tree->path);
		return true;
	}
	return false;
}

int dl_file_guard_new(dl_file_guard **out)
{
	*out = dl__calloc(1, sizeof(**out));
	return *out ? 0 : DL_ENOMEM;
}

void dl_file_guard_free(dl_file_guard *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->len; i++)
		dl__free(g->v[i].role);
	dl__free(g->v);
	dl__free(g);
}

int dl_file_guard_add(dl_file_guard *g, const char *role, const char *path, bool output)
{
	if (!path || !path[0] || strcmp(path, "-") == 0)
		return 0;
	if (g->len == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 16;
		guarded *grown = dl__realloc(g->v, cap * sizeof(*grown));
		if (!grown)
			return DL_ENOMEM;
		g->v = grown;
		g->cap = cap;
	}
	size_t role_len = strlen(role), path_len = strlen(path);
	char *copy = dl__malloc(role_len + path_len + 2);
	if (!copy)
		return DL_ENOMEM;
	memcpy(copy, role, role_len + 1);
	memcpy(copy + role_len + 1, path, path_len + 1);
	guarded *f = &g->v[g->len++];
	*f = (guarded){copy, copy + role_len + 1, output, NULL, false, identify(copy + role_len + 1)};
	return 0;
}

int dl_file_guard_add_output_dir(dl_file_guard *g, const char *role, const char *dir,
				 const char *const *suffixes)
{
	size_t before = g->len;
	int rc = dl_file_guard_add(g, role, dir, true);
	if (rc == 0 && g->len > before)
		g->v[g->len - 1].suffixes = suffixes;
	return rc;
}

int dl_file_guard_add_output_tree(dl_file_guard *g, const char *role, const char *dir)
{
	size_t before = g->len;
	int rc = dl_file_guard_add(g, role, dir, true);
	if (rc == 0 && g->len > before)
		g->v[g->len - 1].tree = true;
	return rc;
}

int dl_file_guard_check(const dl_file_guard *g, char *message, size_t size)
{
	for (size_t i = 0; i < g->len; i++) {
		const guarded *out = &g->v[i];
		if (!out->output)
			continue;
		const file_id *io = &out->id;
		for (size_t k = 0; k < g->len; k++) {
			const guarded *other = &g->v[k];
			if (k == i || (other->output && k < i))
				continue; /* each pair of outputs once */
			const file_id *ik = &other->id;
			if ((out->tree && tree_clash(out, other, message, size)) ||
			    (other->tree && tree_clash(other, out, message, size)))
				return DL_EMISMATCH;
			bool into_out = written_into(out, ik);
			if (into_out || written_into(other, io)) {
				const guarded *file = into_out ? other : out, *dir = into_out ? out : other;
				snprintf(message, size,
					 _("%s '%s' is where %s '%s' writes its files: give each output its "
					   "own file, and never write over an input"),
					 _(file->role), file->path, _(dir->role), dir->path);
				return DL_EMISMATCH;
			}
			if (out->suffixes || other->suffixes)
				continue; /* a directory written into is judged by the files it gets */
			if (other->output && same_file(out->path, io, other->path, ik)) {
				snprintf(message, size, _("%s '%s' is also %s '%s': give each output its own file"),
					 _(out->role), out->path, _(other->role), other->path);
				return DL_EMISMATCH;
			}
			if (other->output || io->is_dir)
				continue;
			if (same_file(out->path, io, other->path, ik)) {
				snprintf(message, size,
					 _("%s '%s' is %s '%s': an output never replaces an input; write it to "
					   "another file"),
					 _(out->role), out->path, _(other->role), other->path);
				return DL_EMISMATCH;
			}
			if (inside_directory(io, ik)) {
				snprintf(message, size,
					 io->exists ? _("%s '%s' is a file of the input directory '%s': an "
							"output never replaces an input; write it to another "
							"file")
						    : _("%s '%s' would be read as a sheet of the input directory "
							"'%s': an output never replaces an input; write it to "
							"another file"),
					 _(out->role), out->path, other->path);
				return DL_EMISMATCH;
			}
		}
	}
	return 0;
}

int dl_file_guard_output_at(const dl_file_guard *g, const char *path, const char **role,
			    const char **output, bool *into_dir)
{
	if (!g)
		return 0;
	file_id ip = identify(path);
	for (size_t i = 0; i < g->len; i++) {
		const guarded *f = &g->v[i];
		bool in_tree = f->tree && f->id.exists && f->id.is_dir &&
			       lies_within(path, f->id.dev, f->id.ino);
		if (f->output && (in_tree || (f->suffixes ? written_into(f, &ip)
							 : same_file(path, &ip, f->path, &f->id)))) {
			*role = f->role;
			*output = f->path;
			*into_dir = f->suffixes != NULL || f->tree;
			return 1;
		}
	}
	return 0;
}
