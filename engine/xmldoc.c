/*
 * xmldoc.c: safe XML loading with exact element positions and schema validation (see xmldoc.h).
 */
#include "xmldoc.h"

#include "alloc.h"
#include "schemas.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
	xmlInitParser();
}

int dl__xml_read_file(const char *path, size_t max_size, char **data, size_t *len, dl__diag *d)
{
	FILE *f = NULL;
	char *buf = NULL;
	int rc = 0;
	struct stat st;

	if (max_size == 0)
		max_size = DL_DEFAULT_MAX_FILE_SIZE;
	f = fopen(path, "rb");
	if (!f) {
		rc = dl__diag_report(d, errno == ENOENT ? DL_ENOTFOUND : DL_EIO, 0, 0,
				     "cannot open: %s", strerror(errno));
		goto done;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = dl__diag_report(d, DL_EIO, 0, 0, "not a regular file");
		goto done;
	}
	if ((unsigned long long)st.st_size > max_size) {
		rc = dl__diag_report(d, DL_ELIMIT, 0, 0,
				     "file is %llu bytes, larger than the limit of %zu bytes",
				     (unsigned long long)st.st_size, max_size);
		goto done;
	}
	buf = dl__malloc((size_t)st.st_size + 1);
	if (!buf) {
		rc = dl__diag_report(d, DL_ENOMEM, 0, 0, "out of memory");
		goto done;
	}
	size_t got = fread(buf, 1, (size_t)st.st_size + 1, f);
	if (ferror(f)) {
		rc = dl__diag_report(d, DL_EIO, 0, 0, "read error: %s", strerror(errno));
		goto done;
	}
	if (got > (size_t)st.st_size) { /* grew while we read it */
		rc = dl__diag_report(d, DL_ELIMIT, 0, 0, "file changed while being read");
		goto done;
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	buf = NULL;
done:
	dl__free(buf);
	if (f)
		fclose(f);
	return rc;
}

/* --- positions ------------------------------------------------------------------------------- */

/*
 * Element positions are packed into node->_private: line in the high bits, column in the low 20.
 * The text is scanned once: start tags appear in the text in the same order as elements appear in
 * a preorder walk of the tree, so the next '<' that opens a start tag belongs to the next element.
 */
#define COLUMN_BITS 20u
#define COLUMN_MAX ((1ul << COLUMN_BITS) - 1)

typedef struct scanner {
	const char *data;
	size_t len;
	size_t pos;
	unsigned long line;
	size_t line_start;
} scanner;

static bool starts_with(const scanner *s, size_t at, const char *lit)
{
	size_t n = strlen(lit);
	return at + n <= s->len && memcmp(s->data + at, lit, n) == 0;
}

static void advance_to(scanner *s, size_t target)
{
	for (; s->pos < target && s->pos < s->len; s->pos++) {
		if (s->data[s->pos] == '\n') {
			s->line++;
			s->line_start = s->pos + 1;
		}
	}
}

static void skip_past(scanner *s, const char *terminator)
{
	const char *hit = NULL;
	size_t n = strlen(terminator);
	for (size_t i = s->pos; i + n <= s->len; i++) {
		if (memcmp(s->data + i, terminator, n) == 0) {
			hit = s->data + i;
			break;
		}
	}
	advance_to(s, hit ? (size_t)(hit - s->data) + n : s->len);
}

/* Move to the next start tag; returns false at the end of the text. */
static bool next_start_tag(scanner *s)
{
	while (s->pos < s->len) {
		const char *lt = memchr(s->data + s->pos, '<', s->len - s->pos);
		if (!lt) {
			advance_to(s, s->len);
			return false;
		}
		advance_to(s, (size_t)(lt - s->data));
		if (starts_with(s, s->pos, "<!--"))
			skip_past(s, "-->");
		else if (starts_with(s, s->pos, "<![CDATA["))
			skip_past(s, "]]>");
		else if (starts_with(s, s->pos, "<?") || starts_with(s, s->pos, "<!"))
			skip_past(s, ">");
		else if (starts_with(s, s->pos, "</"))
			advance_to(s, s->pos + 2);
		else
			return true;
	}
	return false;
}

static unsigned long utf8_column(const scanner *s)
{
	unsigned long column = 1;
	for (size_t i = s->line_start; i < s->pos; i++)
		if (((unsigned char)s->data[i] & 0xC0) != 0x80)
			column++;
	return column;
}

static void mark_positions(xmlNodePtr node, scanner *s)
{
	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		unsigned long line = (unsigned long)xmlGetLineNo(node), column = 0;
		if (next_start_tag(s)) {
			line = s->line;
			column = utf8_column(s);
			if (column > COLUMN_MAX)
				column = COLUMN_MAX;
			advance_to(s, s->pos + 1);
		}
		node->_private = (void *)(uintptr_t)((line << COLUMN_BITS) | column);
		mark_positions(node->children, s);
	}
}

