/*
 * text_rules.c: the characters every text of an input may hold, checked once for the whole document.
 *
 * A name, a title or a tag is printed on one line of a verdict, a table row or a PDF cover. A line
 * break inside one (`&#10;结论: 通过`) would forge the lines after it, and an invisible direction
 * control (U+202E) would show the text in another order than it is stored. So, in every input:
 * - no text or attribute holds a C0 or C1 control character (other than the white space of XML),
 *   a direction embedding, override or isolate (U+202A-U+202E, U+2066-U+2069) or U+2028/U+2029;
 * - only the elements the schema declares of its multi-line type "text" (notes, scopes, sources,
 *   definitions) may hold a line break or tab between their words; every other element and every
 *   attribute is one line. White space around a value is trimmed when it is read, so a value the
 *   writer put on lines of its own (`<name>\n  宁夏…\n</name>`) stays one line.
 * Which elements are multi-line is read from the embedded schema itself, so a field added to a
 * schema is checked by the type it is given. Every problem is reported at its element, naming it.
 */
#include "text_rules.h"

#include "i18n.h"
#include "schemas.h"

#include <assert.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define MULTILINE_MAX 16 /* multi-line element names per schema (the questionnaire has 4) */
#define NAME_MAX_LEN 40

typedef struct multiline_names {
	bool ready;
	size_t count;
	char names[MULTILINE_MAX][NAME_MAX_LEN];
} multiline_names;

static pthread_mutex_t names_lock = PTHREAD_MUTEX_INITIALIZER;
static multiline_names multiline[DL__SCHEMA_COUNT];

static bool is_xs(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static bool attr_is(const xmlNode *n, const char *name, const char *value)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	bool same = v && strcmp((const char *)v, value) == 0;
	xmlFree(v);
	return same;
}

static void add_name(multiline_names *m, const xmlNode *element)
{
	xmlChar *name = xmlGetProp(element, BAD_CAST "name");
	bool known = !name;
	for (size_t i = 0; i < m->count && !known; i++)
		known = strcmp(m->names[i], (const char *)name) == 0;
	/* the embedded schemas are ours: a table too small is a programming error */
	assert(known || (m->count < MULTILINE_MAX && strlen((const char *)name) < NAME_MAX_LEN));
	if (!known && m->count < MULTILINE_MAX && strlen((const char *)name) < NAME_MAX_LEN)
		snprintf(m->names[m->count++], NAME_MAX_LEN, "%s", (const char *)name);
	xmlFree(name);
}

/* Collect the xs:element declarations of type "text", or whose content extends "text". */
static void collect(multiline_names *m, const xmlNode *n, const xmlNode *element)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const xmlNode *inner = element;
		if (is_xs(n, "element")) {
			inner = n;
			if (attr_is(n, "type", "text"))
				add_name(m, n);
		} else if (is_xs(n, "extension") && element && attr_is(n, "base", "text")) {
			add_name(m, element);
		}
		collect(m, n->children, inner);
	}
}

