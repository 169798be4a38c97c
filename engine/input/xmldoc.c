/*
 * xmldoc.c: safe XML loading with exact element positions and schema validation (see xmldoc.h).
 */
#include "xmldoc.h"

#include "alloc.h"
#include "i18n.h"
#include "schema_words.h"
#include "schemas.h"
#include "sheet_fields.h"
#include "text_rules.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
	xmlInitParser();
}

/*
 * Open path, which must be a regular file, for reading; its size in *size. The open does not wait
 * (O_NONBLOCK): a FIFO or a device put where a file was expected is refused at once, not read.
 */
static int open_regular(const char *path, FILE **out, unsigned long long *size, dl__diag *d)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return dl__diag_report(d, errno == ENOENT ? DL_ENOTFOUND : DL_EIO, 0, 0,
				       _("cannot open: %s"), dl_strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return dl__diag_report(d, DL_EIO, 0, 0, _("not a regular file"));
	}
	int flags = fcntl(fd, F_GETFL);
	FILE *f = NULL;
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 || !(f = fdopen(fd, "rb"))) {
		int saved = errno;
		close(fd);
		return dl__diag_report(d, saved == ENOMEM ? DL_ENOMEM : DL_EIO, 0, 0, _("cannot open: %s"),
				       dl_strerror(saved));
	}
	*out = f;
	*size = (unsigned long long)st.st_size;
	return 0;
}

static int too_large(unsigned long long size, size_t max_size, dl__diag *d)
{
	return dl__diag_report(d, DL_ELIMIT, 0, 0,
			       _("file is %llu bytes, larger than the limit of %zu bytes"), size,
			       max_size);
}

/*
 * Read on from f, a file of `size` bytes when it was opened, until *buf (grown with dl__realloc and
 * NUL-terminated) holds want bytes or the file ends. *whole says whether all of the file is in.
 */
static int read_more(FILE *f, unsigned long long size, char **buf, size_t *have, size_t want,
		     bool *whole, dl__diag *d)
{
	char *grown = dl__realloc(*buf, want + 1);
	if (!grown)
		return dl__diag_report(d, DL_ENOMEM, 0, 0, _("out of memory"));
	*buf = grown;
	*have += fread(*buf + *have, 1, want - *have, f);
	*whole = *have < want || *have == size; /* a file may also shrink while it is read */
	if (*whole && *have == size && !ferror(f) && fgetc(f) != EOF)
		return dl__diag_report(d, DL_ELIMIT, 0, 0, _("file changed while being read"));
	if (ferror(f))
		return dl__diag_report(d, DL_EIO, 0, 0, _("read error: %s"), dl_strerror(errno));
	(*buf)[*have] = '\0';
	return 0;
}

int dl__xml_read_file(const char *path, size_t max_size, char **data, size_t *len, dl__diag *d)
{
	FILE *f = NULL;
	char *buf = NULL;
	size_t have = 0;
	unsigned long long size = 0;
	bool whole;

	if (max_size == 0)
		max_size = DL_DEFAULT_MAX_FILE_SIZE;
	int rc = open_regular(path, &f, &size, d);
	if (rc < 0)
		return rc;
	rc = size > max_size ? too_large(size, max_size, d)
			     : read_more(f, size, &buf, &have, (size_t)size, &whole, d);
	if (rc == 0) {
		*data = buf;
		*len = have;
		buf = NULL;
	}
	dl__free(buf);
	fclose(f);
	return rc;
}

/* --- limits on the raw bytes ------------------------------------------------------------------ */

/* Where dl__raw_scan_feed is in the markup. */
enum {
	S_TEXT,         /* character data */
	S_LT,           /* after '<' */
	S_BANG,         /* after "<!" */
	S_COMMENT_OPEN, /* after "<!-" */
	S_COMMENT,      /* inside a comment: sub counts the '-' just read */
	S_CDATA_OPEN,   /* after "<![": sub counts the letters of "CDATA[" read */
	S_CDATA,        /* inside a CDATA section: sub counts the ']' just read */
	S_DECL,         /* another "<!" declaration, up to '>' */
	S_PI,           /* inside a processing instruction: sub is 1 after '?' */
	S_NAME,         /* a tag's name */
	S_TAG,          /* inside a tag, between attributes */
	S_ATTR,         /* an attribute's name: sub counts the letters of "xmlns" matched, -1: none */
	S_VALUE         /* a quoted attribute value */
};

/* name_set's slots in use at first: a sheet has fewer than 100 distinct names */
#define NAME_SLOTS_FIRST 256

void dl__raw_scan_init(dl__raw_scan *s, unsigned long reset_depth)
{
	/* not a memset of the whole: name_set and name_list are 24 KiB, and a scan runs per sheet */
	memset(s, 0, offsetof(dl__raw_scan, name_set));
	for (size_t i = 0; i < NAME_SLOTS_FIRST; i++)
		s->name_set[i] = 0;
	s->name_slots = NAME_SLOTS_FIRST;
	s->line = 1;
	s->column = 1;
	s->reset_depth = reset_depth;
}

static bool is_xml_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Whether c ends an element's name (or an attribute's, with '='). */
static bool ends_name(unsigned char c)
{
	return c == '>' || c == '/' || is_xml_space(c);
}

/*
 * Columns are counted only where they are needed (where an element's start tag begins, where a
 * problem is reported, at the end of a piece): most bytes of a document are only looked at by
 * memchr. col is the column of byte col_at of the piece, a point on the current line: the start of
 * the line or the last column counted on it. The column of byte i (on that line, at or after
 * col_at), counted on from there.
 */
static unsigned long column_of(dl__raw_scan *s, size_t i)
{
	unsigned long col = s->col;
	for (size_t k = s->col_at; k < i; k++)
		col += (s->piece[k] & 0xC0) != 0x80;
	s->col_at = i;
	s->col = col;
	return col;
}

/*
 * Count the column of the tag being read, if not yet done: from the point on its line that was
 * known when it began (tag_base_at), since the tag may have gone on to later lines.
 */
static void settle_tag(dl__raw_scan *s)
{
	if (!s->tag_pending)
		return;
	unsigned long col = s->tag_base_col;
	for (size_t k = s->tag_base_at; k < s->tag_at; k++)
		col += (s->piece[k] & 0xC0) != 0x80;
	s->tag_column = col;
	s->tag_pending = false;
	if (s->col_at == s->tag_base_at) { /* still on its line: count on from the tag next time */
		s->col_at = s->tag_at;
		s->col = col;
	}
}