unsigned long dl__xml_line(const xmlNode *node)
{
	uintptr_t packed = (uintptr_t)node->_private;
	return packed ? (unsigned long)(packed >> COLUMN_BITS) : (unsigned long)xmlGetLineNo(node);
}

unsigned long dl__xml_column(const xmlNode *node)
{
	return (unsigned long)((uintptr_t)node->_private & COLUMN_MAX);
}

/* --- parsing ----------------------------------------------------------------------------------- */

typedef struct parse_state {
	dl__diag *d;
	int code;
} parse_state;

/*
 * libxml2's messages quote names from the input as raw bytes, even after it has reported them as
 * not UTF-8: replace every byte that does not belong to a well-formed UTF-8 sequence with '?', so
 * that a diagnostic is always valid UTF-8.
 */
static void replace_bad_utf8(char *s)
{
	unsigned char *p = (unsigned char *)s;
	while (*p) {
		size_t n = *p < 0x80 ? 1 : *p >= 0xC2 && *p <= 0xDF ? 2 : *p >= 0xE0 && *p <= 0xEF ? 3
			   : *p >= 0xF0 && *p <= 0xF4 ? 4 : 0;
		size_t ok = n;
		for (size_t i = 1; i < n && ok; i++)
			if ((p[i] & 0xC0) != 0x80)
				ok = 0;
		if (!ok) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
}

static void chomp_copy(char *dst, size_t size, const char *msg)
{
	dl__copy_truncated(dst, size, msg ? msg : "unknown error");
	replace_bad_utf8(dst);
	size_t len = strlen(dst);
	while (len > 0 && (dst[len - 1] == '\n' || dst[len - 1] == ' '))
		dst[--len] = '\0';
}

static void on_parse_error(void *data, xmlErrorPtr error)
{
	xmlParserCtxtPtr ctxt = data;
	parse_state *st = ctxt->_private;
	if (error->level < XML_ERR_ERROR)
		return;
	char msg[DL_ERROR_MESSAGE_MAX];
	chomp_copy(msg, sizeof(msg), error->message);
	int code = error->code == XML_ERR_NO_MEMORY ? DL_ENOMEM : DL_EINVALID;
	if (!st->code)
		st->code = code;
	dl__diag_report(st->d, code, (unsigned long)(error->line > 0 ? error->line : 0),
			(unsigned long)(error->int2 > 0 ? error->int2 : 0), "%s", msg);
}

static void on_doctype(void *data, const xmlChar *name, const xmlChar *external_id,
		       const xmlChar *system_id)
{
	(void)name;
	(void)external_id;
	(void)system_id;
	xmlParserCtxtPtr ctxt = data;
	parse_state *st = ctxt->_private;
	if (!st->code)
		st->code = DL_EINVALID;
	dl__diag_report(st->d, DL_EINVALID, (unsigned long)xmlSAX2GetLineNumber(ctxt),
			(unsigned long)xmlSAX2GetColumnNumber(ctxt),
			"a DOCTYPE is not allowed: digilevel reads no DTDs and no entities");
	xmlStopParser(ctxt);
}

/* --- schemas ----------------------------------------------------------------------------------- */

static pthread_mutex_t schema_lock = PTHREAD_MUTEX_INITIALIZER;
static xmlSchemaPtr schemas[DL__SCHEMA_COUNT];

static xmlSchemaPtr get_schema(dl__schema_id id)
{
	pthread_mutex_lock(&schema_lock);
	if (!schemas[id]) {
		const dl__embedded_schema *src = &dl__embedded_schemas[id];
		xmlSchemaParserCtxtPtr pctxt =
			xmlSchemaNewMemParserCtxt((const char *)src->data, (int)src->len);
		if (pctxt) {
			schemas[id] = xmlSchemaParse(pctxt);
			xmlSchemaFreeParserCtxt(pctxt);
		}
	}
	xmlSchemaPtr schema = schemas[id];
	pthread_mutex_unlock(&schema_lock);
	return schema;
}

static void on_schema_error(void *data, xmlErrorPtr error)
{
	parse_state *st = data;
	if (error->level < XML_ERR_ERROR)
		return;
	char msg[DL_ERROR_MESSAGE_MAX];
	chomp_copy(msg, sizeof(msg), error->message);
	unsigned long line = error->line > 0 ? (unsigned long)error->line : 0, column = 0;
	if (error->node) {
		line = dl__xml_line(error->node);
		column = dl__xml_column(error->node);
	}
	int code = error->code == XML_ERR_NO_MEMORY ? DL_ENOMEM : DL_EINVALID;
	if (!st->code)
		st->code = code;
	dl__diag_report(st->d, code, line, column, "%s", msg);
}

static int validate(xmlDocPtr doc, dl__schema_id id, dl__diag *d)
{
	parse_state st = {d, 0};
	xmlSchemaPtr schema = get_schema(id);
	if (!schema)
		return dl__diag_report(d, DL_ENOMEM, 0, 0, "cannot prepare the embedded schema");
	xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema);
	if (!vctxt)
		return dl__diag_report(d, DL_ENOMEM, 0, 0, "out of memory");
	xmlSchemaSetValidStructuredErrors(vctxt, on_schema_error, &st);
	int rc = xmlSchemaValidateDoc(vctxt, doc);
	xmlSchemaFreeValidCtxt(vctxt);
	if (rc == 0)
		return 0;
	if (st.code)
		return st.code;
	return dl__diag_report(d, rc < 0 ? DL_ENOMEM : DL_EINVALID, 0, 0,
			       "schema validation failed");
}

