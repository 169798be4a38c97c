/*
 * text_both.h: a text a person reads, kept in both languages.
 *
 * A verdict's reasons, the phase basis, the subsidy steps and the other sentences the scoring writes
 * are read in two places: the terminal (compare, score), in the language of messages, and the
 * official Chinese documents (验收意见, 数字化诊断报告, the cohort dashboard), always in Chinese
 * (docs/messages.md). So each is formatted twice when it is decided, from its English msgid and from
 * the msgid's Chinese translation, and both are kept: the public accessors give dl__text_get (the
 * language of messages), the documents dl__text_zh.
 *
 * A sentence made of parts formats each part in the same language: the code loops over the two
 * languages and passes the part of that language (dl__tr_in, .in[lang]):
 *
 *	for (int l = 0; l < DL__LANGUAGES; l++)
 *		r->text.in[l] = dl__text_format(arena, &oom, l, N_("level %s, %s"), name, sub.in[l]);
 */
#ifndef DL_TEXT_BOTH_H
#define DL_TEXT_BOTH_H

#include "arena.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdbool.h>

#define DL__LANGUAGES 2 /* indices DL_LANGUAGE_ZH and DL_LANGUAGE_EN */

typedef struct dl__text {
	const char *in[DL__LANGUAGES];
} dl__text;

/** for (int l = 0; l < DL__LANGUAGES; l++): each language in turn, l indexing dl__text.in. */
#define DL__EACH_LANGUAGE(l) for (int l = 0; l < DL__LANGUAGES; l++)

/** The empty text (both languages ""). */
#define DL__TEXT_EMPTY ((dl__text){{"", ""}})

/**
 * The index (DL_LANGUAGE_ZH or DL_LANGUAGE_EN) of the language of messages: dl_get_language, but
 * English when the program has not set gettext up (a message is then English, docs/messages.md).
 */
int dl__messages_language(void);

/** The text in the language of messages (dl__messages_language). */
const char *dl__text_get(dl__text t);

/** The Chinese text, for documents. */
static inline const char *dl__text_zh(dl__text t) { return t.in[DL_LANGUAGE_ZH]; }

/** The same string in both languages (a name, a date, data the user wrote). */
static inline dl__text dl__text_same(const char *s) { return (dl__text){{s, s}}; }

/** A msgid in the language with index lang: its Chinese translation, or itself for English. */
const char *dl__tr_in(int lang, const char *msgid);

/** A msgid in both languages (a fixed text, no arguments: no copy). */
dl__text dl__text_tr(const char *msgid);

/**
 * msgid translated into language lang and formatted with the arguments, copied into arena; the
 * formatted text is cut at a character boundary past 4095 bytes. On no memory "" and *oom set.
 */
const char *dl__text_format(dl__arena *arena, bool *oom, int lang, const char *msgid, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;
/**
 * msgid formatted in both languages with the same arguments (names, dates, numbers: nothing that is
 * itself a text of one language), into arena. On no memory "" and *oom set.
 */
dl__text dl__text_both(dl__arena *arena, bool *oom, const char *msgid, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
const char *dl__text_vformat(dl__arena *arena, bool *oom, int lang, const char *msgid, va_list ap);

#endif
