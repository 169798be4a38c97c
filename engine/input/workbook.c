/*
 * workbook.c: the cells of an .xlsx workbook, read from memory with libzip and libxml2's reader (see
 * workbook.h). The only file that includes a libzip header.
 *
 * Why this shape: a workbook is a zip of XML parts that refer to each other through relationship
 * parts (_rels/.rels names the workbook, its .rels the worksheets and the shared strings), so the
 * parts are found the way Excel finds them, not by the names one writer happens to use (LibreOffice,
 * openpyxl and Excel name them alike, but other writers do not have to). Each part is read whole
 * into memory within DL__XLSX_MAX_PART and all of them within DL__XLSX_MAX_TOTAL, whatever size the
 * zip's directory declares (a zip bomb stops at the limit), and parsed with a streaming reader
 * (memory does not grow with a worksheet's tags). A part with a DOCTYPE or an entity declaration is
 * refused before libxml2 reads it; the raw scan of xmldoc.c holds each part to the limits on
 * attributes, namespaces and names that protect libxml2 2.9.14 from its quadratic cases.
 */
#include "workbook.h"

#include "alloc.h"
#include "i18n.h"
#include "xmldoc.h"

#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

bool dl__workbook_magic(const void *data, size_t len)
{
	return len >= 4 && memcmp(data, "PK\3\4", 4) == 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), and back (H. Hinnant's algorithms). */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long yy = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

int dl__workbook_serial_date(long serial, bool date1904, int *y, int *m, int *d)
{
	long days;
	if (date1904) {
		if (serial < 0)
			return -1;
		days = days_from_civil(1904, 1, 1) + serial;
	} else {
		if (serial < 1 || serial == 60)
			return -1;
		/* Excel counts a 29 February 1900 (Lotus 1-2-3's mistake): from day 61 on, one day less */
		days = days_from_civil(1899, 12, serial < 60 ? 31 : 30) + serial;
	}
	if (days > days_from_civil(9999, 12, 31))
		return -1;
	civil_from_days(days, y, m, d);
	return 0;
}

/* --- reading parts ------------------------------------------------------------------------------ */

typedef struct reader {
	zip_t *zip;
	dl__diag *d;
	const char *name; /* the file, for messages */
	size_t total;     /* uncompressed bytes read so far */
	dl__workbook *wb;
	char **strings; /* shared strings (in the arena) */
	size_t string_count;
} reader;

/* At most 20 bytes of an attribute for a message, cut at a character. */
static const char *shortened(const char *s, char *buf, size_t size)
{
	dl__copy_truncated(buf, size < 21 ? size : 21, s);
	return buf;
}

/*
 * Why libzip could not read the archive, in the language of messages: the reasons a damaged or
 * unfinished file gives; any other is libzip's own English text.
 */
static const char *zip_reason(zip_error_t *ze)
{
	switch (zip_error_code_zip(ze)) {
	case ZIP_ER_NOZIP: return _("it cannot be read as a zip archive");
	case ZIP_ER_EOF: return _("the file ends too early");
	case ZIP_ER_INCONS: return _("the archive's table of contents does not match its contents");
	case ZIP_ER_CRC: return _("the checksum of a part does not match");
	case ZIP_ER_COMPRESSED_DATA:
	case ZIP_ER_ZLIB: return _("the compressed data is damaged");
	case ZIP_ER_COMPNOTSUPP: return _("a part is compressed by a method digilevel cannot read");
	case ZIP_ER_ENCRNOTSUPP:
	case ZIP_ER_NOPASSWD:
	case ZIP_ER_WRONGPASSWD: return _("the workbook is encrypted (protected by a password to open it)");
	case ZIP_ER_MULTIDISK: return _("it is split over several files");
	default: return zip_error_strerror(ze);
	}
}

static int nomem(reader *r)
{
	return dl__diag_report(r->d, DL_ENOMEM, 0, 0, "%s", _("out of memory"));
}

/*
 * Read the part named part into a new NUL-terminated buffer (dl__malloc). *found false (and 0
 * returned) when there is no such part and optional is set.
 */
static int read_part(reader *r, const char *part, bool optional, char **out, size_t *len, bool *found)
{
	*out = NULL;
	*len = 0;
	if (found)
		*found = false;
	zip_int64_t index = zip_name_locate(r->zip, part, 0);
	if (index < 0) {
		if (optional)
			return 0;
		return dl__diag_report(r->d, DL_EINVALID, 0, 0,
				       _("not an xlsx workbook digilevel can read: the part '%s' is missing"), part);
	}
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(r->zip, (zip_uint64_t)index, 0, &st) < 0)
		return dl__diag_report(r->d, DL_EINVALID, 0, 0, _("the xlsx file is damaged: the part '%s' cannot be read"), part);
	if ((st.valid & ZIP_STAT_SIZE) &&
	    (st.size > DL__XLSX_MAX_PART || st.size > DL__XLSX_MAX_TOTAL - r->total))
		return dl__diag_report(r->d, DL_ELIMIT, 0, 0,
				       _("the xlsx part '%s' is %llu bytes uncompressed, over the limit (%zu MiB a part, %zu MiB in all)"),
				       part, (unsigned long long)st.size, DL__XLSX_MAX_PART >> 20,
				       DL__XLSX_MAX_TOTAL >> 20);
	zip_file_t *f = zip_fopen_index(r->zip, (zip_uint64_t)index, 0);
	if (!f)
		return dl__diag_report(r->d, DL_EINVALID, 0, 0,
				       _("the xlsx file is damaged: the part '%s' cannot be opened (%s)"), part,
				       zip_reason(zip_get_error(r->zip)));
	size_t cap = (size_t)64 * 1024, n = 0;
	size_t limit = DL__XLSX_MAX_PART < DL__XLSX_MAX_TOTAL - r->total ? DL__XLSX_MAX_PART
									  : DL__XLSX_MAX_TOTAL - r->total;
	char *buf = dl__malloc(cap + 1);
	int rc = 0;
	if (!buf) {
		rc = nomem(r);
		goto done;
	}
	for (;;) {
		if (n == cap) {
			if (cap > limit) {
				rc = dl__diag_report(r->d, DL_ELIMIT, 0, 0,
						     _("the xlsx part '%s' is over the limit uncompressed (%zu MiB a part, %zu MiB in all)"),
						     part, DL__XLSX_MAX_PART >> 20, DL__XLSX_MAX_TOTAL >> 20);
				goto done;
			}
			size_t next = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
			char *grown = dl__realloc(buf, next + 1);
			if (!grown) {
				rc = nomem(r);
				goto done;
			}
			buf = grown;
			cap = next;
		}
		zip_int64_t got = zip_fread(f, buf + n, cap - n);
		if (got < 0) {
			rc = dl__diag_report(r->d, DL_EINVALID, 0, 0,
					     _("the xlsx file is damaged: the part '%s' cannot be uncompressed (%s)"), part,
					     zip_reason(zip_file_get_error(f)));
			goto done;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > limit) {
			rc = dl__diag_report(r->d, DL_ELIMIT, 0, 0,
					     _("the xlsx part '%s' is over the limit uncompressed (%zu MiB a part, %zu MiB in all)"),
					     part, DL__XLSX_MAX_PART >> 20, DL__XLSX_MAX_TOTAL >> 20);
			goto done;
		}
	}
	buf[n] = '\0';
	r->total += n;
	*out = buf;
	*len = n;
	buf = NULL;
	if (found)
		*found = true;
done:
	dl__free(buf);
	zip_fclose(f);
	return rc;
}

