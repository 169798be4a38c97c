/*
 * stream.c: reading many answer sheets from one XML file, one at a time.
 *
 * A city's cohort can be one file of thousands of sheets. The file is read in blocks and fed to a
 * libxml2 push parser that builds only the sheet being read: when a sheet's end tag has been parsed
 * the sheet is complete, its text is queued and its subtree freed. dl_sheet_stream_next hands out
 * the queued sheets first and only then a fault met after them, so every sheet that is complete
 * before a fault is delivered whatever the block size, and the fault comes with libxml2's own
 * message, line and column. Each sheet's text is then loaded like any sheet file, with its
 * positions shifted to where it sits in the stream. Memory holds one block and one sheet.
 *
 * The sheet text is libxml2's re-serialisation of the element, so a line number inside a sheet is
 * exact unless one of its start tags spans several lines (then it is off by those lines).
 * The raw bytes go through the same limits as a file's (dl__raw_scan_feed) before the parser sees
 * them, and each sheet is held to the load options' file size limit.
 */
#include "alloc.h"
#include "diag.h"
#include "sheet_model.h"
#include "xmldoc.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How much of the file is read and parsed at a time. */
#define BLOCK_SIZE ((size_t)64 * 1024)

typedef struct queued_sheet {
	char *xml;
	size_t len;
	unsigned long line;
} queued_sheet;

struct dl_sheet_stream {
	FILE *f;
	char *path;
	dl_load_options opts; /* a copy: the caller's may go away */
	bool has_opts;
	size_t max_sheet;     /* bytes */
	dl__diag d;           /* faults of the stream itself */
	xmlParserCtxtPtr ctxt;
	xmlSAXHandler sax2;   /* libxml2's tree builders, called from ours */
	dl__raw_scan *scan;
	char *block;
	size_t kept;          /* bytes at the start of block not yet given to the parser */
	unsigned long depth;  /* elements open */
	unsigned long sheet_line;
	unsigned long long sheet_start; /* bytes of the file before the open sheet's content */
	unsigned long long fed;         /* bytes of the file given to the parser */
	queued_sheet *queue;  /* complete sheets not yet handed out: queue[head..count) */
	size_t head, count, capacity;
	int fault;            /* the first fault (a DL_E* code), delivered after the queue */
	dl_error fault_error;
	bool fault_told, eof;
	unsigned long sheets;
};

/* Record the stream's first fault and stop the parser; the queue is delivered before it. */
static void fault(dl_sheet_stream *st, int code, unsigned long line, unsigned long column,
		  const char *fmt, const char *arg)
{
	if (st->fault)
		return;
	st->fault = code;
	dl__diag_report(&st->d, code, line, column, fmt, arg);
	if (st->ctxt)
		xmlStopParser(st->ctxt);
}

static bool sheet_too_large(dl_sheet_stream *st, unsigned long long at);

/* Where the start tag whose callback is running begins: libxml2 is at its '>' or "/>". */
static void tag_position(xmlParserCtxtPtr ctxt, unsigned long *line, unsigned long *column)
{
	xmlParserInputPtr in = ctxt->input;
	*line = (unsigned long)(in ? in->line : 0);
	*column = (unsigned long)(in && in->col > 0 ? in->col : 0);
	if (!in || !in->cur || !in->base)
		return;
	const xmlChar *p = in->cur;
	while (p > in->base && *p != '<')
		p--;
	if (*p != '<')
		return;
	unsigned long newlines = 0;
	for (const xmlChar *q = p; q < in->cur; q++)
		newlines += *q == '\n';
	if (newlines == 0 && (unsigned long)(in->cur - p) < *column) {
		*column -= (unsigned long)(in->cur - p);
		return;
	}
	const xmlChar *q = p; /* the tag spans lines: count from the start of its first */
	while (q > in->base && q[-1] != '\n')
		q--;
	*line -= newlines;
	*column = 1;
	for (; q < p; q++)
		*column += (*q & 0xC0) != 0x80;
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
		     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	dl_sheet_stream *st = ctxt->_private;
	const char *name = (const char *)localname;
	unsigned long line, column;
	if (st->depth <= 1) {
		const char *want = st->depth == 0 ? "answer-sheets" : "answer-sheet";
		if (strcmp(name, want) != 0) {
			tag_position(ctxt, &line, &column);
			fault(st, DL_EINVALID, line, column,
			      st->depth == 0 ? "root element is <%s>, expected <answer-sheets>"
					     : "<%s> inside <answer-sheets>, expected <answer-sheet>",
			      name);
			return;
		}
		if (st->depth == 1) {
			long consumed = xmlByteConsumed(ctxt);
			st->sheet_line = (unsigned long)ctxt->input->line;
			st->sheet_start = consumed >= 0 ? (unsigned long long)consumed : st->fed;
		}
	}
	st->depth++;
	st->sax2.startElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
				nb_attributes, nb_defaulted, attributes);
}

