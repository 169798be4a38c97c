/*
 * i18n.h: marking the messages a person reads for translation (GNU gettext).
 *
 * Every message is written in English in the code, as the msgid, and wrapped in _(): the Chinese text
 * is its translation in po/zh_CN.po, compiled into the catalogue the program binds. _() gives the
 * message in the language dl_set_language chose (English when the program did not set gettext up);
 * N_() only marks a string (a table entry) for xgettext, and the code translates it where it is used.
 * dl__tr_zh gives the Chinese whatever the language and whatever the program did, for the texts that
 * go into documents as well as into messages (a verdict's reasons: the 验收意见 is Chinese even when
 * the person reads English messages). docs/messages.md says more.
 */
#ifndef DL_I18N_H
#define DL_I18N_H

#include "digilevel/common.h"

#include <stdbool.h>

#define _(msgid) dl_translate(msgid)
#define N_(msgid) msgid

/**
 * msgid in Chinese whatever the language set, for documents: from gettext as the program set it
 * up, else from the catalogue the library finds itself (mo_file.c); msgid itself only when there
 * is no catalogue at all.
 */
const char *dl__tr_zh(const char *msgid);

/** Whether gettext gives the catalogue's Chinese (the program set it up, as cli/language.c does). */
bool dl__gettext_ready(void);

#endif