static void new_line(dl__raw_scan *s, size_t next)
{
	s->line++;
	s->col_at = next;
	s->col = 1;
}

/* The line breaks among bytes [from, to) of the piece. */
static void cross_lines(dl__raw_scan *s, size_t from, size_t to)
{
	while (from < to) {
		const unsigned char *nl = memchr(s->piece + from, '\n', to - from);
		if (!nl)
			return;
		from = (size_t)(nl - s->piece) + 1;
		new_line(s, from);
	}
}

/* Where element positions are packed (dl__xml_line): line in the high bits, column in the low 20. */
#define COLUMN_BITS 20u
#define COLUMN_MAX ((1ul << COLUMN_BITS) - 1)

/* An element's start tag begins at the tag being read: note where, when marks are kept. */
static void mark_element(dl__raw_scan *s)
{
	if (!s->marks || s->marks_failed)
		return;
	if (s->mark_count == s->mark_cap) {
		size_t cap = s->mark_cap * 2;
		uintptr_t *grown = s->marks_owned ? dl__realloc(s->marks, cap * sizeof(*grown))
						  : dl__malloc(cap * sizeof(*grown));
		if (!grown) {
			s->marks_failed = true;
			return;
		}
		if (!s->marks_owned)
			memcpy(grown, s->marks, s->mark_count * sizeof(*grown));
		s->marks = grown;
		s->mark_cap = cap;
		s->marks_owned = true;
	}
	settle_tag(s);
	unsigned long column = s->tag_column > COLUMN_MAX ? COLUMN_MAX : s->tag_column;
	s->marks[s->mark_count++] = (uintptr_t)((s->tag_line << COLUMN_BITS) | column);
}

static void end_of_tag(dl__raw_scan *s)
{
	if (s->end_tag && s->depth > 0)
		s->depth--;
	else if (!s->end_tag && !s->slash)
		s->depth++;
	if (s->reset_depth && s->depth == s->reset_depth)
		s->namespaces = 0;
	s->state = S_TEXT;
}

static int namespace_declared(dl__raw_scan *s, dl__diag *d)
{
	if (++s->namespaces <= DL__MAX_NAMESPACES)
		return 0;
	settle_tag(s);
	return dl__diag_report(d, DL_ELIMIT, s->tag_line, s->tag_column,
			       _("more than %d namespace declarations (xmlns): digilevel's files need none"),
			       DL__MAX_NAMESPACES);
}

#define FNV_OFFSET 14695981039346656037u
#define FNV_PRIME 1099511628211u

static void name_insert(dl__raw_scan *s, uint64_t h)
{
	size_t mask = s->name_slots - 1, i = (size_t)(h & mask);
	while (s->name_set[i])
		i = (i + 1) & mask;
	s->name_set[i] = h;
}

/* The name just read (its hash in s->hash) is one more distinct name, or one already seen. */
static int name_seen(dl__raw_scan *s, dl__diag *d)
{
	uint64_t h = s->hash ? s->hash : 1;
	size_t mask = s->name_slots - 1, i = (size_t)(h & mask);
	while (s->name_set[i] && s->name_set[i] != h)
		i = (i + 1) & mask;
	if (s->name_set[i])
		return 0;
	if (s->names >= DL__MAX_NAMES) {
		settle_tag(s);
		return dl__diag_report(d, DL_ELIMIT, s->tag_line, s->tag_column,
				       _("more than %d different names of elements, attributes and the like: "
				       "digilevel's files use fewer than 200"), DL__MAX_NAMES);
	}
	s->name_set[i] = h;
	s->name_list[s->names++] = h;
	if (s->names * 2 > s->name_slots && s->name_slots < DL__NAME_SLOTS) {
		/* at most half full (DL__NAME_SLOTS is twice DL__MAX_NAMES): double and rehash */
		s->name_slots *= 2;
		memset(s->name_set, 0, s->name_slots * sizeof(s->name_set[0]));
		for (size_t k = 0; k < s->names; k++)
			name_insert(s, s->name_list[k]);
	}
	return 0;
}