/* Append the complete sheet node to the queue as text, then free it. */
static void queue_sheet(dl_sheet_stream *st, xmlNodePtr node)
{
	xmlNodePtr copy = NULL; /* as xmlTextReaderReadOuterXml: namespaces in scope are declared */
	xmlBufferPtr buf = NULL;
	char *text = NULL;
	if (st->count == st->capacity) {
		if (st->head > 0) { /* the queue is drained before the parser runs: move it down */
			memmove(st->queue, st->queue + st->head,
				(st->count - st->head) * sizeof(*st->queue));
			st->count -= st->head;
			st->head = 0;
		}
	}
	if (st->count == st->capacity) {
		size_t capacity = st->capacity ? st->capacity * 2 : 16;
		queued_sheet *grown = dl__realloc(st->queue, capacity * sizeof(*grown));
		if (!grown)
			goto nomem;
		st->queue = grown;
		st->capacity = capacity;
	}
	copy = xmlDocCopyNode(node, node->doc, 1);
	buf = copy ? xmlBufferCreate() : NULL;
	if (!buf || xmlNodeDump(buf, node->doc, copy, 0, 0) < 0)
		goto nomem;
	size_t len = (size_t)xmlBufferLength(buf);
	text = dl__malloc(len + 1);
	if (!text)
		goto nomem;
	memcpy(text, xmlBufferContent(buf), len);
	text[len] = '\0';
	st->queue[st->count++] = (queued_sheet){text, len, st->sheet_line};
	goto done;
nomem:
	fault(st, DL_ENOMEM, st->sheet_line, 0, "%s", "out of memory");
done:
	if (buf)
		xmlBufferFree(buf);
	if (copy)
		xmlFreeNode(copy);
	xmlUnlinkNode(node);
	xmlFreeNode(node);
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;
	dl_sheet_stream *st = ctxt->_private;
	xmlNodePtr node = ctxt->node;
	st->sax2.endElementNs(ctx, localname, prefix, uri);
	if (st->depth > 0)
		st->depth--;
	if (st->depth == 1 && node && !st->fault) {
		long at = xmlByteConsumed(ctxt);
		if (!sheet_too_large(st, at >= 0 ? (unsigned long long)at : st->fed))
			queue_sheet(st, node);
	}
}

/* Text, comments and processing instructions between the sheets are not kept. */
static void on_characters(void *ctx, const xmlChar *ch, int len)
{
	xmlParserCtxtPtr ctxt = ctx;
	dl_sheet_stream *st = ctxt->_private;
	if (st->depth > 1)
		st->sax2.characters(ctx, ch, len);
}

static void on_cdata(void *ctx, const xmlChar *value, int len)
{
	xmlParserCtxtPtr ctxt = ctx;
	dl_sheet_stream *st = ctxt->_private;
	if (st->depth > 1)
		st->sax2.cdataBlock(ctx, value, len);
}

