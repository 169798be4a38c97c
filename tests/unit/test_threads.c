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
	if (!check(dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, &err) == 0,
		   "load questionnaires/miit-2024.xml")) {
		printf("# %s\n", err.message);
		return test_done();
	}
	shared_q = q;
	bool scored = true;
	for (size_t i = 0; i < SHEET_COUNT; i++)
		scored &= check((expected[i] = score_json(SHEETS[i])) != NULL, "%s scores in one thread",
				SHEETS[i]);
	pthread_t threads[THREADS];
	unsigned long started = 0;
	for (; scored && started < THREADS; started++)
		if (pthread_create(&threads[started], NULL, worker, (void *)started) != 0)
			break;
	long mismatches = 0;
	for (unsigned long t = 0; t < started; t++) {
		void *ret;
		pthread_join(threads[t], &ret);
		mismatches += (long)ret;
	}
	if (scored)
		check(started == THREADS && mismatches == 0,
		      "%lu threads x %d rounds x %zu sheets give the single-thread JSON (%ld mismatches)",
		      started, ROUNDS, SHEET_COUNT, mismatches);
	for (size_t i = 0; i < SHEET_COUNT; i++)
		free(expected[i]);
	dl_questionnaire_free(q);
	return test_done();
}