/* One byte c of a tag, in a state the fast paths of dl__raw_scan_feed leave to it. */
static int scan_byte(dl__raw_scan *s, unsigned char c, dl__diag *d)
{
	int rc = 0;
	switch (s->state) {
	case S_LT:
		s->end_tag = c == '/';
		s->slash = false;
		s->attributes = 0;
		s->tag_len = 0;
		s->state = c == '!' ? S_BANG : c == '?' ? S_PI : S_NAME;
		s->sub = 0;
		s->naming = s->state == S_PI;
		s->hash = (FNV_OFFSET ^ c) * FNV_PRIME;
		if (s->state == S_NAME && !s->end_tag) {
			s->tag[s->tag_len++] = (char)c;
			mark_element(s);
		}
		break;
	case S_BANG:
		s->state = c == '-' ? S_COMMENT_OPEN : c == '[' ? S_CDATA_OPEN : S_DECL;
		break;
	case S_COMMENT_OPEN:
		s->state = c == '-' ? S_COMMENT : S_DECL;
		break;
	case S_CDATA_OPEN:
		if (c != (unsigned char)"CDATA["[s->sub])
			s->state = S_DECL;
		else if (++s->sub == 6)
			s->state = S_CDATA, s->sub = 0;
		break;
	case S_PI: /* while naming */
		if (s->naming && (c == '?' || is_xml_space(c))) {
			s->naming = false;
			s->hash ^= '?'; /* not an element's name */
			rc = name_seen(s, d);
		} else if (s->naming) {
			s->hash = (s->hash ^ c) * FNV_PRIME;
		}
		if (c == '>' && s->sub)
			s->state = S_TEXT;
		s->sub = c == '?';
		break;
	case S_NAME:
	case S_TAG:
		if (s->state == S_NAME && !s->end_tag && (c == '>' || c == '/' || is_xml_space(c)))
			rc = name_seen(s, d);
		if (rc < 0) {
		} else if (c == '>') {
			end_of_tag(s);
		} else if (c == '/') {
			s->slash = true;
			s->state = S_TAG;
		} else if (is_xml_space(c)) {
			s->state = S_TAG;
		} else if (s->state == S_NAME) {
			s->hash = (s->hash ^ c) * FNV_PRIME;
			if (s->tag_len + 1 < sizeof(s->tag))
				s->tag[s->tag_len++] = (char)c;
		} else if (c == '"' || c == '\'') {
			s->quote = c;
			s->state = S_VALUE;
			s->hash = FNV_OFFSET ^ ':'; /* of a namespace URI: not a name */
		} else if (c != '=') { /* an attribute's name starts */
			s->slash = false;
			s->ns_value = false;
			s->state = S_ATTR;
			s->sub = c == 'x' ? 1 : -1;
			s->hash = (FNV_OFFSET ^ '@' ^ c) * FNV_PRIME; /* '@': not an element's */
			if (!s->end_tag && ++s->attributes > DL__MAX_ATTRIBUTES) {
				s->tag[s->tag_len] = '\0';
				settle_tag(s);
				rc = dl__diag_report(d, DL_ELIMIT, s->tag_line, s->tag_column,
						     _("element <%s> has more than %d attributes: "
						     "digilevel's files need a few"),
						     s->tag, DL__MAX_ATTRIBUTES);
			}
		}
		break;
	case S_ATTR:
		if (c == '=' || c == '>' || c == '/' || is_xml_space(c)) {
			rc = name_seen(s, d);
			if (s->sub == 5 && rc == 0)
				rc = namespace_declared(s, d); /* xmlns="..." */
			s->ns_value = s->sub == 5 || s->ns_value;
			s->state = S_TAG;
			if (c == '>')
				end_of_tag(s);
			else if (c == '/')
				s->slash = true;
		} else {
			s->hash = (s->hash ^ c) * FNV_PRIME;
			if (s->sub == 5 && c == ':') {
				rc = namespace_declared(s, d); /* xmlns:prefix="..." */
				s->sub = -1;
				s->ns_value = true;
			} else if (s->sub >= 0 && s->sub < 5 && c == (unsigned char)"xmlns"[s->sub]) {
				s->sub++;
			} else {
				s->sub = -1;
			}
		}
		break;
	case S_VALUE: /* of a namespace declaration */
		if (c == s->quote) {
			s->state = S_TAG;
			rc = name_seen(s, d); /* libxml2 interns namespace URIs too */
			s->ns_value = false;
		} else {
			s->hash = (s->hash ^ c) * FNV_PRIME;
		}
		break;
	}
	return rc;
}

/* The end of a feed: what carries over to the next piece. */
static void end_of_piece(dl__raw_scan *s, size_t len)
{
	settle_tag(s); /* its bytes are gone with the piece */
	s->column = column_of(s, len);
	s->piece = NULL;
}

/*
 * The markup is followed byte by byte (scan_byte) only inside tags; text, comments, CDATA
 * sections, the rest of processing instructions and attribute values are skipped to the byte that
 * ends them with memchr, counting only their line breaks.
 */
int dl__raw_scan_feed(dl__raw_scan *s, const char *data, size_t len, dl__diag *d, size_t *stop)
{
	const unsigned char *p = (const unsigned char *)data;
	s->piece = p;
	s->col_at = 0;
	s->col = s->column;
	s->tag_pending = false;
	if (s->root_only && s->depth > 0 && len > 1)
		len = 1; /* the root was found: one byte more, as the scan has always stopped */
	size_t i = 0;
	while (i < len) {
		const unsigned char *hit;
		size_t j;
		switch (s->state) {
		case S_TEXT:
			hit = memchr(p + i, '<', len - i);
			j = hit ? (size_t)(hit - p) : len;
			cross_lines(s, i, j);
			if (hit) {
				s->state = S_LT;
				s->tag_line = s->line;
				s->tag_at = j;
				s->tag_base_at = s->col_at;
				s->tag_base_col = s->col;
				s->tag_pending = true;
				j++;
			}
			i = j;
			continue;
		case S_NAME: {
			uint64_t h = s->hash;
			for (j = i; j < len && !ends_name(p[j]); j++) {
				h = (h ^ p[j]) * FNV_PRIME;
				if (s->tag_len + 1 < sizeof(s->tag))
					s->tag[s->tag_len++] = (char)p[j];
			}
			s->hash = h;
			if (j == i)
				break; /* the byte that ends it */
			i = j;
			continue;
		}
		case S_TAG: /* white space and '=' change nothing here */
			for (j = i; j < len && (is_xml_space(p[j]) || p[j] == '='); j++)
				if (p[j] == '\n')
					new_line(s, j + 1);
			if (j == i)
				break;
			i = j;
			continue;
		case S_ATTR: {
			if (s->sub >= 0)
				break; /* it may yet be "xmlns" */
			uint64_t h = s->hash;
			for (j = i; j < len && !ends_name(p[j]) && p[j] != '='; j++)
				h = (h ^ p[j]) * FNV_PRIME;
			s->hash = h;
			if (j == i)
				break;
			i = j;
			continue;
		}
		case S_COMMENT:
		case S_CDATA: {
			/* ends at the first '>' after two or more of '-' (']') in a row */
			unsigned char term = s->state == S_COMMENT ? '-' : ']';
			hit = memchr(p + i, '>', len - i);
			j = hit ? (size_t)(hit - p) : len;
			size_t run = 0;
			while (run < j - i && p[j - 1 - run] == term)
				run++;
			int sub = run == j - i ? s->sub + (int)run : (int)run;
			cross_lines(s, i, j);
			s->sub = hit ? 0 : sub;
			if (hit && sub >= 2)
				s->state = S_TEXT;
			i = hit ? j + 1 : j;
			continue;
		}
		case S_DECL:
			hit = memchr(p + i, '>', len - i);
			j = hit ? (size_t)(hit - p) : len;
			cross_lines(s, i, j);
			if (hit)
				s->state = S_TEXT;
			i = hit ? j + 1 : j;
			continue;
		case S_PI:
			if (s->naming)
				break;
			/* ends at the first '>' right after a '?' */
			hit = memchr(p + i, '>', len - i);
			j = hit ? (size_t)(hit - p) : len;
			{
				int question = j > i ? p[j - 1] == '?' : s->sub;
				cross_lines(s, i, j);
				s->sub = hit ? 0 : question;
				if (hit && question)
					s->state = S_TEXT;
			}
			i = hit ? j + 1 : j;
			continue;
		case S_VALUE:
			if (s->ns_value)
				break;
			hit = memchr(p + i, s->quote, len - i);
			j = hit ? (size_t)(hit - p) : len;
			cross_lines(s, i, j);
			if (hit)
				s->state = S_TAG;
			i = hit ? j + 1 : j;
			continue;
		default:
			break;
		}
		unsigned char c = p[i];
		if (c == '\n')
			cross_lines(s, i, i + 1);
		int rc = scan_byte(s, c, d);
		if (rc < 0) {
			if (stop)
				*stop = i;
			end_of_piece(s, i);
			return rc;
		}
		i++;
		if (s->root_only && s->depth > 0) {
			if (stop)
				*stop = i;
			end_of_piece(s, i);
			return 0;
		}
	}
	if (s->root_only && s->depth > 0 && i > 0 && stop)
		*stop = i;
	end_of_piece(s, i);
	return 0;
}