int dl__xml_load(dl__xml *out, char *data, size_t len, const char *root_name, dl__schema_id schema,
		 size_t max_size, dl__diag *d)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	parse_state st = {d, 0};
	int rc = 0;

	pthread_once(&init_once, init_libxml);
	if (max_size == 0)
		max_size = DL_DEFAULT_MAX_FILE_SIZE;
	if (len > max_size || len > INT32_MAX) {
		rc = dl__diag_report(d, DL_ELIMIT, 0, 0,
				     "input is %zu bytes, larger than the limit of %zu bytes", len,
				     max_size);
		goto done;
	}
	if (len == 0) {
		rc = dl__diag_report(d, DL_EINVALID, 1, 1, "empty file: expected an XML document <%s>",
				     root_name);
		goto done;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		rc = dl__diag_report(d, DL_ENOMEM, 0, 0, "out of memory");
		goto done;
	}
	ctxt->_private = &st;
	ctxt->sax->serror = on_parse_error;
	ctxt->sax->internalSubset = on_doctype;
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
				XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING);
	if (st.code || !doc || !ctxt->wellFormed) {
		rc = st.code ? st.code
			     : dl__diag_report(d, DL_EINVALID, 0, 0, "not a well-formed XML document");
		goto done;
	}
	xmlNodePtr root = xmlDocGetRootElement(doc);
	scanner sc = {data, len, 0, 1, 0};
	mark_positions(root, &sc);
	if (!root || strcmp((const char *)root->name, root_name) != 0) {
		rc = dl__diag_report(d, DL_EINVALID, root ? dl__xml_line(root) : 1,
				     root ? dl__xml_column(root) : 1,
				     "root element is <%s>, expected <%s>",
				     root ? (const char *)root->name : "", root_name);
		goto done;
	}
	rc = validate(doc, schema, d);
	if (rc < 0)
		goto done;
	out->doc = doc;
	out->data = data;
	out->len = len;
	doc = NULL;
	data = NULL;
