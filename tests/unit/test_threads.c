/*
 * test_threads.c: one loaded questionnaire scores sheets from several threads at once, and every
 * thread gets exactly the JSON a single thread gets. This backs the promise in questionnaire.h that
 * a loaded questionnaire is immutable and may be shared.
 */
#include <digilevel.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#define THREADS 4
#define ROUNDS 5

static const char *const SHEETS[] = {
	"examples/food-before.xml",     "examples/food-after.xml",     "examples/textile-before.xml",
	"examples/textile-after.xml",   "examples/equipment-before.xml", "examples/equipment-after.xml",
	"examples/fuel-before.xml",     "examples/fuel-after.xml",     "examples/chemical-before.xml",
	"examples/chemical-after.xml",
};
#define SHEET_COUNT (sizeof(SHEETS) / sizeof(SHEETS[0]))

static const dl_questionnaire *shared_q;
static char *expected[SHEET_COUNT];

static char *score_json(const char *path)
{
	dl_sheet *s = NULL;
	dl_result *r = NULL;
	gathered out = {NULL, 0};
	dl_error err;
	if (dl_sheet_load(&s, path, NULL, &err) == 0 && dl_score(&r, shared_q, s, NULL, &err) == 0)
		dl_result_write_json(r, s, NULL, gather, &out);
	else
		fprintf(stderr, "%s: %s\n", path, err.message);
	dl_result_free(r);
	dl_sheet_free(s);
	return out.data;
}

static void *worker(void *arg)
{
	size_t offset = (size_t)(unsigned long)arg;
	long mismatches = 0;
	for (int round = 0; round < ROUNDS; round++)
		for (size_t i = 0; i < SHEET_COUNT; i++) {
			size_t k = (i + offset) % SHEET_COUNT;
			char *json = score_json(SHEETS[k]);
			if (!json || strcmp(json, expected[k]) != 0)
				mismatches++;
			free(json);
		}
	return (void *)mismatches;
}

int main(void)
{
	dl_questionnaire *q = NULL;
	dl_error err;
	if (dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, &err) != 0) {
		printf("not ok - load: %s\n", err.message);
		return 1;
	}
	shared_q = q;
	for (size_t i = 0; i < SHEET_COUNT; i++)
		if (!(expected[i] = score_json(SHEETS[i]))) {
			printf("not ok - %s scores\n", SHEETS[i]);
			failed = 1;
		}
	pthread_t threads[THREADS];
	for (unsigned long t = 0; !failed && t < THREADS; t++)
		pthread_create(&threads[t], NULL, worker, (void *)t);
	long mismatches = 0;
	for (int t = 0; !failed && t < THREADS; t++) {
		void *ret;
		pthread_join(threads[t], &ret);
		mismatches += (long)ret;
	}
	printf("%s - %d threads x %d rounds x %zu sheets give the single-thread JSON (%ld mismatches)\n",
	       mismatches || failed ? "not ok" : "ok", THREADS, ROUNDS, SHEET_COUNT, mismatches);
	for (size_t i = 0; i < SHEET_COUNT; i++)
		free(expected[i]);
	dl_questionnaire_free(q);
	return failed || mismatches != 0;
}
