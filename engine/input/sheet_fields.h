/*
 * sheet_fields.h: the answer sheet's fields by their names in the language of messages, and the
 * schema's complaints about them said in plain words (see sheet_fields.c).
 */
#ifndef DL_SHEET_FIELDS_H
#define DL_SHEET_FIELDS_H

#include "slips.h"

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <stddef.h>

/**
 * What a schema error of the answer sheet means for the person who filled it in, into msg (size
 * bytes): the field by its name, what it holds and what was expected, and the fix of a usual slip
 * ("「员工人数」应为整数（如 126），填写的是「126人」；只写数字，不要带单位，请写成 126").
 * *element is the element to report it at. Returns false when the same field's value was already
 * explained by the previous error (libxml2 reports a list's bad item and then the list): skip it.
 * last and last_attribute (a buffer of 64 bytes) remember that field between calls.
 */
bool dl__sheet_schema_message(const xmlError *error, char *msg, size_t size,
			      const xmlNode **element, const xmlNode **last, char *last_attribute);

/** The name of a field of element (attribute NULL: the element itself), translated ("员工人数"). */
const char *dl__sheet_field_label(const xmlNode *element, const char *attribute, char *buf,
				  size_t size);

/**
 * "%s should be %s; it says '%s'" for field label, the expectation expect (a translated text) and
 * the value written, with the slip's fix appended; into msg.
 */
void dl__sheet_value_message(char *msg, size_t size, const char *label, const char *expect,
			     const char *value, dl__slip slip, const char *fix);

#endif