done:
	if (doc)
		xmlFreeDoc(doc);
	if (ctxt)
		xmlFreeParserCtxt(ctxt);
	dl__free(data);
	return rc;
}

void dl__xml_free(dl__xml *x)
{
	if (x->doc)
		xmlFreeDoc(x->doc);
	dl__free(x->data);
	x->doc = NULL;
	x->data = NULL;
}

char *dl__xml_peek_root(const char *data, size_t len, char **id, char **version)
{
	char *name = NULL;
	*id = *version = NULL;
	pthread_once(&init_once, init_libxml);
	if (len > INT32_MAX)
		return NULL;
	xmlTextReaderPtr reader =
		xmlReaderForMemory(data, (int)len, NULL, NULL,
				   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!reader)
		return NULL;
	while (xmlTextReaderRead(reader) == 1) {
		int type = xmlTextReaderNodeType(reader);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE)
			break;
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		const xmlChar *local = xmlTextReaderConstLocalName(reader);
		xmlChar *a = xmlTextReaderGetAttribute(reader, BAD_CAST "id");
		xmlChar *v = xmlTextReaderGetAttribute(reader, BAD_CAST "version");
		name = local ? dl__strdup((const char *)local) : NULL;
		*id = a ? dl__strdup((const char *)a) : NULL;
		*version = v ? dl__strdup((const char *)v) : NULL;
		xmlFree(a);
		xmlFree(v);
		break;
	}
	xmlFreeTextReader(reader);
	return name;
}

/* --- reading ----------------------------------------------------------------------------------- */

xmlNodePtr dl__xml_child(const xmlNode *parent, const char *name)
{
	for (xmlNodePtr c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    (!name || strcmp((const char *)c->name, name) == 0))
			return c;
	return NULL;
}

xmlNodePtr dl__xml_next(const xmlNode *node, const char *name)
{
	for (xmlNodePtr c = node->next; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    (!name || strcmp((const char *)c->name, name) == 0))
			return c;
	return NULL;
}

size_t dl__xml_count(const xmlNode *parent, const char *name)
{
	size_t n = 0;
	for (xmlNodePtr c = dl__xml_child(parent, name); c; c = dl__xml_next(c, name))
		n++;
	return n;
}

static char *arena_trimmed(dl__arena *a, const char *s, bool *oom)
{
	const char *end = s + strlen(s);
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
		end--;
	char *copy = dl__arena_strndup(a, s, (size_t)(end - s));
	if (!copy)
		*oom = true;
	return copy;
}

char *dl__xml_attr(dl__arena *a, const xmlNode *node, const char *name, bool *oom)
{
	xmlChar *value = xmlGetProp(node, BAD_CAST name);
	if (!value)
		return NULL;
	char *copy = arena_trimmed(a, (const char *)value, oom);
	xmlFree(value);
	return copy;
}

char *dl__xml_text(dl__arena *a, const xmlNode *node, bool *oom)
{
	xmlChar *content = xmlNodeGetContent(node);
	if (!content) {
		char *empty = dl__arena_strdup(a, "");
		if (!empty)
			*oom = true;
		return empty;
	}
	char *copy = arena_trimmed(a, (const char *)content, oom);
	xmlFree(content);
	return copy;
}

char *dl__xml_child_text(dl__arena *a, const xmlNode *parent, const char *name, bool *oom)
{
	xmlNodePtr child = dl__xml_child(parent, name);
	if (child)
		return dl__xml_text(a, child, oom);
	char *empty = dl__arena_strdup(a, "");
	if (!empty)
		*oom = true;
	return empty;
}