static void on_comment(void *ctx, const xmlChar *value)
{
	xmlParserCtxtPtr ctxt = ctx;
	dl_sheet_stream *st = ctxt->_private;
	if (st->depth > 1)
		st->sax2.comment(ctx, value);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	xmlParserCtxtPtr ctxt = ctx;
	dl_sheet_stream *st = ctxt->_private;
	if (st->depth > 1)
		st->sax2.processingInstruction(ctx, target, data);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
		       const xmlChar *system_id)
{
	(void)name;
	(void)external_id;
	(void)system_id;
	xmlParserCtxtPtr ctxt = ctx;
	fault(ctxt->_private, DL_EINVALID, (unsigned long)xmlSAX2GetLineNumber(ctxt),
	      (unsigned long)xmlSAX2GetColumnNumber(ctxt), "%s",
	      "a DOCTYPE is not allowed: digilevel reads no DTDs and no entities");
}

static void on_error(dl_sheet_stream *st, const xmlError *error)
{
	if (error->level < XML_ERR_ERROR || st->fault)
		return;
	char msg[DL_ERROR_MESSAGE_MAX];
	int code = dl__xml_error_text(msg, sizeof(msg), error);
	fault(st, code, error->line > 0 ? (unsigned long)error->line : 0,
	      error->int2 > 0 ? (unsigned long)error->int2 : 0, "%s", msg);
}

static void on_parse_error(void *ctx, xmlErrorPtr error)
{
	xmlParserCtxtPtr ctxt = ctx;
	if (ctxt->_private) /* NULL while xmlCreatePushParserCtxt is still making it: it then fails */
		on_error(ctxt->_private, error);
}

/* libxml2 raises some errors with no parser context (encoding conversion): see xmldoc.c */
static void on_context_free_error(void *data, xmlErrorPtr error)
{
	on_error(data, error);
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
	if (opts) {
		st->opts = *opts;
		st->has_opts = true;
	}
	st->max_sheet = opts && opts->max_file_size ? opts->max_file_size : DL_DEFAULT_MAX_FILE_SIZE;
	st->path = dl__strdup(path);
	st->scan = dl__malloc(sizeof(*st->scan));
	st->block = dl__malloc(BLOCK_SIZE);
	if (!st->path || !st->scan || !st->block) {
		dl_sheet_stream_close(st);
		return dl__error_set(err, DL_ENOMEM, path, 0, 0, "out of memory");
	}
	dl__diag_init(&st->d, st->has_opts ? &st->opts : NULL, &st->fault_error, st->path);
	dl__raw_scan_init(st->scan, 1); /* namespace declarations counted per sheet */
	struct stat info;
	/* O_NONBLOCK: a FIFO put where the stream was is refused below, never waited on */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	st->f = fd >= 0 ? fdopen(fd, "rb") : NULL;
	if (fd >= 0 && !st->f)
		close(fd);
	if (!st->f || fstat(fileno(st->f), &info) != 0 || !S_ISREG(info.st_mode)) {
		int code = st->f ? DL_EIO : errno == ENOENT ? DL_ENOTFOUND : DL_EIO;
		const char *why = st->f ? "not a regular file" : dl_strerror(errno);
		dl_sheet_stream_close(st);
		return dl__error_set(err, code, path, 0, 0, "cannot open the stream: %s", why);
	}
	xmlSAXVersion(&st->sax2, 2);
	xmlSAXHandler sax = st->sax2;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_characters;
	sax.ignorableWhitespace = on_characters;
	sax.cdataBlock = on_cdata;
	sax.comment = on_comment;
	sax.processingInstruction = on_pi;
	sax.internalSubset = on_doctype;
	sax.serror = on_parse_error;
	st->ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, st->path);
	if (!st->ctxt) {
		dl_sheet_stream_close(st);
		return dl__error_set(err, DL_ENOMEM, path, 0, 0, "out of memory");
	}
	st->ctxt->_private = st;
	/* NODICT: texts are not interned, so that a long stream cannot fill the dictionary */
	xmlCtxtUseOptions(st->ctxt, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
					    XML_PARSE_NODICT);
	*out = st;
	return 0;
}

/* Whether the open sheet, at byte offset at of the file, is over the size limit: then a fault. */
static bool sheet_too_large(dl_sheet_stream *st, unsigned long long at)
{
	if (st->fault || at - st->sheet_start <= st->max_sheet)
		return false;
	char what[32];
	snprintf(what, sizeof(what), "%zu", st->max_sheet);
	fault(st, DL_ELIMIT, st->sheet_line, 1,
	      "this sheet is larger than the limit of %s bytes for one sheet", what);
	return true;
}

