/*
 * test_retrofit_plan_alloc.c: every allocation of dl_retrofit_from_sheet (with a policy, so the
 * expected sheets are scored and compared) failing in turn, and every 7th of dl_report_plan's text
 * dump: each must end in DL_ENOMEM, hand out nothing and leave no block of the library allocated.
 *
 * The library's allocator (dl_set_allocator) is set once, before anything else, to one that counts
 * live blocks and fails the allocation numbered fail_at (0: never). libxml2's allocations are not
 * the library's (test_alloc_fail.c fails those). The blocks live before each call are the baseline
 * (a plain load and free of the inputs leaves a few of the library's process-wide caches, not
 * counted here). Run from the top of the tree.
 */
#include "digilevel.h"
#include "test_util.h"

static unsigned long allocations, fail_at;
static long live;

static void *count_malloc(size_t n)
{
	if (fail_at && ++allocations == fail_at)
		return NULL;
	void *p = malloc(n);
	live += p != NULL;
	return p;
}

static void *count_realloc(void *p, size_t n)
{
	if (fail_at && ++allocations == fail_at)
		return NULL;
	void *q = realloc(p, n);
	live += p == NULL && q != NULL;
	return q;
}

static void count_free(void *p)
{
	live -= p != NULL;
	free(p);
}

int main(void)
{
	dl_questionnaire *q = NULL;
	dl_catalogue *cat = NULL;
	dl_policy *policy = NULL;
	dl_sheet *s = NULL;
	dl_result *r = NULL;
	dl_plan *p = NULL;
	dl_error err = {0};

	if (!check(dl_set_allocator(count_malloc, count_realloc, count_free) == 0, "the allocator is set") ||
	    !check(dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, &err) == 0, "questionnaire") ||
	    !check(dl_catalogue_find(&cat, q, NULL, &err) == 0, "catalogue") ||
	    !check(dl_policy_load(&policy, "policies/hongsibu-2024.xml", NULL, &err) == 0, "policy") ||
	    !check(dl_sheet_load(&s, "examples/food-before.xml", NULL, &err) == 0 && dl_score(&r, q, s, NULL, &err) == 0 &&
			   dl_plan_make_with(&p, r, 2, cat, &err) == 0,
		   "the food sheet scores"))
		goto done;

	unsigned long n, bad = 0, tries = 0;
	for (n = 1;; n++) {
		dl_retrofit *rt = NULL;
		long before = live;
		allocations = 0;
		fail_at = n;
		int rc = dl_retrofit_from_sheet(&rt, r, s, p, cat, policy, &err);
		fail_at = 0;
		tries++;
		if (rc == 0) {
			dl_retrofit_free(rt);
			break;
		}
		if (rc != DL_ENOMEM || rt != NULL || live != before) {
			printf("# allocation %lu: rc %d, %ld blocks left (%s)\n", n, rc, live - before, err.message);
			bad++;
		}
	}
	check(bad == 0 && tries > 20, "dl_retrofit_from_sheet: each of %lu allocations failing gives DL_ENOMEM and no leak",
	      tries - 1);

	dl_report_options ro = DL_REPORT_OPTIONS_INIT;
	ro.format = DL_REPORT_TEXT;
	ro.policy = policy;
	ro.catalogue = cat;
	bad = tries = 0;
	for (n = 1;; n += 7) {
		unsigned char *out = NULL;
		size_t len = 0;
		long before = live;
		allocations = 0;
		fail_at = n;
		int rc = dl_report_plan(&out, &len, r, s, &ro, &err);
		fail_at = 0;
		tries++;
		if (rc == 0 && allocations < n) {
			dl_report_free(out);
			break;
		}
		dl_report_free(out);
		if (rc != DL_ENOMEM || out != NULL || live != before) {
			printf("# allocation %lu: rc %d, %ld blocks left (%s)\n", n, rc, live - before, err.message);
			bad++;
		}
	}
	check(bad == 0 && tries > 20, "dl_report_plan: every 7th of its allocations failing gives DL_ENOMEM and no leak (%lu tried)",
	      tries - 1);
done:
	dl_plan_free(p);
	dl_result_free(r);
	dl_sheet_free(s);
	dl_policy_free(policy);
	dl_catalogue_free(cat);
	dl_questionnaire_free(q);
	return test_done();
}
