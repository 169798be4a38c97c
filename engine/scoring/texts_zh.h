/*
 * texts_zh.h: the Chinese of the sentences the scoring keeps in two languages (text_both.h), for the
 * documents: the 数字化诊断报告, the 数字化改造方案 and the cohort dashboard are Chinese whatever the
 * language of messages. Each accessor is the public one of the same name without __ and _zh, which
 * gives the language of messages. (The comparison's are in policy_model.h.) And the other way
 * round, for the writers that show one language: the findings made in that language alone.
 */
#ifndef DL_TEXTS_ZH_H
#define DL_TEXTS_ZH_H

#include "digilevel/retrofit.h"

/**
 * dl_findings_make with the sentences in one language only (DL_LANGUAGE_ZH or DL_LANGUAGE_EN; -1:
 * both, as dl_findings_make): a writer that shows one language does not pay for the other. The
 * sentences of the language not made are "".
 */
int dl__findings_make_in(dl_findings **out, const dl_result *r, int target, int language,
			 dl_error *err);

/** dl_findings_text in Chinese. Borrowed: valid until dl_findings_free(). */
const char *dl__findings_text_zh(const dl_findings *f, size_t i);

/** dl_retrofit_subsidy_note in Chinese. Borrowed: valid until dl_retrofit_free(). */
const char *dl__retrofit_subsidy_note_zh(const dl_retrofit *rt);

#endif
