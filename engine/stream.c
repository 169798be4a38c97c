/*
 * stream.c: reading many answer sheets from one XML file, one at a time.
 *
 * A city's cohort can be one file of thousands of sheets. libxml2's streaming reader walks it and
 * hands out each <answer-sheet> element's text, which is then loaded like any sheet file, with its
 * positions shifted to where it sits in the stream. Only the current sheet is ever in memory.
 *
 * The sheet text is libxml2's re-serialisation of the element, so a line number inside a sheet is
 * exact unless one of its start tags spans several lines (then it is off by those lines).
 */
#include "alloc.h"
#include "diag.h"
#include "sheet_model.h"

#include <libxml/xmlreader.h>
#include <pthread.h>
#include <string.h>

struct dl_sheet_stream {
	xmlTextReaderPtr reader;
	char *path;
	int state; /* 0 before the root, 1 inside it, 2 done */
	unsigned long sheets;
};

typedef struct reader_errors {
	dl_error *err;
	const char *path;
	int code;
} reader_errors;

static void on_reader_error(void *arg, const char *msg, xmlParserSeverities severity,
			    xmlTextReaderLocatorPtr locator)
{
	reader_errors *re = arg;
	if (severity != XML_PARSER_SEVERITY_ERROR || re->code)
		return;
	char clean[DL_ERROR_MESSAGE_MAX];
	dl__copy_truncated(clean, sizeof(clean), msg ? msg : "not well formed");
	size_t n = strlen(clean);
	while (n > 0 && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
		clean[--n] = '\0';
	re->code = DL_EINVALID;
	dl__error_set(re->err, DL_EINVALID, re->path,
		      (unsigned long)xmlTextReaderLocatorLineNumber(locator), 0, "%s", clean);
}

int dl_sheet_stream_open(dl_sheet_stream **out, const char *path, const dl_load_options *opts,
			 dl_error *err)
{
	if (dl__load_options_check(opts, err) < 0)
		return DL_EINVALID;
	xmlInitParser();
	dl_sheet_stream *st = dl__calloc(1, sizeof(*st));
	if (!st)
		return dl__error_set(err, DL_ENOMEM, path, 0, 0, "out of memory");
	st->path = dl__strdup(path);
	st->reader = st->path ? xmlReaderForFile(path, NULL,
						 XML_PARSE_NONET | XML_PARSE_NOWARNING |
							 XML_PARSE_BIG_LINES)
			      : NULL;
	if (!st->reader) {
		int code = st->path ? DL_EIO : DL_ENOMEM;
		dl_sheet_stream_close(st);
		return dl__error_set(err, code, path, 0, 0,
				     code == DL_EIO ? "cannot open the stream" : "out of memory");
	}
	*out = st;
	return 0;
}

int dl_sheet_stream_next(dl_sheet_stream *st, char **xml, size_t *len, unsigned long *line,
			 dl_error *err)
{
	reader_errors re = {err, st->path, 0};
	xmlTextReaderSetErrorHandler(st->reader, on_reader_error, &re);
	int rc = 0;
	while (st->state < 2) {
		int more = xmlTextReaderRead(st->reader);
		if (more <= 0) {
			if (more < 0 && !re.code)
				dl__error_set(err, DL_EINVALID, st->path, 0, 0, "not well formed");
			rc = more < 0 || re.code ? DL_EINVALID : 0;
			st->state = 2;
			break;
		}
		int type = xmlTextReaderNodeType(st->reader);
		const char *name = (const char *)xmlTextReaderConstLocalName(st->reader);
		unsigned long at = (unsigned long)xmlTextReaderGetParserLineNumber(st->reader);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			rc = dl__error_set(err, DL_EINVALID, st->path, at, 0,
					   "a DOCTYPE is not allowed: digilevel reads no DTDs and no entities");
			st->state = 2;
			break;
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		if (st->state == 0) {
			if (strcmp(name, "answer-sheets") != 0) {
				rc = dl__error_set(err, DL_EINVALID, st->path, at, 0,
						   "root element is <%s>, expected <answer-sheets>", name);
				st->state = 2;
				break;
			}
			st->state = 1;
			continue;
		}
		if (strcmp(name, "answer-sheet") != 0) {
			rc = dl__error_set(err, DL_EINVALID, st->path, at, 0,
					   "<%s> inside <answer-sheets>, expected <answer-sheet>", name);
			st->state = 2;
			break;
		}
		xmlNodePtr node = xmlTextReaderCurrentNode(st->reader);
		unsigned long start = node ? (unsigned long)xmlGetLineNo(node) : at;
		xmlChar *text = xmlTextReaderReadOuterXml(st->reader);
		if (re.code) {
			xmlFree(text);
			rc = re.code;
			st->state = 2;
			break;
		}
		if (!text) {
			rc = dl__error_set(err, DL_ENOMEM, st->path, start, 0, "out of memory");
			st->state = 2;
			break;
		}
		size_t n = strlen((const char *)text);
		char *copy = dl__malloc(n + 1);
		if (copy)
			memcpy(copy, text, n + 1);
		xmlFree(text);
		if (!copy) {
			rc = dl__error_set(err, DL_ENOMEM, st->path, start, 0, "out of memory");
			st->state = 2;
			break;
		}
		if (xmlTextReaderNext(st->reader) < 0 && !re.code)
			re.code = dl__error_set(err, DL_EINVALID, st->path, start, 0, "not well formed");
		*xml = copy;
		*len = n;
		*line = start;
		st->sheets++;
		rc = 1;
		break;
	}
	xmlTextReaderSetErrorHandler(st->reader, NULL, NULL);
	return rc;
}

void dl_sheet_stream_close(dl_sheet_stream *st)
{
	if (!st)
		return;
	if (st->reader)
		xmlFreeTextReader(st->reader);
	dl__free(st->path);
	dl__free(st);
}

int dl_sheet_load_from_stream(dl_sheet **out, char *xml, size_t len, const char *name,
			      unsigned long line, const dl_load_options *opts, dl_error *err)
{
	return dl__sheet_load_chunk(out, xml, len, name, line > 0 ? line - 1 : 0, opts, err);
}
