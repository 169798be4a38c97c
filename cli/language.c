/*
 * language.c: choosing the language of the program's messages (Chinese unless asked otherwise) and
 * binding the Chinese catalogue.
 *
 * The choice, first that applies: --lang zh|en anywhere on the command line (before "--"), then the
 * first of LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is set: English if it starts with "en",
 * Chinese otherwise. The library is told the choice (dl_set_language); gettext itself is always set
 * up for Chinese, because a document stays Chinese when the messages are English: LC_MESSAGES is
 * C.UTF-8 (present in every glibc, no zh_CN locale needed) and LANGUAGE zh_CN. docs/messages.md
 * says why this is not the usual setlocale(LC_ALL, "").
 */
#include "cli.h"

#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadir.h" /* DL_LOCALEDIR */

#define CATALOGUE "zh_CN/LC_MESSAGES/" DL_TEXT_DOMAIN ".mo"

static bool readable(const char *dir)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s", dir, CATALOGUE);
	return n > 0 && (size_t)n < sizeof(path) && access(path, R_OK) == 0;
}

/*
 * Where the catalogue is: $DIGILEVEL_LOCALEDIR, then "locale" beside the executable (a build tree:
 * build/locale), then the installed DL_LOCALEDIR. NULL when none holds it.
 */
static const char *catalogue_dir(char *buf, size_t size)
{
	const char *env = getenv("DIGILEVEL_LOCALEDIR");
	if (env && env[0])
		return readable(env) ? env : NULL;
	char exe[4096];
	if (cli_program_dir(exe, sizeof(exe))) {
		int m = snprintf(buf, size, "%s/locale", exe);
		if (m > 0 && (size_t)m < size && readable(buf))
			return buf;
	}
	return readable(DL_LOCALEDIR) ? DL_LOCALEDIR : NULL;
}

/* The language a locale or LANGUAGE value names: English for "en...", Chinese otherwise. */
static dl_language from_environment(void)
{
	static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && v[0])
			return strncmp(v, "en", 2) == 0 ? DL_LANGUAGE_EN : DL_LANGUAGE_ZH;
	}
	return DL_LANGUAGE_ZH;
}

/* value of --lang: zh, zh_CN, zh-CN, ... or en, en_US, ...; -1 if neither */
static int parse_lang(const char *value)
{
	if (strncmp(value, "zh", 2) == 0 && (value[2] == '\0' || value[2] == '_' || value[2] == '-'))
		return DL_LANGUAGE_ZH;
	if (strncmp(value, "en", 2) == 0 && (value[2] == '\0' || value[2] == '_' || value[2] == '-'))
		return DL_LANGUAGE_EN;
	return -1;
}

int cli_language_setup(int *argc, char **argv)
{
	dl_language lang = from_environment();
	const char *bad = NULL;
	bool missing_value = false;
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		const char *value = NULL;
		if (strcmp(arg, "--lang") == 0) {
			if (i + 1 >= *argc) {
				missing_value = true;
				continue;
			}
			value = argv[++i];
		} else if (strncmp(arg, "--lang=", 7) == 0) {
			value = arg + 7;
		} else {
			argv[out++] = argv[i];
			continue;
		}
		int parsed = parse_lang(value);
		if (parsed < 0)
			bad = value;
		else
			lang = (dl_language)parsed;
	}
	argv[out] = NULL;
	*argc = out;

	dl_set_language(lang);
	/* LC_CTYPE too: a message libc itself translates is then shown in UTF-8, not as "???" */
	if (!setlocale(LC_MESSAGES, "C.UTF-8"))
		setlocale(LC_MESSAGES, "");
	setlocale(LC_CTYPE, "C.UTF-8");
	setenv("LANGUAGE", "zh_CN", 1);
	char buf[4096];
	const char *dir = catalogue_dir(buf, sizeof(buf));
	if (dir) {
		bindtextdomain(DL_TEXT_DOMAIN, dir);
		bind_textdomain_codeset(DL_TEXT_DOMAIN, "UTF-8");
	} else if (lang == DL_LANGUAGE_ZH) {
		fprintf(stderr, "digilevel: the Chinese message catalogue (%s) is in none of "
				"$DIGILEVEL_LOCALEDIR, the program's folder and %s: messages are in "
				"English. Run `make` (or `make install`) again.\n",
			CATALOGUE, DL_LOCALEDIR);
	}
	if (missing_value) {
		fprintf(stderr, "%s\n", _("digilevel: --lang needs a language: zh (Chinese) or en (English)"));
		return EXIT_USAGE;
	}
	if (bad) {
		cli_line(stderr, _("digilevel: --lang takes zh (Chinese) or en (English), not '%s'"), bad);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