/* --- positions ------------------------------------------------------------------------------- */

/*
 * Element positions are packed into node->_private: line in the high bits, column in the low 20.
 * dl__raw_scan_feed notes where each start tag begins as it checks the limits (marks): start tags
 * appear in the text in the same order as elements appear in a preorder walk of the tree, so the
 * next mark belongs to the next element.
 */
typedef struct marks_reader {
	const uintptr_t *marks;
	size_t count, next;
} marks_reader;

static void mark_positions(xmlNodePtr node, marks_reader *r)
{
	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		uintptr_t packed = r->next < r->count
					   ? r->marks[r->next++]
					   : (uintptr_t)((unsigned long)xmlGetLineNo(node) << COLUMN_BITS);
		node->_private = (void *)packed;
		mark_positions(node->children, r);
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

/* --- encodings --------------------------------------------------------------------------------- */

/* The length of the well-formed UTF-8 sequence at p (n bytes left), 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *p, size_t n)
{
	if (p[0] < 0x80)
		return 1;
	size_t len = p[0] >= 0xC2 && p[0] <= 0xDF ? 2 : p[0] >= 0xE0 && p[0] <= 0xEF ? 3
		     : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : 0;
	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) ||
	    (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F))
		return 0; /* overlong, a surrogate, beyond U+10FFFF */
	return len;
}

/* The offset of the first byte that is not UTF-8 (len when all are); *non_ascii whether any is. */
static size_t first_non_utf8(const char *data, size_t len, bool partial, bool *non_ascii)
{
	const unsigned char *p = (const unsigned char *)data;
	*non_ascii = false;
	for (size_t i = 0; i < len;) {
		size_t k = utf8_sequence(p + i, len - i);
		if (k == 0) {
			if (partial && len - i < 4 && p[i] >= 0xC2) /* cut by the end of what was read */
				return len;
			return i;
		}
		*non_ascii |= k > 1;
		i += k;
	}
	return len;
}

/* Line and column (1-based, columns in UTF-8 characters as far as they go) of byte `at`. */
static void position_of(const char *data, size_t at, unsigned long *line, unsigned long *column)
{
	*line = 1;
	*column = 1;
	for (size_t i = 0; i < at; i++) {
		if (data[i] == '\n') {
			++*line;
			*column = 1;
		} else if (((unsigned char)data[i] & 0xC0) != 0x80) {
			++*column;
		}
	}
}

/* The encoding the XML declaration names, into name ("" when none). */
static void declared_encoding(const char *data, size_t len, char *name, size_t size)
{
	name[0] = '\0';
	size_t start = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	if (len - start < 6 || memcmp(data + start, "<?xml", 5) != 0)
		return;
	const char *end = memchr(data + start, '>', len - start < 200 ? len - start : 200);
	if (!end)
		return;
	for (const char *p = data + start; p + 8 < end; p++) {
		if (memcmp(p, "encoding", 8) != 0)
			continue;
		p += 8;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '='))
			p++;
		if (p >= end || (*p != '"' && *p != '\''))
			return;
		const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
		if (q && (size_t)(q - p - 1) < size) {
			memcpy(name, p + 1, (size_t)(q - p - 1));
			name[q - p - 1] = '\0';
			/* an encoding name is letters, digits, '.', '_' and '-': anything else is shown as
			 * '?' (the name is quoted in a message) */
			for (char *c = name; *c; c++)
				if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
				      (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-'))
					*c = '?';
		}
		return;
	}
}

static bool is_utf8_name(const char *name)
{
	return strcasecmp(name, "UTF-8") == 0 || strcasecmp(name, "UTF8") == 0;
}

/* The offset of the first byte that cannot be read in the encoding name (len when all can). */
static size_t first_unreadable(const char *data, size_t len, bool partial, iconv_t cd)
{
	char out[4096];
	char *in = (char *)data;
	size_t left = len;
	while (left > 0) {
		char *o = out;
		size_t room = sizeof(out);
		if (iconv(cd, &in, &left, &o, &room) == (size_t)-1 && errno != E2BIG) {
			if (errno == EINVAL && partial)
				return len; /* a character cut by the end of what was read */
			return (size_t)(in - data);
		}
	}
	return len;
}