/*
 * How much of the n bytes of data to give the parser now: up to the last '>', else up to the last
 * ASCII byte; the rest waits for the next block. libxml2 2.9.14's push parser mistakes a chunk that
 * ends inside a broken UTF-8 sequence for an "internal error", so a chunk never ends inside text.
 */
static size_t safe_cut(const char *data, size_t n)
{
	for (size_t i = n; i > 0; i--)
		if (data[i - 1] == '>')
			return i;
	for (size_t i = n; i > 0; i--)
		if ((unsigned char)data[i - 1] < 0x80)
			return i;
	return n;
}

/* Read and parse the next block of the file (at its end, finish the document). */
static void feed(dl_sheet_stream *st)
{
	size_t n = fread(st->block + st->kept, 1, BLOCK_SIZE - st->kept, st->f);
	if (n < BLOCK_SIZE - st->kept && ferror(st->f)) {
		fault(st, DL_EIO, 0, 0, "read error: %s", dl_strerror(errno));
		return;
	}
	bool end = n == 0;
	/* a tag over a limit: the bytes before it are still parsed, for the sheets they complete,
	 * and the limit is the fault only if parsing them meets none */
	dl_error limit_error;
	dl__diag limit_d;
	dl__diag_init(&limit_d, NULL, &limit_error, st->path);
	size_t stop = n;
	int limit = dl__raw_scan_feed(st->scan, st->block + st->kept, n, &limit_d, &stop);
	size_t have = st->kept + (limit < 0 ? stop : n);
	size_t give = end || limit < 0 ? have : safe_cut(st->block, have);
	xmlStructuredErrorFunc old_fn = xmlStructuredError;
	void *old_context = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(st, on_context_free_error);
	xmlParseChunk(st->ctxt, st->block, (int)give, end);
	xmlSetStructuredErrorFunc(old_context, old_fn);
	st->fed += give;
	st->kept = have - give;
	memmove(st->block, st->block + give, st->kept);
	st->eof = end;
	if (limit < 0)
		fault(st, limit, limit_error.line, limit_error.column, "%s", limit_error.message);
	if (st->depth > 1)
		sheet_too_large(st, st->fed);
	if (st->fault && st->ctxt->myDoc) { /* nothing more is parsed: free the sheet begun */
		xmlFreeDoc(st->ctxt->myDoc);
		st->ctxt->myDoc = NULL;
	}
}

int dl_sheet_stream_next(dl_sheet_stream *st, char **xml, size_t *len, unsigned long *line,
			 dl_error *err)
{
	while (st->head == st->count && !st->fault && !st->eof)
		feed(st);
	if (st->head < st->count) {
		queued_sheet *q = &st->queue[st->head++];
		*xml = q->xml;
		*len = q->len;
		*line = q->line;
		st->sheets++;
		return 1;
	}
	if (st->fault && !st->fault_told) {
		st->fault_told = true;
		if (err)
			*err = st->fault_error;
		return st->fault;
	}
	return 0;
}

void dl_sheet_stream_close(dl_sheet_stream *st)
{
	if (!st)
		return;
	for (size_t i = st->head; i < st->count; i++)
		dl__free(st->queue[i].xml);
	dl__free(st->queue);
	if (st->ctxt) {
		if (st->ctxt->myDoc)
			xmlFreeDoc(st->ctxt->myDoc);
		xmlFreeParserCtxt(st->ctxt);
	}
	if (st->f)
		fclose(st->f);
	dl__free(st->scan);
	dl__free(st->block);
	dl__free(st->path);
	dl__free(st);
}

int dl_sheet_load_from_stream(dl_sheet **out, char *xml, size_t len, const char *name,
			      unsigned long line, const dl_load_options *opts, dl_error *err)
{
	return dl__sheet_load_chunk(out, xml, len, name, line > 0 ? line - 1 : 0, opts, err);
}
