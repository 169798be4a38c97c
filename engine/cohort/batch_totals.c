/*
 * batch_totals.c: the money of a dl_batch's rows, added up exactly. A total that would not fit in
 * 64 bits of fen is marked as such and never given: a wrong total is worse than none.
 *
 * Kept apart from batch_finish.c so that a unit test can add up tens of thousands of rows without
 * scoring tens of thousands of sheets (tests/unit/test_batch_totals.c).
 */
#include "batch_model.h"

bool dl__batch_totals_add(dl__batch_totals *t, const dl_batch_row *r)
{
	if (!r->has_verdict || r->subsidy <= 0)
		return true;
	t->subsidies++;
	if (t->overflow || r->subsidy > INT64_MAX - t->subsidy_total) {
		t->overflow = true;
		return false;
	}
	t->subsidy_total += r->subsidy;
	return true;
}