int dl__xml_encoding_check(const char *data, size_t len, bool partial, dl__diag *d)
{
	if (len >= 2 && ((data[0] == '\xFE' && data[1] == '\xFF') || (data[0] == '\xFF' && data[1] == '\xFE')))
		return 0; /* UTF-16 with its byte order mark: libxml2 reads it */
	if (len >= 2 && (data[0] == '\0' || data[1] == '\0'))
		return 0; /* UTF-16 or UTF-32 without one: libxml2 tells them */
	char name[64];
	bool non_ascii;
	unsigned long line, column;
	declared_encoding(data, len, name, sizeof(name));
	size_t bad = first_non_utf8(data, len, partial, &non_ascii);
	if (!name[0] || is_utf8_name(name)) {
		if (bad == len)
			return 0;
		position_of(data, bad, &line, &column);
		return dl__diag_report(d, DL_EINVALID, line, column, "%s",
				       name[0] ? _("the file says it is UTF-8 but it is not (it was perhaps saved "
						   "as ANSI or GBK): save it again as UTF-8 (in Notepad: Save as, "
						   "Encoding: UTF-8)")
					       : _("the file is not UTF-8 (it was perhaps saved as ANSI or GBK, "
						   "Notepad's default on Chinese Windows): save it again as UTF-8 (in "
						   "Notepad: Save as, Encoding: UTF-8), or declare its encoding in the "
						   "first line, e.g. <?xml version=\"1.0\" encoding=\"GB18030\"?>"));
	}
	/* a handler libxml2 makes for the name (iconv, ICU) is its own allocation: closed at once */
	xmlCharEncodingHandlerPtr handler = xmlFindCharEncodingHandler(name);
	if (handler)
		xmlCharEncCloseFunc(handler);
	if (!handler)
		return dl__diag_report(d, DL_EINVALID, 1, 1,
				       _("the file declares the encoding '%s', which is not known: save it "
					 "as UTF-8 and declare encoding=\"UTF-8\" in its first line"),
				       name);
	if (bad == len && non_ascii)
		return dl__diag_report(d, DL_EINVALID, 1, 1,
				       _("the file declares the encoding '%s' but is written in UTF-8: "
					 "change its first line to <?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
				       name);
	iconv_t cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return errno == ENOMEM ? dl__diag_report(d, DL_ENOMEM, 0, 0, _("out of memory")) : 0;
	size_t unreadable = first_unreadable(data, len, partial, cd);
	iconv_close(cd);
	if (unreadable == len)
		return 0;
	position_of(data, unreadable, &line, &column); /* the line only: columns are not UTF-8 here */
	return dl__diag_report(d, DL_EINVALID, line, 0,
			       _("the file is not in the encoding it declares ('%s'): save it as UTF-8 "
				 "and declare encoding=\"UTF-8\" in its first line"),
			       name);
}

/* --- parsing ----------------------------------------------------------------------------------- */

typedef struct parse_state {
	dl__diag *d;
	int code;
	int context_free; /* errors seen without a parser context (see on_context_free_error) */
	dl__schema_id schema;     /* of the document being validated */
	const xmlNode *last;      /* the field of the last value error (sheet_fields.c) */
	char last_attribute[64];
	dl__xml *flags;           /* where the elements with schema problems are noted (or NULL) */
	size_t flag_cap;
} parse_state;

/* The elements of the largest answer sheet the builder is given after the schema refused it. */
#define SHEET_ELEMENTS_MAX 10000

/* More elements with schema problems than this: every element counts as reported. */
#define FLAGGED_MAX 4096

static void flag(parse_state *st, const xmlNode *n)
{
	dl__xml *x = st->flags;
	if (!x || !n || x->flagged_all)
		return;
	if (x->flagged_count && x->flagged[x->flagged_count - 1] == n)
		return;
	if (x->flagged_count == st->flag_cap) {
		size_t cap = st->flag_cap ? st->flag_cap * 2 : 32;
		const xmlNode **grown = cap <= FLAGGED_MAX ? dl__realloc(x->flagged, cap * sizeof(const xmlNode *)) : NULL;
		if (!grown) {
			x->flagged_all = true; /* the builder then stays silent: no message is repeated */
			return;
		}
		x->flagged = grown;
		st->flag_cap = cap;
	}
	x->flagged[x->flagged_count++] = n;
}

bool dl__xml_flagged(const dl__xml *x, const xmlNode *n)
{
	if (!x || !x->invalid)
		return false;
	if (x->flagged_all)
		return true;
	for (size_t i = 0; i < x->flagged_count; i++)
		if (x->flagged[i] == n)
			return true;
	return false;
}

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

/*
 * Copy msg into dst (as dl__copy_truncated), shortening every quoted value longer than QUOTE_MAX
 * bytes to its start and "…": a schema message quotes the offending value in full, and a
 * 20000-character attribute would push out the part that says what is wrong with it.
 */
#define QUOTE_MAX 60

static void copy_shortened(char *dst, size_t size, const char *msg)
{
	char buf[DL_ERROR_MESSAGE_MAX];
	size_t n = 0;
	const char *p = msg;
	while (*p && n + 1 < sizeof(buf)) {
		const char *close = *p == '\'' ? strchr(p + 1, '\'') : NULL;
		if (!close && *p == '\'' && strlen(p + 1) > QUOTE_MAX)
			close = p + 1 + strlen(p + 1); /* libxml2 cut its own message inside the value */
		if (!close) {
			buf[n++] = *p++;
			continue;
		}
		size_t inner = (size_t)(close - p - 1), keep = inner;
		if (inner > QUOTE_MAX) {
			keep = QUOTE_MAX - 12;
			while (keep > 0 && ((unsigned char)p[1 + keep] & 0xC0) == 0x80)
				keep--; /* not in the middle of a character */
		}
		if (n + keep + 8 >= sizeof(buf))
			break; /* dl__copy_truncated cuts it anyway */
		buf[n++] = '\'';
		memcpy(buf + n, p + 1, keep);
		n += keep;
		if (keep < inner) {
			memcpy(buf + n, "…", strlen("…"));
			n += strlen("…");
		}
		if (*close) {
			buf[n++] = '\'';
			p = close + 1;
		} else {
			p = close;
		}
	}
	buf[n] = '\0';
	dl__copy_truncated(dst, size, buf);
}

static void chomp_copy(char *dst, size_t size, const char *msg)
{
	copy_shortened(dst, size, msg ? msg : "unknown error");
	char *newline = strchr(dst, '\n'); /* later lines of libxml2's message quote the input */
	if (newline && newline[1])
		*newline = '\0';
	replace_bad_utf8(dst);
	size_t len = strlen(dst);
	while (len > 0 && (dst[len - 1] == '\n' || dst[len - 1] == ' '))
		dst[--len] = '\0';
}

int dl__xml_error_text(char *dst, size_t size, const xmlError *error)
{
	chomp_copy(dst, size, error->message);
	if (error->code == XML_ERR_INVALID_CHAR && strstr(dst, "not proper UTF-8"))
		/* libxml2 says "Input is not proper UTF-8, indicate encoding !": say how */
		snprintf(dst, size, "%s",
			 _("the file is not UTF-8: save it as UTF-8, or declare its encoding in the "
			   "first line, e.g. <?xml version=\"1.0\" encoding=\"GB18030\"?>"));
	return error->code == XML_ERR_NO_MEMORY ? DL_ENOMEM : DL_EINVALID;
}

static void report_parse_error(parse_state *st, xmlErrorPtr error)
{
	if (error->level < XML_ERR_ERROR)
		return;
	char msg[DL_ERROR_MESSAGE_MAX];
	int code = dl__xml_error_text(msg, sizeof(msg), error);
	if (!st->code)
		st->code = code;
	dl__diag_report(st->d, code, (unsigned long)(error->line > 0 ? error->line : 0),
			(unsigned long)(error->int2 > 0 ? error->int2 : 0), "%s", msg);
}

static void on_parse_error(void *data, xmlErrorPtr error)
{
	xmlParserCtxtPtr ctxt = data;
	report_parse_error(ctxt->_private, error);
}

/*
 * libxml2 raises some errors with no parser context (a byte sequence the declared encoding cannot
 * convert, an I/O error) and would print them on stderr. While digilevel parses, this thread's
 * handler for them reports them like the rest; the caller's handler is put back afterwards.
 */
static void on_context_free_error(void *data, xmlErrorPtr error)
{
	parse_state *st = data;
	if (st->context_free++ == 0) /* the rest repeat it ("encoder error") */
		report_parse_error(st, error);
}

typedef struct saved_handler {
	xmlStructuredErrorFunc fn;
	void *context;
} saved_handler;

static saved_handler set_thread_handler(xmlStructuredErrorFunc fn, void *context)
{
	saved_handler old = {xmlStructuredError, xmlStructuredErrorContext};
	xmlSetStructuredErrorFunc(context, fn);
	return old;
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
			_("a DOCTYPE is not allowed: digilevel reads no DTDs and no entities"));
	xmlStopParser(ctxt);
}

