/*
 * mo_file.h: the library's own reading of its Chinese message catalogue, for a program that has
 * not set gettext up (see mo_file.c).
 */
#ifndef DL_MO_FILE_H
#define DL_MO_FILE_H

/**
 * msgid's Chinese translation from the compiled catalogue (zh_CN/LC_MESSAGES/digilevel.mo) the
 * library finds itself, whatever the process locale and LANGUAGE say; msgid itself when there is
 * no catalogue or no translation. Thread-safe.
 */
const char *dl__catalogue_zh(const char *msgid);

#endif