/* The multi-line element names of a schema, read from it the first time. NULL: out of memory. */
static const multiline_names *multiline_of(dl__schema_id id)
{
	pthread_mutex_lock(&names_lock);
	multiline_names *m = &multiline[id];
	if (!m->ready) {
		const dl__embedded_schema *src = &dl__embedded_schemas[id];
		xmlDocPtr xsd = xmlReadMemory((const char *)src->data, (int)src->len, src->name, NULL,
					      XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
		if (xsd) {
			m->count = 0;
			collect(m, xmlDocGetRootElement(xsd), NULL);
			m->ready = true;
			xmlFreeDoc(xsd);
		}
	}
	pthread_mutex_unlock(&names_lock);
	return m->ready ? m : NULL;
}

static bool is_multiline(const multiline_names *m, const xmlNode *n)
{
	for (size_t i = 0; i < m->count; i++)
		if (strcmp(m->names[i], (const char *)n->name) == 0)
			return true;
	return false;
}

/* What is wrong with a text, as it is scanned piece by piece (the text nodes of one value). */
typedef struct scan {
	bool one_line;
	bool seen_text;       /* a character other than white space so far */
	unsigned char pending; /* a tab or line break after text, not yet followed by more text */
	char problem[120];
} scan;

/* A byte that is none of the characters the rules look at, nor the start of one of them. */
static bool is_plain(unsigned char c)
{
	return c >= 0x20 && c != 0x7F && c != 0xC2 && c != 0xE2;
}

static void scan_piece(scan *s, const unsigned char *p)
{
	while (*p && !s->problem[0]) {
		unsigned char c = *p;
		if (is_plain(c) && c != ' ' && !s->pending) {
			/* text: the plain bytes after it change nothing (the rest of this loop, byte by
			 * byte, would only set seen_text again) */
			s->seen_text = true;
			for (p++; is_plain(*p); p++)
				;
			continue;
		}
		if (c == '\n' || c == '\r' || c == '\t') {
			if (s->one_line && s->seen_text)
				s->pending = c;
			p++;
			continue;
		}
		if (c == ' ') {
			p++;
			continue;
		}
		if (s->pending) {
			snprintf(s->problem, sizeof(s->problem),
				 s->pending == '\t' ? _("a tab inside a one-line field: write it on one line")
						     : _("a line break inside a one-line field: write it on one line"));
			return;
		}
		s->seen_text = true;
		unsigned long cp = 0;
		if (c < 0x20 || c == 0x7F)
			cp = c;
		else if (c == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			cp = 0x80 + (p[1] - 0x80u);
		else if (c == 0xE2 && p[1] == 0x80 && p[2] >= 0xA8 && p[2] <= 0xAE)
			cp = 0x2000 + (p[2] - 0x80u);
		else if (c == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
			cp = 0x2040 + (p[2] - 0x80u);
		if (cp == 0x2028 || cp == 0x2029)
			snprintf(s->problem, sizeof(s->problem),
				 _("the line separator U+%04lX is not allowed: write it on one line"), cp);
		else if (cp >= 0x2000)
			snprintf(s->problem, sizeof(s->problem),
				 _("the invisible direction control U+%04lX is not allowed (it shows the "
				   "text in another order than it is written)"),
				 cp);
		else if (cp)
			snprintf(s->problem, sizeof(s->problem),
				 _("the control character U+%04lX is not allowed"), cp);
		p++;
	}
}

/* Scan the text and CDATA nodes from first on (the children of an element or attribute). */
static void scan_nodes(scan *s, const xmlNode *first)
{
	for (const xmlNode *n = first; n && !s->problem[0]; n = n->next)
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content)
			scan_piece(s, n->content);
}

static bool has_element_child(const xmlNode *n)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return true;
	return false;
}

static int check_element(const xmlNode *n, const multiline_names *m, dl__diag *d)
{
	int rc = 0;
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		scan s = {true, false, 0, ""};
		scan_nodes(&s, a->children);
		if (s.problem[0])
			rc = dl__diag_report(d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
					     _("attribute '%s' of <%s>: %s"), (const char *)a->name,
					     (const char *)n->name, s.problem);
	}
	if (!has_element_child(n)) {
		scan s = {!is_multiline(m, n), false, 0, ""};
		scan_nodes(&s, n->children);
		if (s.problem[0])
			rc = dl__diag_report(d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
					     _("<%s>: %s"), (const char *)n->name, s.problem);
		return rc;
	}
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			int child = check_element(c, m, d);
			if (!rc)
				rc = child;
		}
	}
	return rc;
}

int dl__xml_check_text(const xmlNode *root, dl__schema_id schema, dl__diag *d)
{
	const multiline_names *m = multiline_of(schema);
	if (!m)
		return dl__diag_report(d, DL_ENOMEM, 0, 0, _("out of memory"));
	return root ? check_element(root, m, d) : 0;
}
