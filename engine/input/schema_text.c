/*
 * schema_text.c: the pieces of a schema error both translators read (schema_text.h): a name quoted
 * in libxml2's message, the value as written and cut for a message, which codes are about a value.
 */
#include "schema_text.h"

#include "diag.h"

#include <libxml/xmlerror.h>
#include <stdio.h>
#include <string.h>

bool dl__schema_quoted_after(const char *message, const char *after, char *buf, size_t size)
{
	const char *p = message ? strstr(message, after) : NULL;
	if (!p)
		return false;
	p += strlen(after);
	const char *end = strchr(p, '\'');
	if (!end || (size_t)(end - p) >= size)
		return false;
	memcpy(buf, p, (size_t)(end - p));
	buf[end - p] = '\0';
	return true;
}

const char *dl__schema_shortened(const char *value, char *buf, size_t size)
{
	size_t n = strlen(value);
	if (n <= 60 || size < 72) {
		dl__copy_truncated(buf, size, value);
		return buf;
	}
	size_t keep = 48;
	while (keep > 0 && ((unsigned char)value[keep] & 0xC0) == 0x80)
		keep--;
	snprintf(buf, size, "%.*s…", (int)keep, value);
	return buf;
}

void dl__schema_element_text(const xmlNode *element, char *buf, size_t size)
{
	xmlChar *content = xmlNodeGetContent(element);
	const char *s = content ? (const char *)content : "";
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	dl__copy_truncated(buf, size, s);
	size_t n = strlen(buf);
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\n' ||
			 buf[n - 1] == '\r'))
		buf[--n] = '\0';
	xmlFree(content);
}

bool dl__schema_value_error(int code)
{
	return (code >= XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1 &&
		code <= XML_SCHEMAV_CVC_ENUMERATION_VALID) ||
	       code == XML_SCHEMAV_CVC_ELT_5_2_2_2_2 || code == XML_SCHEMAV_CVC_ELT_5_2_2_1 ||
	       code == XML_SCHEMAV_CVC_TYPE_3_1_2;
}