/* --- parsing parts ------------------------------------------------------------------------------ */

typedef struct xml_error {
	char message[200];
	bool seen;
} xml_error;

static void on_error(void *userdata, xmlErrorPtr error)
{
	xml_error *e = userdata;
	if (e->seen || !error)
		return;
	e->seen = true;
	if (dl__xml_error_text(e->message, sizeof(e->message), error) == DL_ENOMEM)
		snprintf(e->message, sizeof(e->message), "%s", _("out of memory"));
}

/* What a part's handler is given for each node: the reader, and the state of the walk. */
typedef int (*node_fn)(reader *r, xmlTextReaderPtr x, void *state);

/*
 * Parse the part's bytes (NUL-terminated buf of len bytes), calling fn for every node. Refuses a
 * DOCTYPE or entity declaration before parsing, and holds the bytes to xmldoc.c's raw limits.
 */
static int parse_part(reader *r, const char *part, const char *buf, size_t len, node_fn fn, void *state)
{
	if (strstr(buf, "<!DOCTYPE") || strstr(buf, "<!ENTITY"))
		return dl__diag_report(r->d, DL_EINVALID, 0, 0,
				       _("the xlsx part '%s' has a DOCTYPE or an entity declaration: digilevel reads neither DTDs nor entities"), part);
	dl__raw_scan *scan = dl__malloc(sizeof(*scan));
	if (!scan)
		return nomem(r);
	dl__raw_scan_init(scan, 0);
	dl__diag quiet;
	dl__diag_init(&quiet, NULL, NULL, part);
	size_t stop = 0;
	int rc = dl__raw_scan_feed(scan, buf, len, &quiet, &stop);
	if (scan->marks_owned)
		dl__free(scan->marks);
	dl__free(scan);
	if (rc < 0)
		return dl__diag_report(r->d, DL_ELIMIT, 0, 0,
				       _("the xlsx part '%s' is over the limits for its tags (too many attributes, namespaces or names)"), part);
	if (len > (size_t)INT32_MAX)
		return dl__diag_report(r->d, DL_ELIMIT, 0, 0, _("the xlsx part '%s' is too large"), part);
	xmlTextReaderPtr x = xmlReaderForMemory(buf, (int)len, part, NULL, XML_PARSE_NONET);
	if (!x)
		return nomem(r);
	xml_error e = {"", false};
	xmlTextReaderSetStructuredErrorHandler(x, on_error, &e);
	int ret;
	while ((ret = xmlTextReaderRead(x)) == 1) {
		if (xmlTextReaderNodeType(x) == XML_READER_TYPE_DOCUMENT_TYPE) {
			rc = dl__diag_report(r->d, DL_EINVALID, 0, 0,
					     _("the xlsx part '%s' has a DOCTYPE: digilevel reads neither DTDs nor entities"), part);
			break;
		}
		if ((rc = fn(r, x, state)) < 0)
			break;
	}
	if (rc == 0 && ret < 0)
		rc = dl__diag_report(r->d, DL_EINVALID, 0, 0, _("the xlsx part '%s' is not well-formed XML: %s"), part,
				     e.seen ? e.message : _("parse error"));
	xmlFreeTextReader(x);
	return rc;
}