/*
 * Element text, as xmlSAX2Characters builds it, but never interned: libxml2 2.9.14 puts a blank
 * text of 16 to 59 bytes (`<note>` holding only spaces and tabs) into the dictionary when the tree
 * takes its names from it, and the dictionary's lookups grow with the number of distinct entries
 * (16 MiB of distinct runs of spaces and tabs: 23 s). A text shorter than 16 bytes is kept in its
 * node (XML_PARSE_COMPACT) before that rule is reached; a longer one is built as without the
 * dictionary, a copy of its own.
 */
static void on_characters(void *data, const xmlChar *ch, int len)
{
	xmlParserCtxtPtr ctxt = data;
	int dict_names = ctxt->dictNames;
	if (len >= (int)(2 * sizeof(void *))) /* libxml2's bound for a compact text */
		ctxt->dictNames = 0;
	xmlSAX2Characters(ctxt, ch, len);
	ctxt->dictNames = dict_names;
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
	const xmlNode *at = NULL;
	if (code == DL_EINVALID && st->schema == DL__SCHEMA_SHEET) {
		/* the answer sheet's person reads plain words about named fields */
		if (!dl__sheet_schema_message(error, msg, sizeof(msg), &at, &st->last, st->last_attribute)) {
			if (!st->code)
				st->code = code;
			return;
		}
		if (at) {
			line = dl__xml_line(at);
			column = dl__xml_column(at);
		}
		flag(st, at);
	} else if (code == DL_EINVALID) {
		/* the other documents: plain words about the element and what it should hold */
		if (!dl__schema_plain_message(st->schema, error, msg, sizeof(msg), &at, &st->last,
					      st->last_attribute)) {
			if (!st->code)
				st->code = code;
			return;
		}
		if (at) {
			line = dl__xml_line(at);
			column = dl__xml_column(at);
		}
	}
	if (!st->code)
		st->code = code;
	dl__diag_report(st->d, code, line, column, "%s", msg);
}

static int validate(xmlDocPtr doc, dl__schema_id id, dl__diag *d, dl__xml *flags)
{
	parse_state st = {d, 0, 0, id, NULL, "", flags, 0};
	xmlSchemaPtr schema = get_schema(id);
	if (!schema)
		return dl__diag_report(d, DL_ENOMEM, 0, 0, _("cannot prepare the embedded schema"));
	xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema);
	if (!vctxt)
		return dl__diag_report(d, DL_ENOMEM, 0, 0, _("out of memory"));
	xmlSchemaSetValidStructuredErrors(vctxt, on_schema_error, &st);
	int rc = xmlSchemaValidateDoc(vctxt, doc);
	xmlSchemaFreeValidCtxt(vctxt);
	if (rc == 0)
		return 0;
	if (st.code)
		return st.code;
	return dl__diag_report(d, rc < 0 ? DL_ENOMEM : DL_EINVALID, 0, 0,
			       _("schema validation failed"));
}

/*
 * The document is fed to libxml2 through a read callback rather than with xmlCtxtReadMemory: that
 * copies the whole input first, and in libxml2 2.9.14 leaks the copy's buffer when the copy fails
 * for want of memory (xmlParserInputBufferCreateMem frees the struct, not its buffer).
 */
typedef struct memory_input {
	const char *data;
	size_t left;
} memory_input;

static int read_memory(void *context, char *buffer, int len)
{
	memory_input *in = context;
	size_t n = in->left < (size_t)len ? in->left : (size_t)len;
	memcpy(buffer, in->data, n);
	in->data += n;
	in->left -= n;
	return (int)n;
}

