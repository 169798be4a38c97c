/*
 * schema_text.h: what the two translators of schema errors (sheet_fields.c for the answer sheet,
 * schema_words.c for the other documents) read out of libxml2's error and the document alike.
 */
#ifndef DL_SCHEMA_TEXT_H
#define DL_SCHEMA_TEXT_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

/** The name quoted after `after` in message ("The attribute 'duty'" → duty), into buf. */
bool dl__schema_quoted_after(const char *message, const char *after, char *buf, size_t size);

/** value, cut to about 60 bytes (at a character) with "…", into buf (72 bytes or more). Returns buf. */
const char *dl__schema_shortened(const char *value, char *buf, size_t size);

/** An element's own text, trimmed of blanks at both ends, into buf. */
void dl__schema_element_text(const xmlNode *element, char *buf, size_t size);

/** Whether libxml2's error code says a value does not fit its type (a facet, an enumeration …). */
bool dl__schema_value_error(int code);

#endif
