/*
 * i18n.c: which language messages are in, and their translation through the gettext catalogue.
 *
 * The language is the library's own setting, not the process locale: the catalogue is Chinese only,
 * so English is the msgid itself and Chinese is dgettext on the domain. Keeping the choice here lets
 * a document be written in Chinese while messages are in English (dl__tr_zh), and needs no locale
 * but a non-"C" one for gettext to look at the catalogue at all (docs/messages.md).
 */
#include "i18n.h"

#include "mo_file.h"

#include <errno.h>
#include <libintl.h>
#include <locale.h>
#include <pthread.h>
#include <string.h>

static dl_language current_language = DL_LANGUAGE_ZH;

void dl_set_language(dl_language language)
{
	current_language = language == DL_LANGUAGE_EN ? DL_LANGUAGE_EN : DL_LANGUAGE_ZH;
}

dl_language dl_get_language(void)
{
	return current_language;
}

/*
 * gettext's translation when the program has set gettext up (cli/language.c), else the library's
 * own reading of the catalogue (mo_file.c): a document is Chinese in any program.
 */
const char *dl__tr_zh(const char *msgid)
{
	if (!msgid[0])
		return msgid;
	const char *t = dgettext(DL_TEXT_DOMAIN, msgid);
	return t != msgid ? t : dl__catalogue_zh(msgid);
}

bool dl__gettext_ready(void)
{
	/* the catalogue's header entry, "" when gettext finds no catalogue for the locale */
	const char *header = dgettext(DL_TEXT_DOMAIN, "");
	return header && header[0];
}

/*
 * A message: English, or the Chinese gettext gives as the program set it up; English when it did
 * not (the contract of dl_set_language: a program that wants Chinese messages binds the catalogue).
 */
const char *dl_translate(const char *msgid)
{
	return current_language == DL_LANGUAGE_EN || !msgid[0] ? msgid : dgettext(DL_TEXT_DOMAIN, msgid);
}

/* The "C" locale, whose strerror_l is English whatever LANGUAGE says. */
static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/*
 * The reasons a file cannot be read or written that a person meets, in our own catalogue: libc's
 * Chinese texts come with a package (libc-l10n) a machine may lack, and a message must not change
 * with it. Any other errno is libc's English text.
 */
const char *dl_strerror(int errnum)
{
	switch (errnum) {
	case ENOENT: return _("No such file or directory");
	case EACCES: return _("Permission denied");
	case EPERM: return _("Operation not permitted");
	case ENOSPC: return _("No space left on device");
	case EISDIR: return _("Is a directory");
	case ENOTDIR: return _("Not a directory");
	case EROFS: return _("Read-only file system");
	case EEXIST: return _("File exists");
	case ENAMETOOLONG: return _("File name too long");
	case ELOOP: return _("Too many levels of symbolic links");
	case EMFILE: return _("Too many open files");
	case EIO: return _("Input/output error");
	case EFBIG: return _("File too large");
	case ENOMEM: return _("Cannot allocate memory");
	case EXDEV: return _("Invalid cross-device link");
	case ENXIO: return _("No such device or address");
	case ETXTBSY: return _("Text file busy");
	case EBUSY: return _("Device or resource busy");
	case EINVAL: return _("Invalid argument");
	default: break;
	}
	pthread_once(&c_locale_once, make_c_locale);
	return c_locale ? strerror_l(errnum, c_locale) : strerror(errnum);
}
