/*
 * catalogue.h: the library's own reading of its Chinese message catalogue, for a program that has
 * not set gettext up (see catalogue.c).
 */
#ifndef DL_CATALOGUE_H
#define DL_CATALOGUE_H

/**
 * msgid's Chinese translation from the compiled catalogue (zh_CN/LC_MESSAGES/digilevel.mo) the
 * library finds itself, whatever the process locale and LANGUAGE say; msgid itself when there is
 * no catalogue or no translation. Thread-safe.
 */
const char *dl__catalogue_zh(const char *msgid);

#endif
