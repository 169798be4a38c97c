/*
 * schema_words.h: the schema errors of a policy, a targets file, a questionnaire, a solution
 * catalogue or the list of known tags said in plain words (see schema_words.c). The answer sheet
 * has its own, naming its fields as a person knows them (sheet_fields.h).
 */
#ifndef DL_SCHEMA_WORDS_H
#define DL_SCHEMA_WORDS_H

#include "xmldoc.h"

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <stddef.h>

/**
 * What a schema error of a document of kind schema means, into msg (size bytes), in the language of
 * messages: the element or attribute, what it holds, what was expected ("<cap> 的属性 yuan 应为最多
 * 两位小数的数（如 500000 或 12500.50），填写的是「五十万」"), with no type name, facet or regular
 * expression. *element is the element to report it at (NULL: libxml2's line). Returns false when the
 * same value was already explained by the previous error (libxml2 reports a list's bad item and then
 * the list): skip it. last and last_attribute (64 bytes) remember that value between calls.
 */
bool dl__schema_plain_message(dl__schema_id schema, const xmlError *error, char *msg, size_t size,
			      const xmlNode **element, const xmlNode **last, char *last_attribute);

#endif
