/*
 * score_bench.c: the engine's part of one `POST /api/score`, in process and without HTTP: read a
 * sheet from memory keeping every problem (dl_sheet_load_memory_to_check), score it, write its JSON
 * (dl_result_write_json, the bytes of `digilevel score --format json`) to a growing buffer. Not a
 * test: docs/performance.md ("Scoring in memory") counts its instructions with callgrind.
 *
 *   score_bench [ROUNDS [TARGET]]   (default 200 rounds, no target; run from the repository root)
 *
 * Each round scores the ten bundled examples once, after one unrecorded round (the questionnaire
 * is loaded and its solution catalogue found before it, once, as a server does). It prints the
 * CPU microseconds per sheet and a checksum of the JSON bytes, so that two builds can be compared.
 * For instructions: valgrind --tool=callgrind --toggle-collect=score_one BUILD/bench/score_bench 10
 */
#define _POSIX_C_SOURCE 200809L

#include <digilevel.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const SHEETS[] = {
	"chemical-before", "chemical-after", "equipment-before", "equipment-after", "food-before",
	"food-after",      "fuel-before",    "fuel-after",       "textile-before",  "textile-after"};
#define NSHEETS (sizeof(SHEETS) / sizeof(SHEETS[0]))

typedef struct sink {
	char *data;
	size_t len, cap;
	unsigned long sum;
} sink;

static int sink_write(void *userdata, const char *data, size_t len)
{
	sink *k = userdata;
	if (k->len + len > k->cap) {
		size_t cap = k->cap ? k->cap : 65536;
		while (cap < k->len + len)
			cap *= 2;
		char *p = realloc(k->data, cap);
		if (!p)
			return DL_ENOMEM;
		k->data = p;
		k->cap = cap;
	}
	memcpy(k->data + k->len, data, len);
	k->len += len;
	return 0;
}

/* One request's work on the engine's side; noinline so that callgrind can count it alone. */
__attribute__((noinline)) static int score_one(const dl_questionnaire *q, const char *data, size_t len,
					       int target, sink *k)
{
	dl_sheet *s = NULL;
	dl_result *r = NULL;
	dl_plan *p = NULL;
	dl_error err = {0};
	int rc = dl_sheet_load_memory_to_check(&s, data, len, "sheet.xml", NULL, &err);
	if (rc == 0)
		rc = dl_score(&r, q, s, NULL, &err);
	if (rc == 0 && target >= 0)
		rc = dl_plan_make(&p, r, target, &err);
	k->len = 0;
	if (rc == 0)
		rc = dl_result_write_json(r, s, p, sink_write, k);
	if (rc < 0)
		fprintf(stderr, "score_bench: %s: %s\n", err.file, err.message);
	dl_plan_free(p);
	dl_result_free(r);
	dl_sheet_free(s);
	return rc;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;
	if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)n)) && fread(data, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	else {
		free(data);
		data = NULL;
	}
	if (f)
		fclose(f);
	return data;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 200, target = argc > 2 ? atoi(argv[2]) : -1;
	char *data[NSHEETS] = {0};
	size_t len[NSHEETS] = {0};
	dl_questionnaire *q = NULL;
	dl_error err = {0};
	sink k = {0};
	int rc = dl_questionnaire_find(&q, "questionnaires", "miit-2024", "2024", NULL, &err);
	for (size_t i = 0; rc == 0 && i < NSHEETS; i++) {
		char path[128];
		snprintf(path, sizeof(path), "examples/%s.xml", SHEETS[i]);
		if (!(data[i] = read_all(path, &len[i]))) {
			fprintf(stderr, "score_bench: cannot read %s (run from the repository root)\n", path);
			rc = -1;
		}
	}
	if (rc == DL_ENOTFOUND || (rc < 0 && err.message[0]))
		fprintf(stderr, "score_bench: %s: %s\n", err.file, err.message);
	for (size_t i = 0; rc == 0 && i < NSHEETS; i++) /* warm-up: the catalogue is found here */
		rc = score_one(q, data[i], len[i], target, &k);
	k.sum = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for (int round = 0; rc == 0 && round < rounds; round++)
		for (size_t i = 0; rc == 0 && i < NSHEETS; i++) {
			rc = score_one(q, data[i], len[i], target, &k);
			for (size_t b = 0; b < k.len; b++)
				k.sum = k.sum * 31 + (unsigned char)k.data[b];
		}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	double us = ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3);
	if (rc == 0 && rounds > 0)
		printf("%d rounds of %zu sheets: %.1f us of CPU per sheet; JSON checksum %08lx\n", rounds,
		       NSHEETS, us / rounds / (double)NSHEETS, k.sum & 0xffffffffUL);
	for (size_t i = 0; i < NSHEETS; i++)
		free(data[i]);
	free(k.data);
	dl_questionnaire_free(q);
	return rc == 0 ? 0 : 1;
}
