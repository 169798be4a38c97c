/*
 * replay.c: a plain driver that feeds saved inputs to a libFuzzer target, so that `make check` can
 * replay every fuzz corpus (tests/fuzz/NAME/) without a fuzzer and CI needs no clang.
 *
 *   replay-NAME PATH...   each PATH is a file, or a directory whose regular files are replayed in
 *                         name order (not recursively)
 *
 * Every input goes through LLVMFuzzerTestOneInput exactly as libFuzzer would pass it: a fresh heap
 * buffer of exactly the input's size, so that ASan and valgrind see any read past its end. The
 * driver itself checks nothing: a target reports a broken invariant by aborting, and sanitizers and
 * valgrind report memory errors. Exit status 0 when every input ran, 2 when a path cannot be read.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target, as with libFuzzer. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static size_t replayed;

/* Read the whole file at path into a buffer of exactly its size; returns 0 or -1. */
static int read_all(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t used = 0, cap = 0;
	if (!f)
		return -1;
	for (;;) {
		if (used == cap) {
			size_t next = cap ? cap * 2 : 65536;
			uint8_t *grown = realloc(buf, next);
			if (!grown) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = grown;
			cap = next;
		}
		size_t got = fread(buf + used, 1, cap - used, f);
		used += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return -1;
	}
	/* an exact-size copy, so that a read one byte past the end is caught */
	uint8_t *exact = malloc(used ? used : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	if (used)
		memcpy(exact, buf, used);
	free(buf);
	*out = exact;
	*len = used;
	return 0;
}

static int replay_file(const char *path)
{
	uint8_t *data = NULL;
	size_t len = 0;
	if (read_all(path, &data, &len) != 0) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		return -1;
	}
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	replayed++;
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir)
{
	DIR *dp = opendir(dir);
	if (!dp) {
		fprintf(stderr, "replay: cannot open directory %s\n", dir);
		return -1;
	}
	char **names = NULL;
	size_t count = 0, cap = 0;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		if (count == cap) {
			size_t next = cap ? cap * 2 : 64;
			char **grown = realloc(names, next * sizeof(*names));
			if (!grown) {
				rc = -1;
				break;
			}
			names = grown;
			cap = next;
		}
		size_t need = strlen(dir) + strlen(e->d_name) + 2;
		names[count] = malloc(need);
		if (!names[count]) {
			rc = -1;
			break;
		}
		snprintf(names[count], need, "%s/%s", dir, e->d_name);
		count++;
	}
	closedir(dp);
	if (count)
		qsort(names, count, sizeof(*names), compare_names);
	for (size_t i = 0; i < count; i++) {
		struct stat st;
		if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    replay_file(names[i]) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: cannot stat %s\n", argv[i]);
			rc = 2;
		} else if (S_ISDIR(st.st_mode) ? replay_dir(argv[i]) != 0 : replay_file(argv[i]) != 0) {
			rc = 2;
		}
	}
	printf("replayed %zu inputs\n", replayed);
	return rc;
}