int dl__xml_load(dl__xml *out, char *data, size_t len, const char *root_name, dl__schema_id schema,
		 size_t max_size, dl__diag *d)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	parse_state st = {d, 0, 0, schema, NULL, "", NULL, 0};
	dl__xml flags = {NULL, NULL, 0, 0, NULL, 0, false, schema};
	uintptr_t first_marks[512]; /* element positions: a sheet has about 120 elements */
	const uintptr_t *marks = NULL;
	uintptr_t *owned_marks = NULL;
	size_t mark_count = 0;
	int rc = 0;

	pthread_once(&init_once, init_libxml);
	if (max_size == 0)
		max_size = DL_DEFAULT_MAX_FILE_SIZE;
	if (len > max_size || len > INT32_MAX) {
		rc = dl__diag_report(d, DL_ELIMIT, 0, 0,
				     _("input is %zu bytes, larger than the limit of %zu bytes"), len,
				     max_size);
		goto done;
	}
	if (len == 0) {
		rc = dl__diag_report(d, DL_EINVALID, 1, 1, _("empty file: expected an XML document <%s>"),
				     root_name);
		goto done;
	}
	rc = dl__xml_encoding_check(data, len, false, d); /* one clear message, not libxml2's lines */
	if (rc < 0)
		goto done;
	dl__raw_scan scan; /* before libxml2 spends quadratic time on them */
	dl__raw_scan_init(&scan, 0);
	scan.marks = first_marks; /* and where each element starts, on the way */
	scan.mark_cap = sizeof(first_marks) / sizeof(first_marks[0]);
	rc = dl__raw_scan_feed(&scan, data, len, d, NULL);
	marks = scan.marks;
	mark_count = scan.mark_count;
	if (scan.marks_owned)
		owned_marks = scan.marks;
	if (rc == 0 && scan.marks_failed)
		rc = dl__diag_report(d, DL_ENOMEM, 0, 0, _("out of memory"));
	if (rc < 0)
		goto done;
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		rc = dl__diag_report(d, DL_ENOMEM, 0, 0, _("out of memory"));
		goto done;
	}
	ctxt->_private = &st;
	ctxt->sax->serror = on_parse_error;
	ctxt->sax->internalSubset = on_doctype;
	ctxt->sax->characters = on_characters;
	memory_input in = {data, len};
	saved_handler old = set_thread_handler(on_context_free_error, &st);
	/* The tree's names come from the parser's dictionary (no XML_PARSE_NODICT), as the parser
	 * interns them anyway: no copy and no free per element and attribute. The names a document
	 * may bring are bounded by dl__raw_scan_feed; texts never enter the dictionary (on_characters).
	 * XML_PARSE_COMPACT keeps texts under 16 bytes (most figures, codes, option letters; and
	 * attribute values) inside their node instead of an allocation. It requires that the tree is
	 * never modified after parsing, and it never is.
	 * XML_PARSE_NOBLANKS: no text nodes for the blanks between elements, which nothing reads
	 * (positions come from the raw bytes). */
	doc = xmlCtxtReadIO(ctxt, read_memory, NULL, &in, NULL, NULL,
			    XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING | XML_PARSE_COMPACT |
				    XML_PARSE_NOBLANKS);
	set_thread_handler(old.fn, old.context);
	if (st.code || !doc || !ctxt->wellFormed) {
		/* libxml2 raises no error when it cannot allocate its input buffer: no document and
		 * no error can only be that */
		rc = st.code ? st.code
		     : !doc || ctxt->errNo == XML_ERR_NO_MEMORY
			     ? dl__diag_report(d, DL_ENOMEM, 0, 0, _("out of memory"))
			     : dl__diag_report(d, DL_EINVALID, 0, 0, _("not a well-formed XML document"));
		goto done;
	}
	xmlNodePtr root = xmlDocGetRootElement(doc);
	marks_reader reader = {marks, mark_count, 0};
	mark_positions(root, &reader);
	if (!root || strcmp((const char *)root->name, root_name) != 0) {
		rc = dl__diag_report(d, DL_EINVALID, root ? dl__xml_line(root) : 1,
				     root ? dl__xml_column(root) : 1,
				     _("root element is <%s>, expected <%s>"),
				     root ? (const char *)root->name : "", root_name);
		goto done;
	}
	rc = dl__xml_check_text(root, schema, d);
	int valid = validate(doc, schema, d, &flags);
	if (rc == 0)
		rc = valid;
	/* An answer sheet the schema refused still goes to its builder, which reports its own
	 * problems too (every problem in one run), unless it is of a size no sheet has: the builder's
	 * checks assume the schema's counts (sixty items of a plan, ten years of figures). */
	if (rc == DL_EINVALID && schema == DL__SCHEMA_SHEET && mark_count <= SHEET_ELEMENTS_MAX) {
		flags.invalid = rc;
		rc = 0;
	}
	if (rc < 0)
		goto done;
	*out = flags;
	flags.flagged = NULL;
	out->doc = doc;
	out->data = data;
	out->len = len;
	doc = NULL;
	data = NULL;
done:
	dl__free((void *)flags.flagged);
	if (doc)
		xmlFreeDoc(doc);
	if (ctxt)
		xmlFreeParserCtxt(ctxt);
	dl__free(owned_marks);
	dl__free(data);
	return rc;
}

void dl__xml_free(dl__xml *x)
{
	dl__free((void *)x->flagged);
	x->flagged = NULL;
	x->flagged_count = 0;
	if (x->doc)
		xmlFreeDoc(x->doc);
	dl__free(x->data);
	x->doc = NULL;
	x->data = NULL;
}

/*
 * The root element is found by a SAX parser that stops at the first start tag, or at a DOCTYPE
 * before anything in it is read: libxml2's xmlTextReader would parse the whole internal subset and
 * look ahead into the content (checking entity references) before returning the DOCTYPE node.
 */
typedef struct peek_state {
	char *name, *id, *version;
	int status; /* DL__PEEK_* */
	bool nomem;
	bool cut; /* the root start tag had not ended where the data did */
} peek_state;

static void on_peek_error(void *data, xmlErrorPtr error)
{
	if (error->code == XML_ERR_NO_MEMORY)
		*(bool *)data = true;
}

static void on_peek_sax_error(void *data, xmlErrorPtr error)
{
	xmlParserCtxtPtr ctxt = data;
	peek_state *ps = ctxt->_private;
	if (ps) /* NULL while xmlCreatePushParserCtxt is still making it: it then fails */
		on_peek_error(&ps->nomem, error);
}

static void on_peek_doctype(void *data, const xmlChar *name, const xmlChar *external_id,
			    const xmlChar *system_id)
{
	(void)name;
	(void)external_id;
	(void)system_id;
	xmlParserCtxtPtr ctxt = data;
	((peek_state *)ctxt->_private)->status = DL__PEEK_DOCTYPE;
	xmlStopParser(ctxt);
}

static void on_peek_root(void *data, const xmlChar *localname, const xmlChar *prefix,
			 const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
			 int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	(void)prefix;
	(void)uri;
	(void)nb_namespaces;
	(void)namespaces;
	(void)nb_defaulted;
	xmlParserCtxtPtr ctxt = data;
	peek_state *ps = ctxt->_private;
	/* libxml2 calls this before it consumes the '>' or '/>' that ends the tag, or at the end of
	 * the data when there is none (the NUL that always follows its input) */
	const xmlChar *end = ctxt->input ? ctxt->input->cur : NULL;
	ps->cut = !end || !(end[0] == '>' || (end[0] == '/' && end[1] == '>'));
	ps->name = dl__strdup((const char *)localname);
	ps->nomem |= !ps->name;
	/* attributes: localname, prefix, URI, value, end of value, for each */
	for (int i = 0; i < nb_attributes; i++) {
		const xmlChar **at = attributes + (size_t)5 * (size_t)i;
		char **slot = at[1] ? NULL
			      : strcmp((const char *)at[0], "id") == 0      ? &ps->id
			      : strcmp((const char *)at[0], "version") == 0 ? &ps->version
									    : NULL;
		if (!slot || *slot)
			continue;
		size_t n = (size_t)(at[4] - at[3]);
		*slot = dl__malloc(n + 1);
		if (!*slot) {
			ps->nomem = true;
			continue;
		}
		memcpy(*slot, at[3], n);
		(*slot)[n] = '\0';
	}
	ps->status = DL__PEEK_OK;
	xmlStopParser(ctxt);
}

