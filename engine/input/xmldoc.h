/*
 * xmldoc.h: the only place that talks to libxml2: read a file within limits, parse it safely, record
 * where every element starts, validate against an embedded schema, and read attributes and text.
 *
 * Safety: no network (XML_PARSE_NONET), no entity substitution, no DTD loading or validation, and a
 * document with a DOCTYPE is refused outright, so external entities (XXE) and entity expansion bombs
 * never get a chance. Positions: every element's line and column (of its '<') are computed from the
 * raw bytes, because libxml2 2.9 records only a line, and the line where the start tag ends.
 */
#ifndef DL_XMLDOC_H
#define DL_XMLDOC_H

#include "arena.h"
#include "diag.h"

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <stdbool.h>
#include <stdint.h>

/** The schemas embedded at build time from questionnaires/ and policies/. */
typedef enum dl__schema_id {
	DL__SCHEMA_QUESTIONNAIRE = 0,
	DL__SCHEMA_SHEET,
	DL__SCHEMA_POLICY,
	DL__SCHEMA_TARGETS,
	DL__SCHEMA_CATALOGUE,
	DL__SCHEMA_TAGS,
	DL__SCHEMA_COUNT
} dl__schema_id;

/* Data embedded after the schemas, at this index of dl__embedded_schemas: questionnaires/tags.xml. */
#define DL__EMBEDDED_TAGS DL__SCHEMA_COUNT

/** A parsed document with the bytes it came from. */
typedef struct dl__xml {
	xmlDocPtr doc;
	char *data; /* the file's bytes (owned) */
	size_t len;
	/* An answer sheet the schema refused, kept so that the builder reports its own problems in
	 * the same run (dl__xml_load): DL_EINVALID, or 0 for a valid document. */
	int invalid;
	const xmlNode **flagged; /* the elements whose problems the schema reported (owned) */
	size_t flagged_count;
	bool flagged_all;        /* too many to list: every element counts as reported */
	dl__schema_id schema;    /* the document's */
} dl__xml;

/** Whether the schema has already reported a problem of element n (see dl__xml.invalid). */
bool dl__xml_flagged(const dl__xml *x, const xmlNode *n);

/**
 * Read path (a regular file of at most max_size bytes, 0 = default) into memory. Problems are
 * reported to d. Returns 0, DL_EIO, DL_ELIMIT or DL_ENOMEM.
 */
int dl__xml_read_file(const char *path, size_t max_size, char **data, size_t *len, dl__diag *d);

/**
 * Parse data (len bytes; takes ownership of data, which must come from dl__malloc) as a document
 * whose root must be root_name, then validate it against the schema. Every problem goes to d.
 * Returns 0, DL_EINVALID, DL_ELIMIT or DL_ENOMEM. On failure out is untouched and data freed.
 * An answer sheet (DL__SCHEMA_SHEET) that is well-formed, has the right root and is of a sane size
 * but breaks the schema is returned (0) with out->invalid DL_EINVALID and the elements the schema's
 * problems were reported at in out->flagged: its builder reports the rest, every problem in one
 * run, and the load then fails.
 */
int dl__xml_load(dl__xml *out, char *data, size_t len, const char *root_name, dl__schema_id schema,
		 size_t max_size, dl__diag *d);

void dl__xml_free(dl__xml *x);

/*
 * Limits checked on the raw bytes before libxml2 sees them: libxml2 2.9.14 compares each attribute
 * of a start tag with every earlier one (100,000 attributes: minutes), and looks every prefixed
 * name up through all the namespace declarations in scope. Far above any real file: the schemas'
 * elements have at most a handful of attributes and use no namespaces.
 */
#define DL__MAX_ATTRIBUTES 256 /* per start tag, namespace declarations included */
#define DL__MAX_NAMESPACES 64  /* namespace declarations per document (per sheet of a stream) */
/* Distinct names (of elements, attributes, processing instructions, and namespace URIs) per document
 * (per stream): libxml2 2.9.14's dictionary stops
 * growing its hash table at a few thousand buckets, so each new name costs a walk of the others
 * (a 16 MiB file of distinct names: over four minutes). */
#define DL__MAX_NAMES 1024
#define DL__NAME_SLOTS 2048 /* twice DL__MAX_NAMES: an open-addressing set of name hashes */

/** A linear scan of raw XML bytes, fed in order in pieces of any size (see dl__raw_scan_feed). */
typedef struct dl__raw_scan {
	unsigned long line, column; /* of the next byte (column in characters), between feeds */
	int state, sub;             /* where in the markup; progress through a delimiter */
	unsigned char quote;        /* the quote that ends the attribute value being read */
	bool slash;                 /* the tag being read ends with "/>" so far */
	bool end_tag;
	bool naming;                /* reading a processing instruction's target */
	bool ns_value;              /* the attribute being read declares a namespace */
	unsigned attributes;        /* in the start tag being read */
	unsigned long namespaces;   /* declarations counted so far */
	unsigned long depth;        /* elements open */
	unsigned long reset_depth;  /* namespaces are counted anew when depth drops to it (0: never) */
	bool root_only;             /* stop after the root element's start tag */
	unsigned long tag_line, tag_column; /* where the tag being read starts */
	char tag[64];               /* its name (cut) */
	size_t tag_len;
	uint64_t hash;              /* of the name being read (FNV-1a) */
	/* Within a feed: the piece, and a column counted lazily (only where a tag starts). */
	const unsigned char *piece;
	size_t col_at;              /* the byte of the piece whose column is col */
	unsigned long col;
	size_t tag_at;              /* the tag's '<' in the piece, while tag_pending */
	size_t tag_base_at;         /* col_at and col when the tag began (on its line) */
	unsigned long tag_base_col;
	bool tag_pending;           /* tag_column not counted yet */
	/* Where each element's start tag begins, in document order, when marks is set (xmldoc.c). */
	uintptr_t *marks;
	size_t mark_count, mark_cap;
	bool marks_owned;           /* marks was allocated here (else the caller's buffer) */
	bool marks_failed;          /* growing marks failed: the caller reports out of memory */
	size_t names;               /* distinct names seen */
	size_t name_slots;          /* of name_set in use: 256, doubled up to DL__NAME_SLOTS */
	uint64_t name_set[DL__NAME_SLOTS]; /* their hashes, open addressing; 0: an empty slot */
	uint64_t name_list[DL__MAX_NAMES]; /* the same hashes in the order seen, to rehash */
} dl__raw_scan;

