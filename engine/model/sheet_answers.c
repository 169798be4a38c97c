/*
 * sheet_answers.c: a sheet's answers and scenario levels as written (include/digilevel/sheet.h),
 * for comparing two versions of one sheet without scoring either, and the credit-code check for
 * codes typed outside a sheet.
 */
#include "creditcode.h"
#include "sheet_model.h"

#include <assert.h>

size_t dl_sheet_answer_count(const dl_sheet *s) { return s->answer_count; }

const char *dl_sheet_answer_question(const dl_sheet *s, size_t i)
{
	assert(i < s->answer_count);
	return i < s->answer_count ? s->answers[i].question : "";
}

size_t dl_sheet_answer_choice_count(const dl_sheet *s, size_t i)
{
	assert(i < s->answer_count);
	return i < s->answer_count ? s->answers[i].choice_count : 0;
}

const char *dl_sheet_answer_choice(const dl_sheet *s, size_t i, size_t k)
{
	assert(i < s->answer_count && k < s->answers[i].choice_count);
	return i < s->answer_count && k < s->answers[i].choice_count ? s->answers[i].choices[k].option
								      : "";
}

const char *dl_sheet_answer_value(const dl_sheet *s, size_t i)
{
	assert(i < s->answer_count);
	return i < s->answer_count && s->answers[i].value ? s->answers[i].value : "";
}

size_t dl_sheet_scenario_count(const dl_sheet *s) { return s->scenario_count; }

const char *dl_sheet_scenario_id(const dl_sheet *s, size_t i)
{
	assert(i < s->scenario_count);
	return i < s->scenario_count ? s->scenarios[i].id : "";
}

const char *dl_sheet_scenario_level_text(const dl_sheet *s, size_t i)
{
	assert(i < s->scenario_count);
	return i < s->scenario_count && s->scenarios[i].level ? s->scenarios[i].level : "";
}

int dl_credit_code_check(const char *code, char *why, size_t why_size)
{
	if (why && why_size)
		why[0] = '\0';
	return dl__credit_code_check(code ? code : "", why, why_size);
}