/*
 * dl__xml_peek_root; when partial, data is only the start of a document (dl__xml_peek_file). A root
 * start tag over a limit of dl__raw_scan_feed is reported to d (DL__PEEK_LIMIT).
 */
static char *peek_root(const char *data, size_t len, bool partial, char **id, char **version,
		       int *status, dl__diag *d)
{
	peek_state ps = {NULL, NULL, NULL, DL__PEEK_NOT_XML, false, false};
	*id = *version = NULL;
	*status = DL__PEEK_NOT_XML;
	pthread_once(&init_once, init_libxml);
	if (len > INT32_MAX)
		return NULL;
	dl__raw_scan scan;
	dl__raw_scan_init(&scan, 0);
	scan.root_only = true;
	if (dl__raw_scan_feed(&scan, data, len, d, NULL) < 0) {
		*status = DL__PEEK_LIMIT;
		return NULL;
	}
	xmlSAXHandler sax;
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_peek_root;
	sax.internalSubset = on_peek_doctype;
	sax.serror = on_peek_sax_error;
	saved_handler old = set_thread_handler(on_peek_error, &ps.nomem); /* see on_context_free_error */
	xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL);
	if (ctxt) {
		ctxt->_private = &ps;
		xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		xmlParseChunk(ctxt, data, (int)len, 1);
		if (ctxt->myDoc)
			xmlFreeDoc(ctxt->myDoc);
		xmlFreeParserCtxt(ctxt);
	} else {
		ps.nomem = true;
	}
	set_thread_handler(old.fn, old.context);
	if (ps.status == DL__PEEK_OK && partial && ps.cut)
		ps.status = DL__PEEK_NOT_XML; /* the tag goes on past the data: read more */
	if (ps.nomem)
		ps.status = DL__PEEK_NOMEM;
	if (ps.status != DL__PEEK_OK) { /* the name and attributes are kept only with DL__PEEK_OK */
		dl__free(ps.name);
		dl__free(ps.id);
		dl__free(ps.version);
		ps.name = ps.id = ps.version = NULL;
	}
	*status = ps.status;
	*id = ps.id;
	*version = ps.version;
	return ps.name;
}

char *dl__xml_peek_root(const char *data, size_t len, char **id, char **version, int *status)
{
	dl__diag quiet;
	dl__diag_init(&quiet, NULL, NULL, "");
	return peek_root(data, len, false, id, version, status, &quiet);
}

/* How much of a file dl__xml_peek_file reads first; it reads twice as much each time after. */
#define PEEK_FIRST ((size_t)64 * 1024)

int dl__xml_peek_file(const char *path, size_t max_size, char **name, char **id, char **version,
		      int *status, size_t *len, dl__diag *d)
{
	FILE *f = NULL;
	char *buf = NULL;
	size_t have = 0;
	unsigned long long size = 0;

	*name = *id = *version = NULL;
	*status = DL__PEEK_NOT_XML;
	*len = 0;
	if (max_size == 0)
		max_size = DL_DEFAULT_MAX_FILE_SIZE;
	int rc = open_regular(path, &f, &size, d);
	if (rc < 0)
		return rc;
	/* never more than the whole file, nor more than a loader would accept */
	size_t cap = size > max_size ? max_size : (size_t)size;
	size_t want = cap < PEEK_FIRST ? cap : PEEK_FIRST;
	for (;;) {
		bool whole;
		if ((rc = read_more(f, size, &buf, &have, want, &whole, d)) < 0)
			goto done;
		*len = have;
		*name = peek_root(buf, have, !whole, id, version, status, d);
		if (*status == DL__PEEK_LIMIT) {
			rc = DL_ELIMIT;
			goto done;
		}
		if (*status != DL__PEEK_NOT_XML || whole)
			break; /* found, a DOCTYPE, out of memory, or not XML and nothing more */
		if (have >= cap) {
			rc = too_large(size, max_size, d);
			goto done;
		}
		want = want > cap / 2 ? cap : want * 2;
	}
done:
	dl__free(buf);
	fclose(f);
	return rc;
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

/*
 * The content of a lone text (or CDATA) node, which is all that xmlGetProp and xmlNodeGetContent
 * would copy from children like these; NULL when there is anything else. Reading it in place saves
 * an allocation, a copy and a free per attribute and per text element.
 */
static const char *lone_text(const xmlNode *first)
{
	if (first && !first->next && first->content &&
	    (first->type == XML_TEXT_NODE || first->type == XML_CDATA_SECTION_NODE))
		return (const char *)first->content;
	return NULL;
}

char *dl__xml_attr(dl__arena *a, const xmlNode *node, const char *name, bool *oom)
{
	xmlAttrPtr prop = xmlHasProp(node, BAD_CAST name); /* the attribute xmlGetProp reads */
	if (!prop)
		return NULL;
	const char *in_place = prop->type == XML_ATTRIBUTE_NODE ? lone_text(prop->children) : NULL;
	if (in_place)
		return arena_trimmed(a, in_place, oom);
	xmlChar *value = xmlGetProp(node, BAD_CAST name);
	if (!value) {
		if (xmlHasProp(node, BAD_CAST name)) /* there, but its copy could not be allocated */
			*oom = true;
		return NULL;
	}
	char *copy = arena_trimmed(a, (const char *)value, oom);
	xmlFree(value);
	return copy;
}

char *dl__xml_text(dl__arena *a, const xmlNode *node, bool *oom)
{
	const char *in_place = node->type == XML_ELEMENT_NODE ? lone_text(node->children) : NULL;
	if (in_place)
		return arena_trimmed(a, in_place, oom);
	xmlChar *content = xmlNodeGetContent(node);
	if (!content && node->children) { /* the copy could not be allocated */
		*oom = true;
		return NULL;
	}
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
