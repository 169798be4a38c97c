/*
 * fuzz_catalogue.c: libFuzzer target for the solution catalogue loader (parse, schema, meaning
 * checks) and, for catalogues that load, the check against the 2024 questionnaire and every
 * accessor: strings are valid UTF-8, cost and weeks ranges are in order as the loader promised,
 * every provider index a solution gives is one the catalogue has. The questionnaire is read once,
 * from questionnaires/miit-2024.xml (run from the top of the tree, as `make check` does) or from
 * $DL_FUZZ_QUESTIONNAIRE; without it only loading and reading are fuzzed.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dl_catalogue *c = NULL;
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	dl_error err;
	opts.diag = fuzz_diag;
	if (dl_catalogue_load_memory(&c, (const char *)data, size, "fuzz.xml", &opts, &err) < 0)
		return 0;
	fuzz_check_text("title", dl_catalogue_title(c));
	fuzz_check_text("note", dl_catalogue_note(c));
	for (size_t i = 0; i < dl_catalogue_source_count(c); i++) {
		fuzz_check_text("source title", dl_catalogue_source_title(c, i));
		fuzz_check_text("source url", dl_catalogue_source_url(c, i));
	}
	for (size_t i = 0; i < dl_catalogue_provider_count(c); i++)
		fuzz_check_text("provider", dl_catalogue_provider_name(c, i));
	for (size_t i = 0; i < dl_catalogue_solution_count(c); i++) {
		fuzz_check_text("solution name", dl_catalogue_solution_name(c, i));
		fuzz_check_text("solution description", dl_catalogue_solution_description(c, i));
		if (dl_catalogue_solution_cost_low(c, i) > dl_catalogue_solution_cost_high(c, i) ||
		    dl_catalogue_solution_weeks_low(c, i) > dl_catalogue_solution_weeks_high(c, i))
			fuzz_fail("a range upside down loaded", dl_catalogue_solution_id(c, i));
		for (size_t k = 0; k < dl_catalogue_solution_provider_count(c, i); k++)
			if (dl_catalogue_solution_provider(c, i, k) >= dl_catalogue_provider_count(c))
				fuzz_fail("a provider index out of range", dl_catalogue_solution_id(c, i));
		char buf[32];
		fuzz_check_text("万元", dl_wan_format(dl_catalogue_solution_cost_high(c, i), buf, sizeof(buf)));
	}
	const dl_questionnaire *q = fuzz_questionnaire();
	if (q)
		(void)dl_catalogue_check(c, q, &opts, &err);
	dl_catalogue_free(c);
	return 0;
}