static bool is_element(xmlTextReaderPtr x, const char *local)
{
	const xmlChar *name = xmlTextReaderConstLocalName(x);
	return xmlTextReaderNodeType(x) == XML_READER_TYPE_ELEMENT && name &&
	       strcmp((const char *)name, local) == 0;
}

static bool is_end(xmlTextReaderPtr x, const char *local)
{
	const xmlChar *name = xmlTextReaderConstLocalName(x);
	int type = xmlTextReaderNodeType(x);
	return (type == XML_READER_TYPE_END_ELEMENT ||
		(type == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement(x))) &&
	       name && strcmp((const char *)name, local) == 0;
}

static bool is_text(xmlTextReaderPtr x)
{
	int type = xmlTextReaderNodeType(x);
	return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
	       type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || type == XML_READER_TYPE_WHITESPACE;
}

/* An attribute by local name (any namespace), copied into the arena; NULL when absent. */
static char *attr(reader *r, xmlTextReaderPtr x, const char *local, bool *oom)
{
	char *value = NULL;
	if (xmlTextReaderMoveToFirstAttribute(x) != 1)
		return NULL;
	do {
		const xmlChar *name = xmlTextReaderConstLocalName(x);
		if (name && strcmp((const char *)name, local) == 0) {
			const xmlChar *v = xmlTextReaderConstValue(x);
			value = dl__arena_strdup(&r->wb->arena, v ? (const char *)v : "");
			if (!value)
				*oom = true;
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(x) == 1);
	xmlTextReaderMoveToElement(x);
	return value;
}

/* An attribute by local name into buf (cut to fit); false when absent. For the many small
 * attributes of cells and rows, which are not kept. */
static bool attr_buf(xmlTextReaderPtr x, const char *local, char *buf, size_t size)
{
	bool found = false;
	if (xmlTextReaderMoveToFirstAttribute(x) != 1)
		return false;
	do {
		const xmlChar *name = xmlTextReaderConstLocalName(x);
		if (name && strcmp((const char *)name, local) == 0) {
			const xmlChar *v = xmlTextReaderConstValue(x);
			dl__copy_truncated(buf, size, v ? (const char *)v : "");
			found = true;
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(x) == 1);
	xmlTextReaderMoveToElement(x);
	return found;
}

/* A growing text (one cell's or one shared string's), in dl__malloc memory. */
typedef struct text {
	char *s;
	size_t len, cap;
	bool oom;
} text;

static void text_add(text *t, const char *s)
{
	size_t n = strlen(s);
	if (t->oom || n == 0)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 64;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *grown = dl__realloc(t->s, cap);
		if (!grown) {
			t->oom = true;
			return;
		}
		t->s = grown;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n + 1);
	t->len += n;
}

static int hex(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
			       : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * Copy t's text into the arena, decoding the _xHHHH_ escapes with which Office writes characters XML
 * cannot hold (a carriage return is _x000D_); "_x005F_" is a literal underscore.
 */
static char *text_keep(reader *r, text *t)
{
	const char *s = t->s ? t->s : "";
	char *out = dl__arena_alloc(&r->wb->arena, t->len + 1);
	if (!out)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; s[i];) {
		if (s[i] == '_' && s[i + 1] == 'x' && t->len - i >= 7 && s[i + 6] == '_' && hex(s[i + 2]) >= 0 &&
		    hex(s[i + 3]) >= 0 && hex(s[i + 4]) >= 0 && hex(s[i + 5]) >= 0) {
			unsigned c = (unsigned)(hex(s[i + 2]) << 12 | hex(s[i + 3]) << 8 | hex(s[i + 4]) << 4 |
						hex(s[i + 5]));
			/* at most 3 bytes of UTF-8 for 7 bytes of escape: the output never outgrows the input */
			if (c < 0x80) {
				out[n++] = (char)c;
			} else if (c < 0x800) {
				out[n++] = (char)(0xC0 | c >> 6);
				out[n++] = (char)(0x80 | (c & 0x3F));
			} else if (c < 0xD800 || c > 0xDFFF) {
				out[n++] = (char)(0xE0 | c >> 12);
				out[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
				out[n++] = (char)(0x80 | (c & 0x3F));
			}
			i += 7;
			continue;
		}
		out[n++] = s[i++];
	}
	out[n] = '\0';
	return out;
}

/* --- relationships, workbook, shared strings ----------------------------------------------------- */

typedef struct rel {
	const char *id, *type, *target;
} rel;

typedef struct rels {
	rel items[256];
	size_t count;
	bool oom;
} rels;

static int rels_node(reader *r, xmlTextReaderPtr x, void *state)
{
	rels *rs = state;
	if (!is_element(x, "Relationship") || rs->count == sizeof(rs->items) / sizeof(rs->items[0]))
		return 0;
	rel *rl = &rs->items[rs->count];
	rl->id = attr(r, x, "Id", &rs->oom);
	rl->type = attr(r, x, "Type", &rs->oom);
	rl->target = attr(r, x, "Target", &rs->oom);
	if (rs->oom)
		return nomem(r);
	if (rl->id && rl->type && rl->target)
		rs->count++;
	return 0;
}

/* Read the relationships part of part (dir/_rels/name.rels); none is an empty list. */
static int read_rels(reader *r, const char *relspart, rels *rs)
{
	char *buf = NULL;
	size_t len = 0;
	bool found = false;
	rs->count = 0;
	rs->oom = false;
	int rc = read_part(r, relspart, true, &buf, &len, &found);
	if (rc == 0 && found)
		rc = parse_part(r, relspart, buf, len, rels_node, rs);
	dl__free(buf);
	return rc;
}

/* The type of a relationship ends with this word ("/officeDocument", "/worksheet", ...). */
static bool rel_is(const rel *rl, const char *kind)
{
	size_t n = strlen(rl->type), k = strlen(kind);
	return n > k && rl->type[n - k - 1] == '/' && strcmp(rl->type + n - k, kind) == 0;
}

/*
 * The part a target names, relative to the folder base ("xl/") or absolute ("/xl/..."), with "."
 * and ".." segments resolved (only names are looked up; nothing is written anywhere).
 */
static char *resolve_target(reader *r, const char *base, const char *target)
{
	char joined[1024];
	int n = target[0] == '/' ? snprintf(joined, sizeof(joined), "%s", target + 1)
				 : snprintf(joined, sizeof(joined), "%s%s", base, target);
	if (n < 0 || (size_t)n >= sizeof(joined))
		return NULL;
	char *out = dl__arena_alloc(&r->wb->arena, (size_t)n + 1);
	if (!out)
		return NULL;
	size_t len = 0;
	for (char *seg = joined; *seg;) {
		char *end = strchr(seg, '/');
		size_t sl = end ? (size_t)(end - seg) : strlen(seg);
		if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
			while (len > 0 && out[len - 1] != '/')
				len--;
		} else if (!(sl == 1 && seg[0] == '.') && sl > 0) {
			memcpy(out + len, seg, sl);
			len += sl;
			if (end)
				out[len++] = '/';
		}
		seg = end ? end + 1 : seg + sl;
	}
	out[len] = '\0';
	return out;
}

typedef struct sheet_ref {
	const char *name, *rid;
} sheet_ref;

typedef struct workbook_state {
	sheet_ref sheets[DL__XLSX_MAX_SHEETS + 1];
	size_t count;
	bool oom, too_many;
} workbook_state;

static int workbook_node(reader *r, xmlTextReaderPtr x, void *state)
{
	workbook_state *w = state;
	if (is_element(x, "workbookPr")) {
		char *v = attr(r, x, "date1904", &w->oom);
		r->wb->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	} else if (is_element(x, "sheet")) {
		if (w->count == DL__XLSX_MAX_SHEETS) {
			w->too_many = true;
			return 0;
		}
		w->sheets[w->count].name = attr(r, x, "name", &w->oom);
		w->sheets[w->count].rid = attr(r, x, "id", &w->oom);
		if (w->sheets[w->count].name && w->sheets[w->count].rid)
			w->count++;
	}
	return w->oom ? nomem(r) : 0;
}

typedef struct strings_state {
	text t;
	int depth_rph; /* inside <rPh> (phonetic runs: not part of the text) */
	bool in_t;
	size_t cap;
} strings_state;

static int strings_node(reader *r, xmlTextReaderPtr x, void *state)
{
	strings_state *s = state;
	if (is_element(x, "rPh") && !xmlTextReaderIsEmptyElement(x))
		s->depth_rph++;
	else if (is_end(x, "rPh") && s->depth_rph > 0 && xmlTextReaderNodeType(x) == XML_READER_TYPE_END_ELEMENT)
		s->depth_rph--;
	else if (is_element(x, "si")) {
		s->t.len = 0;
		if (s->t.s)
			s->t.s[0] = '\0';
		if (xmlTextReaderIsEmptyElement(x))
			goto keep;
	} else if (is_element(x, "t") && !xmlTextReaderIsEmptyElement(x))
		s->in_t = true;
	else if (is_end(x, "t"))
		s->in_t = false;
	else if (is_text(x) && s->in_t && s->depth_rph == 0) {
		const xmlChar *v = xmlTextReaderConstValue(x);
		text_add(&s->t, v ? (const char *)v : "");
		if (s->t.oom)
			return nomem(r);
	} else if (xmlTextReaderNodeType(x) == XML_READER_TYPE_END_ELEMENT && is_end(x, "si"))
		goto keep;
	return 0;
keep:
	if (r->string_count == DL__XLSX_MAX_STRINGS)
		return dl__diag_report(r->d, DL_ELIMIT, 0, 0, _("the xlsx workbook has more than %d shared strings"),
				       DL__XLSX_MAX_STRINGS);
	if (r->string_count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		char **grown = dl__realloc(r->strings, cap * sizeof(*grown));
		if (!grown)
			return nomem(r);
		r->strings = grown;
		s->cap = cap;
	}
	char *kept = text_keep(r, &s->t);
	if (!kept)
		return nomem(r);
	r->strings[r->string_count++] = kept;
	return 0;
}

/* --- worksheets --------------------------------------------------------------------------------- */

typedef struct sheet_state {
	dl__wb_sheet *ws;
	size_t cap;
	size_t *cells_total;
	uint32_t row, col;          /* of the current (or last) row and cell */
	char type[16];              /* the cell's t attribute ("n" when absent) */
	bool in_cell, in_v, in_is, in_t;
	int depth_rph;
	text t;
} sheet_state;

/* Parse "D12" into col 4, row 12. Returns false when it is not an address in Excel's range. */
static bool parse_ref(const char *s, uint32_t *row, uint32_t *col)
{
	uint32_t c = 0, rw = 0;
	size_t i = 0;
	for (; (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'); i++) {
		c = c * 26 + (uint32_t)((s[i] | 0x20) - 'a' + 1);
		if (c > DL__XLSX_MAX_COL)
			return false;
	}
	if (i == 0 || !(s[i] >= '1' && s[i] <= '9'))
		return false;
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		rw = rw * 10 + (uint32_t)(s[i] - '0');
		if (rw > DL__XLSX_MAX_ROW)
			return false;
	}
	if (s[i])
		return false;
	*row = rw;
	*col = c;
	return true;
}

static int parse_number_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint32_t v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint32_t)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

