/*
 * test_i18n.h: bind the Chinese message catalogue in a unit test as the program does
 * (cli/language.c), so that what the library writes in-process (documents, whose sentences come
 * through dl__tr_zh) is what `digilevel` writes. Include after <digilevel.h>.
 */
#ifndef DL_TESTS_TEST_I18N_H
#define DL_TESTS_TEST_I18N_H

#include <libintl.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The catalogue from $DIGILEVEL_LOCALEDIR or BUILD/locale (build/locale); false when not built. */
static inline bool test_bind_catalogue(void)
{
	const char *dir = getenv("DIGILEVEL_LOCALEDIR");
	char buf[4096], mo[4200];
	if (!dir || !dir[0]) {
		const char *build = getenv("BUILD");
		snprintf(buf, sizeof(buf), "%s/locale", build && build[0] ? build : "build");
		dir = buf;
	}
	snprintf(mo, sizeof(mo), "%s/zh_CN/LC_MESSAGES/%s.mo", dir, DL_TEXT_DOMAIN);
	if (access(mo, R_OK) != 0)
		return false;
	if (!setlocale(LC_MESSAGES, "C.UTF-8"))
		setlocale(LC_MESSAGES, "");
	setlocale(LC_CTYPE, "C.UTF-8");
	setenv("LANGUAGE", "zh_CN", 1);
	bindtextdomain(DL_TEXT_DOMAIN, dir);
	bind_textdomain_codeset(DL_TEXT_DOMAIN, "UTF-8");
	return true;
}

#endif