/** Start a scan at line 1, column 1. reset_depth as in dl__raw_scan (a stream: 1). */
void dl__raw_scan_init(dl__raw_scan *s, unsigned long reset_depth);

/**
 * Scan the next len bytes of the document for start tags over DL__MAX_ATTRIBUTES attributes, more
 * than DL__MAX_NAMESPACES namespace declarations and more than DL__MAX_NAMES names, skipping comments, CDATA sections, processing
 * instructions and quoted values. Returns 0, or DL_ELIMIT with the problem reported to d (at the
 * tag's '<') and *stop the number of bytes of data before the attribute that went over the limit
 * (everything before it may be parsed). Malformed markup is left to libxml2 to refuse.
 * Text, comments, CDATA, processing instructions and attribute values are skipped with memchr to the
 * byte that ends them, and a column is counted only where one is needed. With marks set (as
 * dl__xml_load does), the position of every element's start tag is noted there too, packed as
 * dl__xml_line and dl__xml_column read them; marks_failed is set if growing it failed.
 */
int dl__raw_scan_feed(dl__raw_scan *s, const char *data, size_t len, dl__diag *d, size_t *stop);

/**
 * libxml2's message for error, cleaned for a diagnostic (one line, valid UTF-8, long quotes
 * shortened, advice for a file that is not UTF-8), into dst. Returns DL_ENOMEM or DL_EINVALID.
 */
int dl__xml_error_text(char *dst, size_t size, const xmlError *error);

/**
 * Whether data (len bytes; partial: only the start of the file) is in the encoding it declares: no
 * declaration and not UTF-8 (a file Notepad saved as "ANSI", i.e. GBK), UTF-8 declared and not
 * UTF-8, another encoding declared but the bytes are UTF-8 or cannot be read in it, or an encoding
 * name nobody knows. The one problem found is reported to d, at the first byte that shows it, with
 * what to do; the file is never read in a guessed encoding (docs/answer-sheet.md, "Encoding").
 * A file in UTF-16 (with its byte order mark) is left to libxml2. Returns 0, DL_EINVALID or DL_ENOMEM.
 */
int dl__xml_encoding_check(const char *data, size_t len, bool partial, dl__diag *d);

/** Why dl__xml_peek_root found no root element. */
enum { DL__PEEK_OK = 0, DL__PEEK_NOT_XML, DL__PEEK_DOCTYPE, DL__PEEK_NOMEM, DL__PEEK_LIMIT };

/**
 * The root element name of a document in memory, without building a tree, with its id and version
 * attributes (NULL when absent); all three dl__malloc'ed. Parses no further than the first start
 * tag, and stops at a DOCTYPE before reading anything in it.
 * Returns NULL when there is none, and *status says why: DL__PEEK_NOT_XML, DL__PEEK_DOCTYPE,
 * DL__PEEK_NOMEM or DL__PEEK_LIMIT (the root start tag is over a limit of dl__raw_scan_feed) (then
 * *id and *version are NULL too).
 */
char *dl__xml_peek_root(const char *data, size_t len, char **id, char **version, int *status);

/**
 * The root element of the file at path, as dl__xml_peek_root finds it in the file's bytes, reading
 * only as much of the file as that needs: the first 64 KiB, then twice as much each time the root
 * start tag has not ended yet, up to max_size bytes (0 = default). *name, *id, *version and
 * *status as dl__xml_peek_root gives them, and *len the bytes read (0: the file is empty).
 * Returns 0, or DL_ENOTFOUND, DL_EIO, DL_ENOMEM, or DL_ELIMIT when a file larger than max_size has
 * no root within its first max_size bytes or the root start tag is over a limit of
 * dl__raw_scan_feed, with the problem reported to d.
 */
int dl__xml_peek_file(const char *path, size_t max_size, char **name, char **id, char **version,
		      int *status, size_t *len, dl__diag *d);

/** Where the element starts (1-based), as recorded by dl__xml_load. */
unsigned long dl__xml_line(const xmlNode *node);
unsigned long dl__xml_column(const xmlNode *node);

/** The first/next element child named name (NULL name: any element). */
xmlNodePtr dl__xml_child(const xmlNode *parent, const char *name);
xmlNodePtr dl__xml_next(const xmlNode *node, const char *name);
size_t dl__xml_count(const xmlNode *parent, const char *name);

/** Attribute value copied into the arena, or NULL when absent. *oom set on allocation failure. */
char *dl__xml_attr(dl__arena *a, const xmlNode *node, const char *name, bool *oom);
/** Text content (white space at both ends trimmed) copied into the arena; "" when empty. */
char *dl__xml_text(dl__arena *a, const xmlNode *node, bool *oom);
/** Text of the first child element named name, or "" when there is none. */
char *dl__xml_child_text(dl__arena *a, const xmlNode *parent, const char *name, bool *oom);

#endif