static int finish_cell(reader *r, sheet_state *st)
{
	const char *type = st->type;
	dl__cell_kind kind;
	char *value;
	if (strcmp(type, "s") == 0) {
		uint32_t index;
		const char *v = st->t.s ? st->t.s : "";
		while (*v == ' ')
			v++;
		if (!*v)
			return 0;
		if (parse_number_u32(v, UINT32_MAX - 1, &index) < 0 || index >= r->string_count) {
			char cell[16], q[24];
			return dl__diag_report(r->d, DL_EINVALID, 0, 0,
					       _("the xlsx file is damaged: in worksheet '%s', cell %s refers to shared string '%s', which does not exist"),
					       st->ws->name, dl__cell_name(st->row, st->col, cell, sizeof(cell)),
					       shortened(v, q, sizeof(q)));
		}
		kind = DL__CELL_TEXT;
		value = r->strings[index];
	} else {
		if (st->t.len == 0 && strcmp(type, "inlineStr") != 0 && strcmp(type, "str") != 0)
			return 0; /* a styled cell without a value */
		value = text_keep(r, &st->t);
		if (!value)
			return nomem(r);
		kind = strcmp(type, "b") == 0 ? DL__CELL_BOOL
		       : strcmp(type, "e") == 0 ? DL__CELL_ERROR
		       : strcmp(type, "d") == 0 ? DL__CELL_DATE
		       : strcmp(type, "n") == 0 ? DL__CELL_NUMBER
						: DL__CELL_TEXT;
	}
	if (kind == DL__CELL_TEXT && !value[0])
		return 0;
	if (*st->cells_total == DL__XLSX_MAX_CELLS)
		return dl__diag_report(r->d, DL_ELIMIT, 0, 0, _("the xlsx workbook has more than %d filled cells"),
				       DL__XLSX_MAX_CELLS);
	if (st->ws->count == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		dl__wb_cell *grown = dl__realloc(st->ws->cells, cap * sizeof(*grown));
		if (!grown)
			return nomem(r);
		st->ws->cells = grown;
		st->cap = cap;
	}
	dl__wb_cell *c = &st->ws->cells[st->ws->count++];
	(*st->cells_total)++;
	c->row = st->row;
	c->col = st->col;
	c->kind = kind;
	c->text = value;
	return 0;
}

