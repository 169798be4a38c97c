/*
 * text_both.c: formatting a text in one of the two languages it is kept in (text_both.h).
 */
#include "text_both.h"

#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int dl__messages_language(void)
{
	/* English when the program did not set gettext up, as every other message is then */
	return dl_get_language() != DL_LANGUAGE_EN && dl__gettext_ready() ? DL_LANGUAGE_ZH
									  : DL_LANGUAGE_EN;
}

const char *dl__text_get(dl__text t)
{
	return t.in[dl__messages_language()];
}

const char *dl__tr_in(int lang, const char *msgid)
{
	return lang == DL_LANGUAGE_EN ? msgid : dl__tr_zh(msgid);
}

dl__text dl__text_tr(const char *msgid)
{
	return (dl__text){{dl__tr_zh(msgid), msgid}};
}

const char *dl__text_format(dl__arena *arena, bool *oom, int lang, const char *msgid, ...)
{
	va_list ap;
	va_start(ap, msgid);
	const char *s = dl__text_vformat(arena, oom, lang, msgid, ap);
	va_end(ap);
	return s;
}

dl__text dl__text_both(dl__arena *arena, bool *oom, const char *msgid, ...)
{
	dl__text t;
	va_list ap;
	va_start(ap, msgid);
	DL__EACH_LANGUAGE(l) {
		va_list each;
		va_copy(each, ap);
		t.in[l] = dl__text_vformat(arena, oom, l, msgid, each);
		va_end(each);
	}
	va_end(ap);
	return t;
}

const char *dl__text_vformat(dl__arena *arena, bool *oom, int lang, const char *msgid, va_list ap)
{
	char buf[4096];
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
	int n = vsnprintf(buf, sizeof(buf), dl__tr_in(lang, msgid), ap);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
	if (n < 0)
		buf[0] = '\0';
	else if ((size_t)n >= sizeof(buf)) {
		char whole[sizeof(buf)];
		memcpy(whole, buf, sizeof(buf)); /* cut at a character boundary, not inside one */
		dl__copy_truncated(buf, sizeof(buf) - 4, whole);
	}
	const char *s = dl__arena_strdup(arena, buf);
	if (!s) {
		*oom = true;
		return "";
	}
	return s;
}