static int sheet_node(reader *r, xmlTextReaderPtr x, void *state)
{
	sheet_state *st = state;
	int type = xmlTextReaderNodeType(x);
	if (type == XML_READER_TYPE_ELEMENT) {
		const char *name = (const char *)xmlTextReaderConstLocalName(x);
		bool empty = xmlTextReaderIsEmptyElement(x);
		if (!name)
			return 0;
		if (strcmp(name, "row") == 0) {
			char v[32];
			uint32_t rw = st->row + 1;
			char q[24];
			if (attr_buf(x, "r", v, sizeof(v)) && parse_number_u32(v, DL__XLSX_MAX_ROW, &rw) < 0)
				return dl__diag_report(r->d, DL_EINVALID, 0, 0,
						       _("the xlsx file is damaged: worksheet '%s' has a row numbered '%s'"), st->ws->name,
						       shortened(v, q, sizeof(q)));
			if (rw == 0 || rw > DL__XLSX_MAX_ROW)
				return dl__diag_report(r->d, DL_EINVALID, 0, 0,
						       _("the xlsx file is damaged: a row of worksheet '%s' is out of range"), st->ws->name);
			st->row = rw;
			st->col = 0;
		} else if (strcmp(name, "c") == 0) {
			char ref[32];
			if (!attr_buf(x, "t", st->type, sizeof(st->type)))
				snprintf(st->type, sizeof(st->type), "n");
			if (attr_buf(x, "r", ref, sizeof(ref))) {
				uint32_t rw, col;
				char q[24];
				if (!parse_ref(ref, &rw, &col))
					return dl__diag_report(r->d, DL_EINVALID, 0, 0,
							       _("the xlsx file is damaged: worksheet '%s' has a cell address '%s'"),
							       st->ws->name, shortened(ref, q, sizeof(q)));
				st->row = rw;
				st->col = col;
			} else {
				if (st->row == 0)
					st->row = 1;
				if (++st->col > DL__XLSX_MAX_COL)
					return dl__diag_report(r->d, DL_EINVALID, 0, 0,
							       _("the xlsx file is damaged: a column of worksheet '%s' is out of range"), st->ws->name);
			}
			st->t.len = 0;
			if (st->t.s)
				st->t.s[0] = '\0';
			st->in_cell = !empty;
			st->in_v = st->in_is = st->in_t = false;
			st->depth_rph = 0;
		} else if (st->in_cell && strcmp(name, "v") == 0 && !empty) {
			st->in_v = true;
		} else if (st->in_cell && strcmp(name, "is") == 0 && !empty) {
			st->in_is = true;
		} else if (st->in_is && strcmp(name, "t") == 0 && !empty) {
			st->in_t = true;
		} else if (st->in_is && strcmp(name, "rPh") == 0 && !empty) {
			st->depth_rph++;
		}
		return 0;
	}
	if (type == XML_READER_TYPE_END_ELEMENT) {
		const char *name = (const char *)xmlTextReaderConstLocalName(x);
		if (!name)
			return 0;
		if (strcmp(name, "c") == 0 && st->in_cell) {
			st->in_cell = false;
			if (st->t.oom)
				return nomem(r);
			return finish_cell(r, st);
		}
		if (strcmp(name, "v") == 0)
			st->in_v = false;
		else if (strcmp(name, "is") == 0)
			st->in_is = false;
		else if (strcmp(name, "t") == 0)
			st->in_t = false;
		else if (strcmp(name, "rPh") == 0 && st->depth_rph > 0)
			st->depth_rph--;
		return 0;
	}
	if (is_text(x) && st->in_cell && (st->in_v || (st->in_t && st->depth_rph == 0))) {
		const xmlChar *v = xmlTextReaderConstValue(x);
		text_add(&st->t, v ? (const char *)v : "");
		if (st->t.oom)
			return nomem(r);
	}
	return 0;
}

static int compare_cells(const void *a, const void *b)
{
	const dl__wb_cell *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

/* Move a sheet's cells (dl__malloc) into the arena, sorted. */
static int keep_cells(reader *r, dl__wb_sheet *ws)
{
	if (ws->count == 0) {
		dl__free(ws->cells);
		ws->cells = NULL;
		return 0;
	}
	qsort(ws->cells, ws->count, sizeof(*ws->cells), compare_cells);
	dl__wb_cell *kept = dl__arena_array(&r->wb->arena, ws->count, sizeof(*kept));
	if (kept)
		memcpy(kept, ws->cells, ws->count * sizeof(*kept));
	dl__free(ws->cells);
	ws->cells = kept;
	return kept ? 0 : nomem(r);
}

/* --- the whole workbook ------------------------------------------------------------------------- */

static int read_workbook(reader *r)
{
	rels rs;
	char *buf = NULL;
	size_t len = 0;
	int rc = read_rels(r, "_rels/.rels", &rs);
	if (rc < 0)
		return rc;
	const char *wbpart = "xl/workbook.xml";
	for (size_t i = 0; i < rs.count; i++)
		if (rel_is(&rs.items[i], "officeDocument")) {
			wbpart = resolve_target(r, "", rs.items[i].target);
			if (!wbpart)
				return nomem(r);
			break;
		}
	workbook_state *w = dl__calloc(1, sizeof(*w));
	if (!w)
		return nomem(r);
	rc = read_part(r, wbpart, false, &buf, &len, NULL);
	if (rc == 0)
		rc = parse_part(r, wbpart, buf, len, workbook_node, w);
	dl__free(buf);
	buf = NULL;
	if (rc == 0 && w->too_many)
		rc = dl__diag_report(r->d, DL_ELIMIT, 0, 0, _("the xlsx workbook has more than %d worksheets"),
				     DL__XLSX_MAX_SHEETS);
	if (rc == 0 && w->count == 0)
		rc = dl__diag_report(r->d, DL_EINVALID, 0, 0, _("the xlsx workbook has no worksheet"));
	/* the folder of the workbook part, and its relationships */
	char base[512] = "", relspart[600];
	const char *slash = strrchr(wbpart, '/');
	if (slash && (size_t)(slash - wbpart + 1) < sizeof(base))
		memcpy(base, wbpart, (size_t)(slash - wbpart + 1)), base[slash - wbpart + 1] = '\0';
	snprintf(relspart, sizeof(relspart), "%s_rels/%s.rels", base, slash ? slash + 1 : wbpart);
	if (rc == 0)
		rc = read_rels(r, relspart, &rs);
	/* shared strings first: the cells refer to them */
	for (size_t i = 0; rc == 0 && i < rs.count; i++) {
		if (!rel_is(&rs.items[i], "sharedStrings"))
			continue;
		const char *part = resolve_target(r, base, rs.items[i].target);
		if (!part) {
			rc = nomem(r);
			break;
		}
		strings_state s = {{NULL, 0, 0, false}, 0, false, 0};
		rc = read_part(r, part, false, &buf, &len, NULL);
		if (rc == 0)
			rc = parse_part(r, part, buf, len, strings_node, &s);
		dl__free(s.t.s);
		dl__free(buf);
		buf = NULL;
		break;
	}
	if (rc == 0) {
		r->wb->sheets = dl__arena_array(&r->wb->arena, w->count, sizeof(dl__wb_sheet));
		if (!r->wb->sheets)
			rc = nomem(r);
	}
	size_t cells_total = 0;
	for (size_t i = 0; rc == 0 && i < w->count; i++) {
		const rel *found = NULL;
		for (size_t k = 0; k < rs.count; k++)
			if (strcmp(rs.items[k].id, w->sheets[i].rid) == 0)
				found = &rs.items[k];
		if (!found || !rel_is(found, "worksheet"))
			continue; /* a chartsheet or a dialog sheet: no cells to read */
		const char *part = resolve_target(r, base, found->target);
		if (!part) {
			rc = nomem(r);
			break;
		}
		dl__wb_sheet *ws = &r->wb->sheets[r->wb->sheet_count++];
		ws->name = w->sheets[i].name;
		sheet_state st;
		memset(&st, 0, sizeof(st));
		st.ws = ws;
		st.cells_total = &cells_total;
		rc = read_part(r, part, false, &buf, &len, NULL);
		if (rc == 0)
			rc = parse_part(r, part, buf, len, sheet_node, &st);
		dl__free(st.t.s);
		dl__free(buf);
		buf = NULL;
		if (rc == 0)
			rc = keep_cells(r, ws);
		else {
			dl__free(ws->cells);
			ws->cells = NULL;
			ws->count = 0;
		}
	}
	dl__free(w);
	return rc;
}

int dl__workbook_read(dl__workbook **out, const void *data, size_t len, dl__diag *d)
{
	reader r;
	memset(&r, 0, sizeof(r));
	r.d = d;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = NULL;
	int rc = 0;
	r.wb = dl__calloc(1, sizeof(*r.wb));
	if (!r.wb)
		return dl__diag_report(d, DL_ENOMEM, 0, 0, "%s", _("out of memory"));
	if (!dl__workbook_magic(data, len)) {
		rc = dl__diag_report(d, DL_EINVALID, 0, 0, _("not an xlsx workbook (not a zip archive)"));
		goto done;
	}
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		rc = nomem(&r);
		goto done;
	}
	r.zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!r.zip) {
		rc = zip_error_code_zip(&ze) == ZIP_ER_MEMORY
			     ? nomem(&r)
			     : dl__diag_report(d, DL_EINVALID, 0, 0,
					       _("the xlsx file is damaged or incomplete (perhaps it was not copied or saved in full): %s"),
					       zip_reason(&ze));
		goto done;
	}
	src = NULL; /* the archive owns it now */
	zip_int64_t entries = zip_get_num_entries(r.zip, 0);
	if (entries < 0 || entries > DL__XLSX_MAX_ENTRIES) {
		rc = dl__diag_report(d, DL_ELIMIT, 0, 0, _("the xlsx archive holds more than %d files"), DL__XLSX_MAX_ENTRIES);
		goto done;
	}
	rc = read_workbook(&r);
done:
	if (r.zip)
		zip_discard(r.zip);
	zip_source_free(src);
	zip_error_fini(&ze);
	dl__free(r.strings);
	if (rc < 0) {
		dl__workbook_free(r.wb);
		return rc;
	}
	*out = r.wb;
	return 0;
}

void dl__workbook_free(dl__workbook *wb)
{
	if (!wb)
		return;
	dl__arena_free(&wb->arena);
	dl__free(wb);
}

const dl__wb_sheet *dl__workbook_sheet(const dl__workbook *wb, const char *name)
{
	for (size_t i = 0; i < wb->sheet_count; i++)
		if (strcmp(wb->sheets[i].name, name) == 0)
			return &wb->sheets[i];
	return NULL;
}

const dl__wb_cell *dl__workbook_cell(const dl__wb_sheet *ws, uint32_t row, uint32_t col)
{
	size_t lo = 0, hi = ws->count;
	dl__wb_cell key = {row, col, DL__CELL_TEXT, NULL};
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = compare_cells(&key, &ws->cells[mid]);
		if (c == 0)
			return &ws->cells[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
